/*
 * rbnav validate FILE...: every problem of every file, one line each.
 *
 * Runbooks are loaded first, so that a drill given on the same command
 * line is checked against them; a drill whose runbook was not given is
 * checked against the catalog (-r, $RBNAV_PATH and the default places).
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "catalog.h"
#include "cmd.h"
#include "xmalloc.h"

int
cmd_validate(struct cmd_options *o)
{
	struct runbook		**rbs;
	struct drill		**drills;
	struct diag		  diag;
	struct catalog		 *cat = NULL;
	const struct runbook	 *rb;
	size_t			  nerrors = 0, nwarnings = 0;
	int			  i, j;

	rbs = xcalloc(o->nargs, sizeof *rbs);
	drills = xcalloc(o->nargs, sizeof *drills);
	diag_init(&diag);
	for (i = 0; i < o->nargs; i++)
		rbfile_load(o->args[i], NULL, &diag, &rbs[i], &drills[i]);
	for (i = 0; i < o->nargs; i++) {
		if (rbs[i] == NULL)
			continue;
		for (j = 0; j < i; j++) {
			if (rbs[j] != NULL && strcmp(rbs[j]->id,
			    rbs[i]->id) == 0) {
				diag_add(&diag, DIAG_ERROR, o->args[i],
				    rbs[i]->id_pos.line, rbs[i]->id_pos.col,
				    "runbook id '%s' is also the id of %s",
				    rbs[i]->id, o->args[j]);
				break;
			}
		}
	}
	for (i = 0; i < o->nargs; i++) {
		if (drills[i] == NULL)
			continue;
		rb = NULL;
		for (j = 0; j < o->nargs && rb == NULL; j++) {
			if (rbs[j] != NULL &&
			    strcmp(rbs[j]->id, drills[i]->runbook) == 0)
				rb = rbs[j];
		}
		if (rb == NULL) {
			if (cat == NULL)
				cat = catalog_load(o->paths, o->npaths, NULL);
			rb = catalog_runbook(cat, drills[i]->runbook);
		}
		if (rb == NULL)
			diag_add(&diag, DIAG_ERROR, drills[i]->path,
			    drills[i]->runbook_pos.line,
			    drills[i]->runbook_pos.col, "runbook '%s' not "
			    "found (give its file too, or use -r)",
			    drills[i]->runbook);
		else
			drill_check(drills[i], rb, &diag);
	}
	diag_sort(&diag);
	diag_print(&diag, stderr);
	nerrors = diag.nerrors;
	nwarnings = diag.nwarnings;
	if (!o->quiet)
		printf("%d file%s checked: %zu error%s, %zu warning%s\n",
		    o->nargs, o->nargs == 1 ? "" : "s", nerrors,
		    nerrors == 1 ? "" : "s", nwarnings,
		    nwarnings == 1 ? "" : "s");
	for (i = 0; i < o->nargs; i++) {
		runbook_free(rbs[i]);
		drill_free(drills[i]);
	}
	free(rbs);
	free(drills);
	catalog_free(cat);
	diag_free(&diag);
	return (nerrors > 0 ? EXIT_CHECK : EXIT_OK);
}
