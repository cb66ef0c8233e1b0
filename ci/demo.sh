#!/usr/bin/env bash
# The project's main job (README): a throwaway Kerberos realm, then a full GSSAPI exchange
# (Kerberos and SPNEGO, mutual auth, delegation, wrap/unwrap, MIC, export/import), narrated.
set -euo pipefail
cd "$(dirname "$0")/.."
bash ci/install-deps.sh
exec cargo run --quiet -p gssapi-raw --example raw_handshake
