/* libcurl's multi socket interface driven by the event loop. */
#ifndef CURLEV_H
#define CURLEV_H

#if !defined(RBNAV_LAYER) || RBNAV_LAYER < 2
#error "curlev.h belongs to the engine layer"
#endif

#include <curl/curl.h>

struct event_base;
struct curlev;

/* A transfer ended; the callee removes the handle from the multi. */
typedef void	(*curlev_done_cb)(CURL *, CURLcode, void *);

struct curlev	*curlev_create(struct event_base *, curlev_done_cb, void *);
CURLM		*curlev_multi(const struct curlev *);
void		 curlev_free(struct curlev *);

#endif
