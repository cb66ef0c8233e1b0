#!/usr/bin/env python3
"""Sanity checks of one server before it is loaded; one JSON line on stdout, exit 1 on failure.

  check.py --auth URL --noauth URL --tokgen PATH

1. no Authorization header          -> 401 with a bare "WWW-Authenticate: Negotiate"
2. a fresh SPNEGO token (tokgen -c) -> 200 with "WWW-Authenticate: Negotiate <token>", and that
                                       token completes tokgen's context (mutual authentication)
3. the same token again             -> not 200 (the acceptor's replay cache is on)
4. the unauthenticated URL          -> 200 without any header
The client uses the environment's Kerberos settings (KRB5_CONFIG, KRB5CCNAME).
"""
import argparse
import http.client
import json
import subprocess
import sys
import urllib.parse


def get(url, headers):
    u = urllib.parse.urlsplit(url)
    c = http.client.HTTPConnection(u.hostname, u.port, timeout=10)
    try:
        c.request("GET", u.path or "/", headers=headers)
        r = c.getresponse()
        r.read()
        return r.status, r.getheader("WWW-Authenticate")
    finally:
        c.close()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--auth", required=True)
    ap.add_argument("--noauth", required=True)
    ap.add_argument("--tokgen", required=True)
    a = ap.parse_args()
    out = {}

    status, challenge = get(a.auth, {})
    out["no_header"] = status
    out["challenge_ok"] = status == 401 and (challenge or "").strip().lower() == "negotiate"

    client = subprocess.Popen([a.tokgen, "-c"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True)
    token = client.stdout.readline().strip()
    status, reply = get(a.auth, {"Authorization": "Negotiate " + token})
    out["token"] = status
    reply_token = ""
    if reply and reply.lower().startswith("negotiate "):
        reply_token = reply.split(None, 1)[1].strip()
    try:
        said, err = client.communicate(reply_token + "\n", timeout=10)
    except subprocess.TimeoutExpired:
        client.kill()
        said, err = client.communicate()
    out["mutual_ok"] = status == 200 and client.returncode == 0 and said.strip() == "mutual yes"
    if not out["mutual_ok"] and err.strip():
        out["mutual_error"] = err.strip()

    status, _ = get(a.auth, {"Authorization": "Negotiate " + token})
    out["replay"] = status
    out["replay_rejected"] = status != 200

    status, _ = get(a.noauth, {})
    out["noauth"] = status
    out["noauth_ok"] = status == 200

    out["pass"] = all(out[k] for k in ("challenge_ok", "mutual_ok", "replay_rejected", "noauth_ok"))
    print(json.dumps(out), flush=True)
    return 0 if out["pass"] else 1


if __name__ == "__main__":
    sys.exit(main())
