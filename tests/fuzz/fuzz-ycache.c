/*
 * libFuzzer target: the YAML tree cache.
 *
 * The first byte chooses what the rest is.
 *
 * Even: a YAML file.  If it loads without a problem, its tree goes into
 * an in-memory cache; the cache is written out as an image and read back,
 * and the tree found there for the same bytes must be the tree libyaml
 * gave.
 *
 * Odd: the entries of a cache file (after its header, which the target
 * writes itself, so that every input is of this version).  Whatever the
 * bytes, reading them and looking up each entry must end with no entry,
 * a miss, or a well-formed tree that the runbook loader then decodes;
 * the sanitizers do the rest.
 */

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "runbook.h"
#include "ycache.h"
#include "ytree.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void
round_trip(const uint8_t *data, size_t size)
{
	struct ytree_limits	 lim;
	struct ytree		 fresh, cached;
	struct diag		 diag;
	struct ybuf		 img = { NULL, 0, 0 };
	int			 ok;

	ytree_limits_default(&lim);
	diag_init(&diag);
	ok = ytree_load(&fresh, "f.yaml", data, size, &lim, &diag) == 0 &&
	    diag.n == 0;
	diag_free(&diag);

	ycache_use(NULL);
	diag_init(&diag);
	ytree_load(&cached, "f.yaml", data, size, NULL, &diag);
	ytree_free(&cached);
	diag_free(&diag);
	ycache_image(&img);
	if (ycache_load_image(img.p, img.len) != 0)
		__builtin_trap();	/* an image written is an image read */
	if (ycache_lookup(&cached, "f.yaml", data, size) == 0) {
		if (!ok || !ynode_same(fresh.root, cached.root))
			__builtin_trap();
		ytree_free(&cached);
	} else if (ok && ycache_count() == 1) {
		/* Kept, but not found again: only a tree too deep is not. */
		__builtin_trap();
	}
	ytree_free(&fresh);
	free(img.p);
	ycache_close();
}

static void
read_entries(const uint8_t *data, size_t size)
{
	struct ybuf	 img = { NULL, 0, 0 };
	struct ytree	 t;
	struct diag	 diag;
	struct runbook	*rb;
	struct drill	*d;
	const void	*src;
	const char	*name;
	unsigned char	*nl;
	char		*copy;
	size_t		 len, i, n;

	ycache_use(NULL);
	ycache_image(&img);	/* of no entry: keep its two header lines */
	nl = memchr(img.p, '\n', img.len);
	nl = memchr(nl + 1, '\n', img.len - (size_t)(nl + 1 - img.p));
	img.len = (size_t)(nl + 1 - img.p);
	ybuf_add(&img, data, size);
	if (ycache_load_image(img.p, img.len) == 0) {
		n = ycache_count();
		for (i = 0; i < n; i++) {
			name = ycache_entry(i, &src, &len);
			if (src == NULL)
				continue;	/* dropped */
			copy = malloc(len + 1);
			memcpy(copy, src, len);
			if (ycache_lookup(&t, name, copy, len) == 0) {
				/* Anything read back keeps the promises. */
				if (t.root == NULL || !ynode_check(t.root, len,
				    YTREE_SAVE_HEIGHT))
					__builtin_trap();
				ytree_free(&t);
			}
			diag_init(&diag);
			rbfile_load_buffer(name, copy, len, NULL, &diag, &rb,
			    &d);
			runbook_free(rb);
			drill_free(d);
			diag_free(&diag);
			free(copy);
		}
	}
	free(img.p);
	ycache_close();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size == 0)
		return (0);
	if (data[0] % 2 == 0)
		round_trip(data + 1, size - 1);
	else
		read_entries(data + 1, size - 1);
	return (0);
}
