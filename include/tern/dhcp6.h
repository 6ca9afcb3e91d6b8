/* libtern DHCPv6 codec: message views, relay unwrap, decoders, writer. */
#ifndef TERN_DHCP6_H
#define TERN_DHCP6_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <tern/error.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Wire layout (RFC 8415 §8, §9): a client/server message is msg-type (1
 * byte), transaction id (3 bytes), options. A relay message (RELAY-FORW,
 * RELAY-REPL) is msg-type, hop-count, link-address (16), peer-address (16),
 * options; its OPTION_RELAY_MSG holds the relayed message, itself possibly a
 * relay message. Every option is code (16 bits), length (16 bits), value;
 * container options (IA_NA, IA_PD, IAADDR, ...) hold options of the same
 * format after their fixed fields.
 *
 * Ownership: libtern never allocates. Decoded structures are views: every
 * pointer they hand out points into the caller's buffer, which must outlive
 * the view and stay unchanged. Text decoders write into caller buffers. The
 * writer writes only into the caller's buffer, never past the capacity
 * given. Integers are returned in host order, addresses as struct in6_addr.
 *
 * Errors (see tern/error.h): -EMSGSIZE input shorter than the fixed header,
 * -EPROTO wrong framing (a relay message where a client/server one is
 * expected or the reverse), -EBADMSG an option or field runs past its area
 * or has a length wrong for its type, -ERANGE a value out of range, -ELOOP
 * relays nested deeper than TERN_DHCP6_MAX_RELAYS, -ENOENT option absent,
 * -ENOBUFS caller output too small, -EINVAL bad argument.
 */

#define TERN_DHCP6_HDR_LEN	 4  /* msg-type + transaction id */
#define TERN_DHCP6_RELAY_HDR_LEN 34 /* msg-type, hop-count, 2 addresses */
#define TERN_DHCP6_OPT_HDR_LEN	 4  /* option code + length */
#define TERN_DHCP6_MAX_LEN	 65535
#define TERN_DHCP6_XID_MAX	 0xffffffu
/*
 * Relay levels unwrap accepts: a 33rd level is -ELOOP. (RFC 8415's
 * HOP_COUNT_LIMIT is 8 for relays forwarding; a server is more lenient.)
 */
#define TERN_DHCP6_MAX_RELAYS 32
/* Containers the writer can hold open at once (relays + IA + address). */
#define TERN_DHCP6_W_MAX_DEPTH (TERN_DHCP6_MAX_RELAYS + 4)
/* DUID: 2-byte type + at most 128 bytes (RFC 8415 §11.1). */
#define TERN_DHCP6_DUID_MAX_LEN 130
/* A domain name as text: 253 characters + NUL. */
#define TERN_DHCP6_NAME_TEXT_MAX 254

#define TERN_DHCP6_CLIENT_PORT 546
#define TERN_DHCP6_SERVER_PORT 547

enum tern_dhcp6_msg_type {
	TERN_DHCP6_SOLICIT = 1,
	TERN_DHCP6_ADVERTISE = 2,
	TERN_DHCP6_REQUEST = 3,
	TERN_DHCP6_CONFIRM = 4,
	TERN_DHCP6_RENEW = 5,
	TERN_DHCP6_REBIND = 6,
	TERN_DHCP6_REPLY = 7,
	TERN_DHCP6_RELEASE = 8,
	TERN_DHCP6_DECLINE = 9,
	TERN_DHCP6_RECONFIGURE = 10,
	TERN_DHCP6_INFORMATION_REQUEST = 11,
	TERN_DHCP6_RELAY_FORW = 12,
	TERN_DHCP6_RELAY_REPL = 13,
};

enum tern_dhcp6_opt {
	TERN_DHCP6_OPT_CLIENTID = 1,
	TERN_DHCP6_OPT_SERVERID = 2,
	TERN_DHCP6_OPT_IA_NA = 3,
	TERN_DHCP6_OPT_IA_TA = 4,
	TERN_DHCP6_OPT_IAADDR = 5,
	TERN_DHCP6_OPT_ORO = 6,
	TERN_DHCP6_OPT_PREFERENCE = 7,
	TERN_DHCP6_OPT_ELAPSED_TIME = 8,
	TERN_DHCP6_OPT_RELAY_MSG = 9,
	TERN_DHCP6_OPT_AUTH = 11,
	TERN_DHCP6_OPT_UNICAST = 12,
	TERN_DHCP6_OPT_STATUS_CODE = 13,
	TERN_DHCP6_OPT_RAPID_COMMIT = 14,
	TERN_DHCP6_OPT_USER_CLASS = 15,
	TERN_DHCP6_OPT_VENDOR_CLASS = 16,
	TERN_DHCP6_OPT_VENDOR_OPTS = 17,
	TERN_DHCP6_OPT_INTERFACE_ID = 18,
	TERN_DHCP6_OPT_RECONF_MSG = 19,
	TERN_DHCP6_OPT_RECONF_ACCEPT = 20,
	TERN_DHCP6_OPT_DNS_SERVERS = 23, /* RFC 3646 */
	TERN_DHCP6_OPT_DOMAIN_LIST = 24, /* RFC 3646 */
	TERN_DHCP6_OPT_IA_PD = 25,
	TERN_DHCP6_OPT_IAPREFIX = 26,
	TERN_DHCP6_OPT_SNTP_SERVERS = 31, /* RFC 4075 */
	TERN_DHCP6_OPT_INFO_REFRESH_TIME = 32,
	TERN_DHCP6_OPT_REMOTE_ID = 37,		   /* RFC 4649 */
	TERN_DHCP6_OPT_SUBSCRIBER_ID = 38,	   /* RFC 4580 */
	TERN_DHCP6_OPT_CLIENT_FQDN = 39,	   /* RFC 4704 */
	TERN_DHCP6_OPT_NTP_SERVER = 56,		   /* RFC 5908 */
	TERN_DHCP6_OPT_AFTR_NAME = 64,		   /* RFC 6334 */
	TERN_DHCP6_OPT_CLIENT_LINKLAYER_ADDR = 79, /* RFC 6939 */
	TERN_DHCP6_OPT_SOL_MAX_RT = 82,
	TERN_DHCP6_OPT_INF_MAX_RT = 83,
	TERN_DHCP6_OPT_S46_RULE = 89, /* RFC 7598 */
	TERN_DHCP6_OPT_S46_BR = 90,
	TERN_DHCP6_OPT_S46_DMR = 91,
	TERN_DHCP6_OPT_S46_V4V6BIND = 92,
	TERN_DHCP6_OPT_S46_PORTPARAMS = 93,
	TERN_DHCP6_OPT_S46_CONT_MAPE = 94,
	TERN_DHCP6_OPT_S46_CONT_MAPT = 95,
	TERN_DHCP6_OPT_S46_CONT_LW = 96,
};

enum tern_dhcp6_status {
	TERN_DHCP6_STATUS_SUCCESS = 0,
	TERN_DHCP6_STATUS_UNSPEC_FAIL = 1,
	TERN_DHCP6_STATUS_NO_ADDRS_AVAIL = 2,
	TERN_DHCP6_STATUS_NO_BINDING = 3,
	TERN_DHCP6_STATUS_NOT_ON_LINK = 4,
	TERN_DHCP6_STATUS_USE_MULTICAST = 5,
	TERN_DHCP6_STATUS_NO_PREFIX_AVAIL = 6,
};

enum tern_dhcp6_duid_type {
	TERN_DHCP6_DUID_LLT = 1,
	TERN_DHCP6_DUID_EN = 2,
	TERN_DHCP6_DUID_LL = 3,
	TERN_DHCP6_DUID_UUID = 4,
};

/* NTP server option (56) sub-options, RFC 5908 §4. */
enum tern_dhcp6_ntp_subopt {
	TERN_DHCP6_NTP_SRV_ADDR = 1,
	TERN_DHCP6_NTP_MC_ADDR = 2,
	TERN_DHCP6_NTP_SRV_FQDN = 3,
};

/* ---- Decoding ---------------------------------------------------------- */

/*
 * A client/server message (any type but 12 and 13): a view over the
 * caller's buffer. opts / opts_len is the top-level options area.
 */
struct tern_dhcp6_msg {
	const uint8_t *buf;
	size_t len;
	uint8_t type;
	uint32_t xid; /* 24 bits */
	const uint8_t *opts;
	size_t opts_len;
};

/*
 * Decode a client/server message and check that its top-level options
 * are well framed (nested options are checked by the typed decoders).
 * Returns 0, -EINVAL (NULL argument), -EMSGSIZE (shorter than 4 bytes),
 * -E2BIG (longer than 65535), -EPROTO (a relay message: use
 * tern_dhcp6_parse_relay or tern_dhcp6_unwrap), -EBADMSG (an option runs
 * past the end). *ret is a view into buf.
 */
int tern_dhcp6_parse(struct tern_dhcp6_msg *ret, const uint8_t *buf,
		     size_t len);

/*
 * One relay level (RELAY-FORW or RELAY-REPL). Pointers point into the
 * caller's buffer; optional fields are NULL with length 0 when absent.
 */
struct tern_dhcp6_relay {
	uint8_t type; /* 12 or 13 */
	uint8_t hop_count;
	struct in6_addr link_addr;
	struct in6_addr peer_addr;
	const uint8_t *opts; /* this level's whole options area */
	size_t opts_len;
	const uint8_t *relay_msg; /* OPTION_RELAY_MSG value: the next level */
	uint16_t relay_msg_len;
	const uint8_t *interface_id; /* option 18 value (opaque) */
	uint16_t interface_id_len;
	const uint8_t *remote_id; /* option 37 value: enterprise (4) + id */
	uint16_t remote_id_len;
	const uint8_t *subscriber_id; /* option 38 value */
	uint16_t subscriber_id_len;
	const uint8_t
		*client_lladdr; /* option 79: link-layer type (2) + addr */
	uint16_t client_lladdr_len;
};

/*
 * Decode one relay message level. Returns 0, -EINVAL, -EMSGSIZE (shorter
 * than 34 bytes), -E2BIG, -EPROTO (not a relay message), -EBADMSG (an
 * option runs past the end; OPTION_RELAY_MSG absent or repeated; option
 * 18 / 37 / 38 / 79 empty or, for 37 and 79, shorter than their fixed part).
 */
int tern_dhcp6_parse_relay(struct tern_dhcp6_relay *ret, const uint8_t *buf,
			   size_t len);

/*
 * Unwrap relay levels down to the client/server message. relays[0] is the
 * outermost level (the one the server received), relays[n - 1] the one
 * next to the client's message. relays may be NULL when max_relays is 0:
 * the levels are then checked but not recorded. Returns the number of
 * relay levels (0 when buf is not a relay message) with *ret_inner filled,
 * or -ELOOP (more than TERN_DHCP6_MAX_RELAYS levels), -ENOBUFS (more
 * levels than max_relays, relays not NULL), or any error of
 * tern_dhcp6_parse / tern_dhcp6_parse_relay at any level. On failure
 * *ret_inner is untouched and relays[] holds unspecified data.
 */
int tern_dhcp6_unwrap(const uint8_t *buf, size_t len,
		      struct tern_dhcp6_relay *relays, size_t max_relays,
		      struct tern_dhcp6_msg *ret_inner);

/*
 * Option iteration over one options area (a message's, a relay's, or a
 * container's nested options). Initialise with tern_dhcp6_opt_iter_init;
 * the iterator keeps pointers into data.
 */
struct tern_dhcp6_opt_iter {
	const uint8_t *data;
	size_t len;
	size_t pos;
	int err;
};

void tern_dhcp6_opt_iter_init(struct tern_dhcp6_opt_iter *it,
			      const uint8_t *data, size_t len);
/*
 * Next option: returns 1 with code, value pointer (into data; not NULL
 * even when the length is 0) and length; 0 at the end of the area;
 * -EBADMSG when an option header or value runs past the area (sticky:
 * every later call returns it again). ret_* are untouched unless 1.
 */
int tern_dhcp6_opt_next(struct tern_dhcp6_opt_iter *it, uint16_t *ret_code,
			const uint8_t **ret_data, uint16_t *ret_len);

/*
 * Check that an options area is a well-framed sequence of options.
 * Returns the number of options, or -EBADMSG.
 */
int tern_dhcp6_opts_validate(const uint8_t *data, size_t len);

/*
 * First instance of an option in an area. Returns its length with
 * *ret_data pointing at the value (into data), -ENOENT, or -EBADMSG when
 * the area is malformed before the option is found.
 */
int tern_dhcp6_opt_find(const uint8_t *data, size_t len, uint16_t code,
			const uint8_t **ret_data);

/* Number of instances of an option in an area, or -EBADMSG. */
int tern_dhcp6_opt_count(const uint8_t *data, size_t len, uint16_t code);

static inline int tern_dhcp6_msg_find(const struct tern_dhcp6_msg *m,
				      uint16_t code, const uint8_t **ret_data)
{
	return tern_dhcp6_opt_find(m->opts, m->opts_len, code, ret_data);
}

/*
 * Typed decoders. Each takes an option's value (data, len), as returned by
 * the iterator or tern_dhcp6_opt_find, fills *ret on success and returns 0
 * (or a count where said), -EBADMSG when the length is wrong for the type
 * or nested options are malformed. Pointers in *ret point into data.
 */

/* DUID (client id 1, server id 2). */
struct tern_dhcp6_duid {
	uint16_t type;	     /* enum tern_dhcp6_duid_type, or other */
	const uint8_t *raw;  /* the whole DUID (type included) */
	uint16_t raw_len;    /* 3..130 */
	uint16_t hw_type;    /* LLT, LL: hardware type */
	uint32_t time;	     /* LLT: seconds since 2000-01-01 UTC */
	uint32_t enterprise; /* EN: enterprise number */
	const uint8_t *id;   /* LLT/LL: link-layer address; EN: identifier;
			      * UUID: the 16 bytes; other types: after type */
	uint16_t id_len;
};
/* Lengths: 3..130 overall; LLT >= 9, EN >= 7, LL >= 5, UUID == 18. */
int tern_dhcp6_duid_decode(const uint8_t *data, size_t len,
			   struct tern_dhcp6_duid *ret);

/* IA_NA (3), IA_TA (4), IA_PD (25). */
struct tern_dhcp6_ia {
	uint32_t iaid;
	uint32_t t1;	     /* 0 for IA_TA */
	uint32_t t2;	     /* 0 for IA_TA */
	const uint8_t *opts; /* nested options (IAADDR / IAPREFIX / status) */
	size_t opts_len;
};
/* IA_NA, IA_PD: at least 12 bytes; IA_TA: at least 4. Nested options are
 * checked for framing. */
int tern_dhcp6_ia_na_decode(const uint8_t *data, size_t len,
			    struct tern_dhcp6_ia *ret);
int tern_dhcp6_ia_ta_decode(const uint8_t *data, size_t len,
			    struct tern_dhcp6_ia *ret);
int tern_dhcp6_ia_pd_decode(const uint8_t *data, size_t len,
			    struct tern_dhcp6_ia *ret);

/* IAADDR (5): at least 24 bytes. */
struct tern_dhcp6_iaaddr {
	struct in6_addr addr;
	uint32_t preferred;
	uint32_t valid;
	const uint8_t *opts;
	size_t opts_len;
};
int tern_dhcp6_iaaddr_decode(const uint8_t *data, size_t len,
			     struct tern_dhcp6_iaaddr *ret);

/* IAPREFIX (26): at least 25 bytes; prefix length > 128 is -ERANGE. The
 * prefix is returned as sent (bits past plen are not cleared). */
struct tern_dhcp6_iaprefix {
	uint32_t preferred;
	uint32_t valid;
	uint8_t plen;
	struct in6_addr prefix;
	const uint8_t *opts;
	size_t opts_len;
};
int tern_dhcp6_iaprefix_decode(const uint8_t *data, size_t len,
			       struct tern_dhcp6_iaprefix *ret);

/* ORO (6): even length. Stores the codes in out and returns how many;
 * -ENOBUFS when there are more than max. */
int tern_dhcp6_oro_decode(const uint8_t *data, size_t len, uint16_t *out,
			  size_t max);
/* True when an ORO value (well framed or not) asks for code. */
bool tern_dhcp6_oro_has(const uint8_t *data, size_t len, uint16_t code);

/* Fixed-size integers: the length must be exactly 1, 2 or 4. */
int tern_dhcp6_u8_decode(const uint8_t *data, size_t len, uint8_t *ret);
int tern_dhcp6_u16_decode(const uint8_t *data, size_t len, uint16_t *ret);
int tern_dhcp6_u32_decode(const uint8_t *data, size_t len, uint32_t *ret);

/* Preference (7): 1 byte. */
static inline int tern_dhcp6_preference_decode(const uint8_t *data, size_t len,
					       uint8_t *ret)
{
	return tern_dhcp6_u8_decode(data, len, ret);
}
/* Elapsed time (8): 2 bytes, hundredths of a second. */
static inline int tern_dhcp6_elapsed_time_decode(const uint8_t *data,
						 size_t len, uint16_t *ret)
{
	return tern_dhcp6_u16_decode(data, len, ret);
}

/* Rapid commit (14), reconfigure accept (20): must be empty. Returns 0 or
 * -EBADMSG. */
int tern_dhcp6_empty_decode(const uint8_t *data, size_t len);

/* Status code (13): at least 2 bytes; the message is UTF-8, not
 * NUL-terminated, and may be empty (msg then points past the code). */
struct tern_dhcp6_status_code {
	uint16_t code;
	const char *msg;
	uint16_t msg_len;
};
int tern_dhcp6_status_decode(const uint8_t *data, size_t len,
			     struct tern_dhcp6_status_code *ret);

/* Opaque identifiers: interface-id (18) and subscriber-id (38) must not
 * be empty. Returns 0 or -EBADMSG; the value is (data, len) itself. */
int tern_dhcp6_opaque_decode(const uint8_t *data, size_t len);

/* Remote-id (37): enterprise number + id (at least 1 byte). Vendor opts
 * (17): enterprise number + option data (may be empty; it is normally
 * 16/16 TLVs, walk it with the iterator). */
struct tern_dhcp6_enterprise_data {
	uint32_t enterprise;
	const uint8_t *data;
	uint16_t len;
};
int tern_dhcp6_remote_id_decode(const uint8_t *data, size_t len,
				struct tern_dhcp6_enterprise_data *ret);
int tern_dhcp6_vendor_opts_decode(const uint8_t *data, size_t len,
				  struct tern_dhcp6_enterprise_data *ret);

/*
 * Address lists (DNS servers 23, SNTP servers 31, unicast 12 with max 1):
 * a non-zero multiple of 16 bytes. Stores the addresses in out and returns
 * how many; -ENOBUFS when there are more than max.
 */
int tern_dhcp6_addrs_decode(const uint8_t *data, size_t len,
			    struct in6_addr *out, size_t max);

/*
 * DNS names (RFC 1035 §3.1 wire format, as RFC 8415 §10 requires):
 * labels of 1..63 bytes ending with the root label, at most 255 bytes in
 * all; compression pointers and extended label types are -EBADMSG, so is
 * the bare root name. Because names end up in scripts and configuration
 * files, label bytes are restricted to letters, digits, '-' and '_'
 * (anything else is -EBADMSG). Text is dotted, without the final dot,
 * NUL-terminated; TERN_DHCP6_NAME_TEXT_MAX bytes hold any name.
 *
 * tern_dhcp6_name_decode decodes the name starting at data[*pos] (*pos is
 * advanced past it on success) and returns the text length (-ENOBUFS when
 * out is too small). Used for AFTR name, NTP FQDN sub-option and lists.
 */
int tern_dhcp6_name_decode(const uint8_t *data, size_t len, size_t *pos,
			   char *out, size_t cap);

/* Domain search list (24): one or more names filling the value exactly.
 * Text: names separated by one space (resolv.conf "search" style).
 * Returns the number of names, -EBADMSG, -ENOBUFS. */
int tern_dhcp6_domain_list_decode(const uint8_t *data, size_t len, char *out,
				  size_t cap);

/* AFTR name (64, RFC 6334): exactly one name filling the value. Returns
 * the text length, -EBADMSG, -ENOBUFS. */
int tern_dhcp6_aftr_name_decode(const uint8_t *data, size_t len, char *out,
				size_t cap);

/*
 * NTP server (56): a sequence of sub-options, each 16/16 TLV. Iterate
 * them with tern_dhcp6_ntp_next (*pos starts at 0): returns 1 with the
 * next server, 0 at the end, -EBADMSG (runs past the value, an address
 * sub-option not 16 bytes, a malformed FQDN, an empty option 56).
 * Unknown sub-options are returned with only type set. For SRV_FQDN, fqdn
 * points at the wire name: turn it into text with tern_dhcp6_name_decode.
 */
struct tern_dhcp6_ntp_server {
	uint16_t type; /* enum tern_dhcp6_ntp_subopt */
	struct in6_addr addr;
	const uint8_t *fqdn;
	uint16_t fqdn_len;
};
int tern_dhcp6_ntp_next(const uint8_t *data, size_t len, size_t *pos,
			struct tern_dhcp6_ntp_server *ret);

/* MAP-E (94) / MAP-T (95) containers: see tern/mapt.h. */

/* ---- Writing ----------------------------------------------------------- */

/*
 * Forward-only writer into a caller buffer of cap bytes (at most 65535 are
 * used). Errors are sticky: after the first failure every call returns it
 * again and finish reports it, so a caller may check only finish's
 * result. Failures: -ENOBUFS (does not fit), -EINVAL (bad argument, e.g. a
 * transaction id over 24 bits, end without begin), -ELOOP (more than
 * TERN_DHCP6_W_MAX_DEPTH containers open).
 *
 * Order: a header (tern_dhcp6_write_header for a client/server message,
 * tern_dhcp6_begin_relay_reply per relay level first when replying through
 * relays), then options. Containers: tern_dhcp6_begin_* writes the option
 * header and fixed fields; options written until the matching
 * tern_dhcp6_end are nested in it; its length is patched at end.
 */
struct tern_dhcp6_writer {
	uint8_t *buf;
	size_t cap;
	size_t pos;
	uint8_t depth;
	uint16_t open[TERN_DHCP6_W_MAX_DEPTH]; /* offsets of open options */
	int err;
};

/* buf / cap: the caller's buffer, which the writer borrows. Returns 0 or
 * -EINVAL (NULL buf with cap > 0). */
int tern_dhcp6_writer_init(struct tern_dhcp6_writer *w, uint8_t *buf,
			   size_t cap);

/* Client/server header at the current position (first in the buffer, or
 * first inside an open relay-msg). xid must fit in 24 bits. */
int tern_dhcp6_write_header(struct tern_dhcp6_writer *w, uint8_t type,
			    uint32_t xid);

/* Relay header (34 bytes) at the current position. */
int tern_dhcp6_write_relay_header(struct tern_dhcp6_writer *w, uint8_t type,
				  uint8_t hop_count,
				  const struct in6_addr *link_addr,
				  const struct in6_addr *peer_addr);

/* Raw option; data may be NULL when len is 0. */
int tern_dhcp6_put(struct tern_dhcp6_writer *w, uint16_t code, const void *data,
		   size_t len);
/* Raw bytes with no option header: fixed fields of a container begun with
 * tern_dhcp6_begin, or a ready-made message inside a relay-msg. */
int tern_dhcp6_put_bytes(struct tern_dhcp6_writer *w, const void *data,
			 size_t len);
/* Option header, returning where its len data bytes go for the caller to
 * fill (the buffer is the caller's); NULL on failure (w->err set). */
uint8_t *tern_dhcp6_put_reserve(struct tern_dhcp6_writer *w, uint16_t code,
				uint16_t len);
int tern_dhcp6_put_empty(struct tern_dhcp6_writer *w, uint16_t code);
int tern_dhcp6_put_u8(struct tern_dhcp6_writer *w, uint16_t code, uint8_t v);
int tern_dhcp6_put_u16(struct tern_dhcp6_writer *w, uint16_t code, uint16_t v);
int tern_dhcp6_put_u32(struct tern_dhcp6_writer *w, uint16_t code, uint32_t v);
/* Address list (23, 31; 12 with n = 1). n must be >= 1. */
int tern_dhcp6_put_addrs(struct tern_dhcp6_writer *w, uint16_t code,
			 const struct in6_addr *a, size_t n);
/* ORO: n codes. */
int tern_dhcp6_put_oro(struct tern_dhcp6_writer *w, const uint16_t *codes,
		       size_t n);
/* Status code (13); msg is UTF-8 text, may be NULL (empty). */
int tern_dhcp6_put_status(struct tern_dhcp6_writer *w, uint16_t status,
			  const char *msg);
/*
 * DNS names from dotted text (a trailing dot is allowed): one option
 * holding all n names (domain list 24; AFTR name 64 with n = 1). A name
 * with an empty or over-63-byte label, over 255 wire bytes, or a byte
 * the decoder refuses, is -EINVAL.
 */
int tern_dhcp6_put_names(struct tern_dhcp6_writer *w, uint16_t code,
			 const char *const *names, size_t n);

/* Generic container: option header now, length patched at end. */
int tern_dhcp6_begin(struct tern_dhcp6_writer *w, uint16_t code);
/* IA_NA / IA_PD (code 3 or 25: iaid, t1, t2) or IA_TA (4: iaid only). */
int tern_dhcp6_begin_ia(struct tern_dhcp6_writer *w, uint16_t code,
			uint32_t iaid, uint32_t t1, uint32_t t2);
int tern_dhcp6_begin_iaaddr(struct tern_dhcp6_writer *w,
			    const struct in6_addr *addr, uint32_t preferred,
			    uint32_t valid);
/* plen > 128 is -EINVAL. */
int tern_dhcp6_begin_iaprefix(struct tern_dhcp6_writer *w, uint32_t preferred,
			      uint32_t valid, uint8_t plen,
			      const struct in6_addr *prefix);
/* Close the innermost open container. */
int tern_dhcp6_end(struct tern_dhcp6_writer *w);

/*
 * Relay-reply wrapping for one relay level r (as tern_dhcp6_unwrap gave
 * it): a RELAY-REPL header with r's hop count, link and peer addresses,
 * r's interface-id echoed when present (RFC 8415 §19.3), then an open
 * OPTION_RELAY_MSG. Call it for relays[0] .. relays[n - 1] in that order,
 * then write the reply (header + options); finish (or n ends) closes the
 * levels.
 */
int tern_dhcp6_begin_relay_reply(struct tern_dhcp6_writer *w,
				 const struct tern_dhcp6_relay *r);

/* Close every open container. Returns the message length or the first
 * error. */
int tern_dhcp6_writer_finish(struct tern_dhcp6_writer *w);

#ifdef __cplusplus
}
#endif

#endif
