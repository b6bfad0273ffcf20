#!/usr/bin/env bash
# The SDK's own checks, for test.sh: install the pinned tools (npm ci), type-check against @codat/sdk-link-types, fail
# when the committed build (src/Consentry/wwwroot/{sdk,link}) differs from a fresh one, and run the unit tests with
# node's test runner. Writes TAP results to $1 (for test.sh's totals).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
tap="${1:-$here/results.tap}"
cd "$here"
npm ci --no-audit --no-fund --loglevel=error >/dev/null
npx --no-install tsc --noEmit -p .
node build.mjs --check
node build.mjs --test
node --test --test-reporter=spec --test-reporter-destination=stdout --test-reporter=tap --test-reporter-destination="$tap" test/
