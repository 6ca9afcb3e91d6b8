#!/bin/bash
# Server benchmark (ISC method, ../shared/BENCHMARKS.md): perfdhcp against a
# stateless null responder, ternd and kea-dhcp4 (memfile, persist) in the
# same run, in two private network namespaces joined by a veth pair.
# Prints for each: the highest rate with both drop ratios <= 0.1 % and the
# server's CPU microseconds per 4-way exchange at a fixed rate.
#   bench/server.sh BUILD_DIR        (env: RATES, FIXED_RATE, SECONDS_PER_STEP)
set -euo pipefail
build="${1:-build}"
here=$(cd "$(dirname "$0")" && pwd)
RATES="${RATES:-2000 4000 6000 8000 10000 12000 14000 16000 18000 20000 22000}"
FIXED_RATE="${FIXED_RATE:-3000}"
STEP="${SECONDS_PER_STEP:-5}"
SERVERS="${SERVERS:-null ternd kea}"
P="tb$$"
S="$P-s"; C="$P-c"
tmp=$(mktemp -d /tmp/tern-bench.XXXXXX)
pid=""

for c in perfdhcp kea-dhcp4 ip; do
	command -v "$c" >/dev/null || { echo "server.sh: $c missing (scripts/setup)" >&2; exit 1; }
done
[ "$(id -u)" = 0 ] || { echo "server.sh: needs root (network namespaces)" >&2; exit 1; }

cleanup() {
	[ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null || true
	ip netns del "$S" 2>/dev/null || true
	ip netns del "$C" 2>/dev/null || true
	rm -rf "$tmp"
}
trap cleanup EXIT INT TERM

ip netns add "$S"; ip netns add "$C"
ip link add "$P-vs" type veth peer name "$P-vc"
ip link set "$P-vs" netns "$S"; ip link set "$P-vc" netns "$C"
ip -n "$S" addr add 10.250.0.1/16 dev "$P-vs"
ip -n "$C" addr add 10.250.0.2/16 dev "$P-vc"
for n in "$S" "$C"; do ip -n "$n" link set lo up; done
ip -n "$S" link set "$P-vs" up; ip -n "$C" link set "$P-vc" up

cat >"$tmp/ternd.json" <<JSON
{"Dhcp4": {
  "interfaces-config": {"interfaces": ["$P-vs"]},
  "lease-database": {"type": "sqlite", "name": "${TERND_STORE_DIR:-$tmp}/ternd-leases.sqlite"},
  "valid-lifetime": 4000, "renew-timer": 1000, "rebind-timer": 2000,
  "subnet4": [{"id": 1, "subnet": "10.250.0.0/16",
    "pools": [{"pool": "10.250.1.0 - 10.250.255.254"}],
    "option-data": [{"name": "routers", "data": "10.250.0.1"},
                    {"name": "domain-name-servers", "data": "10.250.0.1"}]}]
}}
JSON
cat >"$tmp/kea.json" <<JSON
{"Dhcp4": {
  "interfaces-config": {"interfaces": ["$P-vs"], "dhcp-socket-type": "udp"},
  "lease-database": {"type": "memfile", "persist": true, "lfc-interval": 0,
                     "name": "$tmp/kea-leases.csv"},
  "valid-lifetime": 4000, "renew-timer": 1000, "rebind-timer": 2000,
  "multi-threading": {"enable-multi-threading": false},
  "subnet4": [{"id": 1, "subnet": "10.250.0.0/16",
    "pools": [{"pool": "10.250.1.0 - 10.250.255.254"}],
    "option-data": [{"name": "routers", "data": "10.250.0.1"},
                    {"name": "domain-name-servers", "data": "10.250.0.1"}]}],
  "loggers": [{"name": "kea-dhcp4", "severity": "WARN",
               "output_options": [{"output": "$tmp/kea.log"}]}]
}}
JSON
mkdir -p /run/kea /var/run/kea /var/lib/kea

# Start a fresh server (empty lease store) and wait until it listens.
start() {
	rm -f "$tmp"/ternd-leases.sqlite* "$tmp"/kea-leases.csv*
	case "$1" in
	null) ip netns exec "$S" "$build/bench/bench_nullresp" 10.250.0.1 & ;;
	ternd) ip netns exec "$S" "$build/src/server/ternd" -c "$tmp/ternd.json" >"$tmp/ternd.log" 2>&1 & ;;
	kea) ip netns exec "$S" env KEA_PIDFILE_DIR="$tmp" KEA_LOCKFILE_DIR="$tmp" \
		kea-dhcp4 -c "$tmp/kea.json" >"$tmp/kea.out" 2>&1 & ;;
	esac
	pid=$!
	for _ in $(seq 100); do
		ip netns exec "$S" ss -lun 2>/dev/null | grep -q ':67 ' && return 0
		sleep 0.05
	done
	echo "server.sh: $1 did not start" >&2
	return 1
}
stop() {
	kill "$pid" 2>/dev/null || true
	wait "$pid" 2>/dev/null || true
	pid=""
}
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }

# perfdhcp at rate $1 for $STEP s; prints "rate d1 d2 acks".
run_perfdhcp() {
	ip netns exec "$C" timeout $((STEP + 20)) perfdhcp -4 -l "$P-vc" -r "$1" \
		-R 100000000 -p "$STEP" 10.250.0.1 2>/dev/null | awk '
		/^Rate:/ {rate = $2}
		/Statistics for: DISCOVER-OFFER/ {sec = 1}
		/Statistics for: REQUEST-ACK/ {sec = 2}
		/drops ratio:/ {d[sec] = $3}
		/received packets:/ {r[sec] = $3}
		END {printf "%s %s %s %s\n", rate, d[1], d[2], r[2]}' || true
}

hz=$(getconf CLK_TCK)
declare -A best cpu
for srv in $SERVERS; do
	# CPU per exchange at a fixed rate.
	start "$srv"
	t0=$(cpu_ticks "$pid")
	read -r rate d1 d2 acks < <(run_perfdhcp "$FIXED_RATE")
	t1=$(cpu_ticks "$pid")
	stop
	if [ "${acks:-0}" -gt 0 ]; then
		cpu[$srv]=$(awk -v t=$((t1 - t0)) -v hz="$hz" -v a="$acks" 'BEGIN {printf "%.1f", t / hz * 1e6 / a}')
	else
		cpu[$srv]="n/a"
	fi
	echo "$srv: at $FIXED_RATE/s: rate $rate, drops $d1 % / $d2 %, ${cpu[$srv]} us CPU per exchange" >&2
	# Highest clean rate: ascending steps, stop after the first unclean one.
	best[$srv]=0
	for r in $RATES; do
		start "$srv"
		read -r rate d1 d2 acks < <(run_perfdhcp "$r")
		stop
		echo "$srv: asked $r/s: got $rate/s, drops $d1 % / $d2 %" >&2
		ok=$(awk -v a="${d1:-100}" -v b="${d2:-100}" 'BEGIN {print (a <= 0.1 && b <= 0.1) ? 1 : 0}')
		[ "$ok" = 1 ] || break
		best[$srv]=$(printf '%.0f' "$rate")
	done
done

echo "## bench/server.sh: $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, $STEP s per step"
printf '%-8s %24s %28s\n' server "highest rate (drops<=0.1%)" "CPU us/exchange at ${FIXED_RATE}/s"
for srv in $SERVERS; do
	printf '%-8s %24s %28s\n' "$srv" "${best[$srv]}" "${cpu[$srv]}"
done
if [ -n "${cpu[ternd]:-}" ] && [ -n "${cpu[kea]:-}" ]; then
	awk -v t="${cpu[ternd]}" -v k="${cpu[kea]}" -v n="${cpu[null]:-}" \
		-v bt="${best[ternd]:-0}" -v bn="${best[null]:-0}" -v bk="${best[kea]:-0}" 'BEGIN {
		if (t + 0 > 0) printf "ternd CPU per exchange: 1/%.1f of kea'"'"'s\n", k / t;
		# The null responder does no DHCP work: what it costs is the
		# sockets and the veth path (the receiver'"'"'s stack runs in the
		# sender'"'"'s context), a floor no server can go under.
		if (n + 0 > 0 && t - n > 0)
			printf "above the null responder'"'"'s floor (%.1f us): ternd %.1f us, kea %.1f us: 1/%.1f\n", n, t - n, k - n, (k - n) / (t - n);
		if (bn + 0 > 0) printf "ternd highest clean rate: %.0f %% of the null responder'"'"'s (kea: %.0f %%)\n", 100 * bt / bn, 100 * bk / bn }'
fi
