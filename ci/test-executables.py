#!/usr/bin/env python3
"""Prints the test executables named in cargo's JSON messages (stdin), one a line.

Usage: cargo test --no-run --message-format=json ... | python3 ci/test-executables.py [TARGET]
With TARGET, only the executable of that test target (e.g. `ext`).
"""
import json
import sys

want = sys.argv[1] if len(sys.argv) > 1 else None
for line in sys.stdin:
    try:
        m = json.loads(line)
    except ValueError:
        continue
    if m.get("reason") != "compiler-artifact" or not m.get("executable"):
        continue
    if not m["profile"]["test"] or (want is not None and m["target"]["name"] != want):
        continue
    print(m["executable"])
