#!/bin/bash
# run_script, differential: kea-dhcp4 with Debian's libdhcp_run_script.so
# and ternd serve the same configuration in turn; a relay agent plays the
# same exchanges to each (DORA, DISCOVER of a bound client, renewal,
# RELEASE, DECLINE, NAK, RELEASE of nothing, then expiry and the end of a
# declined address's probation); a recording script writes each call's
# hook name and environment. Both servers must call it the same times
# with the same variables and values (times aside: *_CLTT).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/ternd_lib.sh"
tt_init
require_root
require_cmd kea-dhcp4 python3
LIB=/usr/lib/x86_64-linux-gnu/kea/hooks/libdhcp_run_script.so
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

# The script has no PATH: Kea gives it its variables and nothing else.
cat >"$TT_DIR/record.sh" <<EOF
#!/bin/sh
/usr/bin/env | LC_ALL=C /usr/bin/sort >"$TT_DIR/out/\$1.\$\$.env"
EOF
chmod 755 "$TT_DIR/record.sh"

# dhcp-socket-type udp: Kea then knows no Ethernet header either (the
# QUERY4_*_HWADDR variables; docs/hooks.md). Kea's CSV and ternd's store
# each start empty (ternd runs first: it would import Kea's file).
# config NAME EXTRA: the configuration, with EXTRA global parameters.
config() {
	mkdir -p "$TT_DIR/$1"
	cat >"$TT_DIR/$1/config.json" <<JSON
{"Dhcp4": {
  "interfaces-config": {"interfaces": ["srv0"], "dhcp-socket-type": "udp"},
  "lease-database": {"type": "memfile", "name": "$TT_DIR/$1/leases.csv"},
  "expired-leases-processing": {"reclaim-timer-wait-time": 1},
  "valid-lifetime": 4, "decline-probation-period": 3,
  "authoritative": true, $2
  "hooks-libraries": [{"library": "$LIB",
                       "parameters": {"name": "$TT_DIR/record.sh", "sync": false}}],
  "subnet4": [{"id": 5, "subnet": "198.18.251.0/24",
               "pools": [{"pool": "198.18.251.100 - 198.18.251.150"}]}]
}}
JSON
}

# play CFG WHO: serve, play the scenario, wait for the expiries, stop.
play() {
	local c=$1 who=$2 d="$TT_DIR/$1/$2"
	mkdir -p "$d"
	ln -sfn "$d" "$TT_DIR/out"
	if [ "$who" = kea ]; then
		start_bg "$c-kea" ip netns exec "$(ns srv)" env KEA_PIDFILE_DIR="$TT_DIR/$c" \
			KEA_LOCKFILE_DIR=none kea-dhcp4 -c "$TT_DIR/$c/config.json"
		wait_file_contains 10 "$(bg_log "$c-kea")" DHCP4_STARTED || fail "kea-dhcp4 did not start"
	else
		ternd_start srv "$TT_DIR/$c/config.json" "$c-ternd"
	fi
	ip netns exec "$(ns rly)" python3 "$PLAY" "$SRV" "$GIADDR" events 198.18.251.50 \
		>"$d.replies" || fail "$c/$who: relay_play failed"
	# The leases expire after 4 s, the declined address's probation ends
	# after 3 s; both servers reclaim within a second of it.
	wait_for 15 eval "[ \$(ls '$d' | grep -c '^lease4_recover') -ge 1 ] &&
		[ \$(ls '$d' | grep -c '^lease4_expire') -ge 2 ]" ||
		fail "$c/$who: no expiry calls: $(ls "$d")"
	sleep 1
	stop_bg "$c-$who"
}

# One line per call: the hook name, then its variables (times aside).
calls() {
	local f
	for f in "$1"/*.env; do
		printf '%s ' "$(basename "$f" | cut -d. -f1)"
		grep -v -E '^(PWD|SHLVL|_)=|_CLTT=' "$f" | tr '\n' ' '
		echo
	done | LC_ALL=C sort
}

# compare CFG: the same exchanges, the same calls.
compare() {
	local d="$TT_DIR/$1" n
	# The same exchanges happened: message types and addresses (the
	# rest of a reply is test_kea_diff's).
	diff -u <(cut -d' ' -f1-3 "$d/kea.replies") <(cut -d' ' -f1-3 "$d/ternd.replies") >&2 ||
		fail "$1: the exchanges differ"
	calls "$d/kea" >"$d/kea.calls"
	calls "$d/ternd" >"$d/ternd.calls"
	n=$(wc -l <"$d/kea.calls")
	log "$1: kea-dhcp4 ran the script $n times: $(cut -d' ' -f1 "$d/kea.calls" | sort | uniq -c | tr -s ' \n' ' ')"
	[ "$n" -ge 15 ] || fail "$1: kea ran the script only $n times: $(cat "$d/kea.calls")"
	if ! cmp -s "$d/kea.calls" "$d/ternd.calls"; then
		# Each call that differs, with the variables that differ.
		diff "$d/kea.calls" "$d/ternd.calls" | sed -n 's/^\([<>]\) /\1/p' |
			while read -r line; do
				side=kea other=ternd
				[ "${line:0:1}" = ">" ] && side=ternd other=kea
				echo "$side: ${line%% *} $(echo "${line:1}" | tr ' ' '\n' |
					grep -E '^[A-Z0-9_]+=' |
					grep -vxF -f <(tr ' ' '\n' <"$d/$other.calls") | tr '\n' ' ')"
			done >&2
		fail "$1: ternd's calls differ from kea-dhcp4's"
	fi
	# The CLTTs are times of the exchanges: present and recent.
	now=$(date +%s)
	for f in "$d"/ternd/*.env; do
		c=$(sed -n 's/^\(LEASE4\|LEASES4_AT0\|DELETED_LEASES4_AT0\)_CLTT=//p' "$f" | head -n1)
		[ -z "$c" ] || [ $((now - c)) -lt 120 ] || fail "$f: CLTT $c"
	done
	log "$1: $n calls, same hooks, variables and values"
}

config default ""
config no-client-id '"match-client-id": false,'
for c in default no-client-id; do
	play "$c" ternd
	play "$c" kea
	compare "$c"
done
log "PASS"
