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

#include "ctl/ctl.h"

#define TERND_SOCK_DEFAULT "/run/tern/ternd.sock"
#define ANSWER_MAX	   (4 * 1024 * 1024)
#define JSON_DEPTH_MAX	   32

/* ---- a small JSON reader for the answers (no allocation) ---- */

static const char *ws(const char *p)
{
	while (p && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r'))
		p++;
	return p;
}

/* Past one value, or NULL when it is malformed. */
static const char *skip(const char *p, int depth)
{
	p = ws(p);
	if (!p || depth > JSON_DEPTH_MAX)
		return NULL;
	if (*p == '"') {
		for (p++; *p && *p != '"'; p++)
			if (*p == '\\' && !*++p)
				return NULL;
		return *p ? p + 1 : NULL;
	}
	if (*p == '{' || *p == '[') {
		char close = *p == '{' ? '}' : ']';

		p = ws(p + 1);
		if (p && *p == close)
			return p + 1;
		for (;;) {
			if (close == '}') {
				p = skip(p, depth + 1); /* key */
				p = ws(p);
				if (!p || *p != ':')
					return NULL;
				p++;
			}
			p = ws(skip(p, depth + 1));
			if (!p)
				return NULL;
			if (*p == close)
				return p + 1;
			if (*p != ',')
				return NULL;
			p++;
		}
	}
	if (!strchr("-0123456789tfn", *p) || !*p)
		return NULL;
	while (*p && !strchr(",}] \t\r\n", *p))
		p++;
	return p;
}

/* The value of key in the object at p, NULL when absent. */
static const char *get(const char *p, const char *key)
{
	size_t kl = strlen(key);

	p = ws(p);
	if (!p || *p != '{')
		return NULL;
	p = ws(p + 1);
	while (p && *p == '"') {
		const char *k = p + 1, *v;

		p = skip(p, 0);
		v = ws(p);
		if (!v || *v != ':')
			return NULL;
		v = ws(v + 1);
		if ((size_t)(p - k - 1) == kl && !strncmp(k, key, kl))
			return v;
		p = ws(skip(v, 0));
		if (!p || *p != ',')
			return NULL;
		p = ws(p + 1);
	}
	return NULL;
}

/* Array iteration: *it starts at '[', each call yields one element. */
static const char *next(const char **it)
{
	const char *p = ws(*it), *v;

	if (!p || (*p != '[' && *p != ','))
		return NULL;
	v = ws(p + 1);
	if (!v || *v == ']')
		return NULL;
	*it = ws(skip(v, 0));
	return v;
}

static long long num(const char *v, long long dflt)
{
	char *end;
	long long x;

	if (!v)
		return dflt;
	x = strtoll(v, &end, 10);
	return end == v ? dflt : x;
}

static void str(const char *v, char *out, size_t len)
{
	size_t n = 0;

	out[0] = '\0';
	if (!v || *v != '"' || !len)
		return;
	for (v++; *v && *v != '"' && n + 1 < len; v++) {
		if (*v == '\\') {
			if (!*++v)
				break;
			if (*v == 'u') { /* not needed here: show a marker */
				out[n++] = '?';
				for (int i = 0; i < 4 && v[1]; i++)
					v++;
				continue;
			}
		}
		out[n++] = *v;
	}
	out[n] = '\0';
}

static bool is_true(const char *v)
{
	return v && !strncmp(v, "true", 4);
}

/* Send, check "result", print "text" on failure. 0 with *ret_ans. */
static int call(const char *sock, const char *req, char **ret_ans)
{
	char text[512], *ans = NULL;
	long long result;
	int r = ctl_unix_request(sock, req, true, ANSWER_MAX, &ans);

	if (r < 0) {
		fprintf(stderr, "ternctl: %s: %s\n", sock, strerror(-r));
		return 1;
	}
	result = num(get(ans, "result"), -1);
	str(get(ans, "text"), text, sizeof(text));
	if (result != 0) {
		fprintf(stderr, "ternctl: %s\n",
			*text ? text : "malformed answer");
		free(ans);
		return result == 3 ? 3 : 1;
	}
	*ret_ans = ans;
	return 0;
}

int ctl_cmd_mesh_blocks(int argc, char **argv)
{
	const char *sock = ctl_take_sock(&argc, argv, "TERND_CTL_SOCK",
					 TERND_SOCK_DEFAULT),
		   *it, *b, *args;
	bool all = argc == 1 && !strcmp(argv[0], "-a");
	char *ans = NULL;
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
	args = get(ans, "arguments");
	it = get(args, "blocks");
	if (is_true(get(args, "learning")))
		printf("(learning phase)\n");
	printf("%6s  %-15s  %-9s  %-16s  %7s  %s\n", "index", "first", "state",
	       "owner", "timeout", "offered/leased");
	while (it && (b = next(&it))) {
		char first[32], state[16], owner[24];

		str(get(b, "first"), first, sizeof(first));
		str(get(b, "state"), state, sizeof(state));
		str(get(b, "owner"), owner, sizeof(owner));
		printf("%6lld  %-15s  %-9s  %-16s  %7lld  %lld/%lld%s\n",
		       num(get(b, "index"), -1), first, state,
		       *owner ? owner : "-", num(get(b, "timeout"), 0),
		       num(get(b, "offered"), 0), num(get(b, "leased"), 0),
		       is_true(get(b, "needless")) ? "  needless" : "");
	}
	free(ans);
	return 0;
}

int ctl_cmd_mesh_options(int argc, char **argv)
{
	const char *sock = ctl_take_sock(&argc, argv, "TERND_CTL_SOCK",
					 TERND_SOCK_DEFAULT),
		   *it, *o;
	char *ans = NULL;
	int r;

	(void)argv;
	if (argc) {
		fprintf(stderr, "usage: ternctl mesh options [-s SOCKET]\n");
		return 2;
	}
	r = call(sock, "{\"command\": \"mesh-options\"}", &ans);
	if (r)
		return r;
	it = get(get(ans, "arguments"), "options");
	while (it && (o = next(&it))) {
		char s[1100];

		str(get(o, "option"), s, sizeof(s));
		printf("%s\n", s);
	}
	free(ans);
	return 0;
}

int ctl_cmd_mesh_set_option(int argc, char **argv)
{
	const char *sock = ctl_take_sock(&argc, argv, "TERND_CTL_SOCK",
					 TERND_SOCK_DEFAULT);
	char req[1400], *ans = NULL;
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
	free(ans);
	return r;
}

int ctl_cmd_mesh_remove_option(int argc, char **argv)
{
	const char *sock = ctl_take_sock(&argc, argv, "TERND_CTL_SOCK",
					 TERND_SOCK_DEFAULT);
	char req[256], *ans = NULL, *end = NULL;
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
	free(ans);
	return r;
}

/* ddhcpdctl -l: the lease time is option 51 to ddhcpd, and so to ternd. */
int ctl_cmd_mesh_lease_time(int argc, char **argv)
{
	const char *sock = ctl_take_sock(&argc, argv, "TERND_CTL_SOCK",
					 TERND_SOCK_DEFAULT);
	char req[256], *ans = NULL, *end = NULL;
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
	free(ans);
	return r;
}
