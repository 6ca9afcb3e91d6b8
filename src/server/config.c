/* ternd configuration loader: walks the positioned JSON tree and builds a
 * validated struct ternd_config. */
#define _GNU_SOURCE /* qsort_r */
#include "server/config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "common/arena.h"
#include "common/json.h"
#include "server/options.h"

#define CONFIG_ARENA_LIMIT (512u * 1024u * 1024u)
#define MAX_USER_NAME	   64

/* Parameters that inherit global -> shared network -> subnet. */
enum param {
	P_VALID,
	P_MIN_VALID,
	P_MAX_VALID,
	P_RENEW,
	P_REBIND,
	P_CALC_TEE,
	P_T1_PERCENT,
	P_T2_PERCENT,
	P_AUTHORITATIVE,
	P_MATCH_CLIENT_ID,
	P_NEXT_SERVER,
	P_SERVER_HOSTNAME,
	P_BOOT_FILE,
	P_COUNT,
};

static const char *const param_keys[P_COUNT] = {
	"valid-lifetime",  "min-valid-lifetime", "max-valid-lifetime",
	"renew-timer",	   "rebind-timer",	 "calculate-tee-times",
	"t1-percent",	   "t2-percent",	 "authoritative",
	"match-client-id", "next-server",	 "server-hostname",
	"boot-file-name",
};

enum level {
	L_DEFAULT,
	L_GLOBAL,
	L_NETWORK,
	L_SUBNET,
};

/* The parameters one level sets, with where each was set. */
struct pparams {
	uint32_t set; /* bit per enum param */
	struct tjson_pos pos[P_COUNT];
	struct ternd_params v;
};

struct pool_tmp {
	struct ternd_pool p;
	struct tjson_pos pos;
};

struct res_tmp {
	struct ternd_reservation r;
	struct tjson_pos id_pos;
	struct tjson_pos addr_pos;
	size_t order; /* file order, so the later duplicate is reported */
};

struct subnet_tmp {
	const struct tjson *obj;
	struct tjson_pos pos;	 /* the "subnet" value, or the map */
	struct tjson_pos id_pos; /* the "id" value, or the map */
	bool has_id;
	bool ok;     /* prefix parsed; range checks are meaningful */
	int network; /* index in networks, -1 = none */
	struct pparams pp;
	size_t order;
};

struct network_tmp {
	struct pparams pp;
	struct tjson_pos pos;
};

struct loader {
	struct ternd_config *cfg;
	struct ternd_arena *a;	 /* the config's arena */
	struct ternd_arena *tmp; /* scratch, freed after the load */
	struct ternd_diags *diags;
	unsigned errors;
	bool oom;
	struct pparams global;
	struct subnet_tmp *st; /* parallel to cfg subnets while loading */
	struct ternd_subnet *subnets;
	size_t n_subnets;
	struct ternd_shared_network *networks;
	struct network_tmp *nt;
	size_t n_networks;
};

__attribute__((format(printf, 4, 0))) static void
vdiag(struct loader *ld, enum ternd_diag_level level, struct tjson_pos pos,
      const char *fmt, va_list ap)
{
	struct ternd_diag *d;

	if (level == TERND_DIAG_ERROR)
		ld->errors++;
	if (!ld->diags)
		return;
	if (level == TERND_DIAG_ERROR)
		ld->diags->errors++;
	else
		ld->diags->warnings++;
	if (ld->diags->n >= TERND_DIAG_MAX) {
		ld->diags->dropped++;
		return;
	}
	d = &ld->diags->v[ld->diags->n++];
	d->level = level;
	d->line = pos.line;
	d->col = pos.col;
	vsnprintf(d->msg, sizeof(d->msg), fmt, ap);
}

__attribute__((format(printf, 3, 4))) static void
error_at(struct loader *ld, struct tjson_pos pos, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vdiag(ld, TERND_DIAG_ERROR, pos, fmt, ap);
	va_end(ap);
}

__attribute__((format(printf, 3, 4))) static void
warn_at(struct loader *ld, struct tjson_pos pos, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vdiag(ld, TERND_DIAG_WARNING, pos, fmt, ap);
	va_end(ap);
}

static void *aalloc(struct loader *ld, struct ternd_arena *a, size_t n,
		    size_t size)
{
	void *p = ternd_arena_calloc(a, n ? n : 1, size);

	if (!p && !ld->oom) {
		ld->oom = true;
		error_at(ld, (struct tjson_pos){0, 0},
			 "out of memory loading the configuration");
	}
	return p;
}

static const char *astr(struct loader *ld, const char *s, size_t len)
{
	char *p = ternd_arena_strndup(ld->a, s, len);

	if (!p && !ld->oom) {
		ld->oom = true;
		error_at(ld, (struct tjson_pos){0, 0},
			 "out of memory loading the configuration");
	}
	return p;
}

/* "an integer", "a string": the type with its article, for messages. */
static const char *a_type(const struct tjson *v)
{
	switch (v->type) {
	case TJSON_NULL:
		return "null";
	case TJSON_BOOL:
		return "a boolean";
	case TJSON_NUMBER:
		return v->is_int ? "an integer" : "a real";
	case TJSON_STRING:
		return "a string";
	case TJSON_ARRAY:
		return "a list";
	case TJSON_OBJECT:
		return "a map";
	}
	return "?";
}

static const char *name_of(const struct tjson *v)
{
	return v->key ? v->key : "value";
}

/* ---- typed values ---------------------------------------------------- */

static bool want_type(struct loader *ld, const struct tjson *v,
		      enum tjson_type t, const char *what)
{
	if (v->type == t)
		return true;
	error_at(ld, v->pos, "\"%s\" must be %s, not %s", name_of(v), what,
		 a_type(v));
	return false;
}

static bool get_u32(struct loader *ld, const struct tjson *v, uint32_t min,
		    uint32_t max, uint32_t *ret)
{
	if (v->type != TJSON_NUMBER) {
		error_at(ld, v->pos, "\"%s\" must be an integer, not %s",
			 name_of(v), a_type(v));
		return false;
	}
	if (!v->is_int) {
		error_at(ld, v->pos, "\"%s\" must be an integer", name_of(v));
		return false;
	}
	if (v->i < 0) {
		error_at(ld, v->pos, "\"%s\" must not be negative (%lld)",
			 name_of(v), (long long)v->i);
		return false;
	}
	if (v->i < (int64_t)min || v->i > (int64_t)max) {
		error_at(ld, v->pos, "\"%s\" is out of range %u..%u (%lld)",
			 name_of(v), min, max, (long long)v->i);
		return false;
	}
	*ret = (uint32_t)v->i;
	return true;
}

static bool get_bool(struct loader *ld, const struct tjson *v, bool *ret)
{
	if (!want_type(ld, v, TJSON_BOOL, "true or false"))
		return false;
	*ret = v->b;
	return true;
}

/* A string of 1..max bytes, copied into the config. */
static bool get_str(struct loader *ld, const struct tjson *v, size_t max,
		    const char **ret)
{
	const char *s;

	if (!want_type(ld, v, TJSON_STRING, "a string"))
		return false;
	if (v->len == 0 || v->len > max) {
		error_at(ld, v->pos, "\"%s\" must be 1..%zu characters long",
			 name_of(v), max);
		return false;
	}
	if (!(s = astr(ld, v->s, v->len)))
		return false;
	*ret = s;
	return true;
}

static bool parse_addr(const char *s, uint32_t *ret)
{
	struct in_addr a;

	if (inet_pton(AF_INET, s, &a) != 1)
		return false;
	*ret = ntohl(a.s_addr);
	return true;
}

static bool get_addr(struct loader *ld, const struct tjson *v, uint32_t *ret)
{
	if (!want_type(ld, v, TJSON_STRING, "an IPv4 address string"))
		return false;
	if (!parse_addr(v->s, ret)) {
		error_at(ld, v->pos, "\"%s\": \"%s\" is not an IPv4 address",
			 name_of(v), v->s);
		return false;
	}
	return true;
}

static void fmt_addr(uint32_t a, char out[INET_ADDRSTRLEN])
{
	struct in_addr in = {htonl(a)};

	inet_ntop(AF_INET, &in, out, INET_ADDRSTRLEN);
}

/* ---- keys ------------------------------------------------------------ */

/* Keys whose meaning ternd cannot honour: loading anyway would serve
 * something else than the operator wrote, so they are errors. */
static const char *const unsupported_keys[] = {
	"hooks-libraries",
	"client-classes",
	"client-class",
	"require-client-classes",
	"evaluate-additional-classes",
	"only-if-required",
	"reservation-mode",
	"option-def",
	"hosts-database",
	"hosts-databases",
	"config-control",
	"circuit-id",
	"flex-id",
	"duid",
	"pd-pools",
	"pools-list",
	"control-sockets",
	"dhcp4o6-port",
	"4o6-interface",
	"4o6-interface-id",
	"4o6-subnet",
};

static bool is_unsupported(const char *key)
{
	for (size_t i = 0;
	     i < sizeof(unsupported_keys) / sizeof(unsupported_keys[0]); i++)
		if (strcmp(unsupported_keys[i], key) == 0)
			return true;
	return false;
}

/* Every key a handler did not take ends here. */
static void other_key(struct loader *ld, const struct tjson *m,
		      const char *where)
{
	if (strcmp(m->key, "comment") == 0 ||
	    strcmp(m->key, "user-context") == 0)
		return;
	if (is_unsupported(m->key)) {
		error_at(ld, m->kpos, "\"%s\" in %s is not supported by ternd",
			 m->key, where);
		return;
	}
	warn_at(ld, m->kpos, "unknown or unused key \"%s\" in %s, ignored",
		m->key, where);
}

/* ---- inherited parameters -------------------------------------------- */

static void params_defaults(struct ternd_params *p)
{
	memset(p, 0, sizeof(*p));
	p->valid_lifetime = TERND_DEFAULT_VALID;
	p->min_valid_lifetime = TERND_DEFAULT_VALID;
	p->max_valid_lifetime = TERND_DEFAULT_VALID;
	p->t1_percent = TERND_DEFAULT_T1_PERCENT;
	p->t2_percent = TERND_DEFAULT_T2_PERCENT;
	p->match_client_id = true;
}

static bool get_percent(struct loader *ld, const struct tjson *v, double *ret)
{
	if (v->type != TJSON_NUMBER) {
		error_at(ld, v->pos, "\"%s\" must be a number, not %s", v->key,
			 a_type(v));
		return false;
	}
	if (!(v->d > 0.0 && v->d < 1.0)) {
		error_at(ld, v->pos,
			 "\"%s\" must be greater than 0 and less than 1",
			 v->key);
		return false;
	}
	*ret = v->d;
	return true;
}

/* Returns true when m is one of the inherited parameters. */
static bool parse_param(struct loader *ld, const struct tjson *m,
			struct pparams *pp)
{
	struct ternd_params *v = &pp->v;
	bool ok;
	int p;

	for (p = 0; p < P_COUNT; p++)
		if (strcmp(m->key, param_keys[p]) == 0)
			break;
	if (p == P_COUNT)
		return false;
	switch (p) {
	case P_VALID:
		ok = get_u32(ld, m, 1, UINT32_MAX, &v->valid_lifetime);
		break;
	case P_MIN_VALID:
		ok = get_u32(ld, m, 1, UINT32_MAX, &v->min_valid_lifetime);
		break;
	case P_MAX_VALID:
		ok = get_u32(ld, m, 1, UINT32_MAX, &v->max_valid_lifetime);
		break;
	case P_RENEW:
		ok = get_u32(ld, m, 0, UINT32_MAX, &v->renew_timer);
		v->has_renew_timer = ok;
		break;
	case P_REBIND:
		ok = get_u32(ld, m, 0, UINT32_MAX, &v->rebind_timer);
		v->has_rebind_timer = ok;
		break;
	case P_CALC_TEE:
		ok = get_bool(ld, m, &v->calculate_tee_times);
		break;
	case P_T1_PERCENT:
		ok = get_percent(ld, m, &v->t1_percent);
		break;
	case P_T2_PERCENT:
		ok = get_percent(ld, m, &v->t2_percent);
		break;
	case P_AUTHORITATIVE:
		ok = get_bool(ld, m, &v->authoritative);
		break;
	case P_MATCH_CLIENT_ID:
		ok = get_bool(ld, m, &v->match_client_id);
		break;
	case P_NEXT_SERVER:
		ok = get_addr(ld, m, &v->next_server);
		break;
	case P_SERVER_HOSTNAME:
		ok = get_str(ld, m, 64 - 1, &v->server_hostname);
		break;
	case P_BOOT_FILE:
		ok = get_str(ld, m, 128 - 1, &v->boot_file_name);
		break;
	default:
		ok = false;
		break;
	}
	if (ok) {
		pp->set |= 1u << p;
		pp->pos[p] = m->pos;
	}
	return true;
}

struct resolved {
	struct ternd_params v;
	enum level lvl[P_COUNT];
	struct tjson_pos pos[P_COUNT];
};

static void apply(struct resolved *r, const struct pparams *pp, enum level lvl)
{
	const struct ternd_params *s = &pp->v;

	for (int p = 0; p < P_COUNT; p++) {
		if (!(pp->set & (1u << p)))
			continue;
		r->lvl[p] = lvl;
		r->pos[p] = pp->pos[p];
		switch (p) {
		case P_VALID:
			r->v.valid_lifetime = s->valid_lifetime;
			break;
		case P_MIN_VALID:
			r->v.min_valid_lifetime = s->min_valid_lifetime;
			break;
		case P_MAX_VALID:
			r->v.max_valid_lifetime = s->max_valid_lifetime;
			break;
		case P_RENEW:
			r->v.renew_timer = s->renew_timer;
			r->v.has_renew_timer = true;
			break;
		case P_REBIND:
			r->v.rebind_timer = s->rebind_timer;
			r->v.has_rebind_timer = true;
			break;
		case P_CALC_TEE:
			r->v.calculate_tee_times = s->calculate_tee_times;
			break;
		case P_T1_PERCENT:
			r->v.t1_percent = s->t1_percent;
			break;
		case P_T2_PERCENT:
			r->v.t2_percent = s->t2_percent;
			break;
		case P_AUTHORITATIVE:
			r->v.authoritative = s->authoritative;
			break;
		case P_MATCH_CLIENT_ID:
			r->v.match_client_id = s->match_client_id;
			break;
		case P_NEXT_SERVER:
			r->v.next_server = s->next_server;
			break;
		case P_SERVER_HOSTNAME:
			r->v.server_hostname = s->server_hostname;
			break;
		case P_BOOT_FILE:
			r->v.boot_file_name = s->boot_file_name;
			break;
		default:
			break;
		}
	}
}

/*
 * Report a conflict between two parameters only at the level that
 * introduced it (so a bad global value is reported once, not per subnet),
 * at the key set deepest.
 */
__attribute__((format(printf, 6, 7))) static void
conflict(struct loader *ld, const struct resolved *r, enum level min_level,
	 int a, int b, const char *fmt, ...)
{
	int at = r->lvl[a] >= r->lvl[b] ? a : b;
	va_list ap;

	if (r->lvl[at] < min_level)
		return;
	va_start(ap, fmt);
	vdiag(ld, TERND_DIAG_ERROR, r->pos[at], fmt, ap);
	va_end(ap);
}

static void resolve(struct loader *ld, const struct pparams *const *levels,
		    size_t n, enum level min_level, struct ternd_params *out)
{
	struct resolved r;
	struct ternd_params *v = &r.v;

	memset(&r, 0, sizeof(r));
	params_defaults(v);
	for (size_t i = 0; i < n; i++)
		if (levels[i])
			apply(&r, levels[i], (enum level)(L_GLOBAL + i));
	/* Kea: unset bounds equal the valid lifetime in force. */
	if (r.lvl[P_MIN_VALID] == L_DEFAULT) {
		v->min_valid_lifetime = v->valid_lifetime;
		r.lvl[P_MIN_VALID] = r.lvl[P_VALID];
		r.pos[P_MIN_VALID] = r.pos[P_VALID];
	}
	if (r.lvl[P_MAX_VALID] == L_DEFAULT) {
		v->max_valid_lifetime = v->valid_lifetime;
		r.lvl[P_MAX_VALID] = r.lvl[P_VALID];
		r.pos[P_MAX_VALID] = r.pos[P_VALID];
	}
	if (v->min_valid_lifetime > v->valid_lifetime)
		conflict(ld, &r, min_level, P_MIN_VALID, P_VALID,
			 "min-valid-lifetime (%u) is greater than "
			 "valid-lifetime (%u)",
			 v->min_valid_lifetime, v->valid_lifetime);
	if (v->valid_lifetime > v->max_valid_lifetime)
		conflict(ld, &r, min_level, P_MAX_VALID, P_VALID,
			 "valid-lifetime (%u) is greater than "
			 "max-valid-lifetime (%u)",
			 v->valid_lifetime, v->max_valid_lifetime);
	if (v->has_renew_timer && v->has_rebind_timer &&
	    v->renew_timer > v->rebind_timer)
		conflict(ld, &r, min_level, P_RENEW, P_REBIND,
			 "renew-timer (%u) is greater than rebind-timer (%u)",
			 v->renew_timer, v->rebind_timer);
	if (v->has_rebind_timer && v->rebind_timer > v->valid_lifetime)
		conflict(ld, &r, min_level, P_REBIND, P_VALID,
			 "rebind-timer (%u) is greater than valid-lifetime "
			 "(%u)",
			 v->rebind_timer, v->valid_lifetime);
	if (v->has_renew_timer && !v->has_rebind_timer &&
	    v->renew_timer > v->valid_lifetime)
		conflict(ld, &r, min_level, P_RENEW, P_VALID,
			 "renew-timer (%u) is greater than valid-lifetime (%u)",
			 v->renew_timer, v->valid_lifetime);
	if (v->t1_percent >= v->t2_percent)
		conflict(ld, &r, min_level, P_T1_PERCENT, P_T2_PERCENT,
			 "t1-percent (%g) must be less than t2-percent (%g)",
			 v->t1_percent, v->t2_percent);
	*out = *v;
}

/* ---- option-data ----------------------------------------------------- */

static int cmp_option(const void *a, const void *b)
{
	const struct ternd_option *x = a, *y = b;

	return (int)x->code - (int)y->code;
}

static bool parse_option(struct loader *ld, const struct tjson *o,
			 struct ternd_option *ret)
{
	const struct tjson *m, *name = NULL, *code = NULL, *data = NULL;
	const struct tern_optdef *def = NULL;
	const char *reserved;
	uint8_t buf[TERND_MAX_OPTION_LEN];
	char why[160];
	bool csv = true, always = false, never = false, ok = true;
	uint32_t c = 0;
	uint8_t *copy;
	int len;

	if (!want_type(ld, o, TJSON_OBJECT, "a map"))
		return false;
	for (m = o->child; m; m = m->next) {
		if (strcmp(m->key, "name") == 0) {
			if (want_type(ld, m, TJSON_STRING, "a string"))
				name = m;
			else
				ok = false;
		} else if (strcmp(m->key, "code") == 0) {
			if (get_u32(ld, m, 1, 254, &c))
				code = m;
			else
				ok = false;
		} else if (strcmp(m->key, "data") == 0) {
			if (want_type(ld, m, TJSON_STRING, "a string"))
				data = m;
			else
				ok = false;
		} else if (strcmp(m->key, "csv-format") == 0) {
			ok &= get_bool(ld, m, &csv);
		} else if (strcmp(m->key, "always-send") == 0) {
			ok &= get_bool(ld, m, &always);
		} else if (strcmp(m->key, "never-send") == 0) {
			ok &= get_bool(ld, m, &never);
		} else if (strcmp(m->key, "space") == 0) {
			if (!want_type(ld, m, TJSON_STRING, "a string")) {
				ok = false;
			} else if (strcmp(m->s, "dhcp4") != 0) {
				error_at(ld, m->pos,
					 "option space \"%s\" is not supported "
					 "(only \"dhcp4\")",
					 m->s);
				ok = false;
			}
		} else {
			other_key(ld, m, "option-data");
		}
	}
	if (!ok)
		return false;
	if (name) {
		def = tern_optdef_by_name(name->s);
		if (!def) {
			error_at(ld, name->pos, "unknown option name \"%s\"",
				 name->s);
			return false;
		}
		if (code && def->code != c) {
			error_at(ld, code->pos,
				 "option \"%s\" has code %u, not %u", def->name,
				 def->code, c);
			return false;
		}
		c = def->code;
	} else if (code) {
		def = tern_optdef_by_code((uint8_t)c);
	} else {
		error_at(ld, o->pos,
			 "option-data entry needs \"name\" or "
			 "\"code\"");
		return false;
	}
	if ((reserved = ternd_option_reserved((uint8_t)c))) {
		error_at(ld, name ? name->pos : code->pos,
			 "option %u cannot be configured: %s", c, reserved);
		return false;
	}
	if (!data && !never && !(def && def->type == TERN_OT_EMPTY)) {
		error_at(ld, o->pos, "option %u (%s) has no \"data\"", c,
			 def ? def->name : "no definition");
		return false;
	}
	len = 0;
	if (data) {
		len = ternd_option_encode(def, data->s, csv, buf, sizeof(buf),
					  why, sizeof(why));
		if (len == -ENOBUFS) {
			error_at(ld, data->pos,
				 "option %u: data longer than %u bytes once "
				 "encoded",
				 c, TERND_MAX_OPTION_LEN);
			return false;
		}
		if (len < 0) {
			error_at(ld, data->pos, "option %u (%s): %s", c,
				 def ? def->name : "no definition", why);
			return false;
		}
	}
	if (!(copy = aalloc(ld, ld->a, (size_t)len, 1)))
		return false;
	memcpy(copy, buf, (size_t)len);
	ret->code = (uint8_t)c;
	ret->len = (uint16_t)len;
	ret->data = copy;
	ret->always_send = always;
	ret->never_send = never;
	return true;
}

static void parse_optlist(struct loader *ld, const struct tjson *arr,
			  struct ternd_optlist *ret)
{
	struct ternd_option *v;
	struct tjson_pos *pos;
	size_t n = 0;

	if (!want_type(ld, arr, TJSON_ARRAY, "a list"))
		return;
	if (arr->n > TERND_MAX_OPTIONS) {
		error_at(ld, arr->pos, "more than %d options in one list",
			 TERND_MAX_OPTIONS);
		return;
	}
	v = aalloc(ld, ld->a, arr->n, sizeof(*v));
	pos = aalloc(ld, ld->tmp, arr->n, sizeof(*pos));
	if (!v || !pos)
		return;
	for (const struct tjson *o = arr->child; o; o = o->next) {
		bool dup = false;

		if (!parse_option(ld, o, &v[n]))
			continue;
		for (size_t i = 0; i < n && !dup; i++) {
			if (v[i].code != v[n].code)
				continue;
			error_at(ld, o->pos,
				 "option %u is already set at this level "
				 "(line %u)",
				 v[n].code, pos[i].line);
			dup = true;
		}
		if (dup)
			continue;
		pos[n++] = o->pos;
	}
	qsort(v, n, sizeof(*v), cmp_option);
	ret->v = v;
	ret->n = n;
}

/* ---- interfaces, relays, small maps ------------------------------------ */

static void parse_relay(struct loader *ld, const struct tjson *obj,
			const uint32_t **ret, size_t *ret_n)
{
	const struct tjson *list = NULL, *single = NULL;
	uint32_t *v;
	size_t n = 0;

	if (!want_type(ld, obj, TJSON_OBJECT, "a map"))
		return;
	for (const struct tjson *m = obj->child; m; m = m->next) {
		if (strcmp(m->key, "ip-addresses") == 0)
			list = m;
		else if (strcmp(m->key, "ip-address") == 0)
			single = m;
		else
			other_key(ld, m, "relay");
	}
	if (list && single) {
		error_at(ld, single->kpos,
			 "relay has both \"ip-address\" and \"ip-addresses\"");
		return;
	}
	if (single) {
		if (!(v = aalloc(ld, ld->a, 1, sizeof(*v))))
			return;
		if (get_addr(ld, single, &v[0])) {
			*ret = v;
			*ret_n = 1;
		}
		return;
	}
	if (!list || !want_type(ld, list, TJSON_ARRAY, "a list"))
		return;
	if (list->n > TERND_MAX_RELAYS) {
		error_at(ld, list->pos, "more than %d relay addresses",
			 TERND_MAX_RELAYS);
		return;
	}
	if (!(v = aalloc(ld, ld->a, list->n, sizeof(*v))))
		return;
	for (const struct tjson *e = list->child; e; e = e->next)
		if (get_addr(ld, e, &v[n]))
			n++;
	*ret = v;
	*ret_n = n;
}

static bool get_ifname(struct loader *ld, const struct tjson *v,
		       const char **ret)
{
	if (!want_type(ld, v, TJSON_STRING, "a string"))
		return false;
	if (v->len == 0 || v->len >= IF_NAMESIZE || strchr(v->s, '/')) {
		error_at(ld, v->pos, "\"%s\" is not an interface name", v->s);
		return false;
	}
	*ret = astr(ld, v->s, v->len);
	return *ret != NULL;
}

static void parse_interfaces_config(struct loader *ld, const struct tjson *obj)
{
	struct ternd_config *cfg = ld->cfg;

	if (!want_type(ld, obj, TJSON_OBJECT, "a map"))
		return;
	for (const struct tjson *m = obj->child; m; m = m->next) {
		if (strcmp(m->key, "interfaces") == 0) {
			struct ternd_iface *v;
			size_t n = 0;

			if (!want_type(ld, m, TJSON_ARRAY, "a list"))
				continue;
			if (m->n > TERND_MAX_IFACES) {
				error_at(ld, m->pos, "more than %d interfaces",
					 TERND_MAX_IFACES);
				continue;
			}
			if (!(v = aalloc(ld, ld->a, m->n, sizeof(*v))))
				continue;
			for (const struct tjson *e = m->child; e; e = e->next) {
				const char *slash;
				size_t nl;

				if (!want_type(ld, e, TJSON_STRING, "a string"))
					continue;
				slash = strchr(e->s, '/');
				nl = slash ? (size_t)(slash - e->s) : e->len;
				if (nl == 0 || nl >= IF_NAMESIZE) {
					error_at(ld, e->pos,
						 "\"%s\" is not an interface "
						 "name",
						 e->s);
					continue;
				}
				if (slash &&
				    !parse_addr(slash + 1, &v[n].addr)) {
					error_at(
						ld, e->pos,
						"\"%s\": \"%s\" is not an IPv4 "
						"address",
						e->s, slash + 1);
					continue;
				}
				memcpy(v[n].name, e->s, nl);
				n++;
			}
			cfg->ifaces = v;
			cfg->n_ifaces = n;
		} else if (strcmp(m->key, "dhcp-socket-type") == 0) {
			if (!want_type(ld, m, TJSON_STRING, "a string"))
				continue;
			if (strcmp(m->s, "raw") == 0)
				cfg->socket_type = TERND_SOCKET_RAW;
			else if (strcmp(m->s, "udp") == 0)
				cfg->socket_type = TERND_SOCKET_UDP;
			else
				error_at(ld, m->pos,
					 "dhcp-socket-type must be \"raw\" or "
					 "\"udp\", not \"%s\"",
					 m->s);
		} else {
			other_key(ld, m, "interfaces-config");
		}
	}
}

/*
 * Kea's memfile "name" is its CSV lease file. ternd never writes over it (a
 * user moving from Kea still has leases there); its SQLite store lives beside
 * it: NAME with a ".csv" suffix replaced by ".sqlite", or NAME.sqlite.
 * So two configurations with two names never share leases.
 */
static void memfile_store_path(struct loader *ld, const struct tjson *name)
{
	const char *csv = ld->cfg->store_path;
	size_t len = strlen(csv), stem = len;
	char *p;

	if (len > 4 && strcmp(csv + len - 4, ".csv") == 0)
		stem = len - 4;
	if (csv[len - 1] == '/') {
		error_at(ld, name->pos,
			 "memfile \"name\" must name a file, "
			 "not a directory");
		return;
	}
	if (!(p = aalloc(ld, ld->a, stem + sizeof(".sqlite"), 1)))
		return;
	memcpy(p, csv, stem);
	memcpy(p + stem, ".sqlite", sizeof(".sqlite"));
	ld->cfg->store_path = p;
	ld->cfg->store_csv_path = csv;
}

static void parse_lease_database(struct loader *ld, const struct tjson *obj)
{
	struct ternd_config *cfg = ld->cfg;
	const struct tjson *type = NULL, *name = NULL;
	bool memfile = false;

	if (!want_type(ld, obj, TJSON_OBJECT, "a map"))
		return;
	for (const struct tjson *m = obj->child; m; m = m->next) {
		if (strcmp(m->key, "type") == 0) {
			type = m;
		} else if (strcmp(m->key, "name") == 0) {
			name = m;
		} else if (strcmp(m->key, "persist") == 0) {
			get_bool(ld, m, &cfg->store_persist);
		} else if (strcmp(m->key, "lfc-interval") == 0) {
			get_u32(ld, m, 0, UINT32_MAX, &cfg->lfc_interval);
		} else {
			other_key(ld, m, "lease-database");
		}
	}
	if (!type) {
		error_at(ld, obj->pos, "lease-database needs a \"type\"");
		return;
	}
	if (!want_type(ld, type, TJSON_STRING, "a string"))
		return;
	if (strcmp(type->s, "memfile") == 0) {
		memfile = true;
	} else if (strcmp(type->s, "sqlite") != 0) {
		if (strcmp(type->s, "postgresql") == 0)
			error_at(ld, type->pos,
				 "lease-database type \"postgresql\" is "
				 "reserved for a later release");
		else
			error_at(ld, type->pos,
				 "lease-database type \"%s\" is not supported "
				 "(use \"memfile\" or \"sqlite\")",
				 type->s);
		return;
	}
	cfg->store_type = TERND_STORE_SQLITE;
	if (!name || !get_str(ld, name, PATH_MAX - 1 - strlen(".sqlite"),
			      &cfg->store_path))
		return;
	if (memfile)
		memfile_store_path(ld, name);
}

static void parse_control_socket(struct loader *ld, const struct tjson *obj)
{
	const struct tjson *type = NULL, *name = NULL;

	if (!want_type(ld, obj, TJSON_OBJECT, "a map"))
		return;
	for (const struct tjson *m = obj->child; m; m = m->next) {
		if (strcmp(m->key, "socket-type") == 0)
			type = m;
		else if (strcmp(m->key, "socket-name") == 0)
			name = m;
		else
			other_key(ld, m, "control-socket");
	}
	if (type && want_type(ld, type, TJSON_STRING, "a string") &&
	    strcmp(type->s, "unix") != 0)
		error_at(ld, type->pos,
			 "control-socket type \"%s\" is not supported (only "
			 "\"unix\")",
			 type->s);
	if (!name) {
		error_at(ld, obj->pos, "control-socket needs \"socket-name\"");
		return;
	}
	get_str(ld, name, sizeof(((struct sockaddr_un *)0)->sun_path) - 1,
		&ld->cfg->control_socket);
}

static void parse_loggers(struct loader *ld, const struct tjson *arr)
{
	static const char *const sev[] = {"FATAL", "ERROR", "WARN", "INFO",
					  "DEBUG"};
	struct ternd_config *cfg = ld->cfg;
	bool found = false;

	if (!want_type(ld, arr, TJSON_ARRAY, "a list"))
		return;
	for (const struct tjson *l = arr->child; l; l = l->next) {
		const struct tjson *name;
		bool ours;

		if (!want_type(ld, l, TJSON_OBJECT, "a map"))
			continue;
		name = tjson_get(l, "name");
		if (!name || name->type != TJSON_STRING) {
			error_at(ld, l->pos, "logger needs a \"name\" string");
			continue;
		}
		/* ternd has one log stream: the daemon's root logger. */
		ours = !found && (strcmp(name->s, "kea-dhcp4") == 0 ||
				  strcmp(name->s, "ternd") == 0);
		if (!ours) {
			warn_at(ld, name->pos,
				"logger \"%s\" ignored (ternd configures only "
				"\"kea-dhcp4\" or \"ternd\", once)",
				name->s);
			continue;
		}
		found = true;
		for (const struct tjson *m = l->child; m; m = m->next) {
			if (strcmp(m->key, "name") == 0)
				continue;
			if (strcmp(m->key, "severity") == 0) {
				size_t i;

				if (!want_type(ld, m, TJSON_STRING, "a string"))
					continue;
				for (i = 0; i < 5; i++)
					if (strcmp(m->s, sev[i]) == 0)
						break;
				if (i == 5)
					error_at(ld, m->pos,
						 "severity must be FATAL, "
						 "ERROR, WARN, INFO or DEBUG, "
						 "not \"%s\"",
						 m->s);
				else
					cfg->log_severity =
						(enum ternd_log_severity)i;
			} else if (strcmp(m->key, "debuglevel") == 0) {
				get_u32(ld, m, 0, 99, &cfg->log_debuglevel);
			} else if (strcmp(m->key, "output_options") == 0 ||
				   strcmp(m->key, "output-options") == 0) {
				const struct tjson *first, *out;

				if (!want_type(ld, m, TJSON_ARRAY, "a list") ||
				    !m->child)
					continue;
				first = m->child;
				if (m->n > 1)
					warn_at(ld, first->next->pos,
						"only the first output is "
						"used");
				if (!want_type(ld, first, TJSON_OBJECT,
					       "a map"))
					continue;
				for (out = first->child; out; out = out->next) {
					if (strcmp(out->key, "output") == 0)
						get_str(ld, out, PATH_MAX - 1,
							&cfg->log_output);
					else if (strcmp(out->key, "flush") &&
						 strcmp(out->key, "maxsize") &&
						 strcmp(out->key, "maxver") &&
						 strcmp(out->key, "pattern"))
						other_key(ld, out,
							  "output_options");
				}
			} else {
				other_key(ld, m, "loggers");
			}
		}
	}
}

static void parse_host_ids(struct loader *ld, const struct tjson *arr)
{
	struct ternd_config *cfg = ld->cfg;
	size_t n = 0;

	if (!want_type(ld, arr, TJSON_ARRAY, "a list"))
		return;
	for (const struct tjson *e = arr->child; e; e = e->next) {
		enum ternd_host_id id;
		bool dup = false;

		if (!want_type(ld, e, TJSON_STRING, "a string"))
			continue;
		if (strcmp(e->s, "hw-address") == 0) {
			id = TERND_ID_HW_ADDRESS;
		} else if (strcmp(e->s, "client-id") == 0) {
			id = TERND_ID_CLIENT_ID;
		} else {
			error_at(ld, e->pos,
				 "host-reservation-identifiers: \"%s\" is not "
				 "supported by ternd (only \"hw-address\" and "
				 "\"client-id\")",
				 e->s);
			continue;
		}
		for (size_t i = 0; i < n; i++)
			dup |= cfg->host_ids[i] == id;
		if (dup) {
			error_at(ld, e->pos, "\"%s\" is listed twice", e->s);
			continue;
		}
		cfg->host_ids[n++] = id;
	}
	if (n == 0)
		error_at(ld, arr->pos,
			 "host-reservation-identifiers must not be empty");
	cfg->n_host_ids = n;
}

static bool parse_prefix(const char *s, uint32_t *ret_net, uint8_t *ret_len);

static bool get_seconds(struct loader *ld, const struct tjson *v, double *ret)
{
	if (!want_type(ld, v, TJSON_NUMBER, "a number of seconds"))
		return false;
	if (v->d < 0.1 || v->d > 65535) {
		error_at(ld, v->pos, "\"%s\" must be 0.1..65535 seconds",
			 name_of(v));
		return false;
	}
	*ret = v->d;
	return true;
}

/* Dhcp4.user-context.ternd.mesh: ddhcpd's flags as keys. */
static void parse_mesh(struct loader *ld, const struct tjson *t)
{
	struct ternd_config_mesh *cm = &ld->cfg->mesh;
	uint32_t u;

	if (!want_type(ld, t, TJSON_OBJECT, "a map"))
		return;
	cm->present = true;
	for (const struct tjson *m = t->child; m; m = m->next) {
		if (strcmp(m->key, "network") == 0) {
			if (want_type(ld, m, TJSON_STRING, "a prefix string") &&
			    (!parse_prefix(m->s, &cm->network,
					   &cm->prefix_len) ||
			     cm->prefix_len < 8 || cm->prefix_len > 30 ||
			     (cm->network & ~(~0u << (32 - cm->prefix_len)))))
				error_at(ld, m->pos,
					 "\"network\": \"%s\" is not a "
					 "network/length with zero host bits",
					 m->s);
		} else if (strcmp(m->key, "server-interface") == 0) {
			get_str(ld, m, IF_NAMESIZE - 1, &cm->server_iface);
		} else if (strcmp(m->key, "client-interface") == 0) {
			get_str(ld, m, IF_NAMESIZE - 1, &cm->client_iface);
		} else if (strcmp(m->key, "hook") == 0) {
			get_str(ld, m, TERND_MAX_STRING, &cm->hook);
		} else if (strcmp(m->key, "node-id") == 0) {
			get_str(ld, m, 23, &cm->node_id);
		} else if (strcmp(m->key, "state-directory") == 0) {
			get_str(ld, m, TERND_MAX_STRING, &cm->state_dir);
		} else if (strcmp(m->key, "block-size-pow") == 0) {
			if (get_u32(ld, m, 0, 7, &u))
				cm->block_pow = (int32_t)u;
		} else if (strcmp(m->key, "spare-leases") == 0) {
			if (get_u32(ld, m, 0, 256, &u))
				cm->spare_leases = (int32_t)u;
		} else if (strcmp(m->key, "tentative-timeout") == 0) {
			get_seconds(ld, m, &cm->tentative);
		} else if (strcmp(m->key, "block-timeout") == 0) {
			get_seconds(ld, m, &cm->block_timeout);
		} else if (strcmp(m->key, "needless-timeout") == 0) {
			get_seconds(ld, m, &cm->needless);
		} else if (strcmp(m->key, "learning") == 0) {
			bool b;

			if (get_bool(ld, m, &b))
				cm->learning = b;
		} else if (strcmp(m->key, "options") == 0) {
			if (!want_type(ld, m, TJSON_ARRAY, "a list"))
				continue;
			if (m->n > TERND_MESH_CFG_MAX_OPTS) {
				error_at(ld, m->pos,
					 "\"options\": at most %d options",
					 TERND_MESH_CFG_MAX_OPTS);
				continue;
			}
			for (const struct tjson *e = m->child; e; e = e->next)
				if (get_str(ld, e, 1100,
					    &cm->options[cm->n_options]))
					cm->n_options++;
		} else {
			other_key(ld, m, "user-context.ternd.mesh");
		}
	}
}

static void parse_ternd_ext(struct loader *ld, const struct tjson *uc)
{
	const struct tjson *t;

	if (uc->type != TJSON_OBJECT)
		return;
	t = tjson_get(uc, "ternd");
	if (!t || !want_type(ld, t, TJSON_OBJECT, "a map"))
		return;
	for (const struct tjson *m = t->child; m; m = m->next) {
		if (strcmp(m->key, "user") == 0)
			get_str(ld, m, MAX_USER_NAME, &ld->cfg->user);
		else if (strcmp(m->key, "group") == 0)
			get_str(ld, m, MAX_USER_NAME, &ld->cfg->group);
		else if (strcmp(m->key, "mesh") == 0)
			parse_mesh(ld, m);
		else
			other_key(ld, m, "user-context.ternd");
	}
}

/* ---- subnets ----------------------------------------------------------- */

static bool parse_prefix(const char *s, uint32_t *ret_net, uint8_t *ret_len)
{
	char buf[INET_ADDRSTRLEN + 4];
	const char *slash = strchr(s, '/');
	char *end;
	long plen;
	size_t n;

	if (!slash || (n = (size_t)(slash - s)) >= INET_ADDRSTRLEN)
		return false;
	memcpy(buf, s, n);
	buf[n] = '\0';
	if (!parse_addr(buf, ret_net))
		return false;
	if (slash[1] < '0' || slash[1] > '9')
		return false;
	plen = strtol(slash + 1, &end, 10);
	if (*end || plen < 0 || plen > 32)
		return false;
	*ret_len = (uint8_t)plen;
	return true;
}

static uint32_t mask_of(uint8_t plen)
{
	return plen ? ~(uint32_t)0 << (32 - plen) : 0;
}

static int cmp_pool(const void *a, const void *b)
{
	const struct pool_tmp *x = a, *y = b;

	return x->p.first < y->p.first ? -1 : x->p.first > y->p.first;
}

static bool pos_after(struct tjson_pos a, struct tjson_pos b)
{
	return a.line > b.line || (a.line == b.line && a.col > b.col);
}

static void parse_pools(struct loader *ld, const struct tjson *arr,
			struct ternd_subnet *s, const struct subnet_tmp *st)
{
	struct pool_tmp *t;
	struct ternd_pool *v;
	size_t n = 0;

	if (!want_type(ld, arr, TJSON_ARRAY, "a list"))
		return;
	if (arr->n > TERND_MAX_POOLS) {
		error_at(ld, arr->pos, "more than %d pools in a subnet",
			 TERND_MAX_POOLS);
		return;
	}
	if (!(t = aalloc(ld, ld->tmp, arr->n, sizeof(*t))))
		return;
	for (const struct tjson *o = arr->child; o; o = o->next) {
		const struct tjson *pool = NULL;
		char lo[INET_ADDRSTRLEN + 8], hi[INET_ADDRSTRLEN + 8];
		const char *dash;
		uint32_t first, last;
		uint8_t plen;

		if (!want_type(ld, o, TJSON_OBJECT, "a map"))
			continue;
		for (const struct tjson *m = o->child; m; m = m->next) {
			if (strcmp(m->key, "pool") == 0)
				pool = m;
			else if (strcmp(m->key, "option-data") == 0)
				error_at(ld, m->kpos,
					 "\"option-data\" in a pool is not "
					 "supported by ternd (set it on the "
					 "subnet)");
			else
				other_key(ld, m, "pool");
		}
		if (!pool) {
			error_at(ld, o->pos, "pool entry needs \"pool\"");
			continue;
		}
		if (!want_type(ld, pool, TJSON_STRING, "a string"))
			continue;
		dash = strchr(pool->s, '-');
		if (dash) {
			/* "a - b", blanks optional */
			const char *p = pool->s, *e = dash;
			size_t l;

			while (*p == ' ')
				p++;
			while (e > p && e[-1] == ' ')
				e--;
			l = (size_t)(e - p);
			if (l >= sizeof(lo))
				l = sizeof(lo) - 1;
			memcpy(lo, p, l);
			lo[l] = '\0';
			p = dash + 1;
			while (*p == ' ')
				p++;
			l = strlen(p);
			while (l && p[l - 1] == ' ')
				l--;
			if (l >= sizeof(hi))
				l = sizeof(hi) - 1;
			memcpy(hi, p, l);
			hi[l] = '\0';
			if (!parse_addr(lo, &first) || !parse_addr(hi, &last)) {
				error_at(ld, pool->pos,
					 "pool \"%s\" is not \"first - last\" "
					 "or a prefix",
					 pool->s);
				continue;
			}
			if (first > last) {
				error_at(ld, pool->pos,
					 "pool \"%s\" ends before it starts",
					 pool->s);
				continue;
			}
		} else if (parse_prefix(pool->s, &first, &plen)) {
			if (first & ~mask_of(plen)) {
				error_at(ld, pool->pos,
					 "pool prefix \"%s\" has host bits set",
					 pool->s);
				continue;
			}
			last = first | ~mask_of(plen);
		} else {
			error_at(ld, pool->pos,
				 "pool \"%s\" is not \"first - last\" or a "
				 "prefix",
				 pool->s);
			continue;
		}
		if (st->ok &&
		    (first < s->network || last > (s->network | ~s->mask))) {
			error_at(ld, pool->pos,
				 "pool \"%s\" is outside its subnet", pool->s);
			continue;
		}
		t[n].p.first = first;
		t[n].p.last = last;
		t[n].pos = pool->pos;
		n++;
	}
	qsort(t, n, sizeof(*t), cmp_pool);
	for (size_t i = 1; i < n; i++) {
		if (t[i].p.first > t[i - 1].p.last)
			continue;
		/* Report at whichever of the two comes later in the file. */
		const struct pool_tmp *later =
			pos_after(t[i].pos, t[i - 1].pos) ? &t[i] : &t[i - 1];
		const struct pool_tmp *other =
			later == &t[i] ? &t[i - 1] : &t[i];
		error_at(ld, later->pos,
			 "pool overlaps the pool at line %u column %u",
			 other->pos.line, other->pos.col);
	}
	if (!(v = aalloc(ld, ld->a, n, sizeof(*v))))
		return;
	for (size_t i = 0; i < n; i++)
		v[i] = t[i].p;
	s->pools = v;
	s->n_pools = n;
}

static bool get_id_bytes(struct loader *ld, const struct tjson *v, size_t min,
			 size_t max, uint8_t *out, uint8_t *ret_len)
{
	uint8_t buf[TERND_MAX_CLIENT_ID];
	int n;

	if (!want_type(ld, v, TJSON_STRING, "a hex string"))
		return false;
	n = ternd_hex_decode(v->s, buf, sizeof(buf));
	if (n == -EINVAL || (n >= 0 && (size_t)n < min)) {
		error_at(ld, v->pos,
			 "\"%s\": \"%s\" is not valid hex bytes "
			 "(aa:bb:cc...)",
			 v->key, v->s);
		return false;
	}
	if (n < 0 || (size_t)n > max) {
		error_at(ld, v->pos, "\"%s\" is longer than %zu bytes", v->key,
			 max);
		return false;
	}
	memcpy(out, buf, (size_t)n);
	*ret_len = (uint8_t)n;
	return true;
}

static bool parse_reservation(struct loader *ld, const struct tjson *o,
			      const struct ternd_subnet *s,
			      const struct subnet_tmp *st, struct res_tmp *t)
{
	struct ternd_reservation *r = &t->r;
	const struct tjson *hw = NULL, *cid = NULL, *ip = NULL;
	bool ok = true;

	if (!want_type(ld, o, TJSON_OBJECT, "a map"))
		return false;
	for (const struct tjson *m = o->child; m; m = m->next) {
		if (strcmp(m->key, "hw-address") == 0)
			hw = m;
		else if (strcmp(m->key, "client-id") == 0)
			cid = m;
		else if (strcmp(m->key, "ip-address") == 0)
			ip = m;
		else if (strcmp(m->key, "hostname") == 0)
			ok &= get_str(ld, m, TERND_MAX_STRING, &r->hostname);
		else if (strcmp(m->key, "option-data") == 0)
			parse_optlist(ld, m, &r->options);
		else if (strcmp(m->key, "next-server") == 0)
			ok &= get_addr(ld, m, &r->next_server);
		else if (strcmp(m->key, "server-hostname") == 0)
			ok &= get_str(ld, m, 63, &r->server_hostname);
		else if (strcmp(m->key, "boot-file-name") == 0)
			ok &= get_str(ld, m, 127, &r->boot_file_name);
		else
			other_key(ld, m, "reservation");
	}
	if (!hw == !cid) {
		error_at(ld, hw && cid ? cid->kpos : o->pos,
			 "a reservation needs exactly one of \"hw-address\" "
			 "and \"client-id\"");
		return false;
	}
	if (hw) {
		r->id_type = TERND_ID_HW_ADDRESS;
		ok &= get_id_bytes(ld, hw, 1, TERND_MAX_HWADDR, r->id,
				   &r->id_len);
		t->id_pos = hw->pos;
	} else {
		r->id_type = TERND_ID_CLIENT_ID;
		/* RFC 2132 §9.14: at least two bytes. */
		ok &= get_id_bytes(ld, cid, 2, TERND_MAX_CLIENT_ID, r->id,
				   &r->id_len);
		t->id_pos = cid->pos;
	}
	if (ip) {
		char a[INET_ADDRSTRLEN];

		if (!get_addr(ld, ip, &r->addr))
			return false;
		t->addr_pos = ip->pos;
		if (r->addr == 0) {
			error_at(ld, ip->pos, "0.0.0.0 cannot be reserved");
			return false;
		}
		if (st->ok && (r->addr & s->mask) != s->network) {
			fmt_addr(r->addr, a);
			error_at(ld, ip->pos,
				 "reserved address %s is outside its subnet",
				 a);
			return false;
		}
	}
	return ok;
}

static int cmp_res_id(const void *a, const void *b)
{
	const struct res_tmp *x = a, *y = b;
	int c;

	if (x->r.id_type != y->r.id_type)
		return x->r.id_type < y->r.id_type ? -1 : 1;
	if (x->r.id_len != y->r.id_len)
		return x->r.id_len < y->r.id_len ? -1 : 1;
	c = memcmp(x->r.id, y->r.id, x->r.id_len);
	if (c)
		return c;
	return x->order < y->order ? -1 : x->order > y->order;
}

static int cmp_res_addr(const void *a, const void *b)
{
	const struct res_tmp *x = *(const struct res_tmp *const *)a;
	const struct res_tmp *y = *(const struct res_tmp *const *)b;

	if (x->r.addr != y->r.addr)
		return x->r.addr < y->r.addr ? -1 : 1;
	return x->order < y->order ? -1 : x->order > y->order;
}

static void parse_reservations(struct loader *ld, const struct tjson *arr,
			       struct ternd_subnet *s,
			       const struct subnet_tmp *st)
{
	struct res_tmp *t, **by;
	struct ternd_reservation *v;
	const struct ternd_reservation **ba;
	size_t n = 0, na = 0;

	if (!want_type(ld, arr, TJSON_ARRAY, "a list"))
		return;
	if (arr->n > TERND_MAX_RESERVATIONS) {
		error_at(ld, arr->pos, "more than %d reservations in a subnet",
			 TERND_MAX_RESERVATIONS);
		return;
	}
	if (!(t = aalloc(ld, ld->tmp, arr->n, sizeof(*t))))
		return;
	for (const struct tjson *o = arr->child; o; o = o->next) {
		if (!parse_reservation(ld, o, s, st, &t[n]))
			continue;
		t[n].order = n;
		n++;
	}
	qsort(t, n, sizeof(*t), cmp_res_id);
	for (size_t i = 1; i < n; i++)
		if (t[i - 1].r.id_type == t[i].r.id_type &&
		    t[i - 1].r.id_len == t[i].r.id_len &&
		    memcmp(t[i - 1].r.id, t[i].r.id, t[i].r.id_len) == 0)
			error_at(ld, t[i].id_pos,
				 "this %s is already reserved at line %u",
				 t[i].r.id_type == TERND_ID_HW_ADDRESS
					 ? "hw-address"
					 : "client-id",
				 t[i - 1].id_pos.line);
	if (!(by = aalloc(ld, ld->tmp, n, sizeof(*by))))
		return;
	for (size_t i = 0; i < n; i++)
		if (t[i].r.addr)
			by[na++] = &t[i];
	qsort(by, na, sizeof(*by), cmp_res_addr);
	for (size_t i = 1; i < na; i++) {
		char a[INET_ADDRSTRLEN];

		if (by[i]->r.addr != by[i - 1]->r.addr)
			continue;
		fmt_addr(by[i]->r.addr, a);
		error_at(ld, by[i]->addr_pos,
			 "address %s is already reserved at line %u", a,
			 by[i - 1]->addr_pos.line);
	}
	v = aalloc(ld, ld->a, n, sizeof(*v));
	ba = aalloc(ld, ld->a, na, sizeof(*ba));
	if (!v || !ba)
		return;
	for (size_t i = 0; i < n; i++) {
		v[i] = t[i].r;
		/* Remember the final slot so by-address can point at it. */
		t[i].order = i;
	}
	for (size_t i = 0; i < na; i++)
		ba[i] = &v[by[i]->order];
	s->reservations = v;
	s->n_reservations = n;
	s->res_by_addr = ba;
	s->n_res_by_addr = na;
}

static void parse_subnet(struct loader *ld, const struct tjson *o, int network)
{
	struct ternd_subnet *s;
	struct subnet_tmp *st;
	const struct tjson *prefix, *pools = NULL, *res = NULL;

	if (!want_type(ld, o, TJSON_OBJECT, "a map"))
		return;
	if (ld->n_subnets >= TERND_MAX_SUBNETS) {
		error_at(ld, o->pos, "more than %d subnets", TERND_MAX_SUBNETS);
		return;
	}
	s = &ld->subnets[ld->n_subnets];
	st = &ld->st[ld->n_subnets];
	st->obj = o;
	st->pos = o->pos;
	st->id_pos = o->pos;
	st->network = network;
	st->order = ld->n_subnets;
	ld->n_subnets++;
	if (network >= 0) {
		const struct ternd_shared_network *sn = &ld->networks[network];

		s->network_of = sn;
		s->iface = sn->iface;
		s->relays = sn->relays;
		s->n_relays = sn->n_relays;
	}
	/* The prefix first: pools and reservations are checked against it
	 * whatever order the keys come in. */
	prefix = tjson_get(o, "subnet");
	if (!prefix) {
		error_at(ld, o->pos, "subnet4 entry needs \"subnet\"");
	} else if (want_type(ld, prefix, TJSON_STRING, "a string")) {
		st->pos = prefix->pos;
		if (!parse_prefix(prefix->s, &s->network, &s->prefix_len)) {
			error_at(ld, prefix->pos,
				 "\"%s\" is not an IPv4 prefix (a.b.c.d/len)",
				 prefix->s);
		} else if (s->network & ~mask_of(s->prefix_len)) {
			error_at(ld, prefix->pos,
				 "subnet \"%s\" has host bits set", prefix->s);
		} else {
			s->mask = mask_of(s->prefix_len);
			st->ok = true;
		}
	}
	for (const struct tjson *m = o->child; m; m = m->next) {
		if (strcmp(m->key, "subnet") == 0) {
			continue;
		} else if (strcmp(m->key, "id") == 0) {
			/* A bad id is reported; it gets no automatic one. */
			st->id_pos = m->pos;
			st->has_id = true;
			get_u32(ld, m, 1, UINT32_MAX, &s->id);
		} else if (strcmp(m->key, "pools") == 0) {
			pools = m;
		} else if (strcmp(m->key, "reservations") == 0) {
			res = m;
		} else if (strcmp(m->key, "option-data") == 0) {
			parse_optlist(ld, m, &s->options);
		} else if (strcmp(m->key, "relay") == 0) {
			s->relays = NULL;
			s->n_relays = 0;
			parse_relay(ld, m, &s->relays, &s->n_relays);
		} else if (strcmp(m->key, "interface") == 0) {
			get_ifname(ld, m, &s->iface);
		} else if (strcmp(m->key, "reservations-global") == 0 ||
			   strcmp(m->key, "reservations-in-subnet") == 0 ||
			   strcmp(m->key, "reservations-out-of-pool") == 0) {
			bool b;
			bool bad_value =
				strcmp(m->key, "reservations-global") == 0;

			if (get_bool(ld, m, &b) &&
			    (strcmp(m->key, "reservations-out-of-pool") != 0) &&
			    b == bad_value)
				error_at(ld, m->kpos,
					 "\"%s\": %s is not supported by ternd",
					 m->key, b ? "true" : "false");
		} else if (!parse_param(ld, m, &st->pp)) {
			other_key(ld, m, "subnet4");
		}
	}
	if (pools)
		parse_pools(ld, pools, s, st);
	if (res)
		parse_reservations(ld, res, s, st);
}

static void parse_subnet_list(struct loader *ld, const struct tjson *arr,
			      int network)
{
	if (!want_type(ld, arr, TJSON_ARRAY, "a list"))
		return;
	for (const struct tjson *o = arr->child; o; o = o->next)
		parse_subnet(ld, o, network);
}

static void parse_shared_network(struct loader *ld, const struct tjson *o)
{
	struct ternd_shared_network *sn;
	struct network_tmp *nt;
	const struct tjson *subnets = NULL, *name;
	int idx;

	if (!want_type(ld, o, TJSON_OBJECT, "a map"))
		return;
	idx = (int)ld->n_networks;
	sn = &ld->networks[ld->n_networks];
	nt = &ld->nt[ld->n_networks];
	nt->pos = o->pos;
	ld->n_networks++;
	name = tjson_get(o, "name");
	if (!name)
		error_at(ld, o->pos, "shared network needs a \"name\"");
	else
		get_str(ld, name, TERND_MAX_STRING, &sn->name);
	for (size_t i = 0; sn->name && i + 1 < ld->n_networks; i++)
		if (ld->networks[i].name &&
		    strcmp(ld->networks[i].name, sn->name) == 0)
			error_at(ld, name->pos,
				 "shared network \"%s\" is already defined at "
				 "line %u",
				 sn->name, ld->nt[i].pos.line);
	for (const struct tjson *m = o->child; m; m = m->next) {
		if (strcmp(m->key, "name") == 0)
			continue;
		if (strcmp(m->key, "subnet4") == 0)
			subnets = m;
		else if (strcmp(m->key, "option-data") == 0)
			parse_optlist(ld, m, &sn->options);
		else if (strcmp(m->key, "relay") == 0)
			parse_relay(ld, m, &sn->relays, &sn->n_relays);
		else if (strcmp(m->key, "interface") == 0)
			get_ifname(ld, m, &sn->iface);
		else if (!parse_param(ld, m, &nt->pp))
			other_key(ld, m, "shared-networks");
	}
	/* After the network's own keys, so subnets inherit them. */
	if (subnets)
		parse_subnet_list(ld, subnets, idx);
}

/* ---- cross-subnet checks and ordering ---------------------------------- */

static int cmp_idx_network(const void *a, const void *b, void *arg)
{
	const struct loader *ld = arg;
	const struct ternd_subnet *x = &ld->subnets[*(const size_t *)a];
	const struct ternd_subnet *y = &ld->subnets[*(const size_t *)b];

	if (x->network != y->network)
		return x->network < y->network ? -1 : 1;
	if (x->prefix_len != y->prefix_len)
		return x->prefix_len < y->prefix_len ? -1 : 1;
	return *(const size_t *)a < *(const size_t *)b ? -1 : 1;
}

static int cmp_idx_id(const void *a, const void *b, void *arg)
{
	const struct loader *ld = arg;
	const struct ternd_subnet *x = &ld->subnets[*(const size_t *)a];
	const struct ternd_subnet *y = &ld->subnets[*(const size_t *)b];

	if (x->id != y->id)
		return x->id < y->id ? -1 : 1;
	return *(const size_t *)a < *(const size_t *)b ? -1 : 1;
}

static void finish_subnets(struct loader *ld)
{
	struct ternd_subnet *v;
	size_t *idx, n = ld->n_subnets;
	uint32_t next_id = 0;

	if (!(idx = aalloc(ld, ld->tmp, n, sizeof(*idx))))
		return;
	for (size_t i = 0; i < n; i++) {
		idx[i] = i;
		if (ld->st[i].has_id && ld->subnets[i].id > next_id)
			next_id = ld->subnets[i].id;
	}
	/* Kea numbers subnets without an id after the largest given one. */
	for (size_t i = 0; i < n; i++) {
		if (ld->st[i].has_id)
			continue;
		if (next_id == UINT32_MAX) {
			error_at(ld, ld->st[i].pos, "no subnet id left");
			continue;
		}
		ld->subnets[i].id = ++next_id;
		warn_at(ld, ld->st[i].pos, "subnet has no \"id\"; using %u",
			next_id);
	}
	qsort_r(idx, n, sizeof(*idx), cmp_idx_id, ld);
	for (size_t i = 1; i < n; i++) {
		const struct subnet_tmp *a = &ld->st[idx[i - 1]];
		const struct subnet_tmp *b = &ld->st[idx[i]];

		if (ld->subnets[idx[i]].id == ld->subnets[idx[i - 1]].id)
			error_at(ld, b->id_pos,
				 "subnet id %u is already used at line %u",
				 ld->subnets[idx[i]].id, a->id_pos.line);
	}
	qsort_r(idx, n, sizeof(*idx), cmp_idx_network, ld);
	for (size_t i = 1, prev = 0; i < n; i++) {
		const struct ternd_subnet *a = &ld->subnets[idx[prev]];
		const struct ternd_subnet *b = &ld->subnets[idx[i]];

		if (!ld->st[idx[i]].ok)
			continue;
		if (!ld->st[idx[prev]].ok) {
			prev = i;
			continue;
		}
		if (b->network <= (a->network | ~a->mask)) {
			const struct subnet_tmp *sa = &ld->st[idx[prev]];
			const struct subnet_tmp *sb = &ld->st[idx[i]];
			const struct subnet_tmp *later =
				pos_after(sb->pos, sa->pos) ? sb : sa;
			const struct subnet_tmp *other = later == sb ? sa : sb;

			error_at(ld, later->pos,
				 "subnet overlaps the subnet at line %u",
				 other->pos.line);
			continue; /* keep the wider one as reference */
		}
		prev = i;
	}
	if (!(v = aalloc(ld, ld->a, n, sizeof(*v))))
		return;
	for (size_t i = 0; i < n; i++) {
		const struct subnet_tmp *st = &ld->st[idx[i]];
		const struct pparams *levels[3] = {
			&ld->global,
			st->network >= 0 ? &ld->nt[st->network].pp : NULL,
			&st->pp,
		};

		v[i] = ld->subnets[idx[i]];
		resolve(ld, levels, 3, L_NETWORK, &v[i].params);
	}
	ld->cfg->subnets = v;
	ld->cfg->n_subnets = n;
}

/* ---- Dhcp4 ------------------------------------------------------------- */

static size_t count_subnets(const struct tjson *dhcp4, size_t *ret_networks)
{
	const struct tjson *sub = tjson_get(dhcp4, "subnet4");
	const struct tjson *nets = tjson_get(dhcp4, "shared-networks");
	size_t n = 0;

	*ret_networks = 0;
	if (sub && sub->type == TJSON_ARRAY)
		n += sub->n;
	if (nets && nets->type == TJSON_ARRAY) {
		*ret_networks = nets->n;
		for (const struct tjson *o = nets->child; o; o = o->next) {
			const struct tjson *s = tjson_get(o, "subnet4");
			if (s && s->type == TJSON_ARRAY)
				n += s->n;
		}
	}
	return n;
}

static void parse_dhcp4(struct loader *ld, const struct tjson *d)
{
	struct ternd_config *cfg = ld->cfg;
	const struct tjson *subnets = NULL, *nets = NULL;
	size_t n_sub, n_net;

	if (!want_type(ld, d, TJSON_OBJECT, "a map"))
		return;
	n_sub = count_subnets(d, &n_net);
	if (n_sub > TERND_MAX_SUBNETS || n_net > TERND_MAX_NETWORKS) {
		error_at(ld, d->pos,
			 "more than %d subnets or %d shared networks",
			 TERND_MAX_SUBNETS, TERND_MAX_NETWORKS);
		return;
	}
	ld->subnets = aalloc(ld, ld->tmp, n_sub, sizeof(*ld->subnets));
	ld->st = aalloc(ld, ld->tmp, n_sub, sizeof(*ld->st));
	ld->networks = aalloc(ld, ld->a, n_net, sizeof(*ld->networks));
	ld->nt = aalloc(ld, ld->tmp, n_net, sizeof(*ld->nt));
	if (!ld->subnets || !ld->st || !ld->networks || !ld->nt)
		return;
	for (const struct tjson *m = d->child; m; m = m->next) {
		if (strcmp(m->key, "interfaces-config") == 0)
			parse_interfaces_config(ld, m);
		else if (strcmp(m->key, "lease-database") == 0)
			parse_lease_database(ld, m);
		else if (strcmp(m->key, "decline-probation-period") == 0)
			get_u32(ld, m, 0, UINT32_MAX,
				&cfg->decline_probation_period);
		else if (strcmp(m->key, "offer-lifetime") == 0)
			get_u32(ld, m, 0, UINT32_MAX, &cfg->offer_lifetime);
		else if (strcmp(m->key, "option-data") == 0)
			parse_optlist(ld, m, &cfg->options);
		else if (strcmp(m->key, "subnet4") == 0)
			subnets = m;
		else if (strcmp(m->key, "shared-networks") == 0)
			nets = m;
		else if (strcmp(m->key, "control-socket") == 0)
			parse_control_socket(ld, m);
		else if (strcmp(m->key, "loggers") == 0)
			parse_loggers(ld, m);
		else if (strcmp(m->key, "host-reservation-identifiers") == 0)
			parse_host_ids(ld, m);
		else if (strcmp(m->key, "user-context") == 0)
			parse_ternd_ext(ld, m);
		else if (strcmp(m->key, "reservations") == 0)
			error_at(ld, m->kpos,
				 "global \"reservations\" are not supported by "
				 "ternd (put them in their subnet)");
		else if (strcmp(m->key, "dhcp-ddns") == 0) {
			const struct tjson *en = tjson_get(m, "enable-updates");
			if (en && en->type == TJSON_BOOL && en->b)
				error_at(ld, en->pos,
					 "DNS updates (dhcp-ddns) are not "
					 "supported by ternd");
		} else if (strcmp(m->key, "reservations-global") == 0 ||
			   strcmp(m->key, "reservations-in-subnet") == 0 ||
			   strcmp(m->key, "reservations-out-of-pool") == 0) {
			bool b;
			bool bad_value =
				strcmp(m->key, "reservations-global") == 0;

			if (get_bool(ld, m, &b) &&
			    strcmp(m->key, "reservations-out-of-pool") != 0 &&
			    b == bad_value)
				error_at(ld, m->kpos,
					 "\"%s\": %s is not supported by ternd",
					 m->key, b ? "true" : "false");
		} else if (!parse_param(ld, m, &ld->global))
			other_key(ld, m, "Dhcp4");
	}
	{
		const struct pparams *levels[1] = {&ld->global};
		resolve(ld, levels, 1, L_GLOBAL, &cfg->global);
	}
	/* Networks first: their subnets inherit from them. */
	if (nets && want_type(ld, nets, TJSON_ARRAY, "a list"))
		for (const struct tjson *o = nets->child; o; o = o->next)
			parse_shared_network(ld, o);
	if (subnets)
		parse_subnet_list(ld, subnets, -1);
	cfg->networks = ld->networks;
	cfg->n_networks = ld->n_networks;
	finish_subnets(ld);
}

static void parse_root(struct loader *ld, const struct tjson *root)
{
	const struct tjson *dhcp4 = NULL;

	if (root->type != TJSON_OBJECT) {
		error_at(ld, root->pos,
			 "the configuration must be a map with \"Dhcp4\"");
		return;
	}
	for (const struct tjson *m = root->child; m; m = m->next) {
		if (strcmp(m->key, "Dhcp4") == 0)
			dhcp4 = m;
		else if (strcmp(m->key, "Dhcp6") == 0)
			warn_at(ld, m->kpos,
				"\"Dhcp6\" ignored: ternd is a DHCPv4 server");
		else
			warn_at(ld, m->kpos, "top-level \"%s\" ignored",
				m->key);
	}
	if (!dhcp4) {
		error_at(ld, root->pos,
			 "no \"Dhcp4\" map in the configuration");
		return;
	}
	parse_dhcp4(ld, dhcp4);
}

static int config_new(struct ternd_config **ret)
{
	struct ternd_config *cfg = calloc(1, sizeof(*cfg));

	if (!cfg)
		return -ENOMEM;
	cfg->arena = ternd_arena_new(CONFIG_ARENA_LIMIT);
	if (!cfg->arena) {
		free(cfg);
		return -ENOMEM;
	}
	cfg->socket_type = TERND_SOCKET_RAW;
	cfg->store_type = TERND_STORE_SQLITE;
	cfg->mesh.block_pow = cfg->mesh.spare_leases = -1;
	cfg->mesh.tentative = cfg->mesh.block_timeout = cfg->mesh.needless = -1;
	cfg->mesh.learning = -1;
	cfg->store_path = TERND_DEFAULT_STORE_PATH;
	cfg->store_persist = true;
	params_defaults(&cfg->global);
	cfg->decline_probation_period = TERND_DEFAULT_DECLINE;
	cfg->host_ids[0] = TERND_ID_HW_ADDRESS;
	cfg->host_ids[1] = TERND_ID_CLIENT_ID;
	cfg->n_host_ids = 2;
	cfg->log_severity = TERND_LOG_INFO;
	*ret = cfg;
	return 0;
}

/* File order reads best; the loader finds problems in its own order.
 * Insertion sort: stable, and there are at most TERND_DIAG_MAX. */
static void sort_diags(struct ternd_diags *d)
{
	for (size_t i = 1; d && i < d->n; i++) {
		struct ternd_diag x = d->v[i];
		size_t j = i;

		while (j > 0 && (d->v[j - 1].line > x.line ||
				 (d->v[j - 1].line == x.line &&
				  d->v[j - 1].col > x.col))) {
			d->v[j] = d->v[j - 1];
			j--;
		}
		d->v[j] = x;
	}
}

int ternd_config_load_buf(const char *buf, size_t len,
			  struct ternd_config **ret_cfg,
			  struct ternd_diags *diags)
{
	struct loader ld = {0};
	struct tjson_doc *doc = NULL;
	struct tjson_error jerr;
	struct tjson_limits lim = {TERND_MAX_INPUT, TJSON_DEFAULT_MAX_DEPTH,
				   TJSON_DEFAULT_MAX_NODES,
				   TJSON_DEFAULT_MAX_STRING};
	struct ternd_config *cfg = NULL;
	int rc;

	if (!ret_cfg || (!buf && len))
		return -EINVAL;
	ld.diags = diags;
	rc = tjson_parse(buf, len, &lim, &doc, &jerr);
	if (rc < 0) {
		error_at(&ld, jerr.pos, "%s", jerr.msg);
		goto out;
	}
	if ((rc = config_new(&cfg)) < 0)
		goto out;
	ld.cfg = cfg;
	ld.a = cfg->arena;
	ld.tmp = ternd_arena_new(CONFIG_ARENA_LIMIT);
	if (!ld.tmp) {
		rc = -ENOMEM;
		goto out;
	}
	parse_root(&ld, doc->root);
	if (ld.oom) {
		rc = -ENOMEM;
		goto out;
	}
	if (ld.errors) {
		rc = -EBADMSG;
		goto out;
	}
	*ret_cfg = cfg;
	cfg = NULL;
	rc = 0;
out:
	sort_diags(diags);
	ternd_arena_free(ld.tmp);
	ternd_config_free(cfg);
	tjson_doc_free(doc);
	return rc;
}

int ternd_config_load_file(const char *path, struct ternd_config **ret_cfg,
			   struct ternd_diags *diags)
{
	struct stat st;
	char *buf = NULL;
	size_t got = 0;
	int fd = -1, rc;

	if (!path || !ret_cfg)
		return -EINVAL;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &st) < 0) {
		rc = -errno;
		goto fail;
	}
	if (!S_ISREG(st.st_mode)) {
		rc = -EINVAL;
		goto fail;
	}
	if ((uint64_t)st.st_size > TERND_MAX_INPUT) {
		rc = -E2BIG;
		goto fail;
	}
	if (!(buf = malloc((size_t)st.st_size + 1))) {
		rc = -ENOMEM;
		goto fail;
	}
	while (got < (size_t)st.st_size) {
		ssize_t r = read(fd, buf + got, (size_t)st.st_size - got);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			rc = -errno;
			goto fail;
		}
		if (r == 0)
			break;
		got += (size_t)r;
	}
	rc = ternd_config_load_buf(buf, got, ret_cfg, diags);
	goto out;
fail:
	if (diags && diags->n < TERND_DIAG_MAX) {
		struct ternd_diag *d = &diags->v[diags->n++];

		d->level = TERND_DIAG_ERROR;
		d->line = d->col = 0;
		snprintf(d->msg, sizeof(d->msg), "cannot read: %s",
			 rc == -E2BIG	 ? "file too large"
			 : rc == -EINVAL ? "not a regular file"
					 : strerror(-rc));
		diags->errors++;
	}
out:
	free(buf);
	if (fd >= 0)
		close(fd);
	return rc;
}
