/* ternd DHCPv6 daemon: the control socket's own commands (status-get,
 * version-get, config-get, shutdown) and the statistics behind it. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "common/json.h"
#include "common/log.h"
#include "server/control/cmds_lease6.h"
#include "server/control/control.h"
#include "server/daemon6_ctl.h"
#include "server/stats/stats.h"

#ifndef TERN_VERSION
#define TERN_VERSION "unknown"
#endif

struct ternd_d6ctl {
	struct ternd_control *ctl; /* NULL without control-socket */
	struct ternd_stats *stats;
	const struct ternd_engine6 *eng;
	struct tjson_doc *source; /* the file's tree, for config-get */
	bool *stop;
	int64_t started;
};

static int ctl_status(void *ctx, const struct tjson *args,
		      struct tjson_doc *out, struct tjson **ret_args,
		      char *text, size_t text_len)
{
	struct ternd_d6ctl *c = ctx;
	const struct ternd_engine6_stats *s = ternd_engine6_stats(c->eng);
	struct tjson *o = tjson_new_object(out);
	int64_t up = (int64_t)time(NULL) - c->started;

	(void)args;
	tjson_add_int(out, o, "pid", getpid());
	tjson_add_int(out, o, "uptime", up);
	/* Kea: seconds since the last (re)configuration. */
	tjson_add_int(out, o, "reload", up);
	tjson_add_int(out, o, "addresses-assigned", (int64_t)s->na_assigned);
	tjson_add_int(out, o, "prefixes-assigned", (int64_t)s->pd_assigned);
	tjson_add_int(out, o, "bindings", (int64_t)ternd_engine6_count(c->eng));
	*ret_args = o;
	snprintf(text, text_len, "ternd serving DHCPv6");
	return TERND_CTL_SUCCESS;
}

/* Kea: the version as text, the extended one in arguments. */
static int ctl_version(void *ctx, const struct tjson *args,
		       struct tjson_doc *out, struct tjson **ret_args,
		       char *text, size_t text_len)
{
	struct tjson *o = tjson_new_object(out);

	(void)ctx;
	(void)args;
	tjson_add_str(out, o, "extended", "ternd " TERN_VERSION " (DHCPv6)");
	*ret_args = o;
	snprintf(text, text_len, "%s", TERN_VERSION);
	return TERND_CTL_SUCCESS;
}

static int ctl_config_get(void *ctx, const struct tjson *args,
			  struct tjson_doc *out, struct tjson **ret_args,
			  char *text, size_t text_len)
{
	struct ternd_d6ctl *c = ctx;

	(void)args;
	if (!c->source) {
		snprintf(text, text_len,
			 "the configuration file could not "
			 "be read again");
		return TERND_CTL_ERROR;
	}
	*ret_args = tjson_copy(out, c->source->root);
	snprintf(text, text_len, "Configuration returned.");
	return TERND_CTL_SUCCESS;
}

/* Kea's shutdown: answered, then the loop ends (leases flushed). */
static int ctl_shutdown(void *ctx, const struct tjson *args,
			struct tjson_doc *out, struct tjson **ret_args,
			char *text, size_t text_len)
{
	struct ternd_d6ctl *c = ctx;

	(void)args;
	(void)out;
	(void)ret_args;
	*c->stop = true;
	tern_log(LOG_NOTICE, "shutdown requested on the control socket");
	snprintf(text, text_len, "Shutting down.");
	return TERND_CTL_SUCCESS;
}

static struct tjson_doc *read_source(const char *path)
{
	struct tjson_doc *doc = NULL;
	char *text = NULL;
	size_t len = 0;

	if (!path ||
	    tjson_read_file(NULL, path, TERND_MAX_INPUT, &text, &len) < 0)
		return NULL;
	if (tjson_parse_kea(text, len, NULL, NULL, &doc, NULL) < 0)
		doc = NULL;
	free(text);
	return doc;
}

int ternd_d6ctl_open(const struct ternd_config *cfg,
		     const struct ternd_engine6 *eng,
		     const struct ternd_io6 *io, const char *config_path,
		     bool *stop, struct ternd_d6ctl **ret)
{
	struct ternd_d6ctl *c = calloc(1, sizeof(*c));
	int r = 0;

	if (!c)
		return -ENOMEM;
	c->eng = eng;
	c->stop = stop;
	c->started = (int64_t)time(NULL);
	if (cfg->control_socket) {
		c->source = read_source(config_path);
		if ((r = ternd_control_new(&c->ctl)) < 0 ||
		    (r = ternd_control_add(c->ctl, "status-get", ctl_status,
					   c)) < 0 ||
		    (r = ternd_control_add(c->ctl, "version-get", ctl_version,
					   c)) < 0 ||
		    (r = ternd_control_add(c->ctl, "config-get", ctl_config_get,
					   c)) < 0 ||
		    (r = ternd_control_add(c->ctl, "shutdown", ctl_shutdown,
					   c)) < 0)
			goto fail;
	}
	if ((r = ternd_stats_start6(cfg, eng, io, c->ctl, &c->stats)) < 0)
		goto fail;
	if (c->ctl &&
	    (r = ternd_control_listen(c->ctl, cfg->control_socket)) < 0) {
		tern_log(LOG_ERR, "cannot open the control socket %s: %s",
			 cfg->control_socket, strerror(-r));
		goto fail;
	}
	*ret = c;
	return 0;
fail:
	ternd_d6ctl_free(c);
	return r;
}

int ternd_d6ctl_lease_cmds(struct ternd_d6ctl *c, struct ternd_lease6_cmds *lc)
{
	if (!c->ctl || !lc->cfg->hooks.lease_cmds)
		return 0;
	return ternd_lease6_cmds_register(c->ctl, lc);
}

int ternd_d6ctl_fds(const struct ternd_d6ctl *c, int *out)
{
	int n = 0;

	out[n++] = ternd_stats_fd(c->stats);
	if (c->ctl)
		out[n++] = ternd_control_fd(c->ctl);
	return n;
}

bool ternd_d6ctl_on_fd(struct ternd_d6ctl *c, int fd)
{
	if (fd == ternd_stats_fd(c->stats)) {
		ternd_stats_on_fd(c->stats);
		return true;
	}
	if (c->ctl && fd == ternd_control_fd(c->ctl)) {
		ternd_control_on_fd(c->ctl);
		return true;
	}
	return false;
}

void ternd_d6ctl_free(struct ternd_d6ctl *c)
{
	if (!c)
		return;
	ternd_control_free(c->ctl);
	ternd_stats_free(c->stats);
	tjson_doc_free(c->source);
	free(c);
}
