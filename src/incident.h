/*
 * A live incident or drill in progress: where the operator is, what was
 * done, the variables' values, and the timeline that records it all.
 */
#ifndef INCIDENT_H
#define INCIDENT_H

#if !defined(RBNAV_LAYER) || RBNAV_LAYER < 2
#error "incident.h belongs to the engine layer"
#endif

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include <jansson.h>

#include "runbook.h"

struct journal;
struct pattern;
struct redact;

enum step_state {
	STEP_PENDING,
	STEP_DONE,
	STEP_SKIPPED,
	STEP_FAILED,
	STEP_RUNNING,
	STEP_WAITING
};

enum incident_mode {
	INCIDENT_LIVE,
	INCIDENT_DRILL
};

/* One event as the timeline pane shows it. */
struct incident_event {
	int64_t	 seq;
	int64_t	 t;		/* ms since the start */
	char	*op;
	char	*type;
	char	*text;		/* one line, redacted */
	json_t	*json;		/* the event: type, t, seq and own keys */
};

struct incident_step {
	enum step_state	 state;
	char		*jump;		/* "→ target" after a decision */
	int		 entered;	/* was current at some point */
};

struct incident {
	const struct runbook	*rb;
	const struct drill	*drill;
	enum incident_mode	 mode;
	char			*id;
	char			*title;
	char			*op;
	char			*host;
	size_t			 scenario;	/* index in rb->scenarios */
	size_t			 step;		/* == nsteps: scenario done */
	struct incident_step	**steps;	/* [scenario][step] */
	int			*entered;	/* scenarios entered */
	size_t			*path;		/* scenarios in entry order */
	size_t			 npath;
	char			**values;	/* per rb->variables */
	struct incident_event	*events;
	size_t			 nevents;
	struct timespec		 start;		/* CLOCK_MONOTONIC */
	int64_t			 start_wall;	/* ms since 1970 */
	struct journal		*journal;
	struct redact		*redact;	/* secrets and patterns */
	int			 ended;
	char			*outcome;
	int			 resumed;	/* rebuilt from its timeline */
	int			 frozen;	/* a replay: time is frozen_t */
	int64_t			 frozen_t;
	int			 paused;	/* the drill clock is stopped */
	int64_t			 paused_ms;	/* time spent paused */
	int64_t			 paused_at;
	void			(*on_event)(struct incident *, void *);
	void			*on_event_arg;
	/* Every event once it is in the journal: line, seq, event. */
	void			(*on_record)(struct incident *, const char *,
				    size_t, int64_t, const json_t *, void *);
	void			*on_record_arg;
};

struct incident_options {
	const char		*op;
	const char		*title;
	const char		*state_dir;
	struct pattern *const	*redact;	/* the config's patterns */
	size_t			 nredact;
};

struct incident	*incident_start(const struct runbook *,
		     const struct rb_scenario *, const struct drill *,
		     const struct incident_options *, char **);
void		 incident_free(struct incident *);
void		 incident_apply(struct incident *, const json_t *, int64_t);
struct incident	*incident_join(const json_t *, struct runbook *const *,
		     size_t, struct drill *const *, size_t,
		     const struct incident_options *, char **);
struct incident	*incident_shell(const struct runbook *,
		     struct drill *const *, size_t, const json_t *,
		     const char *);
struct incident	*incident_resume(const char *, struct runbook *const *,
		     size_t, struct drill *const *, size_t,
		     const struct incident_options *, char **);
int64_t		 incident_elapsed(const struct incident *);
int64_t		 incident_clock(const struct incident *);
void		 incident_pause(struct incident *, int);
const struct rb_scenario *incident_scenario(const struct incident *);
const struct rb_step *incident_step(const struct incident *);
struct incident_step *incident_step_status(const struct incident *,
		     size_t, size_t);
int64_t		 incident_record(struct incident *, const char *, json_t *);

void		 incident_move(struct incident *, size_t, size_t);
void		 incident_done(struct incident *, const char *);
void		 incident_skip(struct incident *, const char *);
void		 incident_fail(struct incident *, const char *);
void		 incident_decide(struct incident *, size_t, const char *);
void		 incident_note(struct incident *, const char *);
void		 incident_confirm(struct incident *, int, int);
void		 incident_end(struct incident *, const char *, const char *,
		     const int *);
int		 incident_set_var(struct incident *, const char *,
		     const char *, char **);
const char	*incident_var(const struct incident *, const char *);
const char	*incident_missing_var(const struct incident *,
		     const struct rb_step *);
char		*incident_expand(const struct incident *, const char *, int,
		     char **);
const char	*incident_step_state_name(enum step_state);

#define INCIDENT_EXPAND_SHELL	0x1	/* shell-quote values */
#define INCIDENT_EXPAND_MASK	0x2	/* secrets as [REDACTED] */

#endif
