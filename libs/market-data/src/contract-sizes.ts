/**
 * Binance's three markets: spot, USDⓈ-M futures (linear: quantity in the base asset) and COIN-M
 * futures (inverse: quantity in contracts of a fixed quote-asset value, `contractSize`, e.g. 10 USD
 * for TRXUSD_PERP and 100 USD for BTCUSD_PERP).
 */
export type BinanceMarket = 'spot' | 'usd-m' | 'coin-m';

/** COIN-M symbols end in `USD_PERP` or `USD_<yymmdd>` (a delivery contract): TRXUSD_PERP, BTCUSD_250627. */
const COIN_M_SYMBOL = /^[A-Z0-9]+USD_(PERP|\d{6})$/;

/** True for a COIN-M (inverse) futures symbol. */
export function isCoinMarginedSymbol(symbol: string): boolean {
  return COIN_M_SYMBOL.test(symbol);
}

/** One element of `symbols` in `GET /dapi/v1/exchangeInfo` (the fields read here). */
export interface CoinMarginedSymbolInfo {
  readonly symbol: string;
  readonly contractSize: number | string;
}

const POSITIVE_DECIMAL = /^(0|[1-9]\d*)(\.\d+)?$/;

/**
 * Contract sizes by symbol from the body of `GET /dapi/v1/exchangeInfo`, as decimal strings
 * (Binance sends small integers such as 10 and 100 as JSON numbers). Throws an Error saying
 * what is wrong with a body that does not look like one.
 */
export function contractSizesOfExchangeInfo(body: unknown): Map<string, string> {
  const symbols = (body as { symbols?: unknown } | null)?.symbols;
  if (!Array.isArray(symbols)) throw new Error('exchangeInfo has no symbols array');
  const sizes = new Map<string, string>();
  for (const info of symbols as CoinMarginedSymbolInfo[]) {
    if (typeof info?.symbol !== 'string') continue;
    const size = typeof info.contractSize === 'number' && Number.isSafeInteger(info.contractSize) ? String(info.contractSize) : info.contractSize;
    if (typeof size === 'string' && POSITIVE_DECIMAL.test(size) && /[1-9]/.test(size)) sizes.set(info.symbol, size);
  }
  return sizes;
}

/**
 * `TRXUSD_PERP:10,BTCUSD_PERP:100` as a map; throws an Error naming the bad entry.
 */
export function parseContractSizes(text: string): Map<string, string> {
  const sizes = new Map<string, string>();
  for (const entry of text.split(',').map((part) => part.trim()).filter(Boolean)) {
    const [symbol, size, extra] = entry.split(':');
    if (extra !== undefined || !symbol || !size || !POSITIVE_DECIMAL.test(size) || !/[1-9]/.test(size) || !isCoinMarginedSymbol(symbol)) {
      throw new Error(`${JSON.stringify(entry)} is not SYMBOL:SIZE for a COIN-M symbol, like TRXUSD_PERP:10`);
    }
    sizes.set(symbol, size);
  }
  return sizes;
}
