# tern-mgr integration helpers: build paths, kea servers and ternd, a tern-mgr in a namespace, ternctl queries.
# Sourced after lib.sh by tests/integ/test_mgr_*.sh.

MGR_BIN="${TERN_BUILD:-}/src/mgr/tern-mgr"
TERND="${TERN_BUILD:-build}/src/server/ternd"
MGR_PLUGIN="${TERN_BUILD:-}/src/plugin/tern-plugin"
MGR_EVSUB="${TERN_BUILD:-}/src/mgr/mgr-evsub"
MGR_PUSH="${TERN_BUILD:-}/src/mgr/mgr-push"
# ternctl is built by src/ctl once its CMakeLists is active; until then a
# hand-built one in $TERN_BUILD/ctl/ternctl is used.
MGR_CTL="${TERN_BUILD:-}/src/ctl/ternctl"
[ -x "$MGR_CTL" ] || MGR_CTL="${TERN_BUILD:-}/ctl/ternctl"

mgr_require() {
	require_root
	require_file "$MGR_BIN" "$MGR_PLUGIN" "$MGR_CTL" "$MGR_EVSUB" "$MGR_PUSH"
	require_cmd flock timeout "$@"
	mkdir -p /run/kea /var/lib/kea
}

# kea4_start NS IF SUBNET POOL VALID: kea-dhcp4 (raw sockets) with a
# private lock / pid directory and an in-memory lease store.
kea4_start() {
	local n=$1 ifc=$2 subnet=$3 pool=$4 valid=$5 conf="$TT_DIR/kea4.json"
	cat >"$conf" <<EOF2
{"Dhcp4": {
  "interfaces-config": {"interfaces": ["$ifc"], "dhcp-socket-type": "raw"},
  "lease-database": {"type": "memfile", "persist": false},
  "valid-lifetime": $valid, "renew-timer": $((valid / 2)),
  "rebind-timer": $((valid * 3 / 4)),
  "subnet4": [{"subnet": "$subnet", "pools": [{"pool": "$pool"}],
    "option-data": [{"name": "routers", "data": "${subnet%.*/*}.1"},
                    {"name": "domain-name-servers", "data": "${subnet%.*/*}.1, ${subnet%.*/*}.2"}]}],
  "loggers": [{"name": "kea-dhcp4", "severity": "DEBUG", "debuglevel": 15,
    "output_options": [{"output": "stdout"}]}]
}}
EOF2
	start_bg kea4 env KEA_LOCKFILE_DIR="$TT_DIR" KEA_PIDFILE_DIR="$TT_DIR" \
		ip netns exec "$(ns "$n")" kea-dhcp4 -c "$conf"
	wait_file_contains 15 "$(bg_log kea4)" 'DHCP4_STARTED' ||
		fail "kea-dhcp4 did not start"
}

# mgr_start NS CONFIG: tern-mgr in namespace NS, ready when its control
# socket answers.
mgr_start() {
	start_bg mgr ip netns exec "$(ns "$1")" "$MGR_BIN" -d -c "$2"
	wait_for 10 "$MGR_CTL" mgr get -s "$TT_DIR/mgr.sock" \
		Device.DHCPv4.ClientNumberOfEntries || fail "tern-mgr did not start"
}

# mgr_get PATH: print one parameter's value.
mgr_get() {
	"$MGR_CTL" mgr get -s "$TT_DIR/mgr.sock" "$1" | sed -n "s|^$1=||p"
}

# mgr_set PATH VALUE
mgr_set() { "$MGR_CTL" mgr set -s "$TT_DIR/mgr.sock" "$1" "$2"; }

# mgr_is PATH VALUE: true if the parameter has that value now.
mgr_is() { [ "$(mgr_get "$1")" = "$2" ]; }

# mgr_nonempty PATH
mgr_nonempty() { [ -n "$(mgr_get "$1")" ]; }

# ternd6_start NS IF: ternd serving IA_NA from fd00:250::/64, IA_PD /56
# from fd00:9900::/48, DNS, domain search and a MAP-T option 95 (the
# recipe of specs/client-scripts.md) from a Kea Dhcp6 file (kea-dhcp6 served
# it before issue 12), leases in TT_DIR; ready when it logs that it serves.
ternd6_start() {
	local n=$1 ifc=$2 conf="$TT_DIR/ternd6.json"
	wait_for 10 ll_ready "$n" "$ifc" || fail "$n/$ifc: no link-local address"
	cat >"$conf" <<EOF2
{"Dhcp6": {
  "interfaces-config": {"interfaces": ["$ifc"]},
  "lease-database": {"type": "memfile", "name": "$TT_DIR/leases6.csv"},
  "preferred-lifetime": 3000, "valid-lifetime": 4000,
  "renew-timer": 1000, "rebind-timer": 2000,
  "subnet6": [{"id": 1, "subnet": "fd00:250::/64", "interface": "$ifc",
    "pools": [{"pool": "fd00:250::1000 - fd00:250::1fff"}],
    "pd-pools": [{"prefix": "fd00:9900::", "prefix-len": 48, "delegated-len": 56}],
    "option-data": [
      {"name": "dns-servers", "data": "fd00:250::1"},
      {"name": "domain-search", "data": "example.net"},
      {"space": "dhcp6", "name": "s46-cont-mapt", "code": 95},
      {"space": "s46-cont-mapt-options", "name": "s46-rule",
       "data": "128, 0, 24, 192.0.2.0, 2001:db8::/32"},
      {"space": "s46-rule-options", "name": "s46-portparams", "data": "0, 1234/16"},
      {"space": "s46-cont-mapt-options", "name": "s46-dmr", "data": "2001:db8:ffff::/64"}]}]
}}
EOF2
	"$TERND" -t "$conf" >/dev/null || fail "ternd -t refused $conf"
	start_bg ternd6 ip netns exec "$(ns "$n")" "$TERND" -d -c "$conf"
	wait_file_contains 10 "$(bg_log ternd6)" 'serving DHCPv6' ||
		fail "ternd did not start: $(tail -5 "$(bg_log ternd6)")"
}

# ternd6_rx: how many messages ternd6 has received (its counters, logged
# on SIGUSR1).
ternd6_rx() {
	local log before
	log=$(bg_log ternd6)
	before=$(grep -c 'dhcp6: rx ' "$log")
	kill -USR1 "$(bg_pid ternd6)"
	wait_for 5 eval "[ \$(grep -c 'dhcp6: rx ' '$log') -gt $before ]" ||
		fail "no counters from ternd"
	grep -o 'dhcp6: rx [0-9]*' "$log" | tail -n 1 | sed 's/.* //'
}

# ll_ready NS IF: IF has a link-local address that DAD has cleared.
ll_ready() {
	ip -n "$(ns "$1")" -6 -o addr show dev "$2" scope link | grep -q . &&
		! ip -n "$(ns "$1")" -6 -o addr show dev "$2" scope link |
			grep -q tentative
}

# addr6_add NS IF CIDR: an IPv6 address without DAD delay.
addr6_add() {
	ip -n "$(ns "$1")" addr add "$3" dev "$2" nodad || fail "addr $3 on $1/$2"
}
