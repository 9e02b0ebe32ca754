/*
 * rbnav incidents [--json]: the incidents and drills of the state
 * directory, newest first.
 *
 * Each <id>.jsonl there is read (never repaired) for its incident.start
 * (title, mode, runbook, scenario), its operators, its start, whether it
 * ended and how, and its event count.  One line each, or with --json an
 * array of objects.  A file that cannot be read is reported on stderr
 * and left out; a damaged or torn one is listed and flagged.
 */

#include <sys/types.h>

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "cmd.h"
#include "config.h"
#include "shared.h"
#include "export.h"
#include "journal-read.h"
#include "journal.h"
#include "text.h"
#include "xmalloc.h"

struct incidents_entry {
	char	*path;
	char	*id;
	json_t	*json;		/* what --json prints */
	char	*start;		/* for sorting, "" when unknown */
};

/* A string member of an event, or NULL. */
static const char *
incidents_str(json_t *ev, const char *key)
{
	return (json_string_value(json_object_get(ev, key)));
}

/* A member taken from an event, or null. */
static json_t *
incidents_strv(json_t *v)
{
	return (v != NULL ? v : json_null());
}

/* Read one timeline into its summary; NULL (reported) when unreadable. */
static struct incidents_entry *
incidents_read(const char *dir, const char *name)
{
	struct incidents_entry	*e;
	struct journal_file	*jf;
	json_t			*ev, *start = NULL, *end = NULL, *ops;
	const char		*op, *s;
	char			*path, *cause = NULL;
	size_t			 i, k;

	path = xprintf("%s/%s", dir, name);
	if ((jf = journal_read(path, 0, &cause)) == NULL) {
		cmd_error("%s", cause);
		free(cause);
		free(path);
		return (NULL);
	}
	ops = json_array();
	for (i = 0; i < jf->nevents; i++) {
		if ((ev = jf->events[i].json) == NULL)
			continue;
		s = incidents_str(ev, "type");
		if (s != NULL && strcmp(s, "incident.start") == 0 &&
		    start == NULL)
			start = ev;
		if (s != NULL && strcmp(s, "incident.end") == 0)
			end = ev;
		if ((op = incidents_str(ev, "op")) == NULL)
			continue;
		for (k = 0; k < json_array_size(ops); k++) {
			if (strcmp(json_string_value(json_array_get(ops, k)),
			    op) == 0)
				break;
		}
		if (k == json_array_size(ops))
			json_array_append_new(ops, json_string(op));
	}

	e = xcalloc(1, sizeof *e);
	e->path = path;
	s = start != NULL ? incidents_str(start, "incident") : NULL;
	e->id = s != NULL ? xstrdup(s) : xstrndup(name, strlen(name) - 6);
	s = start != NULL ? incidents_str(start, "ts") : jf->nevents > 0 &&
	    jf->events[0].json != NULL ? incidents_str(jf->events[0].json,
	    "ts") : NULL;
	e->start = xstrdup(s != NULL ? s : "");
	e->json = json_object();
	json_object_set_new(e->json, "id", json_string(e->id));
	json_object_set_new(e->json, "path", json_string(path));
	json_object_set_new(e->json, "title", incidents_strv(start != NULL ?
	    json_incref(json_object_get(start, "title")) : NULL));
	json_object_set_new(e->json, "mode", incidents_strv(start != NULL ?
	    json_incref(json_object_get(start, "mode")) : NULL));
	json_object_set_new(e->json, "drill", incidents_strv(start != NULL ?
	    json_incref(json_object_get(start, "drill")) : NULL));
	json_object_set_new(e->json, "runbook", incidents_strv(start != NULL ?
	    json_incref(json_object_get(start, "runbook")) : NULL));
	json_object_set_new(e->json, "scenario", incidents_strv(start != NULL ?
	    json_incref(json_object_get(start, "scenario")) : NULL));
	json_object_set_new(e->json, "operators", ops);
	json_object_set_new(e->json, "start", *e->start != '\0' ?
	    json_string(e->start) : json_null());
	json_object_set_new(e->json, "end", incidents_strv(end != NULL ?
	    json_incref(json_object_get(end, "ts")) : NULL));
	json_object_set_new(e->json, "status", json_string(end != NULL ?
	    "ended" : "open"));
	json_object_set_new(e->json, "outcome", incidents_strv(end != NULL ?
	    json_incref(json_object_get(end, "outcome")) : NULL));
	json_object_set_new(e->json, "events",
	    json_integer((json_int_t)jf->nevents));
	json_object_set_new(e->json, "torn_line", jf->torn_line != 0 ?
	    json_integer(jf->torn_line) : json_null());
	json_object_set_new(e->json, "damaged_line", jf->bad_line != 0 ?
	    json_integer(jf->bad_line) : json_null());
	journal_read_free(jf);
	return (e);
}

/* Newest first: by start time, then by id. */
static int
incidents_cmp(const void *a, const void *b)
{
	const struct incidents_entry	*x, *y;
	int				 c;

	x = *(struct incidents_entry *const *)a;
	y = *(struct incidents_entry *const *)b;
	if ((c = strcmp(y->start, x->start)) != 0)
		return (c);
	return (strcmp(y->id, x->id));
}

/* A member as one clean line for the terminal; caller frees. */
static char *
incidents_field(json_t *j, const char *key)
{
	const char	*s = json_string_value(json_object_get(j, key));
	char		*clean, *p;

	if (s == NULL)
		return (xstrdup("-"));
	clean = text_clean(s, strlen(s));
	for (p = clean; *p != '\0'; p++) {
		if (*p == '\n')
			*p = ' ';
	}
	return (clean);
}

/* One line for an incident. */
static void
incidents_print(struct incidents_entry *e)
{
	json_t	*ops = json_object_get(e->json, "operators");
	char	*id, *status, *start, *mode, *where, *title, *rb, *sc;
	char	*who = xstrdup(""), *n, *op;
	size_t	 i;

	id = incidents_field(e->json, "id");
	if (json_object_get(e->json, "outcome") != NULL &&
	    json_is_string(json_object_get(e->json, "outcome"))) {
		n = incidents_field(e->json, "outcome");
		status = xprintf("ended: %s", n);
		free(n);
	} else
		status = xstrdup("open");
	if (json_is_integer(json_object_get(e->json, "damaged_line"))) {
		n = xprintf("%s, damaged", status);
		free(status);
		status = n;
	} else if (json_is_integer(json_object_get(e->json, "torn_line"))) {
		n = xprintf("%s, torn", status);
		free(status);
		status = n;
	}
	start = *e->start != '\0' ? export_utc(e->start) : xstrdup("-");
	mode = incidents_field(e->json, "mode");
	rb = incidents_field(e->json, "runbook");
	sc = incidents_field(e->json, "scenario");
	where = xprintf("%s/%s", rb, sc);
	for (i = 0; i < json_array_size(ops); i++) {
		op = text_clean(json_string_value(json_array_get(ops, i)),
		    json_string_length(json_array_get(ops, i)));
		n = xprintf("%s%s%s", who, i > 0 ? "," : "", op);
		free(op);
		free(who);
		who = n;
	}
	title = incidents_field(e->json, "title");
	printf("%-40s %-20s %-20s %-6s %6lld events  %-30s %-16s %s\n", id,
	    status, start, mode, (long long)json_integer_value(
	    json_object_get(e->json, "events")), where, who, title);
	free(id);
	free(status);
	free(start);
	free(mode);
	free(rb);
	free(sc);
	free(where);
	free(who);
	free(title);
}

/* rbnav incidents --shared: the open incidents of the shared timeline. */
static int
incidents_shared(struct cmd_options *o)
{
	struct config	*c;
	const char	*conninfo = o->timeline_db;
	json_t		*all, *open, *e;
	char		*cause = NULL, *s;
	size_t		 i;

	if ((c = cmd_config(o)) == NULL)
		return (EXIT_USAGE);
	if (conninfo == NULL)
		conninfo = c->timeline_db;
	if (conninfo == NULL) {
		cmd_error("--shared needs --timeline-db or timeline_db: in "
		    "the configuration");
		config_free(c);
		return (EXIT_USAGE);
	}
	if ((all = shared_fetch_incidents(conninfo, &cause)) == NULL) {
		cmd_error("shared timeline: %s", cause);
		free(cause);
		config_free(c);
		return (EXIT_RUNTIME);
	}
	open = json_array();
	json_array_foreach(all, i, e) {
		if (json_is_null(json_object_get(e, "ended")) ||
		    json_object_get(e, "ended") == NULL)
			json_array_append(open, e);
	}
	if (o->json) {
		s = json_dumps(open, JSON_INDENT(2));
		printf("%s\n", s);
		free(s);
	} else if (json_array_size(open) == 0)
		printf("no open shared incident\n");
	json_array_foreach(open, i, e) {
		if (o->json)
			break;
		s = json_dumps(json_object_get(e, "operators"), JSON_COMPACT);
		printf("%-44s %-12s %-24s %s  operators %s  pen %s\n",
		    json_string_value(json_object_get(e, "id")),
		    json_string_value(json_object_get(e, "mode")) ?
		    json_string_value(json_object_get(e, "mode")) : "",
		    json_string_value(json_object_get(e, "started")) ?
		    json_string_value(json_object_get(e, "started")) : "",
		    json_string_value(json_object_get(e, "title")) ?
		    json_string_value(json_object_get(e, "title")) : "",
		    s != NULL ? s : "[]",
		    json_string_value(json_object_get(e, "pen")) ?
		    json_string_value(json_object_get(e, "pen")) : "-");
		free(s);
	}
	json_decref(open);
	json_decref(all);
	config_free(c);
	return (EXIT_OK);
}

/* rbnav incidents: see the top of this file. */
int
cmd_incidents(struct cmd_options *o)
{
	struct incidents_entry	**list = NULL, *e;
	struct dirent		 *de;
	DIR			 *d;
	json_t			 *a;
	char			 *dir, *s;
	size_t			  n = 0, i, len;

	if (o->shared)
		return (incidents_shared(o));
	dir = o->state_dir != NULL ? xstrdup(o->state_dir) :
	    journal_default_dir();
	if ((d = opendir(dir)) == NULL && errno != ENOENT) {
		cmd_error("%s: %s", dir, strerror(errno));
		free(dir);
		return (EXIT_RUNTIME);
	}
	while (d != NULL && (de = readdir(d)) != NULL) {
		len = strlen(de->d_name);
		if (len <= 6 || de->d_name[0] == '.' ||
		    strcmp(de->d_name + len - 6, ".jsonl") != 0)
			continue;
		if ((e = incidents_read(dir, de->d_name)) == NULL)
			continue;
		list = xreallocarray(list, n + 1, sizeof *list);
		list[n++] = e;
	}
	if (d != NULL)
		closedir(d);
	if (n > 0)
		qsort(list, n, sizeof *list, incidents_cmp);

	if (o->json) {
		a = json_array();
		for (i = 0; i < n; i++)
			json_array_append(a, list[i]->json);
		s = json_dumps(a, JSON_INDENT(2));
		printf("%s\n", s);
		free(s);
		json_decref(a);
	} else if (n == 0)
		cmd_error("no incidents in %s", dir);
	for (i = 0; i < n; i++) {
		if (!o->json)
			incidents_print(list[i]);
		json_decref(list[i]->json);
		free(list[i]->path);
		free(list[i]->id);
		free(list[i]->start);
		free(list[i]);
	}
	free(list);
	free(dir);
	return (EXIT_OK);
}
