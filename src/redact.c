/*
 * Redaction: secrets replaced by [REDACTED] in any text.
 *
 * A redactor knows three kinds of secret: values (a secret variable's
 * value, matched literally), the user's PCRE2 patterns (the config's
 * redact: list, borrowed, not owned) and the built-in patterns of the
 * table below, each compiled and JIT-compiled on its own: a pattern
 * that begins with a known character (or two, either case) is searched
 * for with SIMD by PCRE2's JIT, where one alternation of them all would
 * try a match at every character any of them may begin with.  Every
 * match is found first, overlapping matches are merged, then the text is
 * rebuilt: the same input always gives the same output.
 *
 * Command output arrives in chunks, and a secret can be cut in two by a
 * read.  The stream API holds back the bytes where a match could still
 * begin: the tail that is a prefix of a secret value, and the start of a
 * built-in pattern's partial match (PCRE2_PARTIAL_HARD says where), plus
 * a fixed window for the user's patterns.  It emits only what no later
 * byte can change.  No I/O and no terminal here; one redactor (its match
 * data) is not to be shared between threads.
 */

#define PCRE2_CODE_UNIT_WIDTH 8

#include <stdlib.h>
#include <string.h>

#include <pcre2.h>

#include "pattern.h"
#include "redact.h"
#include "xmalloc.h"

/* Bytes held back for the user's patterns, which cannot match partially. */
#define REDACT_PATTERN_WINDOW	256
/* Bytes already emitted kept in front for \b and lookbehinds. */
#define REDACT_CONTEXT		64
/* A pending match longer than this is given up on and redacted. */
#define REDACT_HOLD_MAX		(1024 * 1024)

/*
 * The built-in patterns.  A match (after \K) is what gets replaced, so
 * "password=" stays and only the value goes.  Each begins with a literal
 * (no leading \b[a-z]* that would make PCRE2 try every word), which
 * keeps a clean string to one quick pass.  The examples are the unit
 * tests' cases.
 *
 * A leading s is written [Ss]: caseless in UTF mode, it would also be
 * the long s (U+017F), and PCRE2 could not search for it with SIMD.
 *
 * No pattern but private-key matches across a newline (the stream's
 * search for a match cut by the end of a chunk relies on it: see
 * redact_find_builtins).
 */
static const struct redact_builtin redact_builtins[] = {
	{ "password",
	  "(?i)pass(?:word|wd)[\"']?[ \\t]*[=:][ \\t]*"
	  "(?:\"\\K[^\"\\r\\n]+(?=\")|'\\K[^'\\r\\n]+(?=')|"
	  "\\K[^\\s\"'&;,]+)",
	  "psql host=db user=app password=hunter2 dbname=app", "hunter2" },
	{ "pgpassword",
	  "\\bPGPASSWORD[ \\t]*=[ \\t]*(?:\"\\K[^\"\\r\\n]+(?=\")|"
	  "'\\K[^'\\r\\n]+(?=')|\\K[^\\s\"'&;,]+)",
	  "PGPASSWORD='s3cret pw' psql -h db.internal -U app", "s3cret pw" },
	{ "authorization",
	  "(?i)authorization[\"']?[ \\t]*[:=][ \\t]*\\K[^\\r\\n\"']+",
	  "curl -H 'Authorization: Basic YWRtaW46b3BlbnNlc2FtZQ==' "
	  "https://api.internal/health", "Basic YWRtaW46b3BlbnNlc2FtZQ==" },
	{ "url-password",
	  "://[^\\s/:@]*:\\K[^\\s/@]+(?=@)",
	  "pg_dump postgres://app:Tr0ub4dor-3@db.internal:5432/app",
	  "Tr0ub4dor-3" },
	{ "aws-access-key",
	  "\\b(?:AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}\\b",
	  "aws_access_key_id = AKIAIOSFODNN7EXAMPLE", "AKIAIOSFODNN7EXAMPLE" },
	{ "aws-secret-key",
	  "(?i)aws_secret_access_key[\"']?[ \\t]*[=:][ \\t]*[\"']?\\K"
	  "[A-Za-z0-9/+=]{40}",
	  "aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
	  "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY" },
	{ "bearer",
	  "\\b[Bb]earer[ \\t]+\\K(?=[A-Za-z0-9._~+/-]*[0-9._~+/-])"
	  "[A-Za-z0-9._~+/-]{8,}=*",
	  "token_type=Bearer eyJhbGciOiJIUzI1NiJ9.e30.ZRrHA1JJJW8opsbC",
	  "eyJhbGciOiJIUzI1NiJ9.e30.ZRrHA1JJJW8opsbC" },
	{ "github-token",
	  "\\bgh[pousr]_[A-Za-z0-9]{30,}",
	  "git clone https://x:ghp_R2d2C3poQ8x9Lk7Jm6Nb5Vc4Xz3Aa1Ss0Dd9"
	  "@github.com/o/r",
	  "ghp_R2d2C3poQ8x9Lk7Jm6Nb5Vc4Xz3Aa1Ss0Dd9" },
	{ "github-pat",
	  "\\bgithub_pat_[A-Za-z0-9_]{30,}",
	  "GH=github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyzABCDEF"
	  " gh api",
	  "github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyzABCDEF" },
	{ "slack-token",
	  "\\bxox[abposr]-[A-Za-z0-9-]{10,}",
	  "SLACK=xoxb-2048-4096-AbCdEfGhIjKlMnOp notify", 
	  "xoxb-2048-4096-AbCdEfGhIjKlMnOp" },
	/* key=value, one key a pattern: each has its first letter. */
	{ "token",
	  "(?i)token[ \\t]*=[ \\t]*\\K[^\\s\"'&;,]+",
	  "VAULT_TOKEN=s.8Hq3TfBx0oZ9 vault read secret/db", "s.8Hq3TfBx0oZ9" },
	{ "secret",
	  "[Ss](?i)ecret[ \\t]*=[ \\t]*\\K[^\\s\"'&;,]+",
	  "DB_SECRET = Zq8vW2nR4tY6 ./migrate up", "Zq8vW2nR4tY6" },
	{ "api-key",
	  "(?i)api_?key[ \\t]*=[ \\t]*\\K[^\\s\"'&;,]+",
	  "curl 'https://maps.example/geo?apikey=AbC123xyz789&q=x'",
	  "AbC123xyz789" },
	{ "access-key",
	  "(?i)access_?key[ \\t]*=[ \\t]*\\K[^\\s\"'&;,]+",
	  "MINIO_ACCESS_KEY=m1n10adm1nK3y mc ls local", "m1n10adm1nK3y" },
	{ "private-key",
	  "-----BEGIN[A-Z0-9 ]*PRIVATE KEY-----(?:[\\s\\S]*?"
	  "-----END[A-Z0-9 ]*PRIVATE KEY-----|[\\s\\S]*\\z)",
	  "key:\n-----BEGIN OPENSSH PRIVATE KEY-----\n"
	  "b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAAB\n"
	  "-----END OPENSSH PRIVATE KEY-----\ndone",
	  "b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAAB" },
};
#define REDACT_NBUILTINS (sizeof redact_builtins / sizeof redact_builtins[0])

struct redact_range {
	size_t	start;
	size_t	end;
	size_t	match;		/* where the match began, before any \K */
};

struct redact_secret {
	char	*value;
	size_t	 len;
};

struct redact {
	struct redact_secret	 *secrets;
	size_t			  nsecrets;
	const struct pattern	**patterns;
	size_t			  npatterns;
	pcre2_code		 *code[REDACT_NBUILTINS];
	pcre2_match_data	 *md;
	struct redact_range	 *ranges;	/* scratch for one search */
	size_t			  nranges;
	size_t			  cap;
};

struct redact_stream {
	struct redact	*r;
	char		*buf;		/* context, then held bytes */
	size_t		 len;
	size_t		 cap;
	size_t		 ctx;		/* bytes at the front already out */
	size_t		 held;		/* bytes held after the last search */
	size_t		 fresh;		/* bytes fed since the last search */
	char		*out;
	size_t		 outcap;
	int		 in_key;	/* swallowing an overlong key block */
};

/* The i-th built-in pattern, or NULL past the end (for tests and docs). */
const struct redact_builtin *
redact_builtin(size_t i)
{
	return (i < REDACT_NBUILTINS ? &redact_builtins[i] : NULL);
}

/*
 * A redactor with the built-in patterns.  Add secret values and the
 * user's patterns, then redact; free with redact_free.
 */
struct redact *
redact_create(void)
{
	struct redact	*r = xcalloc(1, sizeof *r);
	PCRE2_UCHAR	 msg[256];
	PCRE2_SIZE	 off;
	size_t		 i;
	int		 err;

	for (i = 0; i < REDACT_NBUILTINS; i++) {
		r->code[i] = pcre2_compile(
		    (PCRE2_SPTR)redact_builtins[i].regex,
		    PCRE2_ZERO_TERMINATED, PCRE2_UTF | PCRE2_MATCH_INVALID_UTF,
		    &err, &off, NULL);
		if (r->code[i] == NULL) {
			pcre2_get_error_message(err, msg, sizeof msg);
			fatalx("built-in redaction pattern %s at %zu: %s",
			    redact_builtins[i].name, (size_t)off, (char *)msg);
		}
		pcre2_jit_compile(r->code[i], PCRE2_JIT_COMPLETE |
		    PCRE2_JIT_PARTIAL_HARD);
	}
	r->md = pcre2_match_data_create(1, NULL);
	if (r->md == NULL)
		fatalx("out of memory (pcre2 match data)");
	return (r);
}

/* Free a redactor (NULL is fine); the user patterns stay. */
void
redact_free(struct redact *r)
{
	size_t	i;

	if (r == NULL)
		return;
	for (i = 0; i < r->nsecrets; i++)
		free(r->secrets[i].value);
	free(r->secrets);
	free(r->patterns);
	pcre2_match_data_free(r->md);
	for (i = 0; i < REDACT_NBUILTINS; i++)
		pcre2_code_free(r->code[i]);
	free(r->ranges);
	free(r);
}

/* A value to take out wherever it appears (copied; empty is ignored). */
void
redact_add_secret(struct redact *r, const char *value)
{
	size_t	i;

	if (value == NULL || *value == '\0')
		return;
	for (i = 0; i < r->nsecrets; i++) {
		if (strcmp(r->secrets[i].value, value) == 0)
			return;
	}
	r->secrets = xreallocarray(r->secrets, r->nsecrets + 1,
	    sizeof *r->secrets);
	r->secrets[r->nsecrets].value = xstrdup(value);
	r->secrets[r->nsecrets].len = strlen(value);
	r->nsecrets++;
}

/* A user pattern (borrowed: it must outlive the redactor). */
void
redact_add_pattern(struct redact *r, const struct pattern *p)
{
	r->patterns = xreallocarray(r->patterns, r->npatterns + 1,
	    sizeof *r->patterns);
	r->patterns[r->npatterns++] = p;
}

/* One more range to replace, of a match that began at match. */
static void
redact_add_match(struct redact *r, size_t match, size_t start, size_t end)
{
	if (end <= start)
		return;
	if (r->nranges == r->cap) {
		r->cap = r->cap == 0 ? 16 : r->cap * 2;
		r->ranges = xreallocarray(r->ranges, r->cap,
		    sizeof *r->ranges);
	}
	r->ranges[r->nranges].start = start;
	r->ranges[r->nranges].end = end;
	r->ranges[r->nranges].match = match < start ? match : start;
	r->nranges++;
}

static void
redact_add_range(struct redact *r, size_t start, size_t end)
{
	redact_add_match(r, start, start, end);
}

/* Ranges by start, then end (qsort). */
static int
redact_range_cmp(const void *a, const void *b)
{
	const struct redact_range	*x = a, *y = b;

	if (x->start != y->start)
		return (x->start < y->start ? -1 : 1);
	if (x->end != y->end)
		return (x->end < y->end ? -1 : 1);
	return (0);
}

/* Sort the ranges and merge those that overlap. */
static void
redact_merge(struct redact *r)
{
	size_t	i, n = 0;

	if (r->nranges < 2)
		return;
	qsort(r->ranges, r->nranges, sizeof *r->ranges, redact_range_cmp);
	for (i = 1; i < r->nranges; i++) {
		if (r->ranges[i].start < r->ranges[n].end) {
			if (r->ranges[i].end > r->ranges[n].end)
				r->ranges[n].end = r->ranges[i].end;
			if (r->ranges[i].match < r->ranges[n].match)
				r->ranges[n].match = r->ranges[i].match;
		} else
			r->ranges[++n] = r->ranges[i];
	}
	r->nranges = n + 1;
}

/* The offset of the next character after off (UTF-8 or not). */
static size_t
redact_next_char(const char *s, size_t len, size_t off)
{
	off++;
	while (off < len && ((unsigned char)s[off] & 0xc0) == 0x80)
		off++;
	return (off);
}

/* Every occurrence of each secret value, and a tail that may be one. */
static void
redact_find_secrets(struct redact *r, const char *s, size_t len,
    size_t from, size_t *hold)
{
	const struct redact_secret	*sec;
	const char			*p;
	size_t				 i, off, k;

	for (i = 0; i < r->nsecrets; i++) {
		sec = &r->secrets[i];
		for (off = from; off < len; off = (size_t)(p - s) + 1) {
			p = memmem(s + off, len - off, sec->value, sec->len);
			if (p == NULL)
				break;
			redact_add_range(r, (size_t)(p - s),
			    (size_t)(p - s) + sec->len);
		}
		if (hold == NULL)
			continue;
		/* A tail that is the start of the secret may be one. */
		k = len > from + sec->len - 1 ? len - (sec->len - 1) : from;
		for (; k < len && k < *hold; k++) {
			if (memcmp(s + k, sec->value, len - k) == 0) {
				*hold = k;
				break;
			}
		}
	}
}

/*
 * Where a UTF-8 character cut by the end of s[from, len) begins, or len:
 * patterns match whole characters, so a cut one waits for the rest.
 */
static size_t
redact_utf8_tail(const char *s, size_t len, size_t from)
{
	unsigned char	c;
	size_t		k, need;

	for (k = 1; k <= 3 && k <= len - from; k++) {
		c = (unsigned char)s[len - k];
		if ((c & 0xc0) == 0x80)
			continue;
		need = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 1;
		return (need > k ? len - k : len);
	}
	return (len);
}

/*
 * Every match of built-in pattern i in s[off, len) (complete ones, or,
 * with PCRE2_PARTIAL_HARD, up to the first partial one), each a range.
 * With hold, lower it to the start of a partial match, or of one that
 * reaches end.
 */
static void
redact_search(struct redact *r, size_t i, const char *s, size_t len,
    size_t off, uint32_t partial, size_t *hold, size_t end)
{
	PCRE2_SIZE	*ov = pcre2_get_ovector_pointer(r->md);
	size_t		 from = off, start;
	int		 rc;

	while (off <= len) {
		rc = pcre2_match(r->code[i], (PCRE2_SPTR)s, len, off, partial,
		    r->md, NULL);
		if (rc == PCRE2_ERROR_NOMATCH)
			return;
		if (rc < 0 && rc != PCRE2_ERROR_PARTIAL) {
			/* A matching error (a limit): fail safe. */
			redact_add_range(r, off, len);
			return;
		}
		/* Where it began, before any \K. */
		start = pcre2_get_startchar(r->md);
		if (ov[0] < start)
			start = ov[0];
		if (rc == PCRE2_ERROR_PARTIAL || (hold != NULL &&
		    ov[1] >= end)) {
			if (start < *hold)
				*hold = start < from ? from : start;
		}
		if (rc == PCRE2_ERROR_PARTIAL)
			return;
		redact_add_match(r, start, ov[0], ov[1]);
		off = ov[1] > off ? ov[1] : redact_next_char(s, len, off);
	}
}

/*
 * The built-in patterns, one pass each, with every optimisation of
 * PCRE2's (a partial search has fewer).  With hold, the earliest start
 * of a match that more bytes could make or lengthen: one that ends at
 * the end (or at a UTF-8 character cut by it), or a partial match
 * (PCRE2_PARTIAL_HARD) after the last newline, since no pattern crosses
 * one but private-key, which always matches to the end once begun.
 */
static void
redact_find_builtins(struct redact *r, const char *s, size_t len,
    size_t from, size_t *hold)
{
	const char	*nl;
	size_t		 i, tail = from, end;

	/*
	 * A character cut at the end is not there yet (the hold keeps it):
	 * a match up to it may go on past it.
	 */
	if (hold != NULL)
		len = redact_utf8_tail(s, len, from);
	end = len;
	if (hold != NULL && len > from &&
	    (nl = memrchr(s + from, '\n', len - from)) != NULL)
		tail = (size_t)(nl - s) + 1;
	for (i = 0; i < REDACT_NBUILTINS; i++) {
		redact_search(r, i, s, len, from, 0, hold, end);
		if (hold != NULL)
			redact_search(r, i, s, len, tail, PCRE2_PARTIAL_HARD,
			    hold, end);
	}
}

/* The user's patterns, which cannot say where a match may begin. */
static void
redact_find_patterns(struct redact *r, const char *s, size_t len,
    size_t from, size_t *hold)
{
	size_t	i, off, a, b;
	int	rc;

	for (i = 0; i < r->npatterns; i++) {
		off = from;
		while (off <= len) {
			rc = pattern_match(r->patterns[i], s + off, len - off,
			    &a, &b);
			if (rc == 0)
				break;
			if (rc < 0) {
				redact_add_range(r, off, len);
				break;
			}
			redact_add_range(r, off + a, off + b);
			off = b > 0 ? off + b : redact_next_char(s, len, off);
		}
	}
	/* No partial matching for these: hold a window instead. */
	if (hold != NULL && r->npatterns > 0) {
		if (len - from <= REDACT_PATTERN_WINDOW)
			*hold = from;
		else if (len - REDACT_PATTERN_WINDOW < *hold)
			*hold = len - REDACT_PATTERN_WINDOW;
	}
}

/*
 * Every range to redact in s[from, len), merged, in r->ranges.  With
 * hold, also where a match could still begin once more bytes arrive.
 */
static void
redact_find(struct redact *r, const char *s, size_t len, size_t from,
    size_t *hold)
{
	r->nranges = 0;
	if (hold != NULL)
		*hold = redact_utf8_tail(s, len, from);
	redact_find_secrets(r, s, len, from, hold);
	redact_find_builtins(r, s, len, from, hold);
	redact_find_patterns(r, s, len, from, hold);
	redact_merge(r);
}

/* Append s[from, to) to *out with the ranges replaced. */
static void
redact_emit(const struct redact *r, const char *s, size_t from, size_t to,
    char **out, size_t *outlen, size_t *outcap)
{
	const struct redact_range	*rg;
	size_t				 i, pos = from, need, mark;

	mark = strlen(REDACT_MARK);
	need = *outlen + (to - from) + (r->nranges + 1) * mark + 1;
	if (need > *outcap) {
		*outcap = need * 2;
		*out = xrealloc(*out, *outcap);
	}
	for (i = 0; i < r->nranges; i++) {
		rg = &r->ranges[i];
		if (rg->end <= from || rg->start >= to)
			continue;
		if (rg->start > pos) {
			memcpy(*out + *outlen, s + pos, rg->start - pos);
			*outlen += rg->start - pos;
		}
		memcpy(*out + *outlen, REDACT_MARK, mark);
		*outlen += mark;
		pos = rg->end;
	}
	if (to > pos) {
		memcpy(*out + *outlen, s + pos, to - pos);
		*outlen += to - pos;
	}
	(*out)[*outlen] = '\0';
}

/*
 * Redact len bytes of s.  Returns how many parts were replaced; when
 * any, *out (caller frees, NUL-terminated) and *outlen hold the result,
 * else they are left alone and s can be used as it is.
 */
size_t
redact_buffer(struct redact *r, const char *s, size_t len, char **out,
    size_t *outlen)
{
	size_t	cap = 0;

	redact_find(r, s, len, 0, NULL);
	if (r->nranges == 0)
		return (0);
	*out = NULL;
	*outlen = 0;
	redact_emit(r, s, 0, len, out, outlen, &cap);
	return (r->nranges);
}

/* A redacted copy of s; caller frees. */
char *
redact_string(struct redact *r, const char *s)
{
	char	*out;
	size_t	 outlen;

	if (redact_buffer(r, s, strlen(s), &out, &outlen) == 0)
		return (xstrdup(s));
	return (out);
}

/* A stream over r (which must outlive it) for one command's output. */
struct redact_stream *
redact_stream_create(struct redact *r)
{
	struct redact_stream	*st = xcalloc(1, sizeof *st);

	st->r = r;
	return (st);
}

/* Free a stream (NULL is fine), dropping what it still held. */
void
redact_stream_free(struct redact_stream *st)
{
	if (st == NULL)
		return;
	free(st->buf);
	free(st->out);
	free(st);
}

/* Keep a little of what was emitted, up to cut, as context. */
static void
redact_stream_shift(struct redact_stream *st, size_t cut)
{
	size_t	keep = cut < REDACT_CONTEXT ? cut : REDACT_CONTEXT;

	memmove(st->buf, st->buf + cut - keep, st->len - cut + keep);
	st->len = st->len - cut + keep;
	st->ctx = keep;
}

/* Forget the first n bytes, which are not to be shown at all. */
static void
redact_stream_drop(struct redact_stream *st, size_t n)
{
	memmove(st->buf, st->buf + n, st->len - n);
	st->len -= n;
	st->ctx = 0;
}

/* In an overlong key block: drop bytes until its END line has passed. */
static int
redact_stream_skip_key(struct redact_stream *st)
{
	static const char	 end[] = "-----END";
	static const char	 tail[] = "PRIVATE KEY-----";
	const char		*p, *q, *e;

	redact_stream_drop(st, st->ctx);
	e = st->buf + st->len;
	for (p = st->buf; (p = memmem(p, (size_t)(e - p), end,
	    sizeof end - 1)) != NULL; p++) {
		q = memmem(p, (size_t)(e - p), tail, sizeof tail - 1);
		if (q == NULL || memchr(p, '\n', (size_t)(q - p)) != NULL)
			continue;
		redact_stream_drop(st, (size_t)(q + sizeof tail - 1 -
		    st->buf));
		st->in_key = 0;
		return (1);
	}
	/* Keep only what could be the start of the END line. */
	if (st->len > 128)
		redact_stream_drop(st, st->len - 128);
	return (0);
}

/*
 * Feed len bytes; returns the bytes that are safe to show now (*outlen
 * of them, NUL-terminated, valid until the next call).  The rest is
 * held until more arrives or redact_stream_finish.
 */
const char *
redact_stream_feed(struct redact_stream *st, const char *buf, size_t len,
    size_t *outlen)
{
	struct redact			*r = st->r;
	const struct redact_range	*rg;
	size_t				 hold, cut, i, outcap = st->outcap;
	int				 moved;

	if (st->len + len + 1 > st->cap) {
		st->cap = (st->len + len + 1) * 2;
		st->buf = xrealloc(st->buf, st->cap);
	}
	memcpy(st->buf + st->len, buf, len);
	st->len += len;
	*outlen = 0;
	if (st->out == NULL) {
		st->outcap = outcap = 256;
		st->out = xmalloc(outcap);
	}
	st->out[0] = '\0';
	if (st->in_key && !redact_stream_skip_key(st))
		return (st->out);
	/*
	 * A long pending match (a key block, a huge token) would be
	 * searched again on every small read: wait until it has grown by
	 * half, so that the work stays linear in the output.
	 */
	st->fresh += len;
	if (st->held > 4096 && st->fresh < st->held / 2)
		return (st->out);
	st->fresh = 0;

	redact_find(r, st->buf, st->len, st->ctx, &hold);
	/*
	 * Cut where no match is cut in two, counting from where each began
	 * (before \K: "token=" must not go out without its value, or the
	 * next search, which starts at the cut, would not know it).
	 */
	cut = hold;
	do {
		moved = 0;
		for (i = r->nranges; i > 0; i--) {
			rg = &r->ranges[i - 1];
			if (rg->match < cut && rg->end > cut &&
			    cut > st->ctx) {
				cut = rg->match > st->ctx ? rg->match :
				    st->ctx;
				moved = 1;
			}
		}
	} while (moved);
	if (st->len - cut > REDACT_HOLD_MAX) {
		/* Waited long enough: redact what is there and go on. */
		redact_find(r, st->buf, st->len, st->ctx, NULL);
		cut = st->len;
		if (r->nranges > 0) {
			rg = &r->ranges[r->nranges - 1];
			if (rg->end == st->len && st->len - rg->start > 10 &&
			    memcmp(st->buf + rg->start, "-----BEGIN", 10) == 0)
				st->in_key = 1;
		}
	}
	redact_emit(r, st->buf, st->ctx, cut, &st->out, outlen, &outcap);
	st->outcap = outcap;
	st->held = st->len - cut;
	redact_stream_shift(st, cut);
	if (st->in_key)
		redact_stream_drop(st, st->len);
	return (st->out);
}

/* The end of the stream: everything still held, redacted. */
const char *
redact_stream_finish(struct redact_stream *st, size_t *outlen)
{
	size_t	outcap = st->outcap;

	*outlen = 0;
	if (st->out == NULL) {
		st->outcap = outcap = 256;
		st->out = xmalloc(outcap);
	}
	st->out[0] = '\0';
	if (!st->in_key) {
		redact_find(st->r, st->buf, st->len, st->ctx, NULL);
		redact_emit(st->r, st->buf, st->ctx, st->len, &st->out,
		    outlen, &outcap);
		st->outcap = outcap;
	}
	st->len = 0;
	st->ctx = 0;
	st->held = 0;
	st->fresh = 0;
	st->in_key = 0;
	return (st->out);
}
