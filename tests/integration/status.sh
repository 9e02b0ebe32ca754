#!/bin/sh
# rbnav status against real servers: a PostgreSQL cluster of its own and
# the loopback HTTP server, through runbooks written here with their
# ports.  States, details, JSON, the table and the exit codes.
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/integration/lib.sh"

command -v jq >/dev/null 2>&1 || skip_all "jq is not installed"
pg_start
http_start

rb="$tmp/runbooks"
mkdir -p "$rb"
write_runbook "$rb/live.yaml" live <<EOF
  - id: web
    name: Web
    priority: 1
    check:
      http: $HTTP/healthy
      expect_body: '"status"\s*:\s*"ok"'
  - id: api500
    name: API failing
    priority: 2
    check:
      http: $HTTP/status/500
  - id: wrongbody
    name: Wrong body
    priority: 3
    check:
      http: $HTTP/healthy
      expect_body: '"status"\s*:\s*"down"'
  - id: moved
    name: Redirect
    priority: 4
    check:
      http: $HTTP/redirect
  - id: maint
    name: Maintenance page expected
    priority: 5
    check:
      http: $HTTP/status/503
      expect_status: 503
  - id: huge
    name: Two gigabytes
    priority: 6
    check:
      http: $HTTP/huge
      timeout: 5s
  - id: db
    name: Database
    priority: 7
    check:
      postgres: "$PG_CONNINFO"
  - id: dbrole
    name: Database role
    priority: 8
    check:
      postgres: "host=localhost port=$PG_PORT user=postgres dbname=postgres"
      query: "SELECT CASE WHEN pg_is_in_recovery() THEN 'replica' ELSE 'primary' END"
      expect: '^primary$'
  - id: dbreplica
    name: Expects a replica
    priority: 9
    check:
      postgres: "postgresql://postgres@127.0.0.1:$PG_PORT/postgres"
      query: "SELECT CASE WHEN pg_is_in_recovery() THEN 'replica' ELSE 'primary' END"
      expect: '^replica$'
  - id: dberror
    name: Bad query
    priority: 10
    check:
      postgres: "$PG_CONNINFO"
      query: SELECT * FROM no_such_table
  - id: dbport
    name: Database port
    priority: 11
    check:
      tcp: 127.0.0.1:$PG_PORT
  - id: webport
    name: Web port by name
    priority: 12
    check:
      tcp: localhost:$HTTP_PORT
  - id: closed
    name: Closed port
    priority: 13
    check:
      tcp: 127.0.0.1:$REFUSED_PORT
  - id: script
    name: Script
    priority: 14
    check:
      command: echo all good; echo {{who}}
      expect: 'all good'
  - id: failing
    name: Failing script
    priority: 15
    check:
      command: echo broken >&2; exit 3
  - id: needs
    name: Needs a variable
    priority: 16
    check:
      http: "http://127.0.0.1:{{port}}/healthy"
  - id: nocheck
    name: No check
    priority: 17
variables:
  who:
    prompt: Who
    default: "it's me; \$(touch $tmp/injected)"
  port:
    prompt: Port
EOF

write_runbook "$rb/names.yaml" names <<EOF
  - id: nohttp
    name: Unknown web name
    priority: 1
    check:
      http: http://rbnav-test.invalid/health
  - id: nopg
    name: Unknown database name
    priority: 2
    check:
      postgres: "host=rbnav-test.invalid port=5432 user=postgres"
  - id: notcp
    name: Unknown tcp name
    priority: 3
    check:
      tcp: rbnav-test.invalid:80
EOF

check "the fixtures are valid runbooks" "$RBNAV" validate --quiet "$rb/live.yaml" \
    "$rb/names.yaml"

out=$("$RBNAV" -r "$rb/live.yaml" status --json 2>"$tmp/err"); rc=$?
is "$rc" 1 "status exits 1 when a system is not up"
state() { printf '%s' "$out" | jq -r ".[] | select(.system == \"$1\") | .state"; }
detail() { printf '%s' "$out" | jq -r ".[] | select(.system == \"$1\") | .detail"; }

is "$(state web)" up "http: 200 with the expected body is up"
like "$(detail web)" '^HTTP 200' "http: the detail is the status line"
is "$(state api500)" down "http: 500 is down"
is "$(detail api500)" "HTTP 500 Internal Server Error" "http: the detail says 500"
is "$(state wrongbody)" degraded "http: 200 with the wrong body is degraded"
like "$(detail wrongbody)" 'does not match' "http: the detail says the body does not match"
is "$(state moved)" down "http: a redirect is not followed"
like "$(detail moved)" '^HTTP 302 .*redirect to .*/healthy, not followed' \
    "http: the detail names the redirect"
is "$(state maint)" up "http: expect_status 503 makes 503 up"
is "$(state huge)" up "http: a 2 GB body is cut at 1 MiB, judged by what came"
like "$(detail huge)" 'body cut at 1 MiB' "http: the detail says the body was cut"
lat=$(printf '%s' "$out" | jq '.[] | select(.system == "huge") | .latency_ms')
check "http: the 2 GB transfer stopped early ($lat ms)" test "$lat" -lt 3000
is "$(state db)" up "postgres: SELECT 1 is up"
is "$(detail db)" 1 "postgres: the detail is the first value"
is "$(state dbrole)" up "postgres: by host name (looked up off the loop)"
is "$(detail dbrole)" primary "postgres: the expected value"
is "$(state dbreplica)" degraded "postgres: a value that does not match is degraded"
like "$(detail dbreplica)" "value 'primary' does not match /\\^replica\\$/" \
    "postgres: the detail shows the value and the pattern"
is "$(state dberror)" down "postgres: a failing query is down"
like "$(detail dberror)" 'relation "no_such_table" does not exist' \
    "postgres: the detail is the server's error"
is "$(state dbport)" up "tcp: an open port is up"
is "$(state webport)" up "tcp: a name with several addresses, one of them listening"
is "$(state closed)" down "tcp: a closed port is down"
like "$(detail closed)" 'Connection refused' "tcp: the detail says refused"
is "$(state script)" up "command: exit 0 and expect matching is up"
like "$(detail script)" "exit 0: it's me; \\\$\\(touch" \
    "command: a variable is one shell-quoted argument"
check "command: the quoted value ran nothing" test ! -e "$tmp/injected"
is "$(state failing)" down "command: exit 3 is down"
is "$(detail failing)" "exit 3: broken" "command: the detail has the exit status and output"
is "$(state needs)" unknown "a check whose variable has no value is unknown"
is "$(detail needs)" "needs {{port}}" "and says which variable"
is "$(printf '%s' "$out" | jq '[.[] | select(.system == "nocheck")] | length')" 0 \
    "a system without a check is not listed"
is "$(printf '%s' "$out" | jq '.[0] | keys | join(",")')" \
    '"detail,kind,latency_ms,name,runbook,state,system"' "the JSON fields"

# Only the systems named; all up exits 0, in either form.
out=$("$RBNAV" -r "$rb/live.yaml" status --json web db live/dbport); rc=$?
is "$rc" 0 "status of systems that are all up exits 0"
is "$(printf '%s' "$out" | jq -r '[.[].system] | join(" ")')" "web db dbport" \
    "only the systems named, in priority order"
"$RBNAV" -r "$rb/live.yaml" status nocheck >/dev/null; rc=$?
is "$rc" 1 "a named system without a check counts as not up"
err=$("$RBNAV" -r "$rb/live.yaml" status web no-such-system 2>&1 >/dev/null); rc=$?
is "$rc" 2 "an unknown system id exits 2"
like "$err" "^rbnav: no system 'no-such-system'" "and says so"

# The table.
out=$("$RBNAV" -r "$rb/live.yaml" status web api500 2>&1); rc=$?
is "$rc" 1 "the table: exit 1 with a system down"
like "$(printf '%s\n' "$out" | head -n 1)" '^SYSTEM +RUNBOOK +STATE +LATENCY +DETAIL$' \
    "the table has a header"
like "$out" '^web +live +up +[0-9]+ ms +HTTP 200' "the table has a row per system"
like "$out" '^api500 +live +down +[0-9]+ ms +HTTP 500 Internal Server Error$' \
    "with the detail last"

# Names that do not resolve: unknown, "cannot check".
out=$("$RBNAV" -r "$rb/names.yaml" status --json); rc=$?
is "$rc" 1 "names that do not resolve: exit 1"
is "$(state nohttp)" unknown "http: a name that does not resolve is unknown"
like "$(detail nohttp)" '[Rr]esolve|looking the name up' "http: the detail says so"
is "$(state nopg)" unknown "postgres: a name that does not resolve is unknown"
like "$(detail nopg)" 'rbnav-test.invalid' "postgres: the detail names the host"
is "$(state notcp)" unknown "tcp: a name that does not resolve is unknown"

# The server stops: down, with libpq's message.
pg_stop
out=$("$RBNAV" -r "$rb/live.yaml" status --json db dbport); rc=$?
is "$rc" 1 "a stopped PostgreSQL: exit 1"
is "$(state db)" down "postgres: a stopped server is down"
like "$(detail db)" '^connection to server at "127.0.0.1", port [0-9]+ failed: Connection refused' \
    "postgres: the detail is libpq's message"
is "$(state dbport)" down "tcp: its port is closed"

finish
