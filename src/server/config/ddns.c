/* ternd DDNS configuration: dhcp-ddns (where name change requests go) and
 * the inherited ddns-* and hostname-char-* parameters, as kea-dhcp4 2.2. */
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>

#include "common/arena.h"
#include "server/config/loader.h"

/* Kea's StringSanitizer refuses longer char sets and replacements. */
#define SANITIZER_MAX 4096
/* A name part: a DNS name is at most 255 bytes. */
#define NAME_PART_MAX 255

/* A compiled hostname-char-set, freed with the config. */
struct ternd_ddns_regex {
	regex_t re;
	bool is_default;
	struct ternd_ddns_regex *next;
};

static const char default_char_set[] = "[^A-Za-z0-9.-]";

/* Each parameter's key and, for the ones dhcp-ddns used to hold, its old
 * name there (Kea moves those to the global level). */
static const struct {
	const char *key;
	const char *old_key;
} ddns_keys[D_COUNT] = {
	[D_SEND_UPDATES] = {"ddns-send-updates", NULL},
	[D_OVERRIDE_NO_UPDATE] = {"ddns-override-no-update",
				  "override-no-update"},
	[D_OVERRIDE_CLIENT_UPDATE] = {"ddns-override-client-update",
				      "override-client-update"},
	[D_REPLACE_CLIENT_NAME] = {"ddns-replace-client-name",
				   "replace-client-name"},
	[D_GENERATED_PREFIX] = {"ddns-generated-prefix", "generated-prefix"},
	[D_QUALIFYING_SUFFIX] = {"ddns-qualifying-suffix", "qualifying-suffix"},
	[D_UPDATE_ON_RENEW] = {"ddns-update-on-renew", NULL},
	[D_USE_CONFLICT_RESOLUTION] = {"ddns-use-conflict-resolution", NULL},
	[D_CHAR_SET] = {"hostname-char-set", "hostname-char-set"},
	[D_CHAR_REPLACEMENT] = {"hostname-char-replacement",
				"hostname-char-replacement"},
};

static const char *const replace_modes[] = {
	[TERND_DDNS_REPLACE_NEVER] = "never",
	[TERND_DDNS_REPLACE_ALWAYS] = "always",
	[TERND_DDNS_REPLACE_WHEN_PRESENT] = "when-present",
	[TERND_DDNS_REPLACE_WHEN_NOT_PRESENT] = "when-not-present",
};

void ld_ddns_defaults(struct ternd_ddns_params *p)
{
	memset(p, 0, sizeof(*p));
	p->send_updates = true;
	p->use_conflict_resolution = true;
	p->replace_client_name = TERND_DDNS_REPLACE_NEVER;
	p->generated_prefix = "myhost";
	p->qualifying_suffix = "";
	p->char_set = default_char_set;
	p->char_replacement = "";
	/* char_re: compiled per config in ld_resolve_ddns(). */
}

void ld_ddns_free(struct ternd_config *cfg)
{
	for (struct ternd_ddns_regex *r = cfg->regexes; r; r = r->next)
		regfree(&r->re);
	cfg->regexes = NULL;
}

/* A string of 0..max bytes (Kea accepts "" for these), in the config. */
static bool get_text(struct loader *ld, const struct tjson *v, size_t max,
		     const char **ret)
{
	const char *s;

	if (!ld_want_type(ld, v, TJSON_STRING, "a string"))
		return false;
	if (v->len > max || strlen(v->s) != v->len) {
		ld_error_at(ld, v->pos,
			    "\"%s\" must be at most %zu characters, without "
			    "NUL",
			    ld_name_of(v), max);
		return false;
	}
	if (!(s = ld_astr(ld, v->s, v->len)))
		return false;
	*ret = s;
	return true;
}

static const regex_t *compile(struct loader *ld, const char *set,
			      bool is_default, struct tjson_pos pos)
{
	struct ternd_ddns_regex *r;
	char err[160];
	int rc;

	r = ld_aalloc(ld, ld->a, 1, sizeof(*r));
	if (!r)
		return NULL;
	rc = regcomp(&r->re, set, REG_EXTENDED);
	if (rc != 0) {
		regerror(rc, &r->re, err, sizeof(err));
		ld_error_at(ld, pos,
			    "\"hostname-char-set\": \"%s\" is not a valid "
			    "regular expression: %s",
			    set, err);
		return NULL;
	}
	r->is_default = is_default;
	r->next = ld->cfg->regexes;
	ld->cfg->regexes = r;
	return &r->re;
}

static bool parse_one(struct loader *ld, const struct tjson *m, int d,
		      struct ddns_pparams *dp)
{
	struct ternd_ddns_params *v = &dp->v;
	const char *s;
	bool ok = false;

	switch (d) {
	case D_SEND_UPDATES:
		ok = ld_get_bool(ld, m, &v->send_updates);
		break;
	case D_OVERRIDE_NO_UPDATE:
		ok = ld_get_bool(ld, m, &v->override_no_update);
		break;
	case D_OVERRIDE_CLIENT_UPDATE:
		ok = ld_get_bool(ld, m, &v->override_client_update);
		break;
	case D_UPDATE_ON_RENEW:
		ok = ld_get_bool(ld, m, &v->update_on_renew);
		break;
	case D_USE_CONFLICT_RESOLUTION:
		ok = ld_get_bool(ld, m, &v->use_conflict_resolution);
		break;
	case D_REPLACE_CLIENT_NAME:
		if (!ld_want_type(ld, m, TJSON_STRING,
				  "\"never\", \"always\", \"when-present\" or "
				  "\"when-not-present\""))
			break;
		for (size_t i = 0;
		     i < sizeof(replace_modes) / sizeof(replace_modes[0]); i++)
			if (strcasecmp(m->s, replace_modes[i]) ==
			    0) { /* as Kea: any case */
				v->replace_client_name = (uint8_t)i;
				ok = true;
			}
		if (!ok)
			ld_error_at(ld, m->pos,
				    "\"%s\": \"%s\" is not one of \"never\", "
				    "\"always\", \"when-present\", "
				    "\"when-not-present\"",
				    m->key, m->s);
		break;
	case D_GENERATED_PREFIX:
		ok = get_text(ld, m, NAME_PART_MAX, &v->generated_prefix);
		break;
	case D_QUALIFYING_SUFFIX:
		ok = get_text(ld, m, NAME_PART_MAX, &v->qualifying_suffix);
		break;
	case D_CHAR_SET:
		if (!get_text(ld, m, SANITIZER_MAX, &s))
			break;
		v->char_set = s;
		v->char_re = s[0] ? compile(ld, s, false, m->pos) : NULL;
		ok = !s[0] || v->char_re;
		break;
	case D_CHAR_REPLACEMENT:
		ok = get_text(ld, m, SANITIZER_MAX, &v->char_replacement);
		break;
	default:
		break;
	}
	if (ok)
		dp->set |= 1u << d;
	return ok;
}

bool ld_parse_ddns_param(struct loader *ld, const struct tjson *m,
			 struct ddns_pparams *dp)
{
	for (int d = 0; d < D_COUNT; d++)
		if (strcmp(m->key, ddns_keys[d].key) == 0) {
			parse_one(ld, m, d, dp);
			return true;
		}
	return false;
}

static void apply(struct ternd_ddns_params *r, const struct ddns_pparams *dp)
{
	const struct ternd_ddns_params *s = &dp->v;

	for (int d = 0; d < D_COUNT; d++) {
		if (!(dp->set & (1u << d)))
			continue;
		switch (d) {
		case D_SEND_UPDATES:
			r->send_updates = s->send_updates;
			break;
		case D_OVERRIDE_NO_UPDATE:
			r->override_no_update = s->override_no_update;
			break;
		case D_OVERRIDE_CLIENT_UPDATE:
			r->override_client_update = s->override_client_update;
			break;
		case D_REPLACE_CLIENT_NAME:
			r->replace_client_name = s->replace_client_name;
			break;
		case D_GENERATED_PREFIX:
			r->generated_prefix = s->generated_prefix;
			break;
		case D_QUALIFYING_SUFFIX:
			r->qualifying_suffix = s->qualifying_suffix;
			break;
		case D_UPDATE_ON_RENEW:
			r->update_on_renew = s->update_on_renew;
			break;
		case D_USE_CONFLICT_RESOLUTION:
			r->use_conflict_resolution = s->use_conflict_resolution;
			break;
		case D_CHAR_SET:
			r->char_set = s->char_set;
			r->char_re = s->char_re;
			break;
		case D_CHAR_REPLACEMENT:
			r->char_replacement = s->char_replacement;
			break;
		default:
			break;
		}
	}
}

void ld_resolve_ddns(struct loader *ld, const struct pparams *const *levels,
		     size_t n, struct ternd_ddns_params *out)
{
	struct ternd_ddns_params r;

	ld_ddns_defaults(&r);
	for (size_t i = 0; i < n; i++)
		if (levels[i])
			apply(&r, &levels[i]->ddns);
	if (r.char_set == default_char_set) {
		/* The default set, compiled once per config. */
		for (struct ternd_ddns_regex *x = ld->cfg->regexes; x;
		     x = x->next)
			if (x->is_default)
				r.char_re = &x->re;
		if (!r.char_re)
			r.char_re = compile(ld, default_char_set, true,
					    (struct tjson_pos){0});
	}
	*out = r;
}

/* ---- dhcp-ddns ------------------------------------------------------- */

static bool get_ip(struct loader *ld, const struct tjson *v, int *ret_family,
		   uint8_t ret_ip[16])
{
	uint8_t a[16] = {0};

	if (!ld_want_type(ld, v, TJSON_STRING, "an IP address string"))
		return false;
	if (inet_pton(AF_INET, v->s, a) == 1) {
		*ret_family = AF_INET;
	} else if (inet_pton(AF_INET6, v->s, a) == 1) {
		*ret_family = AF_INET6;
	} else {
		ld_error_at(ld, v->pos, "\"%s\": \"%s\" is not an IP address",
			    v->key, v->s);
		return false;
	}
	memcpy(ret_ip, a, 16);
	return true;
}

static bool get_port(struct loader *ld, const struct tjson *v, uint32_t min,
		     uint16_t *ret)
{
	uint32_t p;

	if (!ld_get_u32(ld, v, min, 65535, &p))
		return false;
	*ret = (uint16_t)p;
	return true;
}

static void want_word(struct loader *ld, const struct tjson *v,
		      const char *word)
{
	if (!ld_want_type(ld, v, TJSON_STRING, "a string"))
		return;
	/* Kea reads these two words in any case ("udp", "Json"). */
	if (strcasecmp(v->s, word) != 0)
		ld_error_at(ld, v->pos,
			    "\"%s\": \"%s\" is not supported (only \"%s\", as "
			    "in Kea)",
			    v->key, v->s, word);
}

/* A key dhcp-ddns used to hold: Kea takes it as the global ddns-* one
 * unless the global level sets that itself. */
static bool moved_key(struct loader *ld, const struct tjson *m)
{
	struct ddns_pparams tmp = {0};
	struct ddns_pparams *g = &ld->global.ddns;

	for (int d = 0; d < D_COUNT; d++) {
		if (!ddns_keys[d].old_key ||
		    strcmp(m->key, ddns_keys[d].old_key) != 0)
			continue;
		tmp.v = g->v;
		if (!parse_one(ld, m, d, &tmp))
			return true;
		ld_warn_at(ld, m->kpos,
			   "\"%s\" in dhcp-ddns is deprecated: it is taken as "
			   "the global \"%s\"%s",
			   m->key, ddns_keys[d].key,
			   (g->set & (1u << d)) ? ", which is set and wins"
						: "");
		/* A global value set before or after wins, as in Kea. */
		if (!(g->set & (1u << d))) {
			struct ddns_pparams one = {1u << d, tmp.v};

			apply(&g->v, &one);
			g->set |= 1u << d;
		}
		return true;
	}
	return false;
}

void ld_parse_dhcp_ddns(struct loader *ld, const struct tjson *obj)
{
	struct ternd_config_ddns *c = &ld->cfg->ddns;
	const struct tjson *enable = NULL, *sender_ip = NULL;
	bool sender_set = false;

	memset(c, 0, sizeof(*c));
	c->server_family = AF_INET;
	c->server_ip[0] = 127;
	c->server_ip[3] = 1;
	c->server_port = 53001;
	c->max_queue_size = 1024;
	if (!ld_want_type(ld, obj, TJSON_OBJECT, "a map"))
		return;
	for (const struct tjson *m = obj->child; m; m = m->next) {
		if (strcmp(m->key, "enable-updates") == 0) {
			enable = m;
			ld_get_bool(ld, m, &c->enable_updates);
		} else if (strcmp(m->key, "server-ip") == 0) {
			get_ip(ld, m, &c->server_family, c->server_ip);
		} else if (strcmp(m->key, "server-port") == 0) {
			get_port(ld, m, 1, &c->server_port);
		} else if (strcmp(m->key, "sender-ip") == 0) {
			sender_ip = m;
			/* "" is Kea's default: any address. */
			if (m->type == TJSON_STRING && m->len == 0)
				continue;
			sender_set =
				get_ip(ld, m, &c->sender_family, c->sender_ip);
		} else if (strcmp(m->key, "sender-port") == 0) {
			get_port(ld, m, 0, &c->sender_port);
		} else if (strcmp(m->key, "max-queue-size") == 0) {
			ld_get_u32(ld, m, 1, UINT32_MAX, &c->max_queue_size);
		} else if (strcmp(m->key, "ncr-protocol") == 0) {
			want_word(ld, m, "UDP");
		} else if (strcmp(m->key, "ncr-format") == 0) {
			want_word(ld, m, "JSON");
		} else if (!moved_key(ld, m)) {
			ld_other_key(ld, m, "dhcp-ddns");
		}
	}
	if (!enable)
		ld_error_at(ld, obj->pos,
			    "dhcp-ddns needs \"enable-updates\" (as in Kea)");
	if (!sender_set) {
		c->sender_family = c->server_family;
		memset(c->sender_ip, 0, sizeof(c->sender_ip));
		return;
	}
	if (c->sender_family != c->server_family) {
		ld_error_at(ld, sender_ip->pos,
			    "dhcp-ddns: \"sender-ip\" and \"server-ip\" are "
			    "not of the same address family");
		return;
	}
	if (memcmp(c->sender_ip, c->server_ip, 16) == 0 &&
	    c->sender_port == c->server_port)
		ld_error_at(ld, sender_ip->pos,
			    "dhcp-ddns: server and sender cannot share the "
			    "same address and port");
}
