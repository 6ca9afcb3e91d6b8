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
	P_COUNT,
};

enum level {
	L_DEFAULT,
	L_GLOBAL,
	L_NETWORK,
	L_SUBNET,
};

/* The parameters one level sets, with where each was set. */
struct pparams {
	uint32_t set; /* bit per enum param */
	struct tjson_pos pos[P_COUNT];
	struct ternd_params v;
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
	struct ternd_arena *a;	 /* the config's arena */
	struct ternd_arena *tmp; /* scratch, freed after the load */
	struct ternd_diags *diags;
	unsigned errors;
	bool oom;
	struct pparams global;
	struct subnet_tmp *st; /* parallel to cfg subnets while loading */
	struct ternd_subnet *subnets;
	size_t n_subnets;
	struct ternd_shared_network *networks;
	struct network_tmp *nt;
	size_t n_networks;
	struct ld_classes *cls; /* class names being indexed (classes.c) */
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
/* Every key a reader did not take: ignored with a warning, or an error for
 * keys ternd cannot honour. */
void ld_other_key(struct loader *ld, const struct tjson *m, const char *where);

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

/* ---- the readers of each section ---- */

/* option_data.c */
void ld_parse_optlist(struct loader *ld, const struct tjson *arr,
		      struct ternd_optlist *ret);
/* global.c */
void ld_parse_interfaces_config(struct loader *ld, const struct tjson *obj);
void ld_parse_lease_database(struct loader *ld, const struct tjson *obj);
void ld_parse_control_socket(struct loader *ld, const struct tjson *obj);
void ld_parse_loggers(struct loader *ld, const struct tjson *arr);
void ld_parse_host_ids(struct loader *ld, const struct tjson *arr);
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
/* The compiled expressions a config owns, freed (query.c's free). */
void ld_free_exprs(struct ternd_config *cfg);
/* reservations.c */
void ld_parse_reservations(struct loader *ld, const struct tjson *arr,
			   struct ternd_subnet *s, const struct subnet_tmp *st);

#endif
