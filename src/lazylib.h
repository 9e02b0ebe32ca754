#ifndef LAZYLIB_H
#define LAZYLIB_H

/*
 * libcrypto, libcurl and libpq are loaded the first time one of their
 * functions is called, not when rbnav starts: the picker, validate and
 * list never hash, check or connect, and mapping and relocating these
 * libraries with their own dependencies (TLS, Kerberos, LDAP, ...) would
 * be most of a cold start.  The code calls their functions by their
 * usual names; src/lazylib.c (libcrypto, in the model) and src/lazynet.c
 * (libcurl and libpq, in the engine) define those names and forward each
 * call.
 *
 * When libcurl or libpq cannot be loaded, the functions that create
 * something (curl_easy_init, curl_multi_init, PQconnectStartParams, ...)
 * fail as they would when out of memory, and lazylib_why says why.
 * Without libcrypto no timeline can be written or checked: rbnav exits
 * with the loader's message.
 */

enum lazylib {
	LAZYLIB_CRYPTO,
	LAZYLIB_CURL,
	LAZYLIB_PQ,
};

const char	*lazylib_error(enum lazylib);
const char	*lazylib_why(enum lazylib, const char *);
int		 lazylib_loaded(enum lazylib);
int		 lazylib_fn(enum lazylib, const char *, void *);

/*
 * Define function name, with its header's prototype params, forwarding
 * args to the library's own; returning fail when it cannot be loaded.
 */
#define LAZY(lib, ret, fail, name, params, args)			\
ret									\
name params								\
{									\
	static ret	(*fn) params;					\
									\
	if (fn == NULL && lazylib_fn(lib, #name, &fn) != 0)		\
		return (fail);						\
	return (fn args);						\
}

/* The same for a function returning nothing. */
#define LAZY_VOID(lib, name, params, args)				\
void									\
name params								\
{									\
	static void	(*fn) params;					\
									\
	if (fn == NULL && lazylib_fn(lib, #name, &fn) != 0)		\
		return;							\
	fn args;							\
}

#endif
