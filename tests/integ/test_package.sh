#!/bin/bash
# The Debian package: built from a copy of the tree (dpkg-buildpackage),
# its contents, conffiles, maintainer scripts and systemd units checked; then
# its ternd and tern-mgr run the shipped example configurations unchanged,
# as the shipped units start them (same command lines, same capability
# bounding set, read-only system), and tern-mgr's udhcpc gets a lease on
# wan0 from ternd on lan0.
. "$(dirname "$0")/lib.sh"
tt_init
require_cmd dpkg-buildpackage dpkg-deb tar
SRC="${TERN_SRC:-$(cd "$(dirname "$0")/../.." && pwd)}"

# ---- build -------------------------------------------------------------------

# dpkg-buildpackage writes next to the source: copy it to $TT_DIR/src/tern.
# The copy is what git would commit now (tracked and untracked, not
# ignored: no build directories), or the tree without build*/obj-*.
tree="$TT_DIR/src/tern"
mkdir -p "$tree"
if git -C "$SRC" rev-parse --git-dir >/dev/null 2>&1; then
	(cd "$SRC" && git ls-files -co --exclude-standard -z |
		tar -cf - --null -T -) | tar -C "$tree" -xf - || fail "copy the tree"
else
	tar -C "$SRC" --exclude='./build*' --exclude='./obj-*' --exclude=./.git \
		-cf - . | tar -C "$tree" -xf - || fail "copy the tree"
fi
(cd "$tree" && dpkg-checkbuilddeps) >"$TT_DIR/checkbuilddeps.log" 2>&1 ||
	fail "build dependencies missing (run scripts/setup): $(cat "$TT_DIR/checkbuilddeps.log")"

t0=$(date +%s)
(cd "$tree" && DEB_BUILD_OPTIONS="nocheck parallel=2" \
	timeout 240 dpkg-buildpackage -b -us -uc) >"$TT_DIR/build.log" 2>&1 ||
	fail "dpkg-buildpackage failed: $(tail -20 "$TT_DIR/build.log")"
version=$(cd "$tree" && dpkg-parsechangelog -S Version)
arch=$(dpkg-architecture -qDEB_HOST_ARCH)
deb="$TT_DIR/src/tern_${version}_${arch}.deb"
[ -f "$deb" ] || fail "no $deb: $(ls "$TT_DIR/src")"
log "built $(basename "$deb") in $(($(date +%s) - t0)) s"

# ---- contents ----------------------------------------------------------------

[ "$(dpkg-deb -f "$deb" Package)" = tern ] || fail "package name"
dpkg-deb -c "$deb" | awk '{print $6}' | sed 's|^\./|/|' >"$TT_DIR/contents"
for f in /usr/sbin/ternd /usr/sbin/tern-mgr /usr/sbin/tern-plugin \
	/usr/sbin/ternctl /etc/tern/ternd.json /etc/tern/ternd6.json \
	/etc/tern/mgr.json /lib/systemd/system/ternd.service \
	/lib/systemd/system/ternd6.service /lib/systemd/system/tern-mgr.service \
	/usr/share/man/man8/ternd.8.gz /usr/share/man/man8/tern-mgr.8.gz \
	/usr/share/man/man8/tern-plugin.8.gz /usr/share/man/man8/ternctl.8.gz; do
	grep -qx -- "$f" "$TT_DIR/contents" || fail "$f not in the package"
done
grep -q '^/usr/include' "$TT_DIR/contents" && fail "headers in the package"

ctl="$TT_DIR/ctl"
mkdir -p "$ctl"
dpkg-deb -e "$deb" "$ctl" || fail "dpkg-deb -e"
for f in /etc/tern/ternd.json /etc/tern/ternd6.json /etc/tern/mgr.json; do
	grep -qx -- "$f" "$ctl/conffiles" || fail "$f is not a conffile"
done
for s in postinst prerm postrm; do
	[ ! -e "$ctl/$s" ] || sh -n "$ctl/$s" || fail "$s: syntax"
done
# Shipped disabled: dh_installsystemd --no-enable enables only a unit the
# admin had enabled before; disabled units are never started by
# deb-systemd-invoke; removal stops them.
for u in ternd tern-mgr; do
	grep -q "debian-installed '$u.service'" "$ctl/postinst" ||
		fail "postinst may enable $u.service"
	grep -q "deb-systemd-invoke stop.*'$u.service'" "$ctl/prerm" ||
		fail "prerm does not stop $u.service"
done
grep -q 'new installations run enable' "$ctl/postinst" &&
	fail "postinst enables the units on installation"
grep -q 'rm -rf /var/lib/tern' "$ctl/postrm" || fail "postrm: purge keeps /var/lib/tern"

# ---- the installed files -----------------------------------------------------

root="$TT_DIR/root"
dpkg-deb -x "$deb" "$root" || fail "dpkg-deb -x"
for p in ternd tern-mgr tern-plugin ternctl; do
	[ -x "$root/usr/sbin/$p" ] || fail "/usr/sbin/$p not executable"
done
for f in ternd.json ternd6.json; do
	"$root/usr/sbin/ternd" -t "$root/etc/tern/$f" >"$TT_DIR/check.log" 2>&1 ||
		fail "ternd -t /etc/tern/$f: $(cat "$TT_DIR/check.log")"
	grep -q 'configuration OK (0 warnings)' "$TT_DIR/check.log" ||
		fail "example $f has warnings: $(cat "$TT_DIR/check.log")"
done
"$root/usr/sbin/ternd" -V | grep -qx "ternd $version" || fail "ternd -V: $("$root/usr/sbin/ternd" -V)"

# tern-mgr's built-in plugin is the package's tern-plugin: --help prints
# the build's defaults (older builds did not: then look in the binary).
plugin=$("$root/usr/sbin/tern-mgr" --help 2>&1 | sed -n 's/^ *Plugin  *//p')
if [ -n "$plugin" ]; then
	[ "$plugin" = /usr/sbin/tern-plugin ] ||
		fail "tern-mgr --help: default Plugin is $plugin, not /usr/sbin/tern-plugin"
	log "tern-mgr --help: default Plugin /usr/sbin/tern-plugin"
else
	command -v strings >/dev/null || fail "no strings (binutils) to look for the plugin path"
	strings "$root/usr/sbin/tern-mgr" | grep -qx '/usr/sbin/tern-plugin' ||
		fail "tern-mgr has no built-in /usr/sbin/tern-plugin"
	log "tern-mgr --help does not print its Plugin; the binary holds /usr/sbin/tern-plugin"
fi

# The units, against the package's files: systemd-analyze verify needs the
# base units (sysinit.target...) in the root; man:ternd(8) is looked up in
# MANPATH. Any output (warning) fails the test.
if command -v systemd-analyze >/dev/null; then
	mkdir -p "$root/lib/systemd/system"
	cp -an /lib/systemd/system/. "$root/lib/systemd/system/" 2>/dev/null
	MANPATH="$root/usr/share/man" systemd-analyze verify --root="$root" \
		ternd.service ternd6.service tern-mgr.service >"$TT_DIR/verify.log" 2>&1 ||
		fail "systemd-analyze verify: $(cat "$TT_DIR/verify.log")"
	[ -s "$TT_DIR/verify.log" ] && fail "systemd-analyze verify: $(cat "$TT_DIR/verify.log")"
	log "systemd-analyze verify: the three units clean"
else
	log "no systemd-analyze (package systemd): units not verified"
fi

# ---- the examples, run as the units run them -----------------------------------

# Needs root, network namespaces, overlayfs and the clients; without them
# the package checks above are the test.
why=""
if [ "$(id -u)" != 0 ]; then
	why="not root"
elif ! ip netns add "${TT_PREFIX}-probe" 2>/dev/null; then
	why="no network namespaces"
else
	ip netns del "${TT_PREFIX}-probe"
	grep -qw overlay /proc/filesystems || why="no overlayfs"
	for c in udhcpc setpriv unshare nsenter; do
		command -v "$c" >/dev/null || why="no $c"
	done
fi
if [ -n "$why" ]; then
	log "$why: the examples are not run"
	exit 0
fi

unit_val() { sed -n "s/^$2=//p" "$root/lib/systemd/system/$1" | head -n 1; }

# run_as_unit NAME NS UNIT: the unit's ExecStartPre then ExecStart in NS,
# in a mount namespace where /usr/sbin and /etc show the package's files
# over the machine's, / is read-only (ProtectSystem=strict), /run and
# /var/lib are empty and writable (RuntimeDirectory, StateDirectory), with
# the unit's capability bounding set and no new privileges.
run_as_unit() {
	local name=$1 n=$2 unit=$3 caps pre cmd
	caps=$(unit_val "$unit" CapabilityBoundingSet | tr 'A-Z' 'a-z' |
		sed -e 's/cap_//g' -e 's/^/-all /' -e 's/ /,+/g')
	pre=$(unit_val "$unit" ExecStartPre)
	cmd=$(unit_val "$unit" ExecStart)
	[ -n "$cmd" ] || fail "$unit: no ExecStart"
	cat >"$TT_DIR/$name.sh" <<EOF
#!/bin/sh
set -e
mount -t tmpfs tern-run /run
mount -t tmpfs tern-state /var/lib
mkdir -p /run/tern /var/lib/tern
mount -t overlay tern-sbin -o lowerdir=$root/usr/sbin:/usr/sbin /usr/sbin
mount -t overlay tern-etc -o lowerdir=$root/etc:/etc /etc
mount -o remount,bind,ro /
${pre:+setpriv --bounding-set $caps --inh-caps -all --no-new-privs $pre}
exec setpriv --bounding-set $caps --inh-caps -all --no-new-privs $cmd
EOF
	start_bg "$name" ip netns exec "$(ns "$n")" unshare -m --propagation private \
		sh "$TT_DIR/$name.sh"
}

netns_add srv
netns_add gw
veth_pair srv lan0 gw wan0
# The example serves 192.168.1.0/24 on lan0, its router being .1.
addr_add srv lan0 192.168.1.1/24

# The units log to syslog, which this machine may not have: ternd is ready
# when its control socket exists (it is made after the DHCP sockets).
# in_ns NAME CMD...: run CMD in the mount namespace of process NAME once it
# is the daemon (before, its pid is still the wrapper's shell).
in_ns() {
	local pid
	pid=$(bg_pid "$1")
	shift
	case "$(cat "/proc/$pid/comm" 2>/dev/null)" in
	ternd | tern-mgr) nsenter -t "$pid" -m -n "$@" ;;
	*) return 1 ;;
	esac
}
run_as_unit ternd srv ternd.service
wait_for 10 in_ns ternd test -S /run/tern/ternd.sock ||
	fail "ternd did not start: $(tail -5 "$(bg_log ternd)")"
# The DHCPv6 unit beside it: its example serves fd00:1::/64 on lan0.
ip -n "$(ns srv)" -6 addr add fd00:1::1/64 dev lan0 nodad || fail "addr fd00:1::1"
run_as_unit ternd6 srv ternd6.service
wait_for 10 in_ns ternd6 test -S /run/tern/ternd6.sock ||
	fail "ternd (DHCPv6) did not start: $(tail -5 "$(bg_log ternd6)")"
run_as_unit mgr gw tern-mgr.service
wait_for 20 eval "ip -n $(ns gw) -4 -o addr show dev wan0 | grep -q 'inet 192\.168\.1\.1[0-9][0-9]/24'" ||
	fail "wan0 got no address from the example ternd: $(ip -n "$(ns gw)" -4 -o addr show dev wan0)"
addr=$(ip -n "$(ns gw)" -4 -o addr show dev wan0 | awk '{print $4}')
log "tern-mgr's udhcpc got $addr on wan0 from ternd"

in_ns mgr "$root/usr/sbin/ternctl" mgr status >"$TT_DIR/status.txt" 2>&1 ||
	fail "ternctl mgr status: $(cat "$TT_DIR/status.txt")"
grep -q "wan0.*Bound.*${addr%/*}" "$TT_DIR/status.txt" ||
	fail "tern-mgr status: $(cat "$TT_DIR/status.txt")"
in_ns mgr test -s /var/lib/tern/mgr/v4-wan0.state ||
	fail "no /var/lib/tern/mgr/v4-wan0.state"
if command -v sqlite3 >/dev/null; then
	st=$(in_ns ternd sqlite3 /var/lib/tern/ternd-leases.sqlite \
		"SELECT state FROM lease4_readable WHERE address = '${addr%/*}';")
	[ "$st" = bound ] || fail "lease ${addr%/*} is '$st' in /var/lib/tern/ternd-leases.sqlite"
fi
ternd_pid=$(bg_pid ternd)
# The bounding set took effect (no CAP_SYS_ADMIN, bit 21), so the run above
# proves the unit's capabilities are enough.
capeff=$(sed -n 's/^CapEff:[[:space:]]*//p' "/proc/$ternd_pid/status")
[ $((0x$capeff >> 21 & 1)) = 0 ] || fail "ternd runs with CAP_SYS_ADMIN (CapEff $capeff)"

# ternd6 answers a DHCPv6 client on the LAN with its example's subnet.
if command -v perfdhcp >/dev/null; then
	# perfdhcp binds the link-local address: wait until DAD is done.
	wait_for 10 eval "ip -n $(ns gw) -6 -o addr show dev wan0 scope link | grep fe80 | grep -vq tentative" ||
		fail "no usable link-local address on wan0"
	run_bounded 30 perf6 ip netns exec "$(ns gw)" perfdhcp -6 -l wan0 -R 1 -r 1 -n 1 -W 1000000 || true
	grep -Eq 'received packets: [1-9]' "$(bg_log perf6)" ||
		fail "the example ternd6 did not answer: $(tail -20 "$(bg_log perf6)")"
	log "ternd6.service's example answered a DHCPv6 client"
fi
stop_bg mgr
stop_bg ternd6
stop_bg ternd
log "OK"
