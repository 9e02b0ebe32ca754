#!/bin/sh
# Stopping commands: a step's timeout and Ctrl-C send SIGTERM to the
# command's whole process group, then SIGKILL after a 3-second grace
# (Ctrl-C again: SIGKILL at once).  The tree used (data/tree.sh) ignores
# SIGTERM: a leader, a background child and a grandchild whose parent
# has exited, all holding the output pipe.  After the stop every one of
# them is gone within the grace + 1 s, nothing is left in the group, and
# rbnav has no zombie children; command.cancel and command.exit record
# what happened.  A process that escaped into its own session (setsid)
# and holds the output is reported, in the pane and as `escaped` in
# command.exit.
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/screen/lib.sh"
. "$top_srcdir/tests/commands/lib.sh"

MARK=rbnav-cancel-$$
cmd_marks=$MARK-
SCR_ENV="MARK=$MARK"
cp "$cmd_data/tree.sh" "$work/tree.sh"

cmd_start "$cmd_data/cancel.yaml" cancel
scr_like "the incident starts" '^▶ 1 A command stopped at its timeout'
pid=$(scr_pid)
j=$(scr_journal)

# tree_ready L: wait for the tree "$MARK-L" to be complete; sets $leader.
tree_ready() {
	scr_wait "^ tree ready: $MARK-$1\$" 5 || return 1
	for i in $(seq 100); do
		if [ -s "$work/$MARK-$1.leader" ] &&
		    [ -n "$(cmd_marked "$MARK-$1-child")" ] &&
		    [ -n "$(cmd_marked "$MARK-$1-grandchild")" ]; then
			leader=$(cat "$work/$MARK-$1.leader")
			return 0
		fi
		sleep 0.05
	done
	return 1
}

# The processes of tree L still there: leader, child, grandchild.
tree_left() {
	echo $(cmd_marked "tree.sh $MARK-$1") $(cmd_marked "$MARK-$1-child") \
	    $(cmd_marked "$MARK-$1-grandchild")
}

# tree_gone L FROM WITHIN DESC: every process of tree L is gone at most
# WITHIN ms after FROM (ms), nothing is left in its group, and rbnav has
# no zombie children.
tree_gone() {
	gone=
	while [ "$(cmd_now)" -le $(($2 + $3 + 2000)) ]; do
		if [ -z "$(tree_left "$1")" ] && [ -z "$(cmd_group "$leader")" ]; then
			gone=$(cmd_now)
			break
		fi
		sleep 0.05
	done
	if [ -n "$gone" ]; then
		check "$4: the whole tree is gone $(($gone - $2)) ms after (within $3 ms)" \
		    test $((gone - $2)) -le "$3"
	else
		ok 1 "$4: the whole tree is gone within $3 ms"
		echo "# left: $(tree_left "$1") (group $leader: $(cmd_group "$leader"))"
	fi
	is "$(cmd_group "$leader")" "" "$4: nothing left in process group $leader"
	is "$(cmd_zombies_of "$pid")" "" "$4: no zombie children of rbnav"
}

# --- 1. A command that obeys SIGTERM, at its 1 s timeout.
t=$(cmd_now)
scr_keys Enter
scr_like "the command runs" '^ sleeping$'
cmd_wait_count command.exit 1 5
took=$(($(cmd_now) - t))
e=$(cmd_exit 1)
like "$e" '"signal":"TERM"' "stopped by SIGTERM at its timeout"
like "$e" '"timeout":true' "command.exit says it was the timeout"
ms=$(printf '%s\n' "$e" | jq .ms)
check "after about 1 s (ms $ms, seen after $took ms)" test "$ms" -ge 900 -a "$ms" -lt 2500
scr_like "the pane says it stopped at its timeout" '^ c1 [^│]*timed out'
st=$(printf '%s\n' "$scr_last" | grep '^ c1 ')
like "$st" 'timed out after 1s' "the pane shows the step's timeout (1s), not the time it ran"
like "$st" 'TERM' "the pane shows the signal (TERM)"
like "$st" ' in [0-9]+(ms|s)$' "the pane shows the duration"
cmd_wait_count step.fail 1 3
like "$(cmd_events step.fail)" '"step":"obeys-timeout","reason":"timed out after' \
    "the step failed, with the reason"

# --- 2. The tree that ignores SIGTERM, at its 1 s timeout.
scr_keys j Enter
check "tree a: leader, child and grandchild are running" tree_ready a
t=$(cmd_now)
sleep 2
check "tree a: still there 2 s after the start (SIGTERM is ignored; the grace runs)" \
    test -n "$(cmd_marked "$MARK-a-grandchild")"
# The timeout fired 1 s after the start (at most t): gone by the end of
# the grace + 1 s.
tree_gone a "$t" $((1000 + 3000 + 1000)) "timeout, SIGTERM ignored"
cmd_wait_count command.exit 2 5
e=$(cmd_exit 2)
like "$e" '"signal":"KILL"' "command.exit: killed (SIGKILL after the grace)"
like "$e" '"timeout":true' "command.exit: at its timeout"
unlike "$e" '"escaped"' "command.exit: nothing escaped"
ms=$(printf '%s\n' "$e" | jq .ms)
check "the kill came after the 3 s grace (ms $ms: 1 s + 3 s)" test "$ms" -ge 3900 -a "$ms" -lt 5500
scr_like "the pane says it stopped at its timeout" '^ c2 [^│]*timed out'
st=$(printf '%s\n' "$scr_last" | grep '^ c2 ')
like "$st" 'timed out after 1s' "the pane shows the step's timeout (1s), not the time it ran"
like "$st" 'KILL' "the pane shows the signal (KILL)"
like "$st" ' in [0-9]s$' "the pane shows the duration"

# --- 3. Ctrl-C once: SIGTERM now (ignored), SIGKILL after the grace.
scr_keys j Enter
check "tree b: leader, child and grandchild are running" tree_ready b
t=$(cmd_now)
scr_keys C-c
scr_like "the pane says SIGTERM was sent and Ctrl-C again kills" 'stopping \(SIGTERM sent; Ctrl-C again kills\)'
cmd_wait_count command.cancel 1 2
like "$(cmd_events command.cancel | sed -n 1p)" '"cmd":"c3","signal":"TERM"' \
    "command.cancel records SIGTERM"
sleep 1.5
check "tree b: still there 1.5 s after SIGTERM (ignored; the grace runs)" \
    test -n "$(cmd_marked "$MARK-b-child")"
tree_gone b "$t" $((3000 + 1000)) "Ctrl-C once"
cmd_wait_count command.exit 3 3
e=$(cmd_exit 3)
like "$e" '"signal":"KILL"' "command.exit: SIGKILL"
unlike "$e" '"timeout"' "command.exit: not a timeout"
cmd_wait_count step.fail 3 3	# the step's end is written after the exit
like "$(cmd_events step.fail | tail -n 1)" '"step":"tree-cancel","reason":"cancelled' \
    "the step failed as cancelled"
scr_like "the pane shows how it ended" '^ c3 cancelled \((KILL|TERM)\) in [0-9]s'

# --- 4. Ctrl-C twice: SIGKILL at once.
scr_keys j Enter
check "tree c: leader, child and grandchild are running" tree_ready c
scr_keys C-c
scr_wait 'stopping \(SIGTERM sent'
t=$(cmd_now)
scr_keys C-c
# At once: well before the 3 s grace that one Ctrl-C gives.  The time is
# measured through tmux and ps, slow on a loaded machine: 2 s of slack.
tree_gone c "$t" 2000 "Ctrl-C twice"
cmd_wait_count command.exit 4 3
is "$(cmd_events command.cancel | jq -c '{cmd, signal}' | tail -n 2 | tr '\n' ' ')" \
    '{"cmd":"c4","signal":"TERM"} {"cmd":"c4","signal":"KILL"} ' \
    "command.cancel records SIGTERM, then SIGKILL"
like "$(cmd_exit 4)" '"signal":"KILL"' "command.exit: SIGKILL"
is "$(jq -r 'select(.cmd == "c4") | .type' "$j" | tr '\n' ' ')" \
    "command.start command.cancel command.cancel command.exit " \
    "in the timeline: start, cancel, cancel, exit"

# --- 5. A process escapes into its own session and keeps the output.
scr_keys j Enter
check "tree d: running, with the escaped process" tree_ready d
esc=
for i in $(seq 100); do
	esc=$(cmd_marked "$MARK-d-escaped")
	[ -n "$esc" ] && break
	sleep 0.05
done
check "the escaped process is in a session of its own" \
    test -n "$esc" -a "$(ps -o sid= -p "${esc:-1}" | tr -d ' ')" = "${esc:-x}"
scr_keys C-c
scr_wait 'stopping \(SIGTERM sent'
t=$(cmd_now)
scr_keys C-c
tree_gone d "$t" 2000 "escape, the group"
cmd_wait_count command.exit 5 4
e=$(cmd_exit 5)
like "$e" '"escaped":"[^"]*'"$esc"' \(sh\) in its own session' \
    "command.exit names the escaped process ($esc)"
scr_like "the pane reports it" "still holding the output after the stop: .*$esc \\(sh\\) in its own"
check "and it was not killed (rbnav cannot reach it)" test -n "$(cmd_marked "$MARK-d-escaped")"
kill -KILL $esc 2>/dev/null
is "$(cmd_zombies_of "$pid")" "" "no zombie children of rbnav"

# --- Still usable.
scr_keys j Enter
scr_like "a command after all this runs normally" '^ still here$'
cmd_wait_count command.exit 6 3
like "$(cmd_exit 6)" '"exit":0' "and exits 0"
is "$(cmd_marked "$MARK-")" "" "no process of the test is left"

scr_keys q
scr_wait_exit
is "$scr_status" 0 "q leaves"
finish
