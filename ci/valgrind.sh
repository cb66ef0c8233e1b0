#!/usr/bin/env bash
# Runs the test binaries of gssapi-raw and gssapi under valgrind memcheck, against MIT krb5
# (`ci/valgrind.sh` or `ci/valgrind.sh mit`) or Heimdal (`ci/valgrind.sh heimdal`, built with
# GSSAPI_SYS_IMPL=heimdal in its own target dir), or the run-time-loading build against either
# (`dlopen-mit`, `dlopen-heimdal`: the `dlopen` feature, target/dlopen-valgrind). Fails on definite leaks and on invalid reads
# or writes (any memcheck error), prints each binary's summary lines.
set -euo pipefail
cd "$(dirname "$0")/.."

impl=${1:-mit}
supp=(--suppressions=ci/valgrind.supp)
features=()
case "$impl" in
  mit) ;;
  heimdal)
    export GSSAPI_SYS_IMPL=heimdal
    export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-target}/heimdal
    supp+=(--suppressions=ci/valgrind-heimdal.supp)
    ;;
  dlopen-mit|dlopen-heimdal)
    export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-target}/dlopen-valgrind
    features=(--features gssapi-raw/dlopen)
    if [ "$impl" = dlopen-heimdal ]; then
      export GSSAPI_SYS_LIBRARY=heimdal
      supp+=(--suppressions=ci/valgrind-heimdal.supp)
    else
      export GSSAPI_SYS_LIBRARY=mit
    fi
    ;;
  *) echo "usage: $0 [mit|heimdal|dlopen-mit|dlopen-heimdal]" >&2; exit 2 ;;
esac

# Build the test binaries and list them (cargo's JSON messages name each executable): all of
# gssapi-raw's, gssapi's realm and interop suites, and gssapi-http's sans-IO suite (its HTTP
# suites run hundreds of concurrent requests: outside valgrind).
mapfile -t bins < <( { cargo test -p gssapi-raw -p gssapi-rs "${features[@]}" --no-run --message-format=json 2>/dev/null;
  cargo test -p gssapi-http --test core "${features[@]}" --no-run --message-format=json 2>/dev/null; } \
  | python3 ci/test-executables.py)

[ ${#bins[@]} -gt 0 ] || { echo "no test binaries found" >&2; exit 1; }

status=0
for bin in "${bins[@]}"; do
  # Skip binaries without tests (the lib's empty unit-test harness).
  listing=$("$bin" --list 2>/dev/null || true)
  if ! grep -q ': test$' <<<"$listing"; then
    continue
  fi
  # The thread and 10,000-handshake tests of gssapi measure other things (and would take
  # minutes under valgrind); every other test runs.
  skip=()
  if grep -q '^threads::' <<<"$listing"; then
    skip=(--skip threads::)
  fi
  log=$(mktemp)
  echo "--- valgrind ($impl) $(basename "$bin")"
  # Child processes (kdc, kinit, kadmin) are not traced: only our process is checked.
  # One test thread: MIT locks ccache files with OFD locks, and valgrind 3.19 does not treat
  # F_OFD_SETLKW as a blocking call, so two threads contending for one ccache deadlock under
  # valgrind (not outside it).
  if ! GSSAPI_TEST_VALGRIND=1 valgrind --tool=memcheck --leak-check=full --show-leak-kinds=definite \
      --errors-for-leak-kinds=definite --error-exitcode=99 \
      "${supp[@]}" --num-callers=30 \
      "$bin" --test-threads=1 "${skip[@]}" >"$log.out" 2>"$log"; then
    status=1
    cat "$log"
    tail -n 30 "$log.out"
  fi
  grep -E "definitely lost|ERROR SUMMARY" "$log" | sed 's/^==[0-9]*== /  /'
  grep -E "^test result|passed" "$log.out" | tail -n 1 | sed 's/^/  /'
  rm -f "$log" "$log.out"
done
exit $status
