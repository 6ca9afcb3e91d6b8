/* ternd configuration: Dhcp6 subnet6 lists and shared-networks (what a
 * network gives its subnets, Kea 2.2's consistency checks), every subnet
 * into one list in subnet-id order. */
#include <stdlib.h>
#include <string.h>

#include "server/config/loader6.h"

/* A subnet as read, with where it came from (for the checks after the
 * list is sorted). */
struct rd {
	struct tjson_pos pos;
	const struct tjson *iface; /* its own "interface", NULL if none */
};

static size_t count_subnets(const struct tjson *subnets,
			    const struct tjson *networks)
{
	size_t n = subnets && subnets->type == TJSON_ARRAY ? subnets->n : 0;

	if (!networks || networks->type != TJSON_ARRAY)
		return n;
	for (const struct tjson *o = networks->child; o; o = o->next) {
		const struct tjson *l = o->type == TJSON_OBJECT
						? tjson_get(o, "subnet6")
						: NULL;

		if (l && l->type == TJSON_ARRAY)
			n += l->n;
	}
	return n;
}

/* Whether v[n] may join v[0..n): ids and prefixes are unique across the
 * whole configuration (Kea's CfgSubnets6::add). */
static bool unique(struct loader *ld, const struct ternd_subnet6 *v, size_t n,
		   struct tjson_pos pos)
{
	for (size_t i = 0; i < n; i++) {
		if (v[i].id == v[n].id) {
			ld_error_at(ld, pos, "subnet id %u is used twice",
				    v[n].id);
			return false;
		}
		if (v[i].prefix_len == v[n].prefix_len &&
		    memcmp(&v[i].prefix, &v[n].prefix, 16) == 0) {
			ld_error_at(ld, pos,
				    "a second subnet6 with the same prefix");
			return false;
		}
	}
	return true;
}

/* The subnets of one list into v[*n..]. */
static void read_list(struct loader *ld, const struct tjson *arr,
		      const struct pparams6 *global, const struct ld6_net *net,
		      struct ternd_subnet6 *v, struct rd *rd, size_t *n)
{
	if (!ld_want_type(ld, arr, TJSON_ARRAY, "a list"))
		return;
	for (const struct tjson *o = arr->child; o; o = o->next) {
		bool ok;

		memset(&v[*n], 0, sizeof(v[*n]));
		ld6_parse_subnet(ld, o, global, net, &v[*n], &ok);
		if (!ok || !unique(ld, v, *n, o->pos))
			continue;
		rd[*n].pos = o->pos;
		rd[*n].iface = o->type == TJSON_OBJECT
				       ? tjson_get(o, "interface")
				       : NULL;
		(*n)++;
	}
}

/* Kea's sharedNetworksSanityChecks for one network's subnets v[from..to):
 * one rapid-commit value, one interface (the network's or the first
 * subnet's that names one). */
static void check_network(struct loader *ld, const struct ld6_net *net,
			  const struct ternd_subnet6 *v, const struct rd *rd,
			  size_t from, size_t to)
{
	const char *iface = net->iface;

	for (size_t i = from; i < to; i++) {
		const char *own =
			rd[i].iface && rd[i].iface->type == TJSON_STRING
				? rd[i].iface->s
				: NULL;

		if (i > from &&
		    v[i].params.rapid_commit != v[from].params.rapid_commit)
			ld_error_at(ld, rd[i].pos,
				    "all subnets in shared network \"%s\" must "
				    "have the same rapid-commit value: subnet "
				    "%u has %s, an earlier one %s",
				    net->net->name, v[i].id,
				    v[i].params.rapid_commit ? "true" : "false",
				    v[from].params.rapid_commit ? "true"
								: "false");
		if (!own || !*own)
			continue;
		if (!iface) {
			iface = own;
			continue;
		}
		if (strcmp(own, iface) != 0)
			ld_error_at(ld, rd[i].iface->pos,
				    "subnet %u has interface %s, but an "
				    "earlier subnet in shared network \"%s\" "
				    "or the network itself uses %s",
				    v[i].id, own, net->net->name, iface);
	}
}

static void read_network(struct loader *ld, const struct tjson *o,
			 const struct pparams6 *global,
			 struct ternd_network6 *nets, size_t k,
			 struct ternd_subnet6 *v, struct rd *rd, size_t *n)
{
	const struct tjson *name = NULL, *list = NULL, *iface = NULL,
			   *iface_id = NULL;
	struct ld6_net net;
	size_t from = *n;

	memset(&net, 0, sizeof(net));
	net.net = &nets[k];
	if (!ld_want_type(ld, o, TJSON_OBJECT, "a map"))
		return;
	for (const struct tjson *m = o->child; m; m = m->next) {
		if (strcmp(m->key, "name") == 0)
			name = m;
		else if (strcmp(m->key, "subnet6") == 0)
			list = m;
		else if (strcmp(m->key, "interface") == 0)
			iface = ld6_blank(m) ? NULL : m;
		else if (strcmp(m->key, "interface-id") == 0)
			iface_id = ld6_blank(m) ? NULL : m;
		else if (strcmp(m->key, "relay") == 0)
			ld6_parse_relay(ld, m, &net.relays, &net.n_relays);
		else if (strcmp(m->key, "option-data") == 0)
			ld6_parse_optlist(ld, m, &nets[k].options);
		else if (strcmp(m->key, "user-context") == 0)
			;
		else if (ld6_class_key(ld, m, &nets[k].client_class,
				       &nets[k].cls))
			;
		else if (!ld6_parse_param(ld, m, &net.pp, true))
			ld6_other_key(ld, m, "shared-networks");
	}
	if (!name) {
		ld_error_at(ld, o->pos,
			    "a shared network needs a \"name\" (kea-dhcp6 "
			    "refuses one without)");
		return;
	}
	if (!ld_get_str(ld, name, TERND_MAX_STRING, &nets[k].name))
		return;
	for (size_t i = 0; i < k; i++)
		if (nets[i].name && strcmp(nets[i].name, nets[k].name) == 0) {
			ld_error_at(ld, name->pos,
				    "a shared network named \"%s\" is defined "
				    "twice",
				    nets[k].name);
			return;
		}
	if (iface && iface_id) {
		ld_error_at(ld, iface_id->kpos,
			    "\"interface\" and \"interface-id\" cannot both "
			    "be set for shared network \"%s\" (kea-dhcp6 "
			    "refuses it)",
			    nets[k].name);
		return;
	}
	if (iface)
		ld_get_ifname(ld, iface, &net.iface);
	if (iface_id && ld_want_type(ld, iface_id, TJSON_STRING, "a string")) {
		if (iface_id->len == 0 || iface_id->len > TERND6_MAX_IFACE_ID)
			ld_error_at(ld, iface_id->pos,
				    "interface-id must be 1..%d bytes",
				    TERND6_MAX_IFACE_ID);
		net.iface_id = (const uint8_t *)ld_astr(ld, iface_id->s,
							iface_id->len);
		net.iface_id_len = (uint16_t)iface_id->len;
	}
	{
		/* The network's own lifetimes must hold together too. */
		struct ternd_params6 p;

		ld6_resolve(ld, global, &net.pp, NULL, o->pos, &p);
	}
	if (list)
		read_list(ld, list, global, &net, v, rd, n);
	check_network(ld, &net, v, rd, from, *n);
}

static int by_id(const void *a, const void *b)
{
	const struct ternd_subnet6 *x = a, *y = b;

	return x->id < y->id ? -1 : x->id > y->id;
}

void ld6_parse_subnets(struct loader *ld, const struct tjson *subnets,
		       const struct tjson *networks,
		       const struct pparams6 *global, struct ternd_config6 *c6)
{
	size_t total = count_subnets(subnets, networks), n = 0, nn = 0;
	struct ternd_network6 *nets = NULL;
	struct ternd_subnet6 *v;
	struct rd *rd;

	if (total > TERND6_MAX_SUBNETS) {
		ld_error_at(ld, (subnets ? subnets : networks)->pos,
			    "more than %d subnets", TERND6_MAX_SUBNETS);
		return;
	}
	v = ld_aalloc(ld, ld->a, total ? total : 1, sizeof(*v));
	rd = ld_aalloc(ld, ld->tmp, total ? total : 1, sizeof(*rd));
	if (!v || !rd)
		return;
	/* Networks first: kea-dhcp6 builds (and numbers, when they have no
	 * "id") their subnets before subnet6's. */
	if (networks && ld_want_type(ld, networks, TJSON_ARRAY, "a list")) {
		if (networks->n > TERND6_MAX_NETWORKS) {
			ld_error_at(ld, networks->pos,
				    "more than %d shared networks",
				    TERND6_MAX_NETWORKS);
			return;
		}
		nets = ld_aalloc(ld, ld->a, networks->n ? networks->n : 1,
				 sizeof(*nets));
		if (!nets)
			return;
		for (const struct tjson *o = networks->child; o; o = o->next)
			read_network(ld, o, global, nets, nn++, v, rd, &n);
	}
	if (subnets)
		read_list(ld, subnets, global, NULL, v, rd, &n);
	/* Kea keeps subnets (and a network's) ordered by id: selection
	 * and the walk across a network go in that order. */
	qsort(v, n, sizeof(*v), by_id);
	for (size_t k = 0; k < nn; k++) {
		uint32_t *mem;
		size_t m = 0;

		for (size_t i = 0; i < n; i++)
			m += v[i].network == &nets[k];
		if (!m)
			continue;
		if (!(mem = ld_aalloc(ld, ld->a, m, sizeof(*mem))))
			return;
		m = 0;
		for (size_t i = 0; i < n; i++)
			if (v[i].network == &nets[k])
				mem[m++] = (uint32_t)i;
		nets[k].members = mem;
		nets[k].n_members = m;
	}
	c6->subnets = v;
	c6->n_subnets = n;
	c6->networks = nets;
	c6->n_networks = nets ? nn : 0;
}
