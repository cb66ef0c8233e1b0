#!/usr/bin/env bash
# Runs the test suites of gssapi-raw and gssapi under AddressSanitizer with LeakSanitizer
# (nightly Rust), against MIT krb5 (`ci/asan.sh mit`), Heimdal (`ci/asan.sh heimdal`) or both
# (`ci/asan.sh`, the default). Each implementation has its own target dir under target/asan/.
#
# Our code is instrumented; the C libraries are not, but ASan's allocator and interceptors see
# every malloc and free they make, so a buffer we free twice, read after release or hand to the
# wrong release call is caught on either side. An ASan error aborts the process (the test
# fails) and is printed. This covers what valgrind does not run: the thread tests, and the
# child processes some tests start from the test binary (they inherit the options).
#
# Leaks: every process writes its LeakSanitizer report to a file, and ci/lsan-check.py matches
# each direct leak against valgrind's suppression files (the C libraries' own leaks that no
# caller can free, each with its reason), frame by frame as memcheck does. LSan's own
# suppression patterns match any single frame of a stack, and the libraries' leaking functions
# are static ones without symbols, so they could only name public entry points
# (gss_init_sec_context, gss_acquire_cred, ...) and would hide our own leaks there too. Any
# unmatched leak fails the run.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! cargo +nightly --version >/dev/null 2>&1; then
  echo "ci/asan.sh: needs the nightly toolchain (rustup toolchain install nightly)" >&2
  exit 1
fi

impls=("$@")
[ ${#impls[@]} -gt 0 ] || impls=(mit heimdal)
target_root=${CARGO_TARGET_DIR:-$PWD/target}/asan
reports=$(mktemp -d)
trap 'rm -rf "$reports"' EXIT

status=0
for impl in "${impls[@]}"; do
  case "$impl" in
    mit) supp=(ci/valgrind.supp) ;;
    heimdal) supp=(ci/valgrind.supp ci/valgrind-heimdal.supp) ;;
    *) echo "usage: $0 [mit|heimdal]..." >&2; exit 2 ;;
  esac
  echo "--- AddressSanitizer ($impl)"
  rm -rf "${reports:?}"/*
  # --target keeps build scripts and proc-macros (which run in cargo, not in the tests)
  # uninstrumented; without rust-src there is no -Zbuild-std, so std is not instrumented either
  # (its allocations still go through ASan's malloc).
  # exitcode=0 with abort_on_error=1: an ASan error aborts, a leak only goes to the report
  # (lsan-check.py judges it). fast_unwind_on_malloc=0: the C libraries have no frame
  # pointers, so allocation stacks are unwound from their unwind tables, through the library
  # frames the suppressions name.
  # The 10,000-handshake test measures RSS, which ASan's quarantine and shadow memory make
  # meaningless; every other test runs, the thread tests included.
  if ! GSSAPI_SYS_IMPL=$impl CARGO_TARGET_DIR=$target_root/$impl \
    RUSTFLAGS="-Zsanitizer=address" RUSTDOCFLAGS="-Zsanitizer=address" \
    ASAN_OPTIONS="detect_leaks=1:exitcode=0:abort_on_error=1:fast_unwind_on_malloc=0:detect_stack_use_after_return=1:log_path=$reports/asan" \
    cargo +nightly test -p gssapi-raw -p gssapi-rs --target x86_64-unknown-linux-gnu --tests \
      --no-fail-fast -- --skip threads::ten_thousand_handshakes_keep_memory_flat; then
    status=1
  fi
  # gssapi-http's sans-IO suite (acceptor, delegated ccaches, sessions, replay cache).
  if ! GSSAPI_SYS_IMPL=$impl CARGO_TARGET_DIR=$target_root/$impl \
    RUSTFLAGS="-Zsanitizer=address" RUSTDOCFLAGS="-Zsanitizer=address" \
    ASAN_OPTIONS="detect_leaks=1:exitcode=0:abort_on_error=1:fast_unwind_on_malloc=0:detect_stack_use_after_return=1:log_path=$reports/asan" \
    cargo +nightly test -p gssapi-http --target x86_64-unknown-linux-gnu --test core --no-fail-fast; then
    status=1
  fi
  python3 ci/lsan-check.py "$reports" "${supp[@]}" || status=1
done
exit $status
