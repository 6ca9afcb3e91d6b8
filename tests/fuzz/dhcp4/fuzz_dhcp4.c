/* Fuzz target: DHCPv4 decoding and every typed getter on whatever parses. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <tern/dhcp4.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tern_dhcp4_msg m;
	uint8_t scratch[512];
	const uint8_t *d;
	struct in_addr a[8];
	struct tern_dhcp4_route routes[16];
	struct tern_dhcp4_rai rai;
	uint32_t u32;
	uint16_t u16;
	uint8_t u8;
	int n;

	if (tern_dhcp4_parse_header(&m, data, size) < 0)
		return 0;
	if (tern_dhcp4_index_options(&m) < 0)
		return 0;
	(void)tern_dhcp4_get_msg_type(&m);
	(void)tern_dhcp4_get_requested_ip(&m, a);
	(void)tern_dhcp4_get_server_id(&m, a);
	(void)tern_dhcp4_get_subnet_mask(&m, a);
	(void)tern_dhcp4_get_lease_time(&m, &u32);
	(void)tern_dhcp4_get_t1(&m, &u32);
	(void)tern_dhcp4_get_t2(&m, &u32);
	(void)tern_dhcp4_get_max_msg_size(&m, &u16);
	(void)tern_dhcp4_get_u8(&m, TERN_DHCP4_OPT_OVERLOAD, &u8);
	(void)tern_dhcp4_get_addrs(&m, TERN_DHCP4_OPT_ROUTER, a, 8);
	(void)tern_dhcp4_get_addrs(&m, TERN_DHCP4_OPT_DNS, a, 8);
	(void)tern_dhcp4_get_client_id(&m, scratch, sizeof(scratch), &d);
	(void)tern_dhcp4_get_host_name(&m, scratch, sizeof(scratch), &d);
	(void)tern_dhcp4_get_domain_name(&m, scratch, sizeof(scratch), &d);
	(void)tern_dhcp4_get_vendor_class(&m, scratch, sizeof(scratch), &d);
	n = tern_dhcp4_get_prl(&m, scratch, sizeof(scratch), &d);
	if (n > 0)
		(void)tern_dhcp4_prl_has(d, (size_t)n, 42);
	n = tern_dhcp4_opt_get(&m, TERN_DHCP4_OPT_CLASSLESS_ROUTES, scratch,
			       sizeof(scratch), &d);
	if (n >= 0)
		(void)tern_dhcp4_routes_decode(d, (size_t)n, routes, 16);
	n = tern_dhcp4_opt_get(&m, TERN_DHCP4_OPT_RAI, scratch, sizeof(scratch),
			       &d);
	if (n >= 0)
		(void)tern_dhcp4_rai_decode(d, (size_t)n, &rai);
	/* Every option through the generic paths, incl. too-small scratch. */
	for (unsigned i = 0; i < m.n_opts; i++) {
		(void)tern_dhcp4_opt_count(&m, m.opts[i].code);
		(void)tern_dhcp4_opt_copy(&m, m.opts[i].code, scratch, 7);
		(void)tern_dhcp4_get_addrs(&m, m.opts[i].code, a, 3);
	}
	return 0;
}
