/* tern-mgr: the recovery handler (versioned per-client state files). */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "clients.h"
#include "handlers.h"
#include "log.h"
#include "proc.h"
#include "recovery.h"
#include "util.h"

#define STATE_MAGIC "tern-mgr-state"
#define STATE_MAX   MGR_STATE_MAX

int mgr_state_path(const struct mgr_config *cfg, int version,
		   const char *ifname, char *out, size_t cap)
{
	int n = snprintf(out, cap, "%s/v%d-%s.state", cfg->state_dir, version,
			 ifname);

	return n < 0 || (size_t)n >= cap ? -ENAMETOOLONG : 0;
}

int mgr_state_format(const struct mgr_saved *s, char *buf, size_t cap)
{
	int n, k;

	n = snprintf(buf, cap,
		     "%s %d\nfamily %d\nifname %s\npid %d\nstarttime %llu\n"
		     "lease_start %" PRId64 "\nexpiry %" PRId64 "\n",
		     STATE_MAGIC, MGR_STATE_VERSION, s->version, s->ifname,
		     (int)s->pid, s->starttime, s->lease_start, s->expiry);
	if (n < 0 || (size_t)n >= cap)
		return -ENOBUFS;
	if (!s->have_lease)
		return n;
	if ((size_t)n + 7 + 2 * sizeof(s->lease) + 2 > cap)
		return -ENOBUFS;
	memcpy(buf + n, "lease ", 6);
	n += 6;
	k = mgr_hex_encode((const uint8_t *)&s->lease, sizeof(s->lease),
			   buf + n, cap - (size_t)n);
	if (k < 0)
		return k;
	n += k;
	buf[n++] = '\n';
	buf[n] = '\0';
	return n;
}

int mgr_state_parse(const char *text, struct mgr_saved *ret)
{
	struct mgr_saved s;
	const char *p = text;
	int fmt = 0, seen = 0;

	memset(&s, 0, sizeof(s));
	if (sscanf(p, STATE_MAGIC " %d", &fmt) != 1)
		return -EBADMSG;
	if (fmt != MGR_STATE_VERSION)
		return -EPROTO;
	while ((p = strchr(p, '\n')) && *++p) {
		char key[16];
		int used = 0;

		if (sscanf(p, "%15s %n", key, &used) != 1)
			return -EBADMSG;
		if (!strcmp(key, "family")) {
			if (sscanf(p + used, "%d", &s.version) != 1 ||
			    (s.version != 4 && s.version != 6))
				return -EBADMSG;
			seen |= 1;
		} else if (!strcmp(key, "ifname")) {
			size_t n = strcspn(p + used, "\n");

			if (n > TERN_LEASE_IFNAME_MAX)
				return -EBADMSG;
			memcpy(s.ifname, p + used, n);
			s.ifname[n] = '\0';
			if (!tern_lease_ifname_valid(s.ifname))
				return -EBADMSG;
			seen |= 2;
		} else if (!strcmp(key, "pid")) {
			int pid;

			if (sscanf(p + used, "%d", &pid) != 1 || pid < 0)
				return -EBADMSG;
			s.pid = pid;
		} else if (!strcmp(key, "starttime")) {
			if (sscanf(p + used, "%llu", &s.starttime) != 1)
				return -EBADMSG;
		} else if (!strcmp(key, "lease_start")) {
			if (sscanf(p + used, "%" SCNd64, &s.lease_start) != 1)
				return -EBADMSG;
		} else if (!strcmp(key, "expiry")) {
			if (sscanf(p + used, "%" SCNd64, &s.expiry) != 1)
				return -EBADMSG;
		} else if (!strcmp(key, "lease")) {
			char hex[2 * sizeof(s.lease) + 1];
			size_t n = strcspn(p + used, "\n");

			if (n != 2 * sizeof(s.lease))
				return -EBADMSG;
			memcpy(hex, p + used, n);
			hex[n] = '\0';
			if (mgr_hex_decode(hex, (uint8_t *)&s.lease,
					   sizeof(s.lease)) !=
			    (int)sizeof(s.lease))
				return -EBADMSG;
			/* The same check as a message off the wire. */
			if (tern_lease_msg_validate(&s.lease, sizeof(s.lease)))
				return -EBADMSG;
			s.have_lease = true;
		}
		/* Unknown keys are skipped: newer minor additions. */
	}
	if (seen != 3 || (s.have_lease && ((int)s.lease.version != s.version ||
					   strcmp(s.lease.ifname, s.ifname))))
		return -EBADMSG;
	*ret = s;
	return 0;
}

unsigned long long mgr_proc_starttime(pid_t pid)
{
	char path[64], buf[1024], *p;
	unsigned long long st = 0;
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	/* comm may hold spaces and ')': fields restart after the last ')'. */
	p = strrchr(buf, ')');
	if (!p)
		return 0;
	p++;
	for (int field = 2; field < 22 && p; field++)
		p = strchr(p + 1, ' ');
	if (p)
		sscanf(p, " %llu", &st);
	return st;
}

int mgr_state_snapshot(const struct mgr *m, const struct mgr_client *c,
		       struct mgr_saved *s, char *path, size_t path_cap,
		       char *buf)
{
	const struct mgr_client_cfg *cc = mgr_cfg_of((struct mgr *)m, c);
	int r;

	r = mgr_state_path(&m->cfg, c->version, cc->ifname, path, path_cap);
	if (r < 0)
		return r;
	memset(s, 0, sizeof(*s));
	s->version = c->version;
	mgr_strlcpy(s->ifname, cc->ifname, sizeof(s->ifname));
	s->pid = c->pid > 0 ? c->pid : 0;
	s->starttime = s->pid ? mgr_proc_starttime(s->pid) : 0;
	s->have_lease = c->have_lease;
	if (c->have_lease)
		s->lease = c->lease;
	s->lease_start = c->lease_start;
	s->expiry = c->expiry;
	return mgr_state_format(s, buf, STATE_MAX);
}

int mgr_state_write(const char *path, const char *buf, size_t len)
{
	int r = mgr_write_atomic(path, buf, len, 0600);

	if (r < 0)
		mgr_log(LOG_ERR, "%s: cannot save state: %s", path,
			strerror(-r));
	return r;
}

int mgr_state_save(const struct mgr *m, const struct mgr_client *c)
{
	char path[MGR_PATH_LEN + 64];
	struct mgr_saved *s = calloc(1, sizeof(*s));
	char *buf = malloc(STATE_MAX);
	int r;

	if (!s || !buf) {
		r = -ENOMEM;
		mgr_log(LOG_ERR, "cannot save state: %s", strerror(-r));
		goto out;
	}
	r = mgr_state_snapshot(m, c, s, path, sizeof(path), buf);
	if (r < 0) {
		mgr_log(LOG_ERR, "DHCPv%d %s: cannot save state: %s",
			c->version, mgr_cfg_of((struct mgr *)m, c)->ifname,
			strerror(-r));
		goto out;
	}
	r = mgr_state_write(path, buf, (size_t)r);
out:
	free(buf);
	free(s);
	return r;
}

int mgr_state_load(const struct mgr_config *cfg, int version,
		   const char *ifname, struct mgr_saved *ret)
{
	char path[MGR_PATH_LEN + 64], *text = NULL;
	ssize_t n;
	int r;

	r = mgr_state_path(cfg, version, ifname, path, sizeof(path));
	if (r < 0)
		return r;
	n = mgr_read_file(path, STATE_MAX, &text);
	if (n < 0)
		return (int)n;
	r = mgr_state_parse(text, ret);
	free(text);
	if (r == 0 && (ret->version != version || strcmp(ret->ifname, ifname)))
		r = -EBADMSG;
	return r;
}

void mgr_state_remove(const struct mgr_config *cfg, int version,
		      const char *ifname)
{
	char path[MGR_PATH_LEN + 64];

	if (mgr_state_path(cfg, version, ifname, path, sizeof(path)) == 0)
		unlink(path);
}

int mgr_recover_client(struct mgr *m, struct mgr_client *c, int64_t now,
		       enum mgr_event *ret_ev)
{
	const struct mgr_client_cfg *cc = mgr_cfg_of(m, c);
	struct mgr_saved *s = calloc(1, sizeof(*s));
	bool alive = false;
	int r;

	*ret_ev = MGR_EV_NONE;
	if (!s)
		return -ENOMEM;
	r = mgr_state_load(&m->cfg, c->version, cc->ifname, s);
	if (r == -ENOENT) {
		r = 0; /* first start: nothing to restore */
		goto out;
	}
	if (r < 0) {
		mgr_log(LOG_WARNING, "%s: DHCPv%d state file ignored: %s",
			cc->ifname, c->version, strerror(-r));
		goto out;
	}
	/* The same pid, start time and command line: our client still. */
	if (s->pid > 0 && s->starttime &&
	    mgr_proc_starttime(s->pid) == s->starttime) {
		char word[64];

		snprintf(word, sizeof(word), "%s%s",
			 c->version == 6 ? "dibbler-" : "", cc->ifname);
		alive = mgr_proc_matches(
			s->pid, c->version == 4 ? "udhcpc" : "dibbler", word);
	}
	if (s->have_lease) {
		c->have_lease = true;
		c->lease = s->lease;
		c->lease_start = s->lease_start;
		c->expiry = s->expiry;
		c->dhcp_status = MGR_DS_BOUND;
		if (c->version == 6)
			mgr_mapt_update(c);
		*ret_ev = mgr_lease_check_expiry(m, c, now);
		if (*ret_ev == MGR_EV_NONE)
			*ret_ev = MGR_EV_LEASE_UPDATE;
	}
	if (alive && cc->enable) {
		int fd = mgr_proc_pidfd(s->pid);

		if (fd >= 0) {
			c->pid = s->pid;
			c->pidfd = fd;
			c->adopted = true;
			r = 1;
			goto out;
		}
	} else if (alive) {
		/* Disabled while we were down: it must not keep running. */
		int fd = -1;

		mgr_proc_stop(s->pid, &fd, 3000);
	}
	r = 0;
out:
	free(s);
	return r;
}
