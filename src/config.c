/*
 * The configuration file.
 *
 * ~/.config/rbnav/config.yaml (or $XDG_CONFIG_HOME/rbnav/config.yaml, or
 * --config FILE) holds the operator's name, the theme, how old a review
 * may be, the scrollback size, extra redaction patterns, the shared
 * timeline and webhooks.  Like runbooks it is strict: an unknown key or
 * a pattern that does not compile is a located error, never ignored,
 * because a silently dropped redaction pattern would leak secrets.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "pattern.h"
#include "value.h"
#include "xmalloc.h"
#include "ytree.h"

#define CONFIG_MAX	(1024 * 1024)	/* bytes: a configuration is small */

static const struct {
	const char	*key;
	const char	*help;
} config_keys[] = {
	{ "operator", "your name in timelines (default $USER)" },
	{ "theme", "default, light, high-contrast, mono, or a file" },
	{ "stale_after", "warn about runbooks reviewed longer ago (180d)" },
	{ "scrollback", "lines of command output kept on screen (10000)" },
	{ "redact", "PCRE2 patterns to redact, besides the built-in ones" },
	{ "timeline_db", "PostgreSQL connection string of the shared "
	    "timeline" },
	{ "webhooks", "list of {url, events}" },
	{ NULL, NULL }
};

/* $XDG_CONFIG_HOME/rbnav/config.yaml or ~/.config/rbnav/config.yaml. */
char *
config_default_path(void)
{
	const char	*s;

	if ((s = getenv("XDG_CONFIG_HOME")) != NULL && *s != '\0')
		return (xprintf("%s/rbnav/config.yaml", s));
	if ((s = getenv("HOME")) == NULL || *s == '\0')
		return (NULL);
	return (xprintf("%s/.config/rbnav/config.yaml", s));
}

static char *
config_string(const char *file, const struct ynode *n, const char *key,
    struct diag *diag)
{
	if (n->type != YNODE_SCALAR || ynode_is_null(n)) {
		diag_add(diag, DIAG_ERROR, file, n->line, n->col,
		    "'%s' must be a string", key);
		return (NULL);
	}
	return (xstrdup(n->value));
}

static void
config_webhooks(struct config *c, const char *file, const struct ynode *n,
    struct diag *diag)
{
	const struct ynode	*w, *k, *v;
	struct config_webhook	*h;
	size_t			 i, j, m;

	if (n->type != YNODE_SEQ) {
		diag_add(diag, DIAG_ERROR, file, n->line, n->col,
		    "'webhooks' must be a list of {url, events}");
		return;
	}
	c->webhooks = xcalloc(n->n, sizeof *c->webhooks);
	for (i = 0; i < n->n; i++) {
		w = n->items[i];
		h = &c->webhooks[c->nwebhooks];
		if (w->type != YNODE_MAP) {
			diag_add(diag, DIAG_ERROR, file, w->line, w->col,
			    "a webhook is a mapping with 'url'");
			continue;
		}
		for (j = 0; j < YNODE_PAIRS(w); j++) {
			k = YNODE_KEY(w, j);
			v = YNODE_VAL(w, j);
			if (strcmp(k->value, "url") == 0) {
				free(h->url);
				h->url = config_string(file, v, "url", diag);
			} else if (strcmp(k->value, "events") == 0 &&
			    v->type == YNODE_SEQ) {
				h->events = xcalloc(v->n, sizeof *h->events);
				for (m = 0; m < v->n; m++) {
					if (v->items[m]->type == YNODE_SCALAR)
						h->events[h->nevents++] =
						    xstrdup(v->items[m]->value);
				}
			} else
				diag_add(diag, DIAG_ERROR, file, k->line,
				    k->col, "unknown key '%s' in webhook "
				    "(url, events)", k->value);
		}
		if (h->url == NULL) {
			diag_add(diag, DIAG_ERROR, file, w->line, w->col,
			    "a webhook needs 'url'");
			/* The slot is the next webhook's: empty it. */
			for (m = 0; m < h->nevents; m++)
				free(h->events[m]);
			free(h->events);
			memset(h, 0, sizeof *h);
			continue;
		}
		c->nwebhooks++;
	}
}

/*
 * Load the configuration from path.  A missing file is an empty
 * configuration unless required.  NULL when the file has errors.
 */
struct config *
config_load(const char *path, int required, struct diag *diag)
{
	struct config		*c;
	struct ytree		 tree;
	const struct ynode	*root, *k, *v;
	FILE			*f = NULL;
	char			*buf = NULL, *s, *cause;
	size_t			 len = 0, cap = 0, got, i, j, off, before;
	int			 too_big = 0;
	long long		 n;
	int64_t			 ms;

	c = xcalloc(1, sizeof *c);
	c->stale_after_days = 180;
	c->scrollback = 10000;
	if (path == NULL || (f = fopen(path, "r")) == NULL) {
		if (required) {
			diag_add(diag, DIAG_ERROR, path ? path : "config",
			    0, 0, "cannot open the configuration file");
			config_free(c);
			return (NULL);
		}
		return (c);
	}
	c->path = xstrdup(path);
	for (;;) {
		if (len == cap) {
			if (cap == CONFIG_MAX) {
				too_big = fgetc(f) != EOF;
				break;
			}
			cap = cap ? cap * 2 : 4096;
			buf = xrealloc(buf, cap);
		}
		if ((got = fread(buf + len, 1, cap - len, f)) == 0)
			break;
		len += got;
	}
	fclose(f);
	if (too_big) {
		diag_add(diag, DIAG_ERROR, path, 1, 1, "the configuration is "
		    "larger than %d MiB", CONFIG_MAX >> 20);
		free(buf);
		config_free(c);
		return (NULL);
	}
	before = diag->nerrors;
	if (len == 0) {
		free(buf);
		return (c);
	}
	if (ytree_load(&tree, path, buf, len, NULL, diag) != 0) {
		free(buf);
		ytree_free(&tree);
		config_free(c);
		return (NULL);
	}
	free(buf);
	root = tree.root;
	if (root->type != YNODE_MAP) {
		if (!ynode_is_null(root))
			diag_add(diag, DIAG_ERROR, path, root->line, root->col,
			    "the configuration is a mapping of keys");
		goto out;
	}
	for (i = 0; i < YNODE_PAIRS(root); i++) {
		k = YNODE_KEY(root, i);
		v = YNODE_VAL(root, i);
		if (strcmp(k->value, "operator") == 0)
			c->operator = config_string(path, v, k->value, diag);
		else if (strcmp(k->value, "theme") == 0)
			c->theme = config_string(path, v, k->value, diag);
		else if (strcmp(k->value, "timeline_db") == 0)
			c->timeline_db = config_string(path, v, k->value,
			    diag);
		else if (strcmp(k->value, "stale_after") == 0) {
			if (v->type != YNODE_SCALAR ||
			    value_duration(v->value, &ms) != 0 || ms <= 0)
				diag_add(diag, DIAG_ERROR, path, v->line,
				    v->col, "'stale_after' must be a "
				    "duration such as 180d");
			else
				c->stale_after_days = (int)(ms / 86400000);
		} else if (strcmp(k->value, "scrollback") == 0) {
			if (v->type != YNODE_SCALAR ||
			    value_int(v->value, &n) != 0 || n < 100 ||
			    n > 10000000)
				diag_add(diag, DIAG_ERROR, path, v->line,
				    v->col, "'scrollback' must be a number "
				    "of lines from 100 to 10000000");
			else
				c->scrollback = (int)n;
		} else if (strcmp(k->value, "redact") == 0) {
			if (v->type != YNODE_SEQ) {
				diag_add(diag, DIAG_ERROR, path, v->line,
				    v->col, "'redact' must be a list of "
				    "PCRE2 patterns");
				continue;
			}
			c->redact = xcalloc(v->n, sizeof *c->redact);
			for (j = 0; j < v->n; j++) {
				s = v->items[j]->value;
				if (v->items[j]->type != YNODE_SCALAR ||
				    s == NULL) {
					diag_add(diag, DIAG_ERROR, path,
					    v->items[j]->line,
					    v->items[j]->col,
					    "a redact pattern is a string");
					continue;
				}
				c->redact[c->nredact] = pattern_compile(s, 0,
				    &cause, &off);
				if (c->redact[c->nredact] == NULL) {
					diag_add(diag, DIAG_ERROR, path,
					    v->items[j]->line,
					    v->items[j]->col, "pattern does "
					    "not compile at offset %zu: %s",
					    off, cause);
					free(cause);
					continue;
				}
				c->nredact++;
			}
		} else if (strcmp(k->value, "webhooks") == 0)
			config_webhooks(c, path, v, diag);
		else {
			for (j = 0; config_keys[j].key != NULL; j++)
				;
			diag_add(diag, DIAG_ERROR, path, k->line, k->col,
			    "unknown key '%s' in the configuration (operator, "
			    "theme, stale_after, scrollback, redact, "
			    "timeline_db, webhooks)", k->value);
		}
	}
out:
	ytree_free(&tree);
	if (diag->nerrors != before) {
		config_free(c);
		return (NULL);
	}
	return (c);
}

void
config_free(struct config *c)
{
	size_t	i, j;

	if (c == NULL)
		return;
	free(c->path);
	free(c->operator);
	free(c->theme);
	free(c->timeline_db);
	for (i = 0; i < c->nredact; i++)
		pattern_free(c->redact[i]);
	free(c->redact);
	for (i = 0; i < c->nwebhooks; i++) {
		free(c->webhooks[i].url);
		for (j = 0; j < c->webhooks[i].nevents; j++)
			free(c->webhooks[i].events[j]);
		free(c->webhooks[i].events);
	}
	free(c->webhooks);
	free(c);
}
