/* Kea's control-channel framing: one JSON command's end in a byte stream. */
#include <stdio.h>
#include <string.h>

#include "server/control/feed.h"

/* The states of kea@2.2.0 src/lib/cc/json_feed.cc, by what they mean. */
enum {
	ST_START,      /* nothing read yet */
	ST_BLANK,      /* blanks before the value */
	ST_PRE_EOL,    /* '#' or '//' comment before the value */
	ST_PRE_SLASH,  /* '/' before the value */
	ST_PRE_C,      /* slash-star comment before the value */
	ST_PRE_C_STAR, /* '*' in it */
	ST_INNER,      /* inside the value */
	ST_STRING,     /* inside a string */
	ST_ESCAPE,     /* after '\' in a string */
	ST_EOL,	       /* line comment inside the value */
	ST_SLASH,      /* '/' inside the value */
	ST_C,	       /* slash-star comment inside the value */
	ST_C_STAR,     /* '*' in it */
	ST_DONE,
	ST_FAILED,
};

void ternd_feed_init(struct ternd_feed *f)
{
	memset(f, 0, sizeof(*f));
	f->state = ST_START;
}

static enum ternd_feed_status fail(struct ternd_feed *f, const char *what,
				   char c)
{
	/* Kea puts the byte itself in the text, whatever it is. */
	snprintf(f->msg, sizeof(f->msg), "%s%c", what, c);
	f->state = ST_FAILED;
	return TERND_FEED_FAILED;
}

/* A value starts at buf[i]. */
static void open_value(struct ternd_feed *f, size_t i)
{
	f->start = i;
	f->depth = 1;
	f->processed = 1;
	f->state = ST_INNER;
}

enum ternd_feed_status ternd_feed_scan(struct ternd_feed *f, const char *buf,
				       size_t len)
{
	for (; f->pos < len && f->state != ST_DONE && f->state != ST_FAILED;
	     f->pos++) {
		char c = buf[f->pos];

		switch (f->state) {
		case ST_START:
		case ST_BLANK:
			if (c == ' ' || c == '\t' || c == '\n' || c == '\r')
				f->state = ST_BLANK;
			else if (c == '#')
				f->state = ST_PRE_EOL;
			else if (c == '/')
				f->state = ST_PRE_SLASH;
			else if (c == '{' || c == '[')
				open_value(f, f->pos);
			else
				return fail(f,
					    f->state == ST_START
						    ? "invalid first character "
						    : "invalid character ",
					    c);
			break;
		case ST_PRE_EOL:
			if (c == '\n')
				f->state = ST_BLANK;
			break;
		case ST_PRE_SLASH:
			if (c == '/')
				f->state = ST_PRE_EOL;
			else if (c == '*')
				f->state = ST_PRE_C;
			else
				return fail(f, "invalid characters /", c);
			break;
		case ST_PRE_C:
			if (c == '*')
				f->state = ST_PRE_C_STAR;
			break;
		case ST_PRE_C_STAR:
			if (c == '/')
				f->state = ST_BLANK;
			else if (c != '*')
				f->state = ST_PRE_C;
			break;
		case ST_INNER:
			if (c == '#') {
				f->state = ST_EOL;
				break;
			}
			if (c == '/') {
				f->state = ST_SLASH;
				break;
			}
			f->processed++;
			if (c == '{' || c == '[') {
				f->depth++;
			} else if (c == '}' || c == ']') {
				if (--f->depth == 0) {
					f->end = f->pos + 1;
					f->state = ST_DONE;
				}
			} else if (c == '"') {
				f->state = ST_STRING;
			}
			break;
		case ST_STRING:
			f->processed++;
			if (c == '"')
				f->state = ST_INNER;
			else if (c == '\\')
				f->state = ST_ESCAPE;
			break;
		case ST_ESCAPE:
			f->processed++;
			f->state = ST_STRING;
			break;
		case ST_EOL:
			if (c == '\n') {
				f->processed++;
				f->state = ST_INNER;
			}
			break;
		case ST_SLASH:
			if (c == '/')
				f->state = ST_EOL;
			else if (c == '*')
				f->state = ST_C;
			else
				return fail(f, "invalid characters /", c);
			break;
		case ST_C:
		case ST_C_STAR:
			if (c == '\n')
				f->processed++;
			if (f->state == ST_C_STAR && c == '/')
				f->state = ST_INNER;
			else
				f->state = c == '*' ? ST_C_STAR : ST_C;
			break;
		default:
			break;
		}
	}
	if (f->state == ST_DONE)
		return TERND_FEED_DONE;
	return f->state == ST_FAILED ? TERND_FEED_FAILED : TERND_FEED_MORE;
}
