/*
 * The incident timeline (rbnav-timeline/v1): writing.
 *
 * One JSON object a line, built with jansson, the envelope keys first
 * (v, seq, ts, t, op, type, prev) and the event's own keys after.  Each
 * line is written with one write(2) on an O_APPEND descriptor and made
 * durable with fdatasync before it counts as recorded; the directory is
 * synced when the file is created.  prev is the SHA-256 of the previous
 * line, so the file is a chain that `rbnav verify` can check.
 *
 * A write or sync that fails (ENOSPC, EIO) loses nothing: the line stays
 * in memory, a partial write is cut off again, journal_error says why,
 * and journal_flush tries again later in the same order.  The caller
 * shows that state; it never hides it.
 */

#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "fileio.h"
#include "journal.h"
#include "xmalloc.h"

struct jline {
	char	*buf;		/* the line with its newline */
	size_t	 len;
	int	 written;	/* write done, sync still owed */
};

struct journal {
	char		*last;		/* the last line appended, no newline */
	size_t		 lastlen;
	char		*path;
	char		*dir;
	int		 fd;
	int64_t		 seq;
	char		 prev[65];
	off_t		 size;		/* bytes known to be whole lines */
	struct jline	*pending;
	size_t		 npending;
	int		 err;
};

void
journal_sha256_hex(const void *buf, size_t len, char out[65])
{
	static const char	hex[] = "0123456789abcdef";
	unsigned char		md[32];
	unsigned int		mdlen = sizeof md;
	size_t			i;

	EVP_Digest(buf, len, md, &mdlen, EVP_sha256(), NULL);
	for (i = 0; i < 32; i++) {
		out[2 * i] = hex[md[i] >> 4];
		out[2 * i + 1] = hex[md[i] & 0xf];
	}
	out[64] = '\0';
}

/* RFC 3339 UTC with milliseconds for a wall time in ms; caller frees. */
char *
journal_timestamp(int64_t ms)
{
	struct tm	tm;
	time_t		t = (time_t)(ms / 1000);
	char		buf[64];

	gmtime_r(&t, &tm);
	strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
	return (xprintf("%s.%03dZ", buf, (int)(ms % 1000)));
}

/* mkdir -p with mode 0700 for what it creates. */
int
journal_mkdirs(const char *path, char **cause)
{
	char	*copy = xstrdup(path), *p;

	for (p = copy + 1; *p != '\0'; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(copy, 0700) == -1 && errno != EEXIST) {
			*cause = xprintf("%s: %s", copy, strerror(errno));
			free(copy);
			return (-1);
		}
		*p = '/';
	}
	if (mkdir(copy, 0700) == -1 && errno != EEXIST) {
		*cause = xprintf("%s: %s", copy, strerror(errno));
		free(copy);
		return (-1);
	}
	free(copy);
	return (0);
}

/* $RBNAV_STATE_DIR, $XDG_STATE_HOME/rbnav/incidents or ~/.local/state/… */
char *
journal_default_dir(void)
{
	const char	*s;

	if ((s = getenv("RBNAV_STATE_DIR")) != NULL && *s != '\0')
		return (xstrdup(s));
	if ((s = getenv("XDG_STATE_HOME")) != NULL && *s != '\0')
		return (xprintf("%s/rbnav/incidents", s));
	if ((s = getenv("HOME")) == NULL || *s == '\0')
		s = "/tmp";
	return (xprintf("%s/.local/state/rbnav/incidents", s));
}

static int
journal_sync_dir(const char *dir)
{
	int	fd, rc;

	if ((fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) == -1)
		return (-1);
	rc = fsync(fd);
	close(fd);
	return (rc);
}

/*
 * Create a new timeline in dir for base ("20261126T021403Z-scenario"),
 * adding -2, -3 … when the name is taken.  Sets *idp to the id used
 * (caller frees).  Returns NULL with *cause set on failure.
 */
struct journal *
journal_create(const char *dir, const char *base, char **idp, char **cause)
{
	struct journal	*j;
	char		*id = NULL, *path = NULL;
	int		 fd = -1, n;

	if (journal_mkdirs(dir, cause) != 0)
		return (NULL);
	for (n = 1; n < 10000; n++) {
		free(id);
		free(path);
		id = n == 1 ? xstrdup(base) : xprintf("%s-%d", base, n);
		path = xprintf("%s/%s.jsonl", dir, id);
		fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_APPEND |
		    O_CLOEXEC, 0600);
		if (fd != -1 || errno != EEXIST)
			break;
	}
	if (fd == -1) {
		*cause = xprintf("%s: %s", path, strerror(errno));
		free(id);
		free(path);
		return (NULL);
	}
	if (journal_sync_dir(dir) != 0) {
		*cause = xprintf("%s: fsync: %s", dir, strerror(errno));
		close(fd);
		unlink(path);
		free(id);
		free(path);
		return (NULL);
	}
	j = xcalloc(1, sizeof *j);
	j->path = path;
	j->dir = xstrdup(dir);
	j->fd = fd;
	memset(j->prev, '0', 64);
	j->prev[64] = '\0';
	*idp = id;
	return (j);
}

/*
 * Reopen an existing timeline to append after line seq whose hash is
 * head (as found by the reader).  The file must end with a whole line:
 * the reader has set any torn tail aside first.
 */
struct journal *
journal_reopen(const char *path, int64_t seq, const char *head, char **cause)
{
	struct journal	*j;
	struct stat	 st;
	char		*slash;
	int		 fd;

	if ((fd = open(path, O_WRONLY | O_APPEND | O_CLOEXEC)) == -1) {
		*cause = xprintf("%s: %s", path, strerror(errno));
		return (NULL);
	}
	if (fstat(fd, &st) == -1) {
		*cause = xprintf("%s: %s", path, strerror(errno));
		close(fd);
		return (NULL);
	}
	j = xcalloc(1, sizeof *j);
	j->path = xstrdup(path);
	slash = strrchr(j->path, '/');
	j->dir = slash ? xstrndup(j->path, slash - j->path) : xstrdup(".");
	j->fd = fd;
	j->seq = seq;
	j->size = st.st_size;
	strncpy(j->prev, head, 64);
	j->prev[64] = '\0';
	return (j);
}

/*
 * Write and sync the pending lines in order.  Returns 0 when all are
 * durable, -1 (journal_error says why) when some are still in memory.
 */
int
journal_flush(struct journal *j)
{
	struct jline	*l;
	ssize_t		 n;
	size_t		 done = 0;

	while (done < j->npending) {
		l = &j->pending[done];
		if (!l->written) {
			n = write(j->fd, l->buf, l->len);
			if (n == -1 && errno == EINTR)
				continue;
			if (n != (ssize_t)l->len) {
				j->err = n == -1 ? errno : ENOSPC;
				/* Never leave half a line behind. */
				if (n > 0 && ftruncate(j->fd, j->size) == -1)
					j->err = errno;
				break;
			}
			l->written = 1;
			j->size += (off_t)l->len;
		}
#ifdef HAVE_FDATASYNC
		if (fdatasync(j->fd) == -1) {
#else
		if (fsync(j->fd) == -1) {
#endif
			if (errno == EINTR)
				continue;
			j->err = errno;
			break;
		}
		free(l->buf);
		done++;
	}
	if (done > 0) {
		memmove(j->pending, j->pending + done,
		    (j->npending - done) * sizeof *j->pending);
		j->npending -= done;
	}
	if (j->npending == 0)
		j->err = 0;
	return (j->npending == 0 ? 0 : -1);
}

/*
 * Append one event: the envelope is built here, own (may be NULL; its
 * reference is taken) supplies the type's keys.  ts_ms is the wall time,
 * t_ms the monotonic time since the incident started.  Returns the
 * event's seq; the event is durable when journal_pending() is 0.
 */
int64_t
journal_append(struct journal *j, const char *op, const char *type,
    int64_t t_ms, json_t *own)
{
	struct timespec	 ts;
	json_t		*ev;
	char		*stamp, *line;
	size_t		 len;

	clock_gettime(CLOCK_REALTIME, &ts);
	stamp = journal_timestamp((int64_t)ts.tv_sec * 1000 +
	    ts.tv_nsec / 1000000);
	ev = json_object();
	json_object_set_new(ev, "v", json_integer(1));
	json_object_set_new(ev, "seq", json_integer(j->seq + 1));
	json_object_set_new(ev, "ts", json_string(stamp));
	json_object_set_new(ev, "t", json_integer(t_ms));
	json_object_set_new(ev, "op", json_string(op));
	json_object_set_new(ev, "type", json_string(type));
	json_object_set_new(ev, "prev", json_string(j->prev));
	free(stamp);
	if (own != NULL) {
		json_object_update(ev, own);
		json_decref(own);
	}
	line = json_dumps(ev, JSON_COMPACT);
	json_decref(ev);
	if (line == NULL)
		fatalx("cannot encode a timeline event");
	len = strlen(line);
	journal_sha256_hex(line, len, j->prev);
	free(j->last);
	j->last = xstrndup(line, len);
	j->lastlen = len;
	line = xrealloc(line, len + 2);
	line[len] = '\n';
	line[len + 1] = '\0';

	j->pending = xreallocarray(j->pending, j->npending + 1,
	    sizeof *j->pending);
	j->pending[j->npending].buf = line;
	j->pending[j->npending].len = len + 1;
	j->pending[j->npending].written = 0;
	j->npending++;
	j->seq++;
	journal_flush(j);
	return (j->seq);
}

/* The last line appended (without its newline), for the shared copy. */
const char *
journal_last_line(const struct journal *j, size_t *len)
{
	*len = j->lastlen;
	return (j->last != NULL ? j->last : "");
}

int
journal_error(const struct journal *j)
{
	return (j->err);
}

size_t
journal_pending(const struct journal *j)
{
	return (j->npending);
}

int64_t
journal_seq(const struct journal *j)
{
	return (j->seq);
}

/* The hash of the last line appended (the head anchor). */
const char *
journal_head(const struct journal *j)
{
	return (j->prev);
}

const char *
journal_path(const struct journal *j)
{
	return (j->path);
}

/* Close, after one last try to make pending lines durable. */
void
journal_close(struct journal *j)
{
	size_t	i;

	if (j == NULL)
		return;
	journal_flush(j);
	for (i = 0; i < j->npending; i++)
		free(j->pending[i].buf);
	free(j->pending);
	close(j->fd);
	free(j->last);
	free(j->path);
	free(j->dir);
	free(j);
}

/*
 * Copy the timeline to dest, with the events still only in memory
 * appended: what the operator can save elsewhere when the timeline's own
 * disk fails.  Returns 0, or -1 with *cause.
 */
int
journal_copy(const struct journal *j, const char *dest, char **cause)
{
	char	*buf = NULL;
	size_t	 len = 0, cap = 0, i;
	ssize_t	 n;
	int	 fd, rc;

	if ((fd = open(j->path, O_RDONLY | O_CLOEXEC)) == -1) {
		*cause = xprintf("%s: %s", j->path, strerror(errno));
		return (-1);
	}
	for (;;) {
		if (len + 65536 > cap) {
			cap = (len + 65536) * 2;
			buf = xrealloc(buf, cap);
		}
		n = read(fd, buf + len, cap - len);
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		len += (size_t)n;
	}
	close(fd);
	/* Only whole lines of the file, then what is pending. */
	while (len > 0 && buf[len - 1] != '\n')
		len--;
	for (i = 0; i < j->npending; i++) {
		if (j->pending[i].written)
			continue;	/* already in the file */
		if (len + j->pending[i].len > cap) {
			cap = (len + j->pending[i].len) * 2;
			buf = xrealloc(buf, cap);
		}
		memcpy(buf + len, j->pending[i].buf, j->pending[i].len);
		len += j->pending[i].len;
	}
	rc = fileio_write_buffer(dest, buf != NULL ? buf : "", len, cause);
	free(buf);
	return (rc);
}
