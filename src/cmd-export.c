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
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "journal.h"
#include "shared.h"
#include "config.h"
#include "export.h"
#include "journal-read.h"
#include "redact.h"
#include "xmalloc.h"

/*
 * Every origin of a shared incident, merged by time, as one timeline in
 * memory: each origin's chain is checked on its own, and the head
 * anchors of all origins are given.  NULL with *cause.
 */
static struct journal_file *
export_merge(const json_t *events, char **anchors, int64_t *bad,
    char **why, char **cause)
{
	struct journal_file	*jf;
	json_t			*heads, *e;
	const char		*origin, *prev;
	char			**lines, hash[65], *s;
	size_t			 n = json_array_size(events), i, len = 0, off;
	json_t			*h;

	if (n == 0) {
		*cause = xstrdup("the shared timeline has no event for this "
		    "incident");
		return (NULL);
	}
	jf = xcalloc(1, sizeof *jf);
	jf->events = xcalloc(n, sizeof *jf->events);
	lines = xcalloc(n, sizeof *lines);
	heads = json_object();
	*bad = 0;
	*why = NULL;
	json_array_foreach(events, i, e) {
		json_t	*copy = json_deep_copy(e);

		/* The line as its origin wrote it: without the origin. */
		origin = json_string_value(json_object_get(e, "origin"));
		json_object_del(copy, "origin");
		lines[i] = json_dumps(copy, JSON_COMPACT);
		json_decref(copy);
		len += strlen(lines[i]) + 1;
		journal_sha256_hex(lines[i], strlen(lines[i]), hash);
		h = json_object_get(heads, origin != NULL ? origin : "");
		prev = json_string_value(json_object_get(e, "prev"));
		if (*bad == 0 && prev != NULL && (h == NULL ?
		    strspn(prev, "0") != 64 : strcmp(prev, json_string_value(
		    json_object_get(h, "hash"))) != 0)) {
			*bad = (int64_t)i + 1;
			*why = xprintf("origin %s: seq %lld does not chain to "
			    "the one before it", origin, (long long)
			    json_integer_value(json_object_get(e, "seq")));
		}
		json_object_set_new(heads, origin != NULL ? origin : "",
		    json_pack("{s:I, s:s}", "seq", json_integer_value(
		    json_object_get(e, "seq")), "hash", hash));
	}
	jf->buf = xmalloc(len + 1);
	for (i = 0, off = 0; i < n; i++) {
		struct journal_event	*ev = &jf->events[i];
		size_t			 l = strlen(lines[i]);

		memcpy(jf->buf + off, lines[i], l);
		jf->buf[off + l] = '\n';
		ev->line = (int64_t)i + 1;
		ev->raw = jf->buf + off;
		ev->len = l;
		journal_sha256_hex(lines[i], l, ev->sha256);
		ev->json = json_deep_copy(json_array_get(events, i));
		ev->seq = json_integer_value(json_object_get(ev->json, "seq"));
		s = (char *)(uintptr_t)json_string_value(json_object_get(
		    ev->json, "prev"));
		snprintf(ev->prev, sizeof ev->prev, "%s", s != NULL ? s : "");
		off += l + 1;
		free(lines[i]);
	}
	jf->size = len;
	jf->nevents = n;
	free(lines);
	*anchors = xstrdup("");
	{
		const char	*key;
		json_t		*v;

		json_object_foreach(heads, key, v) {
			s = xprintf("%s%s%s=%lld:%s", *anchors, **anchors ?
			    " " : "", key, (long long)json_integer_value(
			    json_object_get(v, "seq")), json_string_value(
			    json_object_get(v, "hash")));
			free(*anchors);
			*anchors = s;
		}
	}
	json_decref(heads);
	return (jf);
}

/* rbnav export INCIDENT --shared: all operators' events, merged. */
static int
export_shared(struct cmd_options *o, const struct export_ops *ops)
{
	struct config		*config;
	struct export_report	*rep;
	struct journal_file	*jf;
	struct redact		*r;
	const char		*conninfo = o->timeline_db;
	json_t			*events;
	char			*cause = NULL, *anchors = NULL, *why = NULL;
	int64_t			 bad = 0;
	size_t			 i;
	int			 rc = EXIT_OK;

	if ((config = cmd_config(o)) == NULL)
		return (EXIT_USAGE);
	if (conninfo == NULL)
		conninfo = config->timeline_db;
	if (conninfo == NULL) {
		cmd_error("--shared needs --timeline-db or timeline_db: in "
		    "the configuration");
		config_free(config);
		return (EXIT_USAGE);
	}
	if ((events = shared_fetch_events(conninfo, o->args[0],
	    &cause)) == NULL) {
		cmd_error("shared timeline: %s", cause);
		free(cause);
		config_free(config);
		return (EXIT_RUNTIME);
	}
	jf = export_merge(events, &anchors, &bad, &why, &cause);
	json_decref(events);
	if (jf == NULL) {
		cmd_error("%s", cause);
		free(cause);
		config_free(config);
		return (EXIT_RUNTIME);
	}
	jf->path = xprintf("shared timeline of %s", o->args[0]);
	r = redact_create();
	for (i = 0; i < config->nredact; i++)
		redact_add_pattern(r, config->redact[i]);
	rep = export_report_create(jf, r);
	/* The chain is per origin: what the merge checked, not the file. */
	free(rep->chain_why);
	rep->chain_why = why;
	rep->chain_bad = bad;
	free(rep->anchor);
	rep->anchor = anchors;
	if (bad != 0)
		cmd_error("warning: %s (the report says so)", why);
	if (export_write(ops, rep, o->output, &cause) != 0) {
		cmd_error("%s", cause);
		free(cause);
		rc = EXIT_RUNTIME;
	}
	export_report_free(rep);
	redact_free(r);
	journal_read_free(jf);
	config_free(config);
	return (rc);
}

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
	if (o->shared)
		return (export_shared(o, ops));
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
