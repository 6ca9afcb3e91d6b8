/* ternd control, lease commands: Kea's argument readers (SimpleParser's
 * and lease_parser's texts) and Lease4::toElement, shared by cmds_lease*.c.
 */
#ifndef TERND_CONTROL_LEASE_INTERNAL_H
#define TERND_CONTROL_LEASE_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/json.h"
#include "server/config/config.h"
#include "server/control/cmds_lease.h"
#include "server/engine4/lease.h"

/* An error text for the answer. */
struct lc_err {
	char *text;
	size_t len;
};

/* One command's context: the commands' needs, its arguments, the
 * answer's document, the text. */
struct lc_cmd {
	struct ternd_lease_cmds *lc;
	const struct tjson *args;
	struct tjson_doc *out;
	struct lc_err err;
};

/* A list of stored addresses, sorted. */
struct lc_addrs {
	uint32_t *v;
	size_t n, cap;
	/* the filter */
	int (*want)(const struct lc_addrs *a, const struct ternd_lease *l);
	const void *arg;
	uint32_t after; /* get-page: addresses above this only */
	bool has_after;
	/* get-page: only the keep lowest (v is then a max-heap until
	 * sorted), so a page costs one pass, not a sort of the table */
	size_t keep;
	int err;
};

/* The stored addresses the filter keeps, sorted: 0, or an error in
 * x->err (a->v freed). */
int lc_collect(struct lc_cmd *x, struct lc_addrs *a);
/* {"leases": [...]} (and "count") of v[0..n), Kea's "N IPv4 lease(s)
 * found."; returns the result (3 when n is 0). */
int lc_lease_list(struct lc_cmd *x, const uint32_t *v, size_t n, bool count,
		  struct tjson **ret_args, char *text, size_t text_len);
/* Whether a lease has this hardware address / this client-id as Kea
 * keeps it (only where its subnet matches on client-id). */
bool lc_hw_is(const struct ternd_lease *l, const uint8_t *v, uint8_t n);
bool lc_cid_is(const struct ternd_config *cfg, const struct ternd_lease *l,
	       const uint8_t *v, uint8_t n);
/* Hand changes to the store and wait until they are durable; the error
 * text in x->err. 0 or -errno. */
int lc_commit(struct lc_cmd *x, const struct ternd_change *v, size_t n);
/* The engine's table changed. */
void lc_applied(struct lc_cmd *x);

/* The list commands (cmds_lease_list.c), ternd_ctl_fn each. */
int lc_cmd_get_all(void *ctx, const struct tjson *args, struct tjson_doc *out,
		   struct tjson **ret_args, char *text, size_t text_len);
int lc_cmd_get_page(void *ctx, const struct tjson *args, struct tjson_doc *out,
		    struct tjson **ret_args, char *text, size_t text_len);
int lc_cmd_get_by_hw(void *ctx, const struct tjson *args, struct tjson_doc *out,
		     struct tjson **ret_args, char *text, size_t text_len);
int lc_cmd_get_by_cid(void *ctx, const struct tjson *args,
		      struct tjson_doc *out, struct tjson **ret_args,
		      char *text, size_t text_len);
int lc_cmd_get_by_host(void *ctx, const struct tjson *args,
		       struct tjson_doc *out, struct tjson **ret_args,
		       char *text, size_t text_len);
int lc_cmd_wipe(void *ctx, const struct tjson *args, struct tjson_doc *out,
		struct tjson **ret_args, char *text, size_t text_len);

int lc_fail(struct lc_err *err, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Kea's "(<wire>:L:C)" of a value or of the map holding a missing key. */
void lc_pos(const struct tjson *v, char *buf, size_t len);

/* SimpleParser's getString / getInteger / getBoolean / getUint32 /
 * getUint8 / getAddress: 0, or -EINVAL with Kea's text in err. */
int lc_get_string(const struct tjson *map, const char *name, const char **ret,
		  struct lc_err *err);
int lc_get_int(const struct tjson *map, const char *name, int64_t *ret,
	       struct lc_err *err);
int lc_get_bool(const struct tjson *map, const char *name, bool *ret,
		struct lc_err *err);
int lc_get_uint(const struct tjson *map, const char *name, int64_t max,
		int64_t *ret, struct lc_err *err);
int lc_get_addr4(const struct tjson *map, const char *name, uint32_t *ret,
		 struct lc_err *err);

/* Text to an IPv4 address (host order): 0, 1 when it is an IPv6
 * address (canonical text in v6, 46 bytes), -EINVAL otherwise. */
int lc_parse_addr(const char *s, uint32_t *ret, char *v6);

/* HWAddr::fromText (colon-separated) and ClientId::fromText (Kea's
 * formatted hex), with their texts: 0 or -EINVAL. */
int lc_parse_hw(const char *s, uint8_t *out, uint8_t *ret_len,
		struct lc_err *err);
int lc_parse_cid(const char *s, uint8_t *out, uint8_t *ret_len,
		 struct lc_err *err);

/* decodeFormattedHexString (colons, blanks or plain digits) into
 * out[0..cap): 0, -E2BIG past cap, or -EINVAL with Kea's text. */
int lc_parse_hex(const char *s, uint8_t *out, size_t cap, size_t *ret_len,
		 struct lc_err *err);

/* Lease4Parser::parse: the lease lease4-add / lease4-update give (state
 * and times set), and force-create. now: the clock. */
int lc_parse_lease(const struct ternd_config *cfg, const struct tjson *args,
		   int64_t now, struct ternd_lease *ret, bool *ret_force,
		   struct lc_err *err);

/* Kea's lease state (0 default, 1 declined, 2 expired-reclaimed). */
int lc_kea_state(uint8_t state);

/* Lease4::toElement, keys sorted; NULL when building failed. */
struct tjson *lc_lease_json(struct tjson_doc *out,
			    const struct ternd_config *cfg,
			    const struct ternd_lease *l);

#endif
