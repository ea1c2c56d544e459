import { ArgumentsHost, Catch, ExceptionFilter } from '@nestjs/common';
import type { ServerResponse } from 'node:http';

/**
 * A request Binance would refuse, with Binance's own code and message (its error body,
 * `{"code":-1121,"msg":"Invalid symbol."}`, HTTP 400), so that clients map it as they do
 * Binance's (ccxt: BadSymbol for -1121, BadRequest for the others).
 */
export class BinanceError extends Error {
  constructor(
    readonly code: number,
    readonly msg: string,
  ) {
    super(`${code} ${msg}`);
  }

  static invalidSymbol(): BinanceError {
    return new BinanceError(-1121, 'Invalid symbol.');
  }

  static invalidInterval(): BinanceError {
    return new BinanceError(-1120, 'Invalid interval.');
  }

  static mandatory(parameter: string): BinanceError {
    return new BinanceError(-1102, `Mandatory parameter '${parameter}' was not sent, was empty/null, or malformed.`);
  }

  static illegalCharacters(parameter: string, legal: string): BinanceError {
    return new BinanceError(-1100, `Illegal characters found in parameter '${parameter}'; legal range is '${legal}'.`);
  }

  static invalidValue(parameter: string): BinanceError {
    return new BinanceError(-1130, `Data sent for parameter '${parameter}' is not valid.`);
  }

  static startAfterEnd(): BinanceError {
    return new BinanceError(-1023, 'Start time is greater than end time.');
  }

  get body(): string {
    return JSON.stringify({ code: this.code, msg: this.msg });
  }
}

/** Binance's error body for a bad request to a Binance-compatible endpoint. */
@Catch(BinanceError)
export class BinanceErrorFilter implements ExceptionFilter {
  catch(error: BinanceError, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<ServerResponse>();
    response.writeHead(400, { 'Content-Type': 'application/json;charset=UTF-8' });
    response.end(error.body);
  }
}
