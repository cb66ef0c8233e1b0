#!/usr/bin/env python3
"""Checks the reports AddressSanitizer and LeakSanitizer wrote (ci/asan.sh sets log_path).

usage: lsan-check.py REPORT_DIR SUPPRESSIONS.supp...

The suppressions are valgrind's (ci/valgrind.supp, ci/valgrind-heimdal.supp): one list of the C
libraries' own leaks, matched the same way by both checkers. Each direct leak's allocation stack
is matched frame by frame from the allocating call, as memcheck matches a suppression: `fun:`
against the function, `obj:` against the library, `...` for any number of frames, `*` and `?`
as globs. LSan's own suppression files cannot do that (a pattern there matches any one frame),
and the libraries' leaking functions are static ones without symbols, so only frame order and
depth tell a library's leak from ours.

Only direct leaks count, as with memcheck's `--show-leak-kinds=definite`: what an indirect leak
hangs from is a direct leak, reported on its own. Fails (exit 1) on any AddressSanitizer error
report and on any direct leak no suppression matches, printing them whole.
"""

import fnmatch
import os
import re
import sys
from collections import Counter

# ASan intercepts these itself; memcheck shows them as a libc function calling malloc.
INTERCEPTED_VIA_MALLOC = {"strdup", "__strdup", "strndup", "__strndup"}


def read_suppressions(path):
    """Memcheck:Leak suppressions of a valgrind suppression file: (name, frame patterns)."""
    sups = []
    lines = [ln.strip() for ln in open(path)]
    i = 0
    while i < len(lines):
        if lines[i] != "{":
            i += 1
            continue
        body = []
        i += 1
        while i < len(lines) and lines[i] != "}":
            if lines[i] and not lines[i].startswith("#"):
                body.append(lines[i])
            i += 1
        i += 1
        if len(body) < 2 or body[1] != "Memcheck:Leak":
            continue
        kinds = [b for b in body[2:] if b.startswith("match-leak-kinds:")]
        if kinds and "definite" not in kinds[0] and "all" not in kinds[0]:
            continue
        frames = [b for b in body[2:] if not b.startswith("match-leak-kinds:")]
        sups.append((body[0], frames))
    return sups


FRAME = re.compile(
    r"^\s*#\d+ 0x[0-9a-f]+(?: in (?P<fun>\S+))?(?:.*?\((?P<obj>/[^()+\s]+)\+0x[0-9a-f]+\))?"
)


def frame_matches(pattern, frame):
    fun, obj = frame
    if pattern.startswith("fun:"):
        return fun is not None and fnmatch.fnmatchcase(fun, pattern[4:])
    if pattern.startswith("obj:"):
        return obj is not None and fnmatch.fnmatchcase(obj, pattern[4:])
    return False


def stack_matches(patterns, frames):
    if not patterns:
        return True  # a suppression matches a prefix of the stack
    head, rest = patterns[0], patterns[1:]
    if head == "...":
        return any(stack_matches(rest, frames[k:]) for k in range(len(frames) + 1))
    return bool(frames) and frame_matches(head, frames[0]) and stack_matches(rest, frames[1:])


def leaks(text):
    """(kind, header, frames, raw block) for each leak of a LeakSanitizer report."""
    out = []
    block = None
    for line in text.splitlines():
        m = re.match(r"^(Direct|Indirect) leak of ", line)
        if m:
            block = [m.group(1), line, [], [line]]
            out.append(block)
            continue
        if block is None:
            continue
        f = FRAME.match(line)
        if f:
            block[3].append(line)
            block[2].append((f.group("fun"), f.group("obj")))
        else:
            block = None
    for b in out:
        frames = b[2]
        if frames and frames[0][0] in INTERCEPTED_VIA_MALLOC:
            frames.insert(0, ("malloc", None))
    return out


def main():
    report_dir, supp_files = sys.argv[1], sys.argv[2:]
    sups = [s for path in supp_files for s in read_suppressions(path)]
    used = Counter()
    failures = 0
    reports = sorted(os.listdir(report_dir))
    for name in reports:
        text = open(os.path.join(report_dir, name), errors="replace").read()
        if "ERROR: AddressSanitizer" in text:
            failures += 1
            print(f"=== {name}: AddressSanitizer error\n{text}")
            continue
        for kind, header, frames, raw in leaks(text):
            if kind != "Direct":
                continue
            hit = next((sname for sname, pats in sups if stack_matches(pats, frames)), None)
            if hit:
                used[hit] += 1
            else:
                failures += 1
                print(f"=== {name}: leak no suppression matches\n" + "\n".join(raw) + "\n")
    print(f"lsan-check: {len(reports)} report(s), {sum(used.values())} known library leak(s)"
          f" suppressed, {failures} error(s)")
    for sname, n in sorted(used.items()):
        print(f"  {n:4d}  {sname}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
