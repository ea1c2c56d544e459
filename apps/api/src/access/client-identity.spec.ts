import type { IncomingMessage } from 'node:http';
import { addressResolver, presentedKey } from './client-identity';

const requestFrom = (peer: string, forwardedFor?: string) =>
  ({ socket: { remoteAddress: peer }, headers: forwardedFor === undefined ? {} : { 'x-forwarded-for': forwardedFor } }) as unknown as IncomingMessage;

describe('client identity', () => {
  it('takes the key of X-API-Key, else of X-MBX-APIKEY', () => {
    expect(presentedKey({ 'x-api-key': ' k1 ', 'x-mbx-apikey': 'k2' })).toBe('k1');
    expect(presentedKey({ 'x-mbx-apikey': 'k2' })).toBe('k2');
    expect(presentedKey({ 'x-api-key': '' })).toBeUndefined();
  });

  it('trusts no X-Forwarded-For unless told to', () => {
    expect(addressResolver(undefined)(requestFrom('::ffff:10.0.0.7', '1.2.3.4'))).toBe('10.0.0.7');
  });

  it('behind N hops takes the Nth address from the right', () => {
    const resolve = addressResolver({ hops: 1 });
    expect(resolve(requestFrom('10.0.0.1', '6.6.6.6, 1.2.3.4'))).toBe('1.2.3.4');
    expect(resolve(requestFrom('10.0.0.1'))).toBe('10.0.0.1');
    expect(addressResolver({ hops: 2 })(requestFrom('10.0.0.1', '6.6.6.6, 1.2.3.4'))).toBe('6.6.6.6');
  });

  it('behind trusted subnets takes the rightmost address outside them, so a forged left part is ignored', () => {
    const resolve = addressResolver({ subnets: ['10.0.0.0/8', '127.0.0.0/8'] });
    expect(resolve(requestFrom('127.0.0.1', '6.6.6.6, 1.2.3.4, 10.1.1.1'))).toBe('1.2.3.4');
    expect(resolve(requestFrom('8.8.8.8', '1.2.3.4'))).toBe('8.8.8.8');
  });

  it('counts an IPv6 client by its /64', () => {
    const resolve = addressResolver(undefined);
    expect(resolve(requestFrom('2001:db8:1:2:aaaa::1'))).toBe(resolve(requestFrom('2001:db8:1:2:bbbb::2')));
    expect(resolve(requestFrom('2001:db8:1:2::1'))).not.toBe(resolve(requestFrom('2001:db8:1:3::1')));
  });
});
