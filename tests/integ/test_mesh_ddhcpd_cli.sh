#!/bin/bash
# ddhcpd's own command line runs ternd with no configuration file:
#   ternd --mesh -o "3:4:10.116.254.254" -o "1:4:255.255.128.0"
#     -o "28:4:10.116.254.255" -N 10.116.224.0/20 -b 2 -s 1 -c br-client -i bat0
# as a Gluon node starts ddhcpd. Each node runs in a private mount namespace
# with fresh /run and /var/lib, so ternd's default paths (/run/tern/ternd.sock,
# /var/lib/tern/ternd-leases.sqlite) are its own and are created by it.
# 1. A fast node (-L and short timers, -o 54 and -o 51 as in ddhcpd's test
#    script) serves with the server identifier and lease time of -o, and
#    `ternctl mesh lease-time` changes the lease time of a renewal.
# 2. Exactly the Gluon line (60 s learning, then ~23 s to claim) serves a
#    client from 10.116.224.0/20 with ddhcpd's lease time (300 s), the
#    options of -o, and br-client's address as the server identifier.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/ternd_lib.sh"
tt_init
require_root
require_cmd udhcpc unshare nsenter sqlite3
require_file "$TERND"
TERNCTL="$TERN_BUILD/src/ctl/ternctl"

GLUON=(-o "3:4:10.116.254.254" -o "1:4:255.255.128.0" -o "28:4:10.116.254.255"
	-N 10.116.224.0/20 -b 2 -s 1 -c br-client -i bat0)

netns_add peer
netns_add node
netns_add c1
for n in node peer; do
	nsx "$n" sysctl -qw net.ipv6.conf.all.accept_dad=0 \
		net.ipv6.conf.default.accept_dad=0 || fail "sysctl $n"
done
veth_pair peer bat-peer node bat0
bridge_add node br-client
addr_add node br-client 10.116.130.1/17
veth_pair node p-c1 c1 eth0
ip -n "$(ns node)" link set p-c1 master br-client || fail "port p-c1"
ip -n "$(ns c1)" link set eth0 address 02:11:60:00:00:01

# node_start NAME ARGS...: ternd in namespace node with a private /run and
# /var/lib; its pid is ternd's (every wrapper execs).
node_start() {
	local name=$1
	shift
	start_bg "$name" ip netns exec "$(ns node)" unshare -m --propagation private \
		sh -c 'mount -t tmpfs tmpfs /run && mount -t tmpfs tmpfs /var/lib &&
			exec "$0" "$@"' "$TERND" "$@"
	wait_file_contains 10 "$(bg_log "$name")" 'serving [0-9]+ subnets' ||
		fail "$name did not start: $(tail -5 "$(bg_log "$name")")"
}
root_of() { printf '/proc/%s/root' "$(bg_pid "$1")"; }

# ---- 1. -o 54 and -o 51 (ddhcpd's test script), ternctl mesh lease-time ----
node_start fast --mesh "${GLUON[@]}" -o "54:4:10.116.130.9" \
	-o "51:4:0.0.14.16" -L -t 0.4 -B 2
sock="$(root_of fast)/run/tern/ternd.sock"
[ -S "$sock" ] || fail "no control socket at /run/tern/ternd.sock"
[ "$(stat -c %a "$(root_of fast)/var/lib/tern")" = 750 ] || fail "store dir mode"
udhcpc_start c1 eth0
dir=$(rec_dir c1 eth0 udhcpc)
wait_file_contains 30 "$dir/events" '^bound$' || fail "no lease from the fast node"
ip1=$(rec_get c1 eth0 udhcpc ip)
log "fast node: $ip1, server $(rec_get c1 eth0 udhcpc serverid), lease $(rec_get c1 eth0 udhcpc lease)"
case "$ip1" in 10.116.22[4-9].* | 10.116.23[0-9].*) ;; *) fail "$ip1 is not in -N" ;; esac
[ "$(rec_get c1 eth0 udhcpc serverid)" = 10.116.130.9 ] || fail "server id is not -o 54's"
[ "$(rec_get c1 eth0 udhcpc lease)" = 3600 ] || fail "lease time is not -o 51's"
[ "$(rec_get c1 eth0 udhcpc subnet)" = 255.255.128.0 ] || fail "mask"
[ "$(rec_get c1 eth0 udhcpc router)" = 10.116.254.254 ] || fail "router"
"$TERNCTL" mesh lease-time -s "$sock" 900 || fail "ternctl mesh lease-time"
"$TERNCTL" mesh options -s "$sock" | grep -qx '51:4:0.0.3.132' ||
	fail "lease time not among the options: $("$TERNCTL" mesh options -s "$sock")"
n=$(grep -c '^bound$\|^renew$' "$dir/events")
kill -USR1 "$(bg_pid udhcpc-c1-eth0)"
wait_for 10 eval "[ \$(grep -c '^bound\$\|^renew\$' '$dir/events') -gt $n ]" ||
	fail "no renewal"
[ "$(rec_get c1 eth0 udhcpc lease)" = 900 ] || fail "renewal lease $(rec_get c1 eth0 udhcpc lease), not 900"
[ "$(rec_get c1 eth0 udhcpc ip)" = "$ip1" ] || fail "renewal changed the address"
"$TERNCTL" mesh lease-time -s "$sock" 0 2>/dev/null && fail "lease time 0 accepted"
stop_bg udhcpc-c1-eth0
stop_bg fast

# ---- 2. exactly the Gluon line ----
node_start gluon --mesh "${GLUON[@]}"
grep -q 'learning' "$(bg_log gluon)" || fail "no learning phase"
ip netns exec "$(ns c1)" ip addr flush dev eth0
: >"$dir/events"
udhcpc_start c1 eth0
# ddhcpd's timers: 60 s learning, then three INQUIREs 7.5 s apart.
wait_file_contains 150 "$dir/events" '^bound$' || fail "the Gluon line did not serve"
ip2=$(rec_get c1 eth0 udhcpc ip)
log "gluon node: $ip2, server $(rec_get c1 eth0 udhcpc serverid), lease $(rec_get c1 eth0 udhcpc lease)"
case "$ip2" in 10.116.22[4-9].* | 10.116.23[0-9].*) ;; *) fail "$ip2 is not in -N" ;; esac
case "$ip2" in 10.116.224.0 | 10.116.239.255) fail "network/broadcast address leased" ;; esac
[ "$(rec_get c1 eth0 udhcpc lease)" = 300 ] || fail "lease time is not ddhcpd's 300 s"
[ "$(rec_get c1 eth0 udhcpc serverid)" = 10.116.130.1 ] || fail "server id is not br-client's"
[ "$(rec_get c1 eth0 udhcpc subnet)" = 255.255.128.0 ] || fail "mask"
[ "$(rec_get c1 eth0 udhcpc router)" = 10.116.254.254 ] || fail "router"
[ "$(rec_get c1 eth0 udhcpc broadcast)" = 10.116.254.255 ] || fail "broadcast"
# SQLite resolves /proc/PID/root to /: read the store from inside.
st=$(nsenter -t "$(bg_pid gluon)" -m sqlite3 /var/lib/tern/ternd-leases.sqlite \
	"SELECT state FROM lease4_readable WHERE address = '$ip2';")
[ "$st" = bound ] || fail "lease not in the default store ($st)"
"$TERNCTL" mesh blocks -s "$(root_of gluon)/run/tern/ternd.sock" | grep -q ours ||
	fail "ternctl mesh blocks shows no block of ours"
log "PASS"
