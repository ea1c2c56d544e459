import { CANDLE_ROW_FIELDS, CandleRowField } from '@cryptostream/persistence';

/** A page of candles as MySQL gave it (row text, newest last), with what the answer adds. */
export interface CandlePageRows {
  readonly symbol: string;
  readonly interval: string;
  readonly rows: readonly Buffer[];
  readonly next: string | null;
}

/** How a row field is written: a JSON string, a number, or a decimal string stripped of its padding. */
type FieldKind = 'string' | 'number' | 'numberOrNull' | 'decimal' | 'decimalOrNull';

const FIELD_KINDS: Readonly<Record<CandleRowField, FieldKind>> = {
  source: 'string', startMs: 'number', endMs: 'number', open: 'decimal', high: 'decimal', low: 'decimal', close: 'decimal',
  volume: 'decimalOrNull', quoteVolume: 'decimalOrNull', baseVolume: 'decimalOrNull',
  takerBuyVolume: 'decimalOrNull', takerBuyQuoteVolume: 'decimalOrNull', takerBuyBaseVolume: 'decimalOrNull', vwap: 'decimalOrNull', averagePrice: 'decimal',
  tradeCount: 'numberOrNull', revision: 'number',
};
// Kinds as small integers: the byte loops compare them for each field of each row.
const [STRING, NUMBER, NUMBER_OR_NULL, DECIMAL, DECIMAL_OR_NULL] = [0, 1, 2, 3, 4];
const KIND_CODES: Readonly<Record<FieldKind, number>> = { string: STRING, number: NUMBER, numberOrNull: NUMBER_OR_NULL, decimal: DECIMAL, decimalOrNull: DECIMAL_OR_NULL };

const [COMMA, QUOTE, MINUS, POINT, ZERO, NINE, LOWER_A, LOWER_Z] = [0x2c, 0x22, 0x2d, 0x2e, 0x30, 0x39, 0x61, 0x7a];
const NULL_BYTES = Buffer.from('null', 'latin1');

/** Per field: its kind and `,"name":` (the first without the comma). */
const FIELDS = CANDLE_ROW_FIELDS.map((name, index) => ({
  kind: KIND_CODES[FIELD_KINDS[name]],
  key: Buffer.from(`${index === 0 ? '' : ','}${JSON.stringify(name)}:`, 'latin1'),
}));
const CANDLE_END = Buffer.from(',"closed":true}', 'latin1');
/** The most a field adds to its row text: its key, two quotes, or `null` for an empty field. */
const MOST_ADDED_PER_ROW = FIELDS.reduce((sum, field) => sum + field.key.length + NULL_BYTES.length, 0) + CANDLE_END.length + 1;

/**
 * The JSON of `GET /api/candles` (a {@link CandlePageDto}) written straight from the row text,
 * byte for byte what JSON.stringify gives for the page's CandleDtos (candle.mapper): one Buffer
 * and no object, string or number per cell. No field needs escaping: each byte a row field
 * copies is checked to be of its kind (digits, `.`, `-`; letters for `source`), and symbol and
 * interval are written by JSON.stringify. The answer is a view of a buffer from `allocate`.
 */
export function candlePageJson(page: CandlePageRows, allocate: (bytes: number) => Buffer = Buffer.allocUnsafe): Buffer {
  const symbol = JSON.stringify(page.symbol);
  const interval = JSON.stringify(page.interval);
  const head = Buffer.from(`{"symbol":${symbol},"interval":${interval},"candles":[`, 'latin1');
  const candleHead = Buffer.from(`{"symbol":${symbol},"interval":${interval},`, 'latin1');
  const tail = Buffer.from(`],"next":${JSON.stringify(page.next)}}`, 'latin1');
  let size = head.length + tail.length;
  for (const row of page.rows) size += row.length + candleHead.length + MOST_ADDED_PER_ROW;
  const out = allocate(size);
  let at = copyBytes(head, out, 0);
  for (let r = 0; r < page.rows.length; r++) {
    if (r > 0) out[at++] = COMMA;
    at = copyBytes(candleHead, out, at);
    at = writeCandleFields(page.rows[r], out, at);
    at = copyBytes(CANDLE_END, out, at);
  }
  at = copyBytes(tail, out, at);
  return out.subarray(0, at);
}

/**
 * Writes the fields of one row as `"source":"trades",…,"revision":0` at `at`; returns the end.
 * Byte loops, not Buffer#copy: the pieces are a few bytes each, 18,000 of them a page, and a
 * copy call costs more than its bytes.
 */
function writeCandleFields(row: Buffer, out: Buffer, at: number): number {
  let i = 0;
  for (let f = 0; f < FIELDS.length; f++) {
    const { kind, key } = FIELDS[f];
    at = copyBytes(key, out, at);
    if ((i === row.length || row[i] === COMMA) && (kind === NUMBER_OR_NULL || kind === DECIMAL_OR_NULL)) {
      at = copyBytes(NULL_BYTES, out, at);
    } else if (kind === NUMBER || kind === NUMBER_OR_NULL) {
      for (; i < row.length && row[i] !== COMMA; i++) out[at++] = digit(row, i);
    } else if (kind === STRING) {
      out[at++] = QUOTE;
      for (; i < row.length && row[i] !== COMMA; i++) out[at++] = letter(row, i);
      out[at++] = QUOTE;
    } else {
      // A decimal without the padding of its scale (`60770.990000000000` → `"60770.99"`), as canonicalDecimal.
      out[at++] = QUOTE;
      let point = false;
      for (; i < row.length && row[i] !== COMMA; i++) {
        const byte = row[i];
        if (byte === POINT) point = true;
        else if (byte !== MINUS && (byte < ZERO || byte > NINE)) throw unexpected(row, i);
        out[at++] = byte;
      }
      if (point) {
        while (out[at - 1] === ZERO) at--;
        if (out[at - 1] === POINT) at--;
      }
      out[at++] = QUOTE;
    }
    i++; // the comma
  }
  return at;
}

function copyBytes(bytes: Buffer, out: Buffer, at: number): number {
  for (let i = 0; i < bytes.length; i++) out[at++] = bytes[i];
  return at;
}

function digit(row: Buffer, i: number): number {
  const byte = row[i];
  if (byte < ZERO || byte > NINE) throw unexpected(row, i);
  return byte;
}

function letter(row: Buffer, i: number): number {
  const byte = row[i];
  if (byte < LOWER_A || byte > LOWER_Z) throw unexpected(row, i);
  return byte;
}

/** A broken invariant: the row text is not what CANDLE_ROW_FIELDS promises. */
function unexpected(row: Buffer, i: number): Error {
  return new Error(`candle row text has ${JSON.stringify(String.fromCharCode(row[i]))} at ${i} where its field allows none: ${row.toString('latin1')}`);
}
