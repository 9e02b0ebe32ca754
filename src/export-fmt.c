/*
 * The sections of the Markdown and HTML reports, written once: what is
 * said, in which order and from which part of the export_report.  How it
 * looks is the struct export_fmt of each format; no markup here, and no
 * text from the timeline written but through the format's text or lines.
 */

#include <stdlib.h>
#include <string.h>

#include "export.h"
#include "export-fmt.h"
#include "xmalloc.h"

/* A marked span of literal text. */
static void
export_fmt_mark(const struct export_fmt *fmt, FILE *f, enum export_mark m,
    const char *s)
{
	fmt->mark_start(f, m);
	fputs(s, f);
	fmt->mark_end(f, m);
}

/* A heading of literal text. */
static void
export_fmt_heading(const struct export_fmt *fmt, FILE *f, int level,
    const char *s)
{
	fmt->heading_start(f, level);
	fputs(s, f);
	fmt->heading_end(f, level);
}

/* A paragraph of literal text. */
static void
export_fmt_para(const struct export_fmt *fmt, FILE *f, const char *s)
{
	fputs(fmt->para_start, f);
	fputs(s, f);
	fputs(fmt->para_end, f);
}

/* "+mm:ss" of a row. */
static void
export_fmt_offset(FILE *f, const struct export_report *rep,
    const struct export_row *row)
{
	char	*s = export_offset(rep, row != NULL ? row->t : -1);

	fputs(s, f);
	free(s);
}

/* "2026-11-26 02:14:03" of a row. */
static void
export_fmt_utc(const struct export_fmt *fmt, FILE *f,
    const struct export_row *row)
{
	char	*s;

	if (row == NULL || row->ts == NULL)
		return;
	s = export_utc(row->ts);
	fmt->text(f, s);
	free(s);
}

/* A cell of text. */
static void
export_fmt_cell(const struct export_fmt *fmt, FILE *f, const char *s)
{
	fmt->cell_start(f, EXPORT_MARK_NONE);
	fmt->lines(f, s);
	fputs(fmt->cell_end, f);
}

/* A cell with nothing in it. */
static void
export_fmt_cell_empty(const struct export_fmt *fmt, FILE *f)
{
	fmt->cell_start(f, EXPORT_MARK_NONE);
	fputs(fmt->cell_end, f);
}

/* The offset of a row in its own cell. */
static void
export_fmt_cell_offset(const struct export_fmt *fmt, FILE *f,
    const struct export_report *rep, const struct export_row *row)
{
	fmt->cell_start(f, EXPORT_MARK_OFF);
	export_fmt_offset(f, rep, row);
	fputs(fmt->cell_end, f);
}

/* A cell with the UTC time of a row and, aside, its offset. */
static void
export_fmt_cell_when(const struct export_fmt *fmt, FILE *f,
    const struct export_report *rep, const struct export_row *row)
{
	fmt->cell_start(f, EXPORT_MARK_NUM);
	export_fmt_utc(fmt, f, row);
	fputs(" ", f);
	fmt->mark_start(f, EXPORT_MARK_MUTED);
	fputs("(", f);
	export_fmt_offset(f, rep, row);
	fputs(")", f);
	fmt->mark_end(f, EXPORT_MARK_MUTED);
	fputs(fmt->cell_end, f);
}

/* One fact; nothing when there is no value. */
static void
export_fmt_fact(const struct export_fmt *fmt, FILE *f, const char *name,
    const char *value)
{
	if (value == NULL || *value == '\0')
		return;
	fmt->fact_start(f, name);
	fmt->lines(f, value);
	fputs(fmt->fact_end, f);
}

/* Whether the fact of value a, and b after it if not NULL, is written. */
static int
export_fmt_shown(const char *a, const char *b)
{
	return (b != NULL || *a != '\0');
}

/* The table of facts: who, what, where, when and how it ended. */
static void
export_fmt_facts(const struct export_fmt *fmt,
    const struct export_report *rep, FILE *f)
{
	const char	*mode = rep->mode;
	char		*s;
	size_t		 i;

	if (mode == NULL || *mode == '\0')
		mode = rep->drill != NULL ? "drill" : "live";
	fputs(fmt->facts_start, f);
	export_fmt_fact(fmt, f, "Incident", rep->id);
	if (export_fmt_shown(mode, rep->drill)) {
		fmt->fact_start(f, "Mode");
		fmt->lines(f, mode);
		if (rep->drill != NULL) {
			fputs(" (drill ", f);
			fmt->lines(f, rep->drill);
			fputs(")", f);
		}
		fputs(fmt->fact_end, f);
	}
	if (rep->runbook != NULL &&
	    export_fmt_shown(rep->runbook, rep->scenario)) {
		fmt->fact_start(f, "Runbook");
		fmt->lines(f, rep->runbook);
		if (rep->scenario != NULL) {
			fputs(", scenario ", f);
			fmt->lines(f, rep->scenario);
		}
		fputs(fmt->fact_end, f);
	}
	export_fmt_fact(fmt, f, "Runbook SHA-256", rep->runbook_sha256);
	export_fmt_fact(fmt, f, "Host", rep->host);
	fmt->fact_start(f, "Operators");
	for (i = 0; i < rep->noperators; i++) {
		if (i > 0)
			fputs(", ", f);
		fmt->text(f, rep->operators[i]);
	}
	fputs(fmt->fact_end, f);
	fmt->fact_start(f, "Start (UTC)");
	export_fmt_utc(fmt, f, rep->start);
	fputs(fmt->fact_end, f);
	fmt->fact_start(f, "End (UTC)");
	if (rep->end != NULL)
		export_fmt_utc(fmt, f, rep->end);
	else
		export_fmt_mark(fmt, f, EXPORT_MARK_BAD, "still open");
	fputs(fmt->fact_end, f);
	if (rep->duration_ms >= 0) {
		s = export_duration(rep->duration_ms);
		export_fmt_fact(fmt, f, "Duration", s);
		free(s);
	}
	export_fmt_fact(fmt, f, "Outcome", rep->outcome);
	fputs(fmt->facts_end, f);
}

/* The title, the facts and the summary of the incident. */
static void
export_fmt_header(const struct export_fmt *fmt,
    const struct export_report *rep, FILE *f)
{
	fmt->heading_start(f, 1);
	fputs("Incident report: ", f);
	fmt->text(f, rep->title);
	fmt->heading_end(f, 1);
	export_fmt_facts(fmt, rep, f);
	if (rep->summary != NULL && *rep->summary != '\0') {
		fputs(fmt->para_start, f);
		export_fmt_mark(fmt, f, EXPORT_MARK_STRONG, "Summary:");
		fputs(" ", f);
		fmt->lines(f, rep->summary);
		fputs(fmt->para_end, f);
	}
}

/* One row of the impact table: an outage, or a system without one. */
static void
export_fmt_outage(const struct export_fmt *fmt,
    const struct export_report *rep, const struct export_system *sys,
    const struct export_outage *o, int first, FILE *f)
{
	char	*s;

	fputs(fmt->row_start, f);
	export_fmt_cell(fmt, f, sys->name);
	fmt->cell_start(f, EXPORT_MARK_NONE);
	fmt->lines(f, o != NULL ? o->state : sys->last);
	if (o != NULL && o->detail != NULL) {
		fputs(" (", f);
		fmt->lines(f, o->detail);
		fputs(")", f);
	}
	fputs(fmt->cell_end, f);
	if (o != NULL)
		export_fmt_cell_when(fmt, f, rep, o->down);
	else
		export_fmt_cell_empty(fmt, f);
	if (o != NULL && o->up != NULL)
		export_fmt_cell_when(fmt, f, rep, o->up);
	else if (o != NULL) {
		fmt->cell_word(f, EXPORT_MARK_BAD, "not back up");
		fputs(fmt->cell_end, f);
	} else
		export_fmt_cell_empty(fmt, f);
	if (o != NULL && o->up != NULL && o->up->t >= 0 && o->down->t >= 0) {
		s = export_duration(o->up->t - o->down->t);
		fmt->cell_start(f, EXPORT_MARK_NUM);
		fmt->text(f, s);
		fputs(fmt->cell_end, f);
		free(s);
	} else
		export_fmt_cell_empty(fmt, f);
	if (first && sys->rto >= 0) {
		fmt->cell_word(f, sys->rto ? EXPORT_MARK_GOOD :
		    EXPORT_MARK_ALARM, sys->rto ? "met" : "missed");
		if (sys->rto_ms >= 0) {
			s = export_duration(sys->rto_ms);
			fprintf(f, " (%s)", s);
			free(s);
		}
		fputs(fmt->cell_end, f);
	} else
		export_fmt_cell_empty(fmt, f);
	fputs(fmt->row_end, f);
}

/* Impact: one row per outage of each system, with its RTO. */
static void
export_fmt_impact(const struct export_fmt *fmt,
    const struct export_report *rep, FILE *f)
{
	static const char *const	 cols[] = { "System", "State",
					     "Down (UTC)", "Up (UTC)",
					     "Recovery", "RTO", NULL };
	const struct export_system	*sys;
	size_t				 i, k;

	export_fmt_heading(fmt, f, 2, "Impact");
	if (rep->nsystems == 0) {
		export_fmt_para(fmt, f, "No system checks were recorded.");
		return;
	}
	fmt->table_start(f, cols);
	for (i = 0; i < rep->nsystems; i++) {
		sys = &rep->systems[i];
		if (sys->noutages == 0)
			export_fmt_outage(fmt, rep, sys, NULL, 1, f);
		for (k = 0; k < sys->noutages; k++) {
			export_fmt_outage(fmt, rep, sys, &sys->outages[k],
			    k == 0, f);
		}
	}
	fputs(fmt->table_end, f);
}

/* Every event, one row each. */
static void
export_fmt_timeline(const struct export_fmt *fmt,
    const struct export_report *rep, FILE *f)
{
	static const char *const	 cols[] = { "Offset", "Time (UTC)",
					     "Operator", "Event", "Details",
					     NULL };
	const struct export_row		*row;
	size_t				 i;

	export_fmt_heading(fmt, f, 2, "Timeline");
	fmt->table_start(f, cols);
	for (i = 0; i < rep->nrows; i++) {
		row = &rep->rows[i];
		fputs(fmt->row_start, f);
		export_fmt_cell_offset(fmt, f, rep, row);
		fmt->cell_start(f, EXPORT_MARK_NUM);
		export_fmt_utc(fmt, f, row);
		fputs(fmt->cell_end, f);
		export_fmt_cell(fmt, f, row->op);
		export_fmt_cell(fmt, f, row->type);
		export_fmt_cell(fmt, f, row->text);
		fputs(fmt->row_end, f);
	}
	fputs(fmt->table_end, f);
}

/* How a command ended, after "Result: ". */
static void
export_fmt_result(const struct export_fmt *fmt,
    const struct export_command *c, FILE *f)
{
	char	*s;

	if (c->has_exit) {
		fmt->mark_start(f, c->exit == 0 ? EXPORT_MARK_GOOD :
		    EXPORT_MARK_BAD);
		fprintf(f, "exit %lld", (long long)c->exit);
		fmt->mark_end(f, c->exit == 0 ? EXPORT_MARK_GOOD :
		    EXPORT_MARK_BAD);
	} else if (c->signal != NULL) {
		fmt->mark_start(f, EXPORT_MARK_BAD);
		fputs("killed by SIG", f);
		fmt->text(f, c->signal);
		fmt->mark_end(f, EXPORT_MARK_BAD);
	} else
		fputs(c->end == NULL ? "no exit recorded" : "unknown", f);
	if (c->ms >= 0) {
		s = export_duration(c->ms);
		fprintf(f, " after %s", s);
		free(s);
	}
	if (c->timeout)
		fputs(", stopped at its timeout", f);
	if (c->cancelled != NULL) {
		fputs(", cancelled (SIG", f);
		fmt->text(f, c->cancelled);
		fputs(")", f);
	}
	if (c->expect != NULL) {
		fputs(", expectation ", f);
		fmt->text(f, c->expect);
	}
}

/* One command: where, who, the result, the command, the output tail. */
static void
export_fmt_command(const struct export_fmt *fmt,
    const struct export_report *rep, const struct export_command *c,
    FILE *f)
{
	fmt->heading_start(f, 3);
	fputs("Command ", f);
	fmt->text(f, c->cmd);
	if (c->step != NULL) {
		fputs(" (step ", f);
		fmt->text(f, c->step);
		fputs(")", f);
	}
	fmt->heading_end(f, 3);
	fputs(fmt->list_start, f);
	if (c->start != NULL) {
		fputs(fmt->item_start, f);
		fputs("Started: ", f);
		export_fmt_utc(fmt, f, c->start);
		fputs(" (", f);
		export_fmt_offset(f, rep, c->start);
		fputs(") by ", f);
		fmt->text(f, c->start->op);
		if (c->simulated)
			fputs(" (drill: not executed)", f);
		fputs(fmt->item_end, f);
	}
	fputs(fmt->item_start, f);
	fputs("Result: ", f);
	export_fmt_result(fmt, c, f);
	fputs(fmt->item_end, f);
	if (c->output_file != NULL) {
		fputs(fmt->item_start, f);
		fputs("Output: ", f);
		fmt->code(f, c->output_file);
		if (c->output_bytes >= 0)
			fprintf(f, " (%lld bytes)", (long long)c->output_bytes);
		fputs(fmt->item_end, f);
	}
	fputs(fmt->list_end, f);
	if (c->command != NULL)
		fmt->block(f, "sh", &c->command, 1);
	if (c->ntail > 0) {
		fputs(fmt->para_start, f);
		fprintf(f, "Last %zu line%s of output:", c->ntail,
		    c->ntail == 1 ? "" : "s");
		fputs(fmt->para_end, f);
		fmt->block(f, "", c->tail, c->ntail);
	}
}

/* Each command, under its own heading. */
static void
export_fmt_commands(const struct export_fmt *fmt,
    const struct export_report *rep, FILE *f)
{
	size_t	i;

	export_fmt_heading(fmt, f, 2, "Commands");
	if (rep->ncommands == 0)
		export_fmt_para(fmt, f, "No commands were run.");
	for (i = 0; i < rep->ncommands; i++)
		export_fmt_command(fmt, rep, &rep->commands[i], f);
}

/* The decisions and why they were taken. */
static void
export_fmt_decisions(const struct export_fmt *fmt,
    const struct export_report *rep, FILE *f)
{
	static const char *const	 cols[] = { "Offset", "Operator",
					     "Step", "Choice", "Goes to",
					     "Why", NULL };
	const struct export_decision	*d;
	size_t				 i;

	export_fmt_heading(fmt, f, 2, "Decisions");
	if (rep->ndecisions == 0) {
		export_fmt_para(fmt, f, "No decisions were recorded.");
		return;
	}
	fmt->table_start(f, cols);
	for (i = 0; i < rep->ndecisions; i++) {
		d = &rep->decisions[i];
		fputs(fmt->row_start, f);
		export_fmt_cell_offset(fmt, f, rep, d->row);
		export_fmt_cell(fmt, f, d->row->op);
		export_fmt_cell(fmt, f, d->step);
		export_fmt_cell(fmt, f, d->choice);
		export_fmt_cell(fmt, f, d->target);
		export_fmt_cell(fmt, f, d->why);
		fputs(fmt->row_end, f);
	}
	fputs(fmt->table_end, f);
}

/* The notes, in order. */
static void
export_fmt_notes(const struct export_fmt *fmt,
    const struct export_report *rep, FILE *f)
{
	const struct export_note	*n;
	size_t				 i;

	export_fmt_heading(fmt, f, 2, "Notes");
	if (rep->nnotes == 0) {
		export_fmt_para(fmt, f, "No notes.");
		return;
	}
	fputs(fmt->list_start, f);
	for (i = 0; i < rep->nnotes; i++) {
		n = &rep->notes[i];
		fputs(fmt->item_start, f);
		fmt->mark_start(f, EXPORT_MARK_STRONG);
		export_fmt_offset(f, rep, n->row);
		fmt->mark_end(f, EXPORT_MARK_STRONG);
		fputs(" ", f);
		fmt->text(f, n->row->op);
		fputs(": ", f);
		fmt->lines(f, n->text);
		fputs(fmt->item_end, f);
	}
	fputs(fmt->list_end, f);
}

/* The confirmations, and whether the step id was typed right. */
static void
export_fmt_confirms(const struct export_fmt *fmt,
    const struct export_report *rep, FILE *f)
{
	static const char *const	 cols[] = { "Offset", "Operator",
					     "Step", "Answer", "Step id typed",
					     NULL };
	const struct export_confirm	*c;
	size_t				 i;

	export_fmt_heading(fmt, f, 2, "Confirmations");
	if (rep->nconfirms == 0) {
		export_fmt_para(fmt, f, "No confirmations.");
		return;
	}
	fmt->table_start(f, cols);
	for (i = 0; i < rep->nconfirms; i++) {
		c = &rep->confirms[i];
		fputs(fmt->row_start, f);
		export_fmt_cell_offset(fmt, f, rep, c->row);
		export_fmt_cell(fmt, f, c->row->op);
		export_fmt_cell(fmt, f, c->step);
		export_fmt_cell(fmt, f, c->answer);
		if (c->typed < 0) {
			fmt->cell_start(f, EXPORT_MARK_NONE);
			fputs(fmt->cell_end, f);
		} else {
			fmt->cell_word(f, c->typed ? EXPORT_MARK_NONE :
			    EXPORT_MARK_ALARM, c->typed ? "right" : "wrong");
			fputs(fmt->cell_end, f);
		}
		fputs(fmt->row_end, f);
	}
	fputs(fmt->table_end, f);
}

/* The prerequisites asked, and whether they were in place. */
static void
export_fmt_prereqs(const struct export_fmt *fmt,
    const struct export_report *rep, FILE *f)
{
	static const char *const	 cols[] = { "Offset", "Operator",
					     "Scenario", "Prerequisite",
					     "In place", NULL };
	const struct export_prereq	*p;
	size_t				 i;

	export_fmt_heading(fmt, f, 2, "Prerequisites");
	if (rep->nprereqs == 0) {
		export_fmt_para(fmt, f, "No prerequisites were asked.");
		return;
	}
	fmt->table_start(f, cols);
	for (i = 0; i < rep->nprereqs; i++) {
		p = &rep->prereqs[i];
		fputs(fmt->row_start, f);
		export_fmt_cell_offset(fmt, f, rep, p->row);
		export_fmt_cell(fmt, f, p->row->op);
		export_fmt_cell(fmt, f, p->scenario);
		export_fmt_cell(fmt, f, p->item);
		if (p->answer != NULL && strcmp(p->answer, "no") == 0) {
			fmt->cell_word(f, EXPORT_MARK_ALARM, "no");
			fputs(fmt->cell_end, f);
		} else
			export_fmt_cell(fmt, f, p->answer);
		fputs(fmt->row_end, f);
	}
	fputs(fmt->table_end, f);
}

/* The post-incident checklist of incident.end. */
static void
export_fmt_checklist(const struct export_fmt *fmt,
    const struct export_report *rep, FILE *f)
{
	size_t	i;

	export_fmt_heading(fmt, f, 2, "Post-incident checklist");
	if (rep->nchecklist == 0) {
		export_fmt_para(fmt, f, rep->end != NULL ? "No checklist." :
		    "The incident has not ended.");
		return;
	}
	fputs(fmt->checklist_start, f);
	for (i = 0; i < rep->nchecklist; i++) {
		fputs(fmt->item_start, f);
		fputs(rep->checklist[i].done ? fmt->check_done :
		    fmt->check_open, f);
		fmt->text(f, rep->checklist[i].item);
		fputs(fmt->item_end, f);
	}
	fputs(fmt->list_end, f);
}

/* The chain, a torn tail and the head anchor to check against. */
static void
export_fmt_integrity(const struct export_fmt *fmt,
    const struct export_report *rep, FILE *f)
{
	const char	*line;
	char		*cmd;

	export_fmt_heading(fmt, f, 2, "Integrity");
	fputs(fmt->list_start, f);
	fputs(fmt->item_start, f);
	fprintf(f, "Events: %zu, from ", rep->nrows);
	fmt->code(f, rep->file);
	fputs(fmt->item_end, f);
	fputs(fmt->item_start, f);
	fputs("Chain: ", f);
	if (rep->chain_bad == 0) {
		export_fmt_mark(fmt, f, EXPORT_MARK_GOOD, "verified");
		fputs(" (every prev and seq)", f);
	} else {
		fmt->mark_start(f, EXPORT_MARK_ALARM);
		fprintf(f, "broken at line %lld", (long long)rep->chain_bad);
		fmt->mark_end(f, EXPORT_MARK_ALARM);
		fputs(": ", f);
		fmt->text(f, rep->chain_why);
	}
	fputs(fmt->item_end, f);
	if (rep->torn_line != 0) {
		fputs(fmt->item_start, f);
		fprintf(f, "Torn last line %lld, ignored: ",
		    (long long)rep->torn_line);
		fmt->text(f, rep->torn_why);
		fputs(fmt->item_end, f);
	}
	fputs(fmt->item_start, f);
	fputs("Head: ", f);
	fmt->code(f, rep->anchor);
	fputs(fmt->item_end, f);
	fputs(fmt->list_end, f);
	export_fmt_para(fmt, f, "Check the timeline against this report:");
	cmd = xprintf("rbnav verify %s --head %s", rep->id, rep->anchor);
	line = cmd;
	fmt->block(f, "sh", &line, 1);
	free(cmd);
}

/* The whole report in fmt, for the write of its export_ops. */
int
export_fmt_write(const struct export_fmt *fmt,
    const struct export_report *rep, FILE *f)
{
	if (fmt->start != NULL)
		fmt->start(rep, f);
	export_fmt_header(fmt, rep, f);
	export_fmt_impact(fmt, rep, f);
	export_fmt_timeline(fmt, rep, f);
	export_fmt_commands(fmt, rep, f);
	export_fmt_decisions(fmt, rep, f);
	export_fmt_notes(fmt, rep, f);
	export_fmt_confirms(fmt, rep, f);
	export_fmt_prereqs(fmt, rep, f);
	export_fmt_checklist(fmt, rep, f);
	export_fmt_integrity(fmt, rep, f);
	fputs(fmt->end, f);
	return (ferror(f) ? -1 : 0);
}
