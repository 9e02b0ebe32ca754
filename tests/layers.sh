#!/bin/sh
# The layers of DESIGN.md: the model includes no curses, curl, libpq or
# libevent; the engine no curses; only main.c, ui*.c and view-*.c may.
. "$top_srcdir/tests/lib.sh"
cd "$top_srcdir/src"

model_files=$(grep -l 'RBNAV_LAYER\|^' $(ls *.c) 2>/dev/null | while read -r f; do
	case "$f" in
	main.c|ui*.c|view-*.c|cmd-*.c) ;;
	*) echo "$f" ;;
	esac
done)

bad=""
for f in $model_files; do
	if grep -Eq '#include <(n?curses|ncursesw/|term\.h)' "$f"; then
		bad="$bad $f"
	fi
done
is "$bad" "" "no curses outside the program layer"

# Files compiled into libmodel.a must not use engine libraries.
model=$(sed -n '/^src_libmodel_a_SOURCES/,/^$/p' "$top_srcdir/Makefile.am" |
    grep -o 'src/[a-z0-9-]*\.c' | sed 's,src/,,')
bad=""
for f in $model; do
	if grep -Eq '#include <(curl/|event2/|libpq-fe\.h|event\.h|n?curses)' "$f"; then
		bad="$bad $f"
	fi
done
is "$bad" "" "the model layer includes no curl, libevent, libpq or curses"
check "the model layer has files" test -n "$model"

# Every .c opens with a comment paragraph (STYLE.md 2).
bad=""
for f in *.c; do
	head -n 1 "$f" | grep -q '^/\*' || bad="$bad $f"
done
is "$bad" "" "every source file opens with a paragraph"
finish
