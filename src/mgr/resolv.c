/* tern-mgr: resolv.conf writing for standalone routers (ResolvConf). */
#include <stdio.h>
#include <string.h>

#include "handlers.h"
#include "log.h"
#include "util.h"

#define RESOLV_MAX 4096

/* Append "nameserver X" for each word of a space-separated list. */
static void add_servers(char *buf, size_t cap, size_t *len, const char *list)
{
	char copy[TERN_LEASE_LIST_LEN];
	char *save = NULL;

	mgr_strlcpy(copy, list, sizeof(copy));
	for (char *w = strtok_r(copy, " ,", &save); w;
	     w = strtok_r(NULL, " ,", &save)) {
		int n = snprintf(buf + *len, cap - *len, "nameserver %s\n", w);

		if (n < 0 || (size_t)n >= cap - *len)
			return;
		*len += (size_t)n;
	}
}

int mgr_resolv_write(struct mgr *m)
{
	char buf[RESOLV_MAX];
	size_t len = 0;
	int r;

	len = (size_t)snprintf(buf, sizeof(buf), "# written by tern-mgr\n");
	for (unsigned i = 0; i < m->cfg.n4; i++) {
		const struct tern_lease_v4 *l = &m->c4[i].lease.data.v4;

		if (!m->c4[i].have_lease)
			continue;
		if (l->dns_servers[0]) {
			add_servers(buf, sizeof(buf), &len, l->dns_servers);
		} else {
			add_servers(buf, sizeof(buf), &len, l->dns_server);
			add_servers(buf, sizeof(buf), &len, l->dns_server1);
		}
	}
	for (unsigned i = 0; i < m->cfg.n6; i++)
		if (m->c6[i].have_lease)
			add_servers(buf, sizeof(buf), &len,
				    m->c6[i].lease.data.v6.dns_servers);
	r = mgr_write_atomic(m->cfg.resolv_path, buf, len, 0644);
	if (r < 0)
		mgr_log(LOG_ERR, "%s: %s", m->cfg.resolv_path, strerror(-r));
	return r;
}
