/* Scalar values of the runbook format: durations, slugs, dates. */
#ifndef VALUE_H
#define VALUE_H

#include <stddef.h>
#include <stdint.h>

int	value_duration(const char *, int64_t *);
char	*value_duration_format(int64_t);
int	value_slug(const char *);
int	value_date(const char *, int *);
int	value_int(const char *, long long *);

#endif
