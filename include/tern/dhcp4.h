/* libtern DHCPv4 codec: zero-allocation views over packets and a forward-only
 * writer. */
#ifndef TERN_DHCP4_H
#define TERN_DHCP4_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <tern/error.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Wire layout (RFC 2131 §2): a 236-byte fixed header, the magic cookie
 * 99.130.83.99, then options. Option overload (option 52, RFC 2132 §9.3)
 * continues the options in `file` and/or `sname`; an option longer than 255
 * bytes is split into several instances that are concatenated in the order
 * options, file, sname (RFC 3396).
 *
 * Ownership: libtern never allocates. A decoded message is a view: every
 * pointer it hands out points into the caller's packet buffer, which must
 * outlive the view and stay unchanged. The writer writes only into the
 * caller's buffer, never past the capacity given.
 */

#define TERN_DHCP4_HDR_LEN     236 /* op .. file */
#define TERN_DHCP4_COOKIE      0x63825363u
#define TERN_DHCP4_OPTS_OFF    240 /* header + cookie */
#define TERN_DHCP4_MIN_LEN     240
#define TERN_DHCP4_BOOTP_MIN   300 /* RFC 1542 minimum BOOTP message */
#define TERN_DHCP4_SNAME_OFF   44
#define TERN_DHCP4_SNAME_LEN   64
#define TERN_DHCP4_FILE_OFF    108
#define TERN_DHCP4_FILE_LEN    128
#define TERN_DHCP4_MAX_LEN     65535
#define TERN_DHCP4_MAX_OPTS    255 /* option instances an index holds */
#define TERN_DHCP4_MIN_MAX_MSG 576 /* smallest legal option 57 value */

#define TERN_DHCP4_SERVER_PORT	  67
#define TERN_DHCP4_CLIENT_PORT	  68
#define TERN_DHCP4_FLAG_BROADCAST 0x8000u

enum tern_dhcp4_op {
	TERN_DHCP4_BOOTREQUEST = 1,
	TERN_DHCP4_BOOTREPLY = 2,
};

enum tern_dhcp4_msg_type {
	TERN_DHCP4_DISCOVER = 1,
	TERN_DHCP4_OFFER = 2,
	TERN_DHCP4_REQUEST = 3,
	TERN_DHCP4_DECLINE = 4,
	TERN_DHCP4_ACK = 5,
	TERN_DHCP4_NAK = 6,
	TERN_DHCP4_RELEASE = 7,
	TERN_DHCP4_INFORM = 8,
	TERN_DHCP4_FORCERENEW = 9,
};

enum tern_dhcp4_opt {
	TERN_DHCP4_OPT_PAD = 0,
	TERN_DHCP4_OPT_SUBNET_MASK = 1,
	TERN_DHCP4_OPT_TIME_OFFSET = 2,
	TERN_DHCP4_OPT_ROUTER = 3,
	TERN_DHCP4_OPT_TIME_SERVER = 4,
	TERN_DHCP4_OPT_NAME_SERVER = 5,
	TERN_DHCP4_OPT_DNS = 6,
	TERN_DHCP4_OPT_LOG_SERVER = 7,
	TERN_DHCP4_OPT_HOST_NAME = 12,
	TERN_DHCP4_OPT_BOOT_SIZE = 13,
	TERN_DHCP4_OPT_DOMAIN_NAME = 15,
	TERN_DHCP4_OPT_ROOT_PATH = 17,
	TERN_DHCP4_OPT_IP_FORWARDING = 19,
	TERN_DHCP4_OPT_DEFAULT_TTL = 23,
	TERN_DHCP4_OPT_MTU = 26,
	TERN_DHCP4_OPT_BROADCAST = 28,
	TERN_DHCP4_OPT_STATIC_ROUTES = 33,
	TERN_DHCP4_OPT_NIS_DOMAIN = 40,
	TERN_DHCP4_OPT_NIS_SERVERS = 41,
	TERN_DHCP4_OPT_NTP = 42,
	TERN_DHCP4_OPT_VENDOR_SPECIFIC = 43,
	TERN_DHCP4_OPT_NETBIOS_NS = 44,
	TERN_DHCP4_OPT_REQUESTED_IP = 50,
	TERN_DHCP4_OPT_LEASE_TIME = 51,
	TERN_DHCP4_OPT_OVERLOAD = 52,
	TERN_DHCP4_OPT_MSG_TYPE = 53,
	TERN_DHCP4_OPT_SERVER_ID = 54,
	TERN_DHCP4_OPT_PRL = 55,
	TERN_DHCP4_OPT_MESSAGE = 56,
	TERN_DHCP4_OPT_MAX_MSG_SIZE = 57,
	TERN_DHCP4_OPT_T1 = 58,
	TERN_DHCP4_OPT_T2 = 59,
	TERN_DHCP4_OPT_VENDOR_CLASS = 60,
	TERN_DHCP4_OPT_CLIENT_ID = 61,
	TERN_DHCP4_OPT_TFTP_SERVER = 66,
	TERN_DHCP4_OPT_BOOTFILE = 67,
	TERN_DHCP4_OPT_USER_CLASS = 77,
	TERN_DHCP4_OPT_FQDN = 81,
	TERN_DHCP4_OPT_RAI = 82,
	TERN_DHCP4_OPT_CLIENT_ARCH = 93,
	TERN_DHCP4_OPT_SUBNET_SELECTION = 118,
	TERN_DHCP4_OPT_DOMAIN_SEARCH = 119,
	TERN_DHCP4_OPT_SIP_SERVERS = 120,
	TERN_DHCP4_OPT_CLASSLESS_ROUTES = 121,
	TERN_DHCP4_OPT_VIVCO = 124,
	TERN_DHCP4_OPT_VIVSO = 125,
	TERN_DHCP4_OPT_END = 255,
};

/* Relay agent information (option 82) sub-options, RFC 3046 and later. */
enum tern_dhcp4_rai_subopt {
	TERN_RAI_CIRCUIT_ID = 1,
	TERN_RAI_REMOTE_ID = 2,
	TERN_RAI_LINK_SELECTION = 5,	  /* RFC 3527 */
	TERN_RAI_SUBSCRIBER_ID = 6,	  /* RFC 3993 */
	TERN_RAI_SERVER_ID_OVERRIDE = 11, /* RFC 5107 */
	TERN_RAI_RELAY_ID = 12,		  /* RFC 6925 */
	TERN_RAI_VSS = 151,		  /* RFC 6607 */
};

/* Option 52 values: which header fields carry options. */
#define TERN_DHCP4_OVERLOAD_FILE  1
#define TERN_DHCP4_OVERLOAD_SNAME 2

/*
 * The fixed header, decoded. Integers in host order; addresses as
 * struct in_addr (network order, as the socket API wants them).
 * sname / file point at the 64 / 128-byte fields themselves (not
 * NUL-terminated): into the packet for a decoded message; for the writer,
 * at caller arrays of exactly that size, or NULL for all zeros.
 */
struct tern_dhcp4_hdr {
	uint8_t op;
	uint8_t htype;
	uint8_t hlen;
	uint8_t hops;
	uint32_t xid;
	uint16_t secs;
	uint16_t flags;
	struct in_addr ciaddr;
	struct in_addr yiaddr;
	struct in_addr siaddr;
	struct in_addr giaddr;
	uint8_t chaddr[16];
	const uint8_t *sname;
	const uint8_t *file;
};

/* One option instance found by the index: data is at buf + off. */
struct tern_dhcp4_opt_ref {
	uint8_t code;
	uint8_t len;
	uint16_t off;
};

/*
 * A decoded message: a view over the caller's buffer. Fill it with
 * tern_dhcp4_parse() (header and options) or tern_dhcp4_parse_header()
 * followed, if needed, by tern_dhcp4_index_options(). opts[] lists the
 * option instances in wire order (options, then file, then sname), Pad and
 * End excluded; iterate it directly for options without a getter.
 */
struct tern_dhcp4_msg {
	struct tern_dhcp4_hdr hdr;
	const uint8_t *buf;
	size_t len;
	uint8_t overload; /* option 52 value, 0 if absent */
	bool indexed;
	uint16_t n_opts;
	uint64_t present[4]; /* bit per option code */
	struct tern_dhcp4_opt_ref opts[TERN_DHCP4_MAX_OPTS];
};

/*
 * Decode the fixed header and check the magic cookie. buf must hold at
 * least TERN_DHCP4_MIN_LEN bytes. Options are not looked at.
 * Returns 0, -EINVAL, -EMSGSIZE (truncated header), -E2BIG (longer than
 * 65535), -EPROTO (bad magic cookie).
 */
int tern_dhcp4_parse_header(struct tern_dhcp4_msg *ret, const uint8_t *buf,
			    size_t len);

/*
 * Index every option of a message whose header was parsed: main area, then
 * file and sname as option 52 says. Returns the number of option instances
 * indexed, or -EBADMSG (an option runs past its area, or option 52 has a
 * wrong length), -ERANGE (option 52 value not 1..3), -E2BIG (more than
 * TERN_DHCP4_MAX_OPTS instances). On failure the index is left empty.
 */
int tern_dhcp4_index_options(struct tern_dhcp4_msg *m);

/* parse_header + index_options. On failure *ret is not usable. */
int tern_dhcp4_parse(struct tern_dhcp4_msg *ret, const uint8_t *buf,
		     size_t len);

static inline bool tern_dhcp4_has_opt(const struct tern_dhcp4_msg *m,
				      uint8_t code)
{
	return (m->present[code >> 6] >> (code & 63)) & 1;
}

static inline const uint8_t *
tern_dhcp4_opt_data(const struct tern_dhcp4_msg *m,
		    const struct tern_dhcp4_opt_ref *o)
{
	return m->buf + o->off;
}

/* Number of instances of an option (more than one: split per RFC 3396). */
int tern_dhcp4_opt_count(const struct tern_dhcp4_msg *m, uint8_t code);

/*
 * The full value of an option. When it is one instance, *ret_data points
 * into the packet (zero copy); when split (RFC 3396) its parts are
 * concatenated into scratch (cap bytes) and *ret_data points there.
 * Returns the value's length, -ENOENT, -ENOBUFS (scratch too small).
 */
int tern_dhcp4_opt_get(const struct tern_dhcp4_msg *m, uint8_t code,
		       uint8_t *scratch, size_t cap, const uint8_t **ret_data);

/* The full value concatenated into out. Returns length, -ENOENT, -ENOBUFS. */
int tern_dhcp4_opt_copy(const struct tern_dhcp4_msg *m, uint8_t code,
			uint8_t *out, size_t cap);

/*
 * Typed getters. Fixed-size options must have exactly their size
 * (-EBADMSG otherwise); all return -ENOENT when absent.
 */
/* Message type (option 53): returns the type (1..255). */
int tern_dhcp4_get_msg_type(const struct tern_dhcp4_msg *m);
int tern_dhcp4_get_u8(const struct tern_dhcp4_msg *m, uint8_t code,
		      uint8_t *ret);
int tern_dhcp4_get_u16(const struct tern_dhcp4_msg *m, uint8_t code,
		       uint16_t *ret);
int tern_dhcp4_get_u32(const struct tern_dhcp4_msg *m, uint8_t code,
		       uint32_t *ret);
int tern_dhcp4_get_addr(const struct tern_dhcp4_msg *m, uint8_t code,
			struct in_addr *ret);
/* A list of addresses (3, 6, 42, ...): returns how many were stored
 * (at most max; -EBADMSG if the length is not a non-zero multiple of 4). */
int tern_dhcp4_get_addrs(const struct tern_dhcp4_msg *m, uint8_t code,
			 struct in_addr *out, size_t max);

static inline int tern_dhcp4_get_requested_ip(const struct tern_dhcp4_msg *m,
					      struct in_addr *ret)
{
	return tern_dhcp4_get_addr(m, TERN_DHCP4_OPT_REQUESTED_IP, ret);
}
static inline int tern_dhcp4_get_server_id(const struct tern_dhcp4_msg *m,
					   struct in_addr *ret)
{
	return tern_dhcp4_get_addr(m, TERN_DHCP4_OPT_SERVER_ID, ret);
}
static inline int tern_dhcp4_get_subnet_mask(const struct tern_dhcp4_msg *m,
					     struct in_addr *ret)
{
	return tern_dhcp4_get_addr(m, TERN_DHCP4_OPT_SUBNET_MASK, ret);
}
static inline int tern_dhcp4_get_lease_time(const struct tern_dhcp4_msg *m,
					    uint32_t *ret)
{
	return tern_dhcp4_get_u32(m, TERN_DHCP4_OPT_LEASE_TIME, ret);
}
static inline int tern_dhcp4_get_t1(const struct tern_dhcp4_msg *m,
				    uint32_t *ret)
{
	return tern_dhcp4_get_u32(m, TERN_DHCP4_OPT_T1, ret);
}
static inline int tern_dhcp4_get_t2(const struct tern_dhcp4_msg *m,
				    uint32_t *ret)
{
	return tern_dhcp4_get_u32(m, TERN_DHCP4_OPT_T2, ret);
}
/* Option 57; values below 576 are returned as they are (caller decides). */
static inline int tern_dhcp4_get_max_msg_size(const struct tern_dhcp4_msg *m,
					      uint16_t *ret)
{
	return tern_dhcp4_get_u16(m, TERN_DHCP4_OPT_MAX_MSG_SIZE, ret);
}

/*
 * Variable-length getters: same contract as tern_dhcp4_opt_get (zero copy
 * unless split; scratch used for split values). Client id must be at
 * least 2 bytes (RFC 2132 §9.14), host name and domain at least 1.
 */
int tern_dhcp4_get_client_id(const struct tern_dhcp4_msg *m, uint8_t *scratch,
			     size_t cap, const uint8_t **ret_data);
int tern_dhcp4_get_prl(const struct tern_dhcp4_msg *m, uint8_t *scratch,
		       size_t cap, const uint8_t **ret_data);
int tern_dhcp4_get_host_name(const struct tern_dhcp4_msg *m, uint8_t *scratch,
			     size_t cap, const uint8_t **ret_data);
int tern_dhcp4_get_domain_name(const struct tern_dhcp4_msg *m, uint8_t *scratch,
			       size_t cap, const uint8_t **ret_data);
int tern_dhcp4_get_vendor_class(const struct tern_dhcp4_msg *m,
				uint8_t *scratch, size_t cap,
				const uint8_t **ret_data);

/* True when option 55 asks for code. */
bool tern_dhcp4_prl_has(const uint8_t *prl, size_t len, uint8_t code);

/* Classless static routes (option 121, RFC 3442). */
struct tern_dhcp4_route {
	struct in_addr dest; /* network, host bits zero */
	uint8_t plen;	     /* 0..32 */
	struct in_addr gw;
};
/*
 * Decode option 121 from value bytes. Returns the number of routes stored
 * (-ENOBUFS when more than max), -EBADMSG on a malformed encoding.
 */
int tern_dhcp4_routes_decode(const uint8_t *data, size_t len,
			     struct tern_dhcp4_route *out, size_t max);
/* Encode routes as option 121 value bytes into out. Returns length. */
int tern_dhcp4_routes_encode(const struct tern_dhcp4_route *routes, size_t n,
			     uint8_t *out, size_t cap);

/*
 * Sub-option iteration (option 82 and other containers with 1-byte code and
 * length). *pos starts at 0. Returns 1 with the next sub-option, 0 at the
 * end, -EBADMSG when a sub-option runs past len.
 */
int tern_dhcp4_subopt_next(const uint8_t *data, size_t len, size_t *pos,
			   uint8_t *ret_code, const uint8_t **ret_data,
			   uint8_t *ret_len);

/* Option 82, decoded. Pointers point into the value given. */
struct tern_dhcp4_rai {
	const uint8_t *circuit_id;
	const uint8_t *remote_id;
	const uint8_t *subscriber_id;
	const uint8_t *relay_id;
	uint8_t circuit_id_len;
	uint8_t remote_id_len;
	uint8_t subscriber_id_len;
	uint8_t relay_id_len;
	bool has_link_selection;
	bool has_server_id_override;
	struct in_addr link_selection;
	struct in_addr server_id_override;
};
/* Decode an option 82 value. -EBADMSG when malformed (incl. a link
 * selection or server id override that is not 4 bytes). */
int tern_dhcp4_rai_decode(const uint8_t *data, size_t len,
			  struct tern_dhcp4_rai *ret);

/*
 * Writer: forward-only, into a caller buffer. Usual order: init, options,
 * header (any time), finish. Errors are sticky: after the first failure
 * every call returns it again and finish reports it, so a caller may check
 * only finish's result.
 *
 * limit is the largest message the receiver takes (e.g. option 57 minus
 * the 28 bytes of IP and UDP headers); 0 means cap. With
 * TERN_DHCP4_W_OVERLOAD, an option that does not fit in the options area
 * goes to `file`, then `sname`, and option 52 is written at finish.
 * Options longer than 255 bytes are split per RFC 3396, and so is a code
 * put more than once: its parts are kept in concatenation order (a later
 * part never lands in an earlier area than a previous one).
 */
#define TERN_DHCP4_W_OVERLOAD 0x1u

struct tern_dhcp4_writer {
	uint8_t *buf;
	size_t cap;
	size_t end;	    /* end of the main options area */
	size_t pos;	    /* next byte in the main options area */
	uint16_t file_pos;  /* bytes used in file (options), 0 = unused */
	uint16_t sname_pos; /* bytes used in sname (options), 0 = unused */
	uint8_t flags;
	uint8_t open_area; /* area of the open container, 0 = none */
	bool spilled;	   /* some option went to file/sname: maps valid */
	size_t open_len;   /* offset of the open container's length byte */
	int err;
	/* Codes with a part in file / sname: a later part of the same code
	 * must not go to an earlier area (RFC 3396 order). Only read once
	 * spilled is set, and zeroed then, so the common case pays nothing. */
	uint64_t in_file[4];
	uint64_t in_sname[4];
};

int tern_dhcp4_writer_init(struct tern_dhcp4_writer *w, uint8_t *buf,
			   size_t cap, size_t limit, unsigned flags);
/* Raw option (any length; split when > 255). */
int tern_dhcp4_put(struct tern_dhcp4_writer *w, uint8_t code, const void *data,
		   size_t len);
/*
 * Write an option header and return where its len (<= 255) data bytes go,
 * for the caller to fill; NULL on failure (error sticky in w->err).
 */
uint8_t *tern_dhcp4_put_reserve(struct tern_dhcp4_writer *w, uint8_t code,
				uint8_t len);
int tern_dhcp4_put_u8(struct tern_dhcp4_writer *w, uint8_t code, uint8_t v);
int tern_dhcp4_put_u16(struct tern_dhcp4_writer *w, uint8_t code, uint16_t v);
int tern_dhcp4_put_u32(struct tern_dhcp4_writer *w, uint8_t code, uint32_t v);
int tern_dhcp4_put_addr(struct tern_dhcp4_writer *w, uint8_t code,
			struct in_addr a);
int tern_dhcp4_put_addrs(struct tern_dhcp4_writer *w, uint8_t code,
			 const struct in_addr *a, size_t n);
int tern_dhcp4_put_str(struct tern_dhcp4_writer *w, uint8_t code,
		       const char *s);

static inline int tern_dhcp4_put_msg_type(struct tern_dhcp4_writer *w,
					  uint8_t type)
{
	return tern_dhcp4_put_u8(w, TERN_DHCP4_OPT_MSG_TYPE, type);
}

/*
 * Container options (option 82 and alike): begin, sub-options, end; no other
 * option may be written while a container is open. The whole container
 * must fit in 255 bytes and in the options field (never overloaded).
 */
int tern_dhcp4_container_begin(struct tern_dhcp4_writer *w, uint8_t code);
int tern_dhcp4_subopt_put(struct tern_dhcp4_writer *w, uint8_t subcode,
			  const void *data, size_t len);
int tern_dhcp4_container_end(struct tern_dhcp4_writer *w);

/* Write the fixed header and magic cookie. sname / file are not written
 * when the writer uses them for options. */
int tern_dhcp4_write_header(struct tern_dhcp4_writer *w,
			    const struct tern_dhcp4_hdr *h);

/*
 * Close the message: End in every area used, option 52 when overloaded,
 * zero padding up to 300 bytes when pad_bootp (and cap allows). Returns the
 * message length or the first error. Call it once.
 */
int tern_dhcp4_writer_finish(struct tern_dhcp4_writer *w, bool pad_bootp);

#ifdef __cplusplus
}
#endif

#endif
