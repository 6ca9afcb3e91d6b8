/* ternd configuration: Dhcp6 host reservations beyond a subnet's list
 * (Kea 2.2): global reservations, the reservations-* flags and
 * reservation-mode, host-reservation-identifiers, Kea's CfgHosts checks. */
#include <stdlib.h>
#include <string.h>

#include "server/config/loader6.h"

enum { RES_GLOBAL = 1, RES_IN_SUBNET = 2, RES_OUT_OF_POOL = 4 };

/* Kea's BaseNetworkParser::moveReservationMode: each mode stands for the
 * flags it sets; "disabled" and "global" leave out-of-pool inherited. */
static bool map_mode(struct loader *ld, const struct tjson *m,
		     struct ld6_res *r)
{
	if (!ld_want_type(ld, m, TJSON_STRING, "a string"))
		return false;
	if (strcmp(m->s, "disabled") == 0) {
		r->global = r->in_subnet = false;
		r->set |= RES_GLOBAL | RES_IN_SUBNET;
	} else if (strcmp(m->s, "out-of-pool") == 0) {
		r->global = false;
		r->in_subnet = r->out_of_pool = true;
		r->set |= RES_GLOBAL | RES_IN_SUBNET | RES_OUT_OF_POOL;
	} else if (strcmp(m->s, "global") == 0) {
		r->global = true;
		r->in_subnet = false;
		r->set |= RES_GLOBAL | RES_IN_SUBNET;
	} else if (strcmp(m->s, "all") == 0) {
		r->global = r->out_of_pool = false;
		r->in_subnet = true;
		r->set |= RES_GLOBAL | RES_IN_SUBNET | RES_OUT_OF_POOL;
	} else {
		ld_error_at(ld, m->pos,
			    "\"reservation-mode\": \"%s\" is not one of "
			    "disabled, out-of-pool, global, all",
			    m->s);
		return false;
	}
	return true;
}

static void both(struct loader *ld, const struct tjson *m)
{
	ld_error_at(ld, m->kpos,
		    "invalid use of both \"reservation-mode\" and one of "
		    "\"reservations-global\", \"reservations-in-subnet\" or "
		    "\"reservations-out-of-pool\"");
}

bool ld6_res_param(struct loader *ld, const struct tjson *m, struct ld6_res *r)
{
	static const char *const keys[] = {"reservations-global",
					   "reservations-in-subnet",
					   "reservations-out-of-pool"};
	bool *dst[] = {&r->global, &r->in_subnet, &r->out_of_pool};

	if (strcmp(m->key, "reservation-mode") == 0) {
		/* Kea refuses both at one level, in any order. */
		if (r->set)
			both(ld, m);
		else if (map_mode(ld, m, r))
			r->mode = m;
		return true;
	}
	for (int i = 0; i < 3; i++) {
		if (strcmp(m->key, keys[i]) != 0)
			continue;
		if (r->mode)
			both(ld, m);
		else if (ld_get_bool(ld, m, dst[i]))
			r->set |= (uint8_t)(1u << i);
		return true;
	}
	return false;
}

static void take(const struct ld6_res *l, struct ternd_params6 *out)
{
	if (!l)
		return;
	if (l->set & RES_GLOBAL)
		out->res_global = l->global;
	if (l->set & RES_IN_SUBNET)
		out->res_in_subnet = l->in_subnet;
	if (l->set & RES_OUT_OF_POOL)
		out->res_out_of_pool = l->out_of_pool;
}

void ld6_res_resolve(const struct ld6_res *global, const struct ld6_res *net,
		     const struct ld6_res *subnet, struct ternd_params6 *out)
{
	/* Kea 2.2's defaults (dhcp6 simple_parser6.cc). */
	out->res_global = false;
	out->res_in_subnet = true;
	out->res_out_of_pool = false;
	take(global, out);
	take(net, out);
	take(subnet, out);
}

/* ---- host-reservation-identifiers ---- */

static int id_type(const char *s)
{
	if (strcmp(s, "hw-address") == 0)
		return TERND6_ID_HW_ADDRESS;
	if (strcmp(s, "duid") == 0)
		return TERND6_ID_DUID;
	if (strcmp(s, "flex-id") == 0)
		return TERND6_ID_FLEX;
	return -1;
}

/* Kea's HostReservationIdsParser6: the types DHCPv6 knows, each once
 * (kea-dhcp6 2.2's grammar takes neither "auto" nor an empty list). */
static void parse_ids(struct loader *ld, const struct tjson *arr,
		      struct ternd_config6 *c6)
{
	uint8_t v[3];
	size_t n = 0;

	if (!ld_want_type(ld, arr, TJSON_ARRAY, "a list"))
		return;
	for (const struct tjson *e = arr->child; e; e = e->next) {
		int t;

		if (!ld_want_type(ld, e, TJSON_STRING, "a string"))
			return;
		if ((t = id_type(e->s)) < 0) {
			ld_error_at(ld, e->pos,
				    "unsupported identifier '%s' (kea-dhcp6 "
				    "takes duid, hw-address or flex-id)",
				    e->s);
			return;
		}
		for (size_t i = 0; i < n; i++)
			if (v[i] == t) {
				ld_error_at(ld, e->pos,
					    "duplicate host identifier '%s'",
					    e->s);
				return;
			}
		v[n++] = (uint8_t)t;
	}
	if (!n) {
		ld_error_at(ld, arr->pos,
			    "'host-reservation-identifiers' list must not be "
			    "empty");
		return;
	}
	memcpy(c6->host_ids, v, n);
	c6->n_host_ids = (uint8_t)n;
}

/* Kea's CfgMACSource names (two for three of them). */
static const struct {
	const char *name;
	uint8_t v;
} mac_names[] = {
	{"any", TERND6_MAC_ANY},
	{"raw", TERND6_MAC_RAW},
	{"duid", TERND6_MAC_DUID},
	{"ipv6-link-local", TERND6_MAC_LINK_LOCAL},
	{"client-link-addr-option", TERND6_MAC_CLIENT_LINKADDR},
	{"rfc6939", TERND6_MAC_CLIENT_LINKADDR},
	{"remote-id", TERND6_MAC_REMOTE_ID},
	{"rfc4649", TERND6_MAC_REMOTE_ID},
	{"subscriber-id", TERND6_MAC_SUBSCRIBER_ID},
	{"rfc4580", TERND6_MAC_SUBSCRIBER_ID},
	{"docsis-cmts", TERND6_MAC_DOCSIS_CMTS},
	{"docsis-modem", TERND6_MAC_DOCSIS_MODEM},
};

/* Kea's MACSourcesListConfigParser: known names, each source once. */
static void parse_mac_sources(struct loader *ld, const struct tjson *arr,
			      struct ternd_config6 *c6)
{
	uint8_t v[TERND6_MAX_MAC_SOURCES];
	size_t n = 0;

	if (!ld_want_type(ld, arr, TJSON_ARRAY, "a list"))
		return;
	for (const struct tjson *e = arr->child; e; e = e->next) {
		size_t k;

		if (!ld_want_type(ld, e, TJSON_STRING, "a string"))
			return;
		for (k = 0; k < sizeof(mac_names) / sizeof(mac_names[0]); k++)
			if (strcmp(e->s, mac_names[k].name) == 0)
				break;
		if (k == sizeof(mac_names) / sizeof(mac_names[0])) {
			ld_error_at(ld, e->pos,
				    "Failed to convert '%s' to any recognized "
				    "MAC source",
				    e->s);
			return;
		}
		for (size_t i = 0; i < n; i++)
			if (v[i] == mac_names[k].v) {
				ld_error_at(ld, e->pos,
					    "The mac-sources value '%s' was "
					    "specified twice",
					    e->s);
				return;
			}
		v[n++] = mac_names[k].v;
	}
	if (!n) {
		ld_error_at(ld, arr->pos,
			    "If specified, MAC Sources cannot be empty");
		return;
	}
	memcpy(c6->mac_sources, v, n);
	c6->n_mac_sources = (uint8_t)n;
}

bool ld6_hosts_key(struct loader *ld, const struct tjson *m,
		   struct ternd_config6 *c6, const struct tjson **ret_res)
{
	if (strcmp(m->key, "reservations") == 0) {
		*ret_res = m;
	} else if (strcmp(m->key, "host-reservation-identifiers") == 0) {
		parse_ids(ld, m, c6);
	} else if (strcmp(m->key, "mac-sources") == 0) {
		parse_mac_sources(ld, m, c6);
	} else if (strcmp(m->key, "ip-reservations-unique") == 0) {
		bool u;

		if (ld_get_bool(ld, m, &u))
			ld->ip6_res_nonunique = !u;
	} else if (strcmp(m->key, "early-global-reservations-lookup") == 0) {
		ld_get_bool(ld, m, &c6->early_ghr);
	} else {
		return false;
	}
	return true;
}

/* ---- the hosts ---- */

int ld6_res_cmp(const void *a, const void *b)
{
	const struct ternd_reservation6 *x = a, *y = b;

	if (x->id_type != y->id_type)
		return (int)x->id_type - (int)y->id_type;
	if (x->id_len != y->id_len)
		return (int)x->id_len - (int)y->id_len;
	return memcmp(x->id, y->id, x->id_len);
}

const struct ternd_reservation6 *
ternd_hosts6_find(const struct ternd_reservation6 *v, size_t n, uint8_t id_type,
		  const uint8_t *id, size_t len)
{
	struct ternd_reservation6 key;

	if (!n || len > sizeof(key.id) || id_type == TERND6_ID_FLEX)
		return NULL;
	key.id_type = id_type;
	key.id_len = (uint8_t)len;
	memcpy(key.id, id, len);
	return bsearch(&key, v, n, sizeof(*v), ld6_res_cmp);
}

static bool holds_prefix(const struct ternd_reservation6 *r,
			 const struct in6_addr *a)
{
	for (size_t i = 0; i < r->n_prefixes; i++)
		if (memcmp(&r->prefixes[i].prefix, a, 16) == 0)
			return true;
	return false;
}

static bool holds_addr(const struct ternd_reservation6 *r,
		       const struct in6_addr *a)
{
	for (size_t i = 0; i < r->n_addrs; i++)
		if (memcmp(&r->addrs[i], a, 16) == 0)
			return true;
	return false;
}

bool ld6_host_ok(struct loader *ld, const struct ternd_reservation6 *v,
		 size_t n, const struct tjson *at)
{
	const struct ternd_reservation6 *h = &v[n];
	const struct tjson *od = tjson_get(at, "option-data");

	/* CfgHosts::add4 (run for every host, v6 too); option-data of any
	 * space counts. */
	if (!(h->hostname && *h->hostname) && !h->n_addrs && !h->n_prefixes &&
	    !h->n_classes && !(od && od->type == TJSON_ARRAY && od->n)) {
		ld_error_at(ld, at->pos,
			    "a reservation must include at least one "
			    "resource, i.e. hostname, IPv6 address/prefix, "
			    "options or client-classes");
		return false;
	}
	for (size_t i = 0; i < n; i++) {
		if (ld6_res_cmp(&v[i], h) == 0) {
			ld_error_at(ld, at->pos,
				    "a second reservation for the same "
				    "identifier");
			return false;
		}
		if (ld->ip6_res_nonunique)
			continue;
		/* CfgHosts::add6: one host per (subnet-id, address or
		 * prefix) unless ip-reservations-unique is false; Kea
		 * compares the address or prefix alone. */
		for (size_t k = 0; k < h->n_addrs; k++)
			if (holds_addr(&v[i], &h->addrs[k]) ||
			    holds_prefix(&v[i], &h->addrs[k]))
				goto twice;
		for (size_t k = 0; k < h->n_prefixes; k++)
			if (holds_addr(&v[i], &h->prefixes[k].prefix) ||
			    holds_prefix(&v[i], &h->prefixes[k].prefix))
				goto twice;
	}
	return true;
twice:
	ld_error_at(ld, at->pos,
		    "an address or prefix of this reservation is already "
		    "reserved for another host here (Kea's "
		    "ip-reservations-unique is true)");
	return false;
}

void ld6_parse_global_hosts(struct loader *ld, const struct tjson *arr,
			    struct ternd_config6 *c6)
{
	struct ternd_reservation6 *v;
	size_t n = 0;

	if (!ld_want_type(ld, arr, TJSON_ARRAY, "a list"))
		return;
	if (arr->n > TERND6_MAX_RES) {
		ld_error_at(ld, arr->pos, "more than %d reservations",
			    TERND6_MAX_RES);
		return;
	}
	if (!arr->n || !(v = ld_aalloc(ld, ld->a, arr->n, sizeof(*v))))
		return;
	for (const struct tjson *e = arr->child; e; e = e->next) {
		bool ok;

		ld6_parse_reservation(ld, e, NULL, &v[n], &ok);
		n += ok && ld6_host_ok(ld, v, n, e);
	}
	qsort(v, n, sizeof(*v), ld6_res_cmp);
	c6->res = v;
	c6->n_res = n;
}
