"""The Python peers of `accord-jsonschema-bench`, labelled "from Python": json.loads plus a compiled validator per
message, on the same lines. Usage: python3 py_bench.py (jsonschema-rs|jsonschema|empty) SCHEMA DATA PASSES
Prints "messages seconds valid"; `empty` times the same loop with a validator that does nothing (the
interpreter's per-call cost, printed beside the peers)."""
import json
import sys
import time

kind, schema_path, data_path, passes = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
schema = json.load(open(schema_path, encoding="utf-8"))
lines = [line for line in open(data_path, encoding="utf-8").read().split("\n") if line]
if kind == "jsonschema-rs":
    import jsonschema_rs

    validator = jsonschema_rs.validator_for(schema, validate_formats=False)
    is_valid = validator.is_valid
elif kind == "jsonschema":
    import jsonschema

    validator = jsonschema.validators.validator_for(schema)(schema)
    is_valid = validator.is_valid
elif kind == "empty":
    def is_valid(_value):
        return True
else:
    raise SystemExit(f"unknown validator {kind}")
loads = json.loads
valid = sum(1 for line in lines if is_valid(loads(line)))  # warm-up
valid = 0
start = time.perf_counter()
for _ in range(passes):
    for line in lines:
        if is_valid(loads(line)):
            valid += 1
seconds = time.perf_counter() - start
print(f"{len(lines) * passes} {seconds} {valid}")
