/* ternctl reload and config get|test|set: ternd's configuration, checked
 * locally with ternd's own loader or swapped over its control socket. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/json.h"
#include "ctl/ctl.h"
#include "server/config/config.h"

#define ANSWER_MAX (16 * 1024 * 1024)

/*
 * Send req; print the answer's text (stdout on success, stderr on
 * failure) and hand back the answer when asked. Exit status: 0 success,
 * 3 empty/unsupported (Kea's 2 and 3), 1 otherwise.
 */
static int call(const char *sock, const char *req, struct tjson_doc **ret)
{
	static const struct tjson_limits lim = {
		ANSWER_MAX, TJSON_DEFAULT_MAX_DEPTH, TJSON_DEFAULT_MAX_NODES,
		TJSON_DEFAULT_MAX_STRING};
	struct tjson_doc *doc = NULL;
	const struct tjson *res, *text;
	struct tjson_error err;
	char *ans = NULL;
	int r = ctl_unix_request(sock, req, true, ANSWER_MAX, &ans);

	if (r < 0) {
		fprintf(stderr, "ternctl: %s: %s\n", sock, strerror(-r));
		return 1;
	}
	r = tjson_parse(ans, strlen(ans), &lim, &doc, &err);
	free(ans);
	if (r < 0) {
		fprintf(stderr, "ternctl: malformed answer: %u:%u: %s\n",
			err.pos.line, err.pos.col, err.msg);
		return 1;
	}
	/* Kea's agent answers in a list of one. */
	res = doc->root->type == TJSON_ARRAY ? doc->root->child : doc->root;
	text = tjson_get(res, "text");
	r = tjson_get(res, "result") && tjson_get(res, "result")->is_int
		    ? (int)tjson_get(res, "result")->i
		    : 1;
	if (text && text->type == TJSON_STRING && text->s[0])
		fprintf(r ? stderr : stdout, "%s%s\n", r ? "ternctl: " : "",
			text->s);
	if (r == 0 && ret)
		*ret = doc;
	else
		tjson_doc_free(doc);
	return r == 0 ? 0 : r >= 2 ? 3 : 1;
}

int ctl_cmd_reload(int argc, char **argv)
{
	char *sock = NULL;
	int r;

	if (ctl_take_ternd_sock(&argc, argv, &sock) < 0)
		return 1;
	if (argc) {
		fprintf(stderr,
			"usage: ternctl reload [-s SOCKET | -c CONFIG]\n");
		free(sock);
		return 2;
	}
	r = call(sock, "{\"command\": \"config-reload\"}", NULL);
	free(sock);
	return r;
}

int ctl_cmd_config_get(int argc, char **argv)
{
	struct tjson_doc *ans = NULL;
	const struct tjson *res, *args;
	char *out = NULL, *sock = NULL;
	int r;

	if (ctl_take_ternd_sock(&argc, argv, &sock) < 0)
		return 1;
	if (argc) {
		fprintf(stderr,
			"usage: ternctl config get [-s SOCKET | -c CONFIG]\n");
		free(sock);
		return 2;
	}
	r = call(sock, "{\"command\": \"config-get\"}", &ans);
	free(sock);
	if (r != 0)
		return r;
	res = ans->root->type == TJSON_ARRAY ? ans->root->child : ans->root;
	args = tjson_get(res, "arguments");
	if (args && tjson_write_alloc(args, TJSON_WRITE_PRETTY, ANSWER_MAX,
				      &out, NULL) == 0)
		printf("%s\n", out);
	free(out);
	tjson_doc_free(ans);
	return args ? 0 : 1;
}

/* FILE through ternd's loader: its diagnostics on stderr. 0 when good. */
static int check_file(const char *path, bool quiet_ok)
{
	struct ternd_diags *d = calloc(1, sizeof(*d));
	struct ternd_config *cfg = NULL;
	int rc;

	if (!d) {
		fprintf(stderr, "ternctl: out of memory\n");
		return 1;
	}
	rc = ternd_config_load_file(path, &cfg, d);
	ternd_diags_print(stderr, path, d);
	if (rc < 0 && d->errors == 0)
		fprintf(stderr, "%s: error: %s\n", path, strerror(-rc));
	else if (rc == 0 && !quiet_ok)
		printf("%s: configuration OK (%u warnings)\n", path,
		       d->warnings);
	ternd_config_free(cfg);
	free(d);
	return rc < 0 ? 1 : 0;
}

int ctl_cmd_config_test(int argc, char **argv)
{
	if (argc != 1) {
		fprintf(stderr, "usage: ternctl config test FILE\n");
		return 2;
	}
	return check_file(argv[0], false);
}

int ctl_cmd_config_set(int argc, char **argv)
{
	const char *sock = ctl_take_sock(&argc, argv, "TERND_CTL_SOCK",
					 CTL_TERND_SOCK_DEFAULT);
	struct tjson_doc *cfg = NULL, *req = NULL;
	struct tjson_error err;
	struct tjson *o;
	char *text = NULL, *out = NULL;
	size_t len = 0;
	int r;

	if (argc != 1) {
		fprintf(stderr, "usage: ternctl config set [-s SOCKET] FILE\n");
		return 2;
	}
	/* Checked here first: errors at the file's own lines. */
	if (check_file(argv[0], true))
		return 1;
	if ((r = tjson_read_file(NULL, argv[0], 16u * 1024 * 1024, &text,
				 &len)) < 0 ||
	    (r = tjson_parse_kea(text, len, NULL, NULL, &cfg, &err)) < 0 ||
	    (r = tjson_doc_new(0, &req)) < 0) {
		fprintf(stderr, "ternctl: %s: %s\n", argv[0], strerror(-r));
		r = 1;
		goto out;
	}
	o = tjson_new_object(req);
	tjson_add_str(req, o, "command", "config-set");
	tjson_add(req, o, "arguments", tjson_copy(req, cfg->root));
	if (req->error ||
	    tjson_write_alloc(o, TJSON_WRITE_COMPACT, ANSWER_MAX, &out, NULL)) {
		fprintf(stderr, "ternctl: cannot build the request\n");
		r = 1;
		goto out;
	}
	r = call(sock, out, NULL);
out:
	free(out);
	free(text);
	tjson_doc_free(cfg);
	tjson_doc_free(req);
	return r;
}
