/* ternd DHCPv6 daemon: the control socket (Kea's built-in commands with
 * kea-dhcp6's keys and texts, the reconfiguration commands) and the
 * statistics behind it. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "common/json.h"
#include "common/log.h"
#include "server/control/cmds_lease6.h"
#include "server/control/cmds_builtin.h"
#include "server/control/control.h"
#include "server/daemon6_ctl.h"
#include "server/reload6.h"
#include "server/stats/stats.h"

struct ternd_d6ctl {
	struct ternd_control *ctl; /* NULL without control-socket */
	struct ternd_stats *stats;
	const struct ternd_engine6 *eng;
	struct ternd_d6ctl_ops ops;
	struct ternd_builtin b; /* its ctx is this */
};

static void ctl_shutdown(void *ctx, int exit_value)
{
	struct ternd_d6ctl *c = ctx;

	(void)exit_value;
	*c->ops.stop = true;
	tern_log(LOG_NOTICE, "shutdown requested on the control socket");
}

static void ctl_reclaim(void *ctx, bool remove)
{
	struct ternd_d6ctl *c = ctx;

	c->ops.reclaim(c->ops.ctx, remove);
}

static int ctl_config_test(void *ctx, const char *text, size_t len, char *err,
			   size_t cap)
{
	struct ternd_d6ctl *c = ctx;

	return ternd_reload6_test(c->ops.reload, text, len, err, cap);
}

static const struct tjson *ctl_config_tree(void *ctx)
{
	struct ternd_d6ctl *c = ctx;

	return ternd_reload6_source(c->ops.reload);
}

static int64_t ctl_config_time(void *ctx)
{
	struct ternd_d6ctl *c = ctx;

	return ternd_reload6_time(c->ops.reload);
}

int ternd_d6ctl_open(const struct ternd_config *cfg,
		     const struct ternd_engine6 *eng,
		     const struct ternd_io6 *io,
		     const struct ternd_d6ctl_ops *ops,
		     struct ternd_d6ctl **ret)
{
	struct ternd_d6ctl *c = calloc(1, sizeof(*c));
	int r = 0;

	if (!c)
		return -ENOMEM;
	c->eng = eng;
	c->ops = *ops;
	c->b = (struct ternd_builtin){
		.v6 = true,
		.config_path = ops->config_path,
		.started = (int64_t)time(NULL),
		.configured = (int64_t)time(NULL),
		.ctx = c,
		.shutdown = ctl_shutdown,
		.reclaim = ctl_reclaim,
		.config_test = ctl_config_test,
		.config_tree = ctl_config_tree,
		.config_time = ctl_config_time,
	};
	if (cfg->control_socket &&
	    ((r = ternd_control_new(&c->ctl)) < 0 ||
	     (r = ternd_builtin_register(&c->b, c->ctl)) < 0 ||
	     (r = ternd_reload6_register(ops->reload, c->ctl)) < 0))
		goto fail;
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

bool ternd_d6ctl_enabled(struct ternd_d6ctl *c, int64_t now_mono)
{
	return ternd_builtin_dhcp_enabled(&c->b, now_mono);
}

void ternd_d6ctl_swapped(struct ternd_d6ctl *c, const struct ternd_config *cfg,
			 const struct ternd_engine6 *eng,
			 const struct ternd_io6 *io)
{
	c->eng = eng;
	if (ternd_stats_reconfigure6(c->stats, cfg, eng, io) < 0)
		tern_log(LOG_WARNING, "statistics: no memory for the new "
				      "subnets' statistics");
}

void ternd_d6ctl_free(struct ternd_d6ctl *c)
{
	if (!c)
		return;
	ternd_control_free(c->ctl);
	ternd_stats_free(c->stats);
	ternd_builtin_free(&c->b);
	free(c);
}
