#!/bin/sh
# Untrusted text: wide characters, emoji and combining marks are laid out
# within their panes; escape sequences and control characters in a
# runbook are shown as placeholders, never sent to the terminal (no title
# change, no clipboard write, no bell, no screen clear).
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/screen/lib.sh"

# Decomposed accents, as the runbook writes them (e + U+0301 …).
cafe=$(printf 'Cafe\314\201')
zurich=$(printf 'Zu\314\210rich')
espana=$(printf 'Espan\314\203a')
bad=$(printf '\357\277\275')		# U+FFFD, the placeholder

title() { scr_tmux display -p -t rbnav '#{pane_title}'; }
bell() { scr_tmux display -p -t rbnav '#{window_bell_flag}'; }

# The display width of what is left of the first │ on rows $1 to $2
# (1-based), one number a line.
left_widths() {
	scr_screen | sed -n "$1,$2p" | while IFS= read -r l; do
		printf '%s\n' "${l%%│*}" | LC_ALL=C.UTF-8 wc -L
	done | sort -u | tr '\n' ' ' | sed 's/ $//'
}

scr_start -r "$scr_data/utf8.yaml"
scr_up "the picker is up" '1 runbooks · 2 shown$'
title0=$(title)
like "$scr_last" '^ > データベース障害 🔥 CJK  scr-utf8$' "CJK and emoji in a title"
like "$scr_last" "^      Combining marks: $cafe $zurich $espana · 接続が拒否されま\$" \
    "combining marks stay on their letters; a wide character that does not fit is left out"
like "$scr_last" "^   Title ${bad}\\]0;pwned${bad} and ${bad}\\[2J clear  scr-utf8\$" \
    "escape sequences in a title are shown with placeholders"
like "$scr_last" "^      ${bad}\\[31mred${bad}\\[0m symptom\$" "and in a symptom"
like "$scr_last" '^ rbnav  runbook navigator' "the screen was not cleared by \\e[2J"
like "$scr_last" "^   - 接続が拒否されました 🚒🚒🚒 接続が拒否されました 接続が拒否されました 接続\$" \
    "the detail box clips a long CJK line on a character boundary"
check "no line is wider than 80 columns" scr_fits 80

scr_keys Down
scr_like "the escape scenario is selected" "^ Ünïcödé runbook 日本語  ›  Title ${bad}\\]0;pwned${bad} and ${bad}\\[2J clear\$"
is "$(title)" "$title0" "the terminal title is not changed"
check "no line is wider than 80 columns" scr_fits 80

# The incident screen, on both scenarios.
scr_keys Enter
scr_like "the title question is pre-filled with the placeholders" "│ Title ${bad}\\]0;pwned${bad} and ${bad}\\[2J clear +│"
scr_keys Enter
scr_like "the incident starts" '^ LIVE  Title '
like "$scr_last" "^▶ 1 Step ${bad}\\]0;pwned${bad} here +│" "a step title with OSC 0 is shown with placeholders"
like "$scr_last" "^· 2 Bell ${bad}${bad} and backspace ${bad} here│" "BEL and BS are placeholders"
like "$scr_last" "│Text ${bad}\\]52;c;cHduZWQ=${bad} clipboard ${bad}\\[H${bad}\\[2J home\$" \
    "an OSC 52 in a step's text is shown, not sent"
is "$(title)" "$title0" "the terminal title is still not changed"
is "$(scr_clipboard)" "" "nothing was written to the clipboard (OSC 52)"
is "$(bell)" 0 "no bell was rung"
is "$(left_widths 3 16)" 32 "the step list keeps its width on every row"
check "no line is wider than 80 columns" scr_fits 80
scr_keys Down
scr_like "the BEL step is shown in the detail" "│Bell ${bad}${bad} and backspace ${bad} here\$"
is "$(bell)" 0 "still no bell"
scr_keys q
scr_wait_exit
is "$scr_status" 0 "q exits 0"

scr_start -r "$scr_data/utf8.yaml" run scr-utf8/cjk --title '日本語 🔥 title'
scr_like "an incident with a wide title" '^ LIVE  日本語 🔥 title  \(scr-utf8 › cjk\) +T\+[0-9:]{8}  operator$'
like "$scr_last" '^▶ 1 再起動する 🔁 サービス 日本 │' \
    "a wide step title is clipped before the pane's border"
like "$scr_last" '^· 2 x日本語日本語日本語日本語日 │' "one column is left blank rather than split a character"
like "$scr_last" '│日本語日本語日本語日本語日本語日本語日本語日本$' \
    "the detail wraps wide text on character boundaries"
like "$scr_last" "│Combining: $cafe $(printf 'o\314\210') $(printf 'n\314\203') and more text to wrap\$" \
    "combining marks in wrapped text"
is "$(left_widths 3 16)" 32 "the step list keeps its width on every row"
check "no line is wider than 80 columns" scr_fits 80
scr_golden utf8-incident
scr_keys q
scr_wait_exit
is "$scr_status" 0 "q exits 0"
is "$(title)" "$title0" "the terminal title was never changed"
finish
