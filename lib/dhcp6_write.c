/* DHCPv6 encoding: forward-only writer, containers, relay-reply wrapping. */
#include <errno.h>
#include <string.h>

#include <tern/dhcp6.h>

static void wr16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void wr32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

static int fail(struct tern_dhcp6_writer *w, int err)
{
	if (!w->err)
		w->err = err;
	return w->err;
}

/* Room for n more bytes, or a sticky -ENOBUFS. */
static int room(struct tern_dhcp6_writer *w, size_t n)
{
	if (w->err)
		return w->err;
	if (n > w->cap - w->pos)
		return fail(w, -ENOBUFS);
	return 0;
}

int tern_dhcp6_writer_init(struct tern_dhcp6_writer *w, uint8_t *buf,
			   size_t cap)
{
	if (!w || (!buf && cap))
		return -EINVAL;
	memset(w, 0, sizeof(*w));
	w->buf = buf;
	/* Option lengths are 16 bits: a larger message cannot be framed. */
	w->cap = cap > TERN_DHCP6_MAX_LEN ? TERN_DHCP6_MAX_LEN : cap;
	return 0;
}

int tern_dhcp6_write_header(struct tern_dhcp6_writer *w, uint8_t type,
			    uint32_t xid)
{
	int r;

	if (xid > TERN_DHCP6_XID_MAX || type == TERN_DHCP6_RELAY_FORW ||
	    type == TERN_DHCP6_RELAY_REPL)
		return fail(w, -EINVAL);
	r = room(w, TERN_DHCP6_HDR_LEN);
	if (r < 0)
		return r;
	w->buf[w->pos] = type;
	w->buf[w->pos + 1] = (uint8_t)(xid >> 16);
	w->buf[w->pos + 2] = (uint8_t)(xid >> 8);
	w->buf[w->pos + 3] = (uint8_t)xid;
	w->pos += TERN_DHCP6_HDR_LEN;
	return 0;
}

int tern_dhcp6_write_relay_header(struct tern_dhcp6_writer *w, uint8_t type,
				  uint8_t hop_count,
				  const struct in6_addr *link_addr,
				  const struct in6_addr *peer_addr)
{
	int r;

	if (!link_addr || !peer_addr ||
	    (type != TERN_DHCP6_RELAY_FORW && type != TERN_DHCP6_RELAY_REPL))
		return fail(w, -EINVAL);
	r = room(w, TERN_DHCP6_RELAY_HDR_LEN);
	if (r < 0)
		return r;
	w->buf[w->pos] = type;
	w->buf[w->pos + 1] = hop_count;
	memcpy(w->buf + w->pos + 2, link_addr, 16);
	memcpy(w->buf + w->pos + 18, peer_addr, 16);
	w->pos += TERN_DHCP6_RELAY_HDR_LEN;
	return 0;
}

uint8_t *tern_dhcp6_put_reserve(struct tern_dhcp6_writer *w, uint16_t code,
				uint16_t len)
{
	uint8_t *p;

	if (room(w, TERN_DHCP6_OPT_HDR_LEN + (size_t)len) < 0)
		return NULL;
	p = w->buf + w->pos;
	wr16(p, code);
	wr16(p + 2, len);
	w->pos += TERN_DHCP6_OPT_HDR_LEN + (size_t)len;
	return p + TERN_DHCP6_OPT_HDR_LEN;
}

int tern_dhcp6_put(struct tern_dhcp6_writer *w, uint16_t code, const void *data,
		   size_t len)
{
	uint8_t *p;

	if (len > UINT16_MAX || (!data && len))
		return fail(w, -EINVAL);
	p = tern_dhcp6_put_reserve(w, code, (uint16_t)len);
	if (!p)
		return w->err;
	if (len)
		memcpy(p, data, len);
	return 0;
}

int tern_dhcp6_put_bytes(struct tern_dhcp6_writer *w, const void *data,
			 size_t len)
{
	int r;

	if (!data && len)
		return fail(w, -EINVAL);
	r = room(w, len);
	if (r < 0)
		return r;
	if (len)
		memcpy(w->buf + w->pos, data, len);
	w->pos += len;
	return 0;
}

int tern_dhcp6_put_empty(struct tern_dhcp6_writer *w, uint16_t code)
{
	return tern_dhcp6_put(w, code, NULL, 0);
}

int tern_dhcp6_put_u8(struct tern_dhcp6_writer *w, uint16_t code, uint8_t v)
{
	return tern_dhcp6_put(w, code, &v, 1);
}

int tern_dhcp6_put_u16(struct tern_dhcp6_writer *w, uint16_t code, uint16_t v)
{
	uint8_t b[2];

	wr16(b, v);
	return tern_dhcp6_put(w, code, b, sizeof(b));
}

int tern_dhcp6_put_u32(struct tern_dhcp6_writer *w, uint16_t code, uint32_t v)
{
	uint8_t b[4];

	wr32(b, v);
	return tern_dhcp6_put(w, code, b, sizeof(b));
}

int tern_dhcp6_put_addrs(struct tern_dhcp6_writer *w, uint16_t code,
			 const struct in6_addr *a, size_t n)
{
	if (!a || n == 0 || n > UINT16_MAX / 16)
		return fail(w, -EINVAL);
	return tern_dhcp6_put(w, code, a, n * 16);
}

int tern_dhcp6_put_oro(struct tern_dhcp6_writer *w, const uint16_t *codes,
		       size_t n)
{
	uint8_t *p;

	if ((!codes && n) || n > UINT16_MAX / 2)
		return fail(w, -EINVAL);
	p = tern_dhcp6_put_reserve(w, TERN_DHCP6_OPT_ORO, (uint16_t)(n * 2));
	if (!p)
		return w->err;
	for (size_t i = 0; i < n; i++)
		wr16(p + 2 * i, codes[i]);
	return 0;
}

int tern_dhcp6_put_status(struct tern_dhcp6_writer *w, uint16_t status,
			  const char *msg)
{
	size_t mlen = msg ? strlen(msg) : 0;
	uint8_t *p;

	if (mlen > UINT16_MAX - 2)
		return fail(w, -EINVAL);
	p = tern_dhcp6_put_reserve(w, TERN_DHCP6_OPT_STATUS_CODE,
				   (uint16_t)(mlen + 2));
	if (!p)
		return w->err;
	wr16(p, status);
	if (mlen)
		memcpy(p + 2, msg, mlen);
	return 0;
}

static bool label_byte_ok(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '-' || c == '_';
}

/* Wire length of a dotted name, or -EINVAL. */
static int name_wire_len(const char *s)
{
	size_t n = strlen(s), wire = 1, label = 0;

	if (n > 0 && s[n - 1] == '.')
		n--;
	if (n == 0)
		return -EINVAL;
	for (size_t i = 0; i <= n; i++) {
		if (i == n || s[i] == '.') {
			if (label == 0 || label > 63)
				return -EINVAL;
			wire += 1 + label;
			label = 0;
		} else if (!label_byte_ok(s[i])) {
			return -EINVAL;
		} else {
			label++;
		}
	}
	return wire > 255 ? -EINVAL : (int)wire;
}

static void name_wire(uint8_t *p, const char *s)
{
	size_t len_at = 0, o = 1;

	for (; *s; s++) {
		if (*s == '.') {
			p[len_at] = (uint8_t)(o - len_at - 1);
			len_at = o++;
		} else {
			p[o++] = (uint8_t)*s;
		}
	}
	if (o - len_at - 1 > 0) {
		p[len_at] = (uint8_t)(o - len_at - 1);
		p[o] = 0;
	} else {
		p[len_at] = 0; /* the name had a trailing dot */
	}
}

int tern_dhcp6_put_names(struct tern_dhcp6_writer *w, uint16_t code,
			 const char *const *names, size_t n)
{
	size_t total = 0;
	uint8_t *p;
	int r;

	if (!names || n == 0)
		return fail(w, -EINVAL);
	for (size_t i = 0; i < n; i++) {
		if (!names[i])
			return fail(w, -EINVAL);
		r = name_wire_len(names[i]);
		if (r < 0)
			return fail(w, r);
		total += (size_t)r;
		if (total > UINT16_MAX)
			return fail(w, -EINVAL);
	}
	p = tern_dhcp6_put_reserve(w, code, (uint16_t)total);
	if (!p)
		return w->err;
	for (size_t i = 0; i < n; i++) {
		name_wire(p, names[i]);
		p += name_wire_len(names[i]);
	}
	return 0;
}

int tern_dhcp6_begin(struct tern_dhcp6_writer *w, uint16_t code)
{
	int r;

	if (w->err)
		return w->err;
	if (w->depth >= TERN_DHCP6_W_MAX_DEPTH)
		return fail(w, -ELOOP);
	r = room(w, TERN_DHCP6_OPT_HDR_LEN);
	if (r < 0)
		return r;
	wr16(w->buf + w->pos, code);
	wr16(w->buf + w->pos + 2, 0);
	/* pos <= cap <= 65535, so it fits. */
	w->open[w->depth++] = (uint16_t)w->pos;
	w->pos += TERN_DHCP6_OPT_HDR_LEN;
	return 0;
}

int tern_dhcp6_end(struct tern_dhcp6_writer *w)
{
	size_t at;

	if (w->err)
		return w->err;
	if (w->depth == 0)
		return fail(w, -EINVAL);
	at = w->open[--w->depth];
	/* Content is at most cap - 4 < 65535 bytes. */
	wr16(w->buf + at + 2, (uint16_t)(w->pos - at - TERN_DHCP6_OPT_HDR_LEN));
	return 0;
}

int tern_dhcp6_begin_ia(struct tern_dhcp6_writer *w, uint16_t code,
			uint32_t iaid, uint32_t t1, uint32_t t2)
{
	uint8_t b[12];
	int r;

	if (code != TERN_DHCP6_OPT_IA_NA && code != TERN_DHCP6_OPT_IA_TA &&
	    code != TERN_DHCP6_OPT_IA_PD)
		return fail(w, -EINVAL);
	wr32(b, iaid);
	wr32(b + 4, t1);
	wr32(b + 8, t2);
	r = tern_dhcp6_begin(w, code);
	if (r < 0)
		return r;
	return tern_dhcp6_put_bytes(w, b,
				    code == TERN_DHCP6_OPT_IA_TA ? 4 : 12);
}

int tern_dhcp6_begin_iaaddr(struct tern_dhcp6_writer *w,
			    const struct in6_addr *addr, uint32_t preferred,
			    uint32_t valid)
{
	uint8_t b[24];
	int r;

	if (!addr)
		return fail(w, -EINVAL);
	memcpy(b, addr, 16);
	wr32(b + 16, preferred);
	wr32(b + 20, valid);
	r = tern_dhcp6_begin(w, TERN_DHCP6_OPT_IAADDR);
	if (r < 0)
		return r;
	return tern_dhcp6_put_bytes(w, b, sizeof(b));
}

int tern_dhcp6_begin_iaprefix(struct tern_dhcp6_writer *w, uint32_t preferred,
			      uint32_t valid, uint8_t plen,
			      const struct in6_addr *prefix)
{
	uint8_t b[25];
	int r;

	if (!prefix || plen > 128)
		return fail(w, -EINVAL);
	wr32(b, preferred);
	wr32(b + 4, valid);
	b[8] = plen;
	memcpy(b + 9, prefix, 16);
	r = tern_dhcp6_begin(w, TERN_DHCP6_OPT_IAPREFIX);
	if (r < 0)
		return r;
	return tern_dhcp6_put_bytes(w, b, sizeof(b));
}

int tern_dhcp6_begin_relay_reply(struct tern_dhcp6_writer *w,
				 const struct tern_dhcp6_relay *r)
{
	int e;

	if (!r || (r->interface_id_len && !r->interface_id))
		return fail(w, -EINVAL);
	e = tern_dhcp6_write_relay_header(w, TERN_DHCP6_RELAY_REPL,
					  r->hop_count, &r->link_addr,
					  &r->peer_addr);
	if (e < 0)
		return e;
	if (r->interface_id) {
		e = tern_dhcp6_put(w, TERN_DHCP6_OPT_INTERFACE_ID,
				   r->interface_id, r->interface_id_len);
		if (e < 0)
			return e;
	}
	return tern_dhcp6_begin(w, TERN_DHCP6_OPT_RELAY_MSG);
}

int tern_dhcp6_writer_finish(struct tern_dhcp6_writer *w)
{
	while (!w->err && w->depth > 0)
		tern_dhcp6_end(w);
	if (w->err)
		return w->err;
	return (int)w->pos;
}
