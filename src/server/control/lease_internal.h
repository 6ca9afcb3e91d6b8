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
#include "server/engine4/lease.h"

/* An error text for the answer. */
struct lc_err {
	char *text;
	size_t len;
};

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
