import { plainToInstance } from 'class-transformer';
import { validateSync, ValidationError } from 'class-validator';
import { PriceMessage } from './price-message.dto';
import { validatePriceMessageFast } from './price-message.fast-validator';

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
  if (raw === null || raw === undefined) return { ok: false, reason: 'empty message' };
  const size = typeof raw === 'string' ? Buffer.byteLength(raw) : raw.length;
  if (size > MAX_MESSAGE_BYTES) return { ok: false, reason: `message too large: ${size} bytes (max ${MAX_MESSAGE_BYTES})` };
  let plain: unknown;
  try {
    // toString() without arguments is UTF-8 without the encoding lookup (the hot path).
    plain = JSON.parse(typeof raw === 'string' ? raw : raw.toString());
  } catch (error) {
    return { ok: false, reason: `not JSON: ${(error as Error).message}` };
  }
  return validatePriceMessage(plain);
}

/** Validates an already-parsed value against the {@link PriceMessage} DTO. */
export function validatePriceMessage(plain: unknown): ParseOutcome {
  if (typeof plain !== 'object' || plain === null || Array.isArray(plain)) {
    return { ok: false, reason: 'not a JSON object' };
  }
  const message = validatePriceMessageFast(plain as Record<string, unknown>) ?? validateWithDecorators(plain);
  if (typeof message === 'string') return { ok: false, reason: message };
  if (message.eventTimeMs !== undefined && Math.abs(message.eventTimeMs - message.timestamp * 1000) >= 1000) {
    return { ok: false, reason: 'timestamp and eventTimeMs disagree by a second or more' };
  }
  return { ok: true, message };
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
export function eventTimeMsOf(message: PriceMessage): number {
  return message.eventTimeMs ?? Math.round(message.timestamp * 1000);
}

function describe(errors: ValidationError[]): string {
  return errors
    .flatMap((error) => Object.values(error.constraints ?? { invalid: `${error.property} is invalid` }))
    .join('; ');
}
