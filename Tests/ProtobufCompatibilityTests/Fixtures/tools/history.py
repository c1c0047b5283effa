"""A version history for the level tests (oldest first).

v1 -> v2 adds a field (compatible both ways under Confluent).
v2 -> v3 changes `qty` from int32 to string (incompatible both ways).
v3 -> v4 removes `note` and adds `sku`; v4 cannot read v1/v2 data's `qty` as a string either.
v5 turns `qty` back into int64 (compatible with v1 and v2, not with v3 or v4)."""

P3 = 'syntax = "proto3";\npackage shop;\n'

HISTORY = [
    P3 + "message Order {\n  string id = 1;\n  int32 qty = 2;\n}\n",
    P3 + "message Order {\n  string id = 1;\n  int32 qty = 2;\n  string note = 3;\n}\n",
    P3 + "message Order {\n  string id = 1;\n  string qty = 2;\n  string note = 3;\n}\n",
    P3 + "message Order {\n  string id = 1;\n  string qty = 2;\n  string sku = 4;\n}\n",
    P3 + "message Order {\n  string id = 1;\n  int64 qty = 2;\n  string sku = 4;\n}\n",
]
