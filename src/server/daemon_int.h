/* ternd's DHCPv4 daemon, inside: the state its two files share (daemon.c:
 * the loop and the packet path; daemon_start.c: start-up, the control
 * commands' callbacks, reconfiguration). Only those two include it. */
#ifndef TERND_DAEMON_INT_H
#define TERND_DAEMON_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <tern/dhcp4.h>

#include "server/control/cmds_builtin.h"
#include "server/control/cmds_lease.h"
#include "server/daemon.h"
#include "server/engine4/engine.h"
#include "server/net/io.h"

struct ternd_store_ops;
struct ternd_store;
struct ternd_committer;
struct ternd_mesh_node;
struct ternd_control;
struct ternd_ddns_sender;
struct ternd_hooks;
struct ternd_stats;
struct ternd_reload;
struct ternd_races;

#define RX_BATCH    64
#define CHANGES_MAX (RX_BATCH * 4)
#define REPLY_CAP   1500
#define HELD_SLOTS  4096 /* ACKs waiting for their commit */
/* Group-commit window: at most ~500 fsyncs/s, an ACK waits <= ~2 ms more. */
#define COMMIT_INTERVAL_US 2000
#define MAX_FDS		   64

/* An ACK built and waiting until its batch is durable. */
struct held {
	uint64_t ticket;
	struct ternd_tx tx;
	uint8_t buf[REPLY_CAP];
};

struct daemon {
	const struct ternd_config *cfg;
	struct ternd_engine *engine;
	const struct ternd_store_ops *ops;
	struct ternd_store *store;
	struct ternd_committer *committer;
	struct ternd_io *io;
	struct ternd_mesh_node *mesh;	/* NULL unless --mesh */
	struct ternd_control *ctl;	/* NULL without control-socket */
	struct ternd_builtin builtin;	/* its built-in commands' state */
	int exit_value;			/* shutdown's exit-value */
	struct ternd_ddns_sender *ddns; /* NULL unless dhcp-ddns enabled */
	bool ddns_blocked;		/* its socket is full: EPOLLOUT */
	struct ternd_hooks *hooks;	/* NULL without run_script, legal_log */
	struct ternd_stats *stats;	/* Kea's statistics, /metrics */
	struct ternd_lease_cmds lease_cmds; /* with lease_cmds configured */
	struct ternd_reload *reload; /* config-set, config-reload, SIGHUP */
	uint64_t durable; /* the committer's done, as flush_held last read it */
	int64_t started;
	int store_lock; /* flock on the store: one ternd per store */
	int ep, sfd, tfd;
	int io_fds[MAX_FDS];
	size_t n_io_fds;
	bool stop;
	bool store_failed;
	int exit_error;		   /* the store's, when on-fail says exit */
	struct ternd_races *races; /* shared lease database only */
	int64_t restore_now;
	int64_t next_expiry;

	struct held *held; /* ring of HELD_SLOTS */
	size_t held_head, held_count;

	struct ternd_rxpkt rx[RX_BATCH];
	struct tern_dhcp4_msg msg; /* the packet being handled, parsed */
	struct ternd_tx now_tx[RX_BATCH];
	uint8_t now_buf[RX_BATCH][REPLY_CAP];
	struct ternd_change changes[CHANGES_MAX];
	struct ternd_tx mesh_tx; /* replies to forwarded requests */
	uint8_t mesh_buf[REPLY_CAP];

	uint64_t held_dropped; /* ACKs dropped: ring full or store failed */
	uint64_t commit_refused;
};

int64_t daemon_wall_now(void);
int daemon_queue_ncr(void *ctx, const struct ternd_lease *l, bool remove);
void daemon_ddns_flush(struct daemon *d);
void daemon_ddns_submitted(struct daemon *d, bool ok, uint64_t ticket);
void daemon_run_expiry(struct daemon *d, int64_t now);
void daemon_rearm_expiry(struct daemon *d);
void daemon_flush_held(struct daemon *d);
int daemon_mesh_run(void *ctx, const struct ternd_rx *rx, uint32_t addr,
		    int verdict, bool send);
int daemon_start(struct daemon *d, const struct ternd_run_opts *o);

#endif
