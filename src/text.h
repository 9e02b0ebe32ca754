/* Text for a terminal: UTF-8, display width, clipping, neutralising. */
#ifndef TEXT_H
#define TEXT_H

#include <stddef.h>
#include <stdint.h>

size_t	 text_decode(const char *, size_t, uint32_t *);
int	 text_cpwidth(uint32_t);
int	 text_width(const char *);
int	 text_nwidth(const char *, size_t);
size_t	 text_clip(const char *, int, int *);
char	*text_clean(const char *, size_t);
size_t	 text_wrap(const char *, int, size_t *, size_t);

#endif
