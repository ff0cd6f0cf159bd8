#!/usr/bin/env bash
# Runs every web client test (web/**/*.test.js, *.test.mjs) with node's built-in test runner and
# ends with one plain line of real totals:
#   N passed, N failed
# Human-readable output goes to stdout (spec reporter); the counts come from a TAP report of the
# same run (its final "# pass" / "# fail" / "# cancelled" lines). Exits non-zero on any failure.
# Usage: scripts/test-web.sh [extra node --test args, e.g. --test-name-pattern=SFrame]
set -uo pipefail
cd "$(dirname "$0")/.."

# The e2ee modules need WebCrypto as globalThis.crypto and the test runner's reporters: node >= 20.
major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
if [ "$major" -lt 20 ]; then
  echo "node >= 20 is required (found: $(node --version 2>/dev/null || echo none))"
  echo "0 passed, 1 failed"
  exit 1
fi

mapfile -t files < <(find web -path '*/node_modules' -prune -o -type f \( -name '*.test.js' -o -name '*.test.mjs' \) -print | sort)
if [ "${#files[@]}" = 0 ]; then
  echo "no web tests found"
  echo "0 passed, 1 failed"
  exit 1
fi

tap=$(mktemp)
trap 'rm -f "$tap"' EXIT

echo "== web tests (${#files[@]} files)"
node --test \
  --test-reporter=spec --test-reporter-destination=stdout \
  --test-reporter=tap --test-reporter-destination="$tap" \
  "$@" "${files[@]}"
status=$?

count() { grep -E "^# $1 [0-9]+$" "$tap" | tail -1 | grep -oE '[0-9]+$' || echo 0; }
passed=$(count pass)
failed=$(( $(count fail) + $(count cancelled) ))   # a cancelled test (e.g. a hung promise) is a failure
if [ "$status" != 0 ] && [ "$failed" = 0 ]; then failed=1; fi   # the runner itself failed
if ! grep -qE '^# pass [0-9]+$' "$tap"; then failed=$((failed + 1)); fi   # no summary: count it as a failure
echo "${passed} passed, ${failed} failed"
[ "$failed" = 0 ]
