#!/usr/bin/env bash
# Installs the project's npm dependencies when they are missing or out of date, so that
# `npm run demo` and `npm test` work on a fresh clone without a separate install step.
# Node 24 itself comes from the npm registry (the `node` devDependency): npm scripts put
# node_modules/.bin first on PATH, so every script runs on it whatever Node launched npm.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
stamp="node_modules/.cryptostream-deps"
# The lock file pins every dependency: reinstall only when it changes.
want="$(sha256sum package-lock.json | cut -d' ' -f1)"
if [[ -f "$stamp" && "$(cat "$stamp")" == "$want" && -x node_modules/.bin/node ]]; then exit 0; fi
# Everything goes to stderr: `npm run -s aggregate` prints its windows on stdout.
echo "ensure-deps: installing npm dependencies (npm ci)…" >&2
npm ci --no-audit --no-fund --loglevel=error >&2
node_modules/.bin/node --version >/dev/null || { echo "ensure-deps: the node package did not install Node 24" >&2; exit 1; }
echo "$want" > "$stamp"
