#!/bin/bash
# bootp, differential: kea-dhcp4 with Debian's libdhcp_bootp.so and ternd
# serve the same configuration in turn; a relay agent sends BOOTP requests
# (vendor extensions, no option 53). Both must answer with the same
# BOOTREPLY (address, options, padded to 300 bytes, no DHCP option) and
# keep an infinite lease; without the hook both stay silent.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/ternd_lib.sh"
tt_init
require_root
require_cmd kea-dhcp4 python3 sqlite3
LIB=/usr/lib/x86_64-linux-gnu/kea/hooks/libdhcp_bootp.so
require_file "$TERND" "$LIB"
PLAY="$(dirname "$0")/hooks/relay_play.py"

SRV=198.18.250.1
RLY=198.18.250.2
GIADDR=198.18.251.1
netns_add srv
netns_add rly
veth_pair srv srv0 rly rly0
addr_add srv srv0 "$SRV/24"
addr_add rly rly0 "$RLY/24"
ip -n "$(ns rly)" addr add "$GIADDR/32" dev lo || fail "giaddr"
ip -n "$(ns srv)" route add "$GIADDR/32" via "$RLY" || fail "route"

# config NAME HOOKS. No routers: Kea sends 3, 6 and 15 to every client
# (appendBasicOptions), which is the options' work, not the hook's.
config() {
	mkdir -p "$TT_DIR/$1"
	cat >"$TT_DIR/$1/config.json" <<JSON
{"Dhcp4": {
  "interfaces-config": {"interfaces": ["srv0"], "dhcp-socket-type": "udp"},
  "lease-database": {"type": "memfile", "name": "$TT_DIR/$1/leases.csv"},
  "valid-lifetime": 3600, $2
  "subnet4": [{"id": 5, "subnet": "198.18.251.0/24",
               "pools": [{"pool": "198.18.251.100 - 198.18.251.150"}]}]
}}
JSON
}
config with '"hooks-libraries": [{"library": "'"$LIB"'"}],'
config without ""

# play CFG WHO: serve, send the BOOTP requests twice, stop.
play() {
	local c=$1 who=$2
	if [ "$who" = kea ]; then
		start_bg "$c-kea" ip netns exec "$(ns srv)" env KEA_PIDFILE_DIR="$TT_DIR/$c" \
			KEA_LOCKFILE_DIR=none kea-dhcp4 -c "$TT_DIR/$c/config.json"
		wait_file_contains 10 "$(bg_log "$c-kea")" DHCP4_STARTED || fail "kea-dhcp4 did not start"
	else
		ternd_start srv "$TT_DIR/$c/config.json" "$c-ternd"
	fi
	for i in 1 2; do
		ip netns exec "$(ns rly)" python3 "$PLAY" "$SRV" "$GIADDR" bootp \
			>>"$TT_DIR/$c/$who.replies" || fail "$c/$who: relay_play failed"
	done
	stop_bg "$c-$who"
}
for c in with without; do
	play "$c" ternd
	play "$c" kea
done
cat "$TT_DIR/with/kea.replies" >&2
grep -q '^bootp BOOTREPLY yiaddr=198.18.251.100 len=300 ' "$TT_DIR/with/kea.replies" ||
	fail "kea-dhcp4 did not answer as expected: $(cat "$TT_DIR/with/kea.replies")"
# Everything but the options' order (docs/kea-differences.md).
diff -u <(sed 's/ opts=[^ ]*//' "$TT_DIR/with/kea.replies") \
	<(sed 's/ opts=[^ ]*//' "$TT_DIR/with/ternd.replies") >&2 ||
	fail "ternd's BOOTREPLY differs from kea-dhcp4's"
[ "$(sort -u "$TT_DIR/without/kea.replies")" = "bootp none" ] || fail "kea answered BOOTP without the hook"
diff -u "$TT_DIR/without/kea.replies" "$TT_DIR/without/ternd.replies" >&2 ||
	fail "ternd answered BOOTP without the hook"

# Infinite leases: Kea's valid_lifetime column, ternd's store.
grep -q '^198.18.251.100,02:aa:bb:cc:00:05,,4294967295,' "$TT_DIR/with/leases.csv" ||
	fail "kea's lease: $(cat "$TT_DIR/with/leases.csv")"
[ "$(lease_field "$TT_DIR/with/leases.sqlite" 198.18.251.100 valid_lifetime)" = 4294967295 ] ||
	fail "ternd's lease: $(sqlite3 "$TT_DIR/with/leases.sqlite" 'SELECT * FROM lease4_readable')"
log "PASS: the same BOOTREPLY, an infinite lease"
