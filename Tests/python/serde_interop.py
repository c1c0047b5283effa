#!/usr/bin/env python3
"""Wire-format interoperability between Accord's Swift serializers and confluent-kafka's (PyPI, unmodified).

Usage:
  python3 Tests/python/serde_interop.py write URL OUTFILE
      Serializes the Python side's cases with confluent-kafka's AvroSerializer and ProtobufSerializer against the
      registry at URL (auto-registering their schemas and references) and writes one line per message:
      `<case> <hex of the framed bytes>`.
  python3 Tests/python/serde_interop.py read URL INFILE
      Reads such lines (written by anyone) and deserializes each with confluent-kafka's AvroDeserializer or
      ProtobufDeserializer, printing per case `<case> <decoded value as canonical JSON>` and
      `<case>#frame <the frame as confluent-kafka's SchemaId reads it>` (compact JSON, sorted keys).

A case is named `avro/<topic>` or `proto/<message full name>/<topic>`: the format, the Protobuf message class
to read into, and the topic of the SerializationContext (whose `-value` subject the writer used).

The Protobuf classes are generated at run time from Tests/python/protos/shop with grpcio-tools' protoc, with
`-I Tests/python/protos/shop`, so `invoice.proto` imports `shop.proto` by that name: the name
ProtobufSerializer registers the import under (reference.subject.name.strategy: the subject is the reference
name) and the name a registry reference must carry. Any failure raises (non-zero exit).
"""

import importlib
import io
import json
import os
import sys
import tempfile

from google.protobuf import json_format

from confluent_kafka.schema_registry import (
    Schema,
    SchemaReference,
    SchemaRegistryClient,
    dual_schema_id_deserializer,
    header_schema_id_serializer,
)
from confluent_kafka.schema_registry.avro import AvroDeserializer, AvroSerializer
from confluent_kafka.schema_registry.common.serde import SchemaId
from confluent_kafka.schema_registry.protobuf import ProtobufDeserializer, ProtobufSerializer
from confluent_kafka.serialization import MessageField, SerializationContext

HERE = os.path.dirname(os.path.abspath(__file__))

# The same schemas as Tests/RegistryServerTests/SerializerInteropTests.swift.
ORDER_AVRO = json.dumps(
    {
        "type": "record",
        "name": "Order",
        "namespace": "interop",
        "fields": [
            {"name": "id", "type": "string"},
            {"name": "cents", "type": "long"},
            {"name": "note", "type": ["null", "string"], "default": None},
            {"name": "status", "type": {"type": "enum", "name": "Status", "symbols": ["PAID", "SHIPPED", "LOST"]}},
            {"name": "tags", "type": {"type": "array", "items": "string"}},
            {
                "name": "address",
                "type": {
                    "type": "record",
                    "name": "Address",
                    "fields": [
                        {"name": "city", "type": "string"},
                        {"name": "zip", "type": ["null", "long"], "default": None},
                    ],
                },
            },
        ],
    },
    separators=(",", ":"),
)
CUSTOMER_AVRO = json.dumps(
    {
        "type": "record",
        "name": "Customer",
        "namespace": "interop.people",
        "fields": [
            {"name": "name", "type": "string"},
            {"name": "email", "type": ["null", "string"], "default": None},
        ],
    },
    separators=(",", ":"),
)
PURCHASE_AVRO = json.dumps(
    {
        "type": "record",
        "name": "Purchase",
        "namespace": "interop",
        "fields": [
            {"name": "id", "type": "string"},
            {"name": "buyer", "type": "interop.people.Customer"},
            {"name": "referrer", "type": ["null", "interop.people.Customer"], "default": None},
            {"name": "total", "type": "long"},
        ],
    },
    separators=(",", ":"),
)
# The referenced type's full name is the reference's name (what Avro serializers use).
CUSTOMER_REFERENCE_NAME = "interop.people.Customer"


def context(topic, headers=None):
    return SerializationContext(topic, MessageField.VALUE, headers)


VALUE_SCHEMA_ID_HEADER = "__value_schema_id"


def guid_prefix_serializer(payload, ctx, schema_id):
    """A `schema.id.serializer` writing the GUID frame (magic 0x01 + 16-byte GUID, then the Protobuf message
    indexes) as the payload prefix, with confluent-kafka's own SchemaId.guid_to_bytes."""
    return schema_id.guid_to_bytes() + payload


def generate_protobuf_modules(folder):
    from grpc_tools import protoc
    import grpc_tools

    include = os.path.join(os.path.dirname(grpc_tools.__file__), "_proto")
    protos = os.path.join(HERE, "protos", "shop")
    for proto in ["shop.proto", "invoice.proto"]:
        status = protoc.main(["protoc", "-I", protos, "-I", include, "--python_out=" + folder, proto])
        assert status == 0, ("protoc failed", proto)
    sys.path.insert(0, folder)
    shop_pb2 = importlib.import_module("shop_pb2")
    invoice_pb2 = importlib.import_module("invoice_pb2")
    assert [d.name for d in invoice_pb2.DESCRIPTOR.dependencies] == ["shop.proto"]
    return shop_pb2, invoice_pb2


def message_classes(shop_pb2, invoice_pb2):
    return {
        "shop.Order": shop_pb2.Order,
        "shop.Refund": shop_pb2.Refund,
        "shop.Invoice": invoice_pb2.Invoice,
        "shop.Invoice.Line": invoice_pb2.Invoice.Line,
    }


def write(client, out, shop_pb2, invoice_pb2):
    lines = []

    def emit(case, data, headers=None):
        # A third column carries the __value_schema_id header when the frame travels in the headers.
        header = dict(headers or []).get(VALUE_SCHEMA_ID_HEADER)
        lines.append("%s %s" % (case, data.hex()) + (" " + header.hex() if header is not None else ""))

    # Avro, V0 framing (0x00 + 4-byte id), every field set.
    order = {
        "id": "py-1",
        "cents": 9007199254740993,
        "note": "leave at door",
        "status": "SHIPPED",
        "tags": ["gift", "fragile"],
        "address": {"city": "Zürich", "zip": 8001},
    }
    emit("avro/py-avro-id", AvroSerializer(client, ORDER_AVRO)(order, context("py-avro-id")))

    # Avro, GUID framing in the payload prefix; the nullable unions unset, a negative long, an empty array.
    unset = {
        "id": "py-2",
        "cents": -42,
        "note": None,
        "status": "PAID",
        "tags": [],
        "address": {"city": "Oslo", "zip": None},
    }
    guid_avro = AvroSerializer(client, ORDER_AVRO, conf={"schema.id.serializer": guid_prefix_serializer})
    emit("avro/py-avro-guid", guid_avro(unset, context("py-avro-guid")))

    # Avro with the GUID frame in the __value_schema_id header (header_schema_id_serializer), bare payload.
    headers = []
    header_avro = AvroSerializer(client, ORDER_AVRO, conf={"schema.id.serializer": header_schema_id_serializer})
    emit("avro/py-avro-header", header_avro(order, context("py-avro-header", headers)), headers)

    # Avro with a reference: interop.people.Customer registered first under its own subject.
    client.register_schema("py-customer", Schema(CUSTOMER_AVRO, "AVRO"))
    customer_version = client.get_latest_version("py-customer").version
    purchase_schema = Schema(
        PURCHASE_AVRO, "AVRO", [SchemaReference(CUSTOMER_REFERENCE_NAME, "py-customer", customer_version)]
    )
    purchase = {
        "id": "p-7",
        "buyer": {"name": "Ada", "email": "ada@example.com"},
        "referrer": {"name": "Grace", "email": None},
        "total": 123456789012,
    }
    emit("avro/py-avro-ref", AvroSerializer(client, purchase_schema)(purchase, context("py-avro-ref")))

    # Protobuf: shop.Order (first message: indexes [0], the single byte 0x00), V0 framing.
    proto_order = shop_pb2.Order(id="po-1", cents=-7, tags=["a", "b", "c"], status=shop_pb2.PAID)
    emit("proto/shop.Order/py-proto-order", ProtobufSerializer(shop_pb2.Order, client)(proto_order, context("py-proto-order")))

    # shop.Refund, the file's second message: indexes [1].
    refund = shop_pb2.Refund(order_id="po-1", cents=4294967296)
    emit("proto/shop.Refund/py-proto-refund", ProtobufSerializer(shop_pb2.Refund, client)(refund, context("py-proto-refund")))

    # shop.Refund with the GUID frame and its message indexes in the header.
    headers = []
    header_refunds = ProtobufSerializer(shop_pb2.Refund, client, conf={"schema.id.serializer": header_schema_id_serializer})
    emit("proto/shop.Refund/py-proto-refund-header", header_refunds(refund, context("py-proto-refund-header", headers)), headers)

    # shop.Invoice imports shop.proto: the serializer registers shop.proto under the subject "shop.proto" and
    # references it by the name "shop.proto".
    invoice = invoice_pb2.Invoice(
        number="INV-2024-001",
        status=shop_pb2.SHIPPED,
        total_cents=1099511627776,
        order=shop_pb2.Order(id="po-9", cents=250, tags=["x"], status=shop_pb2.SHIPPED),
        lines=[
            invoice_pb2.Invoice.Line(sku="SKU-1", cents=100, quantity=2),
            invoice_pb2.Invoice.Line(sku="SKU-2", cents=-50, quantity=1),
        ],
    )
    invoices = ProtobufSerializer(invoice_pb2.Invoice, client)
    emit("proto/shop.Invoice/py-proto-invoice", invoices(invoice, context("py-proto-invoice")))

    # The same with the GUID frame in the payload prefix.
    guid_invoices = ProtobufSerializer(invoice_pb2.Invoice, client, conf={"schema.id.serializer": guid_prefix_serializer})
    emit("proto/shop.Invoice/py-proto-invoice-guid", guid_invoices(invoice, context("py-proto-invoice-guid")))

    # shop.Invoice.Line, a nested message: indexes [0, 0].
    line = invoice_pb2.Invoice.Line(sku="SKU-3", cents=9223372036854775807, quantity=-3)
    lines_serializer = ProtobufSerializer(invoice_pb2.Invoice.Line, client)
    emit("proto/shop.Invoice.Line/py-proto-line", lines_serializer(line, context("py-proto-line")))

    with open(out, "w") as handle:
        handle.write("\n".join(lines) + "\n")


def canonical(value):
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def read(client, infile, shop_pb2, invoice_pb2):
    classes = message_classes(shop_pb2, invoice_pb2)
    avro = AvroDeserializer(client)
    protobuf = {name: ProtobufDeserializer(cls, conf={"use.deprecated.format": False}) for name, cls in classes.items()}
    with open(infile) as handle:
        entries = [line.split(" ") for line in handle.read().splitlines() if line.strip()]
    for entry in entries:
        case, hexed = entry[0], entry[1]
        data = bytes.fromhex(hexed)
        parts = case.split("/")
        header = bytes.fromhex(entry[2]) if len(entry) > 2 else None
        ctx = context(parts[-1], [(VALUE_SCHEMA_ID_HEADER, header)] if header is not None else None)
        # The frame as the deserializers read it (dual_schema_id_deserializer is their default
        # schema.id.deserializer; without headers it reads the payload prefix).
        frame = SchemaId({"avro": "AVRO", "proto": "PROTOBUF"}[parts[0]])
        rest = dual_schema_id_deserializer(data, ctx, frame)
        assert isinstance(rest, io.BytesIO)
        described = {"magic": (header if header is not None else data)[0]}
        if frame.id is not None:
            described["id"] = frame.id
        if frame.guid is not None:
            described["guid"] = str(frame.guid)
        if frame.message_indexes is not None:
            described["indexes"] = frame.message_indexes
        if parts[0] == "avro":
            value = avro(data, ctx)
        elif parts[0] == "proto":
            message = protobuf[parts[1]](data, ctx)
            assert type(message).DESCRIPTOR.full_name == parts[1], type(message)
            value = json_format.MessageToDict(message)
        else:
            raise ValueError("unknown case " + case)
        print(case, canonical(value), flush=True)
        print(case + "#frame", canonical(described), flush=True)


def main():
    if len(sys.argv) != 4 or sys.argv[1] not in ("write", "read"):
        sys.exit("usage: serde_interop.py write|read URL FILE")
    mode, url, path = sys.argv[1:]
    client = SchemaRegistryClient({"url": url})
    with tempfile.TemporaryDirectory() as folder:
        shop_pb2, invoice_pb2 = generate_protobuf_modules(folder)
        if mode == "write":
            write(client, path, shop_pb2, invoice_pb2)
        else:
            read(client, path, shop_pb2, invoice_pb2)


if __name__ == "__main__":
    main()
