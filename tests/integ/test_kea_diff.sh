#!/bin/bash
# Differential test: kea-dhcp4 and ternd serve each Kea configuration in turn
# (Debian's default, the kea-doc examples, the project's own) and the same
# relayed clients must get the same replies (tests/integ/kea_diff/README.md).
# Gate: every config in kea_diff/expected-match.txt matches fully (nothing
# beyond docs/kea-differences.md); the others only print their differences.
#
# Environment: KEA_DIFF_ONLY=ERE runs only the configs whose label matches;
# KEA_DIFF_KEEP=DIR copies every config's files (prepared config, plan,
# replies, diff) there.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/ternd_lib.sh"
tt_init
require_root
require_cmd kea-dhcp4 python3
require_file "$TERND"

SRC=${TERN_SRC:-$(cd "$(dirname "$0")/../.." && pwd)}
KD=$SRC/tests/integ/kea_diff
TABLE=$SRC/docs/kea-differences.md
EXPECT=$KD/expected-match.txt
EXAMPLES=/usr/share/doc/kea/examples/kea4
SRV_ADDR=198.18.250.1 # RFC 2544 benchmark space: in no configuration
RLY_ADDR=198.18.250.2
T0=$(_now_ms)

# ---- the configurations: label<TAB>path ----------------------------------------
declare -a LABELS PATHS
declare -A SEEN
add_config() {
	local label=$1 path=$2 sum
	[ -f "$path" ] || return 0
	if [ -n "${KEA_DIFF_ONLY:-}" ] && ! [[ "$label" =~ $KEA_DIFF_ONLY ]]; then
		return 0
	fi
	sum=$(cksum <"$path")
	if [ -n "${SEEN[$sum]:-}" ]; then
		log "$label: same file as ${SEEN[$sum]}, not run twice"
		return 0
	fi
	SEEN[$sum]=$label
	LABELS+=("$label")
	PATHS+=("$path")
}
add_config debian:kea-dhcp4.conf /etc/kea/kea-dhcp4.conf
for f in "$EXAMPLES"/*.json; do add_config "kea-doc:$(basename "$f")" "$f"; done
for f in "$SRC"/tests/fixtures/config/*.json; do add_config "fixtures:$(basename "$f")" "$f"; done
for f in "$SRC"/tests/fuzz/config/corpus/*.json; do add_config "fuzz:$(basename "$f")" "$f"; done
for f in "$KD"/configs/*.json; do add_config "kea_diff:$(basename "$f")" "$f"; done
[ "${#LABELS[@]}" -gt 0 ] || fail "no configuration to run"

# Configs that must match: every one listed must be here (a missing
# kea-doc means scripts/setup was not run).
mapfile -t EXPECTED < <(sed -e 's/#.*//' -e 's/[[:space:]]*$//' -e '/^$/d' "$EXPECT")
for e in "${EXPECTED[@]}"; do
	if [ -n "${KEA_DIFF_ONLY:-}" ] && ! [[ "$e" =~ $KEA_DIFF_ONLY ]]; then continue; fi
	found=0
	for l in "${LABELS[@]}"; do [ "$l" = "$e" ] && found=1; done
	[ "$found" = 1 ] || fail "$e is in expected-match.txt but not found (kea-doc installed? scripts/setup)"
done

# ---- the network: srv0 (server) <-> rly0 (relay agent, giaddrs on lo) ---------
netns_add srv
netns_add rly
veth_pair srv srv0 rly rly0
addr_add srv srv0 "$SRV_ADDR/24"
addr_add rly rly0 "$RLY_ADDR/24"

# relays_set add|del PLAN: the plan's giaddrs on the relay's lo, routed from the server.
relays_set() {
	local op=$1 a
	for a in $(python3 -c 'import json,sys; print(" ".join(json.load(open(sys.argv[1]))["relays"]))' "$2"); do
		ip -n "$(ns rly)" addr "$op" "$a/32" dev lo || return 1
		ip -n "$(ns srv)" route "$op" "$a/32" via "$RLY_ADDR" || return 1
	done
}

# started NAME ERE: wait (10 s) until NAME's log matches ERE; 1 if NAME
# exited first or the time is up.
started() {
	local pid
	pid=$(bg_pid "$1")
	wait_for 10 eval "grep -Eq -- '$2' '$(bg_log "$1")' || ! _alive $pid"
	grep -Eq -- "$2" "$(bg_log "$1")" && _alive "$pid"
}

# first_error LOG: the first error line, without the file name and time stamps.
first_error() {
	grep -m1 -E 'error|ERROR|FATAL|[Ff]ail' "$1" | sed -E \
		-e 's/^[0-9-]+ [0-9:.]+ +[A-Z]+ +\[[^]]*\] +//' \
		-e 's#[^ ]*/config\.json:([0-9.:-]+:)? ?##g' -e 's/^error: //' | cut -c1-160
}

# serve_and_probe WHO N DIR: run WHO (kea|ternd) on DIR/config.json, probe,
# stop; the replies go to DIR/WHO.jsonl. Prints nothing; 1 if WHO did not
# start, 2 if the probe failed.
# Process names are "cN/WHO": their logs stay in the config's directory.
serve_and_probe() {
	local who=$1 n=$2 d=$3 name="c$2/$1"
	if [ "$who" = kea ]; then
		start_bg "$name" ip netns exec "$(ns srv)" env KEA_PIDFILE_DIR="$d" \
			KEA_LOCKFILE_DIR=none kea-dhcp4 -c "$d/config.json"
		started "$name" 'DHCP4_STARTED' || { stop_bg "$name"; return 1; }
	else
		start_bg "$name" ip netns exec "$(ns srv)" "$TERND" -d -c "$d/config.json"
		started "$name" 'serving [0-9]+ subnets' || { stop_bg "$name"; return 1; }
	fi
	run_bounded 30 "$name-probe" ip netns exec "$(ns rly)" \
		python3 "$KD/probe.py" "$d/plan.json" --out "$d/$who.jsonl"
	local rc=$?
	stop_bg "$name"
	[ "$rc" = 0 ] || return 2
}

declare -a RESULT
declare -A CAUSES
n=0
for ((i = 0; i < ${#LABELS[@]}; i++)); do
	label=${LABELS[$i]} path=${PATHS[$i]}
	n=$((n + 1))
	d="$TT_DIR/c$n"
	mkdir -p "$d"
	log "---- $label ($path)"
	python3 "$KD/prepare.py" "$path" "$d" srv0 --server "$SRV_ADDR" >"$d/notes.txt" 2>&1
	case $? in
	0) ;;
	3) RESULT[i]="kea refused: $(head -n1 "$d/notes.txt")" ;;
	*) RESULT[i]="unreadable: $(head -n1 "$d/notes.txt")" ;;
	esac
	if [ -n "${RESULT[$i]:-}" ]; then
		log "$label: ${RESULT[$i]}"
		continue
	fi
	sed 's/^/  note: /' "$d/notes.txt" >&2
	if ! run_bounded 20 "c$n/kea-t" ip netns exec "$(ns srv)" env KEA_PIDFILE_DIR="$d" \
		KEA_LOCKFILE_DIR=none kea-dhcp4 -t "$d/config.json"; then
		RESULT[i]="kea refused: $(first_error "$(bg_log "c$n/kea-t")")"
		log "$label: ${RESULT[$i]}"
		continue
	fi
	if ! run_bounded 20 "c$n/ternd-t" "$TERND" -t "$d/config.json"; then
		nerr=$(grep -c 'error:' "$(bg_log "c$n/ternd-t")")
		RESULT[i]="ternd refused ($nerr errors): $(first_error "$(bg_log "c$n/ternd-t")")"
		log "$label: ${RESULT[$i]}"
		grep 'error:' "$(bg_log "c$n/ternd-t")" | sed -E 's/^[^ ]*config\.json:[0-9:]+ /  ternd -t: /' >&2
		continue
	fi
	orig=""
	if ! run_bounded 20 "c$n/ternd-t-orig" "$TERND" -t "$path"; then
		orig=" [original file: ternd -t refuses: $(grep -m1 'error:' "$(bg_log "c$n/ternd-t-orig")" |
			sed -E 's/^.*error: //' | cut -c1-80)]"
	fi
	if [ "$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["clients"]))' "$d/plan.json")" = 0 ]; then
		RESULT[i]="nothing to probe (no usable subnet)$orig"
		log "$label: ${RESULT[$i]}"
		continue
	fi
	relays_set add "$d/plan.json" || fail "cannot add relay addresses for $label"
	res=""
	for who in kea ternd; do
		serve_and_probe "$who" "$n" "$d"
		case $? in
		0) continue ;;
		1) res="$who did not serve: $(first_error "$(bg_log "c$n/$who")")" ;;
		*) res="probe failed with $who: $(tail -n1 "$(bg_log "c$n/$who-probe")")" ;;
		esac
		break
	done
	relays_set del "$d/plan.json" || fail "cannot remove relay addresses for $label"
	if [ -z "$res" ]; then
		python3 "$KD/compare.py" "$d/kea.jsonl" "$d/ternd.jsonl" --plan "$d/plan.json" \
			--allow "$TABLE" >"$d/compare.txt" 2>&1
		crc=$?
		res=$(sed -n 's/^result: //p' "$d/compare.txt")
		[ "$crc" -le 1 ] && [ -n "$res" ] || res="compare failed: $(tail -n1 "$d/compare.txt")"
		if [ "$crc" = 1 ]; then
			res="$res in $(sed -n 's/^clients: \([0-9]*\), with differences: \([0-9]*\).*/\2 of \1/p' \
				"$d/compare.txt") clients"
			grep -v '^cause:\|^clients:\|^result:' "$d/compare.txt" | head -n 16 | sed 's/^/  /' >&2
			while read -r _ cnt cause; do
				CAUSES[$cause]="${CAUSES[$cause]:-}$label($cnt) "
			done < <(grep '^cause:' "$d/compare.txt")
			grep '^cause:' "$d/compare.txt" | sed 's/^/  /' >&2
		fi
	fi
	RESULT[i]="$res$orig"
	log "$label: ${RESULT[$i]}"
done

if [ -n "${KEA_DIFF_KEEP:-}" ]; then
	mkdir -p "$KEA_DIFF_KEEP"
	for ((i = 0; i < ${#LABELS[@]}; i++)); do
		k="$KEA_DIFF_KEEP/${LABELS[$i]//[:\/]/_}"
		rm -rf "$k" && cp -r "$TT_DIR/c$((i + 1))" "$k"
	done
	cp "$TT_DIR"/*.log "$KEA_DIFF_KEEP/" 2>/dev/null
fi

# ---- summary and gate -----------------------------------------------------------
echo
echo "==== kea_diff: differences by cause (configs(clients))"
for cause in "${!CAUSES[@]}"; do
	printf '%s\n    %s\n' "$cause" "${CAUSES[$cause]}"
done | paste - - | sort | sed 's/\t/\n/'
echo "==== kea_diff summary ($(((($(_now_ms) - T0) + 500) / 1000)) s)"
bad=0
for ((i = 0; i < ${#LABELS[@]}; i++)); do
	label=${LABELS[$i]} res=${RESULT[$i]}
	want=0
	for e in "${EXPECTED[@]}"; do [ "$e" = "$label" ] && want=1; done
	mark="  "
	if [ "$want" = 1 ]; then
		mark="* "
		case "$res" in MATCH*) ;; *) mark="! " bad=$((bad + 1)) ;; esac
	elif [[ "$res" == MATCH* ]]; then
		res="$res (not in expected-match.txt yet: add it)"
	fi
	printf '%s%-40s %s\n' "$mark" "$label" "$res"
done
echo "(* must match: tests/integ/kea_diff/expected-match.txt; ! = it does not)"
[ "$bad" = 0 ] || fail "$bad configuration(s) in expected-match.txt do not match kea-dhcp4"
log "PASS"
