#!/usr/bin/env bash
# What docs.rs builds, where no GSSAPI library can be found: each published library crate's
# documentation with the features and rustdoc arguments of its [package.metadata.docs.rs],
# DOCS_RS set, nightly rustdoc (for `doc_cfg`), and pkg-config, krb5-config and every
# GSSAPI_SYS_* override pointing at nothing; warnings (broken links, missing docs) are errors.
# Then the pages must carry what docs.rs readers look for: the feature badges and the note of
# which libraries provide each extension.
# Usage: bash ci/docsrs.sh   (its own target dir, target/docsrs)
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR=target/docsrs

blind=(env -u GSSAPI_SYS_IMPL -u GSSAPI_SYS_LIB_DIR -u GSSAPI_SYS_LIBS -u GSSAPI_SYS_INCLUDE_DIR
  PKG_CONFIG_LIBDIR=/nonexistent PKG_CONFIG_PATH= KRB5_CONFIG_BIN=/nonexistent/krb5-config
  DOCS_RS=1)

# name, features (comma-separated, or "all"), rustdoc args: one line per published lib crate.
mkdir -p "$CARGO_TARGET_DIR"
cargo metadata --format-version 1 --no-deps | python3 -c '
import json, sys
m = json.load(sys.stdin)
for p in m["packages"]:
    if p.get("publish") == [] or not any("lib" in t["kind"] for t in p["targets"]):
        continue
    d = ((p.get("metadata") or {}).get("docs") or {}).get("rs") or {}
    if not d:
        sys.exit(p["name"] + ": no [package.metadata.docs.rs]")
    feats = "all" if d.get("all-features") else ",".join(d.get("features", []))
    print(p["name"], feats or "-", " ".join(d.get("rustdoc-args", [])))
' >"$CARGO_TARGET_DIR.list"

while read -r name features args; do
  echo "--- docs.rs build of $name (features: $features; rustdoc: $args)"
  case "$features" in
    all) flags=(--all-features) ;;
    -) flags=() ;;
    *) flags=(--features "$features") ;;
  esac
  # shellcheck disable=SC2086
  "${blind[@]}" RUSTDOCFLAGS="$args -D warnings" \
    cargo +nightly doc --quiet --no-deps --lib -p "$name" "${flags[@]}"
done <"$CARGO_TARGET_DIR.list"
rm -f "$CARGO_TARGET_DIR.list"

doc=$CARGO_TARGET_DIR/doc
check() { # check FILE PATTERN WHAT
  grep -q -- "$2" "$1" || { echo "docsrs: $3 ($2 not in $1)"; exit 1; }
}
check "$doc/gssapi_sys/dlopen/index.html" 'crate feature <code>dlopen</code>' "the dlopen badge"
check "$doc/gssapi_http/axum/index.html" 'crate feature <code>axum</code>' "gssapi-http's feature badges"
check "$doc/gssapi_raw/ext/cred_store/index.html" 'Provided by MIT krb5, not Heimdal 7.8' "the library note of an extension"
check "$doc/gssapi_raw/ext/cred_store/fn.acquire_cred_from.html" 'acquire_cred_from' "every extension documented"
echo "docsrs: every library crate documents with no GSSAPI library to be found"
