/* tern-mgr internals: the DHCPv4 / DHCPv6 lease handlers and MAP-T. */
#ifndef TERN_MGR_HANDLERS_H
#define TERN_MGR_HANDLERS_H

#include <stdbool.h>

#include "events.h"
#include "mgr.h"

/* true if l differs from c's current lease in what matters (v4 rules). */
bool mgr_v4_changed(const struct mgr_client *c, const struct tern_lease_v4 *l);

/*
 * Process one DHCPv4 message for c (lock held): apply it to the system via
 * m->net, update c, and return the event to publish (MGR_EV_NONE if none).
 */
enum mgr_event mgr_v4_handle(struct mgr *m, struct mgr_client *c,
			     const struct tern_lease_v4 *l, int64_t now);

/* The lease ran out (or was lost): remove it from the system and from c. */
enum mgr_event mgr_v4_expire(struct mgr *m, struct mgr_client *c);

/*
 * Merge l with c's current lease (a message without IA_NA or IA_PD keeps
 * the current one) into *ret. Returns false if nothing is assigned after
 * the merge.
 */
bool mgr_v6_merge(const struct mgr_client *c, const struct tern_lease_v6 *l,
		  struct tern_lease_v6 *ret);
/* true if the merged lease differs from the current one, lifetimes aside. */
bool mgr_v6_changed(const struct mgr_client *c, const struct tern_lease_v6 *l);
/* true if an expiry message names an address / prefix that is not ours. */
bool mgr_v6_stale(const struct mgr_client *c, const struct tern_lease_v6 *l);
enum mgr_event mgr_v6_handle(struct mgr *m, struct mgr_client *c,
			     const struct tern_lease_v6 *l, int64_t now);
enum mgr_event mgr_v6_expire(struct mgr *m, struct mgr_client *c);

/* Parse and derive MAP-T from c's lease into c->mapt / c->mapt_assigned.
 * Returns 0 (also when no option 95 came) or the libtern error. */
int mgr_mapt_update(struct mgr_client *c);
/* MAP parameters as key / value pairs (TR-181 names). */
void mgr_mapt_kv(const struct mgr_client *c, mgr_kv_fn fn, void *ctx);

/* Expire c if its lease ran out at now. Returns the event. */
enum mgr_event mgr_lease_check_expiry(struct mgr *m, struct mgr_client *c,
				      int64_t now);

/* Rewrite resolv.conf from every bound client (ResolvConf only). */
int mgr_resolv_write(struct mgr *m);

#endif
