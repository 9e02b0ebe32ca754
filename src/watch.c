/*
 * The systems of an incident.
 *
 * Live, the checks scheduler runs every system's check on its interval;
 * in a drill it is created with CHECKS_DRILL and contacts nothing: the
 * drill's initial states, its timed events, each step's `after` states
 * and the trainer's injections are the only source of states.  Either
 * way every transition is recorded as check.change, a system that comes
 * back after being down stops its RTO clock with an rto event, and the
 * current step, when it waits for systems, is done as soon as they are
 * all up.
 */

#include <stdlib.h>
#include <string.h>

#include <event2/event.h>
#include <jansson.h>

#include "checks.h"
#include "incident.h"
#include "watch.h"
#include "xmalloc.h"

struct watch_timer {
	struct watch	*w;
	size_t		 index;		/* into drill->events */
	struct event	*ev;
	int		 fired;
};

struct watch {
	struct event_base	*base;
	struct incident		*inc;
	struct checks		*checks;
	void			(*changed)(void *);
	void			*arg;
	int			*was_down;	/* per system */
	int64_t			*recovered;	/* ms, -1 still running */
	struct watch_timer	*timers;	/* drill events */
	size_t			 ntimers;
	size_t			 after_seen;	/* events scanned for after */
	size_t			 after_sc;	/* the scenario at after_seen */
	json_t			*after_done;	/* steps whose after applied */
};

static void	watch_eval(struct watch *);

static ssize_t
watch_index(const struct watch *w, const char *id)
{
	const struct rb_system	*s = runbook_system(w->inc->rb, id);

	return (s != NULL ? s - w->inc->rb->systems : -1);
}

/* One transition: recorded, and the RTO clock stopped on recovery. */
static void
watch_changed_cb(size_t sys, enum rb_state from, enum rb_state to,
    const char *detail, void *arg)
{
	struct watch		*w = arg;
	const struct rb_system	*s = &w->inc->rb->systems[sys];
	int64_t			 t = incident_clock(w->inc);

	/* A first check under way is not news. */
	if (from == RB_STATE_UNKNOWN && to == RB_STATE_PENDING) {
		if (w->changed != NULL)
			w->changed(w->arg);
		return;
	}
	incident_record(w->inc, "check.change", json_pack("{s:s, s:s, s:s, "
	    "s:s}", "system", s->id, "from", rb_state_name(from), "to",
	    rb_state_name(to), "detail", detail != NULL ? detail : ""));
	if (to == RB_STATE_DOWN || to == RB_STATE_DEGRADED) {
		w->was_down[sys] = 1;
		w->recovered[sys] = -1;
	} else if (to == RB_STATE_UP && w->was_down[sys] &&
	    w->recovered[sys] < 0) {
		w->recovered[sys] = t;
		/* Without an objective, no objective was missed. */
		incident_record(w->inc, "rto", s->rto >= 0 ?
		    json_pack("{s:s, s:b, s:I, s:I}", "system", s->id, "met",
		    t <= s->rto, "ms", (json_int_t)t, "rto_ms",
		    (json_int_t)s->rto) : json_pack("{s:s, s:b, s:I}",
		    "system", s->id, "met", 1, "ms", (json_int_t)t));
	}
	watch_eval(w);
	if (w->changed != NULL)
		w->changed(w->arg);
}

static void
watch_updated_cb(size_t sys, void *arg)
{
	struct watch	*w = arg;

	(void)sys;
	if (w->changed != NULL)
		w->changed(w->arg);
}

static const char *
watch_get_cb(const char *name, void *arg)
{
	struct watch	*w = arg;

	return (incident_var(w->inc, name));
}

/* A drill's timed event: a system changes state. */
static void
watch_timer_cb(evutil_socket_t fd, short what, void *arg)
{
	struct watch_timer	*t = arg;
	const struct drill_event *de = &t->w->inc->drill->events[t->index];
	ssize_t			 sys = watch_index(t->w, de->system);

	(void)fd;
	(void)what;
	t->fired = 1;
	if (sys >= 0)
		checks_simulate(t->w->checks, (size_t)sys, de->state,
		    "drill event");
}

/* Arm the drill's timed events that have not fired, from the clock. */
static void
watch_arm(struct watch *w)
{
	struct timeval	tv;
	int64_t		now = incident_clock(w->inc), at;
	size_t		i;

	for (i = 0; i < w->ntimers; i++) {
		if (w->timers[i].fired)
			continue;
		at = w->inc->drill->events[i].at - now;
		if (at < 0)
			at = 0;
		tv.tv_sec = at / 1000;
		tv.tv_usec = (at % 1000) * 1000;
		evtimer_add(w->timers[i].ev, &tv);
	}
}

/*
 * Watch the systems of inc; changed is called after every new result.
 * A drill starts from its initial states.
 */
struct watch *
watch_create(struct event_base *base, struct incident *inc,
    void (*changed)(void *), void *arg)
{
	struct watch		*w;
	struct checks_cb	 cb;
	const struct drill	*d = inc->drill;
	const json_t		*e;
	ssize_t			 sys;
	size_t			 i, n = inc->rb->nsystems;
	enum rb_state		 last = RB_STATE_UNKNOWN;

	w = xcalloc(1, sizeof *w);
	w->base = base;
	w->inc = inc;
	w->changed = changed;
	w->arg = arg;
	w->after_done = json_object();
	w->was_down = xcalloc(n + 1, sizeof *w->was_down);
	w->recovered = xcalloc(n + 1, sizeof *w->recovered);
	for (i = 0; i < n; i++)
		w->recovered[i] = -1;
	memset(&cb, 0, sizeof cb);
	cb.changed = watch_changed_cb;
	cb.updated = watch_updated_cb;
	cb.get = watch_get_cb;
	cb.arg = w;

	/* A resumed incident: what its events say already happened. */
	for (i = 0; i < inc->nevents; i++) {
		e = inc->events[i].json;
		if (strcmp(inc->events[i].type, "check.change") == 0 &&
		    (sys = watch_index(w, json_string_value(json_object_get(e,
		    "system")))) >= 0) {
			const char *to = json_string_value(json_object_get(e,
			    "to"));

			if (to != NULL && (strcmp(to, "down") == 0 ||
			    strcmp(to, "degraded") == 0))
				w->was_down[sys] = 1;
		} else if (strcmp(inc->events[i].type, "rto") == 0 &&
		    (sys = watch_index(w, json_string_value(json_object_get(e,
		    "system")))) >= 0)
			w->recovered[sys] = json_integer_value(
			    json_object_get(e, "ms"));
	}
	w->after_seen = inc->nevents;
	w->after_sc = inc->scenario;

	w->checks = checks_create(base, inc->rb, inc->mode == INCIDENT_DRILL ?
	    CHECKS_DRILL : 0, &cb);
	if (inc->mode == INCIDENT_DRILL && d != NULL && inc->resumed) {
		/* The simulated world as the timeline left it. */
		for (i = 0; i < inc->nevents; i++) {
			e = inc->events[i].json;
			if (strcmp(inc->events[i].type, "check.change") != 0 ||
			    (sys = watch_index(w, json_string_value(
			    json_object_get(e, "system")))) < 0)
				continue;
			rb_state_parse(json_string_value(json_object_get(e,
			    "to")), &last);
			checks_simulate(w->checks, (size_t)sys, last,
			    "as before the resume");
		}
	} else if (inc->mode == INCIDENT_DRILL && d != NULL) {
		for (i = 0; i < d->ninitial; i++) {
			if ((sys = watch_index(w, d->initial[i].system)) >= 0)
				checks_simulate(w->checks, (size_t)sys,
				    d->initial[i].state, "drill start");
		}
	}
	if (inc->mode == INCIDENT_DRILL && d != NULL) {
		w->ntimers = d->nevents;
		w->timers = xcalloc(d->nevents + 1, sizeof *w->timers);
		for (i = 0; i < d->nevents; i++) {
			w->timers[i].w = w;
			w->timers[i].index = i;
			w->timers[i].ev = evtimer_new(base, watch_timer_cb,
			    &w->timers[i]);
			/* Events already in the past of a resumed drill. */
			w->timers[i].fired = inc->resumed &&
			    d->events[i].at < incident_clock(inc);
		}
		if (!inc->paused)
			watch_arm(w);
	}
	checks_start(w->checks);
	watch_step(w);
	return (w);
}

void
watch_free(struct watch *w)
{
	size_t	i;

	if (w == NULL)
		return;
	for (i = 0; i < w->ntimers; i++)
		event_free(w->timers[i].ev);
	free(w->timers);
	checks_free(w->checks);
	json_decref(w->after_done);
	free(w->was_down);
	free(w->recovered);
	free(w);
}

const struct check_status *
watch_status(const struct watch *w, size_t sys)
{
	return (checks_status(w->checks, sys));
}

/* When the system came back (ms of the clock), or -1. */
int64_t
watch_recovered(const struct watch *w, size_t sys)
{
	return (w->recovered[sys]);
}

int
watch_was_down(const struct watch *w, size_t sys)
{
	return (w->was_down[sys]);
}

/* Whether every system of the current waiting step is up. */
static int
watch_all_up(const struct watch *w, const struct rb_step *st, char **which)
{
	const struct check_status	*cs;
	ssize_t				 sys;
	size_t				 i;

	for (i = 0; i < st->nwait_for; i++) {
		sys = watch_index(w, st->wait_for[i]);
		if (sys < 0)
			continue;
		cs = checks_status(w->checks, (size_t)sys);
		if (cs == NULL || cs->state != RB_STATE_UP) {
			if (which != NULL)
				*which = xstrdup(w->inc->rb->systems[sys].name);
			return (0);
		}
	}
	return (1);
}

/* A waiting step whose systems are all up is done. */
static void
watch_eval(struct watch *w)
{
	const struct rb_step	*st = incident_step(w->inc);
	struct incident_step	*ss;

	if (st == NULL || st->nwait_for == 0 || w->inc->ended)
		return;
	ss = incident_step_status(w->inc, w->inc->scenario, w->inc->step);
	if (ss->state != STEP_WAITING)
		return;
	if (watch_all_up(w, st, NULL))
		incident_done(w->inc, NULL);
}

/* The drill's after-states of step (sc, step), once per step. */
static void
watch_after(struct watch *w, const struct rb_scenario *sc, size_t step)
{
	const struct drill		*d = w->inc->drill;
	const struct rb_drill_result	*res = &sc->steps[step].drill;
	char				*key;
	size_t				 k;
	ssize_t				 sys;

	key = xprintf("%s/%s", sc->id, sc->steps[step].id);
	if (json_object_get(w->after_done, key) != NULL) {
		free(key);
		return;
	}
	json_object_set_new(w->after_done, key, json_true());
	free(key);
	for (k = 0; d != NULL && k < d->nsteps; k++) {
		const struct rb_scenario	*osc;
		int				 ostep;

		if (drill_resolve_ref(d, w->inc->rb, d->steps[k].ref, &osc,
		    &ostep) == 0 && osc == sc && (size_t)ostep == step)
			res = &d->steps[k].result;
	}
	for (k = 0; k < res->nafter; k++) {
		if ((sys = watch_index(w, res->after[k].system)) >= 0)
			checks_simulate(w->checks, (size_t)sys,
			    res->after[k].state, "after a step");
	}
}

/*
 * After every action: apply the drill's `after` states of steps that
 * were just done, start waiting on a step with wait_for and no run, and
 * finish a waiting step whose systems are up.
 */
void
watch_step(struct watch *w)
{
	const struct rb_step		*st;
	const struct rb_scenario	*sc;
	const json_t			*e;
	struct incident_step		*ss;
	size_t				 i;
	ssize_t				 step;

	/* Only the events since the last call: this runs on every action. */
	for (i = w->after_seen; i < w->inc->nevents; i++) {
		e = w->inc->events[i].json;
		if (strcmp(w->inc->events[i].type, "scenario.enter") == 0) {
			sc = runbook_scenario(w->inc->rb, json_string_value(
			    json_object_get(e, "scenario")));
			if (sc != NULL)
				w->after_sc = (size_t)(sc - w->inc->rb->scenarios);
		}
		if (w->inc->mode != INCIDENT_DRILL ||
		    strcmp(w->inc->events[i].type, "step.done") != 0)
			continue;
		/* A step done in a drill: its simulated after-states. */
		sc = &w->inc->rb->scenarios[w->after_sc];
		step = sc != NULL ? rb_scenario_step_index(sc,
		    json_string_value(json_object_get(e, "step"))) : -1;
		if (step < 0)
			continue;
		watch_after(w, sc, (size_t)step);
	}
	w->after_seen = w->inc->nevents;

	/*
	 * A drill step whose command succeeded and now waits for systems:
	 * its after-states are what it did, so they apply now.
	 */
	st = incident_step(w->inc);
	if (w->inc->mode == INCIDENT_DRILL && st != NULL) {
		ss = incident_step_status(w->inc, w->inc->scenario,
		    w->inc->step);
		if (ss->state == STEP_WAITING && st->run != NULL)
			watch_after(w, incident_scenario(w->inc),
			    w->inc->step);
	}
	if (st != NULL && st->nwait_for > 0 && st->run == NULL) {
		ss = incident_step_status(w->inc, w->inc->scenario,
		    w->inc->step);
		if (ss->state == STEP_PENDING)
			ss->state = STEP_WAITING;
	}
	watch_eval(w);
}

/* The trainer's `!`: a system changes state now (recorded). */
void
watch_inject(struct watch *w, size_t sys, enum rb_state state)
{
	incident_record(w->inc, "drill.inject", json_pack("{s:s, s:s}",
	    "system", w->inc->rb->systems[sys].id, "to",
	    rb_state_name(state)));
	checks_simulate(w->checks, sys, state, "trainer");
}

/* The drill clock stopped or started: so do its timed events. */
void
watch_pause(struct watch *w, int pause)
{
	size_t	i;

	if (pause) {
		for (i = 0; i < w->ntimers; i++)
			evtimer_del(w->timers[i].ev);
	} else
		watch_arm(w);
}

/* Whether the current step waits; *which: a system not up yet. */
int
watch_waiting(const struct watch *w, char **which)
{
	const struct rb_step	*st = incident_step(w->inc);
	struct incident_step	*ss;

	if (st == NULL || st->nwait_for == 0)
		return (0);
	ss = incident_step_status(w->inc, w->inc->scenario, w->inc->step);
	if (ss->state != STEP_WAITING)
		return (0);
	return (!watch_all_up(w, st, which));
}
