/*
 * Command checks: up when the command exits 0 (and its output matches
 * expect, when given).
 *
 * The command runs through job.c, in its own session with no terminal
 * and /dev/null for input, so a password prompt fails instead of
 * hanging; {{variables}} in it were inserted shell-quoted by the
 * scheduler.  At the deadline the job is freed, which kills its whole
 * process group.  At most 1 MiB of output is kept for expect.
 */

#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "checks.h"
#include "job.h"
#include "pattern.h"
#include "xmalloc.h"

#define CMD_OUTPUT_MAX	(1024 * 1024)
#define CMD_LINE_MAX	200

struct cmd_run {
	const struct rb_check	*def;
	struct job		*job;
	check_done_cb		 done;
	void			*done_arg;
	char			*out;
	size_t			 len;
	size_t			 cap;
};

static void
cmd_output_cb(struct job *j, const char *p, size_t len, void *arg)
{
	struct cmd_run	*r = arg;

	(void)j;
	if (len > CMD_OUTPUT_MAX - r->len)
		len = CMD_OUTPUT_MAX - r->len;
	if (len == 0)
		return;
	if (r->len + len + 1 > r->cap) {
		r->cap = (r->len + len + 1) * 2;
		if (r->cap > CMD_OUTPUT_MAX + 1)
			r->cap = CMD_OUTPUT_MAX + 1;
		r->out = xrealloc(r->out, r->cap);
	}
	memcpy(r->out + r->len, p, len);
	r->len += len;
	r->out[r->len] = '\0';
}

/* The last non-empty line of the output, shortened; caller frees. */
static char *
cmd_last_line(const struct cmd_run *r)
{
	size_t	end = r->len, start;

	while (end > 0 && (r->out[end - 1] == '\n' ||
	    r->out[end - 1] == '\r' || r->out[end - 1] == ' '))
		end--;
	if (end == 0)
		return (NULL);
	start = end;
	while (start > 0 && r->out[start - 1] != '\n')
		start--;
	if (end - start > CMD_LINE_MAX)
		end = start + CMD_LINE_MAX;
	return (xstrndup(r->out + start, end - start));
}

static void
cmd_done_cb(struct job *j, const struct job_result *res, void *arg)
{
	struct cmd_run		*r = arg;
	const struct rb_check	*def = r->def;
	enum rb_state		 state;
	char			*detail, *line;
	int			 m;

	(void)j;
	line = cmd_last_line(r);
	switch (res->end) {
	case JOB_EXITED:
		if (res->status != 0) {
			state = RB_STATE_DOWN;
			detail = xprintf("exit %d%s%s", res->status,
			    line != NULL ? ": " : "", line != NULL ? line : "");
			break;
		}
		if (def->expect != NULL && (m = pattern_match(def->expect,
		    r->out != NULL ? r->out : "", r->len, NULL, NULL)) != 1) {
			state = RB_STATE_DEGRADED;
			detail = xprintf("exit 0, output %s /%s/", m == 0 ?
			    "does not match" : "cannot be matched against",
			    pattern_source(def->expect));
			break;
		}
		state = RB_STATE_UP;
		detail = xprintf("exit 0%s%s", line != NULL ? ": " : "",
		    line != NULL ? line : "");
		break;
	case JOB_SIGNALLED:
		state = RB_STATE_DOWN;
		detail = xprintf("killed by signal %d (%s)", res->status,
		    strsignal(res->status));
		break;
	case JOB_TIMEOUT:
		state = RB_STATE_DOWN;
		detail = xprintf("timed out after %lld ms",
		    (long long)def->timeout);
		break;
	default:
		state = RB_STATE_DOWN;
		detail = xstrdup("cancelled");
		break;
	}
	free(line);
	r->done(r->done_arg, state, detail);	/* frees r */
	free(detail);
}

static void *
cmd_start(const struct check_req *req, struct check_result *now)
{
	struct cmd_run		*r;
	struct job_options	 o;
	struct job_cb		 cb;
	char			*cause = NULL;

	r = xcalloc(1, sizeof *r);
	r->def = req->def;
	r->done = req->done;
	r->done_arg = req->done_arg;
	memset(&o, 0, sizeof o);
	o.command = req->target;
	o.timeout = req->def->timeout;
	memset(&cb, 0, sizeof cb);
	cb.output = cmd_output_cb;
	cb.done = cmd_done_cb;
	cb.arg = r;
	if ((r->job = job_start(&o, &cb, &cause)) == NULL) {
		check_result_set(now, RB_STATE_UNKNOWN, "%s", cause);
		free(cause);
		free(r);
		return (NULL);
	}
	return (r);
}

/* Kill the whole process group now (job_free does) and close the pipe. */
static void
cmd_cancel(void *arg, struct check_result *res)
{
	struct cmd_run	*r = arg;

	(void)res;
	job_free(r->job);
	r->job = NULL;
}

static void
cmd_free(void *arg)
{
	struct cmd_run	*r = arg;

	if (r == NULL)
		return;
	job_free(r->job);
	free(r->out);
	free(r);
}

const struct check_ops check_cmd_ops = {
	"command", 0, NULL, NULL, cmd_start, cmd_cancel, cmd_free
};
