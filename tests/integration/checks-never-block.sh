#!/bin/sh
# Checks never block the loop.  Against everything that hangs (a port
# whose SYNs are dropped, a server that accepts and never answers, one
# that sends a byte every 10 s, a 2 GB body, PostgreSQL stopped with
# SIGSTOP, a query that sleeps 60 s, a command that ignores SIGTERM)
# checks-driver runs the checks on a loop beside a 10 ms ticker:
#   - the longest gap between two ticks stays under 100 ms,
#   - each check ends at its timeout (+-10 %),
#   - after 1,000 rounds the open fds are back where they started (the
#     scheduler's own curl multi handle aside, until checks_free).
# And on their intervals, PostgreSQL checks back off after failures.
# Traffic goes to 127.0.0.0/8 only.
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/integration/lib.sh"

driver="$top_builddir/tests/integration/checks-driver"
[ -x "$driver" ] || skip_all "checks-driver is not built (make check builds it)"
pg_start
http_start

# key=value of the driver's output: val FILE KEY
val() { sed -n "s/^$2=//p" "$1" | head -n 1; }
# The line of a system: sysline FILE ID
sysline() { grep "^system=$2 " "$1"; }
ms_of() { sysline "$1" "$2" | sed 's/.* ms=\([-0-9]*\) .*/\1/'; }
state_of() { sysline "$1" "$2" | sed 's/.* state=\([a-z]*\) .*/\1/'; }

within() {	# within MS LOW HIGH
	[ "$1" -ge "$2" ] && [ "$1" -le "$3" ]
}

rb="$tmp/hang.yaml"
write_runbook "$rb" hang <<EOF
  - id: syn-dropped-tcp
    name: SYN dropped (tcp)
    priority: 1
    check:
      tcp: 127.0.0.1:$BLACKHOLE_PORT
  - id: syn-dropped-http
    name: SYN dropped (http)
    priority: 2
    check:
      http: http://127.0.0.1:$BLACKHOLE_PORT/
  - id: syn-dropped-pg
    name: SYN dropped (postgres)
    priority: 3
    check:
      postgres: "host=127.0.0.1 port=$BLACKHOLE_PORT user=postgres"
  - id: silent-http
    name: Accepts, never answers (http)
    priority: 4
    check:
      http: http://127.0.0.1:$SILENT_PORT/
  - id: silent-pg
    name: Accepts, never answers (postgres)
    priority: 5
    check:
      postgres: "host=127.0.0.1 port=$SILENT_PORT user=postgres"
  - id: hanging
    name: Reads the request, never answers
    priority: 6
    check:
      http: $HTTP/hanging
  - id: trickle
    name: A byte every 10 s
    priority: 7
    check:
      http: $HTTP/trickle
  - id: huge
    name: 2 GB body
    priority: 8
    check:
      http: $HTTP/huge
  - id: pg-sleep
    name: SELECT pg_sleep(60)
    priority: 9
    check:
      postgres: "$PG_CONNINFO"
      query: SELECT pg_sleep(60)
  - id: command
    name: Ignores SIGTERM
    priority: 10
    check:
      command: trap '' TERM; sleep 60
  - id: healthy
    name: Healthy, beside them
    priority: 11
    check:
      http: $HTTP/healthy
EOF

# run_driver OUT ARGS...: once, and again if the longest gap was 100 ms
# or more (a busy machine can hold any process that long; busy_max_ms,
# the loop's own CPU between two ticks, tells which it was).
run_driver() {
	o=$1
	shift
	"$driver" "$@" >"$o" 2>"$tmp/driver.err" || return 1
	sed 's/^/# /' "$o"
	if [ "$(val "$o" stall_max_ms)" -ge 100 ]; then
		echo "# stalled $(val "$o" stall_max_ms) ms, busy $(val "$o" busy_max_ms) ms: once more"
		"$driver" "$@" >"$o" 2>"$tmp/driver.err" || return 1
		sed 's/^/# /' "$o"
	fi
}

out="$tmp/round.txt"
run_driver "$out" "$rb"
is "$?" 0 "the driver ran"
stall=$(val "$out" stall_max_ms)
check "the loop never stalled: longest gap between 10 ms ticks ${stall} ms < 100 ms" \
    test "${stall:-999}" -lt 100
for s in syn-dropped-tcp syn-dropped-http syn-dropped-pg silent-http \
    silent-pg hanging trickle pg-sleep command; do
	ms=$(ms_of "$out" "$s")
	check "$s ends at its 2 s timeout (${ms} ms)" within "${ms:-0}" 1800 2200
	is "$(state_of "$out" "$s")" down "$s is down"
done
like "$(sysline "$out" syn-dropped-tcp)" 'timed out after 2s connecting to 127.0.0.1' \
    "the tcp detail says where it hung"
like "$(sysline "$out" pg-sleep)" 'timed out after 2s waiting for the query result' \
    "the postgres detail says what it waited for"
like "$(sysline "$out" trickle)" 'timed out after 2s reading the body \(HTTP 200 OK, 1 bytes received\)' \
    "the trickle detail says how much came"
ms=$(ms_of "$out" huge)
check "the 2 GB body is cut at 1 MiB early (${ms} ms)" within "${ms:-99999}" 0 1500
is "$(state_of "$out" huge)" up "and judged by what came"
ms=$(ms_of "$out" healthy)
check "a healthy check beside them is not held up (${ms} ms)" within "${ms:-99999}" 0 500
is "$(state_of "$out" healthy)" up "and is up"
is "$(val "$out" fds_after_free)" "$(val "$out" fds_before)" \
    "every fd is closed after checks_free"

# PostgreSQL stopped with SIGSTOP: connections are accepted by the
# kernel, the server never answers.
rb2="$tmp/stopped.yaml"
write_runbook "$rb2" stopped <<EOF
  - id: pg-stopped
    name: PostgreSQL stopped
    priority: 1
    check:
      postgres: "$PG_CONNINFO"
  - id: pg-stopped-name
    name: PostgreSQL stopped, by name
    priority: 2
    check:
      postgres: "host=localhost port=$PG_PORT user=postgres"
EOF
kill -STOP "$PG_PID"
run_driver "$out" "$rb2"
kill -CONT "$PG_PID"
stall=$(val "$out" stall_max_ms)
check "SIGSTOPped PostgreSQL: longest gap ${stall} ms < 100 ms" \
    test "${stall:-999}" -lt 100
for s in pg-stopped pg-stopped-name; do
	ms=$(ms_of "$out" "$s")
	check "$s ends at its 2 s timeout (${ms} ms)" within "${ms:-0}" 1800 2200
	is "$(state_of "$out" "$s")" down "$s is down"
done

# On their intervals: after a failure, PostgreSQL checks back off
# (interval doubled, up to 4x); other kinds keep their interval.
rb4="$tmp/backoff.yaml"
write_runbook "$rb4" backoff <<EOF
  - id: pg-refused
    name: PostgreSQL refused
    priority: 1
    check:
      postgres: "host=127.0.0.1 port=$REFUSED_PORT user=postgres"
      interval: 1s
  - id: tcp-refused
    name: TCP refused
    priority: 2
    check:
      tcp: 127.0.0.1:$REFUSED_PORT
      interval: 1s
EOF
"$driver" -p 7 "$rb4" >"$out" 2>"$tmp/driver.err"
sed 's/^/# /' "$out"
starts() { sysline "$1" "$2" | sed 's/.* starts=\([0-9]*\) .*/\1/'; }
is "$(starts "$out" pg-refused)" 3 \
    "postgres backs off after failures: started at 0, 2 and 6 s in 7 s"
n=$(starts "$out" tcp-refused)
check "tcp keeps its 1 s interval ($n starts in 7 s)" within "${n:-0}" 6 8

# 1,000 rounds, every check kind and every way to end, with 20 ms
# timeouts: no fd may stay open.
rb3="$tmp/cycles.yaml"
write_runbook "$rb3" cycles <<EOF
  - id: http-ok
    name: HTTP up
    priority: 1
    check:
      http: $HTTP/healthy
  - id: http-500
    name: HTTP 500
    priority: 2
    check:
      http: $HTTP/status/500
  - id: http-hang
    name: HTTP hangs
    priority: 3
    check:
      http: $HTTP/hanging
  - id: http-syn
    name: HTTP SYN dropped
    priority: 4
    check:
      http: http://127.0.0.1:$BLACKHOLE_PORT/
  - id: tcp-ok
    name: TCP by name
    priority: 5
    check:
      tcp: localhost:$PG_PORT
  - id: tcp-refused
    name: TCP refused
    priority: 6
    check:
      tcp: 127.0.0.1:$REFUSED_PORT
  - id: tcp-syn
    name: TCP SYN dropped
    priority: 7
    check:
      tcp: 127.0.0.1:$BLACKHOLE_PORT
  - id: pg-ok
    name: PostgreSQL
    priority: 8
    check:
      postgres: "$PG_CONNINFO"
  - id: pg-silent
    name: PostgreSQL never answers
    priority: 9
    check:
      postgres: "host=127.0.0.1 port=$SILENT_PORT user=postgres"
  - id: cmd-ok
    name: Command
    priority: 10
    check:
      command: "true"
  - id: cmd-hang
    name: Command hangs
    priority: 11
    check:
      command: sleep 10
EOF
t0=$(date +%s)
"$driver" -n 1000 -T 20 "$rb3" >"$out" 2>"$tmp/driver.err"
t1=$(date +%s)
sed 's/^/# /' "$out"
is "$(val "$out" rounds)" 1000 "1,000 rounds ran (in $((t1 - t0)) s)"
is "$(val "$out" fds_after_rounds)" "$(val "$out" fds_after_first_round)" \
    "after 1,000 rounds the open fds are where they were after the first"
is "$(val "$out" fds_after_free)" "$(val "$out" fds_before)" \
    "and after checks_free, where they were before the scheduler"
busy=$(val "$out" busy_max_ms)
echo "# longest gap between ticks in 1,000 rounds: $(val "$out" stall_max_ms) ms"
check "the loop's longest busy stretch in 1,000 rounds ${busy} ms < 100 ms" \
    awk -v b="${busy:-999}" 'BEGIN { exit !(b < 100) }'

finish
