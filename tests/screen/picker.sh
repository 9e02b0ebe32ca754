#!/bin/sh
# The picker: groups, search as you type, bad patterns, stale runbooks,
# help from the key table, and leaving with the terminal restored.
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/screen/lib.sh"

scr_start -r "$top_srcdir/runbooks"

scr_up "the picker opens with its header" '^ rbnav  runbook navigator +[0-9]+ runbooks · [0-9]+ shown$'
# The bundled runbooks grow: count what is there instead of fixing it.
total=$(printf '%s\n' "$scr_last" | sed -n 's/.* runbooks · \([0-9]*\) shown$/\1/p' | head -n 1)
check "the header counts every scenario, procedure and drill ($total)" test "${total:-0}" -ge 10
like "$scr_last" '^ Type / to search by symptom, title or command\.$' \
    "the search line invites to type /"
like "$scr_last" '^ INCIDENTS$' "incidents are listed under INCIDENTS"
like "$scr_last" '^ > Complete Infrastructure Failure  eriop-dr$' \
    "the first incident is selected"
like "$scr_last" '^      All containers down · Host machine' \
    "an incident shows its symptoms under its title"
like "$scr_last" '^ Up/k move  Enter start  / search by symptom  Esc clear search  \? help  q quit$' \
    "the hint line shows the labelled keys"
like "$scr_last" '^ ERIOP disaster recovery  ›  Complete Infrastructure Failure$' \
    "the detail box names the runbook and the selected scenario"
# Once the screen is up, what was parsed is kept in the YAML cache.
i=0
while [ ! -f "$HOME/.cache/rbnav/ytree.cache" ] && [ $i -lt 100 ]; do
	sleep 0.05
	i=$((i + 1))
done
check "the first frame is followed by the YAML cache" \
    test -f "$HOME/.cache/rbnav/ytree.cache"

# Down to the end of the list: the drills (PgDn moves 5 entries).
scr_keys NPage NPage NPage NPage NPage NPage NPage NPage NPage NPage
scr_like "drills are listed under DRILLS" '^ DRILLS$'
like "$scr_last" '^ > .+  \((eriop-dr|payments-api)(/[a-z0-9-]+|: find the scenario)\)$' \
    "the last entry is a drill, with its runbook"
like "$scr_last" '^ Drill: ' "the detail box shows the selected drill"
unlike "$scr_last" '^ INCIDENTS$' "the list has scrolled"
scr_keys PPage PPage PPage PPage PPage PPage PPage PPage PPage PPage
scr_like "PgUp goes back to the top" '^ > Complete Infrastructure Failure  eriop-dr$'

# Search as you type, case-insensitively.
scr_keys /
scr_like "/ opens the search line" '^ /_$'
scr_type w
scr_like "the filter is applied at the first character" '^ /w_$'
unlike "$scr_last" "· $total shown\$" "and the list shrinks"
scr_type al
scr_like "typing wal filters the list" '^ /wal_$'
scr_wait '· [0-9]+ shown$' >/dev/null
like "$scr_last" '^ +(> )?Database Corruption or Loss  eriop-dr$' \
    "wal keeps Database Corruption (RDB/WAL corruption, case-insensitive)"
unlike "$scr_last" 'Network Partition' "wal hides Network Partition"
unlike "$scr_last" 'Rollback to Previous Version' "wal hides Rollback"
unlike "$scr_last" "· $total shown\$" "the header counts fewer entries"

# The procedures are grouped apart.
scr_keys C-u
scr_type 'Database Backup'
scr_like "procedures are listed under PROCEDURES" '^ PROCEDURES$'
like "$scr_last" '^ {3}Database Backup  eriop-dr$' "with the seed's backup procedure"
is "$(printf '%s\n' "$scr_last" | awk '/^ (INCIDENTS|PROCEDURES|DRILLS)$/ { g = $1 }
    /^ +(> )?Database Backup  eriop-dr$/ { print g }')" PROCEDURES "in the PROCEDURES group"

# A pattern that does not compile: the PCRE2 message, the list kept.
scr_keys C-u
scr_like "Ctrl-U empties the filter" '^ /_ *$'
scr_type '('
scr_like "an invalid pattern shows the PCRE2 message" '^ /\(_ +bad pattern at offset 1: missing closing parenthesis'
like "$scr_last" '^ INCIDENTS$' "and the list is not emptied"
like "$scr_last" 'Complete Infrastructure Failure' "the entries are still there"
unlike "$scr_last" 'Nothing matches' "no 'Nothing matches'"

# Esc clears the search.
scr_keys Escape
scr_like "Esc clears the search" '^ Type / to search by symptom, title or command\.$'
like "$scr_last" "· $total shown\$" "every entry is shown again"

# A pattern that matches nothing.
scr_keys /
scr_type 'zzqqxx'
scr_like "a filter matching nothing says so" '^  Nothing matches\.$'
scr_keys Enter
scr_like "Enter ends the typing, the filter stays" '^ /zzqqxx *$'
scr_keys Escape
scr_like "Esc after the search line closed clears it too" "· $total shown\$"

# Help, generated from the key table.
scr_keys '?'
scr_like "? opens the help" '^ rbnav help: Picker$'
like "$scr_last" '^  Up/k +move$' "help lists Up/k"
like "$scr_last" '^  Down/j +move down$' "help lists the keys the hint line leaves out"
like "$scr_last" '^  PgUp +page up$' "help lists PgUp"
like "$scr_last" '^  / +search by symptom$' "help lists /"
like "$scr_last" '^  q +quit$' "help lists q"
like "$scr_last" '^ Esc, q or \? closes help' "help says how to close it"
is "$(printf '%s\n' "$scr_last" | grep -c '^  Enter ')" 1 "help lists Enter once"
scr_keys Escape
scr_like "Esc closes the help" '^ rbnav  runbook navigator'

# q leaves with status 0 and the terminal as it was.
scr_keys q
if scr_wait_exit; then ok 0 "q exits"; else ok 1 "q exits"; fi
is "$scr_status" 0 "q exits with status 0"
check "the terminal settings are restored (stty -g)" scr_stty_restored
is "$(scr_stderr)" "" "nothing is written to stderr"

# A runbook reviewed long ago: flagged in the list and in the detail
# (fixtures only: a bundled runbook's review date ages).
scr_start -r "$scr_data/stale.yaml" -r "$scr_data/incident.yaml"
scr_like "the fixtures are loaded" '2 runbooks · 3 shown$'
scr_golden picker-fixtures
scr_keys '?'
scr_like "? opens the help" '^ rbnav help: Picker$'
scr_golden picker-help
scr_keys q
scr_like "q closes the help (and does not quit)" '^ rbnav  runbook navigator '
scr_keys /
scr_type 'printer'
scr_like "the stale runbook's scenario is found" '^ /printer_$'
like "$scr_last" '^ > Printer jam in the warehouse  scr-stale  ! review stale$' \
    "its entry says 'review stale'"
like "$scr_last" '^ Runbook last reviewed 2020-01: older than 180 days; check the steps' \
    "the detail says when it was last reviewed"
scr_keys Escape
scr_like "Esc shows every entry again" '· 3 shown$'
like "$scr_last" '^ +(> )?Web shop is down  scr-web$' \
    "a runbook with no review date is not flagged"
scr_keys q
scr_wait_exit
is "$scr_status" 0 "q exits with status 0 again"
finish
