/* DHCPv6 decoding: messages, relays, option iteration, typed decoders. */
#include <errno.h>
#include <string.h>

#include <tern/dhcp6.h>

static uint16_t rd16(const uint8_t *p)
{
	return (uint16_t)((unsigned)p[0] << 8 | p[1]);
}

static uint32_t rd32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

static bool is_relay_type(uint8_t t)
{
	return t == TERN_DHCP6_RELAY_FORW || t == TERN_DHCP6_RELAY_REPL;
}

void tern_dhcp6_opt_iter_init(struct tern_dhcp6_opt_iter *it,
			      const uint8_t *data, size_t len)
{
	it->data = data;
	it->len = data ? len : 0;
	it->pos = 0;
	it->err = 0;
}

int tern_dhcp6_opt_next(struct tern_dhcp6_opt_iter *it, uint16_t *ret_code,
			const uint8_t **ret_data, uint16_t *ret_len)
{
	size_t left;
	uint16_t olen;

	if (it->err)
		return it->err;
	if (it->pos >= it->len)
		return 0;
	left = it->len - it->pos;
	if (left < TERN_DHCP6_OPT_HDR_LEN) {
		it->err = -EBADMSG;
		return it->err;
	}
	olen = rd16(it->data + it->pos + 2);
	if (olen > left - TERN_DHCP6_OPT_HDR_LEN) {
		it->err = -EBADMSG;
		return it->err;
	}
	*ret_code = rd16(it->data + it->pos);
	*ret_data = it->data + it->pos + TERN_DHCP6_OPT_HDR_LEN;
	*ret_len = olen;
	it->pos += TERN_DHCP6_OPT_HDR_LEN + (size_t)olen;
	return 1;
}

int tern_dhcp6_opts_validate(const uint8_t *data, size_t len)
{
	struct tern_dhcp6_opt_iter it;
	uint16_t code, olen;
	const uint8_t *v;
	int n = 0, r;

	if (!data && len)
		return -EINVAL;
	tern_dhcp6_opt_iter_init(&it, data, len);
	while ((r = tern_dhcp6_opt_next(&it, &code, &v, &olen)) > 0)
		n++;
	return r < 0 ? r : n;
}

int tern_dhcp6_opt_find(const uint8_t *data, size_t len, uint16_t code,
			const uint8_t **ret_data)
{
	struct tern_dhcp6_opt_iter it;
	uint16_t c, olen;
	const uint8_t *v;
	int r;

	if (!data && len)
		return -EINVAL;
	tern_dhcp6_opt_iter_init(&it, data, len);
	while ((r = tern_dhcp6_opt_next(&it, &c, &v, &olen)) > 0) {
		if (c == code) {
			if (ret_data)
				*ret_data = v;
			return olen;
		}
	}
	return r < 0 ? r : -ENOENT;
}

int tern_dhcp6_opt_count(const uint8_t *data, size_t len, uint16_t code)
{
	struct tern_dhcp6_opt_iter it;
	uint16_t c, olen;
	const uint8_t *v;
	int n = 0, r;

	if (!data && len)
		return -EINVAL;
	tern_dhcp6_opt_iter_init(&it, data, len);
	while ((r = tern_dhcp6_opt_next(&it, &c, &v, &olen)) > 0)
		if (c == code)
			n++;
	return r < 0 ? r : n;
}

int tern_dhcp6_parse(struct tern_dhcp6_msg *ret, const uint8_t *buf, size_t len)
{
	struct tern_dhcp6_msg m;
	int r;

	if (!ret || !buf)
		return -EINVAL;
	if (len < TERN_DHCP6_HDR_LEN)
		return -EMSGSIZE;
	if (len > TERN_DHCP6_MAX_LEN)
		return -E2BIG;
	if (is_relay_type(buf[0]))
		return -EPROTO;
	m.buf = buf;
	m.len = len;
	m.type = buf[0];
	m.xid = (uint32_t)buf[1] << 16 | (uint32_t)buf[2] << 8 | buf[3];
	m.opts = buf + TERN_DHCP6_HDR_LEN;
	m.opts_len = len - TERN_DHCP6_HDR_LEN;
	r = tern_dhcp6_opts_validate(m.opts, m.opts_len);
	if (r < 0)
		return r;
	*ret = m;
	return 0;
}

int tern_dhcp6_parse_relay(struct tern_dhcp6_relay *ret, const uint8_t *buf,
			   size_t len)
{
	struct tern_dhcp6_relay rl;
	struct tern_dhcp6_opt_iter it;
	uint16_t code, olen;
	const uint8_t *v;
	int r;

	if (!ret || !buf)
		return -EINVAL;
	if (len < TERN_DHCP6_RELAY_HDR_LEN)
		return -EMSGSIZE;
	if (len > TERN_DHCP6_MAX_LEN)
		return -E2BIG;
	if (!is_relay_type(buf[0]))
		return -EPROTO;
	memset(&rl, 0, sizeof(rl));
	rl.type = buf[0];
	rl.hop_count = buf[1];
	memcpy(&rl.link_addr, buf + 2, 16);
	memcpy(&rl.peer_addr, buf + 18, 16);
	rl.opts = buf + TERN_DHCP6_RELAY_HDR_LEN;
	rl.opts_len = len - TERN_DHCP6_RELAY_HDR_LEN;

	tern_dhcp6_opt_iter_init(&it, rl.opts, rl.opts_len);
	while ((r = tern_dhcp6_opt_next(&it, &code, &v, &olen)) > 0) {
		switch (code) {
		case TERN_DHCP6_OPT_RELAY_MSG:
			if (rl.relay_msg)
				return -EBADMSG;
			rl.relay_msg = v;
			rl.relay_msg_len = olen;
			break;
		case TERN_DHCP6_OPT_INTERFACE_ID:
			if (olen == 0)
				return -EBADMSG;
			if (!rl.interface_id) {
				rl.interface_id = v;
				rl.interface_id_len = olen;
			}
			break;
		case TERN_DHCP6_OPT_REMOTE_ID:
			if (olen < 5)
				return -EBADMSG;
			if (!rl.remote_id) {
				rl.remote_id = v;
				rl.remote_id_len = olen;
			}
			break;
		case TERN_DHCP6_OPT_SUBSCRIBER_ID:
			if (olen == 0)
				return -EBADMSG;
			if (!rl.subscriber_id) {
				rl.subscriber_id = v;
				rl.subscriber_id_len = olen;
			}
			break;
		case TERN_DHCP6_OPT_CLIENT_LINKLAYER_ADDR:
			if (olen < 3)
				return -EBADMSG;
			if (!rl.client_lladdr) {
				rl.client_lladdr = v;
				rl.client_lladdr_len = olen;
			}
			break;
		default:
			break;
		}
	}
	if (r < 0)
		return r;
	if (!rl.relay_msg)
		return -EBADMSG;
	*ret = rl;
	return 0;
}

int tern_dhcp6_unwrap(const uint8_t *buf, size_t len,
		      struct tern_dhcp6_relay *relays, size_t max_relays,
		      struct tern_dhcp6_msg *ret_inner)
{
	struct tern_dhcp6_relay rl;
	struct tern_dhcp6_msg m;
	size_t n = 0;
	int r;

	if (!buf || !ret_inner || (!relays && max_relays))
		return -EINVAL;
	/* Iterative, so the depth limit bounds work, not stack. */
	while (len > 0 && is_relay_type(buf[0])) {
		if (n >= TERN_DHCP6_MAX_RELAYS)
			return -ELOOP;
		r = tern_dhcp6_parse_relay(&rl, buf, len);
		if (r < 0)
			return r;
		if (relays) {
			if (n >= max_relays)
				return -ENOBUFS;
			relays[n] = rl;
		}
		n++;
		buf = rl.relay_msg;
		len = rl.relay_msg_len;
	}
	r = tern_dhcp6_parse(&m, buf, len);
	if (r < 0)
		return r;
	*ret_inner = m;
	return (int)n;
}

/* ---- Typed decoders ---------------------------------------------------- */

int tern_dhcp6_duid_decode(const uint8_t *data, size_t len,
			   struct tern_dhcp6_duid *ret)
{
	struct tern_dhcp6_duid d;

	if (!ret || (!data && len))
		return -EINVAL;
	if (len < 3 || len > TERN_DHCP6_DUID_MAX_LEN)
		return -EBADMSG;
	memset(&d, 0, sizeof(d));
	d.type = rd16(data);
	d.raw = data;
	d.raw_len = (uint16_t)len;
	switch (d.type) {
	case TERN_DHCP6_DUID_LLT:
		if (len < 9)
			return -EBADMSG;
		d.hw_type = rd16(data + 2);
		d.time = rd32(data + 4);
		d.id = data + 8;
		d.id_len = (uint16_t)(len - 8);
		break;
	case TERN_DHCP6_DUID_EN:
		if (len < 7)
			return -EBADMSG;
		d.enterprise = rd32(data + 2);
		d.id = data + 6;
		d.id_len = (uint16_t)(len - 6);
		break;
	case TERN_DHCP6_DUID_LL:
		if (len < 5)
			return -EBADMSG;
		d.hw_type = rd16(data + 2);
		d.id = data + 4;
		d.id_len = (uint16_t)(len - 4);
		break;
	case TERN_DHCP6_DUID_UUID:
		if (len != 18)
			return -EBADMSG;
		d.id = data + 2;
		d.id_len = 16;
		break;
	default:
		d.id = data + 2;
		d.id_len = (uint16_t)(len - 2);
		break;
	}
	*ret = d;
	return 0;
}

static int ia_decode(const uint8_t *data, size_t len, size_t fixed,
		     struct tern_dhcp6_ia *ret)
{
	struct tern_dhcp6_ia ia;
	int r;

	if (!ret || (!data && len))
		return -EINVAL;
	if (len < fixed)
		return -EBADMSG;
	memset(&ia, 0, sizeof(ia));
	ia.iaid = rd32(data);
	if (fixed == 12) {
		ia.t1 = rd32(data + 4);
		ia.t2 = rd32(data + 8);
	}
	ia.opts = data + fixed;
	ia.opts_len = len - fixed;
	r = tern_dhcp6_opts_validate(ia.opts, ia.opts_len);
	if (r < 0)
		return r;
	*ret = ia;
	return 0;
}

int tern_dhcp6_ia_na_decode(const uint8_t *data, size_t len,
			    struct tern_dhcp6_ia *ret)
{
	return ia_decode(data, len, 12, ret);
}

int tern_dhcp6_ia_ta_decode(const uint8_t *data, size_t len,
			    struct tern_dhcp6_ia *ret)
{
	return ia_decode(data, len, 4, ret);
}

int tern_dhcp6_ia_pd_decode(const uint8_t *data, size_t len,
			    struct tern_dhcp6_ia *ret)
{
	return ia_decode(data, len, 12, ret);
}

int tern_dhcp6_iaaddr_decode(const uint8_t *data, size_t len,
			     struct tern_dhcp6_iaaddr *ret)
{
	struct tern_dhcp6_iaaddr a;
	int r;

	if (!ret || (!data && len))
		return -EINVAL;
	if (len < 24)
		return -EBADMSG;
	memcpy(&a.addr, data, 16);
	a.preferred = rd32(data + 16);
	a.valid = rd32(data + 20);
	a.opts = data + 24;
	a.opts_len = len - 24;
	r = tern_dhcp6_opts_validate(a.opts, a.opts_len);
	if (r < 0)
		return r;
	*ret = a;
	return 0;
}

int tern_dhcp6_iaprefix_decode(const uint8_t *data, size_t len,
			       struct tern_dhcp6_iaprefix *ret)
{
	struct tern_dhcp6_iaprefix p;
	int r;

	if (!ret || (!data && len))
		return -EINVAL;
	if (len < 25)
		return -EBADMSG;
	p.preferred = rd32(data);
	p.valid = rd32(data + 4);
	p.plen = data[8];
	if (p.plen > 128)
		return -ERANGE;
	memcpy(&p.prefix, data + 9, 16);
	p.opts = data + 25;
	p.opts_len = len - 25;
	r = tern_dhcp6_opts_validate(p.opts, p.opts_len);
	if (r < 0)
		return r;
	*ret = p;
	return 0;
}

int tern_dhcp6_oro_decode(const uint8_t *data, size_t len, uint16_t *out,
			  size_t max)
{
	size_t n = len / 2;

	if ((!data && len) || (!out && max))
		return -EINVAL;
	if (len % 2)
		return -EBADMSG;
	if (n > max)
		return -ENOBUFS;
	for (size_t i = 0; i < n; i++)
		out[i] = rd16(data + 2 * i);
	return (int)n;
}

bool tern_dhcp6_oro_has(const uint8_t *data, size_t len, uint16_t code)
{
	if (!data)
		return false;
	for (size_t i = 0; i + 1 < len; i += 2)
		if (rd16(data + i) == code)
			return true;
	return false;
}

int tern_dhcp6_u8_decode(const uint8_t *data, size_t len, uint8_t *ret)
{
	if (!ret || !data)
		return -EINVAL;
	if (len != 1)
		return -EBADMSG;
	*ret = data[0];
	return 0;
}

int tern_dhcp6_u16_decode(const uint8_t *data, size_t len, uint16_t *ret)
{
	if (!ret || !data)
		return -EINVAL;
	if (len != 2)
		return -EBADMSG;
	*ret = rd16(data);
	return 0;
}

int tern_dhcp6_u32_decode(const uint8_t *data, size_t len, uint32_t *ret)
{
	if (!ret || !data)
		return -EINVAL;
	if (len != 4)
		return -EBADMSG;
	*ret = rd32(data);
	return 0;
}

int tern_dhcp6_empty_decode(const uint8_t *data, size_t len)
{
	(void)data;
	return len == 0 ? 0 : -EBADMSG;
}

int tern_dhcp6_status_decode(const uint8_t *data, size_t len,
			     struct tern_dhcp6_status_code *ret)
{
	if (!ret || (!data && len))
		return -EINVAL;
	if (len < 2)
		return -EBADMSG;
	ret->code = rd16(data);
	ret->msg = (const char *)(data + 2);
	ret->msg_len = (uint16_t)(len - 2);
	return 0;
}

int tern_dhcp6_opaque_decode(const uint8_t *data, size_t len)
{
	if (!data && len)
		return -EINVAL;
	return len > 0 ? 0 : -EBADMSG;
}

static int enterprise_decode(const uint8_t *data, size_t len, size_t min,
			     struct tern_dhcp6_enterprise_data *ret)
{
	if (!ret || (!data && len))
		return -EINVAL;
	if (len < min || len > UINT16_MAX)
		return -EBADMSG;
	ret->enterprise = rd32(data);
	ret->data = data + 4;
	ret->len = (uint16_t)(len - 4);
	return 0;
}

int tern_dhcp6_remote_id_decode(const uint8_t *data, size_t len,
				struct tern_dhcp6_enterprise_data *ret)
{
	return enterprise_decode(data, len, 5, ret);
}

int tern_dhcp6_vendor_opts_decode(const uint8_t *data, size_t len,
				  struct tern_dhcp6_enterprise_data *ret)
{
	return enterprise_decode(data, len, 4, ret);
}

int tern_dhcp6_addrs_decode(const uint8_t *data, size_t len,
			    struct in6_addr *out, size_t max)
{
	size_t n = len / 16;

	if ((!data && len) || (!out && max))
		return -EINVAL;
	if (len == 0 || len % 16)
		return -EBADMSG;
	if (n > max)
		return -ENOBUFS;
	for (size_t i = 0; i < n; i++)
		memcpy(&out[i], data + 16 * i, 16);
	return (int)n;
}

/* ---- DNS names --------------------------------------------------------- */

static bool label_byte_ok(uint8_t c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '-' || c == '_';
}

/*
 * Walk the name at data[pos]: *ret_end is set past its root label and
 * *ret_text to its dotted text length. Checks everything decode promises.
 */
static int name_scan(const uint8_t *data, size_t len, size_t pos,
		     size_t *ret_end, size_t *ret_text)
{
	size_t p = pos, text = 0;

	for (;;) {
		uint8_t l;

		if (p >= len)
			return -EBADMSG; /* no root label before the end */
		l = data[p++];
		if (l == 0)
			break;
		if (l & 0xc0)
			return -EBADMSG; /* compression or extended type */
		if (l > len - p)
			return -EBADMSG;
		/* Wire length so far plus the root byte must stay <= 255. */
		if (p - pos + l + 1 > 255)
			return -EBADMSG;
		for (uint8_t i = 0; i < l; i++)
			if (!label_byte_ok(data[p + i]))
				return -EBADMSG;
		text += (text ? 1 : 0) + l;
		p += l;
	}
	if (text == 0)
		return -EBADMSG; /* the bare root name names nothing */
	*ret_end = p;
	*ret_text = text;
	return 0;
}

int tern_dhcp6_name_decode(const uint8_t *data, size_t len, size_t *pos,
			   char *out, size_t cap)
{
	size_t p, end, text, o = 0;
	int r;

	if (!pos || (!out && cap) || (!data && len))
		return -EINVAL;
	r = name_scan(data, len, *pos, &end, &text);
	if (r < 0)
		return r;
	if (text >= cap)
		return -ENOBUFS;
	for (p = *pos; data[p] != 0; p += 1 + (size_t)data[p]) {
		if (o > 0)
			out[o++] = '.';
		memcpy(out + o, data + p + 1, data[p]);
		o += data[p];
	}
	out[o] = '\0';
	*pos = end;
	return (int)o;
}

int tern_dhcp6_domain_list_decode(const uint8_t *data, size_t len, char *out,
				  size_t cap)
{
	size_t pos = 0, o = 0;
	int n = 0, r;

	if (!out || cap == 0 || (!data && len))
		return -EINVAL;
	if (len == 0)
		return -EBADMSG;
	while (pos < len) {
		if (o > 0) {
			if (o + 1 >= cap)
				return -ENOBUFS;
			out[o++] = ' ';
		}
		r = tern_dhcp6_name_decode(data, len, &pos, out + o, cap - o);
		if (r < 0)
			return r;
		o += (size_t)r;
		n++;
	}
	return n;
}

int tern_dhcp6_aftr_name_decode(const uint8_t *data, size_t len, char *out,
				size_t cap)
{
	size_t pos = 0;
	int r;

	if (!out || (!data && len))
		return -EINVAL;
	r = tern_dhcp6_name_decode(data, len, &pos, out, cap);
	if (r < 0)
		return r;
	if (pos != len)
		return -EBADMSG;
	return r;
}

int tern_dhcp6_ntp_next(const uint8_t *data, size_t len, size_t *pos,
			struct tern_dhcp6_ntp_server *ret)
{
	struct tern_dhcp6_ntp_server s;
	size_t p;
	uint16_t t, l;

	if (!pos || !ret || (!data && len))
		return -EINVAL;
	p = *pos;
	if (len == 0)
		return -EBADMSG;
	if (p >= len)
		return 0;
	if (len - p < 4)
		return -EBADMSG;
	t = rd16(data + p);
	l = rd16(data + p + 2);
	p += 4;
	if (l > len - p)
		return -EBADMSG;
	memset(&s, 0, sizeof(s));
	s.type = t;
	switch (t) {
	case TERN_DHCP6_NTP_SRV_ADDR:
	case TERN_DHCP6_NTP_MC_ADDR:
		if (l != 16)
			return -EBADMSG;
		memcpy(&s.addr, data + p, 16);
		break;
	case TERN_DHCP6_NTP_SRV_FQDN: {
		size_t end, text;
		int r = name_scan(data + p, l, 0, &end, &text);
		if (r < 0)
			return r;
		if (end != l)
			return -EBADMSG;
		s.fqdn = data + p;
		s.fqdn_len = l;
		break;
	}
	default:
		break;
	}
	*ret = s;
	*pos = p + l;
	return 1;
}
