/**
 * End-to-end throughput, start-up and CPU of the aggregator on this machine's broker and MySQL,
 * next to a bare kafkajs consumer on the same topic:
 *
 *   npm run bench:e2e [-- N]       (N trades, default 600000)
 *
 * 1. N trades (the recordings, spread over symbols and repeated) are published to a fresh topic.
 *    Then BENCH_ROUNDS rounds (default 3), each running one after the other on that topic: a
 *    bare kafkajs eachBatch consumer that only counts (`bare-consumer.mjs`, a process of its own)
 *    and the aggregator (built, as its image runs it, with its memory budget) once per
 *    WINDOW_SIZES of BENCH_WINDOW_SIZES (`;`-separated; default `1m;1m,5m,15m,1h,4h,1d`) and per
 *    BENCH_WINDOW_UPDATES mode (`off`, `on` or `both`, default both), into a fresh database each,
 *    timed until MySQL holds the progress of all N (every window they closed is committed).
 *    Rounds interleave the runs, so that a loaded machine slows them alike, every other round in
 *    the reverse order (a run's place in a round moves its figures); medians are printed.
 *    Per run: the rate from spawn (start-up included) and from the first commit (the bare
 *    consumer: from its first batch), start-up (spawn → /health/ready 200; the bare consumer:
 *    spawn → joined), and CPU time per trade after start-up (the process's utime + stime), the
 *    figure least moved by other load.
 *    BENCH_VARIANTS (JSON, `{"label": {"env": {…}, "nodeFlags": "…", "main": "…/main.js"}}`)
 *    runs each aggregator run once per variant, in the same rounds: an A/B of settings, V8 flags
 *    or another checkout's build.
 *    BENCH_NEST=on adds Nest's built-in Kafka transport, counting only (once, ~15 s).
 *    BENCH_BROKER=secured runs them on the secured broker instead (scripts/kafka.sh secure-start:
 *    SASL_SSL, SCRAM-SHA-512, ACLs; the aggregator as its own user), `both` on the two brokers in
 *    the same rounds, and prints what TLS and SCRAM cost (secured / plaintext).
 *    BENCH_SCHEMA_IDS (`off`, `on` or `both`, default off): `on` runs read a copy of the topic
 *    whose every record carries its schema id header (`gid`), with
 *    SCHEMA_REGISTRY_URL set, so that the aggregator checks each id (scripts/registry.sh starts
 *    the registry); `both` interleaves them with `off` runs on the plain topic.
 *    BENCH_COUNT=instructions runs each aggregator under valgrind's callgrind and gives the
 *    instructions it executed per trade after start-up instead of its CPU time: a figure this
 *    shared machine's load does not move (`instruction-count.ts`), for costs of a few per cent.
 *    Bare consumers are not run then; BENCH_CALLGRIND_DIR keeps each run's dump there.
 * 2. Latency (BENCH_LATENCY_SECONDS, default 30; 0 skips it): trades published at 10,000/s to a
 *    second topic; the aggregator's own measure of window close → row committed (p50, p99) is
 *    read from /metrics.
 */
import { sleep } from '@cryptostream/service-runtime';
import 'reflect-metadata';
import {
  createTestDatabase, createTestTopics, ensureKafka, produceMessages, randomName, readRecordedTrades, spreadTrades, SyntheticMessage, TestDatabase, testKafka, TEST_KAFKA_BROKERS, TEST_SCHEMA_REGISTRY_URL,
} from '@cryptostream/testing';
import type { RowDataPacket } from 'mysql2/promise';
import { encodeSchemaId, SCHEMA_ID_HEADER } from '@cryptostream/schema';
import { ApicurioClient, registerSchemas } from '@cryptostream/schema-registry';
import type { Producer } from 'kafkajs';
import { execFileSync, spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { aggregatorNodeFlags, AggregatorProcess, AggregatorStart } from '../test/support/aggregator-process';
import { callgrindWrapper, countedInstructions, COUNTED_NODE_FLAGS, startCounting } from './instruction-count';
import { countWithNestKafkaServer } from './nest-builtin-consumer';
import { grantPipelineAcls, KafkaConnection, kafkajsSecurity, plaintextConnection } from '@cryptostream/kafka-io';
import { SecureKafka } from '@cryptostream/testing';

const N = Number(process.argv[2] ?? process.env['BENCH_TRADES'] ?? 600_000);
const ROUNDS = Number(process.env['BENCH_ROUNDS'] ?? 3);
const LATENCY_RATE = 10_000;
const LATENCY_SECONDS = Number(process.env['BENCH_LATENCY_SECONDS'] ?? 30);
const SIZE_SETS = (process.env['BENCH_WINDOW_SIZES'] ?? '1m;1m,5m,15m,1h,4h,1d').split(';').map((sizes) => sizes.trim()).filter(Boolean);
const UPDATES = process.env['BENCH_WINDOW_UPDATES'] ?? 'both';
const UPDATE_MODES = UPDATES === 'both' ? ['off', 'on'] : [UPDATES === 'off' ? 'off' : 'on'];
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
type Variant = Partial<Pick<AggregatorStart, 'env' | 'main' | 'nodeFlags'>>;
const SCHEMA_IDS = process.env['BENCH_SCHEMA_IDS'] ?? 'off';
const SCHEMA_ID_MODES = SCHEMA_IDS === 'both' ? ['off', 'on'] : [SCHEMA_IDS === 'on' ? 'on' : 'off'];
const VARIANTS = Object.entries(JSON.parse(process.env['BENCH_VARIANTS'] ?? '{"":{}}') as Record<string, Variant>);
const BROKER = process.env['BENCH_BROKER'] ?? 'plaintext';
const COUNT = process.env['BENCH_COUNT'] ?? 'cpu';
if (!['cpu', 'instructions'].includes(COUNT)) throw new Error(`BENCH_COUNT must be cpu or instructions, got ${JSON.stringify(COUNT)}`);
if (!['plaintext', 'secured', 'both'].includes(BROKER)) throw new Error(`BENCH_BROKER must be plaintext, secured or both, got ${JSON.stringify(BROKER)}`);

/** A broker the rounds run on: the plaintext one, or the secured one with the aggregator as its own user. */
interface Broker {
  readonly label: string;
  /** The bench's own client (topics, ACLs, the bare consumer). */
  readonly connection: KafkaConnection;
  /** The aggregator's Kafka settings on it. */
  readonly appEnv: Record<string, string>;
  readonly topics: Awaited<ReturnType<typeof createTestTopics>>;
}

async function brokers(): Promise<Broker[]> {
  const list: Broker[] = [];
  if (BROKER !== 'secured') {
    list.push({ label: '', connection: plaintextConnection(TEST_KAFKA_BROKERS), appEnv: {}, topics: await createTestTopics(['prices', 'dlq', 'windows'], 3) });
  }
  if (BROKER !== 'plaintext') {
    const secure = SecureKafka.ensure();
    const connection = secure.connection('admin');
    list.push({ label: 'secured', connection, appEnv: secure.env('aggregator'), topics: await createTestTopics(['prices', 'dlq', 'windows'], 3, connection) });
  }
  return list;
}

/** One timed run of a consumer over the N trades. */
interface Run {
  /** Spawn → ready (the aggregator: /health/ready 200; the bare consumer: joined its group). */
  readonly startupMs: number;
  /** Spawn → everything read (the aggregator: committed in MySQL). */
  readonly fromSpawnMs: number;
  /** First commit (the bare consumer: first batch) → everything read, and the trades in between. */
  readonly fromFirstMs: number;
  readonly fromFirstTrades: number;
  /** CPU time of the process after start-up, per trade. */
  readonly cpuUsPerTrade: number;
  /** With BENCH_COUNT=instructions: instructions after start-up, per trade. */
  readonly instructionsPerTrade?: number;
}

async function main(): Promise<void> {
  ensureKafka();
  const recorded = await readRecordedTrades();
  const perRecording = Math.max(1, Math.ceil(N / recorded.length / 3));
  const messages = spreadTrades(recorded, { symbolsPerRecording: perRecording, repeats: 3, partitions: 3 }).slice(0, N);
  const topics = await createTestTopics(['latency', 'latency_dlq', 'windows'], 3);
  const onBrokers = await brokers();
  const idTopics = SCHEMA_ID_MODES.includes('on') ? await createTestTopics(['prices_ids'], 3) : undefined;
  const db = await createTestDatabase();
  const windowsTopic = topics.topics['windows'];
  const producer = testKafka().producer();
  await producer.connect();
  try {
    const started = performance.now();
    for (const broker of onBrokers) {
      const brokerProducer = testKafka('bench', broker.connection).producer();
      await brokerProducer.connect();
      await produceMessages(brokerProducer, broker.topics.topics['prices'], messages, { chunk: 2_000 }).finally(() => brokerProducer.disconnect());
    }
    log(`published ${messages.length} trades to ${onBrokers.length} broker(s) in ${seconds(performance.now() - started)} s`);
    const plaintext = onBrokers.find((broker) => broker.label === '');
    const schemaIdEnv = idTopics && plaintext ? await publishWithSchemaIds(testKafka('bench', plaintext.connection).producer(), idTopics.topics['prices_ids'], messages) : {};
    if (process.env['BENCH_NEST'] === 'on' && plaintext) {
      const nestMs = await countWithNestKafkaServer({ connection: plaintext.connection, topic: plaintext.topics.topics['prices'], groupId: randomName('bench_nest'), expected: messages.length });
      log(`Nest built-in Kafka transport (count only): ${rate(messages.length / (nestMs / 1000))} trades/s (${seconds(nestMs)} s)`);
    }

    const runs = new Map<string, Run[]>();
    const record = (label: string, run: Run) => {
      runs.set(label, [...(runs.get(label) ?? []), run]);
      log(`round ${runs.get(label)!.length}/${ROUNDS} ${label}: ${describe(run)}`);
    };
    // Schema ids are measured on the plaintext broker, with a bare consumer on the topic with ids too: what the header's bytes cost the client itself.
    const plans = SIZE_SETS.flatMap((sizes) => UPDATE_MODES.flatMap((updates) => SCHEMA_ID_MODES.flatMap((ids) => VARIANTS.map(([name, variant]) => ({ sizes, updates, ids, name, variant })))));
    const bares = COUNT === 'instructions' ? [] : [{ bare: 'bare' } as const, ...(SCHEMA_IDS === 'both' ? [{ bare: 'bare schema ids on' } as const] : [])];
    for (let round = 0; round < ROUNDS; round++) for (const broker of onBrokers) {
      const { prices, dlq, windows } = broker.topics.topics;
      // Every other round runs in the reverse order: a run's place in a round moves its CPU per trade (what the run before it leaves the broker and MySQL doing).
      const ordered = round % 2 === 0 ? [...bares, ...plans] : [...bares, ...plans].reverse();
      for (const plan of ordered) {
        if ('bare' in plan) {
          if (plan.bare === 'bare') record(onBroker('bare', broker), await runBareConsumer(broker.connection, prices, messages.length));
          else if (!broker.label && idTopics) record(plan.bare, await runBareConsumer(broker.connection, idTopics.topics['prices_ids'], messages.length));
          continue;
        }
        const { sizes, updates, ids, name, variant } = plan;
        if (ids === 'on' && (broker.label || !idTopics)) continue;
        const topic = ids === 'on' ? idTopics!.topics['prices_ids'] : prices;
        const env: Record<string, string> = { ...baseEnv(topic, dlq), WINDOW_SIZES: sizes, WINDOW_UPDATES: updates, KAFKA_WINDOWS_TOPIC: windows, ...broker.appEnv, ...(ids === 'on' ? schemaIdEnv : {}), ...variant.env };
        if (broker.label) await grantAggregator(broker, env['KAFKA_GROUP_ID']);
        record(onBroker(labelOf(sizes, updates, name) + (SCHEMA_IDS === 'off' ? '' : ` schema ids ${ids}`), broker), await runAggregator({ ...variant, env }, messages.length));
      }
    }
    printMedians(runs);
    if (onBrokers.length > 1) printSecurityCost(runs);
    if (SCHEMA_IDS === 'both') printSchemaIdCost(runs);
    if (LATENCY_SECONDS > 0) await measureLatency(topics.topics['latency'], topics.topics['latency_dlq'], db, recorded, windowsTopic);
  } finally {
    await producer.disconnect();
    await topics.dispose();
    await idTopics?.dispose();
    for (const broker of onBrokers) await broker.topics.dispose();
    await db.drop();
  }
}

/**
 * Publishes the trades again to `topic`, each with the header of the trade schema registered
 * for it; returns the settings that make the aggregator check the ids.
 */
async function publishWithSchemaIds(producer: Producer, topic: string, messages: readonly SyntheticMessage[]): Promise<Record<string, string>> {
  execFileSync('bash', [join(__dirname, '../../../scripts/registry.sh'), 'start'], { stdio: 'inherit' });
  const group = randomName('bench');
  const client = new ApicurioClient({ url: TEST_SCHEMA_REGISTRY_URL, group, timeoutMs: 20_000 });
  const [trade] = await registerSchemas(client, [{ topic, kind: 'trade' }, { topic, kind: 'source-progress' }]);
  const headers = { [SCHEMA_ID_HEADER]: encodeSchemaId(trade.currentId) };
  const started = performance.now();
  await producer.connect();
  await produceMessages(producer, topic, messages.map((message) => ({ ...message, headers })), { chunk: 2_000 }).finally(() => producer.disconnect());
  log(`published them again with schema id ${trade.currentId} in the header in ${seconds(performance.now() - started)} s`);
  return { SCHEMA_REGISTRY_URL: TEST_SCHEMA_REGISTRY_URL, SCHEMA_REGISTRY_GROUP: group };
}

const labelOf = (sizes: string, updates: string, variant: string) => `aggregator WINDOW_SIZES=${sizes} updates ${updates}${variant ? ` [${variant}]` : ''}`;
const onBroker = (label: string, broker: Broker) => (broker.label ? `${label} (${broker.label})` : label);

/** The aggregator user's ACLs on the bench's topics and this run's group (the secured broker refuses everything else). */
async function grantAggregator(broker: Broker, group: string): Promise<void> {
  const { prices, dlq, windows } = broker.topics.topics;
  await grantPipelineAcls(broker.topics.admin, { pricesTopic: prices, deadLetterTopic: dlq, windowsTopic: windows, aggregatorGroup: group, archiverGroup: `${group}-archiver` });
}

/** What TLS and SCRAM cost: each run's medians on the secured broker over the same run's on the plaintext one. */
function printSecurityCost(runs: Map<string, Run[]>): void {
  log('TLS + SCRAM-SHA-512 cost (secured / plaintext, medians): rate from spawn | from first commit or batch | start-up | CPU per trade');
  for (const [label, secured] of runs) {
    const plain = runs.get(label.replace(/ \(secured\)$/, ''));
    if (!label.endsWith(' (secured)') || !plain) continue;
    const ratio = (f: (run: Run) => number) => median(secured.map(f)) / median(plain.map(f));
    log(`  ${label.replace(/ \(secured\)$/, '').padEnd(58)} ${percent(ratio((r) => N / r.fromSpawnMs))} | ${percent(ratio((r) => r.fromFirstTrades / r.fromFirstMs))} | ${ratio((r) => r.startupMs).toFixed(2)}× | ${ratio((r) => r.cpuUsPerTrade).toFixed(2)}×`);
  }
}

/** What the schema id header and its check cost: CPU per trade with ids over the same run without, of the medians and per round (the two ran in the same round). */
function printSchemaIdCost(runs: Map<string, Run[]>): void {
  log(`schema id cost (${COUNT === 'instructions' ? 'instructions' : 'CPU'} per trade, ids on / off): of the medians | median of the rounds' | each round`);
  for (const [label, on] of runs) {
    const off = runs.get(label === 'bare schema ids on' ? 'bare' : label.replace(/ schema ids on$/, ' schema ids off'));
    if (!label.endsWith(' schema ids on') || !off) continue;
    const perRound = on.map((run, i) => costOf(run) / costOf(off[i]));
    const cost = (ratio: number) => `${ratio >= 1 ? '+' : ''}${((ratio - 1) * 100).toFixed(1)} %`;
    const ofMedians = median(on.map(costOf)) / median(off.map(costOf));
    log(`  ${label.replace(/ schema ids on$/, '').padEnd(58)} ${cost(ofMedians)} | ${cost(median(perRound))} | ${perRound.map(cost).join(', ')}`);
  }
}

function baseEnv(topic: string, dlq: string): Record<string, string> {
  return { KAFKA_TOPIC: topic, KAFKA_DLQ_TOPIC: dlq, KAFKA_GROUP_ID: randomName('bench'), WINDOW_SIZES: '1m', WINDOW_GRACE_MS: '2000', IDLE_CLOSE_INTERVAL_MS: '1000' };
}

async function runBareConsumer(connection: KafkaConnection, topic: string, expected: number): Promise<Run> {
  const spawnedAtMs = performance.timeOrigin + performance.now();
  // The factory's TLS and SASL options, as kafkajs takes them: the bare consumer is kafkajs alone.
  const security = JSON.stringify(kafkajsSecurity(connection.security));
  const child = spawn(process.execPath, [join(__dirname, 'bare-consumer.mjs'), connection.brokers.join(','), topic, randomName('bench_bare'), String(expected)], {
    stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, BENCH_KAFKA_SECURITY: security },
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  if (code !== 0) throw new Error(`the bare consumer exited with ${code}`);
  const result = JSON.parse(output) as { joinedAtMs: number; firstBatchAtMs: number; doneAtMs: number; cpuAtJoinMs: number; cpuAtDoneMs: number };
  return {
    startupMs: result.joinedAtMs - spawnedAtMs,
    fromSpawnMs: result.doneAtMs - spawnedAtMs,
    fromFirstMs: result.doneAtMs - result.firstBatchAtMs,
    fromFirstTrades: expected,
    cpuUsPerTrade: ((result.cpuAtDoneMs - result.cpuAtJoinMs) * 1000) / expected,
  };
}

async function runAggregator(start: Omit<AggregatorStart, 'httpPort' | 'logFile'>, total: number): Promise<Run> {
  const db = await createTestDatabase();
  const counted = COUNT === 'instructions' ? `/tmp/${randomName('bench_callgrind')}.out` : undefined;
  try {
    const aggregator = AggregatorProcess.start({
      built: true, ...start, env: { ...start.env, MYSQL_URL: db.url },
      httpPort: 3900 + Math.floor(Math.random() * 90), logFile: `/tmp/${randomName('bench_aggregator')}.log`,
      ...(counted ? { wrapper: callgrindWrapper(counted), nodeFlags: [...aggregatorNodeFlags(start.nodeFlags), ...COUNTED_NODE_FLAGS].join(' ') } : {}),
    });
    await aggregator.waitReady(counted ? 600_000 : 60_000, 10);
    const readyAt = performance.now();
    const cpuAtReadyMs = aggregator.cpuMs();
    if (counted) startCounting(aggregator.pid);
    const { first, doneAt } = await untilCommitted(db, start.env['KAFKA_TOPIC'], total, aggregator);
    const cpuAtDoneMs = aggregator.cpuMs();
    const keep = process.env['BENCH_CALLGRIND_DIR'];
    const instructions = counted ? countedInstructions(aggregator.pid, counted, keep && join(keep, `${start.env['KAFKA_TOPIC']}.${randomName('run')}.callgrind`)) : undefined;
    await aggregator.stop('SIGTERM');
    return {
      startupMs: readyAt - aggregator.spawnedAt,
      fromSpawnMs: doneAt - aggregator.spawnedAt,
      fromFirstMs: doneAt - first.at,
      fromFirstTrades: total - first.done,
      cpuUsPerTrade: ((cpuAtDoneMs - cpuAtReadyMs) * 1000) / total,
      ...(instructions === undefined ? {} : { instructionsPerTrade: instructions / total }),
    };
  } finally {
    await db.drop();
    if (counted) rmSync(counted, { force: true });
  }
}

/**
 * When MySQL's committed progress first covers some of the published offsets (the aggregator
 * has fetched, windowed and written its first batch), and when it covers all of them.
 */
async function untilCommitted(db: TestDatabase, topic: string, total: number, aggregator: AggregatorProcess) {
  let first: { at: number; done: number } | undefined;
  for (;;) {
    const [[row]] = await db.pool.query<RowDataPacket[]>('SELECT COALESCE(SUM(next_offset), 0) AS done FROM consumer_progress WHERE topic = ?', [topic]);
    const done = Number(row['done']);
    const now = performance.now();
    if (done > 0 && !first) first = { at: now, done };
    if (first && done >= total) return { first, doneAt: now };
    if (!aggregator.running) throw new Error('aggregator exited during the benchmark');
    await sleep(10);
  }
}

/** A run's cost per trade: instructions when they were counted, else CPU µs. */
const costOf = (run: Run) => run.instructionsPerTrade ?? run.cpuUsPerTrade;
const costText = (cost: number) => (COUNT === 'instructions' ? `${rate(cost)} instructions` : `${cost.toFixed(2)} µs`);

function printMedians(runs: Map<string, Run[]>): void {
  const medians = new Map([...runs].map(([label, list]) => [label, {
    fromSpawn: median(list.map((run) => N / (run.fromSpawnMs / 1000))),
    fromFirst: median(list.map((run) => run.fromFirstTrades / (run.fromFirstMs / 1000))),
    startupMs: median(list.map((run) => run.startupMs)),
    cost: median(list.map(costOf)),
  }]));
  const bare = medians.get('bare') ?? medians.get('bare (secured)');
  log(`medians of ${ROUNDS} rounds (trades/s from spawn | from first commit or batch | start-up | ${COUNT === 'instructions' ? 'instructions' : 'CPU'} per trade after start-up):`);
  for (const [label, m] of medians) {
    const ratio = label === 'bare' || !bare ? '' : `  = ${percent(m.fromSpawn / bare.fromSpawn)} | ${percent(m.fromFirst / bare.fromFirst)} of bare, CPU ${(m.cost / bare.cost).toFixed(2)}×`;
    log(`  ${label.padEnd(58)} ${rate(m.fromSpawn).padStart(8)} | ${rate(m.fromFirst).padStart(8)} | ${m.startupMs.toFixed(0).padStart(5)} ms | ${costText(m.cost)}${ratio}`);
  }
  for (const updates of UPDATE_MODES) for (const [name] of VARIANTS) {
    const [one, ...more] = SIZE_SETS.map((sizes) => medians.get(labelOf(sizes, updates, name))!);
    if (!one) continue;
    more.forEach((m, i) => log(`sizes cost${name ? ` [${name}]` : ''} (updates ${updates}): WINDOW_SIZES=${SIZE_SETS[i + 1]} / ${SIZE_SETS[0]} = ${percent(m.fromSpawn / one.fromSpawn)} from spawn, ${percent(m.fromFirst / one.fromFirst)} from first commit`));
  }
}

async function measureLatency(topic: string, dlq: string, db: TestDatabase, recorded: Awaited<ReturnType<typeof readRecordedTrades>>, windowsTopic: string): Promise<void> {
  const count = LATENCY_RATE * LATENCY_SECONDS;
  const messages = spreadTrades(recorded, { symbolsPerRecording: 25, repeats: 1, partitions: 3 }).slice(0, count);
  const aggregator = AggregatorProcess.start({
    built: true, env: { ...baseEnv(topic, dlq), MYSQL_URL: db.url, KAFKA_WINDOWS_TOPIC: windowsTopic }, httpPort: 3990 + Math.floor(Math.random() * 9), logFile: `/tmp/${randomName('bench_latency')}.log`,
  });
  await aggregator.waitReady();
  const producer = testKafka().producer();
  await producer.connect();
  const started = performance.now();
  await produceMessages(producer, topic, messages, { chunk: 500, perSecond: LATENCY_RATE });
  const achieved = messages.length / ((performance.now() - started) / 1000);
  await sleep(3_000);
  const { body } = await aggregator.get('/metrics');
  const quantile = (q: string) => Number(new RegExp(`aggregator_window_close_to_visible_seconds\\{quantile="${q}"\\} (\\S+)`).exec(body)?.[1]) * 1000;
  const samples = Number(/aggregator_window_close_to_visible_seconds_count (\S+)/.exec(body)?.[1]);
  const flushCount = Number(/aggregator_flush_duration_seconds_count (\S+)/.exec(body)?.[1]);
  const flushSum = Number(/aggregator_flush_duration_seconds_sum (\S+)/.exec(body)?.[1]);
  log(`latency at ${rate(achieved)} trades/s for ${LATENCY_SECONDS} s: window close -> row committed p50 ${quantile('0.5').toFixed(1)} ms, p99 ${quantile('0.99').toFixed(1)} ms over ${samples} windows; ${flushCount} transactions, mean ${((flushSum / flushCount) * 1000).toFixed(1)} ms`);
  await producer.disconnect();
  await aggregator.stop('SIGTERM');
}

function describe(run: Run): string {
  return `${rate(N / (run.fromSpawnMs / 1000))} trades/s from spawn (${seconds(run.fromSpawnMs)} s), ${rate(run.fromFirstTrades / (run.fromFirstMs / 1000))}/s from the first commit or batch, start-up ${run.startupMs.toFixed(0)} ms, CPU ${run.cpuUsPerTrade.toFixed(2)} µs/trade${run.instructionsPerTrade === undefined ? '' : `, ${rate(run.instructionsPerTrade)} instructions/trade`}`;
}

const log = (line: string) => process.stdout.write(`bench:e2e ${line}\n`);
const seconds = (ms: number) => (ms / 1000).toFixed(2);
const rate = (perSecond: number) => Math.round(perSecond).toLocaleString('en-US');
const percent = (ratio: number) => `${(ratio * 100).toFixed(1)} %`;

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`bench:e2e failed: ${(error as Error).stack ?? error}\n`);
    process.exit(1);
  },
);
