/*
 * The shared incident timeline on PostgreSQL: this journal's events sent
 * in order, the other operators' events received live, and who holds the
 * pen.  See src/shared.c and doc/shared-schema.sql.
 */
#ifndef SHARED_H
#define SHARED_H

#if !defined(RBNAV_LAYER) || RBNAV_LAYER < 2
#error "shared.h belongs to the engine layer"
#endif

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

struct event_base;
struct shared;

struct shared_cb {
	/*
	 * An event of another origin (another operator's journal), in time
	 * order: the parsed journal line (v, seq, ts, t, op, type, prev and
	 * the type's keys).  Borrowed: json_incref to keep it.  May be NULL.
	 */
	void	(*event)(const json_t *, const char *, void *);
	/* Connection, backlog, error or pen changed: redraw.  May be NULL. */
	void	(*changed)(void *);
	void	*arg;
};

struct shared_options {
	const char	*conninfo;	/* libpq conninfo or URI */
	const char	*incident;	/* the incident id */
	const char	*origin;	/* this journal: "op@host:pid-start" */
	const char	*op;		/* this operator */
	/* The incident.start event (the incidents row), NULL to join. */
	const json_t	*start;
};

#define SHARED_PEN_FORCE	0x1	/* even from a live holder */

struct shared	*shared_open(struct event_base *,
		     const struct shared_options *, const struct shared_cb *);
void		 shared_send(struct shared *, int64_t, const char *, size_t);
void		 shared_seen(struct shared *, const char *, int64_t);
size_t		 shared_backlog(const struct shared *);
int		 shared_connected(const struct shared *);
const char	*shared_error(const struct shared *);
int		 shared_pen_take(struct shared *, int);
int		 shared_pen_give(struct shared *, const char *);
const char	*shared_pen_holder(const struct shared *, int64_t *);
int		 shared_pen_mine(const struct shared *);
void		 shared_leave(struct shared *);
int		 shared_settled(const struct shared *);
void		 shared_free(struct shared *);

/* Blocking, for the command line before the loop runs. */
json_t		*shared_fetch_incidents(const char *, char **);
json_t		*shared_fetch_events(const char *, const char *, char **);

const char	*shared_schema(void);

#endif
