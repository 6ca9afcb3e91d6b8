/* ternd control, lease6 commands: Kea's argument readers for DHCPv6
 * (Lease6Parser, getParameters, DUID text) and Lease6::toElement, shared
 * by cmds_lease6*.c. */
#ifndef TERND_CONTROL_LEASE6_INTERNAL_H
#define TERND_CONTROL_LEASE6_INTERNAL_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/json.h"
#include "server/control/cmds_lease6.h"
#include "server/control/lease_internal.h"
#include "server/engine6/lease6.h"

/* One command's context. */
struct lc6_cmd {
	struct ternd_lease6_cmds *lc;
	const struct tjson *args;
	struct tjson_doc *out;
	struct lc_err err;
};

/* Kea's Lease::Type numbers; ternd keeps NA and PD only. */
#define LC6_TYPE_NA 0
#define LC6_TYPE_TA 1
#define LC6_TYPE_PD 2
#define LC6_TYPE_V4 3

/* Kea's Lease::typeToText. */
const char *lc6_type_text(int type);

/* getParameters(v6) of lease6-get / -del / bulk-apply's deleted-leases. */
enum lc6_query { LC6_Q_ADDR, LC6_Q_HW, LC6_Q_DUID, LC6_Q_CID };
struct lc6_query_args {
	enum lc6_query type;
	int lease_type; /* LC6_TYPE_* */
	struct in6_addr addr;
	uint32_t subnet_id;
	uint32_t iaid;
	uint8_t duid[TERND_LEASE6_DUID_MAX];
	uint8_t duid_len;
	bool update_ddns;
};
int lc6_query_params(const struct tjson *a, struct lc6_query_args *q,
		     struct lc_err *err);

/* DUID::fromText: 0 or -EINVAL with Kea's text. */
int lc6_parse_duid(const char *s, uint8_t *out, uint8_t *ret_len,
		   struct lc_err *err);

/* Text to an IPv6 address: 0, 1 when it is an IPv4 address, -EINVAL. */
int lc6_parse_addr(const char *s, struct in6_addr *ret);

/* Lease6Parser::parse: the lease lease6-add / -update / bulk-apply give,
 * and force-create. now: the clock. */
int lc6_parse_lease(const struct ternd_config *cfg, const struct tjson *args,
		    int64_t now, struct ternd_lease6 *ret, bool *ret_force,
		    struct lc_err *err);

/* Lease6::toElement, keys sorted; NULL when building failed. */
struct tjson *lc6_lease_json(struct tjson_doc *out,
			     const struct ternd_lease6 *l);

/* The stored binding a query names: 0 with *ret, -ENOENT. */
int lc6_find(struct lc6_cmd *x, const struct lc6_query_args *q,
	     struct ternd_lease6 *ret);

/* Hand changes to the store and wait until they are durable; the error
 * text in x->err. 0 or -errno. */
int lc6_commit(struct lc6_cmd *x, const struct ternd_change6 *v, size_t n);

/* The list commands and wipe (cmds_lease6_list.c), ternd_ctl_fn each. */
int lc6_cmd_get_all(void *ctx, const struct tjson *args, struct tjson_doc *out,
		    struct tjson **ret_args, char *text, size_t text_len);
int lc6_cmd_get_page(void *ctx, const struct tjson *args, struct tjson_doc *out,
		     struct tjson **ret_args, char *text, size_t text_len);
int lc6_cmd_get_by_duid(void *ctx, const struct tjson *args,
			struct tjson_doc *out, struct tjson **ret_args,
			char *text, size_t text_len);
int lc6_cmd_get_by_host(void *ctx, const struct tjson *args,
			struct tjson_doc *out, struct tjson **ret_args,
			char *text, size_t text_len);
int lc6_cmd_wipe(void *ctx, const struct tjson *args, struct tjson_doc *out,
		 struct tjson **ret_args, char *text, size_t text_len);

#endif
