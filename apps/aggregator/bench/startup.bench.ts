/**
 * Start-up of the built aggregator, spawn → `/health/ready` 200, on this machine's broker and MySQL:
 *
 *   npm run bench:startup [-- ROUNDS]     (default 7)
 *
 * Each round starts it twice per variant on an empty topic: into a database that does not exist
 * yet (`fresh`: it creates it and applies every migration) and again into that database
 * (`migrated`: a restart, the migrations only checked). Rounds interleave the variants, so that a
 * loaded machine slows them alike; medians, the fastest and the slowest are printed, and the CPU
 * the process spent until ready (utime + stime), less moved by other load than the wall clock.
 * BENCH_VARIANTS as in bench:e2e (`{"label": {"env": {…}, "nodeFlags": "…", "main": "…/main.js"}}`):
 * another checkout's build, a setting, V8 flags.
 */
import { createTestTopics, randomName, TEST_MYSQL_URL } from '@cryptostream/testing';
import { createMysqlPool, parseMysqlUrl } from '@cryptostream/persistence';
import 'reflect-metadata';
import { AggregatorProcess, AggregatorStart } from '../test/support/aggregator-process';

const ROUNDS = Number(process.argv[2] ?? process.env['BENCH_ROUNDS'] ?? 7);
type Variant = Partial<Pick<AggregatorStart, 'env' | 'main' | 'nodeFlags'>>;
const VARIANTS = Object.entries(JSON.parse(process.env['BENCH_VARIANTS'] ?? '{"":{}}') as Record<string, Variant>);

interface Start {
  readonly ms: number;
  readonly cpuMs: number;
}

async function main(): Promise<void> {
  const topics = await createTestTopics(['prices', 'dlq', 'windows'], 3);
  const server = createMysqlPool(parseMysqlUrl(TEST_MYSQL_URL));
  const results = new Map<string, Start[]>();
  const record = (label: string, start: Start) => {
    results.set(label, [...(results.get(label) ?? []), start]);
    log(`round ${results.get(label)!.length}/${ROUNDS} ${label}: ${start.ms.toFixed(0)} ms, CPU ${start.cpuMs.toFixed(0)} ms`);
  };
  try {
    for (let round = 0; round < ROUNDS; round++) {
      for (const [name, variant] of VARIANTS) {
        const database = randomName('bench_startup');
        const url = new URL(TEST_MYSQL_URL);
        url.pathname = `/${database}`;
        const env = {
          KAFKA_TOPIC: topics.topics['prices'], KAFKA_DLQ_TOPIC: topics.topics['dlq'], KAFKA_WINDOWS_TOPIC: topics.topics['windows'],
          KAFKA_GROUP_ID: randomName('bench_startup'), MYSQL_URL: url.toString(), ...variant.env,
        };
        try {
          for (const db of ['fresh', 'migrated']) record(`${name ? `[${name}] ` : ''}${db}`, await startOnce({ ...variant, env }));
        } finally {
          await server.query(`DROP DATABASE IF EXISTS \`${database}\``);
        }
      }
    }
    const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
    log(`spawn -> /health/ready 200 over ${ROUNDS} rounds: median (fastest – slowest), CPU until ready (median)`);
    for (const [label, starts] of results) {
      const ms = starts.map((s) => s.ms);
      log(`  ${label.padEnd(30)} ${median(ms).toFixed(0).padStart(5)} ms (${Math.min(...ms).toFixed(0)} – ${Math.max(...ms).toFixed(0)}), CPU ${median(starts.map((s) => s.cpuMs)).toFixed(0)} ms`);
    }
  } finally {
    await server.end();
    await topics.dispose();
  }
}

async function startOnce(start: Omit<AggregatorStart, 'httpPort' | 'logFile'>): Promise<Start> {
  const aggregator = AggregatorProcess.start({ built: true, ...start, httpPort: 3900 + Math.floor(Math.random() * 90), logFile: `/tmp/${randomName('bench_startup')}.log` });
  try {
    await aggregator.waitReady(60_000, 5);
    const ms = performance.now() - aggregator.spawnedAt;
    return { ms, cpuMs: aggregator.cpuMs() };
  } finally {
    await aggregator.stop('SIGTERM');
  }
}

const log = (line: string) => process.stdout.write(`bench:startup ${line}\n`);

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`bench:startup failed: ${(error as Error).stack ?? error}\n`);
    process.exit(1);
  },
);
