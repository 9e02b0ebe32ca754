/*
 * The report as JSON: one document (doc/timeline.schema.json describes
 * it) with the same sections as the other formats, plus every event's
 * own keys so that other tools need not read the timeline themselves.
 * Built with jansson from the export_report, whose strings were
 * redacted when it was built; the events' data is redacted here.
 */

#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "export.h"
#include "xmalloc.h"

/* A string, or null. */
static json_t *
export_json_str(const char *s)
{
	json_t	*j;

	if (s == NULL)
		return (json_null());
	if ((j = json_string(s)) == NULL)
		j = json_string("\xef\xbf\xbd");
	return (j);
}

/* A number that may be missing (-1), or null. */
static json_t *
export_json_int(int64_t n)
{
	return (n >= 0 ? json_integer(n) : json_null());
}

/* Where in the timeline a row is: seq, ts, t and the offset. */
static json_t *
export_json_at(const struct export_report *rep, const struct export_row *row)
{
	json_t	*j;
	char	*off;

	if (row == NULL)
		return (json_null());
	off = export_offset(rep, row->t);
	j = json_pack("{s:I, s:o, s:o, s:s}", "seq", (json_int_t)row->seq,
	    "ts", export_json_str(row->ts), "t", export_json_int(row->t),
	    "offset", off);
	free(off);
	return (j);
}

/* The "at" keys of a row, then the section's own. */
static json_t *
export_json_entry(const struct export_report *rep,
    const struct export_row *row)
{
	json_t	*j = export_json_at(rep, row);

	json_object_set_new(j, "op", export_json_str(row->op));
	return (j);
}

/* The incident: what, who, when, how it ended. */
static json_t *
export_json_incident(const struct export_report *rep)
{
	json_t	*j, *ops;
	size_t	 i;

	ops = json_array();
	for (i = 0; i < rep->noperators; i++)
		json_array_append_new(ops, export_json_str(rep->operators[i]));
	j = json_object();
	json_object_set_new(j, "id", export_json_str(rep->id));
	json_object_set_new(j, "title", export_json_str(rep->title));
	json_object_set_new(j, "mode", export_json_str(rep->mode));
	json_object_set_new(j, "drill", export_json_str(rep->drill));
	json_object_set_new(j, "runbook", export_json_str(rep->runbook));
	json_object_set_new(j, "runbook_sha256",
	    export_json_str(rep->runbook_sha256));
	json_object_set_new(j, "scenario", export_json_str(rep->scenario));
	json_object_set_new(j, "host", export_json_str(rep->host));
	json_object_set_new(j, "operators", ops);
	json_object_set_new(j, "start", export_json_str(rep->start != NULL ?
	    rep->start->ts : NULL));
	json_object_set_new(j, "end", export_json_str(rep->end != NULL ?
	    rep->end->ts : NULL));
	json_object_set_new(j, "duration_ms",
	    export_json_int(rep->duration_ms));
	json_object_set_new(j, "status", json_string(rep->end != NULL ?
	    "ended" : "open"));
	json_object_set_new(j, "outcome", export_json_str(rep->outcome));
	json_object_set_new(j, "summary", export_json_str(rep->summary));
	return (j);
}

/* Impact: the outages of each system and its RTO. */
static json_t *
export_json_impact(const struct export_report *rep)
{
	const struct export_system	*sys;
	const struct export_outage	*o;
	json_t				*a = json_array(), *s, *outs, *oj;
	size_t				 i, k;

	for (i = 0; i < rep->nsystems; i++) {
		sys = &rep->systems[i];
		outs = json_array();
		for (k = 0; k < sys->noutages; k++) {
			o = &sys->outages[k];
			oj = json_object();
			json_object_set_new(oj, "state", export_json_str(
			    o->state));
			json_object_set_new(oj, "detail", export_json_str(
			    o->detail));
			json_object_set_new(oj, "down", export_json_at(rep,
			    o->down));
			json_object_set_new(oj, "up", export_json_at(rep,
			    o->up));
			json_object_set_new(oj, "recovery_ms", o->up != NULL &&
			    o->up->t >= 0 && o->down->t >= 0 ?
			    json_integer(o->up->t - o->down->t) : json_null());
			json_array_append_new(outs, oj);
		}
		s = json_object();
		json_object_set_new(s, "system", export_json_str(sys->name));
		json_object_set_new(s, "last", export_json_str(sys->last));
		json_object_set_new(s, "outages", outs);
		json_object_set_new(s, "rto", sys->rto < 0 ? json_null() :
		    json_pack("{s:b, s:o}", "met", sys->rto,
		    "ms", export_json_int(sys->rto_ms)));
		json_array_append_new(a, s);
	}
	return (a);
}

/* Every event: where, who, its summary and its own keys. */
static json_t *
export_json_timeline(const struct export_report *rep)
{
	const struct export_row	*row;
	json_t			*a = json_array(), *j;
	size_t			 i;

	for (i = 0; i < rep->nrows; i++) {
		row = &rep->rows[i];
		j = export_json_entry(rep, row);
		json_object_set_new(j, "type", export_json_str(row->type));
		json_object_set_new(j, "text", export_json_str(row->text));
		json_object_set_new(j, "data", export_event_data(rep, row));
		json_array_append_new(a, j);
	}
	return (a);
}

/* Each command with its start, end and output tail. */
static json_t *
export_json_commands(const struct export_report *rep)
{
	const struct export_command	*c;
	json_t				*a = json_array(), *j, *tail;
	size_t				 i, k;

	for (i = 0; i < rep->ncommands; i++) {
		c = &rep->commands[i];
		tail = json_array();
		for (k = 0; k < c->ntail; k++)
			json_array_append_new(tail,
			    export_json_str(c->tail[k]));
		j = json_object();
		json_object_set_new(j, "cmd", export_json_str(c->cmd));
		json_object_set_new(j, "step", export_json_str(c->step));
		json_object_set_new(j, "command", export_json_str(c->command));
		json_object_set_new(j, "op", export_json_str(c->start != NULL ?
		    c->start->op : NULL));
		json_object_set_new(j, "start", export_json_at(rep, c->start));
		json_object_set_new(j, "end", export_json_at(rep, c->end));
		json_object_set_new(j, "exit", c->has_exit ?
		    json_integer(c->exit) : json_null());
		json_object_set_new(j, "signal", export_json_str(c->signal));
		json_object_set_new(j, "ms", export_json_int(c->ms));
		json_object_set_new(j, "timeout", json_boolean(c->timeout));
		json_object_set_new(j, "cancelled", export_json_str(
		    c->cancelled));
		json_object_set_new(j, "expect", export_json_str(c->expect));
		json_object_set_new(j, "simulated", json_boolean(
		    c->simulated));
		json_object_set_new(j, "output_file", export_json_str(
		    c->output_file));
		json_object_set_new(j, "output_bytes", export_json_int(
		    c->output_bytes));
		json_object_set_new(j, "tail", tail);
		json_array_append_new(a, j);
	}
	return (a);
}

/* The decisions and why. */
static json_t *
export_json_decisions(const struct export_report *rep)
{
	const struct export_decision	*d;
	json_t				*a = json_array(), *j;
	size_t				 i;

	for (i = 0; i < rep->ndecisions; i++) {
		d = &rep->decisions[i];
		j = export_json_entry(rep, d->row);
		json_object_set_new(j, "step", export_json_str(d->step));
		json_object_set_new(j, "choice", export_json_str(d->choice));
		json_object_set_new(j, "goto", export_json_str(d->target));
		json_object_set_new(j, "why", export_json_str(d->why));
		json_array_append_new(a, j);
	}
	return (a);
}

/* The notes. */
static json_t *
export_json_notes(const struct export_report *rep)
{
	json_t	*a = json_array(), *j;
	size_t	 i;

	for (i = 0; i < rep->nnotes; i++) {
		j = export_json_entry(rep, rep->notes[i].row);
		json_object_set_new(j, "text", export_json_str(
		    rep->notes[i].text));
		json_array_append_new(a, j);
	}
	return (a);
}

/* The confirmations. */
static json_t *
export_json_confirms(const struct export_report *rep)
{
	const struct export_confirm	*c;
	json_t				*a = json_array(), *j;
	size_t				 i;

	for (i = 0; i < rep->nconfirms; i++) {
		c = &rep->confirms[i];
		j = export_json_entry(rep, c->row);
		json_object_set_new(j, "step", export_json_str(c->step));
		json_object_set_new(j, "answer", export_json_str(c->answer));
		json_object_set_new(j, "typed", c->typed < 0 ? json_null() :
		    json_boolean(c->typed));
		json_array_append_new(a, j);
	}
	return (a);
}

/* The prerequisites. */
static json_t *
export_json_prereqs(const struct export_report *rep)
{
	const struct export_prereq	*p;
	json_t				*a = json_array(), *j;
	size_t				 i;

	for (i = 0; i < rep->nprereqs; i++) {
		p = &rep->prereqs[i];
		j = export_json_entry(rep, p->row);
		json_object_set_new(j, "scenario", export_json_str(
		    p->scenario));
		json_object_set_new(j, "item", export_json_str(p->item));
		json_object_set_new(j, "answer", export_json_str(p->answer));
		json_array_append_new(a, j);
	}
	return (a);
}

/* The post-incident checklist. */
static json_t *
export_json_checklist(const struct export_report *rep)
{
	json_t	*a = json_array();
	size_t	 i;

	for (i = 0; i < rep->nchecklist; i++)
		json_array_append_new(a, json_pack("{s:o, s:b}", "item",
		    export_json_str(rep->checklist[i].item), "done",
		    rep->checklist[i].done));
	return (a);
}

/* The chain, a torn tail and the head anchor. */
static json_t *
export_json_integrity(const struct export_report *rep)
{
	json_t	*j = json_object();

	json_object_set_new(j, "file", export_json_str(rep->file));
	json_object_set_new(j, "events", json_integer((json_int_t)rep->nrows));
	json_object_set_new(j, "chain", json_pack("{s:b, s:o, s:o}", "ok",
	    rep->chain_bad == 0, "line", rep->chain_bad > 0 ?
	    json_integer(rep->chain_bad) : json_null(), "why",
	    export_json_str(rep->chain_why)));
	json_object_set_new(j, "torn", rep->torn_line == 0 ? json_null() :
	    json_pack("{s:I, s:o}", "line", (json_int_t)rep->torn_line,
	    "why", export_json_str(rep->torn_why)));
	json_object_set_new(j, "head", json_pack("{s:I, s:s}", "seq",
	    (json_int_t)rep->head_seq, "sha256", rep->head));
	json_object_set_new(j, "anchor", export_json_str(rep->anchor));
	return (j);
}

/* The whole document (export_ops.write). */
static int
export_json_write(const struct export_report *rep, FILE *f)
{
	json_t	*doc = json_object();
	int	 rc;

	json_object_set_new(doc, "format", json_string("rbnav-report/v1"));
	json_object_set_new(doc, "incident", export_json_incident(rep));
	json_object_set_new(doc, "impact", export_json_impact(rep));
	json_object_set_new(doc, "timeline", export_json_timeline(rep));
	json_object_set_new(doc, "commands", export_json_commands(rep));
	json_object_set_new(doc, "decisions", export_json_decisions(rep));
	json_object_set_new(doc, "notes", export_json_notes(rep));
	json_object_set_new(doc, "confirmations", export_json_confirms(rep));
	json_object_set_new(doc, "prerequisites", export_json_prereqs(rep));
	json_object_set_new(doc, "checklist", export_json_checklist(rep));
	json_object_set_new(doc, "integrity", export_json_integrity(rep));
	rc = json_dumpf(doc, f, JSON_INDENT(2));
	json_decref(doc);
	if (rc == 0)
		putc('\n', f);
	return (rc == 0 && !ferror(f) ? 0 : -1);
}

const struct export_ops export_json_ops = {
	"json", "json", export_json_write
};
