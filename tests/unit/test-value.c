/*
 * Unit tests of value.c: durations, their display form, slugs, dates and
 * integers.  Every accepted form of the format is checked with its exact
 * value, and every refused form is checked to leave the output untouched:
 * a typo must never become a silent default.
 */

#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "value.h"

/* A value no parser should ever write: shows an output was left alone. */
#define UNTOUCHED	INT64_C(-424242)

START_TEST(test_duration_forms)
{
	static const struct {
		const char	*s;
		int64_t		 ms;
	} ok[] = {
		{ "30s", INT64_C(30000) },
		{ "15m", INT64_C(900000) },
		{ "1h", INT64_C(3600000) },
		{ "1h30m", INT64_C(5400000) },
		{ "2d", INT64_C(172800000) },
		{ "0", 0 },
		{ "0s", 0 },
		{ "90", INT64_C(90000) },		/* bare: seconds */
		{ "1", INT64_C(1000) },
		{ "007s", INT64_C(7000) },
		{ "1d2h3m4s", INT64_C(93784000) },
		{ "2h15s", INT64_C(7215000) },		/* units may be skipped */
		{ "1d30s", INT64_C(86430000) },
		{ "90m", INT64_C(5400000) },		/* no carry rule */
		{ "3660d", INT64_C(316224000000) },	/* the ten-year maximum */
		{ "316224000", INT64_C(316224000000) },
	};
	size_t	i;
	int64_t	ms;

	for (i = 0; i < sizeof ok / sizeof ok[0]; i++) {
		ms = UNTOUCHED;
		ck_assert_msg(value_duration(ok[i].s, &ms) == 0,
		    "'%s' refused", ok[i].s);
		ck_assert_msg(ms == ok[i].ms, "'%s' gave %lld, want %lld",
		    ok[i].s, (long long)ms, (long long)ok[i].ms);
	}
}
END_TEST

START_TEST(test_duration_refused)
{
	static const char *const bad[] = {
		"1m1h",		/* out of order */
		"1s1m",
		"1h1h",		/* twice */
		"1d1d",
		"30s30s",
		"5x",
		"-1s",
		"-1",
		"+5",
		"",
		"1.5h",
		"1,5h",
		"h",
		"s",
		"1h30",		/* trailing number without a unit */
		"30ms",		/* no milliseconds in the format */
		"30S",
		"1H",
		" 30s",
		"30s ",
		"1h 30m",
		"1w",
		"0x10",
		"3661d",	/* beyond ten years */
		"316224001",
		"9999999999999",	/* 13 digits */
		"999999999999",		/* 12 digits of seconds: too long */
		"99999999999d",
		"9999999999999s",
		/*
		 * 12 digits of days: n * 86400000 does not fit in int64_t,
		 * so the product must be refused before it is computed
		 * (a wrapped product is negative and would pass the
		 * maximum check).
		 */
		"999999999999d",
		"200000000000d",
		"106751991167d",
	};
	size_t	i;
	int64_t	ms;

	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		ms = UNTOUCHED;
		ck_assert_msg(value_duration(bad[i], &ms) == -1,
		    "'%s' accepted as %lld ms", bad[i], (long long)ms);
	}
}
END_TEST

START_TEST(test_duration_format)
{
	static const struct {
		int64_t		 ms;
		const char	*s;
	} cases[] = {
		{ INT64_C(1000), "1s" },
		{ INT64_C(30000), "30s" },
		{ INT64_C(900000), "15m" },
		{ INT64_C(3600000), "1h" },
		{ INT64_C(5400000), "1h30m" },
		{ INT64_C(172800000), "2d" },
		{ INT64_C(93784000), "1d2h3m4s" },
		{ INT64_C(86430000), "1d30s" },
		{ INT64_C(316224000000), "3660d" },
		{ 500, "500ms" },	/* below a second: shown in ms */
		{ 1, "1ms" },
		{ 0, "0" },		/* the format's own zero */
	};
	size_t	 i;
	char	*s;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		s = value_duration_format(cases[i].ms);
		ck_assert_msg(strcmp(s, cases[i].s) == 0,
		    "%lld ms shown as '%s', want '%s'",
		    (long long)cases[i].ms, s, cases[i].s);
		free(s);
	}
}
END_TEST

START_TEST(test_duration_round_trip)
{
	static const int64_t	seconds[] = { 1, 59, 60, 61, 3599, 3600, 3661,
	    86399, 86400, 90061, 604800, 316224000, 0 };
	size_t			i;
	int64_t			ms;
	char			*s;

	/* Every whole number of seconds is shown in a form that parses. */
	for (i = 0; i < sizeof seconds / sizeof seconds[0]; i++) {
		s = value_duration_format(seconds[i] * 1000);
		ms = UNTOUCHED;
		ck_assert_msg(value_duration(s, &ms) == 0,
		    "'%s' (from %llds) does not parse", s,
		    (long long)seconds[i]);
		ck_assert_msg(ms == seconds[i] * 1000, "'%s' gave %lld", s,
		    (long long)ms);
		free(s);
	}
}
END_TEST

START_TEST(test_slug)
{
	static const char *const ok[] = { "a", "0", "eriop-dr", "a-b-c",
	    "step-1", "9lives", "a-", "a--b", "abcdefghijklmnopqrstuvwxyz0123"
	    "456789" };
	static const char *const bad[] = { "", "-a", "-", "A", "Eriop",
	    "eriop_dr", "a b", "a.b", "a/b", "a:b", "\xc3\xa9t\xc3\xa9",
	    "caf\xc3\xa9", "a\n", " a", "a\t" };
	size_t	i;

	for (i = 0; i < sizeof ok / sizeof ok[0]; i++)
		ck_assert_msg(value_slug(ok[i]) == 1, "'%s' refused", ok[i]);
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++)
		ck_assert_msg(value_slug(bad[i]) == 0, "'%s' accepted",
		    bad[i]);
}
END_TEST

START_TEST(test_date_forms)
{
	static const struct {
		const char	*s;
		int		 days;
	} ok[] = {
		{ "1970-01-01", 0 },
		{ "1970-01", 0 },		/* the first of the month */
		{ "1970-01-02", 1 },
		{ "2026-11", 20758 },
		{ "2026-11-01", 20758 },
		{ "2026-11-26", 20783 },
		{ "2026-12-31", 20818 },
		{ "2000-03-01", 11017 },
	};
	size_t	i;
	int	days;

	for (i = 0; i < sizeof ok / sizeof ok[0]; i++) {
		days = -4242;
		ck_assert_msg(value_date(ok[i].s, &days) == 0, "'%s' refused",
		    ok[i].s);
		ck_assert_msg(days == ok[i].days, "'%s' gave %d, want %d",
		    ok[i].s, days, ok[i].days);
	}
}
END_TEST

START_TEST(test_date_leap)
{
	int	days = -4242;

	ck_assert_int_eq(value_date("2024-02-29", &days), 0);
	ck_assert_int_eq(days, 19782);
	ck_assert_int_eq(value_date("2000-02-29", &days), 0);	/* 400 */
	ck_assert_int_eq(days, 11016);
	ck_assert_int_eq(value_date("2028-02-29", &days), 0);
	days = -4242;
	ck_assert_int_eq(value_date("2023-02-29", &days), -1);
	ck_assert_int_eq(value_date("2100-02-29", &days), -1);	/* 100 */
	ck_assert_int_eq(value_date("2026-02-29", &days), -1);
	ck_assert_int_eq(value_date("2024-02-30", &days), -1);
	ck_assert_int_eq(days, -4242);
}
END_TEST

START_TEST(test_date_refused)
{
	static const char *const bad[] = {
		"", "2026", "2026-", "2026-00", "2026-13", "2026-99",
		"2026-00-10", "2026-13-01", "2026-01-00", "2026-01-32",
		"2026-04-31", "2026-06-31", "2026-09-31", "2026-11-31",
		"2026-1-01", "2026-01-1", "26-11-01", "2026/11/01",
		"2026-11-01T00:00", "2026-11-01 ", " 2026-11", "2026_11",
		"2026-1a", "2026-+1-01", "1969-12-31", "0000-01-01",
		"20261101", "2026-11-1x",
	};
	size_t	i;
	int	days;

	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		days = -4242;
		ck_assert_msg(value_date(bad[i], &days) == -1,
		    "'%s' accepted", bad[i]);
		ck_assert_int_eq(days, -4242);
	}
}
END_TEST

START_TEST(test_int)
{
	static const struct {
		const char	*s;
		long long	 v;
	} ok[] = {
		{ "0", 0 },
		{ "1", 1 },
		{ "-5", -5 },
		{ "+7", 7 },
		{ "0042", 42 },
		{ "65535", 65535 },
		{ "9223372036854775807", 9223372036854775807LL },
		{ "-9223372036854775808", -9223372036854775807LL - 1 },
	};
	static const char *const bad[] = { "", " 1", "1 ", "\t1", "1\n",
	    "0x10", "1e3", "1.0", "12a", "+", "-", "--1", "one",
	    "9223372036854775808", "-9223372036854775809",
	    "99999999999999999999" };
	size_t		i;
	long long	v;

	for (i = 0; i < sizeof ok / sizeof ok[0]; i++) {
		v = -4242;
		ck_assert_msg(value_int(ok[i].s, &v) == 0, "'%s' refused",
		    ok[i].s);
		ck_assert_msg(v == ok[i].v, "'%s' gave %lld", ok[i].s, v);
	}
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++)
		ck_assert_msg(value_int(bad[i], &v) == -1, "'%s' accepted",
		    bad[i]);
}
END_TEST

int
main(void)
{
	Suite	*s = suite_create("value");
	TCase	*tc;
	SRunner	*sr;
	int	 failed;

	tc = tcase_create("duration");
	tcase_add_test(tc, test_duration_forms);
	tcase_add_test(tc, test_duration_refused);
	suite_add_tcase(s, tc);

	tc = tcase_create("duration_format");
	tcase_add_test(tc, test_duration_format);
	tcase_add_test(tc, test_duration_round_trip);
	suite_add_tcase(s, tc);

	tc = tcase_create("slug");
	tcase_add_test(tc, test_slug);
	suite_add_tcase(s, tc);

	tc = tcase_create("date");
	tcase_add_test(tc, test_date_forms);
	tcase_add_test(tc, test_date_leap);
	tcase_add_test(tc, test_date_refused);
	suite_add_tcase(s, tc);

	tc = tcase_create("int");
	tcase_add_test(tc, test_int);
	suite_add_tcase(s, tc);

	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return (failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE);
}
