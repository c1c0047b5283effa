"""An independent Parsing Canonical Form and CRC-64-AVRO in Python, used only to produce fixture expectations."""
import json

PRIMS = {"null", "boolean", "int", "long", "float", "double", "bytes", "string"}
EMPTY = 0xC15D213AA4D7A795

def _table():
    t = []
    for i in range(256):
        fp = i
        for _ in range(8):
            fp = (fp >> 1) ^ (EMPTY & -(fp & 1))
        t.append(fp & 0xFFFFFFFFFFFFFFFF)
    return t
TABLE = _table()

def rabin(data: bytes) -> int:
    fp = EMPTY
    for b in data:
        fp = (fp >> 8) ^ TABLE[(fp ^ b) & 0xFF]
    return fp

def signed(v: int) -> int:
    return v - (1 << 64) if v >= (1 << 63) else v

def canonical(schema) -> str:
    defined = set()
    def q(s): return json.dumps(s, ensure_ascii=False)
    def full(name, ns):
        if "." in name: return name
        return f"{ns}.{name}" if ns else name
    def ref(name, ns):
        if name in PRIMS: return q(name)
        cand = full(name, ns)
        if cand in defined: return q(cand)
        if name in defined: return q(name)
        return q(cand)  # forward reference: assume enclosing namespace
    def go(s, ns):
        if isinstance(s, str): return ref(s, ns)
        if isinstance(s, list): return "[" + ",".join(go(b, ns) for b in s) + "]"
        t = s["type"]
        if t in PRIMS: return q(t)
        if t == "array": return '{"type":"array","items":' + go(s["items"], ns) + "}"
        if t == "map": return '{"type":"map","values":' + go(s["values"], ns) + "}"
        if t not in ("record", "error", "enum", "fixed"): return ref(t, ns)
        space = s.get("namespace")
        if space is None: space = ns
        fn = full(s["name"], space)
        if "." in s["name"]:
            space = s["name"].rsplit(".", 1)[0]
        elif space == "":
            space = None
        defined.add(fn)
        head = '{"name":' + q(fn) + ',"type":' + q("record" if t == "error" else t)
        if t in ("record", "error"):
            fields = ",".join('{"name":' + q(f["name"]) + ',"type":' + go(f["type"], space) + "}" for f in s["fields"])
            return head + ',"fields":[' + fields + "]}"
        if t == "enum":
            return head + ',"symbols":[' + ",".join(q(x) for x in s["symbols"]) + "]}"
        return head + ',"size":' + str(int(s["size"])) + "}"
    return go(schema, None)
