/* ternd client names: option 81 flags and names, option 12, generated and
 * qualified names, as kea-dhcp4 2.2 (d2_client_mgr.cc, dhcp4_srv.cc). Pure. */
#include "server/ddns/fqdn.h"

#include <errno.h>
#include <regex.h>
#include <stdio.h>
#include <string.h>

int ternd_fqdn_parse(const uint8_t *p, size_t n, struct ternd_fqdn *ret)
{
	struct ternd_fqdn f;
	const uint8_t *name;
	size_t len;

	if (!p || !ret || n < 3)
		return -EBADMSG;
	memset(&f, 0, sizeof(f));
	f.flags = p[0];
	f.rcode1 = p[1];
	f.rcode2 = p[2];
	/* RFC 4702 §2.1: N set means S clear. The MBZ bits are not checked
	 * on input (Kea neither). */
	if ((f.flags & (TERND_FQDN_N | TERND_FQDN_S)) ==
	    (TERND_FQDN_N | TERND_FQDN_S))
		return -EBADMSG;
	name = p + 3;
	len = n - 3;
	if (len == 0) {
		*ret = f;
		return 0;
	}
	if (f.flags & TERND_FQDN_E) {
		uint8_t buf[TERND_DNAME_WIRE_MAX + 1];

		/* Without the root label the name is partial; Kea adds the
		 * label to read it. */
		f.full = name[len - 1] == 0;
		if (!f.full) {
			size_t k = len < TERND_DNAME_WIRE_MAX
					   ? len
					   : TERND_DNAME_WIRE_MAX;

			memcpy(buf, name, k);
			buf[k] = 0;
			name = buf;
			len = k + 1;
		}
		if (ternd_dname_from_wire(name, len, true, &f.name) < 0)
			return -EBADMSG;
	} else {
		f.full = name[len - 1] == '.';
		if (ternd_dname_from_text((const char *)name, len, true,
					  &f.name) < 0)
			return -EBADMSG;
	}
	f.has_name = true;
	*ret = f;
	return 0;
}

/* ---- names from the configuration --------------------------------------- */

int ternd_ddns_qualify(const char *name, const char *suffix, bool trailing_dot,
		       char *out, size_t cap)
{
	size_t n = strlen(name), sl = suffix ? strlen(suffix) : 0;
	size_t k = 0;

	if (n + 1 > cap)
		return -ENOBUFS;
	memcpy(out, name, n);
	k = n;
	if (sl) {
		/* Does the name end with the suffix, on a label boundary?
		 * Final dots of either do not count. */
		size_t s_end = suffix[sl - 1] == '.' ? sl - 1 : sl;
		size_t g_end = k && out[k - 1] == '.' ? k - 1 : k;
		bool present = true;

		while (s_end > 0) {
			if (g_end == 0 || suffix[s_end - 1] != out[g_end - 1]) {
				present = false;
				break;
			}
			s_end--;
			g_end--;
		}
		if (present && g_end > 0 && out[g_end - 1] != '.')
			present = false;
		if (!present) {
			if (k > 0 && out[k - 1] != '.') {
				if (k + 1 >= cap)
					return -ENOBUFS;
				out[k++] = '.';
			}
			if (k + sl >= cap)
				return -ENOBUFS;
			memcpy(out + k, suffix, sl);
			k += sl;
		}
	}
	if (trailing_dot && k > 0 && out[k - 1] != '.') {
		if (k + 1 >= cap)
			return -ENOBUFS;
		out[k++] = '.';
	} else if (!trailing_dot && k > 0 && out[k - 1] == '.') {
		k--;
	}
	out[k] = 0;
	return (int)k;
}

int ternd_ddns_generate(uint32_t addr, const struct ternd_ddns_params *p,
			bool trailing_dot, char *out, size_t cap)
{
	char gen[TERND_HOSTNAME_MAX + 32];
	int n;

	n = snprintf(gen, sizeof(gen), "%s-%u-%u-%u-%u", p->generated_prefix,
		     addr >> 24, (addr >> 16) & 255, (addr >> 8) & 255,
		     addr & 255);
	if (n < 0 || (size_t)n >= sizeof(gen))
		return -ENOBUFS;
	return ternd_ddns_qualify(gen, p->qualifying_suffix, trailing_dot, out,
				  cap);
}

int ternd_ddns_scrub(const regex_t *re, const char *rep, const char *in,
		     size_t n, char *out, size_t cap)
{
	size_t rl = rep ? strlen(rep) : 0, k = 0, at = 0;

	if (cap == 0)
		return -ENOBUFS;
	while (at < n) {
		regmatch_t m[1];
		size_t so, eo;

		m[0].rm_so = (regoff_t)at;
		m[0].rm_eo = (regoff_t)n;
		/* REG_STARTEND: the bounds come from m, so embedded NULs
		 * are characters like any other. */
		if (!re || regexec(re, in, 1, m,
				   REG_STARTEND | (at ? REG_NOTBOL : 0)) != 0) {
			so = eo = n;
		} else {
			so = (size_t)m[0].rm_so;
			eo = (size_t)m[0].rm_eo;
		}
		if (k + (so - at) >= cap)
			return -ENOBUFS;
		memcpy(out + k, in + at, so - at);
		k += so - at;
		if (so == n && eo == n)
			break;
		if (k + rl >= cap)
			return -ENOBUFS;
		memcpy(out + k, rep, rl);
		k += rl;
		if (eo == so) {
			/* An empty match: keep one character and go on. */
			if (so < n) {
				if (k + 1 >= cap)
					return -ENOBUFS;
				out[k++] = in[so];
			}
			eo = so + 1;
		}
		at = eo;
	}
	out[k] = 0;
	return (int)k;
}

/* ---- the decision ------------------------------------------------------- */

/* The server's S and N for the client's (Kea's analyzeFqdn). */
static void analyze(uint8_t client, const struct ternd_ddns_params *p, bool eff,
		    bool *s, bool *n)
{
	bool cs = client & TERND_FQDN_S, cn = client & TERND_FQDN_N;

	if (!cn && !cs) {
		*s = eff && p->override_client_update;
		*n = !eff;
	} else if (cs) {
		*s = eff;
		*n = !*s;
	} else {
		*s = eff && p->override_no_update;
		*n = !*s;
	}
}

static bool replaces_present(const struct ternd_ddns_params *p)
{
	return p->replace_client_name == TERND_DDNS_REPLACE_ALWAYS ||
	       p->replace_client_name == TERND_DDNS_REPLACE_WHEN_PRESENT;
}

static bool replaces_absent(const struct ternd_ddns_params *p)
{
	return p->replace_client_name == TERND_DDNS_REPLACE_ALWAYS ||
	       p->replace_client_name == TERND_DDNS_REPLACE_WHEN_NOT_PRESENT;
}

/* Text to a name as Kea's Option4ClientFqdn::setDomainName (lower case). */
static bool set_name(const char *text, struct ternd_dname *ret)
{
	return ternd_dname_from_text(text, strlen(text), true, ret) == 0;
}

/* Sanitize a client's name label by label, as adjustDomainName. */
static bool scrub_labels(const struct ternd_ddns_params *p, char *name,
			 size_t cap)
{
	struct ternd_dname tmp;
	char raw[TERND_DNAME_TEXT_MAX], lab[TERND_DNAME_TEXT_MAX];
	size_t k = 0;
	char *s, *dot;

	if (ternd_dname_from_text(name, strlen(name), false, &tmp) < 0 ||
	    ternd_dname_to_text(&tmp, false, true, raw, sizeof(raw)) < 0)
		return false;
	for (s = raw;; s = dot + 1) {
		int n;

		dot = strchr(s, '.');
		n = ternd_ddns_scrub(p->char_re, p->char_replacement, s,
				     dot ? (size_t)(dot - s) : strlen(s), lab,
				     sizeof(lab));
		if (n < 0 || k + (size_t)n + 2 > cap)
			return false;
		if (s != raw)
			name[k++] = '.';
		memcpy(name + k, lab, (size_t)n);
		k += (size_t)n;
		if (!dot)
			break;
	}
	name[k] = 0;
	return true;
}

/* The reply's option 81 name (Kea's processClientFqdnOption). */
static bool fqdn_name(const struct ternd_name_in *in, const char *res,
		      struct ternd_dname *ret, bool *ret_has)
{
	const struct ternd_ddns_params *p = in->p;
	const struct ternd_fqdn *f = in->fqdn;
	char name[TERND_DNAME_TEXT_MAX], q[TERND_DNAME_TEXT_MAX];

	*ret_has = false;
	if (res) {
		if (ternd_ddns_qualify(res, p->qualifying_suffix, true, q,
				       sizeof(q)) < 0 ||
		    !set_name(q, ret))
			return false;
		*ret_has = true;
		return true;
	}
	if (replaces_present(p) || !f->has_name)
		return true;
	if (ternd_dname_to_text(&f->name, !f->full, false, name, sizeof(name)) <
	    0)
		return false;
	if (p->char_re && !scrub_labels(p, name, sizeof(name)))
		return false;
	if (!f->full) {
		if (ternd_ddns_qualify(name, p->qualifying_suffix, true, q,
				       sizeof(q)) < 0)
			return false;
		memcpy(name, q, sizeof(name));
	}
	if (!set_name(name, ret))
		return false;
	*ret_has = true;
	return true;
}

/* The reply's option 12 (Kea's processHostnameOption); false = failed. */
static bool host_name(const struct ternd_name_in *in, const char *res,
		      struct ternd_client_name *out)
{
	const struct ternd_ddns_params *p = in->p;
	char h[TERND_DNAME_TEXT_MAX], s[TERND_DNAME_TEXT_MAX];
	struct ternd_dname d;
	size_t a = 0, b = in->host_len;
	int n;

	if (res) {
		n = ternd_ddns_qualify(res, p->qualifying_suffix, false, h,
				       sizeof(h));
		if (n <= 0 || (size_t)n >= TERND_HOSTNAME_MAX)
			return false;
		ternd_dname_lower(h);
		memcpy(out->host12, h, (size_t)n + 1);
		out->has12 = true;
		return true;
	}
	if (!in->host) {
		if (replaces_absent(p)) {
			/* "." stands for "generate one" until there is an
			 * address. */
			strcpy(out->host12, ".");
			out->has12 = true;
		}
		return true;
	}
	/* Trimmed of blanks; an empty or malformed name is ignored. */
	while (a < b && strchr(" \t\n", in->host[a]) && in->host[a])
		a++;
	while (b > a && strchr(" \t\n", in->host[b - 1]) && in->host[b - 1])
		b--;
	if (a == b || b - a >= sizeof(h) ||
	    ternd_dname_from_text((const char *)in->host + a, b - a, false,
				  &d) < 0)
		return true;
	if (replaces_present(p) || d.labels < 2) {
		strcpy(out->host12, ".");
		out->has12 = true;
		return true;
	}
	n = ternd_ddns_scrub(p->char_re, p->char_replacement,
			     (const char *)in->host + a, b - a, s, sizeof(s));
	if (n < 0)
		return false;
	ternd_dname_lower(s);
	if (d.labels == 2) {
		n = ternd_ddns_qualify(s, p->qualifying_suffix, false, h,
				       sizeof(h));
		if (n < 0)
			return false;
	} else {
		memcpy(h, s, (size_t)n + 1);
	}
	/* Kea's option 12 cannot be empty: the name is given up. */
	if (n == 0 || (size_t)n >= TERND_HOSTNAME_MAX || strlen(h) != (size_t)n)
		return false;
	memcpy(out->host12, h, (size_t)n + 1);
	out->has12 = true;
	return true;
}

static void encode81(struct ternd_client_name *out, uint8_t flags, uint8_t rc1,
		     uint8_t rc2, const struct ternd_dname *name, bool has_name)
{
	char text[TERND_DNAME_TEXT_MAX];
	size_t k = 3;
	int n;

	out->opt81[0] = flags;
	out->opt81[1] = rc1;
	out->opt81[2] = rc2;
	if (has_name && (flags & TERND_FQDN_E)) {
		memcpy(out->opt81 + k, name->wire, name->len);
		k += name->len;
	} else if (has_name) {
		n = ternd_dname_to_text(name, false, false, text, sizeof(text));
		if (n > 0 && (size_t)n <= sizeof(out->opt81) - k) {
			memcpy(out->opt81 + k, text, (size_t)n);
			k += (size_t)n;
		}
	}
	out->len81 = (uint16_t)k;
	out->has81 = true;
}

void ternd_client_name(const struct ternd_name_in *in,
		       struct ternd_client_name *out)
{
	const struct ternd_ddns_params *p = in->p;
	const char *res = in->reserved && in->reserved[0] ? in->reserved : NULL;
	bool eff = in->enabled && p->send_updates;
	struct ternd_dname name;
	bool has_name = false, s = false, n = false;
	uint8_t flags = 0;
	int len;

	memset(out, 0, sizeof(*out));
	if (in->fqdn) {
		if (!fqdn_name(in, res, &name, &has_name))
			return;
		analyze(in->fqdn->flags, p, eff, &s, &n);
		flags = (uint8_t)((s ? TERND_FQDN_S : 0) |
				  (n ? TERND_FQDN_N : 0) |
				  (in->fqdn->flags & TERND_FQDN_E));
		if (!!(in->fqdn->flags & TERND_FQDN_S) != s)
			flags |= TERND_FQDN_O;
		if (has_name &&
		    ternd_dname_to_text(&name, false, false, out->hostname,
					sizeof(out->hostname)) < 0)
			return;
		out->fwd = s;
		out->rev = !n;
		out->has81 = true;
	} else {
		if (!host_name(in, res, out)) {
			memset(out, 0, sizeof(*out));
			return;
		}
		if (out->has12) {
			if (strcmp(out->host12, ".") != 0)
				strcpy(out->hostname, out->host12);
			out->fwd = out->rev = eff;
		}
	}
	/* After allocation: an empty name is made from the address. */
	if ((out->has81 || out->has12) && !out->hostname[0]) {
		len = ternd_ddns_generate(in->addr, p, out->has81,
					  out->hostname, sizeof(out->hostname));
		if (len < 0)
			out->hostname[0] = 0;
		else if (out->has81)
			has_name = set_name(out->hostname, &name);
		else
			strcpy(out->host12, out->hostname);
	}
	if (out->has81)
		encode81(out, flags, in->fqdn->rcode1, in->fqdn->rcode2, &name,
			 has_name);
}
