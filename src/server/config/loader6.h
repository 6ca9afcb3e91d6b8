/* ternd configuration loader, DHCPv6 part (config/ only): the readers of a
 * Dhcp6 map and what they share. */
#ifndef TERND_CONFIG_LOADER6_H
#define TERND_CONFIG_LOADER6_H

#include "server/config/config6.h"
#include "server/config/loader.h"

/* The Dhcp6 map into ld->cfg (the shared sections) and a new
 * cfg->v6 (dhcp6.c). */
void ld_parse_dhcp6(struct loader *ld, const struct tjson *d);

/* Lifetimes and timers one level sets (dhcp6.c). */
struct pparams6 {
	uint32_t set; /* bit per P6_* */
	struct ternd_params6 v;
};
/* Returns true when m is a lifetime, timer or rapid-commit key; the
 * latter only where allow_rapid. */
bool ld6_parse_param(struct loader *ld, const struct tjson *m,
		     struct pparams6 *pp, bool allow_rapid);
/* Global then subnet over the defaults. */
void ld6_resolve(struct loader *ld, const struct pparams6 *global,
		 const struct pparams6 *subnet, struct tjson_pos pos,
		 struct ternd_params6 *out);
/* A key no v6 reader took: refused by name when Kea's but not
 * implemented, accepted when without effect, else warned about. */
void ld6_other_key(struct loader *ld, const struct tjson *m, const char *where);

/* option-data of one level (dhcp6_options.c). */
void ld6_parse_optlist(struct loader *ld, const struct tjson *arr,
		       struct ternd_optlist6 *out);

/* subnet6 (dhcp6_subnets.c). */
void ld6_parse_subnets(struct loader *ld, const struct tjson *arr,
		       const struct pparams6 *global, struct ternd_config6 *c6);

/* expired-leases-processing (dhcp6_expiry.c): ternd's defaults, then
 * the map's keys over them. */
void ld6_expiry_defaults(struct ternd_expiry6 *x);
void ld6_parse_expiry(struct loader *ld, const struct tjson *m,
		      struct ternd_expiry6 *x);

/* Text helpers. */
bool ld6_parse_addr(const char *s, struct in6_addr *ret);
bool ld6_parse_prefix(const char *s, struct in6_addr *ret, uint8_t *ret_len);
void ld6_mask(struct in6_addr *a, uint8_t plen);

#endif
