/*
 * The full-screen interface: terminal, loop, signals and drawing.
 *
 * One libevent loop.  Its sources are the terminal (all pending keys are
 * read, then dispatched), signals and timers; handlers change state and
 * call ui_dirty, and the screen is drawn in one place, after the loop
 * pass, at most about 30 times a second.  The signal handlers are
 * installed before curses starts, so the terminal is always restored:
 * SIGTERM, SIGINT, SIGQUIT and SIGHUP leave cleanly, a vanished terminal
 * (EOF or EIO on standard input) too, and Ctrl-Z or SIGTSTP suspends
 * with the screen given back.  This is one of the few files that include
 * curses.
 */

#include <sys/ioctl.h>
#include <sys/mman.h>

#include <errno.h>
#include <fcntl.h>
#include <langinfo.h>
#include <locale.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include <curses.h>
#include <event2/event.h>
#include <openssl/evp.h>

#include "catalog.h"
#include "cmd.h"
#include "config.h"
#include "fileio.h"
#include "job.h"
#include "pattern.h"
#include "text.h"
#include "ui.h"
#include "xmalloc.h"
#include "ycache.h"

#define UI_FRAME_MS	33	/* at most ~30 frames a second */

static struct ui	*ui_current;	/* for the fatal hook */
static struct termios	 ui_saved_tio;
static int		 ui_saved_tio_ok;
static int		 ui_curses_on;

static const int ui_signals[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGTSTP,
    SIGCONT, SIGWINCH };
#define UI_NSIGNALS (sizeof ui_signals / sizeof ui_signals[0])

struct ui_loop {
	struct event		*sig[UI_NSIGNALS];
	struct event		*in;
	struct event		*tick;
	struct event		*frame;
	struct timespec		 last;
	int			 frame_pending;
	int			 cached;	/* the YAML cache is written */
};

/* Give the terminal back: curses off, the saved settings restored. */
static void
ui_restore_terminal(void)
{
	if (ui_curses_on) {
		endwin();
		ui_curses_on = 0;
	}
	if (ui_saved_tio_ok)
		tcsetattr(STDIN_FILENO, TCSADRAIN, &ui_saved_tio);
}

void
ui_dirty(struct ui *ui)
{
	ui->dirty = 1;
}

void
ui_quit(struct ui *ui, int code)
{
	ui->quit = 1;
	ui->exit_code = code;
}

/* A one-line message on the hint row until the next key. */
void
ui_message(struct ui *ui, int error, const char *fmt, ...)
{
	va_list	ap;

	free(ui->message);
	va_start(ap, fmt);
	xvasprintf(&ui->message, fmt, ap);
	va_end(ap);
	ui->message_error = error;
	ui_dirty(ui);
}

/* Replace the current view (and every overlay) by v. */
void
ui_set_view(struct ui *ui, struct view *v)
{
	struct view	*old, *below;

	for (old = ui->view; old != NULL; old = below) {
		below = old->below;
		if (old->ops->close != NULL)
			old->ops->close(old);
		free(old);
	}
	ui->view = v;
	if (v != NULL)
		v->below = NULL;
	ui_dirty(ui);
}

/* Open v over the current view (help, for example). */
void
ui_push_view(struct ui *ui, struct view *v)
{
	v->below = ui->view;
	ui->view = v;
	ui_dirty(ui);
}

void
ui_pop_view(struct ui *ui)
{
	struct view	*v = ui->view;

	if (v == NULL || v->below == NULL)
		return;
	ui->view = v->below;
	if (v->ops->close != NULL)
		v->ops->close(v);
	free(v);
	ui_dirty(ui);
}

/* Fill width cells of row y from x with spaces in elem's look. */
void
ui_fill(struct ui *ui, int y, int x, int width, enum theme_elem elem)
{
	if (width <= 0 || y < 0 || y >= ui->rows)
		return;
	attrset(ui->attrs[elem]);
	mvhline(y, x, ' ', width);
	attrset(ui->attrs[TE_NORMAL]);
}

/*
 * Box lines are drawn as Unicode characters, not the terminal's line
 * drawing set: they survive every terminal path.
 */
static cchar_t *
ui_line_char(int vertical)
{
	static cchar_t	lines[2];
	static int	made;

	if (!made) {
		setcchar(&lines[0], L"\u2500", A_NORMAL, 0, NULL);
		setcchar(&lines[1], L"\u2502", A_NORMAL, 0, NULL);
		made = 1;
	}
	return (&lines[vertical]);
}

void
ui_hline(struct ui *ui, int y, int x, int width, enum theme_elem elem)
{
	if (width > ui->cols - x)
		width = ui->cols - x;
	if (width <= 0)
		return;
	attrset(ui->attrs[elem]);
	mvhline_set(y, x, ui_line_char(0), width);
	attrset(ui->attrs[TE_NORMAL]);
}

void
ui_vline(struct ui *ui, int y, int x, int height, enum theme_elem elem)
{
	if (height > ui->rows - y)
		height = ui->rows - y;
	if (height <= 0)
		return;
	attrset(ui->attrs[elem]);
	mvvline_set(y, x, ui_line_char(1), height);
	attrset(ui->attrs[TE_NORMAL]);
}

/*
 * Draw len bytes of s at (y, x) in at most width columns: neutralised,
 * clipped on a character boundary.  Returns the columns used.
 */
int
ui_putn(struct ui *ui, int y, int x, int width, enum theme_elem elem,
    const char *s, size_t len)
{
	char	*clean, *nl;
	size_t	 n;
	int	 used;

	if (width <= 0 || y < 0 || y >= ui->rows || x >= ui->cols)
		return (0);
	clean = text_clean(s, len);
	if ((nl = strchr(clean, '\n')) != NULL)
		*nl = '\0';
	n = text_clip(clean, width, &used);
	attrset(ui->attrs[elem]);
	mvaddnstr(y, x, clean, (int)n);
	attrset(ui->attrs[TE_NORMAL]);
	free(clean);
	return (used);
}

int
ui_put(struct ui *ui, int y, int x, int width, enum theme_elem elem,
    const char *s)
{
	return (ui_putn(ui, y, x, width, elem, s, strlen(s)));
}

/*
 * Draw s at (y, x) with the matches of p (may be NULL) highlighted.
 * Returns the columns used.
 */
int
ui_put_match(struct ui *ui, int y, int x, int width, enum theme_elem elem,
    const char *s, const struct pattern *p)
{
	size_t	off = 0, len = strlen(s), start, end;
	int	used = 0;

	while (p != NULL && off < len && used < width &&
	    pattern_match(p, s + off, len - off, &start, &end) == 1) {
		if (end == start) {
			end = start + 1;	/* empty match: move on */
			used += ui_putn(ui, y, x + used, width - used, elem,
			    s + off, end);
			off += end;
			continue;
		}
		used += ui_putn(ui, y, x + used, width - used, elem, s + off,
		    start);
		used += ui_putn(ui, y, x + used, width - used, TE_MATCH,
		    s + off + start, end - start);
		off += end;
	}
	if (off < len && used < width)
		used += ui_putn(ui, y, x + used, width - used, elem, s + off,
		    len - off);
	return (used);
}

/*
 * Word-wrap s into the rectangle r starting at its line first (lines
 * before it are skipped, for scrolling).  Returns the lines s needs in
 * all, drawn or not.
 */
int
ui_wrap(struct ui *ui, struct rect r, int first, enum theme_elem elem,
    const char *s)
{
	char	*clean, *line, *nl;
	size_t	 starts[512], n, i, end;
	int	 total = 0;

	clean = text_clean(s, strlen(s));
	for (line = clean; line != NULL; line = nl) {
		if ((nl = strchr(line, '\n')) != NULL)
			*nl++ = '\0';
		n = text_wrap(line, r.w, starts, 512);
		for (i = 0; i < n; i++) {
			end = i + 1 < n ? starts[i + 1] : strlen(line);
			if (total >= first && total - first < r.h)
				ui_putn(ui, r.y + total - first, r.x, r.w,
				    elem, line + starts[i], end - starts[i]);
			total++;
		}
	}
	free(clean);
	return (total);
}

int
ui_keydef_match(const struct ui_keydef *k, struct ui_key key)
{
	size_t	i;

	for (i = 0; i < 3 && k->keys[i] != 0; i++) {
		if (k->keys[i] == key.code && (!!k->fn == !!key.is_fn ||
		    key.code < 32))
			return (1);
	}
	return (0);
}

/* Run the action bound to key in a key table; 1 when one was. */
int
ui_dispatch(struct view *v, const struct ui_keydef *table, struct ui_key key)
{
	const struct ui_keydef	*k;

	for (k = table; k->label != NULL || k->keys[0] != 0; k++) {
		if (ui_keydef_match(k, key) && k->action != NULL) {
			k->action(v);
			return (1);
		}
	}
	return (0);
}

/* The hint row: the message, or the labelled keys of a table. */
void
ui_hints(struct ui *ui, struct rect r, const struct ui_keydef *table)
{
	const struct ui_keydef	*k;
	int			 x = 1;
	char			*s;

	ui_fill(ui, r.y, r.x, r.w, TE_HINT);
	if (ui->message != NULL) {
		ui_fill(ui, r.y, r.x, r.w, ui->message_error ? TE_ERROR :
		    TE_HINT);
		ui_put(ui, r.y, r.x + 1, r.w - 2, ui->message_error ?
		    TE_ERROR : TE_HINT, ui->message);
		return;
	}
	for (k = table; k->label != NULL || k->keys[0] != 0; k++) {
		if (k->label == NULL || k->help == NULL || x >= r.w - 2)
			continue;
		if (strchr(k->label, '*') != NULL)
			continue;	/* listed in help only */
		s = xprintf("%s %s", k->label, k->help);
		if (text_width(s) + x > r.w - 1) {
			free(s);
			break;
		}
		x += ui_put(ui, r.y, r.x + x, r.w - x - 1, TE_HINT, s) + 2;
		free(s);
	}
}

/* Copy text to the clipboard with OSC 52 (works over ssh and tmux). */
void
ui_clipboard(struct ui *ui, const char *s)
{
	unsigned char	*b64;
	size_t		 len = strlen(s);
	int		 n;

	b64 = xmalloc(4 * ((len + 2) / 3) + 1);
	n = EVP_EncodeBlock(b64, (const unsigned char *)s, (int)len);
	b64[n] = '\0';
	fprintf(stdout, "\033]52;c;%s\a", b64);
	fflush(stdout);
	free(b64);
	ui_message(ui, 0, "copied to the clipboard (OSC 52)");
}

/* Colour pairs and attributes for each element of the theme. */
static void
ui_apply_theme(struct ui *ui)
{
	const struct theme_style	*st;
	int				 e, a;
	short				 fg, bg;
	int				 color = !ui->theme->mono && has_colors();

	if (color) {
		start_color();
		use_default_colors();
	}
	for (e = 0; e < TE_COUNT; e++) {
		st = &ui->theme->s[e];
		a = A_NORMAL;
		if (st->attrs & THEME_BOLD)
			a |= A_BOLD;
		if (st->attrs & THEME_DIM)
			a |= A_DIM;
		if (st->attrs & THEME_UNDERLINE)
			a |= A_UNDERLINE;
		if (st->attrs & THEME_REVERSE)
			a |= A_REVERSE;
		if (st->attrs & THEME_ITALIC)
			a |= A_ITALIC;
		if (st->attrs & THEME_BLINK)
			a |= A_BLINK;
		if (color && e + 1 < COLOR_PAIRS) {
			fg = st->fg;
			bg = st->bg;
			if (fg >= COLORS)
				fg = fg % 8;
			if (bg >= COLORS)
				bg = bg % 8;
			init_pair((short)(e + 1), fg, bg);
			a |= COLOR_PAIR(e + 1);
		}
		ui->attrs[e] = a;
	}
	bkgdset(' ' | ui->attrs[TE_NORMAL]);
}

/*
 * A colour pair for command output colours, made on first use; 0 when
 * colours are off or the pairs run out.
 */
short
ui_color_pair(struct ui *ui, short fg, short bg)
{
	static struct {
		short	fg;
		short	bg;
	}		 made[128];
	static int	 nmade;
	int		 i;

	if (ui->theme->mono || !has_colors() || (fg == -1 && bg == -1))
		return (0);
	if (fg >= COLORS)
		fg = fg % 8;
	if (bg >= COLORS)
		bg = bg % 8;
	for (i = 0; i < nmade; i++) {
		if (made[i].fg == fg && made[i].bg == bg)
			return ((short)(TE_COUNT + 1 + i));
	}
	if (nmade == 128 || TE_COUNT + 1 + nmade >= COLOR_PAIRS)
		return (0);
	made[nmade].fg = fg;
	made[nmade].bg = bg;
	init_pair((short)(TE_COUNT + 1 + nmade), fg, bg);
	return ((short)(TE_COUNT + 1 + nmade++));
}

/*
 * A frame goes to the terminal in one write.  ncurses flushes its output
 * at every cursor move: a first frame is some 45 writes, as many packets
 * over ssh, and a terminal may show half a frame between two of them.  So
 * doupdate writes into a memory file put in the place of standard output
 * for the time of the call (ncurses writes to fd 1 and does nothing else
 * with it there), and the whole frame is then copied to the terminal.
 * Without a memory file, doupdate writes as it does.
 */
static int	ui_frame_fd = -1;	/* the memory file */
static int	ui_tty_fd = -1;		/* the terminal, kept aside */

static void
ui_frame_open(void)
{
	if ((ui_frame_fd = memfd_create("rbnav-frame", MFD_CLOEXEC)) == -1)
		return;
	if ((ui_tty_fd = fcntl(STDOUT_FILENO, F_DUPFD_CLOEXEC, 3)) == -1) {
		close(ui_frame_fd);
		ui_frame_fd = -1;
	}
}

static void
ui_frame_close(void)
{
	if (ui_frame_fd != -1)
		close(ui_frame_fd);
	if (ui_tty_fd != -1)
		close(ui_tty_fd);
	ui_frame_fd = ui_tty_fd = -1;
}

static void
ui_update(void)
{
	char	buf[16384];
	ssize_t	n;
	off_t	off = 0;

	fflush(stdout);
	if (ui_frame_fd == -1 || dup2(ui_frame_fd, STDOUT_FILENO) == -1) {
		doupdate();
		return;
	}
	doupdate();
	if (dup2(ui_tty_fd, STDOUT_FILENO) == -1)
		fatalx("cannot give the terminal back its output: %s",
		    strerror(errno));
	while ((n = pread(ui_frame_fd, buf, sizeof buf, off)) > 0) {
		if (fileio_write_all(ui_tty_fd, buf, (size_t)n) == -1)
			break;		/* the terminal is gone */
		off += n;
	}
	if (ftruncate(ui_frame_fd, 0) == -1 ||
	    lseek(ui_frame_fd, 0, SEEK_SET) == -1) {
		close(ui_frame_fd);	/* write as ncurses does from now on */
		ui_frame_fd = -1;
	}
}

static void
ui_draw(struct ui *ui)
{
	const char	*msg = "terminal too small";

	erase();
	if (layout_too_small(ui->rows, ui->cols)) {
		/* One line, whatever the size. */
		ui_put(ui, 0, 0, ui->cols, TE_ERROR, msg);
	} else {
		if (ui->view != NULL)
			ui->view->ops->draw(ui->view);
		if (ui->prompt != NULL)
			prompt_draw(ui);
	}
	wnoutrefresh(stdscr);
	ui_update();
	ui->dirty = 0;
}

static void
ui_resize(struct ui *ui)
{
	struct winsize	ws;

	if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_row > 0 &&
	    ws.ws_col > 0)
		resizeterm(ws.ws_row, ws.ws_col);
	ui->rows = LINES;
	ui->cols = COLS;
	clearok(curscr, TRUE);
	ui_dirty(ui);
	if (ui->on_resize != NULL)
		ui->on_resize(ui->on_resize_arg);
}

/*
 * Give the terminal to a command (begin = 1) and take it back: the screen
 * steps aside and comes back exactly as it was.
 */
void
ui_hand_over(struct ui *ui, int begin)
{
	if (begin) {
		if (ui->handed_over)
			return;
		ui->handed_over = 1;
		def_prog_mode();
		endwin();
		fflush(stdout);
		if (ui->ev_in != NULL)
			event_del(ui->ev_in);
		return;
	}
	if (!ui->handed_over)
		return;
	ui->handed_over = 0;
	reset_prog_mode();
	if (ui->ev_in != NULL)
		event_add(ui->ev_in, NULL);
	ui_resize(ui);
}

static void
ui_suspend(struct ui *ui, struct ui_loop *l)
{
	struct sigaction	sa;
	size_t			i;

	endwin();
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = SIG_DFL;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTSTP, &sa, NULL);
	kill(getpid(), SIGTSTP);
	/* Continued: take the signal back and redraw everything. */
	for (i = 0; i < UI_NSIGNALS; i++) {
		if (ui_signals[i] == SIGTSTP && l->sig[i] != NULL) {
			event_del(l->sig[i]);
			event_add(l->sig[i], NULL);
		}
	}
	reset_prog_mode();
	ui_resize(ui);
}

static void
ui_signal_cb(evutil_socket_t sig, short what, void *arg)
{
	struct ui	*ui = arg;

	(void)what;
	switch (sig) {
	case SIGWINCH:
		ui_resize(ui);
		break;
	case SIGCONT:
		reset_prog_mode();
		ui_resize(ui);
		break;
	case SIGINT:
	case SIGQUIT:
		if (ui->handed_over)
			break;	/* typed at a pager that has the terminal */
		/* FALLTHROUGH */
	default:
		/* SIGTERM, SIGINT, SIGQUIT, SIGHUP: leave cleanly. */
		ui->leave_reason = sig == SIGHUP ? "hangup" : "signal";
		free(ui->exit_message);
		ui->exit_message = xprintf("rbnav: %s: leaving; the "
		    "incident stays resumable", strsignal((int)sig));
		ui_quit(ui, EXIT_RUNTIME);
		break;
	}
}

struct ui_tstp {
	struct ui	*ui;
	struct ui_loop	*l;
};

static void
ui_signal_tstp(evutil_socket_t sig, short what, void *arg)
{
	struct ui_tstp	*t = arg;

	(void)sig;
	(void)what;
	ui_suspend(t->ui, t->l);
}

/* Whether standard input is gone: readable, but nothing to read. */
static int
ui_input_gone(void)
{
	int	n = 0;

	if (ioctl(STDIN_FILENO, FIONREAD, &n) == -1)
		return (1);
	return (n == 0);
}

static void
ui_key(struct ui *ui, struct ui_key key, struct ui_tstp *t)
{
	if (key.code == UI_CTRL('z') && !key.is_fn) {
		ui_suspend(ui, t->l);
		return;
	}
	if (key.is_fn && key.code == KEY_RESIZE) {
		/* resizeterm queued it: the size is already known. */
		ui->rows = LINES;
		ui->cols = COLS;
		ui_dirty(ui);
		return;
	}
	free(ui->message);
	ui->message = NULL;
	if (layout_too_small(ui->rows, ui->cols)) {
		if (!key.is_fn && (key.code == 'q'))
			ui_quit(ui, EXIT_OK);
		return;
	}
	if (ui->prompt != NULL)
		prompt_key(ui, key);
	else if (ui->view != NULL)
		ui->view->ops->key(ui->view, key);
	ui_dirty(ui);
}

static void
ui_input_cb(evutil_socket_t fd, short what, void *arg)
{
	struct ui_tstp	*t = arg;
	struct ui	*ui = t->ui;
	struct ui_key	 key;
	wint_t		 wc;
	int		 rc, got = 0;

	(void)fd;
	(void)what;
	ui->discard = 0;
	for (;;) {
		rc = get_wch(&wc);
		if (rc == ERR)
			break;
		got++;
		if (ui->discard)
			continue;	/* typed before a prompt opened */
		key.code = wc;
		key.is_fn = rc == KEY_CODE_YES;
		ui_key(ui, key, t);
		if (ui->quit)
			break;
	}
	if (ui->discard)
		flushinp();
	ui->discard = 0;
	if (got == 0 && ui_input_gone()) {
		free(ui->exit_message);
		ui->exit_message = xstrdup("rbnav: the terminal went away; "
		    "the incident stays resumable");
		ui->leave_reason = "hangup";
		ui_quit(ui, EXIT_RUNTIME);
	}
}

static void
ui_tick_cb(evutil_socket_t fd, short what, void *arg)
{
	struct ui	*ui = arg;

	(void)fd;
	(void)what;
	if (ui->view != NULL && ui->view->ops->tick != NULL)
		ui->view->ops->tick(ui->view);
}

static void
ui_frame_cb(evutil_socket_t fd, short what, void *arg)
{
	struct ui_loop	*l = arg;

	(void)fd;
	(void)what;
	l->frame_pending = 0;
}

static int64_t
ui_ms_since(const struct timespec *t)
{
	struct timespec	now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return ((int64_t)(now.tv_sec - t->tv_sec) * 1000 +
	    (now.tv_nsec - t->tv_nsec) / 1000000);
}

static void
ui_fatal_hook(void)
{
	ui_restore_terminal();
}

static struct theme *
ui_load_theme(struct ui *ui, char **why)
{
	struct diag	 diag;
	struct theme	*t;
	const char	*name = NULL, *home;
	char		*dirs[3];
	size_t		 ndirs = 0, i;

	*why = NULL;
	if (ui->opts->no_color || (getenv("NO_COLOR") != NULL &&
	    *getenv("NO_COLOR") != '\0'))
		return (theme_mono(NULL));
	if (ui->opts->theme != NULL)
		name = ui->opts->theme;
	else if (ui->config != NULL && ui->config->theme != NULL)
		name = ui->config->theme;
	if (name == NULL)
		return (theme_default());
	if ((home = getenv("HOME")) != NULL)
		dirs[ndirs++] = xprintf("%s/.config/rbnav/themes", home);
	dirs[ndirs++] = xstrdup("themes");
	dirs[ndirs++] = xstrdup(PKGDATADIR "/themes");
	diag_init(&diag);
	t = theme_load(name, dirs, ndirs, &diag);
	for (i = 0; i < ndirs; i++)
		free(dirs[i]);
	if (t == NULL) {
		*why = diag.n > 0 ? diag_format(&diag.items[0]) :
		    xstrdup("cannot load the theme");
		diag_free(&diag);
		return (theme_default());
	}
	diag_free(&diag);
	return (t);
}

/*
 * Run the interface until the operator leaves: open_view(ui, arg) makes
 * the first view.  Returns the exit status.
 */
int
ui_run(const struct catalog *cat, const struct config *config,
    struct cmd_options *opts, const char *op,
    struct view *(*open_view)(struct ui *, void *), void *arg)
{
	struct ui		 ui;
	struct ui_loop		 l;
	struct ui_tstp		 t;
	struct sigaction	 old;
	struct timeval		 tv;
	char			*why;
	size_t			 i;
	int64_t			 since;

	memset(&ui, 0, sizeof ui);
	memset(&l, 0, sizeof l);
	ui.cat = cat;
	ui.leave_reason = "operator";
	ui.config = config;
	ui.opts = opts;
	ui.op = op;
	t.ui = &ui;
	t.l = &l;

	if (tcgetattr(STDIN_FILENO, &ui_saved_tio) == 0)
		ui_saved_tio_ok = 1;
	{
		/*
		 * Keys and timers get a turn at least every 10 ms, even when
		 * many sockets are ready at once (a round of TLS checks).
		 */
		struct event_config	*cfg = event_config_new();
		struct timeval		 most = { 0, 10 * 1000 };

		event_config_set_max_dispatch_interval(cfg, &most, -1, 0);
		ui.base = event_base_new_with_config(cfg);
		event_config_free(cfg);
	}
	if (ui.base == NULL)
		fatalx("event_base_new failed");

	/* Our handlers go in before curses starts. */
	for (i = 0; i < UI_NSIGNALS; i++) {
		if (ui_signals[i] == SIGHUP &&
		    sigaction(SIGHUP, NULL, &old) == 0 &&
		    old.sa_handler == SIG_IGN)
			continue;	/* nohup: honour it; EOF still ends */
		if (ui_signals[i] == SIGTSTP)
			l.sig[i] = evsignal_new(ui.base, SIGTSTP,
			    ui_signal_tstp, &t);
		else
			l.sig[i] = evsignal_new(ui.base, ui_signals[i],
			    ui_signal_cb, &ui);
		event_add(l.sig[i], NULL);
	}

	ui.theme = ui_load_theme(&ui, &why);
	ui_current = &ui;
	xmalloc_set_fatal_hook(ui_fatal_hook);
	if (getenv("ESCDELAY") == NULL)
		set_escdelay(25);
	if (initscr() == NULL)
		fatalx("cannot start the terminal interface");
	ui_curses_on = 1;
	ui_frame_open();
	raw();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	nodelay(stdscr, TRUE);
	curs_set(0);
	ui_apply_theme(&ui);
	ui.rows = LINES;
	ui.cols = COLS;

	l.in = event_new(ui.base, STDIN_FILENO, EV_READ | EV_PERSIST,
	    ui_input_cb, &t);
	event_add(l.in, NULL);
	ui.ev_in = l.in;
	job_init(ui.base);
	l.tick = event_new(ui.base, -1, EV_PERSIST, ui_tick_cb, &ui);
	tv.tv_sec = 1;
	tv.tv_usec = 0;
	event_add(l.tick, &tv);
	l.frame = evtimer_new(ui.base, ui_frame_cb, &l);

	ui.view = open_view(&ui, arg);
	if (ui.view == NULL)
		ui.quit = 1;
	if (why != NULL) {
		ui_message(&ui, 1, "theme: %s; using the default", why);
		free(why);
	}
	ui.dirty = 1;
	while (!ui.quit) {
		if (ui.dirty && !l.frame_pending && !ui.handed_over) {
			since = ui_ms_since(&l.last);
			if (since >= UI_FRAME_MS) {
				ui_draw(&ui);
				clock_gettime(CLOCK_MONOTONIC, &l.last);
				/*
				 * What was parsed goes to the YAML cache once
				 * the operator has the screen, not before.
				 */
				if (!l.cached) {
					ycache_save();
					l.cached = 1;
				}
			} else {
				/* Coalesce: draw when the frame is due. */
				tv.tv_sec = 0;
				tv.tv_usec = (UI_FRAME_MS - since) * 1000;
				l.frame_pending = 1;
				evtimer_add(l.frame, &tv);
			}
		}
		if (ui.quit)
			break;
		event_base_loop(ui.base, EVLOOP_ONCE);
	}

	prompt_cancel(&ui);
	ui_set_view(&ui, NULL);
	job_shutdown();
	ui_restore_terminal();
	ui_frame_close();
	xmalloc_set_fatal_hook(NULL);
	ui_current = NULL;
	for (i = 0; i < UI_NSIGNALS; i++) {
		if (l.sig[i] != NULL)
			event_free(l.sig[i]);
	}
	event_free(l.in);
	event_free(l.tick);
	event_free(l.frame);
	event_base_free(ui.base);
	theme_free(ui.theme);
	free(ui.message);
	if (ui.exit_message != NULL) {
		fprintf(stderr, "%s\n", ui.exit_message);
		free(ui.exit_message);
	}
	return (ui.exit_code);
}
