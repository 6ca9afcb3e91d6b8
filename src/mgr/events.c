/* tern-mgr: events for the WAN manager on a nanomsg NN_PUB socket. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <nanomsg/nn.h>
#include <nanomsg/pubsub.h>

#include "events.h"

struct mgr_events {
	int sock;
};

const char *mgr_event_name(enum mgr_event ev)
{
	switch (ev) {
	case MGR_EV_CLIENT_STARTED:
		return "CLIENT_STARTED";
	case MGR_EV_CLIENT_STOPPED:
		return "CLIENT_STOPPED";
	case MGR_EV_CLIENT_FAILED:
		return "CLIENT_FAILED";
	case MGR_EV_LEASE_UPDATE:
		return "LEASE_UPDATE";
	case MGR_EV_LEASE_DEL:
		return "LEASE_DEL";
	case MGR_EV_LEASE_RENEW:
		return "LEASE_RENEW";
	case MGR_EV_NONE:
		break;
	}
	return "NONE";
}

struct fmt_ctx {
	char *buf;
	size_t cap, len;
	bool overflow;
};

static void fmt_kv(void *arg, const char *key, const char *val)
{
	struct fmt_ctx *f = arg;
	int n;

	if (f->overflow)
		return;
	n = snprintf(f->buf + f->len, f->cap - f->len, "%s=%s\n", key, val);
	if (n < 0 || (size_t)n >= f->cap - f->len) {
		f->overflow = true;
		return;
	}
	f->len += (size_t)n;
}

int mgr_event_format(const struct mgr_client *c, const char *ifname,
		     enum mgr_event ev, int64_t now, char *buf, size_t cap)
{
	struct fmt_ctx f = {buf, cap, 0, false};
	int n;

	n = snprintf(buf, cap, "TERN-MGR/1 %s DHCPv%d %u %s\n",
		     mgr_event_name(ev), c->version, c->index, ifname);
	if (n < 0 || (size_t)n >= cap)
		return -ENOBUFS;
	f.len = (size_t)n;
	if (ev == MGR_EV_LEASE_UPDATE || ev == MGR_EV_LEASE_RENEW)
		mgr_lease_kv(c, now, fmt_kv, &f);
	if (f.overflow)
		return -ENOBUFS;
	return (int)f.len;
}

struct mgr_events *mgr_events_open(const char *addr)
{
	struct mgr_events *e = calloc(1, sizeof(*e));
	int err;

	if (!e)
		return NULL;
	e->sock = nn_socket(AF_SP, NN_PUB);
	if (e->sock < 0 || nn_bind(e->sock, addr) < 0) {
		err = nn_errno();
		mgr_events_close(e);
		errno = err;
		return NULL;
	}
	return e;
}

void mgr_events_close(struct mgr_events *e)
{
	if (!e)
		return;
	if (e->sock >= 0)
		nn_close(e->sock);
	free(e);
}

int mgr_events_send(struct mgr_events *e, const char *text, size_t len)
{
	if (!e)
		return 0;
	if (nn_send(e->sock, text, len, NN_DONTWAIT) < 0)
		return -nn_errno();
	return 0;
}
