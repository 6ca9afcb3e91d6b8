#!/bin/bash
# DHCPv6 server benchmark (issue 12; ISC method, ../shared/BENCHMARKS.md):
# perfdhcp -6 against ternd and kea-dhcp6 (memfile, persist) in the same
# run, in two private network namespaces joined by a veth pair, for IA_NA
# and for IA_NA + IA_PD (perfdhcp -e address-and-prefix). Prints for each:
# the highest rate with both drop ratios (SOLICIT-ADVERTISE,
# REQUEST-REPLY) <= 0.1 % and the server's CPU microseconds per 4-way
# exchange at a fixed rate. Every step starts a fresh server (empty store).
#   bench/server6.sh BUILD_DIR   (env: RATES, FIXED_RATE, SECONDS_PER_STEP,
#                                 SERVERS="ternd kea", MODES="na na+pd",
#                                 TERND_STORE_DIR: where ternd's store goes)
set -euo pipefail
build="${1:-build}"
RATES="${RATES:-2000 3000 4000 5000 6000 8000 10000 12000 14000 16000 18000 20000}"
FIXED_RATE="${FIXED_RATE:-2000}"
STEP="${SECONDS_PER_STEP:-5}"
SERVERS="${SERVERS:-ternd kea}"
MODES="${MODES:-na na+pd}"
P="tb6$$"
S="$P-s"; C="$P-c"
tmp=$(mktemp -d /tmp/tern-bench6.XXXXXX)
pid=""

for c in perfdhcp kea-dhcp6 ip ss; do
	command -v "$c" >/dev/null || { echo "server6.sh: $c missing (scripts/setup)" >&2; exit 1; }
done
[ "$(id -u)" = 0 ] || { echo "server6.sh: needs root (network namespaces)" >&2; exit 1; }
[ -x "$build/src/server/ternd" ] || { echo "server6.sh: no $build/src/server/ternd" >&2; exit 1; }

cleanup() {
	[ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null || true
	ip netns del "$S" 2>/dev/null || true
	ip netns del "$C" 2>/dev/null || true
	rm -rf "$tmp"
}
trap cleanup EXIT INT TERM

ip netns add "$S"; ip netns add "$C"
for n in "$S" "$C"; do
	# DAD would leave the link-locals tentative: no socket could bind.
	ip netns exec "$n" sysctl -qw net.ipv6.conf.all.accept_dad=0 \
		net.ipv6.conf.default.accept_dad=0
	ip -n "$n" link set lo up
done
ip link add "$P-vs" type veth peer name "$P-vc"
ip link set "$P-vs" netns "$S"; ip link set "$P-vc" netns "$C"
ip -n "$S" -6 addr add 2001:db8:1::1/64 dev "$P-vs" nodad
ip -n "$S" link set "$P-vs" up; ip -n "$C" link set "$P-vc" up
for _ in $(seq 100); do
	ip -n "$C" -6 -o addr show dev "$P-vc" scope link | grep -q fe80 &&
		ip -n "$S" -6 -o addr show dev "$P-vs" scope link | grep -q fe80 && break
	sleep 0.05
done

# The same subnet for both: a /64 of addresses, 2^31 /64 prefixes.
subnet='"subnet6": [{"id": 1, "subnet": "2001:db8:1::/64", "interface": "'$P-vs'",
    "pools": [{"pool": "2001:db8:1::1:0-2001:db8:1::ffff:ffff"}],
    "pd-pools": [{"prefix": "2001:db8:8000::", "prefix-len": 33, "delegated-len": 64}],
    "option-data": [{"name": "dns-servers", "data": "2001:db8:1::1"}]}]'
cat >"$tmp/ternd.json" <<JSON
{"Dhcp6": {
  "interfaces-config": {"interfaces": ["$P-vs"]},
  "lease-database": {"type": "memfile", "name": "${TERND_STORE_DIR:-$tmp}/ternd-leases6.csv"},
  "preferred-lifetime": 3000, "valid-lifetime": 4000,
  "renew-timer": 1000, "rebind-timer": 2000,
  $subnet
}}
JSON
cat >"$tmp/kea.json" <<JSON
{"Dhcp6": {
  "interfaces-config": {"interfaces": ["$P-vs"]},
  "lease-database": {"type": "memfile", "persist": true, "lfc-interval": 0,
                     "name": "$tmp/kea-leases6.csv"},
  "server-id": {"type": "LLT", "persist": false},
  "preferred-lifetime": 3000, "valid-lifetime": 4000,
  "renew-timer": 1000, "rebind-timer": 2000,
  "multi-threading": {"enable-multi-threading": false},
  $subnet,
  "loggers": [{"name": "kea-dhcp6", "severity": "WARN",
               "output_options": [{"output": "$tmp/kea.log"}]}]
}}
JSON
mkdir -p /run/kea /var/run/kea /var/lib/kea
"$build/src/server/ternd" -t "$tmp/ternd.json" >/dev/null

# Start a fresh server (empty lease store) and wait until it listens.
start() {
	rm -f "${TERND_STORE_DIR:-$tmp}"/ternd-leases6.* "$tmp"/kea-leases6.csv*
	case "$1" in
	ternd) ip netns exec "$S" "$build/src/server/ternd" -c "$tmp/ternd.json" >"$tmp/ternd.log" 2>&1 & ;;
	kea) ip netns exec "$S" env KEA_PIDFILE_DIR="$tmp" KEA_LOCKFILE_DIR="$tmp" \
		kea-dhcp6 -c "$tmp/kea.json" >"$tmp/kea.out" 2>&1 & ;;
	esac
	pid=$!
	for _ in $(seq 100); do
		ip netns exec "$S" ss -lun 2>/dev/null | grep -q ':547 ' && return 0
		sleep 0.05
	done
	echo "server6.sh: $1 did not start" >&2
	return 1
}
stop() {
	kill "$pid" 2>/dev/null || true
	wait "$pid" 2>/dev/null || true
	pid=""
}
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }

# perfdhcp -6 at rate $1 for $STEP s, mode $2; prints "rate d1 d2 replies".
run_perfdhcp() {
	local e=()
	[ "$2" = "na+pd" ] && e=(-e address-and-prefix)
	ip netns exec "$C" timeout $((STEP + 20)) perfdhcp -6 -l "$P-vc" "${e[@]}" \
		-r "$1" -R 100000000 -p "$STEP" 2>/dev/null | awk '
		/^Rate:/ {rate = $2}
		/Statistics for: SOLICIT-ADVERTISE/ {sec = 1}
		/Statistics for: REQUEST-REPLY/ {sec = 2}
		/drops ratio:/ {d[sec] = $3}
		/received packets:/ {r[sec] = $3}
		END {printf "%s %s %s %s\n", rate, d[1], d[2], r[2]}' || true
}

hz=$(getconf CLK_TCK)
declare -A best cpu
for mode in $MODES; do
	for srv in $SERVERS; do
		k="$srv/$mode"
		start "$srv"
		t0=$(cpu_ticks "$pid")
		read -r rate d1 d2 acks < <(run_perfdhcp "$FIXED_RATE" "$mode")
		t1=$(cpu_ticks "$pid")
		stop
		if [ "${acks:-0}" -gt 0 ]; then
			cpu[$k]=$(awk -v t=$((t1 - t0)) -v hz="$hz" -v a="$acks" 'BEGIN {printf "%.1f", t / hz * 1e6 / a}')
		else
			cpu[$k]="n/a"
		fi
		echo "$k: at $FIXED_RATE/s: rate $rate, drops $d1 % / $d2 %, $acks replies, ${cpu[$k]} us CPU per exchange" >&2
		best[$k]=0
		for r in $RATES; do
			start "$srv"
			read -r rate d1 d2 acks < <(run_perfdhcp "$r" "$mode")
			stop
			echo "$k: asked $r/s: got $rate/s, drops $d1 % / $d2 %" >&2
			ok=$(awk -v a="${d1:-100}" -v b="${d2:-100}" 'BEGIN {print (a <= 0.1 && b <= 0.1) ? 1 : 0}')
			[ "$ok" = 1 ] || break
			best[$k]=$(printf '%.0f' "$rate")
		done
	done
done

echo "## bench/server6.sh: $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, $STEP s per step, load $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-14s %26s %28s\n' "server/mode" "highest rate (drops<=0.1%)" "CPU us/exchange at ${FIXED_RATE}/s"
for mode in $MODES; do
	for srv in $SERVERS; do
		printf '%-14s %26s %28s\n' "$srv/$mode" "${best[$srv/$mode]}" "${cpu[$srv/$mode]}"
	done
	t=${cpu[ternd/$mode]:-} kk=${cpu[kea/$mode]:-}
	if [ -n "$t" ] && [ -n "$kk" ]; then
		awk -v t="$t" -v k="$kk" -v bt="${best[ternd/$mode]:-0}" -v bk="${best[kea/$mode]:-0}" -v m="$mode" 'BEGIN {
			if (t + 0 > 0 && k + 0 > 0) printf "%s: ternd CPU per exchange 1/%.1f of kea'"'"'s", m, k / t;
			if (bk + 0 > 0) printf "; clean rate %.1fx kea'"'"'s", bt / bk;
			printf "\n" }'
	fi
done
