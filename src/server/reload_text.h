/* ternd reconfiguration, either family (reload.c, reload6.c): the pieces
 * of config-set / config-reload that do not depend on the family. */
#ifndef TERND_RELOAD_TEXT_H
#define TERND_RELOAD_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "common/json.h"
#include "server/config/config.h"

/* Milliseconds from a to b. */
double ternd_reload_ms(const struct timespec *a, const struct timespec *b);
/* Both NULL or equal strings. */
bool ternd_reload_same_str(const char *a, const char *b);
/* The file as config-get shows it after a reload (NULL when unreadable). */
struct tjson_doc *ternd_reload_read_source(const char *path);
/* The loader's diagnostics as one text ("name:line:col: error: ..."). */
void ternd_reload_diags_text(const char *name, const struct ternd_diags *d,
			     char *out, size_t len);
/* Log how a reconfiguration ended. */
void ternd_reload_log_result(const char *how, int rc, const char *err);
/*
 * Kea's checks of config-set's arguments for family map `top` ("Dhcp4",
 * "Dhcp6"), with Kea's texts into text: true when they are good.
 */
bool ternd_reload_set_args_ok(const struct tjson *args, const char *top,
			      char *text, size_t len);

/* What config-set and config-reload need from a family's reloader. */
struct ternd_control;
struct ternd_reload_cmds {
	const char *top;	/* the family's map: "Dhcp4", "Dhcp6" */
	void *ctx;		/* the reloader */
	struct timespec *begun; /* the request's start, for its swap log */
	/* Swap cfg in (taking it) or refuse with the reason in err: 0 or
	 * -errno, nothing changed then. */
	int (*apply)(void *ctx, struct ternd_config *cfg, char *err,
		     size_t len);
	/* The text config-get shows from now on (taken; NULL: unknown). */
	void (*set_source)(void *ctx, struct tjson_doc *doc);
	/* The file read again and applied (config-reload, SIGHUP): 0 or
	 * -errno with the reason in err. */
	int (*reload_file)(void *ctx, const char *how, char *err, size_t len);
};
/* config-set and config-reload with Kea's arguments and texts, over rc
 * (which must outlive c): 0 or what ternd_control_add returned. */
int ternd_reload_cmds_register(struct ternd_reload_cmds *rc,
			       struct ternd_control *c);

#endif
