/* ternctl stats: ternd's statistics (Kea's statistic-get-all) as an
 * aligned table, or as one JSON map of current values for scripts. */
#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/json.h"
#include "ctl/ctl.h"
#include "server/config/config.h"

#define ANSWER_MAX (64 * 1024 * 1024)

static void usage(FILE *out)
{
	fputs("usage: ternctl stats [-c CONFIG | -s SOCKET] [--json]\n"
	      "  -c, --config FILE  ternd's configuration: its control-socket\n"
	      "  -s, --socket PATH  the control socket (else $TERND_CTL_SOCK,\n"
	      "                     else " CTL_TERND_SOCK_DEFAULT ")\n"
	      "  -j, --json         one JSON map, statistic: current value\n",
	      out);
}

/* The newest value of a statistic's sample list [[v, ts], ...]. */
static bool newest(const struct tjson *samples, long long *ret)
{
	const struct tjson *s = samples ? samples->child : NULL;
	const struct tjson *v = s && s->type == TJSON_ARRAY ? s->child : NULL;

	if (!v || v->type != TJSON_NUMBER || !v->is_int)
		return false;
	*ret = (long long)v->i;
	return true;
}

static int print(const struct tjson *stats, bool json)
{
	size_t w = strlen("statistic");
	long long v;
	bool first = true;

	if (json) {
		putchar('{');
		for (const struct tjson *m = stats->child; m; m = m->next) {
			if (!newest(m, &v))
				continue;
			/* Names are Kea's: no character needs escaping. */
			printf("%s\"%s\": %lld", first ? "" : ", ", m->key, v);
			first = false;
		}
		puts("}");
		return 0;
	}
	for (const struct tjson *m = stats->child; m; m = m->next)
		if (strlen(m->key) > w)
			w = strlen(m->key);
	printf("%-*s  %s\n", (int)w, "statistic", "value");
	for (const struct tjson *m = stats->child; m; m = m->next)
		if (newest(m, &v))
			printf("%-*s  %lld\n", (int)w, m->key, v);
	return 0;
}

int ctl_cmd_stats(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"config", required_argument, NULL, 'c'},
		{"socket", required_argument, NULL, 's'},
		{"json", no_argument, NULL, 'j'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	static const struct tjson_limits lim = {
		ANSWER_MAX, TJSON_DEFAULT_MAX_DEPTH, 1u << 24,
		TJSON_DEFAULT_MAX_STRING};
	struct tjson_doc *doc = NULL;
	struct tjson_error err;
	const struct tjson *result, *args;
	const char *config = NULL, *sock_opt = NULL;
	char *ans = NULL, *sock = NULL;
	bool json = false;
	int opt, r, rc = 1;

	argc++;
	argv--;
	optind = 1;
	while ((opt = getopt_long(argc, argv, "+c:s:jh", longopts, NULL)) !=
	       -1) {
		switch (opt) {
		case 'c':
			config = optarg;
			break;
		case 's':
			sock_opt = optarg;
			break;
		case 'j':
			json = true;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind != argc || (config && sock_opt)) {
		usage(stderr);
		return 2;
	}
	if (ctl_find_ternd_sock(sock_opt, config, &sock) < 0)
		goto out;
	r = ctl_unix_request(sock, "{\"command\": \"statistic-get-all\"}", true,
			     ANSWER_MAX, &ans);
	if (r < 0) {
		fprintf(stderr, "ternctl: %s: %s\n", sock, strerror(-r));
		goto out;
	}
	if (tjson_parse(ans, strlen(ans), &lim, &doc, &err) < 0) {
		fprintf(stderr, "ternctl: malformed answer: %u:%u: %s\n",
			err.pos.line, err.pos.col, err.msg);
		goto out;
	}
	result = tjson_get(doc->root, "result");
	args = tjson_get(doc->root, "arguments");
	if (!result || result->type != TJSON_NUMBER || result->i != 0 ||
	    !args || args->type != TJSON_OBJECT) {
		const struct tjson *t = tjson_get(doc->root, "text");

		fprintf(stderr, "ternctl: %s\n",
			t && t->type == TJSON_STRING ? t->s
						     : "malformed answer");
		goto out;
	}
	rc = print(args, json);
out:
	tjson_doc_free(doc);
	free(ans);
	free(sock);
	return rc;
}
