/*
 * libFuzzer target: the redactor's stream against the redactor on the
 * whole text, and the output pane's parser on any chunking.
 *
 * The first bytes choose a chunking (sizes 1 to 256, then the rest);
 * the others are the text, with two secret values of their own.  Fed
 * through a redact stream in those chunks, the text must come out the
 * same as redacted whole, and no secret value may survive in either.
 * Fed to an output pane in the same chunks and whole, the lines must be
 * the same.  The sanitizers do the rest.
 */

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "output.h"
#include "redact.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static const char *const fuzz_secrets[] = { "hunter2", "Tr0ub4dor&3" };

/* The pieces of the chunking: sizes from the first 8 bytes. */
static size_t
fuzz_chunk(const uint8_t *sizes, size_t i, size_t left)
{
	size_t	k = 1 + sizes[i % 8];

	return (k < left ? k : left);
}

static void
fuzz_output(const char *text, size_t len, const uint8_t *sizes)
{
	struct output	*whole = output_create(64), *parts = output_create(64);
	const char	*a, *b;
	size_t		 off, i, k, la, lb;

	output_feed(whole, text, len);
	for (off = 0, i = 0; off < len; off += k, i++) {
		k = fuzz_chunk(sizes, i, len - off);
		output_feed(parts, text + off, k);
	}
	if (output_lines(whole) != output_lines(parts) ||
	    output_dropped(whole) != output_dropped(parts))
		__builtin_trap();
	for (i = 0; i < output_lines(whole); i++) {
		a = output_line(whole, i, &la);
		b = output_line(parts, i, &lb);
		if (la != lb || memcmp(a, b, la) != 0)
			__builtin_trap();
	}
	output_free(whole);
	output_free(parts);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct redact		*r;
	struct redact_stream	*st;
	const uint8_t		*sizes;
	const char		*text, *o;
	char			*whole, *out;
	size_t			 len, off, i, k, olen, wlen, n = 0, cap;

	if (size < 8 || size > 65536)
		return (0);
	sizes = data;
	text = (const char *)data + 8;
	len = size - 8;
	fuzz_output(text, len, sizes);

	r = redact_create();
	for (i = 0; i < sizeof fuzz_secrets / sizeof fuzz_secrets[0]; i++)
		redact_add_secret(r, fuzz_secrets[i]);
	if (redact_buffer(r, text, len, &whole, &wlen) == 0) {
		whole = malloc(len + 1);
		if (whole == NULL)
			abort();
		memcpy(whole, text, len);
		whole[len] = '\0';
		wlen = len;
	}
	cap = wlen + 1;
	if ((out = malloc(cap)) == NULL)
		abort();
	st = redact_stream_create(r);
	for (off = 0, i = 0; off <= len; off += k, i++) {
		if (off == len) {
			o = redact_stream_finish(st, &olen);
			k = 1;
		} else {
			k = fuzz_chunk(sizes, i, len - off);
			o = redact_stream_feed(st, text + off, k, &olen);
		}
		if (n + olen > wlen || memcmp(whole + n, o, olen) != 0)
			__builtin_trap();	/* the stream differs */
		memcpy(out + n, o, olen);
		n += olen;
	}
	if (n != wlen)
		__builtin_trap();
	out[n] = '\0';
	for (i = 0; i < sizeof fuzz_secrets / sizeof fuzz_secrets[0]; i++) {
		if (memmem(whole, wlen, fuzz_secrets[i],
		    strlen(fuzz_secrets[i])) != NULL)
			__builtin_trap();	/* a secret survived */
	}
	redact_stream_free(st);
	redact_free(r);
	free(whole);
	free(out);
	return (0);
}
