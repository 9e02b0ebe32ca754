/*
 * libFuzzer target: load and validate one runbook or drill file.
 *
 * Whatever the bytes, loading must end with a model or with located
 * problems, within bounded time and memory; the sanitizers do the rest.
 */

#include <stddef.h>
#include <stdint.h>

#include "diag.h"
#include "runbook.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct diag	 diag;
	struct runbook	*rb;
	struct drill	*d;

	diag_init(&diag);
	rbfile_load_buffer("fuzz.yaml", data, size, NULL, &diag, &rb, &d);
	if (rb != NULL && d != NULL)
		__builtin_trap();	/* one file is one thing */
	if (rb == NULL && d == NULL && diag.nerrors == 0)
		__builtin_trap();	/* a failure always says why */
	runbook_free(rb);
	drill_free(d);
	diag_free(&diag);
	return (0);
}
