/*
 * Webhooks: the timeline events chosen in the config (webhooks: url and
 * events; by default incident.start, decision, incident.end and a missed
 * RTO) posted to each URL as Slack-compatible JSON ({"text": ..., "blocks":
 * [...]}), with libcurl's multi socket interface on the event loop.
 *
 * The transfers run on curlev (curl's multi socket interface on the
 * loop); nothing here waits.  Each URL has a queue
 * and sends one message at a time, in order; an attempt that fails (no
 * connection, a timeout, a status other than 2xx) is tried again after
 * 1, 2, 4 and 8 s, and after the fifth the message is given up and the
 * failed callback says so.  Every text passes through the redactor
 * first; the URL given to the callback has its path cut short (Slack's
 * URLs are secrets themselves).  No curses here, and drill mode is not
 * decided here: the caller decides which events to hand over.
 */

#include <sys/socket.h>

#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>
#include <event2/event.h>

#include "config.h"
#include "event.h"
#include "redact.h"
#include "curlev.h"
#include "webhook.h"
#include "lazylib.h"
#include "xmalloc.h"

#define WEBHOOK_TRIES		5
#define WEBHOOK_BACKOFF		1000	/* ms before the second try; doubles */
#define WEBHOOK_TIMEOUT		10000	/* ms for one attempt */
#define WEBHOOK_CONNECT_TIMEOUT	5000

/* The events sent when a webhook names none. */
static const char *const webhook_defaults[] = {
	"incident.start", "decision", "incident.end", "rto.missed"
};

struct webhook_msg {
	char			*body;
	struct webhook_msg	*next;
};

struct webhook {
	struct webhooks		*w;
	char			*url;
	char			*shown;		/* for messages */
	char			**events;
	size_t			 nevents;
	struct webhook_msg	*head;
	struct webhook_msg	**tail;
	size_t			 n;
	CURL			*easy;		/* the attempt in flight */
	struct curl_slist	*headers;
	char			 errbuf[CURL_ERROR_SIZE];
	char			*status;	/* "500 Internal ..." */
	int			 tries;
	struct event		*ev_retry;
};

struct webhooks {
	struct event_base	*base;
	struct redact		*redact;
	webhooks_failed_cb	 failed;
	void			*arg;
	struct curlev		*cev;
	CURLM			*multi;
	struct webhook		*hooks;
	size_t			 nhooks;
	int64_t			 timeout;
};

static void	webhook_start(struct webhook *);
static void	webhook_done(CURL *, CURLcode, void *);

/* The answer's body is not needed. */
static size_t
webhook_write_cb(char *p, size_t size, size_t n, void *arg)
{
	(void)p;
	(void)arg;
	return (size * n);
}

/* Keep the status line's text ("500 Internal Server Error"). */
static size_t
webhook_header_cb(char *p, size_t size, size_t n, void *arg)
{
	struct webhook	*h = arg;
	size_t		 len = size * n, l = len;
	const char	*sp;

	if (len > 5 && strncmp(p, "HTTP/", 5) == 0 &&
	    (sp = memchr(p, ' ', len)) != NULL) {
		while (l > 0 && (p[l - 1] == '\r' || p[l - 1] == '\n'))
			l--;
		if (sp + 1 < p + l) {
			free(h->status);
			h->status = xstrndup(sp + 1, p + l - sp - 1);
		}
	}
	return (len);
}

/* scheme://host[:port]/first/… : enough to tell, nothing secret. */
static char *
webhook_shown(const char *url)
{
	CURLU		*u;
	char		*scheme = NULL, *host = NULL, *port = NULL;
	char		*path = NULL, *out, *slash;

	if ((u = curl_url()) == NULL)
		fatalx("webhooks: %s", lazylib_why(LAZYLIB_CURL,
		    "curl_url failed"));
	if (curl_url_set(u, CURLUPART_URL, url, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_HOST, &host, 0) != CURLUE_OK) {
		curl_url_cleanup(u);
		curl_free(scheme);
		return (xstrdup("(a webhook URL curl cannot parse)"));
	}
	(void)curl_url_get(u, CURLUPART_PORT, &port, 0);
	(void)curl_url_get(u, CURLUPART_PATH, &path, 0);
	if (path != NULL && (slash = strchr(path + 1, '/')) != NULL) {
		slash[1] = '\0';
		out = xprintf("%s://%s%s%s%s…", scheme, host, port ? ":" : "",
		    port ? port : "", path);
	} else
		out = xprintf("%s://%s%s%s%s", scheme, host, port ? ":" : "",
		    port ? port : "", path ? path : "");
	curl_free(scheme);
	curl_free(host);
	curl_free(port);
	curl_free(path);
	curl_url_cleanup(u);
	return (out);
}

/* Report a message given up, redacted. */
static void
webhook_failed(struct webhook *h, const char *why)
{
	struct webhooks	*w = h->w;
	char		*msg, *red;

	if (w->failed == NULL)
		return;
	msg = xprintf("%s (%d tries)", why, h->tries);
	red = w->redact != NULL ? redact_string(w->redact, msg) : xstrdup(msg);
	w->failed(h->shown, red, w->arg);
	free(red);
	free(msg);
}

/* The first message is done with (sent or given up): on to the next. */
static void
webhook_next(struct webhook *h)
{
	struct webhook_msg	*m = h->head;

	if (m != NULL) {
		h->head = m->next;
		if (h->head == NULL)
			h->tail = &h->head;
		h->n--;
		free(m->body);
		free(m);
	}
	h->tries = 0;
	if (h->head != NULL)
		webhook_start(h);
}

/* The backoff is over: the next try. */
static void
webhook_retry_cb(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	webhook_start(arg);
}

/* One attempt ended: done, try again later, or give up. */
static void
webhook_end(struct webhook *h, CURLcode rc)
{
	struct timeval	 tv;
	long		 code = 0;
	int64_t		 ms;
	char		*why;

	curl_easy_getinfo(h->easy, CURLINFO_RESPONSE_CODE, &code);
	curl_multi_remove_handle(h->w->multi, h->easy);
	curl_easy_cleanup(h->easy);
	h->easy = NULL;
	if (rc == CURLE_OK && code >= 200 && code <= 299) {
		webhook_next(h);
		return;
	}
	if (rc != CURLE_OK)
		why = xstrdup(h->errbuf[0] != '\0' ? h->errbuf :
		    curl_easy_strerror(rc));
	else if (h->status != NULL)
		why = xprintf("HTTP %s", h->status);
	else
		why = xprintf("HTTP %ld", code);
	if (h->tries >= WEBHOOK_TRIES) {
		webhook_failed(h, why);
		free(why);
		webhook_next(h);
		return;
	}
	free(why);
	ms = (int64_t)WEBHOOK_BACKOFF << (h->tries - 1);
	tv.tv_sec = ms / 1000;
	tv.tv_usec = (ms % 1000) * 1000;
	evtimer_add(h->ev_retry, &tv);
}

/* An attempt ended (curlev): its webhook decides what comes next. */
static void
webhook_done(CURL *easy, CURLcode rc, void *arg)
{
	struct webhook	*h;
	char		*p;

	(void)arg;
	curl_easy_getinfo(easy, CURLINFO_PRIVATE, &p);
	h = (struct webhook *)p;
	webhook_end(h, rc);
}

/* Post the first message of h's queue. */
static void
webhook_start(struct webhook *h)
{
	struct webhooks	*w = h->w;
	CURL		*e;

	if (h->easy != NULL || h->head == NULL)
		return;
	h->tries++;
	h->errbuf[0] = '\0';
	free(h->status);
	h->status = NULL;
	if ((e = curl_easy_init()) == NULL)
		fatalx("curl_easy_init failed");
	curl_easy_setopt(e, CURLOPT_URL, h->url);
	curl_easy_setopt(e, CURLOPT_PRIVATE, (char *)h);
	curl_easy_setopt(e, CURLOPT_ERRORBUFFER, h->errbuf);
	curl_easy_setopt(e, CURLOPT_POSTFIELDS, h->head->body);
	curl_easy_setopt(e, CURLOPT_HTTPHEADER, h->headers);
	curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, webhook_write_cb);
	curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, webhook_header_cb);
	curl_easy_setopt(e, CURLOPT_HEADERDATA, h);
	curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, (long)w->timeout);
	curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS,
	    (long)(w->timeout < WEBHOOK_CONNECT_TIMEOUT ? w->timeout :
	    WEBHOOK_CONNECT_TIMEOUT));
	curl_easy_setopt(e, CURLOPT_QUICK_EXIT, 1L);
	curl_easy_setopt(e, CURLOPT_USERAGENT, "rbnav/" PACKAGE_VERSION);
	h->easy = e;
	if (curl_multi_add_handle(w->multi, e) != CURLM_OK)
		fatalx("curl_multi_add_handle failed");
}

/* Whether webhook h wants event ev ("rto.missed": an rto not met). */
static int
webhook_wants(const struct webhook *h, const json_t *ev)
{
	const char	*type = json_string_value(json_object_get(ev, "type"));
	const char	*name;
	size_t		 i, n;

	if (type == NULL)
		return (0);
	n = h->nevents > 0 ? h->nevents :
	    sizeof webhook_defaults / sizeof webhook_defaults[0];
	for (i = 0; i < n; i++) {
		name = h->nevents > 0 ? h->events[i] : webhook_defaults[i];
		if (strcmp(name, "*") == 0 || strcmp(name, type) == 0)
			return (1);
		if (strcmp(name, "rto.missed") == 0 &&
		    strcmp(type, "rto") == 0 &&
		    !json_is_true(json_object_get(ev, "met")))
			return (1);
	}
	return (0);
}

/* Redacted, then escaped for Slack's mrkdwn (&, <, >). */
static char *
webhook_text(struct webhooks *w, const char *s)
{
	char		*red, *out, *q;
	const char	*p;

	red = w->redact != NULL ? redact_string(w->redact, s) : xstrdup(s);
	out = q = xmalloc(strlen(red) * 5 + 1);
	for (p = red; *p != '\0'; p++) {
		if (*p == '&') {
			memcpy(q, "&amp;", 5);
			q += 5;
		} else if (*p == '<') {
			memcpy(q, "&lt;", 4);
			q += 4;
		} else if (*p == '>') {
			memcpy(q, "&gt;", 4);
			q += 4;
		} else
			*q++ = *p;
	}
	*q = '\0';
	free(red);
	return (out);
}

/*
 * The message for one event: "text" (what notifications show) and
 * "blocks" (a section with the title and the event, a context line
 * with who, what and when).  The event reads as in the timeline pane.
 */
static char *
webhook_body(struct webhooks *w, const json_t *ev, const char *title,
    const char *op)
{
	const char	*type = json_string_value(json_object_get(ev, "type"));
	const char	*mode = json_string_value(json_object_get(ev, "mode"));
	const char	*ts = json_string_value(json_object_get(ev, "ts"));
	const json_t	*t = json_object_get(ev, "t");
	char		*summary, *raw, *head, *text, *sect, *ctx, *when, *body;
	int		 drill = mode != NULL && strcmp(mode, "drill") == 0;
	json_t		*o;
	long long	 s;

	if (title == NULL)
		title = json_string_value(json_object_get(ev, "incident"));
	if (op == NULL)
		op = json_string_value(json_object_get(ev, "op"));
	raw = event_summary(ev);
	summary = webhook_text(w, raw);
	free(raw);
	raw = xprintf("%s%s", drill ? "[drill] " : "", title != NULL ?
	    title : "rbnav");
	head = webhook_text(w, raw);
	free(raw);
	if (op != NULL) {
		raw = xstrdup(op);
		ctx = webhook_text(w, raw);
		free(raw);
	} else
		ctx = xstrdup("rbnav");
	if (ts != NULL)
		when = xstrdup(ts);
	else if (json_is_integer(t)) {
		s = json_integer_value(t) / 1000;
		when = xprintf("T+%lld:%02lld:%02lld", s / 3600,
		    (s / 60) % 60, s % 60);
	} else
		when = NULL;

	text = xprintf("%s: %s (%s)", head, summary, ctx);
	sect = xprintf("*%s*\n%s", head, summary);
	raw = xprintf("%s · %s%s%s", ctx, type != NULL ? type : "event",
	    when != NULL ? " · " : "", when != NULL ? when : "");
	o = json_pack("{s:s, s:[{s:s, s:{s:s, s:s}}, {s:s, s:[{s:s, s:s}]}]}",
	    "text", text,
	    "blocks",
	    "type", "section", "text", "type", "mrkdwn", "text", sect,
	    "type", "context", "elements", "type", "mrkdwn", "text", raw);
	if (o == NULL)
		fatalx("cannot build a webhook message");
	body = json_dumps(o, JSON_COMPACT);
	json_decref(o);
	free(summary);
	free(head);
	free(ctx);
	free(when);
	free(text);
	free(sect);
	free(raw);
	if (body == NULL)
		fatalx("cannot encode a webhook message");
	return (body);
}

/*
 * Webhooks for the config's list (none: every event is ignored), on
 * base.  redact (may be NULL) and the config are used, not copied:
 * redact must outlive the result; the config may go.  failed(url, why,
 * arg) reports each message given up, from the loop.  Free with
 * webhooks_free.
 */
struct webhooks *
webhooks_create(struct event_base *base, const struct config *cfg,
    struct redact *redact, webhooks_failed_cb failed, void *arg)
{
	struct webhooks		*w;
	struct webhook		*h;
	const struct config_webhook *c;
	size_t			 i, j;

	w = xcalloc(1, sizeof *w);
	w->base = base;
	w->redact = redact;
	w->failed = failed;
	w->arg = arg;
	w->timeout = WEBHOOK_TIMEOUT;
	w->nhooks = cfg != NULL ? cfg->nwebhooks : 0;
	if (w->nhooks > 0) {
		/* Without webhooks, libcurl is never loaded. */
		if ((w->cev = curlev_create(base, webhook_done, w)) == NULL)
			fatalx("webhooks: %s", lazylib_why(LAZYLIB_CURL,
			    "libcurl failed to start"));
		w->multi = curlev_multi(w->cev);
	}
	w->hooks = xcalloc(w->nhooks > 0 ? w->nhooks : 1, sizeof *w->hooks);
	for (i = 0; i < w->nhooks; i++) {
		c = &cfg->webhooks[i];
		h = &w->hooks[i];
		h->w = w;
		h->url = xstrdup(c->url);
		h->shown = webhook_shown(c->url);
		h->nevents = c->nevents;
		h->events = xcalloc(c->nevents > 0 ? c->nevents : 1,
		    sizeof *h->events);
		for (j = 0; j < c->nevents; j++)
			h->events[j] = xstrdup(c->events[j]);
		h->tail = &h->head;
		h->headers = curl_slist_append(NULL,
		    "Content-Type: application/json; charset=utf-8");
		h->ev_retry = evtimer_new(base, webhook_retry_cb, h);
	}
	return (w);
}

/*
 * Post event ev (its type and keys, as recorded) to every webhook that
 * wants it.  title is the incident's, op the operator's (either may be
 * NULL).  Returns at once; the posts go from the loop.
 */
void
webhooks_event(struct webhooks *w, const json_t *ev, const char *title,
    const char *op)
{
	struct webhook		*h;
	struct webhook_msg	*m;
	char			*body = NULL;
	size_t			 i;

	for (i = 0; i < w->nhooks; i++) {
		h = &w->hooks[i];
		if (!webhook_wants(h, ev))
			continue;
		if (body == NULL)
			body = webhook_body(w, ev, title, op);
		m = xcalloc(1, sizeof *m);
		m->body = xstrdup(body);
		*h->tail = m;
		h->tail = &m->next;
		h->n++;
		if (h->easy == NULL && h->tries == 0)
			webhook_start(h);
	}
	free(body);
}

/* Messages not yet delivered nor given up, over all webhooks. */
size_t
webhooks_pending(const struct webhooks *w)
{
	size_t	i, n = 0;

	for (i = 0; i < w->nhooks; i++)
		n += w->hooks[i].n;
	return (n);
}

/* How long one attempt may take, in ms (default 10 s). */
void
webhooks_set_timeout(struct webhooks *w, int64_t ms)
{
	w->timeout = ms > 0 ? ms : WEBHOOK_TIMEOUT;
}

/* Stop every transfer and free all; messages not yet sent are lost. */
void
webhooks_free(struct webhooks *w)
{
	struct webhook		*h;
	struct webhook_msg	*m;
	size_t			 i, j;

	if (w == NULL)
		return;
	for (i = 0; i < w->nhooks; i++) {
		h = &w->hooks[i];
		if (h->easy != NULL) {
			curl_multi_remove_handle(w->multi, h->easy);
			curl_easy_cleanup(h->easy);
		}
		while ((m = h->head) != NULL) {
			h->head = m->next;
			free(m->body);
			free(m);
		}
		event_free(h->ev_retry);
		curl_slist_free_all(h->headers);
		for (j = 0; j < h->nevents; j++)
			free(h->events[j]);
		free(h->events);
		free(h->url);
		free(h->shown);
		free(h->status);
	}
	free(w->hooks);
	curlev_free(w->cev);
	free(w);
}
