/* ternd configuration: Dhcp6 relay-supplied-options (RFC 6422), as Kea
 * 2.2's RSOOListConfigParser: option codes or standard DHCPv6 names. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "common/optdefs6.h"
#include "server/config/loader6.h"

#define OPT_ERP_LOCAL_DOMAIN_NAME 65 /* RFC 6440: always enabled */

static int cmp_u16(const void *a, const void *b)
{
	return (int)*(const uint16_t *)a - (int)*(const uint16_t *)b;
}

/* boost::lexical_cast<int64_t>: an optional sign, then digits only. */
static bool as_int(const char *s, int64_t *ret)
{
	char *end;
	long long v;

	if (!*s || (!(*s >= '0' && *s <= '9') && *s != '+' && *s != '-'))
		return false;
	if ((*s == '+' || *s == '-') && !(s[1] >= '0' && s[1] <= '9'))
		return false;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (*end || errno)
		return false;
	*ret = v;
	return true;
}

void ld6_parse_rsoo(struct loader *ld, const struct tjson *arr,
		    struct ternd_config6 *c6)
{
	uint16_t *v;
	size_t n = 0;

	if (!ld_want_type(ld, arr, TJSON_ARRAY, "a list"))
		return;
	if (!(v = ld_aalloc(ld, ld->a, arr->n + 1, sizeof(*v))))
		return;
	v[n++] = OPT_ERP_LOCAL_DOMAIN_NAME;
	for (const struct tjson *e = arr->child; e; e = e->next) {
		int64_t code = 0;

		if (!ld_want_type(ld, e, TJSON_STRING, "a string"))
			return;
		if (as_int(e->s, &code)) {
			if (code < 0) {
				ld_error_at(ld, e->pos,
					    "invalid option code value "
					    "specified '%s', the option code "
					    "must be a non-negative value",
					    e->s);
				return;
			}
			if (code > 65535) {
				ld_error_at(ld, e->pos,
					    "invalid option code value "
					    "specified '%s', the option code "
					    "must not be greater than '65535'",
					    e->s);
				return;
			}
		}
		/* Kea takes 0 as no number: a name then. */
		if (!code) {
			const struct tern_optdef *d =
				tern_optdef6_std_name("dhcp6", e->s);

			if (!d) {
				ld_error_at(ld, e->pos,
					    "unable to find option code for "
					    "the specified option name '%s' "
					    "while parsing the list of enabled "
					    "relay-supplied-options",
					    e->s);
				return;
			}
			code = d->code;
		}
		v[n++] = (uint16_t)code;
	}
	qsort(v, n, sizeof(*v), cmp_u16);
	{
		size_t k = 0;

		for (size_t i = 0; i < n; i++)
			if (!k || v[k - 1] != v[i])
				v[k++] = v[i];
		n = k;
	}
	c6->rsoo = v;
	c6->n_rsoo = n;
}
