/**
 * `npm run demo`: replays the recorded Binance trades in data/binance through
 * ingestor -> Kafka -> aggregator -> MySQL and prints what landed. Settings: KAFKA_BROKERS
 * (its topics are `demo_crypto_prices`, `.dlq` and `demo_crypto_windows`, which the demo
 * re-creates first), MYSQL_URL (its database is replaced by `cryptostream_demo`, emptied first).
 */
import { kafkaConnection, SettingsReader, SHARED_DEFAULTS } from '@cryptostream/config';
import { answeringRegistry, LOCAL_REGISTRY_URL } from './answering-registry';
import { join } from 'node:path';
import { demoReport, lakeReport } from './demo-report';
import { DEMO_WINDOW_SIZES, runDemo } from './run-demo';

const ROOT = join(__dirname, '../../..');
const DATA = join(ROOT, 'data/binance');

async function main(): Promise<void> {
  const started = Date.now();
  const serverUrl = new URL(new SettingsReader(process.env).text('MYSQL_URL', SHARED_DEFAULTS.MYSQL_URL));
  serverUrl.pathname = '/cryptostream_demo';
  const log = (line: string) => console.log(`demo: ${line}`);
  const schemaRegistry = await answeringRegistry(new SettingsReader(process.env));
  if (!schemaRegistry) log(`no schema registry answers (SCHEMA_REGISTRY_URL, or ${LOCAL_REGISTRY_URL}: bash scripts/registry.sh start): records go without schema ids`);
  const result = await runDemo({
    files: [
      join(DATA, 'test_positive_binance_trade_stream_usd_m_futures_trxusdt_04-03-2025.csv'),
      join(DATA, 'test_positive_binance_trade_stream_coin_m_futures_trxusd_perp_04-03-2025.csv'),
    ],
    klines: { file: join(DATA, 'TRXUSDT-1m-2025-03__excerpt_2025-03-04T0000-0016.csv'), symbol: 'TRXUSDT', completeMinutes: 16 },
    kafka: kafkaConnection(new SettingsReader(process.env)),
    mysqlUrl: serverUrl.toString(),
    // Topics of its own, like its database: the demo deletes and re-creates them, so pointed at a
    // real cluster (KAFKA_BROKERS) it must never touch the pipeline's own topics.
    topic: 'demo_crypto_prices',
    deadLetterTopic: 'demo_crypto_prices.dlq',
    windowsTopic: 'demo_crypto_windows',
    lakeDir: join(ROOT, '.local/demo/lake'),
    groupId: `cryptostream-demo-${started}`,
    windowSizes: DEMO_WINDOW_SIZES,
    logDir: join(ROOT, '.local/demo'),
    ...(schemaRegistry ? { schemaRegistry } : {}),
    timeoutMs: 180_000,
    log,
  });
  console.log(`\n${demoReport(result.stored, result.klineCheck, 'TRXUSDT')}\n`);
  console.log(`${lakeReport(result.lakeCheck, join(ROOT, '.local/demo/lake'), serverUrl.toString())}\n`);
  log(`${result.stored.length} windows in ${serverUrl.pathname.slice(1)}.moving_averages; pipeline ${(result.pipelineMs / 1000).toFixed(1)} s, demo ${((Date.now() - started) / 1000).toFixed(1)} s`);
  if (result.differences.length === 0) {
    log(`MySQL equals the offline \`npm run aggregate\` result: ${result.expected.length} windows, 0 differences`);
  } else {
    log(`MySQL differs from the offline \`npm run aggregate\` result:\n  ${result.differences.slice(0, 20).join('\n  ')}`);
  }
  if (result.schemaIds) {
    const unknown = result.schemaIds.ids.filter((id) => id.artifact === undefined).reduce((sum, id) => sum + id.records, 0);
    log(`schema ids on crypto_prices: ${result.schemaIds.records} records, ${result.schemaIds.withoutId} without one, ${unknown} unknown to the registry (${result.schemaIds.ids.map((id) => `${id.globalId} = ${id.artifact ?? '?'}`).join(', ')}); browse ${schemaRegistry?.browseUrl}`);
    if (result.schemaIds.withoutId > 0 || unknown > 0) process.exitCode = 1;
  }
  const lakeDifferences = result.lakeCheck.bySymbol.reduce((sum, check) => sum + check.differences, 0);
  if (result.klineCheck.differences.length > 0 || result.differences.length > 0 || lakeDifferences > 0) process.exitCode = 1;
}

main().catch((error: unknown) => {
  console.error(`demo failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
