/*
 * The incident timeline (rbnav-timeline/v1): reading and checking.
 *
 * journal_read loads a whole file, splits it into lines, hashes each
 * line and parses it with jansson (or, when only the chain matters, just
 * finds seq and prev in the envelope that the writer always puts
 * first).  A last line cut off by a crash (no newline, half an object,
 * a cut UTF-8 character, a zero-filled tail) is left out and reported;
 * asked to repair, the reader copies it to <file>.torn, syncs that, and
 * only then cuts it off so that appends continue on a whole line.  A bad
 * line before the end is damage, not a crash: it is reported and the
 * file is never touched.  journal_verify recomputes the chain; nothing
 * here writes a line (that is journal.c) or draws anything.
 */

#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "fileio.h"
#include "journal-read.h"
#include "journal.h"
#include "xmalloc.h"

static const char journal_zero_hash[65] =
    "0000000000000000000000000000000000000000000000000000000000000000";

/* One digest context for a whole file: fetching per line is slow. */
struct journal_hasher {
	EVP_MD		*md;
	EVP_MD_CTX	*ctx;
};

/* Fetch SHA-256 and a context, once per read. */
static void
journal_hasher_init(struct journal_hasher *h)
{
	h->md = EVP_MD_fetch(NULL, "SHA256", NULL);
	h->ctx = EVP_MD_CTX_new();
	if (h->md == NULL || h->ctx == NULL)
		fatalx("libcrypto has no SHA-256");
}

/* Free what journal_hasher_init made. */
static void
journal_hasher_free(struct journal_hasher *h)
{
	EVP_MD_CTX_free(h->ctx);
	EVP_MD_free(h->md);
}

/* Lowercase hex SHA-256 of len bytes of buf into out. */
static void
journal_hash(struct journal_hasher *h, const char *buf, size_t len,
    char out[65])
{
	static const char	hex[] = "0123456789abcdef";
	unsigned char		md[EVP_MAX_MD_SIZE];
	unsigned int		mdlen = 0, i;

	if (!EVP_DigestInit_ex2(h->ctx, h->md, NULL) ||
	    !EVP_DigestUpdate(h->ctx, buf, len) ||
	    !EVP_DigestFinal_ex(h->ctx, md, &mdlen) || mdlen != 32)
		fatalx("SHA-256 failed");
	for (i = 0; i < 32; i++) {
		out[2 * i] = hex[md[i] >> 4];
		out[2 * i + 1] = hex[md[i] & 0xf];
	}
	out[64] = '\0';
}

/* 1 when s holds 64 lowercase hex digits. */
static int
journal_is_hash(const char *s, size_t len)
{
	size_t	i;

	if (len != 64)
		return (0);
	for (i = 0; i < 64; i++) {
		if (!((s[i] >= '0' && s[i] <= '9') ||
		    (s[i] >= 'a' && s[i] <= 'f')))
			return (0);
	}
	return (1);
}

/*
 * The fast path: the writer puts {"v":1,"seq":N first and "prev":"…"
 * before any key of the event's own, and a quote followed by a colon
 * and a quote cannot occur inside a JSON string.  0 when found.
 */
static int
journal_scan(struct journal_event *ev)
{
	static const char	 head[] = "{\"v\":1,\"seq\":";
	static const char	 key[] = "\"prev\":\"";
	const char		*p = ev->raw, *end = ev->raw + ev->len, *q;
	int64_t			 seq = 0;
	int			 digits = 0;

	if (ev->len < sizeof head || memcmp(p, head, sizeof head - 1) != 0 ||
	    end[-1] != '}')
		return (-1);
	p += sizeof head - 1;
	while (p < end && *p >= '0' && *p <= '9' && digits < 18) {
		seq = seq * 10 + (*p++ - '0');
		digits++;
	}
	if (digits == 0 || p >= end || *p != ',')
		return (-1);
	q = memmem(p, (size_t)(end - p), key, sizeof key - 1);
	if (q == NULL)
		return (-1);
	q += sizeof key - 1;
	if (end - q < 65 || q[64] != '"' || !journal_is_hash(q, 64))
		return (-1);
	ev->seq = seq;
	memcpy(ev->prev, q, 64);
	ev->prev[64] = '\0';
	return (0);
}

/*
 * Parse the line with jansson and take seq and prev from it.  Returns 0,
 * or -1 with *why (caller frees) saying what is wrong.
 */
static int
journal_parse(struct journal_event *ev, char **why)
{
	json_error_t	 err;
	json_t		*j, *v;
	const char	*prev;

	j = json_loadb(ev->raw, ev->len, 0, &err);
	if (j == NULL) {
		*why = xprintf("not JSON: %s (column %d)", err.text,
		    err.column);
		return (-1);
	}
	if (!json_is_object(j)) {
		json_decref(j);
		*why = xstrdup("not a JSON object");
		return (-1);
	}
	ev->json = j;
	v = json_object_get(j, "v");
	if (!json_is_integer(v) || json_integer_value(v) != 1) {
		*why = xstrdup("not an rbnav-timeline/v1 event (\"v\" is "
		    "not 1)");
		return (-1);
	}
	v = json_object_get(j, "seq");
	if (!json_is_integer(v)) {
		*why = xstrdup("no \"seq\" number");
		return (-1);
	}
	ev->seq = json_integer_value(v);
	prev = json_string_value(json_object_get(j, "prev"));
	if (prev == NULL || !journal_is_hash(prev, strlen(prev))) {
		*why = xstrdup("no \"prev\" hash");
		return (-1);
	}
	memcpy(ev->prev, prev, 65);
	return (0);
}

/* What a tail without its newline looks like, for the report. */
static char *
journal_torn_why(const char *p, size_t len)
{
	json_error_t	 err;
	json_t		*j;
	size_t		 i, zeros = 0, k, need;
	unsigned char	 c;

	for (i = 0; i < len; i++)
		zeros += p[i] == '\0';
	if (zeros == len)
		return (xprintf("zero-filled tail of %zu bytes", len));
	if (zeros > 0)
		return (xprintf("partial line followed by %zu zero bytes",
		    zeros));
	/* A multi-byte character cut at the very end. */
	for (k = len, i = 0; k > 0 && i < 4; i++) {
		c = (unsigned char)p[--k];
		if ((c & 0xc0) == 0x80)
			continue;
		need = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 1;
		if (need > len - k)
			return (xprintf("partial line (%zu bytes) cut inside "
			    "a UTF-8 character", len));
		break;
	}
	j = json_loadb(p, len, 0, &err);
	if (j != NULL) {
		json_decref(j);
		return (xprintf("a whole event without its newline (%zu "
		    "bytes)", len));
	}
	return (xprintf("partial JSON without a newline (%zu bytes)", len));
}

/* Read all of fd into a buffer; the file may grow while it is read. */
static int
journal_slurp(int fd, char **bufp, size_t *sizep)
{
	struct stat	 st;
	char		*buf;
	size_t		 size = 0, cap;
	ssize_t		 n;

	if (fstat(fd, &st) == -1)
		return (-1);
	if (!S_ISREG(st.st_mode)) {
		errno = EINVAL;
		return (-1);
	}
	cap = (size_t)st.st_size + 1;
	buf = xmalloc(cap);
	for (;;) {
		if (size == cap) {
			cap *= 2;
			buf = xrealloc(buf, cap);
		}
		n = read(fd, buf + size, cap - size);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1) {
			free(buf);
			return (-1);
		}
		if (n == 0)
			break;
		size += (size_t)n;
	}
	*bufp = buf;
	*sizep = size;
	return (0);
}

/* fsync the directory holding path (after creating a file). */
static int
journal_sync_dir_of(const char *path)
{
	char	*dir, *slash;
	int	 fd, rc;

	slash = strrchr(path, '/');
	dir = slash != NULL ? xstrndup(path, (size_t)(slash - path)) :
	    xstrdup(".");
	if (*dir == '\0') {
		free(dir);
		dir = xstrdup("/");
	}
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	free(dir);
	if (fd == -1)
		return (-1);
	rc = fsync(fd);
	close(fd);
	return (rc);
}

/*
 * Copy the torn tail to <path>.torn (appending: a second crash keeps the
 * first tail), sync it, then cut the tail off the timeline and sync
 * that.  The copy is durable before anything is cut.
 */
static int
journal_repair(struct journal_file *jf, int fd, char **cause)
{
	char	*aside = xprintf("%s.torn", jf->path);
	int	 afd, created;

	afd = open(aside, O_WRONLY | O_APPEND | O_CLOEXEC);
	created = afd == -1;
	if (afd == -1)
		afd = open(aside, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC,
		    0600);
	if (afd == -1)
		goto fail;
	if (fileio_write_all(afd, jf->buf + jf->torn_offset,
	    jf->torn_len) == -1) {
		close(afd);
		goto fail;
	}
	if (fsync(afd) == -1) {
		close(afd);
		goto fail;
	}
	close(afd);
	if (created && journal_sync_dir_of(aside) == -1)
		goto fail;
	if (ftruncate(fd, (off_t)jf->torn_offset) == -1 || fsync(fd) == -1) {
		*cause = xprintf("%s: cannot cut off the torn line: %s",
		    jf->path, strerror(errno));
		free(aside);
		return (-1);
	}
	jf->torn_path = aside;
	return (0);

fail:
	*cause = xprintf("%s: %s", aside, strerror(errno));
	free(aside);
	return (-1);
}

/*
 * Read the timeline at path (flags: JOURNAL_READ_*).  Returns NULL with
 * *cause set (caller frees) only when the file cannot be read or a
 * repair fails; damage is reported in the result.  Free the result with
 * journal_read_free; its events point into it.
 */
struct journal_file *
journal_read(const char *path, int flags, char **cause)
{
	struct journal_file	*jf;
	struct journal_event	*ev;
	struct journal_hasher	 h;
	const char		*p, *end, *nl;
	size_t			 cap, nlines = 0;
	char			*why = NULL, *lastwhy = NULL;
	int			 fd, last;

	fd = open(path, ((flags & JOURNAL_READ_REPAIR) ? O_RDWR : O_RDONLY) |
	    O_CLOEXEC);
	if (fd == -1) {
		*cause = xprintf("%s: %s", path, strerror(errno));
		return (NULL);
	}
	jf = xcalloc(1, sizeof *jf);
	jf->path = xstrdup(path);
	if (journal_slurp(fd, &jf->buf, &jf->size) == -1) {
		*cause = xprintf("%s: %s", path, errno == EINVAL ?
		    "not a regular file" : strerror(errno));
		close(fd);
		journal_read_free(jf);
		return (NULL);
	}

	/* Count the lines first: one allocation for all the events. */
	for (p = jf->buf, end = jf->buf + jf->size; p < end; p = nl + 1) {
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			break;
		nlines++;
	}
	cap = nlines > 0 ? nlines : 1;
	jf->events = xcalloc(cap, sizeof *jf->events);

	journal_hasher_init(&h);
	for (p = jf->buf; p < end; p = nl + 1) {
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			break;
		ev = &jf->events[jf->nevents++];
		ev->line = (int64_t)jf->nevents;
		ev->raw = p;
		ev->len = (size_t)(nl - p);
		ev->seq = -1;
		journal_hash(&h, ev->raw, ev->len, ev->sha256);
		last = nl + 1 == end;
		if (!last && (flags & JOURNAL_READ_LAZY) &&
		    journal_scan(ev) == 0)
			continue;
		if (journal_parse(ev, &why) == 0)
			continue;
		ev->bad = 1;
		if (last) {
			/* Judged below, with the bytes after it. */
			lastwhy = why;
			why = NULL;
			continue;
		}
		if (jf->bad_line == 0) {
			jf->bad_line = ev->line;
			jf->bad_why = why;
		} else
			free(why);
		why = NULL;
	}
	journal_hasher_free(&h);

	if (p < end) {
		/* No newline at the end: a write cut off. */
		jf->torn_line = (int64_t)jf->nevents + 1;
		jf->torn_offset = (size_t)(p - jf->buf);
		jf->torn_len = (size_t)(end - p);
		jf->torn_why = journal_torn_why(p, jf->torn_len);
	} else if (jf->nevents > 0 && jf->events[jf->nevents - 1].bad) {
		/* The last line is whole but not an event: set it aside. */
		ev = &jf->events[--jf->nevents];
		jf->torn_line = ev->line;
		jf->torn_offset = (size_t)(ev->raw - jf->buf);
		jf->torn_len = ev->len + 1;
		jf->torn_why = xprintf("the last line is not an event: %s",
		    lastwhy != NULL ? lastwhy : "?");
		json_decref(ev->json);
		memset(ev, 0, sizeof *ev);
	}
	free(lastwhy);

	if (jf->torn_line != 0 && jf->bad_line == 0 &&
	    (flags & JOURNAL_READ_REPAIR)) {
		if (journal_repair(jf, fd, cause) == -1) {
			close(fd);
			journal_read_free(jf);
			return (NULL);
		}
	}
	close(fd);
	return (jf);
}

/* Free a read timeline (NULL is fine). */
void
journal_read_free(struct journal_file *jf)
{
	size_t	i;

	if (jf == NULL)
		return;
	for (i = 0; i < jf->nevents; i++)
		json_decref(jf->events[i].json);
	free(jf->events);
	free(jf->buf);
	free(jf->path);
	free(jf->torn_why);
	free(jf->torn_path);
	free(jf->bad_why);
	free(jf);
}

/* Why line ev is bad, parsing it now if the lazy read did not. */
static char *
journal_bad_why(const struct journal_event *ev)
{
	struct journal_event	 copy = *ev;
	char			*why = NULL;

	copy.json = NULL;
	if (journal_parse(&copy, &why) == 0)
		why = NULL;
	json_decref(copy.json);
	return (why);
}

/*
 * Line i has the seq of line i - 1 and the same prev: two lines claim
 * one place.  When they differ and the chain goes on from line i, the
 * line before it was inserted (a repeated line is named itself).
 */
static int
journal_inserted(const struct journal_file *jf, size_t i)
{
	const struct journal_event	*ev = &jf->events[i], *before;

	if (i == 0 || i + 1 >= jf->nevents)
		return (0);
	before = &jf->events[i - 1];
	if (before->bad || before->seq != ev->seq ||
	    strcmp(before->prev, ev->prev) != 0 ||
	    strcmp(before->sha256, ev->sha256) == 0)
		return (0);
	return (strcmp(jf->events[i + 1].prev, ev->sha256) == 0);
}

/*
 * Recompute the chain: every line an event, seq 1, 2, 3 … with the line
 * numbers, and every prev the SHA-256 of the line before (64 zeros on
 * line 1).  Returns 0 when all is right, else the number of the first
 * bad line with *why set (caller frees).  When a line's prev is wrong but
 * the line after it still chains to it, the line before is the one that
 * changed, and that is the line named.
 */
int64_t
journal_verify(const struct journal_file *jf, char **why)
{
	const struct journal_event	*ev, *next;
	const char			*expect = journal_zero_hash;
	char				*bad;
	size_t				 i;

	for (i = 0; i < jf->nevents; i++) {
		ev = &jf->events[i];
		if (ev->bad || ev->seq < 0) {
			bad = journal_bad_why(ev);
			*why = bad != NULL ? bad : xstrdup("not an event");
			return (ev->line);
		}
		if (ev->seq != ev->line) {
			if (journal_inserted(jf, i)) {
				*why = xprintf("inserted: line %lld claims the "
				    "same place (seq %lld) and the chain goes "
				    "on from it", (long long)ev->line,
				    (long long)ev->seq);
				return (ev->line - 1);
			}
			*why = xprintf("seq %lld where %lld was expected (a "
			    "line is missing, repeated or out of order)",
			    (long long)ev->seq, (long long)ev->line);
			return (ev->line);
		}
		if (strcmp(ev->prev, expect) != 0) {
			next = i + 1 < jf->nevents ? &jf->events[i + 1] : NULL;
			if (i > 0 && next != NULL && !next->bad &&
			    strcmp(next->prev, ev->sha256) == 0) {
				bad = journal_bad_why(ev - 1);
				*why = bad != NULL ? bad : xprintf("changed "
				    "after it was written: its SHA-256 no "
				    "longer matches the prev of line %lld",
				    (long long)ev->line);
				return (ev->line - 1);
			}
			if (i == 0)
				*why = xstrdup("prev is not 64 zeros on the "
				    "first line");
			else
				*why = xprintf("prev does not match the "
				    "SHA-256 of line %lld",
				    (long long)(ev->line - 1));
			return (ev->line);
		}
		expect = ev->sha256;
	}
	return (0);
}

/* Parse a head anchor "SEQ:HASH".  0, or -1 when malformed. */
int
journal_parse_head(const char *s, int64_t *seq, char hash[65])
{
	const char	*colon = strchr(s, ':');
	char		*end;
	long long	 n;
	size_t		 i;

	if (colon == NULL || colon == s || *s == '-' || *s == '+')
		return (-1);
	errno = 0;
	n = strtoll(s, &end, 10);
	if (errno != 0 || end != colon || n < 0)
		return (-1);
	if (strlen(colon + 1) != 64)
		return (-1);
	for (i = 0; i < 64; i++) {
		hash[i] = colon[1 + i];
		if (hash[i] >= 'A' && hash[i] <= 'F')
			hash[i] = (char)(hash[i] - 'A' + 'a');
	}
	hash[64] = '\0';
	if (!journal_is_hash(hash, 64))
		return (-1);
	*seq = n;
	return (0);
}

/*
 * Check the file against an anchor taken earlier (an export's head):
 * line seq must be there with that SHA-256, or lines were cut off or
 * changed.  Returns 0, or the line number to name with *why set.
 */
int64_t
journal_verify_head(const struct journal_file *jf, int64_t seq,
    const char *hash, char **why)
{
	const struct journal_event	*ev;

	if (seq == 0) {
		if (strcmp(hash, journal_zero_hash) == 0)
			return (0);
		*why = xstrdup("head 0 must have 64 zeros as its hash");
		return (1);
	}
	if ((uint64_t)seq > jf->nevents) {
		*why = xprintf("the head anchor is line %lld but the file "
		    "ends at line %zu: lines were cut off", (long long)seq,
		    jf->nevents);
		return (seq);
	}
	ev = &jf->events[seq - 1];
	if (strcmp(ev->sha256, hash) != 0) {
		*why = xprintf("SHA-256 %s does not match the head anchor "
		    "%s", ev->sha256, hash);
		return (seq);
	}
	return (0);
}

/* The head: the last seq, its hash in hash (64 zeros when empty). */
int64_t
journal_last(const struct journal_file *jf, char hash[65])
{
	const struct journal_event	*ev;

	if (jf->nevents == 0) {
		memcpy(hash, journal_zero_hash, 65);
		return (0);
	}
	ev = &jf->events[jf->nevents - 1];
	memcpy(hash, ev->sha256, 65);
	return (ev->seq >= 0 ? ev->seq : ev->line);
}

/* The head as "SEQ:HASH", what verify --head takes; caller frees. */
char *
journal_anchor(const struct journal_file *jf)
{
	char	hash[65];
	int64_t	seq = journal_last(jf, hash);

	return (xprintf("%lld:%s", (long long)seq, hash));
}

/* 1 when path is a regular file. */
static int
journal_is_file(const char *path)
{
	struct stat	st;

	return (stat(path, &st) == 0 && S_ISREG(st.st_mode));
}

/* The one incident in dir whose id starts with prefix, or NULL. */
static char *
journal_find_prefix(const char *dir, const char *prefix, char **cause)
{
	DIR		*d;
	struct dirent	*de;
	char		*found = NULL, *also = NULL;
	size_t		 plen = strlen(prefix), nlen;

	if ((d = opendir(dir)) == NULL)
		return (NULL);
	while ((de = readdir(d)) != NULL) {
		nlen = strlen(de->d_name);
		if (nlen <= 6 || strcmp(de->d_name + nlen - 6, ".jsonl") != 0 ||
		    strncmp(de->d_name, prefix, plen) != 0)
			continue;
		if (found == NULL)
			found = xstrndup(de->d_name, nlen - 6);
		else if (also == NULL)
			also = xstrndup(de->d_name, nlen - 6);
	}
	closedir(d);
	if (also != NULL) {
		*cause = xprintf("'%s' matches several incidents (%s, %s…): "
		    "give more of the id", prefix, found, also);
		free(found);
		free(also);
		return (NULL);
	}
	return (found);
}

/*
 * An INCIDENT argument: a path to a .jsonl file, or an incident id
 * looked up as <dir>/<id>.jsonl (dir: state_dir, else the default), or
 * the one id that starts with it.  Returns the path (caller frees), or
 * NULL with *cause set.
 */
char *
journal_resolve(const char *arg, const char *state_dir, char **cause)
{
	char	*dir, *path, *id;
	size_t	 len = strlen(arg);

	*cause = NULL;
	if (*arg == '\0') {
		*cause = xstrdup("an empty incident name");
		return (NULL);
	}
	if (strchr(arg, '/') != NULL ||
	    (len > 6 && strcmp(arg + len - 6, ".jsonl") == 0)) {
		if (journal_is_file(arg))
			return (xstrdup(arg));
		*cause = xprintf("%s: %s", arg, access(arg, F_OK) == 0 ?
		    "not a regular file" : strerror(errno));
		return (NULL);
	}
	dir = state_dir != NULL ? xstrdup(state_dir) : journal_default_dir();
	path = xprintf("%s/%s.jsonl", dir, arg);
	if (journal_is_file(path)) {
		free(dir);
		return (path);
	}
	free(path);
	if (journal_is_file(arg)) {
		free(dir);
		return (xstrdup(arg));
	}
	if ((id = journal_find_prefix(dir, arg, cause)) != NULL) {
		path = xprintf("%s/%s.jsonl", dir, id);
		free(id);
		free(dir);
		return (path);
	}
	if (*cause == NULL)
		*cause = xprintf("no incident '%s' in %s (see rbnav "
		    "incidents)", arg, dir);
	free(dir);
	return (NULL);
}
