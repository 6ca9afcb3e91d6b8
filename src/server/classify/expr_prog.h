/* ternd classification internals: the compiled program's format, shared by
 * the compiler, the evaluator and the packet view. */
#ifndef TERND_CLASSIFY_EXPR_PROG_H
#define TERND_CLASSIFY_EXPR_PROG_H

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
	TEXPR_LIT,	 /* -> str: pool[u .. u+i1) */
	TEXPR_OPT,	 /* -> str|bool: option[code] (repr in flags) */
	TEXPR_SUBOPT,	 /* -> str|bool: option[code].option[sub], relay4 */
	TEXPR_PKT,	 /* -> str: pkt.<sub> (enum texpr_pkt) */
	TEXPR_PKT4,	 /* -> str: pkt4.<sub> (enum texpr_pkt4) */
	TEXPR_VENDOR,	 /* -> str|bool: vendor[u]... (field in sub) */
	TEXPR_VCLASS,	 /* -> str|bool: vendor-class[u]... */
	TEXPR_SUBSTRING, /* str -> str: substring(s, i1, i2|all) */
	TEXPR_SPLIT,	 /* str str -> str: split(s, delims, i1) */
	TEXPR_CONCAT,	 /* str str -> str */
	TEXPR_IFELSE,	 /* bool str str -> str */
	TEXPR_HEXSTRING, /* str str -> str */
	TEXPR_ADDRTOTEXT, /* str -> str */
	TEXPR_TOTEXT,	 /* str -> str: code = 1/2/4 bytes, flags signed */
	TEXPR_EQ,	 /* str str -> bool */
	TEXPR_NOT,	 /* bool -> bool */
	TEXPR_AND,	 /* bool bool -> bool */
	TEXPR_OR,	 /* bool bool -> bool */
	TEXPR_MEMBER,	 /* -> bool: class bit u (name at pool[i1], i2) */
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

/* How Kea 2.2 holds a received option (its class), which decides what
 * .hex/.text/.exists and sub-options show. Stored in code's place in the
 * instruction as `kind` (TEXPR_OPT / TEXPR_SUBOPT) and in the pkt.len
 * table. */
enum texpr_kind {
	TEXPR_K_RAW = 0,	 /* generic Option: the payload */
	TEXPR_K_STRING = 1,	 /* OptionString: trailing NULs trimmed */
	TEXPR_K_CONTAINER = 2, /* sub-options (dhcp-agent-options-space) */
	TEXPR_K_CONTAINER43 = 3, /* same, Pad and End honoured (option 43) */
	TEXPR_K_VIVSO = 4,     /* 125: enterprise, data-len, sub-options */
	TEXPR_K_VIVCO = 5,     /* 124: enterprise, tuples */
};

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

/* TEXPR_VENDOR / TEXPR_VCLASS field (in sub's place: `field`). */
enum texpr_vfield {
	TEXPR_V_ENTERPRISE, /* vendor.enterprise: 4 bytes */
	TEXPR_V_EXISTS,	    /* vendor[E].exists, or option[0] (Kea) */
	TEXPR_V_SUBOPT,	    /* vendor[E].option[N] */
	TEXPR_V_DATA,	    /* vendor-class[E].data[N] */
};

struct texpr_ins {
	uint8_t op;
	uint8_t code;  /* option code; TOTEXT: width in bytes */
	uint8_t sub;   /* sub-option code, pkt field, tuple index */
	uint8_t flags; /* repr | TEXPR_F_* */
	uint8_t kind;  /* enum texpr_kind (option instructions) */
	uint8_t field; /* enum texpr_vfield (vendor instructions) */
	uint16_t pad;
	uint32_t u;	   /* pool offset, enterprise id, class index */
	int32_t i1, i2;	   /* lengths, substring/split integers */
};

#define TEXPR_IS_STRING	    0x1u
#define TEXPR_DEPENDS_KNOWN 0x2u

struct ternd_expr {
	uint32_t n_ins;
	uint32_t pool_len;
	uint16_t max_stack;
	uint8_t flags;
	uint8_t has_kinds; /* kinds[] filled: pkt.len is used */
	uint8_t kinds[256];	 /* enum texpr_kind per code, for pkt.len */
	struct texpr_ins *ins;	 /* into the same block */
	const uint8_t *pool;	 /* into the same block */
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

/*
 * The packet as Kea 2.2 would have decoded it (expr_view.c). Each returns
 * 1 with the value, 0 when Kea would hold no such option (absent, or
 * malformed where Kea skips it), or -ENOBUFS when a value that has to be
 * assembled does not fit in the arena.
 */
/* option[code].hex: Kea's toBinary() of the option. *ret_fused tells
 * whether Kea fused several instances into a generic option. */
int texpr_opt_value(const struct tern_dhcp4_msg *m, uint8_t code,
		    enum texpr_kind kind, struct texpr_arena *a,
		    struct texpr_str *ret, bool *ret_fused);
/* option[code].exists. */
int texpr_opt_exists(const struct tern_dhcp4_msg *m, uint8_t code,
		     enum texpr_kind kind, struct texpr_arena *a);
/* option[code].text: toString(). */
int texpr_opt_text(const struct tern_dhcp4_msg *m, uint8_t code,
		   enum texpr_kind kind, struct texpr_arena *a,
		   struct texpr_str *ret);
/* Sub-option sub of option code (a container or 125): its payload, the
 * instances of sub concatenated as Kea fuses them. */
int texpr_subopt_value(const struct tern_dhcp4_msg *m, uint8_t code,
		       enum texpr_kind kind, uint8_t sub,
		       struct texpr_arena *a, struct texpr_str *ret);
/* Option 125's enterprise number (the first block's, as Kea 2.2 reads
 * it); 0 when absent or malformed. */
int texpr_vivso_enterprise(const struct tern_dhcp4_msg *m,
			   struct texpr_arena *a, uint32_t *ret);
/* Option 124: enterprise number and tuple idx (1 with *ret_data set when
 * it exists, else *ret_data->p NULL). */
int texpr_vivco(const struct tern_dhcp4_msg *m, struct texpr_arena *a,
		uint32_t *ret_enterprise, unsigned idx,
		struct texpr_str *ret_data);
/* Kea's Pkt4::len(): 236 + the length of every option as it re-encodes
 * it. kinds[] gives each code's kind. */
int texpr_pkt_len(const struct tern_dhcp4_msg *m, const uint8_t kinds[256],
		  struct texpr_arena *a, uint32_t *ret);
/* Kea's generic Option::toText(0): "type=012, len=003: 61:62:63". */
int texpr_generic_text(uint8_t code, struct texpr_str v,
		       struct texpr_arena *a, struct texpr_str *ret);

#endif
