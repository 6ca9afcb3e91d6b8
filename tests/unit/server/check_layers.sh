#!/bin/sh
# ternd's layering (docs/ARCHITECTURE.md), checked: which room may include
# which, and an engine that does no I/O and reads no clock.
# usage: check_layers.sh SRC_SERVER_DIR "ENGINE4_OBJECTS;..."
set -eu
src="$1"
objs="${2:-}"
fail=0

# The headers of other rooms each room may include (path prefixes under
# src/). Its own room and src/common are always allowed; the files at the
# top of src/server (the daemon) may include anything.
allowed() {
	case "$1" in
	config) echo "server/classify/expr.h" ;;
	engine4) echo "server/config/config.h server/ddns/fqdn.h server/classify/expr.h" ;;
	engine6) echo "server/config/config.h server/config/config6.h server/classify/expr.h" ;;
	store) echo "server/engine4/lease.h server/engine6/lease6.h" ;;
	net) echo "server/engine4/engine.h server/engine6/engine6.h server/config/config.h" ;;
	control) echo "server/config/config.h server/engine4/lease.h server/engine4/admin.h server/config/config6.h server/engine6/lease6.h server/engine6/admin6.h" ;;
	ddns) echo "server/config/config.h server/engine4/lease.h" ;;
	classify) echo "" ;;
	mesh) echo "server/engine4/engine.h server/config/config.h server/control/control.h" ;;
	hooks) echo "server/engine4/engine.h server/config/config.h server/classify/expr.h" ;;
	stats) echo "server/engine4/engine.h server/config/config.h server/control/control.h server/net/io.h server/engine6/engine6.h server/config/config6.h server/net/io6.h" ;;
	*) echo "?" ;;
	esac
}

for dir in "$src"/*/; do
	room=$(basename "$dir")
	ok=$(allowed "$room")
	if [ "$ok" = "?" ]; then
		echo "check_layers: src/server/$room/ is not a known room" >&2
		fail=1
		continue
	fi
	for f in "$dir"*.c "$dir"*.h; do
		[ -e "$f" ] || continue
		for inc in $(sed -n 's/^#include "\([^"]*\)".*/\1/p' "$f"); do
			case "$inc" in
			common/*) continue ;;
			server/"$room"/*) continue ;;
			esac
			hit=0
			for a in $ok; do
				[ "$inc" = "$a" ] && hit=1
			done
			if [ $hit = 0 ]; then
				echo "check_layers: src/server/$room/$(basename "$f") includes \"$inc\"" >&2
				fail=1
			fi
		done
	done
done

# The engine is a pure function of the request and the lease state: no
# sockets, files, clock, logging or threads (getrandom seeds its hash
# tables once, at creation).
if [ -n "$objs" ]; then
	deny='^(socket|bind|connect|listen|accept4?|send|sendto|sendmsg|sendmmsg|recv|recvfrom|recvmsg|recvmmsg|read|write|open|openat|close|fopen|fclose|poll|epoll_wait|epoll_ctl|select|clock_gettime|time|gettimeofday|syslog|vsyslog|printf|fprintf|vfprintf|puts|fputs|tern_log|tern_log_rl|pthread_create|fork|execl|execve)$'
	old_ifs=$IFS
	IFS=';'
	for o in $objs; do
		IFS=$old_ifs
		bad=$(nm -u "$o" | awk '{print $NF}' | grep -E "$deny" || true)
		if [ -n "$bad" ]; then
			echo "check_layers: engine $(basename "$o") calls:" $bad >&2
			fail=1
		fi
		IFS=';'
	done
	IFS=$old_ifs
fi
exit $fail
