/*
 * rbnav: the command line.
 *
 * The subcommands and options are described once, in the two tables
 * below; parsing, the usage checks and every --help text come from them.
 * Global options may stand anywhere on the line.
 */

#include <getopt.h>
#include <locale.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "xmalloc.h"
#include "ycache.h"

/* Which subcommands an option belongs to (bits of struct cmd_entry). */
#define C_ALL		0xffff
#define C_NONE		0x0001
#define C_RUN		0x0002
#define C_DRILL		0x0004
#define C_RESUME	0x0008
#define C_REPLAY	0x0010
#define C_VALIDATE	0x0020
#define C_LIST		0x0040
#define C_STATUS	0x0080
#define C_EXPORT	0x0100
#define C_VERIFY	0x0200
#define C_INCIDENTS	0x0400
#define C_IMPORT	0x0800
#define C_JOIN		0x1000
#define C_TUI		(C_NONE | C_RUN | C_DRILL | C_RESUME | C_REPLAY | \
			    C_JOIN)

struct cmd_entry {
	const char	*name;
	int		 bit;
	const char	*usage;
	const char	*summary;
	int		(*fn)(struct cmd_options *);
	int		 min_args;
	int		 max_args;	/* -1: any */
};


static const struct cmd_entry cmd_table[] = {
	{ "run", C_RUN, "run [SCENARIO]",
	  "start a live incident on SCENARIO (the picker when omitted)",
	  cmd_run, 0, 1 },
	{ "drill", C_DRILL, "drill [DRILL] [--random] [--from INCIDENT [-o FILE]]",
	  "start a training drill; nothing real is touched",
	  cmd_drill, 0, 1 },
	{ "resume", C_RESUME, "resume [INCIDENT]",
	  "continue an incident from its timeline", cmd_resume, 0, 1 },
	{ "replay", C_REPLAY, "replay INCIDENT [--speed N]",
	  "play a finished incident back, read-only", cmd_replay, 1, 1 },
	{ "join", C_JOIN, "join INCIDENT",
	  "work an incident another operator started (shared timeline)",
	  cmd_join, 1, 1 },
	{ "validate", C_VALIDATE, "validate FILE...",
	  "check runbooks and drills; exit 1 on any error", cmd_validate,
	  1, -1 },
	{ "list", C_LIST, "list [--json]",
	  "runbooks, scenarios and drills found, one per line", cmd_list,
	  0, 0 },
	{ "status", C_STATUS, "status [--json] [SYSTEM...]",
	  "run every system check once; exit 1 if one is not up",
	  cmd_status, 0, -1 },
	{ "export", C_EXPORT, "export INCIDENT [--format md|json|html] [-o FILE] [--shared]",
	  "write the post-incident report", cmd_export, 1, 1 },
	{ "verify", C_VERIFY, "verify INCIDENT [--head SEQ:HASH]",
	  "check a timeline's hash chain", cmd_verify, 1, 1 },
	{ "incidents", C_INCIDENTS, "incidents [--json] [--shared]",
	  "past and unfinished incidents", cmd_incidents, 0, 0 },
	{ "import", C_IMPORT, "import FILE.md [-o FILE.yaml]",
	  "turn a Markdown runbook into rbnav/v1 YAML", cmd_import,
	  1, 1 },
	{ NULL, 0, NULL, NULL, NULL, 0, 0 }
};

enum opt_id {
	OPT_RUNBOOKS = 'r',
	OPT_OUTPUT = 'o',
	OPT_HELP = 'h',
	OPT_OPERATOR = 256,
	OPT_THEME,
	OPT_STATE_DIR,
	OPT_CONFIG,
	OPT_NO_COLOR,
	OPT_VERSION,
	OPT_JSON,
	OPT_FORMAT,
	OPT_HEAD,
	OPT_SPEED,
	OPT_RANDOM,
	OPT_TITLE,
	OPT_FROM,
	OPT_QUIET,
	OPT_SHARED,
	OPT_TIMELINE_DB
};

struct opt_entry {
	const char	*name;
	int		 id;
	int		 has_arg;
	int		 cmds;
	const char	*arg;
	const char	*help;
};

static const struct opt_entry opt_table[] = {
	{ "runbooks", OPT_RUNBOOKS, 1, C_ALL, "PATH",
	  "look for runbooks in PATH (a file or directory) first" },
	{ "operator", OPT_OPERATOR, 1, C_ALL, "NAME",
	  "operator name in the timeline (default: config, then $USER)" },
	{ "theme", OPT_THEME, 1, C_ALL, "NAME|FILE", "colour theme" },
	{ "state-dir", OPT_STATE_DIR, 1, C_ALL, "DIR",
	  "where incident timelines are kept" },
	{ "config", OPT_CONFIG, 1, C_ALL, "FILE",
	  "configuration file (default ~/.config/rbnav/config.yaml)" },
	{ "no-color", OPT_NO_COLOR, 0, C_ALL, NULL,
	  "no colours (also NO_COLOR)" },
	{ "timeline-db", OPT_TIMELINE_DB, 1, C_ALL, "CONNINFO",
	  "share the incident's timeline through this PostgreSQL" },
	{ "json", OPT_JSON, 0, C_LIST | C_STATUS | C_INCIDENTS, NULL,
	  "print JSON" },
	{ "format", OPT_FORMAT, 1, C_EXPORT, "md|json|html",
	  "report format (default md)" },
	{ "output", OPT_OUTPUT, 1, C_EXPORT | C_IMPORT | C_DRILL, "FILE",
	  "write to FILE instead of standard output" },
	{ "head", OPT_HEAD, 1, C_VERIFY, "SEQ:HASH",
	  "also check the file against this head anchor" },
	{ "speed", OPT_SPEED, 1, C_REPLAY, "N", "replay at N times speed" },
	{ "random", OPT_RANDOM, 0, C_DRILL, NULL, "pick a drill at random" },
	{ "from", OPT_FROM, 1, C_DRILL, "INCIDENT",
	  "turn a recorded incident into a drill file" },
	{ "title", OPT_TITLE, 1, C_RUN | C_DRILL, "TEXT",
	  "incident title (skips the question)" },
	{ "shared", OPT_SHARED, 0, C_INCIDENTS | C_EXPORT, NULL,
	  "the shared timeline: open incidents, or every operator's events" },
	{ "quiet", OPT_QUIET, 0, C_VALIDATE, NULL,
	  "print problems only, no summary" },
	{ "version", OPT_VERSION, 0, C_ALL, NULL, "print the version" },
	{ "help", OPT_HELP, 0, C_ALL, NULL, "print this help" },
	{ NULL, 0, 0, 0, NULL, NULL }
};

/* "rbnav: message" on stderr. */
void
cmd_error(const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	fputs("rbnav: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
}


static void
usage_options(FILE *f, int bit)
{
	const struct opt_entry	*e;
	char			 left[64];

	for (e = opt_table; e->name != NULL; e++) {
		if (bit == C_ALL ? e->cmds != C_ALL :
		    (!(e->cmds & bit) || e->cmds == C_ALL))
			continue;
		if (e->id < 256)
			snprintf(left, sizeof left, "-%c, --%s%s%s", e->id,
			    e->name, e->arg ? " " : "", e->arg ? e->arg : "");
		else
			snprintf(left, sizeof left, "    --%s%s%s", e->name,
			    e->arg ? " " : "", e->arg ? e->arg : "");
		fprintf(f, "  %-28s %s\n", left, e->help);
	}
}

static void
usage(FILE *f, const struct cmd_entry *c)
{
	const struct cmd_entry	*e;

	if (c != NULL) {
		fprintf(f, "usage: rbnav %s\n\n%s.\n", c->usage, c->summary);
		fprintf(f, "\noptions:\n");
		usage_options(f, c->bit);
		fprintf(f, "\nGlobal options (rbnav --help) apply too.\n");
		return;
	}
	fprintf(f, "usage: rbnav [options] [COMMAND [ARGS]]\n\n"
	    "rbnav, the runbook navigator: find the procedure by symptom and "
	    "be walked\nthrough it, with every action in a durable "
	    "timeline.\n\ncommands:\n");
	fprintf(f, "  (none)\n      %s\n",
	    "the full-screen picker: find a procedure by symptom");
	for (e = cmd_table; e->name != NULL; e++)
		fprintf(f, "  %s\n      %s\n", e->usage, e->summary);
	fprintf(f, "\nglobal options:\n");
	usage_options(f, C_ALL);
	fprintf(f, "\nexit status: 0 ok, 1 check failed, 2 usage error, "
	    "3 runtime error.\nSee rbnav(1) and rbnav-runbook(5).\n");
}

int
main(int argc, char **argv)
{
	static struct option	 longopts[sizeof opt_table /
				     sizeof opt_table[0]];
	struct cmd_options	 o;
	const struct cmd_entry	*c = NULL;
	const struct opt_entry	*e;
	char			*end;
	int			 ch, i, help = 0, bit;
	static int		 given[512];
	int			 rc;

	/*
	 * The character set only (UTF-8 and character widths): numbers in
	 * the timeline and reports and dates stay the same whatever the
	 * operator's locale, and the other categories cost a file each.
	 */
	setlocale(LC_CTYPE, "");
	memset(&o, 0, sizeof o);
	o.speed = 0;
	for (i = 0; opt_table[i].name != NULL; i++) {
		longopts[i].name = opt_table[i].name;
		longopts[i].has_arg = opt_table[i].has_arg;
		longopts[i].flag = NULL;
		longopts[i].val = opt_table[i].id;
	}
	opterr = 0;
	while ((ch = getopt_long(argc, argv, ":r:o:h", longopts, NULL)) != -1) {
		switch (ch) {
		case OPT_RUNBOOKS:
			o.paths = xreallocarray(o.paths, o.npaths + 1,
			    sizeof *o.paths);
			o.paths[o.npaths++] = optarg;
			break;
		case OPT_OUTPUT:
			o.output = optarg;
			break;
		case OPT_HELP:
			help = 1;
			break;
		case OPT_OPERATOR:
			o.operator = optarg;
			break;
		case OPT_THEME:
			o.theme = optarg;
			break;
		case OPT_STATE_DIR:
			o.state_dir = optarg;
			break;
		case OPT_CONFIG:
			o.config = optarg;
			break;
		case OPT_NO_COLOR:
			o.no_color = 1;
			break;
		case OPT_VERSION:
			printf("rbnav %s\n", PACKAGE_VERSION);
			rc = EXIT_OK;
			goto out;
		case OPT_JSON:
			o.json = 1;
			break;
		case OPT_FORMAT:
			o.format = optarg;
			break;
		case OPT_HEAD:
			o.head = optarg;
			break;
		case OPT_SPEED:
			o.speed = strtod(optarg, &end);
			if (*end != '\0' || !(o.speed > 0)) {
				cmd_error("--speed needs a number above 0, "
				    "not '%s'", optarg);
				rc = EXIT_USAGE;
				goto out;
			}
			break;
		case OPT_RANDOM:
			o.random = 1;
			break;
		case OPT_FROM:
			o.from = optarg;
			break;
		case OPT_TITLE:
			o.title = optarg;
			break;
		case OPT_QUIET:
			o.quiet = 1;
			break;
		case OPT_SHARED:
			o.shared = 1;
			break;
		case OPT_TIMELINE_DB:
			o.timeline_db = optarg;
			break;
		case ':':
			cmd_error("option '%s' needs a value",
			    argv[optind - 1]);
			rc = EXIT_USAGE;
			goto out;
		default:
			cmd_error("unknown option '%s' (see rbnav --help)",
			    argv[optind - 1]);
			rc = EXIT_USAGE;
			goto out;
		}
		if (ch >= 0 && ch < 512)
			given[ch] = 1;
	}
	if (optind < argc) {
		for (c = cmd_table; c->name != NULL; c++) {
			if (strcmp(c->name, argv[optind]) == 0)
				break;
		}
		if (c->name == NULL) {
			cmd_error("unknown command '%s' (see rbnav --help)",
			    argv[optind]);
			rc = EXIT_USAGE;
			goto out;
		}
		optind++;
	} else
		c = NULL;
	if (help) {
		usage(stdout, c);
		rc = EXIT_OK;
		goto out;
	}
	bit = c != NULL ? c->bit : C_NONE;
	for (e = opt_table; e->name != NULL; e++) {
		if (given[e->id] && !(e->cmds & bit)) {
			cmd_error("option --%s does not apply to %s", e->name,
			    c != NULL ? c->name : "rbnav without a command");
			rc = EXIT_USAGE;
			goto out;
		}
	}
	o.args = argv + optind;
	o.nargs = argc - optind;
	/*
	 * The YAML cache serves the commands that load every runbook found
	 * (and the screen's theme): validate and import parse what they are
	 * given, every time.
	 */
	if (bit & (C_TUI | C_LIST | C_STATUS))
		ycache_enable();
	if (c == NULL) {
		if (o.nargs > 0) {
			cmd_error("unexpected argument '%s'", o.args[0]);
			rc = EXIT_USAGE;
			goto out;
		}
		rc = cmd_picker(&o);
		goto out;
	}
	if (o.nargs < c->min_args ||
	    (c->max_args >= 0 && o.nargs > c->max_args)) {
		cmd_error("usage: rbnav %s", c->usage);
		rc = EXIT_USAGE;
		goto out;
	}
	rc = c->fn(&o);
out:
	ycache_save();
	ycache_close();
	free(o.paths);
	return (rc);
}
