#!/usr/bin/env python3
"""Regenerates the compatibility fixtures of ProtobufCompatibilityTests.

Run from anywhere:
    python3 Tests/ProtobufCompatibilityTests/Fixtures/tools/generate.py

For every case of cases_a.py and cases_b.py it writes the .proto files under
Fixtures/cases/<name>/{old,new}/ and compiles each side with
    python3 -m grpc_tools.protoc -I<side dir> --include_imports --descriptor_set_out=<side>.pb main.proto
(grpcio-tools 1.85.1, bundling libprotoc 35.1, which also supplies the google/protobuf/*.proto imports), then
writes Fixtures/cases.json: each case's name, note and expected kinds per rule set. Also compiles the
version history used by the level tests (Fixtures/history/v<N>.proto -> v<N>.pb).

The expected kinds are not produced by this script or by our code: they are written by hand in
cases_a.py (the situations of Confluent's SchemaDiffTest) and cases_b.py (the situations of buf's
breaking-rule tests), from what those projects' test suites and rule definitions assert."""

import json
import os
import shutil
import subprocess
import sys

TOOLS = os.path.dirname(os.path.abspath(__file__))
FIXTURES = os.path.dirname(TOOLS)
sys.path.insert(0, TOOLS)

from cases_a import CASES as CASES_A  # noqa: E402
from cases_b import CASES as CASES_B  # noqa: E402
from history import HISTORY  # noqa: E402


def compile_side(directory, out):
    subprocess.run(
        [sys.executable, "-m", "grpc_tools.protoc", f"-I{directory}", "--include_imports",
         f"--descriptor_set_out={out}", "main.proto"],
        check=True)


def write_side(directory, main, extra):
    os.makedirs(directory, exist_ok=True)
    with open(os.path.join(directory, "main.proto"), "w") as f:
        f.write(main)
    for name, text in extra.items():
        with open(os.path.join(directory, name), "w") as f:
            f.write(text)


def main():
    cases_dir = os.path.join(FIXTURES, "cases")
    shutil.rmtree(cases_dir, ignore_errors=True)
    manifest = []
    seen = set()
    for c in CASES_A + CASES_B:
        name = c["name"]
        if name in seen:
            raise SystemExit(f"duplicate case {name}")
        seen.add(name)
        base = os.path.join(cases_dir, name)
        for side in ("old", "new"):
            write_side(os.path.join(base, side), c[side], c[f"{side}_files"])
            compile_side(os.path.join(base, side), os.path.join(base, f"{side}.pb"))
        manifest.append({"name": name, "note": c["note"], "expect": c["expect"]})
    with open(os.path.join(FIXTURES, "cases.json"), "w") as f:
        json.dump(manifest, f, indent=1, sort_keys=True)
        f.write("\n")
    history_dir = os.path.join(FIXTURES, "history")
    shutil.rmtree(history_dir, ignore_errors=True)
    for i, text in enumerate(HISTORY, start=1):
        side = os.path.join(history_dir, f"v{i}")
        write_side(side, text, {})
        compile_side(side, os.path.join(history_dir, f"v{i}.pb"))
    print(f"{len(manifest)} cases, {len(HISTORY)} history versions")


if __name__ == "__main__":
    main()
