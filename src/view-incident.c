/*
 * The incident screen: header, systems strip, the step list, the step
 * detail, a bottom pane (output, timeline, contacts) and the key hints.
 *
 * Every action goes to incident.c, which records it; this file asks the
 * questions (variables, confirmations, decisions, reasons) through
 * prompts and draws the result.  Running commands is decided by the
 * runner, never here.
 */

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <curses.h>
#include <event2/event.h>

#include "catalog.h"
#include "cmd.h"
#include "config.h"
#include "debrief.h"
#include "expand.h"
#include "incident.h"
#include "job.h"
#include "journal-read.h"
#include "journal.h"
#include "output.h"
#include "runner.h"
#include "watch.h"
#include "team.h"
#include "checks.h"
#include "pattern.h"
#include "text.h"
#include "ui.h"
#include "value.h"
#include "xmalloc.h"

enum bottom_mode {
	BOTTOM_OUTPUT,
	BOTTOM_STATUS,
	BOTTOM_TIMELINE,
	BOTTOM_CONTACTS,
	BOTTOM_COUNT
};

static const char *bottom_names[] = { "Output", "Status", "Timeline",
    "Contacts" };

/* A finished incident played back at a speed, read-only. */
struct replay {
	struct journal_file	*f;
	size_t			 next;		/* next event to apply */
	double			 speed;		/* 0: real time, gaps cut */
	int			 paused;
	int64_t			 pos;		/* on the timeline's t */
	int64_t			 end;		/* t of the last event */
	int64_t			 last;		/* monotonic ms of last tick */
	struct event		*timer;
	enum rb_state		*states;	/* from check.change */
};

#define REPLAY_GAP	5000	/* default: longer gaps are cut to this */
#define REPLAY_TICK	50

struct incview {
	struct incident		*inc;
	size_t			 sel;		/* selected step */
	size_t			 top;		/* first row of the step list */
	enum bottom_mode	 bottom;
	int			 scroll;	/* lines up from the bottom */
	int			*acked;		/* prerequisites acknowledged */
	size_t			 prereq;	/* next to acknowledge */
	size_t			 seen_scenario;
	size_t			 seen_step;
	/* End of incident: answers gathered through the prompts. */
	char			*end_outcome;
	char			*end_summary;
	int			*end_done;
	size_t			 end_item;
	size_t			 pending;	/* choice or variable */
	struct runner		*runner;
	struct watch		*watch;
	struct team		*team;		/* shared timeline, webhooks */
	struct replay		*replay;	/* read-only playback */
	struct job		*pager;
	char			*out_search;	/* last output search */
	size_t			 out_hit;	/* line of its last match */
	uint64_t		 out_seen;	/* output lines seen so far */
	int			 out_hit_valid;
};

static void	iv_up(struct view *);
static void	iv_down(struct view *);
static void	iv_enter(struct view *);
static void	iv_done(struct view *);
static void	iv_skip(struct view *);
static void	iv_fail(struct view *);
static void	iv_note(struct view *);
static void	iv_search(struct view *);
static void	iv_tab(struct view *);
static void	iv_copy(struct view *);
static void	iv_vars(struct view *);
static void	iv_cancel(struct view *);
static void	iv_end(struct view *);
static void	iv_leave(struct view *);
static void	iv_help(struct view *);
static void	iv_pager(struct view *);
static void	iv_pause(struct view *);
static void	iv_inject(struct view *);
static void	iv_pen_give(struct view *);
static void	iv_save(struct view *);
static void	iv_pen_take(struct view *);
static void	iv_pgup(struct view *);
static void	iv_pgdn(struct view *);

static const struct ui_keydef incident_keys[] = {
	{ { KEY_UP, 0 }, 1, "Up/k", "move", iv_up },
	{ { 'k', 0 }, 0, NULL, NULL, iv_up },
	{ { KEY_DOWN, 0 }, 1, "Down/j*", "move down", iv_down },
	{ { 'j', 0 }, 0, NULL, NULL, iv_down },
	{ { '\r', '\n', 0 }, 0, "Enter", "run/open", iv_enter },
	{ { KEY_ENTER, 0 }, 1, NULL, NULL, iv_enter },
	{ { 'd', 0 }, 0, "d", "done", iv_done },
	{ { 's', 0 }, 0, "s", "skip", iv_skip },
	{ { 'f', 0 }, 0, "f", "failed", iv_fail },
	{ { 'n', 0 }, 0, "n", "note", iv_note },
	{ { '/', 0 }, 0, "/*", "search the steps (PCRE2)", iv_search },
	{ { '\t', 0 }, 0, "Tab", "pane", iv_tab },
	{ { 'y', 0 }, 0, "y*", "copy the command (OSC 52)", iv_copy },
	{ { 'v', 0 }, 0, "v*", "variables: list and change", iv_vars },
	{ { UI_CTRL('c'), 0 }, 0, "Ctrl-C*",
	  "stop the running command (again: kill); never quits", iv_cancel },
	{ { KEY_PPAGE, 0 }, 1, "PgUp*", "scroll the bottom pane up", iv_pgup },
	{ { KEY_NPAGE, 0 }, 1, "PgDn*", "scroll the bottom pane down",
	  iv_pgdn },
	{ { 'o', 0 }, 0, "o*", "open the command's output in $PAGER",
	  iv_pager },
	{ { 'p', 0 }, 0, "p*", "drill: pause or resume the drill clock",
	  iv_pause },
	{ { '!', 0 }, 0, "!*", "drill: the trainer changes a system's state",
	  iv_inject },
	{ { 'h', 0 }, 0, "h*", "shared: hand the pen to another operator",
	  iv_pen_give },
	{ { 'H', 0 }, 0, "H*", "shared: take the pen", iv_pen_take },
	{ { 'x', 0 }, 0, "x*", "save a copy of the timeline, with events "
	  "not yet on disk, to another file", iv_save },
	{ { 'e', 0 }, 0, "e", "end", iv_end },
	{ { 'q', 0 }, 0, "q", "leave", iv_leave },
	{ { '?', 0 }, 0, "?", "help", iv_help },
	{ { 0 }, 0, NULL, NULL, NULL }
};

static const char *step_marks[] = {
	[STEP_PENDING] = "·",
	[STEP_DONE] = "✓",
	[STEP_SKIPPED] = "↷",
	[STEP_FAILED] = "✗",
	[STEP_RUNNING] = "»",
	[STEP_WAITING] = "…",
};

static const enum theme_elem step_elems[] = {
	[STEP_PENDING] = TE_STEP_PENDING,
	[STEP_DONE] = TE_STEP_DONE,
	[STEP_SKIPPED] = TE_STEP_SKIPPED,
	[STEP_FAILED] = TE_STEP_FAILED,
	[STEP_RUNNING] = TE_STEP_RUNNING,
	[STEP_WAITING] = TE_STEP_RUNNING,
};

static void	iv_check_prereqs(struct view *);

static char *
iv_clock(int64_t ms)
{
	int64_t	s = (ms < 0 ? -ms : ms) / 1000;

	return (xprintf("%s%02lld:%02lld:%02lld", ms < 0 ? "-" : "",
	    (long long)(s / 3600), (long long)(s / 60 % 60),
	    (long long)(s % 60)));
}

static void
iv_draw_header(struct view *v, struct rect r)
{
	struct incview		*iv = v->data;
	struct incident		*inc = iv->inc;
	struct ui		*ui = v->ui;
	char			*s, *clock;
	int			 x = 0;
	int			 err = inc->journal != NULL ?
				    journal_error(inc->journal) : 0;

	ui_fill(ui, r.y, r.x, r.w, TE_HEADER);
	x += ui_put(ui, r.y, x, r.w, inc->mode == INCIDENT_DRILL ? TE_DRILL :
	    TE_LIVE, inc->mode == INCIDENT_DRILL ? " DRILL " : " LIVE ");
	if (inc->journal != NULL && (err != 0 ||
	    journal_pending(inc->journal) > 0)) {
		s = xprintf(" TIMELINE NOT DURABLE: %s (%zu events in memory) ",
		    strerror(err), journal_pending(inc->journal));
		x += ui_put(ui, r.y, x, r.w - x, TE_ALERT, s);
		free(s);
	}
	clock = iv_clock(incident_clock(inc));
	s = xprintf(" %sT+%s  %s%s ", inc->paused ? "PAUSED " : "", clock,
	    inc->op, inc->ended ? "  [ended]" : "");
	/* The clock and operator stay at the right; the title gives way. */
	ui_put(ui, r.y, r.w - text_width(s), text_width(s), TE_HEADER, s);
	x += ui_put(ui, r.y, x, r.w - x - text_width(s), TE_TITLE, " ");
	free(s);
	s = xprintf("%s  (%s › %s)", inc->title, inc->rb->id,
	    incident_scenario(inc)->id);
	ui_put(ui, r.y, x, r.w - x - 4 - text_width(clock) -
	    text_width(inc->op) - 4, TE_HEADER, s);
	free(s);
	free(clock);
}

static const enum theme_elem state_elems[] = {
	[RB_STATE_UNKNOWN] = TE_UNKNOWN,
	[RB_STATE_UP] = TE_UP,
	[RB_STATE_DOWN] = TE_DOWN,
	[RB_STATE_DEGRADED] = TE_DEGRADED,
	[RB_STATE_PENDING] = TE_PENDING,
};

static enum rb_state
iv_state(const struct incview *iv, size_t sys)
{
	const struct check_status	*cs;

	if (iv->replay != NULL)
		return (iv->replay->states[sys]);
	if (iv->watch == NULL ||
	    (cs = watch_status(iv->watch, sys)) == NULL)
		return (RB_STATE_UNKNOWN);
	return (cs->state);
}

/*
 * A replayed system's recovery, from the events applied so far: *at, the
 * ms of its rto event (-1 when none since it last went down), and
 * whether it went down at all.
 */
static void
iv_replay_recovery(const struct incview *iv, size_t sys, int64_t *at,
    int *down)
{
	const struct rb_system	*s = &iv->inc->rb->systems[sys];
	const json_t		*e;
	const char		*id, *to;
	size_t			 i;

	*at = -1;
	*down = 0;
	for (i = 0; i < iv->inc->nevents; i++) {
		e = iv->inc->events[i].json;
		id = json_string_value(json_object_get(e, "system"));
		if (id == NULL || strcmp(id, s->id) != 0)
			continue;
		to = json_string_value(json_object_get(e, "to"));
		if (strcmp(iv->inc->events[i].type, "rto") == 0)
			*at = json_integer_value(json_object_get(e, "ms"));
		else if (strcmp(iv->inc->events[i].type, "check.change") ==
		    0 && to != NULL && (strcmp(to, "down") == 0 ||
		    strcmp(to, "degraded") == 0)) {
			*down = 1;
			*at = -1;
		}
	}
}

/*
 * One system's RTO clock: the time left (or over), stopped when the
 * system came back; NULL for a system without an RTO.  Sets *elem.  Live
 * from the watcher, in a replay from the events applied so far.
 */
static char *
iv_rto(const struct incview *iv, size_t sys, enum theme_elem *elem)
{
	const struct rb_system	*s = &iv->inc->rb->systems[sys];
	int64_t			 at, left;
	int			 down;
	char			*c, *out;

	if (s->rto < 0)
		return (NULL);
	if (iv->replay != NULL)
		iv_replay_recovery(iv, sys, &at, &down);
	else {
		at = iv->watch != NULL ? watch_recovered(iv->watch, sys) : -1;
		down = iv->watch == NULL || watch_was_down(iv->watch, sys);
	}
	if (at >= 0) {
		c = iv_clock(at);
		*elem = at <= s->rto ? TE_RTO_OK : TE_RTO_LATE;
		out = xprintf("back in %s%s", strncmp(c, "00:", 3) == 0 ?
		    c + 3 : c, at <= s->rto ? "" : " (RTO missed)");
		free(c);
		return (out);
	}
	if (!down && iv_state(iv, sys) == RB_STATE_UP) {
		*elem = TE_RTO_OK;
		return (xstrdup("RTO ok"));
	}
	left = s->rto - incident_clock(iv->inc);
	*elem = left < 0 ? TE_RTO_LATE : left < s->rto / 2 ? TE_RTO_WARN :
	    TE_RTO_OK;
	c = iv_clock(left < 0 ? -left : left);
	out = xprintf("RTO %s%s", left < 0 ? "+" : "",
	    strncmp(c, "00:", 3) == 0 ? c + 3 : c);
	free(c);
	return (out);
}

/* One system in the strip: state, name and its RTO clock. */
static int
iv_draw_system(struct view *v, const struct rb_system *sys, int y, int x,
    int w)
{
	struct incview	*iv = v->data;
	struct ui	*ui = v->ui;
	size_t		 i = (size_t)(sys - iv->inc->rb->systems);
	enum rb_state	 st = iv_state(iv, i);
	enum theme_elem	 elem = TE_RTO_OK;
	char		*s, *rto;
	int		 used = 0;

	used += ui_put(ui, y, x, w, state_elems[st], st == RB_STATE_UP ? "● " :
	    st == RB_STATE_DOWN ? "✗ " : st == RB_STATE_DEGRADED ? "◐ " :
	    "○ ");
	used += ui_put(ui, y, x + used, w - used, TE_NORMAL, sys->name);
	if ((rto = iv_rto(iv, i, &elem)) != NULL) {
		s = xprintf(" %s", rto);
		used += ui_put(ui, y, x + used, w - used, elem, s);
		free(s);
		free(rto);
	}
	return (used);
}

/* The Status pane: one block per system, as many as fit. */
static void
iv_draw_status(struct view *v, struct rect r)
{
	struct incview			*iv = v->data;
	struct ui			*ui = v->ui;
	const struct runbook		*rb = iv->inc->rb;
	const struct check_status	*cs;
	enum theme_elem			 elem;
	size_t				 i, k;
	char				*s, *rto, *age;
	int				 y = r.y, x;

	if (rb->nsystems == 0) {
		ui_put(ui, y, r.x, r.w, TE_DIM, "No systems in this runbook.");
		return;
	}
	for (i = 0; i < rb->nsystems && y < r.y + r.h; i++, y++) {
		cs = iv->watch != NULL ? watch_status(iv->watch, i) : NULL;
		x = r.x;
		x += iv_draw_system(v, &rb->systems[i], y, x, 38) + 1;
		if (x < r.x + 40)
			x = r.x + 40;
		if (cs == NULL)
			continue;
		age = cs->at >= 0 ? xprintf("%llds ago",
		    (long long)((checks_time() - cs->at) / 1000)) :
		    xstrdup(cs->in_flight ? "checking" : "");
		s = cs->latency >= 0 ? xprintf("%s %lldms %s ",
		    rb_state_name(cs->state), (long long)cs->latency, age) :
		    xprintf("%s %s ", rb_state_name(cs->state), age);
		x += ui_put(ui, y, x, r.x + r.w - x, state_elems[cs->state], s);
		free(s);
		free(age);
		/* The recent history, oldest first. */
		for (k = 0; k < cs->nhist && x < r.x + r.w; k++)
			x += ui_put(ui, y, x, 1, state_elems[cs->hist_state[k]],
			    cs->hist_state[k] == RB_STATE_UP ? "▂" :
			    cs->hist_state[k] == RB_STATE_DOWN ? "█" : "▅");
		if (cs->detail != NULL && *cs->detail != '\0') {
			s = xprintf(" %s", cs->detail);
			ui_put(ui, y, x, r.x + r.w - x, TE_DIM, s);
			free(s);
		}
		(void)rto;
		(void)elem;
	}
}

static void
iv_draw_strip(struct view *v, struct rect r)
{
	struct incview			*iv = v->data;
	const struct runbook		*rb = iv->inc->rb;
	const struct rb_scenario	*sc = incident_scenario(iv->inc);
	const struct rb_system		**order;
	size_t				 i, k, n = 0;
	int				 x = 1, y = r.y, w;

	if (rb->nsystems == 0) {
		ui_put(v->ui, r.y, 1, r.w - 2, TE_DIM,
		    "This runbook names no systems.");
		return;
	}
	/* The scenario's systems first, then the rest by priority. */
	order = xcalloc(rb->nsystems, sizeof *order);
	for (i = 0; i < sc->nsystems; i++) {
		const struct rb_system	*s = runbook_system(rb, sc->systems[i]);

		if (s != NULL)
			order[n++] = s;
	}
	for (k = 1; n < rb->nsystems && k < 1000; k++) {
		for (i = 0; i < rb->nsystems; i++) {
			size_t	j;

			if (rb->systems[i].priority != (int)k)
				continue;
			for (j = 0; j < n && order[j] != &rb->systems[i]; j++)
				;
			if (j == n)
				order[n++] = &rb->systems[i];
		}
	}
	for (i = 0; i < rb->nsystems && n < rb->nsystems; i++) {
		size_t	j;

		for (j = 0; j < n && order[j] != &rb->systems[i]; j++)
			;
		if (j == n)
			order[n++] = &rb->systems[i];
	}
	for (i = 0; i < n; i++) {
		w = text_width(order[i]->name) + 13;
		if (x + w > r.w) {
			if (++y >= r.y + r.h)
				break;
			x = 1;
		}
		x += iv_draw_system(v, order[i], y, x, r.w - x) + 3;
	}
	free(order);
}

static void
iv_draw_steps(struct view *v, struct rect r)
{
	struct incview			*iv = v->data;
	struct incident			*inc = iv->inc;
	struct ui			*ui = v->ui;
	const struct rb_scenario	*sc = incident_scenario(inc), *p;
	struct incident_step		*ss;
	size_t				 i, k, done;
	int				 y = r.y, x, rows;
	char				*s, *t;
	enum theme_elem			 elem;

	/* Scenarios left behind by a goto: one line each. */
	for (i = 0; i + 1 < inc->npath && y < r.y + r.h; i++) {
		if (inc->path[i] == inc->scenario)
			continue;
		p = &inc->rb->scenarios[inc->path[i]];
		for (k = 0, done = 0; k < p->nsteps; k++)
			if (inc->steps[inc->path[i]][k].state != STEP_PENDING)
				done++;
		s = xprintf("▸ %s %zu/%zu →", p->title, done, p->nsteps);
		ui_put(ui, y++, r.x, r.w, TE_DIM, s);
		free(s);
	}
	s = xprintf("%s%s", inc->npath > 1 ? "▾ " : "", sc->title);
	ui_put(ui, y++, r.x, r.w, TE_TITLE, s);
	free(s);
	rows = r.y + r.h - y;
	if (rows <= 0)
		return;
	if (iv->sel < iv->top)
		iv->top = iv->sel;
	if (iv->sel >= iv->top + (size_t)rows)
		iv->top = iv->sel - (size_t)rows + 1;
	for (i = iv->top; i < sc->nsteps && y < r.y + r.h; i++, y++) {
		ss = &inc->steps[inc->scenario][i];
		x = r.x;
		if (i == iv->sel)
			ui_fill(ui, y, r.x, r.w, TE_SELECTED);
		elem = i == inc->step && ss->state == STEP_PENDING ?
		    TE_STEP_CURRENT : step_elems[ss->state];
		x += ui_put(ui, y, x, r.w, i == iv->sel ? TE_SELECTED : elem,
		    i == inc->step && ss->state == STEP_PENDING ? "▶" :
		    step_marks[ss->state]);
		t = incident_expand(inc, sc->steps[i].title,
		    INCIDENT_EXPAND_MASK, NULL);
		s = xprintf(" %zu %s", i + 1, t != NULL ? t :
		    sc->steps[i].title);
		free(t);
		x += ui_put(ui, y, x, r.x + r.w - x, i == iv->sel ?
		    TE_SELECTED : i == inc->step ? TE_TITLE : TE_NORMAL, s);
		free(s);
		if (ss->jump != NULL) {
			s = xprintf(" → %s", ss->jump);
			ui_put(ui, y, x, r.x + r.w - x, i == iv->sel ?
			    TE_SELECTED : TE_DIM, s);
			free(s);
		}
	}
	if (inc->step >= sc->nsteps && y < r.y + r.h)
		ui_put(ui, y, r.x, r.w, TE_STEP_DONE,
		    "✓ scenario complete: e ends the incident");
}

/*
 * A command with its variables filled in and highlighted; secrets stay
 * [REDACTED], unset variables show as {{name}}.  Returns lines used.
 */
static int
iv_draw_command(struct view *v, const char *run, int y, int x, int w,
    int maxy)
{
	struct incview	*iv = v->data;
	struct ui	*ui = v->ui;
	const char	*p, *q, *line, *end, *name;
	char		*copy, *shown, *nm;
	const struct rb_variable *var;
	int		 col, lines = 0;
	size_t		 n;

	copy = xstrdup(run);
	for (line = copy; *line != '\0' && y + lines < maxy; line = end) {
		end = strchr(line, '\n');
		if (end == NULL)
			end = line + strlen(line);
		col = x;
		col += ui_put(ui, y + lines, col, w, TE_DIM, lines ? "  " :
		    "$ ");
		p = line;
		while (p < end && col < x + w) {
			q = strstr(p, "{{");
			if (q == NULL || q >= end) {
				col += ui_putn(ui, y + lines, col, x + w - col,
				    TE_COMMAND, p, (size_t)(end - p));
				break;
			}
			col += ui_putn(ui, y + lines, col, x + w - col,
			    TE_COMMAND, p, (size_t)(q - p));
			if (strncmp(q, "{{{{", 4) == 0) {
				col += ui_put(ui, y + lines, col, x + w - col,
				    TE_COMMAND, "{{");
				p = q + 4;
				continue;
			}
			name = q + 2;
			while (*name == ' ')
				name++;
			for (n = 0; name[n] == '_' ||
			    (name[n] >= 'a' && name[n] <= 'z') ||
			    (name[n] >= 'A' && name[n] <= 'Z') ||
			    (name[n] >= '0' && name[n] <= '9'); n++)
				;
			nm = xstrndup(name, n);
			var = runbook_variable(iv->inc->rb, nm);
			p = strstr(q, "}}");
			p = p != NULL ? p + 2 : end;
			if (var != NULL && incident_var(iv->inc, nm) != NULL) {
				shown = var->secret ? xstrdup("[REDACTED]") :
				    xstrdup(incident_var(iv->inc, nm));
				col += ui_put(ui, y + lines, col, x + w - col,
				    TE_VARIABLE, shown);
				free(shown);
			} else {
				shown = xprintf("{{%s}}", nm);
				col += ui_put(ui, y + lines, col, x + w - col,
				    TE_VARIABLE_UNSET, shown);
				free(shown);
			}
			free(nm);
		}
		lines++;
		if (*end == '\n')
			end++;
	}
	free(copy);
	return (lines);
}

static int
iv_line(struct ui *ui, struct rect r, int y, enum theme_elem e,
    const char *s)
{
	struct rect	sub;

	if (y >= r.y + r.h)
		return (y);
	sub = (struct rect){ y, r.x, r.y + r.h - y, r.w };
	return (y + ui_wrap(ui, sub, 0, e, s));
}

static void
iv_draw_detail(struct view *v, struct rect r)
{
	struct incview			*iv = v->data;
	struct incident			*inc = iv->inc;
	struct ui			*ui = v->ui;
	const struct rb_scenario	*sc = incident_scenario(inc);
	const struct rb_step		*st;
	struct incident_step		*ss;
	char				*s, *t;
	size_t				 i;
	int				 y = r.y;

	ui_vline(ui, r.y, r.x - 1, r.h, TE_BORDER);
	if (iv->sel >= sc->nsteps)
		return;
	st = &sc->steps[iv->sel];
	ss = &inc->steps[inc->scenario][iv->sel];
	t = incident_expand(inc, st->title, INCIDENT_EXPAND_MASK, NULL);
	s = xprintf("%s", t != NULL ? t : st->title);
	y = iv_line(ui, r, y, TE_TITLE, s);
	free(s);
	free(t);
	s = xprintf("step %zu/%zu · %s · %s%s%s", iv->sel + 1, sc->nsteps,
	    st->id, incident_step_state_name(ss->state),
	    iv->sel == inc->step ? " · current" : "",
	    st->optional ? " · optional" : "");
	y = iv_line(ui, r, y, TE_DIM, s);
	free(s);
	if (st->danger != NULL) {
		s = xprintf("DANGER: %s", st->danger);
		y = iv_line(ui, r, y, TE_DANGER, s);
		free(s);
	}
	if (st->text != NULL) {
		t = incident_expand(inc, st->text, INCIDENT_EXPAND_MASK, NULL);
		y = iv_line(ui, r, y, TE_NORMAL, t != NULL ? t : st->text);
		free(t);
	}
	if (st->run != NULL && y < r.y + r.h)
		y += iv_draw_command(v, st->run, y, r.x, r.w, r.y + r.h);
	if (st->run != NULL) {
		t = st->timeout >= 0 ? value_duration_format(st->timeout) :
		    NULL;
		s = xprintf("%s%s%s%s%s", st->interactive ?
		    "interactive · " : "", st->confirm ? "asks y/N · " : "",
		    st->danger ? "type the id to run · " : "",
		    t != NULL ? "timeout " : "", t != NULL ? t : "");
		/* No separator left dangling at the end. */
		if (strlen(s) >= 4 && strcmp(s + strlen(s) - 4, " · ") == 0)
			s[strlen(s) - 4] = '\0';
		if (*s != '\0')
			y = iv_line(ui, r, y, TE_DIM, s);
		free(s);
		free(t);
	}
	if (st->workdir != NULL) {
		t = incident_expand(inc, st->workdir, INCIDENT_EXPAND_MASK,
		    NULL);
		s = xprintf("in %s", t != NULL ? t : st->workdir);
		free(t);
		y = iv_line(ui, r, y, TE_DIM, s);
		free(s);
	}
	if (st->expect != NULL) {
		s = xprintf("expect /%s/ and exit %d",
		    pattern_source(st->expect), st->expect_exit);
		y = iv_line(ui, r, y, TE_NORMAL, s);
		free(s);
	}
	if (st->nwait_for > 0) {
		s = xstrdup("waits for:");
		for (i = 0; i < st->nwait_for; i++) {
			t = xprintf("%s %s", s, st->wait_for[i]);
			free(s);
			s = t;
		}
		y = iv_line(ui, r, y, TE_NORMAL, s);
		free(s);
	}
	if (st->open != NULL) {
		t = incident_expand(inc, st->open, INCIDENT_EXPAND_MASK, NULL);
		s = xprintf("open %s", t != NULL ? t : st->open);
		y = iv_line(ui, r, y, TE_LINK, s);
		free(s);
		free(t);
	}
	if (st->ask != NULL) {
		t = incident_expand(inc, st->ask, INCIDENT_EXPAND_MASK, NULL);
		s = xprintf("? %s", t != NULL ? t : st->ask);
		y = iv_line(ui, r, y, TE_PROMPT, s);
		free(s);
		free(t);
		for (i = 0; i < st->nchoices; i++) {
			s = xprintf("  %zu %s → %s", i + 1,
			    st->choices[i].label, st->choices[i].target);
			y = iv_line(ui, r, y, TE_NORMAL, s);
			free(s);
		}
	}
	if (st->target != NULL) {
		s = xprintf("then go to %s", st->target);
		y = iv_line(ui, r, y, TE_DIM, s);
		free(s);
	}
	if (st->run == NULL && st->ask == NULL && st->nwait_for == 0)
		iv_line(ui, r, y, TE_DIM, "A manual step: do it, then d.");
}

static void
iv_draw_timeline(struct view *v, struct rect r)
{
	struct incview	*iv = v->data;
	struct incident	*inc = iv->inc;
	struct ui	*ui = v->ui;
	size_t		 first, i;
	char		*s, *c;
	int		 y;

	if ((size_t)r.h + (size_t)iv->scroll >= inc->nevents)
		first = 0;
	else
		first = inc->nevents - (size_t)r.h - (size_t)iv->scroll;
	for (i = first, y = r.y; i < inc->nevents && y < r.y + r.h; i++) {
		c = iv_clock(inc->events[i].t);
		s = xprintf("%s %-8s %s", c, inc->events[i].op,
		    inc->events[i].text);
		ui_put(ui, y++, r.x, r.w, TE_NORMAL, s);
		free(s);
		free(c);
	}
}

static void
iv_draw_contacts(struct view *v, struct rect r)
{
	struct incview		*iv = v->data;
	const struct runbook	*rb = iv->inc->rb;
	const struct rb_contact	*c;
	size_t			 i;
	char			*s;
	int			 y = r.y;

	if (rb->ncontacts == 0)
		ui_put(v->ui, y, r.x, r.w, TE_DIM, "No contacts in this "
		    "runbook.");
	for (i = 0; i < rb->ncontacts && y < r.y + r.h; i++) {
		c = &rb->contacts[i];
		s = xprintf("%-20s %s%s%s%s%s%s%s", c->role,
		    c->name ? c->name : "", c->name ? "  " : "",
		    c->email ? c->email : "", c->email ? "  " : "",
		    c->phone ? c->phone : "", c->chat ? "  " : "",
		    c->chat ? c->chat : "");
		ui_put(v->ui, y++, r.x, r.w, TE_NORMAL, s);
		free(s);
	}
}

/* One line of output with its SGR colours (none under mono). */
static void
iv_draw_sgr_line(struct view *v, int y, int x, int w, const char *s,
    size_t len)
{
	struct ui		*ui = v->ui;
	struct output_style	 st = { -1, -1, 0, 0, 0, 0 };
	size_t			 i = 0, start, n;
	int			 col = 0, a;
	short			 pair;

	while (i < len && col < w) {
		if ((n = output_sgr(s + i, len - i, &st)) > 0) {
			i += n;
			continue;
		}
		start = i;
		while (i < len && s[i] != 0x1b)
			i++;
		if (i == start) {
			i++;
			continue;
		}
		col += ui_putn(ui, y, x + col, w - col, TE_NORMAL, s + start,
		    i - start);
		if (ui->theme->mono)
			continue;
		a = A_NORMAL;
		if (st.bold)
			a |= A_BOLD;
		if (st.underline)
			a |= A_UNDERLINE;
		if (st.reverse)
			a |= A_REVERSE;
		if (st.dim)
			a |= A_DIM;
		pair = ui_color_pair(ui, st.fg, st.bg);
		if (a != A_NORMAL || pair != 0)
			mvchgat(y, x + col - (int)text_nwidth(s + start,
			    i - start), text_nwidth(s + start, i - start), a,
			    pair, NULL);
	}
}

static void
iv_draw_output(struct view *v, struct rect r)
{
	struct incview		*iv = v->data;
	struct ui		*ui = v->ui;
	const struct output	*out = runner_output(iv->runner);
	size_t			 n = output_lines(out), first, i, len;
	uint64_t		 total;
	char			*status;
	const char		*line;
	int			 y;

	status = runner_status(iv->runner);
	if (status == NULL) {
		ui_put(ui, r.y, r.x, r.w, TE_DIM, "No command has run yet: "
		    "Enter on a step with a command runs it.");
		return;
	}
	ui_put(ui, r.y, r.x, r.w, runner_busy(iv->runner) ? TE_STEP_RUNNING :
	    runner_failure(iv->runner) != NULL ? TE_STEP_FAILED :
	    TE_STEP_DONE, status);
	free(status);
	r.y++;
	r.h--;
	if (r.h <= 0)
		return;
	/* Follow the end unless scrolled back; scrolled, stay put. */
	total = output_dropped(out) + n;
	if (iv->scroll > 0 && total > iv->out_seen)
		iv->scroll += (int)(total - iv->out_seen);
	iv->out_seen = total;
	if ((size_t)iv->scroll > n)
		iv->scroll = (int)n;
	if (n <= (size_t)r.h + (size_t)iv->scroll)
		first = 0;
	else
		first = n - (size_t)r.h - (size_t)iv->scroll;
	for (i = first, y = r.y; i < n && y < r.y + r.h; i++, y++) {
		line = output_line(out, i, &len);
		if (iv->out_hit_valid && i == iv->out_hit)
			ui_fill(ui, y, r.x, r.w, TE_MATCH);
		iv_draw_sgr_line(v, y, r.x, r.w, line, len);
	}
	if (iv->scroll > 0) {
		char	*s = xprintf(" %d lines below (PgDn) ", iv->scroll);

		ui_put(ui, r.y + r.h - 1, r.x + r.w - text_width(s),
		    text_width(s), TE_HINT, s);
		free(s);
	}
}

static void
iv_draw_bottom(struct view *v, struct rect r)
{
	struct incview	*iv = v->data;
	struct ui	*ui = v->ui;
	int		 x = 1, i;
	struct rect	 body = { r.y + 1, 1, r.h - 1, r.w - 2 };
	char		*status;

	ui_hline(ui, r.y, 0, r.w, TE_BORDER);
	for (i = 0; i < BOTTOM_COUNT; i++) {
		char	*s = xprintf(" %s ", bottom_names[i]);

		x += ui_put(ui, r.y, x, r.w - x, i == (int)iv->bottom ?
		    TE_SELECTED : TE_BORDER, s) + 1;
		free(s);
	}
	if ((status = team_status(iv->team)) != NULL) {
		char	*t = xprintf(" %s ", status);
		int	 tw = text_width(t), room = r.w - x - 2;

		/* Clipped at its end: the pen and the backlog come first. */
		if (room > 8)
			ui_put(ui, r.y, tw < room ? r.w - tw - 1 : x + 1,
			    room, TE_WARNING, t);
		free(t);
		free(status);
	}
	switch (iv->bottom) {
	case BOTTOM_OUTPUT:
		iv_draw_output(v, body);
		break;
	case BOTTOM_STATUS:
		iv_draw_status(v, body);
		break;
	case BOTTOM_TIMELINE:
		iv_draw_timeline(v, body);
		break;
	default:
		iv_draw_contacts(v, body);
		break;
	}
}

/* The replay's position bar: time, a bar, the speed. */
static void
iv_draw_replay_bar(struct view *v, struct rect r)
{
	struct incview	*iv = v->data;
	struct replay	*rp = iv->replay;
	char		*a, *b, *left, *right, *bar;
	int		 w, fill, i, x;

	ui_fill(v->ui, r.y, r.x, r.w, TE_HINT);
	a = iv_clock(rp->pos);
	b = iv_clock(rp->end);
	left = xprintf(" %s REPLAY %s / %s ", rp->paused ? "||" : ">", a, b);
	if (rp->speed > 0)
		right = xprintf(" %gx  space pause  +/- speed  q quit ",
		    rp->speed);
	else
		right = xstrdup(" real time, gaps cut  space  +/-  q ");
	w = r.w - text_width(left) - text_width(right) - 2;
	x = r.x + ui_put(v->ui, r.y, r.x, r.w, TE_HINT, left);
	if (w > 4) {
		fill = rp->end > 0 ? (int)((double)rp->pos / rp->end * w) : w;
		bar = xmalloc((size_t)w * 3 + 3);
		bar[0] = '\0';
		for (i = 0; i < w; i++)
			strcat(bar, i < fill ? "█" : "░");
		x += ui_put(v->ui, r.y, x, w, TE_HINT, bar) + 1;
		free(bar);
	}
	ui_put(v->ui, r.y, x, r.x + r.w - x, TE_HINT, right);
	free(left);
	free(right);
	free(a);
	free(b);
}

static void
iv_draw(struct view *v)
{
	struct incview		*iv = v->data;
	struct ui		*ui = v->ui;
	struct layout_incident	 l;
	int			 strip = iv->inc->rb->nsystems > 4 ? 2 : 1;

	layout_incident(ui->rows, ui->cols, strip, &l);
	iv_draw_header(v, l.header);
	iv_draw_strip(v, l.strip);
	iv_draw_steps(v, l.steps);
	iv_draw_detail(v, l.detail);
	iv_draw_bottom(v, l.bottom);
	if (iv->replay != NULL && ui->message == NULL)
		iv_draw_replay_bar(v, l.hints);
	else
		ui_hints(ui, l.hints, incident_keys);
}

static void
iv_tick(struct view *v)
{
	struct incview	*iv = v->data;

	/* Events kept in memory after a failed write: try again. */
	if (iv->inc->journal != NULL && journal_pending(iv->inc->journal) > 0)
		journal_flush(iv->inc->journal);
	ui_dirty(v->ui);	/* the clocks */
}

/* After every action: follow the current step and ask prerequisites. */
static void
iv_follow(struct view *v)
{
	struct incview	*iv = v->data;

	if (iv->watch != NULL)
		watch_step(iv->watch);
	iv->sel = iv->inc->step;
	iv->seen_step = iv->inc->step;
	if (iv->seen_scenario != iv->inc->scenario) {
		iv->seen_scenario = iv->inc->scenario;
		iv->top = 0;
	}
	iv_check_prereqs(v);
}

static int
iv_prereq_cb(struct ui *ui, void *arg, int ok, const char *text, size_t c)
{
	struct view			*v = arg;
	struct incview			*iv = v->data;
	const struct rb_scenario	*sc = incident_scenario(iv->inc);

	(void)c;
	(void)text;
	incident_record(iv->inc, "prerequisite", json_pack("{s:s, s:s, s:s}",
	    "scenario", sc->id, "item", sc->prerequisites[iv->prereq],
	    "answer", ok ? "yes" : "no"));
	if (!ok)
		ui_message(ui, 1, "prerequisite not met: %s",
		    sc->prerequisites[iv->prereq]);
	iv->prereq++;
	iv_check_prereqs(v);
	return (0);
}

/* Each prerequisite of a newly entered scenario is acknowledged. */
static void
iv_check_prereqs(struct view *v)
{
	struct incview			*iv = v->data;
	const struct rb_scenario	*sc = incident_scenario(iv->inc);
	char				*q;

	if (iv->acked[iv->inc->scenario])
		return;
	if (iv->prereq >= sc->nprerequisites) {
		iv->acked[iv->inc->scenario] = 1;
		iv->prereq = 0;
		return;
	}
	q = xprintf("Prerequisite %zu/%zu: %s", iv->prereq + 1,
	    sc->nprerequisites, sc->prerequisites[iv->prereq]);
	prompt_confirm(v->ui, q, "Is this in place?", iv_prereq_cb, v);
	free(q);
}

static void
iv_up(struct view *v)
{
	struct incview	*iv = v->data;

	if (iv->sel > 0)
		iv->sel--;
}

static void
iv_down(struct view *v)
{
	struct incview	*iv = v->data;

	if (iv->sel + 1 < incident_scenario(iv->inc)->nsteps)
		iv->sel++;
}

/* Make the selected step current before acting on it. */
static const struct rb_step *
iv_current(struct view *v)
{
	struct incview			*iv = v->data;
	const struct rb_scenario	*sc = incident_scenario(iv->inc);
	char				*why = NULL;

	if (iv->inc->ended) {
		ui_message(v->ui, 1, "the incident has ended");
		return (NULL);
	}
	if (runner_busy(iv->runner)) {
		ui_message(v->ui, 1, "a command is running: Ctrl-C stops it");
		return (NULL);
	}
	if (!team_may_drive(iv->team, &why)) {
		ui_message(v->ui, 1, "%s", why);
		free(why);
		return (NULL);
	}
	if (iv->sel >= sc->nsteps)
		return (NULL);
	if (iv->sel != iv->inc->step)
		incident_move(iv->inc, iv->inc->scenario, iv->sel);
	return (incident_step(iv->inc));
}

static void	iv_activate(struct view *);

static void
iv_run(struct view *v)
{
	struct incview	*iv = v->data;
	char		*cause = NULL;

	iv->bottom = BOTTOM_OUTPUT;
	iv->scroll = 0;
	iv->out_hit_valid = 0;
	if (runner_run(iv->runner, &cause) != 0) {
		ui_message(v->ui, 1, "cannot run: %s", cause);
		free(cause);
	}
	iv_follow(v);
}

static int
iv_confirm_cb(struct ui *ui, void *arg, int ok, const char *text, size_t c)
{
	struct view		*v = arg;
	struct incview		*iv = v->data;
	const struct rb_step	*st = incident_step(iv->inc);
	int			 typed;

	(void)c;
	if (st == NULL)
		return (0);
	if (st->danger != NULL) {
		typed = ok && strcmp(text, st->id) == 0;
		if (ok && !typed) {
			incident_confirm(iv->inc, 0, 0);
			ui_message(ui, 1, "\"%s\" is not the step id: not run",
			    text);
			return (0);
		}
		incident_confirm(iv->inc, typed, typed);
		if (!typed) {
			ui_message(ui, 0, "not run");
			return (0);
		}
	} else {
		incident_confirm(iv->inc, ok, 0);
		if (!ok) {
			ui_message(ui, 0, "not run");
			return (0);
		}
	}
	iv_run(v);
	return (0);
}

/* The confirmation the step asks for, recorded, then the command. */
static void
iv_confirm_and_run(struct view *v)
{
	struct incview		*iv = v->data;
	const struct rb_step	*st = incident_step(iv->inc);
	char			*cmd, *q;

	cmd = incident_expand(iv->inc, st->run, INCIDENT_EXPAND_SHELL |
	    INCIDENT_EXPAND_MASK, NULL);
	if (st->danger != NULL) {
		q = xprintf("Destructive step: %s", st->title);
		prompt_danger(v->ui, q, st->danger, st->id, iv_confirm_cb, v);
		free(q);
	} else if (st->confirm) {
		q = xprintf("Run this command? %s", cmd != NULL ? cmd : "");
		prompt_confirm(v->ui, q, NULL, iv_confirm_cb, v);
		free(q);
	} else
		iv_run(v);
	free(cmd);
}

static int
iv_var_cb(struct ui *ui, void *arg, int ok, const char *text, size_t c)
{
	struct view	*v = arg;
	struct incview	*iv = v->data;
	const char	*name;
	char		*cause;

	(void)c;
	if (!ok)
		return (0);
	name = incident_missing_var(iv->inc, incident_step(iv->inc));
	if (name == NULL)
		return (0);
	if (incident_set_var(iv->inc, name, text, &cause) != 0) {
		prompt_set_error(ui, cause);
		free(cause);
		return (-1);
	}
	iv_activate(v);		/* the next missing value, or the step */
	return (0);
}

static int
iv_why_cb(struct ui *ui, void *arg, int ok, const char *text, size_t c)
{
	struct view	*v = arg;
	struct incview	*iv = v->data;
	size_t		 choice = iv->pending;

	(void)c;
	(void)ui;
	incident_decide(iv->inc, choice, ok ? text : NULL);
	iv_follow(v);
	return (0);
}

static int
iv_choice_cb(struct ui *ui, void *arg, int ok, const char *text, size_t c)
{
	struct view	*v = arg;
	struct incview	*iv = v->data;
	char		*q;

	if (!ok)
		return (0);
	iv->pending = c;	/* the choice waiting for its why */
	q = xprintf("Why \"%s\"? (optional; Enter to skip)", text);
	prompt_text(ui, q, "", 0, iv_why_cb, v);
	free(q);
	return (0);
}

/*
 * Enter on a step: first every variable it needs, then its question or
 * its command (through the runner) or, for a manual step, done.
 */
static void
iv_activate(struct view *v)
{
	struct incview			*iv = v->data;
	const struct rb_step		*st = incident_step(iv->inc);
	const struct rb_variable	*var;
	const char			*name;
	const char			**labels;
	char				*q, *t;
	size_t				 i;

	if (st == NULL)
		return;
	if ((name = incident_missing_var(iv->inc, st)) != NULL) {
		var = runbook_variable(iv->inc->rb, name);
		q = xprintf("%s (%s)", var->prompt, name);
		prompt_text(v->ui, q, var->def, var->secret ? PROMPT_MASKED :
		    0, iv_var_cb, v);
		if (var->pattern != NULL) {
			t = xprintf("must match %s",
			    pattern_source(var->pattern));
			prompt_set_info(v->ui->prompt, t, TE_DIM);
			free(t);
		}
		free(q);
		return;
	}
	if (st->ask != NULL) {
		labels = xcalloc(st->nchoices, sizeof *labels);
		for (i = 0; i < st->nchoices; i++)
			labels[i] = st->choices[i].label;
		t = incident_expand(iv->inc, st->ask, INCIDENT_EXPAND_MASK,
		    NULL);
		prompt_choice(v->ui, t != NULL ? t : st->ask, labels,
		    st->nchoices, iv_choice_cb, v);
		free(t);
		free(labels);
		return;
	}
	if (st->run != NULL) {
		iv_confirm_and_run(v);
		return;
	}
	if (st->open != NULL) {
		t = incident_expand(iv->inc, st->open, 0, NULL);
		if (t != NULL) {
			ui_clipboard(v->ui, t);
			ui_message(v->ui, 0, "URL copied: %s; d when done", t);
		}
		free(t);
		return;
	}
	incident_done(iv->inc, NULL);
	iv_follow(v);
}

static void
iv_enter(struct view *v)
{
	if (iv_current(v) != NULL)
		iv_activate(v);
}

static int
iv_override_cb(struct ui *ui, void *arg, int ok, const char *text, size_t c)
{
	struct view	*v = arg;
	struct incview	*iv = v->data;
	char		*reason;

	(void)c;
	if (!ok)
		return (0);
	if (*text == '\0') {
		prompt_set_error(ui, "an override needs a reason");
		return (-1);
	}
	reason = xprintf("override: %s", text);
	incident_done(iv->inc, reason);
	free(reason);
	iv_follow(v);
	return (0);
}

static void
iv_done(struct view *v)
{
	struct incview		*iv = v->data;
	struct incident_step	*ss;

	if (iv_current(v) == NULL)
		return;
	ss = incident_step_status(iv->inc, iv->inc->scenario, iv->inc->step);
	if (ss->state == STEP_FAILED) {
		prompt_text(v->ui, "The step failed. Why is it done anyway?",
		    "", 0, iv_override_cb, v);
		return;
	}
	if (ss->state == STEP_WAITING) {
		prompt_text(v->ui, "Its systems are not all up. Why is it "
		    "done anyway?", "", 0, iv_override_cb, v);
		return;
	}
	incident_done(iv->inc, NULL);
	iv_follow(v);
}

static int
iv_skip_cb(struct ui *ui, void *arg, int ok, const char *text, size_t c)
{
	struct view	*v = arg;
	struct incview	*iv = v->data;

	(void)c;
	if (!ok)
		return (0);
	if (*text == '\0') {
		prompt_set_error(ui, "a skip needs a reason");
		return (-1);
	}
	incident_skip(iv->inc, text);
	iv_follow(v);
	return (0);
}

static void
iv_skip(struct view *v)
{
	struct incview		*iv = v->data;
	const struct rb_step	*st;

	if ((st = iv_current(v)) == NULL)
		return;
	if (st->optional) {
		incident_skip(iv->inc, NULL);
		iv_follow(v);
		return;
	}
	prompt_text(v->ui, "Why skip this step?", "", 0, iv_skip_cb, v);
}

static int
iv_fail_cb(struct ui *ui, void *arg, int ok, const char *text, size_t c)
{
	struct view	*v = arg;
	struct incview	*iv = v->data;

	(void)c;
	(void)ui;
	if (ok)
		incident_fail(iv->inc, text);
	return (0);
}

static void
iv_fail(struct view *v)
{
	if (iv_current(v) == NULL)
		return;
	prompt_text(v->ui, "What failed? (Enter to mark it failed)", "", 0,
	    iv_fail_cb, v);
}

static int
iv_note_cb(struct ui *ui, void *arg, int ok, const char *text, size_t c)
{
	struct view	*v = arg;
	struct incview	*iv = v->data;

	(void)c;
	(void)ui;
	if (ok && *text != '\0')
		incident_note(iv->inc, text);
	return (0);
}

static void
iv_note(struct view *v)
{
	prompt_text(v->ui, "Note for the timeline", "", 0, iv_note_cb, v);
}

static int
iv_search_cb(struct ui *ui, void *arg, int ok, const char *text, size_t c)
{
	struct view			*v = arg;
	struct incview			*iv = v->data;
	const struct rb_scenario	*sc = incident_scenario(iv->inc);
	struct pattern			*p;
	char				*cause, *msg;
	size_t				 off, i, k;

	(void)c;
	if (!ok || *text == '\0')
		return (0);
	if ((p = pattern_compile(text, PATTERN_CASELESS, &cause, &off)) ==
	    NULL) {
		msg = xprintf("offset %zu: %s", off, cause);
		prompt_set_error(ui, msg);
		free(msg);
		free(cause);
		return (-1);
	}
	for (k = 1; k <= sc->nsteps; k++) {
		const struct rb_step	*st;

		i = (iv->sel + k) % sc->nsteps;
		st = &sc->steps[i];
		if (pattern_match(p, st->title, strlen(st->title), NULL,
		    NULL) == 1 || (st->run != NULL && pattern_match(p,
		    st->run, strlen(st->run), NULL, NULL) == 1) ||
		    (st->text != NULL && pattern_match(p, st->text,
		    strlen(st->text), NULL, NULL) == 1)) {
			iv->sel = i;
			break;
		}
	}
	if (k > sc->nsteps)
		ui_message(ui, 1, "no step matches %s", text);
	pattern_free(p);
	return (0);
}

static int
iv_outsearch_cb(struct ui *ui, void *arg, int ok, const char *text, size_t c)
{
	struct view		*v = arg;
	struct incview		*iv = v->data;
	const struct output	*out = runner_output(iv->runner);
	struct pattern		*p;
	char			*cause, *msg, *plain;
	size_t			 off, n = output_lines(out), i, k, len, start;
	const char		*line;

	(void)c;
	if (!ok || *text == '\0')
		return (0);
	if ((p = pattern_compile(text, PATTERN_CASELESS, &cause, &off)) ==
	    NULL) {
		msg = xprintf("offset %zu: %s", off, cause);
		prompt_set_error(ui, msg);
		free(msg);
		free(cause);
		return (-1);
	}
	/* Backwards from the last hit (or the end), wrapping around. */
	start = iv->out_hit_valid ? iv->out_hit : n;
	for (k = 1; k <= n; k++) {
		i = (start + n - k) % n;
		line = output_line(out, i, &len);
		plain = output_strip(line, len);
		if (pattern_match(p, plain, strlen(plain), NULL, NULL) == 1) {
			free(plain);
			iv->out_hit = i;
			iv->out_hit_valid = 1;
			iv->scroll = (int)(n - i) - 3;
			if (iv->scroll < 0)
				iv->scroll = 0;
			break;
		}
		free(plain);
	}
	if (k > n)
		ui_message(ui, 1, "no output line matches %s", text);
	pattern_free(p);
	return (0);
}

static void
iv_search(struct view *v)
{
	struct incview	*iv = v->data;

	if (iv->bottom == BOTTOM_OUTPUT)
		prompt_text(v->ui, "Search the output (PCRE2)", "", 0,
		    iv_outsearch_cb, v);
	else
		prompt_text(v->ui, "Search steps (PCRE2)", "", 0,
		    iv_search_cb, v);
}

static void
iv_tab(struct view *v)
{
	struct incview	*iv = v->data;

	iv->bottom = (iv->bottom + 1) % BOTTOM_COUNT;
	iv->scroll = 0;
}

static void
iv_pgup(struct view *v)
{
	struct incview	*iv = v->data;

	iv->scroll += 5;
	if (iv->bottom == BOTTOM_TIMELINE &&
	    (size_t)iv->scroll > iv->inc->nevents)
		iv->scroll = (int)iv->inc->nevents;
}

static void
iv_pgdn(struct view *v)
{
	struct incview	*iv = v->data;

	iv->scroll = iv->scroll > 5 ? iv->scroll - 5 : 0;
}

static void
iv_copy(struct view *v)
{
	struct incview			*iv = v->data;
	const struct rb_scenario	*sc = incident_scenario(iv->inc);
	const struct rb_step		*st;
	char				*cmd, *missing = NULL;

	if (iv->sel >= sc->nsteps)
		return;
	st = &sc->steps[iv->sel];
	if (st->run == NULL) {
		ui_message(v->ui, 1, "this step has no command");
		return;
	}
	cmd = incident_expand(iv->inc, st->run, INCIDENT_EXPAND_SHELL,
	    &missing);
	if (cmd == NULL) {
		ui_message(v->ui, 1, "%s has no value yet: Enter asks for it",
		    missing);
		free(missing);
		return;
	}
	ui_clipboard(v->ui, cmd);
	free(cmd);
}

static int
iv_varset_cb(struct ui *ui, void *arg, int ok, const char *text, size_t c)
{
	struct view	*v = arg;
	struct incview	*iv = v->data;
	char		*cause;

	(void)c;
	if (!ok)
		return (0);
	if (incident_set_var(iv->inc, iv->inc->rb->variables[iv->pending].name,
	    text, &cause) != 0) {
		prompt_set_error(ui, cause);
		free(cause);
		return (-1);
	}
	return (0);
}

static int
iv_varpick_cb(struct ui *ui, void *arg, int ok, const char *text, size_t c)
{
	struct view			*v = arg;
	struct incview			*iv = v->data;
	const struct rb_variable	*var;
	char				*q, *t;

	(void)text;
	if (!ok)
		return (0);
	var = &iv->inc->rb->variables[c];
	iv->pending = c;
	q = xprintf("%s (%s)", var->prompt, var->name);
	prompt_text(ui, q, var->secret ? "" : iv->inc->values[c],
	    var->secret ? PROMPT_MASKED : 0, iv_varset_cb, v);
	if (var->pattern != NULL) {
		t = xprintf("must match %s", pattern_source(var->pattern));
		prompt_set_info(ui->prompt, t, TE_DIM);
		free(t);
	}
	free(q);
	return (0);
}

static void
iv_vars(struct view *v)
{
	struct incview		*iv = v->data;
	const struct runbook	*rb = iv->inc->rb;
	const char		**labels;
	char			**owned, *why = NULL;
	size_t			 i;

	if (rb->nvariables == 0) {
		ui_message(v->ui, 0, "this runbook has no variables");
		return;
	}
	if (!team_may_drive(iv->team, &why)) {
		ui_message(v->ui, 1, "%s", why);
		free(why);
		return;
	}
	labels = xcalloc(rb->nvariables, sizeof *labels);
	owned = xcalloc(rb->nvariables, sizeof *owned);
	for (i = 0; i < rb->nvariables; i++) {
		owned[i] = xprintf("%s = %s", rb->variables[i].name,
		    iv->inc->values[i] == NULL ? "(not set)" :
		    rb->variables[i].secret ? "[REDACTED]" :
		    iv->inc->values[i]);
		labels[i] = owned[i];
	}
	prompt_choice(v->ui, "Variables: pick one to change", labels,
	    rb->nvariables, iv_varpick_cb, v);
	for (i = 0; i < rb->nvariables; i++)
		free(owned[i]);
	free(owned);
	free(labels);
}

static void
iv_cancel(struct view *v)
{
	struct incview	*iv = v->data;

	if (!runner_busy(iv->runner)) {
		ui_message(v->ui, 0, "no command is running (q leaves rbnav)");
		return;
	}
	runner_cancel(iv->runner);
}

static void	iv_end_checklist(struct view *);

/* A drill's debrief, from its events: recorded, then shown. */
static void
iv_debrief(struct view *v)
{
	struct incview	*iv = v->data;
	struct incident	*inc = iv->inc;
	struct ui	*ui = v->ui;
	json_t		**ev, *d;
	size_t		 i;
	char		*title;

	ev = xcalloc(inc->nevents + 1, sizeof *ev);
	for (i = 0; i < inc->nevents; i++)
		ev[i] = inc->events[i].json;
	d = debrief_compute(inc->rb, inc->drill, ev, inc->nevents,
	    incident_clock(inc));
	free(ev);
	incident_record(inc, "drill.debrief", json_deep_copy(d));
	title = xstrdup(inc->drill->title);
	ui_set_view(ui, view_debrief_open(ui, title, d));
	free(title);
	json_decref(d);
}

static void
iv_end_finish(struct view *v)
{
	struct incview	*iv = v->data;
	struct ui	*ui = v->ui;
	char		*msg;

	if (iv->inc->drill != NULL) {
		incident_end(iv->inc, iv->end_outcome, iv->end_summary,
		    iv->end_done);
		iv_debrief(v);
		return;
	}
	incident_end(iv->inc, iv->end_outcome, iv->end_summary, iv->end_done);
	msg = xprintf("incident %s ended (%s); timeline: %s", iv->inc->id,
	    iv->end_outcome, journal_path(iv->inc->journal));
	ui_set_view(ui, view_picker_open(ui, NULL));
	ui_message(ui, 0, "%s", msg);
	free(msg);
}

static int
iv_check_cb(struct ui *ui, void *arg, int ok, const char *text, size_t c)
{
	struct view	*v = arg;
	struct incview	*iv = v->data;

	(void)ui;
	(void)text;
	(void)c;
	iv->end_done[iv->end_item++] = ok;
	iv_end_checklist(v);
	return (0);
}

static void
iv_end_checklist(struct view *v)
{
	struct incview	*iv = v->data;
	char		*q;

	if (iv->end_item >= iv->inc->rb->npost_incident) {
		iv_end_finish(v);
		return;
	}
	q = xprintf("Post-incident %zu/%zu: %s", iv->end_item + 1,
	    iv->inc->rb->npost_incident,
	    iv->inc->rb->post_incident[iv->end_item]);
	prompt_confirm(v->ui, q, "Done (or scheduled)?", iv_check_cb, v);
	free(q);
}

static int
iv_summary_cb(struct ui *ui, void *arg, int ok, const char *text, size_t c)
{
	struct view	*v = arg;
	struct incview	*iv = v->data;

	(void)c;
	(void)ui;
	if (!ok)
		return (0);
	free(iv->end_summary);
	iv->end_summary = xstrdup(text);
	free(iv->end_done);
	iv->end_done = xcalloc(iv->inc->rb->npost_incident + 1,
	    sizeof *iv->end_done);
	iv->end_item = 0;
	iv_end_checklist(v);
	return (0);
}

static int
iv_outcome_cb(struct ui *ui, void *arg, int ok, const char *text, size_t c)
{
	struct view	*v = arg;
	struct incview	*iv = v->data;

	(void)c;
	if (!ok)
		return (0);
	free(iv->end_outcome);
	iv->end_outcome = xstrdup(text);
	prompt_text(ui, "Summary of the incident (one line)", "", 0,
	    iv_summary_cb, v);
	return (0);
}

static void
iv_end(struct view *v)
{
	static const char	*outcomes[] = { "resolved", "escalated",
				    "abandoned" };
	struct incview		*iv = v->data;
	char			*why = NULL;

	if (iv->inc->ended)
		return;
	if (!team_may_drive(iv->team, &why)) {
		ui_message(v->ui, 1, "%s", why);
		free(why);
		return;
	}
	prompt_choice(v->ui, "End the incident: outcome", outcomes, 3,
	    iv_outcome_cb, v);
}

static int
iv_leave_cb(struct ui *ui, void *arg, int ok, const char *text, size_t c)
{
	struct view	*v = arg;
	struct incview	*iv = v->data;

	(void)text;
	(void)c;
	if (!ok)
		return (0);
	runner_cancel(iv->runner);
	free(ui->exit_message);
	ui->exit_message = xprintf("rbnav: incident %s is still open; its "
	    "timeline is %s", iv->inc->id, journal_path(iv->inc->journal));
	ui_quit(ui, EXIT_OK);
	return (0);
}

static void
iv_leave(struct view *v)
{
	struct incview	*iv = v->data;
	struct ui	*ui = v->ui;

	if (runner_busy(iv->runner)) {
		prompt_confirm(ui, "A command is running. Stop it and leave?",
		    "The incident stays resumable.", iv_leave_cb, v);
		return;
	}
	if (iv->inc->journal != NULL &&
	    journal_pending(iv->inc->journal) > 0) {
		prompt_confirm(ui, "The timeline is not durable. Leave anyway?",
		    "The events kept in memory will be saved to a copy under "
		    "/tmp; x saves a copy where you choose first.",
		    iv_leave_cb, v);
		return;
	}
	free(ui->exit_message);
	if (!iv->inc->ended)
		ui->exit_message = xprintf("rbnav: incident %s is still open; "
		    "its timeline is %s", iv->inc->id,
		    journal_path(iv->inc->journal));
	ui_quit(ui, EXIT_OK);
}

static void
iv_pager_done(struct job *j, const struct job_result *r, void *arg)
{
	struct view	*v = arg;
	struct incview	*iv = v->data;

	(void)r;
	ui_hand_over(v->ui, 0);
	job_free(j);
	iv->pager = NULL;
}

/* The whole capture of the last command in $PAGER (default less). */
static void
iv_pager(struct view *v)
{
	struct incview		*iv = v->data;
	const char		*path = runner_capture(iv->runner);
	const char		*pager = getenv("PAGER");
	struct job_options	 o;
	struct job_cb		 cb;
	char			*q, *cmd, *cause = NULL;

	if (path == NULL) {
		ui_message(v->ui, 1, "no command output to open yet");
		return;
	}
	if (iv->pager != NULL || runner_busy(iv->runner))
		return;
	if (pager == NULL || *pager == '\0')
		pager = "less -R";
	q = expand_shell_quote(path);
	cmd = xprintf("%s %s", pager, q);
	free(q);
	memset(&o, 0, sizeof o);
	o.command = cmd;
	o.timeout = -1;
	o.flags = JOB_TTY;
	memset(&cb, 0, sizeof cb);
	cb.done = iv_pager_done;
	cb.arg = v;
	ui_hand_over(v->ui, 1);
	iv->pager = job_start(&o, &cb, &cause);
	free(cmd);
	if (iv->pager == NULL) {
		ui_hand_over(v->ui, 0);
		ui_message(v->ui, 1, "cannot start the pager: %s", cause);
		free(cause);
	}
}

static void
iv_pause(struct view *v)
{
	struct incview	*iv = v->data;

	if (iv->inc->mode != INCIDENT_DRILL) {
		ui_message(v->ui, 1, "p pauses the clock of a drill only");
		return;
	}
	incident_pause(iv->inc, !iv->inc->paused);
	if (iv->watch != NULL)
		watch_pause(iv->watch, iv->inc->paused);
}

static int
iv_inject_state_cb(struct ui *ui, void *arg, int ok, const char *text,
    size_t c)
{
	struct view	*v = arg;
	struct incview	*iv = v->data;
	enum rb_state	 st;

	(void)ui;
	(void)c;
	if (!ok || rb_state_parse(text, &st) != 0)
		return (0);
	watch_inject(iv->watch, iv->pending, st);
	return (0);
}

static int
iv_inject_sys_cb(struct ui *ui, void *arg, int ok, const char *text,
    size_t c)
{
	static const char	*states[] = { "down", "degraded", "up",
				    "unknown" };
	struct view		*v = arg;
	struct incview		*iv = v->data;
	char			*q;

	if (!ok)
		return (0);
	iv->pending = c;
	q = xprintf("%s becomes", text);
	prompt_choice(ui, q, states, 4, iv_inject_state_cb, v);
	free(q);
	return (0);
}

/* The trainer's key: change a simulated system's state now. */
static void
iv_inject(struct view *v)
{
	struct incview		*iv = v->data;
	const struct runbook	*rb = iv->inc->rb;
	const char		**names;
	size_t			 i;

	if (iv->inc->mode != INCIDENT_DRILL || iv->watch == NULL) {
		ui_message(v->ui, 1, "! changes systems in a drill only");
		return;
	}
	if (rb->nsystems == 0)
		return;
	names = xcalloc(rb->nsystems, sizeof *names);
	for (i = 0; i < rb->nsystems; i++)
		names[i] = rb->systems[i].name;
	prompt_choice(v->ui, "Trainer: which system changes?", names,
	    rb->nsystems, iv_inject_sys_cb, v);
	free(names);
}

static int
iv_give_cb(struct ui *ui, void *arg, int ok, const char *text, size_t c)
{
	struct view	*v = arg;
	struct incview	*iv = v->data;

	(void)c;
	if (ok && team_give(iv->team, text) != 0)
		ui_message(ui, 1, "the shared timeline is not connected");
	return (0);
}

/* h: the pen to another operator of the incident. */
static void
iv_pen_give(struct view *v)
{
	struct incview	*iv = v->data;
	char		**ops, *why = NULL;
	const char	**names;
	size_t		  n, i;

	if (!team_shared(iv->team)) {
		ui_message(v->ui, 1, "no shared timeline (see timeline_db)");
		return;
	}
	if (!team_may_drive(iv->team, &why)) {
		ui_message(v->ui, 1, "%s", why);
		free(why);
		return;
	}
	ops = team_operators(iv->team, &n);
	names = xcalloc(n + 1, sizeof *names);
	for (i = 0; i < n; i++)
		names[i] = ops[i];
	if (n == 0)
		ui_message(v->ui, 1, "no other operator has joined yet");
	else
		prompt_choice(v->ui, "Hand the pen to", names, n, iv_give_cb,
		    v);
	for (i = 0; i < n; i++)
		free(ops[i]);
	free(ops);
	free(names);
}

static int
iv_take_cb(struct ui *ui, void *arg, int ok, const char *text, size_t c)
{
	struct view	*v = arg;
	struct incview	*iv = v->data;

	(void)text;
	(void)c;
	if (ok && team_take(iv->team, 1) != 0)
		ui_message(ui, 1, "the shared timeline is not connected");
	return (0);
}

/* H: take the pen; from a live holder only after a confirmation. */
static void
iv_pen_take(struct view *v)
{
	struct incview	*iv = v->data;
	char		*why = NULL;

	if (!team_shared(iv->team)) {
		ui_message(v->ui, 1, "no shared timeline (see timeline_db)");
		return;
	}
	if (team_may_drive(iv->team, &why)) {
		ui_message(v->ui, 0, "you hold the pen");
		return;
	}
	if (strstr(why, "silent") != NULL || strstr(why, "nobody") != NULL) {
		if (team_take(iv->team, 0) != 0)
			ui_message(v->ui, 1, "the shared timeline is not "
			    "connected");
		free(why);
		return;
	}
	prompt_confirm(v->ui, "Take the pen from its holder?", why,
	    iv_take_cb, v);
	free(why);
}

static int
iv_save_cb(struct ui *ui, void *arg, int ok, const char *text, size_t c)
{
	struct view	*v = arg;
	struct incview	*iv = v->data;
	char		*cause = NULL;

	(void)c;
	if (!ok || *text == '\0')
		return (0);
	if (journal_copy(iv->inc->journal, text, &cause) != 0) {
		prompt_set_error(ui, cause);
		free(cause);
		return (-1);
	}
	ui_message(ui, 0, "timeline copied to %s (rbnav export %s works on "
	    "it)", text, text);
	return (0);
}

/* x: the timeline, pending events included, to a file elsewhere. */
static void
iv_save(struct view *v)
{
	struct incview	*iv = v->data;
	char		*def;

	if (iv->inc->journal == NULL)
		return;
	def = xprintf("/tmp/%s.jsonl", iv->inc->id);
	prompt_text(v->ui, "Save a copy of the timeline to", def, 0,
	    iv_save_cb, v);
	free(def);
}

static void
iv_help(struct view *v)
{
	struct incview	*iv = v->data;

	ui_push_view(v->ui, view_help_open(v->ui, "Incident", incident_keys,
	    iv->inc->mode == INCIDENT_DRILL));
}

/* Apply every recorded event up to the replay position. */
static void
iv_replay_advance(struct view *v)
{
	struct incview	*iv = v->data;
	struct replay	*rp = iv->replay;
	const json_t	*e;
	const char	*type, *sys, *to;
	int64_t		 t;
	ssize_t		 k;

	while (rp->next < rp->f->nevents) {
		e = rp->f->events[rp->next].json;
		if (e == NULL) {
			rp->next++;
			continue;
		}
		t = json_integer_value(json_object_get(e, "t"));
		if (t > rp->pos)
			break;
		incident_apply(iv->inc, e, rp->f->events[rp->next].seq);
		type = json_string_value(json_object_get(e, "type"));
		if (type != NULL && strcmp(type, "check.change") == 0 &&
		    (sys = json_string_value(json_object_get(e, "system"))) !=
		    NULL && (to = json_string_value(json_object_get(e,
		    "to"))) != NULL) {
			k = runbook_system(iv->inc->rb, sys) != NULL ?
			    runbook_system(iv->inc->rb, sys) -
			    iv->inc->rb->systems : -1;
			if (k >= 0)
				rb_state_parse(to, &rp->states[k]);
		}
		if (type != NULL && strcmp(type, "command.exit") == 0)
			runner_show(iv->runner, e);
		rp->next++;
		iv->sel = iv->inc->step;
	}
	iv->inc->frozen_t = rp->pos;
}

static void
iv_replay_tick(evutil_socket_t fd, short what, void *arg)
{
	struct view	*v = arg;
	struct incview	*iv = v->data;
	struct replay	*rp = iv->replay;
	struct timespec	 now;
	struct timeval	 tv = { 0, REPLAY_TICK * 1000 };
	int64_t		 ms, dt, next;

	(void)fd;
	(void)what;
	clock_gettime(CLOCK_MONOTONIC, &now);
	ms = (int64_t)now.tv_sec * 1000 + now.tv_nsec / 1000000;
	dt = ms - rp->last;
	rp->last = ms;
	if (!rp->paused && rp->pos < rp->end) {
		rp->pos += (int64_t)(dt * (rp->speed > 0 ? rp->speed : 1));
		/* Real time with the long waits cut short. */
		if (rp->speed <= 0 && rp->next < rp->f->nevents &&
		    rp->f->events[rp->next].json != NULL) {
			next = json_integer_value(json_object_get(
			    rp->f->events[rp->next].json, "t"));
			if (next - rp->pos > REPLAY_GAP)
				rp->pos = next - REPLAY_GAP;
		}
		if (rp->pos > rp->end)
			rp->pos = rp->end;
		iv_replay_advance(v);
		ui_dirty(v->ui);
	}
	evtimer_add(rp->timer, &tv);
}

static int
iv_replay_key(struct view *v, struct ui_key key)
{
	struct incview	*iv = v->data;
	struct replay	*rp = iv->replay;

	if (key.is_fn) {
		if (key.code == KEY_UP)
			iv_up(v);
		else if (key.code == KEY_DOWN)
			iv_down(v);
		else if (key.code == KEY_PPAGE)
			iv_pgup(v);
		else if (key.code == KEY_NPAGE)
			iv_pgdn(v);
		return (1);
	}
	switch (key.code) {
	case ' ':
		rp->paused = !rp->paused;
		break;
	case '+':
		rp->speed = rp->speed > 0 ? rp->speed * 2 : 2;
		break;
	case '-':
		rp->speed = rp->speed > 1 ? rp->speed / 2 : rp->speed > 0 ?
		    0 : 0;
		break;
	case 'k':
		iv_up(v);
		break;
	case 'j':
		iv_down(v);
		break;
	case '\t':
		iv_tab(v);
		break;
	case '?':
		ui_push_view(v->ui, view_help_open(v->ui, "Replay "
		    "(read-only: space pauses, + and - change the speed)",
		    incident_keys, iv->inc->mode == INCIDENT_DRILL));
		break;
	case 'q':
		ui_quit(v->ui, EXIT_OK);
		break;
	default:
		ui_message(v->ui, 0, "a replay is read-only: space pauses, "
		    "+ and - change the speed, q quits");
		break;
	}
	return (1);
}

static int
iv_key(struct view *v, struct ui_key key)
{
	struct incview	*iv = v->data;

	if (iv->replay != NULL)
		return (iv_replay_key(v, key));
	return (ui_dispatch(v, incident_keys, key));
}

static void
iv_close(struct view *v)
{
	struct incview	*iv = v->data;

	if (iv->pager != NULL)
		job_free(iv->pager);
	if (runner_busy(iv->runner))
		runner_cancel(iv->runner);
	runner_free(iv->runner);
	watch_free(iv->watch);
	if (iv->replay != NULL) {
		event_free(iv->replay->timer);
		journal_read_free(iv->replay->f);
		free(iv->replay->states);
		free(iv->replay);
		iv->replay = NULL;
		iv->inc->ended = 1;	/* nothing to record */
	}
	if (!iv->inc->ended)
		incident_record(iv->inc, "incident.leave", json_pack("{s:s}",
		    "reason", v->ui->leave_reason));
	team_free(iv->team);
	if (iv->inc->journal != NULL &&
	    journal_pending(iv->inc->journal) > 0 &&
	    journal_flush(iv->inc->journal) != 0) {
		/* Never lose an event: a copy goes where it can be written. */
		char	*rescue, *cause = NULL;
		const char *tmp = getenv("TMPDIR");

		rescue = xprintf("%s/rbnav-%s-rescued.jsonl", tmp != NULL &&
		    *tmp != '\0' ? tmp : "/tmp", iv->inc->id);
		free(v->ui->exit_message);
		if (journal_copy(iv->inc->journal, rescue, &cause) == 0)
			v->ui->exit_message = xprintf("rbnav: the timeline is "
			    "not durable (%s); a full copy with the %zu events "
			    "kept in memory is in %s",
			    strerror(journal_error(iv->inc->journal)),
			    journal_pending(iv->inc->journal), rescue);
		else
			v->ui->exit_message = xprintf("rbnav: the timeline is "
			    "not durable and %zu events could not be saved: "
			    "%s", journal_pending(iv->inc->journal), cause);
		v->ui->exit_code = EXIT_RUNTIME;
		free(cause);
		free(rescue);
	}
	v->ui->on_resize = NULL;
	incident_free(iv->inc);
	free(iv->out_search);
	free(iv->acked);
	free(iv->end_outcome);
	free(iv->end_summary);
	free(iv->end_done);
	free(iv);
}

static const struct view_ops incident_ops = {
	"incident", iv_draw, iv_key, iv_tick, iv_close
};

/* The screen of an incident; the view owns inc from now on. */
static void
iv_runner_changed(void *arg)
{
	struct view	*v = arg;
	struct incview	*iv = v->data;

	/* The command ended: the step may have moved on. */
	if (iv->runner != NULL && !runner_busy(iv->runner) &&
	    v->ui->prompt == NULL)
		iv_follow(v);
	ui_dirty(v->ui);
}

static void
iv_watch_changed(void *arg)
{
	struct view	*v = arg;
	struct incview	*iv = v->data;

	/* A waiting step may have finished: follow the current step. */
	if (iv->inc->step != iv->seen_step) {
		iv->seen_step = iv->inc->step;
		iv->sel = iv->inc->step;
	}
	ui_dirty(v->ui);
}

static void
iv_runner_interactive(void *arg, int begin)
{
	struct view	*v = arg;

	ui_hand_over(v->ui, begin);
}

static void
iv_resized(void *arg)
{
	struct view	*v = arg;
	struct incview	*iv = v->data;

	runner_resize(iv->runner);
}

struct view *
view_incident_open(struct ui *ui, void *arg)
{
	struct view		*v;
	struct incview		*iv;
	struct runner_cb	 cb;
	struct team_options	 to;
	size_t			 i;

	iv = xcalloc(1, sizeof *iv);
	iv->inc = arg;
	iv->acked = xcalloc(iv->inc->rb->nscenarios, sizeof *iv->acked);
	/* A resumed incident: prerequisites answered before stay so. */
	for (i = 0; i < iv->inc->nevents; i++) {
		const json_t	*e = iv->inc->events[i].json;
		const char	*sc;
		ssize_t		 k;

		if (strcmp(iv->inc->events[i].type, "prerequisite") != 0 ||
		    (sc = json_string_value(json_object_get(e,
		    "scenario"))) == NULL)
			continue;
		k = runbook_scenario(iv->inc->rb, sc) != NULL ?
		    runbook_scenario(iv->inc->rb, sc) - iv->inc->rb->scenarios :
		    -1;
		if (k >= 0 && ++iv->acked[k] >=
		    (int)iv->inc->rb->scenarios[k].nprerequisites)
			iv->acked[k] = 1 << 20;
	}
	for (i = 0; i < iv->inc->rb->nscenarios; i++)
		iv->acked[i] = iv->acked[i] >= (1 << 20) ||
		    iv->inc->rb->scenarios[i].nprerequisites == 0;
	iv->bottom = BOTTOM_TIMELINE;
	iv->seen_scenario = iv->inc->scenario;
	v = xcalloc(1, sizeof *v);
	v->ops = &incident_ops;
	v->ui = ui;
	v->data = iv;
	memset(&cb, 0, sizeof cb);
	cb.changed = iv_runner_changed;
	cb.interactive = iv_runner_interactive;
	cb.arg = v;
	iv->runner = runner_create(ui->base, iv->inc, ui->config != NULL ?
	    ui->config->scrollback : 10000, &cb);
	ui->on_resize = iv_resized;
	ui->on_resize_arg = v;
	iv->watch = watch_create(ui->base, iv->inc, iv_watch_changed, v);
	memset(&to, 0, sizeof to);
	/* A drill contacts nothing real: no shared timeline, no webhook. */
	if (iv->inc->mode == INCIDENT_LIVE) {
		to.conninfo = ui->opts->timeline_db != NULL ?
		    ui->opts->timeline_db : ui->config != NULL ?
		    ui->config->timeline_db : NULL;
		to.config = ui->config;
	}
	to.joined = ui->joined;
	iv->team = team_create(ui->base, iv->inc, &to, iv_watch_changed, v);
	iv_follow(v);
	return (v);
}

/*
 * Play the timeline f back in the incident screen, read-only: inc is the
 * incident as its start event describes it (incident_shell); both are
 * owned by the view from now on.  speed 0: real time, gaps cut short.
 */
struct view *
view_replay_open(struct ui *ui, struct incident *inc, struct journal_file *f,
    double speed)
{
	struct view		*v;
	struct incview		*iv;
	struct replay		*rp;
	struct timespec		 now;
	struct timeval		 tv = { 0, REPLAY_TICK * 1000 };
	size_t			 i;

	iv = xcalloc(1, sizeof *iv);
	iv->inc = inc;
	inc->frozen = 1;
	iv->acked = xcalloc(inc->rb->nscenarios + 1, sizeof *iv->acked);
	for (i = 0; i < inc->rb->nscenarios; i++)
		iv->acked[i] = 1;
	iv->bottom = BOTTOM_TIMELINE;
	v = xcalloc(1, sizeof *v);
	v->ops = &incident_ops;
	v->ui = ui;
	v->data = iv;
	iv->runner = runner_create(ui->base, inc, 1000, NULL);
	rp = xcalloc(1, sizeof *rp);
	rp->f = f;
	rp->speed = speed;
	rp->states = xcalloc(inc->rb->nsystems + 1, sizeof *rp->states);
	for (i = 0; i < f->nevents; i++) {
		if (f->events[i].json != NULL)
			rp->end = json_integer_value(json_object_get(
			    f->events[i].json, "t"));
	}
	clock_gettime(CLOCK_MONOTONIC, &now);
	rp->last = (int64_t)now.tv_sec * 1000 + now.tv_nsec / 1000000;
	rp->timer = evtimer_new(ui->base, iv_replay_tick, v);
	iv->replay = rp;
	iv_replay_advance(v);
	evtimer_add(rp->timer, &tv);
	return (v);
}
