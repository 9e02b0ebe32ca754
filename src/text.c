/*
 * Text for a terminal.
 *
 * Runbooks and command output are untrusted text: they may hold invalid
 * UTF-8, wide characters, combining marks and escape sequences that would
 * move the cursor, set the title or write the clipboard.  Everything that
 * is drawn first goes through text_clean, and every width is measured
 * here with wcwidth on decoded code points, so that nothing overflows the
 * pane it is drawn in.  No curses here: the functions are pure.
 */

#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "text.h"
#include "xmalloc.h"

#define TEXT_BAD	0xfffd	/* U+FFFD REPLACEMENT CHARACTER */

/*
 * Decode one UTF-8 sequence at s (at most len bytes).  Returns the bytes
 * used (at least 1 when len > 0) and sets *cp; an invalid or cut
 * sequence gives U+FFFD for one byte.
 */
size_t
text_decode(const char *s, size_t len, uint32_t *cp)
{
	const unsigned char	*p = (const unsigned char *)s;
	uint32_t		 c;
	size_t			 n, i;

	if (len == 0) {
		*cp = 0;
		return (0);
	}
	if (p[0] < 0x80) {
		*cp = p[0];
		return (1);
	}
	if (p[0] >= 0xc2 && p[0] <= 0xdf) {
		n = 2;
		c = p[0] & 0x1f;
	} else if (p[0] >= 0xe0 && p[0] <= 0xef) {
		n = 3;
		c = p[0] & 0x0f;
	} else if (p[0] >= 0xf0 && p[0] <= 0xf4) {
		n = 4;
		c = p[0] & 0x07;
	} else {
		*cp = TEXT_BAD;
		return (1);
	}
	if (len < n) {
		*cp = TEXT_BAD;
		return (1);
	}
	for (i = 1; i < n; i++) {
		if ((p[i] & 0xc0) != 0x80) {
			*cp = TEXT_BAD;
			return (1);
		}
		c = (c << 6) | (p[i] & 0x3f);
	}
	/* Overlong forms, surrogates and code points past U+10FFFF. */
	if ((n == 3 && c < 0x800) || (n == 4 && c < 0x10000) ||
	    (c >= 0xd800 && c <= 0xdfff) || c > 0x10ffff) {
		*cp = TEXT_BAD;
		return (1);
	}
	*cp = c;
	return (n);
}

/* Columns taken by one code point: 0 (combining), 1 or 2. */
int
text_cpwidth(uint32_t cp)
{
	int	w;

	/* ASCII; and controls, which text_clean shows as a placeholder. */
	if (cp < 0xa0)
		return (1);
	w = wcwidth((wchar_t)cp);
	if (w < 0)
		return (1);
	return (w);
}

/* Display width of len bytes of s. */
int
text_nwidth(const char *s, size_t len)
{
	uint32_t	cp;
	size_t		n;
	int		w = 0;

	while (len > 0) {
		n = text_decode(s, len, &cp);
		w += text_cpwidth(cp);
		s += n;
		len -= n;
	}
	return (w);
}

int
text_width(const char *s)
{
	return (text_nwidth(s, strlen(s)));
}

/*
 * How many bytes of s fit in width columns, never splitting a character
 * and keeping combining marks with their base.  Sets *used (if not NULL)
 * to the columns those bytes take.
 */
size_t
text_clip(const char *s, int width, int *used)
{
	size_t		len = strlen(s), off = 0, n;
	uint32_t	cp;
	int		w = 0, cw;

	while (off < len) {
		n = text_decode(s + off, len - off, &cp);
		cw = text_cpwidth(cp);
		if (w + cw > width)
			break;
		w += cw;
		off += n;
	}
	if (used != NULL)
		*used = w;
	return (off);
}

/*
 * A copy of len bytes of s that is safe to draw: valid UTF-8, tabs as
 * spaces to the next multiple of 8, every other control character and
 * every escape sequence replaced by a visible placeholder, so that text
 * can never drive the terminal.  Newlines are kept.  Caller frees.
 */
char *
text_clean(const char *s, size_t len)
{
	char		*out, *o;
	size_t		 off = 0, n, col = 0;
	uint32_t	 cp;

	/* Worst case: every byte becomes U+FFFD (3 bytes) or a tab 8. */
	out = o = xmalloc(len * 8 + 1);
	while (off < len) {
		n = text_decode(s + off, len - off, &cp);
		off += n;
		if (cp == '\n') {
			*o++ = '\n';
			col = 0;
			continue;
		}
		if (cp == '\t') {
			do {
				*o++ = ' ';
				col++;
			} while (col % 8 != 0);
			continue;
		}
		if (cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp < 0xa0) ||
		    cp == TEXT_BAD) {
			/* U+FFFD for anything that could reach the tty. */
			cp = TEXT_BAD;
		}
		if (cp < 0x80)
			*o++ = (char)cp;
		else if (cp < 0x800) {
			*o++ = (char)(0xc0 | (cp >> 6));
			*o++ = (char)(0x80 | (cp & 0x3f));
		} else if (cp < 0x10000) {
			*o++ = (char)(0xe0 | (cp >> 12));
			*o++ = (char)(0x80 | ((cp >> 6) & 0x3f));
			*o++ = (char)(0x80 | (cp & 0x3f));
		} else {
			*o++ = (char)(0xf0 | (cp >> 18));
			*o++ = (char)(0x80 | ((cp >> 12) & 0x3f));
			*o++ = (char)(0x80 | ((cp >> 6) & 0x3f));
			*o++ = (char)(0x80 | (cp & 0x3f));
		}
		col += (size_t)text_cpwidth(cp);
	}
	*o = '\0';
	return (out);
}

/*
 * Word-wrap s (no newlines in it expected; a newline also breaks) into
 * lines of at most width columns.  Fills starts[] with the byte offset of
 * each line (at most max) and returns the number of lines.  Lines end at
 * the next line's start; trailing spaces belong to the line they end.
 */
size_t
text_wrap(const char *s, int width, size_t *starts, size_t max)
{
	size_t		len = strlen(s), off = 0, line = 0, n, brk, next;
	uint32_t	cp;
	int		w, cw;

	if (width < 1)
		width = 1;
	while (off < len && line < max) {
		starts[line++] = off;
		w = 0;
		brk = 0;
		next = off;
		while (next < len) {
			n = text_decode(s + next, len - next, &cp);
			if (cp == '\n') {
				next += n;
				brk = 0;
				goto done;
			}
			cw = text_cpwidth(cp);
			if (w + cw > width)
				break;
			w += cw;
			next += n;
			if (cp == ' ')
				brk = next;
		}
		if (next < len && brk > off)
			next = brk;
		else if (next == off)
			next += text_decode(s + off, len - off, &cp);
done:
		off = next;
	}
	if (line == 0 && max > 0)
		starts[line++] = 0;
	return (line);
}
