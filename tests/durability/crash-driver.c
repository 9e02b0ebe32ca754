/*
 * tests/durability/crash.sh's driver: appends events to a timeline with
 * the real writer (journal.c) until it is killed.
 *
 *   crash-driver [-b] new DIR BASE   create DIR/BASE.jsonl and append
 *   crash-driver [-b] continue PATH  read PATH as resume does (the torn
 *                                    tail set aside, JOURNAL_READ_REPAIR),
 *                                    reopen it and append after its head
 *
 * Prints, with write(2) so that nothing sits in a stdio buffer:
 *   "ready PATH SEQ\n"   the timeline is open, SEQ events in it
 *   "torn N\n"           (continue) the reader found a torn tail of N bytes
 *   "ack SEQ\n"          journal_append returned with journal_pending() 0:
 *                        event SEQ counts as recorded
 * Events vary in size: mostly short notes with multi-byte UTF-8, one in
 * five of 64-512 KiB.  With -b every event is large (4-6 MiB): the
 * kernel notices a SIGKILL inside a buffered write(2) only every few MiB,
 * so only lines that large can be torn by a kill; crash.sh kills those
 * runs while the file grows.  Exit status: 0 never (it runs until killed or
 * until 100000 events), 2 usage, 3 the file is damaged (bad line), 4 the
 * chain does not verify, 5 a write failed.
 *
 * Compiled by crash.sh against src/libmodel.a; not part of rbnav.
 */

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "journal-read.h"
#include "journal.h"
#include "xmalloc.h"

static void
say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static void
say(const char *fmt, ...)
{
	char	buf[8192];
	va_list	ap;
	int	n;
	size_t	off = 0;
	ssize_t	w;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n >= sizeof buf)
		n = sizeof buf - 1;
	while (off < (size_t)n) {
		w = write(STDOUT_FILENO, buf + off, (size_t)n - off);
		if (w == -1 && errno == EINTR)
			continue;
		if (w <= 0)
			_exit(6);
		off += (size_t)w;
	}
}

/*
 * A note of about size bytes: UTF-8 words (é, …, ✓, 🚒), quotes, tabs
 * and backslashes (escaped in JSON) and ASCII.  Large notes repeat one
 * block made once, so that building them costs little next to their
 * write(2).
 */
static char *
text_of(size_t size, unsigned *rnd)
{
	static const char	*words[] = { "replica", "lag", "é", "…", "✓",
				    "🚒", "failover", "\"quoted\"", "tab\t",
				    "back\\slash", "naïve" };
	static char		 block[65536];
	static size_t		 blen;
	char			*s = xmalloc(size + 32);
	size_t			 len = 0, wl, off;
	const char		*w;

	while (blen < sizeof block - 32) {
		w = words[rand_r(rnd) % (sizeof words / sizeof words[0])];
		wl = strlen(w);
		memcpy(block + blen, w, wl);
		blen += wl;
		block[blen++] = ' ';
	}
	if (size > sizeof block) {
		while (len + blen <= size) {
			memcpy(s + len, block, blen);
			len += blen;
		}
	}
	off = (size_t)rand_r(rnd) % (blen / 2);
	while (len < size && off < blen) {
		/* Whole words only: cut after a space. */
		wl = (size_t)(strchr(block + off, ' ') - (block + off)) + 1;
		memcpy(s + len, block + off, wl);
		len += wl;
		off += wl;
	}
	s[len] = '\0';
	return (s);
}

int
main(int argc, char **argv)
{
	struct journal		*j;
	struct journal_file	*jf;
	char			*id = NULL, *cause = NULL, *why = NULL, *text;
	char			 head[65];
	int64_t			 seq = 0, got, i;
	unsigned		 rnd;
	size_t			 size;
	json_t			*own;
	int			 big = 0;

	rnd = (unsigned)getpid() ^ (unsigned)time(NULL);
	if (argc > 1 && strcmp(argv[1], "-b") == 0) {
		big = 1;
		argc--;
		argv++;
	}
	if (argc == 4 && strcmp(argv[1], "new") == 0) {
		if ((j = journal_create(argv[2], argv[3], &id, &cause)) ==
		    NULL) {
			fprintf(stderr, "crash-driver: %s\n", cause);
			return (5);
		}
		free(id);
	} else if (argc == 3 && strcmp(argv[1], "continue") == 0) {
		if ((jf = journal_read(argv[2], JOURNAL_READ_REPAIR,
		    &cause)) == NULL) {
			fprintf(stderr, "crash-driver: %s\n", cause);
			return (3);
		}
		if (jf->bad_line != 0) {
			fprintf(stderr, "crash-driver: %s:%lld: %s\n",
			    argv[2], (long long)jf->bad_line, jf->bad_why);
			return (3);
		}
		if (journal_verify(jf, &why) != 0) {
			fprintf(stderr, "crash-driver: %s: %s\n", argv[2],
			    why);
			return (4);
		}
		if (jf->torn_line != 0)
			say("torn %zu\n", jf->torn_len);
		seq = journal_last(jf, head);
		journal_read_free(jf);
		if ((j = journal_reopen(argv[2], seq, head, &cause)) ==
		    NULL) {
			fprintf(stderr, "crash-driver: %s\n", cause);
			return (5);
		}
	} else {
		fprintf(stderr, "usage: crash-driver [-b] new DIR BASE | "
		    "crash-driver [-b] continue PATH\n");
		return (2);
	}
	say("ready %s %lld\n", journal_path(j), (long long)seq);

	for (i = 0; i < 100000; i++) {
		if (big)
			size = (size_t)(4 * 1024 * 1024 + rand_r(&rnd) %
			    (2 * 1024 * 1024));
		else if (rand_r(&rnd) % 5 == 0)
			size = (size_t)(64 * 1024 + rand_r(&rnd) %
			    (448 * 1024));
		else
			size = (size_t)(10 + rand_r(&rnd) % 300);
		text = text_of(size, &rnd);
		own = json_pack("{s:s, s:I}", "text", text, "n",
		    (json_int_t)i);
		free(text);
		got = journal_append(j, "crash", "note", i, own);
		if (journal_pending(j) != 0) {
			fprintf(stderr, "crash-driver: not durable: %s\n",
			    strerror(journal_error(j)));
			_exit(5);
		}
		say("ack %lld\n", (long long)got);
	}
	_exit(0);
}
