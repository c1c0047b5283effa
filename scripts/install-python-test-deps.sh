#!/usr/bin/env bash
# Installs what Tests/python/confluent_client_test.py needs: the confluent-kafka client from PyPI with its
# schema-registry, Avro, JSON Schema and Protobuf extras (requests/httpx, attrs, cachetools, authlib, fastavro,
# jsonschema, protobuf)
# and grpcio-tools for protoc. Safe to run again.
set -euo pipefail
python=${PYTHON:-python3}
"$python" -m pip install --quiet --disable-pip-version-check --root-user-action=ignore \
    'confluent-kafka[avro,json,protobuf,schemaregistry]>=2.6' \
    'grpcio-tools>=1.60'
"$python" - <<'PY'
import confluent_kafka, fastavro, google.protobuf, grpc_tools  # noqa: F401
from confluent_kafka.schema_registry import SchemaRegistryClient  # noqa: F401
from confluent_kafka.schema_registry.avro import AvroSerializer  # noqa: F401
from confluent_kafka.schema_registry.protobuf import ProtobufSerializer  # noqa: F401
from confluent_kafka.schema_registry.json_schema import JSONSerializer  # noqa: F401
print("python test deps ok: confluent-kafka", confluent_kafka.version())
PY
