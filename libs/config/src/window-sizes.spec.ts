import { ConfigError } from '@cryptostream/schema';
import { SettingsReader } from './settings-reader';
import { windowSize, windowSizes } from './window-sizes';

const sizesOf = (env: Record<string, string>) => windowSizes(new SettingsReader(env));

describe('windowSizes', () => {
  it('reads WINDOW_SIZES smallest first, 1m by default', () => {
    expect(sizesOf({})).toEqual([{ ms: 60_000, label: '1m' }]);
    expect(sizesOf({ WINDOW_SIZES: '1h,1m,5m' }).map((size) => size.label)).toEqual(['1m', '5m', '1h']);
  });

  it('reads the older WINDOW_SIZE alone, labelled as the table stores it', () => {
    expect(sizesOf({ WINDOW_SIZE: '30s' })).toEqual([{ ms: 30_000, label: '30s' }]);
    expect(sizesOf({ WINDOW_SIZE: '5m' })).toEqual([{ ms: 300_000, label: '5m' }]);
  });

  it.each([
    [{ WINDOW_SIZES: '1m', WINDOW_SIZE: '1m' }, 'WINDOW_SIZE'],
    [{ WINDOW_SIZE: '1500ms' }, 'WINDOW_SIZE'],
    [{ WINDOW_SIZES: '3m,5m' }, 'WINDOW_SIZES'],
    [{ WINDOW_SIZES: '1w' }, 'WINDOW_SIZES'],
  ])('refuses %j naming %s', (env, setting) => {
    expect(() => sizesOf(env)).toThrow(ConfigError);
    expect(() => sizesOf(env)).toThrow(new RegExp(`^${setting}: `));
  });
});

describe('windowSize', () => {
  it.each([
    ['30s', 30_000], ['1m', 60_000], ['5m', 300_000], ['1h', 3_600_000], ['1d', 86_400_000], ['2000ms', 2_000],
  ])('reads %s as %i ms', (text, ms) => {
    expect(windowSize('WINDOW_SIZE', text)).toBe(ms);
  });
});
