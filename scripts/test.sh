#!/usr/bin/env bash
# Every test: type-checking, unit tests, then end-to-end tests in Debian's Chromium against the
# built app, and load tests; storage tests run on SQLite and on a throwaway PostgreSQL cluster
# started here and removed at the end. Prints how long each part took, then "N passed, N failed"
# last.
set -euo pipefail
cd "$(dirname "$0")/.."

# Each part's duration, printed at the end so that the slow part is visible.
timings=()
part_name=""
part_start=$SECONDS
part() {
  [ -n "$part_name" ] && timings+=("$part_name $((SECONDS - part_start)) s")
  part_name="$1"
  part_start=$SECONDS
  [ -n "$1" ] && echo "== $1${2:+ ($2)}"
  return 0
}

part "set-up" "npm dependencies, Debian's chromium and numpy"
bash scripts/setup.sh
bash scripts/ensure-chromium.sh
bash scripts/ensure-python.sh

part "PostgreSQL" "a throwaway cluster for the storage, copy and load tests"
pg_dir="$(mktemp -d /tmp/stepwise-pg.XXXXXX)"
trap 'bash scripts/postgres-test-cluster.sh stop "$pg_dir"' EXIT
trap 'exit 130' INT TERM
if ! TEST_DATABASE_URL="$(bash scripts/postgres-test-cluster.sh start "$pg_dir")"; then
  echo "tests: PostgreSQL could not be started (the reason is above); the tests that need it cannot run" >&2
  echo "tests: 0 passed, 1 failed"
  exit 1
fi
# the URL for the tests, and the cluster's folder for the test that restarts it
export TEST_DATABASE_URL TEST_POSTGRES_CLUSTER="$pg_dir"

part "type-check" "svelte-check"
npx paraglide-js compile --project ./project.inlang --outdir ./src/lib/paraglide > /dev/null
npx svelte-kit sync
npx svelte-check --tsconfig ./tsconfig.json --fail-on-warnings --output human

part "build" "vite, and the command line"
npx vite build --logLevel error
node scripts/build-cli.mjs

part "tests" "vitest: unit, end-to-end in Chromium, load"
report="$(mktemp -d)/vitest.json"
status=0
npx vitest run --reporter=default --reporter=json --outputFile.json="$report" || status=$?
part ""
echo "time: $(IFS='|'; echo "${timings[*]}" | sed 's/|/ · /g') · in all $SECONDS s"
node scripts/summarize-vitest.mjs "$report"
exit $status
