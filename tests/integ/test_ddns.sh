#!/bin/bash
# DDNS end to end: ternd -> Debian's kea-dhcp-ddns -> Knot DNS, all in one
# namespace on 127.0.0.1, real clients on a link. A client with an FQDN
# (udhcpc -F) and one with a host name (option 12) get leases: their A,
# PTR and DHCID records appear; after they release, the records are gone.
# A third asks for a 3-second lease and goes away: at expiry its name goes.
# Waits on the DNS (bounded polls), never a fixed sleep.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/ternd_lib.sh"
tt_init
require_root
require_cmd udhcpc kea-dhcp-ddns knotd kdig sqlite3
require_file "$TERND"

D2_PORT=53001
DNS_PORT=5300
ZONE=example.org
RZONE=0.70.10.in-addr.arpa

netns_add srv
for c in c1 c2 c3; do
	netns_add "$c"
	veth_pair srv "p-$c" "$c" eth0
done
bridge_add srv br0 p-c1 p-c2 p-c3
addr_add srv br0 10.70.0.1/24
ip -n "$(ns c1)" link set eth0 address 02:70:00:00:00:01
ip -n "$(ns c2)" link set eth0 address 02:70:00:00:00:02
ip -n "$(ns c3)" link set eth0 address 02:70:00:00:00:03

# ---- Knot DNS: two zones, updates from 127.0.0.1 without TSIG ---------------
K="$TT_DIR/knot"
mkdir -p "$K"
for z in "$ZONE" "$RZONE"; do
	cat >"$K/$z.zone" <<ZONEFILE
\$ORIGIN $z.
\$TTL 300
@ SOA ns.$ZONE. hostmaster.$ZONE. 1 3600 600 86400 300
@ NS ns.$ZONE.
ZONEFILE
done
echo "ns A 127.0.0.1" >>"$K/$ZONE.zone"
cat >"$K/knot.conf" <<CONF
server:
    rundir: "$K"
    listen: 127.0.0.1@$DNS_PORT
database:
    storage: "$K"
log:
  - target: stderr
    any: info
acl:
  - id: local-update
    address: 127.0.0.1
    action: update
template:
  - id: default
    storage: "$K"
    acl: local-update
    zonefile-sync: -1
    zonefile-load: whole
    journal-content: changes
zone:
  - domain: $ZONE
  - domain: $RZONE
CONF
start_bg knotd ip netns exec "$(ns srv)" knotd -c "$K/knot.conf"
dns() { ip netns exec "$(ns srv)" kdig @127.0.0.1 -p "$DNS_PORT" +short +time=1 +retry=0 "$@"; }
wait_for 10 eval "[ -n \"\$(dns ns.$ZONE A)\" ]" ||
	fail "knotd did not answer: $(tail -5 "$(bg_log knotd)")"

# ---- kea-dhcp-ddns ------------------------------------------------------------
cat >"$TT_DIR/d2.json" <<JSON
{"DhcpDdns": {
  "ip-address": "127.0.0.1", "port": $D2_PORT, "dns-server-timeout": 1000,
  "forward-ddns": {"ddns-domains": [{"name": "$ZONE.",
    "dns-servers": [{"ip-address": "127.0.0.1", "port": $DNS_PORT}]}]},
  "reverse-ddns": {"ddns-domains": [{"name": "$RZONE.",
    "dns-servers": [{"ip-address": "127.0.0.1", "port": $DNS_PORT}]}]},
  "loggers": [{"name": "kea-dhcp-ddns", "severity": "INFO",
               "output_options": [{"output": "stdout"}]}]
}}
JSON
start_bg d2 ip netns exec "$(ns srv)" env KEA_PIDFILE_DIR="$TT_DIR" \
	KEA_LOCKFILE_DIR=none kea-dhcp-ddns -c "$TT_DIR/d2.json"
wait_file_contains 10 "$(bg_log d2)" DHCP_DDNS_STARTED ||
	fail "kea-dhcp-ddns did not start: $(tail -5 "$(bg_log d2)")"

# ---- ternd ----------------------------------------------------------------------
db="$TT_DIR/leases.sqlite"
cat >"$TT_DIR/ternd.json" <<JSON
{"Dhcp4": {
  "interfaces-config": {"interfaces": ["br0"]},
  "lease-database": {"type": "sqlite", "name": "$db"},
  "valid-lifetime": 3600, "min-valid-lifetime": 2,
  "dhcp-ddns": {"enable-updates": true, "server-ip": "127.0.0.1",
                "server-port": $D2_PORT},
  "ddns-qualifying-suffix": "$ZONE.",
  "subnet4": [{"id": 1, "subnet": "10.70.0.0/24",
               "pools": [{"pool": "10.70.0.100 - 10.70.0.150"}]}]
}}
JSON
"$TERND" -t "$TT_DIR/ternd.json" >/dev/null || fail "config check"
ternd_start srv "$TT_DIR/ternd.json"

# c1: an FQDN (option 81, S set); c2: a host name (option 12).
udhcpc_start c1 eth0 -F laptop
udhcpc_start c2 eth0 -x hostname:Desk-PC
for c in c1 c2; do
	wait_file_contains 15 "$(rec_dir $c eth0 udhcpc)/events" '^bound$' ||
		fail "udhcpc $c not bound"
done
ip1=$(rec_get c1 eth0 udhcpc ip)
ip2=$(rec_get c2 eth0 udhcpc ip)
log "c1 laptop has $ip1, c2 desk-pc has $ip2"
[ "$(lease_field "$db" "$ip1" hostname)" = "laptop.$ZONE." ] ||
	fail "c1's lease name: $(lease_field "$db" "$ip1" hostname)"
[ "$(sqlite3 "$db" "SELECT fqdn_fwd, fqdn_rev FROM lease4 WHERE hostname = 'laptop.$ZONE.'")" = "1|1" ] ||
	fail "c1's DDNS directions not stored"

ptr() { echo "$1" | awk -F. '{print $4"."$3"."$2"."$1".in-addr.arpa"}'; }
for pair in "laptop:$ip1" "desk-pc:$ip2"; do
	h=${pair%%:*} ip=${pair#*:}
	wait_for 15 eval "[ \"\$(dns $h.$ZONE A)\" = '$ip' ]" ||
		fail "no A record $h.$ZONE -> $ip: '$(dns "$h.$ZONE" A)'; d2: $(grep -E 'ERROR|WARN' "$(bg_log d2)" | tail -3)"
	wait_for 15 eval "[ \"\$(dns $(ptr "$ip") PTR)\" = '$h.$ZONE.' ]" ||
		fail "no PTR record for $ip: '$(dns "$(ptr "$ip")" PTR)'"
	[ -n "$(dns "$h.$ZONE" DHCID)" ] || fail "no DHCID record at $h.$ZONE"
	log "DNS has $h.$ZONE A $ip, its PTR and DHCID"
done

# Release (SIGUSR2): the names go. udhcpc unicasts its RELEASE from its
# address, which the recording script does not configure: done here.
ip -n "$(ns c1)" addr add "$ip1/24" dev eth0
ip -n "$(ns c2)" addr add "$ip2/24" dev eth0
for c in c1 c2; do
	kill -USR2 "$(bg_pid udhcpc-$c-eth0)"
done
for pair in "laptop:$ip1" "desk-pc:$ip2"; do
	h=${pair%%:*} ip=${pair#*:}
	wait_for 15 eval "[ -z \"\$(dns $h.$ZONE A)\" ] && [ -z \"\$(dns $(ptr "$ip") PTR)\" ]" ||
		fail "$h's records stay after release: A '$(dns "$h.$ZONE" A)' PTR '$(dns "$(ptr "$ip")" PTR)'"
	[ -z "$(dns "$h.$ZONE" DHCID)" ] || fail "$h's DHCID stays"
	log "released: $h.$ZONE is gone from DNS"
done
ternd_stats >/dev/null
grep -q 'ddns requests queued 4 sent 4' <<<"$(grep 'ddns requests' "$(bg_log ternd)" | tail -1)" ||
	fail "ternd's DDNS counters: $(grep 'ddns requests' "$(bg_log ternd)" | tail -1)"

# Expiry: c3 asks for 3 s (option 51) and leaves without a RELEASE.
udhcpc_start c3 eth0 -F shortlived -x lease:3
wait_file_contains 15 "$(rec_dir c3 eth0 udhcpc)/events" '^bound$' || fail "udhcpc c3 not bound"
stop_bg udhcpc-c3-eth0
ip3=$(rec_get c3 eth0 udhcpc ip)
[ "$(rec_get c3 eth0 udhcpc lease)" = 3 ] || fail "c3's lease time: $(rec_get c3 eth0 udhcpc lease)"
wait_for 15 eval "[ \"\$(dns shortlived.$ZONE A)\" = '$ip3' ]" || fail "no A record for shortlived"
wait_for 20 eval "[ -z \"\$(dns shortlived.$ZONE A)\" ] && [ -z \"\$(dns $(ptr "$ip3") PTR)\" ]" ||
	fail "shortlived's records stay after its lease expired"
[ "$(lease_state "$db" "$ip3")" = expired ] || fail "c3's lease is $(lease_state "$db" "$ip3")"
log "expired: shortlived.$ZONE is gone from DNS"
ternd_stats >/dev/null
grep -q 'ddns requests queued 6 sent 6' <<<"$(grep 'ddns requests' "$(bg_log ternd)" | tail -1)" ||
	fail "ternd's DDNS counters: $(grep 'ddns requests' "$(bg_log ternd)" | tail -1)"
log "PASS: ternd -> kea-dhcp-ddns -> knotd: names added on ACK, removed on release and expiry"
