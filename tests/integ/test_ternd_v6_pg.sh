#!/bin/bash
# Two DHCPv6 ternd servers on one PostgreSQL lease database (issue 13),
# each on its own link with the same subnet and pools, both under
# perfdhcp -6 (IA_NA and IA_PD) at once: every binding a captured REPLY
# gave is its client's row, no address or prefix went to two clients, and
# the races were real (lost ones logged, their REPLYs never sent). Then
# one server is killed with SIGKILL and its clients, moved to the other's
# link, REBIND there (their RENEWs name the dead server, which the other
# must ignore, RFC 8415 §16.6): the other server extends the same
# bindings, rows of the same clients. Last, the same load twice on an
# emptied table, without and with server-index 0/1: the REQUESTs left
# unanswered (lost races) drop, and no binding goes twice.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/ternd_lib.sh"
. "$(dirname "$0")/pg_lib.sh"
. "$(dirname "$0")/ternd_ctl_lib.sh"
tt_init
require_root
require_cmd perfdhcp tcpdump python3
require_file "$TERND"
here=$(dirname "$0")

pg_init
pg_run pg
psql -X -q -h "$PG_SOCK" -p "$PG_PORT" -U postgres -c "CREATE DATABASE leases"
for i in 1 2; do
	netns_add "srv$i"
	netns_add "cli$i"
	veth_pair "srv$i" v6s "cli$i" v6c
	for n in "srv$i" "cli$i"; do
		nsx "$n" sysctl -qw net.ipv6.conf.all.accept_dad=0 \
			net.ipv6.conf.default.accept_dad=0 || fail "sysctl"
	done
	nsx "srv$i" sysctl -qw net.ipv6.conf.v6s.accept_dad=0 || fail "sysctl"
	nsx "cli$i" sysctl -qw net.ipv6.conf.v6c.accept_dad=0 || fail "sysctl"
	link_down "srv$i" v6s
	link_down "cli$i" v6c
	link_up "srv$i" v6s
	link_up "cli$i" v6c
	ip -n "$(ns "srv$i")" -6 addr add 2001:db8:1::1/64 dev v6s nodad || fail "addr"
	wait_for 10 eval "ip -n $(ns "cli$i") -6 addr show dev v6c scope link | grep -q fe80" ||
		fail "no link-local address on cli$i"
done

for i in 1 2; do
	cat >"$TT_DIR/ternd$i.json" <<JSON
{"Dhcp6": {
  "interfaces-config": {"interfaces": ["v6s"]},
  "control-socket": {"socket-type": "unix", "socket-name": "$TT_DIR/ctl$i.sock"},
  "hooks-libraries": [{"library": "/usr/lib/x86_64-linux-gnu/kea/hooks/libdhcp_lease_cmds.so"}],
  "lease-database": {"type": "postgresql", "name": "leases",
    "host": "$PG_SOCK", "port": $PG_PORT, "user": "postgres",
    "connect-timeout": 2, "max-reconnect-tries": 40,
    "reconnect-wait-time": 250, "on-fail": "stop-retry-exit"},
  "preferred-lifetime": 3000, "valid-lifetime": 4000,
  "subnet6": [{"id": 1, "subnet": "2001:db8:1::/64", "interface": "v6s",
    "pools": [{"pool": "2001:db8:1::1:0/119"}],
    "pd-pools": [{"prefix": "2001:db8:8000::", "prefix-len": 47,
                  "delegated-len": 56}]}]
}}
JSON
	start_bg "ternd$i" ip netns exec "$(ns "srv$i")" "$TERND" -d -c "$TT_DIR/ternd$i.json"
	wait_file_contains 10 "$(bg_log "ternd$i")" 'serving DHCPv6' ||
		fail "ternd$i did not start: $(tail -5 "$(bg_log "ternd$i")")"
	start_bg "cap$i" ip netns exec "$(ns "srv$i")" tcpdump -i v6s -n -U \
		--immediate-mode -B 8192 -w "$TT_DIR/cap$i.pcap" udp src port 547
	wait_file_contains 10 "$(bg_log "cap$i")" 'listening on' ||
		fail "tcpdump did not start"
done
[ "$(pg_sql 'SELECT version FROM ternd_schema')" = 2 ] || fail "no schema"
# Each server keeps its own DUID in the shared meta table.
[ "$(pg_sql "SELECT count(*) FROM ternd_meta WHERE key LIKE 'server-duid6@%'")" = 2 ] ||
	fail "servers do not keep a DUID each: $(pg_sql 'SELECT * FROM ternd_meta')"

# 200 exchanges/s at each server for 4 s, each an address and a prefix,
# more clients than the pools hold (512 of each): the servers, which know
# nothing of each other's bindings but what the database tells them, meet
# on the same rows.
for i in 1 2; do
	start_bg "perf$i" ip netns exec "$(ns "cli$i")" timeout 60 perfdhcp -6 \
		-l v6c -e address-and-prefix -r 200 -p 4 -R 100000 \
		-b "mac=00:0c:0$i:00:00:00"
done
wait_bg perf1 60 || true
wait_bg perf2 60 || true
# tcpdump writes what it has read: until the files stop growing.
size() { cat "$TT_DIR/cap1.pcap" "$TT_DIR/cap2.pcap" | wc -c; }
last=-1
for _ in $(seq 50); do
	cur=$(size)
	[ "$cur" = "$last" ] && break
	last=$cur
	sleep 0.2
done
stop_bg cap1
stop_bg cap2
for i in 1 2; do
	python3 "$here/rebind6.py" list "$TT_DIR/cap$i.pcap" | sort -u >"$TT_DIR/replied$i"
	log "server $i: $(wc -l <"$TT_DIR/replied$i") bindings REPLYed; $(grep -E 'Rate|sent packets|received packets' "$(bg_log "perf$i")" | tr '\n' ' ' | cut -c1-200)"
done
sort -u "$TT_DIR/replied1" "$TT_DIR/replied2" >"$TT_DIR/replied"
n=$(wc -l <"$TT_DIR/replied")
[ "$n" -ge 500 ] || fail "only $n bindings REPLYed in all"
dup=$(awk '{print $1, $2}' "$TT_DIR/replied" | sort | uniq -d | head -5)
[ -z "$dup" ] || fail "given to two clients: $dup"
pg_sql "SELECT CASE type WHEN 'IA_NA' THEN 'na ' || host(address)
	ELSE 'pd ' || address::text END || ' ' || replace(duid, ':', '') ||
	' ' || iaid FROM ternd_lease6_readable WHERE state = 'bound'" |
	sort -u >"$TT_DIR/rows"
missing=$(comm -23 "$TT_DIR/replied" "$TT_DIR/rows" | head -5)
[ -z "$missing" ] || fail "REPLYed but not its client's row: $missing"
log "$n bindings REPLYed by the two servers, each its client's row, none twice"
lost=$(cat "$(bg_log ternd1)" "$(bg_log ternd2)" | grep -c 'lost to other servers') || true
log "lost-race reports in the logs: $lost"
[ "$lost" -gt 0 ] || fail "no race was lost: the test did not test the guard"

# A server dies: the one that gave more (without a pool preference the
# server that falls behind loses most races, often all but a few). 40 of
# its clients' bindings (addresses and prefixes), moved to the other's
# link, are rebound there.
k=1 o=2
[ "$(wc -l <"$TT_DIR/replied2")" -gt "$(wc -l <"$TT_DIR/replied1")" ] && k=2 o=1
kill -KILL "$(bg_pid "ternd$k")"
wait_for 5 eval "! kill -0 $(bg_pid "ternd$k") 2>/dev/null" || fail "ternd$k survived SIGKILL"
{ grep '^na' "$TT_DIR/replied$k" | head -n 20; grep '^pd' "$TT_DIR/replied$k" | head -n 20; } >"$TT_DIR/moved"
m=$(wc -l <"$TT_DIR/moved")
[ "$m" -ge 20 ] || fail "server $k gave only $m bindings"
before=$(pg_sql "SELECT max(cltt) FROM ternd_lease6")
ip netns exec "$(ns "cli$o")" timeout 120 python3 "$here/rebind6.py" rebind v6c \
	<"$TT_DIR/moved" >"$TT_DIR/rebound"
ok=$(awk '$5 == 4000' "$TT_DIR/rebound" | wc -l)
log "$ok of $m of server $k's bindings rebound at server $o"
[ "$ok" = "$m" ] || fail "rebinds: $(awk '$5 != 4000' "$TT_DIR/rebound" | head -5)"
# Still the same clients' rows, written again by the other server.
while read -r kind addr duid iaid _; do
	if [ "$kind" = na ]; then cond="host(address) = '$addr' AND type = 0"
	else cond="set_masklen(address, prefix_len) = '$addr'::inet AND type = 2"; fi
	row=$(pg_sql "SELECT encode(duid, 'hex') || ' ' || iaid || ' ' ||
		(cltt >= $before) FROM ternd_lease6 WHERE $cond")
	[ "$row" = "$duid $iaid true" ] || fail "$kind $addr: row '$row', not $duid $iaid rebound"
done <"$TT_DIR/rebound"
# An operator's lease6-add at the survivor of an address another server's
# client holds and the survivor never saw (a row written behind its back,
# as a third server would): the database keeps the holder's row, the
# command says why, and the engine learns the holder.
addr=2001:db8:1::abcd
duid=000300010a0b0c0d0e0f
pg_sql "INSERT INTO ternd_lease6 VALUES (0, '$addr', 128, 0, '\\x$duid', 5, 1,
	3000, 4000, extract(epoch FROM now())::bigint,
	extract(epoch FROM now())::bigint + 4000, '')" >/dev/null
a=$(ctl_raw "$TT_DIR/ctl$o.sock" '{"command": "lease6-add", "arguments": {"ip-address": "'"$addr"'", "duid": "0a:0b:0c", "iaid": 7}}')
[ "$(json_get "$a" result)" = 1 ] || fail "lease6-add of a held address: $a"
echo "$a" | grep -q 'Address already in use' || fail "lease6-add: no clear error: $a"
row=$(pg_sql "SELECT encode(duid, 'hex') || ' ' || iaid FROM ternd_lease6 WHERE type = 0 AND host(address) = '$addr'")
[ "$row" = "$duid 5" ] || fail "$addr: row '$row' after a refused lease6-add, not $duid 5"
a=$(ctl_raw "$TT_DIR/ctl$o.sock" '{"command": "lease6-get", "arguments": {"ip-address": "'"$addr"'"}}')
[ "$(json_get "$a" arguments iaid)" = 5 ] || fail "the engine did not learn the holder: $a"
log "lease6-add of $addr at server $o refused: the row stays its client's"

# Pool preference (user-context.ternd server-index 0 and 1 of 2): the
# same load twice on an emptied table, both servers restarted, first
# without it, then with it. Lost races are never answered, so the
# REQUESTs perfdhcp sent and got no REPLY for count them: with the
# preference each server works its own half of each pool (200 clients
# each, 256 per half) and they are far fewer. No binding twice, either way.
stop_bg "ternd$o"
unanswered() { # perfdhcp -6 log: REQUESTs sent minus REPLYs received
	awk '/Statistics for: REQUEST-REPLY/ {s = 1} /Statistics for: SOLICIT/ {s = 0}
	s && /sent packets:/ {t = $3} s && /received packets:/ {r = $3}
	END {print t - r}' "$(bg_log "$1")"
}
# phase NAME PREFERENCE(0/1): sets out to the REQUESTs left unanswered
# (not in a subshell: stop_bg ends only the script's own children).
phase() {
	local name=$1 i uc dup
	out=0
	pg_sql "TRUNCATE ternd_lease6" >/dev/null
	for i in 1 2; do
		uc=""
		[ "$2" = 1 ] && uc=", \"user-context\": {\"ternd\": {\"server-index\": $((i - 1)), \"servers\": 2}}"
		sed -e '/"control-socket"/d' -e '/"hooks-libraries"/d' \
			-e "s|\"valid-lifetime\": 4000|\"valid-lifetime\": 4000$uc|" \
			"$TT_DIR/ternd$i.json" >"$TT_DIR/$name$i.json"
		start_bg "$name$i" ip netns exec "$(ns "srv$i")" "$TERND" -d -c "$TT_DIR/$name$i.json"
		wait_file_contains 10 "$(bg_log "$name$i")" 'serving DHCPv6' ||
			fail "$name$i did not start: $(tail -5 "$(bg_log "$name$i")")"
		start_bg "${name}cap$i" ip netns exec "$(ns "srv$i")" tcpdump -i v6s -n -U \
			--immediate-mode -B 8192 -w "$TT_DIR/${name}cap$i.pcap" udp src port 547
		wait_file_contains 10 "$(bg_log "${name}cap$i")" 'listening on' ||
			fail "tcpdump did not start"
	done
	for i in 1 2; do
		start_bg "${name}perf$i" ip netns exec "$(ns "cli$i")" timeout 60 perfdhcp -6 \
			-l v6c -e address-and-prefix -r 100 -p 2 -R 100000 \
			-b "mac=00:0d:0$i:00:00:00"
	done
	wait_bg "${name}perf1" 60 || true
	wait_bg "${name}perf2" 60 || true
	: >"$TT_DIR/$name.replied"
	for i in 1 2; do
		stop_bg "$name$i"
		stop_bg "${name}cap$i"
		out=$((out + $(unanswered "${name}perf$i")))
		python3 "$here/rebind6.py" list "$TT_DIR/${name}cap$i.pcap" | sort -u >>"$TT_DIR/$name.replied"
	done
	dup=$(awk '{print $1, $2}' "$TT_DIR/$name.replied" | sort | uniq -d | head -5)
	[ -z "$dup" ] || fail "$name: given to two clients: $dup"
	[ "$(wc -l <"$TT_DIR/$name.replied")" -ge 200 ] || fail "$name: few bindings REPLYed"
}
phase nopref 0
without=$out
phase pref 1
with=$out
log "REQUESTs left unanswered (lost races): $without without server-index, $with with it"
[ "$without" -gt 0 ] || fail "no race lost without a preference: the comparison tests nothing"
[ $((with * 4)) -lt "$without" ] || fail "server-index did not cut the lost races: $with vs $without"
log "PASS"
