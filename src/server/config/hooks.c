/* ternd hooks-libraries: Kea's hook libraries recognised by file name; the
 * ones ternd has built in are configured, every other one is refused. */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "server/classify/expr.h"
#include "server/config/loader.h"

/*
 * kea-dhcp4 dlopen()s each entry and hands it its "parameters"; ternd has
 * the function of some libraries built in and recognises them by their file
 * name, in any directory ("/usr/lib/x86_64-linux-gnu/kea/hooks/
 * libdhcp_run_script.so" and a bare "libdhcp_run_script.so" alike). Their
 * parameters are checked as the libraries check them, with Kea's messages
 * where it has one. A library ternd does not have is an error: loading the
 * file anyway would serve something else than it says.
 */

#define LEGAL_DEFAULT_PATH	"/var/lib/kea" /* Debian's LEGAL_LOG_DIR */
#define LEGAL_DEFAULT_BASE	"kea-legal"
#define LEGAL_DEFAULT_TIMESTAMP "%Y-%m-%d %H:%M:%S %Z"

/* Libraries refused, with what they do, for a message that says why. */
static const struct {
	const char *name;
	const char *what;
} refused[] = {
	{"ha", "High Availability"},
	{"radius", "RADIUS"},
	{"host_cmds", "host reservation commands"},
	{"subnet_cmds", "subnet commands"},
	{"class_cmds", "client class commands"},
	{"cb_cmds", "configuration backend commands"},
	{"mysql_cb", "MySQL configuration backend"},
	{"pgsql_cb", "PostgreSQL configuration backend"},
	{"host_cache", "host cache"},
	{"lease_query", "leasequery"},
	{"limits", "rate and lease limits"},
	{"ddns_tuning", "DDNS tuning"},
	{"flex_option", "flexible option"},
	{"user_chk", "user check"},
	{"perfmon", "performance monitoring"},
	{"ping_check", "ping check"},
	{"rbac", "role-based access control"},
};

/* ---- parameter helpers ---- */

/* Kea's ProcessSpawn check: the file exists and its owner may run it. */
static void check_executable(struct loader *ld, const struct tjson *v,
			     const char *lib, const char *param)
{
	struct stat st;

	if (stat(v->s, &st) < 0)
		ld_error_at(ld, v->pos,
			    "%s: Invalid '%s' parameter: File not found: %s",
			    lib, param, v->s);
	else if (!(st.st_mode & S_IXUSR))
		ld_error_at(ld, v->pos,
			    "%s: Invalid '%s' parameter: File not executable: "
			    "%s",
			    lib, param, v->s);
}

static bool want_string(struct loader *ld, const struct tjson *v,
			const char *lib)
{
	if (v->type == TJSON_STRING)
		return true;
	ld_error_at(ld, v->pos, "%s: the '%s' parameter must be a string", lib,
		    v->key);
	return false;
}

static bool want_bool(struct loader *ld, const struct tjson *v, const char *lib,
		      bool *ret)
{
	if (v->type != TJSON_BOOL) {
		ld_error_at(ld, v->pos,
			    "%s: the '%s' parameter must be a boolean", lib,
			    v->key);
		return false;
	}
	*ret = v->b;
	return true;
}

/* The library ignores it (Kea reads only the keys it knows). */
static void ignored(struct loader *ld, const struct tjson *m, const char *lib)
{
	if (strcmp(m->key, "comment") == 0 ||
	    strcmp(m->key, "user-context") == 0)
		return;
	ld_warn_at(ld, m->kpos,
		   "%s: unknown parameter \"%s\" ignored (the library does not "
		   "read it)",
		   lib, m->key);
}

/* ---- the libraries ---- */

static void no_params(struct loader *ld, const struct tjson *params,
		      const struct tjson *entry)
{
	const char *lib = entry->s;

	for (const struct tjson *m = params ? params->child : NULL; m;
	     m = m->next)
		ignored(ld, m, lib);
}

static void lease_cmds(struct loader *ld, const struct tjson *params,
		       const struct tjson *entry)
{
	ld->cfg->hooks.lease_cmds = true;
	no_params(ld, params, entry);
}

static void stat_cmds(struct loader *ld, const struct tjson *params,
		      const struct tjson *entry)
{
	ld->cfg->hooks.stat_cmds = true;
	no_params(ld, params, entry);
}

static void bootp(struct loader *ld, const struct tjson *params,
		  const struct tjson *entry)
{
	ld->cfg->hooks.bootp = true;
	no_params(ld, params, entry);
}

/* Kea-2.2.0:src/hooks/dhcp/run_script/run_script.cc, configure(). */
static void run_script(struct loader *ld, const struct tjson *params,
		       const struct tjson *entry)
{
	struct ternd_config_hooks *h = &ld->cfg->hooks;
	const char *lib = "run_script";
	const struct tjson *name = NULL;

	for (const struct tjson *m = params ? params->child : NULL; m;
	     m = m->next) {
		if (strcmp(m->key, "name") == 0)
			name = m;
		else if (strcmp(m->key, "sync") == 0)
			want_bool(ld, m, lib, &h->run_script_sync);
		else
			ignored(ld, m, lib);
	}
	if (!name) {
		ld_error_at(ld, params ? params->pos : entry->pos,
			    "%s: The 'name' parameter is mandatory", lib);
		return;
	}
	if (name->type != TJSON_STRING) {
		ld_error_at(ld, name->pos,
			    "%s: The 'name' parameter must be a string", lib);
		return;
	}
	check_executable(ld, name, lib, "name");
	h->run_script = ld_astr(ld, name->s, name->len);
}

/*
 * Kea's flex_id (open source since 2.7.7; Kea 2.2's ARM, hooks-flex-id):
 * identifier-expression is mandatory and a string; empty is allowed (no
 * identifier is computed) with a warning.
 */
static void flex_id(struct loader *ld, const struct tjson *params,
		    const struct tjson *entry)
{
	struct ternd_config_hooks *h = &ld->cfg->hooks;
	const char *lib = "flex_id";
	const struct tjson *expr = NULL;
	struct ternd_expr_error err;

	h->flex_id = true;
	for (const struct tjson *m = params ? params->child : NULL; m;
	     m = m->next) {
		if (strcmp(m->key, "identifier-expression") == 0)
			expr = m;
		else if (strcmp(m->key, "replace-client-id") == 0)
			want_bool(ld, m, lib, &h->flex_id_replace_client_id);
		else
			ignored(ld, m, lib); /* ignore-iaid is DHCPv6's */
	}
	if (!expr) {
		ld_error_at(ld, params ? params->pos : entry->pos,
			    "%s: the 'identifier-expression' parameter is "
			    "mandatory",
			    lib);
		return;
	}
	if (!want_string(ld, expr, lib))
		return;
	h->flex_id_expr = ld_astr(ld, expr->s, expr->len);
	if (expr->len == 0) {
		ld_warn_at(ld, expr->pos,
			   "%s: the identifier expression is empty: no "
			   "flexible identifier is computed",
			   lib);
		return;
	}
	/* Kea parses it as a string expression (EvalContext::PARSER_STRING)
	 * with its standard option names; no class is defined for member()
	 * when the identifier is computed. */
	if (ternd_expr_compile_string(expr->s, NULL, &h->flex_id_x, &err) < 0) {
		struct tjson_pos at = expr->pos;

		/* The column inside the string, past its opening quote (exact
		 * when the text has no JSON escapes). */
		at.col += err.column;
		ld_error_at(ld, at, "%s: expression: [%s] error: %s", lib,
			    expr->s, err.msg);
	}
}

static void legal_path_ok(struct loader *ld, const struct tjson *v)
{
	struct stat st;

	if (v->len == 0)
		ld_error_at(ld, v->pos, "legal_log: path cannot be blank");
	else if (stat(v->s, &st) < 0 || !S_ISDIR(st.st_mode))
		ld_error_at(ld, v->pos,
			    "legal_log: path \"%s\" is not a directory (it "
			    "must exist)",
			    v->s);
}

static void legal_unit(struct loader *ld, const struct tjson *v)
{
	static const char *const names[] = {"second", "day", "month", "year"};

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (strcmp(v->s, names[i]) == 0) {
			ld->cfg->hooks.legal_unit = (enum ternd_legal_unit)i;
			return;
		}
	}
	ld_error_at(ld, v->pos,
		    "legal_log: unknown time unit type: %s, expected one of: "
		    "second, day, month, year",
		    v->s);
}

/* A custom format: a string expression (LegalLogMgr::
 * setRequestFormatExpression), Kea's parser's error at its column. */
static void legal_format(struct loader *ld, const struct tjson *v,
			 struct ternd_expr **ret)
{
	struct ternd_expr_error err;

	if (ternd_expr_compile_string(v->s, NULL, ret, &err) < 0) {
		struct tjson_pos at = v->pos;

		at.col += err.column;
		ld_error_at(ld, at, "legal_log: %s: [%s] error: %s", v->key,
			    v->s, err.msg);
	}
}

/*
 * Kea's legal_log text file backend (Kea 2.2's ARM, hooks-legal-log; the
 * library is open source since 2.7.7: LegalLogMgr::parseFile,
 * RotatingFile::apply). The custom formats are string expressions of
 * the classification language, evaluated on the query and the reply.
 */
static void legal_log(struct loader *ld, const struct tjson *params,
		      const struct tjson *entry)
{
	struct ternd_config_hooks *h = &ld->cfg->hooks;
	const char *lib = "legal_log";
	const char **dst;

	(void)entry;
	h->legal_log = true;
	h->legal_path = LEGAL_DEFAULT_PATH;
	h->legal_base_name = LEGAL_DEFAULT_BASE;
	h->legal_unit = TERND_LEGAL_DAY;
	h->legal_count = 1;
	h->legal_timestamp = LEGAL_DEFAULT_TIMESTAMP;
	for (const struct tjson *m = params ? params->child : NULL; m;
	     m = m->next) {
		dst = NULL;
		if (strcmp(m->key, "type") == 0) {
			if (want_string(ld, m, lib) &&
			    strcmp(m->s, "logfile") != 0)
				ld_error_at(ld, m->pos,
					    "%s: the \"%s\" backend is not "
					    "supported by ternd (only "
					    "\"logfile\")",
					    lib, m->s);
		} else if (strcmp(m->key, "path") == 0) {
			if (want_string(ld, m, lib)) {
				legal_path_ok(ld, m);
				dst = &h->legal_path;
			}
		} else if (strcmp(m->key, "base-name") == 0) {
			if (!want_string(ld, m, lib))
				continue;
			if (m->len == 0 || strchr(m->s, '/'))
				ld_error_at(ld, m->pos,
					    "%s: base-name must be a file "
					    "name, not \"%s\"",
					    lib, m->s);
			else
				dst = &h->legal_base_name;
		} else if (strcmp(m->key, "time-unit") == 0) {
			if (want_string(ld, m, lib))
				legal_unit(ld, m);
		} else if (strcmp(m->key, "count") == 0) {
			if (m->type != TJSON_NUMBER || !m->is_int)
				ld_error_at(ld, m->pos,
					    "%s: count must be an integer",
					    lib);
			else if (m->i < 0 || m->i > UINT32_MAX)
				ld_error_at(ld, m->pos,
					    "%s: count value: %lld is out of "
					    "range, expected value: "
					    "0..4294967295",
					    lib, (long long)m->i);
			else
				h->legal_count = (uint32_t)m->i;
		} else if (strcmp(m->key, "prerotate") == 0 ||
			   strcmp(m->key, "postrotate") == 0) {
			if (!want_string(ld, m, lib) || m->len == 0)
				continue;
			check_executable(ld, m, lib, m->key);
			dst = m->key[1] == 'r' ? &h->legal_prerotate
					       : &h->legal_postrotate;
		} else if (strcmp(m->key, "timestamp-format") == 0) {
			if (want_string(ld, m, lib) && m->len)
				dst = &h->legal_timestamp;
		} else if (strcmp(m->key, "request-parser-format") == 0) {
			if (want_string(ld, m, lib) && m->len)
				legal_format(ld, m, &h->legal_request_x);
		} else if (strcmp(m->key, "response-parser-format") == 0) {
			if (want_string(ld, m, lib) && m->len)
				legal_format(ld, m, &h->legal_response_x);
		} else {
			ignored(ld, m, lib);
		}
		if (dst)
			*dst = ld_astr(ld, m->s, m->len);
	}
}

static const struct {
	const char *name;
	void (*parse)(struct loader *ld, const struct tjson *params,
		      const struct tjson *entry);
} builtin[] = {
	{"lease_cmds", lease_cmds}, {"stat_cmds", stat_cmds},
	{"run_script", run_script}, {"flex_id", flex_id},
	{"bootp", bootp},	    {"legal_log", legal_log},
};

#define N_BUILTIN (sizeof(builtin) / sizeof(builtin[0]))

/* "lease_cmds" of ".../libdhcp_lease_cmds.so" into out; false if the file
 * name is not of that form. */
static bool lib_name(const char *path, char *out, size_t size)
{
	const char *base = strrchr(path, '/');
	size_t len;

	base = base ? base + 1 : path;
	len = strlen(base);
	if (strncmp(base, "libdhcp_", 8) != 0 || len < 8 + 1 + 3 ||
	    strcmp(base + len - 3, ".so") != 0 || len - 11 >= size)
		return false;
	memcpy(out, base + 8, len - 11);
	out[len - 11] = '\0';
	return true;
}

/* The libraries a Dhcp6 ternd has built in. */
static bool in_v6(const char *name)
{
	return strcmp(name, "lease_cmds") == 0 ||
	       strcmp(name, "stat_cmds") == 0;
}

static void parse_entry(struct loader *ld, const struct tjson *o,
			bool seen[N_BUILTIN], bool v6)
{
	const struct tjson *lib = NULL, *params = NULL;
	char name[64];

	if (!ld_want_type(ld, o, TJSON_OBJECT, "a map"))
		return;
	for (const struct tjson *m = o->child; m; m = m->next) {
		if (strcmp(m->key, "library") == 0)
			lib = m;
		else if (strcmp(m->key, "parameters") == 0)
			params = m;
		else if (strcmp(m->key, "comment") != 0 &&
			 strcmp(m->key, "user-context") != 0)
			ld_error_at(ld, m->kpos,
				    "unknown key \"%s\" in a hooks-libraries "
				    "entry (expected \"library\", "
				    "\"parameters\")",
				    m->key);
	}
	if (!lib) {
		ld_error_at(ld, o->pos, "missing parameter 'library'");
		return;
	}
	if (!ld_want_type(ld, lib, TJSON_STRING, "a string"))
		return;
	if (params && !ld_want_type(ld, params, TJSON_OBJECT, "a map"))
		return;
	if (lib->len == 0) {
		ld_error_at(ld, lib->pos, "\"library\" must not be empty");
		return;
	}
	if (v6 && !lib_name(lib->s, name, sizeof(name))) {
		ld_error_at(ld, lib->pos,
			    "hook library \"%s\" is not one of Kea's "
			    "(libdhcp_NAME.so); a Dhcp6 ternd has lease_cmds "
			    "and stat_cmds built in",
			    lib->s);
		return;
	}
	if (!lib_name(lib->s, name, sizeof(name))) {
		ld_error_at(ld, lib->pos,
			    "hook library \"%s\" is not one of Kea's "
			    "(libdhcp_NAME.so); ternd has lease_cmds, "
			    "stat_cmds, run_script, flex_id, bootp and "
			    "legal_log built in",
			    lib->s);
		return;
	}
	if (v6 && !in_v6(name)) {
		ld_error_at(ld, lib->pos,
			    "hook library libdhcp_%s.so is not supported by "
			    "ternd for DHCPv6 (built in: lease_cmds, "
			    "stat_cmds)",
			    name);
		return;
	}
	for (size_t i = 0; i < N_BUILTIN; i++) {
		if (strcmp(builtin[i].name, name) != 0)
			continue;
		if (seen[i]) {
			ld_error_at(
				ld, lib->pos,
				"hook library libdhcp_%s.so is loaded twice",
				name);
			return;
		}
		seen[i] = true;
		builtin[i].parse(ld, params, lib);
		return;
	}
	for (size_t i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
		if (strcmp(refused[i].name, name) == 0) {
			ld_error_at(ld, lib->pos,
				    "hook library libdhcp_%s.so (%s) is not "
				    "supported by ternd",
				    name, refused[i].what);
			return;
		}
	}
	ld_error_at(ld, lib->pos,
		    "hook library libdhcp_%s.so is not supported by ternd "
		    "(built in: lease_cmds, stat_cmds, run_script, flex_id, "
		    "bootp, legal_log)",
		    name);
}

static void parse_hooks(struct loader *ld, const struct tjson *arr, bool v6)
{
	bool seen[N_BUILTIN] = {false};

	if (!ld_want_type(ld, arr, TJSON_ARRAY, "a list"))
		return;
	for (const struct tjson *o = arr->child; o; o = o->next)
		parse_entry(ld, o, seen, v6);
}

void ld_parse_hooks(struct loader *ld, const struct tjson *arr)
{
	parse_hooks(ld, arr, false);
}

void ld_parse_hooks6(struct loader *ld, const struct tjson *arr)
{
	parse_hooks(ld, arr, true);
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

/*
 * legal_log skips the subnets whose user-context says "legal-logging":
 * false (ARM hooks-legal-log). Read once the subnets have their ids.
 */
void ld_finish_hooks(struct loader *ld)
{
	struct ternd_config_hooks *h = &ld->cfg->hooks;
	uint32_t *off;
	size_t n = 0;

	if (!h->legal_log || !ld->n_subnets)
		return;
	if (!(off = ld_aalloc(ld, ld->a, ld->n_subnets, sizeof(*off))))
		return;
	for (size_t i = 0; i < ld->n_subnets; i++) {
		const struct tjson *uc =
			tjson_get(ld->st[i].obj, "user-context");
		const struct tjson *ll = tjson_get(uc, "legal-logging");

		if (!ll)
			continue;
		if (ll->type != TJSON_BOOL) {
			ld_error_at(ld, ll->pos,
				    "legal-logging must be a boolean");
			continue;
		}
		if (!ll->b)
			off[n++] = ld->subnets[i].id;
	}
	qsort(off, n, sizeof(*off), cmp_u32);
	h->legal_off = off;
	h->n_legal_off = n;
}
