import { join } from 'node:path';

/** The recorded Binance trade streams and klines of the repository (data/binance, see its SOURCES.md). */
export const RECORDINGS_DIR = join(__dirname, '../../../data/binance');

/** The recordings the tests replay, by what they hold. */
export const RECORDINGS = {
  /** USDⓈ-M futures trades of TRXUSDT, 2025-03-04. */
  TRXUSDT: join(RECORDINGS_DIR, 'test_positive_binance_trade_stream_usd_m_futures_trxusdt_04-03-2025.csv'),
  /** COIN-M futures trades of TRXUSD_PERP, the same day. */
  TRXUSD_PERP: join(RECORDINGS_DIR, 'test_positive_binance_trade_stream_coin_m_futures_trxusd_perp_04-03-2025.csv'),
  /** Binance's own 1m klines of TRXUSDT for the first minutes of that day. */
  TRXUSDT_KLINES: join(RECORDINGS_DIR, 'TRXUSDT-1m-2025-03__excerpt_2025-03-04T0000-0016.csv'),
} as const;
