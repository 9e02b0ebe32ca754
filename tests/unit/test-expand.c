/*
 * Unit tests of expand.c: finding {{variable}} references, filling them
 * in, and shell quoting.  The quoting is checked against the real
 * /bin/sh: every hostile value is quoted, handed to "printf %s" through
 * popen, and must come back byte for byte.  The values are built so that
 * a quoting bug shows as different output, never as a harmful command.
 */

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "expand.h"

/* What expand_refs reported, in order. */
struct refs {
	char	*names[16];
	size_t	 offs[16];
	size_t	 n;
};

static void
refs_cb(const char *name, size_t off, void *arg)
{
	struct refs	*r = arg;

	ck_assert_uint_lt(r->n, 16);
	r->names[r->n] = strdup(name);
	r->offs[r->n++] = off;
}

static void
refs_free(struct refs *r)
{
	size_t	i;

	for (i = 0; i < r->n; i++)
		free(r->names[i]);
	memset(r, 0, sizeof *r);
}

/* A get callback over a NULL-terminated name, value, name, ... list. */
static const char *
get_cb(const char *name, void *arg)
{
	const char *const	*kv = arg;

	for (; kv[0] != NULL; kv += 2) {
		if (strcmp(kv[0], name) == 0)
			return (kv[1]);
	}
	return (NULL);
}

/*
 * Run cmd with /bin/sh -c (popen) and return everything it printed, its
 * length in *len; the exit status must be 0.  Caller frees.
 */
static char *
sh_output(const char *cmd, size_t *len)
{
	FILE	*f;
	char	*buf = NULL;
	size_t	 cap = 0, n;
	int	 status;

	*len = 0;
	f = popen(cmd, "r");
	ck_assert_ptr_nonnull(f);
	for (;;) {
		if (*len + 4096 > cap) {
			cap = (*len + 4096) * 2;
			buf = realloc(buf, cap);
			ck_assert_ptr_nonnull(buf);
		}
		if ((n = fread(buf + *len, 1, cap - *len, f)) == 0)
			break;
		*len += n;
	}
	status = pclose(f);
	ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0,
	    "'%s' failed: status %d", cmd, status);
	return (buf);
}

START_TEST(test_refs_names_offsets)
{
	struct refs	r = { .n = 0 };
	size_t		bad = 4242;

	ck_assert_int_eq(expand_refs("ssh {{user}}@{{ host }} -p {{port_2}}",
	    refs_cb, &r, &bad), 0);
	ck_assert_uint_eq(bad, 4242);
	ck_assert_uint_eq(r.n, 3);
	ck_assert_str_eq(r.names[0], "user");
	ck_assert_uint_eq(r.offs[0], 4);
	ck_assert_str_eq(r.names[1], "host");
	ck_assert_uint_eq(r.offs[1], 13);
	ck_assert_str_eq(r.names[2], "port_2");
	ck_assert_uint_eq(r.offs[2], 27);
	refs_free(&r);

	/* Many spaces, underscores, a repeated name, adjacent refs. */
	ck_assert_int_eq(expand_refs("{{   _a   }}{{B9}}{{_a}}", refs_cb, &r,
	    NULL), 0);
	ck_assert_uint_eq(r.n, 3);
	ck_assert_str_eq(r.names[0], "_a");
	ck_assert_uint_eq(r.offs[0], 0);
	ck_assert_str_eq(r.names[1], "B9");
	ck_assert_uint_eq(r.offs[1], 12);
	ck_assert_str_eq(r.names[2], "_a");
	ck_assert_uint_eq(r.offs[2], 18);
	refs_free(&r);

	/* Nothing to find; a callback is optional. */
	ck_assert_int_eq(expand_refs("no refs { } }} {", refs_cb, &r, NULL),
	    0);
	ck_assert_uint_eq(r.n, 0);
	ck_assert_int_eq(expand_refs("a {{b}} c", NULL, NULL, NULL), 0);
	ck_assert_int_eq(expand_refs("", refs_cb, &r, NULL), 0);
	ck_assert_uint_eq(r.n, 0);
}
END_TEST

START_TEST(test_refs_literal_braces)
{
	struct refs	r = { .n = 0 };

	/* {{{{ is a literal {{: what follows it is text, not a name. */
	ck_assert_int_eq(expand_refs("a {{{{b}} c", refs_cb, &r, NULL), 0);
	ck_assert_uint_eq(r.n, 0);
	ck_assert_int_eq(expand_refs("{{{{ {{x}} {{{{", refs_cb, &r, NULL),
	    0);
	ck_assert_uint_eq(r.n, 1);
	ck_assert_str_eq(r.names[0], "x");
	ck_assert_uint_eq(r.offs[0], 5);
	refs_free(&r);
	ck_assert_int_eq(expand_refs("{{{{{{{{", refs_cb, &r, NULL), 0);
	ck_assert_uint_eq(r.n, 0);
}
END_TEST

START_TEST(test_refs_malformed)
{
	static const struct {
		const char	*s;
		size_t		 off;
	} bad[] = {
		{ "run {{.X}}", 4 },		/* Go template syntax */
		{ "{{ }}", 0 },
		{ "{{}}", 0 },
		{ "ok {{a}} then {{x", 14 },	/* unterminated */
		{ "{{x}", 0 },
		{ "{{x y}}", 0 },
		{ "{{1x}}", 0 },
		{ "{{x-y}}", 0 },
		{ "{{\tx}}", 0 },		/* only spaces inside */
		{ "{{{x}}}", 0 },
		{ "{{{{ {{ x.y }}", 5 },
		{ "abc {{", 4 },
	};
	struct refs	r = { .n = 0 };
	size_t		i, off;

	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		off = 4242;
		ck_assert_msg(expand_refs(bad[i].s, refs_cb, &r, &off) == -1,
		    "'%s' accepted", bad[i].s);
		ck_assert_msg(off == bad[i].off, "'%s': offset %zu, want %zu",
		    bad[i].s, off, bad[i].off);
		refs_free(&r);
	}
	/* bad is optional. */
	ck_assert_int_eq(expand_refs("{{.X}}", NULL, NULL, NULL), -1);
}
END_TEST

START_TEST(test_expand_plain)
{
	const char	*kv[] = { "host", "db.example.com", "user", "o'brien",
			    "empty", "", "cmd", "$(id)", NULL };
	char		*s, *missing = NULL;

	s = expand("Log in as {{user}} on {{ host }}", 0, get_cb, kv,
	    &missing);
	ck_assert_str_eq(s, "Log in as o'brien on db.example.com");
	ck_assert_ptr_null(missing);
	free(s);
	s = expand("[{{empty}}] {{cmd}} {{{{user}}", 0, get_cb, kv, NULL);
	ck_assert_str_eq(s, "[] $(id) {{user}}");
	free(s);
	s = expand("", 0, get_cb, kv, NULL);
	ck_assert_str_eq(s, "");
	free(s);
	s = expand("no refs at all", 0, NULL, NULL, NULL);
	ck_assert_str_eq(s, "no refs at all");
	free(s);
}
END_TEST

START_TEST(test_expand_shell)
{
	const char	*kv[] = { "host", "db.example.com", "user", "o'brien",
			    "empty", "", NULL };
	char		*s;

	s = expand("ssh {{user}}@{{host}} echo {{{{x}}", EXPAND_SHELL, get_cb,
	    kv, NULL);
	ck_assert_str_eq(s, "ssh 'o'\\''brien'@'db.example.com' echo {{x}}");
	free(s);
	s = expand("test -z {{empty}}", EXPAND_SHELL, get_cb, kv, NULL);
	ck_assert_str_eq(s, "test -z ''");
	free(s);
}
END_TEST

START_TEST(test_expand_missing)
{
	const char	*kv[] = { "a", "1", NULL };
	char		*s, *missing = NULL;

	s = expand("{{a}} {{b}} {{c}}", EXPAND_SHELL, get_cb, kv, &missing);
	ck_assert_ptr_null(s);
	ck_assert_ptr_nonnull(missing);
	ck_assert_str_eq(missing, "b");	/* the first missing one */
	free(missing);
	missing = NULL;
	s = expand("{{ spaced }}", 0, get_cb, kv, &missing);
	ck_assert_ptr_null(s);
	ck_assert_str_eq(missing, "spaced");
	free(missing);
	missing = NULL;
	s = expand("x {{a}}", 0, NULL, NULL, &missing);	/* no getter */
	ck_assert_ptr_null(s);
	ck_assert_str_eq(missing, "a");
	free(missing);
	/* missing is optional. */
	ck_assert_ptr_null(expand("{{b}}", 0, get_cb, kv, NULL));
}
END_TEST

START_TEST(test_expand_malformed)
{
	const char	*kv[] = { "a", "1", NULL };
	char		*s, *missing = NULL;

	/* A malformed reference fails the whole expansion and is named. */
	s = expand("{{a}} {{.X}} tail", 0, get_cb, kv, &missing);
	ck_assert_ptr_null(s);
	ck_assert_ptr_nonnull(missing);
	ck_assert_msg(strncmp(missing, "{{.X}}", 6) == 0, "missing '%s'",
	    missing);
	free(missing);
	ck_assert_ptr_null(expand("{{", 0, get_cb, kv, NULL));
}
END_TEST

/* Values that break naive quoting; none of them harms anything if run. */
static const char *const hostile[] = {
	"",
	"plain",
	"two words",
	"'",
	"''",
	"'\\''",
	"it's",
	"\"double\"",
	"'; echo INJECTED; '",
	"x; echo INJECTED",
	"$(echo INJECTED)",
	"${HOME}",
	"$HOME",
	"$",
	"$$",
	"`echo INJECTED`",
	"a|echo INJECTED",
	"a&&echo INJECTED",
	"a & echo INJECTED",
	"a;b;c",
	"line1\nline2",
	"\n",
	"trailing newline\n\n",
	"-n",
	"-e \\n",
	"--",
	"--help",
	"-",
	"*",
	"/*",
	"?",
	"[a-z]*",
	"~",
	"~root",
	"\\",
	"\\\\'\\",
	"%s%d%n",
	"#not a comment",
	"a # b",
	"{a,b}",
	"!",
	"!!",
	"tab\there",
	"\r\n",
	"\x01\x02\x1b[31m",
	"<in >out 2>&1",
	"a=b",
	"\xff\xfe",		/* invalid UTF-8 */
	"\xc3",			/* truncated sequence */
	"\xed\xa0\x80",		/* UTF-16 surrogate */
	"\xc0\xaf",		/* overlong '/' */
	"caf\xc3\xa9 \xe2\x9c\x94",
	"'\"'\"'$(`;|&\n*?[~!#\\",
};

START_TEST(test_shell_quote_round_trip)
{
	size_t	 i, len;
	char	*q, *cmd, *out;

	for (i = 0; i < sizeof hostile / sizeof hostile[0]; i++) {
		q = expand_shell_quote(hostile[i]);
		ck_assert_int_eq(q[0], '\'');
		ck_assert_int_eq(q[strlen(q) - 1], '\'');
		ck_assert_int_ne(asprintf(&cmd, "printf %%s %s", q), -1);
		out = sh_output(cmd, &len);
		ck_assert_msg(len == strlen(hostile[i]) &&
		    memcmp(out, hostile[i], len) == 0,
		    "value %zu came back as %zu bytes, want %zu", i, len,
		    strlen(hostile[i]));
		free(out);
		free(cmd);
		free(q);
	}
}
END_TEST

START_TEST(test_shell_expand_round_trip)
{
	const char	*kv[] = { "v", NULL, "w", "second", NULL };
	size_t		 i, len, want;
	char		*cmd, *out, *expect;

	/* A whole command as expand builds it: each value is one word. */
	for (i = 0; i < sizeof hostile / sizeof hostile[0]; i++) {
		kv[1] = hostile[i];
		cmd = expand("printf '%s|' {{v}} {{ w }}", EXPAND_SHELL, get_cb,
		    kv, NULL);
		ck_assert_ptr_nonnull(cmd);
		out = sh_output(cmd, &len);
		ck_assert_int_ne(asprintf(&expect, "%s|second|", hostile[i]),
		    -1);
		want = strlen(expect);
		ck_assert_msg(len == want && memcmp(out, expect, len) == 0,
		    "value %zu: %zu bytes, want %zu", i, len, want);
		free(expect);
		free(out);
		free(cmd);
	}
}
END_TEST

START_TEST(test_shell_quote_form)
{
	char	*q;

	q = expand_shell_quote("");
	ck_assert_str_eq(q, "''");
	free(q);
	q = expand_shell_quote("a'b");
	ck_assert_str_eq(q, "'a'\\''b'");
	free(q);
	q = expand_shell_quote("$x `y`");
	ck_assert_str_eq(q, "'$x `y`'");
	free(q);
}
END_TEST

int
main(void)
{
	Suite	*s = suite_create("expand");
	TCase	*tc;
	SRunner	*sr;
	int	 failed;

	tc = tcase_create("refs");
	tcase_add_test(tc, test_refs_names_offsets);
	tcase_add_test(tc, test_refs_literal_braces);
	tcase_add_test(tc, test_refs_malformed);
	suite_add_tcase(s, tc);

	tc = tcase_create("expand");
	tcase_add_test(tc, test_expand_plain);
	tcase_add_test(tc, test_expand_shell);
	tcase_add_test(tc, test_expand_missing);
	tcase_add_test(tc, test_expand_malformed);
	suite_add_tcase(s, tc);

	tc = tcase_create("shell_quote");
	tcase_set_timeout(tc, 60);	/* one /bin/sh per value */
	tcase_add_test(tc, test_shell_quote_form);
	tcase_add_test(tc, test_shell_quote_round_trip);
	tcase_add_test(tc, test_shell_expand_round_trip);
	suite_add_tcase(s, tc);

	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return (failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE);
}
