#!/bin/sh
# Live checks on the incident screen (src/watch.c, src/checks.c), in a
# real terminal, against servers the test controls: a loopback TCP
# listener it starts and stops (system api) and a command check on a
# file it creates (system flag).  A step that waits for api completes
# by itself when api comes up; each transition is a check.change; a
# system that comes back stops its RTO clock with an rto event (met or
# missed) and the strip says "back in"; the Status pane shows state,
# latency and detail; `rbnav status` agrees, with its exit code.
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/screen/lib.sh"
. "$top_srcdir/tests/integration/lib.sh"

command -v jq >/dev/null 2>&1 || skip_all "jq is not installed"

lsn_pid=""
trap '[ -n "$lsn_pid" ] && kill "$lsn_pid" 2>/dev/null; scr_cleanup; it_cleanup' EXIT

# The TCP listener: accepts and closes connections on 127.0.0.1:$port.
port=$(free_port)
cat >"$tmp/listener.py" <<'EOF'
import os, socket, sys
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", int(sys.argv[1])))
s.listen(64)
open(sys.argv[2] + ".tmp", "w").close()
os.rename(sys.argv[2] + ".tmp", sys.argv[2])
while True:
    c, _ = s.accept()
    c.close()
EOF
listener_start() {
	rm -f "$tmp/listening"
	python3 "$tmp/listener.py" "$port" "$tmp/listening" \
	    2>"$tmp/listener.log" &
	lsn_pid=$!
	i=0
	while [ ! -f "$tmp/listening" ]; do
		i=$((i + 1))
		if [ "$i" -gt 200 ] || ! kill -0 "$lsn_pid" 2>/dev/null; then
			sed 's/^/# /' "$tmp/listener.log"
			echo "Bail out! the TCP listener did not start"
			exit 1
		fi
		sleep 0.05
	done
}
listener_stop() {
	kill "$lsn_pid" 2>/dev/null
	wait "$lsn_pid" 2>/dev/null
	lsn_pid=""
}

rb="$tmp/watch.yaml"
cat >"$rb" <<EOF
format: rbnav/v1
id: watchtest
title: Live checks
systems:
  - id: api
    name: API
    priority: 1
    rto: 1h
    check:
      tcp: 127.0.0.1:$port
      interval: 1s
      timeout: 1s
  - id: flag
    name: Flag
    priority: 2
    rto: 2s
    check:
      command: test -e $tmp/flag-up
      interval: 1s
scenarios:
  - id: recover
    title: Bring the API back
    systems: [api, flag]
    steps:
      - id: wait-api
        title: Wait for the API
        wait_for: [api]
      - id: tell
        title: Tell the users
EOF
check "the fixture runbook is valid" "$RBNAV" validate --quiet "$rb"

ev() {
	jq -c "$1" "$(scr_journal)" 2>/dev/null
}
# wait_event JQ_SELECT TIMEOUT: until the journal has such an event.
wait_event() {
	we_end=$(scr_deadline "$2")
	while [ -z "$(ev "$1")" ]; do
		[ "$(scr_ms)" -ge "$we_end" ] && return 1
		sleep 0.05
	done
	return 0
}
figures=""

# rbnav status on the fixture's systems, from $tmp (no ./runbooks there).
status_json() {
	(cd "$tmp" && "$RBNAV" -r "$rb" status --json watchtest/api \
	    watchtest/flag 2>"$tmp/status.err")
}

# --- both systems down ----------------------------------------------------

SCR_COLS=160
SCR_ROWS=30
scr_start -r "$rb" run watchtest/recover --title 'Watch test' --operator wanda
scr_up "the incident starts" '^ LIVE  Watch test  \(watchtest › recover\) '
scr_like "the strip shows api down" '^ ✗ API RTO (00:)?59:[0-9]{2}' 5
scr_like "and flag down" ' ✗ Flag RTO' 5
scr_like "the step waits for api: its mark is …" '^… 1 Wait for the API ' 3
like "$scr_last" '│step 1/2 · wait-api · waiting · current$' \
    "the detail says waiting"
like "$scr_last" '│waits for: api$' "and for what"
check "no step.done while api is down" test -z "$(ev 'select(.type == "step.done")')"

# Status pane: Timeline (the default) → Contacts → Output → Status.
scr_keys Tab
scr_like "Tab: the Contacts pane" 'No contacts in this runbook'
scr_keys Tab
scr_like "Tab: the Output pane" 'No command has run yet'
scr_keys Tab
scr_like "Tab: the Status pane, api down, latency and detail" \
    '^ ✗ API RTO [0-9:]+ +down [0-9]+ms [0-9]+s ago .* Connection refused' 5
like "$scr_last" '^ ✗ Flag RTO \+?[0-9:]+ +down [0-9]+ms [0-9]+s ago .* exit 1' \
    "flag down, latency and its exit status"

out=$(status_json); rc=$?
is "$rc" 1 "rbnav status exits 1 while a system is down"
like "$(printf '%s' "$out" | jq -r '.[] | select(.system == "api") |
    [.state, .detail] | @tsv')" "^down	.*Connection refused\$" \
    "rbnav status: api down, Connection refused"

# --- api comes back: the step completes by itself -------------------------

t0=$(scr_ms)
listener_start
if scr_wait '^✓ 1 Wait for the API ' 10; then
	dt=$(( $(scr_ms) - t0 ))
	check "the waiting step completes by itself within 3 s (${dt} ms)" \
	    test "$dt" -lt 3000
else
	dt=never
	ok 1 "the waiting step completes by itself within 3 s"
fi
figures="$figures
# api up -> step done on screen: $dt ms"
like "$scr_last" '^▶ 2 Tell the users ' "the next step is current"
like "$scr_last" '^ ● API back in [0-9:]+ ' "the strip shows api back in mm:ss"
unlike "$scr_last" 'API back in [0-9:]+ \(RTO missed\)' "within its RTO"
like "$scr_last" '^ ● API back in [0-9:]+ +up [0-9]+ms [0-9]+s ago .* connected to 127.0.0.1' \
    "the Status pane: api up, latency and detail"
wait_event 'select(.type == "rto" and .system == "api")' 3
is "$(ev 'select(.type == "step.done") | .step')" '"wait-api"' \
    "step.done for the waiting step is in the journal"
like "$(ev 'select(.type == "check.change" and .system == "api") | [.from, .to]' |
    tr -d '\n')" '^\["(unknown|pending)","down"\]\["down","up"\]$' \
    "check.change api: to down first, then down → up"
is "$(ev 'select(.type == "rto" and .system == "api") | [.met, .rto_ms]')" \
    '[true,3600000]' "an rto event for api: met"
# The step was done after api came up, from the same check result.
is "$(jq -s -c '[.[] | select((.type == "check.change" and .system == "api"
    and .to == "up") or .type == "step.done") | .type]' "$(scr_journal)")" \
    '["check.change","step.done"]' "api up first, then the step done"

# --- flag: down for more than its 2 s RTO, then up --------------------------

# The incident clock is past 2 s by now; flag has been down since the start.
check "flag has no rto event yet" \
    test -z "$(ev 'select(.type == "rto" and .system == "flag")')"
scr_like "the strip shows flag's RTO overrun" ' ✗ Flag RTO \+[0-9:]+' 5
t0=$(scr_ms)
: >"$tmp/flag-up"
scr_like "flag back: the strip shows back in, RTO missed" \
    ' ● Flag back in [0-9:]+ \(RTO missed\)' 5
figures="$figures
# flag up -> strip: $(( $(scr_ms) - t0 )) ms"
wait_event 'select(.type == "rto" and .system == "flag")' 3
is "$(ev 'select(.type == "rto" and .system == "flag") | [.met, .rto_ms]')" \
    '[false,2000]' "an rto event for flag: missed"
ms=$(ev 'select(.type == "rto" and .system == "flag") | .ms')
check "its ms is over the RTO (${ms} ms)" test "${ms:-0}" -gt 2000
like "$(ev 'select(.type == "check.change" and .system == "flag") | [.from, .to]' |
    tr -d '\n')" '^\["(unknown|pending)","down"\]\["down","up"\]$' \
    "check.change flag: to down first, then down → up"
# The strip's "back in" is the rto event's time, and that clock has stopped.
back=$(printf '%s\n' "$scr_last" | sed -n 's/^.* Flag back in \([0-9:]*\) .*$/\1/p' | head -n 1)
is "$back" "$(printf '%02d:%02d' $((ms / 60000)) $((ms / 1000 % 60)))" \
    "the strip's \"back in\" is the rto event's time"
sleep 1.2
scr_wait 'Flag back in' 2 >/dev/null
like "$scr_last" " Flag back in $back " "and its clock stays stopped"
like "$scr_last" '^ ● Flag back in [0-9:]+ \(RTO missed\) +up [0-9]+ms [0-9]+s ago .* exit 0' \
    "the Status pane: flag up, latency and detail"

# --- rbnav status agrees ----------------------------------------------------

out=$(status_json); rc=$?
is "$rc" 0 "rbnav status exits 0 when every system is up"
is "$(printf '%s' "$out" | jq -r '[.[] | .system + "=" + .state] | join(" ")')" \
    "api=up flag=up" "rbnav status: api and flag up"
lat=$(printf '%s' "$out" | jq '.[] | select(.system == "api") | .latency_ms')
check "with api's latency ($lat ms)" test "${lat:-x}" -ge 0

# api down again: the strip and the status command see it.
listener_stop
scr_like "api down again: the strip shows it" '^ ✗ API RTO ' 5
scr_like "and the Status pane says refused" \
    '^ ✗ API RTO [0-9:]+ +down [0-9]+ms [0-9]+s ago .* Connection refused' 3
out=$(status_json); rc=$?
is "$rc" 1 "rbnav status exits 1 again"
is "$(printf '%s' "$out" | jq -r '[.[] | .system + "=" + .state] | join(" ")')" \
    "api=down flag=up" "api down, flag up"
wait_event 'select(.type == "check.change" and .system == "api" and .to == "down" and .from == "up")' 3
is "$(ev 'select(.type == "rto" and .system == "api") | .met' | tr -d '\n')" \
    "true" "no second rto event before api is back"

scr_keys q
scr_wait_exit 10
is "$scr_status" 0 "q leaves"

printf '%s\n' "$figures"
finish
