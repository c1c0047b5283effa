"""Python protobuf (upb) side of `make bench` (run by accord-bench, once per round).

Usage: upb_bench.py DESCRIPTOR_SET.pb MESSAGE_NAME RECORDS.bin [MIN_SECONDS]

DESCRIPTOR_SET.pb is a FileDescriptorSet (bench/bench.pb); MESSAGE_NAME a full message name
(accord.bench.Order). RECORDS.bin holds a little-endian u32 record count, then for each record a u32
length and its Protobuf encoding. Prints one line: `upb-parse=<records/s> upb-serialize=<records/s>`.
Each figure repeats whole passes over the records until at least MIN_SECONDS have elapsed.
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
    descriptor_path, message_name, records_path = sys.argv[1], sys.argv[2], sys.argv[3]
    min_seconds = float(sys.argv[4]) if len(sys.argv) > 4 else 0.25
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
        for record in records:
            message = message_class()
            message.ParseFromString(record)

    messages = [message_class.FromString(record) for record in records]

    def serialize_pass():
        total = 0
        for message in messages:
            total += len(message.SerializeToString())
        return total

    # Every record must come back byte for byte (map keys are generated sorted, so deterministic
    # serialization reproduces them), or comparing speeds would be meaningless.
    for index, message in enumerate(messages):
        if message.SerializeToString(deterministic=True) != records[index]:
            print(f"upb re-encodes record {index} differently", file=sys.stderr)
            sys.exit(1)

    parse = rate(parse_pass, count, min_seconds)
    serialize = rate(serialize_pass, count, min_seconds)
    print(f"upb-parse={parse:.0f} upb-serialize={serialize:.0f}")


if __name__ == "__main__":
    main()
