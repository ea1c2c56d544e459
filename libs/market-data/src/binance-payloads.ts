import { MarketTrade } from './market-trade';

/** Binance WebSocket `trade` event (spot; futures add `X`). */
export interface BinanceTradeEvent {
  e: 'trade'; E: number; T: number; s: string; t: number; p: string; q: string; m: boolean; X?: string;
}

/** Binance WebSocket `aggTrade` event. */
export interface BinanceAggTradeEvent {
  e: 'aggTrade'; E: number; T: number; s: string; a: number; p: string; q: string; f: number; l: number; m: boolean;
}

/** One element of `GET /api/v3/aggTrades`. */
export interface BinanceAggTradeRow {
  a: number; p: string; q: string; f: number; l: number; T: number; m: boolean; M: boolean;
}

/** Combined-stream wrapper: `{"stream":"btcusdt@trade","data":{…}}`. */
export interface BinanceCombinedStreamMessage<T = unknown> {
  stream: string;
  data: T;
}

const DECIMAL = /^-?\d+(\.\d+)?$/;

/**
 * Maps a `trade` or `aggTrade` payload (bare or inside a combined-stream wrapper) to a
 * {@link MarketTrade}; throws an Error whose message says what is wrong.
 */
export function tradeFromStreamPayload(payload: unknown): MarketTrade {
  const data = unwrapCombined(payload);
  if (typeof data !== 'object' || data === null) throw new Error('payload is not a JSON object');
  const event = data as Record<string, unknown>;
  switch (event['e']) {
    case 'trade':
      return {
        symbol: requireString(event, 's'),
        kind: 'trade',
        tradeId: requireInt(event, 't'),
        price: requireDecimal(event, 'p'),
        quantity: requireDecimal(event, 'q'),
        tradeTimeMs: requireInt(event, 'T'),
        eventTimeMs: requireInt(event, 'E'),
        isBuyerMaker: requireBoolean(event, 'm'),
        tradeCount: 1,
        ...(event['X'] === undefined ? {} : { executionType: String(event['X']) }),
      };
    case 'aggTrade': {
      const first = requireInt(event, 'f');
      const last = requireInt(event, 'l');
      if (last < first) throw new Error(`aggTrade last id ${last} is before first id ${first}`);
      return {
        symbol: requireString(event, 's'),
        kind: 'aggTrade',
        tradeId: requireInt(event, 'a'),
        price: requireDecimal(event, 'p'),
        quantity: requireDecimal(event, 'q'),
        tradeTimeMs: requireInt(event, 'T'),
        eventTimeMs: requireInt(event, 'E'),
        isBuyerMaker: requireBoolean(event, 'm'),
        tradeCount: last - first + 1,
        firstTradeId: first,
        lastTradeId: last,
      };
    }
    default:
      throw new Error(`unsupported event type ${JSON.stringify(event['e'])}`);
  }
}

/** Maps one row of `GET /api/v3/aggTrades` (which carries no symbol) to a {@link MarketTrade}. */
export function tradeFromAggTradeRow(symbol: string, row: BinanceAggTradeRow): MarketTrade {
  return tradeFromStreamPayload({ e: 'aggTrade', E: row.T, s: symbol, ...row });
}

function unwrapCombined(payload: unknown): unknown {
  if (typeof payload === 'object' && payload !== null && 'stream' in payload && 'data' in payload) {
    return (payload as BinanceCombinedStreamMessage).data;
  }
  return payload;
}

function requireString(event: Record<string, unknown>, key: string): string {
  const value = event[key];
  if (typeof value !== 'string' || value.length === 0) throw new Error(`field ${key} must be a non-empty string`);
  return value;
}

function requireDecimal(event: Record<string, unknown>, key: string): string {
  const value = requireString(event, key);
  if (!DECIMAL.test(value)) throw new Error(`field ${key} must be a decimal string, got ${JSON.stringify(value).slice(0, 40)}`);
  return value;
}

function requireInt(event: Record<string, unknown>, key: string): number {
  const value = event[key];
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw new Error(`field ${key} must be a non-negative integer`);
  }
  return value;
}

function requireBoolean(event: Record<string, unknown>, key: string): boolean {
  const value = event[key];
  if (typeof value !== 'boolean') throw new Error(`field ${key} must be a boolean`);
  return value;
}
