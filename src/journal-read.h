/* Reading and checking a timeline: parse, torn tails, the hash chain. */
#ifndef JOURNAL_READ_H
#define JOURNAL_READ_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

/* One whole line of a timeline file. */
struct journal_event {
	int64_t		 line;		/* 1-based line number */
	const char	*raw;		/* its bytes without the newline */
	size_t		 len;
	char		 sha256[65];	/* of raw: the next line's prev */
	json_t		*json;		/* NULL when not JSON or not parsed */
	int64_t		 seq;		/* -1 when there is none */
	char		 prev[65];	/* "" when there is none */
	int		 bad;		/* not a JSON object with an envelope */
};

/*
 * A timeline read into memory.  events holds every whole line (a bad
 * one too, with bad set); a torn last line is not among them.
 */
struct journal_file {
	char			*path;
	char			*buf;		/* the file; raw points here */
	size_t			 size;
	struct journal_event	*events;
	size_t			 nevents;

	int64_t			 torn_line;	/* 0: no torn last line */
	size_t			 torn_offset;	/* where the whole lines end */
	size_t			 torn_len;
	char			*torn_why;
	char			*torn_path;	/* where REPAIR copied it */

	int64_t			 bad_line;	/* 0: no damage (but the end) */
	char			*bad_why;
};

/* Flags for journal_read. */
#define JOURNAL_READ_REPAIR	0x1	/* set a torn tail aside, cut it off */
#define JOURNAL_READ_LAZY	0x2	/* envelope only: no json, faster */

struct journal_file	*journal_read(const char *, int, char **);
void			 journal_read_free(struct journal_file *);
int64_t			 journal_verify(const struct journal_file *, char **);
int			 journal_parse_head(const char *, int64_t *, char [65]);
int64_t			 journal_verify_head(const struct journal_file *,
			     int64_t, const char *, char **);
int64_t			 journal_last(const struct journal_file *,
			     char [65]);
char			*journal_anchor(const struct journal_file *);
char			*journal_resolve(const char *, const char *, char **);

#endif
