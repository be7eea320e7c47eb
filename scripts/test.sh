#!/usr/bin/env bash
# Every test: type-checking, unit tests, then end-to-end tests in Debian's Chromium against the
# built app. Prints "N passed, N failed" last.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup.sh
bash scripts/ensure-chromium.sh

echo "== type-check (svelte-check)"
npx paraglide-js compile --project ./project.inlang --outdir ./src/lib/paraglide > /dev/null
npx svelte-kit sync
npx svelte-check --tsconfig ./tsconfig.json --fail-on-warnings --output human

echo "== build (vite)"
npx vite build --logLevel error

echo "== unit and end-to-end tests (vitest)"
report="$(mktemp -d)/vitest.json"
status=0
npx vitest run --reporter=default --reporter=json --outputFile.json="$report" || status=$?
node scripts/summarize-vitest.mjs "$report"
exit $status
