import { Migration } from './migration';

/**
 * Every window of valid messages fits its row exactly (the storage contract, see
 * storage-contract.ts): prices have at most 15 integer and 12 fraction digits, so OHLC become
 * DECIMAL(27,12) (they rounded past 10 fraction digits before), the averages DECIMAL(24,8)
 * (average_price overflowed past 12 integer digits), volume DECIMAL(37,12), quote volume
 * DECIMAL(64,24) and the COIN-M base volume DECIMAL(61,8) (one trade's quantity × contract size /
 * price alone may have 2 × 15 + 12 integer digits).
 *
 * The types are written out, not derived, because an applied migration must never change: when
 * the schema's limits change, a new migration follows, and `checkStorageContract` refuses to run
 * against columns narrower than the limits.
 */
export const exactWindowColumns: Migration = {
  version: 5,
  name: 'exact window columns',
  statements: [
    `ALTER TABLE moving_averages
      MODIFY average_price DECIMAL(24,8) NOT NULL COMMENT 'mean of message prices, half-up to 8 decimals',
      MODIFY open DECIMAL(27,12) NOT NULL,
      MODIFY high DECIMAL(27,12) NOT NULL,
      MODIFY low DECIMAL(27,12) NOT NULL,
      MODIFY close DECIMAL(27,12) NOT NULL,
      MODIFY volume DECIMAL(37,12) NULL COMMENT 'sum of quantities; NULL for ticker rows',
      MODIFY quote_volume DECIMAL(64,24) NULL COMMENT 'sum of price x quantity, exact; NULL for ticker and COIN-M rows',
      MODIFY base_volume DECIMAL(61,8) NULL COMMENT 'COIN-M: sum of quantity x contract size / price; NULL otherwise',
      MODIFY vwap DECIMAL(24,8) NULL COMMENT 'quote_volume / volume, half-up to 8 decimals'`,
  ],
};
