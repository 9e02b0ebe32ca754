#!/bin/sh
# Timeline benchmarks: the writer, the Markdown export and verify, each
# against a baseline that does only the unavoidable part of the work.
#
#   (a) BENCH_APPENDS (default 20000) events through the real writer
#       (journal_append: JSON, SHA-256 chain, one write and one fdatasync
#       per event), against a plain write+fdatasync loop of the same bytes,
#       in the same run; goal: at most 1.2 times the plain loop.
#   (b) rbnav export --format md of a BENCH_EVENTS (default 100000) event
#       timeline, against jq producing a comparable timeline table from
#       the same file; goal: faster than jq.
#   (c) rbnav verify of that timeline against sha256sum of the same file;
#       goal: at most 2 times sha256sum.
#
# Best of BENCH_RUNS (default 3), the runs of each pair interleaved.  The
# files go in BENCH_DIR (default: a directory under the current one, so
# that fdatasync reaches a real disk rather than a tmpfs /tmp).  Measure a
# build configured without --enable-debug.  Needs cc, pkg-config, the
# libraries' headers, python3 (to generate the timeline), jq, sha256sum
# and GNU date.
#
# Usage: bench/journal.sh                (from the top of a built tree)
#        RBNAV=/tmp/rel/src/rbnav BENCH_LIB=/tmp/rel/src/libmodel.a \
#            BENCH_AUTOCONF=/tmp/rel bench/journal.sh

set -eu

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
rbnav=${RBNAV:-./src/rbnav}
lib=${BENCH_LIB:-$(dirname "$rbnav")/libmodel.a}
conf=${BENCH_AUTOCONF:-$(dirname "$rbnav")/..}
appends=${BENCH_APPENDS:-20000}
events=${BENCH_EVENTS:-100000}
runs=${BENCH_RUNS:-3}
cc=${CC:-cc}

[ -x "$rbnav" ] || { echo "journal.sh: no rbnav at $rbnav (set RBNAV)" >&2; exit 2; }
[ -f "$lib" ] || { echo "journal.sh: no libmodel.a at $lib (set BENCH_LIB)" >&2; exit 2; }
[ -f "$conf/autoconf.h" ] || { echo "journal.sh: no autoconf.h in $conf (set BENCH_AUTOCONF)" >&2; exit 2; }
for t in python3 jq sha256sum pkg-config; do
	command -v "$t" >/dev/null || { echo "journal.sh: needs $t" >&2; exit 2; }
done

tmp=$(mktemp -d "${BENCH_DIR:-$PWD}/.rbnav-bench.XXXXXX")
if [ -z "${BENCH_KEEP:-}" ]; then
	trap 'rm -rf "$tmp"' EXIT INT TERM
fi

now() { date +%s.%N; }
# best "a b c": the smallest number.
best() { printf '%s\n' "$@" | sort -g | head -n 1; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }

# shellcheck disable=SC2046
"$cc" -O2 -I "$top/src" -I "$conf/src" -include "$conf/autoconf.h" \
    -o "$tmp/journal-append" "$here/journal-append.c" "$lib" \
    $(pkg-config --libs jansson libcrypto libpcre2-8 yaml-0.1)

echo "files in $tmp ($(df -P "$tmp" | awk 'NR == 2 { print $1 }'), $(stat -f -c %T "$tmp"))"

# (a) The writer against write+fdatasync of the same bytes (the lines the
# writer wrote in the run before), which goes first in every other run;
# the CPU time of both is printed too, fdatasync times being noisy.
w=""
p=""
wc=""
pc=""
i=0
while [ "$i" -lt "$runs" ]; do
	rm -rf "$tmp/a"
	mkdir "$tmp/a"
	if [ $((i % 2)) = 1 ]; then
		set -- $("$tmp/journal-append" raw "$tmp/src.jsonl" "$tmp/a/raw.jsonl")
		p="$p $1"
		pc="$pc $2"
		set -- $("$tmp/journal-append" write "$tmp/a" "$appends")
		w="$w $1"
		wc="$wc $2"
	else
		set -- $("$tmp/journal-append" write "$tmp/a" "$appends")
		w="$w $1"
		wc="$wc $2"
		cp "$3" "$tmp/src.jsonl"
		set -- $("$tmp/journal-append" raw "$tmp/src.jsonl" "$tmp/a/raw.jsonl")
		p="$p $1"
		pc="$pc $2"
	fi
	i=$((i + 1))
done
# shellcheck disable=SC2086
w=$(best $w)
# shellcheck disable=SC2086
p=$(best $p)
# shellcheck disable=SC2086
wc=$(best $wc)
# shellcheck disable=SC2086
pc=$(best $pc)
printf '(a) %s appends, fdatasync each: writer %.3f s, write+fdatasync %.3f s: %sx (goal <= 1.2)\n' \
    "$appends" "$w" "$p" "$(ratio "$w" "$p")"
printf '    CPU: writer %.3f s, write+fdatasync %.3f s (%.1f us of CPU per event added by the writer)\n' \
    "$wc" "$pc" "$(awk -v a="$wc" -v b="$pc" -v n="$appends" 'BEGIN { print (a - b) * 1e6 / n }')"
"$rbnav" verify "$tmp/a/20261126T021403Z-bench.jsonl" >/dev/null

# The big timeline: a realistic mix of events, chained.
python3 - "$tmp/big.jsonl" "$events" <<'EOF'
import datetime, hashlib, json, sys
path, n = sys.argv[1], int(sys.argv[2])
start = datetime.datetime(2026, 11, 26, 2, 14, 3)
prev = "0" * 64
systems = ["postgres-primary", "checkout-api", "redis-cache", "search"]
state = {s: "up" for s in systems}
with open(path, "w") as f:
    for seq in range(1, n + 1):
        t = seq * 250
        ts = (start + datetime.timedelta(milliseconds=t)).strftime(
            "%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"
        k = seq % 20
        if seq == 1:
            typ, own = "incident.start", {"incident": "20261126T021403Z-big",
                "mode": "live", "runbook": "eriop-dr",
                "runbook_sha256": "0" * 64, "scenario": "db-primary-down",
                "title": "Primary database down", "host": "ops-1"}
        elif k in (1, 2):
            typ, own = "step.enter", {"step": "step-%d" % seq}
        elif k == 3:
            typ, own = "command.start", {"step": "step-%d" % seq,
                "command": "psql -h db-replica-%d -c 'select now()'" % (seq % 5),
                "cmd": "c%d" % seq}
        elif k == 4:
            typ, own = "command.exit", {"cmd": "c%d" % (seq - 1),
                "exit": seq % 3, "ms": 1234, "output_file": "c%d.log" % seq,
                "output_sha256": "1" * 64, "output_bytes": 321,
                "tail": ["   now   ", "---------",
                         " 2026-11-26 02:14:%02d+00" % (seq % 60), "(1 row)"]}
        elif k == 5:
            s = systems[seq % 4]
            to = "down" if state[s] == "up" else "up"
            typ, own = "check.change", {"system": s, "from": state[s],
                "to": to, "detail": "HTTP 503" if to == "down" else "HTTP 200"}
            state[s] = to
        elif k == 6:
            typ, own = "decision", {"step": "step-%d" % seq,
                "choice": "Promote the replica", "goto": "promote",
                "why": "replica is current | lag 0"}
        elif k == 7:
            typ, own = "var.set", {"name": "replica", "value": "db-replica-2"}
        elif k == 8:
            typ, own = "confirm", {"step": "step-%d" % seq, "answer": "yes",
                "typed": True}
        else:
            typ, own = "note", {"text": "checked replication lag on db-replica-%d, "
                "it is %d ms and falling; see `pg_stat_replication` <ok>"
                % (seq % 7, seq % 1000)}
        ev = {"v": 1, "seq": seq, "ts": ts, "t": t,
              "op": ["alice", "bob", "carol"][seq % 3], "type": typ,
              "prev": prev}
        ev.update(own)
        line = json.dumps(ev, separators=(",", ":"), ensure_ascii=False)
        prev = hashlib.sha256(line.encode()).hexdigest()
        f.write(line + "\n")
EOF
size=$(wc -c <"$tmp/big.jsonl")

# (b) The Markdown export against a jq timeline table.
jqprog='def two: tostring | if length < 2 then "0" + . else . end;
(.t / 1000 | floor) as $s
| "| +\($s / 60 | floor | two):\($s % 60 | two) | \(.ts[0:19] | sub("T"; " ")) | \(.op) | \(.type) | \((.text // .command // .why // .step // .system // .cmd // "") | tostring | gsub("\\|"; "\\|")) |"'
e=""
j=""
i=0
while [ "$i" -lt "$runs" ]; do
	t0=$(now)
	"$rbnav" export "$tmp/big.jsonl" --format md >"$tmp/big.md"
	t1=$(now)
	jq -r "$jqprog" "$tmp/big.jsonl" >"$tmp/big.jq.md"
	t2=$(now)
	e="$e $(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }')"
	j="$j $(awk -v a="$t1" -v b="$t2" 'BEGIN { print b - a }')"
	i=$((i + 1))
done
# shellcheck disable=SC2086
e=$(best $e)
# shellcheck disable=SC2086
j=$(best $j)
printf '(b) export --format md of %s events (%s bytes): rbnav %.3f s, jq table %.3f s: %sx of jq (goal < 1)\n' \
    "$events" "$size" "$e" "$j" "$(ratio "$e" "$j")"

# (c) verify against sha256sum.
v=""
s=""
i=0
while [ "$i" -lt "$runs" ]; do
	t0=$(now)
	"$rbnav" verify "$tmp/big.jsonl" >/dev/null
	t1=$(now)
	sha256sum "$tmp/big.jsonl" >/dev/null
	t2=$(now)
	v="$v $(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }')"
	s="$s $(awk -v a="$t1" -v b="$t2" 'BEGIN { print b - a }')"
	i=$((i + 1))
done
# shellcheck disable=SC2086
v=$(best $v)
# shellcheck disable=SC2086
s=$(best $s)
printf '(c) verify of %s events: rbnav %.3f s, sha256sum %.3f s: %sx (goal <= 2)\n' \
    "$events" "$v" "$s" "$(ratio "$v" "$s")"
