/* tern-mgr: DHCP client command lines (udhcpc) and client.conf (dibbler). */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clients.h"
#include "config.h"
#include "util.h"

static int add(struct mgr_argv *a, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static int add(struct mgr_argv *a, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (a->argc >= MGR_ARGV_MAX)
		return -E2BIG;
	va_start(ap, fmt);
	n = vsnprintf(a->store + a->used, sizeof(a->store) - a->used, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(a->store) - a->used)
		return -E2BIG;
	a->argv[a->argc++] = a->store + a->used;
	a->argv[a->argc] = NULL;
	a->used += (size_t)n + 1;
	return 0;
}

int mgr_udhcpc_pidfile(const struct mgr_config *cfg, const char *ifname,
		       char *out, size_t cap)
{
	int n = snprintf(out, cap, "%s/udhcpc-%s.pid", cfg->state_dir, ifname);

	return n < 0 || (size_t)n >= cap ? -ENAMETOOLONG : 0;
}

int mgr_dibbler_workdir(const struct mgr_config *cfg, const char *ifname,
			char *out, size_t cap)
{
	int n = snprintf(out, cap, "%s/dibbler-%s", cfg->state_dir, ifname);

	return n < 0 || (size_t)n >= cap ? -ENAMETOOLONG : 0;
}

/* Enabled ReqOption entries ordered by Order (stable for equal ones). */
static unsigned req_order(const struct mgr_client_cfg *cc, unsigned *idx)
{
	unsigned n = 0;

	for (unsigned i = 0; i < cc->n_req; i++)
		if (cc->req[i].enable)
			idx[n++] = i;
	for (unsigned i = 1; i < n; i++)
		for (unsigned j = i;
		     j > 0 && cc->req[idx[j - 1]].order > cc->req[idx[j]].order;
		     j--) {
			unsigned t = idx[j];

			idx[j] = idx[j - 1];
			idx[j - 1] = t;
		}
	return n;
}

/* Option 60 as text for -V, if its bytes are printable. */
static bool vendor_text(const char *hex, char *out, size_t cap)
{
	uint8_t raw[256];
	int n = mgr_hex_decode(hex, raw, sizeof(raw));

	if (n <= 0 || (size_t)n >= cap)
		return false;
	for (int i = 0; i < n; i++) {
		if (!isprint(raw[i]))
			return false;
		out[i] = (char)raw[i];
	}
	out[n] = '\0';
	return true;
}

int mgr_udhcpc_argv(const struct mgr_config *cfg,
		    const struct mgr_client_cfg *cc, struct mgr_argv *ret)
{
	char pidfile[MGR_PATH_LEN + 64], vendor[256];
	unsigned idx[MGR_MAX_OPTS], n;
	int r;

	memset(ret, 0, sizeof(*ret));
	r = mgr_udhcpc_pidfile(cfg, cc->ifname, pidfile, sizeof(pidfile));
	if (r < 0)
		return r;
	if ((r = add(ret, "%s", cfg->udhcpc)) < 0 || (r = add(ret, "-i")) < 0 ||
	    (r = add(ret, "%s", cc->ifname)) < 0 || (r = add(ret, "-p")) < 0 ||
	    (r = add(ret, "%s", pidfile)) < 0 || (r = add(ret, "-s")) < 0 ||
	    (r = add(ret, "%s", cfg->plugin)) < 0)
		return r;
	n = req_order(cc, idx);
	for (unsigned i = 0; i < n; i++)
		if ((r = add(ret, "-O")) < 0 ||
		    (r = add(ret, "%u", cc->req[idx[i]].tag)) < 0)
			return r;
	for (unsigned i = 0; i < cc->n_sent; i++) {
		const struct mgr_sent_opt *s = &cc->sent[i];

		if (!s->enable)
			continue;
		if (s->tag == 60 &&
		    vendor_text(s->value, vendor, sizeof(vendor))) {
			if ((r = add(ret, "-V")) < 0 ||
			    (r = add(ret, "%s", vendor)) < 0)
				return r;
			continue;
		}
		if ((r = add(ret, "-x")) < 0 ||
		    (r = add(ret, "0x%02x:%s", s->tag, s->value)) < 0)
			return r;
	}
	/* Foreground (we supervise it) and release on exit. */
	if ((r = add(ret, "-f")) < 0 || (r = add(ret, "-R")) < 0)
		return r;
	return 0;
}

int mgr_dibbler_argv(const struct mgr_config *cfg,
		     const struct mgr_client_cfg *cc, struct mgr_argv *ret)
{
	char dir[MGR_PATH_LEN + 64];
	int r;

	memset(ret, 0, sizeof(*ret));
	r = mgr_dibbler_workdir(cfg, cc->ifname, dir, sizeof(dir));
	if (r < 0)
		return r;
	if ((r = add(ret, "%s", cfg->dibbler)) < 0 ||
	    (r = add(ret, "run")) < 0 || (r = add(ret, "-w")) < 0 ||
	    (r = add(ret, "%s", dir)) < 0)
		return r;
	return 0;
}

struct text {
	char *buf;
	size_t cap, len;
	bool overflow;
};

static void put(struct text *t, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void put(struct text *t, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (t->overflow)
		return;
	va_start(ap, fmt);
	n = vsnprintf(t->buf + t->len, t->cap - t->len, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= t->cap - t->len)
		t->overflow = true;
	else
		t->len += (size_t)n;
}

static void timers(struct text *t, const char *ia,
		   const struct mgr_client_cfg *cc)
{
	if (cc->suggested_t1 < 0 && cc->suggested_t2 < 0) {
		put(t, "  %s\n", ia);
		return;
	}
	put(t, "  %s {\n", ia);
	if (cc->suggested_t1 >= 0)
		put(t, "    t1 %d\n", cc->suggested_t1);
	if (cc->suggested_t2 >= 0)
		put(t, "    t2 %d\n", cc->suggested_t2);
	put(t, "  }\n");
}

int mgr_dibbler_conf(const struct mgr_config *cfg,
		     const struct mgr_client_cfg *cc, char *buf, size_t cap)
{
	struct text t = {buf, cap, 0, false};
	char dir[MGR_PATH_LEN + 64];
	uint16_t codes[64];
	int n;

	if (!cap)
		return -ENOBUFS;
	buf[0] = '\0';
	n = mgr_parse_optlist(cc->requested_options, codes, 64);
	if (n < 0)
		return n;
	put(&t, "# written by tern-mgr for %s; edits are overwritten\n",
	    cc->ifname);
	put(&t, "log-level 6\nlog-mode full\n");
	/* dibbler runs its script with a fresh environment: a wrapper in
	 * the work directory hands tern-plugin this manager's address. */
	if (mgr_dibbler_workdir(cfg, cc->ifname, dir, sizeof(dir)) < 0)
		return -ENAMETOOLONG;
	put(&t, "script \"%s/%s\"\n", dir, MGR_DIBBLER_WRAPPER);
	put(&t, "duid-type duid-ll\n");
	put(&t, "iface \"%s\" {\n", cc->ifname);
	if (cc->request_addresses)
		timers(&t, "ia", cc);
	if (cc->request_prefixes)
		timers(&t, "pd", cc);
	if (cc->rapid_commit)
		put(&t, "  rapid-commit 1\n");
	for (int i = 0; i < n; i++) {
		switch (codes[i]) {
		case 23:
			put(&t, "  option dns-server\n");
			break;
		case 24:
			put(&t, "  option domain\n");
			break;
		case 31:
			put(&t, "  option ntp-server\n");
			break;
		case 64:
			put(&t, "  option aftr\n");
			break;
		default:
			/* e.g. 95, MAP-T: dibbler hands it over as hex. */
			put(&t, "  option %04u hex\n", codes[i]);
			break;
		}
	}
	for (unsigned i = 0; i < cc->n_sent; i++)
		if (cc->sent[i].enable)
			put(&t, "  option %04u hex 0x%s\n", cc->sent[i].tag,
			    cc->sent[i].value);
	put(&t, "}\n");
	return t.overflow ? -ENOBUFS : (int)t.len;
}

int mgr_dibbler_wrapper(const struct mgr_config *cfg, char *buf, size_t cap)
{
	char found[MGR_PATH_LEN + 256];
	const char *plugin = cfg->plugin;
	int n;

	/* The wrapper runs without an environment, so without our PATH: a
	 * bare name is resolved here, as udhcpc resolves it for DHCPv4. */
	if (!strchr(plugin, '/') &&
	    mgr_find_exec(plugin, found, sizeof(found)) == 0)
		plugin = found;
	/* Single quotes cannot be escaped inside single quotes. */
	if (strchr(plugin, '\'') || strchr(cfg->lease_addr, '\''))
		return -EINVAL;
	n = snprintf(buf, cap,
		     "#!/bin/sh\n"
		     "# written by tern-mgr: dibbler-client clears the "
		     "environment of its script\n"
		     "exec '%s' -a '%s' \"$@\"\n",
		     plugin, cfg->lease_addr);
	return n < 0 || (size_t)n >= cap ? -ENOBUFS : n;
}
