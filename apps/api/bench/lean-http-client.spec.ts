import { AddressInfo } from 'node:net';
import { createServer, Server } from 'node:http';
import { LeanHttpClient } from './lean-http-client';

/** A real node:http server: /bytes/N answers N bytes, /status/N answers status N, /chunked has no Content-Length. */
function startServer(): Promise<{ server: Server; port: number; connections: () => number }> {
  let connections = 0;
  const server = createServer((request, response) => {
    const [, route, value] = (request.url ?? '').split('/');
    if (route === 'chunked') {
      response.write('a');
      response.end('b');
      return;
    }
    const body = Buffer.alloc(route === 'bytes' ? Number(value) : 3, 0x61);
    response.writeHead(route === 'status' ? Number(value) : 200, { 'content-length': body.length });
    response.end(body);
  });
  server.on('connection', () => connections++);
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, port: (server.address() as AddressInfo).port, connections: () => connections })));
}

describe('LeanHttpClient', () => {
  let server: Server;
  let port: number;
  let connections: () => number;
  let client: LeanHttpClient;

  beforeEach(async () => {
    ({ server, port, connections } = await startServer());
    client = new LeanHttpClient(port);
  });

  afterEach(async () => {
    client.close();
    await new Promise((resolve) => server.close(resolve));
  });

  it('counts the body bytes of answers small and larger than its read buffer, and reads the status', async () => {
    await expect(client.get('/bytes/0')).resolves.toEqual({ status: 200, bytes: 0 });
    await expect(client.get('/bytes/10')).resolves.toEqual({ status: 200, bytes: 10 });
    await expect(client.get('/bytes/1000000')).resolves.toEqual({ status: 200, bytes: 1_000_000 });
    await expect(client.get('/status/404')).resolves.toEqual({ status: 404, bytes: 3 });
  });

  it('keeps sockets alive: sequential requests share one connection, concurrent ones open more', async () => {
    for (let i = 0; i < 5; i++) await client.get('/bytes/100');
    expect(connections()).toBe(1);
    const answers = await Promise.all([1, 2, 3].map(() => client.get('/bytes/500000')));
    expect(answers).toEqual([1, 2, 3].map(() => ({ status: 200, bytes: 500_000 })));
    expect(connections()).toBe(3);
  });

  it('fails an answer it cannot measure, and goes on with a fresh connection', async () => {
    await expect(client.get('/chunked')).rejects.toThrow('answer without Content-Length (HTTP 200)');
    await expect(client.get('/bytes/7')).resolves.toEqual({ status: 200, bytes: 7 });
    expect(connections()).toBe(2);
  });

  it('fails when the server closes the connection mid-answer', async () => {
    server.removeAllListeners('request');
    server.on('request', (_request, response) => {
      response.writeHead(200, { 'content-length': 100 });
      response.write('partial');
      response.socket?.destroy();
    });
    await expect(client.get('/bytes/100')).rejects.toThrow('connection closed before the answer ended');
  });
});
