/**
 * The API's speed on this machine's MySQL and Kafka (a benchmark that prints figures):
 *
 *   npm run bench:api
 *
 * 1. History: BENCH_ROWS (1,000,000) one-minute windows of 10 symbols in a fresh database; then
 *    `GET /api/candles?symbol=…&limit=1000&to=…` (a random symbol and end) at BENCH_RATE (200)
 *    requests/s for BENCH_SECONDS (30), open loop: latency counts from when each request was
 *    due, so a slow answer delays the clock of the ones behind it (no coordinated omission).
 *    Target: p99 ≤ 25 ms. BENCH_HISTORY (`candles,klines`) chooses the endpoints, one load
 *    after the other: `klines` is Binance's `GET /api/v3/klines?symbol=…&interval=1m&limit=1000&
 *    endTime=…` on the same rows (docs/binance-api.md).
 * 2. Live: BENCH_SSE_CLIENTS (500) SSE streams of one symbol; BENCH_SSE_UPDATES (50) window
 *    updates published to the update topic at 5/s; latency from the publish to each client's
 *    receipt (through Kafka, the API's reader and its fan-out). Target: p99 ≤ 100 ms.
 *
 * The history load comes from {@link LeanHttpClient}, which costs this machine little CPU and
 * makes little garbage; BENCH_HTTP_CLIENT=node uses node:http's client instead (as before), to
 * see what the load generator adds. The line prints the generator's own CPU an answer.
 *
 * The table is read once before, with InnoDB's buffer pool raised to BENCH_BUFFER_POOL_MB (1024;
 * 0 leaves it) when it is smaller, and set back after (see holdTableInBufferPool).
 *
 * BENCH_KEEP_DB=<name> keeps the filled database under that name and reuses it on the next run
 * when it holds BENCH_ROWS rows (filling a million rows takes ~15 s); unset, every run fills a
 * fresh database and drops it.
 */
import { sleep } from '@cryptostream/service-runtime';
import 'reflect-metadata';
import { encodeWindowUpdate, WindowUpdate } from '@cryptostream/schema';
import { AppProcess, createTestDatabase, createTestTopics, ensureKafka, freePort, TEST_KAFKA_BROKERS, TestDatabase, testKafka } from '@cryptostream/testing';
import type { RowDataPacket } from 'mysql2/promise';
import { Agent, get, IncomingMessage } from 'node:http';
import { performance } from 'node:perf_hooks';
import { LeanHttpClient } from './lean-http-client';

const ROWS = Number(process.env['BENCH_ROWS'] ?? 1_000_000);
const RATE = Number(process.env['BENCH_RATE'] ?? 200);
const SECONDS = Number(process.env['BENCH_SECONDS'] ?? 30);
const SSE_CLIENTS = Number(process.env['BENCH_SSE_CLIENTS'] ?? 500);
const SSE_UPDATES = Number(process.env['BENCH_SSE_UPDATES'] ?? 50);
const KEEP_DB = process.env['BENCH_KEEP_DB'];
const HTTP_CLIENT = process.env['BENCH_HTTP_CLIENT'] ?? 'lean';
const BUFFER_POOL_MB = Number(process.env['BENCH_BUFFER_POOL_MB'] ?? 1024);
const HISTORY = (process.env['BENCH_HISTORY'] ?? 'candles,klines').split(',').filter(Boolean) as HistoryEndpoint[];
const SYMBOLS = Array.from({ length: 10 }, (_, i) => `BENCH${i}USDT`);
const T0 = Date.UTC(2020, 0, 1);
const MINUTE = 60_000;
const log = (line: string) => console.log(`bench:api ${line}`);

async function main(): Promise<void> {
  ensureKafka();
  const db = await createTestDatabase(KEEP_DB);
  const topics = await createTestTopics(['windows'], 3);
  let api: AppProcess | undefined;
  let restoreBufferPool: (() => Promise<void>) | undefined;
  try {
    const [[{ rows }]] = await db.pool.query<RowDataPacket[]>('SELECT COUNT(*) AS `rows` FROM moving_averages');
    if (Number(rows) === ROWS) {
      log(`${ROWS.toLocaleString('en')} windows of ${SYMBOLS.length} symbols kept from an earlier run (BENCH_KEEP_DB)`);
    } else {
      const started = performance.now();
      await db.pool.query('DELETE FROM moving_averages');
      await fillWindows(db, ROWS);
      log(`${ROWS.toLocaleString('en')} windows of ${SYMBOLS.length} symbols written in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    }
    restoreBufferPool = await holdTableInBufferPool(db);
    // One client makes all the load: its limits are raised out of the way, the guards still run on every request.
    const limits = { API_RATE_LIMIT: '1000000000', API_MAX_STREAMS: String(Math.max(2_000, SSE_CLIENTS)), API_MAX_STREAMS_PER_CLIENT: String(Math.max(2_000, SSE_CLIENTS)) };
    api = AppProcess.start('api', await freePort(), { MYSQL_URL: db.url, KAFKA_BROKERS: TEST_KAFKA_BROKERS.join(','), KAFKA_WINDOWS_TOPIC: topics.topics['windows'], ...limits }, '/tmp');
    await api.waitReady();
    for (const endpoint of HISTORY) await benchHistory(api, db, endpoint);
    await benchLive(api.port, topics.topics['windows']);
  } finally {
    await api?.stop();
    await restoreBufferPool?.();
    await topics.dispose();
    if (KEEP_DB) await db.pool.end();
    else await db.drop();
  }
}

/**
 * Pages are read at random from the whole table, so its reads come from InnoDB's buffer pool only
 * if the table fits, and MariaDB's default pool holds less than the bench's table. A server for
 * this API is sized to hold what it serves; so is the pool here for the run
 * (BENCH_BUFFER_POOL_MB, default 1024; 0 leaves it), set back after, and the table is read once
 * so the run starts warm. Misses are counted either way.
 */
async function holdTableInBufferPool(db: TestDatabase): Promise<() => Promise<void>> {
  await db.pool.query('ANALYZE TABLE moving_averages'); // the size in information_schema lags a fresh fill
  const [[{ poolBytes, tableBytes }]] = await db.pool.query<RowDataPacket[]>(
    `SELECT @@innodb_buffer_pool_size AS poolBytes, (SELECT data_length + index_length FROM information_schema.tables
      WHERE table_schema = DATABASE() AND table_name = 'moving_averages') AS tableBytes`);
  const mb = (bytes: number) => `${Math.round(bytes / 1024 / 1024)} MB`;
  const wantedBytes = BUFFER_POOL_MB * 1024 * 1024;
  let restore = async () => undefined;
  const raised = wantedBytes > Number(poolBytes) && await db.pool.query('SET GLOBAL innodb_buffer_pool_size = ?', [wantedBytes]).then(() => true, (error: Error) => {
    log(`InnoDB buffer pool ${mb(Number(poolBytes))} could not be raised (${error.message}): measuring with it`);
    return false;
  });
  if (raised) {
    for (let waited = 0; waited < 30_000; waited += 250) {
      if (!/resiz|withdraw|allocat/i.test(await globalStatus(db, 'Innodb_buffer_pool_resize_status'))) break;
      await sleep(250);
    }
    log(`InnoDB buffer pool ${mb(Number(poolBytes))} raised to ${mb(wantedBytes)} for the run (BENCH_BUFFER_POOL_MB), the table is ${mb(Number(tableBytes))}`);
    restore = async () => {
      await db.pool.query('SET GLOBAL innodb_buffer_pool_size = ?', [Number(poolBytes)]);
      log(`InnoDB buffer pool set back to ${mb(Number(poolBytes))}`);
    };
  } else {
    log(`InnoDB buffer pool ${mb(Number(poolBytes))}, the table is ${mb(Number(tableBytes))}`);
  }
  await db.pool.query('SELECT COUNT(*) FROM moving_averages FORCE INDEX (PRIMARY) WHERE open > 0');
  return restore;
}

/** Rows for the windows 0..count-1, spread over the symbols, in statements of 5,000. */
async function fillWindows(db: TestDatabase, count: number): Promise<void> {
  const perSymbol = Math.ceil(count / SYMBOLS.length);
  const columns = 'start_time, end_time, window_size, symbol, source, average_price, open, high, low, close, volume, quote_volume, ' +
    'taker_buy_volume, taker_buy_quote_volume, vwap, trade_count, event_count, revision';
  for (let from = 0; from < count; from += 5_000) {
    const values: unknown[] = [];
    const rows: string[] = [];
    for (let n = from; n < Math.min(count, from + 5_000); n++) {
      const minute = n % perSymbol;
      const price = `${60000 + (minute % 997)}.${String(minute % 100).padStart(2, '0')}`;
      rows.push('(?, ?, \'1m\', ?, \'trades\', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0)');
      values.push(mysqlTime(T0 + minute * MINUTE), mysqlTime(T0 + (minute + 1) * MINUTE), SYMBOLS[Math.floor(n / perSymbol)],
        price, price, price, price, price, '12.345678', '740740.12345678', '6.172839', '370370.06172839', price, 321, 321);
    }
    await db.pool.query(`INSERT INTO moving_averages (${columns}) VALUES ${rows.join(', ')}`, values);
  }
}

const mysqlTime = (ms: number) => new Date(ms).toISOString().replace('T', ' ').replace('Z', '');

type HistoryEndpoint = 'candles' | 'klines';
const HISTORY_PATHS: Readonly<Record<HistoryEndpoint, { readonly label: string; readonly path: (symbol: string, toMs: number) => string }>> = {
  candles: { label: 'GET /api/candles?limit=1000', path: (symbol, toMs) => `/api/candles?symbol=${symbol}&limit=1000&to=${toMs}` },
  // The same 1000 rows: endTime bounds the open time inclusively.
  klines: { label: 'GET /api/v3/klines?limit=1000', path: (symbol, toMs) => `/api/v3/klines?symbol=${symbol}&interval=1m&limit=1000&endTime=${toMs - 1}` },
};

async function benchHistory(api: AppProcess, db: TestDatabase, endpoint: HistoryEndpoint): Promise<void> {
  const { label, path } = HISTORY_PATHS[endpoint];
  const client: AnswerSource = HTTP_CLIENT === 'node' ? nodeHttpClient(api.port) : new LeanHttpClient(api.port);
  const perSymbol = Math.ceil(ROWS / SYMBOLS.length);
  const request = async (): Promise<number> => {
    const symbol = SYMBOLS[Math.floor(Math.random() * SYMBOLS.length)];
    const to = T0 + Math.floor(1000 + Math.random() * Math.max(1, perSymbol - 1000)) * MINUTE;
    const { status, bytes } = await client.get(path(symbol, to));
    if (status !== 200) throw new Error(`HTTP ${status}`);
    return bytes;
  };
  for (let i = 0; i < 50; i++) await request(); // warm-up: connections, JIT, buffer pool
  const latencies: number[] = [];
  let errors = 0;
  const errorKinds = new Set<string>();
  let bytes = 0;
  const total = RATE * SECONDS;
  const start = performance.now();
  const cpuAtStart = process.cpuUsage();
  const apiCpuAtStartMs = api.cpuMs();
  const poolReadsAtStart = await bufferPoolReads(db);
  const pending: Promise<void>[] = [];
  for (let i = 0; i < total; i++) {
    const dueAt = start + (i * 1000) / RATE;
    const wait = dueAt - performance.now();
    if (wait > 1) await sleep(wait);
    pending.push(request().then((size) => {
      bytes += size;
      latencies.push(performance.now() - dueAt);
    }, (error: unknown) => {
      errors++;
      errorKinds.add(error instanceof Error ? error.message : String(error));
    }));
  }
  await Promise.all(pending);
  const elapsed = (performance.now() - start) / 1000;
  const cpu = process.cpuUsage(cpuAtStart);
  const apiCpuMs = api.cpuMs() - apiCpuAtStartMs;
  const poolReads = (await bufferPoolReads(db)) - poolReadsAtStart;
  client.close();
  log(`${label} at ${RATE}/s for ${SECONDS} s on ${ROWS.toLocaleString('en')} rows: ${summary(latencies)}; ` +
    `${(latencies.length / elapsed).toFixed(0)} answers/s, ${(bytes / Math.max(1, latencies.length) / 1024).toFixed(0)} KiB each, ${errors} errors` +
    (errors > 0 ? ` (${[...errorKinds].join('; ')})` : '') +
    `; the API used ${(apiCpuMs / Math.max(1, latencies.length)).toFixed(2)} ms of CPU an answer` +
    `; ${(poolReads / Math.max(1, latencies.length)).toFixed(1)} InnoDB page reads from the file an answer` +
    `; the ${HTTP_CLIENT} load generator itself used ${((cpu.user + cpu.system) / 1000 / Math.max(1, latencies.length)).toFixed(2)} ms of CPU an answer`);
}

/** A server status variable (`SHOW GLOBAL STATUS`), '' when the server has none of that name. */
async function globalStatus(db: TestDatabase, name: string): Promise<string> {
  const [[status]] = await db.pool.query<RowDataPacket[]>('SHOW GLOBAL STATUS LIKE ?', [name]);
  return String(status?.['Value'] ?? '');
}

/** Pages InnoDB read from its files because the buffer pool did not hold them. */
async function bufferPoolReads(db: TestDatabase): Promise<number> {
  return Number(await globalStatus(db, 'Innodb_buffer_pool_reads'));
}

/** What the history load needs of its client: {@link LeanHttpClient} (the default), or node:http's. */
type AnswerSource = Pick<LeanHttpClient, 'get' | 'close'>;

/** BENCH_HTTP_CLIENT=node: node:http's client, to compare with the lean one. */
function nodeHttpClient(port: number): AnswerSource {
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  return {
    get: (path) => new Promise((resolve, reject) => {
      get({ host: '127.0.0.1', port, path, agent }, (response) => {
        let bytes = 0;
        response.on('data', (chunk: Buffer) => (bytes += chunk.length));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, bytes }));
      }).on('error', reject);
    }),
    close: () => agent.destroy(),
  };
}

async function benchLive(port: number, topic: string): Promise<void> {
  const sentAt = new Map<number, number>();
  const latencies: number[] = [];
  const streams: IncomingMessage[] = [];
  let received = 0;
  await Promise.all(Array.from({ length: SSE_CLIENTS }, () =>
    new Promise<void>((resolve, reject) => {
      get({ host: '127.0.0.1', port, path: '/api/candles/stream?symbol=BENCH0USDT&interval=1m', agent: false }, (response) => {
        streams.push(response);
        response.setEncoding('utf8');
        response.on('data', (text: string) => {
          const now = performance.now();
          for (const match of text.matchAll(/"tradeCount":(\d+)/g)) {
            const sent = sentAt.get(Number(match[1]));
            if (sent === undefined) continue;
            latencies.push(now - sent);
            received++;
          }
        });
        resolve();
      }).on('error', reject);
    })));
  log(`${SSE_CLIENTS} SSE clients connected`);
  const producer = testKafka('bench-api').producer();
  await producer.connect();
  await sleep(2_000); // the API's reader has joined before the first update
  for (let n = 1; n <= SSE_UPDATES; n++) {
    const update: WindowUpdate = {
      symbol: 'BENCH0USDT', source: 'trades', windowSizeMs: MINUTE, startMs: T0, endMs: T0 + MINUTE, open: '1.5', high: '2.25', low: '1.25',
      close: '2', volume: '10', quoteVolume: '17.5', baseVolume: null, takerBuyVolume: null, takerBuyQuoteVolume: null, takerBuyBaseVolume: null, vwap: '1.75', averagePrice: '1.75', tradeCount: n, eventCount: n,
      revision: 0, closed: false, publishedAtMs: Date.now(),
    };
    sentAt.set(n, performance.now());
    await producer.send({ topic, acks: 1, messages: [{ key: update.symbol, value: encodeWindowUpdate(update) }] });
    await sleep(200);
  }
  await sleep(2_000);
  await producer.disconnect();
  for (const stream of streams) stream.destroy();
  const expected = SSE_CLIENTS * SSE_UPDATES;
  log(`${SSE_UPDATES} updates to ${SSE_CLIENTS} SSE clients, publish -> received: ${summary(latencies)}; ${received}/${expected} delivered`);
}

function summary(values: number[]): string {
  if (values.length === 0) return 'no samples';
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))].toFixed(1);
  return `p50 ${at(0.5)} ms, p90 ${at(0.9)} ms, p99 ${at(0.99)} ms, max ${sorted[sorted.length - 1].toFixed(1)} ms over ${values.length}`;
}

main().catch((error: unknown) => {
  console.error(`bench:api failed: ${error instanceof Error ? error.stack : String(error)}`);
  process.exitCode = 1;
});
