import { basename } from 'node:path';
import { ArchiveLayout, archiveLayoutOfHeader, archiveLayoutOfRow } from './archive-csv';

/**
 * Header of the recorded WebSocket trade streams of futures (USDⓈ-M and COIN-M) in data/binance
 * (see its SOURCES.md): the last column is the futures execution type `X`.
 */
export const STREAM_RECORDING_HEADER =
  'TimestampOfReceive,Stream,EventType,EventTime,TransactionTime,Symbol,TradeId,Price,Quantity,IsBuyerMarketMaker,XUnknownParameter';

/**
 * The same recorder's header for a spot trade stream: the spot payload has no `X`; its last
 * column is `M` ("ignore", always true), and since 2025 its times are in microseconds.
 */
export const SPOT_STREAM_RECORDING_HEADER =
  'TimestampOfReceive,Stream,EventType,EventTime,TransactionTime,Symbol,TradeId,Price,Quantity,IsBuyerMarketMaker,MUnknownParameter';

/** How a trade file is laid out, decided on its first line and its name. */
export type TradeFileLayout =
  | { readonly kind: 'stream-recording'; readonly market: 'spot' | 'futures' }
  | { readonly kind: 'json-lines' }
  | { readonly kind: 'archive'; readonly layout: ArchiveLayout; readonly header: boolean };

/**
 * Detects the layout of a trade file from its first non-empty line, using the file name
 * (`BTCUSDT-aggTrades-2025-01-01.csv`) when a headerless row could be either archive layout.
 * Returns an explanation when the layout is unknown.
 */
export function detectTradeFileLayout(firstLine: string, fileName: string): TradeFileLayout | string {
  const line = firstLine.trim();
  if (line === STREAM_RECORDING_HEADER) return { kind: 'stream-recording', market: 'futures' };
  if (line === SPOT_STREAM_RECORDING_HEADER) return { kind: 'stream-recording', market: 'spot' };
  if (line.startsWith('{')) return { kind: 'json-lines' };
  const named = archiveLayoutOfName(fileName);
  if (/^[A-Za-z_]/.test(line)) {
    const layout = archiveLayoutOfHeader(line) ?? named;
    if (layout) return { kind: 'archive', layout, header: true };
  } else {
    const layout = named ?? archiveLayoutOfRow(line);
    if (layout) return { kind: 'archive', layout, header: false };
  }
  return (
    `unknown layout: expected a stream recording header (${STREAM_RECORDING_HEADER}, or …,MUnknownParameter for spot), JSON lines of ` +
    'WebSocket payloads, or a Binance archive trades/aggTrades CSV'
  );
}

/** `trades` or `aggTrades` when the file is named like Binance's archives. */
export function archiveLayoutOfName(fileName: string): ArchiveLayout | undefined {
  const name = basename(fileName);
  if (/-aggTrades-/i.test(name)) return 'aggTrades';
  if (/-trades-/i.test(name)) return 'trades';
  return undefined;
}

/** The symbol in a Binance archive file name: `BTCUSDT-trades-2025-01-01.zip` → BTCUSDT. */
export function symbolOfFileName(fileName: string): string | undefined {
  return /^([A-Z0-9][A-Z0-9_]{1,31})-/.exec(basename(fileName))?.[1];
}
