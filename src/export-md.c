/*
 * The report as Markdown (CommonMark with GitHub tables and task lists).
 *
 * Everything that comes from the timeline is text, never markup: in
 * prose and table cells every character Markdown could read as syntax is
 * escaped (a pipe too, so a cell cannot be split), a newline becomes
 * <br>, and control characters become U+FFFD; commands and output go in
 * code fences longer than any run of backticks inside them.  The report
 * reads the export_report only; it was redacted when it was built.
 */

#include <stdlib.h>
#include <string.h>

#include "export.h"
#include "xmalloc.h"

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

/* "+mm:ss" in a cell. */
static void
export_md_offset(FILE *f, const struct export_report *rep,
    const struct export_row *row)
{
	char	*s = export_offset(rep, row != NULL ? row->t : -1);

	fputs(s, f);
	free(s);
}

/* "2026-11-26 02:14:03" of a row. */
static void
export_md_utc(FILE *f, const struct export_row *row)
{
	char	*s;

	if (row == NULL || row->ts == NULL)
		return;
	s = export_utc(row->ts);
	export_md_text(f, s);
	free(s);
}

/* One row of the facts table; nothing when there is no value. */
static void
export_md_field(FILE *f, const char *name, const char *value)
{
	if (value == NULL || *value == '\0')
		return;
	fprintf(f, "| %s | ", name);
	export_md_text(f, value);
	fputs(" |\n", f);
}

/* The title and the facts of the incident. */
static void
export_md_header(const struct export_report *rep, FILE *f)
{
	char	*s;
	size_t	 i;

	fputs("# Incident report: ", f);
	export_md_text(f, rep->title);
	fputs("\n\n| | |\n|---|---|\n", f);
	export_md_field(f, "Incident", rep->id);
	fputs("| Mode | ", f);
	export_md_text(f, rep->mode != NULL ? rep->mode : "live");
	if (rep->drill != NULL) {
		fputs(" (drill ", f);
		export_md_text(f, rep->drill);
		fputs(")", f);
	}
	fputs(" |\n", f);
	if (rep->runbook != NULL) {
		fputs("| Runbook | ", f);
		export_md_text(f, rep->runbook);
		if (rep->scenario != NULL) {
			fputs(", scenario ", f);
			export_md_text(f, rep->scenario);
		}
		fputs(" |\n", f);
	}
	export_md_field(f, "Runbook SHA-256", rep->runbook_sha256);
	export_md_field(f, "Host", rep->host);
	fputs("| Operators | ", f);
	for (i = 0; i < rep->noperators; i++) {
		if (i > 0)
			fputs(", ", f);
		export_md_text(f, rep->operators[i]);
	}
	fputs(" |\n| Start (UTC) | ", f);
	export_md_utc(f, rep->start);
	fputs(" |\n| End (UTC) | ", f);
	if (rep->end != NULL)
		export_md_utc(f, rep->end);
	else
		fputs("still open", f);
	fputs(" |\n", f);
	if (rep->duration_ms >= 0) {
		s = export_duration(rep->duration_ms);
		export_md_field(f, "Duration", s);
		free(s);
	}
	export_md_field(f, "Outcome", rep->outcome);
	fputs("\n", f);
	if (rep->summary != NULL && *rep->summary != '\0') {
		fputs("**Summary:** ", f);
		export_md_text(f, rep->summary);
		fputs("\n\n", f);
	}
}

/* "02:14:05 (+00:02)" for a row, in a cell. */
static void
export_md_when(FILE *f, const struct export_report *rep,
    const struct export_row *row)
{
	export_md_utc(f, row);
	fputs(" (", f);
	export_md_offset(f, rep, row);
	fputs(")", f);
}

/* Impact: one row per outage of each system, with its RTO. */
static void
export_md_impact(const struct export_report *rep, FILE *f)
{
	const struct export_system	*sys;
	const struct export_outage	*o;
	char				*s;
	size_t				 i, k;

	fputs("## Impact\n\n", f);
	if (rep->nsystems == 0) {
		fputs("No system checks were recorded.\n\n", f);
		return;
	}
	fputs("| System | State | Down (UTC) | Up (UTC) | Recovery | RTO |\n"
	    "|---|---|---|---|---|---|\n", f);
	for (i = 0; i < rep->nsystems; i++) {
		sys = &rep->systems[i];
		for (k = 0; k == 0 || k < sys->noutages; k++) {
			o = k < sys->noutages ? &sys->outages[k] : NULL;
			fputs("| ", f);
			export_md_text(f, sys->name);
			fputs(" | ", f);
			export_md_text(f, o != NULL ? o->state : sys->last);
			if (o != NULL && o->detail != NULL) {
				fputs(" (", f);
				export_md_text(f, o->detail);
				fputs(")", f);
			}
			fputs(" | ", f);
			if (o != NULL)
				export_md_when(f, rep, o->down);
			fputs(" | ", f);
			if (o != NULL && o->up != NULL)
				export_md_when(f, rep, o->up);
			else if (o != NULL)
				fputs("not back up", f);
			fputs(" | ", f);
			if (o != NULL && o->up != NULL && o->up->t >= 0 &&
			    o->down->t >= 0) {
				s = export_duration(o->up->t - o->down->t);
				export_md_text(f, s);
				free(s);
			}
			fputs(" | ", f);
			if (k == 0 && sys->rto >= 0) {
				fputs(sys->rto ? "met" : "**missed**", f);
				if (sys->rto_ms >= 0) {
					s = export_duration(sys->rto_ms);
					fprintf(f, " (%s)", s);
					free(s);
				}
			}
			fputs(" |\n", f);
		}
	}
	fputs("\n", f);
}

/* Every event, one table row each. */
static void
export_md_timeline(const struct export_report *rep, FILE *f)
{
	const struct export_row	*row;
	size_t			 i;

	fputs("## Timeline\n\n| Offset | Time (UTC) | Operator | Event | "
	    "Details |\n|---|---|---|---|---|\n", f);
	for (i = 0; i < rep->nrows; i++) {
		row = &rep->rows[i];
		fputs("| ", f);
		export_md_offset(f, rep, row);
		fputs(" | ", f);
		export_md_utc(f, row);
		fputs(" | ", f);
		export_md_text(f, row->op);
		fputs(" | ", f);
		export_md_text(f, row->type);
		fputs(" | ", f);
		export_md_text(f, row->text);
		fputs(" |\n", f);
	}
	fputs("\n", f);
}

/* Each command: where, who, the result, the command, the output tail. */
static void
export_md_commands(const struct export_report *rep, FILE *f)
{
	const struct export_command	*c;
	char				*s;
	size_t				 i;

	fputs("## Commands\n\n", f);
	if (rep->ncommands == 0) {
		fputs("No commands were run.\n\n", f);
		return;
	}
	for (i = 0; i < rep->ncommands; i++) {
		c = &rep->commands[i];
		fputs("### Command ", f);
		export_md_text(f, c->cmd);
		if (c->step != NULL) {
			fputs(" (step ", f);
			export_md_text(f, c->step);
			fputs(")", f);
		}
		fputs("\n\n", f);
		if (c->start != NULL) {
			fputs("- Started: ", f);
			export_md_when(f, rep, c->start);
			fputs(" by ", f);
			export_md_text(f, c->start->op);
			fputs(c->simulated ? " (drill: not executed)\n" : "\n",
			    f);
		}
		fputs("- Result: ", f);
		if (c->has_exit)
			fprintf(f, "exit %lld", (long long)c->exit);
		else if (c->signal != NULL) {
			fputs("killed by SIG", f);
			export_md_text(f, c->signal);
		} else if (c->end == NULL)
			fputs("no exit recorded", f);
		else
			fputs("unknown", f);
		if (c->ms >= 0) {
			s = export_duration(c->ms);
			fprintf(f, " after %s", s);
			free(s);
		}
		if (c->timeout)
			fputs(", stopped at its timeout", f);
		if (c->cancelled != NULL) {
			fputs(", cancelled (SIG", f);
			export_md_text(f, c->cancelled);
			fputs(")", f);
		}
		if (c->expect != NULL) {
			fputs(", expectation ", f);
			export_md_text(f, c->expect);
		}
		fputs("\n", f);
		if (c->output_file != NULL) {
			fputs("- Output: ", f);
			export_md_code(f, c->output_file);
			if (c->output_bytes >= 0)
				fprintf(f, " (%lld bytes)",
				    (long long)c->output_bytes);
			fputs("\n", f);
		}
		fputs("\n", f);
		if (c->command != NULL)
			export_md_fence(f, "sh", &c->command, 1);
		if (c->ntail > 0) {
			fprintf(f, "Last %zu line%s of output:\n\n", c->ntail,
			    c->ntail == 1 ? "" : "s");
			export_md_fence(f, "", c->tail, c->ntail);
		}
	}
}

/* The decisions and why they were taken. */
static void
export_md_decisions(const struct export_report *rep, FILE *f)
{
	const struct export_decision	*d;
	size_t				 i;

	fputs("## Decisions\n\n", f);
	if (rep->ndecisions == 0) {
		fputs("No decisions were recorded.\n\n", f);
		return;
	}
	fputs("| Offset | Operator | Step | Choice | Goes to | Why |\n"
	    "|---|---|---|---|---|---|\n", f);
	for (i = 0; i < rep->ndecisions; i++) {
		d = &rep->decisions[i];
		fputs("| ", f);
		export_md_offset(f, rep, d->row);
		fputs(" | ", f);
		export_md_text(f, d->row->op);
		fputs(" | ", f);
		export_md_text(f, d->step);
		fputs(" | ", f);
		export_md_text(f, d->choice);
		fputs(" | ", f);
		export_md_text(f, d->target);
		fputs(" | ", f);
		export_md_text(f, d->why);
		fputs(" |\n", f);
	}
	fputs("\n", f);
}

/* The notes, in order. */
static void
export_md_notes(const struct export_report *rep, FILE *f)
{
	size_t	i;

	fputs("## Notes\n\n", f);
	if (rep->nnotes == 0)
		fputs("No notes.\n", f);
	for (i = 0; i < rep->nnotes; i++) {
		fputs("- **", f);
		export_md_offset(f, rep, rep->notes[i].row);
		fputs("** ", f);
		export_md_text(f, rep->notes[i].row->op);
		fputs(": ", f);
		export_md_text(f, rep->notes[i].text);
		fputs("\n", f);
	}
	fputs("\n", f);
}

/* The confirmations, and whether the step id was typed right. */
static void
export_md_confirms(const struct export_report *rep, FILE *f)
{
	const struct export_confirm	*c;
	size_t				 i;

	fputs("## Confirmations\n\n", f);
	if (rep->nconfirms == 0) {
		fputs("No confirmations.\n\n", f);
		return;
	}
	fputs("| Offset | Operator | Step | Answer | Step id typed |\n"
	    "|---|---|---|---|---|\n", f);
	for (i = 0; i < rep->nconfirms; i++) {
		c = &rep->confirms[i];
		fputs("| ", f);
		export_md_offset(f, rep, c->row);
		fputs(" | ", f);
		export_md_text(f, c->row->op);
		fputs(" | ", f);
		export_md_text(f, c->step);
		fputs(" | ", f);
		export_md_text(f, c->answer);
		fputs(c->typed < 0 ? " | |\n" : c->typed ? " | right |\n" :
		    " | **wrong** |\n", f);
	}
	fputs("\n", f);
}

/* The prerequisites asked, and whether they were in place. */
static void
export_md_prereqs(const struct export_report *rep, FILE *f)
{
	const struct export_prereq	*p;
	size_t				 i;

	fputs("## Prerequisites\n\n", f);
	if (rep->nprereqs == 0) {
		fputs("No prerequisites were asked.\n\n", f);
		return;
	}
	fputs("| Offset | Operator | Scenario | Prerequisite | In place |\n"
	    "|---|---|---|---|---|\n", f);
	for (i = 0; i < rep->nprereqs; i++) {
		p = &rep->prereqs[i];
		fputs("| ", f);
		export_md_offset(f, rep, p->row);
		fputs(" | ", f);
		export_md_text(f, p->row->op);
		fputs(" | ", f);
		export_md_text(f, p->scenario);
		fputs(" | ", f);
		export_md_text(f, p->item);
		fputs(" | ", f);
		if (p->answer != NULL && strcmp(p->answer, "no") == 0)
			fputs("**no**", f);
		else
			export_md_text(f, p->answer);
		fputs(" |\n", f);
	}
	fputs("\n", f);
}

/* The post-incident checklist of incident.end, as a task list. */
static void
export_md_checklist(const struct export_report *rep, FILE *f)
{
	size_t	i;

	fputs("## Post-incident checklist\n\n", f);
	if (rep->nchecklist == 0)
		fputs(rep->end != NULL ? "No checklist.\n" :
		    "The incident has not ended.\n", f);
	for (i = 0; i < rep->nchecklist; i++) {
		fputs(rep->checklist[i].done ? "- [x] " : "- [ ] ", f);
		export_md_text(f, rep->checklist[i].item);
		fputs("\n", f);
	}
	fputs("\n", f);
}

/* The chain, a torn tail and the head anchor to check against. */
static void
export_md_integrity(const struct export_report *rep, FILE *f)
{
	const char	*line;
	char		*cmd;

	fputs("## Integrity\n\n", f);
	fprintf(f, "- Events: %zu, from ", rep->nrows);
	export_md_code(f, rep->file);
	fputs("\n- Chain: ", f);
	if (rep->chain_bad == 0)
		fputs("verified (every prev and seq)\n", f);
	else {
		fprintf(f, "**broken at line %lld**: ",
		    (long long)rep->chain_bad);
		export_md_text(f, rep->chain_why);
		fputs("\n", f);
	}
	if (rep->torn_line != 0) {
		fprintf(f, "- Torn last line %lld, ignored: ",
		    (long long)rep->torn_line);
		export_md_text(f, rep->torn_why);
		fputs("\n", f);
	}
	fputs("- Head: ", f);
	export_md_code(f, rep->anchor);
	fputs("\n\nCheck the timeline against this report:\n\n", f);
	cmd = xprintf("rbnav verify %s --head %s", rep->id, rep->anchor);
	line = cmd;
	export_md_fence(f, "sh", &line, 1);
	free(cmd);
}

/* The whole report (export_ops.write). */
static int
export_md_write(const struct export_report *rep, FILE *f)
{
	export_md_header(rep, f);
	export_md_impact(rep, f);
	export_md_timeline(rep, f);
	export_md_commands(rep, f);
	export_md_decisions(rep, f);
	export_md_notes(rep, f);
	export_md_confirms(rep, f);
	export_md_prereqs(rep, f);
	export_md_checklist(rep, f);
	export_md_integrity(rep, f);
	return (ferror(f) ? -1 : 0);
}

const struct export_ops export_md_ops = {
	"md", "md", export_md_write
};
