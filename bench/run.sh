#!/usr/bin/env bash
# `make bench`: our Avro codec against libavro (in-process) and fastavro (a Python subprocess), and our
# Protobuf codec against protobuf-c (in-process) and Python protobuf on upb (bench/upb_bench.py).
# Builds accord-bench and accord in release mode and runs them; extra arguments go to accord-bench
# (--records N, --rounds R, --min-seconds S).
set -euo pipefail
cd "$(dirname "$0")/.."

if ! python3 -c "import fastavro" >/dev/null 2>&1; then
    echo "Installing fastavro from PyPI…"
    python3 -m pip install --quiet fastavro || python3 -m pip install --quiet --break-system-packages fastavro
fi

if ! python3 -c "import google.protobuf" >/dev/null 2>&1; then
    echo "Installing protobuf from PyPI…"
    python3 -m pip install --quiet protobuf || python3 -m pip install --quiet --break-system-packages protobuf
fi

for tool in wrk nginx; do
    if ! command -v "$tool" >/dev/null 2>&1; then
        if [ "$(id -u)" = "0" ]; then
            echo "Installing $tool from Debian…"
            DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$tool" >/dev/null
        else
            echo "the server benchmark needs $tool: sudo apt-get install $tool" >&2
            exit 1
        fi
    fi
done

swift build -c release
bin="$(swift build -c release --show-bin-path)"
"$bin/accord-bench" \
    --schema bench/record.avsc \
    --fastavro bench/fastavro_bench.py \
    "$@"

# The registry server: wrk against accord and nginx, registration, lookup, start-up and memory.
python3 bench/server_bench.py "$bin/accord"
