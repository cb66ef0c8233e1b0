#!/usr/bin/env bash
# The project's test command (README): installs what it needs, then runs every check.
#   fmt, the MSRV check, cargo package (no verify), clippy -D warnings (and with the `tracing`
#   features off), the tests against MIT and against Heimdal (with the `tracing` features on, so
#   their tracing suites run), the run-time-loading (dlopen) build and its tests on both, the
#   docs.rs builds, a build with the MSRV toolchain, the gssapi-raw and gssapi suites under
#   valgrind and under AddressSanitizer (MIT and Heimdal), helgrind over the shared-handle test,
#   and a short run of each fuzz target.
#   Each step prints a banner; the first failure stops the run.
set -euo pipefail
shopt -s lastpipe
cd "$(dirname "$0")/.."

step() { printf '\n=== %s (at %d s)\n' "$*" "$SECONDS"; }

# Every test run's output also goes to this log, for the closing count.
log=$(mktemp)
trap 'rm -f "$log"' EXIT

step "dependencies"
bash ci/install-deps.sh

export CARGO_TERM_COLOR=never
# gssapi-http's adapters (tower, axum, reqwest, blocking) are features; docs and tests use them.
http_features=gssapi-http/axum,gssapi-http/reqwest-rustls,gssapi-http/blocking
# The `tracing` features: on for the test runs below (their tracing suites need them), off for
# the examples, valgrind and ASan builds; the step "without tracing" checks the off build.
trace_features=gssapi-rs/tracing,gssapi-http/tracing
export RUST_BACKTRACE=1

step "cargo fmt --check"
cargo fmt --all -- --check

step "MSRV: one rust-version, the one README states, no dependency newer (ci/msrv-check.sh)"
bash ci/msrv-check.sh

step "cargo package --workspace --no-verify (manifests, include lists, versions; docs/publishing.md)"
# The verified build (without --no-verify) compiles every package again: run it before a release.
# --allow-dirty: a local run with uncommitted changes packages them as they are.
cargo package --workspace --no-verify --allow-dirty --quiet

step "cargo clippy (all targets, all features, -D warnings)"
cargo clippy --workspace --all-targets --all-features -- -D warnings
# --all-features builds gssapi-sys with `dlopen`: the linked build's own code paths too.
cargo clippy -p gssapi-rs-sys -p gssapi-raw --all-targets -- -D warnings

step "without tracing: no tracing dependency, clippy clean with the feature off"
if cargo tree -p gssapi-rs -p gssapi-http -e normal --prefix none | grep -q '^tracing v'; then
  echo "gssapi or gssapi-http depends on tracing without the tracing feature" >&2
  exit 1
fi
cargo clippy -p gssapi-rs -p gssapi-http --all-targets --features "$http_features" -- -D warnings

step "cargo doc (every public item documented, no broken links)"
RUSTDOCFLAGS="-D warnings" cargo doc --workspace --no-deps --quiet --features "$http_features,$trace_features"

step "tests against MIT krb5"
cargo test --workspace --features "$http_features,$trace_features" 2>&1 | tee -a "$log"

step "tests against Heimdal (library), MIT KDC"
GSSAPI_SYS_IMPL=heimdal CARGO_TARGET_DIR=target/heimdal \
  cargo test -p gssapi-rs-sys -p gssapi-raw -p gssapi-rs -p gssapi-http -p gssapi-russh --features "$http_features,$trace_features" 2>&1 | tee -a "$log"

step "run-time loading: the dlopen build, blind at build time, on MIT and on Heimdal (ci/dlopen.sh)"
bash ci/dlopen.sh 2>&1 | tee -a "$log"

step "docs.rs: every library crate documented with no GSSAPI library to be found (ci/docsrs.sh)"
bash ci/docsrs.sh

step "examples (each starts its own realm)"
for example in demo tcp messages delegation; do
  echo "--- example $example"
  cargo run --quiet -p gssapi-rs --example "$example" >/dev/null
done
cargo run --quiet -p gssapi-raw --example raw_handshake >/dev/null
for example in reqwest_client blocking_client; do
  echo "--- example gssapi-http $example"
  cargo run --quiet -p gssapi-http --features "$http_features" --example "$example" >/dev/null
done
echo "--- example gssapi-http axum_server --demo (curl --negotiate against it)"
cargo run --quiet -p gssapi-http --features "$http_features" --example axum_server -- --demo >/dev/null

step "benchmark, quick mode (a smoke run: the full one is cargo bench -p gssapi-rs --bench tiers)"
cargo bench -p gssapi-rs --bench tiers -- --quick

step "MSRV: a build with the declared rust-version's toolchain (ci/msrv-check.sh --build)"
msrv=$(sed -n 's/^rust-version = "\(.*\)"/\1/p' Cargo.toml)
if rustup toolchain list | grep -q "^$msrv" || rustup toolchain install "$msrv" --profile minimal; then
  bash ci/msrv-check.sh --build
else
  echo "the $msrv toolchain cannot be installed here: the MSRV build is skipped (the metadata check above ran)"
fi

step "valgrind: gssapi-raw and gssapi test suites (MIT)"
bash ci/valgrind.sh mit 2>&1 | tee -a "$log"

step "valgrind: gssapi-raw and gssapi test suites (Heimdal)"
bash ci/valgrind.sh heimdal 2>&1 | tee -a "$log"

step "AddressSanitizer and LeakSanitizer (nightly): gssapi-raw and gssapi test suites (MIT, Heimdal)"
bash ci/asan.sh mit heimdal 2>&1 | tee -a "$log"

step "helgrind: one Name and one Cred shared by 64 threads (MIT and Heimdal)"
bash ci/helgrind.sh 2>&1 | tee -a "$log"

step "fuzz smoke run: each cargo-fuzz target for 10 s (long runs: bash ci/fuzz.sh 300)"
bash ci/fuzz.sh 10

step "all checks passed"
# One closing line over every suite above (MIT, Heimdal, valgrind and ASan on both).
awk '/test result:/ { for (i = 1; i <= NF; i++) { if ($(i+1) ~ /^passed/) p += $i; if ($(i+1) ~ /^failed/) f += $i } }
     END { printf "summary: %d passed, %d failed\n", p, f }' "$log"
