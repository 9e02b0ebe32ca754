#!/bin/sh
# The command line: --help, --version, exit codes, usage errors, list.
. "$top_srcdir/tests/lib.sh"

out=$("$RBNAV" --version); rc=$?
is "$rc" 0 "--version exits 0"
like "$out" '^rbnav [0-9]+\.[0-9]+' "--version prints the version"

out=$("$RBNAV" --help); rc=$?
is "$rc" 0 "--help exits 0"
for c in run drill resume replay validate list status export verify incidents import; do
	like "$out" "^  $c" "--help lists $c"
done

for c in run drill resume replay validate list status export verify incidents import; do
	out=$("$RBNAV" "$c" --help); rc=$?
	is "$rc" 0 "$c --help exits 0"
	like "$out" "^usage: rbnav $c" "$c --help shows its usage"
done

err=$("$RBNAV" frobnicate 2>&1 >/dev/null); rc=$?
is "$rc" 2 "an unknown command exits 2"
like "$err" "^rbnav: unknown command 'frobnicate'" "and says so on stderr"

err=$("$RBNAV" --bogus 2>&1 >/dev/null); rc=$?
is "$rc" 2 "an unknown option exits 2"
like "$err" "^rbnav: unknown option '--bogus'" "and names it"

err=$("$RBNAV" validate 2>&1 >/dev/null); rc=$?
is "$rc" 2 "validate without files exits 2"
like "$err" "^rbnav: usage: rbnav validate" "and shows the usage"

err=$("$RBNAV" list --head 1:abc 2>&1 >/dev/null); rc=$?
is "$rc" 2 "an option of another command exits 2"

err=$("$RBNAV" -r 2>&1 >/dev/null); rc=$?
is "$rc" 2 "an option without its value exits 2"

# list on the bundled runbooks.
cd "$top_srcdir"
out=$("$RBNAV" list); rc=$?
is "$rc" 0 "list exits 0"
like "$out" '^runbook +eriop-dr ' "list shows the seed runbook"
like "$out" '^incident +eriop-dr/' "list shows its incident scenarios"
like "$out" '^procedure +eriop-dr/' "list shows its procedures"
like "$out" '^drill +' "list shows drills"

out=$("$RBNAV" list --json); rc=$?
is "$rc" 0 "list --json exits 0"
n=$(printf '%s' "$out" | jq '[.[] | select(.kind == "runbook")] | length')
check "list --json has runbooks" test "${n:-0}" -ge 2
n=$(printf '%s' "$out" | jq '[.[] | select(.kind == "incident" and .runbook == "eriop-dr")] | length')
is "$n" 6 "list --json has the six incident scenarios of the seed"
n=$(printf '%s' "$out" | jq '[.[] | select(.kind == "procedure" and .runbook == "eriop-dr")] | length')
is "$n" 3 "list --json has the three backup procedures"

# The search path: -r first, $RBNAV_PATH, and no duplicates.
cd "$tmp"
out=$("$RBNAV" list 2>&1); rc=$?
is "$rc" 0 "list with no runbooks exits 0"
like "$out" 'no runbooks found' "and says none were found"
out=$("$RBNAV" -r "$top_srcdir/runbooks" list)
like "$out" '^runbook +eriop-dr ' "-r DIR finds runbooks"
out=$(RBNAV_PATH="$top_srcdir/runbooks" "$RBNAV" list)
like "$out" '^runbook +eriop-dr ' "\$RBNAV_PATH finds runbooks"
out=$("$RBNAV" -r "$top_srcdir/runbooks/eriop-dr.yaml" list)
like "$out" '^runbook +eriop-dr ' "-r FILE loads one runbook"
n=$(RBNAV_PATH="$top_srcdir/runbooks" "$RBNAV" -r "$top_srcdir/runbooks" list | grep -Ec '^runbook +eriop-dr ')
is "$n" 1 "a directory named twice is read once"

# export_with CONFIG: export a timeline with that configuration; its
# messages in $out, its exit status in $rc.
export_with() {
	out=$("$RBNAV" --config "$1" export \
	    "$top_srcdir/tests/data/timeline/20261120T120000Z-api-latency.jsonl" \
	    2>&1 >/dev/null)
	rc=$?
}

# A configuration with a list as a key and a key twice: located errors.
printf 'operator: a\n[x]: 1\noperator: b\n' >"$tmp/bad-config.yaml"
export_with "$tmp/bad-config.yaml"
is "$rc" 2 "a configuration with a list as a key: exit 2, not a crash"
like "$out" 'bad-config\.yaml:2:1: error: a mapping key must be a plain string' \
    "the list key is reported with its place"
like "$out" "bad-config\.yaml:3:1: error: duplicate key 'operator'" \
    "and so is the key given twice"

# A configuration over 1 MiB is refused, not read in part.
{ echo 'operator: a'; head -c 1048576 /dev/zero | tr '\0' '#'; echo; } \
    >"$tmp/big-config.yaml"
export_with "$tmp/big-config.yaml"
is "$rc" 2 "a configuration over 1 MiB: exit 2"
like "$out" 'big-config\.yaml:1:1: error: the configuration is larger than 1 MiB' \
    "with the reason"
finish
