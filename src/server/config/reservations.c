/* ternd host reservations: a subnet's and the global ones, by any of Kea's
 * identifiers, checked for duplicates by identifier and by address; and
 * host-reservation-identifiers. */
#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "common/hex.h"
#include "server/config/loader.h"

static const char *const id_names[] = {
	[TERND_ID_HW_ADDRESS] = "hw-address",
	[TERND_ID_CLIENT_ID] = "client-id",
	[TERND_ID_DUID] = "duid",
	[TERND_ID_CIRCUIT_ID] = "circuit-id",
	[TERND_ID_FLEX_ID] = "flex-id",
};

static int id_type_of(const char *name)
{
	for (int t = TERND_ID_HW_ADDRESS; t <= TERND_ID_FLEX_ID; t++)
		if (strcmp(name, id_names[t]) == 0)
			return t;
	return -1;
}

/* ---- host-reservation-identifiers ---------------------------------------- */

static bool add_host_id(struct loader *ld, const struct tjson *e,
			enum ternd_host_id id)
{
	struct ternd_config *cfg = ld->cfg;

	for (size_t i = 0; i < cfg->n_host_ids; i++)
		if (cfg->host_ids[i] == id) {
			ld_error_at(ld, e->pos,
				    "duplicate host identifier \"%s\"",
				    id_names[id]);
			return false;
		}
	cfg->host_ids[cfg->n_host_ids++] = id;
	return true;
}

void ld_parse_host_ids(struct loader *ld, const struct tjson *arr)
{
	struct ternd_config *cfg = ld->cfg;

	if (!ld_want_type(ld, arr, TJSON_ARRAY, "a list"))
		return;
	cfg->n_host_ids = 0;
	for (const struct tjson *e = arr->child; e; e = e->next) {
		int t;

		if (!ld_want_type(ld, e, TJSON_STRING, "a string"))
			continue;
		if ((t = id_type_of(e->s)) < 0) {
			ld_error_at(ld, e->pos,
				    "unsupported host identifier \"%s\" (one "
				    "of hw-address, duid, circuit-id, "
				    "client-id, flex-id)",
				    e->s);
			continue;
		}
		add_host_id(ld, e, (enum ternd_host_id)t);
	}
	if (cfg->n_host_ids == 0)
		ld_error_at(ld, arr->pos,
			    "host-reservation-identifiers must not be empty");
}

/* ---- identifier values --------------------------------------------------- */

static bool blank(char c)
{
	return c == ' ' || c == '\t' || c == '\n';
}

/*
 * An identifier as Kea reads it (Host::setIdentifier): 'quoted text' is
 * its ASCII bytes (blanks around and inside the quotes trimmed); else
 * octets of one or two hex digits separated by ':' (or, without a colon,
 * by ' '), or contiguous hex digits, "0x" allowed, an odd count getting a
 * leading 0. Returns the length, -EINVAL (malformed) or -ENOBUFS.
 */
int ld_decode_host_id(const char *s, size_t len, uint8_t *out, size_t cap)
{
	size_t a = 0, b = len, n = 0;

	while (a < b && blank(s[a]))
		a++;
	while (b > a && blank(s[b - 1]))
		b--;
	if (b - a >= 2 && s[a] == '\'' && s[b - 1] == '\'') {
		size_t qa = a + 1, qb = b - 1;

		while (qa < qb && blank(s[qa]))
			qa++;
		while (qb > qa && blank(s[qb - 1]))
			qb--;
		if (qb > qa) {
			if (qb - qa > cap)
				return -ENOBUFS;
			memcpy(out, s + qa, qb - qa);
			return (int)(qb - qa);
		}
		/* '' is no text: it falls to the hex reading and fails. */
	}
	if (memchr(s, ':', len) || memchr(s, ' ', len)) {
		char sep = memchr(s, ':', len) ? ':' : ' ';
		size_t i = 0;

		/* Every field between separators holds 1 or 2 digits; an
		 * empty field (doubled, leading or trailing separator) is an
		 * error unless the whole text is one empty field. */
		for (;;) {
			size_t j = i;
			int v = 0;

			while (j < len && s[j] != sep)
				j++;
			if (j - i > 2 || (j == i && len > 0))
				return -EINVAL;
			for (size_t k = i; k < j; k++) {
				int h = tern_hexval(s[k]);

				if (h < 0)
					return -EINVAL;
				v = v * 16 + h;
			}
			if (n >= cap)
				return -ENOBUFS;
			out[n++] = (uint8_t)v;
			if (j == len)
				break;
			i = j + 1;
		}
		return (int)n;
	}
	{
		size_t i = 0;
		bool odd = len % 2 != 0;

		if (len > 2 && s[0] == '0' && s[1] == 'x')
			i = 2;
		if (i == len)
			return -EINVAL;
		for (; i < len; n++) {
			int hi = 0, lo;

			if (!odd) {
				if ((hi = tern_hexval(s[i++])) < 0)
					return -EINVAL;
			}
			odd = false;
			if ((lo = tern_hexval(s[i++])) < 0)
				return -EINVAL;
			if (n >= cap)
				return -ENOBUFS;
			out[n] = (uint8_t)(hi * 16 + lo);
		}
	}
	return (int)n;
}

/* ---- one reservation ----------------------------------------------------- */

struct res_tmp {
	struct ternd_reservation r;
	struct tjson_pos id_pos;
	struct tjson_pos addr_pos;
	size_t order; /* file order, so the later duplicate is reported */
};

static bool parse_id(struct loader *ld, const struct tjson *v,
		     struct ternd_reservation *r)
{
	/* Kea: a hardware address has at most 20 bytes, a DUID 128. */
	size_t max = r->id_type == TERND_ID_HW_ADDRESS ? 20 : TERND_MAX_HOST_ID;
	int n;

	if (!ld_want_type(ld, v, TJSON_STRING, "a string"))
		return false;
	if (v->len == 0) {
		ld_error_at(ld, v->pos, "\"%s\": empty host identifier",
			    v->key);
		return false;
	}
	n = ld_decode_host_id(v->s, v->len, r->id, max);
	if (n == -ENOBUFS) {
		ld_error_at(ld, v->pos, "\"%s\" is longer than %zu bytes",
			    v->key, max);
		return false;
	}
	if (n <= 0) {
		ld_error_at(ld, v->pos,
			    "\"%s\": invalid host identifier value \"%s\" "
			    "(hex octets 01:02:0a, 01020a or 'text')",
			    v->key, v->s);
		return false;
	}
	r->id_len = (uint8_t)n;
	return true;
}

static void parse_classes(struct loader *ld, const struct tjson *v,
			  struct ternd_reservation *r)
{
	const char **c;
	size_t n = 0;

	if (!ld_want_type(ld, v, TJSON_ARRAY, "a list"))
		return;
	if (!(c = ld_aalloc(ld, ld->a, v->n, sizeof(*c))))
		return;
	for (const struct tjson *e = v->child; e; e = e->next)
		if (ld_want_type(ld, e, TJSON_STRING, "a string") &&
		    (c[n] = ld_astr(ld, e->s, e->len)))
			n++;
	r->classes = c;
	r->n_classes = n;
}

/* A string that may be empty: "" leaves *ret NULL (not set). */
static bool get_opt_str(struct loader *ld, const struct tjson *v, size_t max,
			const char **ret)
{
	if (v->type == TJSON_STRING && v->len == 0)
		return true;
	return ld_get_str(ld, v, max, ret);
}

static bool parse_reservation(struct loader *ld, const struct tjson *o,
			      const struct ternd_subnet *s,
			      const struct subnet_tmp *st, struct res_tmp *t)
{
	struct ternd_reservation *r = &t->r;
	const struct tjson *id = NULL, *ip = NULL;
	bool ok = true;
	int type;

	if (!ld_want_type(ld, o, TJSON_OBJECT, "a map"))
		return false;
	for (const struct tjson *m = o->child; m; m = m->next) {
		if ((type = id_type_of(m->key)) >= 0) {
			if (id) {
				ld_error_at(ld, m->kpos,
					    "\"%s\" and \"%s\" are mutually "
					    "exclusive",
					    m->key, id->key);
				ok = false;
				continue;
			}
			id = m;
			r->id_type = (enum ternd_host_id)type;
		} else if (strcmp(m->key, "ip-address") == 0) {
			ip = m;
		} else if (strcmp(m->key, "hostname") == 0) {
			ok &= get_opt_str(ld, m, TERND_MAX_STRING,
					  &r->hostname);
		} else if (strcmp(m->key, "option-data") == 0) {
			ld_parse_optlist(ld, m, &r->options);
		} else if (strcmp(m->key, "next-server") == 0) {
			ok &= ld_get_addr(ld, m, &r->next_server);
		} else if (strcmp(m->key, "server-hostname") == 0) {
			ok &= get_opt_str(ld, m, 63, &r->server_hostname);
		} else if (strcmp(m->key, "boot-file-name") == 0) {
			ok &= get_opt_str(ld, m, 127, &r->boot_file_name);
		} else if (strcmp(m->key, "client-classes") == 0) {
			parse_classes(ld, m, r);
		} else {
			ld_other_key(ld, m, "reservation");
		}
	}
	if (!id) {
		ld_error_at(ld, o->pos,
			    "a reservation needs one of the identifiers "
			    "hw-address, duid, circuit-id, client-id, flex-id");
		return false;
	}
	t->id_pos = id->pos;
	ok &= parse_id(ld, id, r);
	if (ip) {
		char a[INET_ADDRSTRLEN];

		if (!ld_get_addr(ld, ip, &r->addr))
			return false;
		t->addr_pos = ip->pos;
		if (r->addr == 0 || r->addr == UINT32_MAX) {
			ld_fmt_addr(r->addr, a);
			ld_error_at(ld, ip->pos, "%s cannot be reserved", a);
			return false;
		}
		if (s && st->ok && (r->addr & s->mask) != s->network) {
			ld_fmt_addr(r->addr, a);
			ld_error_at(ld, ip->pos,
				    "reserved address %s is outside its subnet",
				    a);
			return false;
		}
	}
	/* Kea: a reservation must reserve something. */
	if (ok && !r->hostname && !r->addr && !r->next_server &&
	    !r->server_hostname && !r->boot_file_name && !r->options.n &&
	    !r->n_classes) {
		ld_error_at(ld, o->pos,
			    "a reservation must include at least one resource "
			    "(ip-address, hostname, option-data, "
			    "client-classes, next-server, server-hostname or "
			    "boot-file-name)");
		return false;
	}
	return ok;
}

/* ---- a set --------------------------------------------------------------- */

static int cmp_id(const struct ternd_reservation *r, enum ternd_host_id type,
		  const uint8_t *id, size_t len)
{
	if (r->id_type != type)
		return r->id_type < type ? -1 : 1;
	if (r->id_len != len)
		return r->id_len < len ? -1 : 1;
	return memcmp(r->id, id, len);
}

static int cmp_res_id(const void *a, const void *b)
{
	const struct res_tmp *x = a, *y = b;
	int c = cmp_id(&x->r, y->r.id_type, y->r.id, y->r.id_len);

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

void ld_parse_reservations(struct loader *ld, const struct tjson *arr,
			   struct ternd_subnet *s, const struct subnet_tmp *st)
{
	struct res_tmp *t, **by;
	struct ternd_reservation *v;
	const struct ternd_reservation **ba;
	size_t n = 0, na = 0;

	if (!ld_want_type(ld, arr, TJSON_ARRAY, "a list"))
		return;
	if (arr->n > TERND_MAX_RESERVATIONS) {
		ld_error_at(ld, arr->pos, "more than %d reservations in %s",
			    TERND_MAX_RESERVATIONS, s ? "a subnet" : "Dhcp4");
		return;
	}
	if (!(t = ld_aalloc(ld, ld->tmp, arr->n, sizeof(*t))))
		return;
	for (const struct tjson *o = arr->child; o; o = o->next) {
		if (!parse_reservation(ld, o, s, st, &t[n]))
			continue;
		t[n].order = n;
		n++;
	}
	qsort(t, n, sizeof(*t), cmp_res_id);
	for (size_t i = 1; i < n; i++)
		if (cmp_id(&t[i - 1].r, t[i].r.id_type, t[i].r.id,
			   t[i].r.id_len) == 0)
			ld_error_at(ld, t[i].id_pos,
				    "this %s is already reserved at line %u",
				    id_names[t[i].r.id_type],
				    t[i - 1].id_pos.line);
	if (!(by = ld_aalloc(ld, ld->tmp, n, sizeof(*by))))
		return;
	for (size_t i = 0; i < n; i++)
		if (t[i].r.addr)
			by[na++] = &t[i];
	qsort(by, na, sizeof(*by), cmp_res_addr);
	for (size_t i = 1; ld->cfg->ip_reservations_unique && i < na; i++) {
		char a[INET_ADDRSTRLEN];

		if (by[i]->r.addr != by[i - 1]->r.addr)
			continue;
		ld_fmt_addr(by[i]->r.addr, a);
		ld_error_at(ld, by[i]->addr_pos,
			    "address %s is already reserved at line %u "
			    "(see ip-reservations-unique)",
			    a, by[i - 1]->addr_pos.line);
	}
	v = ld_aalloc(ld, ld->a, n, sizeof(*v));
	ba = ld_aalloc(ld, ld->a, na, sizeof(*ba));
	if (!v || !ba)
		return;
	for (size_t i = 0; i < n; i++) {
		v[i] = t[i].r;
		/* Remember the final slot so by-address can point at it. */
		t[i].order = i;
	}
	for (size_t i = 0; i < na; i++)
		ba[i] = &v[by[i]->order];
	if (s) {
		s->reservations = v;
		s->n_reservations = n;
		s->res_by_addr = ba;
		s->n_res_by_addr = na;
	} else {
		ld->cfg->global_hosts = (struct ternd_hosts){v, n, ba, na};
	}
}

/* ---- lookups ------------------------------------------------------------- */

const struct ternd_reservation *ternd_hosts_find(const struct ternd_hosts *h,
						 enum ternd_host_id type,
						 const uint8_t *id, size_t len)
{
	size_t lo = 0, hi;

	if (!h || !id || len == 0 || len > TERND_MAX_HOST_ID)
		return NULL;
	hi = h->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = cmp_id(&h->v[mid], type, id, len);

		if (c == 0)
			return &h->v[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

size_t ternd_hosts_at(const struct ternd_hosts *h, uint32_t addr,
		      const struct ternd_reservation *const **ret)
{
	size_t lo = 0, hi, end;

	if (!h)
		return 0;
	hi = h->n_by_addr;
	/* The first with an address >= addr. */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (h->by_addr[mid]->addr < addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (end = lo; end < h->n_by_addr && h->by_addr[end]->addr == addr;
	     end++)
		;
	if (ret)
		*ret = h->by_addr + lo;
	return end - lo;
}
