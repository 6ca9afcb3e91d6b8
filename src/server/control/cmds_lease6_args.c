/* ternd control, lease6 commands: reading their arguments as Kea 2.2's
 * lease_cmds does for DHCPv6 (getParameters, Lease6Parser, DUID text), with
 * Kea's error texts, and writing a lease as Lease6::toElement. */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "server/config/config6.h"
#include "server/control/lease6_internal.h"

const char *lc6_type_text(int type)
{
	switch (type) {
	case LC6_TYPE_NA:
		return "IA_NA";
	case LC6_TYPE_TA:
		return "IA_TA";
	case LC6_TYPE_PD:
		return "IA_PD";
	default:
		return "V4";
	}
}

int lc6_parse_addr(const char *s, struct in6_addr *ret)
{
	struct in_addr a4;

	if (inet_pton(AF_INET6, s, ret) == 1)
		return 0;
	if (inet_pton(AF_INET, s, &a4) == 1)
		return 1;
	return -EINVAL;
}

int lc6_parse_duid(const char *s, uint8_t *out, uint8_t *ret_len,
		   struct lc_err *err)
{
	uint8_t buf[512];
	size_t n = 0;
	int r = lc_parse_hex(s, buf, sizeof(buf), &n, err);

	if (r == -E2BIG)
		return lc_fail(err,
			       "DUID size is more than %zu bytes, exceeds "
			       "maximum of 128",
			       sizeof(buf));
	if (r < 0)
		return r;
	if (n > 128)
		return lc_fail(err,
			       "DUID size is %zu bytes, exceeds maximum of 128",
			       n);
	if (n == 0)
		return lc_fail(err, "Empty DUIDs are not allowed");
	memcpy(out, buf, n);
	*ret_len = (uint8_t)n;
	return 0;
}

int lc6_query_params(const struct tjson *a, struct lc6_query_args *q,
		     struct lc_err *err)
{
	const struct tjson *v, *type, *ident;
	int r;

	memset(q, 0, sizeof(*q));
	q->lease_type = LC6_TYPE_NA;
	if (!a || a->type != TJSON_OBJECT)
		return lc_fail(err, "Parameters missing or are not a map.");
	if ((v = tjson_get(a, "update-ddns"))) {
		if (v->type != TJSON_BOOL)
			return lc_fail(err, "'update-ddns' is not a boolean");
		q->update_ddns = v->b;
	}
	if ((v = tjson_get(a, "type"))) {
		const char *t = v->type == TJSON_STRING ? v->s : "";

		if (!strcmp(t, "IA_NA") || !strcmp(t, "0"))
			q->lease_type = LC6_TYPE_NA;
		else if (!strcmp(t, "IA_TA") || !strcmp(t, "1"))
			q->lease_type = LC6_TYPE_TA;
		else if (!strcmp(t, "IA_PD") || !strcmp(t, "2"))
			q->lease_type = LC6_TYPE_PD;
		else if (!strcmp(t, "V4") || !strcmp(t, "3"))
			q->lease_type = LC6_TYPE_V4;
		else
			return lc_fail(err,
				       "Invalid lease type specified: %s, only "
				       "supported values are: IA_NA, IA_TA, "
				       "IA_PD and V4",
				       t);
	}
	if ((v = tjson_get(a, "ip-address"))) {
		if (v->type != TJSON_STRING)
			return lc_fail(err, "'ip-address' is not a string.");
		r = lc6_parse_addr(v->s, &q->addr);
		if (r < 0)
			return lc_fail(err,
				       "Failed to convert string to address "
				       "'%s': Invalid argument",
				       v->s);
		if (r == 1)
			return lc_fail(err,
				       "Invalid IPv6 address specified: %s",
				       v->s);
		q->type = LC6_Q_ADDR;
		return 0;
	}
	if (!(v = tjson_get(a, "subnet-id")))
		return lc_fail(err, "Mandatory 'subnet-id' parameter missing.");
	if (v->type != TJSON_NUMBER || !v->is_int)
		return lc_fail(err, "'subnet-id' parameter is not integer.");
	q->subnet_id = (uint32_t)v->i;
	if ((v = tjson_get(a, "iaid"))) {
		if (v->type != TJSON_NUMBER || !v->is_int)
			return lc_fail(err, "'iaid' parameter is not integer.");
		q->iaid = (uint32_t)v->i;
	}
	type = tjson_get(a, "identifier-type");
	ident = tjson_get(a, "identifier");
	if (!type || type->type != TJSON_STRING)
		return lc_fail(err, "No 'ip-address' provided and "
				    "'identifier-type' is either missing or "
				    "not a string.");
	if (!ident || ident->type != TJSON_STRING)
		return lc_fail(err, "No 'ip-address' provided and "
				    "'identifier' is either missing or not a "
				    "string.");
	if (!strcmp(type->s, "address")) {
		/* Kea looks up :: then. */
		q->type = LC6_Q_ADDR;
		return 0;
	}
	if (!strcmp(type->s, "hw-address")) {
		uint8_t hw[TERND_LEASE_HW_MAX];
		uint8_t n;

		q->type = LC6_Q_HW;
		return lc_parse_hw(ident->s, hw, &n, err);
	}
	if (!strcmp(type->s, "client-id")) {
		uint8_t cid[TERND_LEASE_CID_MAX];
		uint8_t n;

		q->type = LC6_Q_CID;
		return lc_parse_cid(ident->s, cid, &n, err);
	}
	if (!strcmp(type->s, "duid")) {
		q->type = LC6_Q_DUID;
		return lc6_parse_duid(ident->s, q->duid, &q->duid_len, err);
	}
	return lc_fail(err,
		       "Incorrect identifier type: %s, the only supported "
		       "values are: address, hw-address, duid",
		       type->s);
}

/* SimpleParser::getAddress for an IPv6 lease. */
static int get_addr6(const struct tjson *map, const char *name,
		     struct in6_addr *ret, struct lc_err *err)
{
	char pos[48];
	const char *s;
	int r = lc_get_string(map, name, &s, err);

	if (r < 0)
		return r;
	r = lc6_parse_addr(s, ret);
	if (r < 0) {
		lc_pos(tjson_get(map, name), pos, sizeof(pos));
		return lc_fail(err,
			       "Failed to convert '%s' to address: Failed to "
			       "convert string to address '%s': Invalid "
			       "argument(%s)",
			       s, s, pos);
	}
	if (r == 1)
		return lc_fail(err, "Non-IPv6 address specified: %s", s);
	return 0;
}

static const char *a6_text(const struct in6_addr *a, char *buf)
{
	return inet_ntop(AF_INET6, a, buf, INET6_ADDRSTRLEN);
}

/* The subnet of a lease: by id, checked to hold an address, else the one
 * whose prefix holds it (Kea's selectSubnet(address)). */
static int lease_subnet(const struct ternd_config6 *c6, const struct tjson *a,
			const struct in6_addr *addr, int type,
			const struct ternd_subnet6 **ret, struct lc_err *err)
{
	const struct ternd_subnet6 *s;
	char ab[INET6_ADDRSTRLEN], nb[INET6_ADDRSTRLEN];
	int64_t id = 0;
	int r;

	if (tjson_get(a, "subnet-id") &&
	    (r = lc_get_uint(a, "subnet-id", UINT32_MAX, &id, err)) < 0)
		return r;
	if (id) {
		s = ternd_config6_subnet_by_id(c6, (uint32_t)id);
		if (!s)
			return lc_fail(err,
				       "Invalid subnet-id: No IPv6 subnet with "
				       "subnet-id=%" PRId64
				       " currently configured.",
				       id);
		if (type == LC6_TYPE_NA && !ternd_subnet6_has(s, addr))
			return lc_fail(err,
				       "The address %s does not belong to "
				       "subnet %s/%u, subnet-id=%" PRId64,
				       a6_text(addr, ab),
				       a6_text(&s->prefix, nb), s->prefix_len,
				       id);
		*ret = s;
		return 0;
	}
	if (type != LC6_TYPE_NA)
		return lc_fail(err, "Subnet-id is 0 or not specified. This is "
				    "allowed for address leases only, not "
				    "prefix leases.");
	s = ternd_config6_subnet_for_addr(c6, addr);
	if (!s)
		return lc_fail(err,
			       "subnet-id not specified and failed to find a "
			       "subnet for address %s",
			       a6_text(addr, ab));
	*ret = s;
	return 0;
}

static int opt_bool(const struct tjson *a, const char *name, bool *v,
		    struct lc_err *err)
{
	return tjson_get(a, name) ? lc_get_bool(a, name, v, err) : 0;
}

static int opt_u32(const struct tjson *a, const char *name, uint32_t *v,
		   struct lc_err *err)
{
	int64_t x;
	int r;

	if (!tjson_get(a, name))
		return 0;
	if ((r = lc_get_uint(a, name, UINT32_MAX, &x, err)) < 0)
		return r;
	*v = (uint32_t)x;
	return 0;
}

/* The lease's type and prefix length ("type", "prefix-len"). */
static int lease_type(const struct tjson *a, int *type, uint8_t *plen,
		      struct lc_err *err)
{
	const char *t;
	int64_t n;
	int r;

	*type = LC6_TYPE_NA;
	*plen = 128;
	if (!tjson_get(a, "type"))
		return 0;
	if ((r = lc_get_string(a, "type", &t, err)) < 0)
		return r;
	if (!strcmp(t, "IA_NA"))
		return 0;
	if (!strcmp(t, "IA_TA")) {
		*type = LC6_TYPE_TA;
		return 0;
	}
	if (strcmp(t, "IA_PD") != 0)
		return lc_fail(err,
			       "Incorrect lease type: %s, the only supported "
			       "values are: na, ta and pd",
			       t);
	*type = LC6_TYPE_PD;
	if ((r = lc_get_uint(a, "prefix-len", UINT8_MAX, &n, err)) < 0)
		return r;
	*plen = (uint8_t)n;
	return 0;
}

int lc6_parse_lease(const struct ternd_config *cfg, const struct tjson *a,
		    int64_t now, struct ternd_lease6 *ret, bool *ret_force,
		    struct lc_err *err)
{
	const struct ternd_subnet6 *s = NULL;
	struct ternd_lease6 l;
	const char *duid, *host = "";
	int64_t expire, iaid, state = 0;
	char ab[INET6_ADDRSTRLEN];
	bool force = false, fwd = false, rev = false;
	int type, r;

	memset(&l, 0, sizeof(l));
	if (!a)
		return lc_fail(err, "lease information missing");
	if ((r = get_addr6(a, "ip-address", &l.addr, err)) < 0 ||
	    (r = lc_get_string(a, "duid", &duid, err)) < 0 ||
	    (r = lc6_parse_duid(duid, l.duid, &l.duid_len, err)) < 0 ||
	    (r = lease_type(a, &type, &l.plen, err)) < 0 ||
	    (r = lease_subnet(cfg->v6, a, &l.addr, type, &s, err)) < 0 ||
	    (r = lc_get_uint(a, "iaid", UINT32_MAX, &iaid, err)) < 0)
		return r;
	l.iaid = (uint32_t)iaid;
	/* ternd's DHCPv6 store has no column for these: refused, not
	 * dropped (docs/control.md). */
	if (tjson_get(a, "hw-address"))
		return lc_fail(err, "'hw-address' is not supported: ternd's "
				    "DHCPv6 lease store keeps no hardware "
				    "address");
	if (type == LC6_TYPE_TA)
		return lc_fail(err, "IA_TA leases are not supported: ternd "
				    "serves no temporary addresses");
	if (l.plen > 128)
		return lc_fail(err, "prefix-len %u is longer than 128", l.plen);
	l.type = type == LC6_TYPE_PD ? TERND_LEASE6_PD : TERND_LEASE6_NA;
	l.subnet_id = s->id;
	l.valid = s->params.valid;
	/* Kea 2.2's default preferred lifetime is the subnet's valid one. */
	l.preferred = s->params.valid;
	if ((r = opt_u32(a, "valid-lft", &l.valid, err)) < 0 ||
	    (r = opt_u32(a, "preferred-lft", &l.preferred, err)) < 0)
		return r;
	l.cltt = now;
	if (tjson_get(a, "expire")) {
		if ((r = lc_get_int(a, "expire", &expire, err)) < 0)
			return r;
		if (expire <= 0)
			return lc_fail(err,
				       "expiration time must be positive for "
				       "address %s",
				       a6_text(&l.addr, ab));
		if (expire < (int64_t)l.valid)
			return lc_fail(err,
				       "expiration time must be greater than "
				       "valid lifetime for address %s",
				       a6_text(&l.addr, ab));
		l.cltt = expire - (int64_t)l.valid;
	}
	if ((r = opt_bool(a, "fqdn-fwd", &fwd, err)) < 0 ||
	    (r = opt_bool(a, "fqdn-rev", &rev, err)) < 0)
		return r;
	if (tjson_get(a, "hostname") &&
	    (r = lc_get_string(a, "hostname", &host, err)) < 0)
		return r;
	if (!*host && (fwd || rev))
		return lc_fail(err, "No hostname specified and either forward "
				    "or reverse fqdn was set to true.");
	if (tjson_get(a, "state") &&
	    (r = lc_get_uint(a, "state", UINT8_MAX, &state, err)) < 0)
		return r;
	if (state > 2)
		return lc_fail(err,
			       "Invalid state value: %" PRId64
			       ", supported values are: 0 (default), 1 "
			       "(declined) and 2 (expired-reclaimed)",
			       state);
	if (state == 1 && type == LC6_TYPE_PD)
		return lc_fail(err, "Invalid declined state for PD prefix.");
	if (tjson_get(a, "user-context") || tjson_get(a, "comment"))
		return lc_fail(err, "'user-context' and 'comment' are not "
				    "supported: ternd's lease store keeps no "
				    "user context");
	if ((r = opt_bool(a, "force-create", &force, err)) < 0)
		return r;
	if (fwd || rev)
		return lc_fail(err, "'fqdn-fwd' and 'fqdn-rev' are not "
				    "supported: ternd's DHCPv6 lease store "
				    "keeps no DNS update flags");
	if (strlen(host) >= sizeof(l.hostname))
		return lc_fail(err,
			       "hostname is longer than %zu characters, the "
			       "most ternd's DHCPv6 lease store keeps",
			       sizeof(l.hostname) - 1);
	/* Kea's Lease keeps the name in lower case. */
	for (size_t i = 0; host[i]; i++)
		l.hostname[i] = (char)tolower((unsigned char)host[i]);
	l.state = (uint8_t)state;
	l.expire =
		l.valid == UINT32_MAX ? INT64_MAX : l.cltt + (int64_t)l.valid;
	*ret = l;
	*ret_force = force;
	return 0;
}

static void hex_text(const uint8_t *v, size_t n, char *out)
{
	static const char digits[] = "0123456789abcdef";

	for (size_t i = 0; i < n; i++) {
		if (i)
			*out++ = ':';
		*out++ = digits[v[i] >> 4];
		*out++ = digits[v[i] & 15];
	}
	*out = '\0';
}

struct tjson *lc6_lease_json(struct tjson_doc *out,
			     const struct ternd_lease6 *l)
{
	struct tjson *o = tjson_new_object(out);
	char duid[TERND_LEASE6_DUID_MAX * 3 + 1], ab[INET6_ADDRSTRLEN];

	hex_text(l->duid, l->duid_len, duid);
	tjson_add_int(out, o, "cltt", l->cltt);
	tjson_add_str(out, o, "duid", duid);
	tjson_add_bool(out, o, "fqdn-fwd", false);
	tjson_add_bool(out, o, "fqdn-rev", false);
	tjson_add_str(out, o, "hostname", l->hostname);
	tjson_add_int(out, o, "iaid", l->iaid);
	tjson_add_str(out, o, "ip-address", a6_text(&l->addr, ab));
	tjson_add_int(out, o, "preferred-lft", l->preferred);
	if (l->type == TERND_LEASE6_PD)
		tjson_add_int(out, o, "prefix-len", l->plen);
	tjson_add_int(out, o, "state", l->state);
	tjson_add_int(out, o, "subnet-id", l->subnet_id);
	tjson_add_str(out, o, "type",
		      l->type == TERND_LEASE6_PD ? "IA_PD" : "IA_NA");
	tjson_add_int(out, o, "valid-lft", l->valid);
	return out->error ? NULL : o;
}
