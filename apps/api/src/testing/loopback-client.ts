import { IncomingHttpHeaders, request } from 'node:http';

/** An answer read whole. */
export interface Answer {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

export interface CallOptions {
  /**
   * The loopback address the request comes from (127.0.0.0/8 is all loopback on Linux): each is
   * another client to the API's per-address limits.
   */
  readonly from?: string;
  readonly headers?: Record<string, string>;
  readonly method?: string;
}

/** One request on a socket of its own, read whole. */
export function call(port: number, path: string, options: CallOptions = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method: options.method ?? 'GET', localAddress: options.from, headers: options.headers, agent: false }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks).toString('utf8') }));
      response.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

/** An SSE event as a client reads it. */
export interface StreamEvent {
  readonly id: number;
  readonly event: string;
  readonly data: string;
}

/** A Server-Sent Events stream held open: its status, headers and the events read so far. */
export interface OpenStream {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly events: StreamEvent[];
  /** True once the server ended the stream. */
  readonly ended: () => boolean;
  close(): void;
}

/** Opens an SSE stream; resolves once the answer's head is in (a refusal's body is its one event, `event: refused`). */
export function openStream(port: number, path: string, options: CallOptions = {}): Promise<OpenStream> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, localAddress: options.from, headers: options.headers, agent: false }, (response) => {
      const events: StreamEvent[] = [];
      let ended = false;
      let buffer = '';
      response.setEncoding('utf8');
      response.on('data', (text: string) => {
        buffer += text;
        if (response.statusCode !== 200) return;
        for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
          const frame = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const field = (name: string) => [...frame.matchAll(/^(\w+): (.*)$/gm)].find((m) => m[1] === name)?.[2];
          const data = field('data');
          if (data !== undefined) events.push({ id: Number(field('id') ?? -1), event: field('event') ?? 'message', data });
        }
      });
      response.on('end', () => {
        ended = true;
        if (response.statusCode !== 200) events.push({ id: -1, event: 'refused', data: buffer });
      });
      response.on('error', () => (ended = true));
      resolve({ status: response.statusCode ?? 0, headers: response.headers, events, ended: () => ended, close: () => req.destroy() });
    });
    req.on('error', reject);
    req.end();
  });
}

/** `api_requests_refused_total` of a /metrics text, by `reason/status`. */
export function refusalCounts(metricsText: string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const match of metricsText.matchAll(/^api_requests_refused_total\{reason="(\w+)",status="(\d+)"\} (\d+)/gm)) counts[`${match[1]}/${match[2]}`] = Number(match[3]);
  return counts;
}
