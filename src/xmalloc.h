/* Allocation that cannot fail, and the fatal-error exits. */
#ifndef XMALLOC_H
#define XMALLOC_H

#include <stdarg.h>
#include <stddef.h>

void	*xmalloc(size_t);
void	*xcalloc(size_t, size_t);
void	*xrealloc(void *, size_t);
void	*xreallocarray(void *, size_t, size_t);
char	*xstrdup(const char *);
char	*xstrndup(const char *, size_t);
int	 xasprintf(char **, const char *, ...)
	    __attribute__((format(printf, 2, 3)));
int	 xvasprintf(char **, const char *, va_list);
char	*xprintf(const char *, ...) __attribute__((format(printf, 1, 2)));

/* Called before a fatal exit, e.g. to restore the terminal. */
void	 xmalloc_set_fatal_hook(void (*)(void));
__attribute__((noreturn, format(printf, 1, 2))) void fatalx(const char *, ...);

#endif
