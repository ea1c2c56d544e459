import fc from 'fast-check';
import { TumblingWindowEngine } from './tumbling-window-engine';
import type { WindowFigures, TradeEvent, WindowEngineOptions } from './window.types';

/**
 * Invariants of the engine under random input, checked against a deliberately naive reference:
 * every decimal at one fixed scale in BigInt, windows grouped after the fact.
 */

const SCALE = 40;
const toFixed = (text: string): bigint => {
  const [whole, fraction = ''] = text.split('.');
  return BigInt(whole + fraction.padEnd(SCALE, '0'));
};
const fromFixed = (value: bigint, scale = SCALE): string => {
  const digits = value.toString().padStart(scale + 1, '0');
  const fraction = digits.slice(-scale).replace(/0+$/, '');
  return fraction ? `${digits.slice(0, -scale)}.${fraction}` : digits.slice(0, -scale);
};
const halfUp8 = (numerator: bigint, denominator: bigint): string => {
  const q = (2n * numerator * 10n ** 8n + denominator) / (2n * denominator);
  return q.toString().padStart(9, '0').replace(/(\d{8})$/, '.$1');
};

function referenceWindows(events: readonly TradeEvent[], windowSizeMs: number): WindowFigures[] {
  const groups = new Map<string, TradeEvent[]>();
  for (const event of events) {
    const startMs = Math.floor(event.eventTimeMs / windowSizeMs) * windowSizeMs;
    const key = `${String(startMs).padStart(16, '0')} ${event.symbol}`;
    groups.set(key, [...(groups.get(key) ?? []), event]);
  }
  return [...groups.keys()].sort().map((key) => {
    const group = groups.get(key)!;
    const startMs = Number(key.split(' ')[0]);
    const byTime = [...group].sort((a, b) => a.eventTimeMs - b.eventTimeMs || a.tradeId! - b.tradeId!);
    const prices = group.map((e) => toFixed(e.price));
    const priceSum = prices.reduce((a, b) => a + b, 0n);
    const volume = group.reduce((sum, e) => sum + toFixed(e.quantity), 0n);
    const quote = group.reduce((sum, e) => sum + toFixed(e.price) * toFixed(e.quantity), 0n);
    const takerBuys = group.filter((e) => e.isBuyerMaker === false);
    const takerBuyVolume = takerBuys.reduce((sum, e) => sum + toFixed(e.quantity), 0n);
    const takerBuyQuote = takerBuys.reduce((sum, e) => sum + toFixed(e.price) * toFixed(e.quantity), 0n);
    const ids = group.map((e) => e.tradeId!);
    return {
      symbol: group[0].symbol, startMs, endMs: startMs + windowSizeMs,
      averagePrice: halfUp8(priceSum, BigInt(group.length) * 10n ** BigInt(SCALE)),
      open: fromFixed(toFixed(byTime[0].price)),
      high: fromFixed(prices.reduce((a, b) => (a > b ? a : b))),
      low: fromFixed(prices.reduce((a, b) => (a < b ? a : b))),
      close: fromFixed(toFixed(byTime.at(-1)!.price)),
      volume: fromFixed(volume),
      quoteVolume: fromFixed(quote, 2 * SCALE),
      vwap: volume === 0n ? null : halfUp8(quote, volume * 10n ** BigInt(SCALE)),
      tradeCount: group.reduce((sum, e) => sum + (e.tradeCount ?? 1), 0),
      eventCount: group.length,
      firstTradeId: Math.min(...ids),
      lastTradeId: Math.max(...ids),
      revision: 0,
      takerBuyVolume: fromFixed(takerBuyVolume),
      takerBuyQuoteVolume: fromFixed(takerBuyQuote, 2 * SCALE),
    };
  });
}

/** Decimals that exercise both paths: small ones, long fractions, trailing zeros, > 2^53. */
const decimal = (positive: boolean) =>
  fc.oneof(
    fc.tuple(fc.integer({ min: 0, max: 99_999 }), fc.integer({ min: 0, max: 6 })),
    fc.tuple(fc.integer({ min: 0, max: 2 ** 31 }), fc.integer({ min: 0, max: 12 })),
    fc.tuple(fc.bigInt({ min: 0n, max: 10n ** 30n }), fc.integer({ min: 0, max: 18 })),
  ).map(([mantissa, scale]) => {
    const value = BigInt(mantissa) + (positive ? 1n : 0n);
    const digits = value.toString().padStart(scale + 1, '0');
    return scale === 0 ? digits : `${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
  });

const WINDOW_MS = 10_000;
const GRACE_MS = 15_000;

/** Events in event-time order with distinct trade ids, over a few symbols and windows. */
const orderedEvents = fc
  .array(
    fc.record({
      symbol: fc.constantFrom('AAA', 'BBB', 'CCC'),
      gapMs: fc.integer({ min: 0, max: 7_000 }),
      price: decimal(true),
      quantity: decimal(false),
      tradeCount: fc.integer({ min: 1, max: 5 }),
      isBuyerMaker: fc.boolean(),
      delayMs: fc.integer({ min: 0, max: GRACE_MS }),
    }),
    { maxLength: 120 },
  )
  .map((raw) => {
    let timeMs = 1_700_000_000_000;
    return raw.map(({ gapMs, delayMs, ...rest }, i) => {
      timeMs += gapMs;
      return { event: { ...rest, eventTimeMs: timeMs, tradeId: i + 1, sequence: i } as TradeEvent, arrivalMs: timeMs + delayMs };
    });
  });

function run(events: readonly TradeEvent[], options: WindowEngineOptions, drainAfter: (i: number) => boolean = () => false) {
  const engine = new TumblingWindowEngine(options);
  const windows: WindowFigures[] = [];
  events.forEach((event, i) => {
    engine.add(event);
    if (drainAfter(i)) windows.push(...engine.drainClosed());
  });
  return [...windows, ...engine.closeAll()];
}

/** The last revision of each window, in (end, symbol) order. */
function finalRevisions(windows: readonly WindowFigures[]): WindowFigures[] {
  const last = new Map<string, WindowFigures>();
  for (const w of windows) last.set(`${String(w.endMs).padStart(16, '0')} ${w.symbol}`, { ...w, revision: 0 });
  return [...last.keys()].sort().map((key) => last.get(key)!);
}

describe('TumblingWindowEngine invariants', () => {
  it('computes every aggregate exactly, as the naive BigInt reference does', () => {
    fc.assert(
      fc.property(orderedEvents, (timed) => {
        const events = timed.map((t) => t.event);
        expect(run(events, { windowSizeMs: WINDOW_MS })).toEqual(referenceWindows(events, WINDOW_MS));
      }),
      { numRuns: 300 },
    );
  });

  it('gives the same windows whatever the drain (batch) boundaries, late events included', () => {
    fc.assert(
      fc.property(orderedEvents, fc.func(fc.boolean()), fc.boolean(), (timed, drainAfter, shuffled) => {
        // Delays up to 3 × grace, so that some events are late.
        const events = (shuffled ? [...timed].sort((a, b) => a.arrivalMs - b.arrivalMs) : timed).map((t) => t.event);
        const options = { windowSizeMs: WINDOW_MS, graceMs: GRACE_MS / 3 };
        expect(run(events, options, drainAfter)).toEqual(run(events, options));
      }),
      { numRuns: 300 },
    );
  });

  it('gives the same windows when events are reordered within the grace period', () => {
    fc.assert(
      fc.property(orderedEvents, (timed) => {
        const inOrder = timed.map((t) => t.event);
        const reordered = [...timed].sort((a, b) => a.arrivalMs - b.arrivalMs).map((t) => t.event);
        const options = { windowSizeMs: WINDOW_MS, graceMs: GRACE_MS };
        const engine = new TumblingWindowEngine(options);
        expect(reordered.map((e) => engine.add(e).kind).filter((kind) => kind !== 'accepted')).toEqual([]);
        expect(run(reordered, options, (i) => i % 7 === 0)).toEqual(run(inOrder, options));
      }),
      { numRuns: 300 },
    );
  });

  it('under the correct policy, the last revisions equal the windows of all events in any order', () => {
    fc.assert(
      fc.property(orderedEvents.chain((timed) => fc.shuffledSubarray(timed, { minLength: timed.length })), fc.func(fc.boolean()), (timed, drainAfter) => {
        const events = timed.map((t) => t.event);
        const options: WindowEngineOptions = { windowSizeMs: WINDOW_MS, latePolicy: 'correct', allowedLatenessMs: 10 ** 12 };
        const byTime = [...events].sort((a, b) => a.eventTimeMs - b.eventTimeMs);
        expect(finalRevisions(run(events, options, drainAfter))).toEqual(referenceWindows(byTime, WINDOW_MS));
      }),
      { numRuns: 200 },
    );
  });
});

describe('TumblingWindowEngine: duplicates, source progress and restarts', () => {
  const options: WindowEngineOptions = { windowSizeMs: WINDOW_MS, graceMs: GRACE_MS / 3, latePolicy: 'correct', allowedLatenessMs: 10 ** 12, sourceTimeoutMs: 20_000 };
  type Item = { kind: 'trade'; event: TradeEvent } | { kind: 'progress'; symbol: string; completeUpToMs: number; atMs: number };

  /** Trades in arrival order, each published twice (the copy later, in another "batch"), with source progress for AAA. */
  const input = orderedEvents.chain((timed) =>
    fc.tuple(
      fc.constant(timed),
      fc.array(fc.integer({ min: 0, max: 40 }), { minLength: timed.length, maxLength: timed.length }),
      fc.integer({ min: 0, max: 5 * timed.length + 1 }),
    ).map(([timed, copyDelays, crashAt]) => {
      const arrivals: { atMs: number; item: Item }[] = [];
      timed.forEach(({ event, arrivalMs }, i) => {
        arrivals.push({ atMs: arrivalMs, item: { kind: 'trade', event } });
        arrivals.push({ atMs: arrivalMs + copyDelays[i] * 1_000, item: { kind: 'trade', event } });
      });
      // AAA's source reports honestly: complete up to the earliest AAA trade not yet published.
      const unpublished = new Set(timed.filter((t) => t.event.symbol === 'AAA').map((t) => t.event));
      let completeMs = 0;
      const items: Item[] = [];
      for (const { atMs, item } of arrivals.sort((a, b) => a.atMs - b.atMs)) {
        items.push(item);
        if (item.kind !== 'trade' || item.event.symbol !== 'AAA') continue;
        unpublished.delete(item.event);
        const upToMs = Math.min(item.event.eventTimeMs, ...[...unpublished].map((e) => e.eventTimeMs));
        if (upToMs > completeMs) items.push({ kind: 'progress', symbol: 'AAA', completeUpToMs: (completeMs = upToMs), atMs });
      }
      return { distinct: timed.map((t) => t.event), items, crashAt: Math.min(crashAt, items.length) };
    }),
  );

  /** Applies emissions as the MySQL upsert does: a correction bumps the stored revision, a re-emission keeps it. */
  const apply = (table: Map<string, WindowFigures>, windows: readonly WindowFigures[]): void => {
    for (const w of windows) table.set(`${String(w.endMs).padStart(16, '0')} ${w.symbol}`, { ...w, revision: 0 });
  };
  const feed = (engine: TumblingWindowEngine, items: readonly Item[], from: number, to: number, table: Map<string, WindowFigures>): void => {
    for (let i = from; i < to; i++) {
      const item = items[i];
      if (item.kind === 'trade') engine.add({ ...item.event, sequence: i });
      else engine.observeSourceProgress(item);
      if (i % 3 === 0) apply(table, engine.drainClosed());
    }
    apply(table, engine.drainClosed());
  };

  it('every trade published twice, a crash anywhere: the table equals the windows of the distinct trades', () => {
    fc.assert(
      fc.property(input, ({ distinct, items, crashAt }) => {
        const table = new Map<string, WindowFigures>();
        const before = new TumblingWindowEngine(options);
        feed(before, items, 0, crashAt, table);
        // What the consumer stores with the windows it wrote, then a new engine from it.
        const resumeAt = before.oldestOpenSequence() ?? crashAt;
        const after = new TumblingWindowEngine({ ...options, initialWatermarkMs: Number.isFinite(before.writtenWatermarkMs) ? before.writtenWatermarkMs : undefined, replayUntilSequence: crashAt });
        feed(after, items, resumeAt, items.length, table);
        apply(table, after.closeAll());
        const byTime = [...distinct].sort((a, b) => a.eventTimeMs - b.eventTimeMs);
        expect([...table.keys()].sort().map((key) => table.get(key))).toEqual(referenceWindows(byTime, WINDOW_MS));
      }),
      { numRuns: 300 },
    );
  });
});
