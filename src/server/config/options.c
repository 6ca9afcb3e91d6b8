/* ternd option table: Kea's DHCPv4 option names and types, and option-data text
 * to wire bytes. */
#include "server/config/options.h"
#include "common/hex.h"

#include <arpa/inet.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <tern/dhcp4.h>

const char *ternd_option_reserved(uint8_t code)
{
	switch (code) {
	case 0:
	case 255:
		return "pad and end are not options";
	case 50:
		return "requested address is sent by clients";
	case 51:
		return "the lease time comes from valid-lifetime";
	case 52:
		return "option overload is decided by the server";
	case 53:
		return "the message type is set by the server";
	case 55:
		return "the parameter request list is sent by clients";
	case 57:
		return "the maximum message size is sent by clients";
	case 58:
		return "T1 comes from renew-timer";
	case 59:
		return "T2 comes from rebind-timer";
	case 61:
		return "the client identifier is sent by clients";
	case 81:
		return "client FQDN (DDNS) is not supported";
	case 82:
		return "relay agent information is added by relays";
	default:
		return NULL;
	}
}

__attribute__((format(printf, 3, 4))) static int
why_fail(char *why, size_t why_len, const char *fmt, ...)
{
	va_list ap;

	if (why && why_len) {
		va_start(ap, fmt);
		vsnprintf(why, why_len, fmt, ap);
		va_end(ap);
	}
	return -EINVAL;
}

int ternd_hex_decode(const char *text, uint8_t *out, size_t cap)
{
	const char *p = text, *end;
	size_t n = 0;
	bool sep = false;

	while (*p == ' ' || *p == '\t')
		p++;
	if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X'))
		p += 2;
	end = p + strlen(p);
	while (end > p && (end[-1] == ' ' || end[-1] == '\t'))
		end--;
	for (const char *q = p; q < end; q++) {
		if (*q == ':' || *q == ' ' || *q == '\t')
			sep = true;
		else if (tern_hexval(*q) < 0)
			return -EINVAL;
	}
	if (!sep) {
		/* Kea pads an odd digit count with a leading zero. */
		size_t len = (size_t)(end - p);
		size_t odd = len % 2;

		if ((len + odd) / 2 > cap)
			return -ENOBUFS;
		memset(out, 0, (len + odd) / 2);
		for (size_t i = 0; i < len; i++) {
			size_t k = i + odd;
			out[k / 2] |=
				(uint8_t)(tern_hexval(p[i]) << (k % 2 ? 0 : 4));
		}
		return (int)((len + odd) / 2);
	}
	/* Separated form: 1 or 2 digits per byte between ':' or blanks. */
	while (p < end) {
		unsigned v = 0, digits = 0;

		while (p < end && tern_hexval(*p) >= 0 && digits < 3) {
			v = v << 4 | (unsigned)tern_hexval(*p);
			p++;
			digits++;
		}
		if (digits == 0 || digits > 2)
			return -EINVAL;
		if (n >= cap)
			return -ENOBUFS;
		out[n++] = (uint8_t)v;
		if (p < end && *p == ':') {
			p++;
			if (p >= end || tern_hexval(*p) < 0)
				return -EINVAL;
		} else {
			while (p < end && (*p == ' ' || *p == '\t'))
				p++;
		}
	}
	return (int)n;
}

/* One comma-separated token, trimmed, copied into tok. */
static const char *next_token(const char *p, char *tok, size_t cap,
			      bool *too_long, bool *more)
{
	const char *end = strchr(p, ',');
	size_t n;

	if (!end)
		end = p + strlen(p);
	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	n = (size_t)(end - p);
	while (n && (p[n - 1] == ' ' || p[n - 1] == '\t'))
		n--;
	*too_long = n >= cap;
	if (*too_long)
		n = cap - 1;
	memcpy(tok, p, n);
	tok[n] = '\0';
	*more = *end == ',';
	return *end ? end + 1 : end;
}

static int parse_ipv4(const char *s, uint8_t out[4])
{
	struct in_addr a;

	if (inet_pton(AF_INET, s, &a) != 1)
		return -EINVAL;
	memcpy(out, &a, 4);
	return 0;
}

static int parse_int(const char *s, long long lo, long long hi, long long *ret)
{
	char *end;
	long long v;

	if (!*s || !(*s == '-' || (*s >= '0' && *s <= '9')))
		return -EINVAL;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno || *end || v < lo || v > hi)
		return -EINVAL;
	*ret = v;
	return 0;
}

/* RFC 1035 §3.1 labels without compression. */
static int put_fqdn(const char *name, uint8_t *out, size_t cap, size_t *n,
		    char *why, size_t why_len)
{
	size_t total = 0;
	const char *p = name;

	if (!*p)
		return why_fail(why, why_len, "empty domain name");
	if (strcmp(p, ".") == 0)
		p++;
	while (*p) {
		const char *dot = strchr(p, '.');
		size_t l = dot ? (size_t)(dot - p) : strlen(p);

		if (l == 0)
			return why_fail(why, why_len, "empty label in \"%s\"",
					name);
		if (l > 63)
			return why_fail(why, why_len,
					"label longer than 63 in \"%s\"", name);
		if (*n + 1 + l > cap)
			return -ENOBUFS;
		out[(*n)++] = (uint8_t)l;
		memcpy(out + *n, p, l);
		*n += l;
		total += l + 1;
		p += l;
		if (*p == '.')
			p++;
	}
	if (*n + 1 > cap)
		return -ENOBUFS;
	out[(*n)++] = 0;
	if (total + 1 > 255)
		return why_fail(why, why_len,
				"domain name longer than 255 bytes: \"%s\"",
				name);
	return 0;
}

/* "10.0.0.0/8 - 10.0.0.1" into RFC 3442 form: plen, dest octets, gw. */
static int put_route(const char *tok, uint8_t *out, size_t cap, size_t *n,
		     char *why, size_t why_len)
{
	char net[64], gw[64];
	const char *dash = strchr(tok, '-');
	const char *slash;
	uint8_t d[4], g[4];
	long long plen;
	size_t l;
	uint32_t dv, mask;

	if (!dash)
		return why_fail(why, why_len,
				"route \"%s\" is not \"net/len - router\"",
				tok);
	l = (size_t)(dash - tok);
	while (l && (tok[l - 1] == ' ' || tok[l - 1] == '\t'))
		l--;
	if (l >= sizeof(net))
		return why_fail(why, why_len, "bad route \"%s\"", tok);
	memcpy(net, tok, l);
	net[l] = '\0';
	dash++;
	while (*dash == ' ' || *dash == '\t')
		dash++;
	if (strlen(dash) >= sizeof(gw))
		return why_fail(why, why_len, "bad route \"%s\"", tok);
	strcpy(gw, dash);
	slash = strchr(net, '/');
	if (!slash || parse_int(slash + 1, 0, 32, &plen) < 0)
		return why_fail(why, why_len,
				"route \"%s\" needs a prefix length 0..32",
				tok);
	net[slash - net] = '\0';
	if (parse_ipv4(net, d) < 0 || parse_ipv4(gw, g) < 0)
		return why_fail(why, why_len, "bad address in route \"%s\"",
				tok);
	dv = (uint32_t)d[0] << 24 | (uint32_t)d[1] << 16 | (uint32_t)d[2] << 8 |
	     d[3];
	mask = plen ? ~(uint32_t)0 << (32 - plen) : 0;
	if (dv & ~mask)
		return why_fail(why, why_len,
				"route \"%s\" has host bits set in its "
				"destination",
				tok);
	/* The wire form (RFC 3442) is libtern's, as the server reads it. */
	{
		struct tern_dhcp4_route r = {.plen = (uint8_t)plen};
		int k;

		memcpy(&r.dest, d, 4);
		memcpy(&r.gw, g, 4);
		k = tern_dhcp4_routes_encode(&r, 1, out + *n, cap - *n);
		if (k < 0)
			return k;
		*n += (size_t)k;
	}
	return 0;
}

static int put_scalar(enum tern_opt_type t, const char *tok, uint8_t *out,
		      size_t cap, size_t *n, char *why, size_t why_len)
{
	long long v;
	size_t w;

	switch (t) {
	case TERN_OT_BOOL:
		if (strcmp(tok, "true") == 0 || strcmp(tok, "1") == 0)
			v = 1;
		else if (strcmp(tok, "false") == 0 || strcmp(tok, "0") == 0)
			v = 0;
		else
			return why_fail(why, why_len, "\"%s\" is not a boolean",
					tok);
		w = 1;
		break;
	case TERN_OT_U8:
		if (parse_int(tok, 0, UINT8_MAX, &v) < 0)
			return why_fail(why, why_len,
					"\"%s\" is not a uint8 (0..255)", tok);
		w = 1;
		break;
	case TERN_OT_U16:
		if (parse_int(tok, 0, UINT16_MAX, &v) < 0)
			return why_fail(why, why_len,
					"\"%s\" is not a uint16 (0..65535)",
					tok);
		w = 2;
		break;
	case TERN_OT_U32:
		if (parse_int(tok, 0, UINT32_MAX, &v) < 0)
			return why_fail(why, why_len, "\"%s\" is not a uint32",
					tok);
		w = 4;
		break;
	case TERN_OT_I32:
		if (parse_int(tok, INT32_MIN, INT32_MAX, &v) < 0)
			return why_fail(why, why_len, "\"%s\" is not an int32",
					tok);
		w = 4;
		break;
	case TERN_OT_IPV4:
	case TERN_OT_IPV4_PAIR:
		if (*n + 4 > cap)
			return -ENOBUFS;
		if (parse_ipv4(tok, out + *n) < 0)
			return why_fail(why, why_len,
					"\"%s\" is not an IPv4 address", tok);
		*n += 4;
		return 0;
	case TERN_OT_FQDN:
		return put_fqdn(tok, out, cap, n, why, why_len);
	case TERN_OT_ROUTES:
		return put_route(tok, out, cap, n, why, why_len);
	default:
		return why_fail(why, why_len, "internal: not a scalar type");
	}
	if (*n + w > cap)
		return -ENOBUFS;
	/* Two's complement keeps int32 right through the unsigned shift. */
	for (size_t i = 0; i < w; i++)
		out[*n + i] = (uint8_t)((uint64_t)v >> (8 * (w - 1 - i)));
	*n += w;
	return 0;
}

int ternd_option_encode(const struct tern_optdef *def, const char *data,
			bool csv, uint8_t *out, size_t cap, char *why,
			size_t why_len)
{
	size_t n = 0, count = 0;
	const char *p;
	char tok[256];
	bool too_long, more;
	int rc;

	if (!data || !out)
		return -EINVAL;
	if (!def || def->type == TERN_OT_BINARY || !csv) {
		if (def && def->type == TERN_OT_EMPTY && *data)
			return why_fail(why, why_len, "option takes no data");
		if (!def && csv && *data)
			return why_fail(why, why_len,
					"no definition for this option: give "
					"its data as hex with "
					"\"csv-format\": false");
		rc = ternd_hex_decode(data, out, cap);
		if (rc == -EINVAL)
			return why_fail(why, why_len, "\"%s\" is not hex data",
					data);
		return rc;
	}
	switch (def->type) {
	case TERN_OT_EMPTY:
		if (*data)
			return why_fail(why, why_len, "option takes no data");
		return 0;
	case TERN_OT_STRING:
		n = strlen(data);
		if (n == 0)
			return why_fail(why, why_len,
					"a string option cannot be empty");
		if (n > cap)
			return -ENOBUFS;
		memcpy(out, data, n);
		return (int)n;
	default:
		break;
	}
	p = data;
	do {
		p = next_token(p, tok, sizeof(tok), &too_long, &more);
		if (too_long)
			return why_fail(why, why_len, "value too long");
		if (!*tok)
			return why_fail(why, why_len,
					count || more
						? "empty value in list"
						: "option data is missing");
		if (count == 1 && !def->array)
			return why_fail(why, why_len,
					"%s takes one value, not a list",
					def->name);
		if ((rc = put_scalar(def->type, tok, out, cap, &n, why,
				     why_len)) < 0)
			return rc;
		count++;
	} while (more);
	if (def->type == TERN_OT_IPV4_PAIR && count % 2)
		return why_fail(why, why_len, "%s needs pairs of addresses",
				def->name);
	return (int)n;
}
