#!/usr/bin/env bash
# `make bench`: our Avro codec against libavro (in-process) and fastavro (a Python subprocess), and our
# Protobuf codec against protobuf-c (in-process) and Python protobuf on upb (bench/upb_bench.py); the
# serializer library against plain encodes and decodes (accord-serde-bench); JSON Schema validation against
# ajv (Node) and jsonschema-rs/jsonschema (from Python), and the JSON Schema compatibility check
# (accord-jsonschema-bench).
# The Protobuf rows compare like with like against C++ libprotobuf (bench/cpp/proto_peer.cc, built here
# with g++ -O2 against pkg-config protobuf and protoc --cpp_out of bench/bench.proto), interleaved in one
# run; accord-bench writes bench/results.md.
# Builds accord-bench and accord in release mode and runs them; extra arguments go to accord-bench
# (--records N, --rounds R, --min-seconds S). ACCORD_BENCH_SCRATCH sets a separate SwiftPM scratch path.
set -euo pipefail
cd "$(dirname "$0")/.."
command_line="make bench${*:+ $*}"

# The C++ peer: g++, libprotobuf (pkg-config protobuf), libprotoc (compiler::Importer) and protoc.
if ! command -v g++ >/dev/null 2>&1 || ! command -v protoc >/dev/null 2>&1 || ! pkg-config --exists protobuf \
    || [ ! -e /usr/include/google/protobuf/compiler/importer.h ]; then
    if [ "$(id -u)" = "0" ]; then
        echo "Installing g++, libprotobuf-dev, libprotoc-dev and protobuf-compiler from Debian…"
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq g++ pkg-config libprotobuf-dev libprotoc-dev protobuf-compiler >/dev/null
    else
        echo "the Protobuf benchmark needs: sudo apt-get install g++ libprotobuf-dev libprotoc-dev protobuf-compiler" >&2
        exit 1
    fi
fi

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

# The Java Avro peer: Debian's libavro-java (and its Jackson 1 and SLF4J jars) on OpenJDK.
if ! command -v javac >/dev/null 2>&1 || [ ! -e /usr/share/java/avro.jar ]; then
    if [ "$(id -u)" = "0" ]; then
        echo "Installing default-jdk-headless and libavro-java from Debian…"
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq default-jdk-headless libavro-java libslf4j-java >/dev/null
    else
        echo "the Avro benchmark needs: sudo apt-get install default-jdk-headless libavro-java libslf4j-java" >&2
        exit 1
    fi
fi

scratch=()
if [ -n "${ACCORD_BENCH_SCRATCH:-}" ]; then
    scratch=(--scratch-path "$ACCORD_BENCH_SCRATCH")
fi
swift build -c release "${scratch[@]}"
bin="$(swift build -c release "${scratch[@]}" --show-bin-path)"

# The C++ peer, rebuilt when its source or the .proto changes.
cpp="$bin/bench-cpp"
mkdir -p "$cpp"
if [ ! -x "$cpp/proto_peer" ] || [ bench/cpp/proto_peer.cc -nt "$cpp/proto_peer" ] || [ bench/bench.proto -nt "$cpp/proto_peer" ]; then
    echo "Building the C++ libprotobuf peer (protoc $(protoc --version | cut -d' ' -f2), g++ -O2)…"
    protoc -Ibench --cpp_out="$cpp" bench/bench.proto
    g++ -O2 -std=c++17 -I"$cpp" bench/cpp/proto_peer.cc "$cpp/bench.pb.cc" -o "$cpp/proto_peer" \
        $(pkg-config --cflags --libs protobuf) -lprotoc -pthread
fi

# The Java peer, recompiled when its source changes.
java_cp="$bin/bench-java:/usr/share/java/avro.jar:/usr/share/java/jackson-core-asl.jar:/usr/share/java/jackson-mapper-asl.jar:/usr/share/java/slf4j-api.jar:/usr/share/java/slf4j-nop.jar"
if [ ! -e "$bin/bench-java/AvroPeer.class" ] || [ bench/java/AvroPeer.java -nt "$bin/bench-java/AvroPeer.class" ]; then
    echo "Compiling the Java Avro peer ($(javac -version 2>&1))…"
    mkdir -p "$bin/bench-java"
    javac -d "$bin/bench-java" -cp "$java_cp" bench/java/AvroPeer.java
fi

# Pinned to one core (the last) where taskset exists: ours and every peer process (they inherit the mask)
# take turns on the same core, so a round's ratio compares figures taken under the same conditions.
pin=()
if command -v taskset >/dev/null 2>&1; then
    pin=(taskset -c "$(( $(nproc) - 1 ))")
fi
"${pin[@]}" "$bin/accord-bench" \
    --schema bench/record.avsc \
    --fastavro bench/fastavro_bench.py \
    --cpp-peer "$cpp/proto_peer" \
    --java "$(command -v java)" --java-classpath "$java_cp" \
    --results bench/results.md \
    --command "$command_line" \
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
