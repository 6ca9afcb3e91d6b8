/* ternd classification: a compiled expression in readable form, for tests
 * and class debugging. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "server/classify/expr_prog.h"

struct out {
	char *buf;
	size_t cap;
	size_t n; /* what it would take */
};

__attribute__((format(printf, 2, 3))) static void put(struct out *o,
						      const char *fmt, ...)
{
	va_list ap;
	size_t room = o->n < o->cap ? o->cap - o->n : 0;
	int r;

	va_start(ap, fmt);
	r = vsnprintf(room ? o->buf + o->n : NULL, room, fmt, ap);
	va_end(ap);
	if (r > 0)
		o->n += (size_t)r;
}

static void put_bytes(struct out *o, const uint8_t *p, size_t n)
{
	bool printable = true;

	for (size_t i = 0; i < n; i++)
		if (p[i] < 0x20 || p[i] >= 0x7f || p[i] == '\'')
			printable = false;
	if (printable) {
		put(o, "'%.*s'", (int)n, (const char *)p);
		return;
	}
	put(o, "0x");
	for (size_t i = 0; i < n; i++)
		put(o, "%02x", p[i]);
}

static const char *repr_name(uint8_t flags)
{
	switch (flags & TEXPR_REPR_MASK) {
	case TEXPR_TEXT:
		return "text";
	case TEXPR_EXISTS:
		return "exists";
	default:
		return "hex";
	}
}

static void put_enterprise(struct out *o, uint32_t e)
{
	if (e)
		put(o, "[%u]", e);
	else
		put(o, "[*]");
}

static void dump_ins(struct out *o, const struct ternd_expr *x,
		     const struct texpr_ins *in)
{
	static const char *const kinds[] = {
		"",	    " (string)", " (container)", " (container43)",
		" (vivso)", " (vivco)"};
	static const char *const pkt[] = {"iface", "src", "dst", "len"};
	static const char *const pkt4[] = {"mac",    "hlen",	"htype",
					   "ciaddr", "giaddr",	"yiaddr",
					   "siaddr", "msgtype", "transid"};
	static const char *const kinds6[] = {"",
					     " (empty)",
					     " (string)",
					     " (int)",
					     " (array)",
					     " (addrs)",
					     " (ia)",
					     " (iaaddr)",
					     " (iaprefix)",
					     " (status)",
					     " (fqdn)",
					     " (vendor)",
					     " (vendor-class)",
					     " (tuples)",
					     " (pd-exclude)",
					     " (custom)",
					     " (container)"};
	static const char *const r6[] = {"option", "peeraddr", "linkaddr"};
	const char *kind = in->kind < 6 ? kinds[in->kind] : "";

	if (x->family == 6)
		kind = in->kind < sizeof(kinds6) / sizeof(kinds6[0])
			       ? kinds6[in->kind]
			       : "";

	switch (in->op) {
	case TEXPR_LIT:
		put_bytes(o, x->pool + in->u, (size_t)in->i1);
		break;
	case TEXPR_OPT:
		put(o, "option[%u].%s%s", in->code, repr_name(in->flags), kind);
		break;
	case TEXPR_SUBOPT:
		put(o, "option[%u].option[%u].%s%s", in->code, in->sub,
		    repr_name(in->flags),
		    in->kind == TEXPR_K_RAW ? " (none)" : kind);
		break;
	case TEXPR_PKT6:
		put(o, "pkt6.%s", in->sub ? "transid" : "msgtype");
		break;
	case TEXPR_RELAY6:
		put(o, "relay6[%d].%s", in->i1, r6[in->field % 3]);
		if (in->field == TEXPR_R6_OPTION)
			put(o, "[%u].%s%s", in->code, repr_name(in->flags),
			    kind);
		break;
	case TEXPR_PKT:
		put(o, "pkt.%s", in->sub < 4 ? pkt[in->sub] : "?");
		break;
	case TEXPR_PKT4:
		put(o, "pkt4.%s", in->sub < 9 ? pkt4[in->sub] : "?");
		break;
	case TEXPR_VENDOR:
	case TEXPR_VCLASS:
		put(o, "%s",
		    in->op == TEXPR_VENDOR ? "vendor" : "vendor-class");
		if (in->field == TEXPR_V_ENTERPRISE) {
			put(o, ".enterprise");
			break;
		}
		put_enterprise(o, in->u);
		if (in->field == TEXPR_V_SUBOPT)
			put(o, ".option[%u].%s", in->sub, repr_name(in->flags));
		else if (in->field == TEXPR_V_DATA)
			put(o, ".data[%u]", in->sub);
		else
			put(o, ".exists%s",
			    (in->flags & TEXPR_REPR_MASK) == TEXPR_EXISTS
				    ? ""
				    : " (as string)");
		break;
	case TEXPR_SUBSTRING:
		put(o, "substring ");
		if (in->flags & TEXPR_F_I1_BAD)
			put(o, "(beyond int)");
		else
			put(o, "%d", in->i1);
		if (in->flags & TEXPR_F_LEN_ALL)
			put(o, " all");
		else if (in->flags & TEXPR_F_I2_BAD)
			put(o, " (beyond int)");
		else
			put(o, " %d", in->i2);
		break;
	case TEXPR_SPLIT:
		if (in->flags & TEXPR_F_I1_BAD)
			put(o, "split (beyond int)");
		else
			put(o, "split %d", in->i1);
		break;
	case TEXPR_CONCAT:
		put(o, "concat");
		break;
	case TEXPR_IFELSE:
		put(o, "ifelse");
		break;
	case TEXPR_HEXSTRING:
		put(o, "hexstring");
		break;
	case TEXPR_ADDRTOTEXT:
		put(o, "addrtotext");
		break;
	case TEXPR_TOTEXT:
		put(o, "%sint%utotext", in->flags & TEXPR_F_SIGNED ? "" : "u",
		    in->code * 8u);
		break;
	case TEXPR_EQ:
		put(o, "==");
		break;
	case TEXPR_NOT:
		put(o, "not");
		break;
	case TEXPR_AND:
		put(o, "and");
		break;
	case TEXPR_OR:
		put(o, "or");
		break;
	case TEXPR_MEMBER:
		put(o, "member ");
		put_bytes(o, x->pool + in->i1, (size_t)in->i2);
		put(o, " #%u", in->u);
		break;
	default:
		put(o, "?");
		break;
	}
}

int ternd_expr_dump(const struct ternd_expr *x, char *out, size_t cap)
{
	struct out o = {out, cap, 0};

	if (cap)
		out[0] = '\0';
	if (!x)
		return 0;
	for (uint32_t i = 0; i < x->n_ins; i++) {
		if (i)
			put(&o, "; ");
		dump_ins(&o, x, &x->ins[i]);
	}
	return (int)o.n;
}
