#!/bin/sh
# o opens the whole capture of the last command in $PAGER (less -R when
# unset), on the real terminal; the pager gets the keys, and when it
# exits the screen comes back as it was and the keys are rbnav's again.
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/screen/lib.sh"
. "$top_srcdir/tests/commands/lib.sh"

mkdir -p "$tmp/bin"
# A pager that records what it was given, shows a line and waits for a
# line from the terminal (which it records too).
cat >"$tmp/bin/waitpager" <<EOF
#!/bin/sh
printf '%s\n' "\$@" >"$tmp/pager.args"
cat "\$1" >"$tmp/pager.content"
printf 'FAKE-PAGER-SHOWS %s\n' "\$1"
read -r line
printf '%s\n' "\$line" >"$tmp/pager.read"
EOF
# One that copies the file and exits at once.
cat >"$tmp/bin/quickpager" <<EOF
#!/bin/sh
cat "\$1" >"$tmp/quick.content"
EOF
chmod +x "$tmp/bin/waitpager" "$tmp/bin/quickpager"

screen_norm() {
	scr_screen | cmd_norm
}

# --- A pager that waits for a line.
SCR_ENV="PAGER=$tmp/bin/waitpager"
cmd_start "$cmd_data/pager.yaml" pager
scr_like "the incident starts" '^▶ 1 Prints a few lines'
pid=$(scr_pid)
scr_keys o
scr_like "o before any command says there is nothing to open" 'no command output to open yet'
scr_keys Enter
scr_like "the command runs" '^ c1 exit 0 in'
sleep 0.3
before=$(screen_norm)
scr_keys o
scr_like "o runs \$PAGER on the capture file, on the terminal" '^FAKE-PAGER-SHOWS /'
unlike "$scr_last" '^ LIVE ' "the screen stepped aside"
cap=$(cmd_capture c1)
is "$(cat "$tmp/pager.args" 2>/dev/null)" "$cap" "the pager got the capture file's path"
check "the pager read the whole capture" cmp -s "$tmp/pager.content" "$cap"
scr_type 'q typed into the pager'
scr_keys Enter
scr_like "the screen comes back when the pager exits" '^ LIVE '
is "$(cat "$tmp/pager.read" 2>/dev/null)" 'q typed into the pager' "the pager got the keys"
sleep 0.3
after=$(screen_norm)
is "$after" "$before" "the screen is as it was before o"
if [ "$after" != "$before" ]; then
	printf '%s\n' "$before" >"$tmp/before"
	printf '%s\n' "$after" >"$tmp/after"
	diff "$tmp/before" "$tmp/after" | sed 's/^/# /'
fi
check "rbnav did not take the q typed into the pager (still running)" kill -0 "$pid"
scr_keys Tab
cmd_left_output "keys are rbnav's again (Tab: another pane)" 3
scr_keys q
scr_wait_exit 3
is "$scr_status" 0 "q leaves"

# --- A pager that exits at once.
SCR_ENV="PAGER=$tmp/bin/quickpager"
cmd_start "$cmd_data/pager.yaml" pager
scr_wait '^▶ 1 Prints a few lines'
scr_keys Enter
scr_wait '^ c1 exit 0 in'
scr_keys o
for i in $(seq 60); do
	[ -s "$tmp/quick.content" ] && break
	sleep 0.05
done
check "the pager ran" cmp -s "$tmp/quick.content" "$(cmd_capture c1)"
scr_like "the screen is back" '^ LIVE '
scr_keys d
scr_like "keys work (d marks the next step done)" '^✓ 2 The next step' 3
scr_keys q
scr_wait_exit 3

# --- $PAGER unset: less -R.
if command -v less >/dev/null 2>&1; then
	SCR_ENV=
	cmd_start "$cmd_data/pager.yaml" pager
	scr_wait '^▶ 1 Prints a few lines'
	scr_keys Enter
	scr_wait '^ c1 exit 0 in'
	scr_keys o
	scr_like "without \$PAGER, less shows the capture" '^captured three$'
	like "$(scr_screen_e | grep 'red')" "$(printf '\033')\\[[0-9;]*31mred" "with its colours (-R)"
	scr_keys q
	scr_like "q leaves less and the screen comes back" '^ LIVE '
	scr_keys Tab
	cmd_left_output "keys are rbnav's again (Tab: another pane)" 3
else
	ok 0 "less shows the capture # SKIP less is not installed"
fi
finish
