import { Logger } from '@nestjs/common';
import { MarketTrade } from '@cryptostream/market-data';
import { TradeSequencer } from './trade.sequencer';

const trade = (tradeId: number): MarketTrade => ({
  symbol: 'BTCUSDT', kind: 'aggTrade', tradeId, price: '1.5', quantity: '2', tradeTimeMs: 1_741_046_404_000 + tradeId, isBuyerMaker: false, tradeCount: 1,
});

/** A sequencer over an exchange whose REST API knows ids up to `restKnowsUpTo`. */
function setUp(restKnowsUpTo: number, pageSize = 3) {
  const emitted: Array<{ id: number; recovered: boolean }> = [];
  const fetches: number[] = [];
  let duplicates = 0;
  const state = { restKnowsUpTo };
  const sequencer = new TradeSequencer({
    symbol: 'BTCUSDT',
    pageSize,
    retryPauseMs: 1,
    fetchFrom: async (fromId) => {
      fetches.push(fromId);
      const ids = [];
      for (let id = fromId; id <= state.restKnowsUpTo && ids.length < pageSize; id += 1) ids.push(id);
      return ids.map(trade);
    },
    emit: async (t, recovered) => void emitted.push({ id: t.tradeId, recovered }),
    onDuplicate: () => (duplicates += 1),
  });
  return { sequencer, emitted, fetches, state, duplicates: () => duplicates, ids: () => emitted.map((e) => e.id) };
}

describe('TradeSequencer', () => {
  beforeAll(() => Logger.overrideLogger(false));

  it('passes contiguous live trades straight through and drops repeated ids', () => {
    const { sequencer, ids, duplicates, fetches } = setUp(0);
    for (const id of [10, 11, 12, 11, 12, 13]) sequencer.onLive(trade(id));
    expect(ids()).toEqual([10, 11, 12, 13]);
    expect(duplicates()).toBe(2);
    expect(fetches).toEqual([]);
  });

  it('recovers a skipped range from REST, page by page, before the held live trades', async () => {
    const { sequencer, emitted, fetches } = setUp(20);
    sequencer.onLive(trade(10));
    sequencer.onLive(trade(18));
    sequencer.onLive(trade(19));
    expect(sequencer.catchingUp).toBe(true);
    await sequencer.catchUp();
    expect(emitted.map((e) => e.id)).toEqual([10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20]);
    expect(emitted.filter((e) => e.recovered).map((e) => e.id)).toEqual([11, 12, 13, 14, 15, 16, 17, 18, 19, 20]);
    expect(fetches).toEqual([11, 14, 17, 20]);
    sequencer.onLive(trade(20));
    sequencer.onLive(trade(21));
    expect(emitted.at(-1)).toEqual({ id: 21, recovered: false });
  });

  it('after a reconnect fetches what was missed and keeps trying until REST has caught up with the stream', async () => {
    const { sequencer, ids, state } = setUp(12);
    sequencer.onLive(trade(10));
    sequencer.onReconnected();
    sequencer.onLive(trade(15));
    setTimeout(() => (state.restKnowsUpTo = 14), 5);
    await sequencer.catchUp();
    expect(ids()).toEqual([10, 11, 12, 13, 14, 15]);
  });

  it('counts a rejected next id as seen, so it is not taken for a gap', () => {
    const { sequencer, ids, fetches } = setUp(0);
    sequencer.onLive(trade(10));
    sequencer.onLive(trade(11), true);
    sequencer.onLive(trade(12));
    sequencer.onLive(trade(1), true);
    expect(ids()).toEqual([10, 12]);
    expect(fetches).toEqual([]);
  });

  it('does nothing on reconnect before the first trade', () => {
    const { sequencer, fetches } = setUp(5);
    sequencer.onReconnected();
    expect(sequencer.catchingUp).toBe(false);
    expect(fetches).toEqual([]);
  });
});
