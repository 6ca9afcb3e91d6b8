/* ternd NCR sender: a bounded FIFO of datagrams for kea-dhcp-ddns, released
 * by the store's tickets, sent on a non-blocking UDP socket. */
#include "server/ddns/sender.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "common/log.h"

#define PENDING UINT64_MAX /* not yet sealed with a ticket */

struct msg {
	struct msg *next;
	uint64_t ticket;
	size_t len;
	uint8_t data[];
};

struct ternd_ddns_sender {
	int fd;
	struct sockaddr_storage to;
	socklen_t to_len;
	uint32_t max;
	uint32_t n;
	struct msg *head, *tail;
	struct ternd_ddns_stats st;
};

static struct tern_ratelimit rl_send = TERN_RATELIMIT_INIT(10, 2);
static struct tern_ratelimit rl_full = TERN_RATELIMIT_INIT(10, 2);

static socklen_t sockaddr_of(int family, const uint8_t ip[16], uint16_t port,
			     struct sockaddr_storage *ss)
{
	memset(ss, 0, sizeof(*ss));
	if (family == AF_INET6) {
		struct sockaddr_in6 *a = (struct sockaddr_in6 *)ss;

		a->sin6_family = AF_INET6;
		a->sin6_port = htons(port);
		memcpy(&a->sin6_addr, ip, 16);
		return sizeof(*a);
	}
	{
		struct sockaddr_in *a = (struct sockaddr_in *)ss;

		a->sin_family = AF_INET;
		a->sin_port = htons(port);
		memcpy(&a->sin_addr, ip, 4);
		return sizeof(*a);
	}
}

int ternd_ddns_sender_new(const struct ternd_config_ddns *c,
			  struct ternd_ddns_sender **ret)
{
	struct ternd_ddns_sender *s;
	struct sockaddr_storage from;
	socklen_t from_len;
	int r;

	if (!c || !ret)
		return -EINVAL;
	s = calloc(1, sizeof(*s));
	if (!s)
		return -ENOMEM;
	s->max = c->max_queue_size ? c->max_queue_size : 1;
	s->to_len = sockaddr_of(c->server_family, c->server_ip, c->server_port,
				&s->to);
	from_len = sockaddr_of(c->sender_family, c->sender_ip, c->sender_port,
			       &from);
	s->fd = socket(c->server_family == AF_INET6 ? AF_INET6 : AF_INET,
		       SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (s->fd < 0) {
		r = -errno;
		free(s);
		return r;
	}
	if (bind(s->fd, (struct sockaddr *)&from, from_len) < 0) {
		r = -errno;
		close(s->fd);
		free(s);
		return r;
	}
	*ret = s;
	return 0;
}

void ternd_ddns_sender_free(struct ternd_ddns_sender *s)
{
	struct msg *m, *next;

	if (!s)
		return;
	for (m = s->head; m; m = next) {
		next = m->next;
		free(m);
	}
	if (s->fd >= 0)
		close(s->fd);
	free(s);
}

int ternd_ddns_sender_fd(const struct ternd_ddns_sender *s)
{
	return s ? s->fd : -1;
}

int ternd_ddns_sender_add(struct ternd_ddns_sender *s, const uint8_t *msg,
			  size_t len)
{
	struct msg *m;

	if (!s || !msg || !len)
		return -EINVAL;
	if (s->n >= s->max) {
		s->st.queue_full++;
		tern_log_rl(&rl_full, LOG_ERR,
			    "DDNS: %u name change requests wait already "
			    "(max-queue-size): one dropped",
			    s->n);
		return -ENOBUFS;
	}
	m = malloc(sizeof(*m) + len);
	if (!m)
		return -ENOMEM;
	m->next = NULL;
	m->ticket = PENDING;
	m->len = len;
	memcpy(m->data, msg, len);
	if (s->tail)
		s->tail->next = m;
	else
		s->head = m;
	s->tail = m;
	s->n++;
	s->st.queued++;
	return 0;
}

void ternd_ddns_sender_seal(struct ternd_ddns_sender *s, uint64_t ticket)
{
	/* The pending ones are the tail: every message before them was
	 * sealed when its batch was submitted. */
	for (struct msg *m = s ? s->head : NULL; m; m = m->next)
		if (m->ticket == PENDING)
			m->ticket = ticket;
}

void ternd_ddns_sender_drop_pending(struct ternd_ddns_sender *s)
{
	struct msg **pp, *m;

	if (!s)
		return;
	s->tail = NULL;
	for (pp = &s->head; (m = *pp);) {
		if (m->ticket == PENDING) {
			*pp = m->next;
			free(m);
			s->n--;
			s->st.not_durable++;
			continue;
		}
		s->tail = m;
		pp = &m->next;
	}
}

bool ternd_ddns_sender_flush(struct ternd_ddns_sender *s, uint64_t done)
{
	struct msg *m;

	if (!s)
		return false;
	while ((m = s->head) && m->ticket != PENDING && m->ticket <= done) {
		ssize_t r = sendto(s->fd, m->data, m->len, MSG_DONTWAIT,
				   (struct sockaddr *)&s->to, s->to_len);

		if (r < 0 && (errno == EAGAIN || errno == EWOULDBLOCK ||
			      errno == ENOBUFS))
			return true;
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			s->st.send_errors++;
			tern_log_rl(&rl_send, LOG_ERR,
				    "DDNS: cannot send a name change request "
				    "to kea-dhcp-ddns: %s (dropped)",
				    strerror(errno));
		} else {
			s->st.sent++;
		}
		s->head = m->next;
		if (!s->head)
			s->tail = NULL;
		s->n--;
		free(m);
	}
	return false;
}

const struct ternd_ddns_stats *
ternd_ddns_sender_stats(const struct ternd_ddns_sender *s)
{
	return s ? &s->st : NULL;
}
