/*
 * The catalog: every runbook and drill on the search path.
 *
 * The search path is, in order: each -r FILE|DIR, $RBNAV_PATH (colon
 * separated), ~/.config/rbnav/runbooks, ./runbooks and the installed
 * runbooks; drills live in the drills/ folder of each directory.  The
 * first runbook of an id wins, as the first program of a name wins on
 * PATH; the later ones are reported, like files that do not load.
 */

#include <sys/stat.h>

#include <dirent.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

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

static void
catalog_add_file(struct catalog *c, const char *path,
    const struct rb_load_options *opts)
{
	struct runbook	*rb;
	struct drill	*d;
	struct diag	 diag;
	size_t		 i;

	diag_init(&diag);
	rbfile_load(path, opts, &diag, &rb, &d);
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

static void
catalog_scan(struct catalog *c, const char *dir,
    const struct rb_load_options *opts)
{
	char	**files, *sub;
	size_t	  n, i;

	files = catalog_list_dir(dir, &n);
	for (i = 0; i < n; i++) {
		catalog_add_file(c, files[i], opts);
		free(files[i]);
	}
	free(files);
	sub = xprintf("%s/drills", dir);
	files = catalog_list_dir(sub, &n);
	for (i = 0; i < n; i++) {
		catalog_add_file(c, files[i], opts);
		free(files[i]);
	}
	free(files);
	free(sub);
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
	struct rb_load_options	 quiet;
	struct stat		 st;
	const char		*env, *home;
	char			*copy, *p, *tok, *dir;
	size_t			 i, k;
	struct diag		 diag;

	/* Only the files' errors are kept: no need for the warnings. */
	if (opts != NULL)
		quiet = *opts;
	else
		memset(&quiet, 0, sizeof quiet);
	quiet.quiet = 1;
	opts = &quiet;

	c = xcalloc(1, sizeof *c);
	diag_init(&c->diag);
	for (i = 0; i < npaths; i++) {
		if (stat(paths[i], &st) == 0 && S_ISREG(st.st_mode))
			catalog_add_file(c, paths[i], opts);
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
		catalog_scan(c, c->dirs[i], opts);

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
