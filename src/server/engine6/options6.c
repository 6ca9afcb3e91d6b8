/* ternd DHCPv6 engine: the configured options of a reply: those the ORO
 * asks for and the always-send ones, from the first level that has each
 * (reservation, pool, subnet, global, as Kea). */
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
	case 67: /* PD-Exclude: inside IAPREFIX */
		return true;
	default:
		return false;
	}
}

static size_t levels(const struct e6_req *r, const struct ternd_optlist6 **out)
{
	size_t n = 0;

	if (r->res)
		out[n++] = &r->res->options;
	if (r->pool)
		out[n++] = &r->pool->options;
	if (r->subnet)
		out[n++] = &r->subnet->options;
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

void e6_put_options(struct e6_req *r, struct tern_dhcp6_writer *w)
{
	const struct ternd_optlist6 *lv[4];
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
}
