#!/bin/sh
# Regenerates expected/invalid_errors.tsv: every error protoc reports for each invalid fixture, one per line,
# as "<fixture>\t<protoc's line>" (warnings left out).
#
# Command (run from Tests/ProtobufSchemaTests/Fixtures/compile):
#   sh tools/generate_invalid_expectations.sh
# Tool used for the committed file: grpcio-tools 1.85.1 (libprotoc 35.1), from PyPI:
#   python3 -m grpc_tools.protoc -I invalid -I <grpc_tools>/_proto --descriptor_set_out=/dev/null <fixture>
set -eu
cd "$(dirname "$0")/.."
WKT="$(python3 -c 'import grpc_tools, os; print(os.path.join(os.path.dirname(grpc_tools.__file__), "_proto"))')"
out=expected/invalid_errors.tsv
: > "$out"
cd invalid
for f in *.proto; do
  python3 -m grpc_tools.protoc -I . -I "$WKT" --descriptor_set_out=/dev/null "$f" 2>&1 \
    | grep -v 'warning:' | while IFS= read -r line; do printf '%s\t%s\n' "$f" "$line" >> "../$out"; done || true
done
