/* Commands run in their own session: output, exit, timeout, cancel. */
#ifndef JOB_H
#define JOB_H

#if !defined(RBNAV_LAYER) || RBNAV_LAYER < 2
#error "job.h belongs to the engine layer"
#endif

#include <sys/types.h>

#include <stddef.h>
#include <stdint.h>

struct event_base;
struct job;

enum job_end {
	JOB_EXITED,	/* exit status in status */
	JOB_SIGNALLED,	/* signal in status */
	JOB_TIMEOUT,	/* stopped at its timeout */
	JOB_CANCELLED	/* stopped on request */
};

struct job_result {
	enum job_end	 end;
	int		 status;	/* exit status, or the signal */
	int		 signal;	/* the signal that ended it, or 0 */
	int64_t		 ms;
	char		*escaped;	/* processes left holding the output */
};

struct job_cb {
	void	(*output)(struct job *, const char *, size_t, void *);
	void	(*done)(struct job *, const struct job_result *, void *);
	void	*arg;
};

#define JOB_PTY		0x1	/* the command gets a pseudo-terminal */
#define JOB_TTY		0x2	/* the command keeps our terminal (a pager) */

struct job_options {
	const char	*command;	/* for /bin/sh -c */
	const char	*workdir;	/* NULL: the current directory */
	int64_t		 timeout;	/* ms, -1 none */
	int		 flags;
};

void		 job_init(struct event_base *);
void		 job_shutdown(void);
struct job	*job_start(const struct job_options *, const struct job_cb *,
		     char **);
void		 job_cancel(struct job *);
void		 job_free(struct job *);
pid_t		 job_pid(const struct job *);
int		 job_fd(const struct job *);
int		 job_running(const struct job *);
int		 job_cancelling(const struct job *);

#endif
