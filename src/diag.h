/* Located problems found while loading files: "file:line:col: error: …". */
#ifndef DIAG_H
#define DIAG_H

#include <stddef.h>
#include <stdio.h>

enum diag_level {
	DIAG_ERROR,
	DIAG_WARNING
};

struct diag_item {
	char		*file;
	int		 line;	/* 1-based; 0 when the problem has no place */
	int		 col;	/* 1-based */
	enum diag_level	 level;
	char		*msg;
};

struct diag {
	struct diag_item *items;
	size_t		  n;
	size_t		  nerrors;
	size_t		  nwarnings;
	size_t		  max;	/* stop collecting after this many (0: 1000) */
};

void	diag_init(struct diag *);
void	diag_free(struct diag *);
void	diag_add(struct diag *, enum diag_level, const char *, int, int,
	    const char *, ...) __attribute__((format(printf, 6, 7)));
void	diag_print(const struct diag *, FILE *);
void	diag_sort(struct diag *);
char	*diag_format(const struct diag_item *);

#endif
