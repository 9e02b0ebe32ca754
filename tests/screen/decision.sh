#!/bin/sh
# Decisions: an ask step lists its choices, a digit (or arrows and Enter)
# picks one, the optional "why" goes into the decision event, and the
# goto jumps, within the scenario or into another one.
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/screen/lib.sh"

command -v jq >/dev/null 2>&1 || skip_all "jq is not installed"

scr_start --operator dora -r "$scr_data/decision.yaml" run scr-decide/triage \
    --title 'Checkout errors'
scr_up "the incident starts on the triage scenario" '^ LIVE  Checkout errors  \(scr-decide › triage\) '
like "$scr_last" '^Triage checkout +│' "the step list is titled with the scenario"
scr_keys d
scr_like "d moves to the decision step" '│step 2/6 · which · pending · current$'
like "$scr_last" '│\? Does the orders database answer\?$' "the detail shows the question"
like "$scr_last" '│  1 Yes, it answers → restart-app$' "and the first choice with its target"
like "$scr_last" '│  2 No, it is down → db-recover$' "and the second"

# Enter: the choices, digits pick.
scr_keys Enter
scr_like "Enter asks the question" '│ Does the orders database answer\? +│'
like "$scr_last" '│ > 1  Yes, it answers +│' "the first choice is selected"
like "$scr_last" '│   2  No, it is down +│' "the second is listed"
scr_keys 9
scr_like "a digit with no choice does nothing" '│ > 1  Yes, it answers +│'
scr_keys 1
scr_like "1 picks the first choice and asks why" '│ Why "Yes, it answers"\? \(optional; Enter to skip\) +│'
scr_type 'pg is up'
scr_keys Enter
scr_like "the goto jumps over the step in between" '^▶ 4 Restart the application +│'
like "$scr_last" '^✓ 2 Find the fault → restart-app│' "the decision step is done, with where it led"
like "$scr_last" '^· 3 Skipped over by the decision│' "the step jumped over stays pending"
like "$scr_last" 'decision which: Yes, it answers -> restart-app' \
    "the timeline shows the decision"

j=$(scr_journal)
ev() { jq -c "$1" "$j" 2>/dev/null | tr '\n' ' ' | sed 's/ $//'; }
is "$(ev 'select(.type == "decision") | {step, choice, goto, why}')" \
    '{"step":"which","choice":"Yes, it answers","goto":"restart-app","why":"pg is up"}' \
    "the decision event has the step, the choice, the goto and the why"
is "$(ev 'select(.type == "step.enter") | .step')" '"look" "which" "restart-app"' \
    "step.enter: the jumped-over step was never entered"

# Esc on the question answers nothing.
scr_keys d
scr_like "d moves to the second question" '│step 5/6 · better · pending · current$'
scr_keys Enter
scr_like "Enter asks the second question" '│ Are checkouts going through again\? +│'
scr_keys Escape
scr_gone "Esc closes the question" 'Are checkouts going through again\? +│$'
is "$(ev 'select(.type == "decision") | .step')" '"which"' "nothing is decided by Esc"

# Arrows and Enter; no why; a goto into another scenario.
scr_keys Enter
scr_like "Enter asks again" '│ > 1  Yes, all good +│'
scr_keys Down
scr_like "Down moves the selection" '│ > 2  No, recover the database +│'
scr_keys Enter
scr_like "Enter picks it and asks why" '│ Why "No, recover the database"\? \(optional; Enter to skip\) +│'
scr_keys Enter
scr_like "the header shows the new scenario" '^ LIVE  Checkout errors  \(scr-decide › db-recover\) '
like "$scr_last" '^▸ Triage checkout 4/6 → +│' "the scenario left behind is one line in the step list"
like "$scr_last" '^▾ Recover the orders database +│' "the new scenario is open below it"
like "$scr_last" '^▶ 1 Check the database disk +│' "its target step is current"
like "$scr_last" '│step 1/2 · check-disk · pending · current$' "the detail follows"
like "$scr_last" ' scenario db-recover' "the timeline shows the scenario entered"

is "$(ev 'select(.type == "decision" and .step == "better") | {step, choice, goto, why}')" \
    '{"step":"better","choice":"No, recover the database","goto":"db-recover/check-disk","why":null}' \
    "the second decision is recorded, without a why"
is "$(ev 'select(.type == "scenario.enter") | .scenario')" '"triage" "db-recover"' \
    "scenario.enter is recorded for the scenario jumped to"
is "$(jq -s -c '[.[] | select(.type == "step.enter")] | last | .step' "$j")" '"check-disk"' \
    "and step.enter for its step"

scr_keys d
scr_like "steps go on in the new scenario" '^▶ 2 Restore the last backup +│'
scr_keys q
scr_wait_exit
is "$scr_status" 0 "q exits 0"
finish
