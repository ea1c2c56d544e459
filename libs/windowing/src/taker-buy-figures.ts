import type { ClosedWindow } from './window.types';

/** A window's taker-buy volumes as rows and readers hold them: null where not reported. */
export interface TakerBuyFigures {
  readonly takerBuyVolume: string | null;
  readonly takerBuyQuoteVolume: string | null;
  readonly takerBuyBaseVolume: string | null;
}

/**
 * The one rule for which taker-buy figures a window reports (MySQL rows and window updates
 * alike): none for ticker windows (no trades) or when unknown; for COIN-M the base volume of
 * taker buys instead of their quote volume (Σ price × contracts means nothing), as for the
 * window's own volumes.
 */
export function takerBuyFiguresOf(window: ClosedWindow): TakerBuyFigures {
  if (window.source === 'ticker' || window.takerBuyVolume === undefined) return { takerBuyVolume: null, takerBuyQuoteVolume: null, takerBuyBaseVolume: null };
  return {
    takerBuyVolume: window.takerBuyVolume,
    takerBuyQuoteVolume: window.baseVolume === undefined ? window.takerBuyQuoteVolume ?? null : null,
    takerBuyBaseVolume: window.takerBuyBaseVolume ?? null,
  };
}
