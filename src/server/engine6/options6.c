/* ternd DHCPv6 engine: the configured options of a reply: those the ORO
 * asks for and the always-send ones, from the first level that has each
 * (reservation, pools, subnet, shared network, classes, global, as Kea);
 * then the vendor-N options inside option 17, as Kea 2.2's
 * appendRequestedVendorOptions. */
#include <string.h>

#include "server/engine6/internal6.h"

/* Options the engine writes itself, never from option-data. */
static bool engine_owned(uint16_t code)
{
	switch (code) {
	case TERN_DHCP6_OPT_CLIENTID:
	case TERN_DHCP6_OPT_SERVERID:
	case TERN_DHCP6_OPT_IA_NA:
	case TERN_DHCP6_OPT_IA_TA:
	case TERN_DHCP6_OPT_IAADDR:
	case TERN_DHCP6_OPT_ORO:
	case TERN_DHCP6_OPT_RELAY_MSG:
	case TERN_DHCP6_OPT_STATUS_CODE:
	case TERN_DHCP6_OPT_RAPID_COMMIT:
	case TERN_DHCP6_OPT_INTERFACE_ID:
	case TERN_DHCP6_OPT_IA_PD:
	case TERN_DHCP6_OPT_IAPREFIX:
	case 67:			 /* PD-Exclude: inside IAPREFIX */
	case TERN_DHCP6_OPT_VENDOR_OPTS: /* written with its vendor's ones */
		return true;
	default:
		return false;
	}
}

/* Kea 2.2's buildCfgOptionList: the host, the pool of each lease given
 * (in the final subnet), the subnet, its network, the request's classes
 * (the required ones too) in the order they joined, global. */
static size_t levels(const struct e6_req *r, const struct ternd_optlist6 **out)
{
	size_t n = 0;

	if (r->res)
		out[n++] = &r->res->options;
	for (size_t i = 0; r->subnet && i < r->n_got; i++) {
		const struct ternd_optlist6 *o;
		const struct ternd_class_use *u;

		if (e6_pool_of(r->subnet, &r->got[i], &o, &u) &&
		    (o->n || o->n_vend))
			out[n++] = o;
	}
	if (r->subnet)
		out[n++] = &r->subnet->options;
	if (r->subnet && r->subnet->network)
		out[n++] = &r->subnet->network->options;
	n += e6_class_options(r, out + n, E6_MAX_LEVELS - 1 - n);
	out[n++] = &r->e->c6->options;
	return n;
}

static bool written(const uint16_t *done, size_t n, uint16_t code)
{
	for (size_t i = 0; i < n; i++)
		if (done[i] == code)
			return true;
	return false;
}

#define VENDOR_CABLE_LABS 4491
#define DOCSIS3_V6_ORO	  1

static uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

void e6_read_vendor(struct e6_req *r, uint16_t code, const uint8_t *v,
		    uint16_t len)
{
	if (len < 4)
		return; /* no enterprise number: no vendor */
	if (code == TERN_DHCP6_OPT_VENDOR_CLASS) {
		if (!r->vendor_class_id)
			r->vendor_class_id = be32(v);
		return;
	}
	if (r->vendor_opts_id)
		return;
	r->vendor_opts_id = be32(v);
	if (r->vendor_opts_id == VENDOR_CABLE_LABS) {
		const uint8_t *o;
		int n = tern_dhcp6_opt_find(v + 4, len - 4u, DOCSIS3_V6_ORO,
					    &o);

		if (n > 0 && n % 2 == 0) {
			r->vendor_oro = o;
			r->vendor_oro_len = (uint16_t)n;
		}
	}
}

/* Whether the configured option 17 goes in the reply: the ORO asks for
 * it or a level has it always-send; the first level's then. */
static const struct ternd_option6 *
configured_vendor_opts(const struct e6_req *r,
		       const struct ternd_optlist6 *const *lv, size_t nl)
{
	bool asked = false;

	for (size_t i = 0; i + 1 < r->oro_len; i += 2)
		asked |= (r->oro[i] << 8 | r->oro[i + 1]) ==
			 TERN_DHCP6_OPT_VENDOR_OPTS;
	for (size_t k = 0; !asked && k < nl; k++) {
		const struct ternd_option6 *o =
			ternd_optlist6_find(lv[k], TERN_DHCP6_OPT_VENDOR_OPTS);

		asked = o && o->always_send;
	}
	for (size_t k = 0; asked && k < nl; k++) {
		const struct ternd_option6 *o =
			ternd_optlist6_find(lv[k], TERN_DHCP6_OPT_VENDOR_OPTS);

		if (o)
			return o;
	}
	return NULL;
}

/* Option 17: the configured one (if it goes) with the sub-options of its
 * vendor the client asks for (CableLabs ORO) or always-send; else a new
 * one for the client's vendor when there is such a sub-option. */
static void put_vendor(struct e6_req *r, struct tern_dhcp6_writer *w,
		       const struct ternd_optlist6 *const *lv, size_t nl)
{
	const struct ternd_option6 *cfg = configured_vendor_opts(r, lv, nl);
	uint8_t buf[TERND6_MAX_OPTION_LEN * 2];
	struct tern_dhcp6_writer sw;
	uint16_t done[E6_MAX_ORO + TERND6_MAX_OPTIONS];
	size_t nd = 0;
	uint32_t vendor = 0;
	bool from_client_17 = false;
	int len;

	if (cfg && cfg->len >= 4)
		vendor = be32(cfg->data);
	if (!vendor) {
		vendor = r->vendor_opts_id;
		from_client_17 = vendor != 0;
	}
	if (!vendor)
		vendor = r->vendor_class_id;
	tern_dhcp6_writer_init(&sw, buf, sizeof(buf));
	if (cfg)
		tern_dhcp6_put_bytes(&sw, cfg->data, cfg->len);
	else
		tern_dhcp6_put_bytes(&sw,
				     (const uint8_t[4]){vendor >> 24,
							vendor >> 16,
							vendor >> 8, vendor},
				     4);
	if (vendor && r->subnet) {
		/* Asked (CableLabs' ORO, read only when the vendor came from
		 * the client's 17, as Kea), then the always-send ones. */
		for (size_t i = 0; from_client_17 &&
				   i + 1 < r->vendor_oro_len && nd < E6_MAX_ORO;
		     i += 2)
			done[nd++] = (uint16_t)(r->vendor_oro[i] << 8 |
						r->vendor_oro[i + 1]);
		for (size_t k = 0; k < nl; k++)
			for (size_t i = 0; i < lv[k]->n_vend; i++)
				if (lv[k]->vend[i].vendor == vendor &&
				    lv[k]->vend[i].always_send &&
				    nd < sizeof(done) / sizeof(done[0]))
					done[nd++] = lv[k]->vend[i].code;
		for (size_t i = 0; i < nd; i++) {
			bool again = false;

			for (size_t j = 0; j < i; j++)
				again |= done[j] == done[i];
			for (size_t k = 0; !again && k < nl; k++) {
				const struct ternd_option6 *o =
					ternd_optlist6_find_vendor(
						lv[k], vendor, done[i]);

				if (o) {
					tern_dhcp6_put(&sw, o->code, o->data,
						       o->len);
					cfg = cfg ? cfg
						  : o; /* something added */
					break;
				}
			}
		}
	}
	len = tern_dhcp6_writer_finish(&sw);
	if (cfg && len > 0)
		tern_dhcp6_put(w, TERN_DHCP6_OPT_VENDOR_OPTS, buf, (size_t)len);
}

void e6_put_options(struct e6_req *r, struct tern_dhcp6_writer *w)
{
	const struct ternd_optlist6 **lv = r->e->cls.levels;
	uint16_t done[E6_MAX_ORO + TERND6_MAX_OPTIONS];
	size_t nl = levels(r, lv), nd = 0;

	for (size_t i = 0; i + 1 < r->oro_len; i += 2) {
		uint16_t code = (uint16_t)(r->oro[i] << 8 | r->oro[i + 1]);

		if (nd >= E6_MAX_ORO || engine_owned(code) ||
		    written(done, nd, code))
			continue;
		for (size_t k = 0; k < nl; k++) {
			const struct ternd_option6 *o =
				ternd_optlist6_find(lv[k], code);

			if (!o)
				continue;
			tern_dhcp6_put(w, code, o->data, o->len);
			done[nd++] = code;
			break;
		}
	}
	for (size_t k = 0; k < nl; k++)
		for (size_t i = 0; i < lv[k]->n; i++) {
			const struct ternd_option6 *o = &lv[k]->v[i];

			if (!o->always_send || engine_owned(o->code) ||
			    written(done, nd, o->code) ||
			    nd >= sizeof(done) / sizeof(done[0]))
				continue;
			/* The first level that has the code gives it. */
			for (size_t j = 0; j < k; j++) {
				const struct ternd_option6 *f =
					ternd_optlist6_find(lv[j], o->code);

				if (f) {
					o = f;
					break;
				}
			}
			tern_dhcp6_put(w, o->code, o->data, o->len);
			done[nd++] = o->code;
		}
	put_vendor(r, w, lv, nl);
}

static void reverse(uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n / 2; i++) {
		uint8_t t = p[i];

		p[i] = p[n - 1 - i];
		p[n - 1 - i] = t;
	}
}

/* p[0..n) = A B becomes B A (a and b: their lengths). */
static void rotate(uint8_t *p, size_t a, size_t b)
{
	reverse(p, a);
	reverse(p + a, b);
	reverse(p, a + b);
}

void e6_sort_options(uint8_t *p, size_t len)
{
	size_t done = 0; /* p[0..done): whole options, sorted */

	while (done + TERN_DHCP6_OPT_HDR_LEN <= len) {
		uint16_t code = (uint16_t)(p[done] << 8 | p[done + 1]);
		size_t ol = TERN_DHCP6_OPT_HDR_LEN +
			    (size_t)(p[done + 2] << 8 | p[done + 3]);
		size_t at = 0;

		if (ol > len - done)
			return; /* the writer makes none: leave it */
		/* The first sorted option of a higher code: equal codes keep
		 * their order, as in Kea's multimap. */
		while (at < done && (uint16_t)(p[at] << 8 | p[at + 1]) <= code)
			at += TERN_DHCP6_OPT_HDR_LEN +
			      (size_t)(p[at + 2] << 8 | p[at + 3]);
		if (at < done)
			rotate(p + at, done - at, ol);
		done += ol;
	}
}
