/*
 * PostgreSQL checks: connect, run one query, look at the first value,
 * all with libpq's non-blocking API on the event loop.
 *
 * The host names are looked up first, without blocking (pgdial.c).
 * Then PQconnectStartParams and PQconnectPoll, waiting on
 * PQsocket as it says, re-read after every poll because libpq moves to a
 * new socket for each address it tries; PQsendQuery, and PQconsumeInput,
 * PQisBusy and PQgetResult as the answer comes.  PQconnectPoll ignores
 * connect_timeout: the deadline is the scheduler's, and at the deadline
 * the connection is closed with PQfinish (non-blocking: its goodbye is
 * never waited for).  Every check is a new connection; after a failure
 * the scheduler waits longer before the next one (CHECK_BACKOFF).
 */

#include <stdlib.h>
#include <string.h>

#include <event2/event.h>
#include <libpq-fe.h>

#include "checks.h"
#include "lazylib.h"
#include "pattern.h"
#include "pgdial.h"
#include "xmalloc.h"

#define PG_VALUE_MAX	200

enum pg_phase {
	PG_LOOKUP,
	PG_CONNECT,
	PG_FLUSH,
	PG_RESULT
};

struct pg_run {
	struct event_base	*base;
	const struct rb_check	*def;
	check_done_cb		 done;
	void			*done_arg;
	enum pg_phase		 phase;
	struct pgdial		*dial;
	PGconn			*conn;
	struct event		*ev;
	PGresult		*first;
};

static void	pg_event_cb(evutil_socket_t, short, void *);
static void	pg_free(void *);

/* Report, closing the connection first: the last thing on the stack. */
static void
pg_finish(struct pg_run *r, enum rb_state state, const char *detail)
{
	if (r->ev != NULL)
		event_del(r->ev);
	if (r->conn != NULL)
		PQfinish(r->conn);
	r->conn = NULL;
	r->done(r->done_arg, state, detail);
}

/*
 * libpq's message.  It holds one part per address tried, and may lose
 * the "connection to server at" of the first: keep the last part, and
 * say which server when libpq did not.
 */
static void
pg_fail(struct pg_run *r, enum rb_state state)
{
	const char	*m, *p, *last = NULL, *host, *addr;
	char		*msg, *shown;

	m = r->conn != NULL ? PQerrorMessage(r->conn) : "";
	for (p = m; (p = strstr(p, "connection to server")) != NULL; p++)
		last = p;
	if (last != NULL)
		msg = xstrdup(last);
	else if (r->phase == PG_CONNECT && r->conn != NULL &&
	    (host = PQhost(r->conn)) != NULL && *host != '\0') {
		addr = PQhostaddr(r->conn);
		if (addr == NULL || *addr == '\0' || strcmp(addr, host) == 0)
			shown = xprintf("\"%s\"", host);
		else
			shown = xprintf("\"%s\" (%s)", host, addr);
		msg = xprintf("connection to server at %s, port %s failed: %s",
		    shown, PQport(r->conn), m);
		free(shown);
	} else
		msg = xstrdup(m);
	pg_finish(r, state, msg[0] != '\0' ? msg : "connection failed");
	free(msg);
}

/* Wait for fd readiness on libpq's current socket. */
static void
pg_arm(struct pg_run *r, short what)
{
	struct timeval	tv = { 0, 0 };
	int		fd = PQsocket(r->conn);

	if (r->ev != NULL)
		event_free(r->ev);
	if (fd < 0) {
		/* No socket yet: poll again from the loop. */
		r->ev = evtimer_new(r->base, pg_event_cb, r);
		evtimer_add(r->ev, &tv);
		return;
	}
	r->ev = event_new(r->base, fd, what, pg_event_cb, r);
	event_add(r->ev, NULL);
}

/* The first value of the first result decides. */
static void
pg_judge(struct pg_run *r)
{
	const struct rb_check	*def = r->def;
	PGresult		*res = r->first;
	char			*value, *detail, *msg;
	int			 m;

	switch (PQresultStatus(res)) {
	case PGRES_TUPLES_OK:
		if (PQntuples(res) > 0 && PQnfields(res) > 0)
			value = xstrndup(PQgetisnull(res, 0, 0) ? "NULL" :
			    PQgetvalue(res, 0, 0), PG_VALUE_MAX);
		else
			value = xstrdup("");
		break;
	case PGRES_COMMAND_OK:
	case PGRES_EMPTY_QUERY:
		value = xstrdup("");
		break;
	default:
		msg = xstrdup(PQresultErrorMessage(res));
		pg_finish(r, RB_STATE_DOWN, msg[0] != '\0' ? msg :
		    PQresStatus(PQresultStatus(res)));
		free(msg);
		return;
	}
	if (def->expect != NULL &&
	    (m = pattern_match(def->expect, value, strlen(value), NULL,
	    NULL)) != 1) {
		detail = xprintf("value '%s' %s /%s/", value, m == 0 ?
		    "does not match" : "cannot be matched against",
		    pattern_source(def->expect));
		pg_finish(r, RB_STATE_DEGRADED, detail);
		free(detail);
	} else
		pg_finish(r, RB_STATE_UP, value[0] != '\0' ? value :
		    "connected, no rows");
	free(value);
}

/* Read what came; report when the last result is in. */
static void
pg_read(struct pg_run *r)
{
	PGresult	*res;

	if (!PQconsumeInput(r->conn)) {
		pg_fail(r, RB_STATE_DOWN);
		return;
	}
	while (!PQisBusy(r->conn)) {
		if ((res = PQgetResult(r->conn)) == NULL) {
			if (r->first == NULL) {
				pg_fail(r, RB_STATE_DOWN);
				return;
			}
			pg_judge(r);
			return;
		}
		if (r->first == NULL)
			r->first = res;
		else
			PQclear(res);
	}
	pg_arm(r, EV_READ);
}

/* Push the query out; then wait for its answer. */
static void
pg_flush(struct pg_run *r)
{
	switch (PQflush(r->conn)) {
	case 0:
		r->phase = PG_RESULT;
		pg_arm(r, EV_READ);
		break;
	case 1:
		r->phase = PG_FLUSH;
		pg_arm(r, EV_READ | EV_WRITE);
		break;
	default:
		pg_fail(r, RB_STATE_DOWN);
		break;
	}
}

static void
pg_event_cb(evutil_socket_t fd, short what, void *arg)
{
	struct pg_run		*r = arg;
	PostgresPollingStatusType st;

	(void)fd;
	switch (r->phase) {
	case PG_LOOKUP:
		break;
	case PG_CONNECT:
		st = PQconnectPoll(r->conn);
		if (st == PGRES_POLLING_FAILED) {
			pg_fail(r, RB_STATE_DOWN);
			return;
		}
		if (st == PGRES_POLLING_OK) {
			if (!PQsendQuery(r->conn, r->def->query != NULL ?
			    r->def->query : "SELECT 1")) {
				pg_fail(r, RB_STATE_DOWN);
				return;
			}
			pg_flush(r);
			return;
		}
		/* The socket may be a new one now. */
		pg_arm(r, st == PGRES_POLLING_READING ? EV_READ : EV_WRITE);
		break;
	case PG_FLUSH:
		if ((what & EV_READ) && !PQconsumeInput(r->conn)) {
			pg_fail(r, RB_STATE_DOWN);
			return;
		}
		pg_flush(r);
		break;
	case PG_RESULT:
		pg_read(r);
		break;
	}
}

/* Start connecting; -1 with *cause (caller frees) when libpq refuses. */
static int
pg_begin(struct pg_run *r, char **cause)
{
	r->phase = PG_CONNECT;
	r->conn = pgdial_connect(r->dial);
	pgdial_free(r->dial);
	r->dial = NULL;
	if (r->conn == NULL) {
		*cause = xstrdup(lazylib_why(LAZYLIB_PQ, "out of memory"));
		return (-1);
	}
	if (PQstatus(r->conn) == CONNECTION_BAD) {
		*cause = xstrdup(PQerrorMessage(r->conn));
		return (-1);
	}
	PQsetnonblocking(r->conn, 1);
	/* Before the first poll, as if it had said "writing". */
	pg_arm(r, EV_WRITE);
	return (0);
}

/* Every name has its addresses (called from the loop): connect. */
static void
pg_looked_up(const char *error, void *arg)
{
	struct pg_run	*r = arg;
	char		*cause;

	if (error != NULL)
		pg_finish(r, RB_STATE_UNKNOWN, error);
	else if (pg_begin(r, &cause) != 0) {
		pg_finish(r, RB_STATE_UNKNOWN, cause);
		free(cause);
	}
}

static void *
pg_start(const struct check_req *req, struct check_result *now)
{
	struct pg_run	*r;
	char		*cause;

	r = xcalloc(1, sizeof *r);
	r->base = req->base;
	r->def = req->def;
	r->done = req->done;
	r->done_arg = req->done_arg;
	if ((r->dial = pgdial_create(req->target, NULL, 0, &cause)) == NULL)
		goto fail;
	r->phase = PG_LOOKUP;
	if (pgdial_lookup(r->dial, r->base, pg_looked_up, r) == 0)
		return (r);	/* answers come from the loop */
	if (pg_begin(r, &cause) != 0)
		goto fail;
	return (r);
fail:
	check_result_set(now, RB_STATE_UNKNOWN, "%s", cause);
	free(cause);
	pg_free(r);
	return (NULL);
}

/* Close everything now; at the deadline, say what it was waiting for. */
static void
pg_cancel(void *arg, struct check_result *res)
{
	struct pg_run	*r = arg;
	char		*why;

	if (res != NULL) {
		why = res->detail;
		res->detail = NULL;
		switch (r->phase) {
		case PG_LOOKUP:
			check_result_set(res, RB_STATE_UNKNOWN,
			    "%s looking up \"%s\"", why,
			    pgdial_looking_up(r->dial) != NULL ?
			    pgdial_looking_up(r->dial) : "");
			break;
		case PG_CONNECT:
			check_result_set(res, RB_STATE_DOWN,
			    "%s connecting", why);
			break;
		case PG_FLUSH:
			check_result_set(res, RB_STATE_DOWN,
			    "%s sending the query", why);
			break;
		case PG_RESULT:
			check_result_set(res, RB_STATE_DOWN,
			    "%s waiting for the query result", why);
			break;
		}
		free(why);
	}
	pgdial_free(r->dial);
	r->dial = NULL;
	if (r->ev != NULL)
		event_free(r->ev);
	r->ev = NULL;
	if (r->conn != NULL)
		PQfinish(r->conn);
	r->conn = NULL;
}

static void
pg_free(void *arg)
{
	struct pg_run	*r = arg;

	if (r == NULL)
		return;
	pg_cancel(r, NULL);
	PQclear(r->first);
	free(r);
}

const struct check_ops check_pg_ops = {
	"postgres", CHECK_BACKOFF, NULL, NULL, pg_start, pg_cancel, pg_free
};
