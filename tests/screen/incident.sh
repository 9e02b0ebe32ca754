#!/bin/sh
# An incident from the picker: the title question, the header, done,
# skip (with and without a reason), failed, notes, the bottom panes and
# the events in the timeline file; --title skips the question.
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/screen/lib.sh"

command -v jq >/dev/null 2>&1 || skip_all "jq is not installed"

scr_start --operator alice -r "$scr_data/incident.yaml"
scr_up "the picker lists the fixture's scenario" '^ > Web shop is down  scr-web$'

# Enter asks for the title, pre-filled with the scenario's title.
scr_keys Enter
scr_like "Enter asks for the incident's title" '│ Incident title \(Enter to start\) +│'
like "$scr_last" '│ Web shop is down +│' "the title is pre-filled with the scenario's"
check "no timeline is written before the title is given" \
    test -z "$(scr_journal)"

# An empty title is refused, with a reason.
scr_keys C-u
scr_gone "Ctrl-U clears the pre-filled title" '│ Web shop is down +│'
scr_keys Enter
scr_like "an empty title is refused with a message" '│ an incident needs a title +│'
like "$scr_last" '│ Incident title \(Enter to start\)' "the question stays open"
check "no timeline after a refused title" test -z "$(scr_journal)"

scr_type 'Checkout broken'
scr_like "the title is typed in" '│ Checkout broken +│'
scr_keys Enter
scr_like "Enter starts the incident: LIVE, title, runbook › scenario, clock, operator" \
    '^ LIVE  Checkout broken  \(scr-web › web-down\) +T\+00:00:[0-9]{2}  alice$'
like "$scr_last" '^ [^ ]+ Web frontend RTO 1[45]:[0-9]{2} +[^ ]+ Orders database RTO 5[89]:[0-9]{2}' \
    "the strip shows the systems and their RTO clocks"
like "$scr_last" '^Web shop is down +│' "the step list is titled with the scenario"
like "$scr_last" '^▶ 1 Look at the load balancer da│' \
    "the first step is current"
like "$scr_last" '^· 2 Restart the web frontend +│' "the others are pending"
like "$scr_last" '│step 1/5 · look · pending · current$' "the detail describes the step"
like "$scr_last" '│Count the backends marked down\.$' "and shows its text"
like "$scr_last" '^─ Output ─ Status ─ Timeline ─ Contacts (─)+$' "the bottom pane has its tabs"
like "$scr_last" '^ [0-9:]{8} alice +(incident )?started.*: Checkout broken$' \
    "the Timeline pane is shown by default"
like "$scr_last" '^ [0-9:]{8} alice +step (1 )?look' \
    "the timeline shows the step entered"
j=$(scr_journal)
check "the timeline file is in \$RBNAV_STATE_DIR" test -f "$j"

# The default pane is the Timeline: its tab is the highlighted one (the
# only label with its own colours, so an escape sequence right before it).
tabs() { scr_screen_e | grep ' Contacts ' | head -n 1; }
like "$(tabs)" "$(printf '\033')\\[[0-9;]*m Timeline " "the Timeline tab is highlighted"
unlike "$(tabs)" "$(printf '\033')\\[[0-9;]*m (Output|Status|Contacts) " "the other tabs are not"

# d: done, and the next step becomes current.
scr_keys d
scr_like "d marks the step done (✓)" '^✓ 1 Look at the load balancer da│'
like "$scr_last" '^▶ 2 Restart the web frontend +│' "and the next step is current"
like "$scr_last" '│step 2/5 · restart · pending · current$' "the detail follows"
like "$scr_last" '│\$ echo restarting shop-web$' "with the step's command"

# y: the command to the clipboard (OSC 52; tmux keeps it as a buffer).
scr_keys y
scr_like "y copies the command" 'copied to the clipboard'
is "$(scr_clipboard)" "echo restarting shop-web" "the clipboard holds the command (OSC 52)"

# s on a step that is not optional: a reason is asked, an empty one refused.
scr_keys s
scr_like "s asks why the step is skipped" '│ Why skip this step\? +│'
scr_keys Enter
scr_like "an empty reason is refused with a message" '│ a skip needs a reason +│'
like "$scr_last" '│ Why skip this step\? +│' "the question stays open"
like "$scr_last" '^▶ 2 Restart the web frontend' "the step is not skipped"
scr_type 'already restarted by the on-call'
scr_keys Enter
scr_like "with a reason the step is skipped (↷)" '^↷ 2 Restart the web frontend +│'
like "$scr_last" '^▶ 3 Tell the support team +│' "and the next step is current"
like "$scr_last" 'skip restart: already restarted by the on-call$' \
    "the timeline shows the skip and its reason"

# f: failed, and the step stays current.
scr_keys f
scr_like "f asks what failed" '│ What failed\? \(Enter to mark it failed\) +│'
scr_type 'support channel is down'
scr_keys Enter
scr_like "f marks the step failed (✗)" '^✗ 3 Tell the support team +│'
like "$scr_last" '│step 3/5 · tell · failed · current$' "a failed step stays current"
like "$scr_last" 'fail tell: support channel is down$' "the timeline shows the failure"

# An optional step is skipped without a question.
scr_keys Down
scr_like "Down selects the next step" '│step 4/5 · cache · pending · optional$'
scr_keys s
scr_like "s on an optional step skips it at once" '^↷ 4 Warm the cache +│'
like "$scr_last" '^▶ 5 Verify checkout works +│' "and moves on"
unlike "$scr_last" 'Why skip' "no reason is asked"

# n: a note, shown in the Timeline pane.
scr_keys n
scr_like "n asks for a note" '│ Note for the timeline +│'
scr_type 'customer says checkout works again'
scr_keys Enter
scr_like "the note shows in the Timeline pane" '^ [0-9:]{8} alice +note: customer says checkout works again$'

# Tab cycles Output → Status → Timeline → Contacts (from the Timeline:
# Contacts).
scr_keys Tab
scr_like "Tab shows the Contacts pane" '^ Incident commander +Carol Example  \+1 555 0199$'
like "$(tabs)" "$(printf '\033')\\[[0-9;]*m Contacts " "the Contacts tab is highlighted"
like "$scr_last" '^ Database admin +Dave Example  dave@example\.com$' "with every contact"
unlike "$scr_last" 'note: customer' "the timeline is no longer shown"
scr_keys Tab
scr_like "Tab again shows the Output pane" '^ No command (output yet|has run yet)'
like "$(tabs)" "$(printf '\033')\\[[0-9;]*m Output " "the Output tab is highlighted"
scr_keys Tab
scr_like "Tab again shows the Status pane" '^ [^ ]+ Web frontend RTO [0-9:]+ +unknown +no check$'
like "$scr_last" '^ [^ ]+ Orders database RTO [0-9:]+ +unknown +no check$' "with every system (no checks: unknown)"
like "$(tabs)" "$(printf '\033')\\[[0-9;]*m Status " "the Status tab is highlighted"
scr_keys Tab
scr_like "and again the Timeline" '^ [0-9:]{8} alice +note: customer says checkout works again$'
like "$(tabs)" "$(printf '\033')\\[[0-9;]*m Timeline " "the Timeline tab is highlighted again"

# Help, from the incident's key table.
scr_keys '?'
scr_like "? opens the help" '^ rbnav help: Incident$'
like "$scr_last" '^  d +done$' "help lists d"
like "$scr_last" '^  s +skip$' "help lists s"
like "$scr_last" '^  f +failed$' "help lists f"
like "$scr_last" '^  n +note$' "help lists n"
like "$scr_last" '^  Tab +pane$' "help lists Tab"
like "$scr_last" '^  v +variables: list and change$' "help lists keys left out of the hint line"
is "$(printf '%s\n' "$scr_last" | grep -c '^  Enter ')" 1 "help lists Enter once"
scr_keys Escape
scr_like "Esc closes the help" '^ LIVE  Checkout broken '

# The events in the timeline file.
ev() { jq -r "$1" "$j" 2>/dev/null | tr '\n' ' ' | sed 's/ $//'; }
is "$(ev 'select(.type == "incident.start") | [.title, .runbook, .scenario, .mode, .op] | join(",")')" \
    "Checkout broken,scr-web,web-down,live,alice" "incident.start has the title, runbook, scenario, mode and operator"
is "$(ev 'select(.type == "incident.start") | .runbook_sha256')" \
    "$(sha256sum "$scr_data/incident.yaml" | cut -d' ' -f1)" \
    "incident.start has the SHA-256 of the runbook file's bytes"
is "$(ev 'select(.type == "scenario.enter") | .scenario')" "web-down" "scenario.enter is recorded"
is "$(ev 'select(.type == "step.enter") | .step')" "look restart tell cache verify" \
    "step.enter is recorded for each step reached"
is "$(ev 'select(.type == "step.done") | .step')" "look" "step.done is recorded"
is "$(ev 'select(.type == "step.skip") | [.step, .reason // "-"] | join("=")')" \
    "restart=already restarted by the on-call cache=-" "step.skip is recorded with its reason (none when optional)"
is "$(ev 'select(.type == "step.fail") | [.step, .reason] | join("=")')" \
    "tell=support channel is down" "step.fail is recorded with its reason"
is "$(ev 'select(.type == "note") | .text')" "customer says checkout works again" "the note is recorded"
is "$(ev 'select(.op != "alice") | .type')" "" "every event names the operator alice"
is "$(jq -s '[.[].seq] == [range(1; length + 1)]' "$j")" true "seq runs 1, 2, 3… with no gap"

# q leaves; the incident stays resumable.
scr_keys q
scr_wait_exit
is "$scr_status" 0 "q exits 0"
like "$(scr_stderr)" "^rbnav: incident [0-9]{8}T[0-9]{6}Z-web-down is still open; its timeline is $RBNAV_STATE_DIR/" \
    "and says where the open incident's timeline is"
check "the terminal settings are restored" scr_stty_restored

# --title skips the question.
scr_start --operator bob -r "$scr_data/incident.yaml" run scr-web/web-down --title 'Shop down again'
scr_like "--title starts the incident at once" '^ LIVE  Shop down again  \(scr-web › web-down\) +T\+00:00:[0-9]{2}  bob$'
unlike "$scr_last" 'Incident title' "no title question"
scr_golden incident-start
scr_keys q
scr_wait_exit
is "$scr_status" 0 "q exits 0"

# run SCENARIO without --title asks, over the picker.
scr_start -r "$scr_data/incident.yaml" run web-down
scr_like "run SCENARIO asks for the title" '│ Incident title \(Enter to start\) +│'
like "$scr_last" '│ Web shop is down +│' "pre-filled"
scr_keys Enter
scr_like "Enter accepts the pre-filled title" '^ LIVE  Web shop is down  \(scr-web › web-down\)'
like "$scr_last" 'T\+00:00:[0-9]{2}  operator$' "the operator defaults to 'operator' without \$USER"
scr_keys q
scr_wait_exit
is "$scr_status" 0 "q exits 0"
finish
