/* ternd engine: the flexible identifier of a request (Kea's flex_id hook
 * library), for reservations by "flex-id" and replace-client-id. */
#include <errno.h>
#include <string.h>

#include "server/classify/expr.h"
#include "server/engine4/internal.h"

/*
 * Kea's flex_id evaluates identifier-expression on each query (its
 * host4_identifier and pkt4_receive callouts) and uses the bytes as a
 * reservation identifier of type flex-id; an empty result, or an
 * evaluation that fails, is no identifier (nothing matches). With
 * replace-client-id the query is handled as if its option 61 were a 0
 * byte followed by the identifier (leases then follow the identifier),
 * while the reply still echoes the option the client sent.
 */
int e4_flex_id(struct ternd_engine *e, struct req *q, const uint8_t **ret)
{
	const struct ternd_config_hooks *h = &e->cfg->hooks;
	struct ternd_expr_pkt p = {0};
	int n;

	*ret = NULL;
	if (!h->flex_id_x || !q->m)
		return 0;
	if (!q->flex_done) {
		q->flex_done = true;
		p.m = q->m;
		p.iface = q->rx->ifname;
		p.src = q->rx->src_addr;
		p.dst = q->rx->dst_addr;
		n = ternd_expr_eval_string(h->flex_id_x, &p, &e->expr_scratch,
					   e->flex_buf, sizeof(e->flex_buf));
		q->flex_len = n > 0 ? (uint16_t)n : 0;
	}
	if (!q->flex_len)
		return 0;
	*ret = e->flex_buf;
	return q->flex_len;
}

/* replace-client-id: the identifier, behind a 0 type byte, is the
 * client-id the request is handled with. */
void e4_flex_client_id(struct ternd_engine *e, struct req *q)
{
	const uint8_t *id;
	int n;

	if (!e->cfg->hooks.flex_id_replace_client_id)
		return;
	n = e4_flex_id(e, q, &id);
	if (n <= 0 || n + 1 > TERND_LEASE_CID_MAX)
		return;
	e->flex_cid[0] = 0;
	memcpy(e->flex_cid + 1, id, (size_t)n);
	q->cid = e->flex_cid;
	q->cid_len = (uint8_t)(n + 1);
}
