import deadLetterV1 from '../schemas/dead-letter/v1.json';
import sourceProgressV1 from '../schemas/source-progress/v1.json';
import sourceProgressV2 from '../schemas/source-progress/v2.json';
import tradeV1 from '../schemas/trade/v1.json';
import windowUpdateV1 from '../schemas/window-update/v1.json';
import windowUpdateV2 from '../schemas/window-update/v2.json';

/**
 * Every kind of record the pipeline's topics carry: trades and source-progress records on
 * `crypto_prices`, window updates on `crypto_windows`, dead letters on `crypto_prices.dlq`.
 */
export const RECORD_KINDS = ['trade', 'source-progress', 'window-update', 'dead-letter'] as const;
export type RecordKind = (typeof RECORD_KINDS)[number];

/** One committed version of a record kind's JSON Schema (`libs/schema/schemas/<kind>/v<version>.json`). */
export interface SchemaVersion {
  readonly kind: RecordKind;
  /** 1, 2, …: the file's number, and the version's place in the registry's artifact. */
  readonly version: number;
  readonly schema: Readonly<Record<string, unknown>>;
}

/**
 * Each kind's versions, oldest first; the last is what producers write. A change that reaches
 * main adds a file (and a line here); past versions stay, so that the compatibility suite can
 * register them in order and consumers can tell every id that was ever written.
 */
export const RECORD_SCHEMAS: Readonly<Record<RecordKind, readonly SchemaVersion[]>> = Object.freeze({
  trade: versions('trade', [tradeV1]),
  'source-progress': versions('source-progress', [sourceProgressV1, sourceProgressV2]),
  'window-update': versions('window-update', [windowUpdateV1, windowUpdateV2]),
  'dead-letter': versions('dead-letter', [deadLetterV1]),
});

/** The version producers write now. */
export function currentSchema(kind: RecordKind): SchemaVersion {
  const all = RECORD_SCHEMAS[kind];
  return all[all.length - 1];
}

/** The registry artifact of a kind on a topic: one per topic and record kind, e.g. `crypto_prices-trade`. */
export function artifactIdOf(topic: string, kind: RecordKind): string {
  return `${topic}-${kind}`;
}

/** The text registered for a version: the same bytes from every app, so the registry finds it again. */
export function schemaText(version: SchemaVersion): string {
  return JSON.stringify(version.schema, null, 2);
}

/** Which committed version of `kind` a schema (as a registry returns it) is, or undefined. */
export function versionOfSchema(kind: RecordKind, schema: unknown): SchemaVersion | undefined {
  const canonical = canonicalJson(schema);
  return RECORD_SCHEMAS[kind].find((version) => canonicalJson(version.schema) === canonical);
}

/** JSON text with object keys sorted at every level, so that two spellings of one schema compare equal. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, child]) => `${JSON.stringify(key)}:${canonicalJson(child)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

function versions(kind: RecordKind, schemas: readonly object[]): readonly SchemaVersion[] {
  return Object.freeze(schemas.map((schema, index) => Object.freeze({ kind, version: index + 1, schema: schema as Record<string, unknown> })));
}
