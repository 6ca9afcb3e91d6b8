/* ternd reconfiguration, either family: what config-set and config-reload
 * share (reload_text.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/log.h"
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
