/*
 * The check scheduler on a loop of its own, with a 10 ms ticker beside
 * it, for the integration tests and the benchmark.
 *
 *   checks-driver [-n CYCLES] [-p SECONDS] [-T MS] RUNBOOK
 *
 * Runs every check of RUNBOOK once, CYCLES times in a row (each round
 * starts when the previous one is over), or with -p on their intervals
 * for SECONDS.  Prints key=value lines: the longest gap between two
 * ticks of the ticker (stall_max_ms) and the most CPU the loop's thread
 * used between two ticks (busy_max_ms), the open fds (/proc/self/fd)
 * before, after the first round (the scheduler keeps a curl multi
 * handle and its wake-up socket pair), after the last and after
 * checks_free, the duration of the rounds, and for each system the
 * result of the first round, timed by this driver (from checks_once to
 * the result), and how many times its check was started.  -T sets every
 * check's timeout to MS (runbook durations stop at seconds), for many
 * short rounds.
 */

#include <dirent.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <event2/event.h>

#include "checks.h"
#include "diag.h"
#include "job.h"
#include "runbook.h"

struct driver {
	struct event_base	*base;
	struct checks		*checks;
	const struct runbook	*rb;
	long			 cycles;
	long			 done;
	int64_t			 round_start;
	int64_t			 round_max;
	int64_t			 round_min;
	int64_t			 round_first;
	int64_t			*first_ms;	/* per system, first round */
	int			*first_set;
	long			*starts;
	int			 fds_round1;	/* after the first round */
	int64_t			 last_tick;
	int64_t			 stall_max;
	int64_t			 last_cpu;	/* us of this thread's CPU */
	int64_t			 busy_max;
	long			 ticks;
};

static int
driver_fds(void)
{
	DIR		*d;
	struct dirent	*e;
	int		 n = 0;

	if ((d = opendir("/proc/self/fd")) == NULL)
		return (-1);
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] != '.')
			n++;
	}
	closedir(d);
	return (n - 1);	/* the directory itself */
}

/* CPU time of the loop's thread, in microseconds. */
static int64_t
driver_cpu(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return ((int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000);
}

/*
 * A tick: the gap since the last one is how long the loop did not
 * answer (stall); the CPU the loop used in it says how much of that was
 * its own work (busy) rather than the machine being busy elsewhere.
 */
static void
driver_tick(evutil_socket_t fd, short what, void *arg)
{
	struct driver	*d = arg;
	int64_t		 now = checks_time(), cpu = driver_cpu();

	(void)fd;
	(void)what;
	if (d->last_tick >= 0 && now - d->last_tick > d->stall_max)
		d->stall_max = now - d->last_tick;
	if (d->last_tick >= 0 && cpu - d->last_cpu > d->busy_max)
		d->busy_max = cpu - d->last_cpu;
	d->last_tick = now;
	d->last_cpu = cpu;
	d->ticks++;
}

static void
driver_updated(size_t sys, void *arg)
{
	struct driver			*d = arg;
	const struct check_status	*st = checks_status(d->checks, sys);

	if (st->in_flight) {
		d->starts[sys]++;
		return;
	}
	if (d->done == 0 && !d->first_set[sys]) {
		d->first_set[sys] = 1;
		d->first_ms[sys] = checks_time() - d->round_start;
	}
}

static const char *
driver_get(const char *name, void *arg)
{
	(void)arg;
	return (getenv(name));
}

static void
driver_round_done(void *arg)
{
	struct driver	*d = arg;
	int64_t		 ms = checks_time() - d->round_start;

	if (d->done == 0) {
		d->round_first = ms;
		d->fds_round1 = driver_fds();
	}
	if (ms > d->round_max)
		d->round_max = ms;
	if (d->round_min < 0 || ms < d->round_min)
		d->round_min = ms;
	if (++d->done >= d->cycles) {
		event_base_loopexit(d->base, NULL);
		return;
	}
	d->round_start = checks_time();
	checks_once(d->checks, driver_round_done, d);
}

int
main(int argc, char **argv)
{
	struct driver		 d;
	struct diag		 diag;
	struct runbook		*rb;
	struct checks_cb	 cb;
	struct event		*tick;
	struct timeval		 tv = { 0, 10000 };
	const struct check_status *st;
	long			 seconds = 0, timeout = -1;
	size_t			 i;
	int			 ch, fds0, fds1, fds2;

	memset(&d, 0, sizeof d);
	d.cycles = 1;
	while ((ch = getopt(argc, argv, "n:p:T:")) != -1) {
		switch (ch) {
		case 'n':
			d.cycles = atol(optarg);
			break;
		case 'p':
			seconds = atol(optarg);
			break;
		case 'T':
			timeout = atol(optarg);
			break;
		default:
			fprintf(stderr, "usage: checks-driver [-n CYCLES] "
			    "[-p SECONDS] [-T MS] RUNBOOK\n");
			return (2);
		}
	}
	if (optind != argc - 1 || d.cycles < 1) {
		fprintf(stderr, "usage: checks-driver [-n CYCLES] "
		    "[-p SECONDS] [-T MS] RUNBOOK\n");
		return (2);
	}
	diag_init(&diag);
	rb = runbook_load(argv[optind], NULL, &diag);
	if (rb == NULL) {
		diag_print(&diag, stderr);
		return (1);
	}
	diag_free(&diag);
	for (i = 0; timeout > 0 && i < rb->nsystems; i++)
		rb->systems[i].check.timeout = timeout;
	d.rb = rb;
	d.base = event_base_new();
	job_init(d.base);
	d.first_ms = calloc(rb->nsystems + 1, sizeof *d.first_ms);
	d.first_set = calloc(rb->nsystems + 1, sizeof *d.first_set);
	d.starts = calloc(rb->nsystems + 1, sizeof *d.starts);
	d.last_tick = -1;
	d.round_min = -1;
	tick = event_new(d.base, -1, EV_PERSIST, driver_tick, &d);
	event_add(tick, &tv);

	fds0 = driver_fds();
	memset(&cb, 0, sizeof cb);
	cb.updated = driver_updated;
	cb.get = driver_get;
	cb.arg = &d;
	d.checks = checks_create(d.base, rb, 0, &cb);
	d.round_start = checks_time();
	if (seconds > 0) {
		struct timeval	end = { seconds, 0 };

		checks_start(d.checks);
		event_base_loopexit(d.base, &end);
	} else
		checks_once(d.checks, driver_round_done, &d);
	event_base_dispatch(d.base);
	fds1 = driver_fds();

	printf("ticks=%ld\n", d.ticks);
	printf("stall_max_ms=%lld\n", (long long)d.stall_max);
	printf("busy_max_ms=%.1f\n", d.busy_max / 1000.0);
	printf("rounds=%ld\n", d.done);
	printf("round_first_ms=%lld\n", (long long)d.round_first);
	printf("round_min_ms=%lld\n", (long long)d.round_min);
	printf("round_max_ms=%lld\n", (long long)d.round_max);
	for (i = 0; i < rb->nsystems; i++) {
		st = checks_status(d.checks, i);
		printf("system=%s state=%s ms=%lld starts=%ld detail=%s\n",
		    rb->systems[i].id, rb_state_name(st->state),
		    (long long)(d.first_set[i] ? d.first_ms[i] : -1),
		    d.starts[i], st->detail);
	}
	checks_free(d.checks);
	fds2 = driver_fds();
	printf("fds_before=%d\nfds_after_first_round=%d\nfds_after_rounds=%d\n"
	    "fds_after_free=%d\n", fds0, d.fds_round1, fds1, fds2);
	event_free(tick);
	job_shutdown();
	event_base_free(d.base);
	runbook_free(rb);
	free(d.first_ms);
	free(d.first_set);
	free(d.starts);
	return (0);
}
