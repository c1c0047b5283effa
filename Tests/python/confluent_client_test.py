#!/usr/bin/env python3
"""Drives an Accord server with the unmodified confluent-kafka Python client (PyPI).

Usage: python3 Tests/python/confluent_client_test.py http://127.0.0.1:PORT

Exercises SchemaRegistryClient (register, get, lookup, versions, compatibility, config, mode, delete) and
round-trips records through AvroSerializer/AvroDeserializer and ProtobufSerializer/ProtobufDeserializer with a
SerializationContext and no Kafka broker. The Protobuf message classes are generated at run time from
Tests/python/protos with grpcio-tools' protoc. Prints one `ok ...` line per check and `ALL OK` at the end;
any failure raises (non-zero exit).
"""

import importlib
import os
import struct
import sys
import tempfile

from confluent_kafka.schema_registry import Schema, SchemaReference, SchemaRegistryClient
from confluent_kafka.schema_registry.avro import AvroDeserializer, AvroSerializer
from confluent_kafka.schema_registry.error import SchemaRegistryError
from confluent_kafka.schema_registry.protobuf import ProtobufDeserializer, ProtobufSerializer
from confluent_kafka.serialization import MessageField, SerializationContext

HERE = os.path.dirname(os.path.abspath(__file__))

USER_V1 = (
    '{"type":"record","name":"User","namespace":"py",'
    '"fields":[{"name":"name","type":"string"},{"name":"age","type":"int"}]}'
)
USER_V2 = (
    '{"type":"record","name":"User","namespace":"py",'
    '"fields":[{"name":"name","type":"string"},{"name":"age","type":"int"},'
    '{"name":"email","type":["null","string"],"default":null}]}'
)
USER_BAD = (
    '{"type":"record","name":"User","namespace":"py",'
    '"fields":[{"name":"name","type":"string"},{"name":"age","type":"int"},{"name":"city","type":"string"}]}'
)


def ok(what):
    print("ok", what, flush=True)


def expect_error(call, status, code, what):
    try:
        call()
    except SchemaRegistryError as error:
        assert error.http_status_code == status, (what, error.http_status_code, error)
        assert error.error_code == code, (what, error.error_code, error)
        ok(what)
        return
    raise AssertionError(what + ": no error raised")


def client_api(client):
    subject = "py-users-value"
    schema_id = client.register_schema(subject, Schema(USER_V1, "AVRO"))
    assert schema_id > 0
    assert client.register_schema(subject, Schema(USER_V1, "AVRO")) == schema_id
    ok("register_schema (idempotent)")

    full = client.register_schema_full_response(subject, Schema(USER_V1, "AVRO"))
    assert full.schema_id == schema_id, full
    ok("register_schema_full_response")

    fetched = client.get_schema(schema_id)
    assert fetched.schema_str == USER_V1, fetched.schema_str
    assert fetched.schema_type == "AVRO"
    ok("get_schema")

    registered = client.lookup_schema(subject, Schema(USER_V1, "AVRO"))
    assert registered.schema_id == schema_id and registered.version == 1 and registered.subject == subject
    ok("lookup_schema")
    expect_error(lambda: client.lookup_schema("py-missing", Schema(USER_V1, "AVRO")), 404, 40401, "lookup 40401")
    expect_error(lambda: client.lookup_schema(subject, Schema(USER_V2, "AVRO")), 404, 40403, "lookup 40403")

    assert client.test_compatibility(subject, Schema(USER_V2, "AVRO")) is True
    assert client.test_compatibility(subject, Schema(USER_BAD, "AVRO")) is False
    assert client.test_compatibility_all_versions(subject, Schema(USER_V2, "AVRO")) is True
    ok("test_compatibility")

    v2 = client.register_schema(subject, Schema(USER_V2, "AVRO"))
    assert v2 != schema_id
    try:
        client.register_schema(subject, Schema(USER_BAD, "AVRO"))
        raise AssertionError("incompatible schema registered")
    except SchemaRegistryError as error:
        assert error.http_status_code == 409, error
    ok("incompatible registration refused (409)")

    latest = client.get_latest_version(subject)
    assert latest.version == 2 and latest.schema_id == v2
    assert client.get_version(subject, 1).schema_id == schema_id
    assert client.get_versions(subject) == [1, 2]
    assert subject in client.get_subjects()
    ok("get_latest_version / get_version / get_versions / get_subjects")
    expect_error(lambda: client.get_version(subject, 9), 404, 40402, "get_version 40402")
    expect_error(lambda: client.get_schema(987654), 404, 40403, "get_schema 40403")

    types = client.get_schema_types()
    assert "AVRO" in types and "PROTOBUF" in types, types
    ok("get_schema_types")
    assert client.get_subjects_by_schema_id(schema_id) == [subject]
    assert [(v.subject, v.version) for v in client.get_schema_versions(schema_id)] == [(subject, 1)]
    ok("get_subjects_by_schema_id / get_schema_versions")

    assert client.set_compatibility(subject, "FULL") == {"compatibility": "FULL"}
    assert client.get_compatibility(subject) == "FULL"
    assert client.get_compatibility() == "BACKWARD"
    config = client.get_config(subject)
    assert str(config.compatibility_level).endswith("FULL"), config
    client.delete_config(subject)
    expect_error(lambda: client.get_config(subject), 404, 40408, "get_config 40408 after delete_config")
    assert client.get_contexts() == ["."]
    ok("set/get_compatibility, get_config, delete_config, get_contexts")

    # A named context: its own id sequence, ids resolved in the context of the subject asked with.
    in_context = ":.py:" + subject
    assert client.register_schema(in_context, Schema(USER_V2, "AVRO")) == 1
    assert client.get_schema(1, subject_name=in_context).schema_str == USER_V2
    assert client.get_latest_version(in_context).schema_id == 1
    assert client.get_contexts() == [".", ".py"]
    assert in_context in client.get_subjects()
    ok("named context: register, get_schema(subject_name=), get_contexts")

    assert client.update_mode(subject, "READONLY") == "READONLY"
    assert client.get_mode(subject) == "READONLY"
    expect_error(lambda: client.register_schema(subject, Schema(USER_BAD, "AVRO")), 422, 42205, "READONLY blocks")
    client.delete_mode(subject)
    assert client.get_global_mode() == "READWRITE"
    ok("update_mode / get_mode / delete_mode")

    assert client.delete_version(subject, 1) == 1
    assert client.get_versions(subject) == [2]
    assert client.delete_subject(subject) == [2]
    assert client.delete_subject(subject, permanent=True) == [1, 2]
    assert subject not in client.get_subjects()
    ok("delete_version / delete_subject (soft, permanent)")


def avro_round_trip(client):
    serializer = AvroSerializer(client, USER_V1)
    deserializer = AvroDeserializer(client)
    context = SerializationContext("py-avro", MessageField.VALUE)
    record = {"name": "Ada", "age": 36}
    data = serializer(record, context)
    assert data[0] == 0, data[:5]
    (schema_id,) = struct.unpack(">I", data[1:5])
    assert client.get_schema(schema_id).schema_str == USER_V1
    assert client.get_latest_version("py-avro-value").schema_id == schema_id
    assert deserializer(data, context) == record
    # A second deserializer with a fresh client fetches the writer schema by id from the server.
    fresh = SchemaRegistryClient({"url": client_url})
    assert AvroDeserializer(fresh)(data, context) == record
    ok("AvroSerializer/AvroDeserializer round trip (id %d)" % schema_id)


def generate_protobuf_module(folder):
    from grpc_tools import protoc
    import grpc_tools

    include = os.path.join(os.path.dirname(grpc_tools.__file__), "_proto")
    protos = os.path.join(HERE, "protos")
    for proto in ["e2e/common/money.proto", "e2e/invoice.proto"]:
        status = protoc.main(["protoc", "-I", protos, "-I", include, "--python_out=" + folder, proto])
        assert status == 0, ("protoc failed", proto)
    for package in ["e2e", "e2e/common"]:
        open(os.path.join(folder, package, "__init__.py"), "a").close()
    sys.path.insert(0, folder)
    return importlib.import_module("e2e.invoice_pb2")


def protobuf_round_trip(client, folder):
    invoice_pb2 = generate_protobuf_module(folder)
    conf = {"use.deprecated.format": False}
    serializer = ProtobufSerializer(invoice_pb2.Invoice, client, conf)
    deserializer = ProtobufDeserializer(invoice_pb2.Invoice, conf)
    context = SerializationContext("py-proto", MessageField.VALUE)
    message = invoice_pb2.Invoice(id="inv-1", lines=["a", "b"])
    message.total.currency = "EUR"
    message.total.units = 1200
    message.issued.seconds = 1_700_000_000
    data = serializer(message, context)
    assert data[0] == 0
    (schema_id,) = struct.unpack(">I", data[1:5])
    assert data[5] == 0  # message index [0], written as the single byte 0
    back = deserializer(data, context)
    assert back == message, back

    # The import became a reference registered under its own subject.
    latest = client.get_latest_version("py-proto-value")
    assert latest.schema_id == schema_id
    assert latest.schema.schema_type == "PROTOBUF"
    names = [reference.name for reference in latest.schema.references]
    assert "e2e/common/money.proto" in names, names
    money = client.get_latest_version("e2e/common/money.proto")
    assert client.get_referenced_by("e2e/common/money.proto", money.version) == [schema_id]
    # format=serialized answers a base64 FileDescriptorProto.
    serialized = client.get_schema(schema_id, fmt="serialized")
    import base64
    from google.protobuf import descriptor_pb2

    file = descriptor_pb2.FileDescriptorProto.FromString(base64.b64decode(serialized.schema_str))
    assert [m.name for m in file.message_type] == ["Invoice"], file
    ok("ProtobufSerializer/ProtobufDeserializer round trip with a reference (id %d)" % schema_id)

    # Registering the generated descriptor as base64 (as some clients do) finds the same schema.
    raw = base64.b64encode(invoice_pb2.DESCRIPTOR.serialized_pb).decode()
    refs = [SchemaReference(r.name, r.subject, r.version) for r in latest.schema.references]
    found = client.lookup_schema("py-proto-value", Schema(raw, "PROTOBUF", refs))
    assert found.schema_id == schema_id, found
    ok("lookup of a base64 FileDescriptorProto")


if __name__ == "__main__":
    client_url = sys.argv[1]
    client = SchemaRegistryClient({"url": client_url})
    client_api(client)
    avro_round_trip(client)
    with tempfile.TemporaryDirectory() as folder:
        protobuf_round_trip(client, folder)
    print("ALL OK", flush=True)
