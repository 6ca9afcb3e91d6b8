/* ternd inherited parameters: global -> shared network -> subnet, resolved
 * per subnet with Kea's consistency checks. */
#include <stdarg.h>
#include <string.h>

#include "server/config/loader.h"

static const char *const param_keys[P_COUNT] = {
	"valid-lifetime",  "min-valid-lifetime", "max-valid-lifetime",
	"renew-timer",	   "rebind-timer",	 "calculate-tee-times",
	"t1-percent",	   "t2-percent",	 "authoritative",
	"match-client-id", "next-server",	 "server-hostname",
	"boot-file-name",
};

void ld_params_defaults(struct ternd_params *p)
{
	memset(p, 0, sizeof(*p));
	p->valid_lifetime = TERND_DEFAULT_VALID;
	p->min_valid_lifetime = TERND_DEFAULT_VALID;
	p->max_valid_lifetime = TERND_DEFAULT_VALID;
	p->t1_percent = TERND_DEFAULT_T1_PERCENT;
	p->t2_percent = TERND_DEFAULT_T2_PERCENT;
	p->match_client_id = true;
	ld_ddns_defaults(&p->ddns);
}

static bool get_percent(struct loader *ld, const struct tjson *v, double *ret)
{
	if (v->type != TJSON_NUMBER) {
		ld_error_at(ld, v->pos, "\"%s\" must be a number, not %s",
			    v->key, ld_a_type(v));
		return false;
	}
	if (!(v->d > 0.0 && v->d < 1.0)) {
		ld_error_at(ld, v->pos,
			    "\"%s\" must be greater than 0 and less than 1",
			    v->key);
		return false;
	}
	*ret = v->d;
	return true;
}

/* Returns true when m is one of the inherited parameters. */
bool ld_parse_param(struct loader *ld, const struct tjson *m,
		    struct pparams *pp)
{
	struct ternd_params *v = &pp->v;
	bool ok;
	int p;

	if (ld_parse_ddns_param(ld, m, &pp->ddns))
		return true;
	for (p = 0; p < P_COUNT; p++)
		if (strcmp(m->key, param_keys[p]) == 0)
			break;
	if (p == P_COUNT)
		return false;
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
		ok = ld_get_addr(ld, m, &v->next_server);
		break;
	case P_SERVER_HOSTNAME:
		ok = ld_get_str(ld, m, 64 - 1, &v->server_hostname);
		break;
	case P_BOOT_FILE:
		ok = ld_get_str(ld, m, 128 - 1, &v->boot_file_name);
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
	ld_vdiag(ld, TERND_DIAG_ERROR, r->pos[at], fmt, ap);
	va_end(ap);
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
