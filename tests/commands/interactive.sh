#!/bin/sh
# interactive: true — the screen steps aside, the command gets the real
# terminal through a pseudo-terminal (of the screen's size) whose output
# is recorded, keys typed go to the command, and when it exits the
# screen comes back exactly as it was.
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/screen/lib.sh"
. "$top_srcdir/tests/commands/lib.sh"

# The screen, normalised for comparison: clocks, command ids, durations.
screen_norm() {
	scr_screen | cmd_norm
}

# A fresh full redraw of the same state: resize the window and back.
redrawn() {
	scr_tmux resize-window -t rbnav -x $((SCR_COLS + 1)) -y "$SCR_ROWS"
	sleep 0.3
	scr_tmux resize-window -t rbnav -x "$SCR_COLS" -y "$SCR_ROWS"
	sleep 0.3
	scr_wait '^ LIVE ' >/dev/null
	screen_norm
}

# --- A question answered on the terminal.
cmd_start "$cmd_data/interactive.yaml" ask
scr_like "the incident starts" '^▶ 1 Asks a question on the terminal'
pid=$(scr_pid)
scr_keys Enter
scr_like "the command asks on the terminal" '^answer:'
unlike "$scr_last" '^ LIVE ' "the screen stepped aside"
scr_type 42
scr_keys Enter
scr_like "the screen comes back when it exits" '^✓ 1 Asks a question on the terminal'
like "$(cat "$(cmd_capture c1)")" 'got:42' "the capture has the command's output (got:42)"
like "$(cat "$(cmd_capture c1)")" 'answer: 42' "and the echo of what was typed, as script(1) records it"
like "$(cmd_events command.start)" '"interactive":true' "command.start says interactive"
like "$(cmd_exit 1)" '"exit":0' "command.exit: exit 0"
like "$(cmd_exit 1)" '"tail":\[[^]]*"got:42"' "the tail has its output"
after=$(screen_norm)
unlike "$after" '^(answer|got):' "nothing of the command is left on the screen outside the output pane"
fresh=$(redrawn)
is "$after" "$fresh" "the screen is whole: the same as a full redraw of it"
if [ "$after" != "$fresh" ]; then
	printf '%s\n' "$after" >"$tmp/after"
	printf '%s\n' "$fresh" >"$tmp/fresh"
	diff "$tmp/after" "$tmp/fresh" | sed 's/^/# /'
fi
scr_keys Tab
cmd_left_output "keys work again afterwards (Tab: another pane)"
scr_keys d
scr_like "and act on the incident (d: the next step done)" '^✓ 2 The next step' 2
is "$(cmd_zombies_of "$pid")" "" "no zombie children of rbnav"
scr_keys q
scr_wait_exit 3
is "$scr_status" 0 "q leaves"
check "the terminal's modes are as they were" scr_stty_restored

# --- The pseudo-terminal has the screen's size.
cmd_start "$cmd_data/interactive.yaml" size
scr_wait '^▶ 1 Sees a terminal'
scr_keys Enter
cmd_wait_count command.exit 1 5
scr_like "back after stty size" '^✓ 1 Sees a terminal of the screen'
out=$(cat "$(cmd_capture c1)")
like "$out" "^$SCR_ROWS $SCR_COLS" "stty size in the command: $SCR_ROWS $SCR_COLS"
like "$out" '/dev/pts/' "its stdin is a terminal"

# --- A password prompt is seen before anything is typed.
cmd_start "$cmd_data/interactive.yaml" password
scr_wait '^▶ 1 Asks for a password'
scr_keys Enter
scr_like "the password prompt shows on the terminal at once" '^Password:'
scr_type hunter2
scr_keys Enter
scr_like "the screen comes back" '^✓ 1 Asks for a password'
out=$(cat "$(cmd_capture c1)")
like "$out" 'length 7' "the command read the password"
unlike "$out" 'hunter2' "not echoed, so not in the capture"

# --- Before and after: the same screen.
cmd_start "$cmd_data/interactive.yaml" again
scr_wait '^▶ 1 Fails every time'
scr_keys Enter
scr_wait '^again:' && scr_type x && scr_keys Enter
scr_like "a step that fails on purpose" '^✗ 1 Fails every time'
scr_wait '^ c1 exit 0 in'
sleep 0.3
before=$(screen_norm)
scr_keys Enter
if scr_wait '^again:' 3; then
	ok 0 "it asks again"
	scr_type x
	scr_keys Enter
	scr_wait '^ c2 exit 0 in'
	sleep 0.3
	after=$(screen_norm)
	is "$after" "$before" "the screen after an interactive command is the screen before it (modulo the clock)"
	if [ "$after" != "$before" ]; then
		printf '%s\n' "$before" >"$tmp/before"
		printf '%s\n' "$after" >"$tmp/after"
		diff "$tmp/before" "$tmp/after" | sed 's/^/# /'
	fi
else
	ok 1 "it asks again"
	ok 1 "the screen after an interactive command is the screen before it # not reached"
fi
finish
