/*
 * Layout arithmetic.
 *
 * Given the terminal's rows and columns, where every pane of a screen
 * goes.  80x24 is the design size; below 60x16 nothing is laid out and
 * the screen says the terminal is too small.  Pure functions, no curses,
 * so that the unit tests can check every size.
 */

#include "ui-layout.h"

int
layout_too_small(int rows, int cols)
{
	return (rows < UI_MIN_ROWS || cols < UI_MIN_COLS);
}

static int
clamp(int v, int lo, int hi)
{
	return (v < lo ? lo : v > hi ? hi : v);
}

/*
 * The incident screen: header, a status strip of strip_rows (1 to 3
 * lines, grown with the number of systems), steps on the left, the step
 * detail on the right, a bottom pane and the hint line.
 */
void
layout_incident(int rows, int cols, int strip_rows,
    struct layout_incident *l)
{
	int	body, bottom, left;

	strip_rows = clamp(strip_rows, 1, rows >= 30 ? 4 : 2);
	l->header = (struct rect){ 0, 0, 1, cols };
	l->strip = (struct rect){ 1, 0, strip_rows, cols };
	l->hints = (struct rect){ rows - 1, 0, 1, cols };
	body = rows - 2 - strip_rows;
	/* The bottom pane takes about a third, at least 4 lines. */
	bottom = clamp(body / 3, 4, body - 6);
	left = clamp(cols * 2 / 5, 24, 44);
	l->steps = (struct rect){ 1 + strip_rows, 0, body - bottom, left };
	l->detail = (struct rect){ 1 + strip_rows, left + 1, body - bottom,
	    cols - left - 1 };
	l->bottom = (struct rect){ 1 + strip_rows + body - bottom, 0, bottom,
	    cols };
}

/* The picker: header, search line, the list, a detail box, hints. */
void
layout_picker(int rows, int cols, struct layout_picker *l)
{
	int	body, detail;

	l->header = (struct rect){ 0, 0, 1, cols };
	l->search = (struct rect){ 1, 0, 1, cols };
	l->hints = (struct rect){ rows - 1, 0, 1, cols };
	body = rows - 3;
	detail = clamp(body * 2 / 5, 5, 12);
	l->list = (struct rect){ 2, 0, body - detail, cols };
	l->detail = (struct rect){ 2 + body - detail, 0, detail, cols };
}
