/*
 * For injection.sh: variable values through the real expand() with
 * EXPAND_SHELL (src/expand.c, from libmodel.a), then run the way rbnav
 * runs a step: /bin/sh -c COMMAND, stdin from /dev/null, in a session
 * of its own.
 *
 *   quote-driver TEMPLATE VALUEFILE...
 *
 * TEMPLATE uses {{v}}; it should write what it gets to "$QD_OUT" (an
 * environment variable, so that the path needs no quoting).  For each
 * value, QD_OUT is removed, the command is run and waited for, and one
 * line is printed:
 *
 *   FILE EXIT same|differs|missing direct|file
 *
 * "file" when /bin/sh -c could not be executed with a command that long
 * (one argument is limited to 128 kB): the command was then written to a
 * file and run as `/bin/sh FILE`, which still checks the quoting.
 */

#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "expand.h"

static const char *value;

static const char *
get(const char *name, void *arg)
{
	(void)arg;
	return (strcmp(name, "v") == 0 ? value : NULL);
}

static char *
slurp(const char *path, size_t *len)
{
	FILE	*f = fopen(path, "rb");
	char	*buf = NULL;
	size_t	 cap = 0, n;

	*len = 0;
	if (f == NULL)
		return (NULL);
	for (;;) {
		if (*len + 65536 + 1 > cap) {
			cap = (*len + 65536 + 1) * 2;
			if ((buf = realloc(buf, cap)) == NULL)
				abort();
		}
		n = fread(buf + *len, 1, 65536, f);
		*len += n;
		if (n == 0)
			break;
	}
	fclose(f);
	buf[*len] = '\0';
	return (buf);
}

/* Run argv like job_child; returns the exit status, -1 on E2BIG. */
static int
run(char *const argv[])
{
	int	 p[2], status, null, err = 0;
	pid_t	 pid;
	ssize_t	 n;

	if (pipe(p) == -1)
		return (-2);
	fcntl(p[1], F_SETFD, FD_CLOEXEC);
	if ((pid = fork()) == -1)
		return (-2);
	if (pid == 0) {
		close(p[0]);
		setsid();
		if ((null = open("/dev/null", O_RDONLY)) != -1)
			dup2(null, STDIN_FILENO);
		execv(argv[0], argv);
		err = errno;
		(void)write(p[1], &err, sizeof err);
		_exit(127);
	}
	close(p[1]);
	n = read(p[0], &err, sizeof err);
	close(p[0]);
	while (waitpid(pid, &status, 0) == -1 && errno == EINTR)
		;
	if (n == (ssize_t)sizeof err && err == E2BIG)
		return (-1);
	return (WIFEXITED(status) ? WEXITSTATUS(status) : 128 +
	    WTERMSIG(status));
}

int
main(int argc, char **argv)
{
	const char	*out = getenv("QD_OUT");
	char		*v, *cmd, *missing = NULL, *got, script[] =
			    "/tmp/quote-driver.XXXXXX";
	size_t		 vlen, glen;
	int		 i, rc, fd, viafile;

	if (argc < 3 || out == NULL) {
		fprintf(stderr, "usage: QD_OUT=FILE quote-driver TEMPLATE "
		    "VALUEFILE...\n");
		return (2);
	}
	for (i = 2; i < argc; i++) {
		if ((v = slurp(argv[i], &vlen)) == NULL) {
			printf("%s - unreadable -\n", argv[i]);
			continue;
		}
		value = v;
		cmd = expand(argv[1], EXPAND_SHELL, get, NULL, &missing);
		if (cmd == NULL) {
			printf("%s - expand-failed -\n", argv[i]);
			free(missing);
			free(v);
			continue;
		}
		unlink(out);
		viafile = 0;
		{
			char	*a[] = { "/bin/sh", "-c", cmd, NULL };

			rc = run(a);
		}
		if (rc == -1) {
			/* Too long for one argument: the same text as a file. */
			strcpy(script, "/tmp/quote-driver.XXXXXX");
			if ((fd = mkstemp(script)) == -1 ||
			    write(fd, cmd, strlen(cmd)) != (ssize_t)strlen(cmd))
				return (3);
			close(fd);
			{
				char	*a[] = { "/bin/sh", script, NULL };

				rc = run(a);
			}
			unlink(script);
			viafile = 1;
		}
		got = slurp(out, &glen);
		printf("%s %d %s %s\n", argv[i], rc, got == NULL ? "missing" :
		    glen == vlen && memcmp(got, v, vlen) == 0 ? "same" :
		    "differs", viafile ? "file" : "direct");
		fflush(stdout);
		free(got);
		free(cmd);
		free(v);
	}
	return (0);
}
