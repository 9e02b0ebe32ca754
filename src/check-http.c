/*
 * HTTP checks: a GET with libcurl's multi socket interface, driven by the
 * event loop.
 *
 * One multi handle per scheduler, driven by the loop through curlev.
 * Nothing here polls or waits.  Redirects are not followed, every check
 * is a fresh connection, and the body kept for expect_body stops at
 * 1 MiB: past it the transfer is aborted and judged by what came.  Name
 * lookups run on curl's resolver thread, which is left to finish on its
 * own when a check is cancelled (CURLOPT_QUICK_EXIT) instead of being
 * waited for.  The deadline is the scheduler's.
 */

#include <sys/queue.h>
#include <sys/socket.h>

#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>
#include <event2/event.h>

#include "checks.h"
#include "curlev.h"
#include "pattern.h"
#include "lazylib.h"
#include "xmalloc.h"

#define HTTP_BODY_MAX	(1024 * 1024)

struct http_env {
	struct event_base	*base;
	struct curlev		*cev;
	CURLM			*multi;
	int			 bundle;	/* curl has a CA bundle */
};

struct http_run {
	struct http_env		*env;
	const struct rb_check	*def;
	CURL			*easy;
	check_done_cb		 done;
	void			*done_arg;
	char			 errbuf[CURL_ERROR_SIZE];
	char			*status_line;
	char			*body;
	size_t			 len;
	size_t			 cap;
	int			 capped;
	int			 opened;	/* the name was resolved */
	int			 added;
};

static void	http_done(CURL *, CURLcode, void *);

static void *
http_setup(struct event_base *base)
{
	struct http_env		*env;
	curl_version_info_data	*v;

	env = xcalloc(1, sizeof *env);
	env->base = base;
	env->cev = curlev_create(base, http_done, env);
	env->multi = curlev_multi(env->cev);
	v = curl_version_info(CURLVERSION_NOW);
	env->bundle = v != NULL && v->age >= CURLVERSION_NINTH &&
	    v->cainfo != NULL;
	return (env);
}

static void
http_teardown(void *arg)
{
	struct http_env		*env = arg;

	if (env == NULL)
		return;
	curlev_free(env->cev);
	free(env);
}

/* Keep the body, up to HTTP_BODY_MAX; past it, abort the transfer. */
static size_t
http_write_cb(char *p, size_t size, size_t n, void *arg)
{
	struct http_run	*r = arg;
	size_t		 len = size * n, take = len;

	if (take > HTTP_BODY_MAX - r->len)
		take = HTTP_BODY_MAX - r->len;
	if (r->len + take + 1 > r->cap) {
		r->cap = r->cap == 0 ? 16384 : r->cap * 2;
		while (r->cap < r->len + take + 1)
			r->cap *= 2;
		if (r->cap > HTTP_BODY_MAX + 1)
			r->cap = HTTP_BODY_MAX + 1;
		r->body = xrealloc(r->body, r->cap);
	}
	memcpy(r->body + r->len, p, take);
	r->len += take;
	r->body[r->len] = '\0';
	if (take < len) {
		r->capped = 1;
		return (0);
	}
	return (len);
}

/* Keep the status line ("HTTP/1.1 500 Internal Server Error"). */
static size_t
http_header_cb(char *p, size_t size, size_t n, void *arg)
{
	struct http_run	*r = arg;
	size_t		 len = size * n, l = len;

	if (len > 5 && strncmp(p, "HTTP/", 5) == 0) {
		while (l > 0 && (p[l - 1] == '\r' || p[l - 1] == '\n'))
			l--;
		free(r->status_line);
		r->status_line = xstrndup(p, l);
	}
	return (len);
}

/* curl's sockets are made here, so that we know the name resolved. */
static curl_socket_t
http_open_cb(void *arg, curlsocktype purpose, struct curl_sockaddr *a)
{
	struct http_run	*r = arg;

	(void)purpose;
	r->opened = 1;
	return (socket(a->family, a->socktype | SOCK_CLOEXEC, a->protocol));
}

/* "500 Internal Server Error" from the status line, or the bare code. */
static char *
http_status_text(const struct http_run *r, long code)
{
	const char	*p;

	if (r->status_line != NULL &&
	    (p = strchr(r->status_line, ' ')) != NULL && p[1] != '\0')
		return (xprintf("HTTP %s", p + 1));
	return (xprintf("HTTP %ld", code));
}

/* Up, degraded or down, from the status and the body received. */
static enum rb_state
http_judge(struct http_run *r, CURLcode rc, char **detail)
{
	const struct rb_check	*def = r->def;
	long			 code = 0;
	char			*status, *s;
	const char		*loc = NULL, *cut;
	enum rb_state		 state;
	int			 ok, m;

	if (rc != CURLE_OK && !(rc == CURLE_WRITE_ERROR && r->capped)) {
		*detail = xstrdup(r->errbuf[0] != '\0' ? r->errbuf :
		    curl_easy_strerror(rc));
		switch (rc) {
		case CURLE_COULDNT_RESOLVE_HOST:
		case CURLE_COULDNT_RESOLVE_PROXY:
		case CURLE_URL_MALFORMAT:
		case CURLE_UNSUPPORTED_PROTOCOL:
		case CURLE_OUT_OF_MEMORY:
			return (RB_STATE_UNKNOWN);
		default:
			return (RB_STATE_DOWN);
		}
	}
	curl_easy_getinfo(r->easy, CURLINFO_RESPONSE_CODE, &code);
	status = http_status_text(r, code);
	cut = r->capped ? ", body cut at 1 MiB" : "";
	if (def->expect_status != 0)
		ok = code == def->expect_status;
	else
		ok = code >= 200 && code <= 299;
	if (!ok) {
		if (code >= 300 && code <= 399 &&
		    curl_easy_getinfo(r->easy, CURLINFO_REDIRECT_URL, &loc) ==
		    CURLE_OK && loc != NULL)
			s = xprintf("%s (redirect to %s, not followed)",
			    status, loc);
		else if (def->expect_status != 0)
			s = xprintf("%s, expected %d", status,
			    def->expect_status);
		else
			s = xstrdup(status);
		free(status);
		*detail = s;
		return (RB_STATE_DOWN);
	}
	state = RB_STATE_UP;
	if (def->expect_body != NULL) {
		m = pattern_match(def->expect_body, r->body != NULL ? r->body :
		    "", r->len, NULL, NULL);
		if (m != 1) {
			*detail = xprintf("%s, body %s /%s/%s", status,
			    m == 0 ? "does not match" : "cannot be matched "
			    "against", pattern_source(def->expect_body), cut);
			free(status);
			return (RB_STATE_DEGRADED);
		}
	}
	*detail = xprintf("%s%s", status, cut);
	free(status);
	return (state);
}

/* The end of transfers: report each, last thing for its check. */
/* A transfer ended: judge it and report. */
static void
http_done(CURL *easy, CURLcode rc, void *arg)
{
	struct http_env	*env = arg;
	struct http_run	*r;
	char		*detail, *p;
	enum rb_state	 state;

	curl_easy_getinfo(easy, CURLINFO_PRIVATE, &p);
	r = (struct http_run *)p;
	curl_multi_remove_handle(env->multi, r->easy);
	r->added = 0;
	state = http_judge(r, rc, &detail);
	r->done(r->done_arg, state, detail);	/* frees r */
	free(detail);
}

static void *
http_start(const struct check_req *req, struct check_result *now)
{
	struct http_env	*env = req->env;
	struct http_run	*r;
	CURL		*e;

	if (env->multi == NULL || (e = curl_easy_init()) == NULL) {
		check_result_set(now, RB_STATE_UNKNOWN, "%s",
		    lazylib_why(LAZYLIB_CURL, "libcurl failed to start"));
		return (NULL);
	}
	r = xcalloc(1, sizeof *r);
	r->env = env;
	r->def = req->def;
	r->easy = e;
	r->done = req->done;
	r->done_arg = req->done_arg;
	curl_easy_setopt(e, CURLOPT_URL, req->target);
	curl_easy_setopt(e, CURLOPT_PRIVATE, (char *)r);
	curl_easy_setopt(e, CURLOPT_ERRORBUFFER, r->errbuf);
	curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, http_write_cb);
	curl_easy_setopt(e, CURLOPT_WRITEDATA, r);
	curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, http_header_cb);
	curl_easy_setopt(e, CURLOPT_HEADERDATA, r);
	curl_easy_setopt(e, CURLOPT_OPENSOCKETFUNCTION, http_open_cb);
	curl_easy_setopt(e, CURLOPT_OPENSOCKETDATA, r);
	curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(e, CURLOPT_FORBID_REUSE, 1L);
	curl_easy_setopt(e, CURLOPT_FRESH_CONNECT, 1L);
	curl_easy_setopt(e, CURLOPT_QUICK_EXIT, 1L);
	curl_easy_setopt(e, CURLOPT_USERAGENT, "rbnav/" PACKAGE_VERSION);
	if (env->bundle) {
		/*
		 * The CA bundle alone, so that curl parses it once per multi
		 * handle (its CA cache is off with a CA directory): tens of
		 * milliseconds of the loop's time for every HTTPS check
		 * otherwise.
		 */
		curl_easy_setopt(e, CURLOPT_CAPATH, NULL);
	}
	if (curl_multi_add_handle(env->multi, e) != CURLM_OK) {
		check_result_set(now, RB_STATE_UNKNOWN,
		    "curl_multi_add_handle failed");
		curl_easy_cleanup(e);
		free(r);
		return (NULL);
	}
	r->added = 1;
	return (r);
}

/* Stop the transfer; at the deadline, say how far it got. */
static void
http_cancel(void *arg, struct check_result *res)
{
	struct http_run	*r = arg;
	curl_off_t	 connect = 0;
	long		 code = 0;
	char		*why, *status;

	if (res != NULL) {
		why = res->detail;
		res->detail = NULL;
		curl_easy_getinfo(r->easy, CURLINFO_CONNECT_TIME_T, &connect);
		curl_easy_getinfo(r->easy, CURLINFO_RESPONSE_CODE, &code);
		if (!r->opened)
			check_result_set(res, RB_STATE_UNKNOWN,
			    "%s looking the name up", why);
		else if (connect == 0)
			check_result_set(res, RB_STATE_DOWN,
			    "%s connecting", why);
		else if (code == 0)
			check_result_set(res, RB_STATE_DOWN,
			    "%s waiting for an answer", why);
		else {
			status = http_status_text(r, code);
			check_result_set(res, RB_STATE_DOWN,
			    "%s reading the body (%s, %zu bytes received)",
			    why, status, r->len);
			free(status);
		}
		free(why);
	}
	if (r->added)
		curl_multi_remove_handle(r->env->multi, r->easy);
	r->added = 0;
}

static void
http_free(void *arg)
{
	struct http_run	*r = arg;

	if (r == NULL)
		return;
	if (r->added)
		curl_multi_remove_handle(r->env->multi, r->easy);
	curl_easy_cleanup(r->easy);
	free(r->status_line);
	free(r->body);
	free(r);
}

const struct check_ops check_http_ops = {
	"http", 0, http_setup, http_teardown, http_start, http_cancel,
	http_free
};
