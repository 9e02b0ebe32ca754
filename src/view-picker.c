/*
 * The picker: every incident scenario, procedure and drill found, with
 * the symptoms and systems of each incident, filtered as the operator
 * types a PCRE2 search over titles, symptoms, step titles and commands.
 * Enter asks for the incident's title and starts it.
 */

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <curses.h>

#include "catalog.h"
#include "cmd.h"
#include "config.h"
#include "incident.h"
#include "pattern.h"
#include "text.h"
#include "ui.h"
#include "value.h"
#include "xmalloc.h"

enum pick_kind {
	PICK_INCIDENT,
	PICK_PROCEDURE,
	PICK_DRILL
};

struct pick_entry {
	enum pick_kind			 kind;
	const struct runbook		*rb;
	const struct rb_scenario	*sc;
	const struct drill		*drill;
	char				*haystack;	/* what / searches */
};

struct picker {
	struct pick_entry	*all;
	size_t			 nall;
	size_t			*shown;
	size_t			 nshown;
	size_t			 sel;		/* index into shown */
	size_t			 top;		/* first list row drawn */
	char			*filter;
	struct pattern		*pat;
	char			*pat_error;
	int			 searching;
	const struct drill	*drill;		/* picking a drill's scenario */
	int			 drills_only;	/* rbnav drill: drills alone */
	const struct rb_scenario *start_sc;	/* waiting for the title */
	const struct runbook	*start_rb;
};

static void	picker_key_up(struct view *);
static void	picker_key_down(struct view *);
static void	picker_key_enter(struct view *);
static void	picker_key_search(struct view *);
static void	picker_key_help(struct view *);
static void	picker_key_quit(struct view *);
static void	picker_key_clear(struct view *);
static void	picker_key_pgup(struct view *);
static void	picker_key_pgdn(struct view *);

static const struct ui_keydef picker_keys[] = {
	{ { KEY_UP, 0 }, 1, "Up/k", "move", picker_key_up },
	{ { 'k', 0 }, 0, NULL, NULL, picker_key_up },
	{ { KEY_DOWN, 0 }, 1, "Down/j*", "move down", picker_key_down },
	{ { 'j', 0 }, 0, NULL, NULL, picker_key_down },
	{ { KEY_PPAGE, 0 }, 1, "PgUp*", "page up", picker_key_pgup },
	{ { KEY_NPAGE, 0 }, 1, "PgDn*", "page down", picker_key_pgdn },
	{ { '\r', '\n', 0 }, 0, "Enter", "start", picker_key_enter },
	{ { KEY_ENTER, 0 }, 1, NULL, NULL, picker_key_enter },
	{ { '/', 0 }, 0, "/", "search by symptom", picker_key_search },
	{ { UI_ESC, 0 }, 0, "Esc", "clear search", picker_key_clear },
	{ { '?', 0 }, 0, "?", "help", picker_key_help },
	{ { 'q', 0 }, 0, "q", "quit", picker_key_quit },
	{ { 0 }, 0, NULL, NULL, NULL }
};

static void
picker_add(struct picker *p, enum pick_kind kind, const struct runbook *rb,
    const struct rb_scenario *sc, const struct drill *d)
{
	struct pick_entry	*e;
	size_t			 i, len = 0, cap = 256;
	char			*h;

	p->all = xreallocarray(p->all, p->nall + 1, sizeof *p->all);
	e = &p->all[p->nall++];
	e->kind = kind;
	e->rb = rb;
	e->sc = sc;
	e->drill = d;
	h = xmalloc(cap);
	h[0] = '\0';
#define ADD(s) do {							\
	const char *s_ = (s);						\
	size_t n_ = s_ != NULL ? strlen(s_) : 0;			\
	if (len + n_ + 2 > cap) {					\
		cap = (len + n_ + 2) * 2;				\
		h = xrealloc(h, cap);					\
	}								\
	memcpy(h + len, s_ != NULL ? s_ : "", n_);			\
	len += n_;							\
	h[len++] = '\n';						\
	h[len] = '\0';							\
} while (0)
	if (d != NULL) {
		ADD(d->title);
		ADD(d->id);
		ADD(d->briefing);
	}
	if (sc != NULL) {
		ADD(rb->title);
		ADD(sc->title);
		ADD(sc->id);
		ADD(sc->when);
		for (i = 0; i < sc->nsymptoms; i++)
			ADD(sc->symptoms[i]);
		for (i = 0; i < sc->nsteps; i++) {
			ADD(sc->steps[i].title);
			ADD(sc->steps[i].run);
		}
	}
#undef ADD
	e->haystack = h;
}

/* Recompute which entries the filter lets through. */
static void
picker_filter(struct picker *p)
{
	size_t	i;

	p->nshown = 0;
	for (i = 0; i < p->nall; i++) {
		if (p->drills_only && p->drill == NULL &&
		    p->all[i].kind != PICK_DRILL)
			continue;
		if (p->drill != NULL && (p->all[i].kind != PICK_INCIDENT ||
		    strcmp(p->all[i].rb->id, p->drill->runbook) != 0))
			continue;
		if (p->pat != NULL && pattern_match(p->pat,
		    p->all[i].haystack, strlen(p->all[i].haystack), NULL,
		    NULL) != 1)
			continue;
		p->shown[p->nshown++] = i;
	}
	if (p->sel >= p->nshown)
		p->sel = p->nshown > 0 ? p->nshown - 1 : 0;
}

static void
picker_set_filter(struct picker *p, const char *s)
{
	char	*cause;
	size_t	 off;

	free(p->filter);
	p->filter = xstrdup(s);
	pattern_free(p->pat);
	p->pat = NULL;
	free(p->pat_error);
	p->pat_error = NULL;
	if (*s != '\0') {
		p->pat = pattern_compile(s, PATTERN_CASELESS, &cause, &off);
		if (p->pat == NULL) {
			p->pat_error = xprintf("bad pattern at offset %zu: %s",
			    off, cause);
			free(cause);
			return;		/* keep the last good list */
		}
	}
	picker_filter(p);
}

static int
picker_stale(const struct ui *ui, const struct runbook *rb)
{
	int	days = ui->config != NULL ? ui->config->stale_after_days : 180;

	return (rb->reviewed != NULL &&
	    time(NULL) / 86400 - rb->reviewed_days > days);
}

static char *
picker_systems(const struct runbook *rb, const struct rb_scenario *sc)
{
	char	*s = xstrdup(""), *n;
	size_t	 i;

	for (i = 0; i < sc->nsystems; i++) {
		const struct rb_system	*sys = runbook_system(rb,
					    sc->systems[i]);

		n = xprintf("%s%s%s", s, i ? ", " : "", sys ? sys->name :
		    sc->systems[i]);
		free(s);
		s = n;
	}
	return (s);
}

static const char *
picker_group(enum pick_kind k)
{
	switch (k) {
	case PICK_INCIDENT:
		return ("INCIDENTS");
	case PICK_PROCEDURE:
		return ("PROCEDURES");
	default:
		return ("DRILLS");
	}
}

/* Rows an entry takes in the list: incidents show their symptoms too. */
static int
picker_rows(const struct pick_entry *e)
{
	return (e->kind == PICK_INCIDENT ? 2 : 1);
}

static void
picker_draw_entry(struct ui *ui, struct picker *p, const struct pick_entry *e,
    int y, int w, int selected)
{
	enum theme_elem	 elem = selected ? TE_SELECTED : TE_NORMAL;
	char		*s, *syms = NULL, *n;
	size_t		 i;
	int		 x = 0, used;

	if (selected)
		ui_fill(ui, y, 0, w, TE_SELECTED);
	x += ui_put(ui, y, x, w, elem, selected ? " > " : "   ");
	if (e->kind == PICK_DRILL) {
		x += ui_put_match(ui, y, x, w - x, elem, e->drill->title,
		    p->pat);
		s = xprintf("  (%s%s%s)", e->drill->runbook,
		    e->drill->scenario ? "/" : "", e->drill->scenario ?
		    e->drill->scenario : ": find the scenario");
		ui_put(ui, y, x, w - x, selected ? elem : TE_DIM, s);
		free(s);
		return;
	}
	used = ui_put_match(ui, y, x, w - x - 2, elem, e->sc->title, p->pat);
	x += used;
	s = xprintf("  %s", e->rb->id);
	x += ui_put(ui, y, x, w - x, selected ? elem : TE_DIM, s);
	free(s);
	if (picker_stale(ui, e->rb))
		ui_put(ui, y, x, w - x, TE_WARNING, "  ! review stale");
	if (e->kind != PICK_INCIDENT)
		return;
	syms = xstrdup("");
	for (i = 0; i < e->sc->nsymptoms; i++) {
		n = xprintf("%s%s%s", syms, i ? " · " : "", e->sc->symptoms[i]);
		free(syms);
		syms = n;
	}
	if (*syms == '\0') {
		free(syms);
		syms = xstrdup(e->sc->when != NULL ? e->sc->when : "");
	}
	x = 6;
	x += ui_put_match(ui, y + 1, x, w - x - 20, TE_DIM, syms, p->pat);
	free(syms);
	s = picker_systems(e->rb, e->sc);
	if (*s != '\0') {
		n = xprintf("  [%s]", s);
		ui_put(ui, y + 1, x, w - x, TE_BORDER, n);
		free(n);
	}
	free(s);
}

static void
picker_draw_detail(struct ui *ui, struct picker *p, struct rect r)
{
	const struct pick_entry	*e;
	const struct rb_system	*sys;
	char			*s;
	size_t			 i;
	int			 y = r.y + 1;

	ui_hline(ui, r.y, 0, r.w, TE_BORDER);
	if (p->nshown == 0)
		return;
	e = &p->all[p->shown[p->sel]];
	if (e->kind == PICK_DRILL) {
		s = xprintf("Drill: %s", e->drill->title);
		ui_put(ui, y++, 1, r.w - 2, TE_TITLE, s);
		free(s);
		if (e->drill->briefing != NULL) {
			struct rect	b = { y, 1, r.y + r.h - y, r.w - 2 };

			ui_wrap(ui, b, 0, TE_NORMAL, e->drill->briefing);
		}
		return;
	}
	s = xprintf("%s  ›  %s", e->rb->title, e->sc->title);
	ui_put(ui, y++, 1, r.w - 2, TE_TITLE, s);
	free(s);
	if (picker_stale(ui, e->rb)) {
		s = xprintf("Runbook last reviewed %s: older than %d days; "
		    "check the steps still hold.", e->rb->reviewed,
		    ui->config ? ui->config->stale_after_days : 180);
		ui_put(ui, y++, 1, r.w - 2, TE_WARNING, s);
		free(s);
	}
	if (e->sc->when != NULL && y < r.y + r.h) {
		s = xprintf("When: %s", e->sc->when);
		ui_put(ui, y++, 1, r.w - 2, TE_NORMAL, s);
		free(s);
	}
	for (i = 0; i < e->sc->nsymptoms && y < r.y + r.h; i++) {
		s = xprintf("  - %s", e->sc->symptoms[i]);
		ui_put_match(ui, y++, 1, r.w - 2, TE_NORMAL, s, p->pat);
		free(s);
	}
	for (i = 0; i < e->sc->nsystems && y < r.y + r.h; i++) {
		sys = runbook_system(e->rb, e->sc->systems[i]);
		if (sys == NULL)
			continue;
		if (sys->rto >= 0) {
			char	*d = value_duration_format(sys->rto);

			s = xprintf("System %s: RTO %s", sys->name, d);
			free(d);
		} else
			s = xprintf("System %s", sys->name);
		ui_put(ui, y++, 1, r.w - 2, TE_NORMAL, s);
		free(s);
	}
	if (y < r.y + r.h) {
		s = xprintf("%zu steps%s%s", e->sc->nsteps,
		    e->sc->nprerequisites ? ", prerequisites: " : "",
		    e->sc->nprerequisites ? e->sc->prerequisites[0] : "");
		ui_put(ui, y++, 1, r.w - 2, TE_DIM, s);
		free(s);
	}
}

static void
picker_draw(struct view *v)
{
	struct picker		*p = v->data;
	struct ui		*ui = v->ui;
	struct layout_picker	 l;
	char			*s;
	size_t			 i, row, selrow = 0;
	int			 y, rows;
	enum pick_kind		 group = (enum pick_kind)-1;

	layout_picker(ui->rows, ui->cols, &l);
	ui_fill(ui, 0, 0, ui->cols, TE_HEADER);
	if (p->drill != NULL) {
		/* The DRILL banner never leaves a drill's screens. */
		y = ui_put(ui, 0, 0, ui->cols, TE_DRILL, " DRILL ");
		ui_put(ui, 0, y + 1, ui->cols - y - 2, TE_HEADER,
		    "which scenario fits the briefing?");
	} else
		ui_put(ui, 0, 1, ui->cols - 2, TE_HEADER,
		    "rbnav  runbook navigator");
	s = xprintf("%zu runbooks · %zu shown", ui->cat->nrunbooks,
	    p->nshown);
	ui_put(ui, 0, ui->cols - text_width(s) - 1, text_width(s), TE_HEADER,
	    s);
	free(s);

	if (p->searching || (p->filter != NULL && *p->filter != '\0')) {
		s = xprintf("/%s%s", p->filter ? p->filter : "",
		    p->searching ? "_" : "");
		y = ui_put(ui, 1, 1, ui->cols - 2, TE_PROMPT, s);
		free(s);
		if (p->pat_error != NULL)
			ui_put(ui, 1, y + 3, ui->cols - y - 4, TE_ERROR,
			    p->pat_error);
	} else
		ui_put(ui, 1, 1, ui->cols - 2, TE_DIM,
		    "Type / to search by symptom, title or command.");

	/* Lay the rows out to find where the selection is, then scroll. */
	row = 0;
	for (i = 0; i < p->nshown; i++) {
		const struct pick_entry	*e = &p->all[p->shown[i]];

		if (e->kind != group) {
			group = e->kind;
			row++;
		}
		if (i == p->sel)
			selrow = row;
		row += (size_t)picker_rows(e);
	}
	rows = l.list.h;
	if (selrow < p->top)
		p->top = selrow > 0 ? selrow - 1 : 0;
	if (selrow + 2 > p->top + (size_t)rows)
		p->top = selrow + 2 - (size_t)rows;
	group = (enum pick_kind)-1;
	row = 0;
	for (i = 0; i < p->nshown; i++) {
		const struct pick_entry	*e = &p->all[p->shown[i]];

		if (e->kind != group) {
			group = e->kind;
			if (row >= p->top && row < p->top + (size_t)rows)
				ui_put(ui, l.list.y + (int)(row - p->top), 1,
				    l.list.w - 2, TE_TITLE,
				    picker_group(group));
			row++;
		}
		if (row >= p->top && row + (size_t)picker_rows(e) <=
		    p->top + (size_t)rows)
			picker_draw_entry(ui, p, e,
			    l.list.y + (int)(row - p->top), l.list.w,
			    i == p->sel);
		row += (size_t)picker_rows(e);
	}
	if (p->nshown == 0)
		ui_put(ui, l.list.y + 1, 2, l.list.w - 4, TE_DIM,
		    ui->cat->nrunbooks == 0 ? "No runbooks found: see -r, "
		    "$RBNAV_PATH and ./runbooks." : "Nothing matches.");
	picker_draw_detail(ui, p, l.detail);
	ui_hints(ui, l.hints, picker_keys);
}

static void
picker_key_up(struct view *v)
{
	struct picker	*p = v->data;

	if (p->sel > 0)
		p->sel--;
}

static void
picker_key_down(struct view *v)
{
	struct picker	*p = v->data;

	if (p->sel + 1 < p->nshown)
		p->sel++;
}

static void
picker_key_pgup(struct view *v)
{
	struct picker	*p = v->data;

	p->sel = p->sel > 5 ? p->sel - 5 : 0;
}

static void
picker_key_pgdn(struct view *v)
{
	struct picker	*p = v->data;

	if (p->nshown > 0)
		p->sel = p->sel + 5 < p->nshown ? p->sel + 5 : p->nshown - 1;
}

static void
picker_key_search(struct view *v)
{
	struct picker	*p = v->data;

	p->searching = 1;
	if (p->filter == NULL)
		p->filter = xstrdup("");
}

static void
picker_key_clear(struct view *v)
{
	struct picker	*p = v->data;

	p->searching = 0;
	picker_set_filter(p, "");
}

static void
picker_key_help(struct view *v)
{
	struct picker	*p = v->data;

	ui_push_view(v->ui, view_help_open(v->ui, "Picker", picker_keys,
	    p->drill != NULL));
}

static void
picker_key_quit(struct view *v)
{
	ui_quit(v->ui, EXIT_OK);
}

struct picker_start {
	struct view			*v;
	const struct runbook		*rb;
	const struct rb_scenario	*sc;
	const struct drill		*drill;
};

/* Start the incident (or drill) and switch to its screen. */
static void
picker_start(struct ui *ui, const struct runbook *rb,
    const struct rb_scenario *sc, const struct drill *d, const char *title)
{
	struct incident_options	 o;
	struct incident		*inc;
	char			*cause = NULL;

	memset(&o, 0, sizeof o);
	o.op = ui->op;
	o.title = title;
	o.state_dir = ui->opts->state_dir;
	if (ui->config != NULL) {
		o.redact = ui->config->redact;
		o.nredact = ui->config->nredact;
	}
	inc = incident_start(rb, sc, d, &o, &cause);
	if (inc == NULL) {
		ui_message(ui, 1, "cannot start: %s", cause);
		free(cause);
		return;
	}
	ui_set_view(ui, view_incident_open(ui, inc));
}

static int
picker_title_cb(struct ui *ui, void *arg, int ok, const char *text, size_t c)
{
	struct picker_start	*s = arg;

	(void)c;
	if (ok && *text == '\0') {
		prompt_set_error(ui, "an incident needs a title");
		return (-1);
	}
	if (ok)
		picker_start(ui, s->rb, s->sc, s->drill, text);
	free(s);
	return (0);
}

static void
picker_key_enter(struct view *v)
{
	struct picker		*p = v->data;
	struct ui		*ui = v->ui;
	const struct pick_entry	*e;
	struct picker_start	*s;
	const struct runbook	*rb;
	const struct rb_scenario *sc;

	if (p->searching) {
		p->searching = 0;
		return;
	}
	if (p->nshown == 0)
		return;
	e = &p->all[p->shown[p->sel]];
	if (e->kind == PICK_DRILL) {
		rb = catalog_runbook(ui->cat, e->drill->runbook);
		sc = e->drill->scenario ? runbook_scenario(rb,
		    e->drill->scenario) : NULL;
		ui_set_view(ui, view_briefing_open(ui, rb, sc, e->drill));
		return;
	}
	if (p->drill != NULL) {
		picker_start(ui, e->rb, e->sc, p->drill, ui->opts->title);
		return;
	}
	if (ui->opts->title != NULL) {
		picker_start(ui, e->rb, e->sc, NULL, ui->opts->title);
		return;
	}
	s = xcalloc(1, sizeof *s);
	s->v = v;
	s->rb = e->rb;
	s->sc = e->sc;
	prompt_text(ui, "Incident title (Enter to start)", e->sc->title, 0,
	    picker_title_cb, s);
}

/* Typing while searching edits the filter; other keys work as usual. */
static int
picker_key(struct view *v, struct ui_key key)
{
	struct picker	*p = v->data;
	char		*f;
	size_t		 len;
	char		 u[5];

	if (p->searching && !key.is_fn) {
		if (key.code == UI_ESC) {
			picker_key_clear(v);
			return (1);
		}
		if (key.code == '\r' || key.code == '\n') {
			p->searching = 0;
			return (1);
		}
		len = strlen(p->filter);
		if (key.code == 0x7f || key.code == UI_CTRL('h')) {
			while (len > 0 && ((unsigned char)p->filter[len - 1] &
			    0xc0) == 0x80)
				len--;
			if (len > 0)
				len--;
			f = xstrndup(p->filter, len);
			picker_set_filter(p, f);
			free(f);
			return (1);
		}
		if (key.code == UI_CTRL('u')) {
			picker_set_filter(p, "");
			return (1);
		}
		if (key.code >= 0x20 && len < 256) {
			wint_t	c = key.code;
			size_t	n;

			if (c < 0x80)
				u[0] = (char)c, n = 1;
			else if (c < 0x800)
				u[0] = (char)(0xc0 | (c >> 6)),
				u[1] = (char)(0x80 | (c & 0x3f)), n = 2;
			else if (c < 0x10000)
				u[0] = (char)(0xe0 | (c >> 12)),
				u[1] = (char)(0x80 | ((c >> 6) & 0x3f)),
				u[2] = (char)(0x80 | (c & 0x3f)), n = 3;
			else
				u[0] = (char)(0xf0 | (c >> 18)),
				u[1] = (char)(0x80 | ((c >> 12) & 0x3f)),
				u[2] = (char)(0x80 | ((c >> 6) & 0x3f)),
				u[3] = (char)(0x80 | (c & 0x3f)), n = 4;
			u[n] = '\0';
			f = xprintf("%s%s", p->filter, u);
			picker_set_filter(p, f);
			free(f);
			return (1);
		}
	}
	if (!key.is_fn && key.code == UI_ESC && p->drill != NULL &&
	    (p->filter == NULL || *p->filter == '\0')) {
		p->drill = NULL;
		picker_filter(p);
		return (1);
	}
	return (ui_dispatch(v, picker_keys, key));
}

static void
picker_close(struct view *v)
{
	struct picker	*p = v->data;
	size_t		 i;

	for (i = 0; i < p->nall; i++)
		free(p->all[i].haystack);
	free(p->all);
	free(p->shown);
	free(p->filter);
	pattern_free(p->pat);
	free(p->pat_error);
	free(p);
}

static const struct view_ops picker_ops = {
	"picker", picker_draw, picker_key, NULL, picker_close
};

/* The picker over the catalog. */
struct view *
view_picker_open(struct ui *ui, void *arg)
{
	(void)arg;
	return (view_picker_open_drill(ui, NULL));
}

/* The picker; with a drill, over the scenarios the trainee may choose. */
struct view *
view_picker_open_drill(struct ui *ui, const struct drill *drill)
{
	struct view	*v;
	struct picker	*p;
	size_t		 i, k;

	p = xcalloc(1, sizeof *p);
	for (i = 0; i < ui->cat->nrunbooks; i++) {
		const struct runbook	*rb = ui->cat->runbooks[i];

		for (k = 0; k < rb->nscenarios; k++) {
			if (rb->scenarios[k].kind == RB_KIND_INCIDENT)
				picker_add(p, PICK_INCIDENT, rb,
				    &rb->scenarios[k], NULL);
		}
	}
	for (i = 0; i < ui->cat->nrunbooks; i++) {
		const struct runbook	*rb = ui->cat->runbooks[i];

		for (k = 0; k < rb->nscenarios; k++) {
			if (rb->scenarios[k].kind == RB_KIND_PROCEDURE)
				picker_add(p, PICK_PROCEDURE, rb,
				    &rb->scenarios[k], NULL);
		}
	}
	for (i = 0; i < ui->cat->ndrills; i++)
		picker_add(p, PICK_DRILL, NULL, NULL, ui->cat->drills[i]);
	p->shown = xcalloc(p->nall + 1, sizeof *p->shown);
	p->drill = drill;
	picker_filter(p);
	v = xcalloc(1, sizeof *v);
	v->ops = &picker_ops;
	v->ui = ui;
	v->data = p;
	return (v);
}

/*
 * The first view for `rbnav run SCENARIO` and `rbnav drill`: the incident
 * itself when its title is known (--title, or a drill's), else the picker
 * with the title question open over it.
 */
struct view *
view_picker_start(struct ui *ui, const struct runbook *rb,
    const struct rb_scenario *sc, const struct drill *d)
{
	struct incident_options	 o;
	struct incident		*inc;
	struct picker_start	*s;
	struct view		*v;
	char			*cause = NULL;
	const char		*title = ui->opts->title;

	if (title == NULL && d != NULL)
		title = d->title;
	if (title != NULL) {
		memset(&o, 0, sizeof o);
		o.op = ui->op;
		o.title = title;
		o.state_dir = ui->opts->state_dir;
		if (ui->config != NULL) {
			o.redact = ui->config->redact;
			o.nredact = ui->config->nredact;
		}
		if ((inc = incident_start(rb, sc, d, &o, &cause)) != NULL)
			return (view_incident_open(ui, inc));
		v = view_picker_open(ui, NULL);
		ui_message(ui, 1, "cannot start: %s", cause);
		free(cause);
		return (v);
	}
	v = view_picker_open(ui, NULL);
	s = xcalloc(1, sizeof *s);
	s->v = v;
	s->rb = rb;
	s->sc = sc;
	s->drill = d;
	prompt_text(ui, "Incident title (Enter to start)", sc->title, 0,
	    picker_title_cb, s);
	return (v);
}

/* The picker over the drills alone: rbnav drill without a name. */
struct view *
view_picker_open_drills(struct ui *ui)
{
	struct view	*v = view_picker_open_drill(ui, NULL);
	struct picker	*p = v->data;

	p->drills_only = 1;
	picker_filter(p);
	return (v);
}
