# Helpers for ternd mesh-mode tests: nodes on a shared mesh bridge, each with its own client bridge. Source after lib.sh and ternd_lib.sh.

MESH_NET=10.70.0.0/24
# Scaled-down timers: 2 s learning, a claim takes ~2 s (4 passes of 0.5 s).
MESH_TIMERS=${MESH_TIMERS:-"-t 1 -B 2"}

# mesh_link_init: the mesh link, a bridge in namespace "mesh".
mesh_link_init() {
	netns_add mesh
	ip -n "$(ns mesh)" link add br-mesh type bridge mcast_snooping 0 ||
		fail "br-mesh"
	TT_LINKS+=("$(ns mesh) br-mesh")
	link_up mesh br-mesh
}

# mesh_node_add I: namespace nI on the mesh link (its bat0, link-local
# IPv6 without DAD) with a client bridge br-client holding 10.70.0.1 (the
# same anycast gateway on every node, as in Gluon meshes).
mesh_node_add() {
	local i=$1
	netns_add "n$i"
	nsx "n$i" sysctl -qw net.ipv6.conf.all.accept_dad=0 \
		net.ipv6.conf.default.accept_dad=0 || fail "sysctl n$i"
	veth_pair mesh "m$i" "n$i" bat0
	ip -n "$(ns mesh)" link set "m$i" master br-mesh || fail "enslave m$i"
	bridge_add "n$i" br-client
	addr_add "n$i" br-client 10.70.0.1/24
}

# mesh_client_add I C: client namespace C (eth0, MAC 02:70:00:00:00:NN)
# plugged into node I's client bridge through port pC.
mesh_client_add() {
	local i=$1 c=$2 nn
	nn=$(printf '%02x' "${c#c}")
	netns_add "$c"
	veth_pair "n$i" "p$c" "$c" eth0
	ip -n "$(ns "n$i")" link set "p$c" master br-client || fail "port p$c"
	ip -n "$(ns "$c")" link set eth0 address "02:70:00:00:00:$nn"
}

# mesh_client_move C FROM TO: re-attach client C's cable to node TO.
mesh_client_move() {
	local c=$1 from=$2 to=$3
	ip -n "$(ns "n$from")" link set "p$c" netns "$(ns "n$to")" ||
		fail "move p$c"
	ip -n "$(ns "n$to")" link set "p$c" master br-client up ||
		fail "re-attach p$c"
}

# mesh_config I: write node I's Kea-style config, print its path. The
# pool is MESH_POOL (default: all but 10.70.0.0-3, so block 0 is never
# claimed).
mesh_config() {
	local i=$1 f="$TT_DIR/n$1.json"
	local uc=""
	mkdir -p "$TT_DIR/n$i"
	# MESH_VIA_CONFIG=1: the mesh settings live in the configuration.
	[ "${MESH_VIA_CONFIG:-0}" = 1 ] && uc='"user-context": {"ternd": {"mesh": {
    "network": "'$MESH_NET'", "server-interface": "bat0",
    "client-interface": "br-client", "block-size-pow": 2, "spare-leases": 2,
    "tentative-timeout": 1, "block-timeout": 2,
    "hook": "'$TT_DIR/hook.sh'"}}},'
	cat >"$f" <<JSON
{"Dhcp4": { $uc
  "interfaces-config": {"interfaces": ["br-client"]},
  "lease-database": {"type": "sqlite", "name": "$TT_DIR/n$i/leases.sqlite"},
  "valid-lifetime": 600, "authoritative": true,
  "control-socket": {"socket-type": "unix", "socket-name": "$TT_DIR/n$i/ctl.sock"},
  "subnet4": [{
    "id": 1, "subnet": "10.70.0.0/24",
    "pools": [{"pool": "${MESH_POOL:-10.70.0.4 - 10.70.0.254}"}],
    "option-data": [{"name": "routers", "data": "10.70.0.1"},
                    {"name": "domain-name-servers", "data": "10.70.0.1"}]
  }]
}}
JSON
	printf '%s' "$f"
}

# mesh_start I [EXTRA...]: run ternd as mesh node I, wait until it
# serves. Its node id is 02:00:00:00:00:0I:00:00, or derived from bat0's
# MAC and persisted when MESH_AUTO_ID=1.
mesh_start() {
	local i=$1 cfg idopt log before
	shift
	log=$(bg_log "ternd-n$i")
	# A restarted node appends to its log: wait for a new "serving" line.
	before=$(grep -c 'serving [0-9]* subnets' "$log" 2>/dev/null)
	cfg=$(mesh_config "$i")
	idopt=(--node-id "02000000000${i}0000")
	[ "${MESH_AUTO_ID:-0}" = 1 ] && idopt=()
	if [ "${MESH_VIA_CONFIG:-0}" = 1 ]; then
		"$TERND" -t "$cfg" >/dev/null || fail "mesh config of n$i refused"
		start_bg "ternd-n$i" ip netns exec "$(ns "n$i")" "$TERND" -d -c "$cfg" \
			${idopt[@]+--mesh "${idopt[@]}"} "$@"
	else
		# shellcheck disable=SC2086
		start_bg "ternd-n$i" ip netns exec "$(ns "n$i")" "$TERND" -d -c "$cfg" \
			--mesh -N "$MESH_NET" -b 2 -s 2 $MESH_TIMERS -i bat0 \
			-c br-client "${idopt[@]}" -H "$TT_DIR/hook.sh" "$@"
	fi
	wait_for 10 eval "[ \$(grep -c 'serving [0-9]* subnets' '$log') -gt ${before:-0} ]" ||
		fail "ternd-n$i did not start: $(tail -5 "$log")"
}

# mesh_hook_init: a hook that appends its arguments to hook.log.
mesh_hook_init() {
	printf '#!/bin/sh\n# Recording mesh hook for tern tests.\necho "$*" >>"%s/hook.log"\n' \
		"$TT_DIR" >"$TT_DIR/hook.sh"
	chmod 755 "$TT_DIR/hook.sh"
	: >"$TT_DIR/hook.log"
}

# mesh_ours I: the blocks node I owns now, from its log.
mesh_ours() {
	grep -o 'block [0-9]* ([0-9./]*) is\( no longer\)\? ours' \
		"$(bg_log "ternd-n$1")" |
		awk '{ if ($4 == "is" && $5 == "ours") own[$2]=1; else delete own[$2] }
		     END { for (b in own) print b }' | sort -n
}

# mesh_block_of ADDR: the block index of an address of 10.70.0.0/24.
mesh_block_of() { echo $(( ${1##*.} / 4 )); }

# mesh_stats I: ask node I for its counters; print its last mesh stats line.
mesh_stats() {
	local log before
	log=$(bg_log "ternd-n$1")
	before=$(grep -c 'mesh stats' "$log")
	kill -USR1 "$(bg_pid "ternd-n$1")"
	wait_for 5 eval "[ \$(grep -c 'mesh stats' '$log') -gt $before ]" ||
		fail "no mesh stats from n$1"
	grep 'mesh stats' "$log" | tail -n 1
}

TERNCTL="${TERN_BUILD:-build}/src/ctl/ternctl"

# mesh_ctl I ARGS...: ternctl mesh ARGS against node I's control socket.
mesh_ctl() {
	local i=$1
	shift
	"$TERNCTL" mesh "$@" -s "$TT_DIR/n$i/ctl.sock"
}

# mesh_bind C: start udhcpc on client C (in this shell: its pid must be
# ours), wait for its lease and configure the address on eth0 as a real
# client would; the address is left in MESH_IP.
mesh_bind() {
	local c=$1 dir
	dir=$(rec_dir "$c" eth0 udhcpc)
	udhcpc_start "$c" eth0
	# The script appends the event before it writes lease.env.
	wait_for 15 eval "grep -q '^ip=' '$dir/lease.env' 2>/dev/null" ||
		fail "$c not bound"
	MESH_IP=$(rec_get "$c" eth0 udhcpc ip)
	ip -n "$(ns "$c")" addr add "$MESH_IP/24" dev eth0
}
