/*
 * The step runner: the one place that decides side effects.  Live, a
 * step's command runs as a job; in a drill nothing is executed and the
 * drill's result is played back instead.
 */
#ifndef RUNNER_H
#define RUNNER_H

#if !defined(RBNAV_LAYER) || RBNAV_LAYER < 2
#error "runner.h belongs to the engine layer"
#endif

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

struct event_base;
struct incident;
struct output;
struct runner;

struct runner_cb {
	void	(*changed)(void *);		/* redraw */
	void	(*interactive)(void *, int);	/* 1: give the terminal */
	void	*arg;
};

struct runner	*runner_create(struct event_base *, struct incident *, int,
		     const struct runner_cb *);
void		 runner_free(struct runner *);
int		 runner_run(struct runner *, char **);
void		 runner_cancel(struct runner *);
int		 runner_busy(const struct runner *);
void		 runner_show(struct runner *, const json_t *);
int		 runner_interactive(const struct runner *);
void		 runner_resize(struct runner *);
const struct output *runner_output(const struct runner *);
char		*runner_status(const struct runner *);
const char	*runner_capture(const struct runner *);
const char	*runner_failure(const struct runner *);

#endif
