/* ternd engine, classification (engine4/ only): a request's client classes
 * in Kea's order, and what they give (subnets, pools, options, fields,
 * lifetimes). */
#ifndef TERND_ENGINE4_CLASSIFY_H
#define TERND_ENGINE4_CLASSIFY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "server/classify/expr.h"
#include "server/config/config.h"
#include "server/engine4/reply.h"

#define E4_CLASS_WORDS (TERND_MAX_CLASSES / 64)

/*
 * One request's classes: a bit set (what member() and client-class read)
 * and the order they were added in (what options, fixed fields and
 * lifetimes follow). Lives in the engine, one request at a time; only the
 * words the configuration uses are cleared per request.
 */
struct e4_classes {
	struct ternd_class_set s; /* the classes, in order (config.h) */
	bool on;		  /* the configuration uses classes */
	bool late_done;		  /* e4_classify_lease ran */
	struct ternd_expr_pkt pkt;
	struct ternd_expr_memo memo; /* the packet's values, found once */
	/* The tests the batch decided for this packet, and how. */
	uint64_t decided[E4_CLASS_WORDS];
	uint64_t verdict[E4_CLASS_WORDS];
	struct ternd_expr_scratch scratch;
};

struct ternd_engine;
struct req;

/*
 * Classification before the subnet is chosen: BOOTP (the bootp hook's
 * flag), ALL, VENDOR_CLASS_<option 60>, the tests that do not depend on
 * KNOWN. Returns 0, or -EACCES when the packet is in DROP (the caller
 * drops it, counted as TERND_DROP_CLASS).
 */
int e4_classify_start(struct ternd_engine *e, struct req *q);
/*
 * After the subnet is chosen (q->sel): the reservation's classes (a
 * global reservation's, or a subnet's outside a shared network: the first
 * pass is then evaluated again), KNOWN or UNKNOWN, the tests depending on
 * KNOWN. Returns 0 or -EACCES (DROP).
 */
int e4_classify_host(struct ternd_engine *e, struct req *q);
/*
 * Once the lease's subnet si and address addr (host order; 0 = none, an
 * INFORM) are known, before the reply is built: a shared network
 * subnet's reservation classes, then the required classes of the shared
 * network, the subnet and addr's pool, evaluated in that order.
 */
void e4_classify_lease(struct ternd_engine *e, struct req *q, uint32_t si,
		       uint32_t addr);

/* Whether the request is in class idx (idx < 0: a name never used). */
bool e4_class_in(const struct req *q, int32_t idx);
/* client-class of a pool, subnet or network lets the request use it. */
bool e4_class_allows(const struct req *q, const struct ternd_class_use *u);
/* Subnet si and its shared network both let the request use it (Kea's
 * Subnet4::clientSupported). */
bool e4_sub_allows(const struct ternd_engine *e, const struct req *q,
		   uint32_t si);
/* addr (host order) is in a pool of subnet si the request may use. */
bool e4_pool_allows(const struct ternd_engine *e, const struct req *q,
		    uint32_t si, uint32_t addr);

/* addr (host order) in subnet si may be leased to the request as far as
 * classes go: the subnet allows it, and addr is its reserved address or in
 * a pool it may use (Kea's inAllowedPool). */
bool e4_addr_allowed(struct ternd_engine *e, struct req *q, uint32_t si,
		     uint32_t addr);

/*
 * The option-data lists of the request's classes that have options, in
 * the order the classes were added: they go between the shared network's
 * and the global list. Returns how many of max were stored.
 */
size_t e4_class_levels(const struct ternd_engine *e, const struct req *q,
		       const struct ternd_optlist **out, size_t max);
/* siaddr/sname/file: the first class (in order) setting each overrides the
 * subnet's values already in p; a reservation's override these. */
void e4_class_fields(const struct ternd_engine *e, const struct req *q,
		     uint32_t *siaddr, const char **sname, const char **file);
/* The first class (in order) with a valid-lifetime, NULL if none. */
const struct ternd_class *e4_class_lifetime(const struct ternd_engine *e,
					    const struct req *q);

#endif
