import { Env, kafkaSettings, SettingsReader } from '@cryptostream/config';
import { createKafka, readDeadLetters, StoredLetter } from '@cryptostream/kafka-io';
import { parsePriceMessage } from '@cryptostream/schema';
import type { Kafka } from 'kafkajs';
import { parseArgs } from 'node:util';
import { parsePosition, reasonKind } from './dead-letter-names';

export const DLQ_USAGE = `usage: [KAFKA_BROKERS=127.0.0.1:9092] [KAFKA_DLQ_TOPIC=crypto_prices.dlq] [KAFKA_TOPIC=crypto_prices] npm run -s dlq -- COMMAND
  list [--reason REGEX]                      dead letters by kind of reason, with counts
  show PARTITION:OFFSET                      one dead letter: reason, origin, raw payload
  replay (PARTITION:OFFSET... | --reason REGEX | --all) [--force] [--dry-run]
                                             publishes the payloads again to KAFKA_TOPIC; payloads
                                             that are still invalid are skipped unless --force`;

export type { Env } from '@cryptostream/config';

/** Where the command writes: stdout for results, stderr for the summary. */
export interface DlqOutput {
  out(text: string): void;
  err(text: string): void;
}

/** Runs `dlq` with its arguments; returns the exit code (0 done, 1 nothing matched, 2 bad usage). */
export async function runDlq(argv: readonly string[], env: Env, output: DlqOutput): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: {
      reason: { type: 'string' },
      all: { type: 'boolean', default: false },
      force: { type: 'boolean', default: false },
      'dry-run': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  const [command, ...rest] = positionals;
  if (values.help || command === undefined) throw new UsageError(DLQ_USAGE);
  const reason = values.reason === undefined ? undefined : new RegExp(values.reason, 'i');
  const settings = kafkaSettings(new SettingsReader(env));
  const kafka = createKafka({ clientId: 'cryptostream-dlq', connection: settings });
  const dlqTopic = settings.deadLetterTopic;
  if (command === 'list') return list(await readDeadLetters(kafka, dlqTopic), dlqTopic, reason, output);
  if (command === 'show') {
    if (rest.length !== 1) throw new UsageError(`show takes one PARTITION:OFFSET\n${DLQ_USAGE}`);
    return show(await readDeadLetters(kafka, dlqTopic), parsePosition(rest[0]), output);
  }
  if (command === 'replay') {
    const positions = rest.map(parsePosition);
    if (positions.length === 0 && !reason && !values.all) throw new UsageError(`replay needs PARTITION:OFFSET..., --reason or --all\n${DLQ_USAGE}`);
    const letters = (await readDeadLetters(kafka, dlqTopic)).filter(
      (stored) =>
        (positions.length === 0 || positions.some((p) => p.partition === stored.partition && p.offset === stored.offset)) &&
        (!reason || reason.test(stored.letter.reason)),
    );
    return replay(kafka, letters, settings.topic, { force: values.force, dryRun: values['dry-run'] }, output);
  }
  throw new UsageError(`unknown command ${JSON.stringify(command)}\n${DLQ_USAGE}`);
}

/** Bad arguments: the message is the usage. */
export class UsageError extends Error {}

function list(letters: readonly StoredLetter[], topic: string, reason: RegExp | undefined, output: DlqOutput): number {
  const chosen = reason ? letters.filter((stored) => reason.test(stored.letter.reason)) : letters;
  const kinds = new Map<string, { count: number; first: StoredLetter; rejectedBy: Set<string> }>();
  for (const stored of chosen) {
    const kind = reasonKind(stored.letter.reason);
    const entry = kinds.get(kind) ?? { count: 0, first: stored, rejectedBy: new Set<string>() };
    entry.count++;
    entry.rejectedBy.add(stored.letter.rejectedBy);
    kinds.set(kind, entry);
  }
  output.out(`${chosen.length} dead letters in ${topic}${reason ? ` with a reason matching ${reason}` : ''}, ${kinds.size} kinds of reason\n`);
  const width = Math.max(5, ...[...kinds.values()].map((entry) => String(entry.count).length));
  output.out(`${'count'.padStart(width)}  first      by           reason\n`);
  for (const [kind, entry] of [...kinds].sort((a, b) => b[1].count - a[1].count)) {
    const first = `${entry.first.partition}:${entry.first.offset}`.padEnd(9);
    output.out(`${String(entry.count).padStart(width)}  ${first}  ${[...entry.rejectedBy].join(',').padEnd(11)}  ${kind}\n`);
  }
  return 0;
}

function show(letters: readonly StoredLetter[], position: { partition: number; offset: string }, output: DlqOutput): number {
  const stored = letters.find((s) => s.partition === position.partition && s.offset === position.offset);
  if (!stored) {
    output.err(`no dead letter at ${position.partition}:${position.offset}\n`);
    return 1;
  }
  const { letter } = stored;
  const origin = letter.origin;
  output.out(
    [
      `position     ${stored.partition}:${stored.offset}`,
      `reason       ${letter.reason}`,
      `rejected by  ${letter.rejectedBy} at ${letter.rejectedAtMs > 0 ? new Date(letter.rejectedAtMs).toISOString() : '?'}`,
      `origin       ${origin ? [origin.topic, origin.partition, origin.offset].filter((part) => part !== undefined).join('/') + (origin.stream ? ` (${origin.stream})` : '') : '-'}`,
      `key          ${stored.key ?? '-'}`,
      `payload      (${letter.payload.length} characters)`,
      letter.payload,
      '',
    ].join('\n'),
  );
  return 0;
}

async function replay(kafka: Kafka, letters: readonly StoredLetter[], topic: string, options: { force: boolean; dryRun: boolean }, output: DlqOutput): Promise<number> {
  const messages: { key: string | null; value: string }[] = [];
  let stillInvalid = 0;
  for (const stored of letters) {
    const parsed = parsePriceMessage(stored.letter.payload);
    if (typeof parsed === 'string' && !options.force) {
      stillInvalid++;
      output.err(`skipped ${stored.partition}:${stored.offset}: still invalid (${parsed})\n`);
      continue;
    }
    messages.push({ key: typeof parsed === 'string' ? stored.key : parsed.symbol, value: stored.letter.payload });
  }
  if (!options.dryRun && messages.length > 0) {
    const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    try {
      for (let from = 0; from < messages.length; from += 500) {
        await producer.send({ topic, acks: -1, messages: messages.slice(from, from + 500) });
      }
    } finally {
      await producer.disconnect();
    }
  }
  output.err(`${options.dryRun ? 'would replay' : 'replayed'} ${messages.length} of ${letters.length} chosen dead letters to ${topic}; ${stillInvalid} still invalid, skipped${stillInvalid > 0 ? ' (fix them, or --force)' : ''}\n`);
  return letters.length === 0 ? 1 : 0;
}
