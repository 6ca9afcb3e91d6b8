#!/bin/bash
# Moving from Kea: kea-dhcp4 serves real clients with a memfile CSV and is
# stopped; ternd starts on the same, unchanged configuration file, imports
# the CSV into its store and the clients keep their addresses (a fresh
# DISCOVER, a renewal, dhclient's INIT-REBOOT); another client cannot take
# them; a second start imports nothing; Kea's file is never written.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/ternd_lib.sh"
tt_init
require_root
require_cmd kea-dhcp4 udhcpc dhclient sqlite3
require_file "$TERND"

netns_add srv
ports=()
for i in 1 2 3 4; do
	netns_add "c$i"
	veth_pair srv "p-c$i" "c$i" eth0
	ip -n "$(ns "c$i")" link set eth0 address "02:65:00:00:00:0$i"
	ports+=("p-c$i")
done
bridge_add srv br0 "${ports[@]}"
addr_add srv br0 10.65.0.1/16

csv="$TT_DIR/kea-leases4.csv"
db="$TT_DIR/kea-leases4.sqlite"
cfg="$TT_DIR/kea-dhcp4.conf"
# A Kea configuration as an operator has it: comments, loggers, memfile.
cat >"$cfg" <<JSON
// kea-dhcp4 and ternd read this same file.
{"Dhcp4": {
  "interfaces-config": {"interfaces": ["br0"]},
  "lease-database": {"type": "memfile", "name": "$csv", "lfc-interval": 0},
  "valid-lifetime": 3600,
  "subnet4": [{"id": 7, "subnet": "10.65.0.0/16",
               "pools": [{"pool": "10.65.1.1 - 10.65.1.200"}]}],
  "loggers": [{"name": "kea-dhcp4", "severity": "INFO",
               "output_options": [{"output": "stdout"}]}]
}}
JSON

# ---- kea-dhcp4 hands out the leases
start_bg kea ip netns exec "$(ns srv)" env KEA_PIDFILE_DIR="$TT_DIR" \
	KEA_LOCKFILE_DIR=none kea-dhcp4 -c "$cfg"
wait_file_contains 10 "$(bg_log kea)" DHCP4_STARTED || fail "kea-dhcp4 did not start"
# Addresses away from the pool's start, so no allocator finds them by luck.
udhcpc_start c1 eth0 -r 10.65.1.50
udhcpc_start c2 eth0 -r 10.65.1.60
dhclient_run c3 eth0
declare -A addr
for i in 1 2; do
	wait_file_contains 15 "$(rec_dir "c$i" eth0 udhcpc)/events" '^bound$' || fail "c$i not bound by kea"
	addr[$i]=$(rec_get "c$i" eth0 udhcpc ip)
	ip -n "$(ns "c$i")" addr add "${addr[$i]}/16" dev eth0
done
wait_file_contains 20 "$(rec_dir c3 eth0 dhclient)/events" '^BOUND$' || fail "c3 not bound by kea"
addr[3]=$(rec_get c3 eth0 dhclient new_ip_address)
[ "${addr[1]}" = 10.65.1.50 ] && [ "${addr[2]}" = 10.65.1.60 ] ||
	fail "kea gave ${addr[1]} ${addr[2]}, not the requested addresses"
log "kea-dhcp4 leased ${addr[*]}"
stop_bg kea
stop_bg udhcpc-c1-eth0
stop_bg dhclient-c3-eth0
grep -q '^10.65.1.50,02:65:00:00:00:01,' "$csv" || fail "no lease of c1 in $csv: $(cat "$csv")"
sum=$(sha256sum <"$csv")

# ---- ternd on the same file: the CSV comes in once
[ ! -e "$db" ] || fail "$db exists before ternd ran"
ternd_start srv "$cfg"
tlog=$(bg_log ternd)
grep -E "imported 3 leases from Kea's $csv \(3 bound and unexpired" "$tlog" >&2 ||
	fail "no import logged: $(grep -i import "$tlog")"
grep -q 'restored 3 bound leases' "$tlog" || fail "imported leases not restored"
for i in 1 2 3; do
	[ "$(lease_field "$db" "${addr[$i]}" hwaddr)" = "02:65:00:00:00:0$i" ] ||
		fail "store owner of ${addr[$i]}: '$(lease_field "$db" "${addr[$i]}" hwaddr)'"
	[ "$(lease_state "$db" "${addr[$i]}")" = bound ] || fail "${addr[$i]} not bound in the store"
done
note=$(sqlite3 "$db" "SELECT value FROM meta WHERE key = 'kea-csv-import'")
case $note in "$csv: 3 leases imported"*) ;; *) fail "import note: '$note'" ;; esac

# c1 starts afresh (no requested address): its imported lease brings it back.
udhcpc_run c1 eth0 || fail "c1 got no lease from ternd"
[ "$(rec_get c1 eth0 udhcpc ip)" = "${addr[1]}" ] || fail "c1 got $(rec_get c1 eth0 udhcpc ip), not ${addr[1]}"
# c2 renews (unicast REQUEST with ciaddr).
dir=$(rec_dir c2 eth0 udhcpc)
kill -USR1 "$(bg_pid udhcpc-c2-eth0)"
wait_file_contains 10 "$dir/events" '^renew$' || fail "c2 did not renew with ternd"
[ "$(rec_get c2 eth0 udhcpc ip)" = "${addr[2]}" ] || fail "c2 renewed to $(rec_get c2 eth0 udhcpc ip)"
# c3: dhclient restarts with its lease file: INIT-REBOOT.
dhclient_run c3 eth0
wait_file_contains 20 "$(rec_dir c3 eth0 dhclient)/events" '^(REBOOT|BOUND)$' || fail "c3 not bound by ternd"
[ "$(rec_get c3 eth0 dhclient new_ip_address)" = "${addr[3]}" ] ||
	fail "c3 got $(rec_get c3 eth0 dhclient new_ip_address), not ${addr[3]}"
grep -q '^REBOOT$' "$(rec_dir c3 eth0 dhclient)/events" || log "note: c3 went through DISCOVER, not INIT-REBOOT"
# A newcomer asking for c1's address gets another one.
udhcpc_run c4 eth0 -r "${addr[1]}" || fail "c4 got no lease"
a4=$(rec_get c4 eth0 udhcpc ip)
for i in 1 2 3; do [ "$a4" != "${addr[$i]}" ] || fail "c4 was given ${addr[$i]}, c$i's"; done
log "ternd: c1 ${addr[1]} (DISCOVER), c2 ${addr[2]} (renew), c3 ${addr[3]}, newcomer c4 $a4"
stop_bg ternd

# ---- a second start imports nothing, even with more rows in Kea's file
cp "$csv" "$TT_DIR/kea-leases4.csv.orig"
echo "10.65.1.99,02:65:00:00:00:99,,3600,$(($(date +%s) + 3600)),7,0,0,,0," >>"$csv"
ternd_start srv "$cfg" ternd2
! grep -q 'imported' "$(bg_log ternd2)" || fail "second start imported again"
[ -z "$(lease_state "$db" 10.65.1.99)" ] || fail "row added to Kea's file was imported"
[ "$(sqlite3 "$db" "SELECT value FROM meta WHERE key = 'kea-csv-import'")" = "$note" ] ||
	fail "import note changed"
stop_bg ternd2
mv "$TT_DIR/kea-leases4.csv.orig" "$csv"
[ "$(sha256sum <"$csv")" = "$sum" ] || fail "ternd wrote Kea's lease file"

# ---- ternctl: refused while ternd runs, explicit import when stopped
TERNCTL="${TERN_BUILD:-build}/src/ctl/ternctl"
echo "10.65.1.98,02:65:00:00:00:98,,3600,$(($(date +%s) + 3600)),7,0,0,x&#x2cy,0," >>"$csv"
ternd_start srv "$cfg" ternd3
! "$TERNCTL" lease import-kea -c "$cfg" 2>"$TT_DIR/ctl.err" || fail "ternctl imported while ternd runs"
grep -q 'ternd is running with this store' "$TT_DIR/ctl.err" || fail "ternctl: $(cat "$TT_DIR/ctl.err")"
stop_bg ternd3
"$TERNCTL" lease import-kea -c "$cfg" >"$TT_DIR/ctl.out" || fail "ternctl lease import-kea: $(cat "$TT_DIR/ctl.out")"
grep -q "1 leases imported into $db" "$TT_DIR/ctl.out" || fail "ternctl: $(cat "$TT_DIR/ctl.out")"
[ "$(lease_field "$db" 10.65.1.98 hostname)" = "x,y" ] || fail "ternctl import: $(lease_field "$db" 10.65.1.98 hostname)"
log "PASS"
