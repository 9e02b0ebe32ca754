/*
 * Located problems.
 *
 * Loaders never stop at the first problem: they add every one they find
 * here, as file, line, column, level and message, and the caller prints
 * them all at the end, sorted by place.  A runaway file cannot make the
 * list grow without bound: past a maximum, one last line says so.
 */

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "xmalloc.h"

#define DIAG_DEFAULT_MAX 1000

void
diag_init(struct diag *d)
{
	memset(d, 0, sizeof *d);
}

void
diag_free(struct diag *d)
{
	size_t	i;

	for (i = 0; i < d->n; i++) {
		free(d->items[i].file);
		free(d->items[i].msg);
	}
	free(d->items);
	memset(d, 0, sizeof *d);
}

/* Add one problem; the strings are copied. */
void
diag_add(struct diag *d, enum diag_level level, const char *file, int line,
    int col, const char *fmt, ...)
{
	struct diag_item	*it;
	va_list			 ap;
	size_t			 max = d->max ? d->max : DIAG_DEFAULT_MAX;

	if (level == DIAG_ERROR)
		d->nerrors++;
	else
		d->nwarnings++;
	if (d->n > max)
		return;
	d->items = xreallocarray(d->items, d->n + 1, sizeof *d->items);
	it = &d->items[d->n++];
	it->file = xstrdup(file != NULL ? file : "-");
	it->line = line;
	it->col = col;
	it->level = level;
	if (d->n > max) {
		it->level = DIAG_ERROR;
		it->msg = xstrdup("too many problems; the rest are not shown");
		return;
	}
	va_start(ap, fmt);
	xvasprintf(&it->msg, fmt, ap);
	va_end(ap);
}

static int
diag_cmp(const void *a, const void *b)
{
	const struct diag_item	*x = a, *y = b;
	int			 c;

	if ((c = strcmp(x->file, y->file)) != 0)
		return (c);
	if (x->line != y->line)
		return (x->line < y->line ? -1 : 1);
	if (x->col != y->col)
		return (x->col < y->col ? -1 : 1);
	return (0);
}

/* Sort by file, then place; stable enough for equal places. */
void
diag_sort(struct diag *d)
{
	if (d->n > 1)
		qsort(d->items, d->n, sizeof *d->items, diag_cmp);
}

/* One problem as "file:line:col: level: message"; caller frees. */
char *
diag_format(const struct diag_item *it)
{
	const char	*lvl = it->level == DIAG_ERROR ? "error" : "warning";

	if (it->line <= 0)
		return (xprintf("%s: %s: %s", it->file, lvl, it->msg));
	return (xprintf("%s:%d:%d: %s: %s", it->file, it->line, it->col, lvl,
	    it->msg));
}

void
diag_print(const struct diag *d, FILE *f)
{
	size_t	 i;
	char	*s;

	for (i = 0; i < d->n; i++) {
		s = diag_format(&d->items[i]);
		fprintf(f, "%s\n", s);
		free(s);
	}
}
