import { request } from 'node:http';

/** One `event: candle` of the API's live stream. */
export interface StreamedCandle {
  readonly symbol: string;
  readonly startMs: number;
  readonly endMs: number;
  readonly close: string;
  readonly volume: string | null;
  readonly tradeCount: number | null;
  readonly closed: boolean;
}

/** An SSE client of `GET path` over plain HTTP: collects the candles it is sent until `stop()`. */
export function openCandleStream(port: number, path: string): { candles: StreamedCandle[]; status(): number; stop(): void } {
  const candles: StreamedCandle[] = [];
  let buffer = '';
  let status = 0;
  const req = request({ host: '127.0.0.1', port, path }, (response) => {
    status = response.statusCode ?? 0;
    response.setEncoding('utf8');
    response.on('data', (text: string) => {
      buffer += text;
      for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
        const frame = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const data = /^data: (.*)$/m.exec(frame)?.[1];
        if (data && /^event: candle$/m.test(frame)) candles.push(JSON.parse(data) as StreamedCandle);
      }
    });
  });
  req.on('error', () => undefined);
  req.end();
  return { candles, status: () => status, stop: () => req.destroy() };
}
