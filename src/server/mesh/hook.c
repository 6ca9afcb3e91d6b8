/* ternd mesh hook: ddhcpd's lease and learning hook script, run in a
 * bounded number of child processes that are killed when they hang. */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <arpa/inet.h>

#include <tern/dhcp4.h>

#include "common/clock.h"
#include "common/log.h"
#include "server/mesh/node_internal.h"

/* ---- hook ---- */

void mn_reap_hooks(struct ternd_mesh_node *n, int64_t now)
{
	for (size_t i = 0; i < HOOK_MAX; i++) {
		struct hook_proc *h = &n->hooks[i];

		if (!h->pid)
			continue;
		if (waitpid(h->pid, NULL, WNOHANG) == h->pid) {
			h->pid = 0;
			continue;
		}
		if (now - h->started_ms > HOOK_KILL_MS)
			kill(h->pid, SIGKILL); /* reaped next time */
	}
}

void mn_run_hook(struct ternd_mesh_node *n, const char *action, const char *ip,
		 const char *mac)
{
	struct hook_proc *slot = NULL;
	int64_t now = tern_mono_ms();
	pid_t pid;

	if (!n->o.hook)
		return;
	mn_reap_hooks(n, now);
	for (size_t i = 0; i < HOOK_MAX && !slot; i++)
		if (!n->hooks[i].pid)
			slot = &n->hooks[i];
	if (!slot) {
		n->hooks_dropped++;
		tern_log_rl(&mn_rl, LOG_WARNING,
			    "mesh hook: %d still running, %s not run", HOOK_MAX,
			    action);
		return;
	}
	pid = fork();
	if (pid < 0)
		return;
	if (pid == 0) {
		sigset_t all;

		sigemptyset(&all);
		sigprocmask(SIG_SETMASK, &all, NULL);
		if (ip)
			execl(n->o.hook, n->o.hook, action, ip, mac,
			      (char *)NULL);
		else
			execl(n->o.hook, n->o.hook, action, (char *)NULL);
		_exit(127);
	}
	slot->pid = pid;
	slot->started_ms = now;
}

void mn_hook_lease(struct ternd_mesh_node *n, const char *action, uint32_t addr,
		   const uint8_t *hw)
{
	char ip[INET_ADDRSTRLEN], mac[18];
	struct in_addr a = {htonl(addr)};

	inet_ntop(AF_INET, &a, ip, sizeof(ip));
	snprintf(mac, sizeof(mac), "%02x:%02x:%02x:%02x:%02x:%02x", hw[0],
		 hw[1], hw[2], hw[3], hw[4], hw[5]);
	mn_run_hook(n, action, ip, mac);
}

void ternd_mesh_node_replied(struct ternd_mesh_node *n,
			     const struct ternd_tx *tx)
{
	struct tern_dhcp4_msg m;

	if (!n || tx->msg_type != TERN_DHCP4_ACK ||
	    tern_dhcp4_parse_header(&m, tx->buf, tx->len) < 0 ||
	    !m.hdr.yiaddr.s_addr)
		return;
	mn_hook_lease(n, "lease", ntohl(m.hdr.yiaddr.s_addr), m.hdr.chaddr);
}
