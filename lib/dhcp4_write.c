/* DHCPv4 encoding: forward-only option writer with overload and RFC 3396
 * splitting. */
#include <errno.h>
#include <string.h>

#include <tern/dhcp4.h>

#include "wire.h"

enum area { AREA_MAIN = 0, AREA_FILE = 1, AREA_SNAME = 2 };

/* Space each overload area keeps for its End option. */
#define FILE_USABLE  (TERN_DHCP4_FILE_LEN - 1)
#define SNAME_USABLE (TERN_DHCP4_SNAME_LEN - 1)

static int fail(struct tern_dhcp4_writer *w, int err)
{
	if (!w->err)
		w->err = err;
	return w->err;
}

int tern_dhcp4_writer_init(struct tern_dhcp4_writer *w, uint8_t *buf,
			   size_t cap, size_t limit, unsigned flags)
{
	size_t end;

	if (!w)
		return -EINVAL;
	/* Field by field: the area maps are only zeroed on first spill. */
	w->buf = NULL;
	w->cap = 0;
	w->end = 0;
	w->file_pos = 0;
	w->sname_pos = 0;
	w->flags = 0;
	w->open_area = 0;
	w->spilled = false;
	w->open_len = 0;
	w->err = 0;
	w->pos = 0;
	if (!buf)
		return fail(w, -EINVAL);
	end = limit && limit < cap ? limit : cap;
	if (end > TERN_DHCP4_MAX_LEN)
		end = TERN_DHCP4_MAX_LEN;
	w->buf = buf;
	w->cap = cap;
	w->flags = (uint8_t)(flags & TERN_DHCP4_W_OVERLOAD);
	w->pos = TERN_DHCP4_OPTS_OFF;
	/* The main area always keeps room for End, and for option 52 when
	 * overload may be needed. */
	if (end < TERN_DHCP4_OPTS_OFF + 1 + (w->flags ? 3u : 0u))
		return fail(w, -ENOBUFS);
	w->end = end - 1 - (w->flags ? 3 : 0);
	tern__wr32(buf + TERN_DHCP4_HDR_LEN, TERN_DHCP4_COOKIE);
	return 0;
}

/*
 * Reserve 2 + len bytes for one option instance in the first area at or
 * after *area that has room; write its code and length. Returns a pointer
 * to the data bytes, or NULL (error set).
 */
static bool has_bit(const uint64_t *map, uint8_t code)
{
	return (map[code >> 6] >> (code & 63)) & 1;
}

static void set_bit(uint64_t *map, uint8_t code)
{
	map[code >> 6] |= UINT64_C(1) << (code & 63);
}

static uint8_t *place(struct tern_dhcp4_writer *w, uint8_t code, uint8_t len,
		      int *area)
{
	size_t need = 2 + (size_t)len;
	uint8_t *p;

	/* An earlier part of this code sits in file or sname: stay there or
	 * later, so the parts concatenate in order. */
	if (w->spilled) {
		if (has_bit(w->in_sname, code))
			*area = AREA_SNAME;
		else if (has_bit(w->in_file, code) && *area < AREA_FILE)
			*area = AREA_FILE;
	}
	if (*area == AREA_MAIN && w->pos + need <= w->end) {
		p = w->buf + w->pos;
		w->pos += need;
		goto out;
	}
	if (!w->flags) {
		fail(w, -ENOBUFS);
		return NULL;
	}
	if (!w->spilled) {
		memset(w->in_file, 0, sizeof(w->in_file));
		memset(w->in_sname, 0, sizeof(w->in_sname));
		w->spilled = true;
	}
	if (*area <= AREA_FILE && w->file_pos + need <= FILE_USABLE) {
		p = w->buf + TERN_DHCP4_FILE_OFF + w->file_pos;
		w->file_pos = (uint16_t)(w->file_pos + need);
		*area = AREA_FILE;
		set_bit(w->in_file, code);
		goto out;
	}
	if (w->sname_pos + need <= SNAME_USABLE) {
		p = w->buf + TERN_DHCP4_SNAME_OFF + w->sname_pos;
		w->sname_pos = (uint16_t)(w->sname_pos + need);
		*area = AREA_SNAME;
		set_bit(w->in_sname, code);
		goto out;
	}
	fail(w, -ENOBUFS);
	return NULL;
out:
	p[0] = code;
	p[1] = len;
	return p + 2;
}

static bool writable(struct tern_dhcp4_writer *w)
{
	if (w->err)
		return false;
	if (w->open_area) {
		fail(w, -EINVAL);
		return false;
	}
	return true;
}

uint8_t *tern_dhcp4_put_reserve(struct tern_dhcp4_writer *w, uint8_t code,
				uint8_t len)
{
	int area = AREA_MAIN;

	if (!w || !writable(w))
		return NULL;
	if (code == TERN_DHCP4_OPT_PAD || code == TERN_DHCP4_OPT_END) {
		fail(w, -EINVAL);
		return NULL;
	}
	return place(w, code, len, &area);
}

int tern_dhcp4_put(struct tern_dhcp4_writer *w, uint8_t code, const void *data,
		   size_t len)
{
	const uint8_t *d = data;
	int area = AREA_MAIN;

	if (!w)
		return -EINVAL;
	if (!writable(w))
		return w->err;
	if ((!data && len) || code == TERN_DHCP4_OPT_PAD ||
	    code == TERN_DHCP4_OPT_END)
		return fail(w, -EINVAL);
	/* RFC 3396: a long value becomes consecutive instances; later parts
	 * never go to an earlier area, so concatenation keeps their order. */
	do {
		uint8_t n = len > 255 ? 255 : (uint8_t)len;
		uint8_t *p = place(w, code, n, &area);

		if (!p)
			return w->err;
		memcpy(p, d, n);
		d += n;
		len -= n;
	} while (len);
	return 0;
}

int tern_dhcp4_put_u8(struct tern_dhcp4_writer *w, uint8_t code, uint8_t v)
{
	uint8_t *p = tern_dhcp4_put_reserve(w, code, 1);

	if (!p)
		return w ? w->err : -EINVAL;
	p[0] = v;
	return 0;
}

int tern_dhcp4_put_u16(struct tern_dhcp4_writer *w, uint8_t code, uint16_t v)
{
	uint8_t *p = tern_dhcp4_put_reserve(w, code, 2);

	if (!p)
		return w ? w->err : -EINVAL;
	tern__wr16(p, v);
	return 0;
}

int tern_dhcp4_put_u32(struct tern_dhcp4_writer *w, uint8_t code, uint32_t v)
{
	uint8_t *p = tern_dhcp4_put_reserve(w, code, 4);

	if (!p)
		return w ? w->err : -EINVAL;
	tern__wr32(p, v);
	return 0;
}

int tern_dhcp4_put_addr(struct tern_dhcp4_writer *w, uint8_t code,
			struct in_addr a)
{
	uint8_t *p = tern_dhcp4_put_reserve(w, code, 4);

	if (!p)
		return w ? w->err : -EINVAL;
	memcpy(p, &a, 4);
	return 0;
}

int tern_dhcp4_put_addrs(struct tern_dhcp4_writer *w, uint8_t code,
			 const struct in_addr *a, size_t n)
{
	if (!w)
		return -EINVAL;
	if (n == 0 || n > 16383)
		return fail(w, -EINVAL);
	return tern_dhcp4_put(w, code, a, n * 4);
}

int tern_dhcp4_put_str(struct tern_dhcp4_writer *w, uint8_t code, const char *s)
{
	size_t n;

	if (!w)
		return -EINVAL;
	if (!s)
		return fail(w, -EINVAL);
	n = strnlen(s, TERN_DHCP4_MAX_LEN);
	if (n == 0 || n == TERN_DHCP4_MAX_LEN)
		return fail(w, -EINVAL);
	return tern_dhcp4_put(w, code, s, n);
}

int tern_dhcp4_container_begin(struct tern_dhcp4_writer *w, uint8_t code)
{
	int area = AREA_MAIN;
	uint8_t *p;

	if (!w)
		return -EINVAL;
	if (!writable(w))
		return w->err;
	if (code == TERN_DHCP4_OPT_PAD || code == TERN_DHCP4_OPT_END)
		return fail(w, -EINVAL);
	/* Sub-options are appended in place, so the container lives in the
	 * options field proper, which is the only area that can grow. */
	if (w->pos + 2 > w->end)
		return fail(w, -ENOBUFS);
	p = place(w, code, 0, &area);
	if (!p)
		return w->err;
	w->open_area = 1;
	w->open_len = (size_t)(p - 1 - w->buf);
	return 0;
}

int tern_dhcp4_subopt_put(struct tern_dhcp4_writer *w, uint8_t subcode,
			  const void *data, size_t len)
{
	size_t used;

	if (!w)
		return -EINVAL;
	if (w->err)
		return w->err;
	if (!w->open_area || (!data && len) || len > 255)
		return fail(w, -EINVAL);
	used = w->buf[w->open_len];
	if (used + 2 + len > 255)
		return fail(w, -ENOBUFS);
	if (w->pos + 2 + len > w->end)
		return fail(w, -ENOBUFS);
	w->buf[w->pos] = subcode;
	w->buf[w->pos + 1] = (uint8_t)len;
	if (len)
		memcpy(w->buf + w->pos + 2, data, len);
	w->pos += 2 + len;
	w->buf[w->open_len] = (uint8_t)(used + 2 + len);
	return 0;
}

int tern_dhcp4_container_end(struct tern_dhcp4_writer *w)
{
	if (!w)
		return -EINVAL;
	if (w->err)
		return w->err;
	if (!w->open_area)
		return fail(w, -EINVAL);
	w->open_area = 0;
	return 0;
}

int tern_dhcp4_write_header(struct tern_dhcp4_writer *w,
			    const struct tern_dhcp4_hdr *h)
{
	uint8_t *b;

	if (!w)
		return -EINVAL;
	if (w->err)
		return w->err;
	if (!h)
		return fail(w, -EINVAL);
	b = w->buf;
	b[0] = h->op;
	b[1] = h->htype;
	b[2] = h->hlen;
	b[3] = h->hops;
	tern__wr32(b + 4, h->xid);
	tern__wr16(b + 8, h->secs);
	tern__wr16(b + 10, h->flags);
	memcpy(b + 12, &h->ciaddr, 4);
	memcpy(b + 16, &h->yiaddr, 4);
	memcpy(b + 20, &h->siaddr, 4);
	memcpy(b + 24, &h->giaddr, 4);
	memcpy(b + 28, h->chaddr, 16);
	/* The usual reply has neither name: clear both fields at once. */
	if (!w->sname_pos && !w->file_pos && !h->sname && !h->file) {
		memset(b + TERN_DHCP4_SNAME_OFF, 0,
		       TERN_DHCP4_SNAME_LEN + TERN_DHCP4_FILE_LEN);
		return 0;
	}
	/* Overloaded fields belong to the options; finish() clears their
	 * tails, so a header written earlier cannot leak into them. */
	if (!w->sname_pos) {
		if (h->sname)
			memcpy(b + TERN_DHCP4_SNAME_OFF, h->sname,
			       TERN_DHCP4_SNAME_LEN);
		else
			memset(b + TERN_DHCP4_SNAME_OFF, 0,
			       TERN_DHCP4_SNAME_LEN);
	}
	if (!w->file_pos) {
		if (h->file)
			memcpy(b + TERN_DHCP4_FILE_OFF, h->file,
			       TERN_DHCP4_FILE_LEN);
		else
			memset(b + TERN_DHCP4_FILE_OFF, 0, TERN_DHCP4_FILE_LEN);
	}
	return 0;
}

static void close_area(uint8_t *area, size_t used, size_t size)
{
	area[used] = TERN_DHCP4_OPT_END;
	memset(area + used + 1, 0, size - used - 1);
}

int tern_dhcp4_writer_finish(struct tern_dhcp4_writer *w, bool pad_bootp)
{
	size_t len;

	if (!w)
		return -EINVAL;
	if (w->err)
		return w->err;
	if (w->open_area)
		return fail(w, -EINVAL);
	if (w->file_pos || w->sname_pos) {
		uint8_t ov = (w->file_pos ? TERN_DHCP4_OVERLOAD_FILE : 0) |
			     (w->sname_pos ? TERN_DHCP4_OVERLOAD_SNAME : 0);
		/* init() kept these 3 bytes free in the main area. */
		w->buf[w->pos] = TERN_DHCP4_OPT_OVERLOAD;
		w->buf[w->pos + 1] = 1;
		w->buf[w->pos + 2] = ov;
		w->pos += 3;
		if (w->file_pos)
			close_area(w->buf + TERN_DHCP4_FILE_OFF, w->file_pos,
				   TERN_DHCP4_FILE_LEN);
		if (w->sname_pos)
			close_area(w->buf + TERN_DHCP4_SNAME_OFF, w->sname_pos,
				   TERN_DHCP4_SNAME_LEN);
	}
	w->buf[w->pos++] = TERN_DHCP4_OPT_END;
	len = w->pos;
	if (pad_bootp && len < TERN_DHCP4_BOOTP_MIN) {
		size_t to = w->cap < TERN_DHCP4_BOOTP_MIN
				    ? w->cap
				    : TERN_DHCP4_BOOTP_MIN;
		memset(w->buf + len, 0, to - len);
		len = to;
	}
	return (int)len;
}
