#!/usr/bin/env python3
"""Regenerates the ProtobufCodecTests fixtures from the .proto files in ../proto.

Command (run from this folder):
    pip install protobuf==7.36.2 grpcio-tools==1.85.1
    python3 generate.py

Tools: grpcio-tools 1.85.1 (`python3 -m grpc_tools.protoc`, libprotoc 35.1, editions 2023),
protobuf 7.36.2 Python runtime with the upb backend.

Writes:
  ../<name>.pb         FileDescriptorSet of ../proto/<name>.proto with its imports (--include_imports)
  ../corpus.json       valid messages: payload hex, MessageToJson output (default options), and the
                       deterministic serialization of the message Parse()d back from that JSON
  ../verdicts.json     hand-made and seeded-mutation payloads with the runtime's verdict: accepted when
                       ParseFromString succeeds and IsInitialized() holds (C++'s ParseFromString checks
                       required fields itself; Python's leaves it to IsInitialized)
  ../json_inputs.json  JSON inputs with Python's Parse verdict and, when accepted, the deterministic bytes
"""
import importlib
import json
import os
import random
import struct
import subprocess
import sys
import tempfile

from google.protobuf import json_format, message
from google.protobuf import any_pb2, duration_pb2, field_mask_pb2, struct_pb2, timestamp_pb2, wrappers_pb2

HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURES = os.path.dirname(HERE)
PROTO = os.path.join(FIXTURES, "proto")
NAMES = ["codec_proto3", "codec_proto2", "codec_editions", "codec_editions_file"]

out_dir = tempfile.mkdtemp()
for name in NAMES:
    subprocess.check_call([sys.executable, "-m", "grpc_tools.protoc", "-I" + PROTO, "--include_imports",
                           "--descriptor_set_out=" + os.path.join(FIXTURES, name + ".pb"),
                           "--python_out=" + out_dir, os.path.join(PROTO, name + ".proto")])
sys.path.insert(0, out_dir)
modules = {name: importlib.import_module(name + "_pb2") for name in NAMES}
p3, p2, ed, ef = (modules[n] for n in NAMES)

rng = random.Random(20240611)


def f32(x):
    return struct.unpack("<f", struct.pack("<f", x))[0]


INT_EDGES = {
    "int32": [0, 1, -1, 2**31 - 1, -2**31, 150, 300],
    "sint32": [0, 1, -1, 2**31 - 1, -2**31, -64, 63],
    "sfixed32": [0, -1, 2**31 - 1, -2**31],
    "int64": [0, 1, -1, 2**63 - 1, -2**63, 2**53 + 1],
    "sint64": [0, -1, 2**63 - 1, -2**63],
    "sfixed64": [0, -1, 2**63 - 1, -2**63],
    "uint32": [0, 1, 2**32 - 1, 128],
    "fixed32": [0, 1, 2**32 - 1],
    "uint64": [0, 1, 2**64 - 1, 2**63],
    "fixed64": [0, 1, 2**64 - 1],
}
TYPE_NAMES = {1: "double", 2: "float", 3: "int64", 4: "uint64", 5: "int32", 6: "fixed64", 7: "fixed32", 8: "bool",
              9: "string", 12: "bytes", 13: "uint32", 15: "sfixed32", 16: "sfixed64", 17: "sint32", 18: "sint64"}
STRINGS = ["", "a", "hello world", "héllo", "日本語", "emoji 😀", "quote \" back \\ slash", "tab\tnew\nline",
           "\u0000nul", "\u2028sep", "long " * 40]


def rand_scalar(field):
    t = TYPE_NAMES[field.type]
    if t in INT_EDGES:
        if rng.random() < 0.6:
            return rng.choice(INT_EDGES[t])
        lo, hi = min(INT_EDGES[t]), max(INT_EDGES[t])
        return rng.randint(lo, hi)
    if t == "double":
        return rng.choice([0.0, -0.0, 1.5, -2.25, 1e300, 5e-324, 3.141592653589793, float("inf"), float("-inf"),
                           float("nan"), rng.uniform(-1e6, 1e6), 1e21, 123456789.0])
    if t == "float":
        return f32(rng.choice([0.0, 0.1, -1.5, 3.4028234663852886e38, 1e-7, float("inf"), float("nan"),
                               rng.uniform(-1e4, 1e4), 16777216.0]))
    if t == "bool":
        return rng.random() < 0.5
    if t == "string":
        return rng.choice(STRINGS)
    if t == "bytes":
        return bytes(rng.randrange(256) for _ in range(rng.randrange(0, 9)))
    raise ValueError(t)


def rand_enum(field):
    values = [v.number for v in field.enum_type.values]
    if not field.enum_type.is_closed and rng.random() < 0.15:
        return rng.choice([7, 99, -3])
    return rng.choice(values)


def fill_wkt(msg, depth):
    name = msg.DESCRIPTOR.full_name
    if name == "google.protobuf.Timestamp":
        msg.seconds = rng.choice([0, 1, -1, 1700000000, -62135596800, 253402300799, 951782400])
        msg.nanos = rng.choice([0, 0, 500000000, 123000, 1, 999999999])
    elif name == "google.protobuf.Duration":
        s = rng.choice([0, 1, 3600, 315576000000, 59])
        n = rng.choice([0, 500000000, 1000, 7])
        sign = rng.choice([1, -1])
        msg.seconds, msg.nanos = sign * s, sign * n
    elif name == "google.protobuf.FieldMask":
        msg.paths.extend(rng.sample(["a", "foo_bar", "x.y_z", "items.price", "deep.nested_field.leaf"], rng.randrange(0, 4)))
    elif name == "google.protobuf.Struct":
        for k in rng.sample(["a", "b", "key with space", "ü"], rng.randrange(0, 4)):
            fill_value(msg.fields[k], depth + 1)
    elif name == "google.protobuf.Value":
        fill_value(msg, depth)
    elif name == "google.protobuf.ListValue":
        for _ in range(rng.randrange(0, 4)):
            fill_value(msg.values.add(), depth + 1)
    elif name == "google.protobuf.Any":
        inner = rng.choice(["nested", "ts", "dur", "scalars", "value", "empty"])
        if inner == "nested":
            m = p3.Nested(id=rng.randrange(-5, 5), name=rng.choice(STRINGS))
        elif inner == "ts":
            m = timestamp_pb2.Timestamp(seconds=1700000000, nanos=rng.choice([0, 5000000]))
        elif inner == "dur":
            m = duration_pb2.Duration(seconds=rng.choice([0, 90]), nanos=rng.choice([0, 250000000]))
        elif inner == "value":
            m = struct_pb2.Value()
            fill_value(m, 3)
        elif inner == "empty":
            m = any_pb2.Any()
            m.Pack(struct_pb2.ListValue())
            msg.CopyFrom(m)
            return
        else:
            m = p3.Scalars()
            fill(m, 2)
        msg.Pack(m)
    elif name == "google.protobuf.Empty":
        pass
    else:  # wrappers
        f = msg.DESCRIPTOR.fields_by_name["value"]
        setattr(msg, "value", rand_scalar(f) if rng.random() < 0.8 else type(getattr(msg, "value"))())
        if isinstance(msg.value, float) and msg.value != msg.value and name == "google.protobuf.FloatValue":
            msg.value = 1.25


def fill_value(v, depth):
    kind = rng.choice(["null", "number", "string", "bool"] + (["struct", "list"] if depth < 3 else []))
    if kind == "null":
        v.null_value = 0
    elif kind == "number":
        v.number_value = rng.choice([0.0, 1.0, -2.5, 1e20, 42.0])
    elif kind == "string":
        v.string_value = rng.choice(STRINGS)
    elif kind == "bool":
        v.bool_value = rng.random() < 0.5
    elif kind == "struct":
        v.struct_value.SetInParent()
        for k in rng.sample(["x", "y", "z"], rng.randrange(0, 3)):
            fill_value(v.struct_value.fields[k], depth + 1)
    else:
        v.list_value.SetInParent()
        for _ in range(rng.randrange(0, 3)):
            fill_value(v.list_value.values.add(), depth + 1)


def is_map(field):
    return field.message_type is not None and field.message_type.GetOptions().map_entry


def fill(msg, depth):
    d = msg.DESCRIPTOR
    if d.full_name.startswith("google.protobuf."):
        fill_wkt(msg, depth)
        return
    oneof_done = set()
    for field in d.fields:
        required = field.is_required
        if not required and rng.random() < 0.35:
            continue
        oneof = field.containing_oneof
        if oneof is not None and not (len(oneof.fields) == 1 and oneof.name.startswith("_")):
            if oneof.name in oneof_done:
                continue
            oneof_done.add(oneof.name)
            field = rng.choice(oneof.fields)
        if is_map(field):
            m = getattr(msg, field.name)
            kf = field.message_type.fields_by_name["key"]
            vf = field.message_type.fields_by_name["value"]
            for _ in range(rng.randrange(0, 4)):
                key = rand_scalar(kf)
                if vf.message_type is not None:
                    fill(m[key], depth + 1)
                elif vf.enum_type is not None:
                    m[key] = rand_enum(vf)
                else:
                    m[key] = rand_scalar(vf)
        elif field.is_repeated:
            r = getattr(msg, field.name)
            for _ in range(rng.randrange(0, 4)):
                if field.message_type is not None:
                    if depth < 3:
                        fill(r.add(), depth + 1)
                elif field.enum_type is not None:
                    r.append(rand_enum(field))
                else:
                    r.append(rand_scalar(field))
        elif field.message_type is not None:
            if depth < 3 or required:
                sub = getattr(msg, field.name)
                sub.SetInParent()
                fill(sub, depth + 1)
        elif field.enum_type is not None:
            setattr(msg, field.name, rand_enum(field))
        else:
            setattr(msg, field.name, rand_scalar(field))


def json_or_none(msg):
    try:
        return json_format.MessageToJson(msg, indent=None)
    except Exception:
        return None


corpus = []


def map_order_matters(msg):
    """Whether some map (or Struct) in msg has two or more entries: upb's "deterministic" output does
    not sort map keys (seen: -1, 1, 0 and "ab", "a", "b"), so bytes are then compared modulo order."""
    for field, value in msg.ListFields():
        if is_map(field):
            if len(value) >= 2:
                return True
            values = list(value.values()) if field.message_type.fields_by_name["value"].message_type else []
        elif field.message_type is not None:
            values = list(value) if field.is_repeated else [value]
        else:
            continue
        for v in values:
            if v.DESCRIPTOR.full_name == "google.protobuf.Any":
                if v.type_url.endswith(("Value", "Struct", "ListValue", "Scalars")):
                    return True
            elif map_order_matters(v):
                return True
    return False


def add(file, msg, name):
    data = msg.SerializeToString()
    text = json_or_none(msg)
    entry = {"name": name, "file": file, "message": msg.DESCRIPTOR.full_name, "hex": data.hex(), "json": text,
             "map_order": map_order_matters(msg)}
    if text is not None:
        back = type(msg)()
        try:
            json_format.Parse(text, back)
            entry["encoded"] = back.SerializeToString(deterministic=True).hex()
        except json_format.ParseError as err:
            # Python prints the largest float as 3.4028235e+38 and then rejects it as above FLT_MAX.
            entry["reparse_error"] = str(err)[:160]
    corpus.append(entry)


# Hand-made cases first (named), then seeded random ones.
s = p3.Scalars(f_double=1.0, f_float=f32(0.1), f_int64=-5, f_uint64=2**64 - 1, f_bytes=b"\xff\xfe", f_color=5,
               opt_int32=0, renamed="x", f_fixed64=3, big_number_field=7)
add("codec_proto3", s, "scalars-mixed")
add("codec_proto3", p3.Scalars(f_double=float("nan"), f_float=float("-inf"), f_sint32=-1), "scalars-special-floats")
add("codec_proto3", p3.Scalars(f_double=-0.0, f_float=f32(3.4e38), f_int32=-1), "scalars-negative-zero")
add("codec_proto3", p3.Scalars(), "scalars-empty")
add("codec_proto3", p3.Scalars(opt_string="", opt_int32=0), "scalars-optional-defaults")
add("codec_proto3", p3.Repeated(r_int32=[1, -1, 300], r_unpacked=[1, 2], r_string=["a", ""], r_bool=[True, False],
                                r_color=[1, 9], r_double=[float("inf"), 0.5]), "repeated-mixed")
add("codec_proto3", p3.Oneofs(null_value=0), "oneof-null-value")
add("codec_proto3", p3.Oneofs(number=0), "oneof-zero-number")
add("codec_proto3", p3.Oneofs(nested=p3.Nested()), "oneof-empty-message")
m = p3.Maps()
m.string_int["a"] = 1
m.int_string[-5] = "neg"
m.bool_nested[True].id = 3
m.bool_nested[False].SetInParent()
m.int64_color[2**40] = 2
m.uint64_bytes[7] = b"\x00"
m.string_value["k"].null_value = 0
m.uint32_float[3] = float("nan")
add("codec_proto3", m, "maps-mixed")
w = p3.WellKnown()
w.ts.seconds, w.ts.nanos = 1700000000, 10000000
w.dur.seconds, w.dur.nanos = -1, -500000000
w.w_int64.value = 0
w.w_string.value = "s"
w.mask.paths.extend(["foo_bar", "a.b_c"])
w.empty.SetInParent()
w.any.Pack(p3.Nested(id=1, name="n"))
w.anys.add().Pack(duration_pb2.Duration(seconds=3))
w.anys.add().Pack(timestamp_pb2.Timestamp(seconds=0))
w.null_value = 0
w.values.add().null_value = 0
w.values.add().number_value = 1.5
w.durations["d"].seconds = 1
w.st.fields["x"].list_value.values.add().string_value = "y"
w.val.SetInParent()
add("codec_proto3", w, "well-known-mixed")
r = p3.Recursive(value=1)
cur = r
for i in range(20):
    cur = cur.child
    cur.value = i
add("codec_proto3", r, "recursive-20")
o = p3.Order(id=123456789012, delta=-7, customer="Ada", token=b"tok", paid=True, total=99.5, quantities=[1, 2, 3],
             tags=["x", "y"], card="4111", color=2)
o.shipping.id = 9
o.labels["env"] = "prod"
add("codec_proto3", o, "order")
lg = p2.Legacy(id=0, name="", level=2, big=5)
lg.result.url = "u"
lg.entry.add(k=3)
lg.inner.key = "k"
lg.inner_map["m"].key = "v"
lg.packed_levels.extend([1, 2])
lg.levels.extend([2])
lg.inners.add(key="a", value=1)
add("codec_proto2", lg, "legacy-mixed")
add("codec_proto2", p2.Legacy(id=-1), "legacy-minimal")
e = ed.Ed(explicit_int=0, implicit_int=0, required_int=1, verified="v", mode=2, open=7, modes=[1, 2],
          packed_default=[1, 2], expanded=[3, 4])
e.delimited.a = 1
e.prefixed.s = "p"
e.delimited_list.add(a=2)
e.sub_map["k"].a = 5
e.unverified_map["u"] = "v"
add("codec_editions", e, "editions-mixed")
fw = ef.FileWide(a=1, list=[1, 2], kind=0, b=0, packed=[5], loose="l")
fw.part.n = 2
fw.prefixed.n = 3
fw.loose_map["a"] = "b"
add("codec_editions_file", fw, "editions-file-defaults")

RANDOM_TYPES = [("codec_proto3", p3.Scalars), ("codec_proto3", p3.Repeated), ("codec_proto3", p3.Oneofs),
                ("codec_proto3", p3.Maps), ("codec_proto3", p3.WellKnown), ("codec_proto3", p3.Order),
                ("codec_proto2", p2.Legacy), ("codec_editions", ed.Ed), ("codec_editions_file", ef.FileWide)]
for file, cls in RANDOM_TYPES:
    for i in range(25):
        msg = cls()
        fill(msg, 0)
        add(file, msg, "random-%s-%d" % (cls.DESCRIPTOR.name, i))

# ---------------------------------------------------------------- verdicts on hostile payloads
CLASSES = {cls.DESCRIPTOR.full_name: (file, cls) for file, cls in RANDOM_TYPES}
CLASSES["codec.p3.Recursive"] = ("codec_proto3", p3.Recursive)
CLASSES["codec.p3.Nested"] = ("codec_proto3", p3.Nested)


def verdict(cls, data):
    msg = cls()
    try:
        msg.ParseFromString(data)
    except message.DecodeError:
        return False
    return msg.IsInitialized()


def varint(n):
    out = b""
    while True:
        c = n & 0x7F
        n >>= 7
        if n:
            out += bytes([c | 0x80])
        else:
            return out + bytes([c])


def nest(n, tag=b"\x0a"):
    b = b""
    for _ in range(n):
        b = tag + varint(len(b)) + b
    return b


def nest_groups(n, number):
    start, end = varint(number << 3 | 3), varint(number << 3 | 4)
    return start * n + end * n


verdicts = []


def judge(name, full_name, data):
    file, cls = CLASSES[full_name]
    verdicts.append({"name": name, "file": file, "message": full_name, "hex": data.hex(), "accept": verdict(cls, data)})


hand = [
    ("legacy-empty-missing-required", "codec.p2.Legacy", b""),
    ("legacy-required-only", "codec.p2.Legacy", b"\x08\x01"),
    ("inner-missing-key", "codec.p2.Legacy", b"\x08\x01\x5a\x02\x10\x05"),
    ("inner-key-in-later-occurrence", "codec.p2.Legacy", b"\x08\x01\x5a\x02\x10\x05\x5a\x03\x0a\x01a"),
    ("inner-key-in-earlier-occurrence", "codec.p2.Legacy", b"\x08\x01\x5a\x03\x0a\x01a\x5a\x02\x10\x05"),
    ("repeated-inner-missing-key", "codec.p2.Legacy", b"\x08\x01\x82\x01\x02\x10\x05"),
    ("map-value-missing-required", "codec.p2.Legacy", b"\x08\x01\x6a\x05\x0a\x01k\x12\x00"),
    ("map-value-replaced-by-complete", "codec.p2.Legacy", b"\x08\x01\x6a\x05\x0a\x01k\x12\x00\x6a\x08\x0a\x01k\x12\x03\x0a\x01z"),
    ("group-required-missing", "codec.p2.Legacy", b"\x08\x01\x33\x40\x01\x34"),
    ("group-ok", "codec.p2.Legacy", b"\x08\x01\x33\x3a\x01a\x34"),
    ("group-wrong-end", "codec.p2.Legacy", b"\x08\x01\x33\x3a\x01a\x3c"),
    ("group-unterminated", "codec.p2.Legacy", b"\x08\x01\x33\x3a\x01a"),
    ("group-field-as-length-delimited", "codec.p2.Legacy", b"\x08\x01\x32\x03\x3a\x01a"),
    ("wire-type-mismatch-is-unknown", "codec.p2.Legacy", b"\x08\x01\x0d\x01\x00\x00\x00"),
    ("closed-enum-unknown", "codec.p2.Legacy", b"\x08\x01\x18\x07"),
    ("closed-enum-packed-unknown", "codec.p2.Legacy", b"\x08\x01\x8a\x01\x03\x01\x07\x02"),
    ("proto2-string-not-utf8", "codec.p2.Legacy", b"\x08\x01\x12\x01\xff"),
    ("proto2-packed-as-unpacked", "codec.p2.Legacy", b"\x08\x01\x20\x01\x20\x02"),
    ("proto2-unpacked-as-packed", "codec.p2.Legacy", b"\x08\x01\x2a\x02\x01\x02"),
    ("extension-range-unknown", "codec.p2.Legacy", b"\x08\x01\xa0\x06\x01"),
    ("proto3-string-not-utf8", "codec.p3.Scalars", b"\x72\x01\xff"),
    ("proto3-string-overlong", "codec.p3.Scalars", b"\x72\x02\xc0\x80"),
    ("proto3-string-surrogate", "codec.p3.Scalars", b"\x72\x03\xed\xa0\x80"),
    ("proto3-string-above-max", "codec.p3.Scalars", b"\x72\x04\xf4\x90\x80\x80"),
    ("proto3-string-4-byte-ok", "codec.p3.Scalars", b"\x72\x04\xf0\x9f\x98\x80"),
    ("proto3-bytes-not-utf8-ok", "codec.p3.Scalars", b"\x7a\x01\xff"),
    ("proto3-optional-string-not-utf8", "codec.p3.Scalars", b"\x92\x01\x01\xff"),
    ("repeated-string-not-utf8", "codec.p3.Repeated", b"\x72\x01a\x72\x01\xff"),
    ("map-key-not-utf8", "codec.p3.Maps", b"\x0a\x05\x0a\x01\xff\x10\x01"),
    ("map-entry-extra-fields", "codec.p3.Maps", b"\x0a\x04\x10\x01\x18\x02"),
    ("map-entry-truncated", "codec.p3.Maps", b"\x0a\x05\x0a\x01a\x10"),
    ("oneof-string-not-utf8", "codec.p3.Oneofs", b"\x12\x01\xff"),
    ("varint-10-bytes-high-bits", "codec.p3.Scalars", b"\x20" + b"\xff" * 9 + b"\x7f"),
    ("varint-11-bytes", "codec.p3.Scalars", b"\x20" + b"\xff" * 10 + b"\x01"),
    ("varint-truncated", "codec.p3.Scalars", b"\x20\xff"),
    ("tag-over-32-bits", "codec.p3.Scalars", b"\xff\xff\xff\xff\x7f\x00"),
    ("tag-max-field-number", "codec.p3.Scalars", b"\xf8\xff\xff\xff\x0f\x00"),
    ("tag-field-zero-padded", "codec.p3.Scalars", b"\x80\x80\x80\x80\x80\x00\x00"),
    ("tag-field-zero", "codec.p3.Scalars", b"\x00\x00"),
    ("tag-overlong-ok", "codec.p3.Scalars", b"\x98\x80\x00\x05"),
    ("wire-type-6", "codec.p3.Scalars", b"\x0e\x00"),
    ("wire-type-7", "codec.p3.Scalars", b"\x0f\x00"),
    ("end-group-at-top", "codec.p3.Scalars", b"\x0c"),
    ("unknown-group", "codec.p3.Scalars", b"\xab\x02\x08\x01\xac\x02"),
    ("unknown-group-mismatched", "codec.p3.Scalars", b"\xab\x02\x08\x01\xb4\x02"),
    ("unknown-group-nested", "codec.p3.Scalars", b"\xab\x02\xb3\x02\xb4\x02\xac\x02"),
    ("unknown-group-unterminated", "codec.p3.Scalars", b"\xab\x02\x08\x01"),
    ("length-past-end", "codec.p3.Scalars", b"\x72\x05ab"),
    ("length-huge", "codec.p3.Scalars", b"\x72\xff\xff\xff\xff\x0f"),
    ("fixed64-truncated", "codec.p3.Scalars", b"\x09\x00\x00\x00"),
    ("fixed32-truncated", "codec.p3.Scalars", b"\x15\x00\x00"),
    ("packed-fixed32-ragged", "codec.p3.Repeated", b"\x4a\x03\x01\x02\x03"),
    ("packed-fixed64-ragged", "codec.p3.Repeated", b"\x52\x07" + b"\x00" * 7),
    ("packed-double-ok", "codec.p3.Repeated", b"\x0a\x08" + b"\x00" * 8),
    ("packed-varint-cut", "codec.p3.Repeated", b"\x1a\x01\x80"),
    ("packed-empty", "codec.p3.Repeated", b"\x1a\x00"),
    ("packed-bool-big-varint", "codec.p3.Repeated", b"\x6a\x02\xff\x01"),
    ("unpacked-field-as-packed", "codec.p3.Repeated", b"\x8a\x01\x02\x01\x02"),
    ("packed-field-unpacked", "codec.p3.Repeated", b"\x18\x01\x18\x02"),
    ("repeated-string-as-varint-unknown", "codec.p3.Repeated", b"\x70\x01"),
    ("singular-as-packed-unknown", "codec.p3.Scalars", b"\x1a\x01\x01"),
    ("nested-message-bad", "codec.p3.Scalars", b"\xa2\x01\x02\x08\x80"),
    ("nested-end-group-inside", "codec.p3.Scalars", b"\xa2\x01\x01\x0c"),
    ("nested-group-crosses-boundary", "codec.p3.Scalars", b"\xa2\x01\x02\xab\x02\xac\x02"),
    ("message-field-as-group-unknown", "codec.p3.Scalars", b"\xa3\x01\x08\x01\xa4\x01"),
    ("message-field-as-varint-unknown", "codec.p3.Scalars", b"\xa0\x01\x01"),
    ("editions-delimited-group", "codec.ed.Ed", b"\x18\x01\x23\x08\x05\x24"),
    ("editions-delimited-as-length-unknown", "codec.ed.Ed", b"\x18\x01\x22\x02\x08\x05"),
    ("editions-prefixed-as-group-unknown", "codec.ed.Ed", b"\x18\x01\x2b\x08\x05\x2c"),
    ("editions-unverified-not-utf8", "codec.ed.Ed", b"\x18\x01\x4a\x01\xff"),
    ("editions-verified-not-utf8", "codec.ed.Ed", b"\x18\x01\x42\x01\xff"),
    ("editions-closed-enum-unknown", "codec.ed.Ed", b"\x18\x01\x50\x07"),
    ("editions-open-enum-unknown", "codec.ed.Ed", b"\x18\x01\x58\x07"),
    ("editions-required-missing", "codec.ed.Ed", b"\x10\x00\x08\x00"),
    ("editions-delimited-list", "codec.ed.Ed", b"\x18\x01\x63\x08\x01\x64\x63\x64"),
    ("editions-unverified-map-key", "codec.ed.Ed", b"\x18\x01\x7a\x05\x0a\x01\xff\x12\x00"),
    ("editions-sub-map-value-not-utf8", "codec.ed.Ed", b"\x18\x01\x82\x01\x08\x0a\x01k\x12\x03\x12\x01\xff"),
    ("editions-expanded-as-packed", "codec.ed.Ed", b"\x18\x01\x3a\x02\x01\x02"),
    ("editions-file-delimited", "codec.edfile.FileWide", b"\x23\x08\x01\x24"),
    ("editions-file-delimited-as-length", "codec.edfile.FileWide", b"\x22\x02\x08\x01"),
    ("editions-file-loose-string", "codec.edfile.FileWide", b"\x42\x01\xff"),
    ("editions-file-loose-map", "codec.edfile.FileWide", b"\x4a\x05\x0a\x01\xff\x12\x00"),
    ("editions-file-map-as-group-unknown", "codec.edfile.FileWide", b"\x4b\x0a\x01a\x4c"),
]
for name, full, data in hand:
    judge(name, full, data)
for n in (1, 99, 100, 101, 150):
    judge("recursive-depth-%d" % n, "codec.p3.Recursive", nest(n))
for n in (98, 99, 100, 101):
    judge("unknown-groups-depth-%d" % n, "codec.p3.Recursive", nest_groups(n, 9))


def wrap(inner, n):
    for _ in range(n):
        inner = b"\x0a" + varint(len(inner)) + inner
    return inner


# Unknown groups inside nested messages: both count toward the depth limit.
for messages, groups in ((50, 50), (50, 51), (99, 1), (100, 1)):
    judge("mixed-depth-%d-%d" % (messages, groups), "codec.p3.Recursive", wrap(nest_groups(groups, 9), messages))

# Seeded mutations of valid payloads: flips, truncations, insertions, deletions, overwrites.
seeds = [c for c in corpus if c["message"] in CLASSES and c["hex"]]
for i in range(900):
    base = bytearray(bytes.fromhex(rng.choice(seeds)["hex"]))
    c = seeds[i % len(seeds)]
    base = bytearray(bytes.fromhex(c["hex"]))
    for _ in range(rng.randrange(1, 4)):
        op = rng.randrange(5)
        if not base:
            base.append(rng.randrange(256))
            continue
        pos = rng.randrange(len(base))
        if op == 0:
            base[pos] ^= 1 << rng.randrange(8)
        elif op == 1:
            del base[pos:]
        elif op == 2:
            base.insert(pos, rng.choice([0x00, 0x80, 0xff, 0x0c, 0x0b, 0x7f, rng.randrange(256)]))
        elif op == 3:
            del base[pos]
        else:
            base[pos] = rng.randrange(256)
    judge("mutant-%d-%s" % (i, c["name"]), c["message"], bytes(base))

# ---------------------------------------------------------------- JSON inputs
json_cases = [
    ("codec.p3.Scalars", '{"f_int32": 5, "fInt64": "-7", "customName": "c", "renamed": null}'),
    ("codec.p3.Scalars", '{"fInt32": "12", "fUint32": 4294967295, "fInt64": 1e3, "fDouble": "Infinity", "fFloat": "NaN"}'),
    ("codec.p3.Scalars", '{"fInt32": 1.0, "fSint64": "-9223372036854775808", "fFixed64": "18446744073709551615"}'),
    ("codec.p3.Scalars", '{"fInt32": 2147483648}'),
    ("codec.p3.Scalars", '{"fInt32": 1.5}'),
    ("codec.p3.Scalars", '{"fInt32": true}'),
    ("codec.p3.Scalars", '{"fUint32": -1}'),
    ("codec.p3.Scalars", '{"fFloat": 3.5e38}'),
    ("codec.p3.Scalars", '{"fFloat": -3.4028234663852886e38}'),
    ("codec.p3.Scalars", '{"fDouble": "-Infinity", "fBool": false, "fString": ""}'),
    ("codec.p3.Scalars", '{"fBool": "true"}'),
    ("codec.p3.Scalars", '{"fString": 5}'),
    ("codec.p3.Scalars", '{"fBytes": "-_8="}'),
    ("codec.p3.Scalars", '{"fBytes": "+/8"}'),
    ("codec.p3.Scalars", '{"fBytes": "AQID"}'),
    ("codec.p3.Scalars", '{"fColor": "BLUE", "optInt32": 0, "optString": ""}'),
    ("codec.p3.Scalars", '{"fColor": 42}'),
    ("codec.p3.Scalars", '{"fColor": "PURPLE"}'),
    ("codec.p3.Scalars", '{"fInt32": 1, "f_int32": 2}'),
    ("codec.p3.Scalars", '{"noSuchField": 1}'),
    ("codec.p3.Scalars", '{"fNested": {"id": 1, "child": {"name": "x"}}, "bigNumberField": 9}'),
    ("codec.p3.Scalars", '{"fNested": {}}'),
    ("codec.p3.Scalars", '{"fNested": null, "fDouble": null}'),
    ("codec.p3.Scalars", '[]'),
    ("codec.p3.Repeated", '{"rInt32": [1, -1, "5"], "rUnpacked": [3, 4], "rString": ["a"], "rNested": [{"id": 2}, {}]}'),
    ("codec.p3.Repeated", '{"rInt32": [1, null]}'),
    ("codec.p3.Repeated", '{"rInt32": null, "rColor": ["RED", 2, 77]}'),
    ("codec.p3.Repeated", '{"rDouble": [1.5, "NaN"], "rFloat": [0.1], "rBool": [true, false], "rFixed64": ["1", 2]}'),
    ("codec.p3.Repeated", '{"rInt32": 5}'),
    ("codec.p3.Oneofs", '{"number": 0}'),
    ("codec.p3.Oneofs", '{"number": 1, "text": "a"}'),
    ("codec.p3.Oneofs", '{"number": null, "text": "a"}'),
    ("codec.p3.Oneofs", '{"nullValue": null}'),
    ("codec.p3.Oneofs", '{"nested": {}, "after": "z"}'),
    ("codec.p3.Maps", '{"stringInt": {"b": 2, "a": 1}, "intString": {"-3": "x", "10": "y", "2": ""}}'),
    ("codec.p3.Maps", '{"boolNested": {"true": {"id": 1}, "false": {}}, "int64Color": {"5": "GREEN"}}'),
    ("codec.p3.Maps", '{"uint64Bytes": {"18446744073709551615": "AA=="}, "sint32Double": {"-1": 0.5}}'),
    ("codec.p3.Maps", '{"fixed64String": {"1": "a"}, "stringValue": {"n": null, "s": "t", "o": {"k": [1, true]}}}'),
    ("codec.p3.Maps", '{"boolNested": {"yes": {}}}'),
    ("codec.p3.Maps", '{"intString": {"x": "a"}}'),
    ("codec.p3.Maps", '{"stringInt": {"a": null}}'),
    ("codec.p3.WellKnown", '{"ts": "1970-01-01T00:00:00Z", "dur": "0s", "wInt32": 0, "wString": ""}'),
    ("codec.p3.WellKnown", '{"ts": "2024-02-29T12:30:45.123456789+02:00", "dur": "-1.5s"}'),
    ("codec.p3.WellKnown", '{"ts": "0001-01-01T00:00:00Z"}'),
    ("codec.p3.WellKnown", '{"ts": "9999-12-31T23:59:59.999999999Z"}'),
    ("codec.p3.WellKnown", '{"ts": "2023-02-29T00:00:00Z"}'),
    ("codec.p3.WellKnown", '{"ts": "2023-01-01 00:00:00Z"}'),
    ("codec.p3.WellKnown", '{"ts": "2023-01-01T00:00:00"}'),
    ("codec.p3.WellKnown", '{"dur": "315576000001s"}'),
    ("codec.p3.WellKnown", '{"dur": "1.0000000001s"}'),
    ("codec.p3.WellKnown", '{"dur": "3"}'),
    ("codec.p3.WellKnown", '{"mask": "fooBar,a.bC,x"}'),
    ("codec.p3.WellKnown", '{"mask": ""}'),
    ("codec.p3.WellKnown", '{"mask": "foo_bar"}'),
    ("codec.p3.WellKnown", '{"st": {"a": 1, "b": [null, "x", {"c": false}]}, "val": 2.5, "list": [1, "a"]}'),
    ("codec.p3.WellKnown", '{"val": null, "nullValue": null, "values": [null, {}, []]}'),
    ("codec.p3.WellKnown", '{"wDouble": "NaN", "wFloat": 1.5, "wInt64": "9", "wUint64": 10, "wUint32": 3, "wBool": true, "wBytes": "AQ=="}'),
    ("codec.p3.WellKnown", '{"wInt32": null, "empty": {}}'),
    ("codec.p3.WellKnown", '{"empty": {"a": 1}}'),
    ("codec.p3.WellKnown", '{"any": {"@type": "type.googleapis.com/codec.p3.Nested", "id": 3, "name": "n"}}'),
    ("codec.p3.WellKnown", '{"any": {"@type": "type.googleapis.com/google.protobuf.Duration", "value": "2s"}}'),
    ("codec.p3.WellKnown", '{"any": {"@type": "type.googleapis.com/google.protobuf.Value", "value": {"a": [1]}}}'),
    ("codec.p3.WellKnown", '{"any": {}}'),
    ("codec.p3.WellKnown", '{"any": {"id": 3}}'),
    ("codec.p3.WellKnown", '{"any": {"@type": "type.googleapis.com/codec.p3.Nope"}}'),
    ("codec.p3.WellKnown", '{"any": {"@type": "type.googleapis.com/codec.p3.Nested", "bogus": 1}}'),
    ("codec.p3.WellKnown", '{"anys": [{"@type": "type.googleapis.com/google.protobuf.Empty", "value": {}}]}'),
    ("codec.p3.WellKnown", '{"durations": {"a": "1s", "b": "-0.001s"}, "tss": ["2000-01-01T00:00:00.5Z"]}'),
    ("codec.p2.Legacy", '{"id": 0, "name": "", "level": "HIGH", "result": {"url": "u"}, "entry": [{"k": 1}, {}]}'),
    ("codec.p2.Legacy", '{"id": 1, "level": 7}'),
    ("codec.p2.Legacy", '{"id": 1, "packedNums": [1, 2], "nums": [3], "packedLevels": ["LOW"], "levels": [2]}'),
    ("codec.p2.Legacy", '{"id": 1, "innerMap": {"k": {"key": "v", "value": 0}}, "big": "5", "data": ""}'),
    ("codec.p2.Legacy", '{"id": 1, "ratio": "-0"}'),
    ("codec.ed.Ed", '{"explicitInt": 0, "implicitInt": 0, "requiredInt": 0, "delimited": {"a": 1}, "prefixed": {}}'),
    ("codec.ed.Ed", '{"requiredInt": 1, "packedDefault": [1, 2], "expanded": [3, 4], "mode": "MODE_TWO", "open": 9}'),
    ("codec.ed.Ed", '{"requiredInt": 1, "mode": 5}'),
    ("codec.ed.Ed", '{"requiredInt": 1, "delimitedList": [{"a": 1}, {}], "modes": ["MODE_ONE"], "implicitString": ""}'),
    ("codec.ed.Ed", '{"requiredInt": 1, "subMap": {"k": {"s": "x"}}, "unverifiedMap": {"a": "b"}}'),
    ("codec.edfile.FileWide", '{"a": 0, "list": [1, 2], "kind": "KIND_ZERO", "part": {"n": 0}, "b": 0, "packed": [7]}'),
    ("codec.edfile.FileWide", '{"prefixed": {"n": 1}, "loose": "x", "looseMap": {"k": "v"}}'),
]
json_inputs = []
for full, text in json_cases:
    file, cls = CLASSES.get(full, (None, None))
    if cls is None:
        cls = {"codec.p3.Scalars": p3.Scalars}[full]
    msg = cls()
    try:
        json_format.Parse(text, msg)
        entry = {"message": full, "file": file, "json": text, "accept": True,
                 "hex": msg.SerializeToString(deterministic=True).hex()}
    except (json_format.ParseError, ValueError, TypeError) as err:
        entry = {"message": full, "file": file, "json": text, "accept": False, "python_error": str(err)[:160]}
    json_inputs.append(entry)


def dump(name, value):
    with open(os.path.join(FIXTURES, name), "w") as f:
        json.dump(value, f, indent=1, ensure_ascii=False)
        f.write("\n")


dump("corpus.json", corpus)
dump("verdicts.json", verdicts)
dump("json_inputs.json", json_inputs)
print(len(corpus), "corpus messages,", len(verdicts), "verdicts,", len(json_inputs), "JSON inputs")
