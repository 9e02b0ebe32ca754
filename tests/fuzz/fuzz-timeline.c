/*
 * libFuzzer target: a timeline file of any bytes.
 *
 * The bytes are written to a file and read as a timeline; what was read
 * is verified (the hash chain, the last event) and turned into the report
 * in every format.  Whatever the bytes, this must end with a report or a
 * reason, within bounded time and memory; the sanitizers do the rest.
 * The first byte chooses the reader's mode (whole events, or envelopes
 * only).
 */

#include <fcntl.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "export.h"
#include "fileio.h"
#include "journal-read.h"
#include "redact.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static char		 path[] = "/tmp/rbnav-fuzz-timeline.XXXXXX";
static int		 fd = -1;
static struct redact	*redactor;

static void
render_all(const struct journal_file *jf)
{
	static const char *const formats[] = { "md", "html", "json" };
	const struct export_ops	*ops;
	struct export_report	*rep;
	FILE			*f;
	size_t			 i;

	if (redactor == NULL)
		redactor = redact_create();
	if ((rep = export_report_create(jf, redactor)) == NULL)
		return;
	if ((f = fopen("/dev/null", "w")) != NULL) {
		for (i = 0; i < sizeof formats / sizeof formats[0]; i++) {
			ops = export_find(formats[i]);
			if (ops != NULL)
				ops->write(rep, f);
		}
		fclose(f);
	}
	export_report_free(rep);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct journal_file	*jf;
	char			*cause = NULL, hash[65], *anchor;

	if (size == 0)
		return (0);
	if (fd == -1) {
		if ((fd = mkstemp(path)) == -1)
			abort();
		unlink(path);	/* read through /proc/self/fd below */
		snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
	}
	if (ftruncate(fd, 0) != 0 || lseek(fd, 0, SEEK_SET) != 0 ||
	    fileio_write_all(fd, data + 1, size - 1) != 0)
		abort();
	jf = journal_read(path, data[0] % 2 ? JOURNAL_READ_LAZY : 0, &cause);
	if (jf == NULL) {
		if (cause == NULL)
			__builtin_trap();	/* a failure says why */
		free(cause);
		return (0);
	}
	free(cause);
	cause = NULL;
	if (journal_verify(jf, &cause) != 0 && cause == NULL)
		__builtin_trap();
	free(cause);
	journal_last(jf, hash);
	anchor = journal_anchor(jf);
	free(anchor);
	if (!(data[0] % 2))
		render_all(jf);
	journal_read_free(jf);
	return (0);
}
