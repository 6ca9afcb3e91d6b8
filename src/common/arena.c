/* tern arena (shared by the programs): bump allocation with a byte limit,
 * released in one call. */
#include "common/arena.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define ARENA_CHUNK (64u * 1024u)
#define ARENA_ALIGN 16u

struct chunk {
	struct chunk *next;
	size_t size; /* usable bytes after the header */
	size_t used;
	/* Keeps the data that follows aligned for any object type. */
	_Alignas(ARENA_ALIGN) unsigned char data[];
};

struct ternd_arena {
	struct chunk *head;
	size_t limit;
	size_t total;
};

struct ternd_arena *ternd_arena_new(size_t limit)
{
	struct ternd_arena *a = calloc(1, sizeof(*a));

	if (a)
		a->limit = limit;
	return a;
}

void *ternd_arena_alloc(struct ternd_arena *a, size_t size)
{
	struct chunk *c;
	void *p = NULL;

	if (!a)
		goto out;
	if (size == 0)
		size = 1;
	if (size > SIZE_MAX / 2)
		goto out;
	size = (size + ARENA_ALIGN - 1) & ~(size_t)(ARENA_ALIGN - 1);
	if (size > a->limit - a->total)
		goto out;
	c = a->head;
	if (!c || c->size - c->used < size) {
		size_t csize = size > ARENA_CHUNK ? size : ARENA_CHUNK;

		c = malloc(sizeof(*c) + csize);
		if (!c)
			goto out;
		c->size = csize;
		c->used = 0;
		/* Big blocks go behind the head so the head's free tail stays
		 * usable for the small allocations that follow. */
		if (a->head && csize == size) {
			c->next = a->head->next;
			a->head->next = c;
		} else {
			c->next = a->head;
			a->head = c;
		}
	}
	p = c->data + c->used;
	c->used += size;
	a->total += size;
	memset(p, 0, size);
out:
	return p;
}

void *ternd_arena_calloc(struct ternd_arena *a, size_t n, size_t size)
{
	if (size && n > SIZE_MAX / size)
		return NULL;
	return ternd_arena_alloc(a, n * size);
}

char *ternd_arena_strndup(struct ternd_arena *a, const char *s, size_t n)
{
	char *p;

	if (n == SIZE_MAX)
		return NULL;
	p = ternd_arena_alloc(a, n + 1);
	if (p && n)
		memcpy(p, s, n);
	return p;
}

size_t ternd_arena_used(const struct ternd_arena *a)
{
	return a ? a->total : 0;
}

void ternd_arena_free(struct ternd_arena *a)
{
	struct chunk *c, *next;

	if (!a)
		return;
	for (c = a->head; c; c = next) {
		next = c->next;
		free(c);
	}
	free(a);
}
