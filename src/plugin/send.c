/* tern-plugin: nanomsg NN_PUSH delivery with bounded retries. */
#include <errno.h>
#include <time.h>

#include <nanomsg/nn.h>
#include <nanomsg/pipeline.h>

#include "send.h"

static void sleep_ms(int ms)
{
	struct timespec ts = {.tv_sec = ms / 1000,
			      .tv_nsec = (long)(ms % 1000) * 1000000L};

	while (ms > 0 && nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

int tplug_send(const struct tplug_send_opts *o, const void *buf, size_t len,
	       int *ret_tries)
{
	int s, r = 0, tries = 0;

	if (!o || !o->addr || !buf || o->tries < 1 || o->timeout_ms < 0)
		return -EINVAL;
	s = nn_socket(AF_SP, NN_PUSH);
	if (s < 0)
		return -nn_errno();
	/* A send must never block for ever (RDK once hung udhcpc at boot). */
	if (nn_setsockopt(s, NN_SOL_SOCKET, NN_SNDTIMEO, &o->timeout_ms,
			  sizeof(o->timeout_ms)) < 0 ||
	    nn_connect(s, o->addr) < 0) {
		r = -nn_errno();
		goto out;
	}
	for (;;) {
		tries++;
		if (nn_send(s, buf, len, 0) == (int)len) {
			r = 0;
			break;
		}
		r = -nn_errno();
		/* Only "nobody there yet" is worth another try. */
		if ((r != -ETIMEDOUT && r != -EAGAIN && r != -EINTR) ||
		    tries >= o->tries)
			break;
		sleep_ms(o->interval_ms);
	}
	/*
	 * nanomsg 1.x does not implement NN_LINGER: a message still queued
	 * in the pipe is lost by nn_close. Its man page says to wait a
	 * little before closing.
	 */
	if (r == 0)
		sleep_ms(o->linger_ms);
out:
	nn_close(s);
	if (ret_tries)
		*ret_tries = tries;
	return r;
}
