/*
 * libcurl's multi socket interface on the event loop.
 *
 * curl says which sockets to watch (CURLMOPT_SOCKETFUNCTION) and when to
 * be called back (CURLMOPT_TIMERFUNCTION); the loop calls
 * curl_multi_socket_action when a socket is ready or the timer fires,
 * then hands every finished transfer to the owner's callback.  Nothing
 * polls or waits.  HTTP checks and webhooks each own one.
 */

#include <sys/queue.h>

#include <stdlib.h>

#include <event2/event.h>

#include "curlev.h"
#include "xmalloc.h"

struct curlev_sock {
	struct curlev		*cev;
	curl_socket_t		 fd;
	struct event		*ev;
	LIST_ENTRY(curlev_sock)	 entry;
};

struct curlev {
	struct event_base	*base;
	CURLM			*multi;
	struct event		*ev_timer;
	LIST_HEAD(, curlev_sock) socks;
	curlev_done_cb		 done;
	void			*arg;
};

/* Every transfer that ended, to the owner. */
static void
curlev_collect(struct curlev *c)
{
	CURLMsg	*msg;
	int	 left;

	while ((msg = curl_multi_info_read(c->multi, &left)) != NULL) {
		if (msg->msg == CURLMSG_DONE)
			c->done(msg->easy_handle, msg->data.result, c->arg);
	}
}

static void
curlev_event_cb(evutil_socket_t fd, short what, void *arg)
{
	struct curlev_sock	*sock = arg;
	struct curlev		*c = sock->cev;
	int			 action = 0, running;

	if (what & EV_READ)
		action |= CURL_CSELECT_IN;
	if (what & EV_WRITE)
		action |= CURL_CSELECT_OUT;
	/* This may remove (and free) sock: only c from here on. */
	curl_multi_socket_action(c->multi, fd, action, &running);
	curlev_collect(c);
}

static void
curlev_timer_event_cb(evutil_socket_t fd, short what, void *arg)
{
	struct curlev	*c = arg;
	int		 running;

	(void)fd;
	(void)what;
	curl_multi_socket_action(c->multi, CURL_SOCKET_TIMEOUT, 0, &running);
	curlev_collect(c);
}

/* curl: watch fd for what (or stop watching it). */
static int
curlev_socket_cb(CURL *easy, curl_socket_t fd, int what, void *userp,
    void *socketp)
{
	struct curlev		*c = userp;
	struct curlev_sock	*sock = socketp;
	short			 flags = EV_PERSIST;

	(void)easy;
	if (what == CURL_POLL_REMOVE) {
		if (sock == NULL)
			return (0);
		LIST_REMOVE(sock, entry);
		event_free(sock->ev);
		free(sock);
		curl_multi_assign(c->multi, fd, NULL);
		return (0);
	}
	if (sock == NULL) {
		sock = xcalloc(1, sizeof *sock);
		sock->cev = c;
		sock->fd = fd;
		LIST_INSERT_HEAD(&c->socks, sock, entry);
		curl_multi_assign(c->multi, fd, sock);
	} else
		event_free(sock->ev);
	if (what & CURL_POLL_IN)
		flags |= EV_READ;
	if (what & CURL_POLL_OUT)
		flags |= EV_WRITE;
	sock->ev = event_new(c->base, fd, flags, curlev_event_cb, sock);
	event_add(sock->ev, NULL);
	return (0);
}

/* curl: call back in ms (-1: never).  Never act from in here. */
static int
curlev_timer_cb(CURLM *multi, long ms, void *userp)
{
	struct curlev	*c = userp;
	struct timeval	 tv;

	(void)multi;
	if (ms < 0) {
		evtimer_del(c->ev_timer);
		return (0);
	}
	tv.tv_sec = ms / 1000;
	tv.tv_usec = (ms % 1000) * 1000;
	evtimer_add(c->ev_timer, &tv);
	return (0);
}

/*
 * A multi handle on base; done(easy, result, arg) for each transfer.  NULL
 * when libcurl cannot start (lazylib_why(LAZYLIB_CURL, ...) says why).
 */
struct curlev *
curlev_create(struct event_base *base, curlev_done_cb done, void *arg)
{
	static int	 curl_ready;
	struct curlev	*c;

	CURLM		*multi;

	if (!curl_ready) {
		if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
			return (NULL);
		curl_ready = 1;
	}
	if ((multi = curl_multi_init()) == NULL)
		return (NULL);
	c = xcalloc(1, sizeof *c);
	c->base = base;
	c->done = done;
	c->arg = arg;
	c->multi = multi;
	LIST_INIT(&c->socks);
	c->ev_timer = evtimer_new(base, curlev_timer_event_cb, c);
	curl_multi_setopt(c->multi, CURLMOPT_SOCKETFUNCTION, curlev_socket_cb);
	curl_multi_setopt(c->multi, CURLMOPT_SOCKETDATA, c);
	curl_multi_setopt(c->multi, CURLMOPT_TIMERFUNCTION, curlev_timer_cb);
	curl_multi_setopt(c->multi, CURLMOPT_TIMERDATA, c);
	return (c);
}

CURLM *
curlev_multi(const struct curlev *c)
{
	return (c != NULL ? c->multi : NULL);
}

/* Free the multi handle (its transfers removed first by the owner). */
void
curlev_free(struct curlev *c)
{
	struct curlev_sock	*sock;

	if (c == NULL)
		return;
	curl_multi_cleanup(c->multi);
	while ((sock = LIST_FIRST(&c->socks)) != NULL) {
		LIST_REMOVE(sock, entry);
		event_free(sock->ev);
		free(sock);
	}
	event_free(c->ev_timer);
	free(c);
}
