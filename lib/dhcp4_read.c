/* DHCPv4 decoding: header view, one-pass option index, overload, RFC 3396
 * values. */
#include <errno.h>
#include <string.h>

#include <tern/dhcp4.h>

#include "wire.h"

int tern_dhcp4_parse_header(struct tern_dhcp4_msg *ret, const uint8_t *buf,
			    size_t len)
{
	struct tern_dhcp4_hdr *h;

	if (!ret || !buf)
		return -EINVAL;
	if (len < TERN_DHCP4_MIN_LEN)
		return -EMSGSIZE;
	if (len > TERN_DHCP4_MAX_LEN)
		return -E2BIG;
	if (tern__rd32(buf + TERN_DHCP4_HDR_LEN) != TERN_DHCP4_COOKIE)
		return -EPROTO;

	h = &ret->hdr;
	h->op = buf[0];
	h->htype = buf[1];
	h->hlen = buf[2];
	h->hops = buf[3];
	h->xid = tern__rd32(buf + 4);
	h->secs = tern__rd16(buf + 8);
	h->flags = tern__rd16(buf + 10);
	memcpy(&h->ciaddr, buf + 12, 4);
	memcpy(&h->yiaddr, buf + 16, 4);
	memcpy(&h->siaddr, buf + 20, 4);
	memcpy(&h->giaddr, buf + 24, 4);
	memcpy(h->chaddr, buf + 28, 16);
	h->sname = buf + TERN_DHCP4_SNAME_OFF;
	h->file = buf + TERN_DHCP4_FILE_OFF;
	ret->buf = buf;
	ret->len = len;
	ret->overload = 0;
	ret->indexed = false;
	ret->n_opts = 0;
	memset(ret->present, 0, sizeof(ret->present));
	return 0;
}

/* Index options in buf[start, end) until End; Pad skipped. */
static int index_area(struct tern_dhcp4_msg *m, size_t start, size_t end)
{
	const uint8_t *b = m->buf;
	unsigned n = m->n_opts;
	size_t i = start;

	while (i < end) {
		uint8_t code = b[i];
		uint8_t l;

		if (code == TERN_DHCP4_OPT_PAD) {
			i++;
			continue;
		}
		if (code == TERN_DHCP4_OPT_END)
			break;
		if (i + 2 > end)
			return -EBADMSG;
		l = b[i + 1];
		if (i + 2 + l > end)
			return -EBADMSG;
		if (n >= TERN_DHCP4_MAX_OPTS)
			return -E2BIG;
		m->opts[n].code = code;
		m->opts[n].len = l;
		m->opts[n].off = (uint16_t)(i + 2);
		m->present[code >> 6] |= UINT64_C(1) << (code & 63);
		n++;
		i += 2 + (size_t)l;
	}
	m->n_opts = (uint16_t)n;
	return 0;
}

static int do_index(struct tern_dhcp4_msg *m)
{
	int r;

	r = index_area(m, TERN_DHCP4_OPTS_OFF, m->len);
	if (r < 0)
		return r;
	if (tern_dhcp4_has_opt(m, TERN_DHCP4_OPT_OVERLOAD)) {
		unsigned main_n = m->n_opts;
		uint8_t ov = 0;

		/* Option 52 is only meaningful in the options field itself. */
		for (unsigned i = 0; i < main_n; i++) {
			if (m->opts[i].code != TERN_DHCP4_OPT_OVERLOAD)
				continue;
			if (m->opts[i].len != 1)
				return -EBADMSG;
			ov = m->buf[m->opts[i].off];
			break;
		}
		if (ov < 1 || ov > 3)
			return -ERANGE;
		m->overload = ov;
		/* RFC 3396 order: options, then file, then sname. */
		if (ov & TERN_DHCP4_OVERLOAD_FILE) {
			r = index_area(m, TERN_DHCP4_FILE_OFF,
				       TERN_DHCP4_FILE_OFF +
					       TERN_DHCP4_FILE_LEN);
			if (r < 0)
				return r;
		}
		if (ov & TERN_DHCP4_OVERLOAD_SNAME) {
			r = index_area(m, TERN_DHCP4_SNAME_OFF,
				       TERN_DHCP4_SNAME_OFF +
					       TERN_DHCP4_SNAME_LEN);
			if (r < 0)
				return r;
		}
	}
	m->indexed = true;
	return m->n_opts;
}

/* Index a message whose index state is reset; leave it empty on failure. */
static int index_or_clear(struct tern_dhcp4_msg *m)
{
	int r = do_index(m);

	if (r < 0) {
		m->n_opts = 0;
		m->overload = 0;
		m->indexed = false;
		memset(m->present, 0, sizeof(m->present));
	}
	return r;
}

int tern_dhcp4_index_options(struct tern_dhcp4_msg *m)
{
	if (!m || !m->buf)
		return -EINVAL;
	m->n_opts = 0;
	m->overload = 0;
	memset(m->present, 0, sizeof(m->present));
	return index_or_clear(m);
}

int tern_dhcp4_parse(struct tern_dhcp4_msg *ret, const uint8_t *buf, size_t len)
{
	int r = tern_dhcp4_parse_header(ret, buf, len);

	if (r < 0)
		return r;
	/* parse_header reset the index state already. */
	return index_or_clear(ret);
}

int tern_dhcp4_opt_count(const struct tern_dhcp4_msg *m, uint8_t code)
{
	int n = 0;

	if (!m)
		return -EINVAL;
	if (!tern_dhcp4_has_opt(m, code))
		return 0;
	for (unsigned i = 0; i < m->n_opts; i++)
		n += m->opts[i].code == code;
	return n;
}

/* Index of the first instance of code at or after from, or -1. */
static int find_from(const struct tern_dhcp4_msg *m, uint8_t code,
		     unsigned from)
{
	for (unsigned i = from; i < m->n_opts; i++)
		if (m->opts[i].code == code)
			return (int)i;
	return -1;
}

/* Total length of all instances of code starting with instance first. */
static size_t total_len(const struct tern_dhcp4_msg *m, uint8_t code,
			unsigned first)
{
	size_t t = 0;

	for (unsigned i = first; i < m->n_opts; i++)
		if (m->opts[i].code == code)
			t += m->opts[i].len;
	return t;
}

/* Concatenate instances (first known) into out; caller checked the size. */
static void concat(const struct tern_dhcp4_msg *m, uint8_t code, unsigned first,
		   uint8_t *out)
{
	size_t o = 0;

	for (unsigned i = first; i < m->n_opts; i++) {
		if (m->opts[i].code != code)
			continue;
		memcpy(out + o, m->buf + m->opts[i].off, m->opts[i].len);
		o += m->opts[i].len;
	}
}

int tern_dhcp4_opt_get(const struct tern_dhcp4_msg *m, uint8_t code,
		       uint8_t *scratch, size_t cap, const uint8_t **ret_data)
{
	int first;
	size_t t;

	if (!m || !ret_data)
		return -EINVAL;
	if (!tern_dhcp4_has_opt(m, code))
		return -ENOENT;
	first = find_from(m, code, 0);
	if (first < 0)
		return -ENOENT;
	if (find_from(m, code, (unsigned)first + 1) < 0) {
		*ret_data = m->buf + m->opts[first].off;
		return m->opts[first].len;
	}
	t = total_len(m, code, (unsigned)first);
	if (!scratch || t > cap)
		return -ENOBUFS;
	concat(m, code, (unsigned)first, scratch);
	*ret_data = scratch;
	return (int)t;
}

int tern_dhcp4_opt_copy(const struct tern_dhcp4_msg *m, uint8_t code,
			uint8_t *out, size_t cap)
{
	int first;
	size_t t;

	if (!m || (!out && cap))
		return -EINVAL;
	if (!tern_dhcp4_has_opt(m, code))
		return -ENOENT;
	first = find_from(m, code, 0);
	if (first < 0)
		return -ENOENT;
	t = total_len(m, code, (unsigned)first);
	if (t > cap)
		return -ENOBUFS;
	if (t)
		concat(m, code, (unsigned)first, out);
	return (int)t;
}

/* A fixed-size value: exactly n bytes in total, however it is split. */
static int get_fixed(const struct tern_dhcp4_msg *m, uint8_t code, uint8_t *out,
		     size_t n)
{
	int r;

	if (!m)
		return -EINVAL;
	if (!tern_dhcp4_has_opt(m, code))
		return -ENOENT;
	r = tern_dhcp4_opt_copy(m, code, out, n);
	if (r == -ENOBUFS || (r >= 0 && (size_t)r != n))
		return -EBADMSG;
	return r < 0 ? r : 0;
}

int tern_dhcp4_get_msg_type(const struct tern_dhcp4_msg *m)
{
	uint8_t v;
	int r = get_fixed(m, TERN_DHCP4_OPT_MSG_TYPE, &v, 1);

	if (r < 0)
		return r;
	return v ? v : -ERANGE;
}

int tern_dhcp4_get_u8(const struct tern_dhcp4_msg *m, uint8_t code,
		      uint8_t *ret)
{
	uint8_t v;
	int r = get_fixed(m, code, &v, 1);

	if (r < 0)
		return r;
	if (ret)
		*ret = v;
	return 0;
}

int tern_dhcp4_get_u16(const struct tern_dhcp4_msg *m, uint8_t code,
		       uint16_t *ret)
{
	uint8_t v[2];
	int r = get_fixed(m, code, v, 2);

	if (r < 0)
		return r;
	if (ret)
		*ret = tern__rd16(v);
	return 0;
}

int tern_dhcp4_get_u32(const struct tern_dhcp4_msg *m, uint8_t code,
		       uint32_t *ret)
{
	uint8_t v[4];
	int r = get_fixed(m, code, v, 4);

	if (r < 0)
		return r;
	if (ret)
		*ret = tern__rd32(v);
	return 0;
}

int tern_dhcp4_get_addr(const struct tern_dhcp4_msg *m, uint8_t code,
			struct in_addr *ret)
{
	uint8_t v[4];
	int r = get_fixed(m, code, v, 4);

	if (r < 0)
		return r;
	if (ret)
		memcpy(ret, v, 4);
	return 0;
}

int tern_dhcp4_get_addrs(const struct tern_dhcp4_msg *m, uint8_t code,
			 struct in_addr *out, size_t max)
{
	size_t t, want, o = 0;
	int first;

	if (!m || (!out && max))
		return -EINVAL;
	if (!tern_dhcp4_has_opt(m, code))
		return -ENOENT;
	first = find_from(m, code, 0);
	if (first < 0)
		return -ENOENT;
	t = total_len(m, code, (unsigned)first);
	if (t == 0 || t % 4)
		return -EBADMSG;
	want = (t / 4 < max ? t / 4 : max) * 4;
	/* Stream the parts: an address may straddle two instances. */
	for (unsigned i = (unsigned)first; i < m->n_opts && o < want; i++) {
		size_t n;

		if (m->opts[i].code != code)
			continue;
		n = m->opts[i].len;
		if (n > want - o)
			n = want - o;
		memcpy((uint8_t *)out + o, m->buf + m->opts[i].off, n);
		o += n;
	}
	return (int)(want / 4);
}

static int get_var(const struct tern_dhcp4_msg *m, uint8_t code, size_t min,
		   uint8_t *scratch, size_t cap, const uint8_t **ret_data)
{
	const uint8_t *d;
	int r = tern_dhcp4_opt_get(m, code, scratch, cap, &d);

	if (r < 0)
		return r;
	if ((size_t)r < min)
		return -EBADMSG;
	*ret_data = d;
	return r;
}

int tern_dhcp4_get_client_id(const struct tern_dhcp4_msg *m, uint8_t *scratch,
			     size_t cap, const uint8_t **ret_data)
{
	return get_var(m, TERN_DHCP4_OPT_CLIENT_ID, 2, scratch, cap, ret_data);
}

int tern_dhcp4_get_prl(const struct tern_dhcp4_msg *m, uint8_t *scratch,
		       size_t cap, const uint8_t **ret_data)
{
	return get_var(m, TERN_DHCP4_OPT_PRL, 1, scratch, cap, ret_data);
}

int tern_dhcp4_get_host_name(const struct tern_dhcp4_msg *m, uint8_t *scratch,
			     size_t cap, const uint8_t **ret_data)
{
	return get_var(m, TERN_DHCP4_OPT_HOST_NAME, 1, scratch, cap, ret_data);
}

int tern_dhcp4_get_domain_name(const struct tern_dhcp4_msg *m, uint8_t *scratch,
			       size_t cap, const uint8_t **ret_data)
{
	return get_var(m, TERN_DHCP4_OPT_DOMAIN_NAME, 1, scratch, cap,
		       ret_data);
}

int tern_dhcp4_get_vendor_class(const struct tern_dhcp4_msg *m,
				uint8_t *scratch, size_t cap,
				const uint8_t **ret_data)
{
	return get_var(m, TERN_DHCP4_OPT_VENDOR_CLASS, 1, scratch, cap,
		       ret_data);
}

bool tern_dhcp4_prl_has(const uint8_t *prl, size_t len, uint8_t code)
{
	if (!prl)
		return false;
	return memchr(prl, code, len) != NULL;
}

int tern_dhcp4_routes_decode(const uint8_t *data, size_t len,
			     struct tern_dhcp4_route *out, size_t max)
{
	size_t i = 0;
	int n = 0;

	if (!data && len)
		return -EINVAL;
	while (i < len) {
		uint8_t plen = data[i];
		size_t sig;
		uint8_t dest[4] = {0};

		if (plen > 32)
			return -EBADMSG;
		sig = ((size_t)plen + 7) / 8;
		if (i + 1 + sig + 4 > len)
			return -EBADMSG;
		if ((size_t)n >= max)
			return -ENOBUFS;
		memcpy(dest, data + i + 1, sig);
		/* Bits beyond the prefix must not leak into the network. */
		if (plen % 8)
			dest[sig - 1] &= (uint8_t)(0xff << (8 - plen % 8));
		memcpy(&out[n].dest, dest, 4);
		out[n].plen = plen;
		memcpy(&out[n].gw, data + i + 1 + sig, 4);
		n++;
		i += 1 + sig + 4;
	}
	return n;
}

int tern_dhcp4_routes_encode(const struct tern_dhcp4_route *routes, size_t n,
			     uint8_t *out, size_t cap)
{
	size_t o = 0;

	if ((!routes && n) || (!out && cap))
		return -EINVAL;
	for (size_t i = 0; i < n; i++) {
		uint8_t plen = routes[i].plen;
		size_t sig;

		if (plen > 32)
			return -EINVAL;
		sig = ((size_t)plen + 7) / 8;
		if (o + 1 + sig + 4 > cap)
			return -ENOBUFS;
		out[o] = plen;
		memcpy(out + o + 1, &routes[i].dest, sig);
		if (plen % 8)
			out[o + sig] &= (uint8_t)(0xff << (8 - plen % 8));
		memcpy(out + o + 1 + sig, &routes[i].gw, 4);
		o += 1 + sig + 4;
	}
	if (o > INT32_MAX)
		return -E2BIG;
	return (int)o;
}

int tern_dhcp4_subopt_next(const uint8_t *data, size_t len, size_t *pos,
			   uint8_t *ret_code, const uint8_t **ret_data,
			   uint8_t *ret_len)
{
	size_t p;
	uint8_t l;

	if (!pos || (!data && len))
		return -EINVAL;
	p = *pos;
	if (p >= len)
		return 0;
	if (p + 2 > len)
		return -EBADMSG;
	l = data[p + 1];
	if (p + 2 + l > len)
		return -EBADMSG;
	if (ret_code)
		*ret_code = data[p];
	if (ret_data)
		*ret_data = data + p + 2;
	if (ret_len)
		*ret_len = l;
	*pos = p + 2 + l;
	return 1;
}

int tern_dhcp4_rai_decode(const uint8_t *data, size_t len,
			  struct tern_dhcp4_rai *ret)
{
	struct tern_dhcp4_rai rai;
	size_t pos = 0;
	uint8_t code, l;
	const uint8_t *d;
	int r;

	if (!ret || (!data && len))
		return -EINVAL;
	memset(&rai, 0, sizeof(rai));
	while ((r = tern_dhcp4_subopt_next(data, len, &pos, &code, &d, &l)) >
	       0) {
		switch (code) {
		case TERN_RAI_CIRCUIT_ID:
			if (!rai.circuit_id) {
				rai.circuit_id = d;
				rai.circuit_id_len = l;
			}
			break;
		case TERN_RAI_REMOTE_ID:
			if (!rai.remote_id) {
				rai.remote_id = d;
				rai.remote_id_len = l;
			}
			break;
		case TERN_RAI_SUBSCRIBER_ID:
			if (!rai.subscriber_id) {
				rai.subscriber_id = d;
				rai.subscriber_id_len = l;
			}
			break;
		case TERN_RAI_RELAY_ID:
			if (!rai.relay_id) {
				rai.relay_id = d;
				rai.relay_id_len = l;
			}
			break;
		case TERN_RAI_LINK_SELECTION:
			if (l != 4)
				return -EBADMSG;
			if (!rai.has_link_selection) {
				memcpy(&rai.link_selection, d, 4);
				rai.has_link_selection = true;
			}
			break;
		case TERN_RAI_SERVER_ID_OVERRIDE:
			if (l != 4)
				return -EBADMSG;
			if (!rai.has_server_id_override) {
				memcpy(&rai.server_id_override, d, 4);
				rai.has_server_id_override = true;
			}
			break;
		default:
			break;
		}
	}
	if (r < 0)
		return r;
	*ret = rai;
	return 0;
}
