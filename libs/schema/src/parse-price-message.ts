import { plainToInstance } from 'class-transformer';
import { validateSync, ValidationError } from 'class-validator';
import { PriceMessage } from './price-message.dto';
import { passesPriceMessageRules, validatePriceMessageFast } from './price-message.fast-validator';
import { scanPriceMessage } from './price-message.scanner';

/** Larger payloads are rejected before parsing: a price message is about 200 bytes. */
export const MAX_MESSAGE_BYTES = 4096;

/** What consumers read of a valid price message (see {@link parsePriceMessage}). */
export type PriceFields = Pick<PriceMessage, 'symbol' | 'price' | 'timestamp' | 'eventTimeMs' | 'quantity' | 'tradeId' | 'tradeCount' | 'isBuyerMaker' | 'contractSize' | 'source'>;

/**
 * The one answer to "is this price message valid?": a raw message from `crypto_prices` (text or
 * bytes), or one already parsed (a producer's object). Never throws: whatever arrives, the caller
 * gets the message's fields, or the reason it is invalid, fit for the dead-letter topic. A valid
 * message comes back as the parsed object itself (unknown fields stay on it, unread).
 *
 * Behind it the fast path, by hand: raw bytes are scanned (ASCII only, no string of the whole
 * message is made) and the rules checked without class-validator; only a message that fails them
 * goes through JSON.parse and the DTO's decorators ({@link referencePriceMessage}), which word the
 * reason. The specs hold both paths to the same verdicts and reasons.
 */
export function parsePriceMessage(input: string | Buffer | object | null | undefined): PriceFields | string {
  if (typeof input === 'object' && input !== null && !ArrayBuffer.isView(input)) return parsedPriceMessage(input);
  const raw = input as string | Buffer | null | undefined;
  if (raw !== null && raw !== undefined && raw.length <= MAX_MESSAGE_BYTES) {
    const scanned = scanPriceMessage(raw);
    if (scanned !== undefined && passesPriceMessageRules(scanned as unknown as Record<string, unknown>)) {
      return timeDisagreement(scanned as PriceFields) ?? (scanned as PriceFields);
    }
  }
  const outcome = referencePriceMessage(raw);
  return outcome.ok ? outcome.message : outcome.reason;
}

/** {@link parsePriceMessage} of a message already parsed. */
function parsedPriceMessage(plain: object): PriceFields | string {
  if (!Array.isArray(plain) && passesPriceMessageRules(plain as Record<string, unknown>)) return timeDisagreement(plain as PriceFields) ?? (plain as PriceFields);
  const outcome = validatePlain(plain);
  return outcome.ok ? outcome.message : outcome.reason;
}

/** The verdict of the reference path: the whitelisted message, or the reason. */
export type ParseOutcome =
  | { readonly ok: true; readonly message: PriceMessage }
  | { readonly ok: false; readonly reason: string };

/**
 * The reference validation that {@link parsePriceMessage} falls back to: JSON.parse, then the
 * DTO (hand-written rules, then class-validator's decorators for the reason); a valid message
 * comes back whitelisted (unknown fields dropped). Internal to the library, for its specs.
 */
export function referencePriceMessage(raw: string | Buffer | null | undefined): ParseOutcome {
  const plain = readJson(raw);
  if (plain instanceof Unreadable) return { ok: false, reason: plain.reason };
  return validatePlain(plain);
}

/** Why a raw message could not be read as JSON at all. */
class Unreadable {
  constructor(readonly reason: string) {}
}

function readJson(raw: string | Buffer | null | undefined): unknown {
  if (raw === null || raw === undefined) return new Unreadable('empty message');
  const size = typeof raw === 'string' ? Buffer.byteLength(raw) : raw.length;
  if (size > MAX_MESSAGE_BYTES) return new Unreadable(`message too large: ${size} bytes (max ${MAX_MESSAGE_BYTES})`);
  try {
    // toString() without arguments is UTF-8 without the encoding lookup (the hot path).
    return JSON.parse(typeof raw === 'string' ? raw : raw.toString()) as unknown;
  } catch (error) {
    return new Unreadable(`not JSON: ${(error as Error).message}`);
  }
}

function timeDisagreement(message: Pick<PriceMessage, 'eventTimeMs' | 'timestamp'>): string | undefined {
  if (message.eventTimeMs !== undefined && Math.abs(message.eventTimeMs - message.timestamp * 1000) >= 1000) {
    return 'timestamp and eventTimeMs disagree by a second or more';
  }
  return undefined;
}

/** Validates an already-parsed value against the {@link PriceMessage} DTO. */
function validatePlain(plain: unknown): ParseOutcome {
  if (typeof plain !== 'object' || plain === null || Array.isArray(plain)) {
    return { ok: false, reason: 'not a JSON object' };
  }
  const message = validatePriceMessageFast(plain as Record<string, unknown>) ?? validateWithDecorators(plain);
  if (typeof message === 'string') return { ok: false, reason: message };
  const disagreement = timeDisagreement(message);
  return disagreement === undefined ? { ok: true, message } : { ok: false, reason: disagreement };
}

/**
 * The validation by the DTO's decorators: slow, but it words the reasons. Returns the message,
 * or the reason it is invalid. Internal to the library, for its specs.
 */
export function validateWithDecorators(plain: object): PriceMessage | string {
  const message = plainToInstance(PriceMessage, plain, { excludeExtraneousValues: false });
  const errors = validateSync(message, { whitelist: true, forbidUnknownValues: true });
  return errors.length > 0 ? describe(errors) : message;
}

/** The event time in milliseconds: `eventTimeMs` when sent, else `timestamp` (seconds) × 1000. */
export function eventTimeMsOf(message: Pick<PriceMessage, 'eventTimeMs' | 'timestamp'>): number {
  return message.eventTimeMs ?? Math.round(message.timestamp * 1000);
}

function describe(errors: ValidationError[]): string {
  return errors
    .flatMap((error) => Object.values(error.constraints ?? { invalid: `${error.property} is invalid` }))
    .join('; ');
}
