#!/bin/bash
# tern-mgr benchmark: monitor throughput, plugin-to-model latency, RSS, plugin size.
# tern-mgr runs in a private network namespace with 4 DHCPv4 clients on
# veth interfaces wan0..wan3
# (up, their peers in the same namespace, so the clients start); their "udhcpc"
# is a stub that sleeps, so only the bench's leases reach the manager.
# The state directory is on the real disk (fsync is part of the cost).
# Latency: at most 4 plugins alive at once (one per client, as 4 udhcpc
# run their scripts), each lingering its default 250 ms after sending.
#   bench/mgr.sh BUILD_DIR   (env: RUNS=5, LAT_RUNS=3, PUSH_N=300000, LAT_N=1000)
set -euo pipefail
build="${1:-build}"
RUNS="${RUNS:-5}"
PUSH_N="${PUSH_N:-300000}"
LAT_N="${LAT_N:-1000}"
LAT_RUNS="${LAT_RUNS:-3}"
ADDR="${LEASE_ADDR:-tcp://127.0.0.1:50324}"
mgr="$build/src/mgr/tern-mgr"
plugin="$build/src/plugin/tern-plugin"
bench="$build/bench/bench_mgr"
for f in "$mgr" "$plugin" "$bench"; do
	[ -x "$f" ] || { echo "mgr.sh: $f not built" >&2; exit 1; }
done
[ "$(id -u)" = 0 ] || { echo "mgr.sh: needs root (network namespace)" >&2; exit 1; }
plugin=$(realpath "$plugin")
NS="tbmgr$$"
tmp=$(mktemp -d /var/tmp/tern-bench-mgr.XXXXXX)
pid=""

cleanup() {
	if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
	ip netns del "$NS" 2>/dev/null || true
	rm -rf "$tmp"
}
trap cleanup EXIT INT TERM

ip netns add "$NS"
ip -n "$NS" link set lo up
for i in 0 1 2 3; do
	ip -n "$NS" link add "wan$i" type veth peer name "peer$i"
	ip -n "$NS" link set "peer$i" up
	ip -n "$NS" link set "wan$i" up
done
printf '#!/bin/sh\nexec sleep 100000\n' >"$tmp/udhcpc-stub"
chmod 755 "$tmp/udhcpc-stub"
cat >"$tmp/mgr.json" <<EOF2
{"DHCPv4": {"Client": [{"Interface": "wan0"}, {"Interface": "wan1"},
                       {"Interface": "wan2"}, {"Interface": "wan3"}]},
 "LeaseAddress": "$ADDR",
 "EventAddress": "ipc://$tmp/events.sock",
 "ControlSocket": "$tmp/mgr.sock",
 "StateDir": "$tmp/state",
 "Udhcpc": "$tmp/udhcpc-stub",
 "Plugin": "$plugin"}
EOF2

rss() { awk '/^VmRSS|^VmHWM/ {printf "%s %s kB  ", $1, $2}' "/proc/$pid/status"; echo; }
median() { sort -n | awk '{a[NR] = $1} END {print a[int((NR + 1) / 2)]}'; }

ip netns exec "$NS" "$mgr" -d -c "$tmp/mgr.json" 2>"$tmp/mgr.log" &
pid=$!
for _ in $(seq 100); do [ -S "$tmp/mgr.sock" ] && break; sleep 0.05; done
sleep 0.5
echo "## tern-mgr pid $pid, 4 DHCPv4 clients (stub udhcpc on veth wan0..3), state in $tmp (on $(df -T "$tmp" | awk 'NR==2 {print $2}'))"
echo "RSS idle: $(rss)"

echo "## 1. monitor throughput: $PUSH_N valid leases per run, $RUNS runs"
rates=""
for r in $(seq "$RUNS"); do
	out=$(ip netns exec "$NS" "$bench" push "$ADDR" "$tmp/mgr.sock" "$PUSH_N" 4) || echo "run failed (drops?): $out"
	echo "$out"
	rates="$rates $(echo "$out" | awk '{print $(NF-1)}')"
done
echo "median: $(echo $rates | tr ' ' '\n' | median) msg/s"
echo "RSS after floods: $(rss)"

echo "## 2. latency, plugin spawn -> LEASE_UPDATE event (model updated), $LAT_N leases, $LAT_RUNS runs"
p50s=""; p99s=""
for r in $(seq "$LAT_RUNS"); do
	out=$(ip netns exec "$NS" "$bench" latency "$plugin" "$ADDR" "ipc://$tmp/events.sock" "$LAT_N" 4) || echo "run failed: $out"
	echo "$out"
	p50s="$p50s $(echo "$out" | sed -n 's/.*p50 \([0-9.]*\) ms.*/\1/p')"
	p99s="$p99s $(echo "$out" | sed -n 's/.*p99 \([0-9.]*\) ms.*/\1/p')"
done
echo "median p50: $(echo $p50s | tr ' ' '\n' | median) ms, median p99: $(echo $p99s | tr ' ' '\n' | median) ms"
echo "## 2b. the manager's share: the bench sends over one open connection, no process"
for r in $(seq "$LAT_RUNS"); do
	ip netns exec "$NS" "$bench" latency - "$ADDR" "ipc://$tmp/events.sock" "$LAT_N" 4 || echo "run failed"
done

echo "## 3. memory and size"
echo "RSS tern-mgr (4 clients) after all runs: $(rss)"
ls -l "$plugin" | awk '{print "tern-plugin file size: " $5 " bytes"}'
size "$plugin"
echo "tern-plugin dynamic deps:"; ldd "$plugin" | sed 's/^/  /'
echo "tern-mgr log lines: $(wc -l <"$tmp/mgr.log"), warnings: $(grep -ci 'drop\|full\|cannot' "$tmp/mgr.log" || true)"
