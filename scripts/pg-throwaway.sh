#!/usr/bin/env bash
# Print (last line of stdout) a PostgreSQL admin URL for the test suite.
#
# 1. If a server on 127.0.0.1:5432 accepts user postgres with trust auth, use it.
# 2. Otherwise run a throwaway cluster on 127.0.0.1:$ZHILIAN_PG_PORT (55432):
#    install Debian's postgresql if initdb is missing, create the postgres OS
#    user if needed, initdb -A trust into $ZHILIAN_PG_DIR, start it with pg_ctl
#    as postgres. A cluster already up there from an earlier run is reused.
# Diagnostics go to stderr. Idempotent.
#
# Env:
#   ZHILIAN_PG_SYSTEM_PORT  port of a pre-existing server to try first (5432)
#   ZHILIAN_PG_PORT         throwaway cluster port (55432)
#   ZHILIAN_PG_DIR          throwaway cluster dir (/tmp/zhilian-pg-$ZHILIAN_PG_PORT)
#   FORCE_THROWAWAY=1       skip step 1
# Stop a throwaway cluster:
#   runuser -u postgres -- pg_ctl -D /tmp/zhilian-pg-55432/data stop -m fast && rm -rf /tmp/zhilian-pg-55432
set -euo pipefail

HOST=127.0.0.1
SYSTEM_PORT="${ZHILIAN_PG_SYSTEM_PORT:-5432}"
PORT="${ZHILIAN_PG_PORT:-55432}"
DIR="${ZHILIAN_PG_DIR:-/tmp/zhilian-pg-$PORT}"
PGUSER_NAME=postgres

log() { echo "pg-throwaway: $*" >&2; }
die() { log "$*"; exit 1; }
url() { echo "postgres://$PGUSER_NAME@$HOST:$1/postgres?sslmode=disable"; }

# Keep stray libpq env from changing what the probes test.
unset PGPASSWORD PGPASSFILE PGSERVICE PGSERVICEFILE PGOPTIONS PGSSLMODE PGHOSTADDR
export PGCONNECT_TIMEOUT=5

# Prefer the newest Debian server binaries; fall back to whatever is on PATH.
pg_bindir() {
	local d
	d="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)"
	if [[ -n "$d" && -x "$d/initdb" ]]; then
		echo "$d"
	elif command -v initdb >/dev/null 2>&1; then
		dirname "$(readlink -f "$(command -v initdb)")"
	fi
}

# Does a server on $1 accept user postgres over TCP without a password?
answers() {
	local port="$1" bindir psql pg_isready
	bindir="$(pg_bindir)"
	psql="$(command -v psql || true)"; [[ -z "$psql" && -n "$bindir" && -x "$bindir/psql" ]] && psql="$bindir/psql"
	pg_isready="$(command -v pg_isready || true)"; [[ -z "$pg_isready" && -n "$bindir" && -x "$bindir/pg_isready" ]] && pg_isready="$bindir/pg_isready"
	if [[ -n "$pg_isready" ]]; then
		"$pg_isready" -q -h "$HOST" -p "$port" -t 3 </dev/null >/dev/null 2>&1 || return 1
	else
		timeout 3 bash -c "exec 3<>/dev/tcp/$HOST/$port" </dev/null >/dev/null 2>&1 || return 1
	fi
	if [[ -n "$psql" ]]; then
		# -w: never prompt; fails unless trust (or equivalent) auth.
		"$psql" -w -X -q -A -t -h "$HOST" -p "$port" -U "$PGUSER_NAME" -d postgres \
			-c 'select 1' </dev/null >/dev/null 2>&1 || return 1
	fi
	return 0
}

as_pg() {
	if [[ "$(id -u)" == 0 ]]; then
		if command -v runuser >/dev/null 2>&1; then
			runuser -u "$PGUSER_NAME" -- "$@" 9>&-
		else
			su -s /bin/sh "$PGUSER_NAME" -c "$(printf '%q ' "$@")" 9>&-
		fi
	else
		"$@" 9>&- # not root: run the cluster as ourselves
	fi
}

# 1. An existing server (the machine's own, or CI's service).
if [[ "${FORCE_THROWAWAY:-0}" != 1 ]] && answers "$SYSTEM_PORT"; then
	url "$SYSTEM_PORT"
	exit 0
fi

# Serialize concurrent callers (two `make test` at once). fd 9 is closed for
# everything as_pg starts, or the server would inherit the lock forever.
if command -v flock >/dev/null 2>&1; then
	exec 9>"/tmp/zhilian-pg-$PORT.lock"
	flock -w 300 9 || die "timed out waiting for /tmp/zhilian-pg-$PORT.lock"
fi

# 2a. A throwaway cluster from an earlier run.
if answers "$PORT"; then
	log "reusing PostgreSQL already running on $HOST:$PORT"
	url "$PORT"
	exit 0
fi

# 2b. Make a new one.
BINDIR="$(pg_bindir)"
if [[ -z "$BINDIR" ]]; then
	command -v apt-get >/dev/null 2>&1 || die "initdb not found and apt-get unavailable; install PostgreSQL"
	[[ "$(id -u)" == 0 ]] || die "initdb not found; need root to apt-get install postgresql"
	log "installing postgresql (apt-get) ..."
	aptlog="$(mktemp /tmp/zhilian-pg-apt.XXXXXX.log)"
	apt=(env DEBIAN_FRONTEND=noninteractive apt-get -q -y -o DPkg::Lock::Timeout=600)
	if ! { "${apt[@]}" update && "${apt[@]}" install postgresql; } >"$aptlog" 2>&1 </dev/null 9>&-; then
		tail -n 60 "$aptlog" >&2
		die "apt-get install postgresql failed (log: $aptlog)"
	fi
	rm -f "$aptlog"
	BINDIR="$(pg_bindir)"
	[[ -n "$BINDIR" ]] || die "postgresql installed but no initdb under /usr/lib/postgresql/*/bin"
fi

if [[ "$(id -u)" == 0 ]] && ! id -u "$PGUSER_NAME" >/dev/null 2>&1; then
	log "creating system user $PGUSER_NAME"
	useradd --system --user-group --no-create-home --home-dir /var/lib/postgresql \
		--shell /bin/bash --comment "PostgreSQL administrator" "$PGUSER_NAME"
fi

case "$DIR" in /*) ;; *) die "ZHILIAN_PG_DIR must be absolute: $DIR" ;; esac
[[ -L "$DIR" ]] && die "$DIR is a symlink; refusing"
if [[ -e "$DIR" ]]; then
	# Left over from a run whose server is gone (reboot, killed): start afresh.
	if [[ -f "$DIR/data/postmaster.pid" ]]; then
		as_pg "$BINDIR/pg_ctl" -D "$DIR/data" -m immediate stop >/dev/null 2>&1 || true
	fi
	log "removing stale $DIR"
	rm -rf -- "$DIR"
fi
mkdir -m 0700 -- "$DIR"
mkdir -m 0700 -- "$DIR/data" "$DIR/socket"
: >"$DIR/postgres.log"
[[ "$(id -u)" == 0 ]] && chown -R "$PGUSER_NAME:" "$DIR"

locale=C
locales="$(locale -a 2>/dev/null || true)"
grep -qix 'c\.utf-\?8' <<<"$locales" && locale=C.UTF-8

log "initdb $DIR/data (PostgreSQL $("$BINDIR/postgres" -V | awk '{print $3}'), port $PORT)"
if ! as_pg "$BINDIR/initdb" -D "$DIR/data" -A trust -U "$PGUSER_NAME" -E UTF8 --locale="$locale" \
	>"$DIR/initdb.log" 2>&1 </dev/null; then
	cat "$DIR/initdb.log" >&2
	die "initdb failed"
fi

# Throwaway data: durability off for speed; room for parallel test packages.
opts="-p $PORT -k $DIR/socket -c listen_addresses=$HOST -c max_connections=300"
opts+=" -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
if ! as_pg "$BINDIR/pg_ctl" -D "$DIR/data" -l "$DIR/postgres.log" -o "$opts" -w -t 60 start \
	>/dev/null 2>&1 </dev/null; then
	tail -n 40 "$DIR/postgres.log" >&2
	die "pg_ctl start failed (port $PORT in use?)"
fi

for _ in $(seq 1 60); do
	if answers "$PORT"; then
		log "started throwaway PostgreSQL on $HOST:$PORT (data $DIR/data, log $DIR/postgres.log)"
		url "$PORT"
		exit 0
	fi
	sleep 0.5
done
tail -n 40 "$DIR/postgres.log" >&2
die "PostgreSQL on $HOST:$PORT did not become ready"
