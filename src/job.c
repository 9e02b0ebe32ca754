/*
 * Jobs: commands run with /bin/sh -c, in their own session.
 *
 * A job's command has no controlling terminal and reads /dev/null, so a
 * password prompt fails at once instead of hanging; stdout and stderr
 * share one pipe, read on the event loop in bounded chunks so that a
 * flood never starves the keyboard.  A job is finished when both the end
 * of its output and its exit were seen, or when its timeout or a cancel
 * fired: then its process group gets SIGTERM, and SIGKILL after a grace
 * period.  Children are reaped in one place, the SIGCHLD handler here,
 * with waitpid(WNOHANG); nothing ever waits.  A process that escaped
 * into its own session and still holds the output pipe is found in
 * /proc and reported by pid and name.
 *
 * With JOB_PTY the command gets a pseudo-terminal instead and the caller
 * proxies the real terminal to it (an interactive step: ssh, sudo,
 * psql); output still comes through the output callback.
 */

#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pty.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <event2/event.h>

#include "job.h"
#include "xmalloc.h"

#define JOB_GRACE_MS	3000
#define JOB_CHUNK	(64 * 1024)
#define JOB_MAX_JOBS	256

struct job {
	pid_t			 pid;
	int			 fd;		/* output pipe or pty master */
	struct event		*ev_read;
	struct event		*ev_timeout;
	struct event		*ev_grace;
	struct event		*ev_linger;
	struct job_cb		 cb;
	struct timespec		 start;
	int			 exited;	/* reaped */
	int			 eof;
	int			 wstatus;
	int			 stopping;	/* 0, 1 TERM sent, 2 KILL sent */
	enum job_end		 why;		/* TIMEOUT or CANCELLED */
	int			 reported;
	ino_t			 pipe_ino;
	int			 flags;
};

static struct event_base	*job_base;
static struct event		*job_sigchld;
static struct job		*job_table[JOB_MAX_JOBS];

static int64_t
job_ms(const struct timespec *t)
{
	struct timespec	now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return ((int64_t)(now.tv_sec - t->tv_sec) * 1000 +
	    (now.tv_nsec - t->tv_nsec) / 1000000);
}

/* Processes other than pid's group still holding pipe inode ino. */
static char *
job_find_holders(ino_t ino, pid_t pgid)
{
	DIR		*proc, *fds;
	struct dirent	*p, *f;
	char		 path[512], link[256], want[64], name[64];
	char		*list = NULL, *n;
	ssize_t		 len;
	FILE		*fp;
	pid_t		 pid;

	snprintf(want, sizeof want, "pipe:[%lu]", (unsigned long)ino);
	if ((proc = opendir("/proc")) == NULL)
		return (NULL);
	while ((p = readdir(proc)) != NULL) {
		pid = (pid_t)atoi(p->d_name);
		if (pid <= 0 || pid == getpid())
			continue;
		snprintf(path, sizeof path, "/proc/%d/fd", (int)pid);
		if ((fds = opendir(path)) == NULL)
			continue;
		while ((f = readdir(fds)) != NULL) {
			snprintf(path, sizeof path, "/proc/%d/fd/%s",
			    (int)pid, f->d_name);
			len = readlink(path, link, sizeof link - 1);
			if (len <= 0)
				continue;
			link[len] = '\0';
			if (strcmp(link, want) != 0)
				continue;
			name[0] = '\0';
			snprintf(path, sizeof path, "/proc/%d/comm", (int)pid);
			if ((fp = fopen(path, "r")) != NULL) {
				if (fgets(name, sizeof name, fp) != NULL)
					name[strcspn(name, "\n")] = '\0';
				fclose(fp);
			}
			n = xprintf("%s%s%d (%s)%s", list ? list : "",
			    list ? ", " : "", (int)pid, name,
			    getpgid(pid) == pgid ? "" : " in its own session");
			free(list);
			list = n;
			break;
		}
		closedir(fds);
	}
	closedir(proc);
	return (list);
}

/* Report the end once both exit and EOF are in, or a stop is final. */
static void
job_maybe_done(struct job *j, int force)
{
	struct job_result	r;

	if (j->reported || (!force && !(j->exited && j->eof)))
		return;
	memset(&r, 0, sizeof r);
	r.ms = job_ms(&j->start);
	if (j->stopping) {
		r.end = j->why;
		r.signal = j->stopping == 2 ? SIGKILL : SIGTERM;
		if (j->exited && WIFSIGNALED(j->wstatus))
			r.signal = WTERMSIG(j->wstatus);
		r.status = r.signal;
	} else if (WIFSIGNALED(j->wstatus)) {
		r.end = JOB_SIGNALLED;
		r.status = r.signal = WTERMSIG(j->wstatus);
	} else {
		r.end = JOB_EXITED;
		r.status = WEXITSTATUS(j->wstatus);
	}
	if (!j->eof && j->pipe_ino != 0)
		r.escaped = job_find_holders(j->pipe_ino, j->pid);
	j->reported = 1;
	if (j->ev_read != NULL)
		event_del(j->ev_read);
	if (j->ev_timeout != NULL)
		event_del(j->ev_timeout);
	if (j->ev_grace != NULL)
		event_del(j->ev_grace);
	if (j->ev_linger != NULL)
		event_del(j->ev_linger);
	if (j->cb.done != NULL)
		j->cb.done(j, &r, j->cb.arg);
	free(r.escaped);
}

static void
job_read_cb(evutil_socket_t fd, short what, void *arg)
{
	struct job	*j = arg;
	char		 buf[JOB_CHUNK];
	ssize_t		 n;

	(void)what;
	n = read(fd, buf, sizeof buf);
	if (n > 0) {
		if (j->cb.output != NULL)
			j->cb.output(j, buf, (size_t)n, j->cb.arg);
		return;
	}
	if (n == -1 && (errno == EAGAIN || errno == EINTR))
		return;
	/* EOF, or EIO on a pty whose slave side closed. */
	j->eof = 1;
	event_del(j->ev_read);
	job_maybe_done(j, 0);
}

/* The leader is gone but someone keeps the output open: keep reading. */
static void
job_linger_cb(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	(void)arg;
}

static void
job_grace_cb(evutil_socket_t fd, short what, void *arg)
{
	struct job	*j = arg;
	struct timeval	 tv = { 1, 0 };

	(void)fd;
	(void)what;
	if (j->stopping == 1) {
		kill(-j->pid, SIGKILL);
		j->stopping = 2;
		/* A last second for the kill to land and the pipe to close. */
		evtimer_add(j->ev_grace, &tv);
		return;
	}
	job_maybe_done(j, 1);
}

/* TERM to the whole group now, KILL after the grace period. */
static void
job_stop(struct job *j, enum job_end why)
{
	struct timeval	tv = { JOB_GRACE_MS / 1000, 0 };

	if (j->reported)
		return;
	if (j->stopping == 1) {
		/* Asked again: kill at once. */
		kill(-j->pid, SIGKILL);
		j->stopping = 2;
		tv.tv_sec = 1;
		evtimer_add(j->ev_grace, &tv);
		return;
	}
	if (j->stopping)
		return;
	j->why = why;
	j->stopping = 1;
	kill(-j->pid, SIGTERM);
	kill(-j->pid, SIGCONT);
	evtimer_add(j->ev_grace, &tv);
}

static void
job_timeout_cb(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	job_stop(arg, JOB_TIMEOUT);
}

/* The one place children are reaped. */
static void
job_sigchld_cb(evutil_socket_t sig, short what, void *arg)
{
	pid_t	pid;
	int	status, i;

	(void)sig;
	(void)what;
	(void)arg;
	while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
		for (i = 0; i < JOB_MAX_JOBS; i++) {
			struct job	*j = job_table[i];

			if (j == NULL || j->pid != pid)
				continue;
			j->exited = 1;
			j->wstatus = status;
			job_maybe_done(j, 0);
			break;
		}
	}
}

/* Hook the jobs into the loop: SIGCHLD is handled from now on. */
void
job_init(struct event_base *base)
{
	job_base = base;
	job_sigchld = evsignal_new(base, SIGCHLD, job_sigchld_cb, NULL);
	event_add(job_sigchld, NULL);
}

void
job_shutdown(void)
{
	int	i;

	for (i = 0; i < JOB_MAX_JOBS; i++) {
		if (job_table[i] != NULL && !job_table[i]->reported)
			kill(-job_table[i]->pid, SIGKILL);
	}
	if (job_sigchld != NULL)
		event_free(job_sigchld);
	job_sigchld = NULL;
}

/* The child side: never returns. */
static void
job_child(const struct job_options *o, int out)
{
	int	null, fd;

	if (!(o->flags & (JOB_PTY | JOB_TTY))) {
		setsid();
		if ((null = open("/dev/null", O_RDONLY)) != -1) {
			dup2(null, STDIN_FILENO);
			if (null != STDIN_FILENO)
				close(null);
		}
		dup2(out, STDOUT_FILENO);
		dup2(out, STDERR_FILENO);
		if (out > STDERR_FILENO)
			close(out);
	}
	for (fd = STDERR_FILENO + 1; fd < 1024; fd++)
		close(fd);
	signal(SIGPIPE, SIG_DFL);
	signal(SIGINT, SIG_DFL);
	signal(SIGQUIT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	signal(SIGHUP, SIG_DFL);
	signal(SIGTSTP, SIG_DFL);
	signal(SIGCHLD, SIG_DFL);
	{
		sigset_t	set;

		sigemptyset(&set);
		sigprocmask(SIG_SETMASK, &set, NULL);
	}
	if (o->workdir != NULL && chdir(o->workdir) != 0) {
		dprintf(STDERR_FILENO, "rbnav: cannot enter %s: %s\n",
		    o->workdir, strerror(errno));
		_exit(126);
	}
	execl("/bin/sh", "sh", "-c", o->command, (char *)NULL);
	dprintf(STDERR_FILENO, "rbnav: /bin/sh: %s\n", strerror(errno));
	_exit(127);
}

/*
 * Start a job.  Its callbacks run on the loop; done() is called exactly
 * once, after which the caller may job_free it.  NULL with *cause.
 */
struct job *
job_start(const struct job_options *o, const struct job_cb *cb, char **cause)
{
	struct job	*j;
	struct stat	 st;
	struct winsize	 ws;
	int		 p[2], slot, master = -1;
	pid_t		 pid;
	struct timeval	 tv;

	for (slot = 0; slot < JOB_MAX_JOBS && job_table[slot] != NULL; slot++)
		;
	if (slot == JOB_MAX_JOBS) {
		*cause = xstrdup("too many commands at once");
		return (NULL);
	}
	if (o->flags & JOB_TTY) {
		/* A pager: our terminal, our session; no output to read. */
		pid = fork();
		if (pid == -1) {
			*cause = xprintf("fork: %s", strerror(errno));
			return (NULL);
		}
		if (pid == 0)
			job_child(o, -1);
		p[0] = -1;	/* nothing to read: the end is the exit */
		p[1] = -1;
	} else if (o->flags & JOB_PTY) {
		memset(&ws, 0, sizeof ws);
		ioctl(STDIN_FILENO, TIOCGWINSZ, &ws);
		pid = forkpty(&master, NULL, NULL, &ws);
		if (pid == -1) {
			*cause = xprintf("forkpty: %s", strerror(errno));
			return (NULL);
		}
		if (pid == 0)
			job_child(o, -1);
		p[0] = master;
		p[1] = -1;
	} else {
		if (pipe2(p, O_CLOEXEC) == -1) {
			*cause = xprintf("pipe: %s", strerror(errno));
			return (NULL);
		}
		pid = fork();
		if (pid == -1) {
			*cause = xprintf("fork: %s", strerror(errno));
			close(p[0]);
			close(p[1]);
			return (NULL);
		}
		if (pid == 0) {
			close(p[0]);
			job_child(o, p[1]);
		}
		close(p[1]);
	}
	/*
	 * The child makes its own session (setsid); the parent must not
	 * setpgid it first, or setsid fails and the command keeps our
	 * terminal.
	 */

	j = xcalloc(1, sizeof *j);
	j->pid = pid;
	j->fd = p[0];
	j->flags = o->flags;
	if (cb != NULL)
		j->cb = *cb;
	if (j->fd != -1 && fstat(j->fd, &st) == 0 && S_ISFIFO(st.st_mode))
		j->pipe_ino = st.st_ino;
	clock_gettime(CLOCK_MONOTONIC, &j->start);
	if (j->fd != -1) {
		evutil_make_socket_nonblocking(j->fd);
		j->ev_read = event_new(job_base, j->fd, EV_READ | EV_PERSIST,
		    job_read_cb, j);
		event_add(j->ev_read, NULL);
	} else
		j->eof = 1;
	j->ev_grace = evtimer_new(job_base, job_grace_cb, j);
	j->ev_linger = evtimer_new(job_base, job_linger_cb, j);
	j->ev_timeout = evtimer_new(job_base, job_timeout_cb, j);
	if (o->timeout >= 0) {
		tv.tv_sec = o->timeout / 1000;
		tv.tv_usec = (o->timeout % 1000) * 1000;
		evtimer_add(j->ev_timeout, &tv);
	}
	job_table[slot] = j;
	return (j);
}

/* Ctrl-C: TERM to the group; asked again, KILL. */
void
job_cancel(struct job *j)
{
	job_stop(j, JOB_CANCELLED);
}

void
job_free(struct job *j)
{
	int	i;

	if (j == NULL)
		return;
	for (i = 0; i < JOB_MAX_JOBS; i++) {
		if (job_table[i] == j)
			job_table[i] = NULL;
	}
	if (!j->reported)
		kill(-j->pid, SIGKILL);
	if (j->ev_read != NULL)
		event_free(j->ev_read);
	event_free(j->ev_timeout);
	event_free(j->ev_grace);
	event_free(j->ev_linger);
	if (j->fd != -1)
		close(j->fd);
	free(j);
}

/* The pty master of a JOB_PTY job, for the caller's proxy. */
int
job_fd(const struct job *j)
{
	return (j->fd);
}

pid_t
job_pid(const struct job *j)
{
	return (j->pid);
}

int
job_running(const struct job *j)
{
	return (!j->reported);
}

int
job_cancelling(const struct job *j)
{
	return (j->stopping);
}
