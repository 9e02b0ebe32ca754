# Durability tests: helpers shared by tests/durability/*.sh.
#
# Sourced after tests/lib.sh (TAP helpers, a private $tmp, $HOME and
# $RBNAV_STATE_DIR) and, for the tests that drive the screen, after
# tests/screen/lib.sh (the real rbnav in a private tmux server; see its
# header and tests/screen/README.md).
#
#   dur_data                 tests/durability/data (fixtures)
#   dur_cc OUT SRC...        compile a helper against the tree: the
#                            compiler and flags of the build (so that a
#                            sanitizer build links its libmodel.a), its
#                            autoconf.h and src/ headers, src/libmodel.a
#   dur_shim OUT SRC         compile an LD_PRELOAD shim (cc -shared -fPIC)
#   dur_preload SHIM         the LD_PRELOAD value for rbnav with SHIM: the
#                            sanitizer runtime first when rbnav has one
#   dur_asan_options         ASAN_OPTIONS for a preloaded or traced rbnav
#   dur_sum FILE             its SHA-256
#   dur_events FILE TYPE     its events of TYPE, one JSON object a line
#   dur_last_type FILE       the type of its last event
#   dur_chain_ok FILE        its hash chain and seqs hold (checked here in
#                            python3, independently of rbnav verify)
#   dur_screen_norm          stdin to stdout: the clocks as tokens
#   dur_wait_file FILE [T]   wait (50 ms polls, T s, default 5) for FILE
#   dur_ms                   milliseconds now

dur_data=$top_srcdir/tests/durability/data
dur_builddir=${top_builddir:-$top_srcdir}

dur_ms() {
	date +%s%3N
}

# A Makefile variable of the build (CC, CFLAGS, LDFLAGS).
dur_make_var() {
	sed -n "s/^$1 = //p" "$dur_builddir/Makefile" 2>/dev/null | head -n 1
}

dur_cc() {
	dur_out=$1
	shift
	dur_c=$(dur_make_var CC)
	# shellcheck disable=SC2046,SC2086
	${dur_c:-cc} $(dur_make_var CFLAGS) $(dur_make_var LDFLAGS) \
	    -I"$top_srcdir/src" -I"$dur_builddir/src" -I"$dur_builddir" \
	    -include "$dur_builddir/autoconf.h" -o "$dur_out" "$@" \
	    "$dur_builddir/src/libmodel.a" \
	    $(pkg-config --libs yaml-0.1 libpcre2-8 jansson libcrypto)
}

dur_shim() {
	cc -O1 -Wall -shared -fPIC -o "$1" "$2" -ldl
}

# The sanitizer runtime must come first in the list of libraries.
dur_preload() {
	dur_asan=$(ldd "$RBNAV" 2>/dev/null | awk '/libasan/ { print $3; exit }')
	if [ -n "$dur_asan" ]; then
		echo "$dur_asan:$1"
	else
		echo "$1"
	fi
}

# LeakSanitizer cannot stop the world under strace; the preloaded shim
# is not in ASan's first place when its runtime is linked in.
dur_asan_options() {
	echo "${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0:verify_asan_link_order=0"
}

dur_sum() {
	sha256sum "$1" | cut -d' ' -f1
}

dur_events() {
	jq -c --arg t "$2" 'select(.type == $t)' "$1"
}

dur_last_type() {
	tail -n 1 "$1" | jq -r .type
}

dur_chain_ok() {
	python3 - "$1" <<'EOF'
import hashlib, json, sys
data = open(sys.argv[1], "rb").read()
if data and not data.endswith(b"\n"):
    sys.exit("a torn last line")
prev = "0" * 64
for n, raw in enumerate(data.split(b"\n")[:-1], 1):
    ev = json.loads(raw)
    if ev.get("seq") != n or ev.get("prev") != prev:
        sys.exit("line %d breaks the chain" % n)
    prev = hashlib.sha256(raw).hexdigest()
EOF
}

dur_screen_norm() {
	sed -E -e 's/T\+[0-9]{2}:[0-9]{2}:[0-9]{2}/T+hh:mm:ss/g' \
	    -e 's/ · [0-9.]+m?s$//'
}

dur_wait_file() {
	dur_end=$(( $(dur_ms) + ${2:-5} * 1000 ))
	while [ ! -e "$1" ]; do
		[ "$(dur_ms)" -ge "$dur_end" ] && return 1
		sleep 0.05
	done
	return 0
}
