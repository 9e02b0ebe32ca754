/* Where each pane goes for a terminal size: pure arithmetic, no curses. */
#ifndef UI_LAYOUT_H
#define UI_LAYOUT_H

struct rect {
	int	y;
	int	x;
	int	h;
	int	w;
};

#define UI_MIN_COLS	60
#define UI_MIN_ROWS	16

struct layout_incident {
	struct rect	header;
	struct rect	strip;		/* systems: status and RTO clocks */
	struct rect	steps;
	struct rect	detail;
	struct rect	bottom;		/* output, timeline, contacts */
	struct rect	hints;
};

struct layout_picker {
	struct rect	header;
	struct rect	search;
	struct rect	list;
	struct rect	detail;
	struct rect	hints;
};

int	layout_too_small(int, int);
void	layout_incident(int, int, int, struct layout_incident *);
void	layout_picker(int, int, struct layout_picker *);

#endif
