# Helpers for ternd on PostgreSQL: a private cluster under $TT_DIR, two
# servers in their own namespaces sharing it over its Unix socket.
# Source after lib.sh and ternd_lib.sh.
#
# PostgreSQL runs in the foreground as one of the test's background
# processes (setpriv execs it as the postgres user, so its pid is our
# child): the cleanup stops it like any other, and only it.

PG_BIN=/usr/lib/postgresql/15/bin
PG_PORT=55433

pg_as() { (cd / && setpriv --reuid=postgres --regid=postgres --init-groups "$@"); }

# pg_init: an empty cluster in $TT_DIR/pg (socket directory $PG_SOCK).
pg_init() {
	require_cmd setpriv psql pg_isready
	[ -x "$PG_BIN/postgres" ] || skip "needs postgresql-15"
	id postgres >/dev/null 2>&1 || skip "needs the postgres user"
	PG_DIR="$TT_DIR/pg"
	PG_SOCK="$PG_DIR/s"
	chmod o+x "$TT_DIR"
	mkdir -p "$PG_SOCK"
	chown -R postgres:postgres "$PG_DIR"
	pg_as "$PG_BIN/initdb" -D "$PG_DIR/data" -U postgres --auth=trust \
		-E UTF8 --locale=C.UTF-8 >"$TT_DIR/initdb.log" 2>&1 ||
		fail "initdb: $(tail -5 "$TT_DIR/initdb.log")"
}

# pg_run NAME: start the cluster (fsync on: durability is tested) and
# wait until it accepts connections.
pg_run() {
	start_bg "$1" setpriv --reuid=postgres --regid=postgres --init-groups \
		"$PG_BIN/postgres" -D "$PG_DIR/data" -k "$PG_SOCK" \
		-c listen_addresses= -p "$PG_PORT"
	wait_for 30 pg_isready -q -h "$PG_SOCK" -p "$PG_PORT" ||
		fail "PostgreSQL did not start: $(tail -5 "$(bg_log "$1")")"
}

# pg_halt NAME: fast shutdown (sessions cut, as a restart does); waits.
pg_halt() {
	kill -INT "$(bg_pid "$1")"
	wait_bg "$1" 30 || true
}

# pg_sql SQL: run SQL in database "leases", print rows unaligned.
pg_sql() {
	psql -X -qAt -v ON_ERROR_STOP=1 -h "$PG_SOCK" -p "$PG_PORT" \
		-U postgres -d leases -c "$1"
}

# pg_servers_config INDEX SERVERS FILE [CTLSOCK]: ternd's config for one
# of the shared servers (INDEX empty: no pool preference; CTLSOCK: a
# control socket there).
pg_servers_config() {
	local uc="" cs=""
	[ -n "$1" ] && uc=", \"user-context\": {\"ternd\": {\"server-index\": $1, \"servers\": $2}}"
	[ -n "${4:-}" ] && cs="\"control-socket\": {\"socket-type\": \"unix\", \"socket-name\": \"$4\"},"
	cat >"$3" <<JSON
{"Dhcp4": {
  "interfaces-config": {"interfaces": ["eth0"]}, $cs
  "lease-database": {"type": "postgresql", "name": "leases",
    "host": "$PG_SOCK", "port": $PG_PORT, "user": "postgres",
    "connect-timeout": 2, "max-reconnect-tries": 40,
    "reconnect-wait-time": 250, "on-fail": "stop-retry-exit"},
  "valid-lifetime": 4000${uc},
  "subnet4": [{"id": 1, "subnet": "10.250.0.0/16",
               "pools": [{"pool": "10.250.1.0 - 10.250.255.254"}],
               "option-data": [{"name": "routers", "data": "10.250.0.1"}]}]
}}
JSON
}

# pg_two_sites: namespaces srvN <-> cliN (N = 1, 2), each pair its own
# link with the same addresses (server 10.250.0.1, relay 10.250.0.2):
# what a client of one site sends, the other site's server never sees.
pg_two_sites() {
	local i
	for i in 1 2; do
		netns_add "srv$i"
		netns_add "cli$i"
		veth_pair "srv$i" eth0 "cli$i" eth0
		addr_add "srv$i" eth0 10.250.0.1/16
		addr_add "cli$i" eth0 10.250.0.2/16
	done
}

# pg_capture N: capture the DHCP traffic of site N (stop_bg capN ends it).
pg_capture() {
	start_bg "cap$1" ip netns exec "$(ns "cli$1")" tcpdump -i eth0 -n -U \
		-w "$TT_DIR/cap$1.pcap" udp port 67
	wait_file_contains 10 "$(bg_log "cap$1")" 'listening on' ||
		fail "tcpdump did not start"
}

# pg_acks PCAP: one line "yiaddr chaddr" per DHCPACK captured.
pg_acks() {
	tcpdump -r "$1" -n -vv 2>/dev/null | awk '
		/^[0-9][0-9]:[0-9][0-9]:/ {
			if (t == "ACK") print y, m
			t = ""; y = ""; m = ""
		}
		/Your-IP/ {y = $2}
		/Client-Ethernet-Address/ {m = $2}
		/DHCP-Message.*: ACK/ {t = "ACK"}
		END {if (t == "ACK") print y, m}'
}

# pg_msgs PCAP TYPE: how many DHCP messages of TYPE (Request, ACK, NACK,
# ...) the capture holds.
pg_msgs() {
	tcpdump -r "$1" -n -vv 2>/dev/null | grep -c "DHCP-Message.*: $2\$" || true
}

# pg_load N RATE SECS MACBASE: perfdhcp (as a relay) against site N.
pg_load() {
	start_bg "perf$1" ip netns exec "$(ns "cli$1")" timeout 120 perfdhcp -4 \
		-l eth0 -r "$2" -R 1000000 -p "$3" -W 500000 -b "mac=$4" \
		10.250.0.1
}

# perf_counts NAME: "sent-discover offers sent-request acks".
perf_counts() {
	awk '
	/Statistics for: DISCOVER-OFFER/ {s = 1} /Statistics for: REQUEST-ACK/ {s = 2}
	/sent packets:/ {sent[s] = $3} /received packets:/ {recv[s] = $3}
	END {print sent[1] + 0, recv[1] + 0, sent[2] + 0, recv[2] + 0}' "$(bg_log "$1")"
}

# pg_check_acks: every ACK captured at either site is the row of its
# client in the database, and no address was ACKed to two clients.
pg_check_acks() {
	local acks="$TT_DIR/acks" rows="$TT_DIR/rows" n dup missing
	: >"$acks"
	for f in "$@"; do pg_acks "$f" >>"$acks"; done
	n=$(wc -l <"$acks")
	[ "$n" -gt 0 ] || fail "no ACK captured"
	dup=$(sort -u "$acks" | awk '{print $1}' | sort | uniq -d | head -5)
	if [ -n "$dup" ]; then
		for f in "$@"; do
			for a in $dup; do
				echo "== $f: $a" >&2
				tcpdump -r "$f" -n -vv 2>/dev/null | grep -B3 -A30 "Your-IP $a\$" |
					grep -E '^[0-9]|Your-IP|Client-Ethernet|DHCP-Message|Client-IP|Server-ID' >&2
			done
		done
		for a in $dup; do pg_sql "SELECT * FROM ternd_lease4_readable WHERE host(address) = '$a'" >&2; done
		fail "addresses ACKed to two clients: $dup"
	fi
	pg_sql "SELECT host(address) || ' ' || hwaddr FROM ternd_lease4_readable
		WHERE state = 'bound'" | sort -u >"$rows"
	missing=$(sort -u "$acks" | comm -23 - "$rows" | head -5)
	[ -z "$missing" ] || fail "ACKed but not in the database: $missing"
	log "$n ACKs on the wire, each its client's row; no address ACKed twice"
}
