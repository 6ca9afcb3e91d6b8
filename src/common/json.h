/* tern JSON reader: strict JSON plus Kea's comments, with a position on every
 * value and key. */
#ifndef TERND_JSON_H
#define TERND_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * Grammar: RFC 8259 JSON, strict (no trailing commas, no single quotes, no
 * bare words other than true/false/null, no NaN), plus the comment forms
 * Kea's lexer skips: "// ... end of line", "# ... end of line" and
 * "slash-star ... star-slash". Comments are only recognised between tokens,
 * never inside strings. Kea's <?include?> directive is refused.
 *
 * Strings must be valid UTF-8; \uXXXX escapes (surrogate pairs included)
 * are decoded to UTF-8; \u0000 and lone surrogates are refused so every
 * string is a plain C string. Duplicate keys within one object are refused
 * (Kea refuses duplicate parameters too), the error points at the second
 * occurrence and names the first.
 *
 * Numbers: integers that fit int64_t are kept exactly (is_int); anything
 * with a fraction or exponent is a real; an integer outside int64_t is an
 * error. Positions are 1-based lines and byte columns.
 *
 * Everything a parse produces lives in one arena freed by tjson_doc_free().
 */

enum tjson_type {
	TJSON_NULL,
	TJSON_BOOL,
	TJSON_NUMBER,
	TJSON_STRING,
	TJSON_ARRAY,
	TJSON_OBJECT,
};

struct tjson_pos {
	uint32_t line;
	uint32_t col;
};

struct tjson {
	enum tjson_type type;
	bool is_int;	       /* TJSON_NUMBER without fraction or exponent */
	bool b;		       /* TJSON_BOOL */
	struct tjson_pos pos;  /* first byte of the value */
	struct tjson_pos kpos; /* first byte of the key, for object members */
	const char *key;       /* NULL unless a member of an object */
	struct tjson *next;    /* next element or member */
	struct tjson *child;   /* first element or member */
	size_t n;	       /* elements or members */
	int64_t i;	       /* integer value (is_int) */
	double d;	       /* numeric value, also set for integers */
	const char *s;	       /* TJSON_STRING, NUL-terminated */
	size_t len;	       /* string length in bytes */
};

struct tjson_limits {
	size_t max_input;  /* bytes */
	size_t max_depth;  /* nested arrays/objects */
	size_t max_nodes;  /* values in the document */
	size_t max_string; /* bytes in one string after decoding */
};

#define TJSON_DEFAULT_MAX_INPUT	 (16u * 1024u * 1024u)
#define TJSON_DEFAULT_MAX_DEPTH	 64u
#define TJSON_DEFAULT_MAX_NODES	 (1u << 20)
#define TJSON_DEFAULT_MAX_STRING (64u * 1024u)

struct tjson_doc {
	struct ternd_arena *arena;
	struct tjson *root;
};

struct tjson_error {
	struct tjson_pos pos;
	char msg[192];
};

/*
 * Parse buf[0..len) (need not be NUL-terminated). lim NULL means the
 * defaults above. On success *ret_doc owns the tree; on failure *ret_doc is
 * untouched and *err (if not NULL) says where and why.
 * Returns 0, -EBADMSG (syntax), -E2BIG (a limit), -ENOMEM, -EINVAL.
 */
int tjson_parse(const char *buf, size_t len, const struct tjson_limits *lim,
		struct tjson_doc **ret_doc, struct tjson_error *err);
void tjson_doc_free(struct tjson_doc *doc);

/* Member of an object by key, NULL if absent or obj is not an object. */
const struct tjson *tjson_get(const struct tjson *obj, const char *key);
/* "string", "integer", ... for messages. */
const char *tjson_type_name(const struct tjson *v);

#endif
