/* The YAML tree cache: a file is parsed again only when its bytes change. */
#ifndef YCACHE_H
#define YCACHE_H

#include <stddef.h>

#include "ytree.h"

void	ycache_enable(void);
void	ycache_use(const char *);
int	ycache_lookup(struct ytree *, const char *, const void *, size_t);
void	ycache_store(const char *, const void *, size_t, struct ytree *);
void	ycache_save(void);
void	ycache_close(void);

/* For tests and the fuzzer: the cache as bytes, and from bytes. */
void	ycache_image(struct ybuf *);
int	ycache_load_image(const void *, size_t);
size_t	ycache_count(void);
const char *ycache_entry(size_t, const void **, size_t *);

#endif
