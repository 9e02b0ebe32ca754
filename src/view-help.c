/*
 * Help: the keys of the view below, generated from its key table, so
 * that help can never disagree with what the keys do.
 */

#include <stdlib.h>
#include <string.h>

#include <curses.h>

#include "ui.h"
#include "xmalloc.h"

struct help {
	int			 drill;		/* show the DRILL banner */
	char			*title;
	const struct ui_keydef	*keys;
	int			 top;
};

static void
help_draw(struct view *v)
{
	struct help		*h = v->data;
	struct ui		*ui = v->ui;
	const struct ui_keydef	*k;
	char			*label, *star, *s;
	int			 y = 2, row = 0, x;

	ui_fill(ui, 0, 0, ui->cols, TE_HEADER);
	x = h->drill ? ui_put(ui, 0, 0, ui->cols, TE_DRILL, " DRILL ") : 0;
	s = xprintf("rbnav help: %s", h->title);
	ui_put(ui, 0, x + 1, ui->cols - x - 2, TE_HEADER, s);
	free(s);
	for (k = h->keys; k->label != NULL || k->keys[0] != 0; k++) {
		if (k->label == NULL || k->help == NULL)
			continue;
		if (row++ < h->top)
			continue;
		if (y >= ui->rows - 1)
			break;
		label = xstrdup(k->label);
		if ((star = strchr(label, '*')) != NULL)
			*star = '\0';
		ui_put(ui, y, 2, 14, TE_TITLE, label);
		ui_put(ui, y, 18, ui->cols - 20, TE_NORMAL, k->help);
		free(label);
		y++;
	}
	ui_fill(ui, ui->rows - 1, 0, ui->cols, TE_HINT);
	ui_put(ui, ui->rows - 1, 1, ui->cols - 2, TE_HINT,
	    "Esc, q or ? closes help   Up/Down scroll");
}

static int
help_key(struct view *v, struct ui_key key)
{
	struct help	*h = v->data;

	if (!key.is_fn && (key.code == UI_ESC || key.code == 'q' ||
	    key.code == '?')) {
		ui_pop_view(v->ui);
		return (1);
	}
	if ((key.is_fn && key.code == KEY_DOWN) ||
	    (!key.is_fn && key.code == 'j'))
		h->top++;
	if (((key.is_fn && key.code == KEY_UP) ||
	    (!key.is_fn && key.code == 'k')) && h->top > 0)
		h->top--;
	return (1);
}

static void
help_close(struct view *v)
{
	struct help	*h = v->data;

	free(h->title);
	free(h);
}

static const struct view_ops help_ops = {
	"help", help_draw, help_key, NULL, help_close
};

struct view *
view_help_open(struct ui *ui, const char *title, const struct ui_keydef *keys,
    int drill)
{
	struct view	*v;
	struct help	*h;

	h = xcalloc(1, sizeof *h);
	h->title = xstrdup(title);
	h->keys = keys;
	h->drill = drill;
	v = xcalloc(1, sizeof *v);
	v->ops = &help_ops;
	v->ui = ui;
	v->data = h;
	return (v);
}
