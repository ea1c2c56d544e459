import { createReadStream } from 'node:fs';
import { basename } from 'node:path';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { parseArchiveRow } from './archive-csv';
import { tradeFromStreamPayload } from './binance-payloads';
import { MarketTrade } from './market-trade';
import { TimeUnitDetector } from './time-unit';
import { detectTradeFileLayout, symbolOfFileName, TradeFileLayout } from './trade-file-layout';
import { zipEntries } from './zip-entries';

/** One line of a trade file: a trade, or the reason it could not be read. */
export type TradeLine =
  | { readonly ok: true; readonly line: number; readonly trade: MarketTrade; readonly source?: string }
  | { readonly ok: false; readonly line: number; readonly reason: string; readonly source?: string; readonly text?: string };

export interface ReadTradeFileOptions {
  /** Symbol of the trades when neither the data nor the file name carries one. */
  readonly symbol?: string;
  /** Told the number of bytes read from disk as reading goes (for a progress bar). */
  readonly onBytesRead?: (bytes: number) => void;
}

/**
 * Reads a trade file line by line, without loading it: a recorded WebSocket stream (CSV with
 * the header of data/binance), JSON lines of WebSocket `trade`/`aggTrade` payloads (bare or in
 * the combined-stream wrapper), or a Binance archive `trades`/`aggTrades` CSV with or without
 * header. Plain, `.gz` or `.zip` (every file inside). Times in ms or µs, decided per file, come
 * out in ms. Malformed lines come out as `{ ok: false }` with the line number and the reason;
 * a file whose layout is unknown throws an Error naming it.
 */
export async function* readTradeFile(path: string, options: ReadTradeFileOptions = {}): AsyncGenerator<TradeLine> {
  if (/\.zip$/i.test(path)) {
    for (const entry of await zipEntries(path)) {
      yield* readTradeLines(entry.open(options.onBytesRead), `${path}:${entry.name}`, entry.name, options.symbol);
    }
    return;
  }
  const input = createReadStream(path);
  if (options.onBytesRead) {
    const onBytesRead = options.onBytesRead;
    input.on('data', (chunk) => onBytesRead(chunk.length));
  }
  yield* readTradeLines(/\.gz$/i.test(path) ? input.pipe(createGunzip()) : input, path, path.replace(/\.gz$/i, ''), options.symbol);
}

async function* readTradeLines(input: Readable, source: string, name: string, symbol: string | undefined): AsyncGenerator<TradeLine> {
  const lines = createInterface({ input, crlfDelay: Infinity });
  let parse: ((text: string, line: number) => TradeLine) | undefined;
  let lineNumber = 0;
  for await (const raw of lines) {
    lineNumber += 1;
    const text = lineNumber === 1 ? raw.replace(/^\uFEFF/, '') : raw;
    if (text.trim() === '') continue;
    if (parse === undefined) {
      const layout = detectTradeFileLayout(text, name);
      if (typeof layout === 'string') throw new Error(`${basename(source)}: ${layout}`);
      parse = lineParser(layout, name, symbol, source);
      if (layout.kind === 'stream-recording' || (layout.kind === 'archive' && layout.header)) continue;
    }
    yield parse(text, lineNumber);
  }
}

/** A parser for the lines of one file, which converts its times to ms. */
function lineParser(layout: TradeFileLayout, name: string, symbol: string | undefined, source: string): (text: string, line: number) => TradeLine {
  const clock = new TimeUnitDetector();
  const fail = (line: number, reason: string, text: string): TradeLine => ({ ok: false, line, reason, source, text });
  const inMs = (trade: MarketTrade, line: number, text: string): TradeLine => {
    const tradeTimeMs = clock.toMs(trade.tradeTimeMs);
    if (typeof tradeTimeMs === 'string') return fail(line, tradeTimeMs, text);
    if (clock.unit === 'ms') return { ok: true, line, trade, source };
    const eventTimeMs = trade.eventTimeMs === undefined ? undefined : Math.floor(trade.eventTimeMs / 1000);
    return { ok: true, line, trade: { ...trade, tradeTimeMs, ...(eventTimeMs === undefined ? {} : { eventTimeMs }) }, source };
  };
  switch (layout.kind) {
    case 'stream-recording':
      return (text, line) => {
        const parsed = parseStreamRecordingLine(text, line, layout.market);
        return parsed.ok ? inMs(parsed.trade, line, text) : { ...parsed, source, text };
      };
    case 'json-lines':
      return (text, line) => {
        let payload: unknown;
        try {
          payload = JSON.parse(text);
        } catch {
          return fail(line, 'not valid JSON', text);
        }
        try {
          return inMs(tradeFromStreamPayload(payload), line, text);
        } catch (error) {
          return fail(line, (error as Error).message, text);
        }
      };
    case 'archive': {
      const fileSymbol = symbolOfFileName(name) ?? symbol;
      if (fileSymbol === undefined) {
        throw new Error(`${basename(source)}: the symbol is not in the data; name the file like BTCUSDT-trades-2025-01-01.csv or give the symbol`);
      }
      return (text, line) => {
        const row = parseArchiveRow(layout.layout, text, fileSymbol);
        return typeof row === 'string' ? fail(line, row, text) : inMs(row.trade, line, text);
      };
    }
  }
}

/**
 * Parses one row of a stream recording; see data/binance/SOURCES.md for the columns. The last
 * column is the futures execution type `X`, or for a spot recording the spot payload's `M`,
 * which means nothing for windows (Binance documents it as "ignore").
 */
export function parseStreamRecordingLine(text: string, line: number, market: 'spot' | 'futures' = 'futures'): TradeLine {
  const cells = text.split(',');
  if (cells.length !== 11) return { ok: false, line, reason: `expected 11 columns, found ${cells.length}` };
  const [, , eventType, eventTime, tradeTime, symbol, tradeId, price, quantity, buyerMaker, last] = cells;
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
      ...(market === 'futures' ? { executionType: last } : {}),
    },
  };
}
