import { Migration } from './migration';

/**
 * Binance's two remaining kline fields: taker buy base asset volume and taker buy quote asset
 * volume, the sums over the trades whose buyer was the taker (`m` false). Typed as the volumes
 * they are parts of (storage-contract.ts): `taker_buy_volume` as `volume` (contracts for COIN-M,
 * Binance's "taker buy volume"), `taker_buy_quote_volume` as `quote_volume` (NULL for COIN-M),
 * `taker_buy_base_volume` as `base_volume` (COIN-M only). NULL also for ticker rows and for rows
 * written before this migration, or from trades whose side was not known: unknown, never 0.
 */
export const takerBuyVolumes: Migration = {
  version: 10,
  name: 'taker buy volumes in moving_averages',
  statements: [
    `ALTER TABLE moving_averages
      ADD COLUMN taker_buy_volume DECIMAL(37,12) NULL COMMENT 'sum of quantities of taker buys (m false); NULL when unknown' AFTER base_volume,
      ADD COLUMN taker_buy_quote_volume DECIMAL(64,24) NULL COMMENT 'sum of price x quantity of taker buys; NULL for ticker and COIN-M rows or unknown' AFTER taker_buy_volume,
      ADD COLUMN taker_buy_base_volume DECIMAL(61,8) NULL COMMENT 'COIN-M: sum of quantity x contract size / price of taker buys; NULL otherwise' AFTER taker_buy_quote_volume`,
  ],
};
