#!/usr/bin/env bash
# The project's main job (README): a throwaway Kerberos realm, then a full GSSAPI exchange
# with the high-level gssapi crate (Kerberos and SPNEGO, mutual auth, delegation to a second
# service, wrap/unwrap, MIC, export/import, misuse caught), narrated.
set -euo pipefail
cd "$(dirname "$0")/.."
bash ci/install-deps.sh
exec cargo run --quiet -p gssapi --example demo
