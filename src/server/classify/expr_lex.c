/* ternd classification: Kea 2.2's expression lexer, reproducing its flex
 * rules (longest match, option names only before `]`). */
#include <arpa/inet.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "server/classify/expr_lex.h"

/*
 * flex's rule: at each position the longest match wins, ties going to the
 * earlier rule, and an option name is only an option name when `]`
 * follows (flex counts that trailing context in the match length). Hence
 * Kea's own oddities hold here too: `ornot` lexes as `or` `not`, and an
 * unknown word fails on its first letter ("Invalid character: k" for
 * `known`).
 */

/* As bison names them in messages. */
const char *const texpr_tok_names[T__MAX] = {
	[T_END] = "end of file",
	[T_LPAREN] = "(",
	[T_RPAREN] = ")",
	[T_NOT] = "not",
	[T_AND] = "and",
	[T_OR] = "or",
	[T_EQUAL] = "==",
	[T_OPTION] = "option",
	[T_RELAY4] = "relay4",
	[T_RELAY6] = "relay6",
	[T_MEMBER] = "member",
	[T_PEERADDR] = "peeraddr",
	[T_LINKADDR] = "linkaddr",
	[T_LBRACKET] = "[",
	[T_RBRACKET] = "]",
	[T_DOT] = ".",
	[T_TEXT] = "text",
	[T_HEX] = "hex",
	[T_EXISTS] = "exists",
	[T_PKT] = "pkt",
	[T_IFACE] = "iface",
	[T_SRC] = "src",
	[T_DST] = "dst",
	[T_LEN] = "len",
	[T_PKT4] = "pkt4",
	[T_CHADDR] = "mac",
	[T_HLEN] = "hlen",
	[T_HTYPE] = "htype",
	[T_CIADDR] = "ciaddr",
	[T_GIADDR] = "giaddr",
	[T_YIADDR] = "yiaddr",
	[T_SIADDR] = "siaddr",
	[T_SUBSTRING] = "substring",
	[T_SPLIT] = "split",
	[T_ALL] = "all",
	[T_COMA] = "\",\"",
	[T_CONCAT] = "concat",
	[T_PLUS] = "+",
	[T_IFELSE] = "ifelse",
	[T_TOHEXSTRING] = "hexstring",
	[T_ADDRTOTEXT] = "addrtotext",
	[T_INT8TOTEXT] = "int8totext",
	[T_INT16TOTEXT] = "int16totext",
	[T_INT32TOTEXT] = "int32totext",
	[T_UINT8TOTEXT] = "uint8totext",
	[T_UINT16TOTEXT] = "uint16totext",
	[T_UINT32TOTEXT] = "uint32totext",
	[T_PKT6] = "pkt6",
	[T_MSGTYPE] = "msgtype",
	[T_TRANSID] = "transid",
	[T_VENDOR_CLASS] = "vendor-class",
	[T_VENDOR] = "vendor",
	[T_ANY] = "*",
	[T_DATA] = "data",
	[T_ENTERPRISE] = "enterprise",
	[T_STRING] = "constant string",
	[T_INTEGER] = "integer",
	[T_HEXSTRING] = "constant hexstring",
	[T_OPTION_NAME] = "option name",
	[T_IP_ADDRESS] = "ip address",
};

/* The fixed lexemes, in the lexer's rule order. */
static const struct {
	const char *s;
	uint8_t len;
	uint8_t tok;
} fixed[] = {
#define F(s, t)                     \
	{                           \
		s, sizeof(s) - 1, t \
	}
	F("==", T_EQUAL),
	F("option", T_OPTION),
	F("relay4", T_RELAY4),
	F("relay6", T_RELAY6),
	F("peeraddr", T_PEERADDR),
	F("linkaddr", T_LINKADDR),
	F("text", T_TEXT),
	F("hex", T_HEX),
	F("exists", T_EXISTS),
	F("pkt", T_PKT),
	F("iface", T_IFACE),
	F("src", T_SRC),
	F("dst", T_DST),
	F("len", T_LEN),
	F("pkt4", T_PKT4),
	F("mac", T_CHADDR),
	F("hlen", T_HLEN),
	F("htype", T_HTYPE),
	F("ciaddr", T_CIADDR),
	F("giaddr", T_GIADDR),
	F("yiaddr", T_YIADDR),
	F("siaddr", T_SIADDR),
	F("pkt6", T_PKT6),
	F("msgtype", T_MSGTYPE),
	F("transid", T_TRANSID),
	F("vendor", T_VENDOR),
	F("vendor-class", T_VENDOR_CLASS),
	F("data", T_DATA),
	F("enterprise", T_ENTERPRISE),
	F("substring", T_SUBSTRING),
	F("split", T_SPLIT),
	F("all", T_ALL),
	F("concat", T_CONCAT),
	F("ifelse", T_IFELSE),
	F("hexstring", T_TOHEXSTRING),
	F("addrtotext", T_ADDRTOTEXT),
	F("int8totext", T_INT8TOTEXT),
	F("int16totext", T_INT16TOTEXT),
	F("int32totext", T_INT32TOTEXT),
	F("uint8totext", T_UINT8TOTEXT),
	F("uint16totext", T_UINT16TOTEXT),
	F("uint32totext", T_UINT32TOTEXT),
	F("not", T_NOT),
	F("and", T_AND),
	F("or", T_OR),
	F("member", T_MEMBER),
	F(".", T_DOT),
	F("(", T_LPAREN),
	F(")", T_RPAREN),
	F("[", T_LBRACKET),
	F("]", T_RBRACKET),
	F(",", T_COMA),
	F("*", T_ANY),
	F("+", T_PLUS),
#undef F
};

__attribute__((format(printf, 3, 4))) static int
lex_fail(struct ternd_expr_error *err, uint32_t off, const char *fmt, ...)
{
	va_list ap;

	if (err) {
		err->column = off + 1;
		va_start(ap, fmt);
		vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
		va_end(ap);
	}
	return -1;
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool is_hexdig(char c)
{
	return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

static bool is_alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool is_alnum(char c)
{
	return is_alpha(c) || is_digit(c);
}

static bool is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\n';
}

/* -?[0-9]+ into int64 (boost::lexical_cast<int64_t> in Kea). */
static bool to_int64(const char *s, size_t n, int64_t *ret)
{
	bool neg = s[0] == '-';
	uint64_t v = 0, lim = neg ? (uint64_t)INT64_MAX + 1 : INT64_MAX;

	for (size_t i = neg; i < n; i++) {
		unsigned d = (unsigned)(s[i] - '0');

		if (v > (lim - d) / 10)
			return false;
		v = v * 10 + d;
	}
	*ret = neg ? (int64_t)(0 - v) : (int64_t)v;
	return true;
}

/* Length of an IPv4 literal at s ([0-9]+ . x3 [0-9]+), 0 if none. */
static size_t match_addr4(const char *s, size_t n)
{
	size_t j = 0;

	for (int part = 0; part < 4; part++) {
		size_t k = j;

		while (k < n && is_digit(s[k]))
			k++;
		if (k == j)
			return 0;
		j = k;
		if (part < 3) {
			if (j >= n || s[j] != '.')
				return 0;
			j++;
		}
	}
	return j;
}

/* [0-9a-fA-F]* : [0-9a-fA-F]* : [0-9a-fA-F:.]* */
static size_t match_addr6(const char *s, size_t n)
{
	size_t j = 0;

	for (int part = 0; part < 2; part++) {
		while (j < n && is_hexdig(s[j]))
			j++;
		if (j >= n || s[j] != ':')
			return 0;
		j++;
	}
	while (j < n && (is_hexdig(s[j]) || s[j] == ':' || s[j] == '.'))
		j++;
	return j;
}

int texpr_lex(struct texpr_lexer *lx, struct ternd_expr_error *err)
{
	const char *s = lx->text;
	size_t n = lx->n, i = lx->pos, best = 0, consumed = 0, j, k;
	struct texpr_token *t = &lx->tok;
	char buf[64];
	enum tok bt = T_END;

	while (i < n && is_blank(s[i]))
		i++;
	memset(t, 0, sizeof(*t));
	t->off = (uint32_t)i;
	if (i >= n) {
		lx->pos = i;
		return 0;
	}
	/* Candidates in rule order; a later rule wins only if longer. */
	if (s[i] == '\'') {
		for (j = i + 1; j < n && s[j] != '\'' && s[j] != '\n'; j++)
			;
		if (j < n && s[j] == '\'') {
			best = consumed = j + 1 - i;
			bt = T_STRING;
		}
	}
	if (s[i] == '0' && i + 1 < n && (s[i + 1] == 'x' || s[i + 1] == 'X')) {
		for (j = i + 2; j < n && is_hexdig(s[j]); j++)
			;
		if (j > i + 2 && j - i > best) {
			best = consumed = j - i;
			bt = T_HEXSTRING;
		}
	}
	j = i + (s[i] == '-');
	for (k = j; k < n && is_digit(s[k]); k++)
		;
	if (k > j && k - i > best) {
		best = consumed = k - i;
		bt = T_INTEGER;
	}
	if (is_alpha(s[i])) {
		for (j = i + 1;
		     j < n && (is_alnum(s[j]) || s[j] == '-' || s[j] == '_');
		     j++)
			;
		if (is_alnum(s[j - 1])) {
			for (k = j; k < n && is_blank(s[k]); k++)
				;
			if (k < n && s[k] == ']' && k + 1 - i > best) {
				best = k + 1 -
				       i; /* `]` counts, then goes back */
				consumed = k - i;
				bt = T_OPTION_NAME;
				t->v = s + i;
				t->vlen = (uint32_t)(j - i);
			}
		}
	}
	j = match_addr4(s + i, n - i);
	k = match_addr6(s + i, n - i);
	if (k > j)
		j = k;
	if (j > best) {
		best = consumed = j;
		bt = T_IP_ADDRESS;
	}
	for (size_t f = 0; f < sizeof(fixed) / sizeof(fixed[0]); f++)
		if (fixed[f].len > best && fixed[f].len <= n - i &&
		    memcmp(s + i, fixed[f].s, fixed[f].len) == 0) {
			best = consumed = fixed[f].len;
			bt = (enum tok)fixed[f].tok;
		}
	if (!best) {
		unsigned char c = (unsigned char)s[i];

		if (c >= 0x20 && c < 0x7f)
			return lex_fail(err, (uint32_t)i,
					"Invalid character: %c", c);
		return lex_fail(err, (uint32_t)i, "Invalid character: \\x%02x",
				c);
	}
	t->t = bt;
	t->len = (uint32_t)consumed;
	lx->pos = i + consumed;
	switch (bt) {
	case T_STRING:
		t->v = s + i + 1;
		t->vlen = t->len - 2;
		break;
	case T_INTEGER:
		t->v = s + i;
		t->vlen = t->len;
		if (!to_int64(t->v, t->vlen, &t->i))
			return lex_fail(err, t->off,
					"Failed to convert " TEXPR_LEX_FMT
					" to an integer.",
					TEXPR_LEX_ARG(s, t));
		break;
	case T_HEXSTRING:
		t->v = s + i;
		t->vlen = t->len;
		break;
	case T_IP_ADDRESS:
		/* The lexer checks it (Kea's IOAddress, boost's from_string:
		 * IPv6 first, then IPv4), before the parser sees it. */
		t->v = s + i;
		if (t->len < sizeof(buf)) {
			memcpy(buf, t->v, t->len);
			buf[t->len] = '\0';
			if (inet_pton(AF_INET6, buf, t->addr) == 1) {
				t->vlen = 16;
				break;
			}
			if (inet_pton(AF_INET, buf, t->addr) == 1) {
				t->vlen = 4;
				break;
			}
		}
		return lex_fail(err, t->off,
				"Failed to convert " TEXPR_LEX_FMT
				" to an IP address.",
				TEXPR_LEX_ARG(s, t));
	default:
		break;
	}
	return 0;
}
