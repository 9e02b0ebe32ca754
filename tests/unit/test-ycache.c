/*
 * Unit tests of the YAML tree cache (ycache.c, ytree_save/ytree_restore).
 *
 * A cached tree must be the tree libyaml gives, for every file rbnav
 * ships; it must be used only for the very bytes it was made from; and a
 * cache file damaged in any way (cut short, bytes changed, another
 * version) must be refused or give a well-formed tree, never a crash.
 */

#include <sys/stat.h>

#include <check.h>
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "diag.h"
#include "runbook.h"
#include "ycache.h"
#include "ytree.h"

static char	*tmpdir;

static void
setup(void)
{
	char	tmpl[] = "/tmp/rbnav-ycache.XXXXXX";

	ck_assert_ptr_nonnull(mkdtemp(tmpl));
	tmpdir = strdup(tmpl);
}

static void
teardown(void)
{
	char	*cmd;

	ycache_close();
	ck_assert_int_ne(asprintf(&cmd, "rm -rf '%s'", tmpdir), -1);
	ck_assert_int_eq(system(cmd), 0);
	free(cmd);
	free(tmpdir);
}

static char *
slurp(const char *path, size_t *len)
{
	FILE	*f;
	char	*buf;
	long	 n;

	f = fopen(path, "rb");
	ck_assert_msg(f != NULL, "%s", path);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	buf = malloc((size_t)n + 1);
	ck_assert_uint_eq(fread(buf, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	buf[n] = '\0';
	*len = (size_t)n;
	return (buf);
}

static void
spit(const char *path, const void *buf, size_t len)
{
	FILE	*f = fopen(path, "wb");

	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(fwrite(buf, 1, len, f), len);
	ck_assert_int_eq(fclose(f), 0);
}

/* Parse s with no cache at all. */
static int
parse(struct ytree *t, const char *name, const char *s, size_t len)
{
	struct ytree_limits	lim;
	struct diag		diag;
	int			rc;

	/* Explicit limits: ytree_load asks the cache only without them. */
	ytree_limits_default(&lim);
	diag_init(&diag);
	rc = ytree_load(t, name, s, len, &lim, &diag);
	if (rc == 0 && diag.n != 0)
		rc = 1;
	diag_free(&diag);
	return (rc);
}

/* Save a file's tree and read it back: the same.  0 if it did not load. */
static int
round_trip(const char *name, const char *src, size_t len)
{
	struct ytree	t, back;
	struct ybuf	b = { NULL, 0, 0 };

	if (parse(&t, name, src, len) != 0) {
		ytree_free(&t);
		return (0);
	}
	ck_assert_msg(ytree_save(&t, &b) == 0, "%s: not saved", name);
	ck_assert_msg(ytree_restore(&back, name, b.p, b.len, len) == 0,
	    "%s: not restored", name);
	ck_assert_msg(ynode_same(t.root, back.root), "%s: differs", name);
	ck_assert(ynode_check(back.root, len, YTREE_SAVE_HEIGHT));
	/* Saving leaves no numbers behind: the same tree saves again. */
	b.len = 0;
	ck_assert_int_eq(ytree_save(&t, &b), 0);
	ytree_free(&t);
	ck_assert_int_eq(ytree_restore(&t, name, b.p, b.len, len), 0);
	ck_assert(ynode_same(t.root, back.root));
	ytree_free(&t);
	ytree_free(&back);
	free(b.p);
	return (1);
}

static int
round_trip_dir(const char *dir)
{
	DIR		*d;
	struct dirent	*de;
	char		*path, *src;
	size_t		 len, n = 0, l;

	d = opendir(dir);
	ck_assert_msg(d != NULL, "%s", dir);
	while ((de = readdir(d)) != NULL) {
		l = strlen(de->d_name);
		if (l < 6 || strcmp(de->d_name + l - 5, ".yaml") != 0)
			continue;
		ck_assert_int_ne(asprintf(&path, "%s/%s", dir, de->d_name),
		    -1);
		src = slurp(path, &len);
		n += round_trip(path, src, len);
		free(src);
		free(path);
	}
	closedir(d);
	return ((int)n);
}

/* Every YAML file rbnav ships or tests with comes back as it was. */
START_TEST(test_round_trip_files)
{
	int	n = 0;

	n += round_trip_dir(TOP_SRCDIR "/runbooks");
	n += round_trip_dir(TOP_SRCDIR "/runbooks/drills");
	n += round_trip_dir(TOP_SRCDIR "/themes");
	n += round_trip_dir(TOP_SRCDIR "/tests/data/good");
	n += round_trip_dir(TOP_SRCDIR "/tests/data/bad");
	ck_assert_int_gt(n, 20);
}
END_TEST

/* Styles, tags, anchors and aliases, flow, empty collections, UTF-8. */
START_TEST(test_round_trip_shapes)
{
	static const char *docs[] = {
		"a: 1\nb: 'two'\nc: \"three\\n\"\nd: |\n  lit\n  eral\n"
		"e: >\n  fol\n  ded\n",
		"x: !!str 5\ny: !custom [1, 2]\n",
		"base: &b {k: v, l: [1, 2, 3]}\nu: *b\nv: *b\nw: [*b, *b]\n",
		"s: []\nm: {}\nn: ~\ne: ''\n",
		"t: \"d\\u00e9j\\u00e0 vu — 日本語 🚀\"\n",
		"- a\n- - b\n  - c\n- {d: e}\n",
		"plain scalar at the root\n",
	};
	size_t	i;

	for (i = 0; i < sizeof docs / sizeof docs[0]; i++)
		ck_assert(round_trip("shape.yaml", docs[i], strlen(docs[i])));
}
END_TEST

/* A tree whose load had a problem is not saved in the cache. */
START_TEST(test_problems_not_cached)
{
	static const char	 dup[] = "a: 1\na: 2\n";
	static const char	 good[] = "a: 1\n";
	struct ytree		 t;
	struct diag		 diag;
	const void		*src;
	size_t			 len;

	ycache_use(NULL);
	diag_init(&diag);
	ck_assert_int_eq(ytree_load(&t, "dup.yaml", dup, strlen(dup), NULL,
	    &diag), 0);
	ck_assert_uint_eq(diag.nerrors, 1);
	ytree_free(&t);
	ck_assert_int_ne(ytree_load(&t, "bad.yaml", "a: [", 4, NULL, &diag),
	    0);
	ytree_free(&t);
	ck_assert_int_eq(ytree_load(&t, "good.yaml", good, strlen(good),
	    NULL, &diag), 0);
	ytree_free(&t);
	ck_assert_uint_eq(ycache_count(), 1);
	ck_assert_str_eq(ycache_entry(0, &src, &len), "good.yaml");
	ck_assert_uint_eq(len, strlen(good));
	diag_free(&diag);
}
END_TEST

/*
 * Through the cache file: the tree is kept, used for the same bytes only,
 * and replaced when the file changes.
 */
START_TEST(test_cache_file)
{
	static const char	 v1[] = "title: one\nlist: [a, b]\n";
	static const char	 v2[] = "title: two\nlist: [a, b]\n";
	struct ytree		 t, fresh;
	struct diag		 diag;
	struct stat		 st;
	char			*path, *img;
	size_t			 len;

	ck_assert_int_ne(asprintf(&path, "%s/sub/dir/ytree.cache", tmpdir),
	    -1);
	diag_init(&diag);

	ycache_use(path);
	ck_assert_int_ne(ycache_lookup(&t, "a.yaml", v1, strlen(v1)), 0);
	ck_assert_int_eq(ytree_load(&t, "a.yaml", v1, strlen(v1), NULL,
	    &diag), 0);
	ytree_free(&t);
	ycache_save();
	ck_assert_int_eq(stat(path, &st), 0);
	ck_assert_int_eq(st.st_mode & 0777, 0600);

	/* A new process: the same bytes are found, other bytes are not. */
	ycache_use(path);
	ck_assert_int_eq(ycache_lookup(&t, "a.yaml", v1, strlen(v1)), 0);
	ck_assert_int_eq(parse(&fresh, "a.yaml", v1, strlen(v1)), 0);
	ck_assert(ynode_same(t.root, fresh.root));
	ytree_free(&t);
	ytree_free(&fresh);
	ck_assert_int_ne(ycache_lookup(&t, "a.yaml", v2, strlen(v2)), 0);
	ck_assert_int_ne(ycache_lookup(&t, "b.yaml", v1, strlen(v1)), 0);

	/* The file changes: its new tree replaces the old one. */
	ck_assert_int_eq(ytree_load(&t, "a.yaml", v2, strlen(v2), NULL,
	    &diag), 0);
	ck_assert_str_eq(YNODE_VAL(t.root, 0)->value, "two");
	ytree_free(&t);
	ycache_save();
	ycache_use(path);
	ck_assert_int_ne(ycache_lookup(&t, "a.yaml", v1, strlen(v1)), 0);
	ck_assert_int_eq(ycache_lookup(&t, "a.yaml", v2, strlen(v2)), 0);
	ck_assert_str_eq(YNODE_VAL(t.root, 0)->value, "two");
	ytree_free(&t);
	ck_assert_uint_eq(ycache_count(), 1);

	/* Garbage in the cache file: ignored, and written anew. */
	spit(path, "not a cache", 11);
	ycache_use(path);
	ck_assert_int_ne(ycache_lookup(&t, "a.yaml", v2, strlen(v2)), 0);
	ck_assert_int_eq(ytree_load(&t, "a.yaml", v2, strlen(v2), NULL,
	    &diag), 0);
	ytree_free(&t);
	ycache_save();
	img = slurp(path, &len);
	ck_assert_int_eq(strncmp(img, "rbnav ytree cache\n", 18), 0);
	free(img);

	diag_free(&diag);
	free(path);
}
END_TEST

/*
 * Entries not used this run are kept while their file exists, and
 * dropped once it is gone.
 */
START_TEST(test_cache_keeps_existing)
{
	static const char	 doc[] = "k: v\n";
	struct ytree		 t;
	struct diag		 diag;
	char			*cache, *a, *b;
	const void		*src;
	size_t			 len;

	ck_assert_int_ne(asprintf(&cache, "%s/c", tmpdir), -1);
	ck_assert_int_ne(asprintf(&a, "%s/a.yaml", tmpdir), -1);
	ck_assert_int_ne(asprintf(&b, "%s/b.yaml", tmpdir), -1);
	spit(a, doc, strlen(doc));
	spit(b, doc, strlen(doc));
	diag_init(&diag);
	ycache_use(cache);
	ck_assert_int_eq(ytree_load(&t, a, doc, strlen(doc), NULL, &diag), 0);
	ytree_free(&t);
	ck_assert_int_eq(ytree_load(&t, b, doc, strlen(doc), NULL, &diag), 0);
	ytree_free(&t);
	ycache_save();

	/* A run that uses only a, after b was removed. */
	unlink(b);
	ycache_use(cache);
	ck_assert_int_eq(ycache_lookup(&t, a, doc, strlen(doc)), 0);
	ytree_free(&t);
	ck_assert_uint_eq(ycache_count(), 2);
	ck_assert_int_eq(ytree_load(&t, "new.yaml", doc, strlen(doc), NULL,
	    &diag), 0);
	ytree_free(&t);
	ycache_save();
	ycache_use(cache);
	ck_assert_int_eq(ycache_lookup(&t, a, doc, strlen(doc)), 0);
	ytree_free(&t);
	ck_assert_uint_eq(ycache_count(), 2);
	ck_assert_str_eq(ycache_entry(0, &src, &len), a);
	ck_assert_str_eq(ycache_entry(1, &src, &len), "new.yaml");
	diag_free(&diag);
	free(cache);
	free(a);
	free(b);
}
END_TEST

/*
 * Files PREFIXnnn.yaml for nnn in [0, n), holding "k: nnn": each is looked
 * up, and loaded (so kept, if there is room) when not found.  Returns how
 * many were found, each with its own value.
 */
static int
load_files(const char *prefix, int n)
{
	struct ytree	t;
	struct diag	diag;
	char		name[32], doc[32];
	int		i, hits = 0;

	diag_init(&diag);
	for (i = 0; i < n; i++) {
		snprintf(name, sizeof name, "%s%03d.yaml", prefix, i);
		snprintf(doc, sizeof doc, "k: %d\n", i);
		if (ycache_lookup(&t, name, doc, strlen(doc)) == 0) {
			hits++;
			doc[strlen(doc) - 1] = '\0';
			ck_assert_str_eq(YNODE_VAL(t.root, 0)->value, doc + 3);
		} else
			ck_assert_int_eq(ytree_load(&t, name, doc,
			    strlen(doc), NULL, &diag), 0);
		ytree_free(&t);
	}
	diag_free(&diag);
	return (hits);
}

/*
 * A full cache takes no new file and is not written again for one: more
 * files than it holds are parsed, without a rewrite at every start.
 */
START_TEST(test_cache_full)
{
	struct stat	 before, after;
	char		*cache;

	ck_assert_int_ne(asprintf(&cache, "%s/full", tmpdir), -1);
	ycache_use(cache);
	ck_assert_int_eq(load_files("f", 600), 0);
	ck_assert_uint_eq(ycache_count(), 512);
	ycache_save();
	ck_assert_int_eq(stat(cache, &before), 0);

	ycache_use(cache);
	ck_assert_int_eq(load_files("f", 600), 512);
	ycache_save();
	ck_assert_int_eq(stat(cache, &after), 0);
	ck_assert_msg(before.st_ino == after.st_ino &&
	    before.st_mtim.tv_nsec == after.st_mtim.tv_nsec &&
	    before.st_mtim.tv_sec == after.st_mtim.tv_sec,
	    "a full cache was written again");
	free(cache);
}
END_TEST

/*
 * Near the size limit: what is kept fits in the file that is read back,
 * and a start that finds no room writes nothing.
 */
START_TEST(test_cache_size_limit)
{
	struct ytree	 t;
	struct diag	 diag;
	struct stat	 before, after;
	char		*cache, *doc, name[16];
	size_t		 big = 950 * 1024, len;
	int		 i, hits = 0, pass;

	ck_assert_int_ne(asprintf(&cache, "%s/big", tmpdir), -1);
	doc = malloc(big + 8);
	memcpy(doc, "k: ", 3);
	memset(doc + 3, 'x', big);
	memcpy(doc + 3 + big, "\n", 2);
	len = strlen(doc);
	diag_init(&diag);
	for (pass = 0; pass < 2; pass++) {
		ycache_use(cache);
		for (i = 0; i < 9; i++) {
			snprintf(name, sizeof name, "b%d.yaml", i);
			doc[3] = (char)('a' + i);
			if (ycache_lookup(&t, name, doc, len) == 0)
				hits++;
			else
				ck_assert_int_eq(ytree_load(&t, name, doc, len,
				    NULL, &diag), 0);
			ytree_free(&t);
		}
		ycache_save();
		ck_assert_int_eq(stat(cache, pass == 0 ? &before : &after), 0);
	}
	ck_assert_int_le(before.st_size, 16 * 1024 * 1024);
	ck_assert_int_eq(hits, 8);	/* eight of 1.9 MB fit in 16 MiB */
	ck_assert_msg(before.st_ino == after.st_ino &&
	    before.st_mtim.tv_nsec == after.st_mtim.tv_nsec,
	    "the cache was written again for a file it had no room for");
	diag_free(&diag);
	free(doc);
	free(cache);
}
END_TEST

/* Entries not used this run make way for new ones in a full cache. */
START_TEST(test_cache_evicts_unused)
{
	char	*cache;

	ck_assert_int_ne(asprintf(&cache, "%s/evict", tmpdir), -1);
	ycache_use(cache);
	ck_assert_int_eq(load_files("old", 512), 0);
	ycache_save();
	/* A run of 20 new files: they take the room of old ones. */
	ycache_use(cache);
	ck_assert_int_eq(load_files("new", 20), 0);
	ycache_save();
	ycache_use(cache);
	ck_assert_int_eq(load_files("new", 20), 20);
	free(cache);
}
END_TEST

/* An image of the runbook eriop-dr, for the damage tests. */
static struct ybuf
image_of_runbook(char **src, size_t *len)
{
	struct ytree	t;
	struct diag	diag;
	struct ybuf	img = { NULL, 0, 0 };

	*src = slurp(TOP_SRCDIR "/runbooks/eriop-dr.yaml", len);
	ycache_use(NULL);
	diag_init(&diag);
	ck_assert_int_eq(ytree_load(&t, "r.yaml", *src, *len, NULL, &diag),
	    0);
	ytree_free(&t);
	diag_free(&diag);
	ycache_image(&img);
	return (img);
}

/* Cut short anywhere, a cache is refused whole. */
START_TEST(test_cache_truncated)
{
	struct ybuf	 img;
	struct ytree	 t;
	char		*src;
	size_t		 len, cut;

	img = image_of_runbook(&src, &len);
	ck_assert_int_eq(ycache_load_image(img.p, img.len), 0);
	ck_assert_int_eq(ycache_lookup(&t, "r.yaml", src, len), 0);
	ytree_free(&t);
	for (cut = 0; cut < img.len; cut += (cut < 4096 ? 1 : 97)) {
		ck_assert_msg(ycache_load_image(img.p, cut) != 0,
		    "cut at %zu of %zu accepted", cut, img.len);
		ck_assert_uint_eq(ycache_count(), 0);
	}
	/* Trailing bytes are refused as well. */
	img.p = realloc(img.p, img.len + 1);
	img.p[img.len] = 0;
	ck_assert_int_ne(ycache_load_image(img.p, img.len + 1), 0);
	free(img.p);
	free(src);
}
END_TEST

/*
 * Any byte changed: the image is refused, or the entry misses, or the
 * tree read back keeps every promise of a loaded tree (a changed scalar
 * byte is still a tree; a torn write cannot happen, the file is synced
 * before it is renamed into place).
 * Run under the sanitizers, this is the proof of no stray read.
 */
START_TEST(test_cache_damaged)
{
	struct ybuf	 img;
	struct ytree	 t;
	char		*src;
	size_t		 len, i, hits = 0, refused = 0;
	unsigned char	 save;
	static const unsigned char flips[] = { 0x01, 0x80, 0xff };
	size_t		 k;

	img = image_of_runbook(&src, &len);
	for (i = 0; i < img.len; i += (i < 2048 ? 1 : 13)) {
		save = img.p[i];
		for (k = 0; k < sizeof flips; k++) {
			img.p[i] = save ^ flips[k];
			if (ycache_load_image(img.p, img.len) != 0) {
				refused++;
				continue;
			}
			if (ycache_lookup(&t, "r.yaml", src, len) == 0) {
				ck_assert(ynode_check(t.root, len,
				    YTREE_SAVE_HEIGHT));
				hits++;
				ytree_free(&t);
			}
		}
		img.p[i] = save;
	}
	ck_assert_uint_gt(refused, 0);
	ck_assert_uint_gt(hits, 0);
	free(img.p);
	free(src);
}
END_TEST

/* Another version's cache is not read. */
START_TEST(test_cache_version)
{
	struct ybuf	 img;
	char		*src, *nl;
	size_t		 len;

	img = image_of_runbook(&src, &len);
	nl = memchr(img.p + 18, '\n', img.len - 18);
	ck_assert_ptr_nonnull(nl);
	nl[-1] ^= 1;			/* the last digit of a size */
	ck_assert_int_ne(ycache_load_image(img.p, img.len), 0);
	nl[-1] ^= 1;
	img.p[18] = '9';		/* the cache format */
	ck_assert_int_ne(ycache_load_image(img.p, img.len), 0);
	free(img.p);
	free(src);
}
END_TEST

static void
put_u32(struct ybuf *b, uint32_t v)
{
	ybuf_add(b, &v, sizeof v);
}

/* One saved node at line:col; a scalar's bytes or the items follow. */
static void
put_node_at(struct ybuf *b, int type, int style, uint64_t len,
    uint32_t line, uint32_t col)
{
	struct {
		uint64_t	start, end, len;
		uint32_t	line, col;
		uint8_t		type, style, tagged, zero[5];
	} h;

	memset(&h, 0, sizeof h);
	h.len = len;
	h.line = line;
	h.col = col;
	h.type = (uint8_t)type;
	h.style = (uint8_t)style;
	ybuf_add(b, &h, sizeof h);
}

static void
put_node(struct ybuf *b, int type, uint64_t len)
{
	put_node_at(b, type, YSTYLE_PLAIN, len, 1, 1);
}

/* Whether the saved tree in b is read back, for a file of 10 bytes. */
static int
restores(const struct ybuf *b)
{
	struct ytree	t;
	int		rc;

	rc = ytree_restore(&t, "x", b->p, b->len, 10);
	ytree_free(&t);
	return (rc == 0);
}

/* A tree of one scalar "a" as written for a file of 10 bytes. */
static int
restore_scalar(int style, uint32_t line, uint32_t col)
{
	struct ybuf	b = { NULL, 0, 0 };
	struct ytree	t;
	uint32_t	one = 1;
	int		rc;

	ybuf_add(&b, &one, sizeof one);
	put_node_at(&b, YNODE_SCALAR, style, 1, line, col);
	ybuf_add(&b, "a", 1);
	rc = ytree_restore(&t, "x", b.p, b.len, 10);
	ytree_free(&t);
	free(b.p);
	return (rc);
}

/* A mapping of n keys "ka", "kb", ..., the last two the same if repeat. */
static void
put_keys(struct ybuf *b, uint32_t n, int repeat)
{
	uint32_t	i;
	char		key[2];

	b->len = 0;
	put_u32(b, n + 1);
	for (i = 0; i < n; i++) {
		key[0] = 'k';
		key[1] = (char)('a' + (repeat && i == n - 1 ? i - 1 : i));
		put_node(b, YNODE_SCALAR, 2);
		ybuf_add(b, key, 2);
	}
	put_node(b, YNODE_MAP, 2 * n);
	for (i = 0; i < n; i++) {
		put_u32(b, i);
		put_u32(b, 0);
	}
}

/*
 * Hand-made trees the loader would never make: a reference forward
 * (which could make a cycle), a map keyed by a list, a key twice, a NUL
 * in a string and aliases nested past the alias budget are all refused.
 */
START_TEST(test_restore_refuses)
{
	struct ybuf	b = { NULL, 0, 0 };
	struct ytree	t;
	uint32_t	i, k;

	/* [ *1 ] where node 1 is the list itself. */
	put_u32(&b, 1);
	put_node(&b, YNODE_SEQ, 1);
	put_u32(&b, 0);
	ck_assert(!restores(&b));

	/* { [a]: b } */
	b.len = 0;
	put_u32(&b, 4);
	put_node(&b, YNODE_SCALAR, 1);
	ybuf_add(&b, "a", 1);
	put_node(&b, YNODE_SEQ, 1);
	put_u32(&b, 0);
	put_node(&b, YNODE_SCALAR, 1);
	ybuf_add(&b, "b", 1);
	put_node(&b, YNODE_MAP, 2);
	put_u32(&b, 1);
	put_u32(&b, 2);
	ck_assert(!restores(&b));

	/* { a: b, a: b }: the decoder would take both. */
	b.len = 0;
	put_u32(&b, 2);
	put_node(&b, YNODE_SCALAR, 1);
	ybuf_add(&b, "a", 1);
	put_node(&b, YNODE_MAP, 4);
	put_u32(&b, 0);
	put_u32(&b, 0);
	put_u32(&b, 0);
	put_u32(&b, 0);
	ck_assert(!restores(&b));

	/* Twenty keys, the last two the same: the sorted path. */
	put_keys(&b, 20, 1);
	ck_assert(!restores(&b));
	put_keys(&b, 20, 0);
	ck_assert(restores(&b));

	/* Positions outside the file, styles the loader never gives. */
	ck_assert_int_eq(restore_scalar(YSTYLE_DOUBLE, 11, 11), 0);
	ck_assert_int_ne(restore_scalar(YSTYLE_PLAIN, 12, 1), 0);
	ck_assert_int_ne(restore_scalar(YSTYLE_PLAIN, 1, 0x7fffffff), 0);
	ck_assert_int_ne(restore_scalar(YSTYLE_PLAIN, 0, 1), 0);
	ck_assert_int_ne(restore_scalar(YSTYLE_FLOW, 1, 1), 0);
	ck_assert_int_ne(restore_scalar(YSTYLE_FLOW + 1, 1, 1), 0);

	/* A list of 129 levels: deeper than a tree is ever written. */
	for (k = 127; k <= 128; k++) {
		b.len = 0;
		put_u32(&b, (uint32_t)k + 1);
		put_node(&b, YNODE_SCALAR, 1);
		ybuf_add(&b, "a", 1);
		for (i = 1; i <= k; i++) {
			put_node_at(&b, YNODE_SEQ, YSTYLE_FLOW, 1, 1, 1);
			put_u32(&b, i - 1);
		}
		ck_assert_int_eq(restores(&b), k == 127);
	}

	/* A mapping of one key and no value. */
	b.len = 0;
	put_u32(&b, 2);
	put_node(&b, YNODE_SCALAR, 1);
	ybuf_add(&b, "a", 1);
	put_node(&b, YNODE_MAP, 1);
	put_u32(&b, 0);
	ck_assert(!restores(&b));

	/* "a\0b" */
	b.len = 0;
	put_u32(&b, 1);
	put_node(&b, YNODE_SCALAR, 3);
	ybuf_add(&b, "a\0b", 3);
	ck_assert(!restores(&b));

	/* Billion laughs: each list holds the one before it ten times. */
	b.len = 0;
	put_u32(&b, 9);
	put_node(&b, YNODE_SCALAR, 3);
	ybuf_add(&b, "lol", 3);
	for (i = 1; i < 9; i++) {
		put_node(&b, YNODE_SEQ, 10);
		for (k = 0; k < 10; k++)
			put_u32(&b, i - 1);
	}
	ck_assert(!restores(&b));

	/* The same with three levels is within the budget. */
	b.len = 0;
	put_u32(&b, 4);
	put_node(&b, YNODE_SCALAR, 3);
	ybuf_add(&b, "lol", 3);
	for (i = 1; i < 4; i++) {
		put_node(&b, YNODE_SEQ, 10);
		for (k = 0; k < 10; k++)
			put_u32(&b, i - 1);
	}
	ck_assert_int_eq(ytree_restore(&t, "x", b.p, b.len, 10), 0);
	ck_assert_uint_eq(t.root->weight, 1111);
	ytree_free(&t);
	free(b.p);
}
END_TEST

/* A runbook decoded from a cached tree is the runbook decoded fresh. */
START_TEST(test_runbook_through_cache)
{
	struct ytree	 t;
	struct runbook	*a, *b;
	struct diag	 diag;
	char		*src;
	size_t		 len;

	src = slurp(TOP_SRCDIR "/runbooks/eriop-dr.yaml", &len);
	ycache_use(NULL);
	diag_init(&diag);
	a = runbook_load(TOP_SRCDIR "/runbooks/eriop-dr.yaml", NULL, &diag);
	ck_assert_ptr_nonnull(a);
	ck_assert_uint_eq(ycache_count(), 1);
	ck_assert_int_eq(ycache_lookup(&t, TOP_SRCDIR "/runbooks/eriop-dr.yaml",
	    src, len), 0);	/* the next load's tree comes from the cache */
	ytree_free(&t);
	b = runbook_load(TOP_SRCDIR "/runbooks/eriop-dr.yaml", NULL, &diag);
	ck_assert_ptr_nonnull(b);
	ck_assert_uint_eq(diag.n, 0);
	ck_assert_str_eq(a->title, b->title);
	ck_assert_uint_eq(a->nscenarios, b->nscenarios);
	ck_assert_str_eq(a->scenarios[a->nscenarios - 1].steps[0].title,
	    b->scenarios[b->nscenarios - 1].steps[0].title);
	runbook_free(a);
	runbook_free(b);
	diag_free(&diag);
	free(src);
}
END_TEST

static Suite *
ycache_suite(void)
{
	Suite	*s = suite_create("ycache");
	TCase	*tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_round_trip_files);
	tcase_add_test(tc, test_round_trip_shapes);
	tcase_add_test(tc, test_problems_not_cached);
	tcase_add_test(tc, test_cache_file);
	tcase_add_test(tc, test_cache_keeps_existing);
	tcase_add_test(tc, test_cache_full);
	tcase_add_test(tc, test_cache_size_limit);
	tcase_add_test(tc, test_cache_evicts_unused);
	tcase_add_test(tc, test_cache_truncated);
	tcase_add_test(tc, test_cache_damaged);
	tcase_add_test(tc, test_cache_version);
	tcase_add_test(tc, test_restore_refuses);
	tcase_add_test(tc, test_runbook_through_cache);
	suite_add_tcase(s, tc);
	return (s);
}

int
main(void)
{
	SRunner	*sr = srunner_create(ycache_suite());
	int	 failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return (failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE);
}
