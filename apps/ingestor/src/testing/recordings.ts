import { join } from 'node:path';

const DATA = join(__dirname, '../../../../data/binance');

/** The recorded trade streams of data/binance (see its SOURCES.md). */
export const RECORDINGS = {
  TRXUSDT: join(DATA, 'test_positive_binance_trade_stream_usd_m_futures_trxusdt_04-03-2025.csv'),
  TRXUSD_PERP: join(DATA, 'test_positive_binance_trade_stream_coin_m_futures_trxusd_perp_04-03-2025.csv'),
} as const;
