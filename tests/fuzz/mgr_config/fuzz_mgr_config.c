/* Fuzz target: tern-mgr config parser; what it accepts must round-trip. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mgr/config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct mgr_config a, b;
	char err[256], *text = NULL;

	if (mgr_config_parse((const char *)data, size, &a, err, sizeof(err)) <
	    0)
		return 0;
	/* Whatever is accepted must survive a save and load unchanged. */
	if (mgr_config_format(&a, &text) < 0)
		return 0;
	if (mgr_config_parse(text, strlen(text), &b, err, sizeof(err)) < 0)
		abort();
	if (a.n4 != b.n4 || a.n6 != b.n6 || memcmp(a.v4, b.v4, sizeof(a.v4)) ||
	    memcmp(a.v6, b.v6, sizeof(a.v6)))
		abort();
	free(text);
	return 0;
}
