#!/usr/bin/env bash
# `npm run demo`: installs what is missing, brings up Kafka and MySQL where they are not
# running, and replays the sample Binance trades through the whole pipeline.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
bash scripts/ensure-deps.sh
export PATH="$root/node_modules/.bin:$PATH"
# A broker of your own (KAFKA_BROKERS) needs no local one.
[[ -n "${KAFKA_BROKERS:-}" ]] || bash scripts/kafka.sh start
bash scripts/mysql.sh
exec node -r @swc-node/register tools/demo/src/demo.main.ts "$@"
