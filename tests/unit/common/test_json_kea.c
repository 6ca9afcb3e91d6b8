/* Unit tests for tern's JSON reader in Kea's dialect: extra commas (warned,
 * with their position), <?include?> (positions per file, origin chains,
 * limits), Kea's numbers and strings; strict mode unchanged. */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "common/json.h"

/* ---- an in-memory file system for includes, and the warnings seen ---- */

struct vfile {
	const char *name;
	const char *text;
};

static const struct vfile *files;
static int read_calls;

static int vread(void *arg, const char *name, size_t max, char **ret_text,
		 size_t *ret_len)
{
	(void)arg;
	read_calls++;
	for (const struct vfile *f = files; f && f->name; f++) {
		size_t n;

		if (strcmp(f->name, name) != 0)
			continue;
		if (strcmp(f->text, "<EACCES>") == 0)
			return -EACCES;
		n = strlen(f->text);
		if (n > max)
			return -EFBIG;
		*ret_text = malloc(n + 1);
		if (!*ret_text)
			return -ENOMEM;
		memcpy(*ret_text, f->text, n + 1);
		*ret_len = n;
		return 0;
	}
	return -ENOENT;
}

#define MAX_WARN 16
static struct {
	struct tjson_pos pos;
	char file[64];
	char msg[128];
} warns[MAX_WARN];
static size_t n_warns;

static void on_warn(void *arg, const struct tjson_doc *doc,
		    struct tjson_pos pos, const char *msg)
{
	const char *f = tjson_file_name(doc, pos.file);

	(void)arg;
	if (n_warns == MAX_WARN)
		return;
	warns[n_warns].pos = pos;
	snprintf(warns[n_warns].file, sizeof(warns[n_warns].file), "%s",
		 f ? f : "");
	snprintf(warns[n_warns].msg, sizeof(warns[n_warns].msg), "%s", msg);
	n_warns++;
}

static const struct tjson_kea kea = {
	.name = "main.json", .warn = on_warn, .read = vread};

static int kparse(const char *text, const struct tjson_limits *lim,
		  struct tjson_doc **doc, struct tjson_error *err)
{
	n_warns = 0;
	read_calls = 0;
	return tjson_parse_kea(text, strlen(text), lim, &kea, doc, err);
}

static struct tjson_doc *kea_ok(const char *text)
{
	struct tjson_doc *doc = NULL;
	struct tjson_error err;
	int rc = kparse(text, NULL, &doc, &err);

	if (rc != 0)
		print_error("unexpected: %s%s%u:%u: %s %s\n", err.file,
			    err.file[0] ? ":" : "", err.pos.line, err.pos.col,
			    err.msg, err.from);
	assert_int_equal(rc, 0);
	assert_non_null(doc);
	return doc;
}

/* A failure with rc at [file:]line:col whose message holds what. */
static void kea_fail(const char *text, int rc, const char *file, unsigned line,
		     unsigned col, const char *what)
{
	struct tjson_doc *doc = NULL;
	struct tjson_error err;
	int r = kparse(text, NULL, &doc, &err);

	if (r != rc || err.pos.line != line || err.pos.col != col ||
	    !strstr(err.msg, what) || strcmp(err.file, file) != 0)
		print_error("input %s: got %d at %s:%u:%u \"%s\" (%s)\n", text,
			    r, err.file, err.pos.line, err.pos.col, err.msg,
			    err.from);
	assert_int_equal(r, rc);
	assert_null(doc);
	assert_string_equal(err.file, file);
	assert_int_equal(err.pos.line, line);
	assert_int_equal(err.pos.col, col);
	assert_non_null(strstr(err.msg, what));
}

/* ---- extra commas ---- */

static void test_extra_commas(void **state)
{
	(void)state;
	struct tjson_doc *doc;

	/* Kea's rules: a comma followed by a comma or the closing bracket is
	 * warned about at that comma; the value is as without it. */
	doc = kea_ok("{\"a\": [1,,2,],\n \"b\": {\"c\": 1,},,\n}");
	assert_int_equal(n_warns, 5);
	assert_int_equal(warns[0].pos.line, 1);
	assert_int_equal(warns[0].pos.col, 9);
	assert_int_equal(warns[1].pos.col, 12);
	assert_int_equal(warns[2].pos.line, 2);
	assert_int_equal(warns[2].pos.col, 14);
	assert_int_equal(warns[3].pos.col, 16);
	assert_int_equal(warns[4].pos.col, 17);
	assert_non_null(strstr(warns[0].msg, "extraneous comma"));
	assert_int_equal(tjson_get(doc->root, "a")->n, 2);
	assert_int_equal(tjson_get(doc->root, "b")->n, 1);
	assert_int_equal(doc->root->n, 2);
	tjson_doc_free(doc);

	/* a comment between the commas changes nothing */
	doc = kea_ok("[1, /* x */ ,\n 2]");
	assert_int_equal(n_warns, 1);
	assert_int_equal(warns[0].pos.col, 3);
	tjson_doc_free(doc);

	/* no warning callback: still accepted */
	{
		static const struct tjson_kea quiet = {0};
		struct tjson_doc *d = NULL;

		assert_int_equal(
			tjson_parse_kea("[1,]", 4, NULL, &quiet, &d, NULL), 0);
		tjson_doc_free(d);
		assert_int_equal(
			tjson_parse_kea("[1,]", 4, NULL, NULL, &d, NULL), 0);
		tjson_doc_free(d);
	}

	/* leading commas and empty containers with a comma are errors */
	kea_fail("{, \"a\": 1}", -EBADMSG, "", 1, 2, "object key");
	kea_fail("[,1]", -EBADMSG, "", 1, 2, "unexpected character ','");
	kea_fail("{,}", -EBADMSG, "", 1, 2, "object key");
	kea_fail("[,]", -EBADMSG, "", 1, 2, "unexpected character ','");
	/* after the top-level value, a comma is trailing data */
	kea_fail("{\"a\": 1},", -EBADMSG, "", 1, 9, "trailing data");
	/* unterminated after a comma */
	kea_fail("[1,,", -EBADMSG, "", 1, 5, "value expected");
}

static void test_strict_unchanged(void **state)
{
	(void)state;
	struct tjson_doc *doc = NULL;
	struct tjson_error err;

	/* tern-mgr and the control socket keep strict JSON. */
	assert_int_equal(tjson_parse("[1,]", 4, NULL, &doc, &err), -EBADMSG);
	assert_non_null(strstr(err.msg, "trailing comma"));
	assert_int_equal(tjson_parse("0400", 4, NULL, &doc, &err), -EBADMSG);
	assert_int_equal(tjson_parse("+1", 2, NULL, &doc, &err), -EBADMSG);
	assert_int_equal(tjson_parse("<?include \"a\"?>", 15, NULL, &doc, &err),
			 -EBADMSG);
	assert_non_null(strstr(err.msg, "not supported"));
	assert_string_equal(err.file, "");
	assert_string_equal(err.from, "");
	/* strict strings are UTF-8 and \u is Unicode */
	assert_int_equal(tjson_parse("\"\xe9\"", 3, NULL, &doc, &err),
			 -EBADMSG);
	assert_int_equal(tjson_parse("\"\\u0100\"", 8, NULL, &doc, &err), 0);
	assert_int_equal(doc->root->len, 2);
	tjson_doc_free(doc);
}

/* ---- numbers and strings ---- */

static void test_numbers(void **state)
{
	(void)state;
	struct tjson_doc *doc;
	const struct tjson *v;

	doc = kea_ok("[0400, -007, +1, .5, 5., -.5, 1e2, 2E-1, 0, "
		     "-9223372036854775808]");
	v = doc->root->child;
	assert_true(v->is_int);
	assert_int_equal(v->i, 400);
	v = v->next;
	assert_true(v->is_int);
	assert_int_equal(v->i, -7);
	v = v->next; /* +1 is Kea's FLOAT, not an integer */
	assert_false(v->is_int);
	assert_true(v->d == 1.0);
	v = v->next;
	assert_false(v->is_int);
	assert_true(v->d == 0.5);
	v = v->next;
	assert_false(v->is_int);
	assert_true(v->d == 5.0);
	v = v->next;
	assert_true(v->d == -0.5);
	v = v->next;
	assert_false(v->is_int);
	assert_true(v->d == 100.0);
	v = v->next;
	assert_true(v->d == 0.2);
	v = v->next;
	assert_true(v->is_int);
	assert_int_equal(v->i, 0);
	v = v->next;
	assert_true(v->is_int);
	assert_true(v->i == INT64_MIN);
	tjson_doc_free(doc);

	kea_fail("[-]", -EBADMSG, "", 1, 2, "invalid number");
	kea_fail("[+]", -EBADMSG, "", 1, 2, "invalid number");
	kea_fail("[.]", -EBADMSG, "", 1, 2, "invalid number");
	kea_fail("[99999999999999999999]", -EBADMSG, "", 1, 2,
		 "integer out of range");
	kea_fail("[1e400]", -EBADMSG, "", 1, 2, "out of range");
	/* 1e is the integer 1, then a stray e */
	kea_fail("[1e]", -EBADMSG, "", 1, 3, "',' or ']' expected");
	kea_fail("[0x10]", -EBADMSG, "", 1, 3, "',' or ']' expected");
	kea_fail("[1.5.3]", -EBADMSG, "", 1, 5, "',' or ']' expected");
	kea_fail("[11111111111111111111111111111111111111111111111111111111111"
		 "111111.0]",
		 -EBADMSG, "", 1, 2, "longer than");
}

static void test_strings(void **state)
{
	(void)state;
	struct tjson_doc *doc;
	const struct tjson *v;

	/* \u00XX is the byte XX; raw bytes pass whether UTF-8 or not. */
	doc = kea_ok("[\"caf\\u00e9\", \"\\u0041\\u00FF\", \"caf\xe9\", "
		     "\"\xc3\xa9\", \"a\\/b\\n\"]");
	v = doc->root->child;
	assert_int_equal(v->len, 4);
	assert_memory_equal(v->s, "caf\xe9", 4);
	v = v->next;
	assert_int_equal(v->len, 2);
	assert_memory_equal(v->s, "A\xff", 2);
	v = v->next;
	assert_memory_equal(v->s, "caf\xe9", 4);
	v = v->next;
	assert_memory_equal(v->s, "\xc3\xa9", 2);
	v = v->next;
	assert_string_equal(v->s, "a/b\n");
	tjson_doc_free(doc);

	kea_fail("[\"\\u0100\"]", -EBADMSG, "", 1, 3, "\\u0100");
	kea_fail("[\"\\ud83d\\ude00\"]", -EBADMSG, "", 1, 3, "unsupported");
	kea_fail("[\"\\u0000\"]", -EBADMSG, "", 1, 3, "NUL");
	kea_fail("[\"\\u00g0\"]", -EBADMSG, "", 1, 3, "four hex digits");
	kea_fail("[\"a\tb\"]", -EBADMSG, "", 1, 4, "control character");
	kea_fail("['a']", -EBADMSG, "", 1, 2, "unexpected character");
	kea_fail("\xef\xbb\xbf{}", -EBADMSG, "", 1, 1, "byte order mark");
	kea_fail("[True]", -EBADMSG, "", 1, 2, "unexpected character 'T'");
	kea_fail("{\"a\": 1, \"a\": 2}", -EBADMSG, "", 1, 10,
		 "duplicate key \"a\"");
}

/* ---- comments ---- */

static void test_comments(void **state)
{
	(void)state;
	struct tjson_doc *doc;

	doc = kea_ok("# a\n// b\n{\"a\": 4000// no space\n, /* x\n */ \"b\": "
		     "\"#not//a/*comment*/\" /* /* not nested */}");
	assert_int_equal(tjson_get(doc->root, "a")->i, 4000);
	assert_string_equal(tjson_get(doc->root, "b")->s, "#not//a/*comment*/");
	assert_int_equal(n_warns, 0);
	tjson_doc_free(doc);
	kea_fail("{\"a\": 1 /* open", -EBADMSG, "", 1, 9,
		 "unterminated comment");
	kea_fail("/ x\n{}", -EBADMSG, "", 1, 1, "stray '/'");
	kea_fail("{\"a\": 1 / 2}", -EBADMSG, "", 1, 9, "stray '/'");
	/* a directive in a comment is a comment */
	doc = kea_ok("{/* <?include \"nope\"?> */ \"a\": 1}");
	assert_int_equal(read_calls, 0);
	tjson_doc_free(doc);
}

/* ---- includes ---- */

static void test_include_splice(void **state)
{
	(void)state;
	static const struct vfile fs[] = {
		{"v.json", "4000\n"},
		{"members.json", "\"b\": 2,\n  \"c\": [1, 2]"},
		{"whole.json", "{\"Dhcp4\": {\"a\": 1}}"},
		{"elems.json", "2, 3"},
		{"empty.json", ""},
		{"commas.json", "\"x\": 1,,\n"},
		{NULL, NULL},
	};
	struct tjson_doc *doc;
	const struct tjson *v;

	files = fs;
	/* a value, members, list elements, the whole document */
	doc = kea_ok("{\"a\": <?include \"v.json\"?>,\n"
		     " <?include \"members.json\"?>,\n"
		     " \"d\": [1, <?include \"elems.json\"?>, 4],\n"
		     " \"e\": [<?include \"empty.json\"?>]}");
	assert_int_equal(tjson_get(doc->root, "a")->i, 4000);
	assert_int_equal(tjson_get(doc->root, "b")->i, 2);
	assert_int_equal(tjson_get(doc->root, "d")->n, 4);
	assert_int_equal(tjson_get(doc->root, "e")->n, 0);
	assert_int_equal(doc->n_files, 5);
	assert_string_equal(doc->files[0].name, "main.json");
	assert_string_equal(doc->files[1].name, "v.json");
	/* positions are per file: "c" is line 2, column 3 of members.json */
	v = tjson_get(doc->root, "c");
	assert_int_equal(v->kpos.file, 2);
	assert_int_equal(v->kpos.line, 2);
	assert_int_equal(v->kpos.col, 3);
	assert_string_equal(tjson_file_name(doc, v->kpos.file), "members.json");
	assert_null(tjson_file_name(doc, 0));
	assert_int_equal(doc->files[2].from.line, 2);
	assert_int_equal(doc->files[2].from.col, 2);
	/* off orders positions across files, as the text is spliced */
	assert_true(tjson_get(doc->root, "a")->pos.off <
		    tjson_get(doc->root, "b")->kpos.off);
	assert_true(v->kpos.off < tjson_get(doc->root, "d")->kpos.off);
	v = tjson_get(doc->root, "d")->child->next;
	assert_int_equal(v->pos.file, 3);
	assert_int_equal(v->pos.col, 1);
	assert_int_equal(tjson_get(doc->root, "d")->last->pos.file, 0);
	tjson_doc_free(doc);

	doc = kea_ok("<?include \"whole.json\"?>");
	assert_int_equal(tjson_get(tjson_get(doc->root, "Dhcp4"), "a")->i, 1);
	tjson_doc_free(doc);

	/* blanks and newlines inside the directive; none at all */
	doc = kea_ok("[<?  include\n  \"v.json\"\n ?>, <?include\"v.json\"?>,\n"
		     " 5]");
	assert_int_equal(doc->root->n, 3);
	assert_int_equal(doc->root->last->pos.line, 4);
	assert_int_equal(doc->root->last->pos.col, 2);
	tjson_doc_free(doc);

	/* inside a string, a directive is text */
	doc = kea_ok("[\"<?include \\\"v.json\\\"?>\"]");
	assert_int_equal(read_calls, 0);
	assert_string_equal(doc->root->child->s, "<?include \"v.json\"?>");
	tjson_doc_free(doc);

	/* a warning in an included file is placed there; the comma at its
	 * end is followed by the includer's '}' */
	doc = kea_ok("{<?include \"commas.json\"?>}");
	assert_int_equal(n_warns, 2);
	assert_string_equal(warns[0].file, "commas.json");
	assert_int_equal(warns[0].pos.line, 1);
	assert_int_equal(warns[0].pos.col, 7);
	assert_int_equal(warns[1].pos.col, 8);
	tjson_doc_free(doc);

	/* a duplicate across the files is found, in the included one */
	kea_fail("{\"b\": 0, <?include \"members.json\"?>}", -EBADMSG,
		 "members.json", 1, 1,
		 "duplicate key \"b\" (first at main.json:1:2)");
}

static void test_include_errors(void **state)
{
	(void)state;
	static const struct vfile fs[] = {
		{"v.json", "4000"},
		{"bad.json", "[1,\n 2 x]"},
		{"outer.json", "[\n <?include \"bad.json\"?>]"},
		{"locked.json", "<EACCES>"},
		{"open.json", "[1, /* no end"},
		{"half.json", "\"abc"},
		{NULL, NULL},
	};
	struct tjson_doc *doc = NULL;
	struct tjson_error err;

	files = fs;
	kea_fail("[<?include \"missing.json\"?>]", -EBADMSG, "", 1, 12,
		 "cannot open include file \"missing.json\"");
	kea_fail("[<?include \"locked.json\"?>]", -EBADMSG, "", 1, 12,
		 "Permission denied");
	kea_fail("[<?include \"v.json\" x]", -EBADMSG, "", 1, 21, "not closed");
	kea_fail("[<?include \"v.json\"", -EBADMSG, "", 1, 20, "not closed");
	kea_fail("[<?inclde \"v.json\"?>]", -EBADMSG, "", 1, 4,
		 "must start <?include");
	kea_fail("[<?include v.json?>]", -EBADMSG, "", 1, 12,
		 "file name in double quotes");
	kea_fail("[<?include \"\"?>]", -EBADMSG, "", 1, 12, "bad file name");
	kea_fail("[<?include \"v.\njson\"?>]", -EBADMSG, "", 1, 12,
		 "bad file name");
	/* tokens do not run across files: comments and strings end there */
	kea_fail("[<?include \"open.json\"?>]", -EBADMSG, "open.json", 1, 5,
		 "unterminated comment");
	kea_fail("[<?include \"half.json\"?>]", -EBADMSG, "half.json", 1, 1,
		 "unterminated string");

	/* an error two files deep names its file and the chain */
	assert_int_equal(kparse("{\"a\":\n  <?include \"outer.json\"?>}", NULL,
				&doc, &err),
			 -EBADMSG);
	assert_string_equal(err.file, "bad.json");
	assert_int_equal(err.pos.line, 2);
	assert_int_equal(err.pos.col, 4);
	assert_string_equal(err.from, "included from outer.json:2:2, from "
				      "main.json:2:3");
}

static void test_include_limits(void **state)
{
	(void)state;
	static struct vfile fs[16];
	static char names[16][16], texts[16][32];
	struct tjson_doc *doc = NULL;
	struct tjson_error err;
	struct tjson_limits lim = {100, 16, 1000, 64};
	char *many;
	size_t n = 0;

	/* a chain: f1 includes f2 ... f12 holds a value */
	for (int i = 1; i <= 12; i++) {
		snprintf(names[i - 1], sizeof(names[0]), "f%d", i);
		if (i == 12)
			snprintf(texts[i - 1], sizeof(texts[0]), "12");
		else
			snprintf(texts[i - 1], sizeof(texts[0]),
				 "<?include \"f%d\"?>", i + 1);
		fs[i - 1].name = names[i - 1];
		fs[i - 1].text = texts[i - 1];
	}
	fs[12].name = NULL;
	files = fs;
	/* 11 files open at once, as Kea allows ... */
	doc = kea_ok("[<?include \"f2\"?>]");
	assert_int_equal(doc->root->child->i, 12);
	assert_int_equal(doc->n_files, 12);
	tjson_doc_free(doc);
	/* ... not 12 ("Too many nested include") */
	kea_fail("[<?include \"f1\"?>]", -EBADMSG, "f11", 1, 1,
		 "too many nested includes");

	/* the texts together stay under max_input */
	fs[0].name = "big";
	fs[0].text = "[1111111111, 2222222222, 3333333333]";
	fs[1].name = NULL;
	assert_int_equal(kparse("[<?include \"big\"?>, <?include \"big\"?>]",
				&lim, &doc, &err),
			 -E2BIG);
	assert_non_null(strstr(err.msg, "grows past 100 bytes"));
	assert_int_equal(err.pos.col, 31);

	/* and there is a limit on directives */
	fs[0].name = "e";
	fs[0].text = "";
	many = malloc((TJSON_KEA_MAX_INCLUDES + 2) * 16 + 4);
	assert_non_null(many);
	many[n++] = '[';
	for (int i = 0; i < TJSON_KEA_MAX_INCLUDES + 1; i++)
		n += (size_t)sprintf(many + n, "<?include \"e\"?>");
	many[n++] = ']';
	many[n] = '\0';
	assert_int_equal(kparse(many, NULL, &doc, &err), -E2BIG);
	assert_non_null(strstr(err.msg, "<?include?> directives"));
	free(many);
}

static void test_read_file(void **state)
{
	(void)state;
	char dir[] = "/tmp/tern-json-kea-XXXXXX", path[64], *text = NULL;
	size_t len = 0;
	struct tjson_doc *doc = NULL;
	struct tjson_kea fs = {.name = "main"};
	char main_text[128];
	int fd;

	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/a.json", dir);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "[1, 2]\n", 7), 7);
	close(fd);
	assert_int_equal(tjson_read_file(NULL, path, 100, &text, &len), 0);
	assert_int_equal(len, 7);
	assert_memory_equal(text, "[1, 2]\n", 7);
	free(text);
	assert_int_equal(tjson_read_file(NULL, path, 6, &text, &len), -EFBIG);
	assert_int_equal(tjson_read_file(NULL, dir, 100, &text, &len), -EISDIR);
	assert_int_equal(
		tjson_read_file(NULL, "/nonexistent/x", 100, &text, &len),
		-ENOENT);
	/* the default reader opens the name as it is written */
	snprintf(main_text, sizeof(main_text), "{\"a\": <?include \"%s\"?>}",
		 path);
	assert_int_equal(tjson_parse_kea(main_text, strlen(main_text), NULL,
					 &fs, &doc, NULL),
			 0);
	assert_int_equal(tjson_get(doc->root, "a")->n, 2);
	tjson_doc_free(doc);
	unlink(path);
	rmdir(dir);
}

static void test_origin(void **state)
{
	(void)state;
	static const struct vfile fs[] = {
		{"a", "[<?include \"b\"?>]"},
		{"b", "1"},
		{NULL, NULL},
	};
	struct tjson_doc *doc;
	char buf[64];

	files = fs;
	doc = kea_ok("\n  [<?include \"a\"?>]");
	tjson_origin(doc, 2, buf, sizeof(buf));
	assert_string_equal(buf, "included from a:1:2, from main.json:2:4");
	tjson_origin(doc, 0, buf, sizeof(buf));
	assert_string_equal(buf, "");
	tjson_origin(doc, 99, buf, sizeof(buf));
	assert_string_equal(buf, "");
	/* truncated, still a string */
	tjson_origin(doc, 2, buf, 10);
	assert_string_equal(buf, "included ");
	tjson_doc_free(doc);
	/* without a name the given text is "<string>" */
	{
		static const struct tjson_kea anon = {.read = vread};
		struct tjson_doc *d = NULL;
		const char *t = "[<?include \"b\"?>]";

		assert_int_equal(
			tjson_parse_kea(t, strlen(t), NULL, &anon, &d, NULL),
			0);
		tjson_origin(d, 1, buf, sizeof(buf));
		assert_string_equal(buf, "included from <string>:1:2");
		tjson_doc_free(d);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_extra_commas),
		cmocka_unit_test(test_strict_unchanged),
		cmocka_unit_test(test_numbers),
		cmocka_unit_test(test_strings),
		cmocka_unit_test(test_comments),
		cmocka_unit_test(test_include_splice),
		cmocka_unit_test(test_include_errors),
		cmocka_unit_test(test_include_limits),
		cmocka_unit_test(test_read_file),
		cmocka_unit_test(test_origin),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
