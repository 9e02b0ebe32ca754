/*
 * tests/durability/eio.sh's LD_PRELOAD shim: a disk that fails on
 * demand, for the timeline only.
 *
 * While the file named by $DUR_TRIGGER exists, write(2) and fdatasync(2)
 * (and fsync(2)) on a descriptor whose /proc/self/fd link ends in
 * ".jsonl" (and, when $DUR_FAIL_DIR is set, starts with it: the disk
 * of the state directory, not another one) fail.  The trigger file's
 * first word says how:
 *
 *   EIO            every write and sync fails with EIO
 *   ENOSPC         every write fails with ENOSPC (nothing written)
 *   ENOSPC-short   a write puts half of its bytes in the file and
 *                  returns that short count; the next one fails with
 *                  ENOSPC (a disk filling up); syncs pass
 *   EIO-sync       writes pass, fdatasync/fsync fail with EIO (the line
 *                  is in the file but not known to be durable)
 *
 * Every other descriptor (the terminal, the capture files, the .torn
 * file, pipes) is left alone, so the screen keeps working.  Each call
 * that fails is counted in $DUR_TRIGGER.count (one byte a failure), so
 * that the test knows the shim did fail it.
 */

#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

static ssize_t	(*real_write)(int, const void *, size_t);
static int	(*real_fdatasync)(int);
static int	(*real_fsync)(int);

/* The raw system call: safe before dlsym and from inside the shim. */
static ssize_t
raw_write(int fd, const void *buf, size_t len)
{
	return (syscall(SYS_write, fd, buf, len));
}

/* 1 when fd is a timeline (its path ends in .jsonl) on the failing disk. */
static int
is_timeline(int fd)
{
	const char	*dir = getenv("DUR_FAIL_DIR");
	char		 link[64], path[4096];
	ssize_t		 n;
	int		 saved = errno;

	snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
	n = readlink(link, path, sizeof path - 1);
	errno = saved;
	if (n < 6)
		return (0);
	path[n] = '\0';
	if (dir != NULL && *dir != '\0' && strncmp(path, dir, strlen(dir)) != 0)
		return (0);
	return (strcmp(path + n - 6, ".jsonl") == 0);
}

/* The mode named in the trigger file, or NULL when there is none. */
static const char *
mode(char *buf, size_t size)
{
	const char	*trigger = getenv("DUR_TRIGGER");
	ssize_t		 n;
	int		 fd, saved = errno;

	if (trigger == NULL ||
	    (fd = open(trigger, O_RDONLY | O_CLOEXEC)) == -1) {
		errno = saved;
		return (NULL);
	}
	n = read(fd, buf, size - 1);
	close(fd);
	errno = saved;
	if (n <= 0)
		return ("EIO");
	buf[n] = '\0';
	buf[strcspn(buf, " \t\r\n")] = '\0';
	return (buf);
}

static void
count(void)
{
	const char	*trigger = getenv("DUR_TRIGGER");
	char		 path[4096];
	int		 fd, saved = errno;

	snprintf(path, sizeof path, "%s.count", trigger);
	if ((fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC,
	    0600)) != -1) {
		raw_write(fd, "x", 1);
		close(fd);
	}
	errno = saved;
}

static int	short_done;	/* ENOSPC-short: the disk is full now */

ssize_t
write(int fd, const void *buf, size_t len)
{
	char		 m[64];
	const char	*how;
	ssize_t		 n;

	if (real_write == NULL)
		real_write = (ssize_t (*)(int, const void *, size_t))
		    dlsym(RTLD_NEXT, "write");
	if (real_write == NULL)
		return (raw_write(fd, buf, len));
	if (fd <= 2 || !is_timeline(fd))
		return (real_write(fd, buf, len));
	if ((how = mode(m, sizeof m)) == NULL) {
		short_done = 0;
		return (real_write(fd, buf, len));
	}
	if (strcmp(how, "EIO-sync") == 0)
		return (real_write(fd, buf, len));
	count();
	if (strcmp(how, "ENOSPC-short") == 0 && !short_done && len > 1) {
		short_done = 1;
		n = real_write(fd, buf, len / 2);
		return (n);
	}
	errno = strncmp(how, "ENOSPC", 6) == 0 ? ENOSPC : EIO;
	return (-1);
}

static int
failing_sync(int fd)
{
	char		 m[64];
	const char	*how;

	if (fd <= 2 || !is_timeline(fd) || (how = mode(m, sizeof m)) == NULL)
		return (0);
	if (strcmp(how, "EIO") != 0 && strcmp(how, "EIO-sync") != 0)
		return (0);
	count();
	errno = EIO;
	return (1);
}

int
fdatasync(int fd)
{
	if (real_fdatasync == NULL)
		real_fdatasync = (int (*)(int))dlsym(RTLD_NEXT, "fdatasync");
	if (failing_sync(fd))
		return (-1);
	return (real_fdatasync(fd));
}

int
fsync(int fd)
{
	if (real_fsync == NULL)
		real_fsync = (int (*)(int))dlsym(RTLD_NEXT, "fsync");
	if (failing_sync(fd))
		return (-1);
	return (real_fsync(fd));
}
