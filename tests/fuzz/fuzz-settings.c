/*
 * libFuzzer target: the operator's settings, a theme file or the
 * configuration file, of any bytes.
 *
 * The first byte chooses: even, a theme (over the default theme, as
 * --theme FILE loads it); odd, the configuration (written to a file, as
 * config_load reads it).  Whatever the bytes, loading must end with
 * settings or with located problems; the sanitizers do the rest.
 */

#include <fcntl.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "config.h"
#include "diag.h"
#include "fileio.h"
#include "theme.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static char	path[] = "/tmp/rbnav-fuzz-config.XXXXXX";
static int	fd = -1;

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct diag	 diag;
	struct theme	*t;
	struct config	*c;

	if (size == 0)
		return (0);
	diag_init(&diag);
	if (data[0] % 2 == 0) {
		t = theme_load_buffer("fuzz.yaml", data + 1, size - 1, &diag);
		if (t == NULL && diag.nerrors == 0)
			__builtin_trap();	/* a failure says why */
		theme_free(t);
	} else {
		if (fd == -1) {
			if ((fd = mkstemp(path)) == -1)
				abort();
			unlink(path);
			snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
		}
		if (ftruncate(fd, 0) != 0 || lseek(fd, 0, SEEK_SET) != 0 ||
		    fileio_write_all(fd, data + 1, size - 1) != 0)
			abort();
		c = config_load(path, 1, &diag);
		if (c == NULL && diag.nerrors == 0)
			__builtin_trap();
		config_free(c);
	}
	diag_free(&diag);
	return (0);
}
