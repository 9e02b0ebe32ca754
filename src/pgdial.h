/* Opening a PostgreSQL connection without blocking the loop. */
#ifndef PGDIAL_H
#define PGDIAL_H

#include <stddef.h>

#include <event2/event.h>
#include <libpq-fe.h>

struct pgdial;

/* The names are looked up: error is NULL, or why not (a lookup failed). */
typedef void	(*pgdial_cb)(const char *error, void *);

struct pgdial	*pgdial_create(const char *, const char *const (*)[2],
		     size_t, char **);
int		 pgdial_lookup(struct pgdial *, struct event_base *,
		     pgdial_cb, void *);
const char	*pgdial_looking_up(const struct pgdial *);
PGconn		*pgdial_connect(struct pgdial *);
void		 pgdial_free(struct pgdial *);

#endif
