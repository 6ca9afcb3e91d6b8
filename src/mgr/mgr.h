/* tern-mgr internals: the shared types (configuration, clients, manager). */
#ifndef TERN_MGR_H
#define TERN_MGR_H

#include <limits.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>
#include <time.h>

#include <tern/lease_ipc.h>
#include <tern/mapt.h>

/* Every table has a fixed bound so a configuration cannot grow memory. */
#define MGR_MAX_CLIENTS 16 /* per version */
#define MGR_MAX_OPTS	32 /* ReqOption / SentOption entries per client */
#define MGR_MAX_HOOKS	8
#define MGR_PATH_LEN	256
#define MGR_ALIAS_LEN	64
#define MGR_OPTVAL_LEN	512 /* hex text of one option value */
#define MGR_OPTLIST_LEN 256

#define MGR_DEFAULT_CONFIG  "/etc/tern/mgr.json"
#define MGR_DEFAULT_CTL	    "/run/tern/mgr.sock"
#define MGR_DEFAULT_EVENTS  "ipc:///run/tern/mgr-events"
#define MGR_DEFAULT_STATE   "/var/lib/tern/mgr"
#define MGR_DEFAULT_UDHCPC  "/usr/sbin/udhcpc"
#define MGR_DEFAULT_DIBBLER "/usr/sbin/dibbler-client"
/* The build passes INSTALL_PREFIX/sbin/tern-plugin (src/mgr/CMakeLists.txt). */
#ifndef MGR_DEFAULT_PLUGIN
#define MGR_DEFAULT_PLUGIN "/usr/sbin/tern-plugin"
#endif
#define MGR_DEFAULT_RESOLV "/etc/resolv.conf"

struct mgr_req_opt {
	uint8_t tag; /* 1..254 */
	bool enable;
	uint32_t order;
	char alias[MGR_ALIAS_LEN];
};

struct mgr_sent_opt {
	uint16_t tag; /* v4 1..254, v6 1..65535 */
	bool enable;
	char value[MGR_OPTVAL_LEN]; /* hex, even length */
	char alias[MGR_ALIAS_LEN];
};

/* One Device.DHCPv4.Client.{i} or Device.DHCPv6.Client.{i} entry. */
struct mgr_client_cfg {
	char alias[MGR_ALIAS_LEN];
	bool enable;
	char ifname[TERN_LEASE_IFNAME_MAX + 1];
	unsigned n_req;
	struct mgr_req_opt req[MGR_MAX_OPTS]; /* v4 only */
	unsigned n_sent;
	struct mgr_sent_opt sent[MGR_MAX_OPTS];
	/* v6 only */
	bool request_addresses;
	bool request_prefixes;
	bool rapid_commit;
	int32_t suggested_t1; /* seconds, -1 = not set */
	int32_t suggested_t2;
	char requested_options[MGR_OPTLIST_LEN]; /* "23,24,95" */
};

struct mgr_config {
	char path[MGR_PATH_LEN]; /* where it was read, "" = not persisted */
	char lease_addr[MGR_PATH_LEN];
	char event_addr[MGR_PATH_LEN];
	char ctl_path[108]; /* sun_path */
	char state_dir[MGR_PATH_LEN];
	char udhcpc[MGR_PATH_LEN];
	char dibbler[MGR_PATH_LEN];
	char plugin[MGR_PATH_LEN];
	char resolv_path[MGR_PATH_LEN];
	bool apply_routes;
	bool resolv_conf;
	unsigned hook_timeout; /* seconds */
	unsigned n_hooks;
	char hooks[MGR_MAX_HOOKS][MGR_PATH_LEN];
	unsigned n4, n6;
	struct mgr_client_cfg v4[MGR_MAX_CLIENTS];
	struct mgr_client_cfg v6[MGR_MAX_CLIENTS];
};

enum mgr_status {
	MGR_ST_DISABLED,
	MGR_ST_ENABLED,
	MGR_ST_MISCONFIGURED,
	MGR_ST_ERROR,
};

enum mgr_dhcp_status {
	MGR_DS_INIT,
	MGR_DS_SELECTING,
	MGR_DS_REQUESTING,
	MGR_DS_REBINDING,
	MGR_DS_BOUND,
	MGR_DS_RENEWING,
};

/* Actions the management thread asks of the controller (a bit set). */
enum mgr_action {
	MGR_ACT_START = 1u << 0,
	MGR_ACT_STOP = 1u << 1,
	MGR_ACT_RESTART = 1u << 2,
	MGR_ACT_RENEW = 1u << 3,
	MGR_ACT_RELEASE = 1u << 4,
};

/* Run-time state of one client; cfg points into mgr_config. */
struct mgr_client {
	int version;	/* 4 or 6 */
	unsigned index; /* 1-based, its TR-181 instance number */
	enum mgr_status status;
	enum mgr_dhcp_status dhcp_status;
	unsigned pending; /* enum mgr_action bits */
	/* process */
	pid_t pid;
	int pidfd;
	bool adopted; /* re-attached after a restart of tern-mgr */
	bool stopping;
	bool released;	       /* X_RDK_Release: stay stopped */
	bool waiting;	       /* for its link; logged once per wait */
	int64_t started_ms;    /* monotonic, when it was started */
	int64_t restart_at_ms; /* monotonic, 0 = none */
	unsigned backoff_ms;
	unsigned starts;
	unsigned failures;
	/* lease: the last accepted payload, kept whole */
	bool have_lease;
	struct tern_lease_msg lease;
	int64_t lease_start; /* realtime seconds */
	int64_t expiry;	     /* realtime seconds, 0 = none */
	bool save_pending;   /* state file behind: written after the batch */
	unsigned naks;
	char last_nak[TERN_LEASE_NAME_LEN];
	/* MAP-T (v6) */
	bool mapt_assigned;
	struct tern_mapt_result mapt;
	char duid[128]; /* hex, read from dibbler's work dir */
};

/* Counters of the lease monitor (read with the manager lock held). */
struct mgr_counters {
	uint64_t received;
	uint64_t accepted;
	uint64_t recv_errors;
	uint64_t bad_size;
	uint64_t invalid;
	uint64_t unmanaged;
	uint64_t disabled;
	uint64_t queue_full;
	uint64_t superseded; /* accepted, then replaced by a newer one */
	uint64_t hooks_dropped;
};

/* Network configuration, behind pointers so tests can record calls. */
struct mgr_net_ops {
	int (*addr4)(void *ctx, const char *ifname, const char *addr,
		     unsigned plen, const char *brd, bool add);
	int (*addr6)(void *ctx, const char *ifname, const char *addr,
		     unsigned plen, uint32_t pref, uint32_t valid, bool add);
	int (*mtu)(void *ctx, const char *ifname, unsigned mtu);
	int (*route4)(void *ctx, const char *ifname, const char *gw, bool add);
	void *ctx;
};

struct mgr_events;
struct mgr_queue;

/* The manager: one lock guards config, clients and counters. */
struct mgr {
	pthread_mutex_t lock;
	struct mgr_config cfg;
	struct mgr_client c4[MGR_MAX_CLIENTS];
	struct mgr_client c6[MGR_MAX_CLIENTS];
	struct mgr_counters cnt;
	const struct mgr_net_ops *net;
	struct mgr_events *events; /* may be NULL (tests) */
	struct mgr_queue *leases;  /* monitor -> controller */
	int ctl_wake;		   /* eventfd: actions for the controller */
	int64_t (*now)(void);	   /* realtime seconds; tests inject */
};

static inline struct mgr_client_cfg *mgr_cfg_of(struct mgr *m,
						const struct mgr_client *c)
{
	return c->version == 4 ? &m->cfg.v4[c->index - 1]
			       : &m->cfg.v6[c->index - 1];
}

#endif
