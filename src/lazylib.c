/*
 * Libraries loaded on first use (see lazylib.h), and libcrypto's
 * functions.
 *
 * Each function is defined here under its own name, with the prototype
 * of the library's header (so the compiler checks that they agree), and
 * forwards to the library's symbol, looked up once.  The definitions are
 * hidden: they are never exported, so that the library, once loaded,
 * binds to its own functions and not to these.
 */

#include <dlfcn.h>
#include <stdlib.h>
#include <string.h>

#pragma GCC visibility push(hidden)
#include <openssl/evp.h>
#pragma GCC visibility pop

#include "autoconf.h"
#include "lazylib.h"
#include "xmalloc.h"

static struct lazylib_lib {
	const char	*soname;
	int		 fatal;		/* rbnav cannot go on without it */
	void		*handle;
	int		 tried;
	char		*error;
} lazylibs[] = {
	[LAZYLIB_CRYPTO] = { CRYPTO_SONAME, 1, NULL, 0, NULL },
	[LAZYLIB_CURL] = { CURL_SONAME, 0, NULL, 0, NULL },
	[LAZYLIB_PQ] = { PQ_SONAME, 0, NULL, 0, NULL },
};

const char *
lazylib_error(enum lazylib which)
{
	return (lazylibs[which].error);
}

/* Why a call failed: the library's load error, or otherwise. */
const char *
lazylib_why(enum lazylib which, const char *otherwise)
{
	return (lazylibs[which].error != NULL ? lazylibs[which].error :
	    otherwise);
}

int
lazylib_loaded(enum lazylib which)
{
	return (lazylibs[which].handle != NULL);
}

/*
 * Load the library if it is not yet, and store the address of its function
 * name into *slot (a function pointer).  Returns 0, or -1 with the reason
 * kept for lazylib_error.
 */
int
lazylib_fn(enum lazylib which, const char *name, void *slot)
{
	struct lazylib_lib	*l = &lazylibs[which];
	void			*p;
	const char		*err;

	if (!l->tried) {
		l->tried = 1;
		if ((l->handle = dlopen(l->soname, RTLD_NOW | RTLD_LOCAL)) ==
		    NULL) {
			err = dlerror();
			l->error = xprintf("cannot load %s: %s", l->soname,
			    err != NULL ? err : "unknown error");
		}
	}
	if (l->handle != NULL && (p = dlsym(l->handle, name)) == NULL) {
		free(l->error);
		l->error = xprintf("%s has no function %s", l->soname, name);
	}
	if (l->handle == NULL || p == NULL) {
		if (l->fatal)
			fatalx("%s", l->error);
		return (-1);
	}
	memcpy(slot, &p, sizeof p);
	return (0);
}

#define K LAZYLIB_CRYPTO
LAZY(K, const EVP_MD *, NULL, EVP_sha256, (void), ())
LAZY(K, EVP_MD *, NULL, EVP_MD_fetch,
    (OSSL_LIB_CTX *c, const char *a, const char *p), (c, a, p))
LAZY_VOID(K, EVP_MD_free, (EVP_MD *m), (m))
LAZY(K, EVP_MD_CTX *, NULL, EVP_MD_CTX_new, (void), ())
LAZY_VOID(K, EVP_MD_CTX_free, (EVP_MD_CTX *c), (c))
LAZY(K, int, 0, EVP_Digest,
    (const void *d, size_t n, unsigned char *md, unsigned int *len,
    const EVP_MD *t, ENGINE *e), (d, n, md, len, t, e))
LAZY(K, int, 0, EVP_DigestInit_ex, (EVP_MD_CTX *c, const EVP_MD *t,
    ENGINE *e), (c, t, e))
LAZY(K, int, 0, EVP_DigestInit_ex2, (EVP_MD_CTX *c, const EVP_MD *t,
    const OSSL_PARAM p[]), (c, t, p))
LAZY(K, int, 0, EVP_DigestUpdate, (EVP_MD_CTX *c, const void *d,
    size_t n), (c, d, n))
LAZY(K, int, 0, EVP_DigestFinal_ex, (EVP_MD_CTX *c, unsigned char *md,
    unsigned int *len), (c, md, len))
LAZY(K, int, -1, EVP_EncodeBlock, (unsigned char *t,
    const unsigned char *f, int n), (t, f, n))
#undef K
