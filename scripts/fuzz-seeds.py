#!/usr/bin/env python3
"""Writes the seed corpus of each fuzz target (Fuzz/<target>) from the test fixtures, in the input format
that target's main.swift reads. Usage: fuzz-seeds.py OUT_DIR [TARGET...]; OUT_DIR/<target>/ gets one file a seed.
avro-differential makes its own seeds (the target writes them with ACCORD_FUZZ_SEEDS=DIR)."""
import glob
import hashlib
import json
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SUITE = "/usr/share/json-schema-test-suite/tests"


def path(*parts):
    return os.path.join(ROOT, *parts)


def read(p):
    with open(p, "rb") as f:
        return f.read()


def load(p):
    with open(p, encoding="utf-8") as f:
        return json.load(f)


def compact(value):
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode()


def avro_schemas():
    """Schema texts: valid and invalid fixtures, canonical-form cases, compatibility pairs, schemas/."""
    out = []
    fixtures = path("Tests/AvroCodecTests/Fixtures")
    for case in load(f"{fixtures}/schema/valid-schemas.json")["schemas"]:
        out.append(compact(case["schema"]))
    for case in load(f"{fixtures}/schema/invalid-schemas.json")["schemas"]:
        out.append(case["text"].encode())
    for case in load(f"{fixtures}/schema/canonical-form.json")["cases"]:
        for key in ("schema", "input", "text"):
            if key in case:
                out.append(case[key].encode() if isinstance(case[key], str) else compact(case[key]))
    for p in sorted(glob.glob(f"{fixtures}/compat/*.json")):
        def walk(value):
            if isinstance(value, dict):
                for key, inner in value.items():
                    if key in ("reader", "writer") and isinstance(inner, (str, dict, list)):
                        out.append(inner.encode() if isinstance(inner, str) else compact(inner))
                    else:
                        walk(inner)
            elif isinstance(value, list):
                for inner in value:
                    walk(inner)
        walk(load(p))
    for p in sorted(glob.glob(path("schemas/**/*.avsc"), recursive=True) + glob.glob(path("examples/**/*.avsc"), recursive=True)):
        out.append(read(p))
    return out


def valid_avro_schemas():
    fixtures = path("Tests/AvroCodecTests/Fixtures")
    out = [compact(case["schema"]) for case in load(f"{fixtures}/schema/valid-schemas.json")["schemas"]]
    out += [read(p) for p in sorted(glob.glob(path("schemas/**/*.avsc"), recursive=True))]
    return out


def proto_sources():
    files = []
    for pattern in ("Tests/ProtobufSchemaTests/Fixtures/compile/**/*.proto", "Tests/ProtobufCodecTests/Fixtures/proto/*.proto",
                    "Tests/ProtobufSchemaTests/Fixtures/render/corpus/*.proto", "Tests/ProtobufCompatibilityTests/Fixtures/**/*.proto",
                    "schemas/**/*.proto", "examples/**/*.proto"):
        files += glob.glob(path(pattern), recursive=True)
    return [read(p) for p in sorted(set(files))]


def codec_cases():
    fixtures = path("Tests/ProtobufCodecTests/Fixtures")
    out = []
    for case in load(f"{fixtures}/corpus.json") + load(f"{fixtures}/verdicts.json"):
        out.append(case["message"].encode() + b"\n\x00" + bytes.fromhex(case["hex"]))
    for case in load(f"{fixtures}/corpus.json"):
        out.append(case["message"].encode() + b"\n\x01" + case["json"].encode())
    for case in load(f"{fixtures}/json_inputs.json"):
        out.append(case["message"].encode() + b"\n\x01" + case["json"].encode())
    return out


def suite_groups(drafts=("draft4", "draft6", "draft7")):
    for draft in drafts:
        for p in sorted(glob.glob(f"{SUITE}/{draft}/*.json")):
            for group in load(p):
                yield draft, group


def json_schema_cases():
    flags = {"draft4": 4, "draft6": 6, "draft7": 8}  # (flags >> 1) picks the default draft
    out = []
    for draft, group in suite_groups():
        for test in group["tests"][:3]:
            out.append(bytes([flags[draft]]) + compact(group["schema"]) + b"\x00" + compact(test["data"]))
    return out


def regex_cases():
    out = []
    for _, group in suite_groups():
        def walk(value):
            if isinstance(value, dict):
                for key, inner in value.items():
                    if key == "pattern" and isinstance(inner, str):
                        for test in group["tests"][:2]:
                            data = test["data"] if isinstance(test["data"], str) else ""
                            out.append(inner.encode() + b"\x00" + data.encode())
                    elif key == "patternProperties" and isinstance(inner, dict):
                        out.extend(k.encode() + b"\x00abc" for k in inner)
                    walk(inner)
            elif isinstance(value, list):
                for inner in value:
                    walk(inner)
        walk(group["schema"])
    for p in sorted(glob.glob(path("Tests/ECMARegexTests/*.swift"))):
        for pattern in re.findall(r'ECMARegex\("((?:[^"\\]|\\.)*)"', read(p).decode()):
            out.append(pattern.encode().decode("unicode_escape").encode("utf-8", "surrogatepass") + b"\x00aaaa")
    return out


def registry_cases():
    out = []
    for text in valid_avro_schemas()[:40]:
        out.append(b"\x00" + compact({"schema": text.decode("utf-8", "replace")}))
    for text in proto_sources()[:10]:
        out.append(b"\x00" + compact({"schema": text.decode("utf-8", "replace"), "schemaType": "PROTOBUF",
                                      "references": [{"name": "a.proto", "subject": "a", "version": 1}]}))
    out.append(b"\x00" + compact({"schema": "{}", "schemaType": "JSON", "metadata": {"properties": {"k": "v"}},
                                  "ruleSet": {"domainRules": []}, "id": 7, "version": 3}))
    for body in ({"compatibility": "FULL_TRANSITIVE"}, {"compatibilityLevel": "backward", "normalize": True},
                 {"protobufRules": "wire-json", "compatibilityPolicy": "LENIENT", "compatibilityGroup": "g"},
                 {"compatibility": None, "defaultMetadata": {"properties": {}}, "alias": "x"}):
        out.append(b"\x01" + compact(body))
    for target in ("/subjects/orders-value/versions/latest?normalize=true&deleted=false",
                   "/subjects/caf%C3%A9/versions/-1/schema", "/contexts/.orders/subjects/payments/versions",
                   "/contexts/:.ctx:/config", "/schemas/ids/1?subject=%3A.ctx%3Ax&format=serialized",
                   "/compatibility/subjects/a/versions/2?verbose=true", "/config/:.orders:",
                   "/subjects?subjectPrefix=%3A*%3Aname&offset=10&limit=-1",
                   "/subjects/a/metadata?key=k&value=v&key=k2&value=v2", "/schemas/guids/abc/ids",
                   "/subjects/a%2Fb/versions/1/referencedby", "/contexts/.x/schemas?subjectPrefix=p+q"):
        out.append(b"\x02" + target.encode())
    for accept in ("application/vnd.schemaregistry.v1+json", "application/json; q=0.9, */*;q=0.1",
                   "application/vnd.schemaregistry+json, application/json;q=0.5", "text/html"):
        out.append(b"\x03" + accept.encode())
    return out


def wire_cases():
    payload = b"\x02\x06abc"
    return [
        b"\x00\x00\x00\x00\x01" + payload,
        b"\x00\x7f\xff\xff\xff",
        b"\x00\x00\x00\x00\x07\x00" + payload,
        b"\x00\x00\x00\x00\x07\x04\x02\x04" + payload,
        b"\x01" + bytes(range(16)) + payload,
        b"\x01" + bytes(range(16)) + b"\x02\x02",
        b"\x00\x00\x00\x01\x00\xff\xff\xff\xff\x0f",
        b"\x05",
    ]


def json_texts():
    out = []
    fixtures = path("Tests/ProtobufCodecTests/Fixtures")
    out += [case["json"].encode() for case in load(f"{fixtures}/json_inputs.json")]
    out += [case["json"].encode() for case in load(f"{fixtures}/corpus.json")[:60]]
    out += avro_schemas()[:120]
    for p in sorted(glob.glob(f"{SUITE}/draft7/*.json")):
        data = read(p)
        if len(data) < 8192:
            out.append(data)
    for p in sorted(glob.glob(path("examples/messages/**/*.json*"), recursive=True)):
        out.append(read(p))
    return out


def avro_decoder_cases():
    out = []
    for schema in valid_avro_schemas():
        out.append(schema + b"\x00\x00")
    orders = path("schemas/orders-value")
    for p in sorted(glob.glob(f"{orders}/*.avsc")):
        for message in sorted(glob.glob(path("examples/messages/orders-value/*.json"))):
            out.append(read(p) + b"\x00\x01" + read(message))
    # Hand-encoded binary datums of primitives, a union, an array block and a map block.
    out += [b'"long"\x00\x00\x96\x01', b'"string"\x00\x00\x06abc', b'["null","int"]\x00\x00\x02\x04',
            b'{"type":"array","items":"int"}\x00\x00\x04\x02\x04\x00',
            b'{"type":"array","items":"int"}\x00\x00\x03\x04\x02\x04\x00',
            b'{"type":"map","values":"boolean"}\x00\x00\x02\x02k\x01\x00',
            b'{"type":"fixed","name":"F","size":2}\x00\x00ab',
            b'{"type":"enum","name":"E","symbols":["A","B"]}\x00\x00\x02',
            b'{"type":"bytes","logicalType":"decimal","precision":4,"scale":2}\x00\x01"\\u0001\\u0002"',
            b'{"type":"record","name":"R","fields":[{"name":"a","type":["null","string"]}]}\x00\x03{"a":{"string":"x"}}']
    return out


TARGETS = {
    "json-parser": json_texts,
    "avro-schema": avro_schemas,
    "avro-decoders": avro_decoder_cases,
    "proto-compiler": proto_sources,
    "protobuf-codec": codec_cases,
    "wire-format": wire_cases,
    "registry-requests": registry_cases,
    "json-schema": json_schema_cases,
    "ecma-regex": regex_cases,
}


def main():
    out_dir = sys.argv[1]
    names = sys.argv[2:] or list(TARGETS)
    for name in names:
        if name not in TARGETS:
            continue
        directory = os.path.join(out_dir, name)
        os.makedirs(directory, exist_ok=True)
        seeds = TARGETS[name]()
        for seed in seeds:
            with open(os.path.join(directory, hashlib.sha1(seed).hexdigest()), "wb") as f:
                f.write(seed)
        print(f"{name}: {len(seeds)} seeds")


if __name__ == "__main__":
    main()
