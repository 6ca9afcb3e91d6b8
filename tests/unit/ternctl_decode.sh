#!/bin/sh
# ternctl decode on real captures prints the fields an operator looks for; bad input fails clearly.
set -eu
ctl="$1"; fx="$2"
out=$(mktemp); trap 'rm -f "$out" "$out.bad"' EXIT
fail() { echo "FAIL: $*"; cat "$out"; exit 1; }
expect() { grep -qF -- "$1" "$out" || fail "missing: $1"; }

"$ctl" decode "$fx/v4/udhcpc_discover.bin" >"$out"
expect "DHCPv4 DHCPDISCOVER, 300 bytes, BOOTREQUEST"
expect "client-id                01:02:fa:00:00:00:02 (ethernet)"
expect "parameter-request-list   1(subnet-mask) 3(routers) 6(domain-name-servers)"

"$ctl" decode "$fx/v4/kea4_ack_opt82.bin" >"$out"
expect "DHCPACK"
expect "sub-option 1 circuit-id \"tfr1\""

"$ctl" decode "$fx/v6/kea6_relay_repl_reply.bin" >"$out"
expect "DHCPv6 RELAY-REPL (level 0)"
expect "iaprefix       fd00:9a00::/56 preferred 3000 valid 4000"
expect "rule 0: FMR ipv4 192.0.2.0/24 ipv6 2001:db8::/32 ea-len 0 psid-offset 0 psid 1234/16"

# Hex text input, from stdin.
od -An -tx1 -v "$fx/v4/kea4_nak.bin" | "$ctl" decode - >"$out"
expect "DHCPv4 DHCPNAK, 250 bytes"

# A truncated message: exit 1 and the codec's reason.
head -c 100 "$fx/v4/kea4_ack.bin" >"$out.bad"
if "$ctl" decode -4 "$out.bad" >"$out"; then fail "truncated input accepted"; fi
expect "cannot decode: truncated header"
echo "ternctl decode: ok"
