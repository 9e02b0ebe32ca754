#!/bin/sh
# A step with danger: Enter shows the reason and asks for the step id;
# keys typed before the question opened are dropped, a wrong id and Esc
# run nothing, the right id runs the command.
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/screen/lib.sh"

command -v jq >/dev/null 2>&1 || skip_all "jq is not installed"

esc=$(printf '\033')
scr_start --operator erin -r "$scr_data/danger.yaml" run scr-danger/purge --title 'Purge'
scr_up "the incident starts on the destructive step" '^▶ 1 Delete the broken orders +│'
like "$scr_last" '│DANGER: deletes every order marked broken:$' \
    "the detail shows the danger"
like "$scr_last" '│they cannot be restored$' "wrapped at the pane's width"
like "$scr_last" '│\$ echo deleted 42 broken orders$' "and the command"
like "$scr_last" '│type the id to run$' "and says the id must be typed (no dangling separator)"
like "$(scr_screen_e | grep 'DANGER:')" "${esc}\\[[0-9;]*91m(${esc}\\[[0-9;]*m)*DANGER:" \
    "the danger is drawn in red (bright red in the default theme)"
j=$(scr_journal)
ev() { jq -c "$1" "$j" 2>/dev/null | tr '\n' ' ' | sed 's/ $//'; }

# Enter and the id in one batch: the id was typed before the question.
scr_keys_type Enter wipe-orders
scr_like "Enter asks to type the step id" '│ Destructive step: Delete the broken orders +│'
like "$scr_last" '│ DANGER: deletes every order marked broken: they cannot be restored +│' \
    "the question shows the reason"
like "$scr_last" '│ Type the step id "wipe-orders" and Enter to run it; Esc cancels\. +│' \
    "and what to type"
unlike "$scr_last" '│ wipe-orders +│' "the id typed before the question opened is dropped"
is "$(ev 'select(.type == "confirm" or .type == "command.start") | .type')" "" \
    "nothing is confirmed or run by keys typed ahead"
like "$scr_last" '^▶ 1 Delete the broken orders' "the step is still pending"

# A wrong id is refused: nothing runs.
scr_type 'wipe-order'
scr_like "the id is typed into the question" '│ wipe-order +│'
scr_keys Enter
scr_like "a wrong id is refused" '"wipe-order" is not the step id: not run'
unlike "$scr_last" 'Destructive step' "the question is closed"
like "$scr_last" '^▶ 1 Delete the broken orders' "the step is still pending and current"
is "$(ev 'select(.type == "confirm") | {step, answer, typed}')" \
    '{"step":"wipe-orders","answer":"no","typed":false}' \
    "the refusal is recorded (answer no, typed false)"
is "$(ev 'select(.type == "command.start") | .type')" "" "no command was started"

# Esc cancels.
scr_keys Enter
scr_like "Enter asks again" '│ Destructive step: Delete the broken orders +│'
scr_type 'wipe-orders'
scr_like "with the right id typed" '│ wipe-orders +│'
scr_keys Escape
scr_gone "Esc closes the question" 'Destructive step'
like "$scr_last" '^▶ 1 Delete the broken orders' "the step is not run"
is "$(ev 'select(.type == "command.start") | .type')" "" "no command was started after Esc"
is "$(ev 'select(.type == "confirm") | .answer')" '"no" "no"' "Esc is recorded as no"

# The right id runs it.
scr_keys Enter
scr_like "Enter asks once more" '│ Destructive step: Delete the broken orders +│'
scr_type 'wipe-orders'
scr_keys Enter
scr_like "the right id runs the command" '^ deleted 42 broken orders$'
scr_like "the step succeeds and the next is current" '^▶ 2 Count the orders again +│'
is "$(ev 'select(.type == "confirm") | {answer, typed}' | sed 's/.* //')" '{"answer":"yes","typed":true}' \
    "the confirmation is recorded (answer yes, typed true)"
is "$(jq -r 'select(.type == "confirm" or .type == "command.start") | .type' "$j" | tail -n 2 | tr '\n' ' ')" \
    "confirm command.start " "the confirmation is recorded before the command starts"

scr_keys q
scr_wait_exit
is "$scr_status" 0 "q exits 0"
finish
