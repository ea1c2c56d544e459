import { isCoinMarginedSymbol } from '@cryptostream/market-data';

/** One of Binance's three markets whose kline endpoints the API serves. */
export interface BinanceMarket {
  readonly kind: 'spot' | 'usdm' | 'coinm';
  /** The path prefix, as Binance's hosts have it: `/api/v3`, `/fapi/v1`, `/dapi/v1`. */
  readonly prefix: string;
  /** Binance's most klines a request: 1000 on spot, 1500 on the futures markets. */
  readonly maxLimit: number;
}

export const SPOT: BinanceMarket = { kind: 'spot', prefix: '/api/v3', maxLimit: 1000 };
export const USDM: BinanceMarket = { kind: 'usdm', prefix: '/fapi/v1', maxLimit: 1500 };
export const COINM: BinanceMarket = { kind: 'coinm', prefix: '/dapi/v1', maxLimit: 1500 };
export const BINANCE_MARKETS: readonly BinanceMarket[] = [SPOT, USDM, COINM];

/** Binance's klines default to 500 a request on every market. */
export const DEFAULT_KLINE_LIMIT = 500;

/** The market of a request path (`/fapi/v1/klines?…` → USDⓈ-M). */
export function marketOfPath(path: string): BinanceMarket {
  return BINANCE_MARKETS.find((market) => path.startsWith(`${market.prefix}/`)) ?? SPOT;
}

/**
 * Whether a stored symbol is served on a market. `moving_averages` holds one series a symbol,
 * not its market: a COIN-M symbol (`TRXUSD_PERP`, `BTCUSD_250627`) is served on `/dapi`, every
 * other one on both `/api/v3` and `/fapi/v1` (Binance lists TRXUSDT on both; which one the
 * ingestor read is the operator's choice).
 */
export function servesSymbol(market: BinanceMarket, symbol: string): boolean {
  return (market.kind === 'coinm') === isCoinMarginedSymbol(symbol);
}

/** Quote assets, longest first so that `FDUSD` wins over `USD`. */
const QUOTES = ['FDUSD', 'USDT', 'USDC', 'TUSD', 'BUSD', 'USD', 'BTC', 'ETH', 'BNB', 'EUR', 'TRY', 'BRL', 'JPY', 'DAI'];

/** Base and quote asset of a symbol (`TRXUSDT` → TRX, USDT; `TRXUSD_PERP` → TRX, USD). */
export function assetsOf(symbol: string): { readonly base: string; readonly quote: string } {
  const pair = symbol.split('_')[0];
  const quote = QUOTES.find((candidate) => pair.endsWith(candidate) && pair.length > candidate.length);
  return quote === undefined ? { base: pair, quote: '' } : { base: pair.slice(0, -quote.length), quote };
}
