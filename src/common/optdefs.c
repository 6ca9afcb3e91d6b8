/* DHCPv4 option definitions: Kea's names and types by code, shared by ternd's
 * config and ternctl. */
#include <stddef.h>
#include <string.h>

#include "common/optdefs.h"

#define A true	/* array */
#define S false /* single value */

/* Names and types follow Kea's standard DHCPv4 definitions so existing
 * option-data works; record-typed options Kea defines are left out and
 * must be given by code as hex. Sorted by code. */
static const struct tern_optdef optdefs[] = {
	{"subnet-mask", 1, TERN_OT_IPV4, S},
	{"time-offset", 2, TERN_OT_I32, S},
	{"routers", 3, TERN_OT_IPV4, A},
	{"time-servers", 4, TERN_OT_IPV4, A},
	{"name-servers", 5, TERN_OT_IPV4, A},
	{"domain-name-servers", 6, TERN_OT_IPV4, A},
	{"log-servers", 7, TERN_OT_IPV4, A},
	{"cookie-servers", 8, TERN_OT_IPV4, A},
	{"lpr-servers", 9, TERN_OT_IPV4, A},
	{"impress-servers", 10, TERN_OT_IPV4, A},
	{"resource-location-servers", 11, TERN_OT_IPV4, A},
	{"host-name", 12, TERN_OT_STRING, S},
	{"boot-size", 13, TERN_OT_U16, S},
	{"merit-dump", 14, TERN_OT_STRING, S},
	{"domain-name", 15, TERN_OT_STRING, S},
	{"swap-server", 16, TERN_OT_IPV4, S},
	{"root-path", 17, TERN_OT_STRING, S},
	{"extensions-path", 18, TERN_OT_STRING, S},
	{"ip-forwarding", 19, TERN_OT_BOOL, S},
	{"non-local-source-routing", 20, TERN_OT_BOOL, S},
	{"policy-filter", 21, TERN_OT_IPV4_PAIR, A},
	{"max-dgram-reassembly", 22, TERN_OT_U16, S},
	{"default-ip-ttl", 23, TERN_OT_U8, S},
	{"path-mtu-aging-timeout", 24, TERN_OT_U32, S},
	{"path-mtu-plateau-table", 25, TERN_OT_U16, A},
	{"interface-mtu", 26, TERN_OT_U16, S},
	{"all-subnets-local", 27, TERN_OT_BOOL, S},
	{"broadcast-address", 28, TERN_OT_IPV4, S},
	{"perform-mask-discovery", 29, TERN_OT_BOOL, S},
	{"mask-supplier", 30, TERN_OT_BOOL, S},
	{"router-discovery", 31, TERN_OT_BOOL, S},
	{"router-solicitation-address", 32, TERN_OT_IPV4, S},
	{"static-routes", 33, TERN_OT_IPV4_PAIR, A},
	{"trailer-encapsulation", 34, TERN_OT_BOOL, S},
	{"arp-cache-timeout", 35, TERN_OT_U32, S},
	{"ieee802-3-encapsulation", 36, TERN_OT_BOOL, S},
	{"default-tcp-ttl", 37, TERN_OT_U8, S},
	{"tcp-keepalive-interval", 38, TERN_OT_U32, S},
	{"tcp-keepalive-garbage", 39, TERN_OT_BOOL, S},
	{"nis-domain", 40, TERN_OT_STRING, S},
	{"nis-servers", 41, TERN_OT_IPV4, A},
	{"ntp-servers", 42, TERN_OT_IPV4, A},
	{"vendor-encapsulated-options", 43, TERN_OT_BINARY, S},
	{"netbios-name-servers", 44, TERN_OT_IPV4, A},
	{"netbios-dd-server", 45, TERN_OT_IPV4, A},
	{"netbios-node-type", 46, TERN_OT_U8, S},
	{"netbios-scope", 47, TERN_OT_STRING, S},
	{"font-servers", 48, TERN_OT_IPV4, A},
	{"x-display-manager", 49, TERN_OT_IPV4, A},
	{"dhcp-server-identifier", 54, TERN_OT_IPV4, S},
	{"dhcp-message", 56, TERN_OT_STRING, S},
	{"vendor-class-identifier", 60, TERN_OT_STRING, S},
	{"nwip-domain-name", 62, TERN_OT_STRING, S},
	{"nwip-suboptions", 63, TERN_OT_BINARY, S},
	{"nisplus-domain-name", 64, TERN_OT_STRING, S},
	{"nisplus-servers", 65, TERN_OT_IPV4, A},
	{"tftp-server-name", 66, TERN_OT_STRING, S},
	{"boot-file-name", 67, TERN_OT_STRING, S},
	{"mobile-ip-home-agent", 68, TERN_OT_IPV4, A},
	{"smtp-server", 69, TERN_OT_IPV4, A},
	{"pop-server", 70, TERN_OT_IPV4, A},
	{"nntp-server", 71, TERN_OT_IPV4, A},
	{"www-server", 72, TERN_OT_IPV4, A},
	{"finger-server", 73, TERN_OT_IPV4, A},
	{"irc-server", 74, TERN_OT_IPV4, A},
	{"streettalk-server", 75, TERN_OT_IPV4, A},
	{"streettalk-directory-assistance-server", 76, TERN_OT_IPV4, A},
	{"user-class", 77, TERN_OT_BINARY, S},
	{"nds-servers", 85, TERN_OT_IPV4, A},
	{"nds-tree-name", 86, TERN_OT_STRING, S},
	{"nds-context", 87, TERN_OT_STRING, S},
	{"bcms-controller-names", 88, TERN_OT_FQDN, A},
	{"bcms-controller-address", 89, TERN_OT_IPV4, A},
	{"pcode", 100, TERN_OT_STRING, S},
	{"tcode", 101, TERN_OT_STRING, S},
	{"v6-only-preferred", 108, TERN_OT_U32, S},
	{"netinfo-server-address", 112, TERN_OT_IPV4, A},
	{"netinfo-server-tag", 113, TERN_OT_STRING, S},
	{"v4-captive-portal", 114, TERN_OT_STRING, S},
	{"auto-config", 116, TERN_OT_U8, S},
	{"name-service-search", 117, TERN_OT_U16, A},
	{"subnet-selection", 118, TERN_OT_IPV4, S},
	{"domain-search", 119, TERN_OT_FQDN, A},
	{"classless-static-route", 121, TERN_OT_ROUTES, A},
	{"pana-agent", 136, TERN_OT_IPV4, A},
	{"v4-lost", 137, TERN_OT_FQDN, S},
	{"capwap-ac-v4", 138, TERN_OT_IPV4, A},
	{"sip-ua-cs-domains", 141, TERN_OT_FQDN, A},
	{"v4-access-domain", 213, TERN_OT_FQDN, S},
};

#undef A
#undef S

const struct tern_optdef *tern_optdef_by_name(const char *name)
{
	if (!name)
		return NULL;
	for (size_t i = 0; i < sizeof(optdefs) / sizeof(optdefs[0]); i++)
		if (strcmp(optdefs[i].name, name) == 0)
			return &optdefs[i];
	return NULL;
}

const struct tern_optdef *tern_optdef_by_code(uint8_t code)
{
	for (size_t i = 0; i < sizeof(optdefs) / sizeof(optdefs[0]); i++)
		if (optdefs[i].code == code)
			return &optdefs[i];
	return NULL;
}

const char *tern_opt_type_name(enum tern_opt_type t)
{
	switch (t) {
	case TERN_OT_EMPTY:
		return "empty";
	case TERN_OT_BINARY:
		return "binary";
	case TERN_OT_BOOL:
		return "boolean";
	case TERN_OT_U8:
		return "uint8";
	case TERN_OT_U16:
		return "uint16";
	case TERN_OT_U32:
		return "uint32";
	case TERN_OT_I32:
		return "int32";
	case TERN_OT_IPV4:
		return "ipv4-address";
	case TERN_OT_STRING:
		return "string";
	case TERN_OT_FQDN:
		return "fqdn";
	case TERN_OT_ROUTES:
		return "internal (classless routes)";
	case TERN_OT_IPV4_PAIR:
		return "ipv4-address pairs";
	}
	return "?";
}
