/*
 * rbnav import: a Markdown runbook (like the seed document) into an
 * rbnav/v1 runbook, so that a team can start from what it has and refine
 * the result by hand.
 *
 * This module owns reading the Markdown, deciding what each part becomes
 * (title, systems, contacts, scenarios, steps, variables, danger) and
 * writing the YAML with libyaml's emitter.  It reads a buffer and returns
 * a buffer: no files, no terminal, no processes.  Every problem is added
 * to the caller's diag at its Markdown line; nothing in the source is
 * dropped without a trace: prose, list items and code are copied into
 * fields, and every line used as structure (headings, labels such as
 * "Symptoms:", table rows, the review date) is listed, with its line
 * number, in the comment header that says what came from where.
 *
 * The Markdown reader is a small line-oriented one, not CommonMark.  It
 * knows ATX headings (# to ######) and setext headings (=== or --- under
 * a text line); bullet (- * +) and ordered (1. 1)) list items, nested by
 * indentation only (a tab is 4 columns); fenced code blocks (``` and ~~~,
 * at any indentation, the first word of the info string is the language;
 * an unclosed fence runs to the end of the file); pipe tables with a
 * delimiter row, where \| escapes a pipe; thematic breaks.  Block quotes
 * are read as text without their '>'.  It does not know indented code
 * blocks, HTML blocks, link reference definitions, lists inside block
 * quotes, or lazy continuation beyond "a text line right after an item
 * belongs to it"; all of those are read as text lines, so they still end
 * up in the output as text.  Inline markup is reduced to its text: **,
 * ~~, `, paired single *, links become "text (url)".
 *
 * What becomes what: the first "#" heading is the title (and the id);
 * "Last reviewed: <date>" and "Owner: <who>" lines are fields; a table
 * with RTO or RPO columns is the systems, a table with role, phone or
 * email columns (or any table or "Role: ..." list under a contacts
 * heading) the contacts; the list under a post-incident heading is
 * post_incident.  A section whose outermost ordered list has items is an
 * incident scenario, one item a step (or, without one, the bullets after
 * a "Steps:" label, or child headings "Step N: ..."); a section with code
 * but no steps is a procedure, one step per code block.  "Symptoms:",
 * "When to use:" and "Prerequisites:" lists fill those keys; the
 * paragraph that opens a scenario is its 'when'.  Other prose is text of
 * the step it is under, or the description, with a warning when it had
 * no obvious place.
 *
 * In code, whole-line comments become text and the rest is run; <x>,
 * /path/to/x and YYYYMMDD become variables ({{x}}), only where the shell
 * would see one word (not "< file", not in here-documents; inside quotes
 * the quote is closed around the value).  danger comes from the
 * validator's own list (runbook_destructive), interactive from a table
 * of tools, "If X fails, ..." steps get a question before them whose
 * "yes" skips the whole run of fallbacks that follows.  These are
 * heuristics: the header asks the reader to check the result.
 *
 * Limits, each a located error: input size (IMPORT_MAX_INPUT), line
 * length (IMPORT_MAX_LINE), number of lines, and what the loader accepts
 * (16 MiB of YAML, 1 MiB per scalar, a million nodes), counted while the
 * document is read so that a huge one stops early.  Every scan is linear
 * in the input and arrays grow by doubling, so time and memory are
 * bounded by its size.
 */

#include <ctype.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <yaml.h>

#include "import.h"
#include "runbook.h"
#include "text.h"
#include "value.h"
#include "xmalloc.h"
#include "yemit.h"

#define IMPORT_MAX_LINES	(2 * 1024 * 1024)
/* The loader's limits. */
#define IMPORT_MAX_OUTPUT	(16 * 1024 * 1024)
#define IMPORT_MAX_SCALAR	(1024 * 1024)
#define IMPORT_MAX_NODES	1000000
/* Warnings listed in the header; printed (the rest are only counted). */
#define IMPORT_HEADER_WARNINGS	50
#define IMPORT_MAX_WARNINGS	500

#define NONE	((size_t)-1)
#define BAD_CP	0xfffd

/* Markers around a variable reference inside a run under construction. */
#define MK_START	'\001'
#define MK_ORIG		'\002'
#define MK_END		'\003'

/* A growing string, always terminated once it has memory. */
struct ibuf {
	char	*s;
	size_t	 len;
	size_t	 cap;
};

/* Lines of text with blank-line gaps between paragraphs. */
struct itext {
	struct ibuf	b;
	int		gap;
};

/* A string set with one number per entry (counters, indexes). */
struct iset_entry {
	char	*key;
	size_t	 val;
};

struct iset {
	struct iset_entry	*v;
	size_t			 cap;
	size_t			 n;
};

struct md_line {
	char	*s;
	size_t	 len;
};

enum md_kind {
	MD_HEADING,
	MD_ITEM,
	MD_TEXT,
	MD_CODE,
	MD_TABLE,
	MD_RULE
};

/* One block of the document; blank lines only set blank_before. */
struct md_block {
	enum md_kind	 kind;
	int		 line;		/* first line, 1-based */
	int		 last;		/* last line (code, table) */
	int		 indent;	/* columns before text or marker */
	int		 level;		/* heading level */
	int		 ordered;	/* item: 1. or 1) */
	int		 content;	/* item: column of its text */
	int		 blank_before;
	int		 closed;	/* code: the fence was closed */
	int		 done;		/* used by a pass */
	int		 step;		/* an item starting a step */
	int		 label;		/* in a label's list */
	int		 fold;		/* ... nested in the last */
	char		*text;		/* the text; code: its language */
};

struct md_section {
	size_t	 head;		/* heading block; NONE: preamble */
	size_t	 first;		/* content blocks [first, end) */
	size_t	 end;
	size_t	 parent;
	int	 level;
	int	 used;		/* taken by its parent as a step */
	char	*title;
};

struct imp_var {
	char	*key;		/* the placeholder as written */
	char	*name;
	char	*prompt;
	char	*pattern;
	int	 secret;
	int	 used;		/* referenced by a run */
};

struct imp_step {
	char		*id;
	char		*title;
	struct itext	 text;
	struct itext	 run;		/* with variable markers */
	char		*final;		/* run as written out */
	char		*open;
	char		*open_url;	/* from an "Open URL" line */
	char		*open_line;
	size_t		 open_at;	/* where that line was in text */
	int		 open_lno;	/* and its Markdown line */
	char		*danger;
	char		*ask;
	char		*labels[2];
	size_t		 gotos[2];	/* step indexes */
	int		 interactive;
	int		 optional;
	int		 line;
	int		 content;	/* column of the item's text */
	char		*fails;		/* "If X fails": X */
	int		 is_ask;
};

struct imp_scenario {
	char		*id;
	char		*title;
	int		 procedure;
	struct itext	 when;
	char		**symptoms;
	size_t		 nsymptoms;
	char		**prereqs;
	size_t		 nprereqs;
	struct imp_step	*steps;
	size_t		 nsteps;
	int		 line;
};

struct imp_system {
	char	*id;
	char	*name;
	int	 priority;
	char	*rto;
	char	*rpo;
	int	 line;
};

struct imp_contact {
	char	*f[5];		/* role, name, email, phone, chat */
	int	 line;
};

struct imp_mapent {
	int	 line;
	char	*dest;
};

struct imp_warning {
	int	 line;
	char	*msg;
};

struct imp {
	const char		*file;
	struct diag		*diag;
	int			 failed;
	int			 stop;		/* over a limit */
	size_t			 nodes;		/* estimated */

	char			*buf;		/* sanitised lines */
	struct md_line		*lines;
	size_t			 nlines;
	struct md_block		*blocks;
	size_t			 nblocks;
	struct md_section	*secs;
	size_t			 nsecs;

	char			*title;
	char			*id;
	char			*reviewed;
	char			*owner;
	struct itext		 desc;
	struct imp_system	*systems;
	size_t			 nsystems;
	struct imp_contact	*contacts;
	size_t			 ncontacts;
	char			**post;
	size_t			 npost;
	struct imp_var		*vars;
	size_t			 nvars;
	struct imp_scenario	*scs;
	size_t			 nscs;
	struct imp_mapent	*map;
	size_t			 nmap;
	struct imp_warning	*warnings;
	size_t			 nwarnings;
	size_t			 nhidden;	/* past the maximum */

	struct iset		 sc_ids;
	struct iset		 sys_ids;
	struct iset		 var_names;
	struct iset		 var_keys;
};

/* ------------------------------------------------------------------ */
/* Small helpers. */

/* Append len bytes of s, keeping the terminator. */
static void
ibuf_add(struct ibuf *b, const char *s, size_t len)
{
	if (b->len + len + 1 > b->cap) {
		b->cap = (b->len + len + 1) * 2;
		b->s = xrealloc(b->s, b->cap);
	}
	if (len > 0)
		memcpy(b->s + b->len, s, len);
	b->len += len;
	b->s[b->len] = '\0';
}

/* Append a string. */
static void
ibuf_str(struct ibuf *b, const char *s)
{
	ibuf_add(b, s, strlen(s));
}

/* Append one byte. */
static void
ibuf_ch(struct ibuf *b, char c)
{
	ibuf_add(b, &c, 1);
}

/* Free the text; the buffer is empty again. */
static void
ibuf_free(struct ibuf *b)
{
	free(b->s);
	memset(b, 0, sizeof *b);
}

/*
 * Room for item n (0-based) of an array that only grows by one item at a
 * time: the capacity doubles, so adding n items costs O(n) even where
 * realloc always copies.
 */
static void *
imp_grow(void *v, size_t n, size_t size)
{
	if (n == 0)
		return (xreallocarray(v, 1, size));
	if ((n & (n - 1)) == 0)
		return (xreallocarray(v, n * 2, size));
	return (v);
}

/* Add one line; trailing blanks go, a pending gap becomes a blank line. */
static void
itext_line(struct itext *t, const char *s)
{
	size_t	len = strlen(s);

	while (len > 0 && (s[len - 1] == ' ' || s[len - 1] == '\t'))
		len--;
	if (t->b.len > 0) {
		ibuf_ch(&t->b, '\n');
		if (t->gap)
			ibuf_ch(&t->b, '\n');
	}
	t->gap = 0;
	ibuf_add(&t->b, s, len);
}

/* A blank line before the next line, unless the text is still empty. */
static void
itext_gap(struct itext *t)
{
	if (t->b.len > 0)
		t->gap = 1;
}

/* The text so far, or NULL while there is none. */
static const char *
itext_get(const struct itext *t)
{
	return (t->b.len > 0 ? t->b.s : NULL);
}

/* A copy of len bytes of s without blanks around them. */
static char *
imp_trim(const char *s, size_t len)
{
	while (len > 0 && isspace((unsigned char)*s)) {
		s++;
		len--;
	}
	while (len > 0 && isspace((unsigned char)s[len - 1]))
		len--;
	return (xstrndup(s, len));
}

/* Whether s starts with prefix, ignoring case. */
static int
imp_prefix(const char *s, const char *prefix)
{
	return (strncasecmp(s, prefix, strlen(prefix)) == 0);
}

/* Case-insensitive search, bounded by the haystack. */
static const char *
imp_find(const char *s, const char *word)
{
	size_t	n = strlen(word);

	for (; *s != '\0'; s++) {
		if (strncasecmp(s, word, n) == 0)
			return (s);
	}
	return (NULL);
}

/* The contents of b, trimmed, as a new string; b is emptied. */
static char *
imp_trim_take(struct ibuf *b)
{
	char	*t = imp_trim(b->s, b->len);

	ibuf_free(b);
	return (t);
}

/* FNV-1a. */
static size_t
iset_hash(const char *s)
{
	uint64_t	h = 14695981039346656037ULL;

	while (*s != '\0') {
		h ^= (unsigned char)*s++;
		h *= 1099511628211ULL;
	}
	return ((size_t)h);
}

/* The entry of key, or NULL. */
static struct iset_entry *
iset_get(struct iset *set, const char *key)
{
	size_t	i;

	if (set->cap == 0)
		return (NULL);
	for (i = iset_hash(key) & (set->cap - 1); set->v[i].key != NULL;
	    i = (i + 1) & (set->cap - 1)) {
		if (strcmp(set->v[i].key, key) == 0)
			return (&set->v[i]);
	}
	return (NULL);
}

/* Add key (copied) with val; returns the entry (valid until next add). */
static struct iset_entry *
iset_add(struct iset *set, const char *key, size_t val)
{
	struct iset_entry	*old = set->v, *e;
	size_t			 oldcap = set->cap, i;

	if ((e = iset_get(set, key)) != NULL)
		return (e);
	if ((set->n + 1) * 2 > set->cap) {
		set->cap = set->cap == 0 ? 64 : set->cap * 2;
		set->v = xcalloc(set->cap, sizeof *set->v);
		set->n = 0;
		for (i = 0; i < oldcap; i++) {
			if (old[i].key == NULL)
				continue;
			e = &set->v[iset_hash(old[i].key) & (set->cap - 1)];
			while (e->key != NULL) {
				if (++e == set->v + set->cap)
					e = set->v;
			}
			*e = old[i];
			set->n++;
		}
		free(old);
	}
	for (i = iset_hash(key) & (set->cap - 1); set->v[i].key != NULL;
	    i = (i + 1) & (set->cap - 1))
		;
	set->v[i].key = xstrdup(key);
	set->v[i].val = val;
	set->n++;
	return (&set->v[i]);
}

/* Free every key and the table. */
static void
iset_free(struct iset *set)
{
	size_t	i;

	for (i = 0; i < set->cap; i++)
		free(set->v[i].key);
	free(set->v);
	memset(set, 0, sizeof *set);
}

/*
 * A name not yet in set, from base: base, then base<sep>2, base<sep>3...
 * The base's entry counts the suffixes tried, so many equal titles stay
 * linear.  Caller frees.
 */
static char *
imp_unique(struct iset *set, const char *base, const char *sep)
{
	struct iset_entry	*e;
	char			*cand;
	size_t			 n;

	if ((e = iset_get(set, base)) == NULL) {
		iset_add(set, base, 2);
		return (xstrdup(base));
	}
	for (;;) {
		n = e->val++;
		cand = xprintf("%s%s%zu", base, sep, n);
		if (iset_get(set, cand) == NULL)
			break;
		free(cand);
	}
	iset_add(set, cand, 2);
	return (cand);
}

/* A slug of s: [a-z0-9][a-z0-9-]*, at most max bytes; NULL if empty. */
static char *
imp_slug(const char *s, size_t max)
{
	char	*out = xmalloc(max + 1);
	size_t	 n = 0, cut;
	int	 dash = 0;

	for (; *s != '\0' && n < max; s++) {
		if (isalnum((unsigned char)*s) && (unsigned char)*s < 0x80) {
			if (dash && n > 0)
				out[n++] = '-';
			dash = 0;
			if (n < max)
				out[n++] = (char)tolower((unsigned char)*s);
		} else if ((unsigned char)*s < 0x80 || dash == 0)
			dash = 1;
	}
	if (*s != '\0') {
		/* Cut at a word boundary when one is near. */
		for (cut = n; cut > max / 2 && out[cut - 1] != '-'; cut--)
			;
		if (cut > max / 2)
			n = cut - 1;
	}
	while (n > 0 && out[n - 1] == '-')
		n--;
	if (n == 0) {
		free(out);
		return (NULL);
	}
	out[n] = '\0';
	return (out);
}

/* A variable name: [a-z_][a-z0-9_]*, at most 40 bytes. */
static char *
imp_varname(const char *s)
{
	char	*slug, *p, *name;

	if ((slug = imp_slug(s, 40)) == NULL)
		return (xstrdup("value"));
	for (p = slug; *p != '\0'; p++) {
		if (*p == '-')
			*p = '_';
	}
	if (isdigit((unsigned char)slug[0])) {
		name = xprintf("v_%s", slug);
		free(slug);
		return (name);
	}
	return (slug);
}

/* Add a problem at a Markdown line; warnings are also kept for the header. */
static void
imp_diag(struct imp *imp, enum diag_level level, int line, const char *fmt,
    va_list ap)
{
	struct imp_warning	*w;
	char			*msg;

	if (level == DIAG_WARNING && imp->nwarnings >= IMPORT_MAX_WARNINGS) {
		imp->nhidden++;
		return;
	}
	xvasprintf(&msg, fmt, ap);
	diag_add(imp->diag, level, imp->file, line, 0, "%s", msg);
	if (level == DIAG_ERROR) {
		imp->failed = 1;
		free(msg);
		return;
	}
	imp->warnings = imp_grow(imp->warnings, imp->nwarnings,
	    sizeof *imp->warnings);
	w = &imp->warnings[imp->nwarnings++];
	w->line = line;
	w->msg = msg;
}

/* A warning at a Markdown line. */
static void __attribute__((format(printf, 3, 4)))
imp_warn(struct imp *imp, int line, const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	imp_diag(imp, DIAG_WARNING, line, fmt, ap);
	va_end(ap);
}

/* An error at a Markdown line: the import fails. */
static void __attribute__((format(printf, 3, 4)))
imp_error(struct imp *imp, int line, const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	imp_diag(imp, DIAG_ERROR, line, fmt, ap);
	va_end(ap);
}

/*
 * Count n more YAML nodes against the loader's limit, so that a huge
 * document stops early instead of after building everything.  Returns
 * 0 (with one error) once the limit is passed.
 */
static int
imp_spend(struct imp *imp, size_t n, int line)
{
	if (imp->stop)
		return (0);
	imp->nodes += n;
	if (imp->nodes > IMPORT_MAX_NODES) {
		imp_error(imp, line, "more than %d YAML nodes: the runbook "
		    "would be too large to load", IMPORT_MAX_NODES);
		imp->stop = 1;
		return (0);
	}
	return (1);
}

/* Record that line became dest, for the header. */
static void __attribute__((format(printf, 3, 4)))
imp_map(struct imp *imp, int line, const char *fmt, ...)
{
	struct imp_mapent	*m;
	va_list			 ap;

	imp->map = imp_grow(imp->map, imp->nmap, sizeof *imp->map);
	m = &imp->map[imp->nmap++];
	m->line = line;
	va_start(ap, fmt);
	xvasprintf(&m->dest, fmt, ap);
	va_end(ap);
}

/* The text of a Markdown line (1-based), or "". */
static const char *
imp_line(const struct imp *imp, int line)
{
	if (line < 1 || (size_t)line > imp->nlines)
		return ("");
	return (imp->lines[line - 1].s);
}

/* ------------------------------------------------------------------ */
/* Inline markup. */

/* Whether s[i] can close a single-* emphasis. */
static int
md_closer(const char *s, size_t i, size_t len)
{
	return (s[i] == '*' && i > 0 && !isspace((unsigned char)s[i - 1]) &&
	    s[i - 1] != '*' && (i + 1 == len ||
	    (!isalnum((unsigned char)s[i + 1]) && s[i + 1] != '*')));
}

/*
 * The text of a line of Markdown prose: **, ~~ and backticks go, paired
 * single * go, [text](url) becomes "text (url)", <url> becomes url and
 * \x becomes x.  Every search moves forward only and remembers what it
 * found, so a line of any length takes linear time.  Caller frees.
 */
static char *
md_inline(const char *s)
{
	struct ibuf	 b = { NULL, 0, 0 };
	size_t		 len = strlen(s), i = 0, j, k;
	size_t		 closer = NONE, closer_from = NONE, skip = NONE;
	const char	*rb = NULL, *rp = NULL;
	const char	*rb_from = NULL, *rp_from = NULL;
	const char	*p;

	ibuf_add(&b, "", 0);
	while (i < len) {
		if (s[i] == '\\' && i + 1 < len &&
		    ispunct((unsigned char)s[i + 1])) {
			ibuf_ch(&b, s[i + 1]);
			i += 2;
			continue;
		}
		if (s[i] == '`') {
			i++;
			continue;
		}
		if ((s[i] == '*' && s[i + 1] == '*') ||
		    (s[i] == '~' && s[i + 1] == '~')) {
			i += 2;
			continue;
		}
		if (s[i] == '*') {
			if (i == skip) {
				skip = NONE;
				i++;
				continue;
			}
			if (skip == NONE && i + 1 < len &&
			    !isspace((unsigned char)s[i + 1]) &&
			    (i == 0 || isspace((unsigned char)s[i - 1]) ||
			    strchr("([{\"'", s[i - 1]) != NULL)) {
				/* The first closer at or after i + 2. */
				if (closer_from == NONE ||
				    closer_from > i + 2 ||
				    (closer != NONE && closer < i + 2)) {
					closer_from = i + 2;
					closer = NONE;
					for (j = i + 2; j < len; j++) {
						if (!md_closer(s, j, len))
							continue;
						closer = j;
						break;
					}
				}
				if (closer != NONE) {
					skip = closer;
					i++;
					continue;
				}
			}
			ibuf_ch(&b, '*');
			i++;
			continue;
		}
		if (s[i] == '[' || (s[i] == '!' && s[i + 1] == '[')) {
			j = s[i] == '!' ? i + 1 : i;
			if (rb_from == NULL || rb_from > s + j + 1 ||
			    (rb != NULL && rb < s + j + 1)) {
				rb_from = s + j + 1;
				rb = strchr(s + j + 1, ']');
			}
			if (rb != NULL && rb[1] == '(') {
				if (rp_from == NULL || rp_from > rb + 2 ||
				    (rp != NULL && rp < rb + 2)) {
					rp_from = rb + 2;
					rp = strchr(rb + 2, ')');
				}
				if (rp != NULL) {
					k = (size_t)(rb - s);
					if (k - j - 1 > 0) {
						ibuf_add(&b, s + j + 1,
						    k - j - 1);
						if ((size_t)(rp - rb - 2) !=
						    k - j - 1 || strncmp(s +
						    j + 1, rb + 2, k - j - 1)) {
							ibuf_str(&b, " (");
							ibuf_add(&b, rb + 2,
							    rp - rb - 2);
							ibuf_ch(&b, ')');
						}
					} else
						ibuf_add(&b, rb + 2,
						    rp - rb - 2);
					i = (size_t)(rp - s) + 1;
					continue;
				}
			}
		}
		if (s[i] == '<' && (strncmp(s + i + 1, "http://", 7) == 0 ||
		    strncmp(s + i + 1, "https://", 8) == 0 ||
		    strncmp(s + i + 1, "mailto:", 7) == 0)) {
			for (p = s + i + 1; *p != '\0' && *p != '>' &&
			    *p != '<' && !isspace((unsigned char)*p); p++)
				;
			if (*p == '>') {
				ibuf_add(&b, s + i + 1, p - (s + i + 1));
				i = (size_t)(p - s) + 1;
				continue;
			}
		}
		ibuf_ch(&b, s[i]);
		i++;
	}
	return (imp_trim_take(&b));
}

/* ------------------------------------------------------------------ */
/* The line reader. */

/*
 * Split buf into lines (LF, CRLF or CR) and make each valid for YAML:
 * invalid UTF-8, NUL and control characters become U+FFFD, with one
 * warning per line.  A byte order mark at the start is skipped.
 */
static int
md_split(struct imp *imp, const char *buf, size_t len)
{
	struct ibuf	 out = { NULL, 0, 0 };
	size_t		*offs = NULL, n, pos = 0, start, end, k;
	size_t		 nlines = 0, cap = 0;
	uint32_t	 cp;
	int		 bad;

	if (len >= 3 && memcmp(buf, "\xef\xbb\xbf", 3) == 0)
		pos = 3;
	out.cap = len + len / 8 + 16;
	out.s = xmalloc(out.cap);
	out.s[0] = '\0';
	while (pos < len) {
		start = pos;
		while (pos < len && buf[pos] != '\n' && buf[pos] != '\r')
			pos++;
		end = pos;
		if (pos < len && buf[pos] == '\r' && pos + 1 < len &&
		    buf[pos + 1] == '\n')
			pos += 2;
		else if (pos < len)
			pos++;
		if (nlines >= IMPORT_MAX_LINES) {
			imp_error(imp, (int)nlines + 1, "more than %d lines",
			    IMPORT_MAX_LINES);
			goto fail;
		}
		if (end - start > IMPORT_MAX_LINE) {
			imp_error(imp, (int)nlines + 1, "line longer than "
			    "%d KiB", IMPORT_MAX_LINE / 1024);
			goto fail;
		}
		if (nlines == cap) {
			cap = cap == 0 ? 256 : cap * 2;
			offs = xreallocarray(offs, cap, sizeof *offs);
		}
		offs[nlines++] = out.len;
		bad = 0;
		for (k = start; k < end; k += n) {
			n = text_decode(buf + k, end - k, &cp);
			if (cp == BAD_CP && !(n == 3 &&
			    memcmp(buf + k, "\xef\xbf\xbd", 3) == 0))
				bad = 1;
			else if ((cp < 0x20 && cp != '\t') || cp == 0x7f ||
			    (cp >= 0x80 && cp < 0xa0) || cp == 0x2028 ||
			    cp == 0x2029 || cp == 0xfffe || cp == 0xffff) {
				bad = 1;
				cp = BAD_CP;
			}
			if (cp == BAD_CP)
				ibuf_str(&out, "\xef\xbf\xbd");
			else
				ibuf_add(&out, buf + k, n);
		}
		ibuf_add(&out, "", 1);	/* the terminator */
		if (bad)
			imp_warn(imp, (int)nlines, "invalid UTF-8, NUL or "
			    "control characters replaced by U+FFFD");
	}
	imp->buf = out.s;
	imp->nlines = nlines;
	imp->lines = xcalloc(nlines + 1, sizeof *imp->lines);
	for (k = 0; k < nlines; k++) {
		imp->lines[k].s = out.s + offs[k];
		imp->lines[k].len = strlen(imp->lines[k].s);
	}
	free(offs);
	return (0);
fail:
	free(offs);
	ibuf_free(&out);
	return (-1);
}

/* Columns of leading blanks (a tab goes to the next multiple of 4). */
static int
md_indent(const char *s, const char **rest)
{
	int	col = 0;

	while (*s == ' ' || *s == '\t') {
		col = *s == '\t' ? (col / 4 + 1) * 4 : col + 1;
		s++;
	}
	if (rest != NULL)
		*rest = s;
	return (col);
}

/* s without up to cols columns of leading blanks. */
static const char *
md_dedent(const char *s, int cols)
{
	int	col = 0;

	while ((*s == ' ' || *s == '\t') && col < cols) {
		col = *s == '\t' ? (col / 4 + 1) * 4 : col + 1;
		s++;
	}
	return (s);
}

/* A fence opener at p: sets the character and run length. */
static int
md_fence(const char *p, char *ch, size_t *run)
{
	size_t	n = 0;

	if (*p != '`' && *p != '~')
		return (0);
	while (p[n] == *p)
		n++;
	if (n < 3)
		return (0);
	if (*p == '`' && strchr(p + n, '`') != NULL)
		return (0);
	*ch = *p;
	*run = n;
	return (1);
}

/* Whether p closes a fence of run ch characters. */
static int
md_fence_close(const char *p, char ch, size_t run)
{
	size_t	n = 0;

	while (p[n] == ch)
		n++;
	if (n < run)
		return (0);
	for (p += n; *p == ' ' || *p == '\t'; p++)
		;
	return (*p == '\0');
}

/* ---, ***, ___ (spaces allowed between). */
static int
md_rule(const char *p)
{
	char	c = *p;
	int	n = 0;

	if (c != '-' && c != '*' && c != '_')
		return (0);
	for (; *p != '\0'; p++) {
		if (*p == c)
			n++;
		else if (*p != ' ' && *p != '\t')
			return (0);
	}
	return (n >= 3);
}

/* A list item at p; sets whether ordered and where the text starts. */
static int
md_item(const char *p, int *ordered, const char **text)
{
	const char	*q = p;

	if ((*q == '-' || *q == '*' || *q == '+') &&
	    (q[1] == ' ' || q[1] == '\t' || q[1] == '\0')) {
		*ordered = 0;
		q++;
	} else if (isdigit((unsigned char)*q)) {
		while (isdigit((unsigned char)*q) && q - p < 9)
			q++;
		if ((*q != '.' && *q != ')') || (q[1] != ' ' && q[1] != '\t' &&
		    q[1] != '\0'))
			return (0);
		*ordered = 1;
		q++;
	} else
		return (0);
	while (*q == ' ' || *q == '\t')
		q++;
	/* A task list box is not part of the text. */
	if (q[0] == '[' && (q[1] == ' ' || q[1] == 'x' || q[1] == 'X') &&
	    q[2] == ']' && (q[3] == ' ' || q[3] == '\0'))
		for (q += 3; *q == ' '; q++)
			;
	*text = q;
	return (1);
}

/* A table delimiter row: | --- | :-: |, with at least one pipe. */
static int
md_delim_row(const char *p)
{
	int	pipes = 0, dashes = 0, cell = 0;

	for (; *p != '\0'; p++) {
		if (*p == '|') {
			pipes++;
			if (cell && !dashes)
				return (0);
			cell = dashes = 0;
		} else if (*p == '-') {
			dashes++;
			cell = 1;
		} else if (*p == ':')
			cell = 1;
		else if (*p != ' ' && *p != '\t')
			return (0);
	}
	if (cell && !dashes)
		return (0);
	return (pipes > 0);
}

/* Whether p has a pipe that is not escaped. */
static int
md_has_pipe(const char *p)
{
	for (; *p != '\0'; p++) {
		if (*p == '\\' && p[1] != '\0')
			p++;
		else if (*p == '|')
			return (1);
	}
	return (0);
}

/* A new block of the document. */
static struct md_block *
md_add(struct imp *imp, enum md_kind kind, int line, int indent, int blank)
{
	struct md_block	*b;

	imp->blocks = imp_grow(imp->blocks, imp->nblocks,
	    sizeof *imp->blocks);
	b = &imp->blocks[imp->nblocks++];
	memset(b, 0, sizeof *b);
	b->kind = kind;
	b->line = b->last = line;
	b->indent = indent;
	b->blank_before = blank;
	return (b);
}

/* Heading text: without the #s, closing #s and blanks. */
static char *
md_heading_text(const char *p)
{
	const char	*end;

	while (*p == ' ' || *p == '\t')
		p++;
	end = p + strlen(p);
	while (end > p && (end[-1] == ' ' || end[-1] == '\t'))
		end--;
	while (end > p && end[-1] == '#')
		end--;
	if (end > p && end[-1] != ' ' && end[-1] != '\t' && *end == '#')
		end = p + strlen(p);	/* "C#" is not a closing sequence */
	return (imp_trim(p, end - p));
}

/* A text line that turned out to be a setext heading. */
static void
md_heading_fix(struct md_block *b)
{
	char	*t = imp_trim(b->text, strlen(b->text));

	free(b->text);
	b->text = t;
}

/* Lines into blocks. */
static void
md_parse(struct imp *imp)
{
	struct md_block	*b = NULL;
	const char	*s, *p, *text;
	size_t		 i, run = 0;
	int		 indent, blank = 0, ordered, level;
	char		 fch = 0;

	for (i = 0; i < imp->nlines; i++) {
		s = imp->lines[i].s;
		indent = md_indent(s, &p);
		if (b != NULL && b->kind == MD_CODE && !b->closed) {
			b->last = (int)i + 1;
			if (md_fence_close(p, fch, run))
				b->closed = 1;
			continue;
		}
		if (*p == '\0') {
			blank = 1;
			continue;
		}
		if (md_fence(p, &fch, &run)) {
			b = md_add(imp, MD_CODE, (int)i + 1, indent, blank);
			p += run;
			while (*p == ' ' || *p == '\t')
				p++;
			for (text = p; *p != '\0' && *p != ' ' && *p != '\t' &&
			    *p != '{' && *p != ','; p++)
				;
			b->text = xstrndup(text, p - text);
			blank = 0;
			continue;
		}
		if (indent <= 3 && *p == '#') {
			for (level = 0; p[level] == '#'; level++)
				;
			if (level <= 6 && (p[level] == ' ' ||
			    p[level] == '\t' || p[level] == '\0')) {
				b = md_add(imp, MD_HEADING, (int)i + 1, indent,
				    blank);
				b->level = level;
				b->text = md_heading_text(p + level);
				blank = 0;
				continue;
			}
		}
		if (indent <= 3 && !blank && b != NULL && b->kind == MD_TEXT &&
		    b->line == (int)i && b->indent <= 3 &&
		    (*p == '=' || *p == '-')) {
			size_t	k = strspn(p, *p == '=' ? "=" : "-");

			if ((*p == '=' || k >= 2) &&
			    p[k + strspn(p + k, " \t")] == '\0') {
				/* A setext underline: the line above is a
				 * heading. */
				b->kind = MD_HEADING;
				b->level = *p == '=' ? 1 : 2;
				b->last = (int)i + 1;
				md_heading_fix(b);
				blank = 0;
				continue;
			}
		}
		if (indent <= 3 && md_rule(p)) {
			b = md_add(imp, MD_RULE, (int)i + 1, indent, blank);
			blank = 0;
			continue;
		}
		if (md_item(p, &ordered, &text)) {
			b = md_add(imp, MD_ITEM, (int)i + 1, indent, blank);
			b->ordered = ordered;
			b->content = indent + (int)(text - p);
			b->text = xstrdup(text);
			blank = 0;
			continue;
		}
		if (md_has_pipe(p) && i + 1 < imp->nlines &&
		    md_delim_row(imp->lines[i + 1].s)) {
			b = md_add(imp, MD_TABLE, (int)i + 1, indent, blank);
			for (i += 2; i < imp->nlines; i++) {
				md_indent(imp->lines[i].s, &text);
				if (*text == '\0' || !md_has_pipe(text) ||
				    md_fence(text, &fch, &run))
					break;
			}
			b->last = (int)i;
			i--;
			blank = 0;
			continue;
		}
		b = md_add(imp, MD_TEXT, (int)i + 1, indent, blank);
		while (*p == '>') {
			p++;
			if (*p == ' ')
				p++;
			while (*p == '>' || *p == ' ')
				p++;
		}
		b->text = xstrdup(p);
		blank = 0;
	}
	if (b != NULL && b->kind == MD_CODE && !b->closed)
		imp_warn(imp, b->line, "code block is never closed: it runs "
		    "to the end of the file");
}

/* Headings into sections, each with its parent. */
static void
md_sections(struct imp *imp)
{
	struct md_section	*sec;
	size_t			 i, stack[7];
	int			 depth = 0, lvl;

	imp->secs = xcalloc(1, sizeof *imp->secs);
	sec = &imp->secs[0];
	sec->head = NONE;
	sec->parent = NONE;
	sec->first = 0;
	imp->nsecs = 1;
	stack[0] = 0;
	for (i = 0; i < imp->nblocks; i++) {
		if (imp->blocks[i].kind != MD_HEADING)
			continue;
		imp->secs[imp->nsecs - 1].end = i;
		imp->secs = imp_grow(imp->secs, imp->nsecs,
		    sizeof *imp->secs);
		sec = &imp->secs[imp->nsecs];
		memset(sec, 0, sizeof *sec);
		sec->head = i;
		sec->first = i + 1;
		sec->level = lvl = imp->blocks[i].level;
		sec->title = md_inline(imp->blocks[i].text);
		while (depth > 0 && imp->secs[stack[depth]].level >= lvl)
			depth--;
		sec->parent = depth > 0 ? stack[depth] : NONE;
		if (depth < 6)
			depth++;
		stack[depth] = imp->nsecs;
		imp->nsecs++;
	}
	imp->secs[imp->nsecs - 1].end = imp->nblocks;
}

/* ------------------------------------------------------------------ */
/* Tables of words: what a label, a column or a tool means. */

enum imp_label {
	L_NONE,
	L_SYMPTOMS,
	L_WHEN,
	L_PREREQ,
	L_STEPS,
	L_OTHER
};

static const struct {
	const char	*name;
	enum imp_label	 label;
} imp_labels[] = {
	{ "symptoms", L_SYMPTOMS },
	{ "symptom", L_SYMPTOMS },
	{ "signs", L_SYMPTOMS },
	{ "indicators", L_SYMPTOMS },
	{ "when to use", L_WHEN },
	{ "when to use this", L_WHEN },
	{ "use when", L_WHEN },
	{ "use this when", L_WHEN },
	{ "when", L_WHEN },
	{ "trigger", L_WHEN },
	{ "triggers", L_WHEN },
	{ "applies when", L_WHEN },
	{ "prerequisites", L_PREREQ },
	{ "prerequisite", L_PREREQ },
	{ "prereqs", L_PREREQ },
	{ "requirements", L_PREREQ },
	{ "before you start", L_PREREQ },
	{ "before you begin", L_PREREQ },
	{ "you will need", L_PREREQ },
	{ "recovery steps", L_STEPS },
	{ "recovery procedure", L_STEPS },
	{ "steps", L_STEPS },
	{ "procedure", L_STEPS },
	{ "resolution", L_STEPS },
	{ "resolution steps", L_STEPS },
	{ "remediation", L_STEPS },
	{ "remediation steps", L_STEPS },
	{ "instructions", L_STEPS },
	{ "actions", L_STEPS },
	{ NULL, L_NONE }
};

/* Words in a section title that say what the section is. */
static const char *const imp_post_words[] = {
	"post-incident", "post incident", "postincident", "post-mortem",
	"postmortem", "post mortem", "after the incident",
	"after an incident", "follow-up", "follow up", "lessons learned",
	NULL
};
static const char *const imp_contact_words[] = {
	"contact", "escalation", "on-call", "oncall", "on call", "who to call",
	NULL
};
static const char *const imp_overview_words[] = {
	"overview", "introduction", "summary", "purpose", "about", "scope",
	"background", "description", "context", NULL
};

/* Contact fields, in struct imp_contact order, and their column words. */
enum { CF_ROLE, CF_NAME, CF_EMAIL, CF_PHONE, CF_CHAT, CF_ANY, CF_NONE };
static const char *const imp_contact_keys[] = {
	"role", "name", "email", "phone", "chat"
};
static const struct {
	const char	*word;
	int		 field;
} imp_contact_columns[] = {
	{ "role", CF_ROLE }, { "position", CF_ROLE }, { "function", CF_ROLE },
	{ "team", CF_ROLE }, { "title", CF_ROLE },
	{ "name", CF_NAME }, { "person", CF_NAME }, { "who", CF_NAME },
	{ "e-mail", CF_EMAIL }, { "email", CF_EMAIL }, { "mail", CF_EMAIL },
	{ "phone", CF_PHONE }, { "tel", CF_PHONE }, { "mobile", CF_PHONE },
	{ "cell", CF_PHONE }, { "pager", CF_PHONE },
	{ "chat", CF_CHAT }, { "slack", CF_CHAT }, { "teams", CF_CHAT },
	{ "channel", CF_CHAT }, { "irc", CF_CHAT }, { "matrix", CF_CHAT },
	{ "contact", CF_ANY }, { "reach", CF_ANY },
	{ NULL, CF_NONE }
};

/* Duration units of RTO and RPO cells. */
static const struct {
	const char	*word;
	int64_t		 ms;
} imp_units[] = {
	{ "seconds", 1000 }, { "second", 1000 }, { "secs", 1000 },
	{ "sec", 1000 }, { "s", 1000 },
	{ "minutes", 60000 }, { "minute", 60000 }, { "mins", 60000 },
	{ "min", 60000 }, { "m", 60000 },
	{ "hours", 3600000 }, { "hour", 3600000 }, { "hrs", 3600000 },
	{ "hr", 3600000 }, { "h", 3600000 },
	{ "days", 86400000 }, { "day", 86400000 }, { "d", 86400000 },
	{ "weeks", 604800000 }, { "week", 604800000 }, { "w", 604800000 },
	{ NULL, 0 }
};

static const char *const imp_months[] = {
	"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct",
	"nov", "dec"
};

/* Placeholder words that give a variable its pattern. */
static const struct {
	const char	*word;
	const char	*pattern;
} imp_var_patterns[] = {
	{ "ip", "^(?:(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:"
	  "25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}|(?=.{1,253}$)"
	  "[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\\.[A-Za-z0-9]"
	  "(?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*)$" },
	{ "host", "^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}"
	  "[A-Za-z0-9])?(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}"
	  "[A-Za-z0-9])?)*$" },
	{ "hostname", "^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}"
	  "[A-Za-z0-9])?(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}"
	  "[A-Za-z0-9])?)*$" },
	{ "port", "^[0-9]{1,5}$" },
	{ "commit", "^[0-9a-fA-F]{7,40}$" },
	{ "hash", "^[0-9a-fA-F]{7,40}$" },
	{ "sha", "^[0-9a-fA-F]{7,40}$" },
	{ "user", "^[A-Za-z_][A-Za-z0-9_.-]*$" },
	{ "username", "^[A-Za-z_][A-Za-z0-9_.-]*$" },
	{ "email", "^[^@\\s]+@[^@\\s]+$" },
	{ "url", "^https?://\\S+$" },
	{ "date", "^[0-9]{4}-?(?:0[1-9]|1[0-2])-?(?:0[1-9]|[12][0-9]|3[01])$" },
	{ "number", "^[0-9]+$" },
	{ "count", "^[0-9]+$" },
	{ NULL, NULL }
};

static const char *const imp_secret_words[] = {
	"password", "passwd", "secret", "token", "apikey", "api_key",
	"credentials", NULL
};

/* Date placeholders in commands, longest first. */
static const struct {
	const char	*text;
	const char	*name;
	const char	*pattern;
} imp_dates[] = {
	{ "YYYYMMDD_HHMMSS", "timestamp",
	  "^[0-9]{8}_[0-9]{6}$" },
	{ "YYYY-MM-DD", "date",
	  "^[0-9]{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12][0-9]|3[01])$" },
	{ "YYYYMMDD", "date",
	  "^[0-9]{4}(?:0[1-9]|1[0-2])(?:0[1-9]|[12][0-9]|3[01])$" },
	{ NULL, NULL, NULL }
};

/* Code block languages that are shell commands. */
static const char *const imp_shells[] = {
	"", "sh", "bash", "shell", "zsh", "ksh", "dash", "shellscript",
	"console", "shell-session", "sh-session", "bash-session", "terminal",
	NULL
};

/* Verbs that make a line "open this URL". */
static const char *const imp_open_verbs[] = {
	"open", "visit", "go to", "browse to", "navigate to", "check", "view",
	"look at", "see", NULL
};

/* Words that make a step optional. */
static const char *const imp_optional_words[] = {
	"if needed", "if necessary", "if required", "if applicable",
	"optional", "if using", "if you use", NULL
};

/* How "If X fails" is said. */
static const char *const imp_fail_words[] = {
	" fails", " failed", " does not work", " doesn't work",
	" did not work", " didn't work", " is unsuccessful",
	" was unsuccessful", NULL
};

/* Tools that want a terminal. */
enum imp_tool {
	T_ALWAYS,	/* always */
	T_QUERY,	/* unless a query flag, input redirection or a pipe */
	T_ARGS,		/* unless it has arguments or input */
	T_EDIT		/* only with its edit flag */
};
static const struct {
	const char	*name;
	enum imp_tool	 kind;
	const char	*flags;		/* T_QUERY, T_EDIT */
} imp_tools[] = {
	{ "ssh", T_ALWAYS, NULL }, { "sudo", T_ALWAYS, NULL },
	{ "doas", T_ALWAYS, NULL }, { "su", T_ALWAYS, NULL },
	{ "vi", T_ALWAYS, NULL }, { "vim", T_ALWAYS, NULL },
	{ "nvim", T_ALWAYS, NULL }, { "nano", T_ALWAYS, NULL },
	{ "emacs", T_ALWAYS, NULL }, { "less", T_ALWAYS, NULL },
	{ "more", T_ALWAYS, NULL }, { "top", T_ALWAYS, NULL },
	{ "htop", T_ALWAYS, NULL }, { "atop", T_ALWAYS, NULL },
	{ "man", T_ALWAYS, NULL }, { "watch", T_ALWAYS, NULL },
	{ "tmux", T_ALWAYS, NULL }, { "screen", T_ALWAYS, NULL },
	{ "visudo", T_ALWAYS, NULL }, { "vipw", T_ALWAYS, NULL },
	{ "passwd", T_ALWAYS, NULL }, { "telnet", T_ALWAYS, NULL },
	{ "sftp", T_ALWAYS, NULL }, { "mosh", T_ALWAYS, NULL },
	{ "psql", T_QUERY, "-c --command -f --file -l --list" },
	{ "mysql", T_QUERY, "-e --execute" },
	{ "mariadb", T_QUERY, "-e --execute" },
	{ "mongo", T_QUERY, "--eval" },
	{ "mongosh", T_QUERY, "--eval -f --file" },
	{ "sqlite3", T_ARGS, NULL },
	{ "redis-cli", T_ARGS, NULL },
	{ "crontab", T_EDIT, "-e" },
	{ NULL, T_ALWAYS, NULL }
};

/* Options of redis-cli and sqlite3 that take a value. */
static const char *const imp_valued_opts[] = {
	"-h", "-p", "-a", "-n", "-s", "-u", "--user", "--pass", "--tls-cert",
	"--tls-key", "--cacert", "-cmd", "-separator", "-init", NULL
};

/* Prefixes that run the command after them. */
static const char *const imp_wrappers[] = {
	"env", "exec", "nohup", "time", "command", "nice", "ionice", "stdbuf",
	"builtin", NULL
};

/* Options of docker/kubectl exec and run that take a value. */
static const char *const imp_exec_opts[] = {
	"-u", "--user", "-w", "--workdir", "-e", "--env", "--env-file",
	"-c", "--container", "-n", "--namespace", "--name", "-v", "--volume",
	"-p", "--publish", "--entrypoint", "--network", "--index",
	"--detach-keys", "-l", "--label", "--mount", "--platform", NULL
};

/* Whether w is one of list. */
static int
imp_word_in(const char *w, const char *const *list)
{
	for (; *list != NULL; list++) {
		if (strcmp(w, *list) == 0)
			return (1);
	}
	return (0);
}

/* Whether title holds one of words, ignoring case. */
static int
imp_title_has(const char *title, const char *const *words)
{
	for (; *words != NULL; words++) {
		if (imp_find(title, *words) != NULL)
			return (1);
	}
	return (0);
}

/* ------------------------------------------------------------------ */
/* Labels, dates, durations. */

/*
 * The label a text line is ("**Symptoms:**", "When to use:"), with the
 * text after its colon in *rest (caller frees).  L_NONE when the line is
 * not a label: a short name ending in a colon, bold or alone.
 */
static enum imp_label
imp_label(const char *raw, char **rest)
{
	char		*plain, *colon, *name;
	size_t		 i, words = 1;
	int		 bold;
	enum imp_label	 l = L_OTHER;

	*rest = NULL;
	bold = strncmp(raw, "**", 2) == 0 || strncmp(raw, "__", 2) == 0;
	plain = md_inline(raw);
	if (strncmp(raw, "__", 2) == 0 && strlen(plain) >= 4) {
		size_t	n = strlen(plain);

		if (strncmp(plain, "__", 2) == 0)
			memmove(plain, plain + 2, n - 1);
		n = strlen(plain);
		if ((colon = strstr(plain, "__")) != NULL)
			memmove(colon, colon + 2, strlen(colon + 2) + 1);
	}
	colon = strchr(plain, ':');
	if (colon == NULL) {
		/* "**Symptoms**" alone: a known label without colon. */
		if (!bold || strlen(raw) < 4 ||
		    strcmp(raw + strlen(raw) - 2, raw[0] == '*' ? "**" : "__"))
			goto none;
		colon = plain + strlen(plain);
	}
	if (colon == plain || colon - plain > 40)
		goto none;
	for (i = 0; plain + i < colon; i++) {
		if (plain[i] == ' ')
			words++;
	}
	if (words > 5)
		goto none;
	if (!bold && colon[strspn(colon, ": \t")] != '\0')
		goto none;
	name = imp_trim(plain, colon - plain);
	for (i = 0; name[i] != '\0'; i++)
		name[i] = (char)tolower((unsigned char)name[i]);
	for (i = 0; imp_labels[i].name != NULL; i++) {
		if (strcmp(imp_labels[i].name, name) == 0) {
			l = imp_labels[i].label;
			break;
		}
	}
	free(name);
	if (*colon == ':')
		colon++;
	*rest = imp_trim(colon, strlen(colon));
	free(plain);
	return (l);
none:
	free(plain);
	return (L_NONE);
}

/* A date in words or digits as YYYY-MM or YYYY-MM-DD; NULL if none. */
static char *
imp_date(const char *s)
{
	int	year = 0, month = 0, day = 0, n, days;
	size_t	len, i;
	char	word[16], *out;

	while (*s != '\0') {
		if (isdigit((unsigned char)*s)) {
			len = strspn(s, "0123456789");
			if (len == 4 && (s[4] == '-' || s[4] == '/') &&
			    isdigit((unsigned char)s[5]) &&
			    isdigit((unsigned char)s[6])) {
				year = atoi(s);
				month = atoi(s + 5);
				s += 7;
				if ((*s == '-' || *s == '/') &&
				    isdigit((unsigned char)s[1]) &&
				    isdigit((unsigned char)s[2])) {
					day = atoi(s + 1);
					s += 3;
				}
				break;
			}
			n = len <= 4 ? atoi(s) : -1;
			if (len == 4)
				year = n;
			else if (len <= 2 && n >= 1 && n <= 31 && day == 0)
				day = n;
			s += len;
		} else if (isalpha((unsigned char)*s)) {
			for (len = 0; isalpha((unsigned char)s[len]); len++)
				;
			if (len >= 3 && len < sizeof word && month == 0) {
				for (i = 0; i < len; i++)
					word[i] = (char)tolower(
					    (unsigned char)s[i]);
				word[len] = '\0';
				for (i = 0; i < 12; i++) {
					if (strncmp(word, imp_months[i], 3) ==
					    0)
						month = (int)i + 1;
				}
			}
			s += len;
		} else
			s++;
	}
	if (year == 0 || month == 0)
		return (NULL);
	if (day != 0)
		out = xprintf("%04d-%02d-%02d", year, month, day);
	else
		out = xprintf("%04d-%02d", year, month);
	if (value_date(out, &days) != 0) {
		free(out);
		return (NULL);
	}
	return (out);
}

/*
 * An RTO or RPO cell as a duration of the format: "15 min" is 15m,
 * "1 hour" 1h, "1.5 hours" 1h30m, "0" 0.  NULL when it is not one.
 */
static char *
imp_duration(const char *cell)
{
	const char	*p = cell;
	int64_t		 total = 0, whole, frac, scale, ms;
	size_t		 i, n, any = 0;
	char		*out;

	while (*p == ' ' || *p == '<' || *p == '~')
		p++;
	if (strncmp(p, "\xe2\x89\xa4", 3) == 0 ||
	    strncmp(p, "\xe2\x89\x88", 3) == 0)	/* ≤ ≈ */
		p += 3;
	while (*p == ' ' || *p == '=')
		p++;
	if (strcmp(p, "0") == 0)
		return (xstrdup("0"));
	while (*p != '\0') {
		if (!isdigit((unsigned char)*p))
			return (NULL);
		for (whole = 0, n = 0; isdigit((unsigned char)*p); p++)
			if (++n > 9)
				return (NULL);
			else
				whole = whole * 10 + (*p - '0');
		frac = 0;
		scale = 1;
		if (*p == '.' || *p == ',') {
			if (!isdigit((unsigned char)p[1]))
				return (NULL);
			for (p++; isdigit((unsigned char)*p); p++) {
				if (scale < 1000) {
					frac = frac * 10 + (*p - '0');
					scale *= 10;
				}
			}
		}
		while (*p == ' ')
			p++;
		for (i = 0; imp_units[i].word != NULL; i++) {
			n = strlen(imp_units[i].word);
			if (strncasecmp(p, imp_units[i].word, n) == 0 &&
			    !isalpha((unsigned char)p[n]))
				break;
		}
		if (imp_units[i].word == NULL)
			return (NULL);
		p += n;
		ms = whole * imp_units[i].ms + frac * imp_units[i].ms / scale;
		total += ms;
		if (total > INT64_C(10) * 365 * 86400000)
			return (NULL);
		any = 1;
		while (*p == ' ' || *p == ',')
			p++;
		if (strncasecmp(p, "and ", 4) == 0)
			p += 4;
	}
	if (!any)
		return (NULL);
	total = (total + 500) / 1000 * 1000;
	if (total == 0)
		return (NULL);
	out = value_duration_format(total);
	if (value_duration(out, &ms) != 0) {
		free(out);
		return (NULL);
	}
	return (out);
}

/* ------------------------------------------------------------------ */
/* Variables and placeholders. */

/*
 * The variable for a placeholder as written (added on first use), and
 * its name.  kind: 'a' <angle>, 'p' /path/to/x, 'd' a date pattern.
 */
static const char *
imp_var(struct imp *imp, const char *key, int kind, const char *where)
{
	struct iset_entry	*e;
	struct imp_var		*v;
	char			*base, *tok, *ext, *p, *copy;
	const char		*last;
	size_t			 i;

	if ((e = iset_get(&imp->var_keys, key)) != NULL)
		return (imp->vars[e->val].name);
	imp->vars = imp_grow(imp->vars, imp->nvars, sizeof *imp->vars);
	v = &imp->vars[imp->nvars];
	memset(v, 0, sizeof *v);
	v->key = xstrdup(key);
	switch (kind) {
	case 'a':
		copy = xstrndup(key + 1, strlen(key) - 2);
		base = imp_varname(copy);
		free(copy);
		v->prompt = xprintf("Value for %s (used first in step '%s')",
		    key, where);
		/* The last word that says what the value is, wins. */
		copy = xstrdup(base);
		for (i = 0; v->pattern == NULL &&
		    imp_var_patterns[i].word != NULL; i++) {
			for (tok = copy; tok != NULL; ) {
				p = strchr(tok, '_');
				if (p != NULL)
					*p = '\0';
				if (strcmp(tok, imp_var_patterns[i].word) == 0)
					v->pattern = xstrdup(
					    imp_var_patterns[i].pattern);
				if (p != NULL)
					*p = '_';
				tok = p != NULL ? p + 1 : NULL;
				if (v->pattern != NULL)
					break;
			}
		}
		free(copy);
		for (i = 0; imp_secret_words[i] != NULL; i++) {
			if (strstr(base, imp_secret_words[i]) != NULL)
				v->secret = 1;
		}
		break;
	case 'p':
		copy = xstrdup(key);
		while ((p = strrchr(copy, '/')) != NULL && p[1] == '\0')
			*p = '\0';
		last = (p = strrchr(copy, '/')) != NULL ? p + 1 : copy;
		ext = strrchr(last, '.');
		if (ext != NULL && ext != last && ext[1] != '\0' &&
		    strspn(ext + 1, "abcdefghijklmnopqrstuvwxyz"
		    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789") ==
		    strlen(ext + 1)) {
			v->pattern = xprintf("^/.+\\.%s$", ext + 1);
			*ext = '\0';
		} else
			v->pattern = xstrdup("^/.+$");
		tok = imp_varname(last);
		base = xprintf("%s_path", tok);
		free(tok);
		free(copy);
		v->prompt = xprintf("Path for %s (used first in step '%s')",
		    key, where);
		break;
	default:
		for (i = 0; imp_dates[i].text != NULL; i++) {
			if (strcmp(imp_dates[i].text, key) == 0)
				break;
		}
		base = xstrdup(imp_dates[i].name);
		v->pattern = xstrdup(imp_dates[i].pattern);
		v->prompt = xprintf("Date for %s (used first in step '%s')",
		    key, where);
		break;
	}
	v->name = imp_unique(&imp->var_names, base, "_");
	free(base);
	imp_spend(imp, 5, 0);
	iset_add(&imp->var_keys, key, imp->nvars);
	imp->nvars++;
	return (v->name);
}

/* A character of a <placeholder> name. */
static int
imp_namech(int c)
{
	return (isalnum(c) || c == '_' || c == '-' || c == '.');
}

/*
 * The length of the placeholder at s[i] (in a line of n bytes), or 0,
 * with its kind.  <name> counts only as a whole token: not after another
 * '<', '>', '&' or a file descriptor digit, and not followed by a letter,
 * '>', '&' or '|' -- so "psql < dump.sql" and "cat <in >out" keep their
 * redirections.
 */
static size_t
imp_placeholder(const char *s, size_t i, size_t n, int *kind)
{
	size_t	j, k;

	if (s[i] == '<') {
		if (i > 0 && (s[i - 1] == '<' || s[i - 1] == '>' ||
		    s[i - 1] == '&' || isdigit((unsigned char)s[i - 1])))
			return (0);
		if (i + 1 >= n || !isalpha((unsigned char)s[i + 1]))
			return (0);
		for (j = i + 1; j < n && j - i <= 64; j++) {
			if (s[j] == ' ' && j + 1 < n &&
			    imp_namech((unsigned char)s[j + 1]) &&
			    s[j - 1] != ' ')
				continue;
			if (!imp_namech((unsigned char)s[j]))
				break;
		}
		if (j >= n || s[j] != '>' || s[j - 1] == ' ' || j - i > 64)
			return (0);
		if (j + 1 < n && (isalnum((unsigned char)s[j + 1]) ||
		    s[j + 1] == '>' || s[j + 1] == '&' || s[j + 1] == '|' ||
		    s[j + 1] == '<'))
			return (0);
		*kind = 'a';
		return (j + 1 - i);
	}
	if (s[i] == '/' && n - i > 9 && strncasecmp(s + i, "/path/to/", 9) ==
	    0 && (i == 0 || strchr(" \t=:(\"'@", s[i - 1]) != NULL)) {
		for (j = i + 9; j < n && (isalnum((unsigned char)s[j]) ||
		    strchr("._+@%/-", s[j]) != NULL); j++)
			;
		if (j == i + 9)
			return (0);
		*kind = 'p';
		return (j - i);
	}
	if (s[i] == 'Y' && (i == 0 || !isalnum((unsigned char)s[i - 1]))) {
		for (k = 0; imp_dates[k].text != NULL; k++) {
			j = strlen(imp_dates[k].text);
			if (n - i >= j &&
			    strncmp(s + i, imp_dates[k].text, j) == 0 &&
			    (i + j == n ||
			    !isalnum((unsigned char)s[i + j]))) {
				*kind = 'd';
				return (j);
			}
		}
	}
	return (0);
}

/* Append a variable marker for the placeholder s[0..len). */
static void
imp_marker(struct imp *imp, struct ibuf *out, const char *s, size_t len,
    int kind, const char *where)
{
	char		*key = xstrndup(s, len);
	const char	*name = imp_var(imp, key, kind, where);

	ibuf_ch(out, MK_START);
	ibuf_str(out, name);
	ibuf_ch(out, MK_ORIG);
	ibuf_str(out, key);
	ibuf_ch(out, MK_END);
	free(key);
}

/*
 * s as it goes into a field that may hold {{variables}}: every literal
 * "{{" doubled to "{{{{", markers turned into {{name}}.  A marker right
 * after an odd run of '{' cannot be written (the brace would join the
 * reference), so it stays as the placeholder was written, with a
 * warning.  Caller frees.
 */
static char *
imp_finalize(struct imp *imp, const char *s, int line)
{
	struct ibuf	 out = { NULL, 0, 0 };
	const char	*p, *orig, *end;
	size_t		 braces = 0, k;

	ibuf_add(&out, "", 0);
	for (p = s; ; p++) {
		if (*p == '{') {
			braces++;
			continue;
		}
		if (*p == MK_START && braces % 2 == 1) {
			orig = strchr(p, MK_ORIG);
			end = strchr(p, MK_END);
			imp_warn(imp, line, "placeholder '%.*s' right after "
			    "'{' is left as written", (int)(end - orig - 1),
			    orig + 1);
		}
		for (k = 0; k < braces / 2; k++)
			ibuf_str(&out, "{{{{");
		if (braces % 2)
			ibuf_ch(&out, '{');
		if (*p == MK_START && braces % 2 == 1) {
			orig = strchr(p, MK_ORIG);
			end = strchr(p, MK_END);
			ibuf_add(&out, orig + 1, end - orig - 1);
			p = end;
			braces = 0;
			continue;
		}
		braces = 0;
		if (*p == '\0')
			break;
		if (*p == MK_START) {
			struct iset_entry	*e;
			char			*key;

			orig = strchr(p, MK_ORIG);
			end = strchr(p, MK_END);
			key = xstrndup(orig + 1, end - orig - 1);
			if ((e = iset_get(&imp->var_keys, key)) != NULL)
				imp->vars[e->val].used = 1;
			free(key);
			ibuf_str(&out, "{{");
			ibuf_add(&out, p + 1, orig - p - 1);
			ibuf_str(&out, "}}");
			p = end;
			continue;
		}
		ibuf_ch(&out, *p);
	}
	return (out.s);
}

/* ------------------------------------------------------------------ */
/* Code blocks: comments to text, commands to run. */

enum { Q_NONE, Q_SINGLE, Q_DOUBLE, Q_PAREN, Q_TICK };

struct shlex {
	int	 q[64];
	int	 parens[64];
	size_t	 qopen[64];	/* where it opened on the line */
	int	 top;
	int	 overflow;
	char	*heredoc;	/* delimiter being waited for */
	int	 heredoc_tabs;
	char	*next_heredoc;	/* starts on the next line */
	int	 next_tabs;
	int	 cont;		/* the last line ended with \ */
};

/* Enter a quote, $( or backtick context opened at byte at. */
static void
shlex_push(struct shlex *lx, int q, size_t at)
{
	if (lx->top + 1 >= (int)(sizeof lx->q / sizeof lx->q[0])) {
		lx->overflow = 1;
		return;
	}
	lx->q[++lx->top] = q;
	lx->parens[lx->top] = 0;
	lx->qopen[lx->top] = at;
}

/* Leave the innermost context. */
static void
shlex_pop(struct shlex *lx)
{
	if (lx->top > 0)
		lx->top--;
}

/* A crontab line: five time fields then a command, or @daily cmd. */
static int
imp_crontab(const char *s)
{
	const char	*p = s;
	int		 fields = 0, star = 0;

	if (*p == '@') {
		p += strcspn(p, " \t");
		return (strncmp(s, "@reboot", 7) == 0 || strncmp(s, "@yearly",
		    7) == 0 || strncmp(s, "@annually", 9) == 0 ||
		    strncmp(s, "@monthly", 8) == 0 || strncmp(s, "@weekly", 7)
		    == 0 || strncmp(s, "@daily", 6) == 0 ||
		    strncmp(s, "@hourly", 7) == 0) && *p != '\0';
	}
	while (fields < 5) {
		if (*p == '\0' || strchr("0123456789*/,-", *p) == NULL)
			return (0);
		for (; *p != '\0' && strchr("0123456789*/,-", *p) != NULL; p++)
			if (*p == '*')
				star = 1;
		if (*p != ' ' && *p != '\t')
			return (0);
		while (*p == ' ' || *p == '\t')
			p++;
		fields++;
	}
	return (star && *p != '\0');
}

/*
 * One line of shell into out, placeholders replaced by markers.  Quotes,
 * $( ), backticks and here-documents are followed across lines; inside
 * quotes a placeholder is spliced in by closing and reopening them, so
 * that the shell-quoted value stays one word.
 */
static void
imp_sh_line(struct imp *imp, struct shlex *lx, const char *s,
    struct ibuf *out, const char *where)
{
	size_t	n = strlen(s), i = 0, len;
	int	q, kind;
	char	qc;

	lx->cont = 0;
	for (len = 0; len < sizeof lx->qopen / sizeof lx->qopen[0]; len++)
		lx->qopen[len] = NONE;
	while (i < n) {
		q = lx->overflow ? Q_NONE : lx->q[lx->top];
		if (q == Q_SINGLE || q == Q_DOUBLE) {
			qc = q == Q_SINGLE ? '\'' : '"';
			if (s[i] == qc) {
				shlex_pop(lx);
				ibuf_ch(out, s[i++]);
				continue;
			}
			if (q == Q_DOUBLE && s[i] == '\\' && i + 1 < n) {
				ibuf_add(out, s + i, 2);
				i += 2;
				continue;
			}
			if (q == Q_DOUBLE && s[i] == '$' && s[i + 1] == '(') {
				shlex_push(lx, Q_PAREN, i);
				ibuf_add(out, s + i, 2);
				i += 2;
				continue;
			}
			if (q == Q_DOUBLE && s[i] == '`') {
				shlex_push(lx, Q_TICK, i);
				ibuf_ch(out, s[i++]);
				continue;
			}
			if (!lx->overflow &&
			    (len = imp_placeholder(s, i, n, &kind)) > 0) {
				size_t	at = lx->qopen[lx->top];
				int	opened, closes;

				opened = at != NONE && at + 1 == i &&
				    out->len > 0 && out->s[out->len - 1] == qc;
				closes = i + len < n && s[i + len] == qc;

				/* Close the quote, the value, reopen it;
				 * at either end of the string there is
				 * nothing to close or reopen. */
				if (opened)
					out->s[--out->len] = '\0';
				else
					ibuf_ch(out, qc);
				imp_marker(imp, out, s + i, len, kind, where);
				i += len;
				if (closes) {
					shlex_pop(lx);
					i++;
				} else
					ibuf_ch(out, qc);
				continue;
			}
			ibuf_ch(out, s[i++]);
			continue;
		}
		/* Unquoted, in $( ) or in backticks. */
		if (s[i] == '\\') {
			if (i + 1 == n) {
				lx->cont = 1;
				ibuf_ch(out, s[i++]);
				continue;
			}
			ibuf_add(out, s + i, 2);
			i += 2;
			continue;
		}
		if (s[i] == '#' && (i == 0 || s[i - 1] == ' ' ||
		    s[i - 1] == '\t')) {
			ibuf_add(out, s + i, n - i);	/* a comment */
			break;
		}
		if (s[i] == '\'' || s[i] == '"') {
			shlex_push(lx, s[i] == '\'' ? Q_SINGLE : Q_DOUBLE, i);
			ibuf_ch(out, s[i++]);
			continue;
		}
		if (s[i] == '`') {
			if (q == Q_TICK)
				shlex_pop(lx);
			else
				shlex_push(lx, Q_TICK, i);
			ibuf_ch(out, s[i++]);
			continue;
		}
		if (s[i] == '$' && s[i + 1] == '(') {
			shlex_push(lx, Q_PAREN, i);
			ibuf_add(out, s + i, 2);
			i += 2;
			continue;
		}
		if (q == Q_PAREN && !lx->overflow && s[i] == '(')
			lx->parens[lx->top]++;
		if (q == Q_PAREN && !lx->overflow && s[i] == ')') {
			if (lx->parens[lx->top] == 0)
				shlex_pop(lx);
			else
				lx->parens[lx->top]--;
		}
		if (s[i] == '<' && s[i + 1] == '<' && s[i + 2] != '<') {
			size_t	j = i + 2, w;
			int	tabs = 0;
			char	quote = 0;

			if (s[j] == '-') {
				tabs = 1;
				j++;
			}
			while (s[j] == ' ')
				j++;
			if (s[j] == '\'' || s[j] == '"')
				quote = s[j++];
			for (w = j; isalnum((unsigned char)s[w]) || s[w] == '_'
			    || s[w] == '-' || s[w] == '.'; w++)
				;
			if (w > j && lx->next_heredoc == NULL) {
				lx->next_heredoc = xstrndup(s + j, w - j);
				lx->next_tabs = tabs;
			}
			if (quote && s[w] == quote)
				w++;
			ibuf_add(out, s + i, w - i);
			i = w;
			continue;
		}
		if (!lx->overflow &&
		    (len = imp_placeholder(s, i, n, &kind)) > 0) {
			imp_marker(imp, out, s + i, len, kind, where);
			i += len;
			continue;
		}
		ibuf_ch(out, s[i++]);
	}
}

/* Whether a code block language is shell commands. */
static int
imp_is_shell(const char *lang)
{
	char	buf[32];
	size_t	i;

	for (i = 0; lang[i] != '\0' && i < sizeof buf - 1; i++)
		buf[i] = (char)tolower((unsigned char)lang[i]);
	buf[i] = '\0';
	return (lang[i] == '\0' && imp_word_in(buf, imp_shells));
}

/*
 * A fenced code block into a step: whole-line comments become text,
 * crontab lines become text (with a warning: they are not commands),
 * commands become run.  Code in another language is text.
 */
static void
imp_code(struct imp *imp, struct imp_step *st, struct md_block *b)
{
	struct shlex	 lx;
	struct ibuf	 line = { NULL, 0, 0 };
	const char	*s, *p;
	int		 last = b->closed ? b->last - 1 : b->last, ln;
	int		 console, placeholders = 0, added = 0;
	size_t		 len;
	int		 kind;

	b->done = 1;
	if (!imp_is_shell(b->text)) {
		for (ln = b->line + 1; ln <= last; ln++)
			itext_line(&st->text, md_dedent(imp_line(imp, ln),
			    b->indent));
		if (last > b->line)
			imp_warn(imp, b->line, "%s code block kept as text "
			    "of step '%s', not run", b->text, st->title);
		return;
	}
	console = strcasecmp(b->text, "console") == 0 ||
	    strcasestr(b->text, "session") != NULL ||
	    strcasecmp(b->text, "terminal") == 0;
	memset(&lx, 0, sizeof lx);
	if (st->run.b.len > 0)
		itext_gap(&st->run);
	for (ln = b->line + 1; ln <= last && !imp->stop; ln++) {
		s = md_dedent(imp_line(imp, ln), b->indent);
		if (lx.heredoc != NULL) {
			itext_line(&st->run, s);
			p = s;
			if (lx.heredoc_tabs)
				p += strspn(p, "\t");
			if (strcmp(p, lx.heredoc) == 0) {
				free(lx.heredoc);
				lx.heredoc = NULL;
			} else if (!placeholders) {
				size_t	n = strlen(s);

				for (len = 0; len < n && !placeholders; len++)
					placeholders = imp_placeholder(s, len,
					    n, &kind) > 0;
			}
			continue;
		}
		p = s + strspn(s, " \t");
		if (*p == '\0') {
			itext_gap(&st->run);
			continue;
		}
		if (console) {
			if (strncmp(p, "$ ", 2) == 0 || strcmp(p, "$") == 0)
				s = p + (p[1] == ' ' ? 2 : 1);
			else if (lx.top == 0 && !lx.cont) {
				itext_line(&st->text, p[0] == '#' ?
				    p + 1 + (p[1] == ' ') : s);
				continue;
			}
			p = s + strspn(s, " \t");
		}
		if (lx.top == 0 && !lx.cont && *p == '#') {
			if (p[1] == '!')
				itext_line(&st->text, p);
			else if (p[1 + strspn(p + 1, "# \t")] != '\0')
				itext_line(&st->text, p + 1 + strspn(p + 1,
				    " \t"));
			continue;
		}
		if (lx.top == 0 && !lx.cont && imp_crontab(p)) {
			itext_line(&st->text, p);
			imp_warn(imp, ln, "crontab line kept as text of step "
			    "'%s': install it with crontab -e", st->title);
			continue;
		}
		line.len = 0;
		ibuf_add(&line, "", 0);
		imp_sh_line(imp, &lx, s, &line, st->title);
		itext_line(&st->run, line.s);
		added = 1;
		if (lx.next_heredoc != NULL) {
			free(lx.heredoc);
			lx.heredoc = lx.next_heredoc;
			lx.heredoc_tabs = lx.next_tabs;
			lx.next_heredoc = NULL;
		}
	}
	if (placeholders)
		imp_warn(imp, b->line, "placeholders inside a here-document "
		    "are left as written (the shell would not split them)");
	if (lx.overflow)
		imp_warn(imp, b->line, "quotes nested too deep: placeholders "
		    "after that point are not replaced");
	else if (added && lx.top != 0 && lx.heredoc == NULL)
		imp_warn(imp, b->line, "a quote or $( is never closed in "
		    "this code block");
	free(lx.heredoc);
	free(lx.next_heredoc);
	ibuf_free(&line);
	st->run.gap = 0;
}

/* ------------------------------------------------------------------ */
/* What a run does: interactive tools, destructive commands. */

struct imp_cmd {
	char	**w;
	size_t	  n;
	size_t	  cap;
	int	  piped;	/* stdin from a pipe */
	int	  input;	/* stdin redirected */
};

/* The word in w ends: add it to the command. */
static void
imp_cmd_word(struct imp_cmd *c, struct ibuf *w)
{
	if (w->len == 0 && w->s == NULL)
		return;
	if (c->n == c->cap) {
		c->cap = c->cap == 0 ? 16 : c->cap * 2;
		c->w = xreallocarray(c->w, c->cap, sizeof *c->w);
	}
	c->w[c->n++] = xstrdup(w->s != NULL ? w->s : "");
	ibuf_free(w);
}

/* Forget the words of the command. */
static void
imp_cmd_clear(struct imp_cmd *c)
{
	size_t	i;

	for (i = 0; i < c->n; i++)
		free(c->w[i]);
	c->n = 0;
	c->piped = c->input = 0;
}

/* The program name without its directory. */
static const char *
imp_base(const char *w)
{
	const char	*p = strrchr(w, '/');

	return (p != NULL ? p + 1 : w);
}

/* Whether option w takes the next word as its value. */
static int
imp_opt_valued(const char *w, const char *const *list)
{
	return (strchr(w, '=') == NULL && imp_word_in(w, list));
}

/* Does the simple command words[i..] want a terminal? */
static int
imp_cmd_tty(const struct imp_cmd *c, size_t i)
{
	const char	*w, *flags;
	size_t		 j, k, len;
	int		 in, tty;

again:
	while (i < c->n) {
		w = c->w[i];
		if ((isalpha((unsigned char)w[0]) || w[0] == '_') &&
		    strchr(w, '=') != NULL &&
		    strspn(w, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTU"
		    "VWXYZ0123456789_") == (size_t)(strchr(w, '=') - w)) {
			i++;
			continue;
		}
		if (imp_word_in(imp_base(w), imp_wrappers)) {
			for (i++; i < c->n && (c->w[i][0] == '-' ||
			    strchr(c->w[i], '=') != NULL); i++)
				;
			continue;
		}
		break;
	}
	if (i >= c->n)
		return (0);
	w = imp_base(c->w[i]);
	if (strcmp(w, "docker") == 0 || strcmp(w, "podman") == 0 ||
	    strcmp(w, "nerdctl") == 0 || strcmp(w, "docker-compose") == 0 ||
	    strcmp(w, "kubectl") == 0 || strcmp(w, "oc") == 0) {
		j = i + 1;
		if (j < c->n && strcmp(c->w[j], "compose") == 0)
			j++;
		if (j >= c->n || (strcmp(c->w[j], "exec") != 0 &&
		    strcmp(c->w[j], "run") != 0))
			return (0);
		in = tty = 0;
		for (j++; j < c->n && c->w[j][0] == '-'; j++) {
			if (strcmp(c->w[j], "--") == 0)
				break;
			if (strcmp(c->w[j], "--interactive") == 0)
				in = 1;
			else if (strcmp(c->w[j], "--tty") == 0)
				tty = 1;
			else if (c->w[j][1] != '-' && strchr(c->w[j], '=') ==
			    NULL && !imp_opt_valued(c->w[j], imp_exec_opts)) {
				if (strchr(c->w[j], 'i') != NULL)
					in = 1;
				if (strchr(c->w[j], 't') != NULL)
					tty = 1;
			}
			if (imp_opt_valued(c->w[j], imp_exec_opts))
				j++;
		}
		if (in && tty)
			return (1);
		if (j < c->n && strcmp(c->w[j], "--") == 0)
			j++;
		/* The container, service or pod; then its command. */
		if (j + 1 < c->n && (strcmp(w, "kubectl") != 0 &&
		    strcmp(w, "oc") != 0)) {
			i = j + 1;
			goto again;
		}
		for (; j < c->n; j++) {
			if (strcmp(c->w[j], "--") == 0) {
				i = j + 1;
				goto again;
			}
		}
		return (0);
	}
	for (k = 0; imp_tools[k].name != NULL; k++) {
		if (strcmp(imp_tools[k].name, w) == 0)
			break;
	}
	if (imp_tools[k].name == NULL)
		return (0);
	switch (imp_tools[k].kind) {
	case T_ALWAYS:
		return (1);
	case T_QUERY:
	case T_EDIT:
		flags = imp_tools[k].flags;
		for (j = i + 1; j < c->n; j++) {
			len = strcspn(c->w[j], "=");
			for (w = flags; *w != '\0'; w += strcspn(w, " "),
			    w += strspn(w, " ")) {
				if (strcspn(w, " ") == len &&
				    strncmp(w, c->w[j], len) == 0)
					return (imp_tools[k].kind == T_EDIT);
				/* -c"SELECT 1" and -cSELECT. */
				if (c->w[j][1] != '-' && w[1] != '-' &&
				    strcspn(w, " ") == 2 &&
				    strncmp(w, c->w[j], 2) == 0)
					return (imp_tools[k].kind == T_EDIT);
			}
		}
		if (imp_tools[k].kind == T_EDIT)
			return (0);
		return (!c->input && !c->piped);
	case T_ARGS:
		if (c->input || c->piped)
			return (0);
		for (j = i + 1; j < c->n; j++) {
			if (c->w[j][0] != '-')
				return (strcmp(w, "sqlite3") == 0 &&
				    j + 1 >= c->n ? 1 : 0);
			if (imp_opt_valued(c->w[j], imp_valued_opts))
				j++;
		}
		return (1);
	}
	return (0);
}

/*
 * Whether run needs the real terminal: ssh, sudo, editors and pagers,
 * database shells without a query or input, redis-cli without a command,
 * docker exec -it.  Splits the script into simple commands the way the
 * shell would, closely enough for that.
 */
static int
imp_interactive(const char *run)
{
	struct imp_cmd	 c;
	struct ibuf	 w = { NULL, 0, 0 };
	const char	*p = run, *eol;
	char		*heredoc = NULL;
	int		 q = 0, tty = 0, pipe_next = 0;
	size_t		 hl;

	memset(&c, 0, sizeof c);
	while (*p != '\0' && !tty) {
		if (heredoc != NULL) {
			eol = p + strcspn(p, "\n");
			hl = strlen(heredoc);
			if ((size_t)(eol - p - strspn(p, "\t")) == hl &&
			    strncmp(p + strspn(p, "\t"), heredoc, hl) == 0) {
				free(heredoc);
				heredoc = NULL;
			}
			p = *eol == '\n' ? eol + 1 : eol;
			continue;
		}
		if (q == '\'') {
			if (*p == '\'')
				q = 0;
			else
				ibuf_ch(&w, *p);
			p++;
			continue;
		}
		if (q == '"') {
			if (*p == '"')
				q = 0;
			else if (*p == '\\' && p[1] != '\0') {
				ibuf_ch(&w, p[1]);
				p++;
			} else
				ibuf_ch(&w, *p);
			p++;
			continue;
		}
		if (*p == '\\' && p[1] == '\n') {
			p += 2;
			continue;
		}
		if (*p == '\\' && p[1] != '\0') {
			ibuf_ch(&w, p[1]);
			p += 2;
			continue;
		}
		if (*p == '\'' || *p == '"') {
			q = *p++;
			ibuf_add(&w, "", 0);
			continue;
		}
		if (*p == '#' && w.len == 0 && w.s == NULL) {
			p += strcspn(p, "\n");
			continue;
		}
		if (*p == ' ' || *p == '\t') {
			imp_cmd_word(&c, &w);
			p++;
			continue;
		}
		if (*p == '<') {
			imp_cmd_word(&c, &w);
			c.input = 1;
			if (p[1] == '<' && p[2] != '<') {
				const char	*s = p + 2;
				size_t		 n;

				s += *s == '-';
				s += strspn(s, " '\"");
				n = strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEF"
				    "GHIJKLMNOPQRSTUVWXYZ0123456789_.-");
				if (n > 0 && heredoc == NULL) {
					/* The body starts on the next line. */
					heredoc = xstrndup(s, n);
				}
			}
			p += strspn(p, "<");
			continue;
		}
		if (*p == ';' || *p == '&' || *p == '|' || *p == '\n' ||
		    *p == '(' || *p == ')') {
			imp_cmd_word(&c, &w);
			if (c.n > 0)
				tty = imp_cmd_tty(&c, 0);
			imp_cmd_clear(&c);
			pipe_next = *p == '|' && p[1] != '|';
			c.piped = pipe_next;
			if (*p == '\n' && heredoc != NULL) {
				p++;
				continue;
			}
			p += (p[0] == p[1] && (*p == '&' || *p == '|')) ? 2 : 1;
			continue;
		}
		ibuf_ch(&w, *p++);
	}
	imp_cmd_word(&c, &w);
	if (!tty && c.n > 0)
		tty = imp_cmd_tty(&c, 0);
	imp_cmd_clear(&c);
	free(c.w);
	free(heredoc);
	ibuf_free(&w);
	return (tty);
}

/*
 * The danger reason for run: every destructive command of the
 * validator's list (runbook_destructive) it holds, named.  NULL when
 * there is none.  Caller frees.
 */
static char *
imp_danger(const char *run)
{
	struct ibuf	 names = { NULL, 0, 0 };
	const char	*m, *at, *rest;
	char		*copy, *line, *nl, *out;
	size_t		 count = 0;

	copy = xstrdup(run);
	for (line = copy; line != NULL && count < 4; line = nl) {
		if ((nl = strchr(line, '\n')) != NULL)
			*nl++ = '\0';
		rest = line;
		while (count < 4 && *rest != '\0' &&
		    (m = runbook_destructive(rest)) != NULL) {
			if ((at = strstr(rest, m)) == NULL)
				break;
			if (names.s == NULL || strstr(names.s, m) == NULL) {
				if (names.len > 0)
					ibuf_str(&names, ", ");
				ibuf_str(&names, m);
				count++;
			}
			rest = at + (strlen(m) > 0 ? strlen(m) : 1);
		}
	}
	free(copy);
	if (names.s == NULL && (m = runbook_destructive(run)) != NULL)
		ibuf_str(&names, m);
	if (names.s == NULL)
		return (NULL);
	out = xprintf("runs a destructive command (%s): check what it "
	    "deletes or stops before running it", names.s);
	ibuf_free(&names);
	return (out);
}

/* ------------------------------------------------------------------ */
/* Steps and scenarios. */

/* A new scenario with a unique id from its title. */
static struct imp_scenario *
imp_scenario_new(struct imp *imp, const char *title, int line, int procedure)
{
	struct imp_scenario	*sc;
	char			*slug;

	imp->scs = imp_grow(imp->scs, imp->nscs, sizeof *imp->scs);
	sc = &imp->scs[imp->nscs++];
	memset(sc, 0, sizeof *sc);
	sc->title = xstrdup(*title != '\0' ? title : "Untitled");
	slug = imp_slug(title, 48);
	sc->id = imp_unique(&imp->sc_ids, slug != NULL ? slug : "scenario",
	    "-");
	free(slug);
	sc->line = line;
	sc->procedure = procedure;
	imp_spend(imp, 9, line);
	return (sc);
}

/* A new step; its title loses a trailing colon. */
static struct imp_step *
imp_step_new(struct imp_scenario *sc, const char *title, int line)
{
	struct imp_step	*st;
	size_t		 n;

	sc->steps = imp_grow(sc->steps, sc->nsteps, sizeof *sc->steps);
	st = &sc->steps[sc->nsteps++];
	memset(st, 0, sizeof *st);
	n = title != NULL ? strlen(title) : 0;
	while (n > 0 && (title[n - 1] == ':' || title[n - 1] == ' '))
		n--;
	if (n == 0)
		st->title = xprintf("Step %zu", sc->nsteps);
	else
		st->title = xstrndup(title, n);
	st->line = line;
	st->gotos[0] = st->gotos[1] = NONE;
	return (st);
}

/* Append a copy of s to a list of strings. */
static void
imp_strv_add(char ***v, size_t *n, const char *s)
{
	*v = imp_grow(*v, *n, sizeof **v);
	(*v)[(*n)++] = xstrdup(s);
}

/* The URL in an "Open URL" line, and whether the line is only that. */
static char *
imp_open_url(const char *line, int *exact)
{
	const char	*p = line, *u, *e;
	size_t		 i, n;

	for (i = 0; imp_open_verbs[i] != NULL; i++) {
		n = strlen(imp_open_verbs[i]);
		if (strncasecmp(p, imp_open_verbs[i], n) == 0 && p[n] == ' ')
			break;
	}
	if (imp_open_verbs[i] == NULL)
		return (NULL);
	if ((u = strstr(p, "http://")) == NULL &&
	    (u = strstr(p, "https://")) == NULL)
		return (NULL);
	for (e = u; *e != '\0' && !isspace((unsigned char)*e) && *e != ')' &&
	    *e != '>' && *e != ']' && *e != '"' && *e != '\''; e++)
		;
	while (e > u && strchr(".,;:", e[-1]) != NULL)
		e--;
	*exact = u == p + n + 1 && e[strspn(e, ".")] == '\0';
	return (xstrndup(u, e - u));
}

/* A line of prose into a step's text; "Open URL" lines are noted. */
static void
imp_step_text(struct imp_step *st, const char *line, int lno)
{
	char	*url;
	int	 exact;

	if (lno > 0 && st->open_url == NULL &&
	    (url = imp_open_url(line + strspn(line, " -0123456789.)"),
	    &exact)) != NULL) {
		st->open_url = url;
		if (exact) {
			/* Out of the text unless the step runs something. */
			st->open_line = xstrdup(line);
			st->open_at = st->text.b.len;
			st->open_lno = lno;
			return;
		}
	}
	itext_line(&st->text, line);
}

/* A list item under a step: "- text" or "3. text", indented by depth. */
static void
imp_step_item(struct imp_step *st, const struct md_block *b, const char *raw,
    int base)
{
	struct ibuf	 line = { NULL, 0, 0 };
	const char	*num;
	char		*txt = md_inline(b->text);
	int		 depth = (b->indent - base) / 2, i;

	for (i = 0; i < depth && i < 8; i++)
		ibuf_str(&line, "  ");
	if (b->ordered) {
		md_indent(raw, &num);
		ibuf_add(&line, num, strspn(num, "0123456789"));
		ibuf_str(&line, ". ");
	} else
		ibuf_str(&line, "- ");
	ibuf_str(&line, txt);
	imp_step_text(st, line.s, b->line);
	free(txt);
	ibuf_free(&line);
}

/* Item text with its marker, for descriptions and pending text. */
static void
imp_item_line(struct ibuf *line, const struct md_block *b, const char *raw,
    int base)
{
	const char	*num;
	char		*txt = md_inline(b->text);
	int		 depth = (b->indent - base) / 2, i;

	for (i = 0; i < depth && i < 8; i++)
		ibuf_str(line, "  ");
	if (b->ordered) {
		md_indent(raw, &num);
		ibuf_add(line, num, strspn(num, "0123456789"));
		ibuf_str(line, ". ");
	} else
		ibuf_str(line, "- ");
	ibuf_str(line, txt);
	free(txt);
}

/* Any block as lines of text: prose without markup, code as written. */
static void
imp_block_text(struct imp *imp, struct itext *t, struct md_block *b,
    int base)
{
	struct ibuf	 line = { NULL, 0, 0 };
	char		*txt;
	int		 ln, last;

	b->done = 1;
	if (b->blank_before)
		itext_gap(t);
	switch (b->kind) {
	case MD_HEADING:
	case MD_TEXT:
		txt = md_inline(b->text);
		itext_line(t, txt);
		free(txt);
		break;
	case MD_ITEM:
		imp_item_line(&line, b, imp_line(imp, b->line), base);
		itext_line(t, line.s);
		ibuf_free(&line);
		break;
	case MD_CODE:
		last = b->closed ? b->last - 1 : b->last;
		for (ln = b->line + 1; ln <= last; ln++)
			itext_line(t, md_dedent(imp_line(imp, ln), b->indent));
		break;
	case MD_TABLE:
		for (ln = b->line; ln <= b->last; ln++)
			itext_line(t, imp_line(imp, ln) +
			    strspn(imp_line(imp, ln), " \t"));
		break;
	case MD_RULE:
		break;
	}
}

/* Append a paragraph from line to the runbook description. */
static void
imp_describe(struct imp *imp, const char *heading, const struct itext *t,
    int line)
{
	if (t->b.len == 0 || imp->stop)
		return;
	itext_gap(&imp->desc);
	if (heading != NULL)
		itext_line(&imp->desc, heading);
	itext_line(&imp->desc, t->b.s);
	if (imp->desc.b.len >= IMPORT_MAX_SCALAR) {
		imp_error(imp, line, "the runbook description would hold "
		    "more than %d KiB of text (the format's limit for one "
		    "field)", IMPORT_MAX_SCALAR / 1024);
		imp->stop = 1;
	}
}

/* The blocks of [first, end) not used yet, into the description. */
static int
imp_rest(struct imp *imp, const struct md_section *sec, const char *heading,
    const char *why)
{
	struct itext	 t = { { NULL, 0, 0 }, 0 };
	size_t		 i;
	int		 line = 0;

	for (i = sec->first; i < sec->end; i++) {
		if (imp->blocks[i].done)
			continue;
		if (line == 0)
			line = imp->blocks[i].line;
		imp_block_text(imp, &t, &imp->blocks[i], 0);
	}
	if (t.b.len == 0) {
		ibuf_free(&t.b);
		return (0);
	}
	imp_describe(imp, heading, &t, line);
	if (why != NULL)
		imp_warn(imp, line, "%s: kept in the runbook description", why);
	ibuf_free(&t.b);
	return (1);
}

/* "Last reviewed: January 2025", "Owner: DevOps": runbook fields. */
static int
imp_meta(struct imp *imp, struct md_block *b)
{
	static const char *const reviewed[] = { "last reviewed", "reviewed on",
	    "reviewed", "last review", "review date", NULL };
	static const char *const owner[] = { "owner:", "owned by",
	    "maintainer:", "maintained by", "document owner:",
	    "runbook owner:", NULL };
	char	*txt = md_inline(b->text), *date, *p;
	size_t	 i;
	int	 used = 0;

	for (i = 0; imp->reviewed == NULL && reviewed[i] != NULL; i++) {
		if (!imp_prefix(txt, reviewed[i]))
			continue;
		p = txt + strlen(reviewed[i]);
		if (*p != ':' && *p != ' ')
			continue;
		if ((date = imp_date(p)) != NULL) {
			imp->reviewed = date;
			imp_map(imp, b->line, "reviewed: %s", date);
			used = 1;
		}
		break;
	}
	for (i = 0; !used && imp->owner == NULL && owner[i] != NULL; i++) {
		if (!imp_prefix(txt, owner[i]))
			continue;
		p = txt + strlen(owner[i]);
		p += strspn(p, ": \t");
		if (*p == '\0' || strlen(p) > 200)
			break;
		imp->owner = xstrdup(p);
		imp_map(imp, b->line, "owner");
		used = 1;
	}
	free(txt);
	if (used)
		b->done = 1;
	return (used);
}

/* ------------------------------------------------------------------ */
/* Tables: systems and contacts. */

/* The cells of a table row; caller frees with imp_cells_free. */
static char **
md_cells(const char *line, size_t *n)
{
	struct ibuf	  cell = { NULL, 0, 0 };
	char		**v = NULL;
	const char	 *p = line + strspn(line, " \t");
	size_t		  cap = 0;

	*n = 0;
	if (*p == '|')
		p++;
	for (;;) {
		if (*p == '\\' && p[1] == '|') {
			ibuf_ch(&cell, '|');
			p += 2;
			continue;
		}
		if (*p == '|' || *p == '\0') {
			char	*t = imp_trim(cell.s != NULL ? cell.s : "",
				    cell.len);

			if (*p == '\0' && *t == '\0' && *n > 0) {
				free(t);
				break;
			}
			if (*n == cap) {
				cap = cap == 0 ? 8 : cap * 2;
				v = xreallocarray(v, cap, sizeof *v);
			}
			v[(*n)++] = md_inline(t);
			free(t);
			cell.len = 0;
			if (cell.s != NULL)
				cell.s[0] = '\0';
			if (*p == '\0')
				break;
			p++;
			continue;
		}
		ibuf_ch(&cell, *p++);
	}
	ibuf_free(&cell);
	return (v);
}

/* Free the cells of a table row. */
static void
imp_cells_free(char **v, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

/* word in s, not inside a longer word. */
static int
imp_hasword(const char *s, const char *word)
{
	const char	*p = s;
	size_t		 n = strlen(word);

	while ((p = imp_find(p, word)) != NULL) {
		if ((p == s || !isalnum((unsigned char)p[-1])) &&
		    !isalnum((unsigned char)p[n]))
			return (1);
		p++;
	}
	return (0);
}

/* Whether a column header holds one of words. */
static int
imp_column(const char *head, const char *const *words)
{
	for (; *words != NULL; words++) {
		if (imp_hasword(head, *words))
			return (1);
	}
	return (0);
}

/* What a contact cell holds, judged by its content. */
static int
imp_contact_kind(const char *s)
{
	const char	*at = strchr(s, '@');
	size_t		 digits = 0;
	const char	*p;

	if (at != NULL && at != s && strchr(at, '.') != NULL &&
	    strpbrk(s, " \t") == NULL)
		return (CF_EMAIL);
	for (p = s; *p != '\0'; p++)
		digits += isdigit((unsigned char)*p) || *p == 'X' || *p == 'x';
	if ((*s == '+' || *s == '(' || isdigit((unsigned char)*s)) &&
	    digits >= 5)
		return (CF_PHONE);
	if (*s == '#' || *s == '@')
		return (CF_CHAT);
	return (CF_NAME);
}

/* Note a table cell that has no place: "who: column: value". */
static void
imp_leftover(struct ibuf *left, const char *who, const char *head,
    const char *val)
{
	if (left->len > 0)
		ibuf_ch(left, '\n');
	ibuf_str(left, who);
	ibuf_str(left, ": ");
	ibuf_str(left, head);
	ibuf_str(left, ": ");
	ibuf_str(left, val);
}

/* Table cells without a place into the description, with a warning. */
static void
imp_leftovers(struct imp *imp, struct ibuf *left, int line, const char *what)
{
	struct itext	t = { { NULL, 0, 0 }, 0 };

	if (left->len == 0)
		return;
	itext_line(&t, left->s);
	imp_describe(imp, NULL, &t, line);
	imp_warn(imp, line, "%s table cells the runbook format has no place "
	    "for: kept in the runbook description", what);
	ibuf_free(&t.b);
}

/* A table with RTO or RPO columns: one system per row. */
static void
imp_systems(struct imp *imp, struct md_block *b, char **head, size_t nhead)
{
	static const char *const prio_words[] = { "priority", "prio", "order",
	    "rank", "tier", "#", NULL };
	static const char *const name_words[] = { "system", "service",
	    "component", "application", "app", "name", NULL };
	struct ibuf		 left = { NULL, 0, 0 };
	struct imp_system	*sys;
	char			**cells, *slug, *d, *end;
	const char		*cell;
	size_t			 n, c, row = 0;
	long			 prio;
	int64_t			 ms;
	int			 ln, rto = -1, rpo = -1, pr = -1, nm = -1;

	for (c = 0; c < nhead; c++) {
		if (rto < 0 && (imp_hasword(head[c], "rto") ||
		    imp_find(head[c], "recovery time") != NULL))
			rto = (int)c;
		else if (rpo < 0 && (imp_hasword(head[c], "rpo") ||
		    imp_find(head[c], "recovery point") != NULL))
			rpo = (int)c;
		else if (pr < 0 && (imp_column(head[c], prio_words) ||
		    strcmp(head[c], "#") == 0))
			pr = (int)c;
		else if (nm < 0 && imp_column(head[c], name_words))
			nm = (int)c;
	}
	for (c = 0; nm < 0 && c < nhead; c++) {
		if ((int)c != rto && (int)c != rpo && (int)c != pr)
			nm = (int)c;
	}
	imp_map(imp, b->line, "systems (the columns)");
	for (ln = b->line + 2; ln <= b->last; ln++) {
		cells = md_cells(imp_line(imp, ln), &n);
		row++;
		cell = nm >= 0 && (size_t)nm < n ? cells[nm] : "";
		if (*cell == '\0') {
			imp_leftover(&left, "Row", "(no system name)",
			    imp_line(imp, ln));
			imp_cells_free(cells, n);
			continue;
		}
		imp->systems = imp_grow(imp->systems, imp->nsystems,
		    sizeof *imp->systems);
		sys = &imp->systems[imp->nsystems++];
		memset(sys, 0, sizeof *sys);
		sys->name = xstrdup(cell);
		sys->line = ln;
		imp_spend(imp, 11, ln);
		slug = imp_slug(cell, 40);
		sys->id = imp_unique(&imp->sys_ids, slug != NULL ? slug :
		    "system", "-");
		free(slug);
		sys->priority = (int)row;
		if (pr >= 0 && (size_t)pr < n && *cells[pr] != '\0') {
			cell = cells[pr] + strcspn(cells[pr], "0123456789");
			prio = strtol(cell, &end, 10);
			if (*cell != '\0' && end - cell <= 6 && prio >= 1)
				sys->priority = (int)prio;
			else
				imp_warn(imp, ln, "priority '%s' of system "
				    "'%s' is not a number from 1: using the "
				    "row number, %d", cells[pr], sys->name,
				    sys->priority);
		}
		for (c = 0; c < n; c++) {
			cell = cells[c];
			if ((int)c == nm || (int)c == pr || *cell == '\0' ||
			    strcmp(cell, "-") == 0 ||
			    strcmp(cell, "\xe2\x80\x94") == 0)
				continue;
			if ((int)c != rto && (int)c != rpo) {
				imp_leftover(&left, sys->name, c < nhead ?
				    head[c] : "(extra cell)", cell);
				continue;
			}
			if (strspn(cell, "0123456789") == strlen(cell) &&
			    strcmp(cell, "0") != 0 &&
			    value_duration(cell, &ms) == 0) {
				imp_warn(imp, ln, "%s '%s' of system '%s' has "
				    "no unit: it is read as seconds",
				    (int)c == rto ? "RTO" : "RPO", cell,
				    sys->name);
				d = xstrdup(cell);
			} else
				d = imp_duration(cell);
			if ((int)c == rto) {
				if (d != NULL)
					sys->rto = d;
				else
					imp_leftover(&left, sys->name,
					    "RTO (not a duration)", cell);
			} else
				sys->rpo = d != NULL ? d : xstrdup(cell);
		}
		imp_map(imp, ln, "system %s", sys->id);
		imp_cells_free(cells, n);
	}
	imp_leftovers(imp, &left, b->line, "systems");
	ibuf_free(&left);
}

/* A new contact. */
static struct imp_contact *
imp_contact_new(struct imp *imp, int line)
{
	struct imp_contact	*ct;

	imp->contacts = imp_grow(imp->contacts, imp->ncontacts,
	    sizeof *imp->contacts);
	ct = &imp->contacts[imp->ncontacts++];
	memset(ct, 0, sizeof *ct);
	ct->line = line;
	imp_spend(imp, 5, line);
	return (ct);
}

/* A table of people: one contact per row. */
static void
imp_contacts(struct imp *imp, struct md_block *b, char **head, size_t nhead)
{
	struct ibuf		 left = { NULL, 0, 0 };
	struct imp_contact	*ct;
	int			*col, ln, f, role = -1;
	char			**cells;
	size_t			 n, c, k;

	col = xcalloc(nhead + 1, sizeof *col);
	for (c = 0; c < nhead; c++) {
		col[c] = CF_NONE;
		for (k = 0; imp_contact_columns[k].word != NULL; k++) {
			if (imp_hasword(head[c], imp_contact_columns[k].word)) {
				col[c] = imp_contact_columns[k].field;
				break;
			}
		}
		if (col[c] == CF_ROLE && role < 0)
			role = (int)c;
	}
	if (role < 0 && nhead > 0)
		col[role = 0] = CF_ROLE;
	imp_map(imp, b->line, "contacts (the columns)");
	for (ln = b->line + 2; ln <= b->last; ln++) {
		cells = md_cells(imp_line(imp, ln), &n);
		ct = imp_contact_new(imp, ln);
		for (c = 0; c < n; c++) {
			if (*cells[c] == '\0')
				continue;
			f = c < nhead ? col[c] : CF_NONE;
			if (f == CF_ANY)
				f = imp_contact_kind(cells[c]);
			if ((int)c != role && f == CF_ROLE)
				f = CF_NONE;
			if (f == CF_NONE || ct->f[f] != NULL) {
				imp_leftover(&left, (size_t)role < n &&
				    *cells[role] != '\0' ? cells[role] :
				    "Contact", c < nhead ? head[c] :
				    "(extra cell)", cells[c]);
				continue;
			}
			ct->f[f] = xstrdup(cells[c]);
		}
		if (ct->f[CF_ROLE] == NULL)
			ct->f[CF_ROLE] = ct->f[CF_NAME] != NULL ?
			    xstrdup(ct->f[CF_NAME]) :
			    xprintf("Contact %zu", imp->ncontacts);
		imp_map(imp, ln, "contact '%s'", ct->f[CF_ROLE]);
		imp_cells_free(cells, n);
	}
	imp_leftovers(imp, &left, b->line, "contacts");
	ibuf_free(&left);
	free(col);
}

/* Systems and contacts tables of a section; other tables stay. */
static void
imp_tables(struct imp *imp, const struct md_section *sec, int contact_sec)
{
	struct md_block	*b;
	char		**head;
	size_t		  i, n, c;
	int		  rto, people;

	for (i = sec->first; i < sec->end; i++) {
		b = &imp->blocks[i];
		if (b->kind != MD_TABLE || b->done)
			continue;
		head = md_cells(imp_line(imp, b->line), &n);
		rto = people = 0;
		for (c = 0; c < n; c++) {
			if (imp_hasword(head[c], "rto") ||
			    imp_hasword(head[c], "rpo") ||
			    imp_find(head[c], "recovery time") != NULL ||
			    imp_find(head[c], "recovery point") != NULL)
				rto = 1;
			if (imp_hasword(head[c], "role") ||
			    imp_hasword(head[c], "phone") ||
			    imp_hasword(head[c], "email") ||
			    imp_hasword(head[c], "e-mail"))
				people = 1;
		}
		if (rto) {
			imp_systems(imp, b, head, n);
			b->done = 1;
		} else if (people || contact_sec) {
			imp_contacts(imp, b, head, n);
			b->done = 1;
		}
		imp_cells_free(head, n);
	}
}

/* "Role: name, email, phone" lines of a contacts section. */
static void
imp_contact_lines(struct imp *imp, const struct md_section *sec)
{
	static const char *const seps[] = { ": ", " - ", " \xe2\x80\x93 ",
	    " \xe2\x80\x94 ", NULL };
	struct imp_contact	 ct;
	struct ibuf		 names = { NULL, 0, 0 };
	struct md_block		*b;
	char			*txt, *rest, *part, *save, *sep;
	size_t			 i, k;
	int			 f, found;

	for (i = sec->first; i < sec->end; i++) {
		b = &imp->blocks[i];
		if (b->done || (b->kind != MD_ITEM && b->kind != MD_TEXT))
			continue;
		txt = md_inline(b->text);
		memset(&ct, 0, sizeof ct);
		for (k = 0, sep = NULL; seps[k] != NULL && sep == NULL; k++)
			sep = strstr(txt, seps[k]);
		rest = txt;
		if (sep != NULL) {
			ct.f[CF_ROLE] = imp_trim(txt, sep - txt);
			rest = sep + strspn(sep, " :-\xe2\x80\x93\x94");
		}
		found = 0;
		names.len = 0;
		for (part = strtok_r(rest, ",;", &save); part != NULL;
		    part = strtok_r(NULL, ",;", &save)) {
			part = imp_trim(part, strlen(part));
			f = *part != '\0' ? imp_contact_kind(part) : CF_NONE;
			if (f != CF_NAME && f != CF_NONE)
				found = 1;
			if (f != CF_NAME && f != CF_NONE && ct.f[f] == NULL) {
				ct.f[f] = part;
				continue;
			}
			/* Names, and a second email or phone, as the name:
			 * the format has one of each. */
			if (f != CF_NONE) {
				if (names.len > 0)
					ibuf_str(&names, ", ");
				ibuf_str(&names, part);
			}
			free(part);
		}
		if (names.len > 0)
			ct.f[CF_NAME] = xstrdup(names.s);
		if (!found) {
			for (k = 0; k < 5; k++)
				free(ct.f[k]);
			free(txt);
			continue;
		}
		if (ct.f[CF_ROLE] == NULL || *ct.f[CF_ROLE] == '\0') {
			free(ct.f[CF_ROLE]);
			ct.f[CF_ROLE] = ct.f[CF_NAME];
			ct.f[CF_NAME] = NULL;
			if (ct.f[CF_ROLE] == NULL)
				ct.f[CF_ROLE] = xstrdup("Contact");
		}
		ct.line = b->line;
		*imp_contact_new(imp, b->line) = ct;
		imp_map(imp, b->line, "contact '%s'", ct.f[CF_ROLE]);
		b->done = 1;
		free(txt);
	}
	ibuf_free(&names);
}

/* The entry being built into post_incident. */
static void
imp_post_flush(struct imp *imp, struct ibuf *cur)
{
	if (cur->s == NULL)
		return;
	imp_strv_add(&imp->post, &imp->npost, *cur->s != '\0' ? cur->s :
	    "(empty item)");
	ibuf_free(cur);
}

/*
 * The list of a post-incident section: one entry per outermost item,
 * nested items folded into it ("Item: sub, sub"), lines right after an
 * item joined to it.  Entries are built in a buffer: linear.
 */
static void
imp_post(struct imp *imp, const struct md_section *sec)
{
	struct ibuf	 cur = { NULL, 0, 0 };
	struct md_block	*b;
	char		*txt;
	size_t		 i;
	int		 base = -1, folds = 0, prev = 0;

	for (i = sec->first; i < sec->end; i++) {
		b = &imp->blocks[i];
		if (b->kind == MD_ITEM && !b->done &&
		    (base < 0 || b->indent < base))
			base = b->indent;
	}
	for (i = sec->first; i < sec->end && !imp->stop; i++) {
		b = &imp->blocks[i];
		if (b->done)
			continue;
		if (b->kind == MD_TEXT && prev && !b->blank_before &&
		    cur.s != NULL) {
			txt = md_inline(b->text);
			ibuf_ch(&cur, ' ');
			ibuf_str(&cur, txt);
			free(txt);
			b->done = 1;
			continue;
		}
		prev = 0;
		if (b->kind != MD_ITEM)
			continue;
		txt = md_inline(b->text);
		if (b->indent <= base || cur.s == NULL) {
			imp_post_flush(imp, &cur);
			imp_spend(imp, 1, b->line);
			ibuf_add(&cur, txt, strlen(txt));
			folds = 0;
		} else {
			ibuf_str(&cur, folds++ == 0 ? ": " : ", ");
			ibuf_str(&cur, txt);
		}
		free(txt);
		b->done = 1;
		prev = 1;
		if (cur.len >= IMPORT_MAX_SCALAR) {
			imp_error(imp, b->line, "a post-incident item would "
			    "hold more than %d KiB of text",
			    IMPORT_MAX_SCALAR / 1024);
			imp->stop = 1;
		}
	}
	imp_post_flush(imp, &cur);
}

/* ------------------------------------------------------------------ */
/* Scenarios. */

/* "Step 2: Do it", "2. Do it", "2) Do it": a heading that is a step. */
static const char *
imp_step_heading(const char *title)
{
	const char	*p = title;
	int		 step = 0;

	if (imp_prefix(p, "step") && (p[4] == ' ' ||
	    isdigit((unsigned char)p[4]))) {
		p += 4 + strspn(p + 4, " ");
		step = 1;
	}
	if (!isdigit((unsigned char)*p) || strspn(p, "0123456789") > 3)
		return (NULL);
	p += strspn(p, "0123456789");
	if (!step && *p != '.' && *p != ')' && *p != ':')
		return (NULL);
	while (*p != '\0' && (strchr(" .):-", *p) != NULL ||
	    strncmp(p, "\xe2\x80\x93", 3) == 0 ||
	    strncmp(p, "\xe2\x80\x94", 3) == 0))
		p += (unsigned char)*p >= 0x80 ? 3 : 1;
	return (p);
}

/*
 * Which items of sec start steps, and which belong to the list of a
 * label (Symptoms:, When to use:, Prerequisites:).  Steps are the
 * outermost ordered items; without any, the bullets after a "Steps:"
 * label.  Returns the number of step items.
 */
static size_t
imp_mark_items(struct imp *imp, const struct md_section *sec)
{
	struct md_block	*b;
	enum imp_label	 label = L_NONE, l;
	char		*rest;
	size_t		 i, nsteps = 0;
	int		 lindent = -1, lordered = 0, min = -1, after = 0;
	int		 bullets = -1;

	for (i = sec->first; i < sec->end; i++) {
		b = &imp->blocks[i];
		if (b->done)
			continue;
		b->step = b->label = b->fold = 0;
		if (b->kind == MD_TEXT) {
			l = imp_label(b->text, &rest);
			free(rest);
			if (l == L_SYMPTOMS || l == L_WHEN || l == L_PREREQ ||
			    l == L_STEPS) {
				label = l;
				lindent = -1;
				after = l == L_STEPS;
			} else if (b->indent < 2 || b->blank_before)
				label = L_NONE;
			continue;
		}
		if (b->kind != MD_ITEM) {
			label = L_NONE;
			continue;
		}
		if (label != L_NONE && label != L_STEPS && lindent >= 0 &&
		    b->indent <= lindent && b->ordered != lordered)
			label = L_NONE;
		if (label != L_NONE && label != L_STEPS) {
			if (lindent < 0 || b->indent < lindent) {
				lindent = b->indent;
				lordered = b->ordered;
			}
			b->label = label;
			b->fold = b->indent > lindent;
			continue;
		}
		if (b->ordered && (min < 0 || b->indent < min))
			min = b->indent;
		if (!b->ordered && after &&
		    (bullets < 0 || b->indent < bullets))
			bullets = b->indent;
	}
	for (i = sec->first; i < sec->end; i++) {
		b = &imp->blocks[i];
		if (b->done || b->kind != MD_ITEM || b->label)
			continue;
		if (min >= 0 ? (b->ordered && b->indent <= min) :
		    (bullets >= 0 && !b->ordered && b->indent <= bullets)) {
			b->step = 1;
			nsteps++;
		}
	}
	if (min < 0 && bullets >= 0) {
		/* Bullets count only after the Steps: label. */
		label = L_NONE;
		for (i = sec->first; i < sec->end; i++) {
			b = &imp->blocks[i];
			if (b->done)
				continue;
			if (b->kind == MD_TEXT) {
				l = imp_label(b->text, &rest);
				free(rest);
				if (l != L_NONE)
					label = l;
			}
			if (b->step && label != L_STEPS) {
				b->step = 0;
				nsteps--;
			}
		}
	}
	return (nsteps);
}

struct walk {
	struct imp		*imp;
	const struct md_section	*sec;
	struct imp_scenario	*sc;
	size_t			 cur;		/* step; NONE: none yet */
	enum imp_label		 label;		/* label in force */
	size_t			 entries;	/* its entries so far */
	int			 entry_text;	/* joining mode */
	struct itext		 pending;	/* text not placed yet */
	int			 pending_line;
	size_t			 cand;		/* title for next code? */
	int			 in_when;	/* the intro paragraph */
	int			 heading_step;	/* in a step heading */
	size_t			 untitled;
	struct ibuf		 entry;		/* entry being built */
	enum imp_label		 entry_label;	/* its list */
};

/* The step being filled, or NULL before the first. */
static struct imp_step *
walk_step(struct walk *w)
{
	return (w->cur == NONE ? NULL : &w->sc->steps[w->cur]);
}

/* A block with no place yet: kept for the next step. */
static void
walk_pending(struct walk *w, struct md_block *b)
{
	if (w->pending.b.len == 0)
		w->pending_line = b->line;
	imp_block_text(w->imp, &w->pending, b, 0);
}

/* Pending text into the step just made. */
static void
walk_flush(struct walk *w, struct imp_step *st, int warn)
{
	if (w->pending.b.len == 0)
		return;
	if (st->text.b.len > 0)
		itext_gap(&st->text);
	itext_line(&st->text, w->pending.b.s);
	if (warn)
		imp_warn(w->imp, w->pending_line, "text before the first "
		    "step kept on step '%s'", st->title);
	ibuf_free(&w->pending.b);
	w->pending.gap = 0;
}

/* A new step; text before the first step goes into it. */
static struct imp_step *
walk_new_step(struct walk *w, const char *title, int line, int content)
{
	struct imp_step	*st;
	int		 first = w->sc->nsteps == 0;

	imp_spend(w->imp, 5, line);
	st = imp_step_new(w->sc, title, line);
	st->content = content;
	w->cur = w->sc->nsteps - 1;
	w->label = L_NONE;
	walk_flush(w, st, first && !w->sc->procedure);
	return (st);
}

/* The list an entry goes to. */
static void
walk_list(struct walk *w, enum imp_label l, char ****v, size_t **n)
{
	if (l == L_SYMPTOMS) {
		*v = &w->sc->symptoms;
		*n = &w->sc->nsymptoms;
	} else {
		*v = &w->sc->prereqs;
		*n = &w->sc->nprereqs;
	}
}

/* The entry being built into its list. */
static void
walk_entry_flush(struct walk *w)
{
	char	***v;
	size_t	 *n;

	if (w->entry.s == NULL)
		return;
	walk_list(w, w->entry_label, &v, &n);
	imp_strv_add(v, n, w->entry.s);
	ibuf_free(&w->entry);
}

/*
 * An entry of the label in force: a symptom, a prerequisite, when.
 * fold: a nested item, joined to the entry before with ": " then ", ";
 * join: a line of the same paragraph, joined with a space.  The entry is
 * built in a buffer, so that many nested items stay linear.
 */
static void
walk_entry(struct walk *w, const char *txt, int fold, int join)
{
	struct imp_scenario	*sc = w->sc;
	char			***v;
	size_t			 *n;

	if (*txt == '\0')
		return;
	if (w->label == L_WHEN) {
		walk_entry_flush(w);
		if (sc->when.b.len > 0)
			ibuf_str(&sc->when.b, join ? " " : fold ?
			    (w->entry_text ? ", " : ": ") : "; ");
		ibuf_str(&sc->when.b, txt);
		w->entry_text = fold;
		w->entries++;
		return;
	}
	if ((fold || join) && (w->entry.s == NULL ||
	    w->entry_label != w->label)) {
		/* Reopen the last entry of this list. */
		walk_entry_flush(w);
		walk_list(w, w->label, &v, &n);
		if (*n > 0) {
			ibuf_str(&w->entry, (*v)[*n - 1]);
			free((*v)[--*n]);
			w->entry_label = w->label;
		}
	}
	if ((fold || join) && w->entry.s != NULL) {
		ibuf_str(&w->entry, join ? " " : w->entry_text ? ", " : ": ");
		ibuf_str(&w->entry, txt);
		w->entry_text = fold && !join ? 1 : w->entry_text;
	} else {
		walk_entry_flush(w);
		imp_spend(w->imp, 1, 0);
		ibuf_str(&w->entry, txt);
		w->entry_label = w->label;
		w->entry_text = 0;
	}
	if (w->entry.len >= IMPORT_MAX_SCALAR && !w->imp->stop) {
		imp_error(w->imp, sc->line, "a list entry of scenario '%s' "
		    "would hold more than %d KiB of text", sc->title,
		    IMPORT_MAX_SCALAR / 1024);
		w->imp->stop = 1;
	}
	w->entries++;
}

/* A list item: a step, an entry of a label's list, or text. */
static void
walk_item(struct walk *w, struct md_block *b)
{
	struct imp_step	*st;
	char		*txt;

	if (b->step && !w->heading_step) {
		txt = md_inline(b->text);
		walk_new_step(w, txt, b->line, b->content);
		free(txt);
		b->done = 1;
		return;
	}
	if (b->label != L_NONE && !w->heading_step) {
		w->label = b->label;
		txt = md_inline(b->text);
		walk_entry(w, txt, b->fold, 0);
		free(txt);
		b->done = 1;
		return;
	}
	if ((st = walk_step(w)) != NULL && !(w->sc->procedure &&
	    !w->heading_step)) {
		if (b->blank_before && b->indent < st->content &&
		    !w->heading_step)
			imp_warn(w->imp, b->line, "list after the steps kept "
			    "on step '%s'", st->title);
		if (b->blank_before)
			itext_gap(&st->text);
		imp_step_item(st, b, imp_line(w->imp, b->line), st->content);
		b->done = 1;
		return;
	}
	walk_pending(w, b);
}

/* A text line that is not a label: an entry, step text, when, pending. */
static void
walk_text_plain(struct walk *w, struct md_block *b)
{
	struct imp_step	*st;
	char		*txt = md_inline(b->text);

	if ((w->label == L_SYMPTOMS || w->label == L_WHEN ||
	    w->label == L_PREREQ) && !w->heading_step &&
	    (w->entries == 0 || (w->entry_text == 2 && !b->blank_before))) {
		walk_entry(w, txt, 0, w->entries > 0);
		w->entry_text = 2;	/* a paragraph: its lines join */
		free(txt);
		b->done = 1;
		return;
	}
	w->label = L_NONE;
	st = walk_step(w);
	if (st != NULL && (!w->sc->procedure || w->heading_step)) {
		if (b->blank_before && b->indent < st->content &&
		    !w->heading_step)
			imp_warn(w->imp, b->line, "text after the steps kept "
			    "on step '%s'", st->title);
		if (b->blank_before)
			itext_gap(&st->text);
		imp_step_text(st, txt, b->line);
		b->done = 1;
	} else if (st == NULL && !w->sc->procedure && (w->in_when ||
	    w->sc->when.b.len == 0) && (!w->in_when || !b->blank_before) &&
	    w->pending.b.len == 0) {
		/* The paragraph that opens a scenario says when. */
		if (w->sc->when.b.len > 0)
			ibuf_ch(&w->sc->when.b, ' ');
		ibuf_str(&w->sc->when.b, txt);
		w->in_when = 1;
		b->done = 1;
	} else {
		w->in_when = 0;
		walk_pending(w, b);
	}
	free(txt);
}

/* A text line: a label, a field, a title for the next code, or text. */
static void
walk_text(struct walk *w, struct md_block *b)
{
	struct imp_step	*st;
	enum imp_label	 l;
	char		*rest;
	static const char *const names[] = { "", "symptoms", "when",
	    "prerequisites", "steps", "" };

	if (imp_meta(w->imp, b))
		return;
	l = imp_label(b->text, &rest);
	if (l != L_NONE && l != L_OTHER && !w->heading_step) {
		imp_map(w->imp, b->line, "scenario %s: %s", w->sc->id,
		    names[l]);
		w->label = l;
		w->entries = 0;
		w->in_when = 0;
		b->done = 1;
		if (l != L_STEPS && *rest != '\0')
			walk_entry(w, rest, 0, 0);
		else if (l == L_STEPS && *rest != '\0') {
			if ((st = walk_step(w)) != NULL)
				imp_step_text(st, rest, b->line);
			else {
				if (w->pending.b.len == 0)
					w->pending_line = b->line;
				itext_line(&w->pending, rest);
			}
		}
		free(rest);
		return;
	}
	free(rest);
	if (l == L_OTHER && (w->sc->procedure || w->cur == NONE) &&
	    !w->heading_step && strlen(b->text) <= 120) {
		w->cand = (size_t)(b - w->imp->blocks);
		return;
	}
	walk_text_plain(w, b);
}

/* A code block: into the step, or a new step in a procedure. */
static void
walk_code(struct walk *w, struct md_block *b)
{
	struct imp_step	*st = walk_step(w);
	struct md_block	*cb;
	char		*title = NULL, *rest = NULL;

	if (st != NULL && w->sc->procedure && !w->heading_step &&
	    !imp_is_shell(b->text)) {
		/* Not commands: shown with the step before, after any
		 * text that introduced it. */
		if (w->cand != NONE) {
			walk_pending(w, &w->imp->blocks[w->cand]);
			w->cand = NONE;
		}
		if (w->pending.b.len > 0) {
			itext_gap(&st->text);
			itext_line(&st->text, w->pending.b.s);
			ibuf_free(&w->pending.b);
			w->pending.gap = 0;
		}
		if (b->blank_before)
			itext_gap(&st->text);
		imp_code(w->imp, st, b);
		return;
	}
	if (st == NULL || (w->sc->procedure && !w->heading_step)) {
		if (w->cand != NONE) {
			cb = &w->imp->blocks[w->cand];
			if (imp_label(cb->text, &rest) == L_OTHER) {
				char	*plain = md_inline(cb->text);
				size_t	 n = strcspn(plain, ":");

				title = imp_trim(plain, n);
				free(plain);
			}
			cb->done = 1;
			w->cand = NONE;
		}
		if (title == NULL || *title == '\0') {
			free(title);
			if (w->untitled++ == 0)
				title = xstrdup(w->sec->head != NONE ?
				    w->sec->title : w->imp->title);
			else
				title = xprintf("%s (part %zu)",
				    w->sec->head != NONE ? w->sec->title :
				    w->imp->title, w->untitled);
		}
		st = walk_new_step(w, title, b->line, b->indent);
		if (rest != NULL && *rest != '\0')
			imp_step_text(st, rest, b->line);
		free(rest);
		free(title);
	}
	imp_code(w->imp, st, b);
}

/* A table that is neither systems nor contacts: text. */
static void
walk_table(struct walk *w, struct md_block *b)
{
	struct imp_step	*st = walk_step(w);

	if (st != NULL && (!w->sc->procedure || w->heading_step))
		imp_block_text(w->imp, &st->text, b, 0);
	else
		walk_pending(w, b);
}

/* Blocks [first, end) into the scenario. */
static void
walk_blocks(struct walk *w, size_t first, size_t end)
{
	struct md_block	*b;
	size_t		 i, cand;

	for (i = first; i < end && !w->imp->stop; i++) {
		b = &w->imp->blocks[i];
		if (b->done)
			continue;
		if (w->cand != NONE && b->kind != MD_CODE) {
			/* Not a title after all: plain text. */
			cand = w->cand;
			w->cand = NONE;
			walk_text_plain(w, &w->imp->blocks[cand]);
		}
		switch (b->kind) {
		case MD_HEADING:
			break;
		case MD_RULE:
			b->done = 1;
			break;
		case MD_ITEM:
			walk_item(w, b);
			break;
		case MD_TEXT:
			walk_text(w, b);
			break;
		case MD_CODE:
			walk_code(w, b);
			break;
		case MD_TABLE:
			walk_table(w, b);
			break;
		}
	}
	if (w->cand != NONE) {
		cand = w->cand;
		w->cand = NONE;
		walk_text_plain(w, &w->imp->blocks[cand]);
	}
}

/* "If X fails, Y": X (caller frees), and where Y starts; NULL if not. */
static char *
imp_fails(const char *title, const char **then)
{
	const char	*p, *best = NULL;
	size_t		 i, n, bestn = 0;

	if (!imp_prefix(title, "if "))
		return (NULL);
	for (i = 0; imp_fail_words[i] != NULL; i++) {
		n = strlen(imp_fail_words[i]);
		p = imp_find(title + 2, imp_fail_words[i]);
		if (p == NULL ||
		    (p[n] != '\0' && strchr(",:;. ", p[n]) == NULL))
			continue;
		if (best == NULL || p < best) {
			best = p;
			bestn = n;
		}
	}
	if (best == NULL || best <= title + 3)
		return (NULL);
	p = best + bestn;
	*then = p + strspn(p, ",:;. ");
	return (imp_trim(title + 3, best - title - 3));
}

/* Free what a step holds. */
static void
imp_step_free(struct imp_step *st)
{
	free(st->id);
	free(st->title);
	ibuf_free(&st->text.b);
	ibuf_free(&st->run.b);
	free(st->final);
	free(st->open);
	free(st->open_url);
	free(st->open_line);
	free(st->danger);
	free(st->ask);
	free(st->labels[0]);
	free(st->labels[1]);
	free(st->fails);
}

/* Put a noted "Open URL" line back where it was in the text. */
static void
imp_step_unopen(struct imp_step *st)
{
	struct ibuf	 t = { NULL, 0, 0 };
	size_t		 at = st->open_at;

	if (st->open_line == NULL)
		return;
	if (at > st->text.b.len)
		at = st->text.b.len;
	ibuf_add(&t, st->text.b.s != NULL ? st->text.b.s : "", at);
	if (at > 0)
		ibuf_ch(&t, '\n');
	ibuf_str(&t, st->open_line);
	if (at < st->text.b.len) {
		if (at == 0)
			ibuf_ch(&t, '\n');
		ibuf_str(&t, st->text.b.s + at);
	}
	ibuf_free(&st->text.b);
	st->text.b = t;
	free(st->open_line);
	st->open_line = NULL;
}

/*
 * A scenario's steps made final: run with its variables, danger,
 * interactive, open, optional; an ask step before each "If X fails"
 * step; ids.
 */
static void
imp_scenario_finish(struct imp *imp, struct imp_scenario *sc)
{
	struct imp_step	*st, *steps, *ask;
	struct iset	 ids = { NULL, 0, 0 };
	const char	*then, *run;
	char		*slug, *low;
	size_t		 i, n, k, j, done = NONE;

	for (i = 0; i < sc->nsteps; i++) {
		st = &sc->steps[i];
		if ((run = itext_get(&st->run)) != NULL) {
			st->final = imp_finalize(imp, run, st->line);
			st->danger = imp_danger(st->final);
			st->interactive = imp_interactive(st->final);
		}
		if (st->final == NULL && st->open_url != NULL) {
			st->open = st->open_url;
			st->open_url = NULL;
			if (st->open_line != NULL)
				imp_map(imp, st->open_lno, "step '%s': open",
				    st->title);
			free(st->open_line);
			st->open_line = NULL;
		} else
			imp_step_unopen(st);
		if (st->final == NULL && st->open == NULL &&
		    (then = imp_find(st->title, "http")) != NULL) {
			int	 exact;
			char	*url = imp_open_url(st->title, &exact);

			st->open = url;
		}
		if (i > 0 && (st->fails = imp_fails(st->title, &then)) != NULL)
			st->content = (int)(then - st->title);
		else {
			low = st->title;
			st->optional = imp_prefix(low, "if ") ||
			    imp_prefix(low, "optionally") ||
			    imp_title_has(low, imp_optional_words);
		}
	}

	/* An ask before each fallback: did the step before work? */
	for (i = 0, k = 0; i < sc->nsteps; i++)
		k += sc->steps[i].fails != NULL;
	n = sc->nsteps + k;
	steps = xcalloc(n + 1, sizeof *steps);
	for (i = 0, j = 0; i < sc->nsteps; i++) {
		st = &sc->steps[i];
		if (st->fails != NULL) {
			ask = &steps[j++];
			then = st->title + st->content;
			ask->title = xprintf("Did %s work?", st->fails);
			ask->ask = xprintf("Did %s work? If not, the next step "
			    "is: %s", st->fails, *then != '\0' ? then :
			    st->title);
			ask->labels[0] = xprintf("Yes, %s worked: skip the "
			    "fallback", st->fails);
			ask->labels[1] = xprintf("No, %s failed: %s",
			    st->fails, *then != '\0' ? then : st->title);
			ask->gotos[1] = j;
			ask->is_ask = 1;
			ask->line = st->line;
			st->content = 0;
		}
		steps[j++] = *st;
	}
	for (i = 0; i < n; i++) {
		if (!steps[i].is_ask)
			continue;
		for (k = i + 2; k < n && steps[k].is_ask; k += 2)
			;
		if (k >= n) {
			if (done == NONE) {
				done = n;
				steps[n].title = xstrdup("Done: the fallback "
				    "was not needed");
				itext_line(&steps[n].text, "Reached when a "
				    "step worked, so the fallback steps after "
				    "it were skipped.");
				steps[n].gotos[0] = steps[n].gotos[1] = NONE;
				steps[n].line = steps[i].line;
			}
			k = done;
		}
		steps[i].gotos[0] = k;
	}
	free(sc->steps);
	sc->steps = steps;
	sc->nsteps = n + (done != NONE);

	for (i = 0; i < sc->nsteps; i++) {
		st = &sc->steps[i];
		slug = imp_slug(st->title, 40);
		st->id = imp_unique(&ids, slug != NULL ? slug : "step", "-");
		free(slug);
	}
	iset_free(&ids);
}

/* The step headings among the children of section s. */
static int
imp_child_steps(struct imp *imp, size_t s, int mark)
{
	size_t	j;
	int	n = 0;

	if (imp->secs[s].head == NONE)
		return (0);
	/* Its descendants follow it, deeper, up to the next of its level. */
	for (j = s + 1; j < imp->nsecs &&
	    imp->secs[j].level > imp->secs[s].level; j++) {
		if (imp->secs[j].parent == s && !imp->secs[j].used &&
		    imp_step_heading(imp->secs[j].title) != NULL) {
			n++;
			if (mark)
				imp->secs[j].used = 1;
		}
	}
	return (n);
}

/* A section with steps or code into a scenario. */
static struct imp_scenario *
imp_scenario(struct imp *imp, size_t s, int procedure)
{
	struct md_section	*sec = &imp->secs[s], *c;
	struct walk		 w;
	struct imp_step		*st;
	const char		*title;
	size_t			 j;

	memset(&w, 0, sizeof w);
	w.imp = imp;
	w.sec = sec;
	w.cur = NONE;
	w.cand = NONE;
	w.sc = imp_scenario_new(imp, sec->head != NONE ? sec->title :
	    imp->title, sec->head != NONE ? imp->blocks[sec->head].line : 1,
	    procedure);
	walk_blocks(&w, sec->first, sec->end);
	for (j = s + 1; sec->head != NONE && j < imp->nsecs &&
	    imp->secs[j].level > sec->level; j++) {
		c = &imp->secs[j];
		if (c->parent != s || c->used ||
		    (title = imp_step_heading(c->title)) == NULL)
			continue;
		c->used = 1;
		w.heading_step = 1;
		st = walk_new_step(&w, title, imp->blocks[c->head].line, 0);
		imp_map(imp, imp->blocks[c->head].line, "a step of scenario "
		    "%s", w.sc->id);
		(void)st;
		walk_blocks(&w, c->first, c->end);
		w.heading_step = 0;
	}
	if (w.pending.b.len > 0) {
		if (w.sc->nsteps > 0) {
			st = &w.sc->steps[w.sc->nsteps - 1];
			itext_gap(&st->text);
			itext_line(&st->text, w.pending.b.s);
			imp_warn(imp, w.pending_line, "text after the last "
			    "code block kept on step '%s'", st->title);
		} else {
			imp_describe(imp, w.sc->title, &w.pending,
			    w.pending_line);
			imp_warn(imp, w.pending_line, "text kept in the "
			    "runbook description");
		}
	}
	walk_entry_flush(&w);
	ibuf_free(&w.pending.b);
	while (w.sc->when.b.len > 0 &&
	    strchr(": \t", w.sc->when.b.s[w.sc->when.b.len - 1]) != NULL)
		w.sc->when.b.s[--w.sc->when.b.len] = '\0';
	imp_scenario_finish(imp, w.sc);
	return (w.sc);
}

/* One section: what it is, and where its content goes. */
static void
imp_section(struct imp *imp, size_t s, int top)
{
	struct md_section	*sec = &imp->secs[s];
	struct imp_scenario	*sc;
	struct ibuf		 dest = { NULL, 0, 0 };
	const char		*title = sec->head != NONE ? sec->title : "";
	size_t			 i, steps, code = 0, items = 0;
	size_t			 nsys = imp->nsystems, nct = imp->ncontacts;
	size_t			 npost = imp->npost;
	int			 post, contact, line, desc = 0;
	char			*why;

	line = sec->head != NONE ? imp->blocks[sec->head].line : 1;
	post = sec->head != NONE && imp_title_has(title, imp_post_words);
	contact = sec->head != NONE && imp_title_has(title, imp_contact_words);
	imp_tables(imp, sec, contact);
	for (i = sec->first; i < sec->end; i++) {
		if (imp->blocks[i].done)
			continue;
		if (imp->blocks[i].kind == MD_TEXT)
			imp_meta(imp, &imp->blocks[i]);
		code += imp->blocks[i].kind == MD_CODE;
		items += imp->blocks[i].kind == MD_ITEM;
	}
	if (top && sec->head != NONE)
		ibuf_str(&dest, "title, id");
	steps = imp_mark_items(imp, sec) + imp_child_steps(imp, s, 0);
	if (post && items > 0) {
		imp_post(imp, sec);
		why = xprintf("text of section '%s' that is not a list item",
		    title);
		imp_rest(imp, sec, NULL, why);
		free(why);
	} else if (contact) {
		imp_contact_lines(imp, sec);
		why = xprintf("text of section '%s' that is not a contact",
		    title);
		imp_rest(imp, sec, NULL, why);
		free(why);
	} else if (steps > 0 || code > 0) {
		sc = imp_scenario(imp, s, steps == 0);
		if (dest.len > 0)
			ibuf_str(&dest, ", ");
		ibuf_str(&dest, "scenario ");
		ibuf_str(&dest, sc->id);
		if (sc->procedure)
			ibuf_str(&dest, " (procedure)");
	} else if (top || imp_title_has(title, imp_overview_words))
		desc = imp_rest(imp, sec, NULL, NULL);
	else {
		why = xprintf("section '%s' has no steps and no code", title);
		desc = imp_rest(imp, sec, title, why);
		free(why);
	}
	if (imp->nsystems > nsys)
		ibuf_str(&dest, dest.len > 0 ? ", systems" : "systems");
	if (imp->ncontacts > nct)
		ibuf_str(&dest, dest.len > 0 ? ", contacts" : "contacts");
	if (imp->npost > npost)
		ibuf_str(&dest, dest.len > 0 ? ", post_incident" :
		    "post_incident");
	if (desc)
		ibuf_str(&dest, dest.len > 0 ? ", description" :
		    "description");
	if (sec->head != NONE)
		imp_map(imp, line, "%s", dest.len > 0 ? dest.s :
		    "(a heading only)");
	ibuf_free(&dest);
}

/* The whole document. */
static void
imp_document(struct imp *imp)
{
	const char	*base, *dot;
	char		*slug, *name;
	size_t		 s, title = NONE;

	for (s = 0; s < imp->nsecs; s++) {
		if (imp->secs[s].head != NONE && imp->secs[s].level == 1 &&
		    *imp->secs[s].title != '\0') {
			title = s;
			break;
		}
	}
	base = strrchr(imp->file, '/') != NULL ? strrchr(imp->file, '/') + 1 :
	    imp->file;
	if (title != NONE)
		imp->title = xstrdup(imp->secs[title].title);
	else {
		dot = strrchr(base, '.');
		name = xstrndup(base, dot != NULL && dot != base ?
		    (size_t)(dot - base) : strlen(base));
		imp->title = *name != '\0' ? name : xstrdup("Imported runbook");
		if (*name == '\0')
			free(name);
		imp_warn(imp, 1, "no '# Title' heading: the title comes from "
		    "the file name");
	}
	slug = imp_slug(imp->title, 48);
	if (slug == NULL)
		slug = imp_slug(base, 48);
	imp->id = slug != NULL ? slug : xstrdup("imported-runbook");
	for (s = 0; s < imp->nsecs && !imp->stop; s++) {
		if (imp->secs[s].used)
			continue;
		imp_section(imp, s, s == 0 || s == title);
	}
	if (imp->nscs == 0 && !imp->stop)
		imp_error(imp, title != NONE ?
		    imp->blocks[imp->secs[title].head].line : 1,
		    "nothing to run: a runbook needs at least one scenario, "
		    "and no section has numbered steps or code blocks");
}

/* ------------------------------------------------------------------ */
/* Writing the YAML. */

struct emit {
	struct imp	*imp;
	yaml_emitter_t	 em;
	struct ibuf	 out;
	size_t		 nodes;
	int		 failed;
};

/* libyaml output handler: append to the buffer. */
static int
emit_write(void *data, unsigned char *buf, size_t size)
{
	struct emit	*e = data;

	ibuf_add(&e->out, (const char *)buf, size);
	return (1);
}

/* Emit one event; the emitter owns it afterwards. */
static void
emit_event(struct emit *e, yaml_event_t *ev, int made)
{
	if (!made) {
		e->failed = 1;
		imp_error(e->imp, 0, "internal error: bad YAML event");
		return;
	}
	if (e->failed) {
		yaml_event_delete(ev);
		return;
	}
	if (!yaml_emitter_emit(&e->em, ev)) {
		e->failed = 1;
		imp_error(e->imp, 0, "internal error writing YAML: %s",
		    e->em.problem != NULL ? e->em.problem : "unknown");
	}
}

/* Start a block mapping. */
static void
emit_map(struct emit *e)
{
	yaml_event_t	ev;

	e->nodes++;
	emit_event(e, &ev, yaml_mapping_start_event_initialize(&ev, NULL,
	    NULL, 1, YAML_BLOCK_MAPPING_STYLE));
}

/* Start a block sequence. */
static void
emit_seq(struct emit *e)
{
	yaml_event_t	ev;

	e->nodes++;
	emit_event(e, &ev, yaml_sequence_start_event_initialize(&ev, NULL,
	    NULL, 1, YAML_BLOCK_SEQUENCE_STYLE));
}

/* End a mapping or a sequence. */
static void
emit_end(struct emit *e, int map)
{
	yaml_event_t	ev;

	if (map)
		emit_event(e, &ev, yaml_mapping_end_event_initialize(&ev));
	else
		emit_event(e, &ev, yaml_sequence_end_event_initialize(&ev));
}

/*
 * A string: a literal block when it has several lines, quoted when YAML
 * would read it as something else.
 */
static void
emit_scalar(struct emit *e, const char *s, int plain, int line)
{
	yaml_event_t		ev;
	yaml_scalar_style_t	style = YAML_ANY_SCALAR_STYLE;
	size_t			len = strlen(s);

	e->nodes++;
	if (len >= IMPORT_MAX_SCALAR) {
		imp_error(e->imp, line, "more than %d KiB of text for one "
		    "field (the runbook format's limit)",
		    IMPORT_MAX_SCALAR / 1024);
		s = "";
		len = 0;
	}
	if (!plain && strchr(s, '\n') != NULL)
		style = YAML_LITERAL_SCALAR_STYLE;
	emit_event(e, &ev, yaml_scalar_event_initialize(&ev, NULL, NULL,
	    (const yaml_char_t *)s, (int)len, plain || !yemit_special(s), 1,
	    style));
}

/* A mapping key. */
static void
emit_key(struct emit *e, const char *k)
{
	emit_scalar(e, k, 1, 0);
}

/* A key and its string value, when there is one. */
static void
emit_kv(struct emit *e, const char *k, const char *v, int line)
{
	if (v == NULL)
		return;
	emit_key(e, k);
	emit_scalar(e, v, 0, line);
}

/* A field that may hold {{variables}}: literal {{ escaped. */
static void
emit_kvars(struct emit *e, const char *k, const char *v, int line)
{
	char	*f;

	if (v == NULL)
		return;
	f = imp_finalize(e->imp, v, line);
	emit_kv(e, k, f, line);
	free(f);
}

/*
 * A key and a one-line value, when there is one: plain (a number, a
 * duration, a boolean), or else quoted when YAML would read it as null, a
 * boolean or a number (an id).
 */
static void
emit_kone(struct emit *e, const char *k, const char *v, int plain)
{
	if (v == NULL)
		return;
	emit_key(e, k);
	emit_scalar(e, v, plain, 0);
}
#define emit_kplain(e, k, v)	emit_kone(e, k, v, 1)
#define emit_kid(e, k, v)	emit_kone(e, k, v, 0)

/* A key and its list of strings, when not empty. */
static void
emit_strv(struct emit *e, const char *k, char **v, size_t n, int line)
{
	size_t	i;

	if (n == 0)
		return;
	emit_key(e, k);
	emit_seq(e);
	for (i = 0; i < n; i++)
		emit_scalar(e, v[i], 0, line);
	emit_end(e, 0);
}

/* One step, keys in the order of runbook-format.md. */
static void
emit_step(struct emit *e, const struct imp_scenario *sc,
    const struct imp_step *st)
{
	size_t	i;

	emit_map(e);
	emit_kid(e, "id", st->id);
	emit_kvars(e, "title", st->title, st->line);
	emit_kvars(e, "text", itext_get(&st->text), st->line);
	if (st->final != NULL)
		emit_kv(e, "run", st->final, st->line);
	if (st->final != NULL && st->interactive)
		emit_kplain(e, "interactive", "true");
	if (st->final != NULL)
		emit_kv(e, "danger", st->danger, st->line);
	if (st->optional)
		emit_kplain(e, "optional", "true");
	emit_kvars(e, "open", st->open, st->line);
	if (st->is_ask) {
		emit_kvars(e, "ask", st->ask, st->line);
		emit_key(e, "choices");
		emit_seq(e);
		for (i = 0; i < 2; i++) {
			emit_map(e);
			emit_kvars(e, "label", st->labels[i], st->line);
			emit_kid(e, "goto", sc->steps[st->gotos[i]].id);
			emit_end(e, 1);
		}
		emit_end(e, 0);
	}
	emit_end(e, 1);
}

/* The whole runbook. */
static void
emit_runbook(struct emit *e)
{
	struct imp		*imp = e->imp;
	struct imp_scenario	*sc;
	struct imp_system	*sys;
	struct imp_var		*v;
	char			 prio[16];
	size_t			 i, j;

	emit_map(e);
	emit_kplain(e, "format", "rbnav/v1");
	emit_kid(e, "id", imp->id);
	emit_kv(e, "title", imp->title, 1);
	emit_kplain(e, "reviewed", imp->reviewed);
	emit_kv(e, "owner", imp->owner, 1);
	emit_kv(e, "description", itext_get(&imp->desc), 1);
	if (imp->nsystems > 0) {
		emit_key(e, "systems");
		emit_seq(e);
		for (i = 0; i < imp->nsystems; i++) {
			sys = &imp->systems[i];
			emit_map(e);
			emit_kid(e, "id", sys->id);
			emit_kv(e, "name", sys->name, sys->line);
			snprintf(prio, sizeof prio, "%d", sys->priority);
			emit_kplain(e, "priority", prio);
			emit_kplain(e, "rto", sys->rto);
			if (sys->rpo != NULL) {
				int64_t	ms;

				emit_key(e, "rpo");
				emit_scalar(e, sys->rpo,
				    value_duration(sys->rpo, &ms) == 0,
				    sys->line);
			}
			emit_end(e, 1);
		}
		emit_end(e, 0);
	}
	for (i = 0, j = 0; i < imp->nvars; i++)
		j += imp->vars[i].used;
	if (j > 0) {
		emit_key(e, "variables");
		emit_map(e);
		for (i = 0; i < imp->nvars; i++) {
			v = &imp->vars[i];
			if (!v->used)
				continue;
			emit_key(e, v->name);
			emit_map(e);
			emit_kv(e, "prompt", v->prompt, 0);
			emit_kv(e, "pattern", v->pattern, 0);
			if (v->secret)
				emit_kplain(e, "secret", "true");
			emit_end(e, 1);
		}
		emit_end(e, 1);
	}
	if (imp->ncontacts > 0) {
		emit_key(e, "contacts");
		emit_seq(e);
		for (i = 0; i < imp->ncontacts; i++) {
			emit_map(e);
			for (j = 0; j < 5; j++)
				emit_kv(e, imp_contact_keys[j],
				    imp->contacts[i].f[j],
				    imp->contacts[i].line);
			emit_end(e, 1);
		}
		emit_end(e, 0);
	}
	emit_strv(e, "post_incident", imp->post, imp->npost, 0);
	emit_key(e, "scenarios");
	emit_seq(e);
	for (i = 0; i < imp->nscs; i++) {
		sc = &imp->scs[i];
		emit_map(e);
		emit_kid(e, "id", sc->id);
		emit_kv(e, "title", sc->title, sc->line);
		emit_kplain(e, "kind", sc->procedure ? "procedure" :
		    "incident");
		emit_kv(e, "when", itext_get(&sc->when), sc->line);
		emit_strv(e, "symptoms", sc->symptoms, sc->nsymptoms,
		    sc->line);
		emit_strv(e, "prerequisites", sc->prereqs, sc->nprereqs,
		    sc->line);
		emit_key(e, "steps");
		emit_seq(e);
		for (j = 0; j < sc->nsteps; j++)
			emit_step(e, sc, &sc->steps[j]);
		emit_end(e, 0);
		emit_end(e, 1);
	}
	emit_end(e, 0);
	emit_end(e, 1);
}

/* One "# " line of the header, made safe for a YAML comment. */
static void
imp_comment(struct ibuf *out, const char *s)
{
	uint32_t	cp;
	size_t		n, len = strlen(s);

	ibuf_ch(out, '#');
	if (len > 0)
		ibuf_ch(out, ' ');
	while (len > 0) {
		n = text_decode(s, len, &cp);
		if (cp == '\t')
			ibuf_ch(out, ' ');
		else if (cp < 0x20 || cp == 0x7f || (cp >= 0x80 &&
		    cp < 0xa0) || cp == 0x2028 || cp == 0x2029 ||
		    cp == 0xfeff || cp >= 0xfffe || (cp == BAD_CP && !(n == 3 &&
		    memcmp(s, "\xef\xbf\xbd", 3) == 0)))
			ibuf_ch(out, '?');
		else
			ibuf_add(out, s, n);
		s += n;
		len -= n;
	}
	ibuf_ch(out, '\n');
}

/* Header lines by Markdown line, then in the order they were made. */
static int
imp_map_cmp(const void *a, const void *b)
{
	const struct imp_mapent	*x = a, *y = b;

	if (x->line != y->line)
		return (x->line < y->line ? -1 : 1);
	return (x < y ? -1 : x > y);
}

/* The comment header: source, date, warnings, what came from where. */
static void
imp_header(struct imp *imp, const struct import_options *o,
    struct ibuf *out)
{
	char		*s;
	const char	*src;
	size_t		 i;

	s = xprintf("Imported by rbnav import from %s%s%s.", imp->file,
	    o->date != NULL ? " on " : "", o->date != NULL ? o->date : "");
	imp_comment(out, s);
	free(s);
	s = xprintf("%zu warning%s (also printed by rbnav import). Check "
	    "%s, every step, variable", imp->nwarnings + imp->nhidden,
	    imp->nwarnings + imp->nhidden == 1 ? "" : "s",
	    imp->nwarnings + imp->nhidden == 1 ? "it" : "them");
	imp_comment(out, s);
	free(s);
	imp_comment(out, "pattern and danger reason before relying on this "
	    "runbook.");
	for (i = 0; i < imp->nwarnings && i < IMPORT_HEADER_WARNINGS; i++) {
		s = xprintf("  line %d: %s", imp->warnings[i].line,
		    imp->warnings[i].msg);
		imp_comment(out, s);
		free(s);
	}
	if (imp->nwarnings + imp->nhidden > IMPORT_HEADER_WARNINGS) {
		s = xprintf("  ... and %zu more", imp->nwarnings +
		    imp->nhidden - IMPORT_HEADER_WARNINGS);
		imp_comment(out, s);
		free(s);
	}
	imp_comment(out, "");
	imp_comment(out, "Where the structure came from (Markdown line: "
	    "source -> runbook).");
	imp_comment(out, "Prose, list items and code are copied into the "
	    "fields as written.");
	qsort(imp->map, imp->nmap, sizeof *imp->map, imp_map_cmp);
	for (i = 0; i < imp->nmap; i++) {
		src = imp_line(imp, imp->map[i].line);
		src += strspn(src, " \t");
		s = xprintf("  %d: %s -> %s", imp->map[i].line, src,
		    imp->map[i].dest);
		imp_comment(out, s);
		free(s);
	}
}

/* The YAML text: header comments, then the emitter's output. */
static void
imp_emit(struct imp *imp, const struct import_options *o, char **out,
    size_t *outlen)
{
	struct emit	e;
	struct ibuf	all = { NULL, 0, 0 };
	yaml_event_t	ev;

	memset(&e, 0, sizeof e);
	e.imp = imp;
	if (!yaml_emitter_initialize(&e.em))
		fatalx("yaml_emitter_initialize");
	yaml_emitter_set_output(&e.em, emit_write, &e);
	yaml_emitter_set_unicode(&e.em, 1);
	yaml_emitter_set_width(&e.em, -1);
	yaml_emitter_set_indent(&e.em, 2);
	yaml_emitter_set_break(&e.em, YAML_LN_BREAK);
	emit_event(&e, &ev, yaml_stream_start_event_initialize(&ev,
	    YAML_UTF8_ENCODING));
	emit_event(&e, &ev, yaml_document_start_event_initialize(&ev, NULL,
	    NULL, NULL, 1));
	emit_runbook(&e);
	emit_event(&e, &ev, yaml_document_end_event_initialize(&ev, 1));
	emit_event(&e, &ev, yaml_stream_end_event_initialize(&ev));
	if (!e.failed && !yaml_emitter_flush(&e.em)) {
		e.failed = 1;
		imp_error(imp, 0, "internal error writing YAML");
	}
	yaml_emitter_delete(&e.em);
	if (e.nodes > IMPORT_MAX_NODES)
		imp_error(imp, 1, "the runbook would have more than %d YAML "
		    "nodes (the loader's limit)", IMPORT_MAX_NODES);
	if (!imp->failed) {
		imp_header(imp, o, &all);
		ibuf_add(&all, e.out.s != NULL ? e.out.s : "", e.out.len);
		if (all.len > IMPORT_MAX_OUTPUT) {
			imp_error(imp, 1, "the runbook would be larger than "
			    "%d MiB (the loader's limit)",
			    IMPORT_MAX_OUTPUT >> 20);
			ibuf_free(&all);
		} else {
			*out = all.s;
			*outlen = all.len;
		}
	}
	ibuf_free(&e.out);
}

/* Free everything an import holds. */
static void
imp_free(struct imp *imp)
{
	size_t	i, j;

	for (i = 0; i < imp->nblocks; i++)
		free(imp->blocks[i].text);
	free(imp->blocks);
	for (i = 0; i < imp->nsecs; i++)
		free(imp->secs[i].title);
	free(imp->secs);
	free(imp->lines);
	free(imp->buf);
	free(imp->title);
	free(imp->id);
	free(imp->reviewed);
	free(imp->owner);
	ibuf_free(&imp->desc.b);
	for (i = 0; i < imp->nsystems; i++) {
		free(imp->systems[i].id);
		free(imp->systems[i].name);
		free(imp->systems[i].rto);
		free(imp->systems[i].rpo);
	}
	free(imp->systems);
	for (i = 0; i < imp->ncontacts; i++) {
		for (j = 0; j < 5; j++)
			free(imp->contacts[i].f[j]);
	}
	free(imp->contacts);
	for (i = 0; i < imp->npost; i++)
		free(imp->post[i]);
	free(imp->post);
	for (i = 0; i < imp->nvars; i++) {
		free(imp->vars[i].key);
		free(imp->vars[i].name);
		free(imp->vars[i].prompt);
		free(imp->vars[i].pattern);
	}
	free(imp->vars);
	for (i = 0; i < imp->nscs; i++) {
		struct imp_scenario	*sc = &imp->scs[i];

		for (j = 0; j < sc->nsteps; j++)
			imp_step_free(&sc->steps[j]);
		free(sc->steps);
		free(sc->id);
		free(sc->title);
		ibuf_free(&sc->when.b);
		for (j = 0; j < sc->nsymptoms; j++)
			free(sc->symptoms[j]);
		free(sc->symptoms);
		for (j = 0; j < sc->nprereqs; j++)
			free(sc->prereqs[j]);
		free(sc->prereqs);
	}
	free(imp->scs);
	for (i = 0; i < imp->nmap; i++)
		free(imp->map[i].dest);
	free(imp->map);
	for (i = 0; i < imp->nwarnings; i++)
		free(imp->warnings[i].msg);
	free(imp->warnings);
	iset_free(&imp->sc_ids);
	iset_free(&imp->sys_ids);
	iset_free(&imp->var_names);
	iset_free(&imp->var_keys);
}

/*
 * Import the Markdown document buf (len bytes) named o->source.  Every
 * problem goes to diag, each at its Markdown line.  Returns 0 and sets
 * *out (a new buffer the caller frees) and *outlen, or -1 when the
 * document could not be converted: then diag has at least one error.
 */
int
import_markdown(const void *buf, size_t len, const struct import_options *o,
    struct diag *diag, char **out, size_t *outlen)
{
	struct imp	imp;
	int		failed;

	*out = NULL;
	*outlen = 0;
	memset(&imp, 0, sizeof imp);
	imp.file = o->source != NULL ? o->source : "-";
	imp.diag = diag;
	if (len > IMPORT_MAX_INPUT)
		imp_error(&imp, 1, "file is larger than %d MiB",
		    IMPORT_MAX_INPUT >> 20);
	else if (md_split(&imp, buf, len) == 0) {
		md_parse(&imp);
		md_sections(&imp);
		imp_document(&imp);
		if (!imp.failed)
			imp_emit(&imp, o, out, outlen);
	}
	if (imp.nhidden > 0)
		diag_add(diag, DIAG_WARNING, imp.file, 0, 0, "%zu more "
		    "warnings not shown", imp.nhidden);
	failed = imp.failed;
	imp_free(&imp);
	return (failed ? -1 : 0);
}
