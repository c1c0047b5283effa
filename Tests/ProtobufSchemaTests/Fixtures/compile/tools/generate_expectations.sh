#!/bin/sh
# Regenerates expected/<name>.pb: the FileDescriptorSet protoc writes for each valid fixture (with imports).
#
# Command (run from Tests/ProtobufSchemaTests/Fixtures/compile):
#   sh tools/generate_expectations.sh
# Tools used to make the committed files: grpcio-tools 1.85.1 (libprotoc 35.1), from PyPI:
#   pip install grpcio-tools==1.85.1
# For each main file:
#   python3 -m grpc_tools.protoc -I valid -I <grpc_tools>/_proto --include_imports \
#     --descriptor_set_out=expected/<name>.pb <file>
# Tests compare our FileDescriptorProtos with these (source_code_info is not requested, so absent).
set -eu
cd "$(dirname "$0")/.."
WKT="$(python3 -c 'import grpc_tools, os; print(os.path.join(os.path.dirname(grpc_tools.__file__), "_proto"))')"
for main in $(cat tools/main_files.txt); do
  name=$(echo "$main" | sed 's|/|_|g; s|\.proto$||')
  python3 -m grpc_tools.protoc -I valid -I "$WKT" --include_imports \
    --descriptor_set_out="expected/$name.pb" "$main"
done
