/* A YAML document as a tree of located nodes, loaded within fixed limits. */
#ifndef YTREE_H
#define YTREE_H

#include <stddef.h>

#include "diag.h"

enum ynode_type {
	YNODE_SCALAR,
	YNODE_SEQ,
	YNODE_MAP
};

enum ynode_style {
	YSTYLE_PLAIN,
	YSTYLE_SINGLE,
	YSTYLE_DOUBLE,
	YSTYLE_LITERAL,
	YSTYLE_FOLDED,
	YSTYLE_FLOW	/* collections written in flow style */
};

struct ynode {
	enum ynode_type	  type;
	enum ynode_style  style;
	int		  line;		/* 1-based */
	int		  col;		/* 1-based */
	char		 *value;	/* scalars: always terminated */
	size_t		  len;
	struct ynode	**items;	/* seq items; map: key, value, key, …
					   (keys are strings, each once) */
	size_t		  n;		/* number of items (2 per map pair) */
	size_t		  weight;	/* nodes in this subtree, for aliases */
	int		  tagged;	/* an explicit tag was given */
	size_t		  start;	/* byte offsets in the file */
	size_t		  end;
	unsigned int	  serial;	/* a mark, for ytree's own passes */
};

struct ytree_limits {
	size_t	max_file;	/* bytes; default 16 MiB */
	int	max_depth;	/* default 64 */
	size_t	max_scalar;	/* bytes; default 1 MiB */
	size_t	max_nodes;	/* default 1,000,000 */
	size_t	max_alias;	/* nodes reached through aliases; 100,000 */
};

struct ytree {
	char		*file;
	struct ynode	*root;		/* NULL when loading failed */
	struct yarena	*arena;
};

void	ytree_limits_default(struct ytree_limits *);
int	ytree_load(struct ytree *, const char *, const void *, size_t,
	    const struct ytree_limits *, struct diag *);
void	ytree_free(struct ytree *);
/* A growing byte buffer, for ytree_save. */
struct ybuf {
	unsigned char	*p;
	size_t		 len;
	size_t		 cap;
};

void	ybuf_add(struct ybuf *, const void *, size_t);

#define YTREE_SAVE_HEIGHT	128	/* levels ytree_save writes at most */

int	ytree_save(struct ytree *, struct ybuf *);
int	ytree_restore(struct ytree *, const char *, const void *, size_t,
	    size_t);
int	ynode_same(const struct ynode *, const struct ynode *);
int	ynode_check(const struct ynode *, size_t, int);
const struct ynode *ynode_get(const struct ynode *, const char *);
int	ynode_is_null(const struct ynode *);

#define YNODE_KEY(m, i) ((m)->items[2 * (i)])
#define YNODE_VAL(m, i) ((m)->items[2 * (i) + 1])
#define YNODE_PAIRS(m) ((m)->n / 2)

#endif
