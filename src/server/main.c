/* ternd entry point: command line, configuration check, then the server. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/log.h"
#include "server/config.h"
#include "server/daemon.h"
#include "server/mesh_node.h"

#ifndef TERN_VERSION
#define TERN_VERSION "unknown"
#endif

static void usage(FILE *out)
{
	fprintf(out,
		"usage: ternd [-d] [-p PORT] -c FILE  serve DHCPv4 as FILE "
		"says\n"
		"       ternd -t FILE         check FILE, print errors, exit "
		"0 (good) or 1\n"
		"       ternd -V              print the version\n"
		"       ternd -h | --help     this help\n"
		"  -d       stay verbose: log to stderr at debug level "
		"(default: syslog, info)\n"
		"  -p PORT  server port (default 67; for tests)\n"
		"Mesh mode (ddhcpd r4 block protocol), after the other "
		"flags:\n"
		"  --mesh -N NET/CIDR -i SRV-IFACE [-b BLOCKPOW] [-s SPARE] "
		"[-t TENTATIVE]\n"
		"         [-B BLOCK-TIMEOUT] [-L] [-c CLT-IFACE] [-H HOOK] "
		"[-o CODE:LEN:B1.B2...]...\n"
		"         [--node-id HEX16] [--needless SECONDS] "
		"[--state-dir DIR]\n"
		"  the mesh flags mean what they mean to ddhcpd; times in "
		"seconds (fractions\n"
		"  allowed); options and lease times come from FILE (-o adds). "
		"See "
		"ternd(8).\n"
		"Signals: TERM/INT stop cleanly, USR1 logs counters, HUP "
		"re-reads interface addresses.\n"
		"FILE is a Kea-style {\"Dhcp4\": {...}} configuration; see "
		"ternd(8).\n");
}

/* Kea's logger severity to a syslog level. */
static int log_level(const struct ternd_config *cfg)
{
	switch (cfg->log_severity) {
	case TERND_LOG_FATAL:
	case TERND_LOG_ERROR:
		return LOG_ERR;
	case TERND_LOG_WARN:
		return LOG_WARNING;
	case TERND_LOG_DEBUG:
		return LOG_DEBUG;
	case TERND_LOG_INFO:
	default:
		return LOG_INFO;
	}
}

static void summary(const char *path, const struct ternd_config *cfg)
{
	size_t pools = 0, res = 0, opts = cfg->options.n;

	for (size_t i = 0; i < cfg->n_subnets; i++) {
		pools += cfg->subnets[i].n_pools;
		res += cfg->subnets[i].n_reservations;
		opts += cfg->subnets[i].options.n;
	}
	tern_log(LOG_INFO,
		 "%s: %zu subnets, %zu shared networks, %zu pools, "
		 "%zu reservations, %zu subnet/global options, %zu "
		 "interfaces; leases in %s",
		 path, cfg->n_subnets, cfg->n_networks, pools, res, opts,
		 cfg->n_ifaces, cfg->store_path);
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"help", no_argument, NULL, 'h'},
		{"version", no_argument, NULL, 'V'},
		{NULL, 0, NULL, 0},
	};
	struct ternd_diags *diags = NULL;
	struct ternd_config *cfg = NULL;
	const char *path = NULL;
	struct ternd_run_opts ro = {.port = 67};
	static struct ternd_mesh_opts mesh;
	bool check = false, debug = false;
	int c, rc, status = 2, mesh_argc = 0;
	char **mesh_argv = NULL, err[200];

	/* Everything after --mesh uses ddhcpd's letters, which collide
	 * with ternd's own -c and -t; it is read once the configuration's
	 * mesh section is known (the flags win over it). */
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--mesh") != 0)
			continue;
		mesh_argc = argc - i;
		mesh_argv = argv + i;
		argc = i;
		break;
	}

	while ((c = getopt_long(argc, argv, "c:t:dp:Vh", longopts, NULL)) !=
	       -1) {
		switch (c) {
		case 'c':
			path = optarg;
			check = false;
			break;
		case 't':
			path = optarg;
			check = true;
			break;
		case 'd':
			debug = true;
			break;
		case 'p': {
			char *end;
			long v = strtol(optarg, &end, 10);

			if (*end || v < 1 || v > 65535) {
				fprintf(stderr, "ternd: bad port %s\n", optarg);
				return 2;
			}
			ro.port = (uint16_t)v;
			break;
		}
		case 'V':
			printf("ternd %s\n", TERN_VERSION);
			return 0;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (!path || optind != argc) {
		usage(stderr);
		return 2;
	}
	if (!(diags = calloc(1, sizeof(*diags)))) {
		fprintf(stderr, "ternd: out of memory\n");
		return 1;
	}
	rc = ternd_config_load_file(path, &cfg, diags);
	ternd_diags_print(stderr, path, diags);
	if (rc < 0) {
		if (rc != -EBADMSG && diags->errors == 0)
			fprintf(stderr, "%s: error: %s\n", path, strerror(-rc));
		status = 1;
		goto out;
	}
	ternd_mesh_opts_init(&mesh);
	if (ternd_mesh_opts_from_config(&mesh, &cfg->mesh, err, sizeof(err)) <
		    0 ||
	    (mesh_argv && ternd_mesh_opts_parse(&mesh, mesh_argc, mesh_argv,
						err, sizeof(err)) < 0) ||
	    (mesh.enabled &&
	     ternd_mesh_opts_check(&mesh, err, sizeof(err)) < 0)) {
		fprintf(stderr, "%s: error: %s\n", path, err);
		status = mesh_argv ? 2 : 1;
		goto out;
	}
	if (mesh.enabled)
		ro.mesh = &mesh;
	if (check) {
		printf("%s: configuration OK (%u warnings)\n", path,
		       diags->warnings);
		status = 0;
		goto out;
	}
	tern_log_open("ternd", debug, debug ? LOG_DEBUG : log_level(cfg));
	summary(path, cfg);
	ro.config_path = path;
	ro.foreground = debug;
	rc = ternd_run(cfg, &ro);
	status = rc < 0 ? 1 : 0;
out:
	ternd_config_free(cfg);
	free(diags);
	return status;
}
