/* ternd configuration values: diagnostics with positions (included files
 * named), typed values (integers, strings, addresses, prefixes). */
#include <arpa/inet.h>
#include <net/if.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/arena.h"
#include "server/config/loader.h"

void ld_vdiag(struct loader *ld, enum ternd_diag_level level,
	      struct tjson_pos pos, const char *fmt, va_list ap)
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
	d->off = pos.off;
	vsnprintf(d->msg, sizeof(d->msg), fmt, ap);
	d->file[0] = d->from[0] = '\0';
	if (pos.file && tjson_file_name(ld->doc, pos.file)) {
		snprintf(d->file, sizeof(d->file), "%s",
			 tjson_file_name(ld->doc, pos.file));
		tjson_origin(ld->doc, pos.file, d->from, sizeof(d->from));
	}
}

void ld_error_at(struct loader *ld, struct tjson_pos pos, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	ld_vdiag(ld, TERND_DIAG_ERROR, pos, fmt, ap);
	va_end(ap);
}

void ld_warn_at(struct loader *ld, struct tjson_pos pos, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	ld_vdiag(ld, TERND_DIAG_WARNING, pos, fmt, ap);
	va_end(ap);
}

void *ld_aalloc(struct loader *ld, struct ternd_arena *a, size_t n, size_t size)
{
	void *p = ternd_arena_calloc(a, n ? n : 1, size);

	if (!p && !ld->oom) {
		ld->oom = true;
		ld_error_at(ld, (struct tjson_pos){0},
			    "out of memory loading the configuration");
	}
	return p;
}

const char *ld_astr(struct loader *ld, const char *s, size_t len)
{
	char *p = ternd_arena_strndup(ld->a, s, len);

	if (!p && !ld->oom) {
		ld->oom = true;
		ld_error_at(ld, (struct tjson_pos){0},
			    "out of memory loading the configuration");
	}
	return p;
}

/* "an integer", "a string": the type with its article, for messages. */
const char *ld_a_type(const struct tjson *v)
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

const char *ld_name_of(const struct tjson *v)
{
	return v->key ? v->key : "value";
}

/* ---- typed values ---------------------------------------------------- */

bool ld_want_type(struct loader *ld, const struct tjson *v, enum tjson_type t,
		  const char *what)
{
	if (v->type == t)
		return true;
	ld_error_at(ld, v->pos, "\"%s\" must be %s, not %s", ld_name_of(v),
		    what, ld_a_type(v));
	return false;
}

bool ld_get_u32(struct loader *ld, const struct tjson *v, uint32_t min,
		uint32_t max, uint32_t *ret)
{
	if (v->type != TJSON_NUMBER) {
		ld_error_at(ld, v->pos, "\"%s\" must be an integer, not %s",
			    ld_name_of(v), ld_a_type(v));
		return false;
	}
	if (!v->is_int) {
		ld_error_at(ld, v->pos, "\"%s\" must be an integer",
			    ld_name_of(v));
		return false;
	}
	if (v->i < 0) {
		ld_error_at(ld, v->pos, "\"%s\" must not be negative (%lld)",
			    ld_name_of(v), (long long)v->i);
		return false;
	}
	if (v->i < (int64_t)min || v->i > (int64_t)max) {
		ld_error_at(ld, v->pos, "\"%s\" is out of range %u..%u (%lld)",
			    ld_name_of(v), min, max, (long long)v->i);
		return false;
	}
	*ret = (uint32_t)v->i;
	return true;
}

bool ld_get_bool(struct loader *ld, const struct tjson *v, bool *ret)
{
	if (!ld_want_type(ld, v, TJSON_BOOL, "true or false"))
		return false;
	*ret = v->b;
	return true;
}

/* A string of 1..max bytes, copied into the config. */
bool ld_get_str(struct loader *ld, const struct tjson *v, size_t max,
		const char **ret)
{
	const char *s;

	if (!ld_want_type(ld, v, TJSON_STRING, "a string"))
		return false;
	if (v->len == 0 || v->len > max) {
		ld_error_at(ld, v->pos, "\"%s\" must be 1..%zu characters long",
			    ld_name_of(v), max);
		return false;
	}
	if (!(s = ld_astr(ld, v->s, v->len)))
		return false;
	*ret = s;
	return true;
}

bool ld_parse_addr(const char *s, uint32_t *ret)
{
	struct in_addr a;

	if (inet_pton(AF_INET, s, &a) != 1)
		return false;
	*ret = ntohl(a.s_addr);
	return true;
}

bool ld_get_addr(struct loader *ld, const struct tjson *v, uint32_t *ret)
{
	if (!ld_want_type(ld, v, TJSON_STRING, "an IPv4 address string"))
		return false;
	if (!ld_parse_addr(v->s, ret)) {
		ld_error_at(ld, v->pos, "\"%s\": \"%s\" is not an IPv4 address",
			    ld_name_of(v), v->s);
		return false;
	}
	return true;
}

void ld_fmt_addr(uint32_t a, char out[INET_ADDRSTRLEN])
{
	struct in_addr in = {htonl(a)};

	inet_ntop(AF_INET, &in, out, INET_ADDRSTRLEN);
}

bool ld_get_ifname(struct loader *ld, const struct tjson *v, const char **ret)
{
	if (!ld_want_type(ld, v, TJSON_STRING, "a string"))
		return false;
	if (v->len == 0 || v->len >= IF_NAMESIZE || strchr(v->s, '/')) {
		ld_error_at(ld, v->pos, "\"%s\" is not an interface name",
			    v->s);
		return false;
	}
	*ret = ld_astr(ld, v->s, v->len);
	return *ret != NULL;
}
bool ld_get_seconds(struct loader *ld, const struct tjson *v, double *ret)
{
	if (!ld_want_type(ld, v, TJSON_NUMBER, "a number of seconds"))
		return false;
	if (v->d < 0.1 || v->d > 65535) {
		ld_error_at(ld, v->pos, "\"%s\" must be 0.1..65535 seconds",
			    ld_name_of(v));
		return false;
	}
	*ret = v->d;
	return true;
}

bool ld_parse_prefix(const char *s, uint32_t *ret_net, uint8_t *ret_len)
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
	if (!ld_parse_addr(buf, ret_net))
		return false;
	if (slash[1] < '0' || slash[1] > '9')
		return false;
	plen = strtol(slash + 1, &end, 10);
	if (*end || plen < 0 || plen > 32)
		return false;
	*ret_len = (uint8_t)plen;
	return true;
}

uint32_t ld_mask_of(uint8_t plen)
{
	return plen ? ~(uint32_t)0 << (32 - plen) : 0;
}
bool ld_pos_after(struct tjson_pos a, struct tjson_pos b)
{
	return a.off > b.off;
}
