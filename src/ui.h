/*
 * The full-screen interface: one libevent loop, views with ops tables,
 * prompts as states with callbacks, one place that draws.
 */
#ifndef UI_H
#define UI_H

#if !defined(RBNAV_LAYER) || RBNAV_LAYER < 3
#error "ui.h belongs to the program layer"
#endif

#include <stddef.h>
#include <wchar.h>

#include <jansson.h>

#include "theme.h"
#include "ui-layout.h"

struct catalog;
struct config;
struct cmd_options;
struct event;
struct event_base;
struct ui;
struct view;
struct prompt;
struct pattern;
struct runbook;
struct rb_scenario;
struct drill;
struct incident;
struct journal_file;

/* A key: a character or a curses KEY_* code. */
struct ui_key {
	wint_t	code;
	int	is_fn;		/* code is a KEY_* value */
};

#define UI_CTRL(c)	((c) & 0x1f)
#define UI_ESC		0x1b

struct view_ops {
	const char	*name;
	void		(*draw)(struct view *);
	int		(*key)(struct view *, struct ui_key);
	void		(*tick)(struct view *);		/* once a second */
	void		(*close)(struct view *);
};

struct view {
	const struct view_ops	*ops;
	struct ui		*ui;
	void			*data;
	struct view		*below;		/* the view under an overlay */
};

/* One entry of a key table: keys, label, help, action. */
struct ui_keydef {
	wint_t		 keys[3];	/* 0-terminated if fewer */
	int		 fn;		/* keys are KEY_* codes */
	const char	*label;
	const char	*help;
	void		(*action)(struct view *);
};

struct ui {
	struct event_base	*base;
	const struct catalog	*cat;
	const struct config	*config;
	struct cmd_options	*opts;
	const char		*op;		/* operator name */
	struct theme		*theme;
	int			 attrs[TE_COUNT];
	int			 rows;
	int			 cols;
	int			 dirty;
	int			 quit;
	int			 exit_code;
	int			 discard;	/* drop the rest of this key batch */
	struct view		*view;
	struct prompt		*prompt;
	struct prompt		*answering;	/* its callback is running */
	char			*message;	/* one line on the hint row */
	int			 message_error;
	char			*exit_message;	/* printed after the screen ends */
	const char		*leave_reason;	/* operator, signal, hangup */
	const json_t		*joined;	/* rbnav join: events fetched */
	struct event		*ev_in;		/* the terminal's input */
	int			 handed_over;	/* a command has the terminal */
	void			(*on_resize)(void *);
	void			*on_resize_arg;
};

/* ui.c */
int	 ui_run(const struct catalog *, const struct config *,
	     struct cmd_options *, const char *, struct view *(*)(struct ui *,
	     void *), void *);
void	 ui_dirty(struct ui *);
void	 ui_set_view(struct ui *, struct view *);
void	 ui_push_view(struct ui *, struct view *);
void	 ui_pop_view(struct ui *);
void	 ui_message(struct ui *, int, const char *, ...)
	     __attribute__((format(printf, 3, 4)));
int	 ui_put(struct ui *, int, int, int, enum theme_elem, const char *);
int	 ui_putn(struct ui *, int, int, int, enum theme_elem, const char *,
	     size_t);
int	 ui_wrap(struct ui *, struct rect, int, enum theme_elem, const char *);
void	 ui_fill(struct ui *, int, int, int, enum theme_elem);
void	 ui_hline(struct ui *, int, int, int, enum theme_elem);
void	 ui_vline(struct ui *, int, int, int, enum theme_elem);
void	 ui_hints(struct ui *, struct rect, const struct ui_keydef *);
int	 ui_keydef_match(const struct ui_keydef *, struct ui_key);
int	 ui_dispatch(struct view *, const struct ui_keydef *, struct ui_key);
void	 ui_clipboard(struct ui *, const char *);
void	 ui_quit(struct ui *, int);
void	 ui_hand_over(struct ui *, int);
short	 ui_color_pair(struct ui *, short, short);
int	 ui_put_match(struct ui *, int, int, int, enum theme_elem,
	     const char *, const struct pattern *);

/* ui-prompt.c */
typedef int (*prompt_cb)(struct ui *, void *, int, const char *, size_t);

void	 prompt_confirm(struct ui *, const char *, const char *, prompt_cb,
	     void *);
void	 prompt_danger(struct ui *, const char *, const char *, const char *,
	     prompt_cb, void *);
void	 prompt_text(struct ui *, const char *, const char *, int, prompt_cb,
	     void *);
void	 prompt_choice(struct ui *, const char *, const char **, size_t,
	     prompt_cb, void *);
void	 prompt_set_error(struct ui *, const char *);
void	 prompt_set_info(struct prompt *, const char *, enum theme_elem);
int	 prompt_key(struct ui *, struct ui_key);
void	 prompt_draw(struct ui *);
void	 prompt_free(struct prompt *);
void	 prompt_cancel(struct ui *);

#define PROMPT_MASKED	0x1

/* The views. */
struct view	*view_picker_open(struct ui *, void *);
struct view	*view_picker_open_drill(struct ui *, const struct drill *);
struct view	*view_picker_open_drills(struct ui *);
struct view	*view_picker_start(struct ui *, const struct runbook *,
		     const struct rb_scenario *, const struct drill *);
struct view	*view_incident_open(struct ui *, void *);
struct view	*view_replay_open(struct ui *, struct incident *,
		     struct journal_file *, double);
struct view	*view_briefing_open(struct ui *, const struct runbook *,
		     const struct rb_scenario *, const struct drill *);
struct view	*view_debrief_open(struct ui *, const char *,
		     const json_t *);
struct view	*view_help_open(struct ui *, const char *,
		     const struct ui_keydef *, int);

#endif
