/* tern-mgr integration helper: print tern-mgr events (NN_SUB) until a match. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <nanomsg/nn.h>
#include <nanomsg/pubsub.h>

/*
 * mgr-evsub ADDR TIMEOUT_MS [WORD]: prints every event received; exits 0
 * as soon as one event's header line contains WORD (or after the first
 * event without WORD), 1 on timeout.
 */
int main(int argc, char **argv)
{
	const char *word = argc > 3 ? argv[3] : NULL;
	int s, timeout, rc = 1;

	if (argc < 3) {
		fprintf(stderr, "usage: mgr-evsub ADDR TIMEOUT_MS [WORD]\n");
		return 2;
	}
	timeout = atoi(argv[2]);
	s = nn_socket(AF_SP, NN_SUB);
	if (s < 0 || nn_setsockopt(s, NN_SUB, NN_SUB_SUBSCRIBE, "", 0) < 0 ||
	    nn_setsockopt(s, NN_SOL_SOCKET, NN_RCVTIMEO, &timeout,
			  sizeof(timeout)) < 0 ||
	    nn_connect(s, argv[1]) < 0) {
		fprintf(stderr, "mgr-evsub: %s\n", nn_strerror(nn_errno()));
		return 2;
	}
	/* Readiness marker: the test waits for it before acting. */
	printf("READY\n");
	fflush(stdout);
	for (;;) {
		char *buf = NULL;
		int n = nn_recv(s, &buf, NN_MSG, 0);
		size_t hdr;

		if (n < 0)
			break;
		fwrite(buf, 1, (size_t)n, stdout);
		printf("--\n");
		fflush(stdout);
		hdr = strcspn(buf, "\n");
		if (!word || (memmem(buf, hdr < (size_t)n ? hdr : (size_t)n,
				     word, strlen(word)))) {
			rc = 0;
			nn_freemsg(buf);
			break;
		}
		nn_freemsg(buf);
	}
	nn_close(s);
	return rc;
}
