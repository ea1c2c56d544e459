#!/usr/bin/env bash
# `npm run live`: installs what is missing, starts Kafka and MySQL where they are not running,
# then runs ingestor, aggregator and API on live Binance data (or the local fake Binance when
# Binance cannot be reached) until Ctrl-C, and prints the dashboard's URL.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
bash scripts/ensure-deps.sh
export PATH="$root/node_modules/.bin:$PATH"
# A broker of your own (KAFKA_BROKERS) needs no local one.
[[ -n "${KAFKA_BROKERS:-}" ]] || bash scripts/kafka.sh start
bash scripts/mysql.sh
exec node -r @swc-node/register tools/demo/src/live.main.ts "$@"
