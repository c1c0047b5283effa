"""fastavro side of `make bench` (run by accord-bench, once per round).

Usage: fastavro_bench.py SCHEMA.avsc RECORDS.bin [MIN_SECONDS]

RECORDS.bin holds a little-endian u32 record count, then for each record a u32 length and its
Avro binary encoding (no framing). Prints one line: `fastavro-read=<records/s> fastavro-write=<records/s>`.
Each figure repeats whole passes over the records until at least MIN_SECONDS have elapsed.
"""
import io
import json
import struct
import sys
import time

import fastavro


def load_records(path):
    with open(path, "rb") as handle:
        data = handle.read()
    (count,) = struct.unpack_from("<I", data, 0)
    offset = 4
    records = []
    for _ in range(count):
        (length,) = struct.unpack_from("<I", data, offset)
        offset += 4
        records.append(data[offset:offset + length])
        offset += length
    return records


def rate(one_pass, count, min_seconds):
    passes = 0
    start = time.perf_counter()
    while True:
        one_pass()
        passes += 1
        elapsed = time.perf_counter() - start
        if elapsed >= min_seconds:
            return passes * count / elapsed


def main():
    schema_path, records_path = sys.argv[1], sys.argv[2]
    min_seconds = float(sys.argv[3]) if len(sys.argv) > 3 else 0.25
    with open(schema_path) as handle:
        schema = fastavro.parse_schema(json.load(handle))
    records = load_records(records_path)
    count = len(records)
    # One stream of all records back to back: fastavro's fastest way to read many datums.
    stream = b"".join(records)

    def read_pass():
        source = io.BytesIO(stream)
        reader = fastavro.schemaless_reader
        for _ in range(count):
            reader(source, schema, None)

    datums = []
    source = io.BytesIO(stream)
    for _ in range(count):
        datums.append(fastavro.schemaless_reader(source, schema, None))

    def write_pass():
        sink = io.BytesIO()
        writer = fastavro.schemaless_writer
        for datum in datums:
            writer(sink, schema, datum)
        return sink

    # The records must survive a round trip through fastavro unchanged, or the figures mean nothing.
    if write_pass().getvalue() != stream:
        print("fastavro re-encoding differs from the input records", file=sys.stderr)
        sys.exit(1)

    read = rate(read_pass, count, min_seconds)
    write = rate(write_pass, count, min_seconds)
    print(f"fastavro-read={read:.0f} fastavro-write={write:.0f}")


if __name__ == "__main__":
    main()
