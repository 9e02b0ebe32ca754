/* Redaction: secrets taken out of every text rbnav keeps or shows. */
#ifndef REDACT_H
#define REDACT_H

#include <stddef.h>

#define REDACT_MARK	"[REDACTED]"

struct pattern;
struct redact;
struct redact_stream;

/* A built-in pattern, with an example whose secret it must catch. */
struct redact_builtin {
	const char	*name;
	const char	*regex;
	const char	*example;
	const char	*secret;
};

const struct redact_builtin *redact_builtin(size_t);

struct redact	*redact_create(void);
void		 redact_free(struct redact *);
void		 redact_add_secret(struct redact *, const char *);
void		 redact_add_pattern(struct redact *, const struct pattern *);
size_t		 redact_buffer(struct redact *, const char *, size_t, char **,
		     size_t *);
char		*redact_string(struct redact *, const char *);

struct redact_stream *redact_stream_create(struct redact *);
const char	*redact_stream_feed(struct redact_stream *, const char *,
		     size_t, size_t *);
const char	*redact_stream_finish(struct redact_stream *, size_t *);
void		 redact_stream_free(struct redact_stream *);

#endif
