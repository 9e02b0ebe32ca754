#!/bin/sh
# rbnav export: golden reports (GENERATE=1 rewrites them), the JSON
# against doc/timeline.schema.json, -o written atomically, the head
# anchor that verify --head accepts, and no secret in any format.
. "$top_srcdir/tests/lib.sh"

data="$top_srcdir/tests/data/timeline"
id=20261126T021403Z-db-primary-down
good="$data/$id.jsonl"

mkdir -p "$RBNAV_STATE_DIR"
cp "$data"/*.jsonl "$RBNAV_STATE_DIR/"

# The goldens, from the fixture in the source tree.
for fmt in md json html; do
	"$RBNAV" export "$good" --format "$fmt" >"$tmp/report.$fmt"; rc=$?
	is "$rc" 0 "export --format $fmt exits 0"
	if [ "${GENERATE:-0}" = 1 ]; then
		cp "$tmp/report.$fmt" "$data/$id.$fmt"
		echo "# wrote $data/$id.$fmt"
	fi
	if cmp -s "$tmp/report.$fmt" "$data/$id.$fmt"; then
		ok 0 "export --format $fmt matches the golden $id.$fmt"
	else
		ok 1 "export --format $fmt matches the golden $id.$fmt"
		diff -u "$data/$id.$fmt" "$tmp/report.$fmt" | head -n 30 |
		    sed 's/^/# /'
	fi
done
"$RBNAV" export "$id" >"$tmp/default"; rc=$?
is "$rc" 0 "export by id exits 0"
check "export: Markdown is the default" cmp -s "$tmp/default" "$tmp/report.md"

# The JSON document against its schema (python3-jsonschema).
if python3 -c 'import jsonschema' 2>/dev/null; then
	out=$(python3 - "$top_srcdir/doc/timeline.schema.json" "$tmp/report.json" <<'EOF' 2>&1
import json, sys
import jsonschema
schema = json.load(open(sys.argv[1]))
jsonschema.Draft202012Validator.check_schema(schema)
v = jsonschema.Draft202012Validator(schema)
doc = json.load(open(sys.argv[2]))
errors = sorted(v.iter_errors(doc), key=lambda e: list(e.path))
for e in errors[:5]:
    print("%s: %s" % ("/".join(map(str, e.path)), e.message[:200]))
doc["incident"]["status"] = "maybe"
doc["timeline"][0]["extra"] = 1
print("broken:", len(list(v.iter_errors(doc))))
EOF
)
	is "$out" "broken: 2" "export --format json validates against doc/timeline.schema.json (and the schema catches errors)"
else
	tap_n=$((tap_n + 1))
	echo "ok $tap_n # SKIP python3-jsonschema is not installed"
fi
is "$(jq -r '.format' "$tmp/report.json")" "rbnav-report/v1" "export json: the format"
is "$(jq -r '.timeline | length' "$tmp/report.json")" 40 "export json: every event in the timeline"

# The head anchor printed is what verify --head accepts.
anchor=$(jq -r '.integrity.anchor' "$tmp/report.json")
like "$anchor" '^40:[0-9a-f]{64}$' "export: the head anchor is SEQ:HASH"
like "$(cat "$tmp/report.md")" "Head: \`$anchor\`" "export md: prints the same anchor"
like "$(cat "$tmp/report.html")" "<code>$anchor</code>" "export html: prints the same anchor"
"$RBNAV" verify "$good" --head "$anchor" >/dev/null; rc=$?
is "$rc" 0 "verify --head accepts the exported anchor"
head -n 39 "$good" >"$tmp/cut.jsonl"
"$RBNAV" verify "$tmp/cut.jsonl" --head "$anchor" >/dev/null 2>&1; rc=$?
is "$rc" 1 "verify --head with the exported anchor catches a cut last line"

# -o: atomic, the format from the extension, nothing left behind.
mkdir -p "$tmp/out"
"$RBNAV" export "$id" -o "$tmp/out/report.html"; rc=$?
is "$rc" 0 "export -o exits 0"
check "export -o: writes the file" cmp -s "$tmp/out/report.html" "$tmp/report.html"
is "$(ls -A "$tmp/out")" "report.html" "export -o: no temporary file left behind"
"$RBNAV" export "$id" --format md -o "$tmp/out/report.html"; rc=$?
is "$rc" 0 "export -o: replaces an existing file"
check "export -o: --format wins over the extension" cmp -s "$tmp/out/report.html" "$tmp/report.md"
is "$(ls -A "$tmp/out")" "report.html" "export -o: still one file"
"$RBNAV" export "$id" -o "$tmp/out/report.json" && is "$(jq -r .format "$tmp/out/report.json")" "rbnav-report/v1" "export -o x.json: JSON from the extension"
"$RBNAV" export "$id" -o "$tmp/nodir/report.md" 2>"$tmp/err"; rc=$?
is "$rc" 3 "export -o into a missing directory exits 3"
test -e "$tmp/nodir"; is "$?" 1 "and creates nothing"
"$RBNAV" export "$id" --format pdf >/dev/null 2>"$tmp/err"; rc=$?
is "$rc" 2 "export --format pdf exits 2"
like "$(cat "$tmp/err")" "unknown format 'pdf'" "and names the format"
"$RBNAV" export no-such-incident >/dev/null 2>&1; rc=$?
is "$rc" 3 "export of an unknown incident exits 3"
"$RBNAV" export >/dev/null 2>&1; rc=$?
is "$rc" 2 "export without INCIDENT exits 2"

# Redaction: the fixture has PGPASSWORD=hunter2 in a note and a
# command, and a password in URLs in a note and in command output.
for fmt in md json html; do
	is "$(grep -c 'hunter2' "$tmp/report.$fmt")" 0 "export $fmt: PGPASSWORD=hunter2 is redacted"
	is "$(grep -c 'Sup3rS3cret' "$tmp/report.$fmt")" 0 "export $fmt: the URL password is redacted"
	like "$(cat "$tmp/report.$fmt")" 'PGPASSWORD=\[REDACTED\]|PGPASSWORD=\\\[REDACTED\\\]' "export $fmt: says what was redacted"
done
cat >"$tmp/config.yaml" <<'EOF'
redact:
  - 'db-replica-[0-9]+'
EOF
"$RBNAV" --config "$tmp/config.yaml" export "$id" --format json >"$tmp/cfg.json"; rc=$?
is "$rc" 0 "export with a config's redact patterns exits 0"
is "$(grep -c 'db-replica-2' "$tmp/cfg.json")" 0 "export: the config's redact patterns apply"

# A torn timeline exports, with a warning and the torn line in the report.
{ cat "$good"; printf '{"v":1,"seq":41'; } >"$tmp/torn.jsonl"
"$RBNAV" export "$tmp/torn.jsonl" >"$tmp/torn.md" 2>"$tmp/err"; rc=$?
is "$rc" 0 "export of a torn timeline exits 0"
like "$(cat "$tmp/err")" ":41: warning: torn last line" "and warns about the torn line"
like "$(cat "$tmp/torn.md")" "Torn last line 41, ignored" "and the report says so"

# A broken chain exports too, and the report says where.
sed '15s/Replica lag/replica lag/' "$good" >"$tmp/broken.jsonl"
"$RBNAV" export "$tmp/broken.jsonl" >"$tmp/broken.md" 2>"$tmp/err"; rc=$?
is "$rc" 0 "export of a broken chain exits 0"
like "$(cat "$tmp/broken.md")" "Chain: \*\*broken at line 15\*\*" "and the report names the line"
finish
