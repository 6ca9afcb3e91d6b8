/* ternd hooks internals, for the files of hooks/ only: a query as the hook
 * libraries read it, the script environment, the process runner and the
 * forensic log. */
#ifndef TERND_HOOKS_INTERNAL_H
#define TERND_HOOKS_INTERNAL_H

#include <net/if.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "server/hooks/hooks.h"

/* What the libraries read of a query, copied: the receive buffer is
 * reused long before the leases are durable. Addresses in host order. */
struct hk_query {
	uint8_t type; /* option 53; DHCPREQUEST for a BOOTP request */
	uint8_t op, htype, hlen, hops;
	uint8_t chaddr[16];
	uint32_t xid;
	uint16_t secs, flags;
	uint32_t ciaddr, siaddr, yiaddr, giaddr;
	uint32_t local_addr, remote_addr;
	uint16_t local_port, remote_port;
	int ifindex;
	char ifname[IF_NAMESIZE];
	bool has_rai;
	uint8_t rai_len;
	uint8_t rai[255]; /* option 82's value */
	bool has_cid;
	uint8_t cid_len;
	uint8_t cid[255]; /* option 61's value */
};

/* query.c */
void hk_query_from(struct hk_query *q, const struct ternd_rx *rx,
		   const struct tern_dhcp4_msg *m, uint16_t local_port);
/* Option 82's sub-option code: its value and length, or -1 (absent). */
int hk_rai_sub(const struct hk_query *q, uint8_t code, const uint8_t **ret);

/* script_env.c: Kea's run_script environment */
#define HK_ENV_MAX 96	/* variables */
#define HK_ENV_BUF 6144 /* bytes of "NAME=value\0" */
const char *hk_point_name(uint8_t point);
/*
 * The variables libdhcp_run_script.so 2.2 gives the script for one event,
 * in its order, as "NAME=value" strings in buf, pointed to by envp
 * (NULL-ended). q is the query (NULL for expiry events). Returns the
 * number of variables, -ENOBUFS.
 */
int hk_script_env(const struct ternd_config *cfg, const struct hk_query *q,
		  const struct ternd_hook_event *ev, char *buf, size_t cap,
		  char **envp, size_t max);

/* run_script.c: a bounded runner of child processes */
struct hk_runner;
struct hk_runner_stats {
	uint64_t run, failed, killed, dropped;
};
int hk_runner_new(unsigned max_children, unsigned max_queue,
		  unsigned timeout_ms, struct hk_runner **ret);
void hk_runner_free(struct hk_runner *r);
/* Run path with argv (argv[0] first) and exactly envp, now or when a slot
 * frees. Both are copied. Returns 0, -ENOBUFS (queue full: dropped). */
int hk_runner_spawn(struct hk_runner *r, const char *path,
		    const char *const *argv, const char *const *envp);
int hk_runner_fd(const struct hk_runner *r);
void hk_runner_on_fd(struct hk_runner *r);
void hk_runner_stats(const struct hk_runner *r, struct hk_runner_stats *ret);
unsigned hk_runner_running(const struct hk_runner *r);

/* legal_log.c: Kea's forensic log (text file backend) */
struct hk_legal;
int hk_legal_new(const struct ternd_config_hooks *c, struct hk_runner *runner,
		 const struct timespec *now, struct hk_legal **ret);
void hk_legal_free(struct hk_legal *l);
/* The v4 entry of a lease: assigned (release false) or released. */
int hk_legal_entry(const struct hk_query *q, const struct ternd_hook_lease *l,
		   bool release, char *out, size_t cap);
/* Write text with its time stamp, rotating first when its time came. */
int hk_legal_write(struct hk_legal *l, const char *text,
		   const struct timespec *now);
/* The file in use (for tests and the log). */
const char *hk_legal_file(const struct hk_legal *l);
/* strftime with Kea's %Q (milliseconds.microseconds). */
size_t hk_legal_timestamp(const char *fmt, const struct timespec *t, char *out,
			  size_t cap);

#endif
