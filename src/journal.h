/* The incident timeline: an append-only, hash-chained JSON Lines file. */
#ifndef JOURNAL_H
#define JOURNAL_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

struct journal;

struct journal	*journal_create(const char *, const char *, char **, char **);
struct journal	*journal_reopen(const char *, int64_t, const char *, char **);
int64_t		 journal_append(struct journal *, const char *, const char *,
		     int64_t, json_t *);
int		 journal_flush(struct journal *);
int		 journal_error(const struct journal *);
const char	*journal_last_line(const struct journal *, size_t *);
size_t		 journal_pending(const struct journal *);
int64_t		 journal_seq(const struct journal *);
const char	*journal_head(const struct journal *);
const char	*journal_path(const struct journal *);
void		 journal_close(struct journal *);
int		 journal_copy(const struct journal *, const char *, char **);
char		*journal_timestamp(int64_t);
void		 journal_sha256_hex(const void *, size_t, char [65]);
int		 journal_mkdirs(const char *, char **);
char		*journal_default_dir(void);

#endif
