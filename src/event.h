/* Timeline events as the timeline pane shows them: one line each. */
#ifndef EVENT_H
#define EVENT_H

#include <jansson.h>

char	*event_summary(const json_t *);

#endif
