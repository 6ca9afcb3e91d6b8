/* Fuzz target: bytes -> ternd's control channel (Kea's framing, the command
 * checks, dispatch to the built-in commands): every whole command gets one
 * answer that is a JSON map with a Kea result code, and the framing gives
 * the same verdict however the bytes are split. */
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/json.h"
#include "server/config/config.h"
#include "server/control/cmds_builtin.h"
#include "server/control/control.h"
#include "server/control/feed.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void on_shutdown(void *ctx, int v)
{
	(void)ctx;
	(void)v;
}

static void on_reclaim(void *ctx, bool remove)
{
	(void)ctx;
	(void)remove;
}

/* config-test runs ternd's real loader on what the input carries. */
static int on_config_test(void *ctx, const char *text, size_t len, char *err,
			  size_t cap)
{
	struct ternd_config *cfg = NULL;
	struct ternd_diags *diags = calloc(1, sizeof(*diags));
	int r;

	(void)ctx;
	if (!diags)
		return -ENOMEM;
	r = ternd_config_load_buf(text, len, &cfg, diags);
	ternd_config_free(cfg);
	if (r < 0 && cap)
		err[0] = '\0';
	free(diags);
	return r;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct ternd_control *c;
	static struct ternd_builtin b = {.shutdown = on_shutdown,
					 .reclaim = on_reclaim,
					 .config_test = on_config_test};
	const char *req = (const char *)data;
	struct ternd_feed whole, parts;
	enum ternd_feed_status s1, s2 = TERND_FEED_MORE;
	struct tjson_doc *doc = NULL;
	const struct tjson *r;
	char *ans = NULL;
	int rc;

	if (!c &&
	    (ternd_control_new(&c) < 0 || ternd_builtin_register(&b, c) < 0))
		abort();
	/* The framing is incremental: byte by byte, the same verdict. */
	ternd_feed_init(&whole);
	s1 = ternd_feed_scan(&whole, req, size);
	ternd_feed_init(&parts);
	for (size_t i = 1; i <= size && s2 == TERND_FEED_MORE; i++)
		s2 = ternd_feed_scan(&parts, req, i);
	if (s1 != s2 || (s1 == TERND_FEED_DONE && (whole.start != parts.start ||
						   whole.end != parts.end)))
		abort();
	if (s1 == TERND_FEED_MORE && whole.processed != parts.processed)
		abort();
	rc = ternd_control_handle(c, req, size, &ans);
	if (rc == -ENODATA) {
		if (s1 != TERND_FEED_MORE)
			abort();
		return 0;
	}
	if (rc < 0)
		return 0;
	if (tjson_parse(ans, strlen(ans), NULL, &doc, NULL) < 0)
		abort();
	r = tjson_get(doc->root, "result");
	if (doc->root->type != TJSON_OBJECT || !r || !r->is_int || r->i < 0 ||
	    r->i > 3)
		abort();
	tjson_doc_free(doc);
	free(ans);
	return 0;
}
