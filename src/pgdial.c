/*
 * Opening a PostgreSQL connection without blocking the loop.
 *
 * libpq looks host names up with a blocking getaddrinfo inside
 * PQconnectPoll.  So the names of a connection string are looked up
 * first, one after the other on the checks' lookup thread, and libpq is
 * given their addresses as hostaddr, in order, with each name repeated
 * once for each of its addresses (host stays, for TLS and the messages),
 * as libpq would try them after its own lookup.  Unix sockets and given
 * addresses need no lookup.  Used by the PostgreSQL checks and the
 * shared timeline; each then drives PQconnectPoll on the loop itself.
 */

#include <sys/socket.h>

#include <netdb.h>
#include <stdlib.h>
#include <string.h>

#include "checks.h"
#include "lazylib.h"
#include "pgdial.h"
#include "xmalloc.h"

struct pgdial {
	char			**kw;		/* connection options */
	char			**val;
	size_t			  n;
	char			**hosts;	/* to look up, in order */
	size_t			  nhosts;
	char			**ports;	/* when a list */
	size_t			  nports;
	size_t			  next;		/* being looked up */
	char			 *out_host;	/* from the lookups */
	char			 *hostaddr;
	char			 *out_port;
	size_t			  nout;
	struct checks_lookup	 *lookup;
	struct event_base	 *base;
	pgdial_cb		  cb;
	void			 *arg;
};

/* Set connection option k to v, replacing it when it is there. */
static void
pgdial_set(struct pgdial *d, const char *k, const char *v)
{
	size_t	i;

	for (i = 0; i < d->n; i++) {
		if (strcmp(d->kw[i], k) == 0) {
			free(d->val[i]);
			d->val[i] = xstrdup(v);
			return;
		}
	}
	d->kw = xreallocarray(d->kw, d->n + 2, sizeof *d->kw);
	d->val = xreallocarray(d->val, d->n + 2, sizeof *d->val);
	d->kw[d->n] = xstrdup(k);
	d->val[d->n] = xstrdup(v);
	d->n++;
	d->kw[d->n] = d->val[d->n] = NULL;
}

static int
pgdial_has(const struct pgdial *d, const char *k)
{
	size_t	i;

	for (i = 0; i < d->n; i++) {
		if (strcmp(d->kw[i], k) == 0)
			return (1);
	}
	return (0);
}

/* Split a libpq list ("a,b,/tmp") into *v. */
static void
pgdial_split(const char *list, char ***v, size_t *n)
{
	const char	*p = list, *comma;

	for (;;) {
		comma = strchr(p, ',');
		*v = xreallocarray(*v, *n + 1, sizeof **v);
		(*v)[(*n)++] = comma != NULL ? xstrndup(p, comma - p) :
		    xstrdup(p);
		if (comma == NULL)
			break;
		p = comma + 1;
	}
}

/* A name that needs a lookup: not empty, not a socket directory. */
static int
pgdial_is_name(const char *h)
{
	return (*h != '\0' && *h != '/' && *h != '@');
}

/*
 * The options of conninfo, plus defaults[ndefaults] (keyword, value)
 * where conninfo does not give them.  NULL with *cause set (caller frees)
 * when conninfo is not valid.
 */
struct pgdial *
pgdial_create(const char *conninfo, const char *const (*defaults)[2],
    size_t ndefaults, char **cause)
{
	struct pgdial		*d;
	PQconninfoOption	*opts, *o;
	const char		*host = NULL, *hostaddr = NULL;
	char			*err = NULL;
	size_t			 i;

	if ((opts = PQconninfoParse(conninfo, &err)) == NULL) {
		*cause = xstrdup(err != NULL ? err :
		    lazylib_why(LAZYLIB_PQ, "out of memory"));
		PQfreemem(err);
		return (NULL);
	}
	d = xcalloc(1, sizeof *d);
	d->kw = xcalloc(1, sizeof *d->kw);
	d->val = xcalloc(1, sizeof *d->val);
	for (o = opts; o->keyword != NULL; o++) {
		if (o->val == NULL || o->val[0] == '\0')
			continue;
		if (strcmp(o->keyword, "host") == 0)
			host = o->val;
		if (strcmp(o->keyword, "hostaddr") == 0)
			hostaddr = o->val;
		if (strcmp(o->keyword, "port") == 0)
			pgdial_split(o->val, &d->ports, &d->nports);
		pgdial_set(d, o->keyword, o->val);
	}
	for (i = 0; i < ndefaults; i++) {
		if (!pgdial_has(d, defaults[i][0]))
			pgdial_set(d, defaults[i][0], defaults[i][1]);
	}
	/* libpq falls back on the environment, and so do we. */
	if (host == NULL)
		host = getenv("PGHOST");
	if (hostaddr == NULL)
		hostaddr = getenv("PGHOSTADDR");
	if ((hostaddr == NULL || *hostaddr == '\0') && host != NULL &&
	    *host != '\0')
		pgdial_split(host, &d->hosts, &d->nhosts);
	PQconninfoFree(opts);
	if (d->nhosts > 0 && d->nports > 1 && d->nports != d->nhosts) {
		*cause = xprintf("could not match %zu port numbers to %zu "
		    "hosts", d->nports, d->nhosts);
		pgdial_free(d);
		return (NULL);
	}
	return (d);
}

/* Add the host being looked up to libpq's lists, once per address. */
static void
pgdial_emit(struct pgdial *d, const char *addr)
{
	const char	*sep = d->nout > 0 ? "," : "";
	char		*p;

	p = xprintf("%s%s%s", d->out_host, sep, d->hosts[d->next]);
	free(d->out_host);
	d->out_host = p;
	p = xprintf("%s%s%s", d->hostaddr, sep, addr);
	free(d->hostaddr);
	d->hostaddr = p;
	if (d->nports > 1) {
		p = xprintf("%s%s%s", d->out_port, sep, d->ports[d->next]);
		free(d->out_port);
		d->out_port = p;
	}
	d->nout++;
}

static void	pgdial_next(struct pgdial *);

/* A name's addresses (from the lookup thread, on the loop). */
static void
pgdial_lookup_cb(int err, struct addrinfo *res, void *arg)
{
	struct pgdial	*d = arg;
	struct addrinfo	*ai;
	char		 addr[NI_MAXHOST], *msg;
	size_t		 n = 0;

	d->lookup = NULL;
	for (ai = res; err == 0 && ai != NULL; ai = ai->ai_next) {
		if (getnameinfo(ai->ai_addr, ai->ai_addrlen, addr,
		    sizeof addr, NULL, 0, NI_NUMERICHOST) != 0)
			continue;
		pgdial_emit(d, addr);
		n++;
	}
	if (res != NULL)
		freeaddrinfo(res);
	if (n == 0) {
		msg = xprintf("could not translate host name \"%s\" to "
		    "address: %s", d->hosts[d->next], err != 0 ?
		    gai_strerror(err) : "no address");
		d->cb(msg, d->arg);
		free(msg);
		return;
	}
	d->next++;
	pgdial_next(d);
}

/* Look the next name up; when none is left, say so. */
static void
pgdial_next(struct pgdial *d)
{
	while (d->next < d->nhosts) {
		if (pgdial_is_name(d->hosts[d->next])) {
			d->lookup = checks_lookup_start(d->base,
			    d->hosts[d->next], NULL, pgdial_lookup_cb, d);
			return;
		}
		pgdial_emit(d, "");
		d->next++;
	}
	pgdial_set(d, "host", d->out_host);
	if (d->nports > 1)
		pgdial_set(d, "port", d->out_port);
	pgdial_set(d, "hostaddr", d->hostaddr);
	d->cb(NULL, d->arg);
}

/*
 * Look up the names, then call cb(NULL or why not, arg) from the loop,
 * once, unless the dial is freed first.  Returns 1 without calling cb when
 * there is no name to look up.
 */
int
pgdial_lookup(struct pgdial *d, struct event_base *base, pgdial_cb cb,
    void *arg)
{
	size_t	i;

	for (i = 0; i < d->nhosts; i++) {
		if (pgdial_is_name(d->hosts[i]))
			break;
	}
	if (i == d->nhosts)
		return (1);
	d->base = base;
	d->cb = cb;
	d->arg = arg;
	d->out_host = xstrdup("");
	d->hostaddr = xstrdup("");
	d->out_port = xstrdup("");
	pgdial_next(d);
	return (0);
}

/* The name being looked up, or NULL. */
const char *
pgdial_looking_up(const struct pgdial *d)
{
	if (d == NULL || d->lookup == NULL)
		return (NULL);
	return (d->hosts[d->next]);
}

/* Start connecting with the options and addresses: PQconnectStartParams. */
PGconn *
pgdial_connect(struct pgdial *d)
{
	return (PQconnectStartParams((const char *const *)d->kw,
	    (const char *const *)d->val, 0));
}

/* Free the options; a lookup in flight is abandoned. */
void
pgdial_free(struct pgdial *d)
{
	size_t	i;

	if (d == NULL)
		return;
	checks_lookup_cancel(d->lookup);
	for (i = 0; i < d->n; i++) {
		free(d->kw[i]);
		free(d->val[i]);
	}
	free(d->kw);
	free(d->val);
	for (i = 0; i < d->nhosts; i++)
		free(d->hosts[i]);
	free(d->hosts);
	for (i = 0; i < d->nports; i++)
		free(d->ports[i]);
	free(d->ports);
	free(d->out_host);
	free(d->hostaddr);
	free(d->out_port);
	free(d);
}
