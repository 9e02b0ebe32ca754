#!/bin/sh
# rbnav drill --random opens the briefing of one of the bundled drills,
# under the DRILL banner; an unknown drill is a usage error.
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/drills/lib.sh"

titles=$tmp/titles
sed -n 's/^title: *//p' "$top_srcdir"/runbooks/drills/*.yaml >"$titles"
check "the bundled drills have titles" test -s "$titles"

seen=
for i in 1 2 3; do
	dr_start "random$i" "$RBNAV" -r "$top_srcdir/runbooks" drill --random
	dr_like "--random ($i): a briefing under the DRILL banner" \
	    '^ DRILL +Briefing: ' 10
	t=$(printf '%s\n' "$dr_last" | head -n 1 |
	    sed -nE 's/^ DRILL +Briefing: (.*[^ ]) *$/\1/p')
	check "--random ($i): '$t' is a bundled drill" grep -qxF "$t" "$titles"
	like "$dr_last" 'no command runs and no system is contacted' \
	    "--random ($i): the promise that nothing real is touched"
	seen="$seen|$t"
	dr_keys q
	dr_like "--random ($i): q goes back to the picker" 'runbook navigator'
	dr_keys q
	dr_wait_exit 5
	is "$dr_status" 0 "--random ($i): q, q: exit 0"
	dr_kill
done
echo "# drills drawn: $seen"

# Drills in the picker: the DRILLS group lists every bundled drill, and
# Enter on one opens its briefing.
dr_start picker "$RBNAV" -r "$top_srcdir/runbooks"
dr_like "the picker" 'runbook navigator' 10
dr_keys /
dr_type wal-corruption
dr_keys Enter
dr_like "the search finds the drill, in the DRILLS group" \
    'DRILLS' 5
like "$dr_last" 'PostgreSQL WAL corruption after a power loss' \
    "listed by its title"
dr_keys Enter
dr_like "Enter: its briefing under the DRILL banner" \
    '^ DRILL +Briefing: PostgreSQL WAL corruption after a power loss' 5
dr_keys q
dr_wait 'runbook navigator' 5
dr_keys q
dr_wait_exit 5
dr_kill
n=$(ls "$top_srcdir"/runbooks/drills/*.yaml | wc -l)
out=$("$RBNAV" -r "$top_srcdir/runbooks" list 2>&1)
for f in "$top_srcdir"/runbooks/drills/*.yaml; do
	id=$(sed -n 's/^id: *//p' "$f")
	like "$out" "$id" "rbnav list names the drill $id"
done

# An unknown drill: exit 2 and the message on stderr (in a terminal,
# where the full-screen interface would start).
dr_start nope "$RBNAV" -r "$top_srcdir/runbooks" drill nope
dr_wait_exit 5
is "$dr_status" 2 "drill nope: exit status 2"
like "$(dr_stderr)" "^rbnav: no drill 'nope'" "drill nope: rbnav: no drill 'nope'"
dr_kill

# Without a terminal too: a usage error, never a crash.
"$RBNAV" -r "$top_srcdir/runbooks" drill nope </dev/null >"$tmp/out" 2>"$tmp/err"
is "$?" 2 "drill nope without a terminal: exit status 2"
like "$(cat "$tmp/err")" '^rbnav: ' "drill nope without a terminal: an rbnav: message"
finish
