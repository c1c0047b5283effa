"""Regenerates the Python-runtime expectations of Tests/ProtobufDifferentialTests.

Run from the repository root:
    python3 Tests/ProtobufDifferentialTests/Fixtures/tools/make_fixtures.py
Made with Python 3.11.7, protobuf 7.36.2 (the upb runtime), grpcio-tools 1.85.1, whose protoc compiles
diff2.proto and diff3.proto (beside this script) into Fixtures/diff2.pb and Fixtures/diff3.pb:
    python3 -m grpc_tools.protoc -I<tools> --include_imports --descriptor_set_out=Fixtures/diffN.pb diffN.proto

Writes:
- samples.json: messages built from proto3 JSON (`input`) by the Python runtime, with its canonical JSON
  (json_format.MessageToDict) and its encoding (SerializeToString(deterministic=True), hex).
- verdicts.json: payloads on which libprotobuf-c is not a usable reference (it does not check UTF-8, has
  no depth limit, merges repeated sub-messages and proto3 scalars wrongly, rejects groups and
  mismatched wire types, accepts a missing required field that has a default), plus truncations and
  byte substitutions of every sample. Each with Python's verdict and, when accepted, its JSON.
  The verdict is what protobuf's ParseFromString means in C++: the bytes parse AND every required field
  is present (Python's upb parser leaves the required check to IsInitialized(), so both are asked).
- encodings.json: JSON inputs whose encoding protobuf-c gets wrong (negative zero in implicit-presence
  fields), with the Python runtime's bytes.
The tests need none of these tools; only the committed outputs.
"""
import json
import os
import subprocess
import sys

from google.protobuf import descriptor_pb2, json_format, message_factory
from google.protobuf.internal import api_implementation

HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURES = os.path.dirname(HERE)


def compile_schema(name):
    out = os.path.join(FIXTURES, name + ".pb")
    subprocess.run([sys.executable, "-m", "grpc_tools.protoc", "-I" + HERE, "--include_imports",
                    "--descriptor_set_out=" + out, name + ".proto"], check=True, cwd=HERE)
    descriptor_set = descriptor_pb2.FileDescriptorSet()
    with open(out, "rb") as handle:
        descriptor_set.ParseFromString(handle.read())
    return message_factory.GetMessages(list(descriptor_set.file))


def to_json(message):
    return json_format.MessageToDict(message, always_print_fields_with_no_presence=False)


def verdict(cls, data):
    try:
        message = cls.FromString(data)
    except Exception as error:  # DecodeError; the message says why
        return False, None, str(error).split(": ")[-1]
    if not message.IsInitialized():
        return False, None, "missing required fields"
    try:
        value = to_json(message)
    except json_format.SerializeToJsonError:
        value = None
    # json_format prints a proto2 string that is not UTF-8 as the repr of its bytes (b'...'), or fails:
    # proto3 JSON cannot carry such a string, so no JSON is expected then.
    if value is None or has_bytes_repr(value):
        return True, None, "accepted; no JSON (a proto2 string that is not UTF-8)"
    return True, value, "ok"


def has_bytes_repr(value):
    if isinstance(value, str):
        return value.startswith("b'") and value.endswith("'") or value.startswith('b"') and value.endswith('"')
    if isinstance(value, list):
        return any(has_bytes_repr(item) for item in value)
    if isinstance(value, dict):
        return any(has_bytes_repr(key) or has_bytes_repr(item) for key, item in value.items())
    return False


def varint(value):
    out = bytearray()
    while True:
        byte = value & 0x7F
        value >>= 7
        if value:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


def field(number, wire, payload):
    if wire == 2:
        return varint(number << 3 | 2) + varint(len(payload)) + payload
    return varint(number << 3 | wire) + payload


SAMPLES = {
    "diff3": [
        ("accord.diff.Scalars", {}),
        ("accord.diff.Scalars", {"fInt32": -1, "fInt64": "-9223372036854775808", "fUint32": 4294967295,
                                 "fUint64": "18446744073709551615", "fSint32": -2147483648,
                                 "fSint64": "9223372036854775807", "fFixed32": 1, "fFixed64": "2",
                                 "fSfixed32": -3, "fSfixed64": "-4", "fFloat": 1.5, "fDouble": 0.1,
                                 "fBool": True, "fString": "héllo 🌍", "fBytes": "AAEC/w==", "fColor": "BLUE"}),
        ("accord.diff.Scalars", {"oInt32": 0, "oSint64": "0", "oDouble": 0, "oString": "", "oBytes": "",
                                 "oBool": False, "oColor": "COLOR_UNSPECIFIED"}),
        ("accord.diff.Scalars", {"fDouble": "NaN", "fFloat": "-Infinity", "oDouble": "Infinity",
                                 "fInt32": 2147483647, "fString": "\u0000x"}),
        ("accord.diff.Scalars", {"fDouble": 1e308, "fFloat": 3.4028234663852886e38, "fSint64": "-1",
                                 "fInt64": "1", "fUint64": "0"}),
        ("accord.diff.Repeated", {}),
        ("accord.diff.Repeated", {"rInt32": [0, -1, 1, 300], "rInt64": ["-5", "5"], "rUint32": [7],
                                  "rUint64": ["18446744073709551615"], "rSint32": [-1, 1], "rSint64": ["-64"],
                                  "rFixed32": [1, 2], "rFixed64": ["3"], "rSfixed32": [-1], "rSfixed64": ["-2"],
                                  "rFloat": [0.25, -2.5], "rDouble": [1.0, -0.5], "rBool": [True, False, True],
                                  "rString": ["a", "", "ß"], "rBytes": ["", "/w=="], "rColor": ["RED", "BLUE"],
                                  "uInt32": [1, -2], "uDouble": [3.5],
                                  "rScalars": [{}, {"fInt32": 5}, {"oBool": True}]}),
        ("accord.diff.Node", {"value": 1, "label": "root",
                              "child": {"value": 2, "child": {"value": 3}},
                              "children": [{"value": 4}, {}, {"label": "x", "children": [{"value": -5}]}]}),
        ("accord.diff.Choice", {"pInt32": 0}),
        ("accord.diff.Choice", {"pString": "", "after": 3}),
        ("accord.diff.Choice", {"pNode": {}}),
        ("accord.diff.Choice", {"pBytes": "AQ=="}),
        ("accord.diff.Choice", {"pColor": "COLOR_UNSPECIFIED"}),
        ("accord.diff.Choice", {"pDouble": -0.0}),
        # One entry per map: the Python runtime writes map entries in an order of its own (even when
        # asked to be deterministic), so multi-entry maps are compared with protobuf-c instead.
        ("accord.diff.Maps", {"mString": {"": ""}, "mInt32": {"-1": "5"}, "mInt64": {"9": {"value": 1}},
                              "mUint32": {"4294967295": "GREEN"}, "mBool": {"true": "AA=="}, "mSint64": {"-3": 2.5},
                              "mFixed32": {"7": True}, "mScalars": {"s": {"fInt32": 1}}}),
        ("accord.diff.Maps", {"mString": {"a": "z"}, "mInt32": {"0": "0"}, "mInt64": {"-9": {}},
                              "mBool": {"false": ""}, "mScalars": {"": {}}}),
        ("accord.diff.Everything", {"scalars": {"fInt32": 9}, "repeated": {"rInt32": [1, 2, 3]},
                                    "node": {"value": 1}, "choice": {"pString": "x"},
                                    "maps": {"mString": {"k": "v"}}, "name": "big field number"}),
    ],
    "diff2": [
        ("accord.diff2.Record", {"key": "k"}),
        ("accord.diff2.Record", {"key": "", "count": 7, "title": "untitled", "blob": "YQBi", "ratio": -1.5,
                                 "level": "MID", "flag": True}),
        ("accord.diff2.Record", {"key": "x", "count": -1, "delta": "-100", "plain": [1, 2], "packed": [-1, 0, 1],
                                 "levels": ["HIGH", "LOW"], "inner": {"id": 3, "note": "n"},
                                 "inners": [{"id": 1}, {"id": 2}], "stamp": "18446744073709551615",
                                 "share": 0.5, "byName": {"a": {"id": 1}}}),
        ("accord.diff2.Defaulted", {"must": 3}),
        ("accord.diff2.Deep", {"next": {"next": {"level": 2}}}),
    ],
}


def special_cases(classes3, classes2):
    """Payloads where libprotobuf-c is no reference: (schema, message, hex, why)."""
    cases = []
    node = "accord.diff.Node"

    def add(schema, message, data, why):
        cases.append((schema, message, data, why))

    # UTF-8: proto3 strings must be valid (also map keys and values); proto2 strings are not checked.
    for bad in [b"\xc3\x28", b"\xff", b"\xed\xa0\x80", b"\xc0\xaf", b"\xf4\x90\x80\x80", b"ab\xe2\x82"]:
        add("diff3", node, field(4, 2, bad), "invalid UTF-8 in a proto3 string")
        add("diff3", "accord.diff.Maps", field(1, 2, field(1, 2, bad) + field(2, 2, b"v")), "invalid UTF-8 in a map key")
        add("diff3", "accord.diff.Repeated", field(14, 2, b"ok") + field(14, 2, bad), "invalid UTF-8 in a repeated string")
        add("diff2", "accord.diff2.Record", field(1, 2, bad), "proto2 strings are not UTF-8 checked")
    for good in ["\u00e9", "\u20ac", "\U0001F600", "\uffff", "\u0000"]:
        add("diff3", node, field(4, 2, good.encode()), "valid UTF-8")

    # Depth: protobuf's limit of 100 nested messages below the root.
    def nested(depth):
        data = b""
        for _ in range(depth):
            data = field(2, 2, data)
        return data
    for depth in [1, 50, 99, 100, 101, 102, 150]:
        add("diff3", node, nested(depth), f"{depth} nested messages")
    def nested_repeated(depth):
        data = field(1, 0, varint(1))
        for _ in range(depth):
            data = field(3, 2, data)
        return data
    for depth in [100, 101]:
        add("diff3", node, nested_repeated(depth), f"{depth} nested repeated messages")

    # Merging: a singular sub-message that appears twice is merged; repeated fields inside concatenate,
    # proto3 implicit scalars of the earlier one survive when the later one does not set them.
    add("diff3", node, field(2, 2, field(1, 0, varint(5))) + field(2, 2, field(4, 2, b"x")),
        "merge keeps the earlier implicit scalar")
    add("diff3", node, field(2, 2, field(3, 2, field(1, 0, varint(1)))) + field(2, 2, field(3, 2, field(1, 0, varint(2)))),
        "merge concatenates repeated sub-messages")
    add("diff3", node, field(3, 2, field(2, 2, field(1, 0, varint(1)))) + field(3, 2, field(2, 2, field(4, 2, b"y"))),
        "repeated sub-messages are not merged with each other")
    add("diff3", node, field(2, 2, field(2, 2, field(1, 0, varint(1)) + field(3, 2, b""))) + field(2, 2, field(2, 2, field(3, 2, field(4, 2, b"z")))),
        "merge two levels deep")
    add("diff3", "accord.diff.Scalars", field(1, 0, varint(5)) + field(1, 0, varint(0)), "last value wins, even zero")
    add("diff3", "accord.diff.Choice", field(3, 2, field(1, 0, varint(1))) + field(3, 2, field(4, 2, b"q")),
        "a oneof sub-message seen twice is merged")
    add("diff3", "accord.diff.Choice", field(3, 2, field(1, 0, varint(1))) + field(1, 0, varint(2)) + field(3, 2, field(4, 2, b"q")),
        "another oneof member in between resets the sub-message")
    add("diff3", "accord.diff.Maps", field(1, 2, field(1, 2, b"k") + field(2, 2, b"a")) + field(1, 2, field(1, 2, b"k") + field(2, 2, b"b")),
        "a repeated map key: the last entry wins")
    add("diff3", "accord.diff.Maps", field(1, 2, field(2, 2, b"v")) + field(2, 2, field(1, 0, varint(3))),
        "map entries without key or value take defaults")
    # upb keeps a map entry that holds any unknown field (another number, or a key or value of the wrong
    # wire type) whole among the parent's unknown fields: it is left out of the map.
    add("diff3", "accord.diff.Maps", field(1, 2, field(1, 2, b"a") + field(2, 2, b"z") + field(3, 0, varint(1))),
        "a map entry with an unknown field is not in the map")
    add("diff3", "accord.diff.Maps", field(1, 2, field(1, 2, b"a") + field(2, 0, varint(1))),
        "a map entry whose value has the wrong wire type is not in the map")
    add("diff3", "accord.diff.Maps", field(7, 2, field(1, 2, b"") + field(2, 2, b"")),
        "a map entry whose key and value have the wrong wire types is not in the map")
    add("diff3", "accord.diff.Maps", field(1, 2, field(1, 2, b"a")) + field(1, 2, field(1, 2, b"b") + field(9, 2, b"")),
        "only the entry with an unknown field is left out")
    add("diff3", "accord.diff.Maps", field(1, 2, field(1, 2, b"a") + field(3, 2, b"\xff")),
        "an unknown field in a map entry is not checked as UTF-8")
    add("diff3", "accord.diff.Maps", field(3, 2, field(1, 0, varint(1)) + field(2, 2, field(1, 0, varint(1))) + field(2, 2, field(4, 2, b"m"))),
        "a map value message seen twice within one entry is merged")

    # Wire types: a known field with the wrong wire type is kept as an unknown field; groups are skipped.
    add("diff3", node, field(1, 2, b"\x01"), "varint field sent length-delimited")
    add("diff3", node, field(1, 5, b"\x01\x00\x00\x00"), "varint field sent as fixed32")
    add("diff3", node, field(4, 0, varint(3)), "string field sent as varint")
    add("diff3", "accord.diff.Scalars", field(13, 2, b"\x01"), "bool field sent length-delimited")
    add("diff3", "accord.diff.Scalars", field(12, 5, b"\x00\x00\x80\x3f"), "double field sent as fixed32")
    add("diff3", "accord.diff.Repeated", field(1, 2, b""), "empty packed run")
    add("diff3", "accord.diff.Repeated", field(1, 0, varint(1)) + field(1, 2, varint(2) + varint(3)) + field(1, 0, varint(4)),
        "packed and unpacked elements mixed")
    add("diff3", "accord.diff.Repeated", field(17, 2, varint(1) + varint(2)), "packed run for a [packed=false] field")
    add("diff3", "accord.diff.Repeated", field(7, 2, b"\x01\x00\x00"), "packed fixed32 run cut short")
    add("diff3", "accord.diff.Repeated", field(1, 2, b"\x80"), "packed varint run cut short")
    add("diff3", "accord.diff.Repeated", field(14, 0, varint(1)), "repeated string sent as varint")
    add("diff3", node, varint(99 << 3 | 3) + field(1, 0, varint(1)) + varint(99 << 3 | 4), "unknown group")
    add("diff3", node, varint(99 << 3 | 3) + varint(98 << 3 | 3) + varint(98 << 3 | 4) + varint(99 << 3 | 4), "nested unknown groups")
    add("diff3", node, varint(99 << 3 | 3) + field(1, 0, varint(1)), "unterminated group")
    add("diff3", node, varint(99 << 3 | 3) + varint(98 << 3 | 4), "group ended with the wrong number")
    add("diff3", node, varint(99 << 3 | 4), "end group without a start")
    add("diff3", node, varint(2 << 3 | 3) + varint(2 << 3 | 4), "known message field sent as a group")
    add("diff3", node, varint(99 << 3 | 6), "wire type 6")
    add("diff3", node, varint(99 << 3 | 7) + b"\x00", "wire type 7")
    add("diff3", node, b"\x00", "field number 0")
    add("diff3", node, b"\x02\x00", "field number 0, length-delimited")
    add("diff3", node, varint((1 << 29) - 1 << 3) + varint(1), "largest field number")
    add("diff3", node, b"\x80\x80\x80\x80\x10" + varint(1), "tag beyond 32 bits")
    add("diff3", node, b"\x88\x80\x80\x80\x00" + varint(1), "tag padded to five bytes")
    add("diff3", node, b"\x88\x80\x80\x80\x80\x00" + varint(1), "tag padded to six bytes")
    add("diff3", node, b"\x08" + b"\xff" * 9 + b"\x01", "ten-byte varint")
    add("diff3", node, b"\x08" + b"\xff" * 9 + b"\x7f", "ten-byte varint with high bits in the last byte")
    add("diff3", node, b"\x08" + b"\xff" * 10 + b"\x01", "eleven-byte varint")
    add("diff3", node, b"\x08" + b"\x80" * 9 + b"\x00", "ten-byte varint of zero")
    add("diff3", "accord.diff.Scalars", field(13, 0, varint(2)), "bool of 2")
    add("diff3", "accord.diff.Scalars", field(13, 0, b"\xff" * 9 + b"\x01"), "bool of a ten-byte varint")
    add("diff3", "accord.diff.Scalars", field(1, 0, varint(1 << 40)), "int32 with high bits (truncated)")
    add("diff3", "accord.diff.Scalars", field(3, 0, varint(1 << 33)), "uint32 with high bits (truncated)")
    add("diff3", "accord.diff.Scalars", field(16, 0, varint(77)), "open enum, unknown value")
    add("diff3", "accord.diff.Scalars", field(14, 2, b"ab")[:-1], "string cut short")
    add("diff3", "accord.diff.Scalars", b"\x72\xff\xff\xff\xff\x0f", "string length beyond the input")
    add("diff3", "accord.diff.Scalars", b"\x72\xff\xff\xff\xff\xff\xff\xff\xff\x01", "string length of 2^64-1")
    add("diff3", node, field(2, 2, b"\x08"), "sub-message cut short inside its length")
    add("diff3", node, b"\x12\x03\x08\x01", "sub-message length beyond the input")
    add("diff3", node, field(99, 1, b"\x00" * 7), "unknown fixed64 cut short")
    add("diff3", node, field(99, 5, b"\x00" * 4) + field(99, 1, b"\x00" * 8) + field(99, 2, b"abc") + field(99, 0, varint(5)),
        "unknown fields of every wire type")

    # proto2: required fields (also with a default), closed enums keep unknown values out of the field.
    add("diff2", "accord.diff2.Record", b"", "missing required field")
    add("diff2", "accord.diff2.Defaulted", b"", "missing required field that has a default")
    add("diff2", "accord.diff2.Defaulted", field(2, 2, b"t"), "missing required field that has a default, other set")
    add("diff2", "accord.diff2.Record", field(1, 2, b"k") + field(12, 2, b""), "missing required field in a sub-message")
    add("diff2", "accord.diff2.Record", field(1, 2, b"k") + field(13, 2, field(1, 0, varint(1))) + field(13, 2, b""),
        "missing required field in a repeated sub-message")
    add("diff2", "accord.diff2.Record", field(1, 2, b"k") + field(16, 2, field(1, 2, b"a") + field(2, 2, b"")),
        "missing required field in a map value")
    add("diff2", "accord.diff2.Record", field(1, 2, b"k") + field(6, 0, varint(2)), "closed enum, unknown value")
    add("diff2", "accord.diff2.Record", field(1, 2, b"k") + field(11, 0, varint(1)) + field(11, 0, varint(3)) + field(11, 0, varint(9)),
        "closed enum, unknown value among repeated ones")
    add("diff2", "accord.diff2.Record", field(1, 2, b"k") + field(11, 2, varint(5) + varint(4)), "closed enum, packed, one unknown")
    add("diff2", "accord.diff2.Record", field(1, 2, b"k") + field(9, 2, varint(1) + varint(2)), "packed run for an unpacked proto2 field")
    add("diff2", "accord.diff2.Record", field(1, 2, b"k") + field(1, 2, b"second"), "required field twice: the last wins")
    return cases


def mutations(data):
    """Deterministic damage: every truncation and a few byte substitutions."""
    out = []
    step = 1 if len(data) <= 40 else max(1, len(data) // 32)
    for end in range(0, len(data), step):
        out.append(("truncated to %d bytes" % end, data[:end]))
    positions = sorted(set(range(0, len(data), max(1, len(data) // 8))))
    for position in positions:
        for value in (0x00, 0xFF, 0x80, 0x7F, 0x0B, 0x0C, 0x3A):
            if data[position] == value:
                continue
            out.append(("byte %d set to 0x%02x" % (position, value), data[:position] + bytes([value]) + data[position + 1:]))
    return out


def main():
    if api_implementation.Type() != "upb":
        sys.exit("the protobuf runtime must be upb, not " + api_implementation.Type())
    classes = {"diff3": compile_schema("diff3"), "diff2": compile_schema("diff2")}
    samples = []
    verdicts = []
    for schema, entries in SAMPLES.items():
        for name, document in entries:
            cls = classes[schema][name]
            message = json_format.ParseDict(document, cls())
            data = message.SerializeToString(deterministic=True)
            # `input` lists map keys in the order deterministic serialization sorts them, so an encoder that
            # keeps the input order must produce `hex` exactly.
            samples.append({"schema": schema, "message": name, "input": document, "json": to_json(message),
                            "hex": data.hex()})
            for why, damaged in mutations(data):
                accept, value, reason = verdict(cls, damaged)
                verdicts.append({"schema": schema, "message": name, "hex": damaged.hex(), "accept": accept,
                                 "json": value, "why": why, "python": reason})
    for schema, name, data, why in special_cases(classes["diff3"], classes["diff2"]):
        accept, value, reason = verdict(classes[schema][name], data)
        verdicts.append({"schema": schema, "message": name, "hex": data.hex(), "accept": accept,
                         "json": value, "why": why, "python": reason})

    encodings = []
    negative_zero = [
        ("diff3", "accord.diff.Scalars", {"fDouble": -0.0}),
        ("diff3", "accord.diff.Scalars", {"fFloat": -0.0}),
        ("diff3", "accord.diff.Scalars", {"fFloat": -0.0, "fDouble": -0.0, "fInt32": 0}),
        ("diff3", "accord.diff.Maps", {"mSint64": {"0": -0.0}}),
        ("diff3", "accord.diff.Repeated", {"rDouble": [-0.0, 0.0]}),
    ]
    for schema, name, document in negative_zero:
        message = json_format.ParseDict(document, classes[schema][name]())
        encodings.append({"schema": schema, "message": name, "json": document,
                          "hex": message.SerializeToString(deterministic=True).hex()})

    for file_name, value in [("samples.json", samples), ("verdicts.json", verdicts), ("encodings.json", encodings)]:
        with open(os.path.join(FIXTURES, file_name), "w") as handle:
            # One entry per line: reviewable diffs without the bulk of indentation.
            handle.write("[\n" + ",\n".join(json.dumps(entry, ensure_ascii=False) for entry in value) + "\n]\n")
    print(f"{len(samples)} samples, {len(verdicts)} verdicts, {len(encodings)} encodings")


if __name__ == "__main__":
    main()
