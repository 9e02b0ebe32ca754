/*
 * The baseline of bench/load.sh: read each file named on the command line
 * into memory, as rbnav does, and run libyaml's event parser over it,
 * discarding every event.  No tree, no schema, no patterns: the least any
 * YAML-based loader has to do.  Prints the number of files and events.
 *
 * Built by bench/load.sh, not by the project's Makefile:
 *	cc -O2 -o yaml-scan yaml-scan.c $(pkg-config --cflags --libs yaml-0.1)
 */

#include <stdio.h>
#include <stdlib.h>

#include <yaml.h>

/* Read path whole; caller frees.  NULL on error. */
static unsigned char *
scan_read(const char *path, size_t *len)
{
	FILE		*f;
	unsigned char	*buf;
	long		 size;

	if ((f = fopen(path, "rb")) == NULL)
		return (NULL);
	if (fseek(f, 0, SEEK_END) != 0 || (size = ftell(f)) < 0 ||
	    fseek(f, 0, SEEK_SET) != 0) {
		fclose(f);
		return (NULL);
	}
	buf = malloc((size_t)size + 1);
	if (buf == NULL || fread(buf, 1, (size_t)size, f) != (size_t)size) {
		free(buf);
		fclose(f);
		return (NULL);
	}
	fclose(f);
	*len = (size_t)size;
	return (buf);
}

/* Parse one file; returns its number of events, or -1. */
static long
scan_file(const char *path)
{
	yaml_parser_t	 parser;
	yaml_event_t	 ev;
	unsigned char	*buf;
	size_t		 len;
	long		 n = 0;
	int		 done = 0;

	if ((buf = scan_read(path, &len)) == NULL) {
		perror(path);
		return (-1);
	}
	if (!yaml_parser_initialize(&parser)) {
		free(buf);
		return (-1);
	}
	yaml_parser_set_input_string(&parser, buf, len);
	while (!done) {
		if (!yaml_parser_parse(&parser, &ev)) {
			fprintf(stderr, "%s:%zu:%zu: %s\n", path,
			    parser.problem_mark.line + 1,
			    parser.problem_mark.column + 1,
			    parser.problem ? parser.problem : "error");
			n = -1;
			break;
		}
		done = ev.type == YAML_STREAM_END_EVENT;
		yaml_event_delete(&ev);
		n++;
	}
	yaml_parser_delete(&parser);
	free(buf);
	return (n);
}

int
main(int argc, char **argv)
{
	long	n, events = 0;
	int	i, bad = 0;

	for (i = 1; i < argc; i++) {
		if ((n = scan_file(argv[i])) < 0)
			bad = 1;
		else
			events += n;
	}
	printf("%d files, %ld events\n", argc - 1, events);
	return (bad);
}
