/**
 * `npm run live`: the whole pipeline on live data until Ctrl-C, watched in the dashboard.
 * Reads Binance's WebSocket streams (LIVE_SYMBOLS, default BTCUSDT,ETHUSDT,SOLUSDT); where
 * Binance cannot be reached, says so in one line and replays the recorded TRXUSDT and
 * TRXUSD_PERP trades at real time through the local fake Binance instead. Candles of
 * LIVE_WINDOW_SIZES (default 1m,5m,15m,1h). Works in its own topics (live_*) and database
 * (cryptostream_live), so it disturbs nothing else; a replay empties them first. Prometheus
 * (PROMETHEUS_PORT, default 9090) scrapes the three apps with the pipeline's alerts.
 */
import { kafkaConnection, SettingsReader, SHARED_DEFAULTS } from '@cryptostream/config';
import { FakeBinance, startFakeBinance } from '@cryptostream/binance-fake';
import { parseMysqlUrl } from '@cryptostream/persistence';
import { AppProcess, freePort } from '@cryptostream/app-launcher';
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { answeringRegistry, registryEnv } from './answering-registry';
import { recreateDatabase, resetTopics } from './fresh-state';
import { startLivePrometheus } from './live-prometheus';

const ROOT = join(__dirname, '../../..');
const DATA = join(ROOT, 'data/binance');
const LOG_DIR = join(ROOT, '.local/live');
const BINANCE_PING = 'https://api.binance.com/api/v3/ping';

const log = (line: string) => console.log(`live: ${line}`);

/** Why Binance cannot be reached from here, or undefined when it answers. */
async function binanceProblem(): Promise<string | undefined> {
  try {
    const response = await fetch(BINANCE_PING, { signal: AbortSignal.timeout(4_000) });
    return response.ok ? undefined : `HTTP ${response.status}`;
  } catch (error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    return cause?.code ?? cause?.message ?? (error as Error).message;
  }
}

/** The usual port when it is free, else any free one. */
async function portNear(preferred: number): Promise<number> {
  const free = await new Promise<boolean>((resolve) => {
    const server = createServer().once('error', () => resolve(false));
    server.listen(preferred, '0.0.0.0', () => server.close(() => resolve(true)));
  });
  return free ? preferred : freePort();
}

async function main(): Promise<void> {
  mkdirSync(LOG_DIR, { recursive: true });
  const problem = await binanceProblem();
  let fake: FakeBinance | undefined;
  let source: Record<string, string>;
  if (problem === undefined) {
    const symbols = process.env['LIVE_SYMBOLS'] ?? 'BTCUSDT,ETHUSDT,SOLUSDT';
    log(`reading Binance live: ${symbols}`);
    source = { INGESTOR_SOURCE: 'ws', SYMBOLS: symbols };
  } else {
    fake = await startFakeBinance({
      recordings: [
        { file: join(DATA, 'test_positive_binance_trade_stream_usd_m_futures_trxusdt_04-03-2025.csv') },
        { file: join(DATA, 'test_positive_binance_trade_stream_coin_m_futures_trxusd_perp_04-03-2025.csv') },
      ],
      speed: 1,
      timeline: 'now',
      port: 0,
    });
    log(`Binance cannot be reached (${problem}): replaying the recorded TRXUSDT and TRXUSD_PERP trades (17 minutes) at real time through the local fake Binance`);
    source = { INGESTOR_SOURCE: 'ws', SYMBOLS: 'TRXUSDT,TRXUSD_PERP', BINANCE_REST_URL: fake.restUrl, BINANCE_WS_URL: fake.wsUrl, BINANCE_DAPI_URL: fake.restUrl };
  }

  const settings = new SettingsReader(process.env);
  const serverUrl = new URL(settings.text('MYSQL_URL', SHARED_DEFAULTS.MYSQL_URL));
  serverUrl.pathname = '/cryptostream_live';
  const [ingestorPort, aggregatorPort, apiPort] = [await portNear(3001), await portNear(3002), await portNear(3000)];
  const connection = kafkaConnection(settings);
  const registry = await answeringRegistry(settings);
  const shared = {
    ...registryEnv(registry),
    KAFKA_BROKERS: connection.brokers.join(','),
    KAFKA_TOPIC: 'live_crypto_prices',
    KAFKA_DLQ_TOPIC: 'live_crypto_prices.dlq',
    KAFKA_WINDOWS_TOPIC: 'live_crypto_windows',
    MYSQL_URL: serverUrl.toString(),
    WINDOW_SIZES: process.env['LIVE_WINDOW_SIZES'] ?? '1m,5m,15m,1h',
  };
  if (fake) {
    // The recording starts over with the same trade ids each time: yesterday's topics and rows
    // would make the ingestor take today's replay for trades it has already published.
    await resetTopics(connection, [shared.KAFKA_TOPIC, shared.KAFKA_DLQ_TOPIC, shared.KAFKA_WINDOWS_TOPIC]);
    await recreateDatabase(parseMysqlUrl(shared.MYSQL_URL));
  }
  execFileSync(process.execPath, [join(ROOT, 'apps/api/dashboard/bundle.mjs'), '--no-check'], { stdio: 'ignore' });
  const apps = [
    AppProcess.start('aggregator', aggregatorPort, { ...shared, KAFKA_GROUP_ID: 'cryptostream-live' }, LOG_DIR),
    AppProcess.start('ingestor', ingestorPort, { ...shared, ...source }, LOG_DIR),
    AppProcess.start('api', apiPort, {
      ...shared,
      INGESTOR_URL: `http://127.0.0.1:${ingestorPort}`, AGGREGATOR_URL: `http://127.0.0.1:${aggregatorPort}`,
    }, LOG_DIR),
  ];
  let stopping = false;
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    log('stopping the apps');
    await Promise.all(apps.map((app) => app.stop()));
    await fake?.close();
    log('stopped (Kafka and Prometheus keep running: npm run kafka:stop, bash scripts/prometheus.sh stop)');
    process.exit(code);
  };
  process.on('SIGINT', () => void stop(0));
  process.on('SIGTERM', () => void stop(0));
  try {
    await Promise.all(apps.map((app) => app.waitReady(120_000)));
  } catch (error) {
    console.error(`live: ${(error as Error).message}`);
    await stop(1);
    return;
  }
  log(`ingestor :${ingestorPort}, aggregator :${aggregatorPort}, API :${apiPort}; logs in .local/live/; MySQL database cryptostream_live`);
  let prometheus: string;
  try {
    prometheus = await startLivePrometheus(apps, LOG_DIR, settings.integer('PROMETHEUS_PORT', 9090, 1, 65_535));
  } catch (error) {
    console.error(`live: ${(error as Error).message}`);
    await stop(1);
    return;
  }
  log(`dashboard: http://127.0.0.1:${apiPort}/   (API docs: http://127.0.0.1:${apiPort}/api/docs)   Ctrl-C stops everything`);
  log(`Prometheus: ${prometheus}`);
  log(registry ? `schemas: ${registry.browseUrl}` : 'schemas: no registry answers (bash scripts/registry.sh start, or SCHEMA_REGISTRY_URL): records go without schema ids');
}

main().catch((error: unknown) => {
  console.error(`live failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
