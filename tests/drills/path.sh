#!/bin/sh
# Each bundled eriop drill along its expected path: the briefing, the
# path (variables, confirmations, danger prompts, decisions, failed
# drill results), the end of the incident, and a debrief with Score
# 100 / 100 on the screen and in the drill.debrief event.  The four
# drills run at once, each in its own tmux server and state directory.
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/drills/lib.sh"

drills="eriop-wal-corruption eriop-network-partition eriop-bad-deploy \
eriop-total-outage"

for d in $drills; do
	dr_bg "$d" dr_play "$d"
done
for d in $drills; do
	dr_collect "$d"
done
finish
