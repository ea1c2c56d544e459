import 'reflect-metadata';
import Ajv from 'ajv';
import fc from 'fast-check';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { decodeDeadLetter, encodeDeadLetter } from './dead-letter';
import { parsePriceMessage } from './parse-price-message';
import { artifactIdOf, canonicalJson, currentSchema, RECORD_KINDS, RECORD_SCHEMAS, RecordKind, versionOfSchema } from './record-schemas';
import { encodeSourceProgress, encodeSourceProgressOfSymbols, parseSourceProgress } from './source-progress';
import { decodeWindowUpdate, encodeWindowUpdate, WindowUpdate } from './window-update';

/**
 * Each kind's JSON Schema and the validator consumers run must agree: on valid records, and on
 * every kind of record they reject. Where they differ on purpose, the difference is listed in
 * `beyondSchema` (rules the schema cannot state) or is the one tolerance of readers: fields that
 * no version declares are refused by the schema (writers write only declared fields, which lets
 * a version add optional fields under the BACKWARD rule) and ignored by the validators.
 */
interface KindCase {
  /** The consumer's verdict: true when it takes the record. */
  readonly accepts: (raw: string) => boolean;
  readonly valid: readonly unknown[];
  /** [what is wrong, the record]: both refuse each. */
  readonly rejected: readonly (readonly [string, unknown])[];
  /** Raw records the validator refuses by a rule JSON Schema cannot state (the schema's description names it). */
  readonly beyondSchema?: readonly (readonly [string, string])[];
}

const trade = { symbol: 'TRXUSD_PERP', price: '0.23097', timestamp: 1741046404.986, eventTimeMs: 1741046404986, quantity: '32.0', tradeId: 39605682, tradeCount: 1, isBuyerMaker: true, contractSize: '10', source: 'replay' };
const progress = { kind: 'progress', symbol: 'TRXUSDT', completeUpToMs: 1700000059000, state: 'live', atMs: 1700000060000 };
/** The second form (schema version 2): the symbols of one partition. */
const partitionProgress = { kind: 'progress', atMs: 1700000060000, live: { TRXUSDT: 1700000059000, BTCUSDT: 1700000059012 }, recovering: { ETHUSDT: 1700000041000 } };
const update: WindowUpdate = {
  symbol: 'TRXUSDT', source: 'trades', windowSizeMs: 60_000, startMs: 1741046400000, endMs: 1741046460000, open: '0.23097', high: '0.231',
  low: '0.2305', close: '0.2308', volume: '1443073', quoteVolume: '332948.24274', baseVolume: null, takerBuyVolume: '288873', takerBuyQuoteVolume: '66656.86979',
  takerBuyBaseVolume: null, vwap: '0.23072234', averagePrice: '0.2308', tradeCount: 714, eventCount: 714, revision: 0, closed: false, publishedAtMs: 1741046430000,
  firstTradeId: 548321769, lastTradeId: 548322482,
};
/** Read as null (unknown) when absent: updates of version 1 have none of them. */
const SINCE_V2 = ['takerBuyVolume', 'takerBuyQuoteVolume', 'takerBuyBaseVolume', 'firstTradeId', 'lastTradeId'];
const updateV1 = Object.fromEntries(Object.entries(update).filter(([field]) => !SINCE_V2.includes(field)));
const letter = { reason: 'price must be a decimal string', payload: '{"symbol":"BTCUSDT","price":1}', rejectedBy: 'aggregator', rejectedAtMs: 1741046430000, origin: { topic: 'crypto_prices', partition: 2, offset: '17' } };

const without = <T extends object>(value: T, key: keyof T) => Object.fromEntries(Object.entries(value).filter(([name]) => name !== key));

const CASES: Record<RecordKind, KindCase> = {
  trade: {
    accepts: (raw) => typeof parsePriceMessage(raw) !== 'string',
    valid: [
      { symbol: 'BTCUSDT', price: '43200.12', timestamp: 1700000000.123 },
      trade,
      { ...without(trade, 'eventTimeMs'), quantity: null, tradeId: null, tradeCount: null, isBuyerMaker: null, contractSize: null, source: null },
      { symbol: 'BTCUSDT', price: '0.000000000001', timestamp: 1483228800, quantity: '0', source: 'rest-ticker' },
      { symbol: '1000PEPEUSDT', price: '999999999999999.999999999999', timestamp: 4102444800, tradeId: Number.MAX_SAFE_INTEGER, tradeCount: 1_000_000 },
    ],
    rejected: [
      ['not an object', [1, 2]],
      ['symbol missing', without(trade, 'symbol')],
      ['price missing', without(trade, 'price')],
      ['timestamp missing', without(trade, 'timestamp')],
      ['symbol lower case', { ...trade, symbol: 'btcusdt' }],
      ['symbol too long', { ...trade, symbol: 'A'.repeat(33) }],
      ['price a number', { ...trade, price: 0.23097 }],
      ['price zero', { ...trade, price: '0.000' }],
      ['price negative', { ...trade, price: '-1' }],
      ['price with exponent', { ...trade, price: '1e5' }],
      ['price with a leading zero', { ...trade, price: '01.5' }],
      ['price with 13 fraction digits', { ...trade, price: '0.0000000000001' }],
      ['price with 16 integer digits', { ...trade, price: '1000000000000000' }],
      ['timestamp a string', { ...trade, timestamp: '1741046404.986' }],
      ['timestamp before 2017', { ...trade, timestamp: 86400, eventTimeMs: null }],
      ['timestamp after 2100', { ...trade, timestamp: 99999999999, eventTimeMs: null }],
      ['eventTimeMs null', { ...trade, eventTimeMs: null }],
      ['eventTimeMs a string', { ...trade, eventTimeMs: '1741046404986' }],
      ['eventTimeMs a fraction', { ...trade, eventTimeMs: 1741046404986.5 }],
      ['eventTimeMs before 2017', { ...trade, eventTimeMs: 1000 }],
      ['quantity a number', { ...trade, quantity: 32 }],
      ['quantity not a decimal', { ...trade, quantity: 'abc' }],
      ['tradeId negative', { ...trade, tradeId: -1 }],
      ['tradeId beyond 2^53', { ...trade, tradeId: 2 ** 53 }],
      ['tradeCount zero', { ...trade, tradeCount: 0 }],
      ['tradeCount above a million', { ...trade, tradeCount: 1_000_001 }],
      ['isBuyerMaker a number', { ...trade, isBuyerMaker: 1 }],
      ['contractSize zero', { ...trade, contractSize: '0' }],
      ['source unknown', { ...trade, source: 'bogus' }],
    ],
    beyondSchema: [
      ['timestamp and eventTimeMs a second or more apart', JSON.stringify({ ...trade, eventTimeMs: 1741046406986 })],
      ['more than 4096 bytes (white space)', JSON.stringify(trade).replace('{', `{${' '.repeat(4100)}`)],
    ],
  },
  'source-progress': {
    accepts: (raw) => typeof parseSourceProgress(raw) !== 'string',
    valid: [
      progress,
      { ...progress, state: 'recovering' },
      JSON.parse(encodeSourceProgress({ symbol: 'BTCUSDT', completeUpToMs: 1483228800000, state: 'live', atMs: 4102444800000 })),
      without(partitionProgress, 'recovering'),
      without(partitionProgress, 'live'),
      { ...partitionProgress, live: {} },
      partitionProgress,
    ],
    rejected: [
      ['not an object', 'progress'],
      ['kind wrong', { ...progress, kind: 'trade' }],
      ...(['kind', 'atMs'] as const).map((field) => [`${field} missing`, without(progress, field)] as const),
      ['symbol lower case', { ...progress, symbol: 'trxusdt' }],
      ['completeUpToMs a fraction', { ...progress, completeUpToMs: 1700000059000.5 }],
      ['completeUpToMs before 2017', { ...progress, completeUpToMs: 1000 }],
      ['atMs after 2100', { ...progress, atMs: 4102444800001 }],
      ['state unknown', { ...progress, state: 'paused' }],
      ['atMs missing (second form)', without(partitionProgress, 'atMs')],
      ['live an array', { ...partitionProgress, live: [['TRXUSDT', 1700000059000]] }],
      ['a lower-case symbol in live', { ...partitionProgress, live: { trxusdt: 1700000059000 } }],
      ['a completeUpToMs a string in recovering', { ...partitionProgress, recovering: { ETHUSDT: '1700000041000' } }],
      ['a completeUpToMs after 2100 in live', { ...partitionProgress, live: { TRXUSDT: 4102444800001 } }],
    ],
    beyondSchema: [
      ...(['symbol', 'completeUpToMs', 'state'] as const).map((field) => [`${field} missing (first form)`, JSON.stringify(without(progress, field))] as const),
      ['no symbol at all', JSON.stringify({ kind: 'progress', atMs: 1700000060000 })],
      ['both forms', JSON.stringify({ ...progress, live: partitionProgress.live })],
      ['a symbol both live and recovering', JSON.stringify({ ...partitionProgress, recovering: { TRXUSDT: 1700000041000 } })],
    ],
  },
  'window-update': {
    accepts: (raw) => typeof decodeWindowUpdate(raw) !== 'string',
    valid: [
      update,
      updateV1,
      { ...update, source: 'ticker', volume: null, quoteVolume: null, takerBuyVolume: null, takerBuyQuoteVolume: null, vwap: null, tradeCount: null, firstTradeId: null, lastTradeId: null, closed: true, revision: 2 },
      { ...update, symbol: 'TRXUSD_PERP', quoteVolume: null, baseVolume: '6254321.77' },
    ],
    rejected: [
      ['not an object', null],
      ...Object.keys(updateV1).map((field) => [`${field} missing`, without(update, field as keyof WindowUpdate)] as const),
      ['takerBuyVolume a number', { ...update, takerBuyVolume: 288873 }],
      ['firstTradeId a string', { ...update, firstTradeId: '548321769' }],
      ['symbol lower case', { ...update, symbol: 'trx' }],
      ['open a number', { ...update, open: 0.23097 }],
      ['high not a decimal', { ...update, high: '-0.2' }],
      ['volume a number', { ...update, volume: 1443073 }],
      ['vwap with an exponent', { ...update, vwap: '2e-1' }],
      ['startMs a fraction', { ...update, startMs: 1.5 }],
      ['revision a string', { ...update, revision: '0' }],
      ['tradeCount a string', { ...update, tradeCount: '714' }],
      ['source unknown', { ...update, source: 'candles' }],
      ['closed a string', { ...update, closed: 'false' }],
    ],
  },
  'dead-letter': {
    accepts: (raw) => typeof decodeDeadLetter(raw) !== 'string',
    valid: [letter, without(letter, 'origin'), { ...letter, origin: { stream: 'trxusdt@aggTrade' } }, { ...letter, payload: '' }],
    rejected: [
      ['not an object', 'letter'],
      ...(['reason', 'payload', 'rejectedBy', 'rejectedAtMs'] as const).map((field) => [`${field} missing`, without(letter, field)] as const),
      ['reason a number', { ...letter, reason: 4 }],
      ['payload an object', { ...letter, payload: { symbol: 'BTCUSDT' } }],
      ['rejectedAtMs a string', { ...letter, rejectedAtMs: '1741046430000' }],
      ['origin a string', { ...letter, origin: 'crypto_prices' }],
      ['origin.partition a string', { ...letter, origin: { ...letter.origin, partition: '2' } }],
      ['origin.offset a number', { ...letter, origin: { ...letter.origin, offset: 17 } }],
    ],
  },
};

const ajv = new Ajv({ allowUnionTypes: true, strict: true });
const validators = Object.fromEntries(RECORD_KINDS.map((kind) => [kind, ajv.compile(currentSchema(kind).schema)])) as Record<RecordKind, ReturnType<Ajv['compile']>>;
const readerValidators = Object.fromEntries(RECORD_KINDS.map((kind) => [kind, ajv.compile(openContent(currentSchema(kind).schema) as object)])) as Record<RecordKind, ReturnType<Ajv['compile']>>;

describe.each(RECORD_KINDS)('the %s schema and its validator', (kind) => {
  const { accepts, valid, rejected, beyondSchema = [] } = CASES[kind];
  const schemaAccepts = (value: unknown) => validators[kind](value) === true;
  const readerSchemaAccepts = (value: unknown) => readerValidators[kind](value) === true;

  it.each(valid.map((value) => [JSON.stringify(value), value]))('both accept %s', (_, value) => {
    expect({ schema: schemaAccepts(value), validator: accepts(JSON.stringify(value)) }).toEqual({ schema: true, validator: true });
  });

  it.each(rejected.map(([what, value]) => [what, value]))('both reject a record with %s', (_, value) => {
    expect({ schema: schemaAccepts(value), validator: accepts(JSON.stringify(value)) }).toEqual({ schema: false, validator: false });
  });

  it.each(beyondSchema.length > 0 ? beyondSchema.map(([what, value]) => [what, value]) : [['(none)', undefined]])(
    'the validator alone rejects a record with %s (a rule the schema describes in words)',
    (_, raw) => {
      if (raw === undefined) return;
      expect({ schema: schemaAccepts(JSON.parse(raw)), validator: accepts(raw) }).toEqual({ schema: true, validator: false });
    },
  );

  it('refuses fields no version declares, which readers ignore', () => {
    const record = { ...(valid[0] as object), notDeclared: 1 };
    expect({ schema: schemaAccepts(record), validator: accepts(JSON.stringify(record)) }).toEqual({ schema: false, validator: true });
  });

  it('agrees with the validator on records with any field changed to any JSON value', () => {
    const base = valid[valid.length - 1] as Record<string, unknown>;
    const fields = Object.keys(base);
    fc.assert(
      fc.property(fc.constantFrom(...fields), fc.oneof(fc.jsonValue(), fc.constantFrom(...Object.values(base)), fc.constant(undefined)), (field, value) => {
        const record = { ...base, [field]: value };
        const raw = JSON.stringify(record);
        if ((kind === 'trade' && crossFieldRuleBroken(record)) || (kind === 'source-progress' && !oneFormOfSymbols(record))) {
          // Only the rule beyond the schema tells them apart here.
          expect(accepts(raw)).toBe(false);
          return;
        }
        expect(readerSchemaAccepts(JSON.parse(raw))).toBe(accepts(raw));
      }),
      { numRuns: 1_000 },
    );
  });
});

/** The trade's rule beyond the schema: eventTimeMs a second or more from timestamp × 1000. */
function crossFieldRuleBroken(message: { timestamp?: unknown; eventTimeMs?: unknown }): boolean {
  return typeof message.eventTimeMs === 'number' && typeof message.timestamp === 'number' && Math.abs(message.eventTimeMs - message.timestamp * 1000) >= 1000;
}

/**
 * The source-progress rules beyond the schema: symbol, completeUpToMs and state all three, or
 * live or recovering (no symbol in both), not both forms.
 */
function oneFormOfSymbols(record: Record<string, unknown>): boolean {
  const first = ['symbol', 'completeUpToMs', 'state'].filter((field) => record[field] !== undefined).length;
  const { live, recovering } = record;
  const second = live !== undefined || recovering !== undefined;
  if (first > 0) return first === 3 && !second;
  if (!second) return false;
  const maps = [live, recovering].filter((map): map is object => typeof map === 'object' && map !== null && !Array.isArray(map));
  return maps.length < 2 || !Object.keys(maps[0]).some((symbol) => Object.hasOwn(maps[1], symbol));
}

/** The schema as readers apply it: every object open to undeclared fields (a map of symbols has none: its keys are data). */
function openContent(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(openContent);
  if (schema === null || typeof schema !== 'object') return schema;
  if ('patternProperties' in schema) return schema;
  return Object.fromEntries(Object.entries(schema).map(([key, value]) => [key, key === 'additionalProperties' ? true : openContent(value)]));
}

describe('what producers write', () => {
  it('is valid under the current schema of its kind', () => {
    expect(validators['source-progress'](JSON.parse(encodeSourceProgress({ symbol: 'TRXUSDT', completeUpToMs: 1700000059000, state: 'recovering', atMs: 1700000060000 })))).toBe(true);
    const symbols = [{ symbol: 'TRXUSDT', completeUpToMs: 1700000059000, state: 'live' }, { symbol: 'ETHUSDT', completeUpToMs: 1700000041000, state: 'recovering' }] as const;
    expect(validators['source-progress'](JSON.parse(encodeSourceProgressOfSymbols(1700000060000, symbols)))).toBe(true);
    expect(validators['source-progress'](JSON.parse(encodeSourceProgressOfSymbols(1700000060000, [])))).toBe(true);
    expect(validators['window-update'](JSON.parse(encodeWindowUpdate(update)))).toBe(true);
    expect(validators['dead-letter'](JSON.parse(encodeDeadLetter(letter)))).toBe(true);
  });
});

describe('the schema files', () => {
  const root = join(__dirname, '..', 'schemas');

  it('are every file under libs/schema/schemas, numbered 1, 2, … without gaps', () => {
    expect(readdirSync(root).sort()).toEqual([...RECORD_KINDS].sort());
    for (const kind of RECORD_KINDS) {
      const files = readdirSync(join(root, kind)).sort((a, b) => parseInt(a.slice(1), 10) - parseInt(b.slice(1), 10));
      expect(files).toEqual(RECORD_SCHEMAS[kind].map((version) => `v${version.version}.json`));
    }
  });

  it('each compile under JSON Schema draft-07 with every keyword known (ajv strict)', () => {
    for (const kind of RECORD_KINDS) for (const version of RECORD_SCHEMAS[kind]) expect(() => new Ajv({ allowUnionTypes: true, strict: true }).compile(version.schema)).not.toThrow();
  });

  it('are told apart by content, whatever the key order', () => {
    const reordered = JSON.parse(canonicalJson(currentSchema('trade').schema)) as unknown;
    expect(versionOfSchema('trade', reordered)?.version).toBe(currentSchema('trade').version);
    expect(versionOfSchema('source-progress', reordered)).toBeUndefined();
    expect(artifactIdOf('crypto_prices', 'trade')).toBe('crypto_prices-trade');
  });
});
