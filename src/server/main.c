/* ternd entry point: command line, configuration check, then the server. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/log.h"
#include "server/config/config.h"
#include "server/config/config6.h"
#include "server/daemon.h"
#include "server/daemon6.h"
#include "server/mesh/implied_config.h"
#include "server/mesh/node.h"

#ifndef TERN_VERSION
#define TERN_VERSION "unknown"
#endif

static void usage(FILE *out)
{
	fputs("usage: ternd [-d] [-p PORT] -c FILE  serve DHCPv4 or DHCPv6 as "
	      "FILE says\n"
	      "       ternd -t FILE         check FILE, print errors, exit 0 "
	      "(good) or 1\n"
	      "       ternd [-d] [-c FILE] --mesh DDHCPD-FLAGS...\n"
	      "                             serve as a ddhcpd mesh node (FILE "
	      "optional)\n"
	      "       ternd -V              print the version\n"
	      "       ternd -h | --help     this help\n"
	      "  -d       stay verbose: log to stderr at debug level "
	      "(default: syslog, info)\n"
	      "  -p PORT  server port (default 67, or 547 for Dhcp6; for "
	      "tests)\n"
	      "FILE is a Kea-style {\"Dhcp4\": {...}} or {\"Dhcp6\": {...}} "
	      "configuration\n(one family per process); see ternd(8).\n"
	      "\n"
	      "Mesh mode (ddhcpd r4 block protocol), after the other flags, "
	      "ddhcpd's letters:\n"
	      "  --mesh -N NET/CIDR -i SRV-IFACE [-c CLT-IFACE] [-b BLOCKPOW] "
	      "[-s SPARE]\n"
	      "         [-t TENTATIVE] [-B BLOCK-TIMEOUT] [-n NEEDLESS] [-L] "
	      "[-H HOOK]\n"
	      "         [-o CODE:LEN:B1.B2...]... [-C CTL-SOCKET] [-D] [-v]\n"
	      "         [--node-id HEX16] [--state-dir DIR]\n"
	      "  Times in seconds (fractions allowed). -o 51 sets the lease "
	      "time, -o 54 the\n"
	      "  server identifier. Without -c FILE, ddhcpd's command line is "
	      "enough: the pool\n"
	      "  is -N less its network and broadcast addresses, routers (-o "
	      "3),"
	      " broadcast\n"
	      "  (-o 28) and server (-o 54) addresses; the subnet is -o 1's "
	      "mask on -c's\n"
	      "  interface; lease time 300 s; log to stderr (as ddhcpd, -v "
	      "debug); leases in\n"
	      "  " TERND_DEFAULT_STORE_PATH " (or --state-dir), control "
	      "socket " TERND_MESH_DEFAULT_CONTROL " (or -C).\n"
	      "\n"
	      "Signals: TERM/INT stop cleanly, USR1 logs counters, HUP "
	      "reloads FILE\n(as config-reload: leases kept, a bad file "
	      "changes nothing).\n",
	      out);
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

	if (cfg->v6) {
		for (size_t i = 0; i < cfg->v6->n_subnets; i++) {
			pools += cfg->v6->subnets[i].n_pools +
				 cfg->v6->subnets[i].n_pd_pools;
			res += cfg->v6->subnets[i].n_res;
		}
		tern_log(LOG_INFO,
			 "%s: Dhcp6, %zu subnets, %zu pools and pd-pools, %zu "
			 "reservations, %zu interfaces; leases in %s",
			 path, cfg->v6->n_subnets, pools, res, cfg->n_ifaces,
			 cfg->store_path);
		return;
	}

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

/*
 * ternd --mesh with ddhcpd's flags and no file: the configuration those
 * flags imply (mesh_config.h), loaded like any other. Prints what is wrong
 * on stderr; -EINVAL for bad flags.
 */
static int load_mesh_only(struct ternd_mesh_opts *mesh, int argc, char **argv,
			  struct ternd_config **ret, struct ternd_diags *diags)
{
	char err[200], *text;
	int n, rc;

	if (ternd_mesh_opts_parse(mesh, argc, argv, err, sizeof(err)) < 0) {
		fprintf(stderr, "ternd: error: %s\n", err);
		return -EINVAL;
	}
	if (!(text = malloc(16384)))
		return -ENOMEM;
	n = ternd_mesh_config_text(mesh, text, 16384, err, sizeof(err));
	if (n < 0) {
		fprintf(stderr, "ternd: error: %s\n", err);
		free(text);
		return -EINVAL;
	}
	rc = ternd_config_load_buf(text, (size_t)n, ret, diags);
	if (rc < 0) {
		/* The flags made a configuration ternd refuses: show both. */
		ternd_diags_print(stderr, "ternd --mesh", diags);
		fprintf(stderr,
			"ternd: the configuration the --mesh flags "
			"imply:\n%s",
			text);
	}
	free(text);
	return rc < 0 ? -EINVAL : 0;
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
	bool check = false, debug = false, port_set = false, mesh_only = false;
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
			port_set = true;
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
	/* ddhcpd's own command line needs no file: "ternd --mesh -N ...". */
	if ((!path && !mesh_argv) || optind != argc) {
		usage(stderr);
		return 2;
	}
	if (!(diags = calloc(1, sizeof(*diags)))) {
		fprintf(stderr, "ternd: out of memory\n");
		return 1;
	}
	ternd_mesh_opts_init(&mesh);
	if (!path) {
		path = "ternd --mesh";
		mesh_only = true;
		rc = load_mesh_only(&mesh, mesh_argc, mesh_argv, &cfg, diags);
		if (rc < 0) {
			status = rc == -EINVAL ? 2 : 1;
			goto out;
		}
		/* ddhcpd logs to the console unless told to fork. */
		mesh.log_console = true;
	} else {
		rc = ternd_config_load_file(path, &cfg, diags);
		ternd_diags_print(stderr, path, diags);
		if (rc < 0) {
			if (rc != -EBADMSG && diags->errors == 0)
				fprintf(stderr, "%s: error: %s\n", path,
					strerror(-rc));
			status = 1;
			goto out;
		}
		if (ternd_mesh_opts_from_config(&mesh, &cfg->mesh, err,
						sizeof(err)) < 0 ||
		    (mesh_argv &&
		     ternd_mesh_opts_parse(&mesh, mesh_argc, mesh_argv, err,
					   sizeof(err)) < 0) ||
		    (mesh.enabled &&
		     ternd_mesh_opts_check(&mesh, err, sizeof(err)) < 0)) {
			fprintf(stderr, "%s: error: %s\n", path, err);
			status = mesh_argv ? 2 : 1;
			goto out;
		}
		if (mesh.control_path)
			cfg->control_socket = mesh.control_path;
	}
	if (mesh.enabled)
		ro.mesh = &mesh;
	if (cfg->v6 && mesh.enabled) {
		fprintf(stderr, "%s: error: mesh mode is DHCPv4 only\n", path);
		status = 2;
		goto out;
	}
	if (check) {
		printf("%s: configuration OK (%u warnings)\n", path,
		       diags->warnings);
		status = 0;
		goto out;
	}
	/* -d (and mesh mode without a file) win over the loggers' output. */
	if (debug || mesh.log_console || !cfg->log_output) {
		tern_log_open("ternd", debug || mesh.log_console,
			      debug || mesh.verbose ? LOG_DEBUG
						    : log_level(cfg));
	} else if ((rc = tern_log_open_output("ternd", cfg->log_output,
					      log_level(cfg))) < 0) {
		fprintf(stderr, "ternd: cannot open the log output %s: %s\n",
			cfg->log_output, strerror(-rc));
		status = 1;
		goto out;
	}
	tern_log_startup(true);
	summary(path, cfg);
	ro.config_path = path;
	if (!mesh_only)
		ro.config_file = path;
	ro.foreground = debug;
	if (cfg->v6) {
		/* One family per process (a Dhcp6 file): port 547 unless -p. */
		if (!port_set)
			ro.port = 547;
		rc = ternd_run6(cfg, &ro);
		status = rc < 0 ? 1 : 0;
	} else {
		/* shutdown's exit-value is ternd's exit status. */
		rc = ternd_run(cfg, &ro);
		status = rc < 0 ? 1 : rc;
	}
out:
	ternd_config_free(cfg);
	free(diags);
	return status;
}
