import { ConfigError, registerSecret } from '@cryptostream/schema';
import { readFileSync } from 'node:fs';

/** Environment variables as the process sees them. */
export type Env = Readonly<Record<string, string | undefined>>;

const TOPIC_NAME = /^[A-Za-z0-9._-]{1,249}$/;
const WHOLE_NUMBER = /^\d+$/;

/**
 * Reads settings from an environment, one rule per kind of value, so that every app checks
 * integers, topics, URLs and flags the same way. A missing or blank setting takes its default;
 * a bad one throws a {@link ConfigError} that names it and says what is wrong.
 */
export class SettingsReader {
  constructor(readonly env: Env) {}

  /** The trimmed value, or undefined when unset or blank. */
  optional(name: string): string | undefined {
    const value = this.env[name]?.trim();
    return value ? value : undefined;
  }

  text(name: string, fallback: string): string {
    return this.optional(name) ?? fallback;
  }

  /** Digits only, from `min` to `max`: `1e3`, `1000.0` and `-1` are refused, in every app. */
  integer(name: string, fallback: number, min: number, max = Number.MAX_SAFE_INTEGER): number {
    const text = this.optional(name);
    if (text === undefined) return fallback;
    const range = max === Number.MAX_SAFE_INTEGER ? `at least ${min}` : `from ${min} to ${max}`;
    if (!WHOLE_NUMBER.test(text)) throw new ConfigError(name, `must be a whole number ${range}, got ${JSON.stringify(text)}`);
    const value = Number(text);
    if (value < min || value > max) throw new ConfigError(name, `must be ${range}, got ${value}`);
    return value;
  }

  /** A decimal number, at least `min` (for rates like a replay speed). */
  number(name: string, fallback: number, min: number, hint = `a number from ${min}`): number {
    const text = this.optional(name);
    if (text === undefined) return fallback;
    const value = Number(text);
    if (!/^\d+(\.\d+)?$/.test(text) || value < min) throw new ConfigError(name, `must be ${hint}, got ${JSON.stringify(text)}`);
    return value;
  }

  oneOf<T extends string>(name: string, allowed: readonly T[], fallback: T): T {
    const text = this.text(name, fallback);
    if (!(allowed as readonly string[]).includes(text)) throw new ConfigError(name, `must be one of ${allowed.join(', ')}, got ${JSON.stringify(text)}`);
    return text as T;
  }

  /** `on`/`off`, `true`/`false`, `yes`/`no` or `1`/`0`. */
  flag(name: string, fallback: boolean): boolean {
    const text = this.optional(name)?.toLowerCase();
    if (text === undefined) return fallback;
    if (['on', 'true', 'yes', '1'].includes(text)) return true;
    if (['off', 'false', 'no', '0'].includes(text)) return false;
    throw new ConfigError(name, `must be on or off (true or false), got ${JSON.stringify(text)}`);
  }

  /** Comma-separated, items trimmed, blanks dropped. */
  list(name: string): string[] {
    return (this.optional(name) ?? '').split(',').map((item) => item.trim()).filter(Boolean);
  }

  /** An absolute URL with one of `protocols` (like `'https:'`), without trailing slashes. */
  url(name: string, fallback: string, protocols: readonly string[]): string {
    const text = this.text(name, fallback);
    if (!URL.canParse(text)) throw new ConfigError(name, `is not a URL: ${JSON.stringify(text)}`);
    if (!protocols.includes(new URL(text).protocol)) {
      throw new ConfigError(name, `must start with ${protocols.map((p) => `${p}//`).join(' or ')}, got ${JSON.stringify(text)}`);
    }
    return text.replace(/\/+$/, '');
  }

  /** A Kafka topic name: letters, digits, `.`, `_` and `-`. */
  topic(name: string, fallback: string): string {
    const text = this.text(name, fallback);
    if (!TOPIC_NAME.test(text)) throw new ConfigError(name, `${JSON.stringify(text)} is not a Kafka topic name (letters, digits, . _ -)`);
    return text;
  }

  /**
   * The contents of the file the setting names (a mounted Secret, a certificate), or undefined
   * when unset; an unreadable or empty file is refused, naming the setting and the path (never
   * the contents). With `secret`, the contents are registered so that no log ever shows them
   * ({@link registerSecret}), and one trailing line break is dropped (`echo pw > file`).
   */
  file(name: string, { secret = false } = {}): string | undefined {
    const path = this.optional(name);
    if (path === undefined) return undefined;
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (error) {
      throw new ConfigError(name, `cannot read ${JSON.stringify(path)}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
    }
    if (secret) text = text.replace(/\r?\n$/, '');
    if (text.trim() === '') throw new ConfigError(name, `${JSON.stringify(path)} is empty`);
    if (secret) registerSecret(text);
    return text;
  }

  /**
   * The contents of a PEM file the setting names, refused when it holds no block of `kind`
   * (`CERTIFICATE`, `PRIVATE KEY`); a private key is a secret ({@link file}).
   */
  pem(name: string, kind: 'CERTIFICATE' | 'PRIVATE KEY'): string | undefined {
    const text = this.file(name, { secret: kind === 'PRIVATE KEY' });
    if (text !== undefined && !new RegExp(`-----BEGIN [A-Z ]*${kind}-----`).test(text)) {
      throw new ConfigError(name, `${JSON.stringify(this.optional(name))} holds no PEM ${kind.toLowerCase()}`);
    }
    return text;
  }

  /**
   * A secret given either as the value of `name` or as the contents of the file `fileName`
   * names (a mounted Secret), not both; undefined when neither is set. Registered so that no
   * log shows it. `setting` is where it came from, for messages that must name it.
   */
  secret(name: string, fileName = `${name}_FILE`): { value: string; setting: string } | undefined {
    const direct = this.env[name];
    const hasFile = this.optional(fileName) !== undefined;
    if (direct !== undefined && direct !== '' && hasFile) throw new ConfigError(fileName, `set ${name} or ${fileName}, not both`);
    if (hasFile) return { value: this.file(fileName, { secret: true })!, setting: fileName };
    if (direct === undefined || direct === '') return undefined;
    registerSecret(direct);
    return { value: direct, setting: name };
  }

  /**
   * A value with a parser of its own (broker lists, MySQL URLs, window sizes); an error the parser
   * throws becomes a ConfigError naming the setting, unless it is one already.
   */
  parse<T>(name: string, fallback: string, parser: (text: string, name: string) => T): T {
    try {
      return parser(this.text(name, fallback), name);
    } catch (error) {
      if (error instanceof ConfigError) throw error;
      throw new ConfigError(name, (error as Error).message);
    }
  }
}

/** Freezes a loaded configuration and everything in it. */
export function deepFreeze<T extends object>(value: T): T {
  for (const child of Object.values(value)) {
    if (typeof child === 'object' && child !== null && !Object.isFrozen(child)) deepFreeze(child);
  }
  return Object.freeze(value);
}
