#!/bin/sh
# The score of a drill: each mistake alone costs exactly its points
# (src/debrief.h): a wrong decision DEBRIEF_WRONG_CHOICE (15), an
# expected step skipped (so missed) DEBRIEF_MISSED (10), a declined
# confirmation DEBRIEF_DECLINED (5); also a step out of order, a step
# off the path and the time limit.  The fixture drill drillfix-basic is
# taken along its path once without a mistake (100, a note) and once per
# mistake; the runs go at once.
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/drills/lib.sh"

h=$top_srcdir/src/debrief.h
pt() {
	sed -nE "s/^#define[ \t]+$1[ \t]+([0-9]+).*/\1/p" "$h"
}
wrong=$(pt DEBRIEF_WRONG_CHOICE)
missed=$(pt DEBRIEF_MISSED)
declined=$(pt DEBRIEF_DECLINED)
is "$wrong $missed $declined" "15 10 5" \
    "debrief.h: wrong choice 15, missed 10, declined 5 points"

drill=$dr_data/runbooks/drills/drillfix-basic.yaml

fx_start() {
	dr_state=$tmp/state-$1
	dr_start "$1" "$RBNAV" -r "$dr_data/runbooks" drill \
	    "${2:-drillfix-basic}"
	dr_wait '^ DRILL +Briefing: ' 10 || return 1
	dr_keys Enter
	dr_wait '^ DRILL .*T\+00:' 10
}

# fx_check NAME SCORE PENALTIES: the debrief screen and drill.debrief.
# PENALTIES: the penalty list as compact JSON [{what,detail,points}].
fx_check() {
	dr_end "$1"
	ok $? "$1: the debrief screen"
	dr_like "$1: the screen says Score: $2 / 100" "Score: $2 / 100"
	deb=$(dr_debrief)
	is "$(printf '%s' "$deb" | jq -c .score)" "$2" \
	    "$1: drill.debrief score $2"
	is "$(printf '%s' "$deb" | jq -c '[.penalties[] |
	    {what, detail, points}]')" "$3" "$1: exactly these penalties"
	is "$(printf '%s' "$deb" | jq -c '100 + ([.penalties[].points] | add // 0)')" \
	    "$2" "$1: the score is 100 minus the penalties"
}

run_clean() {
	fx_start clean || return 1
	dr_take_path "$drill"
	ok $? "clean: the expected path"
	# A note costs nothing and is in the debrief.
	dr_keys n
	dr_wait 'Note for the timeline' 5
	dr_type "the DB crash is the third this month"
	dr_keys Enter
	dr_wait_gone 'Note for the timeline' 5
	fx_check clean 100 '[]'
	is "$(dr_debrief | jq -c .notes)" \
	    '["the DB crash is the third this month"]' "clean: the note in the debrief"
	dr_like "clean: the note on the debrief screen" \
	    'note: the DB crash is the third this month'
	is "$(dr_debrief | jq -c '[.missed, .wrong_choices, .skipped,
	    .declined, .extra, .out_of_order]')" '[[],[],[],[],[],0]' \
	    "clean: nothing missed, wrong, skipped, declined or extra"
	dr_like "clean: the debrief says no mistakes" \
	    'The expected path, no mistakes'
	like "$dr_last" 'Orders DB: 0:0[0-9] \(RTO 20:00\) met' \
	    "clean: the database's recovery against its RTO"
	unlike "$dr_last" 'Cache: not recovered' \
	    "clean: the cache, never down, is not called 'not recovered'"
}

# The other choice at the decision, then back on the path: select
# start-api (the decision jumped to restore) and go on.
run_wrong() {
	fx_start wrong || return 1
	for r in outage/look outage/stop-api outage/restart-db \
	    "outage/decide:No, restore it" outage/start-api outage/tell; do
		dr_take "$r" || { ok 1 "wrong: step $r"; return 1; }
	done
	ok 0 "wrong: the path with the other choice at the decision"
	fx_check wrong $((100 - wrong)) "[{\"what\":\"wrong decision\",\"detail\":\"outage/decide: chose \\\"No, restore it\\\", expected \\\"Yes, start the API\\\"\",\"points\":-$wrong}]"
	is "$(dr_debrief | jq -c '[(.wrong_choices | length), .missed,
	    .extra]')" '[1,[],[]]' \
	    "wrong: one wrong choice, nothing missed, no extra step"
	dr_like "wrong: the screen lists it with its points" \
	    "-$wrong +wrong decision: outage/decide"
}

# The first expected step skipped (with a reason): it is missed.
run_skip() {
	fx_start skip || return 1
	dr_wait 'step 1/7 [^ ]+ look ' 5
	dr_keys s
	dr_wait 'Why skip this step' 5
	dr_type "logs are known"
	dr_keys Enter
	dr_wait_gone 'Why skip this step' 5
	is "$(dr_events step.skip | jq -r '.step + ": " + .reason')" \
	    "look: logs are known" "skip: step.skip with its reason"
	for r in outage/stop-api outage/restart-db \
	    "outage/decide:Yes, start the API" outage/start-api outage/tell; do
		dr_take "$r" || { ok 1 "skip: step $r"; return 1; }
	done
	ok 0 "skip: the rest of the path"
	fx_check skip $((100 - missed)) "[{\"what\":\"missed step\",\"detail\":\"outage/look\",\"points\":-$missed}]"
	is "$(dr_debrief | jq -c '[.skipped, .missed]')" \
	    '[["outage/look"],["outage/look"]]' \
	    "skip: listed as skipped and as missed"
}

# n at the confirmation of stop-api (not run), then the path as usual.
run_declined() {
	fx_start declined || return 1
	dr_take outage/look || { ok 1 "declined: step look"; return 1; }
	dr_wait 'step 2/7 [^ ]+ stop-api ' 5
	dr_keys Enter
	dr_wait 'y = yes, n or Enter = no' 5
	dr_keys n
	dr_like "declined: not run" 'not run'
	is "$(dr_events confirm | jq -c '[.step, .answer]')" \
	    '["stop-api","no"]' "declined: confirm answer no recorded"
	is "$(dr_events command.start | jq -r .step | tr '\n' ' ')" "look " \
	    "declined: nothing started after the no"
	for r in outage/stop-api outage/restart-db \
	    "outage/decide:Yes, start the API" outage/start-api outage/tell; do
		dr_take "$r" || { ok 1 "declined: step $r"; return 1; }
	done
	ok 0 "declined: the path, stop-api confirmed the second time"
	fx_check declined $((100 - declined)) "[{\"what\":\"declined confirmation\",\"detail\":\"outage/stop-api\",\"points\":-$declined}]"
	is "$(dr_debrief | jq -c '[.declined, .missed]')" \
	    '[["outage/stop-api"],[]]' "declined: listed as declined"
}

# Two expected steps swapped: one out of order (DEBRIEF_ORDER, 3).
order=$(pt DEBRIEF_ORDER)
run_order() {
	fx_start order || return 1
	for r in outage/look outage/restart-db outage/stop-api \
	    "outage/decide:Yes, start the API" outage/start-api outage/tell; do
		dr_take "$r" || { ok 1 "order: step $r"; return 1; }
	done
	ok 0 "order: restart-db before stop-api"
	fx_check order $((100 - order)) "[{\"what\":\"out of order\",\"detail\":\"an expected step done out of order\",\"points\":-$order}]"
	is "$(dr_debrief | jq -c '[.out_of_order, .missed, .extra]')" \
	    '[1,[],[]]' "order: one step out of order"
}

# A step off the path (restore, after the path): DEBRIEF_EXTRA (2).
extra=$(pt DEBRIEF_EXTRA)
run_extra() {
	fx_start extra || return 1
	dr_take_path "$drill" || { ok 1 "extra: the path"; return 1; }
	dr_take outage/restore
	ok $? "extra: the path, then restore (off the path)"
	fx_check extra $((100 - extra)) "[{\"what\":\"step off the path\",\"detail\":\"outage/restore\",\"points\":-$extra}]"
	is "$(dr_debrief | jq -c '[.extra, .out_of_order]')" \
	    '[["outage/restore"],0]' "extra: listed as extra"
}

# Over the time limit (2 s): DEBRIEF_LATE_STEP per 5 % over, at least
# one point, at most DEBRIEF_LATE_MAX (20); computed from the debrief's
# own elapsed_ms and time_limit_ms.
late_max=$(pt DEBRIEF_LATE_MAX)
run_late() {
	fx_start late drillfix-late || return 1
	dr_take_path "$drill"
	ok $? "late: the expected path, against a 2 s limit"
	dr_end late
	ok $? "late: the debrief screen"
	deb=$(dr_debrief)
	el=$(printf '%s' "$deb" | jq .elapsed_ms)
	li=$(printf '%s' "$deb" | jq .time_limit_ms)
	is "$li" 2000 "late: time_limit_ms 2000"
	want=$(( (el - li) * 100 / li / 5 ))
	[ "$want" -lt 1 ] && want=1
	[ "$want" -gt "$late_max" ] && want=$late_max
	is "$(printf '%s' "$deb" | jq -c '[.penalties[] | [.what, .points]]')" \
	    "[[\"time\",-$want]]" "late: one time penalty of $want ($el ms)"
	is "$(printf '%s' "$deb" | jq .score)" "$((100 - want))" \
	    "late: score $((100 - want))"
	dr_like "late: the screen shows the limit" 'Time: [0-9]+:[0-9]+ \(limit 0:02\)'
}

runs="clean wrong skip declined order extra late"
for r in $runs; do
	dr_bg "$r" "run_$r"
done
for r in $runs; do
	dr_collect "$r"
done
finish
