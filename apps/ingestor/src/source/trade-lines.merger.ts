import type { TradeLine } from '@cryptostream/market-data';

/** A trade line and the file it was read from. */
export interface FileTradeLine {
  readonly file: string;
  readonly line: TradeLine;
}

/**
 * Merges several trade files into one sequence ordered by trade time (a k-way merge that holds
 * one line per file), so that a replay of several symbols interleaves them as they happened.
 * Unreadable lines come out as soon as they are met.
 */
export async function* mergeByTradeTime(files: readonly string[], read: (file: string) => AsyncIterable<TradeLine>): AsyncGenerator<FileTradeLine> {
  const iterators = files.map((file) => ({ file, iterator: read(file)[Symbol.asyncIterator]() }));
  const heads: Array<{ file: string; iterator: AsyncIterator<TradeLine>; line: TradeLine }> = [];
  for (const source of iterators) {
    const next = await source.iterator.next();
    if (!next.done) heads.push({ ...source, line: next.value });
  }
  while (heads.length > 0) {
    let earliest = 0;
    for (let index = 1; index < heads.length; index += 1) {
      if (timeOf(heads[index].line) < timeOf(heads[earliest].line)) earliest = index;
    }
    const head = heads[earliest];
    yield { file: head.file, line: head.line };
    const next = await head.iterator.next();
    if (next.done) heads.splice(earliest, 1);
    else head.line = next.value;
  }
}

function timeOf(line: TradeLine): number {
  return line.ok ? line.trade.tradeTimeMs : Number.NEGATIVE_INFINITY;
}
