/*
 * The report as Markdown (CommonMark with GitHub tables and task lists).
 *
 * Everything that comes from the timeline is text, never markup: in
 * prose and table cells every character Markdown could read as syntax is
 * escaped (a pipe too, so a cell cannot be split), a newline becomes
 * <br>, and control characters become U+FFFD; commands and output go in
 * code fences longer than any run of backticks inside them.  The report
 * reads the export_report only; it was redacted when it was built.  The
 * sections are written by export-fmt.c; here is only their markup.
 */

#include <string.h>

#include "export.h"
#include "export-fmt.h"

/* Write one byte of s at *i, or U+FFFD for a control character. */
static void
export_md_byte(FILE *f, const char *s, size_t *i)
{
	unsigned char	c = (unsigned char)s[*i];

	if (c == 0xc2 && (unsigned char)s[*i + 1] >= 0x80 &&
	    (unsigned char)s[*i + 1] <= 0x9f) {
		/* A C1 control character, two bytes in UTF-8. */
		fputs("\xef\xbf\xbd", f);
		(*i)++;
	} else if (c == '\t')
		putc(' ', f);
	else if (c < 0x20 || c == 0x7f)
		fputs("\xef\xbf\xbd", f);
	else
		putc(c, f);
}

/* Text as Markdown text: on one line, nothing in it is syntax. */
static void
export_md_text(FILE *f, const char *s)
{
	size_t	i;

	if (s == NULL)
		return;
	for (i = 0; s[i] != '\0'; i++) {
		switch (s[i]) {
		case '\n':
			fputs("<br>", f);
			break;
		case '\r':
			break;
		case '\\': case '`': case '*': case '_': case '[': case ']':
		case '#': case '~': case '|': case '!': case '$':
			putc('\\', f);
			putc(s[i], f);
			break;
		case '<':
			fputs("&lt;", f);
			break;
		case '>':
			fputs("&gt;", f);
			break;
		case '&':
			fputs("&amp;", f);
			break;
		default:
			export_md_byte(f, s, &i);
			break;
		}
	}
}

/* The longest run of backticks in s. */
static size_t
export_md_ticks(const char *s)
{
	size_t	run = 0, best = 0;

	for (; s != NULL && *s != '\0'; s++) {
		run = *s == '`' ? run + 1 : 0;
		if (run > best)
			best = run;
	}
	return (best);
}

/* c, n times. */
static void
export_md_repeat(FILE *f, char c, size_t n)
{
	while (n-- > 0)
		putc(c, f);
}

/* An inline code span, its delimiter longer than any run inside. */
static void
export_md_code(FILE *f, const char *s)
{
	size_t	n = export_md_ticks(s) + 1, i, len = strlen(s);
	int	pad = len > 0 && (s[0] == '`' || s[len - 1] == '`' ||
		    s[0] == ' ');

	export_md_repeat(f, '`', n);
	if (pad)
		putc(' ', f);
	for (i = 0; i < len; i++) {
		if (s[i] == '\n' || s[i] == '\r')
			putc(' ', f);
		else
			export_md_byte(f, s, &i);
	}
	if (pad)
		putc(' ', f);
	export_md_repeat(f, '`', n);
}

/* Lines in a fenced code block whose fence no line can close. */
static void
export_md_fence(FILE *f, const char *info, const char *const *lines, size_t n)
{
	size_t	i, k, ticks = 2, t;

	for (i = 0; i < n; i++) {
		if ((t = export_md_ticks(lines[i])) > ticks)
			ticks = t;
	}
	export_md_repeat(f, '`', ticks + 1);
	fprintf(f, "%s\n", info);
	for (i = 0; i < n; i++) {
		for (k = 0; lines[i][k] != '\0'; k++) {
			if (lines[i][k] == '\n')
				putc('\n', f);
			else if (lines[i][k] != '\r')
				export_md_byte(f, lines[i], &k);
		}
		putc('\n', f);
	}
	export_md_repeat(f, '`', ticks + 1);
	fputs("\n\n", f);
}

/* Bold for a label and for what HTML would show in red and bold. */
static void
export_md_mark(FILE *f, enum export_mark m)
{
	if (m == EXPORT_MARK_STRONG || m == EXPORT_MARK_ALARM)
		fputs("**", f);
}

/* "## " for a heading of level 2. */
static void
export_md_heading_start(FILE *f, int level)
{
	export_md_repeat(f, '#', (size_t)level);
	putc(' ', f);
}

/* The end of a heading: a blank line. */
static void
export_md_heading_end(FILE *f, int level)
{
	(void)level;
	fputs("\n\n", f);
}

/* The name of a fact and the start of its value. */
static void
export_md_fact_start(FILE *f, const char *name)
{
	fprintf(f, "| %s | ", name);
}

/* A table's header row and its delimiter row. */
static void
export_md_table_start(FILE *f, const char *const *cols)
{
	size_t	i;

	putc('|', f);
	for (i = 0; cols[i] != NULL; i++)
		fprintf(f, " %s |", cols[i]);
	fputs("\n|", f);
	for (i = 0; cols[i] != NULL; i++)
		fputs("---|", f);
	putc('\n', f);
}

/* A cell; Markdown has no classes. */
static void
export_md_cell_start(FILE *f, enum export_mark m)
{
	(void)m;
	putc(' ', f);
}

/* A cell that starts with a word, bold if it is an alarm. */
static void
export_md_cell_word(FILE *f, enum export_mark m, const char *word)
{
	putc(' ', f);
	export_md_mark(f, m);
	export_md_text(f, word);
	export_md_mark(f, m);
}

static const struct export_fmt export_md_fmt = {
	.start = NULL,
	.end = "",
	.text = export_md_text,
	.lines = export_md_text,
	.code = export_md_code,
	.block = export_md_fence,
	.mark_start = export_md_mark,
	.mark_end = export_md_mark,
	.heading_start = export_md_heading_start,
	.heading_end = export_md_heading_end,
	.para_start = "",
	.para_end = "\n\n",
	.list_start = "",
	.checklist_start = "",
	.list_end = "\n",
	.item_start = "- ",
	.item_end = "\n",
	.check_done = "[x] ",
	.check_open = "[ ] ",
	.facts_start = "| | |\n|---|---|\n",
	.fact_start = export_md_fact_start,
	.fact_end = " |\n",
	.facts_end = "\n",
	.table_start = export_md_table_start,
	.row_start = "|",
	.cell_start = export_md_cell_start,
	.cell_word = export_md_cell_word,
	.cell_end = " |",
	.row_end = "\n",
	.table_end = "\n"
};

/* The whole report (export_ops.write). */
static int
export_md_write(const struct export_report *rep, FILE *f)
{
	return (export_fmt_write(&export_md_fmt, rep, f));
}

const struct export_ops export_md_ops = {
	"md", "md", export_md_write
};
