/**
 * What a reader waits for, end to end, on a live market:
 *
 *   npm run bench:latency [-- MINUTES]      (measured minutes, default 3)
 *
 * The fake Binance (its own process, `latency-market.main.ts`) streams BENCH_SYMBOLS (2,000)
 * symbols cut from the TRXUSDT recording live (timeline now, speed 1; one recorded trade in
 * BENCH_THIN = 3 each, about 6,500 trades/s in all); the ingestor (ws source, `trade` streams,
 * its default source progress) publishes them; the aggregator (built, its memory budget,
 * WINDOW_SIZES=1m,5m,15m,1h,4h,1d, window updates on) windows them; the API serves
 * BENCH_SSE_CLIENTS (500) SSE streams: half on the 1m candles of as many symbols, the rest on
 * 5m, 15m, 1h and 4h. After a warm-up to the next minute, for MINUTES minutes:
 *
 * - closed candle: window end → its `closed: true` event on the client, per candle; split into
 *   window end → the ingestor's source progress covering it (Kafka timestamp of the first such
 *   record, read by a probe consumer), → the aggregator's publish (the final update's
 *   `publishedAtMs` on the update topic, read by another), → received;
 *   and the aggregator's own close → row committed (its /metrics);
 * - open candle: per trade of a watched symbol, its event time → the first `closed: false`
 *   event of each watched candle that includes it (by the candle's trade count: one trade an
 *   event), for candles that start in the measured minutes;
 *
 * as p50, p99, max. Targets (issue 22): closed p99 ≤ 300 ms, open p99 ≤ WINDOW_UPDATE_INTERVAL_MS
 * + 100 ms. BENCH_INGESTOR_ENV / BENCH_AGGREGATOR_ENV (JSON) add settings, e.g.
 * `{"SOURCE_PROGRESS_LAG_MS":"100"}`; BENCH_AGGREGATOR_MAIN runs another checkout's built main.js.
 */
import { sleep } from '@cryptostream/service-runtime';
import { decodeWindowUpdate, parseSourceProgress, isSourceProgressRecord } from '@cryptostream/schema';
import { AppProcess, createTestDatabase, createTestTopics, ensureKafka, freePort, processCpuMs, randomName, TEST_KAFKA_BROKERS, testKafka } from '@cryptostream/testing';
import type { KafkaMessage } from 'kafkajs';
import { ChildProcess, spawn } from 'node:child_process';
import { get, IncomingMessage } from 'node:http';
import { mkdtempSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { AggregatorProcess } from '../test/support/aggregator-process';
import { latencyTapes, LatencyMarketSpec } from './latency-market';

const MINUTES = Number(process.argv[2] ?? process.env['BENCH_LATENCY_MINUTES'] ?? 3);
const SYMBOLS = Number(process.env['BENCH_SYMBOLS'] ?? 2_000);
const THIN = Number(process.env['BENCH_THIN'] ?? 3);
const SSE_CLIENTS = Number(process.env['BENCH_SSE_CLIENTS'] ?? 500);
const SIZES = '1m,5m,15m,1h,4h,1d';
const MINUTE = 60_000;
const UPDATE_INTERVAL_MS = 1_000;
const INTERVALS: Record<string, number> = { '1m': MINUTE, '5m': 5 * MINUTE, '15m': 15 * MINUTE, '1h': 60 * MINUTE, '4h': 240 * MINUTE };
const WIDER = ['5m', '15m', '1h', '4h'];
const CLOSED = Buffer.from('"closed":true');

/** What the API's stream sends of a candle (its `CandleDto`). */
interface StreamedCandle {
  readonly symbol: string;
  readonly startMs: number;
  readonly endMs: number;
  readonly tradeCount: number;
  readonly revision: number;
  readonly closed: boolean;
}

interface Watch {
  readonly symbol: string;
  readonly interval: string;
  /** Per candle start: how many of its trades (in time order) an event has included so far. */
  readonly covered: Map<number, number>;
}

async function main(): Promise<void> {
  ensureKafka();
  const logDir = mkdtempSync(join(tmpdir(), 'bench-latency-'));
  const spec: LatencyMarketSpec = { symbols: SYMBOLS, durationMs: (MINUTES + 3) * MINUTE, thin: THIN };
  const { topics, dispose } = await createTestTopics(['prices', 'dlq', 'windows'], 3);
  const db = await createTestDatabase();
  const kafka = { KAFKA_BROKERS: TEST_KAFKA_BROKERS.join(','), KAFKA_TOPIC: topics['prices'], KAFKA_DLQ_TOPIC: topics['dlq'], KAFKA_WINDOWS_TOPIC: topics['windows'], WINDOW_SIZES: SIZES, NO_COLOR: '1' };
  const children: { readonly name: string; cpuMs(): number; stop(): Promise<unknown> }[] = [];
  const streams: IncomingMessage[] = [];
  try {
    const aggregator = AggregatorProcess.start({
      built: true, main: process.env['BENCH_AGGREGATOR_MAIN'], httpPort: await freePort(), logFile: join(logDir, 'aggregator.log'),
      env: { ...kafka, MYSQL_URL: db.url, KAFKA_GROUP_ID: randomName('latency'), WINDOW_UPDATES: 'on', WINDOW_UPDATE_INTERVAL_MS: String(UPDATE_INTERVAL_MS), ...jsonEnv('BENCH_AGGREGATOR_ENV') },
    });
    children.push(aggregator);
    // The SSE clients all come from this process's address: the per-client caps would refuse them.
    const limits = { API_RATE_LIMIT: '1000000000', API_MAX_STREAMS: String(Math.max(2_000, SSE_CLIENTS)), API_MAX_STREAMS_PER_CLIENT: String(Math.max(2_000, SSE_CLIENTS)) };
    const api = AppProcess.start('api', await freePort(), { ...kafka, ...limits, MYSQL_URL: db.url }, logDir);
    children.push(api);
    await Promise.all([aggregator.waitReady(), api.waitReady()]);

    const tapes = await latencyTapes(spec);
    const market = await startMarket(spec);
    children.push(market);
    const times = new Map(tapes.map((tape) => [tape.symbol, tape.trades.map((trade) => trade.tradeTimeMs + market.shiftMs)]));
    const ingestor = AppProcess.start('ingestor', await freePort(), {
      ...kafka, INGESTOR_SOURCE: 'ws', BINANCE_STREAM: 'trade', SYMBOLS: tapes.map((tape) => tape.symbol).join(','),
      BINANCE_REST_URL: market.restUrl, BINANCE_DAPI_URL: market.restUrl, BINANCE_WS_URL: market.wsUrl, ...jsonEnv('BENCH_INGESTOR_ENV'),
    }, logDir);
    children.push(ingestor);
    await ingestor.waitReady();

    const watches: Watch[] = Array.from({ length: SSE_CLIENTS }, (_, i) => {
      const half = Math.ceil(SSE_CLIENTS / 2);
      const [symbol, interval] = i < half ? [tapes[i % SYMBOLS].symbol, '1m'] : [tapes[(i - half) % SYMBOLS].symbol, WIDER[(i - half) % WIDER.length]];
      return { symbol, interval, covered: new Map() };
    });
    const watched1m = new Set(watches.filter((w) => w.interval === '1m').map((w) => w.symbol));
    const progress = await probeSourceProgress(topics['prices'], watched1m);
    const published = await probeFinalUpdates(topics['windows'], new Set(watches.map((w) => w.symbol)));

    const fromMs = Math.ceil((Date.now() + 10_000) / MINUTE) * MINUTE;
    const toMs = fromMs + MINUTES * MINUTE;
    const closed = { total: [] as number[], published: [] as number[], delivered: [] as number[] };
    const open: number[] = [];
    let firstSeenClosed = 0;
    for (const watch of watches) {
      streams.push(await openStream(api.port, watch, (update, receivedAtMs) => {
        const trades = times.get(watch.symbol)!;
        const first = lowerBound(trades, update.startMs);
        // One trade an event on `trade` streams: the candle's trade count is how many it holds.
        const end = Math.min(lowerBound(trades, update.endMs), first + update.tradeCount);
        // A candle that began before the ingestor was live lacks the trades before it: the count
        // would not say which of the recorded ones it holds.
        for (let j = Math.max(first, watch.covered.get(update.startMs) ?? first); update.startMs >= fromMs && j < end; j++) {
          if (trades[j] >= toMs) continue;
          if (update.closed) firstSeenClosed++;
          else open.push(receivedAtMs - trades[j]);
        }
        watch.covered.set(update.startMs, Math.max(end, watch.covered.get(update.startMs) ?? 0));
        if (update.closed && update.revision === 0 && update.startMs >= fromMs && update.endMs <= toMs) {
          closed.total.push(receivedAtMs - update.endMs);
          const publishedAtMs = published.get(`${update.symbol} ${update.startMs} ${update.endMs}`);
          if (publishedAtMs !== undefined) {
            closed.published.push(publishedAtMs - update.endMs);
            closed.delivered.push(receivedAtMs - publishedAtMs);
          }
        }
      }));
    }
    log(`${SYMBOLS} symbols live, ${streams.length} SSE clients; measuring [${new Date(fromMs).toISOString()}, ${new Date(toMs).toISOString()})`);
    await sleep(fromMs - Date.now());
    const cpuAtStart = children.map((child) => child.cpuMs());
    const publishedAtStart = await metricSum(ingestor.port, 'ingestor_published_total');
    const consumedAtStart = await aggregator.metric('aggregator_messages_consumed_total') ?? 0;
    await sleep(toMs - Date.now());
    const cpuPercent = children.map((child, i) => `${child.name} ${((child.cpuMs() - cpuAtStart[i]) / (MINUTES * 600)).toFixed(0)} %`);
    const tradesPerSecond = countTrades(times, fromMs, toMs) / (MINUTES * 60);
    const publishedPerSecond = ((await metricSum(ingestor.port, 'ingestor_published_total')) - publishedAtStart) / (MINUTES * 60);
    const consumedPerSecond = (((await aggregator.metric('aggregator_messages_consumed_total')) ?? 0) - consumedAtStart) / (MINUTES * 60);
    await sleep(10_000); // the last minute's closed candles
    const metrics = (await aggregator.get('/metrics')).body;

    const progressLatency = [...progress.entries()].flatMap(([symbol, covered]) =>
      [...covered].filter(([boundary]) => boundary > fromMs && boundary <= toMs && watched1m.has(symbol)).map(([boundary, atMs]) => atMs - boundary));
    log(`${perSecond(tradesPerSecond)} trades/s streamed by the fake, ${perSecond(publishedPerSecond)} messages/s published by the ingestor (trades and source progress), ${perSecond(consumedPerSecond)}/s consumed by the aggregator; CPU of a core: ${cpuPercent.join(', ')}; load average ${loadavg().map((value) => value.toFixed(2)).join(' ')}`);
    log('| measured (ms) | p50 | p99 | max | samples |');
    log('|---|---|---|---|---|');
    row('closed candle: window end → `closed: true` on the client', closed.total);
    row('  window end → source progress covering it published (ingestor)', progressLatency);
    row('  window end → final update published (ingestor, broker, aggregator close, MySQL commit)', closed.published);
    row('  final update published → on the client (broker, API fan-out)', closed.delivered);
    log(`| aggregator close → row committed (its /metrics) | ${quantile(metrics, '0.5')} | ${quantile(metrics, '0.99')} | – | – |`);
    row('open candle: trade event time → first open candle including it on the client', open);
    log(`trades of the measured minutes first reached a client in their closed candle: ${firstSeenClosed}; targets: closed p99 ≤ 300 ms, open p99 ≤ ${UPDATE_INTERVAL_MS + 100} ms (logs in ${logDir})`);
  } finally {
    for (const stream of streams) stream.destroy();
    for (const child of children.reverse()) await child.stop().catch(() => undefined);
    await dispose();
    await db.drop();
  }
}

/** The fake Binance in a child process; resolves with its URLs once it serves. */
async function startMarket(spec: LatencyMarketSpec): Promise<{ restUrl: string; wsUrl: string; shiftMs: number; name: string; cpuMs(): number; stop(): Promise<unknown> }> {
  const child: ChildProcess = spawn(process.execPath, ['-r', '@swc-node/register', join(__dirname, 'latency-market.main.ts'), JSON.stringify(spec)], { stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const line = await new Promise<string>((resolve, reject) => {
    let text = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      if (text.includes('\n')) resolve(text.slice(0, text.indexOf('\n')));
    });
    child.once('exit', (code) => reject(new Error(`the fake Binance exited with ${code}`)));
  });
  return {
    ...(JSON.parse(line) as { restUrl: string; wsUrl: string; shiftMs: number }),
    name: 'fake Binance', cpuMs: () => processCpuMs(child.pid!), stop: () => (child.kill('SIGTERM'), exited),
  };
}

/** For each watched symbol: when (Kafka timestamp) a source-progress record first covered each minute boundary. */
async function probeSourceProgress(topic: string, symbols: ReadonlySet<string>): Promise<Map<string, Map<number, number>>> {
  // Kafka's timestamp of a record is its producer's send time (CreateTime): the ingestor's.
  const covered = new Map<string, Map<number, number>>();
  await probe(topic, (message) => {
    if (!isSourceProgressRecord(message.value)) return;
    const records = parseSourceProgress(message.value!);
    if (typeof records === 'string') return;
    for (const record of records) {
      if (!symbols.has(record.symbol)) continue;
      const boundary = Math.floor(record.completeUpToMs / MINUTE) * MINUTE;
      const bySymbol = covered.get(record.symbol) ?? new Map<number, number>();
      covered.set(record.symbol, bySymbol);
      if (!bySymbol.has(boundary)) bySymbol.set(boundary, Number(message.timestamp));
    }
  });
  return covered;
}

/** When (its `publishedAtMs`) the aggregator published each final update of the watched symbols, by symbol, start and end. */
async function probeFinalUpdates(topic: string, symbols: ReadonlySet<string>): Promise<Map<string, number>> {
  const published = new Map<string, number>();
  await probe(topic, (message) => {
    if (!message.value || message.value.indexOf(CLOSED) < 0) return;
    const update = decodeWindowUpdate(message.value);
    if (typeof update === 'string' || !update.closed || update.revision !== 0 || !symbols.has(update.symbol)) return;
    const key = `${update.symbol} ${update.startMs} ${update.endMs}`;
    if (!published.has(key)) published.set(key, update.publishedAtMs);
  });
  return published;
}

/** Reads every message of one of the bench's topics as it comes; resolves once the consumer runs. */
async function probe(topic: string, onMessage: (message: KafkaMessage) => void): Promise<void> {
  const consumer = testKafka('bench-latency-probe').consumer({ groupId: randomName('latency_probe'), maxWaitTimeInMs: 20 });
  await consumer.connect();
  // The topic is the bench's own: from its beginning, nothing is missed while the probe joins.
  await consumer.subscribe({ topic, fromBeginning: true });
  await consumer.run({ eachBatch: async ({ batch }) => batch.messages.forEach(onMessage) });
}

/** One SSE client; `onCandle` gets each `candle` event with the wall time it arrived. */
function openStream(port: number, watch: Watch, onCandle: (candle: StreamedCandle, receivedAtMs: number) => void): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    get({ host: '127.0.0.1', port, path: `/api/candles/stream?symbol=${watch.symbol}&interval=${watch.interval}`, agent: false }, (response) => {
      if (response.statusCode !== 200) return reject(new Error(`the stream of ${watch.symbol} ${watch.interval} answered ${response.statusCode}`));
      let pending = '';
      response.setEncoding('utf8');
      response.on('data', (text: string) => {
        const receivedAtMs = Date.now();
        pending += text;
        let end: number;
        while ((end = pending.indexOf('\n\n')) >= 0) {
          const frame = pending.slice(0, end);
          pending = pending.slice(end + 2);
          const data = frame.split('\n').find((line) => line.startsWith('data: '));
          if (!frame.includes('event: candle') || !data) continue;
          const candle = JSON.parse(data.slice(6)) as StreamedCandle;
          if (candle.symbol === watch.symbol && candle.endMs - candle.startMs === INTERVALS[watch.interval]) onCandle(candle, receivedAtMs);
        }
      });
      resolve(response);
    }).on('error', reject);
  });
}

function lowerBound(sorted: readonly number[], value: number): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (sorted[middle] < value) low = middle + 1;
    else high = middle;
  }
  return low;
}

function row(what: string, values: number[]): void {
  if (values.length === 0) return log(`| ${what} | – | – | – | 0 |`);
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))].toFixed(0);
  log(`| ${what} | ${at(0.5)} | ${at(0.99)} | ${sorted[sorted.length - 1].toFixed(0)} | ${values.length} |`);
}

function quantile(metrics: string, q: string): string {
  const seconds = Number(new RegExp(`aggregator_window_close_to_visible_seconds\\{quantile="${q}"\\} (\\S+)`).exec(metrics)?.[1]);
  return Number.isFinite(seconds) ? (seconds * 1000).toFixed(0) : '–';
}

function jsonEnv(name: string): Record<string, string> {
  return JSON.parse(process.env[name] ?? '{}') as Record<string, string>;
}

const perSecond = (rate: number) => Math.round(rate).toLocaleString('en-US');

/** A counter of an app's /metrics, summed over its labels. */
async function metricSum(port: number, name: string): Promise<number> {
  const body = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  return body.split('\n').filter((line) => line.startsWith(`${name}{`) || line.startsWith(`${name} `)).reduce((sum, line) => sum + Number(line.slice(line.lastIndexOf(' ') + 1)), 0);
}

function countTrades(times: ReadonlyMap<string, readonly number[]>, fromMs: number, toMs: number): number {
  let count = 0;
  for (const trades of times.values()) count += lowerBound(trades, toMs) - lowerBound(trades, fromMs);
  return count;
}

const log = (line: string): void => void process.stdout.write(`bench:latency ${line}\n`);

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`bench:latency failed: ${(error as Error).stack ?? error}\n`);
    process.exit(1);
  },
);
