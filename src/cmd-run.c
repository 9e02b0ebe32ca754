/*
 * rbnav, rbnav run [SCENARIO] and rbnav drill [DRILL]: the full-screen
 * interface, started on the picker, on a scenario or on a drill.
 */

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "catalog.h"
#include "cmd.h"
#include "config.h"
#include "drill-from.h"
#include "fileio.h"
#include "incident.h"
#include "journal-read.h"
#include "journal.h"
#include "shared.h"
#include "ui.h"
#include "xmalloc.h"

static int
tui_cmp(const void *a, const void *b)
{
	return (strcmp(*(char *const *)a, *(char *const *)b));
}

/* The *.jsonl names of dir, sorted (ids sort by time). */
static char **
tui_list_jsonl(const char *dir, size_t *n)
{
	DIR		*d;
	struct dirent	*de;
	char		**v = NULL;
	size_t		 len;

	*n = 0;
	if ((d = opendir(dir)) == NULL)
		return (NULL);
	while ((de = readdir(d)) != NULL) {
		len = strlen(de->d_name);
		if (len < 7 || strcmp(de->d_name + len - 6, ".jsonl") != 0)
			continue;
		v = xreallocarray(v, *n + 1, sizeof *v);
		v[(*n)++] = xstrdup(de->d_name);
	}
	closedir(d);
	if (*n > 1)
		qsort(v, *n, sizeof *v, tui_cmp);
	return (v);
}

struct tui_start {
	const struct runbook		*rb;
	const struct rb_scenario	*sc;
	const struct drill		*drill;
	struct incident			*resumed;
	struct incident			*replayed;
	struct journal_file		*replay;
	double				 speed;
	const json_t			*joined;
	int				 drills_only;
};

static struct view *
tui_open(struct ui *ui, void *arg)
{
	struct tui_start	*s = arg;

	ui->joined = s->joined;
	if (s->resumed != NULL)
		return (view_incident_open(ui, s->resumed));
	if (s->replayed != NULL)
		return (view_replay_open(ui, s->replayed, s->replay, s->speed));
	if (s->drill != NULL)
		return (view_briefing_open(ui, s->rb, s->sc, s->drill));
	if (s->drills_only)
		return (view_picker_open_drills(ui));
	if (s->sc == NULL)
		return (view_picker_open(ui, NULL));
	return (view_picker_start(ui, s->rb, s->sc, NULL));
}

/* The operator: --operator, the configuration, $USER. */
static const char *
tui_operator(const struct cmd_options *o, const struct config *c)
{
	const char	*u;

	if (o->operator != NULL && *o->operator != '\0')
		return (o->operator);
	if (c != NULL && c->operator != NULL)
		return (c->operator);
	if ((u = getenv("USER")) != NULL && *u != '\0')
		return (u);
	return ("operator");
}

/* Load the configuration: NULL after printing its problems. */
struct config *
cmd_config(const struct cmd_options *o)
{
	struct config	*c;
	struct diag	 diag;
	char		*path;

	diag_init(&diag);
	path = o->config != NULL ? xstrdup(o->config) : config_default_path();
	c = config_load(path, o->config != NULL, &diag);
	free(path);
	if (c == NULL) {
		diag_print(&diag, stderr);
		cmd_error("the configuration has errors");
	}
	diag_free(&diag);
	return (c);
}

/*
 * The timeline to resume: the one named, or the newest unfinished one
 * in the state directory.  Caller frees; NULL with *cause.
 */
static char *
tui_find_incident(const struct cmd_options *o, const char *ref, char **cause)
{
	struct journal_file	*f;
	const char		*type;
	char			*dir, *path, *found = NULL;
	char			**names;
	size_t			 n, i;

	if (ref != NULL)
		return (journal_resolve(ref, o->state_dir, cause));
	dir = o->state_dir != NULL ? xstrdup(o->state_dir) :
	    journal_default_dir();
	names = tui_list_jsonl(dir, &n);
	for (i = n; i > 0 && found == NULL; i--) {
		path = xprintf("%s/%s", dir, names[i - 1]);
		f = journal_read(path, 0, cause);
		free(*cause);
		*cause = NULL;
		type = f != NULL && f->nevents > 0 &&
		    f->events[f->nevents - 1].json != NULL ?
		    json_string_value(json_object_get(
		    f->events[f->nevents - 1].json, "type")) : NULL;
		if (type != NULL && strcmp(type, "incident.end") != 0)
			found = path;
		else
			free(path);
		journal_read_free(f);
	}
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
	if (found == NULL)
		*cause = xprintf("no unfinished incident in %s", dir);
	free(dir);
	return (found);
}

/* Read the timeline to replay and the incident it starts. */
static int
tui_replay(const struct cmd_options *o, const struct catalog *cat,
    struct tui_start *s, char **cause)
{
	const struct runbook	*rb;
	const json_t		*start;
	const char		*id;
	char			*path;

	if ((path = journal_resolve(o->args[0], o->state_dir, cause)) == NULL)
		return (-1);
	s->replay = journal_read(path, 0, cause);
	free(path);
	if (s->replay == NULL)
		return (-1);
	if (s->replay->nevents == 0 ||
	    (start = s->replay->events[0].json) == NULL ||
	    (id = json_string_value(json_object_get(start, "runbook"))) ==
	    NULL) {
		*cause = xstrdup("the timeline has no incident.start");
		journal_read_free(s->replay);
		return (-1);
	}
	if ((rb = catalog_runbook(cat, id)) == NULL ||
	    runbook_scenario(rb, json_string_value(json_object_get(start,
	    "scenario"))) == NULL) {
		*cause = xprintf("runbook '%s' or its scenario is not found "
		    "(see rbnav list)", id);
		journal_read_free(s->replay);
		return (-1);
	}
	s->replayed = incident_shell(rb, cat->drills, cat->ndrills, start,
	    NULL);
	s->speed = o->speed;
	return (0);
}

static int
tui_run(struct cmd_options *o, int mode)
{
	struct config		*config;
	struct catalog		*cat;
	struct rb_load_options	 lo;
	struct tui_start	 s;
	const char		*ref = o->nargs > 0 ? o->args[0] : NULL;
	int			 rc = EXIT_OK, found;
	char			*path, *cause = NULL;
	struct incident_options	 io;
	json_t			*joined = NULL;

	if (mode == 0 && (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)))
		return (cmd_list(o));
	if ((config = cmd_config(o)) == NULL)
		return (EXIT_USAGE);
	memset(&lo, 0, sizeof lo);
	lo.stale_after_days = config->stale_after_days;
	lo.hash = 1;	/* incident.start records it */
	cat = catalog_load(o->paths, o->npaths, &lo);
	memset(&s, 0, sizeof s);
	if (mode == 1 && ref != NULL) {
		found = catalog_find_scenario(cat, ref, &s.rb, &s.sc);
		if (found != 1) {
			cmd_error(found == 0 ? "no scenario '%s' (see rbnav "
			    "list)" : "'%s' is in several runbooks: write "
			    "RUNBOOK/SCENARIO", ref);
			rc = EXIT_USAGE;
			goto out;
		}
	}
	if (mode == 2) {
		if (o->random && cat->ndrills > 0) {
			srand((unsigned)time(NULL) ^ (unsigned)getpid());
			s.drill = cat->drills[(size_t)rand() % cat->ndrills];
		} else if (ref != NULL &&
		    (s.drill = catalog_drill(cat, ref)) == NULL) {
			cmd_error("no drill '%s' (see rbnav list)", ref);
			rc = EXIT_USAGE;
			goto out;
		} else if (o->random) {
			cmd_error("no drills found");
			rc = EXIT_USAGE;
			goto out;
		}
		if (s.drill == NULL)
			s.drills_only = 1;	/* the picker over drills */
		if (s.drill != NULL) {
			s.rb = catalog_runbook(cat, s.drill->runbook);
			if (s.drill->scenario != NULL)
				s.sc = runbook_scenario(s.rb,
				    s.drill->scenario);
		}
	}
	/* The names are checked first: a mistake is said the same way. */
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		cmd_error("the full-screen interface needs a terminal");
		rc = EXIT_USAGE;
		goto out;
	}
	if (mode == 3) {
		path = tui_find_incident(o, ref, &cause);
		memset(&io, 0, sizeof io);
		io.op = tui_operator(o, config);
		io.redact = config->redact;
		io.nredact = config->nredact;
		if (path != NULL)
			s.resumed = incident_resume(path, cat->runbooks,
			    cat->nrunbooks, cat->drills, cat->ndrills, &io,
			    &cause);
		free(path);
		if (s.resumed == NULL) {
			cmd_error("%s", cause);
			free(cause);
			rc = EXIT_RUNTIME;
			goto out;
		}
	}
	if (mode == 5) {
		const char	*conninfo = o->timeline_db != NULL ?
				    o->timeline_db : config->timeline_db;

		if (conninfo == NULL) {
			cmd_error("join needs --timeline-db or timeline_db: in "
			    "the configuration");
			rc = EXIT_USAGE;
			goto out;
		}
		joined = shared_fetch_events(conninfo, ref, &cause);
		if (joined != NULL) {
			memset(&io, 0, sizeof io);
			io.op = tui_operator(o, config);
			io.state_dir = o->state_dir;
			io.redact = config->redact;
			io.nredact = config->nredact;
			s.resumed = incident_join(joined, cat->runbooks,
			    cat->nrunbooks, cat->drills, cat->ndrills, &io,
			    &cause);
		}
		if (s.resumed == NULL) {
			cmd_error("%s", cause);
			free(cause);
			json_decref(joined);
			rc = EXIT_RUNTIME;
			goto out;
		}
	}
	if (mode == 4 && tui_replay(o, cat, &s, &cause) != 0) {
		cmd_error("%s", cause);
		free(cause);
		rc = EXIT_RUNTIME;
		goto out;
	}
	s.joined = joined;
	rc = ui_run(cat, config, o, tui_operator(o, config), tui_open, &s);
	json_decref(joined);
out:
	catalog_free(cat);
	config_free(config);
	return (rc);
}

int
cmd_join(struct cmd_options *o)
{
	return (tui_run(o, 5));
}

int
cmd_replay(struct cmd_options *o)
{
	return (tui_run(o, 4));
}

int
cmd_resume(struct cmd_options *o)
{
	return (tui_run(o, 3));
}

int
cmd_picker(struct cmd_options *o)
{
	return (tui_run(o, 0));
}

int
cmd_run(struct cmd_options *o)
{
	return (tui_run(o, 1));
}

/* rbnav drill --from INCIDENT [-o FILE]: a drill file from a timeline. */
static int
tui_drill_from(struct cmd_options *o)
{
	struct journal_file	*f;
	char			*path, *cause = NULL, *yaml, *dir, *slash;
	int			 rc;

	if ((path = journal_resolve(o->from, o->state_dir, &cause)) == NULL) {
		cmd_error("%s", cause);
		free(cause);
		return (EXIT_RUNTIME);
	}
	f = journal_read(path, 0, &cause);
	dir = xstrdup(path);
	if ((slash = strrchr(dir, '/')) != NULL)
		*slash = '\0';
	else {
		free(dir);
		dir = xstrdup(".");
	}
	free(path);
	if (f == NULL) {
		cmd_error("%s", cause);
		free(cause);
		free(dir);
		return (EXIT_RUNTIME);
	}
	yaml = drill_from_timeline(f, dir, &cause);
	journal_read_free(f);
	free(dir);
	if (yaml == NULL) {
		cmd_error("%s", cause);
		free(cause);
		return (EXIT_CHECK);
	}
	rc = EXIT_OK;
	if (o->output == NULL)
		fputs(yaml, stdout);
	else if (fileio_write_buffer(o->output, yaml, strlen(yaml),
	    &cause) != 0) {
		cmd_error("%s", cause);
		free(cause);
		rc = EXIT_RUNTIME;
	}
	free(yaml);
	return (rc);
}

int
cmd_drill(struct cmd_options *o)
{
	if (o->from != NULL) {
		if (o->nargs > 0) {
			cmd_error("--from makes a drill file; it takes no "
			    "drill name");
			return (EXIT_USAGE);
		}
		return (tui_drill_from(o));
	}
	if (o->output != NULL) {
		cmd_error("-o goes with --from");
		return (EXIT_USAGE);
	}
	return (tui_run(o, 2));
}
