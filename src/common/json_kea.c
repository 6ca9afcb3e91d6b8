/* tern JSON reader, Kea's dialect: <?include "file"?> with positions kept
 * per file, Kea's numbers, and where an included file came from. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/arena.h"
#include "common/hex.h"
#include "common/json.h"
#include "common/json_internal.h"

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static int add_file(struct tjson__parser *ps, const char *name, size_t len,
		    struct tjson_pos from)
{
	struct tjson_doc *doc = ps->doc;
	char *copy;

	if (doc->n_files == ps->files_cap) {
		size_t cap = ps->files_cap ? 2 * ps->files_cap : 8;
		struct tjson_file *v =
			realloc(doc->files, cap * sizeof(*doc->files));

		if (!v)
			return -ENOMEM;
		doc->files = v;
		ps->files_cap = cap;
	}
	if (!(copy = ternd_arena_strndup(ps->arena, name, len)))
		return -ENOMEM;
	doc->files[doc->n_files].name = copy;
	doc->files[doc->n_files].from = from;
	doc->n_files++;
	return 0;
}

int tjson__kea_begin(struct tjson__parser *ps, const char *name)
{
	if (!name)
		name = "<string>";
	if (add_file(ps, name, strlen(name), (struct tjson_pos){0}) < 0)
		return tjson__fail(ps, (struct tjson_pos){1, 1, 0, 0}, -ENOMEM,
				   "out of memory");
	return 0;
}

void tjson__kea_end(struct tjson__parser *ps)
{
	free(ps->t.owned);
	ps->t.owned = NULL;
	while (ps->nested) {
		ps->nested--;
		free(ps->outer[ps->nested].owned);
	}
}

int tjson_read_file(void *arg, const char *name, size_t max, char **ret_text,
		    size_t *ret_len)
{
	struct stat st;
	char *buf = NULL;
	size_t got = 0, cap;
	int fd, rc;

	(void)arg;
	if (!name || !ret_text || !ret_len)
		return -EINVAL;
	fd = open(name, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) < 0) {
		rc = -errno;
		goto out;
	}
	if (S_ISDIR(st.st_mode)) {
		rc = -EISDIR;
		goto out;
	}
	/* Not every file knows its size (a pipe): read to the end. */
	cap = S_ISREG(st.st_mode) && (uint64_t)st.st_size <= max
		      ? (size_t)st.st_size + 1
		      : 4096;
	for (;;) {
		ssize_t r;

		if (got == cap) {
			char *nb;

			if (cap > max) {
				rc = -EFBIG;
				goto out;
			}
			cap *= 2;
			if (!(nb = realloc(buf, cap))) {
				rc = -ENOMEM;
				goto out;
			}
			buf = nb;
		} else if (!buf && !(buf = malloc(cap))) {
			rc = -ENOMEM;
			goto out;
		}
		r = read(fd, buf + got, cap - got);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			rc = -errno;
			goto out;
		}
		if (r == 0)
			break;
		got += (size_t)r;
	}
	if (got > max) {
		rc = -EFBIG;
		goto out;
	}
	*ret_text = buf;
	*ret_len = got;
	buf = NULL;
	rc = 0;
out:
	free(buf);
	close(fd);
	return rc;
}

/* Blanks and newlines, which Kea's lexer skips inside a directive too. */
static void skip_blanks(struct tjson__parser *ps)
{
	while (ps->t.p < ps->t.end) {
		char c = *ps->t.p;

		if (c == '\n')
			tjson__newline(ps);
		else if (c != ' ' && c != '\t' && c != '\r')
			break;
		ps->t.p++;
	}
}

int tjson__kea_include(struct tjson__parser *ps)
{
	struct tjson_pos start = tjson__here(ps), npos;
	const char *name, *q;
	char fname[4096], *text = NULL;
	size_t nlen, tlen = 0, room;
	uint32_t off;
	int rc;

	ps->t.p += 2;
	skip_blanks(ps);
	if (ps->t.end - ps->t.p < 7 || memcmp(ps->t.p, "include", 7) != 0)
		return tjson__fail(ps, tjson__here(ps), -EBADMSG,
				   "\"<?\" must start <?include \"file\"?>");
	ps->t.p += 7;
	skip_blanks(ps);
	npos = tjson__here(ps);
	if (ps->t.p >= ps->t.end || *ps->t.p != '"')
		return tjson__fail(ps, npos, -EBADMSG,
				   "<?include needs a file name in double "
				   "quotes");
	name = ps->t.p + 1;
	for (q = name; q < ps->t.end && *q != '"' && *q != '\n'; q++)
		;
	nlen = (size_t)(q - name);
	if (q >= ps->t.end || *q != '"' || nlen == 0 || nlen >= sizeof(fname))
		return tjson__fail(ps, npos, -EBADMSG,
				   "<?include: bad file name (one line, no "
				   "'\"', 1 to %zu bytes)",
				   sizeof(fname) - 1);
	memcpy(fname, name, nlen);
	fname[nlen] = '\0';
	if (memchr(fname, '\0', nlen))
		return tjson__fail(ps, npos, -EBADMSG,
				   "<?include: NUL byte in the file name");
	ps->t.p = q + 1;
	if (ps->nested >= TJSON_KEA_MAX_NESTED)
		return tjson__fail(ps, start, -EBADMSG,
				   "too many nested includes (at most %d, as "
				   "Kea)",
				   TJSON_KEA_MAX_NESTED);
	if (ps->doc->n_files > TJSON_KEA_MAX_INCLUDES)
		return tjson__fail(ps, start, -E2BIG,
				   "more than %d <?include?> directives",
				   TJSON_KEA_MAX_INCLUDES);
	room = ps->lim.max_input - ps->total;
	rc = ps->kea->read
		     ? ps->kea->read(ps->kea->arg, fname, room, &text, &tlen)
		     : tjson_read_file(NULL, fname, room, &text, &tlen);
	if (rc == -EFBIG || (rc == 0 && tlen > room)) {
		free(text);
		return tjson__fail(ps, npos, -E2BIG,
				   "include file \"%s\": the configuration "
				   "grows past %zu bytes",
				   fname, ps->lim.max_input);
	}
	if (rc < 0)
		return tjson__fail(ps, npos, rc == -ENOMEM ? -ENOMEM : -EBADMSG,
				   "cannot open include file \"%s\": %s", fname,
				   strerror(-rc));
	if ((rc = add_file(ps, fname, nlen, start)) < 0) {
		free(text);
		return tjson__fail(ps, npos, rc, "out of memory");
	}
	ps->total += tlen;
	off = tjson__here(ps).off;
	ps->outer[ps->nested++] = ps->t;
	ps->t.buf = ps->t.p = ps->t.line_start = text ? text : "";
	ps->t.end = ps->t.buf + tlen;
	ps->t.line = 1;
	ps->t.file = (uint32_t)(ps->doc->n_files - 1);
	ps->t.off_adj = off;
	ps->t.owned = text;
	return 0;
}

int tjson__kea_leave(struct tjson__parser *ps)
{
	uint32_t off = tjson__here(ps).off;

	free(ps->t.owned);
	ps->t = ps->outer[--ps->nested];
	/* Positions go on growing after the included text. */
	ps->t.off_adj = (int64_t)off - (ps->t.p - ps->t.buf);
	skip_blanks(ps);
	if (ps->t.end - ps->t.p < 2 || ps->t.p[0] != '?' || ps->t.p[1] != '>')
		return tjson__fail(ps, tjson__here(ps), -EBADMSG,
				   "<?include \"...\" not closed by \"?>\"");
	ps->t.p += 2;
	return 0;
}

/*
 * Kea's \u: only \u00XX, which is the byte XX (K:dhcp4_lexer.ll, the
 * JSONString rule); Kea refuses every other \u escape.
 */
int tjson__kea_u_escape(struct tjson__parser *ps, struct tjson_pos epos,
			char *out, size_t *n)
{
	uint32_t cp = 0;

	for (int i = 1; i <= 4; i++) {
		int h = ps->t.p + i < ps->t.end ? tern_hexval(ps->t.p[i]) : -1;

		if (h < 0)
			return tjson__fail(ps, epos, -EBADMSG,
					   "\\u needs four hex digits");
		cp = cp << 4 | (uint32_t)h;
	}
	if (cp > 0xff)
		return tjson__fail(ps, epos, -EBADMSG,
				   "unsupported escape \\u%04X (Kea reads only "
				   "\\u0000 to \\u00FF, as one byte)",
				   (unsigned)cp);
	if (cp == 0)
		return tjson__fail(ps, epos, -EBADMSG,
				   "\\u0000 is not supported (ternd's strings "
				   "cannot hold a NUL byte)");
	out[(*n)++] = (char)cp;
	ps->t.p += 4;
	return 0;
}

/*
 * Kea's lexer: an integer is -?[0-9]+ (int64_t, leading zeros fine); a
 * real is [-+]?[0-9]*\.?[0-9]*([eE][-+]?[0-9]+)? that is not an integer
 * (K:dhcp4_lexer.ll, the {int} rule and the one after it).
 */
int tjson__kea_number(struct tjson__parser *ps, struct tjson *v)
{
	const char *s = ps->t.p, *q = s, *digits;
	bool is_int = true, any = false;

	if (q < ps->t.end && (*q == '-' || *q == '+')) {
		is_int = *q == '-';
		q++;
	}
	digits = q;
	while (q < ps->t.end && is_digit(*q))
		q++;
	any = q > digits;
	if (q < ps->t.end && *q == '.') {
		is_int = false;
		q++;
		while (q < ps->t.end && is_digit(*q)) {
			q++;
			any = true;
		}
	}
	if (q < ps->t.end && (*q == 'e' || *q == 'E')) {
		const char *e = q + 1;

		if (e < ps->t.end && (*e == '+' || *e == '-'))
			e++;
		if (e < ps->t.end && is_digit(*e)) {
			while (e < ps->t.end && is_digit(*e))
				e++;
			q = e;
			is_int = false;
		}
	}
	if (!any)
		return tjson__fail(ps, v->pos, -EBADMSG, "invalid number");
	return tjson__number_value(ps, v, s, q, is_int);
}

const char *tjson_file_name(const struct tjson_doc *doc, uint32_t file)
{
	if (!doc || file == 0 || file >= doc->n_files)
		return NULL;
	return doc->files[file].name;
}

void tjson_origin(const struct tjson_doc *doc, uint32_t file, char *buf,
		  size_t cap)
{
	size_t n = 0;
	const char *sep = "included from ";

	if (!buf || !cap)
		return;
	buf[0] = '\0';
	/* Each step goes to an earlier file: the loop ends. */
	while (doc && file > 0 && file < doc->n_files && n < cap) {
		const struct tjson_pos *f = &doc->files[file].from;
		const char *name = doc->files[f->file].name;
		int w = snprintf(buf + n, cap - n, "%s%s:%u:%u", sep,
				 name ? name : "<string>", f->line, f->col);

		if (w < 0)
			break;
		n += (size_t)w;
		sep = ", from ";
		file = f->file;
	}
}
