#!/usr/bin/env bash
# Every test: type-checking, then the unit tests. Prints "N passed, N failed" last.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup.sh

echo "== type-check (svelte-check)"
npx svelte-kit sync
npx svelte-check --tsconfig ./tsconfig.json --fail-on-warnings --output human

echo "== unit tests (vitest)"
report="$(mktemp -d)/vitest.json"
status=0
npx vitest run --reporter=default --reporter=json --outputFile.json="$report" || status=$?
node scripts/summarize-vitest.mjs "$report"
exit $status
