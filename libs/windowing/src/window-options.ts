import type { LatePolicy, WindowEngineOptions } from './window.types';

const SECOND_MS = 1_000;
const DAY_MS = 86_400_000;

/** Options with every default filled in, checked and frozen. */
export interface ResolvedWindowOptions {
  readonly windowSizeMs: number;
  readonly graceMs: number;
  readonly latePolicy: LatePolicy;
  /** −Infinity when the engine starts from nothing. */
  readonly initialWatermarkMs: number;
  readonly allowedLatenessMs: number;
  readonly exactPriceSum: boolean;
  readonly sourceTimeoutMs: number;
  /** −Infinity when nothing is replayed. */
  readonly replayUntilSequence: number;
}

/**
 * Fills in defaults (1-minute windows, no grace, drop late events) and checks every option,
 * throwing an Error that names the option and says what would be valid.
 */
export function resolveWindowOptions({
  windowSizeMs = 60_000,
  graceMs = 0,
  latePolicy = 'drop',
  initialWatermarkMs,
  allowedLatenessMs = 3_600_000,
  exactPriceSum = false,
  sourceTimeoutMs = 60_000,
  replayUntilSequence,
}: WindowEngineOptions = {}): ResolvedWindowOptions {
  if (!Number.isSafeInteger(windowSizeMs) || windowSizeMs % SECOND_MS !== 0 || windowSizeMs < SECOND_MS || windowSizeMs > DAY_MS) {
    throw new Error(`windowSizeMs must be a whole number of seconds from 1000 (1 s) to 86400000 (1 day), got ${windowSizeMs}`);
  }
  if (!Number.isSafeInteger(graceMs) || graceMs < 0) {
    throw new Error(`graceMs must be a non-negative integer number of milliseconds, got ${graceMs}`);
  }
  if (latePolicy !== 'drop' && latePolicy !== 'correct') {
    throw new Error(`latePolicy must be 'drop' or 'correct', got ${JSON.stringify(latePolicy)}`);
  }
  if (initialWatermarkMs !== undefined && !Number.isSafeInteger(initialWatermarkMs)) {
    throw new Error(`initialWatermarkMs must be an integer epoch time in milliseconds, got ${initialWatermarkMs}`);
  }
  if (!Number.isSafeInteger(allowedLatenessMs) || allowedLatenessMs < 0) {
    throw new Error(`allowedLatenessMs must be a non-negative integer number of milliseconds, got ${allowedLatenessMs}`);
  }
  if (!Number.isSafeInteger(sourceTimeoutMs) || sourceTimeoutMs < 0) {
    throw new Error(`sourceTimeoutMs must be a non-negative integer number of milliseconds, got ${sourceTimeoutMs}`);
  }
  if (replayUntilSequence !== undefined && !Number.isSafeInteger(replayUntilSequence)) {
    throw new Error(`replayUntilSequence must be an integer position, got ${replayUntilSequence}`);
  }
  return Object.freeze({
    windowSizeMs,
    graceMs,
    latePolicy,
    initialWatermarkMs: initialWatermarkMs ?? Number.NEGATIVE_INFINITY,
    allowedLatenessMs,
    exactPriceSum: exactPriceSum === true,
    sourceTimeoutMs,
    replayUntilSequence: replayUntilSequence ?? Number.NEGATIVE_INFINITY,
  });
}

/** Start of the epoch-aligned window holding `eventTimeMs`: with 60000, 59999 → 0 and 60000 → 60000. */
export function windowStartOf(eventTimeMs: number, windowSizeMs: number): number {
  const offset = eventTimeMs % windowSizeMs;
  return offset < 0 ? eventTimeMs - offset - windowSizeMs : eventTimeMs - offset;
}
