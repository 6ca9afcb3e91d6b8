/* ternd reconfiguration, either family: what config-set and config-reload
 * share (reload_text.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/log.h"
#include "server/control/control.h"
#include "server/reload_text.h"

double ternd_reload_ms(const struct timespec *a, const struct timespec *b)
{
	return (double)(b->tv_sec - a->tv_sec) * 1e3 +
	       (double)(b->tv_nsec - a->tv_nsec) / 1e6;
}

bool ternd_reload_same_str(const char *a, const char *b)
{
	return a == b || (a && b && !strcmp(a, b));
}

struct tjson_doc *ternd_reload_read_source(const char *path)
{
	struct tjson_doc *doc = NULL;
	char *text = NULL;
	size_t len = 0;

	if (!path ||
	    tjson_read_file(NULL, path, TERND_MAX_INPUT, &text, &len) < 0)
		return NULL;
	if (tjson_parse_kea(text, len, NULL, NULL, &doc, NULL) < 0)
		doc = NULL;
	free(text);
	return doc;
}

void ternd_reload_diags_text(const char *name, const struct ternd_diags *d,
			     char *out, size_t len)
{
	char *buf = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&buf, &n);

	out[0] = '\0';
	if (!f)
		return;
	ternd_diags_print(f, name, d);
	fclose(f);
	while (n && buf[n - 1] == '\n')
		buf[--n] = '\0';
	snprintf(out, len, "%s", buf ? buf : "");
	free(buf);
}

void ternd_reload_log_result(const char *how, int rc, const char *err)
{
	if (rc < 0)
		tern_log(LOG_ERR,
			 "%s failed, the running configuration is unchanged: "
			 "%s",
			 how, err);
	else
		tern_log(LOG_NOTICE, "%s: new configuration in use", how);
}

bool ternd_reload_set_args_ok(const struct tjson *args, const char *top,
			      char *text, size_t len)
{
	const struct tjson *map = args ? tjson_get(args, top) : NULL;
	size_t k = 0;

	if (!args) {
		snprintf(text, len, "Missing mandatory 'arguments' parameter.");
		return false;
	}
	if (!map) {
		snprintf(text, len, "Missing mandatory '%s' parameter.", top);
		return false;
	}
	if (map->type != TJSON_OBJECT) {
		snprintf(text, len, "'%s' parameter expected to be a map.",
			 top);
		return false;
	}
	text[0] = '\0';
	for (const struct tjson *m = args->child; m; m = m->next) {
		if (!strcmp(m->key, top))
			continue;
		k += (size_t)snprintf(text + k, k < len ? len - k : 0,
				      k ? " (and '%s')"
					: "Unsupported '%s' parameter",
				      m->key);
	}
	if (k && k < len)
		snprintf(text + k, len - k, ".");
	return k == 0;
}

static int ctl_config_reload(void *ctx, const struct tjson *args,
			     struct tjson_doc *out, struct tjson **ret_args,
			     char *text, size_t text_len)
{
	struct ternd_reload_cmds *rc = ctx;
	char err[4096];

	(void)args;
	(void)out;
	(void)ret_args;
	if (rc->reload_file(rc->ctx, "config-reload", err, sizeof(err)) < 0) {
		snprintf(text, text_len, "Config reload failed: %s", err);
		return TERND_CTL_ERROR;
	}
	snprintf(text, text_len, "Configuration successful.");
	return TERND_CTL_SUCCESS;
}

static int ctl_config_set(void *ctx, const struct tjson *args,
			  struct tjson_doc *out, struct tjson **ret_args,
			  char *text, size_t text_len)
{
	struct ternd_reload_cmds *rc = ctx;
	struct ternd_config *cfg = NULL;
	struct ternd_diags *d;
	char err[4096];
	int r;

	(void)out;
	(void)ret_args;
	clock_gettime(CLOCK_MONOTONIC, rc->begun);
	if (!ternd_reload_set_args_ok(args, rc->top, text, text_len))
		return TERND_CTL_ERROR;
	if (!(d = calloc(1, sizeof(*d)))) {
		snprintf(text, text_len, "out of memory");
		return TERND_CTL_ERROR;
	}
	/* Positions are the request's: line and column in what was sent. */
	r = ternd_config_load_tree(args, &cfg, d);
	if (r < 0) {
		ternd_reload_diags_text("config-set", d, err, sizeof(err));
		if (!err[0])
			snprintf(err, sizeof(err), "%s", strerror(-r));
	} else if ((r = rc->apply(rc->ctx, cfg, err, sizeof(err))) == 0) {
		struct tjson_doc *doc = NULL;

		/* The request's tree is the configuration's text now. */
		if (tjson_doc_new(0, &doc) == 0 &&
		    !(doc->root = tjson_copy(doc, args))) {
			tjson_doc_free(doc);
			doc = NULL;
		}
		rc->set_source(rc->ctx, doc);
	}
	free(d);
	ternd_reload_log_result("config-set", r, err);
	if (r < 0) {
		snprintf(text, text_len, "%s", err);
		return TERND_CTL_ERROR;
	}
	snprintf(text, text_len, "Configuration successful.");
	return TERND_CTL_SUCCESS;
}

int ternd_reload_cmds_register(struct ternd_reload_cmds *rc,
			       struct ternd_control *c)
{
	int r;

	if ((r = ternd_control_add(c, "config-set", ctl_config_set, rc)) < 0 ||
	    (r = ternd_control_add(c, "config-reload", ctl_config_reload, rc)) <
		    0)
		return r;
	return 0;
}
