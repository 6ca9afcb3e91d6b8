/* ternd client classification: Kea 2.2's expression language, compiled once
 * per class test and evaluated per packet without allocating. */
#ifndef TERND_CLASSIFY_EXPR_H
#define TERND_CLASSIFY_EXPR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <tern/dhcp4.h>
#include <tern/dhcp6.h>

/*
 * The language is the one kea-dhcp4 2.2 accepts in a class "test" (and,
 * for string expressions, in flex-id style hooks): see docs/classify.md,
 * which also lists where ternd differs. Everything is a byte string;
 * booleans are "true"/"false" in Kea and a separate type here, which the
 * grammar makes invisible (a boolean is never compared as a string).
 *
 * A compiled expression is one malloc'd block: postfix instructions and a
 * literal pool (strings, decoded hex, addresses, 4-byte integers). The
 * evaluator is a loop over it with a value stack whose depth is known at
 * compile time; values are slices of the packet, of the pool or of the
 * caller's scratch. Nothing is allocated per packet, nothing recurses on
 * packet data, and time is linear in the program and packet sizes.
 */

/* Limits: nesting of parentheses, calls and `not`; live values; scratch
 * bytes for values made at run time (hexstring, concat, conversions, split
 * options). Exceeding the first two refuses the expression at compile
 * time; the third fails one evaluation with -ENOBUFS. */
#define TERND_EXPR_MAX_NESTING 64
#define TERND_EXPR_STACK       192
#define TERND_EXPR_SCRATCH     8192

/* Compile-time environment, supplied by the configuration loader. Kea's
 * standard DHCPv4 definitions are built in (names, and the object Kea
 * makes of each option); the callbacks describe the rest (option-def'd
 * codes, 43). Every callback may be NULL. */
struct ternd_expr_env {
	/* 6: a kea-dhcp6 test (relay6, pkt6, 16-bit option codes, Kea's
	 * standard dhcp6 option names); 0 or 4: a kea-dhcp4 one. */
	unsigned family;
	/* Option name in the dhcp4 space (dhcp6 for family 6) -> its code, or
	 * -1: consulted for names that are not standard (option-def). */
	int (*opt_code)(void *ctx, const char *name);
	/* Whether a non-standard code's definition is a string type: then
	 * .text is the payload itself (trailing NULs trimmed, as Kea stores
	 * it), otherwise Kea's debug form "type=224, len=003: 61:62:63". */
	bool (*opt_is_string)(void *ctx, uint8_t code);
	/* Whether a non-standard code's definition encapsulates an option
	 * space ("empty" type with sub-options), so option[C].option[N]
	 * finds something. 82 always does; 43 is unpacked by Kea only after
	 * the first classification pass: say true for expressions evaluated
	 * after it, and for option-defs with "encapsulate". */
	bool (*opt_is_container)(void *ctx, uint8_t code);
	/* A class name usable in member(): its index (a bit in the packet's
	 * class set), or -ENOENT (refused: "Not defined client class").
	 * *ret_depends_known tells whether the class depends, directly or
	 * not, on KNOWN/UNKNOWN. Built-ins (ALL KNOWN UNKNOWN BOOTP and the
	 * prefixes VENDOR_CLASS_ HA_ AFTER_ EXTERNAL_) are the caller's to
	 * index; member('KNOWN') and member('UNKNOWN') are marked as depending
	 * on KNOWN here whatever the callback says. */
	int (*class_index)(void *ctx, const char *name,
			   bool *ret_depends_known);
	/* DHCPv6 (family 6): option-def'd codes in space dhcp6 (names go
	 * through opt_code): a string type, and an option-def with
	 * "encapsulate" (sub-options). */
	bool (*opt6_is_string)(void *ctx, uint16_t code);
	bool (*opt6_is_container)(void *ctx, uint16_t code);
	void *ctx;
};

/* Kea 2.2's standard DHCPv4 option names (and 43's last-resort one), for
 * option[NAME]: the code or -1; and whether the standard definition is a
 * string. */
int ternd_expr_std_opt_code(const char *name);
bool ternd_expr_std_opt_is_string(uint8_t code);

/* Why an expression was refused. column is 1-based and counts bytes of the
 * expression text, a newline counting as one (Kea reports line.column; the
 * configuration loader maps the offset to its own file line:column). */
struct ternd_expr_error {
	unsigned column;
	char msg[160];
};

struct ternd_expr;

/*
 * Compile a boolean expression (a class test). Returns 0 with *ret set, or
 * -EINVAL with err filled (err may be NULL), -ENOMEM. *ret is untouched on
 * failure.
 */
int ternd_expr_compile(const char *text, const struct ternd_expr_env *env,
		       struct ternd_expr **ret, struct ternd_expr_error *err);
/* Same for a top-level string expression (Kea's TOPLEVEL_STRING parser,
 * used by flex-id and class debugging). */
int ternd_expr_compile_string(const char *text,
			      const struct ternd_expr_env *env,
			      struct ternd_expr **ret,
			      struct ternd_expr_error *err);
/* Uses member('KNOWN'|'UNKNOWN'), or member() of a class that does: Kea
 * evaluates it only after the host lookup. */
bool ternd_expr_depends_known(const struct ternd_expr *x);
/* Whether it has one of the shapes evaluated without the interpreter on
 * simple packets (docs/classify.md, "Fast forms"). */
bool ternd_expr_has_form(const struct ternd_expr *x);
/* Whether it was compiled as a string expression. */
bool ternd_expr_is_string(const struct ternd_expr *x);
void ternd_expr_free(struct ternd_expr *x);

/* What an expression can see of one packet. */
struct ternd_expr_pkt {
	const struct tern_dhcp4_msg *m; /* parsed and indexed by libtern */
	const char *iface;		/* pkt.iface (NULL reads as "") */
	uint32_t src, dst;		/* pkt.src, pkt.dst, host order */
	const uint64_t *classes;	/* classes assigned so far: bit i of
					   classes[i / 64] is class index i */
	size_t n_class_words;
	/* Optional (NULL: none): values found once per packet for the
	 * tests that follow; zero it for each new packet. */
	struct ternd_expr_memo *memo;
	/* compatibility.lenient-option-parsing: an option 124 tuple longer
	 * than what is left takes the rest (Kea's OpaqueDataTuple). */
	bool lenient;
};

/* Whether Kea 2.2 can read every option 124 of m (OptionVendorClass; with
 * lenient, a tuple running past the option takes the rest): when not, Kea
 * drops the packet. */
bool ternd_expr_vivco_ok(const struct tern_dhcp4_msg *m, bool lenient);

/* Option values common tests read, kept for the packet's other tests. */
#define TERND_EXPR_MEMO 8
struct ternd_expr_memo {
	uint8_t n;
	int8_t simple; /* 0 not yet known, 1 simple packet, -1 not */
	struct {
		uint8_t code, sub;
		int8_t found; /* 1 value, 0 none, -1 the interpreter's */
		const uint8_t *p;
		uint32_t len;
	} v[TERND_EXPR_MEMO];
};
/* pkt.len is not given: Kea's value is the length of its own re-encoding
 * of the header and options (no cookie, padding or End), computed here. */

/* One value on the evaluation stack (internal; in the scratch so that the
 * caller owns all the memory). */
struct ternd_expr_slot {
	const uint8_t *p; /* NULL for a boolean, whose value is len */
	uint32_t len;
	uint32_t mark; /* scratch in use once this value was pushed */
};

/* Caller-owned memory for one evaluation at a time (one per thread). */
struct ternd_expr_scratch {
	struct ternd_expr_slot stack[TERND_EXPR_STACK];
	uint8_t buf[TERND_EXPR_SCRATCH];
};

/*
 * Evaluate a boolean expression: 1 true, 0 false, or an evaluation error
 * (Kea logs it and the class does not match): -EINVAL a conversion on a
 * value of the wrong size, an out-of-range substring/split argument, a
 * text Kea cannot make (a boolean option neither 0 nor 1), -ENOBUFS
 * scratch exhausted, -EBADMSG a message type Kea cannot read (empty, or
 * fused from several options 53), -EDOM a string expression.
 */
int ternd_expr_eval(const struct ternd_expr *x, const struct ternd_expr_pkt *p,
		    struct ternd_expr_scratch *s);
/*
 * Evaluate and copy the result into out: the string for a string
 * expression, "true"/"false" for a boolean one. Returns its length, the
 * errors above, or -ENOBUFS when it does not fit in cap.
 */
int ternd_expr_eval_string(const struct ternd_expr *x,
			   const struct ternd_expr_pkt *p,
			   struct ternd_expr_scratch *s, uint8_t *out,
			   size_t cap);

/* What eval6 finds once per packet (where Kea's unpack stopped), kept
 * for the packet's other tests: zero it for each new packet. */
struct ternd_expr_memo6 {
	uint8_t scanned; /* bits: relays, message */
	uint8_t lost;
	uint8_t relays;
	uint32_t cut;
};

/* One packet as a kea-dhcp6 test sees it. */
struct ternd_expr_pkt6 {
	const struct tern_dhcp6_msg *m; /* the client's message (inside the
					   relays), libtern's view */
	const struct tern_dhcp6_relay *relays; /* relays[0] the outermost
						  (the one the server
						  received) = relay6[0] */
	unsigned n_relays;
	const char *iface;		  /* pkt.iface (NULL reads as "") */
	const struct in6_addr *src, *dst; /* pkt.src, pkt.dst (the
					     datagram's; NULL reads as ::) */
	const uint64_t *classes;	  /* classes so far: bit i of
					     classes[i / 64] = class index i */
	size_t n_class_words;
	struct ternd_expr_memo6 *memo; /* optional (NULL: none) */
};

/*
 * Evaluate an expression compiled with env->family 6 on a DHCPv6 packet:
 * the same return conventions as ternd_expr_eval / _eval_string. A
 * DHCPv4 expression given to these, or a DHCPv6 one given to
 * ternd_expr_eval / _eval_string, is -EDOM.
 */
int ternd_expr_eval6(const struct ternd_expr *x,
		     const struct ternd_expr_pkt6 *p,
		     struct ternd_expr_scratch *s);
int ternd_expr_eval6_string(const struct ternd_expr *x,
			    const struct ternd_expr_pkt6 *p,
			    struct ternd_expr_scratch *s, uint8_t *out,
			    size_t cap);
/*
 * Whether kea-dhcp6 2.2 can unpack the message (Pkt6::unpack with Kea's
 * standard option definitions): 0, or -EBADMSG when it cannot build one
 * of its options (an IA_NA shorter than 12 bytes, an address list not a
 * multiple of 16, a client FQDN with bad flags or name, ...) or a relay's
 * vendor option stops the unpack before the client's message: Kea drops
 * such a packet, which expressions then never see (their values on it
 * are not Kea's). A client message's own vendor option that stops the
 * unpack is not a drop: Kea keeps the options before it, as eval6 does.
 */
int ternd_expr_pkt6_check(const struct ternd_expr_pkt6 *p);

/* The family an expression was compiled for: 4 or 6. */
unsigned ternd_expr_family(const struct ternd_expr *x);

/*
 * Many tests against each packet (a configuration's classes): the tests
 * of a fast form that read the same option are decided together, the
 * option found once. v[i] may be NULL (no test); the batch keeps
 * pointers to v's expressions, which must outlive it.
 */
struct ternd_expr_batch;
int ternd_expr_batch_new(const struct ternd_expr *const *v, size_t n,
			 struct ternd_expr_batch **ret);
void ternd_expr_batch_free(struct ternd_expr_batch *b);
/*
 * For one packet: bit i of decided[] says test v[i] was decided, bit i of
 * verdict[] its value (what ternd_expr_eval would return). Both hold
 * (n + 63) / 64 words, written whole. The others need ternd_expr_eval.
 */
void ternd_expr_batch_run(const struct ternd_expr_batch *b,
			  const struct ternd_expr_pkt *p, uint64_t *decided,
			  uint64_t *verdict);

/* The compiled program in a readable form ("option[60].hex (string);
 * substring 0 9; 'PXEClient'; =="), for tests and the control API's class
 * debugging. Returns the length it needed (snprintf-like). */
int ternd_expr_dump(const struct ternd_expr *x, char *out, size_t cap);

#endif
