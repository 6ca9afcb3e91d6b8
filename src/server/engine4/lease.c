/* ternd lease record helpers: state names for logs, control output and the
 * store; the user-context Kea shows for a lease. */
#include "server/engine4/lease.h"

#include <errno.h>
#include <string.h>

const char *ternd_lease_state_name(uint8_t state)
{
	switch (state) {
	case TERND_LEASE_FREE:
		return "free";
	case TERND_LEASE_OFFERED:
		return "offered";
	case TERND_LEASE_BOUND:
		return "bound";
	case TERND_LEASE_DECLINED:
		return "declined";
	case TERND_LEASE_EXPIRED:
		return "expired";
	case TERND_LEASE_RELEASED:
		return "released";
	default:
		return "unknown";
	}
}

int ternd_lease_user_context(const struct ternd_lease *l, char *out, size_t cap)
{
	static const char head[] = "{ \"ISC\": { \"relay-agent-info\": \"0x";
	static const char tail[] = "\" } }";
	static const char hex[] = "0123456789ABCDEF";
	size_t n = 0;

	if (!l || !out || cap == 0)
		return -EINVAL;
	if (l->rai_len == 0) {
		out[0] = '\0';
		return 0;
	}
	if (cap < sizeof(head) - 1 + 2 * (size_t)l->rai_len + sizeof(tail))
		return -ENOBUFS;
	memcpy(out, head, sizeof(head) - 1);
	n = sizeof(head) - 1;
	for (size_t i = 0; i < l->rai_len; i++) {
		out[n++] = hex[l->rai[i] >> 4];
		out[n++] = hex[l->rai[i] & 15];
	}
	memcpy(out + n, tail, sizeof(tail));
	return (int)(n + sizeof(tail) - 1);
}
