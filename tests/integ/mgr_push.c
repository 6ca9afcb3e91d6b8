/* tern-mgr integration helper: send lease messages, good or bad, over NN_PUSH.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <nanomsg/nn.h>
#include <nanomsg/pipeline.h>

#include <tern/lease_ipc.h>

/*
 * mgr-push ADDR KIND IFNAME [COUNT]: KIND is
 *   short      a 10-byte message (size check)
 *   badver     a full-size message with version 5
 *   v4         a valid DHCPv4 "bound" lease 192.0.2.10/24
 *   garbage    a full-size message of 0xff bytes
 */
int main(int argc, char **argv)
{
	static struct tern_lease_msg m;
	const void *buf = &m;
	size_t len = sizeof(m);
	int s, count = argc > 4 ? atoi(argv[4]) : 1, timeout = 2000, sent = 0;
	struct timespec pause = {0, 100 * 1000000L};

	if (argc < 4) {
		fprintf(stderr, "usage: mgr-push ADDR KIND IFNAME [COUNT]\n");
		return 2;
	}
	if (tern_lease_msg_init(&m, TERN_LEASE_V4, argv[3]) < 0) {
		fprintf(stderr, "mgr-push: bad ifname\n");
		return 2;
	}
	if (!strcmp(argv[2], "short")) {
		len = 10;
	} else if (!strcmp(argv[2], "badver")) {
		m.version = 5;
	} else if (!strcmp(argv[2], "garbage")) {
		memset(&m, 0xff, sizeof(m));
	} else if (!strcmp(argv[2], "v4")) {
		m.data.v4.address_assigned = 1;
		m.data.v4.event = TERN_LEASE_V4_BOUND;
		m.data.v4.prefix_len = 24;
		TERN_LEASE_SET(m.data.v4.address, "192.0.2.10");
		TERN_LEASE_SET(m.data.v4.netmask, "255.255.255.0");
		TERN_LEASE_SET(m.data.v4.dhcp_state, "bound");
		m.data.v4.lease_time = 600;
	} else {
		fprintf(stderr, "mgr-push: unknown kind %s\n", argv[2]);
		return 2;
	}
	s = nn_socket(AF_SP, NN_PUSH);
	if (s < 0 ||
	    nn_setsockopt(s, NN_SOL_SOCKET, NN_SNDTIMEO, &timeout,
			  sizeof(timeout)) < 0 ||
	    nn_connect(s, argv[1]) < 0) {
		fprintf(stderr, "mgr-push: %s\n", nn_strerror(nn_errno()));
		return 2;
	}
	for (int i = 0; i < count; i++)
		if (nn_send(s, buf, len, 0) == (int)len)
			sent++;
	/* nanomsg drops queued messages on close: let them leave first. */
	nanosleep(&pause, NULL);
	nn_close(s);
	printf("%d\n", sent);
	return sent == count ? 0 : 1;
}
