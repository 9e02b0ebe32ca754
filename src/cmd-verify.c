/*
 * rbnav verify INCIDENT [--head SEQ:HASH]: check a timeline's chain.
 *
 * Exit 0 with "ok: N events, head SEQ:HASH" when every line's prev and
 * seq are right (and the file holds the anchor given with --head); 1
 * naming the first bad line as FILE:LINE; 2 on a malformed anchor; 3
 * when the file cannot be read.  A torn last line (a crash mid-write) is
 * a warning: the lines before it are still checked.  Read only: the
 * file is never repaired here.
 */

#include <stdio.h>
#include <stdlib.h>

#include "cmd.h"
#include "journal-read.h"
#include "xmalloc.h"

/* rbnav verify: see the top of this file. */
int
cmd_verify(struct cmd_options *o)
{
	struct journal_file	*jf;
	char			*path, *cause = NULL, *why = NULL, *anchor;
	char			 hash[65];
	int64_t			 seq = 0, line;
	int			 rc = EXIT_OK;

	if (o->head != NULL && journal_parse_head(o->head, &seq, hash) != 0) {
		cmd_error("--head wants SEQ:HASH (a line number, a colon and "
		    "64 hex digits), not '%s'", o->head);
		return (EXIT_USAGE);
	}
	if ((path = journal_resolve(o->args[0], o->state_dir,
	    &cause)) == NULL) {
		cmd_error("%s", cause);
		free(cause);
		return (EXIT_RUNTIME);
	}
	if ((jf = journal_read(path, JOURNAL_READ_LAZY, &cause)) == NULL) {
		cmd_error("%s", cause);
		free(cause);
		free(path);
		return (EXIT_RUNTIME);
	}
	if (jf->torn_line != 0)
		cmd_error("%s:%lld: warning: torn last line ignored: %s", path,
		    (long long)jf->torn_line, jf->torn_why);
	if ((line = journal_verify(jf, &why)) != 0 ||
	    (o->head != NULL &&
	    (line = journal_verify_head(jf, seq, hash, &why)) != 0)) {
		cmd_error("%s:%lld: %s", path, (long long)line, why);
		rc = EXIT_CHECK;
	} else {
		anchor = journal_anchor(jf);
		printf("ok: %zu events, head %s\n", jf->nevents, anchor);
		free(anchor);
	}
	free(why);
	journal_read_free(jf);
	free(path);
	return (rc);
}
