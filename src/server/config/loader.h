/* ternd configuration loader, inside config/: the state of one load and the
 * helpers the readers of each section share. Not for use outside config/. */
#ifndef TERND_CONFIG_LOADER_H
#define TERND_CONFIG_LOADER_H

#include <arpa/inet.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/json.h"
#include "server/config/config.h"
#include "server/config/options.h"

/*
 * A load walks the JSON tree once: each section's reader checks its keys,
 * reports every problem with its position (ld_error_at / ld_warn_at) and
 * fills the config, which lives in the config's arena; scratch state lives
 * in ld->tmp and goes after the load. Readers never stop at the first
 * error, so one run shows the operator every problem in the file.
 */

/* Parameters that inherit global -> shared network -> subnet. */
enum param {
	P_VALID,
	P_MIN_VALID,
	P_MAX_VALID,
	P_RENEW,
	P_REBIND,
	P_CALC_TEE,
	P_T1_PERCENT,
	P_T2_PERCENT,
	P_AUTHORITATIVE,
	P_MATCH_CLIENT_ID,
	P_NEXT_SERVER,
	P_SERVER_HOSTNAME,
	P_BOOT_FILE,
	P_RES_GLOBAL,
	P_RES_IN_SUBNET,
	P_RES_OUT_OF_POOL,
	P_STORE_EXT,
	P_CACHE_THRESHOLD,
	P_CACHE_MAX_AGE,
	P_COUNT,
};

enum level {
	L_DEFAULT,
	L_GLOBAL,
	L_NETWORK,
	L_SUBNET,
};

/* The ddns-* parameters one level sets (config/ddns.c). */
enum ddns_param {
	D_SEND_UPDATES,
	D_OVERRIDE_NO_UPDATE,
	D_OVERRIDE_CLIENT_UPDATE,
	D_REPLACE_CLIENT_NAME,
	D_GENERATED_PREFIX,
	D_QUALIFYING_SUFFIX,
	D_UPDATE_ON_RENEW,
	D_USE_CONFLICT_RESOLUTION,
	D_CHAR_SET,
	D_CHAR_REPLACEMENT,
	D_COUNT,
};

struct ddns_pparams {
	uint32_t set; /* bit per enum ddns_param */
	struct ternd_ddns_params v;
};

/* The parameters one level sets, with where each was set. */
struct pparams {
	uint32_t set; /* bit per enum param */
	struct tjson_pos pos[P_COUNT];
	struct ternd_params v;
	/* reservation-mode, mapped onto the three flags (set with them) */
	const struct tjson *res_mode;
	struct ddns_pparams ddns;
};

struct subnet_tmp {
	const struct tjson *obj;
	struct tjson_pos pos;	 /* the "subnet" value, or the map */
	struct tjson_pos id_pos; /* the "id" value, or the map */
	bool has_id;
	bool ok;     /* prefix parsed; range checks are meaningful */
	int network; /* index in networks, -1 = none */
	struct pparams pp;
	size_t order;
};

struct network_tmp {
	struct pparams pp;
	struct tjson_pos pos;
};

struct loader {
	struct ternd_config *cfg;
	const struct tjson_doc *doc;	     /* the file names of positions */
	const struct ternd_config_input *in; /* NULL: a plain buffer */
	struct ternd_arena *a;		     /* the config's arena */
	struct ternd_arena *tmp;	     /* scratch, freed after the load */
	struct ternd_diags *diags;
	unsigned errors;
	bool oom;
	struct pparams global;
	struct subnet_tmp *st;	  /* parallel to cfg subnets while loading */
	uint32_t subnet6_auto_id; /* the last id given a subnet6 without */
	bool ip6_res_nonunique;	  /* Dhcp6 ip-reservations-unique false */
	struct ternd_subnet *subnets;
	size_t n_subnets;
	struct ternd_shared_network *networks;
	struct network_tmp *nt;
	size_t n_networks;
	struct ld_classes *cls;	  /* class names being indexed (classes.c) */
	struct ternd_defset defs; /* global option-def */
	/* Scratch values of the option-data list being read (one list at a
	 * time): TERND_MAX_OPTIONS of them, made once per load. */
	struct ternd_optval *optvals;
	bool pct_reported; /* a global t1/t2-percent problem, said once */
};

/* ---- diagnostics and memory (values.c) ---- */

__attribute__((format(printf, 4, 0))) void
ld_vdiag(struct loader *ld, enum ternd_diag_level level, struct tjson_pos pos,
	 const char *fmt, va_list ap);
__attribute__((format(printf, 3, 4))) void
ld_error_at(struct loader *ld, struct tjson_pos pos, const char *fmt, ...);
__attribute__((format(printf, 3, 4))) void
ld_warn_at(struct loader *ld, struct tjson_pos pos, const char *fmt, ...);
/* n zeroed objects of size bytes from arena a; NULL (reported) if out of
 * memory. */
void *ld_aalloc(struct loader *ld, struct ternd_arena *a, size_t n,
		size_t size);
/* Copy of s[0..len) in the config's arena. */
const char *ld_astr(struct loader *ld, const char *s, size_t len);

/* ---- typed values (values.c): false, with an error reported, when v is
 * not what is asked ---- */

const char *ld_a_type(const struct tjson *v);
const char *ld_name_of(const struct tjson *v);
bool ld_want_type(struct loader *ld, const struct tjson *v, enum tjson_type t,
		  const char *what);
bool ld_get_u32(struct loader *ld, const struct tjson *v, uint32_t min,
		uint32_t max, uint32_t *ret);
bool ld_get_bool(struct loader *ld, const struct tjson *v, bool *ret);
bool ld_get_str(struct loader *ld, const struct tjson *v, size_t max,
		const char **ret);
bool ld_get_addr(struct loader *ld, const struct tjson *v, uint32_t *ret);
bool ld_get_ifname(struct loader *ld, const struct tjson *v, const char **ret);
bool ld_get_seconds(struct loader *ld, const struct tjson *v, double *ret);
/* Every key a reader did not take (keys.c): where is the map's context in
 * the table of Kea's keys (kea_keys.c: "Dhcp4", "subnet4", "pool",
 * "reservation", "option-data", ...). A key Kea 2.2 does not know there is
 * a warning; a Kea key ternd does not implement is an error naming it
 * (unless its value is the one ternd does anyway); a key without effect on
 * ternd is accepted. */
void ld_other_key(struct loader *ld, const struct tjson *m, const char *where);
/* Kea's grammar over the whole tree: the JSON type of every Kea key, the
 * maps and lists Kea refuses empty, the keys it requires (keys.c). */
void ld_check_kea(struct loader *ld, const struct tjson *root);

/* Text and address helpers (no diagnostics). */
bool ld_parse_addr(const char *s, uint32_t *ret);
bool ld_parse_prefix(const char *s, uint32_t *ret_net, uint8_t *ret_len);
void ld_fmt_addr(uint32_t a, char out[INET_ADDRSTRLEN]);
uint32_t ld_mask_of(uint8_t plen);
bool ld_pos_after(struct tjson_pos a, struct tjson_pos b);

/* ---- inherited parameters (params.c) ---- */

void ld_params_defaults(struct ternd_params *p);
/* Returns true when m is one of the inherited parameters (taken). */
bool ld_parse_param(struct loader *ld, const struct tjson *m,
		    struct pparams *pp);
/*
 * Resolve levels[0..n) (global first, NULL = level unused) over the
 * defaults into out; conflicts are reported at the level that introduced
 * them, from min_level down.
 */
void ld_resolve(struct loader *ld, const struct pparams *const *levels,
		size_t n, enum level min_level, struct ternd_params *out);
/* Global parameters that do not inherit (echo-client-id, ...); true when
 * m is one of them (taken). */
bool ld_parse_global_knob(struct loader *ld, const struct tjson *m);

/* ---- ddns-* parameters and dhcp-ddns (ddns.c) ---- */

void ld_ddns_defaults(struct ternd_ddns_params *p);
/* Returns true when m is a ddns-* or hostname-char-* key (taken). */
bool ld_parse_ddns_param(struct loader *ld, const struct tjson *m,
			 struct ddns_pparams *dp);
/* The ddns parameters of levels[0..n) (as ld_resolve) over the defaults. */
void ld_resolve_ddns(struct loader *ld, const struct pparams *const *levels,
		     size_t n, struct ternd_ddns_params *out);
/* dhcp-ddns; its deprecated keys go to the global level unless set there. */
void ld_parse_dhcp_ddns(struct loader *ld, const struct tjson *obj);
/* Frees what the config's ddns parameters hold outside its arena. */
void ld_ddns_free(struct ternd_config *cfg);

/* ---- the readers of each section ---- */

/* option_data.c: an option-data list with the global option-def, or with
 * ds (a client class's own definitions, chained to the global ones). */
void ld_parse_optlist(struct loader *ld, const struct tjson *arr,
		      struct ternd_optlist *ret);
void ld_parse_optlist_defs(struct loader *ld, const struct tjson *arr,
			   const struct ternd_defset *ds,
			   struct ternd_optlist *ret);
/* option_def.c: an option-def list; each entry is checked against those
 * before it and against ret->next (set it before, for a class's list). */
void ld_parse_option_defs(struct loader *ld, const struct tjson *arr,
			  struct ternd_defset *ret);
/* The same for a Dhcp6 file: space "dhcp6" by default, codes up to 65535,
 * is_std tells Kea's standard definitions. */
void ld_parse_option_defs6(struct loader *ld, const struct tjson *arr,
			   struct ternd_defset *ret,
			   bool (*is_std)(const char *space, uint16_t code,
					  const char *name));
/* global.c */
void ld_parse_interfaces_config(struct loader *ld, const struct tjson *obj);
void ld_parse_lease_database(struct loader *ld, const struct tjson *obj);
/* lease_db_pg.c: a lease-database map of type "postgresql" */
void ld_parse_lease_database_pg(struct loader *ld, const struct tjson *obj);
void ld_parse_control_socket(struct loader *ld, const struct tjson *obj);
/* root: the Kea daemon's own logger name ("kea-dhcp4", "kea-dhcp6"). */
void ld_parse_loggers(struct loader *ld, const struct tjson *arr,
		      const char *root);
/* hooks.c: hooks-libraries; after the subnets, their legal-logging flags */
void ld_parse_hooks(struct loader *ld, const struct tjson *arr);
/* A Dhcp6 map's: lease_cmds and stat_cmds only, every other library
 * refused by name. */
void ld_parse_hooks6(struct loader *ld, const struct tjson *arr);
void ld_finish_hooks(struct loader *ld);
/* ternd_ext.c */
void ld_parse_ternd_ext(struct loader *ld, const struct tjson *uc);
/* subnets.c: network is the index of the enclosing shared network, or -1 */
void ld_parse_subnet_list(struct loader *ld, const struct tjson *arr,
			  int network);
void ld_parse_shared_network(struct loader *ld, const struct tjson *o);
void ld_finish_subnets(struct loader *ld);
/* classes.c: client-classes; client-class and require-client-classes of a
 * pool, subnet or shared network (true when m is one of them: taken);
 * the class index, after every section that names classes. */
void ld_parse_client_classes(struct loader *ld, const struct tjson *arr);
bool ld_parse_class_use(struct loader *ld, const struct tjson *m,
			struct ternd_class_use *u);
void ld_finish_classes(struct loader *ld);
/* What one family reads of a class besides name, test and
 * only-if-required (classes.c has DHCPv4's, dhcp6_classes.c DHCPv6's):
 * begin clears st for a class; key takes a member (false: not the
 * family's, other then says so), *ok false on a bad value; finish
 * resolves what the members give and returns ok, false on an error;
 * defined (may be NULL) runs once the class has index idx. */
struct ld_class_reader {
	unsigned family; /* the tests' expression family, 4 or 6 */
	void (*begin)(void *st);
	bool (*key)(struct loader *ld, const struct tjson *m,
		    struct ternd_class *k, void *st, bool *ok);
	bool (*finish)(struct loader *ld, const struct tjson *o,
		       struct ternd_class *k, void *st, bool ok);
	void (*other)(struct loader *ld, const struct tjson *m);
	void (*defined)(struct loader *ld, uint16_t idx, void *st);
};
/* client-classes with one family's reader (Kea's checks, the tests
 * compiled in rd->family, the names indexed). */
void ld_parse_classes_with(struct loader *ld, const struct tjson *arr,
			   const struct ld_class_reader *rd, void *st);
/* A lifetime triplet of a class (Kea's parseIntTriplet). */
struct ld_triplet {
	bool set;
	uint32_t def, min, max;
};
/* Which of NAME, min-NAME, max-NAME key is: 0, 1, 2, or -1. */
int ld_class_triplet_key(const char *key, const char *name);
/* t[]: the members NAME, min-NAME, max-NAME given (NULL if not), v[]
 * their values; false (reported at o or the member) when they do not
 * fit. */
bool ld_class_triplet(struct loader *ld, const struct tjson *o,
		      const char *name, const struct tjson *const t[3],
		      const uint32_t v[3], struct ld_triplet *ret);
/* The compiled expressions a config owns, freed (query.c's free). */
void ld_free_exprs(struct ternd_config *cfg);
/* reservations.c: s NULL for the global reservations */
void ld_parse_reservations(struct loader *ld, const struct tjson *arr,
			   struct ternd_subnet *s, const struct subnet_tmp *st);
void ld_parse_host_ids(struct loader *ld, const struct tjson *arr);
/* A host identifier's text as Kea reads it ('text' or hex octets) into
 * out: the length, -EINVAL (malformed) or -ENOBUFS. */
int ld_decode_host_id(const char *s, size_t len, uint8_t *out, size_t cap);

#endif
