/* The debrief of a drill: the trainee's path and time, and a score. */
#ifndef DEBRIEF_H
#define DEBRIEF_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "runbook.h"

/* Penalties, in points; the man page documents the same table. */
#define DEBRIEF_MISSED		10	/* an expected step not done */
#define DEBRIEF_WRONG_CHOICE	15	/* a decision other than expected */
#define DEBRIEF_ORDER		3	/* an expected step out of order */
#define DEBRIEF_EXTRA		2	/* a step off the path (at most 10) */
#define DEBRIEF_EXTRA_MAX	10
#define DEBRIEF_DECLINED	5	/* a confirmation answered no */
#define DEBRIEF_SCENARIO	20	/* started on the wrong scenario */
#define DEBRIEF_RTO		5	/* an affected system past its RTO */
#define DEBRIEF_LATE_STEP	1	/* per 5 % over the time limit */
#define DEBRIEF_LATE_MAX	20

json_t	*debrief_compute(const struct runbook *, const struct drill *,
	    json_t *const *, size_t, int64_t);
char	*debrief_text(const json_t *);

#endif
