/* ternd engine: the flexible identifier of a request (Kea's flex_id hook
 * library), for reservations by "flex-id". */
#include <errno.h>

#include "server/engine4/internal.h"

/*
 * Kea's flex_id evaluates identifier-expression on each query
 * (host4_identifier callout) and looks the result up as a reservation
 * identifier of type flex-id; an empty result matches nothing. Today only
 * an empty expression loads (config/hooks.c refuses the others until
 * ternd has Kea's expression language), so there is never an identifier,
 * exactly as Kea computes none from an empty expression. The one step
 * left when src/server/classify lands: compile the expression in
 * config/hooks.c (ternd_expr_compile_string), evaluate it here on q->m
 * into per-request scratch (ternd_expr_eval_string) and return that.
 */
int e4_flex_id(const struct ternd_engine *e, const struct req *q,
	       const uint8_t **ret)
{
	const struct ternd_config_hooks *h = &e->cfg->hooks;

	(void)q;
	*ret = NULL;
	if (!h->flex_id || !h->flex_id_expr || !h->flex_id_expr[0])
		return 0;
	return -ENOTSUP; /* unreachable: such a configuration does not load */
}
