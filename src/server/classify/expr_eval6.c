/* ternd classification: the packet instructions of a DHCPv6 program (Kea
 * 2.2's TokenOption, TokenSubOption, TokenRelay6Option, TokenRelay6Field,
 * TokenPkt, TokenPkt6, TokenVendor, TokenVendorClass on a Pkt6). The rest
 * of the evaluator is expr_eval.c's, shared with DHCPv4. */
#include <errno.h>
#include <string.h>

#include "server/classify/expr_view6.h"

static const uint8_t str_true[] = "true";

static void set_bool(struct texpr_str *ret, bool b)
{
	ret->p = NULL;
	ret->len = b;
}

/* TokenOption::pushFailure: "" or false. */
static int missing(enum texpr_repr r, struct texpr_str *ret)
{
	if (r == TEXPR_EXISTS)
		set_bool(ret, false);
	else
		*ret = (struct texpr_str){(const uint8_t *)"", 0};
	return 0;
}

/* The found option (object o, value val, code) in representation r. */
static int present(struct texpr6_view *v, enum texpr_repr r, uint16_t code,
		   const struct texpr6_obj *o, struct texpr_str val,
		   struct texpr_arena *a, struct texpr_str *ret)
{
	switch (r) {
	case TEXPR_EXISTS:
		set_bool(ret, true);
		return 0;
	case TEXPR_TEXT:
		return texpr6_text(&v->defs, code, o, val, a, ret) < 0 ? -EINVAL
								       : 0;
	default:
		break;
	}
	return texpr6_hex(&v->defs, o, val, a, ret) < 0 ? -EBADMSG : 0;
}

/* The client message's first instance of code (Pkt::getOption). */
static int msg_opt(struct texpr6_view *v, uint16_t code, uint8_t kind,
		   struct texpr6_obj *o, struct texpr_str *val)
{
	const struct texpr6_area *a = texpr6_msg_area(v);

	texpr6_obj_ins(code, kind, o);
	return texpr6_find(a, code, o, val);
}

/* option[C] and option[C].option[S] (sub 0xffffffff: none). */
static int op_opt(struct texpr6_view *v, const struct texpr_ins *in,
		  bool is_sub, struct texpr_arena *a, struct texpr_str *ret)
{
	enum texpr_repr r = in->flags & TEXPR_REPR_MASK;
	struct texpr6_obj o, so;
	struct texpr_str val, sv;
	int rc = msg_opt(v, in->code, in->kind, &o, &val);

	if (rc <= 0)
		return rc < 0 ? rc : missing(r, ret);
	if (!is_sub)
		return present(v, r, in->code, &o, val, a, ret);
	rc = texpr6_sub(&v->defs, &o, 0, val, in->sub, &so, &sv);
	if (rc < 0)
		return -EBADMSG;
	if (rc == 0)
		return missing(r, ret);
	return present(v, r, in->sub, &so, sv, a, ret);
}

/* relay6[N].option[C] / .peeraddr / .linkaddr. */
static int op_relay6(struct texpr6_view *v, const struct texpr_ins *in,
		     struct texpr_arena *a, struct texpr_str *ret)
{
	enum texpr_repr r = in->flags & TEXPR_REPR_MASK;
	const struct tern_dhcp6_relay *rel;
	struct texpr6_area area;
	struct texpr6_obj o;
	struct texpr_str val;
	int lvl = in->i1;

	texpr6_relays(v); /* the relays Kea kept */
	if (in->field != TEXPR_R6_OPTION) {
		if (lvl < 0)
			lvl += (int)v->relays;
		if (lvl < 0 || (unsigned)lvl >= v->relays) {
			*ret = (struct texpr_str){(const uint8_t *)"", 0};
			return 0;
		}
		rel = &v->p->relays[lvl];
		ret->p = in->field == TEXPR_R6_PEERADDR
				 ? rel->peer_addr.s6_addr
				 : rel->link_addr.s6_addr;
		ret->len = 16;
		return 0;
	}
	if (!texpr6_relay_area(v, lvl, &area))
		return missing(r, ret);
	texpr6_obj_ins(in->code, in->kind, &o);
	if (!texpr6_find(&area, in->code, &o, &val))
		return missing(r, ret);
	return present(v, r, in->code, &o, val, a, ret);
}

static int op_pkt(struct texpr6_view *v, const struct texpr_ins *in,
		  struct texpr_arena *a, struct texpr_str *ret)
{
	static const struct in6_addr any;
	const struct ternd_expr_pkt6 *p = v->p;
	uint32_t len;
	int rc;

	switch (in->sub) {
	case TEXPR_PKT_IFACE:
		ret->p = (const uint8_t *)(p->iface ? p->iface : "");
		ret->len = (uint32_t)strlen((const char *)ret->p);
		return 0;
	case TEXPR_PKT_SRC:
		ret->p = (p->src ? p->src : &any)->s6_addr;
		ret->len = 16;
		return 0;
	case TEXPR_PKT_DST:
		ret->p = (p->dst ? p->dst : &any)->s6_addr;
		ret->len = 16;
		return 0;
	default:
		rc = texpr6_pkt_len(v, a, &len);
		return rc < 0 ? rc : texpr_put_u32(a, len, ret);
	}
}

/* vendor... on option 17, vendor-class... on 16 (2-byte tuple lengths). */
static int op_vendor(struct texpr6_view *v, const struct texpr_ins *in,
		     struct texpr_arena *a, struct texpr_str *ret)
{
	enum texpr_repr r = in->flags & TEXPR_REPR_MASK;
	bool vc = in->op == TEXPR_VCLASS;
	uint16_t code =
		vc ? TERN_DHCP6_OPT_VENDOR_CLASS : TERN_DHCP6_OPT_VENDOR_OPTS;
	struct texpr6_obj o, so;
	struct texpr_str val, sv;
	uint32_t ent, at, idx;
	int rc = msg_opt(v, code, vc ? K6_VCLASS : K6_VENDOR, &o, &val);

	if (rc < 0)
		return rc;
	if (rc == 0 || val.len < 4)
		return missing(r, ret);
	ent = (uint32_t)val.p[0] << 24 | (uint32_t)val.p[1] << 16 |
	      (uint32_t)val.p[2] << 8 | val.p[3];
	if (in->u && in->u != ent)
		return missing(r, ret);
	switch (in->field) {
	case TEXPR_V_ENTERPRISE:
		return texpr_put_u32(a, ent, ret);
	case TEXPR_V_EXISTS:
		if (r == TEXPR_EXISTS)
			set_bool(ret, true);
		else
			*ret = (struct texpr_str){str_true, 4};
		return 0;
	case TEXPR_V_DATA:
		/* The idx-th tuple's data, "" past the last. */
		at = 4;
		for (idx = 0; at + 2 <= val.len; idx++) {
			uint32_t l = (uint32_t)val.p[at] << 8 | val.p[at + 1];

			if (at + 2 + l > val.len)
				break;
			if (idx == in->sub) {
				*ret = (struct texpr_str){val.p + at + 2, l};
				return 0;
			}
			at += 2 + l;
		}
		*ret = (struct texpr_str){(const uint8_t *)"", 0};
		return 0;
	default:
		break;
	}
	rc = texpr6_sub(&v->defs, &o, ent, val, in->sub, &so, &sv);
	if (rc < 0)
		return -EBADMSG;
	if (rc == 0)
		return missing(r, ret);
	return present(v, r, in->sub, &so, sv, a, ret);
}

int texpr6_leaf(struct texpr6_view *v, const struct texpr_ins *in,
		struct texpr_arena *a, struct texpr_str *ret)
{
	switch (in->op) {
	case TEXPR_OPT:
		return op_opt(v, in, false, a, ret);
	case TEXPR_SUBOPT:
		return op_opt(v, in, true, a, ret);
	case TEXPR_RELAY6:
		return op_relay6(v, in, a, ret);
	case TEXPR_PKT:
		return op_pkt(v, in, a, ret);
	case TEXPR_PKT6:
		if (v->p->n_relays && v->p->relays)
			texpr6_relays(v); /* a relay may have lost it */
		if (v->lost)
			return texpr_put_u32(a,
					     in->sub == TEXPR_PKT6_MSGTYPE
						     ? v->p->relays[0].type
						     : 0,
					     ret);
		return texpr_put_u32(a,
				     in->sub == TEXPR_PKT6_MSGTYPE
					     ? v->p->m->type
					     : v->p->m->xid,
				     ret);
	case TEXPR_VENDOR:
	case TEXPR_VCLASS:
		return op_vendor(v, in, a, ret);
	default:
		return -EINVAL;
	}
}
