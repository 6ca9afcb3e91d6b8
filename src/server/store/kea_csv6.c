/* ternd store: Kea 2.2's memfile lease6 CSV files, read as kea-dhcp6 loads
 * them, and their one-time import into ternd's DHCPv6 store. */
#include <arpa/inet.h>
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/json.h"
#include "server/store/kea_csv6.h"
#include "server/store/store6.h"

/*
 * The format (Kea-2.2.0:src/lib/dhcpsrv/csv_lease_file6.cc): a header row
 * naming the columns, then one row per lease change, fields split at
 * every ','. Schema 4.0 has the 17 columns below; 1.0 files stop at
 * hostname, 2.0 at hwaddr, 3.0 at state, 3.1 at user_context; a newer
 * Kea's extra columns are ignored. hostname and user_context escape ','
 * and '&' as in the v4 file.
 */
enum col {
	C_ADDRESS,
	C_DUID,
	C_VALID,
	C_EXPIRE,
	C_SUBNET,
	C_PREF,
	C_TYPE,
	C_IAID,
	C_PLEN,
	C_FQDN_FWD,
	C_FQDN_REV,
	C_HOSTNAME,
	C_HWADDR,
	C_STATE,
	C_USER_CONTEXT,
	C_HWTYPE,
	C_HWSOURCE,
	C_COUNT,
	C_MIN = C_HOSTNAME + 1,
};

static const char *const col_names[C_COUNT] = {
	"address",	 "duid",	  "valid_lifetime", "expire",
	"subnet_id",	 "pref_lifetime", "lease_type",	    "iaid",
	"prefix_len",	 "fqdn_fwd",	  "fqdn_rev",	    "hostname",
	"hwaddr",	 "state",	  "user_context",   "hwtype",
	"hwaddr_source",
};

#define MAX_FIELDS   KCSV_MAX_FIELDS
#define KEA_DUID_MAX 128 /* DUID::MAX_DUID_LEN */
#define KEA_HW_MAX   20	 /* HWAddr::MAX_HWADDR_LEN */

/* Kea's Lease::Type. */
enum { KEA_NA = 0, KEA_TA = 1, KEA_PD = 2 };

/* One row kept: the binding, its order in the files, whether it removes. */
struct item {
	struct ternd_lease6 l;
	uint64_t seq;
	bool gone;
};

struct reader6 {
	struct item *v;
	size_t n, cap;
	ternd_kea_csv_bad_fn bad;
	void *ctx;
	struct ternd_kea_csv_stats *st;
	const char *file;
	unsigned long line;
	size_t header_n, valid_n;
};

__attribute__((format(printf, 2, 3))) static int refuse(struct reader6 *r,
							const char *fmt, ...)
{
	char why[256];
	va_list ap;

	r->st->bad++;
	if (!r->bad)
		return -EINVAL;
	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	r->bad(r->ctx, r->file, r->line, why);
	return -EINVAL;
}

static int header(struct reader6 *r, char *line)
{
	char why[256];
	int rc = kcsv_header(line, col_names, C_COUNT, C_MIN, &r->header_n,
			     &r->valid_n, why, sizeof(why));

	if (rc < 0)
		refuse(r, "%s", why);
	return rc;
}

static int keep(struct reader6 *r, const struct ternd_lease6 *l, bool gone)
{
	if (r->n == r->cap) {
		size_t cap = r->cap ? r->cap * 2 : 1024;
		struct item *v = realloc(r->v, cap * sizeof(*v));

		if (!v)
			return -ENOMEM;
		r->v = v;
		r->cap = cap;
	}
	r->v[r->n].l = *l;
	r->v[r->n].seq = r->n;
	r->v[r->n].gone = gone;
	r->n++;
	return 0;
}

/* The columns past what a file of an older schema has: "" (defaults). */
static const char *col(char *const *f, size_t n, enum col c)
{
	return (size_t)c < n ? f[c] : "";
}

static int row(struct reader6 *r, char *line)
{
	char *f[MAX_FIELDS + 1];
	size_t n = kcsv_split(line, f), hl;
	uint64_t valid, expire, subnet, pref, type, iaid, plen, fwd, rev;
	uint64_t state = 0, x;
	uint8_t duid[KEA_DUID_MAX + 1], hw[KEA_HW_MAX];
	const char *uc_s;
	struct ternd_lease6 l;
	int dn;

	r->st->rows++;
	if (r->valid_n < C_COUNT ? (n < r->valid_n || n > C_COUNT)
				 : (n < C_COUNT || n > r->header_n))
		return refuse(r, "invalid number of columns: %zu", n);
	memset(&l, 0, sizeof(l));
	if (inet_pton(AF_INET6, f[C_ADDRESS], &l.addr) != 1)
		return refuse(r, "'%s' is not an IPv6 address", f[C_ADDRESS]);
	dn = kcsv_formatted_hex(f[C_DUID], duid, sizeof(duid));
	if (dn == -E2BIG || dn > KEA_DUID_MAX)
		return refuse(r, "DUID is longer than %d bytes", KEA_DUID_MAX);
	if (dn < 0)
		return refuse(r, "'%s' is not a DUID", f[C_DUID]);
	if (dn == 0)
		return refuse(r, "Empty DUIDs are not allowed");
	if (!kcsv_get_uint(f[C_VALID], UINT32_MAX, &valid))
		return refuse(r, "valid_lifetime '%s' is not a number",
			      f[C_VALID]);
	if (!kcsv_get_uint(f[C_EXPIRE], INT64_MAX, &expire) || expire < valid)
		return refuse(r,
			      "expire '%s' is not a time after "
			      "valid_lifetime",
			      f[C_EXPIRE]);
	if (!kcsv_get_uint(f[C_SUBNET], UINT32_MAX, &subnet))
		return refuse(r, "subnet_id '%s' is not a number", f[C_SUBNET]);
	if (!kcsv_get_uint(f[C_PREF], UINT32_MAX, &pref))
		return refuse(r, "pref_lifetime '%s' is not a number",
			      f[C_PREF]);
	if (!kcsv_get_uint(f[C_TYPE], 2, &type))
		return refuse(r, "lease_type '%s' is not 0, 1 or 2", f[C_TYPE]);
	if (type == KEA_TA)
		return refuse(r, "a temporary address (IA_TA): ternd serves "
				 "none");
	if (!kcsv_get_uint(f[C_IAID], UINT32_MAX, &iaid))
		return refuse(r, "iaid '%s' is not a number", f[C_IAID]);
	if (!kcsv_get_uint(f[C_PLEN], 128, &plen) ||
	    (type == KEA_PD && plen == 0))
		return refuse(r, "prefix_len '%s' is not 1..128", f[C_PLEN]);
	if (!kcsv_get_uint(f[C_FQDN_FWD], 1, &fwd) ||
	    !kcsv_get_uint(f[C_FQDN_REV], 1, &rev))
		return refuse(r, "fqdn_fwd and fqdn_rev must be 0 or 1");
	if (*col(f, n, C_HWADDR) &&
	    kcsv_sep_hex(col(f, n, C_HWADDR), ':', hw, sizeof(hw)) <= 0)
		return refuse(r, "'%s' is not a hardware address",
			      col(f, n, C_HWADDR));
	if (*col(f, n, C_STATE) &&
	    (!kcsv_get_uint(col(f, n, C_STATE), UINT32_MAX, &state) ||
	     state > 2))
		return refuse(r, "state '%s' is not a lease state",
			      col(f, n, C_STATE));
	if ((*col(f, n, C_HWTYPE) &&
	     !kcsv_get_uint(col(f, n, C_HWTYPE), UINT16_MAX, &x)) ||
	    (*col(f, n, C_HWSOURCE) &&
	     !kcsv_get_uint(col(f, n, C_HWSOURCE), UINT32_MAX, &x)))
		return refuse(r, "hwtype and hwaddr_source must be numbers");
	/* DUID::EMPTY (one zero byte): a declined address's. */
	if (dn == 1 && duid[0] == 0) {
		if (state != TERND_LEASE6_DECLINED)
			return refuse(r, "The Empty DUID is only valid for "
					 "declined leases");
		dn = 0;
	}
	kcsv_unescape(f[C_HOSTNAME]);
	uc_s = col(f, n, C_USER_CONTEXT);
	if (*uc_s) {
		struct tjson_doc *doc = NULL;
		char *uc = f[C_USER_CONTEXT];
		bool map;

		kcsv_unescape(uc);
		map = tjson_parse(uc, strlen(uc), NULL, &doc, NULL) == 0 &&
		      doc->root->type == TJSON_OBJECT;
		tjson_doc_free(doc);
		if (!map)
			return refuse(r, "user context '%s' is not a JSON map",
				      uc);
	}
	l.type = type == KEA_PD ? TERND_LEASE6_PD : TERND_LEASE6_NA;
	/* Lease6: anything but a prefix is a /128. */
	l.plen = type == KEA_PD ? (uint8_t)plen : 128;
	l.state = (uint8_t)state;
	l.duid_len = (uint8_t)dn;
	memcpy(l.duid, duid, (size_t)dn);
	l.iaid = (uint32_t)iaid;
	l.subnet_id = (uint32_t)subnet;
	l.preferred = (uint32_t)pref;
	l.valid = (uint32_t)valid;
	l.cltt = (int64_t)(expire - valid);
	l.expire = valid == 0xffffffffu ? INT64_MAX : (int64_t)expire;
	hl = strlen(f[C_HOSTNAME]);
	if (hl >= sizeof(l.hostname)) {
		hl = sizeof(l.hostname) - 1;
		r->st->names_cut++;
	}
	memcpy(l.hostname, f[C_HOSTNAME], hl);
	if (valid == 0)
		r->st->deleted++;
	if (keep(r, &l, valid == 0) < 0)
		return refuse(r, "out of memory");
	return 0;
}

static int read_file(struct reader6 *r, const char *path)
{
	FILE *fp = fopen(path, "re");
	char *line = NULL;
	size_t cap = 0;
	bool have_header = false;
	ssize_t len;
	int rc = 0;

	if (!fp)
		return -errno;
	r->st->files++;
	r->file = path;
	r->line = 0;
	while ((len = getline(&line, &cap, fp)) >= 0) {
		r->line++;
		while (len > 0 &&
		       (line[len - 1] == '\n' || line[len - 1] == '\r'))
			line[--len] = '\0';
		if (len == 0)
			continue;
		if (!have_header) {
			if ((rc = header(r, line)) < 0)
				break;
			have_header = true;
			continue;
		}
		(void)row(r, line);
	}
	if (rc == 0 && ferror(fp))
		rc = -EIO;
	free(line);
	fclose(fp);
	return rc;
}

static int cmp_key(const struct ternd_lease6 *a, const struct ternd_lease6 *b)
{
	if (a->type != b->type)
		return a->type < b->type ? -1 : 1;
	return memcmp(&a->addr, &b->addr, 16);
}

/* By (type, address), then file order. */
static int cmp_item(const void *pa, const void *pb)
{
	const struct item *a = pa, *b = pb;
	int c = cmp_key(&a->l, &b->l);

	if (c)
		return c;
	return a->seq < b->seq ? -1 : a->seq > b->seq;
}

static int exists(const char *path)
{
	FILE *fp = fopen(path, "re");

	if (fp) {
		fclose(fp);
		return 1;
	}
	return errno == ENOENT ? 0 : -errno;
}

int ternd_kea_csv6_read(const char *name, int64_t now,
			struct ternd_lease6 **ret, size_t *ret_n,
			ternd_kea_csv_bad_fn bad, void *ctx,
			struct ternd_kea_csv_stats *stats)
{
	static const char *const lfc_done[] = {".completed", ""};
	static const char *const lfc_open[] = {".2", ".1", ""};
	struct ternd_kea_csv_stats local;
	struct reader6 r = {0};
	const char *const *suffix;
	struct ternd_lease6 *out = NULL;
	char path[4096];
	size_t n_suffix, k = 0;
	int rc, found = 0;

	if (!name || !ret || !ret_n)
		return -EINVAL;
	r.bad = bad;
	r.ctx = ctx;
	r.st = stats ? stats : &local;
	memset(r.st, 0, sizeof(*r.st));
	if (snprintf(path, sizeof(path), "%s.completed", name) >=
	    (int)sizeof(path))
		return -ENAMETOOLONG;
	if ((rc = exists(path)) < 0)
		return rc;
	suffix = rc ? lfc_done : lfc_open;
	n_suffix = rc ? 2 : 3;
	for (size_t i = 0; i < n_suffix; i++) {
		snprintf(path, sizeof(path), "%s%s", name, suffix[i]);
		rc = read_file(&r, path);
		if (rc == -ENOENT)
			continue;
		if (rc < 0)
			goto out;
		found++;
	}
	if (!found) {
		rc = -ENOENT;
		goto out;
	}
	if (r.n)
		qsort(r.v, r.n, sizeof(*r.v), cmp_item);
	if (r.n && !(out = malloc(r.n * sizeof(*out)))) {
		rc = -ENOMEM;
		goto out;
	}
	/* The last row per (type, address) stands, unless it removes. */
	for (size_t i = 0; i < r.n; i++) {
		const struct item *it = &r.v[i];

		if (i + 1 < r.n && cmp_key(&it->l, &r.v[i + 1].l) == 0)
			continue;
		if (it->gone)
			continue;
		out[k++] = it->l;
		if (it->l.state == TERND_LEASE6_BOUND && it->l.expire > now)
			r.st->active++;
	}
	r.st->leases = k;
	*ret = k ? out : NULL;
	*ret_n = k;
	if (k)
		out = NULL;
	rc = 0;
out:
	free(out);
	free(r.v);
	return rc;
}

/* The store's bindings, sorted, to leave alone what it has already. */
struct have {
	struct ternd_lease6 *v;
	size_t n, cap;
};

static int have_cb(void *ctx, const struct ternd_lease6 *l)
{
	struct have *h = ctx;

	if (h->n == h->cap) {
		size_t cap = h->cap ? h->cap * 2 : 256;
		struct ternd_lease6 *v = realloc(h->v, cap * sizeof(*v));

		if (!v)
			return -ENOMEM;
		h->v = v;
		h->cap = cap;
	}
	h->v[h->n++] = *l;
	return 0;
}

static int cmp_lease(const void *a, const void *b)
{
	return cmp_key(a, b);
}

int ternd_kea_csv6_import(struct ternd_store6 *s, const char *name, int64_t now,
			  bool force, ternd_kea_csv_bad_fn bad, void *ctx,
			  struct ternd_kea_csv_stats *stats)
{
	struct ternd_kea_csv_stats local;
	struct ternd_kea_csv_stats *st = stats ? stats : &local;
	struct ternd_lease6 *v = NULL;
	struct ternd_change6 *ch = NULL;
	struct have h = {0};
	char note[512];
	size_t n = 0, k = 0;
	int rc;

	if (!s || !name)
		return -EINVAL;
	memset(st, 0, sizeof(*st));
	rc = ternd_store6_meta_get(s, TERND_KEA_CSV_META, note, sizeof(note));
	if (rc == 0 && !force)
		return 0;
	if (rc < 0 && rc != -ENOENT)
		return rc;
	if ((rc = ternd_kea_csv6_read(name, now, &v, &n, bad, ctx, st)) < 0)
		return rc;
	if ((rc = ternd_store6_iterate(s, have_cb, &h)) < 0)
		goto out;
	if (h.n)
		qsort(h.v, h.n, sizeof(*h.v), cmp_lease);
	if (n && !(ch = calloc(n, sizeof(*ch)))) {
		rc = -ENOMEM;
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		if (h.n && bsearch(&v[i], h.v, h.n, sizeof(*h.v), cmp_lease)) {
			st->kept++; /* ternd's own is newer than Kea's */
			continue;
		}
		ch[k].op = TERND_CHANGE6_PUT;
		ch[k].lease = v[i];
		k++;
	}
	snprintf(note, sizeof(note),
		 "%s: %llu leases imported (%llu kept from the store, %llu "
		 "bad rows) at %lld",
		 name, (unsigned long long)k, (unsigned long long)st->kept,
		 (unsigned long long)st->bad, (long long)now);
	if ((rc = ternd_store6_commit_meta(s, ch, k, TERND_KEA_CSV_META,
					   note)) < 0)
		goto out;
	st->imported = k;
	rc = 1;
out:
	free(h.v);
	free(ch);
	free(v);
	return rc;
}
