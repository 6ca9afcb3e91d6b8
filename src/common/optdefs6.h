/* DHCPv6 option definitions: Kea 2.2's standard spaces (dhcp6, the S46
 * containers, 4o6 = vendor 2495, docsis3-v6 = vendor 4491). */
#ifndef TERN_COMMON_OPTDEFS6_H
#define TERN_COMMON_OPTDEFS6_H

#include <stddef.h>
#include <stdint.h>

#include "common/optdefs.h"

#define TERN_SPACE_DHCP6      "dhcp6"
#define TERN_SPACE_DOCSIS3_V6 "docsis3-v6"
#define TERN_SPACE_ISC_V6     "4o6"
#define TERN_SPACE_MAPE	      "s46-cont-mape-options"
#define TERN_SPACE_MAPT	      "s46-cont-mapt-options"
#define TERN_SPACE_LW	      "s46-cont-lw-options"
#define TERN_SPACE_S46_RULE   "s46-rule-options"
#define TERN_SPACE_S46_BIND   "s46-v4v6bind-options"
#define TERN_ENTERPRISE_ISC   2495

/*
 * Standard definitions of a DHCPv6 space (LibDHCP::getOptionDef with the
 * V6 universe): NULL when the space has none with that code or name.
 */
const struct tern_optdef *tern_optdef6_std(const char *space, uint16_t code);
const struct tern_optdef *tern_optdef6_std_name(const char *space,
						const char *name);
/* A vendor's DHCPv6 definitions (LibDHCP::getVendorOptionDefs): 4491 is
 * docsis3-v6, 2495 is 4o6; NULL for any other enterprise. */
const struct tern_optdef *tern_optdef6_vendor(uint32_t enterprise,
					      uint16_t code);
const struct tern_optdef *tern_optdef6_vendor_name(uint32_t enterprise,
						   const char *name);
/* Whether space is one of the standard DHCPv6 spaces above. */
bool tern_optdef6_is_std_space(const char *space);
/* The i-th standard definition of every DHCPv6 space, dhcp6 first
 * (tests, docs); NULL past the end. */
const struct tern_optdef *tern_optdef6_std_at(size_t i);

#endif
