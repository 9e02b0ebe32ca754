/*
 * Durable files.
 *
 * Every file rbnav writes other than the journal (reports, imported
 * runbooks, drill files) is written the same way, so that a crash leaves
 * either the old file or the whole new one: a temporary file beside the
 * target, written and fsynced, renamed over the target, then the
 * directory fsynced.  A failure removes the temporary file and says why.
 */

#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fileio.h"
#include "xmalloc.h"

/* fsync the directory that holds path. */
int
fileio_sync_dir(const char *path)
{
	const char	*slash = strrchr(path, '/');
	char		*dir;
	int		 fd, rc;

	if (slash == NULL)
		dir = xstrdup(".");
	else if (slash == path)
		dir = xstrdup("/");
	else
		dir = xstrndup(path, (size_t)(slash - path));
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	free(dir);
	if (fd == -1)
		return (-1);
	rc = fsync(fd);
	close(fd);
	return (rc);
}

/*
 * Write path atomically: fn(arg, f) writes the content and returns 0.
 * Returns 0, or -1 with *cause set (caller frees).
 */
int
fileio_write(const char *path, int (*fn)(void *, FILE *), void *arg,
    char **cause)
{
	const char	*slash = strrchr(path, '/');
	char		*tmp;
	FILE		*f;
	mode_t		 mask;
	int		 fd;

	if (slash != NULL)
		tmp = xprintf("%.*s/.%s.XXXXXX", (int)(slash - path), path,
		    slash + 1);
	else
		tmp = xprintf(".%s.XXXXXX", path);
	if ((fd = mkstemp(tmp)) == -1) {
		*cause = xprintf("%s: %s", path, strerror(errno));
		free(tmp);
		return (-1);
	}
	mask = umask(0);
	umask(mask);
	fchmod(fd, 0666 & ~mask);
	if ((f = fdopen(fd, "w")) == NULL) {
		*cause = xprintf("%s: %s", tmp, strerror(errno));
		close(fd);
		goto fail;
	}
	errno = 0;
	if (fn(arg, f) != 0 || fflush(f) != 0 || ferror(f) || fsync(fd) != 0) {
		*cause = xprintf("%s: %s", tmp, strerror(errno ? errno : EIO));
		fclose(f);
		goto fail;
	}
	if (fclose(f) != 0) {
		*cause = xprintf("%s: %s", tmp, strerror(errno));
		goto fail;
	}
	if (rename(tmp, path) != 0) {
		*cause = xprintf("%s: %s", path, strerror(errno));
		goto fail;
	}
	free(tmp);
	if (fileio_sync_dir(path) != 0) {
		*cause = xprintf("%s: syncing its directory: %s", path,
		    strerror(errno));
		return (-1);
	}
	return (0);
fail:
	unlink(tmp);
	free(tmp);
	return (-1);
}

struct fileio_buf {
	const char	*buf;
	size_t		 len;
};

static int
fileio_put(void *arg, FILE *f)
{
	struct fileio_buf	*b = arg;

	return (fwrite(b->buf, 1, b->len, f) == b->len ? 0 : -1);
}

/* Write len bytes of buf to path atomically. */
int
fileio_write_buffer(const char *path, const char *buf, size_t len,
    char **cause)
{
	struct fileio_buf	b = { buf, len };

	return (fileio_write(path, fileio_put, &b, cause));
}

/*
 * Read up to len bytes from fd, through interruptions and short reads,
 * until len or the end of the file.  Returns the bytes read, or -1.
 */
ssize_t
fileio_read_all(int fd, void *buf, size_t len)
{
	size_t	got = 0;
	ssize_t	n;

	while (got < len) {
		n = read(fd, (char *)buf + got, len - got);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1)
			return (-1);
		if (n == 0)
			break;
		got += (size_t)n;
	}
	return ((ssize_t)got);
}

/*
 * Write all of buf to fd, waiting when a non-blocking fd is full; -1 with
 * errno on failure.
 */
int
fileio_write_all(int fd, const void *buf, size_t len)
{
	struct pollfd	 pfd;
	const char	*p = buf;
	ssize_t		 n;

	while (len > 0) {
		n = write(fd, p, len);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1 && errno == EAGAIN) {
			pfd.fd = fd;
			pfd.events = POLLOUT;
			poll(&pfd, 1, 1000);
			continue;
		}
		if (n == 0)
			errno = EIO;	/* no progress: do not spin */
		if (n <= 0)
			return (-1);
		p += n;
		len -= (size_t)n;
	}
	return (0);
}
