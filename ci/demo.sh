#!/usr/bin/env bash
# The project's main job (README): `gss demo`: a throwaway Kerberos realm, Kerberos and SPNEGO
# handshakes with mutual authentication, delegation to a second service, messages, then an
# HTTP Negotiate request from `gss curl` to a `gss serve` in the same realm, narrated.
# (The library-only tour, with export/import and misuse: cargo run -p gssapi-rs --example demo.)
set -euo pipefail
cd "$(dirname "$0")/.."
bash ci/install-deps.sh
exec cargo run --quiet -p gss-cli --bin gss -- demo
