/* Unit tests of tern-plugin: env translation for udhcpc and dibbler, and the
 * real binary over nanomsg. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>
#include <fcntl.h>
#include <nanomsg/nn.h>
#include <nanomsg/pipeline.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <tern/lease_ipc.h>

#include "plugin/translate.h"

/* client-scripts.md: what udhcpc 1.35 exported for a real bound lease. */
static const char *const udhcpc_bound[] = {
	"interface=veth-c",    "ip=10.250.1.0",	    "mask=16",
	"subnet=255.255.0.0",  "router=10.250.0.1", "dns=10.250.0.1",
	"serverid=10.250.0.1", "lease=4000",	    "opt53=05",
	"opt58=000003e8",      "opt59=000007d0",    "opt61=01068a98feda4f",
	"hostname=testbox",    "PATH=/usr/bin",	    NULL,
};

/* client-scripts.md: dibbler-client 1.0.1's environment for "add". */
static const char *const dibbler_add[] = {
	"IFACE=veth-c",
	"IFINDEX=7",
	"REMOTE_ADDR=ff02::1:2",
	"CLNT_MESSAGE=REQUEST",
	"SRV_MESSAGE=REPLY",
	"ADDR1=fd00:250::1000",
	"ADDR1PREF=3000",
	"ADDR1VALID=4000",
	"PREFIX1=fd00:9900::",
	"PREFIX1LEN=56",
	"PREFIX1PREF=3000",
	"PREFIX1VALID=4000",
	"SRV_OPTION1=00:03:00:01:06:8a:98:fe:da:4f",
	"SRV_OPTION2=00:01:00:01:32:95:0f:99:f2:72:2f:c6:ca:db",
	"SRV_OPTION23=fd00:250::1",
	"SRV_OPTION24=example.net",
	"SRV_OPTION95=00:59:00:14:80:00:18:c0:00:02:00:20:20:01:0d:b8:00:5d:"
	"00:04:00:10:04:d2:00:5b:00:09:40:20:01:0d:b8:ff:ff:00:00",
	NULL,
};

static const uint8_t mapt_bytes[] = {
	0x00, 0x59, 0x00, 0x14, 0x80, 0x00, 0x18, 0xc0, 0x00, 0x02,
	0x00, 0x20, 0x20, 0x01, 0x0d, 0xb8, 0x00, 0x5d, 0x00, 0x04,
	0x00, 0x10, 0x04, 0xd2, 0x00, 0x5b, 0x00, 0x09, 0x40, 0x20,
	0x01, 0x0d, 0xb8, 0xff, 0xff, 0x00, 0x00,
};

/* Translate and insist the result passes the manager's validator. */
static int translate(struct tern_lease_msg *m, const char *ev,
		     const char *const *envp, struct tplug_diag *d)
{
	struct tern_lease_verdict v;
	int r = tplug_translate(m, ev, envp, d);

	if (r == 0 && tern_lease_msg_check(m, sizeof(*m), &v) != 0)
		fail_msg("translated message invalid: %s (%s)",
			 tern_lease_reason_str(v.reason), v.field);
	return r;
}

/* Find option code in a raw area; returns its length or -1. */
static int find_opt(const uint8_t *area, size_t len, uint16_t want,
		    const uint8_t **data)
{
	size_t off = 0;
	uint16_t code, l;

	while (tern_lease_tlv_next(area, len, &off, &code, data, &l) == 1)
		if (code == want)
			return l;
	return -1;
}

static void test_udhcpc_bound(void **state)
{
	struct tern_lease_msg m;
	struct tern_lease_v4 *v4 = &m.data.v4;
	struct tplug_diag d;
	const uint8_t *data;

	(void)state;
	assert_int_equal(tplug_detect("bound", udhcpc_bound), TPLUG_UDHCPC);
	assert_int_equal(translate(&m, "bound", udhcpc_bound, &d), 0);
	assert_int_equal(d.dropped, 0);
	assert_int_equal(m.version, TERN_LEASE_V4);
	assert_string_equal(m.ifname, "veth-c");
	assert_string_equal(v4->ifname, "veth-c");
	assert_int_equal(v4->address_assigned, 1);
	assert_int_equal(v4->is_expired, 0);
	assert_int_equal(v4->event, TERN_LEASE_V4_BOUND);
	assert_string_equal(v4->dhcp_state, "bound");
	assert_string_equal(v4->address, "10.250.1.0");
	assert_string_equal(v4->netmask, "255.255.0.0");
	assert_int_equal(v4->prefix_len, 16);
	assert_string_equal(v4->gateway, "10.250.0.1");
	assert_string_equal(v4->dns_server, "10.250.0.1");
	assert_string_equal(v4->dns_server1, "");
	assert_string_equal(v4->dns_servers, "10.250.0.1");
	assert_string_equal(v4->dhcp_server_id, "10.250.0.1");
	assert_int_equal(v4->lease_time, 4000);
	assert_int_equal(v4->renewal_time, 1000);
	assert_int_equal(v4->rebinding_time, 2000);
	assert_string_equal(v4->host_name, "testbox");
	assert_int_equal(v4->time_offset_assigned, 0);
	assert_int_equal(v4->mtu_assigned, 0);
	assert_int_equal(v4->flags, 0);
	/* opt53 and opt61 are raw; 58/59 went to their fields. */
	assert_int_equal(v4->tlv_count, 2);
	assert_int_equal(find_opt(v4->tlv, v4->tlv_len, 53, &data), 1);
	assert_int_equal(data[0], 5);
	assert_int_equal(find_opt(v4->tlv, v4->tlv_len, 61, &data), 7);
	assert_memory_equal(data, "\x01\x06\x8a\x98\xfe\xda\x4f", 7);
	assert_int_equal(find_opt(v4->tlv, v4->tlv_len, 58, &data), -1);

	/* renew carries the same lease. */
	assert_int_equal(translate(&m, "renew", udhcpc_bound, &d), 0);
	assert_int_equal(v4->event, TERN_LEASE_V4_RENEW);
	assert_string_equal(v4->dhcp_state, "renew");
	assert_int_equal(v4->address_assigned, 1);
}

static void test_udhcpc_loss_events(void **state)
{
	static const char *const only_if[] = {"interface=erouter0", NULL};
	static const char *const nak[] = {"interface=erouter0",
					  "message=address not available",
					  "serverid=10.0.0.1", NULL};
	struct tern_lease_msg m;
	struct tern_lease_v4 *v4 = &m.data.v4;
	struct tplug_diag d;

	(void)state;
	assert_int_equal(translate(&m, "deconfig", only_if, &d), 0);
	assert_int_equal(v4->event, TERN_LEASE_V4_DECONFIG);
	assert_int_equal(v4->address_assigned, 0);
	assert_int_equal(v4->is_expired, 1);
	assert_string_equal(v4->address, "");

	assert_int_equal(translate(&m, "leasefail", only_if, &d), 0);
	assert_int_equal(v4->event, TERN_LEASE_V4_LEASEFAIL);
	assert_string_equal(v4->dhcp_state, "leasefail");
	assert_int_equal(v4->address_assigned, 0);
	assert_int_equal(v4->is_expired, 1);

	/* nak is forwarded, with the server's reason. */
	assert_int_equal(translate(&m, "nak", nak, &d), 0);
	assert_int_equal(v4->event, TERN_LEASE_V4_NAK);
	assert_string_equal(v4->dhcp_state, "nak");
	assert_int_equal(v4->address_assigned, 0);
	assert_int_equal(v4->is_expired, 0);
	assert_string_equal(v4->message, "address not available");
	assert_string_equal(v4->dhcp_server_id, "10.0.0.1");
	assert_int_equal(translate(&m, "nak", only_if, &d), 0);
	assert_string_equal(v4->message, "");
}

static void test_udhcpc_rdk_names(void **state)
{
	static const char *const env[] = {
		"interface=erouter0",
		"ip=192.0.2.10",
		"subnet=255.255.255.0",
		"router=192.0.2.1 192.0.2.2",
		"dns=192.0.2.53 192.0.2.54 192.0.2.55",
		"lease=86400",
		"renewaltime=40000",
		"rebindingtime=70000",
		"opt58=000003e8", /* RDK's names win over the hex */
		"opt59=000007d0",
		"timeoffset=-18000",
		"timezone=3600",
		"upstreamrate=100000",
		"downstreamrate=500000",
		"mtu=1492",
		"broadcast=192.0.2.255",
		"staticroutes=10.0.0.0/8 192.0.2.1 0.0.0.0/0 192.0.2.1",
		"sipsrv=192.0.2.5",
		"ntpsrv=192.0.2.123",
		"domain=example.com",
		"search=example.com lab.example.com",
		"bootfile=cm.cfg",
		"siaddr=192.0.2.66",
		"opt122=0104c0000201",
		"opt125=00000de9040104aabb",
		"opt100=455354354544542c4d332e322e302c4d31312e312e30",
		NULL,
	};
	struct tern_lease_msg m;
	struct tern_lease_v4 *v4 = &m.data.v4;
	struct tplug_diag d;

	(void)state;
	assert_int_equal(translate(&m, "bound", env, &d), 0);
	assert_int_equal(d.dropped, 0);
	assert_int_equal(v4->renewal_time, 40000);
	assert_int_equal(v4->rebinding_time, 70000);
	assert_int_equal(v4->time_offset_assigned, 1);
	assert_int_equal(v4->time_offset, -18000);
	assert_int_equal(v4->upstream_curr_rate, 100000);
	assert_int_equal(v4->downstream_curr_rate, 500000);
	assert_int_equal(v4->mtu_assigned, 1);
	assert_int_equal(v4->mtu_size, 1492);
	assert_int_equal(v4->prefix_len, 24);
	assert_string_equal(v4->gateway, "192.0.2.1 192.0.2.2");
	assert_string_equal(v4->dns_server, "192.0.2.53");
	assert_string_equal(v4->dns_server1, "192.0.2.54");
	assert_string_equal(v4->dns_servers,
			    "192.0.2.53 192.0.2.54 192.0.2.55");
	assert_string_equal(v4->broadcast, "192.0.2.255");
	assert_string_equal(v4->static_routes,
			    "10.0.0.0/8 192.0.2.1 0.0.0.0/0 192.0.2.1");
	assert_string_equal(v4->sip_srv, "192.0.2.5");
	assert_string_equal(v4->ntp_servers, "192.0.2.123");
	assert_string_equal(v4->domain_name, "example.com");
	assert_string_equal(v4->domain_search, "example.com lab.example.com");
	assert_string_equal(v4->bootfile, "cm.cfg");
	assert_string_equal(v4->tftp_server, "192.0.2.66");
	assert_int_equal(v4->option122_assigned, 1);
	assert_string_equal(v4->option122, "0104c0000201");
	assert_int_equal(v4->option125_assigned, 1);
	assert_string_equal(v4->option125, "00000de9040104aabb");
	assert_string_equal(v4->time_zone, "EST5EDT,M3.2.0,M11.1.0");
	/* Mapped options stay out of the raw area. */
	assert_int_equal(v4->tlv_count, 0);

	/* Stock busybox: option 2 arrives as timezone=. */
	static const char *const stock[] = {"interface=eth0", "ip=192.0.2.10",
					    "mask=24", "timezone=3600", NULL};
	assert_int_equal(translate(&m, "bound", stock, &d), 0);
	assert_int_equal(v4->time_offset, 3600);
	assert_int_equal(v4->time_offset_assigned, 1);
	/* Old busybox: mask= only, netmask derived. */
	assert_string_equal(v4->netmask, "255.255.255.0");
	assert_int_equal(v4->renewal_time, 0);
}

static void test_udhcpc_bad_values(void **state)
{
	static char longroute[2000];
	const char *env[] = {
		"interface=eth0",
		"ip=192.0.2.10",
		"subnet=255.255.255.0",
		"lease=99999999999",
		"mtu=40",
		"timezone=abc",
		"opt58=0001",
		"hostname=bad\x01name",
		"dns=1.2.3.4 x.y",
		"opt122=xyz",
		"opt300=00",
		"opt77=zz",
		longroute,
		NULL,
	};
	struct tern_lease_msg m;
	struct tern_lease_v4 *v4 = &m.data.v4;
	struct tplug_diag d;

	(void)state;
	memset(longroute, 'a', sizeof(longroute) - 1);
	memcpy(longroute, "staticroutes=", 13);
	assert_int_equal(translate(&m, "bound", env, &d), 0);
	assert_int_equal(d.dropped, 10);
	assert_true(d.text[0] != '\0');
	assert_int_equal(v4->flags, TERN_LEASE_F_DROPPED);
	assert_int_equal(v4->lease_time, 0);
	assert_int_equal(v4->mtu_assigned, 0);
	assert_int_equal(v4->time_offset_assigned, 0);
	assert_int_equal(v4->renewal_time, 0);
	assert_string_equal(v4->host_name, "");
	assert_string_equal(v4->dns_server, "1.2.3.4");
	assert_string_equal(v4->dns_server1, "");
	assert_int_equal(v4->option122_assigned, 0);
	assert_string_equal(v4->static_routes, "");
	assert_int_equal(v4->tlv_count, 0);

	/* Errors that stop the plugin. */
	static const char *const noip[] = {"interface=eth0", NULL};
	static const char *const badif[] = {"interface=eth0;rm", NULL};
	static const char *const noif[] = {"ip=1.2.3.4", NULL};
	assert_int_equal(tplug_translate(&m, "bound", noip, &d), -EINVAL);
	assert_int_equal(tplug_translate(&m, "deconfig", badif, &d), -EINVAL);
	assert_int_equal(tplug_translate(&m, "deconfig", noif, &d), -EINVAL);
	assert_int_equal(tplug_translate(&m, "add", noip, &d), -EINVAL);
	assert_int_equal(tplug_translate(&m, "bogus", noip, &d), -EINVAL);
	assert_int_equal(tplug_translate(&m, NULL, noip, &d), -EINVAL);
	assert_true(strstr(d.text, "unknown event") != NULL);
}

static void test_dibbler_add(void **state)
{
	struct tern_lease_msg m;
	struct tern_lease_v6 *v6 = &m.data.v6;
	struct tplug_diag d;
	const uint8_t *data;

	(void)state;
	assert_int_equal(tplug_detect("add", dibbler_add), TPLUG_DIBBLER);
	assert_int_equal(translate(&m, "add", dibbler_add, &d), 0);
	assert_int_equal(d.dropped, 0);
	assert_int_equal(m.version, TERN_LEASE_V6);
	assert_string_equal(m.ifname, "veth-c");
	assert_int_equal(v6->event, TERN_LEASE_V6_ADD);
	assert_int_equal(v6->is_expired, 0);
	assert_int_equal(v6->flags, 0);
	assert_int_equal(v6->ia_na[0].assigned, 1);
	assert_string_equal(v6->ia_na[0].address, "fd00:250::1000");
	assert_int_equal(v6->ia_na[0].preferred, 3000);
	assert_int_equal(v6->ia_na[0].valid, 4000);
	assert_int_equal(v6->ia_na[0].iaid, 0);
	assert_int_equal(v6->ia_na[1].assigned, 0);
	assert_int_equal(v6->ia_pd[0].assigned, 1);
	assert_string_equal(v6->ia_pd[0].prefix, "fd00:9900::");
	assert_int_equal(v6->ia_pd[0].prefix_len, 56);
	assert_int_equal(v6->ia_pd[0].preferred, 3000);
	assert_int_equal(v6->ia_pd[0].valid, 4000);
	assert_string_equal(v6->dns_servers, "fd00:250::1");
	assert_string_equal(v6->domain_search, "example.net");
	assert_string_equal(v6->server_addr, "ff02::1:2");
	assert_int_equal(v6->mapt_len, sizeof(mapt_bytes));
	assert_memory_equal(v6->mapt, mapt_bytes, sizeof(mapt_bytes));
	assert_int_equal(v6->mape_len, 0);
	/* DUIDs go to the raw area as bytes. */
	assert_int_equal(v6->tlv_count, 2);
	assert_int_equal(find_opt(v6->tlv, v6->tlv_len, 1, &data), 10);
	assert_memory_equal(data, "\x00\x03\x00\x01\x06\x8a\x98\xfe\xda\x4f",
			    10);
	assert_int_equal(find_opt(v6->tlv, v6->tlv_len, 2, &data), 14);

	assert_int_equal(translate(&m, "update", dibbler_add, &d), 0);
	assert_int_equal(v6->event, TERN_LEASE_V6_UPDATE);
	assert_int_equal(v6->is_expired, 0);
}

static void test_dibbler_rdk_and_options(void **state)
{
	static const char *const env[] = {
		"IFACE=erouter0",
		"ADDR1=2001:db8::10",
		"ADDR1PREF=100",
		"ADDR1VALID=200",
		"ADDR1IAID=7",
		"ADDR1T1=50",
		"ADDR1T2=80",
		"ADDR2=2001:db8::11",
		"ADDR2PREF=300", /* > valid: clamped */
		"ADDR2VALID=200",
		"PREFIX1=2001:db8:100::",
		"PREFIX1LEN=56",
		"PREFIX1PREF=100",
		"PREFIX1VALID=200",
		"PREFIX1IAID=8",
		"PREFIX1T1=60",
		"PREFIX1T2=90",
		/* DNS as hex wire data, search list as DNS names */
		"SRV_OPTION23=20:01:0d:b8:00:00:00:00:00:00:00:00:00:00:00:53",
		"SRV_OPTION24=07:65:78:61:6d:70:6c:65:03:63:6f:6d:00:03:6c:61:"
		"62:00",
		"SRV_OPTION56=00:03:00:0d:03:6e:74:70:07:65:78:61:6d:70:6c:65:"
		"00",
		"SRV_OPTION64=04:61:66:74:72:07:65:78:61:6d:70:6c:65:00",
		"SRV_OPTION94=00:5a:00:10:20:01:0d:b8:00:00:00:00:00:00:00:00:"
		"00:"
		"00:00:01",
		"SRV_OPTION17=00:00:0d:e9:00:01:00:02:ab:cd",
		"SRV_OPTION21=sip.example.com",
		"SRV_OPTION22=2001:db8::5 2001:db8::6",
		"REMOTE_ADDR=fe80::1%erouter0",
		NULL,
	};
	struct tern_lease_msg m;
	struct tern_lease_v6 *v6 = &m.data.v6;
	struct tplug_diag d;
	const uint8_t *data;

	(void)state;
	assert_int_equal(translate(&m, "add", env, &d), 0);
	assert_int_equal(d.dropped, 1); /* the clamp */
	assert_int_equal(v6->flags, TERN_LEASE_F_DROPPED);
	assert_int_equal(v6->ia_na[0].iaid, 7);
	assert_int_equal(v6->ia_na[0].t1, 50);
	assert_int_equal(v6->ia_na[0].t2, 80);
	assert_int_equal(v6->ia_na[1].assigned, 1);
	assert_int_equal(v6->ia_na[1].preferred, 200);
	assert_int_equal(v6->ia_pd[0].iaid, 8);
	assert_int_equal(v6->ia_pd[0].t1, 60);
	assert_int_equal(v6->ia_pd[0].t2, 90);
	assert_string_equal(v6->dns_servers, "2001:db8::53");
	assert_string_equal(v6->domain_search, "example.com lab");
	assert_string_equal(v6->ntp_servers, "ntp.example");
	assert_string_equal(v6->aftr_name, "aftr.example");
	assert_int_equal(v6->mape_len, 20);
	assert_int_equal(v6->vendor_len, 10);
	assert_memory_equal(v6->vendor,
			    "\x00\x00\x0d\xe9\x00\x01\x00\x02\xab\xcd", 10);
	assert_string_equal(v6->server_addr, "fe80::1");
	assert_int_equal(find_opt(v6->tlv, v6->tlv_len, 21, &data), 15);
	assert_memory_equal(data, "sip.example.com", 15);
	assert_int_equal(find_opt(v6->tlv, v6->tlv_len, 22, &data), 32);
	assert_int_equal(data[15], 5);
	assert_int_equal(data[31], 6);
}

static void test_dibbler_loss_and_replace(void **state)
{
	static const char *const expire[] = {
		"IFACE=erouter0",  "PREFIX1=2001:db8:100::", "PREFIX1LEN=56",
		"PREFIX1PREF=100", "PREFIX1VALID=200",	     NULL,
	};
	/* Prefix replacement: the old prefix with both lifetimes 0. */
	static const char *const replace[] = {
		"IFACE=erouter0",    "PREFIX1=2001:db8:100::",
		"PREFIX1LEN=56",     "PREFIX1PREF=0",
		"PREFIX1VALID=0",    "PREFIX2=2001:db8:200::",
		"PREFIX2LEN=56",     "PREFIX2PREF=3000",
		"PREFIX2VALID=4000", NULL,
	};
	static const char *const withdraw_only[] = {
		"IFACE=erouter0", "PREFIX1=2001:db8:100::", "PREFIX1LEN=56",
		"PREFIX1PREF=0",  "PREFIX1VALID=0",	    NULL,
	};
	struct tern_lease_msg m;
	struct tern_lease_v6 *v6 = &m.data.v6;
	struct tplug_diag d;

	(void)state;
	assert_int_equal(translate(&m, "expire", expire, &d), 0);
	assert_int_equal(v6->event, TERN_LEASE_V6_EXPIRE);
	assert_int_equal(v6->is_expired, 1);
	assert_int_equal(translate(&m, "delete", expire, &d), 0);
	assert_int_equal(v6->event, TERN_LEASE_V6_DELETE);
	assert_int_equal(v6->is_expired, 1);

	assert_int_equal(translate(&m, "update", replace, &d), 0);
	assert_int_equal(v6->is_expired, 0);
	assert_int_equal(v6->flags, TERN_LEASE_F_PD_REPLACE);
	assert_int_equal(v6->ia_pd[0].assigned, 0);
	assert_int_equal(v6->ia_pd[0].flags, TERN_LEASE_IA_F_WITHDRAWN);
	assert_string_equal(v6->ia_pd[0].prefix, "2001:db8:100::");
	assert_int_equal(v6->ia_pd[1].assigned, 1);
	assert_int_equal(v6->ia_pd[1].flags, 0);
	assert_int_equal(v6->ia_pd[1].valid, 4000);

	/* Even as "delete", a zero-lifetime prefix is not a lease loss. */
	assert_int_equal(translate(&m, "delete", withdraw_only, &d), 0);
	assert_int_equal(v6->is_expired, 0);
	assert_int_equal(v6->flags, TERN_LEASE_F_PD_REPLACE);
	assert_int_equal(v6->ia_pd[0].flags, TERN_LEASE_IA_F_WITHDRAWN);
	assert_int_equal(translate(&m, "add", withdraw_only, &d), 0);
	assert_int_equal(v6->is_expired, 0);
	/* A real expiry stays one. */
	assert_int_equal(translate(&m, "expire", withdraw_only, &d), 0);
	assert_int_equal(v6->is_expired, 1);
}

static void test_dibbler_bad_values(void **state)
{
	static const char *const env[] = {
		"IFACE=erouter0",    "ADDR1=not-an-address",
		"ADDR2=2001:db8::1", "ADDR3=2001:db8::2",
		"ADDR4=2001:db8::3", "ADDR5=2001:db8::4",
		"ADDR6=2001:db8::5", "PREFIX1=2001:db8::",
		"PREFIX1LEN=129",    "PREFIX2=2001:db8::",
		"SRV_OPTION95=zz",   "SRV_OPTION99999=00",
		"SRV_OPTION17=0:1",  NULL,
	};
	struct tern_lease_msg m;
	struct tern_lease_v6 *v6 = &m.data.v6;
	struct tplug_diag d;

	(void)state;
	assert_int_equal(translate(&m, "add", env, &d), 0);
	/* bad ADDR1, ADDR6 beyond 4, PREFIX1/2 lengths, 95, 99999, 17 */
	assert_int_equal(d.dropped, 7);
	assert_string_equal(v6->ia_na[0].address, "2001:db8::1");
	assert_string_equal(v6->ia_na[3].address, "2001:db8::4");
	assert_int_equal(v6->ia_pd[0].assigned, 0);
	assert_int_equal(v6->mapt_len, 0);
	assert_int_equal(v6->vendor_len, 0);
	assert_int_equal(v6->flags, TERN_LEASE_F_DROPPED);
}

/* ---- the real binary ---- */

static long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

static pid_t spawn_plugin(char *const argv[], char *const envp[])
{
	pid_t pid = fork();

	assert_true(pid >= 0);
	if (pid == 0) {
		execve(TERN_PLUGIN_BIN, argv, envp);
		_exit(127);
	}
	return pid;
}

/* Wait at most limit_ms for pid; returns its exit status, or -1. */
static int wait_plugin(pid_t pid, long start, long limit_ms, long *ret_ms)
{
	int st;

	for (;;) {
		pid_t r = waitpid(pid, &st, WNOHANG);
		if (r == pid)
			break;
		assert_int_equal(r, 0);
		if (now_ms() - start > limit_ms) {
			kill(pid, SIGKILL);
			waitpid(pid, &st, 0);
			fail_msg("tern-plugin still running after %ld ms",
				 limit_ms);
		}
		usleep(10000);
	}
	if (ret_ms)
		*ret_ms = now_ms() - start;
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* Run tern-plugin with argv / envp; returns its exit status, or -1. */
static int run_plugin(char *const argv[], char *const envp[], long limit_ms,
		      long *ret_ms)
{
	long start = now_ms();

	return wait_plugin(spawn_plugin(argv, envp), start, limit_ms, ret_ms);
}

static void unique_ipc(char *addr, size_t n, const char *tag)
{
	snprintf(addr, n, "ipc:///tmp/tern-test-%s-%ld-%ld.sock", tag,
		 (long)getpid(), now_ms());
}

static void test_binary_delivers(void **state)
{
	char addr[128], mgr[160];
	char *argv[] = {"tern-plugin", "bound", NULL};
	char *envp[sizeof(udhcpc_bound) / sizeof(udhcpc_bound[0]) + 2];
	struct tern_lease_msg want;
	struct tplug_diag d;
	int s, n, timeout = 5000;
	void *buf = NULL;
	size_t k = 0;
	long start;
	pid_t pid;

	(void)state;
	unique_ipc(addr, sizeof(addr), "deliver");
	s = nn_socket(AF_SP, NN_PULL);
	assert_true(s >= 0);
	assert_true(nn_setsockopt(s, NN_SOL_SOCKET, NN_RCVTIMEO, &timeout,
				  sizeof(timeout)) == 0);
	assert_true(nn_bind(s, addr) >= 0);

	snprintf(mgr, sizeof(mgr), "TERN_MGR_ADDR=%s", addr);
	envp[k++] = mgr;
	for (size_t i = 0; udhcpc_bound[i]; i++)
		envp[k++] = (char *)udhcpc_bound[i];
	envp[k] = NULL;
	start = now_ms();
	pid = spawn_plugin(argv, envp);
	/*
	 * Receive while the plugin runs, as tern-mgr's monitor does:
	 * nanomsg drops a message still unread when its sender disconnects.
	 */
	n = nn_recv(s, &buf, NN_MSG, 0);
	if (n < 0)
		print_error("nn_recv: %s\n", nn_strerror(nn_errno()));
	assert_int_equal(n, sizeof(struct tern_lease_msg));
	assert_int_equal(tern_lease_msg_validate(buf, (size_t)n), 0);
	/* Byte for byte what the translator builds in process. */
	assert_int_equal(
		translate(&want, "bound", (const char *const *)envp, &d), 0);
	assert_memory_equal(buf, &want, sizeof(want));
	nn_freemsg(buf);
	assert_int_equal(wait_plugin(pid, start, 10000, NULL), 0);
	nn_close(s);
	unlink(addr + strlen("ipc://"));
}

static void test_binary_no_manager(void **state)
{
	char addr[128], mgr[160];
	char *argv[] = {"tern-plugin", "-r",  "3",	  "-t", "200",
			"-i",	       "100", "deconfig", NULL};
	char *envp[] = {mgr, "interface=eth0", NULL};
	long ms = 0;
	int st;

	(void)state;
	unique_ipc(addr, sizeof(addr), "nobody");
	snprintf(mgr, sizeof(mgr), "TERN_MGR_ADDR=%s", addr);
	/*
	 * It gives up after its 3 tries (3 * (200 + 100) ms) and says so
	 * with exit 1; the 30 s limit only catches a hang. How long a
	 * delivery takes is bench/mgr's figure, never a test's.
	 */
	st = run_plugin(argv, envp, 30000, &ms);
	assert_int_equal(st, 1);

	/* The same bound through the environment, on the default TCP port
	 * replaced by an unused loopback one. */
	char *envp2[] = {"TERN_MGR_ADDR=tcp://127.0.0.1:9",
			 "TERN_PLUGIN_TRIES=2",
			 "TERN_PLUGIN_TIMEOUT_MS=100",
			 "TERN_PLUGIN_INTERVAL_MS=0",
			 "interface=eth0",
			 NULL};
	char *argv2[] = {"tern-plugin", "leasefail", NULL};
	st = run_plugin(argv2, envp2, 30000, &ms);
	assert_int_equal(st, 1);
}

static void test_binary_usage(void **state)
{
	char *help[] = {"tern-plugin", "--help", NULL};
	char *none[] = {"tern-plugin", NULL};
	char *bad[] = {"tern-plugin", "-r", "0", "bound", NULL};
	char *ev[] = {"tern-plugin", "bogus", NULL};
	char *envp[] = {"interface=eth0", NULL};
	int devnull = open("/dev/null", O_WRONLY), saved = dup(1),
	    saved2 = dup(2);

	(void)state;
	/* Keep the test log readable: silence the child's output. */
	dup2(devnull, 1);
	dup2(devnull, 2);
	assert_int_equal(run_plugin(help, envp, 5000, NULL), 0);
	assert_int_equal(run_plugin(none, envp, 5000, NULL), 2);
	assert_int_equal(run_plugin(bad, envp, 5000, NULL), 2);
	assert_int_equal(run_plugin(ev, envp, 5000, NULL), 2);
	dup2(saved, 1);
	dup2(saved2, 2);
	close(saved);
	close(saved2);
	close(devnull);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_udhcpc_bound),
		cmocka_unit_test(test_udhcpc_loss_events),
		cmocka_unit_test(test_udhcpc_rdk_names),
		cmocka_unit_test(test_udhcpc_bad_values),
		cmocka_unit_test(test_dibbler_add),
		cmocka_unit_test(test_dibbler_rdk_and_options),
		cmocka_unit_test(test_dibbler_loss_and_replace),
		cmocka_unit_test(test_dibbler_bad_values),
		cmocka_unit_test(test_binary_delivers),
		cmocka_unit_test(test_binary_no_manager),
		cmocka_unit_test(test_binary_usage),
	};

	/* A vanished child must not kill the test with SIGPIPE. */
	signal(SIGPIPE, SIG_IGN);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
