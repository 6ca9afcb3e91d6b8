/* ternd engine: INFORM (RFC 2131 §4.3.5): configuration for a client that
 * has its address already. */
#include <tern/dhcp4.h>

#include "server/engine4/internal.h"

int e4_do_inform(struct ternd_engine *e, struct req *q, struct ternd_tx *tx)
{
	const struct esub *es = &e->subs[q->sel];
	const struct ternd_reservation *res = e4_res_for(e, q, q->sel);
	struct ternd_reply p = {0};

	/* RFC 2131 §4.3.5: configuration only, no lease, no lease times. */
	p.type = TERN_DHCP4_ACK;
	p.ciaddr = q->ciaddr;
	p.server_id = q->server_id;
	p.mask = es->s->mask;
	e4_classify_lease(e, q, q->sel, 0);
	e4_fixed_fields(e, q, &es->s->params, res, &p);
	/* Kea answers an INFORM without option 12. */
	p.hostname = NULL;
	/* No pool level (yiaddr is 0) and no automatic mask, as Kea. */
	e4_select_options(e, q, q->sel, res, 0, &p);
	return e4_finish_tx(e, q, tx, &p);
}
