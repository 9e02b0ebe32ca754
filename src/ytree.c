/*
 * YAML documents as trees of located nodes.
 *
 * libyaml's event parser feeds a small stack machine that builds the tree.
 * Every node remembers where it starts, so that the runbook loader can
 * place each problem at file:line:col.  The loader's limits live here,
 * because only here can they be enforced while parsing instead of after:
 * file size, nesting depth, scalar length, node count and the alias budget
 * (an alias shares the anchored node, and costs that node's whole weight,
 * so a "billion laughs" file is refused after a bounded amount of work).
 *
 * All nodes and strings of one tree live in one arena, freed at once.
 * Nothing here knows what a runbook is.
 */

#include <search.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <yaml.h>

#include "xmalloc.h"
#include "ycache.h"
#include "ytree.h"

#define YARENA_CHUNK	(64 * 1024)

struct yarena_chunk {
	struct yarena_chunk	*next;
	size_t			 used;
	size_t			 size;
	unsigned char		 data[];
};

struct yarena {
	struct yarena_chunk	*head;
};

struct yframe {
	struct ynode	 *node;
	struct ynode	**items;
	size_t		  n;
	size_t		  cap;
	char		 *anchor;	/* malloc'd; NULL when none */
};

struct yanchor {
	const char	*name;
	struct ynode	*node;
};

struct yload {
	struct ytree			*tree;
	const struct ytree_limits	*lim;
	struct diag			*diag;
	struct yframe			*stack;
	size_t				 depth;
	size_t				 cap;
	void				*anchors;	/* tsearch root */
	size_t				 nodes;
	size_t				 aliased;
	int				 failed;
};

/* Bump allocation from the tree's arena; memory is not cleared. */
static void *
yarena_alloc_raw(struct yarena *a, size_t size)
{
	struct yarena_chunk	*c = a->head;
	size_t			 want;
	void			*p;

	size = (size + 15) & ~(size_t)15;
	if (c == NULL || c->size - c->used < size) {
		want = size > YARENA_CHUNK ? size : YARENA_CHUNK;
		c = xmalloc(sizeof *c + want);
		c->next = a->head;
		c->used = 0;
		c->size = want;
		a->head = c;
	}
	p = c->data + c->used;
	c->used += size;
	return (p);
}

/* The same, zeroed. */
static void *
yarena_alloc(struct yarena *a, size_t size)
{
	return (memset(yarena_alloc_raw(a, size), 0, size));
}

static void
yarena_free(struct yarena *a)
{
	struct yarena_chunk	*c, *next;

	if (a == NULL)
		return;
	for (c = a->head; c != NULL; c = next) {
		next = c->next;
		free(c);
	}
	free(a);
}

void
ytree_limits_default(struct ytree_limits *lim)
{
	lim->max_file = 16 * 1024 * 1024;
	lim->max_depth = 64;
	lim->max_scalar = 1024 * 1024;
	lim->max_nodes = 1000000;
	lim->max_alias = 100000;
}

static int
yanchor_cmp(const void *a, const void *b)
{
	const struct yanchor	*x = a, *y = b;

	return (strcmp(x->name, y->name));
}

static void
yanchor_free(void *p)
{
	struct yanchor	*an = p;

	free((void *)(uintptr_t)an->name);
	free(an);
}

static void __attribute__((format(printf, 3, 4)))
yload_error(struct yload *l, const yaml_mark_t *m, const char *fmt, ...)
{
	va_list	 ap;
	char	*msg;

	va_start(ap, fmt);
	xvasprintf(&msg, fmt, ap);
	va_end(ap);
	diag_add(l->diag, DIAG_ERROR, l->tree->file, (int)m->line + 1,
	    (int)m->column + 1, "%s", msg);
	free(msg);
}

/* A new node at the event's start mark, counted against the limit. */
static struct ynode *
yload_node(struct yload *l, enum ynode_type type, const yaml_event_t *ev)
{
	struct ynode	*n;

	if (++l->nodes > l->lim->max_nodes) {
		yload_error(l, &ev->start_mark,
		    "more than %zu YAML nodes; the file is too large to be a "
		    "runbook", l->lim->max_nodes);
		l->failed = 1;
		return (NULL);
	}
	n = yarena_alloc(l->tree->arena, sizeof *n);
	n->type = type;
	n->line = (int)ev->start_mark.line + 1;
	n->col = (int)ev->start_mark.column + 1;
	n->start = ev->start_mark.index;
	n->end = ev->end_mark.index;
	n->weight = 1;
	return (n);
}

/* Hang a finished node under the open collection, or make it the root. */
static void
yload_attach(struct yload *l, struct ynode *n)
{
	struct yframe	*f;

	if (l->depth == 0) {
		l->tree->root = n;
		return;
	}
	f = &l->stack[l->depth - 1];
	if (f->n == f->cap) {
		f->cap = f->cap ? f->cap * 2 : 8;
		f->items = xreallocarray(f->items, f->cap, sizeof *f->items);
	}
	f->items[f->n++] = n;
}

static void
yload_anchor(struct yload *l, const char *name, struct ynode *n)
{
	struct yanchor	 key, *an, **found;

	key.name = name;
	found = tfind(&key, &l->anchors, yanchor_cmp);
	if (found != NULL) {
		(*found)->node = n;	/* YAML lets a later anchor win */
		return;
	}
	an = xmalloc(sizeof *an);
	an->name = xstrdup(name);
	an->node = n;
	tsearch(an, &l->anchors, yanchor_cmp);
}

static int
ykey_cmp(const void *a, const void *b)
{
	const struct ynode	*x = *(struct ynode *const *)a;
	const struct ynode	*y = *(struct ynode *const *)b;
	int			 c;

	if (x->len != y->len)
		return (x->len < y->len ? -1 : 1);
	if ((c = memcmp(x->value, y->value, x->len)) != 0)
		return (c);
	if (x->line != y->line)
		return (x->line < y->line ? -1 : 1);
	return (x->col < y->col ? -1 : x->col > y->col);
}

/*
 * Keys must be scalars and appear once: report every offender and take it
 * out, with its value, so that a reader of the tree meets each key once,
 * as a string (the first of a repeated key stays).
 */
static void
yload_check_keys(struct yload *l, struct ynode *m)
{
	struct ynode	**keys, *k;
	size_t		  i, n = 0, first, kept;

	keys = xreallocarray(NULL, m->n / 2 + 1, sizeof *keys);
	for (i = 0; i + 1 < m->n; i += 2) {
		if (m->items[i]->type != YNODE_SCALAR) {
			diag_add(l->diag, DIAG_ERROR, l->tree->file,
			    m->items[i]->line, m->items[i]->col,
			    "a mapping key must be a plain string");
			continue;
		}
		keys[n++] = m->items[i];
	}
	qsort(keys, n, sizeof *keys, ykey_cmp);
	for (i = 1, first = 0; i < n; i++) {
		if (keys[i]->len != keys[first]->len ||
		    memcmp(keys[i]->value, keys[first]->value,
		    keys[i]->len) != 0) {
			first = i;
			continue;
		}
		diag_add(l->diag, DIAG_ERROR, l->tree->file, keys[i]->line,
		    keys[i]->col, "duplicate key '%s' (first at %d:%d)",
		    keys[i]->value, keys[first]->line, keys[first]->col);
		keys[i]->serial = 1;	/* marked for removal, just below */
	}
	for (i = kept = 0; i + 1 < m->n; i += 2) {
		k = m->items[i];
		if (k->type != YNODE_SCALAR || k->serial)
			continue;
		m->items[kept++] = k;
		m->items[kept++] = m->items[i + 1];
	}
	m->n = kept;
	for (i = 0; i < n; i++)
		keys[i]->serial = 0;
	free(keys);
}

static void
yload_push(struct yload *l, struct ynode *n, const char *anchor)
{
	struct yframe	*f;

	if (l->depth == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 16;
		l->stack = xreallocarray(l->stack, l->cap, sizeof *l->stack);
	}
	f = &l->stack[l->depth++];
	memset(f, 0, sizeof *f);
	f->node = n;
	if (anchor != NULL)
		f->anchor = xstrdup(anchor);
}

/* Close the innermost collection: move its items into the arena. */
static void
yload_pop(struct yload *l)
{
	struct yframe	*f = &l->stack[l->depth - 1];
	struct ynode	*n = f->node;
	size_t		 i;

	n->n = f->n;
	if (f->n > 0) {
		n->items = yarena_alloc(l->tree->arena,
		    f->n * sizeof *n->items);
		memcpy(n->items, f->items, f->n * sizeof *n->items);
	}
	for (i = 0; i < f->n; i++)
		n->weight += f->items[i]->weight;
	if (n->type == YNODE_MAP) {
		if (n->n % 2 != 0)
			n->n--;		/* cannot happen with libyaml */
		yload_check_keys(l, n);
	}
	free(f->items);
	l->depth--;
	if (f->anchor != NULL) {
		yload_anchor(l, f->anchor, n);
		free(f->anchor);
	}
	yload_attach(l, n);
}

static enum ynode_style
yload_scalar_style(yaml_scalar_style_t s)
{
	switch (s) {
	case YAML_SINGLE_QUOTED_SCALAR_STYLE:
		return (YSTYLE_SINGLE);
	case YAML_DOUBLE_QUOTED_SCALAR_STYLE:
		return (YSTYLE_DOUBLE);
	case YAML_LITERAL_SCALAR_STYLE:
		return (YSTYLE_LITERAL);
	case YAML_FOLDED_SCALAR_STYLE:
		return (YSTYLE_FOLDED);
	default:
		return (YSTYLE_PLAIN);
	}
}

static void
yload_alias(struct yload *l, const yaml_event_t *ev)
{
	const char	*name = (const char *)ev->data.alias.anchor;
	struct yanchor	 key, **found;
	size_t		 i;

	for (i = 0; i < l->depth; i++) {
		if (l->stack[i].anchor != NULL &&
		    strcmp(l->stack[i].anchor, name) == 0) {
			yload_error(l, &ev->start_mark,
			    "alias '*%s' refers to itself", name);
			l->failed = 1;
			return;
		}
	}
	key.name = name;
	found = tfind(&key, &l->anchors, yanchor_cmp);
	if (found == NULL) {
		yload_error(l, &ev->start_mark, "unknown alias '*%s'", name);
		l->failed = 1;
		return;
	}
	l->aliased += (*found)->node->weight;
	if (l->aliased > l->lim->max_alias) {
		yload_error(l, &ev->start_mark,
		    "alias '*%s' expands beyond the alias budget "
		    "(100,000 nodes)", name);
		l->failed = 1;
		return;
	}
	yload_attach(l, (*found)->node);
}

/* One event; sets l->failed to stop the parse. */
static void
yload_event(struct yload *l, yaml_event_t *ev)
{
	struct ynode	*n;
	const char	*anchor = NULL;

	switch (ev->type) {
	case YAML_SCALAR_EVENT:
		if (ev->data.scalar.length > l->lim->max_scalar) {
			yload_error(l, &ev->start_mark,
			    "scalar is longer than %zu bytes",
			    l->lim->max_scalar);
			l->failed = 1;
			return;
		}
		if (memchr(ev->data.scalar.value, '\0',
		    ev->data.scalar.length) != NULL) {
			yload_error(l, &ev->start_mark, "%s", "a NUL character "
			    "in a string: no text here may hold one");
			l->failed = 1;
			return;
		}
		if ((n = yload_node(l, YNODE_SCALAR, ev)) == NULL)
			return;
		n->style = yload_scalar_style(ev->data.scalar.style);
		n->len = ev->data.scalar.length;
		n->value = yarena_alloc(l->tree->arena, n->len + 1);
		memcpy(n->value, ev->data.scalar.value, n->len);
		n->tagged = ev->data.scalar.tag != NULL;
		if (ev->data.scalar.anchor != NULL)
			yload_anchor(l, (char *)ev->data.scalar.anchor, n);
		yload_attach(l, n);
		break;
	case YAML_SEQUENCE_START_EVENT:
	case YAML_MAPPING_START_EVENT:
		if (l->depth >= (size_t)l->lim->max_depth) {
			yload_error(l, &ev->start_mark,
			    "nesting is deeper than %d levels",
			    l->lim->max_depth);
			l->failed = 1;
			return;
		}
		if (ev->type == YAML_SEQUENCE_START_EVENT) {
			if ((n = yload_node(l, YNODE_SEQ, ev)) == NULL)
				return;
			anchor = (const char *)ev->data.sequence_start.anchor;
			n->tagged = ev->data.sequence_start.tag != NULL;
			if (ev->data.sequence_start.style ==
			    YAML_FLOW_SEQUENCE_STYLE)
				n->style = YSTYLE_FLOW;
		} else {
			if ((n = yload_node(l, YNODE_MAP, ev)) == NULL)
				return;
			anchor = (const char *)ev->data.mapping_start.anchor;
			n->tagged = ev->data.mapping_start.tag != NULL;
			if (ev->data.mapping_start.style ==
			    YAML_FLOW_MAPPING_STYLE)
				n->style = YSTYLE_FLOW;
		}
		yload_push(l, n, anchor);
		break;
	case YAML_SEQUENCE_END_EVENT:
	case YAML_MAPPING_END_EVENT:
		if (l->depth > 0)
			yload_pop(l);
		break;
	case YAML_ALIAS_EVENT:
		yload_alias(l, ev);
		break;
	default:
		break;
	}
}

/*
 * The line and column of byte off: libyaml's reader errors give only an
 * offset.  Columns count characters, as libyaml's marks do.
 */
static void
ytree_offset_mark(const char *buf, size_t len, size_t off, yaml_mark_t *m)
{
	size_t	i;

	m->line = 0;
	m->column = 0;
	m->index = off;
	for (i = 0; i < off && i < len; i++) {
		if (buf[i] == '\n') {
			m->line++;
			m->column = 0;
		} else if (((unsigned char)buf[i] & 0xc0) != 0x80)
			m->column++;
	}
}

/*
 * Parse buf (len bytes, named file in messages) into tree.  Every problem
 * goes to diag.  Returns 0 with tree->root set, or -1; in both cases the
 * caller calls ytree_free.
 */
int
ytree_load(struct ytree *tree, const char *file, const void *buf, size_t len,
    const struct ytree_limits *lim, struct diag *diag)
{
	struct ytree_limits	 deflim;
	struct yload		 l;
	yaml_parser_t		 parser;
	yaml_event_t		 ev;
	int			 docs = 0, done = 0, cache = 0;
	size_t			 problems = diag->nerrors + diag->nwarnings;

	if (lim == NULL && ycache_lookup(tree, file, buf, len) == 0)
		return (0);
	memset(tree, 0, sizeof *tree);
	tree->file = xstrdup(file);
	tree->arena = xcalloc(1, sizeof *tree->arena);
	if (lim == NULL) {
		ytree_limits_default(&deflim);
		lim = &deflim;
		cache = 1;
	}
	if (len > lim->max_file) {
		diag_add(diag, DIAG_ERROR, file, 1, 1,
		    "file is larger than %zu MiB", lim->max_file >> 20);
		return (-1);
	}
	if (memchr(buf, '\0', len) != NULL) {
		const char	*p = buf, *z = memchr(buf, '\0', len);
		int		 line = 1, col = 1;

		for (; p < z; p++) {
			if (*p == '\n') {
				line++;
				col = 1;
			} else if (((unsigned char)*p & 0xc0) != 0x80)
				col++;
		}
		diag_add(diag, DIAG_ERROR, file, line, col,
		    "NUL byte in file: a runbook is UTF-8 text");
		return (-1);
	}

	memset(&l, 0, sizeof l);
	l.tree = tree;
	l.lim = lim;
	l.diag = diag;

	if (!yaml_parser_initialize(&parser))
		fatalx("yaml_parser_initialize failed");
	yaml_parser_set_input_string(&parser, buf, len);
	while (!done && !l.failed) {
		if (!yaml_parser_parse(&parser, &ev)) {
			yaml_mark_t	m = parser.problem_mark;
			char		*msg;

			if (parser.error == YAML_READER_ERROR)
				ytree_offset_mark(buf, len,
				    parser.problem_offset, &m);

			if (parser.context != NULL)
				msg = xprintf("YAML: %s %s",
				    parser.problem ? parser.problem : "error",
				    parser.context);
			else
				msg = xprintf("YAML: %s",
				    parser.problem ? parser.problem : "error");
			yload_error(&l, &m, "%s", msg);
			free(msg);
			l.failed = 1;
			break;
		}
		if (ev.type == YAML_DOCUMENT_START_EVENT && ++docs > 1) {
			yload_error(&l, &ev.start_mark,
			    "%s", "only one YAML document per file");
			l.failed = 1;
		} else if (ev.type == YAML_STREAM_END_EVENT)
			done = 1;
		else
			yload_event(&l, &ev);
		yaml_event_delete(&ev);
	}
	yaml_parser_delete(&parser);

	while (l.depth > 0) {
		free(l.stack[l.depth - 1].items);
		free(l.stack[l.depth - 1].anchor);
		l.depth--;
	}
	free(l.stack);
	tdestroy(l.anchors, yanchor_free);

	if (l.failed) {
		tree->root = NULL;
		return (-1);
	}
	if (tree->root == NULL) {
		diag_add(diag, DIAG_ERROR, file, 1, 1,
		    "empty file: expected a mapping with 'format'");
		return (-1);
	}
	if (cache && diag->nerrors + diag->nwarnings == problems)
		ycache_store(file, buf, len, tree);
	return (0);
}

/*
 * A tree as bytes, for the tree cache (ycache.c), and back.  The nodes
 * are written children first, each once even when aliases share it, so
 * every reference points back to a node already read: what is read
 * back is a tree or a DAG, never a cycle.  Numbers are in the machine's
 * own byte order; the cache is never carried to another machine.
 *
 *	u32 nodes, then each node: a struct ysaved, then for a scalar
 *	its bytes, for a collection its items as u32 node numbers
 */

struct ysaved {
	uint64_t	start;
	uint64_t	end;
	uint64_t	len;		/* scalar bytes, or items */
	uint32_t	line;
	uint32_t	col;
	uint8_t		type;
	uint8_t		style;
	uint8_t		tagged;
	uint8_t		zero[5];
};

void
ybuf_add(struct ybuf *b, const void *p, size_t len)
{
	if (len == 0)
		return;
	if (b->cap - b->len < len) {
		while (b->cap - b->len < len)
			b->cap = b->cap ? b->cap * 2 : 4096;
		b->p = xrealloc(b->p, b->cap);
	}
	memcpy(b->p + b->len, p, len);
	b->len += len;
}

/* Number the nodes under n children first and write them; -1 if too deep. */
static int
ytree_save_node(struct ynode *n, struct ybuf *b, unsigned int *count,
    int height)
{
	struct ysaved	h;
	uint32_t	ref;
	size_t		i;

	if (n->serial != 0)
		return (0);
	if (height >= YTREE_SAVE_HEIGHT)
		return (-1);
	for (i = 0; i < n->n; i++) {
		if (ytree_save_node(n->items[i], b, count, height + 1) != 0)
			return (-1);
	}
	n->serial = ++*count;
	memset(&h, 0, sizeof h);
	h.start = n->start;
	h.end = n->end;
	h.len = n->type == YNODE_SCALAR ? n->len : n->n;
	h.line = (uint32_t)n->line;
	h.col = (uint32_t)n->col;
	h.type = (uint8_t)n->type;
	h.style = (uint8_t)n->style;
	h.tagged = n->tagged != 0;
	ybuf_add(b, &h, sizeof h);
	if (n->type == YNODE_SCALAR)
		ybuf_add(b, n->value, n->len);
	else {
		for (i = 0; i < n->n; i++) {
			ref = n->items[i]->serial - 1;
			ybuf_add(b, &ref, sizeof ref);
		}
	}
	return (0);
}

/* Clear the numbers, also after a save that stopped half-way. */
static void
ytree_unnumber(struct ynode *n)
{
	size_t	i;

	n->serial = 0;
	for (i = 0; i < n->n; i++)
		ytree_unnumber(n->items[i]);
}

/*
 * Append the loaded tree to b.  Returns -1, with b as it was, for a tree
 * nested deeper than a runbook ever is (through aliases).
 */
int
ytree_save(struct ytree *tree, struct ybuf *b)
{
	unsigned int	count = 0;
	size_t		mark = b->len;
	uint32_t	n32;
	int		rc;

	if (tree->root == NULL)
		return (-1);
	n32 = 0;
	ybuf_add(b, &n32, sizeof n32);
	rc = ytree_save_node(tree->root, b, &count, 0);
	ytree_unnumber(tree->root);
	if (rc != 0) {
		b->len = mark;
		return (-1);
	}
	n32 = count;
	memcpy(b->p + mark, &n32, sizeof n32);
	return (0);
}

struct yrd {
	const unsigned char	*p;
	size_t			 left;
};

static int
yrd_take(struct yrd *r, void *out, size_t len)
{
	if (r->left < len)
		return (-1);
	memcpy(out, r->p, len);
	r->p += len;
	r->left -= len;
	return (0);
}

/* Whether a mapping of string keys has one twice. */
static int
ymap_has_dup(const struct ynode *m)
{
	struct ynode	**keys;
	size_t		  i, n = m->n / 2;
	int		  dup = 0;

	if (n < 2)
		return (0);
	if (n <= 16) {
		/* A runbook's mappings are small: no sorting. */
		for (i = 1; i < n; i++) {
			const struct ynode	*a = m->items[2 * i];
			size_t			 k;

			for (k = 0; k < i; k++) {
				const struct ynode	*b = m->items[2 * k];

				if (a->len == b->len &&
				    a->value[0] == b->value[0] &&
				    memcmp(a->value, b->value, a->len) == 0)
					return (1);
			}
		}
		return (0);
	}
	keys = xreallocarray(NULL, n, sizeof *keys);
	for (i = 0; i < n; i++)
		keys[i] = m->items[2 * i];
	qsort(keys, n, sizeof *keys, ykey_cmp);
	for (i = 1; i < n && !dup; i++) {
		dup = keys[i]->len == keys[i - 1]->len &&
		    memcmp(keys[i]->value, keys[i - 1]->value,
		    keys[i]->len) == 0;
	}
	free(keys);
	return (dup);
}

/*
 * Read back a tree that ytree_save wrote for a file of srclen bytes.
 * The bytes may be anything: everything is checked, and a tree read
 * back keeps the promises ytree_load makes of a tree loaded without a
 * problem (limits, terminated scalars without NUL, string keys, each
 * once, offsets inside the file).  Returns 0, or -1;
 * in both cases the caller calls ytree_free.
 */
int
ytree_restore(struct ytree *tree, const char *file, const void *buf,
    size_t len, size_t srclen)
{
	struct ytree_limits	  lim;
	struct yrd		  r = { buf, len };
	struct ynode		**nodes = NULL, *n;
	unsigned char		 *height = NULL;
	struct ysaved		  h;
	uint32_t		  count, ref;
	size_t			  i, k, w;
	int			  style_ok;

	memset(tree, 0, sizeof *tree);
	tree->file = xstrdup(file);
	tree->arena = xcalloc(1, sizeof *tree->arena);
	ytree_limits_default(&lim);
	if (yrd_take(&r, &count, sizeof count) != 0 || count == 0 ||
	    count > lim.max_nodes || count > r.left / sizeof h)
		return (-1);
	nodes = xreallocarray(NULL, count, sizeof *nodes);
	height = xmalloc(count);
	for (i = 0; i < count; i++) {
		if (yrd_take(&r, &h, sizeof h) != 0)
			goto bad;
		if (h.type == YNODE_SCALAR)
			style_ok = h.style <= YSTYLE_FOLDED;
		else
			style_ok = h.style == YSTYLE_PLAIN ||
			    h.style == YSTYLE_FLOW;
		/* A position is inside the file: line and column too. */
		if (h.type > YNODE_MAP || !style_ok || h.tagged > 1 ||
		    h.line == 0 || h.col == 0 || h.line > srclen + 1 ||
		    h.col > srclen + 1 || h.start > h.end || h.end > srclen ||
		    memcmp(h.zero, "\0\0\0\0\0", sizeof h.zero) != 0)
			goto bad;
		n = yarena_alloc(tree->arena, sizeof *n);
		n->type = h.type;
		n->style = h.style;
		n->tagged = h.tagged;
		n->line = (int)h.line;
		n->col = (int)h.col;
		n->start = h.start;
		n->end = h.end;
		n->weight = 1;
		height[i] = 1;
		if (n->type == YNODE_SCALAR) {
			if (h.len > lim.max_scalar || h.len > r.left ||
			    memchr(r.p, '\0', h.len) != NULL)
				goto bad;
			n->len = h.len;
			n->value = yarena_alloc_raw(tree->arena, n->len + 1);
			if (yrd_take(&r, n->value, n->len) != 0)
				goto bad;	/* cannot be: checked above */
			n->value[n->len] = '\0';
		} else {
			if (h.len > r.left / sizeof ref ||
			    (n->type == YNODE_MAP && h.len % 2 != 0))
				goto bad;
			n->n = h.len;
			if (n->n > 0)
				n->items = yarena_alloc_raw(tree->arena,
				    n->n * sizeof *n->items);
			for (k = 0; k < n->n; k++) {
				if (yrd_take(&r, &ref, sizeof ref) != 0 ||
				    ref >= i)
					goto bad;
				n->items[k] = nodes[ref];
				if (n->type == YNODE_MAP && k % 2 == 0 &&
				    nodes[ref]->type != YNODE_SCALAR)
					goto bad;
				w = n->weight + nodes[ref]->weight;
				n->weight = w < n->weight ? SIZE_MAX : w;
				if (height[ref] >= height[i])
					height[i] = height[ref] + 1;
			}
			/* No deeper than ytree_save writes. */
			if (height[i] > YTREE_SAVE_HEIGHT)
				goto bad;
			if (n->type == YNODE_MAP && ymap_has_dup(n))
				goto bad;
		}
		nodes[i] = n;
	}
	/* As ytree_load counts: every node once, and each alias's weight. */
	if (r.left != 0 || nodes[count - 1]->weight > count + lim.max_alias)
		goto bad;
	tree->root = nodes[count - 1];
	free(nodes);
	free(height);
	return (0);
bad:
	free(nodes);
	free(height);
	return (-1);
}

void
ytree_free(struct ytree *tree)
{
	if (tree == NULL)
		return;
	yarena_free(tree->arena);
	free(tree->file);
	memset(tree, 0, sizeof *tree);
}

/*
 * Whether two trees are the same in every field a loader reads (a shared
 * node is compared as often as it is reached); for the cache's tests and
 * its fuzz target.
 */
int
ynode_same(const struct ynode *a, const struct ynode *b)
{
	size_t	i;

	if (a->type != b->type || a->style != b->style ||
	    a->line != b->line || a->col != b->col || a->len != b->len ||
	    a->n != b->n || a->weight != b->weight ||
	    (a->tagged != 0) != (b->tagged != 0) ||
	    a->start != b->start || a->end != b->end)
		return (0);
	if (a->type == YNODE_SCALAR)
		return (memcmp(a->value, b->value, a->len + 1) == 0);
	for (i = 0; i < a->n; i++) {
		if (!ynode_same(a->items[i], b->items[i]))
			return (0);
	}
	return (1);
}

/*
 * Whether the tree under n keeps the promises of a tree loaded without a
 * problem from a file of srclen bytes: terminated strings without NUL,
 * string keys each once, positions inside the file, at most depth levels.
 * For the cache's tests and its fuzz target.
 */
int
ynode_check(const struct ynode *n, size_t srclen, int depth)
{
	size_t	i;

	if (depth <= 0 || n->line < 1 || n->col < 1 ||
	    (size_t)n->line > srclen + 1 || (size_t)n->col > srclen + 1 ||
	    n->start > n->end || n->end > srclen)
		return (0);
	if (n->type == YNODE_SCALAR)
		return (n->value != NULL && n->style <= YSTYLE_FOLDED &&
		    n->value[n->len] == '\0' && strlen(n->value) == n->len);
	if (n->type != YNODE_SEQ && n->type != YNODE_MAP)
		return (0);
	if (n->type == YNODE_MAP && (n->n % 2 != 0 || ymap_has_dup(n)))
		return (0);
	for (i = 0; i < n->n; i++) {
		if (n->type == YNODE_MAP && i % 2 == 0 &&
		    n->items[i]->type != YNODE_SCALAR)
			return (0);
		if (!ynode_check(n->items[i], srclen, depth - 1))
			return (0);
	}
	return (1);
}

/* The value under key in a mapping, or NULL. */
const struct ynode *
ynode_get(const struct ynode *m, const char *key)
{
	size_t	i;

	if (m == NULL || m->type != YNODE_MAP)
		return (NULL);
	for (i = 0; i + 1 < m->n; i += 2) {
		if (m->items[i]->type == YNODE_SCALAR &&
		    m->items[i]->value[0] == key[0] &&
		    strcmp(m->items[i]->value, key) == 0)
			return (m->items[i + 1]);
	}
	return (NULL);
}

/* A plain empty scalar, "~" or "null": YAML's null. */
int
ynode_is_null(const struct ynode *n)
{
	if (n->type != YNODE_SCALAR || n->style != YSTYLE_PLAIN || n->tagged)
		return (0);
	return (n->len == 0 || strcmp(n->value, "~") == 0 ||
	    strcmp(n->value, "null") == 0 || strcmp(n->value, "Null") == 0 ||
	    strcmp(n->value, "NULL") == 0);
}
