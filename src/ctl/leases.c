/* ternctl leases, lease add, lease del: ternd's leases through its control
 * socket (Kea's lease_cmds), as a table for people or JSON for scripts. */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common/json.h"
#include "ctl/ctl.h"
#include "server/config/config.h"

#define ANSWER_MAX (64 * 1024 * 1024)
#define PAGE	   1000 /* leases asked for at once */

/*
 * Send the command (a tjson object), parse the answer: 0 with *ret_ans
 * (the caller frees it) when result is 0 or 3 (*ret_result says which),
 * else the text on stderr and 1.
 */
int ctl_lease_call(const char *sock, const struct tjson *req,
		   struct tjson_doc **ret_ans, int64_t *ret_result)
{
	static const struct tjson_limits lim = {
		ANSWER_MAX, TJSON_DEFAULT_MAX_DEPTH, TJSON_DEFAULT_MAX_NODES,
		TJSON_DEFAULT_MAX_STRING};
	struct tjson_doc *doc = NULL;
	struct tjson_error err;
	const struct tjson *res, *text;
	char *txt = NULL, *ans = NULL;
	int r;

	if (tjson_write_alloc(req, TJSON_WRITE_COMPACT, 1 << 20, &txt, NULL) <
	    0) {
		fprintf(stderr, "ternctl: cannot write the request\n");
		return 1;
	}
	r = ctl_unix_request(sock, txt, true, ANSWER_MAX, &ans);
	free(txt);
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
	res = tjson_get(doc->root, "result");
	text = tjson_get(doc->root, "text");
	if (!res || res->type != TJSON_NUMBER || (res->i != 0 && res->i != 3)) {
		fprintf(stderr, "ternctl: %s%s\n",
			text && text->type == TJSON_STRING ? text->s
							   : "malformed answer",
			res && res->type == TJSON_NUMBER && res->i == 2
				? " (is libdhcp_lease_cmds.so in ternd's "
				  "hooks-libraries?)"
				: "");
		tjson_doc_free(doc);
		return 1;
	}
	*ret_result = res->i;
	*ret_ans = doc;
	return 0;
}

const char *ctl_sval(const struct tjson *o, const char *key)
{
	const struct tjson *v = tjson_get(o, key);

	return v && v->type == TJSON_STRING ? v->s : "";
}

int64_t ctl_ival(const struct tjson *o, const char *key)
{
	const struct tjson *v = tjson_get(o, key);

	return v && v->type == TJSON_NUMBER && v->is_int ? v->i : 0;
}

/*
 * Every lease through cmd (lease4-get-page / lease6-get-page, by address,
 * PAGE at a time: any number of leases, each answer bounded): keep()
 * filters; a kept lease goes to row() or, with json, is printed as an
 * element of one JSON list as it comes. 0, or 1 after the error was
 * printed.
 */
int ctl_lease_walk(const char *sock, const char *cmd, bool json,
		   bool (*keep)(const struct tjson *l, const void *ctx),
		   int (*row)(void *ctx, const struct tjson *l), void *ctx)
{
	char from[64] = "start";
	size_t n_json = 0;

	if (json)
		printf("[");
	for (;;) {
		struct tjson_doc *req = NULL, *ans = NULL;
		struct tjson *o, *a;
		const struct tjson *got, *l, *last = NULL;
		int64_t result;
		int r;

		if (tjson_doc_new(0, &req) < 0)
			return 1;
		o = tjson_new_object(req);
		a = tjson_new_object(req);
		tjson_add_str(req, o, "command", cmd);
		tjson_add_str(req, a, "from", from);
		tjson_add_int(req, a, "limit", PAGE);
		tjson_add(req, o, "arguments", a);
		r = req->error ? 1 : ctl_lease_call(sock, o, &ans, &result);
		tjson_doc_free(req);
		if (r)
			return 1;
		got = tjson_get(tjson_get(ans->root, "arguments"), "leases");
		for (l = got && got->type == TJSON_ARRAY ? got->child : NULL; l;
		     l = l->next) {
			char buf[2048];

			last = l;
			if (!keep(l, ctx))
				continue;
			if (!json) {
				r = row(ctx, l);
			} else {
				r = tjson_write(l, TJSON_WRITE_KEA, buf,
						sizeof(buf), NULL);
				if (r == 0)
					printf("%s\n  %s", n_json++ ? "," : "",
					       buf);
			}
			if (r < 0) {
				fprintf(stderr, "ternctl: %s\n", strerror(-r));
				tjson_doc_free(ans);
				return 1;
			}
		}
		if (last)
			snprintf(from, sizeof(from), "%s",
				 ctl_sval(last, "ip-address"));
		tjson_doc_free(ans);
		if (result == 3 || !last)
			break;
	}
	if (json)
		printf("%s]\n", n_json ? "\n" : "");
	return 0;
}

static const char *state_name(int64_t s)
{
	return s == 0 ? "bound" : s == 1 ? "declined" : "expired";
}

#define N_COLS 7

/* The table's rows, kept as text (a lease's JSON costs ~30 times more):
 * each row its cells one after the other, NUL-terminated. */
struct table {
	char **rows;
	size_t n, cap;
	size_t w[N_COLS];
};

static const char *const head[N_COLS] = {"address",  "mac",    "client-id",
					 "hostname", "subnet", "state",
					 "expires"};

static int table_add(struct table *t, const struct tjson *l)
{
	char cells[N_COLS][400], *row, *p;
	time_t exp = (time_t)(ctl_ival(l, "cltt") + ctl_ival(l, "valid-lft"));
	size_t len = 0;
	struct tm tm;

	snprintf(cells[0], sizeof(cells[0]), "%s", ctl_sval(l, "ip-address"));
	snprintf(cells[1], sizeof(cells[1]), "%s",
		 *ctl_sval(l, "hw-address") ? ctl_sval(l, "hw-address") : "-");
	snprintf(cells[2], sizeof(cells[2]), "%s",
		 *ctl_sval(l, "client-id") ? ctl_sval(l, "client-id") : "-");
	snprintf(cells[3], sizeof(cells[3]), "%s",
		 *ctl_sval(l, "hostname") ? ctl_sval(l, "hostname") : "-");
	snprintf(cells[4], sizeof(cells[4]), "%" PRId64,
		 ctl_ival(l, "subnet-id"));
	snprintf(cells[5], sizeof(cells[5]), "%s",
		 state_name(ctl_ival(l, "state")));
	if (localtime_r(&exp, &tm))
		strftime(cells[6], sizeof(cells[6]), "%Y-%m-%d %H:%M:%S", &tm);
	else
		snprintf(cells[6], sizeof(cells[6]), "?");
	for (size_t c = 0; c < N_COLS; c++) {
		size_t k = strlen(cells[c]);

		if (k > t->w[c])
			t->w[c] = k;
		len += k + 1;
	}
	if (t->n == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 1024;
		char **v = realloc(t->rows, cap * sizeof(*v));

		if (!v)
			return -ENOMEM;
		t->rows = v;
		t->cap = cap;
	}
	row = p = malloc(len);
	if (!row)
		return -ENOMEM;
	for (size_t c = 0; c < N_COLS; c++) {
		size_t k = strlen(cells[c]) + 1;

		memcpy(p, cells[c], k);
		p += k;
	}
	t->rows[t->n++] = row;
	return 0;
}

static void table_row(const struct table *t, const char *const *cell)
{
	printf("%-*s  %-*s  %-*s  %-*s  %*s  %-*s  %s\n", (int)t->w[0], cell[0],
	       (int)t->w[1], cell[1], (int)t->w[2], cell[2], (int)t->w[3],
	       cell[3], (int)t->w[4], cell[4], (int)t->w[5], cell[5], cell[6]);
}

static void table_print_free(struct table *t)
{
	table_row(t, head);
	for (size_t i = 0; i < t->n; i++) {
		const char *cell[N_COLS];
		const char *p = t->rows[i];

		for (size_t c = 0; c < N_COLS; c++) {
			cell[c] = p;
			p += strlen(p) + 1;
		}
		table_row(t, cell);
		free(t->rows[i]);
	}
	free(t->rows);
}

/* ctl_cmd_leases' filter and table (ctl_lease_walk's callbacks). */
struct filter4 {
	struct table *t;
	long long subnet; /* -1: any */
	const char *mac;  /* NULL: any */
};

static bool keep4(const struct tjson *l, const void *ctx)
{
	const struct filter4 *f = ctx;

	return (f->subnet <= 0 || ctl_ival(l, "subnet-id") == f->subnet) &&
	       (!f->mac || strcasecmp(ctl_sval(l, "hw-address"), f->mac) == 0);
}

static int row4(void *ctx, const struct tjson *l)
{
	return table_add(((struct filter4 *)ctx)->t, l);
}

static void leases_usage(FILE *out)
{
	fputs("usage: ternctl leases [-s SOCKET | -c CONFIG] [--subnet ID] "
	      "[--mac MAC | --duid DUID] [--json]\n",
	      out);
}

int ctl_cmd_leases(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"socket", required_argument, NULL, 's'},
		{"config", required_argument, NULL, 'c'},
		{"subnet", required_argument, NULL, 'n'},
		{"mac", required_argument, NULL, 'm'},
		{"duid", required_argument, NULL, 'd'},
		{"json", no_argument, NULL, 'j'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	const char *sock_opt = NULL, *config = NULL, *mac = NULL;
	const char *duid = NULL;
	char *sock = NULL, *end;
	struct table t = {0};
	long long subnet = -1;
	bool json = false;
	int opt, rc = 1;

	argc++;
	argv--;
	optind = 1;
	while ((opt = getopt_long(argc, argv, "+s:c:h", longopts, NULL)) !=
	       -1) {
		switch (opt) {
		case 's':
			sock_opt = optarg;
			break;
		case 'c':
			config = optarg;
			break;
		case 'n':
			errno = 0;
			subnet = strtoll(optarg, &end, 10);
			if (errno || *end || subnet < 1 ||
			    subnet > UINT32_MAX) {
				fprintf(stderr,
					"ternctl: --subnet: '%s' is not a "
					"subnet id\n",
					optarg);
				return 2;
			}
			break;
		case 'm':
			mac = optarg;
			break;
		case 'd':
			duid = optarg;
			break;
		case 'j':
			json = true;
			break;
		case 'h':
			leases_usage(stdout);
			return 0;
		default:
			leases_usage(stderr);
			return 2;
		}
	}
	if (optind != argc) {
		leases_usage(stderr);
		return 2;
	}
	if (ctl_find_ternd_sock(sock_opt, config, &sock) < 0)
		return 1;
	if (ctl_ternd_serves_v6(sock)) {
		if (mac) {
			fprintf(stderr, "ternctl: --mac: ternd keeps no "
					"hardware address of a DHCPv6 lease "
					"(--duid)\n");
			free(sock);
			return 2;
		}
		rc = ctl_leases6(sock, subnet, duid, json);
		free(sock);
		return rc;
	}
	if (duid) {
		fprintf(stderr, "ternctl: --duid is for a DHCPv6 ternd\n");
		free(sock);
		return 2;
	}
	for (size_t c = 0; c < N_COLS; c++)
		t.w[c] = strlen(head[c]);
	{
		struct filter4 f = {&t, subnet, mac};

		if (ctl_lease_walk(sock, "lease4-get-page", json, keep4, row4,
				   &f))
			goto out;
	}
	if (!json)
		table_print_free(&t);
	t.rows = NULL;
	t.n = 0;
	rc = 0;
out:
	for (size_t i = 0; i < t.n; i++)
		free(t.rows[i]);
	free(t.rows);
	free(sock);
	return rc;
}

static void lease_usage(FILE *out)
{
	fputs("usage: ternctl lease add [-s SOCKET | -c CONFIG] IP MAC "
	      "[--subnet ID] [--hostname H] [--valid-lft S]\n"
	      "       ternctl lease add [-s SOCKET | -c CONFIG] IPV6[/LEN] "
	      "DUID [--iaid N] [--subnet ID] [--hostname H] [--valid-lft S]\n"
	      "       ternctl lease del [-s SOCKET | -c CONFIG] IP | "
	      "IPV6[/LEN]\n",
	      out);
}

/* lease add / lease del: one command, its text printed. */
static int lease_change(int argc, char **argv, bool add)
{
	static const struct option longopts[] = {
		{"socket", required_argument, NULL, 's'},
		{"config", required_argument, NULL, 'c'},
		{"subnet", required_argument, NULL, 'n'},
		{"hostname", required_argument, NULL, 'H'},
		{"valid-lft", required_argument, NULL, 'v'},
		{"iaid", required_argument, NULL, 'i'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	const char *sock_opt = NULL, *config = NULL, *host = NULL;
	long long subnet = -1, valid = -1, iaid = -1;
	bool v6;
	struct tjson_doc *req = NULL, *ans = NULL;
	struct tjson *o, *a;
	char *sock = NULL, *end;
	int64_t result;
	int opt, rc = 1;

	argc++;
	argv--;
	optind = 1;
	while ((opt = getopt_long(argc, argv, "s:c:h", longopts, NULL)) != -1) {
		switch (opt) {
		case 's':
			sock_opt = optarg;
			break;
		case 'c':
			config = optarg;
			break;
		case 'n':
		case 'v':
		case 'i':
			errno = 0;
			valid = strtoll(optarg, &end, 10);
			if (errno || *end || valid < 0 || valid > UINT32_MAX ||
			    (opt == 'n' && valid == 0)) {
				fprintf(stderr, "ternctl: '%s' is not a %s\n",
					optarg,
					opt == 'n'   ? "subnet id"
					: opt == 'i' ? "IAID"
						     : "lifetime in seconds");
				return 2;
			}
			if (opt == 'n') {
				subnet = valid;
				valid = -1;
			} else if (opt == 'i') {
				iaid = valid;
				valid = -1;
			}
			break;
		case 'H':
			host = optarg;
			break;
		case 'h':
			lease_usage(stdout);
			return 0;
		default:
			lease_usage(stderr);
			return 2;
		}
	}
	if (!add && (subnet >= 0 || valid >= 0 || host || iaid >= 0)) {
		lease_usage(stderr);
		return 2;
	}
	if (argc - optind != (add ? 2 : 1)) {
		lease_usage(stderr);
		return 2;
	}
	/* An IPv6 address or prefix: the lease6 commands. */
	v6 = strchr(argv[optind], ':') != NULL;
	if (iaid >= 0 && !v6) {
		lease_usage(stderr);
		return 2;
	}
	if (ctl_find_ternd_sock(sock_opt, config, &sock) < 0)
		return 1;
	if (tjson_doc_new(0, &req) < 0)
		goto out;
	o = tjson_new_object(req);
	a = tjson_new_object(req);
	tjson_add_str(req, o, "command",
		      v6    ? (add ? "lease6-add" : "lease6-del")
		      : add ? "lease4-add"
			    : "lease4-del");
	if (v6) {
		if (ctl_lease6_args(req, a, argv[optind],
				    add ? argv[optind + 1] : NULL, iaid) < 0) {
			rc = 2;
			goto out;
		}
	} else {
		tjson_add_str(req, a, "ip-address", argv[optind]);
		if (add)
			tjson_add_str(req, a, "hw-address", argv[optind + 1]);
	}
	if (subnet > 0)
		tjson_add_int(req, a, "subnet-id", subnet);
	if (host)
		tjson_add_str(req, a, "hostname", host);
	if (valid >= 0)
		tjson_add_int(req, a, "valid-lft", valid);
	tjson_add(req, o, "arguments", a);
	if (req->error || ctl_lease_call(sock, o, &ans, &result))
		goto out;
	printf("%s\n", ctl_sval(ans->root, "text"));
	/* lease del of a lease there is not: result 3, exit 3. */
	rc = result == 3 ? 3 : 0;
out:
	tjson_doc_free(ans);
	tjson_doc_free(req);
	free(sock);
	return rc;
}

int ctl_cmd_lease_add(int argc, char **argv)
{
	return lease_change(argc, argv, true);
}

int ctl_cmd_lease_del(int argc, char **argv)
{
	return lease_change(argc, argv, false);
}
