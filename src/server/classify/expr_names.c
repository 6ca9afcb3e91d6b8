/* ternd classification: Kea 2.2's standard DHCPv4 option definitions as
 * expressions need them: the names option[NAME] resolves, and the object
 * Kea builds for each code. */
#include <stdlib.h>
#include <string.h>

#include "server/classify/expr_prog.h"

/* Sorted by name for bsearch. 43 is only Kea's last-resort definition and
 * is unpacked after the first classification pass: raw here. */
struct std_def {
	const char *name;
	uint8_t code;
	uint8_t kind; /* enum texpr_kind */
};

#define K(k) TEXPR_K_##k

static const struct std_def std_defs[] = {
	{"all-subnets-local", 27, K(BOOL)},
	{"arp-cache-timeout", 35, K(U32)},
	{"associated-ip", 92, K(ADDRS)},
	{"authenticate", 90, K(RAW)},
	{"auto-config", 116, K(U8)},
	{"bcms-controller-address", 89, K(ADDRS)},
	{"bcms-controller-names", 88, K(CUSTOM)},
	{"boot-file-name", 67, K(STRING)},
	{"boot-size", 13, K(U16)},
	{"broadcast-address", 28, K(ADDR1)},
	{"capwap-ac-v4", 138, K(ADDRS)},
	{"client-last-transaction-time", 91, K(U32)},
	{"client-ndi", 94, K(CUSTOM)},
	{"client-system", 93, K(ARR_U16)},
	{"cookie-servers", 8, K(ADDRS)},
	{"default-ip-ttl", 23, K(U8)},
	{"default-tcp-ttl", 37, K(U8)},
	{"dhcp-agent-options", 82, K(CONTAINER)},
	{"dhcp-client-identifier", 61, K(RAW)},
	{"dhcp-lease-time", 51, K(U32)},
	{"dhcp-max-message-size", 57, K(U16)},
	{"dhcp-message", 56, K(STRING)},
	{"dhcp-message-type", 53, K(U8)},
	{"dhcp-option-overload", 52, K(U8)},
	{"dhcp-parameter-request-list", 55, K(ARR_U8)},
	{"dhcp-rebinding-time", 59, K(U32)},
	{"dhcp-renewal-time", 58, K(U32)},
	{"dhcp-requested-address", 50, K(ADDR1)},
	{"dhcp-server-identifier", 54, K(ADDR1)},
	{"domain-name", 15, K(STRING)},
	{"domain-name-servers", 6, K(ADDRS)},
	{"domain-search", 119, K(CUSTOM)},
	{"extensions-path", 18, K(STRING)},
	{"finger-server", 73, K(ADDRS)},
	{"font-servers", 48, K(ADDRS)},
	{"fqdn", 81, K(CUSTOM)},
	{"geoconf-civic", 99, K(RAW)},
	{"host-name", 12, K(STRING)},
	{"ieee802-3-encapsulation", 36, K(BOOL)},
	{"impress-servers", 10, K(ADDRS)},
	{"interface-mtu", 26, K(U16)},
	{"ip-forwarding", 19, K(BOOL)},
	{"irc-server", 74, K(ADDRS)},
	{"log-servers", 7, K(ADDRS)},
	{"lpr-servers", 9, K(ADDRS)},
	{"mask-supplier", 30, K(BOOL)},
	{"max-dgram-reassembly", 22, K(U16)},
	{"merit-dump", 14, K(STRING)},
	{"mobile-ip-home-agent", 68, K(ADDRS)},
	{"name-servers", 5, K(ADDRS)},
	{"name-service-search", 117, K(ARR_U16)},
	{"nds-context", 87, K(STRING)},
	{"nds-servers", 85, K(ADDRS)},
	{"nds-tree-name", 86, K(STRING)},
	{"netbios-dd-server", 45, K(ADDRS)},
	{"netbios-name-servers", 44, K(ADDRS)},
	{"netbios-node-type", 46, K(U8)},
	{"netbios-scope", 47, K(STRING)},
	{"netinfo-server-address", 112, K(ADDRS)},
	{"netinfo-server-tag", 113, K(STRING)},
	{"nis-domain", 40, K(STRING)},
	{"nis-servers", 41, K(ADDRS)},
	{"nisplus-domain-name", 64, K(STRING)},
	{"nisplus-servers", 65, K(ADDRS)},
	{"nntp-server", 71, K(ADDRS)},
	{"non-local-source-routing", 20, K(BOOL)},
	{"ntp-servers", 42, K(ADDRS)},
	{"nwip-domain-name", 62, K(STRING)},
	{"nwip-suboptions", 63, K(RAW)},
	{"option-6rd", 212, K(CUSTOM)},
	{"pana-agent", 136, K(ADDRS)},
	{"path-mtu-aging-timeout", 24, K(U32)},
	{"path-mtu-plateau-table", 25, K(ARR_U16)},
	{"pcode", 100, K(STRING)},
	{"perform-mask-discovery", 29, K(BOOL)},
	{"policy-filter", 21, K(ADDRS)},
	{"pop-server", 70, K(ADDRS)},
	{"rdnss-selection", 146, K(CUSTOM)},
	{"resource-location-servers", 11, K(ADDRS)},
	{"root-path", 17, K(STRING)},
	{"router-discovery", 31, K(BOOL)},
	{"router-solicitation-address", 32, K(ADDR1)},
	{"routers", 3, K(ADDRS)},
	{"sip-ua-cs-domains", 141, K(CUSTOM)},
	{"slp-directory-agent", 78, K(CUSTOM)},
	{"slp-service-scope", 79, K(CUSTOM)},
	{"smtp-server", 69, K(ADDRS)},
	{"static-routes", 33, K(ADDRS)},
	{"streettalk-directory-assistance-server", 76, K(ADDRS)},
	{"streettalk-server", 75, K(ADDRS)},
	{"subnet-mask", 1, K(ADDR1)},
	{"subnet-selection", 118, K(ADDR1)},
	{"swap-server", 16, K(ADDR1)},
	{"tcode", 101, K(STRING)},
	{"tcp-keepalive-garbage", 39, K(BOOL)},
	{"tcp-keepalive-interval", 38, K(U32)},
	{"tftp-server-name", 66, K(STRING)},
	{"time-offset", 2, K(I32)},
	{"time-servers", 4, K(ADDRS)},
	{"trailer-encapsulation", 34, K(BOOL)},
	{"uap-servers", 98, K(STRING)},
	{"user-class", 77, K(RAW)},
	{"uuid-guid", 97, K(CUSTOM)},
	{"v4-access-domain", 213, K(CUSTOM)},
	{"v4-captive-portal", 114, K(STRING)},
	{"v4-lost", 137, K(CUSTOM)},
	{"v4-portparams", 159, K(CUSTOM)},
	{"v6-only-preferred", 108, K(U32)},
	{"vendor-class-identifier", 60, K(STRING)},
	{"vendor-encapsulated-options", 43, K(RAW)},
	{"vivco-suboptions", 124, K(VIVCO)},
	{"vivso-suboptions", 125, K(VIVSO)},
	{"www-server", 72, K(ADDRS)},
	{"x-display-manager", 49, K(ADDRS)},
};

#define N_DEFS (sizeof(std_defs) / sizeof(std_defs[0]))

static int cmp_name(const void *key, const void *elem)
{
	return strcmp(key, ((const struct std_def *)elem)->name);
}

int ternd_expr_std_opt_code(const char *name)
{
	const struct std_def *d;

	d = bsearch(name, std_defs, N_DEFS, sizeof(std_defs[0]), cmp_name);
	return d ? d->code : -1;
}

enum texpr_kind texpr_std_kind(uint8_t code)
{
	for (size_t i = 0; i < N_DEFS; i++)
		if (std_defs[i].code == code)
			return (enum texpr_kind)std_defs[i].kind;
	return TEXPR_K_RAW;
}

bool ternd_expr_std_opt_is_string(uint8_t code)
{
	return texpr_std_kind(code) == TEXPR_K_STRING;
}
