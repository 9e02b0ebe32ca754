/*
 * The step runner: the one place that decides side effects.
 *
 * Live, the current step's command (variables shell-quoted) runs as a
 * job; its output is redacted, then goes to the capture file in the
 * incident's folder (hashed as it is written), to the screen's output
 * buffer and to the window that `expect` is matched against.  The
 * confirmation and command.start are on disk before the command starts.
 * In a drill nothing is executed or contacted, whatever the step says:
 * the drill's output is played back at a readable pace with its exit
 * status.  That choice is made here and nowhere else.
 *
 * When the command ends, command.exit is recorded and the step is done
 * (exit status and expect as the step wants) or failed, with the reason.
 * An interactive step gets the real terminal through a pseudo-terminal
 * whose output is recorded as script(1) would.
 */

#include <sys/ioctl.h>
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include <event2/event.h>
#include <jansson.h>
#include <openssl/evp.h>

#include "incident.h"
#include "job.h"
#include "expand.h"
#include "fileio.h"
#include "journal.h"
#include "output.h"
#include "pattern.h"
#include "redact.h"
#include "runner.h"
#include "value.h"
#include "xmalloc.h"

#define RUNNER_WINDOW	(4 * 1024 * 1024)	/* expect is matched in */
#define RUNNER_KEEP	(1024 * 1024)		/* overlap kept */
#define RUNNER_TAIL	20
#define RUNNER_IDLE	100			/* ms before held bytes show */
#define RUNNER_ARGMAX	(64 * 1024)		/* longer scripts: a file */

struct runner {
	struct event_base	*base;
	struct incident		*inc;
	struct runner_cb	 cb;
	struct output		*out;
	struct job		*job;
	struct event		*sim;
	struct event		*in;
	struct termios		 saved;
	int			 raw;
	int			 busy;
	int			 interactive;
	size_t			 sc;
	size_t			 step;
	char			*cmd_id;
	int			 ncmd;
	struct timespec		 start;
	int			 capture_fd;
	char			*capture_path;
	char			*capture_rel;
	EVP_MD_CTX		*sha;
	uint64_t		 bytes;
	char			*window;
	size_t			 wlen;
	int			 matched;
	struct redact_stream	*stream;	/* this command's output */
	struct event		*idle;		/* flushes the held-back bytes */
	char			*status;
	char			*failure;
	/* Drill playback. */
	char			*sim_text;
	size_t			 sim_off;
	int			 sim_exit;
	int64_t			 sim_interval;
	int			 cancelled;
};

static void	runner_idle_cb(evutil_socket_t, short, void *);

static int64_t
runner_ms(const struct timespec *t)
{
	struct timespec	now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return ((int64_t)(now.tv_sec - t->tv_sec) * 1000 +
	    (now.tv_nsec - t->tv_nsec) / 1000000);
}

struct runner *
runner_create(struct event_base *base, struct incident *inc, int scrollback,
    const struct runner_cb *cb)
{
	struct runner	*r;
	size_t		 i;

	r = xcalloc(1, sizeof *r);
	r->base = base;
	r->inc = inc;
	if (cb != NULL)
		r->cb = *cb;
	r->out = output_create(scrollback > 0 ? (size_t)scrollback : 10000);
	r->capture_fd = -1;
	r->sim = evtimer_new(base, NULL, NULL);
	r->idle = evtimer_new(base, runner_idle_cb, r);
	/* A resumed incident: command ids go on where they stopped. */
	for (i = 0; i < inc->nevents; i++) {
		if (strcmp(inc->events[i].type, "command.start") == 0)
			r->ncmd++;
	}
	return (r);
}

static void
runner_changed(struct runner *r)
{
	if (r->cb.changed != NULL)
		r->cb.changed(r->cb.arg);
}

static void
runner_set_status(struct runner *r, char *s)
{
	free(r->status);
	r->status = s;
}

/* Bytes that passed redaction: capture, hash, screen, expect window. */
static void
runner_emit(struct runner *r, const char *buf, size_t len)
{
	ssize_t	n;
	size_t	off = 0;

	if (len == 0)
		return;
	while (r->capture_fd != -1 && off < len) {
		n = write(r->capture_fd, buf + off, len - off);
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0) {
			output_feed(r->out, "\n[rbnav] cannot write the "
			    "capture file\n", 36);
			close(r->capture_fd);
			r->capture_fd = -1;
			break;
		}
		off += (size_t)n;
	}
	EVP_DigestUpdate(r->sha, buf, len);
	r->bytes += len;
	if (r->interactive) {
		off = 0;
		while (off < len) {
			n = write(STDOUT_FILENO, buf + off, len - off);
			if (n == -1 && errno == EINTR)
				continue;
			if (n <= 0)
				break;
			off += (size_t)n;
		}
	}
	output_feed(r->out, buf, len);
	if (!r->matched && incident_step(r->inc) != NULL &&
	    incident_step(r->inc)->expect != NULL) {
		if (r->wlen + len > RUNNER_WINDOW) {
			if (pattern_match(incident_step(r->inc)->expect,
			    r->window, r->wlen, NULL, NULL) == 1)
				r->matched = 1;
			if (r->wlen > RUNNER_KEEP) {
				memmove(r->window, r->window + r->wlen -
				    RUNNER_KEEP, RUNNER_KEEP);
				r->wlen = RUNNER_KEEP;
			}
		}
		if (len > RUNNER_WINDOW - r->wlen) {
			buf += len - (RUNNER_WINDOW - r->wlen);
			len = RUNNER_WINDOW - r->wlen;
		}
		memcpy(r->window + r->wlen, buf, len);
		r->wlen += len;
	}
}

/*
 * Redact the stream: the redactor holds back a small window, so that a
 * secret split between two chunks is still caught; final flushes it.
 */
static void
runner_redact(struct runner *r, const char *buf, size_t len, int final)
{
	const char	*out;
	size_t		 outlen;

	if (r->stream == NULL)
		r->stream = redact_stream_create(r->inc->redact);
	if (len > 0) {
		out = redact_stream_feed(r->stream, buf, len, &outlen);
		runner_emit(r, out, outlen);
	}
	if (final) {
		out = redact_stream_finish(r->stream, &outlen);
		runner_emit(r, out, outlen);
		redact_stream_free(r->stream);
		r->stream = NULL;
	}
}

/*
 * The output paused: what the redactor held back (a partial line, a
 * prompt) is shown.  A secret split by a pause this long is not caught
 * whole, but a prompt never waits for the next byte.
 */
static void
runner_idle_cb(evutil_socket_t fd, short what, void *arg)
{
	struct runner	*r = arg;

	(void)fd;
	(void)what;
	if (r->stream != NULL) {
		runner_redact(r, NULL, 0, 1);
		runner_changed(r);
	}
}

static void
runner_output_cb(struct job *j, const char *buf, size_t len, void *arg)
{
	struct runner	*r = arg;
	struct timeval	 tv = { 0, RUNNER_IDLE * 1000 };

	(void)j;
	runner_redact(r, buf, len, 0);
	evtimer_add(r->idle, &tv);
	runner_changed(r);
}

/* The last lines of output, without SGR, for command.exit. */
static json_t *
runner_tail(const struct runner *r)
{
	json_t	*a = json_array();
	size_t	 n = output_lines(r->out), i, len;
	char	*s;

	for (i = n > RUNNER_TAIL ? n - RUNNER_TAIL : 0; i < n; i++) {
		const char	*line = output_line(r->out, i, &len);

		s = output_strip(line, len);
		json_array_append_new(a, json_string(s));
		free(s);
	}
	return (a);
}

static void
runner_interactive_end(struct runner *r)
{
	if (!r->interactive)
		return;
	if (r->in != NULL) {
		event_free(r->in);
		r->in = NULL;
	}
	if (r->raw)
		tcsetattr(STDIN_FILENO, TCSADRAIN, &r->saved);
	r->raw = 0;
	r->interactive = 0;
	if (r->cb.interactive != NULL)
		r->cb.interactive(r->cb.arg, 0);
}

/*
 * The command is over: record command.exit, then the step is done or
 * failed.  how: what ended it; code: exit status or signal.
 */
static void
runner_finish(struct runner *r, enum job_end how, int code, int64_t ms,
    const char *escaped)
{
	const struct rb_step	*st = incident_step(r->inc);
	unsigned char		 md[32];
	unsigned int		 mdlen = sizeof md;
	char			 hex[65], *dur, *reason = NULL;
	json_t			*own;
	size_t			 i;
	int			 ok;

	evtimer_del(r->idle);
	runner_redact(r, NULL, 0, 1);
	output_flush(r->out);
	if (!r->matched && st != NULL && st->expect != NULL &&
	    pattern_match(st->expect, r->window != NULL ? r->window : "",
	    r->wlen, NULL, NULL) == 1)
		r->matched = 1;
	EVP_DigestFinal_ex(r->sha, md, &mdlen);
	for (i = 0; i < 32; i++)
		snprintf(hex + 2 * i, 3, "%02x", md[i]);
	if (r->capture_fd != -1) {
		fdatasync(r->capture_fd);
		close(r->capture_fd);
		r->capture_fd = -1;
	}
	runner_interactive_end(r);

	own = json_pack("{s:s}", "cmd", r->cmd_id);
	if (how == JOB_EXITED)
		json_object_set_new(own, "exit", json_integer(code));
	else
		json_object_set_new(own, "signal",
		    json_string(sigabbrev_np(code) ? sigabbrev_np(code) :
		    "?"));
	json_object_set_new(own, "ms", json_integer(ms));
	json_object_set_new(own, "output_file", json_string(r->capture_rel));
	json_object_set_new(own, "output_sha256", json_string(hex));
	json_object_set_new(own, "output_bytes", json_integer(
	    (json_int_t)r->bytes));
	json_object_set_new(own, "tail", runner_tail(r));
	if (st != NULL && st->expect != NULL)
		json_object_set_new(own, "expect", json_string(r->matched ?
		    "matched" : "missed"));
	if (how == JOB_TIMEOUT)
		json_object_set_new(own, "timeout", json_true());
	if (escaped != NULL)
		json_object_set_new(own, "escaped", json_string(escaped));
	dur = value_duration_format(ms);

	ok = how == JOB_EXITED && st != NULL && code == st->expect_exit &&
	    (st->expect == NULL || r->matched);
	if (how == JOB_EXITED && st != NULL && code != st->expect_exit)
		reason = xprintf("exit %d, expected %d", code,
		    st->expect_exit);
	else if (how == JOB_EXITED && st != NULL && st->expect != NULL &&
	    !r->matched)
		reason = xprintf("output did not match /%s/",
		    pattern_source(st->expect));
	else if (how == JOB_TIMEOUT) {
		char	*limit = value_duration_format(st != NULL ?
			    st->timeout : ms);

		reason = xprintf("timed out after %s (SIG%s)", limit,
		    sigabbrev_np(code) ? sigabbrev_np(code) : "?");
		free(limit);
	}
	else if (how == JOB_CANCELLED)
		reason = xprintf("cancelled (%s)", sigabbrev_np(code) ?
		    sigabbrev_np(code) : "signal");
	else if (how == JOB_SIGNALLED)
		reason = xprintf("killed by SIG%s", sigabbrev_np(code) ?
		    sigabbrev_np(code) : "?");

	incident_record(r->inc, "command.exit", own);
	if (how == JOB_EXITED)
		runner_set_status(r, xprintf("exit %d in %s%s%s", code, dur,
		    reason ? ": " : "", reason ? reason : ""));
	else
		runner_set_status(r, xprintf("%s in %s", reason, dur));
	if (escaped != NULL) {
		char	*line = xprintf("\n[rbnav] still holding the output "
			    "after the stop: %s\n", escaped);

		output_feed(r->out, line, strlen(line));
		output_flush(r->out);
		free(line);
	}
	free(dur);
	free(r->failure);
	r->failure = reason;
	r->busy = 0;
	if (ok && st->nwait_for > 0) {
		/* Done once its systems are up: the watch decides. */
		r->inc->steps[r->sc][r->step].state = STEP_WAITING;
	} else if (ok)
		incident_done(r->inc, NULL);
	else
		incident_fail(r->inc, reason);
	runner_changed(r);
}

static void
runner_done_cb(struct job *j, const struct job_result *res, void *arg)
{
	struct runner	*r = arg;

	runner_finish(r, res->end, res->end == JOB_EXITED ? res->status :
	    res->signal, res->ms, res->escaped);
	job_free(j);	/* done() is its last call */
	r->job = NULL;
}

/* Drill playback: one line per tick, then the drill's exit status. */
static void
runner_sim_cb(evutil_socket_t fd, short what, void *arg)
{
	struct runner	*r = arg;
	struct timeval	 tv;
	const char	*nl;
	size_t		 len;

	(void)fd;
	(void)what;
	if (r->sim_text == NULL || r->sim_text[r->sim_off] == '\0') {
		runner_finish(r, r->cancelled ? JOB_CANCELLED : JOB_EXITED,
		    r->cancelled ? SIGTERM : r->sim_exit,
		    runner_ms(&r->start), NULL);
		return;
	}
	nl = strchr(r->sim_text + r->sim_off, '\n');
	len = nl != NULL ? (size_t)(nl - r->sim_text - r->sim_off) + 1 :
	    strlen(r->sim_text + r->sim_off);
	runner_redact(r, r->sim_text + r->sim_off, len, 0);
	r->sim_off += len;
	tv.tv_sec = r->sim_interval / 1000;
	tv.tv_usec = (r->sim_interval % 1000) * 1000;
	evtimer_add(r->sim, &tv);
	runner_changed(r);
}

/* What a drill says the current step prints and returns. */
static const struct rb_drill_result *
runner_drill_result(const struct runner *r)
{
	const struct drill		*d = r->inc->drill;
	const struct rb_scenario	*sc;
	const struct rb_step		*st = incident_step(r->inc);
	size_t				 i;
	int				 step;

	for (i = 0; d != NULL && i < d->nsteps; i++) {
		if (drill_resolve_ref(d, r->inc->rb, d->steps[i].ref, &sc,
		    &step) == 0 && sc == incident_scenario(r->inc) &&
		    (size_t)step == r->inc->step)
			return (&d->steps[i].result);
	}
	if (st != NULL && st->drill.given)
		return (&st->drill);
	return (NULL);
}

static void
runner_stdin_cb(evutil_socket_t fd, short what, void *arg)
{
	struct runner	*r = arg;
	char		 buf[4096];
	ssize_t		 n;

	(void)what;
	n = read(fd, buf, sizeof buf);
	if (n > 0 && r->job != NULL)
		(void)write(job_fd(r->job), buf, (size_t)n);
	else if (n == 0 || (n == -1 && errno != EAGAIN && errno != EINTR)) {
		/* The terminal is gone: stop the command. */
		event_del(r->in);
		if (r->job != NULL)
			job_cancel(r->job);
	}
}

/* Open the capture file <state>/<incident>.d/<cmd>.out. */
static void
runner_open_capture(struct runner *r)
{
	const char	*jpath = journal_path(r->inc->journal);
	char		*dir, *dot;

	dir = xstrdup(jpath);
	if ((dot = strrchr(dir, '.')) != NULL)
		*dot = '\0';
	dot = xprintf("%s.d", dir);
	free(dir);
	dir = dot;
	mkdir(dir, 0700);
	free(r->capture_path);
	free(r->capture_rel);
	r->capture_path = xprintf("%s/%s.out", dir, r->cmd_id);
	r->capture_rel = xprintf("%s.d/%s.out", r->inc->id, r->cmd_id);
	r->capture_fd = open(r->capture_path, O_WRONLY | O_CREAT | O_TRUNC |
	    O_CLOEXEC, 0600);
	free(dir);
}

/*
 * Run the current step's command: the operator has answered every
 * question already.  Returns 0, or -1 with *cause.
 */
int
runner_run(struct runner *r, char **cause)
{
	const struct rb_step		*st = incident_step(r->inc);
	const struct rb_drill_result	*res;
	struct job_options		 o;
	struct job_cb			 cb;
	struct timeval			 tv;
	char				*cmd, *shown, *workdir = NULL;
	char				*missing = NULL;
	size_t				 lines;
	const char			*p;
	json_t				*own;

	if (r->busy) {
		*cause = xstrdup("a command is already running");
		return (-1);
	}
	if (st == NULL || st->run == NULL) {
		*cause = xstrdup("this step has no command");
		return (-1);
	}
	cmd = incident_expand(r->inc, st->run, INCIDENT_EXPAND_SHELL,
	    &missing);
	if (cmd == NULL) {
		*cause = xprintf("%s has no value", missing);
		free(missing);
		return (-1);
	}
	if (st->workdir != NULL) {
		workdir = incident_expand(r->inc, st->workdir, 0, &missing);
		if (workdir == NULL) {
			*cause = xprintf("%s has no value", missing);
			free(missing);
			free(cmd);
			return (-1);
		}
	}
	shown = incident_expand(r->inc, st->run, INCIDENT_EXPAND_SHELL |
	    INCIDENT_EXPAND_MASK, NULL);

	free(r->cmd_id);
	r->cmd_id = xprintf("c%d", ++r->ncmd);
	r->sc = r->inc->scenario;
	r->step = r->inc->step;
	r->bytes = 0;
	r->wlen = 0;
	r->matched = 0;
	r->cancelled = 0;
	if (r->window == NULL && st->expect != NULL)
		r->window = xmalloc(RUNNER_WINDOW);
	if (r->sha == NULL)
		r->sha = EVP_MD_CTX_new();
	EVP_DigestInit_ex(r->sha, EVP_sha256(), NULL);
	output_clear(r->out);
	runner_open_capture(r);
	clock_gettime(CLOCK_MONOTONIC, &r->start);

	if (journal_pending(r->inc->journal) > 0 &&
	    journal_flush(r->inc->journal) != 0) {
		*cause = xprintf("the timeline is not durable (%s): no "
		    "command runs until it is", strerror(journal_error(
		    r->inc->journal)));
		free(cmd);
		free(workdir);
		free(shown);
		if (r->capture_fd != -1) {
			close(r->capture_fd);
			r->capture_fd = -1;
		}
		unlink(r->capture_path);
		r->ncmd--;
		return (-1);
	}
	/* On disk before anything runs. */
	own = json_pack("{s:s, s:s, s:s}", "step", st->id, "command", shown,
	    "cmd", r->cmd_id);
	if (r->inc->mode == INCIDENT_DRILL)
		json_object_set_new(own, "simulated", json_true());
	if (st->interactive)
		json_object_set_new(own, "interactive", json_true());
	incident_record(r->inc, "command.start", own);
	free(shown);
	if (journal_pending(r->inc->journal) > 0) {
		/* command.start is not on disk: nothing runs; say so. */
		*cause = xprintf("the timeline is not durable (%s): the "
		    "command was not started", strerror(journal_error(
		    r->inc->journal)));
		incident_record(r->inc, "command.exit", json_pack("{s:s, s:b, "
		    "s:s}", "cmd", r->cmd_id, "not_started", 1, "reason",
		    *cause));
		free(cmd);
		free(workdir);
		if (r->capture_fd != -1) {
			close(r->capture_fd);
			r->capture_fd = -1;
		}
		unlink(r->capture_path);
		return (-1);
	}
	r->inc->steps[r->sc][r->step].state = STEP_RUNNING;
	r->busy = 1;

	if (r->inc->mode == INCIDENT_DRILL) {
		/* Nothing real is executed in a drill. */
		res = runner_drill_result(r);
		free(r->sim_text);
		r->sim_text = xstrdup(res != NULL && res->output != NULL ?
		    res->output : "(drill) command not executed\n");
		r->sim_off = 0;
		r->sim_exit = res != NULL ? res->exit : 0;
		for (lines = 0, p = r->sim_text; *p != '\0'; p++)
			lines += *p == '\n';
		r->sim_interval = (res != NULL ? res->duration : 1000) /
		    (int64_t)(lines + 1);
		if (r->sim_interval < 20)
			r->sim_interval = 20;
		if (r->sim_interval > 1500)
			r->sim_interval = 1500;
		event_assign(r->sim, r->base, -1, 0, runner_sim_cb, r);
		tv.tv_sec = 0;
		tv.tv_usec = 200 * 1000;
		evtimer_add(r->sim, &tv);
		runner_set_status(r, xstrdup("running (drill)"));
		free(cmd);
		free(workdir);
		runner_changed(r);
		return (0);
	}

	if (strlen(cmd) > RUNNER_ARGMAX) {
		/*
		 * The kernel limits one argument to 128 KiB: a longer script
		 * goes to a file beside the capture, run by the same shell.
		 */
		char	*script = xprintf("%.*s.sh", (int)(strlen(
			    r->capture_path) - 4), r->capture_path);
		char	*q, *runit;

		if (fileio_write_buffer(script, cmd, strlen(cmd), cause) != 0) {
			free(script);
			free(cmd);
			free(workdir);
			runner_finish(r, JOB_EXITED, 127, 0, NULL);
			return (-1);
		}
		q = expand_shell_quote(script);
		runit = xprintf(". %s", q);
		free(q);
		free(script);
		free(cmd);
		cmd = runit;
	}
	memset(&o, 0, sizeof o);
	o.command = cmd;
	o.workdir = workdir;
	o.timeout = st->timeout;
	o.flags = st->interactive ? JOB_PTY : 0;
	memset(&cb, 0, sizeof cb);
	cb.output = runner_output_cb;
	cb.done = runner_done_cb;
	cb.arg = r;
	if (st->interactive) {
		/* The screen steps aside before the command starts. */
		r->interactive = 1;
		if (r->cb.interactive != NULL)
			r->cb.interactive(r->cb.arg, 1);
		if (tcgetattr(STDIN_FILENO, &r->saved) == 0) {
			struct termios	raw = r->saved;

			cfmakeraw(&raw);
			tcsetattr(STDIN_FILENO, TCSADRAIN, &raw);
			r->raw = 1;
		}
	}
	r->job = job_start(&o, &cb, cause);
	free(cmd);
	free(workdir);
	if (r->job == NULL) {
		runner_finish(r, JOB_EXITED, 127, 0, NULL);
		return (-1);
	}
	if (st->interactive) {
		r->in = event_new(r->base, STDIN_FILENO, EV_READ | EV_PERSIST,
		    runner_stdin_cb, r);
		event_add(r->in, NULL);
	}
	runner_set_status(r, xprintf("running (pid %d)",
	    (int)job_pid(r->job)));
	runner_changed(r);
	return (0);
}

/* Ctrl-C: TERM to the process group; asked again, KILL. */
void
runner_cancel(struct runner *r)
{
	if (!r->busy)
		return;
	if (r->job == NULL) {
		/* A drill: stop the playback. */
		if (!r->cancelled) {
			r->cancelled = 1;
			incident_record(r->inc, "command.cancel",
			    json_pack("{s:s, s:s}", "cmd", r->cmd_id,
			    "signal", "TERM"));
			free(r->sim_text);
			r->sim_text = NULL;
		}
		return;
	}
	incident_record(r->inc, "command.cancel", json_pack("{s:s, s:s}",
	    "cmd", r->cmd_id, "signal", job_cancelling(r->job) ? "KILL" :
	    "TERM"));
	job_cancel(r->job);
	runner_set_status(r, xstrdup(job_cancelling(r->job) == 2 ?
	    "killing (SIGKILL sent)" : "stopping (SIGTERM sent; Ctrl-C "
	    "again kills)"));
	runner_changed(r);
}

/*
 * Show a recorded command in the output pane (resume, replay): its
 * status and the tail the timeline kept.  Nothing runs.
 */
void
runner_show(struct runner *r, const json_t *exitev)
{
	const json_t	*tail = json_object_get(exitev, "tail"), *v;
	const char	*s;
	size_t		 i;

	output_clear(r->out);
	json_array_foreach(tail, i, v) {
		if ((s = json_string_value(v)) == NULL)
			continue;
		output_feed(r->out, s, strlen(s));
		output_feed(r->out, "\n", 1);
	}
	free(r->cmd_id);
	r->cmd_id = xstrdup((s = json_string_value(json_object_get(exitev,
	    "cmd"))) != NULL ? s : "?");
	if ((v = json_object_get(exitev, "exit")) != NULL)
		runner_set_status(r, xprintf("exit %lld in %lldms (recorded)",
		    (long long)json_integer_value(v), (long long)
		    json_integer_value(json_object_get(exitev, "ms"))));
	else
		runner_set_status(r, xprintf("stopped by SIG%s (recorded)",
		    (s = json_string_value(json_object_get(exitev,
		    "signal"))) != NULL ? s : "?"));
	r->busy = 0;
}

int
runner_busy(const struct runner *r)
{
	return (r->busy);
}

int
runner_interactive(const struct runner *r)
{
	return (r->interactive);
}

/* The terminal changed size: tell an interactive command. */
void
runner_resize(struct runner *r)
{
	struct winsize	ws;

	if (!r->interactive || r->job == NULL)
		return;
	if (ioctl(STDIN_FILENO, TIOCGWINSZ, &ws) == 0)
		ioctl(job_fd(r->job), TIOCSWINSZ, &ws);
}

const struct output *
runner_output(const struct runner *r)
{
	return (r->out);
}

/* One line about the command: running, or how it ended; caller frees. */
char *
runner_status(const struct runner *r)
{
	char	*d;
	char	*s;

	if (r->busy && r->status != NULL) {
		d = value_duration_format(runner_ms(&r->start));
		s = xprintf("%s %s · %s", r->cmd_id, r->status, d);
		free(d);
		return (s);
	}
	if (r->status == NULL)
		return (NULL);
	return (xprintf("%s %s", r->cmd_id, r->status));
}

const char *
runner_capture(const struct runner *r)
{
	return (r->capture_path);
}

const char *
runner_failure(const struct runner *r)
{
	return (r->failure);
}

void
runner_free(struct runner *r)
{
	if (r == NULL)
		return;
	if (r->job != NULL) {
		if (job_running(r->job))
			kill(-job_pid(r->job), SIGKILL);
		job_free(r->job);
	}
	runner_interactive_end(r);
	if (r->capture_fd != -1)
		close(r->capture_fd);
	event_free(r->sim);
	event_free(r->idle);
	output_free(r->out);
	if (r->sha != NULL)
		EVP_MD_CTX_free(r->sha);
	free(r->window);
	redact_stream_free(r->stream);
	free(r->status);
	free(r->failure);
	free(r->sim_text);
	free(r->cmd_id);
	free(r->capture_path);
	free(r->capture_rel);
	free(r);
}
