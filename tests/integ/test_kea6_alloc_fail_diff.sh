#!/bin/bash
# Differential test of Kea 2.2's v6-allocation-fail* statistics: kea-dhcp6
# and ternd serve the same Dhcp6 configuration in turn (subnet 1: a pool of
# one address, which lease6-add gives away first, and no pd-pool); the
# same perfdhcp -6 clients ask for an address (the pool is full: the plain
# failure) and a prefix (no pd-pool: -no-pools); the allocation-failure
# statistics (global and per subnet, values and which exist) and the
# packet counts must be equal. Then the same with a shared network of two
# subnets (each a one-address pool, both given away, no pd-pool): the
# failures count as -shared-network, on the subnet the walk started from
# (Kea's preferred subnet, the one picked last), -no-pools for prefixes as
# no subnet of the network has a pd-pool.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/ternd_lib.sh"
. "$(dirname "$0")/ternd_ctl_lib.sh"
tt_init
require_root
require_cmd kea-dhcp6 perfdhcp python3
require_file "$TERND"
hooks=/usr/lib/x86_64-linux-gnu/kea/hooks
require_file "$hooks/libdhcp_lease_cmds.so"

v6_link srv v6s cli v6c
wait_for 10 eval "ip -n $(ns srv) -6 addr show dev v6s scope link | grep -q fe80" ||
	fail "no link-local address on v6s"

config() { # DIR MODE
	cat <<JSON
{"Dhcp6": {
  "interfaces-config": {"interfaces": ["v6s"]},
  "lease-database": {"type": "memfile", "name": "$1/leases6.csv", "lfc-interval": 0},
  "control-socket": {"socket-type": "unix", "socket-name": "$1/ctl.sock"},
  "server-id": {"type": "EN", "enterprise-id": 2495, "identifier": "0102030405", "persist": false},
  "hooks-libraries": [{"library": "$hooks/libdhcp_lease_cmds.so"}],
  "preferred-lifetime": 3000, "valid-lifetime": 4000,
JSON
	if [ "$2" = network ]; then
		cat <<JSON
  "shared-networks": [{"name": "full", "interface": "v6s", "subnet6": [
    {"id": 1, "subnet": "2001:db8:1::/64",
     "pools": [{"pool": "2001:db8:1::100-2001:db8:1::100"}]},
    {"id": 2, "subnet": "2001:db8:2::/64",
     "pools": [{"pool": "2001:db8:2::100-2001:db8:2::100"}]}]}]
}}
JSON
	else
		cat <<JSON
  "subnet6": [
    {"id": 1, "subnet": "2001:db8:1::/64", "interface": "v6s",
     "pools": [{"pool": "2001:db8:1::100-2001:db8:1::100"}]}]
}}
JSON
	fi
}

lease6_add() { # NAME SOCK ADDR DUID
	local a
	a=$(ctl_raw "$2" '{"command": "lease6-add", "arguments": {"ip-address": "'"$3"'", "duid": "'"$4"'", "iaid": 1}}')
	[ "$(json_get "$a" result)" = 0 ] || fail "$1: lease6-add $3: $a"
}

run() { # NAME DIR MODE CMD...
	local name=$1 d=$2 mode=$3
	shift 3
	mkdir -p "$d"
	config "$d" "$mode" >"$d/config.json"
	start_bg "$name" ip netns exec "$(ns srv)" env KEA_PIDFILE_DIR="$d" \
		KEA_LOCKFILE_DIR=none "$@" -c "$d/config.json"
	wait_for 15 test -S "$d/ctl.sock" || fail "$name: no control socket: $(tail -5 "$(bg_log "$name")")"
	lease6_add "$name" "$d/ctl.sock" 2001:db8:1::100 0a:0b
	[ "$mode" = network ] && lease6_add "$name" "$d/ctl.sock" 2001:db8:2::100 0a:0c
	run_bounded 30 "$name-perfdhcp" ip netns exec "$(ns cli)" perfdhcp -6 -l v6c \
		-e address-and-prefix -R 3 -r 3 -n 3 -p 3
	ctl_raw "$d/ctl.sock" '{"command": "statistic-get-all"}' >"$d/stats.json"
	stop_bg "$name"
}

compare() { # KEA TERND WHAT
	python3 - "$1" "$2" "$3" <<'PY' || fail "the allocation-failure statistics differ ($3)"
import json, sys
def af(path):
    a = json.load(open(path))["arguments"]
    return {k: v[0][0] for k, v in a.items() if "allocation-fail" in k or k.startswith("pkt6-")}
kea, ternd = af(sys.argv[1]), af(sys.argv[2])
bad = 0
for k in sorted(set(kea) | set(ternd)):
    if k.startswith("pkt6-dhcpv4-"):
        continue  # ternd serves no DHCPv4-over-DHCPv6 (docs/control.md)
    if kea.get(k) != ternd.get(k):
        print("%s: kea %s, ternd %s" % (k, kea.get(k), ternd.get(k)))
        bad += 1
print(sys.argv[3], json.dumps({k: v for k, v in kea.items() if "allocation-fail" in k}, sort_keys=True))
if not any(v for k, v in kea.items() if "allocation-fail" in k):
    print("kea counted no failure: the test did not test")
    bad += 1
if sys.argv[3] == "network" and not kea.get("v6-allocation-fail-shared-network"):
    print("kea counted no shared-network failure: the test did not test")
    bad += 1
sys.exit(1 if bad else 0)
PY
}

for mode in subnet network; do
	run kea "$TT_DIR/kea-$mode" "$mode" kea-dhcp6
	run ternd "$TT_DIR/ternd-$mode" "$mode" "$TERND" -d
	compare "$TT_DIR/kea-$mode/stats.json" "$TT_DIR/ternd-$mode/stats.json" "$mode"
done
log "PASS"
