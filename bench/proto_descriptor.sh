#!/usr/bin/env bash
# Regenerates bench/bench.pb, the FileDescriptorSet of bench/bench.proto that accord-bench and
# bench/upb_bench.py load (neither needs protoc at run time).
# Made with: python3 -m grpc_tools.protoc (grpcio-tools 1.85.1, protobuf 7.36.2), run from the repository root:
#   python3 -m grpc_tools.protoc -Ibench --include_imports --descriptor_set_out=bench/bench.pb bench/bench.proto
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m grpc_tools.protoc -Ibench --include_imports --descriptor_set_out=bench/bench.pb bench/bench.proto
