#!/bin/bash
# Integration test of tern-mgr's start-up without -d: directories it creates, failures told on stderr, programs checked, --help defaults.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/mgr_lib.sh"

tt_init
mgr_require

# A WAN port with no server behind it: udhcpc runs and waits.
netns_add gw
netns_add isp
veth_pair gw wan0 isp e0

# write_cfg FILE ['"KEY": VALUE'...]: a configuration with an enabled
# DHCPv4 client on wan0 and a disabled DHCPv6 one; a key given replaces
# the default one (a key twice in one map is an error), others are added.
write_cfg() {
	local f=$1 kv e out="" sep=""
	shift
	local defaults=(
		'"DHCPv4": {"Client": [{"Alias": "wan", "Enable": true, "Interface": "wan0"}]}'
		'"DHCPv6": {"Client": [{"Alias": "wan6", "Enable": false, "Interface": "wan0"}]}'
		"\"LeaseAddress\": \"ipc://$TT_DIR/lease.sock\""
		"\"EventAddress\": \"ipc://$TT_DIR/events.sock\""
		"\"ControlSocket\": \"$TT_DIR/mgr.sock\""
		"\"StateDir\": \"$TT_DIR/state\""
		"\"Plugin\": \"$MGR_PLUGIN\"")
	for kv in "${defaults[@]}"; do
		for e in "$@"; do
			[ "${e%%:*}" != "${kv%%:*}" ] || continue 2
		done
		out="$out$sep$kv"
		sep=",
 "
	done
	for kv in "$@"; do
		out="$out$sep$kv"
		sep=", "
	done
	printf '{%s}\n' "$out" >"$f"
}

# get_at SOCKET PATH: one parameter's value.
get_at() { "$MGR_CTL" mgr get -s "$1" "$2" | sed -n "s|^$2=||p"; }

# must_refuse NAME CONFIG TEXT...: tern-mgr (no -d, stdin not a tty)
# exits non-zero by itself within seconds, with one "tern-mgr: " line on
# stderr holding every TEXT.
must_refuse() {
	local name=$1 cfg=$2 rc line t
	shift 2
	run_bounded 10 "$name" ip netns exec "$(ns gw)" "$MGR_BIN" -c "$cfg"
	rc=$?
	[ "$rc" != 124 ] || fail "$name: tern-mgr hung"
	[ "$rc" != 0 ] || fail "$name: tern-mgr exited 0"
	line=$(grep '^tern-mgr: ' "$(bg_log "$name")") ||
		fail "$name: no 'tern-mgr: ' line on stderr"
	[ "$(printf '%s\n' "$line" | wc -l)" = 1 ] || fail "$name: not one line: $line"
	for t in "$@"; do
		case "$line" in *"$t"*) ;; *) fail "$name: '$line' lacks '$t'" ;; esac
	done
	log "$name: exit $rc, '$line'"
}

log "runtime and state directories that do not exist are created, umask or not"
write_cfg "$TT_DIR/dirs.json" \
	"\"ControlSocket\": \"$TT_DIR/run/x/mgr.sock\"" \
	"\"EventAddress\": \"ipc://$TT_DIR/run/y/ev\"" \
	"\"LeaseAddress\": \"ipc://$TT_DIR/run/l/lease\"" \
	"\"StateDir\": \"$TT_DIR/state/z\"" \
	"\"DibblerClient\": \"$TT_DIR/no-dibbler\""
# The DHCPv6 client is disabled: a missing DibblerClient is no reason to
# refuse. sh execs ip which execs tern-mgr: the pid is tern-mgr's.
start_bg mgr sh -c 'umask 077; exec "$@"' sh \
	ip netns exec "$(ns gw)" "$MGR_BIN" -c "$TT_DIR/dirs.json"
wait_for 10 "$MGR_CTL" mgr status -s "$TT_DIR/run/x/mgr.sock" ||
	fail "tern-mgr did not start"
"$MGR_CTL" mgr status -s "$TT_DIR/run/x/mgr.sock" >&2
for d in run/x:755 run/y:755 run/l:755 state/z:700 state:755; do
	m=$(stat -c %a "$TT_DIR/${d%:*}") || fail "${d%:*} not created"
	[ "$m" = "${d#*:}" ] || fail "${d%:*}: mode $m, not ${d#*:}"
done
[ -S "$TT_DIR/run/x/mgr.sock" ] && [ -S "$TT_DIR/run/y/ev" ] &&
	[ -S "$TT_DIR/run/l/lease" ] || fail "sockets missing"
wait_for 10 eval '[ "$(get_at "$TT_DIR/run/x/mgr.sock" \
	Device.DHCPv4.Client.1.X_TERN_Pid)" -gt 0 ]' || fail "udhcpc not started"
# Started: the log goes to syslog, nothing of tern-mgr's on stderr.
! grep -q '^tern-mgr' "$(bg_log mgr)" || fail "started tern-mgr wrote on stderr"
pid=$(bg_pid mgr)
kill -TERM "$pid"
wait_bg mgr 10 || fail "tern-mgr did not stop cleanly on SIGTERM"
[ ! -e "$TT_DIR/run/x/mgr.sock" ] || fail "control socket left behind"

log "start-up failures: the reason on stderr, non-zero exit"
: >"$TT_DIR/afile"
write_cfg "$TT_DIR/ev.json" "\"EventAddress\": \"ipc://$TT_DIR/afile/ev\""
must_refuse ev "$TT_DIR/ev.json" EventAddress "$TT_DIR/afile/ev" "Not a directory"
write_cfg "$TT_DIR/lease.json" "\"LeaseAddress\": \"ipc://$TT_DIR/afile/l\""
must_refuse lease "$TT_DIR/lease.json" LeaseAddress "Not a directory"
write_cfg "$TT_DIR/ctl.json" "\"ControlSocket\": \"$TT_DIR/afile/mgr.sock\""
must_refuse ctl "$TT_DIR/ctl.json" ControlSocket "$TT_DIR/afile/mgr.sock"
write_cfg "$TT_DIR/st.json" "\"StateDir\": \"$TT_DIR/afile/state\""
must_refuse state "$TT_DIR/st.json" StateDir "$TT_DIR/afile/state"
printf '{"DHCPv4": {"Client": [}\n' >"$TT_DIR/bad.json"
must_refuse json "$TT_DIR/bad.json" "$TT_DIR/bad.json" "JSON syntax error"
write_cfg "$TT_DIR/key.json" '"Plugni": "/x"'
must_refuse key "$TT_DIR/key.json" "$TT_DIR/key.json" "unknown key Plugni"
must_refuse nofile "$TT_DIR/none.json" "$TT_DIR/none.json" "No such file"
# The lease address is in use by a live tern-mgr's: the second one says so.
write_cfg "$TT_DIR/a.json" "\"ControlSocket\": \"$TT_DIR/a.sock\"" \
	"\"EventAddress\": \"\"" "\"LeaseAddress\": \"ipc://$TT_DIR/busy\""
start_bg mgr-a ip netns exec "$(ns gw)" "$MGR_BIN" -c "$TT_DIR/a.json"
wait_for 10 "$MGR_CTL" mgr status -s "$TT_DIR/a.sock" || fail "tern-mgr a did not start"
write_cfg "$TT_DIR/b.json" "\"ControlSocket\": \"$TT_DIR/b.sock\"" \
	"\"EventAddress\": \"\"" "\"LeaseAddress\": \"ipc://$TT_DIR/busy\"" \
	"\"StateDir\": \"$TT_DIR/state-b\""
must_refuse busy "$TT_DIR/b.json" LeaseAddress "ipc://$TT_DIR/busy"
stop_bg mgr-a

log "programs: a missing or non-executable Plugin / Udhcpc is refused"
write_cfg "$TT_DIR/p1.json" "\"Plugin\": \"$TT_DIR/no-plugin\""
must_refuse plugin-missing "$TT_DIR/p1.json" Plugin "$TT_DIR/no-plugin" "does not exist"
printf '#!/bin/sh\nexit 0\n' >"$TT_DIR/plugin-644"
chmod 644 "$TT_DIR/plugin-644"
write_cfg "$TT_DIR/p2.json" "\"Plugin\": \"$TT_DIR/plugin-644\""
must_refuse plugin-noexec "$TT_DIR/p2.json" Plugin "$TT_DIR/plugin-644" "not executable"
write_cfg "$TT_DIR/p3.json" "\"Plugin\": \"$TT_DIR\""
must_refuse plugin-dir "$TT_DIR/p3.json" Plugin "not a regular file"
write_cfg "$TT_DIR/u1.json" "\"Udhcpc\": \"$TT_DIR/no-udhcpc\""
must_refuse udhcpc-missing "$TT_DIR/u1.json" Udhcpc "$TT_DIR/no-udhcpc"
write_cfg "$TT_DIR/u2.json" '"Udhcpc": "no-such-udhcpc-tern"'
must_refuse udhcpc-path "$TT_DIR/u2.json" Udhcpc "not found in PATH"
# An enabled DHCPv6 client needs DibblerClient.
write_cfg "$TT_DIR/d1.json" "\"DHCPv4\": {\"Client\": []}" \
	"\"DHCPv6\": {\"Client\": [{\"Interface\": \"wan0\"}]}" \
	"\"DibblerClient\": \"$TT_DIR/no-dibbler\""
must_refuse dibbler-missing "$TT_DIR/d1.json" DibblerClient "$TT_DIR/no-dibbler"

log "--help shows the build's defaults; the default Plugin is the install prefix's"
help=$("$MGR_BIN" --help) || fail "--help failed"
printf '%s\n' "$help" >&2
prefix=$(sed -n 's/^CMAKE_INSTALL_PREFIX:[A-Z]*=//p' "$TERN_BUILD/CMakeCache.txt")
sbindir=$(sed -n 's/^CMAKE_INSTALL_SBINDIR:[A-Z]*=//p' "$TERN_BUILD/CMakeCache.txt")
[ -n "$prefix" ] || fail "no CMAKE_INSTALL_PREFIX in $TERN_BUILD/CMakeCache.txt"
case "${sbindir:=sbin}" in
/*) want="$sbindir/tern-plugin" ;;
*) want="$prefix/$sbindir/tern-plugin" ;;
esac
got=$(printf '%s\n' "$help" | awk '$1 == "Plugin" {print $2}')
[ "$got" = "$want" ] || fail "--help default Plugin '$got', want '$want'"
for k in "ControlSocket /run/tern/mgr.sock" "EventAddress ipc:///run/tern/mgr-events" \
	"StateDir /var/lib/tern/mgr"; do
	printf '%s\n' "$help" | grep -Eq "^ +${k% *} +${k#* }\$" || fail "--help lacks '$k'"
done
# Without a Plugin key the default is what is checked.
cat >"$TT_DIR/default.json" <<EOF2
{"DHCPv4": {"Client": [{"Interface": "wan0"}]},
 "LeaseAddress": "ipc://$TT_DIR/lease.sock", "EventAddress": "",
 "ControlSocket": "$TT_DIR/mgr.sock", "StateDir": "$TT_DIR/state"}
EOF2
if [ ! -x "$want" ]; then
	must_refuse plugin-default "$TT_DIR/default.json" Plugin "\"$want\"" "does not exist"
else
	log "default plugin $want is installed: its refusal is not testable here"
fi

log "OK"
