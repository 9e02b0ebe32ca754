#!/bin/sh
# rbnav resume rebuilds the incident screen from the timeline alone and
# appends incident.resume: after kill -9 (reason crash), with a command
# running at the crash (shown interrupted, the step failed, and still so
# after another crash), after the terminal vanished (tmux kill-server:
# reason hangup), and on "another machine" (the .jsonl alone copied to
# another state directory, resumed by path).  There the incident is
# finished (e, outcome, summary, checklist); export has the steps and
# the outcome and verify exits 0.  Every screen is 100x30 and compared
# with the one before the crash by screen-compare.py (clocks as tokens,
# the new timeline lines left out).
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/screen/lib.sh"
. "$top_srcdir/tests/durability/lib.sh"

command -v jq >/dev/null 2>&1 || skip_all "jq is not installed"
command -v python3 >/dev/null 2>&1 || skip_all "python3 is not installed"

SCR_COLS=100
SCR_ROWS=30
rb=$dur_data/shop.yaml
compare=$top_srcdir/tests/durability/screen-compare.py

# same_screen DESC BEFORE: the screen now matches the file BEFORE (a
# frame caught half drawn is captured again, for up to 3 s).
same_screen() {
	ss_end=$(( $(dur_ms) + 3000 ))
	while :; do
		scr_screen >"$tmp/after"
		if python3 "$compare" "$2" "$tmp/after" >"$tmp/diff"; then
			ok 0 "$1"
			return 0
		fi
		[ "$(dur_ms)" -ge "$ss_end" ] && break
		sleep 0.05
	done
	ok 1 "$1"
	sed 's/^/# /' "$tmp/diff"
	return 1
}

# descendants PID: its children, theirs, and so on.
descendants() {
	for d_k in $(cat /proc/"$1"/task/*/children 2>/dev/null); do
		echo "$d_k"
		descendants "$d_k"
	done
}

# crash: kill -9 rbnav, then the command it ran, which outlives it (its
# process group, and each process of it by id).
crash() {
	cr_pid=$(scr_pid)
	cr_kids=$(descendants "$cr_pid")
	kill -9 "$cr_pid"
	scr_wait_exit 5
	for cr_k in $cr_kids; do
		kill -9 -"$cr_k" 2>/dev/null
		kill -9 "$cr_k" 2>/dev/null
	done
	scr_kill
}

# last_but N: the event N from the end (0: the last), as "type reason".
last_but() {
	tail -n "$(( $1 + 1 ))" "$j" | head -n 1 | jq -r '[.type, (.reason // .cmd // "")] | join(" ")'
}

# The incident: a step done, a decision, a note, a variable, a command.
scr_start --operator o -r "$rb" run outage --title 'Checkout is down'
scr_up "the incident starts" '^ LIVE  Checkout is down '
j=$(scr_journal)
id=$(basename "$j" .jsonl)
scr_keys d
scr_like "d: the first step is done" '^✓ 1 Look at the dashboard'
scr_keys Enter
scr_wait 'Does the database answer\?' >/dev/null
scr_keys 2
scr_wait 'Why "No, it is down"' >/dev/null
scr_type 'the primary is down'
scr_keys Enter
scr_like "a decision: the step jumps" '^✓ 2 Find the fault → scale'
scr_keys n
scr_wait 'Note for the timeline' >/dev/null
scr_type 'paged the DBA'
scr_keys Enter
scr_like "a note" 'note: paged the DBA'
scr_keys Enter
scr_wait 'How many replicas\?' >/dev/null
scr_type 3
scr_keys Enter
scr_wait 'Run this command\?' >/dev/null
scr_keys y
scr_like "a variable set and the command run" 'c1 exit 0'
scr_like "the next step is current" '^▶ 4 Wait for the pods'
scr_keys Tab Tab
scr_like "Tab Tab: the Timeline pane" 'done scale$'
scr_screen >"$tmp/before-crash"

# kill -9, then resume (no argument: the newest unfinished incident).
crash
scr_start --operator o -r "$rb" resume
scr_up "resume after kill -9 opens the incident" '^ LIVE  Checkout is down '
scr_like "the timeline says it resumed after a crash" 'resumed \(crash\)$'
same_screen "the screen is rebuilt as it was before the crash" "$tmp/before-crash"
is "$(last_but 0)" "incident.resume crash" "incident.resume (crash) is the last event"
is "$(jq -r 'select(.type == "var.set") | .name + "=" + .value' "$j")" "replicas=3" \
    "the variable's value is in the timeline"
like "$(scr_screen)" '^✓ 3 Scale to 3 pods' "the title shows the variable's value after resume"

# A command running at the crash: shown interrupted, the step failed.
scr_keys Enter
scr_like "the sleep step runs" 'running \(pid [0-9]+\)'
scr_keys Tab Tab
scr_like "Tab Tab: the Timeline pane" 'command c[0-9]+: sleep 60$'
cmd=$(jq -r 'select(.type == "command.start") | .cmd' "$j" | tail -n 1)
# What the crash changes: the running step is failed after it.
scr_screen | sed -e 's/^» /✗ /' -e 's/ · running · / · failed · /' >"$tmp/before-crash"
crash
scr_start --operator o -r "$rb" resume
scr_up "resume after a crash with a command running" '^ LIVE  Checkout is down '
scr_like "the step is shown failed" '^✗ 4 Wait for the pods'
like "$scr_last" '│step 4/5 · wait · failed · current' "the detail says failed"
like "$scr_last" "command $cmd.*interrupted" "the timeline shows the command as interrupted"
same_screen "the rest of the screen is as it was" "$tmp/before-crash"
is "$(last_but 0)" "incident.resume crash" "incident.resume (crash) is the last event"
is "$(last_but 1)" "step.fail its command was interrupted" "the one before it fails the step"
is "$(last_but 2)" "command.exit $cmd" "the one before that ends the command cut off"
is "$(tail -n 3 "$j" | head -n 1 | jq -c '{interrupted, exit}')" '{"interrupted":true,"exit":null}' \
    "command.exit says interrupted, and gives no exit status"

# Another crash right away: the step is still failed, not running.
scr_screen >"$tmp/before-crash"
crash
scr_start --operator o -r "$rb" resume
scr_up "resume once more" '^ LIVE  Checkout is down '
scr_like "the step is still shown failed after a second resume" '^✗ 4 Wait for the pods'
same_screen "the screen is as before the second crash" "$tmp/before-crash"

# The terminal vanishes with the command running again: reason hangup.
scr_keys Enter
scr_like "the sleep step runs again" 'running \(pid [0-9]+\)'
pid=$(scr_pid)
scr_tmux kill-server
end=$(( $(dur_ms) + 5000 ))
while scr_alive "$pid" && [ "$(dur_ms)" -lt "$end" ]; do sleep 0.05; done
check "tmux kill-server: rbnav leaves" test ! -d "/proc/$pid" -o "$(scr_alive "$pid"; echo $?)" = 1
scr_sock=
is "$(last_but 0)" "incident.leave hangup" "it records incident.leave (hangup)"
scr_start --operator o -r "$rb" resume "$id"
scr_up "resume after the terminal vanished" '^ LIVE  Checkout is down '
scr_like "the timeline says it resumed after a hangup" 'resumed \(hangup\)$'
like "$scr_last" '^✗ 4 Wait for the pods' "the step cut off by the hangup is failed"
is "$(last_but 0)" "incident.resume hangup" "incident.resume (hangup) is the last event"
is "$(jq -rs '[.[] | select(.type == "command.exit" and .interrupted == true)] | length' "$j")" 2 \
    "the command cut off by the hangup is ended as interrupted too"

# Captured output: one file per command, never overwritten.
is "$(jq -r 'select(.type == "command.start") | .cmd' "$j" | sort | uniq -d)" "" \
    "every command has its own cmd id, across resumes"
bad=$(jq -r 'select(.type == "command.exit" and .output_file != null) | .output_file + " " + .output_sha256' "$j" |
    while read -r f sum; do
	[ "$(dur_sum "$RBNAV_STATE_DIR/$f" 2>/dev/null)" = "$sum" ] || echo "$f"
    done)
is "$bad" "" "every captured output still has the SHA-256 its command.exit recorded"

# The step is done after all (an override), so that what follows does
# not depend on how a failed step is rebuilt.
scr_keys d
scr_like "d on the failed step asks why it is done anyway" 'Why is it done anyway\?'
scr_type 'the pods came up by themselves'
scr_keys Enter
scr_like "the step is done" '^✓ 4 Wait for the pods'
like "$scr_last" '^▶ 5 Verify checkout works' "the last step is current"

# Another machine: the .jsonl alone, another state directory, by path.
scr_screen >"$tmp/before-crash"
crash
other=$tmp/other
mkdir -p "$other/home" "$other/state"
cp "$j" "$other/state/"
oj=$other/state/$id.jsonl
RBNAV_STATE_DIR=$other/state
HOME=$other/home
scr_start --operator o -r "$rb" resume "$oj"
scr_up "resume on another machine, by path" '^ LIVE  Checkout is down '
same_screen "the screen there is the same" "$tmp/before-crash"
j=$oj
is "$(last_but 0)" "incident.resume crash" "incident.resume is appended to the copy"

# Finish the incident there.
scr_keys e
scr_like "e asks for the outcome" 'End the incident: outcome'
scr_keys 1
scr_like "then a summary" 'Summary of the incident'
scr_type 'failed over to the replica'
scr_keys Enter
scr_like "then the checklist" 'Post-incident 1/2: Write the postmortem'
scr_keys y
scr_like "its second item" 'Post-incident 2/2: Update the runbook'
scr_keys n
scr_like "the incident ends" "incident $id ended \\(resolved\\)"
scr_keys q
scr_wait_exit
is "$(last_but 0)" "incident.end " "incident.end is the last event"
is "$(tail -n 1 "$j" | jq -c '[.outcome, .summary, [.checklist[].done]]')" \
    '["resolved","failed over to the replica",[true,false]]' \
    "with the outcome, the summary and the checklist"
"$RBNAV" export "$id" --format md >"$tmp/report.md" 2>"$tmp/err"
is "$?" 0 "rbnav export ID --format md exits 0"
report=$(cat "$tmp/report.md")
for step in look which scale wait; do
	like "$report" "\\| done $step(: override: [^|]*)? \\|" "the report has step $step done"
done
like "$report" '\| step verify \|' "and the last step entered"
like "$report" 'resolved' "the report has the outcome"
like "$report" 'failed over to the replica' "and the summary"
like "$report" 'resumed' "and the resumes"
"$RBNAV" verify "$id" >/dev/null 2>&1
is "$?" 0 "rbnav verify exits 0"
check "the chain holds (checked here too)" dur_chain_ok "$j"
scr_start --operator o -r "$rb" resume "$oj"
scr_wait_exit
check "an ended incident is not resumed" test "$scr_status" != 0
like "$(scr_stderr)" 'has ended' "and rbnav says it has ended"

finish
