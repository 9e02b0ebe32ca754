#!/bin/sh
# Check scheduler benchmark: are checks really concurrent, and does the
# loop stay responsive while many run?
#
# Starts the loopback server of tests/integration/http-server.py and
# writes a runbook of BENCH_CHECKS (default 200) systems, each an HTTP
# check of /slow?ms=BENCH_DELAY (default 500: the server answers after
# 500 ms; one thread per connection).  checks-driver then runs every
# check once, BENCH_ROUNDS (default 3) times in a row, with a 10 ms
# ticker on the same loop, and prints the rounds' durations, the
# longest gap between two ticks and the most CPU the loop used between
# two ticks (a gap much longer than that is the machine, busy elsewhere:
# the load average is printed too).  Sequential checks would take
# BENCH_CHECKS x BENCH_DELAY (100 s); the goal is one round in 1.2 s or
# less.  The same is done with as many command checks (sleep 0.5, each
# its own process group through job.c).
#
# Usage: bench/checks.sh        (from the top of a configured tree;
#                                builds tests/integration/checks-driver)
#        DRIVER=/tmp/rel/tests/integration/checks-driver bench/checks.sh

set -eu

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
n=${BENCH_CHECKS:-200}
delay=${BENCH_DELAY:-500}
rounds=${BENCH_ROUNDS:-3}
driver=${DRIVER:-$top/tests/integration/checks-driver}

if [ ! -x "$driver" ]; then
	(cd "$top" && make -s tests/integration/checks-driver) >/dev/null
fi
unset http_proxy https_proxy HTTP_PROXY HTTPS_PROXY ALL_PROXY all_proxy

tmp=$(mktemp -d "${TMPDIR:-/tmp}/rbnav-bench.XXXXXX")
server=""
cleanup() {
	[ -n "$server" ] && kill "$server" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

python3 "$top/tests/integration/http-server.py" "$tmp/ports" &
server=$!
i=0
while [ ! -f "$tmp/ports" ]; do
	i=$((i + 1))
	[ "$i" -gt 200 ] && { echo "checks.sh: the server did not start" >&2; exit 1; }
	sleep 0.05
done
. "$tmp/ports"

# runbook FILE KIND: BENCH_CHECKS systems of that kind.
runbook() {
	{
		printf 'format: rbnav/v1\nid: bench\ntitle: Bench\nsystems:\n'
		i=1
		while [ "$i" -le "$n" ]; do
			printf '  - id: s%d\n    name: S%d\n    priority: %d\n' \
			    "$i" "$i" "$i"
			printf '    check:\n'
			if [ "$2" = http ]; then
				printf '      http: http://127.0.0.1:%d/slow?ms=%d\n' \
				    "$HTTP_PORT" "$delay"
			else
				printf '      command: sleep %d.%03d\n' \
				    $((delay / 1000)) $((delay % 1000))
			fi
			printf '      timeout: 10s\n'
			i=$((i + 1))
		done
		printf 'scenarios:\n  - id: s\n    title: S\n    steps:\n'
		printf '      - title: Look\n'
	} >"$1"
}

val() { sed -n "s/^$2=//p" "$1" | head -n 1; }

for kind in http command; do
	runbook "$tmp/$kind.yaml" "$kind"
	"$driver" -n "$rounds" "$tmp/$kind.yaml" >"$tmp/$kind.out"
	up=$(grep -c ' state=up ' "$tmp/$kind.out" || true)
	printf '%s: %d checks answering after %d ms, %d rounds (load %s)\n' \
	    "$kind" "$n" "$delay" "$rounds" "$(cut -d' ' -f1 /proc/loadavg)"
	printf '  round: first %s ms, best %s ms, worst %s ms (sequential: %d ms)\n' \
	    "$(val "$tmp/$kind.out" round_first_ms)" \
	    "$(val "$tmp/$kind.out" round_min_ms)" \
	    "$(val "$tmp/$kind.out" round_max_ms)" $((n * delay))
	printf '  up in the first round: %d of %d\n' "$up" "$n"
	printf '  longest gap between 10 ms ticks: %s ms (the loop busy %s ms of it at most)\n' \
	    "$(val "$tmp/$kind.out" stall_max_ms)" \
	    "$(val "$tmp/$kind.out" busy_max_ms)"
	printf '  open fds: before %s, after the rounds %s, after checks_free %s\n' \
	    "$(val "$tmp/$kind.out" fds_before)" \
	    "$(val "$tmp/$kind.out" fds_after_rounds)" \
	    "$(val "$tmp/$kind.out" fds_after_free)"
done
