/* ternd statistics: Kea's DHCPv4 statistics (names, sample lists), the
 * statistic-* and stat-lease4-get commands, the Prometheus endpoint. */
#ifndef TERND_STATS_H
#define TERND_STATS_H

#include <stdint.h>

struct ternd_config;
struct ternd_control;
struct ternd_engine;
struct ternd_io;
struct ternd_stats;

/*
 * The statistics of an engine serving cfg (io may be NULL: nothing is
 * counted as sent). Counting costs the packet path only the engine's and
 * the sockets' own increments: the statistics read those counters when a
 * command or the once-a-second tick looks, and record a sample when a
 * value changed since (docs/control.md, "Statistics").
 *
 * With ctl, the statistic-* commands (and stat-lease4-get when the
 * configuration loads libdhcp_stat_cmds) are registered on it. With
 * cfg->metrics, the Prometheus endpoint's socket is bound now (before the
 * privilege drop) and its thread starts at the first tick, from the event
 * loop (after the drop). Returns 0 or -errno (a log line says why).
 */
int ternd_stats_start(const struct ternd_config *cfg,
		      const struct ternd_engine *engine,
		      const struct ternd_io *io, struct ternd_control *ctl,
		      struct ternd_stats **ret);
/*
 * The same for a Dhcp6 ternd: Kea 2.2's DHCPv6 names (pkt6-*, the
 * subnets' total-nas, assigned-nas, cumulative-assigned-nas, total-pds,
 * assigned-pds, cumulative-assigned-pds, declined and reclaimed counts,
 * v6-allocation-fail*) from engine6's and io6's counters; the statistic-*
 * commands (and stat-lease6-get with libdhcp_stat_cmds) on ctl; /metrics
 * with Stork's kea_dhcp6_* names when configured.
 */
struct ternd_engine6;
struct ternd_io6;
int ternd_stats_start6(const struct ternd_config *cfg,
		       const struct ternd_engine6 *engine,
		       const struct ternd_io6 *io, struct ternd_control *ctl,
		       struct ternd_stats **ret);
/*
 * A Dhcp6 ternd's reconfiguration (reload6.c), called while the old
 * engine6 is still alive: the global statistics go on, the subnet ones
 * start again from engine's. Returns 0, or -ENOMEM (only the global
 * statistics kept).
 */
int ternd_stats_reconfigure6(struct ternd_stats *s,
			     const struct ternd_config *cfg,
			     const struct ternd_engine6 *engine,
			     const struct ternd_io6 *io);
void ternd_stats_free(struct ternd_stats *s);

/* The tick's timerfd, for the event loop; on_fd reads it and samples. */
int ternd_stats_fd(const struct ternd_stats *s);
void ternd_stats_on_fd(struct ternd_stats *s);

/*
 * A swap is about to free the engine (reload.c's drain, no packet read
 * until the swap): what its subnets counted is kept for the reconfigure.
 */
void ternd_stats_before_swap(struct ternd_stats *s);

/*
 * A new configuration, engine and sockets took over (config-set,
 * config-reload, SIGHUP; after ternd_engine_carry and ternd_io_adopt):
 * the global statistics go on from their values, the subnet[ID].* ones
 * start again from the new engine's (Kea removes and recreates them);
 * statistic-default-sample-* of the new configuration apply to the
 * statistics made now. Returns 0, or -ENOMEM: then only the global
 * statistics are kept (never a pointer to what was replaced).
 */
int ternd_stats_reconfigure(struct ternd_stats *s,
			    const struct ternd_config *cfg,
			    const struct ternd_engine *engine,
			    const struct ternd_io *io);

#endif
