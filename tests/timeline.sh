#!/bin/sh
# rbnav verify and rbnav incidents on the fixture timelines: a good file,
# every kind of tampering named at the right line, truncation caught by
# --head, torn tails reported but not fatal, damage in the middle
# reported and the file left untouched.
. "$top_srcdir/tests/lib.sh"

data="$top_srcdir/tests/data/timeline"
good="$data/20261126T021403Z-db-primary-down.jsonl"
anchor="40:982cddb3236b4cf85198de74953f6a4cd47bf47e6ccd11eb74c47f382def7a09"

sum() { sha256sum "$1" | cut -d' ' -f1; }

# verify FILE [ARGS]: sets out, err and rc.
verify() {
	out=$("$RBNAV" verify "$@" 2>"$tmp/err"); rc=$?
	err=$(cat "$tmp/err")
}

# A good timeline.
verify "$good"
is "$rc" 0 "verify: a good timeline exits 0"
is "$out" "ok: 40 events, head $anchor" "verify: prints the count and the head"
is "$err" "" "verify: nothing on stderr"
verify "$good" --head "$anchor"
is "$rc" 0 "verify --head: the matching anchor exits 0"
verify "$good" --head "1:$(head -n 1 "$good" | tr -d '\n' | sha256sum | cut -d' ' -f1)"
is "$rc" 0 "verify --head: an older anchor (line 1) exits 0"

# By id, in the state directory.
mkdir -p "$RBNAV_STATE_DIR"
cp "$data"/*.jsonl "$RBNAV_STATE_DIR/"
verify 20261126T021403Z-db-primary-down
is "$rc" 0 "verify: an incident id is looked up in the state directory"
verify 20261127
is "$rc" 0 "verify: a unique prefix of an id is enough"
verify 2026112
is "$rc" 3 "verify: an ambiguous prefix exits 3"
like "$err" "several incidents" "and says so"
out=$("$RBNAV" --state-dir "$RBNAV_STATE_DIR" verify 20261120T120000Z-api-latency); rc=$?
is "$rc" 0 "verify: --state-dir is honoured"

# Usage and runtime errors.
verify "$good" --head nonsense
is "$rc" 2 "verify: a malformed --head exits 2"
like "$err" "^rbnav: --head wants SEQ:HASH" "and explains the form"
verify "$good" --head "40:abc"
is "$rc" 2 "verify: a short hash in --head exits 2"
verify
is "$rc" 2 "verify: no INCIDENT exits 2"
verify "$tmp/nope.jsonl"
is "$rc" 3 "verify: a missing file exits 3"
like "$err" "^rbnav: .*nope.jsonl: No such file" "and names it"
verify no-such-incident
is "$rc" 3 "verify: an unknown id exits 3"
verify "$tmp"
is "$rc" 3 "verify: a directory exits 3"

# Tampering: each is named at its line, exit 1.
t="$tmp/t.jsonl"
bad_line() {
	# bad_line DESCRIPTION LINE: verify $t, expect exit 1 at LINE.
	verify "$t"
	is "$rc" 1 "verify: $1 exits 1"
	like "$err" "^rbnav: $t:$2: " "verify: $1 is named at line $2"
}
sed '15s/Replica lag/replica lag/' "$good" >"$t"
bad_line "a changed byte (still JSON)" 15
sed '10s/"var.set"/"var.set/' "$good" >"$t"
bad_line "a byte that breaks the JSON" 10
like "$err" "not JSON" "verify: and says it is not JSON"
sed '12d' "$good" >"$t"
bad_line "a deleted line" 12
like "$err" "seq 13 where 12 was expected" "verify: and says which seq it found"
sed '1d' "$good" >"$t"
bad_line "a deleted first line" 1
sed "8i\\
$(sed -n 8p "$good" | sed 's/"step":"check-replication"/"step":"forged"/')" "$good" >"$t"
bad_line "an inserted line" 8
awk 'NR == 21 { hold = $0; next } NR == 22 { print; print hold; next } { print }' "$good" >"$t"
bad_line "two lines swapped" 21
sed '7p' "$good" >"$t"
bad_line "a duplicated line" 8
# One hex digit of prev changed (still 64 of them).
sed '3s/"prev":"0/"prev":"1/; t; 3s/"prev":"[0-9a-f]/"prev":"0/' "$good" >"$t"
bad_line "a forged prev" 3

# Truncation: the chain holds, the head anchor does not.
head -n 30 "$good" >"$t"
verify "$t"
is "$rc" 0 "verify: a truncated file still chains"
verify "$t" --head "$anchor"
is "$rc" 1 "verify --head: truncation exits 1"
like "$err" "^rbnav: $t:40: .*cut off" "verify --head: truncation names the missing line"
sed '40s/resolved/abandoned/' "$good" >"$t"
verify "$t" --head "$anchor"
is "$rc" 1 "verify --head: a changed last line exits 1"
like "$err" "^rbnav: $t:40: SHA-256" "verify --head: and names it"

# Torn tails: reported, not fatal, the file left as it is.
torn() {
	# torn DESCRIPTION: $t already holds the good file plus a tail.
	before=$(sum "$t")
	verify "$t"
	is "$rc" 0 "verify: a torn tail ($1) is not fatal"
	like "$err" "^rbnav: $t:41: warning: torn last line" "verify: the torn tail ($1) is reported at line 41"
	is "$out" "ok: 40 events, head $anchor" "verify: the rest still verifies ($1)"
	is "$(sum "$t")" "$before" "verify: the file is not touched ($1)"
}
{ cat "$good"; printf '{"v":1,"seq":41,"ts":"2026-11-26T03:0'; } >"$t"
torn "partial JSON"
{ cat "$good"; sed -n 40p "$good" | sed 's/"seq":40/"seq":41/' | tr -d '\n'; } >"$t"
torn "missing newline"
{ cat "$good"; printf '{"v":1,"seq":41,"text":"caf\303'; } >"$t"
torn "cut UTF-8"
{ cat "$good"; head -c 200 /dev/zero; } >"$t"
torn "zero-filled tail"
like "$err" "zero-filled" "verify: says the tail is zero-filled"
{ cat "$good"; printf '{"v":1,"seq":41,'; head -c 50 /dev/zero; } >"$t"
torn "partial line then zeros"
printf '{"v":1,"seq":1,"ts":"2026-11-26T0' >"$t"
verify "$t"
is "$rc" 0 "verify: a file that is only a torn line is not fatal"
is "$out" "ok: 0 events, head 0:0000000000000000000000000000000000000000000000000000000000000000" "verify: and has no events"

# Damage in the middle: reported with its line, the file untouched.
{ sed '1,19!d' "$good"; printf 'GARBAGE\000\000\n'; sed '1,20d' "$good"; } >"$t"
before=$(sum "$t")
verify "$t"
is "$rc" 1 "verify: damage in the middle exits 1"
like "$err" "^rbnav: $t:20: not JSON" "verify: damage in the middle is named at line 20"
is "$(sum "$t")" "$before" "verify: the damaged file is not touched"
"$RBNAV" export "$t" >/dev/null 2>"$tmp/err"; rc=$?
is "$rc" 1 "export: a damaged timeline is refused with exit 1"
like "$(cat "$tmp/err")" ":20: .*not exporting" "export: and names the line"
is "$(sum "$t")" "$before" "export: the damaged file is not touched"
test -e "$t.torn"; is "$?" 1 "nothing was set aside"

# rbnav incidents.
out=$("$RBNAV" incidents); rc=$?
is "$rc" 0 "incidents: exits 0"
is "$(printf '%s\n' "$out" | wc -l | tr -d ' ')" 3 "incidents: one line per timeline"
is "$(printf '%s\n' "$out" | awk '{ print $1 }' | tr '\n' ' ')" \
    "20261127T093000Z-disk-full 20261126T021403Z-db-primary-down 20261120T120000Z-api-latency " \
    "incidents: newest first"
like "$out" '^20261126T021403Z-db-primary-down +ended: resolved +2026-11-26 02:14:03 +live +40 events +eriop-dr/db-primary-down +alice,bob +Primary database down' \
    "incidents: id, status, start, mode, count, runbook/scenario, operators, title"
like "$out" '^20261127T093000Z-disk-full +open +.* drill +6 events' "incidents: an open drill"
like "$out" 'ended: escalated' "incidents: the outcome of an ended incident"

out=$("$RBNAV" incidents --json); rc=$?
is "$rc" 0 "incidents --json: exits 0"
is "$(printf '%s' "$out" | jq 'length')" 3 "incidents --json: an array of three"
is "$(printf '%s' "$out" | jq -r '.[0].id')" 20261127T093000Z-disk-full "incidents --json: newest first"
is "$(printf '%s' "$out" | jq -r '.[1] | [.title, .mode, .runbook, .scenario, (.operators | join(",")), .start, .status, .outcome, .events] | join("|")')" \
    "Primary database down | checkout <failing>|live|eriop-dr|db-primary-down|alice,bob|2026-11-26T02:14:03.123Z|ended|resolved|40" \
    "incidents --json: every field"
is "$(printf '%s' "$out" | jq -r '.[0] | [.status, (.outcome | tostring), .drill] | join(" ")')" \
    "open null disk-full-drill" "incidents --json: an open drill"

{ cat "$good"; printf '{"v":1,'; } >"$RBNAV_STATE_DIR/20261128T000000Z-torn.jsonl"
out=$("$RBNAV" incidents --json 2>/dev/null)
is "$(printf '%s' "$out" | jq -r '.[] | select(.torn_line != null) | [(.path | split("/") | last), .torn_line] | join(" ")')" \
    "20261128T000000Z-torn.jsonl 41" "incidents: a torn timeline is listed and flagged"
out=$("$RBNAV" --state-dir "$tmp/empty" incidents 2>"$tmp/err"); rc=$?
is "$rc" 0 "incidents: a missing state directory exits 0"
is "$out" "" "incidents: and lists nothing"
like "$(cat "$tmp/err")" "no incidents in" "incidents: and says so"
is "$("$RBNAV" --state-dir "$tmp/empty" incidents --json)" "[]" "incidents --json: an empty array"
"$RBNAV" incidents extra >/dev/null 2>&1
is "$?" 2 "incidents: an operand exits 2"
finish
