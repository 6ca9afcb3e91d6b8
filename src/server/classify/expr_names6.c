/* ternd classification: the object Kea 2.2 builds for each DHCPv6 option
 * (OptionDefinition::optionFactory over std_option_defs.h, whose tables
 * are src/common/optdefs6.c), and option[NAME] in the dhcp6 space. */
#include <string.h>

#include "server/classify/expr_view6.h"

int texpr6_std_code(const char *name)
{
	const struct tern_optdef *d =
		tern_optdef6_std_name(TERN_SPACE_DHCP6, name);

	return d ? (int)d->code : -1;
}

static const char *space_name(enum texpr6_space sp)
{
	switch (sp) {
	case S6_DHCP6:
		return TERN_SPACE_DHCP6;
	case S6_MAPE:
		return TERN_SPACE_MAPE;
	case S6_MAPT:
		return TERN_SPACE_MAPT;
	case S6_LW:
		return TERN_SPACE_LW;
	case S6_RULE:
		return TERN_SPACE_S46_RULE;
	case S6_BIND:
		return TERN_SPACE_S46_BIND;
	default:
		return NULL;
	}
}

static enum texpr6_space space_of(const char *name)
{
	static const enum texpr6_space known[] = {S6_DHCP6, S6_MAPE, S6_MAPT,
						  S6_LW,    S6_RULE, S6_BIND};

	if (!name || !*name)
		return S6_NONE;
	for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++)
		if (!strcmp(space_name(known[i]), name))
			return known[i];
	return S6_OTHER;
}

static unsigned int_width(uint8_t t)
{
	switch (t) {
	case TERN_OT_U8:
	case TERN_OT_I8:
		return 1;
	case TERN_OT_U16:
	case TERN_OT_I16:
		return 2;
	case TERN_OT_U32:
	case TERN_OT_I32:
		return 4;
	default:
		return 0;
	}
}

/* optionFactory for a definition d (in space sp). */
static void from_def(const struct tern_optdef *d, enum texpr6_space sp,
		     struct texpr6_obj *o)
{
	unsigned w = int_width(d->type);

	o->def = d;
	o->space = (uint8_t)space_of(d->encapsulate);
	if (sp == S6_DHCP6) { /* factorySpecialFormatOption */
		switch (d->code) {
		case TERN_DHCP6_OPT_IA_NA:
		case TERN_DHCP6_OPT_IA_PD:
			o->kind = K6_IA;
			o->space = S6_DHCP6;
			return;
		case TERN_DHCP6_OPT_IAADDR:
			o->kind = K6_IAADDR;
			o->space = S6_DHCP6;
			return;
		case TERN_DHCP6_OPT_IAPREFIX:
			o->kind = K6_IAPREFIX;
			o->space = S6_DHCP6;
			return;
		case TERN_DHCP6_OPT_CLIENT_FQDN:
			o->kind = K6_FQDN;
			return;
		case TERN_DHCP6_OPT_VENDOR_OPTS:
			o->kind = K6_VENDOR;
			o->space = S6_VENDOR;
			return;
		case TERN_DHCP6_OPT_VENDOR_CLASS:
			o->kind = K6_VCLASS;
			return;
		case TERN_DHCP6_OPT_STATUS_CODE:
			o->kind = K6_STATUS;
			return;
		case 60: /* bootfile-param */
			o->kind = K6_TUPLES;
			return;
		case 67: /* pd-exclude */
			o->kind = K6_PDEXCL;
			return;
		default:
			break;
		}
	}
	switch (d->type) {
	case TERN_OT_EMPTY:
		o->kind = d->encapsulate ? K6_CONTAINER : K6_EMPTY;
		return;
	case TERN_OT_BINARY:
		o->kind = K6_RAW;
		return;
	case TERN_OT_STRING:
		o->kind = K6_STRING;
		return;
	case TERN_OT_IPV6:
		o->kind = d->array ? K6_ADDRS : K6_CUSTOM;
		return;
	case TERN_OT_TUPLE:
		o->kind = d->array ? K6_TUPLES : K6_CUSTOM;
		return;
	default:
		break;
	}
	if (w) {
		o->kind = d->array ? K6_ARR : K6_INT;
		o->width = (uint8_t)w;
		o->is_signed = d->type == TERN_OT_I8 ||
			       d->type == TERN_OT_I16 || d->type == TERN_OT_I32;
		return;
	}
	o->kind = K6_CUSTOM;
}

void texpr6_obj_of(const struct texpr6_defs *dd, enum texpr6_space sp,
		   uint32_t vendor, uint16_t code, struct texpr6_obj *ret)
{
	const struct ternd_expr_env *env = dd ? dd->env : NULL;
	const struct tern_optdef *d;

	memset(ret, 0, sizeof(*ret));
	ret->kind = K6_RAW;
	ret->space = S6_NONE;
	if (sp == S6_VENDOR) { /* unpackVendorOptions6: no special 17 */
		d = tern_optdef6_vendor(vendor, code);
		if (d)
			from_def(d, sp, ret);
		return;
	}
	if (code == TERN_DHCP6_OPT_VENDOR_OPTS) { /* any other space */
		ret->kind = K6_VENDOR;
		ret->space = S6_VENDOR;
		return;
	}
	d = space_name(sp) ? tern_optdef6_std(space_name(sp), code) : NULL;
	if (d) {
		from_def(d, sp, ret);
		return;
	}
	if (sp != S6_DHCP6 || !dd)
		return;
	if (!env) { /* the program's list */
		uint32_t lo = 0, hi = dd->n;

		while (lo < hi) {
			uint32_t mid = lo + (hi - lo) / 2;

			if (dd->codes[mid] == code) {
				ret->kind = dd->kinds[mid];
				ret->space = ret->kind == K6_CONTAINER
						     ? S6_OTHER
						     : S6_NONE;
				return;
			}
			if (dd->codes[mid] < code)
				lo = mid + 1;
			else
				hi = mid;
		}
		return;
	}
	if (env->opt6_is_container && env->opt6_is_container(env->ctx, code)) {
		ret->kind = K6_CONTAINER;
		ret->space = S6_OTHER;
	} else if (env->opt6_is_string && env->opt6_is_string(env->ctx, code)) {
		ret->kind = K6_STRING;
	}
}

bool texpr6_nests_dhcp6(uint16_t code, uint8_t kind)
{
	struct texpr6_obj o;

	if (kind == K6_IA || kind == K6_IAADDR || kind == K6_IAPREFIX)
		return true;
	texpr6_obj_of(NULL, S6_DHCP6, 0, code, &o);
	return o.def && o.def->encapsulate &&
	       !strcmp(o.def->encapsulate, TERN_SPACE_DHCP6);
}

void texpr6_obj_ins(uint16_t code, uint8_t kind, struct texpr6_obj *ret)
{
	texpr6_obj_of(NULL, S6_DHCP6, 0, code, ret);
	if (ret->def || code == TERN_DHCP6_OPT_VENDOR_OPTS)
		return;
	/* Not standard: what the loader said at compile time. */
	ret->kind = kind;
	ret->space = kind == K6_CONTAINER ? S6_OTHER : S6_NONE;
}
