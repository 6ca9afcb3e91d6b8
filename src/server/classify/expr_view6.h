/* ternd classification internals: a DHCPv6 message as Kea 2.2's Pkt6 holds
 * it after unpack (expr_view6.c), the objects it builds per option
 * (expr_names6.c) and their toText forms (expr_text6.c). */
#ifndef TERND_CLASSIFY_EXPR_VIEW6_H
#define TERND_CLASSIFY_EXPR_VIEW6_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/optdefs6.h"
#include "server/classify/expr_prog.h"

/* Which object Kea 2.2 builds for a DHCPv6 option (LibDHCP::unpackOptions6,
 * OptionDefinition::optionFactory): kept in texpr_ins.kind. */
enum texpr6_kind {
	K6_RAW,	   /* Option: no definition, binary */
	K6_EMPTY,  /* Option without data (factoryEmpty: data ignored) */
	K6_STRING, /* OptionString: trailing NULs trimmed, none left: skipped */
	K6_INT,	   /* OptionInt<T>: value, then sub-options (space "") */
	K6_ARR,	   /* OptionIntArray<T> */
	K6_ADDRS,  /* Option6AddrLst */
	K6_IA,	   /* Option6IA (3, 25): 12 bytes, sub-options (dhcp6) */
	K6_IAADDR, /* Option6IAAddr: 24 bytes, sub-options */
	K6_IAPREFIX,  /* Option6IAPrefix: 25 bytes (prefix masked), sub-options
		       */
	K6_STATUS,    /* Option6StatusCode: code, message */
	K6_FQDN,      /* Option6ClientFqdn (39) */
	K6_VENDOR,    /* OptionVendor (17, in any space but a vendor's) */
	K6_VCLASS,    /* OptionVendorClass (16) */
	K6_TUPLES,    /* OptionOpaqueDataTuples (60): 2-byte lengths */
	K6_PDEXCL,    /* Option6PDExclude (67) */
	K6_CUSTOM,    /* OptionCustom over a standard definition */
	K6_CONTAINER, /* OptionCustom, empty, with sub-options */
};

/* Option spaces a DHCPv6 area is read in. */
enum texpr6_space {
	S6_DHCP6,  /* dhcp6: standard and option-def'd definitions */
	S6_NONE,   /* "": every option generic (but 17) */
	S6_VENDOR, /* a vendor's: 4491/2495 have definitions, others none */
	S6_MAPE,
	S6_MAPT,
	S6_LW,
	S6_RULE,
	S6_BIND,
	S6_OTHER, /* an option-def's or rsoo-opts: generic here (but 17) */
};

/* The object Kea builds for one option: its kind, and what the kind needs
 * (integer width and signedness, the definition, the sub-option space). */
struct texpr6_obj {
	uint8_t kind;		       /* enum texpr6_kind */
	uint8_t width;		       /* K6_INT, K6_ARR: 1, 2 or 4 */
	bool is_signed;		       /* K6_INT: for .text */
	uint8_t space;		       /* sub-options' enum texpr6_space */
	const struct tern_optdef *def; /* K6_CUSTOM, K6_CONTAINER, K6_INT */
};

/* The dhcp6 option-defs an evaluation knows: at compile time the env's
 * callbacks, at run time the list the compiler kept in the program (the
 * string and container codes that are not standard, sorted). */
struct texpr6_defs {
	const struct ternd_expr_env *env;
	const uint16_t *codes;
	const uint8_t *kinds; /* K6_STRING or K6_CONTAINER */
	uint32_t n;
};
/* The object of code in a space (vendor: the enterprise of S6_VENDOR),
 * from Kea's standard definitions; in dhcp6, d's option-defs when not
 * standard (d NULL: generic). */
void texpr6_obj_of(const struct texpr6_defs *d, enum texpr6_space sp,
		   uint32_t vendor, uint16_t code, struct texpr6_obj *ret);
/* The object of a top-level option of a compiled instruction (kind as
 * the compiler found it). */
void texpr6_obj_ins(uint16_t code, uint8_t kind, struct texpr6_obj *ret);
/* Whether an object has sub-options read in the dhcp6 space (so that
 * option-defs matter below the top level). */
bool texpr6_nests_dhcp6(uint16_t code, uint8_t kind);
/* Kea 2.2's standard dhcp6 option name -> code, or -1. */
int texpr6_std_code(const char *name);

/* Nesting of sub-option areas read in one value (Kea recurses; deeper
 * is an evaluation error here). */
#define TEXPR6_MAX_DEPTH 24

/* One options area as Kea unpacked it: options up to the first truncated
 * one (LibDHCP::unpackOptions6 stops there), and not from `cut` on (an
 * option whose sub-options failed to unpack: Kea's
 * SkipRemainingOptionsError stops the whole unpack). */
struct texpr6_area {
	const uint8_t *p;
	uint32_t len;
	uint32_t cut;
	bool relay; /* a relay's area: relay-msg (9) is not an option */
};

struct texpr6_view {
	const struct ternd_expr_pkt6 *p;
	struct texpr6_defs defs;
	struct texpr6_area msg; /* the client's message */
	uint8_t scanned;	/* 1: relays and lost found; 2: msg.cut too */
	/* A relay's vendor option stopped Kea's unpack (relay i): Kea keeps
	 * relays 0..i-1, and a message of the outer type (12) with no
	 * options and transaction id 0. */
	bool lost;
	unsigned relays; /* the relays Kea keeps */
};

void texpr6_view_init(struct texpr6_view *v, const struct ternd_expr_pkt6 *p);
/* The message's area, cut computed (once; what Kea kept of the relays
 * too). */
const struct texpr6_area *texpr6_msg_area(struct texpr6_view *v);
/* Only what Kea kept of the relays (relays, lost). */
void texpr6_relays(struct texpr6_view *v);
/* Relay level (Kea's nest level, negative from the inside) as an area:
 * 1, or 0 when there is no such relay. */
int texpr6_relay_area(struct texpr6_view *v, int level,
		      struct texpr6_area *ret);

/* First instance of code in the area that Kea keeps (an empty string
 * option is skipped): 1 with its value, 0 none. */
int texpr6_find(const struct texpr6_area *a, uint16_t code,
		const struct texpr6_obj *o, struct texpr_str *ret);
/*
 * toBinary() of the object Kea builds from value (kind o): appended to
 * the arena. 1, or -EBADMSG (Kea would have refused the option: it drops
 * the packet), -ENOBUFS, -E2BIG (deeper than TEXPR6_MAX_DEPTH), -ESPIPE
 * (a vendor option's sub-options are truncated: Kea stops the unpack).
 */
int texpr6_hex(const struct texpr6_defs *d, const struct texpr6_obj *o,
	       struct texpr_str val, struct texpr_arena *a,
	       struct texpr_str *ret);
/* Sub-option sub of the object (value val): 1 with its value (first
 * instance), 0 none, or an error as above. *ret_o is its object. */
int texpr6_sub(const struct texpr6_defs *d, const struct texpr6_obj *o,
	       uint32_t vendor, struct texpr_str val, uint16_t sub,
	       struct texpr6_obj *ret_o, struct texpr_str *ret);
/* toString() (toText(0), or a string's value): appended to the arena. */
int texpr6_text(const struct texpr6_defs *d, uint16_t code,
		const struct texpr6_obj *o, struct texpr_str val,
		struct texpr_arena *a, struct texpr_str *ret);
/* What Kea's object makes of a value: the data it keeps (fixed bytes,
 * rewritten where xform says) and where its sub-options start. */
struct texpr6_split {
	uint32_t fixed;	 /* bytes of the value kept as data */
	uint32_t sub;	 /* where the sub-option area starts */
	uint8_t space;	 /* the sub-options' enum texpr6_space */
	uint32_t vendor; /* S6_VENDOR: the enterprise */
	uint8_t xform;	 /* 1 iaprefix mask, 2 pd-exclude mask, 3 lower case */
	bool skip;	 /* Kea skips the option (SkipThisOptionError) */
	bool has_sub;
};
/* 0, -EBADMSG (Kea's constructor throws: the packet is dropped), -ESPIPE
 * (SkipRemainingOptionsError). */
int texpr6_split(const struct texpr6_obj *o, const uint8_t *p, uint32_t n,
		 struct texpr6_split *s);
/* len() of the object (header included). */
int texpr6_measure(const struct texpr6_defs *d, const struct texpr6_obj *o,
		   const uint8_t *p, uint32_t n, uint32_t *ret);
/* isc::dns::Name from a wire name at p (n bytes): its text (with the
 * final dot, escapes as Name::toText makes them; lower case with
 * TEXPR6_NAME_LOWER) appended to the arena when a is not NULL, its length
 * in *ret_text_len. TEXPR6_NAME_ROOT: a root label follows the n bytes
 * (Option6ClientFqdn's partial names). Returns the wire bytes read (the
 * added root counting one), -1 if Kea's Name refuses it, -ENOBUFS. */
#define TEXPR6_NAME_LOWER 1u
#define TEXPR6_NAME_ROOT  2u
int texpr6_name_text(const uint8_t *p, uint32_t n, unsigned flags,
		     struct texpr_arena *a, uint32_t *ret_text_len);

/* Kea's order of a sub-option area: a std::multimap by code, so options
 * are packed (and printed) sorted by code, instances of a code in the
 * order received. Linear when the area is sorted already, otherwise
 * quadratic in its options (bounded by what the caller writes). */
struct texpr6_oit {
	const uint8_t *p;
	uint32_t end;  /* where unpackOptions6 stops (a truncated option) */
	uint32_t pos;  /* sorted: the next option */
	uint32_t last; /* not sorted: the last one given, as code << 16 | */
	uint32_t lpos; /* ... and its offset */
	bool sorted, started;
};

/* Returns false when the area ends with a truncated option. */
/* Returns false when the area ends with a truncated option (where
 * unpackOptions6 stops). */
bool texpr6_oit_init(struct texpr6_oit *it, const uint8_t *p, uint32_t len);
bool texpr6_oit_next(struct texpr6_oit *it, uint16_t *code, const uint8_t **v,
		     uint16_t *len);

/* OptionCustom::bufferLength: bytes one field of type t takes at p (rest
 * bytes left), 0 for an empty prefix out of an array, -1 if Kea throws. */
long texpr6_field_len(uint8_t t, bool def_array, bool in_array,
		      const uint8_t *p, uint32_t rest);

/* Kea's Pkt6::len(). */
int texpr6_pkt_len(struct texpr6_view *v, struct texpr_arena *a, uint32_t *ret);

/* One packet instruction of a family 6 program: 0 with *ret (ret->p NULL:
 * a boolean, its value in len), or an evaluation error. */
int texpr6_leaf(struct texpr6_view *v, const struct texpr_ins *in,
		struct texpr_arena *a, struct texpr_str *ret);

#endif
