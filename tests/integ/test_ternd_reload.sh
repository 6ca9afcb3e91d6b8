#!/bin/bash
# Reconfiguration under load: perfdhcp runs at a steady, bounded rate while
# ternd's configuration is swapped every 200 ms for 10 s, by config-reload
# (ternctl reload), config-set (a changed option value and an added subnet)
# and SIGHUP in turn; bad configurations sent in the middle are refused
# with the server unchanged. Afterwards: perfdhcp saw zero drops, every ACK
# on the wire is a bound lease of that client in the store, ternd is alive
# and a new client gets the last good configuration's option value.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/ternd_lib.sh"
tt_init
require_root
require_cmd perfdhcp sqlite3 tcpdump python3 udhcpc
TERNCTL="${TERN_BUILD:-build}/src/ctl/ternctl"
require_file "$TERND" "$TERNCTL"

netns_add srv
netns_add cli
netns_add c2
veth_pair srv p-cli cli eth0
veth_pair srv p-c2 c2 eth0
bridge_add srv br0 p-cli p-c2
addr_add srv br0 10.250.0.1/16
addr_add cli eth0 10.250.0.2/16
# An interface config-set adds and removes while br0 serves.
ip -n "$(ns srv)" link add dummy0 type veth peer name dummy1 || fail "dummy0"
link_up srv dummy1
addr_add srv dummy0 10.99.0.1/24
db="$TT_DIR/leases.sqlite"
sock="$TT_DIR/ctl.sock"
cfg="$TT_DIR/ternd.json"

# conf DOMAIN [EXTRA-SUBNET [IFACES]]: the configuration with option 15 =
# DOMAIN, a second subnet, other interfaces.
conf() {
	local extra="" ifaces=${3:-'"br0"'}
	[ -n "${2:-}" ] && extra=", {\"id\": 2, \"subnet\": \"10.251.0.0/24\",
	  \"pools\": [{\"pool\": \"10.251.0.10 - 10.251.0.200\"}]}"
	cat <<JSON
{"Dhcp4": {
  "interfaces-config": {"interfaces": [$ifaces]},
  "lease-database": {"type": "sqlite", "name": "$db"},
  "control-socket": {"socket-type": "unix", "socket-name": "$sock"},
  "valid-lifetime": 4000,
  "subnet4": [{"id": 1, "subnet": "10.250.0.0/16",
               "pools": [{"pool": "10.250.1.0 - 10.250.255.254"}],
               "option-data": [{"name": "domain-name", "data": "$1"}]}$extra]
}}
JSON
}

# ctl REQUEST-FILE: send one raw request, print the answer.
cat >"$TT_DIR/ctl.py" <<'PY'
import json, socket, sys
s = socket.socket(socket.AF_UNIX)
s.settimeout(10)
s.connect(sys.argv[1])
s.sendall(open(sys.argv[2], "rb").read())
s.shutdown(socket.SHUT_WR)
b = b""
while True:
    x = s.recv(65536)
    if not x:
        break
    b += x
print(b.decode())
PY
ctl() { python3 "$TT_DIR/ctl.py" "$sock" "$1"; }
# set_req DOMAIN [IFACES]: a config-set request file for conf DOMAIN with
# subnet 2.
set_req() {
	printf '{"command": "config-set", "arguments": %s}' \
		"$(conf "$1" extra "${2:-}")" >"$TT_DIR/req.json"
}
# dhcp_socket IF: whether ternd has its DHCP socket on IF.
dhcp_socket() { ip netns exec "$(ns srv)" ss -ulnH | grep -q "%$1:67 "; }

conf start.example >"$cfg"
"$TERND" -t "$cfg" >/dev/null || fail "config check"
ternd_start srv "$cfg"
tlog=$(bg_log ternd)

# Every reply to the relay, on the relay's side of the link.
start_bg tcpdump ip netns exec "$(ns cli)" tcpdump -i eth0 -n -U -s 0 \
	-B 8192 -w "$TT_DIR/replies.pcap" udp and src port 67
wait_file_contains 10 "$(bg_log tcpdump)" 'listening on' || fail "tcpdump"

# 200 exchanges/s among 1000 clients for 14 s (the loop below runs ~11 s);
# -W: wait 1 s for the last replies.
start_bg perfdhcp ip netns exec "$(ns cli)" perfdhcp -4 -l eth0 -r 200 \
	-R 1000 -p 14 -W 1000000 10.250.0.1

good=start.example
ok=0
bad_seen=0
for i in $(seq 1 50); do
	case $((i % 3)) in
	0)
		good="file-$i.example"
		conf "$good" >"$cfg"
		"$TERNCTL" reload -s "$sock" >"$TT_DIR/out" 2>&1 ||
			fail "ternctl reload $i: $(cat "$TT_DIR/out")"
		grep -qx 'Configuration successful.' "$TT_DIR/out" ||
			fail "reload $i answered: $(cat "$TT_DIR/out")"
		;;
	1)
		# Every other config-set serves dummy0 too: its socket is
		# opened and closed, br0's stays.
		good="set-$i.example"
		ifs='"br0"'
		[ $((i % 2)) = 1 ] && ifs='"br0", "dummy0"'
		set_req "$good" "$ifs"
		ans=$(ctl "$TT_DIR/req.json")
		[ "$ans" = '{ "result": 0, "text": "Configuration successful." }' ] ||
			fail "config-set $i answered: $ans"
		if [ $((i % 2)) = 1 ]; then
			dhcp_socket dummy0 || fail "no socket on dummy0 after config-set $i"
		else
			dhcp_socket dummy0 && fail "dummy0's socket left open after config-set $i"
		fi
		dhcp_socket br0 || fail "no socket on br0 after config-set $i"
		;;
	2)
		good="hup-$i.example"
		conf "$good" >"$cfg"
		before=$(grep -c 'SIGHUP: new configuration in use' "$tlog")
		kill -HUP "$(bg_pid ternd)"
		wait_for 5 eval "[ \$(grep -c 'SIGHUP: new configuration in use' '$tlog') -gt $before ]" ||
			fail "SIGHUP $i not applied: $(tail -3 "$tlog")"
		;;
	esac
	ok=$((ok + 1))
	if [ "$i" = 25 ]; then
		# A configuration the loader refuses (line:column of the
		# request), one whose interface does not exist (refused after
		# loading, when its sockets are opened), one that moves the
		# lease file: all refused, nothing changes.
		printf '{"command": "config-set", "arguments": {"Dhcp4": {\n"subnet4": [{"id": 1, "subnet": "bogus"}]}}}' >"$TT_DIR/bad.json"
		ans=$(ctl "$TT_DIR/bad.json")
		echo "$ans" | grep -q '"result": 1, "text": "config-set:2:33: error: \\"bogus\\" is not an IPv4 prefix' ||
			fail "bad config-set answered: $ans"
		conf "nope.example" | sed 's/"br0"/"nosuch0"/' >"$TT_DIR/badif.json"
		printf '{"command": "config-set", "arguments": %s}' "$(cat "$TT_DIR/badif.json")" >"$TT_DIR/bad2.json"
		ans=$(ctl "$TT_DIR/bad2.json")
		echo "$ans" | grep -q '"result": 1, "text": "cannot open the DHCP sockets of interfaces-config: No such device"' ||
			fail "config-set with a missing interface answered: $ans"
		conf "nope.example" | sed "s|$db|$db.other|" >"$TT_DIR/baddb.json"
		printf '{"command": "config-set", "arguments": %s}' "$(cat "$TT_DIR/baddb.json")" >"$TT_DIR/bad3.json"
		ans=$(ctl "$TT_DIR/bad3.json")
		echo "$ans" | grep -q '"result": 1, "text": "lease-database cannot change' ||
			fail "config-set moving the lease file answered: $ans"
		# A client now still gets the last good configuration.
		udhcpc_run c2 eth0 || fail "udhcpc after the bad config-set"
		d=$(rec_get c2 eth0 udhcpc domain)
		[ "$d" = "$good" ] || fail "after the refused configurations the domain is '$d', not '$good'"
		bad_seen=1
		log "bad configurations refused; a client still gets $good"
	fi
	sleep 0.2 # the pace of the reconfigurations, not a wait for anything
done
[ "$bad_seen" = 1 ] || fail "bad config-set not tried"

# The last configuration in use: a config-set; then perfdhcp ends.
good="final.example"
set_req "$good"
ans=$(ctl "$TT_DIR/req.json")
[ "$ans" = '{ "result": 0, "text": "Configuration successful." }' ] || fail "final config-set: $ans"
dhcp_socket dummy0 && fail "dummy0's socket left open"
wait_bg perfdhcp 30 || true
out=$(bg_log perfdhcp)
read -r sent1 recv1 sent2 recv2 < <(awk '
	/Statistics for: DISCOVER-OFFER/ {s = 1} /Statistics for: REQUEST-ACK/ {s = 2}
	/sent packets:/ {sent[s] = $3} /received packets:/ {recv[s] = $3}
	END {print sent[1], recv[1], sent[2], recv[2]}' "$out")
log "DISCOVER $sent1 -> OFFER $recv1; REQUEST $sent2 -> ACK $recv2; $ok reconfigurations"
[ "${sent1:-0}" -ge 2000 ] || fail "perfdhcp sent only ${sent1:-0} DISCOVERs: $(tail -20 "$out")"
[ "$recv1" = "$sent1" ] || fail "OFFERs dropped: $recv1 of $sent1"
[ "$recv2" = "$sent2" ] || fail "ACKs dropped: $recv2 of $sent2"
n=$(grep -c 'new configuration in use' "$tlog")
[ "$n" -ge 51 ] || fail "only $n reconfigurations logged"

# Every ACK on the wire is a bound lease of its client in the store.
stop_bg tcpdump
grep -qx '0 packets dropped by kernel' "$(bg_log tcpdump)" ||
	fail "tcpdump lost packets: $(cat "$(bg_log tcpdump)")"
python3 - "$TT_DIR/replies.pcap" "$db" "$recv2" <<'PY' || fail "ACKed leases missing from the store"
import sqlite3, struct, sys
pcap, db, want = sys.argv[1], sys.argv[2], int(sys.argv[3])
data = open(pcap, "rb").read()
link = struct.unpack("<I", data[20:24])[0]
off, acks = 24, {}
while off + 16 <= len(data):
    incl = struct.unpack("<I", data[off + 8:off + 12])[0]
    pkt = data[off + 16:off + 16 + incl]
    off += 16 + incl
    p = pkt[14:] if link == 1 else pkt[16:]  # Ethernet or Linux cooked
    ihl = (p[0] & 15) * 4
    b = p[ihl + 8:]
    yi = ".".join(str(x) for x in b[16:20])
    hw = ":".join("%02x" % x for x in b[28:28 + b[2]])
    o, mtype = 240, 0
    while o < len(b) and b[o] != 255:
        if b[o] == 0:
            o += 1
            continue
        if b[o] == 53:
            mtype = b[o + 2]
        o += 2 + b[o + 1]
    if mtype == 5:
        acks[yi] = hw
rows = {a: (h, s) for a, h, s in sqlite3.connect(db).execute(
    "SELECT address, hwaddr, state FROM lease4_readable")}
bad = [(a, h, rows.get(a)) for a, h in acks.items() if rows.get(a) != (h, "bound")]
print("ACKs on the wire: %d distinct leases, perfdhcp counted %d ACKs; %d not in the store"
      % (len(acks), want, len(bad)), file=sys.stderr)
for x in bad[:10]:
    print("missing:", x, file=sys.stderr)
sys.exit(1 if bad or not acks else 0)
PY

# Alive, and serving the last good configuration.
kill -0 "$(bg_pid ternd)" || fail "ternd died"
udhcpc_run c2 eth0 || fail "final udhcpc"
d=$(rec_get c2 eth0 udhcpc domain)
[ "$d" = "$good" ] || fail "final client got domain '$d', not '$good'"
log "zero drops over $ok reconfigurations; every ACKed lease bound in the store; a new client gets $good"
log "PASS"
