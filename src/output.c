/*
 * Command output as the screen keeps it.
 *
 * Bytes from a command arrive in arbitrary chunks.  They are cut into
 * lines (a line that never ends is cut at OUTPUT_MAX_LINE bytes), SGR
 * colour sequences are kept, and every other escape or control sequence
 * is dropped, so that output can colour text but never move the cursor,
 * set the title or write the clipboard.  A carriage return starts the
 * line again (progress bars), a backspace removes a character.  Only
 * the last max lines are kept: memory stays bounded whatever a command
 * prints.  Parsing state survives chunk boundaries.  No curses here.
 *
 * A flood is the common case: runs of plain text are copied whole, and
 * the line that falls off the top lends its buffer to the new one.
 */

#include <stdlib.h>
#include <string.h>

#include "output.h"
#include "xmalloc.h"

#define OUTPUT_MAX_LINE	(16 * 1024)
#define OUTPUT_MAX_ESC	64

enum output_state {
	OS_TEXT,
	OS_ESC,		/* after ESC */
	OS_CSI,		/* after ESC [ */
	OS_STRING,	/* OSC, DCS, APC, PM, SOS: until BEL or ST */
	OS_STRING_ESC	/* ESC inside a string: maybe ST */
};

struct output {
	char		**lines;	/* ring of max lines */
	size_t		 *lens;
	size_t		 *caps;		/* each slot's buffer, kept */
	size_t		  max;
	size_t		  first;	/* index of the oldest */
	size_t		  n;
	uint64_t	  dropped;	/* lines that fell off the top */
	char		 *cur;		/* the line being built */
	size_t		  curlen;
	size_t		  curcap;
	enum output_state state;
	char		  esc[OUTPUT_MAX_ESC];
	size_t		  esclen;
	int		  cr;		/* a CR seen: LF or a fresh line next */
};

/* An output that keeps at most max lines (at least 1). */
struct output *
output_create(size_t max)
{
	struct output	*o;

	o = xcalloc(1, sizeof *o);
	o->max = max > 0 ? max : 1;
	o->lines = xcalloc(o->max, sizeof *o->lines);
	o->lens = xcalloc(o->max, sizeof *o->lens);
	o->caps = xcalloc(o->max, sizeof *o->caps);
	return (o);
}

void
output_clear(struct output *o)
{
	size_t	i;

	for (i = 0; i < o->max; i++) {
		free(o->lines[i]);
		o->lines[i] = NULL;
		o->caps[i] = 0;
	}
	o->first = o->n = 0;
	o->dropped = 0;
	o->curlen = 0;
	o->state = OS_TEXT;
	o->esclen = 0;
	o->cr = 0;
}

void
output_free(struct output *o)
{
	if (o == NULL)
		return;
	output_clear(o);
	free(o->lines);
	free(o->lens);
	free(o->caps);
	free(o->cur);
	free(o);
}

static void
output_add(struct output *o, const char *s, size_t len)
{
	if (o->curlen + len > o->curcap) {
		o->curcap = (o->curlen + len) * 2;
		if (o->curcap < 128)
			o->curcap = 128;
		o->cur = xrealloc(o->cur, o->curcap);
	}
	memcpy(o->cur + o->curlen, s, len);
	o->curlen += len;
}

/* End the current line and push it into the ring. */
static void
output_newline(struct output *o)
{
	size_t	slot;

	size_t	need = o->curlen + 1;

	if (o->n == o->max) {
		o->first = (o->first + 1) % o->max;
		o->n--;
		o->dropped++;
	}
	slot = (o->first + o->n) % o->max;
	/* The slot's buffer, grown, or shrunk when far too large. */
	if (o->caps[slot] < need ||
	    (o->caps[slot] > 256 && o->caps[slot] > 4 * need)) {
		o->caps[slot] = need < 128 ? 128 : need;
		o->lines[slot] = xrealloc(o->lines[slot], o->caps[slot]);
	}
	if (o->curlen > 0)
		memcpy(o->lines[slot], o->cur, o->curlen);
	o->lines[slot][o->curlen] = '\0';
	o->lens[slot] = o->curlen;
	o->n++;
	o->curlen = 0;
}

/* Remove the last character (and any SGR right after it stays). */
static void
output_backspace(struct output *o)
{
	while (o->curlen > 0) {
		o->curlen--;
		if (((unsigned char)o->cur[o->curlen] & 0xc0) != 0x80)
			break;
	}
}

/*
 * The end of the run of plain text (no control character but tab, no
 * DEL) in buf[i, lim): eight bytes at a time while none of them is below
 * 0x20 or 0x7f (the classic "has a byte less than n" word tests).
 */
static size_t
output_plain(const char *buf, size_t i, size_t lim)
{
	const uint64_t	ones = 0x0101010101010101ULL;
	const uint64_t	highs = 0x8080808080808080ULL;
	uint64_t	w, x;
	unsigned char	c;

	while (i < lim) {
		if (i + 8 <= lim) {
			memcpy(&w, buf + i, 8);
			x = w ^ (ones * 0x7f);	/* DEL is now a zero byte */
			if (((((w - ones * 0x20) & ~w) | ((x - ones) & ~x)) &
			    highs) == 0) {
				i += 8;
				continue;
			}
		}
		/* One byte (a tab, or a false alarm), then words again. */
		c = (unsigned char)buf[i];
		if ((c < 0x20 && c != '\t') || c == 0x7f)
			break;
		i++;
	}
	return (i);
}

void
output_feed(struct output *o, const char *buf, size_t len)
{
	size_t		i, j, lim;
	unsigned char	c;

	for (i = 0; i < len; i++) {
		/* A run of plain text, short of the longest line: whole. */
		if (o->state == OS_TEXT && !o->cr &&
		    o->curlen + 1 < OUTPUT_MAX_LINE) {
			lim = len - i;
			if (lim > OUTPUT_MAX_LINE - 1 - o->curlen)
				lim = OUTPUT_MAX_LINE - 1 - o->curlen;
			lim += i;
			j = output_plain(buf, i, lim);
			if (j > i) {
				output_add(o, buf + i, j - i);
				i = j - 1;
				continue;
			}
		}
		c = (unsigned char)buf[i];
		if (o->cr) {
			/* CR LF is a newline even across two reads. */
			o->cr = 0;
			if (c != '\n' && o->state == OS_TEXT)
				o->curlen = 0;	/* a lone CR restarts */
		}
		switch (o->state) {
		case OS_TEXT:
			if (c == 0x1b) {
				o->state = OS_ESC;
				o->esclen = 0;
			} else if (c == '\n')
				output_newline(o);
			else if (c == '\r')
				o->cr = 1;	/* decided by the next byte */
			else if (c == '\b')
				output_backspace(o);
			else if (c == '\t' || c >= 0x20) {
				if (c == 0x7f)
					continue;
				output_add(o, (const char *)&buf[i], 1);
				if (o->curlen >= OUTPUT_MAX_LINE &&
				    (c & 0xc0) != 0xc0)
					output_newline(o);
			}
			/* Other C0 controls are dropped. */
			break;
		case OS_ESC:
			if (c == '[') {
				o->state = OS_CSI;
				o->esclen = 0;
			} else if (c == ']' || c == 'P' || c == '_' ||
			    c == '^' || c == 'X')
				o->state = OS_STRING;
			else
				o->state = OS_TEXT;	/* ESC x: dropped */
			break;
		case OS_CSI:
			if (o->esclen < OUTPUT_MAX_ESC - 1)
				o->esc[o->esclen++] = (char)c;
			if (c >= 0x40 && c <= 0x7e) {
				/* Final byte: keep plain SGR only. */
				if (c == 'm' && o->esclen < OUTPUT_MAX_ESC - 1 &&
				    strspn(o->esc, "0123456789;") ==
				    o->esclen - 1) {
					output_add(o, "\033[", 2);
					output_add(o, o->esc, o->esclen);
				}
				o->state = OS_TEXT;
			} else if (c < 0x20 || c > 0x7e)
				o->state = OS_TEXT;	/* malformed */
			break;
		case OS_STRING:
			if (c == 0x07)
				o->state = OS_TEXT;
			else if (c == 0x1b)
				o->state = OS_STRING_ESC;
			break;
		case OS_STRING_ESC:
			o->state = c == '\\' ? OS_TEXT : OS_STRING;
			break;
		}
	}
}

/* At the end of a command: a last line without newline is kept. */
void
output_flush(struct output *o)
{
	o->cr = 0;
	if (o->curlen > 0)
		output_newline(o);
	o->state = OS_TEXT;
}

/* Lines kept, including the one being built. */
size_t
output_lines(const struct output *o)
{
	return (o->n + (o->curlen > 0 ? 1 : 0));
}

/* Line i (0 = oldest kept); the partial line last. */
const char *
output_line(const struct output *o, size_t i, size_t *len)
{
	size_t	slot;

	if (i >= o->n) {
		*len = o->curlen;
		return (o->cur != NULL ? o->cur : "");
	}
	slot = (o->first + i) % o->max;
	*len = o->lens[slot];
	return (o->lines[slot]);
}

uint64_t
output_dropped(const struct output *o)
{
	return (o->dropped);
}

/* A copy of a kept line without its SGR sequences; caller frees. */
char *
output_strip(const char *s, size_t len)
{
	char	*out = xmalloc(len + 1), *p = out;
	size_t	 i = 0;

	while (i < len) {
		if (s[i] == 0x1b && i + 1 < len && s[i + 1] == '[') {
			i += 2;
			while (i < len && s[i] != 'm')
				i++;
			i++;
			continue;
		}
		*p++ = s[i++];
	}
	*p = '\0';
	return (out);
}

/*
 * Apply the SGR sequence at s (len bytes, starting with ESC [) to st.
 * Returns the bytes it takes, 0 when s does not start with one.
 */
size_t
output_sgr(const char *s, size_t len, struct output_style *st)
{
	size_t	i = 2, end;
	long	v[32];
	int	n = 0, k;

	if (len < 3 || s[0] != 0x1b || s[1] != '[')
		return (0);
	for (end = 2; end < len && s[end] != 'm'; end++)
		;
	if (end == len)
		return (0);
	while (i < end && n < 32) {
		v[n] = 0;
		while (i < end && s[i] >= '0' && s[i] <= '9')
			v[n] = v[n] * 10 + (s[i++] - '0');
		n++;
		if (i < end && s[i] == ';')
			i++;
	}
	if (n == 0)
		v[n++] = 0;
	for (k = 0; k < n; k++) {
		switch (v[k]) {
		case 0:
			memset(st, 0, sizeof *st);
			st->fg = st->bg = -1;
			break;
		case 1:
			st->bold = 1;
			break;
		case 2:
			st->dim = 1;
			break;
		case 4:
			st->underline = 1;
			break;
		case 7:
			st->reverse = 1;
			break;
		case 22:
			st->bold = st->dim = 0;
			break;
		case 24:
			st->underline = 0;
			break;
		case 27:
			st->reverse = 0;
			break;
		case 39:
			st->fg = -1;
			break;
		case 49:
			st->bg = -1;
			break;
		case 38:
		case 48:
			if (k + 2 < n && v[k + 1] == 5) {
				if (v[k] == 38)
					st->fg = (short)(v[k + 2] & 0xff);
				else
					st->bg = (short)(v[k + 2] & 0xff);
				k += 2;
			} else if (k + 4 < n && v[k + 1] == 2)
				k += 4;		/* truecolour: ignored */
			break;
		default:
			if (v[k] >= 30 && v[k] <= 37)
				st->fg = (short)(v[k] - 30);
			else if (v[k] >= 40 && v[k] <= 47)
				st->bg = (short)(v[k] - 40);
			else if (v[k] >= 90 && v[k] <= 97)
				st->fg = (short)(v[k] - 90 + 8);
			else if (v[k] >= 100 && v[k] <= 107)
				st->bg = (short)(v[k] - 100 + 8);
			break;
		}
	}
	return (end + 1);
}
