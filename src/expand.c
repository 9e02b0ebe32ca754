/*
 * {{variable}} references.
 *
 * A reference is "{{name}}" (spaces inside the braces allowed), with name
 * [A-Za-z_][A-Za-z0-9_]*; "{{{{" stands for a literal "{{".  In a command,
 * values are inserted shell-quoted, so that whatever the operator types
 * is one argument to /bin/sh and never code; everywhere else they are
 * inserted as they are.
 */

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "expand.h"
#include "xmalloc.h"

struct ebuf {
	char	*s;
	size_t	 len;
	size_t	 cap;
};

static void
ebuf_add(struct ebuf *b, const char *s, size_t len)
{
	if (b->len + len + 1 > b->cap) {
		b->cap = (b->len + len + 1) * 2;
		b->s = xrealloc(b->s, b->cap);
	}
	memcpy(b->s + b->len, s, len);
	b->len += len;
	b->s[b->len] = '\0';
}

/*
 * Parse a reference at s (which starts with "{{").  Sets the name's
 * bounds and returns the length of the whole reference, or 0 when it is
 * not a well-formed reference.
 */
static size_t
expand_parse(const char *s, const char **name, size_t *namelen)
{
	const char	*p = s + 2, *start;

	while (*p == ' ')
		p++;
	start = p;
	if (!(isalpha((unsigned char)*p) || *p == '_'))
		return (0);
	while (isalnum((unsigned char)*p) || *p == '_')
		p++;
	*name = start;
	*namelen = p - start;
	while (*p == ' ')
		p++;
	if (p[0] != '}' || p[1] != '}')
		return (0);
	return (p + 2 - s);
}

/*
 * Call cb for every reference in s.  Returns 0, or -1 at the first
 * malformed "{{" with *bad set to its byte offset.
 */
int
expand_refs(const char *s, expand_ref_cb cb, void *arg, size_t *bad)
{
	const char	*p = s, *name;
	size_t		 n, namelen;
	char		*copy;

	while ((p = strstr(p, "{{")) != NULL) {
		if (strncmp(p, "{{{{", 4) == 0) {
			p += 4;
			continue;
		}
		if ((n = expand_parse(p, &name, &namelen)) == 0) {
			if (bad != NULL)
				*bad = p - s;
			return (-1);
		}
		if (cb != NULL) {
			copy = xstrndup(name, namelen);
			cb(copy, p - s, arg);
			free(copy);
		}
		p += n;
	}
	return (0);
}

/* s in single quotes, each ' written as '\''; caller frees. */
char *
expand_shell_quote(const char *s)
{
	struct ebuf	 b = { NULL, 0, 0 };
	const char	*p;

	ebuf_add(&b, "'", 1);
	for (p = s; *p != '\0'; p++) {
		if (*p == '\'')
			ebuf_add(&b, "'\\''", 4);
		else
			ebuf_add(&b, p, 1);
	}
	ebuf_add(&b, "'", 1);
	return (b.s);
}

/*
 * Fill in every reference of tmpl with get's values.  Returns the new
 * string (caller frees), or NULL when a value is missing or a reference
 * is malformed; then *missing (if not NULL) names it (caller frees).
 */
char *
expand(const char *tmpl, int flags, expand_get_cb get, void *arg,
    char **missing)
{
	struct ebuf	 b = { NULL, 0, 0 };
	const char	*p = tmpl, *q, *name, *value;
	size_t		 n, namelen;
	char		*copy, *quoted;

	ebuf_add(&b, "", 0);
	while ((q = strstr(p, "{{")) != NULL) {
		ebuf_add(&b, p, q - p);
		if (strncmp(q, "{{{{", 4) == 0) {
			ebuf_add(&b, "{{", 2);
			p = q + 4;
			continue;
		}
		if ((n = expand_parse(q, &name, &namelen)) == 0) {
			if (missing != NULL)
				*missing = xstrndup(q, strnlen(q, 16));
			free(b.s);
			return (NULL);
		}
		copy = xstrndup(name, namelen);
		value = get != NULL ? get(copy, arg) : NULL;
		if (value == NULL) {
			if (missing != NULL)
				*missing = copy;
			else
				free(copy);
			free(b.s);
			return (NULL);
		}
		free(copy);
		if (flags & EXPAND_SHELL) {
			quoted = expand_shell_quote(value);
			ebuf_add(&b, quoted, strlen(quoted));
			free(quoted);
		} else
			ebuf_add(&b, value, strlen(value));
		p = q + n;
	}
	ebuf_add(&b, p, strlen(p));
	return (b.s);
}
