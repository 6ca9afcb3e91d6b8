/* Test helper: load a committed fixture file (tests/fixtures/...) into a
 * buffer. */
#ifndef TERN_TEST_FIXTURE_H
#define TERN_TEST_FIXTURE_H

#include <stdint.h>
#include <stdio.h>

/* Returns the number of bytes read, or -1 when the file cannot be read or
 * does not fit in cap. rel is relative to tests/fixtures/. */
static inline long tern_test_load_fixture(const char *rel, uint8_t *buf,
					  size_t cap)
{
	char path[1024];
	FILE *f;
	size_t n;

	snprintf(path, sizeof(path), "%s/%s", TERN_FIXTURES, rel);
	f = fopen(path, "rb");
	if (!f)
		return -1;
	n = fread(buf, 1, cap, f);
	if (n == cap && fgetc(f) != EOF)
		n = (size_t)-1;
	fclose(f);
	return n == (size_t)-1 ? -1 : (long)n;
}

#endif
