/* Unit tests for ternd's JSON reader: grammar, Kea comments, positions,
 * escapes, limits. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_comments),
		cmocka_unit_test(test_positions),
		cmocka_unit_test(test_strings),
		cmocka_unit_test(test_numbers),
		cmocka_unit_test(test_structure_errors),
		cmocka_unit_test(test_limits),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
