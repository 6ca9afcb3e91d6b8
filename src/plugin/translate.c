/* tern-plugin: udhcpc / dibbler-client environment to tern_lease_msg. */
#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "common/hex.h"
#include "translate.h"

/* Longest raw value we decode from one variable (v6 raw areas are 512). */
#define RAW_MAX 1024

struct ctx {
	const char *const *envp;
	struct tplug_diag *d;
	uint32_t *flags; /* the payload's flags, for TERN_LEASE_F_DROPPED */
};

static void note(struct ctx *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Record a left-out value; only the first text is kept. */
static void note(struct ctx *c, const char *fmt, ...)
{
	va_list ap;

	c->d->dropped++;
	if (c->flags)
		*c->flags |= TERN_LEASE_F_DROPPED;
	if (c->d->text[0])
		return;
	va_start(ap, fmt);
	vsnprintf(c->d->text, sizeof(c->d->text), fmt, ap);
	va_end(ap);
}

const char *tplug_getenv(const char *const *envp, const char *name)
{
	size_t n = strlen(name);

	if (!envp)
		return NULL;
	for (; *envp; envp++)
		if (!strncmp(*envp, name, n) && (*envp)[n] == '=')
			return *envp + n + 1;
	return NULL;
}

static const char *get(struct ctx *c, const char *name)
{
	return tplug_getenv(c->envp, name);
}

/* ---- value parsers: strict, bounded, no locale ---- */

static int parse_u32(const char *s, uint32_t *ret)
{
	uint64_t v = 0;

	if (!s || !*s)
		return -EINVAL;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return -EINVAL;
		v = v * 10 + (uint64_t)(*s - '0');
		if (v > UINT32_MAX)
			return -ERANGE;
	}
	*ret = (uint32_t)v;
	return 0;
}

static int parse_s32(const char *s, int32_t *ret)
{
	bool neg = s && *s == '-';
	uint32_t v;
	int r = parse_u32(neg ? s + 1 : s, &v);

	if (r < 0)
		return r;
	if (v > (neg ? 2147483648u : 2147483647u))
		return -ERANGE;
	*ret = neg ? (int32_t)(-(int64_t)v) : (int32_t)v;
	return 0;
}

/*
 * Decode hex text. busybox writes "0a0b0c" (colon = false); dibbler writes
 * "0a:0b:0c" (colon = true), and only that exact form counts as hex there,
 * so that an address like "2001:0db8::1" is never mistaken for bytes.
 * Returns the byte count, -EBADMSG or -ENOBUFS.
 */
static int hex_decode(const char *s, bool colon, uint8_t *out, size_t cap)
{
	size_t n = 0;

	if (!s || !*s)
		return -EBADMSG;
	for (;;) {
		int hi = tern_hexval(s[0]),
		    lo = hi < 0 ? -1 : tern_hexval(s[1]);
		if (hi < 0 || lo < 0)
			return -EBADMSG;
		if (n == cap)
			return -ENOBUFS;
		out[n++] = (uint8_t)(hi << 4 | lo);
		s += 2;
		if (!*s)
			break;
		if (colon) {
			if (*s != ':')
				return -EBADMSG;
			s++;
		}
	}
	return (int)n;
}

static bool has_ctrl(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return true;
	return false;
}

/*
 * Copy a text value into a message field, or leave it out with a note.
 * af: 0 for text, AF_INET / AF_INET6 for a single address.
 * Returns true if the value was stored.
 */
static bool put_str(struct ctx *c, char *dst, size_t size, const char *val,
		    const char *var, int af)
{
	unsigned char addr[sizeof(struct in6_addr)];

	if (!val || !*val)
		return false;
	if (has_ctrl(val)) {
		note(c, "%s: control characters, left out", var);
		return false;
	}
	if (af && inet_pton(af, val, addr) != 1) {
		note(c, "%s: not an IPv%d address, left out", var,
		     af == AF_INET ? 4 : 6);
		return false;
	}
	if (tern_lease_set_str(dst, size, val) < 0) {
		note(c, "%s: longer than %zu bytes, left out", var, size - 1);
		return false;
	}
	return true;
}

static bool put_u32(struct ctx *c, uint32_t *dst, const char *var)
{
	const char *val = get(c, var);

	if (!val)
		return false;
	if (parse_u32(val, dst) < 0) {
		note(c, "%s: not a 32-bit number, left out", var);
		return false;
	}
	return true;
}

/* A 4-byte big-endian option value in busybox hex (opt58, opt59). */
static bool put_hex_u32(struct ctx *c, uint32_t *dst, const char *var)
{
	const char *val = get(c, var);
	uint8_t b[4];

	if (!val)
		return false;
	if (hex_decode(val, false, b, sizeof(b)) != 4) {
		note(c, "%s: not a 4-byte hex value, left out", var);
		return false;
	}
	*dst = (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 |
	       (uint32_t)b[2] << 8 | b[3];
	return true;
}

/* ---- DHCPv4: busybox udhcpc ---- */

/* Event names come from libtern's table, so plugin and validator agree. */
static uint8_t v4_event(const char *ev)
{
	const char *name;

	for (uint8_t i = 1; ev && (name = tern_lease_v4_event_name(i)); i++)
		if (!strcmp(ev, name))
			return i;
	return 0;
}

static uint8_t v6_event(const char *ev)
{
	const char *name;

	for (uint8_t i = 1; ev && (name = tern_lease_v6_event_name(i)); i++)
		if (!strcmp(ev, name))
			return i;
	return 0;
}

/* Option codes udhcpc exports as optN that have their own field. */
static bool v4_mapped(unsigned code)
{
	return code == 58 || code == 59 || code == 100 || code == 101 ||
	       code == 122 || code == 125;
}

/* "opt<N>=hex" variables that no named field took: the raw area. */
static void v4_raw_options(struct ctx *c, struct tern_lease_v4 *v4)
{
	uint8_t buf[RAW_MAX];

	for (const char *const *e = c->envp; *e; e++) {
		const char *p = *e;
		unsigned code = 0;
		int n;

		if (strncmp(p, "opt", 3) != 0)
			continue;
		p += 3;
		if (*p < '1' || *p > '9')
			continue;
		while (*p >= '0' && *p <= '9' && code < 1000)
			code = code * 10 + (unsigned)(*p++ - '0');
		if (*p != '=' || v4_mapped(code))
			continue;
		if (code < 1 || code > 254) {
			note(c, "opt%u: option code out of range, left out",
			     code);
			continue;
		}
		n = hex_decode(p + 1, false, buf, sizeof(buf));
		if (n < 0) {
			note(c, "opt%u: not hex, left out", code);
			continue;
		}
		if (tern_lease_v4_add_option(v4, (uint8_t)code, buf,
					     (size_t)n) < 0)
			note(c, "opt%u: no room in the option area, left out",
			     code);
	}
}

/* Option 100 / 101 arrive as opt100 / opt101 hex of text. */
static void v4_time_zone(struct ctx *c, struct tern_lease_v4 *v4)
{
	static const char vars[][7] = {"opt100", "opt101"};
	char text[TERN_LEASE_TZ_LEN];

	for (size_t i = 0; i < sizeof(vars) / sizeof(vars[0]); i++) {
		const char *val = get(c, vars[i]);
		int n;

		if (!val)
			continue;
		n = hex_decode(val, false, (uint8_t *)text, sizeof(text) - 1);
		if (n < 0) {
			note(c, "%s: not hex or too long, left out", vars[i]);
			continue;
		}
		text[n] = '\0';
		/* A NUL inside the option would silently shorten it. */
		if ((size_t)n != strlen(text)) {
			note(c, "%s: embedded NUL, left out", vars[i]);
			continue;
		}
		if (put_str(c, v4->time_zone, sizeof(v4->time_zone), text,
			    vars[i], 0))
			return;
	}
}

static void v4_hex_field(struct ctx *c, char *dst, size_t size,
			 uint8_t *assigned, const char *var)
{
	const char *val = get(c, var);
	uint8_t tmp[RAW_MAX];

	if (!val)
		return;
	if (hex_decode(val, false, tmp, sizeof(tmp)) < 0) {
		note(c, "%s: not hex, left out", var);
		return;
	}
	if (put_str(c, dst, size, val, var, 0))
		*assigned = 1;
}

/* dns="a b c": first, second, and all of them. */
static void v4_dns(struct ctx *c, struct tern_lease_v4 *v4)
{
	const char *val = get(c, "dns");
	char tok[TERN_LEASE_ADDR4_LEN + 1];
	int i = 0;

	if (!put_str(c, v4->dns_servers, sizeof(v4->dns_servers), val, "dns",
		     0))
		return;
	for (const char *p = v4->dns_servers; *p && i < 2;) {
		size_t n = strcspn(p, " ");
		if (n > 0 && n < sizeof(tok)) {
			memcpy(tok, p, n);
			tok[n] = '\0';
			if (put_str(c,
				    i == 0 ? v4->dns_server : v4->dns_server1,
				    TERN_LEASE_ADDR4_LEN, tok, "dns", AF_INET))
				i++;
		} else if (n > 0) {
			note(c, "dns: entry too long, left out");
		}
		p += n;
		p += strspn(p, " ");
	}
}

static void v4_netmask(struct ctx *c, struct tern_lease_v4 *v4)
{
	const char *subnet = get(c, "subnet"), *mask = get(c, "mask");
	uint32_t len = 0;
	struct in_addr a;

	if (mask) {
		if (parse_u32(mask, &len) < 0 || len > 32)
			note(c, "mask: not a prefix length, left out");
		else
			v4->prefix_len = (uint8_t)len;
	}
	if (put_str(c, v4->netmask, sizeof(v4->netmask), subnet, "subnet",
		    AF_INET)) {
		if (!mask && inet_pton(AF_INET, v4->netmask, &a) == 1)
			v4->prefix_len = (uint8_t)__builtin_popcount(a.s_addr);
		return;
	}
	/* Old busybox versions only export mask=. */
	if (mask && v4->prefix_len) {
		a.s_addr = htonl(v4->prefix_len == 32
					 ? UINT32_MAX
					 : ~(UINT32_MAX >> v4->prefix_len));
		inet_ntop(AF_INET, &a, v4->netmask, sizeof(v4->netmask));
	}
}

static void v4_lease(struct ctx *c, struct tern_lease_v4 *v4)
{
	const char *val;
	uint32_t mtu;

	put_str(c, v4->address, sizeof(v4->address), get(c, "ip"), "ip",
		AF_INET);
	v4_netmask(c, v4);
	put_str(c, v4->broadcast, sizeof(v4->broadcast), get(c, "broadcast"),
		"broadcast", AF_INET);
	put_str(c, v4->gateway, sizeof(v4->gateway), get(c, "router"), "router",
		0);
	v4_dns(c, v4);
	put_u32(c, &v4->lease_time, "lease");
	/* RDK's patched udhcpc names T1/T2; stock busybox gives hex. */
	if (!put_u32(c, &v4->renewal_time, "renewaltime"))
		put_hex_u32(c, &v4->renewal_time, "opt58");
	if (!put_u32(c, &v4->rebinding_time, "rebindingtime"))
		put_hex_u32(c, &v4->rebinding_time, "opt59");
	/* Option 2: RDK says timeoffset, busybox says timezone. */
	val = get(c, "timeoffset");
	if (!val)
		val = get(c, "timezone");
	if (val) {
		if (parse_s32(val, &v4->time_offset) < 0 ||
		    v4->time_offset < -86400 || v4->time_offset > 86400) {
			v4->time_offset = 0;
			note(c, "time offset %s: out of range, left out", val);
		} else {
			v4->time_offset_assigned = 1;
		}
	}
	v4_time_zone(c, v4);
	put_u32(c, &v4->upstream_curr_rate, "upstreamrate");
	put_u32(c, &v4->downstream_curr_rate, "downstreamrate");
	put_str(c, v4->dhcp_server_id, sizeof(v4->dhcp_server_id),
		get(c, "serverid"), "serverid", AF_INET);
	val = get(c, "mtu");
	if (val) {
		if (parse_u32(val, &mtu) < 0 || mtu < 68 || mtu > 65535) {
			note(c, "mtu %s: out of range, left out", val);
		} else {
			v4->mtu_assigned = 1;
			v4->mtu_size = (uint16_t)mtu;
		}
	}
	put_str(c, v4->sip_srv, sizeof(v4->sip_srv), get(c, "sipsrv"), "sipsrv",
		0);
	put_str(c, v4->static_routes, sizeof(v4->static_routes),
		get(c, "staticroutes"), "staticroutes", 0);
	v4_hex_field(c, v4->option122, sizeof(v4->option122),
		     &v4->option122_assigned, "opt122");
	v4_hex_field(c, v4->option125, sizeof(v4->option125),
		     &v4->option125_assigned, "opt125");
	/* bootfile is option 67; boot_file is the header's file field. */
	if (!put_str(c, v4->bootfile, sizeof(v4->bootfile), get(c, "bootfile"),
		     "bootfile", 0))
		put_str(c, v4->bootfile, sizeof(v4->bootfile),
			get(c, "boot_file"), "boot_file", 0);
	if (!put_str(c, v4->tftp_server, sizeof(v4->tftp_server),
		     get(c, "tftp"), "tftp", 0))
		put_str(c, v4->tftp_server, sizeof(v4->tftp_server),
			get(c, "siaddr"), "siaddr", 0);
	put_str(c, v4->host_name, sizeof(v4->host_name), get(c, "hostname"),
		"hostname", 0);
	put_str(c, v4->domain_name, sizeof(v4->domain_name), get(c, "domain"),
		"domain", 0);
	put_str(c, v4->ntp_servers, sizeof(v4->ntp_servers), get(c, "ntpsrv"),
		"ntpsrv", 0);
	put_str(c, v4->domain_search, sizeof(v4->domain_search),
		get(c, "search"), "search", 0);
	v4_raw_options(c, v4);
}

static int from_udhcpc(struct ctx *c, struct tern_lease_msg *m, uint8_t ev)
{
	struct tern_lease_v4 *v4 = &m->data.v4;

	c->flags = &v4->flags;
	v4->event = ev;
	memcpy(v4->dhcp_state, tern_lease_v4_event_name(ev),
	       strlen(tern_lease_v4_event_name(ev)));
	switch (ev) {
	case TERN_LEASE_V4_BOUND:
	case TERN_LEASE_V4_RENEW:
		v4->address_assigned = 1;
		v4_lease(c, v4);
		if (!v4->address[0]) {
			snprintf(c->d->text, sizeof(c->d->text),
				 "%s without a valid ip=",
				 tern_lease_v4_event_name(ev));
			return -EINVAL;
		}
		break;
	case TERN_LEASE_V4_NAK:
		/* Not ignored (RDK drops it): the manager records the NAK. */
		put_str(c, v4->message, sizeof(v4->message), get(c, "message"),
			"message", 0);
		put_str(c, v4->dhcp_server_id, sizeof(v4->dhcp_server_id),
			get(c, "serverid"), "serverid", AF_INET);
		break;
	default: /* deconfig, leasefail: only interface= is set */
		v4->is_expired = 1;
		break;
	}
	return 0;
}

/* ---- DHCPv6: dibbler-client ---- */

/* DNS wire names (RFC 1035 §3.1, no compression per RFC 8415 §10). */
static int dns_names(const uint8_t *p, size_t n, char *out, size_t cap)
{
	size_t o = 0, i = 0;

	while (i < n) {
		if (o && o + 1 < cap)
			out[o++] = ' ';
		while (i < n && p[i]) {
			size_t l = p[i++];
			if (l > 63 || l > n - i || o + l + 2 > cap)
				return -EBADMSG;
			for (size_t k = 0; k < l; k++) {
				uint8_t ch = p[i + k];
				if (ch <= 0x20 || ch >= 0x7f)
					return -EBADMSG;
				out[o++] = (char)ch;
			}
			out[o++] = '.';
			i += l;
		}
		if (i >= n)
			return -EBADMSG; /* missing root label */
		i++;
		if (o && out[o - 1] == '.')
			o--; /* "example.net", not "example.net." */
	}
	if (o >= cap)
		return -ENOBUFS;
	out[o] = '\0';
	return (int)o;
}

/* 16-byte addresses to "a b c" text. */
static int addr_list(const uint8_t *p, size_t n, char *out, size_t cap)
{
	size_t o = 0;

	if (n == 0 || n % 16)
		return -EBADMSG;
	for (size_t i = 0; i < n; i += 16) {
		char a[INET6_ADDRSTRLEN];
		size_t l;
		inet_ntop(AF_INET6, p + i, a, sizeof(a));
		l = strlen(a);
		if (o + l + 2 > cap)
			return -ENOBUFS;
		if (o)
			out[o++] = ' ';
		memcpy(out + o, a, l);
		o += l;
	}
	out[o] = '\0';
	return (int)o;
}

/* Option 56 sub-options: server address (1), multicast (2), FQDN (3). */
static int ntp_list(const uint8_t *p, size_t n, char *out, size_t cap)
{
	size_t o = 0, i = 0;

	out[0] = '\0';
	while (i < n) {
		char tmp[TERN_LEASE_NAME_LEN];
		unsigned code, len;
		int r;
		if (n - i < 4)
			return -EBADMSG;
		code = (unsigned)p[i] << 8 | p[i + 1];
		len = (unsigned)p[i + 2] << 8 | p[i + 3];
		i += 4;
		if (len > n - i)
			return -EBADMSG;
		if (code == 3)
			r = dns_names(p + i, len, tmp, sizeof(tmp));
		else if ((code == 1 || code == 2) && len == 16)
			r = addr_list(p + i, len, tmp, sizeof(tmp));
		else
			return -EBADMSG;
		if (r < 0)
			return r;
		if (o + (size_t)r + 2 > cap)
			return -ENOBUFS;
		if (o)
			out[o++] = ' ';
		memcpy(out + o, tmp, (size_t)r + 1);
		o += (size_t)r;
		i += len;
	}
	return (int)o;
}

typedef int (*wire_to_text)(const uint8_t *, size_t, char *, size_t);

/*
 * dibbler prints some options as text and others as colon-hex; take the
 * text as is, or convert hex wire data with conv.
 */
static void v6_text_option(struct ctx *c, char *dst, size_t size,
			   const char *var, wire_to_text conv)
{
	const char *val = get(c, var);
	uint8_t buf[RAW_MAX];
	char text[TERN_LEASE_SEARCH_LEN];
	int n;

	if (!val)
		return;
	n = hex_decode(val, true, buf, sizeof(buf));
	if (n < 0) {
		put_str(c, dst, size, val, var, 0);
		return;
	}
	if (conv(buf, (size_t)n, text, sizeof(text)) < 0) {
		note(c, "%s: malformed option data, left out", var);
		return;
	}
	put_str(c, dst, size, text, var, 0);
}

static void v6_raw_option(struct ctx *c, uint8_t *dst, uint16_t *len,
			  const char *var)
{
	const char *val = get(c, var);
	int n;

	if (!val)
		return;
	n = hex_decode(val, true, dst, TERN_LEASE_RAW_LEN);
	if (n < 0) {
		note(c, "%s: %s, left out", var,
		     n == -ENOBUFS ? "longer than 512 bytes" : "not hex");
		return;
	}
	*len = (uint16_t)n;
}

/* SRV_OPTION codes with their own field; the rest go to the raw area. */
static bool v6_mapped(unsigned code)
{
	return code == 17 || code == 23 || code == 24 || code == 31 ||
	       code == 56 || code == 64 || code == 94 || code == 95;
}

/* Text of unmapped options back to wire bytes where the form allows. */
static int v6_option_bytes(const char *val, uint8_t *out, size_t cap)
{
	char tok[INET6_ADDRSTRLEN];
	size_t n = 0;
	int r = hex_decode(val, true, out, cap);

	if (r >= 0)
		return r;
	/* A list of addresses: each is 16 bytes on the wire. */
	for (const char *p = val + strspn(val, " "); *p;) {
		size_t l = strcspn(p, " ");
		if (l >= sizeof(tok) || n + 16 > cap)
			break;
		memcpy(tok, p, l);
		tok[l] = '\0';
		if (inet_pton(AF_INET6, tok, out + n) != 1)
			break;
		n += 16;
		p += l;
		p += strspn(p, " ");
		if (!*p)
			return (int)n;
	}
	/* Anything else: dibbler's text, as documented for the raw area. */
	n = strlen(val);
	if (n > cap)
		return -ENOBUFS;
	memcpy(out, val, n);
	return (int)n;
}

static void v6_raw_options(struct ctx *c, struct tern_lease_v6 *v6)
{
	uint8_t buf[RAW_MAX];

	for (const char *const *e = c->envp; *e; e++) {
		const char *p = *e;
		unsigned code = 0;
		int n;

		if (strncmp(p, "SRV_OPTION", 10) != 0)
			continue;
		p += 10;
		if (*p < '1' || *p > '9')
			continue;
		while (*p >= '0' && *p <= '9' && code < 100000)
			code = code * 10 + (unsigned)(*p++ - '0');
		if (*p != '=' || v6_mapped(code))
			continue;
		if (code > UINT16_MAX) {
			note(c, "SRV_OPTION%u: code out of range, left out",
			     code);
			continue;
		}
		n = v6_option_bytes(p + 1, buf, sizeof(buf));
		if (n < 0 || tern_lease_v6_add_option(v6, (uint16_t)code, buf,
						      (size_t)n) < 0)
			note(c, "SRV_OPTION%u: no room, left out", code);
	}
}

/* ADDRn / PREFIXn lifetimes and RDK's IAID / T1 / T2 extensions. */
struct ia_vals {
	uint32_t iaid, t1, t2, pref, valid;
	bool zero; /* both lifetimes given and 0 */
};

static void ia_numbers(struct ctx *c, const char *base, struct ia_vals *v)
{
	char var[32];
	bool has_pref, has_valid;

	memset(v, 0, sizeof(*v));
	snprintf(var, sizeof(var), "%sIAID", base);
	put_u32(c, &v->iaid, var);
	snprintf(var, sizeof(var), "%sT1", base);
	put_u32(c, &v->t1, var);
	snprintf(var, sizeof(var), "%sT2", base);
	put_u32(c, &v->t2, var);
	snprintf(var, sizeof(var), "%sPREF", base);
	has_pref = put_u32(c, &v->pref, var);
	snprintf(var, sizeof(var), "%sVALID", base);
	has_valid = put_u32(c, &v->valid, var);
	if (v->pref > v->valid) {
		/* RFC 8415 §21.6 forbids it; keep the lease, trust valid. */
		note(c, "%s: preferred lifetime above valid, clamped", base);
		v->pref = v->valid;
	}
	v->zero = has_pref && has_valid && !v->pref && !v->valid;
}

static void v6_addresses(struct ctx *c, struct tern_lease_v6 *v6)
{
	int k = 0;

	for (unsigned n = 1;; n++) {
		struct tern_lease_ia_na *na;
		struct ia_vals v;
		char var[24];
		const char *val;

		snprintf(var, sizeof(var), "ADDR%u", n);
		val = get(c, var);
		if (!val)
			break;
		if (k == TERN_LEASE_V6_MAX_IA) {
			note(c, "%s: more than %d addresses, left out", var,
			     TERN_LEASE_V6_MAX_IA);
			continue;
		}
		na = &v6->ia_na[k];
		if (!put_str(c, na->address, sizeof(na->address), val, var,
			     AF_INET6))
			continue;
		ia_numbers(c, var, &v);
		na->iaid = v.iaid;
		na->t1 = v.t1;
		na->t2 = v.t2;
		na->preferred = v.pref;
		na->valid = v.valid;
		if (v.zero)
			na->flags = TERN_LEASE_IA_F_WITHDRAWN;
		else
			na->assigned = 1;
		k++;
	}
}

/* Returns true if a prefix with zero lifetimes (a replacement) was seen. */
static bool v6_prefixes(struct ctx *c, struct tern_lease_v6 *v6)
{
	bool withdrawn = false;
	int k = 0;

	for (unsigned n = 1;; n++) {
		struct tern_lease_ia_pd *pd;
		struct ia_vals v;
		char var[24], lvar[32];
		const char *val;
		uint32_t len;

		snprintf(var, sizeof(var), "PREFIX%u", n);
		val = get(c, var);
		if (!val)
			break;
		if (k == TERN_LEASE_V6_MAX_IA) {
			note(c, "%s: more than %d prefixes, left out", var,
			     TERN_LEASE_V6_MAX_IA);
			continue;
		}
		snprintf(lvar, sizeof(lvar), "%sLEN", var);
		if (parse_u32(get(c, lvar) ? get(c, lvar) : "", &len) < 0 ||
		    len < 1 || len > 128) {
			note(c, "%s: missing or bad prefix length, left out",
			     lvar);
			continue;
		}
		pd = &v6->ia_pd[k];
		if (!put_str(c, pd->prefix, sizeof(pd->prefix), val, var,
			     AF_INET6))
			continue;
		ia_numbers(c, var, &v);
		pd->prefix_len = (uint8_t)len;
		pd->iaid = v.iaid;
		pd->t1 = v.t1;
		pd->t2 = v.t2;
		pd->preferred = v.pref;
		pd->valid = v.valid;
		/*
		 * dibbler announces a replaced prefix with both lifetimes 0:
		 * that prefix goes, the lease stays.
		 */
		if (v.zero) {
			pd->flags = TERN_LEASE_IA_F_WITHDRAWN;
			withdrawn = true;
		} else {
			pd->assigned = 1;
		}
		k++;
	}
	return withdrawn;
}

static int from_dibbler(struct ctx *c, struct tern_lease_msg *m, uint8_t ev)
{
	struct tern_lease_v6 *v6 = &m->data.v6;
	const char *remote = get(c, "REMOTE_ADDR");
	char addr[TERN_LEASE_ADDR6_LEN];
	bool replace;

	c->flags = &v6->flags;
	v6->event = ev;
	v6_addresses(c, v6);
	replace = v6_prefixes(c, v6);
	if (replace)
		v6->flags |= TERN_LEASE_F_PD_REPLACE;
	switch (ev) {
	case TERN_LEASE_V6_EXPIRE:
		v6->is_expired = 1;
		break;
	case TERN_LEASE_V6_DELETE:
		v6->is_expired = !replace;
		break;
	default:
		break;
	}
	v6_text_option(c, v6->dns_servers, sizeof(v6->dns_servers),
		       "SRV_OPTION23", addr_list);
	v6_text_option(c, v6->domain_search, sizeof(v6->domain_search),
		       "SRV_OPTION24", dns_names);
	if (get(c, "SRV_OPTION56"))
		v6_text_option(c, v6->ntp_servers, sizeof(v6->ntp_servers),
			       "SRV_OPTION56", ntp_list);
	else
		v6_text_option(c, v6->ntp_servers, sizeof(v6->ntp_servers),
			       "SRV_OPTION31", addr_list);
	v6_text_option(c, v6->aftr_name, sizeof(v6->aftr_name), "SRV_OPTION64",
		       dns_names);
	v6_raw_option(c, v6->mapt, &v6->mapt_len, "SRV_OPTION95");
	v6_raw_option(c, v6->mape, &v6->mape_len, "SRV_OPTION94");
	v6_raw_option(c, v6->vendor, &v6->vendor_len, "SRV_OPTION17");
	/* A link-local source may carry "%scope"; the address is enough. */
	if (remote && strlen(remote) < sizeof(addr)) {
		memcpy(addr, remote, strlen(remote) + 1);
		addr[strcspn(addr, "%")] = '\0';
		put_str(c, v6->server_addr, sizeof(v6->server_addr), addr,
			"REMOTE_ADDR", AF_INET6);
	} else if (remote) {
		note(c, "REMOTE_ADDR: too long, left out");
	}
	v6_raw_options(c, v6);
	return 0;
}

enum tplug_client tplug_detect(const char *event, const char *const *envp)
{
	bool dib = tplug_getenv(envp, "IFACE") != NULL;
	bool udh = tplug_getenv(envp, "interface") != NULL;

	if (dib != udh)
		return dib ? TPLUG_DIBBLER : TPLUG_UDHCPC;
	if (v4_event(event))
		return TPLUG_UDHCPC;
	if (v6_event(event))
		return TPLUG_DIBBLER;
	return TPLUG_UNKNOWN;
}

int tplug_translate(struct tern_lease_msg *ret, const char *event,
		    const char *const *envp, struct tplug_diag *diag)
{
	struct ctx c = {.envp = envp, .d = diag, .flags = NULL};
	enum tplug_client who;
	const char *ifname;
	uint8_t ev;

	if (!ret || !diag || !envp)
		return -EINVAL;
	memset(diag, 0, sizeof(*diag));
	who = tplug_detect(event, envp);
	ev = who == TPLUG_UDHCPC ? v4_event(event) : v6_event(event);
	if (who == TPLUG_UNKNOWN || !ev) {
		snprintf(diag->text, sizeof(diag->text),
			 "unknown event \"%.32s\" for %s", event ? event : "",
			 who == TPLUG_UDHCPC	? "udhcpc"
			 : who == TPLUG_DIBBLER ? "dibbler-client"
						: "an unknown client");
		return -EINVAL;
	}
	ifname =
		tplug_getenv(envp, who == TPLUG_UDHCPC ? "interface" : "IFACE");
	if (tern_lease_msg_init(
		    ret, who == TPLUG_UDHCPC ? TERN_LEASE_V4 : TERN_LEASE_V6,
		    ifname ? ifname : "") < 0) {
		snprintf(diag->text, sizeof(diag->text),
			 "missing or invalid interface name \"%.32s\"",
			 ifname ? ifname : "");
		return -EINVAL;
	}
	if (who == TPLUG_UDHCPC)
		return from_udhcpc(&c, ret, ev);
	return from_dibbler(&c, ret, ev);
}
