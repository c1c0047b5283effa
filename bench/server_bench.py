#!/usr/bin/env python3
"""Registry server benchmark (part of `make bench`).

Runs the release `accord serve` on SQLite in a temporary directory and measures, in one run:
  1. GET /schemas/ids/{id} throughput with wrk, against accord and against nginx serving the same response
     bytes from a file (interleaved rounds, medians), printed as a ratio (target >= 0.5);
  2. registering a new version under BACKWARD_TRANSITIVE with 100 previous versions (target <= 5 ms; the
     figure is the client round trip on loopback, an upper bound of server time, and the server's own
     Server-Timing header);
  3. looking up existing content, POST /subjects/{s} (target <= 0.2 ms of server time, from the Server-Timing
     header over 2,000 lookups; the wrk round trip with one connection is printed beside it);
  4. start-up time and resident memory with 100,000 registered schemas (targets <= 2 s and <= 2 KB per schema
     beyond its text).

Usage: server_bench.py ACCORD_BINARY [--rounds N] [--seconds S] [--schemas N]
"""
import argparse
import hashlib
import http.client
import json
import os
import shutil
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time

CT = "application/vnd.schemaregistry.v1+json"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    def __init__(self, binary, storage, extra=()):
        self.port = free_port()
        self.started = time.perf_counter()
        self.proc = subprocess.Popen(
            [binary, "serve", "--listen", f"127.0.0.1:{self.port}", "--storage", storage, "--log-level", "warning", *extra],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        line = self.proc.stdout.readline()
        if "listening" not in line:
            raise SystemExit(f"accord serve did not start: {line}{self.proc.stderr.read()}")
        self.ready_after = self.wait_ready()

    def wait_ready(self):
        while True:
            try:
                c = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
                c.request("GET", "/ready")
                if c.getresponse().status == 200:
                    return time.perf_counter() - self.started
            except OSError:
                pass
            time.sleep(0.01)

    def rss_kib(self):
        with open(f"/proc/{self.proc.pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
        return 0

    def stop(self):
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.kill()


class Client:
    def __init__(self, port):
        self.conn = http.client.HTTPConnection("127.0.0.1", port)

    def call(self, method, path, body=None):
        data = json.dumps(body).encode() if body is not None else None
        self.conn.request(method, path, body=data, headers={"Content-Type": CT} if data else {})
        response = self.conn.getresponse()
        payload = response.read()
        return response.status, payload, response.getheader("Server-Timing")


def record_schema(fields):
    return json.dumps({"type": "record", "name": "Order", "namespace": "bench",
                       "fields": [{"name": "id", "type": "long"}] +
                                 [{"name": f"f{i}", "type": ["null", "string"], "default": None} for i in range(fields)]})


def wrk(url, seconds, connections, script=None):
    cmd = ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--latency"]
    if script:
        cmd += ["-s", script]
    out = subprocess.run(cmd + [url], capture_output=True, text=True, check=True).stdout
    rps = float(next(l for l in out.splitlines() if l.startswith("Requests/sec:")).split()[1])
    latency_line = next(l for l in out.splitlines() if l.strip().startswith("50%"))
    return rps, latency_line.split()[1], out


def parse_ms(text):
    units = {"us": 0.001, "ms": 1.0, "s": 1000.0}
    for suffix in ("us", "ms", "s"):
        if text.endswith(suffix):
            return float(text[: -len(suffix)]) * units[suffix]
    return float(text)


def start_nginx(workdir, body):
    root = os.path.join(workdir, "nginx")
    os.makedirs(os.path.join(root, "logs"), exist_ok=True)
    with open(os.path.join(root, "response.json"), "wb") as f:
        f.write(body)
    port = free_port()
    conf = os.path.join(root, "nginx.conf")
    with open(conf, "w") as f:
        f.write(f"""
worker_processes auto;
daemon off;
pid {root}/nginx.pid;
error_log {root}/logs/error.log warn;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    keepalive_requests 1000000;
    server {{
        listen 127.0.0.1:{port};
        location = /schemas/ids/1 {{
            default_type {CT};
            alias {root}/response.json;
        }}
    }}
}}
""")
    user = ["-g", "user root;"] if os.geteuid() == 0 else []
    proc = subprocess.Popen(["nginx", "-c", conf, "-p", root, *user], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    for _ in range(200):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return proc, port
        except OSError:
            time.sleep(0.02)
    raise SystemExit("nginx did not start: " + proc.stderr.read().decode())


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("binary")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--schemas", type=int, default=100_000)
    args = parser.parse_args()
    workdir = tempfile.mkdtemp(prefix="accord-bench-")
    results = []
    try:
        # 1. GET /schemas/ids/1, accord vs nginx.
        server = Server(args.binary, f"sqlite:{workdir}/throughput.sqlite")
        client = Client(server.port)
        status, payload, _ = client.call("POST", "/subjects/orders-value/versions", {"schema": record_schema(3)})
        assert status == 200, payload
        status, body, _ = client.call("GET", "/schemas/ids/1")
        assert status == 200, body
        nginx, nginx_port = start_nginx(workdir, body)
        ours, theirs = [], []
        for _ in range(args.rounds):
            ours.append(wrk(f"http://127.0.0.1:{server.port}/schemas/ids/1", args.seconds, 32)[0])
            theirs.append(wrk(f"http://127.0.0.1:{nginx_port}/schemas/ids/1", args.seconds, 32)[0])
        nginx.terminate()
        nginx.wait()
        ours_rps, nginx_rps = statistics.median(ours), statistics.median(theirs)
        results.append(("server-get-schema-by-id", f"ours={ours_rps:.0f} nginx={nginx_rps:.0f} ratio={ours_rps / nginx_rps:.2f}", "target >= 0.5", ours_rps / nginx_rps >= 0.5))

        # 3. Lookup of existing content (one connection; median latency).
        lookup_lua = os.path.join(workdir, "lookup.lua")
        with open(lookup_lua, "w") as f:
            f.write('wrk.method = "POST"\nwrk.headers["Content-Type"] = "%s"\nwrk.body = %s\n'
                    % (CT, json.dumps(json.dumps({"schema": record_schema(3)}))))
        medians = [parse_ms(wrk(f"http://127.0.0.1:{server.port}/subjects/orders-value", args.seconds, 1, lookup_lua)[1])
                   for _ in range(args.rounds)]
        round_trip_ms = statistics.median(medians)
        lookup_server = []
        for _ in range(2000):
            status, payload, timing = client.call("POST", "/subjects/orders-value", {"schema": record_schema(3)})
            assert status == 200, payload
            lookup_server.append(float(timing.split("dur=")[1]))
        lookup_ms = statistics.median(lookup_server)
        results.append(("server-lookup", f"server_ms={lookup_ms:.3f} round_trip_ms={round_trip_ms:.3f}",
                        "target <= 0.2 ms", lookup_ms <= 0.2))

        # 2. Registration under BACKWARD_TRANSITIVE with 100 previous versions.
        status, payload, _ = client.call("PUT", "/config/history-value", {"compatibility": "BACKWARD_TRANSITIVE"})
        assert status == 200, payload
        for i in range(100):
            status, payload, _ = client.call("POST", "/subjects/history-value/versions", {"schema": record_schema(i)})
            assert status == 200, payload
        round_trips, server_times = [], []
        for i in range(100, 120):
            started = time.perf_counter()
            status, payload, timing = client.call("POST", "/subjects/history-value/versions", {"schema": record_schema(i)})
            round_trips.append((time.perf_counter() - started) * 1000)
            assert status == 200, payload
            if timing:
                server_times.append(float(timing.split("dur=")[1]))
        registration_ms = statistics.median(round_trips)
        server_ms = statistics.median(server_times) if server_times else registration_ms
        results.append(("server-register-transitive-100",
                        f"round_trip_ms={registration_ms:.2f} server_ms={server_ms:.2f}", "target <= 5 ms", server_ms <= 5))
        server.stop()

        # 4. Start-up time and resident memory with N registered schemas.
        empty_db = f"{workdir}/empty.sqlite"
        server = Server(args.binary, f"sqlite:{empty_db}")
        empty_start, empty_rss = server.ready_after, server.rss_kib()
        server.stop()
        big_db = f"{workdir}/big.sqlite"
        server = Server(args.binary, f"sqlite:{big_db}")
        server.stop()
        text_bytes = populate(big_db, args.schemas)
        server = Server(args.binary, f"sqlite:{big_db}")
        big_start, big_rss = server.ready_after, server.rss_kib()
        client = Client(server.port)
        for schema_id in range(1, args.schemas + 1, max(1, args.schemas // 2000)):
            status, payload, _ = client.call("GET", f"/schemas/ids/{schema_id}")
            assert status == 200, (schema_id, payload)
        touched_rss = server.rss_kib()
        server.stop()
        per_schema = max(0, big_rss - empty_rss) * 1024 / args.schemas
        per_schema_touched = max(0, touched_rss - empty_rss) * 1024 / args.schemas
        results.append(("server-startup", f"schemas={args.schemas} seconds={big_start:.3f} empty_seconds={empty_start:.3f}",
                        "target <= 2 s", big_start <= 2))
        results.append(("server-memory",
                        f"rss_kib={big_rss} empty_rss_kib={empty_rss} bytes_per_schema={per_schema:.0f} "
                        f"after_reads_rss_kib={touched_rss} after_reads_bytes_per_schema={per_schema_touched:.0f} "
                        f"avg_text_bytes={text_bytes / args.schemas:.0f}",
                        "target <= 2048 B/schema", per_schema <= 2048 and per_schema_touched <= 2048))
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    print()
    print(f"{'row':36} {'figures':90} {'target':24} verdict")
    for name, figures, target, met in results:
        print(f"{name:36} {figures:90} {target:24} {'met' if met else 'NOT MET'}")
    print()
    for name, figures, target, met in results:
        print(f"BENCH {name} {figures}  {target}  {'met' if met else 'NOT MET'}")


def guid(schema_type, text):
    """The store's content guid (RegistryCore ContentDigest): MD5 over length-framed fields, as a UUID."""
    digest = hashlib.md5()
    for field in (schema_type, text, "", ""):
        data = field.encode()
        digest.update(len(data).to_bytes(4, "big") + data)
    h = digest.hexdigest()
    return f"{h[0:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:32]}"


def populate(path, count):
    """Registers `count` distinct schemas, one subject each, straight into the SQLite store's tables (through
    HTTP every registration waits for its own fsync, which would take minutes); the table layout is
    Sources/RegistrySQLite/SQLiteMigrations.swift's. Returns the total schema text size."""
    db = sqlite3.connect(path)
    total = 0
    rows, versions = [], []
    for i in range(1, count + 1):
        text = json.dumps({"type": "record", "name": f"Event{i}", "namespace": "bench.population",
                           "fields": [{"name": "id", "type": "long"}, {"name": "name", "type": "string"},
                                      {"name": "amount", "type": ["null", "double"], "default": None}]},
                          separators=(",", ":"))
        total += len(text)
        rows.append((i, guid("AVRO", text), "AVRO", text))
        versions.append((f"subject-{i}-value", 1, i))
    with db:
        db.executemany("INSERT INTO accord_schemas (id, guid, schema_type, schema) VALUES (?, ?, ?, ?)", rows)
        db.executemany("INSERT INTO accord_subject_versions (subject, version, schema_id) VALUES (?, ?, ?)", versions)
        db.execute("UPDATE accord_counters SET value = ? WHERE name = 'schema_id'", (count,))
    db.close()
    return total


if __name__ == "__main__":
    main()
