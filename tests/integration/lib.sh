# Real servers for the check tests: a PostgreSQL cluster of its own and
# the loopback servers of http-server.py.  Sourced after tests/lib.sh.
#
#   pg_start         initdb + pg_ctl start in a temporary directory, on a
#                    free port and a private unix-socket directory,
#                    listening on 127.0.0.1 only; as the postgres user
#                    when we are root (initdb refuses root).  Sets
#                    PG_PORT, PG_CONNINFO ("host=127.0.0.1 port=..."),
#                    PG_PID (the postmaster).  Skips the whole test when
#                    the server binaries are missing.
#   pg_stop          stop it (fast); pg_start again starts it again
#   http_start       start http-server.py; sets HTTP_PORT, BLACKHOLE_PORT,
#                    SILENT_PORT, REFUSED_PORT and HTTP (the base URL)
#   free_port        a free TCP port on 127.0.0.1
#
# Everything is stopped and removed on exit.  Network traffic goes to
# 127.0.0.0/8 only.

# Proxies from the environment would turn loopback checks into others.
unset http_proxy https_proxy HTTP_PROXY HTTPS_PROXY ALL_PROXY all_proxy
unset PGHOST PGHOSTADDR PGPORT PGDATABASE PGUSER PGSERVICE

it_pgdir=""
it_http_pid=""

it_cleanup() {
	if [ -n "$it_pgdir" ] && [ -f "$it_pgdir/data/postmaster.pid" ]; then
		kill -CONT "$(head -n 1 "$it_pgdir/data/postmaster.pid")" \
		    2>/dev/null
		it_as_pg "$it_pg_bin/pg_ctl" -D "$it_pgdir/data" -m immediate \
		    -w stop >/dev/null 2>&1
	fi
	[ -n "$it_http_pid" ] && kill "$it_http_pid" 2>/dev/null
	[ -n "$it_pgdir" ] && rm -rf "$it_pgdir"
	rm -rf "$tmp"
}
trap it_cleanup EXIT
trap 'exit 130' INT TERM

free_port() {
	python3 -c 'import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])'
}

it_as_pg() {
	if [ "$(id -u)" = 0 ]; then
		runuser -u postgres -- "$@"
	else
		"$@"
	fi
}

pg_start() {
	if [ -z "$it_pgdir" ]; then
		it_pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null |
		    sort -V | tail -n 1)
		if [ -z "$it_pg_bin" ] || [ ! -x "$it_pg_bin/initdb" ]; then
			skip_all "PostgreSQL server binaries are missing (/usr/lib/postgresql/*/bin/initdb)"
		fi
		it_pgdir=$(mktemp -d "${TMPDIR:-/tmp}/rbnav-pg.XXXXXX")
		mkdir -p "$it_pgdir/sock"
		if [ "$(id -u)" = 0 ]; then
			chown -R postgres "$it_pgdir"
			chmod 755 "$it_pgdir"
		fi
		it_as_pg "$it_pg_bin/initdb" -D "$it_pgdir/data" -A trust \
		    -U postgres -E UTF8 --locale=C --no-sync \
		    >"$it_pgdir/initdb.log" 2>&1 || {
			sed 's/^/# /' "$it_pgdir/initdb.log"
			echo "Bail out! initdb failed"
			exit 1
		}
	fi
	PG_PORT=$(free_port)
	it_as_pg "$it_pg_bin/pg_ctl" -D "$it_pgdir/data" -l "$it_pgdir/log" \
	    -w -t 30 -o "-p $PG_PORT -k $it_pgdir/sock \
	    -c listen_addresses=127.0.0.1 -c fsync=off \
	    -c max_connections=200" start >/dev/null 2>&1 || {
		sed 's/^/# /' "$it_pgdir/log"
		echo "Bail out! pg_ctl start failed"
		exit 1
	}
	PG_PID=$(head -n 1 "$it_pgdir/data/postmaster.pid")
	PG_CONNINFO="host=127.0.0.1 port=$PG_PORT user=postgres dbname=postgres"
}

pg_stop() {
	it_as_pg "$it_pg_bin/pg_ctl" -D "$it_pgdir/data" -m fast -w stop \
	    >/dev/null 2>&1
}

http_start() {
	python3 "$top_srcdir/tests/integration/http-server.py" \
	    "$tmp/ports" 2>"$tmp/http.log" &
	it_http_pid=$!
	i=0
	while [ ! -f "$tmp/ports" ]; do
		i=$((i + 1))
		if [ "$i" -gt 200 ] || ! kill -0 "$it_http_pid" 2>/dev/null; then
			sed 's/^/# /' "$tmp/http.log"
			echo "Bail out! the loopback HTTP server did not start"
			exit 1
		fi
		sleep 0.05
	done
	. "$tmp/ports"
	HTTP="http://127.0.0.1:$HTTP_PORT"
}

# A runbook with the systems given as YAML on stdin (indented by 2).
#   write_runbook FILE ID < systems.yaml
write_runbook() {
	{
		printf 'format: rbnav/v1\nid: %s\ntitle: Checks %s\n' "$2" "$2"
		printf 'systems:\n'
		cat
		printf 'scenarios:\n  - id: s\n    title: S\n'
		printf '    steps:\n      - title: Look\n'
	} >"$1"
}
