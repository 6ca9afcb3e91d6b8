#!/bin/bash
# make install: DESTDIR and PREFIX are honoured (programs, man pages,
# examples where GNUInstallDirs puts them, nothing outside DESTDIR), and
# tern-mgr's built-in Plugin follows PREFIX. Builds in a private directory.
. "$(dirname "$0")/lib.sh"
tt_init
require_cmd make cmake
SRC="${TERN_SRC:-$(cd "$(dirname "$0")/../.." && pwd)}"
build="$TT_DIR/build"

# install_to PREFIX: make install into $TT_DIR/stage-N; prints nothing.
n=0
install_to() {
	n=$((n + 1))
	stage="$TT_DIR/stage-$n"
	make -C "$SRC" --no-print-directory install BUILD="$build" JOBS=2 \
		PREFIX="$1" DESTDIR="$stage" >"$TT_DIR/install-$n.log" 2>&1 ||
		fail "make install PREFIX=$1: $(tail -20 "$TT_DIR/install-$n.log")"
}

# check_layout STAGE PREFIX SBIN MAN DOC: the files where they belong.
check_layout() {
	local stage=$1 prefix=$2 sbin=$3 man=$4 doc=$5 f p
	for p in ternd tern-mgr tern-plugin ternctl; do
		[ -x "$stage$sbin/$p" ] || fail "no $sbin/$p (PREFIX=$prefix)"
		[ -f "$stage$man/man8/$p.8" ] || fail "no $man/man8/$p.8 (PREFIX=$prefix)"
	done
	for f in ternd.json ternd6.json mgr.json ternd.service ternd6.service tern-mgr.service; do
		[ -f "$stage$doc/examples/$f" ] || fail "no $doc/examples/$f (PREFIX=$prefix)"
	done
	# Everything under PREFIX, and there under DESTDIR (the manifest
	# lists the paths without DESTDIR).
	while read -r f; do
		case "$f" in
		"$prefix"/*) ;;
		*) fail "installed outside PREFIX $prefix: $f" ;;
		esac
		[ -e "$stage$f" ] || fail "$f is not under DESTDIR"
	done <"$build/install_manifest.txt"
	for f in ternd.json ternd6.json; do
		"$stage$sbin/ternd" -t "$stage$doc/examples/$f" >/dev/null ||
			fail "ternd -t on the installed example $f"
	done
	# The other engineer's --help lists the build's defaults; an older
	# tern-mgr does not, then only the layout is checked.
	p=$("$stage$sbin/tern-mgr" --help 2>&1 | sed -n 's/^ *Plugin  *//p')
	if [ -n "$p" ]; then
		[ "$p" = "$sbin/tern-plugin" ] ||
			fail "PREFIX=$prefix: tern-mgr's default Plugin is $p, not $sbin/tern-plugin"
	fi
	log "PREFIX=$prefix: $(wc -l <"$build/install_manifest.txt") files, Plugin ${p:-(not shown)}"
}

install_to /usr
check_layout "$stage" /usr /usr/sbin /usr/share/man /usr/share/doc/tern
install_to /opt/tern
check_layout "$stage" /opt/tern /opt/tern/sbin /opt/tern/share/man /opt/tern/share/doc/tern
log "OK"
