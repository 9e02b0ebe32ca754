/*
 * Unit tests of ytree.c: the located YAML tree and its limits.
 *
 * Positions are 1-based line and column of where each node starts;
 * every limit must end the load with one located error, after a bounded
 * amount of work.  Small custom limits keep the limit tests fast.
 */

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "ytree.h"

static struct ytree	tree;
static struct diag	diag;

static void
setup(void)
{
	memset(&tree, 0, sizeof tree);
	diag_init(&diag);
}

static void
teardown(void)
{
	ytree_free(&tree);
	diag_free(&diag);
}

/* Load a NUL-terminated document with limits lim (NULL: defaults). */
static int
load_lim(const char *s, const struct ytree_limits *lim)
{
	ytree_free(&tree);
	diag_free(&diag);
	return (ytree_load(&tree, "t.yaml", s, strlen(s), lim, &diag));
}

static int
load(const char *s)
{
	return (load_lim(s, NULL));
}

/* Exactly one problem, an error at line:col whose message has sub. */
static void
assert_one_error(int line, int col, const char *sub)
{
	char	*all;

	all = diag.n > 0 ? diag_format(&diag.items[0]) : strdup("(none)");
	ck_assert_msg(diag.n == 1 && diag.nerrors == 1,
	    "%zu problems, first: %s", diag.n, all);
	ck_assert_msg(diag.items[0].level == DIAG_ERROR, "%s", all);
	ck_assert_msg(diag.items[0].line == line && diag.items[0].col == col,
	    "at %d:%d, want %d:%d: %s", diag.items[0].line,
	    diag.items[0].col, line, col, all);
	ck_assert_msg(strstr(diag.items[0].msg, sub) != NULL,
	    "'%s' not in %s", sub, all);
	ck_assert_str_eq(diag.items[0].file, "t.yaml");
	free(all);
}

/* The node at a path of map keys and "#N" sequence indexes. */
static const struct ynode *
at(const struct ynode *n, const char *path)
{
	char	*copy = strdup(path), *p = copy, *tok;

	while (n != NULL && (tok = strsep(&p, ".")) != NULL) {
		if (tok[0] == '#') {
			size_t	i = strtoul(tok + 1, NULL, 10);

			n = n->type == YNODE_SEQ && i < n->n ? n->items[i] :
			    NULL;
		} else
			n = ynode_get(n, tok);
	}
	free(copy);
	ck_assert_msg(n != NULL, "no node at %s", path);
	return (n);
}

static void
assert_node(const char *path, enum ynode_type type, int line, int col)
{
	const struct ynode	*n = at(tree.root, path);

	ck_assert_msg(n->type == type, "%s: type %d, want %d", path, n->type,
	    type);
	ck_assert_msg(n->line == line && n->col == col,
	    "%s: at %d:%d, want %d:%d", path, n->line, n->col, line, col);
}

static const char doc_positions[] =
    "a: 1\n"			/* 1 */
    "b:\n"			/* 2 */
    "  - x\n"			/* 3 */
    "  - \"y\"\n"		/* 4 */
    "  - {k: v}\n"		/* 5 */
    "c:\n"			/* 6 */
    "- p\n"			/* 7: an indentless sequence */
    "h:\n"			/* 8 */
    "  i: j\n"			/* 9 */
    "  \xc3\xa9t\xc3\xa9: z\n"	/* 10: columns count characters */
    "f: [1, [2, 3]]\n";		/* 11 */

START_TEST(test_positions)
{
	ck_assert_int_eq(load(doc_positions), 0);
	ck_assert_uint_eq(diag.n, 0);
	ck_assert_int_eq(tree.root->type, YNODE_MAP);
	ck_assert_int_eq(tree.root->line, 1);
	ck_assert_int_eq(tree.root->col, 1);
	ck_assert_uint_eq(YNODE_PAIRS(tree.root), 5);
	ck_assert_int_eq(YNODE_KEY(tree.root, 1)->line, 2);
	ck_assert_int_eq(YNODE_KEY(tree.root, 1)->col, 1);

	assert_node("a", YNODE_SCALAR, 1, 4);
	assert_node("b", YNODE_SEQ, 3, 3);
	assert_node("b.#0", YNODE_SCALAR, 3, 5);
	assert_node("b.#1", YNODE_SCALAR, 4, 5);
	assert_node("b.#2", YNODE_MAP, 5, 5);
	assert_node("b.#2.k", YNODE_SCALAR, 5, 9);
	assert_node("c", YNODE_SEQ, 7, 1);
	assert_node("c.#0", YNODE_SCALAR, 7, 3);
	assert_node("h", YNODE_MAP, 9, 3);
	assert_node("h.i", YNODE_SCALAR, 9, 6);
	assert_node("h.\xc3\xa9t\xc3\xa9", YNODE_SCALAR, 10, 8);
	assert_node("f", YNODE_SEQ, 11, 4);
	assert_node("f.#1", YNODE_SEQ, 11, 8);
	assert_node("f.#1.#1", YNODE_SCALAR, 11, 12);

	ck_assert_str_eq(at(tree.root, "b.#1")->value, "y");
	ck_assert_uint_eq(at(tree.root, "b.#1")->len, 1);
	ck_assert_uint_eq(at(tree.root, "b")->n, 3);
	ck_assert_uint_eq(at(tree.root, "h")->n, 4);	/* 2 per pair */
}
END_TEST

START_TEST(test_styles)
{
	ck_assert_int_eq(load(
	    "plain: p\n"
	    "single: 's'\n"
	    "double: \"d\\tx\"\n"
	    "literal: |\n"
	    "  line 1\n"
	    "  line 2\n"
	    "folded: >\n"
	    "  word\n"
	    "  word\n"
	    "flowseq: [a]\n"
	    "flowmap: {a: b}\n"
	    "blockseq:\n"
	    "  - a\n"
	    "blockmap:\n"
	    "  a: b\n"
	    "tagged: !!str 1\n"), 0);
	ck_assert_int_eq(at(tree.root, "plain")->style, YSTYLE_PLAIN);
	ck_assert_int_eq(at(tree.root, "single")->style, YSTYLE_SINGLE);
	ck_assert_int_eq(at(tree.root, "double")->style, YSTYLE_DOUBLE);
	ck_assert_str_eq(at(tree.root, "double")->value, "d\tx");
	ck_assert_int_eq(at(tree.root, "literal")->style, YSTYLE_LITERAL);
	ck_assert_str_eq(at(tree.root, "literal")->value,
	    "line 1\nline 2\n");
	ck_assert_int_eq(at(tree.root, "folded")->style, YSTYLE_FOLDED);
	ck_assert_str_eq(at(tree.root, "folded")->value, "word word\n");
	ck_assert_int_eq(at(tree.root, "flowseq")->style, YSTYLE_FLOW);
	ck_assert_int_eq(at(tree.root, "flowmap")->style, YSTYLE_FLOW);
	ck_assert_int_eq(at(tree.root, "blockseq")->style, YSTYLE_PLAIN);
	ck_assert_int_eq(at(tree.root, "blockmap")->style, YSTYLE_PLAIN);
	ck_assert_int_eq(at(tree.root, "plain")->tagged, 0);
	ck_assert_int_eq(at(tree.root, "tagged")->tagged, 1);
	ck_assert_str_eq(at(tree.root, "tagged")->value, "1");
}
END_TEST

START_TEST(test_duplicate_keys)
{
	ck_assert_int_eq(load("a: 1\nb: 2\na: 3\n"), 0);
	assert_one_error(3, 1, "duplicate key 'a' (first at 1:1)");
	/* The later copy is left out: a reader meets each key once. */
	ck_assert_uint_eq(YNODE_PAIRS(tree.root), 2);
	ck_assert_str_eq(at(tree.root, "a")->value, "1");

	/* In a nested flow mapping, at the duplicate's own place. */
	ck_assert_int_eq(load("x:\n  - {k: 1, j: 2, k: 3}\n"), 0);
	assert_one_error(2, 18, "duplicate key 'k' (first at 2:6)");

	/* Quoting does not make a key different. */
	ck_assert_int_eq(load("a: 1\n'a': 2\n"), 0);
	assert_one_error(2, 1, "duplicate key 'a' (first at 1:1)");
}
END_TEST

START_TEST(test_duplicate_keys_three)
{
	/* Each later copy names the first one, not the one before it. */
	ck_assert_int_eq(load("a: 1\na: 2\nb: 3\na: 4\n"), 0);
	ck_assert_uint_eq(diag.nerrors, 2);
	diag_sort(&diag);
	ck_assert_int_eq(diag.items[0].line, 2);
	ck_assert_msg(strstr(diag.items[0].msg, "first at 1:1") != NULL,
	    "%s", diag.items[0].msg);
	ck_assert_int_eq(diag.items[1].line, 4);
	ck_assert_msg(strstr(diag.items[1].msg, "first at 1:1") != NULL,
	    "%s", diag.items[1].msg);
}
END_TEST

START_TEST(test_nonscalar_keys)
{
	ck_assert_int_eq(load("? [a]\n: 1\nok: 2\n"), 0);
	assert_one_error(1, 3, "a mapping key must be a plain string");
	/* The tree is still there, so the caller can report more. */
	ck_assert_ptr_nonnull(tree.root);
	ck_assert_str_eq(ynode_get(tree.root, "ok")->value, "2");
	/* The list key is left out, with its value. */
	ck_assert_uint_eq(YNODE_PAIRS(tree.root), 1);

	ck_assert_int_eq(load("top:\n  ? {b: c}\n  : 2\n"), 0);
	assert_one_error(2, 5, "a mapping key must be a plain string");
}
END_TEST

START_TEST(test_anchors_shared)
{
	const struct ynode	*a, *b;

	ck_assert_int_eq(load("a: &x {k: v, l: [1, 2]}\nb: *x\n"
	    "s: &y scalar\nt: *y\n"), 0);
	ck_assert_uint_eq(diag.n, 0);
	a = ynode_get(tree.root, "a");
	b = ynode_get(tree.root, "b");
	ck_assert_ptr_eq(a, b);		/* shared, not copied */
	ck_assert_uint_eq(a->weight, 7);
	ck_assert_str_eq(at(tree.root, "b.l.#1")->value, "2");
	ck_assert_ptr_eq(ynode_get(tree.root, "s"), ynode_get(tree.root,
	    "t"));
	ck_assert_str_eq(ynode_get(tree.root, "t")->value, "scalar");

	/* A later anchor of the same name wins from there on. */
	ck_assert_int_eq(load("a: &x 1\nb: *x\nc: &x 2\nd: *x\n"), 0);
	ck_assert_str_eq(ynode_get(tree.root, "b")->value, "1");
	ck_assert_str_eq(ynode_get(tree.root, "d")->value, "2");
}
END_TEST

START_TEST(test_alias_errors)
{
	ck_assert_int_eq(load("a: &x [1, *x]\n"), -1);
	assert_one_error(1, 11, "alias '*x' refers to itself");
	ck_assert_ptr_null(tree.root);

	ck_assert_int_eq(load("a: &x\n  k:\n    - *x\n"), -1);
	assert_one_error(3, 7, "refers to itself");

	ck_assert_int_eq(load("a: 1\nb: *nope\n"), -1);
	assert_one_error(2, 4, "unknown alias '*nope'");
	ck_assert_ptr_null(tree.root);
}
END_TEST

START_TEST(test_alias_budget)
{
	struct ytree_limits	 lim;
	char			*doc, *p;
	size_t			 cap = 4096;
	int			 level, i;

	/* The classic "billion laughs": 10 levels of 10 aliases each. */
	doc = p = malloc(cap);
	p += sprintf(p, "a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, "
	    "lol, lol]\n");
	for (level = 1; level < 10; level++) {
		p += sprintf(p, "a%d: &a%d [", level, level);
		for (i = 0; i < 10; i++)
			p += sprintf(p, "%s*a%d", i ? ", " : "", level - 1);
		p += sprintf(p, "]\n");
	}
	ck_assert_uint_lt((size_t)(p - doc), cap);
	ck_assert_int_eq(load(doc), -1);
	ck_assert_ptr_null(tree.root);
	ck_assert_uint_eq(diag.nerrors, 1);
	ck_assert_msg(strstr(diag.items[0].msg, "alias budget") != NULL,
	    "%s", diag.items[0].msg);
	/*
	 * a3 weighs 11111 nodes: the lines before a4 cost 12330, and the
	 * 8th alias of a3 on line 5 goes past 100,000.
	 */
	ck_assert_int_eq(diag.items[0].line, 5);
	ck_assert_int_eq(diag.items[0].col, 45);
	free(doc);

	/* The budget counts every node reached through an alias. */
	ytree_limits_default(&lim);
	lim.max_alias = 6;
	ck_assert_int_eq(load_lim("a: &x [1, 2]\nb: *x\nc: *x\n", &lim), 0);
	ck_assert_uint_eq(diag.n, 0);
	lim.max_alias = 5;
	ck_assert_int_eq(load_lim("a: &x [1, 2]\nb: *x\nc: *x\n", &lim), -1);
	assert_one_error(3, 4, "alias budget");
}
END_TEST

START_TEST(test_depth_limit)
{
	struct ytree_limits	 lim;
	char			 buf[256];
	int			 i;

	ytree_limits_default(&lim);
	lim.max_depth = 4;
	ck_assert_int_eq(load_lim("[[[[1]]]]", &lim), 0);
	ck_assert_int_eq(load_lim("[[[[[1]]]]]", &lim), -1);
	assert_one_error(1, 5, "nesting is deeper than 4 levels");
	ck_assert_ptr_null(tree.root);
	ck_assert_int_eq(load_lim("a:\n  b:\n    c:\n      d:\n        e: 1\n",
	    &lim), -1);
	assert_one_error(5, 9, "deeper than 4");

	/* The default is 64. */
	memset(buf, '[', 64);
	memset(buf + 64, ']', 64);
	buf[128] = '\0';
	ck_assert_int_eq(load(buf), 0);
	for (i = 0; i < 65; i++)
		buf[i] = '[';
	memset(buf + 65, ']', 65);
	buf[130] = '\0';
	ck_assert_int_eq(load(buf), -1);
	assert_one_error(1, 65, "deeper than 64");
}
END_TEST

START_TEST(test_scalar_limit)
{
	struct ytree_limits	lim;

	ytree_limits_default(&lim);
	lim.max_scalar = 8;
	ck_assert_int_eq(load_lim("a: 12345678\n", &lim), 0);
	ck_assert_int_eq(load_lim("a: 123456789\n", &lim), -1);
	assert_one_error(1, 4, "scalar is longer than 8 bytes");
	ck_assert_int_eq(load_lim("a: |\n  1234567\n", &lim), 0);
	ck_assert_int_eq(load_lim("x: y\na: |\n  12345678\n", &lim), -1);
	assert_one_error(2, 4, "longer than 8");
	/* Keys are scalars too. */
	ck_assert_int_eq(load_lim("123456789: a\n", &lim), -1);
	assert_one_error(1, 1, "longer than 8");
}
END_TEST

START_TEST(test_node_limit)
{
	struct ytree_limits	lim;

	ytree_limits_default(&lim);
	lim.max_nodes = 6;
	ck_assert_int_eq(load_lim("[1, 2, 3, 4, 5]", &lim), 0);
	ck_assert_int_eq(load_lim("[1, 2, 3, 4, 5, 6]", &lim), -1);
	assert_one_error(1, 17, "more than 6 YAML nodes");
}
END_TEST

START_TEST(test_file_limit)
{
	struct ytree_limits	 lim;
	size_t			 big = 16 * 1024 * 1024 + 1;
	char			*buf;

	ytree_limits_default(&lim);
	lim.max_file = 10;
	ck_assert_int_eq(ytree_load(&tree, "t.yaml", "a: 123456\n", 10, &lim,
	    &diag), 0);
	ytree_free(&tree);
	ck_assert_int_eq(ytree_load(&tree, "t.yaml", "a: 1234567\n", 11,
	    &lim, &diag), -1);
	assert_one_error(1, 1, "file is larger than");
	ytree_free(&tree);
	diag_free(&diag);

	/* The default, refused before any parsing. */
	buf = malloc(big);
	memset(buf, '#', big);
	ck_assert_int_eq(ytree_load(&tree, "t.yaml", buf, big, NULL, &diag),
	    -1);
	assert_one_error(1, 1, "file is larger than 16 MiB");
	free(buf);
}
END_TEST

START_TEST(test_empty)
{
	ck_assert_int_eq(load(""), -1);
	assert_one_error(1, 1, "empty file");
	ck_assert_ptr_null(tree.root);
	ck_assert_int_eq(load("# only a comment\n\n"), -1);
	assert_one_error(1, 1, "empty file");
	ytree_free(&tree);
	ck_assert_int_eq(ytree_load(&tree, "t.yaml", "", 0, NULL, &diag), -1);

	/* An explicit empty document is a null scalar, not a failure. */
	ck_assert_int_eq(load("---\n"), 0);
	ck_assert_int_eq(tree.root->type, YNODE_SCALAR);
	ck_assert_int_eq(ynode_is_null(tree.root), 1);
}
END_TEST

START_TEST(test_two_documents)
{
	ck_assert_int_eq(load("a: 1\n---\nb: 2\n"), -1);
	assert_one_error(2, 1, "only one YAML document per file");
	ck_assert_ptr_null(tree.root);
	ck_assert_int_eq(load("a: 1\n...\n---\nb: 2\n"), -1);
	assert_one_error(3, 1, "only one YAML document");
	/* One explicit document, with its end marker, is fine. */
	ck_assert_int_eq(load("---\na: 1\n...\n"), 0);
	ck_assert_str_eq(ynode_get(tree.root, "a")->value, "1");
}
END_TEST

START_TEST(test_nul_byte)
{
	static const char	doc[] = "a: b\nc: d\0e: f\n";
	static const char	utf[] = "\xc3\xa9t\xc3\xa9: x\0";

	ck_assert_int_eq(ytree_load(&tree, "t.yaml", doc, sizeof doc - 1,
	    NULL, &diag), -1);
	assert_one_error(2, 5, "NUL byte");
	ytree_free(&tree);
	diag_free(&diag);
	ck_assert_int_eq(ytree_load(&tree, "t.yaml", utf, sizeof utf - 1,
	    NULL, &diag), -1);
	assert_one_error(1, 7, "NUL byte");
	ytree_free(&tree);
	diag_free(&diag);
	ck_assert_int_eq(ytree_load(&tree, "t.yaml", "\0", 1, NULL, &diag),
	    -1);
	assert_one_error(1, 1, "NUL byte");
}
END_TEST

START_TEST(test_invalid_utf8)
{
	ck_assert_int_eq(load("a: \xff\n"), -1);
	ck_assert_ptr_null(tree.root);
	ck_assert_uint_eq(diag.nerrors, 1);
	ck_assert_msg(strstr(diag.items[0].msg, "UTF-8") != NULL, "%s",
	    diag.items[0].msg);

	/* Placed where the bad byte is, like every other problem. */
	ck_assert_int_eq(load("a: b\nc: d\ne: \xff\n"), -1);
	assert_one_error(3, 4, "UTF-8");
	ck_assert_int_eq(load("a: b\n\xc3\xa9t\xc3\xa9: caf\xc3\xa9 \xfe\n"),
	    -1);
	assert_one_error(2, 11, "UTF-8");	/* columns count characters */
}
END_TEST

START_TEST(test_syntax_error)
{
	ck_assert_int_eq(load("a: b\n  c: d\n"), -1);
	assert_one_error(2, 4, "YAML: mapping values are not allowed");
	ck_assert_ptr_null(tree.root);
	ck_assert_int_eq(load("a: [1, 2\n"), -1);
	ck_assert_uint_eq(diag.nerrors, 1);
	ck_assert_msg(strncmp(diag.items[0].msg, "YAML: ", 6) == 0, "%s",
	    diag.items[0].msg);
}
END_TEST

START_TEST(test_ynode_get)
{
	const struct ynode	*seq;

	ck_assert_int_eq(load("a: 1\n? [x]\n: 2\nb: [c]\n\"\": e\n"), 0);
	ck_assert_str_eq(ynode_get(tree.root, "a")->value, "1");
	ck_assert_ptr_null(ynode_get(tree.root, "z"));
	ck_assert_ptr_null(ynode_get(tree.root, "A"));
	ck_assert_str_eq(ynode_get(tree.root, "")->value, "e");
	seq = ynode_get(tree.root, "b");
	ck_assert_int_eq(seq->type, YNODE_SEQ);
	ck_assert_ptr_null(ynode_get(seq, "c"));	/* not a map */
	ck_assert_ptr_null(ynode_get(seq->items[0], "c"));
	ck_assert_ptr_null(ynode_get(NULL, "a"));
}
END_TEST

START_TEST(test_ynode_is_null)
{
	static const char *const nulls[] = { "n0", "n1", "n2", "n3", "n4" };
	static const char *const not[] = { "s0", "s1", "s2", "s3", "s4", "s5",
	    "s6", "s7" };
	size_t	i;

	ck_assert_int_eq(load(
	    "n0:\n"
	    "n1: ~\n"
	    "n2: null\n"
	    "n3: Null\n"
	    "n4: NULL\n"
	    "s0: ''\n"
	    "s1: \"\"\n"
	    "s2: 'null'\n"
	    "s3: !!str\n"
	    "s4: nULL\n"
	    "s5: []\n"
	    "s6: {}\n"
	    "s7: none\n"), 0);
	for (i = 0; i < sizeof nulls / sizeof nulls[0]; i++)
		ck_assert_msg(ynode_is_null(ynode_get(tree.root, nulls[i])),
		    "%s is not null", nulls[i]);
	for (i = 0; i < sizeof not / sizeof not[0]; i++)
		ck_assert_msg(!ynode_is_null(ynode_get(tree.root, not[i])),
		    "%s is null", not[i]);
}
END_TEST

START_TEST(test_limits_default)
{
	struct ytree_limits	lim;

	ytree_limits_default(&lim);
	ck_assert_uint_eq(lim.max_file, 16 * 1024 * 1024);
	ck_assert_int_eq(lim.max_depth, 64);
	ck_assert_uint_eq(lim.max_scalar, 1024 * 1024);
	ck_assert_uint_eq(lim.max_alias, 100000);
	ytree_free(NULL);
}
END_TEST

int
main(void)
{
	Suite	*s = suite_create("ytree");
	TCase	*tc;
	SRunner	*sr;
	int	 failed;

	tc = tcase_create("tree");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_positions);
	tcase_add_test(tc, test_styles);
	tcase_add_test(tc, test_ynode_get);
	tcase_add_test(tc, test_ynode_is_null);
	suite_add_tcase(s, tc);

	tc = tcase_create("keys");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_duplicate_keys);
	tcase_add_test(tc, test_duplicate_keys_three);
	tcase_add_test(tc, test_nonscalar_keys);
	suite_add_tcase(s, tc);

	tc = tcase_create("aliases");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_anchors_shared);
	tcase_add_test(tc, test_alias_errors);
	tcase_add_test(tc, test_alias_budget);
	suite_add_tcase(s, tc);

	tc = tcase_create("limits");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_limits_default);
	tcase_add_test(tc, test_depth_limit);
	tcase_add_test(tc, test_scalar_limit);
	tcase_add_test(tc, test_node_limit);
	tcase_add_test(tc, test_file_limit);
	suite_add_tcase(s, tc);

	tc = tcase_create("input");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_empty);
	tcase_add_test(tc, test_two_documents);
	tcase_add_test(tc, test_nul_byte);
	tcase_add_test(tc, test_invalid_utf8);
	tcase_add_test(tc, test_syntax_error);
	suite_add_tcase(s, tc);

	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return (failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE);
}
