/*
 * rbnav status [--json] [SYSTEM...]: every check of the runbooks found
 * (or of the systems named) once, all at the same time, on an event loop
 * of their own; then a table or JSON.  Exit 0 when every system shown is
 * up, 1 otherwise, 2 for a system id that no runbook has.
 *
 * Variables in check targets take their defaults; a check whose
 * variable has none is "unknown" ("needs {{name}}").  Ctrl-C stops every
 * check in flight, killing the commands.
 */

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <event2/event.h>
#include <jansson.h>

#include "catalog.h"
#include "checks.h"
#include "cmd.h"
#include "job.h"
#include "xmalloc.h"

struct status_rb {
	const struct runbook	*rb;
	struct checks		*checks;
	int			*want;		/* per system */
	size_t			 nwant;
};

struct status_run {
	struct event_base	*base;
	size_t			 left;	/* runbooks still checking */
	int			 interrupted;
};

static const char *const status_kinds[] = {
	"none", "http", "postgres", "tcp", "command"
};

/* Variables have their defaults, or no value. */
static const char *
status_get(const char *name, void *arg)
{
	const struct status_rb		*s = arg;
	const struct rb_variable	*v;

	v = runbook_variable(s->rb, name);
	return (v != NULL ? v->def : NULL);
}

static void
status_all_done(void *arg)
{
	struct status_run	*run = arg;

	if (run->left > 0 && --run->left == 0)
		event_base_loopexit(run->base, NULL);
}

static void
status_signal_cb(evutil_socket_t sig, short what, void *arg)
{
	struct status_run	*run = arg;

	(void)sig;
	(void)what;
	run->interrupted = 1;
	event_base_loopbreak(run->base);
}

/* Mark the systems an operand names ("ID" or "RUNBOOK/ID"); how many. */
static size_t
status_select(struct status_rb *v, size_t n, const char *arg)
{
	const char	*slash = strchr(arg, '/'), *id = arg;
	size_t		 i, k, found = 0, rblen = 0;

	if (slash != NULL) {
		rblen = slash - arg;
		id = slash + 1;
	}
	for (i = 0; i < n; i++) {
		if (slash != NULL && (strlen(v[i].rb->id) != rblen ||
		    strncmp(v[i].rb->id, arg, rblen) != 0))
			continue;
		for (k = 0; k < v[i].rb->nsystems; k++) {
			if (strcmp(v[i].rb->systems[k].id, id) == 0) {
				v[i].want[k] = 1;
				found++;
			}
		}
	}
	return (found);
}

/* The systems of one runbook in priority order. */
static size_t *
status_order(const struct runbook *rb)
{
	size_t	*o, i, k, t;

	o = xcalloc(rb->nsystems + 1, sizeof *o);
	for (i = 0; i < rb->nsystems; i++)
		o[i] = i;
	for (i = 1; i < rb->nsystems; i++) {
		for (k = i; k > 0 && rb->systems[o[k - 1]].priority >
		    rb->systems[o[k]].priority; k--) {
			t = o[k];
			o[k] = o[k - 1];
			o[k - 1] = t;
		}
	}
	return (o);
}

static char *
status_latency(const struct check_status *st)
{
	if (st->latency < 0)
		return (xstrdup("-"));
	return (xprintf("%lld ms", (long long)st->latency));
}

static int
status_print(struct status_rb *v, size_t n, int json)
{
	const struct check_status	*st;
	const struct rb_system		*sys;
	json_t				*a = json_array(), *obj;
	size_t				 i, k, j, *order;
	int				 w[4] = { 6, 7, 8, 7 };
	int				 all_up = 1, pass;
	char				*lat, *s;

	for (pass = 0; pass < 2; pass++) {
		if (pass == 1 && !json)
			printf("%-*s  %-*s  %-*s  %*s  %s\n", w[0], "SYSTEM",
			    w[1], "RUNBOOK", w[2], "STATE", w[3], "LATENCY",
			    "DETAIL");
		for (i = 0; i < n; i++) {
			order = status_order(v[i].rb);
			for (j = 0; j < v[i].rb->nsystems; j++) {
				k = order[j];
				if (!v[i].want[k])
					continue;
				sys = &v[i].rb->systems[k];
				st = checks_status(v[i].checks, k);
				lat = status_latency(st);
				if (pass == 0) {
					if ((int)strlen(sys->id) > w[0])
						w[0] = strlen(sys->id);
					if ((int)strlen(v[i].rb->id) > w[1])
						w[1] = strlen(v[i].rb->id);
					if ((int)strlen(lat) > w[3])
						w[3] = strlen(lat);
					if (st->state != RB_STATE_UP)
						all_up = 0;
				} else if (json) {
					obj = json_pack("{s:s, s:s, s:s, s:s, "
					    "s:s, s:s}", "system", sys->id,
					    "name", sys->name, "runbook",
					    v[i].rb->id, "kind",
					    status_kinds[sys->check.kind],
					    "state", rb_state_name(st->state),
					    "detail", st->detail);
					json_object_set_new(obj, "latency_ms",
					    st->latency >= 0 ?
					    json_integer(st->latency) :
					    json_null());
					json_array_append_new(a, obj);
				} else
					printf("%-*s  %-*s  %-*s  %*s  %s\n",
					    w[0], sys->id, w[1], v[i].rb->id,
					    w[2], rb_state_name(st->state),
					    w[3], lat, st->detail);
				free(lat);
			}
			free(order);
		}
	}
	if (json) {
		s = json_dumps(a, JSON_INDENT(2));
		printf("%s\n", s);
		free(s);
	}
	json_decref(a);
	return (all_up ? EXIT_OK : EXIT_CHECK);
}

int
cmd_status(struct cmd_options *o)
{
	struct catalog		*cat;
	struct status_rb	*v;
	struct status_run	 run;
	struct checks_cb	 cb;
	struct event		*ev_int, *ev_term;
	size_t			 i, k, n;
	int			 rc = EXIT_OK, any;

	cat = catalog_load(o->paths, o->npaths, NULL);
	diag_print(&cat->diag, stderr);
	n = cat->nrunbooks;
	v = xcalloc(n + 1, sizeof *v);
	for (i = 0; i < n; i++) {
		v[i].rb = cat->runbooks[i];
		v[i].nwant = v[i].rb->nsystems;
		v[i].want = xcalloc(v[i].nwant + 1, sizeof *v[i].want);
	}
	for (i = 0; i < (size_t)o->nargs; i++) {
		if (status_select(v, n, o->args[i]) == 0) {
			cmd_error("no system '%s' in the runbooks found (see "
			    "rbnav list --json)", o->args[i]);
			rc = EXIT_USAGE;
			goto out;
		}
	}
	if (o->nargs == 0) {
		for (i = 0; i < n; i++) {
			for (k = 0; k < v[i].nwant; k++)
				v[i].want[k] = v[i].rb->systems[k].check.kind !=
				    RB_CHECK_NONE;
		}
	}

	memset(&run, 0, sizeof run);
	run.base = event_base_new();
	if (run.base == NULL) {
		cmd_error("cannot make an event loop");
		rc = EXIT_RUNTIME;
		goto out;
	}
	job_init(run.base);
	ev_int = evsignal_new(run.base, SIGINT, status_signal_cb, &run);
	ev_term = evsignal_new(run.base, SIGTERM, status_signal_cb, &run);
	event_add(ev_int, NULL);
	event_add(ev_term, NULL);
	memset(&cb, 0, sizeof cb);
	cb.get = status_get;
	for (i = 0; i < n; i++) {
		any = 0;
		for (k = 0; k < v[i].nwant; k++)
			any |= v[i].want[k];
		if (!any)
			continue;
		cb.arg = &v[i];
		v[i].checks = checks_create(run.base, v[i].rb, 0, &cb);
		for (k = 0; k < v[i].nwant; k++) {
			if (!v[i].want[k])
				checks_enable(v[i].checks, k, 0);
		}
		run.left++;
	}
	for (i = 0; i < n; i++) {
		if (v[i].checks != NULL)
			checks_once(v[i].checks, status_all_done, &run);
	}
	if (run.left > 0)
		event_base_dispatch(run.base);
	if (run.interrupted) {
		cmd_error("interrupted");
		rc = EXIT_RUNTIME;
	} else {
		if (run.left == 0 && o->nargs == 0 && !o->json &&
		    cat->nrunbooks == 0)
			cmd_error("no runbooks found");
		rc = status_print(v, n, o->json);
	}
	for (i = 0; i < n; i++)
		checks_free(v[i].checks);	/* kills what still runs */
	event_free(ev_int);
	event_free(ev_term);
	job_shutdown();
	event_base_free(run.base);
out:
	for (i = 0; i < n; i++)
		free(v[i].want);
	free(v);
	catalog_free(cat);
	return (rc);
}
