/* ternd configuration: Kea-style Dhcp4 JSON loaded into a plain, validated C
 * struct. */
#ifndef TERND_CONFIG_H
#define TERND_CONFIG_H

#include <net/if.h>
#include <regex.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct tern_optdef;
struct ternd_config6;

/*
 * Conventions: IPv4 addresses and masks are uint32_t in HOST order (so
 * ranges compare with < and iterate with ++); convert with htonl() for the
 * wire. Strings are NUL-terminated and NULL when not configured. All memory
 * of a config belongs to it and goes with ternd_config_free().
 *
 * A config is built in a fresh struct and handed out only when the whole
 * file passed every check, so a reload that fails keeps the old config.
 *
 * Parameters inherit global -> shared network -> subnet as in Kea; the
 * inherited values are already resolved into each subnet's params. Option
 * lists are NOT merged: each level keeps its own list, and a reply walks
 * Kea's precedence list (reservation > pool > subnet > shared network >
 * classes > global; ternd_config_option() for one code).
 */

/* Limits on what a configuration may hold (bigger files are refused). */
#define TERND_MAX_SUBNETS	 4096
#define TERND_MAX_NETWORKS	 1024
#define TERND_MAX_POOLS		 256   /* per subnet */
#define TERND_MAX_RESERVATIONS	 65536 /* per subnet */
#define TERND_MAX_OPTIONS	 128   /* per option-data list */
#define TERND_MAX_OPTION_LEN	 1024  /* encoded; > 255 is split (RFC 3396) */
#define TERND_MAX_RELAYS	 32    /* relay addresses per subnet/network */
#define TERND_MAX_IFACES	 256
#define TERND_MAX_HWADDR	 16 /* chaddr size */
#define TERND_MAX_CLIENT_ID	 128
#define TERND_MAX_STRING	 255 /* hostname, file names, paths */
#define TERND_MAX_INPUT		 (16u * 1024u * 1024u) /* config file bytes */
#define TERND_DEFAULT_STORE_PATH "/var/lib/tern/ternd-leases.sqlite"
#define TERND_DEFAULT_VALID	 7200
#define TERND_DEFAULT_DECLINE	 86400
#define TERND_DEFAULT_T1_PERCENT 0.5
#define TERND_DEFAULT_T2_PERCENT 0.875
#define TERND_MAX_CLASSES	 1024 /* class names: defined, built-in, used */

/* Kea 2.2's memfile CSV when lease-database names none (Debian's build:
 * its data directory /var/lib/kea). */
#define TERND_KEA_MEMFILE4_DEFAULT "/var/lib/kea/kea-leases4.csv"

enum ternd_socket_type {
	TERND_SOCKET_RAW, /* default, as Kea */
	TERND_SOCKET_UDP,
};

enum ternd_store_type {
	TERND_STORE_SQLITE, /* ternd's embedded store ("memfile" maps here) */
	TERND_STORE_POSTGRESQL, /* a PostgreSQL database, maybe shared */
};

/* Kea's on-fail: what a lost lease database does to the service. */
enum ternd_db_on_fail {
	TERND_ON_FAIL_STOP_RETRY_EXIT,
	TERND_ON_FAIL_SERVE_RETRY_EXIT,
	TERND_ON_FAIL_SERVE_RETRY_CONTINUE,
};

/* lease-database of type postgresql (store_path then names the database
 * for logs, without the password). */
struct ternd_pg_config {
	const char *conninfo;	      /* libpq keyword=value, with password */
	uint32_t connect_timeout;     /* seconds */
	uint32_t max_reconnect_tries; /* 0: no reconnection (Kea's default) */
	uint32_t reconnect_wait_time; /* milliseconds */
	enum ternd_db_on_fail on_fail;
	/* user-context.ternd server-index / servers: this server's part of
	 * every pool to look in first (servers 0: no preference). */
	uint32_t server_index;
	uint32_t servers;
};

enum ternd_log_severity {
	TERND_LOG_FATAL,
	TERND_LOG_ERROR,
	TERND_LOG_WARN,
	TERND_LOG_INFO, /* default, as Kea */
	TERND_LOG_DEBUG,
};

/* The identifier of a host reservation (Kea's host-reservation-identifiers;
 * default order hw-address, duid, circuit-id, client-id). */
enum ternd_host_id {
	TERND_ID_HW_ADDRESS = 1, /* chaddr (htype not compared) */
	TERND_ID_CLIENT_ID = 2,	 /* option 61, type byte included */
	TERND_ID_DUID = 3,	 /* RFC 4361 DUID in option 61 of type 255 */
	TERND_ID_CIRCUIT_ID = 4, /* option 82 sub-option 1 */
	TERND_ID_FLEX_ID = 5,	 /* a value a flex-id provider computes */
};
#define TERND_HOST_ID_TYPES 5
#define TERND_MAX_HOST_ID   128 /* identifier bytes (Kea's DUID limit) */

/*
 * One option, already encoded as Kea packs it (sub-options of its
 * encapsulated space included): data holds the wire value, no code/len.
 */
struct ternd_option {
	uint8_t code;
	bool always_send; /* send even if not in the parameter request list */
	bool never_send;  /* newer Kea's never-send: the code is not sent */
	uint16_t len;
	const uint8_t *data;
};

/* An option of space "vendor-<enterprise>": a sub-option of 125. */
struct ternd_vendor_option {
	uint32_t enterprise;
	struct ternd_option o;
};

/*
 * One option-data list (one level). v holds the dhcp4 options sorted by
 * code, one per code: the last instance in the file, the one Kea's
 * CfgOption::get finds; the bitmaps (bit = code) say which codes have a
 * value, which are always-send in any instance and which are never-send.
 * vend holds the vendor options sorted by (enterprise, code), the same way.
 */
struct ternd_optlist {
	const struct ternd_option *v;
	size_t n;
	uint64_t has[4];
	uint64_t always[4];
	uint64_t never[4];
	const struct ternd_vendor_option *vend;
	size_t n_vend;
};

/* A list with nothing to say: no option, vendor option or never-send. */
static inline bool ternd_optlist_empty(const struct ternd_optlist *l)
{
	return !l->n && !l->n_vend &&
	       !(l->never[0] | l->never[1] | l->never[2] | l->never[3]);
}

static inline bool ternd_codeset_has(const uint64_t set[4], uint8_t code)
{
	return (set[code >> 6] >> (code & 63)) & 1;
}

/* ddns-replace-client-name (Kea's ReplaceClientNameMode). */
enum ternd_ddns_replace {
	TERND_DDNS_REPLACE_NEVER, /* default */
	TERND_DDNS_REPLACE_ALWAYS,
	TERND_DDNS_REPLACE_WHEN_PRESENT,
	TERND_DDNS_REPLACE_WHEN_NOT_PRESENT,
};

/*
 * Kea's ddns-* parameters and the host name sanitizer (hostname-char-set,
 * hostname-char-replacement), inherited like the others (config/ddns.c).
 * Strings are never NULL once resolved.
 */
struct ternd_ddns_params {
	bool send_updates;	       /* default true */
	bool override_no_update;       /* default false */
	bool override_client_update;   /* default false */
	bool update_on_renew;	       /* default false */
	bool use_conflict_resolution;  /* default true */
	uint8_t replace_client_name;   /* enum ternd_ddns_replace */
	const char *generated_prefix;  /* default "myhost" */
	const char *qualifying_suffix; /* default "" */
	const char *char_set;	       /* default "[^A-Za-z0-9.-]", "" = off */
	const char *char_replacement;  /* default "" */
	const regex_t *char_re;	       /* char_set compiled, NULL when "" */
};

/* Per-level parameters after inheritance. */
struct ternd_params {
	uint32_t valid_lifetime;
	uint32_t min_valid_lifetime;
	uint32_t max_valid_lifetime;
	uint32_t renew_timer;  /* T1, meaningful when has_renew_timer */
	uint32_t rebind_timer; /* T2, meaningful when has_rebind_timer */
	bool has_renew_timer;
	bool has_rebind_timer;
	bool calculate_tee_times; /* compute T1/T2 from the percents when unset
				   */
	bool authoritative;	  /* NAK requests for addresses not ours */
	bool match_client_id;	  /* client-id before chaddr for leases */
	double t1_percent;
	double t2_percent;
	uint32_t next_server; /* siaddr, 0 = none */
	const char *server_hostname;
	const char *boot_file_name;
	/* Where a client's reservation is looked for (reservation-mode or
	 * reservations-global / -in-subnet / -out-of-pool). */
	bool res_global;
	bool res_in_subnet;
	bool res_out_of_pool;	  /* reserved addresses are all outside pools */
	bool store_extended_info; /* accepted; no lease user-context kept */
	/* Lease reuse (Kea's cache-threshold, cache-max-age): unset unless
	 * has_*; see engine4/reuse.c. */
	bool has_cache_threshold;
	bool has_cache_max_age;
	double cache_threshold;
	uint32_t cache_max_age;
	struct ternd_ddns_params ddns;
};

/*
 * What a pool, subnet or shared network says about client classes:
 * client-class (only its members may use it) and require-client-classes
 * (classes evaluated late, for a lease from it). Classes are indexes into
 * ternd_config.classes. All zero: anyone, nothing required.
 */
struct ternd_class_use {
	bool restricted;
	uint16_t only;
	const uint16_t *required; /* defined classes with a test, in order */
	size_t n_required;
};

struct ternd_pool {
	uint32_t first; /* inclusive */
	uint32_t last;	/* inclusive */
	struct ternd_class_use cls;
	struct ternd_optlist options;
};

struct ternd_reservation {
	enum ternd_host_id id_type;
	uint8_t id_len;
	uint8_t id[TERND_MAX_HOST_ID]; /* the identifier's bytes */
	uint32_t addr;		       /* 0 = no address reserved */
	const char *hostname;	       /* NULL = none */
	uint32_t next_server;	       /* 0 = from the subnet */
	const char *server_hostname;   /* NULL = from the subnet */
	const char *boot_file_name;    /* NULL = from the subnet */
	struct ternd_optlist options;
	/* client-classes, for classification; names as written. */
	const char *const *classes;
	size_t n_classes;
};

/* A set of reservations (a subnet's or the global ones). */
struct ternd_hosts {
	/* Sorted by (id_type, id_len, id, file order). */
	const struct ternd_reservation *v;
	size_t n;
	/* The reservations that have an address, sorted by (address, file
	 * order); an address repeats only with ip-reservations-unique off. */
	const struct ternd_reservation *const *by_addr;
	size_t n_by_addr;
};

struct ternd_shared_network {
	const char *name;
	const char *iface; /* NULL = none */
	const uint32_t *relays;
	size_t n_relays;
	struct ternd_optlist options;
	struct ternd_class_use cls;
};

struct ternd_subnet {
	uint32_t id;
	uint32_t network; /* host bits zero */
	uint32_t mask;
	uint8_t prefix_len;
	const char *iface; /* NULL = not bound to an interface */
	const uint32_t *relays;
	size_t n_relays;
	const struct ternd_pool *pools; /* sorted, disjoint */
	size_t n_pools;
	/* Sorted by (id_type, id_len, id) for ternd_subnet_find_host(). */
	const struct ternd_reservation *reservations;
	size_t n_reservations;
	/* The reservations that have an address, sorted by address. */
	const struct ternd_reservation *const *res_by_addr;
	size_t n_res_by_addr;
	const struct ternd_shared_network *network_of; /* NULL = none */
	struct ternd_params params;
	struct ternd_optlist options;
	struct ternd_class_use cls;
};

struct ternd_iface {
	char name[IF_NAMESIZE]; /* "*" = every interface */
	uint32_t addr;		/* from "name/addr", 0 = any */
};

/*
 * Mesh mode from Dhcp4 / user-context / ternd / mesh (docs/mesh.md):
 * checked for types and ranges here, turned into the node's settings by
 * ternd_mesh_opts_from_config(); command-line flags win over it.
 */
#define TERND_MESH_CFG_MAX_OPTS 32
struct ternd_config_mesh {
	bool present;
	uint32_t network; /* host order */
	uint8_t prefix_len;
	const char *server_iface; /* NULL = not set */
	const char *client_iface;
	const char *hook;
	const char *node_id;
	const char *state_dir;
	int32_t block_pow;    /* -1 = not set */
	int32_t spare_leases; /* -1 = not set */
	double tentative;     /* seconds, < 0 = not set */
	double block_timeout;
	double needless;
	int8_t learning;			      /* -1 = not set, 0, 1 */
	const char *options[TERND_MESH_CFG_MAX_OPTS]; /* "CODE:LEN:B1.B2..." */
	size_t n_options;
};

/*
 * Client classification (docs/config.md, "Client classes"): every class
 * name the configuration uses gets an index, a bit in a packet's class
 * set. The defined classes (client-classes) carry a compiled test and
 * what membership gives; the others are built-ins (ALL, KNOWN, ...) and
 * names used by member(), client-class or require-client-classes.
 */
struct ternd_expr;
struct ternd_expr_batch;
struct ternd_expr_owned;

struct ternd_class {
	const char *name;
	bool defined;		       /* in client-classes */
	const struct ternd_expr *test; /* NULL: no test */
	bool only_if_required;
	bool depends_known; /* the test uses KNOWN/UNKNOWN, maybe indirectly */
	struct ternd_optlist options;
	uint32_t next_server;	     /* 0 = not set */
	const char *server_hostname; /* NULL = not set */
	const char *boot_file_name;  /* NULL = not set */
	bool has_valid;		     /* the valid-lifetime triplet is set */
	uint32_t valid_lifetime;
	uint32_t min_valid_lifetime;
	uint32_t max_valid_lifetime;
};

#define TERND_CLASS_GIVES_OPTIONS  0x1u
#define TERND_CLASS_GIVES_FIELDS   0x2u
#define TERND_CLASS_GIVES_LIFETIME 0x4u

struct ternd_classes {
	const struct ternd_class *v; /* every name, by index */
	size_t n;
	const uint16_t *defs; /* the defined classes, in file order */
	size_t n_defs;
	/* The classes each pass tests (in file order): [0] those not
	 * depending on KNOWN, [1] those that do; not only-if-required. */
	const uint16_t *pass[2];
	size_t n_pass[2];
	/* By index: what membership gives (TERND_CLASS_GIVES_*), so a
	 * request whose classes give nothing skips looking. */
	const uint8_t *gives;
	/* The tests, by index, as one batch (the common shapes decided
	 * together per packet: docs/classify.md). */
	struct ternd_expr_batch *batch;
	const uint16_t *by_name; /* indexes sorted by name */
	const uint16_t *vendor;	 /* names "VENDOR_CLASS_...", by name */
	size_t n_vendor;
	/* the built-ins and DROP, always indexed */
	uint16_t all, known, unknown, bootp, drop;
	/* Whether classification can change an answer at all: a class is
	 * defined or a subnet, network or pool names one. */
	bool used;
	bool restricts; /* a subnet, network or pool has a client-class */
};

/*
 * Kea's hook libraries ternd has built in, configured by the
 * hooks-libraries entries that name them (the file name, at any path:
 * "libdhcp_run_script.so"); docs/config.md, "Hook libraries".
 */
struct ternd_expr; /* server/classify/expr.h */

enum ternd_legal_unit {
	TERND_LEGAL_SECOND,
	TERND_LEGAL_DAY, /* Kea's default */
	TERND_LEGAL_MONTH,
	TERND_LEGAL_YEAR,
};

struct ternd_config_hooks {
	bool lease_cmds; /* control commands: the control API's */
	bool stat_cmds;
	bool bootp; /* serve BOOTP (no option 53) as Kea's hook */
	/* libdhcp_run_script.so: the script, NULL = not loaded. */
	const char *run_script;
	bool run_script_sync; /* Kea's "sync", accepted; 2.2 never waits */
	/* libdhcp_flex_id.so */
	bool flex_id;
	const char *flex_id_expr; /* identifier-expression, as written */
	/* ... compiled (a string expression), NULL when empty; freed with
	 * the config */
	struct ternd_expr *flex_id_x;
	bool flex_id_replace_client_id;
	/* libdhcp_legal_log.so (text file backend) */
	bool legal_log;
	const char *legal_path;	     /* directory */
	const char *legal_base_name; /* file NAME.CCYYMMDD.txt */
	enum ternd_legal_unit legal_unit;
	uint32_t legal_count;	      /* units per file, 0 = never rotate */
	const char *legal_prerotate;  /* NULL = none */
	const char *legal_postrotate; /* NULL = none */
	const char *legal_timestamp;  /* strftime format, %Q = ms.us */
	/* request-parser-format / response-parser-format, compiled; NULL =
	 * none (Kea's default entry); freed with the config */
	struct ternd_expr *legal_request_x;
	struct ternd_expr *legal_response_x;
	/* Subnets whose user-context says "legal-logging": false, sorted. */
	const uint32_t *legal_off;
	size_t n_legal_off;
};

/*
 * dhcp-ddns: where name change requests go (kea-dhcp-ddns), Kea's
 * D2ClientConfig. Addresses in network order; family AF_INET or AF_INET6.
 */
struct ternd_config_ddns {
	bool enable_updates; /* default false */
	int server_family;
	uint8_t server_ip[16]; /* default 127.0.0.1 */
	uint16_t server_port;  /* default 53001 */
	int sender_family;
	uint8_t sender_ip[16];	 /* default the unspecified address */
	uint16_t sender_port;	 /* default 0: any */
	uint32_t max_queue_size; /* default 1024 */
};

struct ternd_ddns_regex; /* compiled hostname-char-sets (config/ddns.c) */

struct ternd_config {
	struct ternd_arena *arena;	  /* owns everything below */
	struct ternd_ddns_regex *regexes; /* and these, freed with it */
	struct ternd_expr_owned *exprs;	  /* compiled expressions to free */

	const struct ternd_iface *ifaces;
	size_t n_ifaces;
	enum ternd_socket_type socket_type;
	/* outbound-interface "use-routing" with udp sockets: replies to
	 * relays leave by the routing table (Kea ignores it with raw ones). */
	bool outbound_use_routing;
	/* compatibility.lenient-option-parsing (Kea 2.2: an option 124 tuple
	 * running past the option is read to its end instead of making the
	 * packet unreadable; engine4 and classify). */
	bool lenient_option_parsing;
	/* service-sockets-max-retries and -retry-wait-time (ms): opening
	 * the sockets again at start-up (net/open_retry.c). */
	uint32_t socket_max_retries;
	uint32_t socket_retry_wait_ms;

	enum ternd_store_type store_type;
	const char *store_path;
	/* Kea's memfile CSV that store_path sits beside; NULL if none. */
	const char *store_csv_path;
	bool store_persist; /* Kea's persist: false = keep leases in memory */
	uint32_t lfc_interval; /* accepted for Kea compatibility, unused */
	struct ternd_pg_config store_pg; /* store_type POSTGRESQL */

	struct ternd_params global;
	uint32_t decline_probation_period;
	uint32_t offer_lifetime; /* 0 = offers do not reserve the address */
	/* statistic-default-sample-count and -age (seconds), as written
	 * (Kea takes the count as a uint32: 0 limits by age instead) */
	bool stats_sample_count_set;
	int64_t stats_sample_count;
	int64_t stats_sample_age;
	enum ternd_host_id host_ids[TERND_HOST_ID_TYPES];
	size_t n_host_ids;
	struct ternd_optlist options; /* global option-data */
	/* Global option-def, in file order (struct tern_optdef from
	 * common/optdefs.h; NULL/0 when none). */
	const struct tern_optdef *option_defs;
	size_t n_option_defs;
	struct ternd_hosts global_hosts;       /* Dhcp4 "reservations" */
	bool echo_client_id;		       /* RFC 6842, default true */
	bool ip_reservations_unique;	       /* default true */
	bool early_global_reservations_lookup; /* accepted, no effect */
	struct ternd_config_ddns ddns;

	const struct ternd_shared_network *networks;
	size_t n_networks;
	const struct ternd_subnet *subnets; /* sorted by network, disjoint */
	size_t n_subnets;
	struct ternd_classes classes;

	const char *control_socket; /* unix socket path, NULL = none */
	enum ternd_log_severity log_severity;
	uint32_t log_debuglevel; /* 0..99 as Kea, with TERND_LOG_DEBUG */
	const char *log_output;	 /* "stdout", "stderr", "syslog[:name]", path */

	/* ternd extensions (Dhcp4 / user-context / ternd) */
	const char *user;  /* drop privileges to this user, NULL = stay */
	const char *group; /* and this group, NULL = user's group */
	struct ternd_config_mesh mesh;
	/* Dhcp4.user-context.ternd.metrics: the Prometheus endpoint
	 * (docs/metrics.md); host is an IPv4 or IPv6 address */
	struct ternd_config_metrics {
		bool enabled;
		const char *host;
		uint16_t port;
	} metrics;
	struct ternd_config_hooks hooks;
	/* A Dhcp6 file: the DHCPv6 model (config6.h); NULL for Dhcp4. */
	const struct ternd_config6 *v6;
};

/* Diagnostics: every error and warning with its position in the file. */
enum ternd_diag_level {
	TERND_DIAG_ERROR,
	TERND_DIAG_WARNING,
};

struct ternd_diag {
	enum ternd_diag_level level;
	uint32_t line; /* 0 when the problem has no position (e.g. I/O) */
	uint32_t col;
	uint32_t off; /* order in the input, included files spliced in */
	char msg[240];
	/* In a file the configuration includes (<?include "file"?>): its
	 * name, and "included from main.json:7:20"; else both "". */
	char file[256];
	char from[256];
};

#define TERND_DIAG_MAX 64

struct ternd_diags {
	struct ternd_diag v[TERND_DIAG_MAX];
	size_t n;
	unsigned errors;
	unsigned warnings;
	unsigned dropped; /* past TERND_DIAG_MAX */
};

/*
 * Load a configuration from a file or a buffer. On success (0) *ret_cfg is
 * a new config; on failure *ret_cfg is untouched. diags (may be NULL)
 * receives the errors and warnings either way. The text is Kea's dialect
 * (docs/config.md): an <?include "file"?> opens "file" relative to the
 * working directory, as kea-dhcp4 does.
 * Returns 0, -EBADMSG (the file has errors, see diags), -E2BIG (the JSON
 * exceeds a reader limit, or the file is over TERND_MAX_INPUT), -ENOMEM,
 * -EINVAL, or the -errno of reading the file.
 */
int ternd_config_load_file(const char *path, struct ternd_config **ret_cfg,
			   struct ternd_diags *diags);
int ternd_config_load_buf(const char *buf, size_t len,
			  struct ternd_config **ret_cfg,
			  struct ternd_diags *diags);
/* The text of a configuration with where it comes from: its name (for
 * messages and include chains; NULL: "<string>") and what reads the files
 * it includes (NULL: the file system, as Kea; tests and fuzzers read them
 * from memory). read_include returns 0 and a malloc'ed text, or -errno
 * (-EFBIG over max bytes). */
struct ternd_config_input {
	const char *name;
	int (*read_include)(void *arg, const char *name, size_t max,
			    char **ret_text, size_t *ret_len);
	void *arg;
};
int ternd_config_load_input(const char *buf, size_t len,
			    const struct ternd_config_input *in,
			    struct ternd_config **ret_cfg,
			    struct ternd_diags *diags);
/* The same from a tree already parsed (config-set's arguments: the
 * positions are those of the request's text); root is {"Dhcp4": {...}}
 * and must outlive the load only (the config copies what it keeps). */
struct tjson;
int ternd_config_load_tree(const struct tjson *root,
			   struct ternd_config **ret_cfg,
			   struct ternd_diags *diags);
void ternd_config_free(struct ternd_config *cfg);

/* "FILE:LINE:COL: error: msg" lines, as compilers and kea-dhcp4 -t do; a
 * problem in an included file names that file and where it was included
 * from. */
void ternd_diags_print(FILE *out, const char *file,
		       const struct ternd_diags *diags);

/* Lookups for the allocation engine; all return NULL when not found. */
const struct ternd_subnet *
ternd_config_subnet_by_id(const struct ternd_config *cfg, uint32_t id);
/* The subnet whose prefix holds addr (host order). */
const struct ternd_subnet *
ternd_config_subnet_for_addr(const struct ternd_config *cfg, uint32_t addr);
/* A subnet's reservations as a set. */
static inline struct ternd_hosts
ternd_subnet_hosts(const struct ternd_subnet *s)
{
	struct ternd_hosts h = {s->reservations, s->n_reservations,
				s->res_by_addr, s->n_res_by_addr};

	return h;
}
/* The reservation with this identifier in a set, NULL if none. */
const struct ternd_reservation *ternd_hosts_find(const struct ternd_hosts *h,
						 enum ternd_host_id type,
						 const uint8_t *id, size_t len);
/* The reservations of an address (host order) in a set: how many, with the
 * first in *ret (more than one only with ip-reservations-unique off). */
size_t ternd_hosts_at(const struct ternd_hosts *h, uint32_t addr,
		      const struct ternd_reservation *const **ret);
/* The reservation for a hw address or client-id in a subnet. */
const struct ternd_reservation *
ternd_subnet_find_host(const struct ternd_subnet *s, enum ternd_host_id type,
		       const uint8_t *id, size_t len);
/* The reservation of an address (host order) in a subnet. */
const struct ternd_reservation *
ternd_subnet_find_addr(const struct ternd_subnet *s, uint32_t addr);
/* A class name's index (see struct ternd_classes), -1 if the
 * configuration never names it. */
int32_t ternd_config_class_find(const struct ternd_config *cfg,
				const char *name, size_t len);
/* The index of "VENDOR_CLASS_" followed by the len bytes of v, or -1. */
int32_t ternd_config_vendor_class(const struct ternd_config *cfg,
				  const uint8_t *v, size_t len);

/*
 * A packet's classes, for both engines (config/class_set.c): indexes in a
 * bit set and in the order they joined (Kea's ClientClasses), and what
 * the members give (TERND_CLASS_GIVES_* of gives_of, ORed).
 */
struct ternd_class_set {
	uint64_t set[TERND_MAX_CLASSES / 64];
	uint16_t order[TERND_MAX_CLASSES];
	uint16_t n;
	uint16_t words;		 /* of set, in use */
	uint8_t gives;		 /* TERND_CLASS_GIVES_* of the classes in it */
	const uint8_t *gives_of; /* by class, NULL: nothing */
};
/* Empty, for a configuration of n_classes names. */
void ternd_class_set_clear(struct ternd_class_set *s, size_t n_classes,
			   const uint8_t *gives_of);
static inline bool ternd_class_set_has(const struct ternd_class_set *s,
				       uint16_t i)
{
	return (s->set[i >> 6] >> (i & 63)) & 1;
}
/* Kea's addClass: a class joins once, at the end of the order. */
void ternd_class_set_add(struct ternd_class_set *s, uint16_t i);
/* Kea's setReservedClientClasses: a host's class names (one the
 * configuration never names has no index and changes nothing). */
void ternd_class_set_add_names(struct ternd_class_set *s,
			       const struct ternd_config *cfg,
			       const char *const *names, size_t n);
/* Kea's removeDependentEvaluatedClasses: every class with a test
 * leaves (it is evaluated again). */
void ternd_class_set_remove_tested(struct ternd_class_set *s,
				   const struct ternd_config *cfg);
/* requiredClassify's list: u's required classes appended to list[0..*n)
 * unless already there. */
void ternd_class_use_required(const struct ternd_class_use *u, uint16_t *list,
			      size_t *n);
/* The option in one list, NULL if absent (or only never-send). */
const struct ternd_option *ternd_optlist_find(const struct ternd_optlist *l,
					      uint8_t code);
/* The vendor option (enterprise, code) in one list, NULL if absent. */
const struct ternd_option *
ternd_optlist_find_vendor(const struct ternd_optlist *l, uint32_t enterprise,
			  uint8_t code);
/*
 * Kea's precedence list for a client without classes: reservation, pool
 * (of addr, host order; 0 = none), subnet, shared network, global; unused
 * levels skipped. Returns how many of max were stored in out. Client
 * classes go between the shared network and the global level.
 */
size_t ternd_config_levels(const struct ternd_config *cfg,
			   const struct ternd_subnet *subnet,
			   const struct ternd_reservation *res, uint32_t addr,
			   const struct ternd_optlist **out, size_t max);
/* The pool of subnet holding addr (host order), NULL if none. */
const struct ternd_pool *ternd_subnet_find_pool(const struct ternd_subnet *s,
						uint32_t addr);
/*
 * The value Kea sends for code: the first level of levels[0..n) having
 * it; NULL when none has it or a level says never-send.
 */
const struct ternd_option *
ternd_levels_option(const struct ternd_optlist *const *levels, size_t n,
		    uint8_t code);
/* ternd_levels_option() over ternd_config_levels() (no pool). */
const struct ternd_option *
ternd_config_option(const struct ternd_config *cfg,
		    const struct ternd_subnet *subnet,
		    const struct ternd_reservation *res, uint8_t code);
/*
 * Whether addr (host order) is configured as option 54 anywhere Kea looks
 * when it accepts a client's server identifier: a subnet, a shared
 * network or the global level.
 */
bool ternd_config_is_server_id(const struct ternd_config *cfg, uint32_t addr);

#endif
