/* ternd configuration: whether an option-def would redefine one of Kea
 * 2.2's standard DHCPv6 definitions (the "dhcp6" space and the S46 ones,
 * common/optdefs6.c), which Kea's CfgOptionDef::add refuses. */
#include "common/optdefs6.h"
#include "server/config/loader6.h"

bool ld6_std_def(const char *space, uint16_t code, const char *name)
{
	return (name ? tern_optdef6_std_name(space, name)
		     : tern_optdef6_std(space, code)) != NULL;
}
