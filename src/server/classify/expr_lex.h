/* ternd classification internals: Kea 2.2's expression lexer (flex's
 * rules, reproduced), shared by the parser. */
#ifndef TERND_CLASSIFY_EXPR_LEX_H
#define TERND_CLASSIFY_EXPR_LEX_H

#include <stddef.h>
#include <stdint.h>

#include "server/classify/expr.h"

/* Kea's tokens (parser.yy), T_ being internal to the classify folder. */
enum tok {
	T_END,
	T_LPAREN,
	T_RPAREN,
	T_NOT,
	T_AND,
	T_OR,
	T_EQUAL,
	T_OPTION,
	T_RELAY4,
	T_RELAY6,
	T_MEMBER,
	T_PEERADDR,
	T_LINKADDR,
	T_LBRACKET,
	T_RBRACKET,
	T_DOT,
	T_TEXT,
	T_HEX,
	T_EXISTS,
	T_PKT,
	T_IFACE,
	T_SRC,
	T_DST,
	T_LEN,
	T_PKT4,
	T_CHADDR,
	T_HLEN,
	T_HTYPE,
	T_CIADDR,
	T_GIADDR,
	T_YIADDR,
	T_SIADDR,
	T_SUBSTRING,
	T_SPLIT,
	T_ALL,
	T_COMA,
	T_CONCAT,
	T_PLUS,
	T_IFELSE,
	T_TOHEXSTRING,
	T_ADDRTOTEXT,
	T_INT8TOTEXT,
	T_INT16TOTEXT,
	T_INT32TOTEXT,
	T_UINT8TOTEXT,
	T_UINT16TOTEXT,
	T_UINT32TOTEXT,
	T_PKT6,
	T_MSGTYPE,
	T_TRANSID,
	T_VENDOR_CLASS,
	T_VENDOR,
	T_ANY,
	T_DATA,
	T_ENTERPRISE,
	T_STRING,
	T_INTEGER,
	T_HEXSTRING,
	T_OPTION_NAME,
	T_IP_ADDRESS,
	T__MAX,
};

/* As bison names them in messages ("end of file", "integer", ...). */
extern const char *const texpr_tok_names[T__MAX];

struct texpr_token {
	enum tok t;
	uint32_t off;	  /* where it starts in the text */
	uint32_t len;	  /* what the lexer consumed */
	const char *v;	  /* value: string contents, name, digits */
	uint32_t vlen;	  /* T_IP_ADDRESS: 4 or 16 */
	int64_t i;	  /* T_INTEGER */
	uint8_t addr[16]; /* T_IP_ADDRESS */
};

struct texpr_lexer {
	const char *text;
	size_t n;
	size_t pos; /* after tok */
	struct texpr_token tok;
};

/* The next token into lx->tok: 0, or -1 with err set (the message Kea's
 * lexer gives: "Invalid character: k", "Failed to convert ..."). */
int texpr_lex(struct texpr_lexer *lx, struct ternd_expr_error *err);

/* A token's text for messages, cut short if long. */
#define TEXPR_LEX_FMT "%.*s%s"
#define TEXPR_LEX_ARG(text, t)                                   \
	(int)((t)->len > 40 ? 40 : (t)->len), (text) + (t)->off, \
		(t)->len > 40 ? "..." : ""

#endif
