# Screen tests: the real rbnav in a private tmux server.
#
# Sourced after tests/lib.sh (which gives the TAP helpers and a private
# $tmp, $HOME and $RBNAV_STATE_DIR).  Every scr_start runs the program in
# a new tmux server of its own (tmux -L rbnav-$$-N -f /dev/null), at a
# fixed size, with TERM=xterm-256color and LANG=C.UTF-8, inside a small
# wrapper that records `stty -g` before and after the program, its pid
# and its exit status.  Tests wait for conditions on the captured screen
# (scr_wait), never for fixed times.
#
#   scr_start ARGS...        run "$RBNAV ARGS..." (kills the previous one)
#        SCR_COLS, SCR_ROWS  size (80x24)
#        SCR_ENV             extra NAME=VALUE words for the environment
#        SCR_CWD             working directory (default $tmp)
#        SCR_IGNORE_HUP=1    start with SIGHUP ignored (nohup)
#   scr_start_shell          an interactive sh (job control) instead;
#                            its prompt is "$scr_ps1"
#   scr_keys KEYS...         tmux send-keys (key names: Enter, Escape, C-u…)
#   scr_type TEXT            tmux send-keys -l (literal text)
#   scr_keys_type KEY TEXT   both in one tmux call, so that the program
#                            reads them in one batch
#   scr_resize COLS ROWS     resize the window
#   scr_screen               the screen now (capture-pane -p)
#   scr_fits COLS            no line of the screen is wider than COLS
#   scr_wait RE [TIMEOUT]    poll the screen every 50 ms until the ERE
#                            matches (default 5 s); the last capture is
#                            in $scr_last; on timeout the screen is
#                            printed as TAP comments and 1 returned
#   scr_wait_gone RE [T]     the same, until RE no longer matches
#   scr_like DESC RE [T]     scr_wait as a TAP assertion
#   scr_up DESC RE [T]       the same for the first screen: bails out of
#                            the whole test when it does not come, and
#                            waits for the whole frame (scr_settle)
#   scr_gone DESC RE [T]     scr_wait_gone as a TAP assertion
#   scr_wait_e, scr_like_e   the same on capture-pane -e (colours and
#                            attributes as escape sequences; $scr_esc)
#   scr_wait_exit [T]        wait for the program to exit (default 5 s);
#                            sets $scr_status
#   scr_pid                  the program's pid (waits for it)
#   scr_alive PID            the process is alive (not a zombie)
#   scr_cpu PID              its CPU time so far, in clock ticks
#   scr_stty_restored        0 when stty -g after equals before
#   scr_golden NAME          compare the screen, volatile parts replaced
#                            by tokens, with golden/NAME.txt (a TAP
#                            assertion; GENERATE=1 rewrites the file)
#   scr_kill                 kill the tmux server (done on exit too)
#   scr_clipboard            the newest tmux paste buffer: set-clipboard is
#                            on, so an OSC 52 the program writes lands there
#   scr_journal              the newest timeline (.jsonl) of the test
#   scr_events TYPE          its events of that type, one JSON object a line
#   scr_normalise            stdin to stdout, volatile parts as tokens

command -v tmux >/dev/null 2>&1 || skip_all "tmux is not installed"

scr_srcdir=$top_srcdir/tests/screen
scr_data=$scr_srcdir/data
scr_dir=$tmp/scr
mkdir -p "$scr_dir"
# Sockets in the test's own directory; never the caller's tmux.
TMUX_TMPDIR=$tmp
export TMUX_TMPDIR
unset TMUX TMUX_PANE
scr_n=0
scr_sock=
scr_socks=
scr_run=
scr_last=
scr_status=
scr_ps1='rbnav-test-shell$ '
scr_capture=scr_screen
scr_esc=$(printf '\033')

scr_cleanup() {
	scr_kill
	for s in $scr_socks; do
		tmux -L "$s" kill-server >/dev/null 2>&1
	done
	rm -rf "$tmp"
}
trap scr_cleanup EXIT
trap 'exit 129' HUP
trap 'exit 130' INT
trap 'exit 141' PIPE
trap 'exit 143' TERM

# The wrapper the pane runs: stty before, the program, stty after.
cat >"$scr_dir/wrap.sh" <<'EOF'
d=$1
shift
stty -g >"$d/stty.before" 2>/dev/null
if [ -n "$SCR_IGNORE_HUP" ]; then
	trap '' HUP
fi
sh -c 'echo $$ >"$0/pid.tmp" && mv "$0/pid.tmp" "$0/pid"; exec "$@"' \
    "$d" "$@" 2>"$d/stderr"
rc=$?
times >"$d/times" 2>/dev/null
stty -g >"$d/stty.after" 2>/dev/null
echo "$rc" >"$d/status.tmp" && mv "$d/status.tmp" "$d/status"
EOF

scr_tmux() {
	tmux -u -L "$scr_sock" -f /dev/null "$@"
}

scr_ms() {
	date +%s%3N
}

scr_new_server() {
	scr_kill
	scr_n=$((scr_n + 1))
	scr_sock=rbnav-$$-$scr_n
	scr_socks="$scr_socks $scr_sock"
	scr_run=$scr_dir/$scr_n
	mkdir -p "$scr_run"
	scr_last=
	scr_status=
}

# tmux start-server; options first, so the pane never changes size.
scr_spawn() {
	scr_tmux start-server \; set -g status off \; \
	    set -g remain-on-exit on \; set -g history-limit 0 \; \
	    set -g set-clipboard on \; \
	    new-session -d -s rbnav -x "${SCR_COLS:-80}" -y "${SCR_ROWS:-24}" \
	    -c "${SCR_CWD:-$tmp}" -- env -i PATH="$PATH" HOME="$HOME" \
	    RBNAV_STATE_DIR="$RBNAV_STATE_DIR" TERM=xterm-256color \
	    LANG=C.UTF-8 SCR_IGNORE_HUP="${SCR_IGNORE_HUP:-}" \
	    ${SCR_ENV:-} "$@"
}

scr_start() {
	scr_new_server
	scr_spawn sh "$scr_dir/wrap.sh" "$scr_run" "$RBNAV" "$@"
}

# An interactive shell with job control, for Ctrl-Z and fg.
scr_start_shell() {
	scr_new_server
	scr_spawn PS1="$scr_ps1" sh -i
}

# tmux encodes Home and End as ESC [ 1 ~ and ESC [ 4 ~ (its own terminal
# type's keys), which xterm-256color does not define: send what an xterm
# sends for them in application mode (ncurses turns keypad mode on).  All
# the keys go in one tmux command, so the program reads them together.
scr_keys() {
	scr_nk=$#
	scr_sep=
	for scr_k do
		case $scr_k in
		Home)	set -- "$@" $scr_sep send-keys -t rbnav -l -- "$(printf '\033OH')" ;;
		End)	set -- "$@" $scr_sep send-keys -t rbnav -l -- "$(printf '\033OF')" ;;
		*)	set -- "$@" $scr_sep send-keys -t rbnav -- "$scr_k" ;;
		esac
		scr_sep=';'
	done
	shift "$scr_nk"
	scr_tmux "$@"
}

scr_type() {
	scr_tmux send-keys -t rbnav -l -- "$1"
}

scr_keys_type() {
	scr_tmux send-keys -t rbnav "$1" \; send-keys -t rbnav -l -- "$2"
}

# The newest paste buffer, where OSC 52 (copy to the clipboard) ends up.
scr_clipboard() {
	scr_tmux show-buffer 2>/dev/null
}

# Resize the window (the program gets SIGWINCH).
scr_resize() {
	scr_tmux resize-window -t rbnav -x "$1" -y "$2"
}

scr_screen() {
	scr_tmux capture-pane -p -t rbnav 2>/dev/null
}

# The screen with its escape sequences (colours).
scr_screen_e() {
	scr_tmux capture-pane -p -e -t rbnav 2>/dev/null
}

scr_comment() {
	printf '%s\n' "$1" | sed 's/^/# |/'
}

scr_deadline() {
	echo $(( $(scr_ms) + $(awk -v t="${1:-5}" 'BEGIN { print int(t * 1000) }') ))
}

scr_wait() {
	scr_re=$1
	scr_end=$(scr_deadline "${2:-5}")
	while :; do
		scr_last=$($scr_capture)
		if printf '%s\n' "$scr_last" | grep -Eq -- "$scr_re"; then
			return 0
		fi
		if [ "$(scr_ms)" -ge "$scr_end" ]; then
			echo "# timed out waiting for /$scr_re/; the screen:"
			scr_comment "$scr_last"
			return 1
		fi
		sleep 0.05
	done
}

scr_wait_gone() {
	scr_re=$1
	scr_end=$(scr_deadline "${2:-5}")
	while :; do
		scr_last=$($scr_capture)
		if ! printf '%s\n' "$scr_last" | grep -Eq -- "$scr_re"; then
			return 0
		fi
		if [ "$(scr_ms)" -ge "$scr_end" ]; then
			echo "# timed out waiting for /$scr_re/ to go; the screen:"
			scr_comment "$scr_last"
			return 1
		fi
		sleep 0.05
	done
}

scr_like() {
	if scr_wait "$2" "${3:-5}"; then ok 0 "$1"; else ok 1 "$1"; fi
}

# Until two captures in a row are the same: a first frame is larger than
# one write of the terminal's, and tmux may show its top half alone.
scr_settle() {
	scr_end=$(scr_deadline 2)
	while [ "$(scr_ms)" -lt "$scr_end" ]; do
		scr_prev=$scr_last
		sleep 0.02
		scr_last=$($scr_capture)
		[ "$scr_last" = "$scr_prev" ] && return 0
	done
	return 0
}

# scr_like for the first screen after scr_start: when the program does
# not even come up, stop the test (TAP "Bail out!") instead of timing out
# on every check after it.  The whole of the first frame is in $scr_last.
scr_up() {
	if scr_wait "$2" "${3:-5}"; then
		scr_settle
		ok 0 "$1"
	else
		ok 1 "$1"
		echo "# stderr: $(scr_stderr)"
		echo "Bail out! rbnav did not come up: $1"
		exit 1
	fi
}

# The same on the screen with its escape sequences ($scr_esc is ESC).
scr_wait_e() {
	scr_capture=scr_screen_e
	scr_wait "$@"
	scr_rc=$?
	scr_capture=scr_screen
	return $scr_rc
}

scr_like_e() {
	if scr_wait_e "$2" "${3:-5}"; then ok 0 "$1"; else ok 1 "$1"; fi
}

scr_gone() {
	if scr_wait_gone "$2" "${3:-5}"; then ok 0 "$1"; else ok 1 "$1"; fi
}

scr_wait_exit() {
	scr_end=$(scr_deadline "${1:-5}")
	while [ ! -f "$scr_run/status" ]; do
		if [ "$(scr_ms)" -ge "$scr_end" ]; then
			echo "# timed out waiting for rbnav to exit; the screen:"
			scr_comment "$(scr_screen)"
			scr_status=
			return 1
		fi
		sleep 0.05
	done
	scr_status=$(cat "$scr_run/status")
	return 0
}

scr_pid() {
	scr_end=$(scr_deadline 5)
	while [ ! -s "$scr_run/pid" ]; do
		[ "$(scr_ms)" -ge "$scr_end" ] && return 1
		sleep 0.05
	done
	cat "$scr_run/pid"
}

scr_stty_restored() {
	[ -s "$scr_run/stty.before" ] && [ -s "$scr_run/stty.after" ] &&
	    cmp -s "$scr_run/stty.before" "$scr_run/stty.after"
}

scr_stderr() {
	cat "$scr_run/stderr" 2>/dev/null
}

# CPU time used by process $1 so far, in clock ticks (utime + stime).
scr_cpu() {
	sed 's/^.*) //' "/proc/$1/stat" 2>/dev/null |
	    awk '{ print $12 + $13 }'
}

# Whether process $1 is alive (a zombie is not).
scr_alive() {
	[ -r "/proc/$1/stat" ] || return 1
	case $(sed 's/^.*) //' "/proc/$1/stat" 2>/dev/null) in
	Z*|X*|'')	return 1 ;;
	esac
	return 0
}

# Kill the tmux server; the program must follow (SIGHUP, or EOF).  One
# that outlives its terminal by 2 s is a bug the tests report; it is
# killed here so that it does not linger.
scr_kill() {
	[ -n "$scr_sock" ] || return 0
	scr_tmux kill-server >/dev/null 2>&1
	if [ -s "$scr_run/pid" ]; then
		scr_p=$(cat "$scr_run/pid")
		scr_end=$(scr_deadline 2)
		while scr_alive "$scr_p" && [ "$(scr_ms)" -lt "$scr_end" ]; do
			sleep 0.05
		done
		if scr_alive "$scr_p"; then
			echo "# rbnav (pid $scr_p) outlived its terminal: killed"
			kill -9 "$scr_p" 2>/dev/null
		fi
	fi
	scr_sock=
	return 0
}

# The newest timeline file of the test.
scr_journal() {
	ls -t "$RBNAV_STATE_DIR"/*.jsonl 2>/dev/null | head -n 1
}

# Events of type $1 in the newest timeline, one JSON object a line.
scr_events() {
	j=$(scr_journal)
	[ -n "$j" ] || return 1
	jq -c --arg t "$1" 'select(.type == $t)' "$j"
}

# Replace what changes from run to run by fixed tokens.
scr_normalise() {
	sed -E \
	    -e 's/T\+[0-9]{2}:[0-9]{2}:[0-9]{2}/T+hh:mm:ss/g' \
	    -e 's/RTO \+?([0-9]{2}:)?[0-9]{2}:[0-9]{2}/RTO <rto>/g' \
	    -e 's/[0-9]{8}T[0-9]{6}Z/YYYYMMDDTHHMMSSZ/g' \
	    -e 's/[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:.]+Z/<timestamp>/g' \
	    -e 's/[0-9]{2}:[0-9]{2}:[0-9]{2}/hh:mm:ss/g'
}

# scr_golden NAME [TIMEOUT]: the screen equals golden/NAME.txt.  The
# screen is captured again until it matches or TIMEOUT (3 s) passes, so
# that a frame caught half drawn is not a failure.
scr_golden() {
	scr_gfile=$scr_srcdir/golden/$1.txt
	if [ -n "${GENERATE:-}" ]; then
		mkdir -p "$scr_srcdir/golden"
		scr_screen | scr_normalise >"$scr_gfile"
		ok 0 "golden screen $1 # generated $scr_gfile"
		return 0
	fi
	if [ ! -f "$scr_gfile" ]; then
		ok 1 "golden screen $1"
		echo "# no $scr_gfile: run with GENERATE=1"
		return 1
	fi
	scr_end=$(scr_deadline "${2:-3}")
	while :; do
		scr_screen | scr_normalise >"$scr_run/golden.$1"
		if cmp -s "$scr_gfile" "$scr_run/golden.$1"; then
			ok 0 "golden screen $1"
			return 0
		fi
		[ "$(scr_ms)" -ge "$scr_end" ] && break
		sleep 0.05
	done
	ok 1 "golden screen $1"
	diff -u "$scr_gfile" "$scr_run/golden.$1" | sed 's/^/# /'
	return 1
}

# Every line of the screen fits in $1 columns (display width).
scr_fits() {
	scr_w=$(scr_screen | LC_ALL=C.UTF-8 wc -L)
	[ "$scr_w" -le "$1" ]
}
