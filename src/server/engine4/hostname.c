/* ternd engine: the host name of a lease and option 12, as kea-dhcp4 2.2
 * derives them (Dhcpv4Srv::processHostnameOption, D2ClientMgr). */
#include <stdio.h>
#include <string.h>

#include "server/engine4/internal.h"

/* Kea's limits on a DNS name in text (isc::dns::Name). */
#define NAME_MAX_WIRE  255
#define NAME_LABEL_MAX 63

static char lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

/*
 * How many labels a name in text has, the root included ("a.b" 3, "a." 2,
 * "." 1, "" 0), as isc::dns::Name counts them; -1 when it is not a valid
 * name (empty label, label over 63, over 255 bytes on the wire, a bad
 * escape). Kea does not answer option 12 then.
 */
static int label_count(const char *s, size_t n)
{
	enum { ORD, START, ESC, DEC } st = START;
	size_t wire = 0, i = 0;
	unsigned count = 0, digits = 0, value = 0;
	bool again = false; /* the same byte once more, in the new state */
	int labels = 1;

	if (n == 0)
		return 0;
	if ((n == 1 && s[0] == '.') || (n == 1 && s[0] == '@'))
		return 1;
	if (s[0] == '.')
		return -1;
	while (i < n) {
		unsigned char c = (unsigned char)s[i];

		if (!again && wire >= NAME_MAX_WIRE)
			return -1;
		again = false;
		switch (st) {
		case START:
			wire++; /* the label's length byte */
			count = 0;
			if (c == '\\') {
				/* A bitstring label "\[" is refused. */
				if (i + 1 < n && s[i + 1] == '[')
					return -1;
				st = ESC;
				i++;
				break;
			}
			st = ORD;
			again = true;
			break;
		case ORD:
			i++;
			if (c == '.') {
				if (count == 0)
					return -1;
				labels++;
				if (i == n)
					return labels;
				st = START;
			} else if (c == '\\') {
				st = ESC;
			} else {
				if (++count > NAME_LABEL_MAX)
					return -1;
				wire++;
			}
			break;
		case ESC:
			if (c < '0' || c > '9') {
				if (++count > NAME_LABEL_MAX)
					return -1;
				wire++;
				st = ORD;
				i++;
				break;
			}
			digits = 0;
			value = 0;
			st = DEC;
			again = true;
			break;
		case DEC:
			i++;
			if (c < '0' || c > '9')
				return -1;
			value = value * 10 + (c - '0');
			if (++digits == 3) {
				if (value > 255 || ++count > NAME_LABEL_MAX)
					return -1;
				wire++;
				st = ORD;
			}
			break;
		}
	}
	if (wire >= NAME_MAX_WIRE || st != ORD)
		return -1;
	return labels + 1;
}

/* Append s[0..n) to out at *len; false when it does not fit. */
static bool put(char *out, size_t size, size_t *len, const char *s, size_t n)
{
	if (*len + n >= size)
		return false;
	memcpy(out + *len, s, n);
	*len += n;
	out[*len] = 0;
	return true;
}

/*
 * D2ClientMgr::qualifyName without a trailing dot: name[0..len) in out
 * gets ".suffix" unless it already ends with the suffix (as a whole
 * label), and loses a final dot.
 */
static bool qualify(char *out, size_t size, size_t *len, const char *suffix)
{
	size_t sl = strlen(suffix), nl = *len;
	size_t se = sl && suffix[sl - 1] == '.' ? sl - 1 : sl;
	size_t ne = nl && out[nl - 1] == '.' ? nl - 1 : nl;
	bool present = true;

	if (sl) {
		/* Compare from the end, trailing dots aside. */
		if (se > ne || memcmp(out + ne - se, suffix, se) != 0)
			present = false;
		/* "foo.barexample.com" does not end with "example.com". */
		else if (ne > se && out[ne - se - 1] != '.')
			present = false;
		if (!present) {
			if (nl && out[nl - 1] != '.' &&
			    !put(out, size, len, ".", 1))
				return false;
			if (!put(out, size, len, suffix, sl))
				return false;
		}
	}
	if (*len && out[*len - 1] == '.')
		out[--*len] = 0;
	return true;
}

/* D2ClientMgr::generateFqdn for option 12: prefix-a-b-c-d.suffix */
static bool generate(char *out, size_t size, const struct ternd_params *p,
		     uint32_t addr)
{
	int n = snprintf(out, size, "%s-%u-%u-%u-%u", p->generated_prefix,
			 addr >> 24, (addr >> 16) & 255, (addr >> 8) & 255,
			 addr & 255);
	size_t len;

	if (n < 0 || (size_t)n >= size)
		return false;
	len = (size_t)n;
	return qualify(out, size, &len, p->qualifying_suffix);
}

static bool in_set(const struct ternd_scrub *s, unsigned char c)
{
	return (s->set[c >> 6] >> (c & 63)) & 1;
}

/* hostname-char-set: every match replaced, then lower case. */
static bool scrub(const struct ternd_scrub *s, const char *in, size_t n,
		  char *out, size_t size, size_t *len)
{
	*len = 0;
	out[0] = 0;
	for (size_t i = 0; i < n;) {
		if (!s || !in_set(s, (unsigned char)in[i])) {
			char c = lower(in[i++]);

			if (!put(out, size, len, &c, 1))
				return false;
			continue;
		}
		i++;
		while (s->runs && i < n && in_set(s, (unsigned char)in[i]))
			i++;
		for (size_t k = 0; k < s->repl_len; k++) {
			char c = lower(s->repl[k]);

			if (!put(out, size, len, &c, 1))
				return false;
		}
	}
	return true;
}

bool e4_client_name(struct ternd_engine *e, const struct req *q, uint32_t si,
		    const struct ternd_reservation *res, uint32_t addr,
		    char *out, size_t size)
{
	const struct ternd_params *p = &e->subs[si].s->params;
	enum ternd_replace_name mode = p->replace_client_name;
	const char *hn = (const char *)q->hn;
	size_t a = 0, b = q->hn_len, len;
	int labels;

	out[0] = 0;
	/* Option 81 wins over option 12: the name then comes from the FQDN
	 * answer (Kea's processClientFqdnOption), which is the ddns room's
	 * work, and no option 12 is sent. */
	if (q->has_fqdn)
		return false;
	if (res && res->hostname) {
		/* A reserved name wins, qualified, lower-cased, and is sent
		 * whether the client asked or not. */
		len = 0;
		if (!put(out, size, &len, res->hostname,
			 strlen(res->hostname)) ||
		    !qualify(out, size, &len, p->qualifying_suffix))
			return out[0] = 0, false;
		for (size_t i = 0; i < len; i++)
			out[i] = lower(out[i]);
		return len > 0;
	}
	if (!hn) {
		if (mode == TERND_RCN_ALWAYS ||
		    mode == TERND_RCN_WHEN_NOT_PRESENT)
			return generate(out, size, p, addr);
		return false;
	}
	/* Kea trims blanks, then counts labels as a DNS name. */
	while (a < b && (hn[a] == ' ' || hn[a] == '\t' || hn[a] == '\n'))
		a++;
	while (b > a &&
	       (hn[b - 1] == ' ' || hn[b - 1] == '\t' || hn[b - 1] == '\n'))
		b--;
	labels = label_count(hn + a, b - a);
	if (labels <= 0)
		return false;
	if (mode == TERND_RCN_ALWAYS || mode == TERND_RCN_WHEN_PRESENT ||
	    labels < 2)
		return generate(out, size, p, addr);
	if (!scrub(p->scrub, hn + a, b - a, out, size, &len))
		return out[0] = 0, false;
	/* One label: qualified (no trailing dot); more: as sent. */
	if (labels == 2 && !qualify(out, size, &len, p->qualifying_suffix))
		return out[0] = 0, false;
	/* An empty name cannot be sent (Kea fails the option). */
	return len > 0;
}

void e4_name_lease(struct ternd_engine *e, struct req *q, struct ternd_rec *r)
{
	q->send12 = e4_client_name(e, q, r->sub, e4_res_for(e, q, r->sub),
				   r->l.addr, e->name_buf, sizeof(e->name_buf));
	e4_set_hostname(r, e->name_buf);
}
