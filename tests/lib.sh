# Shared helpers for the shell tests: TAP output and small assertions.
# Each test script sources this, calls plan or counts as it goes, and
# ends with `finish`.
#
#   ok COND_STATUS "description"     (use: check "desc" cmd args...)
#   is "got" "want" "description"
#   like "got" "regex" "description"

: "${RBNAV:?RBNAV must point at the rbnav binary}"
# Debian's tools first: its python3 is the one bootstrap gives modules to.
PATH="/usr/bin:/bin:$PATH"
export PATH
: "${top_srcdir:?top_srcdir must be set}"

tap_n=0
tap_failed=0

ok() {
	tap_n=$((tap_n + 1))
	if [ "$1" = 0 ]; then
		echo "ok $tap_n - $2"
	else
		echo "not ok $tap_n - $2"
		tap_failed=$((tap_failed + 1))
	fi
}

check() {
	desc=$1
	shift
	if "$@"; then ok 0 "$desc"; else ok 1 "$desc"; fi
}

is() {
	if [ "$1" = "$2" ]; then
		ok 0 "$3"
	else
		ok 1 "$3"
		printf '# got:  %s\n# want: %s\n' "$1" "$2"
	fi
}

like() {
	if printf '%s\n' "$1" | grep -Eq -- "$2"; then
		ok 0 "$3"
	else
		ok 1 "$3"
		printf '# got:  %s\n# want /%s/\n' "$1" "$2" | head -n 20
	fi
}

unlike() {
	if printf '%s\n' "$1" | grep -Eq -- "$2"; then
		ok 1 "$3"
		printf '# got:  %s\n# did not want /%s/\n' "$1" "$2" | head -n 20
	else
		ok 0 "$3"
	fi
}

skip_all() {
	echo "1..0 # SKIP $1"
	exit 0
}

finish() {
	echo "1..$tap_n"
	[ "$tap_failed" = 0 ]
}

# A private, empty world for each test: no runbooks but those given.
tmp=$(mktemp -d "${TMPDIR:-/tmp}/rbnav-test.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
export HOME="$tmp/home"
mkdir -p "$HOME"
unset RBNAV_PATH XDG_STATE_HOME XDG_CONFIG_HOME XDG_CACHE_HOME RBNAV_NO_CACHE
export RBNAV_STATE_DIR="$tmp/state"
