#!/bin/bash
# make demo keeps working: run scripts/demo and check what it shows (v4:
# udhcpc and tern-mgr served by ternd; v6: tern-mgr's dibbler-client gets
# address, prefix, DNS, domain and MAP-T from ternd, in TR-181 and lease6).
set -u
out=$(mktemp)
trap 'rm -f "$out"' EXIT
[ "$(id -u)" = 0 ] || exit 77
bash "$TERN_SRC/scripts/demo" "$TERN_BUILD" >"$out" 2>&1
rc=$?
if [ $rc = 77 ]; then cat "$out"; exit 77; fi
[ $rc = 0 ] || { cat "$out"; echo "FAIL: demo exited $rc"; exit 1; }
for want in 'configuration OK' 'lease of 10.77.0.1[0-9][0-9] obtained from 10.77.0.1' \
	'Device.DHCPv4.Client.1.DHCPStatus=Bound' 'inet 10.77.0.1[0-9][0-9]/24' \
	'10.77.0.1[0-9][0-9] +bound +02:77:00:00:00:01' \
	'Device.DHCPv6.Client.1.DHCPStatus=Bound' 'IANAAddress=fd00:77::1[0-9a-f]{3}$' \
	'IAPDPrefix=fd00:77[0-9a-f]{2}:?[0-9a-f]*::/56' 'DNSServers=fd00:77::53' \
	'DomainSearch=demo.example' 'MapPSID=1234' 'inet6 fd00:77::1[0-9a-f]{3}/128' \
	'^ +2 +fd0077[0-9a-f]{26} +56 +0 '; do
	grep -Eq -- "$want" "$out" || { cat "$out"; echo "FAIL: demo output lacks /$want/"; exit 1; }
done
echo "demo: ok"
