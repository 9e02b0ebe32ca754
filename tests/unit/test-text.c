/*
 * Unit tests of the text and layout arithmetic: display widths of
 * UTF-8 (CJK, emoji, combining marks), clipping, word wrap, neutralising
 * control sequences (text.c), the pane rectangles for every terminal
 * size (ui-layout.c), command output lines with SGR kept (output.c) and
 * the built-in themes (theme.c).
 */

#include <check.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>

#include "output.h"
#include "text.h"
#include "theme.h"
#include "ui-layout.h"

START_TEST(test_width)
{
	ck_assert_int_eq(text_width("abc"), 3);
	ck_assert_int_eq(text_width("日本"), 4);		/* wide */
	ck_assert_int_eq(text_width("e\xcc\x81"), 1);	/* e + combining */
	ck_assert_int_eq(text_width("\xf0\x9f\x94\xa5"), 2);	/* emoji */
	ck_assert_int_eq(text_width("\xff"), 1);	/* invalid: U+FFFD */
}
END_TEST

START_TEST(test_clip)
{
	int	used;

	/* A wide character that does not fit is left out whole. */
	ck_assert_uint_eq(text_clip("a日b", 2, &used), 1);
	ck_assert_int_eq(used, 1);
	ck_assert_uint_eq(text_clip("a日b", 3, &used), 4);
	ck_assert_int_eq(used, 3);
	/* A combining mark stays with its base. */
	ck_assert_uint_eq(text_clip("e\xcc\x81x", 1, &used), 3);
	ck_assert_uint_eq(text_clip("abc", 0, &used), 0);
}
END_TEST

START_TEST(test_clean)
{
	char	*s;

	/* Escapes and controls become U+FFFD; tabs become spaces. */
	s = text_clean("a\033]0;pwned\007b", 12);
	ck_assert_ptr_null(strchr(s, '\033'));
	ck_assert_ptr_null(strchr(s, '\007'));
	free(s);
	s = text_clean("\tx", 2);
	ck_assert_str_eq(s, "        x");
	free(s);
	s = text_clean("a\nb", 3);
	ck_assert_str_eq(s, "a\nb");
	free(s);
	s = text_clean("\xc2\x9b" "2J", 4);	/* C1 CSI */
	ck_assert_str_eq(s, "\xef\xbf\xbd" "2J");
	free(s);
}
END_TEST

START_TEST(test_wrap)
{
	size_t	starts[8], n;

	n = text_wrap("the quick brown fox", 10, starts, 8);
	ck_assert_uint_eq(n, 2);
	ck_assert_uint_eq(starts[1], 10);		/* after "the quick " */
	n = text_wrap("abcdefghij", 4, starts, 8);	/* no space: cut */
	ck_assert_uint_eq(n, 3);
	n = text_wrap("日本語日本語", 4, starts, 8);	/* 2 wide a line */
	ck_assert_uint_eq(n, 3);
	n = text_wrap("", 10, starts, 8);
	ck_assert_uint_eq(n, 1);
}
END_TEST

/* Every pane inside the screen, none overlapping the hint line. */
static void
check_incident(int rows, int cols)
{
	struct layout_incident	l;
	struct rect		*r[] = { &l.header, &l.strip, &l.steps,
				    &l.detail, &l.bottom, &l.hints };
	size_t			 i;

	layout_incident(rows, cols, 2, &l);
	for (i = 0; i < sizeof r / sizeof r[0]; i++) {
		ck_assert_int_ge(r[i]->y, 0);
		ck_assert_int_ge(r[i]->x, 0);
		ck_assert_int_gt(r[i]->h, 0);
		ck_assert_int_gt(r[i]->w, 0);
		ck_assert_int_le(r[i]->y + r[i]->h, rows);
		ck_assert_int_le(r[i]->x + r[i]->w, cols);
	}
	ck_assert_int_eq(l.hints.y, rows - 1);
	ck_assert_int_eq(l.steps.x + l.steps.w + 1, l.detail.x);
	ck_assert_int_eq(l.steps.y + l.steps.h, l.bottom.y);
	ck_assert_int_ge(l.bottom.h, 4);
}

START_TEST(test_layout)
{
	struct layout_picker	p;
	int			rows, cols;

	ck_assert(layout_too_small(15, 80));
	ck_assert(layout_too_small(24, 59));
	ck_assert(layout_too_small(1, 1));
	ck_assert(!layout_too_small(16, 60));
	ck_assert(!layout_too_small(24, 80));
	for (rows = 16; rows <= 80; rows += 7)
		for (cols = 60; cols <= 250; cols += 19)
			check_incident(rows, cols);
	layout_picker(24, 80, &p);
	ck_assert_int_eq(p.hints.y, 23);
	ck_assert_int_eq(p.list.y + p.list.h, p.detail.y);
	ck_assert_int_eq(p.detail.y + p.detail.h, 23);
}
END_TEST

START_TEST(test_output)
{
	struct output		*o = output_create(3);
	struct output_style	 st = { -1, -1, 0, 0, 0, 0 };
	const char		*line;
	size_t			 len;

	/* SGR kept, other escapes dropped, chunks split anywhere. */
	output_feed(o, "\033[31mred\033", 9);
	output_feed(o, "[2Jx\033]0;t\007y\r", 12);
	output_feed(o, "\nlast", 5);
	ck_assert_uint_eq(output_lines(o), 2);
	line = output_line(o, 0, &len);
	ck_assert_uint_eq(len, 10);
	ck_assert_int_eq(memcmp(line, "\033[31mredxy", 10), 0);
	ck_assert_uint_eq(output_sgr(line, len, &st), 5);
	ck_assert_int_eq(st.fg, 1);
	/* Bounded: the oldest lines fall off. */
	output_feed(o, "\na\nb\nc\n", 7);
	ck_assert_uint_eq(output_lines(o), 3);
	ck_assert_uint_eq(output_dropped(o), 2);
	output_free(o);
}
END_TEST

/* All the lines of o, each followed by '\n', and the number dropped. */
static char *
output_dump(struct output *o)
{
	char		*out = NULL;
	size_t		 size = 0, i, len;
	const char	*line;
	FILE		*f = open_memstream(&out, &size);

	ck_assert_ptr_nonnull(f);
	fprintf(f, "dropped %llu\n", (unsigned long long)output_dropped(o));
	for (i = 0; i < output_lines(o); i++) {
		line = output_line(o, i, &len);
		fwrite(line, 1, len, f);
		fputc('\n', f);
	}
	fclose(f);
	return (out);
}

START_TEST(test_output_chunks)
{
	struct output	*whole, *bytes, *random;
	char		*buf, *a, *b, *c;
	size_t		 n = 200000, i, off, k;
	unsigned int	 seed = 20261126;
	const char	*pieces[] = { "plain text ", "\033[1;32m", "\033[2J",
			    "\r\n", "\r", "\t", "\b", "\x7f", "\033]0;t\007",
			    "caf\xc3\xa9 ", "\xe2\x9c\x93", "\n", "\x01" };

	/* Text, escapes, controls and UTF-8, with lines past the limit. */
	buf = malloc(n);
	ck_assert_ptr_nonnull(buf);
	for (off = 0; off < n;) {
		k = (size_t)rand_r(&seed) % (sizeof pieces / sizeof pieces[0]);
		if (rand_r(&seed) % 500 == 0) {
			for (i = 0; i < 20000 && off < n; i++)
				buf[off++] = (char)('a' + i % 26);
			continue;
		}
		for (i = 0; pieces[k][i] != '\0' && off < n; i++)
			buf[off++] = pieces[k][i];
	}
	/* The same bytes whole, one by one, and in random chunks. */
	whole = output_create(300);
	bytes = output_create(300);
	random = output_create(300);
	output_feed(whole, buf, n);
	for (off = 0; off < n; off++)
		output_feed(bytes, buf + off, 1);
	for (off = 0; off < n; off += k) {
		k = 1 + (size_t)rand_r(&seed) % 70000;
		if (k > n - off)
			k = n - off;
		output_feed(random, buf + off, k);
	}
	a = output_dump(whole);
	b = output_dump(bytes);
	c = output_dump(random);
	ck_assert_str_eq(a, b);
	ck_assert_str_eq(a, c);
	ck_assert_uint_gt(output_dropped(whole), 0);
	for (i = 0; i < output_lines(whole); i++) {
		output_line(whole, i, &k);
		ck_assert_uint_le(k, 16 * 1024 + 8);
	}
	free(a);
	free(b);
	free(c);
	output_free(whole);
	output_free(bytes);
	output_free(random);
	free(buf);
}
END_TEST

START_TEST(test_themes)
{
	struct theme	*t = theme_default(), *m = theme_mono(NULL);

	/* The banners look like nothing else (the loader refuses that). */
	ck_assert(!t->mono);
	ck_assert(m->mono);
	ck_assert(t->s[TE_LIVE].bg != t->s[TE_DRILL].bg ||
	    t->s[TE_LIVE].fg != t->s[TE_DRILL].fg);
	ck_assert_str_eq(theme_elem_name(TE_LIVE), "live");
	theme_free(t);
	theme_free(m);
}
END_TEST

int
main(void)
{
	Suite	*s = suite_create("text");
	TCase	*tc = tcase_create("text");
	TCase	*tl = tcase_create("layout");
	SRunner	*sr;
	int	 failed;

	setlocale(LC_ALL, "C.UTF-8");
	tcase_add_test(tc, test_width);
	tcase_add_test(tc, test_clip);
	tcase_add_test(tc, test_clean);
	tcase_add_test(tc, test_wrap);
	tcase_add_test(tc, test_output);
	tcase_add_test(tc, test_output_chunks);
	tcase_add_test(tc, test_themes);
	tcase_add_test(tl, test_layout);
	suite_add_tcase(s, tc);
	suite_add_tcase(s, tl);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return (failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE);
}
