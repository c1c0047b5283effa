import json, hashlib, sys
sys.path.insert(0, __import__("os").path.dirname(__file__))
from canon import canonical, rabin, signed
from spec_cases import CASES
from cases import VALID, INVALID

out = sys.argv[1]

def fps(c):
    b = c.encode()
    return {"rabin": str(signed(rabin(b))), "md5": hashlib.md5(b).hexdigest(), "sha256": hashlib.sha256(b).hexdigest()}

spec = []
for cid, inp, can, fp in CASES:
    e = {"id": cid, "input": inp, "canonical": can}
    f = fps(can)
    if fp is not None:
        assert str(fp) == f["rabin"], cid
    e.update(f)
    e["rabinFromSpec"] = fp is not None
    spec.append(e)
json.dump({"source": "Avro specification shared test data share/test/data/schema-tests.txt (release 1.12.1); md5/sha256 computed with Python hashlib over the canonical form; rabin for cases without a spec value computed by an independent Python CRC-64-AVRO",
           "cases": spec}, open(f"{out}/canonical-form.json", "w"), indent=1, ensure_ascii=False)

valid = []
names = set()
for name, schema, expect in VALID:
    assert name not in names; names.add(name)
    can = expect.get("canonical") or canonical(schema)
    e = {"name": name, "schema": schema, "canonical": can}
    e.update(fps(can))
    if "logicalType" in expect: e["logicalType"] = expect["logicalType"]
    if "named" in expect: e["namedTypes"] = sorted(expect["named"])
    valid.append(e)
json.dump({"source": "py-*: transcribed from Apache Avro lang/py/avro/test/test_schema.py; java-*: from Java TestSchema.java; accord-*: our own", "schemas": valid},
          open(f"{out}/valid-schemas.json", "w"), indent=1, ensure_ascii=False)

invalid = []
for name, schema, code, pointer in INVALID:
    assert name not in names; names.add(name)
    if isinstance(schema, dict) and "text" in schema and len(schema) == 1:
        text = schema["text"]
    else:
        text = json.dumps(schema, ensure_ascii=False)
    invalid.append({"name": name, "text": text, "code": code, "pointer": pointer})
json.dump({"source": "py-*: transcribed from Apache Avro lang/py/avro/test/test_schema.py; java-*: from Java TestSchema.java; accord-*: our own", "schemas": invalid},
          open(f"{out}/invalid-schemas.json", "w"), indent=1, ensure_ascii=False)
print(len(spec), len(valid), len(invalid))
