#!/bin/bash
# legal_log: ternd writes Kea's forensic log. Debian does not ship
# libdhcp_legal_log.so, so the expected lines are Kea's format as its
# source gives it (ARM hooks-legal-log; lease4_callouts.cc since 2.7.7):
# one "assigned" line per ACK, "released" for a RELEASE and a DECLINE,
# nothing for a NAK or a DISCOVER, nothing for a subnet whose user-context
# says "legal-logging": false; the file is PATH/BASE.CCYYMMDD.txt. Then
# the custom formats (request-parser-format, response-parser-format).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/ternd_lib.sh"
tt_init
require_root
require_cmd python3
require_file "$TERND"
PLAY="$(dirname "$0")/hooks/relay_play.py"

SRV=198.18.250.1
RLY=198.18.250.2
netns_add srv
netns_add rly
veth_pair srv srv0 rly rly0
addr_add srv srv0 "$SRV/24"
addr_add rly rly0 "$RLY/24"
for g in 198.18.251.1 198.18.252.1; do
	ip -n "$(ns rly)" addr add "$g/32" dev lo || fail "giaddr"
	ip -n "$(ns srv)" route add "$g/32" via "$RLY" || fail "route"
done
mkdir -p "$TT_DIR/legal"
cat >"$TT_DIR/config.json" <<JSON
{"Dhcp4": {
  "interfaces-config": {"interfaces": ["srv0"], "dhcp-socket-type": "udp"},
  "lease-database": {"type": "memfile", "name": "$TT_DIR/leases.csv"},
  "valid-lifetime": 4000, "authoritative": true,
  "hooks-libraries": [{"library": "/usr/lib/kea/hooks/libdhcp_legal_log.so",
                       "parameters": {"path": "$TT_DIR/legal",
                                      "base-name": "kea-forensic4"}}],
  "subnet4": [{"id": 5, "subnet": "198.18.251.0/24",
               "pools": [{"pool": "198.18.251.100 - 198.18.251.150"}]},
              {"id": 6, "subnet": "198.18.252.0/24",
               "pools": [{"pool": "198.18.252.100 - 198.18.252.150"}],
               "user-context": {"legal-logging": false}}]
}}
JSON
TZ=UTC ternd_start srv "$TT_DIR/config.json"
ip netns exec "$(ns rly)" python3 "$PLAY" "$SRV" 198.18.251.1 events 198.18.251.50 \
	>"$TT_DIR/replies" || fail "relay_play failed"
ip netns exec "$(ns rly)" python3 "$PLAY" "$SRV" 198.18.252.1 events 198.18.252.50 \
	>>"$TT_DIR/replies" || fail "relay_play failed"
stop_bg ternd

file="$TT_DIR/legal/kea-forensic4.$(TZ=UTC date +%Y%m%d).txt"
[ -f "$file" ] || fail "no $file: $(ls "$TT_DIR/legal")"
relay=", client-id: 01:02:aa:bb:cc:00:01 connected via relay at address: 198.18.251.1, identified by circuit-id: 70:6f:72:74:2d:37 (port-7) and remote-id: 0a:0b:0c"
relay_b=" connected via relay at address: 198.18.251.1, identified by circuit-id: 70:6f:72:74:2d:37 (port-7) and remote-id: 0a:0b:0c"
dev="a device with hardware address: hwtype=1 02:aa:bb:cc:00"
cat >"$TT_DIR/expected" <<EOF
Address: 198.18.251.100 has been assigned for 1 hrs 6 mins 40 secs to $dev:01$relay
Address: 198.18.251.100 has been assigned for 1 hrs 6 mins 40 secs to $dev:01$relay
Address: 198.18.251.101 has been assigned for 1 hrs 6 mins 40 secs to $dev:02$relay_b
Address: 198.18.251.101 has been released from $dev:02$relay_b
Address: 198.18.251.100 has been released from $dev:01$relay
Address: 198.18.251.102 has been assigned for 1 hrs 6 mins 40 secs to $dev:06$relay_b
EOF
# Each line: Kea's default time stamp "%Y-%m-%d %H:%M:%S %Z", then the entry.
stamp='^[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2} UTC '
grep -Evq "$stamp" "$file" && fail "a line without Kea's time stamp: $(grep -Ev "$stamp" "$file")"
sed -E "s/$stamp//" "$file" >"$TT_DIR/got"
diff -u "$TT_DIR/expected" "$TT_DIR/got" >&2 || fail "the forensic log differs from Kea's format"
log "$(wc -l <"$file") lines in $(basename "$file"), none for the subnet with legal-logging false"

# Custom formats (Kea's expressions): the request's part, then the
# reply's (a release or a decline has none); 0x0a starts a new line,
# each with its time stamp.
mkdir -p "$TT_DIR/custom"
python3 - "$TT_DIR/config.json" "$TT_DIR/custom" >"$TT_DIR/custom.json" <<'PY'
import json, sys
cfg = json.load(open(sys.argv[1]))
p = cfg["Dhcp4"]["hooks-libraries"][0]["parameters"]
p["path"] = sys.argv[2]
p["request-parser-format"] = "'request ' + hexstring(pkt4.mac, ':')"
p["response-parser-format"] = "0x0a + 'reply ' + addrtotext(pkt4.yiaddr)"
cfg["Dhcp4"]["lease-database"]["name"] = sys.argv[2] + "/leases.csv"
print(json.dumps(cfg, indent=1))
PY
TZ=UTC ternd_start srv "$TT_DIR/custom.json" ternd-custom
ip netns exec "$(ns rly)" python3 "$PLAY" "$SRV" 198.18.251.1 events 198.18.251.50 \
	>"$TT_DIR/replies" || fail "relay_play failed"
stop_bg ternd-custom
file="$TT_DIR/custom/kea-forensic4.$(TZ=UTC date +%Y%m%d).txt"
cat >"$TT_DIR/expected" <<EOF
request 02:aa:bb:cc:00:01
reply 198.18.251.100
request 02:aa:bb:cc:00:01
reply 198.18.251.100
request 02:aa:bb:cc:00:02
reply 198.18.251.101
request 02:aa:bb:cc:00:02
request 02:aa:bb:cc:00:01
request 02:aa:bb:cc:00:06
reply 198.18.251.102
EOF
grep -Evq "$stamp" "$file" && fail "a line without Kea's time stamp: $(grep -Ev "$stamp" "$file")"
sed -E "s/$stamp//" "$file" >"$TT_DIR/got"
diff -u "$TT_DIR/expected" "$TT_DIR/got" >&2 || fail "the custom entries differ"
log "PASS"
