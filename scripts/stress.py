#!/usr/bin/env python3
"""Fault scenarios against the built `accord serve` (`make stress`): kill -9 under load on SQLite and PostgreSQL,
three nodes on one PostgreSQL with one killed, PostgreSQL stopped and restarted under load, a full disk, and
slow or abusive clients. Prints one PASS/FAIL line per scenario with what it measured and exits 1 if any failed.

Only the Python standard library; everything talks to 127.0.0.1. PostgreSQL is the private server of
scripts/test-postgres.sh (its URL in ACCORD_TEST_POSTGRES_URL, its directory in ACCORD_PG_DIR); run as
`bash scripts/test-postgres.sh run python3 scripts/stress.py --bin .build/debug/accord`.
"""
import argparse
import http.client
import json
import os
import random
import resource
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CONTENT_TYPE = "application/vnd.schemaregistry.v1+json"
BIN = None
VERBOSE = False


def log(*args):
    if VERBOSE:
        print("  ..", *args, flush=True)


def percentile(values, fraction):
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


class Failure(Exception):
    pass


def check(condition, message):
    if not condition:
        raise Failure(message)


# MARK: servers and clients


class Server:
    """One `accord serve` on a free loopback port; `kill()` is SIGKILL, `stop()` SIGTERM."""

    def __init__(self, storage, extra=(), folder=None, preexec=None):
        self.folder = folder or tempfile.mkdtemp(prefix="accord-stress-")
        self.out = os.path.join(self.folder, f"stdout-{time.monotonic_ns()}")
        self.err = self.out.replace("stdout", "stderr")
        arguments = [BIN, "serve", "--listen", "127.0.0.1:0", "--storage", storage, "--log-level", "warning", *extra]
        with open(self.out, "wb") as out, open(self.err, "wb") as err:
            self.process = subprocess.Popen(arguments, stdin=subprocess.DEVNULL, stdout=out, stderr=err, preexec_fn=preexec)
        deadline = time.monotonic() + 60
        marker = "accord: listening on http://127.0.0.1:"
        while True:
            text = open(self.out).read()
            if marker in text and text.split(marker, 1)[1].find("\n") > 0:
                self.port = int(text.split(marker, 1)[1].split("\n", 1)[0])
                return
            if self.process.poll() is not None:
                raise Failure(f"accord serve exited with {self.process.returncode}: {self.stderr()[-2000:]}")
            if time.monotonic() > deadline:
                self.kill()
                raise Failure("accord serve did not listen within 60 s")
            time.sleep(0.02)

    def stderr(self):
        try:
            return open(self.err, errors="replace").read()
        except OSError:
            return ""

    def alive(self):
        return self.process.poll() is None

    def kill(self):
        if self.alive():
            self.process.send_signal(signal.SIGKILL)
        self.process.wait()

    def stop(self):
        if self.alive():
            self.process.send_signal(signal.SIGTERM)
            try:
                return self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.kill()
                return -9
        return self.process.returncode

    def rss_kib(self):
        try:
            for line in open(f"/proc/{self.process.pid}/status"):
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
        except OSError:
            pass
        return 0


class Client:
    """A keep-alive HTTP client for one thread: (status, JSON body or text, seconds); status None when the
    connection failed. A request on a reused connection that the server had closed is sent again once."""

    def __init__(self, port, timeout=30):
        self.port = port
        self.timeout = timeout
        self.connection = None

    def close(self):
        if self.connection is not None:
            self.connection.close()
            self.connection = None

    def call(self, method, path, body=None, headers=None):
        data = None
        request_headers = {"Accept": CONTENT_TYPE}
        if body is not None:
            data = body if isinstance(body, bytes) else json.dumps(body).encode()
            request_headers["Content-Type"] = CONTENT_TYPE
        request_headers.update(headers or {})
        start = time.monotonic()
        for attempt in (0, 1):
            reused = self.connection is not None
            if self.connection is None:
                self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=self.timeout)
            try:
                self.connection.request(method, path, body=data, headers=request_headers)
                response = self.connection.getresponse()
                raw = response.read()
                if response.getheader("Connection", "").lower() == "close":
                    self.close()
                try:
                    parsed = json.loads(raw) if raw else None
                except ValueError:
                    parsed = raw.decode(errors="replace")
                return response.status, parsed, time.monotonic() - start
            except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError) as error:
                self.close()
                if reused and attempt == 0:
                    continue
                return None, repr(error), time.monotonic() - start
            except (OSError, http.client.HTTPException) as error:
                self.close()
                return None, repr(error), time.monotonic() - start
        return None, "unreachable", time.monotonic() - start


_local = threading.local()


def client_for(port, timeout=30):
    """This thread's client of `port`."""
    clients = getattr(_local, "clients", None)
    if clients is None:
        clients = _local.clients = {}
    if port not in clients:
        clients[port] = Client(port, timeout)
    return clients[port]


def close_thread_clients():
    for client in getattr(_local, "clients", {}).values():
        client.close()
    _local.clients = {}


def parallel(function, items, workers):
    with ThreadPoolExecutor(max_workers=workers, initializer=close_thread_clients) as pool:
        return list(pool.map(function, items))


# MARK: schemas and checks


def avro(name, fields, namespace="stress"):
    """An Avro record `namespace.name` with `fields` optional string fields."""
    return json.dumps(
        {
            "type": "record",
            "name": name,
            "namespace": namespace,
            "fields": [{"name": f"f{i}", "type": ["null", "string"], "default": None} for i in range(fields)],
        },
        separators=(",", ":"),
    )


def canonical(schema_text):
    return json.dumps(json.loads(schema_text), sort_keys=True, separators=(",", ":"))


def register(port, subject, schema, timeout=30):
    status, body, seconds = client_for(port, timeout).call("POST", f"/subjects/{subject}/versions", {"schema": schema})
    return status, body, seconds


def set_compatibility_none(port):
    status, body, _ = Client(port).call("PUT", "/config", {"compatibility": "NONE"})
    check(status == 200, f"PUT /config answered {status} {body}")


def verify_registry(port, acked, name):
    """Every acknowledged (subject, schema, id, version) is found with the same id and version; every listed
    version resolves to its schema by version and by id; versions are 1..n per subject; one id per content and
    one content per id. Returns (subjects, versions, distinct ids)."""

    def lookup(entry):
        subject, schema, id_, version = entry
        status, body, _ = client_for(port).call("POST", f"/subjects/{subject}", {"schema": schema})
        if status != 200 or body.get("id") != id_ or body.get("version") != version:
            return f"{subject} v{version} id {id_}: lookup answered {status} {str(body)[:200]}"
        return None

    problems = [p for p in parallel(lookup, acked, 16) if p]
    check(not problems, f"{name}: {len(problems)} acknowledged registrations lost or changed, e.g. {problems[:3]}")
    status, subjects, _ = Client(port).call("GET", "/subjects")
    check(status == 200, f"{name}: GET /subjects answered {status}")

    def versions_of(subject):
        client = client_for(port)
        status, versions, _ = client.call("GET", f"/subjects/{subject}/versions")
        if status != 200:
            return [f"{subject}: GET versions answered {status}"], []
        problems, found = [], []
        if versions != list(range(1, len(versions) + 1)):
            problems.append(f"{subject}: versions are not contiguous: {versions}")
        for version in versions:
            status, body, _ = client.call("GET", f"/subjects/{subject}/versions/{version}")
            if status != 200:
                problems.append(f"{subject} v{version}: answered {status} {body}")
                continue
            status, by_id, _ = client.call("GET", f"/schemas/ids/{body['id']}")
            if status != 200 or canonical(by_id["schema"]) != canonical(body["schema"]):
                problems.append(f"{subject} v{version}: id {body['id']} answered {status}, not its schema")
            found.append((body["id"], canonical(body["schema"])))
        return problems, found

    results = parallel(versions_of, subjects, 8)
    problems = [p for problems, _ in results for p in problems]
    check(not problems, f"{name}: {len(problems)} half-written or inconsistent versions, e.g. {problems[:3]}")
    content_by_id, id_by_content = {}, {}
    for _, found in results:
        for id_, content in found:
            if content_by_id.setdefault(id_, content) != content:
                raise Failure(f"{name}: id {id_} names two different schemas")
            if id_by_content.setdefault(content, id_) != id_:
                raise Failure(f"{name}: one schema has ids {id_by_content[content]} and {id_}")
    for subject, schema, id_, _ in acked:
        check(content_by_id.get(id_) == canonical(schema), f"{name}: acknowledged id {id_} of {subject} not listed")
    return len(subjects), sum(len(found) for _, found in results), len(content_by_id)


# MARK: PostgreSQL


def psql():
    for candidate in ["/usr/bin/psql"] + sorted(
        os.path.join("/usr/lib/postgresql", v, "bin/psql") for v in os.listdir("/usr/lib/postgresql")
    ):
        if os.access(candidate, os.X_OK):
            return candidate
    raise Failure("psql is not installed")


def fresh_database(label):
    base = os.environ.get("ACCORD_TEST_POSTGRES_URL")
    if not base:
        raise Failure("ACCORD_TEST_POSTGRES_URL is not set (run through scripts/test-postgres.sh run)")
    name = f"stress_{label}_{os.getpid()}"
    subprocess.run([psql(), base, "-q", "-v", "ON_ERROR_STOP=1", "-c", f"CREATE DATABASE {name}"], check=True,
                   stdout=subprocess.DEVNULL)
    head, _, tail = base.rpartition("/")
    query = tail[tail.index("?"):] if "?" in tail else ""
    return f"{head}/{name}{query}"


def postgres(command):
    subprocess.run(["bash", os.path.join(ROOT, "scripts/test-postgres.sh"), command], check=True)


# MARK: 1. kill -9 during concurrent registrations


def workload(count, subjects, names, max_fields, seed):
    """`count` registrations over `subjects` subjects from a pool of names × field counts: the same schema under
    many subjects, and again under the same subject."""
    rng = random.Random(seed)
    return [(f"s{rng.randrange(subjects)}", avro(f"R{rng.randrange(names)}", 1 + rng.randrange(max_fields)))
            for _ in range(count)]


def run_until_killed(ports, tasks, kill_after, kill, workers=64, latencies=None):
    """Registers `tasks` on `ports` (round robin) from `workers` threads; calls `kill()` once `kill_after`
    registrations are acknowledged. Returns the acknowledged (subject, schema, id, version, port index)."""
    acked, lock, killed = [], threading.Lock(), threading.Event()
    errors = {}

    def one(indexed):
        index, (subject, schema) = indexed
        node = index % len(ports)
        status, body, seconds = register(ports[node], subject, schema, timeout=60)
        with lock:
            if latencies is not None:
                latencies.append((time.monotonic(), node, status, seconds))
            if status == 200 and isinstance(body, dict) and "id" in body and "version" in body:
                acked.append((subject, schema, body["id"], body["version"], node))
                if len(acked) >= kill_after and not killed.is_set():
                    killed.set()
                    kill()
            else:
                key = status if status is not None else str(body)[:40]
                errors[key] = errors.get(key, 0) + 1

    parallel(one, list(enumerate(tasks)), workers)
    return acked, errors


def scenario_kill9(storage_label, storage_url=None):
    folder = tempfile.mkdtemp(prefix="accord-stress-kill-")
    storage_url = storage_url or "sqlite:" + os.path.join(folder, "r.sqlite")
    try:
        server = Server(storage_url, folder=folder)
        set_compatibility_none(server.port)
        tasks = workload(1500, 60, 40, 12, seed=1)
        started = time.monotonic()
        acked, errors = run_until_killed([server.port], tasks, 600, server.kill, workers=96)
        elapsed = time.monotonic() - started
        check(not server.alive(), "the server was not killed")
        check(len(acked) >= 600, f"only {len(acked)} registrations acknowledged before the kill")
        unexpected = {k: v for k, v in errors.items() if isinstance(k, int)}
        check(not unexpected, f"HTTP errors before the kill: {unexpected}")
        restarted = Server(storage_url, folder=folder)
        try:
            subjects, versions, ids = verify_registry(restarted.port, [a[:4] for a in acked], storage_label)
            # Registrations after the restart get ids no acknowledged schema had.
            after = []
            for i in range(50):
                schema = avro(f"After{i}", 3)
                status, body, _ = register(restarted.port, f"after{i % 5}", schema)
                check(status == 200, f"registration after restart answered {status} {body}")
                after.append(("after", schema, body["id"], body["version"]))
            old_ids = {a[2] for a in acked}
            reused = [a for a in after if a[2] in old_ids]
            check(not reused, f"ids reused after restart: {[a[2] for a in reused][:5]}")
            check(restarted.stop() == 0, "the restarted server did not stop cleanly")
        finally:
            restarted.kill()
        return (f"{len(tasks)} sent by 96 threads, {len(acked)} acknowledged before kill -9 "
                f"(after {elapsed:.1f}s), {sum(errors.values())} cut off; after restart all {len(acked)} found "
                f"with the same id/version; {subjects} subjects, {versions} versions, {ids} distinct ids, "
                f"0 half-written, 0 duplicate ids; 50 new ids after restart none reused")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


# MARK: 2. three nodes on one PostgreSQL, one killed


def scenario_three_nodes():
    url = fresh_database("three")
    nodes = [Server(url)]
    set_compatibility_none(nodes[0].port)
    nodes += [Server(url), Server(url)]
    try:
        tasks = workload(1800, 40, 30, 10, seed=2)
        ports = [n.port for n in nodes]
        latencies = []
        kill_time = []

        def kill_c():
            kill_time.append(time.monotonic())
            nodes[2].kill()

        acked, errors = run_until_killed(ports, tasks, 500, kill_c, workers=72, latencies=latencies)
        check(kill_time and not nodes[2].alive(), "node C was not killed")
        killed_at = kill_time[0]
        after = [(s, t) for (at, node, s, t) in latencies if node < 2 and at >= killed_at]
        after_failed = [x for x in after if x[0] != 200]
        after_seconds = [t for _, t in after]
        p99, worst = percentile(after_seconds, 0.99), max(after_seconds or [0])
        check(len(after) > 100, f"only {len(after)} requests reached A and B after the kill")
        check(not after_failed, f"A and B failed {len(after_failed)} requests after C was killed: {after_failed[:3]}")
        check(worst < 10, f"a request on A or B took {worst:.1f}s after C was killed")
        # Every acknowledged registration, whichever node took it, reads the same on A and on B.
        stats = verify_registry(ports[0], [a[:4] for a in acked], "node A")
        verify_registry(ports[1], [a[:4] for a in acked], "node B")
        by_node = [sum(1 for a in acked if a[4] == n) for n in range(3)]
        return (f"{len(tasks)} registrations over 3 nodes, C killed after {by_node[2]} of its own acks; "
                f"acked A/B/C {by_node[0]}/{by_node[1]}/{by_node[2]}; after the kill A+B answered {len(after)} "
                f"requests, 0 failed, p99 {p99 * 1000:.0f} ms, max {worst * 1000:.0f} ms; {stats[0]} subjects "
                f"with contiguous versions ({stats[1]} versions), {stats[2]} distinct ids, no duplicates, A and B agree")
    finally:
        for node in nodes:
            node.kill()


# MARK: 3. PostgreSQL stopped and restarted under load


def scenario_postgres_restart():
    url = fresh_database("restart")
    server = Server(url)
    try:
        set_compatibility_none(server.port)
        acked, lock = [], threading.Lock()
        events = []  # (time, kind, status, seconds, body)
        stop = threading.Event()
        counter = iter(range(10**9))

        def loader(worker):
            client = Client(server.port, timeout=30)
            while not stop.is_set():
                n = next(counter)
                if n % 3 == 0:
                    subject, schema = f"load{n % 20}", avro(f"L{n}", 1 + n % 5)
                    status, body, seconds = client.call("POST", f"/subjects/{subject}/versions", {"schema": schema})
                    with lock:
                        events.append((time.monotonic(), "write", status, seconds, body))
                        if status == 200:
                            acked.append((subject, schema, body["id"], body["version"]))
                else:
                    path = f"/subjects/load{n % 20}/versions/latest" if n % 3 == 1 else "/subjects"
                    status, body, seconds = client.call("GET", path)
                    with lock:
                        events.append((time.monotonic(), "read", status, seconds, body))
                if status is None or status >= 500:
                    time.sleep(0.05)
            client.close()

        threads = [threading.Thread(target=loader, args=(i,)) for i in range(12)]
        for t in threads:
            t.start()
        time.sleep(4)
        before = len(acked)
        down_at = time.monotonic()
        postgres("halt")
        time.sleep(8)
        up_at = time.monotonic()
        postgres("resume")
        recovered_at = None
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            with lock:
                recovered_at = next((e[0] for e in events if e[0] > up_at and e[1] == "write" and e[2] == 200), None)
            if recovered_at:
                break
            time.sleep(0.1)
        time.sleep(3)
        stop.set()
        for t in threads:
            t.join(timeout=150)
        check(server.alive(), "the server died")
        check(before > 0, "nothing was registered before PostgreSQL stopped")
        began_down = [e for e in events if down_at <= e[0] - e[3] < up_at]
        hung = [e for e in began_down if e[2] is None]
        outcome = (f"{len(began_down)} requests began while down: {sum(1 for e in began_down if e[2] == 200)} "
                   f"answered 200, {sum(1 for e in began_down if e[2] is not None and e[2] != 200)} answered an "
                   f"error, {len(hung)} got no answer within the client's 30 s (p99 "
                   f"{percentile([e[3] for e in began_down], 0.99):.1f}s)")
        check(recovered_at is not None, f"no registration succeeded within 60 s of PostgreSQL's return; {outcome}")
        waited = [e for e in began_down if e[0] >= up_at]
        check(not hung and not waited,
              f"requests waited for PostgreSQL instead of failing fast: {outcome}; {len(waited)} of them were "
              f"answered only after PostgreSQL was back (max {max([e[3] for e in began_down] or [0]):.1f}s); "
              f"first write OK {recovered_at - up_at:.1f}s after PostgreSQL was back; "
              f"down {up_at - down_at:.1f}s")
        # The requests that started while PostgreSQL was down (after the halt returned).
        down = [e for e in events if down_at + 0.5 < e[0] - e[3] and e[0] < up_at]
        failures = [e for e in down if e[2] != 200]
        codes = {}
        bad_bodies = []
        for e in failures:
            code = e[4].get("error_code") if isinstance(e[4], dict) else None
            codes[(e[2], code)] = codes.get((e[2], code), 0) + 1
            if e[2] is None or not 500 <= e[2] < 600 or code not in (50001, 50002, 50003):
                bad_bodies.append((e[2], str(e[4])[:120]))
        seconds = [e[3] for e in failures]
        p99, worst = percentile(seconds, 0.99), max(seconds or [0])
        served_reads = sum(1 for e in down if e[2] == 200)
        check(failures, "no request failed while PostgreSQL was down")
        check(not bad_bodies, f"failures without a Confluent 5xx body: {bad_bodies[:3]}")
        check(p99 < 3, f"p99 of failures while down is {p99:.2f}s")
        stats = verify_registry(server.port, acked, "after PostgreSQL's restart")
        code_text = ", ".join(f"{s}/{c}: {n}" for (s, c), n in sorted(codes.items(), key=str))
        return (f"down {up_at - down_at:.1f}s: {len(failures)} failures, p99 {p99 * 1000:.0f} ms, max "
                f"{worst * 1000:.0f} ms ({code_text}), {served_reads} reads served from cache; first write OK "
                f"{recovered_at - up_at:.1f}s after PostgreSQL was back; all {len(acked)} acknowledged "
                f"registrations present ({stats[1]} versions)")
    finally:
        server.kill()


# MARK: 4. disk full


def scenario_disk_full():
    folder = tempfile.mkdtemp(prefix="accord-stress-disk-")
    mount = os.path.join(folder, "fs")
    os.mkdir(mount)
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", mount],
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode == 0
    preexec, how = None, "4 MiB tmpfs filled up"
    if not mounted:
        # Not root, or no mounts here: a file size limit makes the store's writes fail (EFBIG) as ENOSPC would.
        how = "RLIMIT_FSIZE 600 KiB (no tmpfs mount here)"

        def preexec():
            signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
            resource.setrlimit(resource.RLIMIT_FSIZE, (600 * 1024, 600 * 1024))
    server = None
    try:
        server = Server("sqlite:" + os.path.join(mount, "r.sqlite"), folder=folder, preexec=preexec)
        set_compatibility_none(server.port)
        acked = []
        for i in range(20):
            schema = avro(f"Before{i}", 4)
            status, body, _ = register(server.port, f"before{i % 4}", schema)
            check(status == 200, f"registration before the disk filled answered {status} {body}")
            acked.append((f"before{i % 4}", schema, body["id"], body["version"]))
        if mounted:
            filler = os.path.join(mount, "filler")
            descriptor = os.open(filler, os.O_WRONLY | os.O_CREAT, 0o600)
            try:
                while os.write(descriptor, b"\0" * 65536) > 0:
                    pass
            except OSError:
                pass
            finally:
                os.close(descriptor)
        # Large schemas, so every registration needs new pages.
        statuses, codes, write_seconds = {}, {}, []
        for i in range(40):
            schema = avro(f"Full{i}", 300)
            status, body, seconds = register(server.port, f"full{i % 4}", schema)
            write_seconds.append(seconds)
            statuses[status] = statuses.get(status, 0) + 1
            if status == 200:
                acked.append((f"full{i % 4}", schema, body["id"], body["version"]))
            else:
                codes[body.get("error_code") if isinstance(body, dict) else str(body)[:60]] = 1 + codes.get(
                    body.get("error_code") if isinstance(body, dict) else str(body)[:60], 0)
        check(server.alive(), f"the server died on a full disk: {server.stderr()[-1000:]}")
        failed = sum(n for s, n in statuses.items() if s != 200)
        check(failed > 0, f"no write failed on the full disk: {statuses}")
        bad = {s: n for s, n in statuses.items() if s is None or (s != 200 and not 500 <= s < 600)}
        check(not bad, f"writes on the full disk failed without a 5xx answer: {statuses}")
        check(all(isinstance(c, int) and c >= 50000 for c in codes), f"error bodies without a 5xx error code: {codes}")
        reads_ok = 0
        for i in range(50):
            subject, schema, id_, version = acked[i % len(acked)]
            s1, b1, _ = client_for(server.port).call("GET", f"/schemas/ids/{id_}")
            s2, b2, _ = client_for(server.port).call("GET", f"/subjects/{subject}/versions/{version}")
            s3, _, _ = client_for(server.port).call("GET", "/subjects")
            if s1 == 200 and s2 == 200 and s3 == 200 and b2["id"] == id_:
                reads_ok += 1
        check(reads_ok == 50, f"only {reads_ok}/50 rounds of reads worked on the full disk")
        if mounted:
            os.remove(filler)
        else:
            server.stop()
            server = Server("sqlite:" + os.path.join(mount, "r.sqlite"), folder=folder)
        schema = avro("AfterFree", 2)
        recovered = None
        for _ in range(50):
            status, body, _ = register(server.port, "after", schema)
            if status == 200:
                recovered = body
                acked.append(("after", schema, body["id"], body["version"]))
                break
            time.sleep(0.1)
        check(recovered is not None, "writes did not work again once space was freed")
        check(server.stop() == 0, "the server did not stop cleanly after the full disk")
        server = Server("sqlite:" + os.path.join(mount, "r.sqlite"), folder=folder)
        stats = verify_registry(server.port, acked, "after the full disk")
        code_text = ", ".join(f"{s}: {n}" for s, n in sorted(statuses.items(), key=str))
        return (f"{how}: 40 large registrations answered {{{code_text}}}, error codes {sorted(codes, key=str)}, "
                f"max {max(write_seconds) * 1000:.0f} ms; 150/150 reads OK while full; server alive; writes work "
                f"again once space is freed; after restart {stats[1]} versions, all {len(acked)} acked present")
    finally:
        if server is not None:
            server.kill()
        if mounted:
            subprocess.run(["umount", "-l", mount], stderr=subprocess.DEVNULL)
        shutil.rmtree(folder, ignore_errors=True)


# MARK: 5. slow and abusive clients


def raw_request(port, payload, timeout=30):
    """Sends `payload` on a new connection and returns (status line, seconds) or (error, seconds)."""
    start = time.monotonic()
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=timeout) as s:
            try:
                s.sendall(payload)
            except OSError:
                pass  # the server may answer (413) and close before reading everything
            data = b""
            while b"\r\n" not in data:
                chunk = s.recv(65536)
                if not chunk:
                    break
                data += chunk
            while b"\r\n\r\n" in data and len(data) < 100000:
                # Read the rest of a short body.
                try:
                    s.settimeout(1)
                    chunk = s.recv(65536)
                except OSError:
                    break
                if not chunk:
                    break
                data += chunk
            return data.split(b"\r\n", 1)[0].decode(errors="replace"), data, time.monotonic() - start
    except OSError as error:
        return repr(error), b"", time.monotonic() - start


def post_payload(path, body, declared=None):
    head = (f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: {CONTENT_TYPE}\r\n"
            f"Content-Length: {declared if declared is not None else len(body)}\r\nConnection: close\r\n\r\n")
    return head.encode() + body


def error_code(data):
    try:
        return json.loads(data.split(b"\r\n\r\n", 1)[1]).get("error_code")
    except (ValueError, IndexError, AttributeError):
        return None


def scenario_abuse(idle_connections, duration):
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = idle_connections + 2000
    if soft < wanted:
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(wanted, hard), hard))
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    check(soft >= idle_connections + 500, f"cannot raise the open-file limit to {wanted} (hard limit {hard})")
    server = Server("memory:")
    sockets = []
    try:
        port = server.port
        normal_schema = avro("Normal", 3)
        status, body, _ = register(port, "normal", normal_schema)
        check(status == 200, f"registration answered {status}")
        normal_id = body["id"]
        rss_start = server.rss_kib()

        def normal_gets(count, fresh):
            seconds, failures = [], 0
            for i in range(count):
                client = Client(port, timeout=60) if fresh else client_for(port, 60)
                path = "/subjects/normal/versions/latest" if i % 2 else f"/schemas/ids/{normal_id}"
                status, _, elapsed = client.call("GET", path)
                if fresh:
                    client.close()
                seconds.append(elapsed)
                failures += status != 200
            return seconds, failures

        baseline, _ = normal_gets(100, True)
        stop = threading.Event()
        rss_peak = [rss_start]

        def sample_rss():
            while not stop.is_set():
                rss_peak[0] = max(rss_peak[0], server.rss_kib())
                time.sleep(0.1)

        loris = {"opened": 0, "closed_by_server": 0}

        def slow_loris():
            # 100 connections at a time, each dribbling one header byte every 0.5 s.
            active = []
            line = b"GET /subjects HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: " + b"a" * 10000
            while not stop.is_set():
                while len(active) < 100 and not stop.is_set():
                    try:
                        s = socket.create_connection(("127.0.0.1", port), timeout=5)
                        s.setblocking(False)
                        active.append([s, 0])
                        loris["opened"] += 1
                    except OSError:
                        break
                for entry in list(active):
                    s, sent = entry
                    try:
                        s.send(line[sent:sent + 1])
                        entry[1] += 1
                        if s.recv(1, socket.MSG_PEEK) == b"":
                            raise ConnectionResetError
                    except BlockingIOError:
                        pass
                    except OSError:
                        loris["closed_by_server"] += 1
                        s.close()
                        active.remove(entry)
                time.sleep(0.5)
            for s, _ in active:
                s.close()

        threads = [threading.Thread(target=sample_rss), threading.Thread(target=slow_loris)]
        for t in threads:
            t.start()
        # Idle connections: connected (the kernel completes the handshake for the backlog), never a byte sent.
        opened = 0
        for _ in range(idle_connections):
            s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            s.setblocking(False)
            s.connect_ex(("127.0.0.1", port))
            sockets.append(s)
            opened += 1
        abuse_results = {}

        def abusive():
            big = post_payload("/subjects/big/versions", b'{"schema":"' + b"x" * 1000 + b'"}', declared=17 << 20)
            abuse_results["17 MiB declared body"] = raw_request(port, big)
            chunked = (b"POST /subjects/big/versions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                       b"Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
                       + b"".join(b"100000\r\n" + b"[" * 0x100000 + b"\r\n" for _ in range(17)) + b"0\r\n\r\n")
            abuse_results["17 MiB chunked body"] = raw_request(port, chunked)
            nested = b'{"schema":' + b"[" * 200000 + b"]" * 200000 + b"}"
            abuse_results["200k-deep JSON body"] = raw_request(port, post_payload("/subjects/deep/versions", nested))
            inner = json.dumps({"schema": "[" * 100000 + "]" * 100000}).encode()
            abuse_results["100k-deep schema"] = raw_request(port, post_payload("/subjects/deep/versions", inner))
            objects = b'{"schema":"x","a":' + b'{"a":' * 100000 + b"1" + b"}" * 100000 + b"}"
            abuse_results["100k-deep object"] = raw_request(port, post_payload("/subjects/deep/versions", objects))
            fields = (1 << 20) // 52
            huge = avro("Huge", fields)
            while len(huge.encode()) > (1 << 20) - 100:
                fields -= 10
                huge = avro("Huge", fields)
            abuse_results[f"{len(huge.encode()) // 1024} KiB schema"] = raw_request(
                port, post_payload("/subjects/huge/versions", json.dumps({"schema": huge}).encode()), timeout=120)
            over = avro("Over", (1 << 20) // 50 + 200)
            abuse_results[f"{len(over.encode()) // 1024} KiB schema (over the limit)"] = raw_request(
                port, post_payload("/subjects/huge/versions", json.dumps({"schema": over}).encode()), timeout=120)
            abuse_results["garbage request line"] = raw_request(port, b"\x00\xff" * 5000 + b"\r\n\r\n")

        abuser = threading.Thread(target=abusive)
        abuser.start()
        during_fresh, fresh_failures = [], 0
        during_kept, kept_failures = [], 0
        end = time.monotonic() + duration
        while time.monotonic() < end or abuser.is_alive():
            s, f = normal_gets(10, True)
            during_fresh += s
            fresh_failures += f
            s, f = normal_gets(10, False)
            during_kept += s
            kept_failures += f
            if time.monotonic() > end + 120:
                break
        abuser.join(timeout=1)
        stop.set()
        for t in threads:
            t.join()
        check(server.alive(), f"the server died: {server.stderr()[-1000:]}")
        p99_fresh, p99_kept = percentile(during_fresh, 0.99), percentile(during_kept, 0.99)
        expected = {
            "17 MiB declared body": ("413", None),
            "17 MiB chunked body": ("413", None),
            "200k-deep JSON body": ("4", None),
            "100k-deep schema": ("422", 42201),
            "100k-deep object": ("4", None),
            "garbage request line": ("HTTP/1.1 400", None),
        }
        summary, wrong = [], []
        for name, (line, data, seconds) in abuse_results.items():
            status = line.split(" ")[1] if line.startswith("HTTP/") else line
            code = error_code(data)
            summary.append(f"{name} -> {status}{'/' + str(code) if code else ''} in {seconds:.2f}s")
            want = expected.get(name)
            if name.endswith("(over the limit)"):
                want = ("422", 42209)
            elif name.endswith("KiB schema"):
                want = ("200", None)
            if want and not (status.startswith(want[0]) or line.startswith(want[0])):
                wrong.append(f"{name}: {line}")
            if want and want[1] and code != want[1]:
                wrong.append(f"{name}: error code {code}")
        rss_end = server.rss_kib()
        figures = (f"{opened} idle connections + {loris['opened']} slow-loris connections "
                   f"({loris['closed_by_server']} closed by the server) for {duration}s; normal GET p99 "
                   f"{p99_fresh * 1000:.0f} ms on new connections ({len(during_fresh)}, {fresh_failures} failed, "
                   f"max {max(during_fresh or [0]) * 1000:.0f} ms, baseline p99 {percentile(baseline, 0.99) * 1000:.0f} ms), "
                   f"{p99_kept * 1000:.0f} ms kept alive ({len(during_kept)}, {kept_failures} failed); RSS "
                   f"{rss_start // 1024} MiB -> peak {rss_peak[0] // 1024} MiB -> {rss_end // 1024} MiB; "
                   + "; ".join(summary))
        problems = []
        if wrong:
            problems.append(f"abusive requests answered wrongly: {wrong}")
        if fresh_failures or kept_failures:
            problems.append("normal GETs failed during the abuse")
        if p99_fresh >= 2 or p99_kept >= 2:
            problems.append("normal GETs slowed down past 2 s at p99")
        if rss_peak[0] >= 1024 * 1024:
            problems.append("RSS went past 1 GiB")
        check(not problems, "; ".join(problems) + " -- " + figures)
        return figures
    finally:
        for s in sockets:
            s.close()
        server.kill()


# MARK: main


def main():
    global BIN, VERBOSE
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--bin", default=os.path.join(ROOT, ".build/debug/accord"))
    parser.add_argument("--only", action="append", help="run only scenarios whose name contains this")
    parser.add_argument("--idle-connections", type=int, default=10000)
    parser.add_argument("--abuse-seconds", type=int, default=30)
    parser.add_argument("-v", "--verbose", action="store_true")
    options = parser.parse_args()
    # SIGTERM (make interrupted, a timeout) unwinds like an exception, so every server started is killed.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    BIN, VERBOSE = os.path.abspath(options.bin), options.verbose
    if not os.access(BIN, os.X_OK):
        print(f"stress: no accord executable at {BIN}", file=sys.stderr)
        return 2
    scenarios = [
        ("1a kill -9 during registrations (SQLite)", lambda: scenario_kill9("SQLite")),
        ("1b kill -9 during registrations (PostgreSQL)", lambda: scenario_kill9(
            "PostgreSQL", fresh_database("kill"))),
        ("2 three nodes on one PostgreSQL, one killed", scenario_three_nodes),
        ("3 PostgreSQL stopped and restarted under load", scenario_postgres_restart),
        ("4 disk full under SQLite", scenario_disk_full),
        ("5 slow and abusive clients", lambda: scenario_abuse(options.idle_connections, options.abuse_seconds)),
    ]
    failed = 0
    started = time.monotonic()
    for name, run in scenarios:
        if options.only and not any(word in name for word in options.only):
            continue
        began = time.monotonic()
        try:
            figures = run()
            print(f"PASS {name} ({time.monotonic() - began:.0f}s): {figures}", flush=True)
        except Exception as error:  # noqa: BLE001 - every failure is a FAIL line, not a traceback
            failed += 1
            kind = "" if isinstance(error, Failure) else f"{type(error).__name__}: "
            print(f"FAIL {name} ({time.monotonic() - began:.0f}s): {kind}{error}", flush=True)
    print(f"stress: {'all passed' if not failed else f'{failed} failed'} in {time.monotonic() - started:.0f}s")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
