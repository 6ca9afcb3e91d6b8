/* ternd entry point: command line; for now checks or loads a configuration (no
 * serving yet). */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "server/config.h"

#ifndef TERN_VERSION
#define TERN_VERSION "unknown"
#endif

static void usage(FILE *out)
{
	fprintf(out,
		"usage: ternd [-d] -c FILE    load FILE (not yet serving: "
		"prints a summary and exits)\n"
		"       ternd -t FILE         check FILE, print errors, exit "
		"0 (good) or 1\n"
		"       ternd -V              print the version\n"
		"       ternd -h | --help     this help\n"
		"FILE is a Kea-style {\"Dhcp4\": {...}} configuration; see "
		"ternd(8).\n");
}

static void summary(const char *path, const struct ternd_config *cfg)
{
	size_t pools = 0, res = 0, opts = cfg->options.n;

	for (size_t i = 0; i < cfg->n_subnets; i++) {
		pools += cfg->subnets[i].n_pools;
		res += cfg->subnets[i].n_reservations;
		opts += cfg->subnets[i].options.n;
	}
	printf("ternd: %s: %zu subnets, %zu shared networks, %zu pools, "
	       "%zu reservations, %zu subnet/global options, %zu "
	       "interfaces; leases in %s; not yet serving\n",
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
	bool check = false;
	int c, rc, status = 2;

	while ((c = getopt_long(argc, argv, "c:t:dVh", longopts, NULL)) != -1) {
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
			/* Foreground and debug logging, once serving exists. */
			break;
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
	if (check)
		printf("%s: configuration OK (%u warnings)\n", path,
		       diags->warnings);
	else
		summary(path, cfg);
	status = 0;
out:
	ternd_config_free(cfg);
	free(diags);
	return status;
}
