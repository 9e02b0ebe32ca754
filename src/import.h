/* Markdown runbooks (like the seed document) into rbnav/v1 YAML. */
#ifndef IMPORT_H
#define IMPORT_H

#include <stddef.h>

#include "diag.h"

/* The largest Markdown file imported, and its longest line. */
#define IMPORT_MAX_INPUT	(64 * 1024 * 1024)
#define IMPORT_MAX_LINE		(1024 * 1024)

struct import_options {
	const char	*source;	/* file name in messages and header */
	const char	*date;		/* YYYY-MM-DD written in the header */
};

int	import_markdown(const void *, size_t, const struct import_options *,
	    struct diag *, char **, size_t *);

#endif
