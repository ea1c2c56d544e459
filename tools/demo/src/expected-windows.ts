import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { StoredWindow } from './kline-check';

const ROOT = join(__dirname, '../../..');

/** The COIN-M contract size of the recorded TRXUSD_PERP (Binance's exchangeInfo: 10 USD), given to both sides. */
export const CONTRACT_SIZES = 'TRXUSD_PERP:10';

/**
 * The windows the pipeline must produce for these files, as the offline `aggregate` command
 * computes them (`npm run -s aggregate -- FILE...`): the live pipeline must equal it exactly.
 */
export async function expectedWindows(files: readonly string[], windowSizes: string): Promise<StoredWindow[]> {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ['-r', '@swc-node/register', 'tools/cli/src/aggregate.main.ts', '--window', windowSizes, '--contract-sizes', CONTRACT_SIZES, ...files],
    { cwd: ROOT, maxBuffer: 256 * 1024 * 1024 },
  );
  return stdout
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const row = JSON.parse(line);
      return {
        symbol: row.symbol, windowSize: row.window_size, startMs: Date.parse(row.start_time), endMs: Date.parse(row.end_time),
        averagePrice: row.average_price, open: row.open, high: row.high, low: row.low, close: row.close,
        // A COIN-M row has a base volume instead of a quote volume, as the table stores it.
        volume: row.volume, quoteVolume: row.base_volume === undefined ? row.quote_volume : null,
        baseVolume: row.base_volume ?? null, tradeCount: row.trade_count,
        takerBuyVolume: row.taker_buy_volume ?? null, takerBuyQuoteVolume: row.base_volume === undefined ? row.taker_buy_quote_volume ?? null : null,
        takerBuyBaseVolume: row.taker_buy_base_volume ?? null,
      };
    });
}
