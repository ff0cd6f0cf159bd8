#!/usr/bin/env bash
# Installs what the tests need and runs every test; ends with one plain line of real totals:
#   N passed, N failed, N skipped
# Usage: scripts/test.sh [extra dotnet test args]
set -uo pipefail
cd "$(dirname "$0")/.."

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

# Prerequisites, installed unconditionally (a machine may have some by hand; apt makes it a no-op then).
#  chromium: the real WebRTC peer for browser tests; openssl: independent DTLS-SRTP implementation.
echo "== installing test prerequisites (apt)"
as_root apt-get update -qq >/dev/null
as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
  chromium openssl fonts-dejavu-core janus >/dev/null || { echo "apt-get install failed"; echo "0 passed, 1 failed"; exit 1; }

results="$PWD/TestResults"
rm -rf "$results"
mkdir -p "$results"

echo "== building"
if ! dotnet build Sotto.slnx -c Release -nologo -clp:ErrorsOnly; then
  echo "build failed"; echo "0 passed, 1 failed"; exit 1
fi

# One test project at a time: the browser, load and media suites measure real time (Chromium's
# bandwidth ramp, NACK round trips, Janus in a namespace), and on a 2-core machine two of them side
# by side starve each other. Sequential costs little (the browser suite dominates) and keeps their
# timing honest.
echo "== running tests"
status=0
for project in $(ls tests/*.Tests/*.Tests.csproj | grep -v Browser) tests/Sotto.Browser.Tests/Sotto.Browser.Tests.csproj; do
  name=$(basename "$project" .csproj)
  echo "== $name"
  dotnet test "$project" -c Release --no-build -nologo \
    --logger "trx;LogFileName=$name.trx" --logger "console;verbosity=normal" \
    --results-directory "$results" \
    --blame-hang-timeout 8m "$@" || status=1
done

# Totals from the TRX files of every test assembly (dotnet test's own summary is per assembly).
passed=0; failed=0; skipped=0; files=0
for trx in "$results"/*.trx; do
  [ -f "$trx" ] || continue
  files=$((files + 1))
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -1)
  get() { echo "$counters" | grep -o " $1=\"[0-9]*\"" | grep -o '[0-9]*'; }
  passed=$((passed + $(get passed)))
  failed=$((failed + $(get failed) + $(get error) + $(get timeout) + $(get aborted)))
  skipped=$((skipped + $(get notExecuted)))
done
if [ "$files" = 0 ]; then failed=$((failed + 1)); fi
if [ "$status" != 0 ] && [ "$failed" = 0 ]; then failed=1; fi   # a crashed test host counts as a failure

# Browser-side modules (web/): node's built-in test runner; its last line is "N passed, N failed".
echo "== running web tests (node --test)"
web_log="$results/web-tests.log"
bash scripts/test-web.sh 2>&1 | tee "$web_log"
web_status=${PIPESTATUS[0]}
web_totals=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$web_log" | tail -1)
web_passed=$(echo "$web_totals" | awk '{print $1+0}')
web_failed=$(echo "$web_totals" | awk '{print $3+0}')
# A runner that failed without counting a failure (crash, no totals line) still counts as one.
if [ "$web_status" != 0 ] && [ "$web_failed" = 0 ]; then web_failed=1; fi
passed=$((passed + web_passed)); failed=$((failed + web_failed))

# Name what failed right above the totals, so a log that keeps only its tail still says which tests.
if [ "$failed" != 0 ]; then
  echo "== failed tests"
  for trx in "$results"/*.trx; do
    [ -f "$trx" ] || continue
    grep -o '<UnitTestResult [^>]*outcome="Failed"[^>]*>' "$trx" | grep -o 'testName="[^"]*"' | sed 's/^testName="/  /; s/"$//'
  done
  # And why: the first lines of each failure's message (a tail-only log keeps these too).
  echo "== failure messages"
  for trx in "$results"/*.trx; do
    [ -f "$trx" ] || continue
    awk '
      /<UnitTestResult [^>]*outcome="Failed"/ { failed = 1; if (match($0, /testName="[^"]*"/)) print "  " substr($0, RSTART + 10, RLENGTH - 11) }
      failed && /<Message>/ { inmsg = 1; lines = 0; sub(/.*<Message>/, "") }
      inmsg { done = sub(/<\/Message>.*/, ""); if (lines++ < 12) print "    " substr($0, 1, 400); if (done) { inmsg = 0; failed = 0 } }
    ' "$trx" | sed 's/&lt;/</g; s/&gt;/>/g; s/&quot;/"/g; s/&apos;/'"'"'/g; s/&amp;/\&/g'
  done
  grep -E '^\s*✖ ' "$web_log" | sed 's/^\s*/  web: /' | head -20
fi
echo "${passed} passed, ${failed} failed, ${skipped} skipped"
[ "$failed" = 0 ]
