/* ternd option values, text side: option-data "data" to bytes as Kea 2.2
 * writes them (str::tokens, OptionDefinition::writeToBuffer, the hex forms
 * of csv-format false); the bytes are then checked and re-packed as Kea's
 * option classes do (option_wire.c). */
#include "server/config/options.h"
#include "common/hex.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <tern/dhcp4.h>

#define TOKEN_MAX 4096 /* longer tokens are refused when used */

__attribute__((format(printf, 2, 3))) static int fail(struct ternd_optval *v,
						      const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(v->why, sizeof(v->why), fmt, ap);
	va_end(ap);
	return -EINVAL;
}

/* ---- hex ----------------------------------------------------------------- */

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

static bool kea_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\n';
}

/* Kea's isspace() as its base16 decoder skips it (ch > 0). */
static bool c_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' ||
	       c == '\r';
}

/* util::encode::decodeHex: digits of either case, blanks skipped, an
 * even count. */
static int decode_hex(const char *s, size_t n, uint8_t *out, size_t cap)
{
	size_t digits = 0, k = 0;

	for (size_t i = 0; i < n; i++) {
		if (c_space(s[i]))
			continue;
		if (tern_hexval(s[i]) < 0)
			return -EINVAL;
		digits++;
	}
	if (digits % 2)
		return -EINVAL;
	if (digits / 2 > cap)
		return -ENOBUFS;
	digits = 0;
	for (size_t i = 0; i < n; i++) {
		int h;

		if (c_space(s[i]))
			continue;
		h = tern_hexval(s[i]);
		if (digits++ % 2 == 0)
			out[k] = (uint8_t)(h << 4);
		else
			out[k++] |= (uint8_t)h;
	}
	return (int)k;
}

/* decodeSeparatedHexString: 1 or 2 digits between separators, no empty
 * field unless the whole text is empty. */
static int decode_separated(const char *s, char sep, uint8_t *out, size_t cap)
{
	size_t n = 0, fields = 1;
	const char *p = s;

	for (const char *q = s; *q; q++)
		if (*q == sep)
			fields++;
	for (;;) {
		const char *e = strchr(p, sep);
		size_t l = e ? (size_t)(e - p) : strlen(p);

		if (l == 0 && fields > 1)
			return -EINVAL;
		if (l > 2)
			return -EINVAL;
		if (l) {
			unsigned v = 0;

			for (size_t i = 0; i < l; i++) {
				if (tern_hexval(p[i]) < 0)
					return -EINVAL;
				v = v << 4 | (unsigned)tern_hexval(p[i]);
			}
			if (n >= cap)
				return -ENOBUFS;
			out[n++] = (uint8_t)v;
		}
		if (!e)
			break;
		p = e + 1;
	}
	return (int)n;
}

int ternd_opt_text_bytes(const char *data, uint8_t *out, size_t cap)
{
	const char *p = data, *e;
	size_t n;

	/* 'quoted text' (blanks around and inside the quotes trimmed). An
	 * empty '' falls through to hex and fails there, as in Kea. */
	e = p + strlen(p);
	while (p < e && kea_blank(*p))
		p++;
	while (e > p && kea_blank(e[-1]))
		e--;
	if (e - p > 1 && p[0] == '\'' && e[-1] == '\'') {
		const char *a = p + 1, *b = e - 1;

		while (a < b && kea_blank(*a))
			a++;
		while (b > a && kea_blank(b[-1]))
			b--;
		n = (size_t)(b - a);
		if (n) {
			if (n > cap)
				return -ENOBUFS;
			memcpy(out, a, n);
			return (int)n;
		}
	}
	/* decodeFormattedHexString, on the text as given (not trimmed). */
	if (strchr(data, ':'))
		return decode_separated(data, ':', out, cap);
	if (strchr(data, ' '))
		return decode_separated(data, ' ', out, cap);
	n = strlen(data);
	if (n > 2 && data[0] == '0' && data[1] == 'x') {
		/* "0x" goes, the odd-length zero is still prepended. */
		char tmp[2 * TERND_OPT_VAL_MAX + 4];
		size_t odd = n % 2;

		if (n - 2 + odd >= sizeof(tmp))
			return -ENOBUFS;
		tmp[0] = '0';
		memcpy(tmp + odd, data + 2, n - 2);
		return decode_hex(tmp, n - 2 + odd, out, cap);
	}
	if (n % 2) {
		char tmp[2 * TERND_OPT_VAL_MAX + 4];

		if (n + 1 >= sizeof(tmp))
			return -ENOBUFS;
		tmp[0] = '0';
		memcpy(tmp + 1, data, n);
		return decode_hex(tmp, n + 1, out, cap);
	}
	return decode_hex(data, n, out, cap);
}

/* ---- CSV tokens ------------------------------------------------------------
 */

int ternd_csv_tokens(const char *data,
		     int (*fn)(const char *tok, size_t len, void *arg),
		     void *arg)
{
	char tok[TOKEN_MAX];
	size_t n = 0;
	bool in_token = false, escaped = false, over = false;
	int count = 0, rc;

#define PUT(ch)                          \
	do {                             \
		if (n < sizeof(tok))     \
			tok[n++] = (ch); \
		else                     \
			over = true;     \
	} while (0)
#define FLUSH()                                                       \
	do {                                                          \
		if (n || over) {                                      \
			count++;                                      \
			if ((rc = fn(over ? NULL : tok, n, arg)) < 0) \
				return rc;                            \
		}                                                     \
		n = 0;                                                \
		over = false;                                         \
	} while (0)

	for (const char *c = data; *c; c++) {
		if (*c == ',') {
			if (!in_token)
				continue;
			if (escaped) {
				escaped = false;
				PUT(',');
				continue;
			}
			FLUSH();
			in_token = false;
		} else if (*c == '\\') {
			in_token = true;
			if (escaped) {
				escaped = false;
				PUT('\\');
			} else {
				escaped = true;
			}
		} else {
			in_token = true;
			if (escaped) {
				escaped = false;
				PUT('\\');
			}
			PUT(*c);
		}
	}
	if (escaped)
		PUT('\\');
	FLUSH();
	return count;
#undef PUT
#undef FLUSH
}

/* ---- one value per type (writeToBuffer) --------------------------------- */

struct sink {
	uint8_t *p;
	size_t n;
	size_t cap;
};

static int put(struct sink *s, const void *d, size_t n)
{
	if (s->n + n > s->cap)
		return -ENOBUFS;
	memcpy(s->p + s->n, d, n);
	s->n += n;
	return 0;
}

static int put_be(struct sink *s, uint64_t v, size_t w)
{
	uint8_t b[8];

	for (size_t i = 0; i < w; i++)
		b[i] = (uint8_t)(v >> (8 * (w - 1 - i)));
	return put(s, b, w);
}

/* boost::lexical_cast<int64_t>: an optional sign and decimal digits. */
static bool dec_i64(const char *s, int64_t *ret)
{
	const char *p = s;
	char *end;
	long long v;

	if (*p == '+' || *p == '-')
		p++;
	if (*p < '0' || *p > '9')
		return false;
	for (const char *q = p; *q; q++)
		if (*q < '0' || *q > '9')
			return false;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno || *end)
		return false;
	*ret = v;
	return true;
}

/* std::stringstream >> std::hex: a sign, "0x" optional, hex digits. */
static bool hex_i64(const char *s, int64_t *ret)
{
	const char *p = s;
	char *end;
	long long v;

	if (*p == '+' || *p == '-')
		p++;
	if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X'))
		p += 2;
	if (tern_hexval(*p) < 0)
		return false;
	errno = 0;
	v = strtoll(s, &end, 16);
	if (errno || *end)
		return false;
	*ret = v;
	return true;
}

/* lexicalCastWithRangeCheck: decimal, else hexadecimal (so "0xf0" and even
 * "f0" are 240), then the type's range. */
static int cast_int(struct ternd_optval *v, const char *s, int64_t lo,
		    int64_t hi, int64_t *ret)
{
	int64_t x;

	if (!dec_i64(s, &x) && !hex_i64(s, &x))
		return fail(v,
			    "unable to convert the value '%s' to integer data "
			    "type",
			    s);
	if (x < lo || x > hi)
		return fail(
			v,
			"unable to convert '%s' to numeric type. This value "
			"is expected to be in the range of %lld..%lld",
			s, (long long)lo, (long long)hi);
	*ret = x;
	return 0;
}

static int int_range(enum tern_opt_type t, int64_t *lo, int64_t *hi)
{
	switch (t) {
	case TERN_OT_I8:
		*lo = INT8_MIN, *hi = INT8_MAX;
		return 1;
	case TERN_OT_I16:
		*lo = INT16_MIN, *hi = INT16_MAX;
		return 2;
	case TERN_OT_I32:
		*lo = INT32_MIN, *hi = INT32_MAX;
		return 4;
	case TERN_OT_U8:
		*lo = 0, *hi = UINT8_MAX;
		return 1;
	case TERN_OT_U16:
		*lo = 0, *hi = UINT16_MAX;
		return 2;
	case TERN_OT_U32:
		*lo = 0, *hi = UINT32_MAX;
		return 4;
	default:
		return 0;
	}
}

/* IOAddress(text): asio tries IPv6 first, then IPv4. */
static int parse_ip(const char *s, uint8_t out[16])
{
	if (inet_pton(AF_INET6, s, out) == 1)
		return 16;
	if (inet_pton(AF_INET, s, out) == 1)
		return 4;
	return -EINVAL;
}

/* isc::dns::Name(text): labels split at unescaped dots, \DDD and \X
 * escapes, 63 bytes a label, 255 a name, case kept. */
static int put_fqdn(struct ternd_optval *v, struct sink *s, const char *name)
{
	uint8_t wire[256];
	size_t n = 0, lab = 0, len = 0;
	const char *p = name;

	if (!*p)
		return fail(v, "unable to write an empty domain name");
	if (strcmp(p, ".") == 0)
		return put(s, "", 1);
	wire[0] = 0;
	n = 1;
	lab = 0;
	while (*p) {
		unsigned c = (unsigned char)*p++;

		if (c == '.') {
			if (len == 0)
				return fail(v, "empty label in '%s'", name);
			wire[lab] = (uint8_t)len;
			lab = n;
			if (n >= sizeof(wire))
				return fail(v, "'%s' is too long a name", name);
			wire[n++] = 0;
			len = 0;
			continue;
		}
		if (c == '\\') {
			if (p[0] >= '0' && p[0] <= '9') {
				if (!(p[1] >= '0' && p[1] <= '9') ||
				    !(p[2] >= '0' && p[2] <= '9'))
					return fail(v, "bad escape in '%s'",
						    name);
				c = (unsigned)(p[0] - '0') * 100 +
				    (unsigned)(p[1] - '0') * 10 +
				    (unsigned)(p[2] - '0');
				if (c > 255)
					return fail(v, "bad escape in '%s'",
						    name);
				p += 3;
			} else if (*p) {
				c = (unsigned char)*p++;
			} else {
				return fail(v, "bad escape in '%s'", name);
			}
		}
		if (++len > 63)
			return fail(v, "too long label in '%s'", name);
		if (n >= sizeof(wire))
			return fail(v, "'%s' is too long a name", name);
		wire[n++] = (uint8_t)c;
	}
	if (len) {
		wire[lab] = (uint8_t)len;
		if (n >= sizeof(wire))
			return fail(v, "'%s' is too long a name", name);
		wire[n++] = 0;
	}
	if (n > 255)
		return fail(v, "'%s' is too long a name", name);
	return put(s, wire, n);
}

/* "a b\t" → "ab": Kea erases blanks inside psid and prefix values. */
static void erase_blanks(const char *in, char *out, size_t cap)
{
	size_t n = 0;

	for (; *in && n + 1 < cap; in++)
		if (*in != ' ' && *in != '\t')
			out[n++] = *in;
	out[n] = '\0';
}

static int put_prefix(struct ternd_optval *v, struct sink *s, const char *tok)
{
	char txt[TOKEN_MAX];
	uint8_t a[16], b[17];
	char *slash;
	int64_t len;
	size_t bytes;

	erase_blanks(tok, txt, sizeof(txt));
	if (!(slash = strchr(txt, '/')))
		return fail(v, "provided address/prefix %s is not valid.", tok);
	*slash = '\0';
	if (parse_ip(txt, a) != 16)
		return fail(v,
			    "provided address %s is not a valid IPv4 or IPv6 "
			    "address.",
			    txt);
	if (cast_int(v, slash + 1, 0, UINT8_MAX, &len) < 0 || len > 128)
		return fail(v, "provided prefix %s is not valid.", slash + 1);
	bytes = ((size_t)len + 7) / 8;
	b[0] = (uint8_t)len;
	memcpy(b + 1, a, bytes);
	if (len % 8)
		b[bytes] &= (uint8_t)(0xff << (8 - len % 8));
	return put(s, b, 1 + bytes);
}

static int put_psid(struct ternd_optval *v, struct sink *s, const char *tok)
{
	char txt[TOKEN_MAX];
	char *slash;
	int64_t psid, len;
	uint8_t b[3];

	erase_blanks(tok, txt, sizeof(txt));
	if (!(slash = strchr(txt, '/')))
		return fail(v, "provided PSID value %s is not valid", tok);
	*slash = '\0';
	if (cast_int(v, txt, 0, UINT16_MAX, &psid) < 0)
		return fail(v, "provided PSID %s is not valid", txt);
	if (cast_int(v, slash + 1, 0, UINT8_MAX, &len) < 0)
		return fail(v, "provided PSID length %s is not valid",
			    slash + 1);
	if (len > 16)
		return fail(v,
			    "invalid PSID length value %u, this value is "
			    "expected to be in range of 0 to 16",
			    (unsigned)len);
	if (len > 0 && psid > (0xffff >> (16 - len)))
		return fail(v,
			    "invalid PSID value %u for a specified PSID length "
			    "%u",
			    (unsigned)psid, (unsigned)len);
	/* Left-aligned; with length 0 the shift by 16 leaves nothing. */
	psid = len ? (psid << (16 - len)) & 0xffff : 0;
	b[0] = (uint8_t)len;
	b[1] = (uint8_t)(psid >> 8);
	b[2] = (uint8_t)psid;
	return put(s, b, 3);
}

/* convertToBool: true/false in any case, else an int that is 0 or 1. */
static int put_bool(struct ternd_optval *v, struct sink *s, const char *tok)
{
	int64_t x;
	uint8_t b;

	if (strcasecmp(tok, "true") == 0)
		b = 1;
	else if (strcasecmp(tok, "false") == 0)
		b = 0;
	else if (!dec_i64(tok, &x) || x < INT32_MIN || x > INT32_MAX)
		return fail(v,
			    "unable to covert the value '%s' to boolean data "
			    "type",
			    tok);
	else if (x != 0 && x != 1)
		return fail(v, "unable to convert '%s' to boolean data type",
			    tok);
	else
		b = (uint8_t)x;
	return put(s, &b, 1);
}

static int put_value(struct ternd_optval *v, struct sink *s,
		     enum tern_opt_type t, const char *tok, bool v6)
{
	uint8_t a[TOKEN_MAX / 2];
	int64_t x, lo, hi;
	size_t w;
	int n;

	switch (t) {
	case TERN_OT_BINARY:
		n = decode_hex(tok, strlen(tok), a, sizeof(a));
		if (n < 0)
			return fail(v,
				    "unable to cast %s to binary data type: "
				    "not an even number of hexadecimal digits",
				    tok);
		return put(s, a, (size_t)n);
	case TERN_OT_BOOL:
		return put_bool(v, s, tok);
	case TERN_OT_I8:
	case TERN_OT_I16:
	case TERN_OT_I32:
	case TERN_OT_U8:
	case TERN_OT_U16:
	case TERN_OT_U32:
		w = (size_t)int_range(t, &lo, &hi);
		if (cast_int(v, tok, lo, hi, &x) < 0)
			return -EINVAL;
		/* Two's complement survives the unsigned shifts. */
		return put_be(s, (uint64_t)x, w);
	case TERN_OT_IPV4:
	case TERN_OT_IPV6:
		/* Either family in either type: an IPv6 literal is 16 bytes
		 * even where an IPv4 address is expected. */
		n = parse_ip(tok, a);
		if (n < 0)
			return fail(v,
				    "Failed to convert string to address "
				    "'%s': Invalid argument",
				    tok);
		return put(s, a, (size_t)n);
	case TERN_OT_IPV6_PREFIX:
		return put_prefix(v, s, tok);
	case TERN_OT_PSID:
		return put_psid(v, s, tok);
	case TERN_OT_STRING:
		return put(s, tok, strlen(tok));
	case TERN_OT_FQDN:
		return put_fqdn(v, s, tok);
	case TERN_OT_TUPLE:
		/* OpaqueDataTuple: a 1-byte length in DHCPv4, 2 in DHCPv6. */
		w = strlen(tok);
		if (w > (v6 ? UINT16_MAX : UINT8_MAX))
			return fail(v,
				    "invalid tuple value (size %zu larger than "
				    "%u)",
				    w, v6 ? UINT16_MAX : UINT8_MAX);
		if ((v6 ? put_be(s, w, 2) : put_be(s, w, 1)) < 0)
			return -ENOBUFS;
		return put(s, tok, w);
	default:
		return fail(v,
			    "attempt to write invalid option data field type "
			    "into the option buffer: %d",
			    (int)t);
	}
}

/* ---- classless static routes (newer Kea's 121) --------------------------- */

/* "10.0.0.0/8 - 192.0.2.1" into RFC 3442 form, as libtern writes it. */
static int put_route(struct ternd_optval *v, struct sink *s, const char *tok)
{
	char net[64], gw[64];
	const char *dash = strchr(tok, '-');
	struct tern_dhcp4_route r = {0};
	char *slash, *end;
	size_t l;
	long plen;
	uint32_t dv, mask;
	int k;

	if (!dash)
		return fail(v, "route '%s' is not 'prefix - router'", tok);
	l = (size_t)(dash - tok);
	while (l && kea_blank(tok[l - 1]))
		l--;
	dash++;
	while (kea_blank(*dash))
		dash++;
	if (l >= sizeof(net) || strlen(dash) >= sizeof(gw))
		return fail(v, "bad route '%s'", tok);
	memcpy(net, tok, l);
	net[l] = '\0';
	strcpy(gw, dash);
	slash = strchr(net, '/');
	if (!slash || slash[1] < '0' || slash[1] > '9')
		return fail(v, "route '%s' needs a prefix length 0..32", tok);
	plen = strtol(slash + 1, &end, 10);
	if (*end || plen > 32)
		return fail(v, "route '%s' needs a prefix length 0..32", tok);
	*slash = '\0';
	if (inet_pton(AF_INET, net, &r.dest) != 1 ||
	    inet_pton(AF_INET, gw, &r.gw) != 1)
		return fail(v, "bad address in route '%s'", tok);
	dv = ntohl(r.dest.s_addr);
	mask = plen ? ~(uint32_t)0 << (32 - plen) : 0;
	if (dv & ~mask)
		return fail(v,
			    "route '%s' has host bits set in its destination",
			    tok);
	r.plen = (uint8_t)plen;
	k = tern_dhcp4_routes_encode(&r, 1, s->p + s->n, s->cap - s->n);
	if (k < 0)
		return -ENOBUFS;
	s->n += (size_t)k;
	return 0;
}

/* ---- option-data text ------------------------------------------------------
 */

struct csv_ctx {
	struct ternd_optval *v;
	const struct tern_optdef *def;
	struct sink s;
	size_t i; /* tokens seen */
	bool v6;
};

static int on_token(const char *tok, size_t len, void *arg)
{
	struct csv_ctx *c = arg;
	const struct tern_optdef *d = c->def;
	enum tern_opt_type t = d->type;
	char buf[TOKEN_MAX + 1];
	const char *p = tok;
	size_t i = c->i++;

	if (d == &ternd_def_classless_routes)
		t = TERN_OT_COUNT;
	else if (t == TERN_OT_RECORD)
		t = i < d->n_fields ? d->fields[i]
		    : d->array	    ? d->fields[d->n_fields - 1]
				    : TERN_OT_COUNT;
	else if (!d->array && i > 0)
		return 0; /* one value: the rest is ignored */
	if (d->type == TERN_OT_RECORD && t == TERN_OT_COUNT)
		return 0; /* extra values of a record, not an array */
	if (!tok)
		return fail(c->v, "value %zu is too long", i + 1);
	/* util::str::trim */
	while (len && kea_blank(*p))
		p++, len--;
	while (len && kea_blank(p[len - 1]))
		len--;
	memcpy(buf, p, len);
	buf[len] = '\0';
	if (d == &ternd_def_classless_routes)
		return put_route(c->v, &c->s, buf);
	return put_value(c->v, &c->s, t, buf, c->v6);
}

int ternd_opt_csv_bytes(const struct tern_optdef *def, const char *data,
			bool v6, uint8_t *out, size_t cap,
			struct ternd_optval *v)
{
	struct csv_ctx c = {v, def, {out, 0, cap}, 0, v6};
	int n = ternd_csv_tokens(data ? data : "", on_token, &c);

	if (n < 0)
		return n;
	if (def->type == TERN_OT_RECORD && (size_t)n < def->n_fields)
		return fail(v,
			    "number of data fields for the option type '%u' is "
			    "greater than number of values provided.",
			    def->code);
	if (!def->array && def->type != TERN_OT_RECORD && n == 0 &&
	    def->type != TERN_OT_EMPTY)
		return fail(v, "no option value specified");
	return (int)c.s.n;
}

int ternd_optval_from_text(const struct ternd_defset *ds,
			   const struct tern_optdef *def, const char *data,
			   bool csv, struct ternd_optval *v)
{
	uint8_t buf[TERND_OPT_VAL_MAX];
	struct csv_ctx c = {v, def, {buf, 0, sizeof(buf)}, 0, false};
	int n;

	v->val_len = v->sub_len = 0;
	v->vendor = v->encap = false;
	v->why[0] = '\0';
	if (!data)
		data = "";
	if (!csv || !def) {
		n = ternd_opt_text_bytes(data, buf, sizeof(buf));
		if (n == -ENOBUFS)
			return -ENOBUFS;
		if (n < 0)
			return fail(v,
				    "option data is not a valid string of "
				    "hexadecimal digits: %s",
				    data);
		/* No definition: a generic option, the bytes as given; so is
		 * ternd's 121 stand-in, which 2.2 does not define. */
		if (!def || def == &ternd_def_classless_routes) {
			memcpy(v->val, buf, (size_t)n);
			v->val_len = (size_t)n;
			return 0;
		}
		return ternd_optval_from_bytes(ds, def, buf, (size_t)n, v);
	}
	if (def == &ternd_def_classless_routes) {
		n = ternd_csv_tokens(data, on_token, &c);
		if (n < 0)
			return n;
		if (n == 0)
			return fail(v, "no option value specified");
		memcpy(v->val, buf, c.s.n);
		v->val_len = c.s.n;
		return 0;
	}
	n = ternd_opt_csv_bytes(def, data, false, buf, sizeof(buf), v);
	if (n < 0)
		return n;
	return ternd_optval_from_bytes(ds, def, buf, (size_t)n, v);
}
