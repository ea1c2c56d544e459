import { nonMarketReason, readTradeFile } from '@cryptostream/market-data';
import { ClosedWindow, TumblingWindowEngine } from '@cryptostream/windowing';

/**
 * The windows the pipeline must produce for these files, computed offline by the same engine:
 * every market trade, nothing else, all windows closed at the end of input.
 */
export async function expectedWindows(files: readonly string[], windowSizeMs: number): Promise<ClosedWindow[]> {
  const engine = new TumblingWindowEngine({ windowSizeMs });
  for (const file of files) {
    for await (const line of readTradeFile(file)) {
      if (!line.ok || nonMarketReason(line.trade) !== undefined) continue;
      const { symbol, price, quantity, tradeTimeMs, tradeId, tradeCount } = line.trade;
      engine.add({ symbol, price, quantity, eventTimeMs: tradeTimeMs, tradeId, tradeCount });
    }
  }
  return engine.closeAll();
}
