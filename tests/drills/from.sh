#!/bin/sh
# rbnav drill --from INCIDENT -o FILE: a live incident (harmless echo
# and printf commands, one that exits 3; command checks on files that
# the test creates and removes) becomes a drill file that validates,
# and that drill taken along its expected path scores 100 without
# running any step or check.
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/drills/lib.sh"

fl=$tmp/fl
rbdir=$tmp/rb
mkdir -p "$fl" "$rbdir/drills"
sed "s|@DIR@|$fl|g" "$dr_data/from-live.yaml.in" >"$rbdir/fromlive.yaml"
"$RBNAV" validate "$rbdir/fromlive.yaml" >"$tmp/v0" 2>&1
is "$?" 0 "the live fixture runbook validates"

# wait_event JQ [T]: until an event of the newest timeline matches.
wait_event() {
	we_end=$(dr_deadline "${2:-10}")
	while [ -z "$(jq -c "$1" "$(dr_journal)" 2>/dev/null)" ]; do
		if [ "$(dr_ms)" -ge "$we_end" ]; then
			echo "# no event matches $1"
			return 1
		fi
		sleep 0.05
	done
}

# --- the live incident ----------------------------------------------------
touch "$fl/up-backend"
dr_state=$tmp/state-live
dr_start live "$RBNAV" -r "$rbdir" run outage --title "Backend outage for a drill"
dr_like "live: the incident screen under the LIVE banner" '^ LIVE .*T\+00:' 10
check "live: the first results of the checks" wait_event \
    'select(.type == "check.change" and .system == "db" and .to == "down")'
# The trainer's keys do nothing live.
dr_keys p
dr_like "live: p is for drills only" 'p pauses the clock of a drill only' 3
dr_keys '!'
dr_like "live: ! is for drills only" '! changes systems in a drill only' 3
is "$(jq -c 'select(.type | startswith("drill.")) | .type' "$(dr_journal)")" \
    "" "live: no drill.* event"
dr_take outage/inspect
ok $? "live: inspect (printf)"
rm -f "$fl/up-backend"
check "live: the backend goes down (its file removed)" wait_event \
    'select(.type == "check.change" and .system == "backend" and .to == "down")'
dr_take outage/try-fix
ok $? "live: try-fix (exit 3)"
is "$(dr_events step.fail | jq -r '.step + ": " + .reason')" \
    "try-fix: exit 3, expected 0" "live: try-fix failed with exit 3"
dr_take outage/start-db
ok $? "live: start-db (j, Enter after the failed step; y)"
touch "$fl/up-db"
check "live: the database comes up (its file created)" wait_event \
    'select(.type == "check.change" and .system == "db" and .to == "up")'
dr_take "outage/which:No, restart it"
ok $? "live: the decision"
dr_take outage/restart-backend
ok $? "live: restart-backend"
touch "$fl/up-backend"
check "live: the backend comes up" wait_event \
    'select(.type == "check.change" and .system == "backend" and .to == "up")'
DR_WAIT_GRACE=20 dr_take outage/verify
ok $? "live: verify (waits for both systems)"
dr_take outage/tell
ok $? "live: tell (a manual step)"
DR_END_RE='incident .* ended' dr_end "fixed by restarting"
ok $? "live: ended"
dr_keys q
dr_wait_exit 5
dr_kill
live=$(dr_journal)
id=$(basename "$live" .jsonl)
is "$(jq -r 'select(.type == "incident.start") | .mode' "$live")" live \
    "live: a live incident ($id)"

# --- the drill file ---------------------------------------------------------
out=$rbdir/drills/from.yaml
RBNAV_STATE_DIR=$tmp/state-live "$RBNAV" drill --from "$id" -o "$out" \
    >"$tmp/from.out" 2>&1
is "$?" 0 "drill --from $id -o FILE: exit 0"
check "drill --from: the file is written" test -s "$out"
sed 's/^/# | /' "$out" | head -n 80
"$RBNAV" validate "$rbdir/fromlive.yaml" "$out" >"$tmp/v1" 2>&1
rc=$?
is "$rc" 0 "validate RUNBOOK DRILL: exit 0"
like "$(cat "$tmp/v1")" ' 0 errors' "validate: 0 errors"
[ "$rc" = 0 ] || sed 's/^/# /' "$tmp/v1"
"$RBNAV" -r "$rbdir" validate "$out" >"$tmp/v2" 2>&1
is "$?" 0 "validate -r DIR DRILL: exit 0"
like "$(grep -E '^format:' "$out")" 'rbnav-drill/v1' "the format is rbnav-drill/v1"
like "$(grep -E '^runbook:' "$out")" 'fromlive' "its runbook is fromlive"
like "$(grep -E '^scenario:' "$out")" 'outage' "its scenario is outage"
exp=$(dr_expected "$out" | tr '\n' '|')
is "$exp" "outage/inspect|outage/try-fix|outage/start-db|outage/which:No, restart it|outage/restart-backend|outage/verify|outage/tell|" \
    "expected_path: the path the responders took"
like "$(sed -n '/^initial:/,/^[a-z]/p' "$out" | tr -d ' \n')" \
    'initial:(backend:up|db:down)(backend:up|db:down)' \
    "initial: the first states (backend up, db down)"
ev=$(sed -n '/^events:/,/^[a-z_]*:$/p' "$out" | tr -s ' \n' ' ')
like "$ev" 'system: backend state: down' "events: the backend going down"
like "$ev" 'system: db state: up' "events: the database coming up"
like "$ev" 'system: backend state: up' "events: the backend coming up"
like "$(sed -n '/try-fix:/,/duration/p' "$out" | tr -s ' \n' ' ')" \
    'exit: 3' "steps: try-fix's recorded exit status 3"
did=$(sed -n 's/^id: *//p' "$out" | tr -d "\"'")

# --- the drill, along its expected path --------------------------------------
rm -f "$fl"/trace-*
dr_state=$tmp/state-drill
dr_start drill "$RBNAV" -r "$rbdir" drill "$did"
dr_like "drill $did: its briefing" '^ DRILL +Briefing: ' 10
dr_keys Enter
dr_like "drill: the incident screen" '^ DRILL .*T\+00:' 10
# The waiting step waits for the recorded events: give it time.
DR_WAIT_GRACE=30 dr_take_path "$out"
ok $? "drill: its expected path taken"
dr_end "the drill from the incident"
ok $? "drill: the debrief"
dr_like "drill: Score: 100 / 100" 'Score: 100 / 100'
is "$(dr_debrief | jq -c '[.score, .penalties]')" '[100,[]]' \
    "drill: drill.debrief score 100, no penalty"
is "$(jq -c 'select(.type == "step.fail") | .step' "$(dr_journal)")" \
    '"try-fix"' "drill: try-fix fails again, on its recorded exit 3"
is "$(jq -c 'select(.type == "command.exit" and .exit != 0) | .exit' \
    "$(dr_journal)")" 3 "drill: command.exit 3, the recorded status"
is "$(ls "$fl" | grep trace- | tr '\n' ' ')" "" \
    "drill: no step and no check ran (no trace file)"
is "$(jq -r 'select(.type == "command.start") | .simulated' \
    "$(dr_journal)" | sort -u)" true "drill: every command.start is simulated"
dr_keys q
dr_wait 'runbook navigator' 5
dr_keys q
dr_wait_exit 5
finish
