/* ternd classification: Kea 2.2's toText() forms of option objects, as
 * .text shows them. */
#include <arpa/inet.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>

#include "server/classify/expr_prog.h"

int texpr_printf(struct texpr_arena *a, const char *fmt, ...)
{
	va_list ap;
	size_t room = a->cap - a->top;
	int n;

	va_start(ap, fmt);
	n = vsnprintf((char *)a->buf + a->top, room, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= room)
		return -ENOBUFS;
	a->top += (uint32_t)n;
	return 0;
}

/* "xx:yy:zz" */
int texpr_text_hex(struct texpr_arena *a, struct texpr_str s)
{
	static const char digits[] = "0123456789abcdef";
	uint8_t *o = texpr_alloc(a, s.len ? (size_t)s.len * 3 - 1 : 0);

	if (!o)
		return -ENOBUFS;
	for (uint32_t i = 0; i < s.len; i++) {
		if (i)
			*o++ = ':';
		*o++ = (uint8_t)digits[s.p[i] >> 4];
		*o++ = (uint8_t)digits[s.p[i] & 15];
	}
	return 0;
}

/* Option::headerToText(indent): "type=012, len=003". */
int texpr_text_header(struct texpr_arena *a, unsigned indent, unsigned code,
		      size_t len)
{
	return texpr_printf(a, "%*stype=%03u, len=%03zu", (int)indent, "", code,
			    len);
}

/* Option::toText: header, ": ", the data in hex. */
int texpr_text_generic(struct texpr_arena *a, unsigned indent, unsigned code,
		       struct texpr_str s, size_t len)
{
	if (texpr_text_header(a, indent, code, len) < 0 ||
	    texpr_printf(a, ": ") < 0)
		return -ENOBUFS;
	return texpr_text_hex(a, s);
}

/* Option4AddrLst::toText, OptionIntArray::toText, single values of
 * OptionCustom; false when the data does not fit the type (Kea would not
 * have built the object: it drops such a packet). */
int texpr_text_typed(struct texpr_arena *a, unsigned indent, unsigned code,
		     enum texpr_kind k, struct texpr_str s)
{
	char addr[INET_ADDRSTRLEN];
	unsigned w = texpr_kind_width(k);

	switch (k) {
	case TEXPR_K_ADDRS:
		if (s.len % 4)
			return 0;
		if (texpr_text_header(a, indent, code, s.len) < 0 ||
		    texpr_printf(a, ":") < 0)
			return -ENOBUFS;
		for (uint32_t i = 0; i < s.len; i += 4) {
			inet_ntop(AF_INET, s.p + i, addr, sizeof(addr));
			if (texpr_printf(a, " %s", addr) < 0)
				return -ENOBUFS;
		}
		return 1;
	case TEXPR_K_ADDR1:
		if (s.len < 4)
			return 0;
		inet_ntop(AF_INET, s.p, addr, sizeof(addr));
		if (texpr_text_header(a, indent, code, 4) < 0 ||
		    texpr_printf(a, ": %s (ipv4-address)", addr) < 0)
			return -ENOBUFS;
		return 1;
	case TEXPR_K_BOOL:
		if (s.len < 1)
			return 0;
		/* readBoolean() throws on anything but 0 and 1 */
		if (s.p[0] > 1)
			return -EINVAL;
		if (texpr_text_header(a, indent, code, 1) < 0 ||
		    texpr_printf(a, ": %s (boolean)",
				 s.p[0] ? "true" : "false") < 0)
			return -ENOBUFS;
		return 1;
	case TEXPR_K_ARR_U8:
	case TEXPR_K_ARR_U16:
		if (s.len == 0 || s.len % w)
			return 0;
		if (texpr_text_header(a, indent, code, s.len) < 0 ||
		    texpr_printf(a, ":") < 0)
			return -ENOBUFS;
		for (uint32_t i = 0; i < s.len; i += w)
			if (texpr_printf(a, " %u(uint%u)",
					 w == 1 ? s.p[i]
						: (unsigned)(s.p[i] << 8 |
							     s.p[i + 1]),
					 w * 8) < 0)
				return -ENOBUFS;
		return 1;
	default:
		return 0;
	}
}

/* The object of a sub-option: generic in Kea's relay agent space and in
 * any vendor's without definitions; DOCSIS (4491) defines 1 (oro, uint8
 * array) and 2 (tftp-servers, addresses). A fused one is generic. */
enum texpr_kind texpr_sub_kind(enum texpr_kind parent, uint32_t ent,
			       uint8_t sub)
{
	if (parent == TEXPR_K_VIVSO && ent == 4491) {
		if (sub == 1)
			return TEXPR_K_ARR_U8;
		if (sub == 2)
			return TEXPR_K_ADDRS;
	}
	return TEXPR_K_RAW;
}

int texpr_text_sub(struct texpr_arena *a, unsigned indent, uint8_t sub,
		   enum texpr_kind k, struct texpr_str s)
{
	int r = texpr_text_typed(a, indent, sub, k, s);

	if (r != 0)
		return r;
	return texpr_text_generic(a, indent, sub, s, s.len);
}
