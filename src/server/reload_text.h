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

#endif
