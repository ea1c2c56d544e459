#!/usr/bin/env bash
# `npm test`: type-check, lint, then every unit and integration test. Integration tests talk
# to a real Kafka broker and a real MySQL, which jest.global-setup.js provides.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
bash scripts/ensure-deps.sh
export PATH="$root/node_modules/.bin:$PATH" NX_DAEMON=false NX_NO_CLOUD=true
echo "test: node $(node --version)"
echo "test: type-checking"
tsc -p tsconfig.json
tsc -p apps/api/dashboard/tsconfig.json   # the dashboard runs in the browser (DOM types)
echo "test: linting"
nx show projects >/dev/null   # builds the project graph that the module-boundary rule reads
eslint --max-warnings=0 apps libs tools
# The dashboard's browser test drives Debian's chromium (never a downloaded browser).
if [[ ! -x /usr/bin/chromium ]]; then
  if [[ "$(id -u)" == 0 ]]; then
    echo "test: installing chromium for the dashboard's browser test"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    echo "test: /usr/bin/chromium is missing; install it (sudo apt-get install -y chromium) and run again" >&2
    exit 1
  fi
fi
echo "test: jest"
jest --ci "$@"
