#!/bin/sh
# Replays the fuzz corpus, the bundled runbooks and the bad-file corpus
# through the fuzz target (a plain driver, or libFuzzer with
# --enable-fuzzing): no crash, no sanitizer report.
. "$top_srcdir/tests/lib.sh"
fuzz="$top_builddir/tests/fuzz/fuzz-load"
for d in "$top_srcdir/tests/fuzz/corpus/load" "$top_srcdir/runbooks" \
    "$top_srcdir/runbooks/drills" "$top_srcdir/tests/data/bad" \
    "$top_srcdir/tests/data/good"; do
	[ -d "$d" ] || continue
	name=${d#"$top_srcdir"/}
	if "$fuzz" -runs=0 "$d" >"$tmp/out" 2>&1 || { grep -q inputs "$tmp/out" && ! grep -q ERROR "$tmp/out"; }; then
		ok 0 "fuzz target survives $name"
	else
		ok 1 "fuzz target survives $name"
		sed 's/^/# /' "$tmp/out" | head -n 30
	fi
done
# rbnav import's target: Markdown in, YAML that must validate out.
fuzz="$top_builddir/tests/fuzz/fuzz-import"
for d in "$top_srcdir/tests/fuzz/corpus/import" "$top_srcdir/tests/data/import"; do
	[ -d "$d" ] || continue
	name=${d#"$top_srcdir"/}
	if "$fuzz" -runs=0 "$d" >"$tmp/out" 2>&1 || { grep -q inputs "$tmp/out" && ! grep -q ERROR "$tmp/out"; }; then
		ok 0 "fuzz-import survives $name"
	else
		ok 1 "fuzz-import survives $name"
		sed 's/^/# /' "$tmp/out" | head -n 30
	fi
done
# The redactor's stream and the output pane: any chunking, same result.
fuzz="$top_builddir/tests/fuzz/fuzz-redact"
d="$top_srcdir/tests/fuzz/corpus/redact"
if "$fuzz" -runs=0 "$d" >"$tmp/out" 2>&1 || { grep -q inputs "$tmp/out" && ! grep -q ERROR "$tmp/out"; }; then
	ok 0 "fuzz-redact survives tests/fuzz/corpus/redact"
else
	ok 1 "fuzz-redact survives tests/fuzz/corpus/redact"
	sed 's/^/# /' "$tmp/out" | head -n 30
fi
# The YAML tree cache: round trips, and cache entries of any bytes.
fuzz="$top_builddir/tests/fuzz/fuzz-ycache"
d="$top_srcdir/tests/fuzz/corpus/ycache"
if "$fuzz" -runs=0 "$d" >"$tmp/out" 2>&1 || { grep -q inputs "$tmp/out" && ! grep -q ERROR "$tmp/out"; }; then
	ok 0 "fuzz-ycache survives tests/fuzz/corpus/ycache"
else
	ok 1 "fuzz-ycache survives tests/fuzz/corpus/ycache"
	sed 's/^/# /' "$tmp/out" | head -n 30
fi
finish
