#!/usr/bin/env bash
# Installs what a fresh Debian machine lacks for building and testing Accord.
# Debian packages come from apt when we are root; otherwise we say what to install.
set -euo pipefail

need=()
command -v pkg-config >/dev/null 2>&1 || need+=(pkg-config)
pkg-config --exists avro-c 2>/dev/null || need+=(libavro-dev)
pkg-config --exists libprotobuf-c 2>/dev/null || need+=(libprotobuf-c-dev)
command -v python3 >/dev/null 2>&1 || need+=(python3)
# The registry's embedded store (GRDB links the system SQLite).
pkg-config --exists sqlite3 2>/dev/null || need+=(libsqlite3-dev)
# The official JSON-Schema-Test-Suite (drafts 4, 6, 7), which the JSON Schema engine's tests run.
[ -d /usr/share/json-schema-test-suite/tests ] || need+=(json-schema-test-suite)
# `make test` runs the PostgreSQL store's tests against a private server (scripts/test-postgres.sh).
need_postgres=0
ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1 || need_postgres=1

if [ "$need_postgres" = "1" ] && [ "$(id -u)" = "0" ]; then
    # Only the server binaries are wanted: tell Debian's package not to create (and start) a system cluster.
    echo "installing: postgresql (no system cluster)"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq postgresql-common >/dev/null
    sed -i 's/^#\?[[:space:]]*create_main_cluster.*/create_main_cluster = false/' /etc/postgresql-common/createcluster.conf
    apt-get install -y -qq postgresql >/dev/null
elif [ "$need_postgres" = "1" ]; then
    need+=(postgresql)
fi

if [ ${#need[@]} -gt 0 ]; then
    if [ "$(id -u)" = "0" ]; then
        echo "installing: ${need[*]}"
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -qq
        apt-get install -y -qq "${need[@]}" >/dev/null
    else
        echo "missing Debian packages: ${need[*]}" >&2
        echo "run: sudo apt-get install ${need[*]}" >&2
        exit 1
    fi
fi

if ! command -v swift >/dev/null 2>&1; then
    echo "swift is not on PATH: install Swift 6.2 or later from swift.org" >&2
    exit 1
fi
