/* ternd store: Kea 2.2's memfile lease4 CSV files, read as kea-dhcp4 loads
 * them, and their one-time import into ternd's store. */
#include <arpa/inet.h>
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common/hex.h"
#include "common/json.h"
#include "server/store/kea_csv.h"

/*
 * The format (Kea-2.2.0:src/lib/dhcpsrv/csv_lease_file4.cc, src/lib/util/
 * csv_file.cc, versioned_csv_file.cc): a header row naming the columns,
 * then one row per lease change, fields split at every ',' (no quoting).
 * Schema 2.1 has the 11 columns below; 1.0 files stop at hostname, 2.0 at
 * state, and a newer Kea adds columns after user_context (pool_id): the
 * header's first names must be ours, in order, at least up to hostname.
 * Missing columns take their default (state 0); extra ones are ignored.
 * hostname and user_context have ',' and '&' written as "&#x2c" and
 * "&#x26" (CSVRow::escapeCharacters).
 */
enum col {
	C_ADDRESS,
	C_HWADDR,
	C_CLIENT_ID,
	C_VALID,
	C_EXPIRE,
	C_SUBNET,
	C_FQDN_FWD,
	C_FQDN_REV,
	C_HOSTNAME,
	C_STATE,
	C_USER_CONTEXT,
	C_COUNT,
	C_MIN = C_HOSTNAME + 1,
};

static const char *const col_names[C_COUNT] = {
	"address",  "hwaddr",	 "client_id",	 "valid_lifetime",
	"expire",   "subnet_id", "fqdn_fwd",	 "fqdn_rev",
	"hostname", "state",	 "user_context",
};

#define MAX_FIELDS KCSV_MAX_FIELDS

/* Kea's lease states (Lease::STATE_*). */
enum {
	KEA_DEFAULT = 0,
	KEA_DECLINED = 1,
	KEA_EXPIRED_RECLAIMED = 2,
	KEA_RELEASED = 3, /* Kea >= 2.3 */
};

/* ---- the last row per address: an open-addressing table ---- */

struct entry {
	struct ternd_lease l;
	bool gone; /* the last row removed it */
};

struct table {
	struct entry *v; /* rows kept, one per address */
	size_t n, cap;
	uint32_t *slot; /* index + 1 into v, 0 = empty */
	size_t nslot;	/* power of two */
};

static uint32_t mix(uint32_t x)
{
	x ^= x >> 16;
	x *= 0x7feb352dU;
	x ^= x >> 15;
	x *= 0x846ca68bU;
	x ^= x >> 16;
	return x;
}

static int grow(struct table *t)
{
	size_t nslot = t->nslot ? t->nslot * 2 : 1024;
	uint32_t *s = calloc(nslot, sizeof(*s));

	if (!s)
		return -ENOMEM;
	for (size_t i = 0; i < t->n; i++) {
		size_t h = mix(t->v[i].l.addr) & (nslot - 1);

		while (s[h])
			h = (h + 1) & (nslot - 1);
		s[h] = (uint32_t)i + 1;
	}
	free(t->slot);
	t->slot = s;
	t->nslot = nslot;
	return 0;
}

/* The entry for addr, made (zeroed, gone) when new; NULL out of memory. */
static struct entry *lookup(struct table *t, uint32_t addr)
{
	size_t h;

	if ((t->n + 1) * 2 > t->nslot && grow(t) < 0)
		return NULL;
	h = mix(addr) & (t->nslot - 1);
	while (t->slot[h]) {
		struct entry *e = &t->v[t->slot[h] - 1];

		if (e->l.addr == addr)
			return e;
		h = (h + 1) & (t->nslot - 1);
	}
	if (t->n == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 1024;
		struct entry *v = realloc(t->v, cap * sizeof(*v));

		if (!v)
			return NULL;
		t->v = v;
		t->cap = cap;
	}
	if (t->n >= UINT32_MAX)
		return NULL;
	memset(&t->v[t->n], 0, sizeof(t->v[t->n]));
	t->v[t->n].l.addr = addr;
	t->v[t->n].gone = true;
	t->slot[h] = (uint32_t)++t->n;
	return &t->v[t->n - 1];
}

/* ---- fields ---- */

/* An unsigned decimal that fits max (boost::lexical_cast's digits). */
bool kcsv_get_uint(const char *s, uint64_t max, uint64_t *ret)
{
	uint64_t v = 0;

	if (!*s)
		return false;
	for (; *s; s++) {
		if (*s < '0' || *s > '9' ||
		    v > (max - (uint64_t)(*s - '0')) / 10)
			return false;
		v = v * 10 + (uint64_t)(*s - '0');
	}
	*ret = v;
	return true;
}

/* Octets of 1-2 hex digits between separators (Kea's
 * decodeSeparatedHexString); "" is no bytes. */
int kcsv_sep_hex(const char *s, char sep, uint8_t *out, size_t cap)
{
	size_t n = 0;

	if (!*s)
		return 0;
	for (;;) {
		const char *e = strchr(s, sep);
		size_t len = e ? (size_t)(e - s) : strlen(s);
		int hi, lo;

		if (len == 0 || len > 2)
			return -EINVAL;
		hi = tern_hexval(s[0]);
		lo = len == 2 ? tern_hexval(s[1]) : 0;
		if (hi < 0 || lo < 0)
			return -EINVAL;
		if (n == cap)
			return -E2BIG;
		out[n++] = (uint8_t)(len == 2 ? hi << 4 | lo : hi);
		if (!e)
			return (int)n;
		s = e + 1;
	}
}

/* Kea's decodeFormattedHexString: ':' or ' ' separated, else contiguous
 * digits (odd count: a leading 0 implied; "0x" allowed). */
int kcsv_formatted_hex(const char *s, uint8_t *out, size_t cap)
{
	size_t len = strlen(s), n = 0, i = 0;

	if (strchr(s, ':'))
		return kcsv_sep_hex(s, ':', out, cap);
	if (strchr(s, ' '))
		return kcsv_sep_hex(s, ' ', out, cap);
	if (len > 2 && s[0] == '0' && s[1] == 'x') {
		s += 2;
		len -= 2;
	}
	if (len % 2) {
		int lo = tern_hexval(s[0]);

		if (lo < 0 || cap == 0)
			return lo < 0 ? -EINVAL : -E2BIG;
		out[n++] = (uint8_t)lo;
		i = 1;
	}
	for (; i < len; i += 2) {
		int hi = tern_hexval(s[i]), lo = tern_hexval(s[i + 1]);

		if (hi < 0 || lo < 0)
			return -EINVAL;
		if (n == cap)
			return -E2BIG;
		out[n++] = (uint8_t)(hi << 4 | lo);
	}
	return (int)n;
}

/* CSVRow::unescapeCharacters, in place: "&#x" and two hex digits is that
 * byte; anything else stays as written. */
void kcsv_unescape(char *s)
{
	char *w = s;

	while (*s) {
		if (s[0] == '&' && s[1] == '#' && s[2] == 'x' &&
		    tern_hexval(s[3]) >= 0 && tern_hexval(s[4]) >= 0) {
			*w++ = (char)(tern_hexval(s[3]) << 4 |
				      tern_hexval(s[4]));
			s += 5;
		} else {
			*w++ = *s++;
		}
	}
	*w = '\0';
}

/* ---- one file ---- */

struct reader {
	struct table *t;
	int64_t now;
	ternd_kea_csv_bad_fn bad;
	void *ctx;
	struct ternd_kea_csv_stats *st;
	const char *file;
	unsigned long line;
	size_t header_n; /* names in the file's header */
	size_t valid_n;	 /* of them, ours */
};

/* Count and report a refused row; -EINVAL, for the caller to return. */
__attribute__((format(printf, 2, 3))) static int refuse(struct reader *r,
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

size_t kcsv_split(char *line, char *f[KCSV_MAX_FIELDS + 1])
{
	size_t n = 0;

	f[n++] = line;
	for (char *p = line; *p; p++) {
		if (*p != ',')
			continue;
		*p = '\0';
		if (n == KCSV_MAX_FIELDS + 1)
			return n; /* too many: the caller refuses it */
		f[n++] = p + 1;
	}
	return n;
}

int kcsv_header(char *line, const char *const *cols, size_t n_cols, size_t min,
		size_t *ret_n, size_t *ret_valid, char *why, size_t why_len)
{
	char *f[KCSV_MAX_FIELDS + 1];
	size_t n = kcsv_split(line, f), i;

	for (i = 0; i < n && i < n_cols; i++)
		if (strcmp(f[i], cols[i]) != 0)
			break;
	if (i < n && i < n_cols) {
		snprintf(why, why_len,
			 "header contains an invalid column: '%s'", f[i]);
		return -EBADMSG;
	}
	if (i < min) {
		snprintf(why, why_len,
			 "header has only %zu valid column(s), it must have "
			 "at least %zu",
			 i, min);
		return -EBADMSG;
	}
	*ret_n = n;
	*ret_valid = i;
	return 0;
}

/* VersionedCSVFile::validateHeader. */
static int header(struct reader *r, char *line)
{
	char why[256];
	int rc = kcsv_header(line, col_names, C_COUNT, C_MIN, &r->header_n,
			     &r->valid_n, why, sizeof(why));

	if (rc < 0)
		refuse(r, "%s", why);
	return rc;
}

/* The lease's extended info in Kea's user-context (store-extended-info:
 * {"ISC": {"relay-agent-info": "0x..."}}), kept when it is hex that fits;
 * anything else in the context is Kea's alone. */
static void rai_of(const struct tjson *uc, struct ternd_lease *l)
{
	const struct tjson *isc = tjson_get(uc, "ISC");
	const struct tjson *v = isc ? tjson_get(isc, "relay-agent-info") : NULL;
	size_t n;

	if (!v || v->type != TJSON_STRING || v->len < 2 || v->s[0] != '0' ||
	    (v->s[1] != 'x' && v->s[1] != 'X') || (v->len - 2) % 2 ||
	    (n = (v->len - 2) / 2) > TERND_LEASE_RAI_MAX)
		return;
	for (size_t i = 0; i < n; i++) {
		int hi = tern_hexval(v->s[2 + 2 * i]);
		int lo = tern_hexval(v->s[3 + 2 * i]);

		if (hi < 0 || lo < 0)
			return;
		l->rai[i] = (uint8_t)(hi << 4 | lo);
	}
	l->rai_len = (uint8_t)n;
}

/* One data row into the table; -EINVAL when refused (counted). */
static int row(struct reader *r, char *line)
{
	char *f[MAX_FIELDS + 1];
	const char *state_s = "0";
	char *uc = NULL;
	size_t n = kcsv_split(line, f);
	uint8_t cid[TERND_LEASE_CID_MAX];
	struct ternd_lease l;
	uint64_t valid, expire, subnet, state, fwd, rev;
	struct in_addr a;
	struct entry *e;
	int hw_n, cid_n;
	size_t hl;

	r->st->rows++;
	/* Kea 2.2's rules for a file of another schema version. */
	if (r->valid_n < C_COUNT ? (n < r->valid_n || n > C_COUNT)
				 : (n < C_COUNT || n > r->header_n))
		return refuse(r, "invalid number of columns: %zu", n);
	if (n > C_STATE)
		state_s = f[C_STATE];
	if (n > C_USER_CONTEXT)
		uc = f[C_USER_CONTEXT];

	memset(&l, 0, sizeof(l));
	if (inet_pton(AF_INET, f[C_ADDRESS], &a) != 1)
		return refuse(r, "'%s' is not an IPv4 address", f[C_ADDRESS]);
	l.addr = ntohl(a.s_addr);
	hw_n = kcsv_sep_hex(f[C_HWADDR], ':', l.hw, sizeof(l.hw));
	if (hw_n == -E2BIG)
		return refuse(r,
			      "hardware address '%s' is longer than %d bytes",
			      f[C_HWADDR], TERND_LEASE_HW_MAX);
	if (hw_n < 0)
		return refuse(r, "'%s' is not a hardware address", f[C_HWADDR]);
	cid_n = kcsv_formatted_hex(f[C_CLIENT_ID], cid, sizeof(cid));
	if (cid_n == -E2BIG)
		return refuse(r, "client-id is longer than %d bytes",
			      TERND_LEASE_CID_MAX);
	if (cid_n < 0)
		return refuse(r, "'%s' is not a client-id", f[C_CLIENT_ID]);
	if (cid_n == 1)
		return refuse(r, "client-id is too short (1), at least 2 is "
				 "required");
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
	if (!kcsv_get_uint(f[C_FQDN_FWD], 1, &fwd) ||
	    !kcsv_get_uint(f[C_FQDN_REV], 1, &rev))
		return refuse(r, "fqdn_fwd and fqdn_rev must be 0 or 1");
	if (!kcsv_get_uint(state_s, UINT32_MAX, &state) || state > KEA_RELEASED)
		return refuse(r, "state '%s' is not a lease state", state_s);
	if (!hw_n && !cid_n && state != KEA_DECLINED)
		return refuse(r, "lease has neither hardware address or "
				 "client id");
	kcsv_unescape(f[C_HOSTNAME]);
	if (uc)
		kcsv_unescape(uc);
	if (uc && *uc) {
		struct tjson_doc *doc = NULL;
		int rc = tjson_parse(uc, strlen(uc), NULL, &doc, NULL);
		bool map = rc == 0 && doc->root->type == TJSON_OBJECT;

		if (map)
			rai_of(doc->root, &l);
		tjson_doc_free(doc);
		if (!map)
			return refuse(r, "user context '%s' is not a JSON map",
				      uc);
	}

	l.hw_len = (uint8_t)hw_n;
	l.htype = 1; /* HWAddr::fromText's default, HTYPE_ETHER */
	l.cid_len = (uint8_t)cid_n;
	memcpy(l.cid, cid, (size_t)cid_n);
	l.subnet_id = (uint32_t)subnet;
	l.valid_lifetime = (uint32_t)valid;
	/* The DNS updates Kea made for the name: removed when it goes. */
	l.fqdn_fwd = fwd != 0;
	l.fqdn_rev = rev != 0;
	l.expire = (int64_t)expire;
	l.cltt = (int64_t)(expire - valid);
	l.state = state == KEA_DECLINED		   ? TERND_LEASE_DECLINED
		  : state == KEA_EXPIRED_RECLAIMED ? TERND_LEASE_EXPIRED
		  : state == KEA_RELEASED	   ? TERND_LEASE_RELEASED
						   : TERND_LEASE_BOUND;
	hl = strlen(f[C_HOSTNAME]);
	if (hl >= sizeof(l.hostname)) {
		hl = sizeof(l.hostname) - 1;
		r->st->names_cut++;
	}
	memcpy(l.hostname, f[C_HOSTNAME], hl);

	if (!(e = lookup(r->t, l.addr)))
		return refuse(r, "out of memory");
	/* Lease4 loading: valid_lifetime 0 removes the address. */
	if (valid == 0) {
		r->st->deleted++;
		e->gone = true;
		return 0;
	}
	e->l = l;
	e->gone = false;
	return 0;
}

static int read_file(struct reader *r, const char *path)
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
			continue; /* Kea skips blank lines */
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

static int cmp_lease(const void *a, const void *b)
{
	uint32_t x = ((const struct ternd_lease *)a)->addr;
	uint32_t y = ((const struct ternd_lease *)b)->addr;

	return x < y ? -1 : x > y;
}

/* Whether path exists; -errno when it cannot be told. */
static int exists(const char *path)
{
	FILE *fp = fopen(path, "re");

	if (fp) {
		fclose(fp);
		return 1;
	}
	return errno == ENOENT ? 0 : -errno;
}

int ternd_kea_csv_read(const char *name, int64_t now, struct ternd_lease **ret,
		       size_t *ret_n, ternd_kea_csv_bad_fn bad, void *ctx,
		       struct ternd_kea_csv_stats *stats)
{
	/* loadLeasesFromFiles: the LFC's finished output replaces its
	 * inputs; else the previous and the input file, then the current. */
	static const char *const lfc_done[] = {".completed", ""};
	static const char *const lfc_open[] = {".2", ".1", ""};
	struct ternd_kea_csv_stats local;
	struct table t = {0};
	struct reader r = {&t,	 now, bad, ctx, stats ? stats : &local,
			   NULL, 0,   0,   0};
	const char *const *suffix;
	struct ternd_lease *out = NULL;
	char path[4096];
	size_t n_suffix, k = 0;
	int rc, found = 0;

	if (!name || !ret || !ret_n)
		return -EINVAL;
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
	for (size_t i = 0; i < t.n; i++)
		k += !t.v[i].gone;
	if (k && !(out = malloc(k * sizeof(*out)))) {
		rc = -ENOMEM;
		goto out;
	}
	k = 0;
	for (size_t i = 0; i < t.n; i++) {
		if (t.v[i].gone)
			continue;
		out[k++] = t.v[i].l;
		if (t.v[i].l.state == TERND_LEASE_BOUND &&
		    t.v[i].l.expire > now)
			r.st->active++;
	}
	if (k)
		qsort(out, k, sizeof(*out), cmp_lease);
	r.st->leases = k;
	*ret = out;
	*ret_n = k;
	out = NULL;
	rc = 0;
out:
	free(out);
	free(t.v);
	free(t.slot);
	return rc;
}

int ternd_kea_csv_import(const struct ternd_store_ops *ops,
			 struct ternd_store *st, const char *name, int64_t now,
			 bool force, ternd_kea_csv_bad_fn bad, void *ctx,
			 struct ternd_kea_csv_stats *stats)
{
	struct ternd_kea_csv_stats local;
	struct ternd_kea_csv_stats *s = stats ? stats : &local;
	struct ternd_lease *v = NULL, old;
	struct ternd_change *ch = NULL;
	char note[512];
	size_t n = 0, k = 0;
	int rc;

	if (!ops || !st || !name)
		return -EINVAL;
	memset(s, 0, sizeof(*s));
	rc = ops->meta_get(st, TERND_KEA_CSV_META, note, sizeof(note));
	if (rc == 0 && !force)
		return 0;
	if (rc < 0 && rc != -ENOENT)
		return rc;
	if ((rc = ternd_kea_csv_read(name, now, &v, &n, bad, ctx, s)) < 0)
		return rc;
	if (n && !(ch = calloc(n, sizeof(*ch)))) {
		rc = -ENOMEM;
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		rc = ops->lookup(st, v[i].addr, &old);
		if (rc == 0) {
			/* ternd's own lease is newer than Kea's file. */
			s->kept++;
			continue;
		}
		if (rc != -ENOENT)
			goto out;
		ch[k].op = TERND_CHANGE_UPSERT;
		ch[k].lease = v[i];
		k++;
	}
	snprintf(note, sizeof(note),
		 "%s: %llu leases imported (%llu kept from the store, %llu "
		 "bad rows) at %lld",
		 name, (unsigned long long)k, (unsigned long long)s->kept,
		 (unsigned long long)s->bad, (long long)now);
	if ((rc = ops->commit_meta(st, ch, k, TERND_KEA_CSV_META, note)) < 0)
		goto out;
	s->imported = k;
	rc = 1;
out:
	free(ch);
	free(v);
	return rc;
}
