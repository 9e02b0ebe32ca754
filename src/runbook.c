/*
 * The runbook and drill loader and validator.
 *
 * The format is described once, in the schema tables below: every key of
 * every object with its type, whether it is required, where it goes in the
 * model and what it means.  One generic decoder walks a YAML tree against
 * those tables, so parsing, validation and the list of keys in messages
 * all come from the same entries.  Rules that span objects (ids that must
 * be unique, goto targets, system and variable references, reachability,
 * destructive commands) run after the decode, on the finished model.
 *
 * Every problem is added to the caller's diag with its place; the loader
 * never stops at the first one.  Nothing here knows about terminals,
 * processes or the network.
 */

#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "expand.h"
#include "fileio.h"
#include "pattern.h"
#include "runbook.h"
#include "value.h"
#include "xmalloc.h"
#include "ytree.h"

enum ftype {
	FT_STRING,	/* any scalar, kept as text */
	FT_SLUG,
	FT_BOOL,
	FT_INT,
	FT_DURATION,
	FT_RPO,		/* duration, or free text */
	FT_PATTERN,
	FT_DATE,
	FT_STATE,	/* up, down, degraded */
	FT_KIND,	/* incident, procedure */
	FT_STRLIST,
	FT_OBJ,		/* nested object stored in place */
	FT_OBJLIST,	/* list of objects: (array, count) */
	FT_OBJMAP,	/* map name -> object: (array, count) */
	FT_STATEMAP	/* map system -> state: (array, count) */
};

/* Field flags. */
#define FF_REQUIRED	0x01
#define FF_VARS		0x02	/* may hold {{variables}} */
#define FF_SYSREF	0x04	/* names systems of the runbook */
#define FF_GOTO		0x08	/* a goto target */
#define FF_POSITIVE	0x10	/* integer >= 1 */
#define FF_NONEMPTY	0x20	/* a list that needs at least one item */
#define FF_CHECKKIND	0x40	/* one of the check kinds */

struct schema;

struct field {
	const char		*key;
	enum ftype		 type;
	int			 flags;
	size_t			 off;
	const struct schema	*sub;
	size_t			 posoff;	/* FT_STRLIST: positions; 0 none */
	const char		*doc;
};

struct rbload;

struct schema {
	const char	*name;		/* in messages: "step" */
	size_t		 size;
	size_t		 pos_off;	/* struct rb_pos of the object */
	size_t		 name_off;	/* FT_OBJMAP: where the key goes */
	const struct field *fields;
	void		(*check)(struct rbload *, const struct ynode *,
			    void *);
};

enum ref_kind {
	REF_SYSTEM,
	REF_GOTO,
	REF_VAR
};

struct ref {
	enum ref_kind	 kind;
	char		*name;
	size_t		 scenario;	/* REF_GOTO: from which scenario */
	struct rb_pos	 pos;
};

struct rbload {
	const char	*file;
	struct diag	*diag;
	struct ref	*refs;
	size_t		 nrefs;
	size_t		 scenario;	/* index of the scenario being read */
	const struct rb_load_options *opts;
	struct runbook	*rb;
	struct drill	*drill;
};

static void	rb_check_system(struct rbload *, const struct ynode *, void *);
static void	rb_check_check(struct rbload *, const struct ynode *, void *);
static void	rb_check_step(struct rbload *, const struct ynode *, void *);
static void	rb_check_drill_result(struct rbload *, const struct ynode *,
		    void *);
static void	rb_check_runbook(struct rbload *, const struct ynode *,
		    void *);
static void	rb_check_drill(struct rbload *, const struct ynode *, void *);

#define OFF(type, member) offsetof(struct type, member)
#define NOPOS ((size_t)-1)

/* Descriptions are also the reference in rbnav-runbook(5). */
static const struct field check_fields[] = {
	{ "http", FT_STRING, FF_VARS | FF_CHECKKIND, 0, NULL, 0,
	  "URL fetched with GET" },
	{ "postgres", FT_STRING, FF_VARS | FF_CHECKKIND, 0, NULL, 0,
	  "libpq connection string or URI" },
	{ "tcp", FT_STRING, FF_VARS | FF_CHECKKIND, 0, NULL, 0,
	  "host:port that must accept a connection" },
	{ "command", FT_STRING, FF_VARS | FF_CHECKKIND, 0, NULL, 0,
	  "shell command that must exit 0" },
	{ "expect_status", FT_INT, 0, OFF(rb_check, expect_status), NULL, 0,
	  "HTTP status that counts as up (default any 2xx)" },
	{ "expect_body", FT_PATTERN, 0, OFF(rb_check, expect_body), NULL, 0,
	  "PCRE2 pattern searched in the HTTP body" },
	{ "query", FT_STRING, 0, OFF(rb_check, query), NULL, 0,
	  "PostgreSQL query (default SELECT 1)" },
	{ "expect", FT_PATTERN, 0, OFF(rb_check, expect), NULL, 0,
	  "PCRE2 pattern searched in the query value or command output" },
	{ "interval", FT_DURATION, 0, OFF(rb_check, interval), NULL, 0,
	  "time between checks (default 5s)" },
	{ "timeout", FT_DURATION, 0, OFF(rb_check, timeout), NULL, 0,
	  "longest a check may take (default 2s)" },
	{ NULL, 0, 0, 0, NULL, 0, NULL }
};
static const struct schema check_schema = {
	"check", sizeof (struct rb_check), OFF(rb_check, pos), 0,
	check_fields, rb_check_check
};

static const struct field system_fields[] = {
	{ "id", FT_SLUG, FF_REQUIRED, OFF(rb_system, id), NULL, 0,
	  "slug referenced by scenarios and steps" },
	{ "name", FT_STRING, FF_REQUIRED, OFF(rb_system, name), NULL, 0,
	  "name shown in status panes" },
	{ "priority", FT_INT, FF_REQUIRED | FF_POSITIVE,
	  OFF(rb_system, priority), NULL, 0,
	  "1 is recovered first; panes are sorted by it" },
	{ "rto", FT_DURATION, 0, OFF(rb_system, rto), NULL, 0,
	  "recovery time objective, counted from the incident start" },
	{ "rpo", FT_RPO, 0, OFF(rb_system, rpo), NULL, 0,
	  "recovery point objective: a duration or free text" },
	{ "check", FT_OBJ, 0, OFF(rb_system, check), &check_schema, 0,
	  "how the status pane decides up or down" },
	{ NULL, 0, 0, 0, NULL, 0, NULL }
};
static const struct schema system_schema = {
	"system", sizeof (struct rb_system), OFF(rb_system, pos), 0,
	system_fields, rb_check_system
};

static const struct field variable_fields[] = {
	{ "prompt", FT_STRING, FF_REQUIRED, OFF(rb_variable, prompt), NULL, 0,
	  "the question shown to the operator" },
	{ "default", FT_STRING, 0, OFF(rb_variable, def), NULL, 0,
	  "pre-filled value" },
	{ "pattern", FT_PATTERN, 0, OFF(rb_variable, pattern), NULL, 0,
	  "PCRE2 pattern the value must match" },
	{ "secret", FT_BOOL, 0, OFF(rb_variable, secret), NULL, 0,
	  "mask input and redact the value everywhere" },
	{ NULL, 0, 0, 0, NULL, 0, NULL }
};
static const struct schema variable_schema = {
	"variable", sizeof (struct rb_variable), OFF(rb_variable, pos),
	OFF(rb_variable, name), variable_fields, NULL
};

static const struct field contact_fields[] = {
	{ "role", FT_STRING, FF_REQUIRED, OFF(rb_contact, role), NULL, 0,
	  "e.g. Database Admin" },
	{ "name", FT_STRING, 0, OFF(rb_contact, name), NULL, 0, "who" },
	{ "email", FT_STRING, 0, OFF(rb_contact, email), NULL, 0, "address" },
	{ "phone", FT_STRING, 0, OFF(rb_contact, phone), NULL, 0, "number" },
	{ "chat", FT_STRING, 0, OFF(rb_contact, chat), NULL, 0,
	  "chat handle or channel" },
	{ NULL, 0, 0, 0, NULL, 0, NULL }
};
static const struct schema contact_schema = {
	"contact", sizeof (struct rb_contact), NOPOS, 0, contact_fields, NULL
};

static const struct field state_set_fields[] = {
	{ NULL, 0, 0, 0, NULL, 0, NULL }
};
static const struct schema state_set_schema = {
	"state", sizeof (struct rb_state_set), OFF(rb_state_set, pos),
	OFF(rb_state_set, system), state_set_fields, NULL
};

static const struct field drill_result_fields[] = {
	{ "output", FT_STRING, 0, OFF(rb_drill_result, output), NULL, 0,
	  "what the command prints in drill mode" },
	{ "exit", FT_INT, 0, OFF(rb_drill_result, exit), NULL, 0,
	  "its exit status (default 0)" },
	{ "duration", FT_DURATION, 0, OFF(rb_drill_result, duration), NULL, 0,
	  "how long it takes (default 1s)" },
	{ "after", FT_STATEMAP, FF_SYSREF, OFF(rb_drill_result, after),
	  &state_set_schema, 0,
	  "simulated system states once the step completes" },
	{ NULL, 0, 0, 0, NULL, 0, NULL }
};
static const struct schema drill_result_schema = {
	"drill result", sizeof (struct rb_drill_result), NOPOS, 0,
	drill_result_fields, rb_check_drill_result
};

static const struct field choice_fields[] = {
	{ "label", FT_STRING, FF_REQUIRED | FF_VARS, OFF(rb_choice, label),
	  NULL, 0, "the answer shown" },
	{ "goto", FT_STRING, FF_REQUIRED | FF_GOTO, OFF(rb_choice, target),
	  NULL, 0, "step-id, scenario-id or scenario-id/step-id" },
	{ NULL, 0, 0, 0, NULL, 0, NULL }
};
static const struct schema choice_schema = {
	"choice", sizeof (struct rb_choice), OFF(rb_choice, pos), 0,
	choice_fields, NULL
};

static const struct field step_fields[] = {
	{ "id", FT_SLUG, 0, OFF(rb_step, id), NULL, 0,
	  "unique in the scenario; default step-N" },
	{ "title", FT_STRING, FF_REQUIRED | FF_VARS, OFF(rb_step, title),
	  NULL, 0, "what to do, in a few words" },
	{ "text", FT_STRING, FF_VARS, OFF(rb_step, text), NULL, 0,
	  "explanation shown under the title" },
	{ "run", FT_STRING, FF_VARS, OFF(rb_step, run), NULL, 0,
	  "shell script run with /bin/sh -c; variables are shell-quoted" },
	{ "interactive", FT_BOOL, 0, OFF(rb_step, interactive), NULL, 0,
	  "give the command the real terminal (ssh, sudo, psql)" },
	{ "workdir", FT_STRING, FF_VARS, OFF(rb_step, workdir), NULL, 0,
	  "directory to run in" },
	{ "timeout", FT_DURATION, 0, OFF(rb_step, timeout), NULL, 0,
	  "stop the command's process group after this long" },
	{ "confirm", FT_BOOL, 0, OFF(rb_step, confirm), NULL, 0,
	  "ask y/N before running" },
	{ "danger", FT_STRING, 0, OFF(rb_step, danger), NULL, 0,
	  "destructive: the reason; the step id must be typed to run" },
	{ "expect", FT_PATTERN, 0, OFF(rb_step, expect), NULL, 0,
	  "PCRE2 pattern the output must match" },
	{ "expect_exit", FT_INT, 0, OFF(rb_step, expect_exit), NULL, 0,
	  "exit status that counts as success (default 0)" },
	{ "wait_for", FT_STRLIST, FF_SYSREF | FF_NONEMPTY,
	  OFF(rb_step, wait_for), NULL, 0,
	  "systems that must be up before the step is done" },
	{ "open", FT_STRING, FF_VARS, OFF(rb_step, open), NULL, 0,
	  "a URL to look at" },
	{ "ask", FT_STRING, FF_VARS, OFF(rb_step, ask), NULL, 0,
	  "a question; needs choices" },
	{ "choices", FT_OBJLIST, FF_NONEMPTY, OFF(rb_step, choices),
	  &choice_schema, 0, "answers, each with the step to go to" },
	{ "goto", FT_STRING, FF_GOTO, OFF(rb_step, target), NULL, 0,
	  "where to go when the step succeeds" },
	{ "optional", FT_BOOL, 0, OFF(rb_step, optional), NULL, 0,
	  "may be skipped without a reason" },
	{ "drill", FT_OBJ, 0, OFF(rb_step, drill), &drill_result_schema, 0,
	  "what drill mode shows instead of running" },
	{ NULL, 0, 0, 0, NULL, 0, NULL }
};
static const struct schema step_schema = {
	"step", sizeof (struct rb_step), OFF(rb_step, pos), 0, step_fields,
	rb_check_step
};

static const struct field scenario_fields[] = {
	{ "id", FT_SLUG, FF_REQUIRED, OFF(rb_scenario, id), NULL, 0,
	  "unique in the runbook" },
	{ "title", FT_STRING, FF_REQUIRED, OFF(rb_scenario, title), NULL, 0,
	  "shown in the picker" },
	{ "kind", FT_KIND, 0, OFF(rb_scenario, kind), NULL, 0,
	  "incident (default) or procedure" },
	{ "when", FT_STRING, 0, OFF(rb_scenario, when), NULL, 0,
	  "when to use it" },
	{ "symptoms", FT_STRLIST, 0, OFF(rb_scenario, symptoms), NULL, 0,
	  "what the operator sees; searched by the picker" },
	{ "prerequisites", FT_STRLIST, 0, OFF(rb_scenario, prerequisites),
	  NULL, 0, "acknowledged before the first step" },
	{ "systems", FT_STRLIST, FF_SYSREF, OFF(rb_scenario, systems), NULL,
	  0, "affected systems" },
	{ "steps", FT_OBJLIST, FF_REQUIRED | FF_NONEMPTY,
	  OFF(rb_scenario, steps), &step_schema, 0, "the procedure" },
	{ NULL, 0, 0, 0, NULL, 0, NULL }
};
static const struct schema scenario_schema = {
	"scenario", sizeof (struct rb_scenario), OFF(rb_scenario, pos), 0,
	scenario_fields, NULL
};

static const struct field runbook_fields[] = {
	{ "format", FT_STRING, FF_REQUIRED, OFF(runbook, format), NULL, 0,
	  "exactly rbnav/v1" },
	{ "id", FT_SLUG, FF_REQUIRED, OFF(runbook, id), NULL, 0,
	  "unique among loaded runbooks" },
	{ "title", FT_STRING, FF_REQUIRED, OFF(runbook, title), NULL, 0,
	  "shown in the picker and exports" },
	{ "description", FT_STRING, 0, OFF(runbook, description), NULL, 0,
	  "free text" },
	{ "reviewed", FT_DATE, 0, OFF(runbook, reviewed), NULL, 0,
	  "last review, YYYY-MM-DD or YYYY-MM" },
	{ "owner", FT_STRING, 0, OFF(runbook, owner), NULL, 0,
	  "who maintains it" },
	{ "systems", FT_OBJLIST, 0, OFF(runbook, systems), &system_schema, 0,
	  "the recovery priority table" },
	{ "variables", FT_OBJMAP, 0, OFF(runbook, variables),
	  &variable_schema, 0, "values the operator supplies" },
	{ "contacts", FT_OBJLIST, 0, OFF(runbook, contacts), &contact_schema,
	  0, "who to call" },
	{ "scenarios", FT_OBJLIST, FF_REQUIRED | FF_NONEMPTY,
	  OFF(runbook, scenarios), &scenario_schema, 0, "the procedures" },
	{ "post_incident", FT_STRLIST, 0, OFF(runbook, post_incident), NULL,
	  0, "checklist offered when an incident ends" },
	{ NULL, 0, 0, 0, NULL, 0, NULL }
};
static const struct schema runbook_schema = {
	"runbook", sizeof (struct runbook), NOPOS, 0, runbook_fields,
	rb_check_runbook
};

static const struct field event_fields[] = {
	{ "at", FT_DURATION, FF_REQUIRED, OFF(drill_event, at), NULL, 0,
	  "time since the drill started" },
	{ "system", FT_STRING, FF_REQUIRED, OFF(drill_event, system), NULL, 0,
	  "system id" },
	{ "state", FT_STATE, FF_REQUIRED, OFF(drill_event, state), NULL, 0,
	  "up, down or degraded" },
	{ NULL, 0, 0, 0, NULL, 0, NULL }
};
static const struct schema event_schema = {
	"event", sizeof (struct drill_event), OFF(drill_event, pos), 0,
	event_fields, NULL
};

#define DOFF(member) (OFF(drill_override, result) + \
	OFF(rb_drill_result, member))
static const struct field override_fields[] = {
	{ "output", FT_STRING, 0, DOFF(output), NULL, 0, "" },
	{ "exit", FT_INT, 0, DOFF(exit), NULL, 0, "" },
	{ "duration", FT_DURATION, 0, DOFF(duration), NULL, 0, "" },
	{ "after", FT_STATEMAP, 0, DOFF(after), &state_set_schema, 0, "" },
	{ NULL, 0, 0, 0, NULL, 0, NULL }
};
static void
rb_check_override(struct rbload *l, const struct ynode *n, void *obj)
{
	rb_check_drill_result(l, n, &((struct drill_override *)obj)->result);
}

static const struct schema override_schema = {
	"drill result", sizeof (struct drill_override),
	OFF(drill_override, pos), OFF(drill_override, ref), override_fields,
	rb_check_override
};

static const struct field drill_fields[] = {
	{ "format", FT_STRING, FF_REQUIRED, OFF(drill, format), NULL, 0,
	  "exactly rbnav-drill/v1" },
	{ "id", FT_SLUG, FF_REQUIRED, OFF(drill, id), NULL, 0, "slug" },
	{ "title", FT_STRING, FF_REQUIRED, OFF(drill, title), NULL, 0,
	  "shown in the picker" },
	{ "runbook", FT_SLUG, FF_REQUIRED, OFF(drill, runbook), NULL, 0,
	  "id of the runbook drilled" },
	{ "scenario", FT_SLUG, 0, OFF(drill, scenario), NULL, 0,
	  "where the trainee starts; omit to let them find it" },
	{ "briefing", FT_STRING, 0, OFF(drill, briefing), NULL, 0,
	  "what the trainee is told" },
	{ "initial", FT_STATEMAP, 0, OFF(drill, initial), &state_set_schema,
	  0, "simulated states at the start" },
	{ "events", FT_OBJLIST, 0, OFF(drill, events), &event_schema, 0,
	  "timed state changes" },
	{ "steps", FT_OBJMAP, 0, OFF(drill, steps), &override_schema, 0,
	  "step results, by step ref" },
	{ "expected_path", FT_STRLIST, 0, OFF(drill, expected_path), NULL,
	  OFF(drill, expected_pos), "the path a good operator takes" },
	{ "time_limit", FT_DURATION, 0, OFF(drill, time_limit), NULL, 0,
	  "default: the largest RTO of the scenario's systems" },
	{ NULL, 0, 0, 0, NULL, 0, NULL }
};
static const struct schema drill_schema = {
	"drill", sizeof (struct drill), NOPOS, 0, drill_fields, rb_check_drill
};

/* A problem at a node. */
static void
rb_error(struct rbload *l, const struct ynode *n, const char *fmt, ...)
{
	va_list	 ap;
	char	*msg;

	va_start(ap, fmt);
	xvasprintf(&msg, fmt, ap);
	va_end(ap);
	diag_add(l->diag, DIAG_ERROR, l->file, n ? n->line : 0,
	    n ? n->col : 0, "%s", msg);
	free(msg);
}

static void
rb_warning(struct rbload *l, const struct ynode *n, const char *fmt, ...)
{
	va_list	 ap;
	char	*msg;

	va_start(ap, fmt);
	xvasprintf(&msg, fmt, ap);
	va_end(ap);
	diag_add(l->diag, DIAG_WARNING, l->file, n ? n->line : 0,
	    n ? n->col : 0, "%s", msg);
	free(msg);
}

static void
rb_error_at(struct rbload *l, struct rb_pos pos, const char *fmt, ...)
{
	va_list	 ap;
	char	*msg;

	va_start(ap, fmt);
	xvasprintf(&msg, fmt, ap);
	va_end(ap);
	diag_add(l->diag, DIAG_ERROR, l->file, pos.line, pos.col, "%s", msg);
	free(msg);
}

/*
 * The place of byte off inside a scalar: exact for one-line plain and
 * quoted scalars without escapes, the scalar's start otherwise.
 */
static struct rb_pos
rb_scalar_pos(const struct ynode *n, size_t off)
{
	struct rb_pos	pos = { n->line, n->col };
	size_t		raw = n->end - n->start, i, quotes;

	if (memchr(n->value, '\n', n->len) != NULL || off > n->len)
		return (pos);
	switch (n->style) {
	case YSTYLE_PLAIN:
		quotes = 0;
		break;
	case YSTYLE_SINGLE:
	case YSTYLE_DOUBLE:
		quotes = 1;
		break;
	default:
		return (pos);
	}
	/* Only when the source is the value itself: no escapes, no folds. */
	if (raw != n->len + 2 * quotes)
		return (pos);
	pos.col += (int)quotes;
	for (i = 0; i < off; i++) {
		if (((unsigned char)n->value[i] & 0xc0) != 0x80)
			pos.col++;
	}
	return (pos);
}

static const char *
rb_type_name(const struct ynode *n)
{
	switch (n->type) {
	case YNODE_SEQ:
		return ("a list");
	case YNODE_MAP:
		return ("a mapping");
	default:
		return ("a string");
	}
}

static void
rb_add_ref(struct rbload *l, enum ref_kind kind, const char *name,
    struct rb_pos pos)
{
	struct ref	*r;

	l->refs = xreallocarray(l->refs, l->nrefs + 1, sizeof *l->refs);
	r = &l->refs[l->nrefs++];
	r->kind = kind;
	r->name = xstrdup(name);
	r->scenario = l->scenario;
	r->pos = pos;
}

struct rb_varctx {
	struct rbload		*l;
	const struct ynode	*n;
};

static void
rb_var_ref(const char *name, size_t off, void *arg)
{
	struct rb_varctx	*c = arg;

	rb_add_ref(c->l, REF_VAR, name, rb_scalar_pos(c->n, off));
}

/* Edit distance, for "did you mean" on unknown keys. */
static size_t
rb_distance(const char *a, const char *b)
{
	size_t	la = strlen(a), lb = strlen(b), i, j, prev, tmp, best;
	size_t	row[64];

	if (la >= 63 || lb >= 63)
		return ((size_t)-1);
	for (j = 0; j <= lb; j++)
		row[j] = j;
	for (i = 1; i <= la; i++) {
		prev = row[0];
		row[0] = i;
		for (j = 1; j <= lb; j++) {
			tmp = row[j];
			best = prev + (a[i - 1] != b[j - 1]);
			if (row[j] + 1 < best)
				best = row[j] + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			row[j] = best;
			prev = tmp;
		}
	}
	return (row[lb]);
}

static const char *
rb_suggest(const struct field *fields, const char *key)
{
	const struct field	*f;
	const char		*best = NULL;
	size_t			 d, bestd = 3;

	for (f = fields; f->key != NULL; f++) {
		if ((d = rb_distance(f->key, key)) < bestd) {
			bestd = d;
			best = f->key;
		}
	}
	return (best);
}

static void	rb_decode_object(struct rbload *, const struct schema *,
		    const struct ynode *, void *);

/* A variable name usable as {{name}}: [A-Za-z_][A-Za-z0-9_]*. */
static int
rb_var_name(const char *s)
{
	const char	*p;

	if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
	    *s == '_'))
		return (0);
	for (p = s + 1; *p != '\0'; p++) {
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || *p == '_'))
			return (0);
	}
	return (1);
}

/* A scalar that must be text; NULL (with a message) when it is not. */
static const char *
rb_scalar(struct rbload *l, const struct field *f, const struct ynode *n)
{
	if (n->type != YNODE_SCALAR) {
		rb_error(l, n, "'%s' must be a string, not %s", f->key,
		    rb_type_name(n));
		return (NULL);
	}
	return (n->value);
}

static int
rb_decode_bool(struct rbload *l, const struct field *f, const struct ynode *n,
    int *out)
{
	if (n->type == YNODE_SCALAR && n->style == YSTYLE_PLAIN) {
		if (strcmp(n->value, "true") == 0) {
			*out = 1;
			return (0);
		}
		if (strcmp(n->value, "false") == 0) {
			*out = 0;
			return (0);
		}
	}
	if (n->type == YNODE_SCALAR)
		rb_error(l, n, "'%s' must be true or false, not '%s'", f->key,
		    n->value);
	else
		rb_error(l, n, "'%s' must be true or false, not %s", f->key,
		    rb_type_name(n));
	return (-1);
}

static struct pattern *
rb_decode_pattern(struct rbload *l, const struct field *f,
    const struct ynode *n)
{
	struct pattern	*p;
	char		*cause;
	size_t		 off;

	if (rb_scalar(l, f, n) == NULL)
		return (NULL);
	if ((p = pattern_compile(n->value, 0, &cause, &off)) == NULL) {
		rb_error_at(l, rb_scalar_pos(n, off),
		    "'%s': pattern does not compile at offset %zu: %s",
		    f->key, off, cause);
		free(cause);
	}
	return (p);
}

/* The list of strings at n; positions too when wanted. */
static void
rb_decode_strlist(struct rbload *l, const struct field *f,
    const struct ynode *n, char ***out, size_t *nout, struct rb_pos **pos)
{
	size_t	i, k = 0;

	if (n->type != YNODE_SEQ) {
		rb_error(l, n, "'%s' must be a list of strings, not %s",
		    f->key, rb_type_name(n));
		return;
	}
	if (n->n == 0 && (f->flags & FF_NONEMPTY)) {
		rb_error(l, n, "'%s' must not be empty", f->key);
		return;
	}
	*out = xcalloc(n->n, sizeof **out);
	if (pos != NULL)
		*pos = xcalloc(n->n, sizeof **pos);
	for (i = 0; i < n->n; i++) {
		const struct ynode	*it = n->items[i];

		if (it->type != YNODE_SCALAR) {
			rb_error(l, it, "items of '%s' must be strings, not "
			    "%s", f->key, rb_type_name(it));
			continue;
		}
		if (f->flags & FF_SYSREF)
			rb_add_ref(l, REF_SYSTEM, it->value,
			    (struct rb_pos){ it->line, it->col });
		if (pos != NULL)
			(*pos)[k] = (struct rb_pos){ it->line, it->col };
		(*out)[k++] = xstrdup(it->value);
	}
	*nout = k;
}

static void
rb_decode_statemap(struct rbload *l, const struct field *f,
    const struct ynode *n, struct rb_state_set **out, size_t *nout)
{
	size_t	i, k = 0;

	if (n->type != YNODE_MAP) {
		rb_error(l, n, "'%s' must map system ids to up, down or "
		    "degraded", f->key);
		return;
	}
	*out = xcalloc(YNODE_PAIRS(n), sizeof **out);
	for (i = 0; i < YNODE_PAIRS(n); i++) {
		const struct ynode	*key = YNODE_KEY(n, i);
		const struct ynode	*val = YNODE_VAL(n, i);
		struct rb_state_set	*s = &(*out)[k];

		if (val->type != YNODE_SCALAR ||
		    rb_state_parse(val->value, &s->state) != 0 ||
		    s->state == RB_STATE_PENDING) {
			rb_error(l, val, "state of '%s' must be up, down, "
			    "degraded or unknown", key->value);
			continue;
		}
		s->system = xstrdup(key->value);
		s->pos = (struct rb_pos){ key->line, key->col };
		if (f->flags & FF_SYSREF)
			rb_add_ref(l, REF_SYSTEM, key->value, s->pos);
		k++;
	}
	*nout = k;
}

/* Decode a list (or a map, by key) of objects into a new array. */
static void
rb_decode_objects(struct rbload *l, const struct field *f,
    const struct ynode *n, void *vout, size_t *nout)
{
	const struct schema	*sub = f->sub;
	unsigned char		*arr;
	size_t			 i, k, count;
	int			 map = f->type == FT_OBJMAP;

	if (!map && n->type != YNODE_SEQ) {
		rb_error(l, n, "'%s' must be a list, not %s", f->key,
		    rb_type_name(n));
		return;
	}
	if (map && n->type != YNODE_MAP) {
		rb_error(l, n, "'%s' must be a mapping, not %s", f->key,
		    rb_type_name(n));
		return;
	}
	count = map ? YNODE_PAIRS(n) : n->n;
	if (count == 0 && (f->flags & FF_NONEMPTY)) {
		rb_error(l, n, "'%s' must not be empty", f->key);
		return;
	}
	arr = xcalloc(count, sub->size);
	for (i = 0, k = 0; i < count; i++) {
		void			*obj = arr + k * sub->size;
		const struct ynode	*it = map ? YNODE_VAL(n, i) :
					    n->items[i];

		k++;

		if (sub == &scenario_schema)
			l->scenario = i;
		if (map) {
			char	*name = xstrdup(YNODE_KEY(n, i)->value);

			if (sub == &variable_schema && !rb_var_name(name))
				rb_error(l, YNODE_KEY(n, i), "variable name "
				    "'%s' must be letters, digits and '_', "
				    "not starting with a digit", name);

			memcpy((unsigned char *)obj + sub->name_off, &name,
			    sizeof name);
		}
		if (sub->pos_off != NOPOS) {
			const struct ynode	*at = map ?
						    YNODE_KEY(n, i) : it;
			struct rb_pos		 pos = { at->line, at->col };

			memcpy((unsigned char *)obj + sub->pos_off, &pos,
			    sizeof pos);
		}
		rb_decode_object(l, sub, it, obj);
	}
	memcpy(vout, &arr, sizeof arr);
	*nout = k;
}

/* One field's value into the object at base. */
static void
rb_decode_field(struct rbload *l, const struct field *f,
    const struct ynode *n, unsigned char *base)
{
	void		*dst = base + f->off;
	const char	*s;
	char		*copy;
	long long	 v;
	int64_t		 ms;
	int		 b, days;
	size_t		 bad;

	if (ynode_is_null(n) && f->type != FT_STRING) {
		rb_error(l, n, "'%s' must have a value (leave the key out "
		    "instead)", f->key);
		return;
	}
	switch (f->type) {
	case FT_STRING:
		if ((s = rb_scalar(l, f, n)) == NULL)
			return;
		if (ynode_is_null(n)) {
			if (f->flags & FF_REQUIRED)
				rb_error(l, n, "'%s' must not be empty",
				    f->key);
			return;
		}
		if (f->flags & FF_VARS) {
			struct rb_varctx	c = { l, n };

			if (expand_refs(s, rb_var_ref, &c, &bad) != 0) {
				rb_error_at(l, rb_scalar_pos(n, bad),
				    "'%s': '{{' does not start a variable "
				    "reference ({{name}}); write '{{{{' for a "
				    "literal '{{'", f->key);
			}
		}
		if (f->flags & FF_GOTO)
			rb_add_ref(l, REF_GOTO, s,
			    (struct rb_pos){ n->line, n->col });
		copy = xstrdup(s);
		memcpy(dst, &copy, sizeof copy);
		break;
	case FT_SLUG:
		if ((s = rb_scalar(l, f, n)) == NULL)
			return;
		if (!value_slug(s)) {
			rb_error(l, n, "'%s' must be a slug of lowercase "
			    "letters, digits and '-' ([a-z0-9][a-z0-9-]*), "
			    "not '%s'", f->key, s);
			return;
		}
		copy = xstrdup(s);
		memcpy(dst, &copy, sizeof copy);
		break;
	case FT_BOOL:
		if (rb_decode_bool(l, f, n, &b) == 0)
			memcpy(dst, &b, sizeof b);
		break;
	case FT_INT:
		if (n->type != YNODE_SCALAR || n->style != YSTYLE_PLAIN ||
		    value_int(n->value, &v) != 0 || v < -2147483647LL ||
		    v > 2147483647LL) {
			rb_error(l, n, "'%s' must be an integer", f->key);
			return;
		}
		if ((f->flags & FF_POSITIVE) && v < 1) {
			rb_error(l, n, "'%s' must be 1 or more", f->key);
			return;
		}
		b = (int)v;
		memcpy(dst, &b, sizeof b);
		break;
	case FT_DURATION:
		if ((s = rb_scalar(l, f, n)) == NULL)
			return;
		if (value_duration(s, &ms) != 0) {
			rb_error(l, n, "'%s': bad duration '%s' (use 30s, "
			    "15m, 1h, 1h30m, 2d, 0 or a number of seconds)",
			    f->key, s);
			return;
		}
		memcpy(dst, &ms, sizeof ms);
		break;
	case FT_RPO:
		if ((s = rb_scalar(l, f, n)) == NULL)
			return;
		if (value_duration(s, &ms) != 0)
			ms = -1;
		memcpy(dst, &ms, sizeof ms);
		copy = xstrdup(s);
		memcpy(base + OFF(rb_system, rpo_text), &copy, sizeof copy);
		break;
	case FT_PATTERN:
		{
			struct pattern	*p = rb_decode_pattern(l, f, n);

			memcpy(dst, &p, sizeof p);
		}
		break;
	case FT_DATE:
		if ((s = rb_scalar(l, f, n)) == NULL)
			return;
		if (value_date(s, &days) != 0) {
			rb_error(l, n, "'%s' must be a date, YYYY-MM-DD or "
			    "YYYY-MM, not '%s'", f->key, s);
			return;
		}
		copy = xstrdup(s);
		memcpy(dst, &copy, sizeof copy);
		memcpy(base + OFF(runbook, reviewed_days), &days, sizeof days);
		break;
	case FT_STATE:
		{
			enum rb_state	st;

			if ((s = rb_scalar(l, f, n)) == NULL)
				return;
			if (rb_state_parse(s, &st) != 0 ||
			    st == RB_STATE_PENDING) {
				rb_error(l, n, "'%s' must be up, down, "
				    "degraded or unknown, not '%s'", f->key,
				    s);
				return;
			}
			memcpy(dst, &st, sizeof st);
		}
		break;
	case FT_KIND:
		{
			enum rb_kind	k;

			if ((s = rb_scalar(l, f, n)) == NULL)
				return;
			if (strcmp(s, "incident") == 0)
				k = RB_KIND_INCIDENT;
			else if (strcmp(s, "procedure") == 0)
				k = RB_KIND_PROCEDURE;
			else {
				rb_error(l, n, "'%s' must be incident or "
				    "procedure, not '%s'", f->key, s);
				return;
			}
			memcpy(dst, &k, sizeof k);
		}
		break;
	case FT_STRLIST:
		{
			char		**list = NULL;
			size_t		  count = 0;
			struct rb_pos	 *pos = NULL;

			rb_decode_strlist(l, f, n, &list, &count,
			    f->posoff ? &pos : NULL);
			memcpy(dst, &list, sizeof list);
			memcpy((unsigned char *)dst + sizeof list, &count,
			    sizeof count);
			if (f->posoff)
				memcpy(base + f->posoff, &pos, sizeof pos);
		}
		break;
	case FT_STATEMAP:
		{
			struct rb_state_set	*set = NULL;
			size_t			 count = 0;

			rb_decode_statemap(l, f, n, &set, &count);
			memcpy(dst, &set, sizeof set);
			memcpy((unsigned char *)dst + sizeof set, &count,
			    sizeof count);
		}
		break;
	case FT_OBJ:
		if (n->type != YNODE_MAP) {
			rb_error(l, n, "'%s' must be a mapping, not %s", f->key,
			    rb_type_name(n));
			return;
		}
		if (f->sub->pos_off != NOPOS) {
			struct rb_pos	pos = { n->line, n->col };

			memcpy((unsigned char *)dst + f->sub->pos_off, &pos,
			    sizeof pos);
		}
		rb_decode_object(l, f->sub, n, dst);
		break;
	case FT_OBJLIST:
	case FT_OBJMAP:
		{
			void	*arr = NULL;
			size_t	 count = 0;

			rb_decode_objects(l, f, n, &arr, &count);
			memcpy(dst, &arr, sizeof arr);
			memcpy((unsigned char *)dst + sizeof arr, &count,
			    sizeof count);
		}
		break;
	}
}

/* Defaults that are not zero. */
static void
rb_defaults(const struct schema *s, void *obj)
{
	if (s == &check_schema) {
		struct rb_check	*c = obj;

		c->interval = 5000;
		c->timeout = 2000;
	} else if (s == &system_schema) {
		struct rb_system	*sys = obj;

		sys->rto = sys->rpo = -1;
	} else if (s == &step_schema) {
		struct rb_step	*st = obj;

		st->timeout = -1;
		st->drill.duration = 1000;
	} else if (s == &drill_result_schema) {
		struct rb_drill_result	*r = obj;

		r->duration = 1000;
	} else if (s == &override_schema) {
		struct drill_override	*o = obj;

		o->result.duration = 1000;
	} else if (s == &drill_schema) {
		struct drill	*d = obj;

		d->time_limit = -1;
	}
}

/*
 * Decode a mapping against a schema.  Unknown keys, wrong types and
 * missing required keys are reported; everything that can be decoded is.
 */
static void
rb_decode_object(struct rbload *l, const struct schema *s,
    const struct ynode *n, void *obj)
{
	const struct field	*f;
	const struct ynode	*key;
	const char		*hint;
	size_t			 i;

	rb_defaults(s, obj);
	if (n->type != YNODE_MAP) {
		rb_error(l, n, "a %s must be a mapping of keys, not %s",
		    s->name, rb_type_name(n));
		return;
	}
	for (i = 0; i < YNODE_PAIRS(n); i++) {
		key = YNODE_KEY(n, i);
		for (f = s->fields; f->key != NULL; f++) {
			if (f->key[0] == key->value[0] &&
			    strcmp(f->key, key->value) == 0)
				break;
		}
		if (f->key == NULL) {
			if (s == &state_set_schema)
				continue;
			hint = rb_suggest(s->fields, key->value);
			if (hint != NULL)
				rb_error(l, key, "unknown key '%s' in %s "
				    "(did you mean '%s'?)", key->value,
				    s->name, hint);
			else
				rb_error(l, key, "unknown key '%s' in %s",
				    key->value, s->name);
			continue;
		}
		if (f->flags & FF_CHECKKIND)
			continue;	/* rb_check_check decides */
		rb_decode_field(l, f, YNODE_VAL(n, i), obj);
	}
	for (f = s->fields; f->key != NULL; f++) {
		if ((f->flags & FF_REQUIRED) && ynode_get(n, f->key) == NULL)
			rb_error(l, n, "missing required key '%s' in %s",
			    f->key, s->name);
	}
	if (s->check != NULL)
		s->check(l, n, obj);
}

/* A check has exactly one of http, postgres, tcp and command. */
static void
rb_check_check(struct rbload *l, const struct ynode *n, void *obj)
{
	static const struct {
		const char		*key;
		enum rb_check_kind	 kind;
	} kinds[] = {
		{ "http", RB_CHECK_HTTP },
		{ "postgres", RB_CHECK_POSTGRES },
		{ "tcp", RB_CHECK_TCP },
		{ "command", RB_CHECK_COMMAND },
	};
	struct rb_check		*c = obj;
	const struct ynode	*v;
	const struct field	*f;
	size_t			 i, found = 0;
	const char		*p;

	for (i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
		if ((v = ynode_get(n, kinds[i].key)) == NULL)
			continue;
		if (found++ > 0) {
			rb_error(l, v, "a check has exactly one of http, "
			    "postgres, tcp and command");
			continue;
		}
		for (f = check_fields; strcmp(f->key, kinds[i].key); f++)
			;
		if (rb_scalar(l, f, v) == NULL)
			continue;
		if (ynode_is_null(v)) {
			rb_error(l, v, "'%s' must not be empty", f->key);
			continue;
		}
		c->kind = kinds[i].kind;
		c->target = xstrdup(v->value);
		if (expand_refs(v->value, rb_var_ref,
		    &(struct rb_varctx){ l, v }, NULL) != 0)
			rb_error(l, v, "'%s': '{{' does not start a variable "
			    "reference", f->key);
		if (c->kind == RB_CHECK_HTTP &&
		    strncmp(v->value, "{{", 2) != 0 &&
		    strncmp(v->value, "http://", 7) != 0 &&
		    strncmp(v->value, "https://", 8) != 0)
			rb_error(l, v, "'http' must be an http:// or https:// "
			    "URL");
		if (c->kind == RB_CHECK_TCP) {
			long long	port;

			p = strrchr(v->value, ':');
			if (p == NULL || p == v->value ||
			    value_int(p + 1, &port) != 0 || port < 1 ||
			    port > 65535)
				rb_error(l, v, "'tcp' must be host:port, not "
				    "'%s'", v->value);
		}
	}
	if (found == 0)
		rb_error(l, n, "a check needs one of http, postgres, tcp and "
		    "command");
	if (c->kind != RB_CHECK_HTTP && (ynode_get(n, "expect_status") ||
	    ynode_get(n, "expect_body")))
		rb_error(l, n, "expect_status and expect_body are for http "
		    "checks");
	if (c->kind != RB_CHECK_POSTGRES && ynode_get(n, "query"))
		rb_error(l, ynode_get(n, "query"), "'query' is for postgres "
		    "checks");
	if (c->kind == RB_CHECK_HTTP && ynode_get(n, "expect"))
		rb_error(l, ynode_get(n, "expect"), "http checks use "
		    "expect_body, not expect");
	if (c->kind == RB_CHECK_TCP && ynode_get(n, "expect"))
		rb_error(l, ynode_get(n, "expect"), "'expect' is for "
		    "postgres and command checks");
	if (c->interval <= 0)
		rb_error(l, ynode_get(n, "interval"), "'interval' must be "
		    "more than 0");
	if (c->timeout <= 0)
		rb_error(l, ynode_get(n, "timeout"), "'timeout' must be "
		    "more than 0");
}

static void
rb_check_system(struct rbload *l, const struct ynode *n, void *obj)
{
	(void)l;
	(void)n;
	(void)obj;
}

static void
rb_check_drill_result(struct rbload *l, const struct ynode *n, void *obj)
{
	struct rb_drill_result	*r = obj;

	r->given = 1;
	if (r->exit < 0 || r->exit > 255)
		rb_error(l, ynode_get(n, "exit"), "'exit' must be 0 to 255");
}

/* The built-in list of destructive commands, compiled once. */
static const char *rb_destructive[] = {
	"\\brm\\s+(-\\S+\\s+)*(-[a-zA-Z]*[rRf]|--recursive|--force)",
	"\\bdocker\\s+volume\\s+(rm|prune)\\b",
	"\\bdocker\\s+(system|image|container)\\s+prune\\b",
	"\\bdocker\\s+network\\s+rm\\b",
	"\\bdocker(-|\\s+)compose\\s+down\\b",
	"\\bpg_resetwal\\b",
	"\\bpg_resetxlog\\b",
	"(?i)\\b(DROP\\s+(TABLE|DATABASE|SCHEMA|INDEX|ROLE|USER|VIEW)|TRUNCATE)\\b",
	"(?i)\\bDELETE\\s+FROM\\b",
	"\\bDROP\\b",
	"(^|\\s)--force\\b",
	"\\bmkfs(\\.\\w+)?\\b",
	"\\bdd\\b.*\\bof=",
	"\\balembic\\s+downgrade\\b",
	"\\bkubectl\\s+delete\\b",
	"\\bgit\\s+(reset\\s+--hard|clean\\s+-[a-z]*f|push\\s+.*--force)",
	"\\bfind\\b.*\\s-delete\\b",
	"\\bfind\\b.*-exec\\s+rm\\b",
	"\\bwipefs\\b",
	"\\bshred\\b",
	"\\bredis-cli\\b.*\\bFLUSH(ALL|DB)\\b",
	"\\bsystemctl\\s+(stop|disable|mask)\\b",
	NULL
};

/*
 * The name of the first destructive command in run, or NULL.  The
 * returned string is static.  The patterns are compiled on first use,
 * and to machine code only once they have been matched some dozens of
 * times (a picker loads a few runbooks, validate may load thousands).
 */
const char *
runbook_destructive(const char *run)
{
	static struct pattern	*compiled[sizeof rb_destructive /
				    sizeof rb_destructive[0]];
	static int		 ready;
	static char		 found[64];
	size_t			 i, start, end;

	if (!ready) {
		for (i = 0; rb_destructive[i] != NULL; i++) {
			compiled[i] = pattern_compile(rb_destructive[i],
			    PATTERN_JIT_LATE, NULL, NULL);
			if (compiled[i] == NULL)
				fatalx("bad built-in pattern %s",
				    rb_destructive[i]);
		}
		ready = 1;
	}
	for (i = 0; rb_destructive[i] != NULL; i++) {
		if (pattern_match(compiled[i], run, strlen(run), &start,
		    &end) == 1) {
			while (start < end && (run[start] == ' ' ||
			    run[start] == '\t' || run[start] == '\n'))
				start++;
			if (end - start >= sizeof found)
				end = start + sizeof found - 1;
			memcpy(found, run + start, end - start);
			found[end - start] = '\0';
			return (found);
		}
	}
	return (NULL);
}

/*
 * The name of the first {{variable}} of a shell script that stands
 * inside single or double quotes, or NULL.  Static storage.
 */
static const char *
rb_quoted_var(const char *run)
{
	static char	 name[64];
	const char	*p;
	char		 quote = 0;
	size_t		 n;

	for (p = run; *p != '\0'; p++) {
		if (quote != '\'' && *p == '\\' && p[1] != '\0') {
			p++;
			continue;
		}
		if (quote == 0 && (*p == '\'' || *p == '"'))
			quote = *p;
		else if (quote != 0 && *p == quote)
			quote = 0;
		else if (p[0] == '{' && p[1] == '{') {
			if (p[2] == '{' && p[3] == '{') {
				p += 3;
				continue;
			}
			if (quote == 0)
				continue;
			p += 2;
			while (*p == ' ')
				p++;
			for (n = 0; n + 1 < sizeof name && (p[n] == '_' ||
			    (p[n] >= 'a' && p[n] <= 'z') ||
			    (p[n] >= 'A' && p[n] <= 'Z') ||
			    (p[n] >= '0' && p[n] <= '9')); n++)
				name[n] = p[n];
			name[n] = '\0';
			return (name);
		}
	}
	return (NULL);
}

static void
rb_check_step(struct rbload *l, const struct ynode *n, void *obj)
{
	struct rb_step		*st = obj;
	const char		*what;

	if (st->ask != NULL && st->nchoices == 0 &&
	    ynode_get(n, "choices") == NULL)
		rb_error(l, ynode_get(n, "ask"), "'ask' requires 'choices'");
	if (st->nchoices > 0 && st->ask == NULL)
		rb_error(l, ynode_get(n, "choices"), "'choices' requires "
		    "'ask'");
	if (st->nchoices > 0 && st->target != NULL)
		rb_error(l, ynode_get(n, "goto"), "a step with choices goes "
		    "where the answer says; drop 'goto'");
	if (st->run == NULL) {
		static const char *const needrun[] = { "interactive",
		    "workdir", "timeout", "confirm", "expect", "expect_exit",
		    NULL };
		size_t	i;

		for (i = 0; needrun[i] != NULL; i++) {
			if (ynode_get(n, needrun[i]) != NULL)
				rb_error(l, ynode_get(n, needrun[i]),
				    "'%s' needs 'run'", needrun[i]);
		}
	}
	if (st->expect_exit < 0 || st->expect_exit > 255)
		rb_error(l, ynode_get(n, "expect_exit"), "'expect_exit' must "
		    "be 0 to 255");
	if (st->danger != NULL && st->run == NULL)
		rb_error(l, ynode_get(n, "danger"), "'danger' needs 'run'");
	if (l->opts != NULL && l->opts->quiet)
		return;		/* the rest only warns */
	if (st->interactive && st->expect != NULL)
		rb_warning(l, ynode_get(n, "expect"), "'expect' on an "
		    "interactive step is matched against the recorded "
		    "terminal output");
	if (st->run != NULL && (what = rb_quoted_var(st->run)) != NULL)
		rb_warning(l, ynode_get(n, "run"), "{{%s}} is inside quotes: "
		    "values are inserted already shell-quoted, so write it "
		    "bare", what);
	if (st->run != NULL && !st->confirm && st->danger == NULL &&
	    (what = runbook_destructive(st->run)) != NULL)
		rb_warning(l, ynode_get(n, "run"), "step runs a destructive "
		    "command (%s) without 'confirm' or 'danger'", what);
}

static void
rb_check_runbook(struct rbload *l, const struct ynode *n, void *obj)
{
	struct runbook		*rb = obj;
	const struct ynode	*v;
	int64_t			 now;
	int			 days, stale;

	if (rb->format != NULL && strcmp(rb->format, "rbnav/v1") != 0)
		rb_error(l, ynode_get(n, "format"), "format must be "
		    "'rbnav/v1', not '%s'", rb->format);
	if ((v = ynode_get(n, "id")) != NULL)
		rb->id_pos = (struct rb_pos){ v->line, v->col };
	if (rb->reviewed != NULL) {
		now = l->opts && l->opts->now ? l->opts->now : time(NULL);
		stale = l->opts && l->opts->stale_after_days > 0 ?
		    l->opts->stale_after_days : 180;
		days = (int)(now / 86400);
		v = ynode_get(n, "reviewed");
		if (days - rb->reviewed_days > stale)
			rb_warning(l, v, "reviewed %s, more than %d days ago",
			    rb->reviewed, stale);
	}
}

static void
rb_check_drill(struct rbload *l, const struct ynode *n, void *obj)
{
	struct drill		*d = obj;
	const struct ynode	*v;

	if (d->format != NULL && strcmp(d->format, "rbnav-drill/v1") != 0)
		rb_error(l, ynode_get(n, "format"), "format must be "
		    "'rbnav-drill/v1', not '%s'", d->format);
	if ((v = ynode_get(n, "runbook")) != NULL)
		d->runbook_pos = (struct rb_pos){ v->line, v->col };
	if ((v = ynode_get(n, "scenario")) != NULL)
		d->scenario_pos = (struct rb_pos){ v->line, v->col };
	if (d->time_limit == 0)
		rb_error(l, ynode_get(n, "time_limit"), "'time_limit' must "
		    "be more than 0");
}

const char *
rb_state_name(enum rb_state s)
{
	switch (s) {
	case RB_STATE_UP:
		return ("up");
	case RB_STATE_DOWN:
		return ("down");
	case RB_STATE_DEGRADED:
		return ("degraded");
	case RB_STATE_PENDING:
		return ("pending");
	default:
		return ("unknown");
	}
}

int
rb_state_parse(const char *s, enum rb_state *out)
{
	static const enum rb_state all[] = { RB_STATE_UNKNOWN, RB_STATE_UP,
	    RB_STATE_DOWN, RB_STATE_DEGRADED, RB_STATE_PENDING };
	size_t	i;

	for (i = 0; i < sizeof all / sizeof all[0]; i++) {
		if (strcmp(s, rb_state_name(all[i])) == 0) {
			*out = all[i];
			return (0);
		}
	}
	return (-1);
}

/* Sorting and searching ids through an index array. */
struct rb_ids {
	const void	*base;
	size_t		 size;		/* of one element */
	size_t		 idoff;		/* where its char *id is */
};

static const char *
rb_id_at(const struct rb_ids *ids, size_t i)
{
	const char	*id;

	memcpy(&id, (const unsigned char *)ids->base + i * ids->size +
	    ids->idoff, sizeof id);
	return (id != NULL ? id : "");
}

static int
rb_order_cmp(const void *a, const void *b, void *arg)
{
	const struct rb_ids	*ids = arg;
	size_t			 x = *(const size_t *)a, y = *(const size_t *)b;
	int			 c = strcmp(rb_id_at(ids, x), rb_id_at(ids, y));

	if (c != 0)
		return (c);
	return (x < y ? -1 : x > y);	/* the first of equal ids first */
}

/* Indexes 0..n-1 sorted by id (equal ids in file order). */
static size_t *
rb_order(const void *base, size_t n, size_t size, size_t idoff)
{
	struct rb_ids	 ids = { base, size, idoff };
	size_t		*order, i;

	order = xcalloc(n + 1, sizeof *order);
	for (i = 0; i < n; i++)
		order[i] = i;
	qsort_r(order, n, sizeof *order, rb_order_cmp, &ids);
	return (order);
}

/* Binary search of id through order; the index, or -1. */
static ssize_t
rb_find(const void *base, size_t n, size_t size, size_t idoff,
    const size_t *order, const char *id)
{
	struct rb_ids	ids = { base, size, idoff };
	size_t		lo = 0, hi = n, mid;
	int		c;

	if (order == NULL) {
		for (mid = 0; mid < n; mid++) {
			if (strcmp(rb_id_at(&ids, mid), id) == 0)
				return ((ssize_t)mid);
		}
		return (-1);
	}
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		c = strcmp(rb_id_at(&ids, order[mid]), id);
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < n && strcmp(rb_id_at(&ids, order[lo]), id) == 0)
		return ((ssize_t)order[lo]);
	return (-1);
}

const struct rb_scenario *
runbook_scenario(const struct runbook *rb, const char *id)
{
	ssize_t	i = rb_find(rb->scenarios, rb->nscenarios,
		    sizeof *rb->scenarios, OFF(rb_scenario, id), rb->order,
		    id);

	return (i < 0 ? NULL : &rb->scenarios[i]);
}

const struct rb_system *
runbook_system(const struct runbook *rb, const char *id)
{
	size_t	i;

	for (i = 0; i < rb->nsystems; i++) {
		if (rb->systems[i].id != NULL &&
		    strcmp(rb->systems[i].id, id) == 0)
			return (&rb->systems[i]);
	}
	return (NULL);
}

const struct rb_variable *
runbook_variable(const struct runbook *rb, const char *name)
{
	size_t	i;

	for (i = 0; i < rb->nvariables; i++) {
		if (strcmp(rb->variables[i].name, name) == 0)
			return (&rb->variables[i]);
	}
	return (NULL);
}

/* Index of step id in sc, or -1. */
int
rb_scenario_step_index(const struct rb_scenario *sc, const char *id)
{
	return ((int)rb_find(sc->steps, sc->nsteps, sizeof *sc->steps,
	    OFF(rb_step, id), sc->order, id));
}

/*
 * Resolve a goto target seen from scenario from: "step-id" (a step of
 * from), "scenario-id" (its first step) or "scenario-id/step-id".
 * Returns 0 and sets *sc and *step, or -1.
 */
int
runbook_resolve(const struct runbook *rb, const struct rb_scenario *from,
    const char *target, const struct rb_scenario **sc, int *step)
{
	const struct rb_scenario	*s;
	const char			*slash;
	char				*sid;
	int				 i;

	if ((slash = strchr(target, '/')) != NULL) {
		sid = xstrndup(target, slash - target);
		s = runbook_scenario(rb, sid);
		free(sid);
		if (s == NULL || (i = rb_scenario_step_index(s, slash + 1)) < 0)
			return (-1);
		*sc = s;
		*step = i;
		return (0);
	}
	if (from != NULL && (i = rb_scenario_step_index(from, target)) >= 0) {
		*sc = from;
		*step = i;
		return (0);
	}
	if ((s = runbook_scenario(rb, target)) != NULL) {
		*sc = s;
		*step = 0;
		return (0);
	}
	return (-1);
}

/* Default step ids, the sorted indexes, and duplicate ids everywhere. */
static void
rb_check_ids(struct rbload *l, struct runbook *rb)
{
	struct rb_scenario	*sc;
	size_t			*order, i, k, a, b;

	order = rb_order(rb->systems, rb->nsystems, sizeof *rb->systems,
	    OFF(rb_system, id));
	for (i = 1; i < rb->nsystems; i++) {
		a = order[i - 1];
		b = order[i];
		if (rb->systems[a].id && rb->systems[b].id &&
		    strcmp(rb->systems[a].id, rb->systems[b].id) == 0)
			rb_error_at(l, rb->systems[b].pos, "duplicate system "
			    "id '%s' (first at %d:%d)", rb->systems[b].id,
			    rb->systems[a].pos.line, rb->systems[a].pos.col);
	}
	free(order);
	rb->order = rb_order(rb->scenarios, rb->nscenarios,
	    sizeof *rb->scenarios, OFF(rb_scenario, id));
	for (i = 1; i < rb->nscenarios; i++) {
		a = rb->order[i - 1];
		b = rb->order[i];
		if (rb->scenarios[a].id && rb->scenarios[b].id &&
		    strcmp(rb->scenarios[a].id, rb->scenarios[b].id) == 0)
			rb_error_at(l, rb->scenarios[b].pos, "duplicate "
			    "scenario id '%s' (first at %d:%d)",
			    rb->scenarios[b].id, rb->scenarios[a].pos.line,
			    rb->scenarios[a].pos.col);
	}
	for (i = 0; i < rb->nscenarios; i++) {
		sc = &rb->scenarios[i];
		for (k = 0; k < sc->nsteps; k++) {
			if (sc->steps[k].id == NULL)
				sc->steps[k].id = xprintf("step-%zu", k + 1);
		}
		sc->order = rb_order(sc->steps, sc->nsteps,
		    sizeof *sc->steps, OFF(rb_step, id));
		for (k = 1; k < sc->nsteps; k++) {
			a = sc->order[k - 1];
			b = sc->order[k];
			if (strcmp(sc->steps[a].id, sc->steps[b].id) == 0)
				rb_error_at(l, sc->steps[b].pos, "duplicate "
				    "step id '%s' in scenario '%s' (first at "
				    "%d:%d)", sc->steps[b].id, sc->id ?
				    sc->id : "?", sc->steps[a].pos.line,
				    sc->steps[a].pos.col);
		}
	}
}

static void
rb_check_refs(struct rbload *l, struct runbook *rb)
{
	const struct rb_scenario	*sc, *from;
	struct ref			*r;
	size_t				 i;
	int				 step;

	for (i = 0; i < l->nrefs; i++) {
		r = &l->refs[i];
		switch (r->kind) {
		case REF_SYSTEM:
			if (runbook_system(rb, r->name) == NULL)
				rb_error_at(l, r->pos, "unknown system '%s'",
				    r->name);
			break;
		case REF_VAR:
			if (runbook_variable(rb, r->name) == NULL)
				rb_error_at(l, r->pos, "undefined variable "
				    "'%s' (declare it under 'variables')",
				    r->name);
			break;
		case REF_GOTO:
			from = r->scenario < rb->nscenarios ?
			    &rb->scenarios[r->scenario] : NULL;
			if (runbook_resolve(rb, from, r->name, &sc, &step) != 0)
				rb_error_at(l, r->pos, "goto target '%s' "
				    "does not exist", r->name);
			break;
		}
	}
}

/* Mark (scenario, step) reachable and follow where it leads. */
static void
rb_reach(const struct runbook *rb, unsigned char **seen, size_t s, size_t i)
{
	const struct rb_scenario	*sc, *to;
	const struct rb_step		*st;
	size_t				 k;
	int				 step;

	for (;;) {
		sc = &rb->scenarios[s];
		if (i >= sc->nsteps || seen[s][i])
			return;
		seen[s][i] = 1;
		st = &sc->steps[i];
		if (st->nchoices > 0) {
			for (k = 0; k < st->nchoices; k++) {
				if (st->choices[k].target != NULL &&
				    runbook_resolve(rb, sc,
				    st->choices[k].target, &to, &step) == 0)
					rb_reach(rb, seen,
					    (size_t)(to - rb->scenarios),
					    (size_t)step);
			}
			return;
		}
		if (st->target != NULL) {
			if (runbook_resolve(rb, sc, st->target, &to,
			    &step) != 0)
				return;
			s = (size_t)(to - rb->scenarios);
			i = (size_t)step;
			continue;
		}
		i++;
	}
}

/* Steps that no path from any scenario's start reaches. */
static void
rb_check_reachable(struct rbload *l, struct runbook *rb)
{
	unsigned char	**seen;
	size_t		  s, i;

	seen = xcalloc(rb->nscenarios, sizeof *seen);
	for (s = 0; s < rb->nscenarios; s++)
		seen[s] = xcalloc(rb->scenarios[s].nsteps + 1, 1);
	for (s = 0; s < rb->nscenarios; s++)
		rb_reach(rb, seen, s, 0);
	for (s = 0; s < rb->nscenarios; s++) {
		for (i = 0; i < rb->scenarios[s].nsteps; i++) {
			if (!seen[s][i])
				diag_add(l->diag, DIAG_WARNING, l->file,
				    rb->scenarios[s].steps[i].pos.line,
				    rb->scenarios[s].steps[i].pos.col,
				    "step '%s' is never reached: the step "
				    "before it jumps away and no goto leads "
				    "here", rb->scenarios[s].steps[i].id);
		}
		free(seen[s]);
	}
	free(seen);
}

static void
rbload_free(struct rbload *l)
{
	size_t	i;

	for (i = 0; i < l->nrefs; i++)
		free(l->refs[i].name);
	free(l->refs);
}

/* Read a whole regular file of at most max bytes; caller frees *buf. */
static int
rb_read_file(const char *path, size_t max, char **buf, size_t *len,
    struct diag *diag)
{
	struct stat	 st;
	int		 fd;
	ssize_t		 n;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1) {
		diag_add(diag, DIAG_ERROR, path, 0, 0, "%s", strerror(errno));
		return (-1);
	}
	if (fstat(fd, &st) == -1 || !S_ISREG(st.st_mode)) {
		diag_add(diag, DIAG_ERROR, path, 0, 0, "not a regular file");
		close(fd);
		return (-1);
	}
	if ((size_t)st.st_size > max) {
		diag_add(diag, DIAG_ERROR, path, 1, 1, "file is larger than "
		    "%zu MiB", max >> 20);
		close(fd);
		return (-1);
	}
	*buf = xmalloc((size_t)st.st_size + 1);
	if ((n = fileio_read_all(fd, *buf, (size_t)st.st_size)) == -1) {
		diag_add(diag, DIAG_ERROR, path, 0, 0, "cannot read: %s",
		    strerror(errno));
		close(fd);
		free(*buf);
		*buf = NULL;
		return (-1);
	}
	close(fd);
	*len = (size_t)n;
	(*buf)[*len] = '\0';
	return (0);
}

/*
 * The hash is taken when first asked for, from the bytes kept at load:
 * the picker loads every runbook but starts one incident at most, and
 * the first digest pays for the whole of OpenSSL's start-up.
 */
const char *
runbook_sha256(const struct runbook *crb)
{
	struct runbook	*rb = (struct runbook *)(uintptr_t)crb;
	unsigned char	 md[32];
	unsigned int	 mdlen = sizeof md;
	size_t		 i;

	if (rb->bytes != NULL) {
		EVP_Digest(rb->bytes, rb->nbytes, md, &mdlen, EVP_sha256(),
		    NULL);
		for (i = 0; i < 32; i++)
			snprintf(rb->sha256 + 2 * i, 3, "%02x", md[i]);
		free(rb->bytes);
		rb->bytes = NULL;
	}
	return (rb->sha256);
}

/*
 * Load a runbook or a drill from buf.  Exactly one of *rbp and *dp is set
 * on success; both are NULL when the file had an error.
 */
enum rb_file_kind
rbfile_load_buffer(const char *file, const void *buf, size_t len,
    const struct rb_load_options *opts, struct diag *diag,
    struct runbook **rbp, struct drill **dp)
{
	struct ytree		 tree;
	struct rbload		 l;
	const struct ynode	*fmt;
	size_t			 before = diag->nerrors;
	enum rb_file_kind	 kind = RB_FILE_UNKNOWN;

	*rbp = NULL;
	*dp = NULL;
	if (ytree_load(&tree, file, buf, len, NULL, diag) != 0) {
		ytree_free(&tree);
		return (RB_FILE_UNKNOWN);
	}
	memset(&l, 0, sizeof l);
	l.file = file;
	l.diag = diag;
	l.opts = opts;

	fmt = ynode_get(tree.root, "format");
	if (tree.root->type != YNODE_MAP) {
		rb_error(&l, tree.root, "a runbook must be a mapping with "
		    "'format', not %s", rb_type_name(tree.root));
	} else if (fmt != NULL && fmt->type == YNODE_SCALAR &&
	    strcmp(fmt->value, "rbnav-drill/v1") == 0) {
		kind = RB_FILE_DRILL;
		l.drill = xcalloc(1, sizeof *l.drill);
		l.drill->path = xstrdup(file);
		rb_decode_object(&l, &drill_schema, tree.root, l.drill);
	} else {
		kind = RB_FILE_RUNBOOK;
		l.rb = xcalloc(1, sizeof *l.rb);
		l.rb->path = xstrdup(file);
		if (opts != NULL && opts->hash) {
			l.rb->bytes = xmalloc(len > 0 ? len : 1);
			memcpy(l.rb->bytes, buf, len);
			l.rb->nbytes = len;
		}
		rb_decode_object(&l, &runbook_schema, tree.root, l.rb);
		rb_check_ids(&l, l.rb);
		rb_check_refs(&l, l.rb);
		if (diag->nerrors == before)
			rb_check_reachable(&l, l.rb);
	}
	rbload_free(&l);
	ytree_free(&tree);
	if (diag->nerrors != before) {
		runbook_free(l.rb);
		drill_free(l.drill);
		return (kind);
	}
	*rbp = l.rb;
	*dp = l.drill;
	return (kind);
}

/* Load a file: see rbfile_load_buffer. */
enum rb_file_kind
rbfile_load(const char *path, const struct rb_load_options *opts,
    struct diag *diag, struct runbook **rbp, struct drill **dp)
{
	char			*buf;
	size_t			 len;
	enum rb_file_kind	 kind;

	*rbp = NULL;
	*dp = NULL;
	if (rb_read_file(path, 16 * 1024 * 1024, &buf, &len, diag) != 0)
		return (RB_FILE_UNKNOWN);
	kind = rbfile_load_buffer(path, buf, len, opts, diag, rbp, dp);
	free(buf);
	return (kind);
}

struct runbook *
runbook_load(const char *path, const struct rb_load_options *opts,
    struct diag *diag)
{
	struct runbook	*rb;
	struct drill	*d;

	if (rbfile_load(path, opts, diag, &rb, &d) == RB_FILE_DRILL) {
		drill_free(d);
		diag_add(diag, DIAG_ERROR, path, 1, 1, "a drill, not a "
		    "runbook");
		return (NULL);
	}
	return (rb);
}

struct drill *
drill_load(const char *path, struct diag *diag)
{
	struct runbook	*rb;
	struct drill	*d;

	if (rbfile_load(path, NULL, diag, &rb, &d) == RB_FILE_RUNBOOK) {
		runbook_free(rb);
		if (d == NULL)
			diag_add(diag, DIAG_ERROR, path, 1, 1, "a runbook, "
			    "not a drill");
		return (NULL);
	}
	return (d);
}

static void
rb_strv_free(char **v, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

static void
rb_result_free(struct rb_drill_result *r)
{
	size_t	i;

	free(r->output);
	for (i = 0; i < r->nafter; i++)
		free(r->after[i].system);
	free(r->after);
}

void
runbook_free(struct runbook *rb)
{
	size_t			 i, j, k;
	struct rb_scenario	*sc;
	struct rb_step		*st;

	if (rb == NULL)
		return;
	free(rb->bytes);
	for (i = 0; i < rb->nsystems; i++) {
		free(rb->systems[i].id);
		free(rb->systems[i].name);
		free(rb->systems[i].rpo_text);
		free(rb->systems[i].check.target);
		free(rb->systems[i].check.query);
		pattern_free(rb->systems[i].check.expect);
		pattern_free(rb->systems[i].check.expect_body);
	}
	free(rb->systems);
	for (i = 0; i < rb->nvariables; i++) {
		free(rb->variables[i].name);
		free(rb->variables[i].prompt);
		free(rb->variables[i].def);
		pattern_free(rb->variables[i].pattern);
	}
	free(rb->variables);
	for (i = 0; i < rb->ncontacts; i++) {
		free(rb->contacts[i].role);
		free(rb->contacts[i].name);
		free(rb->contacts[i].email);
		free(rb->contacts[i].phone);
		free(rb->contacts[i].chat);
	}
	free(rb->contacts);
	for (i = 0; i < rb->nscenarios; i++) {
		sc = &rb->scenarios[i];
		for (j = 0; j < sc->nsteps; j++) {
			st = &sc->steps[j];
			free(st->id);
			free(st->title);
			free(st->text);
			free(st->run);
			free(st->workdir);
			free(st->danger);
			pattern_free(st->expect);
			rb_strv_free(st->wait_for, st->nwait_for);
			free(st->open);
			free(st->ask);
			for (k = 0; k < st->nchoices; k++) {
				free(st->choices[k].label);
				free(st->choices[k].target);
			}
			free(st->choices);
			free(st->target);
			rb_result_free(&st->drill);
		}
		free(sc->steps);
		free(sc->order);
		free(sc->id);
		free(sc->title);
		free(sc->when);
		rb_strv_free(sc->symptoms, sc->nsymptoms);
		rb_strv_free(sc->prerequisites, sc->nprerequisites);
		rb_strv_free(sc->systems, sc->nsystems);
	}
	free(rb->scenarios);
	free(rb->order);
	rb_strv_free(rb->post_incident, rb->npost_incident);
	free(rb->path);
	free(rb->format);
	free(rb->id);
	free(rb->title);
	free(rb->description);
	free(rb->reviewed);
	free(rb->owner);
	free(rb);
}

void
drill_free(struct drill *d)
{
	size_t	i;

	if (d == NULL)
		return;
	for (i = 0; i < d->ninitial; i++)
		free(d->initial[i].system);
	free(d->initial);
	for (i = 0; i < d->nevents; i++)
		free(d->events[i].system);
	free(d->events);
	for (i = 0; i < d->nsteps; i++) {
		free(d->steps[i].ref);
		rb_result_free(&d->steps[i].result);
	}
	free(d->steps);
	rb_strv_free(d->expected_path, d->nexpected_path);
	free(d->expected_pos);
	free(d->path);
	free(d->format);
	free(d->id);
	free(d->title);
	free(d->runbook);
	free(d->scenario);
	free(d->briefing);
	free(d);
}
