/* ternd classification: Kea 2.2's expression grammar, a typed recursive
 * descent that hands each rule's instruction to expr_compile.c. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "server/classify/expr_parse.h"
#include "server/classify/expr_view6.h"

/*
 * The parser is recursive descent with the grammar's precedence (not >
 * and > or, `+` binds tighter than `==`, `==` does not chain) and typed: a
 * boolean and a string context are told apart the way Kea's LALR grammar
 * does, so refusals happen on the same token, with bison-like messages.
 * Nesting is bounded (TERND_EXPR_MAX_NESTING), so is the C stack.
 */

/* bison's "syntax error, unexpected X[, expecting Y]". */
static enum texpr_type unexpected(struct texpr_parser *p, const char *expecting)
{
	const char *what = texpr_tok_names[p->lx.tok.t];

	if (expecting)
		return texpr_fail(p, p->lx.tok.off,
				  "syntax error, unexpected %s, expecting %s",
				  what, expecting);
	return texpr_fail(p, p->lx.tok.off, "syntax error, unexpected %s",
			  what);
}

static int advance(struct texpr_parser *p)
{
	struct ternd_expr_error e;

	if (texpr_lex(&p->lx, &e) == 0)
		return 0;
	texpr_fail(p, e.column - 1, "%s", e.msg);
	return -1;
}

/* The current token must be t: consume it, or fail expecting it. */
static int expect(struct texpr_parser *p, enum tok t)
{
	if (p->lx.tok.t != t) {
		unexpected(p, texpr_tok_names[t]);
		return -1;
	}
	return advance(p);
}

/* The same after a string operand, which `+` could have continued. */
static int expect_after_str(struct texpr_parser *p, enum tok t)
{
	char what[32];

	if (p->lx.tok.t != t) {
		snprintf(what, sizeof(what), "%s or +", texpr_tok_names[t]);
		unexpected(p, what);
		return -1;
	}
	return advance(p);
}

/* EvalContext::convertUint32 and friends: range-checked literals. */
static int int_in(struct texpr_parser *p, int64_t lo, int64_t hi,
		  const char *range, int64_t *ret)
{
	struct texpr_token *t = &p->lx.tok;

	if (t->t != T_INTEGER) {
		unexpected(p, "integer");
		return -1;
	}
	if (t->i < lo || t->i > hi) {
		texpr_fail(p, t->off,
			   "Invalid value in " TEXPR_LEX_FMT
			   ". Allowed range: %s",
			   TEXPR_LEX_ARG(p->lx.text, t), range);
		return -1;
	}
	*ret = t->i;
	return advance(p);
}

static bool v6(const struct texpr_parser *p)
{
	return p->env && p->env->family == 6;
}

/* option_code: an integer 0..255 (0..65535 for DHCPv6) or, if names, an
 * option name (EvalContext::convertOptionCode / convertOptionName). */
static int option_code(struct texpr_parser *p, bool names, uint16_t *ret)
{
	const struct ternd_expr_env *e = p->env;
	struct texpr_token *t = &p->lx.tok;
	int max = v6(p) ? 65535 : 255;

	if (t->t == T_INTEGER) {
		if (t->i < 0 || t->i > max) {
			if (t->i < INT32_MIN || t->i > INT32_MAX)
				texpr_fail(p, t->off,
					   "Option code has invalid value "
					   "in " TEXPR_LEX_FMT,
					   TEXPR_LEX_ARG(p->lx.text, t));
			else
				texpr_fail(p, t->off,
					   "Option code has invalid value "
					   "in " TEXPR_LEX_FMT
					   ". Allowed range: 0..%d",
					   TEXPR_LEX_ARG(p->lx.text, t), max);
			return -1;
		}
		*ret = (uint16_t)t->i;
		return advance(p);
	}
	if (t->t == T_OPTION_NAME && names) {
		char name[256];
		int code = -1;

		if (t->vlen < sizeof(name)) {
			memcpy(name, t->v, t->vlen);
			name[t->vlen] = '\0';
			code = v6(p) ? texpr6_std_code(name)
				     : ternd_expr_std_opt_code(name);
			if (code < 0 && e && e->opt_code)
				code = e->opt_code(e->ctx, name);
		}
		if (code < 0 || code > max) {
			texpr_fail(p, t->off, "option '%.*s' is not defined",
				   (int)(t->vlen > 100 ? 100 : t->vlen), t->v);
			return -1;
		}
		*ret = (uint16_t)code;
		return advance(p);
	}
	unexpected(p, names ? "integer or option name" : "integer");
	return -1;
}

/* .text / .hex (/ .exists in a boolean context). */
static int repr(struct texpr_parser *p, bool bools, const char *expecting,
		enum texpr_repr *ret)
{
	if (p->lx.tok.t == T_TEXT)
		*ret = TEXPR_TEXT;
	else if (p->lx.tok.t == T_HEX)
		*ret = TEXPR_HEX;
	else if (p->lx.tok.t == T_EXISTS && bools)
		*ret = TEXPR_EXISTS;
	else
		return unexpected(p, expecting);
	return advance(p);
}

static enum texpr_type repr_type(enum texpr_repr r)
{
	return r == TEXPR_EXISTS ? TY_BOOL : TY_STR;
}

static enum texpr_type parse_or(struct texpr_parser *p, bool allow_str);
static enum texpr_type parse_str(struct texpr_parser *p);

static int enter(struct texpr_parser *p)
{
	if (++p->depth > TERND_EXPR_MAX_NESTING) {
		texpr_fail(p, p->lx.tok.off,
			   "expression nested too deeply (more than %d levels)",
			   TERND_EXPR_MAX_NESTING);
		return -1;
	}
	return 0;
}

/* option[C].(hex|text|exists) and option[C].option[N].(...). */
static enum texpr_type parse_option(struct texpr_parser *p, bool bools)
{
	struct texpr_ins *x;
	enum texpr_repr r;
	uint16_t code, sub;

	if (advance(p) < 0 || expect(p, T_LBRACKET) < 0 ||
	    option_code(p, true, &code) < 0 || expect(p, T_RBRACKET) < 0 ||
	    expect(p, T_DOT) < 0)
		return TY_ERR;
	if (p->lx.tok.t == T_OPTION) {
		if (advance(p) < 0 || expect(p, T_LBRACKET) < 0 ||
		    option_code(p, false, &sub) < 0 ||
		    expect(p, T_RBRACKET) < 0 || expect(p, T_DOT) < 0 ||
		    repr(p, bools,
			 bools ? "text or hex or exists" : "text or hex",
			 &r) < 0)
			return TY_ERR;
		x = texpr_emit(p, TEXPR_SUBOPT, 0);
		if (!x)
			return TY_ERR;
		x->sub = sub;
	} else {
		if (repr(p, bools,
			 bools ? "option or text or hex or exists"
			       : "option or text or hex",
			 &r) < 0)
			return TY_ERR;
		x = texpr_emit(p, TEXPR_OPT, 0);
		if (!x)
			return TY_ERR;
	}
	x->code = code;
	x->flags = (uint8_t)r;
	if (v6(p)) {
		struct texpr6_obj o;

		texpr6_obj_of(&(struct texpr6_defs){.env = p->env}, S6_DHCP6, 0,
			      code, &o);
		x->kind = o.kind;
	} else {
		x->kind = (uint8_t)texpr_kind_for(p, (uint8_t)code);
	}
	/* Sub-options exist for containers, 125 and (what follows their
	 * value in) integer options; for others Kea's object has none and
	 * the view finds nothing. */
	return repr_type(r);
}

static enum texpr_type parse_relay4(struct texpr_parser *p, bool bools)
{
	struct texpr_ins *x;
	enum texpr_repr r;
	uint32_t at = p->lx.tok.off;
	uint16_t sub;

	if (advance(p) < 0 || expect(p, T_LBRACKET) < 0 ||
	    option_code(p, false, &sub) < 0 || expect(p, T_RBRACKET) < 0 ||
	    expect(p, T_DOT) < 0)
		return TY_ERR;
	/* The rule's action refuses it once complete, on relay4. */
	if (v6(p) && (p->lx.tok.t == T_TEXT || p->lx.tok.t == T_HEX ||
		      (bools && p->lx.tok.t == T_EXISTS)))
		return texpr_fail(p, at, "relay4 can only be used in DHCPv4.");
	if (repr(p, bools, bools ? "text or hex or exists" : "text or hex",
		 &r) < 0)
		return TY_ERR;
	x = texpr_emit(p, TEXPR_SUBOPT, 0);
	if (!x)
		return TY_ERR;
	x->code = TERN_DHCP4_OPT_RAI;
	x->sub = sub;
	x->kind = TEXPR_K_CONTAINER;
	x->flags = (uint8_t)r;
	return repr_type(r);
}

/* relay6[N].option[C].(hex|text|exists), relay6[N].(peeraddr|linkaddr):
 * refused for DHCPv4 at the nest level, as Kea does
 * (convertNestLevelNumber). */
static enum texpr_type parse_relay6(struct texpr_parser *p, bool bools)
{
	struct texpr_token *t = &p->lx.tok;
	struct texpr_ins *x;
	enum texpr_repr r = TEXPR_HEX;
	uint16_t code = 0;
	uint8_t field;
	int lvl;

	if (advance(p) < 0 || expect(p, T_LBRACKET) < 0)
		return TY_ERR;
	if (t->t != T_INTEGER)
		return unexpected(p, "integer");
	if (t->i < -128 || t->i > 127)
		return texpr_fail(p, t->off,
				  "Invalid value in " TEXPR_LEX_FMT
				  ". Allowed range: -128..127",
				  TEXPR_LEX_ARG(p->lx.text, t));
	if (!v6(p))
		return texpr_fail(p, t->off,
				  "Nest level invalid for DHCPv4 packets");
	if (t->i < -32 || t->i >= 32)
		return texpr_fail(
			p, t->off,
			"Nest level has invalid value in " TEXPR_LEX_FMT
			". Allowed range: -32..31",
			TEXPR_LEX_ARG(p->lx.text, t));
	lvl = (int)t->i;
	if (advance(p) < 0 || expect(p, T_RBRACKET) < 0 || expect(p, T_DOT) < 0)
		return TY_ERR;
	if (t->t == T_OPTION) {
		if (advance(p) < 0 || expect(p, T_LBRACKET) < 0 ||
		    option_code(p, false, &code) < 0 ||
		    expect(p, T_RBRACKET) < 0 || expect(p, T_DOT) < 0 ||
		    repr(p, bools,
			 bools ? "text or hex or exists" : "text or hex",
			 &r) < 0)
			return TY_ERR;
		field = TEXPR_R6_OPTION;
	} else if (t->t == T_PEERADDR || t->t == T_LINKADDR) {
		field = t->t == T_PEERADDR ? TEXPR_R6_PEERADDR
					   : TEXPR_R6_LINKADDR;
		if (advance(p) < 0)
			return TY_ERR;
	} else {
		return unexpected(p, "option or peeraddr or linkaddr");
	}
	x = texpr_emit(p, TEXPR_RELAY6, 0);
	if (!x)
		return TY_ERR;
	x->i1 = lvl;
	x->code = code;
	x->field = field;
	x->flags = (uint8_t)r;
	if (field == TEXPR_R6_OPTION) {
		struct texpr6_obj o;

		texpr6_obj_of(&(struct texpr6_defs){.env = p->env}, S6_DHCP6, 0,
			      code, &o);
		x->kind = o.kind;
	}
	return repr_type(r);
}

static enum texpr_type parse_pkt(struct texpr_parser *p)
{
	static const uint8_t fields[][2] = {
		{T_IFACE, TEXPR_PKT_IFACE},
		{T_SRC, TEXPR_PKT_SRC},
		{T_DST, TEXPR_PKT_DST},
		{T_LEN, TEXPR_PKT_LEN},
	};
	struct texpr_ins *x;

	if (advance(p) < 0 || expect(p, T_DOT) < 0)
		return TY_ERR;
	for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
		if (p->lx.tok.t != fields[i][0])
			continue;
		x = texpr_emit(p, TEXPR_PKT, 0);
		if (!x)
			return TY_ERR;
		x->sub = fields[i][1];
		if (x->sub == TEXPR_PKT_LEN)
			p->uses_len = p->uses_opts = true;
		return advance(p) < 0 ? TY_ERR : TY_STR;
	}
	return unexpected(p, "iface or src or dst or len");
}

static enum texpr_type parse_pkt4(struct texpr_parser *p)
{
	static const uint8_t fields[][2] = {
		{T_CHADDR, TEXPR_PKT4_MAC},
		{T_HLEN, TEXPR_PKT4_HLEN},
		{T_HTYPE, TEXPR_PKT4_HTYPE},
		{T_CIADDR, TEXPR_PKT4_CIADDR},
		{T_GIADDR, TEXPR_PKT4_GIADDR},
		{T_YIADDR, TEXPR_PKT4_YIADDR},
		{T_SIADDR, TEXPR_PKT4_SIADDR},
		{T_MSGTYPE, TEXPR_PKT4_MSGTYPE},
		{T_TRANSID, TEXPR_PKT4_TRANSID},
	};
	struct texpr_ins *x;
	uint32_t at = p->lx.tok.off;

	if (advance(p) < 0 || expect(p, T_DOT) < 0)
		return TY_ERR;
	for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
		if (p->lx.tok.t != fields[i][0])
			continue;
		if (v6(p))
			return texpr_fail(p, at,
					  "pkt4 can only be used in DHCPv4.");
		x = texpr_emit(p, TEXPR_PKT4, 0);
		if (!x)
			return TY_ERR;
		x->sub = fields[i][1];
		if (x->sub == TEXPR_PKT4_MSGTYPE)
			p->uses_opts = true;
		return advance(p) < 0 ? TY_ERR : TY_STR;
	}
	return unexpected(p, NULL);
}

/* pkt6.(msgtype|transid): in DHCPv4 parsed, then refused on pkt6 like
 * Kea. */
static enum texpr_type parse_pkt6(struct texpr_parser *p)
{
	struct texpr_ins *x;
	uint32_t at = p->lx.tok.off;

	if (advance(p) < 0 || expect(p, T_DOT) < 0)
		return TY_ERR;
	if (p->lx.tok.t != T_MSGTYPE && p->lx.tok.t != T_TRANSID)
		return unexpected(p, "msgtype or transid");
	if (!v6(p))
		return texpr_fail(p, at, "pkt6 can only be used in DHCPv6.");
	x = texpr_emit(p, TEXPR_PKT6, 0);
	if (!x)
		return TY_ERR;
	x->sub = p->lx.tok.t == T_MSGTYPE ? TEXPR_PKT6_MSGTYPE
					  : TEXPR_PKT6_TRANSID;
	return advance(p) < 0 ? TY_ERR : TY_STR;
}

/* enterprise_id: an integer 0..2^32-1 or `*` (0, any). */
static int enterprise(struct texpr_parser *p, uint32_t *ret)
{
	int64_t v;

	if (p->lx.tok.t == T_ANY) {
		*ret = 0;
		return advance(p);
	}
	if (p->lx.tok.t != T_INTEGER) {
		unexpected(p, "* or integer");
		return -1;
	}
	if (int_in(p, 0, UINT32_MAX, "0..4294967295", &v) < 0)
		return -1;
	*ret = (uint32_t)v;
	return 0;
}

static enum texpr_type parse_vendor(struct texpr_parser *p, bool bools)
{
	struct texpr_ins *x;
	enum texpr_repr r = TEXPR_HEX;
	uint32_t ent;
	uint16_t sub = 0;
	uint8_t field;

	if (advance(p) < 0)
		return TY_ERR;
	if (p->lx.tok.t == T_DOT) {
		if (advance(p) < 0 || expect(p, T_ENTERPRISE) < 0)
			return TY_ERR;
		ent = 0;
		field = TEXPR_V_ENTERPRISE;
	} else {
		if (p->lx.tok.t != T_LBRACKET)
			return unexpected(p, "[ or .");
		if (advance(p) < 0 || enterprise(p, &ent) < 0 ||
		    expect(p, T_RBRACKET) < 0 || expect(p, T_DOT) < 0)
			return TY_ERR;
		if (p->lx.tok.t == T_EXISTS && bools) {
			if (advance(p) < 0)
				return TY_ERR;
			r = TEXPR_EXISTS;
			field = TEXPR_V_EXISTS;
		} else if (p->lx.tok.t == T_OPTION) {
			if (advance(p) < 0 || expect(p, T_LBRACKET) < 0 ||
			    option_code(p, false, &sub) < 0 ||
			    expect(p, T_RBRACKET) < 0 || expect(p, T_DOT) < 0 ||
			    repr(p, bools,
				 bools ? "text or hex or exists"
				       : "text or hex",
				 &r) < 0)
				return TY_ERR;
			/* Kea's TokenVendor takes sub-option 0 for "none":
			 * vendor[E].option[0] behaves as vendor[E].exists,
			 * pushing "true" even for .hex. */
			field = sub ? TEXPR_V_SUBOPT : TEXPR_V_EXISTS;
		} else {
			return unexpected(p, bools ? "option or exists"
						   : "option");
		}
	}
	x = texpr_emit(p, TEXPR_VENDOR, 0);
	if (!x)
		return TY_ERR;
	x->u = ent;
	x->sub = sub;
	x->field = field;
	x->flags = (uint8_t)r;
	x->code = v6(p) ? TERN_DHCP6_OPT_VENDOR_OPTS : TERN_DHCP4_OPT_VIVSO;
	return repr_type(r);
}

static enum texpr_type parse_vendor_class(struct texpr_parser *p, bool bools)
{
	struct texpr_ins *x;
	enum texpr_repr r = TEXPR_HEX;
	uint32_t ent = 0;
	int64_t idx = 0;
	uint8_t field;

	if (advance(p) < 0)
		return TY_ERR;
	if (p->lx.tok.t == T_DOT) {
		if (advance(p) < 0 || expect(p, T_ENTERPRISE) < 0)
			return TY_ERR;
		field = TEXPR_V_ENTERPRISE;
	} else {
		if (p->lx.tok.t != T_LBRACKET)
			return unexpected(p, "[ or .");
		if (advance(p) < 0 || enterprise(p, &ent) < 0 ||
		    expect(p, T_RBRACKET) < 0 || expect(p, T_DOT) < 0)
			return TY_ERR;
		if (p->lx.tok.t == T_EXISTS && bools) {
			if (advance(p) < 0)
				return TY_ERR;
			r = TEXPR_EXISTS;
			field = TEXPR_V_EXISTS;
		} else if (p->lx.tok.t == T_DATA) {
			if (advance(p) < 0)
				return TY_ERR;
			if (p->lx.tok.t == T_LBRACKET) {
				/* converted when the rule is complete */
				struct texpr_token it;

				if (advance(p) < 0)
					return TY_ERR;
				if (p->lx.tok.t != T_INTEGER)
					return unexpected(p, "integer");
				it = p->lx.tok;
				if (advance(p) < 0 || expect(p, T_RBRACKET) < 0)
					return TY_ERR;
				if (it.i < 0 || it.i > 255)
					return texpr_fail(
						p, it.off,
						"Invalid value "
						"in " TEXPR_LEX_FMT
						". Allowed range: 0..255",
						TEXPR_LEX_ARG(p->lx.text, &it));
				idx = it.i;
			}
			field = TEXPR_V_DATA;
		} else {
			return unexpected(p, bools ? "exists or data" : "data");
		}
	}
	x = texpr_emit(p, TEXPR_VCLASS, 0);
	if (!x)
		return TY_ERR;
	x->u = ent;
	x->sub = (uint8_t)idx;
	x->field = field;
	x->flags = (uint8_t)r;
	x->code = v6(p) ? TERN_DHCP6_OPT_VENDOR_CLASS : TERN_DHCP4_OPT_VIVCO;
	return repr_type(r);
}

static enum texpr_type parse_member(struct texpr_parser *p)
{
	const struct ternd_expr_env *e = p->env;
	struct texpr_token *t = &p->lx.tok, name_tok;
	struct texpr_ins *x;
	char name[256];
	bool dk = false;
	int idx = -ENOENT;
	uint32_t off;

	if (advance(p) < 0 || expect(p, T_LPAREN) < 0)
		return TY_ERR;
	if (t->t != T_STRING)
		return unexpected(p, "constant string");
	name_tok = *t;
	if (advance(p) < 0 || expect(p, T_RPAREN) < 0)
		return TY_ERR;
	/* Checked once the rule is complete, on the name, as Kea does. */
	if (name_tok.vlen < sizeof(name)) {
		memcpy(name, name_tok.v, name_tok.vlen);
		name[name_tok.vlen] = '\0';
		if (e && e->class_index)
			idx = e->class_index(e->ctx, name, &dk);
	}
	if (idx < 0)
		return texpr_fail(
			p, name_tok.off, "Not defined client class '%.*s'",
			(int)(name_tok.vlen > 100 ? 100 : name_tok.vlen),
			name_tok.v);
	if (dk || !strcmp(name, "KNOWN") || !strcmp(name, "UNKNOWN"))
		p->depends_known = true;
	if (texpr_pool_add(p, name_tok.v, name_tok.vlen, &off) < 0)
		return texpr_nomem(p);
	x = texpr_emit(p, TEXPR_MEMBER, 0);
	if (!x)
		return TY_ERR;
	x->u = (uint32_t)idx;
	x->i1 = (int32_t)off;
	x->i2 = (int32_t)name_tok.vlen;
	return TY_BOOL;
}

static unsigned hexval(char c)
{
	return c <= '9'	  ? (unsigned)(c - '0')
	       : c >= 'a' ? (unsigned)(c - 'a' + 10)
			  : (unsigned)(c - 'A' + 10);
}

/* 0xHEX: an odd number of digits gets a leading 0 (TokenHexString). */
static enum texpr_type parse_hex_literal(struct texpr_parser *p)
{
	const char *d = p->lx.tok.v + 2;
	size_t nd = p->lx.tok.vlen - 2, odd = nd % 2, n = (nd + 1) / 2;
	uint8_t *b = malloc(n);
	enum texpr_type ty;

	if (!b)
		return texpr_nomem(p);
	for (size_t i = 0; i < n; i++) {
		size_t k = 2 * i; /* digit index in the padded string */
		unsigned hi = (odd && k == 0) ? 0 : hexval(d[k - odd]);

		b[i] = (uint8_t)(hi << 4 | hexval(d[k + 1 - odd]));
	}
	ty = texpr_emit_lit(p, b, n);
	free(b);
	return ty;
}

/* Addresses were checked and decoded by the lexer. */
static enum texpr_type parse_ip_literal(struct texpr_parser *p)
{
	return texpr_emit_lit(p, p->lx.tok.addr, p->lx.tok.vlen);
}

/* name ( args ) for the string functions. */
static enum texpr_type parse_call(struct texpr_parser *p)
{
	enum tok f = p->lx.tok.t;
	struct texpr_ins *x;
	int64_t i1 = 0, i2 = 0;
	uint8_t flags = 0;

	if (advance(p) < 0 || expect(p, T_LPAREN) < 0)
		return TY_ERR;
	switch (f) {
	case T_SUBSTRING:
		if (parse_str(p) < 0 || expect_after_str(p, T_COMA) < 0)
			return TY_ERR;
		if (p->lx.tok.t != T_INTEGER)
			return unexpected(p, "integer");
		i1 = p->lx.tok.i;
		if (advance(p) < 0 || expect(p, T_COMA) < 0)
			return TY_ERR;
		if (p->lx.tok.t == T_ALL) {
			flags |= TEXPR_F_LEN_ALL;
		} else if (p->lx.tok.t == T_INTEGER) {
			i2 = p->lx.tok.i;
		} else {
			return unexpected(p, "all or integer");
		}
		if (advance(p) < 0)
			return TY_ERR;
		x = texpr_emit(p, TEXPR_SUBSTRING, 1);
		break;
	case T_SPLIT:
		if (parse_str(p) < 0 || expect_after_str(p, T_COMA) < 0 ||
		    parse_str(p) < 0 || expect_after_str(p, T_COMA) < 0)
			return TY_ERR;
		if (p->lx.tok.t != T_INTEGER)
			return unexpected(p, "integer");
		i1 = p->lx.tok.i;
		if (advance(p) < 0)
			return TY_ERR;
		x = texpr_emit(p, TEXPR_SPLIT, 2);
		break;
	case T_IFELSE:
		if (parse_or(p, false) < 0)
			return TY_ERR;
		if (p->lx.tok.t != T_COMA)
			return unexpected(p, "and or or or \",\"");
		if (advance(p) < 0 || parse_str(p) < 0 ||
		    expect_after_str(p, T_COMA) < 0 || parse_str(p) < 0)
			return TY_ERR;
		x = texpr_emit(p, TEXPR_IFELSE, 3);
		break;
	case T_CONCAT:
	case T_TOHEXSTRING:
		if (parse_str(p) < 0 || expect_after_str(p, T_COMA) < 0 ||
		    parse_str(p) < 0)
			return TY_ERR;
		x = texpr_emit(
			p, f == T_CONCAT ? TEXPR_CONCAT : TEXPR_HEXSTRING, 2);
		break;
	case T_ADDRTOTEXT:
		if (parse_str(p) < 0)
			return TY_ERR;
		x = texpr_emit(p, TEXPR_ADDRTOTEXT, 1);
		break;
	default: /* the int totext family */
		if (parse_str(p) < 0)
			return TY_ERR;
		x = texpr_emit(p, TEXPR_TOTEXT, 1);
		if (!x)
			return TY_ERR;
		x->code = f == T_INT8TOTEXT || f == T_UINT8TOTEXT     ? 1
			  : f == T_INT16TOTEXT || f == T_UINT16TOTEXT ? 2
								      : 4;
		if (f == T_INT8TOTEXT || f == T_INT16TOTEXT ||
		    f == T_INT32TOTEXT)
			flags |= TEXPR_F_SIGNED;
		break;
	}
	if (!x)
		return TY_ERR;
	/* Kea converts substring/split integers with lexical_cast<int> when
	 * evaluating: a literal beyond int fails there, not here. */
	if (i1 < INT32_MIN || i1 > INT32_MAX)
		flags |= TEXPR_F_I1_BAD;
	else
		x->i1 = (int32_t)i1;
	if (i2 < INT32_MIN || i2 > INT32_MAX)
		flags |= TEXPR_F_I2_BAD;
	else
		x->i2 = (int32_t)i2;
	x->flags = flags;
	if (f == T_SUBSTRING || f == T_SPLIT
		    ? expect(p, T_RPAREN) < 0
		    : expect_after_str(p, T_RPAREN) < 0)
		return TY_ERR;
	return TY_STR;
}

/* One operand. In a string context (bools false) the forms that can only
 * be booleans are syntax errors on the token that makes them so. */
static enum texpr_type parse_primary(struct texpr_parser *p, bool bools)
{
	struct texpr_token *t = &p->lx.tok;
	enum texpr_type ty;
	int64_t v;
	uint8_t be[4];

	switch (t->t) {
	case T_LPAREN:
		if (enter(p) < 0 || advance(p) < 0)
			return TY_ERR;
		ty = bools ? parse_or(p, true) : parse_str(p);
		if (ty == TY_ERR)
			return TY_ERR;
		if (p->lx.tok.t != T_RPAREN)
			return unexpected(p, ty == TY_BOOL ? ") or and or or"
					     : bools	   ? ") or == or +"
							   : ") or +");
		p->depth--;
		return advance(p) < 0 ? TY_ERR : ty;
	case T_STRING:
		ty = texpr_emit_lit(p, t->v, t->vlen);
		break;
	case T_HEXSTRING:
		ty = parse_hex_literal(p);
		break;
	case T_IP_ADDRESS:
		ty = parse_ip_literal(p);
		break;
	case T_INTEGER:
		/* integer_expr: convertUint32, 4 bytes network order. */
		if (t->i < 0 || t->i > UINT32_MAX)
			return texpr_fail(p, t->off,
					  "Invalid value in " TEXPR_LEX_FMT
					  ". Allowed range: 0..4294967295",
					  TEXPR_LEX_ARG(p->lx.text, t));
		v = t->i;
		be[0] = (uint8_t)(v >> 24);
		be[1] = (uint8_t)(v >> 16);
		be[2] = (uint8_t)(v >> 8);
		be[3] = (uint8_t)v;
		ty = texpr_emit_lit(p, be, 4);
		break;
	case T_OPTION:
		return parse_option(p, bools);
	case T_RELAY4:
		return parse_relay4(p, bools);
	case T_RELAY6:
		return parse_relay6(p, bools);
	case T_PKT:
		return parse_pkt(p);
	case T_PKT4:
		return parse_pkt4(p);
	case T_PKT6:
		return parse_pkt6(p);
	case T_VENDOR:
		return parse_vendor(p, bools);
	case T_VENDOR_CLASS:
		return parse_vendor_class(p, bools);
	case T_MEMBER:
		if (!bools)
			return unexpected(p, NULL);
		return parse_member(p);
	case T_SUBSTRING:
	case T_SPLIT:
	case T_CONCAT:
	case T_IFELSE:
	case T_TOHEXSTRING:
	case T_ADDRTOTEXT:
	case T_INT8TOTEXT:
	case T_INT16TOTEXT:
	case T_INT32TOTEXT:
	case T_UINT8TOTEXT:
	case T_UINT16TOTEXT:
	case T_UINT32TOTEXT:
		if (enter(p) < 0)
			return TY_ERR;
		ty = parse_call(p);
		p->depth--;
		return ty;
	default:
		return unexpected(p, NULL);
	}
	if (ty == TY_ERR || advance(p) < 0)
		return TY_ERR;
	return ty;
}

/* The rest of str + str + ... (left-associative). */
static enum texpr_type plus_tail(struct texpr_parser *p)
{
	while (p->lx.tok.t == T_PLUS) {
		if (advance(p) < 0 || parse_primary(p, false) < 0 ||
		    !texpr_emit(p, TEXPR_CONCAT, 2))
			return TY_ERR;
	}
	return TY_STR;
}

static enum texpr_type parse_str(struct texpr_parser *p)
{
	if (parse_primary(p, false) < 0)
		return TY_ERR;
	return plus_tail(p);
}

/* str == str, or a boolean operand; a lone string when allowed (inside
 * parentheses, whose type the closing one decides). */
static enum texpr_type parse_cmp(struct texpr_parser *p, bool allow_str)
{
	enum texpr_type ty = parse_primary(p, true);

	if (ty != TY_STR)
		return ty;
	if (plus_tail(p) < 0)
		return TY_ERR;
	if (p->lx.tok.t == T_EQUAL) {
		if (advance(p) < 0 || parse_str(p) < 0 ||
		    !texpr_emit(p, TEXPR_EQ, 2))
			return TY_ERR;
		return TY_BOOL;
	}
	if (allow_str)
		return TY_STR;
	return unexpected(p, "== or +");
}

static enum texpr_type parse_not(struct texpr_parser *p, bool allow_str)
{
	enum texpr_type ty;

	if (p->lx.tok.t != T_NOT)
		return parse_cmp(p, allow_str);
	if (enter(p) < 0 || advance(p) < 0)
		return TY_ERR;
	ty = parse_not(p, false);
	p->depth--;
	if (ty == TY_ERR || !texpr_emit(p, TEXPR_NOT, 1))
		return TY_ERR;
	return TY_BOOL;
}

static enum texpr_type parse_and(struct texpr_parser *p, bool allow_str)
{
	enum texpr_type ty = parse_not(p, allow_str);

	if (ty != TY_BOOL)
		return ty;
	while (p->lx.tok.t == T_AND) {
		if (advance(p) < 0 || parse_not(p, false) < 0 ||
		    !texpr_emit(p, TEXPR_AND, 2))
			return TY_ERR;
	}
	return TY_BOOL;
}

static enum texpr_type parse_or(struct texpr_parser *p, bool allow_str)
{
	enum texpr_type ty = parse_and(p, allow_str);

	if (ty != TY_BOOL)
		return ty;
	while (p->lx.tok.t == T_OR) {
		if (advance(p) < 0 || parse_and(p, false) < 0 ||
		    !texpr_emit(p, TEXPR_OR, 2))
			return TY_ERR;
	}
	return TY_BOOL;
}

/* The whole text: a boolean (a class test) or, if string, a string
 * expression, up to the end. */
int texpr_parse(struct texpr_parser *p, bool string)
{
	if (advance(p) < 0)
		return -1;
	if ((string ? parse_str(p) : parse_or(p, false)) == TY_ERR)
		return -1;
	if (p->lx.tok.t != T_END) {
		unexpected(p, string ? "+ or end of file" : "end of file");
		return -1;
	}
	return 0;
}
