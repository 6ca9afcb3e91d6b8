/* ternd Dhcp4 global maps: interfaces-config, lease-database,
 * control-socket, loggers. Kea's keys without effect on ternd go to
 * ld_other_key, which knows them (kea_keys.c). */
#include <limits.h>
#include <net/if.h>
#include <string.h>
#include <sys/un.h>

#include "server/config/loader.h"

/* An integer Kea casts to uint32_t (static_cast of intValue): -1 is
 * 4294967295, as in Kea. */
static void get_kea_u32(struct loader *ld, const struct tjson *v, uint32_t *ret)
{
	if (!ld_want_type(ld, v, TJSON_NUMBER, "an integer"))
		return;
	if (!v->is_int) {
		ld_error_at(ld, v->pos, "\"%s\" must be an integer", v->key);
		return;
	}
	*ret = (uint32_t)(uint64_t)v->i;
}

void ld_parse_interfaces_config(struct loader *ld, const struct tjson *obj)
{
	struct ternd_config *cfg = ld->cfg;
	const struct tjson *outbound = NULL;

	if (!ld_want_type(ld, obj, TJSON_OBJECT, "a map"))
		return;
	for (const struct tjson *m = obj->child; m; m = m->next) {
		if (strcmp(m->key, "outbound-interface") == 0) {
			outbound = m;
			continue;
		}
		if (strcmp(m->key, "interfaces") == 0) {
			struct ternd_iface *v;
			size_t n = 0;

			if (!ld_want_type(ld, m, TJSON_ARRAY, "a list"))
				continue;
			if (m->n > TERND_MAX_IFACES) {
				ld_error_at(ld, m->pos,
					    "more than %d interfaces",
					    TERND_MAX_IFACES);
				continue;
			}
			if (!(v = ld_aalloc(ld, ld->a, m->n, sizeof(*v))))
				continue;
			for (const struct tjson *e = m->child; e; e = e->next) {
				const char *slash;
				size_t nl;

				if (!ld_want_type(ld, e, TJSON_STRING,
						  "a string"))
					continue;
				slash = strchr(e->s, '/');
				nl = slash ? (size_t)(slash - e->s) : e->len;
				if (nl == 0 || nl >= IF_NAMESIZE) {
					ld_error_at(
						ld, e->pos,
						"\"%s\" is not an interface "
						"name",
						e->s);
					continue;
				}
				if (slash &&
				    !ld_parse_addr(slash + 1, &v[n].addr)) {
					ld_error_at(
						ld, e->pos,
						"\"%s\": \"%s\" is not an IPv4 "
						"address",
						e->s, slash + 1);
					continue;
				}
				memcpy(v[n].name, e->s, nl);
				n++;
			}
			cfg->ifaces = v;
			cfg->n_ifaces = n;
		} else if (strcmp(m->key, "dhcp-socket-type") == 0) {
			if (!ld_want_type(ld, m, TJSON_STRING, "a string"))
				continue;
			if (strcmp(m->s, "raw") == 0)
				cfg->socket_type = TERND_SOCKET_RAW;
			else if (strcmp(m->s, "udp") == 0)
				cfg->socket_type = TERND_SOCKET_UDP;
			else
				ld_error_at(
					ld, m->pos,
					"dhcp-socket-type must be \"raw\" or "
					"\"udp\", not \"%s\"",
					m->s);
		} else if (strcmp(m->key, "service-sockets-max-retries") == 0) {
			get_kea_u32(ld, m, &cfg->socket_max_retries);
		} else if (strcmp(m->key, "service-sockets-retry-wait-time") ==
			   0) {
			get_kea_u32(ld, m, &cfg->socket_retry_wait_ms);
		} else {
			ld_other_key(ld, m, "interfaces-config");
		}
	}
	/* Kea sends through the routing table only with udp sockets (and
	 * only replies to relays: Dhcpv4Srv::adjustIfaceData); it ignores
	 * the key with raw ones. */
	cfg->outbound_use_routing = outbound &&
				    outbound->type == TJSON_STRING &&
				    strcmp(outbound->s, "use-routing") == 0 &&
				    cfg->socket_type == TERND_SOCKET_UDP;
}

/*
 * Kea's memfile "name" is its CSV lease file. ternd never writes over it (a
 * user moving from Kea still has leases there); its SQLite store lives beside
 * it: NAME with a ".csv" suffix replaced by ".sqlite", or NAME.sqlite.
 * So two configurations with two names never share leases.
 */
static void memfile_store_path(struct loader *ld, const struct tjson *name)
{
	const char *csv = ld->cfg->store_path;
	size_t len = strlen(csv), stem = len;
	char *p;

	if (len > 4 && strcmp(csv + len - 4, ".csv") == 0)
		stem = len - 4;
	if (csv[len - 1] == '/') {
		ld_error_at(ld, name->pos,
			    "memfile \"name\" must name a file, "
			    "not a directory");
		return;
	}
	if (!(p = ld_aalloc(ld, ld->a, stem + sizeof(".sqlite"), 1)))
		return;
	memcpy(p, csv, stem);
	memcpy(p + stem, ".sqlite", sizeof(".sqlite"));
	ld->cfg->store_path = p;
	ld->cfg->store_csv_path = csv;
}

void ld_parse_lease_database(struct loader *ld, const struct tjson *obj)
{
	struct ternd_config *cfg = ld->cfg;
	const struct tjson *type = NULL, *name = NULL;
	bool memfile = false;

	if (!ld_want_type(ld, obj, TJSON_OBJECT, "a map"))
		return;
	for (const struct tjson *m = obj->child; m; m = m->next) {
		if (strcmp(m->key, "type") == 0 && m->type == TJSON_STRING &&
		    strcmp(m->s, "postgresql") == 0) {
			ld_parse_lease_database_pg(ld, obj);
			return;
		}
	}
	for (const struct tjson *m = obj->child; m; m = m->next) {
		if (strcmp(m->key, "type") == 0) {
			type = m;
		} else if (strcmp(m->key, "name") == 0) {
			name = m;
		} else if (strcmp(m->key, "persist") == 0) {
			ld_get_bool(ld, m, &cfg->store_persist);
		} else if (strcmp(m->key, "lfc-interval") == 0) {
			ld_get_u32(ld, m, 0, UINT32_MAX, &cfg->lfc_interval);
		} else {
			ld_other_key(ld, m, "lease-database");
		}
	}
	if (!type) {
		ld_error_at(ld, obj->pos, "lease-database needs a \"type\"");
		return;
	}
	if (!ld_want_type(ld, type, TJSON_STRING, "a string"))
		return;
	if (strcmp(type->s, "memfile") == 0) {
		memfile = true;
	} else if (strcmp(type->s, "sqlite") != 0) {
		ld_error_at(ld, type->pos,
			    "lease-database type \"%s\" is not supported "
			    "(use \"memfile\", \"sqlite\" or \"postgresql\")",
			    type->s);
		return;
	}
	cfg->store_type = TERND_STORE_SQLITE;
	if (memfile && !name) {
		/* Kea's memfile without a name is its default CSV: the
		 * leases of a Kea server started from this very file. */
		cfg->store_path = TERND_KEA_MEMFILE4_DEFAULT;
		memfile_store_path(ld, type);
		return;
	}
	if (!name || !ld_get_str(ld, name, PATH_MAX - 1 - strlen(".sqlite"),
				 &cfg->store_path))
		return;
	if (memfile)
		memfile_store_path(ld, name);
}

void ld_parse_control_socket(struct loader *ld, const struct tjson *obj)
{
	const struct tjson *type = NULL, *name = NULL;

	if (!ld_want_type(ld, obj, TJSON_OBJECT, "a map"))
		return;
	for (const struct tjson *m = obj->child; m; m = m->next) {
		if (strcmp(m->key, "socket-type") == 0)
			type = m;
		else if (strcmp(m->key, "socket-name") == 0)
			name = m;
		else
			ld_other_key(ld, m, "control-socket");
	}
	if (type && ld_want_type(ld, type, TJSON_STRING, "a string") &&
	    strcmp(type->s, "unix") != 0)
		ld_error_at(ld, type->pos,
			    "control-socket type \"%s\" is not supported (only "
			    "\"unix\")",
			    type->s);
	if (!name) {
		ld_error_at(ld, obj->pos,
			    "control-socket needs \"socket-name\"");
		return;
	}
	ld_get_str(ld, name, sizeof(((struct sockaddr_un *)0)->sun_path) - 1,
		   &ld->cfg->control_socket);
}

void ld_parse_loggers(struct loader *ld, const struct tjson *arr,
		      const char *root)
{
	static const char *const sev[] = {"FATAL", "ERROR", "WARN", "INFO",
					  "DEBUG"};
	struct ternd_config *cfg = ld->cfg;
	bool found = false;

	if (!ld_want_type(ld, arr, TJSON_ARRAY, "a list"))
		return;
	for (const struct tjson *l = arr->child; l; l = l->next) {
		const struct tjson *name;
		bool ours;

		if (!ld_want_type(ld, l, TJSON_OBJECT, "a map"))
			continue;
		name = tjson_get(l, "name");
		if (!name || name->type != TJSON_STRING) {
			ld_error_at(ld, l->pos,
				    "logger needs a \"name\" string");
			continue;
		}
		/* ternd has one log stream: the daemon's root logger. */
		ours = !found && (strcmp(name->s, root) == 0 ||
				  strcmp(name->s, "ternd") == 0);
		if (!ours) {
			ld_warn_at(
				ld, name->pos,
				"logger \"%s\" ignored (ternd configures only "
				"\"%s\" or \"ternd\", once)",
				name->s, root);
			continue;
		}
		found = true;
		for (const struct tjson *m = l->child; m; m = m->next) {
			if (strcmp(m->key, "name") == 0)
				continue;
			if (strcmp(m->key, "severity") == 0) {
				size_t i;

				if (!ld_want_type(ld, m, TJSON_STRING,
						  "a string"))
					continue;
				for (i = 0; i < 5; i++)
					if (strcmp(m->s, sev[i]) == 0)
						break;
				if (i == 5)
					ld_error_at(
						ld, m->pos,
						"severity must be FATAL, "
						"ERROR, WARN, INFO or DEBUG, "
						"not \"%s\"",
						m->s);
				else
					cfg->log_severity =
						(enum ternd_log_severity)i;
			} else if (strcmp(m->key, "debuglevel") == 0) {
				ld_get_u32(ld, m, 0, 99, &cfg->log_debuglevel);
			} else if (strcmp(m->key, "output_options") == 0 ||
				   strcmp(m->key, "output-options") == 0) {
				const struct tjson *first, *out;

				if (!ld_want_type(ld, m, TJSON_ARRAY,
						  "a list") ||
				    !m->child)
					continue;
				first = m->child;
				if (m->n > 1)
					ld_warn_at(ld, first->next->pos,
						   "only the first output is "
						   "used");
				if (!ld_want_type(ld, first, TJSON_OBJECT,
						  "a map"))
					continue;
				for (out = first->child; out; out = out->next) {
					if (strcmp(out->key, "output") == 0)
						ld_get_str(ld, out,
							   PATH_MAX - 1,
							   &cfg->log_output);
					else
						ld_other_key(ld, out,
							     "output_options");
				}
			} else {
				ld_other_key(ld, m, "loggers");
			}
		}
	}
}
