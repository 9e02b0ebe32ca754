#!/bin/sh
# Variables: asked when a step that uses them is run, checked against
# their pattern, filled into titles and commands; a secret is masked as
# it is typed and never shown nor written; v lists and changes them.
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/screen/lib.sh"

command -v jq >/dev/null 2>&1 || skip_all "jq is not installed"

secret=Zq9SecretValue7
secret2=Other5ecretXy

# The secret is never on the screen: checked after every step below.
no_secret() {
	if printf '%s\n' "$scr_last" | grep -Eq "$secret|$secret2"; then
		ok 1 "the secret is not on the screen ($1)"
		scr_comment "$scr_last"
	else
		ok 0 "the secret is not on the screen ($1)"
	fi
}

scr_start --operator vic -r "$scr_data/variables.yaml" run scr-vars/scale --title 'Scale up'
scr_up "the incident starts" '^ LIVE  Scale up  \(scr-vars › scale\) '
like "$scr_last" '^▶ 1 Scale to \{\{replicas\}\} pods +│' \
    "a title with an unset variable shows {{name}}"
like "$scr_last" '│\$ echo scaling to \{\{replicas\}\} pods$' \
    "so does the command"

# Enter asks for the value, with the pattern.
scr_keys Enter
scr_like "Enter on the step asks for the variable" '│ How many replicas\? \(replicas\) +│'
like "$scr_last" '│ must match \^\[0-9\]\+\$ +│' "the pattern is shown"
scr_type 'ten'
scr_keys Enter
scr_like "a value that does not match is refused, with the pattern" \
    '│ does not match \^\[0-9\]\+\$ +│'
like "$scr_last" '│ How many replicas\? \(replicas\) +│' "the question stays open"
like "$scr_last" '│ ten +│' "with the value typed, to correct it"
j=$(scr_journal)
ev() { jq -c "$1" "$j" 2>/dev/null | tr '\n' ' ' | sed 's/ $//'; }
is "$(ev 'select(.type == "var.set")')" "" "a refused value is not recorded"

scr_keys C-u
scr_type '12'
scr_keys Enter
scr_gone "a matching value is accepted" 'How many replicas'
scr_like "the value is filled in the step's title" '^✓ 1 Scale to 12 pods +│'
scr_keys Up
scr_like "and in its command" '│\$ echo scaling to 12 pods$'
is "$(ev 'select(.type == "var.set") | {name, value}')" '{"name":"replicas","value":"12"}' \
    "var.set records the name and the value"

# The secret: masked while typed, [REDACTED] everywhere after.
scr_keys Down
scr_like "the next step is selected" '│step 2/3 · deploy · '
like "$scr_last" '│\$ echo deploying with \{\{token\}\} in eu-west-1$' \
    "a variable with a default is filled in from the start"
scr_keys Enter
scr_like "Enter asks for the secret" '│ Deploy token \(token\) +│'
scr_type "$secret"
scr_like "the secret's input is masked, one * per character" '│ \*{15} +│'
no_secret "while typed"
scr_keys Enter
scr_gone "the secret is accepted" 'Deploy token \(token\)'
scr_like "the command runs; its output shows [REDACTED]" '^ deploying with \[REDACTED\] in eu-west-1$'
no_secret "in the output"
scr_keys Up
scr_like "the command shows [REDACTED] in its place" '│\$ echo deploying with \[REDACTED\] in eu-west-1$'
no_secret "in the step detail"
scr_keys Tab Tab
scr_like "the Timeline pane (Output → Status → Timeline)" 'set token = \[REDACTED\]'
no_secret "in the timeline"
is "$(ev 'select(.type == "var.set" and .name == "token") | .value')" '"[REDACTED]"' \
    "var.set records [REDACTED] for the secret"

# v: the variables, and changing one.
scr_keys v
scr_like "v lists the variables" '│ Variables: pick one to change +│'
like "$scr_last" '│ > 1  replicas = 12 +│' "with their values"
like "$scr_last" '│   2  token = \[REDACTED\] +│' "a secret as [REDACTED]"
like "$scr_last" '│   3  region = eu-west-1 +│' "a default as set"
no_secret "in the list of variables"
scr_keys 1
scr_like "picking one asks for its new value" '│ How many replicas\? \(replicas\) +│'
like "$scr_last" '│ 12 +│' "pre-filled with its value"
scr_keys C-u
scr_type '2x'
scr_keys Enter
scr_like "the pattern still applies" '│ does not match \^\[0-9\]\+\$ +│'
scr_keys C-u
scr_type '20'
scr_keys Enter
scr_gone "the new value is accepted" 'How many replicas'
scr_like "the change is in the timeline" 'set replicas = 20$'
scr_keys Up
scr_like "and in the step's title" '^✓ 1 Scale to 20 pods +│'
is "$(ev 'select(.type == "var.set" and .name == "replicas") | .value')" '"12" "20"' \
    "the change is recorded"

scr_keys v
scr_like "v again" '│ Variables: pick one to change +│'
scr_keys 2
scr_like "a secret is asked again" '│ Deploy token \(token\) +│'
like "$scr_last" '│ +│$' "with nothing pre-filled"
scr_type "$secret2"
scr_like "masked" '│ \*{13} +│'
no_secret "when changed"
scr_keys Enter
scr_gone "the new secret is accepted" 'Deploy token \(token\)'
is "$(ev 'select(.type == "var.set" and .name == "token") | .value')" '"[REDACTED]" "[REDACTED]"' \
    "its change is recorded as [REDACTED]"

scr_keys q
scr_wait_exit
is "$scr_status" 0 "q exits 0"
check "the timeline holds neither secret" sh -c "! grep -rqE '$secret|$secret2' '$RBNAV_STATE_DIR'"
finish
