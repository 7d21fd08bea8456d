#!/usr/bin/env bash
# Regenerates libs/protocol/src/grpc/generated from the .proto contracts (needs Debian's protobuf-compiler).
set -euo pipefail
cd "$(dirname "$0")/../.."
out=libs/protocol/src/grpc/generated
rm -rf "$out" && mkdir -p "$out"
protoc --plugin=protoc-gen-ts_proto=node_modules/.bin/protoc-gen-ts_proto \
  --ts_proto_out="$out" \
  --ts_proto_opt=outputServices=grpc-js,env=node,esModuleInterop=true,forceLong=number,useOptionals=none,oneof=unions,useExactTypes=false,outputTypeRegistry=false,exportCommonSymbols=false \
  -I libs/protocol/proto libs/protocol/proto/tributary/v1/*.proto
echo "generated: $(find "$out" -name '*.ts' | wc -l) files"
