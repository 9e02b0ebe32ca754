/*
 * The systems of an incident: live checks (or, in a drill, the drill's
 * simulated world), check.change and rto events, RTO clocks and the
 * steps that wait for systems to come back.
 */
#ifndef WATCH_H
#define WATCH_H

#if !defined(RBNAV_LAYER) || RBNAV_LAYER < 2
#error "watch.h belongs to the engine layer"
#endif

#include <stddef.h>
#include <stdint.h>

#include "runbook.h"

struct event_base;
struct incident;
struct check_status;
struct watch;

struct watch	*watch_create(struct event_base *, struct incident *,
		     void (*)(void *), void *);
void		 watch_free(struct watch *);
const struct check_status *watch_status(const struct watch *, size_t);
int64_t		 watch_recovered(const struct watch *, size_t);
int		 watch_was_down(const struct watch *, size_t);
void		 watch_step(struct watch *);
void		 watch_inject(struct watch *, size_t, enum rb_state);
void		 watch_pause(struct watch *, int);
int		 watch_waiting(const struct watch *, char **);

#endif
