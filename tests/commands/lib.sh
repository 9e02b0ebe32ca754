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
	scr_cleanup
}
trap cmd_cleanup EXIT

cmd_start() {
	cmd_fixture=$1
	cmd_scenario=$2
	shift 2
	scr_start -r "$cmd_fixture" run "$cmd_scenario" --title T \
	    --operator tester "$@"
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
