# Command-runner tests: helpers on top of tests/lib.sh (TAP, private
# $tmp, $HOME and $RBNAV_STATE_DIR) and tests/screen/lib.sh (the real
# rbnav in a private tmux server, scr_* helpers).  Source all three, in
# that order.
#
#   cmd_start FIXTURE SCENARIO [ARGS...]
#                            rbnav -r FIXTURE run SCENARIO --title T
#                            --operator tester, at 100x30, working
#                            directory $work (a fresh folder in $tmp:
#                            commands write their files there)
#   cmd_events TYPE          events of that type, one JSON object a line
#   cmd_count TYPE           how many there are
#   cmd_wait_count TYPE N [T]  wait (poll 50 ms, default 10 s) until at
#                            least N events of TYPE are on disk
#   cmd_exit N               the N-th command.exit (1-based), compact JSON
#   cmd_capture ID           path of the capture file of command ID (c1…)
#   cmd_now                  milliseconds (monotonic enough: date +%s%3N)
#   cmd_rss PID              VmRSS of PID in kB
#   cmd_group PGID           processes (not zombies) left in group PGID
#   cmd_marked MARK          pids whose command line contains MARK
#   cmd_zombies_of PPID      zombie children of PPID
#   cmd_wait_unmarked MARK [T] wait until no process carries MARK
#   cmd_reap_marked MARK     SIGKILL every pid cmd_marked finds (cleanup)
#   cmd_norm                 sed filter: clock, durations, command ids
#   cmd_has_lines NEEDLE     stdin has NEEDLE's lines, consecutive, whole
#   cmd_lines DESC NEEDLE [T]  the screen gets those lines (TAP)
#   cmd_left_output DESC [T] after Tab: rbnav's screen, not the output
#                            pane (TAP)
#   cmd_asan                 0 when $RBNAV has AddressSanitizer
#   cmd_io PID FIELD         a field of /proc/PID/io (rchar, syscr…)
#   cmd_size FILE            its size in bytes (0 when missing)
#   cmd_keylat ARGS…         keylat.py on this test's tmux server
#   cmd_fig SUMMARY NAME     NAME=VALUE out of keylat.py's summary
#   cmd_lt A B               A < B (decimals)
#
# cmd_marks (words) are markers of processes the test starts: whatever
# still carries one at exit is killed, and so is an rbnav it started
# that is still running.

cmd_dir=$top_srcdir/tests/commands
cmd_data=$cmd_dir/data
work=$tmp/work
mkdir -p "$work"
SCR_COLS=100
SCR_ROWS=30
SCR_CWD=$work
cmd_marks=

command -v jq >/dev/null 2>&1 || skip_all "jq is not installed"

# Kill what a test left running, by pid (found by the test's own unique
# marker), before the screen library removes $tmp.
cmd_cleanup() {
	for m in $cmd_marks; do
		cmd_reap_marked "$m"
	done
	# An rbnav that stopped answering would outlive its tmux server:
	# each one the test started, if that pid is still rbnav.
	cmd_exe=$(readlink -f "$RBNAV")
	for f in "$scr_dir"/*/pid; do
		[ -s "$f" ] || continue
		p=$(cat "$f")
		[ ! -f "${f%/pid}/status" ] &&
		    [ "$(readlink "/proc/$p/exe" 2>/dev/null)" = "$cmd_exe" ] &&
		    kill -KILL "$p" 2>/dev/null
	done
	scr_cleanup
}
trap cmd_cleanup EXIT

cmd_jrn=

# The timeline of the rbnav cmd_start started last (not one that an
# rbnav stopped before it wrote to last).
scr_journal() {
	if [ -n "$cmd_jrn" ]; then
		printf '%s\n' "$cmd_jrn"
	else
		ls -t "$RBNAV_STATE_DIR"/*.jsonl 2>/dev/null | head -n 1
	fi
}

cmd_start() {
	cmd_fixture=$1
	cmd_scenario=$2
	shift 2
	# The previous rbnav is gone before the next one starts.
	if [ -n "$scr_run" ] && [ -s "$scr_run/pid" ]; then
		cmd_old=$(cat "$scr_run/pid")
		scr_kill
		for cmd_i in $(seq 60); do
			kill -0 "$cmd_old" 2>/dev/null || break
			sleep 0.05
		done
	fi
	mkdir -p "$RBNAV_STATE_DIR"
	ls "$RBNAV_STATE_DIR"/*.jsonl >"$tmp/journals.before" 2>/dev/null
	cmd_jrn=
	scr_start -r "$cmd_fixture" run "$cmd_scenario" --title T \
	    --operator tester "$@"
	# A loaded machine may take a while to start it: wait (quietly) for
	# the header before the test's own checks.
	scr_wait '^ LIVE ' 15 >/dev/null
	for cmd_i in $(seq 100); do
		cmd_jrn=$(ls "$RBNAV_STATE_DIR"/*.jsonl 2>/dev/null |
		    grep -vxF -f "$tmp/journals.before" | head -n 1)
		[ -n "$cmd_jrn" ] && break
		sleep 0.05
	done
}

cmd_now() {
	date +%s%3N
}

cmd_events() {
	cmd_j=$(scr_journal)
	[ -n "$cmd_j" ] || return 0
	jq -c --arg t "$1" 'select(.type == $t)' "$cmd_j" 2>/dev/null
}

cmd_count() {
	cmd_events "$1" | wc -l | tr -d ' '
}

cmd_wait_count() {
	cmd_end=$(( $(cmd_now) + $(awk -v t="${3:-10}" 'BEGIN { print int(t * 1000) }') ))
	while [ "$(cmd_count "$1")" -lt "$2" ]; do
		if [ "$(cmd_now)" -ge "$cmd_end" ]; then
			echo "# timed out waiting for $2 $1 event(s); the screen:"
			scr_comment "$(scr_screen)"
			return 1
		fi
		sleep 0.05
	done
	return 0
}

cmd_exit() {
	cmd_events command.exit | sed -n "${1}p"
}

cmd_capture() {
	cmd_j=$(scr_journal)
	printf '%s\n' "${cmd_j%.jsonl}.d/$1.out"
}

cmd_rss() {
	awk '/^VmRSS:/ { print $2 }' "/proc/$1/status" 2>/dev/null
}

# Fields of /proc/PID/stat after "(comm)": state ppid pgrp session tty.
# cmd_procs FIELD VALUE [Z]: pids whose FIELD (ppid, pgrp) is VALUE, not
# zombies, or only zombies with Z.
cmd_procs() {
	cat /proc/[0-9]*/stat 2>/dev/null |
	    sed -E 's/^([0-9]+) \(.*\) /\1 /' |
	    awk -v f="$1" -v v="$2" -v z="${3:-}" '
		{ x = f == "ppid" ? $3 : $4 }
		x == v && ((z != "") == ($2 == "Z")) { printf "%s%s", sep, $1; sep = " " }
		END { if (sep != "") print "" }'
}

# Live processes left in process group $1.
cmd_group() {
	cmd_procs pgrp "$1"
}

# Zombie children of $1.
cmd_zombies_of() {
	cmd_procs ppid "$1" Z
}

# Pids whose command line contains $1, a plain word (zombies have no
# command line: never listed).
cmd_marked() {
	pgrep -f -- "$1" | tr '\n' ' ' | sed 's/ $//'
}

cmd_reap_marked() {
	for cmd_p in $(cmd_marked "$1"); do
		kill -KILL "$cmd_p" 2>/dev/null
	done
	return 0
}

# Wait until no process carries marker $1 (default 5 s); 0 when none.
cmd_wait_unmarked() {
	cmd_end=$(( $(cmd_now) + $(awk -v t="${2:-5}" 'BEGIN { print int(t * 1000) }') ))
	while [ -n "$(cmd_marked "$1")" ]; do
		[ "$(cmd_now)" -ge "$cmd_end" ] && return 1
		sleep 0.05
	done
	return 0
}

cmd_norm() {
	sed -E \
	    -e 's/T\+[0-9]{2}:[0-9]{2}:[0-9]{2}/T+hh:mm:ss/g' \
	    -e 's/[0-9]{2}:[0-9]{2}:[0-9]{2}/hh:mm:ss/g' \
	    -e 's/\bc[0-9]+ (exit|running|killed|stopped|cancelled|stopping)/cN \1/g' \
	    -e 's/ in [0-9hms]+(:| |$)/ in D\1/g' \
	    -e 's/ · [0-9hms]+( |$)/ · D\1/g'
}

# 0 when $RBNAV is built with AddressSanitizer (its shadow memory counts
# in the RSS, and it is several times slower: bounds are relaxed).
cmd_asan() {
	grep -aq '__asan_init' "$RBNAV" 2>/dev/null
}

# Field $2 (wchar, syscw…) of /proc/$1/io.
cmd_io() {
	awk -v f="$2:" '$1 == f { print $2 }' "/proc/$1/io" 2>/dev/null
}

# Size in bytes of a file (0 when missing).
cmd_size() {
	if [ -e "$1" ]; then wc -c <"$1" | tr -d ' '; else echo 0; fi
}

# The figure NAME=VALUE from keylat.py's summary line $1.
cmd_fig() {
	printf '%s\n' "$1" | tr ' ' '\n' | sed -n "s/^$2=//p"
}

# $1 < $2 for decimal numbers.
cmd_lt() {
	awk -v a="$1" -v b="$2" 'BEGIN { exit !(a + 0 < b + 0) }'
}

cmd_keylat() {
	python3 "$cmd_dir/keylat.py" --socket "$scr_sock" "$@"
}

# cmd_has_lines NEEDLE: stdin has the lines of NEEDLE, consecutive and
# whole (grep -E on a multi-line pattern would take any one of them).
cmd_has_lines() {
	N=$1 awk 'BEGIN { n = split(ENVIRON["N"], w, "\n") }
	    { l[NR] = $0 }
	    END {
		for (i = 1; i + n - 1 <= NR; i++) {
			for (k = 1; k <= n && l[i + k - 1] == w[k]; k++)
				;
			if (k > n)
				exit 0
		}
		exit 1
	    }'
}

# cmd_lines DESC NEEDLE [TIMEOUT]: wait (50 ms polls, 5 s) until the
# screen has the lines of NEEDLE, consecutive and whole; a TAP assertion.
cmd_lines() {
	cmd_end=$(( $(cmd_now) + $(awk -v t="${3:-5}" 'BEGIN { print int(t * 1000) }') ))
	while :; do
		scr_last=$(scr_screen)
		if printf '%s\n' "$scr_last" | cmd_has_lines "$2"; then
			ok 0 "$1"
			return 0
		fi
		if [ "$(cmd_now)" -ge "$cmd_end" ]; then
			ok 1 "$1"
			echo "# wanted these lines:"
			scr_comment "$2"
			echo "# the screen:"
			scr_comment "$scr_last"
			return 1
		fi
		sleep 0.05
	done
}

# cmd_left_output DESC [TIMEOUT]: after a Tab, the screen is rbnav's (its
# header) and the bottom pane is no longer the output (no status line of
# a command); a TAP assertion.
cmd_left_output() {
	cmd_end=$(( $(cmd_now) + $(awk -v t="${2:-5}" 'BEGIN { print int(t * 1000) }') ))
	while :; do
		scr_last=$(scr_screen)
		if printf '%s\n' "$scr_last" | grep -q '^ LIVE ' &&
		    ! printf '%s\n' "$scr_last" | grep -Eq '^ c[0-9]+ (exit|running|stopped|cancelled|killed)'; then
			ok 0 "$1"
			return 0
		fi
		if [ "$(cmd_now)" -ge "$cmd_end" ]; then
			ok 1 "$1"
			scr_comment "$scr_last"
			return 1
		fi
		sleep 0.05
	done
}
