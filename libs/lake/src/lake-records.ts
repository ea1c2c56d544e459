import {
  decodeWindowUpdate, eventTimeMsOf, isSourceProgressRecord, parsePriceMessage, PriceFields, type DeadLetter,
} from '@cryptostream/schema';
import { windowSizeLabel } from '@cryptostream/windowing';
import { hivePath } from './lake-paths';
import { LakeRow, utcDateOf } from './lake-row';

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
  const trade = fields as PriceFields & { readonly isBuyerMaker?: boolean };
  const eventTimeMs = eventTimeMsOf(trade);
  return {
    dataset: 'trades',
    partitionDir: tradeDirectory(trade.contractSize === undefined ? 'linear' : 'coin-m', trade.symbol, eventTimeMs),
    eventTimeMs,
    offset: Number(record.offset),
    values: [
      trade.tradeId ?? null, eventTimeMs, trade.price, trade.quantity ?? null, trade.tradeCount ?? null, trade.isBuyerMaker ?? null,
      trade.contractSize ?? null, trade.source ?? null, partition, Number(record.offset),
    ],
  };
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
  return {
    dataset: 'candles',
    partitionDir: hivePath({ interval: windowSizeLabel(update.windowSizeMs), symbol: update.symbol, date: utcDateOf(update.startMs) }),
    eventTimeMs: update.startMs,
    offset: Number(record.offset),
    values: [
      update.startMs, update.endMs, update.open, update.high, update.low, update.close, update.volume, update.quoteVolume, update.baseVolume,
      update.takerBuyVolume, update.takerBuyQuoteVolume, update.takerBuyBaseVolume,
      update.vwap, update.averagePrice, update.tradeCount, update.eventCount, update.revision, update.source, partition, Number(record.offset),
    ],
  };
}

/**
 * A dead letter as a `dead_letters` row, flagged `too_late` when the aggregator refused a valid
 * trade for being too late for its window. A letter that is not readable JSON is kept whole as
 * its payload, with that reason: nothing that reached the topic is dropped.
 */
export function deadLetterRowOf(partition: number, record: TopicRecord, receivedAtMs: number): LakeRow {
  const letter = readLetter(record.value);
  const rejectedAtMs = Number.isSafeInteger(letter.rejectedAtMs) ? letter.rejectedAtMs : receivedAtMs;
  const trade = parsePriceMessage(letter.payload);
  const symbol = typeof trade === 'string' ? null : trade.symbol;
  return {
    dataset: 'dead_letters',
    partitionDir: hivePath({ date: utcDateOf(rejectedAtMs) }),
    eventTimeMs: rejectedAtMs,
    offset: Number(record.offset),
    values: [
      rejectedAtMs, letter.reason.startsWith('too late'), letter.reason, letter.rejectedBy, symbol, letter.origin?.topic ?? null,
      letter.origin?.partition ?? null, letter.origin?.offset === undefined ? null : Number(letter.origin.offset), letter.origin?.stream ?? null,
      letter.payload, partition, Number(record.offset),
    ],
  };
}

function readLetter(value: Buffer | null): DeadLetter {
  const text = value?.toString() ?? '';
  try {
    const parsed = JSON.parse(text) as Partial<DeadLetter>;
    if (typeof parsed.reason === 'string' && typeof parsed.payload === 'string') {
      return { reason: parsed.reason, payload: parsed.payload, rejectedBy: String(parsed.rejectedBy ?? ''), rejectedAtMs: Number(parsed.rejectedAtMs), origin: parsed.origin };
    }
  } catch {
    // kept whole below
  }
  return { reason: 'unreadable dead letter', payload: text, rejectedBy: '', rejectedAtMs: Number.NaN };
}
