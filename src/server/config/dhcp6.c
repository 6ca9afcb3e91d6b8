/* ternd configuration: the Dhcp6 map (global keys, lifetimes and timers,
 * server-id) and the fate of every Dhcp6 key no reader takes. */
#include <arpa/inet.h>
#include <string.h>

#include "common/hex.h"
#include "server/config/loader6.h"

enum {
	P6_VALID,
	P6_MIN_VALID,
	P6_MAX_VALID,
	P6_PREF,
	P6_MIN_PREF,
	P6_MAX_PREF,
	P6_RENEW,
	P6_REBIND,
	P6_CALC,
	P6_T1P,
	P6_T2P,
	P6_RAPID,
};

/*
 * Kea 2.2 Dhcp6 keys ternd does not implement: refused by name, so a
 * file never silently means something else here than in kea-dhcp6.
 * (K:src/bin/dhcp6/dhcp6_parser.yy, global_param and subnet6_param.)
 */
static const char *const not_impl[] = {
	"hosts-database",
	"hosts-databases",
	"dhcp-ddns",
	"config-control",
	"dhcp4o6-port",
	"cache-threshold",
	"cache-max-age",
	"ddns-send-updates",
	"ddns-override-no-update",
	"ddns-override-client-update",
	"ddns-replace-client-name",
	"ddns-generated-prefix",
	"ddns-qualifying-suffix",
	"ddns-update-on-renew",
	"ddns-use-conflict-resolution",
	"hostname-char-set",
	"hostname-char-replacement",
	"excluded-prefixes",
	"server-tag",
	"data-directory",
	NULL,
};

/* Kea keys with no effect on ternd's answers (see docs/config.md). */
static const char *const no_effect[] = {
	"comment",
	"multi-threading",
	"dhcp-queue-control",
	"sanity-checks",
	"statistic-default-sample-count",
	"statistic-default-sample-age",
	"parked-packet-limit",
	"store-extended-info",
	"reservations-lookup-first",
	"compatibility",
	NULL,
};

static bool in_list(const char *const *l, const char *k)
{
	for (; *l; l++)
		if (strcmp(*l, k) == 0)
			return true;
	return false;
}

void ld6_other_key(struct loader *ld, const struct tjson *m, const char *where)
{
	if (in_list(no_effect, m->key))
		return;
	if (in_list(not_impl, m->key)) {
		ld_error_at(ld, m->kpos,
			    "\"%s\" in %s is a Kea key ternd does not "
			    "implement for DHCPv6",
			    m->key, where);
		return;
	}
	ld_warn_at(ld, m->kpos, "unknown key \"%s\" in %s ignored", m->key,
		   where);
}

static bool get_pct(struct loader *ld, const struct tjson *v, double *ret)
{
	if (v->type != TJSON_NUMBER || v->d < 0 || v->d > 1) {
		ld_error_at(ld, v->pos, "\"%s\" must be a number in 0..1",
			    v->key);
		return false;
	}
	*ret = v->d;
	return true;
}

bool ld6_parse_param(struct loader *ld, const struct tjson *m,
		     struct pparams6 *pp, bool allow_rapid)
{
	static const struct {
		const char *key;
		int p;
	} u32s[] = {
		{"valid-lifetime", P6_VALID},
		{"min-valid-lifetime", P6_MIN_VALID},
		{"max-valid-lifetime", P6_MAX_VALID},
		{"preferred-lifetime", P6_PREF},
		{"min-preferred-lifetime", P6_MIN_PREF},
		{"max-preferred-lifetime", P6_MAX_PREF},
		{"renew-timer", P6_RENEW},
		{"rebind-timer", P6_REBIND},
	};
	struct ternd_params6 *v = &pp->v;
	uint32_t *dst[] = {&v->valid,	      &v->min_valid,
			   &v->max_valid,     &v->preferred,
			   &v->min_preferred, &v->max_preferred,
			   &v->renew_timer,   &v->rebind_timer};

	if (ld6_res_param(ld, m, &pp->res))
		return true;
	for (size_t i = 0; i < sizeof(u32s) / sizeof(u32s[0]); i++) {
		if (strcmp(m->key, u32s[i].key) != 0)
			continue;
		if (ld_get_u32(ld, m, 0, UINT32_MAX, dst[i]))
			pp->set |= 1u << u32s[i].p;
		return true;
	}
	if (strcmp(m->key, "calculate-tee-times") == 0) {
		if (ld_get_bool(ld, m, &v->calculate_tee_times))
			pp->set |= 1u << P6_CALC;
	} else if (strcmp(m->key, "t1-percent") == 0) {
		if (get_pct(ld, m, &v->t1_percent))
			pp->set |= 1u << P6_T1P;
	} else if (strcmp(m->key, "t2-percent") == 0) {
		if (get_pct(ld, m, &v->t2_percent))
			pp->set |= 1u << P6_T2P;
	} else if (allow_rapid && strcmp(m->key, "rapid-commit") == 0) {
		if (ld_get_bool(ld, m, &v->rapid_commit))
			pp->set |= 1u << P6_RAPID;
	} else {
		return false;
	}
	return true;
}

static void params_defaults(struct ternd_params6 *p)
{
	memset(p, 0, sizeof(*p));
	p->valid = p->min_valid = p->max_valid = TERND6_DEFAULT_VALID;
	p->preferred = p->min_preferred = p->max_preferred =
		TERND6_DEFAULT_PREF;
	p->calculate_tee_times = true;
	p->t1_percent = TERND6_DEFAULT_T1_PCT;
	p->t2_percent = TERND6_DEFAULT_T2_PCT;
}

/* Copy what level l sets over out. */
static void apply(const struct pparams6 *l, struct ternd_params6 *out,
		  bool *valid_set, bool *pref_set)
{
	const struct ternd_params6 *v = &l->v;

#define TAKE(bit, field)                       \
	do {                                   \
		if (l->set & (1u << (bit)))    \
			out->field = v->field; \
	} while (0)
	TAKE(P6_VALID, valid);
	TAKE(P6_MIN_VALID, min_valid);
	TAKE(P6_MAX_VALID, max_valid);
	TAKE(P6_PREF, preferred);
	TAKE(P6_MIN_PREF, min_preferred);
	TAKE(P6_MAX_PREF, max_preferred);
	TAKE(P6_CALC, calculate_tee_times);
	TAKE(P6_T1P, t1_percent);
	TAKE(P6_T2P, t2_percent);
	TAKE(P6_RAPID, rapid_commit);
#undef TAKE
	if (l->set & (1u << P6_RENEW)) {
		out->renew_timer = v->renew_timer;
		out->has_renew = true;
	}
	if (l->set & (1u << P6_REBIND)) {
		out->rebind_timer = v->rebind_timer;
		out->has_rebind = true;
	}
	if (l->set & (1u << P6_VALID)) {
		*valid_set = true;
		if (!(l->set & (1u << P6_MIN_VALID)))
			out->min_valid = v->valid;
		if (!(l->set & (1u << P6_MAX_VALID)))
			out->max_valid = v->valid;
	}
	if (l->set & (1u << P6_PREF)) {
		*pref_set = true;
		if (!(l->set & (1u << P6_MIN_PREF)))
			out->min_preferred = v->preferred;
		if (!(l->set & (1u << P6_MAX_PREF)))
			out->max_preferred = v->preferred;
	}
}

void ld6_resolve(struct loader *ld, const struct pparams6 *global,
		 const struct pparams6 *network, const struct pparams6 *subnet,
		 struct tjson_pos pos, struct ternd_params6 *out)
{
	bool valid_set = false, pref_set = false;

	params_defaults(out);
	if (global)
		apply(global, out, &valid_set, &pref_set);
	if (network)
		apply(network, out, &valid_set, &pref_set);
	if (subnet)
		apply(subnet, out, &valid_set, &pref_set);
	ld6_res_resolve(global ? &global->res : NULL,
			network ? &network->res : NULL,
			subnet ? &subnet->res : NULL, out);
	/* Kea: preferred never set but valid set is 0.625 x valid. */
	if (valid_set && !pref_set && out->valid != TERND6_INFINITY)
		out->preferred = out->min_preferred = out->max_preferred =
			(uint32_t)((uint64_t)out->valid * 5 / 8);
	if (out->min_valid > out->valid || out->valid > out->max_valid)
		ld_error_at(ld, pos,
			    "valid-lifetime %u is outside min-valid-lifetime "
			    "%u .. max-valid-lifetime %u",
			    out->valid, out->min_valid, out->max_valid);
	if (out->min_preferred > out->preferred ||
	    out->preferred > out->max_preferred)
		ld_error_at(ld, pos,
			    "preferred-lifetime %u is outside "
			    "min-preferred-lifetime %u .. "
			    "max-preferred-lifetime %u",
			    out->preferred, out->min_preferred,
			    out->max_preferred);
	/* A client drops an IAADDR with preferred > valid (RFC 8415 §21.6):
	 * never configure one. */
	if (out->preferred > out->valid)
		ld_error_at(ld, pos,
			    "preferred-lifetime %u is greater than "
			    "valid-lifetime %u (clients discard such "
			    "addresses)",
			    out->preferred, out->valid);
	if (out->has_renew && out->has_rebind &&
	    out->renew_timer > out->rebind_timer)
		ld_error_at(ld, pos,
			    "renew-timer %u is greater than rebind-timer %u",
			    out->renew_timer, out->rebind_timer);
	if (out->t1_percent >= out->t2_percent)
		ld_error_at(ld, pos, "t1-percent must be less than t2-percent");
}

/* server-id: {type, identifier, enterprise-id, persist, time, htype}. */
static void parse_server_id(struct loader *ld, const struct tjson *obj,
			    struct ternd_config6 *c6)
{
	if (!ld_want_type(ld, obj, TJSON_OBJECT, "a map"))
		return;
	for (const struct tjson *m = obj->child; m; m = m->next) {
		if (strcmp(m->key, "type") == 0) {
			if (!ld_want_type(ld, m, TJSON_STRING, "a string"))
				continue;
			if (strcmp(m->s, "LLT") == 0)
				c6->server_id_type = TERND6_SERVER_ID_LLT;
			else if (strcmp(m->s, "EN") == 0)
				c6->server_id_type = TERND6_SERVER_ID_EN;
			else if (strcmp(m->s, "LL") == 0)
				c6->server_id_type = TERND6_SERVER_ID_LL;
			else
				ld_error_at(ld, m->pos,
					    "server-id type must be \"LLT\", "
					    "\"EN\" or \"LL\"");
		} else if (strcmp(m->key, "persist") == 0) {
			ld_get_bool(ld, m, &c6->server_id_persist);
		} else if (strcmp(m->key, "enterprise-id") == 0) {
			ld_get_u32(ld, m, 0, UINT32_MAX,
				   &c6->server_id_enterprise);
		} else if (strcmp(m->key, "identifier") == 0) {
			uint8_t *b;
			int n;

			if (!ld_want_type(ld, m, TJSON_STRING, "a string"))
				continue;
			if (!(b = ld_aalloc(ld, ld->a, 128, 1)))
				return;
			n = ternd_hex_decode(m->s, b, 128);
			if (n <= 0) {
				ld_error_at(
					ld, m->pos,
					"server-id identifier must be 1..128 "
					"bytes of hexadecimal");
				continue;
			}
			c6->server_id_ident = b;
			c6->server_id_ident_len = (uint16_t)n;
		} else if (strcmp(m->key, "time") == 0 ||
			   strcmp(m->key, "htype") == 0) {
			uint32_t x;

			/* The values of the DUID Kea made once; ternd makes
			 * its own when it has none persisted. */
			ld_get_u32(ld, m, 0, UINT32_MAX, &x);
		} else {
			ld6_other_key(ld, m, "server-id");
		}
	}
}

/* user-context.ternd: user and group (the privilege drop) as for Dhcp4;
 * what a Dhcp6 ternd does not do yet is refused rather than ignored. */
static void parse_user_context(struct loader *ld, const struct tjson *uc)
{
	const struct tjson *t =
		uc->type == TJSON_OBJECT ? tjson_get(uc, "ternd") : NULL;

	for (const struct tjson *m = t && t->type == TJSON_OBJECT ? t->child
								  : NULL;
	     m; m = m->next)
		if (strcmp(m->key, "user") != 0 &&
		    strcmp(m->key, "group") != 0 &&
		    strcmp(m->key, "metrics") != 0 &&
		    strcmp(m->key, "server-index") != 0 &&
		    strcmp(m->key, "servers") != 0)
			ld_error_at(ld, m->kpos,
				    "\"%s\" in user-context.ternd is not "
				    "implemented for DHCPv6 (user, group, "
				    "metrics, server-index and servers are)",
				    m->key);
	ld_parse_ternd_ext(ld, uc);
}

void ld_parse_dhcp6(struct loader *ld, const struct tjson *d)
{
	struct ternd_config *cfg = ld->cfg;
	struct ternd_config6 *c6;
	struct pparams6 *global;
	const struct tjson *subnets = NULL, *networks = NULL, *hosts = NULL;

	if (!ld_want_type(ld, d, TJSON_OBJECT, "a map"))
		return;
	c6 = ld_aalloc(ld, ld->a, 1, sizeof(*c6));
	global = ld_aalloc(ld, ld->tmp, 1, sizeof(*global));
	if (!c6 || !global)
		return;
	c6->decline_probation_period = TERND_DEFAULT_DECLINE;
	c6->server_id_type = TERND6_SERVER_ID_LLT;
	c6->server_id_persist = true;
	ld6_expiry_defaults(&c6->expiry);
	/* Definitions first, wherever they are, as Kea: option-data
	 * anywhere may name them. */
	for (const struct tjson *m = d->child; m; m = m->next)
		if (strcmp(m->key, "option-def") == 0) {
			ld_parse_option_defs6(ld, m, &ld->defs, ld6_std_def);
			cfg->option_defs = ld->defs.v;
			cfg->n_option_defs = ld->defs.n;
		}
	for (const struct tjson *m = d->child; m; m = m->next) {
		if (strcmp(m->key, "interfaces-config") == 0)
			ld_parse_interfaces_config(ld, m);
		else if (strcmp(m->key, "lease-database") == 0)
			ld_parse_lease_database(ld, m);
		else if (strcmp(m->key, "control-socket") == 0)
			ld_parse_control_socket(ld, m);
		else if (strcmp(m->key, "loggers") == 0)
			ld_parse_loggers(ld, m, "kea-dhcp6");
		else if (strcmp(m->key, "user-context") == 0)
			parse_user_context(ld, m);
		else if (strcmp(m->key, "decline-probation-period") == 0)
			ld_get_u32(ld, m, 0, UINT32_MAX,
				   &c6->decline_probation_period);
		else if (strcmp(m->key, "option-data") == 0)
			ld6_parse_optlist(ld, m, &c6->options);
		else if (strcmp(m->key, "option-def") == 0)
			; /* above */
		else if (strcmp(m->key, "server-id") == 0)
			parse_server_id(ld, m, c6);
		else if (strcmp(m->key, "hooks-libraries") == 0)
			ld_parse_hooks6(ld, m);
		else if (strcmp(m->key, "expired-leases-processing") == 0)
			ld6_parse_expiry(ld, m, &c6->expiry);
		else if (strcmp(m->key, "client-classes") == 0)
			ld6_parse_client_classes(ld, m, c6);
		else if (ld6_hosts_key(ld, m, c6, &hosts))
			;
		else if (strcmp(m->key, "relay-supplied-options") == 0)
			ld6_parse_rsoo(ld, m, c6);
		else if (strcmp(m->key, "subnet6") == 0)
			subnets = m;
		else if (strcmp(m->key, "shared-networks") == 0)
			networks = m;
		else if (!ld6_parse_param(ld, m, global, false))
			ld6_other_key(ld, m, "Dhcp6");
	}
	ld6_resolve(ld, global, NULL, NULL, d->pos, &c6->global);
	/* The lease-database reader names Kea's v4 memfile by default: a
	 * Dhcp6 memfile without a name is Kea's v6 one. The store sits beside
	 * the CSV, whose bindings daemon6 imports once (store/kea_csv6.c). */
	if (cfg->store_csv_path &&
	    strcmp(cfg->store_csv_path, TERND_KEA_MEMFILE4_DEFAULT) == 0) {
		cfg->store_path = "/var/lib/kea/kea-leases6.sqlite";
		cfg->store_csv_path = TERND6_KEA_MEMFILE;
	} else if (strcmp(cfg->store_path, TERND_DEFAULT_STORE_PATH) == 0) {
		cfg->store_path = "/var/lib/tern/ternd-leases6.sqlite";
	}
	if (subnets || networks)
		ld6_parse_subnets(ld, subnets, networks, global, c6);
	if (hosts)
		ld6_parse_global_hosts(ld, hosts, c6);
	ld6_finish_classes(ld, c6);
	cfg->v6 = c6;
}
