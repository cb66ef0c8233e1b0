#!/usr/bin/env bash
# Make a throwaway MIT Kerberos realm BENCH.TEST in DIR (no KDC started: run.sh starts and stops it,
# so it owns the PID).
#
# usage: realm.sh DIR PORT
#
# Writes DIR/krb5.conf (KDC at 127.0.0.1:PORT), DIR/kdc.conf (listens on 127.0.0.1:PORT only),
# the database, DIR/client.keytab (bench@BENCH.TEST) and DIR/http.keytab (HTTP/localhost@BENCH.TEST,
# group www-data and 0640 so Apache's workers can read it), and DIR/env (KRB5_CONFIG,
# KRB5_KDC_PROFILE, KRB5CCNAME, KRB5_CLIENT_KTNAME) to source.
set -euo pipefail
[ $# -eq 2 ] || { echo "usage: $0 DIR PORT" >&2; exit 2; }
D=$(realpath -m "$1") PORT=$2 R=BENCH.TEST
mkdir -p "$D"
cat > "$D/krb5.conf" <<CONF
[libdefaults]
    default_realm = $R
    dns_lookup_kdc = false
    dns_lookup_realm = false
    rdns = false
    udp_preference_limit = 1
[realms]
    $R = {
        kdc = 127.0.0.1:$PORT
    }
[domain_realm]
    localhost = $R
CONF
cat > "$D/kdc.conf" <<CONF
[kdcdefaults]
    kdc_listen = 127.0.0.1:$PORT
    kdc_tcp_listen = 127.0.0.1:$PORT
[realms]
    $R = {
        database_name = $D/db
        key_stash_file = $D/stash
        acl_file = $D/kadm5.acl
        max_life = 12h
    }
[logging]
    kdc = FILE:$D/kdc.log
CONF
: > "$D/kadm5.acl"
export KRB5_CONFIG=$D/krb5.conf KRB5_KDC_PROFILE=$D/kdc.conf
kdb5_util create -s -r "$R" -P "bench-master-$RANDOM$RANDOM" >"$D/setup.log" 2>&1
for q in "addprinc -randkey bench" "addprinc -randkey HTTP/localhost" \
         "ktadd -k $D/client.keytab bench" "ktadd -k $D/http.keytab HTTP/localhost"; do
  kadmin.local -q "$q" >>"$D/setup.log" 2>&1
done
if getent group www-data >/dev/null; then chgrp www-data "$D/http.keytab"; fi
chmod 0640 "$D/http.keytab"
cat > "$D/env" <<ENV
export KRB5_CONFIG=$D/krb5.conf
export KRB5_KDC_PROFILE=$D/kdc.conf
export KRB5CCNAME=FILE:$D/ccache
export KRB5_CLIENT_KTNAME=FILE:$D/client.keytab
ENV
