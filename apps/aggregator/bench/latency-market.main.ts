/**
 * bench:latency's fake Binance in a process of its own (so that the bench's SSE clients do not
 * delay its frames): `node -r @swc-node/register latency-market.main.ts SPEC_JSON`. Prints one
 * JSON line, `{ restUrl, wsUrl, shiftMs }` (shiftMs: how far the fake moved the tapes to now),
 * and serves until SIGTERM.
 */
import { startFakeBinance } from '@cryptostream/binance-fake';
import { latencyTapes, LatencyMarketSpec } from './latency-market';

async function main(): Promise<void> {
  const spec = JSON.parse(process.argv[2]) as LatencyMarketSpec;
  const tapes = await latencyTapes(spec);
  const fake = await startFakeBinance({ recordings: [], tapes, timeline: 'now' });
  const shiftMs = fake.market.tape(tapes[0].symbol).trades[0].tradeTimeMs - tapes[0].trades[0].tradeTimeMs;
  process.stdout.write(`${JSON.stringify({ restUrl: fake.restUrl, wsUrl: fake.wsUrl, shiftMs })}\n`);
  process.once('SIGTERM', () => void fake.close().then(() => process.exit(0)));
}

main().catch((error: unknown) => {
  process.stderr.write(`latency market failed: ${(error as Error).stack ?? error}\n`);
  process.exit(1);
});
