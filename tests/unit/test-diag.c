/*
 * Unit tests of diag.c: collecting located problems, counting them,
 * capping the list, formatting one line each, sorting by place.
 */

#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"

static struct diag	d;

static void
setup(void)
{
	diag_init(&d);
}

static void
teardown(void)
{
	diag_free(&d);
}

START_TEST(test_add_count)
{
	ck_assert_uint_eq(d.n, 0);
	ck_assert_ptr_null(d.items);
	diag_add(&d, DIAG_ERROR, "a.yaml", 3, 7, "bad %s '%d'", "value", 42);
	diag_add(&d, DIAG_WARNING, "a.yaml", 1, 1, "stale");
	diag_add(&d, DIAG_ERROR, NULL, 0, 0, "no file");
	ck_assert_uint_eq(d.n, 3);
	ck_assert_uint_eq(d.nerrors, 2);
	ck_assert_uint_eq(d.nwarnings, 1);

	ck_assert_str_eq(d.items[0].file, "a.yaml");
	ck_assert_int_eq(d.items[0].line, 3);
	ck_assert_int_eq(d.items[0].col, 7);
	ck_assert_int_eq(d.items[0].level, DIAG_ERROR);
	ck_assert_str_eq(d.items[0].msg, "bad value '42'");
	ck_assert_int_eq(d.items[1].level, DIAG_WARNING);
	ck_assert_str_eq(d.items[2].file, "-");
}
END_TEST

START_TEST(test_add_copies)
{
	char	file[] = "mutable.yaml", arg[] = "text 100%";

	/* The strings are copied: the caller's buffers can change. */
	diag_add(&d, DIAG_ERROR, file, 1, 2, "%s", arg);
	file[0] = 'X';
	arg[0] = 'X';
	ck_assert_str_eq(d.items[0].file, "mutable.yaml");
	ck_assert_str_eq(d.items[0].msg, "text 100%");
}
END_TEST

START_TEST(test_free_reinit)
{
	diag_add(&d, DIAG_ERROR, "f", 1, 1, "x");
	diag_free(&d);
	ck_assert_uint_eq(d.n, 0);
	ck_assert_uint_eq(d.nerrors, 0);
	ck_assert_ptr_null(d.items);
	diag_free(&d);			/* twice is harmless */
	diag_add(&d, DIAG_WARNING, "f", 1, 1, "y");
	ck_assert_uint_eq(d.n, 1);
}
END_TEST

START_TEST(test_max_cap)
{
	int	i;

	d.max = 3;
	for (i = 0; i < 10; i++)
		diag_add(&d, i % 2 ? DIAG_WARNING : DIAG_ERROR, "f", i + 1, 1,
		    "problem %d", i);
	/* Three problems, then one line that says the rest are cut. */
	ck_assert_uint_eq(d.n, 4);
	ck_assert_str_eq(d.items[0].msg, "problem 0");
	ck_assert_str_eq(d.items[2].msg, "problem 2");
	ck_assert_msg(strstr(d.items[3].msg, "too many problems") != NULL,
	    "%s", d.items[3].msg);
	ck_assert_int_eq(d.items[3].level, DIAG_ERROR);
	/* The counts still count everything. */
	ck_assert_uint_eq(d.nerrors, 5);
	ck_assert_uint_eq(d.nwarnings, 5);
}
END_TEST

START_TEST(test_max_default)
{
	int	i;

	for (i = 0; i < 5000; i++)
		diag_add(&d, DIAG_ERROR, "f", i + 1, 1, "p");
	ck_assert_uint_eq(d.n, 1001);
	ck_assert_uint_eq(d.nerrors, 5000);
	ck_assert_msg(strstr(d.items[1000].msg, "too many problems") != NULL,
	    "%s", d.items[1000].msg);
}
END_TEST

START_TEST(test_format)
{
	char	*s;

	diag_add(&d, DIAG_ERROR, "rb.yaml", 12, 5, "unknown key 'confrim'");
	diag_add(&d, DIAG_WARNING, "rb.yaml", 3, 11, "reviewed long ago");
	diag_add(&d, DIAG_ERROR, "gone.yaml", 0, 0, "No such file");
	diag_add(&d, DIAG_WARNING, NULL, 0, 0, "nowhere");

	s = diag_format(&d.items[0]);
	ck_assert_str_eq(s, "rb.yaml:12:5: error: unknown key 'confrim'");
	free(s);
	s = diag_format(&d.items[1]);
	ck_assert_str_eq(s, "rb.yaml:3:11: warning: reviewed long ago");
	free(s);
	s = diag_format(&d.items[2]);	/* no place: no numbers */
	ck_assert_str_eq(s, "gone.yaml: error: No such file");
	free(s);
	s = diag_format(&d.items[3]);
	ck_assert_str_eq(s, "-: warning: nowhere");
	free(s);
}
END_TEST

START_TEST(test_print)
{
	char	*buf = NULL;
	size_t	 len = 0;
	FILE	*f;

	diag_add(&d, DIAG_ERROR, "a", 1, 2, "one");
	diag_add(&d, DIAG_WARNING, "b", 0, 0, "two");
	f = open_memstream(&buf, &len);
	ck_assert_ptr_nonnull(f);
	diag_print(&d, f);
	fclose(f);
	ck_assert_str_eq(buf, "a:1:2: error: one\nb: warning: two\n");
	free(buf);
}
END_TEST

START_TEST(test_sort)
{
	static const char *const want[] = {
		"a.yaml:0:0", "a.yaml:1:9", "a.yaml:2:1", "a.yaml:2:3",
		"a.yaml:10:1", "b.yaml:1:1",
	};
	size_t	i;
	char	place[64];

	/* Numbers compare as numbers (10 after 2), files as strings. */
	diag_add(&d, DIAG_ERROR, "b.yaml", 1, 1, "b");
	diag_add(&d, DIAG_ERROR, "a.yaml", 10, 1, "a10");
	diag_add(&d, DIAG_WARNING, "a.yaml", 2, 3, "a2.3");
	diag_add(&d, DIAG_ERROR, "a.yaml", 2, 1, "a2.1");
	diag_add(&d, DIAG_ERROR, "a.yaml", 1, 9, "a1");
	diag_add(&d, DIAG_ERROR, "a.yaml", 0, 0, "nowhere");
	diag_sort(&d);
	ck_assert_uint_eq(d.n, 6);
	for (i = 0; i < d.n; i++) {
		snprintf(place, sizeof place, "%s:%d:%d", d.items[i].file,
		    d.items[i].line, d.items[i].col);
		ck_assert_str_eq(place, want[i]);
	}
	ck_assert_str_eq(d.items[3].msg, "a2.3");
	ck_assert_int_eq(d.items[3].level, DIAG_WARNING);

	/* Empty and one-item lists sort without harm. */
	diag_free(&d);
	diag_sort(&d);
	diag_add(&d, DIAG_ERROR, "x", 1, 1, "only");
	diag_sort(&d);
	ck_assert_str_eq(d.items[0].msg, "only");
}
END_TEST

int
main(void)
{
	Suite	*s = suite_create("diag");
	TCase	*tc;
	SRunner	*sr;
	int	 failed;

	tc = tcase_create("add");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_add_count);
	tcase_add_test(tc, test_add_copies);
	tcase_add_test(tc, test_free_reinit);
	suite_add_tcase(s, tc);

	tc = tcase_create("cap");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_max_cap);
	tcase_add_test(tc, test_max_default);
	suite_add_tcase(s, tc);

	tc = tcase_create("format");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_format);
	tcase_add_test(tc, test_print);
	suite_add_tcase(s, tc);

	tc = tcase_create("sort");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_sort);
	suite_add_tcase(s, tc);

	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return (failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE);
}
