#!/usr/bin/env bash
# Runs the test suites of gssapi-raw and gssapi under AddressSanitizer (nightly Rust), against
# MIT krb5 (`ci/asan.sh mit`), Heimdal (`ci/asan.sh heimdal`) or both (`ci/asan.sh`, the
# default). Each implementation has its own target dir under target/asan/.
#
# Our code is instrumented; the C libraries are not, but ASan's allocator and interceptors see
# every malloc and free they make, so a buffer we free twice, read after release or hand to the
# wrong release call is caught on either side. Any ASan error fails the run, in the test
# binaries and in the child processes some tests start from them (they inherit the options).
#
# LeakSanitizer is on for MIT: MIT's own leaks that no caller can free are suppressed in
# ci/lsan-mit.supp, each with its reason (the same leaks ci/valgrind.supp names). It is off for
# Heimdal: Heimdal 7.8's own leaks (ci/valgrind-heimdal.supp) are all allocated in static
# functions that Debian's build has no symbols for, and an LSan suppression matches a function
# or library name in any frame of the stack, so the only names that would suppress them are the
# public entry points (gss_init_sec_context, gss_acquire_cred, gss_inquire_cred, ...) or the
# library itself, which would hide our own leaks through those calls as well. Heimdal's leaks
# are checked by valgrind instead (ci/valgrind.sh heimdal), whose suppressions match the exact
# frames at a fixed depth.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! cargo +nightly --version >/dev/null 2>&1; then
  echo "ci/asan.sh: needs the nightly toolchain (rustup toolchain install nightly)" >&2
  exit 1
fi

impls=("$@")
[ ${#impls[@]} -gt 0 ] || impls=(mit heimdal)
target_root=${CARGO_TARGET_DIR:-$PWD/target}/asan

for impl in "${impls[@]}"; do
  case "$impl" in
    mit) lsan="detect_leaks=1" ;;
    heimdal) lsan="detect_leaks=0" ;;
    *) echo "usage: $0 [mit|heimdal]..." >&2; exit 2 ;;
  esac
  echo "--- AddressSanitizer ($impl)"
  # --target keeps build scripts and proc-macros (which run in cargo, not in the tests)
  # uninstrumented; without rust-src there is no -Zbuild-std, so std is not instrumented either
  # (its allocations still go through ASan's malloc).
  # fast_unwind_on_malloc=0: the C libraries have no frame pointers, so allocation stacks are
  # unwound from their unwind tables; the suppressions match frames inside the libraries.
  # The 10,000-handshake test measures RSS, which ASan's quarantine and shadow memory make
  # meaningless; every other test runs, the thread tests included.
  GSSAPI_SYS_IMPL=$impl CARGO_TARGET_DIR=$target_root/$impl \
  RUSTFLAGS="-Zsanitizer=address" RUSTDOCFLAGS="-Zsanitizer=address" \
  ASAN_OPTIONS="$lsan:fast_unwind_on_malloc=0:detect_stack_use_after_return=1" \
  LSAN_OPTIONS="suppressions=$PWD/ci/lsan-mit.supp:print_suppressions=1" \
    cargo +nightly test -p gssapi-raw -p gssapi --target x86_64-unknown-linux-gnu --tests \
      --no-fail-fast \
      -- --skip threads::ten_thousand_handshakes_keep_memory_flat
done
