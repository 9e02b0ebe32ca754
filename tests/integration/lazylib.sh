#!/bin/sh
# libcrypto, libcurl and libpq are loaded on first use: commands that
# never hash, check or connect leave them unloaded (the dynamic linker's
# own LD_DEBUG=libs log says what it loaded); a check or a timeline loads
# them and works; and when one cannot be loaded, rbnav says why instead of
# crashing.
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/integration/lib.sh"

http_start
closed=$(free_port)

rb="$tmp/runbooks"
mkdir -p "$rb"
write_runbook "$rb/lazy.yaml" lazy <<EOF
  - id: web
    name: Web
    priority: 1
    check:
      http: $HTTP/healthy
  - id: db
    name: Database
    priority: 2
    check:
      postgres: host=127.0.0.1 port=$closed dbname=x connect_timeout=5
EOF

# loaded CMD...: the libraries the dynamic linker initialised for CMD.
loaded() {
	LD_DEBUG=libs LD_DEBUG_OUTPUT="$tmp/ld" "$@" >"$tmp/out" 2>&1
	cat "$tmp"/ld.* 2>/dev/null | sed -n 's|.*calling init: ||p' |
	    sed 's|.*/||' | sort -u
	rm -f "$tmp"/ld.*
}

cd "$rb" || exit 1
for cmd in "--version" "list" "validate lazy.yaml"; do
	# shellcheck disable=SC2086
	libs=$(loaded "$RBNAV" -r "$rb" $cmd)
	like "$libs" 'libyaml' "rbnav $cmd: the dynamic linker's log is read"
	unlike "$libs" 'libcrypto|libcurl|libpq' \
	    "rbnav $cmd loads none of libcrypto, libcurl, libpq"
done

# A timeline's hash chain loads libcrypto, and only that.
journal=$(ls "$top_srcdir"/tests/data/timeline/*.jsonl | head -n 1)
libs=$(loaded "$RBNAV" verify "$journal")
like "$(cat "$tmp/out")" '^ok: [0-9]+ events' "verify checks the chain through the loaded libcrypto"
like "$libs" 'libcrypto\.so' "verify loads libcrypto"
unlike "$libs" 'libcurl|libpq' "but neither libcurl nor libpq"

libs=$(loaded timeout 30 "$RBNAV" -r "$rb" status web db)
like "$libs" 'libcurl\.so' "rbnav status loads libcurl for an HTTP check"
like "$libs" 'libpq\.so' "and libpq for a PostgreSQL check"
like "$(grep '^web' "$tmp/out")" '^web +lazy +up ' "the HTTP check through the loaded libcurl is up"
like "$(grep '^db' "$tmp/out")" '^db +lazy +down .*(refused|failed)' \
    "the PostgreSQL check through the loaded libpq reports libpq's error"

# Libraries that cannot be loaded: the check is unknown, with the reason.
shim="$tmp/nodlopen.so"
cc -O1 -Wall -shared -fPIC -o "$shim" \
    "$top_srcdir/tests/integration/nodlopen.c" -ldl
asan=$(ldd "$RBNAV" 2>/dev/null | awk '/libasan/ { print $3; exit }')
preload=${asan:+$asan:}$shim
NODLOPEN=libcurl.so.4:libpq.so.5 LD_PRELOAD=$preload \
    ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0 \
    timeout 30 "$RBNAV" -r "$rb" status web db >"$tmp/out" 2>"$tmp/err"
rc=$?
is "$rc" 1 "status exits 1 when the libraries cannot be loaded"
like "$(grep '^web' "$tmp/out")" '^web +lazy +unknown .*cannot load libcurl\.so\.[0-9]+: .*not-installed' \
    "the HTTP check says libcurl cannot be loaded, with the linker's reason"
like "$(grep '^db' "$tmp/out")" '^db +lazy +unknown .*cannot load libpq\.so\.[0-9]+' \
    "the PostgreSQL check says libpq cannot be loaded"
is "$(cat "$tmp/err")" "" "and nothing else goes wrong"

# Without libcrypto no timeline can be checked or written: a clear exit.
NODLOPEN=libcrypto.so.3 LD_PRELOAD=$preload \
    ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0 \
    timeout 30 "$RBNAV" verify "$journal" >"$tmp/out" 2>"$tmp/err"
rc=$?
is "$rc" 3 "verify without libcrypto exits 3"
like "$(cat "$tmp/err")" '^rbnav: fatal: cannot load libcrypto\.so\.[0-9]+: .*not-installed' \
    "saying libcrypto cannot be loaded, with the linker's reason"

finish
