/* Unit tests for tern's JSON library: the reader (grammar, Kea comments,
 * positions, escapes, limits, streams) and the builder and writer. */
#include <errno.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "common/json.h"

static struct tjson_doc *parse_ok(const char *text)
{
	struct tjson_doc *doc = NULL;
	struct tjson_error err;
	int rc = tjson_parse(text, strlen(text), NULL, &doc, &err);

	if (rc != 0)
		print_error("unexpected: %u:%u: %s\n", err.pos.line,
			    err.pos.col, err.msg);
	assert_int_equal(rc, 0);
	assert_non_null(doc);
	return doc;
}

/* Expects a failure with rc at line:col whose message contains what. */
static void parse_fail(const char *text, int rc, unsigned line, unsigned col,
		       const char *what)
{
	struct tjson_doc *doc = NULL;
	struct tjson_error err;
	int r = tjson_parse(text, strlen(text), NULL, &doc, &err);

	if (r != rc || err.pos.line != line || err.pos.col != col ||
	    !strstr(err.msg, what))
		print_error("input %s: got %d at %u:%u \"%s\"\n", text, r,
			    err.pos.line, err.pos.col, err.msg);
	assert_int_equal(r, rc);
	assert_null(doc);
	assert_int_equal(err.pos.line, line);
	assert_int_equal(err.pos.col, col);
	assert_non_null(strstr(err.msg, what));
}

static void test_comments(void **state)
{
	(void)state;
	const char *text = "// line comment\n"
			   "# hash comment\n"
			   "{ /* block\n"
			   "   over lines */ \"a\": 1, # after a value\n"
			   "  \"b\" /* between */ : // before a value\n"
			   "    \"x # not a comment // either /* no */\"\n"
			   "}\n"
			   "// trailing comment without newline";
	struct tjson_doc *doc = parse_ok(text);
	const struct tjson *a = tjson_get(doc->root, "a");
	const struct tjson *b = tjson_get(doc->root, "b");

	assert_int_equal(doc->root->type, TJSON_OBJECT);
	assert_int_equal(doc->root->pos.line, 3);
	assert_int_equal(doc->root->pos.col, 1);
	assert_non_null(a);
	assert_int_equal(a->kpos.line, 4);
	assert_int_equal(a->kpos.col, 18);
	assert_int_equal(a->pos.col, 23);
	assert_non_null(b);
	assert_int_equal(b->kpos.line, 5);
	assert_int_equal(b->kpos.col, 3);
	assert_int_equal(b->pos.line, 6);
	assert_int_equal(b->pos.col, 5);
	assert_string_equal(b->s, "x # not a comment // either /* no */");
	tjson_doc_free(doc);

	parse_fail("{ /* never closed", -EBADMSG, 1, 3, "unterminated comment");
	parse_fail("{ / }", -EBADMSG, 1, 3, "stray '/'");
	parse_fail("<?include \"x.json\"?>", -EBADMSG, 1, 1, "include");
}

static void test_positions(void **state)
{
	(void)state;
	const char *text = "{\n"
			   "\t\"list\": [1,\n"
			   "\t\t  true, null],\r\n"
			   "  \"m\": {\"k\": \"v\"}\n"
			   "}";
	struct tjson_doc *doc = parse_ok(text);
	const struct tjson *list = tjson_get(doc->root, "list");
	const struct tjson *m = tjson_get(doc->root, "m");
	const struct tjson *e;

	assert_int_equal(list->type, TJSON_ARRAY);
	assert_int_equal(list->n, 3);
	assert_int_equal(list->kpos.line, 2);
	assert_int_equal(list->kpos.col, 2);
	assert_int_equal(list->pos.col, 10);
	e = list->child->next;
	assert_int_equal(e->type, TJSON_BOOL);
	assert_true(e->b);
	assert_int_equal(e->pos.line, 3);
	assert_int_equal(e->pos.col, 5);
	assert_null(e->key);
	assert_int_equal(e->next->type, TJSON_NULL);
	assert_int_equal(m->child->pos.line, 4);
	assert_int_equal(m->child->kpos.col, 9);
	assert_int_equal(m->child->pos.col, 14);
	assert_null(tjson_get(doc->root, "absent"));
	assert_null(tjson_get(list, "list"));
	tjson_doc_free(doc);
}

static void test_strings(void **state)
{
	(void)state;
	struct tjson_doc *doc =
		parse_ok("[\"q\\\" b\\\\ s\\/ \\b\\f\\n\\r\\t\", "
			 "\"\\u00e9\\u20AC\", \"\\ud83d\\ude00\", "
			 "\"caf\xc3\xa9\", \"\"]");
	const struct tjson *v = doc->root->child;

	assert_string_equal(v->s, "q\" b\\ s/ \b\f\n\r\t");
	v = v->next;
	assert_string_equal(v->s, "\xc3\xa9\xe2\x82\xac");
	assert_int_equal(v->len, 5);
	v = v->next;
	assert_string_equal(v->s, "\xf0\x9f\x98\x80");
	v = v->next;
	assert_string_equal(v->s, "caf\xc3\xa9");
	v = v->next;
	assert_int_equal(v->len, 0);
	assert_string_equal(v->s, "");
	tjson_doc_free(doc);

	parse_fail("[\"abc", -EBADMSG, 1, 2, "unterminated string");
	parse_fail("[\"a\\x\"]", -EBADMSG, 1, 4, "invalid escape");
	parse_fail("[\"\\u12\"]", -EBADMSG, 1, 3, "four hex digits");
	parse_fail("[\"\\u0000\"]", -EBADMSG, 1, 3, "\\u0000");
	parse_fail("[\"\\udc00\"]", -EBADMSG, 1, 3, "lone low surrogate");
	parse_fail("[\"\\ud800x\"]", -EBADMSG, 1, 3, "high surrogate");
	parse_fail("[\"\\ud800\\u0041\"]", -EBADMSG, 1, 3, "high surrogate");
	parse_fail("[\"a\tb\"]", -EBADMSG, 1, 4, "control character");
	parse_fail("[\"a\nb\"]", -EBADMSG, 1, 4, "control character");
	parse_fail("[\"\xc3\x28\"]", -EBADMSG, 1, 3, "UTF-8");
	parse_fail("[\"\xed\xa0\x80\"]", -EBADMSG, 1, 3, "UTF-8");
	parse_fail("[\"\xc0\xaf\"]", -EBADMSG, 1, 3, "UTF-8");
	parse_fail("['single']", -EBADMSG, 1, 2, "unexpected character");
}

static void test_numbers(void **state)
{
	(void)state;
	struct tjson_doc *doc =
		parse_ok("[0, -0, 42, -17, 9223372036854775807, "
			 "-9223372036854775808, 1.5, -2.5e3, 1E2, 0.875]");
	const struct tjson *v = doc->root->child;
	const int64_t ints[] = {0, 0, 42, -17, INT64_MAX, INT64_MIN};

	for (size_t i = 0; i < 6; i++, v = v->next) {
		assert_int_equal(v->type, TJSON_NUMBER);
		assert_true(v->is_int);
		assert_true(v->i == ints[i]);
	}
	assert_false(v->is_int);
	assert_true(v->d == 1.5);
	v = v->next;
	assert_false(v->is_int);
	assert_true(v->d == -2500.0);
	v = v->next;
	assert_false(v->is_int); /* an exponent makes it a real */
	assert_true(v->d == 100.0);
	assert_string_equal(tjson_type_name(v), "real");
	assert_string_equal(tjson_type_name(doc->root->child), "integer");
	tjson_doc_free(doc);

	parse_fail("[9223372036854775808]", -EBADMSG, 1, 2, "out of range");
	parse_fail("[-9223372036854775809]", -EBADMSG, 1, 2, "out of range");
	parse_fail("[01]", -EBADMSG, 1, 2, "leading zeros");
	parse_fail("[1.]", -EBADMSG, 1, 2, "after '.'");
	parse_fail("[.5]", -EBADMSG, 1, 2, "unexpected character");
	parse_fail("[-]", -EBADMSG, 1, 2, "invalid number");
	parse_fail("[1e]", -EBADMSG, 1, 2, "exponent");
	parse_fail("[+1]", -EBADMSG, 1, 2, "unexpected character");
	parse_fail("[1e999]", -EBADMSG, 1, 2, "out of range");
	parse_fail("[NaN]", -EBADMSG, 1, 2, "unexpected character");
}

static void test_structure_errors(void **state)
{
	(void)state;
	parse_fail("", -EBADMSG, 1, 1, "end of input");
	parse_fail("  // only a comment\n", -EBADMSG, 2, 1, "end of input");
	parse_fail("{} {}", -EBADMSG, 1, 4, "trailing data");
	parse_fail("{}\n]", -EBADMSG, 2, 1, "trailing data");
	parse_fail("[1, 2,]", -EBADMSG, 1, 7, "trailing comma");
	parse_fail("{\"a\": 1,}", -EBADMSG, 1, 9, "trailing comma");
	parse_fail("{\"a\" 1}", -EBADMSG, 1, 6, "':' expected");
	parse_fail("{a: 1}", -EBADMSG, 1, 2, "key");
	parse_fail("[1 2]", -EBADMSG, 1, 4, "',' or ']'");
	parse_fail("[1, 2", -EBADMSG, 1, 1, "unterminated array");
	parse_fail("[tru]", -EBADMSG, 1, 2, "invalid literal");
	parse_fail("[truex]", -EBADMSG, 1, 2, "invalid literal");
	parse_fail("{\"a\": 1, \"b\": 2,\n \"a\": 3}", -EBADMSG, 2, 2,
		   "duplicate key \"a\" (first at line 1 column 2)");
	/* Nested objects keep their own key sets. */
	tjson_doc_free(parse_ok("{\"a\": {\"a\": 1}, \"b\": {\"a\": 2}}"));
}

static void test_limits(void **state)
{
	(void)state;
	char deep[2 * 70 + 1];
	struct tjson_doc *doc = NULL;
	struct tjson_error err;
	struct tjson_limits lim = {100, 4, 10, 8};

	/* TJSON_DEFAULT_MAX_DEPTH levels pass, one more fails. */
	for (size_t depth = 64; depth <= 65; depth++) {
		memset(deep, '[', depth);
		memset(deep + depth, ']', depth);
		deep[2 * depth] = '\0';
		int rc = tjson_parse(deep, 2 * depth, NULL, &doc, &err);
		if (depth == 64) {
			assert_int_equal(rc, 0);
			tjson_doc_free(doc);
			doc = NULL;
		} else {
			assert_int_equal(rc, -E2BIG);
			assert_int_equal(err.pos.col, 65);
			assert_non_null(strstr(err.msg, "nested deeper"));
		}
	}
	assert_int_equal(tjson_parse("[[[[[1]]]]]", 11, &lim, &doc, &err),
			 -E2BIG);
	assert_int_equal(
		tjson_parse("[1,2,3,4,5,6,7,8,9,10]", 22, &lim, &doc, &err),
		-E2BIG);
	assert_non_null(strstr(err.msg, "more than 10 values"));
	assert_int_equal(tjson_parse("[\"123456789\"]", 13, &lim, &doc, &err),
			 -E2BIG);
	assert_non_null(strstr(err.msg, "string longer"));
	lim.max_input = 4;
	assert_int_equal(tjson_parse("[1,2]", 5, &lim, &doc, &err), -E2BIG);
	assert_null(doc);
	assert_int_equal(tjson_parse(NULL, 1, NULL, &doc, &err), -EINVAL);
	assert_int_equal(tjson_parse("1", 1, NULL, NULL, &err), -EINVAL);
	/* Not NUL-terminated: the parser must stop at len. */
	assert_int_equal(tjson_parse("[1]xyz", 3, NULL, &doc, NULL), 0);
	tjson_doc_free(doc);
	tjson_doc_free(NULL);
}

/* A prefix of a request on a socket: wait for more, or refuse now. */
static void test_prefix(void **state)
{
	(void)state;
	const char *text = "{ /* c */ \"command\": \"x\", # c\n"
			   "  \"arguments\": {\"a\": [1, -2.5e3, true, "
			   "false, null, \"\\u00e9\\\"\"]} // c\n}";
	struct tjson_doc *doc = NULL;
	struct tjson_error err;
	size_t end = 0, len = strlen(text);
	const char *bad[] = {"{\"a\" 1}", "{\"a\": tx}", "[1 2]",
			     "{,",	  "{\"a\": 01}", "x"};

	/* Every strict prefix is incomplete, never malformed. */
	for (size_t n = 0; n < len; n++) {
		int rc = tjson_parse_prefix(text, n, NULL, &doc, &end, &err);

		if (rc != -EBADMSG || !err.incomplete)
			print_error("prefix %zu: %d %s\n", n, rc, err.msg);
		assert_int_equal(rc, -EBADMSG);
		assert_true(err.incomplete);
		assert_null(doc);
	}
	assert_int_equal(tjson_parse_prefix(text, len, NULL, &doc, &end, &err),
			 0);
	assert_int_equal(end, len);
	tjson_doc_free(doc);
	/* What follows the first value is left alone. */
	assert_int_equal(tjson_parse_prefix("{\"a\": 1}{\"b\": garbage", 22,
					    NULL, &doc, &end, &err),
			 0);
	assert_int_equal(end, 8);
	assert_int_equal(doc->root->n, 1);
	tjson_doc_free(doc);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(tjson_parse_prefix(bad[i], strlen(bad[i]),
						    NULL, &doc, &end, &err),
				 -EBADMSG);
		assert_false(err.incomplete);
	}
	assert_int_equal(tjson_parse_prefix("[1]", 3, NULL, &doc, NULL, &err),
			 -EINVAL);
}

/* Text of v in style, checked against want. */
static void write_is(const struct tjson *v, enum tjson_style style,
		     const char *want)
{
	char buf[2048];
	size_t len = 0;

	assert_int_equal(tjson_write(v, style, buf, sizeof(buf), &len), 0);
	if (strcmp(buf, want) != 0)
		print_error("got  %s\nwant %s\n", buf, want);
	assert_string_equal(buf, want);
	assert_int_equal(len, strlen(want));
}

static void test_build_and_write(void **state)
{
	(void)state;
	struct tjson_doc *doc = NULL;
	struct tjson *o, *a, *inner;

	assert_int_equal(tjson_doc_new(0, &doc), 0);
	o = tjson_new_object(doc);
	assert_int_equal(tjson_add_int(doc, o, "result", 0), 0);
	assert_int_equal(tjson_add_str(doc, o, "text", "ok"), 0);
	a = tjson_new_array(doc);
	assert_int_equal(tjson_append(doc, a, tjson_new_int(doc, 1)), 0);
	assert_int_equal(tjson_append(doc, a, tjson_new_double(doc, 0.5)), 0);
	assert_int_equal(tjson_append(doc, a, tjson_new_bool(doc, false)), 0);
	assert_int_equal(tjson_append(doc, a, tjson_new_null(doc)), 0);
	assert_int_equal(tjson_add(doc, o, "list", a), 0);
	inner = tjson_new_object(doc);
	assert_int_equal(tjson_add_bool(doc, inner, "x", true), 0);
	assert_int_equal(tjson_add(doc, inner, "e", tjson_new_object(doc)), 0);
	assert_int_equal(tjson_add(doc, inner, "l", tjson_new_array(doc)), 0);
	assert_int_equal(tjson_add(doc, o, "arguments", inner), 0);
	assert_int_equal(doc->error, 0);
	assert_int_equal(o->n, 4);

	/* Members keep the order they were added in. */
	write_is(o, TJSON_WRITE_COMPACT,
		 "{\"result\":0,\"text\":\"ok\",\"list\":[1,0.5,false,null],"
		 "\"arguments\":{\"x\":true,\"e\":{},\"l\":[]}}");
	write_is(o, TJSON_WRITE_KEA,
		 "{ \"result\": 0, \"text\": \"ok\", "
		 "\"list\": [ 1, 0.5, false, null ], "
		 "\"arguments\": { \"x\": true, \"e\": {  }, \"l\": [  ] } }");
	write_is(o, TJSON_WRITE_PRETTY,
		 "{\n"
		 "    \"result\": 0,\n"
		 "    \"text\": \"ok\",\n"
		 "    \"list\": [ 1, 0.5, false, null ],\n"
		 "    \"arguments\": {\n"
		 "        \"x\": true,\n"
		 "        \"e\": { },\n"
		 "        \"l\": [ ]\n"
		 "    }\n"
		 "}");

	/* set replaces in place, add appends. */
	assert_int_equal(tjson_set(doc, o, "text", tjson_new_string(doc, "b")),
			 0);
	assert_int_equal(tjson_set(doc, inner, "z", tjson_new_int(doc, -1)), 0);
	assert_int_equal(tjson_set(doc, inner, "z", tjson_new_int(doc, 2)), 0);
	write_is(o, TJSON_WRITE_COMPACT,
		 "{\"result\":0,\"text\":\"b\",\"list\":[1,0.5,false,null],"
		 "\"arguments\":{\"x\":true,\"e\":{},\"l\":[],\"z\":2}}");
	assert_int_equal(o->n, 4);
	assert_int_equal(inner->n, 4);

	/* A list of containers is one element per line in pretty. */
	a = tjson_new_array(doc);
	inner = tjson_new_object(doc);
	tjson_add_str(doc, inner, "k", "v");
	tjson_append(doc, a, inner);
	tjson_append(doc, a, tjson_new_array(doc));
	tjson_append(doc, a, tjson_new_int(doc, 3));
	write_is(a, TJSON_WRITE_PRETTY,
		 "[\n"
		 "    {\n"
		 "        \"k\": \"v\"\n"
		 "    },\n"
		 "    [ ],\n"
		 "    3\n"
		 "]");
	write_is(tjson_new_string(doc, "top"), TJSON_WRITE_PRETTY, "\"top\"");
	assert_int_equal(doc->error, 0);
	tjson_doc_free(doc);
}

/* Kea's own answer (docs: kea-control.md 2.1), byte for byte. */
static void test_kea_answer(void **state)
{
	(void)state;
	struct tjson_doc *doc = NULL;
	struct tjson *o, *args, *sockets;

	assert_int_equal(tjson_doc_new(0, &doc), 0);
	o = tjson_new_object(doc);
	args = tjson_new_object(doc);
	sockets = tjson_new_object(doc);
	tjson_add_int(doc, o, "result", 0);
	tjson_add_str(doc, sockets, "status", "ready");
	tjson_add_int(doc, args, "uptime", 64);
	tjson_add(doc, args, "sockets", sockets);
	tjson_add_int(doc, args, "reload", 64);
	tjson_add_int(doc, args, "pid", 32186);
	tjson_add_bool(doc, args, "multi-threading-enabled", false);
	tjson_add(doc, o, "arguments", args);
	assert_int_equal(doc->error, 0);
	assert_int_equal(tjson_sort_keys(o), 0);
	write_is(o, TJSON_WRITE_KEA,
		 "{ \"arguments\": { \"multi-threading-enabled\": false, "
		 "\"pid\": 32186, \"reload\": 64, \"sockets\": { \"status\": "
		 "\"ready\" }, \"uptime\": 64 }, \"result\": 0 }");
	/* Appending after a sort still goes last. */
	tjson_add_str(doc, o, "text", "t");
	assert_string_equal(o->last->key, "text");
	tjson_doc_free(doc);
}

static void test_write_strings(void **state)
{
	(void)state;
	struct tjson_doc *doc = NULL;
	static const char raw[] = "q\" b\\ s/ \b\f\n\r\t \x01\x1f\x7f "
				  "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80 "
				  "bad \xc3\x28 \xff \xed\xa0\x80 nul \0 end";
	struct tjson *v;
	struct tjson_doc *back = NULL;
	char buf[512];

	assert_int_equal(tjson_doc_new(0, &doc), 0);
	v = tjson_new_stringn(doc, raw, sizeof(raw) - 1);
	write_is(v, TJSON_WRITE_COMPACT,
		 "\"q\\\" b\\\\ s/ \\b\\f\\n\\r\\t \\u0001\\u001f\\u007f "
		 "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80 "
		 "bad \\u00c3( \\u00ff \\u00ed\\u00a0\\u0080 nul \\u0000 "
		 "end\"");
	/* Without the NUL, what is written reads back byte for byte when
	 * the input was valid UTF-8. */
	v = tjson_new_string(doc, "q\" b\\ s/ \b\f\n\r\t \x01\x1f\x7f "
				  "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80");
	assert_int_equal(
		tjson_write(v, TJSON_WRITE_KEA, buf, sizeof(buf), NULL), 0);
	assert_int_equal(tjson_parse(buf, strlen(buf), NULL, &back, NULL), 0);
	assert_true(tjson_equal(v, back->root));
	tjson_doc_free(back);
	/* Keys are escaped too. */
	v = tjson_new_object(doc);
	tjson_add_int(doc, v, "a\"\n", 1);
	write_is(v, TJSON_WRITE_COMPACT, "{\"a\\\"\\n\":1}");
	write_is(tjson_new_string(doc, ""), TJSON_WRITE_COMPACT, "\"\"");
	assert_int_equal(doc->error, 0);
	tjson_doc_free(doc);
}

static void test_write_numbers(void **state)
{
	(void)state;
	struct tjson_doc *doc = NULL, *back = NULL;
	static const struct {
		double d;
		const char *text;
	} reals[] = {
		{0.5, "0.5"},
		{1.0, "1.0"},
		{-0.0, "-0.0"},
		{0.1, "0.1"},
		{-2500.0, "-2500.0"},
		{1e300, "1e+300"},
		{1e-7, "1e-07"},
		{123456.789, "123456.789"},
		{1.0 / 3.0, "0.3333333333333333"},
		{5e-324, "5e-324"},
		{1e16, "10000000000000000.0"},
		{1e17, "1e+17"},
		{2.5e-5, "2.5e-05"},
		{0.001, "0.001"},
	};
	char buf[64];

	assert_int_equal(tjson_doc_new(0, &doc), 0);
	write_is(tjson_new_int(doc, INT64_MAX), TJSON_WRITE_COMPACT,
		 "9223372036854775807");
	write_is(tjson_new_int(doc, INT64_MIN), TJSON_WRITE_COMPACT,
		 "-9223372036854775808");
	write_is(tjson_new_int(doc, 0), TJSON_WRITE_COMPACT, "0");
	for (size_t i = 0; i < sizeof(reals) / sizeof(reals[0]); i++) {
		struct tjson *v = tjson_new_double(doc, reals[i].d);

		write_is(v, TJSON_WRITE_COMPACT, reals[i].text);
		/* A real reads back as the same real, never as an integer. */
		assert_int_equal(tjson_write(v, TJSON_WRITE_COMPACT, buf,
					     sizeof(buf), NULL),
				 0);
		assert_int_equal(
			tjson_parse(buf, strlen(buf), NULL, &back, NULL), 0);
		assert_false(back->root->is_int);
		assert_true(back->root->d == reals[i].d);
		tjson_doc_free(back);
	}
	assert_int_equal(doc->error, 0);
	/* NaN and infinities have no JSON form. */
	assert_null(tjson_new_double(doc, NAN));
	assert_int_equal(doc->error, -EINVAL);
	assert_null(tjson_new_double(doc, INFINITY));
	tjson_doc_free(doc);
}

/* Parse, write in each style, parse again: the same tree. */
static void test_roundtrip(void **state)
{
	(void)state;
	char *text = NULL, path[512];
	FILE *f;
	long n;
	struct tjson_doc *doc = NULL, *back = NULL, *copy = NULL;
	struct tjson *c;
	static const char *const more[] = {
		"[]",
		"{}",
		"0",
		"-1.5e-3",
		"\"\"",
		"null",
		"[[], {}, [[]], {\"a\": {\"b\": {}}}]",
		"{\"a\\u0000b\": 1}", /* refused by the reader: skipped */
		"[9223372036854775807, -9223372036854775808, 1e-300]",
	};

	snprintf(path, sizeof(path), "%s/config/kea-full.json", TERN_FIXTURES);
	f = fopen(path, "rb");
	assert_non_null(f);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	n = ftell(f);
	assert_true(n > 0);
	rewind(f);
	text = malloc((size_t)n);
	assert_int_equal(fread(text, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	assert_int_equal(tjson_parse(text, (size_t)n, NULL, &doc, NULL), 0);
	free(text);

	for (int style = TJSON_WRITE_COMPACT; style <= TJSON_WRITE_PRETTY;
	     style++) {
		size_t len;

		assert_int_equal(tjson_write_alloc(doc->root, style, 1 << 20,
						   &text, &len),
				 0);
		assert_int_equal(strlen(text), len);
		assert_int_equal(tjson_parse(text, len, NULL, &back, NULL), 0);
		assert_true(tjson_equal(doc->root, back->root));
		tjson_doc_free(back);
		free(text);
	}
	/* A deep copy outlives its source. */
	assert_int_equal(tjson_doc_new(0, &copy), 0);
	c = tjson_copy(copy, tjson_get(doc->root, "Dhcp4"));
	assert_non_null(c);
	assert_null(c->key);
	assert_true(tjson_equal(c, tjson_get(doc->root, "Dhcp4")));
	assert_int_equal(
		tjson_write_alloc(c, TJSON_WRITE_KEA, 1 << 20, &text, NULL), 0);
	tjson_doc_free(doc);
	assert_int_equal(tjson_parse(text, strlen(text), NULL, &back, NULL), 0);
	assert_true(tjson_equal(c, back->root));
	assert_false(tjson_equal(c, back->root->child));
	tjson_doc_free(back);
	tjson_doc_free(copy);
	free(text);

	for (size_t i = 0; i < sizeof(more) / sizeof(more[0]); i++) {
		char buf[256];

		if (tjson_parse(more[i], strlen(more[i]), NULL, &doc, NULL))
			continue;
		for (int style = TJSON_WRITE_COMPACT;
		     style <= TJSON_WRITE_PRETTY; style++) {
			assert_int_equal(tjson_write(doc->root, style, buf,
						     sizeof(buf), NULL),
					 0);
			assert_int_equal(tjson_parse(buf, strlen(buf), NULL,
						     &back, NULL),
					 0);
			assert_true(tjson_equal(doc->root, back->root));
			tjson_doc_free(back);
		}
		tjson_doc_free(doc);
	}
}

static void test_write_limits(void **state)
{
	(void)state;
	struct tjson_doc *doc = NULL;
	struct tjson *v, *top, *arr;
	char buf[16], *big = NULL, *fixed;
	size_t len = 0, need;

	assert_int_equal(tjson_doc_new(0, &doc), 0);
	/* TJSON_MAX_DEPTH levels are written, one more is refused. */
	v = tjson_new_int(doc, 1);
	for (size_t depth = 1; depth <= TJSON_MAX_DEPTH + 1; depth++) {
		struct tjson *a = tjson_new_array(doc);
		char deep[2 * (TJSON_MAX_DEPTH + 1) + 2];

		assert_int_equal(tjson_append(doc, a, v), 0);
		v = a;
		if (depth == TJSON_MAX_DEPTH) {
			assert_int_equal(tjson_write(v, TJSON_WRITE_COMPACT,
						     deep, sizeof(deep), &len),
					 0);
			assert_int_equal(len, 2 * depth + 1);
			assert_non_null(tjson_copy(doc, v));
			assert_int_equal(tjson_sort_keys(v), 0);
		}
	}
	big = malloc(1 << 16);
	assert_int_equal(tjson_write(v, TJSON_WRITE_PRETTY, big, 1 << 16, NULL),
			 -E2BIG);
	free(big);
	big = NULL;
	assert_int_equal(
		tjson_write_alloc(v, TJSON_WRITE_COMPACT, 4096, &big, NULL),
		-E2BIG);
	assert_null(big);
	assert_int_equal(tjson_sort_keys(v), -E2BIG);
	assert_null(tjson_copy(doc, v));
	assert_int_equal(doc->error, -E2BIG);
	assert_false(tjson_equal(v, v));
	tjson_doc_free(doc);

	/* A buffer one byte short: -ENOBUFS, and an empty string. */
	assert_int_equal(tjson_doc_new(0, &doc), 0);
	top = tjson_new_object(doc);
	tjson_add_str(doc, top, "k", "0123456789");
	assert_int_equal(tjson_write(top, TJSON_WRITE_COMPACT, buf, 1, NULL),
			 -ENOBUFS);
	assert_string_equal(buf, "");
	fixed = malloc(64);
	assert_int_equal(
		tjson_write(top, TJSON_WRITE_COMPACT, fixed, 64, &need), 0);
	assert_int_equal(need, 18);
	assert_int_equal(
		tjson_write(top, TJSON_WRITE_COMPACT, fixed, need, NULL),
		-ENOBUFS);
	assert_int_equal(
		tjson_write(top, TJSON_WRITE_COMPACT, fixed, need + 1, &len),
		0);
	assert_string_equal(fixed, "{\"k\":\"0123456789\"}");
	free(fixed);
	assert_int_equal(tjson_write(top, TJSON_WRITE_COMPACT, NULL, 8, NULL),
			 -EINVAL);

	/* The growing buffer: bounded by max, the NUL included. */
	arr = tjson_new_array(doc);
	for (int i = 0; i < 10000; i++)
		tjson_append(doc, arr, tjson_new_int(doc, i));
	assert_int_equal(doc->error, 0);
	fixed = malloc(1 << 16);
	assert_int_equal(
		tjson_write(arr, TJSON_WRITE_KEA, fixed, 1 << 16, &need), 0);
	assert_int_equal(
		tjson_write_alloc(arr, TJSON_WRITE_KEA, need, &big, NULL),
		-ENOBUFS);
	assert_null(big);
	assert_int_equal(
		tjson_write_alloc(arr, TJSON_WRITE_KEA, need + 1, &big, &len),
		0);
	assert_int_equal(len, need);
	assert_string_equal(big, fixed);
	free(big);
	big = NULL;
	assert_int_equal(tjson_write_alloc(top, TJSON_WRITE_KEA, 8, &big, NULL),
			 -ENOBUFS);
	assert_int_equal(tjson_write_alloc(top, TJSON_WRITE_KEA, 0, &big, NULL),
			 -EINVAL);
	free(fixed);
	tjson_doc_free(doc);
}

static void test_build_errors(void **state)
{
	(void)state;
	struct tjson_doc *doc = NULL;
	struct tjson *o, *a, *v;

	assert_int_equal(tjson_doc_new(0, NULL), -EINVAL);
	assert_int_equal(tjson_doc_new(0, &doc), 0);
	o = tjson_new_object(doc);
	a = tjson_new_array(doc);
	v = tjson_new_int(doc, 1);
	/* Wrong container, a node linked twice, itself. */
	assert_int_equal(tjson_append(doc, o, v), -EINVAL);
	assert_int_equal(tjson_add(doc, a, "k", v), -EINVAL);
	assert_int_equal(doc->error, -EINVAL);
	doc->error = 0;
	assert_int_equal(tjson_append(doc, a, v), 0);
	assert_int_equal(tjson_append(doc, a, v), -EINVAL);
	assert_int_equal(tjson_add(doc, o, "k", v), -EINVAL);
	assert_int_equal(tjson_append(doc, a, a), -EINVAL);
	assert_int_equal(tjson_add(doc, o, NULL, tjson_new_null(doc)), -EINVAL);
	assert_null(tjson_new_string(doc, NULL));
	doc->error = 0;
	/* A NULL value (a failed constructor) fails the add. */
	assert_int_equal(tjson_add(doc, o, "k", NULL), -EINVAL);
	assert_int_equal(tjson_add_str(doc, o, "k", NULL), -EINVAL);
	assert_int_equal(o->n, 0);
	assert_int_equal(a->n, 1);
	tjson_doc_free(doc);

	/* Past the arena limit: -ENOMEM, sticky. */
	assert_int_equal(tjson_doc_new(4096, &doc), 0);
	a = tjson_new_array(doc);
	for (int i = 0; i < 1000; i++)
		tjson_append(doc, a, tjson_new_int(doc, i));
	assert_int_equal(doc->error, -ENOMEM);
	assert_true(a->n < 1000);
	assert_int_equal(tjson_add_int(doc, tjson_new_object(doc), "k", 1),
			 -ENOMEM);
	assert_int_equal(doc->error, -ENOMEM);
	tjson_doc_free(doc);
	tjson_doc_free(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_comments),
		cmocka_unit_test(test_positions),
		cmocka_unit_test(test_strings),
		cmocka_unit_test(test_numbers),
		cmocka_unit_test(test_structure_errors),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_prefix),
		cmocka_unit_test(test_build_and_write),
		cmocka_unit_test(test_kea_answer),
		cmocka_unit_test(test_write_strings),
		cmocka_unit_test(test_write_numbers),
		cmocka_unit_test(test_roundtrip),
		cmocka_unit_test(test_write_limits),
		cmocka_unit_test(test_build_errors),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
