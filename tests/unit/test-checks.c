/*
 * Unit tests of checks.c, the check scheduler, on a real event loop:
 * states and transitions, the history, drill mode (nothing runs, states
 * come from checks_simulate only), variables, pending, the deadline, a
 * check in flight never started twice, and checks_free killing what
 * runs.  Command checks stand in for every kind here: they need no
 * server (the kinds against real servers are in tests/integration).
 */

#include <sys/stat.h>
#include <sys/types.h>

#include <check.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <event2/event.h>

#include "checks.h"
#include "diag.h"
#include "job.h"
#include "runbook.h"

static struct event_base	*base;
static char			 dir[64];

struct seen {
	size_t		 n;
	size_t		 sys[64];
	enum rb_state	 from[64];
	enum rb_state	 to[64];
	char		 detail[64][128];
	int		 all_done;
	const char	*var;		/* the value of {{name}} */
};

static void
seen_changed(size_t sys, enum rb_state from, enum rb_state to,
    const char *detail, void *arg)
{
	struct seen	*s = arg;

	ck_assert_uint_lt(s->n, 64);
	s->sys[s->n] = sys;
	s->from[s->n] = from;
	s->to[s->n] = to;
	snprintf(s->detail[s->n], sizeof s->detail[0], "%s", detail);
	s->n++;
}

static const char *
seen_get(const char *name, void *arg)
{
	struct seen	*s = arg;

	return (strcmp(name, "name") == 0 ? s->var : NULL);
}

static void
seen_all_done(void *arg)
{
	struct seen	*s = arg;

	s->all_done++;
	event_base_loopexit(base, NULL);
}

/* A runbook with these systems (YAML, indented by 2). */
static struct runbook *
load(const char *systems)
{
	struct diag	 diag;
	struct runbook	*rb = NULL;
	struct drill	*d = NULL;
	char		*y;
	int		 n;

	n = asprintf(&y, "format: rbnav/v1\nid: t\ntitle: T\nsystems:\n%s"
	    "variables:\n  name:\n    prompt: Name\n"
	    "scenarios:\n  - id: s\n    title: S\n    steps:\n"
	    "      - title: Look\n", systems);
	ck_assert_int_gt(n, 0);
	diag_init(&diag);
	rbfile_load_buffer("t.yaml", y, strlen(y), NULL, &diag, &rb, &d);
	if (rb == NULL)
		diag_print(&diag, stderr);
	ck_assert_ptr_nonnull(rb);
	diag_free(&diag);
	free(y);
	return (rb);
}

static struct checks *
make(const struct runbook *rb, int flags, struct seen *s)
{
	struct checks_cb	cb;

	memset(&cb, 0, sizeof cb);
	cb.changed = seen_changed;
	cb.get = seen_get;
	cb.arg = s;
	return (checks_create(base, rb, flags, &cb));
}

static void
run_for(int ms)
{
	struct timeval	tv = { ms / 1000, (ms % 1000) * 1000 };

	event_base_loopexit(base, &tv);
	event_base_dispatch(base);
}

static int
lines(const char *path)
{
	FILE	*f;
	int	 n = 0, c;

	if ((f = fopen(path, "r")) == NULL)
		return (0);
	while ((c = fgetc(f)) != EOF)
		n += c == '\n';
	fclose(f);
	return (n);
}

/* Running: in /proc and not a zombie waiting for a reaper. */
static int
alive(pid_t pid)
{
	char	 path[64], buf[512], *p;
	FILE	*f;
	size_t	 n;

	snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
	if ((f = fopen(path, "r")) == NULL)
		return (0);
	n = fread(buf, 1, sizeof buf - 1, f);
	fclose(f);
	buf[n] = '\0';
	if ((p = strrchr(buf, ')')) == NULL || p[1] == '\0')
		return (0);
	return (p[2] != 'Z' && p[2] != 'X');
}

static void
setup(void)
{
	snprintf(dir, sizeof dir, "/tmp/rbnav-checks.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	base = event_base_new();
	job_init(base);
}

static void
teardown(void)
{
	char	cmd[128];

	job_shutdown();
	event_base_free(base);
	snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
	ck_assert_int_eq(system(cmd), 0);
}

START_TEST(test_initial)
{
	struct runbook			*rb;
	struct checks			*c;
	struct seen			 s;
	const struct check_status	*st;

	memset(&s, 0, sizeof s);
	rb = load("  - id: a\n    name: A\n    priority: 1\n"
	    "    check:\n      tcp: 127.0.0.1:1\n"
	    "  - id: b\n    name: B\n    priority: 2\n");
	c = make(rb, 0, &s);
	st = checks_status(c, 0);
	ck_assert_int_eq(st->state, RB_STATE_UNKNOWN);
	ck_assert_int_eq(st->latency, -1);
	ck_assert_int_eq(st->at, -1);
	ck_assert_uint_eq(st->nhist, 0);
	ck_assert_int_eq(st->in_flight, 0);
	st = checks_status(c, 1);
	ck_assert_int_eq(st->state, RB_STATE_UNKNOWN);
	ck_assert_str_eq(st->detail, "no check");
	ck_assert_ptr_null(checks_status(c, 2));
	checks_free(c);
	checks_free(NULL);
	runbook_free(rb);
}
END_TEST

/* In a drill nothing runs; checks_simulate sets states, once each. */
START_TEST(test_drill)
{
	struct runbook			*rb;
	struct checks			*c;
	struct seen			 s;
	const struct check_status	*st;
	char				*sys, path[128];
	int				 i;

	memset(&s, 0, sizeof s);
	snprintf(path, sizeof path, "%s/ran", dir);
	if (asprintf(&sys, "  - id: a\n    name: A\n    priority: 1\n"
	    "    check:\n      command: touch %s\n      interval: 1s\n",
	    path) < 0)
		ck_abort();
	rb = load(sys);
	free(sys);
	c = make(rb, CHECKS_DRILL, &s);
	checks_start(c);
	checks_once(c, seen_all_done, &s);
	checks_now(c, 0);
	run_for(1500);
	ck_assert_int_eq(s.all_done, 1);
	ck_assert_msg(access(path, F_OK) != 0, "a drill ran the command");
	st = checks_status(c, 0);
	ck_assert_int_eq(st->state, RB_STATE_UNKNOWN);
	ck_assert_int_eq(st->in_flight, 0);
	ck_assert_uint_eq(s.n, 0);

	checks_simulate(c, 0, RB_STATE_DOWN, "drill start");
	ck_assert_uint_eq(s.n, 1);
	ck_assert_int_eq(s.from[0], RB_STATE_UNKNOWN);
	ck_assert_int_eq(s.to[0], RB_STATE_DOWN);
	ck_assert_str_eq(s.detail[0], "drill start");
	checks_simulate(c, 0, RB_STATE_DOWN, "again");
	ck_assert_uint_eq(s.n, 1);	/* no callback for a repeat */
	ck_assert_str_eq(st->detail, "again");
	checks_simulate(c, 0, RB_STATE_UP, NULL);
	ck_assert_uint_eq(s.n, 2);
	ck_assert_int_eq(s.from[1], RB_STATE_DOWN);
	ck_assert_int_eq(s.to[1], RB_STATE_UP);
	ck_assert_int_ge(st->at, 0);
	ck_assert_uint_eq(st->nhist, 3);
	checks_simulate(c, 5, RB_STATE_UP, NULL);	/* no such system */

	/* The history keeps the last 16, oldest first. */
	for (i = 0; i < 20; i++)
		checks_simulate(c, 0, i % 2 ? RB_STATE_UP : RB_STATE_DEGRADED,
		    NULL);
	ck_assert_uint_eq(st->nhist, CHECKS_HISTORY);
	ck_assert_int_eq(st->hist_state[0], RB_STATE_DEGRADED);
	ck_assert_int_eq(st->hist_state[CHECKS_HISTORY - 1], RB_STATE_UP);
	run_for(100);
	ck_assert_msg(access(path, F_OK) != 0, "a drill ran the command");
	checks_free(c);
	runbook_free(rb);
}
END_TEST

/* Live, checks_simulate is ignored: fake states never mix with real. */
START_TEST(test_simulate_live)
{
	struct runbook	*rb;
	struct checks	*c;
	struct seen	 s;

	memset(&s, 0, sizeof s);
	rb = load("  - id: a\n    name: A\n    priority: 1\n"
	    "    check:\n      command: 'true'\n");
	c = make(rb, 0, &s);
	checks_simulate(c, 0, RB_STATE_UP, "fake");
	ck_assert_int_eq(checks_status(c, 0)->state, RB_STATE_UNKNOWN);
	ck_assert_uint_eq(s.n, 0);
	checks_free(c);
	runbook_free(rb);
}
END_TEST

START_TEST(test_once)
{
	struct runbook			*rb;
	struct checks			*c;
	struct seen			 s;
	const struct check_status	*st;

	memset(&s, 0, sizeof s);
	rb = load("  - id: ok\n    name: OK\n    priority: 1\n"
	    "    check:\n      command: echo fine\n      expect: fine\n"
	    "  - id: bad\n    name: Bad\n    priority: 2\n"
	    "    check:\n      command: echo no; exit 4\n"
	    "  - id: odd\n    name: Odd\n    priority: 3\n"
	    "    check:\n      command: echo something\n      expect: fine\n"
	    "  - id: var\n    name: Var\n    priority: 4\n"
	    "    check:\n      command: echo {{name}}\n"
	    "  - id: none\n    name: None\n    priority: 5\n"
	    "  - id: slow\n    name: Slow\n    priority: 6\n"
	    "    check:\n      command: sleep 0.6\n");
	c = make(rb, 0, &s);
	checks_once(c, seen_all_done, &s);
	/* Started from the loop, not here. */
	ck_assert_int_eq(checks_status(c, 5)->in_flight, 0);
	ck_assert_int_eq(checks_status(c, 5)->state, RB_STATE_UNKNOWN);
	run_for(300);
	/* Started: pending until the first result. */
	st = checks_status(c, 5);
	ck_assert_int_eq(st->state, RB_STATE_PENDING);
	ck_assert_int_eq(st->in_flight, 1);
	ck_assert_int_ge(st->started, 0);
	/* A missing value: unknown, without running anything. */
	st = checks_status(c, 3);
	ck_assert_int_eq(st->state, RB_STATE_UNKNOWN);
	ck_assert_str_eq(st->detail, "needs {{name}}");
	ck_assert_int_eq(st->in_flight, 0);
	run_for(5000);
	ck_assert_int_eq(s.all_done, 1);
	ck_assert_int_eq(checks_status(c, 5)->state, RB_STATE_UP);

	st = checks_status(c, 0);
	ck_assert_int_eq(st->state, RB_STATE_UP);
	ck_assert_str_eq(st->detail, "exit 0: fine");
	ck_assert_int_ge(st->latency, 0);
	ck_assert_int_ge(st->at, 0);
	ck_assert_uint_eq(st->nhist, 1);
	ck_assert_int_eq(st->hist_state[0], RB_STATE_UP);
	st = checks_status(c, 1);
	ck_assert_int_eq(st->state, RB_STATE_DOWN);
	ck_assert_str_eq(st->detail, "exit 4: no");
	st = checks_status(c, 2);
	ck_assert_int_eq(st->state, RB_STATE_DEGRADED);
	ck_assert_str_eq(st->detail, "exit 0, output does not match /fine/");
	st = checks_status(c, 4);
	ck_assert_int_eq(st->state, RB_STATE_UNKNOWN);
	ck_assert_str_eq(st->detail, "no check");

	/* unknown -> pending -> result for four; "needs" is no change. */
	ck_assert_uint_eq(s.n, 8);

	/* With the value: shell-quoted, one argument. */
	s.var = "a b; exit 9";
	s.all_done = 0;
	checks_once(c, seen_all_done, &s);
	run_for(5000);
	ck_assert_int_eq(s.all_done, 1);
	st = checks_status(c, 3);
	ck_assert_int_eq(st->state, RB_STATE_UP);
	ck_assert_str_eq(st->detail, "exit 0: a b; exit 9");
	checks_free(c);
	runbook_free(rb);
}
END_TEST

/* The deadline ends a check that hangs, and its process group dies. */
START_TEST(test_timeout)
{
	struct runbook			*rb;
	struct checks			*c;
	struct seen			 s;
	const struct check_status	*st;
	char				*sys, path[128], buf[32];
	FILE				*f;
	int64_t				 t0, ms;
	pid_t				 pid = 0;

	memset(&s, 0, sizeof s);
	snprintf(path, sizeof path, "%s/pid", dir);
	if (asprintf(&sys, "  - id: a\n    name: A\n    priority: 1\n"
	    "    check:\n      command: trap '' TERM; sleep 30 & echo $! > %s;"
	    " wait\n      timeout: 1s\n", path) < 0)
		ck_abort();
	rb = load(sys);
	free(sys);
	c = make(rb, 0, &s);
	t0 = checks_time();
	checks_once(c, seen_all_done, &s);
	run_for(5000);
	ms = checks_time() - t0;
	ck_assert_int_eq(s.all_done, 1);
	ck_assert_msg(ms >= 950 && ms <= 1100, "ended after %lld ms",
	    (long long)ms);
	st = checks_status(c, 0);
	ck_assert_int_eq(st->state, RB_STATE_DOWN);
	ck_assert_str_eq(st->detail, "timed out after 1s");
	ck_assert_int_ge(st->latency, 950);
	run_for(200);
	f = fopen(path, "r");
	ck_assert_ptr_nonnull(f);
	if (fgets(buf, sizeof buf, f) != NULL)
		pid = atoi(buf);
	fclose(f);
	ck_assert_int_gt(pid, 0);
	ck_assert_msg(!alive(pid), "the command's group survived");
	checks_free(c);
	runbook_free(rb);
}
END_TEST

/* A check in flight is never started twice. */
START_TEST(test_in_flight)
{
	struct runbook	*rb;
	struct checks	*c;
	struct seen	 s;
	char		*sys, path[128];
	int		 i;

	memset(&s, 0, sizeof s);
	snprintf(path, sizeof path, "%s/starts", dir);
	if (asprintf(&sys, "  - id: a\n    name: A\n    priority: 1\n"
	    "    check:\n      command: echo x >> %s; sleep 0.6\n"
	    "      interval: 1s\n      timeout: 5s\n", path) < 0)
		ck_abort();
	rb = load(sys);
	free(sys);
	c = make(rb, 0, &s);
	checks_start(c);
	for (i = 0; i < 5; i++)
		checks_now(c, 0);
	checks_once(c, NULL, NULL);
	run_for(300);
	for (i = 0; i < 5; i++)
		checks_now(c, 0);
	run_for(1500);
	/* Started at 0 and at 1 s: twice, whatever was asked between. */
	ck_assert_int_eq(lines(path), 2);
	checks_free(c);
	runbook_free(rb);
}
END_TEST

/* checks_free in flight: the command's whole group is killed at once. */
START_TEST(test_free_kills)
{
	struct runbook	*rb;
	struct checks	*c;
	struct seen	 s;
	char		*sys, path[128], buf[32];
	FILE		*f;
	pid_t		 pid = 0;

	memset(&s, 0, sizeof s);
	snprintf(path, sizeof path, "%s/pid", dir);
	if (asprintf(&sys, "  - id: a\n    name: A\n    priority: 1\n"
	    "    check:\n      command: sleep 30 & echo $! > %s; wait\n"
	    "      timeout: 20s\n", path) < 0)
		ck_abort();
	rb = load(sys);
	free(sys);
	c = make(rb, 0, &s);
	checks_once(c, NULL, NULL);
	run_for(300);
	f = fopen(path, "r");
	ck_assert_ptr_nonnull(f);
	if (fgets(buf, sizeof buf, f) != NULL)
		pid = atoi(buf);
	fclose(f);
	ck_assert_int_gt(pid, 0);
	checks_free(c);
	run_for(200);
	ck_assert_msg(!alive(pid), "the command survived checks_free");
	runbook_free(rb);
}
END_TEST

/* Left out: never started, by checks_once or checks_start. */
START_TEST(test_enable)
{
	struct runbook	*rb;
	struct checks	*c;
	struct seen	 s;

	memset(&s, 0, sizeof s);
	rb = load("  - id: a\n    name: A\n    priority: 1\n"
	    "    check:\n      command: 'true'\n"
	    "  - id: b\n    name: B\n    priority: 2\n"
	    "    check:\n      command: 'true'\n");
	c = make(rb, 0, &s);
	checks_enable(c, 1, 0);
	checks_once(c, seen_all_done, &s);
	run_for(5000);
	ck_assert_int_eq(s.all_done, 1);
	ck_assert_int_eq(checks_status(c, 0)->state, RB_STATE_UP);
	ck_assert_int_eq(checks_status(c, 1)->state, RB_STATE_UNKNOWN);
	ck_assert_str_eq(checks_status(c, 1)->detail, "not selected");
	checks_free(c);
	runbook_free(rb);
}
END_TEST

static Suite *
checks_suite(void)
{
	Suite	*s = suite_create("checks");
	TCase	*tc = tcase_create("scheduler");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_initial);
	tcase_add_test(tc, test_drill);
	tcase_add_test(tc, test_simulate_live);
	tcase_add_test(tc, test_once);
	tcase_add_test(tc, test_timeout);
	tcase_add_test(tc, test_in_flight);
	tcase_add_test(tc, test_free_kills);
	tcase_add_test(tc, test_enable);
	suite_add_tcase(s, tc);
	return (s);
}

int
main(void)
{
	SRunner	*sr = srunner_create(checks_suite());
	int	 failed;

	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return (failed == 0 ? 0 : 1);
}
