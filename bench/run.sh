#!/usr/bin/env bash
# `make bench`: our Avro codec against libavro (in-process) and fastavro (a Python subprocess), and our
# Protobuf codec against protobuf-c (in-process) and Python protobuf on upb (bench/upb_bench.py); the
# serializer library against plain encodes and decodes (accord-serde-bench); JSON Schema validation against
# ajv (Node) and jsonschema-rs/jsonschema (from Python), and the JSON Schema compatibility check
# (accord-jsonschema-bench).
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

# JSON Schema peers: ajv (Debian's node-ajv on Node) and, from PyPI, jsonschema-rs and jsonschema.
if ! NODE_PATH=/usr/share/nodejs node -e "require('ajv')" >/dev/null 2>&1; then
    if [ "$(id -u)" = "0" ]; then
        echo "Installing node-ajv from Debian…"
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs node-ajv >/dev/null
    else
        echo "the JSON Schema benchmark needs ajv: sudo apt-get install nodejs node-ajv" >&2
        exit 1
    fi
fi
for module in jsonschema_rs:jsonschema-rs jsonschema:jsonschema; do
    if ! python3 -c "import ${module%%:*}" >/dev/null 2>&1; then
        echo "Installing ${module##*:} from PyPI…"
        python3 -m pip install --quiet "${module##*:}" || python3 -m pip install --quiet --break-system-packages "${module##*:}"
    fi
done

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

# JSON Schema: validation against ajv and the Python validators; the compatibility check's time.
"$bin/accord-jsonschema-bench"

# The serializer library and `accord validate --registry`: a release `accord serve` on a free port, private data.
data="$(mktemp -d)"
port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
"$bin/accord" serve --listen "127.0.0.1:$port" --storage "sqlite:$data/bench.sqlite" --log-level warning >"$data/serve.log" 2>&1 &
serve=$!
trap 'kill "$serve" 2>/dev/null || true; rm -rf "$data"' EXIT
python3 - "$port" <<'PY'
import sys, time, urllib.request
for _ in range(200):
    try:
        urllib.request.urlopen(f"http://127.0.0.1:{sys.argv[1]}/subjects", timeout=1)
        break
    except OSError:
        time.sleep(0.05)
else:
    raise SystemExit("accord serve did not start")
PY
"$bin/accord-serde-bench" --registry "http://127.0.0.1:$port" --accord "$bin/accord"

# The registry server: wrk against accord and nginx, registration, lookup, start-up and memory.
python3 bench/server_bench.py "$bin/accord"
