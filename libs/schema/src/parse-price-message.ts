import { plainToInstance } from 'class-transformer';
import { validateSync, ValidationError } from 'class-validator';
import { PriceMessage } from './price-message.dto';
import { passesPriceMessageRules, validatePriceMessageFast } from './price-message.fast-validator';
import { scanPriceMessage } from './price-message.scanner';

/** Larger payloads are rejected before parsing: a price message is about 200 bytes. */
export const MAX_MESSAGE_BYTES = 4096;

export type ParseOutcome =
  | { readonly ok: true; readonly message: PriceMessage }
  | { readonly ok: false; readonly reason: string };

/**
 * Parses and validates one raw message from `crypto_prices`. Never throws: whatever arrives, the
 * caller gets either a valid {@link PriceMessage} or a reason fit for the dead-letter topic.
 */
export function parsePriceMessage(raw: string | Buffer | null | undefined): ParseOutcome {
  const plain = readJson(raw);
  if (plain instanceof Unreadable) return { ok: false, reason: plain.reason };
  return validatePriceMessage(plain);
}

/** What consumers of the topic read of a valid message (see {@link parsePriceFields}). */
export type PriceFields = Pick<PriceMessage, 'symbol' | 'price' | 'timestamp' | 'eventTimeMs' | 'quantity' | 'tradeId' | 'tradeCount' | 'isBuyerMaker' | 'contractSize' | 'source'>;

/**
 * {@link parsePriceMessage} for hot paths: the same verdict and reasons, but a valid message comes
 * back as the parsed object itself (unknown fields stay on it, unread) instead of a whitelisted
 * {@link PriceMessage}, and no outcome object is built: about two allocations less per message.
 * Returns the fields, or the reason the message is invalid.
 */
export function parsePriceFields(raw: string | Buffer | null | undefined): PriceFields | string {
  if (raw !== null && raw !== undefined && raw.length <= MAX_MESSAGE_BYTES) {
    // The scanner reads the bytes, ASCII only: no string of the whole message is made.
    const scanned = scanPriceMessage(raw);
    if (scanned !== undefined && passesPriceMessageRules(scanned as unknown as Record<string, unknown>)) {
      return timeDisagreement(scanned as PriceFields) ?? (scanned as PriceFields);
    }
  }
  const plain = readJson(raw);
  if (plain instanceof Unreadable) return plain.reason;
  const outcome = validatePriceMessage(plain);
  return outcome.ok ? outcome.message : outcome.reason;
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
export function validatePriceMessage(plain: unknown): ParseOutcome {
  if (typeof plain !== 'object' || plain === null || Array.isArray(plain)) {
    return { ok: false, reason: 'not a JSON object' };
  }
  const message = validatePriceMessageFast(plain as Record<string, unknown>) ?? validateWithDecorators(plain);
  if (typeof message === 'string') return { ok: false, reason: message };
  const disagreement = timeDisagreement(message);
  return disagreement === undefined ? { ok: true, message } : { ok: false, reason: disagreement };
}

/**
 * The reference validation, by the DTO's decorators: slow, but it words the reasons. Returns the
 * message, or the reason it is invalid.
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
