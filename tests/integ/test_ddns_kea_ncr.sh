#!/bin/bash
# DDNS, differential: kea-dhcp4 and ternd serve the same configurations
# (Kea's with-ddns.json example and variations) in turn; the same relayed
# clients bind, renew (one with a new name) and release; each server's name
# change requests go to a UDP listener standing in for kea-dhcp-ddns. The
# NCR JSON must be byte for byte the same apart from lease-expires-on, and
# so must the replies' options 81 and 12.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/ternd_lib.sh"
tt_init
require_root
require_cmd kea-dhcp4 python3
require_file "$TERND" /usr/share/doc/kea/examples/kea4/with-ddns.json

SRC=${TERN_SRC:-$(cd "$(dirname "$0")/../.." && pwd)}
DD=$SRC/tests/integ/ddns
SRV=198.18.251.1
RLY=198.18.251.2
GI=192.0.2.254
PORT=53001

netns_add srv
netns_add rly
veth_pair srv srv0 rly rly0
addr_add srv srv0 "$SRV/24"
addr_add rly rly0 "$RLY/24"
ip -n "$(ns rly)" addr add "$GI/32" dev lo || fail "giaddr"
ip -n "$(ns srv)" route add "$GI/32" via "$RLY" || fail "route"

python3 "$DD/make_ncr_case.py" "$TT_DIR" srv0 "$PORT" "$SRV" "$GI" || fail "make_ncr_case"

# serve WHO LABEL: run WHO on LABEL's config with the listener, play the
# plan, wait until the NCRs stop coming, stop both.
serve() {
	local who=$1 label=$2 d="$TT_DIR/$1-$2" ncr n
	mkdir -p "$d"
	ncr="$d/ncr.jsonl"
	start_bg "$who-$label-listen" ip netns exec "$(ns srv)" \
		python3 "$DD/ncr_listen.py" 127.0.0.1 "$PORT" "$ncr"
	wait_file_contains 5 "$ncr" '^READY$' || fail "listener did not start"
	if [ "$who" = kea ]; then
		start_bg "$who-$label" ip netns exec "$(ns srv)" env KEA_PIDFILE_DIR="$d" \
			KEA_LOCKFILE_DIR=none kea-dhcp4 -c "$TT_DIR/$label.json"
		wait_file_contains 10 "$(bg_log "$who-$label")" DHCP4_STARTED ||
			fail "kea-dhcp4 did not start on $label: $(tail -3 "$(bg_log "$who-$label")")"
	else
		ternd_start srv "$TT_DIR/$label.json" "$who-$label"
	fi
	run_bounded 60 "$who-$label-probe" ip netns exec "$(ns rly)" \
		python3 "$DD/ncr_probe.py" "$TT_DIR/plan.json" "$d/replies.jsonl" ||
		fail "probe on $who/$label"
	# Every release is the last step: once the count stops growing for
	# a while the server has sent all it will (bounded).
	n=-1
	for _ in $(seq 40); do
		local m
		m=$(wc -l <"$ncr")
		[ "$m" = "$n" ] && break
		n=$m
		sleep 0.25
	done
	stop_bg "$who-$label"
	stop_bg "$who-$label-listen"
	grep -v '^READY$' "$ncr" |
		sed -E 's/"lease-expires-on":"[0-9]{14}"/"lease-expires-on":"*"/' >"$d/ncr.cmp"
	python3 -c 'import json,sys
for l in open(sys.argv[1]):
    r = json.loads(l)
    print(r["step"], r["client"], r["action"], r.get("type"), r.get("yiaddr"), r.get("offer81"), r.get("81"), r.get("12"))' \
		"$d/replies.jsonl" >"$d/replies.cmp"
}

fails=0
for label in with-ddns defaults suffix-renew overrides; do
	"$TERND" -t "$TT_DIR/$label.json" >"$TT_DIR/t-$label.log" 2>&1 ||
		fail "ternd -t refuses $label: $(cat "$TT_DIR/t-$label.log")"
	serve kea "$label"
	serve ternd "$label"
	k="$TT_DIR/kea-$label" t="$TT_DIR/ternd-$label"
	nk=$(wc -l <"$k/ncr.cmp")
	[ "$nk" -gt 0 ] || [ "$label" = none ] || fail "$label: kea-dhcp4 sent no NCR (test broken?)"
	if ! diff -u "$k/ncr.cmp" "$t/ncr.cmp" >"$TT_DIR/diff-ncr-$label.txt"; then
		log "$label: NCRs differ:"
		cat "$TT_DIR/diff-ncr-$label.txt" >&2
		fails=$((fails + 1))
	fi
	if ! diff -u "$k/replies.cmp" "$t/replies.cmp" >"$TT_DIR/diff-replies-$label.txt"; then
		log "$label: replies differ:"
		cat "$TT_DIR/diff-replies-$label.txt" >&2
		fails=$((fails + 1))
	fi
	log "$label: $nk NCRs from kea-dhcp4, $(wc -l <"$t/ncr.cmp") from ternd"
	if [ -n "${DDNS_KEEP:-}" ]; then
		mkdir -p "$DDNS_KEEP"
		cp -r "$k" "$t" "$TT_DIR/$label.json" "$TT_DIR/plan.json" "$DDNS_KEEP/"
	fi
done
[ "$fails" = 0 ] || fail "$fails differences between kea-dhcp4 and ternd"
log "PASS: NCRs and option 81/12 answers match kea-dhcp4 for 4 configurations"
