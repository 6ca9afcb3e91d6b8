#!/bin/bash
# Moving from kea-dhcp6 (issue 12): kea-dhcp6 serves perfdhcp -6 clients
# (addresses and prefixes) with a memfile CSV and is stopped; ternd starts
# on the same configuration file and imports Kea's kea-leases6.csv (and
# the older rotation file .2) into its store once: every binding Kea's
# files hold, bad rows reported with their line, noted in the meta table.
# The same clients then get the same bindings from ternd; a second start
# imports nothing; Kea's file is never written; a file ternd cannot read
# stops it with nothing imported.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/ternd_lib.sh"
tt_init
require_root
require_cmd kea-dhcp6 perfdhcp sqlite3 python3 tcpdump
require_file "$TERND"

v6_link srv v6s cli v6c

csv="$TT_DIR/kea-leases6.csv"
db="$TT_DIR/kea-leases6.sqlite"
cfg="$TT_DIR/kea-dhcp6.conf"
cat >"$cfg" <<JSON
// kea-dhcp6 and ternd read this same file.
{"Dhcp6": {
  "interfaces-config": {"interfaces": ["v6s"]},
  "lease-database": {"type": "memfile", "name": "$csv", "lfc-interval": 0},
  "server-id": {"type": "LLT", "persist": false},
  "preferred-lifetime": 3000, "valid-lifetime": 4000,
  "subnet6": [{"id": 1, "subnet": "2001:db8:1::/64", "interface": "v6s",
    "pools": [{"pool": "2001:db8:1::100-2001:db8:1::1ff"}],
    "pd-pools": [{"prefix": "2001:db8:100::", "prefix-len": 40, "delegated-len": 56}]}]
}}
JSON
# perfdhcp's clients: 40 DUIDs made from this one (-R 40), the same ones in
# both runs.
perf() {
	run_bounded 60 "$1" ip netns exec "$(ns cli)" perfdhcp -6 -l v6c \
		-e address-and-prefix -b duid=0003000102aabbccdd00 -R 40 -r 40 -n 120 \
		-W 1000000 || true
}

# ---- kea-dhcp6 hands out the bindings
start_bg kea ip netns exec "$(ns srv)" env KEA_PIDFILE_DIR="$TT_DIR" \
	KEA_LOCKFILE_DIR=none kea-dhcp6 -c "$cfg"
wait_file_contains 15 "$(bg_log kea)" DHCP6_STARTED || fail "kea-dhcp6 did not start"
perf perf-kea
stop_bg kea
[ -s "$csv" ] || fail "kea-dhcp6 wrote no $csv"

# What Kea's files hold, as kea-dhcp6 reads them (python, not ternd's
# reader): TYPE ADDRESS/LEN DUID, the last row per binding, valid 0 removes.
kea_bindings() {
	python3 - "$@" <<'PY'
import ipaddress, sys
last = {}
for path in sys.argv[1:]:
    try:
        lines = open(path).read().splitlines()
    except FileNotFoundError:
        continue
    for line in lines[1:]:
        f = line.split(",")
        # Kea refuses an empty DUID; ternd, a temporary address (type 1).
        if len(f) < 17 or not f[1] or f[6] == "1":
            continue
        try:
            a = ipaddress.IPv6Address(f[0])
        except ValueError:
            continue
        key = (f[6], str(a))
        last[key] = None if f[2] == "0" else (f[8], f[1].replace(":", "").lower())
for (t, a), v in sorted(last.items()):
    if v:
        plen = v[0] if t == "2" else "128"
        print("%s %s/%s %s" % ("pd" if t == "2" else "na", a, plen, v[1]))
PY
}
# An older rotation file with one binding Kea no longer had in the current
# file; two rows no DHCPv6 server can load appended to the current one.
head -n 1 "$csv" >"$csv.2"
echo "2001:db8:1::1ee,00:03:00:01:02:aa:bb:cc:dd:ff,4000,$(($(date +%s) + 4000)),1,3000,0,9,128,0,0,,,0,,," >>"$csv.2"
nrows=$(wc -l <"$csv")
echo "2001:db8:1::1ef,,4000,$(($(date +%s) + 4000)),1,3000,0,9,128,0,0,,,0,,," >>"$csv"
echo "2001:db8:1::1f0,00:03:00:01:02:aa:bb:cc:dd:fe,4000,$(($(date +%s) + 4000)),1,3000,1,9,128,0,0,,,0,,," >>"$csv"
kea_bindings "$csv.2" "$csv" >"$TT_DIR/kea.txt"
kn=$(wc -l <"$TT_DIR/kea.txt")
[ "$(grep -c '^na ' "$TT_DIR/kea.txt")" -ge 30 ] && [ "$(grep -c '^pd ' "$TT_DIR/kea.txt")" -ge 30 ] ||
	fail "kea-dhcp6 gave too few bindings: $(cat "$TT_DIR/kea.txt" | head)"
cp "$csv" "$TT_DIR/keep.csv"
sum=$(sha256sum <"$csv")

# ---- ternd on the same file: Kea's bindings come in, once
[ ! -e "$db" ] || fail "$db exists before ternd ran"
start_bg ternd ip netns exec "$(ns srv)" "$TERND" -d -c "$cfg"
tlog=$(bg_log ternd)
wait_file_contains 10 "$tlog" 'serving DHCPv6' || fail "ternd did not start: $(tail -5 "$tlog")"
grep -E "imported $kn DHCPv6 leases from Kea's $csv \($kn bound and unexpired; [0-9]+ rows read from 2 files, 2 bad" "$tlog" >&2 ||
	fail "no import logged: $(grep -i imported "$tlog")"
grep -q "kea-leases6.csv:$((nrows + 1)): row not imported: 'Empty DUIDs are not allowed'\|kea-leases6.csv:$((nrows + 1)): row not imported: Empty DUIDs are not allowed" "$tlog" ||
	fail "bad line $((nrows + 1)) not reported: $(grep 'not imported' "$tlog")"
grep -q "kea-leases6.csv:$((nrows + 2)): row not imported: a temporary address" "$tlog" ||
	fail "bad line $((nrows + 2)) not reported: $(grep 'not imported' "$tlog")"
grep -q "serving DHCPv6 .* $kn leases restored" "$tlog" || fail "imported bindings not restored"
sqlite3 "$db" "SELECT CASE type WHEN 0 THEN 'na' ELSE 'pd' END, lower(hex(address)), prefix_len,
	lower(hex(duid)) FROM lease6" | python3 -c '
import ipaddress, sys
for line in sys.stdin:
    t, a, plen, duid = line.strip().split("|")
    print("%s %s/%s %s" % (t, ipaddress.IPv6Address(bytes.fromhex(a)), plen, duid))
' | sort >"$TT_DIR/store.txt"
sort -o "$TT_DIR/kea.txt" "$TT_DIR/kea.txt"
diff "$TT_DIR/kea.txt" "$TT_DIR/store.txt" >&2 || fail "the store's bindings are not Kea's"
note=$(sqlite3 "$db" "SELECT value FROM meta WHERE key = 'kea-csv-import'")
case $note in "$csv: $kn leases imported (0 kept from the store, 2 bad rows)"*) ;; *) fail "import note: '$note'" ;; esac
log "imported $kn bindings from Kea's files; bad lines $((nrows + 1)) and $((nrows + 2)) reported"

# The same clients get the same bindings from ternd.
start_bg cap ip netns exec "$(ns srv)" tcpdump -i v6s -n -U --immediate-mode -B 8192 \
	-w "$TT_DIR/cap.pcap" udp src port 547
wait_file_contains 10 "$(bg_log cap)" 'listening on' || fail "tcpdump did not start"
perf perf-ternd
last=-1
for _ in $(seq 50); do
	cur=$(stat -c %s "$TT_DIR/cap.pcap")
	[ "$cur" = "$last" ] && break
	last=$cur
	sleep 0.2
done
stop_bg cap
python3 "$(dirname "$0")/reply6_bindings.py" "$TT_DIR/cap.pcap" | sort -u >"$TT_DIR/replied"
[ "$(wc -l <"$TT_DIR/replied")" -ge 20 ] || fail "ternd's REPLYs: $(cat "$TT_DIR/replied")"
cut -d' ' -f1,2 "$TT_DIR/kea.txt" | sed 's|^na \(.*\)/128$|na \1|' | sort -u >"$TT_DIR/kea.bind"
new=$(comm -23 "$TT_DIR/replied" "$TT_DIR/kea.bind")
[ -z "$new" ] || fail "ternd gave Kea's clients other bindings: $(echo "$new" | head -5)"
log "$(wc -l <"$TT_DIR/replied") bindings REPLYed by ternd, all Kea's"
stop_bg ternd

# ---- a second start imports nothing, even with more rows in Kea's file
echo "2001:db8:1::1f1,00:03:00:01:02:aa:bb:cc:dd:fd,4000,$(($(date +%s) + 4000)),1,3000,0,9,128,0,0,,,0,,," >>"$csv"
start_bg ternd2 ip netns exec "$(ns srv)" "$TERND" -d -c "$cfg"
wait_file_contains 10 "$(bg_log ternd2)" 'serving DHCPv6' || fail "ternd2 did not start"
! grep -q 'imported' "$(bg_log ternd2)" || fail "second start imported again"
[ "$(sqlite3 "$db" "SELECT value FROM meta WHERE key = 'kea-csv-import'")" = "$note" ] ||
	fail "import note changed"
stop_bg ternd2
cp "$TT_DIR/keep.csv" "$csv"
[ "$(sha256sum <"$csv")" = "$sum" ] || fail "ternd wrote Kea's lease file"

# ---- a file that is not a lease6 file: ternd stops, nothing imported
mkdir "$TT_DIR/b"
sed "s|$TT_DIR/kea-leases6.csv|$TT_DIR/b/kea-leases6.csv|" "$cfg" >"$TT_DIR/b/conf"
{ echo "address,hwaddr,client_id,valid_lifetime,expire,subnet_id,fqdn_fwd,fqdn_rev,hostname"; tail -n +2 "$csv"; } >"$TT_DIR/b/kea-leases6.csv"
run_bounded 20 ternd-bad ip netns exec "$(ns srv)" "$TERND" -d -c "$TT_DIR/b/conf" &&
	fail "ternd served a store whose Kea file it could not read"
grep -q "cannot import Kea's leases from $TT_DIR/b/kea-leases6.csv: not a Kea lease6 file" "$(bg_log ternd-bad)" ||
	fail "bad file: $(tail -3 "$(bg_log ternd-bad)")"
[ "$(sqlite3 "$TT_DIR/b/kea-leases6.sqlite" "SELECT count(*) FROM lease6")" = 0 ] ||
	fail "rows imported from a bad file"
[ -z "$(sqlite3 "$TT_DIR/b/kea-leases6.sqlite" "SELECT value FROM meta WHERE key = 'kea-csv-import'")" ] ||
	fail "import noted for a bad file"
log "PASS"
