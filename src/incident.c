/*
 * An incident in progress.
 *
 * Owns where the operator is (scenario and step), the state of every
 * step, the variables' values and the in-memory copy of the timeline.
 * Every action goes through incident_record, the one function that
 * writes an event: to the journal first (durably), then to the list the
 * timeline pane shows.  Secrets are redacted before either sees them.
 * No curses here; the interface calls these functions and draws the
 * result.
 */

#include <sys/utsname.h>

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "expand.h"
#include "incident.h"
#include "event.h"
#include "journal-read.h"
#include "journal.h"
#include "pattern.h"
#include "redact.h"
#include "xmalloc.h"

static const char *step_state_names[] = {
	[STEP_PENDING] = "pending",
	[STEP_DONE] = "done",
	[STEP_SKIPPED] = "skipped",
	[STEP_FAILED] = "failed",
	[STEP_RUNNING] = "running",
	[STEP_WAITING] = "waiting",
};

const char *
incident_step_state_name(enum step_state s)
{
	return (step_state_names[s]);
}

int64_t
incident_elapsed(const struct incident *inc)
{
	struct timespec	now;

	if (inc->frozen)
		return (inc->frozen_t);	/* a replay shows its position */

	clock_gettime(CLOCK_MONOTONIC, &now);
	return ((int64_t)(now.tv_sec - inc->start.tv_sec) * 1000 +
	    (now.tv_nsec - inc->start.tv_nsec) / 1000000);
}

/* The drill clock: time since the start, pauses left out. */
int64_t
incident_clock(const struct incident *inc)
{
	int64_t	now = incident_elapsed(inc);

	if (inc->paused)
		now = inc->paused_at;
	return (now - inc->paused_ms);
}

/* Stop (pause = 1) or restart the drill clock; recorded. */
void
incident_pause(struct incident *inc, int pause)
{
	int64_t	now = incident_elapsed(inc);

	if (pause == inc->paused)
		return;
	if (pause)
		inc->paused_at = now;
	else
		inc->paused_ms += now - inc->paused_at;
	inc->paused = pause;
	incident_record(inc, pause ? "drill.pause" : "drill.resume",
	    json_pack("{s:I}", "clock", (json_int_t)incident_clock(inc)));
}

const struct rb_scenario *
incident_scenario(const struct incident *inc)
{
	return (&inc->rb->scenarios[inc->scenario]);
}

/* The current step, or NULL when the scenario has run to its end. */
const struct rb_step *
incident_step(const struct incident *inc)
{
	const struct rb_scenario	*sc = incident_scenario(inc);

	if (inc->step >= sc->nsteps)
		return (NULL);
	return (&sc->steps[inc->step]);
}

struct incident_step *
incident_step_status(const struct incident *inc, size_t sc, size_t step)
{
	return (&inc->steps[sc][step]);
}

/* s with every secret and redaction pattern replaced; caller frees. */
static char *
incident_redact(const struct incident *inc, const char *s)
{
	return (redact_string(inc->redact, s));
}

/* The redactor: built-in patterns, the config's, and secrets as set. */
static void
incident_redactor(struct incident *inc, const struct incident_options *o)
{
	size_t	i;

	redact_free(inc->redact);
	inc->redact = redact_create();
	for (i = 0; o != NULL && i < o->nredact; i++)
		redact_add_pattern(inc->redact, o->redact[i]);
	for (i = 0; i < inc->rb->nvariables; i++) {
		if (inc->rb->variables[i].secret && inc->values[i] != NULL)
			redact_add_secret(inc->redact, inc->values[i]);
	}
}

/* Redact every string value of an event, in place. */
static void
incident_redact_json(const struct incident *inc, json_t *j)
{
	const char	*key;
	json_t		*v;
	size_t		 i;
	char		*r;

	if (json_is_object(j)) {
		json_object_foreach(j, key, v) {
			if (json_is_string(v)) {
				r = incident_redact(inc, json_string_value(v));
				json_string_set(v, r);
				free(r);
			} else
				incident_redact_json(inc, v);
		}
	} else if (json_is_array(j)) {
		json_array_foreach(j, i, v) {
			if (json_is_string(v)) {
				r = incident_redact(inc, json_string_value(v));
				json_string_set(v, r);
				free(r);
			} else
				incident_redact_json(inc, v);
		}
	}
}

/*
 * Record one event: own holds the type's keys (its reference is taken;
 * "mode" is added in drill mode).  The event goes to the journal first,
 * then to the list the timeline pane shows, its line made by
 * event_summary as for a resumed incident.  Returns the event's seq.
 */
int64_t
incident_record(struct incident *inc, const char *type, json_t *own)
{
	struct incident_event	*ev;
	int64_t			 t = incident_elapsed(inc), seq;
	json_t			*copy;

	if (own == NULL)
		own = json_object();
	if (inc->mode == INCIDENT_DRILL)
		json_object_set_new(own, "mode", json_string("drill"));
	incident_redact_json(inc, own);
	copy = json_deep_copy(own);
	seq = journal_append(inc->journal, inc->op, type, t, own);
	json_object_set_new(copy, "type", json_string(type));
	json_object_set_new(copy, "t", json_integer(t));
	json_object_set_new(copy, "seq", json_integer(seq));
	json_object_set_new(copy, "op", json_string(inc->op));

	inc->events = xreallocarray(inc->events, inc->nevents + 1,
	    sizeof *inc->events);
	ev = &inc->events[inc->nevents++];
	ev->seq = seq;
	ev->t = t;
	ev->op = xstrdup(inc->op);
	ev->type = xstrdup(type);
	ev->text = event_summary(copy);
	ev->json = copy;
	if (inc->on_record != NULL) {
		size_t		 len;
		const char	*line = journal_last_line(inc->journal, &len);

		inc->on_record(inc, line, len, seq, copy,
		    inc->on_record_arg);
	}
	if (inc->on_event != NULL)
		inc->on_event(inc, inc->on_event_arg);
	return (seq);
}

static char *
incident_hostname(void)
{
	struct utsname	u;

	if (uname(&u) == 0)
		return (xstrdup(u.nodename));
	return (xstrdup("unknown"));
}

/*
 * Start an incident (or a drill when d is not NULL) on scenario sc of rb:
 * creates its timeline and records incident.start, scenario.enter and
 * step.enter.  NULL with *cause set when the timeline cannot be created.
 */
struct incident *
incident_start(const struct runbook *rb, const struct rb_scenario *sc,
    const struct drill *d, const struct incident_options *o, char **cause)
{
	struct incident	*inc;
	struct tm	 tm;
	time_t		 now;
	char		 stamp[32], *base, *dir;
	size_t		 i;
	json_t		*own;

	inc = xcalloc(1, sizeof *inc);
	inc->rb = rb;
	inc->drill = d;
	inc->mode = d != NULL ? INCIDENT_DRILL : INCIDENT_LIVE;
	inc->op = xstrdup(o->op != NULL ? o->op : "operator");
	inc->title = xstrdup(o->title != NULL ? o->title : sc->title);
	inc->host = incident_hostname();
	inc->scenario = (size_t)(sc - rb->scenarios);
	inc->steps = xcalloc(rb->nscenarios, sizeof *inc->steps);
	for (i = 0; i < rb->nscenarios; i++)
		inc->steps[i] = xcalloc(rb->scenarios[i].nsteps + 1,
		    sizeof **inc->steps);
	inc->entered = xcalloc(rb->nscenarios, sizeof *inc->entered);
	inc->path = xcalloc(rb->nscenarios + 1, sizeof *inc->path);
	inc->values = xcalloc(rb->nvariables + 1, sizeof *inc->values);
	for (i = 0; i < rb->nvariables; i++) {
		if (rb->variables[i].def != NULL)
			inc->values[i] = xstrdup(rb->variables[i].def);
	}
	incident_redactor(inc, o);
	clock_gettime(CLOCK_MONOTONIC, &inc->start);
	{
		struct timespec	ts;

		clock_gettime(CLOCK_REALTIME, &ts);
		inc->start_wall = (int64_t)ts.tv_sec * 1000 +
		    ts.tv_nsec / 1000000;
		now = ts.tv_sec;
	}
	gmtime_r(&now, &tm);
	strftime(stamp, sizeof stamp, "%Y%m%dT%H%M%SZ", &tm);
	base = xprintf("%s-%s", stamp, sc->id);
	dir = o->state_dir != NULL ? xstrdup(o->state_dir) :
	    journal_default_dir();
	inc->journal = journal_create(dir, base, &inc->id, cause);
	free(base);
	free(dir);
	if (inc->journal == NULL) {
		incident_free(inc);
		return (NULL);
	}

	own = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s}",
	    "incident", inc->id, "mode", d != NULL ? "drill" : "live",
	    "runbook", rb->id, "runbook_sha256", runbook_sha256(rb),
	    "scenario", sc->id, "title", inc->title, "host", inc->host);
	if (d != NULL)
		json_object_set_new(own, "drill", json_string(d->id));
	incident_record(inc, "incident.start", own);
	inc->step = (size_t)-1;
	incident_move(inc, inc->scenario, 0);
	return (inc);
}

void
incident_free(struct incident *inc)
{
	size_t	i;

	if (inc == NULL)
		return;
	journal_close(inc->journal);
	redact_free(inc->redact);
	for (i = 0; i < inc->rb->nscenarios; i++) {
		size_t	k;

		for (k = 0; k <= inc->rb->scenarios[i].nsteps; k++)
			free(inc->steps[i][k].jump);
		free(inc->steps[i]);
	}
	free(inc->steps);
	free(inc->entered);
	free(inc->path);
	for (i = 0; i < inc->rb->nvariables; i++)
		free(inc->values[i]);
	free(inc->values);
	for (i = 0; i < inc->nevents; i++) {
		free(inc->events[i].op);
		free(inc->events[i].type);
		free(inc->events[i].text);
		json_decref(inc->events[i].json);
	}
	free(inc->events);
	free(inc->id);
	free(inc->title);
	free(inc->op);
	free(inc->host);
	free(inc->outcome);
	free(inc);
}

/*
 * Make (scenario sc, step) current, recording scenario.enter when the
 * scenario changes and step.enter for the step.
 */
void
incident_move(struct incident *inc, size_t sc, size_t step)
{
	const struct rb_scenario	*s = &inc->rb->scenarios[sc];

	if (sc != inc->scenario || !inc->entered[sc]) {
		inc->scenario = sc;
		if (!inc->entered[sc]) {
			inc->entered[sc] = 1;
			inc->path[inc->npath++] = sc;
		}
		incident_record(inc, "scenario.enter",
		    json_pack("{s:s}", "scenario", s->id));
	}
	if (step == inc->step && sc == inc->scenario)
		return;
	inc->step = step;
	if (step < s->nsteps) {
		inc->steps[sc][step].entered = 1;
		incident_record(inc, "step.enter",
		    json_pack("{s:s}", "step", s->steps[step].id));
	}
}

/* Where the current step leads once it succeeds: its goto, or next. */
static void
incident_advance(struct incident *inc, const char *target)
{
	const struct rb_scenario	*sc = incident_scenario(inc), *to;
	int				 step;

	if (target != NULL &&
	    runbook_resolve(inc->rb, sc, target, &to, &step) == 0) {
		incident_move(inc, (size_t)(to - inc->rb->scenarios),
		    (size_t)step);
		return;
	}
	incident_move(inc, inc->scenario, inc->step + 1);
}

static void
incident_finish_step(struct incident *inc, enum step_state state,
    const char *type, const char *reason)
{
	const struct rb_step	*st = incident_step(inc);
	json_t			*own;

	if (st == NULL)
		return;
	own = json_pack("{s:s}", "step", st->id);
	if (reason != NULL && *reason != '\0')
		json_object_set_new(own, "reason", json_string(reason));
	inc->steps[inc->scenario][inc->step].state = state;
	incident_record(inc, type, own);
}

/* The current step succeeded (reason: an override, or NULL). */
void
incident_done(struct incident *inc, const char *reason)
{
	const struct rb_step	*st = incident_step(inc);

	if (st == NULL)
		return;
	incident_finish_step(inc, STEP_DONE, "step.done", reason);
	incident_advance(inc, st->target);
}

void
incident_skip(struct incident *inc, const char *reason)
{
	const struct rb_step	*st = incident_step(inc);

	if (st == NULL)
		return;
	incident_finish_step(inc, STEP_SKIPPED, "step.skip", reason);
	incident_advance(inc, st->nchoices > 0 ? NULL : st->target);
}

/* The current step failed: it stays current. */
void
incident_fail(struct incident *inc, const char *reason)
{
	incident_finish_step(inc, STEP_FAILED, "step.fail", reason);
}

/* The operator answered the current ask step with choice i. */
void
incident_decide(struct incident *inc, size_t i, const char *why)
{
	const struct rb_step	*st = incident_step(inc);
	const struct rb_choice	*c;
	json_t			*own;
	struct incident_step	*ss;

	if (st == NULL || i >= st->nchoices)
		return;
	c = &st->choices[i];
	own = json_pack("{s:s, s:s, s:s}", "step", st->id, "choice", c->label,
	    "goto", c->target);
	if (why != NULL && *why != '\0')
		json_object_set_new(own, "why", json_string(why));
	incident_record(inc, "decision", own);
	ss = &inc->steps[inc->scenario][inc->step];
	ss->state = STEP_DONE;
	free(ss->jump);
	ss->jump = xprintf("%s", c->target);
	incident_finish_step(inc, STEP_DONE, "step.done", NULL);
	incident_advance(inc, c->target);
}

void
incident_note(struct incident *inc, const char *text)
{
	incident_record(inc, "note", json_pack("{s:s}", "text", text));
}

/* The answer to a confirmation of the current step. */
void
incident_confirm(struct incident *inc, int yes, int typed)
{
	const struct rb_step	*st = incident_step(inc);
	json_t			*own;

	if (st == NULL)
		return;
	own = json_pack("{s:s, s:s}", "step", st->id, "answer",
	    yes ? "yes" : "no");
	if (st->danger != NULL)
		json_object_set_new(own, "typed", json_boolean(typed));
	incident_record(inc, "confirm", own);
}

/* End the incident; done[i] says whether checklist item i was ticked. */
void
incident_end(struct incident *inc, const char *outcome, const char *summary,
    const int *done)
{
	json_t	*own, *list;
	size_t	 i;

	own = json_pack("{s:s, s:s}", "outcome", outcome, "summary",
	    summary != NULL ? summary : "");
	if (inc->rb->npost_incident > 0) {
		list = json_array();
		for (i = 0; i < inc->rb->npost_incident; i++)
			json_array_append_new(list, json_pack("{s:s, s:b}",
			    "item", inc->rb->post_incident[i], "done",
			    done != NULL && done[i]));
		json_object_set_new(own, "checklist", list);
	}
	incident_record(inc, "incident.end", own);
	inc->ended = 1;
	free(inc->outcome);
	inc->outcome = xstrdup(outcome);
}

static ssize_t
incident_var_index(const struct incident *inc, const char *name)
{
	size_t	i;

	for (i = 0; i < inc->rb->nvariables; i++) {
		if (strcmp(inc->rb->variables[i].name, name) == 0)
			return ((ssize_t)i);
	}
	return (-1);
}

const char *
incident_var(const struct incident *inc, const char *name)
{
	ssize_t	i = incident_var_index(inc, name);

	return (i < 0 ? NULL : inc->values[i]);
}

/*
 * Set a variable, checked against its pattern.  Returns 0, or -1 with
 * *cause (caller frees) saying why the value is refused.
 */
int
incident_set_var(struct incident *inc, const char *name, const char *value,
    char **cause)
{
	const struct rb_variable	*v;
	ssize_t				 i = incident_var_index(inc, name);

	if (i < 0) {
		*cause = xprintf("no variable %s", name);
		return (-1);
	}
	v = &inc->rb->variables[i];
	if (v->pattern != NULL && pattern_match(v->pattern, value,
	    strlen(value), NULL, NULL) != 1) {
		*cause = xprintf("does not match %s",
		    pattern_source(v->pattern));
		return (-1);
	}
	free(inc->values[i]);
	inc->values[i] = xstrdup(value);
	if (v->secret && *value != '\0')
		redact_add_secret(inc->redact, value);
	incident_record(inc, "var.set", json_pack("{s:s, s:s}", "name", name,
	    "value", v->secret ? "[REDACTED]" : value));
	return (0);
}

struct incident_find {
	const struct incident	*inc;
	const char		*missing;
};

static void
incident_find_cb(const char *name, size_t off, void *arg)
{
	struct incident_find	*f = arg;
	ssize_t			 i;

	(void)off;
	if (f->missing != NULL)
		return;
	i = incident_var_index(f->inc, name);
	if (i >= 0 && f->inc->values[i] == NULL)
		f->missing = f->inc->rb->variables[i].name;
}

/* The first variable st uses that has no value yet, or NULL. */
const char *
incident_missing_var(const struct incident *inc, const struct rb_step *st)
{
	struct incident_find	 f = { inc, NULL };
	const char		*fields[] = { st->run, st->workdir, st->title,
				    st->text, st->ask, st->open };
	size_t			 i;

	for (i = 0; i < sizeof fields / sizeof fields[0]; i++) {
		if (fields[i] != NULL)
			expand_refs(fields[i], incident_find_cb, &f, NULL);
	}
	return (f.missing);
}

struct incident_get {
	const struct incident	*inc;
	int			 mask;
};

static const char *
incident_get_cb(const char *name, void *arg)
{
	struct incident_get	*g = arg;
	ssize_t			 i = incident_var_index(g->inc, name);

	if (i < 0)
		return (NULL);
	if (g->mask && g->inc->rb->variables[i].secret &&
	    g->inc->values[i] != NULL)
		return ("[REDACTED]");
	return (g->inc->values[i]);
}

/*
 * Fill in tmpl with the values (flags: INCIDENT_EXPAND_*).  NULL when a
 * value is missing, named in *missing (caller frees).
 */
char *
incident_expand(const struct incident *inc, const char *tmpl, int flags,
    char **missing)
{
	struct incident_get	g = { inc, flags & INCIDENT_EXPAND_MASK };

	return (expand(tmpl, (flags & INCIDENT_EXPAND_SHELL) ? EXPAND_SHELL :
	    0, incident_get_cb, &g, missing));
}

/* The index of scenario id, or -1. */
static ssize_t
incident_scenario_index(const struct runbook *rb, const char *id)
{
	const struct rb_scenario	*sc = runbook_scenario(rb, id);

	return (sc != NULL ? sc - rb->scenarios : -1);
}

static const char *
incident_jstr(const json_t *e, const char *key)
{
	const char	*s = json_string_value(json_object_get(e, key));

	return (s != NULL ? s : "");
}

/* Milliseconds since 1970 of an RFC 3339 timestamp, or -1. */
static int64_t
incident_parse_ts(const char *s)
{
	struct tm	tm;
	const char	*p;
	int		ms = 0;

	memset(&tm, 0, sizeof tm);
	if ((p = strptime(s, "%Y-%m-%dT%H:%M:%S", &tm)) == NULL)
		return (-1);
	if (*p == '.')
		ms = atoi(p + 1);
	return ((int64_t)timegm(&tm) * 1000 + ms);
}

/*
 * Set the incident's clock so that t goes on from last_t, the t of its
 * last event, plus the wall time since that event (last_wall, ms since
 * 1970, or -1): across machines and reboots, t never goes back.
 */
static void
incident_continue(struct incident *inc, int64_t last_t, int64_t last_wall)
{
	struct timespec	now;
	int64_t		wall;

	clock_gettime(CLOCK_REALTIME, &now);
	wall = (int64_t)now.tv_sec * 1000 + now.tv_nsec / 1000000;
	if (last_wall >= 0 && wall > last_wall)
		last_t += wall - last_wall;
	clock_gettime(CLOCK_MONOTONIC, &inc->start);
	inc->start.tv_sec -= last_t / 1000;
	inc->start.tv_nsec -= (last_t % 1000) * 1000000;
	if (inc->start.tv_nsec < 0) {
		inc->start.tv_sec--;
		inc->start.tv_nsec += 1000000000;
	}
	inc->start_wall = wall - last_t;
}

/*
 * Apply one event of a timeline to the incident's state, as it was when
 * the event was written, and add it to the timeline pane's list.  Used
 * by resume and replay; records nothing.
 */
void
incident_apply(struct incident *inc, const json_t *e, int64_t seqno)
{
	const struct runbook	*rb = inc->rb;
	const char		*type = incident_jstr(e, "type");
	int64_t			 t = json_integer_value(json_object_get(e, "t"));
	ssize_t			 sc, st;
	size_t			 k;

	if (strcmp(type, "scenario.enter") == 0) {
		sc = incident_scenario_index(rb, incident_jstr(e, "scenario"));
		if (sc >= 0) {
			inc->scenario = (size_t)sc;
			inc->step = 0;
			if (!inc->entered[sc]) {
				inc->entered[sc] = 1;
				inc->path[inc->npath++] = (size_t)sc;
			}
		}
	} else if (strcmp(type, "step.enter") == 0) {
		st = rb_scenario_step_index(incident_scenario(inc),
		    incident_jstr(e, "step"));
		if (st >= 0) {
			inc->step = (size_t)st;
			inc->steps[inc->scenario][st].entered = 1;
		}
	} else if (strcmp(type, "step.done") == 0 ||
	    strcmp(type, "step.skip") == 0 || strcmp(type, "step.fail") == 0) {
		st = rb_scenario_step_index(incident_scenario(inc),
		    incident_jstr(e, "step"));
		if (st >= 0)
			inc->steps[inc->scenario][st].state =
			    strcmp(type, "step.done") == 0 ? STEP_DONE :
			    strcmp(type, "step.skip") == 0 ? STEP_SKIPPED :
			    STEP_FAILED;
		/* The move that followed is its own step.enter. */
		if (st >= 0 && (size_t)st == inc->step &&
		    strcmp(type, "step.fail") != 0)
			inc->step = incident_scenario(inc)->nsteps;
	} else if (strcmp(type, "decision") == 0) {
		st = rb_scenario_step_index(incident_scenario(inc),
		    incident_jstr(e, "step"));
		if (st >= 0) {
			free(inc->steps[inc->scenario][st].jump);
			inc->steps[inc->scenario][st].jump =
			    xstrdup(incident_jstr(e, "goto"));
		}
	} else if (strcmp(type, "var.set") == 0) {
		for (k = 0; k < rb->nvariables; k++) {
			if (strcmp(rb->variables[k].name,
			    incident_jstr(e, "name")) != 0)
				continue;
			free(inc->values[k]);
			inc->values[k] = rb->variables[k].secret ?
			    NULL : xstrdup(incident_jstr(e, "value"));
		}
	} else if (strcmp(type, "command.start") == 0) {
		st = rb_scenario_step_index(incident_scenario(inc),
		    incident_jstr(e, "step"));
		if (st >= 0)
			inc->steps[inc->scenario][st].state = STEP_RUNNING;
	} else if (strcmp(type, "incident.end") == 0) {
		inc->ended = 1;
		free(inc->outcome);
		inc->outcome = xstrdup(incident_jstr(e, "outcome"));
	} else if (strcmp(type, "drill.pause") == 0) {
		inc->paused = 1;
		inc->paused_at = t;
	} else if (strcmp(type, "drill.resume") == 0) {
		inc->paused_ms += t - inc->paused_at;
		inc->paused = 0;
	}
	inc->events = xreallocarray(inc->events, inc->nevents + 1,
	    sizeof *inc->events);
	inc->events[inc->nevents].seq = seqno;
	inc->events[inc->nevents].t = t;
	inc->events[inc->nevents].op = xstrdup(incident_jstr(e, "op"));
	inc->events[inc->nevents].type = xstrdup(type);
	inc->events[inc->nevents].text = event_summary(e);
	inc->events[inc->nevents].json = json_deep_copy(e);
	inc->nevents++;
}

/*
 * An incident as its incident.start event describes it, before any
 * other event: the base of resume and replay.  No journal is open.
 */
struct incident *
incident_shell(const struct runbook *rb, struct drill *const *drills,
    size_t ndrills, const json_t *start, const char *op)
{
	struct incident	*inc;
	size_t		 i;

	inc = xcalloc(1, sizeof *inc);
	inc->rb = rb;
	inc->mode = strcmp(incident_jstr(start, "mode"), "drill") == 0 ?
	    INCIDENT_DRILL : INCIDENT_LIVE;
	for (i = 0; i < ndrills && inc->mode == INCIDENT_DRILL; i++) {
		if (strcmp(drills[i]->id, incident_jstr(start, "drill")) == 0)
			inc->drill = drills[i];
	}
	inc->id = xstrdup(incident_jstr(start, "incident"));
	inc->title = xstrdup(incident_jstr(start, "title"));
	inc->op = xstrdup(op != NULL ? op : incident_jstr(start, "op"));
	inc->host = incident_hostname();
	inc->steps = xcalloc(rb->nscenarios, sizeof *inc->steps);
	for (i = 0; i < rb->nscenarios; i++)
		inc->steps[i] = xcalloc(rb->scenarios[i].nsteps + 1,
		    sizeof **inc->steps);
	inc->entered = xcalloc(rb->nscenarios, sizeof *inc->entered);
	inc->path = xcalloc(rb->nscenarios + 1, sizeof *inc->path);
	inc->values = xcalloc(rb->nvariables + 1, sizeof *inc->values);
	for (i = 0; i < rb->nvariables; i++) {
		if (rb->variables[i].def != NULL && !rb->variables[i].secret)
			inc->values[i] = xstrdup(rb->variables[i].def);
	}
	inc->scenario = (size_t)incident_scenario_index(rb,
	    incident_jstr(start, "scenario"));
	inc->redact = redact_create();
	return (inc);
}

/*
 * Rebuild an incident from its timeline alone, then append
 * incident.resume: the scenario and current step, every step's state,
 * decisions, non-secret variables (secrets must be entered again),
 * notes and check history are all in the events.  A command that was
 * running when the timeline stopped is shown as interrupted.  rbs are
 * the runbooks known, drills the drills.  NULL with *cause.
 */
struct incident *
incident_resume(const char *path, struct runbook *const *rbs, size_t nrbs,
    struct drill *const *drills, size_t ndrills,
    const struct incident_options *o, char **cause)
{
	struct journal_file	*f;
	struct incident		*inc = NULL;
	const struct runbook	*rb = NULL;
	const json_t		*e, *start = NULL;
	const char		*open_cmd = NULL, *reason;
	char			*why = NULL;
	int64_t			 bad;
	int64_t			 last_t = 0, last_wall = -1, wall, seq;
	size_t			 i;
	char			 head[65];

	if ((f = journal_read(path, JOURNAL_READ_REPAIR, cause)) == NULL)
		return (NULL);
	if (f->bad_line != 0) {
		*cause = xprintf("%s:%lld: %s; the timeline is left as it is",
		    path, (long long)f->bad_line, f->bad_why);
		journal_read_free(f);
		return (NULL);
	}
	/* Appending to a broken chain would hide the damage. */
	if ((bad = journal_verify(f, &why)) != 0) {
		*cause = xprintf("%s:%lld: %s; the timeline is left as it is "
		    "(see rbnav verify)", path, (long long)bad, why);
		free(why);
		journal_read_free(f);
		return (NULL);
	}
	if (f->nevents > 0 && f->events[0].json != NULL &&
	    strcmp(incident_jstr(f->events[0].json, "type"),
	    "incident.join") == 0) {
		/* The others' events are in the shared timeline only. */
		*cause = xprintf("%s joined incident %s: rbnav join %s "
		    "rebuilds it from the shared timeline", path,
		    incident_jstr(f->events[0].json, "incident"),
		    incident_jstr(f->events[0].json, "incident"));
		journal_read_free(f);
		return (NULL);
	}
	if (f->nevents == 0 || (start = f->events[0].json) == NULL ||
	    strcmp(incident_jstr(start, "type"), "incident.start") != 0) {
		*cause = xprintf("%s: no incident.start on line 1", path);
		journal_read_free(f);
		return (NULL);
	}
	for (i = 0; i < nrbs; i++) {
		if (strcmp(rbs[i]->id, incident_jstr(start, "runbook")) == 0)
			rb = rbs[i];
	}
	if (rb == NULL) {
		*cause = xprintf("runbook '%s' of this incident is not found "
		    "(see rbnav list)", incident_jstr(start, "runbook"));
		journal_read_free(f);
		return (NULL);
	}
	if (incident_scenario_index(rb, incident_jstr(start, "scenario")) < 0) {
		*cause = xprintf("scenario '%s' is no longer in runbook '%s'",
		    incident_jstr(start, "scenario"), rb->id);
		journal_read_free(f);
		return (NULL);
	}

	inc = incident_shell(rb, drills, ndrills, start, o->op);
	inc->resumed = 1;
	incident_redactor(inc, o);

	for (i = 0; i < f->nevents; i++) {
		if ((e = f->events[i].json) == NULL)
			continue;
		incident_apply(inc, e, f->events[i].seq);
		if (strcmp(incident_jstr(e, "type"), "command.start") == 0)
			open_cmd = incident_jstr(e, "cmd");
		else if (strcmp(incident_jstr(e, "type"), "command.exit") == 0)
			open_cmd = NULL;
		last_t = json_integer_value(json_object_get(e, "t"));
		if ((wall = incident_parse_ts(incident_jstr(e, "ts"))) >= 0)
			last_wall = wall;
	}
	if (inc->ended) {
		*cause = xprintf("incident %s has ended (%s): see rbnav export "
		    "or rbnav replay", inc->id, inc->outcome);
		incident_free(inc);
		journal_read_free(f);
		return (NULL);
	}

	/* t continues from the last event, across machines and reboots. */
	incident_continue(inc, last_t, last_wall);
	if (inc->paused) {
		/* A paused drill stays paused where it was. */
		inc->paused_at = incident_elapsed(inc);
	}

	seq = journal_last(f, head);
	inc->journal = journal_reopen(path, seq, head, cause);
	reason = "crash";
	if (f->torn_line == 0 && inc->nevents > 0 &&
	    strcmp(inc->events[inc->nevents - 1].type, "incident.leave") == 0)
		reason = incident_jstr(inc->events[inc->nevents - 1].json,
		    "reason");
	why = xstrdup(reason);
	if (inc->journal == NULL) {
		free(why);
		incident_free(inc);
		journal_read_free(f);
		return (NULL);
	}
	if (open_cmd != NULL) {
		const struct rb_step	*cur = incident_step(inc);

		incident_record(inc, "command.exit", json_pack("{s:s, s:s, "
		    "s:b}", "cmd", open_cmd, "signal", "LOST", "interrupted",
		    1));
		if (cur != NULL)
			incident_fail(inc, "its command was interrupted");
	}
	incident_record(inc, "incident.resume", json_pack("{s:s}", "reason",
	    why));
	free(why);
	if (f->torn_line != 0)
		incident_record(inc, "note", json_pack("{s:s}", "text",
		    "a torn last line was set aside in the .torn file"));
	journal_read_free(f);
	return (inc);
}

/*
 * Join an incident another operator started: rebuild it from the shared
 * timeline's events (all origins, in time order), then open this
 * operator's own journal, whose first event is incident.join.  NULL
 * with *cause.
 */
struct incident *
incident_join(const json_t *events, struct runbook *const *rbs, size_t nrbs,
    struct drill *const *drills, size_t ndrills,
    const struct incident_options *o, char **cause)
{
	struct incident		*inc;
	const struct runbook	*rb = NULL;
	const json_t		*e, *start = NULL;
	int64_t			 last_t = 0, last_wall = -1, wall;
	size_t			 i;
	char			*base, *dir, *id;

	json_array_foreach(events, i, e) {
		if (strcmp(incident_jstr(e, "type"), "incident.start") == 0) {
			start = e;
			break;
		}
	}
	if (start == NULL) {
		*cause = xstrdup("the shared timeline has no incident.start "
		    "for this incident");
		return (NULL);
	}
	for (i = 0; i < nrbs; i++) {
		if (strcmp(rbs[i]->id, incident_jstr(start, "runbook")) == 0)
			rb = rbs[i];
	}
	if (rb == NULL || incident_scenario_index(rb,
	    incident_jstr(start, "scenario")) < 0) {
		*cause = xprintf("runbook '%s' or its scenario is not found "
		    "here (see rbnav list)", incident_jstr(start, "runbook"));
		return (NULL);
	}
	inc = incident_shell(rb, drills, ndrills, start, o->op);
	inc->resumed = 1;
	incident_redactor(inc, o);
	json_array_foreach(events, i, e) {
		incident_apply(inc, e, json_integer_value(json_object_get(e,
		    "seq")));
		last_t = json_integer_value(json_object_get(e, "t"));
		if ((wall = incident_parse_ts(incident_jstr(e, "ts"))) >= 0)
			last_wall = wall;
	}
	incident_continue(inc, last_t, last_wall);

	base = xprintf("%s-%s", inc->id, inc->op);
	for (i = 0; base[i] != '\0'; i++) {
		if (!((base[i] >= 'a' && base[i] <= 'z') ||
		    (base[i] >= 'A' && base[i] <= 'Z') ||
		    (base[i] >= '0' && base[i] <= '9') || base[i] == '-'))
			base[i] = '-';
	}
	dir = o->state_dir != NULL ? xstrdup(o->state_dir) :
	    journal_default_dir();
	inc->journal = journal_create(dir, base, &id, cause);
	free(base);
	free(dir);
	if (inc->journal == NULL) {
		incident_free(inc);
		return (NULL);
	}
	free(id);
	incident_record(inc, "incident.join", json_pack("{s:s, s:s, s:s, "
	    "s:s, s:s, s:s}", "incident", inc->id, "runbook", rb->id,
	    "scenario", incident_jstr(start, "scenario"), "title", inc->title,
	    "host", inc->host, "started_by", incident_jstr(start, "op")));
	return (inc);
}
