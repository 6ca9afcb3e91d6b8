/* tern JSON reader: strict JSON plus Kea's comments, or Kea's dialect, with a
 * position on every value and key. Kea's includes and numbers are in
 * json_kea.c, the builder and the writer in json_write.c. */
#include "common/json.h"
#include "common/hex.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/arena.h"
#include "common/json_internal.h"

#define NUMBER_MAX_LEN 64 /* longer numerals are refused, not truncated */

struct tjson_pos tjson__here(const struct tjson__parser *ps)
{
	struct tjson_pos pos = {
		ps->t.line, (uint32_t)(ps->t.p - ps->t.line_start) + 1,
		ps->t.file, (uint32_t)((ps->t.p - ps->t.buf) + ps->t.off_adj)};
	return pos;
}

int tjson__fail(struct tjson__parser *ps, struct tjson_pos pos, int rc,
		const char *fmt, ...)
{
	va_list ap;

	if (ps->err) {
		ps->err->pos = pos;
		ps->err->incomplete = ps->at_end;
		va_start(ap, fmt);
		vsnprintf(ps->err->msg, sizeof(ps->err->msg), fmt, ap);
		va_end(ap);
		if (ps->doc && pos.file) {
			snprintf(ps->err->file, sizeof(ps->err->file), "%s",
				 tjson_file_name(ps->doc, pos.file));
			tjson_origin(ps->doc, pos.file, ps->err->from,
				     sizeof(ps->err->from));
		}
	}
	return rc;
}

void tjson__newline(struct tjson__parser *ps)
{
	ps->t.line++;
	ps->t.line_start = ps->t.p + 1;
}

/* Skips whitespace and the three comment forms Kea's lexer knows; in Kea's
 * dialect also enters and leaves included files. */
static int skip_space(struct tjson__parser *ps)
{
	int rc;

	for (;;) {
		char c;

		if (ps->t.p >= ps->t.end) {
			/* An included text ends: its includer goes on. */
			if (!ps->nested)
				break;
			if ((rc = tjson__kea_leave(ps)) < 0)
				return rc;
			continue;
		}
		c = *ps->t.p;
		if (c == '\n') {
			tjson__newline(ps);
			ps->t.p++;
		} else if (c == ' ' || c == '\t' || c == '\r') {
			ps->t.p++;
		} else if (c == '#' || (c == '/' && ps->t.p + 1 < ps->t.end &&
					ps->t.p[1] == '/')) {
			while (ps->t.p < ps->t.end && *ps->t.p != '\n')
				ps->t.p++;
		} else if (c == '/' && ps->t.p + 1 < ps->t.end &&
			   ps->t.p[1] == '*') {
			struct tjson_pos start = tjson__here(ps);

			ps->t.p += 2;
			for (;;) {
				if (ps->t.p + 1 >= ps->t.end) {
					ps->t.p = ps->t.end;
					ps->at_end = !ps->nested;
					return tjson__fail(
						ps, start, -EBADMSG,
						"unterminated comment");
				}
				if (ps->t.p[0] == '*' && ps->t.p[1] == '/')
					break;
				if (ps->t.p[0] == '\n')
					tjson__newline(ps);
				ps->t.p++;
			}
			ps->t.p += 2;
		} else if (c == '/') {
			ps->at_end = ps->t.p + 1 == ps->t.end && !ps->nested;
			return tjson__fail(
				ps, tjson__here(ps), -EBADMSG,
				"stray '/' (comments are // or /* */)");
		} else if (c == '<' && ps->t.p + 1 < ps->t.end &&
			   ps->t.p[1] == '?') {
			if (!ps->kea)
				return tjson__fail(
					ps, tjson__here(ps), -EBADMSG,
					"<?include?> directives are not "
					"supported");
			if ((rc = tjson__kea_include(ps)) < 0)
				return rc;
		} else {
			break;
		}
	}
	return 0;
}

static struct tjson *new_node(struct tjson__parser *ps, enum tjson_type type,
			      struct tjson_pos pos)
{
	struct tjson *v;

	if (ps->nodes >= ps->lim.max_nodes) {
		tjson__fail(ps, pos, -E2BIG, "more than %zu values",
			    ps->lim.max_nodes);
		return NULL;
	}
	v = ternd_arena_alloc(ps->arena, sizeof(*v));
	if (!v) {
		tjson__fail(ps, pos, -ENOMEM, "out of memory");
		return NULL;
	}
	ps->nodes++;
	v->type = type;
	v->pos = pos;
	return v;
}

static int read_u4(struct tjson__parser *ps, const char *p, uint32_t *ret)
{
	uint32_t v = 0;

	if (ps->t.end - p < 4)
		return -1;
	for (int i = 0; i < 4; i++) {
		int h = tern_hexval(p[i]);
		if (h < 0)
			return -1;
		v = v << 4 | (uint32_t)h;
	}
	*ret = v;
	return 0;
}

static size_t put_utf8(char *out, uint32_t cp)
{
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (char)(0xc0 | cp >> 6);
		out[1] = (char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = (char)(0xe0 | cp >> 12);
		out[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		out[2] = (char)(0x80 | (cp & 0x3f));
		return 3;
	}
	out[0] = (char)(0xf0 | cp >> 18);
	out[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
	out[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
	out[3] = (char)(0x80 | (cp & 0x3f));
	return 4;
}

size_t tjson__utf8_seq(const unsigned char *p, const unsigned char *end)
{
	unsigned char c = p[0];
	size_t n;
	uint32_t cp, min;

	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf) {
		n = 2;
		cp = c & 0x1f;
		min = 0x80;
	} else if (c >= 0xe0 && c <= 0xef) {
		n = 3;
		cp = c & 0x0f;
		min = 0x800;
	} else if (c >= 0xf0 && c <= 0xf4) {
		n = 4;
		cp = c & 0x07;
		min = 0x10000;
	} else {
		return 0;
	}
	if ((size_t)(end - p) < n)
		return 0;
	for (size_t i = 1; i < n; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (p[i] & 0x3f);
	}
	if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return n;
}

bool tjson_utf8_valid(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s, *end = p + len;

	while (p < end) {
		size_t n = tjson__utf8_seq(p, end);

		if (!n)
			return false;
		p += n;
	}
	return true;
}

/* ps->t.p is on the opening quote. Decodes into arena memory. */
static int parse_string(struct tjson__parser *ps, const char **ret_s,
			size_t *ret_len)
{
	struct tjson_pos start = tjson__here(ps);
	const char *q;
	char *out;
	size_t n = 0;
	int rc;

	/* The raw text bounds the decoded size, so one allocation does. */
	for (q = ps->t.p + 1; q < ps->t.end && *q != '"'; q++) {
		if (*q == '\\' && q + 1 < ps->t.end)
			q++;
	}
	if (q >= ps->t.end) {
		ps->at_end = true;
		return tjson__fail(ps, start, -EBADMSG, "unterminated string");
	}
	out = ternd_arena_alloc(ps->arena, (size_t)(q - ps->t.p));
	if (!out)
		return tjson__fail(ps, start, -ENOMEM, "out of memory");
	ps->t.p++;
	while (*ps->t.p != '"') {
		unsigned char c = (unsigned char)*ps->t.p;

		if (c < 0x20)
			return tjson__fail(
				ps, tjson__here(ps), -EBADMSG,
				"control character in string (escape it)");
		if (c == '\\') {
			struct tjson_pos epos = tjson__here(ps);
			uint32_t cp, lo;

			ps->t.p++;
			switch (*ps->t.p) {
			case '"':
			case '\\':
			case '/':
				out[n++] = *ps->t.p;
				break;
			case 'b':
				out[n++] = '\b';
				break;
			case 'f':
				out[n++] = '\f';
				break;
			case 'n':
				out[n++] = '\n';
				break;
			case 'r':
				out[n++] = '\r';
				break;
			case 't':
				out[n++] = '\t';
				break;
			case 'u':
				if (ps->kea) {
					if ((rc = tjson__kea_u_escape(
						     ps, epos, out, &n)) < 0)
						return rc;
					break;
				}
				if (read_u4(ps, ps->t.p + 1, &cp) < 0)
					return tjson__fail(
						ps, epos, -EBADMSG,
						"\\u needs four hex digits");
				ps->t.p += 4;
				if (cp >= 0xdc00 && cp <= 0xdfff)
					return tjson__fail(
						ps, epos, -EBADMSG,
						"lone low surrogate");
				if (cp >= 0xd800 && cp <= 0xdbff) {
					if (ps->t.end - ps->t.p < 3 ||
					    ps->t.p[1] != '\\' ||
					    ps->t.p[2] != 'u' ||
					    read_u4(ps, ps->t.p + 3, &lo) < 0 ||
					    lo < 0xdc00 || lo > 0xdfff)
						return tjson__fail(
							ps, epos, -EBADMSG,
							"high surrogate "
							"without "
							"a low surrogate");
					ps->t.p += 6;
					cp = 0x10000 + ((cp - 0xd800) << 10) +
					     (lo - 0xdc00);
				}
				if (cp == 0)
					return tjson__fail(
						ps, epos, -EBADMSG,
						"\\u0000 is not allowed");
				/* 6 or 12 escape bytes never decode to more
				 * than 4, so out cannot overflow. */
				n += put_utf8(out + n, cp);
				break;
			default:
				return tjson__fail(ps, epos, -EBADMSG,
						   "invalid escape in string");
			}
			ps->t.p++;
		} else if (ps->kea && c >= 0x80) {
			/* Kea's strings are bytes: UTF-8 or not, as Kea. */
			out[n++] = (char)c;
			ps->t.p++;
		} else {
			size_t sl = tjson__utf8_seq(
				(const unsigned char *)ps->t.p,
				(const unsigned char *)ps->t.end);
			if (!sl)
				return tjson__fail(ps, tjson__here(ps),
						   -EBADMSG,
						   "invalid UTF-8 in string");
			memcpy(out + n, ps->t.p, sl);
			n += sl;
			ps->t.p += sl;
		}
		if (n > ps->lim.max_string)
			return tjson__fail(ps, start, -E2BIG,
					   "string longer than %zu bytes",
					   ps->lim.max_string);
	}
	ps->t.p++;
	out[n] = '\0';
	*ret_s = out;
	*ret_len = n;
	return 0;
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* The value of the numeral [s, q) (already scanned by either reader):
 * integers exactly within int64_t, reals by strtod; sets v and moves past
 * it. */
int tjson__number_value(struct tjson__parser *ps, struct tjson *v,
			const char *s, const char *q, bool is_int)
{
	char tmp[NUMBER_MAX_LEN + 1];
	char *endp;

	if (q - s > NUMBER_MAX_LEN)
		return tjson__fail(ps, v->pos, -EBADMSG,
				   "number longer than %d bytes",
				   NUMBER_MAX_LEN);
	if (is_int) {
		bool neg = *s == '-';
		uint64_t acc = 0;
		/* Magnitude limit differs by sign: -2^63 fits, 2^63 not. */
		uint64_t lim = neg ? (uint64_t)INT64_MAX + 1 : INT64_MAX;

		for (const char *d = s + neg; d < q; d++) {
			uint64_t dig = (uint64_t)(*d - '0');
			if (acc > (lim - dig) / 10)
				return tjson__fail(ps, v->pos, -EBADMSG,
						   "integer out of range");
			acc = acc * 10 + dig;
		}
		if (neg)
			v->i = acc == (uint64_t)INT64_MAX + 1 ? INT64_MIN
							      : -(int64_t)acc;
		else
			v->i = (int64_t)acc;
		v->d = (double)v->i;
	} else {
		memcpy(tmp, s, (size_t)(q - s));
		tmp[q - s] = '\0';
		v->d = strtod(tmp, &endp);
		if (*endp != '\0' || !isfinite(v->d))
			return tjson__fail(ps, v->pos, -EBADMSG,
					   "number out of range");
	}
	v->is_int = is_int;
	ps->t.p = q;
	return 0;
}

static int parse_number(struct tjson__parser *ps, struct tjson *v)
{
	const char *s = ps->t.p;
	const char *q = s;
	bool is_int = true;

	if (q < ps->t.end && *q == '-')
		q++;
	if (q >= ps->t.end || !is_digit(*q)) {
		ps->at_end = q >= ps->t.end;
		return tjson__fail(ps, v->pos, -EBADMSG, "invalid number");
	}
	if (*q == '0') {
		q++;
		if (q < ps->t.end && is_digit(*q))
			return tjson__fail(ps, v->pos, -EBADMSG,
					   "leading zeros are not allowed");
	} else {
		while (q < ps->t.end && is_digit(*q))
			q++;
	}
	if (q < ps->t.end && *q == '.') {
		is_int = false;
		q++;
		if (q >= ps->t.end || !is_digit(*q)) {
			ps->at_end = q >= ps->t.end;
			return tjson__fail(ps, v->pos, -EBADMSG,
					   "digits expected after '.'");
		}
		while (q < ps->t.end && is_digit(*q))
			q++;
	}
	if (q < ps->t.end && (*q == 'e' || *q == 'E')) {
		is_int = false;
		q++;
		if (q < ps->t.end && (*q == '+' || *q == '-'))
			q++;
		if (q >= ps->t.end || !is_digit(*q)) {
			ps->at_end = q >= ps->t.end;
			return tjson__fail(ps, v->pos, -EBADMSG,
					   "digits expected in exponent");
		}
		while (q < ps->t.end && is_digit(*q))
			q++;
	}
	return tjson__number_value(ps, v, s, q, is_int);
}

static int check_word(struct tjson__parser *ps, const char *word)
{
	size_t n = strlen(word);

	if ((size_t)(ps->t.end - ps->t.p) < n) {
		/* "tr" at the end of the input may become "true". */
		if (memcmp(ps->t.p, word, (size_t)(ps->t.end - ps->t.p)) == 0)
			ps->at_end = true;
		return -1;
	}
	if (memcmp(ps->t.p, word, n) != 0)
		return -1;
	/* "trueish" must not read as true followed by garbage. */
	if ((size_t)(ps->t.end - ps->t.p) > n) {
		char c = ps->t.p[n];
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    is_digit(c) || c == '_' || c == '-')
			return -1;
	}
	ps->t.p += n;
	return 0;
}

static int cmp_member(const void *a, const void *b)
{
	const struct tjson *x = *(const struct tjson *const *)a;
	const struct tjson *y = *(const struct tjson *const *)b;
	int c = strcmp(x->key, y->key);

	if (c)
		return c;
	return x->kpos.off < y->kpos.off ? -1 : x->kpos.off > y->kpos.off;
}

static bool pos_before(struct tjson_pos a, struct tjson_pos b)
{
	return a.off < b.off;
}

/* Sorting keeps this O(n log n) so a huge object cannot stall the load. */
static int check_duplicates(struct tjson__parser *ps, struct tjson *obj)
{
	struct tjson **v;
	struct tjson *m;
	const struct tjson *dup = NULL, *first = NULL;
	size_t i = 0;
	int rc = 0;

	if (obj->n < 2)
		return 0;
	v = malloc(obj->n * sizeof(*v));
	if (!v)
		return tjson__fail(ps, obj->pos, -ENOMEM, "out of memory");
	for (m = obj->child; m; m = m->next)
		v[i++] = m;
	qsort(v, obj->n, sizeof(*v), cmp_member);
	for (i = 1; i < obj->n; i++) {
		if (strcmp(v[i - 1]->key, v[i]->key) != 0)
			continue;
		if (!dup || pos_before(v[i]->kpos, dup->kpos)) {
			dup = v[i];
			first = v[i - 1];
			/* Equal keys sort by position: walk back to the first
			 * occurrence for the message. */
			for (size_t j = i - 1;
			     j > 0 && strcmp(v[j - 1]->key, v[i]->key) == 0;
			     j--)
				first = v[j - 1];
		}
	}
	if (dup && first->kpos.file != dup->kpos.file)
		rc = tjson__fail(ps, dup->kpos, -EBADMSG,
				 "duplicate key \"%s\" (first at %s:%u:%u)",
				 dup->key,
				 ps->doc->files[first->kpos.file].name,
				 first->kpos.line, first->kpos.col);
	else if (dup)
		rc = tjson__fail(
			ps, dup->kpos, -EBADMSG,
			"duplicate key \"%s\" (first at line %u column %u)",
			dup->key, first->kpos.line, first->kpos.col);
	free(v);
	return rc;
}

static int parse_value(struct tjson__parser *ps, struct tjson **ret);

/*
 * Past a comma between elements (ps->t.p is on it). In Kea's dialect a
 * comma followed by another comma or by the closing bracket is extraneous:
 * warned about at that comma, as Kea's warnAboutExtraCommas does. Returns
 * 1 when the container closed after such commas.
 */
static int after_comma(struct tjson__parser *ps, char close)
{
	for (;;) {
		struct tjson_pos comma = tjson__here(ps);
		int rc;

		ps->t.p++;
		if ((rc = skip_space(ps)) < 0)
			return rc;
		if (!ps->kea || ps->t.p >= ps->t.end ||
		    (*ps->t.p != ',' && *ps->t.p != close))
			return 0;
		if (ps->kea->warn)
			ps->kea->warn(ps->kea->arg, ps->doc, comma,
				      "extraneous comma (a piece of the "
				      "configuration may have been omitted)");
		if (*ps->t.p == close) {
			ps->t.p++;
			return 1;
		}
	}
}

static int parse_container(struct tjson__parser *ps, struct tjson *v,
			   char close)
{
	struct tjson **tail = &v->child;
	int rc;

	if (++ps->depth > ps->lim.max_depth)
		return tjson__fail(ps, v->pos, -E2BIG, "nested deeper than %zu",
				   ps->lim.max_depth);
	ps->t.p++;
	if ((rc = skip_space(ps)) < 0)
		return rc;
	if (ps->t.p < ps->t.end && *ps->t.p == close) {
		ps->t.p++;
		goto done;
	}
	for (;;) {
		struct tjson *item;
		struct tjson_pos kpos = tjson__here(ps);
		const char *key = NULL;
		size_t klen;

		if (close == '}') {
			ps->at_end = ps->t.p >= ps->t.end;
			if (ps->t.p >= ps->t.end || *ps->t.p != '"')
				return tjson__fail(
					ps, kpos, -EBADMSG,
					ps->t.p < ps->t.end && *ps->t.p == '}'
						? "trailing comma in object"
						: "object key (a string) "
						  "expected");
			if ((rc = parse_string(ps, &key, &klen)) < 0)
				return rc;
			if ((rc = skip_space(ps)) < 0)
				return rc;
			ps->at_end = ps->t.p >= ps->t.end;
			if (ps->t.p >= ps->t.end || *ps->t.p != ':')
				return tjson__fail(ps, tjson__here(ps),
						   -EBADMSG,
						   "':' expected after key");
			ps->t.p++;
			if ((rc = skip_space(ps)) < 0)
				return rc;
		} else if (ps->t.p < ps->t.end && *ps->t.p == ']') {
			return tjson__fail(ps, kpos, -EBADMSG,
					   "trailing comma in array");
		}
		if ((rc = parse_value(ps, &item)) < 0)
			return rc;
		item->key = key;
		item->kpos = key ? kpos : item->pos;
		item->linked = true;
		*tail = item;
		tail = &item->next;
		v->last = item;
		v->n++;
		if ((rc = skip_space(ps)) < 0)
			return rc;
		if (ps->t.p >= ps->t.end) {
			ps->at_end = true;
			return tjson__fail(ps, v->pos, -EBADMSG,
					   "unterminated %s",
					   close == '}' ? "object" : "array");
		}
		if (*ps->t.p == close) {
			ps->t.p++;
			break;
		}
		if (*ps->t.p != ',')
			return tjson__fail(ps, tjson__here(ps), -EBADMSG,
					   "',' or '%c' expected", close);
		if ((rc = after_comma(ps, close)) < 0)
			return rc;
		if (rc == 1)
			break;
	}
done:
	ps->depth--;
	if (close == '}')
		return check_duplicates(ps, v);
	return 0;
}

/* ps->t.p is on the first byte of a value (space already skipped). */
static int parse_value(struct tjson__parser *ps, struct tjson **ret)
{
	struct tjson_pos pos = tjson__here(ps);
	struct tjson *v;
	int rc;

	if (ps->t.p >= ps->t.end) {
		ps->at_end = true;
		return tjson__fail(ps, pos, -EBADMSG,
				   "value expected, end of input");
	}
	if (!(v = new_node(ps, TJSON_NULL, pos)))
		return ps->nodes >= ps->lim.max_nodes ? -E2BIG : -ENOMEM;
	switch (*ps->t.p) {
	case '{':
		v->type = TJSON_OBJECT;
		rc = parse_container(ps, v, '}');
		break;
	case '[':
		v->type = TJSON_ARRAY;
		rc = parse_container(ps, v, ']');
		break;
	case '"':
		v->type = TJSON_STRING;
		rc = parse_string(ps, &v->s, &v->len);
		break;
	case 't':
	case 'f':
	case 'n':
		rc = 0;
		if (check_word(ps, "true") == 0) {
			v->type = TJSON_BOOL;
			v->b = true;
		} else if (check_word(ps, "false") == 0) {
			v->type = TJSON_BOOL;
		} else if (check_word(ps, "null") != 0) {
			rc = tjson__fail(ps, pos, -EBADMSG, "invalid literal");
		}
		break;
	default:
		v->type = TJSON_NUMBER;
		if (ps->kea && (*ps->t.p == '-' || *ps->t.p == '+' ||
				*ps->t.p == '.' || is_digit(*ps->t.p)))
			rc = tjson__kea_number(ps, v);
		else if (*ps->t.p == '-' || is_digit(*ps->t.p))
			rc = parse_number(ps, v);
		else if (*ps->t.p >= 0x20 && *ps->t.p < 0x7f)
			rc = tjson__fail(ps, pos, -EBADMSG,
					 "unexpected character '%c'", *ps->t.p);
		else
			rc = tjson__fail(ps, pos, -EBADMSG,
					 "unexpected byte 0x%02X%s",
					 (unsigned char)*ps->t.p,
					 (unsigned char)*ps->t.p == 0xef
						 ? " (a UTF-8 byte order mark?)"
						 : "");
		break;
	}
	if (rc == 0)
		*ret = v;
	return rc;
}

/* With ret_end, the first value only; else the whole input. kea: Kea's
 * dialect. */
static int parse_doc(const char *buf, size_t len,
		     const struct tjson_limits *lim,
		     const struct tjson_kea *kea, struct tjson_doc **ret_doc,
		     size_t *ret_end, struct tjson_error *err)
{
	struct tjson__parser ps = {0};
	struct tjson_doc *doc = NULL;
	struct tjson *root;
	int rc;

	if (err) {
		err->pos.line = 1;
		err->pos.col = 1;
		err->pos.file = err->pos.off = 0;
		err->incomplete = false;
		err->msg[0] = err->file[0] = err->from[0] = '\0';
	}
	ps.err = err;
	ps.t.line = 1;
	if (!ret_doc || (!buf && len)) {
		rc = -EINVAL;
		goto out;
	}
	if (lim)
		ps.lim = *lim;
	else
		ps.lim = (struct tjson_limits){
			TJSON_DEFAULT_MAX_INPUT, TJSON_DEFAULT_MAX_DEPTH,
			TJSON_DEFAULT_MAX_NODES, TJSON_DEFAULT_MAX_STRING};
	if (len > ps.lim.max_input) {
		rc = tjson__fail(&ps, (struct tjson_pos){1, 1, 0, 0}, -E2BIG,
				 "input larger than %zu bytes",
				 ps.lim.max_input);
		goto out;
	}
	ps.t.buf = ps.t.p = ps.t.line_start = buf ? buf : "";
	ps.t.end = ps.t.p + len;
	doc = calloc(1, sizeof(*doc));
	/* Nodes plus decoded strings never exceed this for a valid input
	 * (included texts count towards max_input). */
	if (doc)
		doc->arena = ternd_arena_new(
			ps.lim.max_nodes * (sizeof(struct tjson) + 32) +
			2 * (kea ? ps.lim.max_input : len) + 4096);
	if (!doc || !doc->arena) {
		rc = tjson__fail(&ps, (struct tjson_pos){1, 1, 0, 0}, -ENOMEM,
				 "out of memory");
		goto out;
	}
	ps.arena = doc->arena;
	if (kea) {
		ps.kea = kea;
		ps.doc = doc;
		ps.total = len;
		if ((rc = tjson__kea_begin(&ps, kea->name)) < 0)
			goto out;
	}
	if ((rc = skip_space(&ps)) < 0)
		goto out;
	if ((rc = parse_value(&ps, &root)) < 0)
		goto out;
	if (ret_end) {
		*ret_end = (size_t)(ps.t.p - ps.t.buf);
		goto done;
	}
	if ((rc = skip_space(&ps)) < 0)
		goto out;
	if (ps.t.p != ps.t.end) {
		rc = tjson__fail(&ps, tjson__here(&ps), -EBADMSG,
				 "trailing data after the top-level value");
		goto out;
	}
done:
	doc->root = root;
	*ret_doc = doc;
	doc = NULL;
out:
	tjson__kea_end(&ps);
	tjson_doc_free(doc);
	return rc;
}

int tjson_parse(const char *buf, size_t len, const struct tjson_limits *lim,
		struct tjson_doc **ret_doc, struct tjson_error *err)
{
	return parse_doc(buf, len, lim, NULL, ret_doc, NULL, err);
}

int tjson_parse_kea(const char *buf, size_t len, const struct tjson_limits *lim,
		    const struct tjson_kea *kea, struct tjson_doc **ret_doc,
		    struct tjson_error *err)
{
	static const struct tjson_kea plain = {0};

	return parse_doc(buf, len, lim, kea ? kea : &plain, ret_doc, NULL, err);
}

int tjson_parse_prefix(const char *buf, size_t len,
		       const struct tjson_limits *lim,
		       struct tjson_doc **ret_doc, size_t *ret_end,
		       struct tjson_error *err)
{
	size_t end = 0; /* -O3 cannot see parse_doc sets it on success */
	int rc;

	if (!ret_end)
		return -EINVAL;
	rc = parse_doc(buf, len, lim, NULL, ret_doc, &end, err);
	if (rc == 0)
		*ret_end = end;
	return rc;
}

void tjson_doc_free(struct tjson_doc *doc)
{
	if (!doc)
		return;
	ternd_arena_free(doc->arena);
	free(doc->files);
	free(doc);
}

const struct tjson *tjson_get(const struct tjson *obj, const char *key)
{
	if (!obj || obj->type != TJSON_OBJECT || !key)
		return NULL;
	for (const struct tjson *m = obj->child; m; m = m->next)
		if (strcmp(m->key, key) == 0)
			return m;
	return NULL;
}

const char *tjson_type_name(const struct tjson *v)
{
	if (!v)
		return "nothing";
	switch (v->type) {
	case TJSON_NULL:
		return "null";
	case TJSON_BOOL:
		return "boolean";
	case TJSON_NUMBER:
		return v->is_int ? "integer" : "real";
	case TJSON_STRING:
		return "string";
	case TJSON_ARRAY:
		return "list";
	case TJSON_OBJECT:
		return "map";
	}
	return "?";
}
