/* DHCPv4 option definitions: Kea's option names and types, by name and by code.
 */
#ifndef TERN_COMMON_OPTDEFS_H
#define TERN_COMMON_OPTDEFS_H

#include <stdbool.h>
#include <stdint.h>

enum tern_opt_type {
	TERN_OT_EMPTY,	/* no data */
	TERN_OT_BINARY, /* hex text, whatever csv-format says */
	TERN_OT_BOOL,	/* "true"/"false"/"1"/"0" -> 1 byte */
	TERN_OT_U8,
	TERN_OT_U16,
	TERN_OT_U32,
	TERN_OT_I32,
	TERN_OT_IPV4,
	TERN_OT_STRING,	   /* the whole data text, commas included */
	TERN_OT_FQDN,	   /* RFC 1035 labels, uncompressed */
	TERN_OT_ROUTES,	   /* option 121: "net/len - gw, ..." (RFC 3442) */
	TERN_OT_IPV4_PAIR, /* options 21, 33: an even list of addresses */
};

struct tern_optdef {
	const char *name; /* Kea's name */
	uint8_t code;
	uint8_t type; /* enum tern_opt_type */
	bool array;   /* data is a comma-separated list */
};

const struct tern_optdef *tern_optdef_by_name(const char *name);
const struct tern_optdef *tern_optdef_by_code(uint8_t code);
/* Kea's type name for messages and docs ("ipv4-address", ...). */
const char *tern_opt_type_name(enum tern_opt_type t);

#endif
