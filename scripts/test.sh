#!/usr/bin/env bash
# `npm test`: type-check, lint, then every unit and integration test. Integration tests talk
# to a real Kafka broker and a real MySQL, which jest.global-setup.js provides.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
bash scripts/ensure-deps.sh
# The dashboard's browser test drives Debian's chromium (never a downloaded browser); Java,
# Maven and MariaDB are seen to by jest.global-setup.js (scripts/kafka.sh, scripts/mysql.sh).
bash scripts/ensure-system.sh chromium
export PATH="$root/node_modules/.bin:$PATH" NX_DAEMON=false NX_NO_CLOUD=true
echo "test: node $(node --version)"
echo "test: type-checking"
tsc -p tsconfig.json
tsc -p apps/api/dashboard/tsconfig.json   # the dashboard runs in the browser (DOM types)
echo "test: linting"
nx show projects >/dev/null   # builds the project graph that the module-boundary rule reads
eslint --max-warnings=0 apps libs tools
echo "test: jest"
# --forceExit: a handle left open by a suite (seen: DuckDB's reaper) must not hold CI until its
# deadline once every test has reported; Jest still prints its open-handle warning.
# Three workers on two cores: most suites wait on brokers, databases and the processes they
# start, so the run is bound by those waits, not by the CPU (TEST_WORKERS=1 runs them in series).
jest --ci --forceExit --maxWorkers="${TEST_WORKERS:-3}" "$@"
