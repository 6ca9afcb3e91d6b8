/* Test tool: sends hostile datagrams (corpus files and mutations of them) to a
 * UDP port, bounded in count and time. An IPv6 destination (ADDR%IFACE for a
 * link-local or multicast one) also gets DHCPv6 seeds wrapped in nested
 * RELAY-FORW levels, up to twice the depth a server must accept. */
#include <arpa/inet.h>
#include <dirent.h>
#include <netdb.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MAX_SEEDS 512
#define MAX_LEN	  1500

static uint8_t seeds[MAX_SEEDS][MAX_LEN];
static size_t seed_len[MAX_SEEDS];
static size_t n_seeds;

static void load_dir(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;

	if (!d)
		return;
	while ((e = readdir(d)) && n_seeds < MAX_SEEDS) {
		char p[4096];
		FILE *f;

		if (e->d_name[0] == '.')
			continue;
		snprintf(p, sizeof(p), "%s/%s", dir, e->d_name);
		f = fopen(p, "rb");
		if (!f)
			continue;
		seed_len[n_seeds] = fread(seeds[n_seeds], 1, MAX_LEN, f);
		fclose(f);
		if (seed_len[n_seeds])
			n_seeds++;
	}
	closedir(d);
}

/* xorshift: deterministic per seed, so a failing run can be replayed. */
static uint64_t rng_state = 88172645463325252ull;
static uint64_t rnd(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

/* Wrap pkt[0..len) in levels RELAY-FORW headers (hop count, link and peer
 * address, a Relay Message option); returns the new length, len when it
 * would not fit. */
static size_t nest(uint8_t *pkt, size_t len, int levels)
{
	static uint8_t tmp[MAX_LEN];

	for (int l = 0; l < levels; l++) {
		if (len + 38 > MAX_LEN)
			break;
		memset(tmp, 0, 34);
		tmp[0] = 12; /* RELAY-FORW */
		tmp[1] = (uint8_t)(levels - 1 - l);
		for (int k = 2; k < 34; k++)
			tmp[k] = (uint8_t)rnd();
		tmp[34] = 0;
		tmp[35] = 9; /* OPTION_RELAY_MSG */
		tmp[36] = (uint8_t)(len >> 8);
		tmp[37] = (uint8_t)len;
		memcpy(tmp + 38, pkt, len);
		len += 38;
		memcpy(pkt, tmp, len);
	}
	return len;
}

int main(int argc, char **argv)
{
	struct addrinfo hints = {.ai_socktype = SOCK_DGRAM}, *ai = NULL;
	bool v6;
	long count, secs;
	uint8_t pkt[MAX_LEN];
	time_t end;
	int fd, one = 1;
	long sent = 0;

	if (argc < 6) {
		fprintf(stderr,
			"usage: udp_blast ADDR PORT COUNT SECONDS DIR...\n");
		return 2;
	}
	hints.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV;
	if (getaddrinfo(argv[1], argv[2], &hints, &ai) != 0)
		return 2;
	v6 = ai->ai_family == AF_INET6;
	count = atol(argv[3]);
	secs = atol(argv[4]);
	for (int i = 5; i < argc; i++)
		load_dir(argv[i]);
	if (!n_seeds || count <= 0 || count > 10000000 || secs <= 0 ||
	    secs > 600)
		return 2;
	fd = socket(ai->ai_family, SOCK_DGRAM, 0);
	if (fd < 0 || (!v6 && setsockopt(fd, SOL_SOCKET, SO_BROADCAST, &one,
					 sizeof(one))))
		return 1;
	end = time(NULL) + secs;
	for (long i = 0; i < count && time(NULL) < end; i++) {
		size_t s = rnd() % n_seeds, len = seed_len[s];

		memcpy(pkt, seeds[s], len);
		switch (rnd() % (v6 ? 5 : 4)) {
		case 0: /* as is */
			break;
		case 1: /* flip bytes */
			for (int k = 0; k < 8; k++)
				pkt[rnd() % len] = (uint8_t)rnd();
			break;
		case 2: /* truncate */
			len = rnd() % len;
			break;
		case 4: /* nested relays, sometimes past the limit of 32 */
			len = nest(pkt, len, 1 + (int)(rnd() % 64));
			if (rnd() % 2)
				pkt[rnd() % len] = (uint8_t)rnd();
			break;
		default: /* random tail past the options */
			if (len < 240)
				break;
			for (size_t k = 240; k < len; k++)
				pkt[k] = (uint8_t)rnd();
			break;
		}
		if (sendto(fd, pkt, len, 0, ai->ai_addr, ai->ai_addrlen) >= 0)
			sent++;
		/* Keep the socket buffer from overflowing our own side. */
		if ((i & 255) == 255)
			usleep(1000);
	}
	printf("udp_blast: sent %ld datagrams\n", sent);
	close(fd);
	freeaddrinfo(ai);
	return 0;
}
