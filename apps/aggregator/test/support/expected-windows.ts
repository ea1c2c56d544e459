import { WINDOW_COLUMNS, windowRowValues } from '@cryptostream/persistence';
import { canonicalDecimal, eventTimeMsOf, parsePriceMessage } from '@cryptostream/schema';
import { WindowFigures, MultiSizeWindowEngine } from '@cryptostream/windowing';
import type { Pool, RowDataPacket } from 'mysql2/promise';

/** What the offline computation needs of a published message. */
export interface PublishedMessage {
  readonly partition: number;
  readonly value: string;
}

/** The aggregator's window settings that decide its windows. */
export interface ExpectedWindowOptions {
  readonly sizesMs: readonly number[];
  readonly graceMs: number;
}

/**
 * The windows an aggregator must end up with: one engine per partition over the partition's
 * messages in publication order, every size, and everything closed at the end — or, with
 * `closeAtEnd: false`, only what the messages' own watermark closed (when the stream ends with
 * clock messages far ahead, whose windows stay open). Invalid messages are skipped.
 */
export function expectedWindows(messages: readonly PublishedMessage[], options: ExpectedWindowOptions, { closeAtEnd = true } = {}): WindowFigures[] {
  const engines = new Map<number, MultiSizeWindowEngine>();
  const closed: WindowFigures[] = [];
  for (const { partition, value } of messages) {
    let engine = engines.get(partition);
    if (!engine) engines.set(partition, (engine = new MultiSizeWindowEngine(options)));
    const parsed = parsePriceMessage(value);
    if (typeof parsed === 'string') continue;
    const message = parsed;
    engine.add({
      symbol: message.symbol, price: message.price, quantity: message.quantity ?? '0', eventTimeMs: eventTimeMsOf(message),
      tradeId: message.tradeId, tradeCount: message.tradeCount, ...(message.isBuyerMaker === undefined ? {} : { isBuyerMaker: message.isBuyerMaker }),
      ...(message.contractSize === undefined ? {} : { contractSize: message.contractSize }),
    });
    closed.push(...engine.drainClosed());
  }
  if (closeAtEnd) for (const engine of engines.values()) closed.push(...engine.closeAll());
  return closed;
}

/** A cell as comparable text: "0.2308000000" → "0.2308", NULL → "null". */
const cellText = (value: unknown): string => (value === null || value === undefined ? 'null' : canonicalDecimal(String(value)));

const KEY_COLUMNS = (['symbol', 'window_size', 'start_time'] as const).map((column) => WINDOW_COLUMNS.indexOf(column));
/** The last column: the stored revision counts corrections. */
const REVISION = WINDOW_COLUMNS.indexOf('revision');
const rowKey = (cells: readonly string[]): string => KEY_COLUMNS.map((index) => cells[index]).join(' ');

/** Rows of `moving_averages` compared with expected windows, cell by cell. */
export interface TableComparison {
  readonly expected: number;
  readonly actual: number;
  readonly missing: string[];
  readonly unexpected: string[];
  readonly differing: string[];
}

/**
 * `ignoreRevision`: compare the figures only, for tables whose rows were corrected (the offline
 * windows are revision 0).
 */
export async function compareWithTable(pool: Pool, expected: readonly WindowFigures[], { ignoreRevision = false } = {}): Promise<TableComparison> {
  const compared = (cells: string[]): string => (ignoreRevision ? cells.slice(0, REVISION) : cells).join('|');
  const [rows] = await pool.query<RowDataPacket[]>(`SELECT ${WINDOW_COLUMNS.join(', ')} FROM moving_averages`);
  const actual = new Map(rows.map((row) => {
    const cells = WINDOW_COLUMNS.map((column) => cellText(row[column]));
    return [rowKey(cells), compared(cells)];
  }));
  const wanted = new Map(expected.map((window) => {
    const cells = windowRowValues(window).map(cellText);
    return [rowKey(cells), compared(cells)];
  }));
  const missing = [...wanted.keys()].filter((key) => !actual.has(key));
  const unexpected = [...actual.keys()].filter((key) => !wanted.has(key));
  const differing = [...wanted.entries()]
    .filter(([key, cells]) => actual.has(key) && actual.get(key) !== cells)
    .map(([key, cells]) => `${key}: expected ${cells}, got ${actual.get(key)}`);
  return { expected: wanted.size, actual: actual.size, missing, unexpected, differing };
}
