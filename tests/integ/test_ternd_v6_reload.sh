#!/bin/bash
# DHCPv6 reconfiguration under load (issue 12): perfdhcp -6 (addresses and
# prefixes) runs at a steady, bounded rate while ternd's Dhcp6
# configuration is swapped every 200 ms, by config-reload, config-set (a
# changed option, an added subnet and interface) and SIGHUP in turn; bad
# configurations (a loader error, a missing interface, a moved lease file,
# a Dhcp4 file) are refused with the server unchanged. Afterwards:
# perfdhcp saw no drop, every binding a REPLY gave is in the store, every
# REPLY carried the same server DUID, and ternd serves the last good
# configuration.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/ternd_lib.sh"
. "$(dirname "$0")/ternd_ctl_lib.sh"
tt_init
require_root
require_cmd perfdhcp sqlite3 tcpdump python3
TERNCTL="${TERN_BUILD:-build}/src/ctl/ternctl"
require_file "$TERND" "$TERNCTL"

v6_link srv v6s cli v6c
# An interface config-set adds and removes while v6s serves.
ip -n "$(ns srv)" link add dummy0 type veth peer name dummy1 || fail "dummy0"
link_up srv dummy1
link_up srv dummy0

db="$TT_DIR/store/leases6.sqlite"
sock="$TT_DIR/ctl6.sock"
cfg="$TT_DIR/ternd6.json"

# conf DNS [EXTRA [IFACES]]: the configuration with dns-servers = DNS, a
# second subnet, other interfaces.
conf() {
	local extra="" ifaces=${3:-'"v6s"'}
	[ -n "${2:-}" ] && extra=', {"id": 2, "subnet": "2001:db8:2::/64",
	  "pools": [{"pool": "2001:db8:2::100-2001:db8:2::1ff"}]}'
	cat <<JSON
{"Dhcp6": {
  "interfaces-config": {"interfaces": [$ifaces]},
  "lease-database": {"type": "memfile", "name": "$TT_DIR/store/leases6.csv"},
  "control-socket": {"socket-type": "unix", "socket-name": "$sock"},
  "hooks-libraries": [{"library": "/usr/lib/x86_64-linux-gnu/kea/hooks/libdhcp_lease_cmds.so"}],
  "preferred-lifetime": 3000, "valid-lifetime": 4000,
  "subnet6": [{"id": 1, "subnet": "2001:db8:1::/64", "interface": "v6s",
    "pools": [{"pool": "2001:db8:1::100-2001:db8:1::ffff"}],
    "pd-pools": [{"prefix": "2001:db8:8000::", "prefix-len": 40,
                  "delegated-len": 56}],
    "option-data": [{"name": "dns-servers", "data": "$1"}]}$extra]
}}
JSON
}
ctl() { ctl_raw "$sock" "$1"; }
# set_req DNS [IFACES]: a config-set request for conf DNS with subnet 2.
set_req() { printf '{"command": "config-set", "arguments": %s}' "$(conf "$1" extra "${2:-}")"; }
joined() { ip netns exec "$(ns srv)" ip -6 maddr show dev "$1" | grep -q 'ff02::1:2'; }

conf 2001:db8::53 >"$cfg"
"$TERND" -t "$cfg" >/dev/null || fail "config check"
start_bg ternd ip netns exec "$(ns srv)" "$TERND" -d -c "$cfg"
tlog=$(bg_log ternd)
wait_file_contains 10 "$tlog" 'serving DHCPv6' || fail "ternd did not start: $(tail -5 "$tlog")"
duid0=$(sqlite3 "$db" "SELECT value FROM meta WHERE key = 'server-duid6'" 2>/dev/null) || true

start_bg cap ip netns exec "$(ns srv)" tcpdump -i v6s -n -U --immediate-mode -B 8192 \
	-w "$TT_DIR/cap.pcap" udp src port 547
wait_file_contains 10 "$(bg_log cap)" 'listening on' || fail "tcpdump did not start"

# 200 exchanges/s among 1000 clients for 14 s (the loop below runs ~11 s);
# -W: wait 1 s for the last replies.
start_bg perf ip netns exec "$(ns cli)" timeout 60 perfdhcp -6 -l v6c \
	-e address-and-prefix -r 200 -R 1000 -p 14 -W 1000000

good=2001:db8::53
ok=0
bad_seen=0
for i in $(seq 1 45); do
	case $((i % 3)) in
	0)
		good="2001:db8::$i"
		conf "$good" >"$cfg"
		"$TERNCTL" reload -s "$sock" >"$TT_DIR/out" 2>&1 ||
			fail "ternctl reload $i: $(cat "$TT_DIR/out")"
		grep -qx 'Configuration successful.' "$TT_DIR/out" ||
			fail "reload $i answered: $(cat "$TT_DIR/out")"
		;;
	1)
		# Every other config-set listens on dummy0 too: joined and left.
		good="2001:db8::$i"
		ifs='"v6s"'
		[ $((i % 2)) = 1 ] && ifs='"v6s", "dummy0"'
		ans=$(ctl "$(set_req "$good" "$ifs")")
		[ "$ans" = '{ "result": 0, "text": "Configuration successful." }' ] ||
			fail "config-set $i answered: $ans"
		if [ $((i % 2)) = 1 ]; then
			joined dummy0 || fail "ff02::1:2 not joined on dummy0 after config-set $i"
		else
			joined dummy0 && fail "ff02::1:2 still joined on dummy0 after config-set $i"
		fi
		joined v6s || fail "ff02::1:2 left on v6s after config-set $i"
		;;
	2)
		good="2001:db8::$i"
		conf "$good" >"$cfg"
		before=$(grep -c 'SIGHUP: new configuration in use' "$tlog")
		kill -HUP "$(bg_pid ternd)"
		wait_for 5 eval "[ \$(grep -c 'SIGHUP: new configuration in use' '$tlog') -gt $before ]" ||
			fail "SIGHUP $i not applied: $(tail -3 "$tlog")"
		;;
	esac
	ok=$((ok + 1))
	if [ "$i" = 20 ]; then
		ans=$(ctl '{"command": "config-set", "arguments": {"Dhcp6": {
"subnet6": [{"id": 1, "subnet": "bogus"}]}}}')
		echo "$ans" | grep -q '"result": 1, "text": "config-set:2:33: error: ' ||
			fail "bad config-set answered: $ans"
		ans=$(ctl "$(set_req 2001:db8::bad '"nosuch0"')")
		echo "$ans" | grep -q '"result": 1, "text": "cannot listen on the interfaces of interfaces-config: an interface named does not exist"' ||
			fail "config-set with a missing interface answered: $ans"
		ans=$(ctl "$(set_req 2001:db8::bad | sed "s|leases6.csv|other6.csv|")")
		echo "$ans" | grep -q '"result": 1, "text": "lease-database cannot change' ||
			fail "config-set moving the lease file answered: $ans"
		ans=$(ctl '{"command": "config-set", "arguments": {"Dhcp4": {}}}')
		[ "$ans" = '{ "result": 1, "text": "Missing mandatory '"'"'Dhcp6'"'"' parameter." }' ] ||
			fail "config-set of a Dhcp4 map answered: $ans"
		# A family switch through the file: refused, the file kept aside.
		cp "$cfg" "$TT_DIR/good.json"
		printf '{"Dhcp4": {"interfaces-config": {"interfaces": ["v6s"]},
  "lease-database": {"type": "memfile", "name": "%s/store/leases6.csv"},
  "subnet4": [{"id": 1, "subnet": "10.0.0.0/24"}]}}' "$TT_DIR" >"$cfg"
		ans=$(ctl '{"command": "config-reload"}')
		echo "$ans" | grep -q '"result": 1, "text": "Config reload failed: a Dhcp4 configuration cannot replace a Dhcp6 one' ||
			fail "config-reload of a Dhcp4 file answered: $ans"
		kill -HUP "$(bg_pid ternd)"
		wait_file_contains 5 "$tlog" 'SIGHUP failed, the running configuration is unchanged: a Dhcp4' ||
			fail "SIGHUP with a Dhcp4 file: $(tail -3 "$tlog")"
		cp "$TT_DIR/good.json" "$cfg"
		a=$(ctl '{"command": "config-get"}')
		[ "$(json_get "$a" arguments Dhcp6 subnet6 0 option-data 0 data)" = "$good" ] ||
			fail "after the refused configurations config-get shows: $a"
		bad_seen=1
		log "bad configurations refused; $good still in use"
	fi
	sleep 0.2 # the pace of the reconfigurations, not a wait for anything
done
[ "$bad_seen" = 1 ] || fail "bad configurations not tried"
good=2001:db8::99
ans=$(ctl "$(set_req "$good")")
[ "$ans" = '{ "result": 0, "text": "Configuration successful." }' ] || fail "final config-set: $ans"
joined dummy0 && fail "ff02::1:2 still joined on dummy0"

wait_bg perf 40 || true
out=$(bg_log perf)
read -r sent1 recv1 sent2 recv2 < <(awk '
	/Statistics for: SOLICIT-ADVERTISE/ {s = 1} /Statistics for: REQUEST-REPLY/ {s = 2}
	/sent packets:/ {sent[s] = $3} /received packets:/ {recv[s] = $3}
	END {print sent[1], recv[1], sent[2], recv[2]}' "$out")
log "SOLICIT $sent1 -> ADVERTISE $recv1; REQUEST $sent2 -> REPLY $recv2; $ok reconfigurations"
[ "${sent1:-0}" -ge 2000 ] || fail "perfdhcp sent only ${sent1:-0} SOLICITs: $(tail -20 "$out")"
[ "$recv1" = "$sent1" ] || fail "ADVERTISEs dropped: $recv1 of $sent1"
[ "$recv2" = "$sent2" ] || fail "REPLYs dropped: $recv2 of $sent2"
# For the record (not asserted): what the reconfigurations cost.
log "longest pause: $(grep -o 'reconfiguration: [0-9]* DHCPv6 bindings moved; packets waited [0-9.]* ms ([0-9.]* ms' "$tlog" | sort -t'(' -k2 -n | tail -n 1)"
n=$(grep -c 'new configuration in use' "$tlog")
[ "$n" -ge 46 ] || fail "only $n reconfigurations logged"

# tcpdump writes what it has read: give it until the file stops growing.
last=-1
for _ in $(seq 50); do
	cur=$(stat -c %s "$TT_DIR/cap.pcap")
	[ "$cur" = "$last" ] && break
	last=$cur
	sleep 0.2
done
stop_bg cap
grep -qx '0 packets dropped by kernel' "$(bg_log cap)" ||
	fail "tcpdump lost packets: $(cat "$(bg_log cap)")"

# Every binding a REPLY gave is a row of the store.
python3 "$(dirname "$0")/reply6_bindings.py" "$TT_DIR/cap.pcap" | sort -u >"$TT_DIR/replied"
sqlite3 "$db" "SELECT CASE type WHEN 0 THEN 'na ' ELSE 'pd ' END ||
	lower(hex(address)) || '/' || prefix_len FROM lease6 WHERE state = 0;" >"$TT_DIR/rows.hex"
python3 - "$TT_DIR/rows.hex" >"$TT_DIR/rows" <<'PY'
import ipaddress, sys
for line in open(sys.argv[1]):
    kind, rest = line.split()
    h, plen = rest.split("/")
    a = ipaddress.IPv6Address(bytes.fromhex(h))
    print("na %s" % a if kind == "na" else "pd %s/%s" % (a, plen))
PY
sort -u -o "$TT_DIR/rows" "$TT_DIR/rows"
na=$(grep -c '^na ' "$TT_DIR/replied") || true
pd=$(grep -c '^pd ' "$TT_DIR/replied") || true
log "REPLYs gave $na addresses and $pd prefixes; lease6 has $(wc -l <"$TT_DIR/rows") bound rows"
[ "$na" -ge 500 ] && [ "$pd" -ge 500 ] || fail "too few REPLYs captured ($na, $pd)"
missing=$(comm -23 "$TT_DIR/replied" "$TT_DIR/rows")
[ -z "$missing" ] ||
	fail "$(echo "$missing" | wc -l) REPLYed bindings not bound in the store: $(echo "$missing" | head -5)"

# One server DUID in every ADVERTISE and REPLY, the stored one.
python3 - "$TT_DIR/cap.pcap" >"$TT_DIR/duids" <<'PY'
import struct, sys
data = open(sys.argv[1], "rb").read()
endian = "<" if struct.unpack_from("<I", data, 0)[0] in (0xA1B2C3D4, 0xA1B23C4D) else ">"
link = struct.unpack_from(endian + "I", data, 20)[0]
off, seen = 24, set()
while off + 16 <= len(data):
    incl = struct.unpack_from(endian + "I", data, off + 8)[0]
    f = data[off + 16:off + 16 + incl]
    off += 16 + incl
    l3 = f[14:] if link == 1 else f[16:]
    if len(l3) < 52 or l3[6] != 17:
        continue
    m = l3[48:]
    i = 4
    while i + 4 <= len(m):
        code, ln = struct.unpack_from("!HH", m, i)
        if code == 2:
            seen.add(m[i + 4:i + 4 + ln].hex())
        i += 4 + ln
for d in sorted(seen):
    print(d)
PY
[ "$(wc -l <"$TT_DIR/duids")" = 1 ] || fail "server DUIDs seen: $(cat "$TT_DIR/duids")"
[ -n "$duid0" ] && [ "$(cat "$TT_DIR/duids")" = "$duid0" ] ||
	fail "the REPLYs' DUID $(cat "$TT_DIR/duids") is not the stored $duid0"

# Alive, serving the last good configuration, every binding in the table.
kill -0 "$(bg_pid ternd)" || fail "ternd died"
a=$(ctl '{"command": "config-get"}')
[ "$(json_get "$a" arguments Dhcp6 subnet6 0 option-data 0 data)" = "$good" ] || fail "config-get: $a"
# The bindings carried into each new engine: the statistics count the
# store's rows (the new subnet 1's own counts, rebuilt at every swap).
stat() { json_get "$(ctl '{"command": "statistic-get", "arguments": {"name": "'"$1"'"}}')" arguments "$1" 0 0; }
na=$(sqlite3 "$db" "SELECT count(*) FROM lease6 WHERE type = 0 AND state = 0")
pd=$(sqlite3 "$db" "SELECT count(*) FROM lease6 WHERE type = 2 AND state = 0")
[ "$(stat 'subnet[1].assigned-nas')" = "$na" ] && [ "$(stat 'subnet[1].assigned-pds')" = "$pd" ] ||
	fail "assigned-nas/-pds $(stat 'subnet[1].assigned-nas')/$(stat 'subnet[1].assigned-pds'), store rows $na/$pd"
[ "$(stat 'cumulative-assigned-nas')" = "$na" ] ||
	fail "cumulative-assigned-nas $(stat cumulative-assigned-nas) after the reconfigurations, $na bindings made"
# lease6-get-all answers from the engine serving now (not the first one).
a=$(ctl '{"command": "lease6-get-all"}')
n=$(printf '%s' "$a" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["arguments"]["leases"]))') ||
	fail "lease6-get-all: $(printf '%s' "$a" | head -c 300)"
[ "$n" = $((na + pd)) ] || fail "lease6-get-all lists $n bindings after the reconfigurations, store rows $((na + pd))"
a=$(ctl '{"command": "statistic-get", "arguments": {"name": "subnet[2].total-nas"}}')
[ "$(json_get "$a" arguments 'subnet[2].total-nas' 0 0)" = 256 ] || fail "subnet 2's statistics: $a"
log "no drop over $ok reconfigurations; every REPLYed binding bound in the store; one server DUID"

# dhcp-disable: queries are read and dropped until dhcp-enable.
adv() {
	run_bounded 30 "$1" ip netns exec "$(ns cli)" perfdhcp -6 -l v6c -R 5 -r 5 -n 5 -W 1000000 || true
	awk '/Statistics for: SOLICIT-ADVERTISE/ {s = 1} s && /received packets:/ {print $3; exit}' "$(bg_log "$1")"
}
a=$(ctl '{"command": "dhcp-disable"}')
[ "$a" = '{ "result": 0, "text": "DHCPv6 service disabled" }' ] || fail "dhcp-disable: $a"
[ "$(adv perf-off)" = 0 ] || fail "answered while disabled: $(tail -5 "$(bg_log perf-off)")"
a=$(ctl '{"command": "dhcp-enable"}')
[ "$(json_get "$a" result)" = 0 ] || fail "dhcp-enable: $a"
[ "$(adv perf-on)" -ge 1 ] || fail "not answered after dhcp-enable: $(tail -5 "$(bg_log perf-on)")"
log "dhcp-disable drops queries, dhcp-enable serves again"
log "PASS"
