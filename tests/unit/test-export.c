/*
 * Unit tests of export.c and its formats: the report built from the
 * fixture timeline (incident, impact, commands, decisions, notes,
 * confirmations, prerequisites, checklist, head), redaction in every
 * format, Markdown escaping and fences, HTML escaping and no external
 * resources, the JSON document, offsets, the format table and the
 * atomic write.
 */

#include <sys/stat.h>

#include <check.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "export.h"
#include "journal-read.h"
#include "journal.h"
#include "redact.h"
#include "xmalloc.h"

#define FIXTURE TOP_SRCDIR "/tests/data/timeline/" \
    "20261126T021403Z-db-primary-down.jsonl"

static struct journal_file	*jf;
static struct redact		*r;
static struct export_report	*rep;

static void
setup(void)
{
	char	*cause = NULL;

	jf = journal_read(FIXTURE, 0, &cause);
	ck_assert_ptr_nonnull(jf);
	r = redact_create();
	rep = export_report_create(jf, r);
}

static void
teardown(void)
{
	export_report_free(rep);
	redact_free(r);
	journal_read_free(jf);
}

/* The report in a format, as a string; caller frees. */
static char *
render(const struct export_report *report, const char *format)
{
	const struct export_ops	*ops = export_find(format);
	char			*buf = NULL;
	size_t			 len = 0;
	FILE			*f;

	ck_assert_ptr_nonnull(ops);
	f = open_memstream(&buf, &len);
	ck_assert_int_eq(ops->write(report, f), 0);
	fclose(f);
	return (buf);
}

static size_t
count(const char *hay, const char *needle)
{
	size_t	n = 0;

	while ((hay = strstr(hay, needle)) != NULL) {
		n++;
		hay++;
	}
	return (n);
}

/* A report from a timeline of the given events (type and own keys). */
static struct export_report *
report_of(const char *path, const char **events, size_t n,
    struct journal_file **jfp)
{
	FILE	*f = fopen(path, "w");
	char	 prev[65], *line, *cause = NULL;
	size_t	 i;

	memset(prev, '0', 64);
	prev[64] = '\0';
	ck_assert_ptr_nonnull(f);
	for (i = 0; i < n; i++) {
		line = xprintf("{\"v\":1,\"seq\":%zu,\"ts\":\"2026-01-01T00:00:"
		    "%02zu.000Z\",\"t\":%zu,\"op\":\"o\",%s,\"prev\":\"%s\"}",
		    i + 1, i, i * 1000, events[i], prev);
		journal_sha256_hex(line, strlen(line), prev);
		fprintf(f, "%s\n", line);
		free(line);
	}
	fclose(f);
	*jfp = journal_read(path, 0, &cause);
	ck_assert_ptr_nonnull(*jfp);
	return (export_report_create(*jfp, r));
}

START_TEST(test_report)
{
	const struct export_system	*sys;
	char				*anchor;

	ck_assert_str_eq(rep->id, "20261126T021403Z-db-primary-down");
	ck_assert_str_eq(rep->title, "Primary database down | checkout "
	    "<failing>");
	ck_assert_str_eq(rep->mode, "live");
	ck_assert_uint_eq(rep->noperators, 2);
	ck_assert_str_eq(rep->operators[0], "alice");
	ck_assert_str_eq(rep->operators[1], "bob");
	ck_assert_ptr_nonnull(rep->end);
	ck_assert_int_eq(rep->duration_ms, 2827000);
	ck_assert_str_eq(rep->outcome, "resolved");
	ck_assert_uint_eq(rep->nrows, 40);

	ck_assert_uint_eq(rep->nsystems, 3);
	sys = &rep->systems[0];
	ck_assert_str_eq(sys->name, "postgres-primary");
	ck_assert_uint_eq(sys->noutages, 1);
	ck_assert_int_eq(sys->outages[0].up->t - sys->outages[0].down->t,
	    169990);
	ck_assert_int_eq(sys->rto, 1);
	ck_assert_int_eq(sys->rto_ms, 170000);
	sys = &rep->systems[1];
	ck_assert_str_eq(sys->outages[0].state, "down");	/* the worst */
	ck_assert_int_eq(sys->rto, 0);
	sys = &rep->systems[2];
	ck_assert_ptr_null(sys->outages[0].up);
	ck_assert_str_eq(sys->last, "down");

	ck_assert_uint_eq(rep->ncommands, 3);
	ck_assert_int_eq(rep->commands[0].has_exit, 1);
	ck_assert_int_eq(rep->commands[0].exit, 0);
	ck_assert_uint_eq(rep->commands[0].ntail, 4);
	ck_assert_str_eq(rep->commands[2].signal, "TERM");
	ck_assert_str_eq(rep->commands[2].cancelled, "TERM");
	ck_assert_uint_eq(rep->ndecisions, 1);
	ck_assert_str_eq(rep->decisions[0].why, "primary disk is gone; "
	    "replica is current");
	ck_assert_uint_eq(rep->nnotes, 2);
	ck_assert_uint_eq(rep->nconfirms, 2);
	ck_assert_int_eq(rep->confirms[1].typed, 0);
	ck_assert_uint_eq(rep->nprereqs, 2);
	ck_assert_uint_eq(rep->nchecklist, 3);
	ck_assert_int_eq(rep->checklist[0].done, 1);

	anchor = journal_anchor(jf);
	ck_assert_str_eq(rep->anchor, anchor);
	free(anchor);
	ck_assert_int_eq(rep->chain_bad, 0);
	ck_assert_int_eq(rep->head_seq, 40);
}
END_TEST

/* No format lets the fixture's secrets through. */
START_TEST(test_redacted_everywhere)
{
	static const char	*formats[] = { "md", "json", "html" };
	char			*out;
	size_t			 i;

	for (i = 0; i < 3; i++) {
		out = render(rep, formats[i]);
		ck_assert_msg(count(out, "hunter2") == 0, "%s", formats[i]);
		ck_assert_msg(count(out, "Sup3rS3cret") == 0, "%s",
		    formats[i]);
		ck_assert_uint_ge(count(out, "REDACTED"), 4);
		free(out);
	}
}
END_TEST

START_TEST(test_markdown)
{
	char	*out = render(rep, "md"), *line, *p;
	size_t	 pipes;

	ck_assert_ptr_nonnull(strstr(out, "# Incident report: Primary "
	    "database down \\| checkout &lt;failing&gt;\n"));
	/* Every timeline row has exactly the six column pipes. */
	for (line = strstr(out, "| +"); line != NULL && *line == '|';
	    line = strchr(line, '\n') + 1) {
		for (pipes = 0, p = line; *p != '\n'; p++)
			pipes += *p == '|' && p[-1] != '\\';
		ck_assert_msg(pipes == 6, "%.*s", (int)(strchr(line, '\n') -
		    line), line);
	}
	/* ``` inside a command: the fence is longer. */
	ck_assert_ptr_nonnull(strstr(out, "\n````sh\nkubectl rollout restart "
	    "deploy/checkout # ```not a fence```\n````\n"));
	ck_assert_ptr_nonnull(strstr(out, "\n`````\nWaiting for rollout"));
	ck_assert_ptr_nonnull(strstr(out, "\\*\\*team\\*\\* \\[link\\]"));
	ck_assert_ptr_nonnull(strstr(out, "- [x] Rebuild the old primary"));
	ck_assert_ptr_nonnull(strstr(out, "| +47:07 | 2026-11-26 03:01:10 | "
	    "alice | incident.end |"));
	ck_assert_ptr_nonnull(strstr(out, "--head 40:982cddb3236b4cf85198de"));
	free(out);
}
END_TEST

START_TEST(test_html)
{
	char	*out = render(rep, "html");

	ck_assert_ptr_nonnull(strstr(out, "<!DOCTYPE html>"));
	ck_assert_ptr_nonnull(strstr(out, "@media print"));
	ck_assert_ptr_nonnull(strstr(out, "Content-Security-Policy"));
	ck_assert_ptr_null(strstr(out, "<script"));
	ck_assert_ptr_null(strstr(out, "<link"));
	ck_assert_ptr_null(strstr(out, "src="));
	ck_assert_ptr_null(strstr(out, "href="));
	ck_assert_ptr_null(strstr(out, "url("));
	ck_assert_ptr_null(strstr(out, "<failing>"));
	ck_assert_ptr_null(strstr(out, "<dba>"));
	ck_assert_ptr_nonnull(strstr(out, "checkout &lt;failing&gt;"));
	ck_assert_ptr_nonnull(strstr(out, "per &lt;dba&gt; &amp; **team**"));
	ck_assert_ptr_nonnull(strstr(out, "app&#39;s DB password"));
	ck_assert_ptr_nonnull(strstr(out, "</html>\n"));
	free(out);
}
END_TEST

START_TEST(test_json)
{
	char		*out = render(rep, "json");
	json_error_t	 err;
	json_t		*doc, *tl;

	doc = json_loads(out, 0, &err);
	ck_assert_ptr_nonnull(doc);
	ck_assert_str_eq(json_string_value(json_object_get(doc, "format")),
	    "rbnav-report/v1");
	tl = json_object_get(doc, "timeline");
	ck_assert_uint_eq(json_array_size(tl), 40);
	ck_assert_str_eq(json_string_value(json_object_get(json_array_get(tl,
	    0), "offset")), "+00:00");
	ck_assert_ptr_null(json_object_get(json_object_get(json_array_get(tl,
	    0), "data"), "prev"));
	ck_assert_str_eq(json_string_value(json_object_get(json_object_get(
	    doc, "integrity"), "anchor")), rep->anchor);
	ck_assert_int_eq(json_integer_value(json_object_get(json_object_get(
	    doc, "incident"), "duration_ms")), 2827000);
	json_decref(doc);
	free(out);
}
END_TEST

START_TEST(test_offsets_and_formats)
{
	static const struct {
		int64_t		 t;
		const char	*want;
	} offs[] = {
		{ 0, "+00:00" }, { 999, "+00:00" }, { 61000, "+01:01" },
		{ 3599999, "+59:59" }, { 3600000, "+1:00:00" },
		{ 90061000, "+25:01:01" }, { -1, "" },
	};
	char	*s;
	size_t	 i;

	for (i = 0; i < sizeof offs / sizeof offs[0]; i++) {
		s = export_offset(rep, offs[i].t);
		ck_assert_str_eq(s, offs[i].want);
		free(s);
	}
	s = export_utc("2026-11-26T02:14:03.123Z");
	ck_assert_str_eq(s, "2026-11-26 02:14:03");
	free(s);
	s = export_duration(169990);
	ck_assert_str_eq(s, "2m50s");
	free(s);
	s = export_duration(850);
	ck_assert_str_eq(s, "850ms");
	free(s);

	ck_assert_ptr_eq(export_find("md"), &export_md_ops);
	ck_assert_ptr_eq(export_find("html"), &export_html_ops);
	ck_assert_ptr_eq(export_find("json"), &export_json_ops);
	ck_assert_ptr_null(export_find("pdf"));
	ck_assert_ptr_eq(export_find_extension("out/report.html"),
	    &export_html_ops);
	ck_assert_ptr_eq(export_find_extension("r.json"), &export_json_ops);
	ck_assert_ptr_null(export_find_extension("report"));
	ck_assert_ptr_null(export_find_extension("a.d/report"));
}
END_TEST

START_TEST(test_odd_timelines)
{
	static const char	*events[] = {
		"\"type\":\"custom.thing\",\"a\":1",
		"\"type\":\"note\"",
		"\"type\":\"note\",\"text\":\"a ``` b ```` c\\u0007 d\\u0085\"",
		"\"type\":\"command.exit\",\"cmd\":\"c9\",\"exit\":3,"
		    "\"tail\":\"one\\ntwo password=x\\n\"",
		"\"type\":\"check.change\",\"system\":\"s\",\"to\":\"down\"",
		/* The same command ends twice, with a longer tail first. */
		"\"type\":\"command.exit\",\"cmd\":\"c9\",\"exit\":4,"
		    "\"tail\":[\"x\",\"y\",\"z\",\"w\"]",
		"\"type\":\"command.exit\",\"cmd\":\"c9\",\"exit\":5,"
		    "\"tail\":\"last\\n\"",
	};
	struct journal_file	*j;
	struct export_report	*x;
	char			 dir[] = "/tmp/rbnav-test-export.XXXXXX", *path;
	char			*md, *html;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	path = xprintf("%s/odd.jsonl", dir);
	x = report_of(path, events, 7, &j);
	/* No incident.start: the file name is the id, line 1 the start. */
	ck_assert_str_eq(x->id, "odd");
	ck_assert_ptr_null(x->end);
	ck_assert_int_eq(x->duration_ms, -1);
	ck_assert_str_eq(x->rows[0].text, "custom.thing {\"a\":1}");
	ck_assert_str_eq(x->rows[1].text, "note");
	ck_assert_uint_eq(x->ncommands, 1);
	ck_assert_ptr_null(x->commands[0].start);
	/* The last end of c9 wins, its tail whole and alone. */
	ck_assert_int_eq(x->commands[0].exit, 5);
	ck_assert_uint_eq(x->commands[0].ntail, 1);
	ck_assert_str_eq(x->commands[0].tail[0], "last");
	md = render(x, "md");
	ck_assert_ptr_nonnull(strstr(md, "a \\`\\`\\` b \\`\\`\\`\\` "
	    "c\xef\xbf\xbd d\xef\xbf\xbd"));
	ck_assert_ptr_nonnull(strstr(md, "still open"));
	ck_assert_ptr_null(strchr(md, '\a'));
	html = render(x, "html");
	ck_assert_ptr_nonnull(strstr(html, "c&#xfffd; d&#xfffd;"));
	free(md);
	free(html);
	export_report_free(x);
	journal_read_free(j);
	unlink(path);
	rmdir(dir);
	free(path);
}
END_TEST

/* A drill that names no mode is a drill in both formats, never live. */
START_TEST(test_drill_without_mode)
{
	static const char	*events[] = {
		"\"type\":\"incident.start\",\"incident\":\"d\","
		    "\"title\":\"T\",\"drill\":\"fire\",\"mode\":\"\"",
		"\"type\":\"step.confirm\",\"step\":\"s\",\"answer\":\"yes\"",
	};
	struct journal_file	*j;
	struct export_report	*x;
	char			 dir[] = "/tmp/rbnav-test-export.XXXXXX", *path;
	char			*md, *html;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	path = xprintf("%s/d.jsonl", dir);
	x = report_of(path, events, 2, &j);
	md = render(x, "md");
	html = render(x, "html");
	ck_assert_msg(strstr(md, "| Mode | drill (drill fire) |") != NULL,
	    "%s", md);
	ck_assert_ptr_nonnull(strstr(html, "<th>Mode</th><td>drill (drill "
	    "fire)</td>"));
	ck_assert_ptr_null(strstr(md, "live"));
	free(md);
	free(html);
	export_report_free(x);
	journal_read_free(j);
	unlink(path);
	rmdir(dir);
	free(path);
}
END_TEST

START_TEST(test_atomic_write)
{
	char		 dir[] = "/tmp/rbnav-test-export.XXXXXX", *path, *cause;
	struct stat	 st;
	struct dirent	*de;
	DIR		*d;
	int		 n = 0;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	path = xprintf("%s/report.md", dir);
	ck_assert_int_eq(export_write(&export_md_ops, rep, path, &cause), 0);
	ck_assert_int_eq(stat(path, &st), 0);
	ck_assert_int_gt(st.st_size, 1000);
	/* Again over the old one: still one file, no temporary left. */
	ck_assert_int_eq(export_write(&export_html_ops, rep, path, &cause),
	    0);
	d = opendir(dir);
	while ((de = readdir(d)) != NULL)
		n += de->d_name[0] != '.' || strncmp(de->d_name, ".report", 7)
		    == 0;
	closedir(d);
	ck_assert_int_eq(n, 1);
	unlink(path);
	free(path);

	path = xprintf("%s/missing/report.md", dir);
	cause = NULL;
	ck_assert_int_eq(export_write(&export_md_ops, rep, path, &cause), -1);
	ck_assert_ptr_nonnull(cause);
	free(cause);
	free(path);
	ck_assert_int_eq(rmdir(dir), 0);
}
END_TEST

int
main(void)
{
	Suite	*s = suite_create("export");
	TCase	*tc;
	SRunner	*sr;
	int	 failed;

	tc = tcase_create("report");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_report);
	tcase_add_test(tc, test_redacted_everywhere);
	tcase_add_test(tc, test_markdown);
	tcase_add_test(tc, test_html);
	tcase_add_test(tc, test_json);
	tcase_add_test(tc, test_offsets_and_formats);
	tcase_add_test(tc, test_odd_timelines);
	tcase_add_test(tc, test_drill_without_mode);
	tcase_add_test(tc, test_atomic_write);
	suite_add_tcase(s, tc);

	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return (failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE);
}
