#!/bin/sh
# Output streams into the output pane as it comes: in order, both
# streams on one pipe, a partial line shown before its end arrives.  The
# pane shows the exit status and duration; expect and expect_exit decide
# success, a miss says which pattern missed, and an override (d on the
# failed step) is recorded with its reason.  The confirmation a step
# asks for is on disk before the command runs, and so is command.start.
# SGR colours are kept (stripped under --no-color); every other escape
# is neutralised: no title, no clear, no clipboard.  The capture file is
# byte for byte what the command printed, and command.exit's
# output_sha256 and output_bytes describe it.  Scrollback: follow mode,
# PgUp/PgDn, / search, 10,000 lines kept.
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/screen/lib.sh"
. "$top_srcdir/tests/commands/lib.sh"

esc=$(printf '\033')
cp "$cmd_data/escapes.sh" "$work/"
mkdir -p "$work/sub dir"

# sha256 and size of capture $1 match command.exit $2 (1-based).
capture_described() {
	c=$(cmd_capture "$1")
	e=$(cmd_exit "$2")
	is "$(printf '%s\n' "$e" | jq -r .output_sha256)" \
	    "$(sha256sum <"$c" | cut -d' ' -f1)" "$1: output_sha256 is the SHA-256 of the capture file"
	is "$(printf '%s\n' "$e" | jq -r .output_bytes)" "$(cmd_size "$c")" \
	    "$1: output_bytes is its size"
	is "$(printf '%s\n' "$e" | jq -r .output_file)" \
	    "$(basename "$(scr_journal)" .jsonl).d/$1.out" "$1: output_file names it"
}

# The status line of the output pane.
status_line() {
	printf '%s\n' "$scr_last" | grep -E "^ c[0-9]+ " | head -n 1
}

cmd_start "$cmd_data/streaming.yaml" stream
scr_like "the incident starts" '^▶ 1 Lines, both streams, a partial line'
j=$(scr_journal)

# --- Order, both streams, a partial line.
scr_keys Enter
cmd_lines "the output comes as it is printed, stderr between the stdout lines" \
    "$(printf ' line one\n to stderr\n line three')"
scr_like "the partial line is shown before the rest of it arrives" '^ half-$'
like "$(printf '%s\n' "$scr_last" | grep -A1 '^ line three$' | tail -n 1)" '^ half' \
    "it comes right after the lines before it"
like "$(status_line)" '^ c1 running \(pid [0-9]+\)' "the command is still running"
is "$(cmd_count command.exit)" 0 "no command.exit yet"
: >"$work/go.partial"
scr_like "the rest of the line arrives" '^ half-rest$'
scr_like "the pane shows the exit status and duration" '^ c1 exit 0 in [0-9]+m?s'
is "$(cat "$(cmd_capture c1)")" "$(printf 'line one\nto stderr\nline three\nhalf-rest')" \
    "the capture file has it all, in order"
like "$(cmd_exit 1)" '"exit":0' "command.exit: exit 0"
like "$(cmd_exit 1)" '"tail":\["line one","to stderr","line three","half-rest"\]' \
    "command.exit: the tail"
like "$(cmd_exit 1)" '"ms":[0-9]+' "command.exit: ms"
unlike "$(cmd_exit 1)" '"expect"' "command.exit: no expect key without expect"
capture_described c1 1
is "$(jq -r 'select(.cmd == "c1") | .type' "$j" | tr '\n' ' ')" "command.start command.exit " \
    "command.start comes before command.exit in the file"
is "$(jq -c 'select(.type == "command.start") | {step, command, cmd}' "$j" | head -n 1 | jq -r .step)" \
    order "command.start names the step"

# --- Exit 7: failed, then overridden with a reason.
scr_like "step 2 is current" '^▶ 2 Exits 7'
scr_keys Enter
scr_like "exit 7 is shown, with what was expected" '^ c2 exit 7 in [0-9]+m?s: exit 7, expected 0'
like "$(cmd_exit 2)" '"exit":7' "command.exit: exit 7"
is "$(cmd_events command.start | sed -n 2p | jq -c '{step, command, cmd}')" \
    '{"step":"exit7","command":"echo bye; exit 7","cmd":"c2"}' \
    "command.start: step, command, cmd"
is "$(cmd_events step.fail | jq -c '{step, reason}')" \
    '{"step":"exit7","reason":"exit 7, expected 0"}' "step.fail with the reason"
like "$scr_last" '^✗ 2 Exits 7' "the step is marked failed and stays current"
scr_keys d
scr_like "d on the failed step asks why it is done anyway" 'The step failed\. Why is it done anyway\?'
scr_keys Enter
scr_like "an override needs a reason" 'an override needs a reason'
scr_type 'checked by hand'
scr_keys Enter
scr_like "the override is accepted" '^✓ 2 Exits 7'
is "$(cmd_events step.done | jq -c 'select(.step == "exit7") | {step, reason}')" \
    '{"step":"exit7","reason":"override: checked by hand"}' \
    "step.done recorded with reason \"override: …\""

# --- expect matched.
scr_like "step 3 is current" '^▶ 3 Output matches'
scr_keys Enter
scr_like "expect matched: done" '^✓ 3 Output matches'
like "$(cmd_exit 3)" '"exit":0' "command.exit: exit 0"
like "$(cmd_exit 3)" '"expect":"matched"' "command.exit: expect matched"
is "$(cmd_events step.done | jq -c 'select(.step == "expect-ok")' | jq -c 'has("reason")')" \
    false "step.done without a reason"

# --- expect missed: failed, the pattern shown; overridden.
scr_keys Enter
scr_like "expect missed: the pane says which pattern" '^ c4 exit 0 in [0-9]+m?s: output did not match /service: healthy/'
like "$(cmd_exit 4)" '"expect":"missed"' "command.exit: expect missed"
is "$(cmd_events step.fail | jq -c 'select(.step == "expect-miss") | .reason')" \
    '"output did not match /service: healthy/"' "step.fail names the pattern"
like "$scr_last" '^✗ 4 Output does not match' "the step is failed"
scr_keys d
scr_wait 'Why is it done anyway'
scr_type 'degraded is fine for now'
scr_keys Enter
scr_like "overridden" '^✓ 4 Output does not match'
is "$(cmd_events step.done | jq -r 'select(.step == "expect-miss") | .reason')" \
    'override: degraded is fine for now' "the override reason is recorded"

# --- expect_exit 3.
scr_keys Enter
scr_like "exit 3 with expect_exit 3: done" '^✓ 5 Exit 3 expected'
like "$(cmd_exit 5)" '"exit":3' "command.exit: exit 3"
like "$(cmd_exit 5)" '"expect":"matched"' "command.exit: expect matched"

# --- expect matched but the exit status is wrong.
scr_keys Enter
scr_like "matched output, wrong exit: failed" '^ c6 exit 1 in [0-9]+m?s: exit 1, expected 0'
like "$(cmd_exit 6)" '"expect":"matched"' "command.exit: expect matched all the same"
like "$scr_last" '^✗ 6 Output matches, exit does not' "the step is failed"

# --- confirm: no, then yes; on disk before the command.
scr_keys j Enter
scr_like "confirm asks y/N with the command" 'Run this command\? grep -c'
scr_keys n
scr_like "n: not run" 'not run'
is "$(cmd_events confirm | jq -c '{step, answer}')" '{"step":"confirmed","answer":"no"}' \
    "the no is recorded"
is "$(cmd_count command.start)" 6 "nothing was started"
scr_keys Enter
scr_wait 'Run this command\?'
scr_keys y
scr_like "y runs it" '^✓ 7 Asks y/N first'
like "$(cmd_exit 7)" '"expect":"matched"' \
    "the command found its confirm (yes) already on disk"
is "$(jq -r 'select(.type == "confirm" or .type == "command.start") | .type' "$j" | tail -n 2 | tr '\n' ' ')" \
    "confirm command.start " "confirm comes before command.start"

# --- danger: the step id typed.
scr_keys Enter
scr_like "danger asks for the step id" 'Type the step id "danger-step"'
scr_type danger-step
scr_keys Enter
scr_like "typed right: it runs and finds its confirm on disk" '^✓ 8 Destructive'
is "$(cmd_events confirm | tail -n 1 | jq -c '{step, answer, typed}')" \
    '{"step":"danger-step","answer":"yes","typed":true}' "confirm records typed: true"

# --- command.start on disk before the command starts.
scr_keys Enter
scr_like "the command counts its own command.start in the timeline file" '^✓ 9 command.start is on disk'
like "$(cmd_exit 9)" '"tail":\["1"\]' "it printed 1"

# --- workdir.
scr_keys Enter
scr_like "workdir: the command runs there" '^✓ 10 Runs in its workdir'
is "$(cat "$(cmd_capture c10)")" "$work/sub dir" "pwd printed the workdir"

# --- Escapes: colours kept, the rest neutralised.
title0=$(scr_tmux display -p -t rbnav '#{pane_title}')
scr_tmux set -g set-clipboard on
scr_keys Enter
scr_like "the escapes step ends" '^ c11 exit 0 in'
cmd_lines "the lines are there, in order, without the escapes" \
    "$(printf ' before-clear\n RED GREEN ORANGE plain\n moved up right\n bell done\n after-clear')"
screen_e=$(scr_screen_e)
like "$(printf '%s\n' "$screen_e" | grep 'RED')" "${esc}\\[[0-9;]*31m(${esc}\\[[0-9;]*m)*RED" \
    "SGR red is kept (capture-pane -e)"
like "$(printf '%s\n' "$screen_e" | grep 'RED')" "${esc}\\[[0-9;]*32m(${esc}\\[[0-9;]*m)*GREEN" \
    "SGR green is kept"
like "$(printf '%s\n' "$screen_e" | grep 'RED')" "${esc}\\[[0-9;]*38;5;208m(${esc}\\[[0-9;]*m)*ORANGE" \
    "SGR 256-colour is kept"
title1=$(scr_tmux display -p -t rbnav '#{pane_title}')
unlike "$title1" 'PWNED' "an OSC title does not change the pane title ($title1)"
is "$title1" "$title0" "the pane title is unchanged"
like "$scr_last" '^ LIVE  T  \(cmd-stream › stream\)' "ESC [2J did not clear the screen: the header is there"
like "$scr_last" '^ before-clear$' "and the line printed before the clear is still in the pane"
like "$scr_last" '^─ Output ' "ESC [?1049l did not leave the screen"
is "$(scr_tmux list-buffers -F '#{buffer_sample}' 2>/dev/null | grep -c pwned)" 0 \
    "OSC 52 did not reach the clipboard"
is "$(scr_tmux display -p -t rbnav '#{mouse_any_flag}')" 0 "ESC [?1000h did not turn mouse reporting on"
sh "$cmd_data/escapes.sh" >"$tmp/escapes.expected"
check "the capture file is byte for byte what the command printed" \
    cmp -s "$(cmd_capture c11)" "$tmp/escapes.expected"
capture_described c11 11
like "$(cmd_exit 11)" '"tail":\["before-clear","RED GREEN ORANGE plain","moved up right","bell done","after-clear"\]' \
    "the tail in command.exit has no escapes"

# --- Any bytes: the capture is identical, the screen survives.
# Every byte value, invalid UTF-8, CR, NUL, 64 kB of (seeded) random
# bytes, a string terminator (BEL, ST: the random bytes may have opened
# an OSC string), sequences that would leave or clear the screen, and a
# last line without a newline.
python3 -c '
import random, sys
b = bytes(range(256)) * 8
b += b"\xff\xfe\xc3(\xe2\x82 invalid utf-8\r\nlone cr\rtab\there\x00nul\n"
b += bytes(random.Random(20261126).getrandbits(8) for _ in range(65536))
b += b"\a\033\\\n\033[?1049l\033[2Jend without newline"
sys.stdout.buffer.write(b)' >"$work/payload.bin"
scr_keys Enter
scr_like "any bytes: the command ends" '^ c12 exit 0 in' 10
check "the capture file is byte for byte what the command printed" \
    cmp -s "$(cmd_capture c12)" "$work/payload.bin"
capture_described c12 12
like "$scr_last" '^ LIVE  T  \(cmd-stream › stream\)' "the header is still there"
like "$scr_last" '^─ Output ' "the bottom pane is still there"
like "$scr_last" '^ end without newline$' "the last line, without a newline, is shown"
like "$scr_last" 'Enter run/open' "the hints are still there"
is "$(scr_screen | wc -l | tr -d ' ')" 30 "the screen is 30 lines"

# --- 20,000 lines: follow, PgUp/PgDn, search, 10,000 kept.
scr_keys Enter
scr_like "seq 1 20000 ends" '^ c13 exit 0 in'
cmd_lines "the pane follows the end" "$(printf ' 19998\n 19999\n 20000')"
scr_keys PPage
scr_like "PgUp scrolls back 5 lines" ' 5 lines below \(PgDn\)'
like "$scr_last" '^ 19995 ' "the last line shown is 19995"
unlike "$scr_last" '^ 20000$' "20000 is out of view"
scr_keys PPage
scr_like "PgUp again" ' 10 lines below \(PgDn\)'
scr_keys NPage NPage
scr_gone "PgDn back to the end" 'lines below'
like "$scr_last" '^ 20000$' "following again"
scr_keys /
scr_like "/ searches the output" 'Search the output'
scr_type '^12345$'
scr_keys Enter
scr_like "the match is brought into view" '^ 12345 *$'
unlike "$scr_last" '^ 20000$' "scrolled back to it"
like "$(scr_screen_e | grep ' 12345')" "$esc\\[" "the matching line is highlighted"
scr_keys /
scr_wait 'Search the output'
scr_type '^10001$'
scr_keys Enter
scr_like "the oldest line kept (10001) is found" '^ 10001 *$'
scr_keys /
scr_wait 'Search the output'
scr_type '^10000$'
scr_keys Enter
scr_like "10,000 lines are kept: 10000 is gone from the pane" 'no output line matches \^10000\$'
is "$(wc -l <"$(cmd_capture c13)" | tr -d ' ')" 20000 "the capture file has all 20,000 lines"
is "$(cmd_exit 13 | jq -r '.tail | length')" 20 "command.exit: a tail of 20 lines"
is "$(cmd_exit 13 | jq -r '.tail[19]')" 20000 "ending with the last line"

# --- Scrolled back while output comes: the view stays.
scr_keys Enter
scr_like "the follow step prints its first lines" '^ early 50$'
scr_keys PPage
scr_like "scrolled back" ' 5 lines below \(PgDn\)'
like "$scr_last" '^ early 45 ' "early 45 is the last line shown"
view0=$(printf '%s\n' "$scr_last" | grep -E '^ early ' | sed 's/  *[0-9]* lines below.*//')
: >"$work/go.follow"
scr_wait '(later 20|25 lines below)'
sleep 0.3
scr_wait '.'
view1=$(printf '%s\n' "$scr_last" | grep -E '^ (early|later) ' | sed 's/  *[0-9]* lines below.*//')
is "$view1" "$view0" "new output does not move a scrolled-back view"
like "$scr_last" ' 25 lines below \(PgDn\)' "the count of lines below grows"
scr_keys NPage NPage NPage NPage NPage NPage
scr_like "PgDn back to the end: following" '^ later 20$'
: >"$work/end.follow"
scr_like "it ends" '^ c14 exit 0 in'

# --- Killed by a signal of its own.
scr_like "the last step is current" '^▶ 15 Killed by a signal'
scr_keys Enter
scr_like "the pane shows the signal and the duration" '^ c15 [^│]*(SIG)?TERM[^│]* in [0-9]+m?s'
like "$(cmd_exit 15)" '"signal":"TERM"' "command.exit: signal TERM"
unlike "$(cmd_exit 15)" '"exit":' "and no exit status"
like "$(cmd_events step.fail | tail -n 1)" '"step":"signalled"' "the step failed"

# --- CR LF split between two writes: still one line (as on a terminal).
scr_keys j Enter
scr_like "the CRLF step runs" '^ c16 running'
sleep 0.3
: >"$work/go.crlf"
scr_like "it ends" '^ c16 exit 0 in'
cmd_lines "the line before a CR LF split across two reads is kept" "$(printf ' abc\n next')"
like "$(cmd_exit 16)" '"tail":\["abc","next"\]' "and in command.exit's tail"
is "$(od -An -c "$(cmd_capture c16)" | tr -s ' ')" "$(printf 'abc\r\nnext\n' | od -An -c | tr -s ' ')" \
    "the capture has the bytes as printed"

scr_keys q
scr_wait_exit
is "$scr_status" 0 "q leaves"

# --- Under --no-color, SGR is stripped.
cmd_start "$cmd_data/streaming.yaml" mono --no-color
scr_like "a second incident, without colours" '^▶ 1 Colours stripped'
scr_keys Enter
scr_like "the escapes step ends" '^ c1 exit 0 in'
line=$(scr_screen_e | grep 'RED GREEN')
like "$line" 'RED GREEN ORANGE plain' "the text is there"
unlike "$line" "${esc}\\[[0-9;]*(31|32|38;5;208)m" "without its colours"
scr_keys q
scr_wait_exit
finish
