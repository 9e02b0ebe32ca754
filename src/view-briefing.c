/*
 * The drill briefing: what the trainee is told before a drill begins,
 * and the promise that nothing real will be touched.  Enter begins the
 * drill (on its scenario, or on the picker where the trainee finds it);
 * q goes back.
 */

#include <stdlib.h>
#include <string.h>

#include <curses.h>

#include "catalog.h"
#include "cmd.h"
#include "ui.h"
#include "value.h"
#include "xmalloc.h"

struct briefing {
	const struct runbook		*rb;
	const struct rb_scenario	*sc;
	const struct drill		*drill;
	int				 top;
};

static void
briefing_draw(struct view *v)
{
	struct briefing	*b = v->data;
	struct ui	*ui = v->ui;
	struct rect	 r;
	char		*s, *d;
	int		 y = 2, x;

	ui_fill(ui, 0, 0, ui->cols, TE_HEADER);
	x = ui_put(ui, 0, 0, ui->cols, TE_DRILL, " DRILL ");
	s = xprintf(" Briefing: %s", b->drill->title);
	ui_put(ui, 0, x, ui->cols - x, TE_HEADER, s);
	free(s);
	ui_put(ui, y++, 2, ui->cols - 4, TE_TITLE,
	    "A training drill: no command runs and no system is contacted.");
	s = xprintf("Runbook: %s%s%s", b->rb->title,
	    b->sc != NULL ? "   Scenario: " : "",
	    b->sc != NULL ? b->sc->title : "");
	ui_put(ui, y++, 2, ui->cols - 4, TE_NORMAL, s);
	free(s);
	if (b->sc == NULL)
		ui_put(ui, y++, 2, ui->cols - 4, TE_WARNING, "You choose the "
		    "scenario from the symptoms: that choice is scored.");
	if (b->drill->time_limit > 0) {
		d = value_duration_format(b->drill->time_limit);
		s = xprintf("Time limit: %s", d);
		ui_put(ui, y++, 2, ui->cols - 4, TE_NORMAL, s);
		free(s);
		free(d);
	}
	y++;
	r = (struct rect){ y, 2, ui->rows - y - 2, ui->cols - 4 };
	ui_wrap(ui, r, b->top, TE_NORMAL, b->drill->briefing != NULL ?
	    b->drill->briefing : "(no briefing)");
	ui_fill(ui, ui->rows - 1, 0, ui->cols, TE_HINT);
	ui_put(ui, ui->rows - 1, 1, ui->cols - 2, TE_HINT,
	    "Enter begin the drill   Up/Down scroll   q back");
}

static int
briefing_key(struct view *v, struct ui_key key)
{
	struct briefing	*b = v->data;
	struct ui	*ui = v->ui;
	struct view	*next;

	if (!key.is_fn && (key.code == '\r' || key.code == '\n')) {
		if (b->sc != NULL)
			next = view_picker_start(ui, b->rb, b->sc, b->drill);
		else
			next = view_picker_open_drill(ui, b->drill);
		ui_set_view(ui, next);	/* closes this view */
		return (1);
	}
	if (!key.is_fn && (key.code == 'q' || key.code == UI_ESC)) {
		ui_set_view(ui, view_picker_open(ui, NULL));
		return (1);
	}
	if ((key.is_fn && key.code == KEY_DOWN) ||
	    (!key.is_fn && key.code == 'j'))
		b->top++;
	if (((key.is_fn && key.code == KEY_UP) ||
	    (!key.is_fn && key.code == 'k')) && b->top > 0)
		b->top--;
	return (1);
}

static void
briefing_close(struct view *v)
{
	free(v->data);
}

static const struct view_ops briefing_ops = {
	"briefing", briefing_draw, briefing_key, NULL, briefing_close
};

/* The briefing of drill d on runbook rb (sc: its scenario, or NULL). */
struct view *
view_briefing_open(struct ui *ui, const struct runbook *rb,
    const struct rb_scenario *sc, const struct drill *d)
{
	struct view	*v;
	struct briefing	*b;

	b = xcalloc(1, sizeof *b);
	b->rb = rb;
	b->sc = sc;
	b->drill = d;
	v = xcalloc(1, sizeof *v);
	v->ops = &briefing_ops;
	v->ui = ui;
	v->data = b;
	return (v);
}
