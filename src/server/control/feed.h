/* Kea's control-channel framing: where one JSON command ends in a byte
 * stream (pure, incremental). */
#ifndef TERND_CONTROL_FEED_H
#define TERND_CONTROL_FEED_H

#include <stddef.h>
#include <stdint.h>

/*
 * The framing of kea-dhcp4 2.2's JSONFeed (docs/control.md "Framing"):
 * before the value only blanks and comments ("#", "//", slash-star) may
 * come; the value must start with '{' or '['; it ends when its brackets
 * balance, brackets inside strings and comments not counted. What follows
 * the value is never read. The value itself is parsed afterwards.
 */
enum ternd_feed_status {
	TERND_FEED_MORE,   /* no complete value yet */
	TERND_FEED_DONE,   /* a value in [start, end) */
	TERND_FEED_FAILED, /* not a command: msg says why (Kea's text) */
};

struct ternd_feed {
	int state;
	uint32_t depth;
	size_t pos;	  /* bytes scanned */
	size_t start;	  /* first byte of the value */
	size_t end;	  /* just past its closing bracket (DONE) */
	size_t processed; /* what Kea counts as received command text */
	char msg[48];
};

void ternd_feed_init(struct ternd_feed *f);
/*
 * Scan buf[f->pos .. len): buf holds every byte received so far (the same
 * prefix on every call). Returns the status; once DONE or FAILED, later
 * calls return it again.
 */
enum ternd_feed_status ternd_feed_scan(struct ternd_feed *f, const char *buf,
				       size_t len);

#endif
