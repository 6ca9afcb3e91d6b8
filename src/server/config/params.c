/* ternd inherited parameters: global -> shared network -> subnet, resolved
 * per subnet with Kea's consistency checks. */
#include <stdarg.h>
#include <string.h>

#include "server/config/loader.h"

static const char *const param_keys[P_COUNT] = {
	"valid-lifetime",
	"min-valid-lifetime",
	"max-valid-lifetime",
	"renew-timer",
	"rebind-timer",
	"calculate-tee-times",
	"t1-percent",
	"t2-percent",
	"authoritative",
	"match-client-id",
	"next-server",
	"server-hostname",
	"boot-file-name",
	"reservations-global",
	"reservations-in-subnet",
	"reservations-out-of-pool",
	"store-extended-info",
	"cache-threshold",
	"cache-max-age",
};

/* Kea's defaults (simple_parser4.cc GLOBAL4_DEFAULTS). */
void ld_params_defaults(struct ternd_params *p)
{
	memset(p, 0, sizeof(*p));
	p->valid_lifetime = TERND_DEFAULT_VALID;
	p->min_valid_lifetime = TERND_DEFAULT_VALID;
	p->max_valid_lifetime = TERND_DEFAULT_VALID;
	p->t1_percent = TERND_DEFAULT_T1_PERCENT;
	p->t2_percent = TERND_DEFAULT_T2_PERCENT;
	p->match_client_id = true;
	p->res_in_subnet = true;
	ld_ddns_defaults(&p->ddns);
}

/* Kea's grammar takes a real here ("0.5", ".5"), not an integer; the range
 * is checked where the value is used (ld_resolve). */
static bool get_percent(struct loader *ld, const struct tjson *v, double *ret)
{
	if (v->type != TJSON_NUMBER || v->is_int) {
		ld_error_at(ld, v->pos, "\"%s\" must be a real number, not %s",
			    v->key, ld_a_type(v));
		return false;
	}
	*ret = v->d;
	return true;
}

/* cache-threshold: a real, as t1-percent. A shared network's or subnet's
 * must lie strictly between 0 and 1 (Kea's parseCacheParams); Kea checks
 * no global one: outside (0, 1] it only turns reuse off (reuse.c). */
static bool get_cache_threshold(struct loader *ld, const struct tjson *v,
				bool checked, double *ret)
{
	if (!get_percent(ld, v, ret))
		return false;
	if (checked && !(*ret > 0.0 && *ret < 1.0)) {
		ld_error_at(ld, v->pos,
			    "cache-threshold: %g is invalid, it must be "
			    "greater than 0.0 and less than 1.0",
			    *ret);
		return false;
	}
	return true;
}

/* reservation-mode (deprecated in Kea 2.2): the three flags it stands
 * for. */
static bool map_res_mode(struct loader *ld, const struct tjson *v,
			 struct ternd_params *p)
{
	if (!ld_want_type(ld, v, TJSON_STRING, "a string"))
		return false;
	if (strcmp(v->s, "disabled") == 0) {
		p->res_global = false;
		p->res_in_subnet = false;
		p->res_out_of_pool = false;
	} else if (strcmp(v->s, "out-of-pool") == 0) {
		p->res_global = false;
		p->res_in_subnet = true;
		p->res_out_of_pool = true;
	} else if (strcmp(v->s, "global") == 0) {
		p->res_global = true;
		p->res_in_subnet = false;
		p->res_out_of_pool = false;
	} else if (strcmp(v->s, "all") == 0) {
		p->res_global = false;
		p->res_in_subnet = true;
		p->res_out_of_pool = false;
	} else {
		ld_error_at(ld, v->pos,
			    "\"reservation-mode\": \"%s\" is not one of "
			    "disabled, out-of-pool, global, all",
			    v->s);
		return false;
	}
	return true;
}

#define RES_BITS                                          \
	((1u << P_RES_GLOBAL) | (1u << P_RES_IN_SUBNET) | \
	 (1u << P_RES_OUT_OF_POOL))

static bool parse_res_mode(struct loader *ld, const struct tjson *m,
			   struct pparams *pp)
{
	struct ternd_params flags;

	if (pp->res_mode || (pp->set & RES_BITS)) {
		ld_error_at(ld, m->kpos,
			    "invalid use of both \"reservation-mode\" and one "
			    "of \"reservations-global\", "
			    "\"reservations-in-subnet\" or "
			    "\"reservations-out-of-pool\"");
		return true;
	}
	if (!map_res_mode(ld, m, &flags))
		return true;
	pp->res_mode = m;
	pp->v.res_global = flags.res_global;
	pp->v.res_in_subnet = flags.res_in_subnet;
	pp->v.res_out_of_pool = flags.res_out_of_pool;
	pp->set |= RES_BITS;
	for (int p = P_RES_GLOBAL; p <= P_RES_OUT_OF_POOL; p++)
		pp->pos[p] = m->pos;
	return true;
}

/* Returns true when m is one of the inherited parameters. */
bool ld_parse_param(struct loader *ld, const struct tjson *m,
		    struct pparams *pp)
{
	struct ternd_params *v = &pp->v;
	bool ok;
	int p;

	if (strcmp(m->key, "reservation-mode") == 0)
		return parse_res_mode(ld, m, pp);
	if (ld_parse_ddns_param(ld, m, &pp->ddns))
		return true;
	for (p = 0; p < P_COUNT; p++)
		if (strcmp(m->key, param_keys[p]) == 0)
			break;
	if (p == P_COUNT)
		return false;
	if ((1u << p) & RES_BITS && pp->res_mode) {
		ld_error_at(ld, m->kpos,
			    "invalid use of both \"reservation-mode\" and "
			    "\"%s\"",
			    m->key);
		return true;
	}
	switch (p) {
	case P_VALID:
		ok = ld_get_u32(ld, m, 1, UINT32_MAX, &v->valid_lifetime);
		break;
	case P_MIN_VALID:
		ok = ld_get_u32(ld, m, 1, UINT32_MAX, &v->min_valid_lifetime);
		break;
	case P_MAX_VALID:
		ok = ld_get_u32(ld, m, 1, UINT32_MAX, &v->max_valid_lifetime);
		break;
	case P_RENEW:
		ok = ld_get_u32(ld, m, 0, UINT32_MAX, &v->renew_timer);
		v->has_renew_timer = ok;
		break;
	case P_REBIND:
		ok = ld_get_u32(ld, m, 0, UINT32_MAX, &v->rebind_timer);
		v->has_rebind_timer = ok;
		break;
	case P_CALC_TEE:
		ok = ld_get_bool(ld, m, &v->calculate_tee_times);
		break;
	case P_T1_PERCENT:
		ok = get_percent(ld, m, &v->t1_percent);
		break;
	case P_T2_PERCENT:
		ok = get_percent(ld, m, &v->t2_percent);
		break;
	case P_AUTHORITATIVE:
		ok = ld_get_bool(ld, m, &v->authoritative);
		break;
	case P_MATCH_CLIENT_ID:
		ok = ld_get_bool(ld, m, &v->match_client_id);
		break;
	case P_NEXT_SERVER:
		/* Kea: "" means not set here (inherit). */
		if (m->type == TJSON_STRING && m->len == 0)
			return true;
		ok = ld_get_addr(ld, m, &v->next_server);
		break;
	case P_SERVER_HOSTNAME:
		if (m->type == TJSON_STRING && m->len == 0)
			return true;
		ok = ld_get_str(ld, m, 64 - 1, &v->server_hostname);
		break;
	case P_BOOT_FILE:
		if (m->type == TJSON_STRING && m->len == 0)
			return true;
		ok = ld_get_str(ld, m, 128 - 1, &v->boot_file_name);
		break;
	case P_RES_GLOBAL:
		ok = ld_get_bool(ld, m, &v->res_global);
		break;
	case P_RES_IN_SUBNET:
		ok = ld_get_bool(ld, m, &v->res_in_subnet);
		break;
	case P_RES_OUT_OF_POOL:
		ok = ld_get_bool(ld, m, &v->res_out_of_pool);
		break;
	case P_STORE_EXT:
		ok = ld_get_bool(ld, m, &v->store_extended_info);
		break;
	case P_CACHE_THRESHOLD:
		ok = get_cache_threshold(ld, m, pp != &ld->global,
					 &v->cache_threshold);
		v->has_cache_threshold = ok;
		break;
	case P_CACHE_MAX_AGE:
		/* Kea takes any integer into a uint32_t: -1 is 4294967295. */
		ok = ld_want_type(ld, m, TJSON_NUMBER, "an integer") &&
		     m->is_int;
		if (m->type == TJSON_NUMBER && !m->is_int)
			ld_error_at(ld, m->pos,
				    "\"cache-max-age\" must be an integer");
		if (ok)
			v->cache_max_age = (uint32_t)(uint64_t)m->i;
		v->has_cache_max_age = ok;
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

/* Global parameters that do not inherit. */
bool ld_parse_global_knob(struct loader *ld, const struct tjson *m)
{
	struct ternd_config *cfg = ld->cfg;

	if (strcmp(m->key, "echo-client-id") == 0)
		ld_get_bool(ld, m, &cfg->echo_client_id);
	else if (strcmp(m->key, "compatibility") == 0) {
		if (!ld_want_type(ld, m, TJSON_OBJECT, "a map"))
			return true;
		for (const struct tjson *c = m->child; c; c = c->next)
			if (strcmp(c->key, "lenient-option-parsing") == 0)
				ld_get_bool(ld, c,
					    &cfg->lenient_option_parsing);
			else
				ld_other_key(ld, c, "compatibility");
	} else if (strcmp(m->key, "ip-reservations-unique") == 0)
		ld_get_bool(ld, m, &cfg->ip_reservations_unique);
	else if (strcmp(m->key, "early-global-reservations-lookup") == 0)
		ld_get_bool(ld, m, &cfg->early_global_reservations_lookup);
	else if (strcmp(m->key, "reservations-lookup-first") == 0) {
		/* Which of lease and reservation Kea checks first in
		 * multi-threaded mode: no effect on what a client gets. */
		bool b;

		ld_get_bool(ld, m, &b);
	} else
		return false;
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
		case P_RES_GLOBAL:
			r->v.res_global = s->res_global;
			break;
		case P_RES_IN_SUBNET:
			r->v.res_in_subnet = s->res_in_subnet;
			break;
		case P_RES_OUT_OF_POOL:
			r->v.res_out_of_pool = s->res_out_of_pool;
			break;
		case P_STORE_EXT:
			r->v.store_extended_info = s->store_extended_info;
			break;
		case P_CACHE_THRESHOLD:
			r->v.cache_threshold = s->cache_threshold;
			r->v.has_cache_threshold = true;
			break;
		case P_CACHE_MAX_AGE:
			r->v.cache_max_age = s->cache_max_age;
			r->v.has_cache_max_age = true;
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
	ld_vdiag(ld, TERND_DIAG_ERROR, r->pos[at], fmt, ap);
	va_end(ap);
}

/*
 * Kea checks t1-percent and t2-percent only where they are used: in a
 * subnet or shared network that calculates T1/T2 (with the values it
 * inherits). A global value is reported once, at its key.
 */
static void check_percents(struct loader *ld, const struct resolved *r,
			   enum level min_level)
{
	const struct ternd_params *v = &r->v;
	int bad = -1;
	const char *what = NULL;

	if (min_level < L_NETWORK || !v->calculate_tee_times)
		return;
	if (!(v->t2_percent > 0.0 && v->t2_percent < 1.0)) {
		bad = P_T2_PERCENT;
		what = "must be greater than 0.0 and less than 1.0";
	} else if (!(v->t1_percent > 0.0 && v->t1_percent < 1.0)) {
		bad = P_T1_PERCENT;
		what = "must be greater than 0.0 and less than 1.0";
	} else if (v->t1_percent >= v->t2_percent) {
		bad = r->lvl[P_T1_PERCENT] >= r->lvl[P_T2_PERCENT]
			      ? P_T1_PERCENT
			      : P_T2_PERCENT;
		what = "t1-percent must be less than t2-percent";
	}
	if (bad < 0)
		return;
	if (r->lvl[bad] < min_level) {
		if (ld->pct_reported)
			return;
		ld->pct_reported = true;
	}
	ld_error_at(
		ld, r->pos[bad],
		"%s (t1-percent %g, t2-percent %g) with calculate-tee-times",
		what, v->t1_percent, v->t2_percent);
}

void ld_resolve(struct loader *ld, const struct pparams *const *levels,
		size_t n, enum level min_level, struct ternd_params *out)
{
	struct resolved r;
	struct ternd_params *v = &r.v;

	memset(&r, 0, sizeof(r));
	ld_params_defaults(v);
	for (size_t i = 0; i < n; i++)
		if (levels[i])
			apply(&r, levels[i], (enum level)(L_GLOBAL + i));
	ld_resolve_ddns(ld, levels, n, &v->ddns);
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
	/* Timers beyond the lease are accepted, as by Kea: they are then
	 * not sent (answer.c). */
	if (v->has_renew_timer && v->has_rebind_timer &&
	    v->renew_timer > v->rebind_timer)
		conflict(ld, &r, min_level, P_RENEW, P_REBIND,
			 "renew-timer (%u) is greater than rebind-timer (%u)",
			 v->renew_timer, v->rebind_timer);
	check_percents(ld, &r, min_level);
	*out = *v;
}
