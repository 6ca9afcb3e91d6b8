/* ternd lease record helpers: state names for logs, control output and the
 * store. */
#include "server/engine4/lease.h"

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
