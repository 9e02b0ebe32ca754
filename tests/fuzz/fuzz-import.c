/*
 * libFuzzer target: import one Markdown document, then load the YAML it
 * produced.
 *
 * Whatever the bytes, the import must end with YAML or with located
 * errors, in bounded time and memory; and YAML it produces must load and
 * validate with no error (warnings are allowed): an import that does not
 * validate is a bug of the importer.  The sanitizers do the rest.
 */

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "diag.h"
#include "import.h"
#include "runbook.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct import_options	 io = { .source = "fuzz.md",
				     .date = "2026-01-01" };
	struct rb_load_options	 lo = { .stale_after_days = 180,
				     .now = 1767225600 };
	struct diag		 diag, vd;
	struct runbook		*rb;
	struct drill		*d;
	char			*yaml;
	size_t			 len;

	diag_init(&diag);
	if (import_markdown(data, size, &io, &diag, &yaml, &len) != 0) {
		if (diag.nerrors == 0)
			__builtin_trap();	/* a failure always says why */
		diag_free(&diag);
		return (0);
	}
	if (diag.nerrors != 0 || yaml == NULL)
		__builtin_trap();
	diag_init(&vd);
	rbfile_load_buffer("fuzz.yaml", yaml, len, &lo, &vd, &rb, &d);
	if (rb == NULL || d != NULL || vd.nerrors != 0) {
		diag_print(&vd, stderr);
		fwrite(yaml, 1, len, stderr);
		__builtin_trap();	/* the import must validate */
	}
	runbook_free(rb);
	diag_free(&vd);
	diag_free(&diag);
	free(yaml);
	return (0);
}
