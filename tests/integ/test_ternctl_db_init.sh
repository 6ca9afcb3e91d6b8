#!/bin/bash
# ternctl db-init (issue 13): creates the schema of a configured PostgreSQL
# lease database and says its version; a second run changes nothing; a
# version-1 database (ternd before DHCPv6 on PostgreSQL) is upgraded with
# its leases kept; a newer schema is refused and left alone; the --name
# form does the same; an SQLite configuration is a no-op with a message.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/pg_lib.sh"
tt_init
require_root
TERNCTL="$TERN_BUILD/src/ctl/ternctl"
require_file "$TERNCTL"

pg_init
pg_run pg
psql -X -q -h "$PG_SOCK" -p "$PG_PORT" -U postgres -c "CREATE DATABASE leases"
cat >"$TT_DIR/pg.json" <<JSON
{"Dhcp6": {
  "interfaces-config": {"interfaces": ["eth0"]},
  "lease-database": {"type": "postgresql", "name": "leases",
    "host": "$PG_SOCK", "port": $PG_PORT, "user": "postgres"},
  "subnet6": [{"id": 1, "subnet": "2001:db8:1::/64",
    "pools": [{"pool": "2001:db8:1::1:0/112"}]}]
}}
JSON

out=$("$TERNCTL" db-init -c "$TT_DIR/pg.json") || fail "db-init: $out"
log "$out"
echo "$out" | grep -q 'schema created, version 2$' || fail "not created: $out"
[ "$(pg_sql "SELECT count(*) FROM pg_tables WHERE tablename IN
	('ternd_lease4', 'ternd_lease6', 'ternd_meta', 'ternd_schema')")" = 4 ] ||
	fail "tables missing"
out=$("$TERNCTL" db-init -c "$TT_DIR/pg.json") || fail "second db-init: $out"
echo "$out" | grep -q 'schema version 2, up to date$' || fail "not idempotent: $out"
[ "$(pg_sql 'SELECT count(*) FROM ternd_schema')" = 1 ] || fail "schema rows"

# A version-1 database with a lease: upgraded, the lease kept.
pg_sql "DROP VIEW ternd_lease6_stat; DROP VIEW ternd_lease6_readable;
	DROP TABLE ternd_lease6; UPDATE ternd_schema SET version = 1;
	INSERT INTO ternd_lease4 VALUES (167772161, 1, 2, 1, '\\x0102', '\\x',
	3600, 1, 3601, 'h', false, false, '\\x')" >/dev/null
out=$("$TERNCTL" db-init --name leases --host "$PG_SOCK" --port "$PG_PORT" \
	--user postgres) || fail "db-init --name: $out"
log "$out"
echo "$out" | grep -q 'schema upgraded from version 1 to 2$' || fail "not upgraded: $out"
[ "$(pg_sql 'SELECT count(*) FROM ternd_lease6')" = 0 ] || fail "no lease6 table"
[ "$(pg_sql 'SELECT hostname FROM ternd_lease4')" = h ] || fail "v4 lease lost"

# Newer than this ternctl: refused, nothing changed.
pg_sql "UPDATE ternd_schema SET version = 99" >/dev/null
if out=$("$TERNCTL" db-init -c "$TT_DIR/pg.json" 2>&1); then
	fail "a newer schema was accepted: $out"
fi
echo "$out" | grep -q 'newer' || fail "no clear error: $out"
[ "$(pg_sql 'SELECT version FROM ternd_schema')" = 99 ] || fail "version changed"

# No server: a clear error.
if out=$("$TERNCTL" db-init --name leases --host "$TT_DIR/nowhere" 2>&1); then
	fail "db-init without a server succeeded: $out"
fi
echo "$out" | grep -q 'cannot connect' || fail "no clear error: $out"

# SQLite: nothing to do, said so.
cat >"$TT_DIR/sqlite.json" <<JSON
{"Dhcp6": {
  "interfaces-config": {"interfaces": ["eth0"]},
  "lease-database": {"type": "memfile", "name": "$TT_DIR/l6.csv"},
  "subnet6": []
}}
JSON
out=$("$TERNCTL" db-init -c "$TT_DIR/sqlite.json") || fail "sqlite: $out"
echo "$out" | grep -q 'nothing to do' || fail "sqlite: $out"
[ ! -e "$TT_DIR/l6.sqlite" ] || fail "db-init created the SQLite file"
# Bad usage.
"$TERNCTL" db-init >/dev/null 2>&1 && fail "db-init without a database"
"$TERNCTL" db-init -c "$TT_DIR/pg.json" --host x >/dev/null 2>&1 &&
	fail "db-init -c with --host"
log "PASS"
