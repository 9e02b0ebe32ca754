#!/bin/sh
# rbnav validate on well-formed files: every file in tests/data/good is
# accepted with exit 0, no error and no warning but those it announces,
# and the bundled runbooks and drills have neither errors nor warnings.
#
# A file that must warn lists each warning in its first lines:
#   # expect: LINE:COL: warning: MESSAGE-PREFIX
# and then gives exactly those warnings, at exactly those places.
# Files named drill-* are checked against the bundled runbooks (-r);
# date-* files get today's date in 'reviewed' first, so they never age.
. "$top_srcdir/tests/lib.sh"

good="$top_srcdir/tests/data/good"
rbdir="$top_srcdir/runbooks"

# run ARGS...: rbnav ARGS under a 10 s timeout; sets rc, out, err.
run() {
	timeout 10 "$RBNAV" "$@" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	out=$(cat "$tmp/out")
	err=$(cat "$tmp/err")
}

# reported TEXT FILE "LINE:COL: LEVEL: PREFIX": a line of TEXT is
# exactly "FILE:LINE:COL: LEVEL: " and a message containing PREFIX.
reported() {
	P="$2:${3%%: *}: ${3#*: }"
	P="${P%%: warning: *}: warning: "
	S="${3#*: warning: }"
	printf '%s\n' "$1" | P="$P" S="$S" awk '
	    BEGIN { p = ENVIRON["P"]; s = ENVIRON["S"] }
	    index($0, p) == 1 && index(substr($0, length(p) + 1), s) > 0 {
		found = 1
	    }
	    END { exit !found }'
}

# accepted NAME NWARNINGS: the checks every good file must pass.
accepted() {
	is "$rc" 0 "$1: exits 0"
	unlike "$err" ': error: ' "$1: no error"
	unlike "$err" 'AddressSanitizer|runtime error|LeakSanitizer' \
	    "$1: no sanitizer report"
	n=$(printf '%s' "$err" | grep -c ': warning: ')
	is "$n" "$2" "$1: $2 warning(s)"
	if [ "$2" = 1 ]; then w=warning; else w=warnings; fi
	like "$out" "^1 file checked: 0 errors, $2 $w\$" \
	    "$1: the summary says 0 errors, $2 $w"
}

today=$(date -u +%Y-%m-%d)
month=$(date -u +%Y-%m)
cd "$good" || exit 1
nfiles=0
nwarnfiles=0
: >"$tmp/passed"
for f in *.yaml *.yml; do
	[ -f "$f" ] || continue
	nfiles=$((nfiles + 1))
	path=$f
	case $f in
	date-*)
		mkdir -p "$tmp/dated"
		path="$tmp/dated/$f"
		case $(sed -n 's/^reviewed: //p' "$f") in
		????-??-??)	d=$today ;;
		*)		d=$month ;;
		esac
		sed "s/^reviewed: .*/reviewed: $d/" "$f" >"$path"
		;;
	esac
	case $f in
	drill-*)	run -r "$rbdir" validate "$path" ;;
	*)		run validate "$path" ;;
	esac
	awk '/^# expect: / { sub(/^# expect: /, ""); print; next }
	    { exit }' "$f" >"$tmp/expect"
	nw=$(wc -l <"$tmp/expect" | tr -d ' ')
	[ "$nw" -gt 0 ] && nwarnfiles=$((nwarnfiles + 1))
	accepted "$f" "$nw"
	if [ "$rc" = 0 ] && [ "$nw" = 0 ] && [ -z "$err" ]; then
		echo "$f" >>"$tmp/passed"
	fi
	while IFS= read -r want; do
		if reported "$err" "$path" "$want"; then
			ok 0 "$f: warns $want"
		else
			ok 1 "$f: warns $want"
			printf '%s\n' "$err" | head -n 10 | sed 's/^/# got: /'
		fi
	done <"$tmp/expect"
done
check "at least 20 good files" test "$nfiles" -ge 20
check "at least 3 files with warnings" test "$nwarnfiles" -ge 3

# The quiet good files that pass alone also pass all at once: no clash
# of runbook ids, nothing reported.
set --
while IFS= read -r f; do
	case $f in
	date-*) ;;
	*) set -- "$@" "$f" ;;
	esac
done <"$tmp/passed"
n=$#
run -r "$rbdir" validate "$@"
is "$rc" 0 "$n quiet good files together: exit 0"
is "$err" "" "$n quiet good files together: nothing on stderr"
like "$out" "^$n files checked: 0 errors, 0 warnings\$" \
    "$n quiet good files together: 0 errors, 0 warnings"

# A drill checked against a runbook given on the same command line, not
# found through -r.
cd "$tmp" || exit 1
run validate "$rbdir/eriop-dr.yaml" "$good/drill-with-scenario.yaml" \
    "$good/drill-without-scenario.yaml"
is "$rc" 0 "drills with their runbook on the command line: exit 0"
like "$out" '^3 files checked: 0 errors, 0 warnings$' \
    "drills with their runbook on the command line: 0 errors, 0 warnings"

# The limits are maximums, not exclusive bounds: a scalar of exactly
# 1 MiB and a file of exactly 16 MiB are accepted.
{
	printf 'format: rbnav/v1\nid: big-scalar\ntitle: Big\ndescription: '
	head -c 1048576 /dev/zero | tr '\0' x
	printf '\nscenarios:\n  - id: s\n    title: S\n'
	printf '    steps: [{title: One}]\n'
} >scalar-1mib.yaml
run validate scalar-1mib.yaml
is "$rc" 0 "a scalar of exactly 1 MiB: exit 0"
like "$out" '^1 file checked: 0 errors, 0 warnings$' \
    "a scalar of exactly 1 MiB: 0 errors, 0 warnings"
{
	printf 'format: rbnav/v1\nid: big-file\ntitle: Big\n'
	printf 'scenarios:\n  - id: s\n    title: S\n'
	printf '    steps: [{title: One}]\n'
} >file-16mib.yaml
size=$(wc -c <file-16mib.yaml | tr -d ' ')
# Pad with comment lines of 64 bytes, then one shorter line to the byte.
pad=$((16777216 - size))
awk -v n=$((pad / 64)) 'BEGIN { l = "#"
	for (i = 0; i < 62; i++) l = l "x"
	for (i = 0; i < n; i++) print l }' >>file-16mib.yaml
rest=$((pad % 64))
if [ "$rest" -gt 0 ]; then
	awk -v n="$rest" 'BEGIN { l = "#"
		for (i = 1; i < n - 1; i++) l = l "x"
		if (n > 1) print l; else printf "\n" }' >>file-16mib.yaml
fi
size=$(wc -c <file-16mib.yaml | tr -d ' ')
is "$size" 16777216 "the generated file is exactly 16 MiB"
run validate file-16mib.yaml
is "$rc" 0 "a file of exactly 16 MiB: exit 0"
like "$out" '^1 file checked: 0 errors, 0 warnings$' \
    "a file of exactly 16 MiB: 0 errors, 0 warnings"

# The bundled runbooks and drills: no error and no warning, together and
# one by one.
cd "$top_srcdir" || exit 1
set -- runbooks/*.yaml runbooks/drills/*.yaml
n=$#
run validate "$@"
is "$rc" 0 "bundled runbooks and drills: exit 0"
is "$err" "" "bundled runbooks and drills: nothing on stderr"
like "$out" "^$n files checked: 0 errors, 0 warnings\$" \
    "bundled runbooks and drills: $n files, 0 errors, 0 warnings"
for f in "$@"; do
	run -r "$rbdir" validate "$f"
	is "$rc" 0 "$f: exits 0"
	like "$out" '^1 file checked: 0 errors, 0 warnings$' \
	    "$f: 0 errors, 0 warnings"
done

finish
