/* ternd DHCPv6 engine: relay-supplied options (RFC 6422) copied into the
 * reply, as kea-dhcp6 2.2's processRSOO. */
#include <stdlib.h>

#include "server/engine6/internal6.h"

#define OPT_RSOO		  66
#define OPT_ERP_LOCAL_DOMAIN_NAME 65

static int cmp_u16(const void *a, const void *b)
{
	return (int)*(const uint16_t *)a - (int)*(const uint16_t *)b;
}

static bool enabled(const struct ternd_config6 *c6, uint16_t code)
{
	if (!c6->rsoo)
		return code == OPT_ERP_LOCAL_DOMAIN_NAME;
	return bsearch(&code, c6->rsoo, c6->n_rsoo, sizeof(*c6->rsoo),
		       cmp_u16) != NULL;
}

void e6_put_rsoo(struct e6_req *r, struct tern_dhcp6_writer *w, size_t body)
{
	/* The relays in the order the message went through them (the one
	 * nearest the client first); an enabled option the reply has no
	 * option of (RFC 6422 §6: the server's own win) is copied, the
	 * first of each code. */
	for (int i = r->n_relays - 1; i >= 0; i--) {
		struct tern_dhcp6_opt_iter it;
		const uint8_t *v, *sv;
		uint16_t code, len;
		int n = tern_dhcp6_opt_find(
			r->relays[i].opts, r->relays[i].opts_len, OPT_RSOO, &v);

		if (n <= 0)
			continue;
		tern_dhcp6_opt_iter_init(&it, v, (size_t)n);
		while (tern_dhcp6_opt_next(&it, &code, &sv, &len) == 1) {
			const uint8_t *x;

			if (!enabled(r->e->c6, code) || w->err ||
			    w->pos < body ||
			    tern_dhcp6_opt_find(w->buf + body, w->pos - body,
						code, &x) >= 0)
				continue;
			tern_dhcp6_put(w, code, sv, len);
		}
	}
}
