import { ConfigError } from '@cryptostream/schema';
import { createHash, createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';

/**
 * The API keys of `API_KEYS_FILE`, held only as SHA-256 digests so that no key text lives in the
 * configuration (which may be printed), with a secret derived from all of them that signs the
 * dashboard's session cookie: every instance mounting the same Secret signs alike.
 */
export interface ApiKeys {
  readonly digests: ReadonlySet<string>;
  readonly count: number;
  readonly sessionSecret: string;
}

const KEY = /^[A-Za-z0-9._~+/=-]{16,128}$/;

/** SHA-256 of a key, hex: how a presented key is looked up. */
export const keyDigest = (key: string): string => createHash('sha256').update(key).digest('hex');

/**
 * One key a line; blank lines and `#` comments are skipped. A key is 16 to 128 letters, digits or
 * `-._~+/=`. Errors name the setting and the line, never what the line holds.
 */
export function readApiKeysFile(setting: string, path: string): ApiKeys {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigError(setting, `cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  const keys: string[] = [];
  text.split('\n').forEach((raw, index) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    if (!KEY.test(line)) throw new ConfigError(setting, `line ${index + 1} of ${path} is not a key (16 to 128 letters, digits or -._~+/=)`);
    keys.push(line);
  });
  if (keys.length === 0) throw new ConfigError(setting, `${path} holds no key (one a line)`);
  const digests = new Set(keys.map(keyDigest));
  const sessionSecret = createHmac('sha256', [...digests].sort().join('\n')).update('cryptostream dashboard session').digest('hex');
  return { digests, count: digests.size, sessionSecret };
}
