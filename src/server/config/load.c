/* ternd configuration loader: reads the file, parses the positioned JSON tree
 * and walks the Dhcp4 map into a validated struct ternd_config. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/arena.h"
#include "server/config/keys.h"
#include "server/config/loader.h"
#include "server/config/loader6.h"

#define CONFIG_ARENA_LIMIT (512u * 1024u * 1024u)

/* ---- Dhcp4 ------------------------------------------------------------- */

static size_t count_subnets(const struct tjson *dhcp4, size_t *ret_networks)
{
	const struct tjson *sub = tjson_get(dhcp4, "subnet4");
	const struct tjson *nets = tjson_get(dhcp4, "shared-networks");
	size_t n = 0;

	*ret_networks = 0;
	if (sub && sub->type == TJSON_ARRAY)
		n += sub->n;
	if (nets && nets->type == TJSON_ARRAY) {
		*ret_networks = nets->n;
		for (const struct tjson *o = nets->child; o; o = o->next) {
			const struct tjson *s = tjson_get(o, "subnet4");
			if (s && s->type == TJSON_ARRAY)
				n += s->n;
		}
	}
	return n;
}

/* statistic-default-sample-*: any integer, as Kea (its grammar checks the
 * type, keys.c here). */
static bool stats_limit(const struct tjson *m, int64_t *ret)
{
	if (m->type != TJSON_NUMBER || !m->is_int)
		return false;
	*ret = m->i;
	return true;
}

static void parse_dhcp4(struct loader *ld, const struct tjson *d)
{
	struct ternd_config *cfg = ld->cfg;
	const struct tjson *subnets = NULL, *nets = NULL, *res = NULL, *m;
	size_t n_sub, n_net;

	if (!ld_want_type(ld, d, TJSON_OBJECT, "a map"))
		return;
	n_sub = count_subnets(d, &n_net);
	if (n_sub > TERND_MAX_SUBNETS || n_net > TERND_MAX_NETWORKS) {
		ld_error_at(ld, d->pos,
			    "more than %d subnets or %d shared networks",
			    TERND_MAX_SUBNETS, TERND_MAX_NETWORKS);
		return;
	}
	ld->subnets = ld_aalloc(ld, ld->tmp, n_sub, sizeof(*ld->subnets));
	ld->st = ld_aalloc(ld, ld->tmp, n_sub, sizeof(*ld->st));
	ld->networks = ld_aalloc(ld, ld->a, n_net, sizeof(*ld->networks));
	ld->nt = ld_aalloc(ld, ld->tmp, n_net, sizeof(*ld->nt));
	if (!ld->subnets || !ld->st || !ld->networks || !ld->nt)
		return;
	/* Kea reads option-def before any option-data, wherever it is. */
	if ((m = tjson_get(d, "option-def"))) {
		ld_parse_option_defs(ld, m, &ld->defs);
		cfg->option_defs = ld->defs.v;
		cfg->n_option_defs = ld->defs.n;
	}
	for (m = d->child; m; m = m->next) {
		if (strcmp(m->key, "interfaces-config") == 0)
			ld_parse_interfaces_config(ld, m);
		else if (strcmp(m->key, "lease-database") == 0)
			ld_parse_lease_database(ld, m);
		else if (strcmp(m->key, "decline-probation-period") == 0)
			ld_get_u32(ld, m, 0, UINT32_MAX,
				   &cfg->decline_probation_period);
		else if (strcmp(m->key, "offer-lifetime") == 0)
			ld_get_u32(ld, m, 0, UINT32_MAX, &cfg->offer_lifetime);
		else if (strcmp(m->key, "statistic-default-sample-count") == 0)
			cfg->stats_sample_count_set =
				stats_limit(m, &cfg->stats_sample_count);
		else if (strcmp(m->key, "statistic-default-sample-age") == 0)
			stats_limit(m, &cfg->stats_sample_age);
		else if (strcmp(m->key, "option-data") == 0)
			ld_parse_optlist(ld, m, &cfg->options);
		else if (strcmp(m->key, "option-def") == 0)
			; /* read first, above */
		else if (strcmp(m->key, "subnet4") == 0)
			subnets = m;
		else if (strcmp(m->key, "shared-networks") == 0)
			nets = m;
		else if (strcmp(m->key, "control-socket") == 0)
			ld_parse_control_socket(ld, m);
		else if (strcmp(m->key, "loggers") == 0)
			ld_parse_loggers(ld, m, "kea-dhcp4");
		else if (strcmp(m->key, "host-reservation-identifiers") == 0)
			ld_parse_host_ids(ld, m);
		else if (strcmp(m->key, "user-context") == 0)
			ld_parse_ternd_ext(ld, m);
		else if (strcmp(m->key, "client-classes") == 0)
			ld_parse_client_classes(ld, m);
		else if (strcmp(m->key, "hooks-libraries") == 0)
			ld_parse_hooks(ld, m);
		else if (strcmp(m->key, "reservations") == 0)
			res = m;
		else if (strcmp(m->key, "dhcp-ddns") == 0)
			ld_parse_dhcp_ddns(ld, m);
		else if (!ld_parse_param(ld, m, &ld->global) &&
			 !ld_parse_global_knob(ld, m))
			ld_other_key(ld, m, "Dhcp4");
	}
	/* After the loop: ip-reservations-unique may come later. */
	if (res)
		ld_parse_reservations(ld, res, NULL, NULL);
	{
		const struct pparams *levels[1] = {&ld->global};
		ld_resolve(ld, levels, 1, L_GLOBAL, &cfg->global);
	}
	/* Networks first: their subnets inherit from them. */
	if (nets && ld_want_type(ld, nets, TJSON_ARRAY, "a list"))
		for (const struct tjson *o = nets->child; o; o = o->next)
			ld_parse_shared_network(ld, o);
	if (subnets)
		ld_parse_subnet_list(ld, subnets, -1);
	cfg->networks = ld->networks;
	cfg->n_networks = ld->n_networks;
	ld_finish_subnets(ld);
	ld_finish_classes(ld);
	ld_finish_hooks(ld);
}

/* Kea 2.2 wants exactly {"Dhcp4": {...}} (kea-dhcp4) or {"Dhcp6": {...}}
 * (kea-dhcp6): ternd serves the family its file holds, one per process, and
 * refuses a file with both (it would not say which one to serve). Other
 * top-level keys are refused by name, unknown ones warned about. Kea's
 * grammar is checked over the whole tree first; the readers only run on a
 * tree that passed, as Kea reads its file in that order. */
static void parse_root(struct loader *ld, const struct tjson *root)
{
	const struct tjson *dhcp4 = NULL, *dhcp6 = NULL;

	if (root->type != TJSON_OBJECT) {
		ld_error_at(ld, root->pos,
			    "the configuration must be a map with \"Dhcp4\" "
			    "or \"Dhcp6\"");
		return;
	}
	ld_check_kea(ld, root);
	for (const struct tjson *m = root->child; m; m = m->next) {
		if (strcmp(m->key, "Dhcp4") == 0)
			dhcp4 = m;
		else if (strcmp(m->key, "Dhcp6") == 0)
			dhcp6 = m;
		else
			ld_other_key(ld, m, LD_TOP_LEVEL);
	}
	if (dhcp4 && dhcp6)
		ld_error_at(ld, dhcp6->kpos,
			    "a file with both \"Dhcp4\" and \"Dhcp6\": "
			    "ternd serves one family per process, as Kea; "
			    "give each its own file");
	else if (!dhcp4 && !dhcp6)
		ld_error_at(ld, root->pos,
			    "no \"Dhcp4\" or \"Dhcp6\" map in the "
			    "configuration");
	if (ld->errors)
		return;
	if (dhcp6)
		ld_parse_dhcp6(ld, dhcp6);
	else
		parse_dhcp4(ld, dhcp4);
}

static int config_new(struct ternd_config **ret)
{
	struct ternd_config *cfg = calloc(1, sizeof(*cfg));

	if (!cfg)
		return -ENOMEM;
	cfg->arena = ternd_arena_new(CONFIG_ARENA_LIMIT);
	if (!cfg->arena) {
		free(cfg);
		return -ENOMEM;
	}
	cfg->socket_type = TERND_SOCKET_RAW;
	cfg->socket_retry_wait_ms = 5000; /* Kea's default */
	cfg->store_type = TERND_STORE_SQLITE;
	cfg->mesh.block_pow = cfg->mesh.spare_leases = -1;
	cfg->mesh.tentative = cfg->mesh.block_timeout = cfg->mesh.needless = -1;
	cfg->mesh.learning = -1;
	cfg->store_path = TERND_DEFAULT_STORE_PATH;
	cfg->store_persist = true;
	ld_params_defaults(&cfg->global);
	cfg->decline_probation_period = TERND_DEFAULT_DECLINE;
	/* Kea's default host-reservation-identifiers. */
	cfg->host_ids[0] = TERND_ID_HW_ADDRESS;
	cfg->host_ids[1] = TERND_ID_DUID;
	cfg->host_ids[2] = TERND_ID_CIRCUIT_ID;
	cfg->host_ids[3] = TERND_ID_CLIENT_ID;
	cfg->n_host_ids = 4;
	cfg->echo_client_id = true;
	cfg->ip_reservations_unique = true;
	cfg->log_severity = TERND_LOG_INFO;
	*ret = cfg;
	return 0;
}

/* File order reads best (included files where they are included); the
 * loader finds problems in its own order. Insertion sort: stable, and there
 * are at most TERND_DIAG_MAX. */
static void sort_diags(struct ternd_diags *d)
{
	for (size_t i = 1; d && i < d->n; i++) {
		struct ternd_diag x = d->v[i];
		size_t j = i;

		while (j > 0 && d->v[j - 1].off > x.off) {
			d->v[j] = d->v[j - 1];
			j--;
		}
		d->v[j] = x;
	}
}

/* An extra comma, while the JSON is read: a warning, as Kea gives. */
static void json_warning(void *arg, const struct tjson_doc *doc,
			 struct tjson_pos pos, const char *msg)
{
	struct loader *ld = arg;

	ld->doc = doc;
	ld_warn_at(ld, pos, "%s", msg);
}

/* One tjson_kea.arg serves the warnings and the reads. */
static int read_include(void *arg, const char *name, size_t max,
			char **ret_text, size_t *ret_len)
{
	const struct loader *ld = arg;

	return ld->in->read_include(ld->in->arg, name, max, ret_text, ret_len);
}

/* A JSON error: the document is gone, the error names its file. */
static void json_error(struct loader *ld, const struct tjson_error *e)
{
	struct ternd_diag *d;
	size_t n = ld->diags ? ld->diags->n : 0;

	ld->doc = NULL;
	ld_error_at(ld, e->pos, "%s", e->msg);
	if (!e->file[0] || !ld->diags || ld->diags->n == n)
		return;
	d = &ld->diags->v[ld->diags->n - 1];
	snprintf(d->file, sizeof(d->file), "%.255s", e->file);
	snprintf(d->from, sizeof(d->from), "%.255s", e->from);
}

int ternd_config_load_input(const char *buf, size_t len,
			    const struct ternd_config_input *in,
			    struct ternd_config **ret_cfg,
			    struct ternd_diags *diags)
{
	struct loader ld = {0};
	struct tjson_doc *doc = NULL;
	struct tjson_error jerr;
	struct tjson_limits lim = {TERND_MAX_INPUT, TJSON_DEFAULT_MAX_DEPTH,
				   TJSON_DEFAULT_MAX_NODES,
				   TJSON_DEFAULT_MAX_STRING};
	struct tjson_kea kea = {.warn = json_warning};
	struct ternd_config *cfg = NULL;
	int rc;

	if (!ret_cfg || (!buf && len))
		return -EINVAL;
	ld.diags = diags;
	kea.arg = &ld;
	if (in) {
		kea.name = in->name;
		ld.in = in;
		if (in->read_include)
			kea.read = read_include;
	}
	rc = tjson_parse_kea(buf, len, &lim, &kea, &doc, &jerr);
	if (rc < 0) {
		json_error(&ld, &jerr);
		goto out;
	}
	ld.doc = doc;
	if ((rc = config_new(&cfg)) < 0)
		goto out;
	ld.cfg = cfg;
	ld.a = cfg->arena;
	ld.tmp = ternd_arena_new(CONFIG_ARENA_LIMIT);
	if (!ld.tmp) {
		rc = -ENOMEM;
		goto out;
	}
	parse_root(&ld, doc->root);
	if (ld.oom) {
		rc = -ENOMEM;
		goto out;
	}
	if (ld.errors) {
		rc = -EBADMSG;
		goto out;
	}
	*ret_cfg = cfg;
	cfg = NULL;
	rc = 0;
out:
	sort_diags(diags);
	ternd_arena_free(ld.tmp);
	ternd_config_free(cfg);
	tjson_doc_free(doc);
	return rc;
}

int ternd_config_load_tree(const struct tjson *root,
			   struct ternd_config **ret_cfg,
			   struct ternd_diags *diags)
{
	struct loader ld = {0};
	struct ternd_config *cfg = NULL;
	int rc;

	if (!root || !ret_cfg)
		return -EINVAL;
	ld.diags = diags;
	if ((rc = config_new(&cfg)) < 0)
		return rc;
	ld.cfg = cfg;
	ld.a = cfg->arena;
	if (!(ld.tmp = ternd_arena_new(CONFIG_ARENA_LIMIT))) {
		rc = -ENOMEM;
		goto out;
	}
	parse_root(&ld, root);
	rc = ld.oom ? -ENOMEM : ld.errors ? -EBADMSG : 0;
	if (rc == 0) {
		*ret_cfg = cfg;
		cfg = NULL;
	}
out:
	sort_diags(diags);
	ternd_arena_free(ld.tmp);
	ternd_config_free(cfg);
	return rc;
}

int ternd_config_load_buf(const char *buf, size_t len,
			  struct ternd_config **ret_cfg,
			  struct ternd_diags *diags)
{
	return ternd_config_load_input(buf, len, NULL, ret_cfg, diags);
}

int ternd_config_load_file(const char *path, struct ternd_config **ret_cfg,
			   struct ternd_diags *diags)
{
	struct stat st;
	char *buf = NULL;
	size_t got = 0;
	int fd = -1, rc;

	if (!path || !ret_cfg)
		return -EINVAL;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &st) < 0) {
		rc = -errno;
		goto fail;
	}
	if (!S_ISREG(st.st_mode)) {
		rc = -EINVAL;
		goto fail;
	}
	if ((uint64_t)st.st_size > TERND_MAX_INPUT) {
		rc = -E2BIG;
		goto fail;
	}
	if (!(buf = malloc((size_t)st.st_size + 1))) {
		rc = -ENOMEM;
		goto fail;
	}
	while (got < (size_t)st.st_size) {
		ssize_t r = read(fd, buf + got, (size_t)st.st_size - got);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			rc = -errno;
			goto fail;
		}
		if (r == 0)
			break;
		got += (size_t)r;
	}
	{
		const struct ternd_config_input in = {.name = path};

		rc = ternd_config_load_input(buf, got, &in, ret_cfg, diags);
	}
	goto out;
fail:
	if (diags && diags->n < TERND_DIAG_MAX) {
		struct ternd_diag *d = &diags->v[diags->n++];

		d->level = TERND_DIAG_ERROR;
		d->line = d->col = 0;
		snprintf(d->msg, sizeof(d->msg), "cannot read: %s",
			 rc == -E2BIG	 ? "file too large"
			 : rc == -EINVAL ? "not a regular file"
					 : strerror(-rc));
		diags->errors++;
	}
out:
	free(buf);
	if (fd >= 0)
		close(fd);
	return rc;
}
