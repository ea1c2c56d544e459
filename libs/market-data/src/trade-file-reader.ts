import { createReadStream } from 'node:fs';
import { basename } from 'node:path';
import { createInterface } from 'node:readline';
import { createGunzip } from 'node:zlib';
import { MarketTrade } from './market-trade';

/** One line of a trade file: a trade, or the reason it could not be read. */
export type TradeLine =
  | { readonly ok: true; readonly line: number; readonly trade: MarketTrade }
  | { readonly ok: false; readonly line: number; readonly reason: string };

/** Header of the recorded WebSocket trade streams in data/binance (see its SOURCES.md). */
const STREAM_RECORDING_HEADER =
  'TimestampOfReceive,Stream,EventType,EventTime,TransactionTime,Symbol,TradeId,Price,Quantity,IsBuyerMarketMaker,XUnknownParameter';

/**
 * Reads a recorded Binance trade stream (CSV with the header above; plain or `.gz`), line by line,
 * without loading the file. Malformed lines come out as `{ ok: false }` with the line number.
 */
export async function* readTradeFile(path: string): AsyncGenerator<TradeLine> {
  const input = createReadStream(path);
  const lines = createInterface({ input: path.endsWith('.gz') ? input.pipe(createGunzip()) : input, crlfDelay: Infinity });
  let lineNumber = 0;
  for await (const text of lines) {
    lineNumber += 1;
    if (lineNumber === 1) {
      if (text.trim() !== STREAM_RECORDING_HEADER) {
        throw new Error(`${basename(path)}: unknown layout; expected the header ${STREAM_RECORDING_HEADER}`);
      }
      continue;
    }
    if (text.trim() === '') continue;
    yield parseStreamRecordingLine(text, lineNumber);
  }
}

/** Parses one row of a stream recording; see data/binance/SOURCES.md for the columns. */
export function parseStreamRecordingLine(text: string, line: number): TradeLine {
  const cells = text.split(',');
  if (cells.length !== 11) return { ok: false, line, reason: `expected 11 columns, found ${cells.length}` };
  const [, , eventType, eventTime, tradeTime, symbol, tradeId, price, quantity, buyerMaker, executionType] = cells;
  const numbers = [eventTime, tradeTime, tradeId].map(Number);
  if (numbers.some((n) => !Number.isSafeInteger(n) || n < 0)) return { ok: false, line, reason: 'event time, trade time and trade id must be integers' };
  if (eventType !== 'trade') return { ok: false, line, reason: `unsupported event type ${eventType}` };
  if (!/^-?\d+(\.\d+)?$/.test(price) || !/^\d+(\.\d+)?$/.test(quantity)) return { ok: false, line, reason: 'price and quantity must be decimals' };
  if (buyerMaker !== '0' && buyerMaker !== '1') return { ok: false, line, reason: 'IsBuyerMarketMaker must be 0 or 1' };
  return {
    ok: true,
    line,
    trade: {
      symbol,
      kind: 'trade',
      tradeId: numbers[2],
      price,
      quantity,
      tradeTimeMs: numbers[1],
      eventTimeMs: numbers[0],
      isBuyerMaker: buyerMaker === '1',
      tradeCount: 1,
      executionType,
    },
  };
}
