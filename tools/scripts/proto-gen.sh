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
# Zero-copy buffers on the data path: the encoder's finish() already returns a fresh array, and bytes fields may stay
# views into the received message (readers go through alignment-safe views), so ts-proto's Buffer.from copies go.
sed -i -E \
  -e 's/Buffer\.from\(([A-Za-z]+)\.encode\(value\)\.finish\(\)\)/bufferView(\1.encode(value).finish())/g' \
  -e 's/Buffer\.from\(reader\.bytes\(\)\)/bufferView(reader.bytes())/g' \
  "$out"/tributary/v1/*.ts
for f in "$out"/tributary/v1/*.ts; do
  if grep -q 'bufferView(' "$f"; then
    printf '\n/** A Buffer over the same memory (no copy). */\nfunction bufferView(u: Uint8Array): Buffer {\n  return Buffer.from(u.buffer, u.byteOffset, u.byteLength);\n}\n' >> "$f"
  fi
done
echo "generated: $(find "$out" -name '*.ts' | wc -l) files"
