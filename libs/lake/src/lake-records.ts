import {
  decodeWindowUpdate, eventTimeMsOf, isSourceProgressRecord, parsePriceMessage, PriceFields, type DeadLetter,
} from '@cryptostream/schema';
import { windowSizeLabel } from '@cryptostream/windowing';
import type { DatasetName } from './lake-datasets';
import type { LineBuffer } from './lake-line-buffer';
import { hivePath } from './lake-paths';
import { csvLine, CsvRow, LakeRow, utcDateOf } from './lake-row';

/** A Kafka record as kafkajs hands it over (the subset read here). */
export interface TopicRecord {
  readonly offset: string;
  readonly value: Buffer | null;
}

/** Why a record is not in the lake: counted, never an error (the aggregator dead-letters invalid ones). */
export type Skipped = { readonly skipped: 'source-progress' | 'invalid' | 'open-window' };

export type RecordOutcome = LakeRow | Skipped;

/**
 * A `crypto_prices` record as a `trades` row; source-progress records and invalid messages are
 * skipped: the aggregator sends the invalid ones to the dead-letter topic, archived as such.
 */
export function tradeRowOf(partition: number, record: TopicRecord): RecordOutcome {
  if (isSourceProgressRecord(record.value)) return { skipped: 'source-progress' };
  const fields = parsePriceMessage(record.value);
  if (typeof fields === 'string') return { skipped: 'invalid' };
  return new TradeRow(fields, partition, record.offset);
}

/**
 * A trade as a `trades` row. Its line is written from the validated fields into the stage's
 * Buffers (integers in range, decimal digits, a known source: none needs quoting), so no line
 * string is made for it.
 */
class TradeRow implements LakeRow {
  readonly dataset: DatasetName = 'trades';
  readonly partitionDir: string;
  readonly eventTimeMs: number;
  readonly offset: number;

  constructor(
    private readonly trade: PriceFields & { readonly isBuyerMaker?: boolean },
    private readonly partition: number,
    private readonly offsetText: string,
  ) {
    this.eventTimeMs = eventTimeMsOf(trade);
    this.offset = Number(offsetText);
    this.partitionDir = tradeDirectory(trade.contractSize == null ? 'linear' : 'coin-m', trade.symbol, this.eventTimeMs);
  }

  writeLine(out: LineBuffer): void {
    const trade = this.trade;
    if (trade.tradeId != null) out.integer(trade.tradeId);
    out.comma();
    out.integer(this.eventTimeMs);
    out.comma();
    out.plain(trade.price);
    out.comma();
    if (trade.quantity != null) out.plain(trade.quantity);
    out.comma();
    if (trade.tradeCount != null) out.integer(trade.tradeCount);
    out.comma();
    if (trade.isBuyerMaker != null) out.plain(trade.isBuyerMaker ? 'true' : 'false');
    out.comma();
    if (trade.contractSize != null) out.plain(trade.contractSize);
    out.comma();
    if (trade.source != null) out.plain(trade.source);
    out.comma();
    out.integer(this.partition);
    out.comma();
    out.plain(this.offsetText);
    out.endLine();
  }
}

const DAY_MS = 86_400_000;
/** Directories by market, symbol and day: a trade's costs three map lookups, not a date format or a key string. */
const tradeDirectories = new Map<string, Map<string, Map<number, string>>>();
let cachedDirectories = 0;

function tradeDirectory(market: string, symbol: string, eventTimeMs: number): string {
  const day = Math.floor(eventTimeMs / DAY_MS);
  let symbols = tradeDirectories.get(market);
  if (symbols === undefined) tradeDirectories.set(market, (symbols = new Map()));
  let days = symbols.get(symbol);
  if (days === undefined) symbols.set(symbol, (days = new Map()));
  let directory = days.get(day);
  if (directory === undefined) {
    // Bounded: a long-running archiver forgets the directories of earlier days.
    if (++cachedDirectories > 100_000) {
      tradeDirectories.clear();
      cachedDirectories = 0;
      return tradeDirectory(market, symbol, eventTimeMs);
    }
    directory = hivePath({ market, symbol, date: utcDateOf(day * DAY_MS) });
    days.set(day, directory);
  }
  return directory;
}

/** A closed `crypto_windows` update as a `candles` row; open ones (provisional) are skipped. */
export function candleRowOf(partition: number, record: TopicRecord): RecordOutcome {
  const update = decodeWindowUpdate(record.value);
  if (typeof update === 'string') return { skipped: 'invalid' };
  if (!update.closed) return { skipped: 'open-window' };
  return new CsvRow(
    'candles',
    hivePath({ interval: windowSizeLabel(update.windowSizeMs), symbol: update.symbol, date: utcDateOf(update.startMs) }),
    update.startMs,
    Number(record.offset),
    csvLine([
      update.startMs, update.endMs, update.open, update.high, update.low, update.close, update.volume, update.quoteVolume, update.baseVolume,
      update.takerBuyVolume, update.takerBuyQuoteVolume, update.takerBuyBaseVolume,
      update.vwap, update.averagePrice, update.tradeCount, update.eventCount, update.revision, update.source, partition, Number(record.offset),
    ]),
  );
}

/**
 * A dead letter as a `dead_letters` row, flagged `too_late` when the aggregator refused a valid
 * trade for being too late for its window. A letter that is not readable JSON is kept whole as
 * its payload, with that reason: nothing that reached the topic is dropped. An origin or rejection
 * time its column cannot hold (an offset that is not a safe integer, a partition that is not a
 * 32-bit one, a time outside the calendar) is archived as null (the time as when it was read), with
 * the value as it came in the reason: such a letter would otherwise fail its file's write again and again.
 */
export function deadLetterRowOf(partition: number, record: TopicRecord, receivedAtMs: number): CsvRow {
  const letter = readLetter(record.value);
  const notes: string[] = [];
  const rejectedAtMs = fitting('rejectedAtMs', letter.rejectedAtMs, timeMsOf, notes, 'the time it was read') ?? receivedAtMs;
  const origin = originOf(letter.origin, notes);
  const trade = parsePriceMessage(letter.payload);
  const symbol = typeof trade === 'string' ? null : trade.symbol;
  const reason = notes.length === 0 ? letter.reason : `${letter.reason} (${notes.join('; ')})`;
  return new CsvRow(
    'dead_letters',
    hivePath({ date: utcDateOf(rejectedAtMs) }),
    rejectedAtMs,
    Number(record.offset),
    csvLine([
      rejectedAtMs, letter.reason.startsWith('too late'), reason, letter.rejectedBy, symbol, origin.topic,
      origin.partition, origin.offset, origin.stream, letter.payload, partition, Number(record.offset),
    ]),
  );
}

/** A dead letter as read, its fields not checked beyond reason and payload (the archive keeps what it can). */
interface ReadLetter {
  readonly reason: string;
  readonly payload: string;
  readonly rejectedBy: string;
  readonly rejectedAtMs?: unknown;
  readonly origin?: unknown;
}

function readLetter(value: Buffer | null): ReadLetter {
  const text = value?.toString() ?? '';
  try {
    const parsed = JSON.parse(text) as Partial<Record<keyof DeadLetter, unknown>> | null;
    if (typeof parsed?.reason === 'string' && typeof parsed.payload === 'string') {
      return { reason: parsed.reason, payload: parsed.payload, rejectedBy: String(parsed.rejectedBy ?? ''), rejectedAtMs: parsed.rejectedAtMs, origin: parsed.origin };
    }
  } catch {
    // kept whole below
  }
  return { reason: 'unreadable dead letter', payload: text, rejectedBy: '' };
}

interface Origin {
  readonly topic: string | null;
  readonly partition: number | null;
  readonly offset: number | null;
  readonly stream: string | null;
}

const NO_ORIGIN: Origin = { topic: null, partition: null, offset: null, stream: null };

function originOf(origin: unknown, notes: string[]): Origin {
  if (origin === undefined || origin === null) return NO_ORIGIN;
  if (typeof origin !== 'object' || Array.isArray(origin)) {
    notes.push(`origin ${JSON.stringify(origin)} is not an object: archived as null`);
    return NO_ORIGIN;
  }
  const where = origin as Record<string, unknown>;
  return {
    topic: fitting('origin.topic', where['topic'], textOf, notes),
    partition: fitting('origin.partition', where['partition'], partitionOf, notes),
    offset: fitting('origin.offset', where['offset'], offsetOf, notes),
    stream: fitting('origin.stream', where['stream'], textOf, notes),
  };
}

/** The value as its column holds it, or null (noted, with the value as it came and what is archived instead) when it cannot. */
function fitting<T>(field: string, value: unknown, read: (value: unknown) => T | undefined, notes: string[], instead = 'null'): T | null {
  if (value === undefined || value === null) return null;
  const held = read(value);
  if (held !== undefined) return held;
  notes.push(`${field} ${JSON.stringify(value)} is not ${EXPECTED[field]}: archived as ${instead}`);
  return null;
}

const EXPECTED: Readonly<Record<string, string>> = {
  'origin.topic': 'a string',
  'origin.stream': 'a string',
  'origin.partition': 'a partition number',
  'origin.offset': 'a safe integer',
  rejectedAtMs: 'a time in epoch ms',
};

const textOf = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);
const partitionOf = (value: unknown): number | undefined => (Number.isInteger(value) && (value as number) >= 0 && (value as number) <= 2_147_483_647 ? (value as number) : undefined);
/** The calendar's range (ECMAScript dates, well within TIMESTAMP_MS). */
const MAX_TIME_MS = 8.64e15;
const timeMsOf = (value: unknown): number | undefined => (Number.isSafeInteger(value) && Math.abs(value as number) <= MAX_TIME_MS ? (value as number) : undefined);

/** An offset is a decimal integer string (Kafka's form) or a number, either a safe integer. */
function offsetOf(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isSafeInteger(value) ? value : undefined;
  if (typeof value !== 'string' || !/^-?\d{1,16}$/.test(value)) return undefined;
  const offset = Number(value);
  return Number.isSafeInteger(offset) ? offset : undefined;
}
