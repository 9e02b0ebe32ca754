#!/bin/sh
# rbnav validate on malformed files: every file in tests/data/bad is
# refused with exit 1, at least one "FILE:LINE:COL: error: " line, the
# expected problem at its exact place, within 10 seconds and without a
# sanitizer report.  Files too large to keep in the tree (100,000-deep
# nesting, an 8 MiB scalar, a million nodes, a 17 MiB file) are generated
# here.
#
# Each small file says what it expects on its first line:
#   # expect: LINE:COL: error: MESSAGE-PREFIX
# and may list more problems it must also report, on the lines after:
#   # also: LINE:COL: error: MESSAGE-PREFIX
# Files that cannot hold a comment (empty, NUL or invalid UTF-8 at the
# start, UTF-16) take their expectation from expect_table below.
. "$top_srcdir/tests/lib.sh"

bad="$top_srcdir/tests/data/bad"
rbdir="$top_srcdir/runbooks"

# Expectations of the files that cannot carry a comment.
expect_table() {
	case $1 in
	empty.yaml)
		echo "1:1: error: empty file" ;;
	nul-byte-start.yaml)
		echo "1:1: error: NUL byte in file" ;;
	invalid-utf8-start.yaml)
		echo "1:1: error: YAML: invalid leading UTF-8 octet" ;;
	utf16.yaml)	# UTF-16LE with a byte order mark: its first NUL
		echo "1:4: error: NUL byte in file" ;;
	esac
}

# A second acceptable place for a problem: inside a scalar the loader
# points either at the {{reference}} itself or at the start of the
# scalar that holds it (anything else is wrong); a UTF-16 file may be
# refused at its first byte.
alt_place() {
	case $1 in
	var-undefined-escaped.yaml)	echo "10:26" ;;
	var-undefined-multiline.yaml)	echo "11:17" ;;
	var-undefined-utf8.yaml)	echo "10:15" ;;
	utf16.yaml)			echo "1:1" ;;
	esac
}

# run ARGS...: rbnav ARGS under a 10 s timeout; sets rc, out, err.
run() {
	timeout 10 "$RBNAV" "$@" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	out=$(cat "$tmp/out")
	err=$(tr -d '\000' <"$tmp/err")
}

# validate_one FILE: how each fixture is validated.  Drills are checked
# against the bundled runbooks; dup-runbook-id.yaml reuses the id of the
# seed runbook, so the seed comes first on the command line.
validate_one() {
	case $1 in
	drill-*)
		run -r "$rbdir" validate "$1" ;;
	dup-runbook-id.yaml)
		run validate "$rbdir/eriop-dr.yaml" "$1" ;;
	*)
		run validate "$1" ;;
	esac
}

# reported TEXT FILE "LINE:COL: error: PREFIX": some line of TEXT is
# exactly "FILE:LINE:COL: error: " followed by a message containing PREFIX.
reported() {
	P="$2:${3%%: *}: ${3#*: }"
	P="${P%%: error: *}: error: "
	S="${3#*: error: }"
	printf '%s\n' "$1" | P="$P" S="$S" awk '
	    BEGIN { p = ENVIRON["P"]; s = ENVIRON["S"] }
	    index($0, p) == 1 && index(substr($0, length(p) + 1), s) > 0 {
		found = 1
	    }
	    END { exit !found }'
}

# expect_problem FILE "LINE:COL: error: PREFIX" [ALT-LINE:COL]
expect_problem() {
	if reported "$err" "$1" "$2"; then
		ok 0 "$1: reports $2"
	elif [ -n "$3" ] && reported "$err" "$1" "$3: ${2#*:*: }"; then
		ok 0 "$1: reports $2 (at $3)"
	else
		ok 1 "$1: reports $2"
		printf '%s\n' "$err" | head -n 10 | sed 's/^/# got: /'
	fi
}

# The checks every refused file must pass.
check_refused() {
	f=$1
	is "$rc" 1 "$f: exits 1"
	re=$(printf '%s' "$f" | sed 's/[].[*^$\\/]/\\&/g')
	like "$err" "^$re:[0-9]+:[0-9]+: error: " \
	    "$f: says FILE:LINE:COL: error:"
	unlike "$err" 'AddressSanitizer|runtime error|LeakSanitizer' \
	    "$f: no sanitizer report"
}

cd "$bad" || exit 1
nfiles=0
for f in *.yaml; do
	nfiles=$((nfiles + 1))
	want=$(expect_table "$f")
	if [ -z "$want" ]; then
		want=$(sed -n '1s/^# expect: //p' "$f")
	fi
	if [ -z "$want" ]; then
		ok 1 "$f: has an expectation (# expect: on line 1)"
		continue
	fi
	validate_one "$f"
	check_refused "$f"
	expect_problem "$f" "$want" "$(alt_place "$f")"
	# More problems the same file must report too.
	awk 'NR == 1 { next } /^# also: / { sub(/^# also: /, ""); print;
	    next } { exit }' "$f" >"$tmp/also"
	while IFS= read -r also; do
		expect_problem "$f" "$also"
	done <"$tmp/also"
done
check "at least 45 malformed files" test "$nfiles" -ge 45

# A file with several problems reports every one of them, and counts them.
f=several-problems.yaml
validate_one "$f"
n=$(printf '%s\n' "$err" | grep -c "^$f:[0-9]*:[0-9]*: error: ")
is "$n" 6 "$f: all six problems are reported, not only the first"
like "$out" '^1 file checked: 6 errors, 0 warnings$' \
    "$f: the summary counts six errors"

# Three bad files on one command line: problems in all three, each named
# as it was given (here with its directory).
run validate "$bad/unknown-key.yaml" "$bad/bool-yes.yaml" \
    "$bad/goto-dangling.yaml"
is "$rc" 1 "three bad files: exit 1"
for spec in "unknown-key.yaml|11:9: error: unknown key 'confrim' in step" \
    "bool-yes.yaml|11:18: error: 'confirm' must be true or false" \
    "goto-dangling.yaml|10:15: error: goto target 'nowhere' does not exist"
do
	expect_problem "$bad/${spec%%|*}" "${spec#*|}"
done
like "$out" '^3 files checked: 3 errors, 0 warnings$' \
    "three bad files: the summary counts three errors"

# A good file does not hide a bad one given after it.
run validate "$rbdir/payments-api.yaml" "$bad/dup-key.yaml"
is "$rc" 1 "a good file and a bad one: exit 1"
expect_problem "$bad/dup-key.yaml" "5:1: error: duplicate key 'title'"

# Generated files: limits must be errors with a place, never a crash, a
# hang or a huge allocation.
cd "$tmp" || exit 1
awk 'BEGIN { n = 100000
	for (i = 0; i < n; i++) printf "["
	for (i = 0; i < n; i++) printf "]"
	print "" }' >deep-flow-seq.yaml
awk 'BEGIN { n = 100000
	for (i = 0; i < n; i++) printf "{a: "
	printf "b"
	for (i = 0; i < n; i++) printf "}"
	print "" }' >deep-flow-map.yaml
# Block style on one line: "- - - x" nests block sequences and
# "? ? ? x" block mappings (compact explicit keys), 100,000 deep.
awk 'BEGIN { for (i = 0; i < 100000; i++) printf "- "; print "x" }' \
    >deep-block-seq.yaml
awk 'BEGIN { for (i = 0; i < 100000; i++) printf "? "; print "x" }' \
    >deep-block-map.yaml
# Block mappings by indentation (quadratic in size, so 2,000 deep).
awk 'BEGIN { for (i = 0; i < 2000; i++) {
	for (j = 0; j < i; j++) printf " "
	print "a:" } }' >deep-block-indent.yaml
{
	printf 'format: rbnav/v1\nid: big\ntitle: '
	head -c 8388608 /dev/zero | tr '\0' x
	printf '\n'
} >scalar-8mib.yaml
{
	printf 'format: rbnav/v1\nid: big\ntitle: |\n'
	head -c 8388608 /dev/zero | tr '\0' x | fold -w 120 | sed 's/^/  /'
} >scalar-8mib-literal.yaml
awk 'BEGIN { printf "["; for (i = 0; i < 1000001; i++) printf "a,"
	print "a]" }' >too-many-nodes.yaml
# 17 MiB: refused on its size before it is read.
dd if=/dev/zero of=too-large.yaml bs=1 count=0 seek=17825792 2>/dev/null
# A billion laughs bigger than the one in the tree: 10^12 nodes.
{
	echo 'format: rbnav/v1'
	echo 'l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]'
	i=1
	while [ $i -le 12 ]; do
		p=$((i - 1))
		printf 'l%d: &l%d [' $i $i
		k=0
		while [ $k -lt 10 ]; do
			[ $k -gt 0 ] && printf ', '
			printf '*l%d' $p
			k=$((k + 1))
		done
		printf ']\n'
		i=$((i + 1))
	done
} >alias-bomb-12.yaml

for spec in \
    "deep-flow-seq.yaml|1:65: error: nesting is deeper than 64 levels" \
    "deep-flow-map.yaml|1:257: error: nesting is deeper than 64 levels" \
    "deep-block-seq.yaml|1:129: error: nesting is deeper than 64 levels" \
    "deep-block-map.yaml|1:129: error: nesting is deeper than 64 levels" \
    "deep-block-indent.yaml|65:65: error: nesting is deeper than 64 levels" \
    "scalar-8mib.yaml|3:8: error: scalar is longer than 1048576 bytes" \
    "scalar-8mib-literal.yaml|3:8: error: scalar is longer than 1048576 bytes" \
    "too-many-nodes.yaml|1:2000000: error: more than 1000000 YAML nodes" \
    "too-large.yaml|1:1: error: file is larger than 16 MiB" \
    "alias-bomb-12.yaml|6:45: error: alias '*l3' expands beyond the alias budget"
do
	f=${spec%%|*}
	validate_one "$f"
	check_refused "$f"
	expect_problem "$f" "${spec#*|}"
done

finish
