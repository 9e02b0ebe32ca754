#!/bin/sh
# rbnav replay: a finished drill played back read-only with a position
# bar; at its end the step list and the systems are as the trainee left
# them before e.  The drill is made here (drillfix-basic, its path).
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/drills/lib.sh"

rb=$dr_data/runbooks

# The step list: the rows between the header/strip and the bottom pane,
# left of the detail pane's border.
steps_region() {
	printf '%s\n' "$1" | awk '
		/^─ Output ─/ { exit }
		NR > 1 && !strip && /│/ { strip = 1 }
		strip { sub(/│.*/, ""); sub(/ +$/, ""); print }'
}

# The systems strip (rows under the header, before the step list) with
# the RTO clocks replaced: state glyphs and names.
strip_region() {
	printf '%s\n' "$1" | awk 'NR > 1 && /│/ { exit } NR > 1' |
	    sed -E 's/ (RTO [+]?[0-9:]+|RTO ok|back in [0-9:]+( \(RTO missed\))?)/ <rto>/g; s/ +$//'
}

# The strip with only the digits of its clocks replaced.
strip_clock() {
	printf '%s\n' "$1" | awk 'NR > 1 && /│/ { exit } NR > 1' |
	    sed -E 's/[0-9]{2}(:[0-9]{2})+/hh:mm/g; s/ +$//'
}

# --- the drill ----------------------------------------------------------
dr_start drill "$RBNAV" -r "$rb" drill drillfix-basic
dr_wait '^ DRILL +Briefing: ' 10
dr_keys Enter
dr_wait '^ DRILL .*T\+00:' 10
dr_take_path "$rb/drills/drillfix-basic.yaml"
ok $? "the drill along its path"
dr_like "the scenario is complete" 'scenario complete: e ends'
orig=$dr_last
dr_end "for the replay"
ok $? "ended: the debrief"
dr_keys q
dr_wait 'runbook navigator' 5
dr_keys q
dr_wait_exit 5
dr_kill
j=$(dr_journal)
id=$(basename "$j" .jsonl)
sum=$(sha256sum "$j" | cut -d' ' -f1)
nfiles=$(ls "$dr_state" | wc -l)

# --- the replay -----------------------------------------------------------
dr_start replay "$RBNAV" -r "$rb" replay "$id" --speed 50
dr_like "replay: the position bar says REPLAY at 50x" \
    'REPLAY [0-9:]+ / [0-9:]+ .*50x' 10
like "$(printf '%s\n' "$dr_last" | head -n 1)" '^ DRILL ' \
    "replay of a drill: the DRILL banner"
dr_like "replay: it reaches the end of the timeline" \
    'REPLAY ([0-9:]+) / \1 ' 15
rep=$dr_last
is "$(steps_region "$rep")" "$(steps_region "$orig")" \
    "replay: the step list at the end is the trainee's before e"
is "$(strip_region "$rep")" "$(strip_region "$orig")" \
    "replay: the systems' states at the end are the trainee's before e"
# Modulo the clock only: a system that came back shows "back in" (its
# RTO clock stopped) in the replay too.
is "$(strip_clock "$rep")" "$(strip_clock "$orig")" \
    "replay: the RTO clocks at the end are stopped where the trainee's were"
steps_region "$orig" | sed 's/^/# original: /'

# --- read-only -------------------------------------------------------------
dr_keys d
dr_like "replay: d says a replay is read-only" 'read-only' 3
dr_keys Enter s f e n
dr_wait 'REPLAY' 3
unlike "$(dr_screen)" 'Why skip|What failed|End the incident|Note for the' \
    "replay: Enter, s, f, e, n open nothing"
is "$(steps_region "$(dr_screen)")" "$(steps_region "$rep")" \
    "replay: the step list is unchanged by the keys"
dr_keys q
dr_wait_exit 5
is "$dr_status" 0 "replay: q leaves, exit 0"
is "$(sha256sum "$j" | cut -d' ' -f1)" "$sum" \
    "replay: the timeline file is unchanged (sha256)"
is "$(ls "$dr_state" | wc -l)" "$nfiles" "replay: no new file in the state directory"

# --- the replay by path, and a bad one ---------------------------------------
dr_start bypath "$RBNAV" -r "$rb" replay "$j" --speed 50
dr_like "replay PATH.jsonl works too" 'REPLAY ([0-9:]+) / \1 ' 15
dr_keys q
dr_wait_exit 5
dr_start nope "$RBNAV" -r "$rb" replay 20000101T000000Z-nope
dr_wait_exit 5
check "replay of an unknown incident: an error exit ($dr_status)" \
    test "${dr_status:-0}" -ne 0
like "$(dr_stderr)" '^rbnav: ' "replay of an unknown incident: an rbnav: message"
finish
