#!/bin/sh
# A command runs in its own session, without a controlling terminal,
# with stdin from /dev/null and stdout and stderr on one pipe: so a
# password prompt (python's getpass, sudo, a read, /dev/tty) fails at
# once, within 2 s, and the step fails instead of hanging.
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/screen/lib.sh"
. "$top_srcdir/tests/commands/lib.sh"

py=$(command -v python3 2>/dev/null)
[ -n "$py" ] || skip_all "python3 is not installed"
SCR_ENV="PY=$py"
# sudo asks root for no password: as root, the sudo step runs as nobody.
sudo_as=
if [ "$(id -u)" = 0 ] && command -v runuser >/dev/null 2>&1; then
	sudo_as="runuser -u nobody --"
	SCR_ENV="$SCR_ENV SUDO_AS=nobody"
fi

cmd_start "$cmd_data/password.yaml" password
scr_like "the incident starts" '^▶ 1 Where the command runs'
pid=$(scr_pid)

# run_fails N STEP DESC: Enter, then the command ends within 2 s with a
# non-zero status and the step fails.
run_fails() {
	t=$(cmd_now)
	scr_keys Enter
	if cmd_wait_count command.exit "$1" 4; then
		took=$(($(cmd_now) - t))
		e=$(cmd_exit "$1")
		ms=$(printf '%s\n' "$e" | jq .ms)
		check "$3: over within 2 s (ms $ms; $took ms from the key)" \
		    test "$ms" -lt 2000 -a "$took" -lt 2000
		like "$e" '"exit":[1-9][0-9]*' "$3: exits non-zero"
		like "$(cmd_events step.fail | tail -n 1)" "\"step\":\"$2\"" "$3: the step failed"
	else
		ok 1 "$3: over within 2 s"
		ok 1 "$3: exits non-zero"
		ok 1 "$3: the step failed"
		scr_keys C-c C-c
		cmd_wait_count command.exit "$1" 3
	fi
}

# --- Where the command runs.
scr_keys Enter
cmd_wait_count command.exit 1 5
out=$(cat "$(cmd_capture c1)")
set -- $(printf '%s\n' "$out" | sed -n 's/^pid=\([0-9]*\) pgrp=\([0-9]*\) sid=\([0-9]*\) tty=\([0-9-]*\)$/\1 \2 \3 \4/p')
check "the command leads its own process group ($*)" test -n "$1" -a "$1" = "$2"
check "and its own session" test -n "$1" -a "$1" = "$3"
is "${4:-}" 0 "it has no controlling terminal (tty_nr 0)"
is "$(printf '%s\n' "$out" | sed -n 's/^stdin=//p')" /dev/null "stdin is /dev/null"
so=$(printf '%s\n' "$out" | sed -n 's/^stdout=//p')
like "$so" '^pipe:\[[0-9]+\]$' "stdout is a pipe"
is "$(printf '%s\n' "$out" | sed -n 's/^stderr=//p')" "$so" "stderr is the same pipe"
like "$out" 'not a tty' "tty(1) says: not a tty"
scr_like "the step is done" '^✓ 1 Where the command runs'

# --- Password prompts.
run_fails 2 getpass "python getpass"
# Without a terminal getpass warns and reads stdin: /dev/null, EOF.
scr_like "getpass found no terminal and read EOF from stdin" '^ EOFError'
like "$(printf '%s\n' "$scr_last" | tail -n 1)" '^ Up/k move .* \? help$' \
    "nothing was written over the screen (the hints line is intact)"
like "$(cat "$RBNAV_STATE_DIR"/*.d/c2.out 2>/dev/null)" 'GetPassWarning' \
    "its warning is in the capture file"
scr_keys j
run_fails 3 read "sh read"
scr_keys j
run_fails 4 dev-tty "opening /dev/tty"
like "$(cmd_exit 4)" '/dev/tty' "the error names /dev/tty"
scr_keys j
if ! command -v sudo >/dev/null 2>&1; then
	ok 0 "sudo asks for a password # SKIP sudo is not installed"
elif [ "$(id -u)" = 0 ] && [ -z "$sudo_as" ]; then
	ok 0 "sudo asks for a password # SKIP root, and no runuser to be nobody"
elif $sudo_as sudo -n true >/dev/null 2>&1; then
	ok 0 "sudo asks for a password # SKIP sudo asks no password here (NOPASSWD)"
else
	run_fails 5 sudo "sudo -k true${sudo_as:+ (as nobody)}"
	like "$(cat "$RBNAV_STATE_DIR"/*.d/c5.out 2>/dev/null)" 'sudo: .*(terminal is required|password)' \
	    "sudo said why: no terminal to ask the password on"
fi
is "$(cmd_zombies_of "$pid")" "" "no zombie children of rbnav"

scr_keys q
scr_wait_exit
is "$scr_status" 0 "q leaves"
finish
