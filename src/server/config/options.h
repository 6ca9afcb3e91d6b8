/* ternd option values: option-data text to wire bytes exactly as Kea 2.2
 * builds them (CSV per type, hex, and the option classes' re-packing). */
#ifndef TERND_OPTIONS_H
#define TERND_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/optdefs.h"

/*
 * User option definitions (option-def), searched before the standard
 * ones: a client class's set points to the global one with next.
 */
struct ternd_defset {
	const struct tern_optdef *v;
	size_t n;
	const struct ternd_defset *next;
};

/*
 * Kea's findOptionDefinition: option-def sets, the space's standard
 * definitions, the vendor's (space "vendor-<n>"), then the dhcp4 last
 * resort (43 and, as newer Kea, 121). NULL when nothing defines it.
 */
const struct tern_optdef *ternd_def_find(const struct ternd_defset *ds,
					 const char *space, uint8_t code);
const struct tern_optdef *ternd_def_find_name(const struct ternd_defset *ds,
					      const char *space,
					      const char *name);
/* The user definition of (space, code or name) in ds only, or NULL. */
const struct tern_optdef *ternd_defset_get(const struct ternd_defset *ds,
					   const char *space, uint16_t code,
					   const char *name);

/* ternd's stand-in for newer Kea's 121 ("prefix - router, ..."). */
extern const struct tern_optdef ternd_def_classless_routes;

#define TERND_OPT_VAL_MAX 1024 /* an option's own value, encoded */
#define TERND_OPT_SUB_MAX 1024 /* its sub-options, as TLVs */

/*
 * One option value being built: val is the option's own data, sub its
 * sub-options as (code, length, data) triplets in Kea's order (by code,
 * stable), vendor is set for option 125 (val is the enterprise number,
 * the data-len byte goes before sub on the wire). encap: the option keeps
 * def->encapsulate, so its list's options of that space are added.
 */
struct ternd_optval {
	uint8_t val[TERND_OPT_VAL_MAX];
	size_t val_len;
	uint8_t sub[TERND_OPT_SUB_MAX];
	size_t sub_len;
	bool vendor;
	bool encap;
	char why[200];
};

/*
 * Build v from option-data text. def NULL: the option has no definition
 * (only with csv false). csv: Kea's csv-format. Returns 0, or -EINVAL with
 * Kea's reason in v->why, -ENOBUFS when it is longer than the buffers.
 */
int ternd_optval_from_text(const struct ternd_defset *ds,
			   const struct tern_optdef *def, const char *data,
			   bool csv, struct ternd_optval *v);
/*
 * The CSV step alone (OptionDefinition::optionFactory's writeToBuffer of
 * each value, with its count checks) into out, for either family: v6
 * tuples have 2-byte lengths. Returns the length, or -EINVAL with Kea's
 * reason in v->why, -ENOBUFS.
 */
int ternd_opt_csv_bytes(const struct tern_optdef *def, const char *data,
			bool v6, uint8_t *out, size_t cap,
			struct ternd_optval *v);
/* The same from wire bytes (Kea's option factory on a buffer). */
int ternd_optval_from_bytes(const struct ternd_defset *ds,
			    const struct tern_optdef *def, const uint8_t *in,
			    size_t n, struct ternd_optval *v);
/* Add a sub-option unless one with its code is there; keeps code order. */
int ternd_optval_add_sub(struct ternd_optval *v, uint8_t code,
			 const uint8_t *data, size_t len, bool *ret_added);
/* Whether v has a sub-option with this code. */
bool ternd_optval_has_sub(const struct ternd_optval *v, uint8_t code);
/* The wire value (no code/length): val, [data-len], sub. */
int ternd_optval_wire(const struct ternd_optval *v, uint8_t *out, size_t cap);

/*
 * isc::dns::Name from wire (no compression): its wire length and the
 * length of its text form (escapes, the final dot), which OptionCustom
 * takes as the field size. 0, or -EINVAL when it is not a name.
 */
int ternd_wire_name(const uint8_t *p, size_t n, size_t *ret_wire,
		    size_t *ret_text);

/*
 * csv-format false text (Kea's quotedStringToBinary, then
 * decodeFormattedHexString): 'quoted text', "0a:0b", "0a 0b", "0x0a0b",
 * "a0b" (odd: a leading 0). Returns the length or -EINVAL, -ENOBUFS.
 */
int ternd_opt_text_bytes(const char *data, uint8_t *out, size_t cap);

/* Hex as reservation identifiers take it: "0a0b", "0x0a0b", "0a:0b",
 * "0a 0b" (blanks around are allowed). */
int ternd_hex_decode(const char *text, uint8_t *out, size_t cap);

/*
 * Kea's str::tokens(data, ",", escape=true): tokens split at commas,
 * "\," keeps a comma, empty tokens dropped. Calls fn(token, len, arg) for
 * each (untrimmed; the token lives until the next call) and stops on its
 * first negative return. Returns the number of tokens or that error.
 */
int ternd_csv_tokens(const char *data,
		     int (*fn)(const char *tok, size_t len, void *arg),
		     void *arg);

#endif
