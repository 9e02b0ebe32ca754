/*
 * Live system checks: one status per system of a runbook, kept fresh on
 * the event loop (http, postgres, tcp, command), or set by hand in a
 * drill.  The second half declares what the check kinds (check-*.c)
 * share with the scheduler.
 */
#ifndef CHECKS_H
#define CHECKS_H

#if !defined(RBNAV_LAYER) || RBNAV_LAYER < 2
#error "checks.h belongs to the engine layer"
#endif

#include <stddef.h>
#include <stdint.h>

#include "runbook.h"

struct addrinfo;
struct event_base;
struct checks;

#define CHECKS_HISTORY	16

/* What the status pane shows for one system. */
struct check_status {
	enum rb_state	 state;
	int64_t		 latency;	/* ms, -1 none */
	int64_t		 at;		/* checks_time() of the result, -1 */
	char		*detail;	/* never NULL */
	enum rb_state	 hist_state[CHECKS_HISTORY];	/* oldest 1st */
	int64_t		 hist_latency[CHECKS_HISTORY];
	size_t		 nhist;
	int		 in_flight;
	int64_t		 started;	/* checks_time() of the last start */
};

struct checks_cb {
	/* A new state; never for a repeat of the same state. */
	void		 (*changed)(size_t, enum rb_state, enum rb_state,
			     const char *, void *);
	/* The value of a variable, NULL while it has none.  May be NULL. */
	const char	*(*get)(const char *, void *);
	void		 *arg;
	/* After every result and every start: redraw.  May be NULL. */
	void		 (*updated)(size_t, void *);
};

#define CHECKS_DRILL	0x1	/* nothing real is contacted */

struct checks	*checks_create(struct event_base *, const struct runbook *,
		     int, const struct checks_cb *);
void		 checks_start(struct checks *);
void		 checks_once(struct checks *, void (*)(void *), void *);
void		 checks_now(struct checks *, size_t);
void		 checks_enable(struct checks *, size_t, int);
void		 checks_simulate(struct checks *, size_t, enum rb_state,
		     const char *);
const struct check_status *checks_status(const struct checks *, size_t);
void		 checks_free(struct checks *);
int64_t		 checks_time(void);

/*
 * For the check kinds.  start begins one check and returns its state;
 * later it calls req->done exactly once, as the last thing it does on
 * that call stack (the scheduler frees the check in it).  When it cannot
 * even begin it returns NULL with *now filled in instead.  cancel stops
 * a check in flight at once (closing every fd, killing every process);
 * res is NULL when nobody wants a result, else it holds the timeout
 * result, which the kind may refine.  free releases a check that is
 * done or cancelled.
 */
struct check_result {
	enum rb_state	 state;
	char		*detail;	/* allocated */
};

typedef void	(*check_done_cb)(void *, enum rb_state, const char *);

struct check_req {
	struct event_base	*base;
	const struct rb_check	*def;
	const char		*target;	/* variables filled in */
	void			*env;		/* the kind's setup() value */
	check_done_cb		 done;
	void			*done_arg;
};

#define CHECK_BACKOFF	0x1	/* after failures, wait up to 4x longer */

struct check_ops {
	const char	*name;
	int		 flags;
	void		*(*setup)(struct event_base *);	/* or NULL */
	void		 (*teardown)(void *);
	void		*(*start)(const struct check_req *,
			     struct check_result *);
	void		 (*cancel)(void *, struct check_result *);
	void		 (*free)(void *);
};

extern const struct check_ops check_http_ops;
extern const struct check_ops check_pg_ops;
extern const struct check_ops check_tcp_ops;
extern const struct check_ops check_cmd_ops;

/* A name lookup on a thread of its own, reported on the loop. */
struct checks_lookup;
typedef void	(*checks_lookup_cb)(int, struct addrinfo *, void *);
struct checks_lookup *checks_lookup_start(struct event_base *, const char *,
		     const char *, checks_lookup_cb, void *);
void		 checks_lookup_cancel(struct checks_lookup *);

void		 check_result_set(struct check_result *, enum rb_state,
		     const char *, ...) __attribute__((format(printf, 3, 4)));

#endif
