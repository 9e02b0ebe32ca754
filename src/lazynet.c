/*
 * libcurl and libpq, loaded on first use (see lazylib.h).
 *
 * Each function the engine calls is defined here under its own name, with
 * the prototype of the library's header (so the compiler checks that they
 * agree), and forwards to the library's symbol, looked up once.  The
 * definitions are hidden: they are never exported, so that the libraries,
 * once loaded, bind to their own functions and not to these.
 *
 * The three variadic functions take one argument whose type the option
 * number gives (CURLOPTTYPE_*, as libcurl itself reads it).
 */

#include <stdarg.h>
#include <stdlib.h>

#define CURL_DISABLE_TYPECHECK 1
#pragma GCC visibility push(hidden)
#include <curl/curl.h>
#include <libpq-fe.h>
#pragma GCC visibility pop

#include "lazylib.h"

#define C LAZYLIB_CURL
LAZY(C, CURLcode, CURLE_FAILED_INIT, curl_global_init, (long f), (f))
LAZY(C, CURL *, NULL, curl_easy_init, (void), ())
LAZY_VOID(C, curl_easy_cleanup, (CURL *e), (e))
LAZY(C, const char *, "libcurl is not loaded", curl_easy_strerror,
    (CURLcode c), (c))
LAZY(C, curl_version_info_data *, NULL, curl_version_info, (CURLversion v),
    (v))
LAZY_VOID(C, curl_free, (void *p), (p))
LAZY(C, struct curl_slist *, NULL, curl_slist_append,
    (struct curl_slist *l, const char *s), (l, s))
LAZY_VOID(C, curl_slist_free_all, (struct curl_slist *l), (l))
LAZY(C, CURLU *, NULL, curl_url, (void), ())
LAZY_VOID(C, curl_url_cleanup, (CURLU *u), (u))
LAZY(C, CURLUcode, CURLUE_OUT_OF_MEMORY, curl_url_get,
    (CURLU *u, CURLUPart w, char **p, unsigned int f), (u, w, p, f))
LAZY(C, CURLUcode, CURLUE_OUT_OF_MEMORY, curl_url_set,
    (CURLU *u, CURLUPart w, const char *p, unsigned int f), (u, w, p, f))
LAZY(C, CURLM *, NULL, curl_multi_init, (void), ())
LAZY(C, CURLMcode, CURLM_INTERNAL_ERROR, curl_multi_cleanup, (CURLM *m),
    (m))
LAZY(C, CURLMcode, CURLM_INTERNAL_ERROR, curl_multi_add_handle,
    (CURLM *m, CURL *e), (m, e))
LAZY(C, CURLMcode, CURLM_INTERNAL_ERROR, curl_multi_remove_handle,
    (CURLM *m, CURL *e), (m, e))
LAZY(C, CURLMcode, CURLM_INTERNAL_ERROR, curl_multi_assign,
    (CURLM *m, curl_socket_t s, void *p), (m, s, p))
LAZY(C, CURLMcode, CURLM_INTERNAL_ERROR, curl_multi_socket_action,
    (CURLM *m, curl_socket_t s, int ev, int *running), (m, s, ev, running))
LAZY(C, CURLMsg *, NULL, curl_multi_info_read, (CURLM *m, int *left),
    (m, left))
#undef C

/* The argument of a setopt, of the type its option number gives. */
union lazy_optarg {
	long		 l;
	void		*p;
	void		(*f)(void);
	curl_off_t	 o;
};

static int
lazy_optarg(int option, va_list ap, union lazy_optarg *a)
{
	if (option < CURLOPTTYPE_OBJECTPOINT)
		a->l = va_arg(ap, long);
	else if (option < CURLOPTTYPE_FUNCTIONPOINT)
		a->p = va_arg(ap, void *);
	else if (option < CURLOPTTYPE_OFF_T)
		a->f = va_arg(ap, void (*)(void));
	else if (option < CURLOPTTYPE_BLOB)
		a->o = va_arg(ap, curl_off_t);
	else
		a->p = va_arg(ap, void *);
	return (option < CURLOPTTYPE_OBJECTPOINT ? 'l' :
	    option < CURLOPTTYPE_FUNCTIONPOINT ? 'p' :
	    option < CURLOPTTYPE_OFF_T ? 'f' :
	    option < CURLOPTTYPE_BLOB ? 'o' : 'p');
}

/*
 * A setopt: its one argument read as the type its option number gives,
 * and passed on as that type.
 */
#define LAZY_SETOPT(ret, fail, name, handle, opt)			\
ret									\
name(handle *h, opt option, ...)					\
{									\
	static ret		(*fn)(handle *, opt, ...);		\
	union lazy_optarg	 a;					\
	va_list			 ap;					\
	int			 kind;					\
									\
	if (fn == NULL && lazylib_fn(LAZYLIB_CURL, #name, &fn) != 0)	\
		return (fail);						\
	va_start(ap, option);						\
	kind = lazy_optarg(option, ap, &a);				\
	va_end(ap);							\
	if (kind == 'l')						\
		return (fn(h, option, a.l));				\
	if (kind == 'p')						\
		return (fn(h, option, a.p));				\
	if (kind == 'f')						\
		return (fn(h, option, a.f));				\
	return (fn(h, option, a.o));					\
}

LAZY_SETOPT(CURLcode, CURLE_FAILED_INIT, curl_easy_setopt, CURL, CURLoption)
LAZY_SETOPT(CURLMcode, CURLM_INTERNAL_ERROR, curl_multi_setopt, CURLM,
    CURLMoption)

/* Every CURLINFO_* takes a pointer to where the answer goes. */
CURLcode
curl_easy_getinfo(CURL *e, CURLINFO info, ...)
{
	static CURLcode	(*fn)(CURL *, CURLINFO, ...);
	va_list		 ap;
	void		*p;

	if (fn == NULL && lazylib_fn(LAZYLIB_CURL, __func__, &fn) != 0)
		return (CURLE_FAILED_INIT);
	va_start(ap, info);
	p = va_arg(ap, void *);
	va_end(ap);
	return (fn(e, info, p));
}

#define P LAZYLIB_PQ
LAZY(P, PGconn *, NULL, PQconnectStartParams,
    (const char *const *k, const char *const *v, int x), (k, v, x))
LAZY(P, PGconn *, NULL, PQconnectdbParams,
    (const char *const *k, const char *const *v, int x), (k, v, x))
LAZY(P, PostgresPollingStatusType, PGRES_POLLING_FAILED, PQconnectPoll,
    (PGconn *c), (c))
LAZY(P, PQconninfoOption *, NULL, PQconninfoParse,
    (const char *s, char **err), (s, err))
LAZY_VOID(P, PQconninfoFree, (PQconninfoOption *o), (o))
LAZY_VOID(P, PQfinish, (PGconn *c), (c))
LAZY_VOID(P, PQfreemem, (void *p), (p))
LAZY(P, ConnStatusType, CONNECTION_BAD, PQstatus, (const PGconn *c), (c))
LAZY(P, int, -1, PQsocket, (const PGconn *c), (c))
LAZY(P, int, -1, PQbackendPID, (const PGconn *c), (c))
LAZY(P, char *, NULL, PQerrorMessage, (const PGconn *c), (c))
LAZY(P, char *, NULL, PQhost, (const PGconn *c), (c))
LAZY(P, char *, NULL, PQhostaddr, (const PGconn *c), (c))
LAZY(P, char *, NULL, PQport, (const PGconn *c), (c))
LAZY(P, int, -1, PQsetnonblocking, (PGconn *c, int a), (c, a))
LAZY(P, PQnoticeProcessor, NULL, PQsetNoticeProcessor,
    (PGconn *c, PQnoticeProcessor f, void *a), (c, f, a))
LAZY(P, int, -1, PQflush, (PGconn *c), (c))
LAZY(P, int, 0, PQconsumeInput, (PGconn *c), (c))
LAZY(P, int, 0, PQisBusy, (PGconn *c), (c))
LAZY(P, int, 0, PQsendQuery, (PGconn *c, const char *q), (c, q))
LAZY(P, int, 0, PQsendQueryParams,
    (PGconn *c, const char *q, int n, const Oid *t, const char *const *v,
    const int *l, const int *f, int r), (c, q, n, t, v, l, f, r))
LAZY(P, PGresult *, NULL, PQexec, (PGconn *c, const char *q), (c, q))
LAZY(P, PGresult *, NULL, PQexecParams,
    (PGconn *c, const char *q, int n, const Oid *t, const char *const *v,
    const int *l, const int *f, int r), (c, q, n, t, v, l, f, r))
LAZY(P, PGresult *, NULL, PQgetResult, (PGconn *c), (c))
LAZY(P, PGnotify *, NULL, PQnotifies, (PGconn *c), (c))
LAZY_VOID(P, PQclear, (PGresult *r), (r))
LAZY(P, ExecStatusType, PGRES_FATAL_ERROR, PQresultStatus,
    (const PGresult *r), (r))
LAZY(P, char *, NULL, PQresStatus, (ExecStatusType s), (s))
LAZY(P, char *, NULL, PQresultErrorMessage, (const PGresult *r), (r))
LAZY(P, int, 0, PQntuples, (const PGresult *r), (r))
LAZY(P, int, 0, PQnfields, (const PGresult *r), (r))
LAZY(P, char *, NULL, PQgetvalue, (const PGresult *r, int t, int f),
    (r, t, f))
LAZY(P, int, 0, PQgetlength, (const PGresult *r, int t, int f), (r, t, f))
LAZY(P, int, 1, PQgetisnull, (const PGresult *r, int t, int f), (r, t, f))
#undef P
