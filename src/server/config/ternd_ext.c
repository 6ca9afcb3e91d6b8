/* ternd extensions: Dhcp4 / user-context / ternd (user, group, mesh). */
#include <net/if.h>
#include <string.h>

#include "server/config/loader.h"

#define MAX_USER_NAME 64

/* Dhcp4.user-context.ternd.mesh: ddhcpd's flags as keys. */
static void parse_mesh(struct loader *ld, const struct tjson *t)
{
	struct ternd_config_mesh *cm = &ld->cfg->mesh;
	uint32_t u;

	if (!ld_want_type(ld, t, TJSON_OBJECT, "a map"))
		return;
	cm->present = true;
	for (const struct tjson *m = t->child; m; m = m->next) {
		if (strcmp(m->key, "network") == 0) {
			if (ld_want_type(ld, m, TJSON_STRING,
					 "a prefix string") &&
			    (!ld_parse_prefix(m->s, &cm->network,
					      &cm->prefix_len) ||
			     cm->prefix_len < 8 || cm->prefix_len > 30 ||
			     (cm->network & ~(~0u << (32 - cm->prefix_len)))))
				ld_error_at(
					ld, m->pos,
					"\"network\": \"%s\" is not a "
					"network/length with zero host bits",
					m->s);
		} else if (strcmp(m->key, "server-interface") == 0) {
			ld_get_str(ld, m, IF_NAMESIZE - 1, &cm->server_iface);
		} else if (strcmp(m->key, "client-interface") == 0) {
			ld_get_str(ld, m, IF_NAMESIZE - 1, &cm->client_iface);
		} else if (strcmp(m->key, "hook") == 0) {
			ld_get_str(ld, m, TERND_MAX_STRING, &cm->hook);
		} else if (strcmp(m->key, "node-id") == 0) {
			ld_get_str(ld, m, 23, &cm->node_id);
		} else if (strcmp(m->key, "state-directory") == 0) {
			ld_get_str(ld, m, TERND_MAX_STRING, &cm->state_dir);
		} else if (strcmp(m->key, "block-size-pow") == 0) {
			if (ld_get_u32(ld, m, 0, 7, &u))
				cm->block_pow = (int32_t)u;
		} else if (strcmp(m->key, "spare-leases") == 0) {
			if (ld_get_u32(ld, m, 0, 256, &u))
				cm->spare_leases = (int32_t)u;
		} else if (strcmp(m->key, "tentative-timeout") == 0) {
			ld_get_seconds(ld, m, &cm->tentative);
		} else if (strcmp(m->key, "block-timeout") == 0) {
			ld_get_seconds(ld, m, &cm->block_timeout);
		} else if (strcmp(m->key, "needless-timeout") == 0) {
			ld_get_seconds(ld, m, &cm->needless);
		} else if (strcmp(m->key, "learning") == 0) {
			bool b;

			if (ld_get_bool(ld, m, &b))
				cm->learning = b;
		} else if (strcmp(m->key, "options") == 0) {
			if (!ld_want_type(ld, m, TJSON_ARRAY, "a list"))
				continue;
			if (m->n > TERND_MESH_CFG_MAX_OPTS) {
				ld_error_at(ld, m->pos,
					    "\"options\": at most %d options",
					    TERND_MESH_CFG_MAX_OPTS);
				continue;
			}
			for (const struct tjson *e = m->child; e; e = e->next)
				if (ld_get_str(ld, e, 1100,
					       &cm->options[cm->n_options]))
					cm->n_options++;
		} else {
			ld_other_key(ld, m, "user-context.ternd.mesh");
		}
	}
}

void ld_parse_ternd_ext(struct loader *ld, const struct tjson *uc)
{
	const struct tjson *t;

	if (uc->type != TJSON_OBJECT)
		return;
	t = tjson_get(uc, "ternd");
	if (!t || !ld_want_type(ld, t, TJSON_OBJECT, "a map"))
		return;
	for (const struct tjson *m = t->child; m; m = m->next) {
		if (strcmp(m->key, "user") == 0)
			ld_get_str(ld, m, MAX_USER_NAME, &ld->cfg->user);
		else if (strcmp(m->key, "group") == 0)
			ld_get_str(ld, m, MAX_USER_NAME, &ld->cfg->group);
		else if (strcmp(m->key, "mesh") == 0)
			parse_mesh(ld, m);
		else if (strcmp(m->key, "server-index") == 0)
			ld_get_u32(ld, m, 0, 255,
				   &ld->cfg->store_pg.server_index);
		else if (strcmp(m->key, "servers") == 0)
			ld_get_u32(ld, m, 1, 256, &ld->cfg->store_pg.servers);
		else
			ld_other_key(ld, m, "user-context.ternd");
	}
	if (ld->cfg->store_pg.server_index &&
	    ld->cfg->store_pg.server_index >= ld->cfg->store_pg.servers)
		ld_error_at(ld, t->pos,
			    "\"server-index\" must be below \"servers\"");
}
