#!/bin/bash
# Differential test (issue 12): kea-dhcp6 and ternd serve the same Dhcp6
# configuration (tests/integ/kea6_diff/dhcp6.json: IA_NA, IA_PD, a
# reservation, rapid commit, relayed subnets by link-address and by
# interface-id, DNS, domain search, MAP-T, MAP-E, lightweight 4over6,
# aftr-name, vendor options; dhcp6_net.json: shared networks whose first
# subnet fills up, a reservation and a renewal in the sibling subnet,
# network lifetimes and options, networks by interface, interface-id and
# relay address; dhcp6_class.json: Kea's built-in classes and a
# reservation's client-classes gating pools,
# subnets and prefix pools; dhcp6_expr.json: client classes with test
# expressions on the DUID, vendor class and options, user class, relay
# options and addresses of nested relays, message type, transaction id
# and interface, KNOWN-dependent and only-if-required classes, DROP,
# class options and lifetimes, pools, prefix pools and a subnet gated by
# them) in turn in one namespace; the same clients
# (kea6_diff/probe6.py: SOLICIT then REQUEST, direct and relayed, and
# INFORMATION-REQUEST) must get the same answers option by option, the
# server DUID, the addresses chosen inside the same pool and what
# docs/kea-differences.md lists ("v6:" rows) masked.
# For dhcp6_expr.json, what kea-dhcp6 answered must also show each class
# taking effect (probe6.py expect), and the "drop-" clients (class DROP)
# must get no answer from either server.
# KEA6_DIFF_KEEP=DIR keeps the configuration, the replies, the diff and
# the servers' logs;
# KEA6_DIFF_SETS="expr ..." runs only those sets; KEA6_DIFF_KEA_ONLY=1
# runs kea-dhcp6 alone (the expectations, no comparison).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/ternd_lib.sh"

tt_init
require_root
require_cmd kea-dhcp6 python3
require_file "$TERND"

SRC=${TERN_SRC:-$(cd "$(dirname "$0")/../.." && pwd)}
KD=$SRC/tests/integ/kea6_diff

v6_link srv v6s cli v6c

# Each configuration with its set of clients (probe6.py): the base one,
# then shared networks (dhcp6_net.json).
run_set() {
	local conf=$1 set=$2 pre=$3
	sed "s|@DIR@|$TT_DIR|" "$KD/$conf" >"$TT_DIR/$conf"
	run_bounded 20 kea-t-$set ip netns exec "$(ns srv)" env KEA_PIDFILE_DIR="$TT_DIR" KEA_LOCKFILE_DIR=none \
		kea-dhcp6 -t "$TT_DIR/$conf" || fail "kea-dhcp6 -t refused $conf: $(tail -3 "$(bg_log kea-t-$set)")"
	local servers="kea ternd"
	if [ -n "${KEA6_DIFF_KEA_ONLY:-}" ]; then
		servers=kea
	else
		"$TERND" -t "$TT_DIR/$conf" >/dev/null || fail "ternd -t refused $conf"
	fi

	for who in $servers; do
		rm -f "$TT_DIR"/leases6.*
		if [ "$who" = kea ]; then
			start_bg kea-$set ip netns exec "$(ns srv)" env KEA_PIDFILE_DIR="$TT_DIR" \
				KEA_LOCKFILE_DIR=none kea-dhcp6 -c "$TT_DIR/$conf"
			wait_file_contains 15 "$(bg_log kea-$set)" 'DHCP6_STARTED' ||
				fail "kea-dhcp6 did not start: $(tail -5 "$(bg_log kea-$set)")"
		else
			start_bg ternd-$set ip netns exec "$(ns srv)" "$TERND" -d -c "$TT_DIR/$conf"
			wait_file_contains 10 "$(bg_log ternd-$set)" 'serving DHCPv6' ||
				fail "ternd did not start: $(tail -5 "$(bg_log ternd-$set)")"
		fi
		run_bounded 60 "$who-probe-$set" ip netns exec "$(ns cli)" \
			python3 "$KD/probe6.py" probe v6c "$TT_DIR/$pre$who.jsonl" "$set" ||
			fail "the probe failed against $who: $(tail -3 "$(bg_log "$who-probe-$set")")"
		stop_bg "$who-$set"
	done

	if [ -n "${KEA6_DIFF_KEEP:-}" ]; then
		mkdir -p "$KEA6_DIFF_KEEP" && cp "$TT_DIR"/*.jsonl "$TT_DIR"/*.json "$KEA6_DIFF_KEEP/"
	fi
	if [ "$set" = expr ]; then
		python3 "$KD/probe6.py" expect "$TT_DIR/$conf" "$TT_DIR/${pre}kea.jsonl" \
			"$set" >"$TT_DIR/${pre}expect.txt" 2>&1
		rc=$?
		cat "$TT_DIR/${pre}expect.txt" >&2
		[ "$rc" = 0 ] || fail "$conf: kea-dhcp6's answers do not show the classes' effects: $(tail -n 1 "$TT_DIR/${pre}expect.txt")"
	fi
	if [ -n "${KEA6_DIFF_KEA_ONLY:-}" ]; then
		log "kea-dhcp6 alone on $conf: $(tail -n 1 "$TT_DIR/${pre}expect.txt" 2>/dev/null)"
		return 0
	fi
	python3 "$KD/probe6.py" compare "$TT_DIR/$conf" "$TT_DIR/${pre}kea.jsonl" \
		"$TT_DIR/${pre}ternd.jsonl" --allow "$SRC/docs/kea-differences.md" >"$TT_DIR/${pre}compare.txt" 2>&1
	rc=$?
	cat "$TT_DIR/${pre}compare.txt" >&2
	[ -z "${KEA6_DIFF_KEEP:-}" ] || cp "$TT_DIR/${pre}compare.txt" "$TT_DIR"/*.log "$KEA6_DIFF_KEEP/"
	# Every client must have been answered by both: a probe that got
	# nothing from either would compare equal. Only the "drop-" clients
	# (class DROP) must get nothing from both.
	none=$(cat "$TT_DIR/${pre}kea.jsonl" "$TT_DIR/${pre}ternd.jsonl" |
		grep -v '"client": "drop-' | grep -c '"replies": \[null')
	[ "$none" = 0 ] || fail "$conf: $none clients got no answer"
	none=$(cat "$TT_DIR/${pre}kea.jsonl" "$TT_DIR/${pre}ternd.jsonl" |
		grep '"client": "drop-' | grep -vc '"replies": \[null\]')
	[ "$none" = 0 ] || fail "$conf: $none DROP clients were answered"
	[ "$rc" = 0 ] || fail "$conf: ternd and kea-dhcp6 answered differently: $(tail -n 1 "$TT_DIR/${pre}compare.txt")"
	log "PASS $conf: $(grep -c 'messages compared' "$TT_DIR/${pre}compare.txt") clients, $(tail -n 1 "$TT_DIR/${pre}compare.txt")"
}

want_set() {
	[ -z "${KEA6_DIFF_SETS:-}" ] || [[ " $KEA6_DIFF_SETS " == *" $1 "* ]]
}

if want_set base; then run_set dhcp6.json base ""; fi
if want_set net; then run_set dhcp6_net.json net net-; fi
if want_set class; then run_set dhcp6_class.json class class-; fi
if want_set expr; then run_set dhcp6_expr.json expr expr-; fi
# v6res: host reservations (global hosts, reservations-* flags and
# reservation-mode, identifiers, mac-sources, relay-supplied-options;
# early-global-reservations-lookup).
if want_set res; then run_set dhcp6_res.json res res-; fi
if want_set res-early; then run_set dhcp6_res_early.json res-early res-early-; fi
