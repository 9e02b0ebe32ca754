#!/bin/sh
# Signals and a vanishing terminal: SIGTERM, SIGINT, SIGHUP and SIGQUIT
# leave cleanly with a prompt open (status 3, terminal restored); the
# tmux server killed takes the program with it, even with SIGHUP ignored
# (and without a busy loop); Ctrl-Z suspends to the shell and fg redraws.
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/screen/lib.sh"

hz=$(getconf CLK_TCK)

for sig in TERM INT HUP QUIT; do
	case $sig in
	TERM)	name=Terminated ;;
	INT)	name=Interrupt ;;
	HUP)	name=Hangup ;;
	QUIT)	name=Quit ;;
	esac
	scr_start -r "$scr_data/incident.yaml" run scr-web/web-down
	scr_up "SIG$sig: the title question is open" '│ Incident title \(Enter to start\) +│'
	pid=$(scr_pid)
	kill -s "$sig" "$pid"
	if scr_wait_exit 5; then ok 0 "SIG$sig: rbnav leaves"; else ok 1 "SIG$sig: rbnav leaves"; fi
	is "$scr_status" 3 "SIG$sig: exit status 3"
	check "SIG$sig: the terminal settings are restored (stty -g)" scr_stty_restored
	like "$(scr_stderr)" "^rbnav: $name: leaving" "SIG$sig: says why it left"
	check "SIG$sig: no timeline was started" test -z "$(scr_journal)"
done

# A signal during an incident: it stays resumable.
scr_start -r "$scr_data/incident.yaml" run scr-web/web-down --title 'Signalled'
scr_like "an incident is running" '^ LIVE  Signalled '
pid=$(scr_pid)
kill -s TERM "$pid"
scr_wait_exit
is "$scr_status" 3 "SIGTERM during an incident: exit status 3"
like "$(scr_stderr)" "resumable" "and the incident stays resumable"
check "the terminal settings are restored" scr_stty_restored
is "$(jq -r 'select(.type == "incident.end") | .type' "$(scr_journal)" 2>/dev/null)" "" \
    "the incident is not ended by a signal"

# The terminal goes away: tmux kill-server.
gone_within() {
	scr_end=$(scr_deadline "$2")
	while scr_alive "$1"; do
		[ "$(scr_ms)" -ge "$scr_end" ] && return 1
		sleep 0.05
	done
	return 0
}
scr_start -r "$scr_data/incident.yaml" run scr-web/web-down --title 'Hangup'
scr_like "an incident is running" '^ LIVE  Hangup '
pid=$(scr_pid)
scr_tmux kill-server
check "tmux kill-server: rbnav is gone within 2 s" gone_within "$pid" 2

# The same with SIGHUP ignored (nohup): the end of input must do it, and
# without spinning on a dead terminal.
SCR_IGNORE_HUP=1 scr_start -r "$scr_data/incident.yaml" run scr-web/web-down --title 'Nohup'
scr_like "SIGHUP ignored: an incident is running" '^ LIVE  Nohup '
pid=$(scr_pid)
check "SIGHUP ignored: the program really ignores it" \
    sh -c "grep -q '^SigIgn:' /proc/$pid/status && [ \$(( 0x\$(sed -n 's/^SigIgn:[[:space:]]*//p' /proc/$pid/status) & 1 )) -eq 1 ]"
cpu0=$(scr_cpu "$pid")
cpu1=$cpu0
scr_tmux kill-server
scr_end=$(scr_deadline 2)
while scr_alive "$pid" && [ "$(scr_ms)" -lt "$scr_end" ]; do
	c=$(scr_cpu "$pid")
	[ -n "$c" ] && cpu1=$c
	sleep 0.05
done
if scr_alive "$pid"; then
	ok 1 "SIGHUP ignored: rbnav exits within 2 s of the hangup"
	c=$(scr_cpu "$pid")
	[ -n "$c" ] && cpu1=$c
else
	ok 0 "SIGHUP ignored: rbnav exits within 2 s of the hangup"
fi
check "SIGHUP ignored: < 0.1 s of CPU after the hangup (used $((cpu1 - cpu0)) ticks of 1/$hz s)" \
    test $(( (cpu1 - cpu0) * 10 )) -lt "$hz"
if scr_wait_exit 2; then
	is "$scr_status" 3 "SIGHUP ignored: exit status 3"
	like "$(scr_stderr)" "terminal went away" "SIGHUP ignored: says the terminal went away"
else
	ok 1 "SIGHUP ignored: exit status 3"
	ok 1 "SIGHUP ignored: says the terminal went away"
fi

# Ctrl-Z: the shell's prompt; fg: the same screen again.  The shell runs
# one command a line: a list would go on while rbnav is stopped.
prompt='^rbnav-test-shell\$ ?$'
scr_start_shell
scr_like "an interactive shell" "$prompt"
scr_type "stty -g >$scr_run/stty.before"
scr_keys Enter
scr_wait "$prompt" >/dev/null
scr_type "$RBNAV -r $scr_data/incident.yaml run scr-web/web-down --title Suspend-$$"
scr_keys Enter
scr_like "rbnav runs under the shell" "^ LIVE  Suspend-$$ "
scr_keys d
scr_like "a step is done" '^✓ 1 Look at the load balancer da│'
pid=$(pgrep -f "Suspend-$$" | head -n 1)
pid=${pid:-none}
before=$(scr_screen | scr_normalise)
scr_keys C-z
scr_like "Ctrl-Z: the shell's prompt appears" "$prompt"
like "$scr_last" 'Stopped' "the shell says the job is stopped"
unlike "$scr_last" 'LIVE  Suspend' "the screen is given back"
like "$(sed 's/^.*) //' /proc/"$pid"/stat 2>/dev/null | cut -c1)" '^T$' "rbnav is stopped"
scr_type "stty -g >$scr_run/stty.suspended"
scr_keys Enter
scr_wait "$prompt" >/dev/null
check "while suspended the terminal settings are the shell's" \
    cmp -s "$scr_run/stty.before" "$scr_run/stty.suspended"
scr_type fg
scr_keys Enter
scr_like "fg: rbnav is back" "^ LIVE  Suspend-$$ "
after=$(scr_screen | scr_normalise)
i=0
while [ "$after" != "$before" ] && [ $i -lt 40 ]; do
	sleep 0.05
	after=$(scr_screen | scr_normalise)
	i=$((i + 1))
done
is "$after" "$before" "fg redraws the same screen"
cpu0=$(scr_cpu "$pid")
sleep 1		# a measure over a second, not a synchronisation
cpu1=$(scr_cpu "$pid")
check "idle after fg (< 0.1 s of CPU in 1 s; used $((${cpu1:-0} - ${cpu0:-0})) ticks of 1/$hz s)" \
    test $(( (${cpu1:-0} - ${cpu0:-0}) * 10 )) -lt "$hz"
scr_keys Down
scr_like "keys work after fg" '│step 3/5 · tell · pending$'
scr_keys q
scr_like "q leaves, back to the shell" "$prompt"
scr_type "echo rbnav-exit=\$?; stty -g >$scr_run/stty.after"
scr_keys Enter
scr_like "rbnav exits 0" '^rbnav-exit=0$'
check "the terminal settings are restored after the suspension" \
    cmp -s "$scr_run/stty.before" "$scr_run/stty.after"
if scr_alive "$pid"; then
	echo "# rbnav (pid $pid) is still there after the test: killed"
	kill -9 "$pid"
fi
finish
