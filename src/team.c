/*
 * Many responders on one incident.
 *
 * Every event is written to the local journal first (incident.c), then
 * handed here: sent to the shared timeline (in order, with a backlog
 * while the database is away) and to the webhooks whose types it
 * matches.  Other operators' events arrive from the shared timeline and
 * are applied to the incident as they were applied on their screens,
 * without being written to this operator's journal: each journal is one
 * origin with its own chain.  The pen says who drives the step runner.
 * No curses here.
 */

#include <stdlib.h>
#include <string.h>

#include <event2/event.h>

#include "config.h"
#include "incident.h"
#include "journal-read.h"
#include "journal.h"
#include "shared.h"
#include "team.h"
#include "webhook.h"
#include "xmalloc.h"

#define TEAM_STALE	60	/* seconds without a heartbeat */

struct team {
	struct event_base	*base;
	struct incident		*inc;
	struct shared		*shared;
	struct webhooks		*hooks;
	void			(*changed)(void *);
	void			*arg;
	char			*origin;
	char			*failure;	/* the last webhook give-up */
	void			(*prev_record)(struct incident *, const char *,
				    size_t, int64_t, const json_t *, void *);
	void			*prev_record_arg;
};

static void
team_changed(void *arg)
{
	struct team	*t = arg;

	if (t->changed != NULL)
		t->changed(t->arg);
}

/* Another operator's event: applied here as it was there. */
static void
team_event_cb(const json_t *ev, const char *origin, void *arg)
{
	struct team	*t = arg;

	(void)origin;
	incident_apply(t->inc, ev, json_integer_value(json_object_get(ev,
	    "seq")));
	team_changed(t);
}

/* Each recorded event: to the shared timeline, then to webhooks. */
static void
team_record_cb(struct incident *inc, const char *line, size_t len,
    int64_t seq, const json_t *ev, void *arg)
{
	struct team	*t = arg;
	const char	*type = json_string_value(json_object_get(ev, "type"));

	if (t->shared != NULL)
		shared_send(t->shared, seq, line, len);
	/* A webhook's own failure is not sent to webhooks again. */
	if (t->hooks != NULL && type != NULL &&
	    strncmp(type, "webhook.", 8) != 0)
		webhooks_event(t->hooks, ev, inc->title, inc->op);
}

static void
team_hook_failed(const char *url, const char *why, void *arg)
{
	struct team	*t = arg;

	free(t->failure);
	t->failure = xprintf("webhook %s failed: %s", url, why);
	incident_record(t->inc, "webhook.failed", json_pack("{s:s, s:s}",
	    "url", url, "why", why));
	team_changed(t);
}

/* The origin of this operator's journal: op@host:file. */
static char *
team_origin(const struct incident *inc)
{
	const char	*path = journal_path(inc->journal);
	const char	*base = strrchr(path, '/');
	char		*s, *dot;

	s = xprintf("%s@%s:%s", inc->op, inc->host, base ? base + 1 : path);
	if ((dot = strstr(s, ".jsonl")) != NULL)
		*dot = '\0';
	return (s);
}

/*
 * Glue inc to the shared timeline (when o->conninfo is set) and to the
 * configured webhooks.  changed is called to redraw.  A joined incident
 * passes the events it was built from, so they are not delivered again.
 */
struct team *
team_create(struct event_base *base, struct incident *inc,
    const struct team_options *o, void (*changed)(void *), void *arg)
{
	struct team		*t;
	struct shared_options	 so;
	struct shared_cb	 cb;
	struct journal_file	*f;
	const json_t		*start = NULL, *e;
	char			*cause = NULL;
	size_t			 i;

	t = xcalloc(1, sizeof *t);
	t->base = base;
	t->inc = inc;
	t->changed = changed;
	t->arg = arg;
	t->origin = team_origin(inc);
	if (o->config != NULL && o->config->nwebhooks > 0)
		t->hooks = webhooks_create(base, o->config, inc->redact,
		    team_hook_failed, t);
	if (o->conninfo != NULL && *o->conninfo != '\0') {
		for (i = 0; i < inc->nevents && o->joined == NULL; i++) {
			if (strcmp(inc->events[i].type, "incident.start") == 0)
				start = inc->events[i].json;
		}
		memset(&so, 0, sizeof so);
		so.conninfo = o->conninfo;
		so.incident = inc->id;
		so.origin = t->origin;
		so.op = inc->op;
		so.start = start;
		memset(&cb, 0, sizeof cb);
		cb.event = team_event_cb;
		cb.changed = team_changed;
		cb.arg = t;
		t->shared = shared_open(base, &so, &cb);
		/* What the database may lack: this journal, whole. */
		f = journal_read(journal_path(inc->journal), JOURNAL_READ_LAZY,
		    &cause);
		free(cause);
		for (i = 0; f != NULL && i < f->nevents; i++)
			shared_send(t->shared, f->events[i].seq,
			    f->events[i].raw, f->events[i].len);
		journal_read_free(f);
		json_array_foreach(o->joined, i, e) {
			shared_seen(t->shared, json_string_value(
			    json_object_get(e, "origin")), json_integer_value(
			    json_object_get(e, "seq")));
		}
	}
	t->prev_record = inc->on_record;
	t->prev_record_arg = inc->on_record_arg;
	inc->on_record = team_record_cb;
	inc->on_record_arg = t;
	return (t);
}

/* Leave: what is still owed goes out within two seconds. */
void
team_free(struct team *t)
{
	struct timeval	tv = { 0, 50 * 1000 };
	int		i;

	if (t == NULL)
		return;
	t->inc->on_record = t->prev_record;
	t->inc->on_record_arg = t->prev_record_arg;
	if (t->shared != NULL) {
		shared_leave(t->shared);
		for (i = 0; i < 40 && !shared_settled(t->shared); i++) {
			event_base_loopexit(t->base, &tv);
			event_base_loop(t->base, 0);
		}
		shared_free(t->shared);
	}
	for (i = 0; t->hooks != NULL && i < 20 &&
	    webhooks_pending(t->hooks) > 0; i++) {
		event_base_loopexit(t->base, &tv);
		event_base_loop(t->base, 0);
	}
	webhooks_free(t->hooks);
	free(t->origin);
	free(t->failure);
	free(t);
}

int
team_shared(const struct team *t)
{
	return (t != NULL && t->shared != NULL);
}

/*
 * One line for the tab bar, most important first (the pen, the backlog,
 * then the connection error, then a webhook's failure), so that clipping
 * it keeps what matters; NULL when there is nothing to say.
 */
char *
team_status(const struct team *t)
{
	const char	*holder, *err;
	int64_t		 age = 0;
	size_t		 behind;
	char		*s, *n;

	if (t == NULL)
		return (NULL);
	if (t->shared == NULL)
		return (t->failure != NULL ? xstrdup(t->failure) : NULL);
	holder = shared_pen_holder(t->shared, &age);
	s = shared_pen_mine(t->shared) ? xstrdup("you hold the pen") :
	    holder != NULL ? xprintf("pen: %s%s", holder, age >= TEAM_STALE ?
	    " (stale)" : "") : xstrdup("nobody holds the pen");
	behind = shared_backlog(t->shared);
	if (behind > 0 || !shared_connected(t->shared)) {
		n = xprintf("%s · shared timeline: %zu events behind", s,
		    behind);
		free(s);
		s = n;
	}
	if (!shared_connected(t->shared)) {
		err = shared_error(t->shared);
		n = xprintf("%s · %s", s, err != NULL ? err : "connecting");
		free(s);
		s = n;
	}
	if (t->failure != NULL) {
		n = xprintf("%s · %s", s, t->failure);
		free(s);
		s = n;
	}
	return (s);
}

/*
 * Whether this operator may drive the step runner: without a shared
 * timeline always; else when holding the pen.  *why names the holder.
 */
int
team_may_drive(const struct team *t, char **why)
{
	const char	*holder;
	int64_t		 age = 0;

	if (t == NULL || t->shared == NULL || shared_pen_mine(t->shared))
		return (1);
	holder = shared_pen_holder(t->shared, &age);
	if (holder == NULL)
		*why = xstrdup("nobody holds the pen: H takes it");
	else if (age >= TEAM_STALE)
		*why = xprintf("%s holds the pen but has been silent for "
		    "%llds: H takes it over", holder, (long long)age);
	else
		*why = xprintf("%s holds the pen: ask them, or wait for h",
		    holder);
	return (0);
}

/* Take the pen (force: even from a live holder); recorded. */
int
team_take(struct team *t, int force)
{
	const char	*holder;
	int64_t		 age = 0;

	if (t == NULL || t->shared == NULL)
		return (-1);
	holder = shared_pen_holder(t->shared, &age);
	if (shared_pen_take(t->shared, force ? SHARED_PEN_FORCE : 0) != 0)
		return (-1);
	incident_record(t->inc, "pen.take", json_pack("{s:s, s:b}", "from",
	    holder != NULL ? holder : "", "stale", age >= TEAM_STALE));
	return (0);
}

/* Hand the pen to another operator; recorded. */
int
team_give(struct team *t, const char *to)
{
	if (t == NULL || t->shared == NULL)
		return (-1);
	incident_record(t->inc, "pen.handover", json_pack("{s:s}", "to", to));
	return (shared_pen_give(t->shared, to));
}

/* The other operators seen in the incident's events; caller frees. */
char **
team_operators(const struct team *t, size_t *n)
{
	char		**v = NULL;
	const char	*op;
	size_t		  i, k;

	*n = 0;
	for (i = 0; i < t->inc->nevents; i++) {
		op = t->inc->events[i].op;
		if (op == NULL || strcmp(op, t->inc->op) == 0)
			continue;
		for (k = 0; k < *n && strcmp(v[k], op) != 0; k++)
			;
		if (k < *n)
			continue;
		v = xreallocarray(v, *n + 1, sizeof *v);
		v[(*n)++] = xstrdup(op);
	}
	return (v);
}
