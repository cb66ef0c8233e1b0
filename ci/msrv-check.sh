#!/usr/bin/env bash
# Checks that the declared minimum supported Rust version (MSRV) holds together:
#   - every workspace member declares the same `rust-version` ([workspace.package]);
#   - README.md's "Minimum supported Rust: X" line and each crate README state that version;
#   - every package in the resolved dependency graph (Cargo.lock, all features, all platforms)
#     that declares a `rust-version` declares one no newer than the MSRV.
# Clippy's `incompatible_msrv` lint (on by default; ci/test.sh runs clippy -D warnings) covers
# the standard library items the workspace's own code uses.
#
#   bash ci/msrv-check.sh           the checks above (cargo metadata only: no build)
#   bash ci/msrv-check.sh --build   also `cargo +MSRV build` of every target, all features,
#                                   when rustup has that toolchain (rustup toolchain install
#                                   MSRV --profile minimal); its own target dir, target/msrv
set -euo pipefail
cd "$(dirname "$0")/.."

cargo metadata --format-version 1 --all-features --locked >"${TMPDIR:-/tmp}/msrv-metadata.$$.json"
trap 'rm -f "${TMPDIR:-/tmp}/msrv-metadata.$$.json"' EXIT

msrv=$(python3 - "${TMPDIR:-/tmp}/msrv-metadata.$$.json" <<'EOF'
import glob, json, re, sys

def key(v):
    return tuple(int(x) for x in v.split(".")) + (0,) * (3 - len(v.split(".")))

m = json.load(open(sys.argv[1]))
members = set(m["workspace_members"])
resolved = {n["id"] for n in m["resolve"]["nodes"]}
pkgs = {p["id"]: p for p in m["packages"]}
fail = []

declared = {pkgs[i]["name"]: pkgs[i].get("rust_version") for i in members}
versions = set(declared.values())
if len(versions) != 1 or None in versions:
    fail.append(f"workspace members disagree on rust-version: {declared}")
msrv = sorted(v for v in versions if v)[0] if any(versions) else "?"

stated = re.findall(r"Minimum supported Rust: ([0-9]+(?:\.[0-9]+)*)", open("README.md").read())
if stated != [msrv]:
    fail.append(f"README.md states {stated or 'no'} 'Minimum supported Rust: X' line(s); rust-version is {msrv}")
for readme in sorted(glob.glob("*/README.md")):
    for v in re.findall(r"Minimum supported Rust: ([0-9]+(?:\.[0-9]+)*)", open(readme).read()):
        if v != msrv:
            fail.append(f"{readme} states Minimum supported Rust {v}; rust-version is {msrv}")

unknown = 0
for i in sorted(resolved - members):
    p = pkgs[i]
    rv = p.get("rust_version")
    if rv is None:
        unknown += 1
    elif key(rv) > key(msrv):
        fail.append(f"{p['name']} {p['version']} needs Rust {rv} (> {msrv})")

for f in fail:
    print(f"msrv-check: {f}", file=sys.stderr)
if fail:
    sys.exit(1)
print(f"msrv-check: rust-version {msrv} in every member and README; "
      f"{len(resolved - members)} resolved dependencies, none newer "
      f"({unknown} declare no rust-version)", file=sys.stderr)
print(msrv)
EOF
)

if [ "${1:-}" = --build ]; then
  if rustup toolchain list 2>/dev/null | grep -q "^$msrv"; then
    echo "msrv-check: cargo +$msrv build --workspace --all-targets --all-features" >&2
    cargo "+$msrv" build --locked --workspace --all-targets --all-features --target-dir target/msrv
  else
    echo "msrv-check: toolchain $msrv not installed (rustup toolchain install $msrv --profile minimal); build skipped" >&2
    exit 1
  fi
fi
