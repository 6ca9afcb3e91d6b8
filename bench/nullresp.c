/* bench/nullresp: a stateless DHCPv4 responder (recvmmsg/sendmmsg), the ceiling
 * a real server is compared with. */
#define _GNU_SOURCE /* recvmmsg, sendmmsg */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <tern/dhcp4.h>

#define BATCH 64

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

/*
 * Answer DISCOVER with OFFER and REQUEST with ACK of yiaddr = a hash of
 * chaddr inside 10.250.128.0/17: no lease state, no durability. Replies go
 * to giaddr:67 (perfdhcp relays), as a real server's would.
 */
static int answer(const uint8_t *in, size_t len, uint8_t *out, size_t cap,
		  struct in_addr server, struct sockaddr_in *dst)
{
	struct tern_dhcp4_msg m;
	struct tern_dhcp4_writer w;
	struct tern_dhcp4_hdr h;
	struct in_addr mask = {htonl(0xffff0000)};
	uint32_t hash = 2166136261u;
	int type;

	if (tern_dhcp4_parse(&m, in, len) < 0)
		return -1;
	type = tern_dhcp4_get_msg_type(&m);
	if (type != TERN_DHCP4_DISCOVER && type != TERN_DHCP4_REQUEST)
		return -1;
	if (!m.hdr.giaddr.s_addr)
		return -1;
	h = m.hdr;
	h.op = TERN_DHCP4_BOOTREPLY;
	h.sname = h.file = NULL;
	for (int i = 0; i < 6; i++)
		hash = (hash ^ m.hdr.chaddr[i]) * 16777619u;
	h.yiaddr.s_addr = htonl(0x0afa8000u | (hash & 0x7fff) | 1);
	tern_dhcp4_writer_init(&w, out, cap, 548, 0);
	tern_dhcp4_put_msg_type(&w, type == TERN_DHCP4_DISCOVER
					    ? TERN_DHCP4_OFFER
					    : TERN_DHCP4_ACK);
	tern_dhcp4_put_addr(&w, TERN_DHCP4_OPT_SERVER_ID, server);
	tern_dhcp4_put_u32(&w, TERN_DHCP4_OPT_LEASE_TIME, 3600);
	tern_dhcp4_put_addr(&w, TERN_DHCP4_OPT_SUBNET_MASK, mask);
	tern_dhcp4_put_addr(&w, TERN_DHCP4_OPT_ROUTER, server);
	tern_dhcp4_write_header(&w, &h);
	memset(dst, 0, sizeof(*dst));
	dst->sin_family = AF_INET;
	dst->sin_port = htons(67);
	dst->sin_addr = m.hdr.giaddr;
	return tern_dhcp4_writer_finish(&w, true);
}

int main(int argc, char **argv)
{
	static uint8_t inb[BATCH][1500], outb[BATCH][600];
	struct mmsghdr in[BATCH], out[BATCH];
	struct iovec iin[BATCH], iout[BATCH];
	struct sockaddr_in dst[BATCH];
	struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons(67)};
	struct in_addr server;
	int fd, one = 1;

	if (argc != 2 || inet_pton(AF_INET, argv[1], &server) != 1) {
		fprintf(stderr, "usage: bench_nullresp SERVER-ADDRESS\n");
		return 2;
	}
	{
		/* No SA_RESTART: a signal must end the blocking recvmmsg. */
		struct sigaction sa_stop = {.sa_handler = on_signal};

		sigaction(SIGTERM, &sa_stop, NULL);
		sigaction(SIGINT, &sa_stop, NULL);
	}
	fd = socket(AF_INET, SOCK_DGRAM, 0);
	if (fd < 0 ||
	    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) ||
	    bind(fd, (struct sockaddr *)&sa, sizeof(sa))) {
		perror("bench_nullresp: socket");
		return 1;
	}
	for (int i = 0; i < BATCH; i++) {
		iin[i].iov_base = inb[i];
		iin[i].iov_len = sizeof(inb[i]);
		memset(&in[i], 0, sizeof(in[i]));
		in[i].msg_hdr.msg_iov = &iin[i];
		in[i].msg_hdr.msg_iovlen = 1;
	}
	while (!stop) {
		int n = recvmmsg(fd, in, BATCH, MSG_WAITFORONE, NULL), k = 0;

		if (n < 0) {
			if (errno == EINTR)
				continue;
			perror("bench_nullresp: recvmmsg");
			return 1;
		}
		for (int i = 0; i < n; i++) {
			int len = answer(inb[i], in[i].msg_len, outb[k],
					 sizeof(outb[k]), server, &dst[k]);

			if (len <= 0)
				continue;
			iout[k].iov_base = outb[k];
			iout[k].iov_len = (size_t)len;
			memset(&out[k], 0, sizeof(out[k]));
			out[k].msg_hdr.msg_iov = &iout[k];
			out[k].msg_hdr.msg_iovlen = 1;
			out[k].msg_hdr.msg_name = &dst[k];
			out[k].msg_hdr.msg_namelen = sizeof(dst[k]);
			k++;
		}
		if (k && sendmmsg(fd, out, (unsigned)k, 0) < 0 &&
		    errno != EINTR)
			perror("bench_nullresp: sendmmsg");
	}
	close(fd);
	return 0;
}
