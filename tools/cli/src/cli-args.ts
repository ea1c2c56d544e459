import { parseArgs } from 'node:util';
import { parseContractSizes } from '@cryptostream/market-data';
import { EMPTY_WINDOW_POLICIES, EmptyWindowPolicy } from '@cryptostream/windowing';

/** Options shared by `aggregate` and `backfill`. */
export interface WindowCommandArgs {
  /** Every window size, smallest first (`--window 1m,5m,1h`). */
  readonly windowSizesMs: readonly number[];
  readonly graceMs: number;
  readonly emptyWindows: EmptyWindowPolicy;
  /** COIN-M contract sizes (`--contract-sizes TRXUSD_PERP:10`): their windows get a base volume. */
  readonly contractSizes: ReadonlyMap<string, string>;
  readonly symbol?: string;
  readonly files: readonly string[];
}

const UNIT_MS: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** `1m`, `30s`, `1h`, `1d`, `500ms` → milliseconds; throws naming the option on anything else. */
export function parseDurationMs(text: string, option: string): number {
  const match = /^(\d+)(ms|s|m|h|d)$/.exec(text);
  if (!match) throw new Error(`${option} must be a duration like 30s, 1m, 5m, 1h or 1d, got ${JSON.stringify(text)}`);
  return Number(match[1]) * UNIT_MS[match[2]];
}

/**
 * Parses `[--window 1m[,5m,…]] [--grace 0s] [--empty-windows skip|carry] [--contract-sizes S:N,…]
 * [--symbol S] FILE...`. `--symbol` keeps only that symbol's trades, and names the symbol of
 * archive files whose name does not carry it. Several sizes must each be a whole number of the
 * smallest (larger windows are rolled up from it, as in the aggregator).
 */
export function parseWindowCommandArgs(argv: readonly string[], usage: string): WindowCommandArgs {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        window: { type: 'string', default: '1m' },
        grace: { type: 'string', default: '0s' },
        'empty-windows': { type: 'string', default: 'skip' },
        'contract-sizes': { type: 'string', default: '' },
        symbol: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    throw new Error(`${(error as Error).message}\n${usage}`);
  }
  const { values, positionals: files } = parsed;
  if (values.help) throw new Error(usage);
  if (files.length === 0) throw new Error(`no input file\n${usage}`);
  return {
    windowSizesMs: parseWindowSizes(values.window),
    graceMs: parseDurationMs(values.grace, '--grace'),
    emptyWindows: parseEmptyWindows(values['empty-windows']),
    contractSizes: parseContractSizesOption(values['contract-sizes']),
    symbol: values.symbol?.toUpperCase(),
    files,
  };
}

function parseWindowSizes(text: string): number[] {
  const sizes = [...new Set(text.split(',').map((part) => parseDurationMs(part.trim(), '--window')))].sort((a, b) => a - b);
  const odd = sizes.find((size) => size % sizes[0] !== 0);
  if (odd !== undefined) throw new Error(`--window: ${odd / 1000}s is not a whole number of the smallest size, ${sizes[0] / 1000}s`);
  return sizes;
}

function parseEmptyWindows(text: string): EmptyWindowPolicy {
  if (!(EMPTY_WINDOW_POLICIES as readonly string[]).includes(text)) throw new Error(`--empty-windows must be skip or carry, got ${JSON.stringify(text)}`);
  return text as EmptyWindowPolicy;
}

function parseContractSizesOption(text: string): Map<string, string> {
  try {
    return parseContractSizes(text);
  } catch (error) {
    throw new Error(`--contract-sizes: ${(error as Error).message}`);
  }
}
