/* ternd classification: the option names Kea 2.2 resolves in option[NAME]
 * (its standard and last-resort DHCPv4 definitions) and which are strings. */
#include <stdlib.h>
#include <string.h>

#include "server/classify/expr.h"

/* Sorted by name for bsearch. Record, FQDN and other typed options are
 * here by name only: Kea reads them with their own classes, which matters
 * for .text (see expr_view.c). */
struct std_name {
	const char *name;
	uint8_t code;
	bool string;
};

static const struct std_name std_names[] = {
	{"all-subnets-local", 27, false},
	{"arp-cache-timeout", 35, false},
	{"associated-ip", 92, false},
	{"authenticate", 90, false},
	{"auto-config", 116, false},
	{"bcms-controller-address", 89, false},
	{"bcms-controller-names", 88, false},
	{"boot-file-name", 67, true},
	{"boot-size", 13, false},
	{"broadcast-address", 28, false},
	{"capwap-ac-v4", 138, false},
	{"client-last-transaction-time", 91, false},
	{"client-ndi", 94, false},
	{"client-system", 93, false},
	{"cookie-servers", 8, false},
	{"default-ip-ttl", 23, false},
	{"default-tcp-ttl", 37, false},
	{"dhcp-agent-options", 82, false},
	{"dhcp-client-identifier", 61, false},
	{"dhcp-lease-time", 51, false},
	{"dhcp-max-message-size", 57, false},
	{"dhcp-message", 56, true},
	{"dhcp-message-type", 53, false},
	{"dhcp-option-overload", 52, false},
	{"dhcp-parameter-request-list", 55, false},
	{"dhcp-rebinding-time", 59, false},
	{"dhcp-renewal-time", 58, false},
	{"dhcp-requested-address", 50, false},
	{"dhcp-server-identifier", 54, false},
	{"domain-name", 15, true},
	{"domain-name-servers", 6, false},
	{"domain-search", 119, false},
	{"extensions-path", 18, true},
	{"finger-server", 73, false},
	{"font-servers", 48, false},
	{"fqdn", 81, false},
	{"geoconf-civic", 99, false},
	{"host-name", 12, true},
	{"ieee802-3-encapsulation", 36, false},
	{"impress-servers", 10, false},
	{"interface-mtu", 26, false},
	{"ip-forwarding", 19, false},
	{"irc-server", 74, false},
	{"log-servers", 7, false},
	{"lpr-servers", 9, false},
	{"mask-supplier", 30, false},
	{"max-dgram-reassembly", 22, false},
	{"merit-dump", 14, true},
	{"mobile-ip-home-agent", 68, false},
	{"name-servers", 5, false},
	{"name-service-search", 117, false},
	{"nds-context", 87, true},
	{"nds-servers", 85, false},
	{"nds-tree-name", 86, true},
	{"netbios-dd-server", 45, false},
	{"netbios-name-servers", 44, false},
	{"netbios-node-type", 46, false},
	{"netbios-scope", 47, true},
	{"netinfo-server-address", 112, false},
	{"netinfo-server-tag", 113, true},
	{"nis-domain", 40, true},
	{"nis-servers", 41, false},
	{"nisplus-domain-name", 64, true},
	{"nisplus-servers", 65, false},
	{"nntp-server", 71, false},
	{"non-local-source-routing", 20, false},
	{"ntp-servers", 42, false},
	{"nwip-domain-name", 62, true},
	{"nwip-suboptions", 63, false},
	{"option-6rd", 212, false},
	{"pana-agent", 136, false},
	{"path-mtu-aging-timeout", 24, false},
	{"path-mtu-plateau-table", 25, false},
	{"pcode", 100, true},
	{"perform-mask-discovery", 29, false},
	{"policy-filter", 21, false},
	{"pop-server", 70, false},
	{"rdnss-selection", 146, false},
	{"resource-location-servers", 11, false},
	{"root-path", 17, true},
	{"router-discovery", 31, false},
	{"router-solicitation-address", 32, false},
	{"routers", 3, false},
	{"sip-ua-cs-domains", 141, false},
	{"slp-directory-agent", 78, false},
	{"slp-service-scope", 79, false},
	{"smtp-server", 69, false},
	{"static-routes", 33, false},
	{"streettalk-directory-assistance-server", 76, false},
	{"streettalk-server", 75, false},
	{"subnet-mask", 1, false},
	{"subnet-selection", 118, false},
	{"swap-server", 16, false},
	{"tcode", 101, true},
	{"tcp-keepalive-garbage", 39, false},
	{"tcp-keepalive-interval", 38, false},
	{"tftp-server-name", 66, true},
	{"time-offset", 2, false},
	{"time-servers", 4, false},
	{"trailer-encapsulation", 34, false},
	{"uap-servers", 98, true},
	{"user-class", 77, false},
	{"uuid-guid", 97, false},
	{"v4-access-domain", 213, false},
	{"v4-captive-portal", 114, true},
	{"v4-lost", 137, false},
	{"v4-portparams", 159, false},
	{"v6-only-preferred", 108, false},
	{"vendor-class-identifier", 60, true},
	{"vendor-encapsulated-options", 43, false},
	{"vivco-suboptions", 124, false},
	{"vivso-suboptions", 125, false},
	{"www-server", 72, false},
	{"x-display-manager", 49, false},
};

static int cmp_name(const void *key, const void *elem)
{
	return strcmp(key, ((const struct std_name *)elem)->name);
}

int ternd_expr_std_opt_code(const char *name)
{
	const struct std_name *n;

	n = bsearch(name, std_names, sizeof(std_names) / sizeof(std_names[0]),
		    sizeof(std_names[0]), cmp_name);
	return n ? n->code : -1;
}

bool ternd_expr_std_opt_is_string(uint8_t code)
{
	for (size_t i = 0; i < sizeof(std_names) / sizeof(std_names[0]); i++)
		if (std_names[i].code == code)
			return std_names[i].string;
	return false;
}
