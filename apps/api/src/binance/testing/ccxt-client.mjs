// A ccxt user of the API, in a process of its own (ccxt is an ES module, which jest's module
// loader does not load): `node ccxt-client.mjs '<job JSON>'`. The job names a ccxt exchange
// class (`binance`, `binanceusdm`, `binancecoinm`), the API's URL, OHLCV fetches and at most one
// watch; it prints JSON lines: `{"calls":[…]}` (the paths loadMarkets asked for), one
// `{"fetch":i,"ohlcv":[…],"raw":"…","path":"…"}` per fetch, then one `{"watch":[…]}` each time
// watchOHLCV resolves, `count` times.
import ccxt from 'ccxt';

const job = JSON.parse(process.argv[2]);
const calls = [];
const exchange = new ccxt.pro[job.exchange]();
// What a user writes: Binance's hosts replaced by the API's, REST and WebSocket.
for (const [name, url] of Object.entries(exchange.urls.api)) {
  if (typeof url === 'string') exchange.urls.api[name] = url.replace(/^https:\/\/[^/]+/, job.apiUrl);
}
// Each stream host becomes a path prefix (wss://stream.binance.com:9443/ws → ws://…/stream/ws):
// ccxt tells spot streams from futures ones by "/stream" in the URL.
for (const [name, url] of Object.entries(exchange.urls.api.ws)) {
  if (typeof url === 'string') exchange.urls.api.ws[name] = url.replace(/^wss:\/\/([a-z]+)\.binance\.com(:\d+)?/, `${job.apiUrl.replace(/^http/, 'ws')}/$1`);
}
exchange.fetchImplementation = (url, init) => {
  calls.push(new URL(url).pathname);
  return fetch(url, init);
};
const print = (line) => process.stdout.write(`${JSON.stringify(line)}\n`);

try {
  await exchange.loadMarkets();
  print({ calls: [...calls] });
  for (const [index, { symbol, timeframe, since, limit }] of (job.fetches ?? []).entries()) {
    const ohlcv = await exchange.fetchOHLCV(symbol, timeframe, since ?? undefined, limit ?? undefined);
    print({ fetch: index, ohlcv, raw: exchange.last_http_response, path: calls.at(-1) });
  }
  if (job.watch) {
    // ccxt opens plain ws:// URLs (an API without TLS) only with Node's http agent loaded first.
    await exchange.loadHttpProxyAgent();
    for (let i = 0; i < job.watch.count; i++) print({ watch: await exchange.watchOHLCV(job.watch.symbol, job.watch.timeframe) });
  }
} catch (error) {
  print({ error: `${error.constructor.name}: ${error.message}` });
  process.exitCode = 1;
} finally {
  await exchange.close();
}
