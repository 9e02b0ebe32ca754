/* Durable files: temp file, fsync, rename, fsync of the directory. */
#ifndef FILEIO_H
#define FILEIO_H

#include <stddef.h>
#include <stdio.h>
#include <sys/types.h>

int	fileio_write(const char *, int (*)(void *, FILE *), void *, char **);
int	fileio_write_buffer(const char *, const char *, size_t, char **);
int	fileio_sync_dir(const char *);
ssize_t	fileio_read_all(int, void *, size_t);
int	fileio_write_all(int, const void *, size_t);

#endif
