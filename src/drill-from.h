/* A drill file from a recorded incident's timeline. */
#ifndef DRILL_FROM_H
#define DRILL_FROM_H

struct journal_file;

char	*drill_from_timeline(const struct journal_file *, const char *,
	    char **);

#endif
