/* tern JSON reader internals, shared by json.c (the reader) and json_kea.c
 * (Kea's dialect: includes, numbers). Not for use outside src/common. */
#ifndef TERN_COMMON_JSON_INTERNAL_H
#define TERN_COMMON_JSON_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/json.h"

/* The text being read: the given one, or an included file. */
struct tjson__text {
	const char *buf;
	const char *p;
	const char *end;
	const char *line_start;
	uint32_t line;
	uint32_t file;	 /* index in doc->files, 0 for the given text */
	int64_t off_adj; /* pos.off = (p - buf) + off_adj */
	char *owned;	 /* an included file's text, freed when done */
};

struct tjson__parser {
	struct tjson__text t; /* the current text */
	size_t depth;
	size_t nodes;
	struct tjson_limits lim;
	struct ternd_arena *arena;
	struct tjson_error *err;
	/* Set just before a failure caused by the end of the input, so a
	 * stream reader can tell "wait for more" from "malformed". */
	bool at_end;
	/* Kea's dialect; NULL: strict JSON. */
	const struct tjson_kea *kea;
	struct tjson_doc *doc;
	struct tjson__text outer[TJSON_KEA_MAX_NESTED]; /* includers */
	size_t nested;
	size_t total; /* bytes of every text read */
	size_t files_cap;
};

struct tjson_pos tjson__here(const struct tjson__parser *ps);
/* Both readers: the value of a scanned numeral [s, q) into v (json.c). */
int tjson__number_value(struct tjson__parser *ps, struct tjson *v,
			const char *s, const char *q, bool is_int);
__attribute__((format(printf, 4, 5))) int tjson__fail(struct tjson__parser *ps,
						      struct tjson_pos pos,
						      int rc, const char *fmt,
						      ...);
void tjson__newline(struct tjson__parser *ps);

/* Kea's dialect (json_kea.c). */
/* ps->t.p is on "<?": read the directive and enter the file. */
int tjson__kea_include(struct tjson__parser *ps);
/* The current included text is exhausted: back to its includer, past the
 * directive's "?>". */
int tjson__kea_leave(struct tjson__parser *ps);
/* Kea's \u escape: ps->t.p on the 'u', left on its last digit; the byte
 * goes to out[*n]. */
int tjson__kea_u_escape(struct tjson__parser *ps, struct tjson_pos epos,
			char *out, size_t *n);
/* A number as Kea's lexer reads it, into v (is_int, i, d). */
int tjson__kea_number(struct tjson__parser *ps, struct tjson *v);
/* The given text is files[0]; name may be NULL. */
int tjson__kea_begin(struct tjson__parser *ps, const char *name);
/* Frees what an unfinished parse still holds (included texts). */
void tjson__kea_end(struct tjson__parser *ps);

#endif
