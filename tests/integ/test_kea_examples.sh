#!/bin/bash
# kea-dhcp4 -t and ternd -t on every Kea example (Debian's kea-dhcp4.conf, the
# kea-doc examples) and on every case of Kea's dialect
# (tests/fixtures/kea-dialect). The gate:
#  - an example kea-dhcp4 accepts, ternd accepts, unless it is listed in
#    kea_examples/expected-refusals.txt; then every error of ternd's must be
#    one the list gives for it, and a listed file ternd accepts is a failure
#    (delete its lines: the list only shrinks);
#  - each dialect case gets Kea's verdict written in its cases.txt line, and
#    ternd prints the diagnostic written there, as FILE:LINE:COL.
# kea-dhcp4 -t opens every interface and hook library a file names: it runs
# in a private namespace with those interfaces made (bridges), and a file
# whose hook libraries are elsewhere is checked by Kea with them moved to
# Debian's hook directory, or left out when not installed (see
# kea_examples/prep.py). ternd always reads the file itself.
# KEA_FAMILY=6 (test_kea6_examples.sh) does the same for kea-dhcp6, Debian's
# kea-dhcp6.conf and the kea6 examples against
# kea_examples/expected-refusals6.txt (the dialect cases are Dhcp4 ones).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/ternd_lib.sh"
tt_init
require_root
FAM=${KEA_FAMILY:-4}
KEA=kea-dhcp$FAM
require_cmd "$KEA" python3
require_file "$TERND"

SRC=${TERN_SRC:-$(cd "$(dirname "$0")/../.." && pwd)}
KE=$SRC/tests/integ/kea_examples
EXPECT=$KE/expected-refusals$([ "$FAM" = 6 ] && echo 6).txt
CASES=$SRC/tests/fixtures/kea-dialect
EXAMPLES=/usr/share/doc/kea/examples/kea$FAM
HOOKDIR=$(dirname "$(ls /usr/lib/*/kea/hooks/libdhcp_lease_cmds.so 2>/dev/null | head -n1)")
[ -d "$EXAMPLES" ] || skip "no Kea examples in $EXAMPLES (kea-doc: scripts/setup)"
netns_add kea
cd "$TT_DIR" || fail "cd $TT_DIR"

# kea_t NAME FILE [CWD]: kea-dhcp4 -t FILE in the namespace, from CWD (an
# include is relative to it), with the interfaces FILE names; the output
# is in NAME's log. Returns kea-dhcp4's status.
kea_t() {
	local name=$1 file=$2 cwd=${3:-$TT_DIR} n addr made=() rc
	while read -r n addr; do
		[ -n "$n" ] || continue
		ip -n "$(ns kea)" link add "$n" type bridge 2>/dev/null || continue
		made+=("$n")
		ip -n "$(ns kea)" link set "$n" up
		[ -z "$addr" ] || ip -n "$(ns kea)" addr add "$addr/24" dev "$n"
	done < <(cd "$cwd" && python3 "$KE/prep.py" ifaces "$file")
	cd "$cwd" || fail "cd $cwd"
	run_bounded 30 "$name" ip netns exec "$(ns kea)" env \
		KEA_LOCKFILE_DIR=none KEA_PIDFILE_DIR="$TT_DIR" "$KEA" -t "$file"
	rc=$?
	cd "$TT_DIR" || fail "cd $TT_DIR"
	for n in "${made[@]}"; do ip -n "$(ns kea)" link del "$n"; done
	return "$rc"
}

# ternd_t NAME FILE [CWD]: ternd -t FILE from CWD; the output in NAME's log.
ternd_t() {
	local rc
	cd "${3:-$TT_DIR}" || fail "cd ${3:-$TT_DIR}"
	run_bounded 30 "$1" "$TERND" -t "$2"
	rc=$?
	cd "$TT_DIR" || fail "cd $TT_DIR"
	return "$rc"
}

# first_error LOG: Kea's first error, without the time stamp and logger.
first_error() {
	grep -m1 -E 'ERROR|FATAL|[Ee]rror|failed' "$1" | sed -E \
		-e 's/^[0-9-]+ [0-9:.]+ +[A-Z]+ +\[[^]]*\] +//' | cut -c1-150
}

# ---- the expected refusals: LABEL | ERE | why (who) -----------------------------
# The ERE may hold '|': the fields are split at the first and the last " | ".
declare -A PATTERNS
while read -r line; do
	case "$line" in '#'* | '') continue ;; esac
	label=${line%% | *}
	why=${line##* | }
	ere=${line#"$label | "}
	ere=${ere%" | $why"}
	[ "$label" != "$line" ] && [ -n "$ere" ] && [ "$ere" != "$line" ] && [ -n "$why" ] ||
		fail "expected-refusals.txt: bad line: $line"
	PATTERNS[$label]+="$ere"$'\n'
done <"$EXPECT"

# ---- the examples ----------------------------------------------------------------
declare -a LABELS PATHS RESULT
LABELS+=("debian:$KEA.conf")
PATHS+=("/etc/kea/$KEA.conf")
for f in "$EXAMPLES"/*.json; do
	LABELS+=("kea-doc:$(basename "$f")")
	PATHS+=("$f")
done
for label in "${!PATTERNS[@]}"; do
	found=0
	for l in "${LABELS[@]}"; do [ "$l" = "$label" ] && found=1; done
	[ "$found" = 1 ] || fail "$label is in expected-refusals.txt but not here"
done

bad=0
for ((i = 0; i < ${#LABELS[@]}; i++)); do
	label=${LABELS[$i]} path=${PATHS[$i]} note=""
	[ -f "$path" ] || { RESULT[i]="(missing)"; continue; }
	if ! kea_t "k$i" "$path"; then
		if grep -q 'HOOKS_OPEN_ERROR\|failed to open hook library' "$(bg_log "k$i")" &&
			[ -n "$HOOKDIR" ]; then
			python3 "$KE/prep.py" hooks "$path" "$TT_DIR/hooks$i.json" "$HOOKDIR" \
				>"$TT_DIR/hooks$i.txt" || fail "$label: prep.py hooks"
			note=" (Kea checked it with $(grep -c 'checked as' "$TT_DIR/hooks$i.txt") hook(s) from $HOOKDIR, $(grep -c 'left out' "$TT_DIR/hooks$i.txt") left out)"
			if ! kea_t "k$i-hooks" "$TT_DIR/hooks$i.json"; then
				RESULT[i]="kea refuses: $(first_error "$(bg_log "k$i-hooks")")"
				continue
			fi
		else
			RESULT[i]="kea refuses: $(first_error "$(bg_log "k$i")")"
			continue
		fi
	fi
	ternd_t "t$i" "$path"
	trc=$?
	tlog=$(bg_log "t$i")
	want=${PATTERNS[$label]:-}
	if [ "$trc" = 0 ]; then
		if [ -n "$want" ]; then
			RESULT[i]="FAIL: ternd accepts it: delete its lines from expected-refusals.txt"
			bad=$((bad + 1))
		else
			RESULT[i]="both accept$note"
			rm -f "$(bg_log "k$i")" "$(bg_log "k$i-hooks")" "$tlog"
		fi
		continue
	fi
	nerr=$(grep -c ': error: ' "$tlog")
	if [ -z "$want" ]; then
		RESULT[i]="FAIL: ternd refuses it ($nerr errors)$note"
		grep ': error: ' "$tlog" | sed 's/^/    /' >&2
		bad=$((bad + 1))
		continue
	fi
	# Every error must be one the list gives for this file.
	unexplained=$(grep ': error: ' "$tlog" | while read -r line; do
		ok=0
		while read -r ere; do
			[ -n "$ere" ] && echo "$line" | grep -Eq -- "$ere" && ok=1
		done <<<"$want"
		[ "$ok" = 1 ] || echo "$line"
	done)
	if [ -n "$unexplained" ]; then
		RESULT[i]="FAIL: ternd refuses it for a reason expected-refusals.txt does not give"
		echo "$unexplained" | sed 's/^/    /' >&2
		bad=$((bad + 1))
		continue
	fi
	gone=""
	while read -r ere; do
		[ -z "$ere" ] || grep ': error: ' "$tlog" | grep -Eq -- "$ere" ||
			gone="$gone [no longer seen: $ere]"
	done <<<"$want"
	RESULT[i]="ternd refuses as listed ($nerr errors)$note$gone"
	rm -f "$(bg_log "k$i")" "$(bg_log "k$i-hooks")" "$tlog"
done

# ---- the dialect cases -----------------------------------------------------------
ncase=0
while IFS='|' read -r file kea expect; do
	file=$(echo "$file" | sed 's/[[:space:]]*$//')
	case "$file" in '#'* | '') continue ;; esac
	kea=$(echo "$kea" | tr -d '[:space:]')
	expect=$(echo "$expect" | sed -e 's/^[[:space:]]*//' -e 's/[[:space:]]*$//')
	ncase=$((ncase + 1))
	if kea_t "case$ncase-kea" "$file" "$CASES"; then got=accept; else got=refuse; fi
	if [ "$got" != "$kea" ]; then
		log "case $file: kea-dhcp4 says $got, cases.txt says $kea: $(first_error "$(bg_log "case$ncase-kea")")"
		bad=$((bad + 1))
	fi
	ternd_t "case$ncase-ternd" "$file" "$CASES"
	trc=$?
	tlog=$(bg_log "case$ncase-ternd")
	read -r lvl where text <<<"$expect"
	case "$lvl" in
	accept) [ "$trc" = 0 ] && ! grep -q ': \(error\|warning\): ' "$tlog" ;;
	warning | error)
		# WHERE is LINE:COL in the case's file or FILE:LINE:COL.
		case "$where" in [0-9]*) where="$file:$where" ;; esac
		[ "$trc" = "$([ "$lvl" = error ] && echo 1 || echo 0)" ] &&
			grep -qF -- "$where: $lvl: $text" "$tlog"
		;;
	*) false ;;
	esac || {
		log "case $file: ternd -t (status $trc) does not print \"$expect\":"
		sed 's/^/    /' "$tlog" >&2
		bad=$((bad + 1))
		continue
	}
	[ "$got" != "$kea" ] || rm -f "$tlog" "$(bg_log "case$ncase-kea")"
done <"$([ "$FAM" = 4 ] && echo "$CASES/cases.txt" || echo /dev/null)"
log "$ncase dialect cases run through kea-dhcp4 -t and ternd -t"

echo
echo "==== kea_examples: $KEA -t and ternd -t"
for ((i = 0; i < ${#LABELS[@]}; i++)); do
	printf '%-40s %s\n' "${LABELS[$i]}" "${RESULT[$i]}"
done
[ "$bad" = 0 ] || fail "$bad difference(s) between $KEA -t and ternd -t (above)"
log "PASS"
