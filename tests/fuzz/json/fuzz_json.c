/* Fuzz target: bytes -> tern's JSON reader; what it reads must write in
 * every style and read back the same, and a stream prefix must agree. The
 * same bytes in Kea's dialect, with includes from memory: positions stay
 * in order and in their files. */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/json.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Written in style, the tree reads back equal; a buffer one byte short
 * is refused. */
static void roundtrip(const struct tjson *v, enum tjson_style style)
{
	struct tjson_doc *back = NULL;
	char *text = NULL, *small;
	size_t len = 0;

	if (tjson_write_alloc(v, style, 1u << 24, &text, &len) < 0)
		abort();
	if (strlen(text) != len)
		abort();
	if (tjson_parse(text, len, NULL, &back, NULL) < 0)
		abort();
	if (!tjson_equal(v, back->root))
		abort();
	tjson_doc_free(back);
	small = malloc(len + 1);
	if (!small || tjson_write(v, style, small, len, NULL) != -ENOBUFS ||
	    tjson_write(v, style, small, len + 1, NULL) != 0 ||
	    memcmp(small, text, len + 1) != 0)
		abort();
	free(small);
	free(text);
}

/* Includes: "self" is the input again (nesting up to the limit), a few
 * fixed texts, nothing else. */
struct input {
	const uint8_t *data;
	size_t size;
};

static int read_include(void *arg, const char *name, size_t max,
			char **ret_text, size_t *ret_len)
{
	const struct input *in = arg;
	const char *text;
	size_t n;

	if (strcmp(name, "self") == 0) {
		text = (const char *)in->data;
		n = in->size;
	} else if (strcmp(name, "frag") == 0) {
		text = "\"a\": 1, \"b\": [1, 2,],";
		n = strlen(text);
	} else if (strcmp(name, "value") == 0) {
		text = "4000";
		n = 4;
	} else if (strcmp(name, "bad") == 0) {
		text = "[1, x";
		n = 5;
	} else {
		return -ENOENT;
	}
	if (n > max)
		return -EFBIG;
	if (!(*ret_text = malloc(n ? n : 1)))
		return -ENOMEM;
	memcpy(*ret_text, text, n);
	*ret_len = n;
	return 0;
}

static void count_warning(void *arg, const struct tjson_doc *doc,
			  struct tjson_pos pos, const char *msg)
{
	(void)arg;
	if (!msg || pos.file >= doc->n_files || pos.line == 0)
		abort();
}

/* Values come in the order of the spliced text, each in a file read. */
static void check_positions(const struct tjson_doc *doc, const struct tjson *v,
			    uint32_t *last, int depth)
{
	char buf[24];

	if (depth > 64 || v->pos.file >= doc->n_files ||
	    v->kpos.file >= doc->n_files || v->pos.off < *last ||
	    v->kpos.off > v->pos.off)
		abort();
	*last = v->pos.off;
	tjson_origin(doc, v->pos.file, buf, sizeof(buf));
	if (strlen(buf) >= sizeof(buf) || (v->pos.file == 0) != !buf[0])
		abort();
	for (const struct tjson *c = v->child; c; c = c->next)
		check_positions(doc, c, last, depth + 1);
}

static void kea_dialect(const uint8_t *data, size_t size)
{
	static const struct tjson_limits lim = {1u << 16, 16, 4096, 256};
	struct input in = {data, size};
	const struct tjson_kea kea = {.name = "fuzz",
				      .warn = count_warning,
				      .read = read_include,
				      .arg = &in};
	struct tjson_doc *doc = NULL;
	struct tjson_error err;
	uint32_t last = 0;

	if (tjson_parse_kea((const char *)data, size, &lim, &kea, &doc, &err) <
	    0) {
		if (doc || (err.file[0] && !err.pos.file) ||
		    (!err.file[0] && err.from[0]))
			abort();
		return;
	}
	if (doc->n_files < 1 || strcmp(doc->files[0].name, "fuzz") != 0)
		abort();
	check_positions(doc, doc->root, &last, 0);
	tjson_doc_free(doc);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* Tight limits reach the limit paths with small inputs. */
	static const struct tjson_limits lim = {1u << 20, 16, 4096, 256};
	struct tjson_doc *doc = NULL, *whole = NULL, *copy = NULL;
	struct tjson_error err;
	struct tjson *c;
	size_t end = 0;
	int rc;

	kea_dialect(data, size);
	rc = tjson_parse_prefix((const char *)data, size, &lim, &doc, &end,
				&err);
	if (rc < 0) {
		/* Incomplete input is only ever reported at its end. */
		if (doc || (err.incomplete && rc != -EBADMSG))
			abort();
		return 0;
	}
	if (end > size)
		abort();
	/* The first value alone reads as a whole document, the same. */
	if (tjson_parse((const char *)data, end, &lim, &whole, NULL) < 0 ||
	    !tjson_equal(doc->root, whole->root))
		abort();
	tjson_doc_free(whole);
	for (int style = TJSON_WRITE_COMPACT; style <= TJSON_WRITE_PRETTY;
	     style++)
		roundtrip(doc->root, style);
	/* A deep copy outlives its source; sorted, it still writes. */
	if (tjson_doc_new(0, &copy) < 0)
		abort();
	c = tjson_copy(copy, doc->root);
	if (!c || !tjson_equal(c, doc->root))
		abort();
	tjson_doc_free(doc);
	if (tjson_sort_keys(c) < 0)
		abort();
	roundtrip(c, TJSON_WRITE_KEA);
	tjson_doc_free(copy);
	return 0;
}
