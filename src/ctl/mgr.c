/* ternctl mgr: get / set tern-mgr's data model and show its clients. */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "ctl/ctl.h"

#define MGR_SOCK_DEFAULT "/run/tern/mgr.sock"
#define ANSWER_MAX	 (512 * 1024)

/* Print the answer's parameter lines; 0 if it ends with OK. */
static int finish(const char *ans, bool print)
{
	const char *last = ans, *p;

	for (p = ans; *p;
	     p = strchr(p, '\n') ? strchr(p, '\n') + 1 : p + strlen(p)) {
		last = p;
		if (!strncmp(p, "OK\n", 3) || !strncmp(p, "ERR ", 4))
			break;
		if (print)
			fwrite(p, 1, strcspn(p, "\n") + 1, stdout);
	}
	if (!strncmp(last, "OK", 2))
		return 0;
	fprintf(stderr, "ternctl: %.*s\n", (int)strcspn(last, "\n"),
		*last ? last : "no answer");
	return 1;
}

static int run(const char *sock, const char *line, bool print)
{
	char *ans = NULL;
	char req[1100];
	int r;

	/* One line per request, ended by a newline (docs/mgr-config.md). */
	if (snprintf(req, sizeof(req), "%s\n", line) >= (int)sizeof(req))
		return -E2BIG;
	r = ctl_unix_request(sock, req, false, ANSWER_MAX, &ans);

	if (r < 0) {
		fprintf(stderr, "ternctl: %s: %s\n", sock, strerror(-r));
		return 1;
	}
	r = finish(ans, print);
	free(ans);
	return r;
}

int ctl_cmd_mgr_get(int argc, char **argv)
{
	const char *sock =
		ctl_take_sock(&argc, argv, "TERN_MGR_SOCK", MGR_SOCK_DEFAULT);
	char line[1024];

	if (argc > 1) {
		fprintf(stderr, "usage: ternctl mgr get [-s SOCKET] [PATH]\n");
		return 2;
	}
	snprintf(line, sizeof(line), "GET %s", argc ? argv[0] : "Device.");
	return run(sock, line, true);
}

int ctl_cmd_mgr_set(int argc, char **argv)
{
	const char *sock =
		ctl_take_sock(&argc, argv, "TERN_MGR_SOCK", MGR_SOCK_DEFAULT);
	char line[1024];

	if (argc != 2) {
		fprintf(stderr,
			"usage: ternctl mgr set [-s SOCKET] PATH VALUE\n");
		return 2;
	}
	if (strchr(argv[0], '\n') || strchr(argv[1], '\n') ||
	    snprintf(line, sizeof(line), "SET %s %s", argv[0], argv[1]) >=
		    (int)sizeof(line)) {
		fprintf(stderr, "ternctl: path or value too long\n");
		return 2;
	}
	return run(sock, line, false);
}

/* The value of "PREFIXname=" in ans, copied into out. */
static const char *val(const char *ans, const char *prefix, const char *name,
		       char *out, size_t cap)
{
	char key[256];
	const char *p;
	size_t n;

	snprintf(key, sizeof(key), "%s%s=", prefix, name);
	out[0] = '\0';
	for (p = ans; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL)
		if (!strncmp(p, key, strlen(key))) {
			p += strlen(key);
			n = strcspn(p, "\n");
			if (n >= cap)
				n = cap - 1;
			memcpy(out, p, n);
			out[n] = '\0';
			break;
		}
	return out;
}

int ctl_cmd_mgr_status(int argc, char **argv)
{
	const char *sock =
		ctl_take_sock(&argc, argv, "TERN_MGR_SOCK", MGR_SOCK_DEFAULT);
	char *ans = NULL, num[32];
	int r;

	if (argc) {
		fprintf(stderr, "usage: ternctl mgr status [-s SOCKET]\n");
		return 2;
	}
	r = ctl_unix_request(sock, "GET Device.\n", false, ANSWER_MAX, &ans);
	if (r < 0) {
		fprintf(stderr, "ternctl: %s: %s\n", sock, strerror(-r));
		return 1;
	}
	if (finish(ans, false)) {
		free(ans);
		return 1;
	}
	printf("%-9s %-15s %-7s %-19s %-10s %-7s %-8s %s\n", "CLIENT",
	       "INTERFACE", "ENABLE", "STATUS", "DHCP", "PID", "LEFT(s)",
	       "LEASE");
	for (int v = 4; v <= 6; v += 2) {
		char fam[32];
		long n;

		snprintf(fam, sizeof(fam), "Device.DHCPv%d.", v);
		n = atol(val(ans, fam, "ClientNumberOfEntries", num,
			     sizeof(num)));
		for (long i = 1; i <= n && i <= 64; i++) {
			char pre[64], name[16], ifn[32], en[8], st[32], ds[16],
				pid[16], left[16], a[64], b[64];

			snprintf(pre, sizeof(pre), "Device.DHCPv%d.Client.%ld.",
				 v, i);
			snprintf(name, sizeof(name), "v%d.%ld", v, i);
			val(ans, pre, "Interface", ifn, sizeof(ifn));
			val(ans, pre, "Enable", en, sizeof(en));
			val(ans, pre, "Status", st, sizeof(st));
			val(ans, pre, "DHCPStatus", ds, sizeof(ds));
			val(ans, pre, "X_TERN_Pid", pid, sizeof(pid));
			val(ans, pre, "LeaseTimeRemaining", left, sizeof(left));
			if (v == 4) {
				val(ans, pre, "IPAddress", a, sizeof(a));
				val(ans, pre, "SubnetMask", b, sizeof(b));
			} else {
				val(ans, pre, "IANAAddress", a, sizeof(a));
				val(ans, pre, "IAPDPrefix", b, sizeof(b));
			}
			printf("%-9s %-15s %-7s %-19s %-10s %-7s %-8s %s%s%s\n",
			       name, ifn, en, st, ds, pid, left[0] ? left : "0",
			       a[0] ? a : "-", b[0] ? " " : "", b);
		}
	}
	val(ans, "Device.X_TERN_Manager.", "LeasesReceived", num, sizeof(num));
	printf("\nleases received %s", num);
	val(ans, "Device.X_TERN_Manager.", "LeasesAccepted", num, sizeof(num));
	printf(", accepted %s\n", num);
	free(ans);
	return 0;
}
