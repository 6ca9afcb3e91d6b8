/* ternd configuration queries: lookups for the allocation engine, diagnostics
 * output, release. */
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

static int cmp_host(const struct ternd_reservation *r, enum ternd_host_id type,
		    const uint8_t *id, size_t len)
{
	if (r->id_type != type)
		return r->id_type < type ? -1 : 1;
	if (r->id_len != len)
		return r->id_len < len ? -1 : 1;
	return memcmp(r->id, id, len);
}

const struct ternd_reservation *
ternd_subnet_find_host(const struct ternd_subnet *s, enum ternd_host_id type,
		       const uint8_t *id, size_t len)
{
	size_t lo = 0, hi;

	if (!s || !id || len == 0 || len > TERND_MAX_CLIENT_ID)
		return NULL;
	hi = s->n_reservations;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = cmp_host(&s->reservations[mid], type, id, len);

		if (c == 0)
			return &s->reservations[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
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

	if (!l)
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

/* Most specific first; unused levels are NULL. */
static void levels_of(const struct ternd_config *cfg,
		      const struct ternd_subnet *subnet,
		      const struct ternd_reservation *res,
		      const struct ternd_optlist *out[4])
{
	out[0] = res ? &res->options : NULL;
	out[1] = subnet ? &subnet->options : NULL;
	out[2] = subnet && subnet->network_of ? &subnet->network_of->options
					      : NULL;
	out[3] = cfg ? &cfg->options : NULL;
}

const struct ternd_option *
ternd_config_option(const struct ternd_config *cfg,
		    const struct ternd_subnet *subnet,
		    const struct ternd_reservation *res, uint8_t code)
{
	const struct ternd_optlist *lv[4];

	levels_of(cfg, subnet, res, lv);
	for (int i = 0; i < 4; i++) {
		const struct ternd_option *o = ternd_optlist_find(lv[i], code);

		if (o)
			return o->never_send ? NULL : o;
	}
	return NULL;
}

int ternd_config_effective_options(const struct ternd_config *cfg,
				   const struct ternd_subnet *subnet,
				   const struct ternd_reservation *res,
				   const struct ternd_option **out, size_t max)
{
	size_t n = 0;

	if (!out)
		return -EINVAL;
	/* Codes in order, so the result comes out sorted; each code takes
	 * the most specific level that has it. */
	for (unsigned code = 1; code < 255; code++) {
		const struct ternd_option *o =
			ternd_config_option(cfg, subnet, res, (uint8_t)code);

		if (!o)
			continue;
		if (n >= max)
			return -ENOBUFS;
		out[n++] = o;
	}
	return (int)n;
}
