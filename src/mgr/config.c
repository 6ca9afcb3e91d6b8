/* tern-mgr: the JSON configuration file (TR-181 shaped), read and persisted. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/json.h"
#include "config.h"
#include "util.h"

#define CONFIG_MAX_BYTES (1024 * 1024)

/* A small file with short strings: these bound a hostile one. */
static const struct tjson_limits config_limits = {CONFIG_MAX_BYTES, 16,
						  1u << 16, 4096};

void mgr_config_defaults(struct mgr_config *c)
{
	memset(c, 0, sizeof(*c));
	mgr_strlcpy(c->lease_addr, TERN_LEASE_DEFAULT_ADDR,
		    sizeof(c->lease_addr));
	mgr_strlcpy(c->event_addr, MGR_DEFAULT_EVENTS, sizeof(c->event_addr));
	mgr_strlcpy(c->ctl_path, MGR_DEFAULT_CTL, sizeof(c->ctl_path));
	mgr_strlcpy(c->state_dir, MGR_DEFAULT_STATE, sizeof(c->state_dir));
	mgr_strlcpy(c->udhcpc, MGR_DEFAULT_UDHCPC, sizeof(c->udhcpc));
	mgr_strlcpy(c->dibbler, MGR_DEFAULT_DIBBLER, sizeof(c->dibbler));
	mgr_strlcpy(c->plugin, MGR_DEFAULT_PLUGIN, sizeof(c->plugin));
	mgr_strlcpy(c->resolv_path, MGR_DEFAULT_RESOLV, sizeof(c->resolv_path));
	c->hook_timeout = 10;
}

struct perr {
	char *buf;
	size_t len;
};

static int fail(struct perr *e, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static int fail(struct perr *e, const char *fmt, ...)
{
	va_list ap;

	if (e->buf && e->len) {
		va_start(ap, fmt);
		vsnprintf(e->buf, e->len, fmt, ap);
		va_end(ap);
	}
	return -EINVAL;
}

/* A reason about a place in the text: "LINE:COL: ...". */
static int fail_at(struct perr *e, struct tjson_pos pos, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int fail_at(struct perr *e, struct tjson_pos pos, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (e->buf && e->len) {
		n = snprintf(e->buf, e->len, "%u:%u: ", pos.line, pos.col);
		if (n >= 0 && (size_t)n < e->len) {
			va_start(ap, fmt);
			vsnprintf(e->buf + n, e->len - (size_t)n, fmt, ap);
			va_end(ap);
		}
	}
	return -EINVAL;
}

static int get_str(struct perr *e, const struct tjson *v, const char *key,
		   char *dst, size_t cap)
{
	if (v->type != TJSON_STRING)
		return fail_at(e, v->pos, "%s: not a string", key);
	if (mgr_strlcpy(dst, v->s, cap) < 0)
		return fail_at(e, v->pos, "%s: longer than %zu", key, cap - 1);
	return 0;
}

static int get_bool(struct perr *e, const struct tjson *v, const char *key,
		    bool *dst)
{
	if (v->type != TJSON_BOOL)
		return fail_at(e, v->pos, "%s: not a boolean", key);
	*dst = v->b;
	return 0;
}

static int get_int(struct perr *e, const struct tjson *v, const char *key,
		   int64_t lo, int64_t hi, int64_t *dst)
{
	if (v->type != TJSON_NUMBER || !v->is_int)
		return fail_at(e, v->pos, "%s: not an integer", key);
	if (v->i < lo || v->i > hi)
		return fail_at(e, v->pos, "%s: out of range %lld..%lld", key,
			       (long long)lo, (long long)hi);
	*dst = v->i;
	return 0;
}

int mgr_parse_optlist(const char *s, uint16_t *codes, size_t cap)
{
	size_t n = 0;

	while (*s) {
		char *end;
		long v;

		errno = 0;
		v = strtol(s, &end, 10);
		if (end == s || errno || v < 1 || v > 65535)
			return -EINVAL;
		if (n == cap)
			return -E2BIG;
		codes[n++] = (uint16_t)v;
		s = end;
		if (*s == ',')
			s++;
		else if (*s)
			return -EINVAL;
	}
	return (int)n;
}

int mgr_client_cfg_check(const struct mgr_client_cfg *cc, int version,
			 char *err, size_t errlen)
{
	struct perr e = {err, errlen};
	uint16_t codes[64];

	if (cc->ifname[0] && !tern_lease_ifname_valid(cc->ifname))
		return fail(&e, "Interface: not a valid interface name");
	/* Saved as JSON, which holds text: other bytes would not reload. */
	if (!tjson_utf8_valid(cc->alias, strlen(cc->alias)))
		return fail(&e, "Alias: not UTF-8 text");
	for (unsigned i = 0; i < cc->n_req; i++)
		if (!tjson_utf8_valid(cc->req[i].alias,
				      strlen(cc->req[i].alias)))
			return fail(&e, "ReqOption.%u.Alias: not UTF-8 text",
				    i + 1);
	for (unsigned i = 0; i < cc->n_sent; i++)
		if (!tjson_utf8_valid(cc->sent[i].alias,
				      strlen(cc->sent[i].alias)))
			return fail(&e, "SentOption.%u.Alias: not UTF-8 text",
				    i + 1);
	for (unsigned i = 0; i < cc->n_req; i++)
		if (cc->req[i].tag < 1 || cc->req[i].tag > 254)
			return fail(&e, "ReqOption.%u.Tag: not 1..254", i + 1);
	for (unsigned i = 0; i < cc->n_sent; i++) {
		const struct mgr_sent_opt *s = &cc->sent[i];

		if (s->tag < 1 || (version == 4 && s->tag > 254))
			return fail(&e, "SentOption.%u.Tag: out of range",
				    i + 1);
		if (!mgr_hex_valid(s->value) ||
		    (version == 4 && strlen(s->value) > 2 * 255))
			return fail(&e, "SentOption.%u.Value: not hex", i + 1);
	}
	if (version == 6) {
		if (mgr_parse_optlist(cc->requested_options, codes, 64) < 0)
			return fail(&e, "RequestedOptions: not a list of "
					"option codes");
		if (cc->suggested_t1 >= 0 && cc->suggested_t2 >= 0 &&
		    cc->suggested_t2 < cc->suggested_t1)
			return fail(&e, "SuggestedT2 is below SuggestedT1");
	}
	return 0;
}

static int parse_req(struct perr *e, const struct tjson *arr,
		     struct mgr_client_cfg *cc)
{
	const struct tjson *o;
	size_t i = 0;

	if (arr->type != TJSON_ARRAY)
		return fail_at(e, arr->pos, "ReqOption: not an array");
	if (arr->n > MGR_MAX_OPTS)
		return fail_at(e, arr->pos, "ReqOption: more than %d",
			       MGR_MAX_OPTS);
	for (o = arr->child; o; o = o->next, i++) {
		struct mgr_req_opt *r = &cc->req[i];
		int64_t v;
		int rc = 0;

		if (o->type != TJSON_OBJECT)
			return fail_at(e, o->pos,
				       "ReqOption.%zu: not an object", i + 1);
		r->enable = true;
		r->order = (uint32_t)i + 1;
		for (const struct tjson *m = o->child; m; m = m->next) {
			if (!strcmp(m->key, "Tag")) {
				rc = get_int(e, m, "ReqOption.Tag", 1, 254, &v);
				r->tag = (uint8_t)v;
			} else if (!strcmp(m->key, "Enable")) {
				rc = get_bool(e, m, "ReqOption.Enable",
					      &r->enable);
			} else if (!strcmp(m->key, "Order")) {
				rc = get_int(e, m, "ReqOption.Order", 0, 65535,
					     &v);
				r->order = (uint32_t)v;
			} else if (!strcmp(m->key, "Alias")) {
				rc = get_str(e, m, "ReqOption.Alias", r->alias,
					     sizeof(r->alias));
			} else {
				rc = fail_at(e, m->kpos,
					     "ReqOption: unknown key %s",
					     m->key);
			}
			if (rc < 0)
				return rc;
		}
		if (!r->tag)
			return fail_at(e, o->pos, "ReqOption.%zu: Tag missing",
				       i + 1);
	}
	cc->n_req = (unsigned)i;
	return 0;
}

static int parse_sent(struct perr *e, const struct tjson *arr,
		      struct mgr_client_cfg *cc, int version)
{
	const struct tjson *o;
	size_t i = 0;

	if (arr->type != TJSON_ARRAY)
		return fail_at(e, arr->pos, "SentOption: not an array");
	if (arr->n > MGR_MAX_OPTS)
		return fail_at(e, arr->pos, "SentOption: more than %d",
			       MGR_MAX_OPTS);
	for (o = arr->child; o; o = o->next, i++) {
		struct mgr_sent_opt *s = &cc->sent[i];
		int64_t v;
		int rc = 0;

		if (o->type != TJSON_OBJECT)
			return fail_at(e, o->pos,
				       "SentOption.%zu: not an object", i + 1);
		s->enable = true;
		for (const struct tjson *m = o->child; m; m = m->next) {
			if (!strcmp(m->key, "Tag")) {
				rc = get_int(e, m, "SentOption.Tag", 1,
					     version == 4 ? 254 : 65535, &v);
				s->tag = (uint16_t)v;
			} else if (!strcmp(m->key, "Enable")) {
				rc = get_bool(e, m, "SentOption.Enable",
					      &s->enable);
			} else if (!strcmp(m->key, "Value")) {
				rc = get_str(e, m, "SentOption.Value", s->value,
					     sizeof(s->value));
			} else if (!strcmp(m->key, "Alias")) {
				rc = get_str(e, m, "SentOption.Alias", s->alias,
					     sizeof(s->alias));
			} else {
				rc = fail_at(e, m->kpos,
					     "SentOption: unknown key %s",
					     m->key);
			}
			if (rc < 0)
				return rc;
		}
		if (!s->tag)
			return fail_at(e, o->pos, "SentOption.%zu: Tag missing",
				       i + 1);
	}
	cc->n_sent = (unsigned)i;
	return 0;
}

static int parse_client(struct perr *e, const struct tjson *o,
			struct mgr_client_cfg *cc, int version)
{
	char why[200];
	int64_t v;
	int rc = 0;

	if (o->type != TJSON_OBJECT)
		return fail_at(e, o->pos, "Client: not an object");
	cc->enable = true;
	cc->request_addresses = true;
	cc->request_prefixes = true;
	cc->suggested_t1 = -1;
	cc->suggested_t2 = -1;
	for (const struct tjson *m = o->child; m; m = m->next) {
		const char *key = m->key;

		if (!strcmp(key, "Alias"))
			rc = get_str(e, m, key, cc->alias, sizeof(cc->alias));
		else if (!strcmp(key, "Enable"))
			rc = get_bool(e, m, key, &cc->enable);
		else if (!strcmp(key, "Interface"))
			rc = get_str(e, m, key, cc->ifname, sizeof(cc->ifname));
		else if (!strcmp(key, "SentOption"))
			rc = parse_sent(e, m, cc, version);
		else if (version == 4 && !strcmp(key, "ReqOption"))
			rc = parse_req(e, m, cc);
		else if (version == 6 && !strcmp(key, "RequestAddresses"))
			rc = get_bool(e, m, key, &cc->request_addresses);
		else if (version == 6 && !strcmp(key, "RequestPrefixes"))
			rc = get_bool(e, m, key, &cc->request_prefixes);
		else if (version == 6 && !strcmp(key, "RapidCommit"))
			rc = get_bool(e, m, key, &cc->rapid_commit);
		else if (version == 6 && !strcmp(key, "SuggestedT1")) {
			rc = get_int(e, m, key, -1, INT32_MAX, &v);
			cc->suggested_t1 = (int32_t)v;
		} else if (version == 6 && !strcmp(key, "SuggestedT2")) {
			rc = get_int(e, m, key, -1, INT32_MAX, &v);
			cc->suggested_t2 = (int32_t)v;
		} else if (version == 6 && !strcmp(key, "RequestedOptions"))
			rc = get_str(e, m, key, cc->requested_options,
				     sizeof(cc->requested_options));
		else
			rc = fail_at(e, m->kpos,
				     "DHCPv%d.Client: unknown key %s", version,
				     key);
		if (rc < 0)
			return rc;
	}
	if (!cc->ifname[0])
		return fail_at(e, o->pos, "DHCPv%d.Client: Interface missing",
			       version);
	/* The checks the data model's set shares, at the client's place. */
	rc = mgr_client_cfg_check(cc, version, why, sizeof(why));
	if (rc < 0)
		return fail_at(e, o->pos, "DHCPv%d.Client: %s", version, why);
	return 0;
}

static int parse_family(struct perr *e, const struct tjson *o,
			struct mgr_config *c, int version)
{
	const struct tjson *arr = NULL, *cl;
	struct mgr_client_cfg *tab = version == 4 ? c->v4 : c->v6;
	size_t i = 0;
	int rc;

	if (o->type != TJSON_OBJECT)
		return fail_at(e, o->pos, "DHCPv%d: not an object", version);
	for (const struct tjson *m = o->child; m; m = m->next) {
		if (strcmp(m->key, "Client"))
			return fail_at(e, m->kpos, "DHCPv%d: unknown key %s",
				       version, m->key);
		arr = m;
	}
	if (!arr)
		return 0;
	if (arr->type != TJSON_ARRAY)
		return fail_at(e, arr->pos, "DHCPv%d.Client: not an array",
			       version);
	if (arr->n > MGR_MAX_CLIENTS)
		return fail_at(e, arr->pos, "DHCPv%d.Client: more than %d",
			       version, MGR_MAX_CLIENTS);
	for (cl = arr->child; cl; cl = cl->next, i++) {
		rc = parse_client(e, cl, &tab[i], version);
		if (rc < 0)
			return rc;
		for (size_t j = 0; j < i; j++)
			if (!strcmp(tab[j].ifname, tab[i].ifname))
				return fail_at(
					e, cl->pos,
					"DHCPv%d.Client: two clients on %s",
					version, tab[i].ifname);
	}
	if (version == 4)
		c->n4 = (unsigned)i;
	else
		c->n6 = (unsigned)i;
	return 0;
}

static int parse_hooks(struct perr *e, const struct tjson *arr,
		       struct mgr_config *c)
{
	const struct tjson *h;
	size_t i = 0;

	if (arr->type != TJSON_ARRAY)
		return fail_at(e, arr->pos, "Hooks: not an array");
	if (arr->n > MGR_MAX_HOOKS)
		return fail_at(e, arr->pos, "Hooks: more than %d",
			       MGR_MAX_HOOKS);
	for (h = arr->child; h; h = h->next, i++) {
		int rc = get_str(e, h, "Hooks", c->hooks[i],
				 sizeof(c->hooks[i]));

		if (rc < 0)
			return rc;
		if (c->hooks[i][0] != '/')
			return fail_at(e, h->pos,
				       "Hooks: %s is not an absolute path",
				       c->hooks[i]);
	}
	c->n_hooks = (unsigned)i;
	return 0;
}

static int parse_top(struct perr *e, const struct tjson *root,
		     struct mgr_config *c)
{
	int64_t v;
	int rc = 0;

	if (root->type != TJSON_OBJECT)
		return fail_at(e, root->pos, "top level: not an object");
	for (const struct tjson *m = root->child; m; m = m->next) {
		const char *key = m->key;

		if (!strcmp(key, "DHCPv4"))
			rc = parse_family(e, m, c, 4);
		else if (!strcmp(key, "DHCPv6"))
			rc = parse_family(e, m, c, 6);
		else if (!strcmp(key, "LeaseAddress"))
			rc = get_str(e, m, key, c->lease_addr,
				     sizeof(c->lease_addr));
		else if (!strcmp(key, "EventAddress"))
			rc = get_str(e, m, key, c->event_addr,
				     sizeof(c->event_addr));
		else if (!strcmp(key, "ControlSocket"))
			rc = get_str(e, m, key, c->ctl_path,
				     sizeof(c->ctl_path));
		else if (!strcmp(key, "StateDir"))
			rc = get_str(e, m, key, c->state_dir,
				     sizeof(c->state_dir));
		else if (!strcmp(key, "Udhcpc"))
			rc = get_str(e, m, key, c->udhcpc, sizeof(c->udhcpc));
		else if (!strcmp(key, "DibblerClient"))
			rc = get_str(e, m, key, c->dibbler, sizeof(c->dibbler));
		else if (!strcmp(key, "Plugin"))
			rc = get_str(e, m, key, c->plugin, sizeof(c->plugin));
		else if (!strcmp(key, "Hooks"))
			rc = parse_hooks(e, m, c);
		else if (!strcmp(key, "HookTimeout")) {
			rc = get_int(e, m, key, 1, 3600, &v);
			c->hook_timeout = (unsigned)v;
		} else if (!strcmp(key, "ApplyRoutes"))
			rc = get_bool(e, m, key, &c->apply_routes);
		else if (!strcmp(key, "ResolvConf"))
			rc = get_bool(e, m, key, &c->resolv_conf);
		else if (!strcmp(key, "ResolvConfPath"))
			rc = get_str(e, m, key, c->resolv_path,
				     sizeof(c->resolv_path));
		else
			rc = fail_at(e, m->kpos, "unknown key %s", key);
		if (rc < 0)
			return rc;
	}
	if (!c->lease_addr[0] || !c->ctl_path[0] || !c->state_dir[0])
		return fail(e, "LeaseAddress, ControlSocket and StateDir must "
			       "not be empty");
	return 0;
}

static int exec_check(struct perr *e, const char *key, const char *name,
		      const char *why)
{
	const char *what;
	int r = mgr_find_exec(name, NULL, 0);

	switch (r) {
	case 0:
		return 0;
	case -ENOENT:
		what = strchr(name, '/') ? "does not exist"
					 : "is not found in PATH";
		break;
	case -EISDIR:
		what = "is not a regular file";
		break;
	case -EACCES:
		what = "is not executable";
		break;
	default:
		what = strerror(-r);
		break;
	}
	fail(e, "%s \"%s\" %s%s", key, name, what, why);
	return r;
}

int mgr_client_exec_check(const struct mgr_config *c, int version, char *err,
			  size_t errlen)
{
	struct perr e = {err, errlen};
	int r;

	if (version == 4)
		r = exec_check(&e, "Udhcpc", c->udhcpc, "");
	else
		r = exec_check(&e, "DibblerClient", c->dibbler, "");
	if (r < 0)
		return r;
	return exec_check(&e, "Plugin", c->plugin, "");
}

int mgr_config_check_exec(const struct mgr_config *c, char *err, size_t errlen)
{
	struct perr e = {err, errlen};
	bool need4 = false, need6 = false;
	const char *why;
	int r;

	for (unsigned i = 0; i < c->n4; i++)
		need4 |= c->v4[i].enable;
	for (unsigned i = 0; i < c->n6; i++)
		need6 |= c->v6[i].enable;
	if (need4) {
		r = exec_check(&e, "Udhcpc", c->udhcpc,
			       " (a DHCPv4 client is enabled)");
		if (r < 0)
			return r;
	}
	if (need6) {
		r = exec_check(&e, "DibblerClient", c->dibbler,
			       " (a DHCPv6 client is enabled)");
		if (r < 0)
			return r;
	}
	why = need4 && need6 ? " (DHCPv4 and DHCPv6 clients are enabled)"
	      : need4	     ? " (a DHCPv4 client is enabled)"
			     : " (a DHCPv6 client is enabled)";
	if (need4 || need6)
		return exec_check(&e, "Plugin", c->plugin, why);
	return 0;
}

int mgr_config_parse(const char *text, size_t len, struct mgr_config *ret,
		     char *err, size_t errlen)
{
	struct perr e = {err, errlen};
	struct tjson_doc *doc = NULL;
	struct tjson_error jerr;
	int rc;

	mgr_config_defaults(ret);
	if (len > CONFIG_MAX_BYTES)
		return fail(&e, "file too large");
	rc = tjson_parse(text, len, &config_limits, &doc, &jerr);
	if (rc == -ENOMEM) {
		fail(&e, "out of memory");
		return -ENOMEM;
	}
	if (rc < 0)
		return fail_at(&e, jerr.pos, "JSON syntax error: %s", jerr.msg);
	rc = parse_top(&e, doc->root, ret);
	tjson_doc_free(doc);
	return rc;
}

int mgr_config_load(const char *path, struct mgr_config *ret, char *err,
		    size_t errlen)
{
	char *text = NULL;
	ssize_t n;
	int rc;

	n = mgr_read_file(path, CONFIG_MAX_BYTES, &text);
	if (n < 0) {
		if (err)
			snprintf(err, errlen, "%s: %s", path,
				 strerror((int)-n));
		return (int)n;
	}
	rc = mgr_config_parse(text, (size_t)n, ret, err, errlen);
	if (rc < 0 && err && errlen) {
		char why[256];

		/* "PATH:LINE:COL: ..." as compilers and ternd -t say it. */
		snprintf(why, sizeof(why), "%s", err);
		snprintf(err, errlen, "%s:%s%s", path,
			 why[0] >= '0' && why[0] <= '9' ? "" : " ", why);
	}
	if (rc == 0 && mgr_strlcpy(ret->path, path, sizeof(ret->path)) < 0) {
		rc = -ENAMETOOLONG;
		if (err)
			snprintf(err, errlen, "%s: path too long", path);
	}
	free(text);
	return rc;
}

static struct tjson *sent_json(struct tjson_doc *d,
			       const struct mgr_client_cfg *cc)
{
	struct tjson *arr = tjson_new_array(d);

	for (unsigned i = 0; i < cc->n_sent; i++) {
		struct tjson *o = tjson_new_object(d);

		if (cc->sent[i].alias[0])
			tjson_add_str(d, o, "Alias", cc->sent[i].alias);
		tjson_add_int(d, o, "Tag", cc->sent[i].tag);
		tjson_add_str(d, o, "Value", cc->sent[i].value);
		tjson_add_bool(d, o, "Enable", cc->sent[i].enable);
		tjson_append(d, arr, o);
	}
	return arr;
}

static struct tjson *client_json(struct tjson_doc *d,
				 const struct mgr_client_cfg *cc, int version)
{
	struct tjson *o = tjson_new_object(d);

	tjson_add_str(d, o, "Alias", cc->alias);
	tjson_add_bool(d, o, "Enable", cc->enable);
	tjson_add_str(d, o, "Interface", cc->ifname);
	if (version == 4) {
		struct tjson *arr = tjson_new_array(d);

		for (unsigned i = 0; i < cc->n_req; i++) {
			struct tjson *r = tjson_new_object(d);

			if (cc->req[i].alias[0])
				tjson_add_str(d, r, "Alias", cc->req[i].alias);
			tjson_add_int(d, r, "Tag", cc->req[i].tag);
			tjson_add_bool(d, r, "Enable", cc->req[i].enable);
			tjson_add_int(d, r, "Order", cc->req[i].order);
			tjson_append(d, arr, r);
		}
		tjson_add(d, o, "ReqOption", arr);
	} else {
		tjson_add_bool(d, o, "RequestAddresses", cc->request_addresses);
		tjson_add_bool(d, o, "RequestPrefixes", cc->request_prefixes);
		tjson_add_bool(d, o, "RapidCommit", cc->rapid_commit);
		tjson_add_int(d, o, "SuggestedT1", cc->suggested_t1);
		tjson_add_int(d, o, "SuggestedT2", cc->suggested_t2);
		tjson_add_str(d, o, "RequestedOptions", cc->requested_options);
	}
	tjson_add(d, o, "SentOption", sent_json(d, cc));
	return o;
}

int mgr_config_format(const struct mgr_config *c, char **ret)
{
	struct tjson_doc *d = NULL;
	struct tjson *root, *arr, *fam;
	char *text = NULL, *nl;
	size_t len;
	int rc;

	if ((rc = tjson_doc_new(0, &d)) < 0)
		return rc;
	root = tjson_new_object(d);
	for (int v = 4; v <= 6; v += 2) {
		unsigned n = v == 4 ? c->n4 : c->n6;

		arr = tjson_new_array(d);
		for (unsigned i = 0; i < n; i++)
			tjson_append(d, arr,
				     client_json(d,
						 v == 4 ? &c->v4[i] : &c->v6[i],
						 v));
		fam = tjson_new_object(d);
		tjson_add(d, fam, "Client", arr);
		tjson_add(d, root, v == 4 ? "DHCPv4" : "DHCPv6", fam);
	}
	tjson_add_str(d, root, "LeaseAddress", c->lease_addr);
	tjson_add_str(d, root, "EventAddress", c->event_addr);
	tjson_add_str(d, root, "ControlSocket", c->ctl_path);
	tjson_add_str(d, root, "StateDir", c->state_dir);
	tjson_add_str(d, root, "Udhcpc", c->udhcpc);
	tjson_add_str(d, root, "DibblerClient", c->dibbler);
	tjson_add_str(d, root, "Plugin", c->plugin);
	arr = tjson_new_array(d);
	for (unsigned i = 0; i < c->n_hooks; i++)
		tjson_append(d, arr, tjson_new_string(d, c->hooks[i]));
	tjson_add(d, root, "Hooks", arr);
	tjson_add_int(d, root, "HookTimeout", c->hook_timeout);
	tjson_add_bool(d, root, "ApplyRoutes", c->apply_routes);
	tjson_add_bool(d, root, "ResolvConf", c->resolv_conf);
	tjson_add_str(d, root, "ResolvConfPath", c->resolv_path);
	if ((rc = d->error) < 0)
		goto out;
	/* What is saved must load again: within the reader's size limit. */
	rc = tjson_write_alloc(root, TJSON_WRITE_PRETTY, CONFIG_MAX_BYTES,
			       &text, &len);
	if (rc < 0)
		goto out;
	nl = realloc(text, len + 2);
	if (!nl) {
		rc = -ENOMEM;
		goto out;
	}
	text = nl;
	memcpy(text + len, "\n", 2);
	*ret = text;
	text = NULL;
out:
	free(text);
	tjson_doc_free(d);
	return rc;
}

int mgr_config_save(const struct mgr_config *c)
{
	char *text = NULL;
	int rc;

	if (!c->path[0])
		return 0;
	rc = mgr_config_format(c, &text);
	if (rc < 0)
		return rc;
	rc = mgr_write_atomic(c->path, text, strlen(text), 0644);
	free(text);
	return rc;
}
