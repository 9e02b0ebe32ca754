/*
 * The post-incident report: built from a timeline alone, written as
 * Markdown, JSON or HTML by the exporters of one ops table.
 */
#ifndef EXPORT_H
#define EXPORT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <jansson.h>

struct journal_event;
struct journal_file;
struct redact;

/* One line of the timeline; strings are redacted and owned by the report. */
struct export_row {
	const struct journal_event	*ev;
	int64_t				 seq;
	const char			*ts;
	int64_t				 t;	/* ms since the start */
	const char			*op;
	const char			*type;
	const char			*text;	/* a one-line summary */
};

/* A time a system was not up: from a change to down/degraded to up. */
struct export_outage {
	const char	*state;		/* the worst seen: down or degraded */
	const struct export_row *down;
	const struct export_row *up;	/* NULL: not back up */
	const char	*detail;
};

struct export_system {
	const char		*name;
	const char		*last;		/* after the last change */
	struct export_outage	*outages;
	size_t			 noutages;
	int			 rto;		/* -1 none, 0 missed, 1 met */
	int64_t			 rto_ms;	/* -1 when not given */
};

struct export_command {
	const struct export_row	 *start;	/* NULL: only an exit seen */
	const struct export_row	 *end;		/* NULL: no command.exit */
	const char		 *cmd;
	const char		 *step;
	const char		 *command;
	int			  has_exit;
	int64_t			  exit;
	const char		 *signal;
	int64_t			  ms;		/* -1 when not given */
	const char		 *expect;
	const char		 *output_file;
	int64_t			  output_bytes;	/* -1 when not given */
	int			  timeout;
	int			  simulated;
	const char		 *cancelled;	/* the signal sent, if any */
	const char		**tail;
	size_t			  ntail;
};

struct export_decision {
	const struct export_row	*row;
	const char		*step;
	const char		*choice;
	const char		*target;
	const char		*why;
};

struct export_note {
	const struct export_row	*row;
	const char		*text;
};

struct export_confirm {
	const struct export_row	*row;
	const char		*step;
	const char		*answer;
	int			 typed;		/* -1 when not asked */
};

struct export_prereq {
	const struct export_row	*row;
	const char		*scenario;
	const char		*item;
	const char		*answer;
};

struct export_check {
	const char	*item;
	int		 done;
};

/*
 * The report.  It points into the journal file it was built from (which
 * must outlive it) and owns every string it made (all redacted).
 */
struct export_report {
	const struct journal_file	 *jf;
	struct redact			 *redact;
	const char			 *file;		/* base name */

	const char			 *id;
	const char			 *title;
	const char			 *mode;
	const char			 *runbook;
	const char			 *runbook_sha256;
	const char			 *scenario;
	const char			 *host;
	const char			 *drill;
	const char			**operators;
	size_t				  noperators;
	const struct export_row		 *start;
	const struct export_row		 *end;		/* NULL: still open */
	int64_t				  duration_ms;	/* -1: still open */
	const char			 *outcome;
	const char			 *summary;

	struct export_row		 *rows;
	size_t				  nrows;
	struct export_system		 *systems;
	size_t				  nsystems;
	struct export_command		 *commands;
	size_t				  ncommands;
	struct export_decision		 *decisions;
	size_t				  ndecisions;
	struct export_note		 *notes;
	size_t				  nnotes;
	struct export_confirm		 *confirms;
	size_t				  nconfirms;
	struct export_prereq		 *prereqs;
	size_t				  nprereqs;
	struct export_check		 *checklist;
	size_t				  nchecklist;

	int64_t				  head_seq;
	char				  head[65];
	char				 *anchor;	/* "SEQ:HASH" */
	int64_t				  chain_bad;	/* 0: the chain holds */
	char				 *chain_why;
	int64_t				  torn_line;	/* 0: none */
	const char			 *torn_why;

	char				**pool;
	size_t				  npool;
	size_t				  poolcap;
};

/* A report format: Markdown, JSON, HTML. */
struct export_ops {
	const char	*name;
	const char	*extension;
	int		(*write)(const struct export_report *, FILE *);
};

extern const struct export_ops export_md_ops;
extern const struct export_ops export_json_ops;
extern const struct export_ops export_html_ops;

const struct export_ops	*export_find(const char *);
const struct export_ops	*export_find_extension(const char *);
const char		*export_format_names(void);
struct export_report	*export_report_create(const struct journal_file *,
			     struct redact *);
void			 export_report_free(struct export_report *);
int			 export_write(const struct export_ops *,
			     const struct export_report *, const char *,
			     char **);
char			*export_offset(const struct export_report *, int64_t);
char			*export_utc(const char *);
char			*export_duration(int64_t);
json_t			*export_event_data(const struct export_report *,
			     const struct export_row *);

#endif
