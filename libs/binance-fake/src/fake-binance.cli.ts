/**
 * Runs the fake Binance on its own, for manual sessions:
 *   node -r @swc-node/register libs/binance-fake/src/fake-binance.cli.ts [--now] [port] [speed] [file[=SYMBOL] …]
 * Defaults: port 9443, speed 1, the two TRX recordings of data/binance; `--now` moves the
 * recorded times to the present (see FakeBinanceOptions.timeline). Then point the ingestor at
 * it with BINANCE_REST_URL=http://127.0.0.1:9443 BINANCE_WS_URL=ws://127.0.0.1:9443, and make it
 * misbehave with e.g. `curl -X POST 127.0.0.1:9443/fake/drop`.
 */
import { join } from 'node:path';
import { startFakeBinance } from './fake-binance.server';

const args = process.argv.slice(2);
const timeline = args.includes('--now') ? 'now' : 'recorded';
const [portText = '9443', speedText = '1', ...files] = args.filter((arg) => arg !== '--now');
const data = join(__dirname, '../../../data/binance');
const recordings = (files.length > 0 ? files : [
  join(data, 'test_positive_binance_trade_stream_usd_m_futures_trxusdt_04-03-2025.csv'),
  join(data, 'test_positive_binance_trade_stream_coin_m_futures_trxusd_perp_04-03-2025.csv'),
]).map((spec) => {
  const [file, symbol] = spec.split('=');
  return symbol ? { file, symbol } : { file };
});

startFakeBinance({ recordings, speed: Number(speedText), port: Number(portText), timeline })
  .then((fake) => {
    console.log(`fake Binance on ${fake.restUrl} and ${fake.wsUrl}: ${fake.market.symbols().join(', ')} at ${speedText}x`);
    process.on('SIGTERM', () => void fake.close().then(() => process.exit(0)));
    process.on('SIGINT', () => void fake.close().then(() => process.exit(0)));
  })
  .catch((error: unknown) => {
    console.error(`fake Binance did not start: ${(error as Error).message}`);
    process.exit(1);
  });
