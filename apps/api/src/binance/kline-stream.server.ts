import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer } from 'ws';
import { UpgradeGate } from '../access/upgrade-gate';
import { API_CONFIG, ApiConfig } from '../config/api.config';
import { ApiMetrics } from '../metrics/api.metrics';
import { UpdateHub } from '../live/update-hub';
import { UPDATE_HUB } from '../live/update-hub.provider';
import { KlineStreamConnection } from './kline-stream.connection';

/**
 * Where Binance's market streams are: `/ws`, `/ws/<stream>` (raw) and `/stream?streams=a/b`
 * (combined), also under `/market` and `/public` as ccxt asks for USDⓈ-M and COIN-M streams,
 * and under a prefix named after Binance's stream host (`/stream`, `/fstream`, `/dstream`): a
 * client's `wss://stream.binance.com:9443/ws` becomes `ws://<api>/stream/ws`, and ccxt tells
 * spot streams by `/stream` in the URL. Path segments of `/ws/…` that are not stream names
 * (ccxt's connection numbers, `/ws/0`) name nothing.
 */
const HOST = '(?:\\/(?:stream|fstream|dstream))?(?:\\/(?:market|public))?';
const RAW = new RegExp(`^${HOST}\\/ws(?:\\/(.*))?$`);
const COMBINED = new RegExp(`^${HOST}\\/stream$`);
const PING_INTERVAL_MS = 30_000;

/**
 * Binance's kline WebSocket streams on the API's port: upgrades of those paths pass the API's
 * access checks (rate limit, key, a stream slot shared with SSE: {@link UpgradeGate}), then each
 * connection follows the update hub as SSE clients do.
 */
@Injectable()
export class KlineStreamServer implements OnApplicationBootstrap, OnModuleDestroy {
  readonly #logger = new Logger(KlineStreamServer.name);
  readonly #wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 });
  #server: Server | undefined;
  #ping: NodeJS.Timeout | undefined;
  readonly #onUpgrade = (request: IncomingMessage, socket: Duplex, head: Buffer) => void this.#upgrade(request, socket, head);

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly gate: UpgradeGate,
    @Inject(UPDATE_HUB) private readonly hub: UpdateHub,
    @Inject(API_CONFIG) private readonly config: ApiConfig,
    private readonly metrics: ApiMetrics,
  ) {}

  onApplicationBootstrap(): void {
    this.#server = this.adapterHost.httpAdapter.getHttpServer() as Server;
    this.#server.on('upgrade', this.#onUpgrade);
    // Binance pings and drops a client that does not answer; so does this server.
    this.#ping = setInterval(() => {
      for (const socket of this.#wss.clients) {
        const alive = socket as WebSocket & { missedPong?: boolean };
        if (alive.missedPong) socket.terminate();
        else {
          alive.missedPong = true;
          socket.ping();
        }
      }
    }, PING_INTERVAL_MS);
    this.#ping.unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.#ping);
    this.#server?.off('upgrade', this.#onUpgrade);
    for (const socket of this.#wss.clients) socket.close(1001, 'server shutting down');
  }

  async #upgrade(request: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://localhost');
    const raw = RAW.exec(url.pathname);
    const combined = COMBINED.test(url.pathname);
    if (!raw && !combined) {
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    const admitted = await this.gate.admitOrRefuse(request, socket);
    if (!admitted) return;
    this.#wss.handleUpgrade(request, socket, head, (ws) => {
      const connection = new KlineStreamConnection(ws, this.hub, this.config.intervals, combined);
      const names = combined ? (url.searchParams.get('streams') ?? '').split('/') : (raw?.[1] ?? '').split('/');
      for (const name of names.filter(Boolean)) connection.subscribe(name);
      this.metrics.sseClients.set(this.hub.clientCount);
      ws.on('pong', () => ((ws as WebSocket & { missedPong?: boolean }).missedPong = false));
      ws.on('message', (data) => connection.onMessage(data.toString()));
      ws.on('error', (error) => this.#logger.debug(`kline stream: ${error.message}`));
      ws.once('close', () => {
        connection.close();
        admitted.release();
        this.metrics.sseClients.set(this.hub.clientCount);
      });
    });
  }
}
