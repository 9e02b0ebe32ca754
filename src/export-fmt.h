/*
 * The markup of a text report: the primitives Markdown and HTML each
 * give, from which export-fmt.c writes the sections of both once.
 */
#ifndef EXPORT_FMT_H
#define EXPORT_FMT_H

#include <stddef.h>
#include <stdio.h>

struct export_report;

/* What a span or a cell says; a format shows each its own way. */
enum export_mark {
	EXPORT_MARK_NONE,
	EXPORT_MARK_STRONG,	/* a label: bold */
	EXPORT_MARK_GOOD,	/* in colour only */
	EXPORT_MARK_BAD,	/* in colour only */
	EXPORT_MARK_ALARM,	/* bad, and bold where there is no colour */
	EXPORT_MARK_MUTED,	/* an aside */
	EXPORT_MARK_NUM,	/* cells: a time or a number */
	EXPORT_MARK_OFF		/* cells: an offset */
};

/*
 * A text format.  The strings are markup, written as they are.  Text
 * from the timeline goes through text, or through lines where a newline
 * must show as a line break (Markdown breaks it in both), never fputs.
 */
struct export_fmt {
	/* The document around the sections; start may be NULL. */
	void		(*start)(const struct export_report *, FILE *);
	const char	 *end;

	void		(*text)(FILE *, const char *);
	void		(*lines)(FILE *, const char *);
	void		(*code)(FILE *, const char *);
	void		(*block)(FILE *, const char *, const char *const *,
			     size_t);
	void		(*mark_start)(FILE *, enum export_mark);
	void		(*mark_end)(FILE *, enum export_mark);
	void		(*heading_start)(FILE *, int);
	void		(*heading_end)(FILE *, int);
	const char	 *para_start;
	const char	 *para_end;

	const char	 *list_start;
	const char	 *checklist_start;
	const char	 *list_end;
	const char	 *item_start;
	const char	 *item_end;
	const char	 *check_done;
	const char	 *check_open;

	/* The facts of the incident: a table of names and values. */
	const char	 *facts_start;
	void		(*fact_start)(FILE *, const char *);
	const char	 *fact_end;
	const char	 *facts_end;

	/*
	 * Tables: the column names end with NULL.  A cell is cell_start or
	 * cell_word (a cell starting with a marked word), then cell_end.
	 */
	void		(*table_start)(FILE *, const char *const *);
	const char	 *row_start;
	void		(*cell_start)(FILE *, enum export_mark);
	void		(*cell_word)(FILE *, enum export_mark, const char *);
	const char	 *cell_end;
	const char	 *row_end;
	const char	 *table_end;
};

int	export_fmt_write(const struct export_fmt *,
	    const struct export_report *, FILE *);

#endif
