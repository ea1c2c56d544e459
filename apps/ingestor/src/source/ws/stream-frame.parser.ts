import { MarketTrade, tradeFromStreamPayload } from '@cryptostream/market-data';
import type { RawData } from 'ws';

/** Larger frames are dead-lettered unread: a trade event is about 250 bytes. */
export const MAX_FRAME_BYTES = 64 * 1024;

/** What one WebSocket frame turned out to be. */
export type StreamFrame =
  | { readonly kind: 'trade'; readonly trade: MarketTrade; readonly stream: string }
  | { readonly kind: 'server-shutdown' }
  | { readonly kind: 'response' }
  | { readonly kind: 'invalid'; readonly reason: string; readonly stream?: string };

/**
 * Reads one combined-stream frame. Never throws: anything that is not a well-formed `trade` or
 * `aggTrade` event of one of `streams` (or a `serverShutdown` event, or an answer to a request)
 * comes out `invalid` with the reason.
 */
export function parseStreamFrame(frame: RawData, isBinary: boolean, streams: ReadonlySet<string>): StreamFrame {
  const bytes = Array.isArray(frame) ? frame.reduce((sum, part) => sum + part.length, 0) : frame.byteLength;
  if (isBinary) return { kind: 'invalid', reason: `binary frame of ${bytes} bytes` };
  if (bytes > MAX_FRAME_BYTES) return { kind: 'invalid', reason: `frame too large: ${bytes} bytes (max ${MAX_FRAME_BYTES})` };
  const text = frameText(frame);
  let payload: unknown;
  try {
    payload = JSON.parse(text);
  } catch (error) {
    return { kind: 'invalid', reason: `not JSON: ${(error as Error).message}` };
  }
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) return { kind: 'invalid', reason: 'not a JSON object' };
  const record = payload as Record<string, unknown>;
  if (record['e'] === 'serverShutdown') return { kind: 'server-shutdown' };
  if ('id' in record && ('result' in record || 'error' in record)) return { kind: 'response' };
  if (typeof record['stream'] !== 'string' || !('data' in record)) return { kind: 'invalid', reason: 'not a combined-stream message {"stream","data"}' };
  const stream = record['stream'];
  if (!streams.has(stream)) return { kind: 'invalid', reason: `unexpected stream ${JSON.stringify(stream.slice(0, 64))}` };
  const data = record['data'];
  if (typeof data === 'object' && data !== null && (data as Record<string, unknown>)['e'] === 'serverShutdown') return { kind: 'server-shutdown' };
  let trade: MarketTrade;
  try {
    trade = tradeFromStreamPayload(data);
  } catch (error) {
    return { kind: 'invalid', reason: (error as Error).message, stream };
  }
  const expected = stream.toLowerCase();
  if (`${trade.symbol.toLowerCase()}@${trade.kind.toLowerCase()}` !== expected) {
    return { kind: 'invalid', reason: `${trade.kind} of ${JSON.stringify(trade.symbol.slice(0, 40))} does not belong to stream ${stream}`, stream };
  }
  return { kind: 'trade', trade, stream };
}

/** The frame as text; invalid UTF-8 is replaced (U+FFFD), never dropped. */
export function frameText(frame: RawData): string {
  if (Array.isArray(frame)) return Buffer.concat(frame).toString('utf8');
  if (frame instanceof ArrayBuffer) return Buffer.from(frame).toString('utf8');
  return frame.toString('utf8');
}
