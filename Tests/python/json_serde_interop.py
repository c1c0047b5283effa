#!/usr/bin/env python3
"""JSON Schema wire-format interoperability with confluent-kafka's JSONSerializer/JSONDeserializer (PyPI).

Usage:
  python3 Tests/python/json_serde_interop.py write URL OUTFILE
      Serializes the Python side's shipments with JSONSerializer (auto-registering the schema under
      `<topic>-value`) against the registry at URL; writes `<case> <hex of the framed bytes>` lines.
  python3 Tests/python/json_serde_interop.py read URL INFILE
      Deserializes each line with JSONDeserializer (the writer's schema fetched from the registry by the frame's
      id, the payload validated against it) and prints `<case> <value as compact JSON, sorted keys>`; a message
      the deserializer refuses prints `<case> !<error class>`.
  python3 Tests/python/json_serde_interop.py refuse URL
      Serializing an invalid shipment must raise: prints `refused <error class>`.

The schema is the same as Tests/RegistryServerTests/JSONSchemaInteropTests.swift. Any other failure raises.
"""

import json
import sys

from confluent_kafka.schema_registry import SchemaRegistryClient
from confluent_kafka.schema_registry.json_schema import JSONDeserializer, JSONSerializer
from confluent_kafka.serialization import MessageField, SerializationContext

SHIPMENT = json.dumps(
    {
        "$schema": "http://json-schema.org/draft-07/schema#",
        "title": "Shipment",
        "type": "object",
        "properties": {
            "id": {"type": "string", "pattern": "^SH-[0-9]+$"},
            "kg": {"type": "number", "exclusiveMinimum": 0},
            "carrier": {"enum": ["DHL", "UPS"]},
            "to": {"$ref": "#/definitions/address"},
            "tags": {"type": "array", "items": {"type": "string"}},
        },
        "required": ["id", "carrier", "to"],
        "additionalProperties": False,
        "definitions": {
            "address": {
                "type": "object",
                "properties": {"city": {"type": "string"}, "zip": {"type": ["integer", "null"]}},
                "required": ["city"],
            }
        },
    }
)

CASES = {
    "python-full": {"id": "SH-1", "kg": 2.5, "carrier": "UPS", "to": {"city": "Zürich", "zip": 8001}, "tags": ["a", "b"]},
    "python-minimal": {"id": "SH-2", "carrier": "DHL", "to": {"city": "Oslo", "zip": None}},
}


def main() -> None:
    mode, url = sys.argv[1], sys.argv[2]
    client = SchemaRegistryClient({"url": url})
    topic = "shipments-interop"
    context = SerializationContext(topic, MessageField.VALUE)
    if mode == "write":
        serializer = JSONSerializer(SHIPMENT, client, conf={"auto.register.schemas": True})
        with open(sys.argv[3], "w", encoding="utf-8") as out:
            for name, value in CASES.items():
                out.write(f"{name} {serializer(value, context).hex()}\n")
    elif mode == "read":
        deserializer = JSONDeserializer(None, schema_registry_client=client)
        with open(sys.argv[3], encoding="utf-8") as lines:
            for line in lines:
                name, data = line.split()
                try:
                    value = deserializer(bytes.fromhex(data), context)
                    print(name, json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False))
                except Exception as error:  # noqa: BLE001 - the class is the answer
                    print(name, "!" + type(error).__name__)
    elif mode == "refuse":
        serializer = JSONSerializer(SHIPMENT, client, conf={"auto.register.schemas": True})
        try:
            serializer({"id": "bad id", "carrier": "FEDEX", "to": {}}, context)
        except Exception as error:  # noqa: BLE001
            print("refused", type(error).__name__)
            return
        raise SystemExit("an invalid shipment was serialized")
    else:
        raise SystemExit(f"unknown mode {mode}")


if __name__ == "__main__":
    main()
