import { ConfigError } from '@cryptostream/schema';
import { SettingsReader } from './settings-reader';

/** The ConfigError a read throws, for its setting and message. */
function refusal(read: () => unknown): { setting: string; message: string } {
  try {
    read();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return { setting: (error as ConfigError).setting, message: (error as Error).message };
  }
  throw new Error('expected a ConfigError');
}

describe('SettingsReader', () => {
  it('takes the default for a missing or blank setting, and trims values', () => {
    const settings = new SettingsReader({ BLANK: '  ', PORT: ' 8080 ', NAME: ' x ' });
    expect([settings.integer('BLANK', 7, 0, 10), settings.integer('PORT', 1, 0, 65_535), settings.text('NAME', 'y'), settings.text('NONE', 'y')]).toEqual([
      7, 8080, 'x', 'y',
    ]);
  });

  it.each(['1e3', '1000.0', '-1', '0x10', '12abc'])('refuses %p as an integer, naming the setting', (text) => {
    expect(refusal(() => new SettingsReader({ N: text }).integer('N', 0, 0, 100_000))).toEqual({
      setting: 'N',
      message: `N: must be a whole number from 0 to 100000, got ${JSON.stringify(text)}`,
    });
  });

  it('refuses integers out of range, topics with bad characters, bad URLs, flags and choices', () => {
    expect(refusal(() => new SettingsReader({ P: '70000' }).integer('P', 0, 0, 65_535)).message).toBe('P: must be from 0 to 65535, got 70000');
    expect(refusal(() => new SettingsReader({ T: 'has space' }).topic('T', 'x')).message).toMatch(/^T: "has space" is not a Kafka topic name/);
    expect(refusal(() => new SettingsReader({ U: 'https://x' }).url('U', 'ws://y', ['ws:', 'wss:'])).message).toMatch(/^U: must start with ws:\/\/ or wss:\/\//);
    expect(refusal(() => new SettingsReader({ U: 'not a url' }).url('U', 'ws://y', ['ws:'])).message).toMatch(/^U: is not a URL/);
    expect(refusal(() => new SettingsReader({ F: 'maybe' }).flag('F', true)).message).toBe('F: must be on or off (true or false), got "maybe"');
    expect(['on', 'OFF', 'true', '0'].map((text) => new SettingsReader({ F: text }).flag('F', false))).toEqual([true, false, true, false]);
    expect(refusal(() => new SettingsReader({ C: 'c' }).oneOf('C', ['a', 'b'], 'a')).message).toBe('C: must be one of a, b, got "c"');
  });

  it('reads lists, decimals and URLs without trailing slashes', () => {
    const settings = new SettingsReader({ L: 'a, b,,c ', S: '2.5', U: 'http://h:1//' });
    expect([settings.list('L'), settings.number('S', 0, 0), settings.url('U', '', ['http:'])]).toEqual([['a', 'b', 'c'], 2.5, 'http://h:1']);
    expect(refusal(() => new SettingsReader({ S: '-1' }).number('S', 0, 0)).message).toBe('S: must be a number from 0, got "-1"');
  });

  it('names the setting when a parser of its own fails', () => {
    const parser = (text: string) => {
      if (text !== 'ok') throw new Error('is not ok');
      return text;
    };
    expect(new SettingsReader({}).parse('P', 'ok', parser)).toBe('ok');
    expect(refusal(() => new SettingsReader({ P: 'no' }).parse('P', 'ok', parser))).toEqual({ setting: 'P', message: 'P: is not ok' });
  });
});
