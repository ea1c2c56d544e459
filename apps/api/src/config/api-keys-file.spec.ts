import { ConfigError } from '@cryptostream/schema';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { keyDigest, readApiKeysFile } from './api-keys-file';

describe('readApiKeysFile', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cryptostream-keys-'));
  const file = (name: string, text: string) => {
    writeFileSync(join(dir, name), text);
    return join(dir, name);
  };
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('holds digests of the keys, one a line, skipping blanks and comments, never the keys', () => {
    const keys = readApiKeysFile('API_KEYS_FILE', file('keys', '# clients\nalpha-0123456789abcdef\n\n  beta-0123456789abcdef  \r\nalpha-0123456789abcdef\n'));
    expect(keys.count).toBe(2);
    expect([...keys.digests].sort()).toEqual([keyDigest('alpha-0123456789abcdef'), keyDigest('beta-0123456789abcdef')].sort());
    expect(JSON.stringify({ ...keys, digests: [...keys.digests] })).not.toContain('alpha');
  });

  it('signs sessions alike wherever the same keys are mounted, and apart for other keys', () => {
    const one = readApiKeysFile('API_KEYS_FILE', file('one', 'alpha-0123456789abcdef\nbeta-0123456789abcdef\n'));
    const same = readApiKeysFile('API_KEYS_FILE', file('same', 'beta-0123456789abcdef\nalpha-0123456789abcdef\n'));
    const other = readApiKeysFile('API_KEYS_FILE', file('other', 'gamma-0123456789abcdef\n'));
    expect(one.sessionSecret).toBe(same.sessionSecret);
    expect(one.sessionSecret).not.toBe(other.sessionSecret);
  });

  it.each([
    ['no key', '# only a comment\n\n', /holds no key/],
    ['a short key', 'short\n', /^API_KEYS_FILE: line 1 of .* is not a key/],
    ['a key with a space', 'alpha-0123456789abcdef\nhas a space in it 0123456789\n', /^API_KEYS_FILE: line 2 of .* is not a key/],
  ])('stops start-up naming the setting and the line, not its text, for %s', (_case, text, message) => {
    const path = file('bad', text);
    expect(() => readApiKeysFile('API_KEYS_FILE', path)).toThrow(ConfigError);
    expect(() => readApiKeysFile('API_KEYS_FILE', path)).toThrow(message);
    try {
      readApiKeysFile('API_KEYS_FILE', path);
    } catch (error) {
      expect((error as Error).message).not.toMatch(/short|has a space/);
    }
  });

  it('says when the file cannot be read', () => {
    expect(() => readApiKeysFile('API_KEYS_FILE', join(dir, 'missing'))).toThrow(`API_KEYS_FILE: cannot read ${join(dir, 'missing')}: ENOENT`);
  });
});
