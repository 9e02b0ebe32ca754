/* Every runbook and drill found on the search path. */
#ifndef CATALOG_H
#define CATALOG_H

#include <stddef.h>

#include "diag.h"
#include "runbook.h"

struct catalog {
	struct runbook	**runbooks;
	size_t		  nrunbooks;
	struct drill	**drills;
	size_t		  ndrills;
	char		**dirs;		/* the places searched, in order */
	size_t		  ndirs;
	struct diag	  diag;		/* problems of the files skipped */
};

struct catalog	*catalog_load(char **, size_t,
		     const struct rb_load_options *);
void		 catalog_free(struct catalog *);
const struct runbook *catalog_runbook(const struct catalog *, const char *);
const struct drill *catalog_drill(const struct catalog *, const char *);
int		 catalog_find_scenario(const struct catalog *, const char *,
		     const struct runbook **, const struct rb_scenario **);
char		**catalog_list_dir(const char *, size_t *);

#endif
