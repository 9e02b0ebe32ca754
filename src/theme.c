/*
 * Colour themes.
 *
 * A theme is a YAML file that gives, for each element of the screen in
 * the table below, a foreground, a background and attributes.  The
 * default theme is themes/default.yaml itself, compiled in; any other
 * theme starts from it, so a theme file need only name what it changes.
 * The LIVE and DRILL banners must look like nothing else on the screen:
 * a theme where another element shares their look is refused.  No
 * curses here: ui.c turns styles into colour pairs.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "theme.h"
#include "value.h"
#include "xmalloc.h"
#include "ytree.h"

#include "theme-builtin.h"	/* default.yaml and mono.yaml, compiled in */

static const struct {
	const char	*name;
	const char	*help;
} theme_elems[TE_COUNT] = {
	[TE_NORMAL] = { "normal", "ordinary text" },
	[TE_TITLE] = { "title", "titles of panes and steps" },
	[TE_HEADER] = { "header", "the header line" },
	[TE_LIVE] = { "live", "the LIVE banner (no other element may look "
	    "like it)" },
	[TE_DRILL] = { "drill", "the DRILL banner (no other element may look "
	    "like it)" },
	[TE_HINT] = { "hint", "key hints on the bottom line" },
	[TE_SELECTED] = { "selected", "the selected line of a list" },
	[TE_MATCH] = { "match", "search matches" },
	[TE_DIM] = { "dim", "secondary text" },
	[TE_BORDER] = { "border", "pane borders and separators" },
	[TE_STEP_PENDING] = { "step_pending", "a step not reached yet" },
	[TE_STEP_CURRENT] = { "step_current", "the current step's mark" },
	[TE_STEP_RUNNING] = { "step_running", "a step whose command runs" },
	[TE_STEP_DONE] = { "step_done", "a step done" },
	[TE_STEP_SKIPPED] = { "step_skipped", "a step skipped" },
	[TE_STEP_FAILED] = { "step_failed", "a step failed" },
	[TE_DANGER] = { "danger", "the danger reason of a destructive step" },
	[TE_COMMAND] = { "command", "commands" },
	[TE_VARIABLE] = { "variable", "variable values filled in a command" },
	[TE_VARIABLE_UNSET] = { "variable_unset",
	    "variables that have no value yet" },
	[TE_LINK] = { "link", "URLs" },
	[TE_UP] = { "up", "a system that is up" },
	[TE_DOWN] = { "down", "a system that is down" },
	[TE_DEGRADED] = { "degraded", "a degraded system" },
	[TE_PENDING] = { "pending", "a check in flight" },
	[TE_UNKNOWN] = { "unknown", "a system that cannot be checked" },
	[TE_RTO_OK] = { "rto_ok", "an RTO clock under half its objective" },
	[TE_RTO_WARN] = { "rto_warn", "an RTO clock past half its objective" },
	[TE_RTO_LATE] = { "rto_late", "an RTO clock past its objective" },
	[TE_PROMPT] = { "prompt", "prompts and questions" },
	[TE_ERROR] = { "error", "error messages" },
	[TE_WARNING] = { "warning", "warnings, such as a stale review" },
	[TE_ALERT] = { "alert", "the TIMELINE NOT DURABLE banner" },
};

static const struct {
	const char	*name;
	short		 value;
} theme_colors[] = {
	{ "default", THEME_DEFAULT_COLOR },
	{ "black", 0 }, { "red", 1 }, { "green", 2 }, { "yellow", 3 },
	{ "blue", 4 }, { "magenta", 5 }, { "cyan", 6 }, { "white", 7 },
	{ "brightblack", 8 }, { "brightred", 9 }, { "brightgreen", 10 },
	{ "brightyellow", 11 }, { "brightblue", 12 },
	{ "brightmagenta", 13 }, { "brightcyan", 14 }, { "brightwhite", 15 },
};

static const struct {
	const char	*name;
	int		 flag;
} theme_attrs[] = {
	{ "bold", THEME_BOLD }, { "dim", THEME_DIM },
	{ "underline", THEME_UNDERLINE }, { "reverse", THEME_REVERSE },
	{ "italic", THEME_ITALIC }, { "blink", THEME_BLINK },
};

const char *
theme_elem_name(enum theme_elem e)
{
	return (theme_elems[e].name);
}

const char *
theme_elem_help(enum theme_elem e)
{
	return (theme_elems[e].help);
}

static int
theme_color(const struct ynode *n, short *out)
{
	long long	v;
	size_t		i;

	if (n->type != YNODE_SCALAR)
		return (-1);
	for (i = 0; i < sizeof theme_colors / sizeof theme_colors[0]; i++) {
		if (strcmp(n->value, theme_colors[i].name) == 0) {
			*out = theme_colors[i].value;
			return (0);
		}
	}
	if (value_int(n->value, &v) == 0 && v >= 0 && v <= 255) {
		*out = (short)v;
		return (0);
	}
	return (-1);
}

static void
theme_style(const char *file, const struct ynode *n, struct theme_style *st,
    struct diag *diag)
{
	const struct ynode	*k, *v, *a;
	size_t			 i, j, m;

	if (n->type != YNODE_MAP) {
		diag_add(diag, DIAG_ERROR, file, n->line, n->col, "a style "
		    "is a mapping of fg, bg and attrs");
		return;
	}
	for (i = 0; i < YNODE_PAIRS(n); i++) {
		k = YNODE_KEY(n, i);
		v = YNODE_VAL(n, i);
		if (strcmp(k->value, "fg") == 0 || strcmp(k->value, "bg") == 0) {
			if (theme_color(v, strcmp(k->value, "fg") == 0 ?
			    &st->fg : &st->bg) != 0)
				diag_add(diag, DIAG_ERROR, file, v->line,
				    v->col, "'%s' must be a colour name "
				    "(default, black, red, … brightwhite) or "
				    "0-255", k->value);
		} else if (strcmp(k->value, "attrs") == 0) {
			if (v->type != YNODE_SEQ) {
				diag_add(diag, DIAG_ERROR, file, v->line,
				    v->col, "'attrs' must be a list");
				continue;
			}
			st->attrs = 0;
			for (j = 0; j < v->n; j++) {
				a = v->items[j];
				for (m = 0; m < sizeof theme_attrs /
				    sizeof theme_attrs[0]; m++) {
					if (a->type == YNODE_SCALAR &&
					    strcmp(a->value,
					    theme_attrs[m].name) == 0)
						break;
				}
				if (m == sizeof theme_attrs /
				    sizeof theme_attrs[0])
					diag_add(diag, DIAG_ERROR, file,
					    a->line, a->col, "unknown "
					    "attribute (bold, dim, underline, "
					    "reverse, italic, blink)");
				else
					st->attrs |= theme_attrs[m].flag;
			}
		} else
			diag_add(diag, DIAG_ERROR, file, k->line, k->col,
			    "unknown key '%s' in style (fg, bg, attrs)",
			    k->value);
	}
}

/*
 * Whether a looks like banner b: the same colours in a colour theme, the
 * same attributes too where both have no colour.
 */
static int
theme_same(const struct theme_style *a, const struct theme_style *b)
{
	if (a->fg != b->fg || a->bg != b->bg)
		return (0);
	if (b->fg == THEME_DEFAULT_COLOR && b->bg == THEME_DEFAULT_COLOR)
		return (a->attrs == b->attrs);
	return (1);
}

/* Decode a theme over base (NULL: all default colours). */
static struct theme *
theme_decode(const char *file, const void *buf, size_t len,
    const struct theme *base, struct diag *diag)
{
	struct ytree		 tree;
	struct theme		*t;
	const struct ynode	*root, *k, *v, *els;
	size_t			 i, before = diag->nerrors;
	int			 e, other;

	if (ytree_load(&tree, file, buf, len, NULL, diag) != 0) {
		ytree_free(&tree);
		return (NULL);
	}
	root = tree.root;
	t = xcalloc(1, sizeof *t);
	for (e = 0; e < TE_COUNT; e++) {
		if (base != NULL)
			t->s[e] = base->s[e];
		else
			t->s[e].fg = t->s[e].bg = THEME_DEFAULT_COLOR;
	}
	if (root->type != YNODE_MAP) {
		diag_add(diag, DIAG_ERROR, file, root->line, root->col,
		    "a theme is a mapping with 'format' and 'elements'");
		goto out;
	}
	for (i = 0; i < YNODE_PAIRS(root); i++) {
		k = YNODE_KEY(root, i);
		v = YNODE_VAL(root, i);
		if (strcmp(k->value, "format") == 0) {
			if (v->type != YNODE_SCALAR ||
			    strcmp(v->value, "rbnav-theme/v1") != 0)
				diag_add(diag, DIAG_ERROR, file, v->line,
				    v->col, "format must be 'rbnav-theme/v1'");
		} else if (strcmp(k->value, "name") == 0 &&
		    v->type == YNODE_SCALAR) {
			free(t->name);
			t->name = xstrdup(v->value);
		} else if (strcmp(k->value, "description") == 0) {
			/* free text */
		} else if (strcmp(k->value, "elements") != 0)
			diag_add(diag, DIAG_ERROR, file, k->line, k->col,
			    "unknown key '%s' in theme (format, name, "
			    "description, elements)", k->value);
	}
	if (ynode_get(root, "format") == NULL)
		diag_add(diag, DIAG_ERROR, file, root->line, root->col,
		    "missing required key 'format' in theme");
	els = ynode_get(root, "elements");
	if (els != NULL && els->type != YNODE_MAP)
		diag_add(diag, DIAG_ERROR, file, els->line, els->col,
		    "'elements' must be a mapping of element to style");
	else if (els != NULL) {
		for (i = 0; i < YNODE_PAIRS(els); i++) {
			k = YNODE_KEY(els, i);
			for (e = 0; e < TE_COUNT; e++) {
				if (strcmp(k->value, theme_elems[e].name) == 0)
					break;
			}
			if (e == TE_COUNT) {
				diag_add(diag, DIAG_ERROR, file, k->line,
				    k->col, "unknown element '%s'", k->value);
				continue;
			}
			theme_style(file, YNODE_VAL(els, i), &t->s[e], diag);
		}
	}
	/* The banners must be unmistakable. */
	for (e = 0; e < TE_COUNT; e++) {
		for (other = TE_LIVE; other <= TE_DRILL; other++) {
			if (e != other && theme_same(&t->s[e], &t->s[other]))
				diag_add(diag, DIAG_ERROR, file,
				    els ? els->line : 1, els ? els->col : 1,
				    "element '%s' has the colours of the %s "
				    "banner, which no other element may use", theme_elems[e].name,
				    theme_elems[other].name);
		}
	}
	t->mono = 1;
	for (e = 0; e < TE_COUNT; e++) {
		if (t->s[e].fg != THEME_DEFAULT_COLOR ||
		    t->s[e].bg != THEME_DEFAULT_COLOR)
			t->mono = 0;
	}
	if (t->name == NULL)
		t->name = xstrdup(file);
out:
	ytree_free(&tree);
	if (diag->nerrors != before) {
		theme_free(t);
		return (NULL);
	}
	return (t);
}

/* The compiled-in default theme (themes/default.yaml). */
struct theme *
theme_default(void)
{
	struct diag	 diag;
	struct theme	*t;

	diag_init(&diag);
	t = theme_decode("themes/default.yaml", theme_default_yaml,
	    strlen(theme_default_yaml), NULL, &diag);
	if (t == NULL)
		fatalx("the built-in theme does not load: %s",
		    diag.n ? diag.items[0].msg : "?");
	diag_free(&diag);
	return (t);
}

/* A theme from a buffer, over the default theme. */
struct theme *
theme_load_buffer(const char *file, const void *buf, size_t len,
    struct diag *diag)
{
	struct theme	*base, *t;

	base = theme_default();
	t = theme_decode(file, buf, len, base, diag);
	theme_free(base);
	return (t);
}

/*
 * A theme by file path (when it contains a '/' or ends in .yaml) or by
 * name, looked up as NAME.yaml in dirs.  NULL with problems in diag.
 */
struct theme *
theme_load(const char *what, char **dirs, size_t ndirs, struct diag *diag)
{
	FILE		*f;
	char		*path = NULL, *buf;
	size_t		 i, len, cap;
	struct theme	*t;

	if (strcmp(what, "default") == 0)
		return (theme_default());
	if (strcmp(what, "mono") == 0)
		return (theme_mono(NULL));
	if (strchr(what, '/') != NULL || (strlen(what) > 5 &&
	    strcmp(what + strlen(what) - 5, ".yaml") == 0))
		path = xstrdup(what);
	else {
		for (i = 0; i < ndirs && path == NULL; i++) {
			path = xprintf("%s/%s.yaml", dirs[i], what);
			if (access(path, R_OK) != 0) {
				free(path);
				path = NULL;
			}
		}
		if (path == NULL) {
			diag_add(diag, DIAG_ERROR, what, 0, 0, "no theme of "
			    "that name (default, light, high-contrast, mono "
			    "or a file)");
			return (NULL);
		}
	}
	if ((f = fopen(path, "r")) == NULL) {
		diag_add(diag, DIAG_ERROR, path, 0, 0, "cannot open");
		free(path);
		return (NULL);
	}
	cap = 4096;
	buf = xmalloc(cap);
	len = 0;
	while ((i = fread(buf + len, 1, cap - len, f)) > 0) {
		len += i;
		if (len == cap) {
			if (cap >= 1024 * 1024)
				break;
			cap *= 2;
			buf = xrealloc(buf, cap);
		}
	}
	fclose(f);
	t = theme_load_buffer(path, buf, len, diag);
	free(buf);
	free(path);
	return (t);
}

/* A copy of t without colours, for NO_COLOR and --no-color. */
struct theme *
theme_mono(const struct theme *t)
{
	struct diag	 diag;
	struct theme	*m;

	(void)t;
	diag_init(&diag);
	m = theme_decode("themes/mono.yaml", theme_mono_yaml,
	    strlen(theme_mono_yaml), NULL, &diag);
	if (m == NULL)
		fatalx("the built-in mono theme does not load: %s",
		    diag.n ? diag.items[0].msg : "?");
	diag_free(&diag);
	return (m);
}

void
theme_free(struct theme *t)
{
	if (t == NULL)
		return;
	free(t->name);
	free(t);
}
