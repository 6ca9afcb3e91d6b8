/* ternd configuration keys: the table of every key kea-dhcp4 2.2 accepts,
 * per map, its type, and what ternd does with it (docs/config.md, "Kea's
 * keys"). Source: K:src/bin/dhcp4/dhcp4_parser.yy at Kea-2.2.0, the
 * *_param rules; defaults from K:src/lib/dhcpsrv/parsers/simple_parser4.cc. */
#include <stddef.h>
#include <stdint.h>

#include "server/config/keys.h"

#define K(n, t, st, ...)                                              \
	{                                                             \
		.name = (n), .type = (t), .status = (st), __VA_ARGS__ \
	}
#define END                  \
	{                    \
		.name = NULL \
	}
/* Kea's range for an integer nothing in ternd reads (Kea checks it). */
#define RANGE(lo, hi) .flags = KF_RANGE, .min = (lo), .max = (hi)
#define U16	      RANGE(0, 65535)
#define U32	      RANGE(0, 4294967295)

/* Who reads a key (KS_IMPL). The parts of issue 10 being written at the
 * same time are named; their reader takes the key once it is there. */
#define BY_PARAMS  "config/params.c"
#define BY_LOAD	   "config/load.c"
#define BY_GLOBAL  "config/global.c"
#define BY_SUBNETS "config/subnets.c"
#define BY_RES	   "config/reservations.c"
#define BY_OPTDATA "config/option_data.c"
#define BY_EXT	   "config/ternd_ext.c"
#define BY_OPTDEF  "config/option_def.c"
#define BY_POOLOPT "config/subnets.c, option_data.c"
#define BY_HOOKS   "config/hooks.c (issue 10: hooks)"
#define BY_DDNS	   "config/ddns.c"
#define BY_KNOBS   "config/params.c, reservations.c"
#define BY_CLASSES "config/classes.c"

/* Why a key has no effect on ternd (KS_NONE). */
#define WHY_NOTE "a note for the reader of the file"
#define WHY_DB \
	"only for Kea's mysql and postgresql backends, which ternd refuses"
#define WHY_LOG                                                            \
	"ternd writes its own line format and flushes every line; rotate " \
	"its log file with logrotate"
#define WHY_EXPIRE                                                          \
	"ternd frees each lease the moment it expires and keeps it as the " \
	"client's address until the address is needed; these only time "    \
	"Kea's periodic pass"
#define WHY_MT                                                             \
	"ternd's engine is one thread with batched I/O; a reply does not " \
	"depend on Kea's threads"
#define WHY_QUEUE                                                          \
	"ternd reads packets in batches, with no queue of its own; Kea's " \
	"queue only decides which packets it drops when overloaded"
#define WHY_STATS "how many samples Kea keeps per statistic"
#define WHY_CB	  "selects configuration-backend data: ternd has no backends"
#define WHY_LEASEFILE                                                   \
	"ternd does not read Kea's lease file when it starts (ternctl " \
	"import does)"
#define WHY_PARKED "counts packets parked by hook libraries; ternd parks none"
#define WHY_REDETECT \
	"ternd looks the interfaces up when it starts, as re-detect does"
#define WHY_4O6 "ternd does not serve DHCPv4-over-DHCPv6 (RFC 7341)"
#define WHY_LOGGERS \
	"kea-dhcp4 2.2 refuses it too: put \"loggers\" inside \"Dhcp4\""
#define WHY_OTHER \
	"the section of another Kea server: kea-dhcp4 2.2 refuses it too"

/* Why a Kea key is not implemented (KS_NOT). */
#define WHY_HOSTDB "ternd keeps reservations in its configuration only"

#define COMMENT_KEYS                                          \
	K("user-context", KT_JSON, KS_NONE, .why = WHY_NOTE), \
		K("comment", KT_STR, KS_NONE, .why = WHY_NOTE)

static const struct ld_kctx kc_dhcp4, kc_ifaces, kc_leasedb, kc_hostdb, kc_ctrl,
	kc_queue, kc_mt, kc_expired, kc_sanity, kc_compat, kc_cc, kc_ddns,
	kc_loggers, kc_output, kc_hooks, kc_subnet, kc_network, kc_pool, kc_res,
	kc_relay, kc_optdata, kc_optdef, kc_class;

/* ---- the top level ---- */

static const struct ld_key top_keys[] = {
	K("Dhcp4", KT_MAP, KS_IMPL, .flags = KF_NONEMPTY, .sub = &kc_dhcp4,
	  .by = BY_LOAD),
	K("Dhcp6", KT_ANY, KS_REFUSE,
	  .why = "ternd serves DHCPv4 only in this version (and kea-dhcp4 "
		 "refuses a Dhcp6 map too)"),
	K("Logging", KT_ANY, KS_REFUSE, .why = WHY_LOGGERS),
	K("DhcpDdns", KT_ANY, KS_REFUSE, .why = WHY_OTHER),
	K("Control-agent", KT_ANY, KS_REFUSE, .why = WHY_OTHER),
	K("Netconf", KT_ANY, KS_REFUSE, .why = WHY_OTHER),
	K("user-context", KT_ANY, KS_REFUSE,
	  .why = "kea-dhcp4 2.2 refuses it at the top level"),
	K("comment", KT_ANY, KS_REFUSE,
	  .why = "kea-dhcp4 2.2 refuses it at the top level"),
	END,
};

/* ---- keys of Dhcp4, shared networks and subnets ---- */

/* Lifetimes and timers: global, shared network, subnet. */
static const struct ld_key life_keys[] = {
	K("valid-lifetime", KT_INT, KS_IMPL, .by = BY_PARAMS),
	K("min-valid-lifetime", KT_INT, KS_IMPL, .by = BY_PARAMS),
	K("max-valid-lifetime", KT_INT, KS_IMPL, .by = BY_PARAMS),
	K("renew-timer", KT_INT, KS_IMPL, .by = BY_PARAMS),
	K("rebind-timer", KT_INT, KS_IMPL, .by = BY_PARAMS),
	K("calculate-tee-times", KT_BOOL, KS_IMPL, .by = BY_PARAMS),
	K("t1-percent", KT_REAL, KS_IMPL, .by = BY_PARAMS),
	K("t2-percent", KT_REAL, KS_IMPL, .by = BY_PARAMS),
	END,
};

/* The rest of what the three levels share. */
static const struct ld_key net_keys[] = {
	K("match-client-id", KT_BOOL, KS_IMPL, .by = BY_PARAMS),
	K("authoritative", KT_BOOL, KS_IMPL, .by = BY_PARAMS),
	K("next-server", KT_STR, KS_IMPL, .by = BY_PARAMS),
	K("server-hostname", KT_STR, KS_IMPL, .by = BY_PARAMS),
	K("boot-file-name", KT_STR, KS_IMPL, .by = BY_PARAMS),
	K("reservation-mode", KT_ENUM, KS_IMPL,
	  .vals = "disabled|out-of-pool|global|all", .dflt = "\"all\"",
	  .by = BY_KNOBS),
	K("reservations-global", KT_BOOL, KS_IMPL, .dflt = "false",
	  .by = BY_KNOBS),
	K("reservations-in-subnet", KT_BOOL, KS_IMPL, .dflt = "true",
	  .by = BY_KNOBS),
	K("reservations-out-of-pool", KT_BOOL, KS_IMPL, .dflt = "false",
	  .by = BY_KNOBS),
	K("cache-threshold", KT_REAL, KS_IMPL, .by = BY_PARAMS),
	K("cache-max-age", KT_INT, KS_IMPL, .by = BY_PARAMS),
	K("store-extended-info", KT_BOOL, KS_IMPL, .dflt = "false",
	  .by = BY_KNOBS),
	END,
};

/* DDNS and host name sanitising, at the three levels. */
static const struct ld_key ddns_keys[] = {
	K("ddns-send-updates", KT_BOOL, KS_IMPL, .dflt = "true", .by = BY_DDNS),
	K("ddns-override-no-update", KT_BOOL, KS_IMPL, .dflt = "false",
	  .by = BY_DDNS),
	K("ddns-override-client-update", KT_BOOL, KS_IMPL, .dflt = "false",
	  .by = BY_DDNS),
	K("ddns-replace-client-name", KT_ENUM, KS_IMPL, .flags = KF_ICASE,
	  .vals = "when-present|never|always|when-not-present",
	  .dflt = "\"never\"", .by = BY_DDNS),
	K("ddns-generated-prefix", KT_STR, KS_IMPL, .dflt = "\"myhost\"",
	  .by = BY_DDNS),
	K("ddns-qualifying-suffix", KT_STR, KS_IMPL, .dflt = "\"\"",
	  .by = BY_DDNS),
	K("ddns-update-on-renew", KT_BOOL, KS_IMPL, .dflt = "false",
	  .by = BY_DDNS),
	K("ddns-use-conflict-resolution", KT_BOOL, KS_IMPL, .dflt = "true",
	  .by = BY_DDNS),
	K("hostname-char-set", KT_STR, KS_IMPL, .dflt = "\"[^A-Za-z0-9.-]\"",
	  .by = BY_DDNS),
	K("hostname-char-replacement", KT_STR, KS_IMPL, .dflt = "\"\"",
	  .by = BY_DDNS),
	END,
};

/* Shared networks and subnets. */
static const struct ld_key sn_keys[] = {
	K("option-data", KT_MAPS, KS_IMPL, .sub = &kc_optdata,
	  .by = BY_OPTDATA),
	K("interface", KT_STR, KS_IMPL, .by = BY_SUBNETS),
	K("relay", KT_MAP, KS_IMPL, .flags = KF_NONEMPTY, .sub = &kc_relay,
	  .by = BY_SUBNETS),
	K("client-class", KT_STR, KS_IMPL, .dflt = "\"\"", .by = BY_CLASSES),
	K("require-client-classes", KT_STRS, KS_IMPL, .dflt = "[]",
	  .by = BY_CLASSES),
	COMMENT_KEYS,
	END,
};

static const struct ld_key dhcp4_keys[] = {
	K("decline-probation-period", KT_INT, KS_IMPL, .by = BY_LOAD),
	K("subnet4", KT_MAPS, KS_IMPL, .flags = KF_ELEMS, .sub = &kc_subnet,
	  .by = BY_SUBNETS),
	K("shared-networks", KT_MAPS, KS_IMPL, .flags = KF_ELEMS,
	  .sub = &kc_network, .by = BY_SUBNETS),
	K("interfaces-config", KT_MAP, KS_IMPL, .flags = KF_NONEMPTY,
	  .sub = &kc_ifaces, .by = BY_GLOBAL),
	K("lease-database", KT_MAP, KS_IMPL, .flags = KF_NONEMPTY,
	  .sub = &kc_leasedb, .by = BY_GLOBAL),
	K("hosts-database", KT_MAP, KS_NOT, .flags = KF_NONEMPTY,
	  .sub = &kc_hostdb, .why = WHY_HOSTDB),
	K("hosts-databases", KT_MAPS, KS_NOT, .flags = KF_ELEMS,
	  .sub = &kc_hostdb, .dflt = "[]", .why = WHY_HOSTDB),
	K("host-reservation-identifiers", KT_ENUMS, KS_IMPL,
	  .flags = KF_NONEMPTY,
	  .vals = "duid|hw-address|circuit-id|client-id|flex-id",
	  .by = BY_GLOBAL),
	K("client-classes", KT_MAPS, KS_IMPL, .flags = KF_NONEMPTY,
	  .sub = &kc_class, .by = BY_CLASSES),
	K("option-def", KT_MAPS, KS_IMPL, .sub = &kc_optdef, .by = BY_OPTDEF),
	K("option-data", KT_MAPS, KS_IMPL, .sub = &kc_optdata,
	  .by = BY_OPTDATA),
	K("hooks-libraries", KT_MAPS, KS_IMPL, .flags = KF_ELEMS,
	  .sub = &kc_hooks, .dflt = "[]", .by = BY_HOOKS),
	K("expired-leases-processing", KT_MAP, KS_NONE, .flags = KF_NONEMPTY,
	  .sub = &kc_expired, .why = WHY_EXPIRE),
	K("dhcp4o6-port", KT_INT, KS_REFUSE, .dflt = "0", .why = WHY_4O6),
	K("control-socket", KT_MAP, KS_IMPL, .flags = KF_NONEMPTY,
	  .sub = &kc_ctrl, .by = BY_GLOBAL),
	K("dhcp-queue-control", KT_MAP, KS_NONE, .flags = KF_NONEMPTY,
	  .sub = &kc_queue, .why = WHY_QUEUE),
	K("dhcp-ddns", KT_MAP, KS_IMPL, .flags = KF_NONEMPTY, .sub = &kc_ddns,
	  .by = BY_DDNS),
	K("echo-client-id", KT_BOOL, KS_IMPL, .dflt = "true", .by = BY_KNOBS),
	K("sanity-checks", KT_MAP, KS_NONE, .flags = KF_NONEMPTY,
	  .sub = &kc_sanity, .why = WHY_LEASEFILE),
	K("reservations", KT_MAPS, KS_IMPL, .sub = &kc_res, .dflt = "[]",
	  .by = BY_KNOBS),
	K("config-control", KT_MAP, KS_NONE, .flags = KF_NONEMPTY,
	  .sub = &kc_cc,
	  .why = "without configuration databases it does nothing"),
	K("server-tag", KT_STR, KS_NONE, .why = WHY_CB),
	K("loggers", KT_MAPS, KS_IMPL, .flags = KF_NONEMPTY | KF_ELEMS,
	  .sub = &kc_loggers, .by = BY_GLOBAL),
	K("statistic-default-sample-count", KT_INT, KS_NONE, .why = WHY_STATS),
	K("statistic-default-sample-age", KT_INT, KS_NONE, .why = WHY_STATS),
	K("multi-threading", KT_MAP, KS_NONE, .flags = KF_NONEMPTY,
	  .sub = &kc_mt, .why = WHY_MT),
	K("early-global-reservations-lookup", KT_BOOL, KS_IMPL, .dflt = "false",
	  .by = BY_KNOBS),
	K("ip-reservations-unique", KT_BOOL, KS_IMPL, .dflt = "true",
	  .by = BY_KNOBS),
	K("reservations-lookup-first", KT_BOOL, KS_IMPL, .dflt = "false",
	  .by = BY_KNOBS),
	K("compatibility", KT_MAP, KS_IMPL, .flags = KF_NONEMPTY,
	  .sub = &kc_compat, .by = BY_KNOBS),
	K("parked-packet-limit", KT_INT, KS_NONE, .why = WHY_PARKED),
	K("user-context", KT_JSON, KS_IMPL, .by = BY_EXT),
	K("comment", KT_STR, KS_NONE, .why = WHY_NOTE),
	END,
};

static const struct ld_key *const dhcp4_groups[] = {dhcp4_keys, life_keys,
						    net_keys, ddns_keys, NULL};
static const struct ld_kctx kc_dhcp4 = {"Dhcp4", dhcp4_groups, NULL, 0};

/* ---- subnets, shared networks, pools, reservations ---- */

static const struct ld_key subnet_keys[] = {
	K("subnet", KT_STR, KS_IMPL, .by = BY_SUBNETS),
	K("id", KT_INT, KS_IMPL, .by = BY_SUBNETS),
	K("pools", KT_MAPS, KS_IMPL, .flags = KF_ELEMS, .sub = &kc_pool,
	  .by = BY_SUBNETS),
	K("reservations", KT_MAPS, KS_IMPL, .sub = &kc_res, .by = BY_RES),
	K("4o6-interface", KT_STR, KS_REFUSE, .dflt = "\"\"", .why = WHY_4O6),
	K("4o6-interface-id", KT_STR, KS_REFUSE, .dflt = "\"\"",
	  .why = WHY_4O6),
	K("4o6-subnet", KT_STR, KS_REFUSE, .dflt = "\"\"", .why = WHY_4O6),
	END,
};
static const struct ld_key *const subnet_groups[] = {
	subnet_keys, sn_keys, life_keys, net_keys, ddns_keys, NULL};
static const struct ld_kctx kc_subnet = {"subnet4", subnet_groups, "subnet", 0};

static const struct ld_key network_keys[] = {
	K("name", KT_STR, KS_IMPL, .by = BY_SUBNETS),
	K("subnet4", KT_MAPS, KS_IMPL, .flags = KF_ELEMS, .sub = &kc_subnet,
	  .by = BY_SUBNETS),
	END,
};
static const struct ld_key *const network_groups[] = {
	network_keys, sn_keys, life_keys, net_keys, ddns_keys, NULL};
static const struct ld_kctx kc_network = {"shared-networks", network_groups,
					  NULL, 0};

static const struct ld_key pool_keys[] = {
	K("pool", KT_STR, KS_IMPL, .by = BY_SUBNETS),
	K("option-data", KT_MAPS, KS_IMPL, .sub = &kc_optdata,
	  .by = BY_POOLOPT),
	K("client-class", KT_STR, KS_IMPL, .dflt = "\"\"", .by = BY_CLASSES),
	K("require-client-classes", KT_STRS, KS_IMPL, .dflt = "[]",
	  .by = BY_CLASSES),
	COMMENT_KEYS,
	END,
};
static const struct ld_key *const pool_groups[] = {pool_keys, NULL};
static const struct ld_kctx kc_pool = {"pool", pool_groups, "pool", 0};

static const struct ld_key res_keys[] = {
	K("hw-address", KT_STR, KS_IMPL, .by = BY_RES),
	K("client-id", KT_STR, KS_IMPL, .by = BY_RES),
	K("duid", KT_STR, KS_IMPL, .by = BY_KNOBS),
	K("circuit-id", KT_STR, KS_IMPL, .by = BY_KNOBS),
	K("flex-id", KT_STR, KS_IMPL, .by = BY_KNOBS),
	K("ip-address", KT_STR, KS_IMPL, .by = BY_RES),
	K("hostname", KT_STR, KS_IMPL, .by = BY_RES),
	K("option-data", KT_MAPS, KS_IMPL, .sub = &kc_optdata,
	  .by = BY_OPTDATA),
	K("next-server", KT_STR, KS_IMPL, .by = BY_RES),
	K("server-hostname", KT_STR, KS_IMPL, .by = BY_RES),
	K("boot-file-name", KT_STR, KS_IMPL, .by = BY_RES),
	K("client-classes", KT_STRS, KS_IMPL, .dflt = "[]", .by = BY_CLASSES),
	COMMENT_KEYS,
	END,
};
static const struct ld_key *const res_groups[] = {res_keys, NULL};
static const struct ld_kctx kc_res = {"reservation", res_groups, NULL, 0};

static const struct ld_key relay_keys[] = {
	K("ip-address", KT_STR, KS_IMPL, .by = BY_SUBNETS),
	K("ip-addresses", KT_STRS, KS_IMPL, .by = BY_SUBNETS),
	END,
};
static const struct ld_key *const relay_groups[] = {relay_keys, NULL};
static const struct ld_kctx kc_relay = {"relay", relay_groups, NULL, 0};

/* ---- options and classes ---- */

static const struct ld_key optdata_keys[] = {
	K("name", KT_STR, KS_IMPL, .by = BY_OPTDATA),
	K("data", KT_STR, KS_IMPL, .by = BY_OPTDATA),
	K("code", KT_INT, KS_IMPL, .by = BY_OPTDATA),
	K("space", KT_STR, KS_IMPL, .by = BY_OPTDATA),
	K("csv-format", KT_BOOL, KS_IMPL, .by = BY_OPTDATA),
	K("always-send", KT_BOOL, KS_IMPL, .by = BY_OPTDATA),
	COMMENT_KEYS,
	END,
};
static const struct ld_key *const optdata_groups[] = {optdata_keys, NULL};
static const struct ld_kctx kc_optdata = {"option-data", optdata_groups, NULL,
					  0};

static const struct ld_key optdef_keys[] = {
	K("name", KT_STR, KS_IMPL, .by = BY_OPTDEF),
	K("code", KT_INT, KS_IMPL, .by = BY_OPTDEF),
	K("type", KT_STR, KS_IMPL, .by = BY_OPTDEF),
	K("record-types", KT_STR, KS_IMPL, .by = BY_OPTDEF),
	K("space", KT_STR, KS_IMPL, .by = BY_OPTDEF),
	K("encapsulate", KT_STR, KS_IMPL, .by = BY_OPTDEF),
	K("array", KT_BOOL, KS_IMPL, .by = BY_OPTDEF),
	COMMENT_KEYS,
	END,
};
static const struct ld_key *const optdef_groups[] = {optdef_keys, NULL};
static const struct ld_kctx kc_optdef = {"option-def", optdef_groups,
					 "name|code|type", 0};

static const struct ld_key class_keys[] = {
	K("name", KT_STR, KS_IMPL, .by = BY_CLASSES),
	K("test", KT_STR, KS_IMPL, .by = BY_CLASSES),
	K("only-if-required", KT_BOOL, KS_IMPL, .by = BY_CLASSES),
	K("option-def", KT_MAPS, KS_IMPL, .sub = &kc_optdef, .by = BY_CLASSES),
	K("option-data", KT_MAPS, KS_IMPL, .sub = &kc_optdata,
	  .by = BY_CLASSES),
	K("next-server", KT_STR, KS_IMPL, .by = BY_CLASSES),
	K("server-hostname", KT_STR, KS_IMPL, .by = BY_CLASSES),
	K("boot-file-name", KT_STR, KS_IMPL, .by = BY_CLASSES),
	K("valid-lifetime", KT_INT, KS_IMPL, .by = BY_CLASSES),
	K("min-valid-lifetime", KT_INT, KS_IMPL, .by = BY_CLASSES),
	K("max-valid-lifetime", KT_INT, KS_IMPL, .by = BY_CLASSES),
	COMMENT_KEYS,
	END,
};
static const struct ld_key *const class_groups[] = {class_keys, NULL};
static const struct ld_kctx kc_class = {"client-classes", class_groups, "name",
					0};

static const struct ld_key hooks_keys[] = {
	K("library", KT_STR, KS_IMPL, .by = BY_HOOKS),
	K("parameters", KT_JSON, KS_IMPL, .by = BY_HOOKS),
	END,
};
static const struct ld_key *const hooks_groups[] = {hooks_keys, NULL};
static const struct ld_kctx kc_hooks = {"hooks-libraries", hooks_groups,
					"library", 0};

/* ---- the global maps ---- */

static const struct ld_key ifaces_keys[] = {
	K("interfaces", KT_STRS, KS_IMPL, .by = BY_GLOBAL),
	K("dhcp-socket-type", KT_ENUM, KS_IMPL, .vals = "raw|udp",
	  .by = BY_GLOBAL),
	K("outbound-interface", KT_ENUM, KS_IMPL,
	  .vals = "same-as-inbound|use-routing", .by = BY_GLOBAL),
	K("re-detect", KT_BOOL, KS_NONE, .why = WHY_REDETECT),
	K("service-sockets-require-all", KT_BOOL, KS_NOT, .dflt = "true",
	  .why = "ternd does not start when a socket cannot be opened"),
	K("service-sockets-retry-wait-time", KT_INT, KS_IMPL, .by = BY_GLOBAL),
	K("service-sockets-max-retries", KT_INT, KS_IMPL, .by = BY_GLOBAL),
	COMMENT_KEYS,
	END,
};
static const struct ld_key *const ifaces_groups[] = {ifaces_keys, NULL};
static const struct ld_kctx kc_ifaces = {"interfaces-config", ifaces_groups,
					 NULL, 0};

/* Kea's database_map_param; the lease database adds ternd's own "sqlite"
 * type, so its type is checked by global.c rather than here. */
#define DB_KEYS                                                                \
	K("user", KT_STR, KS_NONE, .why = WHY_DB),                             \
		K("password", KT_STR, KS_NONE, .why = WHY_DB),                 \
		K("host", KT_STR, KS_NONE, .why = WHY_DB),                     \
		K("port", KT_INT, KS_NONE, U16, .why = WHY_DB),                \
		K("connect-timeout", KT_INT, KS_NONE, U32, .why = WHY_DB),     \
		K("max-reconnect-tries", KT_INT, KS_NONE, RANGE(0, INT64_MAX), \
		  .why = WHY_DB),                                              \
		K("reconnect-wait-time", KT_INT, KS_NONE, U32, .why = WHY_DB), \
		K("on-fail", KT_ENUM, KS_NONE,                                 \
		  .vals = "stop-retry-exit|serve-retry-exit|"                  \
			  "serve-retry-continue",                              \
		  .why = WHY_DB),                                              \
		K("trust-anchor", KT_STR, KS_NONE, .why = WHY_DB),             \
		K("cert-file", KT_STR, KS_NONE, .why = WHY_DB),                \
		K("key-file", KT_STR, KS_NONE, .why = WHY_DB),                 \
		K("cipher-list", KT_STR, KS_NONE, .why = WHY_DB),              \
		K("readonly", KT_BOOL, KS_NONE, .why = WHY_DB)

static const struct ld_key leasedb_keys[] = {
	K("type", KT_STR, KS_IMPL, .by = BY_GLOBAL),
	K("name", KT_STR, KS_IMPL, .by = BY_GLOBAL),
	K("persist", KT_BOOL, KS_IMPL, .by = BY_GLOBAL),
	K("lfc-interval", KT_INT, KS_IMPL, .by = BY_GLOBAL),
	K("max-row-errors", KT_INT, KS_NONE, U32, .why = WHY_LEASEFILE),
	DB_KEYS,
	END,
};
static const struct ld_key *const leasedb_groups[] = {leasedb_keys, NULL};
static const struct ld_kctx kc_leasedb = {"lease-database", leasedb_groups,
					  "type", 0};

static const struct ld_key hostdb_keys[] = {
	K("type", KT_ENUM, KS_NOT, .vals = "memfile|mysql|postgresql",
	  .why = WHY_HOSTDB),
	K("name", KT_STR, KS_NOT, .why = WHY_HOSTDB),
	K("persist", KT_BOOL, KS_NOT, .why = WHY_HOSTDB),
	K("lfc-interval", KT_INT, KS_NOT, .why = WHY_HOSTDB),
	K("max-row-errors", KT_INT, KS_NOT, .why = WHY_HOSTDB),
	DB_KEYS,
	END,
};
static const struct ld_key *const hostdb_groups[] = {hostdb_keys, NULL};
static const struct ld_kctx kc_hostdb = {"hosts-database", hostdb_groups,
					 "type", 0};

static const struct ld_key ctrl_keys[] = {
	K("socket-type", KT_STR, KS_IMPL, .by = BY_GLOBAL),
	K("socket-name", KT_STR, KS_IMPL, .by = BY_GLOBAL),
	COMMENT_KEYS,
	END,
};
static const struct ld_key *const ctrl_groups[] = {ctrl_keys, NULL};
static const struct ld_kctx kc_ctrl = {"control-socket", ctrl_groups, NULL, 0};

static const struct ld_key queue_keys[] = {
	K("enable-queue", KT_BOOL, KS_NONE, .why = WHY_QUEUE),
	K("queue-type", KT_STR, KS_NONE, .why = WHY_QUEUE),
	K("capacity", KT_INT, KS_NONE, .why = WHY_QUEUE),
	COMMENT_KEYS,
	END,
};
static const struct ld_key *const queue_groups[] = {queue_keys, NULL};
static const struct ld_kctx kc_queue = {"dhcp-queue-control", queue_groups,
					"enable-queue", 1};

static const struct ld_key mt_keys[] = {
	K("enable-multi-threading", KT_BOOL, KS_NONE, .why = WHY_MT),
	K("thread-pool-size", KT_INT, KS_NONE, U16, .why = WHY_MT),
	K("packet-queue-size", KT_INT, KS_NONE, U16, .why = WHY_MT),
	COMMENT_KEYS,
	END,
};
static const struct ld_key *const mt_groups[] = {mt_keys, NULL};
static const struct ld_kctx kc_mt = {"multi-threading", mt_groups,
				     "enable-multi-threading", 0};

static const struct ld_key expired_keys[] = {
	K("reclaim-timer-wait-time", KT_INT, KS_NONE, U16, .why = WHY_EXPIRE),
	K("flush-reclaimed-timer-wait-time", KT_INT, KS_NONE, U16,
	  .why = WHY_EXPIRE),
	K("hold-reclaimed-time", KT_INT, KS_NONE, U32, .why = WHY_EXPIRE),
	K("max-reclaim-leases", KT_INT, KS_NONE, U32, .why = WHY_EXPIRE),
	K("max-reclaim-time", KT_INT, KS_NONE, RANGE(0, 10000),
	  .why = WHY_EXPIRE),
	K("unwarned-reclaim-cycles", KT_INT, KS_NONE, U16, .why = WHY_EXPIRE),
	END,
};
static const struct ld_key *const expired_groups[] = {expired_keys, NULL};
static const struct ld_kctx kc_expired = {"expired-leases-processing",
					  expired_groups, NULL, 0};

static const struct ld_key sanity_keys[] = {
	K("lease-checks", KT_ENUM, KS_NONE, .vals = "none|warn|fix|fix-del|del",
	  .why = WHY_LEASEFILE),
	END,
};
static const struct ld_key *const sanity_groups[] = {sanity_keys, NULL};
static const struct ld_kctx kc_sanity = {"sanity-checks", sanity_groups, NULL,
					 0};

static const struct ld_key compat_keys[] = {
	K("lenient-option-parsing", KT_BOOL, KS_IMPL, .dflt = "false",
	  .by = BY_KNOBS),
	END,
};
static const struct ld_key *const compat_groups[] = {compat_keys, NULL};
static const struct ld_kctx kc_compat = {"compatibility", compat_groups, NULL,
					 0};

static const struct ld_key cc_keys[] = {
	K("config-databases", KT_MAPS, KS_NOT, .flags = KF_ELEMS,
	  .sub = &kc_hostdb, .dflt = "[]",
	  .why = "ternd reads its configuration from its file only"),
	K("config-fetch-wait-time", KT_INT, KS_NONE, U16,
	  .why = "how often Kea polls configuration databases"),
	END,
};
static const struct ld_key *const cc_groups[] = {cc_keys, NULL};
static const struct ld_kctx kc_cc = {"config-control", cc_groups, NULL, 0};

static const struct ld_key ddns_map_keys[] = {
	K("enable-updates", KT_BOOL, KS_IMPL, .by = BY_DDNS),
	K("server-ip", KT_STR, KS_IMPL, .by = BY_DDNS),
	K("server-port", KT_INT, KS_IMPL, .by = BY_DDNS),
	K("sender-ip", KT_STR, KS_IMPL, .by = BY_DDNS),
	K("sender-port", KT_INT, KS_IMPL, .by = BY_DDNS),
	K("max-queue-size", KT_INT, KS_IMPL, .by = BY_DDNS),
	K("ncr-protocol", KT_ENUM, KS_IMPL, .flags = KF_ICASE,
	  .vals = "UDP|TCP", .by = BY_DDNS),
	K("ncr-format", KT_ENUM, KS_IMPL, .flags = KF_ICASE, .vals = "JSON",
	  .by = BY_DDNS),
	K("override-no-update", KT_BOOL, KS_IMPL, .by = BY_DDNS),
	K("override-client-update", KT_BOOL, KS_IMPL, .by = BY_DDNS),
	K("replace-client-name", KT_ENUM, KS_IMPL, .flags = KF_ICASE,
	  .vals = "when-present|never|always|when-not-present", .by = BY_DDNS),
	K("generated-prefix", KT_STR, KS_IMPL, .by = BY_DDNS),
	K("qualifying-suffix", KT_STR, KS_IMPL, .by = BY_DDNS),
	K("hostname-char-set", KT_STR, KS_IMPL, .by = BY_DDNS),
	K("hostname-char-replacement", KT_STR, KS_IMPL, .by = BY_DDNS),
	COMMENT_KEYS,
	END,
};
static const struct ld_key *const ddns_groups[] = {ddns_map_keys, NULL};
static const struct ld_kctx kc_ddns = {"dhcp-ddns", ddns_groups,
				       "enable-updates", 0};

static const struct ld_key loggers_keys[] = {
	K("name", KT_STR, KS_IMPL, .by = BY_GLOBAL),
	K("output_options", KT_MAPS, KS_IMPL, .flags = KF_NONEMPTY | KF_ELEMS,
	  .sub = &kc_output, .by = BY_GLOBAL),
	K("debuglevel", KT_INT, KS_IMPL, .by = BY_GLOBAL),
	K("severity", KT_STR, KS_IMPL, .by = BY_GLOBAL),
	COMMENT_KEYS,
	END,
};
static const struct ld_key *const loggers_groups[] = {loggers_keys, NULL};
static const struct ld_kctx kc_loggers = {"loggers", loggers_groups, NULL, 0};

static const struct ld_key output_keys[] = {
	K("output", KT_STR, KS_IMPL, .by = BY_GLOBAL),
	K("flush", KT_BOOL, KS_NONE, .why = WHY_LOG),
	K("maxsize", KT_INT, KS_NONE, .why = WHY_LOG),
	K("maxver", KT_INT, KS_NONE, .why = WHY_LOG),
	K("pattern", KT_STR, KS_NONE, .why = WHY_LOG),
	END,
};
static const struct ld_key *const output_groups[] = {output_keys, NULL};
static const struct ld_kctx kc_output = {"output_options", output_groups, NULL,
					 0};

static const struct ld_key *const top_groups[] = {top_keys, NULL};
static const struct ld_kctx kc_top = {LD_TOP_LEVEL, top_groups, "Dhcp4", 0};

const struct ld_kctx *const ld_kea_contexts[] = {
	&kc_top,    &kc_dhcp4,	 &kc_ifaces,  &kc_leasedb, &kc_hostdb,
	&kc_ctrl,   &kc_queue,	 &kc_mt,      &kc_expired, &kc_sanity,
	&kc_compat, &kc_cc,	 &kc_ddns,    &kc_loggers, &kc_output,
	&kc_hooks,  &kc_subnet,	 &kc_network, &kc_pool,	   &kc_res,
	&kc_relay,  &kc_optdata, &kc_optdef,  &kc_class,   NULL,
};
