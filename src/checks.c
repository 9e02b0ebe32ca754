/*
 * The check scheduler: one status per system of a runbook.
 *
 * Each system with a check has a timer; when it fires the system joins
 * the queue of checks to start, worked off a few milliseconds per loop
 * pass (200 checks due at once must not hold the keyboard for 200
 * forks).  The check's kind (check-http.c, check-pg.c, check-tcp.c,
 * check-cmd.c, each a const ops table) starts it on the loop, and the
 * scheduler arms a deadline at the check's timeout: whatever the kind is
 * waiting for, the check ends there, cancelled with every fd closed.  A
 * check in flight is never started twice.  Results go into the system's
 * status with a small history; a change of state is reported through
 * the changed callback, a repeat is not.
 *
 * Drill mode is decided here, in checks_launch, and nowhere else: in a
 * drill no check is ever started and states come only from
 * checks_simulate.
 *
 * Nothing here blocks: name lookups for the kinds that need them (tcp,
 * postgres) run on a short-lived thread of their own and are reported
 * back through a socket pair.  No curses here.
 */

#include <sys/queue.h>
#include <sys/socket.h>
#include <sys/types.h>

#include <errno.h>
#include <netdb.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <event2/event.h>

#include "checks.h"
#include "expand.h"
#include "xmalloc.h"

#define CHECKS_NKINDS	5	/* indexed by enum rb_check_kind */
#define CHECKS_PASS_US	5000	/* starting checks, per loop pass */

struct checks_sys {
	struct checks		*c;
	size_t			 idx;
	const struct rb_system	*sys;
	const struct check_ops	*ops;
	struct check_status	 st;
	void			*run;	/* the check in flight */
	struct event		*ev_next;
	struct event		*ev_deadline;
	int			 nfail;	/* failures in a row */
	int			 once;	/* checks_once waits for it */
	int			 enabled;
	int			 queued;
	TAILQ_ENTRY(checks_sys)	 entry;	/* in the start queue */
};

struct checks {
	struct event_base	*base;
	const struct runbook	*rb;
	int			 flags;
	struct checks_cb	 cb;
	struct checks_sys	*sys;
	size_t			 nsys;
	int			 periodic;
	void			*env[CHECKS_NKINDS];
	int			 env_done[CHECKS_NKINDS];
	size_t			 once_left;
	void			(*all_done)(void *);
	void			*all_done_arg;
	struct event		*ev_all_done;
	TAILQ_HEAD(, checks_sys) queue;		/* to start, in order */
	struct event		*ev_queue;
};

static const struct check_ops *const checks_kinds[CHECKS_NKINDS] = {
	NULL,			/* RB_CHECK_NONE */
	&check_http_ops,	/* RB_CHECK_HTTP */
	&check_pg_ops,		/* RB_CHECK_POSTGRES */
	&check_tcp_ops,		/* RB_CHECK_TCP */
	&check_cmd_ops		/* RB_CHECK_COMMAND */
};

static void	checks_launch(struct checks_sys *);
static void	checks_request(struct checks_sys *);

/* Monotonic milliseconds: the clock of check_status.at and .started. */
int64_t
checks_time(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000);
}

static void
checks_tv(struct timeval *tv, int64_t ms)
{
	if (ms < 0)
		ms = 0;
	tv->tv_sec = ms / 1000;
	tv->tv_usec = (ms % 1000) * 1000;
}

/* A detail on one line: runs of white space become one space. */
static char *
checks_one_line(const char *s)
{
	char	*out, *q;
	int	 space = 0;

	out = q = xmalloc(strlen(s) + 1);
	for (; *s != '\0'; s++) {
		if (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r') {
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

/* Fill in a result (for the kinds); the detail is formatted. */
void
check_result_set(struct check_result *res, enum rb_state state,
    const char *fmt, ...)
{
	va_list	ap;

	res->state = state;
	free(res->detail);
	va_start(ap, fmt);
	xvasprintf(&res->detail, fmt, ap);
	va_end(ap);
}

static void
checks_set_detail(struct checks_sys *s, const char *detail)
{
	free(s->st.detail);
	s->st.detail = checks_one_line(detail != NULL ? detail : "");
}

static void
checks_updated(struct checks_sys *s)
{
	if (s->c->cb.updated != NULL)
		s->c->cb.updated(s->idx, s->c->cb.arg);
}

/* A new state, with the transition reported when it is one. */
static void
checks_set_state(struct checks_sys *s, enum rb_state state,
    const char *detail)
{
	enum rb_state	from = s->st.state;

	s->st.state = state;
	checks_set_detail(s, detail);
	if (from != state && s->c->cb.changed != NULL)
		s->c->cb.changed(s->idx, from, state, s->st.detail,
		    s->c->cb.arg);
}

static void
checks_all_done_cb(evutil_socket_t fd, short what, void *arg)
{
	struct checks	*c = arg;

	(void)fd;
	(void)what;
	if (c->all_done != NULL)
		c->all_done(c->all_done_arg);
}

/* checks_once is told from the loop, never from inside a callback. */
static void
checks_once_settle(struct checks_sys *s)
{
	struct checks	*c = s->c;
	struct timeval	 tv = { 0, 0 };

	if (!s->once)
		return;
	s->once = 0;
	if (c->once_left > 0 && --c->once_left == 0)
		evtimer_add(c->ev_all_done, &tv);
}

/* When the next check of s starts: its interval after the last start. */
static void
checks_schedule(struct checks_sys *s)
{
	struct timeval	tv;
	int64_t		delay;
	int		shift;

	if (!s->c->periodic || !s->enabled || s->ops == NULL)
		return;
	delay = s->sys->check.interval;
	if ((s->ops->flags & CHECK_BACKOFF) && s->nfail > 0) {
		shift = s->nfail > 2 ? 2 : s->nfail;
		delay <<= shift;
	}
	if (s->st.started >= 0)
		delay -= checks_time() - s->st.started;
	checks_tv(&tv, delay);
	evtimer_add(s->ev_next, &tv);
}

/* Record a result: status, history, transition, next check. */
static void
checks_record(struct checks_sys *s, enum rb_state state, int64_t latency,
    const char *detail)
{
	struct check_status	*st = &s->st;

	if (st->nhist == CHECKS_HISTORY) {
		memmove(st->hist_state, st->hist_state + 1,
		    (CHECKS_HISTORY - 1) * sizeof st->hist_state[0]);
		memmove(st->hist_latency, st->hist_latency + 1,
		    (CHECKS_HISTORY - 1) * sizeof st->hist_latency[0]);
		st->nhist--;
	}
	st->hist_state[st->nhist] = state;
	st->hist_latency[st->nhist] = latency;
	st->nhist++;
	st->latency = latency;
	st->at = checks_time();
	st->in_flight = 0;
	if (state == RB_STATE_UP || state == RB_STATE_UNKNOWN)
		s->nfail = 0;
	else
		s->nfail++;
	checks_set_state(s, state, detail);
	checks_updated(s);
	checks_once_settle(s);
	checks_schedule(s);
}

/* The end of a check, from its kind: the last thing on its stack. */
static void
checks_done(void *arg, enum rb_state state, const char *detail)
{
	struct checks_sys	*s = arg;
	void			*run = s->run;

	if (run == NULL)
		fatalx("check %s reported twice", s->sys->id);
	s->run = NULL;
	evtimer_del(s->ev_deadline);
	checks_record(s, state, checks_time() - s->st.started, detail);
	s->ops->free(run);
}

/* The timeout: the check ends now, whatever it was waiting for. */
static void
checks_deadline_cb(evutil_socket_t fd, short what, void *arg)
{
	struct checks_sys	*s = arg;
	struct check_result	 res;
	void			*run = s->run;
	int64_t			 t = s->sys->check.timeout;

	(void)fd;
	(void)what;
	if (run == NULL)
		return;
	memset(&res, 0, sizeof res);
	if (t % 1000 == 0)
		check_result_set(&res, RB_STATE_DOWN, "timed out after %llds",
		    (long long)(t / 1000));
	else
		check_result_set(&res, RB_STATE_DOWN,
		    "timed out after %lld ms", (long long)t);
	s->ops->cancel(run, &res);
	s->ops->free(run);
	s->run = NULL;
	checks_record(s, res.state, checks_time() - s->st.started,
	    res.detail);
	free(res.detail);
}

static void
checks_next_cb(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	checks_request(arg);
}

static int64_t
checks_time_us(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000);
}

/* Start queued checks for CHECKS_PASS_US at most, then let the loop go. */
static void
checks_queue_cb(evutil_socket_t fd, short what, void *arg)
{
	struct checks		*c = arg;
	struct checks_sys	*s;
	struct timeval		 tv = { 0, 0 };
	int64_t			 t0 = checks_time_us();

	(void)fd;
	(void)what;
	while ((s = TAILQ_FIRST(&c->queue)) != NULL) {
		TAILQ_REMOVE(&c->queue, s, entry);
		s->queued = 0;
		checks_launch(s);
		if (checks_time_us() - t0 >= CHECKS_PASS_US)
			break;
	}
	if (!TAILQ_EMPTY(&c->queue))
		evtimer_add(c->ev_queue, &tv);
}

/* Start the check of s soon (from the loop), unless it is on its way. */
static void
checks_request(struct checks_sys *s)
{
	struct checks	*c = s->c;
	struct timeval	 tv = { 0, 0 };

	if (s->queued || s->run != NULL)
		return;
	evtimer_del(s->ev_next);
	s->queued = 1;
	TAILQ_INSERT_TAIL(&c->queue, s, entry);
	evtimer_add(c->ev_queue, &tv);
}

/* The kind's shared state (a curl multi handle), made on first use. */
static void *
checks_env(struct checks *c, enum rb_check_kind kind)
{
	const struct check_ops	*ops = checks_kinds[kind];

	if (!c->env_done[kind]) {
		c->env_done[kind] = 1;
		if (ops->setup != NULL)
			c->env[kind] = ops->setup(c->base);
	}
	return (c->env[kind]);
}

/*
 * Start the check of s now.  The one place that decides whether
 * anything real is contacted: in a drill, nothing is.
 */
static void
checks_launch(struct checks_sys *s)
{
	struct checks		*c = s->c;
	const struct rb_check	*def = &s->sys->check;
	struct check_req	 req;
	struct check_result	 now;
	char			*target, *missing = NULL, *why;
	struct timeval		 tv;

	if (c->flags & CHECKS_DRILL) {
		checks_once_settle(s);
		return;
	}
	if (s->ops == NULL || !s->enabled) {
		checks_once_settle(s);
		return;
	}
	if (s->run != NULL)
		return;		/* checks_once settles on its result */
	evtimer_del(s->ev_next);
	s->st.started = checks_time();
	target = expand(def->target, def->kind == RB_CHECK_COMMAND ?
	    EXPAND_SHELL : 0, c->cb.get, c->cb.arg, &missing);
	if (target == NULL) {
		if (missing != NULL && strncmp(missing, "{{", 2) != 0)
			why = xprintf("needs {{%s}}", missing);
		else
			why = xstrdup("bad variable reference");
		free(missing);
		checks_record(s, RB_STATE_UNKNOWN, -1, why);
		free(why);
		return;
	}
	memset(&req, 0, sizeof req);
	req.base = c->base;
	req.def = def;
	req.target = target;
	req.env = checks_env(c, def->kind);
	req.done = checks_done;
	req.done_arg = s;
	memset(&now, 0, sizeof now);
	s->run = s->ops->start(&req, &now);
	free(target);
	if (s->run == NULL) {
		checks_record(s, now.state, -1, now.detail != NULL ?
		    now.detail : "cannot start the check");
		free(now.detail);
		return;
	}
	s->st.in_flight = 1;
	checks_tv(&tv, def->timeout);
	evtimer_add(s->ev_deadline, &tv);
	if (s->st.at == -1)
		checks_set_state(s, RB_STATE_PENDING, "checking");
	checks_updated(s);
}

/*
 * A scheduler for the systems of rb, on base; nothing starts before
 * checks_start or checks_once.  rb and the callbacks' arg must outlive
 * it; the caller frees it with checks_free.  Command checks need
 * job_init(base) to have been called.
 */
struct checks *
checks_create(struct event_base *base, const struct runbook *rb, int flags,
    const struct checks_cb *cb)
{
	struct checks		*c;
	struct checks_sys	*s;
	size_t			 i;

	c = xcalloc(1, sizeof *c);
	c->base = base;
	c->rb = rb;
	c->flags = flags;
	if (cb != NULL)
		c->cb = *cb;
	c->nsys = rb->nsystems;
	c->sys = xcalloc(c->nsys > 0 ? c->nsys : 1, sizeof *c->sys);
	c->ev_all_done = evtimer_new(base, checks_all_done_cb, c);
	TAILQ_INIT(&c->queue);
	c->ev_queue = evtimer_new(base, checks_queue_cb, c);
	for (i = 0; i < c->nsys; i++) {
		s = &c->sys[i];
		s->c = c;
		s->idx = i;
		s->sys = &rb->systems[i];
		s->enabled = 1;
		if (s->sys->check.kind > RB_CHECK_NONE &&
		    s->sys->check.kind < CHECKS_NKINDS)
			s->ops = checks_kinds[s->sys->check.kind];
		s->st.state = RB_STATE_UNKNOWN;
		s->st.latency = s->st.at = s->st.started = -1;
		if (s->ops == NULL)
			s->st.detail = xstrdup("no check");
		else if (flags & CHECKS_DRILL)
			s->st.detail = xstrdup("drill: no state yet");
		else
			s->st.detail = xstrdup("not checked yet");
		s->ev_next = evtimer_new(base, checks_next_cb, s);
		s->ev_deadline = evtimer_new(base, checks_deadline_cb, s);
	}
	return (c);
}

/* Check every system now and then on its interval, until freed. */
void
checks_start(struct checks *c)
{
	size_t	i;

	c->periodic = 1;
	for (i = 0; i < c->nsys; i++)
		checks_request(&c->sys[i]);
}

/*
 * Check every enabled system once, concurrently; all_done(arg) is
 * called from the loop when every result is in (at once in a drill).
 */
void
checks_once(struct checks *c, void (*all_done)(void *), void *arg)
{
	struct timeval	tv = { 0, 0 };
	size_t		i;

	c->all_done = all_done;
	c->all_done_arg = arg;
	c->once_left = 0;
	for (i = 0; i < c->nsys; i++) {
		if (c->sys[i].ops != NULL && c->sys[i].enabled) {
			c->sys[i].once = 1;
			c->once_left++;
		}
	}
	if (c->once_left == 0) {
		evtimer_add(c->ev_all_done, &tv);
		return;
	}
	for (i = 0; i < c->nsys; i++) {
		/* One already in flight is waited for, not started again. */
		if (c->sys[i].once)
			checks_request(&c->sys[i]);
	}
}

/* Check one system now (a refresh, or a variable got its value). */
void
checks_now(struct checks *c, size_t sys)
{
	if (sys < c->nsys)
		checks_request(&c->sys[sys]);
}

/* Leave a system out (on = 0) of every check from now on. */
void
checks_enable(struct checks *c, size_t sys, int on)
{
	struct checks_sys	*s;

	if (sys >= c->nsys)
		return;
	s = &c->sys[sys];
	s->enabled = on;
	if (!on) {
		evtimer_del(s->ev_next);
		if (s->st.at == -1 && s->ops != NULL && s->run == NULL)
			checks_set_detail(s, "not selected");
	} else if (c->periodic)
		checks_request(s);
}

/* A drill's state for a system.  Ignored unless created with CHECKS_DRILL. */
void
checks_simulate(struct checks *c, size_t sys, enum rb_state state,
    const char *detail)
{
	if (!(c->flags & CHECKS_DRILL) || sys >= c->nsys)
		return;
	checks_record(&c->sys[sys], state, -1,
	    detail != NULL ? detail : "drill");
}

const struct check_status *
checks_status(const struct checks *c, size_t sys)
{
	if (sys >= c->nsys)
		return (NULL);
	return (&c->sys[sys].st);
}

/* Cancel every check in flight (fds closed, processes killed), free all. */
void
checks_free(struct checks *c)
{
	struct checks_sys	*s;
	size_t			 i;

	if (c == NULL)
		return;
	for (i = 0; i < c->nsys; i++) {
		s = &c->sys[i];
		if (s->run != NULL) {
			s->ops->cancel(s->run, NULL);
			s->ops->free(s->run);
		}
		event_free(s->ev_next);
		event_free(s->ev_deadline);
		free(s->st.detail);
	}
	for (i = 0; i < CHECKS_NKINDS; i++) {
		if (c->env_done[i] && checks_kinds[i]->teardown != NULL)
			checks_kinds[i]->teardown(c->env[i]);
	}
	event_free(c->ev_all_done);
	event_free(c->ev_queue);
	free(c->sys);
	free(c);
}

/*
 * Name lookups.  getaddrinfo blocks, for as long as DNS takes, so it
 * runs on a detached thread; the answer comes back through a socket
 * pair read on the loop.  The lookup is shared by the thread and the
 * loop and freed by whichever lets go last: a cancelled lookup's thread
 * finishes on its own and closes its end then.
 */
struct checks_lookup {
	pthread_mutex_t		 mtx;
	int			 refs;
	char			*host;
	char			*port;
	int			 fds[2];	/* loop end, thread end */
	int			 err;
	struct addrinfo		*res;
	struct event		*ev;
	checks_lookup_cb	 cb;
	void			*arg;
};

static void
checks_lookup_unref(struct checks_lookup *l)
{
	int	last;

	pthread_mutex_lock(&l->mtx);
	last = --l->refs == 0;
	pthread_mutex_unlock(&l->mtx);
	if (!last)
		return;
	if (l->res != NULL)
		freeaddrinfo(l->res);
	if (l->fds[1] != -1)
		close(l->fds[1]);
	pthread_mutex_destroy(&l->mtx);
	free(l->host);
	free(l->port);
	free(l);
}

static void *
checks_lookup_thread(void *arg)
{
	struct checks_lookup	*l = arg;
	struct addrinfo		 hints, *res = NULL;
	int			 err;

	memset(&hints, 0, sizeof hints);
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;	/* no AI_ADDRCONFIG: as libpq */
	err = getaddrinfo(l->host, l->port, &hints, &res);
	pthread_mutex_lock(&l->mtx);
	l->err = err;
	l->res = err == 0 ? res : NULL;
	(void)send(l->fds[1], "", 1, MSG_NOSIGNAL | MSG_DONTWAIT);
	pthread_mutex_unlock(&l->mtx);
	checks_lookup_unref(l);
	return (NULL);
}

static void
checks_lookup_ready(evutil_socket_t fd, short what, void *arg)
{
	struct checks_lookup	*l = arg;
	struct addrinfo		*res;
	checks_lookup_cb	 cb = l->cb;
	void			*cbarg = l->arg;
	int			 err;
	char			 c;

	(void)what;
	if (fd != -1 && recv(fd, &c, 1, MSG_DONTWAIT) != 1 &&
	    errno == EAGAIN)
		return;
	pthread_mutex_lock(&l->mtx);
	err = l->err;
	res = l->res;
	l->res = NULL;
	pthread_mutex_unlock(&l->mtx);
	if (err == 0 && res == NULL)
		err = EAI_FAIL;
	checks_lookup_cancel(l);	/* may free l */
	cb(err, res, cbarg);
}

/*
 * Look host and port up; cb(error, addresses, arg) is called once on the
 * loop, with the addresses (caller frees with freeaddrinfo) or the
 * getaddrinfo error, unless checks_lookup_cancel was called first.  An
 * address literal is answered without a thread.
 */
struct checks_lookup *
checks_lookup_start(struct event_base *base, const char *host,
    const char *port, checks_lookup_cb cb, void *arg)
{
	struct checks_lookup	*l;
	struct addrinfo		 hints;
	struct timeval		 tv = { 0, 0 };
	pthread_attr_t		 attr;
	pthread_t		 t;
	sigset_t		 all, old;
	int			 rc;

	l = xcalloc(1, sizeof *l);
	pthread_mutex_init(&l->mtx, NULL);
	l->refs = 1;
	l->host = xstrdup(host);
	l->port = port != NULL ? xstrdup(port) : NULL;
	l->cb = cb;
	l->arg = arg;
	l->fds[0] = l->fds[1] = -1;

	memset(&hints, 0, sizeof hints);
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV;
	if (getaddrinfo(host, port, &hints, &l->res) == 0) {
		l->ev = evtimer_new(base, checks_lookup_ready, l);
		evtimer_add(l->ev, &tv);
		return (l);
	}
	l->res = NULL;
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK,
	    0, l->fds) == -1) {
		l->err = EAI_SYSTEM;
		l->ev = evtimer_new(base, checks_lookup_ready, l);
		evtimer_add(l->ev, &tv);
		return (l);
	}
	l->ev = event_new(base, l->fds[0], EV_READ | EV_PERSIST,
	    checks_lookup_ready, l);
	event_add(l->ev, NULL);

	/* The thread takes no signals: they belong to the loop. */
	l->refs = 2;
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	rc = pthread_create(&t, &attr, checks_lookup_thread, l);
	pthread_attr_destroy(&attr);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (rc != 0) {
		l->refs = 1;
		l->err = EAI_AGAIN;
		event_free(l->ev);
		close(l->fds[0]);
		l->fds[0] = -1;
		l->ev = evtimer_new(base, checks_lookup_ready, l);
		evtimer_add(l->ev, &tv);
	}
	return (l);
}

/* Stop waiting for a lookup; no callback comes after this. */
void
checks_lookup_cancel(struct checks_lookup *l)
{
	if (l == NULL)
		return;
	event_free(l->ev);
	l->ev = NULL;
	if (l->fds[0] != -1)
		close(l->fds[0]);
	l->fds[0] = -1;
	checks_lookup_unref(l);
}
