#!/usr/bin/env bash
# A private PostgreSQL server for the tests: `start` runs initdb into .build/test-postgres (or $ACCORD_PG_DIR),
# starts `postgres` as a plain process on a free loopback port with its Unix socket in that directory, creates
# the database `accord_test` and prints its URL (also written to <dir>/url); `stop` stops it and removes the
# directory. Never a system service: as root the server runs as the unprivileged `postgres` user that Debian's
# package creates. `run CMD ARGS...` starts it, runs the command with ACCORD_TEST_POSTGRES_URL set, and stops
# it afterwards whatever the command's outcome (also on interrupt), exiting with the command's status.
# `halt` stops the server but keeps its data directory, `resume` starts it again on the same port with the same
# options (PostgreSQL going away and coming back, for `make stress`).
# Needs Debian's postgresql package (scripts/install-deps.sh installs it).
set -euo pipefail

here="$(cd "$(dirname "$0")/.." && pwd)"
dir="${ACCORD_PG_DIR:-$here/.build/test-postgres}"
# As root the server runs as `postgres`, which may not be able to reach a checkout under /root: then the data
# directory goes to /tmp (a fixed name per checkout, so `stop` finds it), rather than opening up permissions.
if [ -z "${ACCORD_PG_DIR:-}" ] && [ "$(id -u)" = "0" ] && ! runuser -u postgres -- test -x "$here/.build" 2>/dev/null; then
    dir="/tmp/accord-test-postgres-$(printf '%s' "$here" | md5sum | cut -c1-12)"
fi
bin="${ACCORD_PG_BIN:-}"
if [ -z "$bin" ]; then
    for candidate in /usr/lib/postgresql/*/bin; do
        [ -x "$candidate/postgres" ] && bin="$candidate"
    done
fi
if [ -z "$bin" ] || [ ! -x "$bin/postgres" ]; then
    echo "test-postgres: no PostgreSQL server binaries (install Debian's postgresql)" >&2
    exit 1
fi

# Runs a command as the server's user: `postgres` when we are root (PostgreSQL refuses to run as root).
as_owner() {
    if [ "$(id -u)" = "0" ]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

stop() {
    if [ -f "$dir/data/postmaster.pid" ]; then
        as_owner "$bin/pg_ctl" -D "$dir/data" -m immediate -w -t 30 stop >/dev/null 2>&1 || true
    fi
    rm -rf "$dir"
}

start() {
    stop
    mkdir -p "$dir"
    if [ "$(id -u)" = "0" ]; then
        chown postgres: "$dir"
    fi
    as_owner "$bin/initdb" -D "$dir/data" -U accord --auth=trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 || {
        cat "$dir/initdb.log" >&2
        exit 1
    }
    local port
    port="$(free_port)"
    as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
        -o "-p $port -c listen_addresses=127.0.0.1 -c unix_socket_directories=$dir -c fsync=off -c max_connections=300" \
        start >/dev/null || {
        cat "$dir/server.log" >&2
        exit 1
    }
    as_owner "$bin/createdb" -h "$dir" -p "$port" -U accord accord_test
    local url="postgres://accord@127.0.0.1:$port/accord_test?sslmode=disable"
    echo "$url" >"$dir/url"
    echo "$url"
}

# Stops the server like an administrator would (fast shutdown: sessions are ended), keeping its data.
halt() {
    as_owner "$bin/pg_ctl" -D "$dir/data" -m fast -w -t 60 stop >/dev/null
}

# Starts a halted server again with the options of its last start (postmaster.opts), so on the same port.
resume() {
    as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 restart >/dev/null 2>&1 || {
        tail -20 "$dir/server.log" >&2
        exit 1
    }
}

case "${1:-}" in
start) start ;;
stop) stop ;;
halt) halt ;;
resume) resume ;;
url) cat "$dir/url" ;;
run)
    shift
    trap stop EXIT
    trap 'exit 130' INT TERM
    ACCORD_TEST_POSTGRES_URL="$(start)"
    export ACCORD_TEST_POSTGRES_URL
    echo "test PostgreSQL: $ACCORD_TEST_POSTGRES_URL"
    status=0
    "$@" || status=$?
    exit $status
    ;;
*)
    echo "usage: $0 start|stop|halt|resume|url|run COMMAND..." >&2
    exit 2
    ;;
esac
