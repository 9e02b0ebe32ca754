#!/bin/sh
# A disk that fails under a live incident (EIO, ENOSPC; also a short
# write and a failed fdatasync): an LD_PRELOAD shim of our own
# (eio-shim.c) makes write/fdatasync on the timeline fail while a
# trigger file exists, and leaves the terminal and every other file
# alone.  Never hidden: within a second of the next event a red
# "TIMELINE NOT DURABLE" banner counts the events kept in memory; a
# command step refuses to run while it is shown; the file on disk is
# still whole lines and can be exported to another path from another
# shell; once the disk is back, the next action writes every event kept
# in memory, once, in order, and the chain verifies.
#
# What "export to another path still possible" means here, two ways:
# x in the incident screen saves a copy of the timeline to another file
# with the events kept in memory appended (journal_copy), a timeline of
# its own that `rbnav verify` and `rbnav export` take; and the timeline
# file itself stays readable (only writes fail), so `rbnav export
# INCIDENT -o /elsewhere/report.md` from another shell works too, but
# holds only the events that reached the file.  The events kept in
# memory are retried every second without waiting for an action.
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/screen/lib.sh"
. "$top_srcdir/tests/durability/lib.sh"

command -v jq >/dev/null 2>&1 || skip_all "jq is not installed"
command -v python3 >/dev/null 2>&1 || skip_all "python3 is not installed"

SCR_COLS=100
SCR_ROWS=30
rb=$dur_data/shop.yaml
shim=$tmp/eio-shim.so
if dur_shim "$shim" "$top_srcdir/tests/durability/eio-shim.c" 2>"$tmp/cc.err"; then
	ok 0 "the shim compiles"
else
	ok 1 "the shim compiles"
	sed 's/^/# /' "$tmp/cc.err"
	echo "Bail out! no shim"
	exit 1
fi
preload=$(dur_preload "$shim")

# banner_is_red: the banner on the first row is drawn in red (its
# background or its text), read from capture-pane -e.
banner_is_red() {
	scr_screen_e | head -n 1 | python3 -c '
import re, sys
line = sys.stdin.read()
at = line.find("TIMELINE NOT DURABLE")
if at < 0:
    sys.exit(1)
fg = bg = None
rev = False
for m in re.finditer(r"\x1b\[([0-9;]*)m", line[:at]):
    p = [int(x) if x else 0 for x in m.group(1).split(";")]
    i = 0
    while i < len(p):
        c = p[i]
        if c == 0:
            fg = bg = None; rev = False
        elif c == 7:
            rev = True
        elif c == 27:
            rev = False
        elif 30 <= c <= 37 or 90 <= c <= 97:
            fg = ("p", c % 10 + (8 if c >= 90 else 0))
        elif 40 <= c <= 47 or 100 <= c <= 107:
            bg = ("p", c % 10 + (8 if c >= 100 else 0))
        elif c == 39:
            fg = None
        elif c == 49:
            bg = None
        elif c in (38, 48) and i + 2 < len(p) and p[i + 1] == 5:
            v = ("p", p[i + 2])
            if c == 38: fg = v
            else: bg = v
            i += 2
        elif c in (38, 48) and i + 4 < len(p) and p[i + 1] == 2:
            v = ("rgb", tuple(p[i + 2:i + 5]))
            if c == 38: fg = v
            else: bg = v
            i += 4
        i += 1
def red(v):
    if v is None:
        return False
    if v[0] == "p":
        return v[1] in (1, 9, 52, 88, 124, 160, 196, 197, 203)
    r, g, b = v[1]
    return r >= 150 and g < 100 and b < 100
if rev:
    fg, bg = bg, fg
sys.exit(0 if red(bg) or red(fg) else 1)
'
}

# in_memory: the count the banner shows ("" without a banner).
in_memory() {
	scr_screen | head -n 1 | sed -n 's/.*(\([0-9][0-9]*\) events\{0,1\} in memory).*/\1/p'
}

# note TEXT: n, the text, Enter; waits for the prompt to close.
note() {
	scr_keys n
	scr_wait 'Note for the timeline' >/dev/null
	scr_type "$1"
	scr_keys Enter
	scr_wait_gone 'Note for the timeline' >/dev/null
}

lines() { grep -c '' "$1"; }

# The whole story, for EIO and for ENOSPC.
for how in EIO ENOSPC; do
	case $how in
	EIO)	why='Input/output error' ;;
	ENOSPC)	why='No space left on device' ;;
	esac
	trigger=$tmp/trigger-$how
	RBNAV_STATE_DIR=$tmp/state-$how
	SCR_ENV="LD_PRELOAD=$preload DUR_TRIGGER=$trigger DUR_FAIL_DIR=$RBNAV_STATE_DIR ASAN_OPTIONS=$(dur_asan_options)"
	scr_start --operator o -r "$rb" run outage --title "Disk $how"
	scr_up "$how: the incident starts" "^ LIVE  Disk $how "
	scr_keys d
	scr_like "$how: a step is done while the disk works" '^✓ 1 Look at the dashboard'
	unlike "$scr_last" 'NOT DURABLE' "$how: no banner while the disk works"
	j=$(ls "$RBNAV_STATE_DIR"/*.jsonl)
	id=$(basename "$j" .jsonl)
	n0=$(lines "$j")

	# The disk fails; the next event is not written.
	echo "$how" >"$trigger"
	scr_keys n
	scr_wait 'Note for the timeline' >/dev/null
	scr_type 'kept in memory 1'
	t0=$(dur_ms)
	scr_keys Enter
	scr_like "$how: the banner is up within a second of the note" \
	    "^ LIVE  TIMELINE NOT DURABLE: $why \\(1 events? in memory\\)" 1
	echo "# $how: banner after $(( $(dur_ms) - t0 )) ms"
	check "$how: the banner is red" banner_is_red
	check "$how: the shim did fail a write" test -s "$trigger.count"
	is "$(lines "$j")" "$n0" "$how: the note is not in the file"
	check "$how: the file is still whole lines, its chain intact" dur_chain_ok "$j"
	note 'kept in memory 2'
	scr_like "$how: a second note: 2 events in memory" '\(2 events in memory\)' 1

	# A decision, then the command step: refused while not durable.
	scr_keys Enter
	scr_wait 'Does the database answer\?' >/dev/null
	scr_keys 1
	scr_wait 'Why "Yes, it answers"' >/dev/null
	scr_keys Enter
	scr_like "$how: the decision is taken" '^▶ 3 Scale to \{\{replicas\}\} pods'
	scr_keys Enter
	scr_wait 'How many replicas\?' >/dev/null
	scr_type 3
	scr_keys Enter
	scr_like "$how: the command step asks to confirm" 'Run this command\? echo scaling'
	scr_keys y
	scr_like "$how: the command refuses to run, and says why" \
	    'cannot run: the timeline is not durable'
	unlike "$scr_last" '^ scaling to 3 pods in' "$how: no output: the command did not run"
	check "$how: nothing was captured for it" \
	    test ! -s "$RBNAV_STATE_DIR/$id.d/c1.out"
	kept=$(in_memory)
	# The refused command records no command.start: 7 events are kept.
	check "$how: the banner counts every event since the failure ($kept)" \
	    test "${kept:-0}" -ge 7
	is "$(lines "$j")" "$n0" "$how: still nothing new in the file"

	# x: a copy with the events kept in memory, on another disk.
	mkdir -p "$tmp/elsewhere"
	copy=$tmp/elsewhere/$how-copy.jsonl
	scr_keys x
	scr_like "$how: x asks where to save a copy of the timeline" 'Save a copy of the timeline to'
	scr_keys C-u
	scr_type "$copy"
	scr_keys Enter
	scr_like "$how: x saves the copy" "timeline copied to"
	is "$(lines "$copy" 2>/dev/null)" "$((n0 + kept))" \
	    "$how: the copy holds the file's events and the $kept kept in memory"
	"$RBNAV" verify "$copy" >/dev/null 2>&1
	is "$?" 0 "$how: the copy verifies"
	"$RBNAV" export "$copy" -o "$tmp/elsewhere/$how-copy.md" >/dev/null 2>&1
	is "$?" 0 "$how: rbnav export takes the copy"
	like "$(cat "$tmp/elsewhere/$how-copy.md" 2>/dev/null)" 'kept in memory 2' \
	    "$how: and its report holds the events kept in memory"
	check "$how: the banner is still up" scr_wait 'TIMELINE NOT DURABLE' 1

	# Another shell, meanwhile (with the failing disk too: only the
	# timeline's writes fail): the file exports to another path, with
	# the events on disk only.
	LD_PRELOAD=$preload DUR_TRIGGER=$trigger DUR_FAIL_DIR=$RBNAV_STATE_DIR \
	    ASAN_OPTIONS=$(dur_asan_options) \
	    "$RBNAV" export "$id" -o "$tmp/elsewhere/$how.md" >/dev/null 2>"$tmp/err"
	is "$?" 0 "$how: rbnav export INCIDENT -o /elsewhere works from another shell"
	like "$(cat "$tmp/elsewhere/$how.md" 2>/dev/null)" 'done look' \
	    "$how: its report holds the events on disk"
	is "$(lines "$j")" "$n0" "$how: the timeline file is unchanged by all this"

	# The disk is back: EIO, retried without an action (every second);
	# ENOSPC, with the next action.  Everything goes in, once, in order.
	rm -f "$trigger"
	if [ "$how" = EIO ]; then
		scr_gone "$how: the banner goes without an action (retried)" 'NOT DURABLE' 3
		is "$(lines "$j")" "$(( n0 + kept ))" \
		    "$how: every event kept in memory is in the file"
		note 'durable again'
	else
		note 'durable again'
		scr_gone "$how: the banner goes with the next action" 'NOT DURABLE' 1
	fi
	is "$(lines "$j")" "$(( n0 + kept + 1 ))" \
	    "$how: every event kept in memory is in the file, and the new one"
	is "$(jq -r 'select(.type == "note") | .text' "$j" | tr '\n' '|')" \
	    'kept in memory 1|kept in memory 2|durable again|' \
	    "$how: the notes are in the file once each, in order"
	is "$(jq -r '.seq' "$j" | sort -n | uniq -d)" "" "$how: no seq twice"
	check "$how: the chain holds (checked here)" dur_chain_ok "$j"
	"$RBNAV" verify "$j" >/dev/null 2>&1
	is "$?" 0 "$how: rbnav verify exits 0"
	is "$(jq -r 'select(.type == "decision" or .type == "var.set" or .type == "confirm") | .type' "$j" | tr '\n' ' ')" \
	    'decision var.set confirm ' "$how: the decision, the variable and the confirmation are there"

	# The refused command: it never ran, so the timeline must not say
	# that it started without ever saying what became of it.
	open=$(jq -rs '[.[] | select(.type == "command.start") | .cmd] - [.[] | select(.type == "command.exit" or .type == "command.cancel") | .cmd] | join(" ")' "$j")
	is "$open" "" "$how: no command.start without an end for the command that was refused"

	# Now the command runs.
	scr_keys Enter
	scr_like "$how: the step asks to confirm again" 'Run this command\? echo scaling'
	scr_keys y
	scr_like "$how: the command runs now" '^ scaling to 3 pods in eu-west-1'
	scr_like "$how: and ends" 'exit 0'
	unlike "$scr_last" 'NOT DURABLE' "$how: no banner"
	is "$(jq -r 'select(.type == "command.exit") | .exit' "$j" | tail -n 1)" 0 \
	    "$how: its command.exit is in the file"

	# Leaving while not durable must not drop the events in memory
	# without a word: say so (or refuse to leave).
	echo "$how" >"$trigger"
	note 'written nowhere'
	scr_like "$how: the banner is back" 'TIMELINE NOT DURABLE' 1
	scr_keys q
	if scr_wait_exit 3; then
		left=1
	else
		left=0
		scr_last=$(scr_screen)
	fi
	if [ $left = 1 ]; then
		like "$(scr_stderr)" 'not durable|NOT DURABLE|not written|lost|in memory' \
		    "$how: q while not durable: rbnav says the events in memory were not written"
		check "$how: and does not exit 0 as if all were well (status $scr_status)" \
		    test "$scr_status" != 0
	else
		like "$scr_last" 'not durable|NOT DURABLE|not written|lost|in memory' \
		    "$how: q while not durable: rbnav stays, and says why"
		ok 0 "$how: and has not exited"
	fi
	if [ $left = 1 ] && ! grep -q 'written nowhere' "$j"; then
		echo "# $how: after q, the note and incident.leave are in no file"
	fi
	rm -f "$trigger"
	scr_kill
done

# A short write (the disk fills up mid-line), and a failed fdatasync:
# the partial line is cut off again, a written but unsynced line is not
# written twice, and everything ends up in the file once.
for how in ENOSPC-short EIO-sync; do
	trigger=$tmp/trigger-$how
	RBNAV_STATE_DIR=$tmp/state-$how
	SCR_ENV="LD_PRELOAD=$preload DUR_TRIGGER=$trigger DUR_FAIL_DIR=$RBNAV_STATE_DIR ASAN_OPTIONS=$(dur_asan_options)"
	scr_start --operator o -r "$rb" run outage --title "Disk $how"
	scr_up "$how: the incident starts" "^ LIVE  Disk $how "
	j=$(ls "$RBNAV_STATE_DIR"/*.jsonl)
	n0=$(lines "$j")
	echo "$how" >"$trigger"
	note 'first while failing'
	scr_like "$how: the banner is up within a second" 'TIMELINE NOT DURABLE' 1
	check "$how: the banner is red" banner_is_red
	check "$how: the shim did fail a call" test -s "$trigger.count"
	note 'second while failing'
	scr_like "$how: 2 events in memory" '\(2 events in memory\)' 1
	case $how in
	ENOSPC-short)
		is "$(lines "$j")" "$n0" "$how: the half-written line is cut off again"
		check "$how: the file ends with a whole line" \
		    test "$(tail -c 1 "$j" | od -An -c | tr -d ' ')" = '\n'
		;;
	EIO-sync)
		is "$(lines "$j")" "$((n0 + 1))" "$how: the first line is written (not known durable), the second waits"
		# x: the line in the file but not synced is in the copy once.
		copy=$tmp/elsewhere/$how-copy.jsonl
		scr_keys x
		scr_wait 'Save a copy of the timeline to' >/dev/null
		scr_keys C-u
		scr_type "$copy"
		scr_keys Enter
		scr_like "$how: x saves a copy" "timeline copied to"
		is "$(jq -r 'select(.type == "note") | .text' "$copy" 2>/dev/null | tr '\n' '|')" \
		    'first while failing|second while failing|' "$how: the copy has both notes, once each"
		"$RBNAV" verify "$copy" >/dev/null 2>&1
		is "$?" 0 "$how: the copy verifies"
		;;
	esac
	check "$how: the file is whole lines, its chain intact" dur_chain_ok "$j"
	rm -f "$trigger"
	note 'durable again'
	scr_gone "$how: the banner goes with the next action" 'NOT DURABLE' 1
	is "$(jq -r 'select(.type == "note") | .text' "$j" | tr '\n' '|')" \
	    'first while failing|second while failing|durable again|' \
	    "$how: every note in the file once, in order"
	is "$(lines "$j")" "$((n0 + 3))" "$how: and nothing else"
	"$RBNAV" verify "$j" >/dev/null 2>&1
	is "$?" 0 "$how: rbnav verify exits 0"

	scr_kill
done

finish
