import { Inject, Injectable } from '@nestjs/common';
import type { IncomingMessage } from 'node:http';
import { keyDigest } from '../config/api-keys-file';
import { API_CONFIG, ApiConfig } from '../config/api.config';
import { addressResolver, AddressOf, presentedKey } from './client-identity';

/** Who a request comes from, as limits count it. */
export interface ApiClient {
  /** `key:<first 16 hex of the key's SHA-256>` for a known key, else `ip:<address>`: never the key itself. */
  readonly id: string;
  /** The request carries a key of `API_KEYS_FILE`. */
  readonly keyed: boolean;
  /** The request carries a key that is not one of them. */
  readonly unknownKey: boolean;
}

const IDENTIFIED = Symbol('api client');

/**
 * Tells clients apart: by API key when one of `API_KEYS_FILE` comes with the request, else by
 * address (see {@link addressResolver}). Worked out once a request; the guards, the SSE caps and
 * the WebSocket-upgrade gate all ask here, so they count the same client.
 */
@Injectable()
export class ApiClients {
  readonly #addressOf: AddressOf;

  constructor(@Inject(API_CONFIG) private readonly config: ApiConfig) {
    this.#addressOf = addressResolver(config.access.trustedProxies);
  }

  /** True when `API_KEYS_FILE` is set. */
  get keysRequired(): boolean {
    return this.config.access.apiKeys !== undefined;
  }

  of(request: IncomingMessage): ApiClient {
    const held = (request as IncomingMessage & { [IDENTIFIED]?: ApiClient })[IDENTIFIED];
    if (held) return held;
    const client = this.#identify(request);
    Object.defineProperty(request, IDENTIFIED, { value: client });
    return client;
  }

  #identify(request: IncomingMessage): ApiClient {
    const keys = this.config.access.apiKeys;
    const key = presentedKey(request.headers);
    if (keys && key !== undefined) {
      const digest = keyDigest(key);
      if (keys.digests.has(digest)) return { id: `key:${digest.slice(0, 16)}`, keyed: true, unknownKey: false };
      return { id: `ip:${this.#addressOf(request)}`, keyed: false, unknownKey: true };
    }
    return { id: `ip:${this.#addressOf(request)}`, keyed: false, unknownKey: false };
  }
}
