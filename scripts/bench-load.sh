#!/usr/bin/env bash
# The side-by-side load benchmark of issue 9 (docs/performance.md, "Load: Sotto vs Janus vs a plain relay").
# Installs Janus (Debian package janus 1.1.2), builds bench/Sotto.Load, and runs it pinned to core 0
# while each server runs pinned to core 1 in a network namespace the harness creates. Needs root.
# Writes load-report/load-report.{json,md,svg}; extra arguments go to `Sotto.Load run` (see --help there).
#   scripts/bench-load.sh                       # the full run (≈ 15–20 min)
#   scripts/bench-load.sh --meeting 2,4 --scenarios meeting --targets sotto,janus   # a quick look
set -euo pipefail
cd "$(dirname "$0")/.."

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
if ! command -v janus >/dev/null; then
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends janus iproute2
fi

dotnet build bench/Sotto.Load -c Release -nologo -clp:ErrorsOnly
out="${SOTTO_LOAD_OUT:-load-report}"
# Generator on core 0; the harness pins each server to core 1 (--server-core).
exec taskset -c 0 dotnet bench/Sotto.Load/bin/Release/net10.0/Sotto.Load.dll run --out "$out" --server-core 1 "$@"
