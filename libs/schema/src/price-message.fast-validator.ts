import { DECIMAL_FRACTION_DIGITS, DECIMAL_INTEGER_DIGITS, DECIMAL_MAX_LENGTH, SYMBOL_MAX_LENGTH } from './decimal-string';
import { MAX_EVENT_TIME_MS, MIN_EVENT_TIME_MS, PRICE_SOURCES, PriceMessage } from './price-message.dto';

const SOURCES: ReadonlySet<unknown> = new Set(PRICE_SOURCES);

/**
 * The hot path of validation: the same rules as the decorators on {@link PriceMessage}, written
 * out by hand because class-validator costs about a hundred times what the window engine spends
 * on a message. Returns the whitelisted message when every rule holds, or undefined —
 * then class-validator runs to give the reason. A property test keeps the two in agreement.
 */
export function validatePriceMessageFast(plain: Record<string, unknown>): PriceMessage | undefined {
  if (!passesPriceMessageRules(plain)) return undefined;
  const { symbol, price, timestamp, eventTimeMs, quantity, tradeId, tradeCount, isBuyerMaker, contractSize, source } = plain;
  const message = new PriceMessage();
  message.symbol = symbol as string;
  message.price = price as string;
  message.timestamp = timestamp as number;
  message.eventTimeMs = eventTimeMs as number | undefined;
  message.quantity = quantity as string | undefined;
  message.tradeId = tradeId as number | undefined;
  message.tradeCount = tradeCount as number | undefined;
  message.isBuyerMaker = isBuyerMaker as boolean | undefined;
  message.contractSize = contractSize as string | undefined;
  message.source = source as PriceMessage['source'];
  return message;
}

/**
 * True when `plain` holds every rule of {@link PriceMessage} (the checks of
 * {@link validatePriceMessageFast}, without building the whitelisted message).
 */
export function passesPriceMessageRules(plain: Record<string, unknown>): boolean {
  const { symbol, price, timestamp, eventTimeMs, quantity, tradeId, tradeCount, isBuyerMaker, contractSize, source } = plain;
  if (typeof symbol !== 'string' || !isSymbol(symbol)) return false;
  if (typeof price !== 'string' || price.length > DECIMAL_MAX_LENGTH || scanDecimal(price) !== POSITIVE) return false;
  if (!isNumberIn(timestamp, MIN_EVENT_TIME_MS / 1000, MAX_EVENT_TIME_MS / 1000)) return false;
  // class-validator's @IsOptional() skips both null and undefined.
  if (eventTimeMs != null && !isIntegerIn(eventTimeMs, MIN_EVENT_TIME_MS, MAX_EVENT_TIME_MS)) return false;
  if (quantity != null && (typeof quantity !== 'string' || quantity.length > DECIMAL_MAX_LENGTH || scanDecimal(quantity) === INVALID)) return false;
  if (tradeId != null && !isIntegerIn(tradeId, 0, Number.MAX_SAFE_INTEGER)) return false;
  if (tradeCount != null && !isIntegerIn(tradeCount, 1, 1_000_000)) return false;
  if (isBuyerMaker != null && typeof isBuyerMaker !== 'boolean') return false;
  if (contractSize != null && (typeof contractSize !== 'string' || contractSize.length > DECIMAL_MAX_LENGTH || scanDecimal(contractSize) !== POSITIVE)) return false;
  if (source != null && !SOURCES.has(source)) return false;
  return true;
}

function isNumberIn(value: unknown, min: number, max: number): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value >= min && value <= max;
}

function isIntegerIn(value: unknown, min: number, max: number): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max;
}

/** `^[A-Z0-9][A-Z0-9_-]{1,SYMBOL_MAX_LENGTH - 1}$` (the DTO's symbol pattern), by hand: a regex costs ~50 ns. */
function isSymbol(value: string): boolean {
  const length = value.length;
  if (length < 2 || length > SYMBOL_MAX_LENGTH) return false;
  const first = value.charCodeAt(0);
  if (!((first >= 65 && first <= 90) || (first >= 48 && first <= 57))) return false;
  for (let i = 1; i < length; i++) {
    const c = value.charCodeAt(i);
    if (!((c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95 || c === 45)) return false;
  }
  return true;
}

const INVALID = 0;
const ZERO = 1;
const POSITIVE = 2;

/**
 * `DECIMAL_STRING` (at most DECIMAL_INTEGER_DIGITS integer and DECIMAL_FRACTION_DIGITS fraction
 * digits) by hand, telling a valid zero from a valid positive decimal (`isPositiveDecimal`): INVALID, ZERO or POSITIVE.
 */
function scanDecimal(value: string): number {
  const length = value.length;
  if (length === 0) return INVALID;
  let i = 0;
  let positive = false;
  const first = value.charCodeAt(0);
  if (first === 48) {
    i = 1;
  } else if (first >= 49 && first <= 57) {
    positive = true;
    i = 1;
    while (i < length && i < DECIMAL_INTEGER_DIGITS && isDigit(value.charCodeAt(i))) i++;
  } else {
    return INVALID;
  }
  if (i < length) {
    if (value.charCodeAt(i) !== 46) return INVALID;
    const fractionStart = ++i;
    for (; i < length; i++) {
      const c = value.charCodeAt(i);
      if (!isDigit(c)) return INVALID;
      if (c !== 48) positive = true;
    }
    const fractionDigits = i - fractionStart;
    if (fractionDigits < 1 || fractionDigits > DECIMAL_FRACTION_DIGITS) return INVALID;
  }
  return positive ? POSITIVE : ZERO;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}
