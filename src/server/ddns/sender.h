/* ternd NCR sender: name change requests to kea-dhcp-ddns over UDP, each
 * sent once the lease it is about is durable. */
#ifndef TERND_DDNS_SENDER_H
#define TERND_DDNS_SENDER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "server/config/config.h"

/*
 * One UDP socket bound to sender-ip:sender-port, sending to
 * server-ip:server-port (kea-dhcp-ddns answers nothing on it). Messages
 * wait in one FIFO of at most max-queue-size: first "pending" (their
 * batch is not yet submitted to the store), then sealed with the batch's
 * ticket, then sent when the store says that ticket is durable. The
 * socket is non-blocking: a full socket buffer keeps the rest queued until
 * the fd is writable. A message that fails to send for another reason is
 * dropped, counted and logged, and the next ones are still tried (Kea
 * suspends all updates until it is reconfigured instead).
 */
struct ternd_ddns_sender;

struct ternd_ddns_stats {
	uint64_t queued;      /* accepted into the queue */
	uint64_t sent;	      /* handed to the kernel */
	uint64_t queue_full;  /* refused: max-queue-size waiting */
	uint64_t not_durable; /* dropped: their batch was not committed */
	uint64_t send_errors; /* dropped: sendto failed */
};

/* Open the socket (before privileges are dropped). Returns 0 or -errno. */
int ternd_ddns_sender_new(const struct ternd_config_ddns *c,
			  struct ternd_ddns_sender **ret);
void ternd_ddns_sender_free(struct ternd_ddns_sender *s);
int ternd_ddns_sender_fd(const struct ternd_ddns_sender *s);

/* Queue one message as pending. Returns 0, -ENOBUFS (queue full: the
 * message is dropped and counted), -ENOMEM, -EINVAL. */
int ternd_ddns_sender_add(struct ternd_ddns_sender *s, const uint8_t *msg,
			  size_t len);
/* The pending messages belong to the batch with this ticket. */
void ternd_ddns_sender_seal(struct ternd_ddns_sender *s, uint64_t ticket);
/* The pending messages' batch was refused: they must never go out. */
void ternd_ddns_sender_drop_pending(struct ternd_ddns_sender *s);

/*
 * Send what is sealed with a ticket <= done, in order. Returns true when
 * the socket is full and messages wait (poll the fd for writing).
 */
bool ternd_ddns_sender_flush(struct ternd_ddns_sender *s, uint64_t done);

const struct ternd_ddns_stats *
ternd_ddns_sender_stats(const struct ternd_ddns_sender *s);

#endif
