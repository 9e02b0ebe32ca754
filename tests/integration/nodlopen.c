/*
 * LD_PRELOAD shim for tests/integration/lazylib.sh: dlopen of a library
 * whose name is in $NODLOPEN (a colon-separated list of sonames) fails as
 * it would if the library were not installed, with the dynamic linker's
 * own message.  Every other dlopen goes through.
 */

#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdlib.h>
#include <string.h>

void	*dlopen(const char *, int);

static int
blocked(const char *name)
{
	const char	*list = getenv("NODLOPEN"), *p;
	size_t		 len;

	if (list == NULL || name == NULL)
		return (0);
	len = strlen(name);
	for (p = list; (p = strstr(p, name)) != NULL; p += len) {
		if ((p == list || p[-1] == ':') &&
		    (p[len] == '\0' || p[len] == ':'))
			return (1);
	}
	return (0);
}

void *
dlopen(const char *name, int flags)
{
	static void	*(*real)(const char *, int);

	if (real == NULL)
		*(void **)&real = dlsym(RTLD_NEXT, "dlopen");
	if (blocked(name))
		return (real("/nonexistent/rbnav-test/not-installed.so", flags));
	return (real(name, flags));
}
