import fc from 'fast-check';
import { MultiSizeWindowEngine, SizeSymbolState } from './multi-size-window-engine';
import { TumblingWindowEngine } from './tumbling-window-engine';
import type { WindowFigures, TradeEvent } from './window.types';

/**
 * Every size of the multi-size engine equals a TumblingWindowEngine of that size alone, digit
 * for digit, on random streams — whatever the drain boundaries, and across restarts that keep
 * only the stored state and replay from the stored position.
 */

const SIZES_MS = [10_000, 20_000, 60_000, 120_000, 600_000];
const GRACE_MS = 3_000;

const decimal = (positive: boolean) =>
  fc.oneof(
    fc.tuple(fc.integer({ min: 0, max: 99_999 }), fc.integer({ min: 0, max: 6 })),
    fc.tuple(fc.bigInt({ min: 0n, max: 10n ** 30n }), fc.integer({ min: 0, max: 18 })),
  ).map(([mantissa, scale]) => {
    const digits = (BigInt(mantissa) + (positive ? 1n : 0n)).toString().padStart(scale + 1, '0');
    return scale === 0 ? digits : `${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
  });

/** Events over a few symbols, in order up to reorderings within grace, with gaps of minutes. */
const events = fc
  .array(
    fc.record({
      symbol: fc.constantFrom('AAA', 'BBB', 'CCC'),
      gapMs: fc.oneof(fc.integer({ min: 0, max: 4_000 }), fc.integer({ min: 0, max: 400_000 })),
      jitterMs: fc.integer({ min: 0, max: GRACE_MS }),
      price: decimal(true),
      quantity: decimal(false),
      tradeCount: fc.integer({ min: 1, max: 3 }),
      isBuyerMaker: fc.boolean(),
    }),
    { maxLength: 150 },
  )
  .map((raw) => {
    let timeMs = 1_700_000_000_000;
    const timed = raw.map(({ gapMs, jitterMs, ...rest }, i) => {
      timeMs += gapMs;
      // Arrives up to grace late: its event time is behind the stream's, never beyond grace.
      return { ...rest, eventTimeMs: timeMs - jitterMs, tradeId: i + 1, sequence: i };
    });
    return timed as TradeEvent[];
  });

function alone(stream: readonly TradeEvent[], sizeMs: number): WindowFigures[] {
  const engine = new TumblingWindowEngine({ windowSizeMs: sizeMs, graceMs: GRACE_MS, exactPriceSum: true });
  for (const event of stream) engine.add(event);
  return engine.closeAll();
}

const key = (w: WindowFigures) => `${w.endMs - w.startMs} ${String(w.endMs).padStart(16, '0')} ${w.symbol}`;
const bySizeEndSymbol = (windows: readonly WindowFigures[]) => [...windows].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));

describe('MultiSizeWindowEngine invariants', () => {
  it('gives every size exactly what the engine of that size alone gives, wherever the drains fall', () => {
    fc.assert(
      fc.property(events, fc.func(fc.boolean()), (stream, drainAfter) => {
        const engine = new MultiSizeWindowEngine({ sizesMs: SIZES_MS, graceMs: GRACE_MS });
        const windows: WindowFigures[] = [];
        stream.forEach((event, i) => {
          expect(engine.add(event).kind).toBe('accepted');
          if (drainAfter(i)) windows.push(...engine.drainClosed());
        });
        windows.push(...engine.closeAll());
        expect(bySizeEndSymbol(windows)).toEqual(bySizeEndSymbol(SIZES_MS.flatMap((sizeMs) => alone(stream, sizeMs))));
      }),
      { numRuns: 200 },
    );
  });

  it('under carry, gives each symbol a row for every interval of every size, empty ones carrying the previous close', () => {
    fc.assert(
      fc.property(events, (stream) => {
        const carry = new MultiSizeWindowEngine({ sizesMs: SIZES_MS, graceMs: GRACE_MS, emptyWindows: 'carry' });
        const skip = new MultiSizeWindowEngine({ sizesMs: SIZES_MS, graceMs: GRACE_MS });
        for (const event of stream) {
          carry.add(event);
          skip.add(event);
        }
        const withEmpty = bySizeEndSymbol(carry.closeAll());
        // The rows with events are exactly those of skip; the rest are empty.
        expect(withEmpty.filter((w) => w.eventCount > 0)).toEqual(bySizeEndSymbol(skip.closeAll()));
        const series = new Map<string, WindowFigures[]>();
        for (const w of withEmpty) series.set(`${w.endMs - w.startMs} ${w.symbol}`, [...(series.get(`${w.endMs - w.startMs} ${w.symbol}`) ?? []), w]);
        for (const rows of series.values()) {
          expect(rows[0].eventCount).toBeGreaterThan(0);
          rows.slice(1).forEach((row, i) => {
            expect(row.startMs).toBe(rows[i].endMs); // no holes
            if (row.eventCount === 0) {
              expect(row).toMatchObject({ open: rows[i].close, high: rows[i].close, low: rows[i].close, close: rows[i].close, volume: '0', tradeCount: 0 });
            }
          });
        }
      }),
      { numRuns: 100 },
    );
  });

  it('restarts exactly from stored state, stored position and stored watermark (exactly once per size)', () => {
    fc.assert(
      fc.property(events, fc.array(fc.nat(), { maxLength: 4 }), fc.constantFrom<'skip' | 'carry'>('skip', 'carry'), (stream, crashes, emptyWindows) => {
        // The uninterrupted run.
        const whole = new MultiSizeWindowEngine({ sizesMs: SIZES_MS, graceMs: GRACE_MS, emptyWindows });
        for (const event of stream) whole.add(event);
        const expected = bySizeEndSymbol([...whole.drainClosed(), ...whole.closeAll()]);

        // The same stream with crashes: "written" holds windows and state committed with progress.
        const written = new Map<string, WindowFigures>();
        const stored = new Map<string, SizeSymbolState>();
        let progress = { resumeAt: 0, nextAt: 0, watermarkMs: undefined as number | undefined };
        const crashAt = new Set(crashes.map((c) => (stream.length === 0 ? 0 : c % stream.length)));
        let engine: MultiSizeWindowEngine | undefined;
        let at = 0;
        while (at < stream.length) {
          engine ??= new MultiSizeWindowEngine({
            sizesMs: SIZES_MS, graceMs: GRACE_MS, emptyWindows, initialWatermarkMs: progress.watermarkMs, restored: [...stored.values()],
          });
          const event = stream[at];
          const outcome = engine.add(event);
          // Replayed events of written windows come back late; nothing else may.
          if (outcome.kind === 'late') expect(at).toBeLessThan(progress.nextAt);
          at++;
          // Commit after every event: windows, state and progress together.
          for (const w of engine.drainClosed()) {
            // A window written twice must be written the same: the upsert is then a no-op.
            if (written.has(key(w))) expect(w).toEqual(written.get(key(w)));
            written.set(key(w), w);
          }
          for (const s of engine.takeStateChanges()) stored.set(`${s.sizeMs} ${s.symbol}`, s);
          progress = { resumeAt: engine.oldestOpenSequence() ?? at, nextAt: Math.max(at, progress.nextAt), watermarkMs: Number.isFinite(engine.watermarkMs) ? engine.watermarkMs : undefined };
          if (crashAt.has(at)) {
            crashAt.delete(at);
            engine = undefined;
            at = progress.resumeAt;
          }
        }
        engine ??= new MultiSizeWindowEngine({ sizesMs: SIZES_MS, graceMs: GRACE_MS, emptyWindows, initialWatermarkMs: progress.watermarkMs, restored: [...stored.values()] });
        for (const w of engine.closeAll()) written.set(key(w), w);
        expect(bySizeEndSymbol([...written.values()])).toEqual(expected);
      }),
      { numRuns: 200 },
    );
  });
});
