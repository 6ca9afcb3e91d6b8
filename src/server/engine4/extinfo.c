/* ternd engine: a lease's extended info (Kea 2.2's store-extended-info):
 * the relay agent information (option 82) of the query that made or
 * renewed it, kept with the lease as Kea keeps it in its user-context. */
#include <string.h>

#include <tern/dhcp4.h>

#include "server/engine4/internal.h"

struct sub {
	uint8_t code;
	uint8_t len;
	const uint8_t *v;
};

/*
 * Kea's AllocEngine::updateLease4ExtendedInfo: with store-extended-info in
 * the lease's subnet and option 82 in the query, the lease gets
 * "relay-agent-info": the option's data as Option::toHexString packs it
 * again: its sub-options in code order (Kea keeps them in a multimap by
 * code; one code's in the order received). Without option 82 the lease
 * keeps what it had. 82 is checked when the query is decoded, so every
 * sub-option fits.
 */
void e4_extinfo_set(struct ternd_engine *e, const struct req *q,
		    struct ternd_lease *l)
{
	struct sub v[TERND_LEASE_RAI_MAX / 2];
	size_t n = 0, pos = 0, out = 0;
	int32_t si = sub_by_id(e, l->subnet_id);
	uint8_t code, len;
	const uint8_t *d;

	if (si < 0 || !e->subs[si].s->params.store_extended_info ||
	    !q->rq.has_rai || q->rq.rai_len > TERND_LEASE_RAI_MAX)
		return;
	while (n < sizeof(v) / sizeof(v[0]) &&
	       tern_dhcp4_subopt_next(q->rq.rai, q->rq.rai_len, &pos, &code, &d,
				      &len) > 0) {
		size_t k = n++;

		/* Insertion sort, stable: equal codes keep their order. */
		while (k > 0 && v[k - 1].code > code) {
			v[k] = v[k - 1];
			k--;
		}
		v[k] = (struct sub){code, len, d};
	}
	for (size_t i = 0; i < n; i++) {
		l->rai[out++] = v[i].code;
		l->rai[out++] = v[i].len;
		memcpy(l->rai + out, v[i].v, v[i].len);
		out += v[i].len;
	}
	l->rai_len = (uint8_t)out;
}
