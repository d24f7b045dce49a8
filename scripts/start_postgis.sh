#!/usr/bin/env bash
# Start (or stop) a throwaway PostgreSQL + PostGIS cluster for the store tests.
#
#   scripts/start_postgis.sh          # start; prints postgresql://postgres@127.0.0.1:55432/incidentmap
#   scripts/start_postgis.sh stop     # stop it and delete its data directory
#
# Typical use:  export INCIDENTMAP_TEST_PG="$(scripts/start_postgis.sh)"
# Needs Debian's postgresql + postgis packages. initdb refuses to run as root, so when run
# as root the server runs as the `postgres` system user. Only the URL goes to stdout.
set -euo pipefail

PORT="${INCIDENTMAP_PG_PORT:-55432}"
DB="${INCIDENTMAP_PG_DB:-incidentmap}"
STATE="${TMPDIR:-/tmp}/incidentmap-pg-${PORT}.dir"
URL="postgresql://postgres@127.0.0.1:${PORT}/${DB}"

log() { echo "start_postgis: $*" >&2; }

BIN="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)"
if [[ -z "$BIN" || ! -x "$BIN/initdb" ]]; then
    log "no PostgreSQL server found under /usr/lib/postgresql (apt-get install postgresql postgis)"
    exit 1
fi

as_pg() {
    if [[ "$(id -u)" == "0" ]]; then
        if command -v runuser >/dev/null; then runuser -u postgres -- "$@"; else su postgres -s /bin/sh -c "$(printf '%q ' "$@")"; fi
    else
        "$@"
    fi
}

if [[ "${1:-start}" == "stop" ]]; then
    if [[ -f "$STATE" ]]; then
        DIR="$(cat "$STATE")"
        as_pg "$BIN/pg_ctl" -D "$DIR/data" -m fast -w stop >&2 || true
        rm -rf "$DIR" "$STATE"
        log "stopped"
    else
        log "nothing to stop"
    fi
    exit 0
fi

if [[ -f "$STATE" ]] && "$BIN/pg_isready" -q -h 127.0.0.1 -p "$PORT"; then
    log "already running ($(cat "$STATE"))"
    echo "$URL"
    exit 0
fi

DIR="$(mktemp -d "${TMPDIR:-/tmp}/incidentmap-pg.XXXXXX")"
chmod 755 "$DIR"
if [[ "$(id -u)" == "0" ]]; then chown postgres: "$DIR"; fi
echo "$DIR" > "$STATE"

as_pg "$BIN/initdb" -D "$DIR/data" -U postgres -A trust -E UTF8 --no-locale >"$DIR/initdb.log" 2>&1 \
    || { log "initdb failed:"; cat "$DIR/initdb.log" >&2; exit 1; }
as_pg "$BIN/pg_ctl" -D "$DIR/data" -l "$DIR/server.log" -w \
    -o "-c listen_addresses=127.0.0.1 -p $PORT -k $DIR -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
    start >&2 || { log "server failed to start:"; cat "$DIR/server.log" >&2; exit 1; }

PSQL=("$BIN/psql" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$PORT" -U postgres)
"${PSQL[@]}" -d postgres -c "CREATE DATABASE $DB" >&2
"${PSQL[@]}" -d "$DB" -c "CREATE EXTENSION IF NOT EXISTS postgis" >&2
log "running in $DIR (stop with: $0 stop)"
echo "$URL"
