/*
 * TCP checks: up when host:port accepts a connection.
 *
 * The name is looked up on the scheduler's lookup thread, then each
 * address is tried in turn with a non-blocking connect, waited for on
 * the loop; the first that connects ends the check and is closed at
 * once.  Nothing is sent.  The deadline is the scheduler's: a port that
 * never answers (a full listen queue drops the SYN) is cancelled there.
 */

#include <sys/socket.h>

#include <errno.h>
#include <netdb.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <event2/event.h>

#include "checks.h"
#include "xmalloc.h"

struct tcp_run {
	struct event_base	*base;
	check_done_cb		 done;
	void			*done_arg;
	char			*host;
	char			*port;
	struct checks_lookup	*lookup;
	struct addrinfo		*addrs;
	struct addrinfo		*cur;
	char			*where;		/* cur, for messages */
	char			*error;		/* of the last address */
	int			 fd;
	struct event		*ev;
};

static void	tcp_try(struct tcp_run *);

/* Close what is open and report: the last thing on the stack. */
static void
tcp_finish(struct tcp_run *r, enum rb_state state, const char *detail)
{
	if (r->ev != NULL)
		event_free(r->ev);
	r->ev = NULL;
	if (r->fd != -1)
		close(r->fd);
	r->fd = -1;
	r->done(r->done_arg, state, detail);
}

/* "127.0.0.1 port 6379" for cur. */
static void
tcp_where(struct tcp_run *r)
{
	char	host[NI_MAXHOST], serv[NI_MAXSERV];

	free(r->where);
	if (getnameinfo(r->cur->ai_addr, r->cur->ai_addrlen, host,
	    sizeof host, serv, sizeof serv,
	    NI_NUMERICHOST | NI_NUMERICSERV) != 0)
		r->where = xprintf("%s port %s", r->host, r->port);
	else
		r->where = xprintf("%s port %s", host, serv);
}

static void
tcp_failed(struct tcp_run *r, int err)
{
	free(r->error);
	r->error = xprintf("cannot connect to %s: %s", r->where,
	    strerror(err));
	if (r->ev != NULL)
		event_free(r->ev);
	r->ev = NULL;
	close(r->fd);
	r->fd = -1;
	r->cur = r->cur->ai_next;
	tcp_try(r);
}

static void
tcp_connected_cb(evutil_socket_t fd, short what, void *arg)
{
	struct tcp_run	*r = arg;
	socklen_t	 len = sizeof (int);
	int		 err = 0;
	char		*detail;

	(void)what;
	if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) == -1)
		err = errno;
	if (err != 0) {
		tcp_failed(r, err);
		return;
	}
	detail = xprintf("connected to %s", r->where);
	tcp_finish(r, RB_STATE_UP, detail);
	free(detail);
}

/* Connect to cur, or the next address; down when none is left. */
static void
tcp_try(struct tcp_run *r)
{
	struct addrinfo	*ai;

	if ((ai = r->cur) == NULL) {
		tcp_finish(r, RB_STATE_DOWN, r->error != NULL ? r->error :
		    "no address to connect to");
		return;
	}
	tcp_where(r);
	r->fd = socket(ai->ai_family, ai->ai_socktype | SOCK_NONBLOCK |
	    SOCK_CLOEXEC, ai->ai_protocol);
	if (r->fd == -1) {
		free(r->error);
		r->error = xprintf("socket: %s", strerror(errno));
		r->cur = ai->ai_next;
		tcp_try(r);
		return;
	}
	if (connect(r->fd, ai->ai_addr, ai->ai_addrlen) == -1 &&
	    errno != EINPROGRESS) {
		tcp_failed(r, errno);
		return;
	}
	/* Even an immediate success is reported from the loop. */
	r->ev = event_new(r->base, r->fd, EV_WRITE, tcp_connected_cb, r);
	event_add(r->ev, NULL);
}

static void
tcp_lookup_cb(int err, struct addrinfo *res, void *arg)
{
	struct tcp_run	*r = arg;
	char		*msg;

	r->lookup = NULL;
	if (err != 0) {
		msg = xprintf("cannot resolve %s: %s", r->host,
		    gai_strerror(err));
		tcp_finish(r, RB_STATE_UNKNOWN, msg);
		free(msg);
		return;
	}
	r->addrs = r->cur = res;
	tcp_try(r);
}

static void *
tcp_start(const struct check_req *req, struct check_result *now)
{
	struct tcp_run	*r;
	const char	*t = req->target, *colon, *end;

	colon = strrchr(t, ':');
	if (colon == NULL || colon == t || colon[1] == '\0') {
		check_result_set(now, RB_STATE_UNKNOWN, "'%s' is not host:port",
		    t);
		return (NULL);
	}
	r = xcalloc(1, sizeof *r);
	r->base = req->base;
	r->done = req->done;
	r->done_arg = req->done_arg;
	r->fd = -1;
	end = colon;
	if (t[0] == '[' && end[-1] == ']')	/* [::1]:5432 */
		r->host = xstrndup(t + 1, end - t - 2);
	else
		r->host = xstrndup(t, end - t);
	r->port = xstrdup(colon + 1);
	r->lookup = checks_lookup_start(r->base, r->host, r->port,
	    tcp_lookup_cb, r);
	return (r);
}

static void
tcp_cancel(void *arg, struct check_result *res)
{
	struct tcp_run	*r = arg;
	char		*why;

	if (res != NULL) {
		why = res->detail;
		res->detail = NULL;
		if (r->lookup != NULL)
			check_result_set(res, RB_STATE_UNKNOWN,
			    "%s looking up %s", why, r->host);
		else
			check_result_set(res, RB_STATE_DOWN,
			    "%s connecting to %s", why, r->where != NULL ?
			    r->where : r->host);
		free(why);
	}
	checks_lookup_cancel(r->lookup);
	r->lookup = NULL;
	if (r->ev != NULL)
		event_free(r->ev);
	r->ev = NULL;
	if (r->fd != -1)
		close(r->fd);
	r->fd = -1;
}

static void
tcp_free(void *arg)
{
	struct tcp_run	*r = arg;

	if (r == NULL)
		return;
	tcp_cancel(r, NULL);
	if (r->addrs != NULL)
		freeaddrinfo(r->addrs);
	free(r->error);
	free(r->where);
	free(r->host);
	free(r->port);
	free(r);
}

const struct check_ops check_tcp_ops = {
	"tcp", 0, NULL, NULL, tcp_start, tcp_cancel, tcp_free
};
