/* Fuzz target: Kea's lease6 CSV reader (store/kea_csv6.c) over any bytes
 * as the file's content; invariants of what it returns checked. */
#define _GNU_SOURCE /* memfd_create */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "server/store/kea_csv6.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(x)                 \
	do {                     \
		if (!(x))        \
			abort(); \
	} while (0)

static void on_bad(void *ctx, const char *file, unsigned long line,
		   const char *why)
{
	unsigned long *last = ctx;

	/* Lines are reported in order, each with a reason. */
	CHECK(line >= *last && line > 0 && why && *why && file);
	*last = line;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ternd_kea_csv_stats st;
	struct ternd_lease6 *v = NULL;
	unsigned long last = 0;
	char name[64];
	size_t n = 0;
	int fd = memfd_create("kea-leases6", MFD_CLOEXEC), r;

	if (fd < 0)
		return 0;
	if (size && write(fd, data, size) != (ssize_t)size) {
		close(fd);
		return 0;
	}
	/* NAME.completed, .2, .1 do not exist: NAME alone is read. */
	snprintf(name, sizeof(name), "/proc/self/fd/%d", fd);
	r = ternd_kea_csv6_read(name, 1700000000, &v, &n, on_bad, &last, &st);
	close(fd);
	if (r < 0) {
		CHECK(r == -EBADMSG || r == -ENOMEM || r == -EIO);
		CHECK(!v);
		return 0;
	}
	CHECK(st.files == 1 && n == st.leases && st.bad <= st.rows);
	CHECK(n <= st.rows);
	for (size_t i = 0; i < n; i++) {
		CHECK(v[i].type == TERND_LEASE6_NA ||
		      v[i].type == TERND_LEASE6_PD);
		CHECK(v[i].plen <= 128 && v[i].state <= 2);
		CHECK(v[i].duid_len <= TERND_LEASE6_DUID_MAX);
		CHECK(v[i].valid != 0 && v[i].expire >= v[i].cltt);
		CHECK(memchr(v[i].hostname, 0, sizeof(v[i].hostname)));
		if (i)
			CHECK(v[i - 1].type < v[i].type ||
			      (v[i - 1].type == v[i].type &&
			       memcmp(&v[i - 1].addr, &v[i].addr, 16) < 0));
	}
	free(v);
	return 0;
}
