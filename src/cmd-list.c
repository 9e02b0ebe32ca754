/*
 * rbnav list [--json]: the runbooks, scenarios and drills found.
 *
 * One line each, kind first, so that grep and awk can take it apart;
 * --json gives the same with the symptoms and systems the picker shows.
 * Files that did not load are reported on stderr and left out.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "catalog.h"
#include "cmd.h"
#include "text.h"
#include "xmalloc.h"

static json_t *
list_strv(char **v, size_t n)
{
	json_t	*a = json_array();
	size_t	 i;

	for (i = 0; i < n; i++)
		json_array_append_new(a, json_string(v[i]));
	return (a);
}

static int
list_stale(const struct runbook *rb)
{
	return (rb->reviewed != NULL &&
	    time(NULL) / 86400 - rb->reviewed_days > 180);
}

static json_t *
list_json(const struct catalog *c)
{
	json_t				*a = json_array(), *o;
	const struct runbook		*rb;
	const struct rb_scenario	*sc;
	const struct drill		*d;
	size_t				 i, k;

	for (i = 0; i < c->nrunbooks; i++) {
		rb = c->runbooks[i];
		o = json_pack("{s:s, s:s, s:s, s:s}", "kind", "runbook",
		    "id", rb->id, "title", rb->title, "path", rb->path);
		if (rb->reviewed != NULL) {
			json_object_set_new(o, "reviewed",
			    json_string(rb->reviewed));
			json_object_set_new(o, "stale",
			    json_boolean(list_stale(rb)));
		}
		json_array_append_new(a, o);
		for (k = 0; k < rb->nscenarios; k++) {
			sc = &rb->scenarios[k];
			o = json_pack("{s:s, s:s, s:s, s:s, s:s, s:o, s:o, "
			    "s:i}", "kind", sc->kind == RB_KIND_PROCEDURE ?
			    "procedure" : "incident", "id", sc->id,
			    "runbook", rb->id, "scenario", sc->id, "title",
			    sc->title, "symptoms", list_strv(sc->symptoms,
			    sc->nsymptoms), "systems", list_strv(sc->systems,
			    sc->nsystems), "steps", (int)sc->nsteps);
			if (sc->when != NULL)
				json_object_set_new(o, "when",
				    json_string(sc->when));
			json_array_append_new(a, o);
		}
	}
	for (i = 0; i < c->ndrills; i++) {
		d = c->drills[i];
		o = json_pack("{s:s, s:s, s:s, s:s, s:s}", "kind", "drill",
		    "id", d->id, "runbook", d->runbook, "title", d->title,
		    "path", d->path);
		if (d->scenario != NULL)
			json_object_set_new(o, "scenario",
			    json_string(d->scenario));
		json_array_append_new(a, o);
	}
	return (a);
}

/* A title as a terminal may show it: no escape sequences; caller frees. */
static char *
list_clean(const char *s)
{
	return (text_clean(s, strlen(s)));
}

static void
list_text(const struct catalog *c)
{
	const struct runbook		*rb;
	const struct rb_scenario	*sc;
	const struct drill		*d;
	size_t				 i, k;
	char				*ref, *t;

	for (i = 0; i < c->nrunbooks; i++) {
		rb = c->runbooks[i];
		t = list_clean(rb->title);
		printf("%-10s %-44s %s%s\n", "runbook", rb->id, t,
		    list_stale(rb) ? " (review is stale)" : "");
		free(t);
		for (k = 0; k < rb->nscenarios; k++) {
			sc = &rb->scenarios[k];
			ref = xprintf("%s/%s", rb->id, sc->id);
			t = list_clean(sc->title);
			printf("%-10s %-44s %s\n",
			    sc->kind == RB_KIND_PROCEDURE ? "procedure" :
			    "incident", ref, t);
			free(t);
			free(ref);
		}
	}
	for (i = 0; i < c->ndrills; i++) {
		d = c->drills[i];
		t = list_clean(d->title);
		printf("%-10s %-44s %s\n", "drill", d->id, t);
		free(t);
	}
}

int
cmd_list(struct cmd_options *o)
{
	struct catalog	*c;
	json_t		*j;
	char		*s;

	c = catalog_load(o->paths, o->npaths, NULL);
	diag_print(&c->diag, stderr);
	if (o->json) {
		j = list_json(c);
		s = json_dumps(j, JSON_INDENT(2));
		printf("%s\n", s);
		free(s);
		json_decref(j);
	} else
		list_text(c);
	if (c->nrunbooks == 0 && !o->json) {
		cmd_error("no runbooks found (searched -r, $RBNAV_PATH, "
		    "~/.config/rbnav/runbooks, ./runbooks and the installed "
		    "ones)");
	}
	catalog_free(c);
	return (EXIT_OK);
}
