/* ternctl mesh: ternd's mesh blocks and run-time options over its Kea-style
 * control socket. */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#include <unistd.h>

#include "common/json.h"
#include "ctl/ctl.h"

#define ANSWER_MAX (4 * 1024 * 1024)

static long long num(const struct tjson *v, long long dflt)
{
	return v && v->type == TJSON_NUMBER && v->is_int ? v->i : dflt;
}

static void str(const struct tjson *v, char *out, size_t len)
{
	snprintf(out, len, "%s", v && v->type == TJSON_STRING ? v->s : "");
}

static bool is_true(const struct tjson *v)
{
	return v && v->type == TJSON_BOOL && v->b;
}

/* Send, check "result", print "text" on failure. 0 with *ret_ans. */
static int call(const char *sock, const char *req, struct tjson_doc **ret_ans)
{
	static const struct tjson_limits lim = {
		ANSWER_MAX, TJSON_DEFAULT_MAX_DEPTH, TJSON_DEFAULT_MAX_NODES,
		TJSON_DEFAULT_MAX_STRING};
	struct tjson_doc *doc = NULL;
	struct tjson_error err;
	char text[512], *ans = NULL;
	long long result;
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
	result = num(tjson_get(doc->root, "result"), -1);
	str(tjson_get(doc->root, "text"), text, sizeof(text));
	if (result != 0) {
		fprintf(stderr, "ternctl: %s\n",
			*text ? text : "malformed answer");
		tjson_doc_free(doc);
		return result == 3 ? 3 : 1;
	}
	*ret_ans = doc;
	return 0;
}

int ctl_cmd_mesh_blocks(int argc, char **argv)
{
	const char *sock = ctl_take_sock(&argc, argv, "TERND_CTL_SOCK",
					 CTL_TERND_SOCK_DEFAULT);
	const struct tjson *args, *blocks, *b;
	bool all = argc == 1 && !strcmp(argv[0], "-a");
	struct tjson_doc *ans = NULL;
	int r;

	if (argc > 1 || (argc == 1 && !all)) {
		fprintf(stderr,
			"usage: ternctl mesh blocks [-s SOCKET] [-a]\n");
		return 2;
	}
	r = call(sock,
		 all ? "{\"command\": \"mesh-blocks\", \"arguments\": "
		       "{\"all\": true}}"
		     : "{\"command\": \"mesh-blocks\"}",
		 &ans);
	if (r)
		return r;
	args = tjson_get(ans->root, "arguments");
	blocks = tjson_get(args, "blocks");
	if (is_true(tjson_get(args, "learning")))
		printf("(learning phase)\n");
	printf("%6s  %-15s  %-9s  %-16s  %7s  %s\n", "index", "first", "state",
	       "owner", "timeout", "offered/leased");
	for (b = blocks && blocks->type == TJSON_ARRAY ? blocks->child : NULL;
	     b; b = b->next) {
		char first[32], state[16], owner[24];

		str(tjson_get(b, "first"), first, sizeof(first));
		str(tjson_get(b, "state"), state, sizeof(state));
		str(tjson_get(b, "owner"), owner, sizeof(owner));
		printf("%6lld  %-15s  %-9s  %-16s  %7lld  %lld/%lld%s\n",
		       num(tjson_get(b, "index"), -1), first, state,
		       *owner ? owner : "-", num(tjson_get(b, "timeout"), 0),
		       num(tjson_get(b, "offered"), 0),
		       num(tjson_get(b, "leased"), 0),
		       is_true(tjson_get(b, "needless")) ? "  needless" : "");
	}
	tjson_doc_free(ans);
	return 0;
}

int ctl_cmd_mesh_options(int argc, char **argv)
{
	const char *sock = ctl_take_sock(&argc, argv, "TERND_CTL_SOCK",
					 CTL_TERND_SOCK_DEFAULT);
	const struct tjson *opts, *o;
	struct tjson_doc *ans = NULL;
	int r;

	(void)argv;
	if (argc) {
		fprintf(stderr, "usage: ternctl mesh options [-s SOCKET]\n");
		return 2;
	}
	r = call(sock, "{\"command\": \"mesh-options\"}", &ans);
	if (r)
		return r;
	opts = tjson_get(tjson_get(ans->root, "arguments"), "options");
	for (o = opts && opts->type == TJSON_ARRAY ? opts->child : NULL; o;
	     o = o->next) {
		char s[1100];

		str(tjson_get(o, "option"), s, sizeof(s));
		printf("%s\n", s);
	}
	tjson_doc_free(ans);
	return 0;
}

int ctl_cmd_mesh_set_option(int argc, char **argv)
{
	const char *sock = ctl_take_sock(&argc, argv, "TERND_CTL_SOCK",
					 CTL_TERND_SOCK_DEFAULT);
	struct tjson_doc *ans = NULL;
	char req[1400];
	int r;

	/* The option text is digits, ':' and '.': nothing to escape. */
	if (argc != 1 || strlen(argv[0]) > 1100 ||
	    strspn(argv[0], "0123456789:.") != strlen(argv[0])) {
		fprintf(stderr, "usage: ternctl mesh set-option [-s SOCKET] "
				"CODE:LEN:B1.B2...\n");
		return 2;
	}
	snprintf(req, sizeof(req),
		 "{\"command\": \"mesh-set-option\", \"arguments\": "
		 "{\"option\": \"%s\"}}",
		 argv[0]);
	r = call(sock, req, &ans);
	tjson_doc_free(ans);
	return r;
}

int ctl_cmd_mesh_remove_option(int argc, char **argv)
{
	const char *sock = ctl_take_sock(&argc, argv, "TERND_CTL_SOCK",
					 CTL_TERND_SOCK_DEFAULT);
	struct tjson_doc *ans = NULL;
	char req[256], *end = NULL;
	long code = argc == 1 ? strtol(argv[0], &end, 10) : -1;
	int r;

	if (argc != 1 || !end || *end || end == argv[0] || code < 0 ||
	    code > 255) {
		fprintf(stderr, "usage: ternctl mesh remove-option [-s SOCKET] "
				"CODE\n");
		return 2;
	}
	snprintf(req, sizeof(req),
		 "{\"command\": \"mesh-remove-option\", \"arguments\": "
		 "{\"code\": %ld}}",
		 code);
	r = call(sock, req, &ans);
	tjson_doc_free(ans);
	return r;
}

/* ddhcpdctl -l: the lease time is option 51 to ddhcpd, and so to ternd. */
int ctl_cmd_mesh_lease_time(int argc, char **argv)
{
	const char *sock = ctl_take_sock(&argc, argv, "TERND_CTL_SOCK",
					 CTL_TERND_SOCK_DEFAULT);
	struct tjson_doc *ans = NULL;
	char req[256], *end = NULL;
	unsigned long long v = 0;
	int r;

	if (argc == 1 && argv[0][0] != '-')
		v = strtoull(argv[0], &end, 10);
	if (argc != 1 || !end || *end || end == argv[0] || v == 0 ||
	    v > UINT32_MAX) {
		fprintf(stderr, "usage: ternctl mesh lease-time [-s SOCKET] "
				"SECONDS (1..4294967295)\n");
		return 2;
	}
	snprintf(req, sizeof(req),
		 "{\"command\": \"mesh-set-option\", \"arguments\": "
		 "{\"option\": \"51:4:%llu.%llu.%llu.%llu\"}}",
		 v >> 24, (v >> 16) & 255, (v >> 8) & 255, v & 255);
	r = call(sock, req, &ans);
	tjson_doc_free(ans);
	return r;
}
