/* ternctl leases, lease add, lease del against a Dhcp6 ternd (Kea's
 * lease6-* commands): the table's DHCPv6 columns and the requests. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common/json.h"
#include "ctl/ctl.h"

#define ANSWER_MAX (16 * 1024 * 1024)
#define PAGE	   1000 /* leases asked for at once */
#define N6	   9

bool ctl_ternd_serves_v6(const char *sock)
{
	char *ans = NULL;
	bool v6;

	/* A Dhcp6 ternd with lease_cmds lists lease6-*, a Dhcp4 one
	 * lease4-*; without lease_cmds the v4 commands' error follows. */
	if (ctl_unix_request(sock, "{\"command\": \"list-commands\"}", true,
			     ANSWER_MAX, &ans) < 0)
		return false;
	v6 = strstr(ans, "\"lease6-get-page\"") != NULL;
	free(ans);
	return v6;
}

static const char *const head6[N6] = {
	"address/prefix", "type",   "iaid",  "duid",
	"hostname",	  "subnet", "state", "preferred/valid",
	"expires"};

/* Rows as text, every cell one after the other, NUL-terminated. */
struct table6 {
	char **rows;
	size_t n, cap;
	size_t w[N6];
};

static int row_add(struct table6 *t, const struct tjson *l)
{
	static const char *const states[] = {"bound", "declined", "expired"};
	char cells[N6][400], *row, *p;
	int64_t st = ctl_ival(l, "state");
	int64_t valid = ctl_ival(l, "valid-lft");
	time_t exp = (time_t)(ctl_ival(l, "cltt") + valid);
	size_t len = 0;
	struct tm tm;

	if (!strcmp(ctl_sval(l, "type"), "IA_PD"))
		snprintf(cells[0], sizeof(cells[0]), "%s/%" PRId64,
			 ctl_sval(l, "ip-address"), ctl_ival(l, "prefix-len"));
	else
		snprintf(cells[0], sizeof(cells[0]), "%s",
			 ctl_sval(l, "ip-address"));
	snprintf(cells[1], sizeof(cells[1]), "%s", ctl_sval(l, "type"));
	snprintf(cells[2], sizeof(cells[2]), "%" PRId64, ctl_ival(l, "iaid"));
	snprintf(cells[3], sizeof(cells[3]), "%s",
		 *ctl_sval(l, "duid") ? ctl_sval(l, "duid") : "-");
	snprintf(cells[4], sizeof(cells[4]), "%s",
		 *ctl_sval(l, "hostname") ? ctl_sval(l, "hostname") : "-");
	snprintf(cells[5], sizeof(cells[5]), "%" PRId64,
		 ctl_ival(l, "subnet-id"));
	snprintf(cells[6], sizeof(cells[6]), "%s",
		 st >= 0 && st <= 2 ? states[st] : "?");
	snprintf(cells[7], sizeof(cells[7]), "%" PRId64 "/%" PRId64,
		 ctl_ival(l, "preferred-lft"), valid);
	if (valid == UINT32_MAX)
		snprintf(cells[8], sizeof(cells[8]), "never");
	else if (localtime_r(&exp, &tm))
		strftime(cells[8], sizeof(cells[8]), "%Y-%m-%d %H:%M:%S", &tm);
	else
		snprintf(cells[8], sizeof(cells[8]), "?");
	for (size_t c = 0; c < N6; c++) {
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
	for (size_t c = 0; c < N6; c++) {
		size_t k = strlen(cells[c]) + 1;

		memcpy(p, cells[c], k);
		p += k;
	}
	t->rows[t->n++] = row;
	return 0;
}

static void row_print(const struct table6 *t, const char *const *cell)
{
	for (size_t c = 0; c < N6; c++) {
		bool num = c == 2 || c == 5;

		if (c + 1 == N6)
			printf("%s\n", cell[c]);
		else
			printf(num ? "%*s  " : "%-*s  ", (int)t->w[c], cell[c]);
	}
}

static void table_free(struct table6 *t, bool print)
{
	if (print)
		row_print(t, head6);
	for (size_t i = 0; i < t->n; i++) {
		const char *cell[N6];
		const char *p = t->rows[i];

		for (size_t c = 0; c < N6; c++) {
			cell[c] = p;
			p += strlen(p) + 1;
		}
		if (print)
			row_print(t, cell);
		free(t->rows[i]);
	}
	free(t->rows);
}

/* ctl_leases6's filter and table (ctl_lease_walk's callbacks). */
struct filter6 {
	struct table6 *t;
	long long subnet; /* -1: any */
	const char *duid; /* NULL: any */
};

static bool keep6(const struct tjson *l, const void *ctx)
{
	const struct filter6 *f = ctx;

	return (f->subnet <= 0 || ctl_ival(l, "subnet-id") == f->subnet) &&
	       (!f->duid || strcasecmp(ctl_sval(l, "duid"), f->duid) == 0);
}

static int row6(void *ctx, const struct tjson *l)
{
	return row_add(((struct filter6 *)ctx)->t, l);
}

int ctl_leases6(const char *sock, long long subnet, const char *duid, bool json)
{
	struct table6 t = {0};
	struct filter6 f = {&t, subnet, duid};
	int rc = 1;

	for (size_t c = 0; c < N6; c++)
		t.w[c] = strlen(head6[c]);
	if (ctl_lease_walk(sock, "lease6-get-page", json, keep6, row6, &f))
		goto out;
	rc = 0;
out:
	table_free(&t, rc == 0 && !json);
	return rc;
}

int ctl_lease6_args(struct tjson_doc *req, struct tjson *a, const char *ip,
		    const char *duid, long long iaid)
{
	const char *slash = strchr(ip, '/');
	char addr[64];
	char *end;
	long plen;

	if (!slash) {
		tjson_add_str(req, a, "ip-address", ip);
	} else {
		errno = 0;
		plen = strtol(slash + 1, &end, 10);
		if (errno || *end || plen < 1 || plen > 128 ||
		    (size_t)(slash - ip) >= sizeof(addr)) {
			fprintf(stderr, "ternctl: '%s' is not a prefix\n", ip);
			return -EINVAL;
		}
		memcpy(addr, ip, (size_t)(slash - ip));
		addr[slash - ip] = '\0';
		tjson_add_str(req, a, "ip-address", addr);
		tjson_add_str(req, a, "type", "IA_PD");
		if (duid)
			tjson_add_int(req, a, "prefix-len", plen);
	}
	if (duid) {
		tjson_add_str(req, a, "duid", duid);
		tjson_add_int(req, a, "iaid", iaid >= 0 ? iaid : 0);
	}
	return 0;
}
