/* ternctl lease import-kea: Kea's memfile CSV leases into ternd's store,
 * explicitly, while ternd is stopped. */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "ctl/ctl.h"
#include "server/config/config.h"
#include "server/store/kea_csv.h"
#include "server/store/store.h"

static void bad_row(void *ctx, const char *file, unsigned long line,
		    const char *why)
{
	(void)ctx;
	fprintf(stderr, "%s:%lu: row not imported: %s\n", file, line, why);
}

/* ternd's memfile rule (docs/config.md): NAME.csv -> NAME.sqlite, any
 * other name gets .sqlite appended. */
static int store_beside(const char *csv, char *out, size_t size)
{
	size_t len = strlen(csv);

	if (len > 4 && strcmp(csv + len - 4, ".csv") == 0)
		len -= 4;
	if (len + sizeof(".sqlite") > size)
		return -ENAMETOOLONG;
	memcpy(out, csv, len);
	memcpy(out + len, ".sqlite", sizeof(".sqlite"));
	return 0;
}

static void usage(void)
{
	fputs("usage: ternctl lease import-kea [-c CONFIG] [-s STORE] "
	      "[CSV...]\n",
	      stderr);
}

int ctl_cmd_lease_import_kea(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"config", required_argument, NULL, 'c'},
		{"store", required_argument, NULL, 's'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	const struct ternd_store_ops *ops = ternd_store_backend("sqlite");
	struct ternd_config *cfg = NULL;
	struct ternd_store *st = NULL;
	struct ternd_diags diags = {0};
	const char *config = NULL, *store = NULL;
	char beside[PATH_MAX];
	const char *const *csvs;
	const char *one[1];
	int n_csv, opt, r, rc = 1, lock = -1;

	/* getopt expects the program name first. */
	argc++;
	argv--;
	optind = 1;
	while ((opt = getopt_long(argc, argv, "+c:s:h", longopts, NULL)) !=
	       -1) {
		switch (opt) {
		case 'c':
			config = optarg;
			break;
		case 's':
			store = optarg;
			break;
		case 'h':
			usage();
			return 0;
		default:
			usage();
			return 2;
		}
	}
	csvs = (const char *const *)argv + optind;
	n_csv = argc - optind;
	if (config) {
		r = ternd_config_load_file(config, &cfg, &diags);
		if (r < 0) {
			ternd_diags_print(stderr, config, &diags);
			fprintf(stderr, "ternctl: %s: cannot load: %s\n",
				config, strerror(-r));
			goto out;
		}
		if (!store)
			store = cfg->store_path;
		if (!n_csv && cfg->store_csv_path) {
			one[0] = cfg->store_csv_path;
			csvs = one;
			n_csv = 1;
		}
	}
	if (!n_csv) {
		fprintf(stderr, "ternctl: no Kea lease file: name one, or a "
				"configuration whose lease-database is a "
				"memfile with a \"name\"\n");
		usage();
		rc = 2;
		goto out;
	}
	if (!store) {
		if (store_beside(csvs[0], beside, sizeof(beside)) < 0) {
			fprintf(stderr, "ternctl: %s: name too long\n",
				csvs[0]);
			goto out;
		}
		store = beside;
	}
	if ((r = ops->open(store, &st)) < 0) {
		fprintf(stderr, "ternctl: cannot open the store %s: %s\n",
			store, strerror(-r));
		goto out;
	}
	lock = ternd_store_lock(store);
	if (lock < 0) {
		fprintf(stderr, "ternctl: %s: %s\n", store,
			lock == -EBUSY ? "ternd is running with this store; "
					 "stop it first"
				       : strerror(-lock));
		goto out;
	}
	rc = 0;
	for (int i = 0; i < n_csv; i++) {
		struct ternd_kea_csv_stats s;

		r = ternd_kea_csv_import(ops, st, csvs[i], (int64_t)time(NULL),
					 true, bad_row, NULL, &s);
		if (r < 0) {
			fprintf(stderr, "ternctl: %s: %s\n", csvs[i],
				r == -EBADMSG ? "not a Kea lease4 file (bad "
						"header)"
					      : strerror(-r));
			rc = 1;
			continue;
		}
		printf("%s: %llu leases imported into %s (%llu bound and "
		       "unexpired); %llu rows read from %u files, %llu bad, "
		       "%llu addresses already in the store kept\n",
		       csvs[i], (unsigned long long)s.imported, store,
		       (unsigned long long)s.active, (unsigned long long)s.rows,
		       s.files, (unsigned long long)s.bad,
		       (unsigned long long)s.kept);
	}
out:
	if (lock >= 0)
		close(lock);
	if (st)
		ops->close(st);
	ternd_config_free(cfg);
	return rc;
}
