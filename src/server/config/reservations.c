/* ternd host reservations: by hw-address or client-id, checked for
 * duplicates by identifier and by address. */
#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "server/config/loader.h"
#include "server/config/options.h"

struct res_tmp {
	struct ternd_reservation r;
	struct tjson_pos id_pos;
	struct tjson_pos addr_pos;
	size_t order; /* file order, so the later duplicate is reported */
};

static bool get_id_bytes(struct loader *ld, const struct tjson *v, size_t min,
			 size_t max, uint8_t *out, uint8_t *ret_len)
{
	uint8_t buf[TERND_MAX_CLIENT_ID];
	int n;

	if (!ld_want_type(ld, v, TJSON_STRING, "a hex string"))
		return false;
	n = ternd_hex_decode(v->s, buf, sizeof(buf));
	if (n == -EINVAL || (n >= 0 && (size_t)n < min)) {
		ld_error_at(ld, v->pos,
			    "\"%s\": \"%s\" is not valid hex bytes "
			    "(aa:bb:cc...)",
			    v->key, v->s);
		return false;
	}
	if (n < 0 || (size_t)n > max) {
		ld_error_at(ld, v->pos, "\"%s\" is longer than %zu bytes",
			    v->key, max);
		return false;
	}
	memcpy(out, buf, (size_t)n);
	*ret_len = (uint8_t)n;
	return true;
}

/* client-classes: the names as written (classification looks them up). */
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

static bool parse_reservation(struct loader *ld, const struct tjson *o,
			      const struct ternd_subnet *s,
			      const struct subnet_tmp *st, struct res_tmp *t)
{
	struct ternd_reservation *r = &t->r;
	const struct tjson *hw = NULL, *cid = NULL, *ip = NULL;
	bool ok = true;

	if (!ld_want_type(ld, o, TJSON_OBJECT, "a map"))
		return false;
	for (const struct tjson *m = o->child; m; m = m->next) {
		if (strcmp(m->key, "hw-address") == 0)
			hw = m;
		else if (strcmp(m->key, "client-id") == 0)
			cid = m;
		else if (strcmp(m->key, "ip-address") == 0)
			ip = m;
		else if (strcmp(m->key, "hostname") == 0)
			ok &= ld_get_str(ld, m, TERND_MAX_STRING, &r->hostname);
		else if (strcmp(m->key, "option-data") == 0)
			ld_parse_optlist(ld, m, &r->options);
		else if (strcmp(m->key, "next-server") == 0)
			ok &= ld_get_addr(ld, m, &r->next_server);
		else if (strcmp(m->key, "server-hostname") == 0)
			ok &= ld_get_str(ld, m, 63, &r->server_hostname);
		else if (strcmp(m->key, "boot-file-name") == 0)
			ok &= ld_get_str(ld, m, 127, &r->boot_file_name);
		else if (strcmp(m->key, "client-classes") == 0)
			parse_classes(ld, m, r);
		else
			ld_other_key(ld, m, "reservation");
	}
	if (!hw == !cid) {
		ld_error_at(ld, hw && cid ? cid->kpos : o->pos,
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

		if (!ld_get_addr(ld, ip, &r->addr))
			return false;
		t->addr_pos = ip->pos;
		if (r->addr == 0) {
			ld_error_at(ld, ip->pos, "0.0.0.0 cannot be reserved");
			return false;
		}
		if (st->ok && (r->addr & s->mask) != s->network) {
			ld_fmt_addr(r->addr, a);
			ld_error_at(ld, ip->pos,
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
		ld_error_at(ld, arr->pos,
			    "more than %d reservations in a subnet",
			    TERND_MAX_RESERVATIONS);
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
		if (t[i - 1].r.id_type == t[i].r.id_type &&
		    t[i - 1].r.id_len == t[i].r.id_len &&
		    memcmp(t[i - 1].r.id, t[i].r.id, t[i].r.id_len) == 0)
			ld_error_at(ld, t[i].id_pos,
				    "this %s is already reserved at line %u",
				    t[i].r.id_type == TERND_ID_HW_ADDRESS
					    ? "hw-address"
					    : "client-id",
				    t[i - 1].id_pos.line);
	if (!(by = ld_aalloc(ld, ld->tmp, n, sizeof(*by))))
		return;
	for (size_t i = 0; i < n; i++)
		if (t[i].r.addr)
			by[na++] = &t[i];
	qsort(by, na, sizeof(*by), cmp_res_addr);
	for (size_t i = 1; i < na; i++) {
		char a[INET_ADDRSTRLEN];

		if (by[i]->r.addr != by[i - 1]->r.addr)
			continue;
		ld_fmt_addr(by[i]->r.addr, a);
		ld_error_at(ld, by[i]->addr_pos,
			    "address %s is already reserved at line %u", a,
			    by[i - 1]->addr_pos.line);
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
	s->reservations = v;
	s->n_reservations = n;
	s->res_by_addr = ba;
	s->n_res_by_addr = na;
}
