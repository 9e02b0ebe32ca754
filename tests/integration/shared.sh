#!/bin/sh
# The shared incident timeline (src/shared.c) against a real PostgreSQL
# of its own, driven by tests/integration/shared-driver on a real event
# loop with a 10 ms ticker: the schema, two writers, the database
# stopped mid-incident, the pen, and the fetches for join and
# `incidents --shared`.
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/integration/lib.sh"

driver="$top_builddir/tests/integration/shared-driver"
[ -x "$driver" ] || skip_all "tests/integration/shared-driver is not built"
command -v psql >/dev/null 2>&1 || skip_all "psql is not installed"
pg_start

sql() {
	psql -qAtX -v ON_ERROR_STOP=1 -c "$1" "$PG_CONNINFO"
}

# key=value from a driver's output file.
val() {
	sed -n "s/^$1=//p" "$2" | tail -n 1
}

# Integer comparison for TAP: lt GOT MAX DESC
lt() {
	if [ -n "$1" ] && [ "$1" -lt "$2" ] 2>/dev/null; then
		ok 0 "$3 ($1 < $2)"
	else
		ok 1 "$3"
		printf '# got: %s, want < %s\n' "$1" "$2"
	fi
}

# Milliseconds with a decimal point, compared as integers.
ms() {
	printf '%s\n' "${1%%.*}"
}

# --- the schema -------------------------------------------------------

"$driver" schema >"$tmp/schema.sql"
check "the embedded schema is doc/shared-schema.sql" \
    cmp -s "$tmp/schema.sql" "$top_srcdir/doc/shared-schema.sql"

is "$(sql "SELECT to_regclass('rbnav_events') IS NULL")" "t" \
    "a fresh database has no rbnav tables"
"$driver" open "$PG_CONNINFO" inc-schema >"$tmp/open1" 2>&1
is "$(val connected "$tmp/open1")" "1" "the first open connects"
is "$(sql "SELECT string_agg(version || ':' || description, ',')
    FROM rbnav_schema")" "1:incidents, events, pen" \
    "the schema is created on first use, versioned in rbnav_schema"
is "$(sql "SELECT count(*) FROM rbnav_events WHERE incident = 'inc-schema'")" \
    "2" "its events are stored"

fingerprint() {
	sql "SELECT string_agg(table_name || '.' || column_name || ' ' ||
	    data_type || ' ' || is_nullable, ',' ORDER BY table_name,
	    column_name) FROM information_schema.columns
	    WHERE table_name LIKE 'rbnav%'"
	sql "SELECT string_agg(indexdef, ',' ORDER BY indexname)
	    FROM pg_indexes WHERE tablename LIKE 'rbnav%'"
	sql "SELECT string_agg(version || ' ' || applied, ',')
	    FROM rbnav_schema"
}
fingerprint >"$tmp/fp1"
"$driver" open "$PG_CONNINFO" inc-schema-2 end >"$tmp/open2" 2>&1
fingerprint >"$tmp/fp2"
is "$(val connected "$tmp/open2")" "1" "a second open connects"
check "a second open does not change the schema" \
    cmp -s "$tmp/fp1" "$tmp/fp2"
is "$(sql "SELECT count(*) FROM rbnav_events WHERE incident = 'inc-schema'")" \
    "2" "nor the data already there"

# --- no database --------------------------------------------------------

# Refused: a port nobody listens on.
"$driver" down "host=127.0.0.1 port=$(free_port) user=postgres" inc-down \
    >"$tmp/down" 2>&1
sed 's/^/# /' "$tmp/down"
is "$(val connected "$tmp/down")/$(val backlog "$tmp/down")" "0/6" \
    "no database: not connected, the 6 events wait"
like "$(val error "$tmp/down")" "Connection refused" \
    "the connection error is there to show"
is "$(val settled "$tmp/down")" "1" "and leaving does not wait for it"
lt "$(val stall_max_ms "$tmp/down")" 100 "retrying never stalls the loop"
# A name that does not resolve: looked up off the loop, whatever it takes.
"$driver" down "host=rbnav-test.invalid port=5432 user=postgres" inc-down \
    >"$tmp/down2" 2>&1
sed 's/^/# /' "$tmp/down2"
is "$(val connected "$tmp/down2")/$(val backlog "$tmp/down2")" "0/6" \
    "a name that does not resolve: the events wait"
lt "$(val stall_max_ms "$tmp/down2")" 100 "the lookup never stalls the loop"

# --- two writers --------------------------------------------------------

# bob reaches the server by name (looked up off the loop).
bob_conn="host=localhost port=$PG_PORT user=postgres dbname=postgres"
"$driver" two "$PG_CONNINFO" "$bob_conn" inc-two 100 >"$tmp/two" 2>&1
sed 's/^/# /' "$tmp/two"
is "$(val connected "$tmp/two")" "1" "two writers connect"
is "$(val received_all "$tmp/two")" "1" "each receives the other's events"
is "$(val a_received "$tmp/two")" "100" "alice got bob's 100 events"
is "$(val b_received "$tmp/two")" "101" "bob got alice's 101 (start included)"
is "$(val a_disorder "$tmp/two")/$(val b_disorder "$tmp/two")" "0/0" \
    "in order, none twice"
lt "$(ms "$(val delay_max_ms "$tmp/two")")" 1000 \
    "every event reached the other writer within 1 s"
is "$(val b_received_after_replay "$tmp/two")" "101" \
    "a replayed batch is not delivered again"
a_origin=$(val a_origin "$tmp/two")
b_origin=$(val b_origin "$tmp/two")
is "$(sql "SELECT count(*) || '/' || count(DISTINCT seq) || '/' ||
    min(seq) || '/' || max(seq) FROM rbnav_events
    WHERE incident = 'inc-two' AND origin = '$a_origin'")" "101/101/1/101" \
    "alice's events are stored once each (replayed seqs 1-5 ignored)"
is "$(sql "SELECT count(*) || '/' || count(DISTINCT seq) FROM rbnav_events
    WHERE incident = 'inc-two' AND origin = '$b_origin'")" "100/100" \
    "bob's events are stored once each"
is "$(sql "SELECT count(*) FROM rbnav_events
    WHERE incident = 'inc-two' AND line::jsonb->>'seq' <> seq::text")" "0" \
    "each row keeps its whole journal line"
lt "$(val stall_max_ms "$tmp/two")" 100 "the loop never stalled"

# --- the database stopped mid-incident ----------------------------------

# The driver asks (stop, start) on stdout and is answered on stdin; it
# keeps writing and ticking meanwhile.  The restart keeps the port.
mkfifo "$tmp/ctl" "$tmp/out"
"$driver" outage "$PG_CONNINFO" inc-outage 150 <"$tmp/ctl" >"$tmp/out" \
    2>"$tmp/outage.err" &
drv=$!
exec 3>"$tmp/ctl" 4<"$tmp/out"
: >"$tmp/outage"
while IFS= read -r line <&4; do
	echo "$line" >>"$tmp/outage"
	case $line in
	stop)
		pg_stop
		echo stopped >&3
		;;
	start)
		port=$PG_PORT
		free_port() { echo "$port"; }
		pg_start
		echo started >&3
		;;
	esac
done
exec 3>&- 4<&-
wait "$drv"
sed 's/^/# /' "$tmp/outage" "$tmp/outage.err"
is "$(val stopped "$tmp/outage")/$(val started "$tmp/outage")" "1/1" \
    "the database was stopped and started again"
is "$(val down_seen "$tmp/outage")" "1" "both writers saw the connection go"
backlog=$(val backlog_while_down "$tmp/outage")
check "events queued while it was down (backlog $backlog)" \
    test "${backlog:-0}" -gt 0
like "$(val error_while_down "$tmp/outage")" "." \
    "the connection error is there to show"
is "$(val received_all "$tmp/outage")" "1" \
    "after the restart each writer has all of the other's events"
is "$(val a_backlog "$tmp/outage")/$(val b_backlog "$tmp/outage")" "0/0" \
    "the backlogs are empty"
is "$(val a_disorder "$tmp/outage")/$(val b_disorder "$tmp/outage")" "0/0" \
    "received in order, none twice"
lt "$(val stall_max_ms "$tmp/outage")" 100 \
    "nothing blocked: the 10 ms ticker never stalled 100 ms"
for w in a b; do
	o=$(val ${w}_origin "$tmp/outage")
	n=$(val ${w}_seq "$tmp/outage")
	is "$(sql "SELECT count(*) || '/' || count(DISTINCT seq) || '/' ||
	    min(seq) || '/' || max(seq) FROM rbnav_events
	    WHERE incident = 'inc-outage' AND origin = '$o'")" "$n/$n/1/$n" \
	    "writer $w: every event in the database once"
	is "$(sql "SELECT count(*) FROM (SELECT stored, lag(stored) OVER
	    (ORDER BY seq) AS before FROM rbnav_events
	    WHERE incident = 'inc-outage' AND origin = '$o') x
	    WHERE stored < before")" "0" "writer $w: stored in seq order"
done

# --- the pen ------------------------------------------------------------

"$driver" pen "$PG_CONNINFO" inc-pen >"$tmp/pen" 2>&1
sed 's/^/# /' "$tmp/pen"
is "$(val start_a "$tmp/pen")" "alice mine=1" "the starter holds the pen"
is "$(val start_b "$tmp/pen")" "alice mine=0" "the other sees who holds it"
is "$(val refused_b "$tmp/pen")" "alice mine=0" \
    "a second take is refused while the holder is fresh"
is "$(val handover "$tmp/pen")" "1" "handing over reaches the receiver"
lt "$(val handover_ms "$tmp/pen")" 1000 "within a second"
is "$(val handed_a "$tmp/pen")/$(val handed_b "$tmp/pen")" \
    "bob mine=0/bob mine=1" "both agree bob holds it"
is "$(val refused_a "$tmp/pen")" "bob mine=0" "the old holder is refused"
is "$(val stale_rows "$tmp/pen")" "1" "bob's heartbeat set 61 s back"
is "$(val stale_a "$tmp/pen")" "alice mine=1" "a stale holder is taken over"
is "$(val stale_b "$tmp/pen")" "alice mine=0" "and the stale holder is told"
is "$(val force_b "$tmp/pen")" "bob mine=1" "a forced take wins"
is "$(val force_a_sees "$tmp/pen")" "1" "and is seen"
is "$(val release_a_sees "$tmp/pen")" "1" \
    "leaving puts the pen down, and the others see it"
is "$(val db_holder "$tmp/pen")" "-" "nobody holds it in the database"

# --- the fetches for join and incidents --shared -----------------------

"$driver" incidents "$PG_CONNINFO" >"$tmp/incidents" 2>&1
"$driver" events "$PG_CONNINFO" inc-two >"$tmp/events" 2>&1
"$driver" events "$PG_CONNINFO" no-such >"$tmp/nosuch" 2>&1
python3 - "$tmp/incidents" "$tmp/events" \
    >"$tmp/fetch" <<'EOF'
import json, sys
inc = {i["id"]: i for i in json.load(open(sys.argv[1]))}
ev = json.load(open(sys.argv[2]))
t = inc.get("inc-two", {})
print("ids=%s" % ",".join(sorted(inc)))
print("two=%s|%s|%s|%s|%s|%s" % (t.get("title"), t.get("runbook"),
    t.get("scenario"), ",".join(t.get("operators", [])), t.get("events"),
    t.get("ended")))
print("two_times=%d" % all(t.get(k, "").endswith("Z")
    for k in ("started", "last_event")))
e = inc["inc-schema-2"]
print("ended=%s|%s" % (e["ended"] is not None and e["ended"] ==
    e["last_event"], e["outcome"]))
print("events=%d" % len(ev))
print("events_origins=%d" % len({e["origin"] for e in ev}))
keys = [(e["ts"], e["origin"], e["seq"]) for e in ev]
print("events_sorted=%d" % (keys == sorted(keys)))
print("events_first=%s" % ev[0]["type"])
EOF
sed 's/^/# /' "$tmp/fetch"
is "$(val ids "$tmp/fetch")" \
    "inc-outage,inc-pen,inc-schema,inc-schema-2,inc-two" \
    "shared_fetch_incidents lists every incident"
is "$(val two "$tmp/fetch")" \
    "Database failover|eriop-dr|db-failover|alice,bob|201|None" \
    "with title, runbook, scenario, operators, events, open"
is "$(val two_times "$tmp/fetch")" "1" "times are RFC 3339 UTC"
is "$(val ended "$tmp/fetch")" "True|resolved" \
    "an incident.end sent through the timeline ends the incident"
is "$(val events "$tmp/fetch")" "201" \
    "shared_fetch_events has every event of both origins"
is "$(val events_origins "$tmp/fetch")" "2" "each with its origin"
is "$(val events_sorted "$tmp/fetch")" "1" "merged by ts, origin, seq"
is "$(val events_first "$tmp/fetch")" "incident.start" "the start first"
like "$(cat "$tmp/nosuch")" "^error=no incident no-such" \
    "an unknown incident is an error with a cause"

finish
