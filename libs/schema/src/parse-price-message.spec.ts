import 'reflect-metadata';
import { eventTimeMsOf, parsePriceMessage } from './parse-price-message';

describe('parsePriceMessage', () => {
  it('accepts the original design message', () => {
    const outcome = parsePriceMessage('{"symbol":"BTCUSDT","price":"43200.12","timestamp":1700000000.123}');
    expect(outcome).toEqual({ ok: true, message: expect.objectContaining({ symbol: 'BTCUSDT', price: '43200.12' }) });
    if (outcome.ok) expect(eventTimeMsOf(outcome.message)).toBe(1700000000123);
  });

  it('accepts the extended trade message and drops unknown fields', () => {
    const outcome = parsePriceMessage(
      JSON.stringify({
        symbol: 'TRXUSD_PERP', price: '0.23097', timestamp: 1741046404.986, eventTimeMs: 1741046404986,
        quantity: '32.0', tradeId: 39605682, tradeCount: 1, isBuyerMaker: true, source: 'replay', extra: 'x',
      }),
    );
    expect(outcome.ok).toBe(true);
    if (outcome.ok) {
      expect(outcome.message.quantity).toBe('32.0');
      expect(outcome.message).not.toHaveProperty('extra');
    }
  });

  it.each([
    ['not json', /not JSON/],
    ['[1,2]', /not a JSON object/],
    ['null', /not a JSON object/],
    ['{"symbol":"BTCUSDT","price":43200.12,"timestamp":1700000000}', /price must be a decimal string/],
    ['{"symbol":"BTCUSDT","price":"0.000","timestamp":1700000000}', /greater than zero/],
    ['{"symbol":"BTCUSDT","price":"-1","timestamp":1700000000}', /greater than zero/],
    ['{"symbol":"BTCUSDT","price":"1e5","timestamp":1700000000}', /greater than zero/],
    ['{"symbol":"btc usdt","price":"1","timestamp":1700000000}', /symbol must be/],
    ['{"symbol":"BTCUSDT","price":"1","timestamp":"NaN"}', /timestamp/],
    ['{"symbol":"BTCUSDT","price":"1","timestamp":99999999999}', /timestamp must not be greater/],
    ['{"symbol":"BTCUSDT","price":"1","timestamp":86400}', /timestamp must not be less/],
    ['{"symbol":"BTCUSDT","price":"1","timestamp":1700000000,"quantity":"abc"}', /quantity/],
    ['{"symbol":"BTCUSDT","price":"1","timestamp":1700000000,"eventTimeMs":1700000005000}', /disagree/],
  ])('rejects %s with a reason', (raw, reason) => {
    const outcome = parsePriceMessage(raw);
    expect(outcome.ok).toBe(false);
    if (!outcome.ok) expect(outcome.reason).toMatch(reason);
  });

  it('rejects oversized payloads before parsing them', () => {
    const outcome = parsePriceMessage(JSON.stringify({ symbol: 'BTCUSDT', price: '1', timestamp: 1700000000, pad: 'x'.repeat(5000) }));
    expect(outcome).toEqual({ ok: false, reason: expect.stringMatching(/too large/) });
  });
});
