/* The configuration file, ~/.config/rbnav/config.yaml. */
#ifndef CONFIG_FILE_H
#define CONFIG_FILE_H

#include <stddef.h>

#include "diag.h"

struct pattern;

struct config_webhook {
	char	 *url;
	char	**events;	/* event types; none: the default set */
	size_t	  nevents;
};

struct config {
	char			*path;
	char			*operator;
	char			*theme;
	int			 stale_after_days;	/* default 180 */
	int			 scrollback;		/* default 10000 */
	struct pattern		**redact;
	size_t			  nredact;
	char			*timeline_db;
	struct config_webhook	*webhooks;
	size_t			 nwebhooks;
};

struct config	*config_load(const char *, int, struct diag *);
void		 config_free(struct config *);
char		*config_default_path(void);

#endif
