/* Lease IPC message: build helpers and the receiver's validator. */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <string.h>

#include <tern/lease_ipc.h>

/* Field kinds the validator knows how to check beyond termination. */
enum field_kind {
	F_STR,	 /* any text without control characters */
	F_ADDR4, /* empty or a dotted IPv4 address */
	F_ADDR6, /* empty or an IPv6 address */
	F_HEX,	 /* empty or an even number of hex digits */
};

struct str_field {
	uint16_t off; /* offset inside the payload */
	uint16_t size;
	uint8_t kind;
	char name[24]; /* an array, not a pointer: keeps the table in .rodata */
};

#define V4F(member, kind)                                                  \
	{                                                                  \
		offsetof(struct tern_lease_v4, member),                    \
			sizeof(((struct tern_lease_v4 *)0)->member), kind, \
			"v4." #member                                      \
	}
#define V6F(member, kind)                                                  \
	{                                                                  \
		offsetof(struct tern_lease_v6, member),                    \
			sizeof(((struct tern_lease_v6 *)0)->member), kind, \
			"v6." #member                                      \
	}

/* ifname is checked separately: it must equal the envelope's. */
static const struct str_field v4_strings[] = {
	V4F(address, F_ADDR4),	      V4F(netmask, F_ADDR4),
	V4F(gateway, F_STR),	      V4F(dns_server, F_ADDR4),
	V4F(dns_server1, F_ADDR4),    V4F(time_zone, F_STR),
	V4F(dhcp_server_id, F_ADDR4), V4F(dhcp_state, F_STR),
	V4F(sip_srv, F_STR),	      V4F(static_routes, F_STR),
	V4F(option122, F_HEX),	      V4F(option125, F_HEX),
	V4F(bootfile, F_STR),	      V4F(tftp_server, F_STR),
	V4F(host_name, F_STR),	      V4F(domain_name, F_STR),
	V4F(broadcast, F_ADDR4),      V4F(dns_servers, F_STR),
	V4F(ntp_servers, F_STR),      V4F(domain_search, F_STR),
	V4F(message, F_STR),
};

static const struct str_field v6_strings[] = {
	V6F(dns_servers, F_STR),   V6F(domain_search, F_STR),
	V6F(ntp_servers, F_STR),   V6F(aftr_name, F_STR),
	V6F(server_addr, F_ADDR6),
};

/* Arrays of arrays, not of pointers, so PIC builds keep them read-only. */
static const char v4_events[][10] = {
	[TERN_LEASE_V4_DECONFIG] = "deconfig",
	[TERN_LEASE_V4_BOUND] = "bound",
	[TERN_LEASE_V4_RENEW] = "renew",
	[TERN_LEASE_V4_NAK] = "nak",
	[TERN_LEASE_V4_LEASEFAIL] = "leasefail",
};

static const char v6_events[][8] = {
	[TERN_LEASE_V6_ADD] = "add",
	[TERN_LEASE_V6_UPDATE] = "update",
	[TERN_LEASE_V6_DELETE] = "delete",
	[TERN_LEASE_V6_EXPIRE] = "expire",
};

static const char reason_text[TERN_LEASE_R_MAX_][40] = {
	[TERN_LEASE_OK] = "valid",
	[TERN_LEASE_R_NULL] = "no message buffer",
	[TERN_LEASE_R_SIZE] = "message size unexpected",
	[TERN_LEASE_R_VERSION] = "version is neither 4 nor 6",
	[TERN_LEASE_R_IFNAME_UNTERMINATED] = "ifname not NUL-terminated",
	[TERN_LEASE_R_IFNAME_EMPTY] = "ifname empty",
	[TERN_LEASE_R_IFNAME_TOO_LONG] = "ifname longer than 15 characters",
	[TERN_LEASE_R_IFNAME_CHARSET] = "ifname has invalid characters",
	[TERN_LEASE_R_IFNAME_MISMATCH] = "payload ifname differs from envelope",
	[TERN_LEASE_R_STR_UNTERMINATED] = "string field not NUL-terminated",
	[TERN_LEASE_R_STR_CHARSET] = "string field has control characters",
	[TERN_LEASE_R_ADDRESS] = "address field is not a valid address",
	[TERN_LEASE_R_HEX] = "hex field is not even-length hex",
	[TERN_LEASE_R_BOOL] = "boolean field is neither 0 nor 1",
	[TERN_LEASE_R_FLAGS] = "unknown flag bits set",
	[TERN_LEASE_R_EVENT] = "unknown event",
	[TERN_LEASE_R_STATE] = "dhcp_state does not name the event",
	[TERN_LEASE_R_RANGE] = "numeric field out of range",
	[TERN_LEASE_R_INCONSISTENT] = "fields contradict each other",
	[TERN_LEASE_R_PAD] = "pad field not zero",
	[TERN_LEASE_R_RAW_LEN] = "raw option length exceeds its buffer",
	[TERN_LEASE_R_TLV_LEN] = "option area length exceeds its buffer",
	[TERN_LEASE_R_TLV_OVERRUN] = "option runs past the option area",
	[TERN_LEASE_R_TLV_CODE] = "option code out of range",
	[TERN_LEASE_R_TLV_COUNT] = "option count does not match the area",
};

const char *tern_lease_reason_str(enum tern_lease_reason reason)
{
	if ((unsigned)reason >= TERN_LEASE_R_MAX_ || !reason_text[reason][0])
		return "unknown reason";
	return reason_text[reason];
}

const char *tern_lease_v4_event_name(uint8_t event)
{
	if (event >= sizeof(v4_events) / sizeof(v4_events[0]) ||
	    !v4_events[event][0])
		return NULL;
	return v4_events[event];
}

const char *tern_lease_v6_event_name(uint8_t event)
{
	if (event >= sizeof(v6_events) / sizeof(v6_events[0]) ||
	    !v6_events[event][0])
		return NULL;
	return v6_events[event];
}

/* Length of s if NUL-terminated within n bytes, else -1. */
static int bounded_len(const char *s, size_t n)
{
	const char *nul = memchr(s, '\0', n);

	return nul ? (int)(nul - s) : -1;
}

static bool ifname_char(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-' ||
	       c == '@';
}

/*
 * The kernel accepts almost any byte in a name; tern takes a conservative
 * subset so that names are safe in logs, paths and hook environments.
 */
static enum tern_lease_reason ifname_reason(const char *name, size_t size)
{
	int n = bounded_len(name, size);

	if (n < 0)
		return TERN_LEASE_R_IFNAME_UNTERMINATED;
	if (n == 0)
		return TERN_LEASE_R_IFNAME_EMPTY;
	if (n > TERN_LEASE_IFNAME_MAX)
		return TERN_LEASE_R_IFNAME_TOO_LONG;
	if (!strcmp(name, ".") || !strcmp(name, ".."))
		return TERN_LEASE_R_IFNAME_CHARSET;
	for (int i = 0; i < n; i++)
		if (!ifname_char((unsigned char)name[i]))
			return TERN_LEASE_R_IFNAME_CHARSET;
	return TERN_LEASE_OK;
}

int tern_lease_ifname_valid(const char *name)
{
	if (!name)
		return 0;
	/* One byte more than allowed so an over-long name is seen as such. */
	return ifname_reason(name, strnlen(name, TERN_LEASE_IFNAME_MAX + 1) +
					   1) == TERN_LEASE_OK;
}

int tern_lease_msg_init(struct tern_lease_msg *m, uint32_t version,
			const char *ifname)
{
	if (!m || (version != TERN_LEASE_V4 && version != TERN_LEASE_V6) ||
	    !tern_lease_ifname_valid(ifname))
		return -EINVAL;
	memset(m, 0, sizeof(*m));
	m->version = version;
	/* Both copies fit: the name has at most 15 characters. */
	memcpy(m->ifname, ifname, strlen(ifname));
	if (version == TERN_LEASE_V4)
		memcpy(m->data.v4.ifname, ifname, strlen(ifname));
	else
		memcpy(m->data.v6.ifname, ifname, strlen(ifname));
	return 0;
}

int tern_lease_set_str(char *dst, size_t dst_size, const char *src)
{
	size_t n;

	if (!dst || !src || dst_size == 0)
		return -EINVAL;
	n = strnlen(src, dst_size);
	if (n >= dst_size)
		return -ENOBUFS;
	memcpy(dst, src, n);
	dst[n] = '\0';
	return (int)n;
}

static int tlv_add(uint8_t *area, uint16_t *used, uint16_t *count,
		   uint16_t code, const void *data, size_t len)
{
	size_t room = TERN_LEASE_TLV_LEN - *used;

	if ((len && !data) || len > UINT16_MAX)
		return -EINVAL;
	if (room < TERN_LEASE_TLV_HDR || len > room - TERN_LEASE_TLV_HDR)
		return -ENOBUFS;
	area += *used;
	area[0] = (uint8_t)(code >> 8);
	area[1] = (uint8_t)code;
	area[2] = (uint8_t)(len >> 8);
	area[3] = (uint8_t)len;
	if (len)
		memcpy(area + TERN_LEASE_TLV_HDR, data, len);
	*used = (uint16_t)(*used + TERN_LEASE_TLV_HDR + len);
	(*count)++;
	return 0;
}

int tern_lease_v4_add_option(struct tern_lease_v4 *v4, uint8_t code,
			     const void *data, size_t len)
{
	/* 0 and 255 are Pad and End: they never carry data. */
	if (!v4 || code == 0 || code == 255 || v4->tlv_len > TERN_LEASE_TLV_LEN)
		return -EINVAL;
	return tlv_add(v4->tlv, &v4->tlv_len, &v4->tlv_count, code, data, len);
}

int tern_lease_v6_add_option(struct tern_lease_v6 *v6, uint16_t code,
			     const void *data, size_t len)
{
	if (!v6 || code == 0 || v6->tlv_len > TERN_LEASE_TLV_LEN)
		return -EINVAL;
	return tlv_add(v6->tlv, &v6->tlv_len, &v6->tlv_count, code, data, len);
}

int tern_lease_tlv_next(const uint8_t *area, size_t len, size_t *off,
			uint16_t *ret_code, const uint8_t **ret_data,
			uint16_t *ret_len)
{
	size_t o, dlen;

	if (!area || !off || !ret_code || !ret_data || !ret_len)
		return -EINVAL;
	o = *off;
	if (o >= len)
		return 0;
	if (len - o < TERN_LEASE_TLV_HDR)
		return -EBADMSG;
	dlen = (size_t)area[o + 2] << 8 | area[o + 3];
	if (dlen > len - o - TERN_LEASE_TLV_HDR)
		return -EBADMSG;
	*ret_code = (uint16_t)(area[o] << 8 | area[o + 1]);
	*ret_len = (uint16_t)dlen;
	*ret_data = area + o + TERN_LEASE_TLV_HDR;
	*off = o + TERN_LEASE_TLV_HDR + dlen;
	return 1;
}

/* ---- validation ---- */

struct check {
	struct tern_lease_verdict *v;
	size_t base; /* payload offset inside the message */
};

static int reason_errno(enum tern_lease_reason r)
{
	switch (r) {
	case TERN_LEASE_OK:
		return 0;
	case TERN_LEASE_R_NULL:
		return -EINVAL;
	case TERN_LEASE_R_SIZE:
	case TERN_LEASE_R_RAW_LEN:
	case TERN_LEASE_R_TLV_LEN:
		return -EMSGSIZE;
	case TERN_LEASE_R_VERSION:
		return -EPROTO;
	case TERN_LEASE_R_BOOL:
	case TERN_LEASE_R_FLAGS:
	case TERN_LEASE_R_EVENT:
	case TERN_LEASE_R_RANGE:
	case TERN_LEASE_R_TLV_CODE:
		return -ERANGE;
	default:
		return -EBADMSG;
	}
}

/* Record the verdict; off is relative to the current payload. */
static int fail(struct check *c, enum tern_lease_reason r, size_t off,
		const char *field)
{
	if (c->v) {
		c->v->reason = r;
		c->v->offset = (uint32_t)(c->base + off);
		c->v->field = field;
	}
	return reason_errno(r);
}

static bool is_hex(unsigned char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') ||
	       (c >= 'A' && c <= 'F');
}

static enum tern_lease_reason str_reason(const char *s, size_t size,
					 enum field_kind kind)
{
	unsigned char buf[sizeof(struct in6_addr)];
	int n = bounded_len(s, size);

	if (n < 0)
		return TERN_LEASE_R_STR_UNTERMINATED;
	/* Control characters would forge log lines and hook variables. */
	for (int i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)s[i];
		if (ch < 0x20 || ch == 0x7f)
			return TERN_LEASE_R_STR_CHARSET;
	}
	if (n == 0)
		return TERN_LEASE_OK;
	switch (kind) {
	case F_ADDR4:
		return inet_pton(AF_INET, s, buf) == 1 ? TERN_LEASE_OK
						       : TERN_LEASE_R_ADDRESS;
	case F_ADDR6:
		return inet_pton(AF_INET6, s, buf) == 1 ? TERN_LEASE_OK
							: TERN_LEASE_R_ADDRESS;
	case F_HEX:
		if (n % 2)
			return TERN_LEASE_R_HEX;
		for (int i = 0; i < n; i++)
			if (!is_hex((unsigned char)s[i]))
				return TERN_LEASE_R_HEX;
		return TERN_LEASE_OK;
	case F_STR:
		break;
	}
	return TERN_LEASE_OK;
}

static int check_strings(struct check *c, const void *payload,
			 const struct str_field *t, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const char *s = (const char *)payload + t[i].off;
		enum tern_lease_reason r = str_reason(s, t[i].size, t[i].kind);
		if (r != TERN_LEASE_OK)
			return fail(c, r, t[i].off, t[i].name);
	}
	return 0;
}

static bool all_zero(const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i])
			return false;
	return true;
}

static int check_tlv(struct check *c, const uint8_t *area, uint16_t len,
		     uint16_t count, unsigned max_code, size_t area_off,
		     size_t len_off, const char *name)
{
	size_t off = 0;
	unsigned seen = 0;
	uint16_t code, dlen;
	const uint8_t *data;
	int r;

	if (len > TERN_LEASE_TLV_LEN)
		return fail(c, TERN_LEASE_R_TLV_LEN, len_off, name);
	while ((r = tern_lease_tlv_next(area, len, &off, &code, &data,
					&dlen)) == 1) {
		if (code == 0 || code > max_code)
			return fail(c, TERN_LEASE_R_TLV_CODE,
				    area_off + off - TERN_LEASE_TLV_HDR - dlen,
				    name);
		seen++;
	}
	if (r < 0)
		return fail(c, TERN_LEASE_R_TLV_OVERRUN, area_off + off, name);
	if (seen != count)
		return fail(c, TERN_LEASE_R_TLV_COUNT, len_off, name);
	return 0;
}

#define CHECK_BOOL(c, p, type, pfx, member)                               \
	do {                                                              \
		if ((p)->member > 1)                                      \
			return fail((c), TERN_LEASE_R_BOOL,               \
				    offsetof(type, member), pfx #member); \
	} while (0)

/* Events fix the two flags so the manager never has to guess. */
static int check_v4_state(struct check *c, const struct tern_lease_v4 *v4)
{
	const char *name = tern_lease_v4_event_name(v4->event);
	bool assigned = false, expired = false;

	if (!name)
		return fail(c, TERN_LEASE_R_EVENT,
			    offsetof(struct tern_lease_v4, event), "v4.event");
	if (strcmp(v4->dhcp_state, name) != 0)
		return fail(c, TERN_LEASE_R_STATE,
			    offsetof(struct tern_lease_v4, dhcp_state),
			    "v4.dhcp_state");
	switch (v4->event) {
	case TERN_LEASE_V4_BOUND:
	case TERN_LEASE_V4_RENEW:
		assigned = true;
		break;
	case TERN_LEASE_V4_DECONFIG:
	case TERN_LEASE_V4_LEASEFAIL:
		expired = true;
		break;
	default: /* nak: recorded, the deconfig that follows expires it */
		break;
	}
	if (v4->address_assigned != assigned || v4->is_expired != expired)
		return fail(c, TERN_LEASE_R_INCONSISTENT,
			    offsetof(struct tern_lease_v4, address_assigned),
			    "v4.address_assigned");
	if (assigned && !v4->address[0])
		return fail(c, TERN_LEASE_R_INCONSISTENT,
			    offsetof(struct tern_lease_v4, address),
			    "v4.address");
	return 0;
}

static int check_v4(struct check *c, const struct tern_lease_v4 *v4,
		    const char *env_ifname)
{
	typedef struct tern_lease_v4 T;
	int r;

	CHECK_BOOL(c, v4, T, "v4.", address_assigned);
	CHECK_BOOL(c, v4, T, "v4.", is_expired);
	CHECK_BOOL(c, v4, T, "v4.", time_offset_assigned);
	CHECK_BOOL(c, v4, T, "v4.", mtu_assigned);
	CHECK_BOOL(c, v4, T, "v4.", option122_assigned);
	CHECK_BOOL(c, v4, T, "v4.", option125_assigned);
	if (!all_zero(v4->pad0, sizeof(v4->pad0)))
		return fail(c, TERN_LEASE_R_PAD, offsetof(T, pad0), "v4.pad0");
	if (v4->pad1)
		return fail(c, TERN_LEASE_R_PAD, offsetof(T, pad1), "v4.pad1");
	if (!all_zero(v4->pad2, sizeof(v4->pad2)))
		return fail(c, TERN_LEASE_R_PAD, offsetof(T, pad2), "v4.pad2");
	if (v4->flags & ~TERN_LEASE_V4_FLAGS)
		return fail(c, TERN_LEASE_R_FLAGS, offsetof(T, flags),
			    "v4.flags");
	if (bounded_len(v4->ifname, sizeof(v4->ifname)) < 0)
		return fail(c, TERN_LEASE_R_STR_UNTERMINATED,
			    offsetof(T, ifname), "v4.ifname");
	if (strcmp(v4->ifname, env_ifname) != 0)
		return fail(c, TERN_LEASE_R_IFNAME_MISMATCH,
			    offsetof(T, ifname), "v4.ifname");
	r = check_strings(c, v4, v4_strings,
			  sizeof(v4_strings) / sizeof(v4_strings[0]));
	if (r < 0)
		return r;
	r = check_v4_state(c, v4);
	if (r < 0)
		return r;
	if (v4->prefix_len > 32)
		return fail(c, TERN_LEASE_R_RANGE, offsetof(T, prefix_len),
			    "v4.prefix_len");
	/* Real zones are within UTC-12..UTC+14; a day is a generous bound. */
	if (v4->time_offset < -86400 || v4->time_offset > 86400)
		return fail(c, TERN_LEASE_R_RANGE, offsetof(T, time_offset),
			    "v4.time_offset");
	if (!v4->time_offset_assigned && v4->time_offset)
		return fail(c, TERN_LEASE_R_INCONSISTENT,
			    offsetof(T, time_offset), "v4.time_offset");
	/* RFC 2132 §5.1: the MTU option's minimum is 68. */
	if (v4->mtu_assigned ? v4->mtu_size < 68 : v4->mtu_size != 0)
		return fail(c, TERN_LEASE_R_RANGE, offsetof(T, mtu_size),
			    "v4.mtu_size");
	if (v4->option122_assigned != (v4->option122[0] != '\0'))
		return fail(c, TERN_LEASE_R_INCONSISTENT,
			    offsetof(T, option122_assigned),
			    "v4.option122_assigned");
	if (v4->option125_assigned != (v4->option125[0] != '\0'))
		return fail(c, TERN_LEASE_R_INCONSISTENT,
			    offsetof(T, option125_assigned),
			    "v4.option125_assigned");
	return check_tlv(c, v4->tlv, v4->tlv_len, v4->tlv_count, 254,
			 offsetof(T, tlv), offsetof(T, tlv_len), "v4.tlv");
}

/*
 * Shared by IA_NA and IA_PD entries: flags, withdrawn consistency and the
 * RFC 8415 §21.6 rule that preferred must not exceed valid.
 */
static int check_ia(struct check *c, size_t off, uint8_t assigned,
		    uint8_t flags, const char *addr, uint32_t preferred,
		    uint32_t valid, const char *name)
{
	enum tern_lease_reason r;

	if (assigned > 1)
		return fail(c, TERN_LEASE_R_BOOL, off, name);
	if (flags & ~TERN_LEASE_IA_FLAGS)
		return fail(c, TERN_LEASE_R_FLAGS, off + 1, name);
	r = str_reason(addr, TERN_LEASE_ADDR6_LEN, F_ADDR6);
	if (r != TERN_LEASE_OK)
		return fail(c, r, off + 4, name);
	if (preferred > valid)
		return fail(c, TERN_LEASE_R_RANGE, off + 64, name);
	if (assigned && !addr[0])
		return fail(c, TERN_LEASE_R_INCONSISTENT, off + 4, name);
	if ((flags & TERN_LEASE_IA_F_WITHDRAWN) &&
	    (assigned || valid || !addr[0]))
		return fail(c, TERN_LEASE_R_INCONSISTENT, off + 1, name);
	return 0;
}

static int check_v6(struct check *c, const struct tern_lease_v6 *v6,
		    const char *env_ifname)
{
	typedef struct tern_lease_v6 T;
	bool withdrawn = false;
	const char *name;
	int r;

	CHECK_BOOL(c, v6, T, "v6.", is_expired);
	if (!all_zero(v6->pad0, sizeof(v6->pad0)))
		return fail(c, TERN_LEASE_R_PAD, offsetof(T, pad0), "v6.pad0");
	if (v6->pad1)
		return fail(c, TERN_LEASE_R_PAD, offsetof(T, pad1), "v6.pad1");
	if (v6->flags & ~TERN_LEASE_V6_FLAGS)
		return fail(c, TERN_LEASE_R_FLAGS, offsetof(T, flags),
			    "v6.flags");
	if (bounded_len(v6->ifname, sizeof(v6->ifname)) < 0)
		return fail(c, TERN_LEASE_R_STR_UNTERMINATED,
			    offsetof(T, ifname), "v6.ifname");
	if (strcmp(v6->ifname, env_ifname) != 0)
		return fail(c, TERN_LEASE_R_IFNAME_MISMATCH,
			    offsetof(T, ifname), "v6.ifname");
	for (int i = 0; i < TERN_LEASE_V6_MAX_IA; i++) {
		const struct tern_lease_ia_na *na = &v6->ia_na[i];
		const struct tern_lease_ia_pd *pd = &v6->ia_pd[i];
		size_t na_off = offsetof(T, ia_na) + i * sizeof(*na);
		size_t pd_off = offsetof(T, ia_pd) + i * sizeof(*pd);

		if (!all_zero(na->pad, sizeof(na->pad)))
			return fail(c, TERN_LEASE_R_PAD, na_off + 2,
				    "v6.ia_na.pad");
		r = check_ia(c, na_off, na->assigned, na->flags, na->address,
			     na->preferred, na->valid, "v6.ia_na");
		if (r < 0)
			return r;
		if (pd->pad)
			return fail(c, TERN_LEASE_R_PAD, pd_off + 3,
				    "v6.ia_pd.pad");
		r = check_ia(c, pd_off, pd->assigned, pd->flags, pd->prefix,
			     pd->preferred, pd->valid, "v6.ia_pd");
		if (r < 0)
			return r;
		if (pd->prefix_len > 128 || (pd->assigned && !pd->prefix_len))
			return fail(c, TERN_LEASE_R_RANGE, pd_off + 2,
				    "v6.ia_pd.prefix_len");
		if (pd->flags & TERN_LEASE_IA_F_WITHDRAWN)
			withdrawn = true;
	}
	r = check_strings(c, v6, v6_strings,
			  sizeof(v6_strings) / sizeof(v6_strings[0]));
	if (r < 0)
		return r;
	name = tern_lease_v6_event_name(v6->event);
	if (!name)
		return fail(c, TERN_LEASE_R_EVENT, offsetof(T, event),
			    "v6.event");
	/* A replacement carries the withdrawn prefix it announces. */
	if ((v6->flags & TERN_LEASE_F_PD_REPLACE) && !withdrawn)
		return fail(c, TERN_LEASE_R_INCONSISTENT, offsetof(T, flags),
			    "v6.flags");
	switch (v6->event) {
	case TERN_LEASE_V6_ADD:
	case TERN_LEASE_V6_UPDATE:
		r = v6->is_expired == 0;
		break;
	case TERN_LEASE_V6_EXPIRE:
		r = v6->is_expired == 1;
		break;
	default: /* delete: a loss unless it is a prefix replacement */
		r = v6->is_expired == !(v6->flags & TERN_LEASE_F_PD_REPLACE);
		break;
	}
	if (!r)
		return fail(c, TERN_LEASE_R_INCONSISTENT,
			    offsetof(T, is_expired), "v6.is_expired");
	if (v6->mapt_len > TERN_LEASE_RAW_LEN)
		return fail(c, TERN_LEASE_R_RAW_LEN, offsetof(T, mapt_len),
			    "v6.mapt_len");
	if (v6->mape_len > TERN_LEASE_RAW_LEN)
		return fail(c, TERN_LEASE_R_RAW_LEN, offsetof(T, mape_len),
			    "v6.mape_len");
	if (v6->vendor_len > TERN_LEASE_RAW_LEN)
		return fail(c, TERN_LEASE_R_RAW_LEN, offsetof(T, vendor_len),
			    "v6.vendor_len");
	return check_tlv(c, v6->tlv, v6->tlv_len, v6->tlv_count, UINT16_MAX,
			 offsetof(T, tlv), offsetof(T, tlv_len), "v6.tlv");
}

int tern_lease_msg_check(const void *buf, size_t len,
			 struct tern_lease_verdict *ret)
{
	/* A private aligned copy: buf may be any nn_recv buffer. */
	struct tern_lease_msg m;
	struct check c = {.v = ret, .base = 0};
	enum tern_lease_reason r;

	if (ret) {
		ret->reason = TERN_LEASE_OK;
		ret->offset = 0;
		ret->field = "";
	}
	if (!buf)
		return fail(&c, TERN_LEASE_R_NULL, 0, "");
	if (len != sizeof(m))
		return fail(&c, TERN_LEASE_R_SIZE, 0, "");
	memcpy(&m, buf, sizeof(m));
	if (m.version != TERN_LEASE_V4 && m.version != TERN_LEASE_V6)
		return fail(&c, TERN_LEASE_R_VERSION,
			    offsetof(struct tern_lease_msg, version),
			    "version");
	r = ifname_reason(m.ifname, sizeof(m.ifname));
	if (r != TERN_LEASE_OK)
		return fail(&c, r, 0, "ifname");
	c.base = offsetof(struct tern_lease_msg, data);
	if (m.version == TERN_LEASE_V4)
		return check_v4(&c, &m.data.v4, m.ifname);
	return check_v6(&c, &m.data.v6, m.ifname);
}

int tern_lease_msg_validate(const void *buf, size_t len)
{
	return tern_lease_msg_check(buf, len, NULL);
}
