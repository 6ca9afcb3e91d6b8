/* ternd DHCPv6 taking over Kea's memfile leases at start: kea-dhcp6's
 * lease6 CSV imported once, with the counts and refused rows logged. */
#include <errno.h>
#include <string.h>

#include "common/log.h"
#include "server/store/kea_csv6.h"
#include "server/takeover6.h"

/* Up to this many refused rows are logged one by one. */
#define KEA_BAD_LOGGED 20

static void bad_row(void *ctx, const char *file, unsigned long line,
		    const char *why)
{
	unsigned *n = ctx;

	if ((*n)++ < KEA_BAD_LOGGED)
		tern_log(LOG_WARNING, "%s:%lu: row not imported: %s", file,
			 line, why);
}

int ternd_takeover6(const struct ternd_config *cfg, struct ternd_store6 *s,
		    int64_t now)
{
	const char *csv = cfg->store_csv_path;
	struct ternd_kea_csv_stats st;
	unsigned logged = 0;
	int r;

	if (!csv)
		return 0;
	r = ternd_kea_csv6_import(s, csv, now, false, bad_row, &logged, &st);
	if (r == 0 || r == -ENOENT)
		return 0; /* done on an earlier start, or no Kea file */
	if (r < 0) {
		tern_log(LOG_ERR, "cannot import Kea's leases from %s: %s", csv,
			 r == -EBADMSG ? "not a Kea lease6 file (bad header)"
				       : strerror(-r));
		return r;
	}
	if (st.bad > KEA_BAD_LOGGED)
		tern_log(LOG_WARNING, "%s: %llu more rows not imported", csv,
			 (unsigned long long)(st.bad - KEA_BAD_LOGGED));
	tern_log(LOG_NOTICE,
		 "imported %llu DHCPv6 leases from Kea's %s (%llu bound and "
		 "unexpired; %llu rows read from %u files, %llu bad, %llu "
		 "already in the store kept, %llu host names cut)",
		 (unsigned long long)st.imported, csv,
		 (unsigned long long)st.active, (unsigned long long)st.rows,
		 st.files, (unsigned long long)st.bad,
		 (unsigned long long)st.kept, (unsigned long long)st.names_cut);
	return 0;
}
