/*
 * The debrief of a drill.
 *
 * Computed from the timeline's events alone (so that resume, replay and
 * export all give the same debrief): the trainee's path (steps done,
 * decisions, skips) against the drill's expected_path, declined
 * confirmations, notes, the time against the time limit and the
 * simulated recovery of each affected system against its RTO.  The
 * score starts at 100 and loses the points of debrief.h for each
 * mistake, never below 0.  No curses, no clock: pure arithmetic.
 */

#include <stdlib.h>
#include <string.h>

#include "debrief.h"
#include "xmalloc.h"

struct dpath {
	char	*ref;		/* scenario/step */
	char	*choice;	/* decision label, or NULL */
};

static void
dpath_free(struct dpath *p, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		free(p[i].ref);
		free(p[i].choice);
	}
	free(p);
}

static const char *
jstr(const json_t *o, const char *key)
{
	const char	*s = json_string_value(json_object_get(o, key));

	return (s != NULL ? s : "");
}

/* The scenario of the drill: given, or the first one on the path. */
static const struct rb_scenario *
debrief_scenario(const struct runbook *rb, const struct drill *d)
{
	const struct rb_scenario	*sc;
	char				*ref, *colon;
	int				 step;

	if (d->scenario != NULL)
		return (runbook_scenario(rb, d->scenario));
	if (d->nexpected_path == 0)
		return (NULL);
	ref = xstrdup(d->expected_path[0]);
	if ((colon = strchr(ref, ':')) != NULL)
		*colon = '\0';
	if (drill_resolve_ref(d, rb, ref, &sc, &step) != 0)
		sc = NULL;
	free(ref);
	return (sc);
}

/* The longest increasing subsequence's length (O(n^2); paths are short). */
static size_t
debrief_lis(const size_t *v, size_t n)
{
	size_t	*len, i, j, best = 0;

	if (n == 0)
		return (0);
	len = xcalloc(n, sizeof *len);
	for (i = 0; i < n; i++) {
		len[i] = 1;
		for (j = 0; j < i; j++) {
			if (v[j] < v[i] && len[j] + 1 > len[i])
				len[i] = len[j] + 1;
		}
		if (len[i] > best)
			best = len[i];
	}
	free(len);
	return (best);
}

static void
debrief_penalty(json_t *list, int *score, int points, const char *what,
    const char *detail)
{
	json_array_append_new(list, json_pack("{s:s, s:s, s:i}", "what", what,
	    "detail", detail, "points", -points));
	*score -= points;
}

/*
 * The debrief as a JSON object: score, time, limit, path, expected,
 * missed, wrong_choices, out_of_order, extra, skipped, declined, notes,
 * systems (RTO per affected system) and penalties.  elapsed is the drill
 * time in ms (the clock without pauses).
 */
json_t *
debrief_compute(const struct runbook *rb, const struct drill *d,
    json_t *const *ev, size_t nev, int64_t elapsed)
{
	const struct rb_scenario	*sc = NULL, *expsc, *s;
	struct dpath			*exp, *path = NULL;
	json_t				*out, *pen, *a;
	size_t				 nexp, npath = 0, i, k, nmatch = 0;
	size_t				*order;
	const char			*type, *cur = NULL, *first = NULL;
	char				*ref, *colon, *msg;
	int				 score = 100, step, found;
	int64_t				 limit, over;

	out = json_object();
	pen = json_array();

	/* The expected path, resolved to scenario/step refs. */
	nexp = d->nexpected_path;
	exp = xcalloc(nexp + 1, sizeof *exp);
	for (i = 0; i < nexp; i++) {
		ref = xstrdup(d->expected_path[i]);
		if ((colon = strchr(ref, ':')) != NULL) {
			*colon = '\0';
			exp[i].choice = xstrdup(colon + 1);
		}
		if (drill_resolve_ref(d, rb, ref, &s, &step) == 0)
			exp[i].ref = xprintf("%s/%s", s->id, s->steps[step].id);
		else
			exp[i].ref = xstrdup(ref);
		free(ref);
	}

	/* The trainee's path from the events. */
	a = json_array();
	for (i = 0; i < nev; i++) {
		type = jstr(ev[i], "type");
		if (strcmp(type, "scenario.enter") == 0) {
			cur = jstr(ev[i], "scenario");
			if (first == NULL)
				first = cur;
		} else if ((strcmp(type, "step.done") == 0 ||
		    strcmp(type, "step.fail") == 0) && cur != NULL) {
			/* A step failed on its drill result was taken too. */
			if (strcmp(type, "step.fail") == 0 && npath > 0) {
				ref = xprintf("%s/%s", cur,
				    jstr(ev[i], "step"));
				found = strcmp(path[npath - 1].ref, ref) == 0;
				free(ref);
				if (found)
					continue;
			}
			path = xreallocarray(path, npath + 1, sizeof *path);
			path[npath].ref = xprintf("%s/%s", cur,
			    jstr(ev[i], "step"));
			path[npath].choice = NULL;
			json_array_append_new(a, json_string(path[npath].ref));
			npath++;
		} else if (strcmp(type, "decision") == 0 && cur != NULL) {
			/* Attach the choice to the step.done that follows. */
			path = xreallocarray(path, npath + 1, sizeof *path);
			path[npath].ref = xprintf("%s/%s", cur,
			    jstr(ev[i], "step"));
			path[npath].choice = xstrdup(jstr(ev[i], "choice"));
			msg = xprintf("%s:%s", path[npath].ref,
			    path[npath].choice);
			json_array_append_new(a, json_string(msg));
			free(msg);
			npath++;
			/* Skip its own step.done. */
			if (i + 1 < nev && strcmp(jstr(ev[i + 1], "type"),
			    "step.done") == 0)
				i++;
		} else if (strcmp(type, "step.skip") == 0) {
			msg = xprintf("%s/%s", cur ? cur : "?",
			    jstr(ev[i], "step"));
			json_object_set_new(out, "_skip", json_true());
			if (json_object_get(out, "skipped") == NULL)
				json_object_set_new(out, "skipped",
				    json_array());
			json_array_append_new(json_object_get(out, "skipped"),
			    json_string(msg));
			free(msg);
		} else if (strcmp(type, "confirm") == 0 &&
		    strcmp(jstr(ev[i], "answer"), "no") == 0) {
			msg = xprintf("%s/%s", cur ? cur : "?",
			    jstr(ev[i], "step"));
			if (json_object_get(out, "declined") == NULL)
				json_object_set_new(out, "declined",
				    json_array());
			json_array_append_new(json_object_get(out, "declined"),
			    json_string(msg));
			debrief_penalty(pen, &score, DEBRIEF_DECLINED,
			    "declined confirmation", msg);
			free(msg);
		} else if (strcmp(type, "note") == 0) {
			if (json_object_get(out, "notes") == NULL)
				json_object_set_new(out, "notes",
				    json_array());
			json_array_append_new(json_object_get(out, "notes"),
			    json_string(jstr(ev[i], "text")));
		}
	}
	json_object_del(out, "_skip");
	json_object_set_new(out, "path", a);
	a = json_array();
	for (i = 0; i < nexp; i++) {
		msg = exp[i].choice ? xprintf("%s:%s", exp[i].ref,
		    exp[i].choice) : xstrdup(exp[i].ref);
		json_array_append_new(a, json_string(msg));
		free(msg);
	}
	json_object_set_new(out, "expected", a);

	/* Wrong scenario: the trainee had to find it. */
	expsc = debrief_scenario(rb, d);
	if (d->scenario == NULL && expsc != NULL && first != NULL &&
	    strcmp(first, expsc->id) != 0) {
		msg = xprintf("started on %s, expected %s", first, expsc->id);
		debrief_penalty(pen, &score, DEBRIEF_SCENARIO,
		    "wrong scenario", msg);
		json_object_set_new(out, "wrong_scenario", json_string(first));
		free(msg);
	}

	/* Missed steps, wrong decisions, order. */
	order = xcalloc(nexp + 1, sizeof *order);
	json_object_set_new(out, "missed", json_array());
	json_object_set_new(out, "wrong_choices", json_array());
	for (i = 0; i < nexp; i++) {
		found = 0;
		for (k = 0; k < npath; k++) {
			if (strcmp(path[k].ref, exp[i].ref) != 0)
				continue;
			found = 1;
			if (exp[i].choice != NULL && (path[k].choice == NULL ||
			    strcmp(path[k].choice, exp[i].choice) != 0)) {
				msg = xprintf("%s: chose \"%s\", expected "
				    "\"%s\"", exp[i].ref, path[k].choice ?
				    path[k].choice : "(none)", exp[i].choice);
				json_array_append_new(json_object_get(out,
				    "wrong_choices"), json_string(msg));
				debrief_penalty(pen, &score,
				    DEBRIEF_WRONG_CHOICE, "wrong decision",
				    msg);
				free(msg);
			}
			break;
		}
		if (!found) {
			json_array_append_new(json_object_get(out, "missed"),
			    json_string(exp[i].ref));
			debrief_penalty(pen, &score, DEBRIEF_MISSED,
			    "missed step", exp[i].ref);
		}
	}
	/* Expected steps in the order the trainee did them. */
	for (k = 0; k < npath; k++) {
		for (i = 0; i < nexp; i++) {
			if (strcmp(path[k].ref, exp[i].ref) == 0)
				break;
		}
		if (i < nexp) {
			size_t	m;

			for (m = 0; m < nmatch && order[m] != i; m++)
				;
			if (m == nmatch)
				order[nmatch++] = i;
		}
	}
	k = nmatch - debrief_lis(order, nmatch);
	json_object_set_new(out, "out_of_order", json_integer((json_int_t)k));
	for (i = 0; i < k; i++)
		debrief_penalty(pen, &score, DEBRIEF_ORDER, "out of order",
		    "an expected step done out of order");
	free(order);

	/* Steps off the path. */
	a = json_array();
	for (k = 0, i = 0; k < npath; k++) {
		size_t	m;

		for (m = 0; m < nexp && strcmp(path[k].ref, exp[m].ref); m++)
			;
		if (m < nexp || nexp == 0)
			continue;
		json_array_append_new(a, json_string(path[k].ref));
		if (i < DEBRIEF_EXTRA_MAX) {
			debrief_penalty(pen, &score, DEBRIEF_EXTRA,
			    "step off the path", path[k].ref);
			i += DEBRIEF_EXTRA;
		}
	}
	json_object_set_new(out, "extra", a);

	/* Time. */
	sc = expsc;
	limit = d->time_limit;
	if (limit < 0 && sc != NULL) {
		for (i = 0; i < sc->nsystems; i++) {
			const struct rb_system	*sys = runbook_system(rb,
						    sc->systems[i]);

			if (sys != NULL && sys->rto > limit)
				limit = sys->rto;
		}
	}
	json_object_set_new(out, "elapsed_ms", json_integer(elapsed));
	if (limit > 0) {
		json_object_set_new(out, "time_limit_ms", json_integer(limit));
		if (elapsed > limit) {
			over = (elapsed - limit) * 100 / limit / 5 *
			    DEBRIEF_LATE_STEP;
			if (over < 1)
				over = 1;
			if (over > DEBRIEF_LATE_MAX)
				over = DEBRIEF_LATE_MAX;
			msg = xprintf("%lld%% over the time limit",
			    (long long)((elapsed - limit) * 100 / limit));
			debrief_penalty(pen, &score, (int)over, "time", msg);
			free(msg);
		}
	}

	/* Each affected system's simulated recovery against its RTO. */
	a = json_array();
	for (i = 0; sc != NULL && i < sc->nsystems; i++) {
		const struct rb_system	*sys = runbook_system(rb,
					    sc->systems[i]);
		int64_t			 up = -1;
		int			 down = 0;
		json_t			*o;

		if (sys == NULL)
			continue;
		for (k = 0; k < d->ninitial; k++) {
			if (strcmp(d->initial[k].system, sys->id) == 0 &&
			    d->initial[k].state != RB_STATE_UP)
				down = 1;
		}
		for (k = 0; k < nev; k++) {
			if (strcmp(jstr(ev[k], "type"), "check.change") != 0 ||
			    strcmp(jstr(ev[k], "system"), sys->id) != 0)
				continue;
			if (strcmp(jstr(ev[k], "to"), "up") == 0) {
				if (down && up < 0)
					up = json_integer_value(
					    json_object_get(ev[k], "t"));
			} else {
				down = 1;
				up = -1;
			}
		}
		o = json_pack("{s:s, s:s, s:b}", "system", sys->id, "name",
		    sys->name, "went_down", down);
		if (sys->rto >= 0)
			json_object_set_new(o, "rto_ms", json_integer(sys->rto));
		if (up >= 0)
			json_object_set_new(o, "recovered_ms",
			    json_integer(up));
		if (sys->rto >= 0 && down && (up < 0 ? elapsed > sys->rto :
		    up > sys->rto)) {
			json_object_set_new(o, "met", json_false());
			debrief_penalty(pen, &score, DEBRIEF_RTO, "RTO missed",
			    sys->id);
		} else if (sys->rto >= 0 && down)
			json_object_set_new(o, "met", json_true());
		json_array_append_new(a, o);
	}
	json_object_set_new(out, "systems", a);

	if (score < 0)
		score = 0;
	json_object_set_new(out, "penalties", pen);
	json_object_set_new(out, "score", json_integer(score));
	if (json_object_get(out, "skipped") == NULL)
		json_object_set_new(out, "skipped", json_array());
	if (json_object_get(out, "declined") == NULL)
		json_object_set_new(out, "declined", json_array());
	if (json_object_get(out, "notes") == NULL)
		json_object_set_new(out, "notes", json_array());
	dpath_free(exp, nexp);
	dpath_free(path, npath);
	return (out);
}

static char *
debrief_ms(int64_t ms)
{
	int64_t	s = ms / 1000;

	return (xprintf("%lld:%02lld", (long long)(s / 60),
	    (long long)(s % 60)));
}

/* The debrief as lines of text for the screen; caller frees. */
char *
debrief_text(const json_t *d)
{
	char		*out, *n, *t1, *t2;
	const json_t	*v, *list;
	size_t		 i;

	t1 = debrief_ms(json_integer_value(json_object_get(d, "elapsed_ms")));
	out = xprintf("Score: %lld / 100\nTime: %s",
	    (long long)json_integer_value(json_object_get(d, "score")), t1);
	free(t1);
	if ((v = json_object_get(d, "time_limit_ms")) != NULL) {
		t2 = debrief_ms(json_integer_value(v));
		n = xprintf("%s (limit %s)", out, t2);
		free(out);
		out = n;
		free(t2);
	}
	list = json_object_get(d, "systems");
	for (i = 0; i < json_array_size(list); i++) {
		const json_t	*s = json_array_get(list, i);
		const json_t	*rec = json_object_get(s, "recovered_ms");

		t1 = rec ? debrief_ms(json_integer_value(rec)) :
		    !json_is_true(json_object_get(s, "went_down")) ?
		    xstrdup("stayed up") :
		    xstrdup("not recovered");
		t2 = json_object_get(s, "rto_ms") ? debrief_ms(
		    json_integer_value(json_object_get(s, "rto_ms"))) :
		    xstrdup("none");
		n = xprintf("%s\n%s: %s (RTO %s)%s", out,
		    json_string_value(json_object_get(s, "name")), t1, t2,
		    json_object_get(s, "met") == NULL ? "" :
		    !json_is_true(json_object_get(s, "met")) ? " MISSED" :
		    rec != NULL ? " met" : " not missed yet");
		free(out);
		free(t1);
		free(t2);
		out = n;
	}
	list = json_object_get(d, "penalties");
	if (json_array_size(list) == 0) {
		n = xprintf("%s\nThe expected path, no mistakes.", out);
		free(out);
		out = n;
	}
	for (i = 0; i < json_array_size(list); i++) {
		const json_t	*p = json_array_get(list, i);

		n = xprintf("%s\n%lld  %s: %s", out,
		    (long long)json_integer_value(json_object_get(p,
		    "points")), json_string_value(json_object_get(p, "what")),
		    json_string_value(json_object_get(p, "detail")));
		free(out);
		out = n;
	}
	list = json_object_get(d, "notes");
	for (i = 0; i < json_array_size(list); i++) {
		n = xprintf("%s\nnote: %s", out,
		    json_string_value(json_array_get(list, i)));
		free(out);
		out = n;
	}
	return (out);
}
