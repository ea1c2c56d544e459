import { spawnSync } from 'node:child_process';
import { createServer, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { httpRequest } from './http-request';

describe('httpRequest', () => {
  let server: Server;
  let base: string;
  let seen: { method?: string; body: string; type?: string }[];

  beforeAll(async () => {
    seen = [];
    server = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
      request.on('end', () => {
        seen.push({ method: request.method, body, type: request.headers['content-type'] });
        if (request.url === '/json') response.writeHead(200, { 'content-type': 'application/json' }).end('{"answer":42}');
        else if (request.url === '/problem') response.writeHead(503).end('<html>down</html>');
        else if (request.url === '/slow') setTimeout(() => response.end('late'), 2_000);
        else if (request.url === '/huge') {
          response.writeHead(200);
          const chunk = Buffer.alloc(1024 * 1024, 'x');
          for (let i = 0; i < 17; i++) response.write(chunk);
          response.end();
        } else response.writeHead(404).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('reads a JSON answer to its end', async () => {
    const answer = await httpRequest(`${base}/json`, { timeoutMs: 1_000 });
    expect(answer).toMatchObject({ status: 200, ok: true, text: '{"answer":42}' });
    expect(answer.json()).toEqual({ answer: 42 });
  });

  it('gives an error status as an answer, its body readable or undefined as JSON', async () => {
    const answer = await httpRequest(`${base}/problem`, { timeoutMs: 1_000 });
    expect(answer).toMatchObject({ status: 503, ok: false, text: '<html>down</html>' });
    expect(answer.jsonOrUndefined()).toBeUndefined();
    expect(() => answer.json()).toThrow(SyntaxError);
  });

  it('sends the method, headers and body', async () => {
    await httpRequest(`${base}/json`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"é":1}', timeoutMs: 1_000 });
    expect(seen.at(-1)).toEqual({ method: 'POST', body: '{"é":1}', type: 'application/json' });
  });

  it('rejects a peer that answers too slowly, saying so', async () => {
    await expect(httpRequest(`${base}/slow`, { timeoutMs: 100 })).rejects.toThrow('no answer within 100 ms');
  });

  it('rejects a peer that does not listen with the system\'s reason', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    await expect(httpRequest(`http://127.0.0.1:${port}/`, { timeoutMs: 1_000 })).rejects.toThrow(`ECONNREFUSED 127.0.0.1:${port}`);
  });

  it('cuts off an answer over 16 MiB', async () => {
    await expect(httpRequest(`${base}/huge`, { timeoutMs: 5_000 })).rejects.toThrow('answer larger than 16777216 bytes');
  });

  // What it exists for: global fetch detaches an ArrayBuffer, after which V8 checks for detached
  // buffers on every typed-array read of optimized code, for the rest of the process.
  it('leaves V8\'s ArrayBufferDetaching protector intact, which fetch invalidates', () => {
    const run = (call: string) => {
      const child = spawnSync(process.execPath, ['--trace-protector-invalidation', '-r', '@swc-node/register', '-e', `
      const { createServer } = require('node:http');
      const { httpRequest } = require(${JSON.stringify(join(__dirname, 'http-request.ts'))});
      const server = createServer((_, response) => response.end('{"ok":true}')).listen(0, '127.0.0.1', async () => {
        const url = 'http://127.0.0.1:' + server.address().port + '/';
        const answer = await ${call};
        console.log('answered', JSON.stringify(typeof answer.text === 'string' ? answer.text : await answer.text()));
        server.close();
      });
    `], { encoding: 'utf8' });
      return child.stdout + child.stderr;
    };
    const ours = run('httpRequest(url, { timeoutMs: 5000 })');
    expect(ours).toContain('answered "{\\"ok\\":true}"');
    expect(ours).not.toContain('ArrayBufferDetaching');
    expect(run('fetch(url)')).toContain('Invalidating protector cell ArrayBufferDetaching');
  });
});
