/*
 * Writing YAML.
 *
 * Everything rbnav writes as YAML (drill files from incidents) goes
 * through libyaml's emitter, never through string concatenation: block
 * style, literal blocks for multi-line text, and quotes wherever YAML
 * would read a string as something else (true, 1.5, null…).  Errors are
 * remembered and reported once, by yemit_finish.
 */

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <yaml.h>

#include "xmalloc.h"
#include "yemit.h"

struct yemit {
	yaml_emitter_t	 em;
	char		*buf;
	size_t		 len;
	size_t		 cap;
	char		*error;
};

static int
yemit_write(void *data, unsigned char *b, size_t size)
{
	struct yemit	*y = data;

	if (y->len + size + 1 > y->cap) {
		y->cap = (y->len + size + 1) * 2;
		y->buf = xrealloc(y->buf, y->cap);
	}
	memcpy(y->buf + y->len, b, size);
	y->len += size;
	y->buf[y->len] = '\0';
	return (1);
}

static void
yemit_event(struct yemit *y, yaml_event_t *ev, int made)
{
	if (y->error != NULL || !made) {
		if (made)
			yaml_event_delete(ev);
		else if (y->error == NULL)
			y->error = xstrdup("cannot make a YAML event");
		return;
	}
	if (!yaml_emitter_emit(&y->em, ev))
		y->error = xprintf("YAML emitter: %s", y->em.problem ?
		    y->em.problem : "error");
}

/* A new document in block style. */
struct yemit *
yemit_create(void)
{
	struct yemit	*y;
	yaml_event_t	 ev;

	y = xcalloc(1, sizeof *y);
	if (!yaml_emitter_initialize(&y->em))
		fatalx("yaml_emitter_initialize failed");
	yaml_emitter_set_output(&y->em, yemit_write, y);
	yaml_emitter_set_unicode(&y->em, 1);
	yaml_emitter_set_width(&y->em, 78);
	yemit_event(y, &ev, yaml_stream_start_event_initialize(&ev,
	    YAML_UTF8_ENCODING));
	yemit_event(y, &ev, yaml_document_start_event_initialize(&ev, NULL,
	    NULL, NULL, 1));
	return (y);
}

void
yemit_map(struct yemit *y)
{
	yaml_event_t	ev;

	yemit_event(y, &ev, yaml_mapping_start_event_initialize(&ev, NULL,
	    NULL, 1, YAML_BLOCK_MAPPING_STYLE));
}

void
yemit_seq(struct yemit *y)
{
	yaml_event_t	ev;

	yemit_event(y, &ev, yaml_sequence_start_event_initialize(&ev, NULL,
	    NULL, 1, YAML_BLOCK_SEQUENCE_STYLE));
}

/* Close a mapping (map = 1) or a sequence. */
void
yemit_end(struct yemit *y, int map)
{
	yaml_event_t	ev;

	if (map)
		yemit_event(y, &ev, yaml_mapping_end_event_initialize(&ev));
	else
		yemit_event(y, &ev, yaml_sequence_end_event_initialize(&ev));
}

/* Whether YAML would read s as something other than a string. */
int
yemit_special(const char *s)
{
	static const char *const words[] = { "", "~", "null", "true",
	    "false", "yes", "no", "on", "off", "y", "n", ".inf", "-.inf",
	    "+.inf", ".nan", NULL };
	const char	*p = s;
	size_t		 i;

	for (i = 0; words[i] != NULL; i++) {
		if (strcasecmp(s, words[i]) == 0)
			return (1);
	}
	if (*p == '-' || *p == '+')
		p++;
	if (!isdigit((unsigned char)*p) && !(*p == '.' &&
	    isdigit((unsigned char)p[1])))
		return (0);
	return (strspn(p, "0123456789abcdefABCDEFxXoO._:+-") == strlen(p));
}

static void
yemit_string(struct yemit *y, const char *s, int plain)
{
	yaml_event_t		ev;
	yaml_scalar_style_t	style = YAML_ANY_SCALAR_STYLE;

	if (!plain && strchr(s, '\n') != NULL)
		style = YAML_LITERAL_SCALAR_STYLE;
	yemit_event(y, &ev, yaml_scalar_event_initialize(&ev, NULL, NULL,
	    (const yaml_char_t *)s, (int)strlen(s), plain ||
	    !yemit_special(s), 1, style));
}

/* A string, quoted when YAML would read it as anything else. */
void
yemit_scalar(struct yemit *y, const char *s)
{
	yemit_string(y, s, 0);
}

/* A value meant as a YAML value: a number, true, a duration. */
void
yemit_plain(struct yemit *y, const char *s)
{
	yemit_string(y, s, 1);
}

void
yemit_kv(struct yemit *y, const char *k, const char *v)
{
	if (v == NULL)
		return;
	yemit_plain(y, k);
	yemit_scalar(y, v);
}

void
yemit_kplain(struct yemit *y, const char *k, const char *v)
{
	yemit_plain(y, k);
	yemit_plain(y, v);
}

/*
 * End the document and return the text (caller frees), or NULL with
 * *error set (caller frees).  y is freed either way.
 */
char *
yemit_finish(struct yemit *y, size_t *len, char **error)
{
	yaml_event_t	 ev;
	char		*out;

	yemit_event(y, &ev, yaml_document_end_event_initialize(&ev, 1));
	yemit_event(y, &ev, yaml_stream_end_event_initialize(&ev));
	yaml_emitter_flush(&y->em);
	yaml_emitter_delete(&y->em);
	if (y->error != NULL) {
		*error = y->error;
		free(y->buf);
		free(y);
		return (NULL);
	}
	out = y->buf != NULL ? y->buf : xstrdup("");
	if (len != NULL)
		*len = y->len;
	free(y);
	return (out);
}
