/** Options shared by `aggregate` and `backfill`. */
export interface WindowCommandArgs {
  readonly windowSizeMs: number;
  readonly graceMs: number;
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
 * Parses `[--window 1m] [--grace 0s] [--symbol S] FILE...`. `--symbol` keeps only that symbol's
 * trades, and names the symbol of archive files whose name does not carry it.
 */
export function parseWindowCommandArgs(argv: readonly string[], usage: string): WindowCommandArgs {
  let windowSizeMs = 60_000;
  let graceMs = 0;
  let symbol: string | undefined;
  const files: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => {
      const next = argv[++i];
      if (next === undefined) throw new Error(`${arg} needs a value\n${usage}`);
      return next;
    };
    if (arg === '--window') windowSizeMs = parseDurationMs(value(), '--window');
    else if (arg === '--grace') graceMs = parseDurationMs(value(), '--grace');
    else if (arg === '--symbol') symbol = value().toUpperCase();
    else if (arg === '--help' || arg === '-h') throw new Error(usage);
    else if (arg.startsWith('--')) throw new Error(`unknown option ${arg}\n${usage}`);
    else files.push(arg);
  }
  if (files.length === 0) throw new Error(`no input file\n${usage}`);
  return { windowSizeMs, graceMs, symbol, files };
}
