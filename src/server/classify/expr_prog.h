/* ternd classification internals: the compiled program's format, shared by
 * the compiler, the evaluator and the packet view. */
#ifndef TERND_CLASSIFY_EXPR_PROG_H
#define TERND_CLASSIFY_EXPR_PROG_H

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "server/classify/expr.h"

/*
 * Instruction set. Postfix: every instruction pops its operands from the
 * value stack and pushes one value. "str" is a byte string, "bool" a
 * boolean. Immediates live in the instruction; strings in the pool.
 */
enum texpr_op {
	TEXPR_LIT,	  /* -> str: pool[u .. u+i1) */
	TEXPR_OPT,	  /* -> str|bool: option[code] (repr in flags) */
	TEXPR_SUBOPT,	  /* -> str|bool: option[code].option[sub], relay4 */
	TEXPR_PKT,	  /* -> str: pkt.<sub> (enum texpr_pkt) */
	TEXPR_PKT4,	  /* -> str: pkt4.<sub> (enum texpr_pkt4) */
	TEXPR_VENDOR,	  /* -> str|bool: vendor[u]... (field in sub) */
	TEXPR_VCLASS,	  /* -> str|bool: vendor-class[u]... */
	TEXPR_SUBSTRING,  /* str -> str: substring(s, i1, i2|all) */
	TEXPR_SPLIT,	  /* str str -> str: split(s, delims, i1) */
	TEXPR_CONCAT,	  /* str str -> str */
	TEXPR_IFELSE,	  /* bool str str -> str */
	TEXPR_HEXSTRING,  /* str str -> str */
	TEXPR_ADDRTOTEXT, /* str -> str */
	TEXPR_TOTEXT,	  /* str -> str: code = 1/2/4 bytes, flags signed */
	TEXPR_EQ,	  /* str str -> bool */
	TEXPR_NOT,	  /* bool -> bool */
	TEXPR_AND,	  /* bool bool -> bool */
	TEXPR_OR,	  /* bool bool -> bool */
	TEXPR_MEMBER,	  /* -> bool: class bit u (name at pool[i1], i2) */
	TEXPR_PKT6,	  /* -> str: pkt6.<sub> (enum texpr_pkt6) */
	TEXPR_RELAY6,	  /* -> str|bool: relay6[i1].<field> (texpr_r6field) */
	TEXPR__MAX,
};

/* How an option value is presented (low bits of flags). */
enum texpr_repr {
	TEXPR_HEX = 0,
	TEXPR_TEXT = 1,
	TEXPR_EXISTS = 2,
};
#define TEXPR_REPR_MASK 0x03u

/* TEXPR_SUBSTRING / TEXPR_SPLIT flags: the integer literal does not fit a
 * C int (Kea converts it at evaluation and fails there), length is
 * `all`. */
#define TEXPR_F_I1_BAD	0x04u
#define TEXPR_F_I2_BAD	0x08u
#define TEXPR_F_LEN_ALL 0x10u
/* TEXPR_TOTEXT */
#define TEXPR_F_SIGNED 0x04u

/* Which object Kea 2.2 builds for a received option (its class and data
 * type): that decides what .hex/.text/.exists, sub-options and pkt.len
 * show. From Kea's standard definitions (expr_names.c) and the loader's
 * callbacks for the others. Kept in the instruction (`kind`) and, when
 * pkt.len is used, per code in the program. */
enum texpr_kind {
	TEXPR_K_RAW,	     /* Option: no definition, binary */
	TEXPR_K_STRING,	     /* OptionString: trailing NULs trimmed */
	TEXPR_K_CONTAINER,   /* OptionCustom, empty, with sub-options (82) */
	TEXPR_K_CONTAINER43, /* same, Pad and End honoured (43) */
	TEXPR_K_VIVSO,	     /* OptionVendor (125) */
	TEXPR_K_VIVCO,	     /* OptionVendorClass (124) */
	TEXPR_K_CUSTOM,	     /* OptionCustom: records, FQDNs (and 79, 81) */
	TEXPR_K_ADDR1,	     /* OptionCustom holding one IPv4 address */
	TEXPR_K_BOOL,	     /* OptionCustom holding one boolean */
	TEXPR_K_ADDRS,	     /* Option4AddrLst */
	TEXPR_K_U8,	     /* OptionInt<uint8_t> */
	TEXPR_K_U16,
	TEXPR_K_U32,
	TEXPR_K_I32,
	TEXPR_K_ARR_U8, /* OptionIntArray<uint8_t> */
	TEXPR_K_ARR_U16,
	TEXPR_K__MAX,
};

/* Bytes of one value of an integer, array or single-field kind. */
static inline unsigned texpr_kind_width(enum texpr_kind k)
{
	switch (k) {
	case TEXPR_K_U8:
	case TEXPR_K_ARR_U8:
		return 1;
	case TEXPR_K_U16:
	case TEXPR_K_ARR_U16:
		return 2;
	case TEXPR_K_U32:
	case TEXPR_K_I32:
	case TEXPR_K_ADDR1:
		return 4;
	case TEXPR_K_BOOL:
		return 1;
	default:
		return 0;
	}
}

/* The kind of a code in Kea's standard DHCPv4 table (RAW if none). */
enum texpr_kind texpr_std_kind(uint8_t code);

enum texpr_pkt {
	TEXPR_PKT_IFACE,
	TEXPR_PKT_SRC,
	TEXPR_PKT_DST,
	TEXPR_PKT_LEN,
};

enum texpr_pkt4 {
	TEXPR_PKT4_MAC,
	TEXPR_PKT4_HLEN,
	TEXPR_PKT4_HTYPE,
	TEXPR_PKT4_CIADDR,
	TEXPR_PKT4_GIADDR,
	TEXPR_PKT4_YIADDR,
	TEXPR_PKT4_SIADDR,
	TEXPR_PKT4_MSGTYPE,
	TEXPR_PKT4_TRANSID,
};

enum texpr_pkt6 {
	TEXPR_PKT6_MSGTYPE,
	TEXPR_PKT6_TRANSID,
};

/* TEXPR_RELAY6 field: option[code] (repr in flags), or an address. */
enum texpr_r6field {
	TEXPR_R6_OPTION,
	TEXPR_R6_PEERADDR,
	TEXPR_R6_LINKADDR,
};

/* TEXPR_VENDOR / TEXPR_VCLASS field (in sub's place: `field`). */
enum texpr_vfield {
	TEXPR_V_ENTERPRISE, /* vendor.enterprise: 4 bytes */
	TEXPR_V_EXISTS,	    /* vendor[E].exists, or option[0] (Kea) */
	TEXPR_V_SUBOPT,	    /* vendor[E].option[N] */
	TEXPR_V_DATA,	    /* vendor-class[E].data[N] */
};

struct texpr_ins {
	uint8_t op;
	uint8_t flags;	/* repr | TEXPR_F_* */
	uint8_t kind;	/* enum texpr_kind (texpr6_kind for family 6) */
	uint8_t field;	/* enum texpr_vfield (vendor instructions) */
	uint16_t code;	/* option code (16 bits in DHCPv6); TOTEXT: width */
	uint16_t sub;	/* sub-option code, pkt field, tuple index */
	uint32_t u;	/* pool offset, enterprise id, class index */
	int32_t i1, i2; /* lengths, substring/split integers */
};

#define TEXPR_IS_STRING	    0x1u
#define TEXPR_DEPENDS_KNOWN 0x2u
#define TEXPR_USES_OPTS	    0x4u /* reads options: set up the view */

/*
 * A test of a shape most configurations use, decided without the
 * interpreter (expr_form.c): the same verdict as the instructions, or
 * "undecided" when the packet is not a simple one.
 */
enum texpr_form_kind {
	TEXPR_FORM_NONE,
	TEXPR_FORM_MEMBERS, /* only member(), not, and, or */
	TEXPR_FORM_EQ,	    /* [not] [substring(]X[, 0, n)] == 'literal' */
	TEXPR_FORM_EXISTS,  /* [not] X.exists */
};

/* X of a form: option[code], option[82].option[sub] (relay4[sub]),
 * pkt4.msgtype, pkt4.mac. */
enum texpr_leaf {
	TEXPR_LEAF_OPT,
	TEXPR_LEAF_SUB,
	TEXPR_LEAF_MSGTYPE,
	TEXPR_LEAF_MAC, /* pkt4.mac */
};

struct texpr_form {
	uint8_t kind;  /* enum texpr_form_kind */
	uint8_t leaf;  /* enum texpr_leaf */
	bool negate;   /* under a not */
	bool prefix;   /* EQ: substring(X, 0, n) */
	uint8_t code;  /* EQ: option[code], or 82 for a sub-option */
	uint8_t sub;   /* EQ: sub-option of 82 (1 or 2), 0 = none */
	uint8_t okind; /* EQ: the option's enum texpr_kind */
	uint32_t n;    /* EQ: substring's length */
	uint32_t lit;  /* EQ: literal's pool offset */
	uint32_t lit_len;
	/* MEMBERS of at most 6 classes: the verdict for every assignment
	 * of them (bit j of the index: class cls[j] is set). */
	uint8_t nk; /* 0: evaluate the instructions */
	uint16_t cls[6];
	uint64_t table;
};

struct ternd_expr {
	struct texpr_form form;
	uint32_t n_ins;
	uint32_t pool_len;
	uint16_t max_stack;
	uint8_t flags;
	uint8_t family;	       /* 4 or 6: the env's family at compile time */
	uint8_t has_kinds;     /* kinds[] filled: pkt.len is used */
	uint8_t kinds[256];    /* enum texpr_kind per code, for pkt.len */
	struct texpr_ins *ins; /* into the same block */
	const uint8_t *pool;   /* into the same block */
	/* DHCPv6: the env's non-standard string and container codes, kept
	 * when options below the top level or pkt.len need them (sorted;
	 * into the same block). */
	uint32_t n_defs6;
	const uint16_t *defs6_codes;
	const uint8_t *defs6_kinds;
	uint8_t data[];
};

/* A bump allocator over the caller's scratch. */
struct texpr_arena {
	uint8_t *buf;
	uint32_t cap;
	uint32_t top;
};

static inline uint8_t *texpr_alloc(struct texpr_arena *a, size_t n)
{
	uint8_t *p;

	if (n > (size_t)(a->cap - a->top))
		return NULL;
	p = a->buf + a->top;
	a->top += (uint32_t)n;
	return p;
}

/* A byte string value. */
struct texpr_str {
	const uint8_t *p;
	uint32_t len;
};

/* A 4-byte value in network order (Kea's integers, addresses, fields),
 * made in the arena. */
static inline int texpr_put_u32(struct texpr_arena *a, uint32_t v,
				struct texpr_str *ret)
{
	uint8_t *o = texpr_alloc(a, 4);

	if (!o)
		return -ENOBUFS;
	o[0] = (uint8_t)(v >> 24);
	o[1] = (uint8_t)(v >> 16);
	o[2] = (uint8_t)(v >> 8);
	o[3] = (uint8_t)v;
	ret->p = o;
	ret->len = 4;
	return 0;
}

/*
 * The packet as Kea 2.2 would have decoded it (expr_view.c): only the
 * options area (Kea 2.2 ignores option overload), nothing after a
 * malformed option 125 (Kea's SkipRemainingOptionsError), several
 * instances of a code fused as Kea fuses them, except after such an
 * error, which makes Kea skip fusing (the first instance is the option).
 * Set up once per evaluation.
 */
struct texpr_view {
	const struct tern_dhcp4_msg *m;
	unsigned cut; /* instances at this index and after are not seen */
	bool fuse;    /* Kea fused instances (it did not stop early) */
	bool lenient; /* lenient-option-parsing (texpr_vivco_check) */
};

/* scan false: the program reads no option (the view is not used). */
void texpr_view_init(struct texpr_view *v, const struct tern_dhcp4_msg *m,
		     bool scan);

/*
 * Each returns 1 with the value, 0 when Kea holds no such thing, or
 * -ENOBUFS when a value that has to be assembled does not fit in the
 * arena.
 */
/* option[code].exists / .hex (toBinary) / .text (toString, in
 * expr_view_text.c). */
int texpr_opt_exists(const struct texpr_view *v, uint8_t code,
		     enum texpr_kind kind);
int texpr_opt_value(const struct texpr_view *v, uint8_t code,
		    enum texpr_kind kind, struct texpr_arena *a,
		    struct texpr_str *ret);
int texpr_opt_text(const struct texpr_view *v, uint8_t code,
		   enum texpr_kind kind, struct texpr_arena *a,
		   struct texpr_str *ret);
/* Sub-option sub of the option: its payload (instances fused). */
int texpr_subopt_value(const struct texpr_view *v, uint8_t code,
		       enum texpr_kind kind, uint8_t sub, struct texpr_arena *a,
		       struct texpr_str *ret);
/* Its text (toString of the sub-option object, expr_view_text.c). */
int texpr_subopt_text(const struct texpr_view *v, uint8_t code,
		      enum texpr_kind kind, uint8_t sub, struct texpr_str val,
		      struct texpr_arena *a, struct texpr_str *ret);
/* Option 125 as an OptionVendor: its enterprise number. */
int texpr_vivso_enterprise(const struct texpr_view *v, uint32_t *ret);
/* Option 124 as an OptionVendorClass: enterprise number and tuple idx
 * (ret_data->p NULL when there is no such tuple). */
int texpr_vivco(const struct texpr_view *v, uint32_t *ret_enterprise,
		unsigned idx, struct texpr_str *ret_data);
/* Pkt4::getType(): 1 with the type, 0 without option 53, -EBADMSG when
 * Kea cannot read it. */
int texpr_msgtype(const struct texpr_view *v, uint8_t *ret);
/*
 * Kea's toText() forms (expr_text.c), appended to the arena: 0, or
 * -ENOBUFS. texpr_text_typed returns 1 when it wrote the typed form, 0
 * when the kind has none or the data does not fit it (Kea would not have
 * built that object), -EINVAL where Kea's toText throws.
 */
__attribute__((format(printf, 2, 3))) int texpr_printf(struct texpr_arena *a,
						       const char *fmt, ...);
int texpr_text_hex(struct texpr_arena *a, struct texpr_str s); /* 0a:1b */
int texpr_text_header(struct texpr_arena *a, unsigned indent, unsigned code,
		      size_t len); /* type=012, len=003 */
int texpr_text_generic(struct texpr_arena *a, unsigned indent, unsigned code,
		       struct texpr_str s, size_t len);
int texpr_text_typed(struct texpr_arena *a, unsigned indent, unsigned code,
		     enum texpr_kind k, struct texpr_str s);
/* A sub-option object: typed if it can be, else generic. */
int texpr_text_sub(struct texpr_arena *a, unsigned indent, uint8_t sub,
		   enum texpr_kind k, struct texpr_str s);
/* The kind of sub-option sub of an option of kind parent (enterprise ent
 * for 125). */
enum texpr_kind texpr_sub_kind(enum texpr_kind parent, uint32_t ent,
			       uint8_t sub);

/* Kea's Pkt4::len(): 236 + the length of every option object
 * (expr_pkt_len.c). */
int texpr_pkt_len(const struct texpr_view *v, const uint8_t kinds[256],
		  struct texpr_arena *a, uint32_t *ret);

/* expr_form.c: find x's form (after compiling); decide it for p: 1, 0,
 * or -1 when the interpreter must. */
void texpr_form_find(struct ternd_expr *x);
int texpr_form_eval(const struct ternd_expr *x, const struct ternd_expr_pkt *p);
int texpr_members(const struct ternd_expr *x, const struct ternd_expr_pkt *p);

#endif
