/* {{variable}} references: finding them, filling them in, shell quoting. */
#ifndef EXPAND_H
#define EXPAND_H

#include <stddef.h>

/* Called for every reference; name is terminated, off is its byte offset. */
typedef void	(*expand_ref_cb)(const char *name, size_t off, void *arg);
/* Returns the value of name, or NULL when it has none yet. */
typedef const char *(*expand_get_cb)(const char *name, void *arg);

#define EXPAND_SHELL	0x1	/* insert values shell-quoted */

int	 expand_refs(const char *, expand_ref_cb, void *, size_t *);
char	*expand(const char *, int, expand_get_cb, void *, char **);
char	*expand_shell_quote(const char *);

#endif
