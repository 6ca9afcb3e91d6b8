#!/bin/bash
# kea-dhcp6 -t and ternd -t on every Kea DHCPv6 example (Debian's
# kea-dhcp6.conf, the kea-doc kea6 examples): test_kea_examples.sh with
# KEA_FAMILY=6; what ternd still refuses is in
# kea_examples/expected-refusals6.txt, by file and reason.
KEA_FAMILY=6 exec bash "$(dirname "$0")/test_kea_examples.sh"
