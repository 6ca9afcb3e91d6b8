#!/bin/bash
# Differential test (issue 12): the standard DHCPv6 option definitions.
# kea-dhcp6 and ternd serve kea6_options_diff/dhcp6_opts.json (some 80
# option-data entries: every kind of value of Kea 2.2's dhcp6 space, the
# S46 containers, docsis3-v6 and 4o6 vendor options, hex values with
# sub-options, options without a definition) in turn in one namespace;
# INFORMATION-REQUESTs asking for all of them (probe_opts.py) must get
# the same option bytes from both.
# KEA6_OPTS_KEEP=DIR keeps the configuration, the replies and the diff.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/ternd_lib.sh"

tt_init
require_root
require_cmd kea-dhcp6 python3
require_file "$TERND"

SRC=${TERN_SRC:-$(cd "$(dirname "$0")/../.." && pwd)}
KD=$SRC/tests/integ/kea6_options_diff

v6_link srv v6s cli v6c

sed "s|@DIR@|$TT_DIR|" "$KD/dhcp6_opts.json" >"$TT_DIR/dhcp6.json"
run_bounded 20 kea-t ip netns exec "$(ns srv)" env KEA_PIDFILE_DIR="$TT_DIR" KEA_LOCKFILE_DIR=none \
	kea-dhcp6 -t "$TT_DIR/dhcp6.json" || fail "kea-dhcp6 -t refused: $(tail -3 "$(bg_log kea-t)")"
"$TERND" -t "$TT_DIR/dhcp6.json" >/dev/null || fail "ternd -t refused the file"

for who in kea ternd; do
	if [ "$who" = kea ]; then
		start_bg kea ip netns exec "$(ns srv)" env KEA_PIDFILE_DIR="$TT_DIR" \
			KEA_LOCKFILE_DIR=none kea-dhcp6 -c "$TT_DIR/dhcp6.json"
		wait_file_contains 15 "$(bg_log kea)" 'DHCP6_STARTED' ||
			fail "kea-dhcp6 did not start: $(tail -5 "$(bg_log kea)")"
	else
		start_bg ternd ip netns exec "$(ns srv)" "$TERND" -d -c "$TT_DIR/dhcp6.json"
		wait_file_contains 10 "$(bg_log ternd)" 'serving DHCPv6' ||
			fail "ternd did not start: $(tail -5 "$(bg_log ternd)")"
	fi
	run_bounded 30 "$who-probe" ip netns exec "$(ns cli)" \
		python3 "$KD/probe_opts.py" probe v6c "$TT_DIR/$who.json" ||
		fail "the probe got no answer from $who: $(tail -3 "$(bg_log "$who-probe")")"
	stop_bg "$who"
done

python3 "$KD/probe_opts.py" compare "$TT_DIR/kea.json" "$TT_DIR/ternd.json" \
	>"$TT_DIR/compare.txt" 2>&1
rc=$?
cat "$TT_DIR/compare.txt" >&2
if [ -n "${KEA6_OPTS_KEEP:-}" ]; then
	mkdir -p "$KEA6_OPTS_KEEP" && cp "$TT_DIR"/*.json "$TT_DIR"/compare.txt "$KEA6_OPTS_KEEP/"
fi
[ "$rc" = 0 ] || fail "ternd and kea-dhcp6 sent different options: $(tail -n 1 "$TT_DIR/compare.txt")"
log "PASS: $(tail -n 1 "$TT_DIR/compare.txt")"
