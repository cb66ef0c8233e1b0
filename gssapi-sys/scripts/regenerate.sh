#!/usr/bin/env bash
# Regenerate the checked-in bindings in gssapi-sys/src/generated/ from the installed MIT headers.
# Needs libclang (Debian: apt-get install libclang-dev) and the MIT development files
# (libkrb5-dev). The output is written by the build script of the `bindgen` feature.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
cd "$here"
export GSSAPI_SYS_IMPL=mit
export GSSAPI_SYS_REGENERATE_TO="$here/src/generated"
# Make sure the build script runs again even when nothing else changed.
touch build/generate.rs
cargo build -p gssapi-rs-sys --features bindgen
echo "regenerated:" "$here"/src/generated/*.rs
