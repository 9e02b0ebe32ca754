/*
 * A drill from a real incident: rbnav drill --from INCIDENT -o FILE.
 *
 * The incident's timeline becomes an rbnav-drill/v1 file: the scenario
 * it started on, the systems' first recorded states as `initial`, every
 * later check.change as a timed event, each command's recorded output
 * (its tail, or the capture file when it is still there) and exit
 * status as the step's result, and the path the responders took as
 * `expected_path`.  Written with libyaml's emitter.  No curses here.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "drill-from.h"
#include "journal-read.h"
#include "value.h"
#include "xmalloc.h"
#include "yemit.h"

#define DRILL_FROM_OUTPUT	(16 * 1024)	/* of a capture kept */

static const char *
df_s(const json_t *e, const char *key)
{
	const char	*s = json_string_value(json_object_get(e, key));

	return (s != NULL ? s : "");
}

/* A slug from any text: lowercase letters, digits and single '-'. */
static char *
df_slug(const char *s)
{
	char	*out = xmalloc(strlen(s) + 2), *o = out;

	for (; *s != '\0'; s++) {
		if ((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9'))
			*o++ = *s;
		else if (*s >= 'A' && *s <= 'Z')
			*o++ = (char)(*s - 'A' + 'a');
		else if (o > out && o[-1] != '-')
			*o++ = '-';
	}
	while (o > out && o[-1] == '-')
		o--;
	if (o == out)
		*o++ = 'x';
	*o = '\0';
	return (out);
}

/* At most max bytes of a capture file, or NULL. */
static char *
df_capture(const char *dir, const char *rel)
{
	FILE	*f;
	char	*path, *buf;
	size_t	 n;

	if (dir == NULL || *rel == '\0' || strstr(rel, "..") != NULL)
		return (NULL);
	path = xprintf("%s/%s", dir, rel);
	f = fopen(path, "r");
	free(path);
	if (f == NULL)
		return (NULL);
	buf = xmalloc(DRILL_FROM_OUTPUT + 1);
	n = fread(buf, 1, DRILL_FROM_OUTPUT, f);
	fclose(f);
	buf[n] = '\0';
	return (buf);
}

static void
df_duration(struct yemit *y, const char *key, int64_t ms)
{
	char	*d;

	if (ms < 1000)
		ms = 1000;
	d = xprintf("%llds", (long long)(ms / 1000));
	yemit_kplain(y, key, d);
	free(d);
}

/*
 * The drill file for timeline f (caller frees).  dir is where the
 * timeline's capture folders are.  NULL with *cause.
 */
char *
drill_from_timeline(const struct journal_file *f, const char *dir,
    char **cause)
{
	struct yemit	*y;
	const json_t	*start, *e, *tail, *v;
	const char	*type, *scenario = NULL, *step, *cmd;
	char		*s, *id, *out, *output, *last = NULL;
	size_t		 i, k, n;
	int64_t		 end = 0;
	json_t		*seen, *starts;

	if (f->nevents == 0 || (start = f->events[0].json) == NULL ||
	    strcmp(df_s(start, "type"), "incident.start") != 0) {
		*cause = xstrdup("the timeline has no incident.start");
		return (NULL);
	}
	for (i = 0; i < f->nevents; i++) {
		if (f->events[i].json != NULL)
			end = json_integer_value(json_object_get(
			    f->events[i].json, "t"));
	}
	y = yemit_create();
	yemit_map(y);
	yemit_kv(y, "format", "rbnav-drill/v1");
	s = xprintf("from-%s", df_s(start, "incident"));
	id = df_slug(s);
	free(s);
	yemit_kv(y, "id", id);
	free(id);
	s = xprintf("Drill: %s", df_s(start, "title"));
	yemit_kv(y, "title", s);
	free(s);
	yemit_kv(y, "runbook", df_s(start, "runbook"));
	yemit_kv(y, "scenario", df_s(start, "scenario"));
	s = xprintf("A replay of incident %s, \"%s\", started %s on %s by "
	    "%s.\nThe systems behave as they did; the commands print what "
	    "they printed.", df_s(start, "incident"), df_s(start, "title"),
	    df_s(start, "ts"), df_s(start, "host"), df_s(start, "op"));
	yemit_kv(y, "briefing", s);
	free(s);

	/* Each system's first state, then its later changes. */
	seen = json_object();
	yemit_plain(y, "initial");
	yemit_map(y);
	for (i = 0; i < f->nevents; i++) {
		e = f->events[i].json;
		if (e == NULL || strcmp(df_s(e, "type"), "check.change") != 0 ||
		    json_object_get(seen, df_s(e, "system")) != NULL)
			continue;
		if (strcmp(df_s(e, "to"), "pending") == 0)
			continue;
		json_object_set_new(seen, df_s(e, "system"),
		    json_integer(json_integer_value(json_object_get(e,
		    "seq"))));
		yemit_kplain(y, df_s(e, "system"), df_s(e, "to"));
	}
	yemit_end(y, 1);
	yemit_plain(y, "events");
	yemit_seq(y);
	for (i = 0; i < f->nevents; i++) {
		e = f->events[i].json;
		if (e == NULL || strcmp(df_s(e, "type"), "check.change") != 0 ||
		    strcmp(df_s(e, "to"), "pending") == 0)
			continue;
		v = json_object_get(seen, df_s(e, "system"));
		if (v != NULL && json_integer_value(v) ==
		    json_integer_value(json_object_get(e, "seq")))
			continue;	/* that one is the initial state */
		yemit_map(y);
		df_duration(y, "at", json_integer_value(json_object_get(e,
		    "t")));
		yemit_kv(y, "system", df_s(e, "system"));
		yemit_kplain(y, "state", df_s(e, "to"));
		yemit_end(y, 1);
	}
	yemit_end(y, 0);
	json_decref(seen);

	/* Each command's result, under its step. */
	starts = json_object();
	yemit_plain(y, "steps");
	yemit_map(y);
	seen = json_object();
	for (i = 0; i < f->nevents; i++) {
		e = f->events[i].json;
		if (e == NULL)
			continue;
		type = df_s(e, "type");
		if (strcmp(type, "scenario.enter") == 0)
			scenario = df_s(e, "scenario");
		else if (strcmp(type, "command.start") == 0 && scenario) {
			s = xprintf("%s/%s", scenario, df_s(e, "step"));
			json_object_set_new(starts, df_s(e, "cmd"),
			    json_string(s));
			free(s);
		} else if (strcmp(type, "command.exit") == 0) {
			cmd = df_s(e, "cmd");
			step = json_string_value(json_object_get(starts, cmd));
			if (step == NULL || json_object_get(seen, step))
				continue;	/* the first run of a step */
			json_object_set_new(seen, step, json_true());
			yemit_plain(y, step);
			yemit_map(y);
			output = df_capture(dir, df_s(e, "output_file"));
			if (output == NULL) {
				tail = json_object_get(e, "tail");
				output = xstrdup("");
				json_array_foreach(tail, k, v) {
					s = xprintf("%s%s\n", output,
					    json_string_value(v) ?
					    json_string_value(v) : "");
					free(output);
					output = s;
				}
			}
			yemit_kv(y, "output", output);
			free(output);
			s = xprintf("%lld", json_object_get(e, "exit") ?
			    (long long)json_integer_value(json_object_get(e,
			    "exit")) : 1LL);
			yemit_kplain(y, "exit", s);
			free(s);
			df_duration(y, "duration", json_integer_value(
			    json_object_get(e, "ms")));
			yemit_end(y, 1);
		}
	}
	yemit_end(y, 1);
	json_decref(seen);
	json_decref(starts);

	/* The path the responders took. */
	yemit_plain(y, "expected_path");
	yemit_seq(y);
	scenario = NULL;
	n = 0;
	for (i = 0; i < f->nevents; i++) {
		e = f->events[i].json;
		if (e == NULL)
			continue;
		type = df_s(e, "type");
		if (strcmp(type, "scenario.enter") == 0)
			scenario = df_s(e, "scenario");
		if (scenario == NULL)
			continue;
		if (strcmp(type, "decision") == 0) {
			s = xprintf("%s/%s:%s", scenario, df_s(e, "step"),
			    df_s(e, "choice"));
			yemit_scalar(y, s);
			free(s);
			n++;
			if (i + 1 < f->nevents && f->events[i + 1].json &&
			    strcmp(df_s(f->events[i + 1].json, "type"),
			    "step.done") == 0)
				i++;
		} else if (strcmp(type, "step.done") == 0 ||
		    strcmp(type, "step.fail") == 0) {
			s = xprintf("%s/%s", scenario, df_s(e, "step"));
			/* A failed step done after all is one entry. */
			if (last == NULL || strcmp(last, s) != 0)
				yemit_scalar(y, s);
			free(last);
			last = s;
			n++;
		}
	}
	free(last);
	yemit_end(y, 0);
	/* Time enough to take the same path: half as long again. */
	df_duration(y, "time_limit", end + end / 2 + 60000);
	yemit_end(y, 1);
	out = yemit_finish(y, NULL, cause);
	(void)n;
	return (out);
}
