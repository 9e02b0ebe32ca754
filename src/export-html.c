/*
 * The report as one self-contained HTML file.
 *
 * Inline CSS only (with a print style), no scripts and nothing fetched:
 * a Content-Security-Policy says so to the browser as well.  Every
 * string from the timeline is escaped (& < > " ') and its control
 * characters shown as U+FFFD, so a note or a command's output can never
 * become markup.  Reads the export_report only.
 */

#include <stdlib.h>
#include <string.h>

#include "export.h"
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

/* Text in a cell. */
static void
export_html_cell(FILE *f, const char *s)
{
	fputs("<td>", f);
	export_html_lines(f, s);
	fputs("</td>", f);
}

/* The offset of a row in its own cell. */
static void
export_html_offset(FILE *f, const struct export_report *rep,
    const struct export_row *row)
{
	char	*s = export_offset(rep, row != NULL ? row->t : -1);

	fprintf(f, "<td class=\"off\">%s</td>", s);
	free(s);
}

/* The UTC time of a row, as text. */
static void
export_html_utc(FILE *f, const struct export_row *row)
{
	char	*s;

	if (row == NULL || row->ts == NULL)
		return;
	s = export_utc(row->ts);
	export_html_text(f, s);
	free(s);
}

/* One row of the facts table; nothing when there is no value. */
static void
export_html_fact(FILE *f, const char *name, const char *value)
{
	if (value == NULL || *value == '\0')
		return;
	fprintf(f, "<tr><th>%s</th>", name);
	export_html_cell(f, value);
	fputs("</tr>\n", f);
}

/* The document head, the title and the facts of the incident. */
static void
export_html_header(const struct export_report *rep, FILE *f)
{
	char	*s;
	size_t	 i;

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
	fputs("<h1>Incident report: ", f);
	export_html_text(f, rep->title);
	fputs("</h1>\n<table class=\"facts\">\n", f);
	export_html_fact(f, "Incident", rep->id);
	s = rep->drill != NULL ? xprintf("%s (drill %s)", rep->mode != NULL ?
	    rep->mode : "drill", rep->drill) : xstrdup(rep->mode != NULL ?
	    rep->mode : "live");
	export_html_fact(f, "Mode", s);
	free(s);
	if (rep->runbook != NULL) {
		s = rep->scenario != NULL ? xprintf("%s, scenario %s",
		    rep->runbook, rep->scenario) : xstrdup(rep->runbook);
		export_html_fact(f, "Runbook", s);
		free(s);
	}
	export_html_fact(f, "Runbook SHA-256", rep->runbook_sha256);
	export_html_fact(f, "Host", rep->host);
	fputs("<tr><th>Operators</th><td>", f);
	for (i = 0; i < rep->noperators; i++) {
		if (i > 0)
			fputs(", ", f);
		export_html_text(f, rep->operators[i]);
	}
	fputs("</td></tr>\n<tr><th>Start (UTC)</th><td>", f);
	export_html_utc(f, rep->start);
	fputs("</td></tr>\n<tr><th>End (UTC)</th><td>", f);
	if (rep->end != NULL)
		export_html_utc(f, rep->end);
	else
		fputs("<span class=\"bad\">still open</span>", f);
	fputs("</td></tr>\n", f);
	if (rep->duration_ms >= 0) {
		s = export_duration(rep->duration_ms);
		export_html_fact(f, "Duration", s);
		free(s);
	}
	export_html_fact(f, "Outcome", rep->outcome);
	fputs("</table>\n", f);
	if (rep->summary != NULL && *rep->summary != '\0') {
		fputs("<p><strong>Summary:</strong> ", f);
		export_html_lines(f, rep->summary);
		fputs("</p>\n", f);
	}
}

/* A cell with the UTC time of a row and its offset. */
static void
export_html_when(FILE *f, const struct export_report *rep,
    const struct export_row *row)
{
	char	*s = export_offset(rep, row->t);

	fputs("<td class=\"num\">", f);
	export_html_utc(f, row);
	fprintf(f, " <span class=\"muted\">(%s)</span></td>", s);
	free(s);
}

/* Impact: one row per outage of each system, with its RTO. */
static void
export_html_impact(const struct export_report *rep, FILE *f)
{
	const struct export_system	*sys;
	const struct export_outage	*o;
	char				*s;
	size_t				 i, k;

	fputs("<h2>Impact</h2>\n", f);
	if (rep->nsystems == 0) {
		fputs("<p>No system checks were recorded.</p>\n", f);
		return;
	}
	fputs("<table>\n<thead><tr><th>System</th><th>State</th>"
	    "<th>Down (UTC)</th><th>Up (UTC)</th><th>Recovery</th>"
	    "<th>RTO</th></tr></thead>\n<tbody>\n", f);
	for (i = 0; i < rep->nsystems; i++) {
		sys = &rep->systems[i];
		for (k = 0; k == 0 || k < sys->noutages; k++) {
			o = k < sys->noutages ? &sys->outages[k] : NULL;
			fputs("<tr>", f);
			export_html_cell(f, sys->name);
			if (o != NULL && o->detail != NULL)
				s = xprintf("%s (%s)", o->state, o->detail);
			else
				s = xstrdup(o != NULL ? o->state :
				    sys->last != NULL ? sys->last : "");
			export_html_cell(f, s);
			free(s);
			if (o != NULL)
				export_html_when(f, rep, o->down);
			else
				fputs("<td></td>", f);
			if (o != NULL && o->up != NULL)
				export_html_when(f, rep, o->up);
			else if (o != NULL)
				fputs("<td class=\"bad\">not back up</td>", f);
			else
				fputs("<td></td>", f);
			if (o != NULL && o->up != NULL && o->up->t >= 0 &&
			    o->down->t >= 0) {
				s = export_duration(o->up->t - o->down->t);
				fprintf(f, "<td class=\"num\">%s</td>", s);
				free(s);
			} else
				fputs("<td></td>", f);
			if (k == 0 && sys->rto >= 0) {
				s = export_duration(sys->rto_ms);
				fprintf(f, "<td class=\"%s\">%s%s%s%s</td>",
				    sys->rto ? "good" : "bad",
				    sys->rto ? "met" : "missed",
				    *s ? " (" : "", s, *s ? ")" : "");
				free(s);
			} else
				fputs("<td></td>", f);
			fputs("</tr>\n", f);
		}
	}
	fputs("</tbody>\n</table>\n", f);
}

/* Every event, one row each. */
static void
export_html_timeline(const struct export_report *rep, FILE *f)
{
	const struct export_row	*row;
	size_t			 i;

	fputs("<h2>Timeline</h2>\n<table>\n<thead><tr><th>Offset</th>"
	    "<th>Time (UTC)</th><th>Operator</th><th>Event</th>"
	    "<th>Details</th></tr></thead>\n<tbody>\n", f);
	for (i = 0; i < rep->nrows; i++) {
		row = &rep->rows[i];
		fputs("<tr>", f);
		export_html_offset(f, rep, row);
		fputs("<td class=\"num\">", f);
		export_html_utc(f, row);
		fputs("</td>", f);
		export_html_cell(f, row->op);
		export_html_cell(f, row->type);
		export_html_cell(f, row->text);
		fputs("</tr>\n", f);
	}
	fputs("</tbody>\n</table>\n", f);
}

/* Lines in a preformatted block. */
static void
export_html_pre(FILE *f, const char *const *lines, size_t n)
{
	size_t	i;

	fputs("<pre>", f);
	for (i = 0; i < n; i++) {
		export_html_text(f, lines[i]);
		if (i + 1 < n)
			putc('\n', f);
	}
	fputs("</pre>\n", f);
}

/* Each command: where, who, the result, the command, the output tail. */
static void
export_html_commands(const struct export_report *rep, FILE *f)
{
	const struct export_command	*c;
	char				*s;
	size_t				 i;

	fputs("<h2>Commands</h2>\n", f);
	if (rep->ncommands == 0)
		fputs("<p>No commands were run.</p>\n", f);
	for (i = 0; i < rep->ncommands; i++) {
		c = &rep->commands[i];
		fputs("<h3>Command ", f);
		export_html_text(f, c->cmd);
		if (c->step != NULL) {
			fputs(" (step ", f);
			export_html_text(f, c->step);
			fputs(")", f);
		}
		fputs("</h3>\n<ul>\n", f);
		if (c->start != NULL) {
			s = export_offset(rep, c->start->t);
			fputs("<li>Started: ", f);
			export_html_utc(f, c->start);
			fprintf(f, " (%s) by ", s);
			free(s);
			export_html_text(f, c->start->op);
			fputs(c->simulated ? " (drill: not executed)" : "", f);
			fputs("</li>\n", f);
		}
		fputs("<li>Result: ", f);
		if (c->has_exit)
			fprintf(f, "<span class=\"%s\">exit %lld</span>",
			    c->exit == 0 ? "good" : "bad", (long long)c->exit);
		else if (c->signal != NULL) {
			fputs("<span class=\"bad\">killed by SIG", f);
			export_html_text(f, c->signal);
			fputs("</span>", f);
		} else
			fputs(c->end == NULL ? "no exit recorded" : "unknown",
			    f);
		if (c->ms >= 0) {
			s = export_duration(c->ms);
			fprintf(f, " after %s", s);
			free(s);
		}
		if (c->timeout)
			fputs(", stopped at its timeout", f);
		if (c->cancelled != NULL) {
			fputs(", cancelled (SIG", f);
			export_html_text(f, c->cancelled);
			fputs(")", f);
		}
		if (c->expect != NULL) {
			fputs(", expectation ", f);
			export_html_text(f, c->expect);
		}
		fputs("</li>\n", f);
		if (c->output_file != NULL) {
			fputs("<li>Output: <code>", f);
			export_html_text(f, c->output_file);
			fputs("</code>", f);
			if (c->output_bytes >= 0)
				fprintf(f, " (%lld bytes)",
				    (long long)c->output_bytes);
			fputs("</li>\n", f);
		}
		fputs("</ul>\n", f);
		if (c->command != NULL)
			export_html_pre(f, &c->command, 1);
		if (c->ntail > 0) {
			fprintf(f, "<p>Last %zu line%s of output:</p>\n",
			    c->ntail, c->ntail == 1 ? "" : "s");
			export_html_pre(f, c->tail, c->ntail);
		}
	}
}

/* The decisions and why they were taken. */
static void
export_html_decisions(const struct export_report *rep, FILE *f)
{
	const struct export_decision	*d;
	size_t				 i;

	fputs("<h2>Decisions</h2>\n", f);
	if (rep->ndecisions == 0) {
		fputs("<p>No decisions were recorded.</p>\n", f);
		return;
	}
	fputs("<table>\n<thead><tr><th>Offset</th><th>Operator</th>"
	    "<th>Step</th><th>Choice</th><th>Goes to</th><th>Why</th></tr>"
	    "</thead>\n<tbody>\n", f);
	for (i = 0; i < rep->ndecisions; i++) {
		d = &rep->decisions[i];
		fputs("<tr>", f);
		export_html_offset(f, rep, d->row);
		export_html_cell(f, d->row->op);
		export_html_cell(f, d->step);
		export_html_cell(f, d->choice);
		export_html_cell(f, d->target);
		export_html_cell(f, d->why);
		fputs("</tr>\n", f);
	}
	fputs("</tbody>\n</table>\n", f);
}

/* The notes, in order. */
static void
export_html_notes(const struct export_report *rep, FILE *f)
{
	char	*s;
	size_t	 i;

	fputs("<h2>Notes</h2>\n", f);
	if (rep->nnotes == 0) {
		fputs("<p>No notes.</p>\n", f);
		return;
	}
	fputs("<ul>\n", f);
	for (i = 0; i < rep->nnotes; i++) {
		s = export_offset(rep, rep->notes[i].row->t);
		fprintf(f, "<li><strong>%s</strong> ", s);
		free(s);
		export_html_text(f, rep->notes[i].row->op);
		fputs(": ", f);
		export_html_lines(f, rep->notes[i].text);
		fputs("</li>\n", f);
	}
	fputs("</ul>\n", f);
}

/* The confirmations, and whether the step id was typed right. */
static void
export_html_confirms(const struct export_report *rep, FILE *f)
{
	const struct export_confirm	*c;
	size_t				 i;

	fputs("<h2>Confirmations</h2>\n", f);
	if (rep->nconfirms == 0) {
		fputs("<p>No confirmations.</p>\n", f);
		return;
	}
	fputs("<table>\n<thead><tr><th>Offset</th><th>Operator</th>"
	    "<th>Step</th><th>Answer</th><th>Step id typed</th></tr></thead>"
	    "\n<tbody>\n", f);
	for (i = 0; i < rep->nconfirms; i++) {
		c = &rep->confirms[i];
		fputs("<tr>", f);
		export_html_offset(f, rep, c->row);
		export_html_cell(f, c->row->op);
		export_html_cell(f, c->step);
		export_html_cell(f, c->answer);
		fputs(c->typed < 0 ? "<td></td>" : c->typed ? "<td>right</td>" :
		    "<td class=\"bad\">wrong</td>", f);
		fputs("</tr>\n", f);
	}
	fputs("</tbody>\n</table>\n", f);
}

/* The prerequisites asked, and whether they were in place. */
static void
export_html_prereqs(const struct export_report *rep, FILE *f)
{
	const struct export_prereq	*p;
	size_t				 i;

	fputs("<h2>Prerequisites</h2>\n", f);
	if (rep->nprereqs == 0) {
		fputs("<p>No prerequisites were asked.</p>\n", f);
		return;
	}
	fputs("<table>\n<thead><tr><th>Offset</th><th>Operator</th>"
	    "<th>Scenario</th><th>Prerequisite</th><th>In place</th></tr>"
	    "</thead>\n<tbody>\n", f);
	for (i = 0; i < rep->nprereqs; i++) {
		p = &rep->prereqs[i];
		fputs("<tr>", f);
		export_html_offset(f, rep, p->row);
		export_html_cell(f, p->row->op);
		export_html_cell(f, p->scenario);
		export_html_cell(f, p->item);
		if (p->answer != NULL && strcmp(p->answer, "no") == 0)
			fputs("<td class=\"bad\">no</td>", f);
		else
			export_html_cell(f, p->answer);
		fputs("</tr>\n", f);
	}
	fputs("</tbody>\n</table>\n", f);
}

/* The post-incident checklist of incident.end. */
static void
export_html_checklist(const struct export_report *rep, FILE *f)
{
	size_t	i;

	fputs("<h2>Post-incident checklist</h2>\n", f);
	if (rep->nchecklist == 0) {
		fputs(rep->end != NULL ? "<p>No checklist.</p>\n" :
		    "<p>The incident has not ended.</p>\n", f);
		return;
	}
	fputs("<ul class=\"check\">\n", f);
	for (i = 0; i < rep->nchecklist; i++) {
		fputs(rep->checklist[i].done ? "<li>&#x2611; " :
		    "<li>&#x2610; ", f);
		export_html_text(f, rep->checklist[i].item);
		fputs("</li>\n", f);
	}
	fputs("</ul>\n", f);
}

/* The chain, a torn tail, the head anchor, and the end of the page. */
static void
export_html_integrity(const struct export_report *rep, FILE *f)
{
	fputs("<h2>Integrity</h2>\n<ul>\n", f);
	fprintf(f, "<li>Events: %zu, from <code>", rep->nrows);
	export_html_text(f, rep->file);
	fputs("</code></li>\n<li>Chain: ", f);
	if (rep->chain_bad == 0)
		fputs("<span class=\"good\">verified</span> (every prev and "
		    "seq)", f);
	else {
		fprintf(f, "<span class=\"bad\">broken at line %lld</span>: ",
		    (long long)rep->chain_bad);
		export_html_text(f, rep->chain_why);
	}
	fputs("</li>\n", f);
	if (rep->torn_line != 0) {
		fprintf(f, "<li>Torn last line %lld, ignored: ",
		    (long long)rep->torn_line);
		export_html_text(f, rep->torn_why);
		fputs("</li>\n", f);
	}
	fputs("<li>Head: <code>", f);
	export_html_text(f, rep->anchor);
	fputs("</code></li>\n</ul>\n<p>Check the timeline against this "
	    "report:</p>\n<pre>rbnav verify ", f);
	export_html_text(f, rep->id);
	fputs(" --head ", f);
	export_html_text(f, rep->anchor);
	fputs("</pre>\n</body>\n</html>\n", f);
}

/* The whole report (export_ops.write). */
static int
export_html_write(const struct export_report *rep, FILE *f)
{
	export_html_header(rep, f);
	export_html_impact(rep, f);
	export_html_timeline(rep, f);
	export_html_commands(rep, f);
	export_html_decisions(rep, f);
	export_html_notes(rep, f);
	export_html_confirms(rep, f);
	export_html_prereqs(rep, f);
	export_html_checklist(rep, f);
	export_html_integrity(rep, f);
	return (ferror(f) ? -1 : 0);
}

const struct export_ops export_html_ops = {
	"html", "html", export_html_write
};
