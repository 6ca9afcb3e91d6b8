/* Unit tests for ternd's ddns room: DNS names, option 81 and 12 decisions
 * (Kea's flag table, names), DHCIDs (RFC 4701 §3.6), NCR JSON byte for byte
 * as kea-dhcp4 sends it, the sender's framing, tickets and bound. */
#include <arpa/inet.h>
#include <errno.h>
#include <regex.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cmocka.h>

#include "server/ddns/dname.h"
#include "server/ddns/fqdn.h"
#include "server/ddns/ncr.h"
#include "server/ddns/sender.h"

#define IP(a, b, c, d)                                                    \
	((uint32_t)(a) << 24 | (uint32_t)(b) << 16 | (uint32_t)(c) << 8 | \
	 (uint32_t)(d))

static void hex_of(const uint8_t *p, size_t n, char *out)
{
	static const char h[] = "0123456789ABCDEF";

	for (size_t i = 0; i < n; i++) {
		out[2 * i] = h[p[i] >> 4];
		out[2 * i + 1] = h[p[i] & 15];
	}
	out[2 * n] = 0;
}

static struct ternd_dname name(const char *s)
{
	struct ternd_dname d;

	assert_int_equal(ternd_dname_from_text(s, strlen(s), true, &d), 0);
	return d;
}

/* ---- names ----------------------------------------------------------------
 */

static void text_round(const char *in, bool omit, const char *want)
{
	struct ternd_dname d;
	char out[TERND_DNAME_TEXT_MAX];

	assert_int_equal(ternd_dname_from_text(in, strlen(in), false, &d), 0);
	assert_true(ternd_dname_to_text(&d, omit, false, out, sizeof(out)) >=
		    0);
	assert_string_equal(out, want);
}

static void test_dname_text(void **state)
{
	struct ternd_dname d;
	char long_label[80];

	(void)state;
	text_round("Host.Example.com", false, "Host.Example.com.");
	text_round("host.example.com.", true, "host.example.com");
	text_round(".", true, ".");
	text_round("@", false, ".");
	text_round("a\\.b.c", false, "a\\.b.c.");
	text_round("a\\032b", false, "a\\032b.");
	text_round("semi;colon", false, "semi\\;colon.");
	assert_int_equal(
		ternd_dname_from_text("host.example.com", 16, false, &d), 0);
	assert_int_equal(d.labels, 4);
	assert_int_equal(d.len, 18);
	assert_int_equal(ternd_dname_from_text("AbC", 3, true, &d), 0);
	assert_memory_equal(d.wire, "\3abc\0", 5);
	/* Kea's errors: empty, empty label, bad escapes, long labels. */
	assert_int_equal(ternd_dname_from_text("", 0, false, &d), -EINVAL);
	assert_int_equal(ternd_dname_from_text("a..b", 4, false, &d), -EINVAL);
	assert_int_equal(ternd_dname_from_text(".a", 2, false, &d), -EINVAL);
	assert_int_equal(ternd_dname_from_text("a\\25", 4, false, &d), -EINVAL);
	assert_int_equal(ternd_dname_from_text("a\\256", 5, false, &d),
			 -EINVAL);
	assert_int_equal(ternd_dname_from_text("\\[x", 3, false, &d), -EINVAL);
	memset(long_label, 'a', 64);
	assert_int_equal(ternd_dname_from_text(long_label, 64, false, &d),
			 -EINVAL);
	assert_int_equal(ternd_dname_from_text(long_label, 63, false, &d), 0);
}

static void test_dname_wire(void **state)
{
	struct ternd_dname d;
	char out[64];

	(void)state;
	assert_int_equal(ternd_dname_from_wire((const uint8_t *)"\4Host\0xx", 8,
					       true, &d),
			 0);
	assert_int_equal(d.len, 6);
	assert_true(ternd_dname_to_text(&d, false, false, out, sizeof(out)) >
		    0);
	assert_string_equal(out, "host.");
	/* A compression pointer points nowhere Kea accepts. */
	assert_int_equal(
		ternd_dname_from_wire((const uint8_t *)"\xc0\x00", 2, 0, &d),
		-EINVAL);
	assert_int_equal(
		ternd_dname_from_wire((const uint8_t *)"\4ab", 3, 0, &d),
		-EINVAL);
	assert_int_equal(
		ternd_dname_from_wire((const uint8_t *)"\2ab", 3, 0, &d),
		-EINVAL); /* no root label */
}

static void test_fqdn_parse(void **state)
{
	struct ternd_fqdn f;

	(void)state;
	/* Windows: flags 0, ASCII, partial. */
	assert_int_equal(
		ternd_fqdn_parse((const uint8_t *)"\0\0\0WIN-A", 8, &f), 0);
	assert_true(f.has_name && !f.full);
	assert_memory_equal(f.name.wire, "\5win-a\0", 7);
	/* dhclient: S and E, wire, partial and full. */
	assert_int_equal(
		ternd_fqdn_parse((const uint8_t *)"\5\0\0\6laptop", 10, &f), 0);
	assert_true(f.has_name && !f.full);
	assert_int_equal(
		ternd_fqdn_parse((const uint8_t *)"\5\xff\xff\1a\3org\0", 10,
				 &f),
		0);
	assert_true(f.full);
	assert_int_equal(f.rcode1, 255);
	/* No name at all is fine; N and S together, or short, are not. */
	assert_int_equal(ternd_fqdn_parse((const uint8_t *)"\1\0\0", 3, &f), 0);
	assert_false(f.has_name);
	assert_int_equal(ternd_fqdn_parse((const uint8_t *)"\x09\0\0", 3, &f),
			 -EBADMSG);
	assert_int_equal(ternd_fqdn_parse((const uint8_t *)"\1\0", 2, &f),
			 -EBADMSG);
	assert_int_equal(
		ternd_fqdn_parse((const uint8_t *)"\4\0\0\xc0\x0c", 5, &f),
		-EBADMSG);
	assert_int_equal(ternd_fqdn_parse((const uint8_t *)"\0\0\0a..b", 7, &f),
			 -EBADMSG);
}

static void qualify(const char *in, const char *suffix, bool dot,
		    const char *want)
{
	char out[TERND_HOSTNAME_MAX];

	assert_int_equal(ternd_ddns_qualify(in, suffix, dot, out, sizeof(out)),
			 (int)strlen(want));
	assert_string_equal(out, want);
}

/* Kea's D2ClientMgr qualifyName cases. */
static void test_qualify(void **state)
{
	(void)state;
	qualify("somehost", "example.com", true, "somehost.example.com.");
	qualify("somehost", "example.com.", false, "somehost.example.com");
	qualify("somehost.", "example.com", true, "somehost.example.com.");
	qualify("somehost.example.com", "example.com", true,
		"somehost.example.com.");
	qualify("somehost.example.com.", "example.com.", false,
		"somehost.example.com");
	/* The suffix must end the name on a label boundary. */
	qualify("somehost.barexample.com", "example.com", true,
		"somehost.barexample.com.example.com.");
	qualify("somehost", "", true, "somehost.");
	qualify("somehost.", "", false, "somehost");
}

static void test_generate(void **state)
{
	struct ternd_ddns_params p = {.generated_prefix = "myhost",
				      .qualifying_suffix = ""};
	char out[TERND_HOSTNAME_MAX];

	(void)state;
	ternd_ddns_generate(IP(192, 0, 2, 10), &p, true, out, sizeof(out));
	assert_string_equal(out, "myhost-192-0-2-10.");
	p.generated_prefix = "test.prefix";
	p.qualifying_suffix = "test.suffix.";
	ternd_ddns_generate(IP(10, 0, 0, 1), &p, false, out, sizeof(out));
	assert_string_equal(out, "test.prefix-10-0-0-1.test.suffix");
}

static void test_scrub(void **state)
{
	regex_t re, empty;
	char out[64];

	(void)state;
	assert_int_equal(regcomp(&re, "[^A-Za-z0-9.-]", REG_EXTENDED), 0);
	assert_int_equal(ternd_ddns_scrub(&re, "", "my_pc!", 6, out, 64), 4);
	assert_string_equal(out, "mypc");
	assert_int_equal(ternd_ddns_scrub(&re, "x", "my_pc!", 6, out, 64), 6);
	assert_string_equal(out, "myxpcx");
	/* An embedded NUL is a character like the others. */
	assert_int_equal(ternd_ddns_scrub(&re, "-", "a\0b", 3, out, 64), 3);
	assert_string_equal(out, "a-b");
	assert_int_equal(ternd_ddns_scrub(NULL, "x", "a_b", 3, out, 64), 3);
	assert_string_equal(out, "a_b");
	/* A pattern matching the empty string terminates. */
	assert_int_equal(regcomp(&empty, "z*", REG_EXTENDED), 0);
	assert_true(ternd_ddns_scrub(&empty, "", "abz", 3, out, 64) >= 0);
	assert_string_equal(out, "ab");
	regfree(&re);
	regfree(&empty);
}

/* ---- decisions --------------------------------------------------------------
 */

static regex_t def_re;

static struct ternd_ddns_params defaults(void)
{
	struct ternd_ddns_params p = {
		.send_updates = true,
		.use_conflict_resolution = true,
		.replace_client_name = TERND_DDNS_REPLACE_NEVER,
		.generated_prefix = "myhost",
		.qualifying_suffix = "",
		.char_set = "[^A-Za-z0-9.-]",
		.char_replacement = "",
		.char_re = &def_re,
	};

	return p;
}

static void decide81(const char *opt, size_t n,
		     const struct ternd_ddns_params *p, bool enabled,
		     struct ternd_client_name *out)
{
	struct ternd_fqdn f;
	struct ternd_name_in in = {.fqdn = &f,
				   .p = p,
				   .enabled = enabled,
				   .addr = IP(192, 0, 2, 10)};

	assert_int_equal(ternd_fqdn_parse((const uint8_t *)opt, n, &f), 0);
	ternd_client_name(&in, out);
}

/*
 * RFC 4702 §3 as Kea's analyzeFqdn answers it: client N-S 0-0, 0-1, 1-0
 * against updates on/off and the overrides; O = client S != server S.
 */
static void test_flag_table(void **state)
{
	static const struct {
		uint8_t client;
		bool enabled, send, ovr_client, ovr_no;
		uint8_t flags; /* the reply's */
		bool fwd, rev;
	} t[] = {
		/* Updates off (dhcp-ddns or ddns-send-updates): N. */
		{0x00, false, true, false, false, 0x08, false, false},
		{0x01, false, true, false, false, 0x0a, false, false},
		{0x08, true, false, false, false, 0x08, false, false},
		/* 0-0: the client does A; the server PTR, unless overridden. */
		{0x00, true, true, false, false, 0x00, false, true},
		{0x00, true, true, true, false, 0x03, true, true},
		/* 0-1: the server does both. */
		{0x01, true, true, false, false, 0x01, true, true},
		/* 1-0: nobody, unless ddns-override-no-update. */
		{0x08, true, true, false, false, 0x08, false, false},
		{0x08, true, true, false, true, 0x03, true, true},
		/* E is echoed. */
		{0x05, true, true, false, false, 0x05, true, true},
	};

	(void)state;
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		struct ternd_ddns_params p = defaults();
		struct ternd_client_name out;
		char opt[16] = {0};

		opt[0] = (char)t[i].client;
		memcpy(opt + 3, t[i].client & 4 ? "\4host" : "host", 5);
		p.send_updates = t[i].send;
		p.override_client_update = t[i].ovr_client;
		p.override_no_update = t[i].ovr_no;
		decide81(opt, 3 + (t[i].client & 4 ? 5 : 4), &p, t[i].enabled,
			 &out);
		if (!out.has81 || out.opt81[0] != t[i].flags ||
		    out.fwd != t[i].fwd || out.rev != t[i].rev)
			fail_msg("row %zu: flags %02x fwd %d rev %d", i,
				 out.opt81[0], out.fwd, out.rev);
	}
}

static void test_names81(void **state)
{
	struct ternd_ddns_params p = defaults();
	struct ternd_client_name out;

	(void)state;
	/* Windows' ASCII partial name comes back qualified, lower case,
	 * with the final dot, in ASCII; the RCODEs are the client's. */
	decide81("\0\0\0WIN-A", 8, &p, false, &out);
	assert_string_equal(out.hostname, "win-a.");
	assert_int_equal(out.len81, 3 + 6);
	assert_memory_equal(out.opt81, "\x08\0\0win-a.", 9);
	/* In wire format when E is set; the suffix qualifies. */
	p.qualifying_suffix = "example.org";
	decide81("\5\0\0\6Laptop", 10, &p, true, &out);
	assert_string_equal(out.hostname, "laptop.example.org.");
	assert_int_equal(out.len81, 23);
	assert_memory_equal(out.opt81, "\5\0\0\6laptop\7example\3org\0", 23);
	/* A full name is not qualified; the sanitizer works per label. */
	p.char_replacement = "x";
	decide81("\1\0\0my_pc.home.", 14, &p, true, &out);
	assert_string_equal(out.hostname, "myxpc.home.");
	/* Replaced (when-present) or empty: generated from the address. */
	p.replace_client_name = TERND_DDNS_REPLACE_WHEN_PRESENT;
	decide81("\1\0\0host", 7, &p, true, &out);
	assert_string_equal(out.hostname, "myhost-192-0-2-10.example.org.");
	p.replace_client_name = TERND_DDNS_REPLACE_NEVER;
	decide81("\1\0\0", 3, &p, true, &out);
	assert_string_equal(out.hostname, "myhost-192-0-2-10.example.org.");
	assert_false(out.has12);
}

static void decide12(const char *h, const char *reserved,
		     const struct ternd_ddns_params *p,
		     struct ternd_client_name *out)
{
	struct ternd_name_in in = {.host = (const uint8_t *)h,
				   .host_len = h ? strlen(h) : 0,
				   .reserved = reserved,
				   .p = p,
				   .enabled = true,
				   .addr = IP(192, 0, 2, 10)};

	ternd_client_name(&in, out);
}

static void test_names12(void **state)
{
	struct ternd_ddns_params p = defaults();
	struct ternd_client_name out;

	(void)state;
	/* One label: qualified, no final dot; both directions. */
	decide12("KD-Host", NULL, &p, &out);
	assert_true(out.has12 && out.fwd && out.rev);
	assert_string_equal(out.host12, "kd-host");
	assert_string_equal(out.hostname, "kd-host");
	p.qualifying_suffix = "example.org.";
	decide12(" KD-Host\n", NULL, &p, &out);
	assert_string_equal(out.host12, "kd-host.example.org");
	/* Several labels: as sent, sanitized and lower case. */
	decide12("PC_1.Example.net", NULL, &p, &out);
	assert_string_equal(out.host12, "pc1.example.net");
	/* The root, or replaced: generated without the final dot. */
	decide12(".", NULL, &p, &out);
	assert_string_equal(out.host12, "myhost-192-0-2-10.example.org");
	p.replace_client_name = TERND_DDNS_REPLACE_ALWAYS;
	decide12("pc", NULL, &p, &out);
	assert_string_equal(out.host12, "myhost-192-0-2-10.example.org");
	/* No option 12: a name only when-not-present (or always). */
	decide12(NULL, NULL, &p, &out);
	assert_true(out.has12);
	p.replace_client_name = TERND_DDNS_REPLACE_WHEN_PRESENT;
	decide12(NULL, NULL, &p, &out);
	assert_false(out.has12);
	assert_string_equal(out.hostname, "");
	/* A reservation wins, qualified and in lower case. */
	decide12("pc", "Printer", &p, &out);
	assert_string_equal(out.host12, "printer.example.org");
	/* Malformed: nothing. */
	p.replace_client_name = TERND_DDNS_REPLACE_NEVER;
	decide12("a..b", NULL, &p, &out);
	assert_false(out.has12);
	assert_false(out.fwd);
}

/* ---- DHCID and NCR
 * ------------------------------------------------------------ */

static void dhcid_is(uint8_t type, const char *id_hex, const char *fq,
		     const char *want)
{
	uint8_t id[64], out[TERND_DHCID_LEN];
	char hex[2 * TERND_DHCID_LEN + 1];
	size_t n = strlen(id_hex) / 2;
	struct ternd_dname d = name(fq);

	for (size_t i = 0; i < n; i++)
		sscanf(id_hex + 2 * i, "%2hhx", &id[i]);
	assert_int_equal(ternd_ddns_dhcid(type, id, n, &d, out), 0);
	hex_of(out, sizeof(out), hex);
	assert_string_equal(hex, want);
}

/* RFC 4701 §3.6's three examples (their base64 as hex). */
static void test_dhcid_rfc4701(void **state)
{
	(void)state;
	dhcid_is(TERND_DHCID_DUID,
		 "000100064"
		 "12df1660102030405"
		 "06",
		 "chi6.example.com",
		 "000201636FC0B8271C82825BB1AC5C41CF5351AA69B4FEBD94E8F17CDB95"
		 "000DA48C40");
	dhcid_is(TERND_DHCID_CLIENTID, "010708090a0b0c", "chi.example.com",
		 "0001013920FE5D1DCEB3FD0BA3379756A70D73B17009F41D58BDDBFCD6A2"
		 "503956D8DA");
	dhcid_is(TERND_DHCID_HWADDR, "01010203040506", "client.example.com",
		 "000001C4B9A5B249651343158DDE7BCC77169841F7A4243A572B5C283FFF"
		 "EDEB3F75E6");
}

static void test_ncr_sample(void **state)
{
	/* ncr_msg's own example, key for key. */
	struct ternd_ncr n = {.fwd = true,
			      .fqdn = "walah.walah.com.",
			      .addr = IP(192, 168, 2, 1),
			      .dhcid = {1, 2, 3, 4, 0x0a, 0x7f, 0x8e, 0x3d},
			      .dhcid_len = 8,
			      .expires = 1358774645, /* 20130121132405 */
			      .ttl = 1300,
			      .conflict_resolution = true};
	char out[1024];

	(void)state;
	assert_true(ternd_ncr_json(&n, out, sizeof(out)) > 0);
	assert_string_equal(
		out, "{\"change-type\":0,\"forward-change\":true,"
		     "\"reverse-change\":false,\"fqdn\":\"walah.walah.com.\","
		     "\"ip-address\":\"192.168.2.1\",\"dhcid\":"
		     "\"010203040A7F8E3D\",\"lease-expires-on\":"
		     "\"20130121132405\",\"lease-length\":1300,"
		     "\"use-conflict-resolution\":true}");
	/* A name's escapes stay valid JSON. */
	n.fqdn = "a\\\"b.";
	assert_true(ternd_ncr_json(&n, out, sizeof(out)) > 0);
	assert_non_null(strstr(out, "\"fqdn\":\"a\\\\\\\"b.\""));
}

static void lease_of(struct ternd_lease *l, uint8_t mac, const char *host)
{
	memset(l, 0, sizeof(*l));
	l->addr = IP(192, 0, 2, 100 + mac);
	l->subnet_id = 1;
	l->state = TERND_LEASE_BOUND;
	l->htype = 1;
	l->hw_len = 6;
	memcpy(l->hw, "\x02\xdd\0\0\0", 5);
	l->hw[5] = mac;
	l->valid_lifetime = 4000;
	snprintf(l->hostname, sizeof(l->hostname), "%s", host);
	l->fqdn_fwd = l->fqdn_rev = true;
}

/* What kea-dhcp4 2.2 sent for the same leases (integ.ddns_kea_ncr). */
static void test_ncr_as_kea(void **state)
{
	struct ternd_lease l;
	uint8_t msg[TERND_NCR_MAX];
	int n;

	(void)state;
	lease_of(&l, 2, "test.prefix-192-0-2-102.test.suffix.");
	l.cltt = 1795502400;
	n = ternd_ncr_for_lease(&l, false, true, true, msg, sizeof(msg));
	assert_true(n > 2);
	assert_int_equal((msg[0] << 8 | msg[1]), n - 2);
	msg[n] = 0;
	assert_string_equal(
		(char *)msg + 2,
		"{\"change-type\":0,\"forward-change\":true,\"reverse-change\":"
		"true,\"fqdn\":\"test.prefix-192-0-2-102.test.suffix.\","
		"\"ip-address\":\"192.0.2.102\",\"dhcid\":"
		"\"000001E7CAF0271E029A5F107DF66334D83F8546AD5AB2A8A884D634345E"
		"8F3899AEE4\",\"lease-expires-on\":\"20261124070213\","
		"\"lease-length\":1333,\"use-conflict-resolution\":true}");
	/* match-client-id false: the DHCID is the hardware address's even
	 * though the lease has a client-id; a remove without conflict
	 * resolution, reverse only. */
	lease_of(&l, 1, "win-alpha.example.org.");
	l.cid_len = 7;
	memcpy(l.cid, "\x01\x02\xdd\0\0\0\x01", 7);
	l.fqdn_fwd = false;
	l.cltt = 1795502403;
	n = ternd_ncr_for_lease(&l, true, false, false, msg, sizeof(msg));
	assert_true(n > 2);
	msg[n] = 0;
	assert_string_equal(
		(char *)msg + 2,
		"{\"change-type\":1,\"forward-change\":false,\"reverse-"
		"change\":"
		"true,\"fqdn\":\"win-alpha.example.org.\",\"ip-address\":"
		"\"192.0.2.101\",\"dhcid\":\"000001CA5A221EA433EAE0B421EB39551E"
		"3029DA7D9B83E60B59A3D4FADA21D02711F2\",\"lease-expires-on\":"
		"\"20261124070216\",\"lease-length\":1333,"
		"\"use-conflict-resolution\":false}");
	/* Nothing due without a name or a direction; an embedded DUID too
	 * short is an error (Kea logs it). */
	l.hostname[0] = 0;
	assert_int_equal(
		ternd_ncr_for_lease(&l, false, true, true, msg, sizeof(msg)),
		0);
	lease_of(&l, 3, "h.");
	l.fqdn_fwd = l.fqdn_rev = false;
	assert_int_equal(
		ternd_ncr_for_lease(&l, false, true, true, msg, sizeof(msg)),
		0);
	l.fqdn_rev = true;
	l.cid_len = 5;
	memcpy(l.cid, "\xff\0\0\0\1", 5);
	assert_int_equal(
		ternd_ncr_for_lease(&l, false, true, true, msg, sizeof(msg)),
		-EINVAL);
	assert_int_equal(ternd_ddns_ttl(100), 600);
	assert_int_equal(ternd_ddns_ttl(1799), 600);
	assert_int_equal(ternd_ddns_ttl(1800), 600);
	assert_int_equal(ternd_ddns_ttl(4000), 1333);
}

/* ---- sender ----------------------------------------------------------------
 */

static void test_sender(void **state)
{
	struct ternd_config_ddns c = {0};
	struct ternd_ddns_sender *s;
	struct sockaddr_in a = {0};
	socklen_t al = sizeof(a);
	uint8_t buf[64];
	int rx;

	(void)state;
	rx = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0);
	assert_true(rx >= 0);
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(IP(127, 0, 0, 1));
	assert_int_equal(bind(rx, (struct sockaddr *)&a, sizeof(a)), 0);
	assert_int_equal(getsockname(rx, (struct sockaddr *)&a, &al), 0);
	c.enable_updates = true;
	c.server_family = c.sender_family = AF_INET;
	memcpy(c.server_ip, "\x7f\0\0\1", 4);
	c.server_port = ntohs(a.sin_port);
	c.max_queue_size = 2;
	assert_int_equal(ternd_ddns_sender_new(&c, &s), 0);

	/* Pending: nothing goes out, whatever is durable. */
	assert_int_equal(ternd_ddns_sender_add(s, (const uint8_t *)"\0\1A", 3),
			 0);
	assert_false(ternd_ddns_sender_flush(s, UINT64_MAX));
	assert_int_equal(recv(rx, buf, sizeof(buf), 0), -1);
	/* A refused batch's requests never go out. */
	ternd_ddns_sender_drop_pending(s);
	assert_int_equal(ternd_ddns_sender_stats(s)->not_durable, 1);
	/* Sealed with ticket 5: out once 5 is durable, in order. */
	assert_int_equal(ternd_ddns_sender_add(s, (const uint8_t *)"\0\1B", 3),
			 0);
	assert_int_equal(ternd_ddns_sender_add(s, (const uint8_t *)"\0\1C", 3),
			 0);
	/* max-queue-size: the third waits for no one. */
	assert_int_equal(ternd_ddns_sender_add(s, (const uint8_t *)"\0\1D", 3),
			 -ENOBUFS);
	ternd_ddns_sender_seal(s, 5);
	ternd_ddns_sender_flush(s, 4);
	assert_int_equal(recv(rx, buf, sizeof(buf), 0), -1);
	ternd_ddns_sender_flush(s, 5);
	assert_int_equal(recv(rx, buf, sizeof(buf), 0), 3);
	assert_memory_equal(buf, "\0\1B", 3);
	assert_int_equal(recv(rx, buf, sizeof(buf), 0), 3);
	assert_memory_equal(buf, "\0\1C", 3);
	assert_int_equal(ternd_ddns_sender_stats(s)->sent, 2);
	assert_int_equal(ternd_ddns_sender_stats(s)->queue_full, 1);
	ternd_ddns_sender_free(s);
	close(rx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_dname_text),
		cmocka_unit_test(test_dname_wire),
		cmocka_unit_test(test_fqdn_parse),
		cmocka_unit_test(test_qualify),
		cmocka_unit_test(test_generate),
		cmocka_unit_test(test_scrub),
		cmocka_unit_test(test_flag_table),
		cmocka_unit_test(test_names81),
		cmocka_unit_test(test_names12),
		cmocka_unit_test(test_dhcid_rfc4701),
		cmocka_unit_test(test_ncr_sample),
		cmocka_unit_test(test_ncr_as_kea),
		cmocka_unit_test(test_sender),
	};
	int rc;

	if (regcomp(&def_re, "[^A-Za-z0-9.-]", REG_EXTENDED) != 0)
		return 1;
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	regfree(&def_re);
	return rc;
}
