/* tern-mgr: the TR-181 data model (Device.DHCPv4/DHCPv6.Client.{i}). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "handlers.h"
#include "manager.h"
#include "model.h"
#include "util.h"

#define SUPPORTED_V6 "17,23,24,31,56,64,94,95"

struct emit {
	const char *path;
	size_t plen;
	bool subtree;
	mgr_kv_fn fn;
	void *ctx;
	int count;
	bool bound; /* false: lease_put blanks DNSServers */
	char prefix[128];
};

static void put(struct emit *e, const char *name, const char *val)
{
	char full[256];

	snprintf(full, sizeof(full), "%s%s", e->prefix, name);
	if (e->subtree ? strncmp(full, e->path, e->plen)
		       : strcmp(full, e->path))
		return;
	if (e->fn)
		e->fn(e->ctx, full, val ? val : "");
	e->count++;
}

static void putu(struct emit *e, const char *name, unsigned long long v)
{
	char b[24];

	snprintf(b, sizeof(b), "%llu", v);
	put(e, name, b);
}

static void putb(struct emit *e, const char *name, bool v)
{
	put(e, name, v ? "true" : "false");
}

/* Adapter: lease key/values under the client's prefix. */
static void lease_put(void *arg, const char *key, const char *val)
{
	struct emit *e = arg;

	put(e, key, !e->bound && !strcmp(key, "DNSServers") ? "" : val);
}

/* A client's prefix may not match at all: skip its work. */
static bool prefix_may_match(const struct emit *e)
{
	size_t n = strlen(e->prefix);

	if (!e->subtree)
		return !strncmp(e->path, e->prefix, n);
	return !strncmp(e->path, e->prefix, e->plen < n ? e->plen : n);
}

/* The received value of option tag, from the raw option area, as hex. */
static void received(const struct mgr_client *c, unsigned tag, char *out,
		     size_t cap)
{
	const uint8_t *area, *data;
	size_t off = 0, len;
	uint16_t code, dlen;

	out[0] = '\0';
	if (!c->have_lease)
		return;
	area = c->version == 4 ? c->lease.data.v4.tlv : c->lease.data.v6.tlv;
	len = c->version == 4 ? c->lease.data.v4.tlv_len
			      : c->lease.data.v6.tlv_len;
	while (tern_lease_tlv_next(area, len, &off, &code, &data, &dlen) == 1)
		if (code == tag) {
			mgr_hex_encode(data, dlen, out, cap);
			return;
		}
}

static void sent_table(struct emit *e, const struct mgr_client_cfg *cc)
{
	char name[64];

	putu(e, "SentOptionNumberOfEntries", cc->n_sent);
	for (unsigned k = 0; k < cc->n_sent; k++) {
		snprintf(name, sizeof(name), "SentOption.%u.Enable", k + 1);
		putb(e, name, cc->sent[k].enable);
		snprintf(name, sizeof(name), "SentOption.%u.Alias", k + 1);
		put(e, name, cc->sent[k].alias);
		snprintf(name, sizeof(name), "SentOption.%u.Tag", k + 1);
		putu(e, name, cc->sent[k].tag);
		snprintf(name, sizeof(name), "SentOption.%u.Value", k + 1);
		put(e, name, cc->sent[k].value);
	}
}

static void common(struct emit *e, struct mgr *m, const struct mgr_client *c,
		   const struct mgr_client_cfg *cc)
{
	putb(e, "Enable", cc->enable);
	put(e, "Alias", cc->alias);
	put(e, "Interface", cc->ifname);
	put(e, "Status", mgr_status_name(c->status));
	putb(e, "Renew", false);
	putb(e, "X_RDK_Restart", false);
	putb(e, "X_RDK_Release", false);
	putu(e, "X_TERN_Pid", c->pid > 0 ? (unsigned long long)c->pid : 0);
	putu(e, "X_TERN_Starts", c->starts);
	putu(e, "X_TERN_Failures", c->failures);
	(void)m;
}

static void client4(struct emit *e, struct mgr *m, struct mgr_client *c,
		    int64_t now)
{
	const struct mgr_client_cfg *cc = mgr_cfg_of(m, c);
	char name[64], val[MGR_OPTVAL_LEN];

	common(e, m, c, cc);
	put(e, "DHCPStatus", mgr_dhcp_status_name(c->dhcp_status));
	if (c->have_lease) {
		/* Keys of the lease (IPAddress, DNSServers, ...); DNSServers
		 * only while Bound, as TR-181 says. */
		e->bound = c->dhcp_status == MGR_DS_BOUND;
		mgr_lease_kv(c, now, lease_put, e);
		e->bound = true;
	} else {
		/* Cleared, not stale: an expired lease leaves nothing. */
		static const char *const empty[] = {"IPAddress", "SubnetMask",
						    "IPRouters", "DNSServers",
						    "DHCPServer"};

		for (size_t i = 0; i < sizeof(empty) / sizeof(*empty); i++)
			put(e, empty[i], "");
		put(e, "LeaseTimeRemaining", "0");
	}
	putu(e, "X_TERN_NakCount", c->naks);
	put(e, "X_TERN_LastNak", c->last_nak);
	sent_table(e, cc);
	putu(e, "ReqOptionNumberOfEntries", cc->n_req);
	for (unsigned k = 0; k < cc->n_req; k++) {
		snprintf(name, sizeof(name), "ReqOption.%u.Enable", k + 1);
		putb(e, name, cc->req[k].enable);
		snprintf(name, sizeof(name), "ReqOption.%u.Order", k + 1);
		putu(e, name, cc->req[k].order);
		snprintf(name, sizeof(name), "ReqOption.%u.Alias", k + 1);
		put(e, name, cc->req[k].alias);
		snprintf(name, sizeof(name), "ReqOption.%u.Tag", k + 1);
		putu(e, name, cc->req[k].tag);
		snprintf(name, sizeof(name), "ReqOption.%u.Value", k + 1);
		received(c, cc->req[k].tag, val, sizeof(val));
		put(e, name, val);
	}
}

static void client6(struct emit *e, struct mgr *m, struct mgr_client *c,
		    int64_t now)
{
	const struct mgr_client_cfg *cc = mgr_cfg_of(m, c);
	const struct tern_lease_v6 *l = &c->lease.data.v6;
	char name[64], val[TERN_LEASE_TLV_LEN * 2 + 1];
	unsigned n = 0;

	common(e, m, c, cc);
	put(e, "DHCPStatus", mgr_dhcp_status_name(c->dhcp_status));
	put(e, "DUID", c->duid);
	putb(e, "RequestAddresses", cc->request_addresses);
	putb(e, "RequestPrefixes", cc->request_prefixes);
	putb(e, "RapidCommit", cc->rapid_commit);
	snprintf(val, sizeof(val), "%d", cc->suggested_t1);
	put(e, "SuggestedT1", val);
	snprintf(val, sizeof(val), "%d", cc->suggested_t2);
	put(e, "SuggestedT2", val);
	put(e, "SupportedOptions", SUPPORTED_V6);
	put(e, "RequestedOptions", cc->requested_options);
	sent_table(e, cc);
	putu(e, "ServerNumberOfEntries", c->have_lease ? 1 : 0);
	if (c->have_lease) {
		put(e, "Server.1.SourceAddress", l->server_addr);
		put(e, "Server.1.DUID", "");
		put(e, "Server.1.InformationRefreshTime", "");
		mgr_lease_kv(c, now, lease_put, e);
	} else {
		mgr_mapt_kv(c, lease_put, e);
	}
	/* ReceivedOption: every raw option the plugin forwarded. */
	if (c->have_lease) {
		const uint8_t *data;
		size_t off = 0;
		uint16_t code, dlen;

		while (tern_lease_tlv_next(l->tlv, l->tlv_len, &off, &code,
					   &data, &dlen) == 1) {
			n++;
			snprintf(name, sizeof(name), "ReceivedOption.%u.Tag",
				 n);
			putu(e, name, code);
			snprintf(name, sizeof(name), "ReceivedOption.%u.Value",
				 n);
			mgr_hex_encode(data, dlen, val, sizeof(val));
			put(e, name, val);
			snprintf(name, sizeof(name), "ReceivedOption.%u.Server",
				 n);
			put(e, name, "Device.DHCPv6.Client.Server.1");
		}
	}
	putu(e, "ReceivedOptionNumberOfEntries", n);
}

int mgr_model_get(struct mgr *m, const char *path, int64_t now, mgr_kv_fn fn,
		  void *ctx)
{
	struct emit e = {
		.path = path ? path : "", .fn = fn, .ctx = ctx, .bound = true};
	char val[32];

	e.plen = strlen(e.path);
	e.subtree = e.plen == 0 || e.path[e.plen - 1] == '.';
	for (int v = 4; v <= 6; v += 2) {
		unsigned n = v == 4 ? m->cfg.n4 : m->cfg.n6;

		snprintf(e.prefix, sizeof(e.prefix), "Device.DHCPv%d.", v);
		snprintf(val, sizeof(val), "%u", n);
		put(&e, "ClientNumberOfEntries", val);
		for (unsigned i = 0; i < n; i++) {
			snprintf(e.prefix, sizeof(e.prefix),
				 "Device.DHCPv%d.Client.%u.", v, i + 1);
			if (!prefix_may_match(&e))
				continue;
			if (v == 4)
				client4(&e, m, &m->c4[i], now);
			else
				client6(&e, m, &m->c6[i], now);
		}
	}
	snprintf(e.prefix, sizeof(e.prefix), "Device.X_TERN_Manager.");
	putu(&e, "LeasesReceived", m->cnt.received);
	putu(&e, "LeasesAccepted", m->cnt.accepted);
	putu(&e, "DroppedRecvError", m->cnt.recv_errors);
	putu(&e, "DroppedBadSize", m->cnt.bad_size);
	putu(&e, "DroppedInvalid", m->cnt.invalid);
	putu(&e, "DroppedUnmanaged", m->cnt.unmanaged);
	putu(&e, "DroppedDisabled", m->cnt.disabled);
	putu(&e, "DroppedQueueFull", m->cnt.queue_full);
	putu(&e, "LeasesSuperseded", m->cnt.superseded);
	putu(&e, "HooksDropped", m->cnt.hooks_dropped);
	return e.count ? e.count : -ENOENT;
}

/* --- set ----------------------------------------------------------- */

static int seterr(char *err, size_t len, int r, const char *msg)
{
	if (err && len)
		snprintf(err, len, "%s", msg);
	return r;
}

/* Parse "Device.DHCPvV.Client.I.REST" into version, index and REST. */
static int split(const char *path, int *v, unsigned *idx, const char **rest)
{
	const char *p;
	char *end;
	unsigned long i;

	if (!strncmp(path, "Device.DHCPv4.Client.", 21))
		*v = 4;
	else if (!strncmp(path, "Device.DHCPv6.Client.", 21))
		*v = 6;
	else
		return -ENOENT;
	p = path + 21;
	i = strtoul(p, &end, 10);
	if (end == p || *end != '.' || i < 1 || i > MGR_MAX_CLIENTS)
		return -ENOENT;
	*idx = (unsigned)i;
	*rest = end + 1;
	return 0;
}

static int set_bool(const char *value, bool *dst, char *err, size_t len)
{
	if (mgr_parse_bool(value, dst) < 0)
		return seterr(err, len, -EINVAL, "not a boolean");
	return 0;
}

/* A table entry "Name.K.Field": returns K-1 and Field, or -ENOENT. */
static int entry(const char *rest, const char *table, unsigned n,
		 const char **field)
{
	size_t tl = strlen(table);
	unsigned long k;
	char *end;

	if (strncmp(rest, table, tl) || rest[tl] != '.')
		return -ENOENT;
	k = strtoul(rest + tl + 1, &end, 10);
	if (*end != '.' || k < 1 || k > n)
		return -ENOENT;
	*field = end + 1;
	return (int)k - 1;
}

static int set_sent(struct mgr_sent_opt *s, const char *field,
		    const char *value, int version, char *err, size_t len)
{
	long v;

	if (!strcmp(field, "Enable"))
		return set_bool(value, &s->enable, err, len);
	if (!strcmp(field, "Alias"))
		return mgr_strlcpy(s->alias, value, sizeof(s->alias)) < 0
			       ? seterr(err, len, -EINVAL, "too long")
			       : 0;
	if (!strcmp(field, "Tag")) {
		if (mgr_parse_long(value, 1, version == 4 ? 254 : 65535, &v))
			return seterr(err, len, -EINVAL, "bad tag");
		s->tag = (uint16_t)v;
		return 0;
	}
	if (!strcmp(field, "Value"))
		return mgr_strlcpy(s->value, value, sizeof(s->value)) < 0
			       ? seterr(err, len, -EINVAL, "too long")
			       : 0;
	return -ENOENT;
}

static int set_req(struct mgr_req_opt *r, const char *field, const char *value,
		   char *err, size_t len)
{
	long v;

	if (!strcmp(field, "Enable"))
		return set_bool(value, &r->enable, err, len);
	if (!strcmp(field, "Alias"))
		return mgr_strlcpy(r->alias, value, sizeof(r->alias)) < 0
			       ? seterr(err, len, -EINVAL, "too long")
			       : 0;
	if (!strcmp(field, "Tag")) {
		if (mgr_parse_long(value, 1, 254, &v))
			return seterr(err, len, -EINVAL, "bad tag");
		r->tag = (uint8_t)v;
		return 0;
	}
	if (!strcmp(field, "Order")) {
		if (mgr_parse_long(value, 0, 65535, &v))
			return seterr(err, len, -EINVAL, "bad order");
		r->order = (uint32_t)v;
		return 0;
	}
	if (!strcmp(field, "Value"))
		return -EACCES;
	return -ENOENT;
}

/* Apply a configuration parameter to cc; *restart if the client must
 * restart to use it. */
static int set_cfg(struct mgr *m, struct mgr_client_cfg *cc, int version,
		   const char *rest, const char *value, bool *restart,
		   char *err, size_t len)
{
	const char *field;
	long v;
	int k;

	*restart = true;
	if (!strcmp(rest, "Alias")) {
		*restart = false;
		return mgr_strlcpy(cc->alias, value, sizeof(cc->alias)) < 0
			       ? seterr(err, len, -EINVAL, "too long")
			       : 0;
	}
	if (!strcmp(rest, "Interface")) {
		struct mgr_client *other = mgr_find_client(m, version, value);

		if (other && mgr_cfg_of(m, other) != cc)
			return seterr(err, len, -EINVAL,
				      "another client uses that interface");
		if (mgr_strlcpy(cc->ifname, value, sizeof(cc->ifname)) < 0)
			return seterr(err, len, -EINVAL, "too long");
		return 0;
	}
	k = entry(rest, "SentOption", cc->n_sent, &field);
	if (k >= 0)
		return set_sent(&cc->sent[k], field, value, version, err, len);
	if (version == 4) {
		k = entry(rest, "ReqOption", cc->n_req, &field);
		if (k >= 0)
			return set_req(&cc->req[k], field, value, err, len);
		return -ENOENT;
	}
	if (!strcmp(rest, "RequestAddresses"))
		return set_bool(value, &cc->request_addresses, err, len);
	if (!strcmp(rest, "RequestPrefixes"))
		return set_bool(value, &cc->request_prefixes, err, len);
	if (!strcmp(rest, "RapidCommit"))
		return set_bool(value, &cc->rapid_commit, err, len);
	if (!strcmp(rest, "SuggestedT1") || !strcmp(rest, "SuggestedT2")) {
		if (mgr_parse_long(value, -1, INT32_MAX, &v))
			return seterr(err, len, -EINVAL, "not -1..2^31-1");
		if (rest[10] == '1')
			cc->suggested_t1 = (int32_t)v;
		else
			cc->suggested_t2 = (int32_t)v;
		return 0;
	}
	if (!strcmp(rest, "RequestedOptions"))
		return mgr_strlcpy(cc->requested_options, value,
				   sizeof(cc->requested_options)) < 0
			       ? seterr(err, len, -EINVAL, "too long")
			       : 0;
	return -ENOENT;
}

static int set_action(struct mgr *m, struct mgr_client *c,
		      struct mgr_client_cfg *cc, const char *rest,
		      const char *value, char *err, size_t len)
{
	bool b;
	int r;

	r = set_bool(value, &b, err, len);
	if (r < 0)
		return r;
	if (!strcmp(rest, "Enable")) {
		if (b == cc->enable)
			return 0;
		cc->enable = b;
		c->status = b ? MGR_ST_ENABLED : MGR_ST_DISABLED;
		mgr_request(m, c, b ? MGR_ACT_START : MGR_ACT_STOP);
		r = mgr_config_save(&m->cfg);
		return r < 0 ? seterr(err, len, r, "cannot save configuration")
			     : 0;
	}
	/* Writing false to an action parameter does nothing (TR-181). */
	if (!b)
		return 0;
	if (!cc->enable)
		return seterr(err, len, -EPERM, "client is disabled");
	if (!strcmp(rest, "Renew"))
		mgr_request(m, c, MGR_ACT_RENEW);
	else if (!strcmp(rest, "X_RDK_Restart"))
		mgr_request(m, c, MGR_ACT_RESTART);
	else
		mgr_request(m, c, MGR_ACT_RELEASE);
	return 0;
}

int mgr_model_set(struct mgr *m, const char *path, const char *value, char *err,
		  size_t errlen)
{
	struct mgr_client_cfg copy, *cc;
	struct mgr_client *c;
	const char *rest;
	unsigned idx;
	bool restart;
	int v, r;

	if (err && errlen)
		err[0] = '\0';
	r = split(path, &v, &idx, &rest);
	if (r < 0)
		return r;
	c = mgr_client_at(m, v, idx);
	if (!c)
		return -ENOENT;
	cc = mgr_cfg_of(m, c);
	if (!strcmp(rest, "Enable") || !strcmp(rest, "Renew") ||
	    !strcmp(rest, "X_RDK_Restart") || !strcmp(rest, "X_RDK_Release"))
		return set_action(m, c, cc, rest, value, err, errlen);
	copy = *cc;
	r = set_cfg(m, &copy, v, rest, value, &restart, err, errlen);
	if (r == -ENOENT) {
		/* Known read-only names answer EACCES, unknown ENOENT. */
		if (mgr_model_get(m, path, 0, NULL, NULL) > 0)
			return -EACCES;
		return r;
	}
	if (r < 0)
		return r;
	r = mgr_client_cfg_check(&copy, v, err, errlen);
	if (r < 0)
		return r;
	*cc = copy;
	r = mgr_config_save(&m->cfg);
	if (r < 0)
		return seterr(err, errlen, r, "cannot save configuration");
	if (restart && cc->enable)
		mgr_request(m, c, MGR_ACT_RESTART);
	return 0;
}
