/*
 * One line of text for a timeline event, from its JSON alone: what the
 * timeline pane shows for a resumed or replayed incident, and for the
 * events of other operators.  The table below is the one place that
 * knows how each type reads.
 */

#include <string.h>

#include "event.h"
#include "xmalloc.h"

static const char *
ev_s(const json_t *e, const char *key)
{
	const char	*s = json_string_value(json_object_get(e, key));

	return (s != NULL ? s : "");
}

static const struct {
	const char	*type;
	const char	*fmt;	/* %1 … %4: the keys below, in order */
	const char	*keys[4];
} event_forms[] = {
	{ "incident.start", "started (%s): %s", { "mode", "title" } },
	{ "incident.resume", "resumed (%s)", { "reason" } },
	{ "incident.leave", "left (%s)", { "reason" } },
	{ "incident.end", "incident ended: %s: %s", { "outcome", "summary" } },
	{ "scenario.enter", "scenario %s", { "scenario" } },
	{ "step.enter", "step %s", { "step" } },
	{ "step.done", "done %s %s", { "step", "reason" } },
	{ "step.skip", "skip %s: %s", { "step", "reason" } },
	{ "step.fail", "fail %s: %s", { "step", "reason" } },
	{ "var.set", "set %s = %s", { "name", "value" } },
	{ "confirm", "confirm %s: %s", { "step", "answer" } },
	{ "command.start", "command %s: %s", { "cmd", "command" } },
	{ "command.cancel", "command %s: %s sent", { "cmd", "signal" } },
	{ "check.change", "%s: %s -> %s %s", { "system", "from", "to",
	    "detail" } },
	{ "decision", "decision %s: %s -> %s", { "step", "choice", "goto" } },
	{ "note", "note: %s", { "text" } },
	{ "prerequisite", "prerequisite %s: %s", { "answer", "item" } },
	{ "drill.pause", "drill clock paused", { NULL } },
	{ "drill.resume", "drill clock running again", { NULL } },
	{ "drill.inject", "trainer: %s -> %s", { "system", "to" } },
	{ "pen.handover", "pen handed to %s", { "to" } },
	{ "pen.take", "took the pen (from %s)", { "from" } },
	{ "incident.join", "joined (started by %s)", { "started_by" } },
	{ "webhook.failed", "webhook %s failed: %s", { "url", "why" } },
	{ "drill.debrief", "drill debrief", { NULL } },
};

/* One line for event e; caller frees. */
char *
event_summary(const json_t *e)
{
	const char	*type = ev_s(e, "type");
	const json_t	*v;
	size_t		 i;

	if (strcmp(type, "command.exit") == 0) {
		if (json_is_true(json_object_get(e, "interrupted")))
			return (xprintf("command %s interrupted: its end was "
			    "not recorded", ev_s(e, "cmd")));
		if (json_is_true(json_object_get(e, "not_started")))
			return (xprintf("command %s not started: %s",
			    ev_s(e, "cmd"), ev_s(e, "reason")));
		if ((v = json_object_get(e, "exit")) != NULL)
			return (xprintf("command %s exited %lld in %lldms",
			    ev_s(e, "cmd"), (long long)json_integer_value(v),
			    (long long)json_integer_value(
			    json_object_get(e, "ms"))));
		return (xprintf("command %s stopped by SIG%s",
		    ev_s(e, "cmd"), ev_s(e, "signal")));
	}
	if (strcmp(type, "rto") == 0)
		return (xprintf("%s recovered in %llds: RTO %s",
		    ev_s(e, "system"), (long long)json_integer_value(
		    json_object_get(e, "ms")) / 1000,
		    json_is_true(json_object_get(e, "met")) ? "met" :
		    "MISSED"));
	if (strcmp(type, "drill.debrief") == 0)
		return (xprintf("drill debrief: score %lld/100",
		    (long long)json_integer_value(json_object_get(e,
		    "score"))));
	for (i = 0; i < sizeof event_forms / sizeof event_forms[0]; i++) {
		if (strcmp(type, event_forms[i].type) != 0)
			continue;
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
#pragma GCC diagnostic ignored "-Wformat-extra-args"
		return (xprintf(event_forms[i].fmt,
		    event_forms[i].keys[0] ? ev_s(e, event_forms[i].keys[0]) :
		    "", event_forms[i].keys[1] ? ev_s(e,
		    event_forms[i].keys[1]) : "", event_forms[i].keys[2] ?
		    ev_s(e, event_forms[i].keys[2]) : "",
		    event_forms[i].keys[3] ? ev_s(e, event_forms[i].keys[3]) :
		    ""));
#pragma GCC diagnostic pop
	}
	return (xstrdup(type));
}
