/* tern-plugin: the script udhcpc and dibbler-client run; forwards each lease to
 * tern-mgr. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <nanomsg/nn.h>

#include "send.h"
#include "translate.h"

extern char **environ;

/* Exit codes, documented in tern-plugin(8). */
enum {
	EXIT_SENT = 0,
	EXIT_UNDELIVERED = 1, /* manager unreachable: message not sent */
	EXIT_USAGE = 2,	      /* bad flags or an unusable environment */
	EXIT_INTERNAL = 3,    /* the message failed its own validation */
};

static void usage(FILE *f)
{
	fprintf(f,
		"usage: tern-plugin [options] EVENT\n"
		"\n"
		"Run by busybox udhcpc (EVENT: deconfig bound renew nak "
		"leasefail)\n"
		"or dibbler-client (EVENT: add update delete expire); reads "
		"the lease\n"
		"from the environment and sends it to tern-mgr.\n"
		"\n"
		"  -a ADDR  manager address (env TERN_MGR_ADDR; default %s)\n"
		"  -r N     send attempts, 1..20 (env TERN_PLUGIN_TRIES; "
		"default %d)\n"
		"  -t MS    timeout of each attempt, 10..10000 "
		"(env TERN_PLUGIN_TIMEOUT_MS; default %d)\n"
		"  -i MS    pause between attempts, 0..5000 "
		"(env TERN_PLUGIN_INTERVAL_MS; default %d)\n"
		"  -l MS    wait after sending, before closing, 0..2000 "
		"(env TERN_PLUGIN_LINGER_MS; default %d)\n"
		"  -o FILE  write the message to FILE instead of sending it\n"
		"  -q       do not warn about values left out\n"
		"  -h, --help     this text\n"
		"  -V, --version  print the version\n"
		"\n"
		"Exit status: 0 sent, 1 manager unreachable, 2 usage or "
		"environment error,\n"
		"3 internal error. Never runs longer than "
		"tries * (timeout + pause) + linger.\n",
		TERN_LEASE_DEFAULT_ADDR, TPLUG_TRIES_DEFAULT,
		TPLUG_TIMEOUT_MS_DEFAULT, TPLUG_INTERVAL_MS_DEFAULT,
		TPLUG_LINGER_MS_DEFAULT);
}

/* Strict decimal in [lo, hi]; returns -1 if not. */
static int parse_int(const char *s, int lo, int hi, int *ret)
{
	char *end;
	long v;

	if (!s || !*s)
		return -1;
	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || *end || v < lo || v > hi)
		return -1;
	*ret = (int)v;
	return 0;
}

/* Flag value, else environment value, else the default. */
static int setting(const char *flag, const char *env, int lo, int hi, int *ret)
{
	const char *val = flag ? flag : getenv(env);

	if (!val)
		return 0;
	if (parse_int(val, lo, hi, ret) < 0) {
		fprintf(stderr, "tern-plugin: %s: %s is not in %d..%d\n",
			flag ? "option" : env, val, lo, hi);
		return -1;
	}
	return 0;
}

static int write_file(const char *path, const void *buf, size_t len)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	const char *p = buf;
	int r = 0;

	if (fd < 0)
		return -errno;
	while (len > 0) {
		ssize_t n = write(fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			r = n < 0 ? -errno : -EIO;
			break;
		}
		p += n;
		len -= (size_t)n;
	}
	if (close(fd) < 0 && r == 0)
		r = -errno;
	return r;
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"help", no_argument, NULL, 'h'},
		{"version", no_argument, NULL, 'V'},
		{NULL, 0, NULL, 0},
	};
	const char *f_tries = NULL, *f_timeout = NULL, *f_interval = NULL,
		   *f_linger = NULL, *out = NULL;
	struct tplug_send_opts o = {
		.addr = NULL,
		.tries = TPLUG_TRIES_DEFAULT,
		.timeout_ms = TPLUG_TIMEOUT_MS_DEFAULT,
		.interval_ms = TPLUG_INTERVAL_MS_DEFAULT,
		.linger_ms = TPLUG_LINGER_MS_DEFAULT,
	};
	struct tern_lease_msg msg;
	struct tern_lease_verdict verdict;
	struct tplug_diag diag;
	int quiet = 0, c, r, tries = 0;

	/* "+": stop at the event name, as a client passes no flags. */
	while ((c = getopt_long(argc, argv, "+a:r:t:i:l:o:qhV", longopts,
				NULL)) != -1) {
		switch (c) {
		case 'a':
			o.addr = optarg;
			break;
		case 'r':
			f_tries = optarg;
			break;
		case 't':
			f_timeout = optarg;
			break;
		case 'i':
			f_interval = optarg;
			break;
		case 'l':
			f_linger = optarg;
			break;
		case 'o':
			out = optarg;
			break;
		case 'q':
			quiet = 1;
			break;
		case 'h':
			usage(stdout);
			return EXIT_SENT;
		case 'V':
			printf("tern-plugin %s\n", TERN_VERSION);
			return EXIT_SENT;
		default:
			usage(stderr);
			return EXIT_USAGE;
		}
	}
	if (optind != argc - 1) {
		usage(stderr);
		return EXIT_USAGE;
	}
	if (!o.addr)
		o.addr = getenv("TERN_MGR_ADDR");
	if (!o.addr || !*o.addr)
		o.addr = TERN_LEASE_DEFAULT_ADDR;
	if (setting(f_tries, "TERN_PLUGIN_TRIES", 1, 20, &o.tries) < 0 ||
	    setting(f_timeout, "TERN_PLUGIN_TIMEOUT_MS", 10, 10000,
		    &o.timeout_ms) < 0 ||
	    setting(f_interval, "TERN_PLUGIN_INTERVAL_MS", 0, 5000,
		    &o.interval_ms) < 0 ||
	    setting(f_linger, "TERN_PLUGIN_LINGER_MS", 0, 2000, &o.linger_ms) <
		    0)
		return EXIT_USAGE;

	r = tplug_translate(&msg, argv[optind], (const char *const *)environ,
			    &diag);
	if (r < 0) {
		fprintf(stderr, "tern-plugin: %s: %s\n", argv[optind],
			diag.text);
		return EXIT_USAGE;
	}
	if (diag.dropped && !quiet)
		fprintf(stderr,
			"tern-plugin: %s: %u value(s) left out; first: %s\n",
			msg.ifname, diag.dropped, diag.text);
	/* The manager would drop an invalid message: say so here instead. */
	r = tern_lease_msg_check(&msg, sizeof(msg), &verdict);
	if (r < 0) {
		fprintf(stderr, "tern-plugin: internal error: %s (%s)\n",
			tern_lease_reason_str(verdict.reason), verdict.field);
		return EXIT_INTERNAL;
	}
	if (out) {
		r = write_file(out, &msg, sizeof(msg));
		if (r < 0) {
			fprintf(stderr, "tern-plugin: %s: %s\n", out,
				strerror(-r));
			return EXIT_USAGE;
		}
		return EXIT_SENT;
	}
	r = tplug_send(&o, &msg, sizeof(msg), &tries);
	if (r < 0) {
		fprintf(stderr,
			"tern-plugin: %s: lease for %s not delivered to "
			"tern-mgr at %s after %d attempt(s): %s\n",
			argv[optind], msg.ifname, o.addr, tries,
			nn_strerror(-r));
		return EXIT_UNDELIVERED;
	}
	return EXIT_SENT;
}
