/* ternd configuration loader, DHCPv6 part (config/ only): the readers of a
 * Dhcp6 map and what they share. */
#ifndef TERND_CONFIG_LOADER6_H
#define TERND_CONFIG_LOADER6_H

#include "server/config/config6.h"
#include "server/config/loader.h"

/* The Dhcp6 map into ld->cfg (the shared sections) and a new
 * cfg->v6 (dhcp6.c). */
void ld_parse_dhcp6(struct loader *ld, const struct tjson *d);

/* What one level says of where reservations are looked for
 * (dhcp6_hosts.c). */
struct ld6_res {
	uint8_t set; /* bit 0 global, 1 in-subnet, 2 out-of-pool */
	bool global, in_subnet, out_of_pool;
	const struct tjson *mode; /* reservation-mode, NULL if none */
};

/* Lifetimes and timers one level sets (dhcp6.c). */
struct pparams6 {
	uint32_t set; /* bit per P6_* */
	struct ternd_params6 v;
	struct ld6_res res;
};
/* Returns true when m is a lifetime, timer or rapid-commit key; the
 * latter only where allow_rapid. */
bool ld6_parse_param(struct loader *ld, const struct tjson *m,
		     struct pparams6 *pp, bool allow_rapid);
/* Global, shared network, then subnet over the defaults (any level may
 * be NULL). */
void ld6_resolve(struct loader *ld, const struct pparams6 *global,
		 const struct pparams6 *network, const struct pparams6 *subnet,
		 struct tjson_pos pos, struct ternd_params6 *out);
/* A key no v6 reader took: refused by name when Kea's but not
 * implemented, accepted when without effect, else warned about. */
void ld6_other_key(struct loader *ld, const struct tjson *m, const char *where);

/* Whether (space, code or name) is one of Kea 2.2's standard DHCPv6
 * definitions (dhcp6_optdefs.c). */
bool ld6_std_def(const char *space, uint16_t code, const char *name);

/* option-data of one level (dhcp6_options.c); names and codes the
 * option-def (ld->defs, read first) defines are encoded by it. */
void ld6_parse_optlist(struct loader *ld, const struct tjson *arr,
		       struct ternd_optlist6 *out);

/* What a shared network gives its subnets (dhcp6_networks.c). */
struct ld6_net {
	struct ternd_network6 *net;
	struct pparams6 pp;
	const char *iface;
	const uint8_t *iface_id;
	uint16_t iface_id_len;
	const struct in6_addr *relays;
	size_t n_relays;
};

/* One subnet6 entry into s (dhcp6_subnets.c); net NULL for a top-level
 * one. *ok is false when it is not to be kept. */
void ld6_parse_subnet(struct loader *ld, const struct tjson *o,
		      const struct pparams6 *global, const struct ld6_net *net,
		      struct ternd_subnet6 *s, bool *ok);
/* A relay map into *ret_v / *ret_n. */
void ld6_parse_relay(struct loader *ld, const struct tjson *o,
		     const struct in6_addr **ret_v, size_t *ret_n);

/* subnet6 and shared-networks (either may be NULL): every subnet into
 * c6->subnets in id order, the networks into c6->networks, Kea's
 * consistency checks (dhcp6_networks.c). */
void ld6_parse_subnets(struct loader *ld, const struct tjson *subnets,
		       const struct tjson *networks,
		       const struct pparams6 *global, struct ternd_config6 *c6);

/* expired-leases-processing (dhcp6_expiry.c): ternd's defaults, then
 * the map's keys over them. */
void ld6_expiry_defaults(struct ternd_expiry6 *x);
void ld6_parse_expiry(struct loader *ld, const struct tjson *m,
		      struct ternd_expiry6 *x);
/* client-classes (dhcp6_classes.c): the classes into ld->cfg->classes
 * (classes.c), what each gives into c6->classes; after every section that
 * names classes, ld6_finish_classes. */
void ld6_parse_client_classes(struct loader *ld, const struct tjson *arr,
			      struct ternd_config6 *c6);
void ld6_finish_classes(struct loader *ld, struct ternd_config6 *c6);
/* client-class (its name into *ret_name, NULL when empty; its index into
 * u) or require-client-classes (into u): true when m is one of them. */
bool ld6_class_key(struct loader *ld, const struct tjson *m,
		   const char **ret_name, struct ternd_class_use *u);

/* Host reservations (dhcp6_hosts.c). A reservations-* flag or
 * reservation-mode of one level: true when m is one. */
bool ld6_res_param(struct loader *ld, const struct tjson *m, struct ld6_res *r);
/* The flags of global, network, subnet (any NULL) into out. */
void ld6_res_resolve(const struct ld6_res *global, const struct ld6_res *net,
		     const struct ld6_res *subnet, struct ternd_params6 *out);
/* A Dhcp6 key of host reservations (reservations, ip-reservations-unique,
 * host-reservation-identifiers, early-global-reservations-lookup): true
 * when m is one; the global reservations list goes to *ret_res. */
bool ld6_hosts_key(struct loader *ld, const struct tjson *m,
		   struct ternd_config6 *c6, const struct tjson **ret_res);
/* The global reservations list into c6->res. */
void ld6_parse_global_hosts(struct loader *ld, const struct tjson *arr,
			    struct ternd_config6 *c6);
/* Kea's CfgHosts::add checks of v[n] against v[0..n) (one subnet-id):
 * a resource at least, no address or prefix reserved twice (unless
 * ip-reservations-unique is false). at: the entry. */
bool ld6_host_ok(struct loader *ld, const struct ternd_reservation6 *v,
		 size_t n, const struct tjson *at);
/* One reservation map into r (dhcp6_subnets.c); s NULL for a global
 * one (its addresses are then in no subnet). */
void ld6_parse_reservation(struct loader *ld, const struct tjson *o,
			   const struct ternd_subnet6 *s,
			   struct ternd_reservation6 *r, bool *ok);

/* relay-supplied-options into c6->rsoo (dhcp6_rsoo.c). */
void ld6_parse_rsoo(struct loader *ld, const struct tjson *arr,
		    struct ternd_config6 *c6);

/* Kea takes an empty "interface" or "interface-id" as not given. */
static inline bool ld6_blank(const struct tjson *m)
{
	return m->type == TJSON_STRING && m->len == 0;
}

/* Text helpers. */
bool ld6_parse_addr(const char *s, struct in6_addr *ret);
bool ld6_parse_prefix(const char *s, struct in6_addr *ret, uint8_t *ret_len);
void ld6_mask(struct in6_addr *a, uint8_t plen);
/* Hosts in identifier order (type, length, bytes): qsort and bsearch
 * (dhcp6_hosts.c). */
int ld6_res_cmp(const void *a, const void *b);

#endif
