#!/usr/bin/env bash
# Runs the shared-handle thread test of gssapi-raw (one Name and one Cred used by 64 threads,
# tests/ext/threads.rs) under valgrind's helgrind, against MIT and against Heimdal. Fails on any
# helgrind error. Races inside the libraries that have nothing to do with the shared handles are
# suppressed one by one, each with its reason, in ci/helgrind.supp; a race on the shared name or
# credential must never be suppressed.
#
#   bash ci/helgrind.sh            both libraries
#   bash ci/helgrind.sh mit        one of them (mit | heimdal)
set -euo pipefail
cd "$(dirname "$0")/.."

test_name=threads::one_name_and_one_cred_in_64_threads

# The ext test binary of gssapi-raw for the implementation in $1 (cargo names it in its JSON).
test_binary() {
  local impl=$1
  local env=()
  if [ "$impl" = heimdal ]; then
    env=(GSSAPI_SYS_IMPL=heimdal CARGO_TARGET_DIR="${HEIMDAL_TARGET_DIR:-target/heimdal}")
  fi
  env "${env[@]}" cargo test -p gssapi-raw --test ext --no-run --message-format=json 2>/dev/null \
    | python3 ci/test-executables.py ext
}

impls=("$@")
[ ${#impls[@]} -gt 0 ] || impls=(mit heimdal)
status=0
for one in "${impls[@]}"; do
  bin=$(test_binary "$one")
  [ -n "$bin" ] || { echo "no ext test binary for $one" >&2; exit 1; }
  log=$(mktemp)
  echo "--- helgrind ($one) $(basename "$bin") $test_name"
  start=$SECONDS
  # Only this process is traced (the KDC and kadmin children are not). One harness thread:
  # the test starts its own 64. KRB5RCACHETYPE=none: MIT's replay cache is a file under an
  # OFD lock, which valgrind cannot wait on (threads contending for it deadlock under
  # valgrind only); the shared handles are what this run is about.
  if ! GSSAPI_TEST_VALGRIND=1 KRB5RCACHETYPE=none valgrind --tool=helgrind --error-exitcode=99 \
      --suppressions=ci/helgrind.supp --num-callers=30 \
      "$bin" --exact "$test_name" --test-threads=1 >"$log.out" 2>"$log"; then
    status=1
    cat "$log"
    tail -n 30 "$log.out"
  fi
  grep -E "ERROR SUMMARY" "$log" | sed 's/^==[0-9]*== /  /'
  grep -E "^test result" "$log.out" | tail -n 1 | sed 's/^/  /'
  echo "  $((SECONDS - start)) s"
  rm -f "$log" "$log.out"
done
exit $status
