/*
 * Prompts: confirm (y/N), danger (type the step id), text input and a
 * list of choices.
 *
 * A prompt is a state with a callback, never a nested input loop: the
 * loop keeps running (timers, output, checks) while it is open, keys go
 * to prompt_key, and when the operator answers, the prompt is closed
 * first and then the callback runs, so that it may open the next prompt.
 * A callback that returns -1 keeps its prompt open (a refused value).
 * Opening a danger prompt drops the keys typed before it opened.
 */

#include <stdlib.h>
#include <string.h>

#include <curses.h>

#include "text.h"
#include "ui.h"
#include "xmalloc.h"

enum prompt_kind {
	PROMPT_CONFIRM,
	PROMPT_DANGER,
	PROMPT_TEXT,
	PROMPT_CHOICE
};

struct prompt {
	enum prompt_kind	 kind;
	char			*title;
	char			*info;		/* extra text above the input */
	enum theme_elem		 info_elem;
	char			*error;
	char			*buf;		/* UTF-8 input */
	size_t			 len;
	size_t			 cur;		/* byte offset of the cursor */
	int			 masked;
	char			**choices;
	size_t			 nchoices;
	size_t			 sel;
	prompt_cb		 cb;
	void			*arg;
};

void
prompt_free(struct prompt *p)
{
	size_t	i;

	if (p == NULL)
		return;
	free(p->title);
	free(p->info);
	free(p->error);
	free(p->buf);
	for (i = 0; i < p->nchoices; i++)
		free(p->choices[i]);
	free(p->choices);
	free(p);
}

static struct prompt *
prompt_new(struct ui *ui, enum prompt_kind kind, const char *title,
    prompt_cb cb, void *arg)
{
	struct prompt	*p;

	prompt_free(ui->prompt);
	p = xcalloc(1, sizeof *p);
	p->kind = kind;
	p->title = xstrdup(title);
	p->buf = xstrdup("");
	p->cb = cb;
	p->arg = arg;
	p->info_elem = TE_NORMAL;
	ui->prompt = p;
	ui_dirty(ui);
	return (p);
}

void
prompt_set_info(struct prompt *p, const char *info, enum theme_elem elem)
{
	free(p->info);
	p->info = info != NULL ? xstrdup(info) : NULL;
	p->info_elem = elem;
}

/* Show why a value was refused; the prompt stays open. */
void
prompt_set_error(struct ui *ui, const char *error)
{
	struct prompt	*p = ui->prompt != NULL ? ui->prompt : ui->answering;

	if (p == NULL)
		return;
	free(p->error);
	p->error = error != NULL ? xstrdup(error) : NULL;
	ui_dirty(ui);
}

static void
prompt_set_text(struct prompt *p, const char *s)
{
	free(p->buf);
	p->buf = xstrdup(s);
	p->len = p->cur = strlen(s);
}

/* y/N; default No.  The callback gets ok = 1 for yes. */
void
prompt_confirm(struct ui *ui, const char *title, const char *info,
    prompt_cb cb, void *arg)
{
	struct prompt	*p = prompt_new(ui, PROMPT_CONFIRM, title, cb, arg);

	if (info != NULL)
		prompt_set_info(p, info, TE_NORMAL);
}

/*
 * A destructive step: the reason in the danger colour, then expect (the
 * step id) must be typed exactly.  Keys typed before it opened are
 * discarded.  The callback gets ok = 1 and the text typed on Enter.
 */
void
prompt_danger(struct ui *ui, const char *title, const char *reason,
    const char *expect, prompt_cb cb, void *arg)
{
	struct prompt	*p = prompt_new(ui, PROMPT_DANGER, title, cb, arg);
	char		*info;

	info = xprintf("DANGER: %s\nType the step id \"%s\" and Enter to "
	    "run it; Esc cancels.", reason, expect);
	prompt_set_info(p, info, TE_DANGER);
	free(info);
	ui->discard = 1;
	flushinp();
}

/* A line of text, pre-filled with initial; flags: PROMPT_MASKED. */
void
prompt_text(struct ui *ui, const char *title, const char *initial, int flags,
    prompt_cb cb, void *arg)
{
	struct prompt	*p = prompt_new(ui, PROMPT_TEXT, title, cb, arg);

	p->masked = flags & PROMPT_MASKED;
	prompt_set_text(p, initial != NULL ? initial : "");
}

/* Pick one of n choices: digits 1-9, arrows and Enter. */
void
prompt_choice(struct ui *ui, const char *title, const char **choices,
    size_t n, prompt_cb cb, void *arg)
{
	struct prompt	*p = prompt_new(ui, PROMPT_CHOICE, title, cb, arg);
	size_t		 i;

	p->choices = xcalloc(n, sizeof *p->choices);
	for (i = 0; i < n; i++)
		p->choices[i] = xstrdup(choices[i]);
	p->nchoices = n;
}

/* Close the prompt and answer it; the callback may open another. */
static void
prompt_answer(struct ui *ui, int ok, const char *text, size_t choice)
{
	struct prompt	*p = ui->prompt;
	char		*copy = xstrdup(text != NULL ? text : "");

	ui->prompt = NULL;
	ui->answering = p;	/* prompt_set_error reaches it */
	if (p->cb != NULL && p->cb(ui, p->arg, ok, copy, choice) == -1 &&
	    ui->prompt == NULL) {
		ui->answering = NULL;
		ui->prompt = p;		/* refused: keep it open */
		free(copy);
		return;
	}
	ui->answering = NULL;
	if (ui->prompt != p)
		prompt_free(p);
	free(copy);
	ui_dirty(ui);
}

/* Byte offset of the character before off. */
static size_t
prompt_prev(const char *s, size_t off)
{
	if (off == 0)
		return (0);
	off--;
	while (off > 0 && ((unsigned char)s[off] & 0xc0) == 0x80)
		off--;
	return (off);
}

static size_t
prompt_next(const char *s, size_t len, size_t off)
{
	if (off >= len)
		return (len);
	off++;
	while (off < len && ((unsigned char)s[off] & 0xc0) == 0x80)
		off++;
	return (off);
}

static void
prompt_delete(struct prompt *p, size_t from, size_t to)
{
	memmove(p->buf + from, p->buf + to, p->len - to + 1);
	p->len -= to - from;
	p->cur = from;
}

static void
prompt_insert(struct prompt *p, wint_t wc)
{
	char	u[4];
	size_t	n;

	if (wc < 0x80)
		u[0] = (char)wc, n = 1;
	else if (wc < 0x800) {
		u[0] = (char)(0xc0 | (wc >> 6));
		u[1] = (char)(0x80 | (wc & 0x3f));
		n = 2;
	} else if (wc < 0x10000) {
		u[0] = (char)(0xe0 | (wc >> 12));
		u[1] = (char)(0x80 | ((wc >> 6) & 0x3f));
		u[2] = (char)(0x80 | (wc & 0x3f));
		n = 3;
	} else {
		u[0] = (char)(0xf0 | (wc >> 18));
		u[1] = (char)(0x80 | ((wc >> 12) & 0x3f));
		u[2] = (char)(0x80 | ((wc >> 6) & 0x3f));
		u[3] = (char)(0x80 | (wc & 0x3f));
		n = 4;
	}
	if (p->len + n > 64 * 1024)
		return;		/* a line, not a file */
	p->buf = xrealloc(p->buf, p->len + n + 1);
	memmove(p->buf + p->cur + n, p->buf + p->cur, p->len - p->cur + 1);
	memcpy(p->buf + p->cur, u, n);
	p->len += n;
	p->cur += n;
}

/* Line editing: ← → Home End Backspace Delete Ctrl-U Ctrl-W, UTF-8. */
static int
prompt_edit(struct prompt *p, struct ui_key key)
{
	size_t	off;

	if (key.is_fn) {
		switch (key.code) {
		case KEY_LEFT:
			p->cur = prompt_prev(p->buf, p->cur);
			return (1);
		case KEY_RIGHT:
			p->cur = prompt_next(p->buf, p->len, p->cur);
			return (1);
		case KEY_HOME:
			p->cur = 0;
			return (1);
		case KEY_END:
			p->cur = p->len;
			return (1);
		case KEY_BACKSPACE:
			prompt_delete(p, prompt_prev(p->buf, p->cur), p->cur);
			return (1);
		case KEY_DC:
			prompt_delete(p, p->cur, prompt_next(p->buf, p->len,
			    p->cur));
			return (1);
		}
		return (0);
	}
	switch (key.code) {
	case 0x7f:
	case UI_CTRL('h'):
		prompt_delete(p, prompt_prev(p->buf, p->cur), p->cur);
		return (1);
	case UI_CTRL('a'):
		p->cur = 0;
		return (1);
	case UI_CTRL('e'):
		p->cur = p->len;
		return (1);
	case UI_CTRL('u'):
		prompt_delete(p, 0, p->cur);
		return (1);
	case UI_CTRL('k'):
		p->buf[p->cur] = '\0';
		p->len = p->cur;
		return (1);
	case UI_CTRL('w'):
		off = p->cur;
		while (off > 0 && p->buf[off - 1] == ' ')
			off--;
		while (off > 0 && p->buf[off - 1] != ' ')
			off--;
		prompt_delete(p, off, p->cur);
		return (1);
	}
	if (key.code >= 0x20 && key.code != 0x7f &&
	    !(key.code >= 0x80 && key.code < 0xa0)) {
		prompt_insert(p, key.code);
		return (1);
	}
	return (0);
}

/*
 * The program is leaving with a prompt open: answer it as Esc would, so
 * that its callback frees what it holds.
 */
void
prompt_cancel(struct ui *ui)
{
	int	i;

	/* A callback may open another prompt: answer that one too. */
	for (i = 0; i < 8 && ui->prompt != NULL; i++)
		prompt_answer(ui, 0, NULL, 0);
	prompt_free(ui->prompt);
	ui->prompt = NULL;
}

/* A key for the open prompt. */
int
prompt_key(struct ui *ui, struct ui_key key)
{
	struct prompt	*p = ui->prompt;
	int		 enter, esc;

	enter = !key.is_fn ? (key.code == '\r' || key.code == '\n') :
	    key.code == KEY_ENTER;
	esc = !key.is_fn && key.code == UI_ESC;
	if (esc) {
		prompt_answer(ui, 0, NULL, 0);
		return (1);
	}
	switch (p->kind) {
	case PROMPT_CONFIRM:
		if (!key.is_fn && (key.code == 'y' || key.code == 'Y'))
			prompt_answer(ui, 1, "yes", 0);
		else if (enter || (!key.is_fn && (key.code == 'n' ||
		    key.code == 'N')))
			prompt_answer(ui, 0, "no", 0);
		return (1);
	case PROMPT_CHOICE:
		if (key.is_fn && key.code == KEY_UP && p->sel > 0)
			p->sel--;
		else if (key.is_fn && key.code == KEY_DOWN &&
		    p->sel + 1 < p->nchoices)
			p->sel++;
		else if (!key.is_fn && key.code == 'k' && p->sel > 0)
			p->sel--;
		else if (!key.is_fn && key.code == 'j' &&
		    p->sel + 1 < p->nchoices)
			p->sel++;
		else if (!key.is_fn && key.code >= '1' && key.code <= '9' &&
		    (size_t)(key.code - '1') < p->nchoices)
			prompt_answer(ui, 1, p->choices[key.code - '1'],
			    (size_t)(key.code - '1'));
		else if (enter)
			prompt_answer(ui, 1, p->choices[p->sel], p->sel);
		ui_dirty(ui);
		return (1);
	case PROMPT_DANGER:
	case PROMPT_TEXT:
		if (enter) {
			char	*text = xstrdup(p->buf);

			prompt_answer(ui, 1, text, 0);
			free(text);
			return (1);
		}
		free(p->error);
		p->error = NULL;
		prompt_edit(p, key);
		ui_dirty(ui);
		return (1);
	}
	return (0);
}

/* The input line, with the cursor kept in view. */
static void
prompt_draw_input(struct ui *ui, struct prompt *p, int y, int x, int w)
{
	char	*shown, *o;
	size_t	 i, curshown = 0;
	int	 before, skip = 0;

	if (p->masked) {
		/* One '*' per character: the value itself is never drawn. */
		shown = o = xmalloc(p->len + 1);
		for (i = 0; i < p->len; i++) {
			if (((unsigned char)p->buf[i] & 0xc0) != 0x80)
				*o++ = '*';
			if (i + 1 == p->cur)
				curshown = (size_t)(o - shown);
		}
		*o = '\0';
		if (p->cur == 0)
			curshown = 0;
	} else {
		shown = xstrdup(p->buf);
		curshown = p->cur;
	}
	before = text_nwidth(shown, curshown);
	if (before > w - 2)
		skip = before - (w - 2);
	ui_fill(ui, y, x, w, TE_NORMAL);
	{
		/* Skip whole characters from the left until the cursor fits. */
		size_t	 off = 0;
		uint32_t cp;
		int	 cut = 0;

		while (cut < skip && off < strlen(shown)) {
			size_t n = text_decode(shown + off, strlen(shown) - off,
			    &cp);
			cut += text_cpwidth(cp);
			off += n;
		}
		ui_put(ui, y, x, w, TE_NORMAL, shown + off);
		before = text_nwidth(shown + off, curshown - off);
	}
	{
		/* The character under the cursor, in the selected colours. */
		size_t	 slen = strlen(shown), clen = 0;
		uint32_t cp;

		if (curshown < slen)
			clen = text_decode(shown + curshown, slen - curshown,
			    &cp);
		if (clen > 0)
			ui_putn(ui, y, x + before, w - before, TE_SELECTED,
			    shown + curshown, clen);
		else
			ui_put(ui, y, x + before, w - before, TE_SELECTED,
			    " ");
	}
	attrset(ui->attrs[TE_NORMAL]);
	free(shown);
}

/* The prompt as a box in the lower part of the screen. */
void
prompt_draw(struct ui *ui)
{
	struct prompt	*p = ui->prompt;
	struct rect	 r;
	int		 h, lines = 0, tlines = 1, y, i;

	r.w = ui->cols - 4 > 76 ? 76 : ui->cols - 4;
	r.x = (ui->cols - r.w) / 2;
	{
		struct rect	probe = { 0, 0, 0, r.w - 4 };

		if (p->info != NULL)
			lines = ui_wrap(ui, probe, 0, TE_NORMAL, p->info);
		tlines = ui_wrap(ui, probe, 0, TE_PROMPT, p->title);
		if (tlines > 4)
			tlines = 4;
	}
	h = 3 + tlines + lines + (p->error != NULL ? 1 : 0) +
	    (p->kind == PROMPT_CHOICE ? (int)p->nchoices : 1);
	if (h > ui->rows - 2)
		h = ui->rows - 2;
	r.h = h;
	r.y = ui->rows - 1 - h;
	for (y = r.y; y < r.y + r.h; y++)
		ui_fill(ui, y, r.x, r.w, TE_NORMAL);
	ui_hline(ui, r.y, r.x + 1, r.w - 2, TE_BORDER);
	ui_hline(ui, r.y + r.h - 1, r.x + 1, r.w - 2, TE_BORDER);
	ui_vline(ui, r.y + 1, r.x, r.h - 2, TE_BORDER);
	ui_vline(ui, r.y + 1, r.x + r.w - 1, r.h - 2, TE_BORDER);
	ui_put(ui, r.y, r.x, 1, TE_BORDER, "┌");
	ui_put(ui, r.y, r.x + r.w - 1, 1, TE_BORDER, "┐");
	ui_put(ui, r.y + r.h - 1, r.x, 1, TE_BORDER, "└");
	ui_put(ui, r.y + r.h - 1, r.x + r.w - 1, 1, TE_BORDER, "┘");

	y = r.y + 1;
	{
		struct rect	title = { y, r.x + 2, tlines, r.w - 4 };
		int		t;

		for (t = 0; t < tlines; t++)
			ui_fill(ui, y + t, r.x + 1, r.w - 2, TE_PROMPT);
		ui_wrap(ui, title, 0, TE_PROMPT, p->title);
	}
	y += tlines;
	if (p->info != NULL) {
		struct rect	info = { y, r.x + 2, lines, r.w - 4 };

		ui_wrap(ui, info, 0, p->info_elem, p->info);
		y += lines;
	}
	switch (p->kind) {
	case PROMPT_CONFIRM:
		ui_put(ui, y, r.x + 2, r.w - 4, TE_TITLE,
		    "y = yes, n or Enter = no (default), Esc = cancel");
		break;
	case PROMPT_CHOICE:
		for (i = 0; i < (int)p->nchoices && y < r.y + r.h - 1;
		    i++, y++) {
			char	*s = xprintf("%s%d  %s", (size_t)i == p->sel ?
			    "> " : "  ", i + 1, p->choices[i]);

			if ((size_t)i == p->sel)
				ui_fill(ui, y, r.x + 1, r.w - 2, TE_SELECTED);
			ui_put(ui, y, r.x + 2, r.w - 4, (size_t)i == p->sel ?
			    TE_SELECTED : TE_NORMAL, s);
			free(s);
		}
		y--;
		break;
	default:
		prompt_draw_input(ui, p, y, r.x + 2, r.w - 4);
		break;
	}
	y++;
	if (p->error != NULL && y < r.y + r.h - 1)
		ui_put(ui, y, r.x + 2, r.w - 4, TE_ERROR, p->error);
}
