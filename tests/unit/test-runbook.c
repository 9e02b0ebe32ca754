/*
 * Unit tests of runbook.c and drill.c: the model a runbook loads into,
 * every kind of problem with its exact place and message, goto
 * resolution, the destructive-command list, drill files checked against
 * their runbook, and the bundled runbooks.
 *
 * Runbooks are loaded from buffers, named "rb.yaml" in messages, with a
 * fixed "now" so that the staleness warning does not depend on the day
 * the tests run.
 */

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "pattern.h"
#include "runbook.h"

/* 2026-11-26, the day the bundled runbook was reviewed against. */
#define NOW	(INT64_C(20783) * 86400)

static struct diag		 diag;
static struct runbook		*rb;
static struct drill		*dr;
static struct rb_load_options	 opts = { 180, NOW, 1 };

static void
setup(void)
{
	diag_init(&diag);
	rb = NULL;
	dr = NULL;
}

static void
teardown(void)
{
	runbook_free(rb);
	drill_free(dr);
	diag_free(&diag);
}

/* Load src as "rb.yaml" into rb or dr, after dropping the last ones. */
static enum rb_file_kind
load(const char *src)
{
	runbook_free(rb);
	drill_free(dr);
	diag_free(&diag);
	return (rbfile_load_buffer("rb.yaml", src, strlen(src), &opts, &diag,
	    &rb, &dr));
}

/* Every problem, one per line, for failure messages; caller frees. */
static char *
problems(void)
{
	char	*all = NULL, *line;
	size_t	 len = 0, i;
	FILE	*f = open_memstream(&all, &len);

	for (i = 0; i < diag.n; i++) {
		line = diag_format(&diag.items[i]);
		fprintf(f, "\n  %s", line);
		free(line);
	}
	fclose(f);
	return (all);
}

/* There is a problem of this level at line:col with sub in its message. */
static int
has(enum diag_level level, int line, int col, const char *sub)
{
	size_t	i;

	for (i = 0; i < diag.n; i++) {
		if (diag.items[i].level == level &&
		    diag.items[i].line == line && diag.items[i].col == col &&
		    strstr(diag.items[i].msg, sub) != NULL &&
		    strcmp(diag.items[i].file, "rb.yaml") == 0)
			return (1);
	}
	return (0);
}

static void
assert_has(enum diag_level level, int line, int col, const char *sub)
{
	char	*all;

	if (has(level, line, col, sub))
		return;
	all = problems();
	ck_abort_msg("no %s at %d:%d with \"%s\" in:%s",
	    level == DIAG_ERROR ? "error" : "warning", line, col, sub, all);
	free(all);
}

static void
assert_clean(void)
{
	char	*all;

	if (diag.n == 0)
		return;
	all = problems();
	ck_abort_msg("unexpected problems:%s", all);
	free(all);
}

#define HEAD	"format: rbnav/v1\nid: t\ntitle: T\n"
#define ONE	"scenarios:\n  - id: s\n    title: S\n    steps:\n"

static const char minimal[] =
    "format: rbnav/v1\n"
    "id: mini\n"
    "title: Minimal\n"
    "scenarios:\n"
    "  - id: only\n"
    "    title: The only scenario\n"
    "    steps:\n"
    "      - title: First\n"
    "        run: echo one\n"
    "      - title: Second\n";

START_TEST(test_minimal)
{
	const struct rb_scenario	*sc;

	ck_assert_int_eq(load(minimal), RB_FILE_RUNBOOK);
	assert_clean();
	ck_assert_ptr_nonnull(rb);
	ck_assert_ptr_null(dr);
	ck_assert_str_eq(rb->path, "rb.yaml");
	ck_assert_str_eq(rb->format, "rbnav/v1");
	ck_assert_str_eq(rb->id, "mini");
	ck_assert_str_eq(rb->title, "Minimal");
	ck_assert_ptr_null(rb->description);
	ck_assert_ptr_null(rb->reviewed);
	ck_assert_ptr_null(rb->owner);
	ck_assert_uint_eq(rb->nsystems, 0);
	ck_assert_uint_eq(rb->nvariables, 0);
	ck_assert_uint_eq(rb->ncontacts, 0);
	ck_assert_uint_eq(rb->npost_incident, 0);
	ck_assert_uint_eq(strlen(runbook_sha256(rb)), 64);
	ck_assert_uint_eq(rb->nscenarios, 1);
	sc = &rb->scenarios[0];
	ck_assert_str_eq(sc->id, "only");
	ck_assert_int_eq(sc->kind, RB_KIND_INCIDENT);	/* the default */
	ck_assert_int_eq(sc->pos.line, 5);
	ck_assert_int_eq(sc->pos.col, 5);
	ck_assert_uint_eq(sc->nsteps, 2);
	ck_assert_str_eq(sc->steps[0].id, "step-1");	/* default ids */
	ck_assert_str_eq(sc->steps[1].id, "step-2");
	ck_assert_str_eq(sc->steps[0].run, "echo one");
	ck_assert_ptr_null(sc->steps[1].run);
	ck_assert_int_eq(sc->steps[0].expect_exit, 0);
	ck_assert_int_eq(sc->steps[0].timeout, -1);
	ck_assert_int_eq(sc->steps[0].confirm, 0);
	ck_assert_int_eq(sc->steps[0].drill.given, 0);
	ck_assert_int_eq(sc->steps[0].drill.duration, 1000);
	ck_assert_int_eq(sc->steps[1].pos.line, 10);
	ck_assert_int_eq(sc->steps[1].pos.col, 9);
}
END_TEST

static const char full[] =
    HEAD
    "description: |\n"					/* 4 */
    "  Two lines\n"
    "  of text.\n"
    "reviewed: 2026-11-01\n"
    "owner: Ops\n"
    "systems:\n"					/* 9 */
    "  - id: api\n"
    "    name: API\n"
    "    priority: 1\n"
    "    rto: 15m\n"
    "    rpo: 0\n"
    "    check:\n"
    "      http: https://{{host}}/health\n"
    "      expect_status: 204\n"
    "      expect_body: 'ok|healthy'\n"
    "      interval: 10s\n"
    "      timeout: 3s\n"
    "  - id: db\n"					/* 21 */
    "    name: Database\n"
    "    priority: 2\n"
    "    rto: 1h30m\n"
    "    rpo: Last hour of writes\n"
    "    check:\n"
    "      postgres: \"host={{host}} dbname=x\"\n"
    "      query: SELECT count(*) FROM t\n"
    "      expect: '^[0-9]+$'\n"
    "  - id: cache\n"					/* 30 */
    "    name: Cache\n"
    "    priority: 3\n"
    "    check:\n"
    "      tcp: localhost:6379\n"
    "  - id: mon\n"					/* 35 */
    "    name: Monitoring\n"
    "    priority: 4\n"
    "    rpo: 90\n"
    "    check:\n"
    "      command: curl -fsS http://localhost:9090/-/healthy\n"
    "      expect: Healthy\n"
    "variables:\n"					/* 42 */
    "  host:\n"
    "    prompt: Host name\n"
    "    default: localhost\n"
    "    pattern: '^[a-z.]+$'\n"
    "  token:\n"
    "    prompt: API token\n"
    "    secret: true\n"
    "contacts:\n"					/* 50 */
    "  - role: On-call\n"
    "    name: Ann\n"
    "    email: ann@example.com\n"
    "    phone: \"+1 555\"\n"
    "    chat: \"#ops\"\n"
    "  - role: DBA\n"
    "post_incident:\n"					/* 57 */
    "  - Write the post-mortem\n"
    "  - Update this runbook\n"
    "scenarios:\n"					/* 60 */
    "  - id: outage\n"
    "    title: Outage\n"
    "    kind: incident\n"
    "    when: The API is down\n"
    "    symptoms: [5xx, timeouts]\n"
    "    prerequisites:\n"
    "      - You have ssh access\n"
    "    systems: [api, db]\n"
    "    steps:\n"
    "      - id: look\n"					/* 70 */
    "        title: Look at {{host}}\n"
    "        text: Check the dashboard.\n"
    "        open: https://grafana/{{host}}\n"
    "      - title: Restart\n"				/* 74 */
    "        run: |\n"
    "          systemctl restart api\n"
    "          curl -fsS https://{{host}}/health -H {{token}}\n"
    "        workdir: /srv/{{host}}\n"
    "        timeout: 2m\n"
    "        confirm: true\n"
    "        expect: 'ok'\n"
    "        expect_exit: 3\n"
    "        interactive: false\n"
    "        optional: true\n"
    "        drill:\n"
    "          output: restarted\n"
    "          exit: 2\n"
    "          duration: 3s\n"
    "          after: {api: up, db: degraded}\n"
    "      - id: decide\n"				/* 90 */
    "        title: Is it back?\n"
    "        ask: Is the API answering on {{host}}?\n"
    "        choices:\n"
    "          - label: \"Yes\"\n"
    "            goto: done\n"
    "          - label: \"No, restore\"\n"
    "            goto: restore\n"
    "      - id: done\n"				/* 98 */
    "        title: Done\n"
    "        wait_for: [api, db]\n"
    "        goto: restore/verify\n"
    "  - id: restore\n"				/* 102 */
    "    title: Restore the database\n"
    "    kind: procedure\n"
    "    steps:\n"
    "      - id: wipe\n"
    "        title: Wipe\n"
    "        run: rm -rf /var/lib/x\n"
    "        danger: Deletes the data directory\n"
    "      - id: verify\n"
    "        title: Verify\n"
    "        run: psql -c 'select 1'\n"
    "        interactive: true\n";

START_TEST(test_full_model)
{
	const struct rb_system		*sys;
	const struct rb_variable	*v;
	const struct rb_scenario	*sc;
	const struct rb_step		*st;

	ck_assert_int_eq(load(full), RB_FILE_RUNBOOK);
	assert_clean();
	ck_assert_str_eq(rb->description, "Two lines\nof text.\n");
	ck_assert_str_eq(rb->reviewed, "2026-11-01");
	ck_assert_int_eq(rb->reviewed_days, 20758);
	ck_assert_str_eq(rb->owner, "Ops");

	/* Systems, with every kind of check and their defaults. */
	ck_assert_uint_eq(rb->nsystems, 4);
	sys = runbook_system(rb, "api");
	ck_assert_ptr_eq(sys, &rb->systems[0]);
	ck_assert_str_eq(sys->name, "API");
	ck_assert_int_eq(sys->priority, 1);
	ck_assert_int_eq(sys->rto, 900000);
	ck_assert_int_eq(sys->rpo, 0);
	ck_assert_str_eq(sys->rpo_text, "0");
	ck_assert_int_eq(sys->check.kind, RB_CHECK_HTTP);
	ck_assert_str_eq(sys->check.target, "https://{{host}}/health");
	ck_assert_int_eq(sys->check.expect_status, 204);
	ck_assert_ptr_nonnull(sys->check.expect_body);
	ck_assert_str_eq(pattern_source(sys->check.expect_body),
	    "ok|healthy");
	ck_assert_int_eq(sys->check.interval, 10000);
	ck_assert_int_eq(sys->check.timeout, 3000);
	ck_assert_int_eq(sys->pos.line, 10);
	ck_assert_int_eq(sys->pos.col, 5);

	sys = runbook_system(rb, "db");
	ck_assert_int_eq(sys->rto, 5400000);
	ck_assert_int_eq(sys->rpo, -1);			/* free text */
	ck_assert_str_eq(sys->rpo_text, "Last hour of writes");
	ck_assert_int_eq(sys->check.kind, RB_CHECK_POSTGRES);
	ck_assert_str_eq(sys->check.target, "host={{host}} dbname=x");
	ck_assert_str_eq(sys->check.query, "SELECT count(*) FROM t");
	ck_assert_ptr_nonnull(sys->check.expect);
	ck_assert_int_eq(sys->check.interval, 5000);	/* defaults */
	ck_assert_int_eq(sys->check.timeout, 2000);

	sys = runbook_system(rb, "cache");
	ck_assert_int_eq(sys->rto, -1);			/* not given */
	ck_assert_int_eq(sys->rpo, -1);
	ck_assert_ptr_null(sys->rpo_text);
	ck_assert_int_eq(sys->check.kind, RB_CHECK_TCP);
	ck_assert_str_eq(sys->check.target, "localhost:6379");
	ck_assert_int_eq(sys->check.expect_status, 0);

	sys = runbook_system(rb, "mon");
	ck_assert_int_eq(sys->rpo, 90000);		/* bare seconds */
	ck_assert_int_eq(sys->check.kind, RB_CHECK_COMMAND);
	ck_assert_ptr_null(runbook_system(rb, "nope"));

	/* Variables, in file order, named by their keys. */
	ck_assert_uint_eq(rb->nvariables, 2);
	v = runbook_variable(rb, "host");
	ck_assert_ptr_eq(v, &rb->variables[0]);
	ck_assert_str_eq(v->prompt, "Host name");
	ck_assert_str_eq(v->def, "localhost");
	ck_assert_ptr_nonnull(v->pattern);
	ck_assert_int_eq(v->secret, 0);
	ck_assert_int_eq(v->pos.line, 43);
	ck_assert_int_eq(v->pos.col, 3);
	v = runbook_variable(rb, "token");
	ck_assert_ptr_null(v->def);
	ck_assert_ptr_null(v->pattern);
	ck_assert_int_eq(v->secret, 1);
	ck_assert_ptr_null(runbook_variable(rb, "nope"));

	ck_assert_uint_eq(rb->ncontacts, 2);
	ck_assert_str_eq(rb->contacts[0].role, "On-call");
	ck_assert_str_eq(rb->contacts[0].name, "Ann");
	ck_assert_str_eq(rb->contacts[0].email, "ann@example.com");
	ck_assert_str_eq(rb->contacts[0].phone, "+1 555");
	ck_assert_str_eq(rb->contacts[0].chat, "#ops");
	ck_assert_str_eq(rb->contacts[1].role, "DBA");
	ck_assert_ptr_null(rb->contacts[1].name);
	ck_assert_uint_eq(rb->npost_incident, 2);
	ck_assert_str_eq(rb->post_incident[1], "Update this runbook");

	/* Scenarios and steps. */
	ck_assert_uint_eq(rb->nscenarios, 2);
	sc = runbook_scenario(rb, "outage");
	ck_assert_ptr_eq(sc, &rb->scenarios[0]);
	ck_assert_int_eq(sc->kind, RB_KIND_INCIDENT);
	ck_assert_str_eq(sc->when, "The API is down");
	ck_assert_uint_eq(sc->nsymptoms, 2);
	ck_assert_str_eq(sc->symptoms[0], "5xx");
	ck_assert_uint_eq(sc->nprerequisites, 1);
	ck_assert_uint_eq(sc->nsystems, 2);
	ck_assert_str_eq(sc->systems[1], "db");
	ck_assert_uint_eq(sc->nsteps, 4);
	ck_assert_int_eq(runbook_scenario(rb, "restore")->kind,
	    RB_KIND_PROCEDURE);
	ck_assert_ptr_null(runbook_scenario(rb, "nope"));

	st = &sc->steps[0];
	ck_assert_str_eq(st->id, "look");
	ck_assert_str_eq(st->title, "Look at {{host}}");	/* as written */
	ck_assert_str_eq(st->text, "Check the dashboard.");
	ck_assert_str_eq(st->open, "https://grafana/{{host}}");

	st = &sc->steps[1];
	ck_assert_str_eq(st->id, "step-2");
	ck_assert_str_eq(st->run, "systemctl restart api\n"
	    "curl -fsS https://{{host}}/health -H {{token}}\n");
	ck_assert_str_eq(st->workdir, "/srv/{{host}}");
	ck_assert_int_eq(st->timeout, 120000);
	ck_assert_int_eq(st->confirm, 1);
	ck_assert_ptr_nonnull(st->expect);
	ck_assert_int_eq(st->expect_exit, 3);
	ck_assert_int_eq(st->interactive, 0);
	ck_assert_int_eq(st->optional, 1);
	ck_assert_int_eq(st->drill.given, 1);
	ck_assert_str_eq(st->drill.output, "restarted");
	ck_assert_int_eq(st->drill.exit, 2);
	ck_assert_int_eq(st->drill.duration, 3000);
	ck_assert_uint_eq(st->drill.nafter, 2);
	ck_assert_str_eq(st->drill.after[0].system, "api");
	ck_assert_int_eq(st->drill.after[0].state, RB_STATE_UP);
	ck_assert_int_eq(st->drill.after[1].state, RB_STATE_DEGRADED);

	st = &sc->steps[2];
	ck_assert_str_eq(st->ask, "Is the API answering on {{host}}?");
	ck_assert_uint_eq(st->nchoices, 2);
	ck_assert_str_eq(st->choices[0].label, "Yes");
	ck_assert_str_eq(st->choices[0].target, "done");
	ck_assert_str_eq(st->choices[1].label, "No, restore");
	ck_assert_str_eq(st->choices[1].target, "restore");
	ck_assert_int_eq(st->choices[1].pos.line, 96);
	ck_assert_int_eq(st->choices[1].pos.col, 13);

	st = &sc->steps[3];
	ck_assert_uint_eq(st->nwait_for, 2);
	ck_assert_str_eq(st->wait_for[0], "api");
	ck_assert_str_eq(st->target, "restore/verify");

	st = &runbook_scenario(rb, "restore")->steps[0];
	ck_assert_str_eq(st->danger, "Deletes the data directory");
	ck_assert_int_eq(runbook_scenario(rb, "restore")->steps[1].interactive,
	    1);
	ck_assert_int_eq(rb_scenario_step_index(sc, "decide"), 2);
	ck_assert_int_eq(rb_scenario_step_index(sc, "step-2"), 1);
	ck_assert_int_eq(rb_scenario_step_index(sc, "verify"), -1);
}
END_TEST

START_TEST(test_sha256)
{
	char	first[65];

	/* The digest of the file's bytes, as sha256sum prints it. */
	ck_assert_int_eq(load(minimal), RB_FILE_RUNBOOK);
	ck_assert_str_eq(runbook_sha256(rb), "6e6ab6bb1af7cc0229fb51f5981a1f97"
	    "a3b9b2c39de67dcdd6816a9526928c2a");
	memcpy(first, runbook_sha256(rb), sizeof first);
	ck_assert_int_eq(load(minimal), RB_FILE_RUNBOOK);
	ck_assert_str_eq(runbook_sha256(rb), first);
	ck_assert_int_eq(load(full), RB_FILE_RUNBOOK);
	ck_assert_str_ne(runbook_sha256(rb), first);
}
END_TEST

/* One broken runbook and the one problem it must give. */
struct bad_case {
	const char	*name;
	const char	*src;
	int		 line;
	int		 col;
	enum diag_level	 level;
	const char	*msg;
};

static void
run_cases(const struct bad_case *cases, size_t n)
{
	size_t	 i;
	char	*all;

	for (i = 0; i < n; i++) {
		load(cases[i].src);
		all = problems();
		ck_assert_msg(diag.n == 1, "%s: %zu problems:%s", cases[i].name,
		    diag.n, all);
		ck_assert_msg(diag.items[0].line == cases[i].line &&
		    diag.items[0].col == cases[i].col,
		    "%s: want %d:%d:%s", cases[i].name, cases[i].line,
		    cases[i].col, all);
		ck_assert_msg(diag.items[0].level == cases[i].level,
		    "%s: wrong level:%s", cases[i].name, all);
		ck_assert_msg(strstr(diag.items[0].msg, cases[i].msg) != NULL,
		    "%s: want \"%s\":%s", cases[i].name, cases[i].msg, all);
		ck_assert_str_eq(diag.items[0].file, "rb.yaml");
		/* An error gives no model; a warning keeps it. */
		if (cases[i].level == DIAG_ERROR)
			ck_assert_msg(rb == NULL && dr == NULL, "%s: model "
			    "despite an error", cases[i].name);
		else
			ck_assert_msg(rb != NULL, "%s: no model for a "
			    "warning", cases[i].name);
		free(all);
	}
}

static const struct bad_case errors_top[] = {
	{ "empty", "", 1, 1, DIAG_ERROR, "empty file" },
	{ "yaml syntax", HEAD "a: b\n  c: d\n", 5, 4, DIAG_ERROR,
	  "YAML: mapping values are not allowed" },
	{ "root is a list", "- a\n- b\n", 1, 1, DIAG_ERROR,
	  "a runbook must be a mapping with 'format', not a list" },
	{ "root is a string", "hello\n", 1, 1, DIAG_ERROR,
	  "must be a mapping with 'format', not a string" },
	{ "wrong format",
	  "format: rbnav/v2\nid: t\ntitle: T\n" ONE "      - title: a\n",
	  1, 9, DIAG_ERROR, "format must be 'rbnav/v1', not 'rbnav/v2'" },
	{ "missing id", "format: rbnav/v1\ntitle: T\n" ONE
	  "      - title: a\n", 1, 1, DIAG_ERROR,
	  "missing required key 'id' in runbook" },
	{ "missing scenarios", HEAD, 1, 1, DIAG_ERROR,
	  "missing required key 'scenarios' in runbook" },
	{ "unknown top key", HEAD "colour: red\n" ONE "      - title: a\n",
	  4, 1, DIAG_ERROR, "unknown key 'colour' in runbook" },
	{ "bad slug", "format: rbnav/v1\nid: Bad_Id\ntitle: T\n" ONE
	  "      - title: a\n", 2, 5, DIAG_ERROR,
	  "'id' must be a slug of lowercase letters" },
	{ "bad date", HEAD "reviewed: 2026-13\n" ONE "      - title: a\n",
	  4, 11, DIAG_ERROR,
	  "'reviewed' must be a date, YYYY-MM-DD or YYYY-MM, not '2026-13'" },
	{ "scenarios not a list", HEAD "scenarios: many\n", 4, 12,
	  DIAG_ERROR, "'scenarios' must be a list, not a string" },
	{ "scenarios empty", HEAD "scenarios: []\n", 4, 12, DIAG_ERROR,
	  "'scenarios' must not be empty" },
	{ "post_incident not a list", HEAD "post_incident: x\n" ONE
	  "      - title: a\n", 4, 16, DIAG_ERROR,
	  "'post_incident' must be a list of strings, not a string" },
	{ "variables not a map", HEAD "variables: [a]\n" ONE
	  "      - title: a\n", 4, 12, DIAG_ERROR,
	  "'variables' must be a mapping, not a list" },
	{ "variable without prompt", HEAD "variables:\n  x:\n    default: 1\n"
	  ONE "      - title: a\n", 6, 5, DIAG_ERROR,
	  "missing required key 'prompt' in variable" },
	{ "secret yes", HEAD "variables:\n  x:\n    prompt: X\n"
	  "    secret: yes\n" ONE "      - title: a\n", 7, 13, DIAG_ERROR,
	  "'secret' must be true or false, not 'yes'" },
	{ "contact without role", HEAD "contacts:\n  - name: Ann\n" ONE
	  "      - title: a\n", 5, 5, DIAG_ERROR,
	  "missing required key 'role' in contact" },
};

static const struct bad_case errors_system[] = {
	{ "bad rto", HEAD "systems:\n  - id: a\n    name: A\n    priority: 1\n"
	  "    rto: 1m1h\n" ONE "      - title: a\n", 8, 10, DIAG_ERROR,
	  "'rto': bad duration '1m1h' (use 30s, 15m" },
	{ "priority 0", HEAD "systems:\n  - id: a\n    name: A\n"
	  "    priority: 0\n" ONE "      - title: a\n", 7, 15, DIAG_ERROR,
	  "'priority' must be 1 or more" },
	{ "priority text", HEAD "systems:\n  - id: a\n    name: A\n"
	  "    priority: high\n" ONE "      - title: a\n", 7, 15, DIAG_ERROR,
	  "'priority' must be an integer" },
	{ "priority quoted", HEAD "systems:\n  - id: a\n    name: A\n"
	  "    priority: '1'\n" ONE "      - title: a\n", 7, 15, DIAG_ERROR,
	  "'priority' must be an integer" },
	{ "duplicate system", HEAD "systems:\n  - id: a\n    name: A\n"
	  "    priority: 1\n  - id: a\n    name: B\n    priority: 2\n" ONE
	  "      - title: a\n", 8, 5, DIAG_ERROR,
	  "duplicate system id 'a' (first at 5:5)" },
	{ "two check kinds", HEAD "systems:\n  - id: a\n    name: A\n"
	  "    priority: 1\n    check:\n      http: http://x/\n"
	  "      tcp: x:1\n" ONE "      - title: a\n", 10, 12, DIAG_ERROR,
	  "a check has exactly one of http, postgres, tcp and command" },
	{ "no check kind", HEAD "systems:\n  - id: a\n    name: A\n"
	  "    priority: 1\n    check:\n      interval: 5s\n" ONE
	  "      - title: a\n", 9, 7, DIAG_ERROR,
	  "a check needs one of http, postgres, tcp and command" },
	{ "tcp without port", HEAD "systems:\n  - id: a\n    name: A\n"
	  "    priority: 1\n    check:\n      tcp: localhost\n" ONE
	  "      - title: a\n", 9, 12, DIAG_ERROR,
	  "'tcp' must be host:port, not 'localhost'" },
	{ "tcp port 0", HEAD "systems:\n  - id: a\n    name: A\n"
	  "    priority: 1\n    check:\n      tcp: h:0\n" ONE
	  "      - title: a\n", 9, 12, DIAG_ERROR, "'tcp' must be host:port" },
	{ "http not a url", HEAD "systems:\n  - id: a\n    name: A\n"
	  "    priority: 1\n    check:\n      http: ftp://x\n" ONE
	  "      - title: a\n", 9, 13, DIAG_ERROR,
	  "'http' must be an http:// or https:// URL" },
	{ "query on http", HEAD "systems:\n  - id: a\n    name: A\n"
	  "    priority: 1\n    check:\n      http: http://x/\n"
	  "      query: SELECT 1\n" ONE "      - title: a\n", 10, 14,
	  DIAG_ERROR, "'query' is for postgres checks" },
	{ "expect on http", HEAD "systems:\n  - id: a\n    name: A\n"
	  "    priority: 1\n    check:\n      http: http://x/\n"
	  "      expect: up\n" ONE "      - title: a\n", 10, 15, DIAG_ERROR,
	  "http checks use expect_body, not expect" },
	{ "interval 0", HEAD "systems:\n  - id: a\n    name: A\n"
	  "    priority: 1\n    check:\n      tcp: h:1\n      interval: 0\n"
	  ONE "      - title: a\n", 10, 17, DIAG_ERROR,
	  "'interval' must be more than 0" },
	{ "bad expect_body", HEAD "systems:\n  - id: a\n    name: A\n"
	  "    priority: 1\n    check:\n      http: http://x/\n"
	  "      expect_body: 'a[b'\n" ONE "      - title: a\n", 10, 24,
	  DIAG_ERROR, "'expect_body': pattern does not compile at offset 3" },
	{ "undefined variable in check", HEAD "systems:\n  - id: a\n"
	  "    name: A\n    priority: 1\n    check:\n"
	  "      http: http://{{h}}/\n" ONE "      - title: a\n", 9, 20,
	  DIAG_ERROR, "undefined variable 'h'" },
};

static const struct bad_case errors_scenario[] = {
	{ "missing steps", HEAD "scenarios:\n  - id: s\n    title: S\n",
	  5, 5, DIAG_ERROR, "missing required key 'steps' in scenario" },
	{ "empty steps", HEAD ONE "      []\n", 8, 7, DIAG_ERROR,
	  "'steps' must not be empty" },
	{ "bad kind", HEAD "scenarios:\n  - id: s\n    title: S\n"
	  "    kind: drill\n    steps:\n      - title: a\n", 7, 11, DIAG_ERROR,
	  "'kind' must be incident or procedure, not 'drill'" },
	{ "unknown system", HEAD "scenarios:\n  - id: s\n    title: S\n"
	  "    systems: [api]\n    steps:\n      - title: a\n", 7, 15,
	  DIAG_ERROR, "unknown system 'api'" },
	{ "title a list", HEAD "scenarios:\n  - id: s\n    title: [a]\n"
	  "    steps:\n      - title: a\n", 6, 12, DIAG_ERROR,
	  "'title' must be a string, not a list" },
	{ "title empty", HEAD "scenarios:\n  - id: s\n    title:\n"
	  "    steps:\n      - title: a\n", 6, 11, DIAG_ERROR,
	  "'title' must not be empty" },
	{ "scenario a string", HEAD "scenarios:\n  - just text\n", 5, 5,
	  DIAG_ERROR, "a scenario must be a mapping of keys, not a string" },
	{ "duplicate scenario", HEAD ONE "      - title: a\n"
	  "  - id: s\n    title: S2\n    steps:\n      - title: b\n", 9, 5,
	  DIAG_ERROR, "duplicate scenario id 's' (first at 5:5)" },
	{ "symptoms of maps", HEAD "scenarios:\n  - id: s\n    title: S\n"
	  "    symptoms:\n      - {a: b}\n    steps:\n      - title: a\n",
	  8, 9, DIAG_ERROR, "items of 'symptoms' must be strings, not a "
	  "mapping" },
};

static const struct bad_case errors_step[] = {
	{ "missing title", HEAD ONE "      - run: echo\n", 8, 9, DIAG_ERROR,
	  "missing required key 'title' in step" },
	{ "typo with hint", HEAD ONE "      - title: a\n        run: echo\n"
	  "        confrim: true\n", 10, 9, DIAG_ERROR,
	  "unknown key 'confrim' in step (did you mean 'confirm'?)" },
	{ "scenario key in a step", HEAD ONE "      - title: a\n"
	  "        symptoms: x\n", 9, 9, DIAG_ERROR,
	  "unknown key 'symptoms' in step" },
	{ "confirm yes", HEAD ONE "      - title: a\n        run: echo\n"
	  "        confirm: yes\n", 10, 18, DIAG_ERROR,
	  "'confirm' must be true or false, not 'yes'" },
	{ "confirm quoted", HEAD ONE "      - title: a\n        run: echo\n"
	  "        confirm: 'true'\n", 10, 18, DIAG_ERROR,
	  "'confirm' must be true or false, not 'true'" },
	{ "optional 1", HEAD ONE "      - title: a\n        optional: 1\n",
	  9, 19, DIAG_ERROR, "'optional' must be true or false, not '1'" },
	{ "interactive on", HEAD ONE "      - title: a\n        run: x\n"
	  "        interactive: on\n", 10, 22, DIAG_ERROR,
	  "'interactive' must be true or false" },
	{ "bad step slug", HEAD ONE "      - id: Step_1\n        title: a\n",
	  8, 13, DIAG_ERROR, "'id' must be a slug" },
	{ "duplicate step", HEAD ONE "      - id: x\n        title: a\n"
	  "      - id: x\n        title: b\n", 10, 9, DIAG_ERROR,
	  "duplicate step id 'x' in scenario 's' (first at 8:9)" },
	{ "explicit id clashes with default", HEAD ONE
	  "      - title: a\n      - id: step-1\n        title: b\n", 9, 9,
	  DIAG_ERROR, "duplicate step id 'step-1'" },
	{ "bad timeout", HEAD ONE "      - title: a\n        run: x\n"
	  "        timeout: 1.5h\n", 10, 18, DIAG_ERROR,
	  "'timeout': bad duration '1.5h'" },
	{ "bad pattern", HEAD ONE "      - title: a\n        run: echo\n"
	  "        expect: 'ab(c'\n", 10, 22, DIAG_ERROR,
	  "'expect': pattern does not compile at offset 4: missing closing "
	  "parenthesis" },
	{ "expect_exit 300", HEAD ONE "      - title: a\n        run: echo\n"
	  "        expect_exit: 300\n", 10, 22, DIAG_ERROR,
	  "'expect_exit' must be 0 to 255" },
	{ "timeout without run", HEAD ONE "      - title: a\n"
	  "        timeout: 5s\n", 9, 18, DIAG_ERROR, "'timeout' needs 'run'" },
	{ "workdir without run", HEAD ONE "      - title: a\n"
	  "        workdir: /tmp\n", 9, 18, DIAG_ERROR,
	  "'workdir' needs 'run'" },
	{ "danger without run", HEAD ONE "      - title: a\n"
	  "        danger: boom\n", 9, 17, DIAG_ERROR,
	  "'danger' needs 'run'" },
	{ "ask without choices", HEAD ONE "      - title: a\n"
	  "        ask: Ok?\n", 9, 14, DIAG_ERROR,
	  "'ask' requires 'choices'" },
	{ "choices without ask", HEAD ONE "      - title: a\n"
	  "        choices:\n          - label: x\n            goto: s\n",
	  10, 11, DIAG_ERROR, "'choices' requires 'ask'" },
	{ "choices and goto", HEAD ONE "      - title: a\n        ask: Ok?\n"
	  "        goto: s\n        choices:\n          - label: x\n"
	  "            goto: s\n", 10, 15, DIAG_ERROR,
	  "a step with choices goes where the answer says; drop 'goto'" },
	{ "choice without goto", HEAD ONE "      - title: a\n        ask: Ok?\n"
	  "        choices:\n          - label: x\n", 11, 13, DIAG_ERROR,
	  "missing required key 'goto' in choice" },
	{ "empty choices", HEAD ONE "      - title: a\n        ask: Ok?\n"
	  "        choices: []\n", 10, 18, DIAG_ERROR,
	  "'choices' must not be empty" },
	{ "empty wait_for", HEAD ONE "      - title: a\n        wait_for: []\n",
	  9, 19, DIAG_ERROR, "'wait_for' must not be empty" },
	{ "unknown wait_for", HEAD ONE "      - title: a\n"
	  "        wait_for: [db]\n", 9, 20, DIAG_ERROR,
	  "unknown system 'db'" },
	{ "goto nowhere", HEAD ONE "      - title: a\n        goto: nowhere\n",
	  9, 15, DIAG_ERROR, "goto target 'nowhere' does not exist" },
	{ "goto missing step", HEAD ONE "      - title: a\n"
	  "        goto: s/nope\n", 9, 15, DIAG_ERROR,
	  "goto target 's/nope' does not exist" },
	{ "choice goto nowhere", HEAD ONE "      - title: a\n"
	  "        ask: Ok?\n        choices:\n          - label: x\n"
	  "            goto: elsewhere\n", 12, 19, DIAG_ERROR,
	  "goto target 'elsewhere' does not exist" },
	{ "undefined variable", HEAD ONE "      - title: a\n"
	  "        run: ssh {{ host }}\n", 9, 18, DIAG_ERROR,
	  "undefined variable 'host' (declare it under 'variables')" },
	{ "undefined variable, quoted", HEAD ONE
	  "      - title: \"x {{nope}}\"\n", 8, 19, DIAG_ERROR,
	  "undefined variable 'nope'" },
	{ "undefined variable, block", HEAD ONE "      - title: a\n"
	  "        text: |\n          line\n          {{nope}}\n", 9, 15,
	  DIAG_ERROR, "undefined variable 'nope'" },
	{ "undefined variable in a label", HEAD ONE "      - title: a\n"
	  "        ask: Ok?\n        choices:\n"
	  "          - label: go {{x}}\n            goto: s\n", 11, 23,
	  DIAG_ERROR, "undefined variable 'x'" },
	{ "malformed reference", HEAD ONE "      - title: a\n"
	  "        run: echo {{.X}}\n", 9, 19, DIAG_ERROR,
	  "'run': '{{' does not start a variable reference ({{name}}); "
	  "write '{{{{' for a literal '{{'" },
	{ "drill exit 300", HEAD ONE "      - title: a\n        run: x\n"
	  "        drill:\n          exit: 300\n", 11, 17, DIAG_ERROR,
	  "'exit' must be 0 to 255" },
	{ "drill bad state", HEAD "systems:\n  - id: a\n    name: A\n"
	  "    priority: 1\n" ONE "      - title: a\n        run: x\n"
	  "        drill:\n          after: {a: sideways}\n", 15, 22,
	  DIAG_ERROR, "state of 'a' must be up, down, degraded or unknown" },
	{ "drill after unknown system", HEAD ONE "      - title: a\n"
	  "        run: x\n        drill:\n          after: {nope: up}\n",
	  11, 19, DIAG_ERROR, "unknown system 'nope'" },
	{ "drill unknown key", HEAD ONE "      - title: a\n        run: x\n"
	  "        drill:\n          outptu: x\n", 11, 11, DIAG_ERROR,
	  "unknown key 'outptu' in drill result (did you mean 'output'?)" },
};

static const struct bad_case warnings[] = {
	{ "destructive", HEAD ONE "      - title: a\n"
	  "        run: docker volume rm pg\n", 9, 14, DIAG_WARNING,
	  "step runs a destructive command (docker volume rm) without "
	  "'confirm' or 'danger'" },
	{ "destructive in a script", HEAD ONE "      - title: a\n"
	  "        run: |\n          cd /srv\n          rm -rf data\n", 9, 14,
	  DIAG_WARNING, "destructive command (rm -rf)" },
	{ "unreachable", HEAD ONE "      - title: a\n        goto: c\n"
	  "      - title: b\n      - id: c\n        title: c\n", 10, 9,
	  DIAG_WARNING, "step 'step-2' is never reached" },
	{ "stale", HEAD "reviewed: 2020-01\n" ONE "      - title: a\n", 4, 11,
	  DIAG_WARNING, "reviewed 2020-01, more than 180 days ago" },
	{ "interactive expect", HEAD ONE "      - title: a\n        run: x\n"
	  "        interactive: true\n        expect: y\n", 11, 17,
	  DIAG_WARNING, "'expect' on an interactive step" },
};

START_TEST(test_errors_top)
{
	run_cases(errors_top, sizeof errors_top / sizeof errors_top[0]);
}
END_TEST

START_TEST(test_errors_system)
{
	run_cases(errors_system, sizeof errors_system /
	    sizeof errors_system[0]);
}
END_TEST

START_TEST(test_errors_scenario)
{
	run_cases(errors_scenario, sizeof errors_scenario /
	    sizeof errors_scenario[0]);
}
END_TEST

START_TEST(test_errors_step)
{
	run_cases(errors_step, sizeof errors_step / sizeof errors_step[0]);
}
END_TEST

START_TEST(test_warnings)
{
	run_cases(warnings, sizeof warnings / sizeof warnings[0]);
}
END_TEST

START_TEST(test_every_problem)
{
	/* The loader keeps going: one file, many problems, all placed. */
	ck_assert_int_eq(load(HEAD
	    "colour: red\n"				/* 4 */
	    "systems:\n"
	    "  - id: A\n"				/* 6 */
	    "    name: A\n"
	    "    priority: 0\n"				/* 8 */
	    ONE						/* 9-12 */
	    "      - title: a\n"			/* 13 */
	    "        confirm: maybe\n"			/* 14 */
	    "        goto: nowhere\n"			/* 15 */
	    "        text: '{{who}}'\n"),		/* 16 */
	    RB_FILE_RUNBOOK);
	ck_assert_ptr_null(rb);
	assert_has(DIAG_ERROR, 4, 1, "unknown key 'colour'");
	assert_has(DIAG_ERROR, 6, 9, "'id' must be a slug");
	assert_has(DIAG_ERROR, 8, 15, "'priority' must be 1 or more");
	assert_has(DIAG_ERROR, 14, 18, "'confirm' must be true or false");
	assert_has(DIAG_ERROR, 14, 18, "'confirm' needs 'run'");
	assert_has(DIAG_ERROR, 15, 15, "goto target 'nowhere'");
	assert_has(DIAG_ERROR, 16, 16, "undefined variable 'who'");
	ck_assert_uint_eq(diag.nerrors, 7);
	ck_assert_uint_eq(diag.nwarnings, 0);
}
END_TEST

START_TEST(test_duplicate_fields)
{
	/*
	 * A key given twice is reported once, and both values are
	 * released (the sanitizer build checks the second part).
	 */
	ck_assert_int_eq(load(HEAD "title: again\n" ONE
	    "      - title: a\n        run: one\n"
	    "        run: two\n        drill: {output: x, after: {}}\n"
	    "        drill: {output: y}\n"
	    "systems:\n  - id: a\n    name: A\n    priority: 1\n"
	    "    check: {tcp: 'h:1'}\n    check: {tcp: 'h:2'}\n"
	    "scenarios:\n  - id: t\n    title: T\n    steps:\n"
	    "      - title: b\n"), RB_FILE_RUNBOOK);
	ck_assert_ptr_null(rb);
	assert_has(DIAG_ERROR, 4, 1, "duplicate key 'title' (first at 3:1)");
	assert_has(DIAG_ERROR, 11, 9, "duplicate key 'run' (first at 10:9)");
	assert_has(DIAG_ERROR, 13, 9, "duplicate key 'drill'");
	assert_has(DIAG_ERROR, 19, 5, "duplicate key 'check'");
	assert_has(DIAG_ERROR, 20, 1, "duplicate key 'scenarios'");
}
END_TEST

START_TEST(test_nonscalar_object_key)
{
	/*
	 * A variable (or drill step) named by a list is reported by the
	 * YAML layer; the loader must go on without the name, not crash.
	 */
	ck_assert_int_eq(load(HEAD "variables:\n  ? [a]\n  : {prompt: p}\n"
	    ONE "      - title: a\n"), RB_FILE_RUNBOOK);
	ck_assert_ptr_null(rb);
	assert_has(DIAG_ERROR, 5, 5, "a mapping key must be a plain string");
	ck_assert_int_eq(load("format: rbnav-drill/v1\nid: d\ntitle: D\n"
	    "runbook: t\nsteps:\n  ? {a: b}\n  : {exit: 1}\n"), RB_FILE_DRILL);
	ck_assert_ptr_null(dr);
	assert_has(DIAG_ERROR, 6, 5, "a mapping key must be a plain string");
}
END_TEST

/* Where target goes from scenario from ("" for none). */
static void
assert_resolve(const char *from, const char *target, const char *sc,
    int step)
{
	const struct rb_scenario	*f, *got = NULL;
	int				 i = -42, rc;

	f = *from ? runbook_scenario(rb, from) : NULL;
	rc = runbook_resolve(rb, f, target, &got, &i);
	if (sc == NULL) {
		ck_assert_msg(rc == -1, "'%s' from '%s' resolved", target,
		    from);
		return;
	}
	ck_assert_msg(rc == 0, "'%s' from '%s' not resolved", target, from);
	ck_assert_msg(strcmp(got->id, sc) == 0 && i == step,
	    "'%s' from '%s' gave %s/%d, want %s/%d", target, from, got->id, i,
	    sc, step);
}

START_TEST(test_resolve)
{
	ck_assert_int_eq(load(full), RB_FILE_RUNBOOK);
	assert_clean();
	/* A step of the scenario it is seen from. */
	assert_resolve("outage", "decide", "outage", 2);
	assert_resolve("outage", "step-2", "outage", 1);
	/* A scenario: its first step. */
	assert_resolve("outage", "restore", "restore", 0);
	assert_resolve("restore", "outage", "outage", 0);
	assert_resolve("", "restore", "restore", 0);
	/* scenario/step, from anywhere. */
	assert_resolve("outage", "restore/verify", "restore", 1);
	assert_resolve("", "outage/done", "outage", 3);
	assert_resolve("restore", "outage/look", "outage", 0);
	/* A step of another scenario needs its scenario. */
	assert_resolve("outage", "verify", NULL, 0);
	assert_resolve("", "decide", NULL, 0);
	assert_resolve("outage", "nope", NULL, 0);
	assert_resolve("outage", "restore/nope", NULL, 0);
	assert_resolve("outage", "nope/verify", NULL, 0);
	assert_resolve("outage", "restore/verify/x", NULL, 0);
	assert_resolve("outage", "/verify", NULL, 0);
	assert_resolve("outage", "restore/", NULL, 0);
	assert_resolve("outage", "", NULL, 0);
}
END_TEST

START_TEST(test_resolve_step_before_scenario)
{
	/* A step id that is also a scenario id: the step wins. */
	ck_assert_int_eq(load(HEAD "scenarios:\n"
	    "  - id: a\n    title: A\n    steps:\n"
	    "      - title: x\n        goto: b\n"
	    "      - id: b\n        title: b\n"
	    "  - id: b\n    title: B\n    steps:\n      - title: y\n"),
	    RB_FILE_RUNBOOK);
	assert_clean();
	assert_resolve("a", "b", "a", 1);
	assert_resolve("b", "b", "b", 0);
	assert_resolve("a", "b/step-1", "b", 0);
}
END_TEST

START_TEST(test_destructive)
{
	static const struct {
		const char	*run;
		const char	*what;	/* start of what is named */
	} yes[] = {
		{ "rm -rf /var/lib/x", "rm -rf" },
		{ "rm -fr data", "rm -fr" },
		{ "rm -r data", "rm -r" },
		{ "rm -f old.log", "rm -f" },
		{ "sudo rm -Rf /srv", "rm -Rf" },
		{ "rm --recursive data", "rm --recursive" },
		{ "cd /srv && /bin/rm -rf data", "rm -rf" },
		{ "docker volume rm eriop_pg", "docker volume rm" },
		{ "docker volume prune -f", "docker volume prune" },
		{ "docker system prune -a", "docker system prune" },
		{ "docker network rm eriop", "docker network rm" },
		{ "docker compose down -v", "docker compose down" },
		{ "docker-compose down", "docker-compose down" },
		{ "pg_resetwal -f /var/lib/postgresql/data", "pg_resetwal" },
		{ "pg_resetxlog /data", "pg_resetxlog" },
		{ "psql -c 'DROP TABLE users'", "DROP" },
		{ "psql -c 'DROP DATABASE eriop'", "DROP" },
		{ "psql -c 'TRUNCATE audit'", "TRUNCATE" },
		{ "psql -c 'DELETE FROM sessions'", "DELETE FROM" },
		{ "git push origin main --force", "--force" },
		{ "helm upgrade x --force", "--force" },
		{ "mkfs.ext4 /dev/sdb1", "mkfs.ext4" },
		{ "mkfs /dev/sdb1", "mkfs" },
		{ "dd if=/dev/zero of=/dev/sda bs=1M", "dd" },
		{ "alembic downgrade -1", "alembic downgrade" },
		{ "kubectl delete pod api-0", "kubectl delete" },
		{ "git reset --hard HEAD~1", "git reset --hard" },
		{ "git clean -fdx", "git clean -f" },
		{ "find /backups -mtime +7 -delete", "find" },
		{ "find . -name '*.tmp' -exec rm {} +", "find" },
		{ "wipefs -a /dev/sdb", "wipefs" },
		{ "shred -u key.pem", "shred" },
		{ "redis-cli FLUSHALL", "redis-cli FLUSHALL" },
		{ "redis-cli -n 2 FLUSHDB", "redis-cli" },
		{ "sudo systemctl stop docker", "systemctl stop" },
		{ "systemctl disable --now nginx", "systemctl disable" },
		{ "echo start\nrm -rf /tmp/x\necho end", "rm -rf" },
		/*
		 * Decided: text that merely mentions a destructive command
		 * is flagged too.  The check is a warning that asks for
		 * confirm or danger, so a false alarm costs one key.
		 */
		{ "echo 'never run rm -rf /'", "rm -rf" },
	};
	static const char *const no[] = {
		"docker compose ps",
		"docker compose up -d backend",
		"docker compose restart backend",
		"docker volume ls",
		"docker compose logs --tail 100",
		"echo rm",		/* rm without a flag is not matched */
		"rm old.log",		/* a plain rm of one file */
		"ls -lrt /backups",
		"grep -rf patterns.txt .",
		"firm -rf",		/* rm only as a word */
		"pg_dump -Fc eriop > /backups/x.dump",
		"psql -c 'SELECT 1'",
		"sudo systemctl restart docker",
		"systemctl status docker --no-pager",
		"git log --oneline -5",
		"git push origin main",
		"curl -fsS http://localhost:8000/health",
		"alembic upgrade head",
		"kubectl get pods",
		"redis-cli ping",
		"find /backups -name '*.sql'",
		"echo --forceful",
		"",
	};
	const char	*what;
	size_t		 i;

	for (i = 0; i < sizeof yes / sizeof yes[0]; i++) {
		what = runbook_destructive(yes[i].run);
		ck_assert_msg(what != NULL, "'%s' not destructive", yes[i].run);
		ck_assert_msg(strncmp(what, yes[i].what,
		    strlen(yes[i].what)) == 0, "'%s' named '%s', want '%s'",
		    yes[i].run, what, yes[i].what);
	}
	for (i = 0; i < sizeof no / sizeof no[0]; i++) {
		what = runbook_destructive(no[i]);
		ck_assert_msg(what == NULL, "'%s' destructive (%s)", no[i],
		    what);
	}
	/* What is named is short, whatever the command. */
	what = runbook_destructive("dd if=/dev/zero bs=1M count=100000000000"
	    "0000000000000000000000000000000000000000000000000000 of=/x");
	ck_assert_ptr_nonnull(what);
	ck_assert_uint_lt(strlen(what), 64);
}
END_TEST

START_TEST(test_destructive_confirmed)
{
	/* confirm or danger silences the warning. */
	ck_assert_int_eq(load(HEAD ONE "      - title: a\n"
	    "        run: rm -rf /x\n        confirm: true\n"
	    "      - id: b\n        title: b\n        run: rm -rf /y\n"
	    "        danger: wipes y\n"), RB_FILE_RUNBOOK);
	assert_clean();
	ck_assert_ptr_nonnull(rb);
}
END_TEST

START_TEST(test_states)
{
	enum rb_state	s = RB_STATE_PENDING;

	ck_assert_int_eq(rb_state_parse("up", &s), 0);
	ck_assert_int_eq(s, RB_STATE_UP);
	ck_assert_int_eq(rb_state_parse("down", &s), 0);
	ck_assert_int_eq(s, RB_STATE_DOWN);
	ck_assert_int_eq(rb_state_parse("degraded", &s), 0);
	ck_assert_int_eq(s, RB_STATE_DEGRADED);
	ck_assert_int_eq(rb_state_parse("unknown", &s), 0);
	ck_assert_int_eq(s, RB_STATE_UNKNOWN);
	ck_assert_int_eq(rb_state_parse("Up", &s), -1);
	ck_assert_int_eq(rb_state_parse("", &s), -1);
	ck_assert_str_eq(rb_state_name(RB_STATE_PENDING), "pending");
	ck_assert_str_eq(rb_state_name(RB_STATE_DOWN), "down");
}
END_TEST

/* The runbook the drill tests drill: step "check" is in both scenarios. */
static const char drilled[] =
    "format: rbnav/v1\nid: drilled\ntitle: Drilled\n"
    "systems:\n"
    "  - {id: api, name: API, priority: 1, rto: 15m}\n"
    "  - {id: db, name: DB, priority: 2, rto: 1h}\n"
    "scenarios:\n"
    "  - id: a\n    title: A\n    systems: [api]\n    steps:\n"
    "      - {id: one, title: One, run: echo 1}\n"
    "      - id: decide\n        title: Decide\n        ask: Better?\n"
    "        choices:\n"
    "          - {label: \"Yes\", goto: check}\n"
    "          - {label: \"No: escalate\", goto: b}\n"
    "      - {id: check, title: Check}\n"
    "  - id: b\n    title: B\n    steps:\n"
    "      - {id: check, title: Check}\n";

static struct runbook *
load_drilled(void)
{
	struct runbook	*r;
	struct drill	*d;
	struct diag	 dg;

	diag_init(&dg);
	ck_assert_int_eq(rbfile_load_buffer("drilled.yaml", drilled,
	    strlen(drilled), &opts, &dg, &r, &d), RB_FILE_RUNBOOK);
	ck_assert_uint_eq(dg.n, 0);
	diag_free(&dg);
	return (r);
}

#define DHEAD	"format: rbnav-drill/v1\nid: d\ntitle: D\nrunbook: drilled\n"

START_TEST(test_drill_model)
{
	const struct drill	*d;

	ck_assert_int_eq(load(DHEAD
	    "scenario: a\n"				/* 5 */
	    "briefing: |\n  Alerts firing.\n"
	    "initial: {api: down, db: up}\n"		/* 8 */
	    "events:\n"
	    "  - {at: 5m, system: db, state: degraded}\n"
	    "steps:\n"					/* 11 */
	    "  one:\n    output: done\n    exit: 1\n    duration: 2s\n"
	    "    after: {api: up}\n"
	    "expected_path:\n"				/* 17 */
	    "  - one\n  - 'decide:No: escalate'\n  - b/check\n"
	    "time_limit: 20m\n"), RB_FILE_DRILL);
	assert_clean();
	ck_assert_ptr_null(rb);
	d = dr;
	ck_assert_ptr_nonnull(d);
	ck_assert_str_eq(d->format, "rbnav-drill/v1");
	ck_assert_str_eq(d->runbook, "drilled");
	ck_assert_str_eq(d->scenario, "a");
	ck_assert_int_eq(d->runbook_pos.line, 4);
	ck_assert_int_eq(d->scenario_pos.line, 5);
	ck_assert_str_eq(d->briefing, "Alerts firing.\n");
	ck_assert_uint_eq(d->ninitial, 2);
	ck_assert_str_eq(d->initial[0].system, "api");
	ck_assert_int_eq(d->initial[0].state, RB_STATE_DOWN);
	ck_assert_uint_eq(d->nevents, 1);
	ck_assert_int_eq(d->events[0].at, 300000);
	ck_assert_int_eq(d->events[0].state, RB_STATE_DEGRADED);
	ck_assert_uint_eq(d->nsteps, 1);
	ck_assert_str_eq(d->steps[0].ref, "one");
	ck_assert_str_eq(d->steps[0].result.output, "done");
	ck_assert_int_eq(d->steps[0].result.exit, 1);
	ck_assert_int_eq(d->steps[0].result.duration, 2000);
	ck_assert_uint_eq(d->steps[0].result.nafter, 1);
	ck_assert_uint_eq(d->nexpected_path, 3);
	ck_assert_str_eq(d->expected_path[1], "decide:No: escalate");
	ck_assert_int_eq(d->expected_pos[2].line, 20);
	ck_assert_int_eq(d->expected_pos[2].col, 5);
	ck_assert_int_eq(d->time_limit, 1200000);

	/* Checked against its runbook: all references hold. */
	rb = load_drilled();
	drill_check(dr, rb, &diag);
	assert_clean();

	/* Defaults: no scenario, no time limit. */
	ck_assert_int_eq(load(DHEAD), RB_FILE_DRILL);
	assert_clean();
	ck_assert_ptr_null(dr->scenario);
	ck_assert_int_eq(dr->time_limit, -1);
	ck_assert_uint_eq(dr->nexpected_path, 0);
}
END_TEST

START_TEST(test_drill_errors)
{
	static const struct bad_case cases[] = {
		{ "drill wrong state", DHEAD "initial: {api: sideways}\n",
		  5, 16, DIAG_ERROR, "state of 'api' must be up, down, "
		  "degraded or unknown" },
		{ "drill pending", DHEAD "events:\n"
		  "  - {at: 1m, system: api, state: pending}\n", 6, 34,
		  DIAG_ERROR, "'state' must be up, down, degraded or unknown, "
		  "not 'pending'" },
		{ "drill event without at", DHEAD "events:\n"
		  "  - {system: api, state: up}\n", 6, 5, DIAG_ERROR,
		  "missing required key 'at' in event" },
		{ "drill time_limit 0", DHEAD "time_limit: 0\n", 5, 13,
		  DIAG_ERROR, "'time_limit' must be more than 0" },
		{ "drill unknown key", DHEAD "scenari: a\n", 5, 1, DIAG_ERROR,
		  "unknown key 'scenari' in drill (did you mean 'scenario'?)" },
		{ "drill bad runbook slug", "format: rbnav-drill/v1\nid: d\n"
		  "title: D\nrunbook: Drilled\n", 4, 10, DIAG_ERROR,
		  "'runbook' must be a slug" },
		{ "drill missing runbook", "format: rbnav-drill/v1\nid: d\n"
		  "title: D\n", 1, 1, DIAG_ERROR,
		  "missing required key 'runbook' in drill" },
		{ "drill override exit 300", DHEAD "steps:\n  one: {exit: 300}\n",
		  6, 15, DIAG_ERROR, "'exit' must be 0 to 255" },
	};

	run_cases(cases, sizeof cases / sizeof cases[0]);
}
END_TEST

START_TEST(test_drill_check)
{
	ck_assert_int_eq(load(DHEAD
	    "initial: {api: down, ghost: up}\n"		/* 5 */
	    "events:\n"
	    "  - {at: 5m, system: nosuch, state: down}\n"	/* 7 */
	    "steps:\n"
	    "  a/one: {exit: 1, after: {phantom: up}}\n"	/* 9 */
	    "  nowhere: {output: y}\n"			/* 10 */
	    "  check: {exit: 0}\n"			/* 11 */
	    "expected_path:\n"
	    "  - a/one\n"				/* 13 */
	    "  - a/decide:Yes\n"			/* 14 */
	    "  - a/decide:Maybe\n"			/* 15 */
	    "  - a/one:Yes\n"				/* 16 */
	    "  - check\n"				/* 17 */
	    "  - b/nope\n"),				/* 18 */
	    RB_FILE_DRILL);
	assert_clean();		/* alone, the drill is well formed */
	rb = load_drilled();
	drill_check(dr, rb, &diag);
	assert_has(DIAG_ERROR, 5, 22, "unknown system 'ghost' in runbook "
	    "'drilled'");
	assert_has(DIAG_ERROR, 7, 5, "unknown system 'nosuch'");
	assert_has(DIAG_ERROR, 9, 28, "unknown system 'phantom'");
	assert_has(DIAG_ERROR, 10, 3, "step 'nowhere' does not exist in "
	    "runbook 'drilled'");
	assert_has(DIAG_ERROR, 11, 3, "step 'check' is in more than one "
	    "scenario: write scenario-id/check");
	assert_has(DIAG_ERROR, 15, 5, "step 'a/decide' has no choice "
	    "'Maybe'");
	assert_has(DIAG_ERROR, 16, 5, "step 'a/one' is not a decision: "
	    "drop ':Yes'");
	assert_has(DIAG_ERROR, 17, 5, "step 'check' is in more than one "
	    "scenario");
	assert_has(DIAG_ERROR, 18, 5, "step 'b/nope' does not exist");
	ck_assert_uint_eq(diag.nerrors, 9);
	ck_assert_str_eq(diag.items[0].file, "rb.yaml");
}
END_TEST

START_TEST(test_drill_scenario)
{
	const struct rb_scenario	*sc = NULL;
	struct runbook			*r = load_drilled();
	int				 step = -1;

	/* With a scenario, a bare ref is a step of that scenario. */
	ck_assert_int_eq(load(DHEAD "scenario: b\nexpected_path: [check, "
	    "one]\n"), RB_FILE_DRILL);
	ck_assert_int_eq(drill_resolve_ref(dr, r, "check", &sc, &step), 0);
	ck_assert_str_eq(sc->id, "b");
	ck_assert_int_eq(step, 0);
	ck_assert_int_eq(drill_resolve_ref(dr, r, "a/check", &sc, &step), 0);
	ck_assert_str_eq(sc->id, "a");
	ck_assert_int_eq(step, 2);
	ck_assert_int_eq(drill_resolve_ref(dr, r, "one", &sc, &step), -1);
	ck_assert_int_eq(drill_resolve_ref(dr, r, "a", &sc, &step), -1);
	drill_check(dr, r, &diag);
	ck_assert_uint_eq(diag.nerrors, 1);
	assert_has(DIAG_ERROR, 6, 24, "step 'one' does not exist");

	/* A scenario that is not there. */
	ck_assert_int_eq(load(DHEAD "scenario: zzz\n"), RB_FILE_DRILL);
	drill_check(dr, r, &diag);
	assert_has(DIAG_ERROR, 5, 11, "scenario 'zzz' does not exist in "
	    "runbook 'drilled'");

	/* Without one, a bare ref must be unique in the runbook. */
	ck_assert_int_eq(load(DHEAD), RB_FILE_DRILL);
	ck_assert_int_eq(drill_resolve_ref(dr, r, "one", &sc, &step), 0);
	ck_assert_str_eq(sc->id, "a");
	ck_assert_int_eq(drill_resolve_ref(dr, r, "check", &sc, &step), -2);
	runbook_free(r);
}
END_TEST

START_TEST(test_kind_of_file)
{
	struct runbook	*r;
	struct drill	*d;

	ck_assert_int_eq(load(DHEAD), RB_FILE_DRILL);
	ck_assert_ptr_nonnull(dr);
	ck_assert_ptr_null(rb);
	/* An unknown format is read as a runbook, and says so. */
	ck_assert_int_eq(load("format: something\n"), RB_FILE_RUNBOOK);
	assert_has(DIAG_ERROR, 1, 9, "format must be 'rbnav/v1'");
	ck_assert_int_eq(load("- a\n"), RB_FILE_UNKNOWN);
	ck_assert_int_eq(load("a: [\n"), RB_FILE_UNKNOWN);
	/* Loading from a file that is not there. */
	diag_free(&diag);
	ck_assert_int_eq(rbfile_load("/nonexistent/x.yaml", &opts, &diag, &r,
	    &d), RB_FILE_UNKNOWN);
	ck_assert_ptr_null(r);
	ck_assert_ptr_null(d);
	ck_assert_uint_eq(diag.nerrors, 1);
	ck_assert_str_eq(diag.items[0].file, "/nonexistent/x.yaml");
	ck_assert_int_eq(diag.items[0].line, 0);
	runbook_free(NULL);
	drill_free(NULL);
}
END_TEST

START_TEST(test_bundled_eriop)
{
	static const struct {
		const char	*id;
		int		 priority;
		int64_t		 rto;
	} systems[] = {
		{ "backend", 1, INT64_C(900000) },	/* 15m */
		{ "postgres", 2, INT64_C(1800000) },	/* 30m */
		{ "redis", 3, INT64_C(900000) },	/* 15m */
		{ "frontend", 4, INT64_C(1800000) },	/* 30m */
		{ "monitoring", 5, INT64_C(3600000) },	/* 1h */
	};
	size_t	i, procedures = 0;

	rb = runbook_load(TOP_SRCDIR "/runbooks/eriop-dr.yaml", &opts, &diag);
	assert_clean();
	ck_assert_ptr_nonnull(rb);
	ck_assert_str_eq(rb->id, "eriop-dr");
	ck_assert_uint_eq(rb->nscenarios, 9);
	ck_assert_uint_eq(rb->nsystems, 5);
	for (i = 0; i < 5; i++) {
		ck_assert_str_eq(rb->systems[i].id, systems[i].id);
		ck_assert_int_eq(rb->systems[i].priority,
		    systems[i].priority);
		ck_assert_int_eq(rb->systems[i].rto, systems[i].rto);
		ck_assert_int_ne(rb->systems[i].check.kind, RB_CHECK_NONE);
	}
	for (i = 0; i < rb->nscenarios; i++)
		procedures += rb->scenarios[i].kind == RB_KIND_PROCEDURE;
	ck_assert_uint_eq(procedures, 3);
	ck_assert_ptr_nonnull(runbook_scenario(rb, "infrastructure-failure"));
	ck_assert_uint_eq(rb->ncontacts, 3);
	ck_assert_uint_eq(rb->npost_incident, 5);
}
END_TEST

START_TEST(test_bundled_drills)
{
	static const char *const drills[] = { "eriop-bad-deploy",
	    "eriop-network-partition", "eriop-total-outage",
	    "eriop-wal-corruption" };
	struct drill	*d;
	char		 path[4096];
	size_t		 i;

	rb = runbook_load(TOP_SRCDIR "/runbooks/eriop-dr.yaml", &opts, &diag);
	ck_assert_ptr_nonnull(rb);
	for (i = 0; i < sizeof drills / sizeof drills[0]; i++) {
		snprintf(path, sizeof path, "%s/runbooks/drills/%s.yaml",
		    TOP_SRCDIR, drills[i]);
		d = drill_load(path, &diag);
		ck_assert_msg(d != NULL, "%s does not load", drills[i]);
		ck_assert_str_eq(d->runbook, "eriop-dr");
		drill_check(d, rb, &diag);
		drill_free(d);
	}
	assert_clean();
	/* A runbook is not a drill, and the other way round. */
	ck_assert_ptr_null(drill_load(TOP_SRCDIR "/runbooks/eriop-dr.yaml",
	    &diag));
	ck_assert_uint_eq(diag.nerrors, 1);
	ck_assert_ptr_null(runbook_load(TOP_SRCDIR
	    "/runbooks/drills/eriop-bad-deploy.yaml", &opts, &diag));
	ck_assert_uint_eq(diag.nerrors, 2);
}
END_TEST

int
main(void)
{
	Suite	*s = suite_create("runbook");
	TCase	*tc;
	SRunner	*sr;
	int	 failed;

	tc = tcase_create("model");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_minimal);
	tcase_add_test(tc, test_full_model);
	tcase_add_test(tc, test_sha256);
	tcase_add_test(tc, test_states);
	tcase_add_test(tc, test_kind_of_file);
	suite_add_tcase(s, tc);

	tc = tcase_create("problems");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_errors_top);
	tcase_add_test(tc, test_errors_system);
	tcase_add_test(tc, test_errors_scenario);
	tcase_add_test(tc, test_errors_step);
	tcase_add_test(tc, test_warnings);
	tcase_add_test(tc, test_every_problem);
	tcase_add_test(tc, test_duplicate_fields);
	tcase_add_test(tc, test_nonscalar_object_key);
	suite_add_tcase(s, tc);

	tc = tcase_create("resolve");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_resolve);
	tcase_add_test(tc, test_resolve_step_before_scenario);
	suite_add_tcase(s, tc);

	tc = tcase_create("destructive");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_destructive);
	tcase_add_test(tc, test_destructive_confirmed);
	suite_add_tcase(s, tc);

	tc = tcase_create("drill");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_drill_model);
	tcase_add_test(tc, test_drill_errors);
	tcase_add_test(tc, test_drill_check);
	tcase_add_test(tc, test_drill_scenario);
	suite_add_tcase(s, tc);

	tc = tcase_create("bundled");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_bundled_eriop);
	tcase_add_test(tc, test_bundled_drills);
	suite_add_tcase(s, tc);

	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return (failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE);
}
