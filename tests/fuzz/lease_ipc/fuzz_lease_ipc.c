/* Fuzz target: the lease message validator and tern-plugin's env translation.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <tern/lease_ipc.h>

#include "plugin/translate.h"

#define MAX_VARS 64

/*
 * Byte 0 picks a mode:
 *   0: the input as received (any size) goes to the validator;
 *   1: the input zero-padded / cut to the exact message size, so the
 *      fuzzer reaches the field checks;
 *   2: "EVENT\nNAME=value\n..." goes through tplug_translate, and
 *      whatever it builds must pass the validator (the plugin must never
 *      produce a message the manager drops).
 */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void env_mode(const uint8_t *data, size_t size)
{
	static char text[8192];
	const char *envp[MAX_VARS + 1];
	struct tern_lease_msg m;
	struct tern_lease_verdict v;
	struct tplug_diag d;
	const char *event;
	size_t n = size < sizeof(text) - 1 ? size : sizeof(text) - 1, k = 0;
	char *p, *nl;

	memcpy(text, data, n);
	text[n] = '\0';
	event = text;
	p = strchr(text, '\n');
	if (p)
		*p++ = '\0';
	while (p && *p && k < MAX_VARS) {
		nl = strchr(p, '\n');
		if (nl)
			*nl++ = '\0';
		envp[k++] = p;
		p = nl;
	}
	envp[k] = NULL;
	if (tplug_translate(&m, event, envp, &d) != 0)
		return;
	if (tern_lease_msg_check(&m, sizeof(m), &v) != 0)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct tern_lease_msg m;
	struct tern_lease_verdict v;

	if (size < 1)
		return 0;
	switch (data[0] % 3) {
	case 0:
		tern_lease_msg_check(data + 1, size - 1, &v);
		break;
	case 1:
		memset(&m, 0, sizeof(m));
		memcpy(&m, data + 1,
		       size - 1 < sizeof(m) ? size - 1 : sizeof(m));
		if (tern_lease_msg_check(&m, sizeof(m), &v) < 0 &&
		    (v.reason == TERN_LEASE_OK || !v.field))
			abort();
		break;
	default:
		env_mode(data + 1, size - 1);
		break;
	}
	return 0;
}
