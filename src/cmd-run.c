/*
 * rbnav, rbnav run [SCENARIO] and rbnav drill [DRILL]: the full-screen
 * interface, started on the picker, on a scenario or on a drill.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "catalog.h"
#include "cmd.h"
#include "config.h"
#include "ui.h"
#include "xmalloc.h"

struct tui_start {
	const struct runbook		*rb;
	const struct rb_scenario	*sc;
	const struct drill		*drill;
};

static struct view *
tui_open(struct ui *ui, void *arg)
{
	struct tui_start	*s = arg;

	if (s->drill != NULL)
		return (view_briefing_open(ui, s->rb, s->sc, s->drill));
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

static int
tui_run(struct cmd_options *o, int mode)
{
	struct config		*config;
	struct catalog		*cat;
	struct rb_load_options	 lo;
	struct tui_start	 s;
	const char		*ref = o->nargs > 0 ? o->args[0] : NULL;
	int			 rc = EXIT_OK, found;

	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		if (mode == 0)
			return (cmd_list(o));
		cmd_error("the full-screen interface needs a terminal");
		return (EXIT_USAGE);
	}
	if ((config = cmd_config(o)) == NULL)
		return (EXIT_USAGE);
	memset(&lo, 0, sizeof lo);
	lo.stale_after_days = config->stale_after_days;
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
		if (s.drill != NULL) {
			s.rb = catalog_runbook(cat, s.drill->runbook);
			if (s.drill->scenario != NULL)
				s.sc = runbook_scenario(s.rb,
				    s.drill->scenario);
		}
	}
	rc = ui_run(cat, config, o, tui_operator(o, config), tui_open, &s);
out:
	catalog_free(cat);
	config_free(config);
	return (rc);
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

int
cmd_drill(struct cmd_options *o)
{
	return (tui_run(o, 2));
}
