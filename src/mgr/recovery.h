/* tern-mgr internals: the recovery handler (per-client state files). */
#ifndef TERN_MGR_RECOVERY_H
#define TERN_MGR_RECOVERY_H

#include <stddef.h>
#include <stdint.h>

#include "events.h"
#include "mgr.h"

#define MGR_STATE_VERSION 1

/* What a state file holds (docs/mgr-state.md). */
struct mgr_saved {
	int version; /* DHCP version, 4 or 6 */
	char ifname[TERN_LEASE_IFNAME_MAX + 1];
	pid_t pid;		      /* 0 = no client was running */
	unsigned long long starttime; /* /proc/PID/stat field 22 */
	bool have_lease;
	struct tern_lease_msg lease;
	int64_t lease_start;
	int64_t expiry;
};

/* StateDir/v4-IF.state or v6-IF.state */
int mgr_state_path(const struct mgr_config *cfg, int version,
		   const char *ifname, char *out, size_t cap);

/* Text of a state file. Returns its length or -ENOBUFS. */
int mgr_state_format(const struct mgr_saved *s, char *buf, size_t cap);
/* Parse one; -EPROTO for another format version, -EBADMSG if broken. */
int mgr_state_parse(const char *text, struct mgr_saved *ret);

/* c's state, written atomically (temp + fsync + rename). Lock held. */
int mgr_state_save(const struct mgr *m, const struct mgr_client *c);

/* The two halves of mgr_state_save, so the slow one runs unlocked. */
#define MGR_STATE_MAX (2 * TERN_LEASE_MSG_SIZE + 1024)
/* Lock held: c's file name and text (buf of MGR_STATE_MAX), scratch for
 * the record. Returns the text's length or -errno. */
int mgr_state_snapshot(const struct mgr *m, const struct mgr_client *c,
		       struct mgr_saved *scratch, char *path, size_t path_cap,
		       char *buf);
/* No lock needed: write it (temp + fsync + rename + directory fsync). */
int mgr_state_write(const char *path, const char *buf, size_t len);
int mgr_state_load(const struct mgr_config *cfg, int version,
		   const char *ifname, struct mgr_saved *ret);
void mgr_state_remove(const struct mgr_config *cfg, int version,
		      const char *ifname);

/* The kernel's start time of pid (0 if it does not exist). */
unsigned long long mgr_proc_starttime(pid_t pid);

/*
 * After a restart of tern-mgr: restore c from its state file. A client
 * that still runs is re-adopted (c->pid, c->pidfd, c->adopted); a lease
 * whose lifetime ran out is expired (*ret_ev = MGR_EV_LEASE_DEL), one
 * still valid is restored. Returns 1 if the client was adopted, 0 if it
 * must be started, -errno on a broken file (then ignored).
 */
int mgr_recover_client(struct mgr *m, struct mgr_client *c, int64_t now,
		       enum mgr_event *ret_ev);

#endif
