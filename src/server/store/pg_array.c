/* PostgreSQL array literals: see pg_array.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "server/store/pg_array.h"

static bool grow(struct ternd_pg_array *a, size_t more)
{
	char *p;
	size_t cap;

	if (a->oom)
		return false;
	if (a->len + more + 1 <= a->cap)
		return true;
	cap = a->cap ? a->cap : 256;
	while (cap < a->len + more + 1)
		cap *= 2;
	p = realloc(a->p, cap);
	if (!p) {
		a->oom = true;
		return false;
	}
	a->p = p;
	a->cap = cap;
	return true;
}

static void put(struct ternd_pg_array *a, const char *s, size_t n)
{
	if (!grow(a, n))
		return;
	memcpy(a->p + a->len, s, n);
	a->len += n;
	a->p[a->len] = '\0';
}

static void sep(struct ternd_pg_array *a)
{
	if (!a->first)
		put(a, ",", 1);
	a->first = false;
}

void ternd_pg_array_init(struct ternd_pg_array *a)
{
	memset(a, 0, sizeof(*a));
	a->first = true;
	put(a, "{", 1);
}

void ternd_pg_array_num(struct ternd_pg_array *a, long long v)
{
	char buf[24];
	int n = snprintf(buf, sizeof(buf), "%lld", v);

	sep(a);
	put(a, buf, (size_t)n);
}

void ternd_pg_array_bool(struct ternd_pg_array *a, bool v)
{
	sep(a);
	put(a, v ? "t" : "f", 1);
}

/* Always quoted: "" is the empty string, and NULL (unquoted) never
 * appears. Inside quotes only '"' and '\' need a backslash. */
void ternd_pg_array_text(struct ternd_pg_array *a, const char *s)
{
	size_t n = strlen(s);

	sep(a);
	if (!grow(a, 2 * n + 2))
		return;
	a->p[a->len++] = '"';
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '"' || s[i] == '\\')
			a->p[a->len++] = '\\';
		a->p[a->len++] = s[i];
	}
	a->p[a->len++] = '"';
	a->p[a->len] = '\0';
}

void ternd_pg_array_hex(struct ternd_pg_array *a, const uint8_t *b, size_t n)
{
	static const char digits[] = "0123456789abcdef";

	sep(a);
	if (!grow(a, 2 * n + 2))
		return;
	a->p[a->len++] = '"';
	for (size_t i = 0; i < n; i++) {
		a->p[a->len++] = digits[b[i] >> 4];
		a->p[a->len++] = digits[b[i] & 15];
	}
	a->p[a->len++] = '"';
	a->p[a->len] = '\0';
}

const char *ternd_pg_array_end(struct ternd_pg_array *a)
{
	put(a, "}", 1);
	return a->oom ? NULL : a->p;
}

void ternd_pg_array_free(struct ternd_pg_array *a)
{
	free(a->p);
	memset(a, 0, sizeof(*a));
}

/* A hash set of RUN_SET slots, at most half full, finds a repeat. */
#define RUN_SET 1024

size_t ternd_pg_run_len(const struct ternd_change *v, size_t n, size_t max)
{
	uint32_t key[RUN_SET];
	uint8_t used[RUN_SET];
	size_t j;

	if (max > RUN_SET / 2)
		max = RUN_SET / 2;
	memset(used, 0, sizeof(used));
	for (j = 0; j < n && j < max && v[j].op == TERND_CHANGE_UPSERT; j++) {
		uint32_t addr = v[j].lease.addr;
		size_t h = (addr * 2654435761u) % RUN_SET;

		while (used[h] && key[h] != addr)
			h = (h + 1) % RUN_SET;
		if (used[h])
			break;
		used[h] = 1;
		key[h] = addr;
	}
	return j;
}
