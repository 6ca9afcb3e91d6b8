/* tern arena (shared by the programs): bump allocation with a byte limit,
 * released in one call. */
#ifndef TERND_ARENA_H
#define TERND_ARENA_H

#include <stddef.h>

struct ternd_arena;

/* A new arena that refuses to hand out more than limit bytes in total. */
struct ternd_arena *ternd_arena_new(size_t limit);
/* Zeroed, 16-byte aligned memory; NULL when the limit or malloc fails. */
void *ternd_arena_alloc(struct ternd_arena *a, size_t size);
/* n objects of size bytes each, overflow-checked. */
void *ternd_arena_calloc(struct ternd_arena *a, size_t n, size_t size);
/* Copy of s[0..n) plus a NUL. */
char *ternd_arena_strndup(struct ternd_arena *a, const char *s, size_t n);
/* Bytes handed out so far. */
size_t ternd_arena_used(const struct ternd_arena *a);
void ternd_arena_free(struct ternd_arena *a);

#endif
