/* ternd option-data lists: each entry checked against the option table and
 * encoded to wire bytes once, at load time. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "server/config/loader.h"
#include "server/config/options.h"

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

	if (!ld_want_type(ld, o, TJSON_OBJECT, "a map"))
		return false;
	for (m = o->child; m; m = m->next) {
		if (strcmp(m->key, "name") == 0) {
			if (ld_want_type(ld, m, TJSON_STRING, "a string"))
				name = m;
			else
				ok = false;
		} else if (strcmp(m->key, "code") == 0) {
			if (ld_get_u32(ld, m, 1, 254, &c))
				code = m;
			else
				ok = false;
		} else if (strcmp(m->key, "data") == 0) {
			if (ld_want_type(ld, m, TJSON_STRING, "a string"))
				data = m;
			else
				ok = false;
		} else if (strcmp(m->key, "csv-format") == 0) {
			ok &= ld_get_bool(ld, m, &csv);
		} else if (strcmp(m->key, "always-send") == 0) {
			ok &= ld_get_bool(ld, m, &always);
		} else if (strcmp(m->key, "never-send") == 0) {
			ok &= ld_get_bool(ld, m, &never);
		} else if (strcmp(m->key, "space") == 0) {
			if (!ld_want_type(ld, m, TJSON_STRING, "a string")) {
				ok = false;
			} else if (strcmp(m->s, "dhcp4") != 0) {
				ld_error_at(
					ld, m->pos,
					"option space \"%s\" is not supported "
					"(only \"dhcp4\")",
					m->s);
				ok = false;
			}
		} else {
			ld_other_key(ld, m, "option-data");
		}
	}
	if (!ok)
		return false;
	if (name) {
		def = tern_optdef_by_name(name->s);
		if (!def) {
			ld_error_at(ld, name->pos, "unknown option name \"%s\"",
				    name->s);
			return false;
		}
		if (code && def->code != c) {
			ld_error_at(ld, code->pos,
				    "option \"%s\" has code %u, not %u",
				    def->name, def->code, c);
			return false;
		}
		c = def->code;
	} else if (code) {
		def = tern_optdef_by_code((uint8_t)c);
	} else {
		ld_error_at(ld, o->pos,
			    "option-data entry needs \"name\" or "
			    "\"code\"");
		return false;
	}
	if ((reserved = ternd_option_reserved((uint8_t)c))) {
		ld_error_at(ld, name ? name->pos : code->pos,
			    "option %u cannot be configured: %s", c, reserved);
		return false;
	}
	if (!data && !never && !(def && def->type == TERN_OT_EMPTY)) {
		ld_error_at(ld, o->pos, "option %u (%s) has no \"data\"", c,
			    def ? def->name : "no definition");
		return false;
	}
	len = 0;
	if (data) {
		len = ternd_option_encode(def, data->s, csv, buf, sizeof(buf),
					  why, sizeof(why));
		if (len == -ENOBUFS) {
			ld_error_at(ld, data->pos,
				    "option %u: data longer than %u bytes once "
				    "encoded",
				    c, TERND_MAX_OPTION_LEN);
			return false;
		}
		if (len < 0) {
			ld_error_at(ld, data->pos, "option %u (%s): %s", c,
				    def ? def->name : "no definition", why);
			return false;
		}
	}
	if (!(copy = ld_aalloc(ld, ld->a, (size_t)len, 1)))
		return false;
	memcpy(copy, buf, (size_t)len);
	ret->code = (uint8_t)c;
	ret->len = (uint16_t)len;
	ret->data = copy;
	ret->always_send = always;
	ret->never_send = never;
	return true;
}

void ld_parse_optlist(struct loader *ld, const struct tjson *arr,
		      struct ternd_optlist *ret)
{
	struct ternd_option *v;
	struct tjson_pos *pos;
	size_t n = 0;

	if (!ld_want_type(ld, arr, TJSON_ARRAY, "a list"))
		return;
	if (arr->n > TERND_MAX_OPTIONS) {
		ld_error_at(ld, arr->pos, "more than %d options in one list",
			    TERND_MAX_OPTIONS);
		return;
	}
	v = ld_aalloc(ld, ld->a, arr->n, sizeof(*v));
	pos = ld_aalloc(ld, ld->tmp, arr->n, sizeof(*pos));
	if (!v || !pos)
		return;
	for (const struct tjson *o = arr->child; o; o = o->next) {
		bool dup = false;

		if (!parse_option(ld, o, &v[n]))
			continue;
		for (size_t i = 0; i < n && !dup; i++) {
			if (v[i].code != v[n].code)
				continue;
			ld_error_at(ld, o->pos,
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
