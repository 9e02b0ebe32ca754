#ifndef LAZYLIB_H
#define LAZYLIB_H

/*
 * libcurl and libpq are loaded the first time one of their functions is
 * called, not when rbnav starts: the picker, validate, export and most
 * commands never touch the network, and mapping and relocating the two
 * libraries with their own dependencies (TLS, Kerberos, LDAP, ...) is most
 * of a cold start.  The engine calls their functions by their usual
 * names; src/lazylib.c defines those names and forwards each call.
 *
 * When a library cannot be loaded, the functions that create something
 * (curl_easy_init, curl_multi_init, PQconnectStartParams, ...) fail as
 * they would when out of memory, and lazylib_error says why.
 */

enum lazylib {
	LAZYLIB_CURL,
	LAZYLIB_PQ,
};

const char	*lazylib_error(enum lazylib);
const char	*lazylib_why(enum lazylib, const char *);
int		 lazylib_loaded(enum lazylib);

#endif
