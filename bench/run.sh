#!/usr/bin/env bash
# `make bench`: our Avro codec against libavro (in-process) and fastavro (a Python subprocess), and our
# Protobuf codec against protobuf-c (in-process) and Python protobuf on upb (bench/upb_bench.py).
# Builds accord-bench in release mode and runs it; extra arguments go to accord-bench
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

swift build -c release --product accord-bench
exec "$(swift build -c release --show-bin-path)/accord-bench" \
    --schema bench/record.avsc \
    --fastavro bench/fastavro_bench.py \
    "$@"
