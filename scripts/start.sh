#!/usr/bin/env bash
# Starts Stepwise on a fresh machine: installs dependencies, builds, serves on http://127.0.0.1:${PORT:-3000}.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup.sh
npx vite build --logLevel warn
node scripts/build-cli.mjs
export HOST="${HOST:-127.0.0.1}" PORT="${PORT:-3000}"
# the address students and teachers use; SvelteKit refuses form posts from any other origin
export ORIGIN="${ORIGIN:-http://$HOST:$PORT}"
# a teacher may upload up to 20 exercise files of 200 kB at once
export BODY_SIZE_LIMIT="${BODY_SIZE_LIMIT:-5M}"
echo "Stepwise is running at http://$HOST:$PORT (Ctrl+C stops it)"
exec node build
