/*
 * rbnav import FILE.md [-o FILE.yaml]: a Markdown runbook into rbnav/v1.
 *
 * This file does the input and output around import_markdown: it reads
 * the file (at most IMPORT_MAX_INPUT bytes; "-" is standard input),
 * prints the warnings and errors as "rbnav: FILE:LINE: LEVEL: MESSAGE",
 * and writes the YAML to standard output or, with -o, atomically: a
 * temporary file in the same directory, fsync, rename, fsync of the
 * directory.  Exit status: 0 imported, 1 the input could not be read or
 * converted, 3 the output could not be written.
 */

#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cmd.h"
#include "fileio.h"
#include "import.h"
#include "xmalloc.h"

/*
 * Read all of path ("-": standard input) into *buf (caller frees), at
 * most max bytes.  Returns 0, or -1 with *cause (caller frees) and the
 * line to blame in *line (0: none).
 */
static int
cmd_import_read(const char *path, size_t max, char **buf, size_t *len,
    char **cause, int *line)
{
	struct stat	 st;
	size_t		 cap = 65536, got = 0;
	ssize_t		 n;
	int		 fd;

	*buf = NULL;
	*line = 0;
	if (strcmp(path, "-") == 0)
		fd = STDIN_FILENO;
	else if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1) {
		*cause = xprintf("cannot open: %s", strerror(errno));
		return (-1);
	}
	if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
		*cause = xstrdup("is a directory");
		goto fail;
	}
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) &&
	    (size_t)st.st_size > max) {
		*cause = xprintf("file is larger than %zu MiB", max >> 20);
		*line = 1;
		goto fail;
	}
	*buf = xmalloc(cap);
	for (;;) {
		if (got == cap) {
			if (cap > max) {
				*cause = xprintf("file is larger than %zu MiB",
				    max >> 20);
				*line = 1;
				goto fail;
			}
			cap *= 2;
			*buf = xrealloc(*buf, cap);
		}
		n = read(fd, *buf + got, cap - got);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1) {
			*cause = xprintf("cannot read: %s", strerror(errno));
			goto fail;
		}
		if (n == 0)
			break;
		got += (size_t)n;
	}
	if (got > max) {
		*cause = xprintf("file is larger than %zu MiB", max >> 20);
		*line = 1;
		goto fail;
	}
	if (fd != STDIN_FILENO)
		close(fd);
	*len = got;
	return (0);
fail:
	if (fd != STDIN_FILENO)
		close(fd);
	free(*buf);
	*buf = NULL;
	return (-1);
}


/*
 * Replace path with buf, so that a reader sees the old file or the
 * whole new one, even after a crash: temporary file, fsync, rename,
 * fsync of the directory.  Returns 0, or -1 with *cause (caller frees).
 */
static int
cmd_import_save(const char *path, const char *buf, size_t len, char **cause)
{
	char	*copy, *dir, *tmp;
	mode_t	 mask;
	int	 fd, dfd, saved;

	copy = xstrdup(path);
	dir = xstrdup(dirname(copy));
	free(copy);
	copy = xstrdup(path);
	tmp = xprintf("%s/.%s.XXXXXX", dir, basename(copy));
	free(copy);
	if ((fd = mkstemp(tmp)) == -1) {
		*cause = xprintf("cannot create a file in %s: %s", dir,
		    strerror(errno));
		goto fail;
	}
	mask = umask(0);
	umask(mask);
	if (fchmod(fd, 0666 & ~mask) == -1 ||
	    fileio_write_all(fd, buf, len) == -1 || fsync(fd) == -1) {
		saved = errno;
		close(fd);
		unlink(tmp);
		*cause = xprintf("cannot write: %s", strerror(saved));
		goto fail;
	}
	if (close(fd) == -1) {
		saved = errno;
		unlink(tmp);
		*cause = xprintf("cannot write: %s", strerror(saved));
		goto fail;
	}
	if (rename(tmp, path) == -1) {
		saved = errno;
		unlink(tmp);
		*cause = xprintf("cannot replace: %s", strerror(saved));
		goto fail;
	}
	if ((dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) != -1) {
		if (fsync(dfd) == -1 && errno != EINVAL) {
			saved = errno;
			close(dfd);
			*cause = xprintf("cannot sync %s: %s", dir,
			    strerror(saved));
			goto fail;
		}
		close(dfd);
	}
	free(tmp);
	free(dir);
	return (0);
fail:
	free(tmp);
	free(dir);
	return (-1);
}

/* The date in the header: $SOURCE_DATE_EPOCH, else today (UTC). */
static void
cmd_import_date(char *buf, size_t size)
{
	const char	*env = getenv("SOURCE_DATE_EPOCH");
	char		*end;
	time_t		 t = time(NULL);
	long long	 v;
	struct tm	 tm;

	if (env != NULL && *env != '\0') {
		v = strtoll(env, &end, 10);
		if (*end == '\0' && v >= 0)
			t = (time_t)v;
	}
	if (gmtime_r(&t, &tm) == NULL ||
	    strftime(buf, size, "%Y-%m-%d", &tm) == 0)
		snprintf(buf, size, "unknown date");
}

/* rbnav import FILE.md [-o FILE.yaml]. */
int
cmd_import(struct cmd_options *o)
{
	struct import_options	 io;
	struct diag		 diag;
	const struct diag_item	*it;
	const char		*path = o->args[0], *name;
	char			*in, *yaml = NULL, *cause, date[32];
	size_t			 len, yamllen, i;
	int			 line, rc = EXIT_OK;

	name = strcmp(path, "-") == 0 ? "(stdin)" : path;
	if (cmd_import_read(path, IMPORT_MAX_INPUT, &in, &len, &cause,
	    &line) != 0) {
		if (line > 0)
			cmd_error("%s:%d: error: %s", name, line, cause);
		else
			cmd_error("%s: error: %s", name, cause);
		free(cause);
		return (EXIT_CHECK);
	}
	cmd_import_date(date, sizeof date);
	memset(&io, 0, sizeof io);
	io.source = name;
	io.date = date;
	diag_init(&diag);
	if (import_markdown(in, len, &io, &diag, &yaml, &yamllen) != 0)
		rc = EXIT_CHECK;
	free(in);
	diag_sort(&diag);
	for (i = 0; i < diag.n; i++) {
		it = &diag.items[i];
		if (it->line > 0)
			cmd_error("%s:%d: %s: %s", it->file, it->line,
			    it->level == DIAG_ERROR ? "error" : "warning",
			    it->msg);
		else
			cmd_error("%s: %s: %s", it->file,
			    it->level == DIAG_ERROR ? "error" : "warning",
			    it->msg);
	}
	diag_free(&diag);
	if (rc != EXIT_OK)
		goto out;
	if (o->output != NULL && strcmp(o->output, "-") != 0) {
		if (cmd_import_save(o->output, yaml, yamllen, &cause) != 0) {
			cmd_error("%s: %s", o->output, cause);
			free(cause);
			rc = EXIT_RUNTIME;
		}
	} else if (fwrite(yaml, 1, yamllen, stdout) != yamllen ||
	    fflush(stdout) != 0) {
		cmd_error("cannot write standard output: %s", strerror(errno));
		rc = EXIT_RUNTIME;
	}
out:
	free(yaml);
	return (rc);
}
