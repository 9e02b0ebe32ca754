/*
 * bench/journal.sh's driver for the timeline writer.
 *
 *   journal-append write DIR N   N events through journal_append (each
 *                                written and fdatasync'd), prints the
 *                                seconds, the CPU seconds, the file
 *   journal-append raw SRC DST   the same bytes, one write(2) and one
 *                                fdatasync per line of SRC, into DST
 *
 * Compiled by the script against src/libmodel.a; not part of rbnav.
 */

#include <sys/resource.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "journal.h"
#include "xmalloc.h"

/* Seconds on the monotonic clock. */
static double
bench_now(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((double)ts.tv_sec + (double)ts.tv_nsec / 1e9);
}

/* CPU seconds (user and system) used by this process so far. */
static double
bench_cpu(void)
{
	struct rusage	ru;

	getrusage(RUSAGE_SELF, &ru);
	return ((double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
	    (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6);
}

/* n events through the real writer into a new timeline in dir. */
static int
bench_write(const char *dir, long n)
{
	struct journal	*j;
	char		*id = NULL, *cause = NULL, *text;
	double		 t0, c0;
	long		 i;

	if ((j = journal_create(dir, "20261126T021403Z-bench", &id,
	    &cause)) == NULL) {
		fprintf(stderr, "journal-append: %s\n", cause);
		return (1);
	}
	t0 = bench_now();
	c0 = bench_cpu();
	for (i = 0; i < n; i++) {
		text = xprintf("step %ld: checked replication lag on "
		    "db-replica-%ld, it is %ld ms and falling", i, i % 7,
		    i % 1000);
		journal_append(j, "alice", "note", i * 250, json_pack("{s:s}",
		    "text", text));
		free(text);
		if (journal_pending(j) != 0) {
			fprintf(stderr, "journal-append: write failed: %s\n",
			    strerror(journal_error(j)));
			return (1);
		}
	}
	printf("%.3f %.3f %s\n", bench_now() - t0, bench_cpu() - c0,
	    journal_path(j));
	journal_close(j);
	free(id);
	return (0);
}

/* The lines of src into dst, one write and one fdatasync each. */
static int
bench_raw(const char *src, const char *dst)
{
	FILE	*f;
	char	*line = NULL;
	size_t	 cap = 0;
	ssize_t	 len;
	double	 t0, c0;
	int	 fd;

	if ((f = fopen(src, "r")) == NULL ||
	    (fd = open(dst, O_WRONLY | O_CREAT | O_EXCL | O_APPEND, 0600)) ==
	    -1) {
		fprintf(stderr, "journal-append: %s\n", strerror(errno));
		return (1);
	}
	t0 = bench_now();
	c0 = bench_cpu();
	while ((len = getline(&line, &cap, f)) > 0) {
		if (write(fd, line, (size_t)len) != len || fdatasync(fd) != 0) {
			fprintf(stderr, "journal-append: %s\n",
			    strerror(errno));
			return (1);
		}
	}
	printf("%.3f %.3f %s\n", bench_now() - t0, bench_cpu() - c0, dst);
	close(fd);
	fclose(f);
	free(line);
	return (0);
}

/* write DIR N or raw SRC DST. */
int
main(int argc, char **argv)
{
	if (argc == 4 && strcmp(argv[1], "write") == 0)
		return (bench_write(argv[2], atol(argv[3])));
	if (argc == 4 && strcmp(argv[1], "raw") == 0)
		return (bench_raw(argv[2], argv[3]));
	fprintf(stderr, "usage: journal-append write DIR N | raw SRC DST\n");
	return (2);
}
