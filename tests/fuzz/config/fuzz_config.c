/* Fuzz target: bytes -> ternd's JSON reader and configuration loader (Kea's
 * dialect, includes read from memory), then the lookup helpers. */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/json.h"
#include "server/config/config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_use(const struct ternd_config *cfg,
		      const struct ternd_class_use *u)
{
	if (u->restricted && u->only >= cfg->classes.n)
		abort();
	for (size_t k = 0; k < u->n_required; k++)
		if (u->required[k] >= cfg->classes.n ||
		    !cfg->classes.v[u->required[k]].test)
			abort();
}

/* A reservation is found by its identifier and, when it has one, among the
 * reservations of its address (several with ip-reservations-unique off). */
static void check_hosts(const struct ternd_hosts *h)
{
	for (size_t j = 0; j < h->n; j++) {
		const struct ternd_reservation *r = &h->v[j];
		const struct ternd_reservation *const *at;
		size_t n, k;

		if (ternd_hosts_find(h, r->id_type, r->id, r->id_len) != r)
			abort();
		if (!r->addr)
			continue;
		n = ternd_hosts_at(h, r->addr, &at);
		for (k = 0; k < n && at[k] != r; k++)
			;
		if (k == n)
			abort();
	}
}

/* Walks what the engine would use, so a struct the loader built wrong
 * (a dangling pointer, an unsorted list) shows up under ASan. */
static void check_list(const struct ternd_optlist *l)
{
	for (size_t i = 0; i < l->n; i++)
		if ((i && l->v[i].code <= l->v[i - 1].code) ||
		    !ternd_codeset_has(l->has, l->v[i].code) ||
		    ternd_optlist_find(l, l->v[i].code) != &l->v[i] ||
		    (l->v[i].len && !l->v[i].data))
			abort();
	for (size_t i = 0; i < l->n_vend; i++)
		if (ternd_optlist_find_vendor(l, l->vend[i].enterprise,
					      l->vend[i].o.code) !=
		    &l->vend[i].o)
			abort();
}

static void exercise(const struct ternd_config *cfg)
{
	check_hosts(&cfg->global_hosts);
	check_list(&cfg->options);
	for (size_t i = 0; i < cfg->n_subnets; i++) {
		const struct ternd_subnet *s = &cfg->subnets[i];

		if (ternd_config_subnet_for_addr(cfg, s->network) != s)
			abort();
		if (ternd_config_subnet_by_id(cfg, s->id) == NULL)
			abort();
		{
			struct ternd_hosts h = ternd_subnet_hosts(s);

			check_hosts(&h);
		}
		for (size_t j = 0; j < s->n_reservations; j++) {
			const struct ternd_reservation *r = &s->reservations[j];

			if (ternd_subnet_find_host(s, r->id_type, r->id,
						   r->id_len) != r)
				abort();
			check_list(&r->options);
			for (unsigned c = 1; c < 255; c++)
				(void)ternd_config_option(cfg, s, r,
							  (uint8_t)c);
		}
		check_list(&s->options);
		for (size_t j = 0; j < s->n_pools; j++) {
			if (s->pools[j].first > s->pools[j].last ||
			    (j && s->pools[j].first <= s->pools[j - 1].last))
				abort();
			check_list(&s->pools[j].options);
		}
		for (size_t j = 0; j < s->n_pools; j++)
			check_use(cfg, &s->pools[j].cls);
		check_use(cfg, &s->cls);
	}
	for (size_t i = 0; i < cfg->n_networks; i++)
		check_use(cfg, &cfg->networks[i].cls);
	/* Client classes: every name found again by name, the defined ones
	 * with their index. */
	for (size_t i = 0; i < cfg->classes.n; i++) {
		const char *name = cfg->classes.v[i].name;

		if (ternd_config_class_find(cfg, name, strlen(name)) !=
		    (int32_t)i)
			abort();
		if (strncmp(name, "VENDOR_CLASS_", 13) == 0 && name[13] &&
		    ternd_config_vendor_class(cfg, (const uint8_t *)name + 13,
					      strlen(name + 13)) != (int32_t)i)
			abort();
	}
	for (size_t i = 0; i < cfg->classes.n_defs; i++)
		if (cfg->classes.defs[i] >= cfg->classes.n ||
		    !cfg->classes.v[cfg->classes.defs[i]].defined)
			abort();
}

/* Includes never touch the file system here: "self" is the input again,
 * "frag" members of a Dhcp4 map, "value" a number. */
struct input {
	const uint8_t *data;
	size_t size;
};

static int read_include(void *arg, const char *name, size_t max,
			char **ret_text, size_t *ret_len)
{
	const struct input *in = arg;
	const char *text;
	size_t n;

	if (strcmp(name, "self") == 0) {
		text = (const char *)in->data;
		n = in->size;
	} else if (strcmp(name, "frag") == 0) {
		text = "\"renew-timer\": 100,, \"rebind-timer\": 200,";
		n = strlen(text);
	} else if (strcmp(name, "value") == 0) {
		text = "4000";
		n = 4;
	} else {
		return -ENOENT;
	}
	if (n > max)
		return -EFBIG;
	if (!(*ret_text = malloc(n ? n : 1)))
		return -ENOMEM;
	memcpy(*ret_text, text, n);
	*ret_len = n;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct ternd_diags diags;
	struct ternd_config *cfg = NULL;
	struct tjson_doc *doc = NULL;
	struct tjson_limits lim = {1u << 20, 16, 4096, 256};

	/* Tight limits reach the limit paths with small inputs. */
	if (tjson_parse((const char *)data, size, &lim, &doc, NULL) == 0)
		tjson_doc_free(doc);
	diags.n = 0;
	diags.errors = diags.warnings = diags.dropped = 0;
	{
		struct input in = {data, size};
		const struct ternd_config_input src = {.name = "fuzz",
						       .read_include =
							       read_include,
						       .arg = &in};

		if (ternd_config_load_input((const char *)data, size, &src,
					    &cfg, &diags) == 0) {
			if (diags.errors)
				abort();
			exercise(cfg);
		}
	}
	/* Every diagnostic has its place: a line, or none at all. */
	for (size_t i = 0; i < diags.n; i++)
		if ((diags.v[i].file[0] && !diags.v[i].line) ||
		    (diags.v[i].file[0] && !diags.v[i].from[0]))
			abort();
	ternd_config_free(cfg);
	return 0;
}
