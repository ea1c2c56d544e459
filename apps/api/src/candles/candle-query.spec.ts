import { BadParameter, encodeCursor, parseCandleRequest } from './candle-query';

const intervals = [{ label: '1m', ms: 60_000 }, { label: '5m', ms: 300_000 }];

describe('parseCandleRequest', () => {
  it('reads the newest page by default, with the smallest interval and 500 candles', () => {
    expect(parseCandleRequest({ symbol: 'BTCUSDT' }, intervals)).toEqual({
      interval: intervals[0],
      query: { symbol: 'BTCUSDT', windowSize: '1m', direction: 'backward', fromMs: undefined, toMs: undefined, limit: 500 },
    });
  });

  it('reads forward from `from`, and a cursor continues in its direction', () => {
    const forward = parseCandleRequest({ symbol: 'BTCUSDT', interval: '5m', from: '1000', to: '9000000', limit: '1000' }, intervals);
    expect(forward.query).toMatchObject({ direction: 'forward', fromMs: 1000, toMs: 9_000_000, limit: 1000, windowSize: '5m' });
    const next = parseCandleRequest({ symbol: 'BTCUSDT', from: '1000', cursor: encodeCursor({ direction: 'forward', startMs: 60_001 }) }, intervals);
    expect(next.query).toMatchObject({ direction: 'forward', fromMs: 60_001 });
    const older = parseCandleRequest({ symbol: 'BTCUSDT', cursor: encodeCursor({ direction: 'backward', startMs: 120_000 }) }, intervals);
    expect(older.query).toMatchObject({ direction: 'backward', toMs: 120_000 });
  });

  it.each([
    [{}, 'symbol', /is required/],
    [{ symbol: 'btc usdt' }, 'symbol', /like BTCUSDT/],
    [{ symbol: 'BTCUSDT', interval: '2m' }, 'interval', /must be one of 1m, 5m, got "2m"/],
    [{ symbol: 'BTCUSDT', limit: '0' }, 'limit', /from 1 to 1000, got "0"/],
    [{ symbol: 'BTCUSDT', limit: '1001' }, 'limit', /from 1 to 1000/],
    [{ symbol: 'BTCUSDT', limit: '10.5' }, 'limit', /whole number/],
    [{ symbol: 'BTCUSDT', from: '-1' }, 'from', /epoch milliseconds/],
    [{ symbol: 'BTCUSDT', from: '2000', to: '1000' }, 'to', /after from/],
    [{ symbol: 'BTCUSDT', cursor: 'x' }, 'cursor', /"next" value of an earlier page/],
  ])('refuses %p naming %s', (params, parameter, message) => {
    let error: unknown;
    try {
      parseCandleRequest(params, intervals);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(BadParameter);
    expect((error as BadParameter).parameter).toBe(parameter);
    expect((error as Error).message).toMatch(message);
  });
});
