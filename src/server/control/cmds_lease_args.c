/* ternd control, lease commands: reading their arguments as Kea 2.2's
 * lease_cmds does (SimpleParser, Lease4Parser, HWAddr and ClientId text),
 * with Kea's error texts, and writing a lease as Lease4::toElement. */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "server/control/lease_internal.h"

int lc_fail(struct lc_err *err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err->text, err->len, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

/* Kea's command parser counts lines from 0 (Element::fromWire) and its
 * column is the number of bytes read when the value was made: a map or
 * a list after its bracket, a scalar before its first byte (kea-dhcp4
 * 2.2 answers so: tests/integ/test_kea_lease_cmds_diff.sh). */
void lc_pos(const struct tjson *v, char *buf, size_t len)
{
	uint32_t col = v ? v->pos.col : 0;

	if (v && v->type != TJSON_OBJECT && v->type != TJSON_ARRAY && col)
		col--;
	snprintf(buf, len, "<wire>:%u:%u",
		 v && v->pos.line ? v->pos.line - 1 : 0, col);
}

static int missing(const struct tjson *map, const char *name,
		   struct lc_err *err)
{
	char pos[48];

	lc_pos(map, pos, sizeof(pos));
	return lc_fail(err, "missing parameter '%s' (%s)", name, pos);
}

static int bad_type(const struct tjson *v, const char *name, struct lc_err *err)
{
	char pos[48];

	lc_pos(v, pos, sizeof(pos));
	return lc_fail(err, "invalid type specified for parameter '%s' (%s)",
		       name, pos);
}

int lc_get_string(const struct tjson *map, const char *name, const char **ret,
		  struct lc_err *err)
{
	const struct tjson *v = tjson_get(map, name);

	if (!v)
		return missing(map, name, err);
	if (v->type != TJSON_STRING)
		return bad_type(v, name, err);
	*ret = v->s;
	return 0;
}

int lc_get_int(const struct tjson *map, const char *name, int64_t *ret,
	       struct lc_err *err)
{
	const struct tjson *v = tjson_get(map, name);

	if (!v)
		return missing(map, name, err);
	if (v->type != TJSON_NUMBER || !v->is_int)
		return bad_type(v, name, err);
	*ret = v->i;
	return 0;
}

int lc_get_bool(const struct tjson *map, const char *name, bool *ret,
		struct lc_err *err)
{
	const struct tjson *v = tjson_get(map, name);

	if (!v)
		return missing(map, name, err);
	if (v->type != TJSON_BOOL)
		return bad_type(v, name, err);
	*ret = v->b;
	return 0;
}

int lc_get_uint(const struct tjson *map, const char *name, int64_t max,
		int64_t *ret, struct lc_err *err)
{
	char pos[48];
	int r = lc_get_int(map, name, ret, err);

	if (r < 0)
		return r;
	if (*ret < 0 || *ret > max) {
		lc_pos(tjson_get(map, name), pos, sizeof(pos));
		return lc_fail(err,
			       "out of range value (%" PRId64
			       ") specified for parameter '%s' (%s)",
			       *ret, name, pos);
	}
	return 0;
}

int lc_parse_addr(const char *s, uint32_t *ret, char *v6)
{
	struct in_addr a4;
	struct in6_addr a6;

	if (inet_pton(AF_INET, s, &a4) == 1) {
		*ret = ntohl(a4.s_addr);
		return 0;
	}
	if (inet_pton(AF_INET6, s, &a6) == 1) {
		inet_ntop(AF_INET6, &a6, v6, INET6_ADDRSTRLEN);
		return 1;
	}
	return -EINVAL;
}

int lc_get_addr4(const struct tjson *map, const char *name, uint32_t *ret,
		 struct lc_err *err)
{
	char pos[48], v6[INET6_ADDRSTRLEN];
	const char *s;
	int r = lc_get_string(map, name, &s, err);

	if (r < 0)
		return r;
	r = lc_parse_addr(s, ret, v6);
	if (r < 0) {
		lc_pos(tjson_get(map, name), pos, sizeof(pos));
		return lc_fail(err,
			       "Failed to convert '%s' to address: Failed to "
			       "convert string to address '%s': Invalid "
			       "argument(%s)",
			       s, s, pos);
	}
	if (r == 1)
		return lc_fail(err, "Non-IPv4 address specified: %s", v6);
	return 0;
}

static int hexval(char c)
{
	return isdigit((unsigned char)c) ? c - '0'
					 : tolower((unsigned char)c) - 'a' + 10;
}

/* decodeSeparatedHexString: tokens of one or two hex digits between
 * separators; an empty token only when it is the whole string. */
static int hex_separated(const char *s, char sep, uint8_t *out, size_t cap,
			 size_t *ret_len, struct lc_err *err)
{
	size_t n = 0, tokens = 1;
	const char *p;

	for (p = s; *p; p++)
		tokens += *p == sep;
	for (p = s;;) {
		const char *end = strchr(p, sep);
		size_t len = end ? (size_t)(end - p) : strlen(p);

		if (tokens > 1 && len == 0)
			return lc_fail(err,
				       "two consecutive separators ('%c') "
				       "specified in a decoded string '%s'",
				       sep, s);
		if (len > 2)
			return lc_fail(err,
				       "invalid format of the decoded string "
				       "'%s'",
				       s);
		for (size_t i = 0; i < len; i++)
			if (!isxdigit((unsigned char)p[i]))
				return lc_fail(err,
					       "'%c' is not a valid "
					       "hexadecimal digit in decoded "
					       "string '%s'",
					       p[i], s);
		if (len) {
			if (n == cap)
				return -E2BIG;
			out[n++] = (uint8_t)(len == 1 ? hexval(p[0])
						      : hexval(p[0]) * 16 +
								hexval(p[1]));
		}
		if (!end)
			break;
		p = end + 1;
	}
	*ret_len = n;
	return 0;
}

/* decodeFormattedHexString: colons, else blanks, else plain hex digits
 * (an odd count gets a leading 0, "0x" may lead). */
static int hex_formatted(const char *s, uint8_t *out, size_t cap,
			 size_t *ret_len, struct lc_err *err)
{
	const char *p = s;
	size_t len = strlen(s), n = 0;
	bool odd;

	if (strchr(s, ':'))
		return hex_separated(s, ':', out, cap, ret_len, err);
	if (strchr(s, ' '))
		return hex_separated(s, ' ', out, cap, ret_len, err);
	odd = len % 2 != 0;
	if (len > 2 && p[0] == '0' && p[1] == 'x') {
		p += 2;
		len -= 2;
	}
	for (size_t i = 0; i < len; i++)
		if (!isxdigit((unsigned char)p[i]))
			return lc_fail(err,
				       "'%s' is not a valid string of "
				       "hexadecimal digits",
				       s);
	/* Kea pads the whole text, "0x" included, when its length is odd. */
	if (odd != (len % 2 != 0))
		return lc_fail(err,
			       "'%s' is not a valid string of hexadecimal "
			       "digits",
			       s);
	for (size_t i = 0; i < len;) {
		int v;

		if (n == cap)
			return -E2BIG;
		if (i == 0 && odd) {
			v = hexval(p[i]);
			i++;
		} else {
			v = hexval(p[i]) * 16 + hexval(p[i + 1]);
			i += 2;
		}
		out[n++] = (uint8_t)v;
	}
	*ret_len = n;
	return 0;
}

int lc_parse_hex(const char *s, uint8_t *out, size_t cap, size_t *ret_len,
		 struct lc_err *err)
{
	return hex_formatted(s, out, cap, ret_len, err);
}

int lc_parse_hw(const char *s, uint8_t *out, uint8_t *ret_len,
		struct lc_err *err)
{
	uint8_t buf[64];
	size_t n = 0;
	int r = hex_separated(s, ':', buf, sizeof(buf), &n, err);

	if (r == -E2BIG || (r == 0 && n > 20))
		return lc_fail(err,
			       "address vector size exceeds MAX_HWADDR_LEN");
	if (r < 0)
		return r;
	if (n > TERND_LEASE_HW_MAX)
		return lc_fail(err,
			       "hw-address '%s' is longer than %d bytes, the "
			       "most ternd keeps",
			       s, TERND_LEASE_HW_MAX);
	memcpy(out, buf, n);
	*ret_len = (uint8_t)n;
	return 0;
}

int lc_parse_cid(const char *s, uint8_t *out, uint8_t *ret_len,
		 struct lc_err *err)
{
	uint8_t buf[512];
	size_t n = 0;
	int r = hex_formatted(s, buf, sizeof(buf), &n, err);

	if (r == -E2BIG)
		return lc_fail(err,
			       "DUID size is more than %zu bytes, "
			       "exceeds maximum of 128",
			       sizeof(buf));
	if (r < 0)
		return r;
	if (n > 128)
		return lc_fail(err,
			       "DUID size is %zu bytes, exceeds maximum of 128",
			       n);
	if (n == 0)
		return lc_fail(err, "Empty DUIDs are not allowed");
	if (n < 2)
		return lc_fail(err,
			       "client-id is too short (%zu), at least 2 is "
			       "required",
			       n);
	memcpy(out, buf, n);
	*ret_len = (uint8_t)n;
	return 0;
}

static const char *addr_text(uint32_t a, char *buf)
{
	struct in_addr in = {htonl(a)};

	return inet_ntop(AF_INET, &in, buf, INET_ADDRSTRLEN);
}

/* The subnet of a lease: by id, checked to hold the address, else the
 * one whose prefix holds it (Kea's selectSubnet(address)). */
static int lease_subnet(const struct ternd_config *cfg, const struct tjson *a,
			uint32_t addr, const struct ternd_subnet **ret,
			struct lc_err *err)
{
	const struct ternd_subnet *s;
	char ab[INET_ADDRSTRLEN], nb[INET_ADDRSTRLEN];
	int64_t id = 0;
	int r;

	if (tjson_get(a, "subnet-id") &&
	    (r = lc_get_uint(a, "subnet-id", UINT32_MAX, &id, err)) < 0)
		return r;
	if (!id) {
		s = ternd_config_subnet_for_addr(cfg, addr);
		if (!s)
			return lc_fail(err,
				       "subnet-id not specified and failed "
				       "to find a subnet for address %s",
				       addr_text(addr, ab));
		*ret = s;
		return 0;
	}
	s = ternd_config_subnet_by_id(cfg, (uint32_t)id);
	if (!s)
		return lc_fail(err,
			       "Invalid subnet-id: No IPv4 subnet with "
			       "subnet-id=%" PRId64 " currently configured.",
			       id);
	if ((addr & s->mask) != s->network)
		return lc_fail(err,
			       "The address %s does not belong to subnet "
			       "%s/%u, subnet-id=%" PRId64,
			       addr_text(addr, ab), addr_text(s->network, nb),
			       s->prefix_len, id);
	*ret = s;
	return 0;
}

static int opt_bool(const struct tjson *a, const char *name, bool *v,
		    struct lc_err *err)
{
	return tjson_get(a, name) ? lc_get_bool(a, name, v, err) : 0;
}

int lc_parse_lease(const struct ternd_config *cfg, const struct tjson *a,
		   int64_t now, struct ternd_lease *ret, bool *ret_force,
		   struct lc_err *err)
{
	const struct ternd_subnet *s = NULL;
	struct ternd_lease l;
	const char *hw, *cid, *host = "";
	int64_t valid, expire, state = 0;
	char ab[INET_ADDRSTRLEN];
	bool force = false;
	int r;

	memset(&l, 0, sizeof(l));
	if ((r = lc_get_addr4(a, "ip-address", &l.addr, err)) < 0 ||
	    (r = lc_get_string(a, "hw-address", &hw, err)) < 0 ||
	    (r = lc_parse_hw(hw, l.hw, &l.hw_len, err)) < 0 ||
	    (r = lease_subnet(cfg, a, l.addr, &s, err)) < 0)
		return r;
	l.htype = 1; /* Kea's HWAddr::fromText: Ethernet */
	l.subnet_id = s->id;
	if (tjson_get(a, "client-id") &&
	    ((r = lc_get_string(a, "client-id", &cid, err)) < 0 ||
	     (r = lc_parse_cid(cid, l.cid, &l.cid_len, err)) < 0))
		return r;
	valid = s->params.valid_lifetime;
	if (tjson_get(a, "valid-lft") &&
	    (r = lc_get_uint(a, "valid-lft", UINT32_MAX, &valid, err)) < 0)
		return r;
	l.valid_lifetime = (uint32_t)valid;
	l.cltt = now;
	if (tjson_get(a, "expire")) {
		if ((r = lc_get_int(a, "expire", &expire, err)) < 0)
			return r;
		if (expire <= 0)
			return lc_fail(err,
				       "expiration time must be positive for "
				       "address %s",
				       addr_text(l.addr, ab));
		if (expire < valid)
			return lc_fail(err,
				       "expiration time must be greater than "
				       "valid lifetime for address %s",
				       addr_text(l.addr, ab));
		l.cltt = expire - valid;
	}
	if ((r = opt_bool(a, "fqdn-fwd", &l.fqdn_fwd, err)) < 0 ||
	    (r = opt_bool(a, "fqdn-rev", &l.fqdn_rev, err)) < 0)
		return r;
	if (tjson_get(a, "hostname") &&
	    (r = lc_get_string(a, "hostname", &host, err)) < 0)
		return r;
	if (!*host && (l.fqdn_fwd || l.fqdn_rev))
		return lc_fail(err, "No hostname specified and either forward "
				    "or reverse fqdn was set to true.");
	if (strlen(host) >= sizeof(l.hostname))
		return lc_fail(err,
			       "hostname is longer than %zu characters, the "
			       "most a DNS name has",
			       sizeof(l.hostname) - 1);
	/* Kea's Lease keeps the name in lower case. */
	for (size_t i = 0; host[i]; i++)
		l.hostname[i] = (char)tolower((unsigned char)host[i]);
	if (tjson_get(a, "state") &&
	    (r = lc_get_uint(a, "state", UINT8_MAX, &state, err)) < 0)
		return r;
	if (state > 2)
		return lc_fail(err,
			       "Invalid state value: %" PRId64
			       ", supported values are: 0 (default), 1 "
			       "(declined) and 2 (expired-reclaimed)",
			       state);
	/* ternd's store has no column for it: refused, not dropped. */
	if (tjson_get(a, "user-context") || tjson_get(a, "comment"))
		return lc_fail(err, "'user-context' and 'comment' are not "
				    "supported: ternd's lease store keeps no "
				    "user context");
	if ((r = opt_bool(a, "force-create", &force, err)) < 0)
		return r;
	l.state = state == 1   ? TERND_LEASE_DECLINED
		  : state == 2 ? TERND_LEASE_EXPIRED
			       : TERND_LEASE_BOUND;
	l.expire = l.cltt + (int64_t)l.valid_lifetime;
	*ret = l;
	*ret_force = force;
	return 0;
}

int lc_kea_state(uint8_t state)
{
	switch (state) {
	case TERND_LEASE_DECLINED:
		return 1;
	case TERND_LEASE_EXPIRED:
	case TERND_LEASE_RELEASED:
		return 2;
	default:
		return 0;
	}
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

/* Kea's Option::toHexString: "0x" and upper-case digits. */
static void hex_upper(const uint8_t *v, size_t n, char *out)
{
	static const char digits[] = "0123456789ABCDEF";

	*out++ = '0';
	*out++ = 'x';
	for (size_t i = 0; i < n; i++) {
		*out++ = digits[v[i] >> 4];
		*out++ = digits[v[i] & 15];
	}
	*out = '\0';
}

struct tjson *lc_lease_json(struct tjson_doc *out,
			    const struct ternd_config *cfg,
			    const struct ternd_lease *l)
{
	const struct ternd_subnet *s =
		ternd_config_subnet_by_id(cfg, l->subnet_id);
	struct tjson *o = tjson_new_object(out);
	char buf[TERND_LEASE_CID_MAX * 3 + 1], ab[INET_ADDRSTRLEN];
	char rai[2 + 2 * TERND_LEASE_RAI_MAX + 1];

	/* Kea keeps a client-id in the lease only where it matches on it. */
	if (l->cid_len && (!s || s->params.match_client_id)) {
		hex_text(l->cid, l->cid_len, buf);
		tjson_add_str(out, o, "client-id", buf);
	}
	tjson_add_int(out, o, "cltt", l->cltt);
	tjson_add_bool(out, o, "fqdn-fwd", l->fqdn_fwd);
	tjson_add_bool(out, o, "fqdn-rev", l->fqdn_rev);
	tjson_add_str(out, o, "hostname", l->hostname);
	hex_text(l->hw, l->hw_len, buf);
	tjson_add_str(out, o, "hw-address", buf);
	tjson_add_str(out, o, "ip-address", addr_text(l->addr, ab));
	tjson_add_int(out, o, "state", lc_kea_state(l->state));
	tjson_add_int(out, o, "subnet-id", l->subnet_id);
	if (l->rai_len) {
		/* store-extended-info: Kea's user-context of the lease. */
		struct tjson *uc = tjson_new_object(out);
		struct tjson *isc = tjson_new_object(out);

		hex_upper(l->rai, l->rai_len, rai);
		tjson_add_str(out, isc, "relay-agent-info", rai);
		tjson_add(out, uc, "ISC", isc);
		tjson_add(out, o, "user-context", uc);
	}
	tjson_add_int(out, o, "valid-lft", l->valid_lifetime);
	return out->error ? NULL : o;
}
