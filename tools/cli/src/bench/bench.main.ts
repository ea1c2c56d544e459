import { nonMarketReason, priceMessageOfTrade, tradeFromStreamPayload } from '@cryptostream/market-data';
import { eventTimeMsOf, parsePriceMessage } from '@cryptostream/schema';
import { TradeEvent, TumblingWindowEngine } from '@cryptostream/windowing';
import { tradeEventOf } from '../trade-event-of';
import { asStreamMessages, syntheticTrades } from './synthetic-trades';

/**
 * `npm run bench`: events per second through one engine on one core, for pre-parsed events and
 * for raw JSON WebSocket messages (JSON.parse + validation + engine). Input is generated before
 * the clock starts; closed windows are drained every 1000 events, as a consumer's batches would.
 */
const EVENTS = Number(process.env['BENCH_EVENTS'] ?? 1_000_000);
const ROUNDS = 5;
const BATCH = 1_000;

function measure(label: string, count: number, run: () => number): void {
  const rates: number[] = [];
  for (let round = 0; round <= ROUNDS; round++) {
    const started = process.hrtime.bigint();
    const events = run();
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    if (round > 0) rates.push(events / seconds); // round 0 warms the JIT up
  }
  rates.sort((a, b) => a - b);
  const median = rates[Math.floor(rates.length / 2)];
  const format = (rate: number) => `${(rate / 1e6).toFixed(2)} M/s`;
  console.log(`${label.padEnd(28)} median ${format(median)}  (best ${format(rates[rates.length - 1])}, ${ROUNDS} rounds of ${count.toLocaleString('en')} events)`);
}

function preParsed(events: readonly TradeEvent[]): number {
  const engine = new TumblingWindowEngine();
  let windows = 0;
  for (let i = 0; i < events.length; i++) {
    engine.add(events[i]);
    if (i % BATCH === 0) windows += engine.drainClosed().length;
  }
  windows += engine.closeAll().length;
  if (windows === 0) throw new Error('no windows');
  return events.length;
}

function rawJson(messages: readonly string[]): number {
  const engine = new TumblingWindowEngine();
  let windows = 0;
  for (let i = 0; i < messages.length; i++) {
    const trade = tradeFromStreamPayload(JSON.parse(messages[i]));
    if (nonMarketReason(trade) !== undefined) continue;
    engine.add(tradeEventOf(trade, i));
    if (i % BATCH === 0) windows += engine.drainClosed().length;
  }
  windows += engine.closeAll().length;
  if (windows === 0) throw new Error('no windows');
  return messages.length;
}

/** The aggregator's path: a `crypto_prices` record, validated by the schema, into the engine. */
function priceMessages(records: readonly Buffer[]): number {
  const engine = new TumblingWindowEngine();
  let windows = 0;
  for (let i = 0; i < records.length; i++) {
    const parsed = parsePriceMessage(records[i]);
    if (typeof parsed === 'string') throw new Error(parsed);
    const message = parsed;
    engine.add({
      symbol: message.symbol, price: message.price, quantity: message.quantity ?? '0', eventTimeMs: eventTimeMsOf(message),
      tradeId: message.tradeId, tradeCount: message.tradeCount, sequence: i, isBuyerMaker: message.isBuyerMaker,
    });
    if (i % BATCH === 0) windows += engine.drainClosed().length;
  }
  windows += engine.closeAll().length;
  if (windows === 0) throw new Error('no windows');
  return records.length;
}

const events = syntheticTrades(EVENTS);
console.log(`node ${process.version}, one engine, 1-minute windows, BTC/ETH/TRX/PEPE-like decimals`);
measure('pre-parsed, 4 symbols', events.length, () => preParsed(events));
const manySymbols = syntheticTrades(EVENTS, 400);
measure('pre-parsed, 400 symbols', manySymbols.length, () => preParsed(manySymbols));
const messages = asStreamMessages(events.slice(0, Math.min(EVENTS, 500_000)));
measure('raw JSON, 4 symbols', messages.length, () => rawJson(messages));
const records = messages.slice(0, 100_000).map((text) =>
  Buffer.from(JSON.stringify(priceMessageOfTrade(tradeFromStreamPayload(JSON.parse(text)), 'ws-trade'))),
);
measure('Kafka price message (schema)', records.length, () => priceMessages(records));
