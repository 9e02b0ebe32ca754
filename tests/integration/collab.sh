#!/bin/sh
# Two operators on one incident through the real interface: alice and
# bob each run rbnav in a tmux server of their own, with state
# directories of their own, sharing the timeline through a PostgreSQL of
# the test's own.  What one does shows on the other's screen within a
# second; the pen decides who drives; the database stopped mid-incident
# loses nothing; `incidents --shared` lists both operators; alice's
# webhooks reach a loopback receiver, and a receiver that hangs or
# fails never stalls her screen.
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/screen/lib.sh"
. "$top_srcdir/tests/integration/lib.sh"

command -v jq >/dev/null 2>&1 || skip_all "jq is not installed"
command -v psql >/dev/null 2>&1 || skip_all "psql is not installed"

# --- two screens ---------------------------------------------------------

# The scr_* helpers work on one tmux server at a time ($scr_sock, $scr_run):
# `as NAME` points them at NAME's.
as() {
	eval "scr_sock=\$${1}_sock scr_run=\$${1}_run"
}

# start_as NAME ARGS...: a new tmux server for NAME running rbnav ARGS.
# Each has its own HOME and state directory.
start_as() {
	sa_name=$1
	shift
	mkdir -p "$tmp/$sa_name/home" "$tmp/$sa_name/state"
	scr_sock=	# scr_start would kill the other operator's server
	SCR_ENV="HOME=$tmp/$sa_name/home RBNAV_STATE_DIR=$tmp/$sa_name/state" \
	    scr_start "$@"
	eval "${sa_name}_sock=\$scr_sock ${sa_name}_run=\$scr_run"
}

wh_pid=""
collab_cleanup() {
	for n in bob alice; do
		if eval "[ -n \"\${${n}_sock:-}\" ]"; then
			as "$n"
			scr_kill
		fi
	done
	[ -n "$wh_pid" ] && kill "$wh_pid" 2>/dev/null
	scr_cleanup
	it_cleanup
}
trap collab_cleanup EXIT

# seen_within NAME REGEX MAX_MS DESC: after an action taken at $t0 (ms),
# NAME's screen shows REGEX within MAX_MS; the time taken is in $dt.
seen_within() {
	as "$1"
	if scr_wait "$2" 5; then
		dt=$(( $(scr_ms) - t0 ))
		if [ "$dt" -lt "$3" ]; then
			ok 0 "$4 (${dt} ms)"
		else
			ok 1 "$4"
			echo "# took ${dt} ms, want < $3 ms"
		fi
	else
		dt=
		ok 1 "$4"
	fi
	figures="$figures
# $4: ${dt:-never} ms"
}
figures=""

# The bottom pane's tab line (the line with the pane names).
tabline() {
	printf '%s\n' "$scr_last" | grep -E ' Output ─ Status ─ Timeline ─ Contacts ' |
	    head -n 1
}

sql() {
	psql -qAtX -v ON_ERROR_STOP=1 -c "$1" "$PG_CONNINFO"
}

# --- the world ------------------------------------------------------------

pg_start

python3 "$top_srcdir/tests/integration/webhook-server.py" "$tmp/whport" \
    "$tmp/received" 2>"$tmp/wh.log" &
wh_pid=$!
i=0
while [ ! -f "$tmp/whport" ]; do
	i=$((i + 1))
	if [ "$i" -gt 200 ] || ! kill -0 "$wh_pid" 2>/dev/null; then
		sed 's/^/# /' "$tmp/wh.log"
		echo "Bail out! the webhook receiver did not start"
		exit 1
	fi
	sleep 0.05
done
. "$tmp/whport"
hook="http://127.0.0.1:$WEBHOOK_PORT"

rb="$tmp/collab.yaml"
cat >"$rb" <<'EOF'
format: rbnav/v1
id: collab
title: Collaboration fixture
scenarios:
  - id: failover
    title: Fail the database over
    steps:
      - id: page
        title: Page the database team
      - id: choose
        title: Decide on failover
        ask: Is the primary reachable?
        choices:
          - label: Yes, restart it
            goto: restart
          - label: No, fail over
            goto: promote
      - id: restart
        title: Restart the primary
      - id: promote
        title: Promote the replica
      - id: dns
        title: Point DNS at the new primary
      - id: verify
        title: Verify writes
      - id: announce
        title: Announce the recovery
      - id: close
        title: Close the bridge
EOF
check "the fixture runbook is valid" "$RBNAV" validate --quiet "$rb"

# alice's webhooks: a good receiver, one that hangs and one that answers
# 500, each for notes and decisions.
mkdir -p "$tmp/alice/home/.config/rbnav"
cat >"$tmp/alice/home/.config/rbnav/config.yaml" <<EOF
webhooks:
  - url: $hook/good/T000/B000/XXXX
    events: [note, decision]
  - url: $hook/hang/T111/B111/YYYY
    events: [note, decision]
  - url: $hook/fail/T222/B222/ZZZZ
    events: [note, decision]
EOF

SCR_COLS=160
SCR_ROWS=30

# --- alice starts, bob joins ----------------------------------------------

start_as alice --timeline-db "$PG_CONNINFO" -r "$rb" run collab/failover \
    --title 'Shared test' --operator alice
scr_up "alice's incident starts" '^ LIVE  Shared test  \(collab › failover\) '
scr_like "alice holds the pen once the shared timeline is up" \
    ' Timeline ─.* you hold the pen ─$' 10
alice_journal=$(ls "$tmp/alice/state"/*.jsonl 2>/dev/null | head -n 1)
id=$(basename "$alice_journal" .jsonl)
like "$id" '^[0-9]{8}T[0-9]{6}Z-failover' "alice's journal names the incident ($id)"

start_as bob --timeline-db "$PG_CONNINFO" -r "$rb" join "$id" --operator bob
scr_up "bob joins: his screen shows the incident" \
    '^ LIVE  Shared test  \(collab › failover\) .*  bob$'
like "$scr_last" '^▶ 1 Page the database team ' "bob's current step is alice's"
scr_like "bob sees that alice holds the pen" ' Timeline ─.* pen: alice ─$' 10
bob_journal=$(ls "$tmp/bob/state"/*.jsonl 2>/dev/null | head -n 1)
like "$(basename "$bob_journal")" "^$id-bob" "bob has a journal of his own"

as alice
scr_like "alice sees bob join in her timeline" '^ [0-9:]+ bob ' 5

# --- what one does, the other sees within a second ------------------------

as alice
t0=$(scr_ms)
scr_keys d
seen_within bob '^✓ 1 Page the database team ' 1000 \
    "alice's d shows as ✓ on bob's screen"
like "$scr_last" '^▶ 2 Decide on failover ' "and bob's current step follows"

as bob
scr_keys n
scr_like "bob's n asks for a note" 'Note for the timeline'
scr_type 'replica lag is 0 bytes'
t0=$(scr_ms)
scr_keys Enter
seen_within alice ' bob +note: replica lag is 0 bytes' 1000 \
    "bob's note shows in alice's Timeline pane with his name"

as alice
scr_keys Enter
scr_like "alice's Enter asks the question" '│ Is the primary reachable\? +│'
scr_keys 2
scr_like "a digit picks and asks why" 'Why "No, fail over"\?'
scr_type 'primary host is gone'
t0=$(scr_ms)
scr_keys Enter
seen_within bob '^✓ 2 Decide on failover → promote' 1000 \
    "alice's decision shows on bob's step list with its jump"
like "$scr_last" ' alice +decision choose: No, fail over -> promote' \
    "and in bob's timeline"
like "$scr_last" '^▶ 4 Promote the replica ' "bob's current step is the jump's target"
like "$scr_last" '^· 3 Restart the primary ' "the step jumped over stays pending"

# --- the pen ----------------------------------------------------------------

as bob
scr_keys d
scr_like "bob's d is refused: alice holds the pen" 'alice holds the pen'
like "$scr_last" '^▶ 4 Promote the replica ' "and the step stays as it was"
as alice
like "$(scr_screen)" '^▶ 4 Promote the replica ' "on alice's screen too"

as alice
scr_keys h
scr_like "alice's h offers the operators" 'Hand the pen to'
like "$scr_last" '│ > 1  bob +│' "bob is one of them"
t0=$(scr_ms)
scr_keys 1
seen_within bob ' Timeline ─.* you hold the pen ─$' 1000 \
    "bob's tab line says he holds the pen"
as alice
scr_like "alice's tab line says bob holds it" ' Timeline ─.* pen: bob ─$' 2
is "$(jq -c 'select(.type == "pen.handover") | .to' "$alice_journal")" \
    '"bob"' "pen.handover to bob is in alice's journal"

as bob
t0=$(scr_ms)
scr_keys d
scr_like "now bob's d works" '^✓ 4 Promote the replica '
seen_within alice '^✓ 4 Promote the replica ' 1000 \
    "bob's d shows on alice's screen"
like "$scr_last" '^▶ 5 Point DNS at the new primary ' \
    "alice's current step follows"
scr_keys d
scr_like "alice's d is refused now: bob holds the pen" 'bob holds the pen'
like "$scr_last" '^▶ 5 Point DNS at the new primary ' "her step stays"

# The pen back to alice, for what follows.
as bob
scr_keys h
scr_like "bob's h offers alice" '│ > 1  alice +│'
scr_keys 1
as alice
scr_like "alice holds the pen again" ' Timeline ─.* you hold the pen ─$' 2

# --- the database stopped mid-incident ------------------------------------

check "the database stops (pg_ctl stop -m fast)" pg_stop
as alice
scr_keys d
scr_like "without the database alice's d works" \
    '^✓ 5 Point DNS at the new primary '
scr_keys n
scr_like "and n asks for a note" 'Note for the timeline'
scr_type 'database down, working on'
scr_keys Enter
scr_like "the note is in her timeline" ' alice +note: database down, working on'
scr_keys d
scr_like "another d" '^✓ 6 Verify writes '
# The outage goes on: rbnav tries to reconnect (after 0.5 s, then 1 s)
# and is refused; the error it shows is libpq's, a long one.
sleep 2
scr_like "her tab line says how far behind the shared timeline is" \
    ' Timeline .*shared timeline: .*[1-9][0-9]* events behind' 3
tabline | sed 's/^/# alice: /'
scr_resize 80 24
scr_like "at 80 columns too, the tab line says the shared timeline is down" \
    ' Timeline .*shared timeline' 3
tabline | sed 's/^/# alice at 80 columns: /'
scr_resize 160 30
as bob
scr_like "bob's tab line shows the outage too" \
    ' Timeline .*shared timeline: .*events behind' 3
tabline | sed 's/^/# bob: /'
scr_keys n
scr_like "bob can still write a note" 'Note for the timeline'
scr_type 'bob was here during the outage'
scr_keys Enter
scr_like "it is in his timeline" ' bob +note: bob was here during the outage'
scr_like "and waits for the database" \
    ' Timeline .*shared timeline: .*[1-9][0-9]* events behind' 3

port=$PG_PORT
free_port() { echo "$port"; }
pg_start
is "$PG_PORT" "$port" "the database is back on the same port"

as alice
t0=$(scr_ms)
scr_like "alice's backlog empties once the database is back" \
    ' Timeline ─.* you hold the pen ─$' 20
seen_within bob ' alice +note: database down, working on' 20000 \
    "bob's screen catches up (after the restart)"
like "$scr_last" '^✓ 6 Verify writes ' "with alice's steps"
like "$scr_last" '^▶ 7 Announce the recovery ' "and her current step"
as alice
scr_like "alice gets bob's note written during the outage" \
    ' bob +note: bob was here during the outage' 20

alice_origin=$(sql "SELECT DISTINCT origin FROM rbnav_events
    WHERE incident = '$id' AND op = 'alice'")
like "$alice_origin" "^alice@.*:$id\$" "alice's journal is one origin ($alice_origin)"
jq -r '.seq' "$alice_journal" >"$tmp/journal.seqs"
sql "SELECT seq FROM rbnav_events WHERE incident = '$id'
    AND origin = '$alice_origin' ORDER BY seq" >"$tmp/db.seqs"
check "every event of alice's journal is in the database once ($(wc -l <"$tmp/journal.seqs") events)" \
    cmp -s "$tmp/journal.seqs" "$tmp/db.seqs"
sql "SELECT line FROM rbnav_events WHERE incident = '$id'
    AND origin = '$alice_origin' ORDER BY seq" >"$tmp/db.lines"
check "each stored line is the journal's line, byte for byte" \
    cmp -s "$alice_journal" "$tmp/db.lines"
is "$(sql "SELECT count(*) FROM (SELECT stored, lag(stored) OVER
    (ORDER BY seq) AS before FROM rbnav_events WHERE incident = '$id'
    AND origin = '$alice_origin') x WHERE stored < before")" "0" \
    "stored in seq order"
jq -r '.seq' "$bob_journal" >"$tmp/bob.seqs"
sql "SELECT seq FROM rbnav_events WHERE incident = '$id' AND op = 'bob'
    ORDER BY seq" >"$tmp/bob.db.seqs"
check "and bob's journal is there once too ($(wc -l <"$tmp/bob.seqs") events)" \
    cmp -s "$tmp/bob.seqs" "$tmp/bob.db.seqs"

# --- incidents --shared -----------------------------------------------------

out=$("$RBNAV" incidents --shared --timeline-db "$PG_CONNINFO" --json \
    2>"$tmp/inc.err")
is "$?" 0 "incidents --shared --json exits 0"
is "$(printf '%s' "$out" | jq -r --arg id "$id" \
    '.[] | select(.id == $id) | [.title, (.ended == null), (.operators | sort | join(",")), .pen] | @tsv')" \
    "$(printf 'Shared test\ttrue\talice,bob\talice')" \
    "it lists the incident, open, with both operators, alice holding the pen"

# --- webhooks -------------------------------------------------------------

received() {
	[ -f "$tmp/received" ] && jq -r --arg p "$1" \
	    'select(.path | startswith($p)) | .body | fromjson | .text' \
	    "$tmp/received"
}
i=0
while ! received /good/ | grep -q 'primary host is gone\|No, fail over'; do
	i=$((i + 1))
	[ "$i" -gt 100 ] && break
	sleep 0.05
done
good=$(received /good/)
printf '%s\n' "$good" | sed 's/^/# good: /'
like "$good" 'note: database down, working on' \
    "alice's note reached the receiver as {\"text\": ...}"
like "$good" 'decision choose: No, fail over' "and her decision"
unlike "$good" 'replica lag|bob was here' "bob's notes did not go through alice's webhooks"
is "$(printf '%s\n' "$good" | grep -c .)" 2 \
    "nothing but notes and decisions (no steps, no pen, no start)"
is "$(jq -r 'select(.path | startswith("/good/")) |
    (.content_type | startswith("application/json")) and
    (.body | fromjson | .text | type == "string")' "$tmp/received" |
    sort -u)" "true" "every payload is JSON with a text"

# The hanging receiver and the 500 one got the decision (one message at
# a time per URL: they are retrying it).  Once a new attempt reaches the
# hanging one, it holds it for 10 s (rbnav's timeout): the screen must
# answer keys all the while.
as alice
scr_keys n
scr_like "n asks for another note" 'Note for the timeline'
scr_type 'webhook stress'
scr_keys Enter
scr_like "the note is in her timeline" ' alice +note: webhook stress'
like "$(received /fail/)" 'decision choose' "the failing receiver got the decision (answered 500)"
n0=$(received /hang/ | wc -l)
check "the hanging receiver got the decision ($n0 tries so far)" test "$n0" -ge 1
i=0
while [ "$(received /hang/ | wc -l)" -le "$n0" ]; do
	i=$((i + 1))
	[ "$i" -gt 500 ] && break
	sleep 0.05
done
check "the hanging receiver is tried again" test "$(received /hang/ | wc -l)" -gt "$n0"
worst=0
# Timeline → Contacts → Output → Status → Timeline, twice; each pane
# known by what it shows.
for pane in contacts output status timeline contacts output status timeline
do
	case $pane in
	contacts)	re='No contacts in this runbook' ;;
	output)		re='No command has run yet' ;;
	status)		re='No systems in this runbook' ;;
	timeline)	re=' alice +note: webhook stress' ;;
	esac
	t0=$(scr_ms)
	scr_keys Tab
	scr_wait "$re" 2 || worst=99999
	dt=$(( $(scr_ms) - t0 ))
	[ "$dt" -gt "$worst" ] && worst=$dt
done
check "Tab changes the pane within 250 ms while hooks are retried (worst ${worst} ms)" \
    test "$worst" -lt 250
figures="$figures
# Tab while webhooks hang: worst ${worst} ms"
fails=$(received /fail/ | grep -c 'decision choose')
check "the 500 receiver is retried ($fails tries so far)" test "$fails" -ge 2

# The 500 receiver is given up after 5 tries (1 + 2 + 4 + 8 s apart):
# recorded in alice's journal, and said on her screen.
i=0
while ! jq -e 'select(.type == "webhook.failed")' "$alice_journal" \
    >/dev/null 2>&1; do
	i=$((i + 1))
	[ "$i" -gt 400 ] && break
	sleep 0.05
done
failed=$(jq -c 'select(.type == "webhook.failed") | {url, why}' \
    "$alice_journal" | head -n 1)
like "$failed" "^\\{\"url\":\"http://127.0.0.1:$WEBHOOK_PORT/fail/…\",\"why\":\"HTTP 500 Internal Server Error \\(5 tries\\)\"\\}\$" \
    "the give-up is in alice's journal, the URL's secret path cut"
is "$(received /fail/ | grep -c 'decision choose')" 5 "after 5 tries"
as alice
scr_like "and her screen says which webhook failed and why" \
    "/fail/… .*HTTP 500" 3

as alice
scr_keys q
scr_wait_exit 10
is "$scr_status" 0 "alice leaves with q"
as bob
scr_like "leaving, alice put the pen down: bob sees it" \
    ' Timeline .* nobody holds the pen ─$' 5
scr_keys H
scr_like "and bob's H takes it" ' Timeline .* you hold the pen ─$' 3
is "$(jq -c 'select(.type == "pen.take") | .from' "$bob_journal")" '""' \
    "pen.take (from nobody) is in bob's journal"
scr_keys q
scr_wait_exit 10
is "$scr_status" 0 "bob leaves with q"

# --- export --shared: every operator's events, merged -----------------------
out=$("$RBNAV" export "$id" --shared --timeline-db "$PG_CONNINFO" \
    --format json 2>"$tmp/export.err")
is "$?" 0 "export --shared exits 0"
is "$(printf '%s' "$out" | jq -r '.incident.operators | join(",")' 2>/dev/null)" \
    "alice,bob" "the merged report lists both operators"
md=$("$RBNAV" export "$id" --shared --timeline-db "$PG_CONNINFO")
like "$md" 'Chain: verified' "each origin's chain verifies in the merge"
head_alice=$(tail -n 1 "$alice_journal" | tr -d '\n' | sha256sum |
    cut -d' ' -f1)
like "$md" "alice@[^=]*=[0-9]+:$head_alice" \
    "the report gives alice's head anchor, the hash of her last line"
like "$md" 'bob@[^=]*=[0-9]+:[0-9a-f]{64}' "and bob's"

printf '%s\n' "$figures"
finish
