# Drill tests: the real rbnav in private tmux servers, driven along a
# drill's expected path.
#
# Sourced after tests/lib.sh (TAP helpers, a private $tmp, $HOME and
# $RBNAV_STATE_DIR).  Self-contained on purpose (it does not source
# tests/screen/lib.sh): several sessions may run at once, each in a
# background subshell with its own tmux server and its own state
# directory, so every helper works on the "current session" variables
# below, which a subshell owns.
#
#   dr_start NAME CMD...     run CMD (e.g. "$RBNAV" -r DIR drill ID) in a
#                            new tmux server rbnav-drill-NAME-N, 100x30,
#                            TERM=xterm-256color, LANG=C.UTF-8, a clean
#                            environment (PATH=$DR_PATH or $PATH, HOME,
#                            RBNAV_STATE_DIR=$dr_state)
#   dr_state                 the session's state directory (set it before
#                            dr_start; default $RBNAV_STATE_DIR)
#   dr_keys KEYS...          tmux send-keys (key names), one tmux call
#   dr_type TEXT             literal text
#   dr_screen                the screen now
#   dr_wait RE [T]           poll every 50 ms until the ERE matches (5 s);
#                            $dr_last is the last capture; on a timeout
#                            the screen is printed as TAP comments
#   dr_wait_gone RE [T]      the same until RE no longer matches
#   dr_like DESC RE [T]      dr_wait as a TAP assertion
#   dr_wait_exit [T]         wait for the program to exit; $dr_status
#   dr_kill                  kill the session's tmux server
#   dr_journal               the newest timeline of $dr_state
#   dr_events TYPE           its events of that type (jq -c)
#   dr_expected FILE         a drill file's expected_path, one a line
#   dr_take REF              take one step of a path (see below)
#   dr_take_path FILE        every step of FILE's expected_path
#   dr_end [SUMMARY]         e, outcome 1, summary, y to every checklist
#                            item: the debrief screen (or DR_END_RE)
#   dr_debrief               the drill.debrief event (one JSON line)
#   dr_play ID               a bundled drill from briefing to debrief
#                            along its expected path, with assertions
#   dr_bg NAME CMD...        run a shell function in the background, its
#                            TAP lines collected in $tmp/bg/NAME
#   dr_collect NAME          wait for it and re-emit its TAP lines here
#
# Fixtures are in data/: drillfix.yaml (a small runbook whose results
# take about a second) with its drills, and from-live.yaml.in for
# from.sh.  The tests never sleep to synchronise, except where time
# itself is what they check (a paused clock, a timed event).

command -v tmux >/dev/null 2>&1 || skip_all "tmux is not installed"
command -v jq >/dev/null 2>&1 || skip_all "jq is not installed"

dr_srcdir=$top_srcdir/tests/drills
dr_data=$dr_srcdir/data
dr_dir=$tmp/drills
mkdir -p "$dr_dir" "$tmp/bg"
TMUX_TMPDIR=$tmp
export TMUX_TMPDIR
unset TMUX TMUX_PANE
dr_sock=
dr_run=
dr_last=
dr_status=
dr_state=$RBNAV_STATE_DIR
dr_n=0
dr_stuck=

# Values typed at variable prompts that have no default (the eriop-dr
# runbook's, plus whatever a test adds): NAME=VALUE words.
DR_VARS=${DR_VARS:-"server_ip=10.20.0.15 app_dir=/srv/vigilia \
commit_hash=e4b71a2 backup_date=20261126 revision=base \
backup_script=/opt/vigilia/scripts/backup-db.sh"}

# Every tmux server of the test (sockets live under $tmp), then what is
# left of the processes it started (by their recorded pids), then $tmp.
dr_cleanup() {
	for s in "$TMUX_TMPDIR"/tmux-*/*; do
		[ -S "$s" ] && tmux -S "$s" kill-server >/dev/null 2>&1
	done
	for f in "$dr_dir"/*/pid "$dr_dir"/*/server.pid; do
		[ -s "$f" ] || continue
		p=$(cat "$f")
		if tr '\0' ' ' 2>/dev/null <"/proc/$p/cmdline" |
		    grep -q rbnav; then
			kill "$p" 2>/dev/null
		fi
	done
	rm -rf "$tmp"
}
trap dr_cleanup EXIT
trap 'exit 129' HUP
trap 'exit 130' INT
trap 'exit 141' PIPE
trap 'exit 143' TERM

cat >"$dr_dir/wrap.sh" <<'EOF'
d=$1
shift
/bin/sh -c 'echo $$ >"$0/pid.tmp" && /bin/mv "$0/pid.tmp" "$0/pid"; exec "$@"' \
    "$d" "$@" 2>"$d/stderr"
rc=$?
echo "$rc" >"$d/status.tmp" && /bin/mv "$d/status.tmp" "$d/status"
EOF

dr_tmux() {
	tmux -u -L "$dr_sock" -f /dev/null "$@"
}

dr_ms() {
	date +%s%3N
}

dr_deadline() {
	echo $(( $(dr_ms) + $(awk -v t="${1:-5}" 'BEGIN { print int(t * 1000) }') ))
}

dr_start() {
	dr_kill
	dr_n=$((dr_n + 1))
	dr_sock=rbnav-drill-$1-$dr_n
	dr_run=$dr_dir/$1-$dr_n
	shift
	mkdir -p "$dr_run" "$dr_state"
	dr_last=
	dr_status=
	dr_tmux start-server \; set -g status off \; \
	    set -g remain-on-exit on \; set -g history-limit 0 \; \
	    new-session -d -s rbnav -x 100 -y 30 -c "$tmp" -- env -i \
	    PATH="${DR_PATH:-$PATH}" HOME="$HOME" \
	    RBNAV_STATE_DIR="$dr_state" TERM=xterm-256color LANG=C.UTF-8 \
	    /bin/sh "$dr_dir/wrap.sh" "$dr_run" "$@"
	dr_tmux display-message -p '#{pid}' >"$dr_run/server.pid" 2>/dev/null
}

dr_keys() {
	dr_nk=$#
	dr_sep=
	for dr_k do
		set -- "$@" $dr_sep send-keys -t rbnav -- "$dr_k"
		dr_sep=';'
	done
	shift "$dr_nk"
	dr_tmux "$@"
}

dr_type() {
	dr_tmux send-keys -t rbnav -l -- "$1"
}

dr_screen() {
	dr_tmux capture-pane -p -t rbnav 2>/dev/null
}

dr_comment() {
	printf '%s\n' "$1" | sed 's/^/# |/'
}

dr_has() {
	printf '%s\n' "$dr_last" | grep -Eq -- "$1"
}

dr_wait() {
	dr_re=$1
	dr_until=$(dr_deadline "${2:-5}")
	while :; do
		dr_last=$(dr_screen)
		if dr_has "$dr_re"; then
			return 0
		fi
		if [ "$(dr_ms)" -ge "$dr_until" ]; then
			echo "# timed out waiting for /$dr_re/; the screen:"
			dr_comment "$dr_last"
			dr_gone_why
			return 1
		fi
		sleep 0.05
	done
}

# When the program has exited: its status and stderr, as comments.
dr_gone_why() {
	[ -f "$dr_run/status" ] || return 0
	echo "# the program exited with status $(cat "$dr_run/status");" \
	    "its stderr:"
	dr_comment "$(cat "$dr_run/stderr" 2>/dev/null)"
}

dr_wait_gone() {
	dr_re=$1
	dr_until=$(dr_deadline "${2:-5}")
	while :; do
		dr_last=$(dr_screen)
		if ! dr_has "$dr_re"; then
			return 0
		fi
		if [ "$(dr_ms)" -ge "$dr_until" ]; then
			echo "# timed out waiting for /$dr_re/ to go; the screen:"
			dr_comment "$dr_last"
			return 1
		fi
		sleep 0.05
	done
}

dr_like() {
	if dr_wait "$2" "${3:-5}"; then ok 0 "$1"; else ok 1 "$1"; fi
}

dr_gone() {
	if dr_wait_gone "$2" "${3:-5}"; then ok 0 "$1"; else ok 1 "$1"; fi
}

dr_wait_exit() {
	dr_until=$(dr_deadline "${1:-5}")
	while [ ! -f "$dr_run/status" ]; do
		if [ "$(dr_ms)" -ge "$dr_until" ]; then
			echo "# timed out waiting for rbnav to exit; the screen:"
			dr_comment "$(dr_screen)"
			dr_status=
			return 1
		fi
		sleep 0.05
	done
	dr_status=$(cat "$dr_run/status")
	return 0
}

dr_stderr() {
	cat "$dr_run/stderr" 2>/dev/null
}

dr_kill() {
	[ -n "$dr_sock" ] || return 0
	dr_tmux kill-server >/dev/null 2>&1
	dr_sock=
	return 0
}

dr_journal() {
	ls -t "$dr_state"/*.jsonl 2>/dev/null | head -n 1
}

dr_events() {
	dr_j=$(dr_journal)
	[ -n "$dr_j" ] || return 1
	jq -c --arg t "$1" 'select(.type == $t)' "$dr_j"
}

# The expected_path of a drill file, one ref a line, quotes removed.
# A small reader for the two block styles (indented or not), no YAML
# library needed.
dr_expected() {
	awk '
	/^expected_path:[ \t]*$/ { on = 1; next }
	on && /^[^ \t#-]/ { on = 0 }
	on && /^[ \t]*-[ \t]/ {
		s = $0
		sub(/^[ \t]*-[ \t]+/, "", s)
		if (s ~ /^"/) {
			sub(/^"/, "", s); sub(/"[ \t]*$/, "", s)
			gsub(/\\"/, "\"", s)
		} else if (s ~ /^\047/) {
			sub(/^\047/, "", s); sub(/\047[ \t]*$/, "", s)
			gsub(/\047\047/, "\047", s)
		} else
			sub(/[ \t]+#.*$/, "", s)
		print s
	}' "$1"
}

# The selected step: "N M ID STATE" from the detail pane's second line.
dr_sel() {
	dr_re1='.*step ([0-9]+)/([0-9]+) [^ ]+ ([^ ]+) [^ ]+ ([a-z]+).*'
	printf '%s\n' "$dr_last" | sed -nE "s|$dr_re1|\\1 \\2 \\3 \\4|p" |
	    head -n 1
}

# Select the step with id $1 with j and k (the selection follows the
# current step by itself; after a failed step, or to run a step again,
# the trainee moves to it).
dr_select() {
	dr_want=${1:-$dr_want}
	dr_dir_key=j
	dr_i=0
	if ! dr_wait 'step [0-9]+/[0-9]+ ' 1 >/dev/null; then
		# Past the last step (scenario complete): nothing selected.
		dr_keys k
		dr_wait 'step [0-9]+/[0-9]+ ' 5 || return 1
	fi
	while [ "$dr_i" -lt 200 ]; do
		dr_last=$(dr_screen)
		set -- $(dr_sel)
		[ $# -ge 3 ] || { sleep 0.05; dr_i=$((dr_i + 1)); continue; }
		[ "$3" = "$dr_want" ] && return 0
		if [ "$dr_dir_key" = j ] && [ "$1" -ge "$2" ]; then
			dr_dir_key=k
		elif [ "$dr_dir_key" = k ] && [ "$1" -le 1 ]; then
			echo "# step $dr_want is not in this scenario"
			dr_comment "$dr_last"
			return 1
		fi
		dr_keys "$dr_dir_key"
		dr_wait_gone "step $1/$2 [^ ]+ $3 " 3 || return 1
		dr_i=$((dr_i + 1))
	done
	return 1
}

# Results of step $1 so far: step.done, step.fail and decision events.
dr_results() {
	dr_j=$(dr_journal)
	[ -n "$dr_j" ] || { echo 0; return; }
	# grep, not jq: this is polled every 50 ms.
	grep -E '"type": *"(step\.done|step\.fail|decision)"' "$dr_j" |
	    grep -cE "\"step\": *\"$1\""
}

# The digit of choice $1 in the open choice prompt, or nothing.
dr_choice_digit() {
	printf '%s\n' "$dr_last" | awk -v l="$1" '
	{
		i = index($0, "  " l)
		if (i == 0)
			next
		s = substr($0, 1, i - 1)
		if (match(s, /[1-9]$/)) {
			rest = substr($0, i + 2 + length(l))
			if (rest ~ /^ *(│ *)?$/) {
				print substr(s, RSTART, 1)
				exit
			}
		}
	}'
}

# The variable a text prompt asks for: "... (name)" ending its title.
dr_var_prompt() {
	printf '%s\n' "$dr_last" | sed -nE \
	    's/.*│ .*\(([a-z_][a-z0-9_]*)\) *│.*/\1/p' | head -n 1
}

dr_var_value() {
	for dr_kv in $DR_VARS; do
		case $dr_kv in
		"$1"=*)	echo "${dr_kv#*=}"; return 0 ;;
		esac
	done
	return 1
}

# The prerequisites of a scenario just entered, each answered y.
dr_prereqs() {
	dr_last=$(dr_screen)
	while dr_has 'Prerequisite [0-9]+/[0-9]+'; do
		dr_item=$(printf '%s\n' "$dr_last" | grep -oE \
		    'Prerequisite [0-9]+/[0-9]+' | head -n 1)
		dr_keys y
		dr_wait_gone "$dr_item" 5 || return 1
	done
	return 0
}

# Take one step of an expected path: REF is scenario/step or
# scenario/step:choice label.  Answer open prerequisites (y), select
# the step, Enter (d on a step that only opens a URL), then answer what
# comes: a variable (the value from DR_VARS, else the pre-filled
# default), a confirmation (y), a danger prompt (the step id), a
# decision (the digit of the label), its "why" (Enter); and wait until
# the step has a result in the timeline (done, failed, decided) and the
# screen shows it.  DR_STEP_TIMEOUT (60 s).
# A step whose command succeeded but which still waits for its systems
# DR_WAIT_GRACE (3 s) later is stuck: its id is added to $dr_stuck and
# it is marked done with an override reason, so that the rest of the
# path can be taken; the caller asserts that $dr_stuck is empty.
dr_take() {
	dr_ref=$1
	dr_label=
	case $dr_ref in
	*:*)	dr_label=${dr_ref#*:}; dr_ref=${dr_ref%%:*} ;;
	esac
	dr_want=${dr_ref##*/}
	dr_prereqs || return 1
	dr_select "$dr_want" || return 1
	dr_before=$(dr_results "$dr_want")
	if printf '%s\n' "$dr_last" | grep -q '│open '; then
		dr_keys d
	else
		dr_keys Enter
	fi
	dr_tend=$(dr_deadline "${DR_STEP_TIMEOUT:-60}")
	dr_wsince=
	while :; do
		if [ "$(dr_results "$dr_want")" -gt "$dr_before" ]; then
			# The screen has caught up with the timeline.
			dr_wait_gone " $dr_want [^ ]+ (pending|running|waiting)" 5
			return $?
		fi
		dr_last=$(dr_screen)
		if dr_has 'Type the step id'; then
			dr_type "$dr_want"
			dr_keys Enter
			dr_wait_gone 'Type the step id' 5 || return 1
		elif dr_has 'y = yes, n or Enter = no'; then
			dr_keys y
			dr_wait_gone 'y = yes, n or Enter = no' 5 || return 1
		elif dr_has '│ Why "'; then
			dr_keys Enter
			dr_wait_gone '│ Why "' 5 || return 1
		elif [ -n "$dr_label" ] &&
		    dr_d=$(dr_choice_digit "$dr_label") && [ -n "$dr_d" ]; then
			dr_type "$dr_d"
			dr_wait_gone "$dr_d  $dr_label" 5 || return 1
		elif dr_v=$(dr_var_prompt) && [ -n "$dr_v" ]; then
			if dr_val=$(dr_var_value "$dr_v"); then
				dr_keys C-u
				dr_type "$dr_val"
			fi
			dr_keys Enter
			dr_wait_gone "\\($dr_v\\) *│" 5 || return 1
		fi
		if dr_has " $dr_want [^ ]+ waiting" &&
		    ! dr_has '┌'; then
			[ -n "$dr_wsince" ] || dr_wsince=$(dr_ms)
		else
			dr_wsince=
		fi
		if [ -n "$dr_wsince" ] && [ $(( $(dr_ms) - dr_wsince )) -ge \
		    $(( ${DR_WAIT_GRACE:-3} * 1000 )) ]; then
			# Its command succeeded; its systems are not up and
			# nothing the drill does will bring them up.
			echo "# step $dr_want still waits for its systems" \
			    "${DR_WAIT_GRACE:-3} s after its command: done" \
			    "with an override to go on"
			dr_stuck="$dr_stuck $dr_want"
			dr_wsince=
			dr_keys d
			dr_wait 'Why is it done anyway' 5 || return 1
			dr_type "systems not up (test override)"
			dr_keys Enter
			dr_wait_gone 'Why is it done anyway' 5 || return 1
		fi
		if [ "$(dr_ms)" -ge "$dr_tend" ]; then
			echo "# step $dr_want: no result after" \
			    "${DR_STEP_TIMEOUT:-60} s; the screen:"
			dr_comment "$dr_last"
			return 1
		fi
		sleep 0.05
	done
}

# Every step of a drill file's expected path; 1 at the first that fails.
dr_take_path() {
	dr_expected "$1" >"$dr_run/path"
	while IFS= read -r dr_p; do
		[ -n "$dr_p" ] || continue
		dr_take "$dr_p" || { echo "# at $dr_p"; return 1; }
	done <"$dr_run/path"
	return 0
}

# End the drill: outcome 1 (resolved), a summary, every checklist item
# answered y; the debrief screen comes (a live incident: DR_END_RE,
# the picker).
dr_end() {
	dr_keys e
	dr_wait 'End the incident: outcome' 5 || return 1
	dr_type 1
	dr_wait 'Summary of the incident' 5 || return 1
	dr_type "${1:-drill done}"
	dr_keys Enter
	dr_end2=$(dr_deadline 10)
	while :; do
		dr_last=$(dr_screen)
		if dr_has "${DR_END_RE:-Debrief:}"; then
			return 0
		fi
		if dr_has 'Post-incident [0-9]+/[0-9]+'; then
			dr_item=$(printf '%s\n' "$dr_last" | grep -oE \
			    'Post-incident [0-9]+/[0-9]+' | head -n 1)
			dr_keys y
			dr_wait_gone "$dr_item" 5 || return 1
		fi
		if [ "$(dr_ms)" -ge "$dr_end2" ]; then
			echo "# no debrief screen; the screen:"
			dr_comment "$dr_last"
			return 1
		fi
		sleep 0.05
	done
}

# The drill.debrief event of the newest timeline.
dr_debrief() {
	dr_events drill.debrief | tail -n 1
}

# Background sessions.  The function runs in a subshell whose standard
# output (TAP lines from ok/is/like, and # comments) goes to a file;
# dr_collect re-numbers them into this test's plan.
dr_bg() {
	dr_bgname=$1
	shift
	( "$@" ) >"$tmp/bg/$dr_bgname" 2>&1 &
	echo $! >"$tmp/bg/$dr_bgname.pid"
}

dr_collect() {
	wait "$(cat "$tmp/bg/$1.pid")" 2>/dev/null
	while IFS= read -r dr_line; do
		case $dr_line in
		"ok "*)		ok 0 "$(printf '%s\n' "$dr_line" |
				    sed -E 's/^ok [0-9]+ - //')" ;;
		"not ok "*)	ok 1 "$(printf '%s\n' "$dr_line" |
				    sed -E 's/^not ok [0-9]+ - //')" ;;
		"#"*)		printf '%s\n' "$dr_line" ;;
		*)		printf '# %s\n' "$dr_line" ;;
		esac
	done <"$tmp/bg/$1"
}

# dr_play ID: a bundled drill (runbooks/drills/ID.yaml, or the drills/
# of $DR_RUNBOOKS) from its briefing along its expected path to the
# debrief, with TAP assertions: the DRILL banner on every screen, the
# path, no stuck waiting step, Score 100 on the screen and in
# drill.debrief, "mode":"drill" on every event, q back to the picker and
# q out.  DR_PREFIX: words run before "$RBNAV" (e.g. strace).  The
# session's state directory is $tmp/state-ID.  DR_PLAY_MIN=1 leaves out
# the assertions that path.sh makes (the banner on the picker, stuck
# waiting steps) for tests that only need the drill played.
dr_play() {
	dr_id=$1
	dr_rb=${DR_RUNBOOKS:-$top_srcdir/runbooks}
	dr_file=$dr_rb/drills/$dr_id.yaml
	dr_state=$tmp/state-$dr_id
	dr_t0=$(dr_ms)
	dr_start "$dr_id" ${DR_PREFIX:-} "$RBNAV" -r "$dr_rb" drill "$dr_id"
	dr_like "$dr_id: the briefing, under the DRILL banner" \
	    '^ DRILL +Briefing: ' 10
	dr_keys Enter
	if ! grep -q '^scenario:' "$dr_file"; then
		# No scenario: the trainee finds it in the picker.
		dr_sc=$(dr_expected "$dr_file" | head -n 1)
		dr_sc=${dr_sc%%/*}
		dr_like "$dr_id: the picker over the scenarios" \
		    'which scenario fits the briefing' 5
		[ -n "${DR_PLAY_MIN:-}" ] ||
		    like "$(printf '%s\n' "$dr_last" | head -n 1)" '^ DRILL ' \
		    "$dr_id: the DRILL banner stays on the scenario picker"
		dr_keys /
		dr_type "(?m)^$dr_sc\$"
		dr_keys Enter
		dr_wait ' 1 shown' 5
		dr_keys Enter
	fi
	dr_like "$dr_id: the drill's incident screen, under the DRILL banner" \
	    '^ DRILL .*T\+00:' 10
	dr_stuck=
	if dr_take_path "$dr_file"; then
		ok 0 "$dr_id: its expected path taken"
	else
		ok 1 "$dr_id: its expected path taken"
		dr_keys Escape Escape
	fi
	[ -n "${DR_PLAY_MIN:-}" ] || is "$dr_stuck" "" \
	    "$dr_id: no step left waiting after its command (its after-states bring its systems up)"
	dr_end "$dr_id along its expected path"
	ok $? "$dr_id: e, outcome, summary, checklist: the debrief screen"
	dr_like "$dr_id: the debrief screen says Score: 100 / 100" \
	    'Score: 100 / 100'
	like "$(printf '%s\n' "$dr_last" | head -n 1)" '^ DRILL +Debrief: ' \
	    "$dr_id: the DRILL banner on the debrief"
	dr_deb=$(dr_debrief)
	is "$(printf '%s' "$dr_deb" | jq -c '[.score, .penalties, .missed,
	    .wrong_choices, .extra, .out_of_order, .declined, .skipped]')" \
	    '[100,[],[],[],[],0,[],[]]' \
	    "$dr_id: drill.debrief: score 100, no penalty, nothing missed"
	is "$(jq -c 'select(.mode != "drill") | .type' "$(dr_journal)" |
	    tr '\n' ' ')" "" "$dr_id: every event carries \"mode\":\"drill\""
	is "$(jq -r 'select(.type == "incident.start") | .drill' \
	    "$(dr_journal)")" "$dr_id" "$dr_id: incident.start names the drill"
	dr_keys q
	dr_wait 'runbook navigator' 5
	dr_keys q
	dr_wait_exit 10
	is "$dr_status" 0 "$dr_id: q, q: rbnav exits 0"
	echo "# $dr_id: $(( ($(dr_ms) - dr_t0) / 1000 )) s"
	dr_kill
}
