/* Fuzz target: bytes -> tern's JSON reader; what it reads must write in
 * every style and read back the same, and a stream prefix must agree. */
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

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* Tight limits reach the limit paths with small inputs. */
	static const struct tjson_limits lim = {1u << 20, 16, 4096, 256};
	struct tjson_doc *doc = NULL, *whole = NULL, *copy = NULL;
	struct tjson_error err;
	struct tjson *c;
	size_t end = 0;
	int rc;

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
