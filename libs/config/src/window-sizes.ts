import { ConfigError } from '@cryptostream/schema';
import { parseWindowSizes, WindowSize, windowSizeLabel } from '@cryptostream/windowing';
import { SettingsReader } from './settings-reader';

const DURATION = /^(\d+)(ms|s|m|h|d)$/;
const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** "30s", "1m", "5m", "1h" → milliseconds: a whole number of seconds from 1 s to 1 day. */
export function windowSize(setting: string, value: string): number {
  const match = DURATION.exec(value);
  if (!match) throw new ConfigError(setting, `${JSON.stringify(value)} is not a duration like 30s, 1m, 5m or 1h`);
  const ms = Number(match[1]) * UNIT_MS[match[2]];
  if (ms % 1000 !== 0 || ms < 1000 || ms > 86_400_000) {
    throw new ConfigError(setting, `must be a whole number of seconds from 1s to 1d, got ${value}`);
  }
  return ms;
}

/**
 * The window sizes the pipeline writes, smallest first, as every app must read them: the
 * aggregator writes these sizes and the API serves exactly these, so both read this one rule.
 *
 * `WINDOW_SIZES`: Binance kline intervals up to 1d, the smallest dividing the others; default
 * `1m`, the original single size. The older `WINDOW_SIZE` (one size, any whole number of seconds,
 * stored as `moving_averages.window_size` names it: `30s`) still works alone.
 */
export function windowSizes(settings: SettingsReader): WindowSize[] {
  const single = settings.optional('WINDOW_SIZE');
  if (single && settings.optional('WINDOW_SIZES')) {
    throw new ConfigError('WINDOW_SIZE', 'set WINDOW_SIZES or WINDOW_SIZE, not both (WINDOW_SIZE is the older single size)');
  }
  if (single) {
    const ms = windowSize('WINDOW_SIZE', single);
    return [{ ms, label: windowSizeLabel(ms) }];
  }
  return settings.parse('WINDOW_SIZES', '1m', parseWindowSizes);
}
