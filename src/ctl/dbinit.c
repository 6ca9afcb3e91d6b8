/* ternctl db-init: create or upgrade the schema of ternd's PostgreSQL lease
 * database (ternd does it too at start) and report its version. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>

#include "ctl/ctl.h"
#include "server/config/config.h"
#include "server/store/postgresql.h"
#include "server/store/postgresql_int.h"

static void usage(void)
{
	fputs("usage: ternctl db-init -c CONFIG\n"
	      "       ternctl db-init --name DB [--host HOST] [--port PORT] "
	      "[--user USER]\n",
	      stderr);
}

/* The schema version in the database: 0 when it has none, -1 on error
 * (said on stderr). */
static long schema_version(const char *conninfo, const char *where)
{
	PGconn *c = PQconnectdb(conninfo);
	PGresult *res = NULL;
	long v = -1;

	if (PQstatus(c) != CONNECTION_OK) {
		fprintf(stderr, "ternctl: %s: cannot connect: %s", where,
			PQerrorMessage(c));
		goto out;
	}
	/* Two queries: a missing table fails a query that names it. */
	res = PQexec(c, "SELECT to_regclass('ternd_schema') IS NOT NULL");
	if (PQresultStatus(res) != PGRES_TUPLES_OK || PQntuples(res) != 1) {
		fprintf(stderr, "ternctl: %s: %s", where,
			PQresultErrorMessage(res));
		goto out;
	}
	if (strcmp(PQgetvalue(res, 0, 0), "t") != 0) {
		v = 0;
		goto out;
	}
	PQclear(res);
	res = PQexec(c, "SELECT coalesce(max(version), 0) FROM ternd_schema");
	if (PQresultStatus(res) != PGRES_TUPLES_OK || PQntuples(res) != 1) {
		fprintf(stderr, "ternctl: %s: %s", where,
			PQresultErrorMessage(res));
		goto out;
	}
	v = strtol(PQgetvalue(res, 0, 0), NULL, 10);
out:
	PQclear(res);
	PQfinish(c);
	return v;
}

/* libpq's quoting: backslash before ' and \. */
static void put_kv(char *buf, size_t cap, const char *key, const char *val)
{
	size_t at = strlen(buf);

	at += (size_t)snprintf(buf + at, at < cap ? cap - at : 0, "%s%s='",
			       at ? " " : "", key);
	for (const char *c = val; *c && at + 3 < cap; c++) {
		if (*c == '\'' || *c == '\\')
			buf[at++] = '\\';
		buf[at++] = *c;
	}
	if (at + 1 < cap) {
		buf[at++] = '\'';
		buf[at] = '\0';
	}
}

int ctl_cmd_db_init(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"config", required_argument, NULL, 'c'},
		{"host", required_argument, NULL, 'H'},
		{"port", required_argument, NULL, 'P'},
		{"name", required_argument, NULL, 'n'},
		{"user", required_argument, NULL, 'u'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	const char *config = NULL, *host = NULL, *port = NULL, *name = NULL,
		   *user = NULL, *conninfo, *where;
	struct ternd_config *cfg = NULL;
	struct ternd_diags diags = {0};
	struct ternd_store *st = NULL;
	char built[1024] = "";
	long before, after;
	int opt, r, rc = 1;

	argc++;
	argv--;
	optind = 1;
	while ((opt = getopt_long(argc, argv, "+c:h", longopts, NULL)) != -1) {
		switch (opt) {
		case 'c':
			config = optarg;
			break;
		case 'H':
			host = optarg;
			break;
		case 'P':
			port = optarg;
			break;
		case 'n':
			name = optarg;
			break;
		case 'u':
			user = optarg;
			break;
		case 'h':
			usage();
			return 0;
		default:
			usage();
			return 2;
		}
	}
	if (optind != argc || !config == !name ||
	    (config && (host || port || user))) {
		usage();
		return 2;
	}
	if (config) {
		r = ternd_config_load_file(config, &cfg, &diags);
		if (r < 0) {
			ternd_diags_print(stderr, config, &diags);
			fprintf(stderr, "ternctl: %s: cannot load: %s\n",
				config, strerror(-r));
			goto out;
		}
		if (cfg->store_type != TERND_STORE_POSTGRESQL) {
			printf("%s: the lease database is ternd's SQLite file "
			       "%s, which ternd creates and upgrades itself "
			       "at start: nothing to do\n",
			       config, cfg->store_path);
			rc = 0;
			goto out;
		}
		conninfo = cfg->store_pg.conninfo;
		where = cfg->store_path; /* without the password */
	} else {
		put_kv(built, sizeof(built), "dbname", name);
		if (host)
			put_kv(built, sizeof(built), "host", host);
		if (port)
			put_kv(built, sizeof(built), "port", port);
		if (user)
			put_kv(built, sizeof(built), "user", user);
		put_kv(built, sizeof(built), "connect_timeout", "5");
		put_kv(built, sizeof(built), "application_name", "ternctl");
		conninfo = built;
		where = name;
	}
	before = schema_version(conninfo, where);
	if (before < 0)
		goto out;
	if (before > ternd_pg_schema_version()) {
		fprintf(stderr,
			"ternctl: %s: schema version %ld is newer than this "
			"ternctl's (%d): left as it is\n",
			where, before, ternd_pg_schema_version());
		goto out;
	}
	/* The store's own open: the same steps, lock and transaction as
	 * ternd's at start. */
	r = ternd_store_postgresql_ops.open(conninfo, &st);
	if (r < 0) {
		fprintf(stderr, "ternctl: %s: cannot create the schema: %s\n",
			where,
			r == -EPROTONOSUPPORT ? "its schema is newer than this "
						"ternctl"
					      : strerror(-r));
		goto out;
	}
	ternd_store_postgresql_ops.close(st);
	after = schema_version(conninfo, where);
	if (after < 0)
		goto out;
	if (before == 0)
		printf("%s: schema created, version %ld\n", where, after);
	else if (before != after)
		printf("%s: schema upgraded from version %ld to %ld\n", where,
		       before, after);
	else
		printf("%s: schema version %ld, up to date\n", where, after);
	rc = 0;
out:
	ternd_config_free(cfg);
	return rc;
}
