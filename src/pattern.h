/* PCRE2 patterns compiled once, with their source kept for messages. */
#ifndef PATTERN_H
#define PATTERN_H

#include <stddef.h>

struct pattern;

struct pattern	*pattern_compile(const char *, int, char **, size_t *);
void		 pattern_free(struct pattern *);
const char	*pattern_source(const struct pattern *);
int		 pattern_match(const struct pattern *, const char *, size_t,
		     size_t *, size_t *);

/* Flags for pattern_compile. */
#define PATTERN_CASELESS	0x1
#define PATTERN_LITERAL		0x2
#define PATTERN_JIT_LATE	0x4	/* JIT only once matched often */

#endif
