/**
 * The one error hierarchy of cryptostream. `retriable` tells a caller whether trying again can
 * help (a broker or database that is down) or not (bad input, bad config).
 */
export class CryptostreamError extends Error {
  readonly retriable: boolean;

  constructor(message: string, options: { retriable?: boolean; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.name = new.target.name;
    this.retriable = options.retriable ?? false;
  }
}

/** A setting is missing or wrong: start-up stops with a message that names it. */
export class ConfigError extends CryptostreamError {
  constructor(
    readonly setting: string,
    problem: string,
  ) {
    super(`${setting}: ${problem}`);
  }
}
