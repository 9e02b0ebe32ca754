#!/bin/sh
# Replays the fuzz corpus, the bundled runbooks and the bad-file corpus
# through the fuzz target (a plain driver, or libFuzzer with
# --enable-fuzzing): no crash, no sanitizer report.
. "$top_srcdir/tests/lib.sh"
# replay TARGET DIR NAME: the target over one corpus directory.
replay() {
	[ -d "$2" ] || return 0
	if "$top_builddir/tests/fuzz/$1" -runs=0 "$2" >"$tmp/out" 2>&1 ||
	    { grep -q inputs "$tmp/out" && ! grep -q ERROR "$tmp/out"; }; then
		ok 0 "$3 survives ${2#"$top_srcdir"/}"
	else
		ok 1 "$3 survives ${2#"$top_srcdir"/}"
		sed 's/^/# /' "$tmp/out" | head -n 30
	fi
}

for d in tests/fuzz/corpus/load runbooks runbooks/drills tests/data/bad \
    tests/data/good; do
	replay fuzz-load "$top_srcdir/$d" "fuzz target"
done
# rbnav import's target: Markdown in, YAML that must validate out.
replay fuzz-import "$top_srcdir/tests/fuzz/corpus/import" fuzz-import
replay fuzz-import "$top_srcdir/tests/data/import" fuzz-import
# The redactor's stream and the output pane: any chunking, same result.
replay fuzz-redact "$top_srcdir/tests/fuzz/corpus/redact" fuzz-redact
# The YAML tree cache: round trips, and cache entries of any bytes.
replay fuzz-ycache "$top_srcdir/tests/fuzz/corpus/ycache" fuzz-ycache
# Timelines: read, verified and reported, whatever their bytes.
replay fuzz-timeline "$top_srcdir/tests/fuzz/corpus/timeline" fuzz-timeline
# Settings: theme files and the configuration file.
replay fuzz-settings "$top_srcdir/tests/fuzz/corpus/settings" fuzz-settings
finish
