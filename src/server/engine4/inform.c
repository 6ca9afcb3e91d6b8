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
	p.siaddr = es->s->params.next_server;
	p.sname = es->s->params.server_hostname;
	p.file = es->s->params.boot_file_name;
	e4_class_fields(e, q, &p.siaddr, &p.sname, &p.file);
	if (res && res->next_server)
		p.siaddr = res->next_server;
	if (res && res->server_hostname)
		p.sname = res->server_hostname;
	if (res && res->boot_file_name)
		p.file = res->boot_file_name;
	/* Kea answers an INFORM without option 12. */
	p.hostname = NULL;
	p.opts = e4_class_opts(e, q, e4_opts_for(e, q->sel, res));
	return e4_finish_tx(e, q, tx, &p);
}
