/*
 * The YAML tree cache.
 *
 * Parsing YAML is most of the work before the picker's first frame, and
 * the runbooks seldom change between two starts.  So the tree of every
 * file loaded is kept in one cache file, $XDG_CACHE_HOME/rbnav/ytree.cache
 * (~/.cache/rbnav when XDG_CACHE_HOME is not set), together with the
 * file's bytes.  A file whose bytes are the same as those cached gets the
 * cached tree, which is what libyaml gave for those bytes; any other file
 * is parsed, and its tree replaces the old one.  Nothing depends on
 * timestamps, so the cache cannot be stale.
 *
 * Only trees that loaded without a problem, with the default limits, are
 * kept.  A cache file written by another version of rbnav or of libyaml,
 * cut short or malformed, is ignored and written again (every length,
 * count and reference in it is checked, and a tree read back keeps every
 * promise of a loaded one); one that cannot be written is simply not there
 * next time.  One that is not a regular file, or that another user owns
 * or may write, is ignored too: its trees would be what the operator is
 * shown and runs.  RBNAV_NO_CACHE turns it off.
 *
 * The file: a header line, a version line, then for each entry
 *
 *	u32 name length, the name, u64 source length, the source,
 *	u64 tree length, the tree (ytree_save's bytes)
 *
 * then a u32 0 and an end line.  A file without that end is a torn
 * write; the file is synced before it replaces the old one, so that a
 * crash cannot leave a whole-looking file with blocks of zeros inside.
 */

#include <sys/mman.h>
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <yaml.h>

#include "fileio.h"
#include "xmalloc.h"
#include "ycache.h"

#define YCACHE_FORMAT		1
#define YCACHE_MAX_ENTRIES	512
#define YCACHE_MAX_BYTES	(16 * 1024 * 1024)
#define YCACHE_MAGIC		"rbnav ytree cache\n"
#define YCACHE_END		"end of rbnav ytree cache\n"

struct ycentry {
	char			*name;
	const unsigned char	*src;
	size_t			 srclen;
	const unsigned char	*tree;
	size_t			 treelen;
	unsigned char		*own;	/* src and tree, when not in image */
	int			 used;	/* looked up or stored this run */
	int			 bad;	/* not to be written again */
	size_t			 size;	/* counted in yc.bytes */
};

static struct {
	int		 on;
	int		 loaded;
	char		*path;		/* NULL: in memory only */
	unsigned char	*image;		/* the cache file as read */
	size_t		 imagelen;
	int		 mapped;	/* image is from mmap, not malloc */
	struct ycentry	*e;
	size_t		 n;
	size_t		 bytes;		/* of the entries kept */
	size_t		 live;		/* entries kept (not bad) */
	int		 dirty;
} yc;

/* What an entry takes in the cache file. */
#define YCENTRY_SIZE(namelen, srclen, treelen) \
	(sizeof (uint32_t) + (namelen) + 2 * sizeof (uint64_t) + (srclen) + \
	    (treelen))

static void
ycache_clear(void)
{
	size_t	i;

	for (i = 0; i < yc.n; i++) {
		free(yc.e[i].name);
		free(yc.e[i].own);
	}
	free(yc.e);
	yc.e = NULL;
	yc.n = 0;
	yc.bytes = 0;
	yc.live = 0;
	if (yc.mapped)
		munmap(yc.image, yc.imagelen);
	else
		free(yc.image);
	yc.image = NULL;
	yc.imagelen = 0;
	yc.mapped = 0;
}

/* The cache where the environment says, or none. */
void
ycache_enable(void)
{
	const char	*env, *home;

	ycache_close();
	if ((env = getenv("RBNAV_NO_CACHE")) != NULL && *env != '\0')
		return;
	if ((env = getenv("XDG_CACHE_HOME")) != NULL && env[0] == '/')
		yc.path = xprintf("%s/rbnav/ytree.cache", env);
	else if ((home = getenv("HOME")) != NULL && home[0] == '/')
		yc.path = xprintf("%s/.cache/rbnav/ytree.cache", home);
	else
		return;
	yc.on = 1;
}

/* The cache in file path, or in memory only when path is NULL. */
void
ycache_use(const char *path)
{
	ycache_close();
	yc.on = 1;
	yc.loaded = path == NULL;
	yc.path = path != NULL ? xstrdup(path) : NULL;
}

void
ycache_close(void)
{
	ycache_clear();
	free(yc.path);
	memset(&yc, 0, sizeof yc);
}

static const char *
ycache_version(void)
{
	static char	v[128];

	if (v[0] == '\0')
		snprintf(v, sizeof v, "%d %s %s %zu %zu\n", YCACHE_FORMAT,
		    PACKAGE_VERSION, yaml_get_version_string(),
		    sizeof (void *), sizeof (struct ynode));
	return (v);
}

static int
ycache_take(const unsigned char **p, size_t *left, void *out, size_t len)
{
	if (*left < len)
		return (-1);
	memcpy(out, *p, len);
	*p += len;
	*left -= len;
	return (0);
}

/*
 * Take the entries of a cache image; the image must stay until
 * ycache_clear.  Returns -1, with no entries, for anything but a whole
 * image of this version.
 */
static int
ycache_parse(const unsigned char *p, size_t left)
{
	const char	*v = ycache_version();
	struct ycentry	*e;
	uint32_t	 namelen;
	uint64_t	 len;
	size_t		 i;

	if (left < strlen(YCACHE_MAGIC) + strlen(v) ||
	    memcmp(p, YCACHE_MAGIC, strlen(YCACHE_MAGIC)) != 0 ||
	    memcmp(p + strlen(YCACHE_MAGIC), v, strlen(v)) != 0)
		return (-1);
	p += strlen(YCACHE_MAGIC) + strlen(v);
	left -= strlen(YCACHE_MAGIC) + strlen(v);
	for (;;) {
		if (ycache_take(&p, &left, &namelen, sizeof namelen) != 0)
			goto bad;
		if (namelen == 0) {
			if (left != strlen(YCACHE_END) ||
			    memcmp(p, YCACHE_END, left) != 0)
				goto bad;
			left = 0;
			break;
		}
		if (namelen > PATH_MAX || namelen > left ||
		    memchr(p, '\0', namelen) != NULL ||
		    yc.n == YCACHE_MAX_ENTRIES)
			goto bad;
		yc.e = xreallocarray(yc.e, yc.n + 1, sizeof *yc.e);
		e = &yc.e[yc.n++];
		memset(e, 0, sizeof *e);
		e->name = xstrndup((const char *)p, namelen);
		p += namelen;
		left -= namelen;
		if (ycache_take(&p, &left, &len, sizeof len) != 0 ||
		    len > left)
			goto bad;
		e->src = p;
		e->srclen = len;
		p += len;
		left -= len;
		if (ycache_take(&p, &left, &len, sizeof len) != 0 ||
		    len > left)
			goto bad;
		e->tree = p;
		e->treelen = len;
		p += len;
		left -= len;
		e->size = YCENTRY_SIZE(namelen, e->srclen, e->treelen);
		yc.bytes += e->size;
		yc.live++;
		for (i = 0; i + 1 < yc.n; i++) {
			if (strcmp(yc.e[i].name, e->name) == 0)
				goto bad;
		}
	}
	if (left != 0)
		goto bad;
	return (0);
bad:
	for (i = 0; i < yc.n; i++)
		free(yc.e[i].name);
	free(yc.e);
	yc.e = NULL;
	yc.n = 0;
	yc.bytes = 0;
	yc.live = 0;
	return (-1);
}

/* Replace the entries with those of an image; -1 if it is not one. */
int
ycache_load_image(const void *buf, size_t len)
{
	ycache_clear();
	yc.loaded = 1;
	yc.image = xmalloc(len > 0 ? len : 1);
	memcpy(yc.image, buf, len);
	yc.imagelen = len;
	yc.dirty = 0;
	if (ycache_parse(yc.image, len) != 0) {
		yc.dirty = 1;
		return (-1);
	}
	return (0);
}

/*
 * Read the cache file once, when first needed, into memory of its own
 * (a file mapped could be cut short under us by another program), with
 * all its pages made at once: cheaper than faulting them in one by one.
 */
static void
ycache_read(void)
{
	struct stat	 st;
	void		*p;
	ssize_t		 n;
	size_t		 size;
	int		 fd;

	yc.loaded = 1;
	yc.dirty = 1;
	/* Not a FIFO to hang on, nor a link to somewhere else. */
	if ((fd = open(yc.path, O_RDONLY | O_CLOEXEC | O_NONBLOCK |
	    O_NOFOLLOW)) == -1)
		return;
	/*
	 * The trees here are what the operator is shown and runs: a cache
	 * that someone else owns or may write is not trusted.
	 */
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size == 0 ||
	    st.st_size > YCACHE_MAX_BYTES || st.st_uid != geteuid() ||
	    (st.st_mode & (S_IWGRP | S_IWOTH)) != 0) {
		close(fd);
		return;
	}
	size = (size_t)st.st_size;
	p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE |
	    MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
	if (p == MAP_FAILED) {
		close(fd);
		return;
	}
	n = fileio_read_all(fd, p, size);
	close(fd);
	yc.image = p;
	yc.imagelen = size;
	yc.mapped = 1;
	if (n == (ssize_t)size && ycache_parse(yc.image, size) == 0)
		yc.dirty = 0;
}

/* The bytes of the file besides its entries. */
static size_t
ycache_overhead(void)
{
	return (strlen(YCACHE_MAGIC) + strlen(ycache_version()) +
	    sizeof (uint32_t) + strlen(YCACHE_END));
}

/* Whether one more entry of size bytes fits in the cache file. */
static int
ycache_fits(size_t size)
{
	return (yc.live < YCACHE_MAX_ENTRIES &&
	    ycache_overhead() + yc.bytes + size <= YCACHE_MAX_BYTES);
}

/* Drop entry e from what is kept; its name stays, for a new tree. */
static void
ycache_drop(struct ycentry *e)
{
	if (e->bad)
		return;
	yc.bytes -= e->size;
	yc.live--;
	e->size = 0;
	free(e->own);
	e->own = NULL;
	e->src = e->tree = NULL;
	e->srclen = e->treelen = 0;
	e->bad = 1;
	yc.dirty = 1;
}

static struct ycentry *
ycache_find(const char *name)
{
	size_t	i;

	for (i = 0; i < yc.n; i++) {
		if (strcmp(yc.e[i].name, name) == 0)
			return (&yc.e[i]);
	}
	return (NULL);
}

/*
 * The cached tree of file name when its bytes are buf: 0 with tree
 * loaded, or -1 with tree untouched.
 */
int
ycache_lookup(struct ytree *tree, const char *name, const void *buf,
    size_t len)
{
	struct ycentry	*e;

	if (!yc.on)
		return (-1);
	if (!yc.loaded)
		ycache_read();
	if ((e = ycache_find(name)) == NULL || e->bad || e->srclen != len ||
	    memcmp(e->src, buf, len) != 0)
		return (-1);
	if (ytree_restore(tree, name, e->tree, e->treelen, len) != 0) {
		ytree_free(tree);
		ycache_drop(e);
		return (-1);
	}
	e->used = 1;
	return (0);
}

/*
 * Keep the tree just loaded from file name's bytes buf.  When the cache
 * is full, entries not used this run make way; when every entry is in
 * use, the new one is not kept and the cache is not written for it: a
 * catalog larger than the cache has its first files cached and the others
 * parsed, with no rewrite at every start.
 */
void
ycache_store(const char *name, const void *buf, size_t len,
    struct ytree *tree)
{
	struct ycentry	*e;
	struct ybuf	 b = { NULL, 0, 0 };
	size_t		 size, namelen = strlen(name), i;

	if (!yc.on || namelen > PATH_MAX || len > YCACHE_MAX_BYTES)
		return;
	if (!yc.loaded)
		ycache_read();
	if ((e = ycache_find(name)) != NULL) {
		e->used = 1;
		ycache_drop(e);		/* its bytes changed */
	}
	ybuf_add(&b, buf, len);
	if (ytree_save(tree, &b) != 0 || b.len == len) {
		free(b.p);
		return;
	}
	size = YCENTRY_SIZE(namelen, len, b.len - len);
	for (i = 0; i < yc.n && !ycache_fits(size); i++) {
		if (!yc.e[i].used)
			ycache_drop(&yc.e[i]);
	}
	if (!ycache_fits(size)) {
		free(b.p);
		return;
	}
	if (e == NULL) {
		for (i = 0; i < yc.n && !(yc.e[i].bad && !yc.e[i].used); i++)
			continue;
		if (i == yc.n) {
			yc.e = xreallocarray(yc.e, yc.n + 1, sizeof *yc.e);
			yc.n++;
		} else
			free(yc.e[i].name);
		e = &yc.e[i];
		memset(e, 0, sizeof *e);
		e->name = xstrdup(name);
		e->used = 1;
	}
	e->own = b.p;
	e->src = b.p;
	e->srclen = len;
	e->tree = b.p + len;
	e->treelen = b.len - len;
	e->size = size;
	e->bad = 0;
	yc.bytes += size;
	yc.live++;
	yc.dirty = 1;
}

static void
ycache_put_entry(struct ybuf *b, const struct ycentry *e)
{
	uint32_t	namelen = (uint32_t)strlen(e->name);
	uint64_t	len;

	ybuf_add(b, &namelen, sizeof namelen);
	ybuf_add(b, e->name, namelen);
	len = e->srclen;
	ybuf_add(b, &len, sizeof len);
	ybuf_add(b, e->src, e->srclen);
	len = e->treelen;
	ybuf_add(b, &len, sizeof len);
	ybuf_add(b, e->tree, e->treelen);
}

/*
 * The cache as it is to be written: the entries used this run first,
 * then the others whose file is still there, within the limits.
 */
void
ycache_image(struct ybuf *b)
{
	const char	*v = ycache_version();
	struct stat	 st;
	uint32_t	 end = 0;
	size_t		 i;
	int		 pass;

	ybuf_add(b, YCACHE_MAGIC, strlen(YCACHE_MAGIC));
	ybuf_add(b, v, strlen(v));
	for (pass = 0; pass < 2; pass++) {
		for (i = 0; i < yc.n; i++) {
			const struct ycentry	*e = &yc.e[i];

			if (e->bad || e->used != (pass == 0))
				continue;
			if (pass == 1 && (stat(e->name, &st) != 0 ||
			    !S_ISREG(st.st_mode)))
				continue;
			ycache_put_entry(b, e);
		}
	}
	ybuf_add(b, &end, sizeof end);
	ybuf_add(b, YCACHE_END, strlen(YCACHE_END));
}

/* mkdir -p for the cache's own directories, private to the user. */
static void
ycache_mkdirs(const char *path)
{
	char	*dir, *p;

	dir = xstrdup(path);
	if ((p = strrchr(dir, '/')) != NULL)
		*p = '\0';
	for (p = dir + 1; (p = strchr(p, '/')) != NULL; p++) {
		*p = '\0';
		mkdir(dir, 0700);
		*p = '/';
	}
	mkdir(dir, 0700);
	free(dir);
}

/*
 * Write the cache when it changed: a temporary file, synced, renamed over
 * the old one, so that another rbnav reads either cache whole, and a crash
 * leaves the old cache or the new one.  Only a start that parsed a file
 * writes the cache.
 */
void
ycache_save(void)
{
	struct ybuf	 b = { NULL, 0, 0 };
	char		*tmp;
	int		 fd;

	if (!yc.on || !yc.dirty || yc.path == NULL)
		return;
	yc.dirty = 0;
	ycache_image(&b);
	ycache_mkdirs(yc.path);
	tmp = xprintf("%s.XXXXXX", yc.path);
	if ((fd = mkstemp(tmp)) == -1)
		goto out;
	if (fileio_write_all(fd, b.p, b.len) != 0 || fdatasync(fd) != 0) {
		close(fd);
		unlink(tmp);
	} else if (close(fd) != 0 || rename(tmp, yc.path) != 0)
		unlink(tmp);
out:
	free(tmp);
	free(b.p);
}

size_t
ycache_count(void)
{
	return (yc.n);
}

/* Entry i's name and source. */
const char *
ycache_entry(size_t i, const void **src, size_t *len)
{
	/* A dropped entry has no bytes: NULL and 0. */
	*src = yc.e[i].src;
	*len = yc.e[i].srclen;
	return (yc.e[i].name);
}
