#!/usr/bin/env bash
# Runs the cargo-fuzz targets (fuzz/) for a bounded time each, under AddressSanitizer on
# nightly: bash ci/fuzz.sh [SECONDS_PER_TARGET] [TARGET...]. Long runs happen outside CI; CI
# runs a short smoke pass. Installs cargo-fuzz with cargo when it is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=${1:-300}
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(oid_tagged_der exported_name sealed_import http_header http_server sasl_frames ssh_messages inspect_token)

if ! cargo +nightly fuzz --version >/dev/null 2>&1; then
  cargo install cargo-fuzz --locked
fi

# The library reads krb5.conf; an empty one keeps the run independent of the machine's.
export KRB5_CONFIG=/dev/null
mkdir -p target
status=0
for t in "${targets[@]}"; do
  echo "--- fuzz $t for ${seconds}s"
  mkdir -p "fuzz/corpus/$t"
  seeds=()
  [ -d "fuzz/seeds/$t" ] && seeds=("fuzz/seeds/$t")
  if ! cargo +nightly fuzz run --fuzz-dir fuzz "$t" "fuzz/corpus/$t" "${seeds[@]}" -- \
      -max_total_time="$seconds" -rss_limit_mb=2048 -print_final_stats=1 2>"target/fuzz-$t.log"; then
    status=1
    tail -n 60 "target/fuzz-$t.log"
  fi
  grep -E "^(stat::number_of_executed_units|stat::peak_rss_mb|Done)" "target/fuzz-$t.log" || true
done
exit $status
