/**
 * The aggregator's parsing alone, in this process: `parsePriceMessage` (scan, the storage
 * contract's rules) over the bench:e2e trades as Kafka delivers them (Buffers), ns per message
 * and the CPU it costs, medians of ROUNDS passes over all of them:
 *
 *   node -r @swc-node/register apps/aggregator/bench/parse.bench.ts [TRADES] [ROUNDS]   (300000, 15)
 *
 * BENCH_PARSE_MODULE names another checkout's libs/schema (its src/index.ts) to compare in the
 * same run, interleaved: `BENCH_PARSE_MODULE=/work/wt/before/libs/schema/src/index.ts`.
 */
import { readRecordedTrades, spreadTrades } from '@cryptostream/testing';
import * as current from '@cryptostream/schema';

type Parse = (raw: Buffer) => unknown;

async function main(): Promise<void> {
  const n = Number(process.argv[2] ?? 300_000);
  const rounds = Number(process.argv[3] ?? 15);
  const recorded = await readRecordedTrades();
  const perRecording = Math.max(1, Math.ceil(n / recorded.length / 3));
  const messages = spreadTrades(recorded, { symbolsPerRecording: perRecording, repeats: 3, partitions: 3 }).slice(0, n).map((m) => Buffer.from(m.value));
  const parsers: Array<[string, Parse]> = [['current', current.parsePriceMessage]];
  const other = process.env['BENCH_PARSE_MODULE'];
  // Checkouts before the one entry point called it parsePriceFields.
  if (other) parsers.unshift(['other', (({ parsePriceMessage, parsePriceFields }) => (parsePriceFields ?? parsePriceMessage) as Parse)((await import(other)) as Record<string, Parse>)]);
  const times = new Map<string, number[]>(parsers.map(([name]) => [name, []]));
  let sink = 0;
  for (let round = 0; round < rounds; round++) {
    // Every other round in the other order: neither always runs first after the other's garbage.
    for (const [name, parse] of round % 2 === 0 ? parsers : [...parsers].reverse()) {
      const started = process.cpuUsage();
      for (const message of messages) if (typeof parse(message) !== 'string') sink++;
      const used = process.cpuUsage(started);
      times.get(name)!.push(((used.user + used.system) * 1000) / messages.length);
    }
  }
  if (sink !== rounds * parsers.length * messages.length) throw new Error(`only ${sink} of the messages parsed as valid`);
  for (const [name, ns] of times) {
    const sorted = [...ns].sort((a, b) => a - b);
    console.log(`bench:parse ${name}: median ${sorted[Math.floor(sorted.length / 2)].toFixed(0)} ns CPU per message (fastest ${sorted[0].toFixed(0)}), ${messages.length} messages, ${rounds} rounds`);
  }
}

void main();
