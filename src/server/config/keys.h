/* ternd configuration keys (config/ only): every key kea-dhcp4 2.2 accepts,
 * per map, with its type as Kea's grammar wants it and what ternd does with
 * it. The table is kea_keys.c; keys.c reads it. */
#ifndef TERND_CONFIG_KEYS_H
#define TERND_CONFIG_KEYS_H

#include <stdint.h>

/* The JSON a key's value must be (K:src/bin/dhcp4/dhcp4_parser.yy). */
enum ld_ktype {
	KT_INT,	  /* an integer (Kea's INTEGER: no fraction, no '+') */
	KT_REAL,  /* a real (Kea's FLOAT: 0.5, not 1) */
	KT_BOOL,  /* true or false */
	KT_STR,	  /* a string */
	KT_ENUM,  /* one of the strings in vals */
	KT_STRS,  /* a list of strings */
	KT_ENUMS, /* a list of strings from vals */
	KT_MAP,	  /* a map whose members sub describes */
	KT_MAPS,  /* a list of such maps */
	KT_JSON,  /* any map (user-context, hook parameters) */
	KT_ANY,	  /* any value */
};

/* What ternd does with it. */
enum ld_kstatus {
	/* A reader parses it: `by` names the file (and the part of issue 10
	 * that brings it, while it is not there yet). A key no reader took
	 * is handled as KS_NOT: a key is never silently ignored. */
	KS_IMPL,
	/* Kea's, not implemented: an error naming it, unless its value is
	 * dflt (it then asks for what ternd does anyway). */
	KS_NOT,
	/* Accepted, checked as Kea checks it, no effect on ternd: `why`
	 * says why that is right. */
	KS_NONE,
	/* Refused by name, `why` says why (unless its value is dflt). */
	KS_REFUSE,
};

/* A map with no member, a list with no element: an error (Kea's grammar
 * has no empty form for it). */
#define KF_NONEMPTY 1u
/* KT_MAPS: each map must have a member. */
#define KF_ELEMS 2u
/* KT_ENUM: Kea compares case-insensitively. */
#define KF_ICASE 4u
/* KT_INT: Kea refuses a value outside min..max. */
#define KF_RANGE 8u

struct ld_kctx;

struct ld_key {
	const char *name;
	uint8_t type;		   /* enum ld_ktype */
	uint8_t status;		   /* enum ld_kstatus */
	uint8_t flags;		   /* KF_* */
	const struct ld_kctx *sub; /* KT_MAP, KT_MAPS */
	const char *vals;	   /* KT_ENUM(S): "a|b|c" */
	int64_t min, max;	   /* KF_RANGE */
	/* KS_NOT, KS_IMPL, KS_REFUSE: the value accepted without an
	 * implementation, as JSON text (true, 0, "never", []); NULL: none. */
	const char *dflt;
	const char *by;	 /* KS_IMPL: the reader's file */
	const char *why; /* KS_NONE, KS_REFUSE, KS_NOT: the reason */
};

/* One kind of map: its keys in groups (NULL-terminated arrays of keys,
 * each ended by a key with a NULL name). */
struct ld_kctx {
	const char *name; /* as readers pass it to ld_other_key() */
	const struct ld_key *const *groups;
	const char *required; /* keys Kea requires: "a|b" */
	/* Any other key is fine too (Kea's dhcp-queue-control). */
	int open;
};

/* Every context, NULL-terminated; the first is the top level. */
extern const struct ld_kctx *const ld_kea_contexts[];

#define LD_TOP_LEVEL "the top level"

/* The context readers call `name` (ld_other_key's where), NULL if none. */
const struct ld_kctx *ld_kctx_find(const char *name);
/* A key of a context, NULL if Kea 2.2 does not know it there. */
const struct ld_key *ld_key_find(const struct ld_kctx *c, const char *key);

#endif
