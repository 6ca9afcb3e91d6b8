/* bench/stats: what the statistics cost off the packet path: one tick
 * (sampling every statistic, publishing the /metrics snapshot) and one
 * statistic-get-all, for a configuration of N subnets. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "server/config/config.h"
#include "server/control/control.h"
#include "server/engine4/engine.h"
#include "server/stats/internal.h"
#include "server/stats/stats.h"

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 1000, rounds = 200;
	size_t cap = (size_t)n * 160 + 256, len = 0;
	char *text = malloc(cap), *ans = NULL;
	struct ternd_config *cfg = NULL;
	struct ternd_engine *e = NULL;
	struct ternd_control *ctl = NULL;
	struct ternd_stats *s = NULL;
	struct ternd_diags d = {0};
	const char *req = "{\"command\":\"statistic-get-all\"}";
	double t0, t1, t2;

	if (!text || n < 1 || n > 60000)
		return 2;
	len += (size_t)snprintf(text + len, cap - len,
				"{\"Dhcp4\": {\"user-context\": {\"ternd\": "
				"{\"metrics\": {\"http-port\": 19999}}}, "
				"\"subnet4\": [");
	for (int i = 0; i < n; i++)
		len += (size_t)snprintf(
			text + len, cap - len,
			"%s{\"id\": %d, \"subnet\": \"10.%d.%d.0/24\", "
			"\"pools\": [{\"pool\": \"10.%d.%d.10 - "
			"10.%d.%d.250\"}]}",
			i ? "," : "", i + 1, i / 256, i % 256, i / 256, i % 256,
			i / 256, i % 256);
	snprintf(text + len, cap - len, "]}}");
	if (ternd_config_load_buf(text, strlen(text), &cfg, &d) < 0 ||
	    ternd_engine_new(cfg, &e) < 0 || ternd_control_new(&ctl) < 0 ||
	    ternd_stats_start(cfg, e, NULL, ctl, &s) < 0) {
		fprintf(stderr, "bench_stats: setup failed\n");
		return 1;
	}
	t0 = now_s();
	for (int r = 0; r < rounds; r++)
		tstat_observe_all(s, tstat_now_us());
	t1 = now_s();
	for (int r = 0; r < rounds; r++)
		tmetrics_publish(s->metrics, s);
	t2 = now_s();
	printf("bench_stats: %d subnets, %zu statistics: tick %.1f us "
	       "(sampling %.1f us + /metrics snapshot %.1f us)",
	       n, s->t.n, (t2 - t0) / rounds * 1e6, (t1 - t0) / rounds * 1e6,
	       (t2 - t1) / rounds * 1e6);
	t0 = now_s();
	for (int r = 0; r < 20; r++) {
		ternd_control_handle(ctl, req, strlen(req), &ans);
		if (r == 19)
			len = strlen(ans);
		free(ans);
	}
	t1 = now_s();
	printf("; statistic-get-all %.2f ms (%zu bytes)\n",
	       (t1 - t0) / 20 * 1e3, len);
	ternd_stats_free(s);
	ternd_control_free(ctl);
	ternd_engine_free(e);
	ternd_config_free(cfg);
	free(text);
	return 0;
}
