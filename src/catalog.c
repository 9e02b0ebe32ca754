/*
 * The catalog: every runbook and drill on the search path.
 *
 * The search path is, in order: each -r FILE|DIR, $RBNAV_PATH (colon
 * separated), ~/.config/rbnav/runbooks, ./runbooks and the installed
 * runbooks; drills live in the drills/ folder of each directory.  The
 * first runbook of an id wins, as the first program of a name wins on
 * PATH; the later ones are reported, like files that do not load.
 *
 * The files are read and validated in parallel, one thread a CPU (most
 * of a cold start is libyaml parsing them), the largest first; then
 * added one by one in search-path order, so that the catalog is the same
 * as a sequential load would make.
 */

#include <sys/stat.h>

#include <dirent.h>
#include <limits.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "catalog.h"
#include "xmalloc.h"

#ifndef PKGDATADIR
#define PKGDATADIR "/usr/local/share/rbnav"
#endif

static int
catalog_is_yaml(const char *name)
{
	size_t	len = strlen(name);

	if (name[0] == '.')
		return (0);
	return ((len > 5 && strcmp(name + len - 5, ".yaml") == 0) ||
	    (len > 4 && strcmp(name + len - 4, ".yml") == 0));
}

static int
catalog_cmp(const void *a, const void *b)
{
	return (strcmp(*(char *const *)a, *(char *const *)b));
}

/* The YAML files of dir, sorted, as full paths; caller frees. */
char **
catalog_list_dir(const char *dir, size_t *n)
{
	DIR		*d;
	struct dirent	*de;
	char		**v = NULL;

	*n = 0;
	if ((d = opendir(dir)) == NULL)
		return (NULL);
	while ((de = readdir(d)) != NULL) {
		if (!catalog_is_yaml(de->d_name))
			continue;
		v = xreallocarray(v, *n + 1, sizeof *v);
		v[(*n)++] = xprintf("%s/%s", dir, de->d_name);
	}
	closedir(d);
	if (*n > 1)
		qsort(v, *n, sizeof *v, catalog_cmp);
	return (v);
}

static void
catalog_add_dir(struct catalog *c, const char *path)
{
	char	 real[PATH_MAX];
	size_t	 i;

	if (realpath(path, real) == NULL)
		return;
	for (i = 0; i < c->ndirs; i++) {
		if (strcmp(c->dirs[i], real) == 0)
			return;
	}
	c->dirs = xreallocarray(c->dirs, c->ndirs + 1, sizeof *c->dirs);
	c->dirs[c->ndirs++] = xstrdup(real);
}

/* The most threads a load uses. */
#define CATALOG_MAX_THREADS	8

/* One file to load, and what loading it gave. */
struct catalog_file {
	char		*path;
	off_t		 size;
	struct runbook	*rb;
	struct drill	*d;
	struct diag	 diag;
};

/* The files of one load, shared by its threads. */
struct catalog_work {
	struct catalog_file	 *files;
	size_t			  nfiles;
	struct catalog_file	**bysize;	/* largest first */
	atomic_size_t		  next;		/* index into bysize */
	const struct rb_load_options *opts;
};

/* Add the file f loaded (which it then owns no more) to the catalog. */
static void
catalog_add(struct catalog *c, struct catalog_file *f)
{
	struct runbook	*rb = f->rb;
	struct drill	*d = f->d;
	const char	*path = f->path;
	struct diag	 diag = f->diag;
	size_t		 i;

	f->rb = NULL;
	f->d = NULL;
	for (i = 0; i < diag.n; i++) {
		if (diag.items[i].level == DIAG_ERROR)
			diag_add(&c->diag, DIAG_ERROR, diag.items[i].file,
			    diag.items[i].line, diag.items[i].col, "%s",
			    diag.items[i].msg);
	}
	diag_free(&diag);
	if (rb != NULL) {
		if (catalog_runbook(c, rb->id) != NULL) {
			diag_add(&c->diag, DIAG_WARNING, path, 0, 0,
			    "runbook '%s' is already loaded from %s; this one "
			    "is ignored", rb->id,
			    catalog_runbook(c, rb->id)->path);
			runbook_free(rb);
			return;
		}
		c->runbooks = xreallocarray(c->runbooks, c->nrunbooks + 1,
		    sizeof *c->runbooks);
		c->runbooks[c->nrunbooks++] = rb;
	}
	if (d != NULL) {
		if (catalog_drill(c, d->id) != NULL) {
			drill_free(d);
			return;
		}
		c->drills = xreallocarray(c->drills, c->ndrills + 1,
		    sizeof *c->drills);
		c->drills[c->ndrills++] = d;
	}
}

/* Queue path to be loaded. */
static void
catalog_queue(struct catalog_work *w, const char *path)
{
	struct catalog_file	*f;
	struct stat		 st;

	w->files = xreallocarray(w->files, w->nfiles + 1, sizeof *w->files);
	f = &w->files[w->nfiles++];
	memset(f, 0, sizeof *f);
	f->path = xstrdup(path);
	f->size = stat(path, &st) == 0 ? st.st_size : 0;
	diag_init(&f->diag);
}

/* Queue the YAML files of dir and then of dir/drills. */
static void
catalog_scan(struct catalog_work *w, const char *dir)
{
	char	**files, *sub;
	size_t	  n, i;

	files = catalog_list_dir(dir, &n);
	for (i = 0; i < n; i++) {
		catalog_queue(w, files[i]);
		free(files[i]);
	}
	free(files);
	sub = xprintf("%s/drills", dir);
	files = catalog_list_dir(sub, &n);
	for (i = 0; i < n; i++) {
		catalog_queue(w, files[i]);
		free(files[i]);
	}
	free(files);
	free(sub);
}

static int
catalog_bysize(const void *a, const void *b)
{
	const struct catalog_file	*fa = *(struct catalog_file *const *)a;
	const struct catalog_file	*fb = *(struct catalog_file *const *)b;

	return (fa->size < fb->size ? 1 : fa->size > fb->size ? -1 : 0);
}

/* A loading thread: take the next file until none is left. */
static void *
catalog_worker(void *arg)
{
	struct catalog_work	*w = arg;
	struct catalog_file	*f;
	size_t			 i;

	while ((i = atomic_fetch_add(&w->next, 1)) < w->nfiles) {
		f = w->bysize[i];
		rbfile_load(f->path, w->opts, &f->diag, &f->rb, &f->d);
	}
	return (NULL);
}

/* Load every queued file, with as many threads as CPUs (and files). */
static void
catalog_run(struct catalog_work *w)
{
	pthread_t	 threads[CATALOG_MAX_THREADS];
	size_t		 i, nthreads = 1, started = 0;
	long		 ncpu;

	w->bysize = xreallocarray(NULL, w->nfiles > 0 ? w->nfiles : 1,
	    sizeof *w->bysize);
	for (i = 0; i < w->nfiles; i++)
		w->bysize[i] = &w->files[i];
	qsort(w->bysize, w->nfiles, sizeof *w->bysize, catalog_bysize);
	atomic_init(&w->next, 0);

	ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	if (ncpu > 1)
		nthreads = (size_t)ncpu;
	if (nthreads > CATALOG_MAX_THREADS)
		nthreads = CATALOG_MAX_THREADS;
	if (nthreads > w->nfiles)
		nthreads = w->nfiles;
	for (i = 1; i < nthreads; i++) {
		if (pthread_create(&threads[started], NULL, catalog_worker,
		    w) != 0)
			break;	/* fewer threads: the others do the rest */
		started++;
	}
	catalog_worker(w);
	for (i = 0; i < started; i++)
		pthread_join(threads[i], NULL);
	free(w->bysize);
}

/*
 * Load the catalog from the given -r paths and then the default places.
 * Drills whose runbook is missing or whose references are wrong are
 * dropped with their problems in c->diag.
 */
struct catalog *
catalog_load(char **paths, size_t npaths, const struct rb_load_options *opts)
{
	struct catalog		*c;
	struct catalog_work	 w;
	struct stat		 st;
	const char		*env, *home;
	char			*copy, *p, *tok, *dir;
	size_t			 i, k;
	struct diag		 diag;

	c = xcalloc(1, sizeof *c);
	diag_init(&c->diag);
	memset(&w, 0, sizeof w);
	w.opts = opts;
	for (i = 0; i < npaths; i++) {
		if (stat(paths[i], &st) == 0 && S_ISREG(st.st_mode))
			catalog_queue(&w, paths[i]);
		else if (stat(paths[i], &st) == 0 && S_ISDIR(st.st_mode))
			catalog_add_dir(c, paths[i]);
		else
			diag_add(&c->diag, DIAG_ERROR, paths[i], 0, 0,
			    "no such file or directory");
	}
	if ((env = getenv("RBNAV_PATH")) != NULL && *env != '\0') {
		copy = xstrdup(env);
		for (p = copy; (tok = strsep(&p, ":")) != NULL;) {
			if (*tok != '\0')
				catalog_add_dir(c, tok);
		}
		free(copy);
	}
	if ((home = getenv("HOME")) != NULL && *home != '\0') {
		dir = xprintf("%s/.config/rbnav/runbooks", home);
		catalog_add_dir(c, dir);
		free(dir);
	}
	catalog_add_dir(c, "runbooks");
	catalog_add_dir(c, PKGDATADIR "/runbooks");

	for (i = 0; i < c->ndirs; i++)
		catalog_scan(&w, c->dirs[i]);
	catalog_run(&w);
	for (i = 0; i < w.nfiles; i++) {
		catalog_add(c, &w.files[i]);
		free(w.files[i].path);
	}
	free(w.files);

	for (i = 0; i < c->ndrills; i++) {
		const struct runbook	*rb;

		diag_init(&diag);
		rb = catalog_runbook(c, c->drills[i]->runbook);
		if (rb == NULL)
			diag_add(&diag, DIAG_ERROR, c->drills[i]->path,
			    c->drills[i]->runbook_pos.line,
			    c->drills[i]->runbook_pos.col,
			    "runbook '%s' not found", c->drills[i]->runbook);
		else
			drill_check(c->drills[i], rb, &diag);
		for (k = 0; k < diag.n; k++)
			diag_add(&c->diag, diag.items[k].level,
			    diag.items[k].file, diag.items[k].line,
			    diag.items[k].col, "%s", diag.items[k].msg);
		if (diag.nerrors > 0) {
			drill_free(c->drills[i]);
			memmove(&c->drills[i], &c->drills[i + 1],
			    (c->ndrills - i - 1) * sizeof *c->drills);
			c->ndrills--;
			i--;
		}
		diag_free(&diag);
	}
	return (c);
}

void
catalog_free(struct catalog *c)
{
	size_t	i;

	if (c == NULL)
		return;
	for (i = 0; i < c->nrunbooks; i++)
		runbook_free(c->runbooks[i]);
	free(c->runbooks);
	for (i = 0; i < c->ndrills; i++)
		drill_free(c->drills[i]);
	free(c->drills);
	for (i = 0; i < c->ndirs; i++)
		free(c->dirs[i]);
	free(c->dirs);
	diag_free(&c->diag);
	free(c);
}

const struct runbook *
catalog_runbook(const struct catalog *c, const char *id)
{
	size_t	i;

	for (i = 0; i < c->nrunbooks; i++) {
		if (strcmp(c->runbooks[i]->id, id) == 0)
			return (c->runbooks[i]);
	}
	return (NULL);
}

const struct drill *
catalog_drill(const struct catalog *c, const char *id)
{
	size_t	i;

	for (i = 0; i < c->ndrills; i++) {
		if (strcmp(c->drills[i]->id, id) == 0)
			return (c->drills[i]);
	}
	return (NULL);
}

/*
 * Find a scenario by "scenario-id" or "runbook-id/scenario-id".  Returns
 * 1 when found, 0 when not, -1 when a bare id is in several runbooks.
 */
int
catalog_find_scenario(const struct catalog *c, const char *ref,
    const struct runbook **rbp, const struct rb_scenario **scp)
{
	const struct rb_scenario	*sc;
	const char			*slash = strchr(ref, '/');
	size_t				 i, found = 0;

	for (i = 0; i < c->nrunbooks; i++) {
		if (slash != NULL) {
			if (strncmp(c->runbooks[i]->id, ref, slash - ref) != 0 ||
			    c->runbooks[i]->id[slash - ref] != '\0')
				continue;
			sc = runbook_scenario(c->runbooks[i], slash + 1);
		} else
			sc = runbook_scenario(c->runbooks[i], ref);
		if (sc != NULL && found++ == 0) {
			*rbp = c->runbooks[i];
			*scp = sc;
		}
	}
	if (found > 1)
		return (-1);
	return (found > 0);
}
