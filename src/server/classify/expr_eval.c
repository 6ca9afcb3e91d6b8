/* ternd classification: evaluates a compiled expression against one packet,
 * in the caller's scratch, without allocating. */
#include <arpa/inet.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "server/classify/expr_view6.h"

/*
 * Kea evaluates every token (no short-cut in `and`/`or`/ifelse), so an
 * error anywhere fails the whole expression; so does this loop.
 *
 * Scratch is used like a stack too: a value's bytes are above those of the
 * values under it, so when an instruction replaces its operands by a
 * result, the result is moved down to where the operands' bytes began and
 * everything above is free again. Usage is the live values, not the
 * history of the evaluation.
 */

static const uint8_t str_true[] = "true";

struct vm {
	const struct ternd_expr *x;
	const struct ternd_expr_pkt *p;	  /* DHCPv4 */
	const struct ternd_expr_pkt6 *p6; /* DHCPv6 */
	const uint64_t *classes;
	size_t n_class_words;
	struct texpr_view view;
	struct texpr6_view view6;
	struct ternd_expr_slot *st;
	struct texpr_arena a;
	int sp;
};

static bool in_arena(const struct texpr_arena *a, const uint8_t *p)
{
	uintptr_t b = (uintptr_t)a->buf, q = (uintptr_t)p;

	return p && q >= b && q < b + a->cap;
}

/* Replace the top pops values by v (v.p NULL: the boolean v.len). */
static void settle(struct vm *vm, int pops, struct texpr_str v)
{
	int base = vm->sp - pops;
	uint32_t from = base ? vm->st[base - 1].mark : 0;
	struct ternd_expr_slot *s = &vm->st[base];

	if (in_arena(&vm->a, v.p)) {
		memmove(vm->a.buf + from, v.p, v.len);
		v.p = vm->a.buf + from;
		vm->a.top = from + v.len;
	} else {
		vm->a.top = from;
	}
	s->p = v.p;
	s->len = v.len;
	s->mark = vm->a.top;
	vm->sp = base + 1;
}

static void settle_bool(struct vm *vm, int pops, bool b)
{
	struct texpr_str v = {NULL, b};

	settle(vm, pops, v);
}

static struct texpr_str arg(const struct vm *vm, int from_top)
{
	const struct ternd_expr_slot *s = &vm->st[vm->sp - 1 - from_top];
	struct texpr_str v = {s->p, s->len};

	return v;
}

static bool arg_bool(const struct vm *vm, int from_top)
{
	return vm->st[vm->sp - 1 - from_top].len != 0;
}

static int put_text(struct vm *vm, const char *s, struct texpr_str *ret)
{
	size_t n = strlen(s);
	uint8_t *o = texpr_alloc(&vm->a, n);

	if (!o)
		return -ENOBUFS;
	memcpy(o, s, n);
	ret->p = o;
	ret->len = (uint32_t)n;
	return 0;
}

/* A missing option's value: "" for hex/text, false for exists. */
static void push_missing(struct vm *vm, enum texpr_repr r)
{
	struct texpr_str empty = {(const uint8_t *)"", 0};

	if (r == TEXPR_EXISTS)
		settle_bool(vm, 0, false);
	else
		settle(vm, 0, empty);
}

static int op_opt(struct vm *vm, const struct texpr_ins *in)
{
	enum texpr_repr r = in->flags & TEXPR_REPR_MASK;
	enum texpr_kind k = (enum texpr_kind)in->kind;
	struct texpr_str v;
	int rc;

	if (r == TEXPR_EXISTS) {
		settle_bool(vm, 0, texpr_opt_exists(&vm->view, in->code, k));
		return 0;
	}
	rc = r == TEXPR_TEXT
		     ? texpr_opt_text(&vm->view, in->code, k, &vm->a, &v)
		     : texpr_opt_value(&vm->view, in->code, k, &vm->a, &v);
	if (rc < 0)
		return rc;
	if (rc == 0)
		push_missing(vm, r);
	else
		settle(vm, 0, v);
	return 0;
}

/* Sub-option sub of option code (kind k), in the representation asked. */
static int push_sub(struct vm *vm, enum texpr_repr r, uint8_t code,
		    enum texpr_kind k, uint8_t sub)
{
	struct texpr_str v;
	int rc;

	rc = texpr_subopt_value(&vm->view, code, k, sub, &vm->a, &v);
	if (rc <= 0) {
		if (rc == 0)
			push_missing(vm, r);
		return rc;
	}
	switch (r) {
	case TEXPR_EXISTS:
		settle_bool(vm, 0, true);
		return 0;
	case TEXPR_TEXT:
		rc = texpr_subopt_text(&vm->view, code, k, sub, v, &vm->a, &v);
		if (rc < 0)
			return rc;
		break;
	case TEXPR_HEX:
		break;
	}
	settle(vm, 0, v);
	return 0;
}

static int op_subopt(struct vm *vm, const struct texpr_ins *in)
{
	return push_sub(vm, in->flags & TEXPR_REPR_MASK, in->code,
			(enum texpr_kind)in->kind, in->sub);
}

static int op_pkt(struct vm *vm, const struct texpr_ins *in)
{
	const struct ternd_expr_pkt *p = vm->p;
	struct texpr_str v;
	uint32_t len;
	int rc = 0;

	switch (in->sub) {
	case TEXPR_PKT_IFACE:
		v.p = (const uint8_t *)(p->iface ? p->iface : "");
		v.len = (uint32_t)strlen((const char *)v.p);
		break;
	case TEXPR_PKT_SRC:
		rc = texpr_put_u32(&vm->a, p->src, &v);
		break;
	case TEXPR_PKT_DST:
		rc = texpr_put_u32(&vm->a, p->dst, &v);
		break;
	default:
		rc = texpr_pkt_len(&vm->view, vm->x->kinds, &vm->a, &len);
		if (rc >= 0)
			rc = texpr_put_u32(&vm->a, len, &v);
		break;
	}
	if (rc < 0)
		return rc;
	settle(vm, 0, v);
	return 0;
}

/* Kea's hardware address: chaddr cut or zero-padded to hlen (Kea refuses
 * hlen above 20 when it parses the packet; taken as 20 here). */
static int pkt4_mac(struct vm *vm, struct texpr_str *ret)
{
	const struct tern_dhcp4_hdr *h = &vm->p->m->hdr;
	unsigned n = h->hlen > 20 ? 20 : h->hlen;
	uint8_t *o;

	if (n <= sizeof(h->chaddr)) {
		ret->p = h->chaddr;
		ret->len = n;
		return 0;
	}
	o = texpr_alloc(&vm->a, n);
	if (!o)
		return -ENOBUFS;
	memset(o, 0, n);
	memcpy(o, h->chaddr, sizeof(h->chaddr));
	ret->p = o;
	ret->len = n;
	return 0;
}

static int op_pkt4(struct vm *vm, const struct texpr_ins *in)
{
	const struct tern_dhcp4_hdr *h = &vm->p->m->hdr;
	struct texpr_str v;
	uint8_t type;
	int rc = 0;

	switch (in->sub) {
	case TEXPR_PKT4_MAC:
		rc = pkt4_mac(vm, &v);
		break;
	case TEXPR_PKT4_HLEN:
		rc = texpr_put_u32(&vm->a, h->hlen > 16 ? 16 : h->hlen, &v);
		break;
	case TEXPR_PKT4_HTYPE:
		rc = texpr_put_u32(&vm->a, h->htype, &v);
		break;
	case TEXPR_PKT4_CIADDR:
		v.p = (const uint8_t *)&h->ciaddr.s_addr;
		v.len = 4;
		break;
	case TEXPR_PKT4_GIADDR:
		v.p = (const uint8_t *)&h->giaddr.s_addr;
		v.len = 4;
		break;
	case TEXPR_PKT4_YIADDR:
		v.p = (const uint8_t *)&h->yiaddr.s_addr;
		v.len = 4;
		break;
	case TEXPR_PKT4_SIADDR:
		v.p = (const uint8_t *)&h->siaddr.s_addr;
		v.len = 4;
		break;
	case TEXPR_PKT4_MSGTYPE:
		rc = texpr_msgtype(&vm->view, &type);
		if (rc < 0)
			return rc;
		rc = texpr_put_u32(&vm->a, type, &v);
		break;
	default:
		rc = texpr_put_u32(&vm->a, h->xid, &v);
		break;
	}
	if (rc < 0)
		return rc;
	settle(vm, 0, v);
	return 0;
}

/* TokenVendor / TokenVendorClass: absent, or another enterprise, give
 * "" (false for exists); 0 in the expression means any. */
static int op_vendor(struct vm *vm, const struct texpr_ins *in)
{
	enum texpr_repr r = in->flags & TEXPR_REPR_MASK;
	struct texpr_str v, d = {NULL, 0};
	uint32_t ent = 0;
	int rc;

	if (in->op == TEXPR_VENDOR)
		rc = texpr_vivso_enterprise(&vm->view, &ent);
	else
		rc = texpr_vivco(&vm->view, &ent, in->sub, &d);
	if (rc < 0)
		return rc;
	if (rc == 0 || (in->u && in->u != ent)) {
		push_missing(vm, r);
		return 0;
	}
	switch (in->field) {
	case TEXPR_V_ENTERPRISE:
		rc = texpr_put_u32(&vm->a, ent, &v);
		if (rc < 0)
			return rc;
		settle(vm, 0, v);
		return 0;
	case TEXPR_V_EXISTS:
		if (r == TEXPR_EXISTS) {
			settle_bool(vm, 0, true);
		} else {
			v.p = str_true;
			v.len = 4;
			settle(vm, 0, v);
		}
		return 0;
	case TEXPR_V_DATA:
		if (!d.p)
			d.p = (const uint8_t *)"";
		settle(vm, 0, d);
		return 0;
	default:
		break;
	}
	return push_sub(vm, r, TERN_DHCP4_OPT_VIVSO, TEXPR_K_VIVSO, in->sub);
}

/* TokenSubstring, in 64 bits where Kea's int arithmetic could overflow. */
static int op_substring(struct vm *vm, const struct texpr_ins *in)
{
	struct texpr_str s = arg(vm, 0), v = {s.p, 0};
	int64_t len, start, n = s.len;

	if (s.len == 0) {
		settle(vm, 1, v);
		return 0;
	}
	if (in->flags & TEXPR_F_I1_BAD)
		return -EINVAL;
	if (in->flags & TEXPR_F_LEN_ALL)
		len = n;
	else if (in->flags & TEXPR_F_I2_BAD)
		return -EINVAL;
	else
		len = in->i2;
	start = in->i1;
	if (start < -n || start >= n) {
		settle(vm, 1, v);
		return 0;
	}
	if (start < 0)
		start += n;
	if (len < 0) {
		len = -len;
		if (len <= start) {
			start -= len;
		} else {
			len = start;
			start = 0;
		}
	}
	if (len > n - start)
		len = n - start;
	v.p = s.p + start;
	v.len = (uint32_t)len;
	settle(vm, 1, v);
	return 0;
}

/* TokenSplit: boost::split on any of the delimiter bytes, adjacent ones
 * giving empty fields, field counted from 1. */
static int op_split(struct vm *vm, const struct texpr_ins *in)
{
	struct texpr_str delims = arg(vm, 0), s = arg(vm, 1), v = {s.p, 0};
	uint64_t set[4] = {0, 0, 0, 0};
	int64_t field = in->i1, f = 1;
	uint32_t start = 0;

	if (s.len == 0) {
		settle(vm, 2, v);
		return 0;
	}
	if (in->flags & TEXPR_F_I1_BAD)
		return -EINVAL;
	if (delims.len == 0) {
		settle(vm, 2, s);
		return 0;
	}
	for (uint32_t i = 0; i < delims.len; i++)
		set[delims.p[i] >> 6] |= 1ull << (delims.p[i] & 63);
	for (uint32_t i = 0; i <= s.len && field >= 1; i++) {
		if (i < s.len && !((set[s.p[i] >> 6] >> (s.p[i] & 63)) & 1))
			continue;
		if (f == field) {
			v.p = s.p + start;
			v.len = i - start;
			break;
		}
		f++;
		start = i + 1;
	}
	settle(vm, 2, v);
	return 0;
}

static int op_concat(struct vm *vm)
{
	struct texpr_str b = arg(vm, 0), a = arg(vm, 1), v;
	uint8_t *o;

	if (b.len == 0 || a.len == 0) {
		settle(vm, 2, a.len ? a : b);
		return 0;
	}
	o = texpr_alloc(&vm->a, (size_t)a.len + b.len);
	if (!o)
		return -ENOBUFS;
	memcpy(o, a.p, a.len);
	memcpy(o + a.len, b.p, b.len);
	v.p = o;
	v.len = a.len + b.len;
	settle(vm, 2, v);
	return 0;
}

/* TokenToHexString: two lower-case digits per byte, sep between. */
static int op_hexstring(struct vm *vm)
{
	static const char digits[] = "0123456789abcdef";
	struct texpr_str sep = arg(vm, 0), bin = arg(vm, 1), v;
	size_t n = 0;
	uint8_t *o;

	if (bin.len)
		n = (size_t)bin.len * 2 + ((size_t)bin.len - 1) * sep.len;
	o = texpr_alloc(&vm->a, n);
	if (!o)
		return -ENOBUFS;
	v.p = o;
	v.len = (uint32_t)n;
	for (uint32_t i = 0; i < bin.len; i++) {
		if (i) {
			memcpy(o, sep.p, sep.len);
			o += sep.len;
		}
		*o++ = (uint8_t)digits[bin.p[i] >> 4];
		*o++ = (uint8_t)digits[bin.p[i] & 15];
	}
	settle(vm, 2, v);
	return 0;
}

/* TokenIpAddressToText and the int totext family: an empty value stays
 * empty, a value of the wrong size is an evaluation error. */
static int op_totext(struct vm *vm, const struct texpr_ins *in)
{
	struct texpr_str s = arg(vm, 0), v;
	char buf[INET6_ADDRSTRLEN];
	uint32_t u = 0;
	int rc;

	if (s.len == 0) {
		settle(vm, 1, s);
		return 0;
	}
	if (in->op == TEXPR_ADDRTOTEXT) {
		if ((s.len != 4 && s.len != 16) ||
		    !inet_ntop(s.len == 4 ? AF_INET : AF_INET6, s.p, buf,
			       sizeof(buf)))
			return -EINVAL;
	} else {
		if (s.len != in->code)
			return -EINVAL;
		for (uint32_t i = 0; i < s.len; i++)
			u = u << 8 | s.p[i];
		if (!(in->flags & TEXPR_F_SIGNED))
			snprintf(buf, sizeof(buf), "%u", u);
		else if (in->code == 1)
			snprintf(buf, sizeof(buf), "%d", (int)(int8_t)u);
		else if (in->code == 2)
			snprintf(buf, sizeof(buf), "%d", (int)(int16_t)u);
		else
			snprintf(buf, sizeof(buf), "%d", (int)(int32_t)u);
	}
	rc = put_text(vm, buf, &v);
	if (rc < 0)
		return rc;
	settle(vm, 1, v);
	return 0;
}

static bool member(const struct vm *vm, uint32_t idx)
{
	return vm->classes && idx / 64 < vm->n_class_words &&
	       ((vm->classes[idx / 64] >> (idx % 64)) & 1);
}

/* A DHCPv6 program's packet instruction (expr_eval6.c). */
static int step6(struct vm *vm, const struct texpr_ins *in)
{
	struct texpr_str v;
	int rc = texpr6_leaf(&vm->view6, in, &vm->a, &v);

	if (rc < 0)
		return rc;
	settle(vm, 0, v);
	return 0;
}

static int step(struct vm *vm, const struct texpr_ins *in)
{
	struct texpr_str v, a, b;

	if (vm->p6) {
		switch (in->op) {
		case TEXPR_OPT:
		case TEXPR_SUBOPT:
		case TEXPR_PKT:
		case TEXPR_VENDOR:
		case TEXPR_VCLASS:
		case TEXPR_PKT6:
		case TEXPR_RELAY6:
			return step6(vm, in);
		case TEXPR_PKT4:
			return -EINVAL;
		default:
			break;
		}
	} else if (in->op == TEXPR_PKT6 || in->op == TEXPR_RELAY6) {
		return -EINVAL;
	}
	switch (in->op) {
	case TEXPR_LIT:
		v.p = vm->x->pool + in->u;
		v.len = (uint32_t)in->i1;
		settle(vm, 0, v);
		return 0;
	case TEXPR_OPT:
		return op_opt(vm, in);
	case TEXPR_SUBOPT:
		return op_subopt(vm, in);
	case TEXPR_PKT:
		return op_pkt(vm, in);
	case TEXPR_PKT4:
		return op_pkt4(vm, in);
	case TEXPR_VENDOR:
	case TEXPR_VCLASS:
		return op_vendor(vm, in);
	case TEXPR_SUBSTRING:
		return op_substring(vm, in);
	case TEXPR_SPLIT:
		return op_split(vm, in);
	case TEXPR_CONCAT:
		return op_concat(vm);
	case TEXPR_IFELSE:
		settle(vm, 3, arg_bool(vm, 2) ? arg(vm, 1) : arg(vm, 0));
		return 0;
	case TEXPR_HEXSTRING:
		return op_hexstring(vm);
	case TEXPR_ADDRTOTEXT:
	case TEXPR_TOTEXT:
		return op_totext(vm, in);
	case TEXPR_EQ:
		b = arg(vm, 0);
		a = arg(vm, 1);
		settle_bool(vm, 2,
			    a.len == b.len &&
				    (a.len == 0 || !memcmp(a.p, b.p, a.len)));
		return 0;
	case TEXPR_NOT:
		settle_bool(vm, 1, !arg_bool(vm, 0));
		return 0;
	case TEXPR_AND:
		settle_bool(vm, 2, arg_bool(vm, 0) && arg_bool(vm, 1));
		return 0;
	case TEXPR_OR:
		settle_bool(vm, 2, arg_bool(vm, 0) || arg_bool(vm, 1));
		return 0;
	case TEXPR_MEMBER:
		settle_bool(vm, 0, member(vm, in->u));
		return 0;
	}
	return -EINVAL;
}

static int run(const struct ternd_expr *x, const struct ternd_expr_pkt *p,
	       const struct ternd_expr_pkt6 *p6, struct ternd_expr_scratch *s,
	       struct ternd_expr_slot *ret)
{
	struct vm vm;

	if (!x || !s || x->max_stack > TERND_EXPR_STACK)
		return -EINVAL;
	if (x->family != (p6 ? 6 : 4))
		return -EDOM;
	vm.x = x;
	vm.p = p;
	vm.p6 = p6;
	if (p6) {
		if (!p6->m)
			return -EINVAL;
		vm.classes = p6->classes;
		vm.n_class_words = p6->n_class_words;
		texpr6_view_init(&vm.view6, p6);
		vm.view6.defs.codes = x->defs6_codes;
		vm.view6.defs.kinds = x->defs6_kinds;
		vm.view6.defs.n = x->n_defs6;
	} else {
		if (!p || !p->m)
			return -EINVAL;
		vm.classes = p->classes;
		vm.n_class_words = p->n_class_words;
		texpr_view_init(&vm.view, p->m, x->flags & TEXPR_USES_OPTS);
		vm.view.lenient = p->lenient;
	}
	vm.st = s->stack;
	vm.a.buf = s->buf;
	vm.a.cap = sizeof(s->buf);
	vm.a.top = 0;
	vm.sp = 0;
	for (uint32_t i = 0; i < x->n_ins; i++) {
		int rc = step(&vm, &x->ins[i]);

		if (rc < 0)
			return rc;
	}
	if (vm.sp != 1)
		return -EINVAL;
	*ret = s->stack[0];
	return 0;
}

int ternd_expr_eval(const struct ternd_expr *x, const struct ternd_expr_pkt *p,
		    struct ternd_expr_scratch *s)
{
	struct ternd_expr_slot r;
	int rc;

	if (x && x->family != 4)
		return -EDOM;
	if (x && x->form.kind == TEXPR_FORM_MEMBERS && p)
		return texpr_members(x, p);
	if (x && (x->flags & TEXPR_IS_STRING))
		return -EDOM;
	/* The common shapes, without the interpreter, when it can tell. */
	if (x && p && p->m && x->form.kind && (rc = texpr_form_eval(x, p)) >= 0)
		return rc;
	rc = run(x, p, NULL, s, &r);
	if (rc < 0)
		return rc;
	return r.len ? 1 : 0;
}

static int eval_string(const struct ternd_expr *x,
		       const struct ternd_expr_pkt *p,
		       const struct ternd_expr_pkt6 *p6,
		       struct ternd_expr_scratch *s, uint8_t *out, size_t cap)
{
	struct ternd_expr_slot r;
	int rc = run(x, p, p6, s, &r);

	if (rc < 0)
		return rc;
	if (!r.p) {
		r.p = r.len ? str_true : (const uint8_t *)"false";
		r.len = r.len ? 4 : 5;
	}
	if (r.len > cap || r.len > INT32_MAX)
		return -ENOBUFS;
	if (r.len)
		memcpy(out, r.p, r.len);
	return (int)r.len;
}

int ternd_expr_eval_string(const struct ternd_expr *x,
			   const struct ternd_expr_pkt *p,
			   struct ternd_expr_scratch *s, uint8_t *out,
			   size_t cap)
{
	return eval_string(x, p, NULL, s, out, cap);
}

int ternd_expr_eval6(const struct ternd_expr *x,
		     const struct ternd_expr_pkt6 *p,
		     struct ternd_expr_scratch *s)
{
	struct ternd_expr_slot r;
	int rc;

	if (!p)
		return -EINVAL;
	if (x && (x->flags & TEXPR_IS_STRING))
		return -EDOM;
	rc = run(x, NULL, p, s, &r);
	if (rc < 0)
		return rc;
	return r.len ? 1 : 0;
}

int ternd_expr_eval6_string(const struct ternd_expr *x,
			    const struct ternd_expr_pkt6 *p,
			    struct ternd_expr_scratch *s, uint8_t *out,
			    size_t cap)
{
	if (!p)
		return -EINVAL;
	return eval_string(x, NULL, p, s, out, cap);
}
