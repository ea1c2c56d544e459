import { assetsOf, BinanceMarket } from './binance-markets';

/** A delivery contract's settlement: Binance delivers at 08:00 UTC of the date in its name. */
function deliveryDateOf(symbol: string): number | undefined {
  const match = /_(\d{2})(\d{2})(\d{2})$/.exec(symbol);
  return match ? Date.UTC(2000 + Number(match[1]), Number(match[2]) - 1, Number(match[3]), 8) : undefined;
}

/** Binance's "no delivery" date of perpetual contracts (2100-12-25 08:00 UTC). */
const PERPETUAL_DELIVERY_MS = 4_133_404_800_000;

/**
 * The `exchangeInfo` of one market, as much of Binance's as clients read before asking for
 * klines (ccxt's `loadMarkets`: symbol, assets, status, contract type and size): the symbols
 * stored, every one `TRADING`, and the intervals served. Trading rules (filters, order types)
 * are empty: this API serves market data only.
 */
export function exchangeInfoOf(market: BinanceMarket, symbols: readonly string[], intervals: readonly string[], nowMs: number): object {
  return {
    timezone: 'UTC',
    serverTime: nowMs,
    rateLimits: [],
    exchangeFilters: [],
    // Not a Binance field: the kline intervals this API serves (its WINDOW_SIZES).
    klineIntervals: intervals,
    symbols: symbols.map((symbol) => symbolInfoOf(market, symbol)),
  };
}

function symbolInfoOf(market: BinanceMarket, symbol: string): object {
  const { base, quote } = assetsOf(symbol);
  if (market.kind === 'spot') {
    return {
      symbol, status: 'TRADING', baseAsset: base, baseAssetPrecision: 8, quoteAsset: quote, quotePrecision: 8, quoteAssetPrecision: 8,
      orderTypes: [], icebergAllowed: false, ocoAllowed: false, isSpotTradingAllowed: true, isMarginTradingAllowed: false,
      filters: [], permissions: [], permissionSets: [['SPOT']],
    };
  }
  const deliveryDate = deliveryDateOf(symbol);
  const contract = {
    symbol, pair: symbol.split('_')[0], contractType: deliveryDate === undefined ? 'PERPETUAL' : 'CURRENT_QUARTER',
    deliveryDate: deliveryDate ?? PERPETUAL_DELIVERY_MS, onboardDate: 0, baseAsset: base, quoteAsset: quote,
    pricePrecision: 8, quantityPrecision: 8, baseAssetPrecision: 8, quotePrecision: 8, underlyingType: 'COIN', filters: [], orderTypes: [], timeInForce: [],
  };
  if (market.kind === 'usdm') return { ...contract, status: 'TRADING', marginAsset: quote };
  // COIN-M contracts are worth 100 USD for BTC and 10 USD for the others (Binance's sizes).
  return { ...contract, contractStatus: 'TRADING', marginAsset: base, contractSize: base === 'BTC' ? 100 : 10 };
}
