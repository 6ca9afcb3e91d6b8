#!/bin/bash
# PostgreSQL lease store benchmark (issue 13): perfdhcp against ternd on
# SQLite, ternd on PostgreSQL, two ternd servers sharing one PostgreSQL
# database (each its own perfdhcp; the sum is reported) and kea-dhcp4 with
# its PostgreSQL backend (schema by kea-admin db-init pgsql, Kea's
# multi-threading as ISC tunes it for PostgreSQL), in the same run, on one
# private PostgreSQL cluster (fsync and synchronous_commit on) reached
# over its Unix socket. Prints each one's highest rate with both drop
# ratios <= 0.1 % (perfdhcp -W 1 s: replies in flight at the end of a
# step are waited for, not counted as drops, for every server alike).
#   bench/pg.sh BUILD_DIR     (env: RATES, SECONDS_PER_STEP, SERVERS)
set -euo pipefail
build="${1:-build}"
RATES="${RATES:-500 1000 1500 2000 3000 4000 5000 6000 8000 10000}"
STEP="${SECONDS_PER_STEP:-4}"
SERVERS="${SERVERS:-ternd-sqlite ternd-pg ternd-pg-2 kea-pg}"
PGB=/usr/lib/postgresql/15/bin
PORT=55434
P="tp$$"
tmp=$(mktemp -d /tmp/tern-pgbench.XXXXXX)
sock="$tmp/s"
pids=()
pg=""

for c in perfdhcp kea-dhcp4 kea-admin psql setpriv ip; do
	command -v "$c" >/dev/null || { echo "pg.sh: $c missing (scripts/setup)" >&2; exit 1; }
done
[ "$(id -u)" = 0 ] || { echo "pg.sh: needs root (network namespaces)" >&2; exit 1; }

stop_servers() {
	local p
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
	for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
	pids=()
}
cleanup() {
	stop_servers
	# The cluster we started, by its pid (fast shutdown).
	[ -n "${KEEP_PERF:-}" ] && cp "$tmp"/perf-*.out "$tmp"/ternd*.log "$KEEP_PERF"/ 2>/dev/null || true
	[ -n "$pg" ] && kill -INT "$pg" 2>/dev/null && wait "$pg" 2>/dev/null || true
	for i in 1 2; do
		ip netns del "$P-s$i" 2>/dev/null || true
		ip netns del "$P-c$i" 2>/dev/null || true
	done
	rm -rf "$tmp"
}
trap cleanup EXIT INT TERM

# Two sites (server + perfdhcp), the same addresses on each.
for i in 1 2; do
	ip netns add "$P-s$i"; ip netns add "$P-c$i"
	ip link add "$P-v$i" type veth peer name "$P-w$i"
	ip link set "$P-v$i" netns "$P-s$i" name eth0
	ip link set "$P-w$i" netns "$P-c$i" name eth0
	ip -n "$P-s$i" addr add 10.250.0.1/16 dev eth0
	ip -n "$P-c$i" addr add 10.250.0.2/16 dev eth0
	for n in "$P-s$i" "$P-c$i"; do
		ip -n "$n" link set lo up; ip -n "$n" link set eth0 up
	done
done

chmod o+x "$tmp"; mkdir -p "$sock"; chown -R postgres:postgres "$tmp"
(cd / && setpriv --reuid=postgres --regid=postgres --init-groups \
	"$PGB/initdb" -D "$tmp/data" -U postgres --auth=trust -E UTF8 \
	--locale=C.UTF-8 >"$tmp/initdb.log" 2>&1)
(cd / && exec setpriv --reuid=postgres --regid=postgres --init-groups \
	"$PGB/postgres" -D "$tmp/data" -k "$sock" -c listen_addresses= \
	-p "$PORT" -c max_connections=50 >"$tmp/pg.log" 2>&1) &
pg=$!
for _ in $(seq 200); do pg_isready -q -h "$sock" -p "$PORT" && break; sleep 0.1; done
sql() { psql -X -qAt -v ON_ERROR_STOP=1 -h "$sock" -p "$PORT" -U postgres "$@"; }
sql -c "CREATE USER kea WITH PASSWORD 'kea'"
echo "PostgreSQL: $(sql -c 'SHOW server_version'), fsync $(sql -c 'SHOW fsync'), synchronous_commit $(sql -c 'SHOW synchronous_commit')" >&2

subnet='"subnet4": [{"id": 1, "subnet": "10.250.0.0/16",
    "pools": [{"pool": "10.250.1.0 - 10.250.255.254"}],
    "option-data": [{"name": "routers", "data": "10.250.0.1"},
                    {"name": "domain-name-servers", "data": "10.250.0.1"}]}]'
pgdb='"type": "postgresql", "name": "ternd", "host": "'$sock'", "port": '$PORT', "user": "postgres"'
ternd_cfg() { # FILE LEASEDB [INDEX]
	local uc=""
	[ -n "${3:-}" ] && uc=', "user-context": {"ternd": {"server-index": '$3', "servers": 2}}'
	cat >"$1" <<JSON
{"Dhcp4": {"interfaces-config": {"interfaces": ["eth0"]},
  "lease-database": {$2}, "valid-lifetime": 4000, "renew-timer": 1000,
  "rebind-timer": 2000$uc, $subnet}}
JSON
}
ternd_cfg "$tmp/ternd-sqlite.json" '"type": "sqlite", "name": "'$tmp'/leases.sqlite"'
ternd_cfg "$tmp/ternd-pg.json" "$pgdb"
ternd_cfg "$tmp/ternd-pg-0.json" "$pgdb" 0
ternd_cfg "$tmp/ternd-pg-1.json" "$pgdb" 1
# ISC's tuning for a database backend (ARM, multi-threading settings
# with PostgreSQL: 6 threads, queue 66).
cat >"$tmp/kea.json" <<JSON
{"Dhcp4": {"interfaces-config": {"interfaces": ["eth0"], "dhcp-socket-type": "udp"},
  "lease-database": {"type": "postgresql", "name": "kea", "host": "$sock",
                     "port": $PORT, "user": "kea", "password": "kea"},
  "valid-lifetime": 4000, "renew-timer": 1000, "rebind-timer": 2000,
  "multi-threading": {"enable-multi-threading": true, "thread-pool-size": 6,
                      "packet-queue-size": 66},
  $subnet,
  "loggers": [{"name": "kea-dhcp4", "severity": "WARN",
               "output_options": [{"output": "$tmp/kea.log"}]}]}}
JSON
mkdir -p /run/kea /var/run/kea /var/lib/kea

# Fresh databases for every run: each starts with an empty lease table.
fresh() {
	sql -c "DROP DATABASE IF EXISTS ternd" -c "DROP DATABASE IF EXISTS kea" \
		-c "CREATE DATABASE ternd" -c "CREATE DATABASE kea OWNER kea"
	rm -f "$tmp"/leases.sqlite*
	if [ "$1" = kea-pg ]; then
		kea-admin db-init pgsql -u kea -p kea -n kea -h "$sock" -P "$PORT" \
			>"$tmp/kea-admin.log" 2>&1 || { cat "$tmp/kea-admin.log" >&2; exit 1; }
	fi
}
wait_port() {
	for _ in $(seq 200); do
		ip netns exec "$1" ss -lun 2>/dev/null | grep -q ':67 ' && return 0
		sleep 0.05
	done
	echo "pg.sh: no server on $1" >&2; return 1
}
start() {
	fresh "$1"
	case "$1" in
	ternd-sqlite|ternd-pg)
		ip netns exec "$P-s1" "$build/src/server/ternd" ${TERND_FLAGS:-} -c "$tmp/$1.json" >"$tmp/$1.log" 2>&1 &
		pids+=($!); wait_port "$P-s1" ;;
	ternd-pg-2)
		for i in 1 2; do
			ip netns exec "$P-s$i" "$build/src/server/ternd" ${TERND_FLAGS:-} -c "$tmp/ternd-pg-$((i - 1)).json" >"$tmp/$1-$i.log" 2>&1 &
			pids+=($!); wait_port "$P-s$i"
		done ;;
	kea-pg)
		ip netns exec "$P-s1" env KEA_PIDFILE_DIR="$tmp" KEA_LOCKFILE_DIR="$tmp" \
			kea-dhcp4 -c "$tmp/kea.json" >"$tmp/kea.out" 2>&1 &
		pids+=($!); wait_port "$P-s1" ;;
	esac
}
# perfdhcp at rate $2 from site $1; prints "rate d1 d2 acks".
perf() {
	ip netns exec "$P-c$1" timeout $((STEP + 20)) perfdhcp -4 -l eth0 -r "$2" \
		-R 100000000 -b "mac=00:0c:0$1:00:00:00" -p "$STEP" -W 1000000 \
		10.250.0.1 2>/dev/null | tee "$tmp/perf-$1-$2.out" | awk '
		/^Rate:/ {rate = $2}
		/Statistics for: DISCOVER-OFFER/ {sec = 1}
		/Statistics for: REQUEST-ACK/ {sec = 2}
		/drops ratio:/ {d[sec] = $3}
		/received packets:/ {r[sec] = $3}
		END {printf "%s %s %s %s\n", rate + 0, d[1] + 0, d[2] + 0, r[2] + 0}' || true
}

declare -A best
load0=$(cut -d' ' -f1-3 /proc/loadavg)
# Rates outer, servers inner: on a shared machine each server meets
# about the same load at each rate; a server drops out at its first
# unclean step.
declare -A out
for srv in $SERVERS; do best[$srv]=0; out[$srv]=; done
for r in $RATES; do
	for srv in $SERVERS; do
		[ -z "${out[$srv]}" ] || continue
		start "$srv"
		if [ "$srv" = ternd-pg-2 ]; then
			# Each server gets half of the rate, both at once.
			perf 1 $((r / 2)) >"$tmp/p1" & p1=$!
			perf 2 $((r / 2)) >"$tmp/p2"
			wait "$p1" || true
			read -r ra a1 b1 k1 <"$tmp/p1"
			read -r rb a2 b2 k2 <"$tmp/p2"
			rate=$(awk -v a="$ra" -v b="$rb" 'BEGIN {print a + b}')
			d1=$(awk -v a="$a1" -v b="$a2" 'BEGIN {print (a > b ? a : b)}')
			d2=$(awk -v a="$b1" -v b="$b2" 'BEGIN {print (a > b ? a : b)}')
			acks=$((k1 + k2))
		else
			read -r rate d1 d2 acks < <(perf 1 "$r")
		fi
		rows=$(case $srv in
			kea-pg) sql -d kea -c 'SELECT count(*) FROM lease4' ;;
			ternd-sqlite) echo - ;;
			*) sql -d ternd -c 'SELECT count(*) FROM ternd_lease4' ;;
			esac)
		stop_servers
		# With TERND_FLAGS=-d ternd logs its counters at exit (commit
		# times, batch sizes): shown with the step.
		[ -n "${TERND_FLAGS:-}" ] && case $srv in ternd*)
			grep -h 'stats: rx' "$tmp/$srv"*.log | tail -2 | sed 's/^/  /' >&2 ;;
		esac
		# Replies the kernel dropped at perfdhcp's socket (bursts
		# overflowing its receive buffer), since the namespaces exist.
		rcv=$(for i in 1 2; do ip netns exec "$P-c$i" nstat -az UdpRcvbufErrors; done |
			awk '/UdpRcvbufErrors/ {n += $2} END {print n + 0}')
		echo "$srv: asked $r/s: got $rate/s, drops $d1 % / $d2 %, $acks ACKs, $rows rows, perfdhcp rcvbuf drops so far $rcv, load $(cut -d' ' -f1 /proc/loadavg)" >&2
		ok=$(awk -v a="$d1" -v b="$d2" 'BEGIN {print (a <= 0.1 && b <= 0.1) ? 1 : 0}')
		if [ "$ok" != 1 ]; then out[$srv]=1; continue; fi
		# Leases/s: ACKs over the step (perfdhcp's own rate divides by
		# the step plus its -W wait).
		best[$srv]=$((acks / STEP))
	done
done

echo "## bench/pg.sh: $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, $STEP s per step, load average $load0 at start, $(cut -d' ' -f1-3 /proc/loadavg) at end"
printf '%-14s %26s\n' server "leases/s (drops<=0.1%)"
for srv in $SERVERS; do printf '%-14s %26s\n' "$srv" "${best[$srv]}"; done
