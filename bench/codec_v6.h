/* bench/codec: the DHCPv6 REPLY parsing scenario. */
#ifndef TERN_BENCH_CODEC_V6_H
#define TERN_BENCH_CODEC_V6_H

/* Load the captured kea-dhcp6 REPLY (IA_NA, IA_PD, DNS, domain, MAP-T). */
int bench_v6_init(void);
/* Parse it as a client does: every option, nested IAs, DNS, MAP-T. */
void bench_v6_reply_once(void);

#endif
