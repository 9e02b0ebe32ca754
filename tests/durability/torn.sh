#!/bin/sh
# Torn tails and damage, read back: a last line cut off by a crash
# (partial JSON, a whole event without its newline, a UTF-8 character
# cut in two, a zero-filled tail, a partial line followed by zeros) is
# ignored and reported by verify and export, and `rbnav resume` (in
# tmux) sets it aside in <file>.torn, byte for byte, cuts the timeline
# back to whole lines and goes on from there; a second torn tail is
# added to the same .torn.  Damage before the end (a line that is not
# JSON, a line changed after it was written, a line missing) is refused
# with its line number and the file is left byte-identical, a torn tail
# after it included.
#
# The base timeline (data/20261126T035841Z-outage.jsonl) is a real one
# recorded on data/shop.yaml: a step done, a decision, a note, left.
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/screen/lib.sh"
. "$top_srcdir/tests/durability/lib.sh"

command -v jq >/dev/null 2>&1 || skip_all "jq is not installed"
command -v python3 >/dev/null 2>&1 || skip_all "python3 is not installed"

SCR_COLS=100
SCR_ROWS=30
id=20261126T035841Z-outage
base=$dur_data/$id.jsonl
rb=$dur_data/shop.yaml
nbase=$(wc -l <"$base")
sbase=$(wc -c <"$base")

# The torn tails: $tmp/fix/NAME.tail, the bytes a crash left after the
# last whole line.  The cut line is the event that would have come next
# (seq 11, chained to line 10), cut as a crash cuts it.
mkdir -p "$tmp/fix"
python3 - "$base" "$tmp/fix" <<'EOF'
import hashlib, json, os, sys
base = open(sys.argv[1], "rb").read()
out = sys.argv[2]
last = base.rstrip(b"\n").split(b"\n")[-1]
ev = {"v": 1, "seq": 11, "ts": "2026-11-26T03:58:45.001Z", "t": 3161,
      "op": "alice", "type": "note",
      "prev": hashlib.sha256(last).hexdigest(),
      "text": "failover started … the replica is promoted ✓"}
line = json.dumps(ev, ensure_ascii=False, separators=(",", ":")).encode()
cut = line.index("…".encode()) + 1          # inside the 3-byte "…"
tails = {
    "partial-json": line[:57],
    "no-newline": line,
    "cut-utf8": line[:cut],
    "zero-filled": b"\0" * 4096,
    "partial-zeros": line[:40] + b"\0" * 1000,
}
for name, tail in tails.items():
    open(os.path.join(out, name + ".tail"), "wb").write(tail)
EOF

# Every kind of torn tail, each in a state directory of its own.
for kind in partial-json no-newline cut-utf8 zero-filled partial-zeros; do
	RBNAV_STATE_DIR=$tmp/st-$kind
	mkdir -p "$RBNAV_STATE_DIR"
	f=$RBNAV_STATE_DIR/$id.jsonl
	cat "$base" "$tmp/fix/$kind.tail" >"$f"
	before=$(dur_sum "$f")

	"$RBNAV" verify "$f" >"$tmp/out" 2>"$tmp/err"
	is "$?" 0 "$kind: verify exits 0"
	like "$(cat "$tmp/err")" "^rbnav: $f:$((nbase + 1)): warning: torn last line ignored: " \
	    "$kind: verify reports the torn line by its number"
	like "$(cat "$tmp/out")" "^ok: $nbase events, head $nbase:" "$kind: verify counts the whole lines only"
	"$RBNAV" export "$f" -o "$tmp/$kind.md" >/dev/null 2>"$tmp/err"
	is "$?" 0 "$kind: export exits 0"
	like "$(cat "$tmp/err")" "warning: torn last line left out" "$kind: export reports the torn line"
	is "$(dur_sum "$f")" "$before" "$kind: verify and export leave the file as it is"
	check "$kind: no .torn before a resume" test ! -e "$f.torn"

	# resume: by path for two of them, else the newest unfinished one.
	case $kind in
	partial-json|zero-filled)	scr_start --operator alice -r "$rb" resume "$f" ;;
	*)				scr_start --operator alice -r "$rb" resume ;;
	esac
	scr_up "$kind: resume opens the incident" '^ LIVE  Checkout is down '
	scr_like "$kind: the timeline pane says the torn line was set aside" \
	    'torn last line was set aside'
	like "$scr_last" 'resumed \(crash\)' "$kind: and that the incident resumed after a crash"
	like "$scr_last" '^▶ 3 Scale to \{\{replicas\}\} pods' "$kind: on the step it was at"
	scr_keys q
	scr_wait_exit
	check "$kind: .torn holds exactly the torn bytes" cmp -s "$f.torn" "$tmp/fix/$kind.tail"
	head -c "$sbase" "$f" >"$tmp/prefix"
	check "$kind: the whole lines are kept byte for byte" cmp -s "$tmp/prefix" "$base"
	check "$kind: the timeline is whole lines again, its chain intact" dur_chain_ok "$f"
	"$RBNAV" verify "$f" >/dev/null 2>"$tmp/err"
	is "$?" 0 "$kind: verify exits 0 after the repair"
	is "$(cat "$tmp/err")" "" "$kind: and has nothing to warn about"
	is "$(sed -n "$((nbase + 1))p" "$f" | jq -r '.type + " " + .reason')" \
	    "incident.resume crash" "$kind: the first event after the repair is incident.resume (crash)"
	like "$(sed -n "$((nbase + 2))p" "$f" | jq -r '.type + " " + .text')" \
	    '^note .*\.torn' "$kind: then a note that names the .torn file"
done

# A second crash, a second torn tail: added to the same .torn.
RBNAV_STATE_DIR=$tmp/st-partial-json
f=$RBNAV_STATE_DIR/$id.jsonl
printf '{"v":1,"seq":%d,"ts":"2026-11-26T04:' "$(( $(wc -l <"$f") + 1 ))" >"$tmp/second.tail"
cat "$tmp/second.tail" >>"$f"
scr_start --operator alice -r "$rb" resume "$f"
scr_up "a second torn tail: resume opens the incident" '^ LIVE  Checkout is down '
scr_keys q
scr_wait_exit
cat "$tmp/fix/partial-json.tail" "$tmp/second.tail" >"$tmp/both.tail"
check "a second torn tail is added to .torn after the first" cmp -s "$f.torn" "$tmp/both.tail"
check "and the timeline is whole lines again" dur_chain_ok "$f"

# Damage before the end: refused by number, the file byte-identical.
# damaged NAME LINE: $tmp/dmg-NAME/$id.jsonl is set up; resume it in
# tmux, verify it, and check that nothing was written or set aside.
damaged() {
	RBNAV_STATE_DIR=$tmp/dmg-$1
	f=$RBNAV_STATE_DIR/$id.jsonl
	before=$(dur_sum "$f")
	"$RBNAV" verify "$f" >/dev/null 2>"$tmp/err"
	is "$?" 1 "$1: verify exits 1"
	like "$(cat "$tmp/err")" "^rbnav: $f:$2: " "$1: verify names line $2"
	"$RBNAV" export "$f" -o "$tmp/$1.md" >/dev/null 2>&1
	is "$(dur_sum "$f")" "$before" "$1: verify and export leave the file as it is"
	scr_start --operator alice -r "$rb" resume "$f"
	if scr_wait_exit 5; then
		ok 0 "$1: resume refuses to open it"
	else
		ok 1 "$1: resume refuses to open it"
		scr_kill
	fi
	check "$1: with a non-zero exit status (${scr_status:-still running})" \
	    test -n "$scr_status" -a "$scr_status" != 0
	like "$(scr_stderr)" "$f:$2: " "$1: and names line $2"
	is "$(dur_sum "$f")" "$before" "$1: the file is byte-identical afterwards"
	check "$1: nothing is set aside (.torn)" test ! -e "$f.torn"
}

mkdir -p "$tmp/dmg-not-json"
sed '5s/"step.enter"/"step.enter/' "$base" >"$tmp/dmg-not-json/$id.jsonl"
damaged not-json 5
like "$(scr_stderr)" "not JSON" "not-json: says the line is not JSON"

mkdir -p "$tmp/dmg-not-json-and-torn"
sed '5s/"step.enter"/"step.enter/' "$base" >"$tmp/dmg-not-json-and-torn/$id.jsonl"
cat "$tmp/fix/partial-json.tail" >>"$tmp/dmg-not-json-and-torn/$id.jsonl"
damaged not-json-and-torn 5

mkdir -p "$tmp/dmg-zeros"
{ head -n 3 "$base"; printf '\0\0\0\0\0\0\0\0\n'; tail -n +5 "$base"; } >"$tmp/dmg-zeros/$id.jsonl"
damaged zeros 4

# Still JSON, but changed after it was written: only the chain shows it.
mkdir -p "$tmp/dmg-changed"
sed '6s/the primary is down/the replica is down/' "$base" >"$tmp/dmg-changed/$id.jsonl"
damaged changed 6

# A line gone from the middle: seq jumps.
mkdir -p "$tmp/dmg-missing"
sed '7d' "$base" >"$tmp/dmg-missing/$id.jsonl"
damaged missing 7

finish
