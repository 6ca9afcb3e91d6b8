/* DHCPv4 option definitions: Kea 2.2's data types and its standard option
 * spaces (dhcp4, the last-resort 43, docsis3-v4 = vendor 4491). */
#ifndef TERN_COMMON_OPTDEFS_H
#define TERN_COMMON_OPTDEFS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Kea's OptionDataType, in Kea's order (option_data_types.h). */
enum tern_opt_type {
	TERN_OT_EMPTY,
	TERN_OT_BINARY,
	TERN_OT_BOOL,
	TERN_OT_I8,
	TERN_OT_I16,
	TERN_OT_I32,
	TERN_OT_U8,
	TERN_OT_U16,
	TERN_OT_U32,
	TERN_OT_IPV4,
	TERN_OT_IPV6,
	TERN_OT_IPV6_PREFIX,
	TERN_OT_PSID,
	TERN_OT_STRING,
	TERN_OT_TUPLE,
	TERN_OT_FQDN,
	TERN_OT_RECORD,
	TERN_OT_COUNT, /* not a type */
};

#define TERN_OPTDEF_MAX_FIELDS 16 /* record fields a definition may have */

/*
 * One option definition, as Kea's OptionDefParams: a record's field types
 * are in fields (array: the last field repeats); encapsulate names the
 * option space its sub-options come from (NULL: none).
 */
struct tern_optdef {
	const char *name;
	const char *space;
	const char *encapsulate;
	const uint8_t *fields; /* enum tern_opt_type, n_fields of them */
	uint8_t n_fields;
	uint16_t code; /* a DHCPv4 one is at most 255 */
	uint8_t type;  /* enum tern_opt_type */
	bool array;
};

#define TERN_SPACE_DHCP4	  "dhcp4"
#define TERN_SPACE_AGENT	  "dhcp-agent-options-space"
#define TERN_SPACE_VENDOR_ENCAP	  "vendor-encapsulated-options-space"
#define TERN_SPACE_DOCSIS3	  "docsis3-v4"
#define TERN_ENTERPRISE_CABLELABS 4491

/*
 * Standard definitions of a space (LibDHCP::getOptionDef): "dhcp4" and
 * "docsis3-v4". Option 43 is not among them (Kea defers it): see
 * tern_optdef_last_resort().
 */
const struct tern_optdef *tern_optdef_std(const char *space, uint8_t code);
const struct tern_optdef *tern_optdef_std_name(const char *space,
					       const char *name);
/* Vendor definitions by enterprise number (4491: DOCSIS 3). */
const struct tern_optdef *tern_optdef_vendor(uint32_t enterprise, uint8_t code);
const struct tern_optdef *tern_optdef_vendor_name(uint32_t enterprise,
						  const char *name);
/* The dhcp4 definitions used when nothing else defines the code: 43. */
const struct tern_optdef *tern_optdef_last_resort(uint8_t code);
const struct tern_optdef *tern_optdef_last_resort_name(const char *name);

/* dhcp4 space, standard or last resort: names for messages and ternctl. */
const struct tern_optdef *tern_optdef_by_name(const char *name);
const struct tern_optdef *tern_optdef_by_code(uint8_t code);
/* The i-th standard dhcp4 definition (tests, docs), NULL past the end. */
const struct tern_optdef *tern_optdef_std_at(size_t i);

/* Kea's type name ("ipv4-address", ...), and back; -1 if unknown. */
const char *tern_opt_type_name(enum tern_opt_type t);
int tern_opt_type_of(const char *name);
/* Encoded size of a fixed-size type, 0 for variable ones. */
size_t tern_opt_type_len(enum tern_opt_type t);

/*
 * "vendor-<enterprise>" → the enterprise number (Kea's
 * optionSpaceToVendorId); 0 when the space is not a vendor space.
 */
uint32_t tern_space_vendor_id(const char *space);
/* Kea's OptionSpace::validateName: [A-Za-z0-9_-], not starting or ending
 * with '-' or '_'. Option names follow the same rule. */
bool tern_space_name_ok(const char *name);

#endif
