#!/usr/bin/env bash
# The project's HTTP Negotiate benchmark: the Rust server (bench/http-server, gssapi-http's
# NegotiateLayer) side by side with Apache 2.4 + mod_auth_gssapi and a bare C loop of
# gss_accept_sec_context, in one run on this machine.  See README.md.
#
# usage: bench/http/run.sh [options]
#   --servers LIST     what to measure, in this order (default
#                      apache,spawn-blocking,inline,threads:2,c-accept; the middle ones are
#                      negotiate-server --offload values)
#   --duration S       seconds per measurement (default 10)
#   --warmup S         seconds of warm-up before each measurement (default 2)
#   --conns N          wrk keep-alive connections (default 8)
#   --max-tokens N     cap on the tokens made for one measurement (default 250000)
#   --c-tokens N       tokens for the C accept loop (default 60000; it stops at --duration too)
#   --loader-cpus L    pin wrk with taskset (default: not pinned)
#   --idle-wait S      before each server, wait up to S s for the machine to be quiet (< 0.25
#                      busy cores); for a shared machine (default 0: do not wait)
#   --out FILE         append the JSON lines here (default bench/http/results/results.jsonl)
#   --keep             keep the work directory (logs, configs, realm) instead of deleting it
# Needs root (apt-get for what is missing; Apache drops to www-data).  Everything listens on
# 127.0.0.1 only; every process started here is stopped by its PID on exit, error included.
set -euo pipefail
H=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$H/../.." && pwd)

SERVERS=apache,spawn-blocking,inline,threads:2,c-accept
DURATION=10 WARMUP=2 CONNS=8 MAX_TOKENS=250000 C_TOKENS=60000 LOADER_CPUS="" KEEP=0 IDLE_WAIT=0
OUT=$H/results/results.jsonl
CAL_TOKENS=4000                   # warm-up tokens (the warm-up also estimates the rate)
GEN_JOBS=$(nproc)                 # tokgen processes in parallel (between measurements)
while [ $# -gt 0 ]; do
  case $1 in
    --servers) SERVERS=$2; shift ;;
    --duration) DURATION=$2; shift ;;
    --warmup) WARMUP=$2; shift ;;
    --conns) CONNS=$2; shift ;;
    --max-tokens) MAX_TOKENS=$2; shift ;;
    --c-tokens) C_TOKENS=$2; shift ;;
    --loader-cpus) LOADER_CPUS=$2; shift ;;
    --idle-wait) IDLE_WAIT=$2; shift ;;
    --out) OUT=$2; shift ;;
    --keep) KEEP=1 ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed -e '$d' -e 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "run.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done

log() { echo "[bench $(date +%T)] $*" >&2; }
die() { log "error: $*"; exit 1; }

# --- what we need ----------------------------------------------------------------------------
install_missing() {
  local pkgs=()
  command -v wrk >/dev/null || pkgs+=(wrk)
  [ -x /usr/sbin/apache2 ] || pkgs+=(apache2)
  [ -e /usr/lib/apache2/modules/mod_auth_gssapi.so ] || pkgs+=(libapache2-mod-auth-gssapi)
  [ -x /usr/sbin/krb5kdc ] || pkgs+=(krb5-kdc)
  [ -x /usr/sbin/kadmin.local ] || pkgs+=(krb5-admin-server)
  command -v kinit >/dev/null || pkgs+=(krb5-user)
  command -v krb5-config >/dev/null || pkgs+=(libkrb5-dev)
  command -v gcc >/dev/null || pkgs+=(gcc)
  command -v python3 >/dev/null || pkgs+=(python3)
  if [ ${#pkgs[@]} -gt 0 ]; then
    [ "$(id -u)" = 0 ] || die "missing ${pkgs[*]}; run as root or install them"
    log "installing ${pkgs[*]}"
    apt-get update -qq
    # policy-rc.d keeps the packages' own services (system apache on :80, a system KDC) stopped
    local policy=/usr/sbin/policy-rc.d made_policy=0
    if [ ! -e $policy ]; then printf '#!/bin/sh\nexit 101\n' > $policy; chmod +x $policy; made_policy=1; fi
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${pkgs[@]}" >&2 || { [ $made_policy = 1 ] && rm -f $policy; die "apt-get failed"; }
    if [ $made_policy = 1 ]; then rm -f $policy; fi
  fi
}
install_missing
command -v cargo >/dev/null || die "cargo not found"

# --- work dir and cleanup: every process we start is recorded here and stopped by PID -------
WORK=$(mktemp -d /tmp/negotiate-bench.XXXXXX)
chmod 0755 "$WORK"                 # Apache's workers (www-data) read the keytab below it
OURS=()                            # PIDs we started, stopped in reverse order
stop_pid() {
  local pid=$1
  kill -TERM "$pid" 2>/dev/null || return 0
  for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  if kill -0 "$pid" 2>/dev/null; then kill -KILL "$pid" 2>/dev/null; fi
  wait "$pid" 2>/dev/null || true
}
forget_pid() { local p keep=(); for p in "${OURS[@]}"; do [ "$p" = "$1" ] || keep+=("$p"); done; OURS=("${keep[@]}"); }
cleanup() {
  set +e
  local i
  for ((i = ${#OURS[@]} - 1; i >= 0; i--)); do stop_pid "${OURS[$i]}"; done
  if [ "$KEEP" = 1 ]; then log "kept $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

host_busy() {  # cores busy on the whole machine over 1 s (anything else running shows here)
  python3 -c 'import os, time
def t():
    v = [int(x) for x in open("/proc/stat").readline().split()[1:9]]
    return sum(v) - v[3] - v[4]
a = t(); time.sleep(1); print(round((t() - a) / os.sysconf("SC_CLK_TCK"), 2))'
}
idle_wait() {  # wait up to IDLE_WAIT s for the host to be quiet (< 0.25 busy cores over 1 s)
  [ "$IDLE_WAIT" -gt 0 ] || return 0
  local end=$((SECONDS + IDLE_WAIT)) busy
  while :; do
    busy=$(host_busy)
    python3 -c 'import sys; sys.exit(float(sys.argv[1]) >= 0.25)' "$busy" && return 0
    if [ $SECONDS -ge $end ]; then log "host still busy ($busy cores) after ${IDLE_WAIT}s; measuring anyway"; return 0; fi
    log "host busy ($busy cores), waiting"; sleep 2
  done
}
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
wait_port() {   # wait_port PORT PID: until 127.0.0.1:PORT accepts, while PID lives
  local i
  for i in $(seq 300); do
    kill -0 "$2" 2>/dev/null || return 1
    if python3 -c 'import socket, sys; socket.create_connection(("127.0.0.1", int(sys.argv[1])), 0.2)' "$1" 2>/dev/null; then return 0; fi
    sleep 0.1
  done
  return 1
}

# --- build: C helpers, the Rust server --------------------------------------------------------
BIN=$WORK/bin; mkdir -p "$BIN"
# shellcheck disable=SC2046
for p in tokgen c_accept; do
  gcc -O2 -Wall -Wextra -o "$BIN/$p" "$H/$p.c" $(krb5-config --cflags gssapi) $(krb5-config --libs gssapi) -lpthread
done
log "building negotiate-server (release)"
(cd "$ROOT" && nice -n 10 cargo build --release -j 1 -q -p gssapi-http-bench --bin negotiate-server) >&2
RUST_SERVER=${CARGO_TARGET_DIR:-$ROOT/target}/release/negotiate-server
[ -x "$RUST_SERVER" ] || die "no $RUST_SERVER after the build"

# --- realm: KDC on a free loopback port, HTTP/localhost in a keytab, a client ticket -----------
REALM=$WORK/realm
KDC_PORT=$(free_port)
"$H/realm.sh" "$REALM" "$KDC_PORT"
# shellcheck disable=SC1091
. "$REALM/env"
/usr/sbin/krb5kdc -n -P "$REALM/kdc.pid" >"$REALM/krb5kdc.out" 2>&1 &
KDC_PID=$!; OURS+=("$KDC_PID")
wait_port "$KDC_PORT" "$KDC_PID" || die "the KDC did not start: $(cat "$REALM/krb5kdc.out" "$REALM/kdc.log" 2>/dev/null)"
kinit -k -t "$REALM/client.keytab" bench@BENCH.TEST
kvno -q HTTP/localhost@BENCH.TEST >/dev/null    # service ticket in the ccache before any token
KEYTAB=$REALM/http.keytab
log "realm BENCH.TEST: KDC pid $KDC_PID on 127.0.0.1:$KDC_PORT, keytab $KEYTAB"

# --- tokens -----------------------------------------------------------------------------------
GEN_RATE=0
gen_tokens() {  # gen_tokens N FILE: N fresh tokens, GEN_JOBS processes; sets GEN_RATE (tokens/s)
  local n=$1 file=$2 jobs=$GEN_JOBS i pids=() t0 t1
  [ "$n" -lt 2000 ] && jobs=1
  local each=$(( (n + jobs - 1) / jobs ))
  t0=$(date +%s.%N)
  for ((i = 0; i < jobs; i++)); do "$BIN/tokgen" -n "$each" -o "$file.$i" 2>"$file.$i.log" & pids+=($!); done
  for i in "${!pids[@]}"; do wait "${pids[$i]}" || die "tokgen: $(cat "$file.$i.log")"; done
  t1=$(date +%s.%N)
  for ((i = 0; i < jobs; i++)); do cat "$file.$i"; done > "$file"
  rm -f "$file".*
  GEN_RATE=$(python3 -c 'import sys; print(round(int(sys.argv[1]) / (float(sys.argv[3]) - float(sys.argv[2]))))' "$((each * jobs))" "$t0" "$t1")
}

# --- measurements -----------------------------------------------------------------------------
RUN_ID=$(date -u +%Y%m%dT%H%M%SZ)
RESULTS=$WORK/results.jsonl; : > "$RESULTS"
mkdir -p "$(dirname "$OUT")"
common_extra() {  # JSON fields every line of this run carries
  printf '"run": "%s", "duration_s": %s, "rcache": "dfl", "host_loadavg": "%s"' \
    "$RUN_ID" "$DURATION" "$(cut -d' ' -f1-3 /proc/loadavg)"
}
emit() { echo "$1" | tee -a "$RESULTS" >> "$OUT"; echo "$1"; }
wrk_measure() {   # wrk_measure NAME MODE URL TOKENS PID SECONDS EXTRA_JSON [--cycle]
  local args=(wrk --name "$1" --mode "$2" --url "$3" --tokens "$4" --server-pid "$5"
              --duration "$6" --conns "$CONNS" --extra "{$7}")
  [ -n "$LOADER_CPUS" ] && args+=(--loader-cpus "$LOADER_CPUS")
  [ "${8:-}" = --cycle ] && args+=(--cycle)
  python3 "$H/measure.py" "${args[@]}"
}
field() { python3 -c 'import json, sys; v = json.loads(sys.argv[1]).get(sys.argv[2]); print("" if v is None else v)' "$1" "$2"; }

NOAUTH_TOKENS=$WORK/tokens-noauth
measure_server() {  # measure_server NAME PID PORT: sanity check, auth, noauth
  local name=$1 pid=$2 port=$3 check pass cal est n tries=0 res
  local auth=http://127.0.0.1:$port/ noauth=http://127.0.0.1:$port/noauth
  check=$(python3 "$H/check.py" --auth "$auth" --noauth "$noauth" --tokgen "$BIN/tokgen") || true
  [ -n "$check" ] || check='{"pass": false, "error": "check.py failed"}'
  log "$name check: $check"
  pass=$(field "$check" pass); [ "$pass" = True ] && pass=true || pass=false
  # warm-up, which also estimates the rate the tokens must cover
  gen_tokens "$CAL_TOKENS" "$WORK/tokens"
  cal=$(wrk_measure "$name" auth "$auth" "$WORK/tokens" "$pid" "$WARMUP" "$(common_extra)") || die "$name: warm-up load failed"
  est=$(field "$cal" rps)
  n=$(python3 -c 'import math, sys; print(min(int(sys.argv[3]), math.ceil(float(sys.argv[1]) * float(sys.argv[2]) * 1.3) + 2000))' "$est" "$DURATION" "$MAX_TOKENS")
  while :; do
    tries=$((tries + 1))
    log "$name auth: warm-up $est rps -> $n tokens"
    gen_tokens "$n" "$WORK/tokens"
    log "$name auth: $GEN_RATE tokens/s made; ${DURATION}s of load, $CONNS connections"
    res=$(wrk_measure "$name" auth "$auth" "$WORK/tokens" "$pid" "$DURATION" \
      "$(common_extra), \"check\": $check, \"check_pass\": $pass, \"tokens_made\": $n, \"token_gen_per_s\": $GEN_RATE") \
      || die "$name: auth load failed"
    rm -f "$WORK/tokens"
    if [ "$(field "$res" exhausted)" = True ] && [ $tries -lt 2 ] && [ "$n" -lt "$MAX_TOKENS" ]; then
      n=$(( n * 2 > MAX_TOKENS ? MAX_TOKENS : n * 2 ))
      log "$name auth: the tokens ran out; again with $n"
      continue
    fi
    break
  done
  emit "$res"
  # no-auth: the same request bytes (a token in Authorization, ignored by /noauth)
  [ -s "$NOAUTH_TOKENS" ] || gen_tokens 1000 "$NOAUTH_TOKENS"
  wrk_measure "$name" noauth "$noauth" "$NOAUTH_TOKENS" "$pid" "$WARMUP" "$(common_extra)" --cycle >/dev/null || die "$name: noauth warm-up failed"
  log "$name noauth: ${DURATION}s of load"
  res=$(wrk_measure "$name" noauth "$noauth" "$NOAUTH_TOKENS" "$pid" "$DURATION" "$(common_extra), \"check_pass\": $pass" --cycle) \
    || die "$name: noauth load failed"
  emit "$res"
}

start_apache() {   # sets SRV_PID SRV_PORT
  local d=$WORK/apache
  mkdir -p "$d/www" "$d/rcache"; printf 'ok\n' > "$d/www/ok"
  chown www-data:www-data "$d/rcache"; chmod 0700 "$d/rcache"
  SRV_PORT=$(free_port)
  sed -e "s|@DIR@|$d|g" -e "s|@PORT@|$SRV_PORT|g" -e "s|@KEYTAB@|$KEYTAB|g" \
      -e "s|@MODULES@|/usr/lib/apache2/modules|g" -e "s|@PROCS@|2|g" -e "s|@THREADS@|25|g" \
      -e "s|@WORKERS@|50|g" "$H/apache.conf.in" > "$d/httpd.conf"
  local env=(PATH=/usr/sbin:/usr/bin:/bin LANG=C KRB5_CONFIG="$KRB5_CONFIG"
             KRB5RCACHETYPE=dfl KRB5RCACHEDIR="$d/rcache")
  env -i "${env[@]}" /usr/sbin/apache2 -f "$d/httpd.conf" -t >/dev/null 2>"$d/configtest.log" \
    || die "apache config: $(cat "$d/configtest.log")"
  env -i "${env[@]}" /usr/sbin/apache2 -f "$d/httpd.conf" -DFOREGROUND >"$d/stdout.log" 2>&1 &
  SRV_PID=$!; OURS+=("$SRV_PID")
  wait_port "$SRV_PORT" "$SRV_PID" || die "apache did not start: $(cat "$d/stdout.log" "$d/error.log" 2>/dev/null)"
}

start_rust() {     # start_rust OFFLOAD; sets SRV_PID SRV_PORT
  local d=$WORK/rust-${1//:/}
  mkdir -p "$d/rcache"
  SRV_PORT=$(free_port)
  env -i PATH=/usr/bin:/bin LANG=C KRB5_CONFIG="$KRB5_CONFIG" KRB5RCACHETYPE=dfl KRB5RCACHEDIR="$d/rcache" \
    "$RUST_SERVER" --listen "127.0.0.1:$SRV_PORT" --offload "$1" --keytab "$KEYTAB" >"$d/server.log" 2>&1 &
  SRV_PID=$!; OURS+=("$SRV_PID")
  wait_port "$SRV_PORT" "$SRV_PID" || die "negotiate-server --offload $1 did not start: $(cat "$d/server.log")"
}

measure_c_accept() {
  local d=$WORK/c-accept res
  mkdir -p "$d/rcache"
  gen_tokens "$CAL_TOKENS" "$d/warm"
  KRB5RCACHETYPE=dfl KRB5RCACHEDIR=$d/rcache "$BIN/c_accept" -k "$KEYTAB" -f "$d/warm" -d "$WARMUP" >/dev/null
  gen_tokens "$C_TOKENS" "$d/tokens"
  log "c-accept: $GEN_RATE tokens/s made; up to $C_TOKENS accepts or ${DURATION}s, one thread, one shared credential"
  res=$(KRB5RCACHETYPE=dfl KRB5RCACHEDIR=$d/rcache python3 "$H/measure.py" exec --name c-accept \
    --extra "{$(common_extra), \"token_gen_per_s\": $GEN_RATE}" -- "$BIN/c_accept" -k "$KEYTAB" -f "$d/tokens" -d "$DURATION") \
    || die "c-accept failed"
  rm -f "$d/tokens" "$d/warm"
  emit "$res"
}

log "host: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg), $(host_busy) cores busy before the run; busiest processes:"
ps -eo pid,ni,pcpu,etime,comm --sort=-pcpu | head -6 >&2
for s in ${SERVERS//,/ }; do
  idle_wait
  case $s in
    apache)
      start_apache; log "apache (pid $SRV_PID) on 127.0.0.1:$SRV_PORT"
      measure_server apache "$SRV_PID" "$SRV_PORT"
      stop_pid "$SRV_PID"; forget_pid "$SRV_PID" ;;
    spawn-blocking|inline|threads:*)
      start_rust "$s"; log "rust --offload $s (pid $SRV_PID) on 127.0.0.1:$SRV_PORT"
      measure_server "rust/$s" "$SRV_PID" "$SRV_PORT"
      stop_pid "$SRV_PID"; forget_pid "$SRV_PID" ;;
    c-accept) measure_c_accept ;;
    *) die "unknown server $s" ;;
  esac
done
log "$(host_busy) cores busy after the run; busiest processes:"
ps -eo pid,ni,pcpu,etime,comm --sort=-pcpu | head -6 >&2

# --- summary: the table and the issue's two ratios ----------------------------------------------
python3 "$H/summary.py" "$RESULTS" >&2
python3 "$H/summary.py" --json "$RESULTS" >> "$OUT"
log "results appended to $OUT (run $RUN_ID)"
