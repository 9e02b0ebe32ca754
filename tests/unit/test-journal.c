/*
 * Unit tests of journal-read.c: reading timelines written by journal.c,
 * torn tails (missing newline, partial JSON, cut UTF-8, zero-filled) set
 * aside only when repairing, damage in the middle left alone, the chain
 * check naming the right line, head anchors, INCIDENT resolution.
 */

#include <sys/stat.h>

#include <check.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "journal-read.h"
#include "journal.h"
#include "xmalloc.h"

#define FIXTURE TOP_SRCDIR "/tests/data/timeline/" \
    "20261126T021403Z-db-primary-down.jsonl"

static char	 dir[] = "/tmp/rbnav-test-journal.XXXXXX";
static char	*whole;		/* the fixture's bytes */
static size_t	 wholelen;

static char *
slurp(const char *path, size_t *len)
{
	FILE	*f = fopen(path, "rb");
	char	*buf;
	long	 n;

	ck_assert_ptr_nonnull(f);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	buf = xmalloc((size_t)n + 1);
	ck_assert_uint_eq(fread(buf, 1, (size_t)n, f), (size_t)n);
	buf[n] = '\0';
	fclose(f);
	*len = (size_t)n;
	return (buf);
}

static char *
put(const char *name, const char *buf, size_t len)
{
	char	*path = xprintf("%s/%s", dir, name);
	FILE	*f = fopen(path, "wb");

	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(fwrite(buf, 1, len, f), len);
	fclose(f);
	return (path);
}

/* The fixture's lines, to rearrange. */
static size_t
lines(char ***out)
{
	char	**v = NULL, *copy = xstrndup(whole, wholelen), *p, *nl;
	size_t	  n = 0;

	for (p = copy; (nl = strchr(p, '\n')) != NULL; p = nl + 1) {
		v = xreallocarray(v, n + 1, sizeof *v);
		v[n++] = xstrndup(p, (size_t)(nl - p));
	}
	free(copy);
	*out = v;
	return (n);
}

/* Write lines (an order of indexes, -1 ends) as a file. */
static char *
put_lines(const char *name, char **v, const int *order)
{
	char	*buf = xstrdup(""), *n, *path;
	size_t	 i;

	for (i = 0; order[i] >= 0; i++) {
		n = xprintf("%s%s\n", buf, v[order[i]]);
		free(buf);
		buf = n;
	}
	path = put(name, buf, strlen(buf));
	free(buf);
	return (path);
}

static void
free_lines(char **v, size_t n)
{
	while (n > 0)
		free(v[--n]);
	free(v);
}

static void
setup(void)
{
	strcpy(dir, "/tmp/rbnav-test-journal.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	whole = slurp(FIXTURE, &wholelen);
}

static void
teardown(void)
{
	char	*cmd = xprintf("rm -rf '%s'", dir);

	ck_assert_int_eq(system(cmd), 0);
	free(cmd);
	free(whole);
}

/* Read path (flags) and check the chain; returns the first bad line. */
static int64_t
verify(const char *path, int flags, char **why)
{
	struct journal_file	*jf;
	char			*cause = NULL;
	int64_t			 line;

	jf = journal_read(path, flags, &cause);
	ck_assert_ptr_nonnull(jf);
	line = journal_verify(jf, why);
	journal_read_free(jf);
	return (line);
}

START_TEST(test_read_fixture)
{
	struct journal_file	*jf, *lazy;
	char			*cause = NULL, *why = NULL, *anchor;
	size_t			 i;

	jf = journal_read(FIXTURE, 0, &cause);
	ck_assert_ptr_nonnull(jf);
	ck_assert_uint_eq(jf->nevents, 40);
	ck_assert_int_eq(jf->torn_line, 0);
	ck_assert_int_eq(jf->bad_line, 0);
	ck_assert_int_eq(journal_verify(jf, &why), 0);
	ck_assert_ptr_null(why);
	ck_assert_str_eq(json_string_value(json_object_get(
	    jf->events[0].json, "type")), "incident.start");
	ck_assert_str_eq(jf->events[0].prev, "0000000000000000000000000000"
	    "000000000000000000000000000000000000");

	lazy = journal_read(FIXTURE, JOURNAL_READ_LAZY, &cause);
	ck_assert_ptr_nonnull(lazy);
	ck_assert_uint_eq(lazy->nevents, jf->nevents);
	for (i = 0; i < jf->nevents; i++) {
		ck_assert_int_eq(lazy->events[i].seq, jf->events[i].seq);
		ck_assert_str_eq(lazy->events[i].prev, jf->events[i].prev);
		ck_assert_str_eq(lazy->events[i].sha256, jf->events[i].sha256);
		ck_assert_int_eq(lazy->events[i].line, (int64_t)i + 1);
	}
	ck_assert_ptr_null(lazy->events[0].json);
	/* Each prev is the SHA-256 of the line before. */
	for (i = 1; i < jf->nevents; i++)
		ck_assert_str_eq(jf->events[i].prev, jf->events[i - 1].sha256);
	anchor = journal_anchor(jf);
	ck_assert_str_eq(anchor, "40:982cddb3236b4cf85198de74953f6a4cd47bf47"
	    "e6ccd11eb74c47f382def7a09");
	free(anchor);
	journal_read_free(lazy);
	journal_read_free(jf);
}
END_TEST

START_TEST(test_writer_round_trip)
{
	struct journal_file	*jf;
	struct journal		*j;
	char			*id = NULL, *cause = NULL, *path, *why = NULL;
	char			 head[65];
	int64_t			 seq;
	int			 i;

	j = journal_create(dir, "20261126T000000Z-test", &id, &cause);
	ck_assert_ptr_nonnull(j);
	for (i = 0; i < 25; i++)
		journal_append(j, "tester", "note", i * 10, json_pack("{s:s}",
		    "text", i % 2 ? "plain" : "ünïcødé \"q\" \\ / \t"));
	ck_assert_uint_eq(journal_pending(j), 0);
	path = xstrdup(journal_path(j));
	strcpy(head, journal_head(j));
	journal_close(j);

	jf = journal_read(path, JOURNAL_READ_LAZY, &cause);
	ck_assert_ptr_nonnull(jf);
	ck_assert_uint_eq(jf->nevents, 25);
	ck_assert_int_eq(journal_verify(jf, &why), 0);
	seq = journal_last(jf, head);
	ck_assert_int_eq(seq, 25);

	/* Appending after a reopen keeps the chain. */
	j = journal_reopen(path, seq, head, &cause);
	ck_assert_ptr_nonnull(j);
	journal_append(j, "tester", "note", 999, json_pack("{s:s}", "text",
	    "after reopen"));
	journal_close(j);
	journal_read_free(jf);
	ck_assert_int_eq(verify(path, 0, &why), 0);
	free(path);
	free(id);
}
END_TEST

/* Each kind of torn tail: ignored, reported, the rest still good. */
START_TEST(test_torn_tails)
{
	static const struct {
		const char	*name;
		const char	*tail;
		size_t		 len;
		const char	*why;
	} tails[] = {
#define T(s) s, sizeof s - 1
		{ "partial", T("{\"v\":1,\"seq\":41,\"ts\":\"2026"),
		  "partial JSON" },
		{ "nonewline", T("{\"v\":1,\"seq\":41}"),
		  "without its newline" },
		{ "utf8", T("{\"v\":1,\"seq\":41,\"text\":\"caf\xc3"),
		  "UTF-8" },
		{ "zeros", T("\0\0\0\0\0\0\0\0\0\0\0\0"), "zero-filled" },
		{ "partialzeros", T("{\"v\":1,\0\0\0\0"), "zero bytes" },
		{ "notjson", T("this is not json\n"), "not an event" },
#undef T
	};
	struct journal_file	*jf;
	char			*buf, *path, *cause = NULL, *why = NULL, *got;
	size_t			 i, len;

	for (i = 0; i < sizeof tails / sizeof tails[0]; i++) {
		buf = xmalloc(wholelen + tails[i].len);
		memcpy(buf, whole, wholelen);
		memcpy(buf + wholelen, tails[i].tail, tails[i].len);
		path = put(tails[i].name, buf, wholelen + tails[i].len);
		jf = journal_read(path, 0, &cause);
		ck_assert_ptr_nonnull(jf);
		ck_assert_msg(jf->torn_line == 41, "%s: torn_line %lld",
		    tails[i].name, (long long)jf->torn_line);
		ck_assert_uint_eq(jf->nevents, 40);
		ck_assert_int_eq(jf->bad_line, 0);
		ck_assert_uint_eq(jf->torn_offset, wholelen);
		ck_assert_uint_eq(jf->torn_len, tails[i].len);
		ck_assert_msg(strstr(jf->torn_why, tails[i].why) != NULL,
		    "%s: %s", tails[i].name, jf->torn_why);
		ck_assert_int_eq(journal_verify(jf, &why), 0);
		ck_assert_ptr_null(jf->torn_path);
		journal_read_free(jf);
		/* Not repairing: the file is as it was. */
		got = slurp(path, &len);
		ck_assert_uint_eq(len, wholelen + tails[i].len);
		ck_assert_int_eq(memcmp(got, buf, len), 0);
		free(got);
		free(buf);
		free(path);
	}
}
END_TEST

START_TEST(test_repair)
{
	struct journal_file	*jf;
	struct journal		*j;
	char			*buf, *path, *aside, *cause = NULL, *why = NULL;
	char			*got, head[65];
	size_t			 len, glen;
	int64_t			 seq;

	buf = xmalloc(wholelen + 9);
	memcpy(buf, whole, wholelen);
	memcpy(buf + wholelen, "{\"v\":1,\"s", 9);
	path = put("repair.jsonl", buf, wholelen + 9);
	aside = xprintf("%s.torn", path);

	jf = journal_read(path, JOURNAL_READ_REPAIR, &cause);
	ck_assert_ptr_nonnull(jf);
	ck_assert_int_eq(jf->torn_line, 41);
	ck_assert_str_eq(jf->torn_path, aside);
	seq = journal_last(jf, head);
	journal_read_free(jf);

	/* The tail is aside, byte for byte, and cut off the timeline. */
	got = slurp(aside, &glen);
	ck_assert_uint_eq(glen, 9);
	ck_assert_int_eq(memcmp(got, "{\"v\":1,\"s", 9), 0);
	free(got);
	got = slurp(path, &len);
	ck_assert_uint_eq(len, wholelen);
	ck_assert_int_eq(memcmp(got, whole, len), 0);
	free(got);

	/* Appends continue on a whole line. */
	j = journal_reopen(path, seq, head, &cause);
	ck_assert_ptr_nonnull(j);
	journal_append(j, "op", "incident.resume", 5, json_pack("{s:s}",
	    "reason", "crash"));
	journal_close(j);
	ck_assert_int_eq(verify(path, 0, &why), 0);

	/* A second torn tail is added to the same .torn file. */
	got = slurp(path, &len);
	free(buf);
	buf = xmalloc(len + 3);
	memcpy(buf, got, len);
	memcpy(buf + len, "\0\0\0", 3);
	free(got);
	free(put("repair.jsonl", buf, len + 3));
	jf = journal_read(path, JOURNAL_READ_REPAIR, &cause);
	ck_assert_ptr_nonnull(jf);
	ck_assert_uint_eq(jf->nevents, 41);
	journal_read_free(jf);
	got = slurp(aside, &glen);
	ck_assert_uint_eq(glen, 12);
	free(got);
	jf = journal_read(path, 0, &cause);
	ck_assert_int_eq(jf->torn_line, 0);
	journal_read_free(jf);
	free(buf);
	free(aside);
	free(path);
}
END_TEST

START_TEST(test_damage_in_the_middle)
{
	struct journal_file	*jf;
	char			*buf, *path, *cause = NULL, *why = NULL, *got;
	char			*p;
	size_t			 len;
	int			 k;

	/* Line 10 becomes garbage; a torn tail follows too. */
	buf = xmalloc(wholelen + 5);
	memcpy(buf, whole, wholelen);
	for (p = buf, k = 1; k < 10; k++)
		p = strchr(p, '\n') + 1;
	memcpy(p, "garbage!", 8);
	memcpy(buf + wholelen, "{\"v\":", 5);
	path = put("damaged.jsonl", buf, wholelen + 5);

	jf = journal_read(path, JOURNAL_READ_REPAIR, &cause);
	ck_assert_ptr_nonnull(jf);
	ck_assert_int_eq(jf->bad_line, 10);
	ck_assert_ptr_nonnull(strstr(jf->bad_why, "not JSON"));
	ck_assert_int_eq(jf->torn_line, 41);
	ck_assert_ptr_null(jf->torn_path);
	ck_assert_int_eq(journal_verify(jf, &why), 10);
	ck_assert_ptr_nonnull(strstr(why, "not JSON"));
	free(why);
	journal_read_free(jf);

	/* Left exactly as it was, and nothing set aside. */
	got = slurp(path, &len);
	ck_assert_uint_eq(len, wholelen + 5);
	ck_assert_int_eq(memcmp(got, buf, len), 0);
	free(got);
	got = xprintf("%s.torn", path);
	ck_assert_int_ne(access(got, F_OK), 0);
	free(got);

	/* Lazily read, the same line is named. */
	why = NULL;
	ck_assert_int_eq(verify(path, JOURNAL_READ_LAZY, &why), 10);
	free(why);
	free(buf);
	free(path);
}
END_TEST

START_TEST(test_verify_names_the_line)
{
	char	**v, *path, *why = NULL, *flip;
	size_t	  n = lines(&v), i;
	int	  order[64], k;
	int64_t	  line;
	struct {
		const char	*what;
		int		 skip;		/* drop this index */
		int		 dup;		/* repeat this index */
		int		 swap;		/* swap with the next */
		int64_t		 want;
	} cases[] = {
		{ "deleted", 11, -1, -1, 12 },
		{ "duplicated", -1, 6, -1, 8 },
		{ "reordered", -1, -1, 20, 21 },
		{ "first deleted", 0, -1, -1, 1 },
	};

	ck_assert_uint_eq(n, 40);
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		for (k = 0, line = 0; line < (int64_t)n; line++) {
			if (line == cases[i].skip)
				continue;
			if (line == cases[i].swap) {
				order[k++] = (int)line + 1;
				order[k++] = (int)line;
				line++;
				continue;
			}
			order[k++] = (int)line;
			if (line == cases[i].dup)
				order[k++] = (int)line;
		}
		order[k] = -1;
		path = put_lines(cases[i].what, v, order);
		line = verify(path, JOURNAL_READ_LAZY, &why);
		ck_assert_msg(line == cases[i].want, "%s: line %lld (%s)",
		    cases[i].what, (long long)line, why);
		free(why);
		why = NULL;
		ck_assert_int_eq(verify(path, 0, &why), cases[i].want);
		free(why);
		why = NULL;
		free(path);
	}

	/* A byte flipped inside line 15 (still JSON): line 15 is named. */
	for (k = 0; k < 40; k++)
		order[k] = k;
	order[40] = -1;
	flip = strstr(v[14], "Replica lag");
	ck_assert_ptr_nonnull(flip);
	flip[0] = 'r';
	path = put_lines("flipped", v, order);
	ck_assert_int_eq(verify(path, JOURNAL_READ_LAZY, &why), 15);
	ck_assert_ptr_nonnull(strstr(why, "changed"));
	free(why);
	why = NULL;
	free(path);

	/* A forged line 8 (seq and prev right for its place): line 8. */
	v = xreallocarray(v, n + 1, sizeof *v);
	v[n] = xstrdup(v[7]);
	flip = strstr(v[n], "check-replication");
	ck_assert_ptr_nonnull(flip);
	flip[0] = 'C';
	for (k = 0, line = 0; line < 40; line++) {
		if (line == 7)
			order[k++] = (int)n;
		order[k++] = (int)line;
	}
	order[k] = -1;
	path = put_lines("inserted", v, order);
	ck_assert_int_eq(verify(path, JOURNAL_READ_LAZY, &why), 8);
	ck_assert_ptr_nonnull(strstr(why, "inserted"));
	free(why);
	why = NULL;
	free(path);
	free(v[n]);
	for (k = 0; k < 40; k++)
		order[k] = k;
	order[40] = -1;

	/* A forged prev on line 3: line 3 is named. */
	flip = strstr(v[2], "\"prev\":\"") + 8;
	flip[5] = flip[5] == 'a' ? 'b' : 'a';
	path = put_lines("prev", v, order);
	ck_assert_int_eq(verify(path, 0, &why), 3);
	ck_assert_ptr_nonnull(strstr(why, "prev"));
	free(why);
	free(path);
	free_lines(v, n);
}
END_TEST

START_TEST(test_head)
{
	struct journal_file	*jf;
	char			 hash[65], *cause = NULL, *why = NULL;
	int64_t			 seq;
	char			**v, *path;
	int			 order[64], k;
	size_t			 n;

	ck_assert_int_eq(journal_parse_head("40:982CDDB3236B4CF85198DE74953F6"
	    "A4CD47BF47E6CCD11EB74C47F382DEF7A09", &seq, hash), 0);
	ck_assert_int_eq(seq, 40);
	ck_assert_str_eq(hash, "982cddb3236b4cf85198de74953f6a4cd47bf47e6ccd"
	    "11eb74c47f382def7a09");
	ck_assert_int_eq(journal_parse_head("40", &seq, hash), -1);
	ck_assert_int_eq(journal_parse_head(":abc", &seq, hash), -1);
	ck_assert_int_eq(journal_parse_head("-1:982cddb3236b4cf85198de74953f6"
	    "a4cd47bf47e6ccd11eb74c47f382def7a09", &seq, hash), -1);
	ck_assert_int_eq(journal_parse_head("x:982cddb3236b4cf85198de74953f6"
	    "a4cd47bf47e6ccd11eb74c47f382def7a09", &seq, hash), -1);
	ck_assert_int_eq(journal_parse_head("4:982cddb3236b4cf85198de74953f6"
	    "a4cd47bf47e6ccd11eb74c47f382def7a0", &seq, hash), -1);
	ck_assert_int_eq(journal_parse_head("4:982cddb3236b4cf85198de74953f6"
	    "a4cd47bf47e6ccd11eb74c47f382def7a0g", &seq, hash), -1);

	jf = journal_read(FIXTURE, JOURNAL_READ_LAZY, &cause);
	ck_assert_int_eq(journal_verify_head(jf, 40, "982cddb3236b4cf85198de7"
	    "4953f6a4cd47bf47e6ccd11eb74c47f382def7a09", &why), 0);
	ck_assert_int_eq(journal_verify_head(jf, 1, jf->events[0].sha256,
	    &why), 0);
	ck_assert_int_eq(journal_verify_head(jf, 40, jf->events[0].sha256,
	    &why), 40);
	free(why);
	journal_read_free(jf);

	/* Cut to 30 lines: the chain holds, the anchor catches it. */
	n = lines(&v);
	for (k = 0; k < 30; k++)
		order[k] = k;
	order[30] = -1;
	path = put_lines("cut", v, order);
	jf = journal_read(path, 0, &cause);
	ck_assert_int_eq(journal_verify(jf, &why), 0);
	ck_assert_int_eq(journal_verify_head(jf, 40, "982cddb3236b4cf85198de7"
	    "4953f6a4cd47bf47e6ccd11eb74c47f382def7a09", &why), 40);
	ck_assert_ptr_nonnull(strstr(why, "cut off"));
	free(why);
	journal_read_free(jf);
	free(path);
	free_lines(v, n);

	/* An empty file: head 0 and 64 zeros. */
	path = put("empty.jsonl", "", 0);
	jf = journal_read(path, 0, &cause);
	ck_assert_uint_eq(jf->nevents, 0);
	ck_assert_int_eq(journal_last(jf, hash), 0);
	ck_assert_str_eq(hash, "000000000000000000000000000000000000000000000"
	    "0000000000000000000");
	journal_read_free(jf);
	free(path);
}
END_TEST

START_TEST(test_resolve)
{
	char	*path, *cause = NULL, *p;

	free(put("20261126T021403Z-db-down.jsonl", whole, wholelen));
	free(put("20261126T021403Z-db-down-2.jsonl", whole, wholelen));
	free(put("20261127T000000Z-other.jsonl", whole, wholelen));

	path = journal_resolve("20261126T021403Z-db-down", dir, &cause);
	p = xprintf("%s/20261126T021403Z-db-down.jsonl", dir);
	ck_assert_str_eq(path, p);
	free(path);
	free(p);
	path = journal_resolve("20261127", dir, &cause);
	p = xprintf("%s/20261127T000000Z-other.jsonl", dir);
	ck_assert_str_eq(path, p);
	free(path);
	free(p);
	ck_assert_ptr_null(journal_resolve("20261126T0214", dir, &cause));
	ck_assert_ptr_nonnull(strstr(cause, "several"));
	free(cause);
	ck_assert_ptr_null(journal_resolve("nope", dir, &cause));
	ck_assert_ptr_nonnull(strstr(cause, "no incident 'nope'"));
	free(cause);
	path = journal_resolve(FIXTURE, dir, &cause);
	ck_assert_str_eq(path, FIXTURE);
	free(path);
	ck_assert_ptr_null(journal_resolve("/nonexistent/x.jsonl", dir,
	    &cause));
	free(cause);
	/* $RBNAV_STATE_DIR when no directory is given. */
	setenv("RBNAV_STATE_DIR", dir, 1);
	path = journal_resolve("20261127T000000Z-other", NULL, &cause);
	ck_assert_ptr_nonnull(path);
	free(path);
	ck_assert_ptr_null(journal_read("/nonexistent/x.jsonl", 0, &cause));
	free(cause);
	ck_assert_ptr_null(journal_read(dir, 0, &cause));
	ck_assert_ptr_nonnull(strstr(cause, "not a regular file"));
	free(cause);
}
END_TEST

int
main(void)
{
	Suite	*s = suite_create("journal");
	TCase	*tc;
	SRunner	*sr;
	int	 failed;

	tc = tcase_create("read");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_read_fixture);
	tcase_add_test(tc, test_writer_round_trip);
	tcase_add_test(tc, test_torn_tails);
	tcase_add_test(tc, test_repair);
	tcase_add_test(tc, test_damage_in_the_middle);
	suite_add_tcase(s, tc);

	tc = tcase_create("verify");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_verify_names_the_line);
	tcase_add_test(tc, test_head);
	tcase_add_test(tc, test_resolve);
	suite_add_tcase(s, tc);

	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return (failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE);
}
