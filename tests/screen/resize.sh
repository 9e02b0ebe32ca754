#!/bin/sh
# Resizing: too small says so, 1x1 does not crash, back to 80x24 gives
# the same screen as before, and 100x30 and 60x16 lay everything out
# within the width.
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/screen/lib.sh"

alive() { scr_alive "$pid"; }
hz=$(getconf CLK_TCK)

# Row $2 (0-based) of the screen.
row() { scr_screen | sed -n "$(($1 + 1))p"; }

for view in picker incident; do
	if [ $view = picker ]; then
		scr_start -r "$scr_data/incident.yaml" -r "$scr_data/decision.yaml"
		scr_up "$view: the picker is up at 80x24" '2 runbooks · 4 shown$'
	else
		scr_start --operator rita -r "$scr_data/incident.yaml" run scr-web/web-down --title 'Resize'
		scr_like "$view: the incident is up at 80x24" '^ LIVE  Resize  '
		scr_wait ' rita +step (1 )?look' >/dev/null
	fi
	pid=$(scr_pid)
	before=$(scr_screen | scr_normalise)

	scr_resize 40 10
	scr_like "$view: 40x10 says the terminal is too small" '^terminal too small$'
	is "$(scr_screen | grep -c .)" 1 "$view: and nothing else"
	scr_resize 1 1
	scr_like "$view: 1x1 shows what fits" '^t$'
	check "$view: 1x1 does not crash" alive
	scr_resize 30 30
	scr_like "$view: 30x30 is too small too" '^terminal too small$'
	scr_resize 80 5
	scr_like "$view: 80x5 too" '^terminal too small$'
	check "$view: still running" alive

	scr_resize 80 24
	scr_gone "$view: back at 80x24 the screen comes back" 'terminal too small'
	after=$(scr_screen | scr_normalise)
	i=0
	while [ "$after" != "$before" ] && [ $i -lt 40 ]; do
		sleep 0.05
		after=$(scr_screen | scr_normalise)
		i=$((i + 1))
	done
	is "$after" "$before" "$view: the same screen as before, without artefacts"

	# 100x30 and 60x16 (the smallest): laid out, nothing wider than the
	# screen (resizing without a key in between).
	scr_resize 100 30
	if [ $view = picker ]; then
		scr_like "$view: 100x30: the header spans the width" '^ rbnav  runbook navigator {40,}2 runbooks · 4 shown$'
		like "$(row 29)" '^ Up/k move  Enter start' "$view: 100x30: the hints are on the last row"
		like "$scr_last" '^(─){100}$' "$view: 100x30: the separator spans the width"
		like "$scr_last" 'Checkout page times out  \[Web frontend, Orders database\]$' \
		    "$view: 100x30: the wider list shows more"
	else
		scr_like "$view: 100x30: the header spans the width" '^ LIVE  Resize  \(scr-web › web-down\) {40,}T\+[0-9:]{8}  rita$'
		like "$(row 29)" '^ Up/k move  Enter run/open' "$view: 100x30: the hints are on the last row"
		like "$scr_last" '^─ Output ─ Status ─ Timeline ─ Contacts (─){60}$' \
		    "$view: 100x30: the bottom pane spans the width"
		like "$scr_last" '^▶ 1 Look at the load balancer dashboard +│step 1/5' \
		    "$view: 100x30: the step list is wider"
	fi
	check "$view: 100x30: no line is wider than 100 columns" scr_fits 100
	scr_golden "resize-$view-100x30"

	scr_resize 60 16
	if [ $view = picker ]; then
		scr_like "$view: 60x16 (the smallest) is laid out" '^ rbnav  runbook navigator +2 runbooks · 4 shown$'
		like "$(row 15)" '^ Up/k move  Enter start' "$view: 60x16: the hints are on the last row"
		like "$scr_last" '^(─){60}$' "$view: 60x16: the separator spans the width"
	else
		scr_like "$view: 60x16 (the smallest) is laid out" '^ LIVE  Resize  \(scr-web › web-down\) +T\+[0-9:]{8}  rita$'
		like "$(row 15)" '^ Up/k move  Enter run/open' "$view: 60x16: the hints are on the last row"
		like "$scr_last" '^─ Output ─ Status ─ Timeline ─ Contacts (─){20}$' \
		    "$view: 60x16: the bottom pane spans the width"
	fi
	unlike "$scr_last" 'terminal too small' "$view: 60x16 is not too small"
	check "$view: 60x16: no line is wider than 60 columns" scr_fits 60
	scr_golden "resize-$view-60x16"

	scr_resize 59 16
	scr_like "$view: 59 columns are too few" '^terminal too small$'
	scr_resize 60 15
	scr_like "$view: 15 rows are too few" '^terminal too small$'

	scr_resize 80 24
	scr_gone "$view: back at 80x24 again" 'terminal too small'

	# Keys still work after the resizes, and the program stays idle.
	scr_keys Down
	if [ $view = picker ]; then
		scr_like "$view: keys work after a resize (Down moves)" '^ > Triage checkout  scr-decide$'
	else
		scr_like "$view: keys work after a resize (Down moves)" '│step 2/5 · restart · pending$'
	fi
	cpu0=$(scr_cpu "$pid")
	sleep 1		# a measure over a second, not a synchronisation
	cpu1=$(scr_cpu "$pid")
	check "$view: idle after a resize and a key (< 0.1 s of CPU in 1 s; used $((${cpu1:-0} - ${cpu0:-0})) ticks of 1/$hz s)" \
	    test $(( (${cpu1:-0} - ${cpu0:-0}) * 10 )) -lt "$hz"
	scr_keys q
	scr_wait_exit
	is "$scr_status" 0 "$view: q exits 0"
	check "$view: the terminal settings are restored" scr_stty_restored
done
finish
