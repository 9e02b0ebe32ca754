#!/bin/sh
# Webhooks (src/webhook.c) against loopback receivers of
# webhook-server.py, driven by tests/integration/shared-driver on a real
# event loop with a 10 ms ticker: Slack-compatible payloads for the
# configured event types only, secrets redacted; a receiver that hangs
# and one that answers 500 are retried with backoff (1, 2, 4, 8 s), given
# up after five tries, reported, and never stall the loop.
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/integration/lib.sh"

driver="$top_builddir/tests/integration/shared-driver"
[ -x "$driver" ] || skip_all "tests/integration/shared-driver is not built"

wh_pid=""
trap '[ -n "$wh_pid" ] && kill "$wh_pid" 2>/dev/null; it_cleanup' EXIT
python3 "$top_srcdir/tests/integration/webhook-server.py" "$tmp/port" \
    "$tmp/received" 2>"$tmp/server.log" &
wh_pid=$!
i=0
while [ ! -f "$tmp/port" ]; do
	i=$((i + 1))
	if [ "$i" -gt 200 ] || ! kill -0 "$wh_pid" 2>/dev/null; then
		sed 's/^/# /' "$tmp/server.log"
		echo "Bail out! the webhook receiver did not start"
		exit 1
	fi
	sleep 0.05
done
. "$tmp/port"
base="http://127.0.0.1:$WEBHOOK_PORT"
secret="s3cr3t-Tok3n-42"

"$driver" webhooks "$base/good/T000/B000/XXXX" "$base/filtered" \
    "$base/hang/T111/B111/YYYY" "$base/fail/T222/B222/ZZZZ" "$secret" \
    >"$tmp/out" 2>&1
sed 's/^/# /' "$tmp/out"
val() {
	sed -n "s/^$1=//p" "$tmp/out" | tail -n 1
}

q=$(val queued_ms)
check "handing events over returns at once (${q} ms)" test "${q:-999}" -lt 50
is "$(val pending)" "8" "8 messages queued: 4 + 2 + 1 + 1"
is "$(val done)" "1" "every message delivered or given up"
st=$(val stall_max_ms)
check "the loop never stalled 100 ms (${st} ms)" test "${st:-999}" -lt 100
is "$(grep -c '^failed=' "$tmp/out")" "2" "two messages given up"
like "$(grep '^failed=.*/hang/' "$tmp/out")" \
    "^failed=http://127.0.0.1:$WEBHOOK_PORT/hang/… .*([Tt]imeout|timed out).* \\(5 tries\\)$" \
    "the hanging receiver: timed out, 5 tries, reported"
like "$(grep '^failed=.*/fail/' "$tmp/out")" \
    "^failed=http://127.0.0.1:$WEBHOOK_PORT/fail/… HTTP 500 Internal Server Error \\(5 tries\\)$" \
    "the failing receiver: HTTP 500, 5 tries, reported"
unlike "$(grep '^failed=' "$tmp/out")" "YYYY|ZZZZ" \
    "reported URLs keep their secret path to themselves"

python3 - "$tmp/received" "$secret" >"$tmp/judged" <<'EOF'
import json, sys
got = [json.loads(l) for l in open(sys.argv[1])]
secret = sys.argv[2]
def texts(path):
    return [json.loads(g["body"])["text"] for g in got
            if g["path"].startswith(path)]
def times(path):
    return [g["t"] for g in got if g["path"].startswith(path)]
print("good=%s" % " | ".join(texts("/good/")))
print("filtered=%s" % " | ".join(texts("/filtered")))
slack = True
for g in got:
    b = json.loads(g["body"])
    slack &= isinstance(b.get("text"), str) and b["text"] != ""
    slack &= [x["type"] for x in b.get("blocks", [])] == ["section",
        "context"]
    slack &= b["blocks"][0]["text"]["type"] == "mrkdwn"
    slack &= g["content_type"].startswith("application/json")
print("slack=%d" % slack)
print("secret_seen=%d" % any(secret in g["body"] or "hunter2" in g["body"]
    for g in got))
print("redacted=%d" % sum("[REDACTED]" in g["body"] for g in got))
for p in ("/hang/", "/fail/"):
    t = times(p)
    gaps = [round(b - a, 2) for a, b in zip(t, t[1:])]
    print("%s_tries=%d" % (p.strip("/"), len(t)))
    print("%s_gaps=%s" % (p.strip("/"), " ".join("%.2f" % g for g in gaps)))
EOF
sed 's/^/# /' "$tmp/judged"
jval() {
	sed -n "s/^$1=//p" "$tmp/judged"
}
good=$(jval good)
like "$good" "^\[?[^|]*started \(live\): DB failover" \
    "the default set: incident.start first"
like "$good" "\| DB failover &lt;\[REDACTED\]&gt;: decision choose: \[REDACTED\] -&gt; promote \(alice\) \|" \
    "then the decision, redacted and escaped for Slack"
like "$good" "api recovered in 1900s: RTO MISSED" "then the missed RTO"
unlike "$good" "RTO met|note|check|step" \
    "not the met RTO, the note, the check change or the step"
like "$good" "incident ended: resolved: promoted the replica \(alice\)$" \
    "and incident.end last"
is "$(printf '%s\n' "$good" | awk -F' \\| ' '{ print NF }')" "4" \
    "four messages to the default webhook"
filtered=$(jval filtered)
like "$filtered" "note: PGPASSWORD=\[REDACTED\] psql &amp; check" \
    "the filtered webhook gets its note, redacted"
is "$(printf '%s\n' "$filtered" | awk -F' \\| ' '{ print NF }')" "2" \
    "and its decision, nothing else"
is "$(jval slack)" "1" "every payload is Slack-compatible JSON"
is "$(jval secret_seen)" "0" "no secret reaches a receiver"
check "secrets are marked [REDACTED]" test "$(jval redacted)" -gt 0

is "$(jval fail_tries)" "5" "the 500 receiver was tried 5 times"
is "$(jval hang_tries)" "5" "the hanging receiver was tried 5 times"
# Between tries: the backoff, plus the 1 s timeout for the hanging one.
gaps_ok() {
	awk -v got="$1" -v want="$2" 'BEGIN {
		n = split(got, g, " ")
		if (n != split(want, w, " "))
			exit 1
		for (i = 1; i <= n; i++)
			if (g[i] < w[i] - 0.1 || g[i] >= w[i] + 0.6)
				exit 1
	}'
}
check "the 500 receiver: retried after 1, 2, 4, 8 s ($(jval fail_gaps))" \
    gaps_ok "$(jval fail_gaps)" "1 2 4 8"
check "the hanging one: after the 1 s timeout + 1, 2, 4, 8 s ($(jval hang_gaps))" \
    gaps_ok "$(jval hang_gaps)" "2 3 5 9"
finish
