import { normalizeIp } from '@nestjs/throttler';
import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import { BlockList, isIP } from 'node:net';
import type { TrustedProxies } from '../config/hardening.config';

/** Where a client sends its API key: ours, and Binance's (for its compatible routes and clients such as ccxt). */
export const API_KEY_HEADERS = ['X-API-Key', 'X-MBX-APIKEY'] as const;

/** The API key a request carries, if any (the first of {@link API_KEY_HEADERS} present). */
export function presentedKey(headers: IncomingHttpHeaders): string | undefined {
  for (const name of API_KEY_HEADERS) {
    const value = headers[name.toLowerCase()];
    const key = (Array.isArray(value) ? value[0] : value)?.trim();
    if (key) return key;
  }
  return undefined;
}

/** Picks a request's client address from its socket and, behind trusted proxies, `X-Forwarded-For`. */
export type AddressOf = (request: IncomingMessage) => string;

const plain = (address: string): string => (address.startsWith('::ffff:') && isIP(address.slice(7)) === 4 ? address.slice(7) : address);

/**
 * The client's address: the socket's peer; behind `hops` trusted proxies, the address that many
 * entries from the right of `X-Forwarded-For`; behind trusted subnets, the rightmost address that
 * is not one of them. IPv6 addresses are taken by their /64 (one host usually holds a whole /64),
 * so that a client cannot escape its limits by changing the low bits.
 */
export function addressResolver(trusted: TrustedProxies): AddressOf {
  const forwarded = (request: IncomingMessage): string[] => {
    const header = request.headers['x-forwarded-for'];
    return (Array.isArray(header) ? header.join(',') : header ?? '').split(',').map((item) => plain(item.trim())).filter((item) => isIP(item) !== 0);
  };
  const peerOf = (request: IncomingMessage) => plain(request.socket.remoteAddress ?? '');
  const finish = (address: string) => (isIP(address) === 6 ? normalizeIp(address) : address);
  if (trusted === undefined) return (request) => finish(peerOf(request));
  if ('hops' in trusted) {
    return (request) => {
      const chain = [peerOf(request), ...forwarded(request).reverse()];
      return finish(chain[Math.min(trusted.hops, chain.length - 1)]);
    };
  }
  const proxies = new BlockList();
  for (const subnet of trusted.subnets) {
    const [address, bits] = subnet.split('/');
    proxies.addSubnet(address, Number(bits), isIP(address) === 6 ? 'ipv6' : 'ipv4');
  }
  const isProxy = (address: string) => isIP(address) !== 0 && proxies.check(address, isIP(address) === 6 ? 'ipv6' : 'ipv4');
  return (request) => {
    const hops = forwarded(request);
    let address = peerOf(request);
    while (hops.length > 0 && isProxy(address)) address = hops.pop()!;
    return finish(address);
  };
}
