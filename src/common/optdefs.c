/* DHCPv4 option definitions: Kea 2.2's standard spaces by name and code
 * (std_option_defs.h, docsis3_option_defs.h), shared by ternd's config and
 * ternctl. */
#include <stdlib.h>
#include <string.h>

#include "common/optdefs.h"

#define A  true	 /* array */
#define S  false /* single value */
#define D4 TERN_SPACE_DHCP4

static const uint8_t slp_da[] = {TERN_OT_BOOL, TERN_OT_IPV4};
static const uint8_t slp_scope[] = {TERN_OT_BOOL, TERN_OT_STRING};
static const uint8_t fqdn_rec[] = {TERN_OT_U8, TERN_OT_U8, TERN_OT_U8,
				   TERN_OT_FQDN};
static const uint8_t vivco[] = {TERN_OT_U32, TERN_OT_BINARY};
static const uint8_t ndi[] = {TERN_OT_U8, TERN_OT_U8, TERN_OT_U8};
static const uint8_t uuid[] = {TERN_OT_U8, TERN_OT_BINARY};
static const uint8_t rdnss[] = {TERN_OT_U8, TERN_OT_IPV4, TERN_OT_IPV4,
				TERN_OT_FQDN};
static const uint8_t portparams[] = {TERN_OT_U8, TERN_OT_PSID};
static const uint8_t rd6[] = {TERN_OT_U8, TERN_OT_U8, TERN_OT_IPV6,
			      TERN_OT_IPV4};

#define NOREC  NULL, 0
#define REC(r) r, (uint8_t)(sizeof(r) / sizeof(r[0]))

/* Kea 2.2's STANDARD_V4_OPTION_DEFINITIONS, sorted by code. Gotchas kept:
 * 15 is a string, 50 an ipv4-address, there is no 121 (nor 43, deferred).
 */
static const struct tern_optdef dhcp4_defs[] = {
	{"subnet-mask", D4, NULL, NOREC, 1, TERN_OT_IPV4, S},
	{"time-offset", D4, NULL, NOREC, 2, TERN_OT_I32, S},
	{"routers", D4, NULL, NOREC, 3, TERN_OT_IPV4, A},
	{"time-servers", D4, NULL, NOREC, 4, TERN_OT_IPV4, A},
	{"name-servers", D4, NULL, NOREC, 5, TERN_OT_IPV4, A},
	{"domain-name-servers", D4, NULL, NOREC, 6, TERN_OT_IPV4, A},
	{"log-servers", D4, NULL, NOREC, 7, TERN_OT_IPV4, A},
	{"cookie-servers", D4, NULL, NOREC, 8, TERN_OT_IPV4, A},
	{"lpr-servers", D4, NULL, NOREC, 9, TERN_OT_IPV4, A},
	{"impress-servers", D4, NULL, NOREC, 10, TERN_OT_IPV4, A},
	{"resource-location-servers", D4, NULL, NOREC, 11, TERN_OT_IPV4, A},
	{"host-name", D4, NULL, NOREC, 12, TERN_OT_STRING, S},
	{"boot-size", D4, NULL, NOREC, 13, TERN_OT_U16, S},
	{"merit-dump", D4, NULL, NOREC, 14, TERN_OT_STRING, S},
	{"domain-name", D4, NULL, NOREC, 15, TERN_OT_STRING, S},
	{"swap-server", D4, NULL, NOREC, 16, TERN_OT_IPV4, S},
	{"root-path", D4, NULL, NOREC, 17, TERN_OT_STRING, S},
	{"extensions-path", D4, NULL, NOREC, 18, TERN_OT_STRING, S},
	{"ip-forwarding", D4, NULL, NOREC, 19, TERN_OT_BOOL, S},
	{"non-local-source-routing", D4, NULL, NOREC, 20, TERN_OT_BOOL, S},
	{"policy-filter", D4, NULL, NOREC, 21, TERN_OT_IPV4, A},
	{"max-dgram-reassembly", D4, NULL, NOREC, 22, TERN_OT_U16, S},
	{"default-ip-ttl", D4, NULL, NOREC, 23, TERN_OT_U8, S},
	{"path-mtu-aging-timeout", D4, NULL, NOREC, 24, TERN_OT_U32, S},
	{"path-mtu-plateau-table", D4, NULL, NOREC, 25, TERN_OT_U16, A},
	{"interface-mtu", D4, NULL, NOREC, 26, TERN_OT_U16, S},
	{"all-subnets-local", D4, NULL, NOREC, 27, TERN_OT_BOOL, S},
	{"broadcast-address", D4, NULL, NOREC, 28, TERN_OT_IPV4, S},
	{"perform-mask-discovery", D4, NULL, NOREC, 29, TERN_OT_BOOL, S},
	{"mask-supplier", D4, NULL, NOREC, 30, TERN_OT_BOOL, S},
	{"router-discovery", D4, NULL, NOREC, 31, TERN_OT_BOOL, S},
	{"router-solicitation-address", D4, NULL, NOREC, 32, TERN_OT_IPV4, S},
	{"static-routes", D4, NULL, NOREC, 33, TERN_OT_IPV4, A},
	{"trailer-encapsulation", D4, NULL, NOREC, 34, TERN_OT_BOOL, S},
	{"arp-cache-timeout", D4, NULL, NOREC, 35, TERN_OT_U32, S},
	{"ieee802-3-encapsulation", D4, NULL, NOREC, 36, TERN_OT_BOOL, S},
	{"default-tcp-ttl", D4, NULL, NOREC, 37, TERN_OT_U8, S},
	{"tcp-keepalive-interval", D4, NULL, NOREC, 38, TERN_OT_U32, S},
	{"tcp-keepalive-garbage", D4, NULL, NOREC, 39, TERN_OT_BOOL, S},
	{"nis-domain", D4, NULL, NOREC, 40, TERN_OT_STRING, S},
	{"nis-servers", D4, NULL, NOREC, 41, TERN_OT_IPV4, A},
	{"ntp-servers", D4, NULL, NOREC, 42, TERN_OT_IPV4, A},
	{"netbios-name-servers", D4, NULL, NOREC, 44, TERN_OT_IPV4, A},
	{"netbios-dd-server", D4, NULL, NOREC, 45, TERN_OT_IPV4, A},
	{"netbios-node-type", D4, NULL, NOREC, 46, TERN_OT_U8, S},
	{"netbios-scope", D4, NULL, NOREC, 47, TERN_OT_STRING, S},
	{"font-servers", D4, NULL, NOREC, 48, TERN_OT_IPV4, A},
	{"x-display-manager", D4, NULL, NOREC, 49, TERN_OT_IPV4, A},
	{"dhcp-requested-address", D4, NULL, NOREC, 50, TERN_OT_IPV4, S},
	{"dhcp-lease-time", D4, NULL, NOREC, 51, TERN_OT_U32, S},
	{"dhcp-option-overload", D4, NULL, NOREC, 52, TERN_OT_U8, S},
	{"dhcp-message-type", D4, NULL, NOREC, 53, TERN_OT_U8, S},
	{"dhcp-server-identifier", D4, NULL, NOREC, 54, TERN_OT_IPV4, S},
	{"dhcp-parameter-request-list", D4, NULL, NOREC, 55, TERN_OT_U8, A},
	{"dhcp-message", D4, NULL, NOREC, 56, TERN_OT_STRING, S},
	{"dhcp-max-message-size", D4, NULL, NOREC, 57, TERN_OT_U16, S},
	{"dhcp-renewal-time", D4, NULL, NOREC, 58, TERN_OT_U32, S},
	{"dhcp-rebinding-time", D4, NULL, NOREC, 59, TERN_OT_U32, S},
	{"vendor-class-identifier", D4, NULL, NOREC, 60, TERN_OT_STRING, S},
	{"dhcp-client-identifier", D4, NULL, NOREC, 61, TERN_OT_BINARY, S},
	{"nwip-domain-name", D4, NULL, NOREC, 62, TERN_OT_STRING, S},
	{"nwip-suboptions", D4, NULL, NOREC, 63, TERN_OT_BINARY, S},
	{"nisplus-domain-name", D4, NULL, NOREC, 64, TERN_OT_STRING, S},
	{"nisplus-servers", D4, NULL, NOREC, 65, TERN_OT_IPV4, A},
	{"tftp-server-name", D4, NULL, NOREC, 66, TERN_OT_STRING, S},
	{"boot-file-name", D4, NULL, NOREC, 67, TERN_OT_STRING, S},
	{"mobile-ip-home-agent", D4, NULL, NOREC, 68, TERN_OT_IPV4, A},
	{"smtp-server", D4, NULL, NOREC, 69, TERN_OT_IPV4, A},
	{"pop-server", D4, NULL, NOREC, 70, TERN_OT_IPV4, A},
	{"nntp-server", D4, NULL, NOREC, 71, TERN_OT_IPV4, A},
	{"www-server", D4, NULL, NOREC, 72, TERN_OT_IPV4, A},
	{"finger-server", D4, NULL, NOREC, 73, TERN_OT_IPV4, A},
	{"irc-server", D4, NULL, NOREC, 74, TERN_OT_IPV4, A},
	{"streettalk-server", D4, NULL, NOREC, 75, TERN_OT_IPV4, A},
	{"streettalk-directory-assistance-server", D4, NULL, NOREC, 76,
	 TERN_OT_IPV4, A},
	{"user-class", D4, NULL, NOREC, 77, TERN_OT_BINARY, S},
	{"slp-directory-agent", D4, NULL, REC(slp_da), 78, TERN_OT_RECORD, A},
	{"slp-service-scope", D4, NULL, REC(slp_scope), 79, TERN_OT_RECORD, S},
	{"fqdn", D4, NULL, REC(fqdn_rec), 81, TERN_OT_RECORD, S},
	{"dhcp-agent-options", D4, TERN_SPACE_AGENT, NOREC, 82, TERN_OT_EMPTY,
	 S},
	{"nds-servers", D4, NULL, NOREC, 85, TERN_OT_IPV4, A},
	{"nds-tree-name", D4, NULL, NOREC, 86, TERN_OT_STRING, S},
	{"nds-context", D4, NULL, NOREC, 87, TERN_OT_STRING, S},
	{"bcms-controller-names", D4, NULL, NOREC, 88, TERN_OT_FQDN, A},
	{"bcms-controller-address", D4, NULL, NOREC, 89, TERN_OT_IPV4, A},
	{"authenticate", D4, NULL, NOREC, 90, TERN_OT_BINARY, S},
	{"client-last-transaction-time", D4, NULL, NOREC, 91, TERN_OT_U32, S},
	{"associated-ip", D4, NULL, NOREC, 92, TERN_OT_IPV4, A},
	{"client-system", D4, NULL, NOREC, 93, TERN_OT_U16, A},
	{"client-ndi", D4, NULL, REC(ndi), 94, TERN_OT_RECORD, S},
	{"uuid-guid", D4, NULL, REC(uuid), 97, TERN_OT_RECORD, S},
	{"uap-servers", D4, NULL, NOREC, 98, TERN_OT_STRING, S},
	{"geoconf-civic", D4, NULL, NOREC, 99, TERN_OT_BINARY, S},
	{"pcode", D4, NULL, NOREC, 100, TERN_OT_STRING, S},
	{"tcode", D4, NULL, NOREC, 101, TERN_OT_STRING, S},
	{"v6-only-preferred", D4, NULL, NOREC, 108, TERN_OT_U32, S},
	{"netinfo-server-address", D4, NULL, NOREC, 112, TERN_OT_IPV4, A},
	{"netinfo-server-tag", D4, NULL, NOREC, 113, TERN_OT_STRING, S},
	{"v4-captive-portal", D4, NULL, NOREC, 114, TERN_OT_STRING, S},
	{"auto-config", D4, NULL, NOREC, 116, TERN_OT_U8, S},
	{"name-service-search", D4, NULL, NOREC, 117, TERN_OT_U16, A},
	{"subnet-selection", D4, NULL, NOREC, 118, TERN_OT_IPV4, S},
	{"domain-search", D4, NULL, NOREC, 119, TERN_OT_FQDN, A},
	{"vivco-suboptions", D4, NULL, REC(vivco), 124, TERN_OT_RECORD, S},
	{"vivso-suboptions", D4, NULL, NOREC, 125, TERN_OT_U32, S},
	{"pana-agent", D4, NULL, NOREC, 136, TERN_OT_IPV4, A},
	{"v4-lost", D4, NULL, NOREC, 137, TERN_OT_FQDN, S},
	{"capwap-ac-v4", D4, NULL, NOREC, 138, TERN_OT_IPV4, A},
	{"sip-ua-cs-domains", D4, NULL, NOREC, 141, TERN_OT_FQDN, A},
	{"rdnss-selection", D4, NULL, REC(rdnss), 146, TERN_OT_RECORD, A},
	{"v4-portparams", D4, NULL, REC(portparams), 159, TERN_OT_RECORD, S},
	{"option-6rd", D4, NULL, REC(rd6), 212, TERN_OT_RECORD, A},
	{"v4-access-domain", D4, NULL, NOREC, 213, TERN_OT_FQDN, S},
};

/* LAST_RESORT_V4_OPTION_DEFINITIONS: used only when no other definition
 * (standard, vendor or option-def) exists for the code. */
static const struct tern_optdef last_resort_defs[] = {
	{"vendor-encapsulated-options", D4, TERN_SPACE_VENDOR_ENCAP, NOREC, 43,
	 TERN_OT_EMPTY, S},
};

/* DOCSIS3_V4_OPTION_DEFINITIONS: space docsis3-v4, and vendor 4491. */
static const struct tern_optdef docsis3_defs[] = {
	{"oro", TERN_SPACE_DOCSIS3, NULL, NOREC, 1, TERN_OT_U8, A},
	{"tftp-servers", TERN_SPACE_DOCSIS3, NULL, NOREC, 2, TERN_OT_IPV4, A},
};

#undef A
#undef S
#undef D4
#undef NOREC
#undef REC

#define N(a) (sizeof(a) / sizeof(a[0]))

static const struct tern_optdef *find_code(const struct tern_optdef *v,
					   size_t n, uint8_t code)
{
	size_t lo = 0, hi = n;

	/* Every table is sorted by code. */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (v[mid].code == code)
			return &v[mid];
		if (v[mid].code < code)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

static const struct tern_optdef *find_name(const struct tern_optdef *v,
					   size_t n, const char *name)
{
	if (!name)
		return NULL;
	for (size_t i = 0; i < n; i++)
		if (strcmp(v[i].name, name) == 0)
			return &v[i];
	return NULL;
}

static bool is_space(const char *space, const char *want)
{
	return space && strcmp(space, want) == 0;
}

const struct tern_optdef *tern_optdef_std(const char *space, uint8_t code)
{
	if (is_space(space, TERN_SPACE_DHCP4))
		return find_code(dhcp4_defs, N(dhcp4_defs), code);
	if (is_space(space, TERN_SPACE_DOCSIS3))
		return find_code(docsis3_defs, N(docsis3_defs), code);
	return NULL;
}

const struct tern_optdef *tern_optdef_std_name(const char *space,
					       const char *name)
{
	if (is_space(space, TERN_SPACE_DHCP4))
		return find_name(dhcp4_defs, N(dhcp4_defs), name);
	if (is_space(space, TERN_SPACE_DOCSIS3))
		return find_name(docsis3_defs, N(docsis3_defs), name);
	return NULL;
}

const struct tern_optdef *tern_optdef_vendor(uint32_t enterprise, uint8_t code)
{
	if (enterprise != TERN_ENTERPRISE_CABLELABS)
		return NULL;
	return find_code(docsis3_defs, N(docsis3_defs), code);
}

const struct tern_optdef *tern_optdef_vendor_name(uint32_t enterprise,
						  const char *name)
{
	if (enterprise != TERN_ENTERPRISE_CABLELABS)
		return NULL;
	return find_name(docsis3_defs, N(docsis3_defs), name);
}

const struct tern_optdef *tern_optdef_last_resort(uint8_t code)
{
	return find_code(last_resort_defs, N(last_resort_defs), code);
}

const struct tern_optdef *tern_optdef_last_resort_name(const char *name)
{
	return find_name(last_resort_defs, N(last_resort_defs), name);
}

const struct tern_optdef *tern_optdef_by_name(const char *name)
{
	const struct tern_optdef *d =
		find_name(dhcp4_defs, N(dhcp4_defs), name);

	return d ? d : tern_optdef_last_resort_name(name);
}

const struct tern_optdef *tern_optdef_by_code(uint8_t code)
{
	const struct tern_optdef *d =
		find_code(dhcp4_defs, N(dhcp4_defs), code);

	return d ? d : tern_optdef_last_resort(code);
}

const struct tern_optdef *tern_optdef_std_at(size_t i)
{
	return i < N(dhcp4_defs) ? &dhcp4_defs[i] : NULL;
}

static const char *const type_names[TERN_OT_COUNT] = {
	[TERN_OT_EMPTY] = "empty",	 [TERN_OT_BINARY] = "binary",
	[TERN_OT_BOOL] = "boolean",	 [TERN_OT_I8] = "int8",
	[TERN_OT_I16] = "int16",	 [TERN_OT_I32] = "int32",
	[TERN_OT_U8] = "uint8",		 [TERN_OT_U16] = "uint16",
	[TERN_OT_U32] = "uint32",	 [TERN_OT_IPV4] = "ipv4-address",
	[TERN_OT_IPV6] = "ipv6-address", [TERN_OT_IPV6_PREFIX] = "ipv6-prefix",
	[TERN_OT_PSID] = "psid",	 [TERN_OT_STRING] = "string",
	[TERN_OT_TUPLE] = "tuple",	 [TERN_OT_FQDN] = "fqdn",
	[TERN_OT_RECORD] = "record",
};

const char *tern_opt_type_name(enum tern_opt_type t)
{
	return (unsigned)t < TERN_OT_COUNT ? type_names[t] : "unknown";
}

int tern_opt_type_of(const char *name)
{
	for (int t = 0; name && t < TERN_OT_COUNT; t++)
		if (strcmp(type_names[t], name) == 0)
			return t;
	return -1;
}

size_t tern_opt_type_len(enum tern_opt_type t)
{
	switch (t) {
	case TERN_OT_BOOL:
	case TERN_OT_I8:
	case TERN_OT_U8:
		return 1;
	case TERN_OT_I16:
	case TERN_OT_U16:
		return 2;
	case TERN_OT_I32:
	case TERN_OT_U32:
	case TERN_OT_IPV4:
		return 4;
	case TERN_OT_IPV6:
		return 16;
	case TERN_OT_PSID:
		return 3;
	default:
		return 0;
	}
}

uint32_t tern_space_vendor_id(const char *space)
{
	const char *p;
	char *end;
	unsigned long long v;

	/* Kea: "vendor-" and a number (int64 syntax) in 1..2^32-1. */
	if (!space || strncmp(space, "vendor-", 7) != 0 || !space[7])
		return 0;
	p = space + 7;
	if (!((*p >= '0' && *p <= '9') || *p == '+'))
		return 0;
	v = strtoull(p, &end, 10);
	if (*end || v > UINT32_MAX)
		return 0;
	return (uint32_t)v;
}

static bool name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '-' || c == '_';
}

bool tern_space_name_ok(const char *name)
{
	size_t n;

	if (!name || !(n = strlen(name)))
		return false;
	for (size_t i = 0; i < n; i++)
		if (!name_char(name[i]))
			return false;
	return name[0] != '-' && name[0] != '_' && name[n - 1] != '-' &&
	       name[n - 1] != '_';
}
