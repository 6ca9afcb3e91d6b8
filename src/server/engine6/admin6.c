/* ternd DHCPv6 engine: the operator's changes to the lease table (lease6-add,
 * -update, -del, -bulk-apply, -wipe) and the table as the store has it. */
#include <errno.h>
#include <string.h>

#include "server/engine6/admin6.h"
#include "server/engine6/internal6.h"

int ternd_engine6_foreach(const struct ternd_engine6 *e,
			  int (*cb)(void *ctx, const struct ternd_lease6 *l),
			  void *ctx)
{
	if (!e || !cb)
		return -EINVAL;
	for (size_t i = 0; i < e->cap; i++) {
		int rc;

		if (!e->slots[i].used)
			continue;
		if ((rc = cb(ctx, &e->slots[i].l)) != 0)
			return rc;
	}
	return 0;
}

const struct ternd_lease6 *ternd_engine6_at(const struct ternd_engine6 *e,
					    const struct in6_addr *addr)
{
	const struct ternd_lease6 *l;

	if (!e || !addr)
		return NULL;
	l = e6_find_addr(e, TERND_LEASE6_NA, addr);
	return l ? l : e6_find_addr(e, TERND_LEASE6_PD, addr);
}

int ternd_engine6_lease_check(const struct ternd_engine6 *e,
			      const struct ternd_lease6 *l)
{
	const struct ternd_subnet6 *s;

	if (!e || !l)
		return -EINVAL;
	if ((l->type != TERND_LEASE6_NA && l->type != TERND_LEASE6_PD) ||
	    l->state > TERND_LEASE6_EXPIRED ||
	    l->duid_len > TERND_LEASE6_DUID_MAX || l->plen > 128 ||
	    (l->type == TERND_LEASE6_NA && l->plen != 128) ||
	    memchr(l->hostname, '\0', sizeof(l->hostname)) == NULL)
		return -EINVAL;
	s = ternd_config6_subnet_by_id(e->c6, l->subnet_id);
	if (!s)
		return -ENOENT;
	if (l->type == TERND_LEASE6_NA && !ternd_subnet6_has(s, &l->addr))
		return -EDOM;
	if (e6_full(e) && !e6_find_addr(e, l->type, &l->addr))
		return -ENOSPC;
	return 0;
}

int ternd_engine6_lease_set(struct ternd_engine6 *e,
			    const struct ternd_lease6 *l)
{
	bool ok;
	int rc;

	if ((rc = ternd_engine6_lease_check(e, l)) < 0)
		return rc;
	/* Kea's lease6-add counts the lease as assigned, not as a new
	 * binding of a client: the restore path's counting. */
	e->restoring = true;
	ok = e6_put(e, l) != NULL;
	e->restoring = false;
	return ok ? 0 : -ENOSPC;
}

int ternd_engine6_lease_drop(struct ternd_engine6 *e, uint8_t type,
			     const struct in6_addr *addr)
{
	if (!e || !addr)
		return -EINVAL;
	if (!e6_find_addr(e, type, addr))
		return -ENOENT;
	e6_del(e, type, addr);
	return 0;
}
