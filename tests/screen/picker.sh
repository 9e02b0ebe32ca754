#!/bin/sh
# The picker: groups, search as you type, bad patterns, stale runbooks,
# help from the key table, and leaving with the terminal restored.
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/screen/lib.sh"

scr_start -r "$top_srcdir/runbooks"

scr_like "the picker opens with its header" '^ rbnav  runbook navigator +2 runbooks · 18 shown$'
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

# Down the list: procedures, then drills (PgDn moves 5 entries).
scr_keys NPage NPage
scr_like "procedures are listed under PROCEDURES" '^ PROCEDURES$'
like "$scr_last" '^ +(> )?Database Backup  eriop-dr$' "with the seed's backup procedures"
scr_keys NPage NPage NPage
scr_like "drills are listed under DRILLS" '^ DRILLS$'
like "$scr_last" '(PostgreSQL WAL corruption after a power loss|Payments primary lost with its node)  \(' \
    "with the drills of runbooks/drills"
like "$scr_last" '^ Drill: ' "the detail box shows the selected drill"
scr_keys Home PPage PPage PPage PPage PPage

# Search as you type, case-insensitively.
scr_keys /
scr_like "/ opens the search line" '^ /_$'
scr_type w
scr_like "the filter is applied at the first character" '^ /w_$'
unlike "$scr_last" '· 18 shown$' "and the list shrinks"
scr_type al
scr_like "typing wal filters the list" '^ /wal_$'
scr_wait '· [0-9]+ shown$' >/dev/null
like "$scr_last" '^ +(> )?Database Corruption or Loss  eriop-dr$' \
    "wal keeps Database Corruption (RDB/WAL corruption, case-insensitive)"
unlike "$scr_last" 'Network Partition' "wal hides Network Partition"
unlike "$scr_last" 'Rollback to Previous Version' "wal hides Rollback"
unlike "$scr_last" '18 shown' "the header counts fewer entries"

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
like "$scr_last" '· 18 shown$' "every entry is shown again"

# A pattern that matches nothing.
scr_keys /
scr_type 'zzqqxx'
scr_like "a filter matching nothing says so" '^  Nothing matches\.$'
scr_keys Enter
scr_like "Enter ends the typing, the filter stays" '^ /zzqqxx *$'
scr_keys Escape
scr_like "Esc after the search line closed clears it too" '· 18 shown$'

# Help, generated from the key table.
scr_keys '?'
scr_like "? opens the help" '^ rbnav help: Picker$'
like "$scr_last" '^  Up/k +move$' "help lists Up/k"
like "$scr_last" '^  Down/j +move down$' "help lists the keys the hint line leaves out"
like "$scr_last" '^  PgUp +page up$' "help lists PgUp"
like "$scr_last" '^  / +search by symptom$' "help lists /"
like "$scr_last" '^  q +quit$' "help lists q"
like "$scr_last" '^ Esc, q or \? closes help' "help says how to close it"
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
