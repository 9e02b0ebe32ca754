/*
 * Many responders on one incident: the shared timeline on PostgreSQL,
 * the pen, and webhooks, glued to an incident.
 */
#ifndef TEAM_H
#define TEAM_H

#if !defined(RBNAV_LAYER) || RBNAV_LAYER < 2
#error "team.h belongs to the engine layer"
#endif

#include <stddef.h>

#include <jansson.h>

struct config;
struct event_base;
struct incident;
struct team;

struct team_options {
	const char		*conninfo;	/* NULL: no shared timeline */
	const struct config	*config;	/* webhooks */
	const json_t		*joined;	/* events fetched by join */
};

struct team	*team_create(struct event_base *, struct incident *,
		     const struct team_options *, void (*)(void *), void *);
void		 team_free(struct team *);
char		*team_status(const struct team *);
int		 team_may_drive(const struct team *, char **);
int		 team_take(struct team *, int);
int		 team_give(struct team *, const char *);
char		**team_operators(const struct team *, size_t *);
int		 team_shared(const struct team *);

#endif
