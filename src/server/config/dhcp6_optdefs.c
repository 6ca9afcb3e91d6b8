/* ternd configuration: the names and codes of Kea 2.2's standard DHCPv6
 * option definitions (the "dhcp6" space and the S46 ones), which an
 * option-def may not redefine (Kea's CfgOptionDef::add). */
#include <string.h>

#include "server/config/loader6.h"

static const struct {
	const char *space;
	const char *name;
	uint16_t code;
} std6[] = {
	{"dhcp6", "clientid", 1},
	{"dhcp6", "serverid", 2},
	{"dhcp6", "ia-na", 3},
	{"dhcp6", "ia-ta", 4},
	{"dhcp6", "iaaddr", 5},
	{"dhcp6", "oro", 6},
	{"dhcp6", "preference", 7},
	{"dhcp6", "elapsed-time", 8},
	{"dhcp6", "relay-msg", 9},
	{"dhcp6", "auth", 11},
	{"dhcp6", "unicast", 12},
	{"dhcp6", "status-code", 13},
	{"dhcp6", "rapid-commit", 14},
	{"dhcp6", "user-class", 15},
	{"dhcp6", "vendor-class", 16},
	{"dhcp6", "vendor-opts", 17},
	{"dhcp6", "interface-id", 18},
	{"dhcp6", "reconf-msg", 19},
	{"dhcp6", "reconf-accept", 20},
	{"dhcp6", "sip-server-dns", 21},
	{"dhcp6", "sip-server-addr", 22},
	{"dhcp6", "dns-servers", 23},
	{"dhcp6", "domain-search", 24},
	{"dhcp6", "ia-pd", 25},
	{"dhcp6", "iaprefix", 26},
	{"dhcp6", "nis-servers", 27},
	{"dhcp6", "nisp-servers", 28},
	{"dhcp6", "nis-domain-name", 29},
	{"dhcp6", "nisp-domain-name", 30},
	{"dhcp6", "sntp-servers", 31},
	{"dhcp6", "information-refresh-time", 32},
	{"dhcp6", "bcmcs-server-dns", 33},
	{"dhcp6", "bcmcs-server-addr", 34},
	{"dhcp6", "geoconf-civic", 36},
	{"dhcp6", "remote-id", 37},
	{"dhcp6", "subscriber-id", 38},
	{"dhcp6", "client-fqdn", 39},
	{"dhcp6", "pana-agent", 40},
	{"dhcp6", "new-posix-timezone", 41},
	{"dhcp6", "new-tzdb-timezone", 42},
	{"dhcp6", "ero", 43},
	{"dhcp6", "lq-query", 44},
	{"dhcp6", "client-data", 45},
	{"dhcp6", "clt-time", 46},
	{"dhcp6", "lq-relay-data", 47},
	{"dhcp6", "lq-client-link", 48},
	{"dhcp6", "v6-lost", 51},
	{"dhcp6", "capwap-ac-v6", 52},
	{"dhcp6", "relay-id", 53},
	{"dhcp6", "v6-access-domain", 57},
	{"dhcp6", "sip-ua-cs-list", 58},
	{"dhcp6", "bootfile-url", 59},
	{"dhcp6", "bootfile-param", 60},
	{"dhcp6", "client-arch-type", 61},
	{"dhcp6", "nii", 62},
	{"dhcp6", "aftr-name", 64},
	{"dhcp6", "erp-local-domain-name", 65},
	{"dhcp6", "rsoo", 66},
	{"dhcp6", "pd-exclude", 67},
	{"dhcp6", "rdnss-selection", 74},
	{"dhcp6", "client-linklayer-addr", 79},
	{"dhcp6", "link-address", 80},
	{"dhcp6", "solmax-rt", 82},
	{"dhcp6", "inf-max-rt", 83},
	{"dhcp6", "dhcpv4-message", 87},
	{"dhcp6", "dhcp4o6-server-addr", 88},
	{"dhcp6", "s46-cont-mape", 94},
	{"dhcp6", "s46-cont-mapt", 95},
	{"dhcp6", "s46-cont-lw", 96},
	{"dhcp6", "v6-captive-portal", 103},
	{"dhcp6", "relay-source-port", 135},
	{"dhcp6", "ipv6-address-andsf", 143},
	{"s46-cont-mape-options", "s46-rule", 89},
	{"s46-cont-mape-options", "s46-br", 90},
	{"s46-cont-mapt-options", "s46-rule", 89},
	{"s46-cont-mapt-options", "s46-dmr", 91},
	{"s46-cont-lw-options", "s46-br", 90},
	{"s46-cont-lw-options", "s46-v4v6bind", 92},
	{"s46-rule-options", "s46-portparams", 93},
	{"s46-v4v6bind-options", "s46-portparams", 93},
};

bool ld6_std_def(const char *space, uint16_t code, const char *name)
{
	for (size_t i = 0; i < sizeof(std6) / sizeof(std6[0]); i++) {
		if (strcmp(std6[i].space, space) != 0)
			continue;
		if (name ? strcmp(std6[i].name, name) == 0
			 : std6[i].code == code)
			return true;
	}
	return false;
}
