/* Command output as the screen keeps it: bounded lines, SGR kept. */
#ifndef OUTPUT_H
#define OUTPUT_H

#include <stddef.h>
#include <stdint.h>

struct output;

struct output	*output_create(size_t);
void		 output_free(struct output *);
void		 output_clear(struct output *);
void		 output_feed(struct output *, const char *, size_t);
void		 output_flush(struct output *);
size_t		 output_lines(const struct output *);
const char	*output_line(const struct output *, size_t, size_t *);
uint64_t	 output_dropped(const struct output *);
char		*output_strip(const char *, size_t);

/* One run of text with its SGR state, for drawing. */
struct output_style {
	short	fg;	/* -1 default */
	short	bg;
	int	bold;
	int	underline;
	int	reverse;
	int	dim;
};

size_t		 output_sgr(const char *, size_t, struct output_style *);

#endif
