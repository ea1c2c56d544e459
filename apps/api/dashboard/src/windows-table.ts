import type { Candle } from './candle';

const ROWS = 15;
const VOLUME_CELL = 6;

/** The volume cell's tooltip: how much of the volume the buyers took (Binance's taker buy volumes), exact. */
export function takerBuyTooltip(candle: Candle): string {
  if (candle.takerBuyVolume === null) return 'taker buy volume: unknown';
  const quote = candle.takerBuyBaseVolume !== null ? `base ${candle.takerBuyBaseVolume}` : `quote ${candle.takerBuyQuoteVolume ?? '–'}`;
  return `taker buy volume: ${candle.takerBuyVolume} (${quote})`;
}

/** The latest windows with their exact decimals, newest first; the open one is marked. */
export class WindowsTable {
  readonly #byStart = new Map<number, Candle>();

  constructor(private readonly body: HTMLTableSectionElement) {}

  setHistory(candles: readonly Candle[]): void {
    this.#byStart.clear();
    for (const candle of candles.slice(-ROWS)) this.#byStart.set(candle.startMs, candle);
    this.#render();
  }

  update(candle: Candle): void {
    const held = this.#byStart.get(candle.startMs);
    if (held?.closed && !candle.closed) return; // an open state arriving after the final one
    this.#byStart.set(candle.startMs, candle);
    for (const start of [...this.#byStart.keys()].sort((a, b) => a - b).slice(0, -ROWS)) this.#byStart.delete(start);
    this.#render();
  }

  #render(): void {
    const rows = [...this.#byStart.values()].sort((a, b) => b.startMs - a.startMs).map((candle) => {
      const row = document.createElement('tr');
      row.className = candle.closed ? 'closed' : 'open';
      row.dataset['startMs'] = String(candle.startMs);
      row.dataset['state'] = candle.closed ? 'closed' : 'open';
      const cells = [
        new Date(candle.startMs).toISOString().slice(11, 19), candle.closed ? 'closed' : 'open',
        candle.open, candle.high, candle.low, candle.close, candle.volume ?? candle.baseVolume ?? '–', candle.tradeCount === null ? '–' : String(candle.tradeCount),
      ];
      for (const text of cells) {
        const cell = document.createElement('td');
        cell.textContent = text;
        row.append(cell);
      }
      row.children[VOLUME_CELL].setAttribute('title', takerBuyTooltip(candle));
      return row;
    });
    this.body.replaceChildren(...rows);
  }
}
