/*
 * The post-incident report, built from the timeline alone.
 *
 * export_report_create walks the events once and collects what a report
 * shows: the incident (title, mode, operators, start, end, duration),
 * the impact per system (check.change and rto events), the timeline
 * with a one-line summary per event (the table of templates below is
 * the one place that says how each type reads), commands, decisions,
 * notes, confirmations, prerequisites, the checklist, and the head
 * anchor that `rbnav verify --head` takes.  Every string that reaches a
 * report goes through the redactor first.  The formats are the const
 * ops of export-md.c, export-json.c and export-html.c; export_write
 * puts a report on stdout or, atomically, in a file.  No terminal here.
 */

#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "export.h"
#include "fileio.h"
#include "journal-read.h"
#include "redact.h"
#include "value.h"
#include "xmalloc.h"

static const struct export_ops *export_formats[] = {
	&export_md_ops,
	&export_json_ops,
	&export_html_ops,
	NULL
};

/*
 * How each event type reads in the timeline.  {key} is the event's
 * value (ms as a duration, booleans as yes/no), {key?A|B} is A when the
 * value is true and B otherwise, and a [segment] is left out when a key
 * in it is missing.  Other types show their keys as JSON.
 */
static const struct export_type {
	const char	*type;
	const char	*summary;
} export_types[] = {
	{ "incident.start", "started ({mode}): {title}" },
	{ "incident.resume", "resumed[ ({reason})]" },
	{ "incident.end", "ended: {outcome}[: {summary}]" },
	{ "scenario.enter", "scenario {scenario}" },
	{ "step.enter", "step {step}" },
	{ "step.done", "done {step}[: {reason}]" },
	{ "step.skip", "skipped {step}[: {reason}]" },
	{ "step.fail", "failed {step}[: {reason}]" },
	{ "var.set", "set {name} = {value}" },
	{ "confirm", "confirmed {step}: {answer}"
	  "[{typed?| (step id typed wrong)}]" },
	{ "prerequisite", "prerequisite {item}: {answer}" },
	{ "command.start", "command {cmd}: {command}" },
	{ "command.exit", "command {cmd}[ exit {exit}][ signal {signal}]"
	  "[ in {ms}][, expect {expect}][{timeout? (timed out)|}]"
	  "[{interrupted? (interrupted)|}]" },
	{ "command.cancel", "command {cmd} cancelled[ (SIG{signal})]" },
	{ "check.change", "{system}: {from} → {to}[ ({detail})]" },
	{ "decision", "decision {step}: {choice} → {goto}[ ({why})]" },
	{ "note", "note: {text}" },
	{ "rto", "RTO {system} {met?met|missed}[ ({ms})]" },
	{ "incident.leave", "left[ ({reason})]" },
	{ "drill.pause", "drill clock paused" },
	{ "drill.resume", "drill clock running again" },
	{ "drill.inject", "trainer: {system} → {to}" },
	{ "drill.debrief", "drill debrief[: score {score}/100]" },
	{ "pen.handover", "pen handed to {to}" },
};

/* The keys every line has, left out of an event's own data. */
static const char *export_envelope[] = {
	"v", "seq", "ts", "t", "op", "type", "prev", NULL
};

#ifndef nitems
#define nitems(a) (sizeof (a) / sizeof (a)[0])
#endif

struct export_buf {
	char	*s;
	size_t	 len;
	size_t	 cap;
};

/* Append len bytes of s, keeping the buffer NUL-terminated. */
static void
export_buf_add(struct export_buf *b, const char *s, size_t len)
{
	if (b->len + len + 1 > b->cap) {
		b->cap = (b->len + len + 1) * 2;
		b->s = xrealloc(b->s, b->cap);
	}
	memcpy(b->s + b->len, s, len);
	b->len += len;
	b->s[b->len] = '\0';
}

/* The format called name, or NULL. */
const struct export_ops *
export_find(const char *name)
{
	size_t	i;

	for (i = 0; export_formats[i] != NULL; i++) {
		if (strcmp(export_formats[i]->name, name) == 0)
			return (export_formats[i]);
	}
	return (NULL);
}

/* The format whose extension path ends with (report.html), or NULL. */
const struct export_ops *
export_find_extension(const char *path)
{
	const char	*dot = strrchr(path, '.');
	size_t		 i;

	if (dot == NULL || strchr(dot, '/') != NULL)
		return (NULL);
	for (i = 0; export_formats[i] != NULL; i++) {
		if (strcmp(export_formats[i]->extension, dot + 1) == 0)
			return (export_formats[i]);
	}
	if (strcmp(dot + 1, "htm") == 0 || strcmp(dot + 1, "markdown") == 0)
		return (export_find(dot[1] == 'h' ? "html" : "md"));
	return (NULL);
}

/* "md|json|html", for messages. */
const char *
export_format_names(void)
{
	return ("md|json|html");
}

/* Keep s in the report's pool (it is freed with the report). */
static const char *
export_keep(struct export_report *rep, char *s)
{
	if (rep->npool == rep->poolcap) {
		rep->poolcap = rep->poolcap == 0 ? 64 : rep->poolcap * 2;
		rep->pool = xreallocarray(rep->pool, rep->poolcap,
		    sizeof *rep->pool);
	}
	rep->pool[rep->npool++] = s;
	return (s);
}

/* s redacted: s itself when there is nothing to take out. */
static const char *
export_text(struct export_report *rep, const char *s)
{
	char	*out;
	size_t	 outlen;

	if (s == NULL)
		return (NULL);
	if (redact_buffer(rep->redact, s, strlen(s), &out, &outlen) == 0)
		return (s);
	return (export_keep(rep, out));
}

/* A string member of an event, redacted, or NULL. */
static const char *
export_str(struct export_report *rep, json_t *ev, const char *key)
{
	return (export_text(rep, json_string_value(json_object_get(ev, key))));
}

/* An integer member of an event, or def. */
static int64_t
export_int(json_t *ev, const char *key, int64_t def)
{
	json_t	*v = json_object_get(ev, key);

	return (json_is_integer(v) ? (int64_t)json_integer_value(v) : def);
}

/* A value as a summary shows it; -1 when it is missing. */
static int
export_value(struct export_buf *b, json_t *ev, const char *key, size_t klen)
{
	json_t	*v;
	char	 name[64], *s;

	if (klen >= sizeof name)
		return (-1);
	memcpy(name, key, klen);
	name[klen] = '\0';
	if ((v = json_object_get(ev, name)) == NULL || json_is_null(v))
		return (-1);
	if (json_is_string(v))
		export_buf_add(b, json_string_value(v),
		    json_string_length(v));
	else if (json_is_integer(v) && strcmp(name, "ms") == 0) {
		s = export_duration(json_integer_value(v));
		export_buf_add(b, s, strlen(s));
		free(s);
	} else if (json_is_boolean(v))
		export_buf_add(b, json_is_true(v) ? "yes" : "no",
		    json_is_true(v) ? 3 : 2);
	else {
		s = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
		export_buf_add(b, s, strlen(s));
		free(s);
	}
	return (0);
}

/* Fill in one template (see export_types) from ev; -1 on a missing key. */
static int
export_template(struct export_buf *b, const char *tmpl, size_t len,
    json_t *ev)
{
	const char		*p = tmpl, *end = tmpl + len, *close, *q, *bar;
	struct export_buf	 part = { NULL, 0, 0 };
	json_t			*v;
	char			 name[64];

	while (p < end) {
		if (*p == '[' && (close = memchr(p, ']', (size_t)(end - p)))) {
			part.len = 0;
			if (export_template(&part, p + 1,
			    (size_t)(close - p - 1), ev) == 0 && part.len > 0)
				export_buf_add(b, part.s, part.len);
			p = close + 1;
			continue;
		}
		if (*p != '{' || (close = memchr(p, '}',
		    (size_t)(end - p))) == NULL) {
			export_buf_add(b, p++, 1);
			continue;
		}
		q = memchr(p, '?', (size_t)(close - p));
		if (q == NULL) {
			if (export_value(b, ev, p + 1,
			    (size_t)(close - p - 1)) != 0)
				goto missing;
		} else {
			if ((size_t)(q - p - 1) >= sizeof name)
				goto missing;
			memcpy(name, p + 1, (size_t)(q - p - 1));
			name[q - p - 1] = '\0';
			if ((v = json_object_get(ev, name)) == NULL)
				goto missing;
			bar = memchr(q, '|', (size_t)(close - q));
			if (bar == NULL)
				bar = close;
			if (json_is_true(v))
				export_buf_add(b, q + 1, (size_t)(bar - q - 1));
			else if (bar < close)
				export_buf_add(b, bar + 1,
				    (size_t)(close - bar - 1));
		}
		p = close + 1;
	}
	free(part.s);
	return (0);
missing:
	free(part.s);
	return (-1);
}

/* The event's own keys, without the envelope. */
static json_t *
export_own(json_t *ev)
{
	json_t		*own = json_object(), *v;
	const char	*key;
	size_t		 i;

	json_object_foreach(ev, key, v) {
		for (i = 0; export_envelope[i] != NULL; i++) {
			if (strcmp(key, export_envelope[i]) == 0)
				break;
		}
		if (export_envelope[i] == NULL)
			json_object_set(own, key, v);
	}
	return (own);
}

/* The one-line summary of an event, redacted. */
static const char *
export_summary(struct export_report *rep, const char *type, json_t *ev)
{
	struct export_buf	 b = { NULL, 0, 0 };
	json_t			*own;
	char			*s;
	size_t			 i;

	for (i = 0; i < nitems(export_types); i++) {
		if (strcmp(export_types[i].type, type) == 0)
			break;
	}
	if (i == nitems(export_types) || export_template(&b,
	    export_types[i].summary, strlen(export_types[i].summary),
	    ev) != 0) {
		/* An unknown type, or a known one with keys missing. */
		b.len = 0;
		own = export_own(ev);
		s = json_dumps(own, JSON_COMPACT);
		json_decref(own);
		export_buf_add(&b, type, strlen(type));
		if (s != NULL && strcmp(s, "{}") != 0) {
			export_buf_add(&b, " ", 1);
			export_buf_add(&b, s, strlen(s));
		}
		free(s);
	}
	if (b.s == NULL)
		return ("");
	export_keep(rep, b.s);
	return (export_text(rep, b.s));
}

/* Milliseconds since 1970 of an RFC 3339 UTC time, or -1. */
static int64_t
export_ts_ms(const char *ts)
{
	struct tm	tm;
	int		ms = 0, n = 0;

	if (ts == NULL)
		return (-1);
	memset(&tm, 0, sizeof tm);
	if (sscanf(ts, "%4d-%2d-%2dT%2d:%2d:%2d%n", &tm.tm_year, &tm.tm_mon,
	    &tm.tm_mday, &tm.tm_hour, &tm.tm_min, &tm.tm_sec, &n) != 6)
		return (-1);
	if (ts[n] == '.')
		sscanf(ts + n + 1, "%3d", &ms);
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	return ((int64_t)timegm(&tm) * 1000 + ms);
}

/* "+mm:ss" (or "+h:mm:ss") from the start of the incident to t. */
char *
export_offset(const struct export_report *rep, int64_t t)
{
	int64_t	 d = t - (rep->start != NULL && rep->start->t >= 0 ?
		     rep->start->t : 0), s;
	char	 sign = '+';

	if (t < 0)
		return (xstrdup(""));
	if (d < 0) {
		sign = '-';
		d = -d;
	}
	s = d / 1000;
	if (s >= 3600)
		return (xprintf("%c%lld:%02lld:%02lld", sign,
		    (long long)(s / 3600), (long long)(s % 3600 / 60),
		    (long long)(s % 60)));
	return (xprintf("%c%02lld:%02lld", sign, (long long)(s / 60),
	    (long long)(s % 60)));
}

/* "2026-11-26 02:14:03" from an RFC 3339 UTC timestamp. */
char *
export_utc(const char *ts)
{
	char	*s;

	if (ts == NULL || strlen(ts) < 19)
		return (xstrdup(ts != NULL ? ts : ""));
	s = xstrndup(ts, 19);
	if (s[10] == 'T')
		s[10] = ' ';
	return (s);
}

/* A duration as people read it: 850ms, 42s, 3m5s, 1h2m5s. */
char *
export_duration(int64_t ms)
{
	if (ms < 0)
		return (xstrdup(""));
	/* To the nearest second once there are seconds to show. */
	if (ms >= 1000)
		ms = (ms + 500) / 1000 * 1000;
	return (value_duration_format(ms));
}

/* The entry of a system, made on first sight. */
static struct export_system *
export_system(struct export_report *rep, const char *name)
{
	struct export_system	*sys;
	size_t			 i;

	for (i = 0; i < rep->nsystems; i++) {
		if (strcmp(rep->systems[i].name, name) == 0)
			return (&rep->systems[i]);
	}
	rep->systems = xreallocarray(rep->systems, rep->nsystems + 1,
	    sizeof *rep->systems);
	sys = &rep->systems[rep->nsystems++];
	memset(sys, 0, sizeof *sys);
	sys->name = name;
	sys->rto = -1;
	sys->rto_ms = -1;
	return (sys);
}

/* A check.change: opens an outage on down/degraded, closes it on up. */
static void
export_add_change(struct export_report *rep, const struct export_row *row,
    json_t *ev)
{
	struct export_system	*sys;
	struct export_outage	*o;
	const char		*name = export_str(rep, ev, "system");
	const char		*to = export_str(rep, ev, "to");
	json_t			*detail = json_object_get(ev, "detail");
	char			*s;

	if (name == NULL || to == NULL)
		return;
	sys = export_system(rep, name);
	sys->last = to;
	o = sys->noutages > 0 ? &sys->outages[sys->noutages - 1] : NULL;
	if (o != NULL && o->up != NULL)
		o = NULL;
	if (strcmp(to, "down") == 0 || strcmp(to, "degraded") == 0) {
		if (o == NULL) {
			sys->outages = xreallocarray(sys->outages,
			    sys->noutages + 1, sizeof *sys->outages);
			o = &sys->outages[sys->noutages++];
			memset(o, 0, sizeof *o);
			o->state = to;
			o->down = row;
		} else if (strcmp(to, "down") == 0)
			o->state = to;
		if (json_is_string(detail))
			o->detail = export_text(rep, json_string_value(detail));
		else if (detail != NULL && !json_is_null(detail)) {
			s = json_dumps(detail, JSON_COMPACT | JSON_ENCODE_ANY);
			export_keep(rep, s);
			o->detail = export_text(rep, s);
		}
	} else if (strcmp(to, "up") == 0 && o != NULL)
		o->up = row;
}

/* An rto event: met or missed, and in how long. */
static void
export_add_rto(struct export_report *rep, json_t *ev)
{
	struct export_system	*sys;
	const char		*name = export_str(rep, ev, "system");

	if (name == NULL)
		return;
	sys = export_system(rep, name);
	sys->rto = json_is_true(json_object_get(ev, "met"));
	sys->rto_ms = export_int(ev, "ms", -1);
}

/* The latest command with this id (ids may repeat after a resume). */
static struct export_command *
export_command(struct export_report *rep, const char *cmd, int create)
{
	struct export_command	*c;
	size_t			 i;

	for (i = rep->ncommands; !create && i > 0; i--) {
		c = &rep->commands[i - 1];
		if (c->cmd != NULL && strcmp(c->cmd, cmd) == 0)
			return (c);
	}
	rep->commands = xreallocarray(rep->commands, rep->ncommands + 1,
	    sizeof *rep->commands);
	c = &rep->commands[rep->ncommands++];
	memset(c, 0, sizeof *c);
	c->cmd = cmd;
	c->ms = -1;
	c->output_bytes = -1;
	return (c);
}

/* command.start, command.exit or command.cancel, paired by cmd. */
static void
export_add_command(struct export_report *rep, const struct export_row *row,
    json_t *ev)
{
	struct export_command	*c;
	const char		*cmd = export_str(rep, ev, "cmd"), *s;
	json_t			*tail, *v;
	size_t			 i, n;
	char			*copy, *line, *nl;

	if (cmd == NULL)
		cmd = "?";
	if (strcmp(row->type, "command.start") == 0) {
		c = export_command(rep, cmd, 1);
		c->start = row;
		c->step = export_str(rep, ev, "step");
		c->command = export_str(rep, ev, "command");
		c->simulated = json_is_true(json_object_get(ev, "simulated"));
		return;
	}
	c = export_command(rep, cmd, 0);
	if (strcmp(row->type, "command.cancel") == 0) {
		c->cancelled = export_str(rep, ev, "signal");
		if (c->cancelled == NULL)
			c->cancelled = "?";
		return;
	}
	c->end = row;
	v = json_object_get(ev, "exit");
	if ((c->has_exit = json_is_integer(v)))
		c->exit = json_integer_value(v);
	c->signal = export_str(rep, ev, "signal");
	c->ms = export_int(ev, "ms", -1);
	c->expect = export_str(rep, ev, "expect");
	c->output_file = export_str(rep, ev, "output_file");
	c->output_bytes = export_int(ev, "output_bytes", -1);
	c->timeout = json_is_true(json_object_get(ev, "timeout"));
	/* A command ends once; should a timeline say so twice, the last wins. */
	free(c->tail);
	c->tail = NULL;
	c->ntail = 0;
	tail = json_object_get(ev, "tail");
	if (json_is_array(tail)) {
		n = json_array_size(tail);
		c->tail = xcalloc(n + 1, sizeof *c->tail);
		json_array_foreach(tail, i, v) {
			if ((s = export_text(rep, json_string_value(v))))
				c->tail[c->ntail++] = s;
		}
	} else if (json_is_string(tail)) {
		copy = xstrdup(json_string_value(tail));
		export_keep(rep, copy);
		for (n = 1, s = copy; *s != '\0'; s++)
			n += *s == '\n';
		c->tail = xcalloc(n + 1, sizeof *c->tail);
		for (line = copy; line != NULL; line = nl) {
			if ((nl = strchr(line, '\n')) != NULL)
				*nl++ = '\0';
			if (nl == NULL && *line == '\0')
				break;
			c->tail[c->ntail++] = export_text(rep, line);
		}
	}
}

/* An operator, once, in order of appearance. */
static void
export_add_operator(struct export_report *rep, const char *op)
{
	size_t	i;

	if (op == NULL || *op == '\0')
		return;
	for (i = 0; i < rep->noperators; i++) {
		if (strcmp(rep->operators[i], op) == 0)
			return;
	}
	rep->operators = xreallocarray(rep->operators, rep->noperators + 1,
	    sizeof *rep->operators);
	rep->operators[rep->noperators++] = op;
}

/* incident.end: outcome, summary and the post-incident checklist. */
static void
export_add_end(struct export_report *rep, const struct export_row *row,
    json_t *ev)
{
	json_t	*list, *v;
	size_t	 i;

	rep->end = row;
	rep->outcome = export_str(rep, ev, "outcome");
	rep->summary = export_str(rep, ev, "summary");
	list = json_object_get(ev, "checklist");
	free(rep->checklist);
	rep->checklist = NULL;
	rep->nchecklist = 0;
	if (!json_is_array(list))
		return;
	rep->checklist = xcalloc(json_array_size(list) + 1,
	    sizeof *rep->checklist);
	json_array_foreach(list, i, v) {
		if (json_is_string(v)) {
			rep->checklist[rep->nchecklist].item =
			    export_text(rep, json_string_value(v));
			rep->checklist[rep->nchecklist++].done = 0;
			continue;
		}
		if (export_str(rep, v, "item") == NULL)
			continue;
		rep->checklist[rep->nchecklist].item = export_str(rep, v,
		    "item");
		rep->checklist[rep->nchecklist++].done =
		    json_is_true(json_object_get(v, "done"));
	}
}

/* Append one element to a section array of n elements. */
#define export_grow(a, n) \
	((a) = xreallocarray((a), (n) + 1, sizeof *(a)), \
	 memset(&(a)[(n)], 0, sizeof *(a)), &(a)[(n)++])

/* File one event into the sections it belongs to. */
static void
export_add_row(struct export_report *rep, struct export_row *row, json_t *ev)
{
	struct export_decision	*d;
	struct export_note	*n;
	struct export_confirm	*c;
	struct export_prereq	*p;
	json_t			*v;

	if (strcmp(row->type, "incident.end") == 0)
		export_add_end(rep, row, ev);
	else if (strcmp(row->type, "check.change") == 0)
		export_add_change(rep, row, ev);
	else if (strcmp(row->type, "rto") == 0)
		export_add_rto(rep, ev);
	else if (strncmp(row->type, "command.", 8) == 0)
		export_add_command(rep, row, ev);
	else if (strcmp(row->type, "decision") == 0) {
		d = export_grow(rep->decisions, rep->ndecisions);
		d->row = row;
		d->step = export_str(rep, ev, "step");
		d->choice = export_str(rep, ev, "choice");
		d->target = export_str(rep, ev, "goto");
		d->why = export_str(rep, ev, "why");
	} else if (strcmp(row->type, "note") == 0) {
		n = export_grow(rep->notes, rep->nnotes);
		n->row = row;
		n->text = export_str(rep, ev, "text");
		if (n->text == NULL)
			n->text = "";
	} else if (strcmp(row->type, "confirm") == 0) {
		c = export_grow(rep->confirms, rep->nconfirms);
		c->row = row;
		c->step = export_str(rep, ev, "step");
		c->answer = export_str(rep, ev, "answer");
		v = json_object_get(ev, "typed");
		c->typed = json_is_boolean(v) ? json_is_true(v) : -1;
	} else if (strcmp(row->type, "prerequisite") == 0) {
		p = export_grow(rep->prereqs, rep->nprereqs);
		p->row = row;
		p->scenario = export_str(rep, ev, "scenario");
		p->item = export_str(rep, ev, "item");
		p->answer = export_str(rep, ev, "answer");
	}
}

/* The incident's description, from incident.start (or the file name). */
static void
export_add_start(struct export_report *rep, json_t *ev)
{
	rep->id = export_str(rep, ev, "incident");
	rep->title = export_str(rep, ev, "title");
	rep->mode = export_str(rep, ev, "mode");
	rep->runbook = export_str(rep, ev, "runbook");
	rep->runbook_sha256 = export_str(rep, ev, "runbook_sha256");
	rep->scenario = export_str(rep, ev, "scenario");
	rep->host = export_str(rep, ev, "host");
	rep->drill = export_str(rep, ev, "drill");
}

/*
 * Build the report of jf, every string through r.  jf and r must
 * outlive the report; free it with export_report_free.
 */
struct export_report *
export_report_create(const struct journal_file *jf, struct redact *r)
{
	struct export_report		*rep = xcalloc(1, sizeof *rep);
	const struct journal_event	*ev;
	struct export_row		*row;
	const char			*slash, *type;
	int64_t				 start_ms = -1, ms;
	char				*id;
	size_t				 i, len;

	rep->jf = jf;
	rep->redact = r;
	slash = strrchr(jf->path, '/');
	rep->file = slash != NULL ? slash + 1 : jf->path;
	rep->rows = xcalloc(jf->nevents + 1, sizeof *rep->rows);
	for (i = 0; i < jf->nevents; i++) {
		ev = &jf->events[i];
		if (ev->json == NULL)
			continue;
		type = json_string_value(json_object_get(ev->json, "type"));
		row = &rep->rows[rep->nrows++];
		row->ev = ev;
		row->seq = ev->seq;
		row->ts = json_string_value(json_object_get(ev->json, "ts"));
		row->t = export_int(ev->json, "t", -1);
		row->op = export_str(rep, ev->json, "op");
		row->type = export_text(rep, type != NULL ? type : "?");
		if (rep->start == NULL && (rep->nrows == 1 ||
		    strcmp(row->type, "incident.start") == 0)) {
			/* The first line, until incident.start shows up. */
			rep->start = row;
			start_ms = export_ts_ms(row->ts);
		}
		if (row->t < 0 && start_ms >= 0 &&
		    (ms = export_ts_ms(row->ts)) >= 0)
			row->t = ms - start_ms;
		row->text = export_summary(rep, row->type, ev->json);
		if (strcmp(row->type, "incident.start") == 0 &&
		    rep->id == NULL) {
			rep->start = row;
			export_add_start(rep, ev->json);
		}
		export_add_operator(rep, row->op);
		export_add_row(rep, row, ev->json);
	}
	if (rep->id == NULL) {
		len = strlen(rep->file);
		id = len > 6 && strcmp(rep->file + len - 6, ".jsonl") == 0 ?
		    xstrndup(rep->file, len - 6) : xstrdup(rep->file);
		rep->id = export_keep(rep, id);
	}
	if (rep->title == NULL)
		rep->title = rep->id;
	if (rep->end != NULL && rep->start != NULL && rep->end->t >= 0 &&
	    rep->start->t >= 0)
		rep->duration_ms = rep->end->t - rep->start->t;
	else
		rep->duration_ms = -1;

	rep->head_seq = journal_last(jf, rep->head);
	rep->anchor = journal_anchor(jf);
	rep->chain_bad = journal_verify(jf, &rep->chain_why);
	rep->torn_line = jf->torn_line;
	rep->torn_why = jf->torn_why;
	return (rep);
}

/* Free a report (NULL is fine); the journal file stays. */
void
export_report_free(struct export_report *rep)
{
	size_t	i;

	if (rep == NULL)
		return;
	for (i = 0; i < rep->npool; i++)
		free(rep->pool[i]);
	free(rep->pool);
	for (i = 0; i < rep->nsystems; i++)
		free(rep->systems[i].outages);
	free(rep->systems);
	for (i = 0; i < rep->ncommands; i++)
		free(rep->commands[i].tail);
	free(rep->commands);
	free(rep->operators);
	free(rep->rows);
	free(rep->decisions);
	free(rep->notes);
	free(rep->confirms);
	free(rep->prereqs);
	free(rep->checklist);
	free(rep->anchor);
	free(rep->chain_why);
	free(rep);
}

/* A copy of v with every string redacted. */
static json_t *
export_redact_json(struct redact *r, json_t *v)
{
	json_t		*out, *x;
	const char	*key;
	size_t		 i, outlen;
	char		*s;

	if (json_is_string(v)) {
		if (redact_buffer(r, json_string_value(v),
		    json_string_length(v), &s, &outlen) == 0)
			return (json_incref(v));
		x = json_stringn(s, outlen);
		free(s);
		return (x != NULL ? x : json_string(REDACT_MARK));
	}
	if (json_is_object(v)) {
		out = json_object();
		json_object_foreach(v, key, x)
			json_object_set_new(out, key, export_redact_json(r, x));
		return (out);
	}
	if (json_is_array(v)) {
		out = json_array();
		json_array_foreach(v, i, x)
			json_array_append_new(out, export_redact_json(r, x));
		return (out);
	}
	return (json_incref(v));
}

/* The event's own keys (no envelope), every string redacted; caller decrefs. */
json_t *
export_event_data(const struct export_report *rep,
    const struct export_row *row)
{
	json_t	*own = export_own(row->ev->json), *out;

	out = export_redact_json(rep->redact, own);
	json_decref(own);
	return (out);
}


/*
 * Write rep with ops to path, or to stdout when path is NULL.  A file is
 * written whole or not at all: a temporary file in the same directory,
 * synced, renamed over path, then the directory synced.  Returns 0, or
 * -1 with *cause set (caller frees).
 */
struct export_job {
	const struct export_ops		*ops;
	const struct export_report	*rep;
};

static int
export_put(void *arg, FILE *f)
{
	struct export_job	*j = arg;

	return (j->ops->write(j->rep, f));
}

int
export_write(const struct export_ops *ops, const struct export_report *rep,
    const char *path, char **cause)
{
	struct export_job	j = { ops, rep };

	if (path == NULL) {
		if (ops->write(rep, stdout) != 0 || fflush(stdout) != 0 ||
		    ferror(stdout)) {
			*cause = xprintf("standard output: %s",
			    strerror(errno));
			return (-1);
		}
		return (0);
	}
	return (fileio_write(path, export_put, &j, cause));
}
