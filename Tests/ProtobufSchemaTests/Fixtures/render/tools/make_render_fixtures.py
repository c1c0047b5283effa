#!/usr/bin/env python3
"""Regenerates the ProtoRenderer and ProtoWellKnownTypes fixtures and checks them against protoc.

Run from the repository root:

    python3 Tests/ProtobufSchemaTests/Fixtures/render/tools/make_render_fixtures.py

Tools (as last run): grpcio-tools 1.85.1 (`python3 -m grpc_tools.protoc --version` = libprotoc 35.1),
protobuf 7.36.2 (upb), googleapis-common-protos (for the google/type/*.proto reference sources);
install with `pip install grpcio-tools protobuf googleapis-common-protos`.

Steps:
1. Each corpus/*.proto is compiled with
   `python3 -m grpc_tools.protoc -I corpus -I <grpc_tools>/_proto --include_imports
    --descriptor_set_out=descriptors/<name>.pb <name>.proto`.
2. The reference descriptors of the well-known imports are compiled the same way from protoc's bundled
   google/protobuf sources and googleapis-common-protos' google/type sources, with file options
   (java_package, go_package, ...) and source info removed: wellknown/upstream.pb.
3. `ACCORD_WRITE_GOLDEN=1 swift test --filter RenderGoldenTests` rewrites golden/<name>.proto with
   ProtoRenderer's output (the same tests assert equality when the variable is not set). Skip this step
   (and the Swift build) with `--no-swift`.
4. Round trip: every golden/<name>.proto is compiled again by protoc (shadowing the corpus file of the
   same name) and its descriptor must equal the original one byte for byte (deterministic
   serialization), source_code_info removed on both sides.
5. Well-known sources: the texts in Sources/ProtobufSchema/WellKnown/*.swift are compiled by protoc
   and must equal wellknown/upstream.pb file by file; the descriptor of our descriptor.proto is
   written, base64, to WellKnownDescriptorEmbedded.swift; wellknown/expected_types.json lists each
   path's top-level message and enum names for the Swift test. The google/* texts are
   ProtoRenderer's rendering of upstream.pb (no comments, no language options); WellKnownTypesTests
   asserts exactly that, so after a protoc upgrade its failure messages show the new texts.
"""
import base64
import json
import os
import re
import subprocess
import sys
import tempfile

import google.type  # googleapis-common-protos
import grpc_tools
from google.protobuf import descriptor_pb2

HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURES = os.path.dirname(HERE)
ROOT = os.path.abspath(os.path.join(FIXTURES, "..", "..", "..", ".."))
CORPUS = os.path.join(FIXTURES, "corpus")
DESCRIPTORS = os.path.join(FIXTURES, "descriptors")
GOLDEN = os.path.join(FIXTURES, "golden")
WELLKNOWN = os.path.join(FIXTURES, "wellknown")
WKT_INCLUDE = os.path.join(os.path.dirname(grpc_tools.__file__), "_proto")
GOOGLE_TYPE_INCLUDE = os.path.dirname(os.path.dirname(list(google.type.__path__)[0]))
SOURCES = os.path.join(ROOT, "Sources", "ProtobufSchema", "WellKnown")

PROTOBUF_FILES = ["any", "api", "descriptor", "duration", "empty", "field_mask", "source_context",
                  "struct", "timestamp", "type", "wrappers"]
GOOGLE_TYPE_FILES = ["calendar_period", "color", "date", "datetime", "dayofweek", "decimal", "expr",
                     "fraction", "interval", "latlng", "localized_text", "money", "month", "phone_number",
                     "postal_address", "quaternion", "timeofday"]


def protoc(includes, files, out):
    args = [sys.executable, "-m", "grpc_tools.protoc"]
    args += ["-I" + i for i in includes]
    args += ["--include_imports", "--descriptor_set_out=" + out] + files
    subprocess.run(args, check=True)
    fds = descriptor_pb2.FileDescriptorSet()
    with open(out, "rb") as f:
        fds.ParseFromString(f.read())
    return fds


def main_file(fds, name):
    for f in fds.file:
        if f.name == name:
            g = descriptor_pb2.FileDescriptorProto()
            g.CopyFrom(f)
            g.ClearField("source_code_info")
            return g
    raise SystemExit("no file " + name)


def compile_corpus():
    names = sorted(n for n in os.listdir(CORPUS) if n.endswith(".proto"))
    for name in names:
        protoc([CORPUS, WKT_INCLUDE], [name], os.path.join(DESCRIPTORS, name[:-6] + ".pb"))
    return names


def upstream_wellknown():
    paths = ["google/protobuf/%s.proto" % n for n in PROTOBUF_FILES]
    paths += ["google/type/%s.proto" % n for n in GOOGLE_TYPE_FILES]
    with tempfile.TemporaryDirectory() as tmp:
        fds = protoc([WKT_INCLUDE, GOOGLE_TYPE_INCLUDE], paths, os.path.join(tmp, "all.pb"))
    out = descriptor_pb2.FileDescriptorSet()
    for f in fds.file:
        f.ClearField("options")
        f.ClearField("source_code_info")
        out.file.add().CopyFrom(f)
    with open(os.path.join(WELLKNOWN, "upstream.pb"), "wb") as f:
        f.write(out.SerializeToString(deterministic=True))
    expected = {}
    for f in out.file:
        expected[f.name] = {"package": f.package,
                            "messages": [m.name for m in f.message_type],
                            "enums": [e.name for e in f.enum_type],
                            "services": [s.name for s in f.service]}
    with open(os.path.join(WELLKNOWN, "expected_types.json"), "w") as f:
        json.dump(expected, f, indent=2, sort_keys=True)
        f.write("\n")
    return out


def regenerate_golden():
    env = dict(os.environ, ACCORD_WRITE_GOLDEN="1")
    subprocess.run(["swift", "test", "--filter", "RenderGoldenTests"], cwd=ROOT, env=env, check=True)


def check_round_trip(names):
    failures = 0
    for name in names:
        original = main_file(descriptor_pb2.FileDescriptorSet.FromString(
            open(os.path.join(DESCRIPTORS, name[:-6] + ".pb"), "rb").read()), name)
        with tempfile.TemporaryDirectory() as tmp:
            fds = protoc([GOLDEN, CORPUS, WKT_INCLUDE], [name], os.path.join(tmp, "out.pb"))
        again = main_file(fds, name)
        if original.SerializeToString(deterministic=True) != again.SerializeToString(deterministic=True):
            failures += 1
            print("ROUND TRIP MISMATCH:", name)
            print(original)
            print(again)
        else:
            print("round trip ok:", name)
    return failures


SOURCE_PATTERN = re.compile(r'"([a-z_/]+\.proto)": #"""\n(.*?)\n"""#', re.S)


def check_wellknown(upstream):
    texts = {}
    for name in sorted(os.listdir(SOURCES)):
        if name.endswith(".swift"):
            for path, text in SOURCE_PATTERN.findall(open(os.path.join(SOURCES, name)).read()):
                texts[path] = text + "\n"
    failures = 0
    with tempfile.TemporaryDirectory() as tmp:
        for path, text in texts.items():
            os.makedirs(os.path.join(tmp, os.path.dirname(path)), exist_ok=True)
            with open(os.path.join(tmp, path), "w") as f:
                f.write(text)
        by_name = {f.name: f for f in upstream.file}
        for path in sorted(texts):
            fds = protoc([tmp], [path], os.path.join(tmp, "out.pb"))
            ours = main_file(fds, path)
            if path == "google/protobuf/descriptor.proto":
                encoded = base64.b64encode(ours.SerializeToString(deterministic=True)).decode()
                write_embedded(encoded)
            if path not in by_name:
                print("built in, no upstream reference:", path)
                continue
            if ours.SerializeToString(deterministic=True) != by_name[path].SerializeToString(deterministic=True):
                failures += 1
                print("WELL-KNOWN MISMATCH:", path)
            else:
                print("well-known ok:", path)
    missing = sorted(set(by_name) - set(texts))
    if missing:
        failures += 1
        print("WELL-KNOWN MISSING:", missing)
    return failures


def write_embedded(encoded):
    lines = [encoded[i:i + 100] for i in range(0, len(encoded), 100)]
    text = ("// Generated by Tests/ProtobufSchemaTests/Fixtures/render/tools/make_render_fixtures.py: the descriptor\n"
            "// protoc compiles from our descriptor.proto source (WellKnownDescriptorProto.swift), base64.\n\n"
            "extension ProtoWellKnownTypes {\n"
            "    static let descriptorProtoDescriptorBase64 = \"\"\"\n" + "\n".join(lines) + "\n\"\"\"\n"
            "    .split(separator: \"\\n\").joined()\n}\n")
    with open(os.path.join(SOURCES, "WellKnownDescriptorEmbedded.swift"), "w") as f:
        f.write(text)


def main():
    names = compile_corpus()
    upstream = upstream_wellknown()
    if "--no-swift" not in sys.argv:
        regenerate_golden()
    failures = check_round_trip(names) + check_wellknown(upstream)
    print("%d failures" % failures)
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
