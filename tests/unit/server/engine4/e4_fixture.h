/* What the engine4 unit tests of one configuration and one engine share
 * (test_reuse.c, test_extinfo.c, test_lenient.c): the configuration and
 * engine under test, loading and freeing them, a reply's buffer. Included
 * once per test program, after cmocka.h. */
#ifndef TERN_TEST_E4_FIXTURE_H
#define TERN_TEST_E4_FIXTURE_H

#include <arpa/inet.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <tern/dhcp4.h>

#include "server/config/config.h"
#include "server/engine4/engine.h"

#define IP(a, b, c, d)                                                    \
	((uint32_t)(a) << 24 | (uint32_t)(b) << 16 | (uint32_t)(c) << 8 | \
	 (uint32_t)(d))
#define IF_ADDR IP(192, 0, 2, 1)
#define T0	1700000000

static struct ternd_config *cfg;
static struct ternd_engine *eng;

/* Load text and make the engine of it (the test fails if it does not). */
static inline void load(const char *text)
{
	struct ternd_diags d;

	memset(&d, 0, sizeof(d));
	if (ternd_config_load_buf(text, strlen(text), &cfg, &d) != 0) {
		ternd_diags_print(stderr, "test", &d);
		fail_msg("config does not load");
	}
	assert_int_equal(ternd_engine_new(cfg, &eng), 0);
}

static inline int teardown(void **state)
{
	(void)state;
	ternd_engine_free(eng);
	ternd_config_free(cfg);
	eng = NULL;
	cfg = NULL;
	return 0;
}

/* One request's outcome: the engine's return, the reply, its changes. */
struct out {
	int rc;
	uint8_t buf[1500];
	struct tern_dhcp4_msg m;
	struct ternd_change ch[8];
	size_t n;
};

static inline struct in_addr ina(uint32_t a)
{
	struct in_addr v = {htonl(a)};

	return v;
}

/* A 4-byte option of the reply, which must be there. */
static inline uint32_t u32(const struct out *o, uint8_t code)
{
	uint32_t v = 0;

	assert_int_equal(tern_dhcp4_get_u32(&o->m, code, &v), 0);
	return v;
}

#endif
