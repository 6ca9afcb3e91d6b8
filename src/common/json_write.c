/* tern JSON builder and writer: trees made in a document's arena, written
 * compact, Kea-style or pretty into a caller's buffer or a bounded heap one. */
#include "common/json.h"

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/arena.h"

/* ---- building ---- */

static int set_error(struct tjson_doc *doc, int rc)
{
	if (doc && !doc->error)
		doc->error = rc;
	return rc;
}

int tjson_doc_new(size_t limit, struct tjson_doc **ret_doc)
{
	struct tjson_doc *doc;

	if (!ret_doc)
		return -EINVAL;
	doc = calloc(1, sizeof(*doc));
	if (!doc)
		return -ENOMEM;
	doc->arena = ternd_arena_new(limit ? limit : TJSON_DOC_DEFAULT_LIMIT);
	if (!doc->arena) {
		free(doc);
		return -ENOMEM;
	}
	*ret_doc = doc;
	return 0;
}

static struct tjson *new_node(struct tjson_doc *doc, enum tjson_type type)
{
	struct tjson *v;

	if (!doc)
		return NULL;
	v = ternd_arena_alloc(doc->arena, sizeof(*v));
	if (!v) {
		set_error(doc, -ENOMEM);
		return NULL;
	}
	v->type = type;
	return v;
}

struct tjson *tjson_new_object(struct tjson_doc *doc)
{
	return new_node(doc, TJSON_OBJECT);
}

struct tjson *tjson_new_array(struct tjson_doc *doc)
{
	return new_node(doc, TJSON_ARRAY);
}

struct tjson *tjson_new_stringn(struct tjson_doc *doc, const char *s,
				size_t len)
{
	struct tjson *v;
	char *copy;

	if (!s && len) {
		set_error(doc, -EINVAL);
		return NULL;
	}
	v = new_node(doc, TJSON_STRING);
	if (!v)
		return NULL;
	copy = ternd_arena_strndup(doc->arena, s ? s : "", len);
	if (!copy) {
		set_error(doc, -ENOMEM);
		return NULL;
	}
	v->s = copy;
	v->len = len;
	return v;
}

struct tjson *tjson_new_string(struct tjson_doc *doc, const char *s)
{
	if (!s) {
		set_error(doc, -EINVAL);
		return NULL;
	}
	return tjson_new_stringn(doc, s, strlen(s));
}

struct tjson *tjson_new_int(struct tjson_doc *doc, int64_t i)
{
	struct tjson *v = new_node(doc, TJSON_NUMBER);

	if (v) {
		v->is_int = true;
		v->i = i;
		v->d = (double)i;
	}
	return v;
}

struct tjson *tjson_new_double(struct tjson_doc *doc, double d)
{
	struct tjson *v;

	if (!isfinite(d)) {
		set_error(doc, -EINVAL);
		return NULL;
	}
	v = new_node(doc, TJSON_NUMBER);
	if (v)
		v->d = d;
	return v;
}

struct tjson *tjson_new_bool(struct tjson_doc *doc, bool b)
{
	struct tjson *v = new_node(doc, TJSON_BOOL);

	if (v)
		v->b = b;
	return v;
}

struct tjson *tjson_new_null(struct tjson_doc *doc)
{
	return new_node(doc, TJSON_NULL);
}

/* The container checks shared by append, add and set. */
static int check_link(struct tjson_doc *doc, const struct tjson *c,
		      enum tjson_type type, const struct tjson *v)
{
	if (!doc)
		return -EINVAL;
	if (!v)
		return set_error(doc, doc->error ? doc->error : -EINVAL);
	if (!c || c->type != type || v->linked || v == c)
		return set_error(doc, -EINVAL);
	return 0;
}

static void link_last(struct tjson *c, struct tjson *v)
{
	if (c->last)
		c->last->next = v;
	else
		c->child = v;
	c->last = v;
	v->next = NULL;
	v->linked = true;
	c->n++;
}

int tjson_append(struct tjson_doc *doc, struct tjson *arr, struct tjson *v)
{
	int rc = check_link(doc, arr, TJSON_ARRAY, v);

	if (rc < 0)
		return rc;
	v->key = NULL;
	link_last(arr, v);
	return 0;
}

int tjson_add(struct tjson_doc *doc, struct tjson *obj, const char *key,
	      struct tjson *v)
{
	int rc = check_link(doc, obj, TJSON_OBJECT, v);
	char *k;

	if (rc < 0)
		return rc;
	if (!key)
		return set_error(doc, -EINVAL);
	k = ternd_arena_strndup(doc->arena, key, strlen(key));
	if (!k)
		return set_error(doc, -ENOMEM);
	v->key = k;
	link_last(obj, v);
	return 0;
}

int tjson_set(struct tjson_doc *doc, struct tjson *obj, const char *key,
	      struct tjson *v)
{
	struct tjson **pp;
	int rc = check_link(doc, obj, TJSON_OBJECT, v);

	if (rc < 0)
		return rc;
	if (!key)
		return set_error(doc, -EINVAL);
	for (pp = &obj->child; *pp; pp = &(*pp)->next) {
		struct tjson *old = *pp;

		if (strcmp(old->key, key) != 0)
			continue;
		v->key = old->key;
		v->next = old->next;
		v->linked = true;
		*pp = v;
		if (obj->last == old)
			obj->last = v;
		/* The old member may be put elsewhere now. */
		old->next = NULL;
		old->linked = false;
		return 0;
	}
	return tjson_add(doc, obj, key, v);
}

int tjson_add_str(struct tjson_doc *doc, struct tjson *obj, const char *key,
		  const char *s)
{
	return tjson_add(doc, obj, key, tjson_new_string(doc, s));
}

int tjson_add_int(struct tjson_doc *doc, struct tjson *obj, const char *key,
		  int64_t i)
{
	return tjson_add(doc, obj, key, tjson_new_int(doc, i));
}

int tjson_add_bool(struct tjson_doc *doc, struct tjson *obj, const char *key,
		   bool b)
{
	return tjson_add(doc, obj, key, tjson_new_bool(doc, b));
}

static struct tjson *copy_at(struct tjson_doc *doc, const struct tjson *v,
			     size_t depth)
{
	struct tjson *c;

	switch (v->type) {
	case TJSON_NULL:
		return tjson_new_null(doc);
	case TJSON_BOOL:
		return tjson_new_bool(doc, v->b);
	case TJSON_NUMBER:
		return v->is_int ? tjson_new_int(doc, v->i)
				 : tjson_new_double(doc, v->d);
	case TJSON_STRING:
		return tjson_new_stringn(doc, v->s, v->len);
	case TJSON_ARRAY:
	case TJSON_OBJECT:
		break;
	default:
		set_error(doc, -EINVAL);
		return NULL;
	}
	if (depth >= TJSON_MAX_DEPTH) {
		set_error(doc, -E2BIG);
		return NULL;
	}
	c = new_node(doc, v->type);
	if (!c)
		return NULL;
	for (const struct tjson *m = v->child; m; m = m->next) {
		struct tjson *mc = copy_at(doc, m, depth + 1);

		if (!mc)
			return NULL;
		if ((v->type == TJSON_OBJECT ? tjson_add(doc, c, m->key, mc)
					     : tjson_append(doc, c, mc)) < 0)
			return NULL;
	}
	return c;
}

struct tjson *tjson_copy(struct tjson_doc *doc, const struct tjson *v)
{
	if (!v) {
		set_error(doc, -EINVAL);
		return NULL;
	}
	return copy_at(doc, v, 0);
}

/* Merge sort of a member list by key: no allocation, stable. */
static struct tjson *sort_members(struct tjson *head, size_t n)
{
	struct tjson *a, *b, **tail, *out = NULL;
	size_t half = n / 2;

	if (n < 2)
		return head;
	b = head;
	for (size_t i = 1; i < half; i++)
		b = b->next;
	a = head;
	head = b->next;
	b->next = NULL;
	a = sort_members(a, half);
	b = sort_members(head, n - half);
	tail = &out;
	while (a && b) {
		if (strcmp(b->key, a->key) < 0) {
			*tail = b;
			b = b->next;
		} else {
			*tail = a;
			a = a->next;
		}
		tail = &(*tail)->next;
	}
	*tail = a ? a : b;
	return out;
}

static int sort_at(struct tjson *v, size_t depth)
{
	int rc;

	if (v->type != TJSON_ARRAY && v->type != TJSON_OBJECT)
		return 0;
	if (depth >= TJSON_MAX_DEPTH)
		return -E2BIG;
	if (v->type == TJSON_OBJECT && v->n > 1) {
		v->child = sort_members(v->child, v->n);
		for (v->last = v->child; v->last->next; v->last = v->last->next)
			;
	}
	for (struct tjson *m = v->child; m; m = m->next)
		if ((rc = sort_at(m, depth + 1)) < 0)
			return rc;
	return 0;
}

int tjson_sort_keys(struct tjson *v)
{
	return v ? sort_at(v, 0) : -EINVAL;
}

static bool equal_at(const struct tjson *a, const struct tjson *b, size_t depth)
{
	const struct tjson *x, *y;

	if (a->type != b->type)
		return false;
	switch (a->type) {
	case TJSON_NULL:
		return true;
	case TJSON_BOOL:
		return a->b == b->b;
	case TJSON_NUMBER:
		if (a->is_int != b->is_int)
			return false;
		return a->is_int ? a->i == b->i : a->d == b->d;
	case TJSON_STRING:
		return a->len == b->len && memcmp(a->s, b->s, a->len) == 0;
	case TJSON_ARRAY:
	case TJSON_OBJECT:
		break;
	}
	if (a->n != b->n || depth >= TJSON_MAX_DEPTH)
		return false;
	for (x = a->child, y = b->child; x && y; x = x->next, y = y->next) {
		if (a->type == TJSON_OBJECT && strcmp(x->key, y->key) != 0)
			return false;
		if (!equal_at(x, y, depth + 1))
			return false;
	}
	return !x && !y;
}

bool tjson_equal(const struct tjson *a, const struct tjson *b)
{
	if (!a || !b)
		return a == b;
	return equal_at(a, b, 0);
}

/* ---- writing ---- */

struct out {
	char *buf;
	size_t cap; /* bytes in buf, the NUL included */
	size_t len;
	size_t max; /* growing: the largest cap allowed; 0: fixed buffer */
	enum tjson_style style;
};

/* Room for n more bytes and the NUL. */
static int reserve(struct out *o, size_t n)
{
	size_t need, cap;
	char *p;

	if (n > SIZE_MAX - 1 - o->len)
		return -ENOBUFS;
	need = o->len + n + 1;
	if (need <= o->cap)
		return 0;
	if (!o->max || need > o->max)
		return -ENOBUFS;
	cap = o->cap ? o->cap : (256 < o->max ? 256 : o->max);
	while (cap < need)
		cap = cap > o->max / 2 ? o->max : cap * 2;
	p = realloc(o->buf, cap);
	if (!p)
		return -ENOMEM;
	o->buf = p;
	o->cap = cap;
	return 0;
}

static int put(struct out *o, const char *s, size_t n)
{
	int rc = reserve(o, n);

	if (rc < 0)
		return rc;
	memcpy(o->buf + o->len, s, n);
	o->len += n;
	return 0;
}

static int puts_(struct out *o, const char *s)
{
	return put(o, s, strlen(s));
}

static int indent(struct out *o, size_t level)
{
	size_t n = level * TJSON_PRETTY_INDENT;
	int rc = reserve(o, n);

	if (rc < 0)
		return rc;
	memset(o->buf + o->len, ' ', n);
	o->len += n;
	return 0;
}

/* How many bytes from p on go out as they are. */
static size_t plain_len(const unsigned char *p, const unsigned char *end)
{
	const unsigned char *q = p;

	while (q < end) {
		size_t sl = 1;

		if (*q < 0x20 || *q == '"' || *q == '\\' || *q == 0x7f)
			break;
		if (*q >= 0x80 && (sl = tjson__utf8_seq(q, end)) == 0)
			break;
		q += sl;
	}
	return (size_t)(q - p);
}

static int put_string(struct out *o, const char *s, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *p = (const unsigned char *)s;
	const unsigned char *end = p + len;
	int rc;

	if ((rc = put(o, "\"", 1)) < 0)
		return rc;
	while (p < end) {
		size_t n = plain_len(p, end);
		char esc[6];

		if (n && (rc = put(o, (const char *)p, n)) < 0)
			return rc;
		p += n;
		if (p == end)
			break;
		esc[0] = '\\';
		switch (*p) {
		case '"':
		case '\\':
			esc[1] = (char)*p;
			break;
		case '\b':
			esc[1] = 'b';
			break;
		case '\f':
			esc[1] = 'f';
			break;
		case '\n':
			esc[1] = 'n';
			break;
		case '\r':
			esc[1] = 'r';
			break;
		case '\t':
			esc[1] = 't';
			break;
		default:
			/* Other control characters, DEL, and each byte of
			 * invalid UTF-8 (read as Latin-1). */
			esc[1] = 'u';
			esc[2] = '0';
			esc[3] = '0';
			esc[4] = hex[*p >> 4];
			esc[5] = hex[*p & 15];
			if ((rc = put(o, esc, 6)) < 0)
				return rc;
			p++;
			continue;
		}
		if ((rc = put(o, esc, 2)) < 0)
			return rc;
		p++;
	}
	return put(o, "\"", 1);
}

/*
 * The fewest significant digits that read back as the same double, in
 * plain notation up to 1e17 (2500.0, not 2.5e+03).
 */
static int put_double(struct out *o, double d)
{
	char s[40];
	const char *e;
	int n = 0, prec;

	if (!isfinite(d))
		return -EINVAL;
	for (prec = 1; prec < 17; prec++) {
		snprintf(s, sizeof(s), "%.*g", prec, d);
		if (strtod(s, NULL) == d)
			break;
	}
	e = strchr(s, 'e');
	if (e && atoi(e + 1) >= prec && atoi(e + 1) < 17)
		prec = atoi(e + 1) + 1;
	n = snprintf(s, sizeof(s) - 2, "%.*g", prec, d);
	/* "1" would read back as an integer. */
	if (!strpbrk(s, ".e")) {
		memcpy(s + n, ".0", 3);
		n += 2;
	}
	return put(o, s, (size_t)n);
}

static int put_scalar(struct out *o, const struct tjson *v)
{
	char s[24];
	int n;

	switch (v->type) {
	case TJSON_NULL:
		return put(o, "null", 4);
	case TJSON_BOOL:
		return v->b ? put(o, "true", 4) : put(o, "false", 5);
	case TJSON_NUMBER:
		if (!v->is_int)
			return put_double(o, v->d);
		n = snprintf(s, sizeof(s), "%" PRId64, v->i);
		return put(o, s, (size_t)n);
	case TJSON_STRING:
		return put_string(o, v->s ? v->s : "", v->s ? v->len : 0);
	default:
		return -EINVAL;
	}
}

/*
 * Kea's layouts: "str()" opens with "{ " / "[ " and separates with ", ";
 * prettyPrint puts each map member and each element of a list whose
 * first element is a container on its own line.
 */
static int write_at(struct out *o, const struct tjson *v, size_t level)
{
	bool obj = v->type == TJSON_OBJECT, multi;
	const char *sep;
	int rc;

	if (!obj && v->type != TJSON_ARRAY)
		return put_scalar(o, v);
	if (level >= TJSON_MAX_DEPTH)
		return -E2BIG;
	switch (o->style) {
	case TJSON_WRITE_COMPACT:
		multi = false;
		sep = ",";
		if ((rc = put(o, obj ? "{" : "[", 1)) < 0)
			return rc;
		break;
	case TJSON_WRITE_KEA:
		multi = false;
		sep = ", ";
		if ((rc = puts_(o, obj ? "{ " : "[ ")) < 0)
			return rc;
		break;
	case TJSON_WRITE_PRETTY:
		if (!v->child)
			return puts_(o, obj ? "{ }" : "[ ]");
		multi = obj || v->child->type == TJSON_OBJECT ||
			v->child->type == TJSON_ARRAY;
		sep = multi ? ",\n" : ", ";
		if ((rc = puts_(o, obj ? "{" : "[")) < 0 ||
		    (rc = puts_(o, multi ? "\n" : " ")) < 0)
			return rc;
		break;
	default:
		return -EINVAL;
	}
	for (const struct tjson *m = v->child; m; m = m->next) {
		if (m != v->child && (rc = puts_(o, sep)) < 0)
			return rc;
		if (multi && (rc = indent(o, level + 1)) < 0)
			return rc;
		if (obj) {
			if (!m->key)
				return -EINVAL;
			if ((rc = put_string(o, m->key, strlen(m->key))) < 0 ||
			    (rc = puts_(o, o->style == TJSON_WRITE_COMPACT
						   ? ":"
						   : ": ")) < 0)
				return rc;
		}
		if ((rc = write_at(o, m, level + 1)) < 0)
			return rc;
	}
	switch (o->style) {
	case TJSON_WRITE_COMPACT:
		return put(o, obj ? "}" : "]", 1);
	case TJSON_WRITE_KEA:
		return puts_(o, obj ? " }" : " ]");
	default:
		if (multi &&
		    ((rc = put(o, "\n", 1)) < 0 || (rc = indent(o, level)) < 0))
			return rc;
		if (!multi && (rc = put(o, " ", 1)) < 0)
			return rc;
		return put(o, obj ? "}" : "]", 1);
	}
}

static int write_out(struct out *o, const struct tjson *v)
{
	int rc = write_at(o, v, 0);

	if (rc == 0)
		o->buf[o->len] = '\0';
	return rc;
}

int tjson_write(const struct tjson *v, enum tjson_style style, char *buf,
		size_t cap, size_t *ret_len)
{
	struct out o = {buf, cap, 0, 0, style};
	int rc;

	if (!v || !buf || !cap)
		return -EINVAL;
	rc = write_out(&o, v);
	if (rc < 0) {
		buf[0] = '\0';
		return rc;
	}
	if (ret_len)
		*ret_len = o.len;
	return 0;
}

int tjson_write_alloc(const struct tjson *v, enum tjson_style style, size_t max,
		      char **ret, size_t *ret_len)
{
	struct out o = {NULL, 0, 0, max, style};
	int rc;

	if (!v || !ret || !max)
		return -EINVAL;
	rc = reserve(&o, 0);
	if (rc == 0)
		rc = write_out(&o, v);
	if (rc < 0) {
		free(o.buf);
		return rc;
	}
	*ret = o.buf;
	if (ret_len)
		*ret_len = o.len;
	return 0;
}
