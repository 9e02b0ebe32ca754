/*
 * Drill files checked against the runbook they drill.
 *
 * runbook.c decodes a drill file on its own; only here, once the runbook
 * is known, can its references be checked: the scenario, the systems of
 * the simulated states and events, the step refs of the overrides and of
 * the expected path, and the choice labels on that path.
 */

#include <stdlib.h>
#include <string.h>

#include "runbook.h"
#include "xmalloc.h"

/*
 * Resolve a drill step ref: "scenario-id/step-id", or "step-id" in the
 * drill's scenario, or (without one) the only step of that id in the
 * runbook.  Returns 0, -1 when nothing matches, -2 when ambiguous.
 */
int
drill_resolve_ref(const struct drill *d, const struct runbook *rb,
    const char *ref, const struct rb_scenario **scp, int *stepp)
{
	const struct rb_scenario	*sc;
	size_t				 i;
	int				 step, found = 0;

	if (strchr(ref, '/') != NULL)
		return (runbook_resolve(rb, NULL, ref, scp, stepp) == 0 &&
		    strchr(ref, '/') != NULL ? 0 : -1);
	if (d->scenario != NULL) {
		if ((sc = runbook_scenario(rb, d->scenario)) == NULL)
			return (-1);
		if ((step = rb_scenario_step_index(sc, ref)) < 0)
			return (-1);
		*scp = sc;
		*stepp = step;
		return (0);
	}
	for (i = 0; i < rb->nscenarios; i++) {
		if ((step = rb_scenario_step_index(&rb->scenarios[i],
		    ref)) >= 0) {
			if (found++ == 0) {
				*scp = &rb->scenarios[i];
				*stepp = step;
			}
		}
	}
	if (found > 1)
		return (-2);
	return (found ? 0 : -1);
}

static void
drill_check_ref(const struct drill *d, const struct runbook *rb,
    const char *ref, struct rb_pos pos, struct diag *diag,
    const struct rb_scenario **scp, int *stepp)
{
	int	rc;

	rc = drill_resolve_ref(d, rb, ref, scp, stepp);
	if (rc == -1)
		diag_add(diag, DIAG_ERROR, d->path, pos.line, pos.col,
		    "step '%s' does not exist in runbook '%s'", ref, rb->id);
	else if (rc == -2)
		diag_add(diag, DIAG_ERROR, d->path, pos.line, pos.col,
		    "step '%s' is in more than one scenario: write "
		    "scenario-id/%s", ref, ref);
}

static void
drill_check_system(const struct drill *d, const struct runbook *rb,
    const char *id, struct rb_pos pos, struct diag *diag)
{
	if (runbook_system(rb, id) == NULL)
		diag_add(diag, DIAG_ERROR, d->path, pos.line, pos.col,
		    "unknown system '%s' in runbook '%s'", id, rb->id);
}

/* Check every reference of d against rb, adding problems to diag. */
void
drill_check(const struct drill *d, const struct runbook *rb,
    struct diag *diag)
{
	const struct rb_scenario	*sc;
	const struct rb_step		*st;
	const char			*colon;
	char				*ref;
	size_t				 i, k;
	int				 step;

	if (d->scenario != NULL && runbook_scenario(rb, d->scenario) == NULL)
		diag_add(diag, DIAG_ERROR, d->path, d->scenario_pos.line,
		    d->scenario_pos.col, "scenario '%s' does not exist in "
		    "runbook '%s'", d->scenario, rb->id);
	for (i = 0; i < d->ninitial; i++)
		drill_check_system(d, rb, d->initial[i].system,
		    d->initial[i].pos, diag);
	for (i = 0; i < d->nevents; i++)
		drill_check_system(d, rb, d->events[i].system,
		    d->events[i].pos, diag);
	for (i = 0; i < d->nsteps; i++) {
		drill_check_ref(d, rb, d->steps[i].ref, d->steps[i].pos, diag,
		    &sc, &step);
		for (k = 0; k < d->steps[i].result.nafter; k++)
			drill_check_system(d, rb,
			    d->steps[i].result.after[k].system,
			    d->steps[i].result.after[k].pos, diag);
	}
	for (i = 0; i < d->nexpected_path; i++) {
		colon = strchr(d->expected_path[i], ':');
		ref = colon ? xstrndup(d->expected_path[i],
		    colon - d->expected_path[i]) :
		    xstrdup(d->expected_path[i]);
		sc = NULL;
		drill_check_ref(d, rb, ref, d->expected_pos[i], diag, &sc,
		    &step);
		if (sc != NULL && drill_resolve_ref(d, rb, ref, &sc,
		    &step) == 0) {
			st = &sc->steps[step];
			if (colon != NULL && st->nchoices == 0)
				diag_add(diag, DIAG_ERROR, d->path,
				    d->expected_pos[i].line,
				    d->expected_pos[i].col, "step '%s' is not "
				    "a decision: drop ':%s'", ref, colon + 1);
			else if (colon != NULL) {
				for (k = 0; k < st->nchoices; k++) {
					if (strcmp(st->choices[k].label,
					    colon + 1) == 0)
						break;
				}
				if (k == st->nchoices)
					diag_add(diag, DIAG_ERROR, d->path,
					    d->expected_pos[i].line,
					    d->expected_pos[i].col,
					    "step '%s' has no choice '%s'",
					    ref, colon + 1);
			}
		}
		free(ref);
	}
}
