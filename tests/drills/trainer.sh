#!/bin/sh
# The trainer's side of a drill and the simulated world: a timed event
# fires on the drill clock; p pauses the clock (header PAUSED, the clock
# stands still, timed events wait) and resumes it; ! changes a system's
# state through two prompts; a step's after-states move the panes and
# stop the RTO clock.  Fixture drill drillfix-trainer (cache down 3 s in).
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/drills/lib.sh"

# The Status pane: Tab until it shows (its lines say "Ns ago").
status_pane() {
	for i in 1 2 3 4; do
		dr_last=$(dr_screen)
		dr_has '[0-9]+s ago' && return 0
		dr_keys Tab
		dr_wait '[0-9]+s ago' 1 >/dev/null && return 0
	done
	return 1
}

clock() {
	printf '%s\n' "$dr_last" | head -n 1 |
	    sed -nE 's/.*T\+([0-9]{2}:[0-9]{2}:[0-9]{2}).*/\1/p'
}

# --- the timed event --------------------------------------------------
dr_start event "$RBNAV" -r "$dr_data/runbooks" drill drillfix-trainer
dr_like "the briefing" '^ DRILL +Briefing: Cache lost' 10
dr_keys Enter
dr_like "the drill's incident screen" '^ DRILL .*T\+00:00:0' 10
dr_like "the initial states in the strip" '● Cache'
end=$(dr_deadline 10)
while [ -z "$(dr_events check.change | jq -c 'select(.system == "cache"
    and .to == "down")')" ] && [ "$(dr_ms)" -lt "$end" ]; do
	sleep 0.05
done
ev=$(dr_events check.change | jq -c 'select(.system == "cache" and
    .to == "down")')
is "$(printf '%s' "$ev" | jq -c '[.from, .detail, .mode]')" \
    '["up","drill event","drill"]' \
    "the event at 3s: check.change cache up -> down, a drill event"
t=$(printf '%s' "$ev" | jq '.t // 0')
check "it fires at about 3 s of drill time (t=$t ms)" \
    test "$t" -ge 2800 -a "$t" -le 5000
dr_like "the strip shows the cache down" '✗ Cache'

# --- p: pause and resume ----------------------------------------------
dr_keys p
dr_like "p: the header says PAUSED" '^ DRILL .*PAUSED T\+'
c1=$(clock)
sleep 1.5
dr_last=$(dr_screen)
c2=$(clock)
is "$c2" "$c1" "paused: the clock stands still over 1.5 s ($c1)"
is "$(dr_events drill.pause | jq -c '[.mode, (.clock | type)]')" \
    '["drill","number"]' "drill.pause recorded with the clock"
dr_keys p
dr_gone "p again: PAUSED goes" 'PAUSED'
dr_wait_gone "T\\+$c2" 3
check "resumed: the clock moves again" test "$(clock)" != "$c2"
is "$(dr_events drill.resume | wc -l)" 1 "drill.resume recorded"
pc=$(dr_events drill.pause | jq .clock)
rc=$(dr_events drill.resume | jq .clock)
check "the drill clock does not count the pause (pause $pc, resume $rc)" \
    test "$((rc - pc))" -ge 0 -a "$((rc - pc))" -le 300
# The debrief's time is the drill clock: the pause left out.
dr_end "paused once"
ok $? "ended: the debrief"
deb=$(dr_debrief)
el=$(printf '%s' "$deb" | jq .elapsed_ms)
dt=$(printf '%s' "$deb" | jq .t)
pt=$(( $(dr_events drill.resume | jq .t) - $(dr_events drill.pause | jq .t) ))
check "debrief elapsed_ms $el = $dt ms of timeline - $pt ms paused (±500)" \
    test "$el" -ge $((dt - pt - 500)) -a "$el" -le $((dt - pt + 500))
dr_keys q
dr_wait 'runbook navigator' 5
dr_keys q
dr_wait_exit 5

# --- a timed event waits while the clock is paused --------------------
dr_state=$tmp/state-paused
dr_start paused "$RBNAV" -r "$dr_data/runbooks" drill drillfix-trainer
dr_wait '^ DRILL +Briefing: ' 10
dr_keys Enter p
dr_like "paused at once" 'PAUSED T\+00:00:0[01]' 5
# 4.5 s of wall time, the event is at 3 s of drill time.
sleep 4.5
is "$(dr_events check.change | jq -c 'select(.system == "cache" and
    .to == "down")')" "" "no timed event while the clock is paused"
dr_keys p
dr_like "resumed: the event comes on the drill clock" '✗ Cache' 6
dr_keys q
dr_wait_exit 5

# --- !: the trainer injects a change ----------------------------------
dr_state=$tmp/state-inject
dr_start inject "$RBNAV" -r "$dr_data/runbooks" drill drillfix-trainer
dr_wait '^ DRILL +Briefing: ' 10
dr_keys Enter
dr_like "inject: the incident screen" '● Orders API' 10
# The help lists the trainer's keys, and the drill stays a drill.
dr_keys '?'
dr_like "?: the help lists p" 'drill: pause or resume the drill clock'
like "$dr_last" "drill: the trainer changes a system's state" \
    "?: the help lists !"
like "$(printf '%s\n' "$dr_last" | head -n 1)" '^ DRILL ' \
    "?: the DRILL banner stays on the help screen"
dr_keys q
dr_wait '^ DRILL .*T\+' 5
dr_keys '!'
dr_like "!: which system" 'Trainer: which system changes'
like "$dr_last" '1  Orders API' "the systems are offered by name"
dr_type 1
dr_like "then its new state" 'Orders API becomes'
like "$dr_last" '1  down' "down is offered"
like "$dr_last" '3  up' "up is offered"
dr_type 1
dr_wait_gone 'Orders API becomes' 5
dr_like "the strip shows the API down" '✗ Orders API'
is "$(dr_events drill.inject | jq -c '[.system, .to, .mode]')" \
    '["api","down","drill"]' "drill.inject recorded"
is "$(dr_events check.change | jq -c 'select(.system == "api" and
    .detail == "trainer") | [.from, .to]')" '["up","down"]' \
    "check.change api up -> down (trainer) recorded"
status_pane
dr_like "the Status pane shows the API down" \
    '✗ Orders API .*down.*trainer'
like "$dr_last" '✗ Orders DB .*down.*drill start' "and the database down since the start"

# --- playback: the drill's output at a readable pace -------------------
# look's drill result (the drill file's): one line, exit 0, 1s.
dr_keys Enter
dr_like "look: running (drill), nothing executed" 'c1 running \(drill\)' 3
dr_like "look: its drill output" 'ERROR orders-db: connection refused' 3
dr_like "look: exit 0" 'c1 exit 0 in' 5
ex=$(dr_events command.exit | head -n 1)
check "look: played back over about its duration ($(printf '%s' "$ex" |
    jq .ms) ms)" test "$(printf '%s' "$ex" | jq .ms)" -ge 400
is "$(printf '%s' "$ex" | jq -c '[.exit, .tail]')" \
    '[0,["ERROR orders-db: connection refused"]]' \
    "look: command.exit has the drill's exit status and output"
is "$(dr_events command.start | jq -c '[.step, .simulated]')" \
    '["look",true]' "look: command.start says simulated"
dr_wait_gone ' look [^ ]+ (pending|running)' 5

# --- after-states ------------------------------------------------------
dr_take outage/stop-api
ok $? "after: stop-api"
dr_take outage/restart-db
ok $? "after: restart-db, whose drill result says after: {db: up}"
dr_like "the strip shows the database up, its RTO clock stopped" \
    '● Orders DB back in [0-9:]+'
is "$(dr_events check.change | jq -c 'select(.system == "db" and
    .to == "up") | [.from, .detail]')" '["down","after a step"]' \
    "check.change db down -> up (after a step)"
is "$(dr_events rto | jq -c 'select(.system == "db") | [.met, .rto_ms]')" \
    '[true,1200000]' "rto recorded for db: met, RTO 20m"
status_pane
dr_like "the Status pane shows the database up" '● Orders DB .*up'
is "$(jq -c 'select(.mode != "drill") | .type' "$(dr_journal)" |
    tr '\n' ' ')" "" "every event carries \"mode\":\"drill\""
dr_keys q
dr_wait_exit 5
is "$dr_status" 0 "q leaves"
finish
