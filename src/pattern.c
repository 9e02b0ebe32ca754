/*
 * PCRE2 patterns.
 *
 * Every pattern a runbook or the user gives is compiled once, with UTF
 * mode and JIT when available, and matched with one match-data block per
 * call so that patterns can be shared freely.  Subjects may be invalid
 * UTF-8 (command output is whatever a command printed):
 * PCRE2_MATCH_INVALID_UTF makes such input safe to search.
 */

#define PCRE2_CODE_UNIT_WIDTH 8

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <pcre2.h>

#include "pattern.h"
#include "xmalloc.h"

/* Matches of a PATTERN_JIT_LATE pattern before it is JIT-compiled. */
#define PATTERN_JIT_AFTER	64

struct pattern {
	char		*source;
	pcre2_code	*code;
	unsigned	 jit_in;	/* matches before it is JIT-compiled */
	int		 jit;		/* JIT-compiled (or tried) */
};

/*
 * Compile src.  On failure return NULL, set *cause to PCRE2's message
 * (caller frees) and *offset to the byte offset in src where it stopped.
 */
struct pattern *
pattern_compile(const char *src, int flags, char **cause, size_t *offset)
{
	struct pattern	*p;
	pcre2_code	*code;
	PCRE2_UCHAR	 buf[256];
	PCRE2_SIZE	 off;
	uint32_t	 opts = PCRE2_UTF | PCRE2_MATCH_INVALID_UTF;
	int		 err;

	if (flags & PATTERN_CASELESS)
		opts |= PCRE2_CASELESS;
	if (flags & PATTERN_LITERAL)
		opts |= PCRE2_LITERAL;
	code = pcre2_compile((PCRE2_SPTR)src, PCRE2_ZERO_TERMINATED, opts,
	    &err, &off, NULL);
	if (code == NULL) {
		pcre2_get_error_message(err, buf, sizeof buf);
		if (cause != NULL)
			*cause = xstrdup((char *)buf);
		if (offset != NULL)
			*offset = off;
		return (NULL);
	}
	p = xcalloc(1, sizeof *p);
	p->source = xstrdup(src);
	p->code = code;
	p->jit_in = (flags & PATTERN_JIT_LATE) ? PATTERN_JIT_AFTER : 0;
	return (p);
}

void
pattern_free(struct pattern *p)
{
	if (p == NULL)
		return;
	pcre2_code_free(p->code);
	free(p->source);
	free(p);
}

const char *
pattern_source(const struct pattern *p)
{
	return (p->source);
}

/*
 * Search s (len bytes) for p.  Returns 1 on a match and sets *start and
 * *end (either may be NULL), 0 on no match, -1 on a matching error (for
 * example the match limit).
 */
int
pattern_match(const struct pattern *p, const char *s, size_t len,
    size_t *start, size_t *end)
{
	/*
	 * One match-data block for every match of the thread, with room for
	 * the whole match only (PCRE2 then returns 0 for a match with
	 * groups): no allocation per match, and PCRE2 keeps the frames of
	 * its interpreter there from one match to the next.
	 */
	static _Thread_local pcre2_match_data	*md;
	PCRE2_SIZE				*ov;
	int					 rc;

	/*
	 * JIT on first use: most patterns of a runbook are only validated,
	 * never matched, and JIT compiling them all would double the load.
	 * A PATTERN_JIT_LATE pattern is interpreted for its first matches:
	 * compiling it costs as much as some dozens of them.
	 */
	if (!p->jit) {
		if (p->jit_in > 0)
			((struct pattern *)(uintptr_t)p)->jit_in--;
		else {
			((struct pattern *)(uintptr_t)p)->jit = 1;
			pcre2_jit_compile(p->code, PCRE2_JIT_COMPLETE);
		}
	}
	if (md == NULL && (md = pcre2_match_data_create(1, NULL)) == NULL)
		fatalx("out of memory (pcre2 match data)");
	rc = pcre2_match(p->code, (PCRE2_SPTR)s, len, 0, 0, md, NULL);
	if (rc >= 0) {
		ov = pcre2_get_ovector_pointer(md);
		if (start != NULL)
			*start = ov[0];
		if (end != NULL)
			*end = ov[1];
		return (1);
	}
	if (rc == PCRE2_ERROR_NOMATCH)
		return (0);
	return (-1);
}
