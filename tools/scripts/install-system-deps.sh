#!/usr/bin/env bash
# Debian packages the tests and tools need: real Netdata 1.37 agents, real TSDBs, Chromium for the browser test,
# protoc for regenerating contracts, docker-compose for offline compose validation. Idempotent.
set -euo pipefail
SHARED="${TRIBUTARY_SHARED_DIR:-$(cd "$(dirname "$0")/../../.." && pwd)/shared}"
PKGS=(netdata-core netdata-plugins-bash victoria-metrics prometheus graphite-carbon python3-whisper netcat-openbsd
      curl chromium protobuf-compiler docker-compose openssl)
missing=()
for p in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if (( ${#missing[@]} )); then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
if [ -x "$SHARED/tools/netdata-child/install.sh" ]; then bash "$SHARED/tools/netdata-child/install.sh"; fi
