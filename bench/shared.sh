#!/bin/sh
# The shared PostgreSQL timeline (src/shared.c) with two writers on one
# incident, against a PostgreSQL cluster of its own (fsync off, TCP on
# 127.0.0.1), through tests/integration/shared-driver on a real loop:
#
#   1. throughput: each writer queues BENCH_EVENTS events as fast as it
#      can; timed until both backlogs are empty and each writer has
#      received all of the other's (stored, NOTIFYed, fetched, parsed);
#   2. delay: each writer sends BENCH_RATE events a second for 10 s; the
#      delay from one writer's send to the other's callback, p50 and p99.
#
# Run from the top of a configured build tree:
#   bench/shared.sh            BENCH_EVENTS=5000 BENCH_RATE=50
set -e
here=$(cd "$(dirname "$0")/.." && pwd)
top_srcdir=${top_srcdir:-$here}
top_builddir=${top_builddir:-$(pwd)}
RBNAV=${RBNAV:-$top_builddir/src/rbnav}
export top_srcdir top_builddir RBNAV
events=${BENCH_EVENTS:-5000}
rate=${BENCH_RATE:-50}

make -s -C "$top_builddir" tests/integration/shared-driver >/dev/null
set +e
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/integration/lib.sh"
pg_start

"$top_builddir/tests/integration/shared-driver" bench "$PG_CONNINFO" \
    bench-shared "$events" "$rate" >"$tmp/out" 2>&1 || {
	cat "$tmp/out"
	exit 1
}
v() {
	sed -n "s/^$1=//p" "$tmp/out"
}
[ "$(v throughput_done)" = 1 ] || {
	echo "the throughput run did not finish:"
	cat "$tmp/out"
	exit 1
}
printf 'shared timeline, two writers, PostgreSQL %s on 127.0.0.1\n' \
    "$(psql -qAtX -c 'SHOW server_version' "$PG_CONNINFO")"
printf '  throughput: %s events in %s s: %s events/s (stored and delivered)\n' \
    "$(v events)" "$(v throughput_s)" "$(v events_per_s)"
printf '    delay in that burst: p50 %s ms, p99 %s ms\n' \
    "$(v burst_delay_p50_ms)" "$(v burst_delay_p99_ms)"
printf '  steady %s events/s per writer: delay p50 %s ms, p99 %s ms, max %s ms (%s events)\n' \
    "$rate" "$(v delay_p50_ms)" "$(v delay_p99_ms)" "$(v delay_max_ms)" \
    "$(v delay_n)"
printf '  longest loop stall (10 ms ticker): %s ms\n' "$(v stall_max_ms)"
