/* ternd configuration queries: lookups for the allocation engine, diagnostics
 * output, release. */
#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "common/arena.h"
#include "server/classify/expr.h"
#include "server/config/config.h"
#include "server/config/loader.h"

void ternd_config_free(struct ternd_config *cfg)
{
	if (!cfg)
		return;
	ternd_expr_free(cfg->hooks.flex_id_x);
	ternd_expr_free(cfg->hooks.legal_request_x);
	ternd_expr_free(cfg->hooks.legal_response_x);
	ld_ddns_free(cfg);
	ld_free_exprs(cfg); /* classes' tests */
	ternd_arena_free(cfg->arena);
	free(cfg);
}

void ternd_diags_print(FILE *out, const char *file,
		       const struct ternd_diags *diags)
{
	if (!out || !diags)
		return;
	for (size_t i = 0; i < diags->n; i++) {
		const struct ternd_diag *d = &diags->v[i];
		const char *lvl =
			d->level == TERND_DIAG_ERROR ? "error" : "warning";

		if (d->line && d->file[0])
			fprintf(out, "%s:%u:%u: %s: %s (%s)\n", d->file,
				d->line, d->col, lvl, d->msg, d->from);
		else if (d->line)
			fprintf(out, "%s:%u:%u: %s: %s\n", file ? file : "-",
				d->line, d->col, lvl, d->msg);
		else
			fprintf(out, "%s: %s: %s\n", file ? file : "-", lvl,
				d->msg);
	}
	if (diags->dropped)
		fprintf(out, "%s: %u more diagnostics not shown\n",
			file ? file : "-", diags->dropped);
}

const struct ternd_subnet *
ternd_config_subnet_by_id(const struct ternd_config *cfg, uint32_t id)
{
	if (!cfg)
		return NULL;
	/* Sorted by network, not id: subnets are few, a scan is cheap. */
	for (size_t i = 0; i < cfg->n_subnets; i++)
		if (cfg->subnets[i].id == id)
			return &cfg->subnets[i];
	return NULL;
}

const struct ternd_subnet *
ternd_config_subnet_for_addr(const struct ternd_config *cfg, uint32_t addr)
{
	size_t lo = 0, hi;

	if (!cfg)
		return NULL;
	hi = cfg->n_subnets;
	/* Subnets are disjoint and sorted: the candidate is the last one
	 * starting at or below addr. */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (cfg->subnets[mid].network <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == 0)
		return NULL;
	if ((addr & cfg->subnets[lo - 1].mask) != cfg->subnets[lo - 1].network)
		return NULL;
	return &cfg->subnets[lo - 1];
}

const struct ternd_reservation *
ternd_subnet_find_host(const struct ternd_subnet *s, enum ternd_host_id type,
		       const uint8_t *id, size_t len)
{
	struct ternd_hosts h;

	if (!s)
		return NULL;
	h = ternd_subnet_hosts(s);
	return ternd_hosts_find(&h, type, id, len);
}

const struct ternd_reservation *
ternd_subnet_find_addr(const struct ternd_subnet *s, uint32_t addr)
{
	size_t lo = 0, hi;

	if (!s)
		return NULL;
	hi = s->n_res_by_addr;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		uint32_t a = s->res_by_addr[mid]->addr;

		if (a == addr)
			return s->res_by_addr[mid];
		if (a < addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

const struct ternd_option *ternd_optlist_find(const struct ternd_optlist *l,
					      uint8_t code)
{
	size_t lo = 0, hi;

	if (!l || !ternd_codeset_has(l->has, code))
		return NULL;
	hi = l->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (l->v[mid].code == code)
			return &l->v[mid];
		if (l->v[mid].code < code)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

const struct ternd_option *
ternd_optlist_find_vendor(const struct ternd_optlist *l, uint32_t enterprise,
			  uint8_t code)
{
	size_t lo = 0, hi;

	if (!l)
		return NULL;
	hi = l->n_vend;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct ternd_vendor_option *v = &l->vend[mid];

		if (v->enterprise == enterprise && v->o.code == code)
			return &v->o;
		if (v->enterprise < enterprise ||
		    (v->enterprise == enterprise && v->o.code < code))
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

const struct ternd_pool *ternd_subnet_find_pool(const struct ternd_subnet *s,
						uint32_t addr)
{
	size_t lo = 0, hi;

	if (!s)
		return NULL;
	hi = s->n_pools;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (addr < s->pools[mid].first)
			hi = mid;
		else if (addr > s->pools[mid].last)
			lo = mid + 1;
		else
			return &s->pools[mid];
	}
	return NULL;
}

static bool optlist_empty(const struct ternd_optlist *l)
{
	return !l->n && !l->n_vend &&
	       !(l->never[0] | l->never[1] | l->never[2] | l->never[3]);
}

size_t ternd_config_levels(const struct ternd_config *cfg,
			   const struct ternd_subnet *subnet,
			   const struct ternd_reservation *res, uint32_t addr,
			   const struct ternd_optlist **out, size_t max)
{
	const struct ternd_pool *pool =
		addr ? ternd_subnet_find_pool(subnet, addr) : NULL;
	const struct ternd_optlist *lv[5];
	size_t n = 0, k = 0;

	/* Kea's buildCfgOptionList, without client classes. */
	lv[k++] = res ? &res->options : NULL;
	lv[k++] = pool ? &pool->options : NULL;
	lv[k++] = subnet ? &subnet->options : NULL;
	lv[k++] = subnet && subnet->network_of ? &subnet->network_of->options
					       : NULL;
	lv[k++] = cfg ? &cfg->options : NULL;
	for (size_t i = 0; i < k && n < max; i++)
		if (lv[i] && !optlist_empty(lv[i]))
			out[n++] = lv[i];
	return n;
}

const struct ternd_option *
ternd_levels_option(const struct ternd_optlist *const *levels, size_t n,
		    uint8_t code)
{
	const struct ternd_option *o = NULL;

	for (size_t i = 0; i < n; i++) {
		if (ternd_codeset_has(levels[i]->never, code))
			return NULL;
		if (!o)
			o = ternd_optlist_find(levels[i], code);
	}
	return o;
}

const struct ternd_option *
ternd_config_option(const struct ternd_config *cfg,
		    const struct ternd_subnet *subnet,
		    const struct ternd_reservation *res, uint8_t code)
{
	const struct ternd_optlist *lv[5];
	size_t n = ternd_config_levels(cfg, subnet, res, 0, lv, 5);

	return ternd_levels_option(lv, n, code);
}

static bool list_has_sid(const struct ternd_optlist *l, uint32_t addr)
{
	const struct ternd_option *o = ternd_optlist_find(l, 54);
	uint32_t be = htonl(addr);

	/* Kea reads the option's first address (OptionCustom). */
	return o && o->len >= 4 && memcmp(o->data, &be, 4) == 0;
}

bool ternd_config_is_server_id(const struct ternd_config *cfg, uint32_t addr)
{
	if (!cfg)
		return false;
	for (size_t i = 0; i < cfg->n_subnets; i++)
		if (list_has_sid(&cfg->subnets[i].options, addr))
			return true;
	for (size_t i = 0; i < cfg->n_networks; i++)
		if (list_has_sid(&cfg->networks[i].options, addr))
			return true;
	return list_has_sid(&cfg->options, addr);
}
