import { ArgumentsHost, Catch, ExceptionFilter } from '@nestjs/common';
import type { ServerResponse } from 'node:http';
import { BadParameter } from './candle-query';

/** A wrong query parameter is the client's mistake: 400 with the parameter and what is allowed. */
@Catch(BadParameter)
export class BadParameterFilter implements ExceptionFilter {
  catch(error: BadParameter, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<ServerResponse>();
    response.writeHead(400, { 'Content-Type': 'application/json; charset=utf-8' });
    response.end(JSON.stringify({ statusCode: 400, error: 'Bad Request', parameter: error.parameter, message: error.message }));
  }
}
