/*
 * The shared incident timeline: each event of this journal copied to
 * PostgreSQL, the other operators' events of the same incident brought
 * back live, and the pen (who drives the step runner), all with libpq's
 * non-blocking API on the event loop.  No curses here, and nothing that
 * waits: no PQexec, no blocking connect, no sleep (the two fetches at the
 * end are for the command line, before the loop runs).
 *
 * One connection per incident.  Host names are looked up first, without
 * blocking (pgdial.c); then PQconnectStartParams and PQconnectPoll on
 * PQsocket, re-read after each poll.  Once connected: the schema script
 * (doc/shared-schema.sql, embedded below, versioned, never destructive),
 * LISTEN, the incident's row.  Then one query at a time, sent with
 * PQsendQueryParams and PQflush (waiting for write readiness when the
 * socket is full), read with PQconsumeInput, PQisBusy and PQgetResult;
 * notifications come with PQnotifies on the same socket.
 *
 * The events handed to shared_send wait in a backlog, in order, until the
 * database has them: each batch is one INSERT ... ON CONFLICT DO NOTHING
 * (a batch resent after a reconnect is stored once) that also NOTIFYs
 * rbnav_events.  A lost connection is retried after 0.5 s, 1 s ... 10 s;
 * the backlog is kept and sent when it returns.  Listeners fetch the new
 * rows of the other origins, above a high-water seq kept per origin:
 * one origin's batches commit in order, so the seqs below its highest
 * are always visible too.  The same transaction records each origin's
 * head in the incident's row, so a fetch reads only the new rows.
 *
 * Callbacks run from the loop only, never from inside a shared_* call,
 * so they may call shared_send and the pen functions (not shared_free).
 */

#include <sys/types.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <event2/event.h>
#include <jansson.h>
#include <libpq-fe.h>

#include "lazylib.h"
#include "pgdial.h"
#include "shared.h"
#include "xmalloc.h"

#define SHARED_BACKOFF_MIN	500	/* ms before the first retry */
#define SHARED_BACKOFF_MAX	10000
#define SHARED_CONNECT_TIMEOUT	10000
#define SHARED_QUERY_TIMEOUT	30000
#define SHARED_HEARTBEAT	10000	/* pen heartbeat and refresh */
#define SHARED_BATCH_EVENTS	500
#define SHARED_BATCH_BYTES	(1024 * 1024)

/* The schema, exactly doc/shared-schema.sql (tests/integration/shared.sh). */
static const char shared_schema_sql[] =
	"-- rbnav: the shared incident timeline in PostgreSQL.\n"
	"--\n"
	"-- rbnav runs this whole script, in one transaction, each time it\n"
	"-- connects to the shared timeline (timeline_db: in the config, or\n"
	"-- --timeline-db).  It is never destructive: each migration runs\n"
	"-- once, in order, under an advisory lock, and records itself in\n"
	"-- rbnav_schema.  A later rbnav adds migrations at the end; it\n"
	"-- never edits one that has shipped.  The same text is compiled\n"
	"-- into rbnav (src/shared.c); a test keeps the two equal.\n"
	"--\n"
	"-- rbnav_events keeps each event's journal line whole (line: the\n"
	"-- exact bytes of the local journal, without the newline) plus\n"
	"-- columns to query by.  (incident, origin, seq) is unique: an\n"
	"-- event sent again after a reconnect is stored once.  origin\n"
	"-- names one operator's journal.  rbnav_incidents.heads maps each\n"
	"-- origin to its highest seq stored, updated in the same\n"
	"-- transaction, so that a reader finds the new events of each\n"
	"-- origin with one index range scan.\n"
	"--\n"
	"-- The pen (who drives the step runner) lives in rbnav_incidents:\n"
	"-- pen_holder is the operator, pen_origin the journal that holds\n"
	"-- it (NULL while a handover waits for the receiver to claim it),\n"
	"-- pen_heartbeat is refreshed every 10 s by the holder; after 60 s\n"
	"-- without one anyone may take the pen.  Changes are announced\n"
	"-- with NOTIFY on rbnav_events (new events) and rbnav_pen (the\n"
	"-- pen), the incident id as payload.\n"
	"\n"
	"SELECT pg_advisory_xact_lock(2026112601);\n"
	"\n"
	"DO $rbnav$\n"
	"BEGIN\n"
	"\tIF to_regclass('rbnav_schema') IS NULL THEN\n"
	"\t\tCREATE TABLE rbnav_schema (\n"
	"\t\t\tversion\t\tinteger PRIMARY KEY,\n"
	"\t\t\tdescription\ttext NOT NULL,\n"
	"\t\t\tapplied\t\ttimestamptz NOT NULL DEFAULT now()\n"
	"\t\t);\n"
	"\tEND IF;\n"
	"\n"
	"\t-- 1: incidents, events, the pen.\n"
	"\tIF NOT EXISTS (SELECT 1 FROM rbnav_schema WHERE version = 1) THEN\n"
	"\t\tCREATE TABLE rbnav_incidents (\n"
	"\t\t\tid\t\ttext PRIMARY KEY,\n"
	"\t\t\ttitle\t\ttext,\n"
	"\t\t\trunbook\t\ttext,\n"
	"\t\t\tscenario\ttext,\n"
	"\t\t\tmode\t\ttext,\n"
	"\t\t\thost\t\ttext,\n"
	"\t\t\tstarted\t\ttimestamptz NOT NULL,\n"
	"\t\t\tstarted_by\ttext,\n"
	"\t\t\tlast_event\ttimestamptz,\n"
	"\t\t\tended\t\ttimestamptz,\n"
	"\t\t\toutcome\t\ttext,\n"
	"\t\t\theads\t\tjsonb NOT NULL DEFAULT '{}',\n"
	"\t\t\tpen_holder\ttext,\n"
	"\t\t\tpen_origin\ttext,\n"
	"\t\t\tpen_heartbeat\ttimestamptz\n"
	"\t\t);\n"
	"\t\tCREATE TABLE rbnav_events (\n"
	"\t\t\tincident\ttext NOT NULL,\n"
	"\t\t\torigin\t\ttext NOT NULL,\n"
	"\t\t\tseq\t\tbigint NOT NULL,\n"
	"\t\t\tts\t\ttimestamptz NOT NULL,\n"
	"\t\t\top\t\ttext NOT NULL,\n"
	"\t\t\ttype\t\ttext NOT NULL,\n"
	"\t\t\tline\t\ttext NOT NULL,\n"
	"\t\t\tstored\t\ttimestamptz NOT NULL DEFAULT now(),\n"
	"\t\t\tPRIMARY KEY (incident, origin, seq)\n"
	"\t\t);\n"
	"\t\tCREATE INDEX rbnav_events_time\n"
	"\t\t    ON rbnav_events (incident, ts, origin, seq);\n"
	"\t\tCREATE INDEX rbnav_incidents_open\n"
	"\t\t    ON rbnav_incidents (started) WHERE ended IS NULL;\n"
	"\t\tINSERT INTO rbnav_schema (version, description)\n"
	"\t\t    VALUES (1, 'incidents, events, pen');\n"
	"\tEND IF;\n"
	"END\n"
	"$rbnav$;\n"
	"\n"
	"SELECT max(version) FROM rbnav_schema;\n"
	;

/*
 * This journal's events: $1 incident, $2 origin, $3 a JSON array of
 * [seq, ms since 1970 or null, op, type, line].  What was stored moves
 * the incident's row (last event, end, the origin's head; the row is
 * made if need be) in the same transaction, and is announced.
 */
static const char shared_sql_insert[] =
	"WITH b AS (SELECT (x->>0)::bigint AS seq, coalesce(timestamptz "
	"'epoch' + (x->>1)::bigint * interval '1 ms', now()) AS ts, "
	"x->>2 AS op, x->>3 AS type, x->>4 AS line "
	"FROM json_array_elements($3::json) AS x), "
	"ins AS (INSERT INTO rbnav_events "
	"(incident, origin, seq, ts, op, type, line) "
	"SELECT $1, $2, seq, ts, op, type, line FROM b "
	"ON CONFLICT (incident, origin, seq) DO NOTHING "
	"RETURNING seq, ts, type, line), "
	"inc AS (INSERT INTO rbnav_incidents AS i "
	"(id, started, last_event, ended, outcome, heads) "
	"SELECT $1, min(ts), max(ts), "
	"min(ts) FILTER (WHERE type = 'incident.end'), "
	"(SELECT line::json->>'outcome' FROM ins "
	"WHERE type = 'incident.end' ORDER BY seq LIMIT 1), "
	"jsonb_build_object($2::text, max(seq)) FROM ins HAVING count(*) > 0 "
	"ON CONFLICT (id) DO UPDATE SET "
	"last_event = greatest(i.last_event, excluded.last_event), "
	"ended = coalesce(i.ended, excluded.ended), "
	"outcome = coalesce(i.outcome, excluded.outcome), "
	"heads = i.heads || jsonb_build_object($2::text, "
	"greatest((i.heads->>$2::text)::bigint, "
	"(excluded.heads->>$2::text)::bigint)) RETURNING 1) "
	"SELECT count(*), CASE WHEN count(*) > 0 THEN "
	"pg_notify('rbnav_events', $1)::text END FROM ins";

/*
 * The incident's row from its start event: $1 id, $2 title, $3 runbook,
 * $4 scenario, $5 mode, $6 host, $7 started (ms), $8 op, $9 origin.
 * The operator who starts an incident holds the pen; a row already
 * there only has its blanks filled in.
 */
static const char shared_sql_incident[] =
	"INSERT INTO rbnav_incidents AS i (id, title, runbook, scenario, "
	"mode, host, started, started_by, pen_holder, pen_origin, "
	"pen_heartbeat) VALUES ($1, $2, $3, $4, $5, $6, "
	"coalesce(timestamptz 'epoch' + $7::bigint * interval '1 ms', "
	"now()), $8, $8, $9, now()) "
	"ON CONFLICT (id) DO UPDATE SET "
	"title = coalesce(i.title, excluded.title), "
	"runbook = coalesce(i.runbook, excluded.runbook), "
	"scenario = coalesce(i.scenario, excluded.scenario), "
	"mode = coalesce(i.mode, excluded.mode), "
	"host = coalesce(i.host, excluded.host), "
	"started = least(i.started, excluded.started), "
	"started_by = coalesce(i.started_by, excluded.started_by)";

/*
 * The others' new events: $1 incident, $2 origin, $3 {origin: seq} (the
 * high-waters).  One index range scan per origin with news: OFFSET 0
 * keeps the planner from flattening it into a scan of the incident.
 */
static const char shared_sql_fetch[] =
	"SELECT e.origin, e.seq, e.line FROM rbnav_incidents i "
	"CROSS JOIN LATERAL jsonb_each_text(i.heads) AS h(origin, head) "
	"CROSS JOIN LATERAL (SELECT e.origin, e.seq, e.ts, e.line "
	"FROM rbnav_events e WHERE e.incident = $1 AND e.origin = h.origin "
	"AND e.seq > coalesce(($3::jsonb->>h.origin)::bigint, 0) "
	"OFFSET 0) AS e "
	"WHERE i.id = $1 AND h.origin <> $2 "
	"AND h.head::bigint > coalesce(($3::jsonb->>h.origin)::bigint, 0) "
	"ORDER BY e.ts, e.origin, e.seq";

/*
 * The pen.  Each answers (changed rows, holder, origin, age in s); the
 * row read is the one before the change (a statement's CTEs do not see
 * each other's updates).  $1 incident, $2 op, $3 origin, $4 force.
 */
#define SHARED_PEN_ROW \
	"SELECT (SELECT count(*) FROM t), pen_holder, pen_origin, " \
	"extract(epoch FROM now() - pen_heartbeat) " \
	"FROM rbnav_incidents WHERE id = $1"
#define SHARED_PEN_STALE \
	"pen_heartbeat IS NULL OR pen_heartbeat < now() - interval '60 s'"

static const char shared_sql_take[] =
	"WITH t AS (UPDATE rbnav_incidents SET pen_holder = $2, "
	"pen_origin = $3, pen_heartbeat = now() WHERE id = $1 AND "
	"($4::boolean OR pen_origin = $3 OR pen_holder IS NULL OR "
	"(pen_holder = $2 AND pen_origin IS NULL) OR " SHARED_PEN_STALE ") "
	"RETURNING pg_notify('rbnav_pen', id)) " SHARED_PEN_ROW;

/* $2 is the receiver, NULL to put the pen down; it claims it (below). */
static const char shared_sql_give[] =
	"WITH t AS (UPDATE rbnav_incidents SET pen_holder = $2, "
	"pen_origin = NULL, pen_heartbeat = CASE WHEN $2::text IS NULL "
	"THEN NULL ELSE now() END WHERE id = $1 AND (pen_origin = $3 OR "
	"pen_holder IS NULL OR " SHARED_PEN_STALE ") "
	"RETURNING pg_notify('rbnav_pen', id)) " SHARED_PEN_ROW;

/* Heartbeat when holding; claim a pen handed to this operator. */
static const char shared_sql_pen[] =
	"WITH c AS (UPDATE rbnav_incidents SET pen_origin = $3, "
	"pen_heartbeat = now() WHERE id = $1 AND pen_holder = $2 AND "
	"pen_origin IS NULL RETURNING pg_notify('rbnav_pen', id)), "
	"h AS (UPDATE rbnav_incidents SET pen_heartbeat = now() "
	"WHERE id = $1 AND pen_origin = $3 RETURNING 1), "
	"t AS (SELECT 1 FROM c UNION ALL SELECT 1 FROM h) " SHARED_PEN_ROW;

/* On the way out, the pen is put down for the others to take. */
static const char shared_sql_release[] =
	"UPDATE rbnav_incidents SET pen_holder = NULL, pen_origin = NULL, "
	"pen_heartbeat = NULL WHERE id = $1 AND pen_origin = $2 "
	"RETURNING pg_notify('rbnav_pen', id)";

enum shared_state {
	SHARED_WAIT,		/* not connected; retry timer armed */
	SHARED_LOOKUP,		/* host names being looked up */
	SHARED_CONNECTING,	/* PQconnectPoll */
	SHARED_SETUP,		/* schema, LISTEN, the incident's row */
	SHARED_READY
};

enum shared_query {
	SQ_NONE,
	SQ_SCHEMA,
	SQ_LISTEN,
	SQ_INCIDENT,
	SQ_INSERT,
	SQ_FETCH,
	SQ_TAKE,
	SQ_GIVE,
	SQ_PEN,
	SQ_RELEASE
};

/* An event waiting for the database. */
struct shared_item {
	int64_t	 seq;
	int64_t	 ms;		/* from ts, -1 unknown */
	char	*line;
	size_t	 len;
	char	*op;
	char	*type;
};

/* The highest seq received from one origin. */
struct shared_mark {
	char	*origin;
	int64_t	 seq;
};

/* Connection options for one attempt, with the host names looked up. */
struct shared {
	struct event_base	*base;
	struct shared_cb	 cb;
	char			*conninfo;
	char			*incident;
	char			*origin;
	char			*op;
	json_t			*start;

	enum shared_state	 state;
	struct pgdial		*dial;
	PGconn			*conn;
	struct event		*ev_conn;	/* during PQconnectPoll */
	struct event		*ev_read;	/* persistent, once connected */
	struct event		*ev_write;	/* while PQflush has more */
	struct event		*ev_retry;
	struct event		*ev_deadline;	/* connect or query timeout */
	struct event		*ev_kick;	/* shared_work, from the loop */
	struct event		*ev_beat;
	int64_t			 backoff;
	char			*error;
	int			 flushing;
	enum shared_query	 q;		/* in flight */
	PGresult		*res;
	enum shared_query	 last;

	struct shared_item	*items;		/* backlog: [head, nitems) */
	size_t			 head;
	size_t			 nitems;
	size_t			 inflight;	/* in the batch being sent */

	struct shared_mark	*marks;
	size_t			 nmarks;
	int			 want_fetch;

	int			 want_take;
	int			 take_flags;
	int			 want_give;
	char			*give_to;
	int			 want_pen;
	int			 leaving;	/* shared_leave was called */
	int			 released;	/* and the pen put down */
	char			*pen_holder;
	char			*pen_origin;
	double			 pen_age;	/* s, at pen_at */
	int64_t			 pen_at;	/* shared_now() */
};

static void	shared_work(struct shared *);

/* Monotonic milliseconds: the pen age clock. */
static int64_t
shared_now(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000);
}

/* A timeval for ms. */
static void
shared_tv(struct timeval *tv, int64_t ms)
{
	tv->tv_sec = ms / 1000;
	tv->tv_usec = (ms % 1000) * 1000;
}

/* libpq's notices (NOTICE: ... skipping) must not reach the terminal. */
static void
shared_notice(void *arg, const char *msg)
{
	(void)arg;
	(void)msg;
}

/* The first line of a libpq message, runs of white space made one. */
static char *
shared_one_line(const char *s)
{
	char	*out, *q;
	int	 space = 0;

	out = q = xmalloc(strlen(s) + 1);
	for (; *s != '\0' && *s != '\n'; s++) {
		if (*s == ' ' || *s == '\t' || *s == '\r') {
			space = 1;
			continue;
		}
		if (space && q != out)
			*q++ = ' ';
		space = 0;
		*q++ = *s;
	}
	*q = '\0';
	return (out);
}

/* A journal timestamp (2026-11-26T02:14:03.123Z) in ms since 1970, or -1. */
static int64_t
shared_parse_ts(const char *s)
{
	struct tm	tm;
	int		y, mo, d, h, mi, sec, ms = 0, n = 0;
	time_t		t;

	if (s == NULL || sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2d%n", &y, &mo, &d,
	    &h, &mi, &sec, &n) != 6 || n != 19)
		return (-1);
	s += n;
	if (*s == '.') {
		if (sscanf(s, ".%3d%n", &ms, &n) != 1 || n != 4)
			return (-1);
		s += n;
	}
	if (strcmp(s, "Z") != 0 || mo < 1 || mo > 12 || d < 1 || d > 31 ||
	    h > 23 || mi > 59 || sec > 60 || y < 1970 || ms < 0)
		return (-1);
	memset(&tm, 0, sizeof tm);
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = sec;
	if ((t = timegm(&tm)) == (time_t)-1)
		return (-1);
	return ((int64_t)t * 1000 + ms);
}

/* Tell the caller to redraw (from the loop only). */
static void
shared_changed(struct shared *s)
{
	if (s->cb.changed != NULL)
		s->cb.changed(s->cb.arg);
}

/* Run shared_work from the loop, not from the caller's stack. */
static void
shared_kick(struct shared *s)
{
	if (!event_pending(s->ev_kick, EV_TIMEOUT, NULL) &&
	    s->state == SHARED_READY && s->q == SQ_NONE)
		event_active(s->ev_kick, EV_TIMEOUT, 0);
}

/* Keepalives and a TCP timeout (a cut network is noticed), unless given. */
static const char *const shared_conn_defaults[][2] = {
	{ "application_name", "rbnav" },
	{ "keepalives", "1" },
	{ "keepalives_idle", "20" },
	{ "keepalives_interval", "5" },
	{ "keepalives_count", "3" },
	{ "tcp_user_timeout", "30000" },
};

/* Forget the connection: every fd closed, the batch in flight unsent. */
static void
shared_close(struct shared *s)
{
	pgdial_free(s->dial);
	s->dial = NULL;
	if (s->ev_conn != NULL)
		event_free(s->ev_conn);
	if (s->ev_read != NULL)
		event_free(s->ev_read);
	if (s->ev_write != NULL)
		event_free(s->ev_write);
	s->ev_conn = s->ev_read = s->ev_write = NULL;
	evtimer_del(s->ev_deadline);
	event_del(s->ev_kick);
	if (s->conn != NULL)
		PQfinish(s->conn);
	s->conn = NULL;
	PQclear(s->res);
	s->res = NULL;
	s->q = SQ_NONE;
	s->flushing = 0;
	s->inflight = 0;
}

/*
 * The connection failed or broke: say why, close it, and try again
 * after the backoff (0.5 s doubling to 10 s).  The backlog stays.
 */
static void
shared_fail(struct shared *s, const char *why)
{
	struct timeval	 tv;
	char		*msg;

	if (why == NULL || *why == '\0')
		why = s->conn != NULL ? PQerrorMessage(s->conn) : "";
	msg = shared_one_line(why);
	if (*msg == '\0') {
		free(msg);
		msg = xstrdup("connection lost");
	}
	shared_close(s);
	free(s->error);
	s->error = msg;
	s->state = SHARED_WAIT;
	shared_tv(&tv, s->backoff);
	evtimer_add(s->ev_retry, &tv);
	s->backoff *= 2;
	if (s->backoff > SHARED_BACKOFF_MAX)
		s->backoff = SHARED_BACKOFF_MAX;
	shared_changed(s);
}

/* Push what libpq holds; 0 when all is out, 1 more, -1 failed. */
static int
shared_flush(struct shared *s)
{
	switch (PQflush(s->conn)) {
	case 0:
		s->flushing = 0;
		return (0);
	case 1:
		s->flushing = 1;
		event_add(s->ev_write, NULL);
		return (1);
	default:
		shared_fail(s, NULL);
		return (-1);
	}
}

/* Send one query (params: NULL for a script); its result comes later. */
static void
shared_query(struct shared *s, enum shared_query q, const char *sql,
    int n, const char *const *params)
{
	struct timeval	tv;
	int		ok;

	if (params == NULL)
		ok = PQsendQuery(s->conn, sql);
	else
		ok = PQsendQueryParams(s->conn, sql, n, NULL, params, NULL,
		    NULL, 0);
	if (!ok) {
		shared_fail(s, NULL);
		return;
	}
	s->q = q;
	shared_tv(&tv, SHARED_QUERY_TIMEOUT);
	evtimer_add(s->ev_deadline, &tv);
	shared_flush(s);
}

/* Set up: the error goes, the backoff starts over, catch up. */
static void
shared_ready(struct shared *s)
{
	s->state = SHARED_READY;
	s->backoff = SHARED_BACKOFF_MIN;
	free(s->error);
	s->error = NULL;
	s->want_fetch = 1;
	s->want_pen = 1;
	shared_changed(s);
}

/* The incident's row from its incident.start event. */
static void
shared_send_incident(struct shared *s)
{
	const char	*p[9];
	const char	*keys[] = { "title", "runbook", "scenario", "mode",
			    "host" };
	char		 ms[32];
	int64_t		 t;
	size_t		 i;

	p[0] = s->incident;
	for (i = 0; i < 5; i++)
		p[i + 1] = json_string_value(json_object_get(s->start,
		    keys[i]));
	if (p[4] == NULL)
		p[4] = "live";
	t = shared_parse_ts(json_string_value(json_object_get(s->start,
	    "ts")));
	snprintf(ms, sizeof ms, "%lld", (long long)t);
	p[6] = t >= 0 ? ms : NULL;
	p[7] = s->op;
	p[8] = s->origin;
	shared_query(s, SQ_INCIDENT, shared_sql_incident, 9, p);
}

/* The next batch of the backlog, as one INSERT. */
static void
shared_send_batch(struct shared *s)
{
	struct shared_item	*it;
	const char		*p[3];
	json_t			*a, *row;
	size_t			 i, bytes = 0;
	char			*batch;

	a = json_array();
	for (i = s->head; i < s->nitems; i++) {
		it = &s->items[i];
		if (i > s->head && (i - s->head >= SHARED_BATCH_EVENTS ||
		    bytes + it->len > SHARED_BATCH_BYTES))
			break;
		row = json_array();
		json_array_append_new(row, json_integer(it->seq));
		json_array_append_new(row, it->ms >= 0 ?
		    json_integer(it->ms) : json_null());
		json_array_append_new(row, json_string(it->op));
		json_array_append_new(row, json_string(it->type));
		json_array_append_new(row, json_stringn(it->line, it->len));
		json_array_append_new(a, row);
		bytes += it->len;
	}
	s->inflight = i - s->head;
	batch = json_dumps(a, JSON_COMPACT);
	json_decref(a);
	if (batch == NULL)
		fatalx("cannot encode a batch of timeline events");
	p[0] = s->incident;
	p[1] = s->origin;
	p[2] = batch;
	shared_query(s, SQ_INSERT, shared_sql_insert, 3, p);
	free(batch);
}

/* Ask for the other origins' events above their high-waters. */
static void
shared_send_fetch(struct shared *s)
{
	const char	*p[3];
	json_t		*o;
	char		*marks;
	size_t		 i;

	o = json_object();
	for (i = 0; i < s->nmarks; i++)
		json_object_set_new(o, s->marks[i].origin,
		    json_integer(s->marks[i].seq));
	marks = json_dumps(o, JSON_COMPACT);
	json_decref(o);
	p[0] = s->incident;
	p[1] = s->origin;
	p[2] = marks;
	s->want_fetch = 0;
	shared_query(s, SQ_FETCH, shared_sql_fetch, 3, p);
	free(marks);
}

/*
 * The next query, by priority: the pen (an operator is waiting), then
 * the backlog and the others' events in turn, so neither starves.
 */
static void
shared_work(struct shared *s)
{
	const char	*p[4];
	int		 backlog;

	if (s->state != SHARED_READY || s->q != SQ_NONE)
		return;
	p[0] = s->incident;
	p[1] = s->op;
	p[2] = s->origin;
	backlog = s->nitems > s->head;
	if (s->leaving) {
		/* The backlog, then the pen down; nothing else. */
		if (backlog)
			shared_send_batch(s);
		else if (!s->released && shared_pen_mine(s)) {
			p[1] = s->origin;
			shared_query(s, SQ_RELEASE, shared_sql_release, 2, p);
		}
	} else if (s->want_give) {
		s->want_give = 0;
		p[1] = s->give_to;
		shared_query(s, SQ_GIVE, shared_sql_give, 3, p);
	} else if (s->want_take) {
		s->want_take = 0;
		p[3] = (s->take_flags & SHARED_PEN_FORCE) ? "true" : "false";
		shared_query(s, SQ_TAKE, shared_sql_take, 4, p);
	} else if (s->want_pen) {
		s->want_pen = 0;
		shared_query(s, SQ_PEN, shared_sql_pen, 3, p);
	} else if (s->want_fetch && (!backlog || s->last == SQ_INSERT)) {
		s->last = SQ_FETCH;
		shared_send_fetch(s);
	} else if (backlog) {
		s->last = SQ_INSERT;
		shared_send_batch(s);
	}
}

/* Another origin's events: hand each over, raising its high-water. */
static void
shared_deliver(struct shared *s, PGresult *res)
{
	const char	*origin, *line;
	json_t		*ev;
	int64_t		 seq;
	int		 i, n = PQntuples(res);

	for (i = 0; i < n; i++) {
		origin = PQgetvalue(res, i, 0);
		seq = strtoll(PQgetvalue(res, i, 1), NULL, 10);
		line = PQgetvalue(res, i, 2);
		shared_seen(s, origin, seq);
		ev = json_loadb(line, PQgetlength(res, i, 2), 0, NULL);
		if (json_is_object(ev) && s->cb.event != NULL)
			s->cb.event(ev, origin, s->cb.arg);
		json_decref(ev);
	}
}

/* The pen after a pen query: (changed rows, holder, origin, age). */
static void
shared_pen_result(struct shared *s, enum shared_query q, PGresult *res)
{
	const char	*holder = NULL, *origin = NULL;
	double		 age = 0;
	int		 changed = 0, before;
	char		*old_holder = s->pen_holder;
	char		*old_origin = s->pen_origin;

	if (PQntuples(res) != 1) {
		/* No row: the incident is not in the shared timeline. */
		s->pen_holder = s->pen_origin = NULL;
	} else {
		changed = atoi(PQgetvalue(res, 0, 0)) > 0;
		if (!PQgetisnull(res, 0, 1))
			holder = PQgetvalue(res, 0, 1);
		if (!PQgetisnull(res, 0, 2))
			origin = PQgetvalue(res, 0, 2);
		if (!PQgetisnull(res, 0, 3))
			age = strtod(PQgetvalue(res, 0, 3), NULL);
		if (changed && q == SQ_GIVE) {
			holder = s->give_to;
			origin = NULL;
			age = 0;
		} else if (changed) {
			holder = s->op;
			origin = s->origin;
			age = 0;
		}
		s->pen_holder = holder != NULL ? xstrdup(holder) : NULL;
		s->pen_origin = origin != NULL ? xstrdup(origin) : NULL;
	}
	s->pen_age = age < 0 ? 0 : age;
	s->pen_at = shared_now();
	before = (old_holder == NULL) != (s->pen_holder == NULL) ||
	    (old_holder != NULL && strcmp(old_holder, s->pen_holder) != 0) ||
	    (old_origin == NULL) != (s->pen_origin == NULL) ||
	    (old_origin != NULL && strcmp(old_origin, s->pen_origin) != 0);
	free(old_holder);
	free(old_origin);
	if (q == SQ_GIVE) {
		free(s->give_to);
		s->give_to = NULL;
	}
	/* A take or a give is an operator's request: always answered. */
	if (before || q == SQ_TAKE || q == SQ_GIVE)
		shared_changed(s);
}

/* Free n backlog items' strings. */
static void
shared_items_free(struct shared_item *it, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		free(it[i].line);
		free(it[i].op);
		free(it[i].type);
	}
}

/* Whether a result is a success. */
static int
shared_res_ok(const PGresult *res)
{
	switch (PQresultStatus(res)) {
	case PGRES_COMMAND_OK:
	case PGRES_TUPLES_OK:
	case PGRES_EMPTY_QUERY:
		return (1);
	default:
		return (0);
	}
}

/* A query's last result is in. */
static void
shared_done(struct shared *s, enum shared_query q, PGresult *res)
{
	char	*msg;

	if (!shared_res_ok(res)) {
		msg = xstrdup(PQresultErrorMessage(res));
		shared_fail(s, msg);
		free(msg);
		return;
	}
	switch (q) {
	case SQ_NONE:
		break;
	case SQ_SCHEMA:
		shared_query(s, SQ_LISTEN,
		    "LISTEN rbnav_events; LISTEN rbnav_pen", 0, NULL);
		return;
	case SQ_LISTEN:
		if (s->start != NULL) {
			shared_send_incident(s);
			return;
		}
		shared_ready(s);
		break;
	case SQ_INCIDENT:
		shared_ready(s);
		break;
	case SQ_INSERT:
		shared_items_free(s->items + s->head, s->inflight);
		s->head += s->inflight;
		s->inflight = 0;
		if (s->head == s->nitems)
			s->head = s->nitems = 0;
		else if (s->head > 4096 && s->head * 2 > s->nitems) {
			memmove(s->items, s->items + s->head,
			    (s->nitems - s->head) * sizeof *s->items);
			s->nitems -= s->head;
			s->head = 0;
		}
		shared_changed(s);
		break;
	case SQ_FETCH:
		shared_deliver(s, res);
		break;
	case SQ_TAKE:
	case SQ_GIVE:
	case SQ_PEN:
		shared_pen_result(s, q, res);
		break;
	case SQ_RELEASE:
		s->released = 1;
		free(s->pen_holder);
		free(s->pen_origin);
		s->pen_holder = s->pen_origin = NULL;
		shared_changed(s);
		break;
	}
	shared_work(s);
}

/* Notifications: another origin's events, or the pen moved. */
static void
shared_notifies(struct shared *s)
{
	PGnotify	*n;
	int		 self = PQbackendPID(s->conn);

	while ((n = PQnotifies(s->conn)) != NULL) {
		if (n->be_pid != self && strcmp(n->extra, s->incident) == 0) {
			if (strcmp(n->relname, "rbnav_events") == 0)
				s->want_fetch = 1;
			else if (strcmp(n->relname, "rbnav_pen") == 0)
				s->want_pen = 1;
		}
		PQfreemem(n);
	}
}

/* Take the results that are in; dispatch when the query is done. */
static void
shared_results(struct shared *s)
{
	PGresult		*res;
	enum shared_query	 q;

	while (s->q != SQ_NONE && !PQisBusy(s->conn)) {
		if ((res = PQgetResult(s->conn)) != NULL) {
			/* Keep the first error, else the last result. */
			if (s->res == NULL || shared_res_ok(s->res)) {
				PQclear(s->res);
				s->res = res;
			} else
				PQclear(res);
			continue;
		}
		q = s->q;
		res = s->res;
		s->q = SQ_NONE;
		s->res = NULL;
		evtimer_del(s->ev_deadline);
		if (res == NULL || PQstatus(s->conn) == CONNECTION_BAD) {
			PQclear(res);
			shared_fail(s, NULL);
			return;
		}
		shared_done(s, q, res);		/* may close s->conn */
		PQclear(res);
		return;
	}
	if (PQstatus(s->conn) == CONNECTION_BAD)
		shared_fail(s, NULL);
	else if (s->q == SQ_NONE)
		shared_work(s);
}

/* Readable: input, the rest of a flush, notifications, results. */
static void
shared_read_cb(evutil_socket_t fd, short what, void *arg)
{
	struct shared	*s = arg;

	(void)fd;
	(void)what;
	if (!PQconsumeInput(s->conn)) {
		shared_fail(s, NULL);
		return;
	}
	if (s->flushing && shared_flush(s) < 0)
		return;
	shared_notifies(s);
	shared_results(s);
	/*
	 * A notification read in the same packet as a result is parsed by
	 * libpq only once the result is taken, and no more input may come
	 * to say so: look again, or the pen's move would wait for the next
	 * heartbeat.
	 */
	if (s->conn != NULL && s->state == SHARED_READY) {
		shared_notifies(s);
		if (s->q == SQ_NONE)
			shared_work(s);
	}
}

/* The socket is writable again: go on flushing. */
static void
shared_write_cb(evutil_socket_t fd, short what, void *arg)
{
	struct shared	*s = arg;

	(void)fd;
	(void)what;
	if (s->flushing)
		shared_flush(s);
}

/* Connected: watch the socket for good, then set the database up. */
static void
shared_connected_now(struct shared *s)
{
	int	fd = PQsocket(s->conn);

	event_free(s->ev_conn);
	s->ev_conn = NULL;
	evtimer_del(s->ev_deadline);
	/*
	 * Only now: PQconnectPoll never blocks anyway, and set earlier this
	 * loses the "connection to server at ..." of libpq's messages.
	 */
	PQsetnonblocking(s->conn, 1);
	s->ev_read = event_new(s->base, fd, EV_READ | EV_PERSIST,
	    shared_read_cb, s);
	s->ev_write = event_new(s->base, fd, EV_WRITE, shared_write_cb, s);
	event_add(s->ev_read, NULL);
	s->state = SHARED_SETUP;
	shared_query(s, SQ_SCHEMA, shared_schema_sql, 0, NULL);
}

static void	shared_conn_cb(evutil_socket_t, short, void *);

/* Wait for what PQconnectPoll asked, on its socket of the moment. */
static void
shared_conn_arm(struct shared *s, short what)
{
	struct timeval	tv = { 0, 0 };
	int		fd = PQsocket(s->conn);

	if (s->ev_conn != NULL)
		event_free(s->ev_conn);
	if (fd < 0) {
		s->ev_conn = evtimer_new(s->base, shared_conn_cb, s);
		evtimer_add(s->ev_conn, &tv);
		return;
	}
	s->ev_conn = event_new(s->base, fd, what, shared_conn_cb, s);
	event_add(s->ev_conn, NULL);
}

/* One step of PQconnectPoll, when its socket is ready. */
static void
shared_conn_cb(evutil_socket_t fd, short what, void *arg)
{
	struct shared			*s = arg;
	PostgresPollingStatusType	 st;

	(void)fd;
	(void)what;
	st = PQconnectPoll(s->conn);
	switch (st) {
	case PGRES_POLLING_FAILED:
		shared_fail(s, NULL);
		break;
	case PGRES_POLLING_OK:
		shared_connected_now(s);
		break;
	case PGRES_POLLING_READING:
		shared_conn_arm(s, EV_READ);
		break;
	default:
		shared_conn_arm(s, EV_WRITE);
		break;
	}
}

/* Every name has its addresses: start connecting. */
static void
shared_begin(struct shared *s)
{
	struct timeval	tv;

	s->conn = pgdial_connect(s->dial);
	pgdial_free(s->dial);
	s->dial = NULL;
	if (s->conn == NULL) {
		shared_fail(s, lazylib_why(LAZYLIB_PQ, "out of memory"));
		return;
	}
	if (PQstatus(s->conn) == CONNECTION_BAD) {
		shared_fail(s, NULL);
		return;
	}
	PQsetNoticeProcessor(s->conn, shared_notice, NULL);
	s->state = SHARED_CONNECTING;
	shared_tv(&tv, SHARED_CONNECT_TIMEOUT);
	evtimer_add(s->ev_deadline, &tv);
	/* Before the first poll, as if it had said "writing". */
	shared_conn_arm(s, EV_WRITE);
}

/* The names are looked up (from the loop). */
static void
shared_looked_up(const char *error, void *arg)
{
	struct shared	*s = arg;

	if (error != NULL)
		shared_fail(s, error);
	else
		shared_begin(s);
}

/* The retry timer: a new connection attempt. */
static void
shared_retry_cb(evutil_socket_t fd, short what, void *arg)
{
	struct shared	*s = arg;
	char		*cause = NULL;

	(void)fd;
	(void)what;
	s->dial = pgdial_create(s->conninfo, shared_conn_defaults,
	    sizeof shared_conn_defaults / sizeof shared_conn_defaults[0],
	    &cause);
	if (s->dial == NULL) {
		shared_fail(s, cause);
		free(cause);
		return;
	}
	s->state = SHARED_LOOKUP;
	if (pgdial_lookup(s->dial, s->base, shared_looked_up, s) != 0)
		shared_begin(s);
}

/* Connecting or a query took too long: the connection is given up. */
static void
shared_deadline_cb(evutil_socket_t fd, short what, void *arg)
{
	struct shared	*s = arg;
	char		*msg;

	(void)fd;
	(void)what;
	if (s->state == SHARED_CONNECTING)
		msg = xprintf("timed out connecting after %ds",
		    SHARED_CONNECT_TIMEOUT / 1000);
	else
		msg = xprintf("no answer from the server in %ds",
		    SHARED_QUERY_TIMEOUT / 1000);
	shared_fail(s, msg);
	free(msg);
}

/* The kick: the next query, if any. */
static void
shared_kick_cb(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	shared_work(arg);
}

/* Every 10 s: heartbeat when holding the pen, else see who holds it. */
static void
shared_beat_cb(evutil_socket_t fd, short what, void *arg)
{
	struct shared	*s = arg;

	(void)fd;
	(void)what;
	s->want_pen = 1;
	shared_kick(s);
}

/*
 * Share the incident o->incident as origin o->origin: connect from the
 * loop (never here), create or update the schema, and keep going until
 * shared_free, reconnecting as needed.  The strings and the start event
 * are copied.  The callbacks are called from the loop only.
 */
struct shared *
shared_open(struct event_base *base, const struct shared_options *o,
    const struct shared_cb *cb)
{
	struct shared	*s;
	struct timeval	 tv = { 0, 0 };

	s = xcalloc(1, sizeof *s);
	s->base = base;
	if (cb != NULL)
		s->cb = *cb;
	s->conninfo = xstrdup(o->conninfo);
	s->incident = xstrdup(o->incident);
	s->origin = xstrdup(o->origin);
	s->op = xstrdup(o->op);
	if (o->start != NULL)
		s->start = json_deep_copy(o->start);
	s->backoff = SHARED_BACKOFF_MIN;
	s->state = SHARED_WAIT;
	s->ev_retry = evtimer_new(base, shared_retry_cb, s);
	s->ev_deadline = evtimer_new(base, shared_deadline_cb, s);
	s->ev_kick = evtimer_new(base, shared_kick_cb, s);
	s->ev_beat = event_new(base, -1, EV_PERSIST, shared_beat_cb, s);
	evtimer_add(s->ev_retry, &tv);
	shared_tv(&tv, SHARED_HEARTBEAT);
	evtimer_add(s->ev_beat, &tv);
	return (s);
}

/*
 * Queue one journal line (len bytes, no newline) with its seq; it is
 * sent from the loop, after every line queued before it.  Call it once
 * the line is in the local journal.  Sending a seq again is harmless.
 */
void
shared_send(struct shared *s, int64_t seq, const char *line, size_t len)
{
	struct shared_item	*it;
	json_t			*ev;
	const char		*op, *type;

	ev = json_loadb(line, len, 0, NULL);
	op = json_string_value(json_object_get(ev, "op"));
	type = json_string_value(json_object_get(ev, "type"));
	s->items = xreallocarray(s->items, s->nitems + 1, sizeof *s->items);
	it = &s->items[s->nitems++];
	it->seq = seq;
	it->ms = shared_parse_ts(json_string_value(json_object_get(ev,
	    "ts")));
	it->line = xstrndup(line, len);
	it->len = len;
	it->op = xstrdup(op != NULL ? op : s->op);
	it->type = xstrdup(type != NULL ? type : "?");
	json_decref(ev);
	shared_kick(s);
}

/*
 * Events of origin up to seq are known already (e.g. from
 * shared_fetch_events, for a join): they are not handed over again.
 */
void
shared_seen(struct shared *s, const char *origin, int64_t seq)
{
	size_t	i;

	for (i = 0; i < s->nmarks; i++) {
		if (strcmp(s->marks[i].origin, origin) == 0) {
			if (seq > s->marks[i].seq)
				s->marks[i].seq = seq;
			return;
		}
	}
	s->marks = xreallocarray(s->marks, s->nmarks + 1, sizeof *s->marks);
	s->marks[s->nmarks].origin = xstrdup(origin);
	s->marks[s->nmarks].seq = seq;
	s->nmarks++;
}

/* Events not yet known to be in the database (the header's "behind"). */
size_t
shared_backlog(const struct shared *s)
{
	return (s->nitems - s->head);
}

/* Whether the shared timeline is connected and set up. */
int
shared_connected(const struct shared *s)
{
	return (s->state == SHARED_READY);
}

/* Why the last connection failed, NULL while connected or never tried. */
const char *
shared_error(const struct shared *s)
{
	return (s->state == SHARED_READY ? NULL : s->error);
}

/*
 * Ask for the pen (SHARED_PEN_FORCE: even from a live holder).  The
 * answer comes through the changed callback; then shared_pen_mine says
 * whether it was given, shared_pen_holder who has it.  -1 while not
 * connected (shared_error says why).
 */
int
shared_pen_take(struct shared *s, int flags)
{
	if (s->state != SHARED_READY)
		return (-1);
	s->want_take = 1;
	s->take_flags = flags;
	shared_kick(s);
	return (0);
}

/*
 * Hand the pen to operator to (NULL: put it down).  Only the holder can,
 * or anyone when nobody holds it or its holder went stale; to's rbnav
 * claims it when notified.  -1 while not connected.
 */
int
shared_pen_give(struct shared *s, const char *to)
{
	if (s->state != SHARED_READY)
		return (-1);
	free(s->give_to);
	s->give_to = to != NULL && *to != '\0' ? xstrdup(to) : NULL;
	s->want_give = 1;
	shared_kick(s);
	return (0);
}

/*
 * Who holds the pen, as last heard (NULL: nobody, or not known yet), and
 * how many seconds ago its holder's heartbeat was (a holder is stale
 * after 60; anyone may then take the pen).
 */
const char *
shared_pen_holder(const struct shared *s, int64_t *age_s)
{
	if (age_s != NULL) {
		*age_s = (int64_t)s->pen_age;
		if (s->pen_holder != NULL)
			*age_s += (shared_now() - s->pen_at) / 1000;
	}
	return (s->pen_holder);
}

/* Whether this journal holds the pen. */
int
shared_pen_mine(const struct shared *s)
{
	return (s->pen_origin != NULL && strcmp(s->pen_origin, s->origin) ==
	    0);
}

/*
 * On the way out: send what is left of the backlog, then put the pen
 * down if this journal holds it; no more fetches or heartbeats.  Run
 * the loop until shared_settled (or a deadline of your choosing), then
 * shared_free.
 */
void
shared_leave(struct shared *s)
{
	s->leaving = 1;
	evtimer_del(s->ev_beat);
	shared_kick(s);
}

/* Nothing more to do (or nothing can be done while disconnected). */
int
shared_settled(const struct shared *s)
{
	if (s->q != SQ_NONE)
		return (0);
	if (s->state != SHARED_READY)
		return (1);
	return (s->nitems == s->head && (s->released || !shared_pen_mine(s)));
}

/*
 * Close the connection and free everything.  Events still in the
 * backlog are not sent (the journal has them: send them again on
 * resume).  A pen this journal still holds is put down when the
 * connection is idle, without waiting for the answer (shared_leave
 * does it properly).
 */
void
shared_free(struct shared *s)
{
	const char	*p[2];
	size_t		 i;

	if (s == NULL)
		return;
	if (s->state == SHARED_READY && s->q == SQ_NONE && !s->released &&
	    shared_pen_mine(s)) {
		p[0] = s->incident;
		p[1] = s->origin;
		if (PQsendQueryParams(s->conn, shared_sql_release, 2, NULL, p,
		    NULL, NULL, 0))
			(void)PQflush(s->conn);
	}
	shared_close(s);
	event_free(s->ev_retry);
	event_free(s->ev_deadline);
	event_free(s->ev_kick);
	event_free(s->ev_beat);
	shared_items_free(s->items + s->head, s->nitems - s->head);
	free(s->items);
	for (i = 0; i < s->nmarks; i++)
		free(s->marks[i].origin);
	free(s->marks);
	free(s->give_to);
	free(s->pen_holder);
	free(s->pen_origin);
	free(s->error);
	json_decref(s->start);
	free(s->conninfo);
	free(s->incident);
	free(s->origin);
	free(s->op);
	free(s);
}

/* The schema script (doc/shared-schema.sql). */
const char *
shared_schema(void)
{
	return (shared_schema_sql);
}

/*
 * A blocking connection for the command line, with a connect timeout
 * (the conninfo's own wins).  NULL with *cause set on failure.
 */
static PGconn *
shared_connect_now(const char *conninfo, char **cause)
{
	const char *const	 kw[] = { "connect_timeout", "application_name",
				     "dbname", NULL };
	const char *const	 val[] = { "10", "rbnav", conninfo, NULL };
	PGconn			*conn;

	conn = PQconnectdbParams(kw, val, 1);
	if (conn == NULL) {
		*cause = xstrdup(lazylib_why(LAZYLIB_PQ, "out of memory"));
		return (NULL);
	}
	if (PQstatus(conn) != CONNECTION_OK) {
		*cause = shared_one_line(PQerrorMessage(conn));
		PQfinish(conn);
		return (NULL);
	}
	PQsetNoticeProcessor(conn, shared_notice, NULL);
	return (conn);
}

/* Run a query whose rows are one JSON text each; a JSON array of them. */
static json_t *
shared_json_rows(PGconn *conn, const char *sql, int n,
    const char *const *params, char **cause)
{
	PGresult	*res;
	json_t		*a, *v;
	int		 i;

	res = PQexecParams(conn, sql, n, NULL, params, NULL, NULL, 0);
	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		*cause = shared_one_line(PQresultErrorMessage(res));
		PQclear(res);
		return (NULL);
	}
	a = json_array();
	for (i = 0; i < PQntuples(res); i++) {
		v = json_loadb(PQgetvalue(res, i, 0), PQgetlength(res, i, 0),
		    0, NULL);
		if (v != NULL)
			json_array_append_new(a, v);
	}
	PQclear(res);
	return (a);
}

/* Whether the shared timeline's tables are there (-1: error). */
static int
shared_exists(PGconn *conn, char **cause)
{
	PGresult	*res;
	int		 yes;

	res = PQexec(conn, "SELECT to_regclass('rbnav_events') IS NOT NULL "
	    "AND to_regclass('rbnav_incidents') IS NOT NULL");
	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		*cause = shared_one_line(PQresultErrorMessage(res));
		PQclear(res);
		return (-1);
	}
	yes = strcmp(PQgetvalue(res, 0, 0), "t") == 0;
	PQclear(res);
	return (yes);
}

#define SHARED_TS(x) \
	"to_char(" x " AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"')"

/*
 * Every incident of the shared timeline, the latest started first, as a
 * JSON array of objects: id, title, runbook, scenario, mode, host,
 * started, started_by, operators (array), events (count), last_event,
 * ended (null while open), outcome, pen, pen_age (s).  Times are RFC
 * 3339 UTC with ms.  Blocking: for the command line.  NULL with *cause
 * (caller frees) on failure; an empty array when nothing was ever shared.
 */
json_t *
shared_fetch_incidents(const char *conninfo, char **cause)
{
	static const char sql[] =
		"SELECT json_build_object('id', i.id, 'title', i.title, "
		"'runbook', i.runbook, 'scenario', i.scenario, "
		"'mode', i.mode, 'host', i.host, "
		"'started', " SHARED_TS("i.started") ", "
		"'started_by', i.started_by, "
		"'operators', coalesce((SELECT json_agg(DISTINCT e.op) "
		"FROM rbnav_events e WHERE e.incident = i.id), '[]'), "
		"'events', (SELECT count(*) FROM rbnav_events e "
		"WHERE e.incident = i.id), "
		"'last_event', " SHARED_TS("i.last_event") ", "
		"'ended', " SHARED_TS("i.ended") ", "
		"'outcome', i.outcome, 'pen', i.pen_holder, "
		"'pen_age', floor(extract(epoch FROM now() - "
		"i.pen_heartbeat)))::text "
		"FROM rbnav_incidents i ORDER BY i.started DESC, i.id";
	PGconn	*conn;
	json_t	*a = NULL;
	int	 yes;

	if ((conn = shared_connect_now(conninfo, cause)) == NULL)
		return (NULL);
	if ((yes = shared_exists(conn, cause)) == 1)
		a = shared_json_rows(conn, sql, 0, NULL, cause);
	else if (yes == 0)
		a = json_array();
	PQfinish(conn);
	return (a);
}

/*
 * Every event of an incident, all origins merged by ts, then origin, then
 * seq: a JSON array of the parsed journal lines, each with "origin"
 * added.  Blocking: for the command line (rbnav join).  NULL with *cause
 * (caller frees) on failure or when the incident is not there.
 */
json_t *
shared_fetch_events(const char *conninfo, const char *incident,
    char **cause)
{
	static const char sql[] =
		"SELECT json_build_object('origin', origin, 'line', line)"
		"::text FROM rbnav_events WHERE incident = $1 "
		"ORDER BY ts, origin, seq";
	PGconn		*conn;
	json_t		*rows = NULL, *a, *row, *ev;
	const char	*line, *p[1] = { incident };
	size_t		 i;
	int		 yes;

	if ((conn = shared_connect_now(conninfo, cause)) == NULL)
		return (NULL);
	if ((yes = shared_exists(conn, cause)) == 1)
		rows = shared_json_rows(conn, sql, 1, p, cause);
	else if (yes == 0)
		rows = json_array();
	PQfinish(conn);
	if (rows == NULL)
		return (NULL);
	if (json_array_size(rows) == 0) {
		*cause = xprintf("no incident %s in the shared timeline",
		    incident);
		json_decref(rows);
		return (NULL);
	}
	a = json_array();
	json_array_foreach(rows, i, row) {
		line = json_string_value(json_object_get(row, "line"));
		ev = line != NULL ? json_loads(line, 0, NULL) : NULL;
		if (!json_is_object(ev)) {
			json_decref(ev);
			continue;
		}
		json_object_set(ev, "origin", json_object_get(row, "origin"));
		json_array_append_new(a, ev);
	}
	json_decref(rows);
	return (a);
}
