/* ternd lease-database of type "postgresql": Kea's keys -> libpq conninfo. */
#include <stdio.h>
#include <string.h>

#include "server/config/loader.h"

/* Kea's defaults (database_connection.cc, pgsql_connection.cc). */
#define PG_DEFAULT_HOST	   "localhost"
#define PG_CONNECT_TIMEOUT 5

struct pg_keys {
	const struct tjson *name, *host, *port, *user, *password;
};

/* Append key='value' with libpq's quoting (backslash before ' and \). */
static size_t put_kv(char *buf, size_t at, size_t cap, const char *key,
		     const char *val)
{
	at += (size_t)snprintf(at < cap ? buf + at : NULL,
			       at < cap ? cap - at : 0, "%s%s='", at ? " " : "",
			       key);
	for (const char *c = val; *c; c++) {
		if (*c == '\'' || *c == '\\') {
			if (at < cap)
				buf[at] = '\\';
			at++;
		}
		if (at < cap)
			buf[at] = *c;
		at++;
	}
	if (at < cap)
		buf[at] = '\'';
	return at + 1;
}

/* The conninfo, its length (without the NUL) however small buf is. */
static size_t conninfo(char *buf, size_t cap, const struct pg_keys *k,
		       const char *host, uint32_t port, uint32_t timeout)
{
	char num[16];
	size_t at = 0;

	at = put_kv(buf, at, cap, "dbname", k->name->s);
	at = put_kv(buf, at, cap, "host", host);
	if (port) {
		snprintf(num, sizeof(num), "%u", port);
		at = put_kv(buf, at, cap, "port", num);
	}
	if (k->user)
		at = put_kv(buf, at, cap, "user", k->user->s);
	if (k->password)
		at = put_kv(buf, at, cap, "password", k->password->s);
	snprintf(num, sizeof(num), "%u", timeout);
	at = put_kv(buf, at, cap, "connect_timeout", num);
	/* Who is connected, for pg_stat_activity. */
	at = put_kv(buf, at, cap, "application_name", "ternd");
	if (at < cap)
		buf[at] = '\0';
	else if (cap)
		buf[cap - 1] = '\0';
	return at;
}

static void on_fail(struct loader *ld, const struct tjson *m,
		    enum ternd_db_on_fail *ret)
{
	static const char *const names[] = {
		"stop-retry-exit", "serve-retry-exit", "serve-retry-continue"};

	if (!ld_want_type(ld, m, TJSON_STRING, "a string"))
		return;
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (strcmp(m->s, names[i]) == 0) {
			*ret = (enum ternd_db_on_fail)i;
			return;
		}
	}
	ld_error_at(ld, m->pos,
		    "\"on-fail\" must be \"stop-retry-exit\", "
		    "\"serve-retry-exit\" or \"serve-retry-continue\"");
}

void ld_parse_lease_database_pg(struct loader *ld, const struct tjson *obj)
{
	struct ternd_config *cfg = ld->cfg;
	struct ternd_pg_config *pg = &cfg->store_pg;
	struct pg_keys k = {0};
	const char *host = PG_DEFAULT_HOST, *s;
	uint32_t port = 0;
	unsigned errors = ld->errors;
	size_t len;
	char *p;

	pg->connect_timeout = PG_CONNECT_TIMEOUT;
	for (const struct tjson *m = obj->child; m; m = m->next) {
		const struct tjson **str = NULL;

		if (strcmp(m->key, "type") == 0)
			continue;
		else if (strcmp(m->key, "name") == 0)
			str = &k.name;
		else if (strcmp(m->key, "host") == 0)
			str = &k.host;
		else if (strcmp(m->key, "user") == 0)
			str = &k.user;
		else if (strcmp(m->key, "password") == 0)
			str = &k.password;
		else if (strcmp(m->key, "port") == 0)
			ld_get_u32(ld, m, 0, 65535, &port);
		else if (strcmp(m->key, "connect-timeout") == 0)
			ld_get_u32(ld, m, 0, 86400, &pg->connect_timeout);
		else if (strcmp(m->key, "max-reconnect-tries") == 0)
			ld_get_u32(ld, m, 0, UINT32_MAX,
				   &pg->max_reconnect_tries);
		else if (strcmp(m->key, "reconnect-wait-time") == 0)
			ld_get_u32(ld, m, 0, UINT32_MAX,
				   &pg->reconnect_wait_time);
		else if (strcmp(m->key, "on-fail") == 0)
			on_fail(ld, m, &pg->on_fail);
		else if (strcmp(m->key, "persist") == 0 ||
			 strcmp(m->key, "lfc-interval") == 0)
			ld_error_at(ld, m->kpos,
				    "\"%s\" is a memfile key: not with "
				    "type \"postgresql\"",
				    m->key);
		else if (strcmp(m->key, "trust-anchor") == 0 ||
			 strcmp(m->key, "cert-file") == 0 ||
			 strcmp(m->key, "key-file") == 0 ||
			 strcmp(m->key, "cipher-list") == 0)
			ld_error_at(ld, m->kpos,
				    "\"%s\": TLS to PostgreSQL is not "
				    "supported (Kea 2.2 has none either)",
				    m->key);
		else if (strcmp(m->key, "readonly") == 0)
			ld_error_at(ld, m->kpos,
				    "\"readonly\": ternd writes its leases");
		else
			ld_other_key(ld, m, "lease-database");
		if (str && ld_get_str(ld, m, 1024, &s))
			*str = m;
	}
	if (!k.name) {
		ld_error_at(ld, obj->pos,
			    "lease-database of type \"postgresql\" needs a "
			    "\"name\" (the database)");
		return;
	}
	if (ld->errors != errors)
		return;
	if (k.host)
		host = k.host->s;
	len = conninfo(NULL, 0, &k, host, port, pg->connect_timeout);
	if (!(p = ld_aalloc(ld, ld->a, len + 1, 1)))
		return;
	conninfo(p, len + 1, &k, host, port, pg->connect_timeout);
	pg->conninfo = p;
	/* For logs: no password. */
	len = strlen(k.name->s) + strlen(host) + 64 +
	      (k.user ? strlen(k.user->s) : 0);
	if (!(p = ld_aalloc(ld, ld->a, len, 1)))
		return;
	snprintf(p, len, "postgresql://%s%s%s%s%s:%u/%s",
		 k.user ? k.user->s : "", k.user ? "@" : "",
		 host[0] == '/' ? "[" : "", host, host[0] == '/' ? "]" : "",
		 port ? port : 5432, k.name->s);
	cfg->store_path = p;
	cfg->store_csv_path = NULL;
	cfg->store_type = TERND_STORE_POSTGRESQL;
	cfg->store_persist = true;
}
