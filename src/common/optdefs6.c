/* DHCPv6 option definitions: Kea 2.2's STANDARD_V6_OPTION_DEFINITIONS and
 * the other V6 tables of std_option_defs.h and docsis3_option_defs.h, by
 * space, code and name. */
#include <string.h>

#include "common/optdefs6.h"

#define A  true	 /* array */
#define S  false /* single value */
#define D6 TERN_SPACE_DHCP6

static const uint8_t ia_na[] = {TERN_OT_U32, TERN_OT_U32, TERN_OT_U32};
static const uint8_t iaaddr[] = {TERN_OT_IPV6, TERN_OT_U32, TERN_OT_U32};
static const uint8_t iaprefix[] = {TERN_OT_U32, TERN_OT_U32, TERN_OT_U8,
				   TERN_OT_IPV6};
static const uint8_t status[] = {TERN_OT_U16, TERN_OT_STRING};
static const uint8_t vclass[] = {TERN_OT_U32, TERN_OT_BINARY};
static const uint8_t geoconf[] = {TERN_OT_U8, TERN_OT_U16, TERN_OT_BINARY};
static const uint8_t remote_id[] = {TERN_OT_U32, TERN_OT_BINARY};
static const uint8_t client_fqdn[] = {TERN_OT_U8, TERN_OT_FQDN};
static const uint8_t lq_query[] = {TERN_OT_U8, TERN_OT_IPV6};
static const uint8_t lq_relay[] = {TERN_OT_IPV6, TERN_OT_BINARY};
static const uint8_t nii[] = {TERN_OT_U8, TERN_OT_U8, TERN_OT_U8};
static const uint8_t rdnss[] = {TERN_OT_IPV6, TERN_OT_U8, TERN_OT_FQDN};
static const uint8_t s46_rule[] = {TERN_OT_U8, TERN_OT_U8, TERN_OT_U8,
				   TERN_OT_IPV4, TERN_OT_IPV6_PREFIX};
static const uint8_t s46_bind[] = {TERN_OT_IPV4, TERN_OT_IPV6_PREFIX};
static const uint8_t s46_port[] = {TERN_OT_U8, TERN_OT_PSID};

#define NOREC  NULL, 0
#define REC(r) r, (uint8_t)(sizeof(r) / sizeof(r[0]))

/* STANDARD_V6_OPTION_DEFINITIONS (79), sorted by code. Kept as Kea has
 * them: ia-ta is a uint32, vendor-opts a uint32 (OptionVendor), relay-msg
 * and user-class binary, rsoo an empty container of "rsoo-opts". */
static const struct tern_optdef dhcp6_defs[] = {
	{"clientid", D6, NULL, NOREC, 1, TERN_OT_BINARY, S},
	{"serverid", D6, NULL, NOREC, 2, TERN_OT_BINARY, S},
	{"ia-na", D6, NULL, REC(ia_na), 3, TERN_OT_RECORD, S},
	{"ia-ta", D6, NULL, NOREC, 4, TERN_OT_U32, S},
	{"iaaddr", D6, NULL, REC(iaaddr), 5, TERN_OT_RECORD, S},
	{"oro", D6, NULL, NOREC, 6, TERN_OT_U16, A},
	{"preference", D6, NULL, NOREC, 7, TERN_OT_U8, S},
	{"elapsed-time", D6, NULL, NOREC, 8, TERN_OT_U16, S},
	{"relay-msg", D6, NULL, NOREC, 9, TERN_OT_BINARY, S},
	{"auth", D6, NULL, NOREC, 11, TERN_OT_BINARY, S},
	{"unicast", D6, NULL, NOREC, 12, TERN_OT_IPV6, S},
	{"status-code", D6, NULL, REC(status), 13, TERN_OT_RECORD, S},
	{"rapid-commit", D6, NULL, NOREC, 14, TERN_OT_EMPTY, S},
	{"user-class", D6, NULL, NOREC, 15, TERN_OT_BINARY, S},
	{"vendor-class", D6, NULL, REC(vclass), 16, TERN_OT_RECORD, S},
	{"vendor-opts", D6, NULL, NOREC, 17, TERN_OT_U32, S},
	{"interface-id", D6, NULL, NOREC, 18, TERN_OT_BINARY, S},
	{"reconf-msg", D6, NULL, NOREC, 19, TERN_OT_U8, S},
	{"reconf-accept", D6, NULL, NOREC, 20, TERN_OT_EMPTY, S},
	{"sip-server-dns", D6, NULL, NOREC, 21, TERN_OT_FQDN, A},
	{"sip-server-addr", D6, NULL, NOREC, 22, TERN_OT_IPV6, A},
	{"dns-servers", D6, NULL, NOREC, 23, TERN_OT_IPV6, A},
	{"domain-search", D6, NULL, NOREC, 24, TERN_OT_FQDN, A},
	{"ia-pd", D6, NULL, REC(ia_na), 25, TERN_OT_RECORD, S},
	{"iaprefix", D6, NULL, REC(iaprefix), 26, TERN_OT_RECORD, S},
	{"nis-servers", D6, NULL, NOREC, 27, TERN_OT_IPV6, A},
	{"nisp-servers", D6, NULL, NOREC, 28, TERN_OT_IPV6, A},
	{"nis-domain-name", D6, NULL, NOREC, 29, TERN_OT_FQDN, A},
	{"nisp-domain-name", D6, NULL, NOREC, 30, TERN_OT_FQDN, A},
	{"sntp-servers", D6, NULL, NOREC, 31, TERN_OT_IPV6, A},
	{"information-refresh-time", D6, NULL, NOREC, 32, TERN_OT_U32, S},
	{"bcmcs-server-dns", D6, NULL, NOREC, 33, TERN_OT_FQDN, A},
	{"bcmcs-server-addr", D6, NULL, NOREC, 34, TERN_OT_IPV6, A},
	{"geoconf-civic", D6, NULL, REC(geoconf), 36, TERN_OT_RECORD, S},
	{"remote-id", D6, NULL, REC(remote_id), 37, TERN_OT_RECORD, S},
	{"subscriber-id", D6, NULL, NOREC, 38, TERN_OT_BINARY, S},
	{"client-fqdn", D6, NULL, REC(client_fqdn), 39, TERN_OT_RECORD, S},
	{"pana-agent", D6, NULL, NOREC, 40, TERN_OT_IPV6, A},
	{"new-posix-timezone", D6, NULL, NOREC, 41, TERN_OT_STRING, S},
	{"new-tzdb-timezone", D6, NULL, NOREC, 42, TERN_OT_STRING, S},
	{"ero", D6, NULL, NOREC, 43, TERN_OT_U16, A},
	{"lq-query", D6, D6, REC(lq_query), 44, TERN_OT_RECORD, S},
	{"client-data", D6, D6, NOREC, 45, TERN_OT_EMPTY, S},
	{"clt-time", D6, NULL, NOREC, 46, TERN_OT_U32, S},
	{"lq-relay-data", D6, NULL, REC(lq_relay), 47, TERN_OT_RECORD, S},
	{"lq-client-link", D6, NULL, NOREC, 48, TERN_OT_IPV6, A},
	{"v6-lost", D6, NULL, NOREC, 51, TERN_OT_FQDN, S},
	{"capwap-ac-v6", D6, NULL, NOREC, 52, TERN_OT_IPV6, A},
	{"relay-id", D6, NULL, NOREC, 53, TERN_OT_BINARY, S},
	{"v6-access-domain", D6, NULL, NOREC, 57, TERN_OT_FQDN, S},
	{"sip-ua-cs-list", D6, NULL, NOREC, 58, TERN_OT_FQDN, A},
	{"bootfile-url", D6, NULL, NOREC, 59, TERN_OT_STRING, S},
	{"bootfile-param", D6, NULL, NOREC, 60, TERN_OT_TUPLE, A},
	{"client-arch-type", D6, NULL, NOREC, 61, TERN_OT_U16, A},
	{"nii", D6, NULL, REC(nii), 62, TERN_OT_RECORD, S},
	{"aftr-name", D6, NULL, NOREC, 64, TERN_OT_FQDN, S},
	{"erp-local-domain-name", D6, NULL, NOREC, 65, TERN_OT_FQDN, S},
	{"rsoo", D6, "rsoo-opts", NOREC, 66, TERN_OT_EMPTY, S},
	{"pd-exclude", D6, NULL, NOREC, 67, TERN_OT_IPV6_PREFIX, S},
	{"rdnss-selection", D6, NULL, REC(rdnss), 74, TERN_OT_RECORD, A},
	{"client-linklayer-addr", D6, NULL, NOREC, 79, TERN_OT_BINARY, S},
	{"link-address", D6, NULL, NOREC, 80, TERN_OT_IPV6, S},
	{"solmax-rt", D6, NULL, NOREC, 82, TERN_OT_U32, S},
	{"inf-max-rt", D6, NULL, NOREC, 83, TERN_OT_U32, S},
	{"dhcpv4-message", D6, NULL, NOREC, 87, TERN_OT_BINARY, S},
	{"dhcp4o6-server-addr", D6, NULL, NOREC, 88, TERN_OT_IPV6, A},
	{"s46-cont-mape", D6, TERN_SPACE_MAPE, NOREC, 94, TERN_OT_EMPTY, S},
	{"s46-cont-mapt", D6, TERN_SPACE_MAPT, NOREC, 95, TERN_OT_EMPTY, S},
	{"s46-cont-lw", D6, TERN_SPACE_LW, NOREC, 96, TERN_OT_EMPTY, S},
	{"v6-captive-portal", D6, NULL, NOREC, 103, TERN_OT_STRING, S},
	{"relay-source-port", D6, NULL, NOREC, 135, TERN_OT_U16, S},
	{"ipv6-address-andsf", D6, NULL, NOREC, 143, TERN_OT_IPV6, A},
};

/* ISC_V6_OPTION_DEFINITIONS: space 4o6, and vendor 2495. */
static const struct tern_optdef isc_defs[] = {
	{"4o6-interface", TERN_SPACE_ISC_V6, NULL, NOREC, 60000, TERN_OT_STRING,
	 S},
	{"4o6-source-address", TERN_SPACE_ISC_V6, NULL, NOREC, 60001,
	 TERN_OT_IPV6, S},
	{"4o6-source-port", TERN_SPACE_ISC_V6, NULL, NOREC, 60002, TERN_OT_U16,
	 S},
};

static const struct tern_optdef mape_defs[] = {
	{"s46-rule", TERN_SPACE_MAPE, TERN_SPACE_S46_RULE, REC(s46_rule), 89,
	 TERN_OT_RECORD, S},
	{"s46-br", TERN_SPACE_MAPE, NULL, NOREC, 90, TERN_OT_IPV6, S},
};

static const struct tern_optdef mapt_defs[] = {
	{"s46-rule", TERN_SPACE_MAPT, TERN_SPACE_S46_RULE, REC(s46_rule), 89,
	 TERN_OT_RECORD, S},
	{"s46-dmr", TERN_SPACE_MAPT, NULL, NOREC, 91, TERN_OT_IPV6_PREFIX, S},
};

static const struct tern_optdef lw_defs[] = {
	{"s46-br", TERN_SPACE_LW, NULL, NOREC, 90, TERN_OT_IPV6, S},
	{"s46-v4v6bind", TERN_SPACE_LW, TERN_SPACE_S46_BIND, REC(s46_bind), 92,
	 TERN_OT_RECORD, S},
};

static const struct tern_optdef rule_defs[] = {
	{"s46-portparams", TERN_SPACE_S46_RULE, NULL, REC(s46_port), 93,
	 TERN_OT_RECORD, S},
};

static const struct tern_optdef bind_defs[] = {
	{"s46-portparams", TERN_SPACE_S46_BIND, NULL, REC(s46_port), 93,
	 TERN_OT_RECORD, S},
};

/* DOCSIS3_V6_OPTION_DEFINITIONS: space docsis3-v6, and vendor 4491. */
static const struct tern_optdef docsis3_defs[] = {
	{"oro", TERN_SPACE_DOCSIS3_V6, NULL, NOREC, 1, TERN_OT_U16, A},
	{"device-type", TERN_SPACE_DOCSIS3_V6, NULL, NOREC, 2, TERN_OT_STRING,
	 S},
	{"vendor-type", TERN_SPACE_DOCSIS3_V6, NULL, NOREC, 10, TERN_OT_STRING,
	 S},
	{"tftp-servers", TERN_SPACE_DOCSIS3_V6, NULL, NOREC, 32, TERN_OT_IPV6,
	 A},
	{"config-file", TERN_SPACE_DOCSIS3_V6, NULL, NOREC, 33, TERN_OT_STRING,
	 S},
	{"syslog-servers", TERN_SPACE_DOCSIS3_V6, NULL, NOREC, 34, TERN_OT_IPV6,
	 A},
	{"device-id", TERN_SPACE_DOCSIS3_V6, NULL, NOREC, 36, TERN_OT_BINARY,
	 S},
	{"time-servers", TERN_SPACE_DOCSIS3_V6, NULL, NOREC, 37, TERN_OT_IPV6,
	 A},
	{"time-offset", TERN_SPACE_DOCSIS3_V6, NULL, NOREC, 38, TERN_OT_I32, S},
	{"cmts-cm-mac", TERN_SPACE_DOCSIS3_V6, NULL, NOREC, 1026,
	 TERN_OT_BINARY, S},
};

#undef A
#undef S
#undef D6
#undef NOREC
#undef REC

#define N(a) (sizeof(a) / sizeof(a[0]))

static const struct {
	const char *space;
	const struct tern_optdef *v;
	size_t n;
} spaces[] = {
	{TERN_SPACE_DHCP6, dhcp6_defs, N(dhcp6_defs)},
	{TERN_SPACE_DOCSIS3_V6, docsis3_defs, N(docsis3_defs)},
	{TERN_SPACE_ISC_V6, isc_defs, N(isc_defs)},
	{TERN_SPACE_MAPE, mape_defs, N(mape_defs)},
	{TERN_SPACE_MAPT, mapt_defs, N(mapt_defs)},
	{TERN_SPACE_LW, lw_defs, N(lw_defs)},
	{TERN_SPACE_S46_RULE, rule_defs, N(rule_defs)},
	{TERN_SPACE_S46_BIND, bind_defs, N(bind_defs)},
};

static int space_index(const char *space)
{
	for (size_t i = 0; space && i < N(spaces); i++)
		if (strcmp(spaces[i].space, space) == 0)
			return (int)i;
	return -1;
}

static const struct tern_optdef *by_code(int sp, uint16_t code)
{
	/* Every table is sorted by code. */
	size_t lo = 0, hi = sp < 0 ? 0 : spaces[sp].n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct tern_optdef *d = &spaces[sp].v[mid];

		if (d->code == code)
			return d;
		if (d->code < code)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

static const struct tern_optdef *by_name(int sp, const char *name)
{
	for (size_t i = 0; sp >= 0 && name && i < spaces[sp].n; i++)
		if (strcmp(spaces[sp].v[i].name, name) == 0)
			return &spaces[sp].v[i];
	return NULL;
}

const struct tern_optdef *tern_optdef6_std(const char *space, uint16_t code)
{
	return by_code(space_index(space), code);
}

const struct tern_optdef *tern_optdef6_std_name(const char *space,
						const char *name)
{
	return by_name(space_index(space), name);
}

static const char *vendor_space(uint32_t enterprise)
{
	if (enterprise == TERN_ENTERPRISE_CABLELABS)
		return TERN_SPACE_DOCSIS3_V6;
	if (enterprise == TERN_ENTERPRISE_ISC)
		return TERN_SPACE_ISC_V6;
	return NULL;
}

const struct tern_optdef *tern_optdef6_vendor(uint32_t enterprise,
					      uint16_t code)
{
	return by_code(space_index(vendor_space(enterprise)), code);
}

const struct tern_optdef *tern_optdef6_vendor_name(uint32_t enterprise,
						   const char *name)
{
	return by_name(space_index(vendor_space(enterprise)), name);
}

bool tern_optdef6_is_std_space(const char *space)
{
	return space_index(space) >= 0;
}

const struct tern_optdef *tern_optdef6_std_at(size_t i)
{
	for (size_t s = 0; s < N(spaces); s++) {
		if (i < spaces[s].n)
			return &spaces[s].v[i];
		i -= spaces[s].n;
	}
	return NULL;
}
