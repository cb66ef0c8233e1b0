#!/usr/bin/env python3
"""One measurement of the Negotiate benchmark, as one JSON line on stdout.

  measure.py wrk  --name NAME --mode auth|noauth --url URL --tokens FILE [--cycle]
                  [--duration S] [--conns N] [--threads N] [--server-pid PID]
                  [--loader-cpus LIST] [--extra JSON]
  measure.py exec --name NAME [--extra JSON] -- COMMAND...

wrk: runs wrk with negotiate.lua (one token per request, keep-alive) and reads the CPU time of the
server's process tree (PID and all its descendants, from /proc/PID/stat: utime+stime of every
thread, plus cutime+cstime of reaped children) before and after.  exec: runs COMMAND (c_accept),
which prints its own JSON line, and adds the same host figures.  Both report CPU of the whole
machine (/proc/stat) so that anything else running during the measurement is visible:
host_busy_cores (all non-idle time), host_nice_cores (of that, niced processes, e.g. a compiler
started with nice) and other_cores (busy minus server minus loader).
"""

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
HZ = os.sysconf("SC_CLK_TCK")


def host_ticks():
    """(busy, nice) jiffies of all CPUs since boot; busy excludes idle and iowait."""
    with open("/proc/stat") as f:
        fields = [int(x) for x in f.readline().split()[1:9]]
    user, nice, system, idle, iowait, irq, softirq, steal = fields
    return user + nice + system + irq + softirq + steal, nice


def processes():
    """pid -> (parent pid, CPU jiffies incl. reaped children) for every process."""
    table = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                stat = f.read()
        except OSError:
            continue
        # the command name may contain spaces and parentheses: split after the last ')'
        rest = stat[stat.rindex(")") + 2 :].split()
        ppid = int(rest[1])
        utime, stime, cutime, cstime = (int(x) for x in rest[11:15])
        table[int(entry)] = (ppid, utime + stime + cutime + cstime)
    return table


def tree_ticks(root):
    """pid -> CPU jiffies for root and all of its descendants."""
    table = processes()
    children = {}
    for pid, (ppid, _) in table.items():
        children.setdefault(ppid, []).append(pid)
    found, todo = {}, [root]
    while todo:
        pid = todo.pop()
        if pid in table and pid not in found:
            found[pid] = table[pid][1]
            todo.extend(children.get(pid, []))
    return found


def tree_delta(before, after):
    """Jiffies spent between two tree_ticks snapshots (processes that appeared count whole)."""
    return sum(after[p] - before.get(p, 0) for p in after)


class Sampler:
    """CPU of the machine, of this script's children (the loader) and of a process tree."""

    def __init__(self, server_pid=None):
        self.server_pid = server_pid

    def __enter__(self):
        self.host0 = host_ticks()
        self.kids0 = resource.getrusage(resource.RUSAGE_CHILDREN)
        self.tree0 = tree_ticks(self.server_pid) if self.server_pid else None
        return self

    def __exit__(self, *exc):
        self.host1 = host_ticks()
        self.kids1 = resource.getrusage(resource.RUSAGE_CHILDREN)
        self.tree1 = tree_ticks(self.server_pid) if self.server_pid else None
        return False

    def figures(self, seconds):
        loader = (self.kids1.ru_utime - self.kids0.ru_utime) + (self.kids1.ru_stime - self.kids0.ru_stime)
        busy = (self.host1[0] - self.host0[0]) / HZ
        nice = (self.host1[1] - self.host0[1]) / HZ
        server = tree_delta(self.tree0, self.tree1) / HZ if self.server_pid else None
        return loader, busy, nice, server


def run_wrk(a):
    wrk = shutil.which("wrk")
    if not wrk:
        sys.exit("measure.py: wrk not found")
    cmd = [wrk, f"-t{a.threads}", f"-c{a.conns}", f"-d{a.duration}s", "--timeout", "5s",
           "-s", os.path.join(HERE, "negotiate.lua"), a.url, "--", a.tokens, str(a.threads)]
    if a.cycle:
        cmd.append("cycle")
    if a.loader_cpus:
        cmd = ["taskset", "-c", a.loader_cpus] + cmd
    with Sampler(a.server_pid) as s:
        p = subprocess.run(cmd, capture_output=True, text=True)
    res = next((json.loads(line.split(" ", 1)[1]) for line in p.stdout.splitlines()
                if line.startswith("NEGOTIATE-BENCH ")), None)
    if p.returncode != 0 or res is None:
        sys.stderr.write(p.stdout + p.stderr)
        sys.exit(f"measure.py: wrk failed (exit {p.returncode})")
    # rates over the loaded interval: shorter than -d when the tokens ran out
    secs = res["seconds"]
    loader, busy, nice, server = s.figures(secs)
    # when the tokens ran out, the CPU counters also saw an idle tail: scale the *cores* figures
    # by the wrk run's full wall time, keep the per-request CPU exact (CPU / 200s)
    wall = max(secs, float(a.duration)) if res["exhausted"] else secs
    out = {
        "server": a.name,
        "mode": a.mode,
        "rps": round(res["ok"] / secs, 1) if secs > 0 else 0.0,
        "p50_ms": res["p50_ms"],
        "p99_ms": res["p99_ms"],
        "non200": res["non200"],
        "server_cpu_ms_per_req": round(1e3 * server / res["ok"], 4) if server is not None and res["ok"] else None,
        "mutual": res["mutual"],
        "ok": res["ok"],
        "codes": res["codes"],
        "p90_ms": res["p90_ms"],
        "max_ms": res["max_ms"],
        "seconds": secs,
        "exhausted": res["exhausted"],
        "tokens_sent": res["tokens_sent"],
        "sock_errors": res["sock_errors"],
        "conns": a.conns,
        "loader_threads": a.threads,
        "server_cores": round(server / wall, 2) if server is not None else None,
        "loader_cores": round(loader / wall, 2),
        "host_busy_cores": round(busy / wall, 2),
        "host_nice_cores": round(nice / wall, 2),
        "other_cores": round(max(0.0, busy - loader - (server or 0.0)) / wall, 2),
        "ncpu": os.cpu_count(),
        "url": a.url,
    }
    return out


def run_exec(a):
    cmd = a.command[1:] if a.command and a.command[0] == "--" else a.command
    if not cmd:
        sys.exit("measure.py exec: no command")
    t0 = time.monotonic()
    with Sampler() as s:
        p = subprocess.run(cmd, capture_output=True, text=True)
    wall = time.monotonic() - t0
    sys.stderr.write(p.stderr)
    res = next((json.loads(line) for line in p.stdout.splitlines() if line.startswith("{")), None)
    if res is None:
        sys.stderr.write(p.stdout)
        sys.exit(f"measure.py: {cmd[0]} printed no result (exit {p.returncode})")
    # over the command's whole run (its own figures cover only its timed loop, not the reading
    # and decoding of the tokens before it)
    own, busy, nice, _ = s.figures(wall)
    res["exit_status"] = p.returncode
    res["host_busy_cores"] = round(busy / wall, 2)
    res["host_nice_cores"] = round(nice / wall, 2)
    res["other_cores"] = round(max(0.0, busy - own) / wall, 2)
    res["ncpu"] = os.cpu_count()
    return res


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="what", required=True)
    w = sub.add_parser("wrk")
    w.add_argument("--name", required=True)
    w.add_argument("--mode", required=True, choices=["auth", "noauth"])
    w.add_argument("--url", required=True)
    w.add_argument("--tokens", required=True)
    w.add_argument("--cycle", action="store_true")
    w.add_argument("--duration", type=int, default=10)
    w.add_argument("--conns", type=int, default=8)
    w.add_argument("--threads", type=int, default=1)
    w.add_argument("--server-pid", type=int)
    w.add_argument("--loader-cpus", default="")
    w.add_argument("--extra", default="{}")
    e = sub.add_parser("exec")
    e.add_argument("--name", required=True)
    e.add_argument("--extra", default="{}")
    e.add_argument("command", nargs=argparse.REMAINDER)
    a = ap.parse_args()
    out = run_wrk(a) if a.what == "wrk" else run_exec(a)
    if a.what == "exec":
        out["server"] = a.name
    out.update(json.loads(a.extra))
    print(json.dumps(out), flush=True)


if __name__ == "__main__":
    main()
