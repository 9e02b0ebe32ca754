#!/bin/sh
# Output benchmark: a command that prints BENCH_MB (default 200) MB,
# three ways, in one run:
#
#   (a) as a step in rbnav, in a tmux pane of 100x30: its output goes
#       through the output pane (follow mode) and into the capture file;
#       timed by command.exit's ms (the job's start to its end); then,
#       during an endless flood of the same lines (`while :; do cat
#       DATA; done`, stopped with Ctrl-C), the key-to-screen latency
#       (30 Tabs, through tmux: tests/commands/keylat.py); and rbnav's
#       RSS over all of it (its VmHWM at the end);
#   (b) the same command in a plain tmux pane of the same size;
#   (c) the same command redirected to a file (`cat > file`);
#   (d) for scale, the part of (a) no implementation can skip: the
#       output through a pipe and into a capture file
#       (`cat DATA | tee file > /dev/null`), and that plus a SHA-256 of
#       it (`... | tee file | sha256sum`).
#
# The command is `cat DATA`, DATA being BENCH_MB MB of lines that all
# differ (a counter, then x's: 100 bytes a line), written once first, so
# that the generator costs nothing and every screen frame has new text.
# Best of BENCH_RUNS (default 3) each; (a) and (b) interleaved.
#
# Goals: (a) faster than (b); (a) at most 2x (c); rbnav's RSS at most
# 32 MB; key latency p99 under 50 ms during the flood.  Prints the
# figures and whether each goal is met; exits 0 whatever they are.
#
# Usage: bench/output.sh          (from the top of the source tree)
#        RBNAV=/tmp/rel/src/rbnav bench/output.sh
#
# Measure a build configured without --enable-debug (see README.md).
# Needs tmux, python3, jq, GNU date.

set -u

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
rbnav=${RBNAV:-./src/rbnav}
mb=${BENCH_MB:-200}
runs=${BENCH_RUNS:-3}
cols=100
rows=30

[ -x "$rbnav" ] || { echo "output.sh: no rbnav at $rbnav (set RBNAV)" >&2; exit 2; }
rbnav=$(cd "$(dirname "$rbnav")" && pwd)/$(basename "$rbnav")
for t in tmux python3 jq; do
	command -v "$t" >/dev/null 2>&1 ||
	    { echo "output.sh: $t is needed" >&2; exit 2; }
done

tmp=$(mktemp -d "${TMPDIR:-/tmp}/rbnav-bench-output.XXXXXX")
TMUX_TMPDIR=$tmp
export TMUX_TMPDIR
unset TMUX TMUX_PANE
sock_a=bench-a-$$
sock_b=bench-b-$$
cleanup() {
	tmux -L "$sock_a" kill-server >/dev/null 2>&1
	tmux -L "$sock_b" kill-server >/dev/null 2>&1
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

now_ms() { date +%s%3N; }
hz=$(getconf CLK_TCK)
# CPU time (user + system) of a process so far, in ms.
cpu_ms() {
	sed 's/^.*) //' "/proc/$1/stat" 2>/dev/null |
	    awk -v hz="$hz" '{ printf "%d\n", ($12 + $13) * 1000 / hz }'
}

# The data: BENCH_MB MB of 100-byte lines that all differ.
data=$tmp/data
awk -v n=$((mb * 1024 * 1024 / 100)) 'BEGIN {
	x = sprintf("%88s", ""); gsub(/ /, "x", x)
	for (i = 0; i < n; i++) printf "%010d %s\n", i, x }' >"$data"
bytes=$(wc -c <"$data" | tr -d ' ')
echo "data: $bytes bytes ($mb MB) of 100-byte lines"

# The runbook: one step per run, each `cat DATA`.
rb=$tmp/output.yaml
{
	echo "format: rbnav/v1"
	echo "id: bench-output"
	echo "title: Output benchmark"
	echo "scenarios:"
	echo "  - id: flood"
	echo "    title: Flood"
	echo "    steps:"
	i=1
	while [ "$i" -le "$runs" ]; do
		echo "      - id: run$i"
		echo "        title: Run $i"
		echo "        run: cat '$data'"
		i=$((i + 1))
	done
	echo "      - id: latency"
	echo "        title: Latency"
	echo "        run: while :; do cat '$data'; done"
} >"$rb"
mkdir -p "$tmp/state" "$tmp/home"

# (a) rbnav.
tmux -L "$sock_a" -f /dev/null new-session -d -s bench -x "$cols" -y "$rows" \
    -- env -i PATH="$PATH" HOME="$tmp/home" RBNAV_STATE_DIR="$tmp/state" \
    TERM=xterm-256color LANG=C.UTF-8 sh -c \
    'echo $$ >"$0/rbnav.pid"; exec "$@"' "$tmp" "$rbnav" -r "$rb" run flood \
    --title bench --operator bench
for i in $(seq 100); do
	[ -s "$tmp/rbnav.pid" ] && tmux -L "$sock_a" capture-pane -p -t bench |
	    grep -q 'Run 1' && break
	sleep 0.05
done
pid=$(cat "$tmp/rbnav.pid")
exits() { cat "$tmp"/state/*.jsonl 2>/dev/null | grep -c '"type":"command.exit"'; }

# (b) a plain tmux pane: the same command, timed inside the pane.
tmux -L "$sock_b" -f /dev/null new-session -d -s bench -x "$cols" -y "$rows" \
    -- sh -c 'while :; do sleep 1; done'
tpid_a=$(tmux -L "$sock_a" display -p '#{pid}')
tpid_b=$(tmux -L "$sock_b" display -p '#{pid}')
cpu_a=0 cpu_ta=0 cpu_b=0

best_a= best_b= lat_all=
i=1
while [ "$i" -le "$runs" ]; do
	# (a)
	c0=$(cpu_ms "$pid") ct0=$(cpu_ms "$tpid_a")
	tmux -L "$sock_a" send-keys -t bench Enter
	while [ "$(exits)" -lt "$i" ]; do
		sleep 0.02
	done
	cpu_a=$((cpu_a + $(cpu_ms "$pid") - c0))
	cpu_ta=$((cpu_ta + $(cpu_ms "$tpid_a") - ct0))
	ms_a=$(cat "$tmp"/state/*.jsonl | jq -r 'select(.type == "command.exit") | .ms' | sed -n "${i}p")
	ok_a=$(cat "$tmp"/state/*.jsonl | jq -r 'select(.type == "command.exit") | .output_bytes' | sed -n "${i}p")
	[ "$ok_a" = "$bytes" ] || echo "warning: run $i captured $ok_a bytes, not $bytes"
	rm -f "$tmp"/state/*.d/c"$i".out
	# (b)
	rm -f "$tmp/b.t0" "$tmp/b.t1"
	c0=$(cpu_ms "$tpid_b")
	tmux -L "$sock_b" respawn-pane -k -t bench -- sh -c \
	    "date +%s%3N >'$tmp/b.t0'; cat '$data'; date +%s%3N >'$tmp/b.t1'; while :; do sleep 1; done"
	while [ ! -s "$tmp/b.t1" ]; do
		sleep 0.02
	done
	ms_b=$(( $(cat "$tmp/b.t1") - $(cat "$tmp/b.t0") ))
	cpu_b=$((cpu_b + $(cpu_ms "$tpid_b") - c0))
	echo "run $i: rbnav $ms_a ms, tmux pane $ms_b ms"
	[ -z "$best_a" ] || [ "$ms_a" -lt "$best_a" ] && best_a=$ms_a
	[ -z "$best_b" ] || [ "$ms_b" -lt "$best_b" ] && best_b=$ms_b
	i=$((i + 1))
done
# Key latency during an endless flood of the same output.
tmux -L "$sock_a" send-keys -t bench Enter
sleep 0.5
lat=$(python3 "$top/tests/commands/keylat.py" --socket "$sock_a" \
    --target bench --count 30 --rss-pid "$pid" --gap 0.05 | tail -n 1)
tmux -L "$sock_a" send-keys -t bench C-c
sleep 0.2
tmux -L "$sock_a" send-keys -t bench C-c
while [ "$(exits)" -le "$runs" ]; do
	sleep 0.05
done
hwm=$(awk '/^VmHWM:/ { print $2 }' "/proc/$pid/status")

# (c) cat > file.
best_c=
cpu_c=0
i=1
while [ "$i" -le "$runs" ]; do
	t0=$(now_ms)
	c=$(sh -c 'cat "$1" >"$2"; times' sh "$data" "$tmp/c.out" | tail -n 1 |
	    awk '{ for (k = 1; k <= 2; k++) { split($k, a, "m"); s += a[1] * 60 + a[2] } printf "%d\n", s * 1000 }')
	ms_c=$(( $(now_ms) - t0 ))
	cpu_c=$((cpu_c + c))
	rm -f "$tmp/c.out"
	[ -z "$best_c" ] || [ "$ms_c" -lt "$best_c" ] && best_c=$ms_c
	i=$((i + 1))
done

# (d) the pipe and the capture file, then with a hash.
best_d= best_e=
i=1
while [ "$i" -le "$runs" ]; do
	t0=$(now_ms)
	cat "$data" | tee "$tmp/d.out" >/dev/null
	ms_d=$(( $(now_ms) - t0 ))
	rm -f "$tmp/d.out"
	t0=$(now_ms)
	cat "$data" | tee "$tmp/d.out" | sha256sum >/dev/null
	ms_e=$(( $(now_ms) - t0 ))
	rm -f "$tmp/d.out"
	[ -z "$best_d" ] || [ "$ms_d" -lt "$best_d" ] && best_d=$ms_d
	[ -z "$best_e" ] || [ "$ms_e" -lt "$best_e" ] && best_e=$ms_e
	i=$((i + 1))
done

rate() { awk -v b="$bytes" -v ms="$1" 'BEGIN { printf "%.0f MB/s", b / 1048576 / (ms > 0 ? ms : 1) * 1000 }'; }
p99=$(printf '%s\n' "$lat" | tr ' ' '\n' | sed -n 's/^p99=//p')
p50=$(printf '%s\n' "$lat" | tr ' ' '\n' | sed -n 's/^p50=//p')
echo
echo "rbnav (pane + capture file): $best_a ms ($(rate "$best_a")), best of $runs"
echo "plain tmux pane:             $best_b ms ($(rate "$best_b"))"
echo "cat > file:                  $best_c ms ($(rate "$best_c"))"
echo "for scale: cat | tee file:    $best_d ms ($(rate "$best_d")); with | sha256sum: $best_e ms ($(rate "$best_e"))"
echo "rbnav peak RSS (VmHWM):      $((hwm / 1024)) MB ($hwm kB)"
echo "CPU time per run (mean; independent of the machine's load):"
echo "  rbnav $((cpu_a / runs)) ms + its tmux $((cpu_ta / runs)) ms;" \
    "plain tmux pane $((cpu_b / runs)) ms; cat > file $((cpu_c / runs)) ms"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) CPUs"
echo "key latency during the flood: p50 ${p50:-?} ms, p99 ${p99:-?} ms ($lat)"
echo
goal() { if [ "$2" = 0 ]; then echo "goal met:     $1"; else echo "goal NOT met: $1"; fi; }
[ "$best_a" -lt "$best_b" ]; goal "rbnav faster than a plain tmux pane ($best_a < $best_b ms)" $?
awk -v a="$best_a" -v c="$best_c" 'BEGIN { exit !(a <= 2 * c) }'
goal "rbnav at most 2x cat > file ($(awk -v a="$best_a" -v c="$best_c" 'BEGIN { printf "%.1fx", a / (c > 0 ? c : 1) }'))" $?
[ "$hwm" -le 32768 ]; goal "RSS at most 32 MB ($((hwm / 1024)) MB)" $?
awk -v p="${p99:-99999}" 'BEGIN { exit !(p + 0 < 50) }'; goal "key latency p99 under 50 ms (${p99:-?} ms)" $?
exit 0
