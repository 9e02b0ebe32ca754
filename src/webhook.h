/*
 * Webhooks: chosen timeline events posted as Slack-compatible JSON to
 * the URLs of the config, on the event loop.  See src/webhook.c.
 */
#ifndef WEBHOOK_H
#define WEBHOOK_H

#if !defined(RBNAV_LAYER) || RBNAV_LAYER < 2
#error "webhook.h belongs to the engine layer"
#endif

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

struct config;
struct event_base;
struct redact;
struct webhooks;

/* A delivery given up: the URL (its path cut short), why.  May be NULL. */
typedef void	(*webhooks_failed_cb)(const char *, const char *, void *);

struct webhooks	*webhooks_create(struct event_base *, const struct config *,
		     struct redact *, webhooks_failed_cb, void *);
void		 webhooks_event(struct webhooks *, const json_t *,
		     const char *, const char *);
size_t		 webhooks_pending(const struct webhooks *);
void		 webhooks_set_timeout(struct webhooks *, int64_t);
void		 webhooks_free(struct webhooks *);

#endif
