#!/usr/bin/env bash
# Installs the Debian packages the build, the tests and the demo need (Debian 12).
# Idempotent and quiet when everything is present: apt-get runs only for missing packages.
set -euo pipefail

packages=(
  # build: MIT and Heimdal development files side by side, pkg-config, a C compiler
  pkg-config gcc libc6-dev krb5-multidev libkrb5-dev heimdal-multidev
  # the `bindgen` feature (clippy --all-features builds it) needs libclang
  libclang-dev
  # a real MIT realm for the tests and the demo
  krb5-kdc krb5-admin-server krb5-user
  # memory checking of the test suite: valgrind, and llvm-symbolizer for AddressSanitizer's
  # stacks (ci/asan.sh matches library function names in them)
  valgrind llvm
  # the python-gssapi peer of the interop test (for Debian's /usr/bin/python3)
  python3-gssapi
  # NTLM through SPNEGO for gssapi-http's multi-leg tests (an MIT mechglue plugin: once
  # installed, MIT's glue loads it for every multi-mechanism call, and the suites expect it)
  gss-ntlmssp
  # gssapi-http's server tests: curl --negotiate as a client, and a venv (on Debian's python3
  # and its python3-gssapi) for requests-gssapi from PyPI
  curl python3-venv
  # gssapi-raw's krb5_keep_config test counts the child's opens of krb5.conf with strace
  strace
  # the Cyrus SASL peers of gssapi's sasl interop tests: sasl-sample-server/-client and
  # Cyrus's GSSAPI plugin (MIT build)
  sasl2-bin libsasl2-modules-gssapi-mit
  # the OpenSSH peer of gssapi-russh's interop test: a private sshd on 127.0.0.1 (its own
  # config, host key, port and pid file; the package's own service is not started in CI)
  openssh-server
  # gss-cli's HTTPS tests make a throwaway server certificate with `openssl req`
  openssl
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -gt 0 ]; then
  echo "ci/install-deps.sh: installing ${missing[*]}"
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -q
  # Service packages try to start their daemons; the realm runs its own KDC instead.
  $sudo apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

# requests-gssapi from PyPI for gssapi-http's server tests, in a venv beside the build output
# (target/interop-venv) that sees Debian's python3-gssapi; made once, checked every time.
venv="$(cd "$(dirname "$0")/.." && pwd)/target/interop-venv"
if ! "$venv/bin/python" -c 'import requests_gssapi, gssapi' 2>/dev/null; then
  echo "ci/install-deps.sh: installing requests-gssapi into $venv"
  /usr/bin/python3 -m venv --system-site-packages "$venv"
  "$venv/bin/pip" install -q --disable-pip-version-check requests-gssapi==1.4.0
fi
