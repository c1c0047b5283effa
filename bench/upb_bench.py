"""Python protobuf (upb) side of `make bench` (run by accord-bench, once per round).

Usage: upb_bench.py DESCRIPTOR_SET.pb MESSAGE_NAME RECORDS.bin [MIN_SECONDS [parse|serialize|both]]

DESCRIPTOR_SET.pb is a FileDescriptorSet (bench/bench.pb); MESSAGE_NAME a full message name
(accord.bench.Order). RECORDS.bin holds a little-endian u32 record count, then for each record a u32
length and its Protobuf encoding. Prints one line: `upb-parse=<records/s> upb-parse-checksum=<hex>
upb-serialize=<records/s> upb-serialize-checksum=<hex>` (the figures asked for). Each figure warms up for
MIN_SECONDS/4 (at least one pass), then repeats whole passes over the records until at least MIN_SECONDS
have elapsed. Checksums are the folds accord-bench and bench/cpp/proto_peer.cc compute: FNV-1a over 64-bit
words of each parsed message's `id`, or of each serialization's size and last byte.
The message classes are built at run time from the descriptor set (no generated code, no protoc).
"""
import struct
import sys
import time

from google.protobuf import descriptor_pb2, message_factory
from google.protobuf.internal import api_implementation


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


MASK = (1 << 64) - 1
PRIME = 0x100000001B3
SEED = 0xCBF29CE484222325


def rate(one_pass, count, min_seconds):
    start = time.perf_counter()
    while True:
        one_pass()
        if time.perf_counter() - start >= min_seconds / 4:
            break
    passes = 0
    start = time.perf_counter()
    while True:
        checksum = one_pass()
        passes += 1
        elapsed = time.perf_counter() - start
        if elapsed >= min_seconds:
            return passes * count / elapsed, checksum


def main():
    descriptor_path, message_name, records_path = sys.argv[1], sys.argv[2], sys.argv[3]
    min_seconds = float(sys.argv[4]) if len(sys.argv) > 4 else 0.25
    mode = sys.argv[5] if len(sys.argv) > 5 else "both"
    if api_implementation.Type() != "upb":
        print(f"the protobuf runtime is {api_implementation.Type()}, not upb", file=sys.stderr)
        sys.exit(1)
    descriptor_set = descriptor_pb2.FileDescriptorSet()
    with open(descriptor_path, "rb") as handle:
        descriptor_set.ParseFromString(handle.read())
    message_class = message_factory.GetMessages(list(descriptor_set.file))[message_name]
    records = load_records(records_path)
    count = len(records)

    def parse_pass():
        h = SEED
        for record in records:
            message = message_class()
            message.ParseFromString(record)
            h = ((h ^ (message.id & MASK)) * PRIME) & MASK
        return h

    messages = [message_class.FromString(record) for record in records]

    def serialize_pass():
        h = SEED
        for message in messages:
            data = message.SerializeToString()
            h = ((h ^ len(data)) * PRIME) & MASK
            h = ((h ^ data[-1]) * PRIME) & MASK
        return h

    # Every record must come back byte for byte (map keys are generated sorted, so deterministic
    # serialization reproduces them), or comparing speeds would be meaningless.
    for index, message in enumerate(messages):
        if message.SerializeToString(deterministic=True) != records[index]:
            print(f"upb re-encodes record {index} differently", file=sys.stderr)
            sys.exit(1)

    words = []
    if mode in ("parse", "both"):
        parse, checksum = rate(parse_pass, count, min_seconds)
        words.append(f"upb-parse={parse:.0f} upb-parse-checksum={checksum:016x}")
    if mode in ("serialize", "both"):
        serialize, checksum = rate(serialize_pass, count, min_seconds)
        words.append(f"upb-serialize={serialize:.0f} upb-serialize-checksum={checksum:016x}")
    print(" ".join(words))


if __name__ == "__main__":
    main()
