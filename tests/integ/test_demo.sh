#!/bin/bash
# make demo keeps working: run scripts/demo and check what it shows.
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
	'10.77.0.1[0-9][0-9] +bound +02:77:00:00:00:01'; do
	grep -Eq -- "$want" "$out" || { cat "$out"; echo "FAIL: demo output lacks /$want/"; exit 1; }
done
echo "demo: ok"
