/*
 * The runbook model (rbnav/v1) and drill files (rbnav-drill/v1).
 *
 * Loaded once, validated, then never changed: every other layer reads
 * these structures through const pointers.  Durations are milliseconds;
 * -1 means "not given".
 */
#ifndef RUNBOOK_H
#define RUNBOOK_H

#include <stddef.h>
#include <stdint.h>

#include "diag.h"

struct pattern;

struct rb_pos {
	int	line;
	int	col;
};

enum rb_state {
	RB_STATE_UNKNOWN,
	RB_STATE_UP,
	RB_STATE_DOWN,
	RB_STATE_DEGRADED,
	RB_STATE_PENDING
};

enum rb_check_kind {
	RB_CHECK_NONE,
	RB_CHECK_HTTP,
	RB_CHECK_POSTGRES,
	RB_CHECK_TCP,
	RB_CHECK_COMMAND
};

struct rb_check {
	enum rb_check_kind	 kind;
	char			*target;	/* URL, conninfo, host:port, command */
	int			 expect_status;	/* 0: any 2xx */
	struct pattern		*expect_body;	/* http */
	char			*query;		/* postgres */
	struct pattern		*expect;	/* postgres, command */
	int64_t			 interval;	/* ms */
	int64_t			 timeout;	/* ms */
	struct rb_pos		 pos;
};

struct rb_system {
	char		*id;
	char		*name;
	int		 priority;
	int64_t		 rto;		/* ms, -1 none */
	int64_t		 rpo;		/* ms, -1 none or text */
	char		*rpo_text;	/* as written */
	struct rb_check	 check;
	struct rb_pos	 pos;
};

struct rb_variable {
	char		*name;
	char		*prompt;
	char		*def;		/* NULL: no default */
	struct pattern	*pattern;
	int		 secret;
	struct rb_pos	 pos;
};

struct rb_contact {
	char	*role;
	char	*name;
	char	*email;
	char	*phone;
	char	*chat;
};

struct rb_state_set {
	char		*system;
	enum rb_state	 state;
	struct rb_pos	 pos;
};

/* What drill mode shows for a step instead of running it. */
struct rb_drill_result {
	char			*output;	/* NULL: "(drill) command not executed" */
	int			 exit;
	int64_t			 duration;	/* ms; default 1000 */
	struct rb_state_set	*after;
	size_t			 nafter;
	int			 given;		/* the step had a drill: key */
};

struct rb_choice {
	char		*label;
	char		*target;	/* goto as written */
	struct rb_pos	 pos;
};

struct rb_step {
	char			*id;
	char			*title;
	char			*text;
	char			*run;
	int			 interactive;
	char			*workdir;
	int64_t			 timeout;	/* ms, -1 none */
	int			 confirm;
	char			*danger;
	struct pattern		*expect;
	int			 expect_exit;
	char			**wait_for;
	size_t			 nwait_for;
	char			*open;
	char			*ask;
	struct rb_choice	*choices;
	size_t			 nchoices;
	char			*target;	/* goto as written */
	int			 optional;
	struct rb_drill_result	 drill;
	struct rb_pos		 pos;
};

enum rb_kind {
	RB_KIND_INCIDENT,
	RB_KIND_PROCEDURE
};

struct rb_scenario {
	char		*id;
	char		*title;
	enum rb_kind	 kind;
	char		*when;
	char		**symptoms;
	size_t		 nsymptoms;
	char		**prerequisites;
	size_t		 nprerequisites;
	char		**systems;
	size_t		 nsystems;
	struct rb_step	*steps;
	size_t		 nsteps;
	size_t		*order;		/* step indexes sorted by id */
	struct rb_pos	 pos;
};

struct runbook {
	char			*path;
	char			*bytes;		/* the file, until hashed */
	size_t			 nbytes;
	char			 sha256[65];	/* runbook_sha256 fills it */
	char			*format;
	char			*id;
	struct rb_pos		 id_pos;
	char			*title;
	char			*description;
	char			*reviewed;	/* YYYY-MM-DD or YYYY-MM */
	int			 reviewed_days;	/* days since 1970 */
	char			*owner;
	struct rb_system	*systems;
	size_t			 nsystems;
	struct rb_variable	*variables;
	size_t			 nvariables;
	struct rb_contact	*contacts;
	size_t			 ncontacts;
	struct rb_scenario	*scenarios;
	size_t			 nscenarios;
	char			**post_incident;
	size_t			 npost_incident;
	size_t			*order;		/* scenario indexes by id */
};

struct drill_event {
	int64_t		 at;		/* ms */
	char		*system;
	enum rb_state	 state;
	struct rb_pos	 pos;
};

struct drill_override {
	char			*ref;	/* step-id or scenario-id/step-id */
	struct rb_drill_result	 result;
	struct rb_pos		 pos;
};

struct drill {
	char			*path;
	char			*format;
	char			*id;
	char			*title;
	char			*runbook;
	char			*scenario;	/* NULL: the trainee finds it */
	char			*briefing;
	struct rb_state_set	*initial;
	size_t			 ninitial;
	struct drill_event	*events;
	size_t			 nevents;
	struct drill_override	*steps;
	size_t			 nsteps;
	char			**expected_path;
	size_t			 nexpected_path;
	struct rb_pos		*expected_pos;
	int64_t			 time_limit;	/* ms, -1: largest RTO */
	struct rb_pos		 runbook_pos;
	struct rb_pos		 scenario_pos;
};

/* What a file turned out to be. */
enum rb_file_kind {
	RB_FILE_UNKNOWN,
	RB_FILE_RUNBOOK,
	RB_FILE_DRILL
};

struct rb_load_options {
	int	stale_after_days;	/* default 180 */
	int64_t	now;			/* seconds since 1970; 0: time(NULL) */
	int	hash;			/* keep the bytes for runbook_sha256 */
	int	quiet;			/* no warnings wanted: skip the
					   checks that only warn */
};

/* Load one file, adding every problem to diag.  NULL on any error. */
/* The SHA-256 of the runbook's file (hex), hashed when first asked. */
const char	*runbook_sha256(const struct runbook *);

enum rb_file_kind rbfile_load(const char *, const struct rb_load_options *,
		     struct diag *, struct runbook **, struct drill **);
enum rb_file_kind rbfile_load_buffer(const char *, const void *, size_t,
		     const struct rb_load_options *, struct diag *,
		     struct runbook **, struct drill **);
struct runbook	*runbook_load(const char *, const struct rb_load_options *,
		     struct diag *);
void		 runbook_free(struct runbook *);
struct drill	*drill_load(const char *, struct diag *);
void		 drill_free(struct drill *);
const char	*runbook_destructive(const char *);

/* Check a drill against its runbook (references, path, systems). */
void		 drill_check(const struct drill *, const struct runbook *,
		     struct diag *);
int		 drill_resolve_ref(const struct drill *,
		     const struct runbook *, const char *,
		     const struct rb_scenario **, int *);

/* Lookups. */
const struct rb_scenario *runbook_scenario(const struct runbook *,
		     const char *);
const struct rb_system	*runbook_system(const struct runbook *, const char *);
const struct rb_variable *runbook_variable(const struct runbook *,
		     const char *);
int		 rb_scenario_step_index(const struct rb_scenario *,
		     const char *);
int		 runbook_resolve(const struct runbook *,
		     const struct rb_scenario *, const char *,
		     const struct rb_scenario **, int *);

const char	*rb_state_name(enum rb_state);
int		 rb_state_parse(const char *, enum rb_state *);

#endif
