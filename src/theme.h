/* Colour themes: the YAML files of themes/, the default compiled in. */
#ifndef THEME_H
#define THEME_H

#include <stddef.h>

#include "diag.h"

/* The elements of the screen a theme colours; see theme.c's table. */
enum theme_elem {
	TE_NORMAL,
	TE_TITLE,
	TE_HEADER,
	TE_LIVE,
	TE_DRILL,
	TE_HINT,
	TE_SELECTED,
	TE_MATCH,
	TE_DIM,
	TE_BORDER,
	TE_STEP_PENDING,
	TE_STEP_CURRENT,
	TE_STEP_RUNNING,
	TE_STEP_DONE,
	TE_STEP_SKIPPED,
	TE_STEP_FAILED,
	TE_DANGER,
	TE_COMMAND,
	TE_VARIABLE,
	TE_VARIABLE_UNSET,
	TE_LINK,
	TE_UP,
	TE_DOWN,
	TE_DEGRADED,
	TE_PENDING,
	TE_UNKNOWN,
	TE_RTO_OK,
	TE_RTO_WARN,
	TE_RTO_LATE,
	TE_PROMPT,
	TE_ERROR,
	TE_WARNING,
	TE_ALERT,
	TE_COUNT
};

#define THEME_BOLD	0x01
#define THEME_DIM	0x02
#define THEME_UNDERLINE	0x04
#define THEME_REVERSE	0x08
#define THEME_ITALIC	0x10
#define THEME_BLINK	0x20

#define THEME_DEFAULT_COLOR	(-1)

struct theme_style {
	short	fg;	/* -1 terminal default, else 0-255 */
	short	bg;
	int	attrs;
};

struct theme {
	char			*name;
	struct theme_style	 s[TE_COUNT];
	int			 mono;	/* uses no colour at all */
};

struct theme	*theme_default(void);
struct theme	*theme_load(const char *, char **, size_t, struct diag *);
struct theme	*theme_load_buffer(const char *, const void *, size_t,
		     struct diag *);
struct theme	*theme_mono(const struct theme *);
void		 theme_free(struct theme *);
const char	*theme_elem_name(enum theme_elem);
const char	*theme_elem_help(enum theme_elem);

#endif
