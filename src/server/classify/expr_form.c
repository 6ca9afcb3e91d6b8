/* ternd classification: the shapes most class tests have (an option or a
 * relay agent sub-option, maybe cut by substring, compared with a literal;
 * member() logic), decided without the interpreter on simple packets. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "server/classify/expr_prog.h"

/* ---- finding the form (once, after compiling) -------------------------- */

static bool members_only(const struct ternd_expr *x)
{
	if (x->max_stack > 64)
		return false;
	for (uint32_t i = 0; i < x->n_ins; i++) {
		uint8_t op = x->ins[i].op;

		if (op != TEXPR_MEMBER && op != TEXPR_NOT && op != TEXPR_AND &&
		    op != TEXPR_OR)
			return false;
	}
	return true;
}

/* X: option[C] of an option Kea keeps as bytes (.hex) or any but 124 and
 * 125 (.exists); relay4[1|2] (the circuit and remote ids: binary); or
 * pkt4.msgtype. */
static bool leaf(const struct texpr_ins *in, enum texpr_repr want,
		 struct texpr_form *f)
{
	if (in->op == TEXPR_PKT4 && in->sub == TEXPR_PKT4_MSGTYPE &&
	    want == TEXPR_HEX) {
		f->leaf = TEXPR_LEAF_MSGTYPE;
		f->code = TERN_DHCP4_OPT_MSG_TYPE;
		return true;
	}
	if (in->op == TEXPR_PKT4 && in->sub == TEXPR_PKT4_MAC &&
	    want == TEXPR_HEX) {
		f->leaf = TEXPR_LEAF_MAC;
		return true;
	}
	if ((in->flags & TEXPR_REPR_MASK) != want)
		return false;
	if (in->op == TEXPR_OPT && in->code != TERN_DHCP4_OPT_VIVSO &&
	    in->code != TERN_DHCP4_OPT_VIVCO &&
	    (want == TEXPR_EXISTS || in->kind == TEXPR_K_STRING ||
	     in->kind == TEXPR_K_RAW)) {
		f->leaf = TEXPR_LEAF_OPT;
		f->code = in->code;
		f->okind = in->kind;
		return true;
	}
	if (in->op == TEXPR_SUBOPT && in->code == TERN_DHCP4_OPT_RAI &&
	    in->kind == TEXPR_K_CONTAINER &&
	    (want == TEXPR_EXISTS || in->sub == 1 || in->sub == 2)) {
		f->leaf = TEXPR_LEAF_SUB;
		f->code = in->code;
		f->sub = in->sub;
		return true;
	}
	return false;
}

static bool prefix_of(const struct texpr_ins *in, struct texpr_form *f)
{
	if (in->op != TEXPR_SUBSTRING ||
	    (in->flags & (TEXPR_F_I1_BAD | TEXPR_F_I2_BAD)) || in->i1 != 0)
		return false;
	if (in->flags & TEXPR_F_LEN_ALL)
		f->n = UINT32_MAX;
	else if (in->i2 >= 0)
		f->n = (uint32_t)in->i2;
	else
		return false;
	f->prefix = true;
	return true;
}

static bool literal(const struct texpr_ins *in, struct texpr_form *f)
{
	if (in->op != TEXPR_LIT || in->i1 < 0)
		return false;
	f->lit = in->u;
	f->lit_len = (uint32_t)in->i1;
	return true;
}

/* One side of ==: X or substring(X, 0, n), from ins[0..n). */
static bool operand(const struct texpr_ins *ins, uint32_t n,
		    struct texpr_form *f)
{
	if (n == 1)
		return leaf(&ins[0], TEXPR_HEX, f);
	return n == 2 && leaf(&ins[0], TEXPR_HEX, f) && prefix_of(&ins[1], f);
}

static int members_run(const struct ternd_expr *x, const uint64_t *set,
		       size_t words);

/* A members-only test of few classes becomes a truth table. */
static void members_table(struct ternd_expr *x)
{
	struct texpr_form *f = &x->form;
	uint64_t set[16];
	uint8_t nk = 0;

	for (uint32_t i = 0; i < x->n_ins; i++) {
		uint8_t j = 0;

		if (x->ins[i].op != TEXPR_MEMBER)
			continue;
		if (x->ins[i].u >= 16 * 64)
			return;
		while (j < nk && f->cls[j] != x->ins[i].u)
			j++;
		if (j == nk) {
			if (nk == 6)
				return;
			f->cls[nk++] = (uint16_t)x->ins[i].u;
		}
	}
	f->table = 0;
	for (unsigned a = 0; a < (1u << nk); a++) {
		memset(set, 0, sizeof(set));
		for (uint8_t j = 0; j < nk; j++)
			if ((a >> j) & 1)
				set[f->cls[j] / 64] |= UINT64_C(1)
						       << (f->cls[j] % 64);
		if (members_run(x, set, 16))
			f->table |= UINT64_C(1) << a;
	}
	f->nk = nk ? nk : 7; /* 7: no class at all (cannot happen) */
}

void texpr_form_find(struct ternd_expr *x)
{
	struct texpr_form f = {0};
	uint32_t n = x->n_ins;

	memset(&x->form, 0, sizeof(x->form));
	if (x->flags & TEXPR_IS_STRING)
		return;
	if (members_only(x)) {
		x->form.kind = TEXPR_FORM_MEMBERS;
		members_table(x);
		return;
	}
	if (n && x->ins[n - 1].op == TEXPR_NOT) {
		f.negate = true;
		n--;
	}
	if (n == 1 && leaf(&x->ins[0], TEXPR_EXISTS, &f) &&
	    f.leaf != TEXPR_LEAF_MSGTYPE) {
		f.kind = TEXPR_FORM_EXISTS;
		x->form = f;
		return;
	}
	if (n < 3 || x->ins[n - 1].op != TEXPR_EQ)
		return;
	n--;
	/* 'lit' == X, or X == 'lit' */
	if ((literal(&x->ins[0], &f) && operand(&x->ins[1], n - 1, &f)) ||
	    (literal(&x->ins[n - 1], &f) && operand(&x->ins[0], n - 1, &f))) {
		f.kind = TEXPR_FORM_EQ;
		x->form = f;
	}
}

bool ternd_expr_has_form(const struct ternd_expr *x)
{
	return x && x->form.kind != TEXPR_FORM_NONE;
}

/* ---- deciding it --------------------------------------------------------- */

static int members_run(const struct ternd_expr *x, const uint64_t *set,
		       size_t words)
{
	uint64_t st = 0; /* bit i: stack slot i */
	int sp = 0;

	for (uint32_t i = 0; i < x->n_ins; i++) {
		const struct texpr_ins *in = &x->ins[i];
		uint64_t a, b;

		switch (in->op) {
		case TEXPR_MEMBER:
			a = in->u / 64 < words
				    ? (set[in->u / 64] >> (in->u % 64)) & 1
				    : 0;
			st = (st & ~(UINT64_C(1) << sp)) | a << sp;
			sp++;
			break;
		case TEXPR_NOT:
			st ^= UINT64_C(1) << (sp - 1);
			break;
		default: /* and, or */
			a = (st >> (sp - 1)) & 1;
			b = (st >> (sp - 2)) & 1;
			sp--;
			a = in->op == TEXPR_AND ? a & b : a | b;
			st = (st & ~(UINT64_C(1) << (sp - 1))) | a << (sp - 1);
			break;
		}
	}
	return (int)(st & 1);
}

int texpr_members(const struct ternd_expr *x, const struct ternd_expr_pkt *p)
{
	const struct texpr_form *f = &x->form;
	const uint64_t *set = p->classes;
	size_t words = set ? p->n_class_words : 0;
	unsigned a = 0;

	if (f->nk == 0 || f->nk > 6)
		return members_run(x, set, words);
	for (uint8_t j = 0; j < f->nk; j++) {
		uint16_t c = f->cls[j];

		if (c / 64 < words)
			a |= (unsigned)((set[c / 64] >> (c % 64)) & 1) << j;
	}
	return (int)((f->table >> a) & 1);
}

/*
 * A packet the fast path reads as Kea does: no option 125 (a malformed
 * one makes Kea drop the options after it and stop fusing). Options in
 * sname/file never count (Kea ignores overload), as in expr_view.c.
 */
static bool simple(const struct tern_dhcp4_msg *m)
{
	return !tern_dhcp4_has_opt(m, TERN_DHCP4_OPT_VIVSO);
}

/* What the options field holds of one code: how many instances, and the
 * first. */
struct inst {
	unsigned n;
	const uint8_t *p;
	uint32_t len;
};

static void find_inst(const struct tern_dhcp4_msg *m, uint8_t code,
		      struct inst *in)
{
	in->n = 0;
	if (!tern_dhcp4_has_opt(m, code))
		return;
	for (unsigned i = 0; i < m->n_opts; i++) {
		const struct tern_dhcp4_opt_ref *o = &m->opts[i];

		if (o->code != code || o->off < TERN_DHCP4_OPTS_OFF)
			continue;
		if (in->n++)
			return;
		in->p = m->buf + o->off;
		in->len = o->len;
	}
}

/* The value X reads: 1 found (maybe empty), 0 absent, -1 undecided (Kea
 * fuses several instances: the interpreter's). in: code's instances
 * (unused for pkt4.mac); buf holds a made value (msgtype's 4 bytes). */
static int value_of(const struct texpr_form *f, const struct tern_dhcp4_msg *m,
		    const struct inst *in, uint8_t buf[4],
		    const uint8_t **ret_p, uint32_t *ret_len)
{
	const uint8_t *p = in->p, *d;
	uint32_t len = in->len;
	size_t pos = 0;
	int n = 0;
	uint8_t c, l;

	if (f->leaf == TEXPR_LEAF_MAC) {
		/* chaddr's hlen bytes (over 16: the interpreter's) */
		if (m->hdr.hlen > sizeof(m->hdr.chaddr))
			return -1;
		*ret_p = m->hdr.chaddr;
		*ret_len = m->hdr.hlen;
		return 1;
	}
	if (in->n > 1)
		return -1;
	if (f->leaf == TEXPR_LEAF_MSGTYPE) {
		/* Kea's getType(): 0 without 53; an empty 53 fails (the
		 * interpreter says how). */
		if (in->n == 1 && len == 0)
			return -1;
		memset(buf, 0, 4);
		buf[3] = in->n ? p[0] : 0;
		*ret_p = buf;
		*ret_len = 4;
		return 1;
	}
	if (!in->n)
		return 0;
	if (f->leaf == TEXPR_LEAF_OPT) {
		/* A string option loses its trailing NULs, and all NULs (or
		 * an empty host name) is no option; a raw one is its
		 * bytes. */
		while (f->okind == TEXPR_K_STRING && len && p[len - 1] == 0)
			len--;
		if (f->okind == TEXPR_K_STRING && !len)
			return 0;
		*ret_p = p;
		*ret_len = len;
		return 1;
	}
	/* Option 82's sub-options up to the first truncated one; the same
	 * code twice is fused: the interpreter's. */
	while (tern_dhcp4_subopt_next(p, len, &pos, &c, &d, &l) > 0) {
		if (c != f->sub)
			continue;
		if (n++)
			return -1;
		*ret_p = d;
		*ret_len = l;
	}
	return n;
}

static int value(const struct texpr_form *f, const struct tern_dhcp4_msg *m,
		 uint8_t buf[4], const uint8_t **ret_p, uint32_t *ret_len)
{
	struct inst in = {0, NULL, 0};

	if (f->leaf != TEXPR_LEAF_MAC)
		find_inst(m, f->code, &in);
	return value_of(f, m, &in, buf, ret_p, ret_len);
}

/* .exists: any object of code (several are fused into one). */
static int exists_of(const struct texpr_form *f, const struct tern_dhcp4_msg *m,
		     const struct inst *in)
{
	const uint8_t *d;
	size_t pos = 0;
	uint8_t c, l;

	if (!in->n)
		return 0;
	if (f->leaf == TEXPR_LEAF_SUB) {
		if (in->n != 1)
			return -1;
		while (tern_dhcp4_subopt_next(in->p, in->len, &pos, &c, &d,
					      &l) > 0)
			if (c == f->sub)
				return 1;
		return 0;
	}
	if (f->okind != TEXPR_K_STRING)
		return 1;
	/* A string option of NULs only is no option. */
	for (unsigned i = 0; i < m->n_opts; i++) {
		const struct tern_dhcp4_opt_ref *o = &m->opts[i];

		if (o->code != f->code || o->off < TERN_DHCP4_OPTS_OFF)
			continue;
		d = m->buf + o->off;
		for (l = 0; l < o->len && !d[l]; l++)
			;
		if (l < o->len)
			return 1;
	}
	return 0;
}

static int exists(const struct texpr_form *f, const struct tern_dhcp4_msg *m)
{
	struct inst in;

	find_inst(m, f->code, &in);
	return exists_of(f, m, &in);
}

static int memo_value(const struct texpr_form *f,
		      const struct ternd_expr_pkt *p, uint8_t buf[4],
		      const uint8_t **ret_p, uint32_t *ret_len)
{
	struct ternd_expr_memo *mm = p->memo;
	int r;

	if (!mm || f->leaf >= TEXPR_LEAF_MSGTYPE)
		return value(f, p->m, buf, ret_p, ret_len);
	for (uint8_t i = 0; i < mm->n; i++)
		if (mm->v[i].code == f->code && mm->v[i].sub == f->sub) {
			*ret_p = mm->v[i].p;
			*ret_len = mm->v[i].len;
			return mm->v[i].found;
		}
	r = value(f, p->m, buf, ret_p, ret_len);
	if (mm->n < TERND_EXPR_MEMO) {
		mm->v[mm->n].code = f->code;
		mm->v[mm->n].sub = f->sub;
		mm->v[mm->n].found = (int8_t)r;
		mm->v[mm->n].p = r > 0 ? *ret_p : NULL;
		mm->v[mm->n].len = r > 0 ? *ret_len : 0;
		mm->n++;
	}
	return r;
}

int texpr_form_eval(const struct ternd_expr *x, const struct ternd_expr_pkt *p)
{
	const struct texpr_form *f = &x->form;
	uint8_t buf[4];
	const uint8_t *v = NULL;
	uint32_t len = 0;
	int r;
	bool eq;

	if (f->kind == TEXPR_FORM_MEMBERS)
		return texpr_members(x, p);
	if (p->memo && p->memo->simple == 0)
		p->memo->simple = simple(p->m) ? 1 : -1;
	if (p->memo ? p->memo->simple < 0 : !simple(p->m))
		return -1;
	if (f->kind == TEXPR_FORM_EXISTS) {
		r = exists(f, p->m);
		return r < 0 ? -1 : (r == 1) != f->negate;
	}
	r = memo_value(f, p, buf, &v, &len);
	if (r < 0)
		return -1;
	if (r == 0)
		len = 0; /* absent reads as "" */
	if (f->prefix && len > f->n)
		len = f->n;
	eq = len == f->lit_len &&
	     (len == 0 || memcmp(v, x->pool + f->lit, len) == 0);
	return eq != f->negate;
}

/* ---- many tests at once --------------------------------------------------
 */

/* One test of a batch, with the others reading the same value. */
struct bent {
	uint32_t idx; /* in the batch's list */
	const struct ternd_expr *x;
	const uint8_t *lit;
	uint32_t lit_len;
	uint32_t n; /* prefix length, UINT32_MAX: none */
	bool exists;
	bool negate;
};

struct ternd_expr_batch {
	size_t n; /* tests (bits) */
	struct bent *v;
	size_t n_v;
	/* v sorted so that the tests of one value are adjacent: groups
	 * [start[g], start[g + 1]) */
	uint32_t *start;
	size_t n_groups;
	uint64_t *mask; /* the tests it decides, (n + 63) / 64 words */
	/* The option codes the groups read: slot[code] is 1 + their index
	 * in one pass over a packet's options, 0 for the others. */
	uint8_t slot[256];
	uint8_t n_slots;
};

static int form_key_cmp(const struct texpr_form *a, const struct texpr_form *b)
{
	int ka = a->kind == TEXPR_FORM_EXISTS,
	    kb = b->kind == TEXPR_FORM_EXISTS;

	if (ka != kb)
		return ka - kb;
	if (a->leaf != b->leaf)
		return a->leaf - b->leaf;
	if (a->code != b->code)
		return a->code - b->code;
	if (a->sub != b->sub)
		return a->sub - b->sub;
	return a->okind - b->okind;
}

static int bent_cmp(const void *a, const void *b)
{
	const struct bent *x = a, *y = b;
	int r = form_key_cmp(&x->x->form, &y->x->form);

	if (r)
		return r;
	return x->idx < y->idx ? -1 : x->idx > y->idx;
}

int ternd_expr_batch_new(const struct ternd_expr *const *v, size_t n,
			 struct ternd_expr_batch **ret)
{
	struct ternd_expr_batch *b = calloc(1, sizeof(*b));
	size_t k = 0;

	if (!b)
		return -ENOMEM;
	b->n = n;
	b->v = calloc(n ? n : 1, sizeof(*b->v));
	b->start = calloc(n + 1, sizeof(*b->start));
	b->mask = calloc((n + 63) / 64 + 1, sizeof(*b->mask));
	if (!b->v || !b->start || !b->mask) {
		ternd_expr_batch_free(b);
		return -ENOMEM;
	}
	for (size_t i = 0; i < n; i++)
		if (v[i] && (v[i]->form.kind == TEXPR_FORM_EQ ||
			     v[i]->form.kind == TEXPR_FORM_EXISTS)) {
			const struct texpr_form *f = &v[i]->form;

			b->v[k++] = (struct bent){
				.idx = (uint32_t)i,
				.x = v[i],
				.lit = v[i]->pool + f->lit,
				.lit_len = f->lit_len,
				.n = f->prefix ? f->n : UINT32_MAX,
				.exists = f->kind == TEXPR_FORM_EXISTS,
				.negate = f->negate,
			};
			b->mask[i / 64] |= UINT64_C(1) << (i % 64);
		}
	b->n_v = k;
	qsort(b->v, k, sizeof(*b->v), bent_cmp);
	for (size_t i = 0; i < k; i++)
		if (i == 0 ||
		    form_key_cmp(&b->v[i - 1].x->form, &b->v[i].x->form))
			b->start[b->n_groups++] = (uint32_t)i;
	b->start[b->n_groups] = (uint32_t)k;
	for (size_t g = 0; g < b->n_groups; g++) {
		const struct texpr_form *f = &b->v[b->start[g]].x->form;

		if (f->leaf != TEXPR_LEAF_MAC && !b->slot[f->code])
			b->slot[f->code] = ++b->n_slots;
	}
	*ret = b;
	return 0;
}

void ternd_expr_batch_free(struct ternd_expr_batch *b)
{
	if (!b)
		return;
	free(b->v);
	free(b->start);
	free(b->mask);
	free(b);
}

void ternd_expr_batch_run(const struct ternd_expr_batch *b,
			  const struct ternd_expr_pkt *p, uint64_t *decided,
			  uint64_t *verdict)
{
	size_t words = (b->n + 63) / 64;
	const struct tern_dhcp4_msg *m = p->m;
	struct inst ins[256];

	memset(verdict, 0, words * sizeof(*verdict));
	if (!b->n_groups || !m || !simple(m)) {
		memset(decided, 0, words * sizeof(*decided));
		return;
	}
	memcpy(decided, b->mask, words * sizeof(*decided));
	/* One pass over the options for every code the groups read. */
	memset(ins, 0, (1 + (size_t)b->n_slots) * sizeof(ins[0]));
	for (unsigned i = 0; i < m->n_opts; i++) {
		const struct tern_dhcp4_opt_ref *o = &m->opts[i];
		struct inst *in = &ins[b->slot[o->code]];

		if (o->off < TERN_DHCP4_OPTS_OFF || in->n++)
			continue;
		in->p = m->buf + o->off;
		in->len = o->len;
	}
	for (size_t g = 0; g < b->n_groups; g++) {
		const struct bent *e = &b->v[b->start[g]],
				  *end = &b->v[b->start[g + 1]];
		const struct texpr_form *f = &e->x->form;
		const struct inst *in = &ins[b->slot[f->code]];
		const uint8_t *val = NULL;
		uint8_t buf[4];
		uint32_t len = 0;
		int r = e->exists ? exists_of(f, m, in)
				  : value_of(f, m, in, buf, &val, &len);

		if (r < 0) { /* the interpreter's */
			for (; e < end; e++)
				decided[e->idx / 64] &=
					~(UINT64_C(1) << (e->idx % 64));
			continue;
		}
		if (r == 0)
			len = 0;
		for (; e < end; e++) {
			uint32_t l = len < e->n ? len : e->n;
			bool yes =
				e->exists ? r == 1
					  : l == e->lit_len &&
						    (l == 0 ||
						     (val[0] == e->lit[0] &&
						      !memcmp(val, e->lit, l)));

			if (yes != e->negate)
				verdict[e->idx / 64] |= UINT64_C(1)
							<< (e->idx % 64);
		}
	}
}
