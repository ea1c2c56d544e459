import { basename } from 'node:path';
import { MarketTrade, nonMarketReason, readTradeFile } from '@cryptostream/market-data';
import { AddOutcome, WindowFigures, MultiSizeWindowEngine } from '@cryptostream/windowing';
import { WindowCommandArgs } from './cli-args';
import { tradeEventOf } from './trade-event-of';

/** What a run read and left out; every line of input is in exactly one count. */
export interface RunCounts {
  trades: number;
  nonMarket: number;
  malformed: number;
  late: number;
  otherSymbol: number;
  windows: number;
  unreadableFiles: number;
  /** Non-market trades by reason, e.g. "non-positive price 0.0". */
  readonly nonMarketReasons: Map<string, number>;
}

export interface RunHooks {
  /** A malformed line or unreadable file, as `file:line: reason`. */
  onProblem(message: string): void;
  onBytesRead?(bytes: number): void;
}

/** Drain the engines this often (in lines), so windows stream out while reading. */
const DRAIN_EVERY_LINES = 4_096;

/**
 * Reads the files in order and yields their closed windows in batches. Each symbol has its own
 * engine (its own watermark), since archive files come one symbol at a time; within a symbol,
 * windows come out in time order. Non-market trades, malformed lines and late trades (files of
 * one symbol given out of time order) are left out and counted.
 */
export async function* windowsOfFiles(args: WindowCommandArgs, counts: RunCounts, hooks: RunHooks): AsyncGenerator<WindowFigures[]> {
  const engines = new Map<string, MultiSizeWindowEngine>();
  const engineOf = (symbol: string) => {
    let engine = engines.get(symbol);
    if (engine === undefined) {
      engine = new MultiSizeWindowEngine({ sizesMs: args.windowSizesMs, graceMs: args.graceMs, emptyWindows: args.emptyWindows });
      engines.set(symbol, engine);
    }
    return engine;
  };
  let sinceDrain = 0;
  for (const file of args.files) {
    try {
      for await (const line of readTradeFile(file, { symbol: args.symbol, onBytesRead: hooks.onBytesRead })) {
        if (!line.ok) {
          counts.malformed++;
          hooks.onProblem(`${line.source ?? file}:${line.line}: ${line.reason}`);
        } else {
          const problem = add(line.trade, engineOf, args, counts);
          if (problem !== undefined) {
            counts.malformed++;
            hooks.onProblem(`${line.source ?? file}:${line.line}: ${problem}`);
          }
        }
        if (++sinceDrain === DRAIN_EVERY_LINES) {
          sinceDrain = 0;
          const closed = drain(engines, (engine) => engine.drainClosed());
          if (closed.length > 0) yield countWindows(closed, counts);
        }
      }
    } catch (error) {
      counts.unreadableFiles++;
      const message = (error as Error).message;
      hooks.onProblem(message.startsWith(basename(file)) ? message.replace(basename(file), file) : `${file}: ${message}`);
    }
  }
  const rest = drain(engines, (engine) => engine.closeAll());
  if (rest.length > 0) yield countWindows(rest, counts);
}

/** Counts the trade where it belongs; returns why the engine refused it, if it did. */
function add(trade: MarketTrade, engineOf: (symbol: string) => MultiSizeWindowEngine, args: WindowCommandArgs, counts: RunCounts): string | undefined {
  if (args.symbol !== undefined && trade.symbol !== args.symbol) {
    counts.otherSymbol++;
    return undefined;
  }
  const reason = nonMarketReason(trade);
  if (reason !== undefined) {
    counts.nonMarket++;
    counts.nonMarketReasons.set(reason, (counts.nonMarketReasons.get(reason) ?? 0) + 1);
    return undefined;
  }
  let outcome: AddOutcome;
  try {
    const contractSize = args.contractSizes.get(trade.symbol);
    outcome = engineOf(trade.symbol).add({ ...tradeEventOf(trade), ...(contractSize === undefined ? {} : { contractSize }) });
  } catch (error) {
    return (error as Error).message; // e.g. a negative quantity in a JSON payload
  }
  if (outcome.kind === 'accepted') counts.trades++;
  else counts.late++;
  return undefined;
}

function drain(engines: Map<string, MultiSizeWindowEngine>, take: (engine: MultiSizeWindowEngine) => WindowFigures[]): WindowFigures[] {
  const closed: WindowFigures[] = [];
  for (const engine of engines.values()) closed.push(...take(engine));
  return closed;
}

function countWindows(windows: WindowFigures[], counts: RunCounts): WindowFigures[] {
  counts.windows += windows.length;
  return windows;
}

export function emptyCounts(): RunCounts {
  return { trades: 0, nonMarket: 0, malformed: 0, late: 0, otherSymbol: 0, windows: 0, unreadableFiles: 0, nonMarketReasons: new Map() };
}

/** One line for stderr: what went in and what was left out. */
export function summaryOf(counts: RunCounts): string {
  const reasons = [...counts.nonMarketReasons].map(([reason, n]) => `${n} × ${reason}`).join('; ');
  return (
    `${counts.trades} trades in ${counts.windows} windows; left out: ${counts.nonMarket} non-market${reasons ? ` (${reasons})` : ''}, ` +
    `${counts.malformed} malformed, ${counts.late} late` +
    (counts.late > 0 ? ' (give each symbol\'s files in time order, or raise --grace)' : '') +
    (counts.otherSymbol > 0 ? `, ${counts.otherSymbol} of other symbols` : '') +
    (counts.unreadableFiles > 0 ? `; ${counts.unreadableFiles} file(s) unreadable` : '')
  );
}
