import type * as Undici from 'undici';

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
 * undici, loaded by the first request: loading it costs about 6 MB of heap, 30 MB of resident
 * memory and 100 ms, and most processes never ask another service (an aggregator without a
 * registry).
 */
let undici: typeof Undici | undefined;

/**
 * The one way a service asks another over HTTP (the schema registry, the other apps' health and
 * metrics): undici's `request`, neither the global `fetch` nor `node:http`, because of what each
 * does to V8 for the rest of the process's life (docs/schemas.md, "Cost on the hot path"):
 * - `fetch` reads bodies through web byte streams, which detach ArrayBuffers; the first detach
 *   makes V8 check for detached buffers on every typed-array read of optimized code (its
 *   ArrayBufferDetaching protector): the byte scanner and kafkajs's record decoder a third slower.
 * - `node:http` hands each body chunk to JavaScript as a Buffer made in C++, whose prototype is
 *   set after it is made; in a process like the aggregator that invalidates V8's
 *   TypedArrayLengthLookupChain protector, and from then on every `.length` of a Buffer in
 *   optimized code is a call (`TypedArrayPrototypeLength`: ~900 instructions a trade more).
 * undici parses answers in JavaScript and makes its Buffers there. Network failures and timeouts
 * reject with an Error whose message says what happened (`connect ECONNREFUSED …`, `no answer within …`).
 */
export async function httpRequest(url: string, { method = 'GET', headers = {}, body, timeoutMs }: HttpRequestOptions): Promise<HttpAnswer> {
  const target = new URL(url);
  const stop = new AbortController();
  const timer = setTimeout(() => stop.abort(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
  try {
    undici ??= require('undici') as typeof Undici;
    const answer = await undici.request(target, {
      method: method as Undici.Dispatcher.HttpMethod,
      headers: body === undefined ? headers : { ...headers, 'content-length': String(Buffer.byteLength(body)) },
      body,
      signal: stop.signal,
    });
    const chunks: Buffer[] = [];
    let bytes = 0;
    for await (const chunk of answer.body as AsyncIterable<Buffer>) {
      bytes += chunk.length;
      if (bytes > MAX_ANSWER_BYTES) {
        answer.body.destroy();
        throw new Error(`${method} ${target.origin}${target.pathname}: answer larger than ${MAX_ANSWER_BYTES} bytes`);
      }
      chunks.push(chunk);
    }
    const status = answer.statusCode;
    const text = Buffer.concat(chunks).toString('utf8');
    const json = <T>() => JSON.parse(text) as T;
    const jsonOrUndefined = <T>() => {
      try {
        return json<T>();
      } catch {
        return undefined;
      }
    };
    return { status, ok: status >= 200 && status < 300, text, json, jsonOrUndefined };
  } catch (error) {
    throw stop.signal.aborted ? stop.signal.reason : error;
  } finally {
    clearTimeout(timer);
  }
}
