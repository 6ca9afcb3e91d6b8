/* libtern lease IPC: the fixed-layout message tern-plugin sends to tern-mgr. */
#ifndef TERN_LEASE_IPC_H
#define TERN_LEASE_IPC_H

#include <stddef.h>
#include <stdint.h>

#include <tern/error.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * One DHCP client event = one message of exactly sizeof(struct
 * tern_lease_msg) bytes, sent by tern-plugin over a nanomsg NN_PUSH socket
 * to the NN_PULL socket of tern-mgr's lease monitor
 * (docs: specs/lease-ipc.md; default address TERN_LEASE_DEFAULT_ADDR).
 *
 * Layout rules, so that plugin and manager agree whatever compiler or ABI
 * built them (RDK's PLUGIN_MSG carried a pointer and changed size between
 * 32- and 64-bit builds):
 *   - no pointers, no bool, no enum-typed fields: explicit-width integers;
 *   - every uint32_t sits at a 4-aligned offset, every uint16_t at a
 *     2-aligned one, every struct size is a multiple of 4, and gaps are
 *     explicit pad fields (sent as zero), so no ABI inserts padding;
 *   - no 64-bit integers (i386 aligns them to 4, others to 8);
 *   - strings are NUL-terminated inside their fixed buffer.
 * Sizes and key offsets are pinned by _Static_assert below and by a
 * golden-bytes unit test (tests/fixtures/ipc/).
 *
 * Byte order: integers are in host order. Plugin and manager run on the
 * same host (loopback TCP or an ipc:// socket), as the seed's "direct
 * structure copying" assumes. The one exception is the raw option area
 * (tlv[]), whose entry headers are big-endian like DHCPv6 options.
 *
 * Mapping to RDK-B's DHCP Manager names (PLUGIN_MSG, seed 000):
 *   PLUGIN_MSG            struct tern_lease_msg
 *   DHCP_SOURCE version   uint32_t version, values enum tern_lease_version
 *   DHCPv4_PLUGIN_MSG     struct tern_lease_v4
 *   DHCPv6_PLUGIN_MSG     struct tern_lease_v6
 * Field by field mappings are given on each member.
 */

#define TERN_LEASE_DEFAULT_ADDR                      \
	"tcp://127.0.0.1:50324" /* DHCP_MANAGER_ADDR \
				 */

#define TERN_LEASE_IFNAME_LEN 32   /* BUFLEN_32 */
#define TERN_LEASE_IFNAME_MAX 15   /* IFNAMSIZ - 1 */
#define TERN_LEASE_ADDR4_LEN  16   /* "255.255.255.255" + NUL */
#define TERN_LEASE_ADDR6_LEN  48   /* INET6_ADDRSTRLEN (46), rounded up */
#define TERN_LEASE_STATE_LEN  16   /* udhcpc event name */
#define TERN_LEASE_TZ_LEN     128  /* POSIX TZ string or tz database name */
#define TERN_LEASE_LIST_LEN   256  /* space-separated address lists */
#define TERN_LEASE_NAME_LEN   256  /* one DNS name / file name (max 255) */
#define TERN_LEASE_SEARCH_LEN 512  /* domain search list */
#define TERN_LEASE_ROUTES_LEN 1024 /* option 121 as "net/len gw" pairs */
#define TERN_LEASE_HEX_LEN    512  /* hex text of one 255-byte option */
#define TERN_LEASE_RAW_LEN    512  /* raw bytes of option 94/95/17 */
#define TERN_LEASE_TLV_LEN    1024 /* raw area for other options */
#define TERN_LEASE_V6_MAX_IA  4	   /* IA_NA addresses / IA_PD prefixes */

/*
 * Wire values of the envelope's version. RDK's DHCP_SOURCE enum is 0 / 1;
 * tern uses 4 / 6 as specs/lease-ipc.md's validation text says, so that an
 * all-zero (uninitialised) buffer is rejected instead of read as DHCPv4.
 */
enum tern_lease_version {
	TERN_LEASE_V4 = 4, /* DHCP_VERSION_4 */
	TERN_LEASE_V6 = 6, /* DHCP_VERSION_6 */
};

/* udhcpc's events (argv[1] of its script); 0 is never valid. */
enum tern_lease_v4_event {
	TERN_LEASE_V4_DECONFIG = 1,
	TERN_LEASE_V4_BOUND = 2,
	TERN_LEASE_V4_RENEW = 3,
	TERN_LEASE_V4_NAK = 4,
	TERN_LEASE_V4_LEASEFAIL = 5,
};

/* dibbler-client's script actions; 0 is never valid. */
enum tern_lease_v6_event {
	TERN_LEASE_V6_ADD = 1,
	TERN_LEASE_V6_UPDATE = 2,
	TERN_LEASE_V6_DELETE = 3,
	TERN_LEASE_V6_EXPIRE = 4,
};

/* Payload flags (tern_lease_v4.flags, tern_lease_v6.flags). */
#define TERN_LEASE_F_DROPPED                      \
	0x1u /* a client value did not fit or was \
	      * malformed and was left out */
#define TERN_LEASE_F_PD_REPLACE                    \
	0x2u /* v6 only: the message withdraws a   \
	      * prefix with zero lifetimes (prefix \
	      * replacement), not a lease loss */
#define TERN_LEASE_V4_FLAGS TERN_LEASE_F_DROPPED
#define TERN_LEASE_V6_FLAGS (TERN_LEASE_F_DROPPED | TERN_LEASE_F_PD_REPLACE)

/* IA entry flags (tern_lease_ia_na.flags, tern_lease_ia_pd.flags). */
#define TERN_LEASE_IA_F_WITHDRAWN                 \
	0x1u /* preferred = valid = 0: the server \
	      * takes it back; assigned is 0 */
#define TERN_LEASE_IA_FLAGS TERN_LEASE_IA_F_WITHDRAWN

/*
 * The raw option area (tlv[] of either payload): tlv_count entries packed
 * back to back in the first tlv_len bytes, each
 *   code (u16, big-endian) | length (u16, big-endian) | length bytes
 * The data is the option's wire value when the client gave hex or
 * addresses; for a text-only value it is the client's text. v4 codes are
 * 1..254, v6 codes 1..65535.
 */
#define TERN_LEASE_TLV_HDR 4

/* DHCPv4_PLUGIN_MSG: RDK's fields in RDK's order, then tern's extras. */
struct tern_lease_v4 {
	uint8_t address_assigned; /* addressAssigned: 0 / 1 */
	uint8_t is_expired;	  /* isExpired: 0 / 1 */
	uint8_t event;		  /* extra: enum tern_lease_v4_event */
	uint8_t prefix_len;	  /* extra: udhcpc "mask", 0..32 */
	char address[TERN_LEASE_ADDR4_LEN];	/* address (udhcpc "ip") */
	char netmask[TERN_LEASE_ADDR4_LEN];	/* netmask ("subnet") */
	char gateway[TERN_LEASE_LIST_LEN];	/* gateway: routers, spaces */
	char dns_server[TERN_LEASE_ADDR4_LEN];	/* dnsServer: 1st DNS */
	char dns_server1[TERN_LEASE_ADDR4_LEN]; /* dnsServer1: 2nd DNS */
	char ifname[TERN_LEASE_IFNAME_LEN];	/* ifname, = envelope's */
	uint32_t lease_time;			/* leaseTime (s) */
	uint32_t rebinding_time;      /* rebindingTime (s), 0 = not sent */
	uint32_t renewal_time;	      /* renewalTime (s), 0 = not sent */
	int32_t time_offset;	      /* timeOffset (option 2, s) */
	uint8_t time_offset_assigned; /* isTimeOffsetAssigned: 0 / 1 */
	uint8_t pad0[3];
	char time_zone[TERN_LEASE_TZ_LEN]; /* timeZone (option 100 / 101) */
	uint32_t upstream_curr_rate;	   /* upstreamCurrRate */
	uint32_t downstream_curr_rate;	   /* downstreamCurrRate */
	char dhcp_server_id[TERN_LEASE_ADDR4_LEN]; /* dhcpServerId */
	char dhcp_state[TERN_LEASE_STATE_LEN];	   /* dhcpState: event name */
	uint8_t mtu_assigned;			   /* mtuAssigned: 0 / 1 */
	uint8_t pad1;
	uint16_t mtu_size;		   /* mtuSize: 68.. if assigned */
	char sip_srv[TERN_LEASE_LIST_LEN]; /* sipSrv (option 120) */
	char static_routes[TERN_LEASE_ROUTES_LEN]; /* staticRoutes (121) */
	uint8_t option122_assigned; /* mtaOption.isDhcpOption122Assigned */
	uint8_t option125_assigned; /* mtaOption.isDhcpOption125Assigned */
	uint8_t pad2[2];
	char option122[TERN_LEASE_HEX_LEN];    /* option 122, hex */
	char option125[TERN_LEASE_HEX_LEN];    /* option 125, hex */
	char bootfile[TERN_LEASE_NAME_LEN];    /* option 67 */
	char tftp_server[TERN_LEASE_NAME_LEN]; /* option 66, else siaddr */
	char host_name[TERN_LEASE_NAME_LEN];   /* option 12 */
	char domain_name[TERN_LEASE_NAME_LEN]; /* option 15 */
	/* tern's extras */
	char broadcast[TERN_LEASE_ADDR4_LEN];	   /* option 28 */
	char dns_servers[TERN_LEASE_LIST_LEN];	   /* all DNS servers */
	char ntp_servers[TERN_LEASE_LIST_LEN];	   /* option 42 */
	char domain_search[TERN_LEASE_SEARCH_LEN]; /* option 119 */
	char message[TERN_LEASE_NAME_LEN];	   /* option 56 (NAK reason) */
	uint32_t flags;				   /* TERN_LEASE_F_* */
	uint16_t tlv_len;			   /* bytes used in tlv[] */
	uint16_t tlv_count;			   /* entries in tlv[] */
	uint8_t tlv[TERN_LEASE_TLV_LEN]; /* custom options, see above */
};

/* One IA_NA address (RDK: ia_na). */
struct tern_lease_ia_na {
	uint8_t assigned; /* assigned: 0 / 1 */
	uint8_t flags;	  /* TERN_LEASE_IA_F_* */
	uint8_t pad[2];
	char address[TERN_LEASE_ADDR6_LEN]; /* address */
	uint32_t iaid;			    /* IA_ID, 0 = not given */
	uint32_t t1;			    /* T1, 0 = not given */
	uint32_t t2;			    /* T2, 0 = not given */
	uint32_t preferred;		    /* PreferedLifeTime */
	uint32_t valid;			    /* ValidLifeTime */
};

/* One IA_PD prefix (RDK: ia_pd). */
struct tern_lease_ia_pd {
	uint8_t assigned;   /* assigned: 0 / 1 */
	uint8_t flags;	    /* TERN_LEASE_IA_F_* */
	uint8_t prefix_len; /* PrefixLength: 1..128 if assigned */
	uint8_t pad;
	char prefix[TERN_LEASE_ADDR6_LEN]; /* Prefix, without "/len" */
	uint32_t iaid;			   /* IA_ID, 0 = not given */
	uint32_t t1;			   /* T1, 0 = not given */
	uint32_t t2;			   /* T2, 0 = not given */
	uint32_t preferred;		   /* PreferedLifeTime */
	uint32_t valid;			   /* ValidLifeTime */
};

/* DHCPv6_PLUGIN_MSG: RDK's fields in RDK's order, then tern's extras. */
struct tern_lease_v6 {
	uint8_t is_expired; /* isExpired: 0 / 1 */
	uint8_t event;	    /* extra: enum tern_lease_v6_event */
	uint8_t pad0[2];
	char ifname[TERN_LEASE_IFNAME_LEN]; /* ifname, = envelope's */
	/* [0] is RDK's ia_na / ia_pd; the others are further ADDRn/PREFIXn */
	struct tern_lease_ia_na ia_na[TERN_LEASE_V6_MAX_IA];
	struct tern_lease_ia_pd ia_pd[TERN_LEASE_V6_MAX_IA];
	char dns_servers[TERN_LEASE_LIST_LEN];	   /* option 23, spaces */
	char domain_search[TERN_LEASE_SEARCH_LEN]; /* option 24, spaces */
	char ntp_servers[TERN_LEASE_LIST_LEN];	   /* option 56 / 31 */
	char aftr_name[TERN_LEASE_NAME_LEN];	   /* option 64 (DS-Lite) */
	uint16_t mapt_len;			   /* bytes in mapt[] */
	uint16_t mape_len;			   /* bytes in mape[] */
	uint16_t vendor_len;			   /* bytes in vendor[] */
	uint16_t pad1;
	uint8_t mapt[TERN_LEASE_RAW_LEN];   /* option 95 data (S46_CONT_MAPT) */
	uint8_t mape[TERN_LEASE_RAW_LEN];   /* option 94 data (S46_CONT_MAPE) */
	uint8_t vendor[TERN_LEASE_RAW_LEN]; /* option 17 data (vendor opts) */
	/* tern's extras */
	char server_addr[TERN_LEASE_ADDR6_LEN]; /* server's source address */
	uint32_t flags;				/* TERN_LEASE_F_* */
	uint16_t tlv_len;			/* bytes used in tlv[] */
	uint16_t tlv_count;			/* entries in tlv[] */
	uint8_t tlv[TERN_LEASE_TLV_LEN];	/* other options, see above */
};

/* PLUGIN_MSG: the envelope, exactly as the seed orders it. */
struct tern_lease_msg {
	char ifname[TERN_LEASE_IFNAME_LEN]; /* ifname[BUFLEN_32] */
	uint32_t version;		    /* enum tern_lease_version */
	union {
		struct tern_lease_v4 v4; /* data.dhcpv4 */
		struct tern_lease_v6 v6; /* data.dhcpv6 */
	} data;
};

/* The layout, pinned: a change here is a protocol change. */
#define TERN_LEASE_V4_SIZE  6208
#define TERN_LEASE_V6_SIZE  4516
#define TERN_LEASE_MSG_SIZE 6244
_Static_assert(sizeof(struct tern_lease_v4) == TERN_LEASE_V4_SIZE,
	       "v4 payload size");
_Static_assert(sizeof(struct tern_lease_ia_na) == 72, "ia_na size");
_Static_assert(sizeof(struct tern_lease_ia_pd) == 72, "ia_pd size");
_Static_assert(sizeof(struct tern_lease_v6) == TERN_LEASE_V6_SIZE,
	       "v6 payload size");
_Static_assert(sizeof(struct tern_lease_msg) == TERN_LEASE_MSG_SIZE,
	       "message size");
_Static_assert(offsetof(struct tern_lease_msg, version) == 32, "version");
_Static_assert(offsetof(struct tern_lease_msg, data) == 36, "data");
_Static_assert(offsetof(struct tern_lease_v4, address) == 4, "v4 address");
_Static_assert(offsetof(struct tern_lease_v4, ifname) == 324, "v4 ifname");
_Static_assert(offsetof(struct tern_lease_v4, lease_time) == 356,
	       "v4 lease_time");
_Static_assert(offsetof(struct tern_lease_v4, time_offset) == 368,
	       "v4 time_offset");
_Static_assert(offsetof(struct tern_lease_v4, upstream_curr_rate) == 504,
	       "v4 upstream_curr_rate");
_Static_assert(offsetof(struct tern_lease_v4, mtu_size) == 546, "v4 mtu_size");
_Static_assert(offsetof(struct tern_lease_v4, option122) == 1832,
	       "v4 option122");
_Static_assert(offsetof(struct tern_lease_v4, broadcast) == 3880,
	       "v4 broadcast");
_Static_assert(offsetof(struct tern_lease_v4, flags) == 5176, "v4 flags");
_Static_assert(offsetof(struct tern_lease_v4, tlv) == 5184, "v4 tlv");
_Static_assert(offsetof(struct tern_lease_ia_na, iaid) == 52, "ia_na iaid");
_Static_assert(offsetof(struct tern_lease_ia_pd, iaid) == 52, "ia_pd iaid");
_Static_assert(offsetof(struct tern_lease_v6, ia_na) == 36, "v6 ia_na");
_Static_assert(offsetof(struct tern_lease_v6, ia_pd) == 324, "v6 ia_pd");
_Static_assert(offsetof(struct tern_lease_v6, dns_servers) == 612,
	       "v6 dns_servers");
_Static_assert(offsetof(struct tern_lease_v6, mapt_len) == 1892, "v6 mapt_len");
_Static_assert(offsetof(struct tern_lease_v6, mapt) == 1900, "v6 mapt");
_Static_assert(offsetof(struct tern_lease_v6, server_addr) == 3436,
	       "v6 server_addr");
_Static_assert(offsetof(struct tern_lease_v6, flags) == 3484, "v6 flags");
_Static_assert(offsetof(struct tern_lease_v6, tlv) == 3492, "v6 tlv");

/*
 * Why a message was rejected, finer than the errno returned with it, so
 * the manager can count and log each cause apart.
 */
enum tern_lease_reason {
	TERN_LEASE_OK = 0,
	TERN_LEASE_R_NULL,		  /* -EINVAL: no buffer */
	TERN_LEASE_R_SIZE,		  /* -EMSGSIZE: len != message size */
	TERN_LEASE_R_VERSION,		  /* -EPROTO: version not 4 or 6 */
	TERN_LEASE_R_IFNAME_UNTERMINATED, /* -EBADMSG */
	TERN_LEASE_R_IFNAME_EMPTY,	  /* -EBADMSG */
	TERN_LEASE_R_IFNAME_TOO_LONG,	  /* -EBADMSG: > 15 characters */
	TERN_LEASE_R_IFNAME_CHARSET,	  /* -EBADMSG */
	TERN_LEASE_R_IFNAME_MISMATCH,	  /* -EBADMSG: payload != envelope */
	TERN_LEASE_R_STR_UNTERMINATED,	  /* -EBADMSG */
	TERN_LEASE_R_STR_CHARSET,	  /* -EBADMSG: control character */
	TERN_LEASE_R_ADDRESS,		  /* -EBADMSG: not an IP address */
	TERN_LEASE_R_HEX,		  /* -EBADMSG: not even-length hex */
	TERN_LEASE_R_BOOL,		  /* -ERANGE: flag not 0 or 1 */
	TERN_LEASE_R_FLAGS,		  /* -ERANGE: unknown flag bits */
	TERN_LEASE_R_EVENT,		  /* -ERANGE: unknown event */
	TERN_LEASE_R_STATE,		  /* -EBADMSG: dhcp_state != event */
	TERN_LEASE_R_RANGE,		  /* -ERANGE: number out of range */
	TERN_LEASE_R_INCONSISTENT,	  /* -EBADMSG: contradicting fields */
	TERN_LEASE_R_PAD,		  /* -EBADMSG: pad field not zero */
	TERN_LEASE_R_RAW_LEN,		  /* -EMSGSIZE: raw length > buffer */
	TERN_LEASE_R_TLV_LEN,		  /* -EMSGSIZE: tlv_len > buffer */
	TERN_LEASE_R_TLV_OVERRUN,	  /* -EBADMSG: entry past tlv_len */
	TERN_LEASE_R_TLV_CODE,		  /* -ERANGE: option code 0 / > 254 */
	TERN_LEASE_R_TLV_COUNT,		  /* -EBADMSG: tlv_count wrong */
	TERN_LEASE_R_MAX_
};

/* Where validation failed: field is a static name such as "v4.gateway". */
struct tern_lease_verdict {
	enum tern_lease_reason reason;
	uint32_t offset; /* byte offset of the field in the message */
	const char *field;
};

/*
 * Zero *m, set version and both copies of ifname. Returns 0, or -EINVAL for
 * a NULL message, a version that is not 4 or 6, or an invalid ifname (in
 * which case *m is untouched).
 */
int tern_lease_msg_init(struct tern_lease_msg *m, uint32_t version,
			const char *ifname);

/*
 * Copy src into the fixed buffer dst of dst_size bytes, NUL-terminated.
 * Returns the length copied, -EINVAL for NULL arguments, or -ENOBUFS when
 * src does not fit; on failure dst is untouched.
 */
int tern_lease_set_str(char *dst, size_t dst_size, const char *src);

/* tern_lease_set_str on a char array member. */
#define TERN_LEASE_SET(field, src) \
	tern_lease_set_str((field), sizeof(field), (src))

/*
 * Append one option to a payload's raw area. Returns 0, -EINVAL (NULL, or
 * code out of range: v4 1..254, v6 1..65535) or -ENOBUFS (no room; the
 * area is untouched).
 */
int tern_lease_v4_add_option(struct tern_lease_v4 *v4, uint8_t code,
			     const void *data, size_t len);
int tern_lease_v6_add_option(struct tern_lease_v6 *v6, uint16_t code,
			     const void *data, size_t len);

/*
 * Walk a raw option area: *off starts at 0. Returns 1 with the entry in
 * ret_* (ret_data points into area), 0 at the end, -EBADMSG if an entry
 * runs past len (ret_* untouched on 0 / failure).
 */
int tern_lease_tlv_next(const uint8_t *area, size_t len, size_t *off,
			uint16_t *ret_code, const uint8_t **ret_data,
			uint16_t *ret_len);

/*
 * Check a received buffer before anything else reads it: exact size,
 * version, ifname (NUL-terminated, 1..15 characters of [A-Za-z0-9._@-],
 * not "." nor "..", same in envelope and payload), every string field
 * NUL-terminated without control characters, address fields empty or a
 * valid address, flags 0 / 1, known events and flag bits, numbers in
 * range, pad fields zero, raw lengths within their buffers, and the raw
 * option area well-formed. Whether the manager manages ifname is the
 * caller's check.
 *
 * Returns 0, or -EINVAL / -EMSGSIZE / -EPROTO / -EBADMSG / -ERANGE as
 * listed at enum tern_lease_reason. When ret is not NULL it receives the
 * reason and the failing field (reason TERN_LEASE_OK on success).
 * buf needs no alignment.
 */
int tern_lease_msg_check(const void *buf, size_t len,
			 struct tern_lease_verdict *ret);

/* tern_lease_msg_check without the verdict. */
int tern_lease_msg_validate(const void *buf, size_t len);

/* Text for a reason; never NULL. */
const char *tern_lease_reason_str(enum tern_lease_reason reason);

/*
 * 1 if name is a valid interface name by the rules above, else 0.
 */
int tern_lease_ifname_valid(const char *name);

/* udhcpc event / dibbler action name, or NULL if the value is unknown. */
const char *tern_lease_v4_event_name(uint8_t event);
const char *tern_lease_v6_event_name(uint8_t event);

#ifdef __cplusplus
}
#endif

#endif
