/* ternd classification internals: the compiler's state, shared by the
 * grammar (expr_parse.c) and what it emits into (expr_compile.c). */
#ifndef TERND_CLASSIFY_EXPR_PARSE_H
#define TERND_CLASSIFY_EXPR_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "server/classify/expr_lex.h"
#include "server/classify/expr_prog.h"

/* What a rule produced (TY_ being internal to the classify folder). */
enum texpr_type {
	TY_ERR = -1,
	TY_BOOL = 0,
	TY_STR = 1,
};

struct texpr_parser {
	struct texpr_lexer lx;
	const struct ternd_expr_env *env;
	struct ternd_expr_error *err;
	int error; /* first error: -EINVAL or -ENOMEM */
	unsigned depth;
	struct texpr_ins *ins;
	size_t n_ins, cap_ins;
	uint8_t *pool;
	size_t pool_len, pool_cap;
	int sp, max_sp;
	bool depends_known;
	bool uses_len;
	bool uses_opts;
};

/* The grammar (expr_parse.c): the whole text, 0 or -1 with the error
 * recorded. */
int texpr_parse(struct texpr_parser *p, bool string);

/* Records the first error (-EINVAL, message at byte off); TY_ERR. */
__attribute__((format(printf, 3, 4))) enum texpr_type
texpr_fail(struct texpr_parser *p, uint32_t off, const char *fmt, ...);
/* Records -ENOMEM; TY_ERR. */
enum texpr_type texpr_nomem(struct texpr_parser *p);
/* Appends n bytes to the literal pool: 0, or -1 (out of memory). */
int texpr_pool_add(struct texpr_parser *p, const void *d, size_t n,
		   uint32_t *ret_off);
/* Appends an instruction popping pops values and pushing one; NULL out of
 * memory (recorded). */
struct texpr_ins *texpr_emit(struct texpr_parser *p, enum texpr_op op,
			     int pops);
/* A literal: TY_STR, or TY_ERR. */
enum texpr_type texpr_emit_lit(struct texpr_parser *p, const void *d, size_t n);
/* The object Kea builds for an option code (enum texpr_kind). */
enum texpr_kind texpr_kind_for(struct texpr_parser *p, uint8_t code);

#endif
