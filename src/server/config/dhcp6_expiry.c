/* ternd configuration, DHCPv6: expired-leases-processing (Kea's
 * CfgExpiration keys and limits) into struct ternd_expiry6. */
#include <stdint.h>
#include <string.h>

#include "server/config/loader6.h"

void ld6_expiry_defaults(struct ternd_expiry6 *x)
{
	memset(x, 0, sizeof(*x));
	x->reclaim_timer_set = false;
	x->reclaim_timer_wait = 1;
	x->flush_wait = 25; /* Kea's: non-zero, reclaimed ones are kept */
	x->hold_reclaimed = 3600;
	x->max_reclaim_leases = 0;
	x->max_reclaim_time = 0;
	x->unwarned_cycles = 5;
}

void ld6_parse_expiry(struct loader *ld, const struct tjson *obj,
		      struct ternd_expiry6 *x)
{
	if (!ld_want_type(ld, obj, TJSON_OBJECT, "a map"))
		return;
	for (const struct tjson *m = obj->child; m; m = m->next) {
		uint32_t v;

		if (strcmp(m->key, "reclaim-timer-wait-time") == 0) {
			if (ld_get_u32(ld, m, 0, UINT16_MAX, &v)) {
				x->reclaim_timer_wait = (uint16_t)v;
				x->reclaim_timer_set = true;
			}
		} else if (strcmp(m->key, "flush-reclaimed-timer-wait-time") ==
			   0) {
			if (ld_get_u32(ld, m, 0, UINT16_MAX, &v))
				x->flush_wait = (uint16_t)v;
		} else if (strcmp(m->key, "hold-reclaimed-time") == 0) {
			ld_get_u32(ld, m, 0, UINT32_MAX, &x->hold_reclaimed);
		} else if (strcmp(m->key, "max-reclaim-leases") == 0) {
			ld_get_u32(ld, m, 0, UINT32_MAX,
				   &x->max_reclaim_leases);
		} else if (strcmp(m->key, "max-reclaim-time") == 0) {
			/* Kea's LIMIT_MAX_RECLAIM_TIME. */
			if (ld_get_u32(ld, m, 0, 10000, &v))
				x->max_reclaim_time = (uint16_t)v;
		} else if (strcmp(m->key, "unwarned-reclaim-cycles") == 0) {
			if (ld_get_u32(ld, m, 0, UINT16_MAX, &v))
				x->unwarned_cycles = (uint16_t)v;
		} else if (strcmp(m->key, "comment") == 0 ||
			   strcmp(m->key, "user-context") == 0) {
			continue;
		} else {
			ld6_other_key(ld, m, "expired-leases-processing");
		}
	}
}
