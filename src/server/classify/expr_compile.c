/* ternd classification: the expression compiler around the grammar
 * (expr_parse.c): errors, instruction and literal pool emission, option
 * kinds, and the program block ternd_expr_compile() returns. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "server/classify/expr_parse.h"
#include "server/classify/expr_view6.h"

/* Longest expression text taken (offsets and the pool stay small). */
#define MAX_TEXT (1u << 20)

__attribute__((format(printf, 3, 4))) enum texpr_type
texpr_fail(struct texpr_parser *p, uint32_t off, const char *fmt, ...)
{
	va_list ap;

	if (p->error)
		return TY_ERR;
	p->error = -EINVAL;
	if (p->err) {
		p->err->column = off + 1;
		va_start(ap, fmt);
		vsnprintf(p->err->msg, sizeof(p->err->msg), fmt, ap);
		va_end(ap);
	}
	return TY_ERR;
}

enum texpr_type texpr_nomem(struct texpr_parser *p)
{
	if (!p->error) {
		p->error = -ENOMEM;
		if (p->err) {
			p->err->column = 0;
			snprintf(p->err->msg, sizeof(p->err->msg),
				 "out of memory");
		}
	}
	return TY_ERR;
}

int texpr_pool_add(struct texpr_parser *p, const void *d, size_t n,
		   uint32_t *ret_off)
{
	if (p->pool_len + n > p->pool_cap) {
		size_t cap = p->pool_cap ? p->pool_cap : 64;
		uint8_t *np;

		while (cap < p->pool_len + n)
			cap *= 2;
		np = realloc(p->pool, cap);
		if (!np)
			return -1;
		p->pool = np;
		p->pool_cap = cap;
	}
	if (n)
		memcpy(p->pool + p->pool_len, d, n);
	*ret_off = (uint32_t)p->pool_len;
	p->pool_len += n;
	return 0;
}

/* Appends an instruction popping pops values and pushing one. */
struct texpr_ins *texpr_emit(struct texpr_parser *p, enum texpr_op op, int pops)
{
	struct texpr_ins *x;

	if (p->n_ins == p->cap_ins) {
		size_t cap = p->cap_ins ? p->cap_ins * 2 : 16;
		struct texpr_ins *ni = realloc(p->ins, cap * sizeof(*ni));

		if (!ni) {
			texpr_nomem(p);
			return NULL;
		}
		p->ins = ni;
		p->cap_ins = cap;
	}
	x = &p->ins[p->n_ins++];
	memset(x, 0, sizeof(*x));
	x->op = (uint8_t)op;
	if (op == TEXPR_OPT || op == TEXPR_SUBOPT || op == TEXPR_VENDOR ||
	    op == TEXPR_VCLASS)
		p->uses_opts = true; /* and pkt.len, pkt4.msgtype below */
	p->sp += 1 - pops;
	if (p->sp > p->max_sp)
		p->max_sp = p->sp;
	return x;
}

enum texpr_type texpr_emit_lit(struct texpr_parser *p, const void *d, size_t n)
{
	struct texpr_ins *x;
	uint32_t off;

	if (texpr_pool_add(p, d, n, &off) < 0)
		return texpr_nomem(p);
	x = texpr_emit(p, TEXPR_LIT, 0);
	if (!x)
		return TY_ERR;
	x->u = off;
	x->i1 = (int32_t)n;
	return TY_STR;
}

/* Kea's standard definitions first (they cannot be redefined), then what
 * the loader says of the others. */
enum texpr_kind texpr_kind_for(struct texpr_parser *p, uint8_t code)
{
	const struct ternd_expr_env *e = p->env;
	enum texpr_kind k;

	if (code == TERN_DHCP4_OPT_VIVCO)
		return TEXPR_K_VIVCO;
	if (code == TERN_DHCP4_OPT_VIVSO)
		return TEXPR_K_VIVSO;
	k = texpr_std_kind(code);
	if (k != TEXPR_K_RAW)
		return k;
	if (e && e->opt_is_container && e->opt_is_container(e->ctx, code))
		return code == TERN_DHCP4_OPT_VENDOR_SPECIFIC
			       ? TEXPR_K_CONTAINER43
			       : TEXPR_K_CONTAINER;
	if (e && e->opt_is_string && e->opt_is_string(e->ctx, code))
		return TEXPR_K_STRING;
	return TEXPR_K_RAW;
}

/* DHCPv6: whether evaluation needs the option-defs below the top level
 * (pkt.len, or an option whose sub-options are read in dhcp6). */
static bool needs_defs6(const struct texpr_parser *p)
{
	if (p->uses_len)
		return true;
	for (size_t i = 0; i < p->n_ins; i++) {
		const struct texpr_ins *in = &p->ins[i];

		if ((in->op == TEXPR_OPT || in->op == TEXPR_SUBOPT ||
		     (in->op == TEXPR_RELAY6 &&
		      in->field == TEXPR_R6_OPTION)) &&
		    texpr6_nests_dhcp6(in->code, in->kind))
			return true;
	}
	return false;
}

/* The env's string and container codes that are not standard (Kea's
 * standard definitions cannot be redefined): count, and fill if codes. */
static uint32_t defs6(const struct ternd_expr_env *env, uint16_t *codes,
		      uint8_t *kinds)
{
	struct texpr6_defs d = {.env = env};
	uint32_t n = 0;

	if (!env->opt6_is_string && !env->opt6_is_container)
		return 0;
	for (uint32_t c = 0; c <= UINT16_MAX; c++) {
		struct texpr6_obj o;

		if (tern_optdef6_std(TERN_SPACE_DHCP6, (uint16_t)c) ||
		    c == TERN_DHCP6_OPT_VENDOR_OPTS)
			continue;
		texpr6_obj_of(&d, S6_DHCP6, 0, (uint16_t)c, &o);
		if (o.kind != K6_STRING && o.kind != K6_CONTAINER)
			continue;
		if (codes) {
			codes[n] = (uint16_t)c;
			kinds[n] = o.kind;
		}
		n++;
	}
	return n;
}

static int compile(const char *text, const struct ternd_expr_env *env,
		   bool string, struct ternd_expr **ret,
		   struct ternd_expr_error *err)
{
	struct texpr_parser p = {.lx = {.text = text}, .env = env, .err = err};
	struct ternd_expr *x = NULL;
	size_t ins_bytes, defs_off = 0;
	uint32_t n_defs = 0;

	if (err) {
		err->column = 0;
		err->msg[0] = '\0';
	}
	if (!text || !ret)
		return -EINVAL;
	p.lx.n = strnlen(text, MAX_TEXT + 1);
	if (p.lx.n > MAX_TEXT) {
		texpr_fail(&p, 0, "expression longer than %u bytes", MAX_TEXT);
		goto out;
	}
	if (texpr_parse(&p, string) < 0)
		goto out;
	if (p.max_sp > TERND_EXPR_STACK) {
		texpr_fail(&p, 0,
			   "expression too complex (more than %d values "
			   "at once)",
			   TERND_EXPR_STACK);
		goto out;
	}
	ins_bytes = p.n_ins * sizeof(struct texpr_ins);
	if (env && env->family == 6 && needs_defs6(&p))
		n_defs = defs6(env, NULL, NULL);
	defs_off = (ins_bytes + p.pool_len + 1) & ~(size_t)1;
	x = malloc(sizeof(*x) + defs_off + (size_t)n_defs * 3);
	if (!x) {
		texpr_nomem(&p);
		goto out;
	}
	memset(x, 0, sizeof(*x));
	x->n_ins = (uint32_t)p.n_ins;
	x->pool_len = (uint32_t)p.pool_len;
	x->max_stack = (uint16_t)p.max_sp;
	x->family = env && env->family == 6 ? 6 : 4;
	x->flags = (string ? TEXPR_IS_STRING : 0) |
		   (p.depends_known ? TEXPR_DEPENDS_KNOWN : 0) |
		   (p.uses_opts ? TEXPR_USES_OPTS : 0);
	x->ins = (struct texpr_ins *)(void *)x->data;
	x->pool = x->data + ins_bytes;
	memcpy(x->ins, p.ins, ins_bytes);
	if (p.pool_len)
		memcpy(x->data + ins_bytes, p.pool, p.pool_len);
	if (n_defs) {
		uint16_t *codes = (uint16_t *)(void *)(x->data + defs_off);
		uint8_t *kinds = x->data + defs_off + (size_t)n_defs * 2;

		x->n_defs6 = defs6(env, codes, kinds);
		x->defs6_codes = codes;
		x->defs6_kinds = kinds;
	}
	if (p.uses_len && x->family == 4) {
		x->has_kinds = 1;
		for (unsigned c = 0; c < 256; c++)
			x->kinds[c] = (uint8_t)texpr_kind_for(&p, (uint8_t)c);
	}
	if (x->family == 4)
		texpr_form_find(x); /* the fast forms are DHCPv4's */
	*ret = x;
out:
	free(p.ins);
	free(p.pool);
	return p.error;
}

int ternd_expr_compile(const char *text, const struct ternd_expr_env *env,
		       struct ternd_expr **ret, struct ternd_expr_error *err)
{
	return compile(text, env, false, ret, err);
}

int ternd_expr_compile_string(const char *text,
			      const struct ternd_expr_env *env,
			      struct ternd_expr **ret,
			      struct ternd_expr_error *err)
{
	return compile(text, env, true, ret, err);
}

bool ternd_expr_depends_known(const struct ternd_expr *x)
{
	return x && (x->flags & TEXPR_DEPENDS_KNOWN);
}

unsigned ternd_expr_family(const struct ternd_expr *x)
{
	return x ? x->family : 0;
}

bool ternd_expr_is_string(const struct ternd_expr *x)
{
	return x && (x->flags & TEXPR_IS_STRING);
}

void ternd_expr_free(struct ternd_expr *x)
{
	free(x);
}
