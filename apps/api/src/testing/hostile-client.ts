/**
 * The hostile side of the hostile-HTTP test, in a process of its own so that its load does not
 * slow the well-behaved client it is measured against:
 *
 *   node -r @swc-node/register apps/api/src/testing/hostile-client.ts PORT SYMBOL
 *
 * At once, each from its own loopback address: 500 slowloris sockets (a header line a second,
 * never the end of the head), 5,000 SSE streams opened by one client, 2,000 requests/s from one
 * client for 10 s, oversized URLs and headers, malformed `Last-Event-ID` and cursors. Prints one
 * JSON line: what each attack got, by status.
 */
import { Agent, request } from 'node:http';
import { connect } from 'node:net';
import { performance } from 'node:perf_hooks';
import { call, openStream, OpenStream } from './loopback-client';

const [port, symbol] = [Number(process.argv[2]), process.argv[3]];
const SLOWLORIS_SOCKETS = 500;
const SSE_STREAMS = 5_000;
const SSE_CONCURRENCY = 100;
const FLOOD_RATE = 2_000;
const FLOOD_SECONDS = 10;

type Statuses = Record<string, number>;
const count = (statuses: Statuses, status: number | string) => (statuses[String(status)] = (statuses[String(status)] ?? 0) + 1);

/** Sockets that send a header line a second and never finish the head: how they ended and when. */
async function slowloris(from: string) {
  const answers: Statuses = {};
  const started = performance.now();
  let lastClosedMs = 0;
  await Promise.all(Array.from({ length: SLOWLORIS_SOCKETS }, (_, n) => new Promise<void>((resolve) => {
    let drip: NodeJS.Timeout | undefined;
    // The drip starts once connected: a line written while connecting would go out before the request line.
    const socket = connect({ host: '127.0.0.1', port, localAddress: from }, () => {
      socket.write(`GET /api/candles?symbol=${symbol} HTTP/1.1\r\nHost: api\r\n`);
      drip = setInterval(() => socket.writable && socket.write(`X-Drip-${n}: ${Date.now()}\r\n`), 1_000);
    });
    let answer = '';
    socket.setEncoding('latin1');
    socket.on('data', (text: string) => (answer += text));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearInterval(drip);
      count(answers, /^HTTP\/1\.1 (\d+)/.exec(answer)?.[1] ?? 'closed without answer');
      lastClosedMs = performance.now() - started;
      resolve();
    });
  })));
  return { sockets: SLOWLORIS_SOCKETS, answers, allClosedAfterMs: Math.round(lastClosedMs) };
}

/** One client opens streams, `SSE_CONCURRENCY` at a time, holding those let through. */
async function sseFlood(from: string) {
  const statuses: Statuses = {};
  const held: OpenStream[] = [];
  let next = 0;
  await Promise.all(Array.from({ length: SSE_CONCURRENCY }, async () => {
    while (next < SSE_STREAMS) {
      next++;
      const stream = await openStream(port, `/api/candles/stream?symbol=${symbol}`, { from }).catch(() => undefined);
      count(statuses, stream?.status ?? 'error');
      if (stream?.status === 200) held.push(stream);
      else stream?.close();
    }
  }));
  const stillOpen = held.filter((stream) => !stream.ended()).length;
  return { opened: SSE_STREAMS, statuses, held: stillOpen, close: () => held.forEach((stream) => stream.close()) };
}

/** `FLOOD_RATE` requests a second, open loop, over kept-alive sockets. */
async function requestFlood(from: string) {
  const statuses: Statuses = {};
  const agent = new Agent({ keepAlive: true, maxSockets: 100, localAddress: from });
  const pending: Promise<void>[] = [];
  const started = performance.now();
  for (let sent = 0; sent < FLOOD_RATE * FLOOD_SECONDS; sent++) {
    const dueMs = (sent * 1000) / FLOOD_RATE;
    const wait = dueMs - (performance.now() - started);
    if (wait > 2) await new Promise((resolve) => setTimeout(resolve, wait));
    pending.push(new Promise<void>((resolve) => {
      const req = request({ host: '127.0.0.1', port, path: `/api/candles?symbol=${symbol}&limit=10`, agent }, (response) => {
        count(statuses, response.statusCode ?? 0);
        response.resume();
        response.on('end', resolve);
        response.on('error', () => resolve());
      });
      req.on('error', (error: NodeJS.ErrnoException) => {
        count(statuses, `error ${error.code ?? error.message}`);
        resolve();
      });
      req.end();
    }));
  }
  const sentInMs = performance.now() - started;
  await Promise.all(pending);
  agent.destroy();
  return { sent: FLOOD_RATE * FLOOD_SECONDS, sentPerSecond: Math.round((FLOOD_RATE * FLOOD_SECONDS) / (sentInMs / 1000)), answeredInMs: Math.round(performance.now() - started), statuses };
}

/** Requests too large to read, and parameters that are not what they claim. */
async function malformed(from: string) {
  const kinds: Record<string, Array<{ path: string; headers?: Record<string, string> }>> = {
    'url 8 KiB': [{ path: `/api/candles?symbol=${symbol}&pad=${'x'.repeat(8_192)}` }],
    'url 20 KiB': [{ path: `/api/candles?symbol=${symbol}&pad=${'x'.repeat(20_480)}` }],
    'header 32 KiB': [{ path: `/api/candles?symbol=${symbol}`, headers: { 'X-Padding': 'x'.repeat(32_768) } }],
    'Last-Event-ID': ['abc', '-1', '9'.repeat(40), '1e5', '12 34'].map((id) => ({ path: `/api/candles/stream?symbol=${symbol}`, headers: { 'Last-Event-ID': id } })),
    cursor: ['garbage', '%00%ff', 'MTIzNDU2', '-'.repeat(300)].map((cursor) => ({ path: `/api/candles?symbol=${symbol}&cursor=${cursor}` })),
  };
  const answers: Record<string, Statuses> = {};
  for (const [kind, requests] of Object.entries(kinds)) {
    answers[kind] = {};
    for (let round = 0; round < 20; round++) {
      for (const { path, headers } of requests) count(answers[kind], await call(port, path, { from, headers }).then((answer) => answer.status, () => 'error'));
    }
  }
  return answers;
}

async function main(): Promise<void> {
  const sse = sseFlood('127.0.0.3');
  const [slow, flood, bad] = await Promise.all([slowloris('127.0.0.2'), requestFlood('127.0.0.4'), malformed('127.0.0.5')]);
  const streams = await sse;
  streams.close();
  process.stdout.write(`${JSON.stringify({ slowloris: slow, sse: { ...streams, close: undefined }, flood, malformed: bad })}\n`);
}

// Bounded whatever happens to the API or the test that started it.
setTimeout(() => {
  process.stderr.write('hostile-client: not done within 120 s\n');
  process.exit(2);
}, 120_000).unref();

main().catch((error: unknown) => {
  process.stderr.write(`${(error as Error).stack}\n`);
  process.exit(1);
});
