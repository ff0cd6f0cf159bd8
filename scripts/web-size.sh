#!/usr/bin/env bash
# The web client's size budget (issue #6, docs/performance.md): the sum of the `gzip -9` sizes of
# every file the server serves from web/ — the same selection Sotto.Server.csproj copies (no tests,
# test data, test-only modules or node tooling). Prints one line per file (gzip bytes, raw bytes,
# path) sorted by size, then the totals. Budget: 250 KB (256,000 bytes) gzip -9.
set -euo pipefail
cd "$(dirname "$0")/../web"
total_raw=0
total_gz=0
rows=$(find . -type f \
  ! -name '*.test.js' ! -name '*.test.mjs' ! -name 'package*.json' \
  ! -path '*/testdata/*' ! -path '*/node_modules/*' ! -path '*/browser-check/*' ! -path '*/testing/*' \
  | sort | while read -r f; do
    raw=$(wc -c < "$f")
    gz=$(gzip -9 -c "$f" | wc -c)
    printf '%8d %8d %s\n' "$gz" "$raw" "${f#./}"
  done | sort -rn)
echo "$rows"
while read -r gz raw _; do
  total_gz=$((total_gz + gz))
  total_raw=$((total_raw + raw))
done <<< "$rows"
files=$(echo "$rows" | wc -l)
echo "total: ${files} files, ${total_raw} bytes raw, ${total_gz} bytes gzip -9 (budget 256000)"
[ "$total_gz" -le 256000 ]
