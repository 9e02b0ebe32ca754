#!/bin/sh
# In drill mode nothing real is executed or contacted.  Every bundled
# drill is taken along its expected path with:
#   - wrappers first on PATH for docker, psql, curl, ssh, sudo, git, sh,
#     bash, systemctl, kubectl, pg_resetwal (and a few more) that only
#     log their name;
#   - loopback listeners that log every connection, on ports of their
#     own: the drills run on a copy of the bundled runbooks whose checks
#     point there instead of 8000, 3000, 9090, 3003, 9093, 5432 and 6379
#     (a live rbnav elsewhere on the machine, another test or a real
#     one, checks those every few seconds and would be counted);
#   - rbnav itself under strace -f -e trace=execve,connect.
# Then: no wrapper call, no connection, no execve but rbnav's own, no
# connect() to an IP address.  A live `rbnav status` under the same
# conditions first shows that the canaries do catch what a live run does.
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/drills/lib.sh"

command -v strace >/dev/null 2>&1 || skip_all "strace is not installed"
command -v python3 >/dev/null 2>&1 || skip_all "python3 is not installed"
strace=$(command -v strace)
# LeakSanitizer cannot run under ptrace: in a sanitizer build, the
# straced rbnav is checked by the other tests for leaks, not by this one.
ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0"
export ASAN_OPTIONS
# ptrace may be forbidden (containers): then there is nothing to test.
"$strace" -f -qq -e trace=execve -o /dev/null /bin/true 2>/dev/null ||
    skip_all "strace cannot trace here"

bin=$tmp/canary-bin
calls=$tmp/canary-calls
conns=$tmp/canary-conns
mkdir -p "$bin"
for n in docker psql curl ssh sudo git sh bash dash systemctl kubectl \
    pg_resetwal pg_restore pg_dump ping alembic crontab find tar nc; do
	printf '#!/bin/sh\necho "%s $*" >>"%s"\nexit 97\n' "$n" "$calls" \
	    >"$bin/$n"
	chmod +x "$bin/$n"
done
: >"$calls"

ports="8000 3000 9090 3003 9093 5432 6379"
python3 "$dr_srcdir/listen.py" --private "$conns" "$tmp/ready" $ports &
lpid=$!
trap 'kill "$lpid" 2>/dev/null; dr_cleanup' EXIT
end=$(dr_deadline 10)
while [ ! -s "$tmp/ready" ] && [ "$(dr_ms)" -lt "$end" ]; do
	sleep 0.05
done
check "the loopback listeners are up" test -s "$tmp/ready"
sed 's/^/# port: /' "$tmp/ready"
rbdir=$tmp/runbooks
cp -R "$top_srcdir/runbooks" "$rbdir"
chmod -R u+w "$rbdir"
while read -r w a; do
	sed -i -e "s/localhost:$w\\([^0-9]\\|\$\\)/localhost:$a\\1/g" \
	    -e "s/port=$w\\([^0-9]\\|\$\\)/port=$a\\1/g" "$rbdir/eriop-dr.yaml"
done <"$tmp/ready"
for w in $ports; do
	is "$(grep -cE "(localhost:|port=)$w([^0-9]|\$)" "$rbdir/eriop-dr.yaml")" 0 \
	    "the copy of eriop-dr checks nothing on port $w"
done
"$RBNAV" validate "$rbdir"/*.yaml "$rbdir"/drills/*.yaml >"$tmp/validate" 2>&1
is "$?" 0 "the copy of the runbooks and drills validates"

# --- control: a live status check is seen by every canary -----------------
(cd "$tmp" && PATH="$bin:$PATH" "$strace" -f -qq -e trace=execve,connect \
    -o "$tmp/strace-live.log" "$RBNAV" -r "$rbdir" status backend postgres \
    redis frontend monitoring >"$tmp/status.out" 2>&1)
sed 's/^/# status: /' "$tmp/status.out"
port() {
	awk -v w="$1" '$1 == w { print $2 }' "$tmp/ready"
}
like "$(cat "$conns")" "^$(port 8000) " \
    "control: live, the backend's HTTP check reaches its listener"
like "$(cat "$conns")" "^$(port 6379) " \
    "control: live, the Redis TCP check reaches its listener"
like "$(cat "$conns")" "^$(port 5432) " \
    "control: live, the PostgreSQL check reaches its listener"
like "$(cat "$calls")" '^curl ' \
    "control: live, the monitoring check's curl is a wrapper call"
like "$(grep -c 'execve(' "$tmp/strace-live.log")" '^([2-9]|[1-9][0-9]+)$' \
    "control: live, strace sees the check's execve"
like "$(grep 'connect(' "$tmp/strace-live.log" | head -n 5)" \
    'sa_family=AF_INET' "control: live, strace sees connect() to AF_INET"
: >"$calls"
: >"$conns"

# --- every bundled drill ----------------------------------------------------
drills=$(for f in "$rbdir"/drills/*.yaml; do basename "$f" .yaml; done)
for d in $drills; do
	DR_RUNBOOKS=$rbdir DR_PATH="$bin:$PATH" DR_PLAY_MIN=1 \
	    DR_PREFIX="env ASAN_OPTIONS=$ASAN_OPTIONS $strace -f -qq -e trace=execve,connect -o $tmp/strace-$d.log" \
	    dr_bg "$d" dr_play "$d"
done
for d in $drills; do
	dr_collect "$d"
done

is "$(cat "$calls")" "" "drills: no wrapper was called (docker, psql, curl, ssh, sudo, git, sh, bash, systemctl, kubectl, pg_resetwal...)"
is "$(cat "$conns")" "" "drills: no connection reached the loopback listeners"
for d in $drills; do
	log=$tmp/strace-$d.log
	check "$d: strace log written" test -s "$log"
	is "$(grep -c 'execve(' "$log")" 1 "$d: one execve only"
	like "$(grep 'execve(' "$log")" "execve\\(\"[^\"]*rbnav\"" \
	    "$d: the execve is rbnav's own"
	is "$(grep 'connect(' "$log" | grep -E 'AF_INET6?[,}]' | head -n 5)" "" \
	    "$d: no connect() to an IP address (HTTP, TCP, PostgreSQL, DNS)"
	is "$(grep 'connect(' "$log" | grep -E 'PGSQL' | head -n 5)" "" \
	    "$d: no connect() to a PostgreSQL socket"
	grep 'connect(' "$log" | head -n 5 | sed "s/^/# $d: /"
	j=$(ls -t "$tmp/state-$d"/*.jsonl 2>/dev/null | head -n 1)
	n=$(jq -c 'select(.type == "command.start")' "$j" 2>/dev/null | wc -l)
	check "$d: commands were \"run\" ($n command.start)" test "$n" -ge 2
	is "$(jq -c 'select(.type == "command.start" and .simulated != true)
	    | .step' "$j" 2>/dev/null)" "" "$d: every command.start is simulated"
done
finish
