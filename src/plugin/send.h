/* tern-plugin: deliver one lease message to tern-mgr over nanomsg NN_PUSH. */
#ifndef TERN_PLUGIN_SEND_H
#define TERN_PLUGIN_SEND_H

#include <stddef.h>

/* Defaults: at most 5 * 500 + 4 * 250 + 250 ms = 3.75 s. */
#define TPLUG_TRIES_DEFAULT	  5
#define TPLUG_TIMEOUT_MS_DEFAULT  500
#define TPLUG_INTERVAL_MS_DEFAULT 250
#define TPLUG_LINGER_MS_DEFAULT	  250

struct tplug_send_opts {
	const char *addr; /* nanomsg address, e.g. tcp://127.0.0.1:50324 */
	int tries;	  /* send attempts, >= 1 */
	int timeout_ms;	  /* NN_SNDTIMEO of each attempt */
	int interval_ms;  /* pause between attempts */
	int linger_ms;	  /* wait after a successful send, before close */
};

/*
 * Connect an NN_PUSH socket to o->addr and send buf, retrying a bounded
 * number of times: the whole call takes at most
 * tries * (timeout_ms + interval_ms) + linger_ms, so a missing manager
 * never hangs the DHCP client. Returns 0, or -errno of the last failure
 * (-ETIMEDOUT when nobody took the message, -EINVAL for a bad address).
 * *ret_tries (if not NULL) receives the attempts made.
 */
int tplug_send(const struct tplug_send_opts *o, const void *buf, size_t len,
	       int *ret_tries);

#endif
