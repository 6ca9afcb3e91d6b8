/* ternd configuration: DHCPv6 option values, option-data text to the bytes
 * kea-dhcp6 2.2 puts on the wire, and the definitions they are built by. */
#ifndef TERND_DHCP6_OPTVAL_H
#define TERND_DHCP6_OPTVAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/optdefs6.h"
#include "server/config/options.h"

#define LD6_WHY_LEN 240 /* room for a reason */

/*
 * Kea's findOptionDefinition for a DHCPv6 space: the user's option-def
 * (ds, may be NULL), the space's standard definitions, then a vendor's
 * ("vendor-<n>": 4491 is docsis3-v6, 2495 is 4o6). NULL when nothing
 * defines it.
 */
const struct tern_optdef *ld6_def_find(const struct ternd_defset *ds,
				       const char *space, uint16_t code);
const struct tern_optdef *ld6_def_find_name(const struct ternd_defset *ds,
					    const char *space,
					    const char *name);

/*
 * An option value (no code/length header) from option-data "data": def
 * NULL is an option without a definition (the bytes as given, hex only);
 * csv is Kea's csv-format. The value is what Kea's option class packs:
 * sub-options a hex value carries are re-packed in code order. Returns the
 * length, or -EINVAL with Kea's reason in why (LD6_WHY_LEN), -EBADMSG
 * (with why) when csv-format false text is not hex, -ENOBUFS.
 */
int ld6_optval(const struct ternd_defset *ds, const struct tern_optdef *def,
	       const char *data, bool csv, uint8_t *out, size_t cap, char *why);
/* The same from bytes (OptionDefinition::optionFactory on a buffer);
 * sub-options in a value are parsed by the standard definitions of
 * their space, then ds's (LibDHCP's runtime definitions). */
int ld6_optval_bytes(const struct ternd_defset *ds,
		     const struct tern_optdef *def, const uint8_t *in, size_t n,
		     uint8_t *out, size_t cap, char *why);

#endif
