/*
 * Scalar values of the runbook format.
 *
 * Durations ("30s", "15m", "1h30m", "2d", "0", or bare seconds), slugs
 * ([a-z0-9][a-z0-9-]*), dates (YYYY-MM-DD or YYYY-MM) and integers, parsed
 * strictly: anything that is not exactly one of these forms is refused,
 * so that a typo never becomes a silent default.
 */

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "value.h"
#include "xmalloc.h"

/* The largest duration accepted: 10 years in milliseconds. */
#define VALUE_MAX_MS	(INT64_C(10) * 366 * 86400 * 1000)

/*
 * Parse a duration into milliseconds.  Units must come in decreasing order
 * (d, h, m, s), each at most once.  Returns 0, or -1 when s is not a
 * duration.
 */
int
value_duration(const char *s, int64_t *ms)
{
	static const struct {
		char	unit;
		int64_t	ms;
	} units[] = {
		{ 'd', INT64_C(86400000) },
		{ 'h', INT64_C(3600000) },
		{ 'm', INT64_C(60000) },
		{ 's', INT64_C(1000) },
	};
	const char	*p = s;
	int64_t		 total = 0, n;
	size_t		 next = 0, i;
	int		 digits;

	if (*s == '\0')
		return (-1);
	for (p = s; *p >= '0' && *p <= '9'; p++)
		;
	if (*p == '\0') {
		/* A bare integer is seconds. */
		if (p - s > 12)
			return (-1);
		*ms = strtoll(s, NULL, 10) * 1000;
		return (*ms > VALUE_MAX_MS ? -1 : 0);
	}
	p = s;
	while (*p != '\0') {
		n = 0;
		digits = 0;
		while (*p >= '0' && *p <= '9') {
			if (++digits > 12)
				return (-1);
			n = n * 10 + (*p++ - '0');
		}
		if (digits == 0)
			return (-1);
		for (i = next; i < sizeof units / sizeof units[0]; i++) {
			if (units[i].unit == *p)
				break;
		}
		if (i == sizeof units / sizeof units[0])
			return (-1);
		if (n > VALUE_MAX_MS / units[i].ms)
			return (-1);
		total += n * units[i].ms;
		if (total > VALUE_MAX_MS)
			return (-1);
		next = i + 1;
		p++;
	}
	*ms = total;
	return (0);
}

/* A duration in the format's own shortest form; caller frees. */
char *
value_duration_format(int64_t ms)
{
	int64_t	s = ms / 1000, d, h, m;
	char	buf[64];
	size_t	len = 0;

	if (ms == 0)
		return (xstrdup("0"));
	if (s == 0)
		return (xprintf("%lldms", (long long)ms));
	d = s / 86400;
	h = s % 86400 / 3600;
	m = s % 3600 / 60;
	s %= 60;
	buf[0] = '\0';
	if (d)
		len += snprintf(buf + len, sizeof buf - len, "%lldd",
		    (long long)d);
	if (h)
		len += snprintf(buf + len, sizeof buf - len, "%lldh",
		    (long long)h);
	if (m)
		len += snprintf(buf + len, sizeof buf - len, "%lldm",
		    (long long)m);
	if (s)
		snprintf(buf + len, sizeof buf - len, "%llds", (long long)s);
	return (xstrdup(buf));
}

/* 1 when s is a slug: [a-z0-9][a-z0-9-]*. */
int
value_slug(const char *s)
{
	const char	*p;

	if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9')))
		return (0);
	for (p = s + 1; *p != '\0'; p++) {
		if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
		    *p == '-'))
			return (0);
	}
	return (1);
}

/* Days from 1970-01-01 to y-m-d (proleptic Gregorian). */
static int
value_days(int y, int m, int d)
{
	y -= m <= 2;
	int	era = (y >= 0 ? y : y - 399) / 400;
	int	yoe = y - era * 400;
	int	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	int	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;

	return (era * 146097 + doe - 719468);
}

/*
 * Parse YYYY-MM-DD or YYYY-MM (taken as the first of the month) into days
 * since 1970.  Returns 0, or -1 when s is not such a date.
 */
int
value_date(const char *s, int *days)
{
	static const int mdays[] = {31,29,31,30,31,30,31,31,30,31,30,31};
	int		 y, m, d = 1, i;
	size_t		 len = strlen(s);

	if (len != 7 && len != 10)
		return (-1);
	for (i = 0; i < (int)len; i++) {
		if (i == 4 || i == 7) {
			if (s[i] != '-')
				return (-1);
		} else if (!isdigit((unsigned char)s[i]))
			return (-1);
	}
	y = atoi(s);
	m = atoi(s + 5);
	if (len == 10)
		d = atoi(s + 8);
	if (y < 1970 || m < 1 || m > 12 || d < 1 || d > mdays[m - 1])
		return (-1);
	if (m == 2 && d == 29 && !((y % 4 == 0 && y % 100 != 0) ||
	    y % 400 == 0))
		return (-1);
	*days = value_days(y, m, d);
	return (0);
}

/* A decimal integer with optional sign, nothing else. */
int
value_int(const char *s, long long *v)
{
	char	*end;

	if (*s == '\0' || isspace((unsigned char)*s))
		return (-1);
	errno = 0;
	*v = strtoll(s, &end, 10);
	if (errno != 0 || *end != '\0')
		return (-1);
	return (0);
}
