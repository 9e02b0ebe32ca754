#!/bin/sh
# Text input in a prompt (the note prompt): typing, the cursor keys,
# deleting, Ctrl-U and Ctrl-W, UTF-8, long lines, and Esc.
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/screen/lib.sh"

command -v jq >/dev/null 2>&1 || skip_all "jq is not installed"

scr_start --operator pat -r "$scr_data/incident.yaml" run scr-web/web-down --title 'Prompts'
scr_up "the incident starts" '^ LIVE  Prompts  \(scr-web › web-down\) '
j=$(scr_journal)
notes() { jq -r 'select(.type == "note") | .text' "$j" 2>/dev/null; }
last_note() { notes | tail -n 1; }
nnotes() { notes | wc -l | tr -d ' '; }

# Open the note prompt and wait for it.
note() {
	scr_keys n
	scr_wait '│ Note for the timeline +│' >/dev/null
}
# Enter, and wait for the note to be recorded.
save() {
	before=$(nnotes)
	scr_keys Enter
	scr_wait_gone 'Note for the timeline' >/dev/null
	i=0
	while [ "$(nnotes)" = "$before" ] && [ $i -lt 100 ]; do
		sleep 0.05
		i=$((i + 1))
	done
}

note
scr_type 'abc'
scr_like "typed text shows in the field" '│ abc +│'
scr_keys Left Left
scr_type 'X'
scr_like "Left moves the cursor: X is inserted before b" '│ aXbc +│'
scr_keys Home
scr_type '^'
scr_like "Home goes to the start" '│ \^aXbc +│'
scr_keys End
scr_type '$'
scr_like "End goes to the end" '│ \^aXbc\$ +│'
scr_keys Home Right Right
scr_type '-'
scr_like "Right moves forward one character" '│ \^a-Xbc\$ +│'
save
is "$(last_note)" '^a-Xbc$' "the note is recorded as edited"

note
scr_type 'hello brave world'
scr_keys BSpace BSpace
scr_like "Backspace deletes the character before the cursor" '│ hello brave wor +│'
scr_keys C-w
scr_like "Ctrl-W deletes the word before the cursor" '│ hello brave +│'
scr_keys C-w
scr_like "Ctrl-W again deletes the previous word and its space" '│ hello +│'
scr_type 'x'
save
is "$(last_note)" 'hello x' "the note is recorded as edited"

note
scr_type 'foo bar'
scr_keys Left Left Left C-u
scr_like "Ctrl-U deletes up to the cursor" '│ bar +│'
scr_type 'baz '
scr_like "typing goes on at the start" '│ baz bar +│'
save
is "$(last_note)" 'baz bar' "the note is recorded as edited"

note
scr_type 'abcd'
scr_keys Home DC
scr_like "Delete removes the character under the cursor" '│ bcd +│'
scr_keys Right C-k
scr_like "Ctrl-K deletes to the end" '│ b +│'
scr_keys C-a
scr_type '>'
scr_keys C-e
scr_type 'z'
scr_like "Ctrl-A and Ctrl-E go to the start and the end" '│ >bz +│'
save
is "$(last_note)" '>bz' "the note is recorded as edited"

# UTF-8: accents, and wide characters.  The cursor is drawn as the
# character under it in the "selected" colours.
note
scr_type 'héllo wörld 日本'
scr_like "UTF-8 text shows as typed" '│ héllo wörld 日本 +│'
scr_keys Left
scr_like_e "the cursor on a wide character: drawn on it, and it stays shown" \
    "wörld 日(${scr_esc}\\[[0-9;]*m)+本"
scr_keys BSpace
scr_like "Backspace deletes a whole wide character" '│ héllo wörld 本 +│'
scr_keys Home Right
scr_like_e "the cursor on é: drawn on it, and it stays shown" \
    "h(${scr_esc}\\[[0-9;]*m)+é${scr_esc}"
scr_keys Right BSpace
scr_like "and a whole two-byte character" '│ hllo wörld 本 +│'
scr_type 'é'
save
is "$(last_note)" 'héllo wörld 本' "the UTF-8 note is recorded intact"
scr_like "and shown in the timeline" 'note: héllo wörld 本$'

# A line longer than the field: the end, with the cursor, stays in view.
long="BEGIN$(printf '%090d' 7)END"
note
scr_type "$long"
scr_like "a long line scrolls to keep the cursor in view" '│ 0{60,}7END +│$'
unlike "$scr_last" 'BEGIN' "its start is scrolled out"
like "$scr_last" '^..│ Note for the timeline +│$' "the box keeps its width"
save
is "$(last_note)" "$long" "the whole long line is recorded"

# Esc cancels: nothing is recorded.
n=$(nnotes)
note
scr_type 'never recorded'
scr_like "the text is typed" '│ never recorded +│'
scr_keys Escape
scr_gone "Esc closes the prompt" 'Note for the timeline'
is "$(nnotes)" "$n" "Esc records no note"
unlike "$scr_last" 'never recorded' "and the text is gone from the screen"

# An empty note is not recorded either.
note
scr_keys Enter
scr_gone "Enter on an empty note closes the prompt" 'Note for the timeline'
is "$(nnotes)" "$n" "an empty note is not recorded"

scr_keys q
scr_wait_exit
is "$scr_status" 0 "q exits 0"
finish
