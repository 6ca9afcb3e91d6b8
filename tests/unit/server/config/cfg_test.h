/* What the configuration unit tests share: loading a text, finding a
 * diagnostic at line:column, expecting an error or a load. Included once
 * per test program (each is its own executable). Include after cmocka.h. */
#ifndef TERN_TEST_CFG_TEST_H
#define TERN_TEST_CFG_TEST_H

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "server/config/config.h"

#define IP(a, b, c, d)                                                    \
	((uint32_t)(a) << 24 | (uint32_t)(b) << 16 | (uint32_t)(c) << 8 | \
	 (uint32_t)(d))

/* Wraps lines of Dhcp4 content: the first content line is line 2. */
#define DHCP4(body) "{\"Dhcp4\": {\n" body "\n}}\n"

static struct ternd_diags diags;

static inline void dump(void)
{
	ternd_diags_print(stderr, "test", &diags);
}

static inline int load(const char *text, struct ternd_config **cfg)
{
	memset(&diags, 0, sizeof(diags));
	return ternd_config_load_buf(text, strlen(text), cfg, &diags);
}

static inline bool has_diag(enum ternd_diag_level level, unsigned line,
			    unsigned col, const char *what)
{
	for (size_t i = 0; i < diags.n; i++)
		if (diags.v[i].level == level && diags.v[i].line == line &&
		    diags.v[i].col == col && strstr(diags.v[i].msg, what))
			return true;
	return false;
}

static inline bool has_error(unsigned line, unsigned col, const char *what)
{
	return has_diag(TERND_DIAG_ERROR, line, col, what);
}

/* The text must fail, with (at least) this error at line:col, and hand
 * nothing out. */
static inline void expect_error(const char *text, unsigned line,
				unsigned col, const char *what)
{
	struct ternd_config *sentinel = (struct ternd_config *)&diags;
	struct ternd_config *cfg = sentinel;
	int rc = load(text, &cfg);

	if (rc != -EBADMSG || !has_error(line, col, what)) {
		print_error("wanted %u:%u \"%s\", got rc %d:\n", line, col,
			    what, rc);
		dump();
	}
	assert_int_equal(rc, -EBADMSG);
	assert_ptr_equal(cfg, sentinel);
	assert_true(has_error(line, col, what));
}

static inline struct ternd_config *expect_ok(const char *text)
{
	struct ternd_config *cfg = NULL;
	int rc = load(text, &cfg);

	if (rc != 0)
		dump();
	assert_int_equal(rc, 0);
	assert_non_null(cfg);
	return cfg;
}

#endif
