/*
 * Unit tests of redact.c: every built-in pattern on its example, secret
 * values, the user's patterns, the stream API with each secret split at
 * every byte offset (and fed a byte at a time), random mixtures of
 * them fed in random chunks (the same as redacting the whole), an
 * overlong private key
 * block, and the false-positive rate on a benign corpus (git hashes,
 * UUIDs, base64 images, URLs without passwords), printed as a TAP
 * comment.
 */

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "pattern.h"
#include "redact.h"
#include "xmalloc.h"

static struct redact	*r;

static void
setup(void)
{
	r = redact_create();
}

static void
teardown(void)
{
	redact_free(r);
}

/* Occurrences of needle in hay. */
static size_t
count(const char *hay, const char *needle)
{
	size_t	n = 0;

	while ((hay = strstr(hay, needle)) != NULL) {
		n++;
		hay++;
	}
	return (n);
}

/* Redact s through a stream fed in the given chunk sizes (0 ends). */
static char *
stream(const char *s, const size_t *chunks)
{
	struct redact_stream	*st = redact_stream_create(r);
	const char		*o;
	char			*out = xstrdup(""), *n;
	size_t			 len = strlen(s), off = 0, olen, i, k;

	for (i = 0; off < len; i++) {
		k = chunks[i] != 0 ? chunks[i] : len - off;
		if (k > len - off)
			k = len - off;
		o = redact_stream_feed(st, s + off, k, &olen);
		ck_assert_uint_eq(strlen(o), olen);
		n = xprintf("%s%s", out, o);
		free(out);
		out = n;
		off += k;
		if (chunks[i] == 0)
			break;
	}
	o = redact_stream_finish(st, &olen);
	n = xprintf("%s%s", out, o);
	free(out);
	redact_stream_free(st);
	return (n);
}

START_TEST(test_builtins)
{
	const struct redact_builtin	*b;
	char				*out, *again;
	size_t				 i;

	for (i = 0; (b = redact_builtin(i)) != NULL; i++) {
		out = redact_string(r, b->example);
		ck_assert_msg(strstr(out, b->secret) == NULL, "%s: %s",
		    b->name, out);
		ck_assert_msg(strstr(out, REDACT_MARK) != NULL, "%s: %s",
		    b->name, out);
		/* Redacting again changes nothing. */
		again = redact_string(r, out);
		ck_assert_str_eq(again, out);
		free(again);
		free(out);
	}
	ck_assert_uint_ge(i, 10);
}
END_TEST

START_TEST(test_builtin_details)
{
	static const struct {
		const char	*in;
		const char	*want;
	} cases[] = {
		{ "PGPASSWORD=hunter2 psql", "PGPASSWORD=[REDACTED] psql" },
		{ "export DB_PASSWORD=\"p w\"",
		  "export DB_PASSWORD=\"[REDACTED]\"" },
		{ "{\"password\": \"x1\"}", "{\"password\": \"[REDACTED]\"}" },
		{ "password: hunter2", "password: [REDACTED]" },
		{ "redis://:s3cr3t@cache:6379/0",
		  "redis://:[REDACTED]@cache:6379/0" },
		{ "Authorization: Bearer abc.def.123456\nnext",
		  "Authorization: [REDACTED]\nnext" },
		{ "proxy-authorization: Basic Zm9vOmJhcg==",
		  "proxy-authorization: [REDACTED]" },
		{ "key AKIAABCDEFGHIJKLMNOP end", "key [REDACTED] end" },
		{ "-----BEGIN RSA PRIVATE KEY-----\nMIIB\n",
		  "[REDACTED]" },
		{ "https://example.com:8443/a?b=c",
		  "https://example.com:8443/a?b=c" },
		{ "the bearer of bad news", "the bearer of bad news" },
		{ "passwords were rotated", "passwords were rotated" },
	};
	char	*out;
	size_t	 i;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		out = redact_string(r, cases[i].in);
		ck_assert_msg(strcmp(out, cases[i].want) == 0, "%s -> %s",
		    cases[i].in, out);
		free(out);
	}
}
END_TEST

START_TEST(test_secrets_and_patterns)
{
	struct pattern	*p;
	char		*out, *cause = NULL, *buf;
	size_t		 off, outlen;

	redact_add_secret(r, "sw0rdf1sh");
	redact_add_secret(r, "sw0rdf1sh");
	redact_add_secret(r, "");
	redact_add_secret(r, NULL);
	redact_add_secret(r, "aa");
	out = redact_string(r, "x sw0rdf1sh y sw0rdf1shsw0rdf1sh z aaa");
	ck_assert_str_eq(out, "x [REDACTED] y [REDACTED][REDACTED] z "
	    "[REDACTED]");
	free(out);

	p = pattern_compile("ticket-[0-9]{4}", 0, &cause, &off);
	ck_assert_ptr_nonnull(p);
	redact_add_pattern(r, p);
	out = redact_string(r, "see ticket-1234 and ticket-99 and ticket-5678");
	ck_assert_str_eq(out, "see [REDACTED] and ticket-99 and [REDACTED]");
	free(out);

	/* Nothing to take out: nothing allocated, the input stands. */
	buf = NULL;
	ck_assert_uint_eq(redact_buffer(r, "all clear", 9, &buf, &outlen), 0);
	ck_assert_ptr_null(buf);
	ck_assert_uint_eq(redact_buffer(r, "a sw0rdf1sh", 11, &buf, &outlen),
	    1);
	ck_assert_str_eq(buf, "a [REDACTED]");
	ck_assert_uint_eq(outlen, strlen(buf));
	free(buf);
	pattern_free(p);
}
END_TEST

/* Each secret, split in two at every offset, never comes out whole. */
START_TEST(test_stream_split_everywhere)
{
	const struct redact_builtin	*b;
	static const char		*values[] = {
		"correct horse battery staple", "p", "αβγ-ünïcødé-秘",
	};
	const char			*secret;
	char				*text, *whole, *out;
	size_t				 i, k, len, nb, chunks[2];
	size_t				 fails = 0, runs = 0;

	for (i = 0; i < sizeof values / sizeof values[0]; i++)
		redact_add_secret(r, values[i]);
	for (nb = 0; redact_builtin(nb) != NULL; nb++)
		;
	for (i = 0; i < nb + sizeof values / sizeof values[0]; i++) {
		if (i < nb) {
			b = redact_builtin(i);
			secret = b->secret;
			text = xprintf("before %s after", b->example);
		} else {
			secret = values[i - nb];
			text = xprintf("x%sy %s", secret, secret);
		}
		whole = redact_string(r, text);
		ck_assert_uint_eq(count(whole, secret), 0);
		len = strlen(text);
		for (k = 0; k <= len; k++) {
			/* Two feeds: k bytes, then the rest. */
			chunks[0] = k;
			chunks[1] = 0;
			out = k > 0 ? stream(text, chunks) : xstrdup(whole);
			runs++;
			fails += count(out, secret);
			ck_assert_msg(strcmp(out, whole) == 0, "split at %zu:\n"
			    "%s\nvs\n%s", k, out, whole);
			free(out);
		}
		free(whole);
		free(text);
	}
	printf("# stream: %zu two-feed splits, %zu secrets left whole\n",
	    runs, fails);
	fflush(stdout);
	ck_assert_uint_eq(fails, 0);
}
END_TEST

START_TEST(test_stream_byte_by_byte)
{
	struct redact_stream		*st;
	const struct redact_builtin	*b;
	const char			*o;
	char				*text, *whole, *out, *n;
	size_t				 i, k, olen;

	redact_add_secret(r, "hunter2");
	for (i = 0; (b = redact_builtin(i)) != NULL; i++) {
		text = xprintf("%s hunter2\n%s", b->example, b->example);
		whole = redact_string(r, text);
		st = redact_stream_create(r);
		out = xstrdup("");
		for (k = 0; text[k] != '\0'; k++) {
			o = redact_stream_feed(st, text + k, 1, &olen);
			n = xprintf("%s%s", out, o);
			free(out);
			out = n;
		}
		o = redact_stream_finish(st, &olen);
		n = xprintf("%s%s", out, o);
		free(out);
		out = n;
		ck_assert_msg(strcmp(out, whole) == 0, "%s:\n%s\nvs\n%s",
		    b->name, out, whole);
		ck_assert_uint_eq(count(out, b->secret), 0);
		ck_assert_uint_eq(count(out, "hunter2"), 0);
		redact_stream_free(st);
		free(out);
		free(whole);
		free(text);
	}
}
END_TEST

/* A key block that never ends is redacted to the end, not leaked. */
START_TEST(test_stream_random)
{
	static const char *const bits[] = { "password=", "PASSWORD = '",
	    "Bearer ", "token=", "api_key =", "://u:", "@host", "\n", "\r\n",
	    " ", "\t", "xoxb-", "ghp_", "AKIA", "-----BEGIN RSA PRIVATE KEY-----",
	    "-----END RSA PRIVATE KEY-----", "authorization: ", "\"", "'",
	    "secret = ", "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "0123456789",
	    "AbCdEfGhIjKlMnOpQrStUvWxYz", "caf\xc3\xa9", "&", ";" };
	const struct redact_builtin	*b;
	char				*text, *whole, *out, *n;
	size_t				 nb, t, k, j, chunks[64], len;
	unsigned int			 seed = 20261126;

	for (nb = 0; redact_builtin(nb) != NULL; nb++)
		;
	for (t = 0; t < 3000; t++) {
		/* Bits, examples and their secrets, in any order. */
		text = xstrdup("");
		for (k = 0; k < 1 + (size_t)rand_r(&seed) % 40; k++) {
			j = (size_t)rand_r(&seed) % (sizeof bits /
			    sizeof bits[0] + nb);
			if (j < sizeof bits / sizeof bits[0])
				n = xprintf("%s%s", text, bits[j]);
			else {
				b = redact_builtin(j - sizeof bits /
				    sizeof bits[0]);
				n = xprintf("%s%s%s", text, rand_r(&seed) % 2 ?
				    b->example : b->secret, rand_r(&seed) % 2 ?
				    "\n" : "");
			}
			free(text);
			text = n;
		}
		whole = redact_string(r, text);
		len = strlen(text);
		for (k = 0; k < 3; k++) {
			for (j = 0; j < sizeof chunks / sizeof chunks[0] - 1;
			    j++)
				chunks[j] = 1 + (size_t)rand_r(&seed) %
				    (k == 0 ? 4 : k == 1 ? 64 : len + 1);
			chunks[j] = 0;
			out = stream(text, chunks);
			ck_assert_msg(strcmp(out, whole) == 0,
			    "text %zu, chunking %zu:\n%s\nstream:\n%s\nwhole:\n"
			    "%s", t, k, text, out, whole);
			free(out);
		}
		free(whole);
		free(text);
	}
}
END_TEST

START_TEST(test_stream_long_key)
{
	struct redact_stream	*st;
	const char		*o;
	char			*line;
	char			*tail, *end;
	size_t			 olen, total = 0, i;
	int			 leaked = 0;

	line = xstrdup("QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVoxMjM0NTY3ODkw"
	    "YWJjZGVmZ2hpams=\n");
	st = redact_stream_create(r);
	o = redact_stream_feed(st, "start\n-----BEGIN PRIVATE KEY-----\n", 34,
	    &olen);
	total += olen;
	for (i = 0; i < 40000; i++) {
		o = redact_stream_feed(st, line, strlen(line), &olen);
		if (strstr(o, "QUJDREVG") != NULL)
			leaked = 1;
		total += olen;
	}
	o = redact_stream_feed(st, "-----END PRIVATE KEY-----\nafter\n", 32,
	    &olen);
	if (strstr(o, "QUJDREVG") != NULL)
		leaked = 1;
	tail = xstrdup(o);
	o = redact_stream_finish(st, &olen);
	if (strstr(o, "QUJDREVG") != NULL)
		leaked = 1;
	end = xprintf("%s%s", tail, o);
	ck_assert_str_eq(end, "\nafter\n");
	ck_assert_int_eq(leaked, 0);
	ck_assert_uint_lt(total, 100);
	free(tail);
	free(end);
	redact_stream_free(st);

	/* Unterminated at the end: still redacted. */
	st = redact_stream_create(r);
	o = redact_stream_feed(st, "-----BEGIN EC PRIVATE KEY-----\nMHcC", 35,
	    &olen);
	ck_assert_uint_eq(olen, 0);
	o = redact_stream_finish(st, &olen);
	ck_assert_str_eq(o, REDACT_MARK);
	redact_stream_free(st);
	free(line);
}
END_TEST

/* A deterministic byte generator for the corpus. */
static unsigned int	seed = 12345;

static unsigned char
next_byte(void)
{
	seed = seed * 1103515245 + 12345;
	return ((unsigned char)(seed >> 16));
}

START_TEST(test_false_positives)
{
	static const char	*urls[] = {
		"https://grafana.internal/d/abc123/pg?orgId=1&from=now-6h",
		"http://10.0.4.12:8080/healthz",
		"ssh://git@github.com:22/acme/infra.git",
		"postgres://db.internal:5432/app",
		"https://user@example.com/path",
		"s3://backups/2026/11/26/base.tar.zst",
		"https://hub.docker.com/v2/repositories/library/postgres/tags",
		"git@github.com:acme/rbnav.git",
		"https://example.com/search?q=password+reset+docs",
		"redis://cache.internal:6379/0",
	};
	static const char	*lines_[] = {
		"2026-11-26T02:14:03.123Z LOG:  database system is ready",
		"Deployment checkout-6f7d9c5b8-x2x4k rolled out",
		"ERROR: could not connect to server: Connection refused",
		"commit 3f786850e387550fdab836ed7e6dc881de23001b",
		"token bucket refilled at 100/s",
		"the password policy requires 12 characters",
		"the bearer of bad news",
		"Use an API key from the vault, see the runbook",
		"AKIA is the prefix of AWS access keys",
		"ghp_ tokens are GitHub personal access tokens",
	};
	unsigned char		 bin[384], md[32];
	unsigned int		 mdlen;
	char			 b64[600], *line, *out;
	size_t			 n = 0, fp = 0, i, k, outlen;

	for (i = 0; i < 2000; i++) {
		/* A git hash, a UUID, a base64 image, a URL, a log line. */
		for (k = 0; k < 5; k++) {
			switch (k) {
			case 0:
				EVP_Digest(&i, sizeof i, md, &mdlen,
				    EVP_sha1(), NULL);
				line = xprintf("%02x%02x%02x%02x%02x%02x%02x"
				    "%02x%02x%02x%02x%02x%02x%02x%02x%02x%02x"
				    "%02x%02x%02x Merge pull request #%zu",
				    md[0], md[1], md[2], md[3], md[4], md[5],
				    md[6], md[7], md[8], md[9], md[10], md[11],
				    md[12], md[13], md[14], md[15], md[16],
				    md[17], md[18], md[19], i);
				break;
			case 1:
				for (mdlen = 0; mdlen < 16; mdlen++)
					md[mdlen] = next_byte();
				line = xprintf("request_id=%02x%02x%02x%02x-"
				    "%02x%02x-4%x%02x-a%x%02x-%02x%02x%02x%02x"
				    "%02x%02x", md[0], md[1], md[2], md[3],
				    md[4], md[5], md[6] & 0xf, md[7],
				    md[8] & 0xf, md[9], md[10], md[11], md[12],
				    md[13], md[14], md[15]);
				break;
			case 2:
				memcpy(bin, "\x89PNG\r\n\x1a\n", 8);
				for (mdlen = 8; mdlen < sizeof bin; mdlen++)
					bin[mdlen] = next_byte();
				EVP_EncodeBlock((unsigned char *)b64, bin,
				    sizeof bin);
				line = xprintf("<img src=\"data:image/png;"
				    "base64,%s\">", b64);
				break;
			case 3:
				line = xstrdup(urls[i % (sizeof urls /
				    sizeof urls[0])]);
				break;
			default:
				line = xstrdup(lines_[i % (sizeof lines_ /
				    sizeof lines_[0])]);
				break;
			}
			out = NULL;
			if (redact_buffer(r, line, strlen(line), &out,
			    &outlen) > 0) {
				fp++;
				if (fp <= 5)
					printf("# false positive: %s\n", out);
			}
			free(out);
			free(line);
			n++;
		}
	}
	printf("# redaction false positives: %zu of %zu benign lines "
	    "(%.3f%%)\n", fp, n, 100.0 * (double)fp / (double)n);
	fflush(stdout);
	ck_assert_msg(fp * 1000 < n, "false positive rate %zu/%zu", fp, n);
}
END_TEST

int
main(void)
{
	Suite	*s = suite_create("redact");
	TCase	*tc;
	SRunner	*sr;
	int	 failed;

	tc = tcase_create("strings");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_builtins);
	tcase_add_test(tc, test_builtin_details);
	tcase_add_test(tc, test_secrets_and_patterns);
	tcase_add_test(tc, test_false_positives);
	suite_add_tcase(s, tc);

	tc = tcase_create("stream");
	tcase_set_timeout(tc, 60);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_stream_split_everywhere);
	tcase_add_test(tc, test_stream_byte_by_byte);
	tcase_add_test(tc, test_stream_random);
	tcase_add_test(tc, test_stream_long_key);
	suite_add_tcase(s, tc);

	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return (failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE);
}
