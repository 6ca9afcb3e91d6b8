/* tern-mgr: the JSON configuration file (TR-181 shaped), read and persisted. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "config.h"
#include "util.h"

#define CONFIG_MAX_BYTES (1024 * 1024)

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

static int get_str(struct perr *e, json_object *v, const char *key, char *dst,
		   size_t cap)
{
	if (!json_object_is_type(v, json_type_string))
		return fail(e, "%s: not a string", key);
	if (mgr_strlcpy(dst, json_object_get_string(v), cap) < 0)
		return fail(e, "%s: longer than %zu", key, cap - 1);
	return 0;
}

static int get_bool(struct perr *e, json_object *v, const char *key, bool *dst)
{
	if (!json_object_is_type(v, json_type_boolean))
		return fail(e, "%s: not a boolean", key);
	*dst = json_object_get_boolean(v);
	return 0;
}

static int get_int(struct perr *e, json_object *v, const char *key, int64_t lo,
		   int64_t hi, int64_t *dst)
{
	int64_t x;

	if (!json_object_is_type(v, json_type_int))
		return fail(e, "%s: not an integer", key);
	errno = 0;
	x = json_object_get_int64(v);
	if (errno || x < lo || x > hi)
		return fail(e, "%s: out of range %lld..%lld", key,
			    (long long)lo, (long long)hi);
	*dst = x;
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

static int parse_req(struct perr *e, json_object *arr,
		     struct mgr_client_cfg *cc)
{
	size_t n;

	if (!json_object_is_type(arr, json_type_array))
		return fail(e, "ReqOption: not an array");
	n = json_object_array_length(arr);
	if (n > MGR_MAX_OPTS)
		return fail(e, "ReqOption: more than %d", MGR_MAX_OPTS);
	for (size_t i = 0; i < n; i++) {
		json_object *o = json_object_array_get_idx(arr, i);
		struct mgr_req_opt *r = &cc->req[i];
		int64_t v;
		int rc = 0;

		if (!json_object_is_type(o, json_type_object))
			return fail(e, "ReqOption.%zu: not an object", i + 1);
		r->enable = true;
		r->order = (uint32_t)i + 1;
		json_object_object_foreach(o, key, val)
		{
			if (!strcmp(key, "Tag")) {
				rc = get_int(e, val, "ReqOption.Tag", 1, 254,
					     &v);
				r->tag = (uint8_t)v;
			} else if (!strcmp(key, "Enable")) {
				rc = get_bool(e, val, "ReqOption.Enable",
					      &r->enable);
			} else if (!strcmp(key, "Order")) {
				rc = get_int(e, val, "ReqOption.Order", 0,
					     65535, &v);
				r->order = (uint32_t)v;
			} else if (!strcmp(key, "Alias")) {
				rc = get_str(e, val, "ReqOption.Alias",
					     r->alias, sizeof(r->alias));
			} else {
				rc = fail(e, "ReqOption: unknown key %s", key);
			}
			if (rc < 0)
				return rc;
		}
		if (!r->tag)
			return fail(e, "ReqOption.%zu: Tag missing", i + 1);
	}
	cc->n_req = (unsigned)n;
	return 0;
}

static int parse_sent(struct perr *e, json_object *arr,
		      struct mgr_client_cfg *cc, int version)
{
	size_t n;

	if (!json_object_is_type(arr, json_type_array))
		return fail(e, "SentOption: not an array");
	n = json_object_array_length(arr);
	if (n > MGR_MAX_OPTS)
		return fail(e, "SentOption: more than %d", MGR_MAX_OPTS);
	for (size_t i = 0; i < n; i++) {
		json_object *o = json_object_array_get_idx(arr, i);
		struct mgr_sent_opt *s = &cc->sent[i];
		int64_t v;
		int rc = 0;

		if (!json_object_is_type(o, json_type_object))
			return fail(e, "SentOption.%zu: not an object", i + 1);
		s->enable = true;
		json_object_object_foreach(o, key, val)
		{
			if (!strcmp(key, "Tag")) {
				rc = get_int(e, val, "SentOption.Tag", 1,
					     version == 4 ? 254 : 65535, &v);
				s->tag = (uint16_t)v;
			} else if (!strcmp(key, "Enable")) {
				rc = get_bool(e, val, "SentOption.Enable",
					      &s->enable);
			} else if (!strcmp(key, "Value")) {
				rc = get_str(e, val, "SentOption.Value",
					     s->value, sizeof(s->value));
			} else if (!strcmp(key, "Alias")) {
				rc = get_str(e, val, "SentOption.Alias",
					     s->alias, sizeof(s->alias));
			} else {
				rc = fail(e, "SentOption: unknown key %s", key);
			}
			if (rc < 0)
				return rc;
		}
		if (!s->tag)
			return fail(e, "SentOption.%zu: Tag missing", i + 1);
	}
	cc->n_sent = (unsigned)n;
	return 0;
}

static int parse_client(struct perr *e, json_object *o,
			struct mgr_client_cfg *cc, int version)
{
	int64_t v;
	int rc = 0;

	if (!json_object_is_type(o, json_type_object))
		return fail(e, "Client: not an object");
	cc->enable = true;
	cc->request_addresses = true;
	cc->request_prefixes = true;
	cc->suggested_t1 = -1;
	cc->suggested_t2 = -1;
	json_object_object_foreach(o, key, val)
	{
		if (!strcmp(key, "Alias"))
			rc = get_str(e, val, key, cc->alias, sizeof(cc->alias));
		else if (!strcmp(key, "Enable"))
			rc = get_bool(e, val, key, &cc->enable);
		else if (!strcmp(key, "Interface"))
			rc = get_str(e, val, key, cc->ifname,
				     sizeof(cc->ifname));
		else if (!strcmp(key, "SentOption"))
			rc = parse_sent(e, val, cc, version);
		else if (version == 4 && !strcmp(key, "ReqOption"))
			rc = parse_req(e, val, cc);
		else if (version == 6 && !strcmp(key, "RequestAddresses"))
			rc = get_bool(e, val, key, &cc->request_addresses);
		else if (version == 6 && !strcmp(key, "RequestPrefixes"))
			rc = get_bool(e, val, key, &cc->request_prefixes);
		else if (version == 6 && !strcmp(key, "RapidCommit"))
			rc = get_bool(e, val, key, &cc->rapid_commit);
		else if (version == 6 && !strcmp(key, "SuggestedT1")) {
			rc = get_int(e, val, key, -1, INT32_MAX, &v);
			cc->suggested_t1 = (int32_t)v;
		} else if (version == 6 && !strcmp(key, "SuggestedT2")) {
			rc = get_int(e, val, key, -1, INT32_MAX, &v);
			cc->suggested_t2 = (int32_t)v;
		} else if (version == 6 && !strcmp(key, "RequestedOptions"))
			rc = get_str(e, val, key, cc->requested_options,
				     sizeof(cc->requested_options));
		else
			rc = fail(e, "DHCPv%d.Client: unknown key %s", version,
				  key);
		if (rc < 0)
			return rc;
	}
	if (!cc->ifname[0])
		return fail(e, "DHCPv%d.Client: Interface missing", version);
	return mgr_client_cfg_check(cc, version, e->buf, e->len);
}

static int parse_family(struct perr *e, json_object *o, struct mgr_config *c,
			int version)
{
	json_object *arr = NULL;
	struct mgr_client_cfg *tab = version == 4 ? c->v4 : c->v6;
	size_t n;
	int rc;

	if (!json_object_is_type(o, json_type_object))
		return fail(e, "DHCPv%d: not an object", version);
	json_object_object_foreach(o, key, val)
	{
		if (strcmp(key, "Client"))
			return fail(e, "DHCPv%d: unknown key %s", version, key);
		arr = val;
	}
	if (!arr)
		return 0;
	if (!json_object_is_type(arr, json_type_array))
		return fail(e, "DHCPv%d.Client: not an array", version);
	n = json_object_array_length(arr);
	if (n > MGR_MAX_CLIENTS)
		return fail(e, "DHCPv%d.Client: more than %d", version,
			    MGR_MAX_CLIENTS);
	for (size_t i = 0; i < n; i++) {
		rc = parse_client(e, json_object_array_get_idx(arr, i), &tab[i],
				  version);
		if (rc < 0)
			return rc;
		for (size_t j = 0; j < i; j++)
			if (!strcmp(tab[j].ifname, tab[i].ifname))
				return fail(e,
					    "DHCPv%d.Client: two clients on %s",
					    version, tab[i].ifname);
	}
	if (version == 4)
		c->n4 = (unsigned)n;
	else
		c->n6 = (unsigned)n;
	return 0;
}

static int parse_hooks(struct perr *e, json_object *arr, struct mgr_config *c)
{
	size_t n;

	if (!json_object_is_type(arr, json_type_array))
		return fail(e, "Hooks: not an array");
	n = json_object_array_length(arr);
	if (n > MGR_MAX_HOOKS)
		return fail(e, "Hooks: more than %d", MGR_MAX_HOOKS);
	for (size_t i = 0; i < n; i++) {
		int rc = get_str(e, json_object_array_get_idx(arr, i), "Hooks",
				 c->hooks[i], sizeof(c->hooks[i]));

		if (rc < 0)
			return rc;
		if (c->hooks[i][0] != '/')
			return fail(e, "Hooks: %s is not an absolute path",
				    c->hooks[i]);
	}
	c->n_hooks = (unsigned)n;
	return 0;
}

static int parse_top(struct perr *e, json_object *root, struct mgr_config *c)
{
	int64_t v;
	int rc = 0;

	if (!json_object_is_type(root, json_type_object))
		return fail(e, "top level: not an object");
	json_object_object_foreach(root, key, val)
	{
		if (!strcmp(key, "DHCPv4"))
			rc = parse_family(e, val, c, 4);
		else if (!strcmp(key, "DHCPv6"))
			rc = parse_family(e, val, c, 6);
		else if (!strcmp(key, "LeaseAddress"))
			rc = get_str(e, val, key, c->lease_addr,
				     sizeof(c->lease_addr));
		else if (!strcmp(key, "EventAddress"))
			rc = get_str(e, val, key, c->event_addr,
				     sizeof(c->event_addr));
		else if (!strcmp(key, "ControlSocket"))
			rc = get_str(e, val, key, c->ctl_path,
				     sizeof(c->ctl_path));
		else if (!strcmp(key, "StateDir"))
			rc = get_str(e, val, key, c->state_dir,
				     sizeof(c->state_dir));
		else if (!strcmp(key, "Udhcpc"))
			rc = get_str(e, val, key, c->udhcpc, sizeof(c->udhcpc));
		else if (!strcmp(key, "DibblerClient"))
			rc = get_str(e, val, key, c->dibbler,
				     sizeof(c->dibbler));
		else if (!strcmp(key, "Plugin"))
			rc = get_str(e, val, key, c->plugin, sizeof(c->plugin));
		else if (!strcmp(key, "Hooks"))
			rc = parse_hooks(e, val, c);
		else if (!strcmp(key, "HookTimeout")) {
			rc = get_int(e, val, key, 1, 3600, &v);
			c->hook_timeout = (unsigned)v;
		} else if (!strcmp(key, "ApplyRoutes"))
			rc = get_bool(e, val, key, &c->apply_routes);
		else if (!strcmp(key, "ResolvConf"))
			rc = get_bool(e, val, key, &c->resolv_conf);
		else if (!strcmp(key, "ResolvConfPath"))
			rc = get_str(e, val, key, c->resolv_path,
				     sizeof(c->resolv_path));
		else
			rc = fail(e, "unknown key %s", key);
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
	struct json_tokener *tok = NULL;
	json_object *root = NULL;
	int rc;

	mgr_config_defaults(ret);
	if (len > CONFIG_MAX_BYTES || len > INT32_MAX)
		return fail(&e, "file too large");
	tok = json_tokener_new_ex(32);
	if (!tok)
		return -ENOMEM;
	root = json_tokener_parse_ex(tok, text, (int)len);
	if (!root || json_tokener_get_error(tok) != json_tokener_success) {
		rc = fail(&e, "JSON syntax error at byte %zu",
			  (size_t)json_tokener_get_parse_end(tok));
		goto out;
	}
	/* Trailing white space is fine, anything else is not (text need not
	 * be NUL-terminated: walk it by length). */
	for (size_t i = json_tokener_get_parse_end(tok); i < len; i++)
		if (!strchr(" \t\r\n", text[i]) || !text[i]) {
			rc = fail(&e,
				  "JSON syntax error: data after the end "
				  "at byte %zu",
				  i);
			goto out;
		}
	rc = parse_top(&e, root, ret);
out:
	json_object_put(root);
	json_tokener_free(tok);
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

		snprintf(why, sizeof(why), "%s", err);
		snprintf(err, errlen, "%s: %s", path, why);
	}
	if (rc == 0 && mgr_strlcpy(ret->path, path, sizeof(ret->path)) < 0) {
		rc = -ENAMETOOLONG;
		if (err)
			snprintf(err, errlen, "%s: path too long", path);
	}
	free(text);
	return rc;
}

static json_object *sent_json(const struct mgr_client_cfg *cc)
{
	json_object *arr = json_object_new_array();

	for (unsigned i = 0; i < cc->n_sent; i++) {
		json_object *o = json_object_new_object();

		if (cc->sent[i].alias[0])
			json_object_object_add(
				o, "Alias",
				json_object_new_string(cc->sent[i].alias));
		json_object_object_add(o, "Tag",
				       json_object_new_int(cc->sent[i].tag));
		json_object_object_add(
			o, "Value", json_object_new_string(cc->sent[i].value));
		json_object_object_add(
			o, "Enable",
			json_object_new_boolean(cc->sent[i].enable));
		json_object_array_add(arr, o);
	}
	return arr;
}

static json_object *client_json(const struct mgr_client_cfg *cc, int version)
{
	json_object *o = json_object_new_object();

	json_object_object_add(o, "Alias", json_object_new_string(cc->alias));
	json_object_object_add(o, "Enable",
			       json_object_new_boolean(cc->enable));
	json_object_object_add(o, "Interface",
			       json_object_new_string(cc->ifname));
	if (version == 4) {
		json_object *arr = json_object_new_array();

		for (unsigned i = 0; i < cc->n_req; i++) {
			json_object *r = json_object_new_object();

			if (cc->req[i].alias[0])
				json_object_object_add(
					r, "Alias",
					json_object_new_string(
						cc->req[i].alias));
			json_object_object_add(
				r, "Tag", json_object_new_int(cc->req[i].tag));
			json_object_object_add(
				r, "Enable",
				json_object_new_boolean(cc->req[i].enable));
			json_object_object_add(
				r, "Order",
				json_object_new_int((int)cc->req[i].order));
			json_object_array_add(arr, r);
		}
		json_object_object_add(o, "ReqOption", arr);
	} else {
		json_object_object_add(
			o, "RequestAddresses",
			json_object_new_boolean(cc->request_addresses));
		json_object_object_add(
			o, "RequestPrefixes",
			json_object_new_boolean(cc->request_prefixes));
		json_object_object_add(
			o, "RapidCommit",
			json_object_new_boolean(cc->rapid_commit));
		json_object_object_add(o, "SuggestedT1",
				       json_object_new_int(cc->suggested_t1));
		json_object_object_add(o, "SuggestedT2",
				       json_object_new_int(cc->suggested_t2));
		json_object_object_add(
			o, "RequestedOptions",
			json_object_new_string(cc->requested_options));
	}
	json_object_object_add(o, "SentOption", sent_json(cc));
	return o;
}

int mgr_config_format(const struct mgr_config *c, char **ret)
{
	json_object *root = json_object_new_object(), *arr, *fam;
	const char *text;
	int rc = 0;

	if (!root)
		return -ENOMEM;
	for (int v = 4; v <= 6; v += 2) {
		unsigned n = v == 4 ? c->n4 : c->n6;

		arr = json_object_new_array();
		for (unsigned i = 0; i < n; i++)
			json_object_array_add(
				arr,
				client_json(v == 4 ? &c->v4[i] : &c->v6[i], v));
		fam = json_object_new_object();
		json_object_object_add(fam, "Client", arr);
		json_object_object_add(root, v == 4 ? "DHCPv4" : "DHCPv6", fam);
	}
	json_object_object_add(root, "LeaseAddress",
			       json_object_new_string(c->lease_addr));
	json_object_object_add(root, "EventAddress",
			       json_object_new_string(c->event_addr));
	json_object_object_add(root, "ControlSocket",
			       json_object_new_string(c->ctl_path));
	json_object_object_add(root, "StateDir",
			       json_object_new_string(c->state_dir));
	json_object_object_add(root, "Udhcpc",
			       json_object_new_string(c->udhcpc));
	json_object_object_add(root, "DibblerClient",
			       json_object_new_string(c->dibbler));
	json_object_object_add(root, "Plugin",
			       json_object_new_string(c->plugin));
	arr = json_object_new_array();
	for (unsigned i = 0; i < c->n_hooks; i++)
		json_object_array_add(arr, json_object_new_string(c->hooks[i]));
	json_object_object_add(root, "Hooks", arr);
	json_object_object_add(root, "HookTimeout",
			       json_object_new_int((int)c->hook_timeout));
	json_object_object_add(root, "ApplyRoutes",
			       json_object_new_boolean(c->apply_routes));
	json_object_object_add(root, "ResolvConf",
			       json_object_new_boolean(c->resolv_conf));
	json_object_object_add(root, "ResolvConfPath",
			       json_object_new_string(c->resolv_path));
	text = json_object_to_json_string_ext(
		root, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED);
	*ret = text ? malloc(strlen(text) + 2) : NULL;
	if (!*ret) {
		rc = -ENOMEM;
		goto out;
	}
	snprintf(*ret, strlen(text) + 2, "%s\n", text);
out:
	json_object_put(root);
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
