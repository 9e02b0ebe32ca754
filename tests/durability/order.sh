#!/bin/sh
# The order of write, fdatasync and the directory's fsync, seen with
# strace: a live incident on data/shop.yaml run in tmux under
# `strace -f -e trace=openat,write,fdatasync,fsync,execve,rename`; the
# journal's openat (O_CREAT) is followed by an fsync of its directory
# before the first event is written; every line is one write(2) to the
# journal's fd followed by fdatasync(fd) before the next write; the
# confirm line and the command.start line are both written and
# fdatasync'd before the execve of /bin/sh for the confirmed command.
# Also: export -o (temp file, fsync, rename, fsync of the directory) and
# the repair of a torn tail on resume (.torn written and synced before
# the tail is cut off, the cut synced before the next line).
# order-check.py reads the logs; see its header.
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/screen/lib.sh"
. "$top_srcdir/tests/durability/lib.sh"

command -v strace >/dev/null 2>&1 || skip_all "strace is not installed"
command -v python3 >/dev/null 2>&1 || skip_all "python3 is not installed"
command -v jq >/dev/null 2>&1 || skip_all "jq is not installed"
# strace needs ptrace: some containers forbid it.
strace -o /dev/null true >/dev/null 2>&1 || skip_all "strace cannot trace here"

SCR_COLS=100
SCR_ROWS=30
SCR_ENV="ASAN_OPTIONS=$(dur_asan_options)"
rb=$dur_data/shop.yaml
checker=$top_srcdir/tests/durability/order-check.py

# tap_from FILE: order-check.py's lines as TAP.
tap_from() {
	while IFS='|' read -r st desc why; do
		if [ "$st" = ok ]; then
			ok 0 "$desc"
		else
			ok 1 "$desc"
			[ -n "$why" ] && echo "# $why"
		fi
	done <"$1"
}

# trace LOG ARGS...: rbnav ARGS in tmux, under strace.
trace() {
	tr_log=$1
	shift
	scr_new_server
	scr_spawn sh "$scr_dir/wrap.sh" "$scr_run" strace -f -xx -s 100000 \
	    -o "$tr_log" -e trace=openat,write,fdatasync,fsync,ftruncate,execve,rename \
	    "$RBNAV" "$@"
}

# A live incident: a step done, a decision, the confirmed command, a note.
trace "$tmp/live.log" --operator o -r "$rb" run outage --title 'Traced'
scr_up "rbnav starts under strace" '^ LIVE  Traced '
scr_keys d
scr_like "d: the first step is done" '^✓ 1 Look at the dashboard'
scr_keys Enter
scr_like "Enter: the decision is asked" 'Does the database answer\?'
scr_keys 1
scr_like "a choice: its why is asked" 'Why "Yes, it answers"\?'
scr_keys Enter
scr_like "the decision is made" '^▶ 3 Scale to \{\{replicas\}\} pods'
scr_keys Enter
scr_like "Enter on the command step asks for its variable" 'How many replicas\?'
scr_type 3
scr_keys Enter
scr_like "then asks to confirm the command" 'Run this command\? echo scaling to .3. pods'
scr_keys y
scr_like "y: the command runs" 'scaling to 3 pods in eu-west-1'
scr_like "and ends" 'c1 exit 0'
scr_keys n
scr_like "n asks for a note" 'Note for the timeline'
scr_type 'traced note'
scr_keys Enter
scr_wait 'traced note' >/dev/null || true
scr_keys q
scr_wait_exit 10
j=$(ls "$RBNAV_STATE_DIR"/*.jsonl 2>/dev/null | head -n 1)
check "the incident's timeline is written" test -s "$j"
"$RBNAV" verify "$j" >/dev/null 2>&1
is "$?" 0 "it verifies"
python3 "$checker" live "$tmp/live.log" "$j" "$RBNAV_STATE_DIR" \
    "echo scaling to" >"$tmp/live.out" 2>&1
tap_from "$tmp/live.out"
check "the checker read the log" test "$(grep -c '' "$tmp/live.out")" -ge 9

# export -o: every file but the journal is temp + fsync + rename + fsync.
mkdir -p "$tmp/out"
strace -f -xx -s 100000 -o "$tmp/export.log" \
    -e trace=openat,write,fsync,fdatasync,rename \
    env ASAN_OPTIONS="$(dur_asan_options)" \
    "$RBNAV" export "$j" -o "$tmp/out/report.md" >/dev/null 2>&1
check "export -o writes the report" test -s "$tmp/out/report.md"
python3 "$checker" export "$tmp/export.log" "$tmp/out/report.md" >"$tmp/export.out" 2>&1
tap_from "$tmp/export.out"

# A torn tail repaired by resume.
printf '{"v":1,"seq":%d,"ts":"2026-11-26T0' "$(( $(wc -l <"$j") + 1 ))" >"$tmp/tail"
cat "$tmp/tail" >>"$j"
trace "$tmp/repair.log" --operator o -r "$rb" resume "$j"
scr_up "resume starts under strace" '^ LIVE  Traced '
scr_like "and says a torn line was set aside" 'torn last line was set aside'
scr_keys q
scr_wait_exit 10
check ".torn holds the tail" cmp -s "$j.torn" "$tmp/tail"
python3 "$checker" repair "$tmp/repair.log" "$j" "$tmp/tail" >"$tmp/repair.out" 2>&1
tap_from "$tmp/repair.out"
"$RBNAV" verify "$j" >/dev/null 2>&1
is "$?" 0 "the timeline verifies after the repair"

finish
