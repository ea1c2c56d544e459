import pino from 'pino';
import { Writable } from 'node:stream';
import { registerSecret } from '@cryptostream/schema';
import { pinoOptions } from './app-logger';

/** A pino logger with the apps' options, writing JSON lines into an array. */
function capture(level = 'info') {
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) lines.push(JSON.parse(line));
      done();
    },
  });
  return { logger: pino(pinoOptions(level, false), sink), lines };
}

describe('pinoOptions', () => {
  it('writes JSON lines with the level as a word, from LOG_LEVEL up', () => {
    const { logger, lines } = capture('warn');
    logger.info('not written');
    logger.warn({ context: 'Kafka' }, 'broker slow');
    expect(lines).toEqual([expect.objectContaining({ level: 'warn', context: 'Kafka', msg: 'broker slow', time: expect.any(Number) })]);
  });

  it('never writes the password of MYSQL_URL, in a message or in an object', () => {
    const { logger, lines } = capture();
    logger.info('connecting to mysql://app:s3cret@db:3306/cryptostream');
    logger.info({ config: { mysql: { user: 'app', password: 's3cret' } } }, 'settings');
    logger.error({ err: new Error('cannot reach mysql://app:s3cret@db/x') }, 'failed: mysql://app:s3cret@db/x');
    const output = JSON.stringify(lines);
    expect(output).not.toContain('s3cret');
    expect(lines[0]['msg']).toBe('connecting to mysql://app:***@db:3306/cryptostream');
    expect(lines[1]).toMatchObject({ config: { mysql: { user: 'app', password: '[redacted]' } } });
  });

  it('never writes an API key, in a logged request or in a message', () => {
    const { logger, lines } = capture();
    logger.info({ req: { method: 'GET', url: '/api/candles', headers: { 'x-api-key': 'k3y-0123456789abcdef', 'x-mbx-apikey': 'b1nance-0123456789abcdef', accept: '*/*' } } }, 'request');
    logger.warn('refused X-API-Key: k3y-0123456789abcdef');
    const output = JSON.stringify(lines);
    expect(output).not.toContain('k3y-0123456789abcdef');
    expect(output).not.toContain('b1nance-0123456789abcdef');
    expect(lines[0]).toMatchObject({ req: { headers: { 'x-api-key': '[redacted]', 'x-mbx-apikey': '[redacted]', accept: '*/*' } } });
  });

  it('never writes SASL passwords, TLS keys or what a password file held', () => {
    const { logger, lines } = capture();
    registerSecret('From-A-Mounted-File');
    logger.info({ config: { kafka: { security: { sasl: { username: 'api', password: 'sasl-pass' }, tls: { key: '-----BEGIN PRIVATE KEY-----' } } } } }, 'settings');
    logger.warn('KAFKA_SASL_PASSWORD=sasl-pass refused; the file held From-A-Mounted-File');
    logger.error({ err: new Error('login as api with From-A-Mounted-File failed') }, 'failed');
    const output = JSON.stringify(lines);
    expect(output).not.toMatch(/sasl-pass|From-A-Mounted-File|BEGIN PRIVATE KEY/);
    expect(lines[0]).toMatchObject({ config: { kafka: { security: { sasl: { username: 'api', password: '[redacted]' }, tls: { key: '[redacted]' } } } } });
    expect(lines[1]['msg']).toBe('KAFKA_SASL_PASSWORD=*** refused; the file held ***');
  });
});
