# tern integration-test library: private network namespaces, veths, background processes, DHCP clients, cleanup.
#
# Source it from a test:   . "$(dirname "$0")/lib.sh"
# Everything a test creates is named after a per-run prefix (tt<pid>) and
# lives inside namespaces the test creates; cleanup (trap on EXIT, INT,
# TERM) removes exactly that and kills only the processes started here.
# Namespaces are given by their short name (netns_add srv → "tt1234-srv";
# `ns srv` prints the full name). Call start_bg and the *_run helpers
# directly, never inside $(...): a subshell's children are not ours.
#
# Environment: TERN_BUILD, TERN_SRC (set by ctest), TT_VERBOSE=1 to trace.

set -u
set -o pipefail

TT_PREFIX="tt$$"
TT_DIR=""
TT_NS=()      # full names of namespaces we created
TT_LINKS=()   # "fullns if" of links we created
TT_PIDS=()    # pids of background processes we started
TT_PNAMES=()  # their names, same index
TT_ETC=()     # /etc/netns/<ns> dirs we created
TT_DONE=0
TT_FAIL_MSG=""

log() { printf '[%s] %s\n' "$(date +%T.%N | cut -c1-12)" "$*" >&2; }
fail() {
	TT_FAIL_MSG="$*"
	log "FAIL: $*"
	exit 1
}
skip() {
	log "SKIP: $*"
	exit 77
}
[ "${TT_VERBOSE:-0}" = 1 ] && set -x

# ---- setup and requirements ------------------------------------------------

# tt_init: make the temp dir and install the cleanup trap; call first.
tt_init() {
	TT_DIR=$(mktemp -d "${TMPDIR:-/tmp}/tern-integ.XXXXXX") || exit 1
	trap 'tt_cleanup' EXIT
	trap 'exit 130' INT
	trap 'exit 143' TERM
}

# require_root: skip (77) unless we may create network namespaces.
require_root() {
	[ "$(id -u)" = 0 ] || skip "needs root (network namespaces)"
	command -v ip >/dev/null || skip "needs iproute2"
	local probe="${TT_PREFIX}-probe"
	ip netns add "$probe" 2>/dev/null || skip "cannot create network namespaces"
	ip netns del "$probe"
}

# require_cmd CMD...: skip unless every command exists.
require_cmd() {
	local c
	for c in "$@"; do
		command -v "$c" >/dev/null 2>&1 || skip "needs $c"
	done
}

# require_file PATH...: skip unless each exists (e.g. a fixture binary).
require_file() {
	local f
	for f in "$@"; do
		[ -e "$f" ] || skip "missing $f (not built?)"
	done
}

# ---- waiting -----------------------------------------------------------------

_now_ms() { echo $(( $(date +%s%N) / 1000000 )); }

# wait_for TIMEOUT_S CMD...: poll CMD every 50 ms until it succeeds;
# returns 1 after TIMEOUT_S seconds (integer or decimal).
wait_for() {
	local timeout=$1
	shift
	local end=$(( $(_now_ms) + $(awk -v t="$timeout" 'BEGIN{printf "%d", t*1000}') ))
	while :; do
		"$@" >/dev/null 2>&1 && return 0
		[ "$(_now_ms)" -ge "$end" ] && return 1
		sleep 0.05
	done
}

# wait_file_contains TIMEOUT_S FILE ERE: wait until FILE has a line
# matching the extended regular expression ERE.
wait_file_contains() {
	wait_for "$1" grep -Eq -- "$3" "$2"
}

# ---- namespaces and links ----------------------------------------------------

# ns NAME: print the full name of our namespace NAME.
ns() { printf '%s-%s' "$TT_PREFIX" "$1"; }

# nsx NAME CMD...: run CMD inside our namespace NAME.
nsx() {
	local n
	n=$(ns "$1")
	shift
	ip netns exec "$n" "$@"
}

# netns_add NAME: create namespace NAME (loopback up) with a private
# /etc/netns/<ns>/resolv.conf so nothing in it touches the machine's.
netns_add() {
	local n
	n=$(ns "$1")
	# /etc/netns is shared by concurrent tests: create it under a lock,
	# with a marker when it is ours so the last test out removes it.
	flock /etc sh -c 'if [ ! -d /etc/netns ]; then
		mkdir /etc/netns && : >/etc/netns/.tern-integ-created; fi
		mkdir -p "$1"' sh "/etc/netns/$n" || fail "mkdir /etc/netns/$n"
	TT_ETC+=("/etc/netns/$n")
	printf '# tern integration test %s: private resolv.conf\n' "$n" \
		>"/etc/netns/$n/resolv.conf"
	ip netns add "$n" || fail "ip netns add $n"
	TT_NS+=("$n")
	ip -n "$n" link set lo up || fail "lo up in $n"
}

# veth_pair NS1 IF1 NS2 IF2: a veth pair with one end in each of our
# namespaces, both up. Names only need to be unique inside a namespace.
veth_pair() {
	local n1 n2
	n1=$(ns "$1")
	n2=$(ns "$3")
	ip link add "$2" netns "$n1" type veth peer name "$4" netns "$n2" ||
		fail "veth $1/$2 - $3/$4"
	TT_LINKS+=("$n1 $2")
	ip -n "$n1" link set "$2" up && ip -n "$n2" link set "$4" up ||
		fail "veth up"
}

# bridge_add NS BR [IF...]: a bridge in namespace NS with IFs as ports.
bridge_add() {
	local n br=$2 i
	n=$(ns "$1")
	shift 2
	ip -n "$n" link add "$br" type bridge || fail "bridge $br"
	TT_LINKS+=("$n $br")
	for i in "$@"; do
		ip -n "$n" link set "$i" master "$br" || fail "enslave $i"
	done
	ip -n "$n" link set "$br" up || fail "bridge up"
}

# addr_add NS IF CIDR: add an IPv4 address (e.g. 10.77.0.1/24).
addr_add() {
	ip -n "$(ns "$1")" addr add "$3" dev "$2" || fail "addr $3 on $1/$2"
}

# link_up NS IF / link_down NS IF.
link_up() { ip -n "$(ns "$1")" link set "$2" up; }
link_down() { ip -n "$(ns "$1")" link set "$2" down; }

# if_mac NS IF: print the interface's MAC address.
if_mac() {
	ip -n "$(ns "$1")" -o link show dev "$2" |
		sed -n 's/.*link\/ether \([0-9a-f:]*\).*/\1/p'
}

# if_addrs NS IF: print the interface's IPv4 addresses (CIDR), one a line.
if_addrs() {
	ip -n "$(ns "$1")" -4 -o addr show dev "$2" | awk '{print $4}'
}

# ---- processes ---------------------------------------------------------------

# start_bg NAME CMD...: run CMD in the background, output to
# $TT_DIR/NAME.log (appended: a name may be reused once the previous
# process ended); the pid goes to $TT_DIR/NAME.pid and bg_pid NAME.
start_bg() {
	local name=$1
	shift
	"$@" >>"$TT_DIR/$name.log" 2>&1 </dev/null &
	local pid=$!
	TT_PIDS+=("$pid")
	TT_PNAMES+=("$name")
	echo "$pid" >"$TT_DIR/$name.pid"
}

# bg_pid NAME: print the pid of the background process NAME.
bg_pid() { cat "$TT_DIR/$1.pid"; }

# bg_log NAME: print the path of NAME's output.
bg_log() { printf '%s/%s.log' "$TT_DIR" "$1"; }

# _ours PID: true when PID is alive and still our child (not a reused pid).
_ours() {
	local ppid
	[ -r "/proc/$1/stat" ] || return 1
	ppid=$(awk '{sub(/^.*\) /, ""); print $2}' "/proc/$1/stat" 2>/dev/null)
	[ "$ppid" = "$$" ]
}

# _alive PID: running (a zombie is finished).
_alive() {
	local st
	st=$(awk '{sub(/^.*\) /, ""); print $1}' "/proc/$1/stat" 2>/dev/null) ||
		return 1
	[ -n "$st" ] && [ "$st" != Z ] && [ "$st" != X ]
}

# _stop_pid PID: TERM, wait up to 3 s, then KILL; reap. Only our children.
_stop_pid() {
	local pid=$1 i
	_ours "$pid" || { wait "$pid" 2>/dev/null; return 0; }
	if _alive "$pid"; then
		kill -TERM "$pid" 2>/dev/null
		for ((i = 0; i < 60; i++)); do
			_alive "$pid" || break
			sleep 0.05
		done
		_alive "$pid" && _ours "$pid" && kill -KILL "$pid" 2>/dev/null
	fi
	wait "$pid" 2>/dev/null
	return 0
}

# stop_bg NAME: stop the background process NAME (TERM, bounded, KILL).
stop_bg() { _stop_pid "$(bg_pid "$1")"; }

# wait_bg NAME TIMEOUT_S: wait for NAME to exit by itself; returns its
# exit status, or 124 (and stops it) after TIMEOUT_S.
wait_bg() {
	local pid
	pid=$(bg_pid "$1")
	if ! wait_for "$2" eval "! _alive $pid"; then
		_stop_pid "$pid"
		return 124
	fi
	wait "$pid"
}

# run_bounded TIMEOUT_S NAME CMD...: run CMD to its end (at most
# TIMEOUT_S), output to $TT_DIR/NAME.log; returns its status (124 on
# timeout). It runs in the background so a signal to the test is
# handled (and the process stopped) at once.
run_bounded() {
	local t=$1 name=$2
	shift 2
	start_bg "$name" timeout -k 2 "$t" "$@"
	wait_bg "$name" "$((t + 5))"
}

# ---- DHCP clients --------------------------------------------------------------

# _rec_script DIR KIND: a client script that records each event's
# environment to DIR/NNN-EVENT.env, appends EVENT to DIR/events and keeps
# the last bound/renew lease in DIR/lease.env. It changes nothing.
_rec_script() {
	local dir=$1 kind=$2
	mkdir -p "$dir"
	: >"$dir/events"
	# dhclient gives its scripts a fresh environment with $reason;
	# udhcpc passes the event as $1.
	local ev='${1:-unknown}' bound='bound|renew'
	[ "$kind" = dhclient ] && ev='${reason:-unknown}' && bound='BOUND|RENEW|REBOOT|REBIND'
	cat >"$dir/script" <<EOF
#!/bin/sh
# Recording client script for tern's integration tests: no side effects.
d='$dir'
ev="$ev"
n=\$(wc -l <"\$d/events")
env | LC_ALL=C sort >"\$d/\$(printf %03d "\$n")-\$ev.env"
# The lease first: a test that saw the event reads it at once.
case "\$ev" in
$bound) env | LC_ALL=C sort >"\$d/lease.env.tmp" && mv "\$d/lease.env.tmp" "\$d/lease.env" ;;
esac
echo "\$ev" >>"\$d/events"
exit 0
EOF
	chmod 755 "$dir/script"
}

# rec_dir NS IF KIND: where client KIND's script records for NS/IF.
rec_dir() { printf '%s/%s-%s-%s' "$TT_DIR" "$3" "$1" "$2"; }

# rec_get NS IF KIND VAR: print VAR from the last bound lease (empty if none).
rec_get() {
	local f
	f="$(rec_dir "$1" "$2" "$3")/lease.env"
	[ -r "$f" ] || return 1
	sed -n "s/^$4=//p" "$f" | head -n 1
}

# rec_events NS IF KIND: print the recorded events, one a line.
rec_events() { cat "$(rec_dir "$1" "$2" "$3")/events" 2>/dev/null; }

# udhcpc_run NS IF [ARGS...]: busybox udhcpc in the foreground until it
# is bound (-q), at most 4 tries of 1 s each (-n: fail then); events in
# rec_dir NS IF udhcpc. Returns udhcpc's status. ARGS e.g. -B.
udhcpc_run() {
	local n=$1 ifc=$2 dir
	shift 2
	dir=$(rec_dir "$n" "$ifc" udhcpc)
	_rec_script "$dir" udhcpc
	run_bounded 30 "udhcpc-$n-$ifc" ip netns exec "$(ns "$n")" \
		udhcpc -f -q -n -t 4 -T 1 -A 1 -i "$ifc" -s "$dir/script" "$@"
}

# udhcpc_start NS IF [ARGS...]: busybox udhcpc in the background (stays
# after bound: renew with kill -USR1 "$(bg_pid udhcpc-NS-IF)"); events in
# rec_dir NS IF udhcpc; stop with stop_bg udhcpc-NS-IF.
udhcpc_start() {
	local n=$1 ifc=$2 dir
	shift 2
	dir=$(rec_dir "$n" "$ifc" udhcpc)
	_rec_script "$dir" udhcpc
	start_bg "udhcpc-$n-$ifc" ip netns exec "$(ns "$n")" \
		udhcpc -f -t 4 -T 1 -A 1 -i "$ifc" -s "$dir/script" "$@"
}

# dhclient_run NS IF [ARGS...]: ISC dhclient in the background (-d, one
# attempt), private -cf/-lf/-pf and the recording script; wait on it with
# wait_file_contains ... "$(rec_dir NS IF dhclient)/events" BOUND and stop
# it with stop_bg dhclient-NS-IF.
dhclient_run() {
	local n=$1 ifc=$2 dir
	shift 2
	dir=$(rec_dir "$n" "$ifc" dhclient)
	_rec_script "$dir" dhclient
	cat >"$dir/dhclient.conf" <<EOF
timeout 20;
retry 1;
initial-interval 1;
request subnet-mask, routers, domain-name-servers;
EOF
	start_bg "dhclient-$n-$ifc" ip netns exec "$(ns "$n")" \
		dhclient -4 -d -v -1 -cf "$dir/dhclient.conf" -sf "$dir/script" \
		-lf "$dir/dhclient.leases" -pf "$dir/dhclient.pid" "$@" "$ifc"
}

# ---- cleanup -----------------------------------------------------------------

# tt_cleanup: on every exit. Stops our processes (by pid), deletes our
# links, namespaces and /etc/netns entries, shows logs on failure,
# removes the temp dir.
tt_cleanup() {
	local rc=$? i f
	[ "$TT_DONE" = 1 ] && return
	TT_DONE=1
	set +e
	trap - INT TERM
	for ((i = ${#TT_PIDS[@]} - 1; i >= 0; i--)); do
		_stop_pid "${TT_PIDS[$i]}"
	done
	for ((i = ${#TT_LINKS[@]} - 1; i >= 0; i--)); do
		# shellcheck disable=SC2086
		set -- ${TT_LINKS[$i]}
		ip -n "$1" link del "$2" 2>/dev/null
	done
	for f in "${TT_NS[@]}"; do
		ip netns del "$f" 2>/dev/null
	done
	for f in "${TT_ETC[@]}"; do
		rm -f "$f/resolv.conf"
		rmdir "$f" 2>/dev/null
	done
	# Remove /etc/netns if a tern test made it and nothing else is left.
	[ "${#TT_ETC[@]}" -gt 0 ] && flock /etc sh -c '
		[ -e /etc/netns/.tern-integ-created ] || exit 0
		[ -z "$(ls -A /etc/netns | grep -vx .tern-integ-created)" ] || exit 0
		rm -f /etc/netns/.tern-integ-created && rmdir /etc/netns'

	if [ "$rc" != 0 ] && [ "$rc" != 77 ] && [ -n "$TT_DIR" ]; then
		for f in "$TT_DIR"/*.log; do
			[ -s "$f" ] || continue
			echo "---- $(basename "$f") (last 40 lines)" >&2
			tail -n 40 "$f" >&2
		done
	fi
	[ -n "$TT_DIR" ] && [ -d "$TT_DIR" ] && rm -rf -- "$TT_DIR"
	exit "$rc"
}

# v6_link NS1 IF1 NS2 IF2 [CIDR]: namespaces NS1 and NS2 joined by a veth
# pair for DHCPv6, DAD off (a tentative link-local address cannot be bound
# to: dhclient, perfdhcp and the servers would fail for a while), CIDR
# (default 2001:db8:1::1/64) on IF1; returns once both ends have their
# link-local address.
v6_link() {
	local n1=$1 i1=$2 n2=$3 i2=$4 cidr=${5:-2001:db8:1::1/64} n
	netns_add "$n1"
	netns_add "$n2"
	veth_pair "$n1" "$i1" "$n2" "$i2"
	for n in "$n1" "$n2"; do
		nsx "$n" sysctl -qw net.ipv6.conf.all.accept_dad=0 \
			net.ipv6.conf.default.accept_dad=0 || fail "sysctl"
	done
	nsx "$n1" sysctl -qw "net.ipv6.conf.$i1.accept_dad=0" || fail "sysctl $i1"
	nsx "$n2" sysctl -qw "net.ipv6.conf.$i2.accept_dad=0" || fail "sysctl $i2"
	link_down "$n1" "$i1"
	link_down "$n2" "$i2"
	link_up "$n1" "$i1"
	link_up "$n2" "$i2"
	ip -n "$(ns "$n1")" -6 addr add "$cidr" dev "$i1" nodad || fail "addr $cidr"
	wait_for 10 eval "ip -n $(ns "$n1") -6 -o addr show dev $i1 scope link | grep -q fe80" ||
		fail "no link-local address on $i1"
	wait_for 10 eval "ip -n $(ns "$n2") -6 -o addr show dev $i2 scope link | grep -q fe80" ||
		fail "no link-local address on $i2"
}
