/*
 * rbnav export INCIDENT [--format md|json|html] [-o FILE]: the report.
 *
 * Reads the timeline and nothing else; the format is --format, else the
 * extension of -o, else Markdown.  Every text goes through a redactor
 * with the built-in patterns and the config's redact: list.  With -o the
 * file is replaced atomically.  A timeline damaged before its end is
 * refused (exit 1: rbnav verify says where); a torn last line is left
 * out with a warning, and a broken chain is shown in the report.
 */

#include <stdio.h>
#include <stdlib.h>

#include "cmd.h"
#include "config.h"
#include "export.h"
#include "journal-read.h"
#include "redact.h"
#include "xmalloc.h"

/* rbnav export: see the top of this file. */
int
cmd_export(struct cmd_options *o)
{
	const struct export_ops	*ops;
	struct export_report	*rep;
	struct journal_file	*jf;
	struct config		*config;
	struct redact		*r;
	char			*path, *cause = NULL;
	size_t			 i;
	int			 rc = EXIT_OK;

	if (o->format != NULL)
		ops = export_find(o->format);
	else if (o->output == NULL ||
	    (ops = export_find_extension(o->output)) == NULL)
		ops = export_find("md");
	if (ops == NULL) {
		cmd_error("unknown format '%s' (%s)", o->format,
		    export_format_names());
		return (EXIT_USAGE);
	}
	if ((path = journal_resolve(o->args[0], o->state_dir,
	    &cause)) == NULL) {
		cmd_error("%s", cause);
		free(cause);
		return (EXIT_RUNTIME);
	}
	if ((config = cmd_config(o)) == NULL) {
		free(path);
		return (EXIT_USAGE);
	}
	if ((jf = journal_read(path, 0, &cause)) == NULL) {
		cmd_error("%s", cause);
		free(cause);
		config_free(config);
		free(path);
		return (EXIT_RUNTIME);
	}
	if (jf->bad_line != 0) {
		cmd_error("%s:%lld: %s; not exporting a damaged timeline (see "
		    "rbnav verify)", path, (long long)jf->bad_line,
		    jf->bad_why);
		rc = EXIT_CHECK;
		goto out;
	}
	if (jf->torn_line != 0)
		cmd_error("%s:%lld: warning: torn last line left out: %s",
		    path, (long long)jf->torn_line, jf->torn_why);

	r = redact_create();
	for (i = 0; i < config->nredact; i++)
		redact_add_pattern(r, config->redact[i]);
	rep = export_report_create(jf, r);
	if (rep->chain_bad != 0)
		cmd_error("%s:%lld: warning: %s (the report says so)", path,
		    (long long)rep->chain_bad, rep->chain_why);
	if (export_write(ops, rep, o->output, &cause) != 0) {
		cmd_error("%s", cause);
		free(cause);
		rc = EXIT_RUNTIME;
	}
	export_report_free(rep);
	redact_free(r);
out:
	journal_read_free(jf);
	config_free(config);
	free(path);
	return (rc);
}
