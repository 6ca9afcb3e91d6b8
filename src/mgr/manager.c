/* tern-mgr: the manager object (clients table, lookup, wake-ups). */
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "manager.h"
#include "util.h"

static void client_init(struct mgr_client *c, int version, unsigned index,
			const struct mgr_client_cfg *cc)
{
	memset(c, 0, sizeof(*c));
	c->version = version;
	c->index = index;
	c->pidfd = -1;
	c->status = cc->enable ? MGR_ST_ENABLED : MGR_ST_DISABLED;
	c->dhcp_status = MGR_DS_INIT;
}

void mgr_clients_reset(struct mgr *m)
{
	for (unsigned i = 0; i < m->cfg.n4; i++)
		client_init(&m->c4[i], 4, i + 1, &m->cfg.v4[i]);
	for (unsigned i = 0; i < m->cfg.n6; i++)
		client_init(&m->c6[i], 6, i + 1, &m->cfg.v6[i]);
}

int mgr_init(struct mgr *m)
{
	pthread_mutex_init(&m->lock, NULL);
	memset(&m->cnt, 0, sizeof(m->cnt));
	m->ctl_wake = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (m->ctl_wake < 0)
		return -errno;
	if (!m->now)
		m->now = mgr_realtime;
	mgr_clients_reset(m);
	return 0;
}

void mgr_fini(struct mgr *m)
{
	if (!m)
		return;
	if (m->ctl_wake >= 0)
		close(m->ctl_wake);
	m->ctl_wake = -1;
	pthread_mutex_destroy(&m->lock);
}

struct mgr_client *mgr_find_client(struct mgr *m, int version,
				   const char *ifname)
{
	unsigned n = version == 4 ? m->cfg.n4 : m->cfg.n6;
	struct mgr_client_cfg *tab = version == 4 ? m->cfg.v4 : m->cfg.v6;

	if (version != 4 && version != 6)
		return NULL;
	for (unsigned i = 0; i < n; i++)
		if (!strcmp(tab[i].ifname, ifname))
			return version == 4 ? &m->c4[i] : &m->c6[i];
	return NULL;
}

struct mgr_client *mgr_client_at(struct mgr *m, int version, unsigned index)
{
	if (version == 4 && index >= 1 && index <= m->cfg.n4)
		return &m->c4[index - 1];
	if (version == 6 && index >= 1 && index <= m->cfg.n6)
		return &m->c6[index - 1];
	return NULL;
}

void mgr_wake(struct mgr *m)
{
	uint64_t one = 1;

	if (m->ctl_wake >= 0 && write(m->ctl_wake, &one, sizeof(one)) < 0) {
		/* EAGAIN only: a wake-up is already pending. */
	}
}

void mgr_request(struct mgr *m, struct mgr_client *c, unsigned actions)
{
	c->pending |= actions;
	mgr_wake(m);
}

void mgr_client_clear_lease(struct mgr_client *c)
{
	c->have_lease = false;
	memset(&c->lease, 0, sizeof(c->lease));
	c->lease_start = 0;
	c->expiry = 0;
	c->mapt_assigned = false;
	memset(&c->mapt, 0, sizeof(c->mapt));
	c->dhcp_status = MGR_DS_INIT;
}

const char *mgr_status_name(enum mgr_status s)
{
	switch (s) {
	case MGR_ST_DISABLED:
		return "Disabled";
	case MGR_ST_ENABLED:
		return "Enabled";
	case MGR_ST_MISCONFIGURED:
		return "Error_Misconfigured";
	case MGR_ST_ERROR:
		break;
	}
	return "Error";
}

const char *mgr_dhcp_status_name(enum mgr_dhcp_status s)
{
	static const char *const names[] = {"Init",	  "Selecting",
					    "Requesting", "Rebinding",
					    "Bound",	  "Renewing"};

	return (unsigned)s < 6 ? names[s] : "Init";
}
