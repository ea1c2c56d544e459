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
for (const [name, url] of Object.entries(exchange.urls.api.ws)) {
  if (typeof url === 'string') exchange.urls.api.ws[name] = url.replace(/^wss:\/\/[^/]+/, job.apiUrl.replace(/^http/, 'ws'));
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
    for (let i = 0; i < job.watch.count; i++) print({ watch: await exchange.watchOHLCV(job.watch.symbol, job.watch.timeframe) });
  }
} catch (error) {
  print({ error: `${error.constructor.name}: ${error.message}` });
  process.exitCode = 1;
} finally {
  await exchange.close();
}
