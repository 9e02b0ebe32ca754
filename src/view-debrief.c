/*
 * The debrief at the end of a drill: the score, the time against the
 * limit and each system's RTO, and every mistake with its points, as
 * recorded in the timeline's drill.debrief event.
 */

#include <stdlib.h>
#include <string.h>

#include <curses.h>

#include "debrief.h"
#include "ui.h"
#include "xmalloc.h"

struct debriefview {
	char	*title;
	char	*text;
	int	 top;
};

static void
debriefview_draw(struct view *v)
{
	struct debriefview	*d = v->data;
	struct ui		*ui = v->ui;
	struct rect		 r = { 2, 2, ui->rows - 4, ui->cols - 4 };
	int			 x;
	char			*s;

	ui_fill(ui, 0, 0, ui->cols, TE_HEADER);
	x = ui_put(ui, 0, 0, ui->cols, TE_DRILL, " DRILL ");
	s = xprintf(" Debrief: %s", d->title);
	ui_put(ui, 0, x, ui->cols - x, TE_HEADER, s);
	free(s);
	ui_wrap(ui, r, d->top, TE_NORMAL, d->text);
	ui_fill(ui, ui->rows - 1, 0, ui->cols, TE_HINT);
	ui_put(ui, ui->rows - 1, 1, ui->cols - 2, TE_HINT,
	    "q back to the picker   Up/Down scroll");
}

static int
debriefview_key(struct view *v, struct ui_key key)
{
	struct debriefview	*d = v->data;

	if (!key.is_fn && (key.code == 'q' || key.code == UI_ESC ||
	    key.code == '\r' || key.code == '\n')) {
		ui_set_view(v->ui, view_picker_open(v->ui, NULL));
		return (1);
	}
	if ((key.is_fn && key.code == KEY_DOWN) ||
	    (!key.is_fn && key.code == 'j'))
		d->top++;
	if (((key.is_fn && key.code == KEY_UP) ||
	    (!key.is_fn && key.code == 'k')) && d->top > 0)
		d->top--;
	return (1);
}

static void
debriefview_close(struct view *v)
{
	struct debriefview	*d = v->data;

	free(d->title);
	free(d->text);
	free(d);
}

static const struct view_ops debrief_ops = {
	"debrief", debriefview_draw, debriefview_key, NULL, debriefview_close
};

/* The debrief screen for a debrief object (see debrief_compute). */
struct view *
view_debrief_open(struct ui *ui, const char *title, const json_t *debrief)
{
	struct view		*v;
	struct debriefview	*d;

	d = xcalloc(1, sizeof *d);
	d->title = xstrdup(title);
	d->text = debrief_text(debrief);
	v = xcalloc(1, sizeof *v);
	v->ops = &debrief_ops;
	v->ui = ui;
	v->data = d;
	return (v);
}
