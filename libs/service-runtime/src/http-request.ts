import { request as httpRequestOf } from 'node:http';
import { request as httpsRequestOf } from 'node:https';

/** An answer read to its end. */
export interface HttpAnswer {
  readonly status: number;
  /** 2xx. */
  readonly ok: boolean;
  readonly text: string;
  /** The body as JSON; throws when it is not. */
  json<T>(): T;
  /** The body as JSON, or undefined when it is not (an error page, an empty body). */
  jsonOrUndefined<T>(): T | undefined;
}

export interface HttpRequestOptions {
  readonly method?: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string;
  /** From sending to the end of the answer: a peer that answers slower counts as not answering. */
  readonly timeoutMs: number;
}

/** A peer that sends more than this is cut off: every peer a service asks answers a few kilobytes. */
const MAX_ANSWER_BYTES = 16 * 1024 * 1024;

/**
 * The one way a service asks another over HTTP (the schema registry, the other apps' health and
 * metrics): `node:http`, not the global `fetch`. Undici's `fetch` reads bodies through web byte
 * streams, which detach ArrayBuffers; the first detach in a process makes V8 add a check to every
 * typed-array read of optimized code from then on (its ArrayBufferDetaching protector), so one
 * registry lookup made the byte scanner and kafkajs's record decoder about a third slower for the
 * rest of the process's life (docs/benchmarks-speed.md). Network failures and timeouts reject
 * with an Error whose message says what happened (`connect ECONNREFUSED …`, `no answer within …`).
 */
export function httpRequest(url: string, { method = 'GET', headers = {}, body, timeoutMs }: HttpRequestOptions): Promise<HttpAnswer> {
  const target = new URL(url);
  const requestOf = target.protocol === 'https:' ? httpsRequestOf : httpRequestOf;
  return new Promise<HttpAnswer>((resolve, reject) => {
    const sent = requestOf(target, {
      method,
      headers: body === undefined ? headers : { ...headers, 'content-length': String(Buffer.byteLength(body)) },
    }, (answer) => {
      const chunks: Buffer[] = [];
      let bytes = 0;
      answer.on('data', (chunk: Buffer) => {
        bytes += chunk.length;
        if (bytes > MAX_ANSWER_BYTES) sent.destroy(new Error(`${method} ${target.origin}${target.pathname}: answer larger than ${MAX_ANSWER_BYTES} bytes`));
        else chunks.push(chunk);
      });
      answer.on('error', fail);
      answer.on('end', () => {
        clearTimeout(timer);
        const status = answer.statusCode ?? 0;
        const text = Buffer.concat(chunks).toString('utf8');
        const json = <T>() => JSON.parse(text) as T;
        const jsonOrUndefined = <T>() => {
          try {
            return json<T>();
          } catch {
            return undefined;
          }
        };
        resolve({ status, ok: status >= 200 && status < 300, text, json, jsonOrUndefined });
      });
    });
    const timer = setTimeout(() => sent.destroy(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
    sent.on('error', fail);
    function fail(error: Error): void {
      clearTimeout(timer);
      reject(error);
    }
    sent.end(body);
  });
}
