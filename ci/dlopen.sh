#!/usr/bin/env bash
# The `dlopen` build (gssapi-sys's run-time loading), as docs/publishing.md and the README
# describe it:
#   1. built where neither pkg-config nor krb5-config can see a GSSAPI library and no
#      GSSAPI_SYS_* override is set (its own target dir, target/dlopen);
#   2. no test binary, and not the `gss` binary, links libgssapi or libkrb5 (ldd);
#   3. the whole suite against MIT (the default order), then the library crates' suites
#      against Heimdal, chosen at run time (GSSAPI_SYS_LIBRARY=heimdal) from the same build;
#   4. the same `gss` binary on an MIT-only, a Heimdal-only and a GSSAPI-less machine: mount
#      namespaces (unshare, root only) in which the other library's file reads as empty.
# Usage: bash ci/dlopen.sh              (ci/test.sh runs it; the Debian packages are installed there)
#        bash ci/dlopen.sh --machines   only the build and step 4
set -euo pipefail
cd "$(dirname "$0")/.."

export CARGO_TARGET_DIR=target/dlopen
features=gssapi-raw/dlopen,gssapi-http/axum,gssapi-http/reqwest-rustls,gssapi-http/blocking
# What a machine without the development files offers the build script: nothing.
blind=(env -u GSSAPI_SYS_IMPL -u GSSAPI_SYS_LIB_DIR -u GSSAPI_SYS_LIBS -u GSSAPI_SYS_INCLUDE_DIR
  -u GSSAPI_SYS_LIBRARY PKG_CONFIG_LIBDIR=/nonexistent PKG_CONFIG_PATH=
  KRB5_CONFIG_BIN=/nonexistent/krb5-config)

echo "--- dlopen: build, with pkg-config and krb5-config blind"
"${blind[@]}" cargo test --workspace --features "$features" --no-run --quiet 2>&1 | grep -v '^ *Executable' || true
# The gss binary of gss-cli's integration tests, built by the line above.
gss="$CARGO_TARGET_DIR/debug/gss"

echo "--- dlopen: nothing links a GSSAPI or Kerberos library"
linked=0
for exe in "$gss" "$CARGO_TARGET_DIR"/debug/deps/*; do
  [ -f "$exe" ] && [ -x "$exe" ] || continue
  if ldd "$exe" 2>/dev/null | grep -E 'libgssapi|libkrb5'; then
    echo "linked: $exe"
    linked=1
  fi
done
[ "$linked" -eq 0 ] || { echo "dlopen: a binary links the library"; exit 1; }
echo "no binary in $CARGO_TARGET_DIR/debug links libgssapi* or libkrb5*"

if [ "${1:-}" != --machines ]; then
echo "--- dlopen: the whole suite, MIT loaded at run time"
"${blind[@]}" cargo test --workspace --features "$features"

echo "--- dlopen: the library crates' suites, Heimdal loaded at run time (GSSAPI_SYS_LIBRARY=heimdal)"
"${blind[@]}" GSSAPI_SYS_LIBRARY=heimdal \
  cargo test -p gssapi-rs-sys -p gssapi-raw -p gssapi-rs -p gssapi-http -p gssapi-russh --features "$features"
fi

echo "--- dlopen: one gss binary on an MIT-only, a Heimdal-only and a GSSAPI-less machine"
if [ "$(id -u)" -ne 0 ] || ! command -v unshare >/dev/null; then
  echo "skipped: needs root for unshare --mount"
  exit 0
fi
mit=$(realpath "$(ldconfig -p | awk '/libgssapi_krb5\.so\.2 /{print $NF; exit}')")
heimdal=$(realpath "$(ldconfig -p | awk '/libgssapi\.so\.3 /{print $NF; exit}')")
[ -f "$mit" ] && [ -f "$heimdal" ] || { echo "dlopen: MIT ($mit) or Heimdal ($heimdal) not installed"; exit 1; }
# Runs "$@" where the given library files read as empty (so the loader refuses them).
without() {
  local hide=$1
  shift
  unshare --mount --propagation private sh -c '
    for f in '"$hide"'; do mount --bind /dev/null "$f"; done
    exec "$@"' sh "$@"
}
expect() { # expect PATTERN OUTPUT-FILE: the pattern is in the output, or the run fails
  grep -q -- "$1" "$2" || { echo "dlopen: '$1' not in the output:"; cat "$2"; exit 1; }
}
out=$(mktemp)
realm_in=$(mktemp -u)
cleanup() { rm -f "$out" "$realm_in"; [ -n "${realm_pid:-}" ] && kill "$realm_pid" 2>/dev/null; true; }
trap cleanup EXIT

echo "# MIT only ($heimdal hidden): gss demo, realm and all"
without "$heimdal" env -u GSSAPI_SYS_LIBRARY "$gss" demo >"$out" 2>&1 || { cat "$out"; exit 1; }
expect "library: mit 1\." "$out"
expect "body: hello from gss serve" "$out"
grep -E 'library:|body:' "$out"

echo "# Heimdal only ($mit hidden): gss demo's handshakes against a realm (MIT's KDC) run outside"
mkfifo "$realm_in"
# The KDC's machine, outside the namespace: the realm example of the default (linked) build.
CARGO_TARGET_DIR=target cargo build --quiet -p gssapi-testrealm --example realm
target/debug/examples/realm <"$realm_in" >"$out.realm" 2>&1 &
realm_pid=$!
exec 9>"$realm_in"
for _ in $(seq 1 100); do grep -q '^# press Enter' "$out.realm" 2>/dev/null && break; sleep 0.2; done
expect '^# press Enter' "$out.realm"
realm_env=$(sed -n "s/^export \([A-Z0-9_]*\)='\(.*\)'$/\1=\2/p" "$out.realm")
host=$(sed -n 's/^# user .* services \(host\)\/\([^@]*\)@.* and .*/\1@\2/p' "$out.realm")
http=$(sed -n 's/^# user .* and \(HTTP\)\/\([^@]*\)@.* in .*/\1@\2/p' "$out.realm")
# shellcheck disable=SC2086
without "$mit" env -u GSSAPI_SYS_LIBRARY $realm_env GSS_DEMO_HOST_SERVICE="$host" \
  GSS_DEMO_HTTP_SERVICE="$http" "$gss" demo --steps >"$out" 2>&1 || { cat "$out"; exit 1; }
expect "library: heimdal 7\." "$out"
grep -E 'library:' "$out"
exec 9>&-
wait "$realm_pid" || true
realm_pid=
rm -f "$out.realm"

echo "# neither: a clear error, exit 1"
if without "$mit $heimdal" env -u GSSAPI_SYS_LIBRARY "$gss" mechs >"$out" 2>&1; then
  echo "dlopen: gss mechs succeeded without a library"; cat "$out"; exit 1
fi
expect "no GSSAPI library could be loaded" "$out"
expect "install MIT krb5's library (Debian/Ubuntu: libgssapi-krb5-2" "$out"
cat "$out"
echo "dlopen: all checks passed"
