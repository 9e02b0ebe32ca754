/*
 * The report as one self-contained HTML file.
 *
 * Inline CSS only (with a print style), no scripts and nothing fetched:
 * a Content-Security-Policy says so to the browser as well.  Every
 * string from the timeline is escaped (& < > " ') and its control
 * characters shown as U+FFFD, so a note or a command's output can never
 * become markup.  Reads the export_report only.  The sections are
 * written by export-fmt.c; here are the page around them and the markup.
 */

#include <stdlib.h>
#include <string.h>

#include "export.h"
#include "export-fmt.h"
#include "xmalloc.h"

static const char export_html_style[] =
	"body{font:15px/1.45 system-ui,-apple-system,'Segoe UI',sans-serif;"
	"color:#1b1f24;margin:2em auto;max-width:72em;padding:0 1em}"
	"h1{font-size:1.6em;margin-bottom:.3em}"
	"h2{font-size:1.25em;border-bottom:1px solid #d0d7de;"
	"padding-bottom:.2em;margin-top:1.8em}"
	"h3{font-size:1.05em;margin-bottom:.4em}"
	"table{border-collapse:collapse;margin:.5em 0 1em;width:100%}"
	"th,td{border:1px solid #d0d7de;padding:.25em .5em;text-align:left;"
	"vertical-align:top}"
	"th{background:#f3f5f7}"
	"table.facts{width:auto}table.facts th{width:11em}"
	"td.num,td.off{white-space:nowrap;font-variant-numeric:tabular-nums}"
	"code,pre{font:13px/1.4 ui-monospace,'DejaVu Sans Mono',monospace}"
	"pre{background:#f6f8fa;border:1px solid #d0d7de;padding:.6em;"
	"overflow-x:auto;white-space:pre-wrap;word-break:break-all}"
	".bad{color:#b3261e;font-weight:bold}.good{color:#1a7f37}"
	".muted{color:#57606a}"
	"ul.check{list-style:none;padding-left:.5em}"
	"@media print{body{margin:0;max-width:none;font-size:10.5pt}"
	"h2{break-after:avoid}tr,pre,li{break-inside:avoid}"
	"thead{display:table-header-group}"
	"pre{white-space:pre-wrap;border-color:#999}"
	"th{background:#eee}a{color:inherit}}";

/* s escaped for HTML text and attributes; control characters shown. */
static void
export_html_text(FILE *f, const char *s)
{
	unsigned char	c;
	size_t		i;

	if (s == NULL)
		return;
	for (i = 0; s[i] != '\0'; i++) {
		c = (unsigned char)s[i];
		switch (c) {
		case '&':
			fputs("&amp;", f);
			break;
		case '<':
			fputs("&lt;", f);
			break;
		case '>':
			fputs("&gt;", f);
			break;
		case '"':
			fputs("&quot;", f);
			break;
		case '\'':
			fputs("&#39;", f);
			break;
		case '\n':
		case '\t':
			putc(c, f);
			break;
		default:
			if (c == 0xc2 && (unsigned char)s[i + 1] >= 0x80 &&
			    (unsigned char)s[i + 1] <= 0x9f) {
				fputs("&#xfffd;", f);
				i++;
			} else if (c < 0x20 || c == 0x7f)
				fputs("&#xfffd;", f);
			else
				putc(c, f);
			break;
		}
	}
}

/* Text whose newlines are line breaks. */
static void
export_html_lines(FILE *f, const char *s)
{
	const char	*nl;
	char		*line;

	while (s != NULL && (nl = strchr(s, '\n')) != NULL) {
		line = xstrndup(s, (size_t)(nl - s));
		export_html_text(f, line);
		free(line);
		fputs("<br>", f);
		s = nl + 1;
	}
	export_html_text(f, s);
}

/* The class of a mark, or NULL. */
static const char *
export_html_class(enum export_mark m)
{
	switch (m) {
	case EXPORT_MARK_GOOD:
		return ("good");
	case EXPORT_MARK_BAD:
	case EXPORT_MARK_ALARM:
		return ("bad");
	case EXPORT_MARK_MUTED:
		return ("muted");
	case EXPORT_MARK_NUM:
		return ("num");
	case EXPORT_MARK_OFF:
		return ("off");
	default:
		return (NULL);
	}
}

/* The document head: no scripts, nothing fetched, the style inline. */
static void
export_html_start(const struct export_report *rep, FILE *f)
{
	fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n"
	    "<meta charset=\"utf-8\">\n"
	    "<meta http-equiv=\"Content-Security-Policy\" content=\""
	    "default-src 'none'; style-src 'unsafe-inline'\">\n"
	    "<meta name=\"viewport\" content=\"width=device-width\">\n"
	    "<meta name=\"generator\" content=\"rbnav\">\n<title>", f);
	fputs("Incident report: ", f);
	export_html_text(f, rep->title);
	fprintf(f, "</title>\n<style>%s</style>\n</head>\n<body>\n",
	    export_html_style);
}

/* Inline code. */
static void
export_html_code(FILE *f, const char *s)
{
	fputs("<code>", f);
	export_html_text(f, s);
	fputs("</code>", f);
}

/* Lines in a preformatted block; HTML has no info string. */
static void
export_html_pre(FILE *f, const char *info, const char *const *lines,
    size_t n)
{
	size_t	i;

	(void)info;
	fputs("<pre>", f);
	for (i = 0; i < n; i++) {
		export_html_text(f, lines[i]);
		if (i + 1 < n)
			putc('\n', f);
	}
	fputs("</pre>\n", f);
}

/* A span with the class of a mark, or a strong label. */
static void
export_html_mark_start(FILE *f, enum export_mark m)
{
	const char	*class = export_html_class(m);

	if (m == EXPORT_MARK_STRONG)
		fputs("<strong>", f);
	else if (class != NULL)
		fprintf(f, "<span class=\"%s\">", class);
}

/* The end of export_html_mark_start. */
static void
export_html_mark_end(FILE *f, enum export_mark m)
{
	if (m == EXPORT_MARK_STRONG)
		fputs("</strong>", f);
	else if (export_html_class(m) != NULL)
		fputs("</span>", f);
}

/* <h2> for a heading of level 2. */
static void
export_html_heading_start(FILE *f, int level)
{
	fprintf(f, "<h%d>", level);
}

/* The end of export_html_heading_start. */
static void
export_html_heading_end(FILE *f, int level)
{
	fprintf(f, "</h%d>\n", level);
}

/* The name of a fact and the start of its value. */
static void
export_html_fact_start(FILE *f, const char *name)
{
	fprintf(f, "<tr><th>%s</th><td>", name);
}

/* A table and its head, up to the start of its body. */
static void
export_html_table_start(FILE *f, const char *const *cols)
{
	size_t	i;

	fputs("<table>\n<thead><tr>", f);
	for (i = 0; cols[i] != NULL; i++)
		fprintf(f, "<th>%s</th>", cols[i]);
	fputs("</tr></thead>\n<tbody>\n", f);
}

/* A cell, with the class of its mark. */
static void
export_html_cell_start(FILE *f, enum export_mark m)
{
	const char	*class = export_html_class(m);

	if (class != NULL)
		fprintf(f, "<td class=\"%s\">", class);
	else
		fputs("<td>", f);
}

/* A cell that starts with a word: the cell has the word's class. */
static void
export_html_cell_word(FILE *f, enum export_mark m, const char *word)
{
	export_html_cell_start(f, m);
	export_html_text(f, word);
}

static const struct export_fmt export_html_fmt = {
	.start = export_html_start,
	.end = "</body>\n</html>\n",
	.text = export_html_text,
	.lines = export_html_lines,
	.code = export_html_code,
	.block = export_html_pre,
	.mark_start = export_html_mark_start,
	.mark_end = export_html_mark_end,
	.heading_start = export_html_heading_start,
	.heading_end = export_html_heading_end,
	.para_start = "<p>",
	.para_end = "</p>\n",
	.list_start = "<ul>\n",
	.checklist_start = "<ul class=\"check\">\n",
	.list_end = "</ul>\n",
	.item_start = "<li>",
	.item_end = "</li>\n",
	.check_done = "&#x2611; ",
	.check_open = "&#x2610; ",
	.facts_start = "<table class=\"facts\">\n",
	.fact_start = export_html_fact_start,
	.fact_end = "</td></tr>\n",
	.facts_end = "</table>\n",
	.table_start = export_html_table_start,
	.row_start = "<tr>",
	.cell_start = export_html_cell_start,
	.cell_word = export_html_cell_word,
	.cell_end = "</td>",
	.row_end = "</tr>\n",
	.table_end = "</tbody>\n</table>\n"
};

/* The whole report (export_ops.write). */
static int
export_html_write(const struct export_report *rep, FILE *f)
{
	return (export_fmt_write(&export_html_fmt, rep, f));
}

const struct export_ops export_html_ops = {
	"html", "html", export_html_write
};
