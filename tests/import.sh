#!/bin/sh
# rbnav import: Markdown runbooks into rbnav/v1.
#
# Every document in tests/data/import imports with exit 0, a comment
# header and only located warnings, validates with no error, and keeps
# every line of its source somewhere in the output (see lines() below).
# The seed document (a copy of shared/seed/disaster-recovery.md) is
# compared with the hand-written runbooks/eriop-dr.yaml (see seed() below
# for what is comparable).  Then: each fixture's own shape, -o and exit
# codes, and hostile inputs generated here (too big to keep in the tree),
# each of which must give a result that validates or a located error,
# within 20 seconds and without a crash.
. "$top_srcdir/tests/lib.sh"

data="$top_srcdir/tests/data/import"
hand="$top_srcdir/runbooks/eriop-dr.yaml"

python3 -c 'import yaml' 2>/dev/null ||
    skip_all "python3 with PyYAML (python3-yaml) is needed"

export SOURCE_DATE_EPOCH=1767225600	# 2026-01-01: a stable header

cat >"$tmp/check.py" <<'PY'
import re, sys, yaml

def load(path):
    with open(path, encoding="utf-8") as f:
        return yaml.safe_load(f)

def words_of(line):
    """The words of a Markdown line once its markup is gone."""
    t = line.strip()
    if not t:
        return []
    if re.match(r"^(`{3,}|~{3,})", t):
        return []       # a fence: markup; its language is metadata
    if re.fullmatch(r"\|?[\s:|-]*-[\s:|-]*\|?", t) or \
       re.fullmatch(r"[=\-*_\s]+", t):
        return []       # table delimiter rows, rules, setext lines
    t = re.sub(r"^(>\s*)+", "", t)
    t = re.sub(r"^#{1,6}\s+", "", t)
    t = re.sub(r"^([-*+]|\d+[.)])\s+", "", t)
    t = t.replace("**", " ").replace("|", " ").replace("`", " ")
    return re.findall(r"[A-Za-z0-9]+", t)

def lines(md, out):
    """Every non-blank source line is represented: each of its words
    appears in the YAML (case-insensitive), comments included -- the
    header lists the lines used as structure."""
    with open(md, "rb") as f:
        src = f.read().decode("utf-8", "replace")
    with open(out, encoding="utf-8") as f:
        text = f.read().lower()
    bad = 0
    for n, line in enumerate(src.splitlines(), 1):
        missing = [w for w in words_of(line) if w.lower() not in text]
        if missing:
            print("# %s:%d: not in the output: %s" % (md, n, missing))
            bad += 1
    return bad == 0

PLACEHOLDER = [
    (re.compile(r"\{\{\s*\w+\s*\}\}"), "VAR"),
    (re.compile(r"<[A-Za-z][\w.-]*>"), "VAR"),
    (re.compile(r"/path/to/[\w.+@%/-]+"), "VAR"),
    (re.compile(r"YYYYMMDD"), "VAR"),
]

def norm(s):
    for rx, rep in PLACEHOLDER:
        s = rx.sub(rep, s)
    return " ".join(s.split())

CRON = re.compile(r"^([0-9*/,-]+\s+){5}\S")

def seed_commands(md):
    """The command lines of the seed's code blocks: not comments, not
    blank, not the crontab line (a crontab entry, not a command)."""
    cmds, fence = [], None
    with open(md, encoding="utf-8") as f:
        for line in f:
            t = line.strip()
            m = re.match(r"^(`{3,}|~{3,})", t)
            if m and fence is None:
                fence = m.group(1)
                continue
            if fence is not None and t.startswith(fence):
                fence = None
                continue
            if fence is None or not t or t.startswith("#") or CRON.match(t):
                continue
            cmds.append(norm(t))
    return cmds

def runs(rb):
    return [st["run"] for sc in rb["scenarios"] for st in sc["steps"]
            if "run" in st]

def tok_match(a, b):
    if a == b:
        return True
    for x, y in ((a, b), (b, a)):
        if "VAR" in y and re.fullmatch(
                ".*".join(re.escape(p) for p in y.split("VAR")), x):
            return True
    return False

def subseq(cmd, line):
    want, have = cmd.split(), line.split()
    i = 0
    for tok in have:
        if i < len(want) and tok_match(want[i], tok):
            i += 1
    return i == len(want)

def real_steps(sc):
    return [st for st in sc["steps"] if "ask" not in st and
            not st["id"].startswith("done")]

def seed(md, out, hand):
    """Checks printed as "0|what" or "1|what|detail" lines."""
    imp, ref = load(out), load(hand)
    res = []
    def check(ok, what, detail=""):
        res.append("%d|%s|%s" % (0 if ok else 1, what, detail))

    # Systems: the five rows of the priority table, as written by hand.
    got = sorted((s["name"], s["priority"], str(s.get("rto")),
                  str(s.get("rpo"))) for s in imp.get("systems", []))
    want = sorted((s["name"], s["priority"], str(s.get("rto")),
                   str(s.get("rpo"))) for s in ref["systems"])
    check(got == want, "the five systems with their priority, RTO and RPO",
          "%s != %s" % (got, want))

    # Scenarios and procedures: same number of each kind, same titles.
    for kind in ("incident", "procedure"):
        a = [sc["title"] for sc in imp["scenarios"] if sc["kind"] == kind]
        b = [sc["title"] for sc in ref["scenarios"] if sc.get("kind",
             "incident") == kind]
        check(len(a) == len(b), "as many %s scenarios as by hand (%d)" %
              (kind, len(b)), "%d != %d" % (len(a), len(b)))
    titles = {sc["title"] for sc in imp["scenarios"]}
    missing = [sc["title"] for sc in ref["scenarios"]
               if sc["title"] not in titles]
    check(not missing, "every hand-written scenario title is imported",
          missing)

    # Commands: every seed command is a line of some imported run,
    # exactly (placeholders as VAR); and, in substance, of some
    # hand-written run: its words in order, where the hand-written
    # runbook may add options (ping -c 4, curl --retry) and variables
    # (ssh {{ssh_user}}@..., {{backups_dir}}) around them.
    cmds = seed_commands(md)
    check(len(cmds) >= 60, "the seed has its commands (%d)" % len(cmds))
    ilines = {norm(l) for r in runs(imp) for l in r.splitlines()}
    miss = [c for c in cmds if c not in ilines]
    check(not miss, "every seed command is in an imported run", miss)
    # One seed command is not in the hand-written runbook on purpose:
    # "sleep 30  # Wait for initialization" became waiting for the
    # PostgreSQL check (wait_for), which is what the sleep stood for.
    rewritten = {"sleep 30 # Wait for initialization"}
    hlines = [norm(l) for r in runs(ref) for l in r.splitlines()]
    miss = [c for c in cmds if c not in rewritten and
            not any(subseq(c, h) for h in hlines)]
    check(not miss, "every seed command is in a hand-written run (but "
          "sleep 30, replaced by waiting for the check)", miss)

    # Steps: the hand-written runbook splits some steps (ping, then ssh;
    # stop, reset, start postgres), adds verification steps and asks
    # more questions, but never merges two seed steps.  So per scenario:
    # imported <= hand-written <= 2 * imported + 1, counting steps that
    # are not questions; and no more questions than by hand.
    byt = {sc["title"]: sc for sc in ref["scenarios"]}
    for sc in imp["scenarios"]:
        h = byt.get(sc["title"])
        if h is None:
            continue
        a, b = len(real_steps(sc)), len(real_steps(h))
        check(a <= b <= 2 * a + 1, "steps of '%s': %d imported, %d by "
              "hand" % (sc["title"], a, b))
        a = len([s for s in sc["steps"] if "ask" in s])
        b = len([s for s in h["steps"] if "ask" in s])
        check(a <= b, "questions of '%s': %d imported, %d by hand" %
              (sc["title"], a, b))
    print("\n".join(res))

def q(out, expr):
    d = load(out)
    def sc(i):
        return [s for s in d["scenarios"] if s["id"] == i][0]
    def st(s, i):
        return [x for x in sc(s)["steps"] if x["id"] == i][0]
    def allruns():
        return "\n".join(runs(d))
    print(eval(expr))

if __name__ == "__main__":
    cmd = sys.argv[1]
    if cmd == "lines":
        sys.exit(0 if lines(sys.argv[2], sys.argv[3]) else 1)
    elif cmd == "seed":
        seed(sys.argv[2], sys.argv[3], sys.argv[4])
    elif cmd == "q":
        q(sys.argv[2], sys.argv[3])
PY

# q FILE EXPR: a Python expression over the YAML in FILE (d).
q() {
	python3 "$tmp/check.py" q "$1" "$2" 2>&1
}

# import FILE: rbnav import under 20 s; sets rc, and $tmp/out, $tmp/err.
import() {
	timeout 20 "$RBNAV" import "$@" >"$tmp/out" 2>"$tmp/err"
	rc=$?
}

# --- Every document imports, validates and keeps every line. -----------
n=0
for md in "$data"/*.md; do
	name=${md##*/}
	y="$tmp/${name%.md}.yaml"
	e="$tmp/${name%.md}.err"
	(cd "$data" && timeout 20 "$RBNAV" import "$name") >"$y" 2>"$e"
	rc=$?
	is "$rc" 0 "$name imports"
	bad=$(grep -v "^rbnav: $name:[0-9][0-9]*: warning: " "$e")
	is "$bad" "" "$name: only located warnings on stderr"
	like "$(head -n 1 "$y")" "^# Imported by rbnav import from $name on 2026-01-01\.$" \
	    "$name: the header says where from and when"
	nw=$(grep -c . "$e")
	like "$(sed -n 2p "$y")" "^# $nw warnings? " "$name: the header counts the $nw warnings"
	out=$(timeout 20 "$RBNAV" validate "$y" 2>&1); rc=$?
	is "$rc" 0 "$name: the result validates"
	like "$out" " 0 errors" "$name: with no error"
	if python3 "$tmp/check.py" lines "$md" "$y" >"$tmp/lines"; then
		ok 0 "$name: every line of the source is in the output"
	else
		ok 1 "$name: every line of the source is in the output"
		head -n 20 "$tmp/lines"
	fi
	n=$((n + 1))
done
check "at least six documents besides the seed" test "$n" -ge 7
check "the CRLF document really has CRLF line ends" \
    grep -q "$(printf '\r')" "$data/windows-crlf.md"

# --- The seed against the hand-written runbook. --------------------------
python3 "$tmp/check.py" seed "$data/disaster-recovery.md" \
    "$tmp/disaster-recovery.yaml" "$hand" >"$tmp/seed" 2>&1 ||
    echo "1|the seed comparison ran|$(tail -n 3 "$tmp/seed")" >>"$tmp/seed"
while IFS='|' read -r st what detail; do
	ok "$st" "seed: $what"
	[ "$st" = 0 ] || echo "# $detail"
done <"$tmp/seed"

y="$tmp/disaster-recovery.yaml"
is "$(q "$y" 'd["id"], d["title"], str(d["reviewed"])')" \
    "('disaster-recovery-procedures', 'Disaster Recovery Procedures', '2025-01')" \
    "seed: title, a slug id, and 'Last reviewed: January 2025' as 2025-01"
is "$(q "$y" '[(c["role"], c.get("email"), c.get("phone")) for c in d["contacts"]][0]')" \
    "('On-Call Engineer', 'oncall@example.com', '+1-XXX-XXX-XXXX')" \
    "seed: contacts with role, email and phone"
is "$(q "$y" 'len(d["post_incident"]), d["post_incident"][0]')" \
    "(5, 'Document the incident: Timeline of events, Root cause analysis, Actions taken')" \
    "seed: post_incident, nested bullets folded into their item"
is "$(q "$y" 'st("complete-infrastructure-failure", "verify-host-machine-status")["run"]')" \
    "$(printf 'ping {{server_ip}}\nssh user@{{server_ip}}')" \
    "seed: <server-ip> becomes {{server_ip}}"
is "$(q "$y" 'sorted(d["variables"])')" \
    "['commit_hash', 'date', 'revision', 'server_ip', 'vigilia_path']" \
    "seed: a variable per placeholder"
like "$(q "$y" 'd["variables"]["commit_hash"]["pattern"]')" '^\^.*\$$' \
    "seed: an anchored pattern where one is obvious"
like "$(q "$y" 'allruns()')" 'psql -U eriop < /backups/latest_backup.sql' \
    "seed: a real < redirection is not a placeholder"
like "$(q "$y" 'st("database-corruption-or-loss", "attempt-database-recovery")["danger"]')" \
    'pg_resetwal' "seed: danger names the destructive command"
is "$(q "$y" 'st("database-corruption-or-loss", "attempt-database-recovery")["text"]')" \
    "If WAL corruption, try recovery mode" "seed: comments in the code are text"
is "$(q "$y" '[c["goto"] for c in st("database-corruption-or-loss", "did-recovery-work")["choices"]]')" \
    "['restart-backend', 'if-recovery-fails-restore-from-backup']" \
    "seed: 'If recovery fails' is a question: skip the fallback, or do it"
is "$(q "$y" '[s.get("interactive", False) for s in sc("complete-infrastructure-failure")["steps"][:3]]')" \
    "[True, True, False]" "seed: ssh and sudo steps are interactive"
is "$(q "$y" '[s.get("open") for s in sc("monitoring-recovery")["steps"]]')" \
    "[None, 'http://localhost:9090/targets', 'http://localhost:3003']" \
    "seed: 'Open URL' steps become open"
is "$(q "$y" 'sc("monitoring-recovery")["when"]')" \
    "If the monitoring stack is down but application is running" \
    "seed: the paragraph that opens a scenario says when"
like "$(q "$y" 'st("database-backup", "add-to-crontab")["text"]')" \
    '^0 2 \* \* \* /path/to/backup-db.sh$' "seed: the crontab line stays text"

# --- Each fixture's own shape. -------------------------------------------
y="$tmp/no-tables.yaml"
is "$(q "$y" 'd["owner"], str(d["reviewed"]), len(d["contacts"])')" \
    "('Payments Team', '2025-09-14', 3)" "no tables: owner, reviewed, contacts from a list"
is "$(q "$y" 'd["contacts"][2]')" "{'role': 'Incident channel', 'chat': '#inc-payments'}" \
    "no tables: a chat channel"
is "$(q "$y" 'st("database-failover", "point-the-api-at-the-new-primary")["run"]')" \
    'sed -i "s/^DB_HOST=.*/DB_HOST="{{replica_host}}"/" /etc/payments/env' \
    "no tables: a placeholder inside double quotes stays one word"
is "$(q "$y" 'st("database-failover", "connect-and-check-the-replication-lag").get("interactive")')" \
    True "no tables: psql without -c is interactive"
is "$(q "$y" 'st("database-failover", "confirm-the-primary-is-down").get("interactive")')" \
    None "no tables: pg_isready is not"
is "$(q "$y" 'st("api-returns-502", "open-https-grafana-example-com-d")["open"]')" \
    "https://grafana.example.com/d/payments" "no tables: a step that opens a URL"

y="$tmp/nested-lists.yaml"
is "$(q "$y" 'sc("queue-backlog")["symptoms"][0]')" \
    "Consumer lag above 10,000 messages: on the orders topic, or on the payments topic" \
    "nested lists: nested symptoms fold into their item"
is "$(q "$y" 'len(sc("queue-backlog")["steps"])')" 5 \
    "nested lists: 4 steps and a question; nested numbered lists are not steps"
like "$(q "$y" 'st("queue-backlog", "find-the-slow-consumer-group")["text"]')" \
    '  1\. Note its name' "nested lists: they are text, indented"
is "$(q "$y" 'd["post_incident"][0]')" \
    "Write down the peak lag: with the time it peaked, and the consumer group" \
    "nested lists: follow-up items fold their sub-items"

y="$tmp/heading-levels.yaml"
is "$(q "$y" 'd["title"], [s["id"] for s in d["scenarios"]]')" \
    "('Cache Cluster Runbook', ['redis-primary-down', 'flush-a-corrupted-cache'])" \
    "heading levels: setext title, scenarios at levels 2 and 4"
is "$(q "$y" '[s["title"] for s in sc("redis-primary-down")["steps"]]')" \
    "['Check Sentinel', 'Force a failover', 'Open a shell on the new primary']" \
    "heading levels: 'Step N:' headings are steps"
is "$(q "$y" '[(s["priority"], s["rto"], s.get("rpo")) for s in d["systems"]]')" \
    "[(1, '2h', '15m'), (2, '1h30m', 'none'), (3, '1h30m', None)]" \
    "heading levels: Tier as priority, 2 hours, 1.5 hours, 90 min"
like "$(q "$y" 'st("flush-a-corrupted-cache", "flush")["danger"]')" 'FLUSHALL' \
    "heading levels: redis-cli FLUSHALL is dangerous"

y="$tmp/code-only.yaml"
is "$(q "$y" '[(s["id"], s["kind"], len(s["steps"])) for s in d["scenarios"]]')" \
    "[('vacuum', 'procedure', 1), ('rotate-logs', 'procedure', 1), ('export', 'procedure', 1)]" \
    "code only: each script section is a procedure"
like "$(q "$y" 'st("export", "export")["run"]')" "inspect -f '\{\{\{\{\.State\.Status\}\}'" \
    "code only: a literal {{ in a command is escaped"
like "$(q "$y" 'st("export", "export")["run"]')" '# Export of <db-host>' \
    "code only: a here-document is left alone"
like "$(q "$y" 'st("export", "export")["run"]')" '^EXPORT_DIR="/srv/exports/"\{\{date\}\}$' \
    "code only: YYYY-MM-DD is a date variable"
is "$(q "$y" 'st("rotate-logs", "rotate-logs")["run"]')" \
    "$(printf 'sudo logrotate -f /etc/logrotate.d/reports\nls -l /var/log/reports/')" \
    "code only: console prompts are stripped, output is text"

y="$tmp/windows-crlf.yaml"
is "$(q "$y" '[(s["id"], s["priority"], s["rto"], s["rpo"]) for s in d["systems"]]')" \
    "[('web-frontend', 1, '30m', 0), ('session-store', 2, '1h30m', '5m'), ('search', 3, '4h', 'Rebuilt from the database')]" \
    "CRLF: systems from long column names"
is "$(q "$y" '[s["id"] for s in sc("web-frontend-down")["steps"] if "ask" in s]')" \
    "['did-the-restart-work', 'did-the-failover-work']" "CRLF: two fallbacks, two questions"
is "$(q "$y" 'st("web-frontend-down", "did-the-restart-work")["choices"][0]["goto"]')" \
    "watch-the-error-rate" "CRLF: 'yes' skips the whole chain of fallbacks"
is "$(q "$y" 'd["contacts"][0]')" \
    "{'role': 'Web lead', 'name': 'Ana Lima', 'phone': '+55 11 5555 0100', 'chat': '@ana'}" \
    "CRLF: contacts with name, phone and chat"
unlike "$(cat "$y")" "$(printf '\r')" "CRLF: no carriage return in the output"

y="$tmp/markup.yaml"
is "$(q "$y" 'st("restore", "restore-the-dump-takes-long-about-ten")["title"]')" \
    "Restore the dump (takes {{{{long}}: about ten minutes)" "markup: {{ in a title is escaped"
like "$(q "$y" 'allruns()')" 'sort <input.txt >sorted.txt' "markup: <in >out redirections stay"
like "$(q "$y" 'allruns()')" 'echo \{<id>\}' "markup: a placeholder right after { stays"
like "$(q "$y" 'allruns()')" '"Authorization: Bearer "\{\{api_token\}\}' \
    "markup: a placeholder at the end of a quoted string"
is "$(q "$y" 'd["variables"]["api_token"].get("secret")')" True "markup: a token is secret"
like "$(q "$y" 'st("restore", "clean-up-the-fence-below-is-never")["danger"]')" \
    'rm -rf, git reset --hard' "markup: danger names every destructive command"
like "$(cat "$tmp/markup.err")" 'markup.md:30: warning: code block is never closed' \
    "markup: an unclosed fence is a warning at its line"

# --- Output, exit codes. --------------------------------------------------
cd "$tmp"
cp "$data/no-tables.md" in.md
import in.md
cp out stdout.yaml
import in.md
check "the output is stable" cmp -s out stdout.yaml
mkdir outdir
import in.md -o outdir/rb.yaml
is "$rc" 0 "-o FILE exits 0"
check "-o FILE writes what stdout gets" cmp -s outdir/rb.yaml stdout.yaml
is "$(ls -a outdir | grep -c '^\.rb')" 0 "-o leaves no temporary file"
is "$(cat out)" "" "-o writes nothing on stdout"
umask 022
import in.md -o outdir/rb.yaml
like "$(ls -l outdir/rb.yaml)" '^-rw-r--r--' "-o replaces the file with the umask's mode"
import in.md -o nodir/rb.yaml
is "$rc" 3 "-o into a missing directory exits 3"
like "$(cat err)" '^rbnav: nodir/rb.yaml: ' "and says why"
import in.md -o outdir
is "$rc" 3 "-o onto a directory exits 3"
if [ -w /dev/full ]; then
	timeout 20 "$RBNAV" import in.md >/dev/full 2>err; rc=$?
	is "$rc" 3 "a full standard output exits 3"
fi
import missing.md
is "$rc" 1 "a missing file exits 1"
like "$(cat err)" '^rbnav: missing\.md: error: cannot open' "with a located error"
import outdir
is "$rc" 1 "a directory exits 1"
timeout 20 "$RBNAV" import >/dev/null 2>err; rc=$?
is "$rc" 2 "import without a file exits 2"
timeout 20 "$RBNAV" import a.md b.md >/dev/null 2>err; rc=$?
is "$rc" 2 "import with two files exits 2"
timeout 20 "$RBNAV" import - <in.md >out 2>err; rc=$?
is "$rc" 0 "import - reads standard input"
printf '# Only prose\n\nNothing to run.\n' >prose.md
import prose.md
is "$rc" 1 "a document without steps or code exits 1"
like "$(cat err)" '^rbnav: prose\.md:1: error: nothing to run' "with a located error"

# --- Hostile input. -------------------------------------------------------
# hostile NAME [EXPECT]: import NAME.md under 20 s; it must give YAML that
# validates or a located error (EXPECT: the error it must give).
hostile() {
	import "$1.md"
	case $rc in
	0)
		timeout 20 "$RBNAV" validate out >/dev/null 2>"$tmp/verr"
		vrc=$?
		if [ -n "${2:-}" ]; then
			ok 1 "hostile $1: $2"
			echo "# imported instead"
		elif [ "$vrc" = 0 ]; then
			ok 0 "hostile $1: imports and validates"
		else
			ok 1 "hostile $1: imports and validates"
			sed 's/^/# /' "$tmp/verr" | head -n 5
		fi ;;
	1)
		if grep -Eq "^rbnav: $1\.md:[0-9]+: error: ${2:-}" err; then
			ok 0 "hostile $1: a located error${2:+: $2}"
		else
			ok 1 "hostile $1: a located error${2:+: $2}"
			sed 's/^/# /' err | head -n 5
		fi ;;
	*)
		ok 1 "hostile $1: exit $rc (crash or timeout)"
		sed 's/^/# /' err | head -n 5 ;;
	esac
}

printf '# T\n\n1. **Start**\n   ```bash\n   echo never closed\n' >unclosed.md
hostile unclosed
awk 'BEGIN { for (i = 0; i < 200000; i++) print "## Heading " i }' >headings.md
hostile headings "nothing to run"
awk 'BEGIN { print "# T"; print "## S"; for (i = 1; i <= 5000; i++)
    print "### Step " i ": s" }' >step-headings.md
hostile step-headings
awk 'BEGIN { print "# T"; print "## S"; print "**Symptoms:**"; print "- a";
    for (i = 0; i < 50000; i++) print "  - b" i; print "1. x"; print "## Post-incident";
    print "- c"; for (i = 0; i < 50000; i++) print "  - d" i }' >folds.md
hostile folds
awk 'BEGIN { print "# T"; for (i = 0; i < 10000; i++) {
    print "## Heading " i; print "1. step <v" i ">" } }' >headings-steps.md
hostile headings-steps
head -c 1000000 /dev/urandom >binary.md
hostile binary
head -c 50000000 /dev/zero | tr '\0' a >longline.md
hostile longline "line longer than"
rm -f longline.md
printf '# T \377\376 bad\n\n1. **Caf\303\251 \355\240\200 \300\257**\n   ```bash\n   ls \303\050 /tmp\n   ```\n' >utf8.md
hostile utf8
like "$(cat err)" 'utf8\.md:1: warning: invalid UTF-8' "the invalid UTF-8 is a warning at its line"
printf '# T\000x\n\n1. **a\000b**\n   ```\n   echo \000 <x\000y>\n   ```\n' >nul.md
hostile nul
truncate -s 70M big.md
hostile big "file is larger than 64 MiB"
rm -f big.md
head -c 3000000 /dev/zero | tr '\0' '\n' >lines.md
hostile lines "more than [0-9]+ lines"
awk 'BEGIN { for (i = 0; i < 210000; i++) print "1. x" }' >items.md
hostile items "more than 1000000 YAML nodes"
awk 'BEGIN { print "# T"; print "1. deep"; for (i = 1; i < 3000; i++) {
    s = ""; for (j = 0; j < i; j++) s = s "  "; print s "- level " i } }' >deep.md
hostile deep
awk 'BEGIN { print "# T"; print "```sh"; for (i = 0; i < 1000; i++)
    printf "echo <v%d> \"<v%d>\" '"'"'<v%d>'"'"' /path/to/p%d YYYYMMDD {<w>}\n", i, i, i, i;
    print "```" }' >placeholders.md
hostile placeholders
like "$(grep 'not shown' err)" '^rbnav: placeholders\.md: warning: [0-9]+ more warnings not shown$' \
    "past 500 warnings, the rest are counted, not printed"
awk 'BEGIN { printf "# T\n1. "; for (i = 0; i < 200000; i++) printf "[*`<"; print "";
    print "```"; for (i = 0; i < 10000; i++) printf "\"$(`'"'"'{{"; print "";
    print "```" }' >inline.md
hostile inline
awk 'BEGIN { for (i = 0; i < 20000; i++) { print "| a | b | rto |";
    print "|---|---|---|"; print "| x | y | 15 min |" } print "```"; print "ls" }' >tables.md
hostile tables
printf '# T\n\n| System | RTO |\n|---|---|\n| A | 999999999 |\n| B | 3600 |\n\n```\nls\n```\n' >rto.md
hostile rto
like "$(grep -A1 'leftover\|not a duration' out | head -n 3)" 'RTO \(not a duration\): 999999999' \
    "an RTO beyond ten years is kept as prose, not as a duration"

# Titles whose slugs YAML reads as null, booleans or numbers become ids
# that must stay strings.
for w in null Yes off 123 1e5 0x1F 1:30 .5; do
	printf '# %s\n\n1. **%s**\n   ```\n   echo %s\n   ```\n\n## %s\n\n1. **%s**\n   ```\n   echo 2\n   ```\n' \
	    "$w" "$w" "$w" "$w" "$w" >"reserved.md"
	import reserved.md
	vrc=1
	[ "$rc" = 0 ] && timeout 20 "$RBNAV" validate out >/dev/null 2>"$tmp/verr" && vrc=0
	is "$vrc" 0 "a step titled '$w' imports and validates"
done
finish
