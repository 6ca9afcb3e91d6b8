/* kea-dhcp4's built-in commands that are not statistics, leases or reload,
 * with Kea 2.2's arguments, checks and texts (docs/control.md). */
#include <errno.h>
#include <fcntl.h>
#include <gnu/libc-version.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "common/clock.h"
#include "common/json.h"
#include "server/control/cmds_builtin.h"
#include "server/control/control.h"

#ifndef TERN_VERSION
#define TERN_VERSION "unknown"
#endif

/* A configuration is read with the same bounds as ternd's loader. */
#define CONFIG_MAX (16u * 1024u * 1024u)

static int64_t wall_s(void)
{
	return (int64_t)time(NULL);
}

/* The configuration in use, NULL when unknown. */
static const struct tjson *config_tree(const struct ternd_builtin *b)
{
	if (b->config_tree)
		return b->config_tree(b->ctx);
	return b->config ? b->config->root : NULL;
}

int ternd_builtin_load_config(struct ternd_builtin *b)
{
	struct tjson_kea kea = {.name = b->config_path};
	struct tjson_doc *doc = NULL;
	char *text = NULL;
	size_t len = 0;
	int r;

	if (!b->config_path)
		return -ENOENT;
	if ((r = tjson_read_file(NULL, b->config_path, CONFIG_MAX, &text,
				 &len)) < 0)
		return r;
	r = tjson_parse_kea(text, len, NULL, &kea, &doc, NULL);
	free(text);
	if (r < 0)
		return r;
	tjson_doc_free(b->config);
	b->config = doc;
	return 0;
}

void ternd_builtin_free(struct ternd_builtin *b)
{
	if (!b)
		return;
	tjson_doc_free(b->config);
	b->config = NULL;
}

bool ternd_builtin_dhcp_enabled(struct ternd_builtin *b, int64_t now_mono)
{
	if (b->enable_at && now_mono >= b->enable_at) {
		/* Kea's delayedEnableAll: every origin, once. */
		b->disabled_user = b->disabled_ha = false;
		b->enable_at = 0;
	}
	return !b->disabled_user && !b->disabled_ha;
}

static int cmd_status(void *ctx, const struct tjson *args,
		      struct tjson_doc *out, struct tjson **ret_args,
		      char *text, size_t text_len)
{
	struct ternd_builtin *b = ctx;
	struct tjson *o = tjson_new_object(out), *s = tjson_new_object(out);
	int64_t now = wall_s();

	(void)args;
	(void)text;
	(void)text_len;
	tjson_add_int(out, o, "pid", getpid());
	tjson_add_int(out, o, "uptime", now - b->started);
	tjson_add_int(out, o, "reload",
		      now - (b->config_time ? b->config_time(b->ctx)
					    : b->configured));
	tjson_add_bool(out, o, "multi-threading-enabled", false);
	/* ternd does not start without its DHCP sockets: they are ready
	 * whenever it can answer. */
	tjson_add_str(out, s, "status", "ready");
	tjson_add(out, o, "sockets", s);
	if (b->status_extra)
		b->status_extra(b->ctx, out, o);
	*ret_args = o;
	return TERND_CTL_SUCCESS;
}

static int cmd_version(void *ctx, const struct tjson *args,
		       struct tjson_doc *out, struct tjson **ret_args,
		       char *text, size_t text_len)
{
	const struct ternd_builtin *b = ctx;
	struct tjson *o = tjson_new_object(out);
	char ext[512];

	(void)args;
	/* ternd's own version, not Kea's "2.2.0": see docs/control.md. */
	snprintf(ext, sizeof(ext),
		 "%s\nternd (tern DHCP suite), serving kea-dhcp%c 2.2's "
		 "configuration and control API\nlinked with:\nglibc %s\n"
		 "database:\nSQLite lease store (group commit)",
		 TERN_VERSION, b->v6 ? '6' : '4', gnu_get_libc_version());
	tjson_add_str(out, o, "extended", ext);
	*ret_args = o;
	snprintf(text, text_len, "%s", TERN_VERSION);
	return TERND_CTL_SUCCESS;
}

static int cmd_build_report(void *ctx, const struct tjson *args,
			    struct tjson_doc *out, struct tjson **ret_args,
			    char *text, size_t text_len)
{
	(void)ctx;
	(void)args;
	(void)out;
	(void)ret_args;
	snprintf(text, text_len,
		 "ternd build report\n"
		 "Package:\n  Name: tern\n  Version: %s\n"
		 "C compiler:\n  Version: %s\n  C standard: %ld\n"
		 "Platform:\n  Pointer size: %zu bits\n  glibc: %s\n"
		 "Build options:\n  Sanitizers: %s\n  Assertions: %s\n"
		 "Lease store:\n  SQLite (synchronous=FULL, group commit)\n"
		 "Control channel:\n  Unix socket, Kea 2.2 framing\n",
		 TERN_VERSION, __VERSION__, (long)__STDC_VERSION__,
		 sizeof(void *) * 8, gnu_get_libc_version(),
#if defined(__SANITIZE_ADDRESS__)
		 "address",
#else
		 "none",
#endif
#ifdef NDEBUG
		 "off"
#else
		 "on"
#endif
	);
	return TERND_CTL_SUCCESS;
}

static int cmd_config_get(void *ctx, const struct tjson *args,
			  struct tjson_doc *out, struct tjson **ret_args,
			  char *text, size_t text_len)
{
	struct ternd_builtin *b = ctx;
	const struct tjson *tree = config_tree(b);

	(void)args;
	if (!tree) {
		snprintf(text, text_len,
			 "no configuration to show: ternd runs from --mesh "
			 "flags, or its file could not be read again");
		return TERND_CTL_ERROR;
	}
	*ret_args = tjson_copy(out, tree);
	return TERND_CTL_SUCCESS;
}

/* Kea's checks of {"Dhcp4": {...}} (a Dhcp6 ternd: {"Dhcp6": {...}}) for
 * config-test and config-set. */
static bool dhcp4_args(const struct ternd_builtin *b, const struct tjson *args,
		       char *text, size_t cap)
{
	const char *key = b->v6 ? "Dhcp6" : "Dhcp4";
	const struct tjson *d = tjson_get(args, key);
	size_t n = 0;

	if (!args) {
		snprintf(text, cap, "Missing mandatory 'arguments' parameter.");
		return false;
	}
	if (!d) {
		snprintf(text, cap, "Missing mandatory '%s' parameter.", key);
		return false;
	}
	if (d->type != TJSON_OBJECT) {
		snprintf(text, cap, "'%s' parameter expected to be a map.",
			 key);
		return false;
	}
	text[0] = '\0';
	/* Every other key, in Kea's (sorted) order. */
	for (;;) {
		const struct tjson *next = NULL;

		for (const struct tjson *m = args->child; m; m = m->next) {
			if (!strcmp(m->key, key))
				continue;
			if (n && strcmp(m->key, text + cap / 2) <= 0)
				continue;
			if (!next || strcmp(m->key, next->key) < 0)
				next = m;
		}
		if (!next)
			break;
		n += (size_t)snprintf(text + n, cap / 2 - n,
				      n ? " (and '%s')"
					: "Unsupported '%s' "
					  "parameter",
				      next->key);
		if (n >= cap / 2 - 1)
			break;
		/* The last key named, for the next round. */
		snprintf(text + cap / 2, cap / 2, "%s", next->key);
	}
	if (!n)
		return true;
	snprintf(text + strlen(text), cap / 2 - strlen(text), ".");
	return false;
}

static int cmd_config_test(void *ctx, const struct tjson *args,
			   struct tjson_doc *out, struct tjson **ret_args,
			   char *text, size_t text_len)
{
	struct ternd_builtin *b = ctx;
	char *conf = NULL;
	size_t len = 0;
	int r;

	(void)out;
	(void)ret_args;
	if (!dhcp4_args(b, args, text, text_len))
		return TERND_CTL_ERROR;
	r = tjson_write_alloc(args, TJSON_WRITE_COMPACT, CONFIG_MAX, &conf,
			      &len);
	if (r < 0) {
		snprintf(text, text_len, "configuration too large: %s",
			 strerror(-r));
		return TERND_CTL_ERROR;
	}
	r = b->config_test(b->ctx, conf, len, text, text_len);
	free(conf);
	if (r < 0)
		return TERND_CTL_ERROR;
	snprintf(text, text_len,
		 "Configuration seems sane. Control-socket, hook-libraries, "
		 "and D2 configuration were sanity checked, but not applied.");
	return TERND_CTL_SUCCESS;
}

static int fsync_dir(const char *path)
{
	char dir[PATH_MAX];
	char *slash;
	int fd, r = 0;

	snprintf(dir, sizeof(dir), "%s", path);
	slash = strrchr(dir, '/');
	if (!slash)
		snprintf(dir, sizeof(dir), ".");
	else if (slash == dir)
		dir[1] = '\0';
	else
		*slash = '\0';
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (fsync(fd) < 0)
		r = -errno;
	close(fd);
	return r;
}

long ternd_builtin_write_config(const struct tjson *v, const char *path)
{
	char tmp[PATH_MAX], *text = NULL;
	size_t len = 0, off = 0;
	int fd = -1, r;

	if (snprintf(tmp, sizeof(tmp), "%s.tmp-XXXXXX", path) >=
	    (int)sizeof(tmp))
		return -ENAMETOOLONG;
	if ((r = tjson_write_alloc(v, TJSON_WRITE_PRETTY, CONFIG_MAX, &text,
				   &len)) < 0)
		return r;
	fd = mkstemp(tmp);
	if (fd < 0) {
		r = -errno;
		goto out;
	}
	(void)fchmod(fd, 0640);
	while (off < len) {
		ssize_t k = write(fd, text + off, len - off);

		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0) {
			r = k < 0 ? -errno : -EIO;
			goto out;
		}
		off += (size_t)k;
	}
	if (fsync(fd) < 0 || close(fd) < 0) {
		r = -errno;
		fd = -1;
		goto out;
	}
	fd = -1;
	if (rename(tmp, path) < 0) {
		r = -errno;
		goto out;
	}
	tmp[0] = '\0';
	r = fsync_dir(path);
out:
	if (fd >= 0)
		close(fd);
	if (tmp[0])
		(void)unlink(tmp);
	free(text);
	return r < 0 ? r : (long)len;
}

static int cmd_config_write(void *ctx, const struct tjson *args,
			    struct tjson_doc *out, struct tjson **ret_args,
			    char *text, size_t text_len)
{
	struct ternd_builtin *b = ctx;
	const struct tjson *tree = config_tree(b);
	const char *file = NULL;
	struct tjson *o;
	long size;

	if (args) {
		const struct tjson *f = tjson_get(args, "filename");

		if (args->type != TJSON_OBJECT) {
			snprintf(text, text_len, "Argument must be a map");
			return TERND_CTL_ERROR;
		}
		if (f && f->type != TJSON_STRING) {
			snprintf(text, text_len,
				 "passed parameter 'filename' is not a string");
			return TERND_CTL_ERROR;
		}
		if (f && f->len)
			file = f->s;
	}
	if (!file)
		file = b->config_path;
	if (!file) {
		snprintf(text, text_len,
			 "Unable to determine filename.Please specify "
			 "filename explicitly.");
		return TERND_CTL_ERROR;
	}
	if (!tree) {
		snprintf(text, text_len,
			 "Error during write-config:no configuration to "
			 "write (ternd --mesh, or its file could not be "
			 "read again)");
		return TERND_CTL_ERROR;
	}
	size = ternd_builtin_write_config(tree, file);
	if (size < 0) {
		snprintf(text, text_len,
			 "Error during write-config:Unable to open file %s "
			 "for writing: %s",
			 file, strerror((int)-size));
		return TERND_CTL_ERROR;
	}
	o = tjson_new_object(out);
	tjson_add_str(out, o, "filename", file);
	tjson_add_int(out, o, "size", size);
	*ret_args = o;
	snprintf(text, text_len, "Configuration written to %s successful",
		 file);
	return TERND_CTL_SUCCESS;
}

static int cmd_shutdown(void *ctx, const struct tjson *args,
			struct tjson_doc *out, struct tjson **ret_args,
			char *text, size_t text_len)
{
	struct ternd_builtin *b = ctx;
	int exit_value = 0;

	(void)out;
	(void)ret_args;
	if (args) {
		const struct tjson *v = tjson_get(args, "exit-value");

		if (args->type != TJSON_OBJECT) {
			snprintf(text, text_len, "Argument must be a map");
			return TERND_CTL_ERROR;
		}
		if (v && !(v->type == TJSON_NUMBER && v->is_int)) {
			snprintf(text, text_len,
				 "parameter 'exit-value' is not an integer");
			return TERND_CTL_ERROR;
		}
		if (v)
			exit_value = (int)v->i;
	}
	b->shutdown(b->ctx, exit_value);
	snprintf(text, text_len, "Shutting down.");
	return TERND_CTL_SUCCESS;
}

/* Kea's "origin": user (default) or ha-partner; *ret_ha. */
static bool origin(const struct tjson *args, bool *ret_ha, char *text,
		   size_t cap)
{
	const struct tjson *o = tjson_get(args, "origin");

	*ret_ha = false;
	if (!o)
		return true;
	if (o->type != TJSON_STRING) {
		snprintf(text, cap, "'origin' argument must be a string");
		return false;
	}
	if (!strcmp(o->s, "ha-partner")) {
		*ret_ha = true;
		return true;
	}
	if (strcmp(o->s, "user") != 0) {
		snprintf(text, cap,
			 "invalid value used for 'origin' parameter: %s",
			 o->len ? o->s : "(empty string)");
		return false;
	}
	return true;
}

static int cmd_dhcp_disable(void *ctx, const struct tjson *args,
			    struct tjson_doc *out, struct tjson **ret_args,
			    char *text, size_t text_len)
{
	struct ternd_builtin *b = ctx;
	int64_t period = 0;
	bool ha = false;

	(void)out;
	(void)ret_args;
	if (args) {
		const struct tjson *p = tjson_get(args, "max-period");

		if (args->type != TJSON_OBJECT) {
			snprintf(text, text_len,
				 "arguments for the 'dhcp-disable' command "
				 "must be a map");
			return TERND_CTL_ERROR;
		}
		if (p && !(p->type == TJSON_NUMBER && p->is_int)) {
			snprintf(text, text_len,
				 "'max-period' argument must be a number");
			return TERND_CTL_ERROR;
		}
		if (p && p->i <= 0) {
			snprintf(text, text_len,
				 "'max-period' must be positive integer");
			return TERND_CTL_ERROR;
		}
		if (p)
			period = p->i;
		if (!origin(args, &ha, text, text_len))
			return TERND_CTL_ERROR;
	}
	if (ha)
		b->disabled_ha = true;
	else
		b->disabled_user = true;
	if (period) {
		b->enable_at = tern_mono_ms() / 1000 + period;
		snprintf(text, text_len,
			 "DHCPv%c service disabled for %lld seconds",
			 b->v6 ? '6' : '4', (long long)period);
	} else {
		snprintf(text, text_len, "DHCPv%c service disabled",
			 b->v6 ? '6' : '4');
	}
	return TERND_CTL_SUCCESS;
}

static int cmd_dhcp_enable(void *ctx, const struct tjson *args,
			   struct tjson_doc *out, struct tjson **ret_args,
			   char *text, size_t text_len)
{
	struct ternd_builtin *b = ctx;
	bool ha = false;

	(void)out;
	(void)ret_args;
	if (args) {
		if (args->type != TJSON_OBJECT) {
			snprintf(text, text_len,
				 "arguments for the 'dhcp-enable' command "
				 "must be a map");
			return TERND_CTL_ERROR;
		}
		if (!origin(args, &ha, text, text_len))
			return TERND_CTL_ERROR;
	}
	if (ha)
		b->disabled_ha = false;
	else
		b->disabled_user = false;
	snprintf(text, text_len, "DHCP service successfully enabled");
	return TERND_CTL_SUCCESS;
}

static int cmd_leases_reclaim(void *ctx, const struct tjson *args,
			      struct tjson_doc *out, struct tjson **ret_args,
			      char *text, size_t text_len)
{
	struct ternd_builtin *b = ctx;
	const struct tjson *rm = tjson_get(args, "remove");

	(void)out;
	(void)ret_args;
	if (!rm) {
		snprintf(text, text_len,
			 "Missing mandatory 'remove' parameter.");
		return TERND_CTL_ERROR;
	}
	if (rm->type != TJSON_BOOL) {
		snprintf(text, text_len,
			 "'remove' parameter expected to be a boolean.");
		return TERND_CTL_ERROR;
	}
	b->reclaim(b->ctx, rm->b);
	snprintf(text, text_len, "Reclamation of expired leases is complete.");
	return TERND_CTL_SUCCESS;
}

int ternd_builtin_register(struct ternd_builtin *b, struct ternd_control *c)
{
	static const struct {
		const char *name;
		ternd_ctl_fn fn;
	} cmds[] = {
		{"build-report", cmd_build_report},
		{"config-get", cmd_config_get},
		{"config-test", cmd_config_test},
		{"config-write", cmd_config_write},
		{"dhcp-disable", cmd_dhcp_disable},
		{"dhcp-enable", cmd_dhcp_enable},
		{"leases-reclaim", cmd_leases_reclaim},
		{"shutdown", cmd_shutdown},
		{"status-get", cmd_status},
		{"version-get", cmd_version},
	};
	int r;

	for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		if ((r = ternd_control_add(c, cmds[i].name, cmds[i].fn, b)) < 0)
			return r;
	return 0;
}
