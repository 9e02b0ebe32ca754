/*
 * The shared timeline (shared.c) and webhooks (webhook.c) on a real event
 * loop, with a 10 ms ticker beside them to measure stalls, for the
 * integration tests and the benchmark.  Two writers are two struct shared
 * in this process, each its own connection and origin, like two operators.
 *
 *   shared-driver schema
 *   shared-driver open CONNINFO INCIDENT [end]
 *   shared-driver down CONNINFO INCIDENT
 *   shared-driver two CONNINFO_A CONNINFO_B INCIDENT N
 *   shared-driver outage CONNINFO INCIDENT N      (stdin/stdout: stop, start)
 *   shared-driver pen CONNINFO INCIDENT
 *   shared-driver incidents CONNINFO
 *   shared-driver events CONNINFO INCIDENT
 *   shared-driver webhooks GOOD_URL FILTERED_URL HANG_URL FAIL_URL SECRET
 *   shared-driver bench CONNINFO INCIDENT N RATE
 *
 * Prints key=value lines for the shell tests to judge; stall_max_ms is
 * the longest gap between two ticks, minus the 10 ms period.
 */

#include <sys/types.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <event2/event.h>
#include <jansson.h>
#include <libpq-fe.h>

/* Not "config.h": a stale generated one may sit at the top. */
#include "../../src/config.h"
#include "journal.h"
#include "redact.h"
#include "shared.h"
#include "webhook.h"
#include "xmalloc.h"

struct writer {
	const char	*name;
	const char	*op;
	char		*origin;
	struct shared	*s;
	int64_t		 seq;
	char		 prev[65];
	int64_t		 t0;
	char		**lines;	/* sent, by seq - 1 */
	int64_t		*lat_us;	/* delays of received events */
	size_t		 nlat;
	size_t		 nrecv;
	int64_t		 last_other;	/* highest seq received */
	int		 disorder;	/* a seq out of order or twice */
	int		 nchanged;
};

static struct event_base	*base;
static int64_t			 last_tick = -1;
static int64_t			 stall_max;
static char			*ctl_line;	/* the last line on stdin */

static int64_t
now_us(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000);
}

static int64_t
wall_ms(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return ((int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000);
}

static void
tick_cb(evutil_socket_t fd, short what, void *arg)
{
	int64_t	now = now_us() / 1000;

	(void)fd;
	(void)what;
	(void)arg;
	if (last_tick >= 0 && now - last_tick - 10 > stall_max)
		stall_max = now - last_tick - 10;
	last_tick = now;
}

static struct event *
ticker_start(void)
{
	struct event	*ev;
	struct timeval	 tv = { 0, 10000 };

	ev = event_new(base, -1, EV_PERSIST, tick_cb, NULL);
	event_add(ev, &tv);
	return (ev);
}

/* Run the loop for ms, or until cond(arg) (checked every pass). */
static int
pump(int64_t ms, int (*cond)(void *), void *arg)
{
	int64_t	end = now_us() + ms * 1000;

	while (now_us() < end) {
		if (cond != NULL && cond(arg))
			return (1);
		event_base_loop(base, EVLOOP_ONCE);
	}
	return (cond != NULL ? cond(arg) : 1);
}

static void
writer_event(const json_t *ev, const char *origin, void *arg)
{
	struct writer	*w = arg;
	int64_t		 seq, sent;

	(void)origin;
	seq = json_integer_value(json_object_get(ev, "seq"));
	sent = json_integer_value(json_object_get(ev, "mono_us"));
	if (seq != w->last_other + 1)
		w->disorder++;
	if (seq > w->last_other)
		w->last_other = seq;
	w->nrecv++;
	if (sent > 0) {
		w->lat_us = xreallocarray(w->lat_us, w->nlat + 1,
		    sizeof *w->lat_us);
		w->lat_us[w->nlat++] = now_us() - sent;
	}
}

static void
writer_changed(void *arg)
{
	struct writer	*w = arg;

	w->nchanged++;
}

/* A journal line as journal.c writes it, with mono_us for the delay. */
static char *
writer_line(struct writer *w, const char *type, json_t *own)
{
	json_t	*ev;
	char	*ts, *line;

	ts = journal_timestamp(wall_ms());
	ev = json_object();
	json_object_set_new(ev, "v", json_integer(1));
	json_object_set_new(ev, "seq", json_integer(w->seq + 1));
	json_object_set_new(ev, "ts", json_string(ts));
	json_object_set_new(ev, "t", json_integer(now_us() / 1000 - w->t0));
	json_object_set_new(ev, "op", json_string(w->op));
	json_object_set_new(ev, "type", json_string(type));
	json_object_set_new(ev, "prev", json_string(w->prev));
	free(ts);
	if (own != NULL) {
		json_object_update(ev, own);
		json_decref(own);
	}
	json_object_set_new(ev, "mono_us", json_integer(now_us()));
	line = json_dumps(ev, JSON_COMPACT);
	json_decref(ev);
	journal_sha256_hex(line, strlen(line), w->prev);
	w->seq++;
	w->lines = xreallocarray(w->lines, w->seq, sizeof *w->lines);
	w->lines[w->seq - 1] = line;
	return (line);
}

static void
writer_send(struct writer *w, const char *type, json_t *own)
{
	char	*line = writer_line(w, type, own);

	shared_send(w->s, w->seq, line, strlen(line));
}

/* Open writer w on incident; with start, it starts the incident. */
static void
writer_open(struct writer *w, const char *name, const char *op,
    const char *conninfo, const char *incident, int start)
{
	struct shared_options	 o;
	struct shared_cb	 cb = { writer_event, writer_changed, w };
	json_t			*st = NULL;
	char			*line;

	memset(w, 0, sizeof *w);
	w->name = name;
	w->op = op;
	w->origin = xprintf("%s@test:%ld-%lld", op, (long)getpid(),
	    (long long)now_us());
	memset(w->prev, '0', 64);
	w->t0 = now_us() / 1000;
	memset(&o, 0, sizeof o);
	o.conninfo = conninfo;
	o.incident = incident;
	o.origin = w->origin;
	o.op = op;
	if (start) {
		line = writer_line(w, "incident.start", json_pack(
		    "{s:s, s:s, s:s, s:s, s:s, s:s}", "incident", incident,
		    "mode", "live", "runbook", "eriop-dr", "scenario",
		    "db-failover", "title", "Database failover", "host",
		    "test"));
		st = json_loads(line, 0, NULL);
		o.start = st;
	}
	w->s = shared_open(base, &o, &cb);
	json_decref(st);
	if (start)
		shared_send(w->s, 1, w->lines[0], strlen(w->lines[0]));
}

static int
cond_settled(void *arg)
{
	return (shared_settled(arg));
}

/* Leave as rbnav does on the way out: settle (2 s at most), free. */
static void
writer_close(struct writer *w)
{
	int64_t	i;

	if (w->s != NULL) {
		shared_leave(w->s);
		pump(2000, cond_settled, w->s);
		shared_free(w->s);
	}
	w->s = NULL;
	for (i = 0; i < w->seq; i++)
		free(w->lines[i]);
	free(w->lines);
	free(w->lat_us);
	free(w->origin);
}

static int
cond_connected(void *arg)
{
	struct writer	**ws = arg;
	size_t		  i;

	for (i = 0; ws[i] != NULL; i++) {
		if (!shared_connected(ws[i]->s))
			return (0);
	}
	return (1);
}

static int
cond_drained(void *arg)
{
	struct writer	**ws = arg;
	size_t		  i;

	for (i = 0; ws[i] != NULL; i++) {
		if (shared_backlog(ws[i]->s) != 0)
			return (0);
	}
	return (1);
}

struct want_recv {
	struct writer	*a, *b;
	size_t		 na, nb;	/* a must receive na, b nb */
};

static int
cond_received(void *arg)
{
	struct want_recv	*r = arg;

	return (r->a->nrecv >= r->na && r->b->nrecv >= r->nb &&
	    shared_backlog(r->a->s) == 0 && shared_backlog(r->b->s) == 0);
}

static int
cmp_i64(const void *a, const void *b)
{
	int64_t	x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x < y ? -1 : x > y);
}

/* Delay percentiles of both writers' received events, in ms. */
static void
print_latency(const char *prefix, struct writer *a, struct writer *b)
{
	int64_t	*all;
	size_t	 n = a->nlat + b->nlat;

	if (n == 0) {
		printf("%s_n=0\n", prefix);
		return;
	}
	all = xcalloc(n, sizeof *all);
	memcpy(all, a->lat_us, a->nlat * sizeof *all);
	memcpy(all + a->nlat, b->lat_us, b->nlat * sizeof *all);
	qsort(all, n, sizeof *all, cmp_i64);
	printf("%s_n=%zu\n", prefix, n);
	printf("%s_p50_ms=%.1f\n", prefix, all[n / 2] / 1000.0);
	printf("%s_p99_ms=%.1f\n", prefix, all[(n * 99) / 100 >= n ? n - 1 :
	    (n * 99) / 100] / 1000.0);
	printf("%s_max_ms=%.1f\n", prefix, all[n - 1] / 1000.0);
	free(all);
}

static int
cmd_schema(void)
{
	fputs(shared_schema(), stdout);
	return (0);
}

/* Connect once (creating or checking the schema), send one event. */
static int
cmd_open(const char *conninfo, const char *incident, int end)
{
	struct writer	 a, *ws[] = { &a, NULL };
	int		 ok;

	writer_open(&a, "a", "alice", conninfo, incident, 1);
	ok = pump(15000, cond_connected, ws);
	printf("connected=%d\n", ok);
	if (!ok)
		printf("error=%s\n", shared_error(a.s) ? shared_error(a.s) :
		    "");
	writer_send(&a, "note", json_pack("{s:s}", "text", "hello"));
	if (end)
		writer_send(&a, "incident.end", json_pack("{s:s, s:s}",
		    "outcome", "resolved", "summary", "fixed"));
	printf("drained=%d\n", pump(15000, cond_drained, ws));
	writer_close(&a);
	return (ok ? 0 : 1);
}

/* No database there: the events wait, the error is there to show. */
static int
cmd_down(const char *conninfo, const char *incident)
{
	struct writer	a;
	int		i;

	writer_open(&a, "a", "alice", conninfo, incident, 1);
	for (i = 0; i < 5; i++) {
		writer_send(&a, "note", json_pack("{s:s}", "text", "lost?"));
		pump(400, NULL, NULL);
	}
	printf("connected=%d\n", shared_connected(a.s));
	printf("backlog=%zu\n", shared_backlog(a.s));
	printf("error=%s\n", shared_error(a.s) ? shared_error(a.s) : "");
	printf("settled=%d\n", shared_settled(a.s));
	printf("stall_max_ms=%lld\n", (long long)stall_max);
	shared_free(a.s);
	a.s = NULL;
	writer_close(&a);
	return (0);
}

/* Two writers on one incident: live delivery, each event once, replay. */
static int
cmd_two(const char *ca, const char *cb, const char *incident, long n)
{
	struct writer		 a, b, *ws[] = { &a, &b, NULL };
	struct want_recv	 r;
	long			 i;
	int			 ok;

	writer_open(&a, "a", "alice", ca, incident, 1);
	writer_open(&b, "b", "bob", cb, incident, 0);
	ok = pump(15000, cond_connected, ws);
	printf("connected=%d\n", ok);
	/* b receives a's incident.start too. */
	for (i = 0; i < n; i++) {
		writer_send(&a, "note", json_pack("{s:s}", "text", "from a"));
		writer_send(&b, "note", json_pack("{s:s}", "text", "from b"));
		pump(20, NULL, NULL);
	}
	r.a = &a;
	r.b = &b;
	r.na = n;
	r.nb = n + 1;
	printf("received_all=%d\n", pump(30000, cond_received, &r));
	printf("a_received=%zu\nb_received=%zu\n", a.nrecv, b.nrecv);
	printf("a_disorder=%d\nb_disorder=%d\n", a.disorder, b.disorder);
	print_latency("delay", &a, &b);

	/* Replay a's first five lines: stored once, not delivered again. */
	for (i = 0; i < 5 && i < a.seq; i++)
		shared_send(a.s, i + 1, a.lines[i], strlen(a.lines[i]));
	pump(15000, cond_drained, ws);
	pump(500, NULL, NULL);
	printf("replay_backlog=%zu\n", shared_backlog(a.s));
	printf("b_received_after_replay=%zu\n", b.nrecv);
	printf("a_seq=%lld\nb_seq=%lld\n", (long long)a.seq,
	    (long long)b.seq);
	printf("a_origin=%s\nb_origin=%s\n", a.origin, b.origin);
	printf("stall_max_ms=%lld\n", (long long)stall_max);
	writer_close(&a);
	writer_close(&b);
	return (0);
}

static void
ctl_read_cb(evutil_socket_t fd, short what, void *arg)
{
	char	buf[256];
	ssize_t	n;

	(void)what;
	(void)arg;
	n = read(fd, buf, sizeof buf - 1);
	if (n <= 0)
		return;
	while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == '\r'))
		n--;
	buf[n] = '\0';
	free(ctl_line);
	ctl_line = xstrdup(buf);
}

static int
cond_ctl(const char *want)
{
	return (ctl_line != NULL && strcmp(ctl_line, want) == 0);
}

/* Ask the shell for something (stop, start) and keep the loop going. */
static int
ctl_ask(const char *what, const char *answer, struct writer *a,
    struct writer *b, long *sent, long n)
{
	int64_t	end = now_us() + 60000000;

	free(ctl_line);
	ctl_line = NULL;
	printf("%s\n", what);
	fflush(stdout);
	/* Writers keep writing all along, every 20 ms. */
	while (!cond_ctl(answer) && now_us() < end) {
		if (*sent < n) {
			writer_send(a, "note", json_pack("{s:s}", "text", "a"));
			writer_send(b, "note", json_pack("{s:s}", "text", "b"));
			(*sent)++;
		}
		pump(20, NULL, NULL);
	}
	return (cond_ctl(answer));
}

/* The database stopped and started again mid-incident. */
static int
cmd_outage(const char *conninfo, const char *incident, long n)
{
	struct writer		 a, b, *ws[] = { &a, &b, NULL };
	struct want_recv	 r;
	struct event		*ev;
	long			 sent = 0, i;
	size_t			 backlog_down = 0;
	int			 down_seen = 0;
	char			*err = NULL;

	setvbuf(stdout, NULL, _IOLBF, 0);
	fcntl(0, F_SETFL, fcntl(0, F_GETFL) | O_NONBLOCK);
	ev = event_new(base, 0, EV_READ | EV_PERSIST, ctl_read_cb, NULL);
	event_add(ev, NULL);
	writer_open(&a, "a", "alice", conninfo, incident, 1);
	writer_open(&b, "b", "bob", conninfo, incident, 0);
	printf("connected=%d\n", pump(15000, cond_connected, ws));
	for (i = 0; i < n / 3; i++, sent++) {
		writer_send(&a, "note", json_pack("{s:s}", "text", "a"));
		writer_send(&b, "note", json_pack("{s:s}", "text", "b"));
		pump(20, NULL, NULL);
	}
	stall_max = 0;
	printf("stopped=%d\n", ctl_ask("stop", "stopped", &a, &b, &sent, n));
	/* Down: keep writing for 2 s, watching the backlog. */
	for (i = 0; i < 100; i++) {
		if (sent < n) {
			writer_send(&a, "note", json_pack("{s:s}", "text",
			    "a"));
			writer_send(&b, "note", json_pack("{s:s}", "text",
			    "b"));
			sent++;
		}
		pump(20, NULL, NULL);
		if (!shared_connected(a.s) && !shared_connected(b.s))
			down_seen = 1;
		if (shared_backlog(a.s) > backlog_down)
			backlog_down = shared_backlog(a.s);
		if (err == NULL && shared_error(a.s) != NULL)
			err = xstrdup(shared_error(a.s));
	}
	printf("down_seen=%d\n", down_seen);
	printf("backlog_while_down=%zu\n", backlog_down);
	printf("error_while_down=%s\n", err != NULL ? err : "");
	printf("started=%d\n", ctl_ask("start", "started", &a, &b, &sent, n));
	while (sent < n) {
		writer_send(&a, "note", json_pack("{s:s}", "text", "a"));
		writer_send(&b, "note", json_pack("{s:s}", "text", "b"));
		sent++;
		pump(20, NULL, NULL);
	}
	r.a = &a;
	r.b = &b;
	r.na = b.seq;		/* a receives all of b's */
	r.nb = a.seq;		/* b receives all of a's, start included */
	printf("received_all=%d\n", pump(60000, cond_received, &r));
	printf("a_backlog=%zu\nb_backlog=%zu\n", shared_backlog(a.s),
	    shared_backlog(b.s));
	printf("a_received=%zu\nb_received=%zu\n", a.nrecv, b.nrecv);
	printf("a_disorder=%d\nb_disorder=%d\n", a.disorder, b.disorder);
	printf("a_seq=%lld\nb_seq=%lld\n", (long long)a.seq,
	    (long long)b.seq);
	printf("a_origin=%s\nb_origin=%s\n", a.origin, b.origin);
	printf("reconnected=%d\n", shared_connected(a.s) &&
	    shared_connected(b.s));
	printf("stall_max_ms=%lld\n", (long long)stall_max);
	free(err);
	event_free(ev);
	writer_close(&a);
	writer_close(&b);
	return (0);
}

struct pen_want {
	struct writer	*w;
	const char	*holder;	/* NULL: nobody */
	int		 mine;
};

static int
cond_pen(void *arg)
{
	struct pen_want	*p = arg;
	const char	*h = shared_pen_holder(p->w->s, NULL);

	if (p->mine != -1 && shared_pen_mine(p->w->s) != p->mine)
		return (0);
	if (p->holder == NULL)
		return (h == NULL);
	return (h != NULL && strcmp(h, p->holder) == 0);
}

static int
pen_wait(struct writer *w, const char *holder, int mine)
{
	struct pen_want	p = { w, holder, mine };

	return (pump(5000, cond_pen, &p));
}

static int
cond_changed(void *arg)
{
	struct writer	*w = arg;

	return (w->nchanged > 0);
}

/* Take the pen and wait for the answer (changed). */
static int
pen_take(struct writer *w, int flags)
{
	w->nchanged = 0;
	if (shared_pen_take(w->s, flags) != 0)
		return (0);
	return (pump(5000, cond_changed, w));
}

static void
pen_show(const char *key, struct writer *w)
{
	const char	*h;
	int64_t		 age;

	h = shared_pen_holder(w->s, &age);
	printf("%s=%s mine=%d\n", key, h != NULL ? h : "-",
	    shared_pen_mine(w->s));
}

/* Who holds the pen: take, hand over, refuse, stale, force, release. */
static int
cmd_pen(const char *conninfo, const char *incident)
{
	struct writer	 a, b, *ws[] = { &a, &b, NULL }, *wa[] = { &a, NULL };
	PGconn		*conn;
	PGresult	*res;
	const char	*p[1] = { incident };
	int64_t		 t0;
	int		 i;

	writer_open(&a, "a", "alice", conninfo, incident, 1);
	pump(15000, cond_connected, wa);	/* a first: its row */
	writer_open(&b, "b", "bob", conninfo, incident, 0);
	printf("connected=%d\n", pump(15000, cond_connected, ws));

	/* The starter holds the pen; bob sees it. */
	pen_wait(&a, "alice", 1);
	pen_wait(&b, "alice", 0);
	pen_show("start_a", &a);
	pen_show("start_b", &b);

	/* bob is refused while alice is fresh. */
	printf("take_b_answered=%d\n", pen_take(&b, 0));
	pen_show("refused_b", &b);

	/* alice hands over to bob: bob's rbnav claims it. */
	t0 = now_us();
	shared_pen_give(a.s, "bob");
	printf("handover=%d\n", pen_wait(&b, "bob", 1) &&
	    pen_wait(&a, "bob", 0));
	printf("handover_ms=%lld\n", (long long)(now_us() - t0) / 1000);
	pen_show("handed_a", &a);
	pen_show("handed_b", &b);

	/* alice is refused now. */
	printf("take_a_answered=%d\n", pen_take(&a, 0));
	pen_show("refused_a", &a);

	/* bob goes stale (no heartbeat for 61 s): alice takes over. */
	if ((conn = PQconnectdb(conninfo)) == NULL ||
	    PQstatus(conn) != CONNECTION_OK) {
		printf("sql=failed\n");
		return (1);
	}
	/*
	 * bob's own heartbeat (every 10 s) may land between the update and
	 * alice's take on a slow machine: then it is not stale any more, and
	 * the update is made again, at most three times.
	 */
	for (i = 0; i < 3; i++) {
		res = PQexecParams(conn, "UPDATE rbnav_incidents SET "
		    "pen_heartbeat = now() - interval '61 s' WHERE id = $1",
		    1, NULL, p, NULL, NULL, 0);
		if (i == 0)
			printf("stale_rows=%s\n", PQcmdTuples(res));
		PQclear(res);
		pen_take(&a, 0);
		if (shared_pen_mine(a.s))
			break;
	}
	printf("take_a_answered=%d\n", 1);
	pen_show("stale_a", &a);
	printf("stale_b_sees=%d\n", pen_wait(&b, "alice", 0));
	pen_show("stale_b", &b);

	/* bob forces it back. */
	printf("force_b_answered=%d\n", pen_take(&b, SHARED_PEN_FORCE));
	pen_show("force_b", &b);
	printf("force_a_sees=%d\n", pen_wait(&a, "bob", 0));

	/* bob quits: the pen is put down, alice sees nobody holds it. */
	writer_close(&b);
	printf("release_a_sees=%d\n", pen_wait(&a, NULL, 0));
	pen_show("released_a", &a);

	res = PQexecParams(conn, "SELECT coalesce(pen_holder, '-') FROM "
	    "rbnav_incidents WHERE id = $1", 1, NULL, p, NULL, NULL, 0);
	printf("db_holder=%s\n", PQntuples(res) == 1 ? PQgetvalue(res, 0, 0) :
	    "?");
	PQclear(res);
	PQfinish(conn);
	writer_close(&a);
	return (0);
}

static int
cmd_incidents(const char *conninfo)
{
	json_t	*a;
	char	*cause = NULL;

	if ((a = shared_fetch_incidents(conninfo, &cause)) == NULL) {
		printf("error=%s\n", cause);
		free(cause);
		return (1);
	}
	json_dumpf(a, stdout, JSON_COMPACT);
	printf("\n");
	json_decref(a);
	return (0);
}

static int
cmd_events(const char *conninfo, const char *incident)
{
	json_t	*a;
	char	*cause = NULL;

	if ((a = shared_fetch_events(conninfo, incident, &cause)) == NULL) {
		printf("error=%s\n", cause);
		free(cause);
		return (1);
	}
	json_dumpf(a, stdout, JSON_COMPACT);
	printf("\n");
	json_decref(a);
	return (0);
}

static void
hook_failed(const char *url, const char *why, void *arg)
{
	(void)arg;
	printf("failed=%s %s\n", url, why);
	fflush(stdout);
}

static int
cond_hooks_done(void *arg)
{
	return (webhooks_pending(arg) == 0);
}

/* One event as incident_record hands it on: type, t, seq, op, keys. */
static json_t *
hook_ev(const char *type, int64_t seq, json_t *own)
{
	json_object_set_new(own, "type", json_string(type));
	json_object_set_new(own, "t", json_integer(seq * 61000));
	json_object_set_new(own, "seq", json_integer(seq));
	json_object_set_new(own, "op", json_string("alice"));
	return (own);
}

/*
 * Webhooks: a good receiver (the default events), a filtered one (note,
 * decision), one that hangs and one that answers 500 (incident.start
 * only), with a 1 s timeout per attempt.
 */
static int
cmd_webhooks(char **urls, const char *secret)
{
	struct config		 cfg;
	struct config_webhook	 hooks[4];
	struct redact		*r;
	struct webhooks		*w;
	char			 note[] = "note", decision[] = "decision";
	char			 start[] = "incident.start";
	char			*filtered[] = { note, decision };
	char			*starts[] = { start };
	json_t			*evs[8];
	int64_t			 t0;
	size_t			 i;
	char			*title;

	memset(&cfg, 0, sizeof cfg);
	memset(hooks, 0, sizeof hooks);
	for (i = 0; i < 4; i++)
		hooks[i].url = urls[i];
	hooks[1].events = filtered;
	hooks[1].nevents = 2;
	/* One message each to the bad ones: five tries take 15-20 s. */
	hooks[2].events = hooks[3].events = starts;
	hooks[2].nevents = hooks[3].nevents = 1;
	cfg.webhooks = hooks;
	cfg.nwebhooks = 4;
	r = redact_create();
	redact_add_secret(r, secret);
	w = webhooks_create(base, &cfg, r, hook_failed, NULL);
	webhooks_set_timeout(w, 1000);

	title = xprintf("DB failover <%s>", secret);
	evs[0] = hook_ev("incident.start", 1, json_pack("{s:s, s:s, s:s}",
	    "mode", "live", "title", title, "runbook", "eriop-dr"));
	evs[1] = hook_ev("note", 2, json_pack("{s:s}", "text",
	    "PGPASSWORD=hunter2 psql & check"));
	evs[2] = hook_ev("check.change", 3, json_pack("{s:s, s:s, s:s, s:s}",
	    "system", "db", "from", "up", "to", "down", "detail", "refused"));
	evs[3] = hook_ev("decision", 4, json_pack("{s:s, s:s, s:s}", "step",
	    "choose", "choice", secret, "goto", "promote"));
	evs[4] = hook_ev("rto", 5, json_pack("{s:s, s:b, s:i}", "system",
	    "db", "met", 1, "ms", 120000));
	evs[5] = hook_ev("rto", 6, json_pack("{s:s, s:b, s:i}", "system",
	    "api", "met", 0, "ms", 1900000));
	evs[6] = hook_ev("incident.end", 7, json_pack("{s:s, s:s}",
	    "outcome", "resolved", "summary", "promoted the replica"));
	evs[7] = hook_ev("step.done", 8, json_pack("{s:s}", "step", "x"));
	t0 = now_us();
	for (i = 0; i < 8; i++) {
		webhooks_event(w, evs[i], title, "alice");
		json_decref(evs[i]);
	}
	printf("queued_ms=%lld\n", (long long)(now_us() - t0) / 1000);
	printf("pending=%zu\n", webhooks_pending(w));
	printf("done=%d\n", pump(90000, cond_hooks_done, w));
	printf("elapsed_ms=%lld\n", (long long)(now_us() - t0) / 1000);
	printf("stall_max_ms=%lld\n", (long long)stall_max);
	webhooks_free(w);
	redact_free(r);
	free(title);
	return (0);
}

/* Throughput with two writers, then delays at a steady rate. */
static int
cmd_bench(const char *conninfo, const char *incident, long n, long rate)
{
	struct writer		 a, b, *ws[] = { &a, &b, NULL };
	struct want_recv	 r;
	int64_t			 t0, el;
	long			 i, j, m;

	writer_open(&a, "a", "alice", conninfo, incident, 1);
	writer_open(&b, "b", "bob", conninfo, incident, 0);
	pump(15000, cond_connected, ws);
	pump(5000, cond_drained, ws);
	pump(200, NULL, NULL);
	a.nrecv = b.nrecv = 0;

	/* As fast as they come: 100 events a writer per loop pass. */
	t0 = now_us();
	for (i = 0; i < n; i += 100) {
		for (j = i; j < i + 100 && j < n; j++) {
			writer_send(&a, "note", json_pack("{s:s}", "text",
			    "bench a"));
			writer_send(&b, "note", json_pack("{s:s}", "text",
			    "bench b"));
		}
		event_base_loop(base, EVLOOP_NONBLOCK);
	}
	r.a = &a;
	r.b = &b;
	r.na = n;
	r.nb = n;
	printf("throughput_done=%d\n", pump(120000, cond_received, &r));
	el = now_us() - t0;
	printf("events=%ld\n", 2 * n);
	printf("throughput_s=%.2f\n", el / 1e6);
	printf("events_per_s=%.0f\n", 2 * n / (el / 1e6));
	print_latency("burst_delay", &a, &b);

	/* Steady: rate events a second per writer, for 10 s at most. */
	free(a.lat_us);
	free(b.lat_us);
	a.lat_us = b.lat_us = NULL;
	a.nlat = b.nlat = 0;
	a.nrecv = b.nrecv = 0;
	m = rate * 10 < 2000 ? rate * 10 : 2000;
	stall_max = 0;
	for (i = 0; i < m; i++) {
		writer_send(&a, "note", json_pack("{s:s}", "text", "steady"));
		writer_send(&b, "note", json_pack("{s:s}", "text", "steady"));
		pump(1000 / rate, NULL, NULL);
	}
	r.na = r.nb = m;
	pump(30000, cond_received, &r);
	print_latency("delay", &a, &b);
	printf("stall_max_ms=%lld\n", (long long)stall_max);
	writer_close(&a);
	writer_close(&b);
	return (0);
}

static void
usage(void)
{
	fprintf(stderr, "usage: shared-driver schema | open CONNINFO INCIDENT"
	    " [end] | down CONNINFO INCIDENT | two CONNINFO_A CONNINFO_B "
	    "INCIDENT N | outage CONNINFO INCIDENT N | pen CONNINFO INCIDENT"
	    " | incidents CONNINFO | "
	    "events CONNINFO INCIDENT | webhooks GOOD FILTERED HANG FAIL "
	    "SECRET | bench CONNINFO INCIDENT N RATE\n");
	exit(2);
}

int
main(int argc, char **argv)
{
	struct event	*ticker;
	int		 rc;

	if (argc < 2)
		usage();
	setvbuf(stdout, NULL, _IOLBF, 0);
	base = event_base_new();
	ticker = ticker_start();
	if (strcmp(argv[1], "schema") == 0 && argc == 2)
		rc = cmd_schema();
	else if (strcmp(argv[1], "open") == 0 && (argc == 4 || (argc == 5 &&
	    strcmp(argv[4], "end") == 0)))
		rc = cmd_open(argv[2], argv[3], argc == 5);
	else if (strcmp(argv[1], "down") == 0 && argc == 4)
		rc = cmd_down(argv[2], argv[3]);
	else if (strcmp(argv[1], "two") == 0 && argc == 6)
		rc = cmd_two(argv[2], argv[3], argv[4], atol(argv[5]));
	else if (strcmp(argv[1], "outage") == 0 && argc == 5)
		rc = cmd_outage(argv[2], argv[3], atol(argv[4]));
	else if (strcmp(argv[1], "pen") == 0 && argc == 4)
		rc = cmd_pen(argv[2], argv[3]);
	else if (strcmp(argv[1], "incidents") == 0 && argc == 3)
		rc = cmd_incidents(argv[2]);
	else if (strcmp(argv[1], "events") == 0 && argc == 4)
		rc = cmd_events(argv[2], argv[3]);
	else if (strcmp(argv[1], "webhooks") == 0 && argc == 7)
		rc = cmd_webhooks(argv + 2, argv[6]);
	else if (strcmp(argv[1], "bench") == 0 && argc == 6)
		rc = cmd_bench(argv[2], argv[3], atol(argv[4]),
		    atol(argv[5]));
	else
		usage();
	event_free(ticker);
	free(ctl_line);
	event_base_free(base);
	return (rc);
}
