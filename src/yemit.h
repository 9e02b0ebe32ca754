/* Writing YAML with libyaml's emitter: block style, careful quoting. */
#ifndef YEMIT_H
#define YEMIT_H

#include <stddef.h>

struct yemit;

struct yemit	*yemit_create(void);
void		 yemit_map(struct yemit *);
void		 yemit_seq(struct yemit *);
void		 yemit_end(struct yemit *, int);
void		 yemit_scalar(struct yemit *, const char *);
void		 yemit_plain(struct yemit *, const char *);
void		 yemit_kv(struct yemit *, const char *, const char *);
void		 yemit_kplain(struct yemit *, const char *, const char *);
char		*yemit_finish(struct yemit *, size_t *, char **);
int		 yemit_special(const char *);

#endif
