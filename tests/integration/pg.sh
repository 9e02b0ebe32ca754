# A private PostgreSQL for the integration tests (sourced after lib.sh).
#
#   pg_start            initdb + pg_ctl start in a temporary directory, on
#                       its own port and unix-socket directory, no TCP;
#                       sets PGCONN (a libpq conninfo), PGHOST, PGPORT.
#                       Skips the whole test (TAP "1..0 # SKIP") when no
#                       PostgreSQL server is installed.
#   pg_stop_server      pg_ctl stop -m fast (the cluster stays)
#   pg_start_server     pg_ctl start again on the same port
#   pg_sql SQL          psql -qAtX -c SQL against it
#   pg_cleanup          stop it and remove the directory (done on exit)
#
# initdb refuses to run as root, so as root everything runs as the
# postgres user (runuser), in a directory that user can read.

pg_bindir=
for d in /usr/lib/postgresql/*/bin; do
	[ -x "$d/initdb" ] && pg_bindir=$d
done

pg_as() {
	if [ "$(id -u)" = 0 ]; then
		runuser -u postgres -- "$@"
	else
		"$@"
	fi
}

pg_cleanup() {
	if [ -n "${pg_dir:-}" ] && [ -d "$pg_dir" ]; then
		pg_as "$pg_bindir/pg_ctl" -D "$pg_dir/data" -m immediate \
		    stop >/dev/null 2>&1
		rm -rf "$pg_dir"
	fi
	rm -rf "${tmp:-}"
}

pg_start_server() {
	pg_as "$pg_bindir/pg_ctl" -D "$pg_dir/data" -l "$pg_dir/log" -w \
	    -t 30 -o "-p $PGPORT -k $pg_dir/sock -c listen_addresses=''" \
	    start >/dev/null
}

pg_stop_server() {
	pg_as "$pg_bindir/pg_ctl" -D "$pg_dir/data" -m fast -w stop >/dev/null
}

pg_sql() {
	psql -qAtX -v ON_ERROR_STOP=1 -c "$1" "$PGCONN"
}

pg_start() {
	[ -n "$pg_bindir" ] || skip_all "no PostgreSQL server (initdb) installed"
	command -v psql >/dev/null 2>&1 || skip_all "no psql"
	pg_dir=$(mktemp -d "${TMPDIR:-/tmp}/rbnav-pg.XXXXXX")
	chmod 755 "$pg_dir"
	mkdir "$pg_dir/sock"
	[ "$(id -u)" = 0 ] && chown postgres "$pg_dir" "$pg_dir/sock"
	trap pg_cleanup EXIT
	trap 'exit 1' INT TERM HUP
	# The socket lives in a private directory, so any port will do.
	PGPORT=$((20000 + $$ % 20000))
	PGHOST=$pg_dir/sock
	export PGHOST PGPORT
	if ! pg_as "$pg_bindir/initdb" -D "$pg_dir/data" -U postgres \
	    -A trust -E UTF8 --no-sync >"$pg_dir/initdb.log" 2>&1; then
		sed 's/^/# /' "$pg_dir/initdb.log"
		echo "Bail out! initdb failed"
		exit 1
	fi
	cat >>"$pg_dir/data/postgresql.conf" <<-EOF
	fsync = off
	synchronous_commit = off
	full_page_writes = off
	EOF
	if ! pg_start_server; then
		sed 's/^/# /' "$pg_dir/log"
		echo "Bail out! PostgreSQL did not start"
		exit 1
	fi
	PGCONN="host=$PGHOST port=$PGPORT user=postgres dbname=postgres"
	export PGCONN
}
