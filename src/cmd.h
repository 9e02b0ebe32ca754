/* Subcommands and the options they share. */
#ifndef CMD_H
#define CMD_H

#include <stddef.h>

struct cmd_options {
	char		**paths;	/* -r, in order */
	size_t		  npaths;
	const char	 *operator;
	const char	 *theme;
	const char	 *state_dir;
	const char	 *config;
	const char	 *format;	/* export --format */
	const char	 *output;	/* -o */
	const char	 *head;		/* verify --head */
	const char	 *title;	/* run --title */
	const char	 *from;		/* drill --from */
	const char	 *timeline_db;	/* --timeline-db */
	double		  speed;	/* replay --speed */
	int		  json;
	int		  no_color;
	int		  random;
	int		  quiet;
	int		  shared;
	char		**args;		/* operands after the subcommand */
	int		  nargs;
};

/* Exit statuses of cli.md. */
#define EXIT_OK		0
#define EXIT_CHECK	1
#define EXIT_USAGE	2
#define EXIT_RUNTIME	3

struct config;

int	cmd_validate(struct cmd_options *);
int	cmd_picker(struct cmd_options *);
int	cmd_run(struct cmd_options *);
int	cmd_drill(struct cmd_options *);
int	cmd_resume(struct cmd_options *);
int	cmd_replay(struct cmd_options *);
int	cmd_join(struct cmd_options *);
struct config *cmd_config(const struct cmd_options *);
int	cmd_list(struct cmd_options *);
int	cmd_status(struct cmd_options *);
int	cmd_export(struct cmd_options *);
int	cmd_verify(struct cmd_options *);
int	cmd_incidents(struct cmd_options *);
int	cmd_import(struct cmd_options *);
void	cmd_error(const char *, ...) __attribute__((format(printf, 1, 2)));

#endif
