#!/usr/bin/env python3
"""The summary of one run of bench/http/run.sh: a table and the issue's two ratios.

  summary.py RESULTS.jsonl           the table (for a terminal)
  summary.py --json RESULTS.jsonl    one JSON line {"server": "ratios", ...}

For every Rust offload mode:
  rps_vs_apache = Rust auth requests/s / Apache auth requests/s               (goal: >= 2)
  cpu_vs_floor  = Rust server CPU ms per auth request
                  / (C loop CPU ms per accept + Rust CPU ms per noauth request) (goal: <= 1.3)
The floor is what an HTTP server with a free authentication layer would spend: the bare
gss_accept_sec_context (shared credentials, same tokens, same replay cache) plus that server's
own cost of an unauthenticated request.
"""
import json
import sys

RPS_GOAL, CPU_GOAL = 2.0, 1.3


def load(path):
    lines = [json.loads(l) for l in open(path) if l.strip()]
    return {(d["server"], d.get("mode")): d for d in lines}


def ratios(res):
    apache = res.get(("apache", "auth"))
    c_loop = res.get(("c-accept", "accept"))
    out = {}
    for (server, mode), auth in res.items():
        if not server.startswith("rust/") or mode != "auth":
            continue
        noauth = res.get((server, "noauth"))
        r = {}
        if apache and apache.get("rps"):
            r["rps_vs_apache"] = round(auth["rps"] / apache["rps"], 2)
        if c_loop and noauth and auth.get("server_cpu_ms_per_req") is not None \
                and noauth.get("server_cpu_ms_per_req") is not None:
            floor = c_loop["cpu_ms_per_accept"] + noauth["server_cpu_ms_per_req"]
            r["cpu_floor_ms"] = round(floor, 4)
            r["cpu_vs_floor"] = round(auth["server_cpu_ms_per_req"] / floor, 2)
        out[server] = r
    return out


def table(res):
    rows = [("server", "mode", "rps", "p50 ms", "p99 ms", "non200", "mutual", "cpu ms/req",
             "srv cores", "wrk cores", "host busy", "other", "niced")]
    for (server, mode), d in res.items():
        if server == "ratios":
            continue
        if mode == "accept":
            rows.append((server, "accept", d["accepts_per_s"], "-", "-", d["failed"], d["mutual"],
                         d["cpu_ms_per_accept"], d["cores"], "-", d.get("host_busy_cores", "-"),
                         d.get("other_cores", "-"), d.get("host_nice_cores", "-")))
            continue
        rows.append((server, mode, d["rps"], d["p50_ms"], d["p99_ms"], d["non200"], d["mutual"],
                     d["server_cpu_ms_per_req"], d["server_cores"], d["loader_cores"],
                     d["host_busy_cores"], d["other_cores"], d["host_nice_cores"]))
    widths = [max(len(str(r[i])) for r in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(str(v).rjust(w) if i > 1 else str(v).ljust(w) for i, (v, w) in enumerate(zip(r, widths)))
             for r in rows]
    lines.append("")
    apache = res.get(("apache", "auth"))
    c_loop = res.get(("c-accept", "accept"))
    for server, r in ratios(res).items():
        parts = []
        if "rps_vs_apache" in r:
            verdict = "meets" if r["rps_vs_apache"] >= RPS_GOAL else "misses"
            parts.append(f"rps {res[(server, 'auth')]['rps']} / apache {apache['rps']} = "
                         f"{r['rps_vs_apache']}x ({verdict} >= {RPS_GOAL}x)")
        if "cpu_vs_floor" in r:
            verdict = "meets" if r["cpu_vs_floor"] <= CPU_GOAL else "misses"
            parts.append(f"cpu {res[(server, 'auth')]['server_cpu_ms_per_req']} ms / "
                         f"(c-accept {c_loop['cpu_ms_per_accept']} + noauth "
                         f"{res[(server, 'noauth')]['server_cpu_ms_per_req']}) = "
                         f"{r['cpu_vs_floor']}x ({verdict} <= {CPU_GOAL}x)")
        lines.append(f"{server}: " + "; ".join(parts))
    notes = [f"{s}/{m}: {d['non200']} non-200 {d.get('codes')}" for (s, m), d in res.items()
             if m in ("auth", "noauth") and d.get("non200")]
    notes += [f"{s}/{m}: tokens ran out after {d['seconds']} s" for (s, m), d in res.items()
              if d.get("exhausted") and m != "accept"]
    notes += [f"{s}/{m}: only {d['mutual']} of {d['ok']} 200s carried a mutual token" for (s, m), d in res.items()
              if m == "auth" and d.get("mutual") != d.get("ok")]
    notes += [f"{s}: sanity check failed: {d.get('check')}" for (s, m), d in res.items()
              if m == "auth" and d.get("check_pass") is False]
    if notes:
        lines += ["", "notes:"] + [f"  {n}" for n in notes]
    return "\n".join(lines)


def main():
    args = sys.argv[1:]
    as_json = args and args[0] == "--json"
    if as_json:
        args = args[1:]
    if len(args) != 1:
        sys.exit(__doc__)
    res = load(args[0])
    if as_json:
        run = next((d.get("run") for d in res.values() if d.get("run")), None)
        print(json.dumps({"server": "ratios", "run": run, "goals": {"rps_vs_apache": f">= {RPS_GOAL}",
                          "cpu_vs_floor": f"<= {CPU_GOAL}"}, "ratios": ratios(res)}))
    else:
        print(table(res))


if __name__ == "__main__":
    main()
