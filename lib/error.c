/* tern_strerror: texts for libtern's return codes. */
#include <errno.h>
#include <string.h>

#include <tern/error.h>

const char *tern_strerror(int err)
{
	if (err < 0)
		err = -err;
	switch (err) {
	case 0:
		return "success";
	case EINVAL:
		return "invalid argument";
	case ENOBUFS:
		return "output buffer too small";
	case ENOENT:
		return "option not present";
	case EMSGSIZE:
		return "truncated header";
	case EPROTO:
		return "bad magic cookie or message framing";
	case EBADMSG:
		return "malformed: a field or option runs past its area or has "
		       "a wrong length";
	case ERANGE:
		return "value out of range";
	case E2BIG:
		return "too many options or message too large";
	case ELOOP:
		return "relay nesting too deep";
	default:
		/* strerror is not thread-safe for unknown values; known ones
		 * come from a static table in glibc. */
		return strerror(err);
	}
}
